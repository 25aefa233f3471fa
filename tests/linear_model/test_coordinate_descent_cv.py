"""LassoCV and ElasticNetCV against scikit-learn's, against brute-force refits, and against
GridSearchCV of the plain estimators on the same folds.

The solves run at a tight tolerance (duality gap 1e-12 of ||y - ȳ||²) on both sides, so the
two implementations reach the same optimum to about 1e-10 whatever order they update the
coordinates in; the grids are the same formula and equal to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest
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
