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
