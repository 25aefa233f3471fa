"""QR with column pivoting and the complete orthogonal decomposition against LAPACK (SciPy's
geqp3) and the SVD (numpy.linalg.lstsq, matrix_rank): rank, pivots and the minimum-norm
least-squares solution."""

import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch import linalg
from fromscratch.linalg import IllConditionedWarning, RankDeficientWarning
from fromscratch.linalg import _lstsq as lstsq_module


def low_rank(m, n, rank, rng, dtype=np.float64):
    """A random m×n matrix of exactly the given rank (a product through a rank-wide middle)."""
    return (rng.standard_normal((m, rank)) @ rng.standard_normal((rank, n))).astype(dtype)


def assert_min_norm_solution(x, A, b, rtol):
    """x equals the SVD's minimum-norm least-squares solution, to rtol of its scale."""
    # The rank tolerance of A's own precision: a float32 matrix of rank r has more singular
    # values in float64, at the level of its float32 rounding.
    rcond = max(A.shape) * np.finfo(A.dtype).eps
    x_svd = np.linalg.lstsq(A.astype(float), b.astype(float), rcond=rcond)[0]
    scale = max(np.abs(x_svd).max(), np.finfo(float).tiny)
    np.testing.assert_allclose(x, x_svd, rtol=0, atol=rtol * scale)


SHAPES_AND_RANKS = [((60, 12), 12), ((60, 12), 7), ((12, 12), 11), ((10, 30), 10),
                    ((10, 30), 4), ((5, 5), 1)]


# -- QR with column pivoting ---------------------------------------------------------------


@pytest.mark.parametrize(("shape", "rank"), SHAPES_AND_RANKS)
def test_pivoted_qr_matches_lapack_and_reveals_the_rank(shape, rank):
    rng = np.random.default_rng(rank)
    A = low_rank(*shape, rank, rng)
    fact = linalg.PivotedHouseholderQR(A)
    Q, R = fact.q(), fact.r
    k = min(shape)
    assert fact.rank == rank == np.linalg.matrix_rank(A)
    np.testing.assert_allclose(Q @ R, A[:, fact.perm], atol=1e-13 * np.abs(A).max())
    np.testing.assert_allclose(Q.T @ Q, np.eye(k), atol=1e-14)
    diagonal = np.abs(np.diagonal(R))
    assert np.all(np.diff(diagonal[:rank]) <= 0)  # the pivoting orders the |R_jj|
    assert diagonal[rank:].max(initial=0) <= fact.tolerance < diagonal[rank - 1]
    # LAPACK's geqp3 chooses the same pivots (it downdates the column norms we recompute):
    # compare the first `rank` ones, beyond which the choice is among rounding errors.
    _, R_lapack, perm_lapack = scipy.linalg.qr(A, pivoting=True, mode="economic")
    np.testing.assert_array_equal(fact.perm[:rank], perm_lapack[:rank])
    np.testing.assert_allclose(diagonal[:rank], np.abs(np.diagonal(R_lapack))[:rank],
                               rtol=1e-12, atol=1e-13 * diagonal[0])


def test_pivoted_qr_float32_and_extreme_scales():
    rng = np.random.default_rng(1)
    A = low_rank(40, 8, 5, rng, np.float32)
    fact = linalg.PivotedHouseholderQR(A)
    assert fact.rank == 5 and fact.r.dtype == np.float32
    np.testing.assert_allclose(fact.q() @ fact.r, A[:, fact.perm], atol=1e-5 * np.abs(A).max())
    # The squared column norms of the pivot search would overflow (1e200²) or underflow
    # (1e-200²) unscaled; the rank and R scale with A.
    B = low_rank(30, 6, 4, rng)
    reference = linalg.PivotedHouseholderQR(B)
    for scale in (1e200, 1e-200):
        scaled = linalg.PivotedHouseholderQR(B * scale)
        # The pivots after the rank are chosen among rounding errors: compare up to it.
        assert scaled.rank == 4
        np.testing.assert_array_equal(scaled.perm[:4], reference.perm[:4])
        np.testing.assert_allclose(scaled.r[:4, :4] / scale, reference.r[:4, :4], rtol=1e-12,
                                   atol=1e-13 * np.abs(reference.r).max())
        np.testing.assert_allclose((scaled.q() @ scaled.r) / scale, B[:, scaled.perm],
                                   atol=1e-13 * np.abs(B).max())


