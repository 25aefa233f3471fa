r"""Cholesky factorization :math:`A = LL^\top` (blocked, right-looking) and its solver."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch.linalg._common import (
    BLOCK_SIZE,
    LinAlgError,
    _as_matrix,
    _as_rhs,
    _check_block_size,
    _check_symmetric,
)
from fromscratch.linalg._triangular import _solve_triangular_unchecked


def _cholesky_unblocked(D: np.ndarray, offset: int) -> None:
    r"""In place on the lower triangle of a small block:
    :math:`l_{jj} = \sqrt{d_{jj} - \sum_{k<j} l_{jk}^2}`,
    :math:`l_{ij} = (d_{ij} - \sum_{k<j} l_{ik}l_{jk}) / l_{jj}` for :math:`i > j`."""
    for j in range(D.shape[0]):
        pivot = D[j, j] - D[j, :j] @ D[j, :j]
        if not pivot > 0:  # also catches NaN
            order = offset + j + 1
            raise LinAlgError(
                f"A is not positive definite: its leading principal minor of order {order} "
                f"(the top-left {order}×{order} block) is not positive (pivot {pivot:.3g}). "
                "Check that the matrix is symmetric positive definite; a Gram matrix XᵀX of "
                "collinear columns is only semi-definite — add a ridge penalty (alpha > 0)."
            )
        D[j, j] = math.sqrt(pivot)
        D[j + 1 :, j] = (D[j + 1 :, j] - D[j + 1 :, :j] @ D[j, :j]) / D[j, j]


def cholesky(A: Any, lower: bool = True, block_size: int = BLOCK_SIZE) -> np.ndarray:
    r"""Cholesky factor of a symmetric positive definite matrix: :math:`A = LL^\top`.

    Blocked right-looking algorithm. With the leading block column split as

    .. math::
        \begin{bmatrix} A_{11} & A_{21}^\top \\ A_{21} & A_{22} \end{bmatrix} =
        \begin{bmatrix} L_{11} & 0 \\ L_{21} & L_{22} \end{bmatrix}
        \begin{bmatrix} L_{11}^\top & L_{21}^\top \\ 0 & L_{22}^\top \end{bmatrix},

    factor the small block :math:`A_{11} = L_{11}L_{11}^\top` column by column, get
    :math:`L_{21} = A_{21}L_{11}^{-\top}` by a triangular solve, update the trailing matrix
    :math:`A_{22} \leftarrow A_{22} - L_{21}L_{21}^\top` (a matrix product) and repeat on it.

    Only the lower triangle of ``A`` is read (as LAPACK does), after checking that ``A`` is
    symmetric to within :math:`\sqrt{\varepsilon}\max|A|`.

    Parameters
    ----------
    A : array-like of shape (n, n)
    lower : bool, default=True
        Return :math:`L` (lower triangular); with ``False`` return :math:`L^\top`.
    block_size : int, default=64

    Raises
    ------
    LinAlgError
        When a pivot is not positive; the message names the leading minor that fails.
    ValueError
        Non-square, non-symmetric, NaN/inf input.
    """
    A = _as_matrix(A, "A", square=True)
    block_size = _check_block_size(block_size)
    _check_symmetric(A, "A", "a Cholesky factorization")
    L = np.tril(A)
    n = L.shape[0]
    for start in range(0, n, block_size):
        stop = min(start + block_size, n)
        L11 = L[start:stop, start:stop]
        _cholesky_unblocked(L11, offset=start)
        if stop < n:
            L21 = _solve_triangular_unchecked(L11, L[stop:, start:stop].T, lower=True).T
            L[stop:, start:stop] = L21
            L[stop:, stop:] -= L21 @ L21.T
    L = np.tril(L)
    return L if lower else L.T


def cho_solve(L: Any, B: Any, *, lower: bool = True) -> np.ndarray:
    r"""Solve :math:`AX = B` given the Cholesky factor of :math:`A = LL^\top`.

    Two triangular solves: :math:`Ly = B` (forward), then :math:`L^\top X = y` (back).
    ``lower=False`` means the factor given is :math:`U = L^\top`.
    """
    L = _as_matrix(L, "L", square=True)
    B = _as_rhs(B, "B", L.shape[0], "L")
    if np.any(np.diagonal(L) == 0):
        raise LinAlgError("L has a zero on its diagonal: it is not a Cholesky factor.")
    # A = LLᵀ (or UᵀU with U = Lᵀ): solve with the lower-triangular factor first.
    y = _solve_triangular_unchecked(L, B, lower=lower, trans=not lower)
    return _solve_triangular_unchecked(L, y, lower=lower, trans=lower)
