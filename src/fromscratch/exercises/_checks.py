"""Checks several chapters share: the library computing with the learner's kernel (a network,
an estimator, a solver) and finite differences."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from fromscratch._kernels import replaced
from fromscratch.exercises._compare import difference
from fromscratch.exercises._core import Check, CheckResult
from fromscratch.exercises._sandbox import Guarded

__all__ = ["in_library", "in_network", "numerical_gradient", "FD_TOLERANCE",
           "recording_warnings", "with_warnings"]

#: Central differences with step h are off by O(h^2) (truncation) plus O(eps/h) (rounding):
#: about 1e-9 relative to the scale with h = 1e-6 in float64; a wrong derivative is off by O(1).
FD_TOLERANCE = 1e-6

Results = dict[str, Any]


@contextmanager
def recording_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Keep the warnings the library gives inside the block (a solver that did not converge
    with the learner's function) for the report, instead of printing them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


def with_warnings(message: str, caught: list[warnings.WarningMessage]) -> str:
    """``message``, followed by the first warning the library gave, if any."""
    return f"{message}\n(the library warned: {caught[0].message})" if caught else message


def in_library(kernel: Callable[..., Any], compute: Callable[[], Results], what: str, *,
               target: Callable[[], Results] | None = None, tol: float | None = None) -> Check:
    """The library computes ``compute()`` (named results) with the learner's function in place
    of ``kernel``; every result must equal the target's, to ``tol`` relative to its scale (the
    dtype's tolerance by default).

    The target is ``target()``, or else ``compute()`` run with the library's own kernel. What
    the library warns while it runs the learner's function (a solver that did not converge)
    is shown with a failure. ``what`` names the computation in the check's name.
    """

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        expected = (target or compute)()
        with recording_warnings() as caught, replaced(kernel, learner):
            found = compute()
        for name, value in expected.items():
            problem = difference((name,), found[name], value, tol=tol)
            if problem:
                return CheckResult((with_warnings(f"with your {kernel.__name__}, {problem[0]}",
                                                  caught), problem[1]))
        return CheckResult()

    return Check(f"in the library: {what} with your {kernel.__name__}", run)


def in_network(kernel: Callable[..., Any], make_network: Callable[[], Any],
               data: Callable[[], tuple[np.ndarray, np.ndarray]], what: str) -> Check:
    """The library's :class:`~fromscratch.nn.backprop.FeedForwardNetwork` computes its output,
    loss and every gradient with the learner's function in place of ``kernel``; all must equal
    the network's own.

    ``make_network()`` and ``data()`` give the network and ``(X, y)``; ``what`` says in the
    check's name which network it is.
    """

    def results() -> Results:
        net, (X, y) = make_network(), data()
        loss, grad_W, grad_b = net.loss_and_gradients(X, y)
        found = {"the network's output": net.forward(X), "the loss": np.float64(loss)}
        for layer, (dW, db) in enumerate(zip(grad_W, grad_b, strict=True), start=1):
            found[f"dloss/dW of layer {layer}"] = dW
            found[f"dloss/db of layer {layer}"] = db
        return found

    return in_library(kernel, results, f"{what} computed")


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
