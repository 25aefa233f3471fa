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

:func:`forward_sweep` and :func:`reverse_sweep` are the two sweeps as the textbook writes them,
on the list itself. :func:`trace` records the list and runs both: it returns an
:class:`EvaluationTrace` with the primal value, tangent and adjoint of every variable: a table
(``.rows()``, ``str(trace)``), Graphviz source (``.to_dot()``), and the node/edge layout that
:func:`fromscratch.plot.autodiff.plot_trace` draws with matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fromscratch._kernels import replaceable
from fromscratch.autodiff._core import STATE, as_float_array, check_callable, new_level
from fromscratch.autodiff.numpy import broadcast_to, sum_to
from fromscratch.autodiff.reverse import Tensor

__all__ = ["trace", "EvaluationTrace", "TraceVariable", "forward_sweep", "reverse_sweep"]

Rule = Callable[[Any], Any]

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


# -- the two sweeps, as the textbook writes them (replaceable: fromscratch._kernels) --------------


@replaceable
def forward_sweep(parents: Sequence[Sequence[int]], jvps: Sequence[Sequence[Rule]],
                  seeds: Sequence[Any]) -> list[Any]:
    r"""The forward (tangent) sweep over an evaluation trace: every variable's tangent.

    The trace lists the variables :math:`v_0, \dots, v_{N-1}` in the order they were
    computed, the inputs first. Variable :math:`i` was computed from the variables
    ``parents[i]`` (earlier ones; none for an input), and ``jvps[i][k]`` is that operation's
    forward rule for its ``k``-th parent: given the parent's tangent, it returns what that
    tangent contributes to :math:`\dot v_i`, :math:`\partial\varphi_i/\partial v_j\,\dot v_j`.
    The chain rule adds up the contributions of every parent:

    .. math:: \dot v_i = \sum_{k} \frac{\partial \varphi_i}{\partial v_{j_k}}\, \dot v_{j_k},
        \qquad j_k = \text{parents}[i][k], \qquad i = n, n+1, \dots, N-1,

    from the inputs' tangents :math:`\dot v_0, \dots, \dot v_{n-1}` = ``seeds``, top to bottom:
    a parent's tangent is always known before it is needed. One sweep gives one directional
    derivative, :math:`\dot v_{N-1} = J\dot x`.

    Parameters
    ----------
    parents : list of lists of int
        For each variable, the indices of the variables it was computed from (a variable used
        twice appears twice).
    jvps : list of lists of callables
        For each variable, one forward rule per parent.
    seeds : list of arrays
        The tangents of the inputs, :math:`n` = ``len(seeds)``.

    Returns
    -------
    tangents : list of arrays
        :math:`\dot v_i` for every variable, the inputs' seeds first.
    """
    tangents = list(seeds)
    for i in range(len(seeds), len(parents)):
        tangent = 0
        for j, jvp in zip(parents[i], jvps[i], strict=True):
            tangent = tangent + jvp(tangents[j])
        tangents.append(tangent)
    return tangents


@replaceable
def reverse_sweep(values: Sequence[Any], parents: Sequence[Sequence[int]],
                  vjps: Sequence[Sequence[Rule]], seed: Any) -> list[Any]:
    r"""The reverse (adjoint) sweep over an evaluation trace: every variable's adjoint.

    The trace is that of :func:`forward_sweep`: variables :math:`v_0, \dots, v_{N-1}` in the
    order they were computed, the output last, with their ``values``; ``vjps[i][k]`` is the
    reverse rule of operation :math:`i` for its ``k``-th parent :math:`j`: given the adjoint
    :math:`\bar v_i`, it returns the parent's share, :math:`\bar v_i\,\partial\varphi_i /
    \partial v_j` (shaped like :math:`v_j`). Starting from :math:`\bar v_{N-1}` = ``seed``,
    bottom to top,

    .. math:: \bar v_j \mathrel{+}= \bar v_i\, \frac{\partial \varphi_i}{\partial v_j}
        \quad\text{for each parent } j \text{ of } v_i, \qquad i = N-1, N-2, \dots, 0 .

    A variable used by several operations (or twice by one) collects a share from each: the
    adjoints *accumulate*. Going bottom to top, every share of :math:`\bar v_i` has arrived
    before :math:`v_i` sends its own, since all of its users come after it. One sweep gives the
    whole gradient, :math:`\bar x = \bar y^\top J`, at a few times the cost of the function.

    Parameters
    ----------
    values : list of arrays
        The value of every variable (for the shape and dtype of its adjoint).
    parents : list of lists of int
        For each variable, the indices of the variables it was computed from.
    vjps : list of lists of callables
        For each variable, one reverse rule per parent.
    seed : array
        :math:`\bar v_{N-1}`, shaped like the output.

    Returns
    -------
    adjoints : list of arrays
        :math:`\bar v_i` for every variable, each shaped like its value (zero for a variable
        the output does not depend on).
    """
    adjoints = [np.zeros_like(value) for value in values]
    adjoints[-1] = adjoints[-1] + seed
    for i in reversed(range(len(values))):
        for j, vjp in zip(parents[i], vjps[i], strict=True):
            adjoints[j] = adjoints[j] + vjp(adjoints[i])
    return adjoints


