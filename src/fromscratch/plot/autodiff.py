"""Pictures of automatic differentiation: computational graphs, derivatives and tangent lines,
and the costs of the two modes.

Every function returns a matplotlib ``Figure`` and keeps no pyplot state; those that draw one
panel accept ``ax=`` so that a chapter can compose them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from fromscratch.autodiff.trace import EvaluationTrace
from fromscratch.plot._style import figure_and_axes, new_figure

__all__ = ["plot_trace", "plot_function_and_derivative", "plot_tangent", "plot_scaling",
           "plot_jacobian_cost"]


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
                                 title: str = "", xlabel: str = "x", ax: Any = None) -> Any:
    """Several curves over the same grid (e.g. f, f' by dual numbers, f' by hand)."""
    fig, ax = figure_and_axes(ax)
    styles = ["-", "--", ":", "-."]
    for k, (label, y) in enumerate(curves.items()):
        ax.plot(x, y, styles[k % len(styles)], lw=2 if k == 0 else 1.6, label=label)
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return fig


def _series(values: ArrayLike, size: int, name: str) -> np.ndarray:
    series = np.asarray(values, dtype=float)
    if series.shape != (size,):
        raise ValueError(f"{name} has {series.size} values for {size} sizes; give one per size.")
    return series


def plot_tangent(x: np.ndarray, y: np.ndarray, *, at: float, value: float, slope: float,
                 label: str = "f(x)", xlabel: str = "x", title: str = "", ax: Any = None) -> Any:
    """A curve and its tangent line :math:`y = f(a) + f'(a)\\,(x - a)` at one point.

    ``value`` and ``slope`` are :math:`f(a)` and :math:`f'(a)`, e.g. the two parts of
    :math:`f(a + \\varepsilon)` from one evaluation on a dual number. The tangent is drawn over
    the middle half of the grid's range around ``at``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"x and y must be 1-D arrays of the same length; got shapes {x.shape} "
                         f"and {y.shape}.")
    fig, ax = figure_and_axes(ax)
    ax.plot(x, y, lw=2, label=label)
    half = (x.max() - x.min()) / 4
    line = np.array([at - half, at + half])
    ax.plot(line, value + slope * (line - at), "--", color="tab:red",
            label=f"tangent, slope {slope:.4g}")
    ax.plot([at], [value], "o", color="tab:red")
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, fontsize=8.5)
    if title:
        ax.set_title(title)
    return fig


def plot_scaling(sizes: ArrayLike, measured: Mapping[str, ArrayLike], *,
                 predicted: Mapping[str, tuple[str, ArrayLike]] | None = None,
                 hlines: dict[str, float] | None = None, vlines: dict[str, float] | None = None,
                 xlabel: str = "size", ylabel: str = "", title: str = "",
                 xscale: str = "log", yscale: str = "log", ax: Any = None) -> Any:
    """Measured quantities against a size (a count, a step, a depth), with what theory predicts.

    Each measured series is drawn with markers; ``predicted`` maps a measured label to
    ``(formula label, values)``, drawn dashed in the same colour, so a reader sees at once
    whether a measurement follows its law. ``hlines`` and ``vlines`` mark levels and sizes
    (a bound, a recursion limit) by name.
    """
    sizes = np.asarray(sizes, dtype=float)
    predicted = predicted or {}
    unknown = set(predicted) - set(measured)
    if unknown:
        raise ValueError(f"predicted names {sorted(unknown)}, which are not measured series; "
                         f"its keys must be among {sorted(measured)}.")
    fig, ax = figure_and_axes(ax)
    markers = "osD^v<>"
    for k, (label, values) in enumerate(measured.items()):
        color = f"C{k}"
        ax.plot(sizes, _series(values, sizes.size, label), markers[k % len(markers)] + "-",
                color=color, lw=1.2, zorder=3, label=label)
        if label in predicted:  # wide and pale underneath, so it shows where they coincide
            formula, law = predicted[label]
            ax.plot(sizes, _series(law, sizes.size, formula), "--", color=color, lw=3.0,
                    alpha=0.45, zorder=2, label=formula)
    for label, level in (hlines or {}).items():
        ax.axhline(level, color="0.3", ls=":", lw=1.2, label=label)
    for label, where in (vlines or {}).items():
        ax.axvline(where, color="0.55", ls="-.", lw=1.2, label=label)
    ax.set_xscale(xscale)
    ax.set_yscale(yscale)
    if xscale == "log" and sizes.size <= 12:  # a few sizes: label exactly those
        from matplotlib.ticker import NullFormatter

        ax.set_xticks(sizes, [f"{s:,g}" for s in sizes])
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(frameon=False, fontsize=8)
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
    return plot_scaling(
        sizes, {"forward mode (one JVP per input)": np.asarray(forward) * 1e3,
                "reverse mode (one VJP per output)": np.asarray(reverse) * 1e3},
        xlabel=f"number of {varying}", ylabel="time for the full Jacobian (ms)",
        title=f"{varying} grows, {fixed}", ax=ax)
