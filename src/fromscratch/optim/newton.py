"""Newton's method with a Hessian from autodiff, Levenberg damping and a backtracking line search.

Newton's method minimizes the local quadratic model
:math:`f(x + d) \\approx f(x) + g^\\top d + \\tfrac12 d^\\top H d`, whose minimizer is
:math:`d = -H^{-1}g`. On a convex quadratic that is the exact minimizer: one step. Near a
minimum with a positive definite Hessian it converges quadratically. Far from one, two things
can go wrong, and each has a standard repair:

* :math:`H` is indefinite (a saddle or a concave region): :math:`-H^{-1}g` may point uphill.
  Levenberg damping solves :math:`(H + \\lambda I) d = -g` with the smallest shift
  :math:`\\lambda` that makes the matrix positive definite, so :math:`g^\\top d < 0`: the
  direction descends, bending towards the gradient direction as :math:`\\lambda` grows.
* the quadratic model is poor far away: a full step overshoots. A backtracking line search
  halves the step until the Armijo condition (sufficient decrease) holds.

PyTorch has no Newton optimizer; this one follows the ``torch.optim`` conventions where they
apply (``param_groups``, ``state``, ``step(closure)`` returning the loss, ``state_dict``) and
works like ``torch.optim.LBFGS``: one parameter group, and a closure that ``step`` may evaluate
several times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from fromscratch._validation import check_choice
from fromscratch.autodiff import Tensor, hessian, value_and_grad
from fromscratch.optim.optimizer import Optimizer, non_negative
from fromscratch.optim.training import backtracking_line_search, newton_direction

# The direction and the line search are the shared ones of fromscratch.optim.training (the
# linear models' Newton solver uses them too); they are importable from here as well.
__all__ = ["Newton", "newton_direction", "backtracking_line_search"]


def _line_search_fn(value: Any, name: str) -> str | None:
    return None if value is None else check_choice(value, name, ("backtracking",))


class Newton(Optimizer):
    r"""Damped Newton's method; the Hessian comes from :func:`fromscratch.autodiff.hessian`.

    One step:

    .. math::

        g = \nabla f(x), \quad H = \nabla^2 f(x), \quad
        (H + \lambda I)\, d = -g, \quad x \leftarrow x + t\, d

    with the smallest :math:`\lambda \ge` ``damping`` that makes :math:`H + \lambda I` positive
    definite (:func:`newton_direction`) and :math:`t` from a backtracking line search starting
    at ``lr`` (:func:`backtracking_line_search`), or :math:`t =` ``lr`` without one.

    Parameters
    ----------
    params : iterable of Tensor
        One group only: the Hessian couples every parameter with every other.
    lr : float, default 1.0
        The first step length tried (1 is the full Newton step).
    damping : float, default 0
        Smallest Levenberg shift :math:`\lambda`; > 0 also regularises a nearly singular
        Hessian.
    line_search_fn : {"backtracking", None}, default "backtracking"
        ``None`` always takes the step ``lr`` (pure damped Newton).

    Notes
    -----
    ``step`` requires a closure, and it is a function of the parameters' **values**:
    ``closure(*arrays) -> loss``, called with one array per parameter (in order), written with
    differentiable operations (``fromscratch.autodiff.numpy``). Newton differentiates it twice
    and evaluates it again in the line search. (The first-order optimizers' closures instead
    re-evaluate a model through its Tensors; a Hessian needs the function itself.) After the
    step, each parameter's ``.grad`` holds the gradient at the point the step started from.

    ``state`` (kept under the first parameter, as ``torch.optim.LBFGS`` does) records
    ``step``, the ``shift`` :math:`\lambda` and the ``step_size`` :math:`t` of the last step.

    Examples
    --------
    >>> import numpy as np
    >>> from fromscratch.autodiff import Tensor
    >>> x = Tensor(np.array([3.0, -1.0]))
    >>> opt = Newton([x])
    >>> loss = opt.step(lambda v: (v[0] - 1) ** 2 + 10 * (v[1] - 2) ** 2)
    >>> x.data                       # a quadratic: minimized in one step
    array([1., 2.])
    """

    _rules = {"damping": non_negative, "line_search_fn": _line_search_fn}

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        lr: float = 1.0,
        damping: float = 0.0,
        line_search_fn: str | None = "backtracking",
    ) -> None:
        super().__init__(params, self._defaults_from(locals()))

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        if self.param_groups:
            raise ValueError(
                "Newton supports a single parameter group: its Hessian couples all parameters, "
                "so per-group hyper-parameters have no meaning. Put every Tensor in one group."
            )
        super().add_param_group(param_group)

    def step(self, closure: Callable[..., Any] | None = None) -> float:
        """One damped Newton step; returns the loss at the starting point."""
        if closure is None or not callable(closure):
            raise ValueError(
                "Newton.step needs a closure: a function of the parameters' arrays that returns "
                "the loss, e.g. opt.step(lambda w, b: loss(w, b)); Newton takes its Hessian."
            )
        group = self.param_groups[0]
        params = group["params"]
        shapes = [p.data.shape for p in params]
        bounds = np.cumsum([0] + [p.data.size for p in params])

        def f(flat: Any) -> Any:
            pieces = [
                flat[a:b].reshape(s)
                for a, b, s in zip(bounds[:-1], bounds[1:], shapes, strict=True)
            ]
            return closure(*pieces)

        x = np.concatenate([p.data.ravel() for p in params])
        value, g = value_and_grad(f)(x)
        value = float(value)
        H = hessian(f)(x)
        if not (np.isfinite(value) and np.all(np.isfinite(g)) and np.all(np.isfinite(H))):
            raise FloatingPointError(
                f"the loss, gradient or Hessian is not finite at the current point (loss "
                f"{value}); Newton cannot take a step from here."
            )
        direction, shift = newton_direction(g, H, group["damping"])
        if group["line_search_fn"] == "backtracking":
            slope = float(g @ direction)
            t, _ = backtracking_line_search(f, x, direction, value, slope, group["lr"])
        else:
            t = group["lr"]

        x_new = x + t * direction
        for p, a, b in zip(params, bounds[:-1], bounds[1:], strict=True):
            p.data[...] = x_new[a:b].reshape(p.data.shape)
            p.grad = g[a:b].reshape(p.data.shape).astype(p.data.dtype)
        state = self.state[params[0]]
        state.update(step=state.get("step", 0) + 1, shift=shift, step_size=t)
        return value
