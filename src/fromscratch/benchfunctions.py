r"""Classic two-dimensional test functions for optimization, each with its known minima.

(Benchmark functions: the module was called ``testfunctions``, a name easily taken for helpers
of the test suite; ``fromscratch.testfunctions`` remains a deprecated alias for one release.)

Every function is a :class:`TestFunction`: a callable with a name, a formula (LaTeX that
matplotlib's mathtext renders), a search domain, **every** global minimum (location and value,
as the literature states them, with the precision it states them to), a plotting window and
whether its contour plot reads better on a log scale.

The formulas are written with :mod:`fromscratch.autodiff.numpy` (``anp``), so the same code

* evaluates on plain NumPy arrays, broadcasting like NumPy (``f(X, Y)`` on a meshgrid gives the
  surface for a contour plot; the result is a plain ndarray), and
* is differentiated by both autodiff modes (``grad(f)(p)`` in reverse mode, a ``Dual`` in
  forward mode), which is how the optimizers in :mod:`fromscratch.optim` descend them.

Two calling forms::

    f = get("rosenbrock")
    f(1.0, 1.0)                    # f(x, y): broadcasts, here 0.0
    f(np.array([1.0, 1.0]))        # vector form f(p), p[..., 0] = x and p[..., 1] = y

Sources for the minima (abbreviations used in each function's ``source``):

* **JY13** — M. Jamil and X.-S. Yang, "A literature survey of benchmark functions for global
  optimization problems", *Int. J. Mathematical Modelling and Numerical Optimisation* 4(2),
  150–194, 2013 (arXiv:1308.4008).
* **SB** — S. Surjanovic and D. Bingham, *Virtual Library of Simulation Experiments: Test
  Functions and Datasets*, Simon Fraser University, https://www.sfu.ca/~ssurjano/optimization.html
* **WP** — Wikipedia, "Test functions for optimization".

Where the literature rounds a number we keep its digits and record their precision
(``location_tol``, ``value_tol``: one unit in the last digit given); the tests refine each
location numerically and check that the literature is right to that precision. Two literature
values are correct only to one unit, not half a unit, in their last digit (the McCormick value
−1.9133, true −1.913223; the Eggholder location 404.2319, true 404.231805) — one unit is the
honest tolerance.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch._validation import check_array, check_choice, check_scalar

__all__ = [
    "Minimum", "TestFunction", "get", "names", "all_functions", "race", "RaceResult", "RACERS",
]

Interval = tuple[float, float]
Box = tuple[Interval, Interval]

_PI = math.pi


@dataclass(frozen=True)
class Minimum:
    """A global minimum as the literature states it.

    Attributes
    ----------
    location : tuple of float
        :math:`(x^*, y^*)`.
    value : float
        :math:`f(x^*, y^*)`.
    location_tol, value_tol : float
        The precision of the stated numbers: one unit in the last digit given (0.0 when they
        are exact, e.g. Rosenbrock's :math:`f(1, 1) = 0`).
    """

    location: tuple[float, float]
    value: float
    location_tol: float = 0.0
    value_tol: float = 0.0


@dataclass(frozen=True)
class TestFunction:
    r"""A 2-D test function with its formula, domain and known global minima.

    Call it as ``f(x, y)`` (broadcasting) or ``f(p)`` with ``p[..., 0] = x``,
    ``p[..., 1] = y``. Plain numbers and arrays give a plain ndarray (float32 stays float32);
    autodiff values (``Tensor``, ``Dual``) give autodiff values.

    Attributes
    ----------
    name : str
        Registry key, e.g. ``"six_hump_camel"``.
    title : str
        Display name, e.g. ``"Six-hump camel"``.
    formula : str
        :math:`f(x, y)` in mathtext-renderable LaTeX.
    domain : ((float, float), (float, float))
        The search domain :math:`[x_{lo}, x_{hi}] \times [y_{lo}, y_{hi}]` in which the listed
        minima are global.
    minima : tuple of Minimum
        Every global minimum in the domain (empty for the saddles, which have none).
    window : ((float, float), (float, float))
        A plotting window that shows the interesting structure.
    log_scale : bool
        Whether contour levels should be spaced logarithmically in :math:`f - f^*`.
    smooth : bool
        Whether :math:`f` is differentiable at every listed minimum, so the gradient vanishes
        there. False for Bukin N.6 and Ackley (kinks at the minimum) and for Eggholder (its
        minimum lies on the domain's edge, where only the tangential derivative vanishes).
    saddle_points : tuple of (float, float)
        Stationary points that are not minima, worth marking in a picture.
    source : str
        Where the minima come from (see the module docstring for the abbreviations).
    notes : str
        What is special about the function.
    start : (float, float)
        A starting point for demonstrations, from which the function's difficulty shows
        (Rosenbrock's is his own (−1.2, 1)).
    """

    __test__ = False  # not a pytest test class, despite the name

    name: str
    title: str
    formula: str
    domain: Box
    minima: tuple[Minimum, ...]
    window: Box
    log_scale: bool
    smooth: bool
    source: str
    notes: str
    start: tuple[float, float]
    fn: Callable[[Any, Any], Any] = field(repr=False)
    saddle_points: tuple[tuple[float, float], ...] = ()

    def __call__(self, x: Any, y: Any = None) -> Any:
        if y is None:
            x, y = _split_vector(x)
        else:
            x, y = _as_input(x, "x"), _as_input(y, "y")
        return self.fn(x, y)

    @property
    def min_value(self) -> float:
        """The global minimum value :math:`f^*` (NaN for a function without a minimum)."""
        return min((m.value for m in self.minima), default=math.nan)

    @property
    def minimum_locations(self) -> np.ndarray:
        """The listed minima as an array of shape ``(n_minima, 2)``."""
        return np.array([m.location for m in self.minima], dtype=float).reshape(-1, 2)

    def nearest_minimum(self, point: Any) -> tuple[Minimum | None, float]:
        """The listed global minimum closest to ``point`` and its Euclidean distance.

        Returns ``(None, nan)`` for a function without a minimum.
        """
        p = check_array(point, name="point", ensure_2d=False).reshape(-1)
        if p.shape != (2,):
            raise ValueError(f"point must have 2 coordinates (x, y); got shape {p.shape}.")
        if not self.minima:
            return None, math.nan
        distances = np.sqrt(((self.minimum_locations - p) ** 2).sum(axis=1))
        i = int(np.argmin(distances))
        return self.minima[i], float(distances[i])

    def grid(
        self, n: int = 201, window: Box | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``X, Y, Z`` on an ``n × n`` grid over ``window`` (default: the plotting window).

        ``Z[i, j] = f(X[i, j], Y[i, j])`` with ``X`` varying along columns, as
        ``matplotlib``'s ``contour`` expects.
        """
        n = check_scalar(n, "n", kind=int, min_val=2)
        (x_lo, x_hi), (y_lo, y_hi) = self.window if window is None else _check_box(window)
        X, Y = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
        return X, Y, np.asarray(self.fn(X, Y))


# -- input handling ---------------------------------------------------------------------------


def _is_plain(value: Any) -> bool:
    return isinstance(value, (np.ndarray, np.generic, numbers.Real, list, tuple))


def _as_input(value: Any, name: str) -> Any:
    """Plain input becomes a checked floating ndarray; autodiff values pass through."""
    if not _is_plain(value):
        return value
    array = check_array(np.atleast_1d(value), name=name, ensure_2d=False, allow_nd=True)
    return array.reshape(np.shape(value))


def _split_vector(p: Any) -> tuple[Any, Any]:
    if _is_plain(p):
        p = check_array(p, name="p", ensure_2d=False, allow_nd=True)
    shape = tuple(p.shape)
    if not shape or shape[-1] != 2:
        raise ValueError(
            f"p must hold points (x, y) along its last axis, shape (2,) or (..., 2); got shape "
            f"{shape}. Call f(x, y) to evaluate on separate coordinate arrays."
        )
    return p[..., 0], p[..., 1]


def _check_box(box: Any) -> Box:
    array = check_array(box, name="window", ensure_2d=True)
    if array.shape != (2, 2) or not (array[:, 0] < array[:, 1]).all():
        raise ValueError(
            f"window must be ((x_lo, x_hi), (y_lo, y_hi)) with lo < hi; got {box!r}."
        )
    return (float(array[0, 0]), float(array[0, 1])), (float(array[1, 0]), float(array[1, 1]))


# -- the functions ----------------------------------------------------------------------------


def _sphere(x, y):
    return x**2 + y**2


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _booth(x, y):
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def _matyas(x, y):
    return 0.26 * (x**2 + y**2) - 0.48 * x * y


def _rastrigin(x, y):
    return 20 + (x**2 - 10 * anp.cos(2 * _PI * x)) + (y**2 - 10 * anp.cos(2 * _PI * y))


def _ackley(x, y):
    return (
        -20 * anp.exp(-0.2 * anp.sqrt(0.5 * (x**2 + y**2)))
        - anp.exp(0.5 * (anp.cos(2 * _PI * x) + anp.cos(2 * _PI * y)))
        + math.e
        + 20
    )


def _goldstein_price(x, y):
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    return a * b


def _three_hump_camel(x, y):
    return 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2


def _six_hump_camel(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def _levi_n13(x, y):
    return (
        anp.sin(3 * _PI * x) ** 2
        + (x - 1) ** 2 * (1 + anp.sin(3 * _PI * y) ** 2)
        + (y - 1) ** 2 * (1 + anp.sin(2 * _PI * y) ** 2)
    )


def _easom(x, y):
    return -anp.cos(x) * anp.cos(y) * anp.exp(-((x - _PI) ** 2 + (y - _PI) ** 2))


def _eggholder(x, y):
    return -(y + 47) * anp.sin(anp.sqrt(anp.abs(x / 2 + y + 47))) - x * anp.sin(
        anp.sqrt(anp.abs(x - (y + 47)))
    )


def _mccormick(x, y):
    return anp.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1


def _styblinski_tang(x, y):
    return 0.5 * ((x**4 - 16 * x**2 + 5 * x) + (y**4 - 16 * y**2 + 5 * y))


def _bukin_n6(x, y):
    return 100 * anp.sqrt(anp.abs(y - 0.01 * x**2)) + 0.01 * anp.abs(x + 10)


def _cross_in_tray(x, y):
    r = anp.sqrt(x**2 + y**2)
    return -0.0001 * (
        anp.abs(anp.sin(x) * anp.sin(y) * anp.exp(anp.abs(100 - r / _PI))) + 1
    ) ** 0.1


def _holder_table(x, y):
    r = anp.sqrt(x**2 + y**2)
    return -anp.abs(anp.sin(x) * anp.cos(y) * anp.exp(anp.abs(1 - r / _PI)))


def _schaffer_n2(x, y):
    return 0.5 + (anp.sin(x**2 - y**2) ** 2 - 0.5) / (1 + 0.001 * (x**2 + y**2)) ** 2


def _saddle(x, y):
    return x**2 - y**2


def _monkey_saddle(x, y):
    return x**3 - 3 * x * y**2


def _four(a: float, b: float, value: float, location_tol: float, value_tol: float):
    """The four minima (±a, ±b) of a function symmetric in both axes."""
    return tuple(
        Minimum((sx * a, sy * b), value, location_tol, value_tol)
        for sx in (1.0, -1.0)
        for sy in (1.0, -1.0)
    )


_FUNCTIONS: tuple[TestFunction, ...] = (
    TestFunction(
        name="sphere", title="Sphere",
        formula=r"x^2 + y^2",
        domain=((-5.12, 5.12), (-5.12, 5.12)),
        minima=(Minimum((0.0, 0.0), 0.0),),
        window=((-2.0, 2.0), (-2.0, 2.0)), log_scale=False, smooth=True,
        source="JY13; SB; WP",
        notes="Convex and perfectly conditioned: every sensible optimizer walks straight in.",
        start=(-1.5, 1.8), fn=_sphere,
    ),
    TestFunction(
        name="rosenbrock", title="Rosenbrock",
        formula=r"(1 - x)^2 + 100\,(y - x^2)^2",
        domain=((-5.0, 10.0), (-5.0, 10.0)),
        minima=(Minimum((1.0, 1.0), 0.0),),
        window=((-2.0, 2.0), (-1.0, 3.0)), log_scale=True, smooth=True,
        source="H. H. Rosenbrock, Computer Journal 3(3), 1960; JY13; SB; WP",
        notes="A long, curved, flat-bottomed valley (Hessian condition number about 2500 at "
              "the minimum): finding the valley is easy, following it to (1, 1) is not.",
        start=(-1.2, 1.0), fn=_rosenbrock,
    ),
    TestFunction(
        name="himmelblau", title="Himmelblau",
        formula=r"(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        minima=(
            Minimum((3.0, 2.0), 0.0),
            Minimum((-2.805118, 3.131312), 0.0, 1e-6),
            Minimum((-3.779310, -3.283186), 0.0, 1e-6),
            Minimum((3.584428, -1.848126), 0.0, 1e-6),
        ),
        window=((-5.0, 5.0), (-5.0, 5.0)), log_scale=True, smooth=True,
        source="D. M. Himmelblau, Applied Nonlinear Programming, 1972; WP",
        notes="Four global minima, all with value exactly 0 (both squares vanish); which one an "
              "optimizer reaches depends on where it starts.",
        start=(0.0, 0.0), fn=_himmelblau,
    ),
    TestFunction(
        name="beale", title="Beale",
        formula=r"(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
        domain=((-4.5, 4.5), (-4.5, 4.5)),
        minima=(Minimum((3.0, 0.5), 0.0),),
        window=((-4.5, 4.5), (-4.5, 4.5)), log_scale=True, smooth=True,
        source="JY13; SB; WP",
        notes="Flat plateaus and sharp ridges near the corners: gradients span many orders "
              "of magnitude, which is where adaptive step sizes pay off.",
        start=(1.0, 1.5), fn=_beale,
    ),
    TestFunction(
        name="booth", title="Booth",
        formula=r"(x + 2y - 7)^2 + (2x + y - 5)^2",
        domain=((-10.0, 10.0), (-10.0, 10.0)),
        minima=(Minimum((1.0, 3.0), 0.0),),
        window=((-10.0, 10.0), (-10.0, 10.0)), log_scale=True, smooth=True,
        source="JY13; SB; WP",
        notes="A convex quadratic (Hessian [[10, 8], [8, 10]], condition number 9).",
        start=(-8.0, 8.0), fn=_booth,
    ),
    TestFunction(
        name="matyas", title="Matyas",
        formula=r"0.26\,(x^2 + y^2) - 0.48\,xy",
        domain=((-10.0, 10.0), (-10.0, 10.0)),
        minima=(Minimum((0.0, 0.0), 0.0),),
        window=((-10.0, 10.0), (-10.0, 10.0)), log_scale=True, smooth=True,
        source="JY13; SB; WP",
        notes="A convex quadratic with a flat diagonal valley (Hessian [[0.52, −0.48], "
              "[−0.48, 0.52]], eigenvalues 1 and 0.04, condition number 25).",
        start=(-8.0, 6.0), fn=_matyas,
    ),
    TestFunction(
        name="rastrigin", title="Rastrigin",
        formula=r"20 + \sum_{t \in \{x, y\}} \left(t^2 - 10 \cos 2\pi t\right)",
        domain=((-5.12, 5.12), (-5.12, 5.12)),
        minima=(Minimum((0.0, 0.0), 0.0),),
        window=((-5.12, 5.12), (-5.12, 5.12)), log_scale=False, smooth=True,
        source="JY13; SB; WP",
        notes="A bowl covered in an egg-crate of about a hundred local minima: local "
              "optimizers stop in the nearest dimple.",
        start=(2.3, 3.1), fn=_rastrigin,
    ),
    TestFunction(
        name="ackley", title="Ackley",
        formula=r"-20\,e^{-0.2\sqrt{(x^2 + y^2)/2}} - e^{(\cos 2\pi x + \cos 2\pi y)/2}"
                r" + e + 20",
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        minima=(Minimum((0.0, 0.0), 0.0),),
        window=((-5.0, 5.0), (-5.0, 5.0)), log_scale=False, smooth=False,
        source="JY13; SB; WP",
        notes="Nearly flat outside, many local minima, one deep funnel. The square root makes "
              "the minimum a cone tip: f is not differentiable at the origin.",
        start=(3.2, 2.6), fn=_ackley,
    ),
    TestFunction(
        name="goldstein_price", title="Goldstein–Price",
        formula=r"[1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)]"
                r"\,[30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)]",
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        minima=(Minimum((0.0, -1.0), 3.0),),
        window=((-2.0, 2.0), (-2.0, 2.0)), log_scale=True, smooth=True,
        source="JY13; SB; WP",
        notes="Values range over six orders of magnitude on the domain, with local minima "
              "f(−0.6, −0.4) = 30, f(1.8, 0.2) = 84 and f(1.2, 0.8) = 840.",
        start=(-1.5, 1.5), fn=_goldstein_price,
    ),
    TestFunction(
        name="three_hump_camel", title="Three-hump camel",
        formula=r"2x^2 - 1.05x^4 + \frac{x^6}{6} + xy + y^2",
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        minima=(Minimum((0.0, 0.0), 0.0),),
        window=((-2.0, 2.0), (-2.0, 2.0)), log_scale=True, smooth=True,
        source="JY13; SB; WP",
        notes="One global and two local minima (the three humps of the negated function).",
        start=(-1.8, 1.8), fn=_three_hump_camel,
    ),
    TestFunction(
        name="six_hump_camel", title="Six-hump camel",
        formula=r"\left(4 - 2.1x^2 + \frac{x^4}{3}\right) x^2 + xy + (4y^2 - 4)\,y^2",
        domain=((-3.0, 3.0), (-2.0, 2.0)),
        minima=(
            Minimum((0.0898, -0.7126), -1.0316, 1e-4, 1e-4),
            Minimum((-0.0898, 0.7126), -1.0316, 1e-4, 1e-4),
        ),
        window=((-2.0, 2.0), (-1.0, 1.0)), log_scale=True, smooth=True,
        source="JY13; SB; WP",
        notes="Six local minima, two of them global, related by the symmetry "
              "f(−x, −y) = f(x, y).",
        start=(-1.5, -0.8), fn=_six_hump_camel,
    ),
    TestFunction(
        name="levi_n13", title="Lévi N.13",
        formula=r"\sin^2 3\pi x + (x - 1)^2 (1 + \sin^2 3\pi y)"
                r" + (y - 1)^2 (1 + \sin^2 2\pi y)",
        domain=((-10.0, 10.0), (-10.0, 10.0)),
        minima=(Minimum((1.0, 1.0), 0.0),),
        window=((-2.0, 4.0), (-2.0, 4.0)), log_scale=False, smooth=True,
        source="SB (as Levy N.13); WP",
        notes="A rippled bowl: sine terms add ridges, and every ripple is a local minimum.",
        start=(-1.5, 3.0), fn=_levi_n13,
    ),
    TestFunction(
        name="easom", title="Easom",
        formula=r"-\cos x \,\cos y \;e^{-(x - \pi)^2 - (y - \pi)^2}",
        domain=((-100.0, 100.0), (-100.0, 100.0)),
        minima=(Minimum((_PI, _PI), -1.0),),
        window=((-1.0, 7.0), (-1.0, 7.0)), log_scale=False, smooth=True,
        source="JY13; SB; WP",
        notes="Flat (f ≈ 0, gradient ≈ 0) everywhere except a small hole around (π, π): "
              "a needle in a haystack for any gradient method.",
        start=(2.0, 2.0), fn=_easom,
    ),
    TestFunction(
        name="eggholder", title="Eggholder",
        formula=r"-(y + 47)\sin\sqrt{|x/2 + y + 47|} - x \sin\sqrt{|x - (y + 47)|}",
        domain=((-512.0, 512.0), (-512.0, 512.0)),
        minima=(Minimum((512.0, 404.2319), -959.6407, 1e-4, 1e-4),),
        window=((-512.0, 512.0), (-512.0, 512.0)), log_scale=False, smooth=False,
        source="JY13; SB; WP",
        notes="Deep, irregular wells everywhere. The global minimum lies on the domain's edge "
              "x = 512 (f keeps falling beyond it), so only ∂f/∂y vanishes there; ∂f/∂x < 0 "
              "points out of the domain. The stated y = 404.2319 is 404.231805 to 6 decimals, "
              "right to one unit in its last digit.",
        start=(400.0, 300.0), fn=_eggholder,
    ),
    TestFunction(
        name="mccormick", title="McCormick",
        formula=r"\sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1",
        domain=((-1.5, 4.0), (-3.0, 4.0)),
        minima=(Minimum((-0.54719, -1.54719), -1.9133, 1e-5, 1e-4),),
        window=((-1.5, 4.0), (-3.0, 4.0)), log_scale=False, smooth=True,
        source="JY13; SB; WP",
        notes="Setting the gradient to zero gives cos(x + y) = −1/2 and x − y = 1, so the "
              "minimum is exactly (1/2 − π/3, −1/2 − π/3) with value −√3/2 − π/3 = −1.913223; "
              "the literature's −1.9133 is right to one unit in its last digit.",
        start=(3.0, 3.0), fn=_mccormick,
    ),
    TestFunction(
        name="styblinski_tang", title="Styblinski–Tang",
        formula=r"\frac{1}{2} \sum_{t \in \{x, y\}} \left(t^4 - 16t^2 + 5t\right)",
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        minima=(Minimum((-2.903534, -2.903534), -78.33234, 1e-6, 1e-5),),
        window=((-5.0, 5.0), (-5.0, 5.0)), log_scale=False, smooth=True,
        source="SB; WP (−39.16617 per dimension)",
        notes="Separable: each coordinate solves 4t³ − 32t + 5 = 0. Four local minima, one "
              "global; the local one at (2.7468, 2.7468) catches starts on the positive side.",
        start=(1.0, -1.0), fn=_styblinski_tang,
    ),
    TestFunction(
        name="bukin_n6", title="Bukin N.6",
        formula=r"100\sqrt{|y - 0.01x^2|} + 0.01\,|x + 10|",
        domain=((-15.0, -5.0), (-3.0, 3.0)),
        minima=(Minimum((-10.0, 1.0), 0.0),),
        window=((-15.0, -5.0), (-3.0, 3.0)), log_scale=False, smooth=False,
        source="JY13; SB; WP",
        notes="Zero along the whole parabola y = x²/100 except for the tiny 0.01|x + 10| "
              "term; the square root makes the ridge a sharp crease, not differentiable at the "
              "minimum (nor anywhere on the parabola).",
        start=(-7.0, 2.0), fn=_bukin_n6,
    ),
    TestFunction(
        name="cross_in_tray", title="Cross-in-tray",
        formula=r"-0.0001\left(\left|\sin x \,\sin y\; e^{|100 - \sqrt{x^2 + y^2}/\pi|}"
                r"\right| + 1\right)^{0.1}",
        domain=((-10.0, 10.0), (-10.0, 10.0)),
        minima=_four(1.34941, 1.34941, -2.06261, 1e-5, 1e-5),
        window=((-10.0, 10.0), (-10.0, 10.0)), log_scale=False, smooth=True,
        source="JY13; SB; WP",
        notes="Four global minima. The absolute values create creases along the axes "
              "(sin x sin y = 0), but the minima lie away from them, where f is smooth.",
        start=(0.5, 3.0), fn=_cross_in_tray,
    ),
    TestFunction(
        name="holder_table", title="Hölder table",
        formula=r"-\left|\sin x \,\cos y \; e^{|1 - \sqrt{x^2 + y^2}/\pi|}\right|",
        domain=((-10.0, 10.0), (-10.0, 10.0)),
        minima=_four(8.05502, 9.66459, -19.2085, 1e-5, 1e-4),
        window=((-10.0, 10.0), (-10.0, 10.0)), log_scale=False, smooth=True,
        source="JY13; SB; WP",
        notes="Four global minima in the corners. Creases where sin x cos y = 0 or on the "
              "circle r = π, but f is smooth at the minima.",
        start=(5.0, 5.0), fn=_holder_table,
    ),
    TestFunction(
        name="schaffer_n2", title="Schaffer N.2",
        formula=r"0.5 + \frac{\sin^2(x^2 - y^2) - 0.5}{[1 + 0.001\,(x^2 + y^2)]^2}",
        domain=((-100.0, 100.0), (-100.0, 100.0)),
        minima=(Minimum((0.0, 0.0), 0.0),),
        window=((-5.0, 5.0), (-5.0, 5.0)), log_scale=False, smooth=True,
        source="JY13; SB; WP",
        notes="Ripples along the hyperbolas x² − y² = const whose depth fades slowly with "
              "distance; smooth everywhere (no absolute values, unlike Schaffer N.4).",
        start=(1.5, 2.0), fn=_schaffer_n2,
    ),
    TestFunction(
        name="saddle", title="Saddle",
        formula=r"x^2 - y^2",
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        minima=(),
        window=((-2.0, 2.0), (-2.0, 2.0)), log_scale=False, smooth=True,
        source="the hyperbolic paraboloid",
        notes="No minimum: f is unbounded below (f → −∞ along the y axis), so `minima` is empty "
              "and 'distance to the minimum' is undefined. The origin is a saddle point, a "
              "minimum along x and a maximum along y; on the box [−2, 2]² the lowest value "
              "−4 sits on the edge at (0, ±2). Started on the x axis, gradient descent "
              "converges to the saddle; started slightly off it, the y error grows "
              "geometrically, and optimizers differ in how fast they escape.",
        start=(1.8, 0.02), fn=_saddle,
        saddle_points=((0.0, 0.0),),
    ),
    TestFunction(
        name="monkey_saddle", title="Monkey saddle",
        formula=r"x^3 - 3xy^2",
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        minima=(),
        window=((-2.0, 2.0), (-2.0, 2.0)), log_scale=False, smooth=True,
        source="the monkey saddle (three valleys: two for the legs, one for the tail)",
        notes="No minimum: unbounded below in three directions. At the origin the gradient "
              "and the Hessian both vanish, so Newton's method has nothing to work with and "
              "gradient descent starts infinitely slowly.",
        start=(1.5, 0.1), fn=_monkey_saddle,
        saddle_points=((0.0, 0.0),),
    ),
)

_REGISTRY: dict[str, TestFunction] = {f.name: f for f in _FUNCTIONS}


def names() -> list[str]:
    """The registry keys, in the order of the gallery."""
    return list(_REGISTRY)


def all_functions() -> list[TestFunction]:
    """Every registered test function, in the order of the gallery."""
    return list(_FUNCTIONS)


def get(name: str | TestFunction) -> TestFunction:
    """The test function called ``name`` (a :class:`TestFunction` is returned as is).

    Raises
    ------
    ValueError
        For an unknown name, listing the valid ones and suggesting the closest.
    """
    if isinstance(name, TestFunction):
        return name
    if isinstance(name, str):
        key = name.strip().lower().replace("-", "_").replace(" ", "_")
        if key in _REGISTRY:
            return _REGISTRY[key]
    return _REGISTRY[check_choice(name, "test function", names())]


# -- optimizer races --------------------------------------------------------------------------

#: The optimizers a race can enter, by name: ``minimize``'s optimizer and the fixed
#: hyper-parameters that make the variant (heavy-ball and Nesterov momentum are SGD options).
RACERS: dict[str, tuple[str, dict[str, Any]]] = {
    "sgd": ("sgd", {}),
    "momentum": ("sgd", {"momentum": 0.9}),
    "nesterov": ("sgd", {"momentum": 0.9, "nesterov": True}),
    "adagrad": ("adagrad", {}),
    "rmsprop": ("rmsprop", {}),
    "adadelta": ("adadelta", {}),
    "adam": ("adam", {}),
    "adamw": ("adamw", {}),
    "adamax": ("adamax", {}),
    "nadam": ("nadam", {}),
    "lbfgs": ("lbfgs", {"line_search_fn": "strong_wolfe"}),
    "newton": ("newton", {}),
}


@dataclass
class RaceResult:
    """One optimizer's run in :func:`race`.

    Attributes
    ----------
    name : str
        The racer's name (a key of :data:`RACERS`).
    hyper : dict
        The hyper-parameters it ran with (``lr`` included when one was given).
    result : fromscratch.optim.MinimizeResult
        The run: ``trajectory``, ``losses``, ``grad_norms``, ``diverged``, ``message``...
    gap : float
        :math:`f(x_K) - f^*` at the last iterate (NaN for a function without a minimum).
    distance : float
        Euclidean distance from the last iterate to the nearest listed global minimum (NaN
        without one).
    steps_to_tol : int or None
        The first step :math:`k` with :math:`f(x_k) - f^* \\le` ``tol``; None if never reached
        (or the function has no minimum).
    """

    name: str
    hyper: dict[str, Any]
    result: Any
    gap: float
    distance: float
    steps_to_tol: int | None


def race(
    function: str | TestFunction,
    optimizers: Any,
    *,
    start: Any = None,
    steps: int = 500,
    lr: Any = None,
    tol: float = 1e-6,
    **hyper: Any,
) -> list[RaceResult]:
    r"""Run several optimizers from one start on a test function and score them.

    Each racer runs :func:`fromscratch.optim.minimize` for ``steps`` steps (it stops early only
    when the gradient is exactly zero or the run diverges), then is scored by its final gap
    :math:`f(x_K) - f^*`, its distance to the nearest global minimum and the first step at
    which the gap fell to ``tol``.

    Parameters
    ----------
    function : str or TestFunction
    optimizers : iterable of str
        Names from :data:`RACERS` (``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``,
        ``"rmsprop"``, ``"adadelta"``, ``"adam"``, ``"adamw"``, ``"adamax"``, ``"nadam"``,
        ``"lbfgs"`` (with the strong-Wolfe line search), ``"newton"``).
    start : (float, float), optional
        Default: the function's ``start``.
    steps : int
        Optimizer steps per racer.
    lr : float, sequence of float, or None
        One learning rate for every racer, one per racer, or None for each optimizer's default.
    tol : float
        Gap :math:`f - f^*` that counts as arrived.
    **hyper
        Extra hyper-parameters given to every racer (e.g. ``betas``).

    Returns
    -------
    list of RaceResult
        In the order of ``optimizers``. A run that diverges is kept (``result.diverged``,
        ``result.message``) rather than raising or warning.
    """
    import warnings

    from fromscratch.optim import minimize

    fn = get(function)
    if isinstance(optimizers, str) or not hasattr(optimizers, "__iter__"):
        raise TypeError(f"optimizers must be a list of names; got {optimizers!r}.")
    names_ = [check_choice(o.lower() if isinstance(o, str) else o, "optimizer", list(RACERS))
              for o in optimizers]
    if not names_:
        raise ValueError(f"optimizers must name at least one of {', '.join(RACERS)}.")
    x0 = check_array(fn.start if start is None else start, name="start", ensure_2d=False)
    if x0.shape != (2,):
        raise ValueError(f"start must be a point (x, y); got shape {x0.shape}.")
    steps = check_scalar(steps, "steps", kind=int, min_val=1)
    tol = check_scalar(tol, "tol", min_val=0.0)
    rates = _learning_rates(lr, len(names_))

    results = []
    for name, rate in zip(names_, rates, strict=True):
        optimizer, preset = RACERS[name]
        settings = {**preset, **hyper, **({} if rate is None else {"lr": rate})}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # divergence is in the result
            result = minimize(fn, x0, optimizer, steps=steps, tol=0.0, **settings)
        if fn.minima:
            gaps = result.losses - fn.min_value
            arrived = np.flatnonzero(gaps <= tol)
            _, distance = fn.nearest_minimum(result.x)
            results.append(RaceResult(name, settings, result, float(gaps[-1]), distance,
                                      int(arrived[0]) if len(arrived) else None))
        else:
            results.append(RaceResult(name, settings, result, math.nan, math.nan, None))
    return results


def _learning_rates(lr: Any, n: int) -> list[float | None]:
    if lr is None:
        return [None] * n
    rates = np.atleast_1d(check_array(np.atleast_1d(lr), name="lr", ensure_2d=False))
    if rates.ndim != 1 or len(rates) not in (1, n):
        raise ValueError(
            f"lr must be one learning rate or one per optimizer ({n}); got {len(rates)}."
        )
    if (rates <= 0).any():
        raise ValueError(f"lr must be positive; got {rates.tolist()}.")
    return [float(r) for r in np.broadcast_to(rates, (n,))]
