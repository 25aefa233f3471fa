r"""Chapters E and F, automatic differentiation: dual-number multiplication and division, the
two sweeps over an evaluation trace, and a reverse rule of the table.

The references are the library's own: the textbook dual arithmetic of
:mod:`fromscratch.autodiff.forward` (:func:`~fromscratch.autodiff.forward.dual_multiply`,
:func:`~fromscratch.autodiff.forward.dual_divide`, whose tangents are the table's forward rules
for ``multiply`` and ``divide``), the sweeps of :func:`fromscratch.autodiff.trace`
(:func:`~fromscratch.autodiff.trace.forward_sweep`, :func:`~fromscratch.autodiff.trace.
reverse_sweep`), and ``tanh``'s reverse rule in the table
(:func:`~fromscratch.autodiff.primitives.elementwise.tanh_vjp`).

Grading compares with them on random inputs (random evaluation traces for the sweeps, with
variables used twice), checks derivatives against central differences, and differentiates
functions through the engine with the learner's rule: ``jvp`` with a ``multiply`` or
``divide`` primitive whose forward rule is the learner's function, :func:`~fromscratch.autodiff.
trace` with the learner's sweep, and ``Tensor.backward`` through a network with the learner's
``tanh`` rule; the derivatives must be the engine's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Primitive, grad, jvp, trace
from fromscratch.autodiff.forward import dual_divide, dual_multiply
from fromscratch.autodiff.primitives.elementwise import tanh_vjp
from fromscratch.autodiff.trace import forward_sweep, reverse_sweep
from fromscratch.exercises._checks import FD_TOLERANCE, Results, in_library
from fromscratch.exercises._compare import difference, show
from fromscratch.exercises._core import Case, Check, CheckResult, Exercise, mistake
from fromscratch.exercises._core import elementwise_picture as _picture
from fromscratch.exercises._sampling import draw_dtype, draw_shape, log_uniform, normal
from fromscratch.exercises._sandbox import Guarded

__all__ = ["EXERCISES"]

# -- E1, E3: dual-number arithmetic --------------------------------------------------------------


def _dual_pair(denominator: bool) -> Callable[[np.random.Generator], Case]:
    """Random ``(a, a_dot, b, b_dot)``: b of a's shape or of a shape that broadcasts to it; a
    tangent is 0 now and then (a constant factor). For a denominator, ``|b|`` is 0.5 to 3."""

    def sample(rng: np.random.Generator) -> Case:
        shape, dtype = draw_shape(rng), draw_dtype(rng)
        b_shape = shape[int(rng.integers(0, len(shape) + 1)):]  # a suffix: it broadcasts
        a, a_dot = normal(rng, shape, dtype), normal(rng, shape, dtype)
        b, b_dot = normal(rng, b_shape, dtype), normal(rng, b_shape, dtype)
        if denominator:
            b = np.asarray(np.where(b < 0, -1, 1) * rng.uniform(0.5, 3.0, b_shape), dtype=dtype)
        if rng.random() < 0.3:
            (a_dot, b_dot)[int(rng.integers(2))][...] = 0
        return Case((a, a_dot, b, b_dot))

    return sample


def _along_the_tangent(operation: Callable[[Any, Any], Any], symbol: str) -> Check:
    r"""The tangent is the derivative of ``operation`` along :math:`(\dot a, \dot b)`: central
    differences :math:`(f(a + h\dot a, b + h\dot b) - f(a - h\dot a, b - h\dot b)) / 2h`."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        a, a_dot, b_dot = rng.normal(size=50), rng.normal(size=50), rng.normal(size=50)
        b = np.where(rng.random(50) < 0.5, -1, 1) * rng.uniform(0.5, 3.0, 50)
        h = 1e-6
        target = (operation(a + h * a_dot, b + h * b_dot)
                  - operation(a - h * a_dot, b - h * b_dot)) / (2 * h)
        result = learner(a, a_dot, b, b_dot)
        tangent = result[1] if isinstance(result, tuple) and len(result) == 2 else result
        problem = difference(("tangent",), tangent, target, tol=FD_TOLERANCE)
        return CheckResult(problem and (f"compared with central differences of {symbol} along "
                                        f"the tangents: {problem[0]}", problem[1]))

    return Check(f"finite differences of {symbol} along the tangents, at 50 points", run)


