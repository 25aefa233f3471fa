"""The textbook Householder QR as the reference of the blocked one, and the sign choice of the
reflector, which only matrices close to triangular can see."""

import numpy as np
import pytest

from fromscratch import linalg


def _blocked(block_size):
    def factor(A):
        return (*linalg.qr(A, block_size=block_size), None)

    return factor


def _textbook(A):
    return (*linalg.qr_textbook(A), None)


def _pivoted(A):
    fact = linalg.PivotedHouseholderQR(A)
    return fact.q(), fact.r, fact.perm


FACTORIZATIONS = {
    "textbook": _textbook,
    "blocked, 1 column per panel": _blocked(1),
    "blocked, 8 columns per panel": _blocked(8),
    "blocked, default panels": _blocked(linalg.BLOCK_SIZE),
    "pivoted": _pivoted,
}


# -- the blocked QR against the textbook form ------------------------------------------------


@pytest.mark.parametrize("shape", [(300, 40), (60, 60), (30, 70), (1, 5), (5, 1)])
@pytest.mark.parametrize("block_size", [1, 8, 64])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_blocked_qr_equals_the_textbook_qr(shape, block_size, dtype):
    rng = np.random.default_rng(sum(shape) + block_size)
    A = rng.standard_normal(shape).astype(dtype)
    Q_book, R_book = linalg.qr_textbook(A)
    Q, R = linalg.qr(A, block_size=block_size)
    assert Q.dtype == R.dtype == Q_book.dtype == R_book.dtype == dtype
    assert Q.shape == Q_book.shape and R.shape == R_book.shape
    # R of a matrix whose leading k×k block is nonsingular is unique up to the signs of its rows.
    # The signs differ where a column has nothing below the diagonal (the last one of a square
    # or wide matrix): the blocked QR leaves it alone (τ = 0), the textbook form reflects it.
    signs = np.sign(np.diagonal(R)) * np.sign(np.diagonal(R_book))
    eps = np.finfo(dtype).eps
    k = min(shape)
    kappa = np.linalg.cond(A[:, :k].astype(float))
    # Both factorizations are backward stable (‖δA‖ ≲ max(m, n)·ε·‖A‖), and R moves by at
    # most about κ₂ times that (first-order perturbation bound of the QR factor).
    tolerance = 2 * kappa * max(shape) * eps * np.abs(A).max()
    assert np.abs(R * signs[:, None] - R_book).max() <= tolerance
    assert np.abs(Q * signs - Q_book).max() <= tolerance / np.abs(A).max()


def test_textbook_qr_of_a_zero_column_and_bad_input():
    A = np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 3.0]])
    Q, R = linalg.qr_textbook(A)
    np.testing.assert_allclose(Q @ R, A, atol=1e-15)
    assert R[0, 0] == 0.0
    with pytest.raises(ValueError, match="2-D"):
        linalg.qr_textbook(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        linalg.qr_textbook([[1.0, np.nan]])


# -- the sign of the reflector ---------------------------------------------------------------


def _nearly_triangular_and_graded(dtype):
    """Matrices whose columns are nearly multiples of e_j below the diagonal: there the wrong
    sign of β cancels (v₀ = x₀ − sign(x₀)‖x‖ ≈ 0). Dense Gaussian matrices cannot see it."""
    rng = np.random.default_rng(7)
    n = 20
    G = rng.standard_normal((n, n))
    return {
        "eye + 1e-8 noise": np.eye(n) + 1e-8 * rng.standard_normal((n, n)),
        "eye + 1e-10 noise": np.eye(n) + 1e-10 * rng.standard_normal((n, n)),
        "tall eye + 1e-10 noise": np.eye(2 * n, n) + 1e-10 * rng.standard_normal((2 * n, n)),
        "rows graded 1 .. 1e-12": np.logspace(0, -12, n)[:, None] * G,
        "columns graded 1 .. 1e-12": G * np.logspace(0, -12, n),
        "both graded": np.logspace(0, -6, n)[:, None] * G * np.logspace(0, -6, n),
    }


@pytest.mark.parametrize("method", list(FACTORIZATIONS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_qr_stays_orthogonal_and_exact_on_nearly_triangular_and_graded_matrices(method, dtype):
    # With β = +sign(x₀)‖x‖ instead of −sign(x₀)‖x‖, QᵀQ − I reaches 1e-3..1e+0 (or NaN) and
    # Q R − A reaches 1e-9..NaN on these matrices, against a few ε with the right sign.
    eps = np.finfo(dtype).eps
    for name, A in _nearly_triangular_and_graded(dtype).items():
        A = A.astype(dtype)
        Q, R, perm = FACTORIZATIONS[method](A)
        k = Q.shape[1]
        A_ordered = A if perm is None else A[:, perm]
        orthogonality = np.abs(Q.T.astype(float) @ Q - np.eye(k)).max()
        reconstruction = np.abs(Q.astype(float) @ R - A_ordered).max()
        # Householder QR: ‖QᵀQ − I‖ and ‖QR − A‖/‖A‖ are O(ε) times a small multiple of the
        # dimensions; observed at most 7ε here.
        assert orthogonality <= 5 * k * eps, (name, orthogonality / eps)
        assert reconstruction <= 5 * max(A.shape) * eps * np.abs(A).max(), (name,)
        assert np.array_equal(R, np.triu(R))