@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_qr_pivoted_modes(mode):
    A = low_rank(9, 5, 3, np.random.default_rng(2))
    out = linalg.qr_pivoted(A, mode=mode)
    if mode == "r":
        R, perm = out
        assert R.shape == (5, 5)
        np.testing.assert_allclose(R.T @ R, A[:, perm].T @ A[:, perm], atol=1e-12)
    else:
        Q, R, perm = out
        assert Q.shape == ((9, 5) if mode == "reduced" else (9, 9))
        np.testing.assert_allclose(Q @ R, A[:, perm], atol=1e-13)
    with pytest.raises(ValueError, match="mode must be"):
        linalg.qr_pivoted(A, mode="economic")


def test_pivoted_qr_rank_tolerance():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((50, 4))
    A[:, 3] = A[:, 0] + 1e-9 * rng.standard_normal(50)  # independent, but only just
    assert linalg.PivotedHouseholderQR(A).rank == 4
    assert linalg.PivotedHouseholderQR(A, rtol=1e-6).rank == 3
    assert linalg.PivotedHouseholderQR(np.zeros((3, 2))).rank == 0
    with pytest.raises(ValueError, match=r"rtol must be in \[0, 1\)"):
        linalg.PivotedHouseholderQR(A, rtol=-1e-3)


# -- the complete orthogonal decomposition and lstsq -------------------------------------------


@pytest.mark.parametrize(("shape", "rank"), SHAPES_AND_RANKS)
@pytest.mark.parametrize("n_rhs", [None, 3])
def test_cod_solution_is_the_minimum_norm_least_squares_solution(shape, rank, n_rhs):
    rng = np.random.default_rng(10 * rank + shape[1])
    A = low_rank(*shape, rank, rng)
    b = rng.standard_normal(shape[0] if n_rhs is None else (shape[0], n_rhs))
    cod = linalg.CompleteOrthogonalDecomposition(A)
    x = cod.solve(b)
    assert cod.rank == rank and x.shape == (shape[1],) + b.shape[1:]
    assert_min_norm_solution(x, A, b, rtol=1e-11)
    # Independently of the reference: the residual is orthogonal to the columns (normal
    # equations), and x is orthogonal to the null space of A (nothing in it adds to ‖x‖).
    null_space = np.linalg.svd(A)[2][rank:].T
    scale = np.abs(A).max() ** 2 * max(np.abs(x).max(), 1.0)
    assert np.abs(A.T @ (A @ x - b)).max() <= 1e-11 * scale * max(shape)
    assert np.abs(null_space.T @ x).max(initial=0.0) <= 1e-12 * np.abs(x).max()


def test_cod_reuses_an_existing_qr_and_reports_its_parts():
    rng = np.random.default_rng(4)
    A = low_rank(30, 6, 4, rng)
    fact = linalg.HouseholderQR(A)
    cod = linalg.CompleteOrthogonalDecomposition(fact)
    b = rng.standard_normal(30)
    np.testing.assert_allclose(cod.solve(b), linalg.CompleteOrthogonalDecomposition(A).solve(b),
                               rtol=1e-13, atol=1e-15)
    assert cod.shape == (30, 6) and len(cod.dependent_columns) == 2
    assert set(cod.dependent_columns) == set(cod.perm[4:])
    assert 1 <= cod.cond() < 1e4


def test_cod_of_a_zero_matrix_is_the_zero_solution():
    cod = linalg.CompleteOrthogonalDecomposition(np.zeros((4, 3)))
    assert cod.rank == 0 and cod.cond() == np.inf
    np.testing.assert_array_equal(cod.solve(np.ones(4)), np.zeros(3))
    with pytest.warns(RankDeficientWarning, match="rank 0 < 3 columns"):
        np.testing.assert_array_equal(linalg.lstsq(np.zeros((4, 3)), np.ones(4)), np.zeros(3))


@pytest.mark.parametrize(
    ("make", "dependent"),
    [
        (lambda X: np.column_stack([X, X[:, 1]]), [4]),  # a duplicated column
        (lambda X: np.column_stack([X, 2 * X[:, 0] - X[:, 3]]), None),  # a combination
        (lambda X: np.column_stack([X[:, :2], np.zeros(len(X)), X[:, 2:]]), [2]),  # zero column
    ],
    ids=["duplicate", "combination", "zero"],
)
def test_lstsq_on_dependent_columns_warns_and_matches_the_svd(make, dependent):
    rng = np.random.default_rng(5)
    A = make(rng.standard_normal((40, 4)))
    b = rng.standard_normal(40)
    with pytest.warns(RankDeficientWarning, match="rank 4 < 5 columns") as caught:
        x, rank = linalg.lstsq(A, b, return_rank=True)
    assert rank == 4
    assert_min_norm_solution(x, A, b, rtol=1e-12)
    if dependent is not None:
        assert f"Column {dependent[0]} is a linear combination" in str(caught[0].message)


