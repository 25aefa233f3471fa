r"""Tall-skinny QR (TSQR): the :math:`R` factor of a row-chunked matrix, reduced in a tree.

Stack two blocks and factor each, :math:`A_1 = Q_1 R_1`, :math:`A_2 = Q_2 R_2`. Then

.. math::

    \begin{bmatrix} A_1 \\ A_2 \end{bmatrix}
    = \begin{bmatrix} Q_1 & \\ & Q_2 \end{bmatrix}
      \begin{bmatrix} R_1 \\ R_2 \end{bmatrix}
    = \begin{bmatrix} Q_1 & \\ & Q_2 \end{bmatrix} \tilde Q R ,
    \qquad \begin{bmatrix} R_1 \\ R_2 \end{bmatrix} = \tilde Q R ,

and the product of the two orthogonal factors is orthogonal: :math:`R`, the :math:`R` of the
stacked :math:`R`'s, **is** the :math:`R` of the whole matrix (up to the signs of its rows).
Each block is factored where it lives (by :func:`fromscratch.linalg.qr`, Householder
reflections), and only the small :math:`p \times p` factors travel up the reduction tree
(Demmel, Grigori, Hoemmen & Langou, 2012). Nothing of size :math:`n` is ever formed, and
because every step is an orthogonal transformation the accuracy is that of Householder QR on
the whole matrix: the error grows with :math:`\kappa(X)`, not with :math:`\kappa(X)^2` as for
the normal equations.

**Least squares in the same pass.** Factor the augmented matrix :math:`[A \; y]` instead:

.. math::

    [A \; y] = Q \begin{bmatrix} R & z \\ 0 & \rho \end{bmatrix}
    \quad\Longrightarrow\quad
    \|Ax - y\|^2 = \|Rx - z\|^2 + \rho^2 ,

so :math:`R\hat x = z` gives the least-squares solution, :math:`z = Q^\top y` is carried along
for free, and :math:`|\rho|` is the norm of the residual. **The intercept** is a column of ones
in :math:`A`. Its reflector centers every other column, so the rest of :math:`R` is the
:math:`R` of the centered data; to keep the floating-point columns small, each column is first
shifted by a rough center :math:`c` (the mean of the first block), which changes only the
intercept, :math:`b = b' - c^\top w`. **Sample weights** scale each row by :math:`\sqrt{w_i}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from fromscratch.blocks._core import RowBlocks, check_finite_block, check_weight_block, map_reduce
from fromscratch.linalg import HouseholderQR, qr

__all__ = ["TSQRResult", "tsqr"]


@dataclass(frozen=True)
class TSQRResult:
    r"""The reduced factor of the (shifted, weighted, augmented) design.

    Attributes
    ----------
    R : ndarray of shape (k, k)
        Upper triangular factor of the design :math:`A` (with the column of ones first when
        there is an intercept), :math:`k` = its number of columns.
    qty : ndarray of shape (k,) or (k, n_targets)
        :math:`z = Q^\top y` (rows beyond the rank of a short design are zero).
    residual_norm : ndarray of shape () or (n_targets,)
        :math:`\min_x \|Ax - y\|`, from the corner of the augmented factor.
    shift_x, shift_y : ndarray
        The centers subtracted from the columns of ``X`` and ``y`` (zeros without intercept).
    n_rows : int
    """

    R: np.ndarray
    qty: np.ndarray
    residual_norm: np.ndarray
    shift_x: np.ndarray
    shift_y: np.ndarray
    n_rows: int


def _design(X: np.ndarray, y: np.ndarray, weights: np.ndarray | None, shift_x: np.ndarray,
            shift_y: np.ndarray, intercept: bool) -> np.ndarray:
    r"""The block's rows of :math:`\sqrt{w}\,[\mathbf 1, X - c, y - c_y]`, written once, in
    the column-major order the Householder QR works in (so it factors them in place)."""
    Y = y.reshape(len(y), -1)
    first = int(intercept)
    p = X.shape[1]
    A = np.empty((len(X), first + p + Y.shape[1]), dtype=X.dtype, order="F")
    A[:, :first] = 1.0
    np.subtract(X, shift_x, out=A[:, first:first + p])
    np.subtract(Y, shift_y, out=A[:, first + p:], casting="unsafe")
    if weights is not None:
        A *= np.sqrt(weights.astype(X.dtype, copy=False))[:, None]
    return A


def _block_r(start: int, stop: int, X: Any, y: Any, weights: Any, shift_x: np.ndarray,
             shift_y: np.ndarray, intercept: bool, names: tuple[str, ...]) -> np.ndarray:
    X, y = np.asarray(X), np.asarray(y)
    check_finite_block(X, names[0], start, stop)
    check_finite_block(y, names[1], start, stop)
    weights = check_weight_block(weights, names[2], start, stop, X.dtype)
    A = _design(X, y, weights, shift_x, shift_y, intercept)
    # A block shorter than it is wide has nothing to reduce: its rows travel up as they are.
    return A if A.shape[0] <= A.shape[1] else HouseholderQR(A, overwrite_a=True).r


def _stack_r(parts: list[np.ndarray]) -> np.ndarray:
    stacked = np.vstack(parts)
    return stacked if stacked.shape[0] <= stacked.shape[1] else qr(stacked, mode="r")


def tsqr(blocks: RowBlocks, *, fit_intercept: bool = True) -> TSQRResult:
    r"""One pass of TSQR over ``blocks`` = ``(X, y)`` or ``(X, y, sample_weight)``.

    Returns the triangular factor of the design and :math:`Q^\top y` (see the module
    docstring); solving :math:`R\hat\theta = z` by back substitution gives the coefficients
    (the intercept of the shifted problem first, when ``fit_intercept``).
    """
    X, y = blocks.arrays[0], blocks.arrays[1]
    weights = blocks.arrays[2] if len(blocks.arrays) > 2 else None
    names = tuple(blocks.names) + ("sample_weight",)[len(blocks.names) - 2:]
    n_targets = 1 if y.ndim == 1 else y.shape[1]
    dtype = np.result_type(X.dtype, np.float32)
    shift_x = np.zeros(X.shape[1], dtype=dtype)
    shift_y = np.zeros(n_targets, dtype=dtype)
    if fit_intercept:  # a rough center: the (weighted) mean of the first block
        first_X, first_y, first_w = (blocks.compute_block(0) + [None])[:3]
        # checked here too: a NaN in the center would reach every block's design, and the
        # first error raised would name the wrong block (or none)
        check_finite_block(first_X, names[0], 0, blocks.bounds[1])
        check_finite_block(np.asarray(first_y), names[1], 0, blocks.bounds[1])
        first_w = check_weight_block(first_w, names[2], 0, blocks.bounds[1], dtype)
        if first_w is None or np.sum(first_w) > 0:
            shift_x = np.average(first_X, axis=0, weights=first_w).astype(dtype)
            shift_y = np.atleast_1d(
                np.average(np.asarray(first_y).reshape(len(first_y), -1), axis=0,
                           weights=first_w)).astype(dtype)
    padded = RowBlocks(blocks.bounds, (X, y, weights), names[:3])
    R_aug = map_reduce(_block_r, padded, _stack_r,
                       args=(shift_x, shift_y, bool(fit_intercept), names[:3]))
    k = X.shape[1] + int(fit_intercept)
    full = np.zeros((k + n_targets, k + n_targets), dtype=R_aug.dtype)
    rows = min(R_aug.shape[0], k + n_targets)
    full[:rows] = np.triu(R_aug[:rows])
    qty = full[:k, k:]
    corner = full[k:, k:]
    # The corner's columns hold the part of each target outside the column space of A;
    # their norms are the residual norms.
    residual = np.sqrt(np.einsum("ij,ij->j", corner, corner))
    if y.ndim == 1:
        qty, residual, shift_y = qty[:, 0], residual[0], shift_y[0]
    return TSQRResult(full[:k, :k], qty, residual, shift_x, shift_y, blocks.n_rows)