def _primitive(name: str, learner: Guarded) -> Primitive:
    """A twin of the table's binary primitive ``name`` whose value and forward rules come from
    the learner's dual arithmetic (each rule: one input's tangent, the other's zero)."""

    def value(a: Any, b: Any) -> Any:
        return learner(a, np.zeros_like(a), b, np.zeros_like(b))[0]

    return Primitive(name, value, jvp=(
        lambda t, ans, a, b: learner(a, t, b, np.zeros_like(b))[1],
        lambda t, ans, a, b: learner(a, np.zeros_like(a), b, t)[1],
    ))


def _through_jvp(name: str, functions: dict[str, Callable[..., Any]]) -> Check:
    """``jvp`` of functions written with ``op`` (the learner's twin of the table's ``name``, or
    the table's own) at random points: the values and tangents must be the engine's own."""

    def results(op: Callable[[Any, Any], Any], rng: np.random.Generator) -> Results:
        found = {}
        for label, f in functions.items():
            x, y = rng.normal(size=5), rng.uniform(0.5, 2.0, size=5)
            value, tangent = jvp(lambda x_, y_, f=f: f(op, x_, y_), (x, y),
                                 (rng.normal(size=5), rng.normal(size=5)))
            found[f"the value of {label}"] = value
            found[f"the tangent of {label}"] = tangent
        return found

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        seed = int(rng.integers(2**31))
        target = results(getattr(anp, name), np.random.default_rng(seed))
        yours = results(_primitive(name, learner), np.random.default_rng(seed))
        for label, value in target.items():
            problem = difference((label,), yours[label], value)
            if problem:
                return CheckResult((f"with your rule for {name}, jvp gives {problem[0]}",
                                    problem[1]))
        return CheckResult()

    return Check(f"in the engine: jvp of {', '.join(functions)} with {name}'s forward rule "
                 f"taken from your function", run)


_PRODUCTS = {
    "x^3 y": lambda mul, x, y: mul(mul(mul(x, x), x), y),
    "sin(x) x e^-y": lambda mul, x, y: mul(anp.sin(x), mul(x, anp.exp(-y))),
    "2 x y + x": lambda mul, x, y: mul(mul(2.0, x), y) + x,
}
_QUOTIENTS = {
    "x / (1 + y^2)": lambda div, x, y: div(x, 1 + y * y),
    "sin(x) / y": lambda div, x, y: div(anp.sin(x), y),
    "1 / (x^2 + y)": lambda div, x, y: div(1.0, x * x + y),
}


@mistake("tangents_multiplied")
def _tangents_multiplied(a, a_dot, b, b_dot):
    """The tangent is ȧḃ: that is the coefficient of ε², which is 0. The ε terms are ȧb + aḃ
    (the product rule)."""
    return a * b, a_dot * b_dot


@mistake("one_term_only")
def _first_term_only(a, a_dot, b, b_dot):
    """One term of the product rule is missing: the tangent is ȧb + aḃ; with ȧb alone, a constant
    first factor kills the derivative."""
    return a * b, a_dot * b


@mistake("sum_rule")
def _sum_rule(a, a_dot, b, b_dot):
    """The tangent is ȧ + ḃ: that is the rule for a + b; a product weighs each tangent by the other
    factor, ȧb + aḃ."""
    return a * b, a_dot + b_dot


@mistake("quotient_rule_sign")
def _quotient_rule_sign(a, a_dot, b, b_dot):
    """The quotient rule has a minus: (ȧb − aḃ)/b². Growing the denominator shrinks the quotient."""
    return a / b, (a_dot * b + a * b_dot) / (b * b)


@mistake("denominator_not_squared")
def _denominator_not_squared(a, a_dot, b, b_dot):
    """The denominator is b, not b²: (ȧb − aḃ)/b²."""
    return a / b, (a_dot * b - a * b_dot) / b


