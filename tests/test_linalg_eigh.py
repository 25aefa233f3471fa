"""fromscratch.linalg.eigh (divide and conquer) and eigh_textbook (the QR algorithm) against
numpy.linalg.eigh and scipy.linalg.eigh_tridiagonal, and against the defining identities.

Tolerances follow the backward-error bounds of a stable symmetric eigensolver: eigenvalues and
the residual ‖AV - VΛ‖ to a small multiple of n ε ‖A‖₂, orthogonality ‖VᵀV - I‖ to a small
multiple of n ε (Golub & Van Loan §8.3.6). The multiple is 4: across 17,000 random matrices of
eight kinds (random, repeated and clustered eigenvalues, integer, low rank, Toeplitz, graded,
scaled by 10^±200) the worst of the three was 1.9 n ε ‖A‖ against NumPy's eigenvalues (whose
own error is in the difference).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from fromscratch import linalg
from fromscratch.linalg import LinAlgError
from fromscratch.linalg import _eigh_tridiagonal as tridiagonal

scipy_linalg = pytest.importorskip("scipy.linalg")

EIGENSOLVERS = {"eigh": linalg.eigh, "eigh_textbook": linalg.eigh_textbook}


def assert_eigendecomposition(A, w, V, *, dtype=np.float64, multiple=4.0):
    """w against NumPy's eigenvalues, and the residual and orthogonality of V."""
    A = np.asarray(A, dtype=np.float64)
    n = A.shape[0]
    eps = np.finfo(dtype).eps
    reference = np.linalg.eigvalsh(A)
    norm = max(np.abs(reference).max(), np.finfo(np.float64).tiny)  # ‖A‖₂
    assert w.dtype == dtype and V.dtype == dtype and V.shape == (n, n)
    assert np.all(np.diff(w) >= 0), "eigenvalues must be ascending"
    w64, V64 = w.astype(np.float64), V.astype(np.float64)
    assert np.abs(w64 - reference).max() <= multiple * n * eps * norm
    assert np.abs(A @ V64 - V64 * w64).max() <= multiple * n * eps * norm
    assert np.abs(V64.T @ V64 - np.eye(n)).max() <= multiple * n * eps


def random_symmetric(n, rng):
    B = rng.standard_normal((n, n))
    return B + B.T


def with_eigenvalues(eigenvalues, rng):
    """Q diag(λ) Qᵀ for a random orthogonal Q."""
    n = len(eigenvalues)
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
    A = (Q * eigenvalues) @ Q.T
    return (A + A.T) / 2


def glued_wilkinson(copies, glue):
    """Copies of Wilkinson's W21+ (pairs of eigenvalues equal to 15 digits) joined by ``glue``
    on the off-diagonal: the classic hard case for deflation in divide and conquer."""
    d = np.tile(np.abs(np.arange(-10, 11)).astype(float), copies)
    e = np.ones(21 * copies - 1)
    e[20::21] = glue
    return np.diag(d) + np.diag(e, 1) + np.diag(e, -1)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# -- against NumPy, on the matrices that stress an eigensolver ------------------------------


@pytest.mark.parametrize("solver", EIGENSOLVERS)
@pytest.mark.parametrize("n", [1, 2, 3, 10, 17, 40, 130])
def test_random_symmetric(solver, n, rng):
    A = random_symmetric(n, rng)
    assert_eigendecomposition(A, *EIGENSOLVERS[solver](A))


@pytest.mark.parametrize("solver", EIGENSOLVERS)
@pytest.mark.parametrize(
    "kind",
    ["repeated", "clustered", "glued 1e-14", "glued 1e-8", "graded", "low-rank Gram",
     "integer", "Toeplitz"],
)
def test_hard_spectra(solver, kind, rng):
    n = 90
    if kind == "repeated":  # three eigenvalues of multiplicity 30
        A = with_eigenvalues(np.repeat([1.0, 2.0, 5.0], 30), rng)
    elif kind == "clustered":  # four clusters 1e-12 wide
        A = with_eigenvalues(np.repeat([-1.0, 1.0, 2.0, 3.0], 23)[:n]
                             + 1e-12 * rng.standard_normal(n), rng)
    elif kind.startswith("glued"):
        A = glued_wilkinson(4, float(kind.split()[1]))
    elif kind == "graded":  # entries from 1 down to 1e-24
        grading = 10.0 ** -np.linspace(0, 12, n)
        A = random_symmetric(n, rng) * grading[:, None] * grading[None, :]
    elif kind == "low-rank Gram":  # XᵀX of rank 30, columns scaled down to 1e-6
        X = rng.standard_normal((30, n)) * np.logspace(0, -6, n)
        A = X.T @ X
    elif kind == "integer":  # small integers: many exactly repeated eigenvalues
        B = rng.integers(-2, 3, (n, n)).astype(float)
        A = B + B.T
    else:  # tridiag(-1, 2, -1): eigenvalues 2 - 2cos(kπ/(n+1))
        A = 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
    assert_eigendecomposition(A, *EIGENSOLVERS[solver](A))


