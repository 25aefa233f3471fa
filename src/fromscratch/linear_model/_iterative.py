r"""Iterative training of linear models: one gradient loop, one Newton, one L-BFGS solver, shared.

Every linear model here minimizes an *objective* of the same shape,

.. math::

    F(w) = \underbrace{\frac1n \sum_{i=1}^n \ell(w; x_i, y_i) + \tfrac12 w^\top \Lambda_2 w}_{f(w),\
    \text{smooth}} \; + \; \sum_j \lambda_{1,j} |w_j| ,

the average of a per-sample loss (squared error, log-loss...) plus penalties; the intercept is a
coordinate of :math:`w` whose penalty weights are zero. A model describes :math:`F` with an
:class:`Objective`: three hand-derived functions of ``(w, X, y)`` — the smooth part ``loss``,
its ``gradient`` and (for Newton) its ``hessian``, each **averaged over the rows given** (the
:math:`1/n`: that way one learning rate suits any batch size) — and the L1 weights
:math:`\lambda_1`, which are handled by a proximal step because :math:`|w_j|` has no gradient
at 0.

Three solvers use that description:

:func:`gradient_descent`
    Full-batch gradient descent (``batch_size=None``), stochastic gradient descent
    (``batch_size=1``) and mini-batch SGD, driven by any :mod:`fromscratch.optim` optimizer
    (plain SGD, Nesterov momentum, Adam...): the coefficients are wrapped in a
    :class:`~fromscratch.autodiff.Tensor`, the hand-derived gradient is written to ``.grad`` and
    ``optimizer.step()`` updates them. It records the loss curve, stops on the gradient (full
    batch: :math:`\max_j|\partial F/\partial w_j| \le` ``tol``) or on a stalled loss
    (stochastic: ``tol``/``n_iter_no_change``) or early (on a validation split, restoring the
    best coefficients), and refuses to return NaN: divergence raises
    :class:`DivergenceError`. It lives in :mod:`._gradient_descent`.
:func:`newton`
    Newton's method with a backtracking line search: solve :math:`H d = -g` by Cholesky
    (:mod:`fromscratch.linalg`), step, repeat. For logistic regression this *is* iteratively
    reweighted least squares (IRLS); for least squares the objective is quadratic, so one full
    step lands on the minimum. With L1 weights it becomes a *proximal* Newton method: each
    step minimizes the quadratic model plus the L1 term by coordinate descent (as glmnet does).
:func:`lbfgs`
    The quasi-Newton method L-BFGS (:class:`fromscratch.optim.LBFGS` with its strong-Wolfe line
    search): Newton-like steps from the last few gradient differences, no Hessian. Smooth
    objectives only (no L1 term).

All three warn with :class:`~fromscratch.exceptions.ConvergenceWarning` when ``max_iter`` runs
out before their stopping rule is met. The description and the result (:class:`Objective`,
:class:`FitResult`) are in :mod:`._objective`; the validation split, the patience rule, the
divergence message, the damped Newton direction and the line search are the shared ones of
:mod:`fromscratch.optim.training`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._kernels import replaceable
from fromscratch._param_validation import (
    InstanceOf,
    Interval,
    Options,
    OrNone,
    RandomState,
    Rule,
    flag,
)
from fromscratch.exceptions import DivergenceError
from fromscratch.linear_model._base import center_data, intercept_from
from fromscratch.linear_model._gradient_descent import gradient_descent
from fromscratch.linear_model._objective import (
    FitResult,
    Objective,
    autodiff_gradient,
    optimality,
    soft_threshold,
)
from fromscratch.optim.training import (
    backtracking_line_search,
    newton_direction,
    not_converged_warning,
    validation_split,
)

# Objective, FitResult, gradient_descent and validation_split live in ._objective,
# ._gradient_descent and fromscratch.optim.training; they are exported from here too, where the
# models and the tour import them.
__all__ = [
    "Objective",
    "FitResult",
    "DivergenceError",
    "soft_threshold",
    "autodiff_gradient",
    "gradient_descent",
    "newton",
    "lbfgs",
    "validation_split",
    "GRADIENT_SOLVER_PARAMETERS",
    "GradientSolverParams",
    "ols_gradient",
    "ridge_gradient",
    "least_squares_objective",
    "least_squares_solver",
]

#: L-BFGS: curvature pairs kept (SciPy's and so scikit-learn's default ``maxcor``), and closure
#: evaluations per iteration (the point itself, then up to 24 for the line search: torch's
#: budget for its first iteration).
LBFGS_HISTORY, LBFGS_EVALUATIONS = 10, 25
#: A full Newton step is lengthened only when the secant along it puts the minimum at least
#: this far beyond it (the extra evaluation is then worth it), and at most to the second number.
EXTRAPOLATION_RANGE = (1.1, 4.0)


# -- Newton --------------------------------------------------------------------------------


def _quadratic_l1_step(
    H: np.ndarray, g: np.ndarray, w: np.ndarray, l1: np.ndarray, tol: float, max_passes: int = 200
) -> np.ndarray:
    r"""The proximal Newton direction: minimize the quadratic model plus the L1 term,

    .. math:: d = \arg\min_d\; g^\top d + \tfrac12 d^\top H d + \sum_j \lambda_{1,j}|w_j + d_j|,

    by cyclic coordinate descent. With :math:`c_j = g_j + (Hd)_j - H_{jj}d_j` the coordinate's
    linear coefficient, the new :math:`w_j + d_j` is :math:`S(w_j - c_j/H_{jj},\,
    \lambda_{1,j}/H_{jj})`; :math:`Hd` is kept up to date column by column. Passes stop when no
    coordinate moves by more than ``tol``.
    """
    d = np.zeros_like(w)
    Hd = np.zeros_like(w)
    diag = np.diagonal(H)
    for _ in range(max_passes):
        largest = 0.0
        for j in range(w.size):
            if diag[j] <= 0:
                continue
            c = g[j] + Hd[j] - diag[j] * d[j]
            z = w[j] - c / diag[j]
            new = math.copysign(max(abs(z) - l1[j] / diag[j], 0.0), z) - w[j]
            change = new - d[j]
            if change != 0.0:
                Hd += H[:, j] * change
                d[j] = new
                largest = max(largest, abs(change))
        if largest <= tol:
            break
    return d


def newton(
    objective: Objective,
    w0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    tol: float = 1e-4,
    max_iter: int = 100,
    null_space: np.ndarray | None = None,
    sample_weight: np.ndarray | None = None,
    verbose: bool = False,
    callback: Callable[[np.ndarray], bool] | None = None,
) -> FitResult:
    r"""Minimize ``objective`` by Newton's method with a backtracking line search.

    Each iteration builds the quadratic model of the smooth part around :math:`w`,

    .. math:: f(w + d) \approx f(w) + g^\top d + \tfrac12 d^\top H d,
        \qquad g = \nabla f(w),\; H = \nabla^2 f(w),

    and moves to its minimum, :math:`d = -H^{-1} g` (a Cholesky solve), scaled by the first
    :math:`t \in \{1, \tfrac12, \tfrac14, \dots\}` with
    :math:`F(w + td) \le F(w) + 10^{-4}\, t\, \Delta` (Armijo), :math:`\Delta = g^\top d`.
    Near the minimum :math:`t = 1` is accepted and convergence is quadratic. Far from it the
    quadratic model can overestimate the curvature, and the full step falls short: when the
    slope along :math:`d` is still negative at :math:`t = 1`, the step is lengthened to the
    secant estimate :math:`t = \Delta / (\Delta - \nabla f(w + d)^\top d)` of the minimum
    along :math:`d` if that lowers :math:`F` further (one more evaluation, which on logistic
    regression saves a whole iteration). When the objective gives its restriction to the line
    (``Objective.line``), the trial points cost no pass over ``X``. For the logistic
    log-likelihood this is IRLS: :math:`H = X^\top S X/n` with :math:`S = \mathrm{diag}(p_i(1-p_i))`
    is a weighted least-squares system. For least squares :math:`f` *is* its quadratic model,
    so the first step is exact.

    With L1 weights, :math:`d` minimizes the quadratic model plus
    :math:`\sum_j\lambda_{1,j}|w_j+d_j|` (coordinate descent, :func:`_quadratic_l1_step`) and
    :math:`\Delta = g^\top d + \sum_j\lambda_{1,j}(|w_j+d_j| - |w_j|)` — the proximal Newton
    method of Lee, Sun & Saunders (2014).

    When the objective gives ``gradient_and_hessian``, the steps use its Hessian, and at a
    point where the run cannot stop (no full step with a small decrement has just been taken)
    the gradient comes with it, from the same call.

    Converged when the largest component of the (proximal) gradient is at most ``tol`` and
    half the squared Newton decrement, :math:`\tfrac12 d^\top H d`, is too (scikit-learn's
    ``newton-cholesky`` rule; Boyd & Vandenberghe §9.5.1). After a full step the decrement of
    that step is used, so the last iteration needs no new Hessian.

    Parameters
    ----------
    objective : Objective
        Needs ``hessian``.
    w0 : ndarray
        Starting coefficients.
    X, y : ndarray
    tol : float
    max_iter : int
    null_space : ndarray of shape (w.size, r), optional
        Orthonormal basis :math:`Q` of directions the iterates never move along, because the
        gradient is always orthogonal to them and :math:`H` maps them to themselves — e.g.
        softmax's invariance to adding the same vector to every class. :math:`H` may be
        singular there; :math:`H + QQ^\top` is not, and gives the same step.
    sample_weight : ndarray of shape (n,), optional
        Weights of the rows, mean 1 (:mod:`._objective`), passed on to the objective.
    verbose : bool
        Print one line per iteration.
    callback : callable ``w -> bool``, optional
        Called after every iteration; ``True`` stops.

    Returns
    -------
    FitResult
    """
    if objective.hessian is None:
        raise ValueError("the Newton solver needs the objective's hessian.")
    shape = np.shape(w0)
    w = np.array(w0, dtype=X.dtype, copy=True).ravel()
    l1 = None if objective.l1 is None else np.broadcast_to(objective.l1, shape).ravel()
    line = objective.line if l1 is None else None
    data = (X, y) if sample_weight is None else (X, y, sample_weight)

    def F(v: np.ndarray) -> float:
        return objective.value(v.reshape(shape), *data)

    def penalty(v: np.ndarray) -> float:
        return 0.0 if l1 is None else float(np.sum(l1 * np.abs(v)))

    def gradient_and_distance(
        v: np.ndarray, with_hessian: bool = False
    ) -> tuple[np.ndarray, float, np.ndarray | None]:
        """The gradient of f, the distance from a minimum of F (:func:`._objective.optimality`)
        and when asked the Hessian: in one pass with the objective's ``gradient_and_hessian``
        if it has one."""
        H = None
        if with_hessian and objective.gradient_and_hessian is not None:
            g, H = objective.gradient_and_hessian(v.reshape(shape), *data)
        else:
            g = objective.gradient(v.reshape(shape), *data)
        g = np.asarray(g).ravel()
        return g, optimality(v, g, l1), H

    def hessian(v: np.ndarray) -> np.ndarray:
        if objective.gradient_and_hessian is not None:  # the Hessian the steps are made with
            return np.asarray(gradient_and_distance(v, with_hessian=True)[2])
        assert objective.hessian is not None  # Newton's objectives give one or the other
        return np.asarray(objective.hessian(v.reshape(shape), *data))

    def line_search(w: np.ndarray, d: np.ndarray, value: float, predicted: float,
                    distance: float, phi: Callable[[float], tuple[float, float]] | None
                    ) -> tuple[float, float, dict[str, Any]]:
        """The shared backtracking line search along ``d``: the step ``t``, ``F(w + td)`` and
        what was learned at that point on the way (its ``slope`` along ``d``, or its gradient
        ``g`` and ``distance``), so that nothing is computed twice. The trial points cost no
        pass over ``X`` when the objective gives its restriction to the line, ``phi``."""
        trial: dict[str, Any] = {}

        def along(t: float) -> float:
            assert phi is not None  # used only when the objective gives its line
            value_t, trial["slope"] = phi(t)  # the accepted step is the last one evaluated
            return value_t

        def flat(v: np.ndarray) -> bool:
            """Near the minimum the decrease is below the rounding of F: accept a step that
            shrinks the gradient instead."""
            g_v, distance_v, _ = gradient_and_distance(v)
            shrinks = distance_v < distance
            if shrinks:
                trial.update(g=g_v, distance=distance_v)
            return shrinks

        t, new_value = backtracking_line_search(F, w, d, value, predicted,
                                                along=None if phi is None else along, flat=flat)
        return t, new_value, trial

    value = F(w)
    losses: list[float] = []
    converged = stopped = False
    last_decrement = math.inf  # of the last step, if it was a full Newton step
    # No step has been taken, so the run cannot stop here: the Hessian will be needed.
    g, distance, H = gradient_and_distance(w, with_hessian=max_iter > 0)
    while not stopped:
        # After a full step, the Newton decrement of that step bounds the distance to the
        # minimum: with a small gradient now, no new Hessian is needed to know we are done.
        converged = distance <= tol and last_decrement <= tol
        if converged or len(losses) >= max_iter:
            break
        if H is None:
            H = hessian(w)
        if l1 is None:
            d, _ = newton_direction(g, H, null_space=null_space)
            predicted = float(g @ d)
        else:
            d = _quadratic_l1_step(H, g, w, l1, tol=1e-3 * tol)
            predicted = float(g @ d) + penalty(w + d) - penalty(w)
        decrement = 0.5 * float(d @ H @ d)
        # Converged: small gradient and small Newton decrement; or the model predicts no
        # decrease at all (the minimum to working precision).
        converged = (distance <= tol and decrement <= tol) or predicted >= 0
        if converged:
            break

        phi = None if line is None else line(w.reshape(shape), d.reshape(shape), *data)
        t, new_value, trial = line_search(w, d, value, predicted, distance, phi)
        if t == 0.0:  # no step improves F or the gradient: the minimum to working precision
            converged = True
            break
        candidate = w + t * d
        new_g, new_distance, new_slope = trial.get("g"), trial.get("distance"), trial.get("slope")
        if t == 1.0 and l1 is None:
            # The derivative along d at the full step, g(w + d)·d; still negative, it says the
            # minimum along d lies beyond t = 1 (typical far from the minimum, where the
            # curvature falls along d). The secant of the derivative between t = 0 and t = 1
            # estimates where; the longer step is kept if F is lower there.
            if new_slope is None:
                new_g, new_distance, _ = gradient_and_distance(candidate)
                new_slope = float(new_g @ d)
            if new_slope < 0 and predicted < new_slope:
                t_secant = min(predicted / (predicted - new_slope), EXTRAPOLATION_RANGE[1])
                if t_secant >= EXTRAPOLATION_RANGE[0]:
                    longer = w + t_secant * d
                    longer_value = F(longer) if phi is None else phi(t_secant)[0]
                    if longer_value < new_value:
                        t, candidate, new_value, new_g = t_secant, longer, longer_value, None
        w, value = candidate, new_value
        last_decrement = decrement if t == 1.0 else math.inf
        losses.append(value)
        stopped = callback is not None and bool(callback(w.reshape(shape)))
        H = None
        if new_g is None:
            # Unless the last step was a full step with a small decrement, the run cannot stop
            # at the new point: its Hessian will be needed, so ask for it with the gradient.
            certain = not stopped and last_decrement > tol and len(losses) < max_iter
            new_g, new_distance, H = gradient_and_distance(w, with_hessian=certain)
        assert new_distance is not None  # it comes with new_g
        g, distance = new_g, new_distance
        if verbose:
            print(f"Newton iteration {len(losses)}: loss {value:.10g}, "
                  f"max|grad| {distance:.3g}, step {t:g}")
    return _iterates_result("Newton's method", w.reshape(shape), losses, converged, stopped,
                            max_iter, tol, "increase max_iter or loosen tol")


# -- L-BFGS --------------------------------------------------------------------------------


def lbfgs(
    objective: Objective,
    w0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    tol: float = 1e-4,
    max_iter: int = 100,
    history_size: int = LBFGS_HISTORY,
    sample_weight: np.ndarray | None = None,
    verbose: bool = False,
    callback: Callable[[np.ndarray], bool] | None = None,
) -> FitResult:
    r"""Minimize a smooth ``objective`` by L-BFGS (:class:`fromscratch.optim.LBFGS`).

    Each iteration turns the last ``history_size`` pairs :math:`s_i = w_{i+1} - w_i`,
    :math:`y_i = \nabla f(w_{i+1}) - \nabla f(w_i)` into an approximation of
    :math:`H^{-1}\nabla f(w)` (the two-loop recursion), without ever forming a Hessian, and
    steps along it with a strong-Wolfe line search. An iteration costs a few gradients (the
    unit step is usually accepted, one gradient); Newton's costs a Hessian,
    :math:`O(np^2)`, and a solve, :math:`O(p^3)`, but needs far fewer iterations.

    The optimizer drives the coefficients as a :class:`~fromscratch.autodiff.Tensor` through
    a closure that evaluates ``objective.loss`` and writes ``objective.gradient`` to ``.grad``;
    one ``step`` is one iteration, so the loss curve has every iterate. Evaluations are kept
    for the iteration: the line search has already evaluated the point it accepts, where the
    next step begins.

    Converged when :math:`\max_j |\partial f/\partial w_j| \le` ``tol``: scikit-learn's
    ``lbfgs`` rule (SciPy's ``pgtol``; without bounds the projected gradient is the gradient).
    A step that cannot move (the line search finds no lower point) means the minimum to
    working precision, and also ends the run as converged, as in :func:`newton`.

    Parameters
    ----------
    objective : Objective
        Smooth: ``objective.l1`` must be ``None``.
    w0 : ndarray
        Starting coefficients (not modified).
    X, y : ndarray
    tol : float
    max_iter : int
        Iterations.
    history_size : int, default 10
        Pairs kept (scikit-learn's, through SciPy's ``maxcor``).
    sample_weight : ndarray of shape (n,), optional
        Weights of the rows, mean 1 (:mod:`._objective`), passed on to the objective.
    verbose : bool
        Print one line per iteration.
    callback : callable ``w -> bool``, optional
        Called after every iteration; ``True`` stops.

    Returns
    -------
    FitResult
    """
    from fromscratch.autodiff import Tensor
    from fromscratch.optim import LBFGS

    if objective.l1 is not None:
        raise ValueError(
            "L-BFGS needs a smooth objective, and an L1 term has no gradient at 0; use the "
            "newton solver (proximal Newton) or proximal gradient descent."
        )
    w = Tensor(np.array(w0, dtype=X.dtype, copy=True), requires_grad=True)
    opt = LBFGS([w], max_iter=1, max_eval=LBFGS_EVALUATIONS, tolerance_grad=tol,
                tolerance_change=0.0, history_size=history_size, line_search_fn="strong_wolfe",
                min_curvature=0.0)  # the pairs shrink with the gradient; Wolfe keeps y's > 0
    evaluations: dict[bytes, tuple[float, np.ndarray]] = {}
    data = (X, y) if sample_weight is None else (X, y, sample_weight)

    def evaluate(v: np.ndarray) -> tuple[float, np.ndarray]:
        key = v.tobytes()
        if key not in evaluations:
            evaluations[key] = (float(objective.loss(v, *data)),
                                np.asarray(objective.gradient(v, *data)))
        return evaluations[key]

    def closure() -> float:
        value, w.grad = evaluate(w.data)
        return value

    value, g = evaluate(w.data)
    losses: list[float] = []
    converged = stopped = False
    while not stopped:
        optimality = float(np.max(np.abs(g)))
        converged = optimality <= tol
        if converged or len(losses) >= max_iter:
            break
        before = w.data.copy()
        opt.step(closure)
        if np.array_equal(w.data, before):  # no lower point along d: the minimum, to rounding
            converged = True
            break
        value, g = evaluate(w.data)
        evaluations.clear()  # only the current point is evaluated again
        evaluations[w.data.tobytes()] = (value, g)
        losses.append(value)
        stopped = callback is not None and bool(callback(w.data))
        if verbose:
            print(f"L-BFGS iteration {len(losses)}: loss {value:.10g}, "
                  f"max|grad| {float(np.max(np.abs(g))):.3g}, step {opt.state[w]['t']:g}")
    return _iterates_result("L-BFGS", w.data.copy(), losses, converged, stopped, max_iter, tol,
                            "increase max_iter, loosen tol, or standardize the features")


def _iterates_result(method: str, coef: np.ndarray, losses: list[float], converged: bool,
                     stopped: bool, max_iter: int, tol: float, advice: str) -> FitResult:
    """The result of a run whose loss curve has one value per iteration (Newton, L-BFGS), with
    a ``ConvergenceWarning`` when it ran out of iterations."""
    if not (converged or stopped):
        not_converged_warning(method, f"max_iter={max_iter} iterations",
                              f"tol={tol:g} not reached", advice)
    return FitResult(coef=coef, n_iter=len(losses), loss_curve=np.asarray(losses),
                     best_iteration=len(losses), converged=converged)


#: The rules of the gradient solvers' hyper-parameters, which the estimators that offer them
#: (:class:`LinearRegression`, :class:`Ridge`, :class:`LogisticRegression`) put in their tables.
GRADIENT_SOLVER_PARAMETERS: dict[str, Rule] = {
    "optimizer": InstanceOf(str, "an optimizer name (str)"),
    "optimizer_params": OrNone(InstanceOf(dict, "a dict of the optimizer's hyper-parameters")),
    "learning_rate": Interval(float, 0.0, closed="neither"),
    "max_iter": Interval(int, 1),
    "tol": OrNone(Interval(float, 0.0)),
    "batch_size": Interval(int, 1),
    "random_state": RandomState(),
    "verbose": Interval(int, 0),
    "gradient": Options("analytic", "autodiff"),
    "early_stopping": flag,
    "validation_fraction": Interval(float, 0.0, 1.0, closed="neither"),
    "n_iter_no_change": Interval(int, 1),
}


class GradientSolverParams:
    """The gradient solvers' hyper-parameters (:data:`GRADIENT_SOLVER_PARAMETERS`) on an
    estimator that offers them: their types, declared once, and one method that stores them.

    The estimator's ``__init__`` keeps its explicit signature (scikit-learn's ``get_params``,
    ``clone`` and ``check_estimator`` read it) and calls
    ``self._set_gradient_solver_params(locals())`` instead of twelve assignments.
    """

    optimizer: Any
    optimizer_params: dict[str, Any] | None
    learning_rate: float
    max_iter: int
    tol: float | None
    batch_size: int
    random_state: Any
    verbose: int
    gradient: str
    early_stopping: bool
    validation_fraction: float
    n_iter_no_change: int

    def _set_gradient_solver_params(self, arguments: dict[str, Any]) -> None:
        """Store each gradient-solver hyper-parameter from ``arguments``, the constructor's
        ``locals()``, unchanged (validation happens in ``fit``, as scikit-learn requires)."""
        for name in GRADIENT_SOLVER_PARAMETERS:
            setattr(self, name, arguments[name])


# -- least squares: the glue for LinearRegression's iterative solvers --------------------------


@replaceable
def ols_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""The gradient of half the mean squared error, by hand.

    .. math::

        f(w) = \frac{1}{2n}\|y - Xw\|^2 = \frac{1}{2n}\sum_{i=1}^n (y_i - x_i^\top w)^2,
        \qquad
        \frac{\partial f}{\partial w_j} = -\frac1n \sum_{i=1}^n (y_i - x_i^\top w)\, x_{ij},
        \qquad \nabla f = -\frac1n X^\top (y - Xw).

    Each squared residual :math:`r_i^2` differentiates to :math:`2 r_i \cdot \partial r_i /
    \partial w_j = -2 r_i x_{ij}` (the chain rule); the :math:`\frac12` cancels the 2, and the
    :math:`\frac1n` of the mean stays, so that one learning rate suits any number of rows.
    Setting :math:`\nabla f = 0` gives the normal equations :math:`X^\top X w = X^\top y`.

    Parameters
    ----------
    w : ndarray of shape (p,)
        Coefficients.
    X : ndarray of shape (n, p)
        The rows :math:`x_i^\top` (centered, in the estimators: the intercept is not in ``w``).
    y : ndarray of shape (n,)
        Targets.

    Returns
    -------
    grad : ndarray of shape (p,)
        :math:`\nabla f(w)`, in the dtype of ``X``.
    """
    return -(X.T @ (y - X @ w)) / X.shape[0]


