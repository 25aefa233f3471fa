"""fromscratch.preprocessing against scikit-learn: values, feature names, round trips, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fromscratch.base import BaseEstimator, NotFittedError, RegressorMixin
from fromscratch.preprocessing import (
    ColumnTransformer,
    OneHotEncoder,
    Pipeline,
    PolynomialFeatures,
    StandardScaler,
    make_column_transformer,
    make_pipeline,
)

skp = pytest.importorskip("sklearn.preprocessing")
pd = pytest.importorskip("pandas")
from sklearn.compose import ColumnTransformer as SkColumnTransformer  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline as SkPipeline  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402

from sklearn_checks import EXPECTED_FAILED_CHECKS  # noqa: E402

FAST = settings(max_examples=20, deadline=None)


def _names(transformer, *args):
    return list(transformer.get_feature_names_out(*args))


@pytest.fixture
def houses():
    """A small Ames-like table: numeric and categorical columns."""
    return pd.DataFrame({
        "area": [50.0, 72.5, 80.0, 65.0, 120.0, 95.0],
        "year": [1990, 2001, 2010, 2005, 1978, 2015],
        "hood": ["north", "south", "north", "east", "south", "north"],
        "garage": [True, False, True, True, False, True],
        "rooms": [1, 2, 2, 3, 4, 3],
    })


# ---------------------------------------------------------------------------------------------
# StandardScaler
# ---------------------------------------------------------------------------------------------


@FAST
@given(n=st.integers(1, 30), p=st.integers(1, 4), with_mean=st.booleans(),
       with_std=st.booleans(), weighted=st.booleans(), seed=st.integers(0, 2**16))
# One sample of weight 0.38: its weighted mean of 7 is off by one rounding, the variance is
# 8e-31, and a bound (n μ ε)² that used the weight sum for n called the column non-constant.
@example(n=1, p=3, with_mean=False, with_std=True, weighted=True, seed=5890)
def test_standard_scaler_equals_sklearn(n, p, with_mean, with_std, weighted, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(3.0, 2.0, size=(n, p))
    X[:, 0] = 7.0  # a constant feature stays unscaled
    weight = rng.random(n) + 0.1 if weighted else None
    kwargs = {"with_mean": with_mean, "with_std": with_std}
    ours = StandardScaler(**kwargs).fit(X, sample_weight=weight)
    ref = skp.StandardScaler(**kwargs).fit(X, sample_weight=weight)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-10, atol=1e-12)
    for attribute in ("mean_", "var_", "scale_"):
        if getattr(ref, attribute) is None:
            assert getattr(ours, attribute) is None
        else:
            np.testing.assert_allclose(getattr(ours, attribute), getattr(ref, attribute),
                                       rtol=1e-10, atol=1e-14)
    if with_mean or with_std:
        # (with neither, scikit-learn counts samples and ignores the weights; we always
        # report the sum of weights)
        assert ours.n_samples_seen_ == pytest.approx(ref.n_samples_seen_)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-12)


def test_standard_scaler_constant_feature_and_float32():
    X = np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]], dtype=np.float32)
    scaler = StandardScaler().fit(X)
    assert scaler.scale_[1] == 1.0
    Z = scaler.transform(X)
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z, skp.StandardScaler().fit_transform(X), rtol=1e-6)
    np.testing.assert_array_equal(Z[:, 1], 0.0)
    assert scaler.inverse_transform(Z).dtype == np.float32
    # closed form: unit (population) variance and zero mean
    np.testing.assert_allclose(Z[:, 0].mean(), 0.0, atol=1e-6)
    np.testing.assert_allclose(Z[:, 0].std(), 1.0, rtol=1e-6)


def test_standard_scaler_copy_false_works_in_place():
    X = np.array([[1.0, 2.0], [3.0, 6.0]])
    out = StandardScaler(copy=False).fit(X).transform(X)
    assert out is X or np.shares_memory(out, X)
    X2 = np.array([[1.0, 2.0], [3.0, 6.0]])
    StandardScaler().fit(X2).transform(X2)
    np.testing.assert_array_equal(X2, [[1.0, 2.0], [3.0, 6.0]])


def test_standard_scaler_feature_names_and_errors(houses):
    X = houses[["area", "year"]]
    scaler = StandardScaler().fit(X)
    assert _names(scaler) == ["area", "year"]
    assert _names(StandardScaler().fit(X.to_numpy())) == ["x0", "x1"]
    with pytest.raises(NotFittedError):
        StandardScaler().transform(X)
    with pytest.raises(ValueError, match="X has 1 features, but StandardScaler"):
        scaler.transform(X[["area"]].to_numpy())
    with pytest.raises(ValueError, match="feature names"):
        scaler.transform(X.rename(columns={"area": "size"}))
    with pytest.raises(ValueError, match="input_features"):
        scaler.get_feature_names_out(["a", "b"])
    with pytest.raises(ValueError, match="NaN"):
        StandardScaler().fit([[1.0], [np.nan]])
    with pytest.raises(ValueError, match="sample_weight has 1 entries"):
        StandardScaler().fit([[1.0], [2.0]], sample_weight=[1.0])


# ---------------------------------------------------------------------------------------------
# PolynomialFeatures
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("degree", [0, 1, 2, 3, (2, 3), (0, 2), (1, 1)])
@pytest.mark.parametrize("interaction_only", [False, True])
@pytest.mark.parametrize("include_bias", [False, True])
def test_polynomial_features_equal_sklearn(degree, interaction_only, include_bias, houses):
    if degree == 0 and not include_bias:
        return
    X = houses[["area", "year", "rooms"]].astype(float)
    kwargs = {"degree": degree, "interaction_only": interaction_only,
              "include_bias": include_bias}
    ours, ref = PolynomialFeatures(**kwargs).fit(X), skp.PolynomialFeatures(**kwargs).fit(X)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-14)
    np.testing.assert_array_equal(ours.powers_, ref.powers_)
    assert _names(ours) == list(ref.get_feature_names_out())
    assert ours.n_output_features_ == ref.n_output_features_


def test_polynomial_features_count_float32_and_order():
    # C(p + d, d) monomials of degree <= d in p variables
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    XP = PolynomialFeatures(degree=3, order="F").fit_transform(X)
    assert XP.shape == (4, 20) and XP.dtype == np.float32 and XP.flags.f_contiguous


@pytest.mark.parametrize("kwargs", [{"degree": -1}, {"degree": (3, 2)}, {"degree": 1.5},
                                    {"degree": 0, "include_bias": False}, {"order": "K"}])
def test_polynomial_features_bad_parameters(kwargs):
    with pytest.raises(ValueError, match="degree|order"):
        PolynomialFeatures(**kwargs).fit([[1.0, 2.0]])


# ---------------------------------------------------------------------------------------------
# OneHotEncoder
# ---------------------------------------------------------------------------------------------

ENCODER_SETTINGS = [
    {},
    {"drop": "first"},
    {"drop": "if_binary"},
    {"handle_unknown": "ignore"},
    {"drop": ["south", False, 3]},
    # (strings in any order; scikit-learn requires numeric categories sorted)
    {"categories": [["south", "north", "east", "west"], [False, True], [1, 2, 3, 4, 5]]},
]


@pytest.mark.parametrize("kwargs", ENCODER_SETTINGS)
def test_one_hot_encoder_equals_sklearn(kwargs, houses):
    X = houses[["hood", "garage", "rooms"]]
    ours = OneHotEncoder(**kwargs).fit(X)
    ref = skp.OneHotEncoder(sparse_output=False, **kwargs).fit(X)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
    assert _names(ours) == list(ref.get_feature_names_out())
    for a, b in zip(ours.categories_, ref.categories_, strict=True):
        assert a.tolist() == b.tolist()
    if ref.drop_idx_ is None:
        assert ours.drop_idx_ is None
    else:
        assert list(ours.drop_idx_) == list(ref.drop_idx_)
    round_trip = ours.inverse_transform(ours.transform(X))
    assert round_trip.tolist() == X.to_numpy().tolist()
    assert round_trip.tolist() == ref.inverse_transform(ref.transform(X)).tolist()


def test_one_hot_encoder_arrays_and_lists():
    X = np.array([["b", "x"], ["a", "y"], ["b", "y"]])
    ours, ref = OneHotEncoder().fit(X), skp.OneHotEncoder(sparse_output=False).fit(X)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
    assert _names(ours, ["letter", "axis"]) == list(ref.get_feature_names_out(["letter", "axis"]))
    mixed = [["a", 1], ["b", 2], ["a", 2]]  # a list keeps each column's own type
    ours, ref = OneHotEncoder().fit(mixed), skp.OneHotEncoder(sparse_output=False).fit(mixed)
    np.testing.assert_array_equal(ours.transform(mixed), ref.transform(mixed))
    assert _names(ours) == list(ref.get_feature_names_out())
    assert OneHotEncoder(dtype=np.float32).fit_transform(X).dtype == np.float32


def test_one_hot_encoder_unknown_categories(houses):
    X = houses[["hood", "rooms"]]
    new = pd.DataFrame({"hood": ["west", "north"], "rooms": [2, 9]})
    with pytest.raises(ValueError, match=r"unknown categories \['west'\] in column 'hood'"):
        OneHotEncoder().fit(X).transform(new)
    ignore = {"handle_unknown": "ignore"}
    ours = OneHotEncoder(**ignore).fit(X)
    ref = skp.OneHotEncoder(sparse_output=False, **ignore).fit(X)
    np.testing.assert_array_equal(ours.transform(new), ref.transform(new))
    assert ours.inverse_transform(ours.transform(new)).tolist() == [[None, 2], ["north", None]]
    with pytest.raises(ValueError, match=r"unknown categories \['west'\] in column 0 during fit"):
        OneHotEncoder(categories=[["north"]]).fit([["west"]])


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (pd.DataFrame({"c": ["a", None]}), ValueError, "Column 'c' contains a missing value"),
        (pd.DataFrame({"c": ["a", np.nan]}), ValueError, "missing value"),
        (pd.DataFrame({"c": [1.0, np.nan]}), ValueError, "Column 'c' contains NaN"),
        (np.array([["a"], [1]], dtype=object), TypeError, "mixes strings"),
        (np.array(["a", "b"]), ValueError, r"reshape\(-1, 1\)"),
        (np.empty((3, 0)), ValueError, r"0 feature\(s\) \(shape=\(3, 0\)\)"),
        (None, TypeError, "None"),
        (np.array([[1 + 2j]]), ValueError, "Complex data not supported"),
    ],
)
def test_one_hot_encoder_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        OneHotEncoder().fit(X)


def test_one_hot_encoder_bad_use(houses):
    X = houses[["hood"]]
    with pytest.raises(NotFittedError):
        OneHotEncoder().transform(X)
    encoder = OneHotEncoder().fit(X)
    with pytest.raises(ValueError, match="X has 2 features, but OneHotEncoder is expecting 1"):
        encoder.transform(houses[["hood", "rooms"]])
    with pytest.raises(TypeError, match="holds numbers but its categories do not"):
        encoder.transform(np.array([[1], [2]]))
    with pytest.raises(ValueError, match="categories has 1 lists but X has 2"):
        OneHotEncoder(categories=[["a"]]).fit(houses[["hood", "rooms"]])
    with pytest.raises(ValueError, match="drop='nowhere' for feature 0"):
        OneHotEncoder(drop=["nowhere"]).fit(X)
    with pytest.raises(ValueError, match="Did you mean 'ignore'"):
        OneHotEncoder(handle_unknown="ignor").fit(X)
    with pytest.raises(ValueError, match="X has 2 columns"):
        encoder.inverse_transform(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="no active category"):
        encoder.inverse_transform(np.zeros((1, 3)))


# ---------------------------------------------------------------------------------------------
# scikit-learn's common estimator checks
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "estimator",
    [StandardScaler(), StandardScaler(with_mean=False), PolynomialFeatures(degree=3),
     OneHotEncoder(handle_unknown="ignore"), OneHotEncoder(drop="first")],
    ids=repr,
)
def test_sklearn_estimator_checks(estimator):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "does not inherit from sklearn.base.BaseEstimator"
        results = check_estimator(estimator, on_fail=None,
                                  expected_failed_checks=EXPECTED_FAILED_CHECKS)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results
              if r["status"] not in ("passed", "skipped", "xfail")]
    assert not failed


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
        np.testing.assert_allclose(ours.fit_transform(X), ref.fit_transform(X))
        assert _names(ours) == list(ref.get_feature_names_out())


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
    np.testing.assert_allclose(sk_pipe.fit(X, y).predict(X), ref.fit(X, y).predict(X))
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
