r"""Chapter C, regularization: the ridge gradient, soft-thresholding and a coordinate-descent
sweep.

The references are the library's kernels: :func:`~fromscratch.linear_model._iterative.
ridge_gradient` (what ``Ridge(solver="gd")`` descends), and from the lasso's coordinate descent
:func:`~fromscratch.linear_model._cd.soft_threshold` (every update of ``Lasso``, and every
FISTA step) and :func:`~fromscratch.linear_model._cd.coordinate_descent_sweep` (a sweep of the
textbook solver :func:`~fromscratch.linear_model._cd.enet_coordinate_descent_textbook`).
Grading compares with them on random inputs, checks what the mathematics promises (finite
differences of the penalized loss; the optimality condition of the proximal problem and of the
coordinate just updated), and runs the estimators and the solver with the learner's function:
``Ridge(solver="gd")`` must reach the closed form, ``Lasso`` and the textbook solver their own
solutions.
"""

from __future__ import annotations

import numpy as np

from fromscratch.exercises._checks import in_library
from fromscratch.exercises._compare import difference
from fromscratch.exercises._core import Case, Check, CheckResult, Exercise, mistake
from fromscratch.exercises._core import elementwise_picture as _picture
from fromscratch.exercises._sampling import draw_dtype, draw_shape, log_uniform, normal
from fromscratch.exercises._sandbox import Guarded
from fromscratch.exercises.linear import (
    GD_AGREEMENT,
    GD_SETTINGS,
    design_case,
    fitted,
    loss_by_differences,
    regression_data,
)
from fromscratch.linear_model import Lasso, Ridge
from fromscratch.linear_model._cd import (
    coordinate_descent_sweep,
    enet_coordinate_descent_textbook,
    soft_threshold,
)
from fromscratch.linear_model._iterative import ols_gradient, ridge_gradient

__all__ = ["EXERCISES"]

#: Two soft-thresholdings that differ only in the order of exact operations give the same
#: numbers; coordinate descent then takes the same iterations. 1e-8 leaves room for a
#: formulation that rounds differently (v - clip(v, -t, t)), whose last-bit differences the
#: solver's stopping test may turn into one more or one fewer sweep.
SOLVER_AGREEMENT = 1e-8

# -- C4: the ridge gradient ----------------------------------------------------------------------


def _ridge_case(rng: np.random.Generator) -> Case:
    return design_case(rng, log_uniform(rng, 1e-2, 10.0))


@mistake("penalty_doubled")
def _ridge_penalty_doubled(w, X, y, l2):
    """The penalty's gradient is 2λw: that is the gradient of λ|w|²; the objective has (λ/2)|w|²,
    whose ½ cancels the 2."""
    return ols_gradient(w, X, y) + 2 * l2 * w


@mistake("penalty_sign")
def _ridge_penalty_sign(w, X, y, l2):
    """The penalty's gradient is subtracted: (λ/2)|w|² grows with |w|, so its gradient λw is added,
    and each step shrinks w."""
    return ols_gradient(w, X, y) - l2 * w


@mistake("missing_1_over_n")
def _ridge_missing_1_over_n(w, X, y, l2):
    """The loss's gradient misses its 1/n: −Xᵀ(y − Xw)/n + λw. Without it the penalty's weight
    depends on the number of rows."""
    return -(X.T @ (y - X @ w)) + l2 * w


@mistake("sign_flip")
def _ridge_gradient_sign_flipped(w, X, y, l2):
    """The sign is flipped: this is the direction of steepest ascent, and gradient descent steps
    against the gradient."""
    return -ridge_gradient(w, X, y, l2)


# -- C7: soft-thresholding -----------------------------------------------------------------------


def _thresholding_case(rng: np.random.Generator) -> Case:
    """Values around ±t (a Python float a fifth of the time, as coordinate descent passes
    one), and t = 0 now and then."""
    t = 0.0 if rng.random() < 0.1 else log_uniform(rng, 1e-2, 2.0)
    scale = 2 * t if t else 1.0
    if rng.random() < 0.2:
        return Case((float(rng.normal() * scale), t))
    return Case((normal(rng, draw_shape(rng), draw_dtype(rng), scale), t))


