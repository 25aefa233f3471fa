"""LassoCV and ElasticNetCV against scikit-learn's, against brute-force refits, and against
GridSearchCV of the plain estimators on the same folds.

The solves run at a tight tolerance (duality gap 1e-12 of ||y - ȳ||²) on both sides, so the
two implementations reach the same optimum to about 1e-10 whatever order they update the
coordinates in; the grids are the same formula and equal to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.estimator_checks import parametrize_with_checks

from fromscratch.linear_model import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path
from fromscratch.model_selection import GridSearchCV, KFold
from sklearn_checks import expected_failed_checks
from tolerance import assert_close_to_scale

sk = pytest.importorskip("sklearn.linear_model")
sk_model_selection = pytest.importorskip("sklearn.model_selection")

TIGHT = {"tol": 1e-12, "max_iter": 100_000}


def _data(n=80, p=12, seed=0, offset=3.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) + offset
    w = rng.normal(size=p) * (rng.random(p) < 0.4)
    return X, X @ w + 5.0 + 0.5 * rng.normal(size=n)


def _assert_same_as_sklearn(ours, reference, X):
    assert_close_to_scale(ours.alphas_, reference.alphas_, 1e-13)
    # The mean squared errors are sums of squared residuals of solutions equal to ~1e-10.
    assert_close_to_scale(ours.mse_path_, reference.mse_path_, 1e-8)
    np.testing.assert_allclose(ours.alpha_, reference.alpha_, rtol=1e-13)
    assert np.flatnonzero(np.isclose(ours.alphas_, ours.alpha_, rtol=1e-13)).tolist() == \
        np.flatnonzero(np.isclose(reference.alphas_, reference.alpha_, rtol=1e-13)).tolist()
    assert_close_to_scale(ours.coef_, reference.coef_, 1e-9)
    np.testing.assert_allclose(ours.intercept_, reference.intercept_, rtol=1e-9)
    assert_close_to_scale(ours.predict(X), reference.predict(X), 1e-9)


CASES = {
    "default": {},
    "no intercept": {"fit_intercept": False},
    "positive": {"positive": True},
    "explicit alphas": {"alphas": [0.5, 0.01, 0.1, 2.0]},
    "short grid": {"alphas": 7, "eps": 1e-2},
    "random selection": {"selection": "random", "random_state": 0},
    "shuffled folds": {"cv": "shuffled"},
}


def _problem(case, seed):
    """The data and the estimator's arguments of a case. Without an intercept the features
    are centered: an uncentered design makes coordinate descent crawl (nearly collinear
    columns), which tests the solver's patience, not the cross-validation."""
    kwargs = CASES[case]
    X, y = _data(seed=seed, offset=3.0 if kwargs.get("fit_intercept", True) else 0.0)
    if kwargs.get("cv") == "shuffled":
        return X, y, {**kwargs, "cv": list(KFold(4, shuffle=True, random_state=1).split(X))}
    return X, y, {"cv": 4, **kwargs}


@pytest.mark.parametrize("case", CASES)
def test_lasso_cv_equals_sklearn(case):
    X, y, kwargs = _problem(case, seed=0)
    ours = LassoCV(**TIGHT, **kwargs).fit(X, y)
    reference = sk.LassoCV(**TIGHT, **kwargs).fit(X, y)
    _assert_same_as_sklearn(ours, reference, X)
    assert ours.mse_path_.shape == (len(ours.alphas_), 4)
    assert not hasattr(ours, "l1_ratio_") and not hasattr(reference, "l1_ratio_")
    assert ours.n_iter_ >= 1 and 0 <= ours.dual_gap_ < 1e-9


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("l1_ratio", [0.5, [0.2, 0.7, 1.0]])
def test_elastic_net_cv_equals_sklearn(case, l1_ratio):
    X, y, kwargs = _problem(case, seed=1)
    ours = ElasticNetCV(l1_ratio=l1_ratio, **TIGHT, **kwargs).fit(X, y)
    reference = sk.ElasticNetCV(l1_ratio=l1_ratio, **TIGHT, **kwargs).fit(X, y)
    _assert_same_as_sklearn(ours, reference, X)
    assert ours.l1_ratio_ == reference.l1_ratio_
    n_ratios, n_alphas = len(np.atleast_1d(l1_ratio)), ours.alphas_.shape[-1]
    assert ours.mse_path_.shape == ((n_ratios,) if n_ratios > 1 else ()) + (n_alphas, 4)


