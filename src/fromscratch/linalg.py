r"""Dense linear algebra from scratch: Householder QR, triangular solves, Cholesky, least squares.

Everything here is built from NumPy array operations; most of the floating-point work is
arranged as matrix products (``@``), which NumPy hands to an optimized BLAS. That is how
LAPACK gets its speed, and it is the whole idea of the *blocked* algorithms below: do a little
work column by column on a thin panel, then apply the accumulated transformation to the rest
of the matrix with one matrix product.

Contents
--------
:class:`HouseholderQR`, :func:`qr`
    :math:`A = QR` with Householder reflectors in the compact WY representation.
:func:`solve_triangular`
    Forward / back substitution, recursive so that it runs as matrix products.
:func:`cholesky`, :func:`cho_solve`
    :math:`A = LL^\top` for symmetric positive definite :math:`A` (blocked, right-looking).
:func:`lstsq`
    :math:`\min_x \|Ax - b\|_2` through QR.
:func:`cond_triangular`, :func:`cond_cholesky`, :func:`check_condition`
    Cheap condition-number estimates (Hager–Higham) and the library's rule for reporting
    rank deficiency (error) and ill-conditioning (warning).

Conditioning rule
-----------------
With :math:`\hat\kappa` the estimated 1-norm condition number of the matrix being factorized,
:math:`k` its largest dimension and :math:`\varepsilon` the machine epsilon of its dtype:

* :math:`\hat\kappa \ge 1/(k\varepsilon)`: the matrix is treated as **singular / rank
  deficient** and :class:`LinAlgError` is raised. This is NumPy's ``matrix_rank``
  default tolerance :math:`\sigma_{\min} \le k\varepsilon\,\sigma_{\max}` with the estimate
  :math:`\hat\kappa` standing in for :math:`\sigma_{\max}/\sigma_{\min}`.
* :math:`\hat\kappa \ge 1/\sqrt{\varepsilon}`: :class:`IllConditionedWarning`. The first-order
  error bound :math:`\kappa\varepsilon` then exceeds :math:`\sqrt\varepsilon`: more than half of
  the significant digits of the answer may be wrong (for least squares with a non-zero
  residual the bound even grows like :math:`\kappa^2\varepsilon`).

The functions that only factorize (:func:`qr`, :func:`cholesky`) never warn; the solvers
(:func:`lstsq`, and the estimators built on these pieces) apply the rule.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from fromscratch._validation import check_array

__all__ = [
    "LinAlgError",
    "IllConditionedWarning",
    "HouseholderQR",
    "qr",
    "solve_triangular",
    "cholesky",
    "cho_solve",
    "lstsq",
    "cond_triangular",
    "cond_cholesky",
    "check_condition",
    "check_r_factor",
]

#: Columns per panel in the blocked QR and Cholesky factorizations.
BLOCK_SIZE = 64
#: Rows of a tall update C ← C − VW are processed in blocks of about this many bytes of C.
UPDATE_BLOCK_BYTES = 2**19
#: Below this size the recursive triangular solve switches to plain substitution.
_LEAF_SIZE = 16


class LinAlgError(ValueError):
    """A matrix is singular, rank deficient or not positive definite.

    Subclasses ``ValueError``, so code catching bad-input errors also catches it.
    """


class IllConditionedWarning(UserWarning):
    """The matrix is so ill-conditioned that the answer may have lost most of its digits."""


# -- input checks --------------------------------------------------------------------------


def _as_matrix(A: Any, name: str, *, square: bool = False) -> np.ndarray:
    A = check_array(A, name=name)
    if square and A.shape[0] != A.shape[1]:
        raise ValueError(f"{name} must be a square matrix; got shape {A.shape}.")
    return A


def _as_rhs(B: Any, name: str, n_rows: int, matrix_name: str) -> np.ndarray:
    B = check_array(B, name=name, ensure_2d=False)
    if B.ndim > 2:
        raise ValueError(f"{name} must be 1-D or 2-D; got {B.ndim} dimensions, shape {B.shape}.")
    if B.shape[0] != n_rows:
        raise ValueError(
            f"{name} has {B.shape[0]} rows but {matrix_name} has {n_rows}; they must match."
        )
    return B


def _common_float(*arrays: np.ndarray) -> np.dtype:
    """float32 only when every input is float32, else float64."""
    return np.result_type(*arrays, np.float32)


# -- Householder QR ------------------------------------------------------------------------


def _norm2(x: np.ndarray) -> float:
    """Euclidean norm, rescaled only when the plain sum of squares over- or underflows."""
    with np.errstate(over="ignore", under="ignore"):
        sum_sq = float(x @ x)
    if math.isfinite(sum_sq) and sum_sq > np.finfo(x.dtype).tiny:
        return math.sqrt(sum_sq)
    scale = float(np.max(np.abs(x), initial=0.0))
    if scale == 0.0:
        return 0.0
    x_scaled = x / scale
    return scale * math.sqrt(float(x_scaled @ x_scaled))


def _make_reflector(x: np.ndarray) -> float:
    r"""Turn column ``x`` (in place) into a Householder reflector; return :math:`\tau`.

    Finds :math:`H = I - \tau v v^\top` with :math:`v_0 = 1` and :math:`Hx = \beta e_1`,
    :math:`\beta = -\operatorname{sign}(x_0)\|x\|_2` (the sign that avoids cancellation in
    :math:`x_0 - \beta`), :math:`\tau = (\beta - x_0)/\beta`, :math:`v_{1:} = x_{1:}/(x_0-\beta)`.
    On return ``x[0] = β`` and ``x[1:] = v[1:]`` (LAPACK's ``dlarfg`` layout).
    If :math:`x_{1:} = 0` there is nothing to annihilate: :math:`\tau = 0` and :math:`H = I`.
    """
    alpha = float(x[0])
    sigma = _norm2(x[1:])
    if sigma == 0.0:
        return 0.0
    beta = -math.copysign(math.hypot(alpha, sigma), alpha)
    x[1:] /= alpha - beta
    x[0] = beta
    return (beta - alpha) / beta


class _Reflectors:
    r"""The reflector vectors :math:`V` stored below the diagonal of a tall ``panel``, without
    copying it: :math:`V = \begin{bmatrix} V_{top} \\ V_{rest} \end{bmatrix}`, where
    :math:`V_{top}` (the first :math:`k` rows, :math:`k` = the panel's columns) is unit lower
    triangular, a small copy, and :math:`V_{rest}` is the panel's lower rows as they are, a
    view. Products with :math:`V` are done in the two parts, so no :math:`m \times k` copy of
    a tall panel is ever made."""

    def __init__(self, panel: np.ndarray) -> None:
        k = panel.shape[1]
        self.top = np.tril(panel[:k], -1)
        self.top[np.arange(k), np.arange(k)] = 1.0
        self.rest = panel[k:]

    def t_times(self, C: np.ndarray) -> np.ndarray:
        r""":math:`V^\top C`."""
        k = self.top.shape[0]
        return self.top.T @ C[:k] + self.rest.T @ C[k:]

    def subtract_times(self, C: np.ndarray, W: np.ndarray) -> None:
        r""":math:`C \leftarrow C - VW`, in place, a block of rows at a time: the product of
        each block is subtracted while it is still in the CPU cache."""
        k = self.top.shape[0]
        C[:k] -= self.top @ W
        rows = max(1, UPDATE_BLOCK_BYTES // (C.shape[1] * C.itemsize))
        for start in range(0, self.rest.shape[0], rows):
            C[k + start : k + start + rows] -= self.rest[start : start + rows] @ W


def _apply_block_reflector(
    V: _Reflectors, T: np.ndarray, C: np.ndarray, *, transpose: bool
) -> None:
    r"""``C ← (I − V T Vᵀ) C``, or with ``transpose`` ``C ← (I − V Tᵀ Vᵀ) C``, in place.

    Three matrix products, :math:`V (T (V^\top C))`, never an :math:`m \times m` matrix.
    """
    T_used = T.T if transpose else T
    V.subtract_times(C, T_used @ V.t_times(C))


def _panel_qr(panel: np.ndarray, tau: np.ndarray) -> np.ndarray:
    r"""Factor a tall panel in place (recursively) and return its WY triangle :math:`T`.

    Splitting the panel's columns in halves :math:`[A_1, A_2]`: factor :math:`A_1 = Q_1 R_1`,
    update :math:`A_2 \leftarrow Q_1^\top A_2`, factor the lower part of :math:`A_2`, and merge
    the two block reflectors (Elmroth & Gustavson, 2000):

    .. math::
        (I - V_1T_1V_1^\top)(I - V_2T_2V_2^\top) = I - [V_1\ V_2]
        \begin{bmatrix} T_1 & -T_1 V_1^\top V_2 T_2 \\ 0 & T_2 \end{bmatrix}
        [V_1\ V_2]^\top .

    A single column is one reflector with :math:`T = [\tau]`. Compared with column-by-column
    rank-1 updates, every update here is a matrix product.
    """
    n_cols = panel.shape[1]
    if n_cols == 1:
        tau[0] = _make_reflector(panel[:, 0])
        return np.array([[tau[0]]], dtype=panel.dtype)
    half = n_cols // 2
    T1 = _panel_qr(panel[:, :half], tau[:half])
    _apply_block_reflector(_Reflectors(panel[:, :half]), T1, panel[:, half:], transpose=True)
    T2 = _panel_qr(panel[half:, half:], tau[half:])
    T = np.zeros((n_cols, n_cols), dtype=panel.dtype)
    T[:half, :half] = T1
    T[half:, half:] = T2
    # V2 is zero in the first `half` rows, so V1ᵀV2 only involves V1's lower rows, which are
    # the panel's own entries (below V1's unit triangle).
    V1_lower_t_V2 = _Reflectors(panel[half:, half:]).t_times(panel[half:, :half]).T
    T[:half, half:] = -T1 @ V1_lower_t_V2 @ T2
    return T


class HouseholderQR:
    r"""Householder QR factorization :math:`A = QR` in compact WY form (LAPACK ``geqrf`` style).

    A Householder reflector :math:`H = I - \tau v v^\top` is orthogonal and symmetric; choosing
    :math:`v` from a column :math:`x` so that :math:`Hx = \beta e_1` zeros everything below the
    diagonal. After :math:`k = \min(m, n)` reflectors,

    .. math:: H_k \cdots H_2 H_1 A = R, \qquad Q = H_1 H_2 \cdots H_k .

    **Blocking.** The product of :math:`b` reflectors has the compact WY form
    :math:`H_1 \cdots H_b = I - V T V^\top`, with :math:`V` (:math:`m \times b`, unit lower
    trapezoidal) holding the :math:`v`'s and :math:`T` (:math:`b \times b`) upper triangular.
    The matrix is processed in panels of ``block_size`` columns: a panel is factored (itself
    recursively, see ``_panel_qr``), then the trailing columns are updated all at once,

    .. math:: C \leftarrow (I - V T V^\top)^\top C = C - V\,(T^\top (V^\top C)),

    which is three matrix products: most flops run at matrix-multiply speed.

    Storage is compact: ``factors`` holds :math:`R` on and above the diagonal and the
    :math:`v`'s (without their unit first entries) below it; ``tau`` the :math:`\tau`'s;
    ``T_blocks`` one :math:`T` per panel. :math:`Q` is never formed unless asked for:
    :meth:`apply_qt` / :meth:`apply_q` multiply by it block by block.

    Parameters
    ----------
    A : array-like of shape (m, n)
        The matrix to factor (any shape; float32 stays float32). It is not modified.
    block_size : int, default=64
        Columns per panel.
    overwrite_a : bool, default=False
        Factor ``A`` in place, saving a copy, when it is a Fortran-ordered (column-major)
        floating ndarray; its contents are then destroyed (``factors`` is ``A``). Otherwise a
        copy is factored.

    Attributes
    ----------
    factors : ndarray of shape (m, n)
    tau : ndarray of shape (min(m, n),)
    T_blocks : list of ndarray
    shape : tuple of int

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 1.0], [4.0, 2.0], [0.0, 5.0]])
    >>> fact = HouseholderQR(A)
    >>> np.allclose(fact.q() @ fact.r, A)
    True
    """

    def __init__(self, A: Any, block_size: int = BLOCK_SIZE, *, overwrite_a: bool = False) -> None:
        given = A
        A = _as_matrix(A, "A")
        if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
            raise ValueError(f"block_size must be a positive int; got {block_size!r}.")
        m, n = A.shape
        k = min(m, n)
        # Fortran order: columns are contiguous, which the column-wise reflectors want.
        in_place = overwrite_a and A is given and A.flags.f_contiguous and A.flags.writeable
        factors = A if in_place else np.array(A, order="F", copy=True)
        tau = np.zeros(k, dtype=A.dtype)
        T_blocks = []
        for start in range(0, k, block_size):
            stop = min(start + block_size, k)
            T = _panel_qr(factors[start:, start:stop], tau[start:stop])
            T_blocks.append(T)
            if stop < n:
                _apply_block_reflector(_Reflectors(factors[start:, start:stop]), T,
                                       factors[start:, stop:], transpose=True)
        self.factors = factors
        self.tau = tau
        self.T_blocks = T_blocks
        self.block_size = block_size
        self.shape = (m, n)

    def _blocks(self):
        """Yield (first row, V, T) for each panel, in factorization order."""
        for index, T in enumerate(self.T_blocks):
            start = index * self.block_size
            stop = start + T.shape[0]
            yield start, _Reflectors(self.factors[start:, start:stop]), T

    def _prepare(self, B: Any, name: str) -> tuple[np.ndarray, bool]:
        B = _as_rhs(B, name, self.shape[0], "A")
        vector = B.ndim == 1
        out = np.array(B.reshape(-1, 1) if vector else B, dtype=_common_float(B, self.factors))
        return out, vector

    def apply_qt(self, B: Any) -> np.ndarray:
        r""":math:`Q^\top B` without forming :math:`Q`: :math:`Q^\top = H_k\cdots H_1`, so the
        blocks are applied first to last, each as :math:`B \leftarrow B - V T^\top V^\top B`.
        """
        C, vector = self._prepare(B, "B")
        for start, V, T in self._blocks():
            _apply_block_reflector(V, T, C[start:], transpose=True)
        return C[:, 0] if vector else C

    def apply_q(self, B: Any) -> np.ndarray:
        r""":math:`Q B` without forming :math:`Q`: blocks applied last to first,
        :math:`B \leftarrow B - V T V^\top B`."""
        C, vector = self._prepare(B, "B")
        for start, V, T in reversed(list(self._blocks())):
            _apply_block_reflector(V, T, C[start:], transpose=False)
        return C[:, 0] if vector else C

    @property
    def r(self) -> np.ndarray:
        """The reduced :math:`R`, shape (min(m, n), n), upper triangular (trapezoidal)."""
        k = min(self.shape)
        return np.triu(self.factors[:k])

    def q(self, mode: Literal["reduced", "complete"] = "reduced") -> np.ndarray:
        """Form :math:`Q`: shape (m, min(m, n)) for ``"reduced"``, (m, m) for ``"complete"``."""
        m, n = self.shape
        n_cols = {"reduced": min(m, n), "complete": m}.get(mode)
        if n_cols is None:
            raise ValueError(f"mode must be 'reduced' or 'complete'; got {mode!r}.")
        return self.apply_q(np.eye(m, n_cols, dtype=self.factors.dtype))


def qr(
    A: Any,
    mode: Literal["reduced", "complete", "r"] = "reduced",
    block_size: int = BLOCK_SIZE,
) -> tuple[np.ndarray, np.ndarray] | np.ndarray:
    """QR factorization of an (m, n) matrix with blocked Householder reflections.

    Same modes as NumPy's ``qr``: ``"reduced"`` returns ``(Q, R)`` with shapes
    (m, k), (k, n), k = min(m, n); ``"complete"`` returns (m, m), (m, n); ``"r"`` returns R
    only (k, n). See :class:`HouseholderQR` for the algorithm and for applying :math:`Q^\\top`
    without forming :math:`Q`.
    """
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"mode must be one of 'reduced', 'complete', 'r'; got {mode!r}.")
    fact = HouseholderQR(A, block_size=block_size)
    R = fact.r
    if mode == "r":
        return R
    if mode == "complete":
        m, n = fact.shape
        R_full = np.zeros((m, n), dtype=R.dtype)
        R_full[: R.shape[0]] = R
        return fact.q("complete"), R_full
    return fact.q("reduced"), R


# -- triangular solves ---------------------------------------------------------------------


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


# -- Cholesky ------------------------------------------------------------------------------


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
    eps = np.finfo(A.dtype).eps
    asymmetry = float(np.max(np.abs(A - A.T)))
    if asymmetry > math.sqrt(eps) * float(np.max(np.abs(A))):
        raise ValueError(
            f"A must be symmetric for a Cholesky factorization; max |A - Aᵀ| = {asymmetry:.3g}."
        )
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


# -- conditioning --------------------------------------------------------------------------


def _inverse_norm1_estimate(
    solve: Callable[[np.ndarray], np.ndarray],
    solve_t: Callable[[np.ndarray], np.ndarray],
    n: int,
    dtype: np.dtype,
    max_iter: int = 5,
) -> float:
    r"""Estimate :math:`\|M^{-1}\|_1` from a few solves (Hager 1984, Higham 1988).

    Maximize the convex function :math:`\|M^{-1}x\|_1` over the unit 1-norm ball by a gradient
    ascent that jumps between its vertices :math:`e_j`: :math:`y = M^{-1}x`,
    :math:`\xi = \operatorname{sign}(y)`, :math:`z = M^{-\top}\xi`; stop when no coordinate of
    :math:`z` beats :math:`z^\top x`, else move to :math:`e_{\arg\max|z_j|}`. Higham's extra
    test vector :math:`x_i = (-1)^i(1 + i/(n-1))` guards against the rare bad cases. The result
    is a lower bound, almost always within a factor 3 of the truth.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        x = np.full(n, 1.0 / n, dtype=dtype)
        estimate = 0.0
        for _ in range(max_iter):
            y = solve(x)
            estimate = float(np.abs(y).sum())
            if not math.isfinite(estimate):
                return math.inf
            xi = np.where(y >= 0, 1.0, -1.0).astype(dtype)
            z = solve_t(xi)
            j = int(np.argmax(np.abs(z)))
            if abs(z[j]) <= z @ x:
                break
            x = np.zeros(n, dtype=dtype)
            x[j] = 1.0
        alternating = np.array(
            [(-1) ** i * (1 + i / max(n - 1, 1)) for i in range(n)], dtype=dtype
        )
        extra = 2 * float(np.abs(solve(alternating)).sum()) / (3 * n)
    return max(estimate, extra) if math.isfinite(extra) else math.inf


