"""fromscratch.preprocessing against scikit-learn: values, feature names, round trips, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fromscratch.base import NotFittedError
from fromscratch.preprocessing import OneHotEncoder, PolynomialFeatures, StandardScaler
from tolerance import assert_close_to_scale

skp = pytest.importorskip("sklearn.preprocessing")
pd = pytest.importorskip("pandas")
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402

from sklearn_checks import EXPECTED_FAILED_CHECKS  # noqa: E402

FAST = settings(max_examples=20, deadline=None)


def _names(transformer, *args):
    return list(transformer.get_feature_names_out(*args))


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
    # (x − mean)/scale·scale + mean rounds at the column's scale, not at each x: per column
    assert_close_to_scale(ours.inverse_transform(ours.transform(X)), X, rtol=1e-12, axis=0)


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


@pytest.mark.parametrize("drop", [None, "first"])
def test_one_hot_encoder_bytes_categories_equal_sklearn(drop):
    """Bytes labels with categories given as bytes (they were taken for numbers: the check that
    the column and its categories are of one kind knew only str)."""
    X = np.array([[b"b"], [b"a"], [b"c"], [b"a"]])
    categories = [[b"c", b"a", b"b"]]
    ours = OneHotEncoder(categories=categories, drop=drop).fit(X)
    theirs = skp.OneHotEncoder(categories=categories, drop=drop, sparse_output=False).fit(X)
    np.testing.assert_array_equal(ours.transform(X), theirs.transform(X))
    np.testing.assert_array_equal(ours.inverse_transform(ours.transform(X)), X)


def test_one_hot_encoder_empty_categories_are_refused():
    # scikit-learn fails here with an IndexError from inside its encoder
    with pytest.raises(ValueError, match="categories for column 0 is empty; list at least one"):
        OneHotEncoder(categories=[[]]).fit([["a"], ["b"]])


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
