"""The 2-D test functions: formulas, literature minima, gradients, grid search, registry, input.

References used here, independent of the library:

* each formula re-typed from Surjanovic & Bingham's / Wikipedia's general (n-dimensional or
  parametrised) definitions, in plain ``math`` on Python floats;
* SciPy's Nelder–Mead, started at each listed minimum, to refine the literature's rounded
  location and check it to the stated precision;
* a dense 2001 × 2001 grid over the search domain, which must find nothing lower than the listed
  minimum.
"""

import math

import numpy as np
import pytest

from fromscratch import benchfunctions as tf
from fromscratch.autodiff import Dual, Tensor, grad, hessian, jvp

ALL = tf.all_functions()
IDS = [f.name for f in ALL]
WITH_MINIMA = [(f, i) for f in ALL for i in range(len(f.minima))]
MINIMA_IDS = [f"{f.name}-{i}" for f, i in WITH_MINIMA]


def _tol(tol: float) -> float:
    """An exactly stated number is checked to rounding error."""
    return tol if tol > 0 else 1e-12


# -- independent formulas ---------------------------------------------------------------------

PI = math.pi


def _rastrigin(v, A=10.0):
    return A * len(v) + sum(t * t - A * math.cos(2 * PI * t) for t in v)


def _ackley(v, a=20.0, b=0.2, c=2 * PI):
    d = len(v)
    return (-a * math.exp(-b * math.sqrt(sum(t * t for t in v) / d))
            - math.exp(sum(math.cos(c * t) for t in v) / d) + a + math.e)


def _styblinski_tang(v):
    return sum(t**4 - 16 * t**2 + 5 * t for t in v) / 2


def _rosenbrock(v, a=1.0, b=100.0):
    return sum(b * (v[i + 1] - v[i] ** 2) ** 2 + (a - v[i]) ** 2 for i in range(len(v) - 1))


def _goldstein_price(x, y):
    fact1a = (x + y + 1) ** 2
    fact1b = 19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2
    fact2a = (2 * x - 3 * y) ** 2
    fact2b = 18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2
    return (1 + fact1a * fact1b) * (30 + fact2a * fact2b)


