r"""Chapter H, functions for testing optimizers: their gradients, by hand.

The optimizers of chapter G descend the test functions of :mod:`fromscratch.benchfunctions`
with gradients from the autodiff engine. Here the learner derives a gradient with the chain
rule; grading compares it with the hand-derived reference below, with central differences of
the library's function, and lets it drive the library's Adam from the function's usual start:
the path must be the one autodiff's gradient gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch import benchfunctions, optim
from fromscratch.autodiff import Tensor, grad
from fromscratch.exercises._checks import FD_TOLERANCE
from fromscratch.exercises._compare import difference
from fromscratch.exercises._core import Case, Check, CheckResult, Exercise, mistake
from fromscratch.exercises._sampling import draw_dtype, draw_shape
from fromscratch.exercises._sandbox import Guarded

__all__ = ["EXERCISES", "rosenbrock_gradient", "himmelblau_gradient"]


def rosenbrock_gradient(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The gradient of Rosenbrock's function :math:`f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2`.

    .. math::

        \frac{\partial f}{\partial x} &= -2\,(1 - x) - 400\,x\,(y - x^2) \\
        \frac{\partial f}{\partial y} &= 200\,(y - x^2)

    Each square :math:`u^2` differentiates to :math:`2u \cdot \partial u`, the chain rule:
    for the first term :math:`u = 1 - x`, :math:`\partial u / \partial x = -1`; for the second
    :math:`u = y - x^2`, :math:`\partial u/\partial x = -2x` and
    :math:`\partial u / \partial y = 1`. The gradient vanishes only at the minimum
    :math:`(1, 1)`, at the end of a long curved valley along :math:`y = x^2`.

    Parameters
    ----------
    x, y : ndarray
        Coordinates, of the same shape (any shape, float32 or float64).

    Returns
    -------
    df_dx, df_dy : ndarray
        The two partial derivatives at every point, the shape of ``x``.
    """
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def himmelblau_gradient(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The gradient of Himmelblau's function
    :math:`f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2`.

    .. math::

        \frac{\partial f}{\partial x} &= 4x\,(x^2 + y - 11) + 2\,(x + y^2 - 7) \\
        \frac{\partial f}{\partial y} &= 2\,(x^2 + y - 11) + 4y\,(x + y^2 - 7)

    Both squares depend on both coordinates, so each partial derivative has two terms, one per
    square, each :math:`2u \cdot \partial u` by the chain rule. The gradient vanishes at the
    four minima (where :math:`f = 0`), at a local maximum near :math:`(-0.27, -0.92)` and at
    four saddle points.

    Parameters
    ----------
    x, y : ndarray
        Coordinates, of the same shape.

    Returns
    -------
    df_dx, df_dy : ndarray
        The two partial derivatives, the shape of ``x``.
    """
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * x * a + 2 * b, 2 * a + 4 * y * b


def _sampler(window: tuple[tuple[float, float], tuple[float, float]]) -> Callable[..., Case]:
    """Random points ``(x, y)`` in ``window``, in a random shape and dtype."""
    (x_lo, x_hi), (y_lo, y_hi) = window

    def sample(rng: np.random.Generator) -> Case:
        shape, dtype = draw_shape(rng), draw_dtype(rng)
        x = np.asarray(rng.uniform(x_lo, x_hi, shape), dtype=dtype)
        return Case((x, np.asarray(rng.uniform(y_lo, y_hi, shape), dtype=dtype)))

    return sample


def _finite_differences(name: str) -> Check:
    """The learner's gradient equals central differences of the library's function."""
    fn = benchfunctions.get(name)

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        (x_lo, x_hi), (y_lo, y_hi) = fn.window
        x, y = rng.uniform(x_lo, x_hi, 50), rng.uniform(y_lo, y_hi, 50)
        h = 1e-6
        target = ((fn(x + h, y) - fn(x - h, y)) / (2 * h), (fn(x, y + h) - fn(x, y - h)) / (2 * h))
        problem = difference(("df_dx", "df_dy"), learner(x, y), target, tol=FD_TOLERANCE)
        return CheckResult(problem and (f"compared with central differences of "
                                        f"benchfunctions.get({name!r}): {problem[0]}", problem[1]))

    return Check(f"finite differences of benchfunctions.get({name!r}) at 50 random points", run)


def _descent(name: str, lr: float, steps: int) -> Check:
    """The learner's gradient drives the library's Adam along autodiff's path."""
    fn = benchfunctions.get(name)

    def path(gradient: Callable[[np.ndarray], Any]) -> np.ndarray:
        p = Tensor(np.array(fn.start, dtype=np.float64), requires_grad=True)
        optimizer = optim.Adam([p], lr=lr)
        points = [p.data.copy()]
        for _ in range(steps):
            p.grad = np.array(gradient(p.data), dtype=np.float64).reshape(2)
            optimizer.step()
            points.append(p.data.copy())
        return np.array(points)

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        target = path(grad(fn))
        yours = path(lambda q: learner(q[..., 0], q[..., 1]))
        problem = difference(("the path",), yours, target, tol=1e-8)
        if problem is None:
            return CheckResult()

        def draw() -> Any:
            from fromscratch.plot.optim import plot_trajectories

            return plot_trajectories(fn, {"target": target, "yours": yours},
                                     title=f"{fn.title}: Adam's path, target vs yours")

        return CheckResult((f"Adam driven by your gradient leaves autodiff's path: "
                            f"{problem[0]}", {}), draw)

    return Check(f"in the library: optim.Adam(lr={lr:g}) for {steps} steps from "
                 f"{fn.start} with your gradient vs autodiff's", run)


@mistake("inner_derivative_missing")
def _rosenbrock_no_inner(x, y):
    """∂/∂x of 100(y − x²)² needs the inner derivative −2x: it is −400x(y − x²), not 200(y − x²)."""
    return -2 * (1 - x) + 200 * (y - x**2), 200 * (y - x**2)


@mistake("power_rule_factor_missing")
def _rosenbrock_no_two(x, y):
    """The factor 2 of the power rule is missing: d/du u² = 2u."""
    return -(1 - x) - 200 * x * (y - x**2), 100 * (y - x**2)


@mistake("first_term_sign")
def _rosenbrock_first_sign(x, y):
    """d/dx (1 − x)² = −2(1 − x): the inner derivative of 1 − x is −1."""
    return 2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


@mistake("sign_flip")
def _rosenbrock_gradient_sign_flipped(x, y):
    """The gradient points downhill: it is the direction of steepest *ascent*, and gradient descent
    steps against it."""
    df_dx, df_dy = rosenbrock_gradient(x, y)
    return -df_dx, -df_dy


@mistake("inner_derivative_missing")
def _himmelblau_no_inner(x, y):
    """The inner derivatives are missing: ∂(x² + y − 11)²/∂x = 2(x² + y − 11)·2x, not
    2(x² + y − 11)."""
    a, b = x**2 + y - 11, x + y**2 - 7
    return 2 * a + 2 * b, 2 * a + 2 * b


@mistake("one_term_only")
def _himmelblau_one_term(x, y):
    """Each partial derivative has two terms, one from each square: both squares depend on both x
    and y."""
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * x * a, 4 * y * b


@mistake("sign_flip")
def _himmelblau_gradient_sign_flipped(x, y):
    """The gradient points downhill: it is the direction of steepest *ascent*, and gradient descent
    steps against it."""
    df_dx, df_dy = himmelblau_gradient(x, y)
    return -df_dx, -df_dy


#: This module's exercises, in the registry of :mod:`fromscratch.exercises`.
EXERCISES = [
    Exercise(
        reference=rosenbrock_gradient, chapter="H1", title="The gradient of Rosenbrock's "
        "function", outputs=("df_dx", "df_dy"), sample=_sampler(((-2.0, 2.0), (-1.0, 3.0))),
        hints=(
            "Differentiate each square separately: d/dx u^2 = 2u * du/dx (the chain rule).",
            "For 100 (y - x^2)^2: u = y - x^2, so du/dx = -2x and du/dy = 1.",
            "Return a tuple (df_dx, df_dy); with arrays x and y, every operation is "
            "elementwise.",
        ),
        mistakes=(_rosenbrock_no_inner, _rosenbrock_no_two, _rosenbrock_first_sign,
                  _rosenbrock_gradient_sign_flipped),
        checks=(_finite_differences("rosenbrock"), _descent("rosenbrock", 0.05, 300)),
    ),
    Exercise(
        reference=himmelblau_gradient, chapter="H1", title="The gradient of Himmelblau's "
        "function", outputs=("df_dx", "df_dy"), sample=_sampler(((-5.0, 5.0), (-5.0, 5.0))),
        hints=(
            "Name the two squared terms a = x^2 + y - 11 and b = x + y^2 - 7; f = a^2 + b^2.",
            "df/dx = 2a * da/dx + 2b * db/dx, and da/dx = 2x, db/dx = 1 (similarly for y).",
        ),
        mistakes=(_himmelblau_no_inner, _himmelblau_one_term, _himmelblau_gradient_sign_flipped),
        checks=(_finite_differences("himmelblau"), _descent("himmelblau", 0.05, 200)),
        requires=("rosenbrock_gradient",),
    ),
]
