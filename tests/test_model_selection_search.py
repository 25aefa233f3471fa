"""GridSearchCV, ParameterGrid and cross_validate against scikit-learn's, on the same folds.

The same (fromscratch) estimator goes into both searches, so every fit is the same and the
searches must agree on everything they derive from the fits: per-split scores, means, standard
deviations, ranks (ties and failed fits included), the best candidate and its refit.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch.base import BaseEstimator, RegressorMixin
from fromscratch.compose import make_pipeline
from fromscratch.exceptions import FitFailedWarning, NotFittedError
from fromscratch.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from fromscratch.model_selection import (
    GridSearchCV,
    ParameterGrid,
    cross_val_score,
    cross_validate,
    get_scorer,
    learning_curve,
    validation_curve,
)
from fromscratch.model_selection._search import _rank_min
from fromscratch.preprocessing import StandardScaler

sk = pytest.importorskip("sklearn.model_selection")
pd = pytest.importorskip("pandas")
from scipy.stats import rankdata  # noqa: E402
from sklearn.exceptions import FitFailedWarning as SkFitFailedWarning  # noqa: E402
from sklearn.linear_model import Ridge as SkRidge  # noqa: E402
from sklearn.metrics import get_scorer as sk_get_scorer  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from sklearn_checks import expected_failed_checks  # noqa: E402
from tolerance import assert_close_to_scale  # noqa: E402

FAST = settings(max_examples=40, deadline=None)
TIME_KEYS = {"mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"}


def _regression(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)) + 2.0
    return X, X @ np.array([1.5, -2.0, 0.0, 0.7]) + 3.0 + 0.8 * rng.normal(size=n)


def _classification(n=90, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    logit = X @ np.array([1.5, -1.0, 0.3]) + 0.2
    return X, (logit + rng.logistic(size=n) > 0).astype(int)


def _folds(X, k=4):
    return list(sk.KFold(k, shuffle=True, random_state=0).split(X))


def _close(ours, reference):
    """Equal to rounding, relative to the scale of the reference (scores cross zero)."""
    assert_close_to_scale(ours, reference, 1e-12)


def _assert_same_cv_results(ours, reference):
    assert set(ours) == set(reference)
    for key, value in reference.items():
        if key in TIME_KEYS:
            assert np.all(ours[key] >= 0) and ours[key].shape == value.shape
        elif key == "params":
            assert ours[key] == value
        elif key.startswith("param_"):
            np.testing.assert_array_equal(np.ma.getmaskarray(ours[key]),
                                          np.ma.getmaskarray(value))
            assert ours[key].dtype == value.dtype, key
            assert ours[key].compressed().tolist() == value.compressed().tolist(), key
        elif key.startswith("rank_"):
            np.testing.assert_array_equal(ours[key], value)
            assert ours[key].dtype == value.dtype
        else:
            _close(ours[key], value)


SEARCHES = {
    "ridge": (Ridge(), {"alpha": [0.01, 1.0, 30.0, 1000.0]}, _regression, None),
    "lasso": (Lasso(tol=1e-10, max_iter=10_000),
              {"alpha": [0.01, 0.3, 3.0], "fit_intercept": [True, False]}, _regression,
              "neg_mean_squared_error"),
    "logistic": (LogisticRegression(), {"C": [0.01, 0.1, 1.0, 10.0]}, _classification,
                 "neg_log_loss"),
    "pipeline": (make_pipeline(StandardScaler(), Ridge()),
                 [{"ridge__alpha": [0.1, 10.0]},
                  {"ridge__alpha": [1.0], "standardscaler__with_std": [False]}],
                 _regression, "r2"),
}


@pytest.mark.parametrize("name", SEARCHES)
@pytest.mark.parametrize("cv", ["folds", 3])
def test_grid_search_equals_sklearn(name, cv):
    estimator, grid, data, scoring = SEARCHES[name]
    X, y = data()
    cv = _folds(X) if cv == "folds" else cv  # an int: stratified folds for the classifier
    ours = GridSearchCV(estimator, grid, scoring=scoring, cv=cv,
                        return_train_score=True).fit(X, y)
    reference = sk.GridSearchCV(estimator, grid, scoring=scoring, cv=cv,
                                return_train_score=True).fit(X, y)
    _assert_same_cv_results(ours.cv_results_, reference.cv_results_)
    assert ours.best_index_ == reference.best_index_
    assert ours.best_params_ == reference.best_params_
    _close(ours.best_score_, reference.best_score_)
    assert ours.n_splits_ == reference.n_splits_ and ours.refit_time_ >= 0
    _close(ours.predict(X), reference.predict(X))
    _close(ours.score(X, y), reference.score(X, y))
    assert ours.n_features_in_ == X.shape[1]


def test_grid_search_multimetric_refit_by_name_equals_sklearn():
    X, y = _classification()
    scoring = {"acc": "accuracy", "ll": "neg_log_loss", "auc": "roc_auc",
               "brier": "neg_brier_score", "bal": "balanced_accuracy"}
    grid = {"C": [0.001, 0.1, 10.0], "fit_intercept": [True, False]}
    ours = GridSearchCV(LogisticRegression(), grid, scoring=scoring, refit="ll", cv=5,
                        return_train_score=True).fit(X, y)
    reference = sk.GridSearchCV(LogisticRegression(), grid, scoring=scoring, refit="ll", cv=5,
                                return_train_score=True).fit(X, y)
    _assert_same_cv_results(ours.cv_results_, reference.cv_results_)
    assert ours.multimetric_ and set(ours.scorer_) == set(scoring)
    assert (ours.best_index_, ours.best_params_) == (reference.best_index_,
                                                     reference.best_params_)
    _close(ours.best_score_, reference.best_score_)
    _close(ours.score(X, y), reference.score(X, y))  # the refit metric, "ll"
    _close(ours.predict_proba(X), reference.predict_proba(X))
    np.testing.assert_array_equal(ours.classes_, [0, 1])
    # A list of names is several metrics named by themselves.
    listed = GridSearchCV(LogisticRegression(), grid, scoring=["accuracy", "roc_auc"],
                          refit="roc_auc", cv=5).fit(X, y)
    _close(listed.cv_results_["mean_test_roc_auc"],
                  reference.cv_results_["mean_test_auc"])


def test_grid_search_refit_callable_and_refit_false_equal_sklearn():
    X, y = _regression()
    grid = {"alpha": [0.1, 1.0, 10.0, 100.0]}

    def simplest_within_one_std(results):  # the largest alpha within one std of the best
        best = np.argmax(results["mean_test_score"])
        ok = results["mean_test_score"] >= (results["mean_test_score"][best]
                                            - results["std_test_score"][best])
        return int(np.flatnonzero(ok)[-1])

    ours = GridSearchCV(Ridge(), grid, refit=simplest_within_one_std, cv=5).fit(X, y)
    reference = sk.GridSearchCV(Ridge(), grid, refit=simplest_within_one_std, cv=5).fit(X, y)
    assert ours.best_index_ == reference.best_index_ and not hasattr(ours, "best_score_")
    _close(ours.best_estimator_.coef_, reference.best_estimator_.coef_)

    no_refit = GridSearchCV(Ridge(), grid, refit=False, cv=5).fit(X, y)
    assert no_refit.best_params_ == GridSearchCV(Ridge(), grid, cv=5).fit(X, y).best_params_
    assert not hasattr(no_refit, "best_estimator_") and not hasattr(no_refit, "predict")
    with pytest.raises(AttributeError, match="refit=False"):
        no_refit.predict(X)
    multi = GridSearchCV(Ridge(), grid, scoring=["r2", "neg_mean_squared_error"],
                         refit=False, cv=5).fit(X, y)
    assert not hasattr(multi, "best_index_") and "rank_test_r2" in multi.cv_results_


def test_ranks_of_ties_and_failed_fits_equal_sklearn():
    """Equal means share the best rank among them ("min"); a failed candidate (NaN) ranks
    with the worst; the first rank-1 candidate is the best."""
    X, y = _regression()
    grid = {"alpha": [10.0, -1.0, 0.1, 10.0, 0.1]}  # Ridge(alpha=-1) refuses to fit
    with pytest.warns(FitFailedWarning, match="4 of 20 fits failed"):
        ours = GridSearchCV(Ridge(), grid, cv=4).fit(X, y)
    with pytest.warns(SkFitFailedWarning):
        reference = sk.GridSearchCV(Ridge(), grid, cv=4).fit(X, y)
    _assert_same_cv_results(ours.cv_results_, reference.cv_results_)
    np.testing.assert_array_equal(ours.cv_results_["rank_test_score"], [3, 5, 1, 3, 1])
    assert ours.best_index_ == reference.best_index_ == 2


@FAST
@given(st.lists(st.one_of(st.sampled_from([0.5, -1.0, 2.0, np.nan]),
                          st.floats(-5, 5)), min_size=1, max_size=12))
def test_rank_min_is_scipy_rankdata_min_with_nan_worst(means):
    means = np.array(means)
    expected = (np.ones(len(means)) if np.isnan(means).all() else
                rankdata(-np.where(np.isnan(means), np.nanmin(means) - 1, means),
                         method="min"))
    np.testing.assert_array_equal(_rank_min(means), expected)


def test_error_score_values_raise_and_all_failed():
    X, y = _regression()
    grid = {"alpha": [1.0, -1.0]}
    with pytest.warns(FitFailedWarning, match=r"error_score=0\.5"):
        search = GridSearchCV(Ridge(), grid, cv=3, error_score=0.5).fit(X, y)
    np.testing.assert_array_equal(search.cv_results_["split0_test_score"][1], 0.5)
    with pytest.raises(ValueError, match="alpha"):  # the fit's own error, at once
        GridSearchCV(Ridge(), grid, cv=3, error_score="raise").fit(X, y)
    with pytest.raises(ValueError, match="All the 3 fits failed"):
        GridSearchCV(Ridge(), {"alpha": [-1.0]}, cv=3).fit(X, y)
    with pytest.raises(ValueError, match="error_score must be 'raise' or a number"):
        GridSearchCV(Ridge(), grid, error_score="nan").fit(X, y)


class _FailingScorer:
    def __call__(self, estimator, X, y):
        raise RuntimeError("no score today")


def test_a_failing_scorer_scores_error_score_with_a_warning():
    X, y = _regression()
    with pytest.warns(UserWarning, match="Scoring 'score' failed"):
        scores = cross_val_score(Ridge(), X, y, cv=3, scoring=_FailingScorer())
    assert np.isnan(scores).all()
    with pytest.raises(RuntimeError, match="no score today"):
        cross_val_score(Ridge(), X, y, cv=3, scoring=_FailingScorer(), error_score="raise")
    with pytest.raises(ValueError, match="must return a number"):
        cross_val_score(Ridge(), X, y, cv=3, scoring=lambda est, X, y: "good")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"scoring": ["r2", "r2"]}, ValueError, "twice"),
        ({"scoring": []}, ValueError, "one or more"),
        ({"scoring": {}}, ValueError, "one or more"),
        ({"scoring": ["r2", len]}, ValueError, "scorer names"),
        ({"scoring": 3}, TypeError, "scoring must be"),
        ({"scoring": ["r2", "neg_mean_squared_error"]}, ValueError, "refit must name"),
        ({"scoring": ["r2"], "refit": "mse"}, ValueError, "metric name among"),
        ({"refit": "r2"}, ValueError, "True, False or a callable"),
        ({"refit": lambda results: 7}, IndexError, "out of range"),
        ({"refit": lambda results: 0.0}, TypeError, "must return an int"),
        ({"param_grid": {"alpha": 1.0}}, TypeError, r"Wrap a single value in a list: \[1.0\]"),
        ({"param_grid": {"alpha": []}}, ValueError, "empty"),
        ({"param_grid": {"alpha": np.ones((2, 2))}}, ValueError, "1-D"),
        ({"param_grid": {"alpha": "abc"}}, TypeError, "list or a 1-D array"),
        ({"param_grid": "alpha"}, TypeError, "param_grid must be"),
        ({"param_grid": [{"alpha": [1.0]}, 3]}, TypeError, "must be a dict"),
        ({"param_grid": {"alpah": [1.0]}}, ValueError, "Invalid parameter 'alpah'"),
        ({"return_train_score": "yes"}, TypeError, "return_train_score"),
    ],
)
def test_grid_search_bad_input(kwargs, error, match):
    X, y = _regression()
    kwargs = {"param_grid": {"alpha": [0.1, 1.0]}, **kwargs}
    with pytest.raises(error, match=match):
        GridSearchCV(Ridge(), cv=3, **kwargs).fit(X, y)


def test_delegated_methods_exist_only_when_the_best_estimator_has_them():
    X, y = _classification()
    classifier = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3)
    assert hasattr(classifier, "predict_proba")  # before fit: the estimator's methods
    with pytest.raises(NotFittedError):
        classifier.predict(X)
    classifier.fit(X, y)
    best = classifier.best_estimator_
    for method in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        np.testing.assert_array_equal(getattr(classifier, method)(X), getattr(best, method)(X))
    assert classifier.score(X, y) == best.score(X, y)
    regressor = GridSearchCV(LinearRegression(), {"fit_intercept": [True, False]}, cv=3)
    for fitted in (False, True):
        if fitted:
            regressor.fit(*_regression())
        assert not hasattr(regressor, "predict_proba") and not hasattr(regressor, "transform")
    with pytest.raises(AttributeError, match="has no predict_proba: its best estimator"):
        regressor.predict_proba(X)
    assert GridSearchCV.predict.__name__ == "predict"  # a real method on the class
    scaler = GridSearchCV(StandardScaler(), {"with_mean": [True, False]}, cv=3,
                          scoring=lambda est, X, y: -np.abs(est.transform(X)).mean()).fit(X)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X)), X)
    assert not hasattr(scaler, "predict")


def test_grid_search_on_dataframes_sklearn_estimators_and_fit_params():
    X, y = _regression()
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, cv=3).fit(frame, pd.Series(y))
    assert search.feature_names_in_.tolist() == ["a", "b", "c", "d"]
    # A scikit-learn estimator in our search, and ours in theirs, give the same results.
    ours = GridSearchCV(SkRidge(), {"alpha": [0.1, 10.0]}, cv=3, return_train_score=True)
    reference = sk.GridSearchCV(SkRidge(), {"alpha": [0.1, 10.0]}, cv=3,
                                return_train_score=True)
    _assert_same_cv_results(ours.fit(X, y).cv_results_, reference.fit(X, y).cv_results_)
    # Fit parameters reach every fit; those with one entry per sample are cut to the fold.
    w = np.random.default_rng(3).uniform(0.5, 2.0, size=len(y))
    folds = _folds(X, 3)
    ours = GridSearchCV(SkRidge(), {"alpha": [0.1, 10.0]}, cv=folds).fit(X, y, sample_weight=w)
    reference = sk.GridSearchCV(SkRidge(), {"alpha": [0.1, 10.0]}, cv=folds).fit(
        X, y, sample_weight=w)
    _close(ours.cv_results_["split1_test_score"],
                  reference.cv_results_["split1_test_score"])
    _close(ours.best_estimator_.coef_, reference.best_estimator_.coef_)


def test_grid_search_clones_estimators_given_as_values_and_is_an_estimator():
    X, y = _regression()
    steps = [Ridge(alpha=0.1), Lasso(alpha=0.1)]
    search = GridSearchCV(make_pipeline(StandardScaler(), Ridge()), {"ridge": steps}, cv=3)
    search.fit(X, y)
    assert all(not hasattr(step, "coef_") for step in steps)  # the grid's own are untouched
    assert search.get_params()["estimator__ridge__alpha"] == 1.0
    assert search.set_params(estimator__ridge__alpha=2.0).estimator.steps[1][1].alpha == 2.0
    assert search._estimator_type == "regressor"
    assert isinstance(search.cv_results_["param_ridge"].data[0], Ridge)


@parametrize_with_checks([GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=3),
                          GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3)],
                         expected_failed_checks=expected_failed_checks)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# ---------------------------------------------------------------------------------------------
# ParameterGrid
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("grid", [
    {"b": [True, False], "a": [1, 2, 3]},
    [{"kernel": ["linear"]}, {"kernel": ["rbf"], "gamma": [1, 10]}, {}],
    {"x": np.array([0.5, 1.5]), "y": ("p", "q"), "z": range(3)},
    {},
])
def test_parameter_grid_equals_sklearn(grid):
    ours, reference = ParameterGrid(grid), sk.ParameterGrid(grid)
    assert list(ours) == list(reference) and len(ours) == len(reference)
    assert [ours[i] for i in range(len(ours))] == list(reference)
    with pytest.raises(IndexError):
        ours[len(ours)]


@FAST
@given(st.lists(st.dictionaries(st.sampled_from("abcd"), st.lists(st.integers(), min_size=1,
                                                                     max_size=3),
                                max_size=3), min_size=1, max_size=3))
def test_parameter_grid_indexing_is_the_iteration_order(grids):
    grid = ParameterGrid(grids)
    assert [grid[i] for i in range(len(grid))] == list(grid) == list(sk.ParameterGrid(grids))
    # A negative index counts from the end, as in the list. (scikit-learn's answers to negative
    # indices are not the list's when a grid is empty or out of range, so the list is the
    # reference here.)
    assert [grid[-i] for i in range(1, len(grid) + 1)] == list(grid)[::-1]
    with pytest.raises(IndexError, match=rf"index {-len(grid) - 1} out of range"):
        grid[-len(grid) - 1]


# ---------------------------------------------------------------------------------------------
# cross_validate and cross_val_score
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scoring", [None, "neg_mean_absolute_error",
                                     ["r2", "neg_root_mean_squared_error"],
                                     {"mse": "neg_mean_squared_error", "r2": "r2"}])
def test_cross_validate_equals_sklearn(scoring):
    X, y = _regression()
    folds = _folds(X, 5)
    kwargs = dict(scoring=scoring, cv=folds, return_train_score=True, return_estimator=True,
                  return_indices=True)
    ours = cross_validate(make_pipeline(StandardScaler(), Ridge(alpha=3.0)), X, y, **kwargs)
    reference = sk.cross_validate(make_pipeline(StandardScaler(), Ridge(alpha=3.0)), X, y,
                                  **kwargs)
    assert set(ours) == set(reference)
    for key in reference:
        if key.startswith(("test_", "train_")):
            _close(ours[key], reference[key])
        elif key.endswith("_time"):
            assert ours[key].shape == (5,) and (ours[key] >= 0).all()
    for which in ("train", "test"):
        for a, b in zip(ours["indices"][which], reference["indices"][which], strict=True):
            np.testing.assert_array_equal(a, b)
    for model, ref_model in zip(ours["estimator"], reference["estimator"], strict=True):
        _close(model[-1].coef_, ref_model[-1].coef_)


class _FailsOnSmallFolds(RegressorMixin, BaseEstimator):
    """Least squares that refuses training sets of fewer than ``min_rows`` rows."""

    def __init__(self, min_rows=40):
        self.min_rows = min_rows

    def fit(self, X, y):
        X, y = self._validate_fit(X, y)
        if len(y) < self.min_rows:
            raise ValueError(f"only {len(y)} rows")
        self.model_ = LinearRegression().fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)


def test_partial_failures_score_error_score_as_in_sklearn():
    X, y = _regression(n=60)
    folds = [(np.arange(20, 60), np.arange(20)), (np.arange(30), np.arange(30, 60)),
             (np.arange(15, 60), np.arange(15))]
    for error_score in (np.nan, -7.0):
        with pytest.warns(FitFailedWarning, match=r"(?s)1 of 3 fits failed.*only 30 rows"):
            ours = cross_val_score(_FailsOnSmallFolds(), X, y, cv=folds,
                                   error_score=error_score)
        with pytest.warns(SkFitFailedWarning):
            reference = sk.cross_val_score(_FailsOnSmallFolds(), X, y, cv=folds,
                                           error_score=error_score)
        _close(ours, reference)
    with pytest.raises(ValueError, match="only 30 rows"):
        cross_val_score(_FailsOnSmallFolds(), X, y, cv=folds, error_score="raise")
    with pytest.raises(ValueError, match="All the 3 fits failed"):
        cross_val_score(Ridge(alpha=-1.0), X, y, cv=3)
    with pytest.raises(TypeError, match="use cross_validate"):
        cross_val_score(Ridge(), X, y, scoring=["r2"])


def test_scorers_without_sample_weight_are_named_in_a_warning():
    X, y = _regression()
    w = np.ones(len(y))
    with pytest.warns(UserWarning, match=r"scorers \['plain'\] take no sample_weight"):
        GridSearchCV(SkRidge(), {"alpha": [1.0]}, cv=3, refit="r2",
                     scoring={"plain": lambda est, X, y: 0.0, "r2": "r2"}).fit(
            X, y, sample_weight=w)


def test_curves_score_failed_fits_error_score_as_in_sklearn():
    X, y = _regression(n=60)
    kwargs = dict(train_sizes=[10, 45], cv=4)  # the 10-row fits fail (min_rows=40)
    with pytest.warns(FitFailedWarning, match="4 of 8 fits failed"):
        sizes, train, test = learning_curve(_FailsOnSmallFolds(), X, y, **kwargs)
    with pytest.warns(SkFitFailedWarning):
        reference = sk.learning_curve(_FailsOnSmallFolds(), X, y, **kwargs)
    np.testing.assert_array_equal(sizes, reference[0])
    _close(train, reference[1])
    _close(test, reference[2])
    assert np.isnan(test[0]).all() and np.isfinite(test[1]).all()
    with pytest.warns(FitFailedWarning, match="3 of 6 fits failed"):
        train, test = validation_curve(_FailsOnSmallFolds(), X, y, param_name="min_rows",
                                       param_range=[10, 100], cv=3)
    assert np.isfinite(test[0]).all() and np.isnan(test[1]).all()
    with pytest.raises(ValueError, match="only 40 rows"):
        validation_curve(_FailsOnSmallFolds(), X, y, param_name="min_rows",
                         param_range=[10, 100], cv=3, error_score="raise")


# ---------------------------------------------------------------------------------------------
# Scorers of the new metrics
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("scoring", ["neg_brier_score", "balanced_accuracy"])
def test_scorers_equal_sklearns(n_classes, scoring):
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(120, 3))
    y = np.argmax(X @ rng.normal(size=(3, n_classes)) + rng.gumbel(size=(120, n_classes)),
                  axis=1)
    y = np.array([2, 5, 7])[y]  # the positive class is classes_[1], the greater one
    model = LogisticRegression().fit(X, y)
    weight = rng.random(120)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "probabilities do not sum to 1" and the like
        for kwargs in ({}, {"sample_weight": weight}):
            expected = sk_get_scorer(scoring)(model, X, y, **kwargs)
            assert get_scorer(scoring)(model, X, y, **kwargs) == pytest.approx(expected,
                                                                               rel=1e-12)


def test_neg_brier_score_of_string_classes():
    """scikit-learn's scorer passes no pos_label, so its brier_score_loss refuses string
    classes; ours scores the probability of classes_[1] against it."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = np.where(X[:, 0] + rng.normal(size=60) > 0, "spam", "ham")
    model = LogisticRegression().fit(X, y)
    p_spam = model.predict_proba(X)[:, 1]
    assert get_scorer("neg_brier_score")(model, X, y) == pytest.approx(
        -np.mean(((y == "spam") - p_spam) ** 2), rel=1e-14)