REFERENCE = {
    "sphere": lambda x, y: x * x + y * y,
    "rosenbrock": lambda x, y: _rosenbrock([x, y]),
    "himmelblau": lambda x, y: (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    "beale": lambda x, y: sum((c - x + x * y**k) ** 2
                              for c, k in ((1.5, 1), (2.25, 2), (2.625, 3))),
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "matyas": lambda x, y: 0.26 * (x * x + y * y) - 0.48 * x * y,
    "rastrigin": lambda x, y: _rastrigin([x, y]),
    "ackley": lambda x, y: _ackley([x, y]),
    "goldstein_price": _goldstein_price,
    "three_hump_camel": lambda x, y: 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2,
    "six_hump_camel": lambda x, y: (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y
    + (-4 + 4 * y**2) * y**2,
    "levi_n13": lambda x, y: math.sin(3 * PI * x) ** 2
    + (x - 1) ** 2 * (1 + math.sin(3 * PI * y) ** 2)
    + (y - 1) ** 2 * (1 + math.sin(2 * PI * y) ** 2),
    "easom": lambda x, y: -math.cos(x) * math.cos(y) * math.exp(-((x - PI) ** 2 + (y - PI) ** 2)),
    "eggholder": lambda x, y: -(y + 47) * math.sin(math.sqrt(abs(y + x / 2 + 47)))
    - x * math.sin(math.sqrt(abs(x - (y + 47)))),
    "mccormick": lambda x, y: math.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1,
    "styblinski_tang": lambda x, y: _styblinski_tang([x, y]),
    "bukin_n6": lambda x, y: 100 * math.sqrt(abs(y - 0.01 * x**2)) + 0.01 * abs(x + 10),
    "cross_in_tray": lambda x, y: -0.0001 * (abs(math.sin(x) * math.sin(y) * math.exp(
        abs(100 - math.hypot(x, y) / PI))) + 1) ** 0.1,
    "holder_table": lambda x, y: -abs(math.sin(x) * math.cos(y) * math.exp(
        abs(1 - math.hypot(x, y) / PI))),
    "schaffer_n2": lambda x, y: 0.5 + (math.sin(x**2 - y**2) ** 2 - 0.5)
    / (1 + 0.001 * (x**2 + y**2)) ** 2,
    "saddle": lambda x, y: x * x - y * y,
    "monkey_saddle": lambda x, y: x**3 - 3 * x * y**2,
}


def _random_points(fn, n, seed=0):
    rng = np.random.default_rng(seed)
    (x_lo, x_hi), (y_lo, y_hi) = fn.domain
    return np.column_stack([rng.uniform(x_lo, x_hi, n), rng.uniform(y_lo, y_hi, n)])


# -- registry ---------------------------------------------------------------------------------


def test_registry_has_the_classics():
    expected = {
        "rosenbrock", "himmelblau", "beale", "booth", "matyas", "sphere", "rastrigin", "ackley",
        "goldstein_price", "three_hump_camel", "six_hump_camel", "levi_n13", "easom",
        "eggholder", "mccormick", "styblinski_tang", "bukin_n6", "cross_in_tray",
        "holder_table", "schaffer_n2", "saddle",
    }
    assert expected <= set(tf.names())
    assert set(REFERENCE) == set(tf.names())
    assert [f.name for f in ALL] == tf.names()


def test_get_accepts_display_spellings_and_instances():
    assert tf.get("Six-hump camel") is tf.get("six_hump_camel")
    assert tf.get(tf.get("beale")) is tf.get("beale")


def test_unknown_name_suggests_the_closest():
    with pytest.raises(ValueError, match="Did you mean 'rosenbrock'"):
        tf.get("rosenbrok")
    with pytest.raises(ValueError, match="must be one of"):
        tf.get(3)


# -- formulas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", ALL, ids=IDS)
def test_formula_matches_the_independent_definition(fn):
    points = _random_points(fn, 50)
    ours = fn(points)
    reference = np.array([REFERENCE[fn.name](float(x), float(y)) for x, y in points])
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-12)


def test_goldstein_price_local_minima_from_the_literature():
    # Local (not global) minima quoted in the literature: a check of the formula away from (0, -1).
    gp = tf.get("goldstein_price")
    np.testing.assert_allclose(gp([[-0.6, -0.4], [1.8, 0.2], [1.2, 0.8]]), [30, 84, 840],
                               rtol=1e-12)


@pytest.mark.parametrize("fn", ALL, ids=IDS)
def test_formula_and_metadata_render(fn):
    from fromscratch.tour.mathtext import render_math

    render_math(fn.formula)
    (x_lo, x_hi), (y_lo, y_hi) = fn.domain
    assert x_lo < x_hi and y_lo < y_hi
    assert fn.source and fn.notes and fn.title
    for m in fn.minima:
        assert x_lo <= m.location[0] <= x_hi and y_lo <= m.location[1] <= y_hi


# -- the minima -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fn", "i"), WITH_MINIMA, ids=MINIMA_IDS)
def test_value_at_each_listed_minimum(fn, i):
    """f(listed location) = listed value, to the value's precision plus how much f can change
    within the location's precision (the true minimum is somewhere in that box)."""
    m = fn.minima[i]
    at_listed = float(fn(*m.location))
    offsets = m.location_tol * np.array([[a, b] for a in (-1, 0, 1) for b in (-1, 0, 1)])
    wiggle = np.abs(fn(np.array(m.location) + offsets) - at_listed).max()
    assert abs(at_listed - m.value) <= _tol(m.value_tol) + wiggle


@pytest.mark.parametrize(("fn", "i"), WITH_MINIMA, ids=MINIMA_IDS)
def test_listed_location_is_right_to_the_stated_precision(fn, i):
    """Refine the rounded literature location with SciPy and compare to its stated digits."""
    optimize = pytest.importorskip("scipy.optimize")
    m = fn.minima[i]
    x0 = np.array(m.location)
    if fn.name == "eggholder":
        # The minimum is on the edge x = 512: minimise over y there, and check that f keeps
        # falling past the edge (so it is a constrained minimum, not a stationary point).
        found = optimize.minimize_scalar(lambda y: float(fn(512.0, y)), bracket=(404, 404.5),
                                         tol=1e-12)
        refined = np.array([512.0, found.x])
        assert float(fn(512.5, found.x)) < float(fn(*refined))
    else:
        simplex = x0 + np.array([[0, 0], [1e-3, 0], [0, 1e-3]])
        found = optimize.minimize(lambda p: float(fn(p)), x0, method="Nelder-Mead",
                                  options={"initial_simplex": simplex, "xatol": 1e-11,
                                           "fatol": 1e-15, "maxiter": 5000})
        refined = found.x
    assert np.abs(refined - x0).max() <= _tol(m.location_tol) + 1e-8
    assert abs(float(fn(refined)) - m.value) <= _tol(m.value_tol)
    assert float(fn(refined)) <= float(fn(x0)) + 1e-12


def test_mccormick_closed_form():
    # grad = 0  <=>  cos(x + y) = -1/2 and x - y = 1.
    fn = tf.get("mccormick")
    x, y = 0.5 - PI / 3, -0.5 - PI / 3
    assert float(fn(x, y)) == pytest.approx(-math.sqrt(3) / 2 - PI / 3, abs=1e-15)
    np.testing.assert_allclose(fn.minima[0].location, (x, y), atol=1e-5)


SMOOTH = [(f, i) for f, i in WITH_MINIMA if f.smooth]


@pytest.mark.parametrize(("fn", "i"), SMOOTH, ids=[f"{f.name}-{i}" for f, i in SMOOTH])
def test_autodiff_gradient_vanishes_at_smooth_minima(fn, i):
    """Near x*, grad f(x) ≈ H (x − x*): at a location rounded to δ, |grad f| ≤ ‖H‖ · δ√2."""
    m = fn.minima[i]
    p = np.array(m.location)
    g = grad(fn)(p)
    H = hessian(fn)(p)
    bound = 1.5 * np.linalg.norm(H, 2) * m.location_tol * math.sqrt(2) + 1e-9
    assert np.linalg.norm(g) <= bound
    # and it is a minimum, not a saddle: the Hessian is positive definite
    assert np.linalg.eigvalsh(H).min() > 0


def test_eggholder_edge_minimum_conditions():
    # Constrained minimum on x <= 512: df/dy = 0 and df/dx < 0 (f falls towards the edge).
    fn = tf.get("eggholder")
    g = grad(fn)(np.array([512.0, 404.231805]))
    assert abs(g[1]) < 1e-4 and g[0] < -1


@pytest.mark.parametrize("name", ["ackley", "bukin_n6"])
def test_nonsmooth_minima_rise_in_every_direction(name):
    """No gradient at a kink; instead f(x* + h d) > f(x*) for small h in every direction d."""
    fn = tf.get(name)
    m = fn.minima[0]
    angles = np.linspace(0, 2 * PI, 64, endpoint=False)
    directions = np.column_stack([np.cos(angles), np.sin(angles)])
    for h in (1e-6, 1e-4, 1e-2):
        assert (fn(np.array(m.location) + h * directions) > m.value).all()


@pytest.mark.parametrize("fn", ALL, ids=IDS)
def test_dense_grid_finds_nothing_lower(fn):
    (x_lo, x_hi), (y_lo, y_hi) = fn.domain
    _, _, Z = fn.grid(2001, fn.domain)
    if fn.minima:
        worst = max(_tol(m.value_tol) for m in fn.minima)
        assert Z.min() >= fn.min_value - worst
        # and the grid's best point is close to one of the listed minima, in value
        assert Z.min() - fn.min_value < 0.05 * max(1.0, abs(fn.min_value))
    else:
        # saddles: unbounded below, so the lowest value on the box sits on its edge
        i, j = np.unravel_index(np.argmin(Z), Z.shape)
        assert i in (0, Z.shape[0] - 1) or j in (0, Z.shape[1] - 1)


# -- saddles ----------------------------------------------------------------------------------


def test_saddle_is_a_saddle():
    fn = tf.get("saddle")
    assert fn.minima == () and math.isnan(fn.min_value)
    p = np.array(fn.saddle_points[0])
    np.testing.assert_allclose(grad(fn)(p), 0.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(hessian(fn)(p)), [-2.0, 2.0])
    assert float(fn(0.0, -1e3)) == -1e6  # unbounded below
    assert fn.nearest_minimum([1.0, 1.0]) == (None, pytest.approx(math.nan, nan_ok=True))


def test_monkey_saddle_is_degenerate():
    fn = tf.get("monkey_saddle")
    p = np.zeros(2)
    np.testing.assert_allclose(grad(fn)(p), 0.0)
    np.testing.assert_allclose(hessian(fn)(p), 0.0)


# -- autodiff: both modes, plain arrays -------------------------------------------------------


@pytest.mark.parametrize("fn", ALL, ids=IDS)
def test_forward_and_reverse_mode_agree_with_finite_differences(fn):
    h = 1e-6
    for p in _random_points(fn, 5, seed=1):
        reverse = grad(fn)(p)
        forward = np.array([jvp(fn, (p,), (e,))[1] for e in np.eye(2)])
        central = np.array([(float(fn(p + h * e)) - float(fn(p - h * e))) / (2 * h)
                            for e in np.eye(2)])
        np.testing.assert_allclose(forward, reverse, rtol=1e-10, atol=1e-10)
        scale = max(1.0, np.abs(reverse).max())
        np.testing.assert_allclose(reverse, central, rtol=0, atol=1e-5 * scale)


def test_autodiff_values_pass_through():
    fn = tf.get("rosenbrock")
    out = fn(Tensor(np.array([0.5, 0.5]), requires_grad=True))
    assert isinstance(out, Tensor)
    out.backward()
    dual = fn(Dual(np.array([0.5, 0.5]), np.array([1.0, 0.0])))
    assert isinstance(dual, Dual)


def test_plain_input_broadcasts_and_keeps_float32():
    fn = tf.get("himmelblau")
    x = np.linspace(-5, 5, 7)
    y = np.linspace(-5, 5, 3)[:, None]
    Z = fn(x, y)
    assert isinstance(Z, np.ndarray) and Z.shape == (3, 7) and Z.dtype == np.float64
    np.testing.assert_array_equal(fn(np.stack(np.broadcast_arrays(x, y), axis=-1)), Z)
    assert fn(x.astype(np.float32), y.astype(np.float32)).dtype == np.float32
    assert float(fn(3, 2)) == 0.0


def test_grid_and_nearest_minimum():
    fn = tf.get("himmelblau")
    X, Y, Z = fn.grid(11)
    assert X.shape == Y.shape == Z.shape == (11, 11)
    np.testing.assert_array_equal(Z, fn(X, Y))
    best, distance = fn.nearest_minimum([3.5, -1.9])
    assert best is fn.minima[3] and distance == pytest.approx(math.hypot(0.084428, 0.051874))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda f: f(np.zeros(3)), ValueError, r"p must hold points \(x, y\)"),
        (lambda f: f(np.zeros((4, 3))), ValueError, r"shape \(4, 3\)"),
        (lambda f: f(1.0, "a"), TypeError, "y"),
        (lambda f: f(np.nan, 1.0), ValueError, "x"),
        (lambda f: f([True, False]), TypeError, "p"),
        (lambda f: f.grid(1), ValueError, "n must be in"),
        (lambda f: f.grid(10, window=((1, 0), (0, 1))), ValueError, "window must be"),
        (lambda f: f.nearest_minimum([1.0, 2.0, 3.0]), ValueError, "point must have 2"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call(tf.get("rosenbrock"))


# -- races ------------------------------------------------------------------------------------


def test_race_matches_minimize_and_scores_each_run():
    from fromscratch.optim import minimize

    fn = tf.get("rosenbrock")
    runs = tf.race(fn, ["nesterov", "newton"], lr=[1e-3, 1.0], steps=300, tol=1e-6)
    assert [r.name for r in runs] == ["nesterov", "newton"]
    reference = minimize(fn, np.array(fn.start), "sgd", steps=300, tol=0.0, lr=1e-3,
                         momentum=0.9, nesterov=True)
    np.testing.assert_array_equal(runs[0].result.trajectory, reference.trajectory)
    assert runs[0].hyper == {"momentum": 0.9, "nesterov": True, "lr": 1e-3}
    newton = runs[1]
    assert newton.gap == 0.0 and newton.distance == 0.0
    k = newton.steps_to_tol
    assert newton.result.losses[k] <= 1e-6 < newton.result.losses[k - 1]
    assert runs[0].steps_to_tol is None  # 300 steps are not enough for SGD with momentum


def test_race_defaults_and_saddle():
    runs = tf.race("saddle", ["adam"], steps=20)
    assert runs[0].hyper == {}  # Adam's own default lr
    np.testing.assert_array_equal(runs[0].result.trajectory[0], tf.get("saddle").start)
    assert math.isnan(runs[0].gap) and runs[0].steps_to_tol is None


def test_race_keeps_a_diverged_run():
    runs = tf.race("rosenbrock", ["sgd"], lr=0.1, steps=100)
    assert runs[0].result.diverged and "learning rate" in runs[0].result.message


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"optimizers": "adam"}, TypeError, "list of names"),
        ({"optimizers": []}, ValueError, "at least one"),
        ({"optimizers": ["adamm"]}, ValueError, "Did you mean 'adam'"),
        ({"optimizers": ["adam", "sgd"], "lr": [1, 2, 3]}, ValueError, "one per optimizer"),
        ({"optimizers": ["adam"], "lr": -1.0}, ValueError, "lr must be positive"),
        ({"optimizers": ["adam"], "start": [1.0]}, ValueError, "start must be a point"),
        ({"optimizers": ["adam"], "steps": 0}, ValueError, "steps must be in"),
    ],
)
def test_race_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        tf.race("beale", **kwargs)


def test_the_old_module_name_is_a_deprecated_alias(monkeypatch):
    import importlib
    import sys

    monkeypatch.delitem(sys.modules, "fromscratch.testfunctions", raising=False)
    with pytest.warns(FutureWarning, match="renamed fromscratch.benchfunctions"):
        old = importlib.import_module("fromscratch.testfunctions")
    assert old is tf and old.get("rosenbrock") is tf.get("rosenbrock")
