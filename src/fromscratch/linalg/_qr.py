r"""Householder QR: the blocked, recursive factorization (:class:`HouseholderQR`, :func:`qr`)
and the textbook form it is tested against (:func:`qr_textbook`)."""

from __future__ import annotations

import math
from typing import Any, Literal, overload

import numpy as np

from fromscratch._kernels import replaceable
from fromscratch.linalg._common import (
    BLOCK_SIZE,
    _as_matrix,
    _as_rhs,
    _check_block_size,
    _common_float,
)

#: Rows of a tall update C ← C − VW are processed in blocks of about this many bytes of C.
UPDATE_BLOCK_BYTES = 2**19

#: Thin products with a tall matrix (k·c ≤ THIN_WIDTH multiply-adds a row: a norm, Vᵀ C and
#: V W inside a panel) go a block of at most THIN_BLOCK_ROWS rows and THIN_BLOCK_WORK
#: multiply-adds at a time. Such a product is memory-bound, so threads gain nothing on it, but
#: one long call crosses the size above which a multi-threaded BLAS splits it across threads
#: (OpenBLAS: a dot over more than 10⁴ elements, a matrix product of more than 2¹⁸
#: multiply-adds) and must wake and join them: on a busy machine a scheduler time slice
#: (milliseconds) per call, several per reflector, which made a 20000 × 22 factorization 10×
#: slower than a 10000 × 22 one. Blocks below those sizes run on the calling thread. Wider
#: products are compute-bound and stay whole, for the BLAS to thread.
THIN_WIDTH = 2**10
THIN_BLOCK_WORK = 2**18
THIN_BLOCK_ROWS = 2**13


