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


# -- a subclass that adds hyper-parameters passes its parent's on with **params ----------------


class ShiftedMeanRegressor(MeanRegressor):
    """Adds ``scale``; ``shift`` and ``inner`` are MeanRegressor's, with its defaults."""

    def __init__(self, scale=1.0, **params):
        super().__init__(**params)
        self.scale = scale


class FixedShiftRegressor(ShiftedMeanRegressor):
    """Fixes the parent's ``shift`` (a class attribute): no longer a parameter."""

    shift = 5.0

    def __init__(self, scale=1.0, **params):
        super().__init__(scale, shift=self.shift, **params)


def test_forwarded_parameters_join_the_signature():
    import inspect

    parameters = inspect.signature(ShiftedMeanRegressor).parameters
    assert list(parameters) == ["scale", "shift", "inner"]
    assert parameters["scale"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert parameters["shift"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["shift"].default == 0.0 and parameters["inner"].default is None
    assert list(inspect.signature(FixedShiftRegressor).parameters) == ["scale", "inner"]


def test_forwarded_parameters_behave_as_written_out():
    model = ShiftedMeanRegressor(2.0, shift=1.5)
    assert model.get_params(deep=False) == {"inner": None, "scale": 2.0, "shift": 1.5}
    assert repr(model) == "ShiftedMeanRegressor(scale=2.0, shift=1.5)"
    assert clone(model).get_params(deep=False) == model.get_params(deep=False)
    with pytest.raises(TypeError, match="shfit"):
        ShiftedMeanRegressor(shfit=1.0)
    fixed = FixedShiftRegressor(inner=None)
    assert fixed.get_params(deep=False) == {"inner": None, "scale": 1.0}
    assert fixed.shift == 5.0
    with pytest.raises(ValueError, match="Invalid parameter 'shift'"):
        fixed.set_params(shift=1.0)


def test_forwarding_to_a_parent_without_parameters_is_an_error():
    with pytest.raises(TypeError, match=r"passes \*\*params on to a parent"):
        class Orphan(BaseEstimator):
            def __init__(self, a=1, **params):
                self.a = a


@pytest.mark.parametrize("name", ["ElasticNet", "Lasso", "ElasticNetCV", "LassoCV",
                                  "MLPClassifier", "MLPRegressor"])
def test_estimators_with_forwarded_parameters_match_scikit_learn(name):
    """Every hyper-parameter our estimator shares with scikit-learn's has its default; the
    forwarded ones included (a default written once, in the parent, reaches every subclass)."""
    import inspect

    import sklearn.linear_model
    import sklearn.neural_network

    import fromscratch.linear_model
    import fromscratch.nn

    ours = getattr(fromscratch.linear_model, name, None) or getattr(fromscratch.nn, name)
    theirs = (getattr(sklearn.linear_model, name, None)
              or getattr(sklearn.neural_network, name))
    our_defaults = {p.name: p.default for p in inspect.signature(ours).parameters.values()}
    their_defaults = {p.name: p.default for p in inspect.signature(theirs).parameters.values()}
    assert set(our_defaults) == set(ours().get_params(deep=False))
    shared = set(our_defaults) & set(their_defaults)
    assert len(shared) >= 6
    differ = {n for n in shared if our_defaults[n] != their_defaults[n]}
    assert not differ, {n: (our_defaults[n], their_defaults[n]) for n in differ}
    assert ("l1_ratio" in our_defaults) == ("l1_ratio" in their_defaults)


@pytest.mark.parametrize("make", ["LogisticRegression", "MLPClassifier"])
def test_a_conversion_warning_points_at_the_users_line(make):
    """However deep in the library the warning is raised (each estimator validates ``y`` at
    its own depth), it names this file's line, as Python's own warnings name the caller."""
    import fromscratch.linear_model
    import fromscratch.nn
    from fromscratch.exceptions import DataConversionWarning

    estimator = getattr(fromscratch.linear_model, make, None) or getattr(fromscratch.nn, make)
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = (X[:, :1] > 0).astype(float)  # a column vector
    options = {"max_iter": 3} if make == "MLPClassifier" else {}
    with pytest.warns(DataConversionWarning, match="column-vector y") as record:
        estimator(**options).fit(X, y)
    [warning] = [r for r in record if issubclass(r.category, DataConversionWarning)]
    assert warning.filename == __file__
