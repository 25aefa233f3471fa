"""Every case the foundation promises for bad and good input to the validation helpers."""

import numpy as np
import pandas as pd
import pytest

from fromscratch._validation import (
    check_array,
    check_choice,
    check_random_state,
    check_scalar,
    check_X_y,
    check_y,
    encode_class_labels,
    feature_names_of,
)
from fromscratch.exceptions import DataConversionWarning

# -- accepted input ------------------------------------------------------------------------


def test_lists_and_tuples_become_float64():
    X = check_array([[1, 2], [3, 4]])
    assert X.dtype == np.float64
    np.testing.assert_array_equal(X, [[1.0, 2.0], [3.0, 4.0]])
    assert check_array(((1, 2), (3, 4))).shape == (2, 2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_floating_dtype_is_preserved(dtype):
    assert check_array(np.ones((3, 2), dtype=dtype)).dtype == dtype


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8])
def test_integers_become_float64(dtype):
    assert check_array(np.ones((3, 2), dtype=dtype)).dtype == np.float64


def test_object_array_of_numbers_is_accepted():
    X = np.array([[1, 2.5], [3, np.float32(4)]], dtype=object)
    np.testing.assert_array_equal(check_array(X), [[1.0, 2.5], [3.0, 4.0]])


def test_dataframe_values_and_feature_names():
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3, 4]})
    np.testing.assert_array_equal(check_array(frame), [[1.0, 3.0], [2.0, 4.0]])
    assert list(feature_names_of(frame)) == ["a", "b"]
    assert feature_names_of(np.ones((2, 2))) is None
    # Non-string column names are not feature names (scikit-learn's rule).
    assert feature_names_of(pd.DataFrame(np.ones((2, 2)))) is None


def test_series_as_target():
    y = check_y(pd.Series([1.0, 2.0, 3.0], name="price"))
    np.testing.assert_array_equal(y, [1.0, 2.0, 3.0])


def test_column_vector_target_is_flattened_with_a_warning():
    with pytest.warns(DataConversionWarning, match="column-vector y was passed"):
        assert check_y(np.ones((4, 1))).shape == (4,)


def test_class_labels_may_be_strings_or_booleans():
    assert list(check_y(["a", "b"], y_numeric=False)) == ["a", "b"]
    assert check_y(np.array([True, False]), y_numeric=False).dtype == bool


def test_float32_X_makes_float32_y():
    X, y = check_X_y(np.ones((3, 2), dtype=np.float32), [1, 2, 3])
    assert X.dtype == np.float32 and y.dtype == np.float32


def test_copy_returns_new_array():
    X = np.ones((2, 2))
    assert check_array(X) is X
    assert check_array(X, copy=True) is not X


# -- rejected input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        (np.nan, "1 NaN value"),
        (np.inf, "infinity"),
        (-np.inf, "infinity"),
    ],
)
def test_non_finite_values_are_rejected(value, message):
    X = np.ones((3, 2))
    X[1, 0] = value
    with pytest.raises(ValueError, match=message):
        check_array(X)
    with pytest.raises(ValueError, match="^y contains"):
        check_y(X[:, 0])


def test_finite_values_whose_sum_overflows_are_accepted():
    # The finite check first sums the array; an overflowing sum of finite values must not be
    # mistaken for an infinity.
    X = np.full((4, 2), np.finfo(np.float64).max)
    X[:, 1] *= -1
    assert check_array(X) is X
    assert check_y(X[:, 0]) is not None


def test_mixed_infinities_are_rejected():
    # inf + (-inf) sums to NaN: the message still counts the infinities, not a NaN.
    with pytest.raises(ValueError, match="contains 2 infinity value"):
        check_array([[np.inf, -np.inf], [1.0, 2.0]])


def test_error_names_the_argument():
    with pytest.raises(ValueError, match="^features contains 1 NaN"):
        check_array([[np.nan]], name="features")


def test_one_dimensional_X_suggests_reshape():
    with pytest.raises(ValueError, match=r"Reshape your data with X.reshape\(-1, 1\)"):
        check_array([1.0, 2.0, 3.0])


def test_scalar_and_three_dimensional_X_are_rejected():
    with pytest.raises(ValueError, match="scalar"):
        check_array(5.0)
    with pytest.raises(ValueError, match="3 dimensions"):
        check_array(np.ones((2, 2, 2)))
    assert check_array(np.ones((2, 2, 2)), allow_nd=True).ndim == 3


def test_zero_samples_and_zero_features_are_rejected():
    # scikit-learn's checks recognise these phrases.
    with pytest.raises(ValueError, match=r"0 sample\(s\) \(shape=\(0, 3\)\) while a minimum"):
        check_array(np.ones((0, 3)))
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(3, 0\)\) while a minimum"):
        check_array(np.ones((3, 0)))
    with pytest.raises(ValueError, match="0 samples"):
        check_y([])


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError, match="X has 3, y has 2"):
        check_X_y(np.ones((3, 2)), [1.0, 2.0])


def test_missing_y_is_rejected():
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        check_X_y(np.ones((3, 2)), None)