def test_ridge_end_of_the_elastic_net_with_explicit_alphas_equals_sklearn():
    """l1_ratio=0 has no automatic grid, but explicit penalties work."""
    X, y = _data(seed=2)
    kwargs = {"l1_ratio": [0.0, 0.5], "alphas": [10.0, 1.0, 0.1], "cv": 3, **TIGHT}
    ours = ElasticNetCV(**kwargs).fit(X, y)
    reference = sk.ElasticNetCV(**kwargs).fit(X, y)
    _assert_same_as_sklearn(ours, reference, X)
    assert ours.l1_ratio_ == reference.l1_ratio_


def test_a_target_uncorrelated_with_the_features_gives_the_degenerate_grid():
    X, _ = _data()
    y = np.full(X.shape[0], 2.0)
    ours = LassoCV(cv=3, alphas=5).fit(X, y)
    reference = sk.LassoCV(cv=3, alphas=5).fit(X, y)
    np.testing.assert_array_equal(ours.alphas_, reference.alphas_)  # all 2.2e-16
    np.testing.assert_array_equal(ours.coef_, 0.0)
    assert ours.intercept_ == 2.0


def test_mse_path_is_the_error_of_brute_force_refits():
    """Each entry is the test-fold error of an ElasticNet fitted cold on the training fold."""
    X, y = _data(seed=3)
    folds = list(KFold(3, shuffle=True, random_state=0).split(X))
    model = ElasticNetCV(l1_ratio=[0.3, 0.9], alphas=6, cv=folds, **TIGHT).fit(X, y)
    for r, l1_ratio in enumerate([0.3, 0.9]):
        for a, alpha in enumerate(model.alphas_[r]):
            for k, (train, test) in enumerate(folds):
                fit = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X[train], y[train])
                mse = np.mean((y[test] - fit.predict(X[test])) ** 2)
                np.testing.assert_allclose(model.mse_path_[r, a, k], mse, rtol=1e-9)
    best = np.unravel_index(np.argmin(model.mse_path_.mean(axis=2)), (2, 6))
    assert (model.l1_ratio_, model.alpha_) == ([0.3, 0.9][best[0]], model.alphas_[best])
    refit = ElasticNet(alpha=model.alpha_, l1_ratio=model.l1_ratio_, **TIGHT).fit(X, y)
    np.testing.assert_allclose(model.coef_, refit.coef_, rtol=1e-12, atol=1e-14)


def test_lasso_cv_agrees_with_grid_search_of_lasso_on_the_same_folds():
    """The warm-started path and cold fits of each alpha give the same errors, so the same
    penalty: the two ways of tuning in this library agree."""
    X, y = _data(seed=4)
    folds = list(KFold(5).split(X))
    path_cv = LassoCV(alphas=8, cv=folds, **TIGHT).fit(X, y)
    search = GridSearchCV(Lasso(**TIGHT), {"alpha": list(path_cv.alphas_)}, cv=folds,
                          scoring="neg_mean_squared_error").fit(X, y)
    np.testing.assert_allclose(-search.cv_results_["mean_test_score"],
                               path_cv.mse_path_.mean(axis=1), rtol=1e-9)
    assert search.best_params_["alpha"] == path_cv.alpha_
    np.testing.assert_allclose(search.best_estimator_.coef_, path_cv.coef_, rtol=1e-9,
                               atol=1e-12)


