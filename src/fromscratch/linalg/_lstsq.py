r"""Least squares :math:`\min_x \|Ax - b\|_2`: Householder QR when the columns are independent
(the fast path), the complete orthogonal decomposition — the minimum-norm solution — when they
are not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple, overload

import numpy as np

from fromscratch.exceptions import warn_at_caller
from fromscratch.linalg._common import RankDeficientWarning, _as_matrix, _as_rhs, _check_rtol
from fromscratch.linalg._condition import _warn_if_ill_conditioned, cond_triangular
from fromscratch.linalg._pivoted import CompleteOrthogonalDecomposition
from fromscratch.linalg._qr import HouseholderQR
from fromscratch.linalg._triangular import _solve_triangular_unchecked

#: A rank-deficiency warning names at most this many dependent columns.
_MAX_NAMED_COLUMNS = 10


class LeastSquaresSolution(NamedTuple):
    """What :func:`lstsq_from_qr` found."""

    #: The least-squares solution (of minimum norm when ``rank`` < the number of columns).
    x: np.ndarray
    #: Numerical rank of the matrix.
    rank: int
    #: Estimated 1-norm condition number of the triangular matrix solved with: :math:`R`
    #: (``"qr"``) or the rank-r part :math:`T` of the decomposition (``"cod"``).
    condition_number: float
    #: ``"qr"``: unpivoted QR, full rank; ``"cod"``: complete orthogonal decomposition.
    method: str


@overload
def lstsq(A: Any, b: Any, *, rtol: float | None = ..., return_rank: Literal[False] = ...
          ) -> np.ndarray: ...
@overload
def lstsq(A: Any, b: Any, *, rtol: float | None = ..., return_rank: Literal[True]
          ) -> tuple[np.ndarray, int]: ...
def lstsq(
    A: Any, b: Any, *, rtol: float | None = None, return_rank: bool = False
) -> np.ndarray | tuple[np.ndarray, int]:
    r"""Least-squares solution :math:`\hat x = \arg\min_x \|Ax - b\|_2`, of minimum norm when
    that is not unique.

    With :math:`A = QR` (:math:`Q` with orthonormal columns), and the complete :math:`Q`
    splitting :math:`b` into its part in the column space and the rest,

    .. math::
        \|Ax - b\|_2^2 = \|Rx - Q^\top b\|_2^2 + \|(I - QQ^\top)b\|_2^2 ,

    so :math:`\hat x` solves the triangular system :math:`R\hat x = Q^\top b` by back
    substitution. Unlike the normal equations :math:`A^\top A x = A^\top b`, this never squares
    the condition number.

    **Dependent columns.** When the columns of :math:`A` are (numerically) linearly dependent
    — or there are fewer rows than columns — every :math:`x` plus a null-space vector of
    :math:`A` is a solution too. Then the minimum-norm solution is returned, computed by the
    complete orthogonal decomposition (:class:`CompleteOrthogonalDecomposition`: QR with
    column pivoting, then a second QR), and :class:`RankDeficientWarning` names the dependent
    columns. This is what NumPy's ``lstsq`` returns (by the SVD).

    The unpivoted QR is computed first in either case; its :math:`R` decides the path
    (see :func:`lstsq_from_qr`), so well-conditioned problems never pay for pivoting.

    Parameters
    ----------
    A : array-like of shape (m, n)
    b : array-like of shape (m,) or (m, k)
    rtol : float, optional
        Relative rank tolerance; default ``max(m, n) * eps`` (see
        :class:`PivotedHouseholderQR`).
    return_rank : bool, default=False
        Also return the numerical rank of ``A``.

    Returns
    -------
    x : ndarray of shape (n,) or (n, k)
    rank : int
        Only with ``return_rank=True``.

    Warns
    -----
    RankDeficientWarning
        ``A`` has dependent columns (or fewer rows than columns).
    IllConditionedWarning
        The (rank-r part of the) problem is ill-conditioned: see the module's
        conditioning rule.
    """
    A = _as_matrix(A, "A")
    b = _as_rhs(b, "b", A.shape[0], "A")
    solution = lstsq_from_qr(HouseholderQR(A), b, rtol=rtol)
    return (solution.x, solution.rank) if return_rank else solution.x


def lstsq_from_qr(
    fact: HouseholderQR,
    b: np.ndarray,
    *,
    rtol: float | None = None,
    name: str = "A",
    column_names: Sequence[str] | None = None,
    hint: str = "",
) -> LeastSquaresSolution:
    r"""The least-squares solution of :math:`Ax \approx b` from an unpivoted QR of :math:`A`.

    **Fast path**, when :math:`A` has at least as many rows as columns and its :math:`R` is
    safely nonsingular — no :math:`|R_{jj}| \le \mathrm{rtol}\cdot\|a_j\|_2` and
    :math:`\hat\kappa_1(R) < 1/\mathrm{rtol}` — back substitution :math:`R\hat x = Q^\top b`.
    (In unpivoted QR, :math:`|R_{jj}|/\|a_j\|_2` is the sine of the angle between column
    :math:`j` and the span of the columns before it; the condition estimate catches a
    dependence spread over several columns.) With the default ``rtol`` = :math:`\max(m,n)
    \varepsilon` this is the library's conditioning rule for a singular matrix.

    **Otherwise** the :class:`CompleteOrthogonalDecomposition`, started from ``fact``, gives
    the numerical rank and the minimum-norm solution; :class:`RankDeficientWarning` names the
    dependent columns (by ``column_names`` when given) when the rank is below ``n``.

    Either path warns :class:`IllConditionedWarning` when the triangular matrix solved with
    has :math:`\hat\kappa \ge 1/\sqrt\varepsilon`. ``name`` and ``hint`` go into the warnings,
    which name the user's line (:func:`~fromscratch.exceptions.warn_at_caller`).
    """
    m, n = fact.shape
    rtol = _check_rtol(rtol, m, n, fact.factors.dtype)
    dtype = fact.factors.dtype
    R = fact.r
    cond = _full_rank_condition(R, rtol) if m >= n else None
    if cond is not None:
        _warn_if_ill_conditioned(cond, dtype=dtype, name=name, hint=hint)
        x = _solve_triangular_unchecked(R, fact.apply_qt(b)[:n], lower=False)
        return LeastSquaresSolution(x, n, cond, "qr")
    cod = CompleteOrthogonalDecomposition(fact, rtol=rtol)
    cond = cod.cond()
    if cod.rank < n:
        warn_at_caller(_rank_deficiency_message(cod, name, column_names, hint),
                       RankDeficientWarning)
    if cod.rank:
        _warn_if_ill_conditioned(cond, dtype=dtype, name=name, hint=hint)
    return LeastSquaresSolution(cod.solve(b), cod.rank, cond, "cod")


def _full_rank_condition(R: np.ndarray, rtol: float) -> float | None:
    """κ̂₁(R) of the square R of an unpivoted QR when it is safely nonsingular, else None."""
    scale = float(np.max(np.abs(R), initial=0.0))
    if scale == 0.0:
        return None
    R_scaled = R / scale  # the squared column norms below can neither overflow nor underflow
    column_norms = np.sqrt(np.einsum("ij,ij->j", R_scaled, R_scaled))
    if np.any(np.abs(np.diagonal(R_scaled)) <= rtol * column_norms):
        return None
    cond = cond_triangular(R)
    return cond if cond * rtol < 1.0 else None


def _rank_deficiency_message(
    cod: CompleteOrthogonalDecomposition,
    name: str,
    column_names: Sequence[str] | None,
    hint: str,
) -> str:
    m, n = cod.shape
    dependent = cod.dependent_columns
    shown = [
        f"{j} ({column_names[j]!r})" if column_names is not None else str(j)
        for j in dependent[:_MAX_NAMED_COLUMNS]
    ]
    if dependent.size > _MAX_NAMED_COLUMNS:
        shown.append(f"and {dependent.size - _MAX_NAMED_COLUMNS} more")
    which = (
        f"Column {shown[0]} is a linear combination"
        if dependent.size == 1
        else f"Columns {', '.join(shown)} are linear combinations"
    )
    wide = f" (with {m} rows, at most {m} columns can be independent)" if m < n else ""
    return (
        f"{name} is rank deficient: rank {cod.rank} < {n} columns{wide}. {which} of the "
        f"others (numerically: pivoted QR, |R_jj| ≤ {cod.tolerance:.3g} counts as zero), so "
        "the least-squares solution is not unique; the one of minimum norm is returned. "
        f"{hint}"
    ).rstrip()
