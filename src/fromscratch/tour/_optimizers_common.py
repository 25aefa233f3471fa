"""What the optimizer chapter's sections share: a traced run that keeps the optimizer's state
after every step, and axis-aligned quadratic landscapes with a known minimum.

``minimize`` keeps the iterates; the sections also want what the optimizer *carries* (the
momentum buffer, Adagrad's sum, Adam's moments), so :func:`trace` runs an optimizer class the
way a training loop does — set ``.grad``, call ``step()`` — and copies the requested state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from fromscratch.autodiff import Tensor, grad
from fromscratch.benchfunctions import Minimum, TestFunction


@dataclass
class Trace:
    """One optimizer run: ``path`` of shape ``(K + 1, d)`` (the start, then every iterate) and
    ``state[key]`` of shape ``(K, d)``: the optimizer's state for ``key`` after each step."""

    path: np.ndarray
    state: dict[str, np.ndarray]

    @property
    def steps(self) -> np.ndarray:
        r""":math:`x_{k+1} - x_k`, shape ``(K, d)``."""
        return np.diff(self.path, axis=0)

    @property
    def step_lengths(self) -> np.ndarray:
        r""":math:`\|x_{k+1} - x_k\|_2` for each step, shape ``(K,)``."""
        steps = self.steps
        return np.sqrt(np.sum(steps * steps, axis=1))


def trace(
    optimizer: type,
    gradient: Callable[[np.ndarray], Any],
    x0: Sequence[float] | np.ndarray,
    steps: int,
    *,
    keys: Sequence[str] = (),
    **hyper: Any,
) -> Trace:
    """Run ``optimizer`` (a class of :mod:`fromscratch.optim`) for ``steps`` steps, the
    gradient at each iterate given by ``gradient(x)``, keeping the state named in ``keys``."""
    x = Tensor(np.array(x0, dtype=float), requires_grad=True)
    opt = optimizer([x], **hyper)
    path = [x.data.copy()]
    state: dict[str, list[np.ndarray]] = {key: [] for key in keys}
    for _ in range(steps):
        x.grad = np.asarray(gradient(x.data.copy()), dtype=float)
        opt.step()
        path.append(x.data.copy())
        for key in keys:
            state[key].append(np.array(opt.state[x][key], dtype=float))
    return Trace(np.array(path), {key: np.array(values) for key, values in state.items()})


def trace_on(function: TestFunction, optimizer: type, steps: int, *, start: Any = None,
             keys: Sequence[str] = (), **hyper: Any) -> Trace:
    """:func:`trace` on a test function, its gradient by reverse-mode autodiff."""
    x0 = function.start if start is None else start
    return trace(optimizer, grad(function), x0, steps, keys=keys, **hyper)


def quadratic(curvatures: ArrayLike, center: ArrayLike, *, window: Any,
              start: Sequence[float]) -> TestFunction:
    r"""The bowl :math:`f(x, y) = \tfrac12 a_1 (x - c_1)^2 + \tfrac12 a_2 (y - c_2)^2` as a
    :class:`~fromscratch.benchfunctions.TestFunction` (so every picture of test functions can
    draw it), its minimum :math:`f(c) = 0`."""
    a1, a2 = (float(a) for a in np.asarray(curvatures))
    c1, c2 = (float(c) for c in np.asarray(center))

    def bowl(x, y):
        return 0.5 * a1 * (x - c1) ** 2 + 0.5 * a2 * (y - c2) ** 2

    return TestFunction(
        name="quadratic", title=f"Quadratic, curvatures {a1:g} and {a2:g}",
        formula=rf"\frac{{{a1:g}}}{{2}}(x - {c1:g})^2 + \frac{{{a2:g}}}{{2}}(y - {c2:g})^2",
        domain=window, minima=(Minimum((c1, c2), 0.0),), window=window, log_scale=False,
        smooth=True, source="", notes="", start=(float(start[0]), float(start[1])), fn=bowl,
    )


def linear_gradient(c: ArrayLike) -> Callable[[np.ndarray], np.ndarray]:
    r"""The gradient of :math:`f(x) = c^\top x`: the constant :math:`c`, at every point."""
    slope = np.array(c, dtype=float)
    return lambda x: slope.copy()


def norm(v: np.ndarray) -> float:
    """The Euclidean norm, from array operations (the library's from-scratch rule)."""
    return float(np.sqrt(np.sum(np.asarray(v, dtype=float) ** 2)))