@pytest.mark.parametrize(
    "X, error, message",
    [
        (np.array([["a", "b"]]), TypeError, "contains strings"),
        (np.ones((2, 2), dtype=complex), ValueError, "Complex data not supported"),
        (np.array([[1, "a"]], dtype=object), TypeError, r"holds a str at position \(0, 1\)"),
        (np.array([[1, {"x": 1}]], dtype=object), TypeError, "holds a dict"),
        (np.array([[1, None]], dtype=object), TypeError, "holds a NoneType"),
        ([[1.0, 2.0], [3.0]], ValueError, "ragged"),
        ("abc", TypeError, "is a str"),
        (None, TypeError, "X is None"),
    ],
)
def test_non_numeric_input_is_rejected(X, error, message):
    with pytest.raises(error, match=message):
        check_array(X)


def test_boolean_features_are_rejected_with_a_conversion_hint():
    with pytest.raises(TypeError, match=r"astype\(float\)"):
        check_array(np.ones((2, 2), dtype=bool))
    with pytest.raises(TypeError, match="holds a bool"):
        check_array(np.array([[1.0, True]], dtype=object))


def test_string_dataframe_column_is_rejected():
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    with pytest.raises(TypeError, match="holds a str"):
        check_array(frame)


def test_multi_output_y_needs_permission():
    with pytest.raises(ValueError, match="must be 1-D"):
        check_y(np.ones((3, 2)))
    assert check_y(np.ones((3, 2)), multi_output=True).shape == (3, 2)


def test_missing_class_label_is_rejected():
    with pytest.raises(ValueError, match="missing label"):
        check_y(np.array(["a", None], dtype=object), y_numeric=False)


# -- scalars, random states, choices ----------------------------------------------------------


def test_check_scalar_accepts_and_converts():
    assert check_scalar(np.float32(0.5), "lr") == 0.5
    assert isinstance(check_scalar(np.int64(3), "n", kind=int), int)
    assert check_scalar(np.inf, "C", allow_inf=True, min_val=0, include_min=False) == np.inf


@pytest.mark.parametrize(
    "value, kwargs, error, message",
    [
        (True, {}, TypeError, "lr must be a float, got the boolean True"),
        ("0.1", {}, TypeError, "lr must be a real number, got str"),
        (np.nan, {}, ValueError, "got NaN"),
        (np.inf, {}, ValueError, "must be finite"),
        (-0.1, {"min_val": 0.0}, ValueError, r"lr must be in \[0, inf\); got -0.1"),
        (0.0, {"min_val": 0.0, "include_min": False}, ValueError, r"\(0, inf\)"),
        (1.5, {"min_val": 0, "max_val": 1}, ValueError, r"\[0, 1\]"),
        (2.5, {"kind": int}, TypeError, "lr must be an int"),
    ],
)
def test_check_scalar_rejects(value, kwargs, error, message):
    with pytest.raises(error, match=message):
        check_scalar(value, "lr", **kwargs)


def test_random_state_forms():
    a = check_random_state(42).random(3)
    b = check_random_state(42).random(3)
    np.testing.assert_array_equal(a, b)
    generator = np.random.default_rng(0)
    assert check_random_state(generator) is generator
    assert isinstance(check_random_state(None), np.random.Generator)
    assert isinstance(check_random_state(np.random.RandomState(0)), np.random.Generator)


@pytest.mark.parametrize(
    "value, error, message",
    [
        (-1, ValueError, "non-negative"),
        (1.5, TypeError, "got float 1.5"),
        ("seed", TypeError, "got str"),
        (True, TypeError, "got bool"),
    ],
)
def test_invalid_random_state(value, error, message):
    with pytest.raises(error, match=message):
        check_random_state(value)


def test_check_choice_suggests_close_names():
    assert check_choice("qr", "solver", ["qr", "cholesky"]) == "qr"
    with pytest.raises(ValueError, match="Did you mean 'cholesky'"):
        check_choice("cholesy", "solver", ["qr", "cholesky"])
    with pytest.raises(ValueError, match="solver must be one of 'qr', 'cholesky'; got 3"):
        check_choice(3, "solver", ["qr", "cholesky"])


def test_encode_class_labels_any_label_type():
    classes, index = encode_class_labels(np.array(["b", "a", "b"]), "Clf")
    assert list(classes) == ["a", "b"] and list(index) == [1, 0, 1]
    classes, index = encode_class_labels(np.array([2.0, 0.0, 2.0]), "Clf")
    assert list(classes) == [0.0, 2.0] and list(index) == [1, 0, 1]


@pytest.mark.parametrize(
    "y",
    [
        np.array([7, -3, 7, 100, -3, 0], dtype=np.int64),  # counted: negative, with gaps
        np.array([5, 2, 5, 9], dtype=np.uint8),
        np.array([0, 10**12, 5, 0]),  # too wide a range to count: sorted
        np.array([True, False, True]),
    ],
)
def test_encode_class_labels_matches_numpy_unique(y):
    classes, index = encode_class_labels(y, "Clf")
    expected_classes, expected_index = np.unique(y, return_inverse=True)
    assert classes.dtype == y.dtype
    np.testing.assert_array_equal(classes, expected_classes)
    np.testing.assert_array_equal(index, expected_index)


@pytest.mark.parametrize(
    "y, error, message",
    [
        (np.array([0.5, 1.0]), ValueError, "y is continuous .* Clf is a classifier"),
        (np.array([3, 3, 3]), ValueError, "only one class .* Clf needs"),
        (np.array([1, "a"], dtype=object), TypeError, "cannot be sorted"),
    ],
)
def test_encode_class_labels_rejects(y, error, message):
    with pytest.raises(error, match=message):
        encode_class_labels(y, "Clf")
