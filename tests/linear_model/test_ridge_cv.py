"""RidgeCV: its leave-one-out errors against brute-force refits, its choices and fits against
scikit-learn's RidgeCV (leave-one-out and k-fold), and its input checks.

Both implementations compute the same closed forms from different factorizations, so they agree
to rounding, amplified by the conditioning of XᵀX + αI: at the smallest penalty used here
(1e-3 against eigenvalues of XᵀX up to ~1e4) that is about 1e7 ε, so the leave-one-out values
are compared to 1e-8 of their scale and the coefficients to 1e-10. Against 40-digit
leave-one-out refits (mpmath, while writing these tests) both were within 3e-11 at that
penalty.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from fromscratch import linalg
from fromscratch.linear_model import Ridge, RidgeCV
from fromscratch.linear_model import _ridge_cv as ridge_cv_module
from fromscratch.model_selection import KFold
from sklearn_checks import expected_failed_checks
from tolerance import assert_close_to_scale

sk = pytest.importorskip("sklearn.linear_model")

ALPHAS = np.logspace(-3, 3, 13)
#: Shapes: more samples than features (XᵀX), fewer (XXᵀ), and square (XXᵀ, as scikit-learn).
SHAPES = [(60, 8), (20, 50), (30, 30)]
#: Ridge.fit(sample_weight=...) and a 2-D y, which the k-fold path passes on to Ridge, arrive
#: with the work on weights and several targets.
RIDGE_TAKES_WEIGHTS = "sample_weight" in inspect.signature(Ridge.fit).parameters


def _ridge_takes_several_targets():
    try:
        Ridge().fit(np.eye(3), np.ones((3, 2)))
    except ValueError:
        return False
    return True


RIDGE_TAKES_SEVERAL_TARGETS = _ridge_takes_several_targets()


def _data(n, p, seed=0, targets=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) + 2.0  # off-center: the intercept matters
    w = rng.normal(size=p)
    y = X @ w + rng.normal(size=n) + 3.0
    if targets:
        y = np.column_stack([y] + [X @ rng.normal(size=p) + rng.normal(size=n)
                                   for _ in range(targets - 1)])
    return X, y


def _assert_same_as_sklearn(ours, reference, X):
    assert np.array_equal(np.atleast_1d(ours.alpha_), np.atleast_1d(reference.alpha_))
    assert_close_to_scale(ours.best_score_, reference.best_score_, 1e-8)
    assert_close_to_scale(ours.coef_, reference.coef_, 1e-10)
    assert_close_to_scale(ours.intercept_, reference.intercept_, 1e-10)
    assert_close_to_scale(ours.predict(X), reference.predict(X), 1e-10)
    if hasattr(reference, "cv_results_"):
        assert ours.cv_results_.shape == reference.cv_results_.shape
        assert_close_to_scale(ours.cv_results_, reference.cv_results_, 1e-8)


# -- the leave-one-out shortcut against refitting without each sample -----------------------


@pytest.mark.parametrize(("n", "p"), SHAPES)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_loo_errors_equal_brute_force_refits(n, p, fit_intercept):
    """cv_results_[i, a] is the squared error on sample i of Ridge(alphas[a]) fitted without
    it: Sherman–Morrison's (y_i - ŷ_i)/(1 - h_ii), every penalty from one eigendecomposition."""
    X, y = _data(n, p, seed=1)
    alphas = [1e-2, 0.3, 10.0, 300.0]
    model = RidgeCV(alphas=alphas, fit_intercept=fit_intercept, store_cv_results=True)
    model.fit(X, y)
    brute = np.empty((n, len(alphas)))
    for i in range(n):
        rest = np.arange(n) != i
        for a, alpha in enumerate(alphas):
            refit = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X[rest], y[rest])
            brute[i, a] = (y[i] - refit.predict(X[i : i + 1])[0]) ** 2
    assert_close_to_scale(model.cv_results_, brute, 1e-9, axis=0)
    assert model.alpha_ == alphas[int(np.argmin(brute.mean(axis=0)))]
    np.testing.assert_allclose(model.best_score_, -brute.mean(axis=0).min(), rtol=1e-9)
    refit = Ridge(alpha=model.alpha_, fit_intercept=fit_intercept).fit(X, y)
    assert_close_to_scale(model.coef_, refit.coef_, 1e-10)
    np.testing.assert_allclose(model.intercept_, refit.intercept_, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("n", "p"), [(40, 6), (15, 30)])