def cond_triangular(T: Any, *, lower: bool = False) -> float:
    r"""Estimate the 1-norm condition number :math:`\kappa_1(T) = \|T\|_1\|T^{-1}\|_1`.

    Costs a few triangular solves (:math:`O(n^2)`), against :math:`O(n^3)` for the exact
    value. A zero on the diagonal gives ``inf``.
    """
    T = _as_matrix(T, "T", square=True)
    T = np.tril(T) if lower else np.triu(T)
    if np.any(np.diagonal(T) == 0):
        return math.inf
    inverse_norm = _inverse_norm1_estimate(
        lambda v: _solve_triangular_unchecked(T, v, lower=lower),
        lambda v: _solve_triangular_unchecked(T, v, lower=lower, trans=True),
        T.shape[0],
        T.dtype,
    )
    return float(np.abs(T).sum(axis=0).max()) * inverse_norm


def cond_cholesky(A: Any, L: Any) -> float:
    r"""Estimate :math:`\kappa_1(A)` for symmetric positive definite :math:`A = LL^\top`,
    applying :math:`A^{-1}` through the factor (two triangular solves per step)."""
    A = _as_matrix(A, "A", square=True)
    L = _as_matrix(L, "L", square=True)
    if np.any(np.diagonal(L) == 0):
        return math.inf

    def solve(v: np.ndarray) -> np.ndarray:
        y = _solve_triangular_unchecked(L, v, lower=True)
        return _solve_triangular_unchecked(L, y, lower=True, trans=True)

    inverse_norm = _inverse_norm1_estimate(solve, solve, A.shape[0], L.dtype)
    return float(np.abs(A).sum(axis=0).max()) * inverse_norm


