r"""Lasso and elastic net: coordinate descent with working sets, and FISTA.

**Objective** (scikit-learn's, so results compare number for number), with mixing
:math:`\rho` = ``l1_ratio``:

.. math::
    \frac{1}{2n}\|y - Xw - b\mathbf 1\|_2^2 + \alpha\rho\|w\|_1
    + \frac{\alpha(1-\rho)}{2}\|w\|_2^2 .

The intercept is removed by centering (:mod:`._base`). Multiplying by :math:`n`, the solvers
minimize the equivalent

.. math::
    P(w) = \tfrac12\|y - Xw\|_2^2 + \lambda_1\|w\|_1 + \tfrac{\lambda_2}{2}\|w\|_2^2,
    \qquad \lambda_1 = \alpha\rho n,\ \lambda_2 = \alpha(1-\rho)n .

**Coordinate descent.** Minimizing :math:`P` over one coordinate :math:`w_j` with the others
fixed has a closed form. With the partial residual :math:`r_{(j)} = y - \sum_{k\ne j} x_k w_k`,

.. math::
    w_j \leftarrow \frac{S(x_j^\top r_{(j)},\ \lambda_1)}{\|x_j\|^2 + \lambda_2},
    \qquad S(z, t) = \operatorname{sign}(z)\max(|z| - t, 0)

(soft-thresholding: the subgradient of :math:`\lambda_1|w_j|` at 0 is
:math:`[-\lambda_1, \lambda_1]`, so small correlations give exactly zero). Cycling over the
coordinates converges to the minimum (Friedman, Hastie & Tibshirani, 2010).

**Stopping rule: the duality gap** (exactly scikit-learn's). For the residual
:math:`R = y - Xw`, scale it to a dual-feasible point :math:`\theta = sR`,
:math:`s = \min(1, \lambda_1 / \|X^\top R - \lambda_2 w\|_\infty)`; then

.. math::
    G(w) = P(w) - D(\theta) = \tfrac12(\|R\|^2 + \lambda_2\|w\|^2) + \lambda_1\|w\|_1
    + \tfrac{s^2}{2}(\|R\|^2 + \lambda_2\|w\|^2) - s\,R^\top y \ \ge\ P(w) - P(w^\star),

a computable bound on the suboptimality. The solvers stop when
:math:`G \le \mathrm{tol}\cdot\|y\|^2` (:math:`G(0) = \|y\|^2/2`, so ``tol`` is relative);
``dual_gap_`` reports :math:`G/n`, the gap of the :math:`1/(2n)`-scaled objective. (Without an
L1 term the ridge dual, or for :math:`\alpha = 0` the gradient norm :math:`\|X^\top R\|^2`, is
used, again as scikit-learn does.)

**Working sets** (our speed-up; scikit-learn instead runs every coordinate, screening out
provably-zero ones). A lasso solution has few non-zeros, so most coordinates of a full sweep
stay at zero. Each outer iteration computes :math:`X^\top R` once, ranks the features by how
close they are to violating the optimality condition :math:`|x_j^\top R - \lambda_2 w_j| \le
\lambda_1`, and runs coordinate descent on a small working set :math:`W` (the current support
plus the strongest candidates) in *covariance form*: with :math:`G = X_W^\top X_W`,
:math:`q = Gw_W`, the correlation is :math:`x_j^\top r_{(j)} = x_j^\top y - q_j + G_{jj}w_j`, so
an update costs :math:`O(|W|)` instead of :math:`O(n)`. The subproblem is solved until its own
gap is below a fraction of the full problem's (checked every few epochs, not only when the steps
are below ``tol``: see :func:`_gap_check_due`); the full gap then decides, computed from an
exact :math:`Gw` (no drift from the updates) before the solver stops (Massias, Gramfort &
Salmon, 2018; Bertrand et al., 2022, "skglm"). Once :math:`W` is every feature, the solve is
scikit-learn's own: same iterations, same gap schedule, same tolerance. ``n_iter_`` counts
epochs over the working sets.

**FISTA** (``solver="fista"``). Proximal gradient with Nesterov momentum (Beck & Teboulle,
2009): a gradient step on the smooth part, soft-thresholding for the L1 part,

.. math::
    w_{k+1} = S\!\left(z_k - \tfrac1L\nabla f(z_k),\ \tfrac{\lambda_1}{L}\right), \quad
    t_{k+1} = \tfrac{1 + \sqrt{1 + 4t_k^2}}{2}, \quad
    z_{k+1} = w_{k+1} + \tfrac{t_k - 1}{t_{k+1}}(w_{k+1} - w_k),

with :math:`L = \sigma_{\max}(X)^2 + \lambda_2` and the momentum restarted whenever it points
uphill (O'Donoghue & Candès, 2015). Same duality-gap stopping rule. On large data its products
with :math:`X` run in float32 between float64 checkpoints (mixed-precision iterative
refinement; see :func:`enet_fista`).

**Which solver** (``solver="auto"``, the default; :func:`enet_auto`). A step of coordinate
descent costs :math:`O(|W|)` once the Gram matrix of the working set is paid for, about
:math:`n|W|^2/2` multiply-adds; a FISTA step costs two products with :math:`X`, :math:`2np`,
however many features are active, and needs few steps when the features are nearly
uncorrelated (its rate depends on the conditioning of :math:`X`, coordinate descent's much
less). So on large tall data FISTA runs first and keeps going only while it converges fast;
otherwise, and on small or wide data, coordinate descent.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._validation import (
    check_array,
    check_choice,
    check_random_state,
    check_scalar,
    check_X_y,
)
from fromscratch.linear_model._base import (
    ConvergenceWarning,
    LinearModel,
    center_data,
    intercept_from,
)

__all__ = ["Lasso", "ElasticNet", "lasso_path", "enet_path"]

#: Smallest working set (features) of the first outer iteration.
WORKING_SET_START = 10
#: An inner solve stops when its gap is below this fraction of the full problem's gap.
INNER_GAP_FRACTION = 0.3
#: Coordinate descent runs in covariance form (Gram rows, O(p²) memory at most) up to this many
#: features (beyond, on the Gram matrix of each working set; see enet_coordinate_descent).
GRAM_MAX_FEATURES = 2000
#: An inner solve on a partial working set evaluates its duality gap at least every this many
#: epochs (see :func:`_gap_check_due`).
GAP_CHECK_EVERY = 10
#: FISTA computes the duality gap every this many iterations (it costs an extra X^T R).
FISTA_GAP_EVERY = 10
#: FISTA's backtracking multiplies L by this when the quadratic upper bound fails.
BACKTRACKING_GROWTH = 1.25
#: FISTA multiplies by X in float32 between its float64 anchors from this many entries of X up
#: (smaller data gain nothing from it; see :func:`enet_fista`), and ``solver="auto"`` tries
#: FISTA first (see :func:`enet_auto`).
SINGLE_PRECISION_MIN_ENTRIES = 2**18
#: Below this size of the coefficients FISTA's float32 differences underflow (float32's smallest
#: normal number over its relative precision) and its products switch to float64.
FLOAT32_SMALLEST_W = float(np.finfo(np.float32).tiny / np.finfo(np.float32).eps)
#: ``solver="auto"`` hands over from FISTA to coordinate descent when ``FISTA_GAP_EVERY`` steps
#: divide the duality gap by less than this.
AUTO_MIN_PROGRESS = 100.0


# -- the duality gap -----------------------------------------------------------------------


def duality_gap(
    w: np.ndarray,
    R_norm2: float,
    R_y: float,
    XtR: np.ndarray,
    l1: float,
    l2: float,
    positive: bool = False,
) -> float:
    r"""scikit-learn's duality gap of :math:`P(w)` from :math:`\|R\|^2`, :math:`R^\top y`,
    :math:`X^\top R` (see the module docstring; formulation "A", or "B" when :math:`\lambda_1=0`).
    """
    w_norm2 = float(w @ w)
    if l1 == 0:
        XtR_norm2 = float(XtR @ XtR)
        if l2 == 0:  # least squares: no dual; the first-order condition X^T R = 0 instead
            return XtR_norm2
        return R_norm2 + 0.5 * l2 * w_norm2 - R_y + XtR_norm2 / (2 * l2)
    XtA = XtR - l2 * w
    dual_norm = float(XtA.max()) if positive else float(np.abs(XtA).max())
    scale = l1 / dual_norm if dual_norm > l1 else 1.0
    smooth = R_norm2 + l2 * w_norm2
    primal = 0.5 * smooth + l1 * float(np.abs(w).sum())
    dual = -0.5 * scale**2 * smooth + scale * R_y
    return primal - dual


# -- coordinate descent --------------------------------------------------------------------


def _gap_check_due(
    epoch: int, max_epochs: int, w_max: float, d_w_max: float, d_w_tol: float,
    gap_every: int | None,
) -> bool:
    r"""Whether an inner solve should evaluate its duality gap after this epoch.

    scikit-learn's rule: when the largest step is small relative to the largest coefficient,
    :math:`\max_j|\Delta w_j| \le \mathrm{tol}\cdot\max_j|w_j|`, and after the last epoch. With
    working sets that rule alone is not enough. An inner solve only has to bring the gap of its
    subproblem below a *fraction of the current full gap*, a target far looser than ``tol``
    while the working set is still too small; but steps of relative size ``tol`` are only
    reached when the subproblem is solved to about ``tol`` itself. At a tight ``tol`` on
    correlated features (where coordinate descent converges slowly) the inner solve then
    spends thousands of epochs polishing a working set that lacks part of the support, the
    ``max_iter`` budget runs out before the set has grown, and the returned coefficients are
    *worse* than at a loose ``tol``. So the gap is also evaluated every ``gap_every`` epochs:
    the inner solve stops soon after it meets its own target, whatever ``tol`` is (as in
    Massias et al., 2018, and skglm). ``gap_every=None`` keeps scikit-learn's rule alone, for
    a working set of every feature (see :func:`enet_coordinate_descent`).
    """
    return (
        w_max == 0.0
        or d_w_max / w_max <= d_w_tol
        or (gap_every is not None and epoch % gap_every == 0)
        or epoch == max_epochs
    )


def _soft_threshold_update(
    correlation: float, l1: float, denominator: float, positive: bool
) -> float:
    if positive and correlation < 0:
        return 0.0
    return math.copysign(max(abs(correlation) - l1, 0.0), correlation) / denominator


def _cd_epochs_residual(
    X_W: np.ndarray,
    y: np.ndarray,
    R: np.ndarray,
    w_W: np.ndarray,
    col_sq: list[float],
    l1: float,
    l2: float,
    *,
    max_epochs: int,
    d_w_tol: float,
    gap_every: int | None,
    gap_tol: float,
    rng: np.random.Generator,
    random: bool,
    positive: bool,
) -> int:
    r"""Coordinate descent over the columns of ``X_W``, updating ``w_W`` and the residual
    :math:`R = y - Xw` in place; return the epochs run.

    Each update needs the correlation :math:`x_j^\top r_{(j)} = x_j^\top R + \|x_j\|^2 w_j`
    (one dot product) and, only when :math:`w_j` changes, :math:`R \leftarrow R - \Delta w_j\,
    x_j`. As in scikit-learn, the (costlier) duality gap is only evaluated after an epoch whose
    largest step is small relative to the largest coefficient.
    """
    columns = [X_W[:, k] for k in range(X_W.shape[1])]
    m = len(columns)
    for epoch in range(1, max_epochs + 1):
        order = rng.integers(0, m, size=m).tolist() if random else range(m)
        w_max = d_w_max = 0.0
        for k in order:
            if col_sq[k] == 0.0:
                continue
            x = columns[k]
            w_k = float(w_W[k])
            correlation = float(x @ R) + col_sq[k] * w_k
            new = _soft_threshold_update(correlation, l1, col_sq[k] + l2, positive)
            if new != w_k:
                R -= (new - w_k) * x
                w_W[k] = new
            d_w_max = max(d_w_max, abs(new - w_k))
            w_max = max(w_max, abs(new))
        if _gap_check_due(epoch, max_epochs, w_max, d_w_max, d_w_tol, gap_every):
            gap = duality_gap(w_W, float(R @ R), float(R @ y), X_W.T @ R, l1, l2, positive)
            if gap <= gap_tol:
                return epoch
    return max_epochs


def _cd_epochs_covariance(
    G: np.ndarray,
    Xty: np.ndarray,
    q: np.ndarray,
    w: np.ndarray,
    W: np.ndarray,
    yy: float,
    l1: float,
    l2: float,
    *,
    max_epochs: int,
    d_w_tol: float,
    gap_every: int | None,
    gap_tol: float,
    rng: np.random.Generator,
    random: bool,
    positive: bool,
) -> int:
    r"""Coordinate descent over the features ``W`` in covariance form (Friedman et al., 2010,
    "covariance updates"); updates ``w`` and :math:`q = Gw` in place (``w`` at least when the
    gap is checked, which is always the case on return), returns the epochs run.

    With :math:`G = X^\top X` precomputed, :math:`x_j^\top R = (X^\top y)_j - q_j`, so a
    correlation costs :math:`O(1)` and an update :math:`q \leftarrow q + \Delta w_j G_{:,j}`
    costs :math:`O(p)` instead of :math:`O(n)`. The residual norms of the gap follow from
    :math:`\|R\|^2 = y^\top y - 2w^\top X^\top y + w^\top q` and
    :math:`R^\top y = y^\top y - w^\top X^\top y`.
    """
    # Python floats and row views: per-coordinate NumPy scalar overhead dominates otherwise.
    features = W.tolist()
    rows = [G[j] for j in features]
    diag = [float(G[j, j]) for j in features]
    Xty_W = Xty[W].tolist()
    w_W = w[W].tolist()
    m = len(features)
    for epoch in range(1, max_epochs + 1):
        order = rng.integers(0, m, size=m).tolist() if random else range(m)
        w_max = d_w_max = 0.0
        for k in order:
            if diag[k] == 0.0:
                continue
            w_k = w_W[k]
            correlation = Xty_W[k] - q.item(features[k]) + diag[k] * w_k
            new = _soft_threshold_update(correlation, l1, diag[k] + l2, positive)
            if new != w_k:
                q += (new - w_k) * rows[k]
                w_W[k] = new
            d_w_max = max(d_w_max, abs(new - w_k))
            w_max = max(w_max, abs(new))
        if _gap_check_due(epoch, max_epochs, w_max, d_w_max, d_w_tol, gap_every):
            w[W] = w_W
            w_Xty = float(w @ Xty)
            gap = duality_gap(w[W], yy - 2 * w_Xty + float(w @ q), yy - w_Xty, Xty[W] - q[W],
                              l1, l2, positive)
            if gap <= gap_tol:
                return epoch
    return max_epochs


def _working_set(
    w: np.ndarray, XtR: np.ndarray, col_sq: np.ndarray, l1: float, l2: float,
    positive: bool, size: int,
) -> np.ndarray:
    r"""The ``size`` most promising features, in index order: the support first, then the
    smallest gap-safe distances :math:`(1 - |x_j^\top\theta|)/\sqrt{\|x_j\|^2 + \lambda_2}` of
    the dual point :math:`\theta` (a feature whose constraint :math:`|x_j^\top\theta| \le 1` is
    tight is about to enter)."""
    XtA = XtR - l2 * w
    correlation = np.maximum(XtA, 0.0) if positive else np.abs(XtA)
    dual_scale = max(l1, float(correlation.max()))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (1.0 - correlation / dual_scale) / np.sqrt(col_sq + l2)
    score[col_sq == 0] = np.inf  # an all-zero column can never enter
    score[w != 0] = -np.inf
    if size >= w.size:
        return np.arange(w.size)
    return np.sort(np.argpartition(score, size - 1)[:size])


class GramCache:
    r"""The covariance-form data of a problem: :math:`X^\top y`, :math:`\|x_j\|^2` and the Gram
    matrix :math:`G = X^\top X`.

    For tall data (:math:`n \ge p`) :math:`G` is formed at once. For wide data, row :math:`j` of
    :math:`G` (= column :math:`j`, by symmetry) is computed, as :math:`X^\top x_j`, only when
    feature :math:`j` first enters a working set, several rows in one matrix product. A lasso
    touches few features, so this costs :math:`n\,p\,|W|` flops instead of :math:`n p^2`;
    along a path the rows are reused from one alpha to the next.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray) -> None:
        n_features = X.shape[1]
        self.X = X
        self.Xty = X.T @ y
        if X.shape[0] >= n_features:
            # Tall data: the whole of G costs about as much as a few epochs, and the symmetric
            # product XᵀX takes half the flops of computing its rows piecemeal.
            self.G = X.T @ X
            self.known = np.ones(n_features, dtype=bool)
            self.col_sq = np.diagonal(self.G).copy()  # ||x_j||², without another pass over X
        else:
            self.G = np.empty((n_features, n_features), dtype=X.dtype)
            self.known = np.zeros(n_features, dtype=bool)
            self.col_sq = np.einsum("ij,ij->j", X, X)
        self._last: tuple[np.ndarray, np.ndarray] | None = None  # a solution w and its Gw

    def times(self, w: np.ndarray) -> np.ndarray:
        """:math:`Gw`, without needing :math:`G`'s rows: remembered for the last solution
        (the warm start of the next alpha along a path), zero at :math:`w = 0`, else
        :math:`X^\top(Xw)`."""
        if self._last is not None and np.array_equal(self._last[0], w):
            return self._last[1].copy()
        return self.X.T @ (self.X @ w) if w.any() else np.zeros_like(w)

    def remember(self, w: np.ndarray, q: np.ndarray) -> None:
        self._last = (w.copy(), q.copy())

    def exact_product(self, w: np.ndarray) -> np.ndarray:
        """:math:`Gw` from the rows of w's support (= its columns, by symmetry)."""
        support = np.flatnonzero(w)
        return self.rows(support)[support].T @ w[support]

    def rows(self, W: np.ndarray) -> np.ndarray:
        """:math:`G`, with at least the rows ``W`` filled in."""
        new = W[~self.known[W]]
        if new.size:
            self.G[new] = self.X[:, new].T @ self.X
            self.known[new] = True
        return self.G