def _is_the_proximal_point() -> Check:
    r""":math:`x = S(v, t)` minimizes :math:`\tfrac12(x - v)^2 + t|x|`: where :math:`x \ne 0`,
    :math:`x - v + t\,\mathrm{sign}(x) = 0`; where :math:`x = 0`, :math:`|v| \le t`."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        for _ in range(20):
            t = log_uniform(rng, 1e-2, 2.0)
            v = rng.normal(size=50) * 2 * t
            x = np.asarray(learner(v, t), dtype=np.float64)
            if x.shape != v.shape:
                return CheckResult((f"it returned shape {x.shape} for v of shape {v.shape}",
                                    {}))
            moved = x != 0
            problem = difference(("x + t sign(x) where x != 0 (must be v)",),
                                 (x + t * np.sign(x))[moved], v[moved], tol=1e-12)
            if problem is None and np.any(np.abs(v[~moved]) > t * (1 + 1e-12)):
                k = int(np.flatnonzero(~moved & (np.abs(v) > t))[0])
                problem = (f"yours is 0 at v = {v[k]:.6g}, but |v| > t = {t:.6g}: moving "
                           f"towards v lowers (x - v)^2/2 + t|x|", {})
            if problem:
                return CheckResult((f"S(v, t) does not minimize (x - v)^2/2 + t|x|: "
                                    f"{problem[0]}", problem[1]))
        return CheckResult()

    return Check("S(v, t) minimizes (x - v)^2/2 + t|x| (its optimality condition), on 1,000 "
                 "random values", run)


def _sparse_data() -> tuple[np.ndarray, np.ndarray]:
    """Eight features, three of which matter: at alpha = 0.1 the lasso keeps those three and
    sets the other five to exactly 0 (where a wrong thresholding shows)."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 8))
    return X, X[:, :3] @ np.array([2.0, -1.0, 0.5]) + 0.5 * rng.normal(size=80)


def _lasso_results() -> dict[str, np.ndarray]:
    return {f"Lasso(alpha=0.1, solver={solver!r}).coef_":
            fitted(Lasso(alpha=0.1, solver=solver, tol=1e-10, max_iter=10_000),
                   _sparse_data())["coef_"]
            for solver in ("cd", "fista")}


@mistake("hard_threshold")
def _hard_threshold(v, t):
    """This is hard thresholding: values beyond t are kept as they are. The lasso's proximal step
    also moves them towards 0 by t: sign(v) max(|v| − t, 0)."""
    return v * (np.abs(v) > t)


@mistake("sign_lost")
def _sign_lost(v, t):
    """max(|v| − t, 0) loses the sign: multiply by sign(v)."""
    return np.maximum(np.abs(v) - t, 0.0)


@mistake("not_clipped")
def _not_clipped(v, t):
    """v − t sign(v) moves small values past 0: values within t of 0 must become exactly 0,
    max(|v| − t, 0)."""
    return v - t * np.sign(v)


@mistake("positive_side_only")
def _positive_side_only(v, t):
    """max(v − t, 0) handles positive values only: negative ones beyond −t must move up to v + t."""
    return np.maximum(v - t, 0.0)


# -- C7: a coordinate-descent sweep --------------------------------------------------------------


def _sweep_case(rng: np.random.Generator) -> Case:
    """A small elastic-net problem at a random point with its residual, in float64 or float32
    (a sweep keeps its inputs' dtype). A third of the time one column is zero and there is no
    L2 term, where the update would be 0/0; its coefficient is 0, as the solver keeps it."""
    n, p = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    X, y = rng.normal(size=(n, p)), rng.normal(size=n)
    w = rng.normal(size=p) * (rng.random(p) < 0.7)
    l1 = 0.0 if rng.random() < 0.2 else log_uniform(rng, 1e-2, 5.0)
    l2 = 0.0 if rng.random() < 0.4 else log_uniform(rng, 1e-2, 5.0)
    if rng.random() < 1 / 3:
        zero = int(rng.integers(p))
        X[:, zero], w[zero], l2 = 0.0, 0.0, 0.0
    dtype = draw_dtype(rng)
    return Case((*(np.asarray(a, dtype=dtype) for a in (X, w, y - X @ w)), l1, l2))