def check_condition(
    cond: float,
    *,
    size: int,
    dtype: Any,
    name: str = "A",
    hint: str = "",
    stacklevel: int = 2,
) -> None:
    r"""Apply the library's conditioning rule to an estimated condition number.

    Raises :class:`LinAlgError` when :math:`\hat\kappa \ge 1/(k\varepsilon)` (numerically
    singular / rank deficient, ``k = size``), warns :class:`IllConditionedWarning` when
    :math:`\hat\kappa \ge 1/\sqrt{\varepsilon}`. ``hint`` is appended to both messages.
    """
    eps = float(np.finfo(dtype).eps)
    hint = f" {hint}" if hint else ""
    singular_at = 1.0 / (size * eps)
    if not cond < singular_at:
        raise LinAlgError(
            f"{name} is singular to working precision (rank deficient): its estimated "
            f"condition number {cond:.3g} exceeds 1/(max dimension × eps) = {singular_at:.3g}. "
            f"Some columns are (nearly) linear combinations of others.{hint}"
        )
    warn_at = 1.0 / math.sqrt(eps)
    if cond >= warn_at:
        warnings.warn(
            f"{name} is ill-conditioned: estimated condition number {cond:.3g} ≥ 1/sqrt(eps) "
            f"= {warn_at:.3g}, so more than half of the significant digits of the result may "
            f"be lost.{hint}",
            IllConditionedWarning,
            stacklevel=stacklevel + 1,
        )