def enet_coordinate_descent(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    l1: float,
    l2: float,
    *,
    max_iter: int = 1000,
    tol: float = 1e-4,
    rng: np.random.Generator | None = None,
    random: bool = False,
    positive: bool = False,
    gram: GramCache | None = None,
) -> tuple[np.ndarray, float, float, int]:
    r"""Minimize :math:`P(w)` by working-set coordinate descent.

    Up to ``GRAM_MAX_FEATURES`` features the updates run in covariance form, on the rows of
    the Gram matrix the working sets need (:class:`GramCache`; pass ``gram`` to reuse one
    across calls on the same data). Beyond, the outer iterations keep the residual
    :math:`R = y - Xw`, and each working set gets its own Gram matrix :math:`X_W^\top X_W`
    for covariance updates (or, for a working set of more than ``GRAM_MAX_FEATURES``
    features, the updates run on the residual itself). Either way the final
    duality gap is exact: from the residual :math:`y - Xw`, or from :math:`q = Gw` recomputed
    from the Gram rows of the support (not the :math:`q` the updates accumulated).

    Parameters
    ----------
    X, y : centered data; w : initial coefficients (updated in place)
    l1, l2 : :math:`\lambda_1 = \alpha\rho n`, :math:`\lambda_2 = \alpha(1-\rho)n`
    max_iter : maximum number of epochs (over working sets) in total
    tol : the gap must fall to ``tol * ||y||²``

    Returns
    -------
    w, gap, gap_tol, n_iter
    """
    rng = np.random.default_rng(0) if rng is None else rng
    n_features = X.shape[1]
    covariance = n_features <= GRAM_MAX_FEATURES
    yy = float(y @ y)
    gap_tol = tol * yy
    size = n_features if l1 == 0 else WORKING_SET_START  # no L1: every coordinate is active
    if covariance:
        gram = GramCache(X, y) if gram is None else gram
        Xty, col_sq = gram.Xty, gram.col_sq
        q = gram.times(w)
    else:
        X = np.asfortranarray(X)  # contiguous columns to gather the working sets from
        R = y - X @ w
        col_sq = np.einsum("ij,ij->j", X, X)
        Xty = X.T @ y
    n_iter = 0

    def gram_gap() -> tuple[float, np.ndarray]:
        """The gap from q = Gw: ‖R‖² = yᵀy − 2wᵀXᵀy + wᵀq, Rᵀy = yᵀy − wᵀXᵀy, XᵀR = Xᵀy − q."""
        w_Xty = float(w @ Xty)
        XtR = Xty - q
        return duality_gap(w, yy - 2 * w_Xty + float(w @ q), yy - w_Xty, XtR, l1, l2,
                           positive), XtR

    while True:
        if covariance:
            gap, XtR = gram_gap()
            if gap <= gap_tol or n_iter >= max_iter:
                # A claimed convergence is confirmed (and reported) from q = Gw recomputed
                # from the Gram rows of the support: q accumulates rounding over many updates,
                # which at a tight tol is as large as the tolerance itself. q is resynchronized,
                # so the drift never builds up across outer iterations. (What is left, the
                # cancellation in ‖R‖², is a few ε·yᵀy, below any tol that float64 can meet;
                # one product G_S w_S costs |S|·p, not the 2np of y - Xw and Xᵀ(y - Xw).)
                q = gram.exact_product(w)
                gap, XtR = gram_gap()
        else:  # the residual R = y - Xw is kept exact
            XtR = X.T @ R
            gap = duality_gap(w, float(R @ R), float(R @ y), XtR, l1, l2, positive)
        if gap <= gap_tol or n_iter >= max_iter:
            break
        # Room for twice the current support.
        size = min(n_features, max(size, 2 * int(np.count_nonzero(w))))
        W = _working_set(w, XtR, col_sq, l1, l2, positive, size)
        # A working set of every feature makes the subproblem the full problem: nothing is left
        # to re-rank, so it is solved to the full tolerance on scikit-learn's gap schedule
        # (the very iterations of scikit-learn). A partial one only has to cut the gap by a
        # fraction before the features are re-ranked, and checks for that regularly.
        every_feature = W.size == n_features
        inner = dict(
            max_epochs=max_iter - n_iter, d_w_tol=tol,
            gap_tol=gap_tol if every_feature else max(INNER_GAP_FRACTION * gap, 0.5 * gap_tol),
            gap_every=None if every_feature else GAP_CHECK_EVERY,
            rng=rng, random=random, positive=positive,
        )
        if covariance:
            n_iter += _cd_epochs_covariance(gram.rows(W), Xty, q, w, W, yy, l1, l2, **inner)
        else:
            X_W, w_W = X[:, W], w[W]
            if W.size <= GRAM_MAX_FEATURES:
                # The working set's own Gram matrix (n|W|² flops, cheap when n is small)
                # turns each update from O(n) into O(|W|): covariance form on the subproblem.
                q_W = Xty[W] - X_W.T @ R  # = X_Wᵀ X_W w_W: w is zero outside W
                n_iter += _cd_epochs_covariance(X_W.T @ X_W, Xty[W], q_W, w_W,
                                                np.arange(W.size), yy, l1, l2, **inner)
                R = y - X_W @ w_W
            else:
                n_iter += _cd_epochs_residual(X_W, y, R, w_W, col_sq[W].tolist(), l1, l2,
                                              **inner)
            w[W] = w_W  # the support is inside W, so w is zero outside it
    if covariance:
        gram.remember(w, q)  # q is exact here: resynchronized from G above
    return w, gap, gap_tol, n_iter