def test_toeplitz_eigenvalues_have_a_closed_form():
    n = 50
    A = 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
    exact = 2 - 2 * np.cos(np.arange(1, n + 1) * np.pi / (n + 1))
    for solve in EIGENSOLVERS.values():
        np.testing.assert_allclose(solve(A)[0], exact, rtol=0, atol=4 * n * np.finfo(float).eps * 4)


@pytest.mark.parametrize("solver", EIGENSOLVERS)
def test_eigenvectors_equal_numpys_up_to_sign(solver, rng):
    # Eigenvalues at least 0.1 apart: each eigenvector is determined up to its sign, to
    # about ε‖A‖/gap.
    n = 40
    A = with_eigenvalues(np.linspace(-2.0, 2.0, n), rng)
    _, V = EIGENSOLVERS[solver](A)
    _, V_np = np.linalg.eigh(A)
    signs = np.sign(np.sum(V * V_np, axis=0))
    np.testing.assert_allclose(V * signs, V_np, rtol=0, atol=1e-12)


@pytest.mark.parametrize("solver", EIGENSOLVERS)
def test_diagonal_zero_and_one_by_one(solver):
    solve = EIGENSOLVERS[solver]
    w, V = solve(np.diag([3.0, -1.0, 2.0, 2.0]))
    np.testing.assert_array_equal(w, [-1.0, 2.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.abs(V), np.eye(4)[:, [1, 2, 3, 0]])
    w, V = solve(np.zeros((5, 5)))
    np.testing.assert_array_equal(w, np.zeros(5))
    np.testing.assert_array_equal(V, np.eye(5))
    w, V = solve([[-7.5]])
    assert w.tolist() == [-7.5] and V.tolist() == [[1.0]]


@pytest.mark.parametrize("solver", EIGENSOLVERS)
@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_extreme_scales_neither_overflow_nor_underflow(solver, scale, rng):
    A = random_symmetric(30, rng)
    w, V = EIGENSOLVERS[solver](A * scale)
    reference, _ = EIGENSOLVERS[solver](A)
    np.testing.assert_allclose(w, reference * scale, rtol=1e-13)


@pytest.mark.parametrize("solver", EIGENSOLVERS)
def test_float32_stays_float32(solver, rng):
    A = random_symmetric(60, rng).astype(np.float32)
    w, V = EIGENSOLVERS[solver](A)
    assert_eigendecomposition(A, w, V, dtype=np.float32)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 40), st.just(1)),
                  elements=st.floats(-1e3, 1e3, width=64)),
       st.integers(0, 2**32 - 1))
def test_property_reconstruction(diagonal, seed):
    """A = V diag(w) Vᵀ for random symmetric matrices with arbitrary diagonals."""
    n = diagonal.shape[0]
    rng = np.random.default_rng(seed)
    A = random_symmetric(n, rng) + np.diag(diagonal[:, 0])
    w, V = linalg.eigh(A)
    norm = max(np.abs(A).sum(axis=0).max(), 1e-300)
    assert np.abs((V * w) @ V.T - A).max() <= 4 * n * np.finfo(float).eps * norm
    assert np.abs(V.T @ V - np.eye(n)).max() <= 4 * n * np.finfo(float).eps


# -- the parts: blocked against textbook, divide and conquer against SciPy ------------------


@pytest.mark.parametrize("block_size", [1, 3, 8, 64])
def test_blocked_tridiagonalization_against_the_textbook_one(block_size, rng):
    from fromscratch.linalg._eigh import _apply_q, _tridiagonalize, _tridiagonalize_textbook

    n = 37
    A = random_symmetric(n, rng)
    work = A.copy()
    d, e, tau = _tridiagonalize(work, block_size)
    Q = _apply_q(work, tau, np.eye(n), block_size)
    T = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    eps, norm = np.finfo(float).eps, np.abs(np.linalg.eigvalsh(A)).max()
    # Backward stable: QᵀAQ = T for an orthogonal Q, to n ε ‖A‖.
    assert np.abs(Q.T @ A @ Q - T).max() <= 4 * n * eps * norm
    assert np.abs(Q.T @ Q - np.eye(n)).max() <= 4 * n * eps
    # The same T as the textbook's, to the conditioning of the reduction: its entries are
    # sensitive functions of A (as in Lanczos, errors grow along the diagonal) — perturbing A
    # by ε‖A‖ moves d by 1.5e-12 here, and a different block size only reorders the rounding.
    d_ref, e_ref, _ = _tridiagonalize_textbook(A.copy())
    np.testing.assert_allclose(d, d_ref, rtol=0, atol=1e-10 * norm)
    np.testing.assert_allclose(e, e_ref, rtol=0, atol=1e-10 * norm)  # same reflector signs
    assert_eigendecomposition(A, *linalg.eigh(A, block_size=block_size))


