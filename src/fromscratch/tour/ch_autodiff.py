"""Chapter: automatic differentiation, forward (dual numbers) and reverse (adjoints) mode.

Part 1 (topics E1–E5) is in :mod:`._autodiff_forward`, part 2 (F1–F6) in
:mod:`._autodiff_reverse`; this module opens the chapter, closes it with the errors that refuse
to drop a derivative, and records where each topic is taught.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import ConcretizationTypeError, grad, stop_gradient
from fromscratch.tour import _autodiff_forward as part1
from fromscratch.tour import _autodiff_reverse as part2

if TYPE_CHECKING:
    from fromscratch.tour.chapter import Chapter

TITLE = "Automatic differentiation"

#: Where each curriculum topic is taught: its section, its figure and one of its checks.
TOPICS = {**part1.TOPICS, **part2.TOPICS}


def run(ch: Chapter) -> None:
    rng = np.random.default_rng(0)  # one stream, drawn from in the order of the sections
    _introduction(ch)
    part1.dual_numbers(ch)
    part1.two_modes(ch, rng)
    part1.program(ch)
    part1.verification(ch, rng)
    part1.pros_and_cons(ch, rng)
    part2.chain_rule(ch, rng)
    trace = part2.evaluation_trace(ch)
    part2.computational_graph(ch, trace)
    part2.trace_implemented(ch, trace)
    part2.reverse_worked_example(ch, trace)
    part2.reverse_implemented(ch, rng)
    _no_silent_drops(ch)


def _introduction(ch: Chapter) -> None:
    ch.text(
        "Every model in this tour is trained by following a gradient. Writing gradients by hand "
        "is error-prone (a missing $1/n$, a transposed matrix), and finite differences are "
        "slow ($n$ evaluations for $n$ parameters) and inexact. *Automatic differentiation* "
        "(AD) gets exact derivatives — exact up to floating point — at a small constant "
        "multiple of the cost of the function itself, by applying the chain rule to the "
        "elementary operations the program actually executes. The first part of this chapter "
        "builds forward mode from dual numbers and weighs it against reverse mode; the second "
        "breaks a program into its evaluation trace and builds reverse mode on it, on the "
        "worked example of Baydin et al. (2018), *Automatic differentiation in machine "
        "learning: a survey*. Everything is checked against derivatives by hand, the survey's "
        "tables and finite differences (the test suite also checks against PyTorch)."
    )


# -- never a silently dropped derivative -----------------------------------------------------------


def _no_silent_drops(ch: Chapter) -> None:
    ch.heading("No silently dropped derivatives")
    ch.text(
        "Reverse mode follows the values the program computes with `Tensor` operations and "
        "nothing else. A value that leaves that world — `float(x)`, `math.exp(x)`, "
        "`np.asarray(x)`, `x.item()`, or an assignment `B[0] = x` into a NumPy array — comes "
        "back as a plain number, and every derivative through it would be lost without a "
        "sound: $x \\cdot \\mathrm{float}(x)$ would have the derivative $x$ instead of $2x$. "
        "So inside `grad`, `jvp` and the other transformations each of these raises a "
        "`ConcretizationTypeError` (JAX's name for the same error) that says what to write "
        "instead: `anp.exp(x)`, or `stop_gradient(x)` where a constant is meant. NumPy's own "
        "functions, on the other hand, work: `np.exp(x)` or `np.sum(x)` on a traced value "
        "dispatch to the same rule table (NumPy's `__array_ufunc__` and `__array_function__` "
        "protocols), and a function without a rule raises instead of guessing."
    )
    try:
        grad(lambda x: x * float(x))(3.0)
        raised = False
    except ConcretizationTypeError:
        raised = True
    ch.check("float(x) inside grad raises instead of giving 3", "ConcretizationTypeError",
             0.0 if raised else 1.0, 0.0)
    ch.check_close("d/dx x·x at 3, and x·stop_gradient(x) (a constant by choice)", "6 and 3",
                   [grad(lambda x: x * x)(3.0), grad(lambda x: x * stop_gradient(x))(3.0)],
                   [6.0, 3.0], rtol=0)
    ch.check_close("grad through NumPy's own np.tanh and np.sum", "grad through anp",
                   grad(lambda x: np.sum(np.tanh(x) ** 2))(np.arange(3.0)),
                   grad(lambda x: anp.sum(anp.tanh(x) ** 2))(np.arange(3.0)), rtol=0)