# -- FISTA ---------------------------------------------------------------------------------


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
    r"""Minimize :math:`P(w)` by FISTA with adaptive restart; same returns as
    :func:`enet_coordinate_descent` (``n_iter`` counts gradient steps). With ``min_progress``,
    return early, for another solver to take over, as soon as ``FISTA_GAP_EVERY`` steps cut
    the gap by less than that factor.

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
        if positive:
            return np.maximum(v - threshold, 0.0)
        return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0)

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


def enet_auto(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    l1: float,
    l2: float,
    *,
    max_iter: int = 1000,
    tol: float = 1e-4,
    gram: GramCache | None = None,
    **options: Any,
) -> tuple[np.ndarray, float, float, int]:
    r"""``solver="auto"``: coordinate descent, with FISTA first on large tall data.

    On tall data coordinate descent in covariance form needs the Gram matrix of every feature
    that may enter, :math:`n|W|^2/2` multiply-adds; when the solution keeps many features that
    costs more than the whole of scikit-learn's fit. A FISTA step costs two products with
    :math:`X` (:math:`2np`, in float32), and on well-conditioned data a few tens of them reach
    any tolerance. So from ``SINGLE_PRECISION_MIN_ENTRIES`` entries up, and with
    :math:`n \ge p`, FISTA runs first, as long as every ``FISTA_GAP_EVERY`` steps divide the gap
    by at least ``AUTO_MIN_PROGRESS`` (a fast linear rate, as on nearly uncorrelated
    features). Otherwise coordinate descent starts over from the initial coefficients, not
    from FISTA's iterate: that one has many small non-zeros, which would make the first
    working set every feature. Small data, wide data and warm-started paths (a
    ``gram`` to reuse) run coordinate descent alone, exactly as ``solver="cd"``. ``n_iter``
    counts FISTA steps plus coordinate-descent epochs.
    """
    n_samples, n_features = X.shape
    n_fista = 0
    if gram is None and n_samples >= n_features and X.size >= SINGLE_PRECISION_MIN_ENTRIES:
        w_fista, gap, gap_tol, n_fista = enet_fista(
            X, y, w.copy(), l1, l2, max_iter=max_iter, tol=tol,
            min_progress=AUTO_MIN_PROGRESS, positive=options["positive"],
        )
        if gap <= gap_tol or n_fista >= max_iter:
            w[:] = w_fista
            return w, gap, gap_tol, n_fista
    w, gap, gap_tol, n_cd = enet_coordinate_descent(
        X, y, w, l1, l2, max_iter=max_iter - n_fista, tol=tol, gram=gram, **options
    )
    return w, gap, gap_tol, n_fista + n_cd


_SOLVERS: dict[str, Callable[..., tuple[np.ndarray, float, float, int]]] = {
    "auto": enet_auto,
    "cd": enet_coordinate_descent,
    "fista": enet_fista,
}


# -- estimators ----------------------------------------------------------------------------


def _check_enet_params(
    alpha: Any, l1_ratio: Any, max_iter: Any, tol: Any, selection: Any, solver: Any,
    **flags: Any,
) -> None:
    check_scalar(alpha, "alpha", min_val=0.0)
    check_scalar(l1_ratio, "l1_ratio", min_val=0.0, max_val=1.0)
    check_scalar(max_iter, "max_iter", kind=int, min_val=1)
    check_scalar(tol, "tol", min_val=0.0)
    check_choice(selection, "selection", ("cyclic", "random"))
    check_choice(solver, "solver", tuple(_SOLVERS))
    for name, value in flags.items():
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be a bool; got {value!r}.")


def _solve_enet(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, alpha: float, l1_ratio: float, *,
    solver: str, max_iter: int, tol: float, rng: np.random.Generator, selection: str,
    positive: bool, **extra: Any,
) -> tuple[np.ndarray, float, int]:
    """Solve on centered data from ``w``; return (w, gap / n, n_iter), warning if unconverged."""
    n_samples = X.shape[0]
    l1 = alpha * l1_ratio * n_samples
    l2 = alpha * (1.0 - l1_ratio) * n_samples
    w, gap, gap_tol, n_iter = _SOLVERS[solver](
        X, y, w, l1, l2, max_iter=max_iter, tol=tol, rng=rng,
        random=selection == "random", positive=positive, **extra,
    )
    if not gap <= gap_tol:  # (also a NaN gap)
        warnings.warn(
            f"{solver} did not converge in max_iter={max_iter} iterations (alpha={alpha:g}): "
            f"duality gap {gap:.3e} > tolerance {gap_tol:.3e}. Increase max_iter, loosen tol, "
            "or standardize the features.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return w, gap / n_samples, n_iter


class ElasticNet(LinearModel):
    r"""Linear regression with combined L1 and L2 penalties (scikit-learn's objective).

    Minimizes :math:`\frac{1}{2n}\|y - Xw - b\mathbf 1\|^2 + \alpha\rho\|w\|_1 +
    \frac{\alpha(1-\rho)}{2}\|w\|^2` with :math:`\rho` = ``l1_ratio``; see
    :mod:`._coordinate_descent` for the algorithms and the stopping rule.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength, :math:`\alpha \ge 0`.
    l1_ratio : float, default=0.5
        Mixing :math:`\rho \in [0, 1]`: 1 is the lasso, 0 ridge (in this scaling).
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum epochs (coordinate descent) or gradient steps (FISTA).
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * ||y - ȳ||²`` (as in scikit-learn).
    warm_start : bool, default=False
        Start from the previous ``coef_`` (e.g. along a sequence of alphas).
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : int, numpy.random.Generator or None, default=None
        Coordinate order for ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Update coordinates in order, or pick them at random (with replacement).
    solver : {"auto", "cd", "fista"}, default="auto"
        Coordinate descent with working sets, accelerated proximal gradient, or (``"auto"``)
        coordinate descent preceded, on large tall data, by FISTA for as long as it converges
        fast (:func:`enet_auto`; on small data ``"auto"`` is ``"cd"``).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Epochs over the working sets (CD), gradient steps (FISTA), or both (auto).
    dual_gap_ : float
        Final duality gap of the :math:`1/(2n)`-scaled objective.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    """

    def __init__(
        self,
        alpha: float = 1.0,
        l1_ratio: float = 0.5,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        warm_start: bool = False,
        positive: bool = False,
        random_state: Any = None,
        selection: str = "cyclic",
        solver: str = "auto",
    ) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.solver = solver

    def _l1_ratio(self) -> float:
        return self.l1_ratio

    def fit(self, X: Any, y: Any) -> ElasticNet:
        """Fit the coefficients; returns ``self``."""
        _check_enet_params(
            self.alpha, self._l1_ratio(), self.max_iter, self.tol, self.selection, self.solver,
            fit_intercept=self.fit_intercept, warm_start=self.warm_start, positive=self.positive,
        )
        X, y = self._validate_fit(X, y)
        Xc, yc, X_offset, y_offset = center_data(X, y, self.fit_intercept)
        previous = getattr(self, "coef_", None)
        if self.warm_start and previous is not None and previous.shape == (X.shape[1],):
            w = previous.astype(X.dtype, copy=True)
        else:
            w = np.zeros(X.shape[1], dtype=X.dtype)
        w, self.dual_gap_, self.n_iter_ = _solve_enet(
            Xc, yc, w, float(self.alpha), float(self._l1_ratio()), solver=self.solver,
            max_iter=self.max_iter, tol=float(self.tol),
            rng=check_random_state(self.random_state), selection=self.selection,
            positive=bool(self.positive),
        )
        self._set_coef(w, intercept_from(w, X_offset, y_offset, self.fit_intercept))
        return self


class Lasso(ElasticNet):
    r"""Linear regression with an L1 penalty: :math:`\frac{1}{2n}\|y - Xw - b\mathbf 1\|^2 +
    \alpha\|w\|_1` (scikit-learn's objective). The penalty sets coefficients exactly to zero.

    The same as :class:`ElasticNet` with ``l1_ratio=1``; see it for the parameters and
    attributes.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    >>> model = Lasso(alpha=0.1).fit(X, X[:, 0])
    >>> np.round(model.coef_, 3).tolist()
    [0.92, 0.0]
    """

    def __init__(
        self,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        warm_start: bool = False,
        positive: bool = False,
        random_state: Any = None,
        selection: str = "cyclic",
        solver: str = "auto",
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.solver = solver

    def _l1_ratio(self) -> float:
        return 1.0


# -- regularization paths ------------------------------------------------------------------


def enet_path(
    X: Any,
    y: Any,
    *,
    l1_ratio: float = 0.5,
    eps: float = 1e-3,
    n_alphas: int = 100,
    alphas: Any = None,
    fit_intercept: bool = False,
    coef_init: Any = None,
    max_iter: int = 1000,
    tol: float = 1e-4,
    positive: bool = False,
    random_state: Any = None,
    selection: str = "cyclic",
    solver: str = "auto",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Elastic-net coefficients along a decreasing grid of alphas (scikit-learn's ``enet_path``).

    The default grid starts at the smallest penalty whose solution is all zeros,

    .. math:: \alpha_{\max} = \frac{\|X^\top y\|_\infty}{n\rho}

    (from the optimality condition at :math:`w = 0`) and goes down geometrically to
    :math:`\varepsilon\,\alpha_{\max}` in ``n_alphas`` steps. Each solve is warm-started from
    the previous solution, which is what makes a path cheap.

    Parameters
    ----------
    X, y : array-like
        Assumed centered, as in scikit-learn; ``fit_intercept=True`` centers them first.
    l1_ratio, max_iter, tol, positive, random_state, selection, solver :
        As in :class:`ElasticNet`.
    eps, n_alphas : the default grid; alphas : explicit penalties (sorted decreasing).
    coef_init : initial coefficients for the first alpha.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    """
    _check_enet_params(1.0, l1_ratio, max_iter, tol, selection, solver,
                       fit_intercept=fit_intercept, positive=positive)
    check_scalar(eps, "eps", min_val=0.0, include_min=False)
    check_scalar(n_alphas, "n_alphas", kind=int, min_val=1)
    X, y = check_X_y(X, y)
    X, y, _, _ = center_data(X, y, fit_intercept)
    n_samples, n_features = X.shape
    if alphas is None:
        if l1_ratio == 0:
            raise ValueError(
                "l1_ratio=0 has no alpha_max (no penalty zeroes every coefficient); "
                "pass the alphas explicitly."
            )
        Xty = X.T @ y
        top = max(float(Xty.max()), 0.0) if positive else float(np.abs(Xty).max())
        alpha_max = top / (n_samples * l1_ratio)
        resolution = np.finfo(np.float64).resolution
        if alpha_max <= resolution:
            alphas = np.full(n_alphas, resolution)
        else:
            alphas = np.geomspace(alpha_max, alpha_max * eps, n_alphas)
    else:
        alphas = check_array(alphas, name="alphas", ensure_2d=False)
        if alphas.ndim != 1 or np.any(alphas < 0):
            raise ValueError("alphas must be a 1-D array of non-negative penalties.")
        alphas = np.sort(alphas)[::-1]
    if coef_init is None:
        w = np.zeros(n_features, dtype=X.dtype)
    else:
        w = check_array(coef_init, name="coef_init", ensure_2d=False).astype(X.dtype, copy=True)
        if w.shape != (n_features,):
            raise ValueError(f"coef_init must have shape ({n_features},); got {w.shape}.")
    rng = check_random_state(random_state)
    # Coordinate descent reuses the Gram rows it computed from one alpha to the next.
    extra = ({"gram": GramCache(X, y)}
             if solver in ("auto", "cd") and n_features <= GRAM_MAX_FEATURES else {})
    coefs = np.empty((n_features, alphas.size), dtype=X.dtype)
    dual_gaps = np.empty(alphas.size)
    for k, alpha in enumerate(alphas):
        w, dual_gaps[k], _ = _solve_enet(
            X, y, w, float(alpha), float(l1_ratio), solver=solver, max_iter=max_iter, tol=tol,
            rng=rng, selection=selection, positive=positive, **extra,
        )
        coefs[:, k] = w
        w = w.copy()
    return alphas, coefs, dual_gaps


def lasso_path(
    X: Any, y: Any, *, eps: float = 1e-3, n_alphas: int = 100, alphas: Any = None, **params: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Lasso coefficients along a decreasing grid of alphas: :func:`enet_path` with
    ``l1_ratio=1`` (:math:`\alpha_{\max} = \|X^\top y\|_\infty / n`)."""
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas, **params)
