"""Shared figure helpers, so every module draws with the same look."""

from __future__ import annotations

from typing import Any


def new_figure(ncols: int = 1, nrows: int = 1, *, width: float = 6.4, height: float = 4.2,
               **kwargs: Any):
    """A Figure and its axes, made without pyplot's global state."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
    return fig, axes


def figure_and_axes(ax: Any, **size: float):
    """The Figure of ``ax`` and ``ax`` itself, or a new one-panel figure of ``size`` (for
    functions that draw into one panel and accept ``ax=`` so that figures can be composed)."""
    return (ax.figure, ax) if ax is not None else new_figure(**size)