def test_lstsq_names_at_most_ten_dependent_columns():
    rng = np.random.default_rng(6)
    with pytest.warns(RankDeficientWarning, match=r"Columns (\d+, ){10}and 15 more are"):
        linalg.lstsq(rng.standard_normal((5, 30)), rng.standard_normal(5))


def test_lstsq_warns_ill_conditioned_on_a_rank_deficient_problem_only_when_it_is(rng=None):
    rng = np.random.default_rng(7)
    U = np.linalg.qr(rng.standard_normal((50, 3)))[0]
    A = (U * [1.0, 1e-9, 1.0]) @ np.linalg.qr(rng.standard_normal((3, 3)))[0]  # κ = 1e9
    A = np.column_stack([A, A[:, 0]])  # plus a duplicate: rank 3 of 4
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        linalg.lstsq(A, rng.standard_normal(50))
    assert {w.category for w in caught} == {RankDeficientWarning, IllConditionedWarning}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        linalg.lstsq(np.column_stack([U, U[:, 0]]), rng.standard_normal(50))
    assert {w.category for w in caught} == {RankDeficientWarning}


def test_lstsq_rtol_truncates_a_nearly_dependent_column():
    rng = np.random.default_rng(8)
    A = rng.standard_normal((60, 4))
    A[:, 2] = A[:, 1] + 1e-9 * rng.standard_normal(60)
    b = rng.standard_normal(60)
    with pytest.warns(RankDeficientWarning, match="rank 3 < 4"):
        x, rank = linalg.lstsq(A, b, rtol=1e-6, return_rank=True)
    assert rank == 3
    # The SVD truncated at the same rank drops the singular value ~1e-9 where the COD drops
    # R₂₂ ~1e-9: the two solutions agree to about that.
    x_svd = np.linalg.lstsq(A, b, rcond=1e-6)[0]
    np.testing.assert_allclose(x, x_svd, atol=1e-7 * np.abs(x_svd).max())


def test_full_rank_lstsq_never_pivots(monkeypatch):
    """Well-conditioned full-rank problems take the fast path: no pivoted QR is made."""

    def refuse(*args, **kwargs):
        raise AssertionError("the complete orthogonal decomposition was computed")

    monkeypatch.setattr(lstsq_module, "CompleteOrthogonalDecomposition", refuse)
    rng = np.random.default_rng(9)
    A, b = rng.standard_normal((500, 30)), rng.standard_normal(500)
    np.testing.assert_allclose(linalg.lstsq(A, b), np.linalg.lstsq(A, b, rcond=None)[0],
                               rtol=1e-10, atol=1e-13)


def test_lstsq_float32_rank_deficient():
    rng = np.random.default_rng(11)
    A = low_rank(50, 6, 4, rng, np.float32)
    b = rng.standard_normal(50).astype(np.float32)
    with pytest.warns(RankDeficientWarning, match="rank 4 < 6"):
        x = linalg.lstsq(A, b)
    assert x.dtype == np.float32
    assert_min_norm_solution(x, A, b, rtol=1e-4)


@settings(max_examples=40, deadline=None)
@given(m=st.integers(1, 25), n=st.integers(1, 25), rank=st.integers(0, 25),
       seed=st.integers(0, 2**16))
def test_lstsq_property_minimum_norm(m, n, rank, seed):
    rank = min(rank, m, n)
    rng = np.random.default_rng(seed)
    A = low_rank(m, n, rank, rng)
    b = rng.standard_normal(m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RankDeficientWarning)
        warnings.simplefilter("ignore", IllConditionedWarning)
        x, found = linalg.lstsq(A, b, return_rank=True)
    assert found == np.linalg.matrix_rank(A)
    # A random low-rank product can be ill-conditioned on its range (κ up to ~1e4 at these
    # sizes), and the solution's error grows with κ: allow κ·1e-12.
    s = np.linalg.svd(A, compute_uv=False)
    kappa = s[0] / s[rank - 1] if rank else 1.0
    assert_min_norm_solution(x, A, b, rtol=1e-12 * max(kappa, 1.0) * max(m, n))