def test_weighted_loo_errors_equal_brute_force_refits(n, p):
    """With sample weights s_i (a zero among them) the leave-one-out prediction of sample i is
    that of the weighted ridge fitted without it (scikit-learn's weighted Ridge here, ours has
    no weights yet); a sample of weight zero is predicted by the full fit."""
    X, y = _data(n, p, seed=2)
    weights = np.random.default_rng(3).uniform(0.2, 3.0, n)
    weights[4] = 0.0
    alphas = [0.05, 2.0, 50.0]
    model = RidgeCV(alphas=alphas, scoring="r2", store_cv_results=True)
    model.fit(X, y, sample_weight=weights)
    brute = np.empty((n, len(alphas)))
    for i in range(n):
        rest = np.arange(n) != i
        for a, alpha in enumerate(alphas):
            refit = sk.Ridge(alpha=alpha).fit(X[rest], y[rest], sample_weight=weights[rest])
            brute[i, a] = refit.predict(X[i : i + 1])[0]
    assert_close_to_scale(model.cv_results_, brute, 1e-9, axis=0)  # the predictions


def test_one_eigendecomposition_serves_every_penalty(monkeypatch):
    calls = []
    monkeypatch.setattr(ridge_cv_module, "eigh", lambda A: calls.append(A.shape) or
                        linalg.eigh(A))
    RidgeCV(alphas=np.logspace(-2, 2, 50)).fit(*_data(60, 8))
    RidgeCV(alphas=np.logspace(-2, 2, 50)).fit(*_data(20, 50))
    assert calls == [(8, 8), (20, 20)]  # XᵀX when n > p, XXᵀ when n <= p


# -- against scikit-learn ---------------------------------------------------------------------


@pytest.mark.parametrize(("n", "p"), SHAPES)
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"fit_intercept": False},
        {"store_cv_results": True},
        {"store_cv_results": True, "scoring": "r2"},
        {"store_cv_results": True, "scoring": "neg_mean_absolute_error", "gcv_mode": "eigen"},
        {"cv": 4},
        {"cv": 3, "scoring": "neg_mean_squared_error", "fit_intercept": False},
    ],
    ids=["loo", "loo no intercept", "loo cv_results", "loo r2", "loo mae", "4-fold",
         "3-fold mse no intercept"],
)
def test_equals_sklearn(n, p, kwargs):
    X, y = _data(n, p)
    ours = RidgeCV(alphas=ALPHAS, **kwargs).fit(X, y)
    reference = sk.RidgeCV(alphas=ALPHAS, **kwargs).fit(X, y)
    _assert_same_as_sklearn(ours, reference, X)


@pytest.mark.parametrize(("n", "p"), SHAPES)
@pytest.mark.parametrize("kwargs", [{"store_cv_results": True}, {"alpha_per_target": True},
                                    {"alpha_per_target": True, "scoring": "r2"},
                                    {"store_cv_results": True, "scoring": "r2"}])
def test_several_targets_equal_sklearn(n, p, kwargs):
    X, Y = _data(n, p, targets=3)
    ours = RidgeCV(alphas=ALPHAS, **kwargs).fit(X, Y)
    reference = sk.RidgeCV(alphas=ALPHAS, **kwargs).fit(X, Y)
    _assert_same_as_sklearn(ours, reference, X)
    assert ours.coef_.shape == (3, p) and ours.predict(X).shape == (n, 3)


@pytest.mark.parametrize(("n", "p"), SHAPES)
@pytest.mark.parametrize("scoring", [None, "r2"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sample_weight_equals_sklearn(n, p, scoring, fit_intercept):
    X, y = _data(n, p, seed=4)
    weights = np.random.default_rng(5).uniform(0.1, 4.0, n)
    kwargs = {"alphas": ALPHAS, "scoring": scoring, "fit_intercept": fit_intercept,
              "store_cv_results": True}
    ours = RidgeCV(**kwargs).fit(X, y, sample_weight=weights)
    reference = sk.RidgeCV(**kwargs).fit(X, y, sample_weight=weights)
    _assert_same_as_sklearn(ours, reference, X)


def test_callable_scoring_and_explicit_folds_equal_sklearn():
    X, y = _data(50, 5, seed=6)

    def neg_max_error(estimator, X, y):
        return -np.max(np.abs(y - estimator.predict(X)))

    folds = list(KFold(5, shuffle=True, random_state=0).split(X))
    for kwargs in ({"scoring": neg_max_error}, {"scoring": neg_max_error, "cv": folds}):
        ours = RidgeCV(alphas=ALPHAS, **kwargs).fit(X, y)
        reference = sk.RidgeCV(alphas=ALPHAS, **kwargs).fit(X, y)
        _assert_same_as_sklearn(ours, reference, X)


@pytest.mark.skipif(not RIDGE_TAKES_WEIGHTS,
                    reason="the k-fold path refits Ridge, which does not take sample_weight yet")
def test_sample_weight_with_folds_equals_sklearn():
    X, y = _data(40, 6, seed=7)
    weights = np.random.default_rng(8).uniform(0.1, 4.0, 40)
    ours = RidgeCV(alphas=ALPHAS, cv=4).fit(X, y, sample_weight=weights)
    reference = sk.RidgeCV(alphas=ALPHAS, cv=4).fit(X, y, sample_weight=weights)
    _assert_same_as_sklearn(ours, reference, X)


def test_a_tie_goes_to_the_first_penalty_given():
    """A constant target: every penalty predicts it exactly, every score is 0."""
    X, _ = _data(30, 4)
    for alphas in ([10.0, 1.0, 0.1], [0.1, 1.0, 10.0]):
        ours = RidgeCV(alphas=alphas).fit(X, np.full(30, 2.5))
        reference = sk.RidgeCV(alphas=alphas).fit(X, np.full(30, 2.5))
        assert ours.alpha_ == reference.alpha_ == alphas[0]


def test_float32_in_float32_out():
    X, y = _data(40, 5)
    ours = RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X.astype(np.float32),
                                                             y.astype(np.float32))
    reference = RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X.astype(np.float32)
                                                                  .astype(np.float64),
                                                                  y.astype(np.float32))
    assert ours.coef_.dtype == ours.cv_results_.dtype == np.float32
    assert ours.alpha_ == reference.alpha_
    assert_close_to_scale(ours.coef_, reference.coef_, 1e-6)  # one float32 rounding


