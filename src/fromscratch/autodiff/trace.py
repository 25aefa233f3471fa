"""Evaluation traces (Wengert lists): a function as a sequence of elementary operations.

Running ``f`` on Tensors records every primitive it applies. Numbered as in Griewank & Walther
and in Baydin et al. (2018), the inputs are :math:`v_{1-n}, \\dots, v_0` and each intermediate
is one elementary operation of earlier ones, :math:`v_i = \\varphi_i(v_j, v_k)`. On that list:

* the **forward (tangent) sweep** runs top to bottom:
  :math:`\\dot v_i = \\sum_j \\partial\\varphi_i/\\partial v_j \\; \\dot v_j`
  (the JVP rules), from a seed :math:`\\dot x`;
* the **reverse (adjoint) sweep** runs bottom to top:
  :math:`\\bar v_j = \\sum_{i} \\bar v_i \\; \\partial\\varphi_i/\\partial v_j`
  (the VJP rules), from :math:`\\bar y = 1`.

:func:`trace` returns an :class:`EvaluationTrace` with the primal value, tangent and adjoint
of every variable: a table (``.rows()``, ``str(trace)``), Graphviz source (``.to_dot()``), and
the node/edge layout that :func:`fromscratch.plot.autodiff.plot_trace` draws with matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fromscratch.autodiff._core import STATE, as_float_array, check_callable, new_level
from fromscratch.autodiff.numpy import broadcast_to
from fromscratch.autodiff.reverse import Tensor, backprop

__all__ = ["trace", "EvaluationTrace", "TraceVariable"]

_INFIX = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "power": "**",
          "matmul": "@"}


@dataclass
class TraceVariable:
    """One line of the Wengert list: :math:`v_i = \\varphi_i(\\dots)` with its three numbers."""

    index: int  # i in v_i: 1-n..0 for the inputs, 1..l for the operations
    op: str  # "input" or the primitive's name
    expression: str  # e.g. "log(v_-1)" or "v_-1 * v_0"
    parents: list[int]  # indices of the variables it reads
    value: np.ndarray
    tangent: np.ndarray
    adjoint: np.ndarray

    @property
    def name(self) -> str:
        return f"v_{self.index}"


@dataclass
class EvaluationTrace:
    """The recorded trace of ``f`` at a point, with forward tangents and reverse adjoints."""

    variables: list[TraceVariable] = field(default_factory=list)
    n_inputs: int = 0

    @property
    def output(self) -> TraceVariable:
        return self.variables[-1]

    def rows(self, digits: int = 4) -> list[list[str]]:
        """``[name, expression, value, tangent, adjoint]`` per variable, formatted."""
        return [[v.name, v.expression, _fmt(v.value, digits), _fmt(v.tangent, digits),
                 _fmt(v.adjoint, digits)] for v in self.variables]

    COLUMNS = ("variable", "operation", "value v", "tangent v\u0307", "adjoint v\u0304")

    def __str__(self) -> str:
        table = [list(self.COLUMNS), *self.rows()]
        widths = [max(len(row[c]) for row in table) for c in range(len(self.COLUMNS))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                 for row in table]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def edges(self) -> list[tuple[int, int]]:
        """(parent index, child index) for every use of a variable by an operation."""
        return [(p, v.index) for v in self.variables for p in v.parents]

    def depths(self) -> dict[int, int]:
        """Longest distance from an input: the column of each variable in a graph drawing."""
        depth: dict[int, int] = {}
        for v in self.variables:  # evaluation order: parents come first
            depth[v.index] = 1 + max((depth[p] for p in v.parents), default=-1)
        return depth

    def to_dot(self) -> str:
        """Graphviz ``digraph`` source of the computational graph (render with ``dot -Tpng``)."""
        lines = ["digraph trace {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
        for v in self.variables:
            shape = "ellipse" if v.op == "input" else "box"
            label = (f"{v.name} = {v.expression}\\nvalue {_fmt(v.value, 4)}"
                     f"\\ntangent {_fmt(v.tangent, 4)}\\nadjoint {_fmt(v.adjoint, 4)}")
            lines.append(f'  "{v.name}" [label="{label}", shape={shape}];')
        for p, c in self.edges():
            lines.append(f'  "v_{p}" -> "v_{c}";')
        lines.append("}")
        return "\n".join(lines)


def _fmt(a: Any, digits: int) -> str:
    a = np.asarray(a)
    if a.size == 1:
        return f"{float(a.reshape(())):.{digits}g}"
    return f"array{a.shape}"


def _const(a: Any) -> str:
    if np.ndim(a) == 0 and isinstance(a, (int, float, np.number, np.ndarray)):
        return f"{float(a):g}"
    return "array" + str(np.shape(a)) if isinstance(a, np.ndarray) else repr(a)


def trace(
    f: Callable[..., Any],
    *args: Any,
    tangents: tuple[Any, ...] | None = None,
    cotangent: Any = None,
) -> EvaluationTrace:
    """Record the evaluation trace of ``f(*args)`` with forward tangents and reverse adjoints.

    Parameters
    ----------
    f : callable
        Built from :mod:`fromscratch.autodiff.numpy` functions and operators.
    *args : array-like
        The inputs :math:`v_{1-n}, \\dots, v_0`.
    tangents : tuple of array-like, optional
        The forward seed :math:`\\dot x`, one per input. Default: 1 for the first input
        (every element), 0 for the others, i.e. :math:`\\partial/\\partial x_1`.
    cotangent : array-like, optional
        The reverse seed :math:`\\bar y`; default 1 (``f`` should then return a scalar).

    Examples
    --------
    The example of Baydin et al. (2018), :math:`f = \\ln x_1 + x_1 x_2 - \\sin x_2` at (2, 5).
    Operations are numbered in the order Python evaluates them (here ``sin`` after ``+``):

    >>> import fromscratch.autodiff.numpy as anp
    >>> t = trace(lambda x1, x2: anp.log(x1) + x1 * x2 - anp.sin(x2), 2.0, 5.0)
    >>> [v.expression for v in t.variables]
    ['x_1', 'x_2', 'log(v_-1)', 'v_-1 * v_0', 'v_1 + v_2', 'sin(v_0)', 'v_3 - v_4']
    >>> round(float(t.variables[0].adjoint), 3), round(float(t.variables[1].adjoint), 3)
    (5.5, 1.716)
    """
    check_callable(f, "f")
    if not args:
        raise ValueError("trace needs the point to evaluate at: trace(f, x, ...).")
    xs = [as_float_array(a, f"args[{i}]") for i, a in enumerate(args)]
    if tangents is None:
        tangents = tuple(np.ones_like(x) if i == 0 else np.zeros_like(x)
                         for i, x in enumerate(xs))
    if not isinstance(tangents, (tuple, list)) or len(tangents) != len(xs):
        raise ValueError(f"tangents must be a tuple with one tangent per input ({len(xs)}).")
    seeds = []
    for i, (x, t) in enumerate(zip(xs, tangents, strict=True)):
        t = as_float_array(t, f"tangents[{i}]")
        if t.shape != x.shape:
            raise ValueError(f"tangents[{i}] has shape {t.shape}; input {i} has {x.shape}.")
        seeds.append(t)

    tape: list[Tensor] = []
    previous, STATE.tape = STATE.tape, tape
    try:
        with new_level() as level:
            leaves = [Tensor._leaf(x, level) for x in xs]
            out = f(*leaves)
    finally:
        STATE.tape = previous
    if not (isinstance(out, Tensor) and out._level == level and out.requires_grad):
        raise ValueError("f's output does not depend on its inputs; there is nothing to trace.")
    if cotangent is None:
        if out.data.size != 1:
            raise ValueError(f"f returns shape {out.shape}; pass cotangent= of that shape.")
        cotangent = np.ones(out.shape, dtype=out.dtype)
    else:
        cotangent = as_float_array(cotangent, "cotangent")
        if cotangent.shape != out.shape:
            raise ValueError(f"cotangent has shape {cotangent.shape}; f returns {out.shape}.")
    adjoints = backprop(out, cotangent, keep_all=True)

    n = len(leaves)
    number = {leaf: i + 1 - n for i, leaf in enumerate(leaves)}
    tangent: dict[Tensor, Any] = dict(zip(leaves, seeds, strict=True))
    result = EvaluationTrace(n_inputs=n)
    for leaf, x in zip(leaves, xs, strict=True):
        result.variables.append(TraceVariable(
            number[leaf], "input", f"x_{number[leaf] + n}", [], x, tangent[leaf],
            np.asarray(adjoints.get(leaf, np.zeros_like(x)))))
    for node in (t for t in tape if t in adjoints):  # only what the output depends on
        number[node] = len(number) - n + 1
        names = list(map(_const, node._args))
        for p, i in zip(node._parents, node._argnums, strict=True):
            names[i] = f"v_{number[p]}"
        prim = node._prim
        if prim.name in _INFIX and len(names) == 2:
            expression = f"{names[0]} {_INFIX[prim.name]} {names[1]}"
        elif prim.name == "negative":
            expression = f"-{names[0]}"
        else:
            expression = f"{prim.name}({', '.join(names)})"
        dv = None  # forward sweep: the JVP rule of each input that carries a tangent
        for p, i in zip(node._parents, node._argnums, strict=True):
            d = prim.jvps[i](tangent[p], node.data, *node._args, **node._kwargs)
            dv = d if dv is None else dv + d
        tangent[node] = np.asarray(broadcast_to(dv, node.shape) if dv.shape != node.shape
                                   else dv)
        result.variables.append(TraceVariable(
            number[node], prim.name, expression, [number[p] for p in node._parents],
            node.data, tangent[node], np.asarray(adjoints[node])))
    return result
