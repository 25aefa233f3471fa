r"""Rank-revealing QR with column pivoting and the complete orthogonal decomposition: the
minimum-norm least-squares solution when the columns are dependent."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from fromscratch.linalg._common import _as_matrix, _check_rtol, _common_float
from fromscratch.linalg._condition import cond_triangular
from fromscratch.linalg._qr import HouseholderQR, _check_mode, _make_reflector, _outputs
from fromscratch.linalg._triangular import _solve_triangular_unchecked


class PivotedHouseholderQR(HouseholderQR):
    r"""Householder QR with column pivoting, :math:`A\Pi = QR` (Businger & Golub, 1965).

    Before step :math:`j` the remaining column that is farthest from the span of the columns
    already chosen — the one with the largest norm in rows :math:`j, j+1, \ldots` — is swapped
    into position :math:`j`; then its reflector is made and applied to the trailing columns,
    as in :func:`~fromscratch.linalg.qr_textbook`. So

    .. math:: |R_{00}| \ge |R_{11}| \ge \cdots \ge |R_{k-1,k-1}|,

    and :math:`|R_{jj}|` is the largest distance of any remaining column from the span of the
    :math:`j` columns before it: once it is negligible, everything left is.

    **Numerical rank.** :math:`r = \#\{j : |R_{jj}| > \mathrm{rtol}\cdot|R_{00}|\}`, by default
    with :math:`\mathrm{rtol} = \max(m, n)\,\varepsilon`: NumPy's ``matrix_rank`` rule
    :math:`\sigma_j > \max(m, n)\,\varepsilon\,\sigma_{\max}` with :math:`|R_{00}|` (the largest
    column norm, between :math:`\sigma_{\max}/\sqrt n` and :math:`\sigma_{\max}`) standing in
    for :math:`\sigma_{\max}`. Column pivoting reveals the rank of practically every matrix;
    rare adversarial ones (Kahan's) need the SVD.

    The column norms are recomputed at every step: downdating them,
    :math:`\|a\|^2 \leftarrow \|a\|^2 - r_{jk}^2`, saves a third of the work but cancels for
    exactly the columns that matter, those nearly in the span of the others. The work is
    :math:`O(mn\min(m, n))` in rank-1 updates, unblocked (LAPACK's ``geqp3`` blocks it): for a
    tall matrix factor :math:`A = Q_0R_0` with :class:`HouseholderQR` first and pivot the small
    :math:`R_0`, as :class:`CompleteOrthogonalDecomposition` does.

    :math:`Q` is applied and formed with the methods of :class:`HouseholderQR` (one reflector
    per block); they refer to :math:`A\Pi`, the columns in pivot order.

    Parameters
    ----------
    A : array-like of shape (m, n)
    rtol : float, optional
        Relative rank tolerance; default ``max(m, n) * eps`` of the dtype.

    Attributes
    ----------
    perm : ndarray of int, shape (n,)
        The column order: ``A[:, perm] = Q @ R``.
    rank : int
    tolerance : float
        The absolute threshold :math:`\mathrm{rtol}\cdot|R_{00}|` on :math:`|R_{jj}|`.
    factors, tau, T_blocks, shape
        As in :class:`HouseholderQR`.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 1.0], [3.0, 6.0, 2.0]])  # column 1 = 2·column 0
    >>> fact = PivotedHouseholderQR(A)
    >>> fact.rank, np.allclose(fact.q() @ fact.r, A[:, fact.perm])
    (2, True)
    """

    def __init__(self, A: Any, *, rtol: float | None = None) -> None:
        A = _as_matrix(A, "A")
        m, n = A.shape
        k = min(m, n)
        rtol = _check_rtol(rtol, m, n, A.dtype)
        factors = np.array(A, order="F", copy=True)
        # Scaled by a power of two (exactly) so that the squared column norms of the pivot
        # search neither overflow nor underflow; R is scaled back at the end.
        exponent = int(np.frexp(np.max(np.abs(factors), initial=0.0))[1])
        np.ldexp(factors, -exponent, out=factors)
        perm = np.arange(n)
        tau = np.zeros(k, dtype=A.dtype)
        tie_rtol = math.sqrt(float(np.finfo(A.dtype).eps))
        for j in range(k):
            trailing = factors[j:, j:]
            norms = np.einsum("ij,ij->j", trailing, trailing)
            # Norms equal to within √ε are ties, broken in favour of the first in A's order:
            # of a duplicated column, the later copy is then the one left dependent. (The
            # pivot needs to be the largest only roughly; LAPACK's downdated norms are
            # themselves accurate to about √ε.)
            ties = np.flatnonzero(norms >= (1 - tie_rtol) * norms.max())
            p = j + int(ties[np.argmin(perm[j:][ties])])
            factors[:, [j, p]] = factors[:, [p, j]]
            perm[[j, p]] = perm[[p, j]]
            tau[j] = _make_reflector(factors[j:, j])
            v = np.concatenate(([1.0], factors[j + 1 :, j])).astype(A.dtype)  # v_0 = 1
            factors[j:, j + 1 :] -= np.outer(v, tau[j] * (v @ factors[j:, j + 1 :]))
        upper = np.triu(np.ones((k, n), dtype=bool))
        factors[:k][upper] = np.ldexp(factors[:k][upper], exponent)
        diagonal = np.abs(np.diagonal(factors))
        self.tolerance = float(rtol * diagonal[0]) if k else 0.0
        above = diagonal > self.tolerance
        self.rank = k if above.all() else int(np.argmin(above))
        self.perm = perm
        self.factors = factors
        self.tau = tau
        self.T_blocks = [np.full((1, 1), t, dtype=A.dtype) for t in tau]
        self.block_size = 1
        self.shape = (m, n)


def qr_pivoted(
    A: Any, mode: Literal["reduced", "complete", "r"] = "reduced"
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | tuple[np.ndarray, np.ndarray]:
    """QR factorization with column pivoting: ``A[:, perm] = Q @ R``.

    Returns ``(Q, R, perm)``, or ``(R, perm)`` with ``mode="r"`` (the shapes of :func:`qr`), as
    ``scipy.linalg.qr(A, pivoting=True)`` does. The diagonal of ``R`` is non-increasing in
    magnitude; :class:`PivotedHouseholderQR` also gives the numerical rank.
    """
    _check_mode(mode)
    fact = PivotedHouseholderQR(A)
    outputs = _outputs(fact, mode)
    return (outputs, fact.perm) if mode == "r" else (*outputs, fact.perm)


class CompleteOrthogonalDecomposition:
    r"""Complete orthogonal decomposition and the minimum-norm least-squares solution.

    .. math::
        A\Pi = Q \begin{bmatrix} T & 0 \\ 0 & 0 \end{bmatrix} Z^\top,

    with :math:`Q` and :math:`Z` orthogonal, :math:`\Pi` a permutation and :math:`T`
    (:math:`r \times r`, :math:`r` the numerical rank) lower triangular and well conditioned.
    Three Householder factorizations build it, each cheap after the first:

    1. :math:`A = Q_0R_0` (:class:`HouseholderQR`, blocked): a tall :math:`A` is reduced at
       matrix-multiply speed to :math:`R_0`, :math:`\min(m, n) \times n`, and the rest works on
       that small matrix;
    2. :math:`R_0\Pi = Q_1R_1` with column pivoting (:class:`PivotedHouseholderQR`), which
       reveals the rank :math:`r`: :math:`R_1 = \begin{bmatrix} R_{11} & R_{12} \\ 0 & R_{22}
       \end{bmatrix}` with :math:`R_{22}` negligible, set to zero;
    3. :math:`[R_{11}\ R_{12}]^\top = ZS` (:class:`HouseholderQR` of an :math:`n \times r`
       matrix, :math:`S` upper triangular), so :math:`[R_{11}\ R_{12}] = S^\top Z^\top` and
       :math:`T = S^\top`, :math:`Q = Q_0Q_1`.

    **Minimum-norm least squares.** With :math:`c = Q^\top b` and :math:`x = \Pi y`,

    .. math:: \|Ax - b\|_2^2 = \|T Z_r^\top y - c_{:r}\|_2^2 + \|c_{r:}\|_2^2 ,

    (:math:`Z_r` the first :math:`r` columns of :math:`Z`), minimal for every :math:`y` with
    :math:`TZ_r^\top y = c_{:r}`. A component of :math:`y` orthogonal to the columns of
    :math:`Z_r` adds to the norm without changing the residual, so the solution of least norm
    is

    .. math:: \hat x = \Pi Z_r T^{-1} c_{:r} .

    This is LAPACK's ``xGELSY`` (which does step 3 as an RZ factorization); NumPy's and
    SciPy's ``lstsq`` (and so scikit-learn's ``LinearRegression``) compute the same
    :math:`\hat x` from the SVD.

    Parameters
    ----------
    A : array-like of shape (m, n), or HouseholderQR
        The matrix, or its unpivoted :class:`HouseholderQR` when that is already computed (the
        least-squares solvers try it first, and fall back to this decomposition).
    rtol : float, optional
        Relative rank tolerance of step 2; default ``max(m, n) * eps`` of the dtype.

    Attributes
    ----------
    rank : int
    perm : ndarray of int, shape (n,)
        :math:`\Pi`: the first ``rank`` entries are the columns kept as a basis.
    tolerance : float
        Absolute threshold on :math:`|R_{jj}|` of the pivoted :math:`R` (see
        :class:`PivotedHouseholderQR`).
    shape : tuple of int
    """

    def __init__(self, A: Any, *, rtol: float | None = None) -> None:
        fact = A if isinstance(A, HouseholderQR) else HouseholderQR(A)
        m, n = fact.shape
        self._qr = fact
        self._pivoted = PivotedHouseholderQR(
            fact.r, rtol=_check_rtol(rtol, m, n, fact.factors.dtype)
        )
        self.rank = self._pivoted.rank
        self.perm = self._pivoted.perm
        self.tolerance = self._pivoted.tolerance
        self.shape = (m, n)
        # [R11 R12]ᵀ = Z S, an n × r matrix (none when the rank is 0).
        self._z = HouseholderQR(self._pivoted.r[: self.rank].T) if self.rank else None

    @property
    def dependent_columns(self) -> np.ndarray:
        """The columns left out of the basis, ascending: each is (numerically) a linear
        combination of the ``rank`` columns ``perm[:rank]``."""
        return np.sort(self.perm[self.rank :])

    def cond(self) -> float:
        r"""Estimated 1-norm condition number of :math:`T`, the rank-:math:`r` part (whose
        solve the minimum-norm solution is); ``inf`` when the rank is 0."""
        if self._z is None:
            return math.inf
        return cond_triangular(self._z.r.T, lower=True)

    def solve(self, b: Any) -> np.ndarray:
        r"""The minimum-norm least-squares solution :math:`\hat x = \Pi Z_r T^{-1} c_{:r}`.

        Parameters
        ----------
        b : array-like of shape (m,) or (m, n_rhs)

        Returns
        -------
        ndarray of shape (n,) or (n, n_rhs)
        """
        m, n = self.shape
        c = self._qr.apply_qt(b)[: min(m, n)]
        y = np.zeros((n, *c.shape[1:]), dtype=_common_float(c, self._qr.factors))
        if self._z is not None:
            c_r = self._pivoted.apply_qt(c)[: self.rank]
            S = self._z.r
            y[: self.rank] = _solve_triangular_unchecked(S, c_r, lower=False, trans=True)
            y = self._z.apply_q(y)
        x = np.empty_like(y)
        x[self.perm] = y
        return x
