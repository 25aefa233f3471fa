r"""Coordinate descent for the lasso and the elastic net: the textbook kernel and the fast path.

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

(soft-thresholding, :func:`soft_threshold`: the subgradient of :math:`\lambda_1|w_j|` at 0 is
:math:`[-\lambda_1, \lambda_1]`, so small correlations give exactly zero). Cycling over the
coordinates converges to the minimum (Friedman, Hastie & Tibshirani, 2010). The algorithm as
it is taught is :func:`enet_coordinate_descent_textbook`; :func:`enet_coordinate_descent` is
the fast path, tested against it.

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

**Working sets** (the fast path's speed-up; scikit-learn instead runs every coordinate,
screening out provably-zero ones). A lasso solution has few non-zeros, so most coordinates of a
full sweep stay at zero. Each outer iteration computes :math:`X^\top R` once, ranks the features
by how close they are to violating the optimality condition :math:`|x_j^\top R - \lambda_2 w_j|
\le \lambda_1`, and runs coordinate descent on a small working set :math:`W` (the current
support plus the strongest candidates) in *covariance form*: with :math:`G = X_W^\top X_W`,
:math:`q = Gw_W`, the correlation is :math:`x_j^\top r_{(j)} = x_j^\top y - q_j + G_{jj}w_j`, so
an update costs :math:`O(|W|)` instead of :math:`O(n)`. The subproblem is solved until its own
gap is below a fraction of the full problem's (checked every few epochs, not only when the steps
are below ``tol``: see :meth:`_InnerSolve.gap_check_due`); the full gap then decides, computed
from an exact :math:`Gw` (no drift from the updates) before the solver stops (Massias,
Gramfort & Salmon, 2018; Bertrand et al., 2022, "skglm"). Once :math:`W` is every feature,
the solve is scikit-learn's own: same iterations, same gap schedule, same tolerance.
``n_iter_`` counts epochs over the working sets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from fromscratch._kernels import current, replaceable
from fromscratch._validation import check_scalar, check_X_y
from fromscratch.exceptions import warn_at_caller
from fromscratch.linear_model._base import ConvergenceWarning

__all__ = [
    "GramCache",
    "coordinate_descent_sweep",
    "duality_gap",
    "enet_coordinate_descent",
    "enet_coordinate_descent_textbook",
    "soft_threshold",
]

#: Smallest working set (features) of the first outer iteration.
WORKING_SET_START = 10
#: An inner solve stops when its gap is below this fraction of the full problem's gap.
INNER_GAP_FRACTION = 0.3
#: Coordinate descent runs in covariance form (Gram rows, O(p²) memory at most) up to this many
#: features (beyond, on the Gram matrix of each working set; see enet_coordinate_descent).
GRAM_MAX_FEATURES = 2000
#: An inner solve on a partial working set evaluates its duality gap at least every this many
#: epochs (see :meth:`_InnerSolve.gap_check_due`).
GAP_CHECK_EVERY = 10

Value = TypeVar("Value", float, np.ndarray)


@replaceable
def soft_threshold(v: Value, threshold: float) -> Value:
    r"""Soft-thresholding, the proximal operator of :math:`t\,|\cdot|` (elementwise):

    .. math::
        S(v, t) = \operatorname*{arg\,min}_x\ \tfrac12(x - v)^2 + t|x|
        = \operatorname{sign}(v)\max(|v| - t,\ 0), \qquad t \ge 0 .

    The minimizer is where :math:`0 \in x - v + t\,\partial|x|`: for :math:`|v| \le t` that is
    :math:`x = 0` (:math:`\partial|0| = [-1, 1]`), otherwise :math:`v` moved towards 0 by
    :math:`t`. With the constraint :math:`x \ge 0` added (``positive=True``) the minimizer is
    :math:`\max(S(v, t), 0)`.

    A Python float (coordinate descent's one number per update) is thresholded in plain Python
    arithmetic, several times faster than NumPy on a scalar; arrays elementwise, in their
    dtype.
    """
    if isinstance(v, float):
        return math.copysign(max(abs(v) - threshold, 0.0), v)
    return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0)


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


def check_enet_scalars(alpha: Any, l1_ratio: Any, max_iter: Any, tol: Any) -> None:
    """The hyper-parameters every elastic-net solver shares, checked with clear messages."""
    check_scalar(alpha, "alpha", min_val=0.0)
    check_scalar(l1_ratio, "l1_ratio", min_val=0.0, max_val=1.0)
    check_scalar(max_iter, "max_iter", kind=int, min_val=1)
    check_scalar(tol, "tol", min_val=0.0)


def warn_if_not_converged(
    solver: str, max_iter: int, alpha: float, gap: float, gap_tol: float
) -> None:
    """The ``ConvergenceWarning`` of a solver whose duality gap is above its tolerance, at the
    user's line."""
    if not gap <= gap_tol:  # (also a NaN gap)
        warn_at_caller(
            f"{solver} did not converge in max_iter={max_iter} iterations (alpha={alpha:g}): "
            f"duality gap {gap:.3e} > tolerance {gap_tol:.3e}. Increase max_iter, loosen tol, "
            "or standardize the features.",
            ConvergenceWarning,
        )


def textbook_problem(
    X: Any, y: Any, alpha: Any, l1_ratio: Any, max_iter: Any, tol: Any
) -> tuple[np.ndarray, np.ndarray, float, float]:
    r"""A textbook kernel's problem: its arguments checked, ``X`` and ``y`` in float64, and
    the penalties :math:`\lambda_1 = n\alpha\rho`, :math:`\lambda_2 = n\alpha(1-\rho)`."""
    check_enet_scalars(alpha, l1_ratio, max_iter, tol)
    X, y = check_X_y(X, y)
    n_samples = X.shape[0]
    l1, l2 = alpha * l1_ratio * n_samples, alpha * (1.0 - l1_ratio) * n_samples
    return X.astype(np.float64), y.astype(np.float64), l1, l2


# -- the textbook kernel -------------------------------------------------------------------


def enet_coordinate_descent_textbook(
    X: Any, y: Any, alpha: float, l1_ratio: float = 1.0, *, tol: float = 1e-4,
    max_iter: int = 1000,
) -> tuple[np.ndarray, float, int]:
    r"""Cyclic coordinate descent on the residual: the reference form of the elastic net.

    Minimizes :math:`\frac{1}{2n}\|y - Xw\|^2 + \alpha\rho\|w\|_1 + \frac{\alpha(1-\rho)}{2}
    \|w\|^2` (no intercept: center ``X`` and ``y`` first for one), in float64. With
    :math:`\lambda_1 = n\alpha\rho`, :math:`\lambda_2 = n\alpha(1-\rho)` and the residual
    :math:`r = y - Xw` kept up to date, each sweep (:func:`coordinate_descent_sweep`) updates
    :math:`j = 1, \dots, p` in turn:

    .. math::
        w_j^{\mathrm{new}} = \frac{S(x_j^\top r + \|x_j\|^2 w_j,\ \lambda_1)}
        {\|x_j\|^2 + \lambda_2}, \qquad
        r \leftarrow r - (w_j^{\mathrm{new}} - w_j)\,x_j ,

    (:math:`x_j^\top r + \|x_j\|^2 w_j = x_j^\top r_{(j)}`, the correlation with the partial
    residual). Before each sweep the duality gap :math:`G(w)` (:func:`duality_gap`) is
    computed; the loop stops when :math:`G \le \mathrm{tol}\cdot\|y\|^2`, scikit-learn's rule,
    and warns (``ConvergenceWarning``) if ``max_iter`` sweeps do not get there.
    :func:`enet_coordinate_descent` is the fast path for the same problem.

    Returns
    -------
    w : ndarray of shape (n_features,)
    gap : float
        :math:`G/n`, the duality gap of the :math:`1/(2n)`-scaled objective (``dual_gap_``).
    n_iter : int
        Sweeps run.
    """
    X, y, l1, l2 = textbook_problem(X, y, alpha, l1_ratio, max_iter, tol)
    n_samples, n_features = X.shape
    w = np.zeros(n_features)
    r = y.copy()  # y - Xw
    gap_tol = tol * float(y @ y)
    n_iter = 0
    while True:
        gap = duality_gap(w, r @ r, r @ y, X.T @ r, l1, l2)
        if gap <= gap_tol or n_iter == max_iter:
            break
        n_iter += 1
        w, r = coordinate_descent_sweep(X, w, r, l1, l2)
    warn_if_not_converged("coordinate descent", max_iter, alpha, gap, gap_tol)
    return w, gap / n_samples, n_iter


@replaceable
def coordinate_descent_sweep(
    X: np.ndarray, w: np.ndarray, r: np.ndarray, l1: float, l2: float
) -> tuple[np.ndarray, np.ndarray]:
    r"""One sweep of cyclic coordinate descent for the elastic net, on the residual.

    For :math:`j = 0, 1, \dots, p-1` in turn, :math:`w_j` moves to the minimizer of
    :math:`P(w) = \tfrac12\|y - Xw\|^2 + \lambda_1\|w\|_1 + \tfrac{\lambda_2}{2}\|w\|^2`
    over that coordinate alone, and the residual :math:`r = y - Xw` follows at once:

    .. math::
        \rho_j = x_j^\top r + \|x_j\|^2 w_j, \qquad
        w_j^{\mathrm{new}} = \frac{S(\rho_j,\ \lambda_1)}{\|x_j\|^2 + \lambda_2}, \qquad
        r \leftarrow r - (w_j^{\mathrm{new}} - w_j)\, x_j .

    :math:`\rho_j = x_j^\top r_{(j)}` is the correlation of column :math:`j` with the partial
    residual :math:`r_{(j)} = y - \sum_{k \ne j} x_k w_k` (the residual with :math:`w_j`'s own
    contribution added back), and :math:`S` is :func:`soft_threshold`: setting the derivative
    of the one-dimensional problem :math:`\tfrac12\|r_{(j)} - x_j w_j\|^2 + \lambda_1|w_j|
    + \tfrac{\lambda_2}{2} w_j^2` to zero (a subgradient at 0) gives the update. Each later
    coordinate sees the residual of the updates before it (Gauss–Seidel, not Jacobi). A column
    of zeros leaves its coefficient where it is (its update would be 0/0 without an L2 term).

    Parameters
    ----------
    X : ndarray of shape (n, p)
    w : ndarray of shape (p,)
        The coefficients before the sweep.
    r : ndarray of shape (n,)
        Their residual :math:`y - Xw`.
    l1, l2 : float
        :math:`\lambda_1, \lambda_2 \ge 0`.

    Returns
    -------
    w, r : ndarray
        The coefficients after the sweep and their residual (new arrays).
    """
    w, r = w.copy(), r.copy()
    for j in range(X.shape[1]):
        x_j = X[:, j]
        norm_sq = x_j @ x_j
        if norm_sq == 0:
            continue
        w_j = soft_threshold(x_j @ r + norm_sq * w[j], l1) / (norm_sq + l2)
        r -= (w_j - w[j]) * x_j
        w[j] = w_j
    return w, r


# -- the fast path -------------------------------------------------------------------------


@dataclass(frozen=True)
class _InnerSolve:
    """How coordinate descent runs on one working set, and when it stops."""

    max_epochs: int
    d_w_tol: float
    gap_every: int | None
    gap_tol: float
    rng: np.random.Generator
    random: bool
    positive: bool

    def order(self, m: int) -> Iterable[int]:
        """The coordinates of one epoch: in turn, or drawn at random (with replacement)."""
        return self.rng.integers(0, m, size=m).tolist() if self.random else range(m)

    def gap_check_due(self, epoch: int, w_max: float, d_w_max: float) -> bool:
        r"""Whether to evaluate the duality gap after this epoch.

        scikit-learn's rule: when the largest step is small relative to the largest
        coefficient, :math:`\max_j|\Delta w_j| \le \mathrm{tol}\cdot\max_j|w_j|`, and after the
        last epoch. With working sets that rule alone is not enough. An inner solve only has to
        bring the gap of its subproblem below a *fraction of the current full gap*, a target
        far looser than ``tol`` while the working set is still too small; but steps of relative
        size ``tol`` are only reached when the subproblem is solved to about ``tol`` itself. At
        a tight ``tol`` on correlated features (where coordinate descent converges slowly) the
        inner solve then spends thousands of epochs polishing a working set that lacks part of
        the support, the ``max_iter`` budget runs out before the set has grown, and the
        returned coefficients are *worse* than at a loose ``tol``. So the gap is also evaluated
        every ``gap_every`` epochs: the inner solve stops soon after it meets its own target,
        whatever ``tol`` is (as in Massias et al., 2018, and skglm). ``gap_every=None`` keeps
        scikit-learn's rule alone, for a working set of every feature (see
        :func:`enet_coordinate_descent`).
        """
        return (
            w_max == 0.0
            or d_w_max / w_max <= self.d_w_tol
            or (self.gap_every is not None and epoch % self.gap_every == 0)
            or epoch == self.max_epochs
        )


def _cd_epochs_residual(
    X_W: np.ndarray,
    y: np.ndarray,
    R: np.ndarray,
    w_W: np.ndarray,
    col_sq: list[float],
    l1: float,
    l2: float,
    solve: _InnerSolve,
) -> int:
    r"""Coordinate descent over the columns of ``X_W``, updating ``w_W`` and the residual
    :math:`R = y - Xw` in place; return the epochs run.

    Each update needs the correlation :math:`x_j^\top r_{(j)} = x_j^\top R + \|x_j\|^2 w_j`
    (one dot product) and, only when :math:`w_j` changes, :math:`R \leftarrow R - \Delta w_j\,
    x_j`. As in scikit-learn, the (costlier) duality gap is only evaluated after an epoch whose
    largest step is small relative to the largest coefficient.
    """
    columns = [X_W[:, k] for k in range(X_W.shape[1])]
    positive = solve.positive
    shrink = current(soft_threshold)  # looked up once, not on every update
    for epoch in range(1, solve.max_epochs + 1):
        w_max = d_w_max = 0.0
        for k in solve.order(len(columns)):
            if col_sq[k] == 0.0:
                continue
            x = columns[k]
            w_k = float(w_W[k])
            new = shrink(float(x @ R) + col_sq[k] * w_k, l1) / (col_sq[k] + l2)
            if positive and new < 0.0:
                new = 0.0  # the minimizer over w_j >= 0
            if new != w_k:
                R -= (new - w_k) * x
                w_W[k] = new
            d_w_max = max(d_w_max, abs(new - w_k))
            w_max = max(w_max, abs(new))
        if solve.gap_check_due(epoch, w_max, d_w_max):
            gap = duality_gap(w_W, float(R @ R), float(R @ y), X_W.T @ R, l1, l2, positive)
            if gap <= solve.gap_tol:
                return epoch
    return solve.max_epochs


def _cd_epochs_covariance(
    G: np.ndarray,
    Xty: np.ndarray,
    q: np.ndarray,
    w: np.ndarray,
    W: np.ndarray,
    yy: float,
    l1: float,
    l2: float,
    solve: _InnerSolve,
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
    positive = solve.positive
    shrink = current(soft_threshold)  # looked up once, not on every update
    for epoch in range(1, solve.max_epochs + 1):
        w_max = d_w_max = 0.0
        for k in solve.order(len(features)):
            if diag[k] == 0.0:
                continue
            w_k = w_W[k]
            correlation = Xty_W[k] - q.item(features[k]) + diag[k] * w_k
            new = shrink(correlation, l1) / (diag[k] + l2)
            if positive and new < 0.0:
                new = 0.0  # the minimizer over w_j >= 0
            if new != w_k:
                q += (new - w_k) * rows[k]
                w_W[k] = new
            d_w_max = max(d_w_max, abs(new - w_k))
            w_max = max(w_max, abs(new))
        if solve.gap_check_due(epoch, w_max, d_w_max):
            w[W] = w_W
            w_Xty = float(w @ Xty)
            gap = duality_gap(w[W], yy - 2 * w_Xty + float(w @ q), yy - w_Xty, Xty[W] - q[W],
                              l1, l2, positive)
            if gap <= solve.gap_tol:
                return epoch
    return solve.max_epochs


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
        self.X: np.ndarray | None = X  # None when only the statistics are known
        self.Xty = X.T @ y
        self.yy = float(y @ y)
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

    @classmethod
    def from_statistics(cls, G: np.ndarray, Xty: np.ndarray, yy: float) -> GramCache:
        r"""The cache of a problem known only by its statistics :math:`X^\top X`,
        :math:`X^\top y` and :math:`y^\top y` (accumulated in one pass over data that never
        sat in memory at once, :mod:`._dask`): every row of :math:`G` is known, and no
        :math:`X` is kept."""
        gram = cls.__new__(cls)
        gram.X, gram.G, gram.Xty, gram.yy = None, G, Xty, float(yy)
        gram.known = np.ones(G.shape[0], dtype=bool)
        gram.col_sq = np.diagonal(G).copy()
        gram._last = None
        return gram

    def times(self, w: np.ndarray) -> np.ndarray:
        """:math:`Gw`, without needing :math:`G`'s rows: remembered for the last solution
        (the warm start of the next alpha along a path), zero at :math:`w = 0`, else
        :math:`X^\top(Xw)` (or :math:`Gw` when only the statistics are known)."""
        if self._last is not None and np.array_equal(self._last[0], w):
            return self._last[1].copy()
        if not w.any():
            return np.zeros_like(w)
        return self.G @ w if self.X is None else self.X.T @ (self.X @ w)

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
            assert self.X is not None  # from_statistics knows every row
            self.G[new] = self.X[:, new].T @ self.X
            self.known[new] = True
        return self.G


def enet_coordinate_descent(
    X: np.ndarray | None,
    y: np.ndarray | None,
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
    r"""Minimize :math:`P(w)` by working-set coordinate descent: the fast path of
    :func:`enet_coordinate_descent_textbook`.

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
    X, y : centered data, or ``None`` when ``gram`` holds the problem's statistics
        (:meth:`GramCache.from_statistics`); w : initial coefficients (updated in place)
    l1, l2 : :math:`\lambda_1 = \alpha\rho n`, :math:`\lambda_2 = \alpha(1-\rho)n`
    max_iter : maximum number of epochs (over working sets) in total
    tol : the gap must fall to ``tol * ||y||²``

    Returns
    -------
    w, gap, gap_tol, n_iter
    """
    rng = np.random.default_rng(0) if rng is None else rng
    n_features = w.size
    covariance = gram is not None or n_features <= GRAM_MAX_FEATURES
    size = n_features if l1 == 0 else WORKING_SET_START  # no L1: every coordinate is active
    if covariance:
        if gram is None:
            assert X is not None and y is not None  # without statistics the data are given
            gram = GramCache(X, y)
        Xty, col_sq, yy = gram.Xty, gram.col_sq, gram.yy
        q = gram.times(w)
    else:
        assert X is not None and y is not None  # gram is None here: the data are given
        yy = float(y @ y)
        X = np.asfortranarray(X)  # contiguous columns to gather the working sets from
        R = y - X @ w
        col_sq = np.einsum("ij,ij->j", X, X)
        Xty = X.T @ y
    gap_tol = tol * yy
    n_iter = 0

    def gram_gap() -> tuple[float, np.ndarray]:
        """The gap from q = Gw: ‖R‖² = yᵀy − 2wᵀXᵀy + wᵀq, Rᵀy = yᵀy − wᵀXᵀy, XᵀR = Xᵀy − q."""
        w_Xty = float(w @ Xty)
        XtR = Xty - q
        return duality_gap(w, yy - 2 * w_Xty + float(w @ q), yy - w_Xty, XtR, l1, l2,
                           positive), XtR

    while True:
        if covariance:
            assert gram is not None  # built above for the covariance form
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
            assert X is not None
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
        solve = _InnerSolve(
            max_epochs=max_iter - n_iter, d_w_tol=tol,
            gap_tol=gap_tol if every_feature else max(INNER_GAP_FRACTION * gap, 0.5 * gap_tol),
            gap_every=None if every_feature else GAP_CHECK_EVERY,
            rng=rng, random=random, positive=positive,
        )
        if covariance:
            assert gram is not None
            n_iter += _cd_epochs_covariance(gram.rows(W), Xty, q, w, W, yy, l1, l2, solve)
        else:
            assert X is not None and y is not None
            X_W, w_W = X[:, W], w[W]
            if W.size <= GRAM_MAX_FEATURES:
                # The working set's own Gram matrix (n|W|² flops, cheap when n is small)
                # turns each update from O(n) into O(|W|): covariance form on the subproblem.
                q_W = Xty[W] - X_W.T @ R  # = X_Wᵀ X_W w_W: w is zero outside W
                n_iter += _cd_epochs_covariance(X_W.T @ X_W, Xty[W], q_W, w_W,
                                                np.arange(W.size), yy, l1, l2, solve)
                R = y - X_W @ w_W
            else:
                n_iter += _cd_epochs_residual(X_W, y, R, w_W, col_sq[W].tolist(), l1, l2, solve)
            w[W] = w_W  # the support is inside W, so w is zero outside it
    if covariance:
        assert gram is not None
        gram.remember(w, q)  # q is exact here: resynchronized from G above
    return w, gap, gap_tol, n_iter
