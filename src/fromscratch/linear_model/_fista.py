r"""FISTA for the lasso and the elastic net: the textbook kernel and the mixed-precision fast path.

Proximal gradient with Nesterov momentum (Beck & Teboulle, 2009) on the objective
:math:`P(w) = f(w) + \lambda_1\|w\|_1` of :mod:`._cd`, with the smooth part
:math:`f(w) = \tfrac12\|y - Xw\|^2 + \tfrac{\lambda_2}{2}\|w\|^2`: a gradient step on
:math:`f`, then the proximal operator of the L1 term, soft-thresholding
(:func:`~._cd.soft_threshold`),

.. math::
    w_{k+1} = S\!\left(z_k - \tfrac1L\nabla f(z_k),\ \tfrac{\lambda_1}{L}\right), \quad
    t_{k+1} = \tfrac{1 + \sqrt{1 + 4t_k^2}}{2}, \quad
    z_{k+1} = w_{k+1} + \tfrac{t_k - 1}{t_{k+1}}(w_{k+1} - w_k),

with :math:`\nabla f(w) = \lambda_2 w - X^\top(y - Xw)` and :math:`L = \sigma_{\max}(X)^2 +
\lambda_2`, the Lipschitz constant of :math:`\nabla f`. The same duality-gap stopping rule as
coordinate descent. :func:`enet_fista_textbook` is the algorithm as it is taught, in float64;
:func:`enet_fista` is the fast path, tested against it: the momentum restarted whenever it
points uphill (O'Donoghue & Candès, 2015), one product with :math:`X` and one with
:math:`X^\top` per step, and on large data those products in float32 between float64
checkpoints (mixed-precision iterative refinement).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch.linear_model._cd import (
    duality_gap,
    soft_threshold,
    textbook_problem,
    warn_if_not_converged,
)

__all__ = ["enet_fista", "enet_fista_textbook"]

#: FISTA computes the duality gap every this many iterations (it costs an extra X^T R).
FISTA_GAP_EVERY = 10
#: FISTA's backtracking multiplies L by this when the quadratic upper bound fails.
BACKTRACKING_GROWTH = 1.25
#: FISTA multiplies by X in float32 between its float64 anchors from this many entries of X up
#: (smaller data gain nothing from it; see :func:`enet_fista`), and ``solver="auto"`` tries
#: FISTA first (see :func:`~._coordinate_descent.enet_auto`).
SINGLE_PRECISION_MIN_ENTRIES = 2**18
#: Below this size of the coefficients FISTA's float32 differences underflow (float32's smallest
#: normal number over its relative precision) and its products switch to float64.
FLOAT32_SMALLEST_W = float(np.finfo(np.float32).tiny / np.finfo(np.float32).eps)


def _largest_eigenvalue_gram(X: np.ndarray, n_power: int = 100, rtol: float = 1e-8) -> float:
    r""":math:`\sigma_{\max}(X)^2 = \lambda_{\max}(X^\top X)` by power iteration (Rayleigh
    quotients :math:`\|Xv\|^2` of :math:`v \leftarrow X^\top X v / \|X^\top X v\|`)."""
    v = np.einsum("ij,ij->j", X, X)  # non-negative start: overlaps the top eigenvector
    norm = float(np.sqrt(v @ v))
    if norm == 0.0:
        return 0.0
    v /= norm
    eigenvalue = 0.0
    for _ in range(n_power):
        Xv = X @ v
        previous, eigenvalue = eigenvalue, float(Xv @ Xv)
        u = X.T @ Xv
        v = u / float(np.sqrt(u @ u))
        if abs(eigenvalue - previous) <= rtol * eigenvalue:
            break
    return eigenvalue


# -- the textbook kernel -------------------------------------------------------------------


def enet_fista_textbook(
    X: Any, y: Any, alpha: float, l1_ratio: float = 1.0, *, tol: float = 1e-4,
    max_iter: int = 1000,
) -> tuple[np.ndarray, float, int]:
    r"""FISTA in float64: the reference form of the elastic net's proximal gradient.

    Minimizes :math:`\frac{1}{2n}\|y - Xw\|^2 + \alpha\rho\|w\|_1 + \frac{\alpha(1-\rho)}{2}
    \|w\|^2` (no intercept: center ``X`` and ``y`` first for one) as :math:`P(w) = f(w) +
    \lambda_1\|w\|_1`, :math:`\lambda_1 = n\alpha\rho`, :math:`\lambda_2 = n\alpha(1-\rho)`,
    :math:`\nabla f(z) = \lambda_2 z - X^\top(y - Xz)`. From :math:`w_0 = z_0 = 0`,
    :math:`t_0 = 1` (Beck & Teboulle, 2009):

    .. math::
        w_{k+1} = S\!\left(z_k - \tfrac1L\nabla f(z_k),\ \tfrac{\lambda_1}{L}\right), \quad
        t_{k+1} = \tfrac{1 + \sqrt{1 + 4t_k^2}}{2}, \quad
        z_{k+1} = w_{k+1} + \tfrac{t_k - 1}{t_{k+1}}(w_{k+1} - w_k).

    The step is :math:`1/L` with :math:`L = \sigma_{\max}(X)^2 + \lambda_2` from power
    iteration. Power iteration approaches :math:`\sigma_{\max}^2` from below, so each step
    :math:`s = w_{k+1} - z_k` is checked against the quadratic upper bound
    :math:`f(z_k + s) \le f(z_k) + \nabla f(z_k)^\top s + \tfrac L2\|s\|^2`, for a quadratic
    :math:`f` the same as :math:`\|Xs\|^2 + \lambda_2\|s\|^2 \le L\|s\|^2`; where it fails,
    :math:`L` grows by ``BACKTRACKING_GROWTH`` (backtracking, their §4). The duality gap
    (:func:`~._cd.duality_gap`) is computed before every step; the loop stops when
    :math:`G \le \mathrm{tol}\cdot\|y\|^2` and warns (``ConvergenceWarning``) if ``max_iter``
    steps do not get there. :func:`enet_fista` is the fast path for the same problem.
    Returns ``(w, gap, n_iter)`` as :func:`~._cd.enet_coordinate_descent_textbook` does,
    ``n_iter`` counting steps.
    """
    X, y, l1, l2 = textbook_problem(X, y, alpha, l1_ratio, max_iter, tol)
    n_samples, n_features = X.shape
    L = _largest_eigenvalue_gram(X) + l2
    w = z = np.zeros(n_features)
    t, n_iter = 1.0, 0
    gap_tol = tol * float(y @ y)
    while True:
        r = y - X @ w
        gap = duality_gap(w, r @ r, r @ y, X.T @ r, l1, l2)
        if gap <= gap_tol or n_iter == max_iter:
            break
        n_iter += 1
        gradient = l2 * z - X.T @ (y - X @ z)
        while True:
            w_new = soft_threshold(z - gradient / L, l1 / L)
            s = w_new - z
            Xs = X @ s
            if Xs @ Xs + l2 * (s @ s) <= L * (s @ s):
                break
            L *= BACKTRACKING_GROWTH
        t_new = (1.0 + math.sqrt(1.0 + 4.0 * t * t)) / 2.0
        z = w_new + (t - 1.0) / t_new * (w_new - w)
        w, t = w_new, t_new
    warn_if_not_converged("FISTA", max_iter, alpha, gap, gap_tol)
    return w, gap / n_samples, n_iter


# -- the fast path -------------------------------------------------------------------------


def enet_fista(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    l1: float,
    l2: float,
    *,
    max_iter: int = 1000,
    tol: float = 1e-4,
    positive: bool = False,
    min_progress: float | None = None,
    **_unused: Any,
) -> tuple[np.ndarray, float, float, int]:
    r"""Minimize :math:`P(w)` by FISTA with adaptive restart: the fast path of
    :func:`enet_fista_textbook`; same returns as :func:`~._cd.enet_coordinate_descent`
    (``n_iter`` counts gradient steps). With ``min_progress``, return early, for another
    solver to take over, as soon as ``FISTA_GAP_EVERY`` steps cut the gap by less than that
    factor.

    **The step size.** :math:`1/L` needs :math:`L` at least the Lipschitz constant of
    :math:`\nabla f`, :math:`\sigma_{\max}(X)^2 + \lambda_2`. A few power iterations estimate
    it (from below); *backtracking* makes it safe: a step :math:`s = w_{k+1} - z_k` is kept
    only where the quadratic upper bound holds. :math:`f` is itself quadratic,
    :math:`f(z + s) = f(z) + \nabla f(z)^\top s + \tfrac12(\|Xs\|^2 + \lambda_2\|s\|^2)`, so
    the bound

    .. math:: f(z_k + s) \le f(z_k) + \nabla f(z_k)^\top s + \tfrac L2\|s\|^2
        \iff \|Xs\|^2 + \lambda_2\|s\|^2 \le L\|s\|^2

    is a test on the curvature along the step, free of the cancellation in
    :math:`f(z_k + s) - f(z_k)`. Where it fails, :math:`L` grows by ``BACKTRACKING_GROWTH``
    and the step is taken again (Beck & Teboulle, 2009, §4).

    **Two products with X per step.** :math:`Xz_{k+1} = Xw_{k+1} + \beta_k(Xw_{k+1} - Xw_k)`
    follows from the momentum step, so each iteration multiplies by :math:`X` once (for
    :math:`Xw_{k+1}`, which the bound test needs anyway) and by :math:`X^\top` once (the
    gradient).

    **Mixed precision** (iterative refinement). Every ``FISTA_GAP_EVERY`` steps the duality
    gap needs the exact residual :math:`R_a = y - Xa` and :math:`X^\top R_a` at the current
    iterate :math:`a`, in float64. Between two such *anchors* the steps only need products
    with the *differences* :math:`v - a`: with :math:`D_v = X(v - a)`,

    .. math:: \nabla f(z) = \lambda_2 z - X^\top R_a + X^\top D_z,

    and on large data (``SINGLE_PRECISION_MIN_ENTRIES``) those products run in float32, about
    twice as fast (half the bytes to stream). Their rounding error, ~1e-7 relative, is relative
    to :math:`\|X\|\,\|z - a\|`, a quantity that shrinks with the steps, not to the gradient
    itself: the iterates converge to the float64 solution, and the gap that stops them is
    exact. The products switch to float64 should float32 fail: when its squares over- or
    underflow (the step size, from the start), when a product overflows (from the last
    anchor), and when the coefficients are so small that their differences underflow (at a
    gap check). The steps whose curvature is lost in the products' rounding are taken without
    growing :math:`L` (see ``rounding`` below).
    """
    yy = float(y @ y)
    gap_tol = tol * yy
    X_fast = X.astype(np.float32, copy=False) if X.size >= SINGLE_PRECISION_MIN_ENTRIES else X
    # Three power iterations (each two products with X, the cost of a FISTA step) approach the
    # true value from below, to within 20-30% on unstructured data; backtracking, by
    # BACKTRACKING_GROWTH, makes up the rest at one product per try, cheaper than more
    # power iterations.
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        L = _largest_eigenvalue_gram(X_fast, n_power=3, rtol=1e-3)
    if X_fast is not X and not 0.0 < L < math.inf:  # float32 squares overflowed or underflowed
        X_fast = X
        L = _largest_eigenvalue_gram(X, n_power=3, rtol=1e-3)
    L += l2
    if L == 0.0:
        return w, 0.0, gap_tol, 0

    def prox(v: np.ndarray, threshold: float) -> np.ndarray:
        """Soft-thresholding, projected onto w ≥ 0 for ``positive``."""
        shrunk = soft_threshold(v, threshold)
        return np.maximum(shrunk, 0.0) if positive else shrunk

    def times_X(v: np.ndarray, transpose: bool = False) -> np.ndarray:
        """Xv or Xᵀv in the steps' precision."""
        A = X_fast.T if transpose else X_fast
        return A @ v.astype(A.dtype, copy=False)

    def rounding(w_new: np.ndarray, z: np.ndarray) -> float:
        """About the rounding error of X s = X(w_new − a) − X(z − a).

        Each entry of a product Xv is a sum of p terms, rounded to about ε√p‖x_i‖‖v‖, so
        the products are off by about ε√p‖X‖_F‖v‖, with ‖X‖_F ≤ √min(n, p)·σ_max(X) and
        σ_max(X)² ≤ L. The bound test allows that much: a step whose curvature is lost in
        rounding is taken, instead of growing L on rounding alone (which, for a step that
        vanishes at a solution, never ends).
        """
        from_w, from_z = w_new - anchor, z - anchor
        size = math.sqrt(float(from_w @ from_w)) + math.sqrt(float(from_z @ from_z))
        frobenius = math.sqrt(min(X.shape) * L)
        return 4.0 * math.sqrt(X.shape[1]) * float(np.finfo(X_fast.dtype).eps) * frobenius * size

    def gap_at(v: np.ndarray) -> tuple[float, np.ndarray]:
        """The exact duality gap at v and Xᵀ(y − Xv), in the data's precision."""
        R = y - X @ v if v.any() else y
        XtR = X.T @ R
        return duality_gap(v, float(R @ R), float(R @ y), XtR, l1, l2, positive), XtR

    gap, XtR_anchor = gap_at(w)
    anchor = w.copy()
    z, t = w.copy(), 1.0
    Dw = Dz = np.zeros(X.shape[0], dtype=X_fast.dtype)  # X(w − anchor), X(z − anchor)
    n_iter = 0
    # Float32 products that overflow turn into inf/NaN steps; the guards below catch them
    # (the curvature test, then the exact gap), so NumPy's warnings about them are noise.
    with np.errstate(over="ignore", invalid="ignore"):
        while gap > gap_tol and n_iter < max_iter:
            n_iter += 1
            grad = l2 * z - XtR_anchor + times_X(Dz, transpose=True)
            while True:
                w_new = prox(z - grad / L, l1 / L)
                Dw_new = times_X(w_new - anchor)
                step, X_step = w_new - z, Dw_new - Dz
                step_norm2 = float(step @ step)
                curvature = float(X_step @ X_step) + l2 * step_norm2
                if (curvature <= L * step_norm2 + rounding(w_new, z) ** 2
                        or not math.isfinite(curvature)):
                    break  # (not finite: float32 overflowed, which the next gap check catches)
                L *= BACKTRACKING_GROWTH
            if (z - w_new) @ (w_new - w) > 0:  # momentum points uphill: restart it
                t = 1.0
            t_new = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * t * t))
            beta = (t - 1.0) / t_new
            z = w_new + beta * (w_new - w)
            Dz = Dw_new + beta * (Dw_new - Dw)
            w, Dw, t = w_new, Dw_new, t_new
            if n_iter % FISTA_GAP_EVERY == 0 or n_iter == max_iter:
                previous = gap
                gap, XtR = gap_at(w)
                if X_fast is not X:
                    if not math.isfinite(gap):  # float32 products overflowed: back to the anchor
                        X_fast, gap, w, z, t = X, previous, anchor.copy(), anchor.copy(), 1.0
                        Dw = Dz = np.zeros(X.shape[0])
                        continue
                    if 0.0 < float(np.abs(w).max()) < FLOAT32_SMALLEST_W:
                        X_fast = X  # differences of such coefficients underflow in float32
                if min_progress is not None and gap > gap_tol and gap * min_progress > previous:
                    break
                # The anchor moves to w. Dz is multiplied afresh: Dz − Dw would carry the
                # rounding of the old anchor's larger differences into the new, smaller ones.
                anchor, XtR_anchor = w.copy(), XtR
                Dz, Dw = times_X(z - anchor), np.zeros(X.shape[0], dtype=X_fast.dtype)
    return w, gap, gap_tol, n_iter