@mistake("numerator_only")
def _numerator_only(a, a_dot, b, b_dot):
    """The denominator's tangent is ignored: ȧ/b is the derivative only when b is a constant; the
    tangent is (ȧb − aḃ)/b²."""
    return a / b, a_dot / b


# -- F1, F6: the sweeps over an evaluation trace --------------------------------------------------


@dataclass(frozen=True)
class _Times:
    """The rule of an elementwise operation: multiply by its local derivative ``d`` (the same
    for the tangent going forward and the adjoint going back)."""

    d: np.ndarray

    def __call__(self, v: Any) -> Any:
        return v * self.d

    def __repr__(self) -> str:
        return f"<times {show(self.d)}>"


def _random_trace(rng: np.random.Generator) -> tuple[list, list, list, tuple, np.dtype]:
    """A random Wengert list of elementwise operations: 1 to 3 inputs, then 1 to 6 operations,
    each of one or two earlier variables (the same one twice, now and then)."""
    shape, dtype = draw_shape(rng, max_ndim=2, max_size=3), draw_dtype(rng)
    n_inputs, n_operations = int(rng.integers(1, 4)), int(rng.integers(1, 7))
    parents: list[list[int]] = [[] for _ in range(n_inputs)]
    for k in range(n_operations):
        parents.append([int(j) for j in rng.integers(0, n_inputs + k,
                                                     size=int(rng.integers(1, 3)))])
    rules = [[_Times(normal(rng, shape, dtype)) for _ in p] for p in parents]
    values = [normal(rng, shape, dtype) for _ in parents]
    return values, parents, rules, shape, dtype


def _forward_case(rng: np.random.Generator) -> Case:
    values, parents, rules, shape, dtype = _random_trace(rng)
    n_inputs = sum(not p for p in parents)
    return Case((parents, rules, [normal(rng, shape, dtype) for _ in range(n_inputs)]))


def _reverse_case(rng: np.random.Generator) -> Case:
    values, parents, rules, shape, dtype = _random_trace(rng)
    return Case((values, parents, rules, normal(rng, shape, dtype)))


def _baydin(x1: Any, x2: Any) -> Any:
    """The survey's example, ln x1 + x1 x2 - sin x2 (Baydin et al. 2018)."""
    return anp.log(x1) + x1 * x2 - anp.sin(x2)


_TRACED: dict[str, tuple[Callable[..., Any], tuple]] = {
    "ln x1 + x1 x2 - sin x2 at (2, 5)": (_baydin, (2.0, 5.0)),
    "x x + sin(x) x at 0.7 (x used three times)": (
        lambda x: x * x + anp.sin(x) * x, (0.7,)),
    "sum(x[:, None] y x[:, None]) (broadcasting)": (
        lambda x, y: anp.sum(x[:, None] * y * x[:, None]),
        (np.array([1.0, -2.0]), np.array([0.5, 3.0, -1.0]))),
}


def _traced(column: str) -> Callable[[], Results]:
    """Every variable's ``column`` ("tangent" or "adjoint") in the traces of :data:`_TRACED`."""

    def results() -> Results:
        found = {}
        for label, (f, args) in _TRACED.items():
            for variable in trace(f, *args).variables:
                found[f"{label}: {variable.name}'s {column}"] = getattr(variable, column)
        return found

    return results


@mistake("one_parent_only")
def _forward_one_parent(parents, jvps, seeds):
    """Only the first parent's contribution is kept: the chain rule sums the contributions of every
    input of an operation."""
    tangents = list(seeds)
    for i in range(len(seeds), len(parents)):
        tangents.append(jvps[i][0](tangents[parents[i][0]]))
    return tangents


@mistake("last_term_only")
def _forward_last_term(parents, jvps, seeds):
    """Each contribution replaces the one before: the tangent must add them up, one per parent."""
    tangents = list(seeds)
    for i in range(len(seeds), len(parents)):
        for j, jvp_rule in zip(parents[i], jvps[i], strict=True):
            tangent = jvp_rule(tangents[j])
        tangents.append(tangent)
    return tangents