def test_feature_names_and_scalar_alphas():
    pd = pytest.importorskip("pandas")
    X, y = _data(30, 3)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = RidgeCV(alphas=2.0).fit(frame, y)
    assert model.alpha_ == 2.0 and list(model.feature_names_in_) == ["a", "b", "c"]
    assert model.n_features_in_ == 3


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"alphas": [1.0, 0.0]}, ValueError, r"positive penalties \(leave-one-out"),
        ({"alphas": [1.0, -1.0], "cv": 3}, ValueError, "non-negative penalties"),
        ({"alphas": []}, ValueError, "non-empty 1-D list"),
        ({"alphas": [[1.0, 2.0]]}, ValueError, "non-empty 1-D list"),
        ({"alphas": [1.0, np.nan]}, ValueError, "NaN"),
        ({"alphas": ["a"]}, TypeError, "alphas"),
        ({"gcv_mode": "svd"}, ValueError, "gcv_mode='svd' .* is not available"),
        ({"gcv_mode": "fast"}, ValueError, "gcv_mode must be one of"),
        ({"cv": 3, "store_cv_results": True}, ValueError, "store_cv_results=True are incompat"),
        ({"cv": 3, "alpha_per_target": True}, ValueError, "alpha_per_target=True are incompat"),
        ({"scoring": ["r2", "neg_mean_squared_error"]}, TypeError, "scoring must be None, a"),
        ({"scoring": "accuracy_typo"}, ValueError, "scoring must be one of"),
        ({"fit_intercept": "yes"}, TypeError, "fit_intercept must be True or False"),
        ({"store_cv_results": 1}, TypeError, "store_cv_results must be True or False"),
    ],
)
def test_bad_parameters(kwargs, error, match):
    X, y = _data(20, 3)
    with pytest.raises(error, match=match):
        RidgeCV(**kwargs).fit(X, y)


def test_bad_data():
    X, y = _data(20, 3)
    with pytest.raises(ValueError, match="X and y have different numbers of samples"):
        RidgeCV().fit(X, y[:-1])
    with pytest.raises(ValueError, match="NaN"):
        RidgeCV().fit(np.where(X > 3, np.nan, X), y)
    with pytest.raises(ValueError, match="sample_weight has 19 entries"):
        RidgeCV().fit(X, y, sample_weight=np.ones(19))
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        RidgeCV().fit(X, y, sample_weight=-np.ones(20))


def _expected_failed_checks(estimator):
    """The suite's one expected failure and, while Ridge takes neither sample_weight nor a 2-D
    y, the checks that reach Ridge with them: those of the k-fold estimator, and the weight
    equivalence check, which gives every estimator with a ``cv`` parameter explicit folds."""
    failures = dict(expected_failed_checks(estimator))
    if estimator.cv is not None and not RIDGE_TAKES_SEVERAL_TARGETS:
        failures["check_regressor_multioutput"] = (
            "with folds RidgeCV refits Ridge, which takes no 2-D y yet")
    if not RIDGE_TAKES_WEIGHTS:
        reason = "with folds RidgeCV refits Ridge, which takes no sample_weight yet"
        failures["check_sample_weight_equivalence_on_dense_data"] = reason
        if estimator.cv is not None:
            failures.update(dict.fromkeys(
                ["check_sample_weights_pandas_series", "check_sample_weights_not_an_array",
                 "check_sample_weights_list", "check_sample_weights_shape",
                 "check_sample_weights_not_overwritten"], reason))
    return failures


@parametrize_with_checks([RidgeCV(), RidgeCV(alphas=[0.0, 1.0], cv=3)],
                         expected_failed_checks=_expected_failed_checks)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