def _last_coordinate_is_optimal() -> Check:
    r"""After a sweep the residual is :math:`y - Xw` for the new :math:`w`, and the coordinate
    updated last minimizes :math:`P` over itself: its subgradient condition
    :math:`0 \in -x_j^\top r + \lambda_2 w_j + \lambda_1 \partial|w_j|` holds."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        for _ in range(20):
            X, y = rng.normal(size=(12, 4)), rng.normal(size=12)
            w, l1, l2 = rng.normal(size=4), log_uniform(rng, 1e-2, 5.0), log_uniform(rng, 1e-2, 1.0)
            w_new, r_new = learner(X, w, y - X @ w, l1, l2)
            problem = difference(("r (must be y - X w)",), r_new, y - X @ np.asarray(w_new),
                                 tol=1e-10)
            x_j, w_j = X[:, -1], float(w_new[-1])
            slope = -(x_j @ r_new) + l2 * w_j  # the smooth part's derivative in w_j
            if problem is None and w_j != 0 and \
                    abs(slope + l1 * np.sign(w_j)) > 1e-10 * (abs(slope) + l1):
                problem = (f"the last coordinate, {w_j:.6g}, is not at its minimum: the "
                           f"derivative -x_j^T r + l2 w_j + l1 sign(w_j) is "
                           f"{slope + l1 * np.sign(w_j):.3g}, not 0", {})
            if problem is None and w_j == 0 and abs(slope) > l1 * (1 + 1e-10):
                problem = (f"the last coordinate is 0, but |x_j^T r| = {abs(slope):.6g} > "
                           f"l1 = {l1:.6g}: moving it lowers the objective", {})
            if problem:
                return CheckResult((f"after your sweep: {problem[0]}", problem[1]))
        return CheckResult()

    return Check("after the sweep, r = y - Xw and the last coordinate minimizes the objective, "
                 "on 20 random problems", run)


def _textbook_results() -> dict[str, np.ndarray]:
    X, y = _sparse_data()
    X, y = X - X.mean(axis=0), y - y.mean()
    return {f"w (alpha=0.1, l1_ratio={ratio:g})":
            enet_coordinate_descent_textbook(X, y, 0.1, ratio, tol=1e-10)[0]
            for ratio in (1.0, 0.5)}


def _sweep_with(X, w, r, l1, l2, *, own_contribution=True, skip_zero_columns=True):
    """A Gauss-Seidel sweep with one thing changed (two of the mistakes below): the partial
    residual's w_j term left out, or a column of zeros not skipped."""
    w, r = w.copy(), r.copy()
    for j in range(X.shape[1]):
        x_j = X[:, j]
        norm_sq = x_j @ x_j
        if norm_sq == 0 and skip_zero_columns:
            continue
        w_j = soft_threshold(x_j @ r + own_contribution * norm_sq * w[j], l1) / (norm_sq + l2)
        r -= (w_j - w[j]) * x_j
        w[j] = w_j
    return w, r


@mistake("jacobi_update")
def _sweep_jacobi(X, w, r, l1, l2):
    """Every coordinate is computed from the residual before the sweep: the residual must follow
    each update at once, so that the next coordinate sees it (Gauss–Seidel)."""
    w_new = w.copy()
    for j in range(X.shape[1]):
        norm_sq = X[:, j] @ X[:, j]
        if norm_sq:
            w_new[j] = soft_threshold(X[:, j] @ r + norm_sq * w[j], l1) / (norm_sq + l2)
    return w_new, r - X @ (w_new - w)


@mistake("own_contribution_missing")
def _sweep_without_own_contribution(X, w, r, l1, l2):
    """The correlation is x_jᵀr: it must be with the partial residual, x_jᵀr + |x_j|² w_j, which
    adds w_j's own contribution back."""
    return _sweep_with(X, w, r, l1, l2, own_contribution=False)


