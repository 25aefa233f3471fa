r"""Pictures of a loss over two parameters :math:`\theta = (\theta_0, \theta_1)`: the bowl as a
surface beside its contours with the curves where each partial derivative vanishes, and the
field of descent directions :math:`-\nabla L` over the contours.

The functions take the loss and its gradient as callables of one point :math:`\theta` (shape
``(2,)``), so the same picture serves least squares (a quadratic: straight zero lines, one
crossing) and the log-loss (curved zero lines, no formula for their crossing). Every function
returns a matplotlib ``Figure`` and keeps no pyplot state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from fromscratch._validation import check_array, check_scalar
from fromscratch.plot._style import figure_and_axes

__all__ = ["plot_loss_bowl", "plot_gradient_field"]

#: The colours of the two partial derivatives' zero curves.
_PARTIAL_COLORS = ("tab:red", "tab:orange")


def _check_callable(value: Any, name: str) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be a callable of one point θ of shape (2,); got "
                        f"{type(value).__name__}.")


def _window(window: Any) -> np.ndarray:
    """``((lo0, hi0), (lo1, hi1))`` as a (2, 2) array with lo < hi."""
    box = check_array(window, name="window", dtype=np.float64)
    if box.shape != (2, 2) or not np.all(box[:, 0] < box[:, 1]):
        raise ValueError("window must be ((lo0, hi0), (lo1, hi1)) with lo < hi; got "
                         f"{box.tolist()}.")
    return box


def _on_grid(function: Callable[[np.ndarray], Any], window: np.ndarray, resolution: int,
             name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid ``T0, T1`` over the window and ``function`` at every grid point, stacked on a
    last axis (1 for a scalar function, 2 for a gradient)."""
    T0, T1 = np.meshgrid(np.linspace(*window[0], resolution), np.linspace(*window[1], resolution))
    values = np.array([np.ravel(function(np.array(theta)))
                       for theta in zip(T0.ravel(), T1.ravel(), strict=True)], dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} returned a non-finite value inside the window.")
    return T0, T1, values.reshape(*T0.shape, -1)


