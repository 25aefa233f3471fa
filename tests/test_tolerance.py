"""The tests' scale-relative comparison (tests/tolerance.py) catches what it should."""

import numpy as np
import pytest

from tolerance import assert_close_to_scale


def test_an_entry_near_zero_is_compared_with_the_scale():
    desired = np.array([1.0, 1.05e-6, -0.5])
    actual = desired + [0.0, 1.3e-16, 0.0]  # the failure that motivated it
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(actual, desired, rtol=1e-10, atol=0)
    assert_close_to_scale(actual, desired, rtol=1e-10)


def test_a_real_difference_fails_and_is_located():
    desired = np.array([[1.0, 2.0], [3.0, -4.0]])
    actual = desired.copy()
    actual[1, 0] += 4e-9  # 1e-9 of the scale 4: more than rtol=1e-10
    with pytest.raises(AssertionError, match=r"1 of 4 entries differ. Worst at index \(1, 0\).*"
                       r"scale 4\.0.*= 1e-09"):
        assert_close_to_scale(actual, desired, rtol=1e-10)
    assert_close_to_scale(actual, desired, rtol=2e-9)


def test_the_scale_can_be_taken_per_row():
    """A trajectory: a late iterate near the optimum 0 is compared with its own scale."""
    desired = np.array([[10.0, 5.0], [1e-3, 2e-3]])
    actual = desired + [[0.0, 0.0], [1e-9, 0.0]]  # 5e-7 of the row's scale, 1e-10 of the array's
    assert_close_to_scale(actual, desired, rtol=1e-9)
    with pytest.raises(AssertionError, match="along axis -1"):
        assert_close_to_scale(actual, desired, rtol=1e-9, axis=-1)


def test_non_finite_entries_must_match_and_shapes_must_agree():
    assert_close_to_scale([np.nan, np.inf, 1.0], [np.nan, np.inf, 1.0], rtol=0)
    with pytest.raises(AssertionError):
        assert_close_to_scale([1.0, np.inf], [1.0, -np.inf], rtol=1e-3)
    with pytest.raises(AssertionError):
        assert_close_to_scale([1.0, 2.0], [1.0, np.nan], rtol=1e-3)
    with pytest.raises(AssertionError, match="shapes differ"):
        assert_close_to_scale(np.ones(3), np.ones((3, 1)), rtol=1e-3)
    assert_close_to_scale(np.ones(3), 1.0, rtol=0)  # a scalar reference broadcasts
    assert_close_to_scale(np.zeros(2), np.zeros(2), rtol=0)
    with pytest.raises(AssertionError):
        assert_close_to_scale([1e-300, 0.0], [0.0, 0.0], rtol=1e-10)  # zero scale: exact