@mistake("seeds_ignored")
def _forward_seeds_ignored(parents, jvps, seeds):
    """The inputs' tangents are 1, not the seeds: the seeds choose the direction of the
    derivative."""
    return forward_sweep(parents, jvps, [np.ones_like(s) for s in seeds])


@mistake("not_accumulated")
def _reverse_not_accumulated(values, parents, vjps, seed):
    """Each share replaces the adjoint instead of adding to it: a variable used twice
    (or by two operations) must collect both."""
    adjoints = [np.zeros_like(value) for value in values]
    adjoints[-1] = adjoints[-1] + seed
    for i in reversed(range(len(values))):
        for j, vjp_rule in zip(parents[i], vjps[i], strict=True):
            adjoints[j] = vjp_rule(adjoints[i])
    return adjoints


@mistake("top_down")
def _reverse_top_down(values, parents, vjps, seed):
    """The sweep runs from the first variable down: a variable sends its share before its own
    adjoint is complete. Go bottom to top."""
    adjoints = [np.zeros_like(value) for value in values]
    adjoints[-1] = adjoints[-1] + seed
    for i in range(len(values)):
        for j, vjp_rule in zip(parents[i], vjps[i], strict=True):
            adjoints[j] = adjoints[j] + vjp_rule(adjoints[i])
    return adjoints


@mistake("seed_ignored")
def _reverse_seed_ignored(values, parents, vjps, seed):
    """The output's adjoint starts at 1, not at the seed: the seed is ȳ, the direction of the
    vector-Jacobian product."""
    return reverse_sweep(values, parents, vjps, np.ones_like(seed))


# -- F5: tanh's reverse rule ---------------------------------------------------------------------


def _tanh_case(rng: np.random.Generator) -> Case:
    shape, dtype = draw_shape(rng), draw_dtype(rng)
    x = normal(rng, shape, dtype, log_uniform(rng, 0.1, 3.0))
    return Case((normal(rng, shape, dtype), np.tanh(x), x))


def _tanh_by_differences() -> Check:
    """``g`` times central differences of ``np.tanh``."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        x, g, h = rng.uniform(-3, 3, 200), rng.normal(size=200), 1e-6
        target = g * (np.tanh(x + h) - np.tanh(x - h)) / (2 * h)
        problem = difference(("x_bar",), learner(g, np.tanh(x), x), target, tol=FD_TOLERANCE)
        return CheckResult(problem and (f"compared with g times central differences of tanh: "
                                        f"{problem[0]}", problem[1]))

    return Check("g times finite differences of tanh at 200 points in [-3, 3]", run)


def _tanh_gradients() -> Results:
    """The gradients of a 3-5-2 tanh network's loss, and of a composition of tanh."""
    from fromscratch import nn

    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(16, 3)), rng.normal(size=(16, 2))
    model = nn.Sequential(nn.Linear(3, 5, random_state=0), nn.Tanh(),
                          nn.Linear(5, 2, random_state=1))
    nn.MSELoss()(model(X), Y).backward()
    found = {f"d loss / d {name}": p.grad for name, p in model.named_parameters()}
    x = rng.normal(size=4)
    found["grad of sum(tanh(x tanh(x)))"] = grad(lambda x_: anp.sum(anp.tanh(x_ * anp.tanh(x_))))(x)
    return found


@mistake("in_terms_of_x")
def _tanh_of_x(g, ans, x):
    """1 − x² uses the input: the derivative is 1 − tanh²x = 1 − ans²."""
    return g * (1 - x * x)


@mistake("adjoint_missing")
def _tanh_without_g(g, ans, x):
    """The incoming adjoint g is missing: the rule returns ḡ·∂y/∂x = g(1 − ans²), the chain rule's
    product."""
    return 1 - ans * ans


@mistake("sigmoid_derivative")
def _sigmoid_form(g, ans, x):
    """ans(1 − ans) is the sigmoid's derivative; tanh's is 1 − ans²."""
    return g * ans * (1 - ans)


@mistake("square_outside")
def _square_outside(g, ans, x):
    """(1 − ans)² squares the wrong thing: 1 − ans²."""
    return g * (1 - ans) ** 2


