"""scikit-learn's string scorers and meta-estimators on every fromscratch estimator, alone and
as the last step of a fromscratch Pipeline.

scikit-learn finds an estimator's ``predict``/``predict_proba``/``decision_function`` by name
and turns a failed scorer into NaN with only a warning, so a pipeline whose methods it cannot
find makes ``cross_val_score`` return NaN and ``GridSearchCV`` pick its first candidate. Each
score here must be finite and equal the metric computed by hand from the fitted model's own
predictions, and the search must pick the candidate whose by-hand score is best.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from fromscratch import model_selection
from fromscratch.base import clone as our_clone
from fromscratch.compose import make_pipeline
from fromscratch.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from fromscratch.nn import MLPClassifier, MLPRegressor
from fromscratch.preprocessing import StandardScaler

pytest.importorskip("sklearn")
from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score  # noqa: E402

REGRESSION_SCORERS = ["r2", "neg_mean_squared_error"]
CLASSIFICATION_SCORERS = ["accuracy", "roc_auc", "neg_log_loss"]
MLP = {"hidden_layer_sizes": (8,), "max_iter": 300, "learning_rate_init": 0.01,
       "random_state": 0}

# (estimator, hyper-parameter, [a useless value, a good value]). The useless value comes
# first: a search that scores every candidate NaN picks the first one, so it must lose. Each
# useless value makes the model predict (nearly) a constant: no intercept for a target whose
# mean is 3, a penalty strong enough to zero every coefficient or shrink every weight.
REGRESSORS = [
    (LinearRegression(), "fit_intercept", [False, True]),
    (Ridge(), "alpha", [1e6, 1e-2]),
    (Lasso(), "alpha", [100.0, 1e-2]),
    (ElasticNet(), "alpha", [100.0, 1e-2]),
    (MLPRegressor(**MLP), "alpha", [1e3, 1e-4]),
]
CLASSIFIERS = [
    (LogisticRegression(l1_ratio=1.0), "C", [1e-4, 1.0]),
    (MLPClassifier(**MLP), "alpha", [1e3, 1e-4]),
]
CASES = [(est, name, values, scoring) for est, name, values in REGRESSORS
         for scoring in REGRESSION_SCORERS] + [
    (est, name, values, scoring) for est, name, values in CLASSIFIERS
    for scoring in CLASSIFICATION_SCORERS]
each_scorer_on_each_estimator = pytest.mark.parametrize(
    ("estimator", "name", "values", "scoring"), CASES,
    ids=[f"{type(case[0]).__name__}-{case[3]}" for case in CASES])
alone_and_in_a_pipeline = pytest.mark.parametrize("as_pipeline", [False, True],
                                                  ids=["estimator", "pipeline"])


def _data(estimator):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    signal = X @ np.array([1.5, -2.0, 0.0, 1.0])
    if getattr(estimator, "_estimator_type", None) == "classifier":
        return X, (signal + 0.5 + rng.normal(size=120) > 0).astype(int)
    return X, signal + 3.0 + 0.5 * rng.normal(size=120)


def _by_hand(scoring, model, X, y):
    """The score from the model's predictions, with the textbook formula of each metric."""
    if scoring in REGRESSION_SCORERS:
        residual = y - model.predict(X)
        if scoring == "r2":
            return 1 - residual @ residual / np.sum((y - y.mean()) ** 2)
        return -np.mean(residual**2)
    if scoring == "accuracy":
        return np.mean(model.predict(X) == y)
    if scoring == "neg_log_loss":
        return np.mean(np.log(model.predict_proba(X)[np.arange(len(y)), y]))
    # AUC = P(score of a positive > score of a negative) + ½ P(tie), over all pairs. The
    # scorer ranks by decision_function where the model has one, else by predict_proba.
    if hasattr(model, "decision_function"):
        score = model.decision_function(X)
    else:
        score = model.predict_proba(X)[:, 1]
    positive, negative = score[y == 1], score[y == 0]
    return np.mean((positive[:, None] > negative) + 0.5 * (positive[:, None] == negative))


def _problem(estimator, name, as_pipeline):
    """The model (the estimator, or a pipeline ending with it), the name of the grid's
    hyper-parameter in it, the data and three shuffled folds."""
    model, param = clone(estimator), name
    if as_pipeline:
        model = make_pipeline(StandardScaler(), model)
        param = f"{model.steps[-1][0]}__{name}"
    X, y = _data(estimator)
    return model, param, X, y, list(KFold(3, shuffle=True, random_state=0).split(X))


def _cross_validated_by_hand(scoring, model, X, y, folds):
    return [_by_hand(scoring, clone(model).fit(X[train], y[train]), X[test], y[test])
            for train, test in folds]


@pytest.fixture(autouse=True)
def _quiet():
    # The useless candidates leave the MLPs far from converged on purpose.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(converge|max_iter).*")
        yield


@alone_and_in_a_pipeline
@each_scorer_on_each_estimator
def test_cross_val_score_equals_the_metric_by_hand(estimator, name, values, scoring,
                                                   as_pipeline):
    model, _, X, y, folds = _problem(estimator, name, as_pipeline)
    # error_score="raise": a scorer that cannot call the model fails here instead of a NaN.
    scores = cross_val_score(model, X, y, cv=folds, scoring=scoring, error_score="raise")
    expected = _cross_validated_by_hand(scoring, model, X, y, folds)
    # The same predictions summed in another order: equal to rounding (scores are O(1)).
    np.testing.assert_allclose(scores, expected, rtol=1e-12, atol=1e-12)
    # fromscratch's own cross_val_score and scorer names agree with scikit-learn's.
    ours = model_selection.cross_val_score(model, X, y, cv=folds, scoring=scoring)
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


@alone_and_in_a_pipeline
@each_scorer_on_each_estimator
def test_grid_search_picks_the_really_best_candidate(estimator, name, values, scoring,
                                                     as_pipeline):
    model, param, X, y, folds = _problem(estimator, name, as_pipeline)
    search = GridSearchCV(model, {param: values}, cv=folds, scoring=scoring,
                          error_score="raise").fit(X, y)
    by_hand = [np.mean(_cross_validated_by_hand(
        scoring, clone(model).set_params(**{param: value}), X, y, folds)) for value in values]
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], by_hand, rtol=1e-12,
                               atol=1e-12)
    assert by_hand[1] > by_hand[0] + 0.01  # the grid is built so the last value clearly wins
    assert search.best_index_ == 1 and search.best_params_ == {param: values[1]}
    refit = search.best_estimator_
    assert search.score(X, y) == pytest.approx(_by_hand(scoring, refit, X, y), rel=1e-12)


@pytest.mark.parametrize("clone_function", [clone, our_clone], ids=["sklearn", "fromscratch"])
@alone_and_in_a_pipeline
@pytest.mark.parametrize(("estimator", "name", "values"), REGRESSORS + CLASSIFIERS,
                         ids=[type(c[0]).__name__ for c in REGRESSORS + CLASSIFIERS])
def test_clone_gives_an_unfitted_equal_model(estimator, name, values, as_pipeline,
                                             clone_function):
    model, param, X, y, _ = _problem(estimator, name, as_pipeline)
    model.set_params(**{param: values[1]}).fit(X, y)
    copy = clone_function(model)
    assert copy is not model and type(copy) is type(model)
    assert copy.get_params()[param] == values[1]
    last = copy.steps[-1][1] if as_pipeline else copy
    original_last = model.steps[-1][1] if as_pipeline else model
    assert last is not original_last and not hasattr(last, "n_features_in_")
    np.testing.assert_array_equal(copy.fit(X, y).predict(X), model.predict(X))
