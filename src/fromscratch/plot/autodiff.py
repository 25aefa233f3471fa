"""Pictures of automatic differentiation: computational graphs, derivatives, Jacobian cost.

Every function returns a matplotlib ``Figure`` and keeps no pyplot state; those that draw one
panel accept ``ax=`` so that a chapter can compose them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from fromscratch.autodiff.trace import EvaluationTrace
from fromscratch.plot._style import new_figure

__all__ = ["plot_trace", "plot_function_and_derivative", "plot_jacobian_cost"]


def _fmt(a: Any) -> str:
    a = np.asarray(a)
    return f"{float(a.reshape(())):.4g}" if a.size == 1 else f"shape {a.shape}"


def plot_trace(trace: EvaluationTrace, *, show: Sequence[str] = ("value", "tangent", "adjoint"),
               ax: Any = None, width: float = 9.0) -> Any:
    """The computational graph of an evaluation trace, drawn with matplotlib (no Graphviz).

    Variables are placed in columns by their depth (longest path from an input), inputs on the
    left and the output on the right; an arrow :math:`v_j \\to v_i` means :math:`v_i` reads
    :math:`v_j`. Each node shows its operation and the numbers named in ``show``
    (:math:`v`, the tangent :math:`\\dot v`, the adjoint :math:`\\bar v`).
    """
    allowed = {"value", "tangent", "adjoint"}
    if not set(show) <= allowed:
        raise ValueError(f"show must name some of {sorted(allowed)}; got {list(show)}.")
    depth = trace.depths()
    columns: dict[int, list[int]] = {}
    for v in trace.variables:
        columns.setdefault(depth[v.index], []).append(v.index)
    height = max(len(c) for c in columns.values())
    if ax is None:
        fig, ax = new_figure(width=width, height=1.0 + 1.25 * height)
    else:
        fig = ax.figure
    position = {}
    for d, members in columns.items():
        for k, index in enumerate(members):
            position[index] = (d, (len(members) - 1) / 2 - k)
    symbols = {"value": "v", "tangent": "\\dot v", "adjoint": "\\bar v"}
    for p, c in trace.edges():
        ax.annotate("", xy=position[c], xytext=position[p],
                    arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.2,
                                "shrinkA": 34, "shrinkB": 34})
    for v in trace.variables:
        lines = [f"$v_{{{v.index}}}$ = {v.expression if v.op != 'input' else 'input'}"]
        lines += [f"${symbols[s]}$ = {_fmt(getattr(v, s))}" for s in show]
        is_input, is_output = v.op == "input", v is trace.output
        face = "#dbe9f6" if is_input else ("#fde2c8" if is_output else "white")
        ax.text(*position[v.index], "\n".join(lines), ha="center", va="center", fontsize=8.5,
                bbox={"boxstyle": "round,pad=0.45", "fc": face, "ec": "0.3"})
    ax.set_xlim(-0.6, max(columns) + 0.6)
    ax.set_ylim(-height / 2 - 0.2, height / 2 + 0.2)
    ax.axis("off")
    return fig


def plot_function_and_derivative(x: np.ndarray, curves: dict[str, np.ndarray], *,
                                 title: str = "", ax: Any = None) -> Any:
    """Several curves over the same grid (e.g. f, f' by dual numbers, f' by hand)."""
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    styles = ["-", "--", ":", "-."]
    for k, (label, y) in enumerate(curves.items()):
        ax.plot(x, y, styles[k % len(styles)], lw=2 if k == 0 else 1.6, label=label)
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel("x")
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return fig


def plot_jacobian_cost(sizes: Sequence[int], forward: Sequence[float], reverse: Sequence[float],
                       *, varying: str, fixed: str, ax: Any = None) -> Any:
    """Time of a full Jacobian by forward and by reverse mode as one dimension grows.

    Forward mode builds :math:`J` one column per input (cost :math:`\\propto n`), reverse mode
    one row per output (cost :math:`\\propto m`); ``varying`` names the dimension on the x
    axis (e.g. ``"inputs n"``) and ``fixed`` the other (e.g. ``"m = 64"``).
    """
    if not (len(sizes) == len(forward) == len(reverse)):
        raise ValueError("sizes, forward and reverse must have the same length.")
    if ax is None:
        fig, ax = new_figure()
    else:
        fig = ax.figure
    ax.loglog(sizes, np.asarray(forward) * 1e3, "o-", label="forward mode (one JVP per input)")
    ax.loglog(sizes, np.asarray(reverse) * 1e3, "s-", label="reverse mode (one VJP per output)")
    ax.set_xlabel(f"number of {varying}")
    ax.set_ylabel("time for the full Jacobian (ms)")
    ax.set_title(f"{varying} grows, {fixed}")
    ax.legend(frameon=False, fontsize=8.5)
    return fig