@mistake("sign_flip")
def _tanh_vjp_sign_flipped(g, ans, x):
    """The sign is flipped: tanh increases everywhere, so the adjoint keeps g's sign."""
    return -tanh_vjp(g, ans, x)


#: This module's exercises, in the registry of :mod:`fromscratch.exercises`.
EXERCISES = [
    Exercise(
        reference=dual_multiply, chapter="E1", title="Multiplying dual numbers",
        outputs=("value", "tangent"), sample=_dual_pair(denominator=False),
        hints=(
            "Multiply (a + a_dot eps)(b + b_dot eps) out and drop the eps^2 term.",
            "The value is a * b; the tangent collects the two eps terms: a_dot * b + a * b_dot "
            "(the product rule).",
        ),
        mistakes=(_tangents_multiplied, _first_term_only, _sum_rule),
        checks=(_along_the_tangent(np.multiply, "a b"), _through_jvp("multiply", _PRODUCTS)),
    ),
    Exercise(
        reference=dual_divide, chapter="E3", title="Dividing dual numbers",
        outputs=("value", "tangent"), sample=_dual_pair(denominator=True),
        requires=("dual_multiply",),
        hints=(
            "Multiply the numerator and the denominator by b - b_dot eps: the denominator "
            "becomes b^2 (the eps^2 term is 0).",
            "The tangent is (a_dot b - a b_dot) / b^2: the quotient rule, with a minus.",
            "With q = a / b it is (a_dot - q b_dot) / b, which never squares b.",
        ),
        mistakes=(_quotient_rule_sign, _denominator_not_squared, _numerator_only),
        checks=(_along_the_tangent(np.divide, "a / b"), _through_jvp("divide", _QUOTIENTS)),
    ),
    Exercise(
        reference=forward_sweep, chapter="F1", title="The forward sweep over a trace",
        outputs=("tangents",), sample=_forward_case,
        hints=(
            "The inputs' tangents are the seeds; then go down the list in order: every "
            "parent comes before its child.",
            "A variable's tangent is the sum over its parents of jvps[i][k](tangents[j]), "
            "j = parents[i][k]: the chain rule with several paths adds them.",
        ),
        mistakes=(_forward_one_parent, _forward_last_term, _forward_seeds_ignored),
        checks=(in_library(forward_sweep, _traced("tangent"),
                           "trace(...) tangents of three functions computed"),),
    ),
    Exercise(
        reference=tanh_vjp, chapter="F5", title="A reverse rule: tanh",
        outputs=("x_bar",), sample=_tanh_case,
        # with g = 1 the rule is the derivative itself: 1 - tanh(x)^2 against the learner's
        picture=_picture(-3, 3, "x (the adjoint g = 1)",
                         call=lambda func, x: func(np.ones_like(x), np.tanh(x), x)),
        hints=(
            "d/dx tanh x = 1 - tanh(x)^2, and tanh(x) is ans, already computed.",
            "The reverse rule multiplies the incoming adjoint g by that derivative.",
        ),
        mistakes=(_tanh_of_x, _tanh_without_g, _sigmoid_form, _square_outside,
                  _tanh_vjp_sign_flipped),
        checks=(_tanh_by_differences(),
                in_library(tanh_vjp, _tanh_gradients,
                           "a tanh network's gradients by Tensor.backward computed")),
    ),
    Exercise(
        reference=reverse_sweep, chapter="F6", title="The reverse sweep over a trace",
        outputs=("adjoints",), sample=_reverse_case, requires=("forward_sweep",),
        hints=(
            "Start every adjoint at zero (np.zeros_like(value)) and the output's at the seed.",
            "Go up the list, last variable first: by then every user of a variable has sent "
            "its share.",
            "A variable used twice gets two shares: add them, adjoints[j] = adjoints[j] + "
            "vjps[i][k](adjoints[i]).",
        ),
        mistakes=(_reverse_not_accumulated, _reverse_top_down, _reverse_seed_ignored),
        checks=(in_library(reverse_sweep, _traced("adjoint"),
                           "trace(...) adjoints of three functions computed"),),
    ),
]
