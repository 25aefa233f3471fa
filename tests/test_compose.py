"""fromscratch.compose against scikit-learn: ColumnTransformer and Pipeline values, names,
parameters, delegation and errors."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from fromscratch.base import BaseEstimator, NotFittedError, RegressorMixin
from fromscratch.compose import (
    ColumnTransformer,
    Pipeline,
    make_column_transformer,
    make_pipeline,
)
from fromscratch.linear_model import LogisticRegression as OurLogisticRegression
from fromscratch.linear_model import Ridge
from fromscratch.nn import MLPClassifier
from fromscratch.preprocessing import OneHotEncoder, PolynomialFeatures, StandardScaler
from tolerance import assert_close_to_scale

skp = pytest.importorskip("sklearn.preprocessing")
from sklearn.compose import ColumnTransformer as SkColumnTransformer  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline as SkPipeline  # noqa: E402


def _names(transformer, *args):
    return list(transformer.get_feature_names_out(*args))


# ---------------------------------------------------------------------------------------------
# ColumnTransformer
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("remainder", ["drop", "passthrough"])
@pytest.mark.parametrize("verbose", [True, False])
def test_column_transformer_equals_sklearn_on_dataframe(houses, remainder, verbose):
    def spec(scaler, encoder):
        return [("num", scaler, ["area", "year"]), ("cat", encoder, ["hood", "garage"]),
                ("skip", "drop", ["rooms"] if remainder == "drop" else [])]

    ours = ColumnTransformer(spec(StandardScaler(), OneHotEncoder()), remainder=remainder,
                             verbose_feature_names_out=verbose)
    ref = SkColumnTransformer(spec(skp.StandardScaler(),
                                   skp.OneHotEncoder(sparse_output=False)),
                              remainder=remainder, verbose_feature_names_out=verbose)
    np.testing.assert_allclose(ours.fit_transform(houses), ref.fit_transform(houses))
    np.testing.assert_allclose(ours.transform(houses.iloc[:3]), ref.transform(houses.iloc[:3]))
    assert _names(ours) == list(ref.get_feature_names_out())
    assert ours.output_indices_ == ref.output_indices_
    assert ours.n_features_in_ == 5 and list(ours.feature_names_in_) == list(houses.columns)


def test_column_transformer_on_arrays_with_positions_slices_and_masks():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 5))
    selectors = [([0, 1], [4]), (slice(0, 2), 4), ([True, False, True, False, False], [-1])]
    for first, second in selectors:
        def spec(scaler, poly, first=first, second=second):
            return [("scale", scaler, first), ("poly", poly, second)]

        ours = ColumnTransformer(spec(StandardScaler(), PolynomialFeatures(2)),
                                 remainder="passthrough")
        # scikit-learn passes a scalar selector as a 1-D column; we always pass 2-D.
        ref_second = [second] if np.ndim(second) == 0 else second
        ref = SkColumnTransformer(spec(skp.StandardScaler(), skp.PolynomialFeatures(2),
                                       second=ref_second), remainder="passthrough")
        assert_close_to_scale(ours.fit_transform(X), ref.fit_transform(X), rtol=1e-7, axis=0)
        assert _names(ours) == list(ref.get_feature_names_out())


def test_column_transformer_empty_selections_and_name_slices_equal_sklearn(houses):
    """An empty list selects no column of an array too (it was taken for a list of names and
    refused), and a slice of names includes both ends, as in scikit-learn (it failed inside
    NumPy)."""
    X = houses[["area", "year", "rooms"]]
    cases = [(X.to_numpy(), [("none", StandardScaler(), []), ("num", StandardScaler(), [0])]),
             (X, [("num", StandardScaler(), slice("area", "year"))]),
             (X, [("num", StandardScaler(), slice("year", None))]),
             (X, [("num", StandardScaler(), slice(None, "area"))])]
    for data, spec in cases:
        ref_spec = [(name, skp.StandardScaler(), columns) for name, _, columns in spec]
        ours = ColumnTransformer(spec, remainder="passthrough")
        ref = SkColumnTransformer(ref_spec, remainder="passthrough")
        np.testing.assert_allclose(ours.fit_transform(data), ref.fit_transform(data))
        assert ours.output_indices_ == ref.output_indices_
    with pytest.raises(ValueError, match=r"\['nope'\] are not in X"):
        ColumnTransformer([("a", StandardScaler(), slice("area", "nope"))]).fit(X)
    with pytest.raises(ValueError, match="by name, which needs a pandas DataFrame"):
        ColumnTransformer([("a", StandardScaler(), slice("area", "year"))]).fit(X.to_numpy())


def test_column_transformer_clones_and_exposes_fitted_parts(houses):
    scaler = StandardScaler()
    ct = make_column_transformer((scaler, ["area"]), (OneHotEncoder(), ["hood"]))
    ct.fit(houses)
    assert not hasattr(scaler, "mean_")  # the original stays unfitted
    assert set(ct.named_transformers_) == {"standardscaler", "onehotencoder", "remainder"}
    assert ct.named_transformers_["standardscaler"].mean_[0] == pytest.approx(
        houses["area"].mean())
    assert ct.get_params()["standardscaler__with_mean"] is True
    ct.set_params(standardscaler__with_mean=False)
    assert scaler.with_mean is False


@pytest.mark.parametrize(
    ("transformers", "kwargs", "X_kind", "error", "match"),
    [
        ([("a", StandardScaler(), ["area"])], {}, "array", ValueError, "needs a pandas"),
        ([("a", StandardScaler(), ["nope"])], {}, "frame", ValueError, r"\['nope'\] are not in X"),
        ([("a", StandardScaler(), [7])], {}, "array", ValueError, "out of range"),
        ([("a", StandardScaler(), [True])], {}, "array", ValueError, "boolean column mask"),
        ([("a", StandardScaler(), [1.5])], {}, "array", TypeError, "selected by name"),
        ([("a", object(), [0])], {}, "array", TypeError, "must have fit and transform"),
        ([("a", "keep", [0])], {}, "array", ValueError, "one of 'drop', 'passthrough'"),
        ([("a__b", "drop", [0])], {}, "array", ValueError, "without '__'"),
        ([("a", "drop", [0]), ("a", "drop", [1])], {}, "array", ValueError, "unique"),
        ([("a", "drop", [0])], {"remainder": "keep"}, "array", ValueError, "remainder"),
        ([("a", StandardScaler(), ["area", "hood"])], {}, "frame", TypeError, "strings"),
        ([], {"remainder": "passthrough"}, "frame", TypeError, "passed through"),
        ("nope", {}, "array", TypeError, "list of"),
    ],
)
def test_column_transformer_bad_input(houses, transformers, kwargs, X_kind, error, match):
    X = houses if X_kind == "frame" else houses[["area", "year"]].to_numpy()
    with pytest.raises(error, match=match):
        ColumnTransformer(transformers, **kwargs).fit(X)


def test_column_transformer_transform_checks(houses):
    ct = ColumnTransformer([("num", StandardScaler(), ["area"])]).fit(houses)
    with pytest.raises(ValueError, match="expecting 5 features"):
        ct.transform(houses[["area"]])
    with pytest.raises(ValueError, match="feature names"):
        ct.transform(houses.rename(columns={"year": "built"}))
    with pytest.raises(NotFittedError):
        ColumnTransformer([("num", StandardScaler(), ["area"])]).transform(houses)


# ---------------------------------------------------------------------------------------------
# Pipeline
# ---------------------------------------------------------------------------------------------


class _MeanRegressor(RegressorMixin, BaseEstimator):
    """Predicts the (weighted) training mean: a fit parameter shows routing works."""

    def __init__(self):  # no hyper-parameters
        pass

    def fit(self, X, y, sample_weight=None):
        X, y = self._validate_fit(X, y)
        self.mean_ = np.average(y, weights=sample_weight)
        return self

    def predict(self, X):
        return np.full(self._validate_predict(X).shape[0], self.mean_)


def test_our_pipeline_equals_sklearn_pipeline(houses):
    y = np.log(houses["area"].to_numpy() * 1000)
    X = houses.drop(columns="area")
    ours = make_pipeline(
        ColumnTransformer([("num", StandardScaler(), ["year", "rooms"]),
                           ("cat", OneHotEncoder(), ["hood"])]),
        PolynomialFeatures(2), LinearRegression())
    ref = SkPipeline([
        ("ct", SkColumnTransformer([("num", skp.StandardScaler(), ["year", "rooms"]),
                                    ("cat", skp.OneHotEncoder(sparse_output=False),
                                     ["hood"])])),
        ("poly", skp.PolynomialFeatures(2)), ("lr", LinearRegression())])
    np.testing.assert_allclose(ours.fit(X, y).predict(X), ref.fit(X, y).predict(X))
    assert ours.score(X, y) == pytest.approx(ref.score(X, y))
    assert _names(ours[:-1]) == list(ref[:-1].get_feature_names_out())
    assert list(ours.named_steps) == ["columntransformer", "polynomialfeatures",
                                      "linearregression"]
    assert ours.n_features_in_ == 4 and list(ours.feature_names_in_) == list(X.columns)


def test_sklearn_pipeline_and_grid_search_use_our_transformers():
    rng = np.random.default_rng(1)
    X = rng.uniform(-2, 2, size=(60, 2))
    y = 1 + X[:, 0] ** 2 - X[:, 0] * X[:, 1] + 0.01 * rng.normal(size=60)
    sk_pipe = SkPipeline([("scale", StandardScaler()), ("poly", PolynomialFeatures()),
                          ("lr", LinearRegression())])
    ref = SkPipeline([("scale", skp.StandardScaler()), ("poly", skp.PolynomialFeatures()),
                      ("lr", LinearRegression())])
    assert_close_to_scale(sk_pipe.fit(X, y).predict(X), ref.fit(X, y).predict(X), rtol=1e-7)
    # GridSearchCV clones our pipeline and sets nested parameters by name
    search = GridSearchCV(make_pipeline(StandardScaler(), PolynomialFeatures(),
                                        LinearRegression()),
                          {"polynomialfeatures__degree": [1, 2, 3]}, cv=3).fit(X, y)
    assert search.best_params_ == {"polynomialfeatures__degree": 2}


def test_pipeline_params_routing_and_delegation():
    X = np.arange(8.0).reshape(4, 2)
    y = np.array([1.0, 2.0, 3.0, 10.0])
    weight = np.array([1.0, 1.0, 1.0, 0.0])
    pipe = make_pipeline(StandardScaler(), "passthrough", _MeanRegressor())
    pipe.fit(X, y, _meanregressor__sample_weight=weight)
    np.testing.assert_allclose(pipe.predict(X), 2.0)
    assert not hasattr(pipe, "predict_proba") and hasattr(pipe, "predict")
    classifier = make_pipeline(StandardScaler(), LogisticRegression())
    classifier.fit(X, [0, 0, 1, 1])
    np.testing.assert_array_equal(classifier.classes_, [0, 1])
    assert classifier.predict_proba(X).shape == (4, 2)
    pipe.set_params(standardscaler__with_std=False, _meanregressor=LinearRegression())
    assert pipe.steps[0][1].with_std is False
    assert isinstance(pipe[-1], LinearRegression) and pipe["standardscaler"] is pipe[0]
    assert len(pipe) == 3
    names = [n for n, _ in make_pipeline(StandardScaler(), StandardScaler(), _MeanRegressor())
             .steps]
    assert names == ["standardscaler-1", "standardscaler-2", "_meanregressor"]
    Z = make_pipeline(StandardScaler(), PolynomialFeatures(1, include_bias=False)).fit_transform(X)
    np.testing.assert_allclose(make_pipeline(StandardScaler()).fit(X).inverse_transform(
        StandardScaler().fit_transform(X)), X)
    np.testing.assert_allclose(Z, StandardScaler().fit_transform(X))


@pytest.mark.parametrize(
    ("steps", "fit_params", "error", "match"),
    [
        ([], {}, TypeError, "non-empty list"),
        ([("a", _MeanRegressor()), ("b", _MeanRegressor())], {}, TypeError,
         "must have fit and transform"),
        ([("a", StandardScaler()), ("b", object())], {}, TypeError, "last step must have fit"),
        ([("a", StandardScaler()), ("a", _MeanRegressor())], {}, ValueError, "unique"),
        ([("a", _MeanRegressor())], {"sample_weight": 1}, ValueError, "<step>__<parameter>"),
    ],
)
def test_pipeline_bad_input(steps, fit_params, error, match):
    with pytest.raises(error, match=match):
        Pipeline(steps).fit(np.ones((3, 1)), np.ones(3), **fit_params)


# ---------------------------------------------------------------------------------------------
# The methods a pipeline takes from its steps
# ---------------------------------------------------------------------------------------------

PREDICTING = ["predict", "predict_proba", "predict_log_proba", "decision_function", "score"]
TRANSFORMING = ["transform", "fit_transform", "inverse_transform"]


def test_delegated_methods_are_real_methods_of_the_pipeline():
    # scikit-learn's scorers look a method up by name (its __name__): a closure called
    # "call" made every string scorer return NaN on a Pipeline.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=40) > 0).astype(int)
    pipe = make_pipeline(StandardScaler(), OurLogisticRegression()).fit(X, y)
    Z = pipe[0].transform(X)
    for name in PREDICTING:
        method = getattr(pipe, name)
        assert method.__name__ == name and method.__qualname__ == f"Pipeline.{name}"
        assert method.__func__ is getattr(Pipeline, name)
        assert f"``{name}``" in method.__doc__
        assert list(inspect.signature(method).parameters)[0] == "X"
        args = (y,) if name == "score" else ()
        np.testing.assert_array_equal(method(X, *args), getattr(pipe[-1], name)(Z, *args))


@pytest.mark.parametrize(
    ("last", "present"),
    [
        (OurLogisticRegression(), {"predict", "predict_proba", "predict_log_proba",
                                   "decision_function", "score"}),
        (Ridge(), {"predict", "score"}),
        (MLPClassifier(), {"predict", "predict_proba", "predict_log_proba", "score"}),
        (PolynomialFeatures(), {"transform", "fit_transform"}),  # it cannot be inverted
        (StandardScaler(), {"transform", "fit_transform", "inverse_transform"}),
        ("passthrough", {"transform", "fit_transform", "inverse_transform"}),  # the identity
    ],
    ids=["logistic", "ridge", "mlp", "poly", "scaler", "passthrough"],
)
def test_pipeline_has_exactly_the_methods_its_steps_have(last, present):
    pipe = make_pipeline(StandardScaler(), last)
    assert {name for name in PREDICTING + TRANSFORMING if hasattr(pipe, name)} == present
    for name in set(PREDICTING + TRANSFORMING) - present:
        with pytest.raises(AttributeError, match=f"Pipeline has no {name}: its step"):
            getattr(pipe, name)


class _Doubler(BaseEstimator):
    """A transformer with fit and transform but no fit_transform (no TransformerMixin)."""

    def __init__(self):  # no hyper-parameters
        pass

    def fit(self, X, y=None):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def transform(self, X):
        return 2 * np.asarray(X)


def test_steps_need_only_fit_and_transform():
    X = np.arange(8.0).reshape(4, 2)
    np.testing.assert_array_equal(make_pipeline(_Doubler(), _Doubler()).fit_transform(X), 4 * X)
    pipe = make_pipeline(_Doubler(), _MeanRegressor()).fit(X, np.arange(4.0))
    np.testing.assert_array_equal(pipe.predict(X), 1.5)