def _thin_block_rows(k: int, c: int) -> int | None:
    """Rows per block of a product with ``k·c`` multiply-adds a row; None: not thin."""
    width = max(1, k * c)
    return max(1, min(THIN_BLOCK_ROWS, THIN_BLOCK_WORK // width)) if width <= THIN_WIDTH else None


def _sum_squares(x: np.ndarray) -> float:
    r""":math:`x^\top x`, a block of rows at a time (see ``THIN_BLOCK_ROWS``)."""
    return sum(float(x[start : start + THIN_BLOCK_ROWS] @ x[start : start + THIN_BLOCK_ROWS])
               for start in range(0, x.shape[0], THIN_BLOCK_ROWS))


def _norm2(x: np.ndarray) -> float:
    """Euclidean norm, rescaled only when the plain sum of squares over- or underflows."""
    with np.errstate(over="ignore", under="ignore"):
        sum_sq = _sum_squares(x)
    if math.isfinite(sum_sq) and sum_sq > np.finfo(x.dtype).tiny:
        return math.sqrt(sum_sq)
    scale = float(np.max(np.abs(x), initial=0.0))
    if scale == 0.0:
        return 0.0
    return scale * math.sqrt(_sum_squares(x / scale))


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
        r""":math:`V^\top C`; a thin one summed over blocks of rows (see ``THIN_WIDTH``)."""
        k = self.top.shape[0]
        rows = _thin_block_rows(k, C.shape[1])
        if rows is None:
            return self.top.T @ C[:k] + self.rest.T @ C[k:]
        V_t_C = self.top.T @ C[:k]
        for start in range(0, self.rest.shape[0], rows):
            V_t_C += self.rest[start : start + rows].T @ C[k + start : k + start + rows]
        return V_t_C

    def subtract_times(self, C: np.ndarray, W: np.ndarray) -> None:
        r""":math:`C \leftarrow C - VW`, in place, a block of rows at a time: the product of
        each block is subtracted while it is still in the CPU cache (and, when thin, runs on
        the calling thread: see ``THIN_WIDTH``)."""
        k = self.top.shape[0]
        C[:k] -= self.top @ W
        rows = max(1, UPDATE_BLOCK_BYTES // max(1, C.shape[1] * C.itemsize))  # C may be n×0
        rows = min(rows, _thin_block_rows(k, C.shape[1]) or rows)
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

    which is three matrix products: most flops run at matrix-multiply speed. The algorithm
    column by column, as it is taught, is :func:`qr_textbook`: the reference this one is
    tested against (same :math:`R` up to the signs of its rows).

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
        block_size = _check_block_size(block_size)
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


@overload
def qr(A: Any, mode: Literal["r"], block_size: int = ...) -> np.ndarray: ...
@overload
def qr(A: Any, mode: Literal["reduced", "complete"] = ..., block_size: int = ...
       ) -> tuple[np.ndarray, np.ndarray]: ...
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
    _check_mode(mode)
    return _outputs(HouseholderQR(A, block_size=block_size), mode)


def _check_mode(mode: Any) -> None:
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"mode must be one of 'reduced', 'complete', 'r'; got {mode!r}.")


def _outputs(
    fact: HouseholderQR, mode: Literal["reduced", "complete", "r"]
) -> tuple[np.ndarray, np.ndarray] | np.ndarray:
    """``(Q, R)`` or ``R`` of a factorization, in the shapes of ``mode`` (see :func:`qr`)."""
    R = fact.r
    if mode == "r":
        return R
    if mode == "complete":
        m, n = fact.shape
        R_full = np.zeros((m, n), dtype=R.dtype)
        R_full[: R.shape[0]] = R
        return fact.q("complete"), R_full
    return fact.q("reduced"), R


@replaceable
def householder_reflector(x: np.ndarray) -> tuple[np.ndarray, np.floating, np.floating]:
    r"""The Householder reflector that maps ``x`` onto the first axis.

    .. math::
        \beta = -\operatorname{sign}(x_0)\,\|x\|_2, \qquad v = x - \beta e_0, \qquad
        \tau = \frac{2}{v^\top v}, \qquad H = I - \tau v v^\top, \qquad H x = \beta e_0 .

    :math:`H` reflects across the hyperplane orthogonal to :math:`v`; it is symmetric and
    orthogonal (:math:`\tau\, v^\top v = 2`), so it keeps the length, :math:`|\beta| =
    \|x\|_2`. Both signs of :math:`\beta` give a reflection onto the axis; the minus sign
    makes :math:`v_0 = x_0 + \operatorname{sign}(x_0)\|x\|_2` a sum of two numbers of the
    same sign. The other sign computes :math:`v_0 = x_0 - \operatorname{sign}(x_0)\|x\|_2`,
    which cancels when :math:`x` is nearly a multiple of :math:`e_0`: :math:`v` is then
    rounding noise and :math:`H` no longer maps :math:`x` onto the axis. For :math:`x = 0`
    there is nothing to reflect: :math:`v = 0`, :math:`\tau = 0` (:math:`H = I`),
    :math:`\beta = 0`.

    Parameters
    ----------
    x : ndarray of shape (m,)
        A column, :math:`m \ge 1`.

    Returns
    -------
    v : ndarray of shape (m,)
    tau, beta : scalars of ``x``'s dtype
    """
    x = np.asarray(x, dtype=np.result_type(x, np.float32))  # integers: v = x - βe₀ is real
    norm_x = np.sqrt(x @ x)
    if norm_x == 0:
        return np.zeros_like(x), x.dtype.type(0), x.dtype.type(0)
    beta = -np.copysign(norm_x, x[0])
    v = x.copy()
    v[0] -= beta
    return v, 2 / (v @ v), beta


def qr_textbook(A: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""Householder QR column by column: the reference form of :class:`HouseholderQR`.

    For :math:`j = 0, 1, \ldots, k-1` (:math:`k = \min(m, n)`), with :math:`x = A_{j:,\,j}` the
    part of column :math:`j` on and below the diagonal, :func:`householder_reflector` gives

    .. math::
        \beta = -\operatorname{sign}(x_0)\,\|x\|_2, \qquad v = x - \beta e_0, \qquad
        \tau = \frac{2}{v^\top v}, \qquad H_j = I - \tau v v^\top,

    a reflection with :math:`H_j x = \beta e_0`: column :math:`j` becomes :math:`\beta` on the
    diagonal and zero below it. The reflection is applied to the trailing columns,
    :math:`A_{j:,\,j+1:} \leftarrow A_{j:,\,j+1:} - \tau v\,(v^\top A_{j:,\,j+1:})` (a rank-1
    update: never an :math:`m \times m` matrix). After :math:`k` steps

    .. math:: H_{k-1} \cdots H_1 H_0 A = R, \qquad Q = H_0 H_1 \cdots H_{k-1},

    and the first :math:`k` columns of :math:`Q` are the reflectors applied, last to first, to
    the first :math:`k` columns of the identity.

    **The sign of** :math:`\beta` avoids cancellation in :math:`v_0` when a column is nearly a
    multiple of :math:`e_0` (a nearly triangular matrix): see :func:`householder_reflector`.

    This is the algorithm as it is taught (Trefethen & Bau, *Numerical Linear Algebra*,
    Algorithm 10.1; Golub & Van Loan, §5.2), kept as the reference that :class:`HouseholderQR`
    is tested against. The library's factorization computes the same :math:`R` but stores the
    reflectors compactly, guards the norms against overflow, and applies a block of reflectors
    at once as matrix products (many times faster on large matrices).

    Parameters
    ----------
    A : array-like of shape (m, n)

    Returns
    -------
    Q : ndarray of shape (m, k)
        Orthonormal columns.
    R : ndarray of shape (k, n)
        Upper triangular (trapezoidal when m < n).
    """
    R = np.array(_as_matrix(A, "A"))  # a copy, reduced to R in place
    m, n = R.shape
    k = min(m, n)
    reflectors = []
    for j in range(k):
        v, tau, beta = householder_reflector(R[j:, j])
        R[j:, j + 1:] -= tau * np.outer(v, v @ R[j:, j + 1:])
        R[j, j] = beta  # H_j x = β e_0; the entries below β are dropped by np.triu
        reflectors.append((v, tau))
    Q = np.eye(m, k, dtype=R.dtype)
    for j in reversed(range(k)):
        v, tau = reflectors[j]
        Q[j:] -= tau * np.outer(v, v @ Q[j:])
    return Q, np.triu(R[:k])
