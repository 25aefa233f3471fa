"""The estimator contract: parameters, cloning, fit bookkeeping, scikit-learn interop."""

import numpy as np
import pandas as pd
import pytest

from fromscratch.base import (
    BaseEstimator,
    NotFittedError,
    RegressorMixin,
    TransformerMixin,
    check_is_fitted,
    clone,
)


class MeanRegressor(RegressorMixin, BaseEstimator):
    """Predicts shift + the training mean: the smallest estimator that uses the whole contract."""

    def __init__(self, shift=0.0, inner=None):
        self.shift = shift
        self.inner = inner

    def fit(self, X, y):
        X, y = self._validate_fit(X, y)
        self.mean_ = y.mean()
        return self

    def predict(self, X):
        X = self._validate_predict(X)
        return np.full(X.shape[0], self.mean_ + self.shift)


class Doubler(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        self._validate_fit(X)
        return self

    def transform(self, X):
        return 2 * self._validate_predict(X)


def test_get_and_set_params_including_nested():
    model = MeanRegressor(shift=1.0, inner=MeanRegressor(shift=2.0))
    params = model.get_params()
    assert params["shift"] == 1.0 and params["inner__shift"] == 2.0
    model.set_params(shift=3.0, inner__shift=4.0)
    assert model.shift == 3.0 and model.inner.shift == 4.0
    with pytest.raises(ValueError, match="Invalid parameter 'shfit'"):
        model.set_params(shfit=1)


def test_clone_copies_hyper_parameters_not_state():
    model = MeanRegressor(shift=1.0, inner=MeanRegressor(shift=2.0)).fit([[1.0], [2.0]], [1, 3])
    copy = clone(model)
    assert copy.shift == 1.0 and copy.inner is not model.inner and copy.inner.shift == 2.0
    assert not hasattr(copy, "mean_")
    with pytest.raises(TypeError, match="estimator instance"):
        clone(MeanRegressor)


def test_repr_shows_changed_parameters_only():
    assert repr(MeanRegressor()) == "MeanRegressor()"
    assert repr(MeanRegressor(shift=2.5)) == "MeanRegressor(shift=2.5)"


def test_not_fitted_error():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        MeanRegressor().predict([[1.0]])
    with pytest.raises(NotFittedError):
        check_is_fitted(MeanRegressor())


def test_feature_count_and_names_are_checked_at_predict():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [0.0, 1.0, 0.0]})
    model = MeanRegressor().fit(frame, [1.0, 2.0, 3.0])
    assert model.n_features_in_ == 2
    assert list(model.feature_names_in_) == ["a", "b"]
    with pytest.raises(ValueError, match="X has 3 features, but MeanRegressor is expecting 2"):
        model.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match="feature names"):
        model.predict(frame[["b", "a"]])
    # Refitting on a plain array forgets the names.
    assert not hasattr(model.fit(np.ones((3, 2)), [1, 2, 3]), "feature_names_in_")


def test_score_is_r2():
    X = np.arange(6.0).reshape(-1, 1)
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert MeanRegressor().fit(X, y).score(X, y) == pytest.approx(0.0)


def test_fit_transform():
    np.testing.assert_array_equal(Doubler().fit_transform([[1.0, 2.0]]), [[2.0, 4.0]])


def test_scikit_learn_sees_our_estimator_type():
    sklearn_base = pytest.importorskip("sklearn.base")
    from sklearn.model_selection import GridSearchCV

    assert sklearn_base.is_regressor(MeanRegressor())
    X = np.arange(20.0).reshape(-1, 1)
    y = np.arange(20.0)
    search = GridSearchCV(MeanRegressor(), {"shift": [0.0, 1.0]}, cv=2).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_params_ in ({"shift": 0.0}, {"shift": 1.0})
    assert sklearn_base.clone(MeanRegressor(shift=3.0)).shift == 3.0
