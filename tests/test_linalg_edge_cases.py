"""Edge cases of linalg: the dtype of its answers for integer and mixed float32/float64 input
(against SciPy), argument checks, and empty right-hand sides.

The checked entry points (``lstsq``, ``qr``, ``cholesky``...) convert through ``check_array``;
these are the textbook kernels and the lower-level solver that take arrays as they are. An
integer array there must give the real answer in float64 (as SciPy does), never an answer
truncated to integers or an error from inside NumPy.
"""

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize

from fromscratch import linalg
from tolerance import assert_close_to_scale

R_INT = np.array([[2, 1, -1], [0, 3, 2], [0, 0, 4]])
B_INT = np.array([1, 1, 1])


def test_back_substitution_of_integer_input_is_not_truncated():
    x = linalg.back_substitution(R_INT, B_INT)
    assert x.dtype == np.float64
    assert_close_to_scale(x, scipy.linalg.solve_triangular(R_INT, B_INT), 1e-14)


def test_back_substitution_keeps_float32():
    x = linalg.back_substitution(R_INT.astype(np.float32), B_INT.astype(np.float32))
    assert x.dtype == np.float32


def test_householder_reflector_of_an_integer_column_maps_it_onto_the_axis():
    x = np.array([1, 1, 2])
    v, tau, beta = linalg.householder_reflector(x)
    assert v.dtype == np.float64
    # H x = (I - τ v vᵀ) x = β e₀, with |β| = ‖x‖: an integer v (truncated v₀) breaks both
    H = np.eye(3) - tau * np.outer(v, v)
    assert_close_to_scale(H @ x, [beta, 0.0, 0.0], 1e-14)
    assert abs(beta) == pytest.approx(np.linalg.norm(x), rel=1e-15)
    assert_close_to_scale(v, linalg.householder_reflector(x.astype(float))[0], 1e-15)


def test_lawson_hanson_accepts_integer_R_and_c_as_scipy_nnls_does():
    x, _ = linalg.lawson_hanson(R_INT, np.array([1, -2, 3]))
    assert x.dtype == np.float64
    assert_close_to_scale(x, scipy.optimize.nnls(R_INT, np.array([1, -2, 3]))[0], 1e-12)


def test_lawson_hanson_names_a_c_of_the_wrong_shape():
    with pytest.raises(ValueError, match="c must be 1-D with one entry per row of R"):
        linalg.lawson_hanson(R_INT.astype(float), np.ones(2))


def test_nnls_of_float32_A_and_float64_b_is_float64_as_lstsq():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((8, 3)).astype(np.float32)
    b = rng.standard_normal(8)
    x, rnorm = linalg.nnls(A, b)
    expected, expected_rnorm = scipy.optimize.nnls(A.astype(np.float64), b)
    # float32 only when every input is float32 (lstsq's rule); the float32 answer (the bug)
    # is off by ~1e-7 relative, far above float64 rounding
    assert x.dtype == linalg.lstsq(A, b).dtype == np.float64
    assert_close_to_scale(x, expected, 1e-12)
    assert rnorm == pytest.approx(expected_rnorm, rel=1e-12)


@pytest.mark.parametrize("block_size", [0, -1, 1.5, True, None])
def test_cholesky_refuses_a_block_size_that_is_not_a_positive_int(block_size):
    # block_size=-1 skipped the loop and returned tril(A), which is not a Cholesky factor
    S = np.array([[4.0, 2.0], [2.0, 3.0]])
    with pytest.raises(ValueError, match="block_size must be a positive int"):
        linalg.cholesky(S, block_size=block_size)


def test_cond_cholesky_names_a_factor_of_the_wrong_size():
    with pytest.raises(ValueError, match=r"L has shape \(1, 1\) but A has shape \(2, 2\)"):
        linalg.cond_cholesky(np.eye(2), np.eye(1))


def test_lstsq_with_no_right_hand_sides_is_empty_as_numpy():
    A = np.random.default_rng(0).standard_normal((6, 3))
    assert linalg.lstsq(A, np.ones((6, 0))).shape == np.linalg.lstsq(A, np.ones((6, 0)))[0].shape
