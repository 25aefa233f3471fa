"""fromscratch.linalg against numpy.linalg (the reference) and against the defining identities."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch import linalg
from fromscratch.linalg import IllConditionedWarning, LinAlgError, RankDeficientWarning
from fromscratch.linalg import _qr as qr_module
from tolerance import assert_close_to_scale


def matrix_with_condition(m, n, cond, rng, dtype=np.float64):
    """A = U diag(s) Vᵀ with singular values spread log-uniformly from 1 down to 1/cond."""
    U = np.linalg.qr(rng.standard_normal((m, n)))[0]
    V = np.linalg.qr(rng.standard_normal((n, n)))[0]
    s = np.logspace(0, -np.log10(cond), n)
    return ((U * s) @ V.T).astype(dtype)


def relative_error(approx, exact):
    return np.linalg.norm(approx - exact) / np.linalg.norm(exact)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# -- QR ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, cond",
    [((300, 40), None), ((150, 150), None), ((40, 90), None), ((200, 30), 1e10), ((80, 80), 1e10)],
)
@pytest.mark.parametrize("block_size", [1, 8, 64])
def test_qr_identities(shape, cond, block_size, rng):
    m, n = shape
    A = rng.standard_normal(shape) if cond is None else matrix_with_condition(m, n, cond, rng)
    Q, R = linalg.qr(A, block_size=block_size)
    k = min(m, n)
    assert Q.shape == (m, k) and R.shape == (k, n)
    assert relative_error(Q @ R, A) < 1e-12
    assert np.abs(Q.T @ Q - np.eye(k)).max() < 1e-12
    assert np.array_equal(R, np.triu(R))


@pytest.mark.parametrize("update_bytes", [8, 8 * 7 * 5, 2**40])
def test_qr_row_blocked_updates_change_nothing(monkeypatch, update_bytes, rng):
    # Trailing updates C <- C - VW in blocks of one row, of a few rows (the last one partial),
    # and in one block: the same factorization to rounding.
    A = rng.standard_normal((211, 23))
    monkeypatch.setattr(qr_module, "UPDATE_BLOCK_BYTES", update_bytes)
    Q, R = linalg.qr(A, block_size=8)
    assert relative_error(Q @ R, A) < 1e-13
    assert np.abs(Q.T @ Q - np.eye(23)).max() < 1e-13


@pytest.mark.parametrize(("block_rows", "block_work", "width"),
                         [(1, 2**18, 2**10), (7, 40, 2**10), (2**13, 2**18, 0)])
def test_qr_row_blocked_thin_products_change_nothing(monkeypatch, block_rows, block_work,
                                                     width, rng):
    # Norms and thin products V^T C, V W summed over blocks of one row, of a few rows (the
    # last one partial, and blocks cut by the work limit), and done whole (nothing thin): the
    # same factorization to rounding; the huge and tiny columns take the rescaled norm path.
    column_scale = np.array([1e200, 1e-200] + [1.0] * 21)
    A = rng.standard_normal((211, 23)) * column_scale
    whole = linalg.HouseholderQR(A, block_size=8)
    monkeypatch.setattr(qr_module, "THIN_BLOCK_ROWS", block_rows)
    monkeypatch.setattr(qr_module, "THIN_BLOCK_WORK", block_work)
    monkeypatch.setattr(qr_module, "THIN_WIDTH", width)
    blocked = linalg.HouseholderQR(A, block_size=8)
    scale = np.abs(whole.factors).max(axis=0)
    assert np.all(np.abs(blocked.factors - whole.factors).max(axis=0) <= 1e-13 * scale)
    assert relative_error(blocked.q() @ blocked.r / column_scale, A / column_scale) < 1e-13


def test_qr_overwrite_a_factors_a_fortran_array_in_place(rng):
    A = np.asfortranarray(rng.standard_normal((60, 7)))
    original = A.copy()
    copied = linalg.HouseholderQR(A)
    np.testing.assert_array_equal(A, original)  # the default never touches A
    in_place = linalg.HouseholderQR(A, overwrite_a=True)
    assert in_place.factors is A
    np.testing.assert_array_equal(in_place.factors, copied.factors)
    C_order = np.ascontiguousarray(original)  # not column-major: copied, left intact
    assert linalg.HouseholderQR(C_order, overwrite_a=True).factors is not C_order
    np.testing.assert_array_equal(C_order, original)


@pytest.mark.parametrize("shape", [(120, 30), (50, 50), (20, 45)])
def test_qr_matches_numpy_up_to_row_signs(shape, rng):
    A = rng.standard_normal(shape)
    R = linalg.qr(A, mode="r")
    R_np = np.linalg.qr(A, mode="r")
    # R is unique up to the signs of its rows when A has full rank.
    signs = np.sign(np.diagonal(R)) * np.sign(np.diagonal(R_np))
    np.testing.assert_allclose(R * signs[:, None], R_np, atol=1e-12 * np.abs(R_np).max())


@pytest.mark.parametrize("shape", [(60, 20), (25, 25), (10, 30)])
def test_qr_complete_mode(shape, rng):
    A = rng.standard_normal(shape)
    Q, R = linalg.qr(A, mode="complete", block_size=4)
    m = shape[0]
    assert Q.shape == (m, m) and R.shape == shape
    assert np.abs(Q.T @ Q - np.eye(m)).max() < 1e-12
    assert relative_error(Q @ R, A) < 1e-12


def test_qr_float32_is_preserved(rng):
    A = rng.standard_normal((200, 50)).astype(np.float32)
    Q, R = linalg.qr(A)
    assert Q.dtype == np.float32 and R.dtype == np.float32
    assert relative_error(Q.astype(float) @ R.astype(float), A.astype(float)) < 1e-5
    assert np.abs(Q.T @ Q - np.eye(50)).max() < 1e-5


def test_apply_q_and_qt_without_forming_q(rng):
    A = rng.standard_normal((90, 35))
    B = rng.standard_normal((90, 4))
    fact = linalg.HouseholderQR(A, block_size=16)
    Q = fact.q("complete")
    np.testing.assert_allclose(fact.apply_qt(B), Q.T @ B, atol=1e-12)
    np.testing.assert_allclose(fact.apply_q(B), Q @ B, atol=1e-12)
    np.testing.assert_allclose(fact.apply_qt(B[:, 0]), Q.T @ B[:, 0], atol=1e-12)


def test_qr_handles_huge_and_tiny_scales_without_overflow(rng):
    A = rng.standard_normal((30, 10))
    for scale in (1e200, 1e-200):
        Q, R = linalg.qr(A * scale)
        assert np.isfinite(R).all()
        assert relative_error((Q @ R) / scale, A) < 1e-12  # the norm of A * 1e200 overflows


def test_qr_zero_column_gives_identity_reflector(rng):
    A = rng.standard_normal((10, 3))
    A[:, 1] = 0.0
    Q, R = linalg.qr(A)
    assert relative_error(Q @ R, A) < 1e-14
    assert R[1, 1] == 0.0


@settings(max_examples=25, deadline=None)
@given(m=st.integers(1, 40), n=st.integers(1, 40), block=st.integers(1, 9), seed=st.integers(0, 99))
def test_qr_property(m, n, block, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    Q, R = linalg.qr(A, block_size=block)
    assert np.abs(Q @ R - A).max() < 1e-12 * max(1.0, np.abs(A).max()) * max(m, n)
    assert np.abs(Q.T @ Q - np.eye(min(m, n))).max() < 1e-12


def test_qr_bad_input():
    with pytest.raises(ValueError, match="2-D"):
        linalg.qr(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        linalg.qr([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(ValueError, match="mode must be"):
        linalg.qr(np.eye(2), mode="full")
    with pytest.raises(ValueError, match="block_size"):
        linalg.qr(np.eye(2), block_size=0)


# -- triangular solves ---------------------------------------------------------------------


@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("trans", [False, True])
@pytest.mark.parametrize("unit_diagonal", [False, True])
@pytest.mark.parametrize("n_rhs", [None, 7])
def test_solve_triangular_matches_numpy(lower, trans, unit_diagonal, n_rhs, rng):
    n = 75
    # Small off-diagonal entries: random unit-triangular matrices are otherwise exponentially
    # ill-conditioned, and the comparison would measure conditioning instead of correctness.
    full = rng.standard_normal((n, n)) / n + 2 * np.eye(n)
    T = np.tril(full) if lower else np.triu(full)
    reference = T.copy()
    if unit_diagonal:
        np.fill_diagonal(reference, 1.0)
    if trans:
        reference = reference.T
    B = rng.standard_normal(n if n_rhs is None else (n, n_rhs))
    X = linalg.solve_triangular(T, B, lower=lower, trans=trans, unit_diagonal=unit_diagonal)
    assert X.shape == B.shape
    np.testing.assert_allclose(X, np.linalg.solve(reference, B), rtol=1e-10, atol=1e-12)


def test_solve_triangular_reads_only_its_triangle(rng):
    T = np.triu(rng.standard_normal((20, 20))) + 5 * np.eye(20)
    garbage = T + np.tril(rng.standard_normal((20, 20)), -1)
    b = rng.standard_normal(20)
    assert_close_to_scale(linalg.solve_triangular(garbage, b), np.linalg.solve(T, b), rtol=1e-7)


def test_solve_triangular_float32(rng):
    T = (np.triu(rng.standard_normal((30, 30))) + 6 * np.eye(30)).astype(np.float32)
    b = rng.standard_normal(30).astype(np.float32)
    x = linalg.solve_triangular(T, b)
    assert x.dtype == np.float32
    assert_close_to_scale(x, np.linalg.solve(T.astype(float), b.astype(float)), rtol=1e-4)


def test_solve_triangular_bad_input(rng):
    T = np.triu(rng.standard_normal((4, 4))) + np.eye(4)
    with pytest.raises(ValueError, match="square"):
        linalg.solve_triangular(np.ones((3, 4)), np.ones(3))
    with pytest.raises(ValueError, match="B has 3 rows but T has 4"):
        linalg.solve_triangular(T, np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        linalg.solve_triangular(T, [1.0, np.nan, 0.0, 0.0])
    singular = T.copy()
    singular[2, 2] = 0.0
    with pytest.raises(LinAlgError, match=r"T\[2, 2\] is zero"):
        linalg.solve_triangular(singular, np.ones(4))


# -- Cholesky ------------------------------------------------------------------------------


@pytest.mark.parametrize("n, block_size", [(1, 64), (50, 64), (150, 64), (150, 7)])
def test_cholesky_matches_numpy(n, block_size, rng):
    X = rng.standard_normal((2 * n + 3, n))
    A = X.T @ X
    L = linalg.cholesky(A, block_size=block_size)
    L_np = np.linalg.cholesky(A)
    np.testing.assert_allclose(L, L_np, atol=1e-10 * np.abs(L_np).max())
    assert np.array_equal(L, np.tril(L))
    np.testing.assert_allclose(linalg.cholesky(A, lower=False), L.T)


def test_cholesky_float32(rng):
    X = rng.standard_normal((80, 20))
    A = (X.T @ X).astype(np.float32)
    L = linalg.cholesky(A)
    assert L.dtype == np.float32
    np.testing.assert_allclose(L, np.linalg.cholesky(A.astype(float)), rtol=1e-4, atol=1e-4)


def test_cholesky_not_positive_definite_names_the_leading_minor():
    A = np.eye(5)
    A[2, 2] = -1.0  # the leading minors of order 1 and 2 are fine, order 3 is not
    with pytest.raises(LinAlgError, match="leading principal minor of order 3"):
        linalg.cholesky(A)
    with pytest.raises(LinAlgError, match="order 1"):
        linalg.cholesky(np.zeros((3, 3)))


def test_cholesky_bad_input(rng):
    with pytest.raises(ValueError, match="square"):
        linalg.cholesky(np.ones((3, 4)))
    with pytest.raises(ValueError, match="2-D"):
        linalg.cholesky(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        linalg.cholesky([[1.0, np.nan], [np.nan, 1.0]])
    with pytest.raises(ValueError, match="symmetric"):
        linalg.cholesky([[2.0, 1.0], [0.0, 2.0]])


def test_cho_solve_matches_numpy(rng):
    X = rng.standard_normal((60, 25))
    A = X.T @ X
    B = rng.standard_normal((25, 3))
    L = linalg.cholesky(A)
    assert_close_to_scale(linalg.cho_solve(L, B), np.linalg.solve(A, B), rtol=1e-10)
    assert_close_to_scale(linalg.cho_solve(L.T, B, lower=False), np.linalg.solve(A, B), rtol=1e-10)
    with pytest.raises(ValueError, match="B has 4 rows but L has 25"):
        linalg.cho_solve(L, np.ones(4))


# -- conditioning --------------------------------------------------------------------------


@pytest.mark.parametrize("cond", [1e2, 1e6, 1e10])
def test_condition_estimates_are_close_lower_bounds(cond, rng):
    A = matrix_with_condition(60, 60, cond, rng)
    R = np.linalg.qr(A, mode="r")
    exact = np.linalg.cond(R, 1)
    estimate = linalg.cond_triangular(R)
    assert exact / 3 <= estimate <= exact * (1 + 1e-8)
    G = A.T @ A + 1e-3 * np.eye(60) if cond == 1e10 else A.T @ A
    L = np.linalg.cholesky(G)
    exact = np.linalg.cond(G, 1)
    assert exact / 3 <= linalg.cond_cholesky(G, L) <= exact * (1 + 1e-6)


def test_check_condition_rule():
    eps = np.finfo(np.float64).eps
    linalg.check_condition(10.0, size=5, dtype=np.float64)  # silent
    with pytest.warns(IllConditionedWarning, match="ill-conditioned"):
        linalg.check_condition(2 / np.sqrt(eps), size=5, dtype=np.float64)
    with pytest.raises(LinAlgError, match="singular"):
        linalg.check_condition(1 / (5 * eps), size=5, dtype=np.float64, hint="Use Ridge.")
    with pytest.raises(LinAlgError, match="Use Ridge"):
        linalg.check_condition(np.inf, size=5, dtype=np.float64, hint="Use Ridge.")


# -- least squares -------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(200, 30), (45, 45), (1000, 5)])
@pytest.mark.parametrize("n_rhs", [None, 3])
def test_lstsq_matches_numpy(shape, n_rhs, rng):
    A = rng.standard_normal(shape)
    b = rng.standard_normal(shape[0] if n_rhs is None else (shape[0], n_rhs))
    x = linalg.lstsq(A, b)
    np.testing.assert_allclose(x, np.linalg.lstsq(A, b, rcond=None)[0], rtol=1e-10, atol=1e-12)


def test_lstsq_moderately_ill_conditioned_matches_numpy(rng):
    A = matrix_with_condition(300, 20, 1e6, rng)
    x_true = rng.standard_normal(20)
    b = A @ x_true + 1e-8 * rng.standard_normal(300)
    x = linalg.lstsq(A, b)
    x_np = np.linalg.lstsq(A, b, rcond=None)[0]
    # Both are backward stable: they agree to about cond² · eps relative to |x|.
    assert relative_error(x, x_np) < 1e-12 * 1e6


def test_lstsq_warns_when_ill_conditioned(rng):
    A = matrix_with_condition(100, 10, 1e10, rng)
    b = rng.standard_normal(100)
    with pytest.warns(IllConditionedWarning):
        x = linalg.lstsq(A, b)
    assert np.isfinite(x).all()


def test_lstsq_rank_deficient_names_the_column_and_returns_the_minimum_norm_solution(rng):
    A = rng.standard_normal((50, 4))
    A[:, 2] = A[:, 0] - 3 * A[:, 1]
    b = rng.standard_normal(50)
    with pytest.warns(RankDeficientWarning, match=r"rank 3 < 4 columns\. Column \d is a linear"):
        x, rank = linalg.lstsq(A, b, return_rank=True)
    assert rank == 3 == np.linalg.matrix_rank(A)
    x_np = np.linalg.lstsq(A, b, rcond=None)[0]  # the SVD's minimum-norm solution
    np.testing.assert_allclose(x, x_np, rtol=1e-12, atol=1e-12 * np.abs(x_np).max())


def test_lstsq_underdetermined_is_the_minimum_norm_solution(rng):
    A, b = rng.standard_normal((3, 5)), rng.standard_normal(3)
    with pytest.warns(RankDeficientWarning, match=r"rank 3 < 5 columns \(with 3 rows"):
        x = linalg.lstsq(A, b)
    np.testing.assert_allclose(x, np.linalg.lstsq(A, b, rcond=None)[0], rtol=1e-12, atol=1e-14)


def test_lstsq_bad_shapes_and_values(rng):
    with pytest.raises(ValueError, match="b has 4 rows but A has 5"):
        linalg.lstsq(rng.standard_normal((5, 2)), np.ones(4))
    with pytest.raises(ValueError, match="infinity"):
        linalg.lstsq(rng.standard_normal((5, 2)), [1.0, 2.0, np.inf, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"rtol must be in \[0, 1\)"):
        linalg.lstsq(rng.standard_normal((5, 2)), np.ones(5), rtol=1.0)
    with pytest.raises(TypeError, match="rtol"):
        linalg.lstsq(rng.standard_normal((5, 2)), np.ones(5), rtol="small")


def test_lstsq_float32(rng):
    A = rng.standard_normal((100, 8)).astype(np.float32)
    b = rng.standard_normal(100).astype(np.float32)
    x = linalg.lstsq(A, b)
    assert x.dtype == np.float32
    np.testing.assert_allclose(x, np.linalg.lstsq(A.astype(float), b.astype(float))[0], rtol=1e-4)


def test_linalg_error_is_a_value_error():
    assert issubclass(LinAlgError, ValueError)