@dataclass(frozen=True)
class _BoundRule:
    """One recorded operation's forward or reverse rule for one of its inputs, bound to the
    values of the forward pass: a function of one tangent (``"jvp"``) or one adjoint
    (``"vjp"``), whose result has the operation's shape or the input's."""

    node: Tensor
    argnum: int
    kind: str
    shape: tuple[int, ...]

    def __call__(self, v: Any) -> Any:
        node = self.node
        rules = node._prim.jvps if self.kind == "jvp" else node._prim.vjps
        d = rules[self.argnum](v, node._value, *node._args, **node._kwargs)
        if np.shape(d) == self.shape:
            return d
        return broadcast_to(d, self.shape) if self.kind == "jvp" else sum_to(d, self.shape)

    def __repr__(self) -> str:
        return f"<{self.node._prim.name}'s {self.kind} rule for input {self.argnum}>"


def _depends_on(tape: list[Tensor], out: Tensor) -> list[Tensor]:
    """The recorded operations ``out`` depends on (itself included), in evaluation order."""
    needed = {out}
    for node in reversed(tape):
        if node in needed:
            needed.update(node._parents)
    return [node for node in tape if node in needed]


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
    if out._prim is None:
        raise ValueError("f returns one of its inputs unchanged; there is no operation to "
                         "trace.")
    if cotangent is None:
        if out.data.size != 1:
            raise ValueError(f"f returns shape {out.shape}; pass cotangent= of that shape.")
        cotangent = np.ones(out.shape, dtype=out.dtype)
    else:
        cotangent = as_float_array(cotangent, "cotangent")
        if cotangent.shape != out.shape:
            raise ValueError(f"cotangent has shape {cotangent.shape}; f returns {out.shape}.")

    # The Wengert list: the inputs, then the operations the output depends on, in order.
    n = len(leaves)
    nodes = [*leaves, *_depends_on(tape, out)]
    position = {node: k for k, node in enumerate(nodes)}
    parents = [[position[p] for p in node._parents] for node in nodes]
    jvps = [[_BoundRule(node, i, "jvp", node.shape) for i in node._argnums]
            if node._prim is not None else [] for node in nodes]
    vjps = [[_BoundRule(node, i, "vjp", p.shape)
             for p, i in zip(node._parents, node._argnums, strict=True)]
            if node._prim is not None else [] for node in nodes]
    tangents = forward_sweep(parents, jvps, seeds)
    adjoints = reverse_sweep([node.data for node in nodes], parents, vjps, cotangent)

    result = EvaluationTrace(n_inputs=n)
    for k, node in enumerate(nodes):
        number = k + 1 - n  # v_{1-n}, ..., v_0 for the inputs, v_1, v_2, ... after them
        parent_numbers = [j + 1 - n for j in parents[k]]
        if node._prim is None:
            op, expression = "input", f"x_{k + 1}"
        else:
            op, expression = node._prim.name, _expression(node, parent_numbers)
        result.variables.append(TraceVariable(
            number, op, expression, parent_numbers, node.data, np.asarray(tangents[k]),
            np.asarray(adjoints[k])))
    return result


def _expression(node: Tensor, parent_numbers: list[int]) -> str:
    """How the operation reads, e.g. ``"log(v_-1)"`` or ``"v_-1 * v_0"``."""
    names = list(map(_const, node._args))
    for number, i in zip(parent_numbers, node._argnums, strict=True):
        names[i] = f"v_{number}"
    name = node._prim.name
    if name in _INFIX and len(names) == 2:
        return f"{names[0]} {_INFIX[name]} {names[1]}"
    if name == "negative":
        return f"-{names[0]}"
    return f"{name}({', '.join(names)})"