@mistake("l2_missing")
def _sweep_without_l2(X, w, r, l1, l2):
    """The denominator misses the L2 term: w_j = S(ρ_j, λ₁)/(|x_j|² + λ₂)."""
    return coordinate_descent_sweep(X, w, r, l1, 0.0)


@mistake("zero_column_not_skipped")
def _sweep_zero_column(X, w, r, l1, l2):
    """A column of zeros gives 0/0 without an L2 term: skip it (its coefficient stays 0)."""
    return _sweep_with(X, w, r, l1, l2, skip_zero_columns=False)


#: This module's exercises, in the registry of :mod:`fromscratch.exercises`.
EXERCISES = [
    Exercise(
        reference=ridge_gradient, chapter="C4", title="The ridge gradient by hand",
        outputs=("grad",), sample=_ridge_case,
        imports=("from fromscratch.linear_model._iterative import ols_gradient",),
        hints=(
            "The loss is the OLS loss plus (l2/2) |w|^2: differentiate the two terms "
            "separately and add.",
            "d/dw_j of (l2/2) sum_k w_k^2 is l2 * w_j: the 1/2 cancels the 2 of the square.",
            "ridge_gradient is ols_gradient(w, X, y) + l2 * w.",
        ),
        mistakes=(_ridge_penalty_doubled, _ridge_penalty_sign, _ridge_missing_1_over_n,
                  _ridge_gradient_sign_flipped),
        checks=(
            loss_by_differences(0.5),
            in_library(ridge_gradient, lambda: fitted(Ridge(alpha=10.0, solver="gd",
                                                            **GD_SETTINGS), regression_data()),
                       "Ridge(alpha=10, solver='gd', learning_rate=0.5) fitted",
                       target=lambda: fitted(Ridge(alpha=10.0, solver="cholesky"),
                                             regression_data()),
                       tol=GD_AGREEMENT),
        ),
    ),
    Exercise(
        reference=soft_threshold, chapter="C7", title="Soft-thresholding",
        outputs=("S",), sample=_thresholding_case, imports=("import math",),
        picture=_picture(-3, 3, "v (the threshold t = 1)",
                         call=lambda func, v: func(v, 1.0)),
        hints=(
            "Values within t of 0 become 0; the others move towards 0 by t.",
            "np.sign(v) * np.maximum(np.abs(v) - t, 0.0) does it for every element at once "
            "(and for a single float too).",
        ),
        mistakes=(_hard_threshold, _sign_lost, _not_clipped, _positive_side_only),
        checks=(_is_the_proximal_point(),
                in_library(soft_threshold, _lasso_results,
                           "Lasso (coordinate descent and FISTA) fitted",
                           tol=SOLVER_AGREEMENT)),
    ),
    Exercise(
        reference=coordinate_descent_sweep, chapter="C7",
        title="One sweep of coordinate descent", outputs=("w", "r"), sample=_sweep_case,
        imports=("from fromscratch.linear_model._cd import soft_threshold",),
        requires=("soft_threshold",),
        hints=(
            "Copy w and r first (they are read-only), then loop over the columns j.",
            "The correlation with the partial residual is x_j @ r + (x_j @ x_j) * w[j]: r "
            "with w_j's own contribution added back.",
            "w_j = soft_threshold(correlation, l1) / (x_j @ x_j + l2); then update r at once, "
            "r -= (w_j - w[j]) * x_j, so that the next coordinate sees it. Skip a column of "
            "zeros.",
        ),
        mistakes=(_sweep_jacobi, _sweep_without_own_contribution, _sweep_without_l2,
                  _sweep_zero_column),
        checks=(_last_coordinate_is_optimal(),
                in_library(coordinate_descent_sweep, _textbook_results,
                           "enet_coordinate_descent_textbook (lasso and elastic net) solved",
                           tol=SOLVER_AGREEMENT)),
    ),
]