def test_path_is_the_public_path_function():
    X, y = _data()
    alphas, coefs, _ = LassoCV.path(X - X.mean(axis=0), y - y.mean(), alphas=[1.0, 0.1])
    np.testing.assert_array_equal(coefs, enet_path(X - X.mean(axis=0), y - y.mean(),
                                                   l1_ratio=1.0, alphas=[1.0, 0.1])[1])
    assert ElasticNetCV.path is enet_path


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: LassoCV(eps=0.0), ValueError, "eps must be in"),
        (lambda: LassoCV(alphas=0), ValueError, "alphas must be in"),
        (lambda: LassoCV(alphas=[1.0, -0.5]), ValueError, "non-negative penalties"),
        (lambda: LassoCV(alphas=[[1.0]]), ValueError, "1-D list"),
        (lambda: LassoCV(max_iter=0), ValueError, "max_iter"),
        (lambda: LassoCV(selection="shuffle"), ValueError, "selection must be one of"),
        (lambda: LassoCV(positive="yes"), TypeError, "positive must be True or False"),
        (lambda: LassoCV(cv=1), ValueError, "at least 2"),
        (lambda: ElasticNetCV(l1_ratio=1.5), ValueError, r"l1_ratio must be a number in \[0, 1\]"),
        (lambda: ElasticNetCV(l1_ratio=[0.5, -0.1]), ValueError, "l1_ratio must be"),
        (lambda: ElasticNetCV(l1_ratio=0.0), ValueError, "l1_ratio=0 .* has no alpha_max"),
    ],
)
def test_bad_input(make, error, match):
    X, y = _data(n=30)
    with pytest.raises(error, match=match):
        make().fit(X, y)


def test_bad_data():
    X, y = _data(n=30)
    with pytest.raises(ValueError, match="X and y have different numbers of samples"):
        LassoCV().fit(X, y[:-1])
    with pytest.raises(ValueError, match="NaN"):
        LassoCV().fit(np.where(X > 4, np.nan, X), y)
    with pytest.raises(ValueError, match="1-D"):
        LassoCV().fit(X, np.c_[y, y])


@parametrize_with_checks([LassoCV(cv=3, alphas=5), ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3,
                                                                  alphas=5)],
                         expected_failed_checks=expected_failed_checks)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# -- sample weights ----------------------------------------------------------------------------

WEIGHTED_CASES = {
    "default": {},
    "no intercept": {"fit_intercept": False},
    "positive": {"positive": True},
    "explicit alphas": {"alphas": [0.5, 0.01, 0.1, 2.0]},
}


@pytest.mark.parametrize("case", WEIGHTED_CASES)
@pytest.mark.parametrize(("ours_cls", "reference_cls", "extra"), [
    (LassoCV, "LassoCV", {}),
    (ElasticNetCV, "ElasticNetCV", {"l1_ratio": [0.3, 0.8]}),
], ids=["lasso", "enet"])
def test_weighted_fit_equals_sklearn(case, ours_cls, reference_cls, extra):
    """scikit-learn >= 1.4: the weighted grid (alpha_max from the weighted, centered Xᵀy over
    Σw), each training fold's weighted path, each test fold's weighted mean squared error and
    the weighted refit."""
    X, y, kwargs = _problem(case, seed=5)
    sample_weight = np.random.default_rng(5).uniform(0.1, 3.0, size=y.size)
    ours = ours_cls(**TIGHT, **extra, **kwargs).fit(X, y, sample_weight=sample_weight)
    reference = getattr(sk, reference_cls)(**TIGHT, **extra, **kwargs).fit(
        X, y, sample_weight=sample_weight)
    _assert_same_as_sklearn(ours, reference, X)
    unweighted = ours_cls(**TIGHT, **extra, **kwargs).fit(X, y)
    # The weights matter: otherwise the comparison above could not tell them from none.
    assert np.abs(ours.mse_path_ - unweighted.mse_path_).max() > 1e-3 * ours.mse_path_.max()


def test_weighted_mse_path_is_the_weighted_error_of_brute_force_refits():
    """Independently of scikit-learn: each entry is the weighted test-fold error of an
    ElasticNet fitted cold, with the fold's weights, on the training fold."""
    X, y = _data(seed=6)
    sample_weight = np.random.default_rng(6).uniform(0.0, 2.0, size=y.size)
    folds = list(KFold(3, shuffle=True, random_state=0).split(X))
    model = ElasticNetCV(l1_ratio=0.6, alphas=5, cv=folds, **TIGHT).fit(X, y, sample_weight)
    for a, alpha in enumerate(model.alphas_):
        for k, (train, test) in enumerate(folds):
            fit = ElasticNet(alpha=alpha, l1_ratio=0.6, **TIGHT).fit(
                X[train], y[train], sample_weight=sample_weight[train])
            errors = (y[test] - fit.predict(X[test])) ** 2
            mse = errors @ sample_weight[test] / sample_weight[test].sum()
            np.testing.assert_allclose(model.mse_path_[a, k], mse, rtol=1e-9)
    refit = ElasticNet(alpha=model.alpha_, l1_ratio=0.6, **TIGHT).fit(X, y, sample_weight)
    np.testing.assert_allclose(model.coef_, refit.coef_, rtol=1e-12, atol=1e-14)