def _gap_levels(L: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """The loss above ``floor`` and geometric contour levels for it (the bowl and its bottom
    both show)."""
    gap = L - floor
    top = float(gap.max())
    bottom = max(float(gap[gap > 0].min()), top * 1e-6)
    return np.maximum(gap, bottom), np.geomspace(bottom, top, 20)


def _minimum(minimum: Any) -> np.ndarray | None:
    if minimum is None:
        return None
    point = check_array(minimum, name="minimum", ensure_2d=False, dtype=np.float64).reshape(-1)
    if point.shape != (2,):
        raise ValueError(f"minimum must be a point of shape (2,); got shape {point.shape}.")
    return point


class _Landscape(NamedTuple):
    """What both pictures draw: the loss on a grid (and above its floor, with contour levels),
    the gradient on a grid of its own, the window and the minimum."""

    box: np.ndarray
    minimum: np.ndarray | None
    T0: np.ndarray
    T1: np.ndarray
    L: np.ndarray
    shown: np.ndarray
    levels: np.ndarray
    G0: np.ndarray
    G1: np.ndarray
    G: np.ndarray


def _landscape(loss: Any, gradient: Any, window: Any, minimum: Any, resolution: Any,
               gradient_points: int | None = None) -> _Landscape:
    """Check the inputs and evaluate the loss (``resolution`` points per axis) and the
    gradient (``gradient_points`` per axis, default the same) over the window."""
    _check_callable(loss, "loss")
    _check_callable(gradient, "gradient")
    box = _window(window)
    resolution = check_scalar(resolution, "resolution", kind=int, min_val=10)
    point = _minimum(minimum)
    T0, T1, L = _on_grid(loss, box, resolution, "loss")
    G0, G1, G = _on_grid(gradient, box, gradient_points or resolution, "gradient")
    if G.shape[-1] != 2:
        raise ValueError(f"gradient must return 2 partial derivatives; got {G.shape[-1]}.")
    L = L[..., 0]
    shown, levels = _gap_levels(L, float(loss(point)) if point is not None else float(L.min()))
    return _Landscape(box, point, T0, T1, L, shown, levels, G0, G1, G)


def plot_loss_bowl(
    loss: Callable[[np.ndarray], float],
    gradient: Callable[[np.ndarray], np.ndarray],
    window: Any,
    *,
    minimum: Any = None,
    parameter_names: tuple[str, str] = ("w", "b"),
    resolution: int = 60,
    title: str = "The loss over two parameters",
):
    r"""The loss as a surface (left) and as contours (right) with the two curves
    :math:`\partial L/\partial\theta_0 = 0` and :math:`\partial L/\partial\theta_1 = 0`.

    The minimum of a smooth convex loss is where both partial derivatives vanish: where the two
    curves cross. For least squares the partial derivatives are linear in :math:`\theta`, the
    curves are straight lines and their crossing solves a linear system (the normal
    equations); for the log-loss they are curves, and no formula gives the crossing.

    Parameters
    ----------
    loss : callable
        :math:`L(\theta)` for one point of shape (2,).
    gradient : callable
        :math:`\nabla L(\theta)`, shape (2,) (e.g. the library's hand-derived gradient).
    window : ((lo0, hi0), (lo1, hi1))
        The region drawn.
    minimum : array-like of shape (2,), optional
        The minimizer (e.g. a fitted model's coefficients), marked with a star.
    parameter_names : pair of str
    resolution : int
        Grid points per axis.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    land = _landscape(loss, gradient, window, minimum, resolution)
    point = land.minimum
    fig = Figure(figsize=(12.0, 5.0), layout="constrained")
    surface = fig.add_subplot(1, 2, 1, projection="3d")
    surface.plot_surface(land.T0, land.T1, land.L, cmap="viridis", lw=0, alpha=0.85, rstride=2,
                         cstride=2)
    if point is not None:
        surface.scatter(*point, float(loss(point)), color="white", edgecolor="k", s=60,
                        depthshade=False)
    surface.set(xlabel=parameter_names[0], ylabel=parameter_names[1], zlabel="L",
                title="The bowl")
    contours = fig.add_subplot(1, 2, 2)
    contours.contourf(land.T0, land.T1, land.shown, levels=land.levels,
                      norm=LogNorm(land.levels[0], land.levels[-1]), cmap="viridis")
    handles = []
    for j, color in enumerate(_PARTIAL_COLORS):
        contours.contour(land.T0, land.T1, land.G[..., j], levels=[0.0], colors=color,
                         linewidths=2)
        handles.append(Line2D([], [], color=color, lw=2,
                              label=f"∂L/∂{parameter_names[j]} = 0"))
    if point is not None:
        contours.plot(*point, "*", color="white", markeredgecolor="k", ms=15)
        handles.append(Line2D([], [], marker="*", ls="none", color="white",
                              markeredgecolor="k", ms=12, label="minimum"))
    contours.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.85)
    contours.set(xlabel=parameter_names[0], ylabel=parameter_names[1],
                 title="Contours (log-spaced) and the zero curves of the partial derivatives")
    fig.suptitle(title)
    return fig


def plot_gradient_field(
    loss: Callable[[np.ndarray], float],
    gradient: Callable[[np.ndarray], np.ndarray],
    window: Any,
    *,
    minimum: Any = None,
    arrows: int = 12,
    resolution: int = 100,
    parameter_names: tuple[str, str] = ("w", "b"),
    ax: Any = None,
    title: str = "The gradient field",
):
    r"""Arrows of the descent direction :math:`-\nabla L(\theta)` on an ``arrows`` ×
    ``arrows`` grid over the contours of :math:`L`.

    Each arrow is the step gradient descent would take from its tail (up to the learning rate):
    perpendicular to the contour through it, long where the bowl is steep, vanishing at the
    minimum. The arrows share one scale, so their lengths compare.

    Parameters
    ----------
    loss, gradient : callable
        :math:`L(\theta)` and :math:`\nabla L(\theta)` for one point of shape (2,).
    window : ((lo0, hi0), (lo1, hi1))
    minimum : array-like of shape (2,), optional
        Marked with a star; the contours are then log-spaced in :math:`L - L(\theta^*)`.
    arrows : int
        Arrows per axis.
    resolution : int
        Grid points per axis for the contours.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.colors import LogNorm

    arrows = check_scalar(arrows, "arrows", kind=int, min_val=2)
    land = _landscape(loss, gradient, window, minimum, resolution, gradient_points=arrows)
    fig, ax = figure_and_axes(ax, width=6.4, height=5.2)
    norm = LogNorm(land.levels[0], land.levels[-1])
    ax.contourf(land.T0, land.T1, land.shown, levels=land.levels, norm=norm, cmap="viridis",
                alpha=0.8)
    ax.contour(land.T0, land.T1, land.shown, levels=land.levels[::2], colors="white",
               linewidths=0.4, alpha=0.6)
    ax.quiver(land.G0, land.G1, -land.G[..., 0], -land.G[..., 1], color="tab:red",
              angles="xy", pivot="tail", width=0.004, label="−∇L")
    if land.minimum is not None:
        ax.plot(*land.minimum, "*", color="white", markeredgecolor="k", ms=15, label="minimum")
    box = land.box
    ax.set(xlim=tuple(box[0]), ylim=tuple(box[1]), xlabel=parameter_names[0],
           ylabel=parameter_names[1], title=title)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
    return fig