@replaceable
def ridge_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    r"""The gradient of the ridge objective, by hand: the OLS gradient plus the penalty's.

    .. math::

        f(w) = \frac{1}{2n}\|y - Xw\|^2 + \frac{\lambda}{2}\|w\|^2, \qquad
        \nabla f = -\frac1n X^\top (y - Xw) + \lambda w .

    The penalty :math:`\frac{\lambda}{2}\sum_j w_j^2` adds :math:`\lambda w_j` to each partial
    derivative (the :math:`\frac12` cancels the 2 of the square): every step of gradient
    descent shrinks the coefficients towards 0 by the factor :math:`1 - \eta\lambda`, "weight
    decay". :class:`Ridge`'s :math:`\|y - Xw\|^2 + \alpha\|w\|^2` divided by :math:`2n` is
    this objective with :math:`\lambda = \alpha/n`. The intercept is not in ``w`` (the
    estimators center the data), so it is never penalized.

    Parameters
    ----------
    w : ndarray of shape (p,)
    X : ndarray of shape (n, p)
    y : ndarray of shape (n,)
    l2 : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    grad : ndarray of shape (p,)
    """
    return ols_gradient(w, X, y) + l2 * w


def least_squares_objective(gradient: str = "analytic", l2: float = 0.0) -> Objective:
    r"""Half the mean squared error, plus a ridge penalty, by hand:

    .. math::

        f(w) = \frac{1}{2n}\|y - Xw\|^2 + \frac{\lambda}{2}\|w\|^2, \qquad
        \nabla f = -\frac1n X^\top (y - Xw) + \lambda w, \qquad
        \nabla^2 f = \frac1n X^\top X + \lambda I.

    Without the penalty (``l2`` :math:`= \lambda = 0`) its minimizer is the least-squares
    solution (the factor :math:`\frac{1}{2n}` changes the scale, not the minimum). With
    :math:`\lambda = \alpha/n` it is :class:`Ridge`'s objective
    :math:`\|y - Xw\|^2 + \alpha\|w\|^2` divided by :math:`2n`, whose gradient is
    :math:`-\frac1n X^\top(y - Xw) + \frac{\alpha}{n} w`. The :math:`n` in :math:`\lambda`
    is the number of training rows, fixed: the solvers call these functions on batches, where
    the loss is averaged over the batch's rows but the penalty stays :math:`\frac{\lambda}{2}
    \|w\|^2`, so that a random batch's gradient is an unbiased estimate of :math:`\nabla f`.
    The Hessian does not depend on :math:`w`: :math:`f` equals its quadratic model, so
    Newton's first step solves the (penalized) normal equations exactly.

    ``gradient="autodiff"`` takes :math:`\nabla f` from reverse-mode automatic differentiation
    of the same loss instead of the formula (the tests show both agree).
    """

    def loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        r = y - X @ w
        return 0.5 * float(r @ r) / X.shape[0] + 0.5 * l2 * float(w @ w)

    def analytic_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        return ridge_gradient(w, X, y, l2) if l2 else ols_gradient(w, X, y)

    def differentiable_loss(w: Any, X: np.ndarray, y: np.ndarray) -> Any:
        """The same loss in fromscratch.autodiff.numpy operations."""
        import fromscratch.autodiff.numpy as anp

        r = y - X @ w
        return 0.5 * anp.sum(r * r) / X.shape[0] + 0.5 * l2 * anp.sum(w * w)

    def hessian(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        H = (X.T @ X) / X.shape[0]
        H[np.diag_indices_from(H)] += l2
        return H

    gradient_function = {"analytic": analytic_gradient,
                         "autodiff": autodiff_gradient(differentiable_loss)}[gradient]
    return Objective(loss=loss, gradient=gradient_function, hessian=hessian)


def least_squares_solver(
    kind: str, *, ridge: bool = False
) -> Callable[..., dict[str, Any]]:
    r"""A solver for ``LinearRegression``'s table: ``"gd"``, ``"sgd"``, ``"minibatch"`` or
    ``"newton"`` on the centered data (the intercept by centering, as for the exact solvers,
    so it is never penalized). With ``ridge=True``, a solver for ``Ridge``'s table: the
    objective gets the estimator's penalty ``alpha``, scaled like the loss
    (:func:`least_squares_objective` with :math:`\lambda = \alpha/n`).

    With sample weights :math:`s`, on the weighted-centered rows scaled by :math:`\sqrt{s_i}`
    with the weights rescaled to mean 1: :math:`\frac{1}{2n}\|S^{1/2}(y_c - X_cw)\|^2` is then
    the weighted mean of the squared errors, and a batch's mean an unbiased estimate of it;
    the ridge penalty becomes :math:`\lambda = \alpha/\sum_i s_i`, so that the objective is
    ``Ridge``'s weighted :math:`\sum_i s_i r_i^2 + \alpha\|w\|^2` over :math:`2\sum_i s_i`.
    These solvers fit one target: a 2-D ``y`` is refused (scikit-learn's ``SGDRegressor``,
    also trained by gradient steps, takes one target too).

    The returned ``solve(estimator, X, y)`` reads the estimator's ``fit_intercept``, ``tol``,
    ``max_iter``, ``verbose`` and, for the gradient solvers, ``optimizer``,
    ``optimizer_params``, ``learning_rate``, ``batch_size``, ``random_state``, ``gradient``,
    ``early_stopping``, ``validation_fraction`` and ``n_iter_no_change`` (and ``alpha`` with
    ``ridge=True``); it returns ``coef_``, ``intercept_``, ``n_iter_`` and ``loss_curve_``.
    """
    def solve(estimator: Any, X: np.ndarray, y: np.ndarray,
              sample_weight: np.ndarray | None) -> dict[str, Any]:
        if y.ndim == 2:
            raise ValueError(
                f"solver={estimator.solver!r} fits one target (as scikit-learn's SGDRegressor, "
                f"also trained by gradient steps); y has shape {y.shape}. Use an exact solver "
                "('qr' or 'cholesky') for several targets, or fit one model per column."
            )
        total = X.shape[0] if sample_weight is None else float(sample_weight.sum())
        if sample_weight is not None:
            sample_weight = sample_weight * (X.shape[0] / total)
        Xc, yc, X_offset, y_offset = center_data(X, y, estimator.fit_intercept, sample_weight)
        l2 = estimator.alpha / total if ridge else 0.0
        objective = least_squares_objective(estimator.gradient, l2=l2)
        w0 = np.zeros(X.shape[1], dtype=X.dtype)
        if kind == "newton":
            result = newton(objective, w0, Xc, yc, tol=estimator.tol,
                            max_iter=estimator.max_iter, verbose=bool(estimator.verbose))
        else:
            result = gradient_descent(
                objective, w0, Xc, yc,
                batch_size={"gd": None, "sgd": 1, "minibatch": estimator.batch_size}[kind],
                optimizer=estimator.optimizer, optimizer_params=estimator.optimizer_params,
                learning_rate=estimator.learning_rate, max_iter=estimator.max_iter,
                tol=estimator.tol, n_iter_no_change=estimator.n_iter_no_change,
                early_stopping=estimator.early_stopping,
                validation_fraction=estimator.validation_fraction,
                random_state=estimator.random_state, verbose=bool(estimator.verbose),
            )
        coef = result.coef
        fitted = {
            "coef_": coef,
            "intercept_": intercept_from(coef, X_offset, y_offset, estimator.fit_intercept),
            "n_iter_": result.n_iter,
            "loss_curve_": result.loss_curve,
        }
        if result.validation_loss_curve is not None:
            fitted["validation_loss_curve_"] = result.validation_loss_curve
            fitted["best_iteration_"] = result.best_iteration
        return fitted

    solve.__doc__ = (newton if kind == "newton" else gradient_descent).__doc__
    return solve