def _repeated_folds(folds, counts):
    """The folds of the data with row i repeated counts[i] times: each copy stays in its
    row's fold."""
    source = np.repeat(np.arange(counts.size), counts)
    return [(np.flatnonzero(np.isin(source, train)), np.flatnonzero(np.isin(source, test)))
            for train, test in folds]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), counts=st.lists(st.integers(0, 3), min_size=40, max_size=40))
def test_integer_weights_repeat_rows_and_zero_weights_drop_them(seed, counts):
    """The splits do not see the weights, so the invariance holds fold by fold: with each
    repeated row in its original row's fold, every fit, grid and error is the same."""
    X, y = _data(n=40, p=6, seed=seed)
    counts = np.asarray(counts)
    folds = list(KFold(3, shuffle=True, random_state=seed).split(X))
    if any(counts[part].sum() < 3 for fold in folds for part in fold):
        return  # a fold left (nearly) empty: refused, or no meaningful fit
    kwargs = {"l1_ratio": [0.5, 1.0], "alphas": 8, **TIGHT}
    weighted = ElasticNetCV(cv=folds, **kwargs).fit(X, y, sample_weight=counts)
    repeated = ElasticNetCV(cv=_repeated_folds(folds, counts), **kwargs).fit(
        np.repeat(X, counts, axis=0), np.repeat(y, counts))
    _assert_same_as_sklearn(weighted, repeated, X)
    assert weighted.l1_ratio_ == repeated.l1_ratio_


def test_a_common_factor_or_a_single_number_changes_nothing():
    """Every step is a weighted mean: scaling the weights, or one weight for all (scikit-learn
    then ignores it), leaves the fit as it is."""
    X, y = _data(seed=7)
    sample_weight = np.random.default_rng(7).uniform(0.1, 3.0, size=y.size)
    weighted = LassoCV(cv=4, **TIGHT).fit(X, y, sample_weight=sample_weight)
    _assert_same_as_sklearn(LassoCV(cv=4, **TIGHT).fit(X, y, 250.0 * sample_weight),
                            weighted, X)
    _assert_same_as_sklearn(LassoCV(cv=4, **TIGHT).fit(X, y, 3.0),
                            LassoCV(cv=4, **TIGHT).fit(X, y), X)


@pytest.mark.parametrize(("weights", "match"), [
    (np.ones(5), "sample_weight has 5 entries but there are 30 samples"),
    (np.r_[-1.0, np.ones(29)], "sample_weight must be non-negative"),
    (np.r_[np.nan, np.ones(29)], "sample_weight contains 1 NaN"),
    (np.zeros(30), "sample_weight sums to 0"),
    (np.r_[np.zeros(10), np.ones(20)],
     "sample_weight is zero on every sample of the test part of fold 0"),
    (np.r_[np.ones(10), np.zeros(20)],
     "sample_weight is zero on every sample of the training part of fold 0"),
], ids=["length", "negative", "nan", "all-zero", "test-fold-zero", "training-fold-zero"])
@pytest.mark.parametrize("model", [LassoCV(cv=3), ElasticNetCV(cv=3)], ids=["lasso", "enet"])
def test_bad_sample_weights_are_named(model, weights, match):
    X, y = _data(n=30)
    with pytest.raises(ValueError, match=match):
        model.fit(X, y, sample_weight=weights)


def test_weighted_score_is_the_weighted_r2():
    X, y = _data(seed=8)
    sample_weight = np.random.default_rng(8).uniform(0.1, 3.0, size=y.size)
    model = LassoCV(cv=3).fit(X, y, sample_weight)
    residual = sample_weight @ (y - model.predict(X)) ** 2
    y_mean = sample_weight @ y / sample_weight.sum()
    expected = 1.0 - residual / (sample_weight @ (y - y_mean) ** 2)
    assert model.score(X, y, sample_weight=sample_weight) == pytest.approx(expected, rel=1e-12)
