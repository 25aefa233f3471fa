"""``minimize``: run any optimizer on a function of a vector and keep the whole story.

The gradients (and Newton's Hessians) come from :mod:`fromscratch.autodiff`, so ``f`` only has
to be written with differentiable operations (``import fromscratch.autodiff.numpy as anp``).
The result keeps the trajectory, the losses and the gradient norms, which is what a figure of
an optimizer's path on a test function needs.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar
from fromscratch.autodiff import Tensor, value_and_grad
from fromscratch.exceptions import warn_at_caller
from fromscratch.optim.lbfgs import LBFGS
from fromscratch.optim.newton import Newton
from fromscratch.optim.optimizer import Optimizer
from fromscratch.optim.registry import optimizer_class
from fromscratch.optim.training import (
    divergence,
    divergence_error,
    learning_rate_hint,
    not_converged_message,
)

__all__ = ["minimize", "MinimizeResult"]


@dataclass
class MinimizeResult:
    """What :func:`minimize` found, and how.

    Attributes
    ----------
    x : ndarray of shape (dim,)
        The last iterate (the last finite one, if the run diverged).
    fun : float
        :math:`f(x)`.
    trajectory : ndarray of shape (n_steps + 1, dim)
        Every iterate, from ``x0`` to ``x`` (a run that diverged stops at its last finite one).
    losses, grad_norms : ndarray of shape (n_steps + 1,)
        :math:`f` and :math:`\\|\\nabla f\\|_2` at each iterate.
    converged : bool
        Whether :math:`\\|\\nabla f(x)\\|_2 \\le` ``tol`` was reached.
    diverged : bool
        Whether the run stopped because the loss or gradient became NaN/inf or blew up.
    n_steps : int
        Optimizer steps taken.
    message : str
        Why the run stopped, with a hint when it diverged.
    optimizer : Optimizer
        The optimizer, with its state (``optimizer.state_dict()``).
    """

    x: np.ndarray
    fun: float
    trajectory: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    converged: bool
    diverged: bool
    n_steps: int
    message: str
    optimizer: Optimizer


def _check_hyper_names(cls: type[Optimizer], hyper: dict[str, Any]) -> None:
    signature = inspect.signature(cls.__init__)
    accepted = [n for n in signature.parameters if n not in ("self", "params")]
    unknown = sorted(set(hyper) - set(accepted))
    if unknown:
        raise TypeError(
            f"{cls.__name__} has no hyper-parameter(s) {unknown}; it accepts {accepted}."
        )


def _divergence_hint(opt: Optimizer) -> str:
    group = opt.param_groups[0]
    lr = group.get("lr")
    if isinstance(opt, LBFGS) and group["line_search_fn"] is None:
        return (f"L-BFGS's fixed step lr={lr:g} is probably too large; use "
                "line_search_fn='strong_wolfe', or a smaller lr.")
    if isinstance(opt, (Newton, LBFGS)) or lr is None:
        return "Check f for regions where it is unbounded or undefined."
    return learning_rate_hint(lr, "lr", data=False)


def _lbfgs_closure(
    x: Tensor, f_and_grad: Callable[[np.ndarray], Any], point: np.ndarray, value: float,
    g: np.ndarray,
) -> Callable[[], float]:
    """L-BFGS's closure: ``f`` at ``x`` with its gradient in ``x.grad``. At ``point``, where
    ``minimize`` has just evaluated them, it reuses ``value`` and ``g``."""

    def closure() -> float:
        if np.array_equal(x.data, point):
            x.grad = g
            return value
        with np.errstate(all="ignore"):  # a NaN/inf trial fails the line search's tests
            new_value, new_g = f_and_grad(x.data.copy())
        x.grad = np.asarray(new_g)
        return float(new_value)

    return closure


def minimize(
    f: Callable[[Any], Any],
    x0: Any,
    optimizer: str | type[Optimizer] = "adam",
    steps: int = 1000,
    tol: float = 1e-6,
    **hyper: Any,
) -> MinimizeResult:
    r"""Minimize a scalar function of a vector with any optimizer of :mod:`fromscratch.optim`.

    Each step evaluates :math:`f(x_k)` and :math:`g_k = \nabla f(x_k)` by reverse-mode autodiff
    (:func:`fromscratch.autodiff.value_and_grad`), stops if :math:`\|g_k\|_2 \le` ``tol``, and
    otherwise lets the optimizer update :math:`x` (Newton also takes the Hessian; L-BFGS gets a
    closure that evaluates :math:`f` and its gradient at its line search's trial points).

    For L-BFGS one step is one L-BFGS iteration: ``max_iter=1`` (with ``max_eval=25``, room
    for its line search) unless given, so the trajectory has every iterate; its curvature pairs
    carry over from step to step, so the iterates are those of one long run. ``tol`` decides
    when to stop: L-BFGS's own ``tolerance_grad`` and ``tolerance_change`` are 0 unless given.
    A step that does not move (the line search found no lower point, or one of those
    tolerances was met) ends the run.

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar`` for a 1-D array ``x``, written with differentiable operations.
    x0 : array-like of shape (dim,)
        The starting point (float32 is kept; integers become float64).
    optimizer : str or Optimizer subclass, default "adam"
        A name (``"sgd"``, ``"adagrad"``, ``"rmsprop"``, ``"adadelta"``, ``"adam"``,
        ``"adamw"``, ``"adamax"``, ``"nadam"``, ``"lbfgs"``, ``"newton"``; case-insensitive) or
        a class.
    steps : int, default 1000
        Largest number of optimizer steps.
    tol : float, default 1e-6
        Stop when the gradient norm is at most ``tol``.
    **hyper
        Hyper-parameters for the optimizer (``lr``, ``momentum``, ``betas``...).

    Returns
    -------
    MinimizeResult

    Warns
    -----
    RuntimeWarning
        When the run diverges (NaN/inf loss or gradient, or a loss that blew up:
        :func:`fromscratch.optim.training.divergence`); the result then ends at the last
        finite iterate and its message suggests a smaller learning rate. (``minimize`` reports
        and returns, as SciPy's does; the estimators raise
        :class:`~fromscratch.exceptions.DivergenceError` with the same message.)

    Running out of ``steps`` is no warning either: ``converged`` is False and ``message``
    says how far the gradient norm was from ``tol``.

    Examples
    --------
    >>> import numpy as np
    >>> result = minimize(lambda x: ((x - 3.0) ** 2).sum(), np.zeros(2), "sgd", lr=0.1)
    >>> result.converged, np.round(result.x, 6).tolist()
    (True, [3.0, 3.0])
    """
    if not callable(f):
        raise TypeError(f"f must be callable, f(x) -> scalar; got {type(f).__name__}.")
    x0 = check_array(x0, name="x0", ensure_2d=False)
    if x0.ndim != 1:
        raise ValueError(
            f"x0 must be a 1-D vector (the starting point); got shape {x0.shape}. Flatten it "
            "with x0.ravel() and reshape inside f."
        )
    steps = check_scalar(steps, "steps", kind=int, min_val=0)
    tol = check_scalar(tol, "tol", min_val=0.0)
    cls = optimizer_class(optimizer)
    _check_hyper_names(cls, hyper)
    if issubclass(cls, LBFGS):
        # tol decides when to stop, so L-BFGS's own tolerances are off unless given
        defaults = {"tolerance_grad": 0.0, "tolerance_change": 0.0}
        if "max_iter" not in hyper:  # one step, one iteration: the trajectory has them all
            defaults.update(max_iter=1, max_eval=25)
        hyper = {**defaults, **hyper}

    x = Tensor(x0, requires_grad=True)
    opt = cls([x], **hyper)
    f_and_grad = value_and_grad(f)
    losses: list[float]
    trajectory, losses, grad_norms = [], [], []
    converged = diverged = False
    message = ""
    for k in range(steps + 1):
        point = x.data.copy()
        with np.errstate(all="ignore"):  # NaN/inf is detected and reported below, with a hint
            value, g = f_and_grad(point)
        value, g = float(value), np.asarray(g)
        grad_norm = math.sqrt(float(g @ g)) if np.all(np.isfinite(g)) else math.inf
        if k == 0 and not (np.isfinite(value) and np.isfinite(grad_norm)):
            raise ValueError(
                f"f(x0) = {value} and its gradient norm is {grad_norm}; the start must be a "
                "point where f and its gradient are finite."
            )
        what = (divergence(value, losses[0] if losses else value) if np.isfinite(grad_norm)
                else "has a NaN/inf gradient")
        if what is not None:
            diverged = True
            message = str(divergence_error(
                f"step {k}: the loss {what} ({value:.3g}, from {losses[0]:.3g} at the start)",
                _divergence_hint(opt)))
            warn_at_caller(message, RuntimeWarning)
            break
        trajectory.append(point)
        losses.append(value)
        grad_norms.append(grad_norm)
        if grad_norm <= tol:
            converged = True
            message = f"converged: gradient norm {grad_norm:.3g} <= tol {tol:g} after {k} steps."
            break
        if k == steps:
            break
        if isinstance(opt, Newton):
            opt.step(f)
        elif isinstance(opt, LBFGS):
            opt.step(_lbfgs_closure(x, f_and_grad, point, value, g))
            if np.array_equal(x.data, point):
                group = opt.param_groups[0]
                message = (
                    f"stopped after {k} steps without reaching gradient norm <= {tol:g}: "
                    "L-BFGS made no progress (its line search found no lower point, the "
                    "minimum to working precision; or its tolerance_grad="
                    f"{group['tolerance_grad']:g} or tolerance_change="
                    f"{group['tolerance_change']:g} was met)."
                )
                break
        else:
            x.grad = g
            opt.step()

    if not message:
        message = (not_converged_message(type(opt).__name__, f"{steps} steps",
                                         f"gradient norm {grad_norms[-1]:.3g} > tol={tol:g}",
                                         "increase steps or tune the hyper-parameters")
                   if tol > 0 else f"ran all {steps} steps (tol=0: no stopping rule).")
    n_steps = len(trajectory) - 1 + int(diverged)
    return MinimizeResult(
        x=trajectory[-1],
        fun=losses[-1],
        trajectory=np.array(trajectory),
        losses=np.array(losses),
        grad_norms=np.array(grad_norms),
        converged=converged,
        diverged=diverged,
        n_steps=n_steps,
        message=message,
        optimizer=opt,
    )
