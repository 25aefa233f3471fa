r"""Triangular solves: forward and back substitution, organized as matrix products."""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch.linalg._common import LinAlgError, _as_matrix, _as_rhs, _common_float

#: Below this size the recursive triangular solve switches to plain substitution.
_LEAF_SIZE = 16


def _substitute(T: np.ndarray, B: np.ndarray, lower: bool, unit_diagonal: bool) -> None:
    r"""Solve :math:`TX = B` in place, recursively: split :math:`T` into 2×2 blocks.

    Upper (back substitution): :math:`X_2 = T_{22}^{-1}B_2`, then
    :math:`X_1 = T_{11}^{-1}(B_1 - T_{12}X_2)`. Lower (forward substitution) mirrors it. The
    coupling :math:`B_1 - T_{12}X_2` is a matrix product; small blocks use the textbook loop
    :math:`x_i = (b_i - \sum_{j>i} t_{ij}x_j)/t_{ii}`.
    """
    n = T.shape[0]
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
