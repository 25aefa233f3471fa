"""Checks and mistakes several chapters share: a network computing with the learner's kernel,
finite differences, and the sign flip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._kernels import replaced
from fromscratch.exercises._compare import difference
from fromscratch.exercises._core import Check, CheckResult, Mistake
from fromscratch.exercises._sandbox import Guarded

__all__ = ["in_network", "numerical_gradient", "sign_flip", "FD_TOLERANCE"]

#: Central differences with step h are off by O(h^2) (truncation) plus O(eps/h) (rounding):
#: about 1e-9 relative to the scale with h = 1e-6 in float64; a wrong derivative is off by O(1).
FD_TOLERANCE = 1e-6


def in_network(kernel: Callable[..., Any], make_network: Callable[[], Any],
               data: Callable[[], tuple[np.ndarray, np.ndarray]], what: str) -> Check:
    """The library's :class:`~fromscratch.nn.backprop.FeedForwardNetwork` computes its output,
    loss and every gradient with the learner's function in place of ``kernel``; all must equal
    the network's own.

    ``make_network()`` and ``data()`` give the network and ``(X, y)``; ``what`` says in the
    check's name which network it is.
    """

    def results(net: Any, X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
        loss, grad_W, grad_b = net.loss_and_gradients(X, y)
        found = {"the network's output": net.forward(X), "the loss": np.float64(loss)}
        for layer, (dW, db) in enumerate(zip(grad_W, grad_b, strict=True), start=1):
            found[f"dloss/dW of layer {layer}"] = dW
            found[f"dloss/db of layer {layer}"] = db
        return found

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        net, (X, y) = make_network(), data()
        own = results(net, X, y)
        with replaced(kernel, learner):
            yours = results(net, X, y)
        for name, target in own.items():
            problem = difference((name,), yours[name], target)
            if problem:
                return CheckResult((f"with your {kernel.__name__}, {problem[0]}", problem[1]))
        return CheckResult()

    return Check(f"in the library: {what} computed with your {kernel.__name__}", run)


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       h: float = 1e-6) -> np.ndarray:
    r"""Central differences of a scalar function, one coordinate at a time:
    :math:`\partial f/\partial x_i \approx (f(x + h e_i) - f(x - h e_i)) / 2h`."""
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def sign_flip(reference: Callable[..., Any], description: str) -> Mistake:
    """The reference with every output negated."""

    def flipped(*args: Any, **kwargs: Any) -> Any:
        out = reference(*args, **kwargs)
        return tuple(-o for o in out) if isinstance(out, tuple) else -out

    return Mistake("sign_flip", description, flipped)