def _first_dependent_column(R: np.ndarray, size: int) -> int | None:
    r"""First column j whose :math:`|R_{jj}| \le k\varepsilon\,\|a_j\|_2`, if any.

    In unpivoted QR, :math:`|R_{jj}|/\|a_j\|` is the sine of the angle between column
    :math:`a_j` and the span of the columns before it (:math:`\|a_j\| = \|R_{:,j}\|` because
    Q is orthogonal), so a negligible value means column j is (numerically) a linear
    combination of columns 0..j-1 — or zero.
    """
    k = min(R.shape)
    diag = np.abs(np.diagonal(R))
    column_norms = np.sqrt(np.einsum("ij,ij->j", R[:, :k], R[:, :k]))
    small = np.flatnonzero(diag <= size * np.finfo(R.dtype).eps * column_norms)
    return int(small[0]) if small.size else None


# -- least squares -------------------------------------------------------------------------


def lstsq(A: Any, b: Any) -> np.ndarray:
    r"""Least-squares solution :math:`\hat x = \arg\min_x \|Ax - b\|_2` through QR.

    With :math:`A = QR` (:math:`Q` with orthonormal columns), and the complete :math:`Q`
    splitting :math:`b` into its part in the column space and the rest,

    .. math::
        \|Ax - b\|_2^2 = \|Rx - Q^\top b\|_2^2 + \|(I - QQ^\top)b\|_2^2 ,

    so :math:`\hat x` solves the triangular system :math:`R\hat x = Q^\top b` by back
    substitution. Unlike the normal equations :math:`A^\top A x = A^\top b`, this never squares
    the condition number.

    Parameters
    ----------
    A : array-like of shape (m, n), m >= n
    b : array-like of shape (m,) or (m, k)

    Returns
    -------
    x : ndarray of shape (n,) or (n, k)

    Raises
    ------
    LinAlgError
        When ``A`` has fewer rows than columns, or is rank deficient (collinear columns; see the
        module's conditioning rule). Warns :class:`IllConditionedWarning` when ill-conditioned.
    """
    A = _as_matrix(A, "A")
    b = _as_rhs(b, "b", A.shape[0], "A")
    m, n = A.shape
    if m < n:
        raise LinAlgError(
            f"A has fewer rows than columns ({m} < {n}): the least-squares problem is "
            "underdetermined and has infinitely many solutions. Add rows (samples) or a "
            "penalty such as ridge regression."
        )
    fact = HouseholderQR(A)
    R = fact.r
    check_r_factor(R, size=m, name="A", hint="Remove collinear columns.")
    Qtb = fact.apply_qt(b)
    return _solve_triangular_unchecked(R, Qtb[:n], lower=False)


def check_r_factor(R: np.ndarray, *, size: int, name: str = "A", hint: str = "") -> float:
    """Apply the conditioning rule to the triangular factor R of ``name`` = QR; return κ̂.

    ``size`` is the largest dimension of the factored matrix. When a diagonal entry is
    negligible the error names the first column that is (numerically) a linear combination of
    the columns before it — in unpivoted QR, a tiny :math:`|R_{jj}|` means exactly that.
    """
    column = _first_dependent_column(R, size)
    if column is None:
        cond = cond_triangular(R)
    else:
        cond = math.inf
        culprit = (
            "Column 0 is (numerically) zero."
            if column == 0
            else f"Column {column} is (numerically) a linear combination of columns "
            f"0..{column - 1}."
        )
        hint = f"{culprit} {hint}".strip()
    check_condition(cond, size=size, dtype=R.dtype, name=name, hint=hint, stacklevel=3)
    return cond
