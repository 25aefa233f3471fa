r"""Triangular solves: forward and back substitution, organized as matrix products."""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch._kernels import replaceable
from fromscratch.linalg._common import LinAlgError, _as_matrix, _as_rhs, _common_float

#: Below this size the recursive triangular solve switches to plain substitution.
_LEAF_SIZE = 16


@replaceable
def back_substitution(R: np.ndarray, b: np.ndarray) -> np.ndarray:
    r"""Solve :math:`Rx = b` for upper triangular :math:`R`, from the last row up.

    Row :math:`i` of :math:`Rx = b` reads :math:`r_{ii}x_i + \sum_{j>i} r_{ij}x_j = b_i`: it
    involves only :math:`x_i` and the unknowns after it. The last row gives
    :math:`x_{n-1} = b_{n-1}/r_{n-1,n-1}`, and each row above gives one more,

    .. math:: x_i = \frac{b_i - \sum_{j=i+1}^{n-1} r_{ij}\, x_j}{r_{ii}},
        \qquad i = n-1, n-2, \dots, 0,

    :math:`n^2` multiplications and additions in all: this is how a triangular system is
    solved, without ever forming :math:`R^{-1}`. Only the upper triangle of :math:`R` is
    read (the entries below the diagonal may hold anything). With several right-hand sides,
    the columns of ``b``, the same formula solves for every column at once.

    Parameters
    ----------
    R : ndarray of shape (n, n)
        Upper triangular, no zero on the diagonal.
    b : ndarray of shape (n,) or (n, k)

    Returns
    -------
    x : ndarray of the shape of ``b``
    """
    x = np.zeros(b.shape, dtype=np.result_type(R, b, np.float32))  # integers: x is real
    for i in reversed(range(R.shape[0])):
        x[i] = (b[i] - R[i, i + 1:] @ x[i + 1:]) / R[i, i]
    return x


def _substitute(T: np.ndarray, B: np.ndarray, lower: bool, unit_diagonal: bool) -> None:
    r"""Solve :math:`TX = B` in place, recursively: split :math:`T` into 2×2 blocks.

    Upper (back substitution): :math:`X_2 = T_{22}^{-1}B_2`, then
    :math:`X_1 = T_{11}^{-1}(B_1 - T_{12}X_2)`. Lower (forward substitution) mirrors it. The
    coupling :math:`B_1 - T_{12}X_2` is a matrix product; small blocks use the textbook loop
    :math:`x_i = (b_i - \sum_{j>i} t_{ij}x_j)/t_{ii}` (:func:`back_substitution`, and its
    mirror image from the first row down for a lower or unit triangle).
    """
    n = T.shape[0]
    if n <= _LEAF_SIZE and not (lower or unit_diagonal):
        B[...] = back_substitution(T, B)
        return
    if n <= _LEAF_SIZE:
        order = range(n) if lower else range(n - 1, -1, -1)
        for i in order:
            done = slice(0, i) if lower else slice(i + 1, n)
            B[i] -= T[i, done] @ B[done]
            if not unit_diagonal:
                B[i] /= T[i, i]
        return
    h = n // 2
    if lower:
        _substitute(T[:h, :h], B[:h], lower, unit_diagonal)
        B[h:] -= T[h:, :h] @ B[:h]
        _substitute(T[h:, h:], B[h:], lower, unit_diagonal)
    else:
        _substitute(T[h:, h:], B[h:], lower, unit_diagonal)
        B[:h] -= T[:h, h:] @ B[h:]
        _substitute(T[:h, :h], B[:h], lower, unit_diagonal)


def _solve_triangular_unchecked(
    T: np.ndarray, B: np.ndarray, *, lower: bool, trans: bool = False, unit_diagonal: bool = False
) -> np.ndarray:
    vector = B.ndim == 1
    X = np.array(B.reshape(-1, 1) if vector else B, dtype=_common_float(T, B))
    if trans:  # Tᵀ of an upper triangular matrix is lower triangular, and vice versa
        T, lower = T.T, not lower
    _substitute(T, X, lower, unit_diagonal)
    return X[:, 0] if vector else X


def solve_triangular(
    T: Any,
    B: Any,
    *,
    lower: bool = False,
    trans: bool = False,
    unit_diagonal: bool = False,
) -> np.ndarray:
    r"""Solve :math:`TX = B` (or :math:`T^\top X = B` with ``trans=True``) for triangular T.

    Back substitution for upper :math:`T` (:math:`x_i = (b_i - \sum_{j>i} t_{ij}x_j)/t_{ii}`,
    from the last row up), forward substitution for lower :math:`T`; organized recursively so
    that with many right-hand sides nearly all the work is matrix products. Only the
    triangle named by ``lower`` is read.

    Parameters
    ----------
    T : array-like of shape (n, n)
    B : array-like of shape (n,) or (n, k)
    lower : bool, default=False
        Use the lower triangle of ``T`` (else the upper).
    trans : bool, default=False
        Solve with :math:`T^\top`.
    unit_diagonal : bool, default=False
        Assume ones on the diagonal (it is not read).

    Returns
    -------
    ndarray of the shape of ``B``

    Raises
    ------
    LinAlgError
        A zero on the diagonal (T is singular).
    """
    T = _as_matrix(T, "T", square=True)
    B = _as_rhs(B, "B", T.shape[0], "T")
    if not unit_diagonal:
        zeros = np.flatnonzero(np.diagonal(T) == 0)
        if zeros.size:
            raise LinAlgError(
                f"T is singular: its diagonal entry T[{zeros[0]}, {zeros[0]}] is zero, so the "
                "triangular system has no unique solution."
            )
    return _solve_triangular_unchecked(T, B, lower=lower, trans=trans, unit_diagonal=unit_diagonal)
