"""Figures of the introduction: distances to a known answer, and the size of the library."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from fromscratch.plot._style import new_figure

__all__ = ["plot_distances", "plot_lines_per_package"]


def plot_distances(distances: Mapping[str, float], bounds: Mapping[str, float]) -> Any:
    """Bars of each solver's relative distance to a known answer (log scale), with the bound it
    was predicted to meet drawn as a tick above it."""
    names = list(distances)
    if set(names) != set(bounds):
        raise ValueError("distances and bounds must name the same solvers.")
    values = np.array([max(distances[n], np.finfo(float).tiny) for n in names])
    limits = np.array([bounds[n] for n in names])
    fig, ax = new_figure(width=6.4, height=3.6)
    positions = np.arange(len(names))
    ax.bar(positions, values, color="#2f5fb3", label="distance to the truth, relative")
    ax.scatter(positions, limits, marker="_", s=900, linewidths=3, color="#b3261e",
               label="predicted bound", zorder=3)
    ax.set_yscale("log")
    ax.set_xticks(positions, names)
    ax.set_ylabel(r"$\max_j |w_j - w^*_j| \;/\; \max_j |w^*_j|$")
    ax.set_ylim(min(values.min(), limits.min()) / 10, max(values.max(), limits.max()) * 10)
    ax.legend(loc="upper left", fontsize=9)
    ax.set_title("Three roads to the least-squares answer")
    return fig


def plot_lines_per_package(lines: Mapping[str, int]) -> Any:
    """Horizontal bars: lines of code in each package, largest first."""
    if not lines:
        raise ValueError("lines is empty: no package to draw.")
    ordered = sorted(lines.items(), key=lambda item: item[1])
    fig, ax = new_figure(width=6.4, height=0.28 * len(ordered) + 1.2)
    ax.barh([name for name, _ in ordered], [count for _, count in ordered], color="#2f5fb3")
    ax.set_xlabel("lines of Python (docstrings and comments included)")
    ax.set_title(f"fromscratch: {sum(lines.values()):,} lines, no solver borrowed")
    return fig