@pytest.mark.parametrize("leaf_size", [1, 2, 5, 16, 200])
def test_divide_and_conquer_against_scipy(leaf_size, rng):
    """Every merge level, from 1×1 leaves up (leaf_size=1) to the QR algorithm alone (200)."""
    n = 150
    d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
    w, Z = tridiagonal.tridiagonal_eigh(d, e, leaf_size=leaf_size)
    order = np.argsort(w)
    reference = scipy_linalg.eigh_tridiagonal(d, e, eigvals_only=True)
    T = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    norm = np.abs(reference).max()
    eps = np.finfo(float).eps
    assert np.abs(w[order] - reference).max() <= 4 * n * eps * norm
    assert np.abs(T @ Z - Z * w).max() <= 4 * n * eps * norm
    assert np.abs(Z.T @ Z - np.eye(n)).max() <= 4 * n * eps


def test_deflation_by_rotation_keeps_the_eigenvectors_orthogonal(monkeypatch):
    """Glued copies of W21+ have the same eigenvalues: the merges meet equal poles from the two
    halves and deflate them by rotations."""
    rotated = []
    original = tridiagonal._deflate

    def recording(d, z, Q, rho):
        before = Q.copy()
        keep = original(d, z, Q, rho)
        rotated.append(bool(np.any(Q != before)))
        return keep

    monkeypatch.setattr(tridiagonal, "_deflate", recording)
    A = glued_wilkinson(4, 1e-8)
    assert_eigendecomposition(A, *linalg.eigh(A))
    assert any(rotated)


def test_secular_equation_roots_interlace_and_are_exact_for_zhat(rng):
    """The roots of 1 + ρ Σ z_i²/(d_i - λ) against NumPy's eigenvalues of diag(d) + ρzzᵀ, with
    roots squeezed between poles 1e-13 apart and with tiny weights."""
    d = np.sort(np.concatenate([rng.standard_normal(30), [0.5, 0.5 + 1e-13, 0.5 + 3e-13]]))
    z = rng.standard_normal(d.size)
    z[:3] *= 1e-9
    z /= np.sqrt(z @ z)
    rho = 1.7
    w, U = tridiagonal._secular_eigenpairs(d, z, rho)
    reference = np.linalg.eigvalsh(np.diag(d) + rho * np.outer(z, z))
    # Interlacing; a root closer to its pole than an ulp of the pole rounds onto it.
    assert np.all(w >= d) and np.all(w[:-1] <= d[1:])
    np.testing.assert_allclose(w, reference, rtol=0, atol=64 * np.finfo(float).eps)
    np.testing.assert_allclose(U.T @ U, np.eye(d.size), rtol=0, atol=64 * np.finfo(float).eps)


# -- input checks and failures --------------------------------------------------------------


@pytest.mark.parametrize("solver", EIGENSOLVERS)
def test_only_the_lower_triangle_is_read(solver, rng):
    A = random_symmetric(20, rng)
    perturbed = A + np.triu(np.full_like(A, 1e-10), 1)  # asymmetric well within √ε max|A|
    w, V = EIGENSOLVERS[solver](perturbed)
    np.testing.assert_array_equal(w, EIGENSOLVERS[solver](A)[0])


@pytest.mark.parametrize("solver", EIGENSOLVERS)
def test_bad_input(solver):
    solve = EIGENSOLVERS[solver]
    with pytest.raises(ValueError, match="A must be symmetric for a symmetric eigendecomp"):
        solve([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="square"):
        solve(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        solve([[1.0, np.nan], [np.nan, 1.0]])
    with pytest.raises(ValueError, match="max_sweeps must be a positive int"):
        solve(np.eye(2), max_sweeps=0)
    with pytest.raises(ValueError, match="block_size must be a positive int"):
        linalg.eigh(np.eye(2), block_size=0)


def test_qr_iteration_that_runs_out_of_sweeps_raises(rng):
    A = random_symmetric(12, rng)
    for solve in EIGENSOLVERS.values():
        with pytest.raises(LinAlgError, match="did not converge: 12 sweeps .1 per eigenvalue"):
            solve(A, max_sweeps=1)


def test_secular_equation_that_runs_out_of_steps_raises(monkeypatch, rng):
    monkeypatch.setattr(tridiagonal, "MAX_SECULAR_STEPS", 0)
    with pytest.raises(LinAlgError, match="roots of a secular equation .* after 0 steps"):
        linalg.eigh(random_symmetric(40, rng))
