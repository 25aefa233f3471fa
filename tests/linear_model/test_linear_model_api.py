"""The scikit-learn estimator contract for every regressor of fromscratch.linear_model."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from fromscratch.base import NotFittedError
from fromscratch.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from fromscratch.linear_model._iterative import GRADIENT_SOLVER_PARAMETERS, GradientSolverParams
from sklearn_checks import expected_failed_checks

ESTIMATORS = [
    LinearRegression(),
    LinearRegression(solver="cholesky"),
    Ridge(),
    Ridge(solver="qr"),
    Lasso(),
    Lasso(solver="fista"),
    ElasticNet(),
    ElasticNet(selection="random", random_state=0),
]

# Checks that fail because of the shared input validation (fromscratch._validation / base), not
# because of these estimators; each reason says what the check expects.




@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def regression_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((60, 4))
    return X, X @ np.array([1.0, -2.0, 0.0, 0.5]) + 0.1 * rng.standard_normal(60)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_clone_pipeline_and_grid_search(estimator):
    X, y = regression_data()
    copy = clone(estimator)
    assert copy.get_params() == estimator.get_params() and not hasattr(copy, "coef_")
    pipe = Pipeline([("scale", StandardScaler()), ("model", clone(estimator))]).fit(X, y)
    X_scaled = StandardScaler().fit_transform(X)
    by_hand = clone(estimator).fit(X_scaled, y).score(X_scaled, y)
    np.testing.assert_allclose(pipe.score(X, y), by_hand, rtol=1e-12)
    assert by_hand > 0.4
    grid = {"model__fit_intercept": [True, False]}
    search = GridSearchCV(Pipeline([("model", clone(estimator))]), grid, cv=3).fit(X, y)
    assert search.best_params_["model__fit_intercept"] in (True, False)


@pytest.mark.parametrize("cls", [LinearRegression, Ridge, LogisticRegression])
def test_gradient_solver_parameters_are_stored_as_given(cls):
    """Each shared gradient-solver hyper-parameter is stored from its own argument (a distinct
    object each, so a swapped or dropped one shows), and the names GradientSolverParams
    declares are exactly its rule table's."""
    given = {name: object() for name in GRADIENT_SOLVER_PARAMETERS}
    params = cls(**given).get_params()
    assert all(params[name] is value for name, value in given.items())
    assert set(GradientSolverParams.__annotations__) == set(GRADIENT_SOLVER_PARAMETERS)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_score_is_r2(estimator):
    X, y = regression_data()
    model = clone(estimator).fit(X, y)
    residual = y - model.predict(X)
    expected = 1 - residual @ residual / np.sum((y - y.mean()) ** 2)
    np.testing.assert_allclose(model.score(X, y), expected, rtol=1e-12)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_bad_input(estimator):
    X, y = regression_data()
    model = clone(estimator)
    with pytest.raises(NotFittedError, match="not fitted"):
        model.predict(X)
    with pytest.raises(ValueError, match="different numbers of samples"):
        model.fit(X, y[:-1])
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        model.fit(X_nan, y)
    y_inf = y.copy()
    y_inf[0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        model.fit(X, y_inf)
    with pytest.raises(ValueError, match="2-D"):
        model.fit(X[:, 0], y)
    model.fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but .* 4 features"):
        model.predict(X[:, :3])
    with pytest.raises(ValueError, match="NaN"):
        model.predict(X_nan)


def test_feature_names_are_recorded_and_checked():
    pd = pytest.importorskip("pandas")
    X, y = regression_data()
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    model = LinearRegression().fit(frame, y)
    assert list(model.feature_names_in_) == ["a", "b", "c", "d"]
    with pytest.raises(ValueError, match="feature names"):
        model.predict(frame[["b", "a", "c", "d"]])
