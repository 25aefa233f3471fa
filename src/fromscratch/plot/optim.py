"""Pictures of optimization: test-function landscapes, optimizer paths, loss curves, animations.

Every function returns a matplotlib ``Figure`` (or writes a file) and keeps no pyplot state.
Functions that draw into one panel accept ``ax=`` so galleries can compose them; without it they
make their own figure.

Trajectories are given as a mapping from a label (e.g. ``"Adam"``) to an array of shape
``(n_steps + 1, 2)``: the start and then the point after each step.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar
from fromscratch.benchfunctions import TestFunction, get
from fromscratch.plot._style import new_figure

__all__ = [
    "plot_contour",
    "plot_surface",
    "plot_gallery",
    "plot_trajectories",
    "plot_loss_curves",
    "plot_race",
    "plot_per_step",
    "plot_paths_and_steps",
    "plot_weight_decay",
    "save_trajectory_animation",
]

#: One colour per optimizer, fixed so that a name keeps its colour across figures.
_COLORS = ("tab:red", "tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown",
           "tab:pink", "tab:olive", "tab:cyan", "black", "tab:gray")

#: Markers for named points (a fixed point, a penalized minimizer...), in order of appearance.
_POINT_MARKERS = ("D", "P", "s", "^", "v", "h")


def _landscape(fn: TestFunction, n: int, window: Any) -> tuple[Any, ...]:
    """Grid values and what to colour: ``f`` itself, or ``f − f_lo`` on a log scale.

    On a log scale the floor ``f_lo`` is the smaller of the known minimum and the lowest grid
    value, so every coloured value is positive; levels are spaced geometrically from just above
    the floor to the top, which resolves both the valley floor and the walls.
    """
    X, Y, Z = fn.grid(n, window)
    if not fn.log_scale:
        return X, Y, Z, np.linspace(Z.min(), Z.max(), 30), None
    from matplotlib.colors import LogNorm

    floor = np.nanmin([Z.min(), fn.min_value])
    shifted = Z - floor
    top = float(shifted.max())
    bottom = max(float(shifted[shifted > 0].min()), top * 1e-9)
    levels = np.geomspace(bottom, top, 30)
    return X, Y, np.maximum(shifted, bottom), levels, LogNorm(bottom, top)


def _mark_special_points(ax: Any, fn: TestFunction) -> None:
    locations = fn.minimum_locations
    if len(locations):
        ax.plot(locations[:, 0], locations[:, 1], linestyle="none", marker="*", markersize=13,
                color="white", markeredgecolor="black", label="global minimum", zorder=5)
    if fn.saddle_points:
        saddles = np.array(fn.saddle_points, dtype=float)
        ax.plot(saddles[:, 0], saddles[:, 1], linestyle="none", marker="X", markersize=9,
                color="white", markeredgecolor="black", label="saddle point", zorder=5)


def plot_contour(
    function: str | TestFunction,
    *,
    n: int = 300,
    window: Any = None,
    ax: Any = None,
    colorbar: bool = True,
):
    """Filled contour plot of a test function with its minima (stars) and saddle points (X).

    Parameters
    ----------
    function : str or TestFunction
        A registry name (see :func:`fromscratch.benchfunctions.names`) or the function.
    n : int
        Grid points per axis.
    window : ((x_lo, x_hi), (y_lo, y_hi)), optional
        Region to draw; default the function's plotting window.
    ax : matplotlib Axes, optional
        Draw into this panel instead of a new figure.
    colorbar : bool
        Add a colour bar (labelled :math:`f - f^*` on a log scale).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fn = get(function)
    n = check_scalar(n, "n", kind=int, min_val=2)
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(width=5.6, height=4.6)
    X, Y, C, levels, norm = _landscape(fn, n, window)
    filled = ax.contourf(X, Y, C, levels=levels, norm=norm, cmap="viridis")
    ax.contour(X, Y, C, levels=levels[::3], norm=norm, colors="white", linewidths=0.4,
               alpha=0.5)
    _mark_special_points(ax, fn)
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(fn.title)
    if colorbar:
        if norm is not None:
            from matplotlib.ticker import LogLocator

            bar = fig.colorbar(filled, ax=ax, shrink=0.9, ticks=LogLocator())
            bar.set_label("f − f* (log scale)")
        else:
            fig.colorbar(filled, ax=ax, shrink=0.9).set_label("f")
    return fig


def plot_surface(
    function: str | TestFunction, *, n: int = 120, window: Any = None, ax: Any = None
):
    """3-D surface of a test function with its minima marked.

    On a log-scale function the height is :math:`\\log_{10}(f - f^* + \\epsilon)` (labelled
    so), which keeps a deep valley visible next to walls that are orders of magnitude higher.
    ``ax`` must be a 3-D axes (``projection="3d"``) when given.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fn = get(function)
    n = check_scalar(n, "n", kind=int, min_val=2)
    if ax is None:
        fig = Figure(figsize=(5.6, 4.6), layout="constrained")
        ax = fig.add_subplot(projection="3d")
    fig = ax.figure
    X, Y, C, _, norm = _landscape(fn, n, window)
    height = np.log10(C) if norm is not None else C
    ax.plot_surface(X, Y, height, cmap="viridis", linewidth=0, antialiased=True,
                    rstride=1, cstride=1, alpha=0.9)
    locations = fn.minimum_locations
    if len(locations):
        # On the log scale f − f* is 0 at a minimum, clipped to the bottom of the surface.
        heights = (np.full(len(locations), height.min()) if norm is not None
                   else np.asarray(fn(locations[:, 0], locations[:, 1])))
        ax.scatter(locations[:, 0], locations[:, 1], heights, marker="*", s=120,
                   color="white", edgecolors="black", depthshade=False, zorder=5)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("log10(f − f*)" if norm is not None else "f")
    ax.set_title(fn.title)
    return fig


def plot_gallery(
    functions: Any = None,
    *,
    surface: bool = False,
    n: int = 100,
    ncols: int = 4,
    panel_size: float = 3.2,
):
    """Many test functions side by side: contours (default) or 3-D surfaces, minima marked.

    Parameters
    ----------
    functions : iterable of str or TestFunction, optional
        Default: every registered function, in gallery order.
    surface : bool
        Draw 3-D surfaces instead of filled contours.
    n : int
        Grid points per axis in each panel.
    ncols : int
        Panels per row.
    panel_size : float
        Width and height of one panel, in inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    from fromscratch.benchfunctions import all_functions

    fns = all_functions() if functions is None else [get(f) for f in functions]
    if not fns:
        raise ValueError("functions must name at least one test function; got none.")
    ncols = check_scalar(ncols, "ncols", kind=int, min_val=1)
    ncols = min(ncols, len(fns))
    nrows = -(-len(fns) // ncols)
    fig = Figure(figsize=(panel_size * ncols, panel_size * nrows), layout="constrained")
    for i, fn in enumerate(fns):
        if surface:
            plot_surface(fn, n=n, ax=fig.add_subplot(nrows, ncols, i + 1, projection="3d"))
        else:
            ax = fig.add_subplot(nrows, ncols, i + 1)
            plot_contour(fn, n=n, ax=ax, colorbar=False)
            # a gallery shows shapes: tick labels would cost most of the drawing time
            ax.set(xticks=[], yticks=[], xlabel="", ylabel="")
    return fig


def _check_trajectories(trajectories: Mapping[str, Any]) -> dict[str, np.ndarray]:
    if not isinstance(trajectories, Mapping) or not trajectories:
        raise TypeError(
            "trajectories must be a non-empty mapping from a label to an array of points of "
            f"shape (n_steps + 1, 2); got {type(trajectories).__name__}."
        )
    checked = {}
    for label, path in trajectories.items():
        array = np.asarray(path, dtype=float)
        if array.ndim != 2 or array.shape[1] != 2 or len(array) < 1:
            raise ValueError(
                f"trajectory {label!r} must have shape (n_steps + 1, 2); got {array.shape}."
            )
        checked[str(label)] = array
    return checked


def _check_points(points: Mapping[str, Any] | None) -> dict[str, np.ndarray]:
    if points is None:
        return {}
    if not isinstance(points, Mapping):
        raise TypeError("points must be a mapping from a label to a point (x, y); got "
                        f"{type(points).__name__}.")
    checked = {}
    for label, point in points.items():
        array = np.asarray(point, dtype=float)
        if array.shape != (2,):
            raise ValueError(f"point {label!r} must be (x, y); got shape {array.shape}.")
        checked[str(label)] = array
    return checked


def _window_showing(fn: TestFunction, points: np.ndarray, window: Any) -> Any:
    """The plotting window, widened (with a 5 % margin) to show every start point."""
    if window is not None:
        return window
    (x_lo, x_hi), (y_lo, y_hi) = fn.window
    lo = np.minimum([x_lo, y_lo], points.min(axis=0))
    hi = np.maximum([x_hi, y_hi], points.max(axis=0))
    if (lo == [x_lo, y_lo]).all() and (hi == [x_hi, y_hi]).all():
        return fn.window
    margin = 0.05 * (hi - lo)
    lo, hi = lo - margin, hi + margin
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def plot_trajectories(
    function: str | TestFunction,
    trajectories: Mapping[str, Any],
    *,
    n: int = 300,
    window: Any = None,
    ax: Any = None,
    title: str | None = None,
    points: Mapping[str, Any] | None = None,
):
    """Several optimizers' paths on one contour plot, with a legend and the start marked.

    Parameters
    ----------
    function : str or TestFunction
    trajectories : mapping of label -> array of shape (n_steps + 1, 2)
        Points that leave the window are clipped by the axes (a diverging path runs off the
        edge instead of rescaling the picture).
    n, ax :
        As in :func:`plot_contour`.
    window : ((x_lo, x_hi), (y_lo, y_hi)), optional
        Default: the function's plotting window, widened to show every start.
    title : str, optional
        Default: ``"<function>: optimizer paths"``.
    points : mapping of label -> (x, y), optional
        Named points to mark (a fixed point, a penalized minimizer...), each with its own
        marker and legend entry.

    Returns
    -------
    matplotlib.figure.Figure
    """
    paths = _check_trajectories(trajectories)
    marked = _check_points(points)
    starts = np.array([path[0] for path in paths.values()])
    window = _window_showing(get(function), starts, window)
    fig = plot_contour(function, n=n, window=window, ax=ax, colorbar=False)
    ax = fig.axes[0] if ax is None else ax
    for color, (label, path) in zip(_COLORS * 2, paths.items(), strict=False):
        finite = path[np.isfinite(path).all(axis=1)]
        ax.plot(finite[:, 0], finite[:, 1], color=color, linewidth=1.6, marker=".",
                markersize=2.5, label=label, zorder=4)
    ax.plot(starts[:, 0], starts[:, 1], linestyle="none", marker="o", markersize=8,
            color="white", markeredgecolor="black", label="start", zorder=6)
    for marker, (label, point) in zip(_POINT_MARKERS * 2, marked.items(), strict=False):
        ax.plot([point[0]], [point[1]], linestyle="none", marker=marker, markersize=9,
                color="white", markeredgecolor="black", label=label, zorder=7)
    ax.set_title(title if title is not None else f"{get(function).title}: optimizer paths")
    ax.legend(loc="best", fontsize=8, framealpha=0.85)
    return fig


def _label_axes(ax: Any, xlabel: str, ylabel: str, title: str) -> None:
    """Labels, title, a light grid and the legend of a per-step panel."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)


def plot_loss_curves(
    losses: Mapping[str, Any],
    *,
    f_star: float | None = None,
    ylim: tuple[float, float] | None = None,
    ax: Any = None,
    title: str = "Loss per step",
):
    """Loss against step for several optimizers, on a log scale.

    With ``f_star`` (the known minimum value) the curve is the gap :math:`f(x_k) - f^*`, which
    is what a log scale can show all the way down; gaps of exactly 0 are drawn at the smallest
    positive gap. Without it, positive losses are drawn on a log scale and losses that go
    negative (a saddle) on a linear one, limited to ``ylim`` when given (a function unbounded
    below would otherwise squash every curve into a line).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(losses, Mapping) or not losses:
        raise TypeError("losses must be a non-empty mapping from a label to a 1-D array of "
                        f"losses; got {type(losses).__name__}.")
    curves = {str(k): check_array(v, name=f"losses[{k!r}]", ensure_2d=False).reshape(-1)
              for k, v in losses.items()}
    if f_star is not None:
        f_star = check_scalar(f_star, "f_star")
        curves = {k: v - f_star for k, v in curves.items()}
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(width=6.0, height=4.0)
    everything = np.concatenate(list(curves.values()))
    positive = everything[everything > 0]
    floor = positive.min() if len(positive) else 1.0
    for color, (label, curve) in zip(_COLORS * 2, curves.items(), strict=False):
        shown = np.maximum(curve, floor) if f_star is not None else curve
        ax.plot(np.arange(len(curve)), shown, color=color, linewidth=1.5, label=label)
    if f_star is not None or (everything > 0).all():
        ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    _label_axes(ax, "step", "f(x_k) − f*" if f_star is not None else "f(x_k)", title)
    return fig


def plot_race(
    function: str | TestFunction,
    trajectories: Mapping[str, Any],
    losses: Mapping[str, Any],
    *,
    n: int = 300,
):
    """Two panels: the optimizers' paths on the contours, and their loss curves.

    The loss panel shows the gap :math:`f - f^*` on a log scale; for a function without a
    minimum (a saddle) it shows :math:`f` itself, limited to the range :math:`f` takes on the
    plotting window, i.e. while the path is still in the picture.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fn = get(function)
    fig = Figure(figsize=(12.5, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_trajectories(fn, trajectories, ax=left, n=n)
    if fn.minima:
        plot_loss_curves(losses, f_star=fn.min_value, ax=right,
                         title=f"{fn.title}: loss per step")
    else:
        _, _, Z = fn.grid(60)
        margin = 0.05 * float(Z.max() - Z.min())
        plot_loss_curves(losses, ylim=(float(Z.min()) - margin, float(Z.max()) + margin),
                         ax=right, title=f"{fn.title}: loss per step (inside the window)")
    return fig


def _check_series(series: Any, name: str) -> dict[str, np.ndarray]:
    if not isinstance(series, Mapping) or not series:
        raise TypeError(f"{name} must be a non-empty mapping from a label to a 1-D array of "
                        f"values per step; got {type(series).__name__}.")
    checked = {}
    for label, values in series.items():
        array = np.asarray(values, dtype=float)
        if array.ndim != 1 or len(array) == 0:
            raise ValueError(f"{name}[{label!r}] must be a non-empty 1-D array (one value per "
                             f"step); got shape {array.shape}.")
        checked[str(label)] = array
    return checked


def plot_per_step(
    measured: Mapping[str, Any],
    predicted: Mapping[str, Any] | None = None,
    *,
    first_step: int = 1,
    logx: bool = False,
    logy: bool = True,
    hlines: Mapping[str, float] | None = None,
    ax: Any = None,
    xlabel: str = "step k",
    ylabel: str = "",
    title: str = "",
):
    """Quantities recorded at every step — step lengths, an optimizer's state, an error —
    as solid lines, and what a formula predicts for them as dashed lines of the same colour.

    Parameters
    ----------
    measured : mapping of label -> 1-D array
        Entry ``i`` belongs to step ``first_step + i``.
    predicted : mapping of label -> 1-D array, optional
        The formula's values for ``measured[label]`` (same label, at the same steps); drawn
        dashed, and named once in the legend as "dashed: formula".
    first_step : int
        The step of each array's first entry.
    logx, logy : bool
        Logarithmic axes (non-positive values are not drawn on a log axis).
    hlines : mapping of label -> float, optional
        Horizontal dotted reference lines (a limit, a bound), labelled.
    ax : matplotlib Axes, optional
        Draw into this panel instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    curves = _check_series(measured, "measured")
    formulas = {} if predicted is None else _check_series(predicted, "predicted")
    unknown = sorted(set(formulas) - set(curves))
    if unknown:
        raise ValueError(f"predicted has labels {unknown} that measured lacks; each prediction "
                         f"is drawn next to its measurement: {sorted(curves)}.")
    first_step = check_scalar(first_step, "first_step", kind=int)
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(width=6.0, height=4.0)
    colors = dict(zip(curves, _COLORS * 2, strict=False))
    for label, values in curves.items():
        # a measurement with a formula beside it is drawn wide and light, so that the dashed
        # formula stays visible where the two coincide
        wide = label in formulas
        ax.plot(first_step + np.arange(len(values)), values, color=colors[label],
                linewidth=3.2 if wide else 1.6, alpha=0.45 if wide else 1.0, label=label)
    for i, (label, values) in enumerate(formulas.items()):
        ax.plot(first_step + np.arange(len(values)), values, color=colors[label],
                linestyle=(0, (4, 3)), linewidth=1.2,
                label="dashed: formula" if i == 0 else None)
    for label, value in (hlines or {}).items():
        ax.axhline(float(value), color="gray", linestyle=":", linewidth=1.2, label=label)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    _label_axes(ax, xlabel, ylabel, title)
    return fig


def plot_paths_and_steps(
    function: str | TestFunction,
    trajectories: Mapping[str, Any],
    measured: Mapping[str, Any],
    predicted: Mapping[str, Any] | None = None,
    *,
    points: Mapping[str, Any] | None = None,
    window: Any = None,
    n: int = 150,
    first_step: int = 1,
    logx: bool = False,
    logy: bool = True,
    hlines: Mapping[str, float] | None = None,
    ylabel: str = "",
    steps_title: str = "",
    title: str | None = None,
):
    """Two panels: optimizers' paths on a landscape (:func:`plot_trajectories`) and, beside
    them, what happened at each step (:func:`plot_per_step`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12.0, 4.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_trajectories(function, trajectories, n=n, window=window, ax=left, title=title,
                      points=points)
    plot_per_step(measured, predicted, first_step=first_step, logx=logx, logy=logy,
                  hlines=hlines, ax=right, ylabel=ylabel, title=steps_title)
    return fig


def plot_weight_decay(
    function: str | TestFunction,
    trajectories: Mapping[str, Any],
    points: Mapping[str, Any],
    distances: Mapping[str, Any],
    *,
    bound: float,
    n: int = 150,
    window: Any = None,
):
    r"""Where weight decay takes an optimizer: paths to their end points beside the box
    :math:`\|x\|_\infty \le` ``bound`` (AdamW's :math:`1/\lambda`), and each run's distance to
    the point it should reach, per step.

    Parameters
    ----------
    function, trajectories, points, n, window :
        As in :func:`plot_trajectories`.
    distances : mapping of label -> 1-D array
        Distance to the predicted end point after each step (log scale).
    bound : float
        Half-width of the box drawn (dotted), centred at the origin.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    bound = check_scalar(bound, "bound", min_val=0.0)
    fig = Figure(figsize=(12.0, 4.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_trajectories(function, trajectories, n=n, window=window, ax=left, points=points,
                      title=f"{get(function).title}: where the runs stop")
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]) * bound
    left.plot(corners[:, 0], corners[:, 1], color="white", linestyle=":", linewidth=1.6,
              label=f"box |x_i| ≤ {bound:g}", zorder=3)
    left.legend(loc="best", fontsize=8, framealpha=0.85)
    plot_per_step(distances, logx=True, ax=right, ylabel="distance to its end point",
                  title="Convergence to the predicted end point")
    return fig


def save_trajectory_animation(
    function: str | TestFunction,
    trajectories: Mapping[str, Any],
    path: str | Path,
    *,
    frames: int = 60,
    fps: int = 12,
    n: int = 200,
    window: Any = None,
    dpi: int = 80,
) -> Path:
    """Write an animated GIF of the optimizers moving along their paths (Pillow, no ffmpeg).

    Frame ``i`` shows every path up to step ``round(i · K / (frames − 1))`` where ``K`` is the
    longest path's number of steps, so all paths finish on the last frame (with fewer than
    ``frames`` steps, one frame per step).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    from matplotlib.animation import FuncAnimation, PillowWriter

    paths = _check_trajectories(trajectories)
    frames = check_scalar(frames, "frames", kind=int, min_val=2)
    fps = check_scalar(fps, "fps", kind=int, min_val=1)
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise ValueError(f"path must end in .gif; got {str(path)!r}.")
    fn = get(function)
    window = _window_showing(fn, np.array([p[0] for p in paths.values()]), window)
    fig = plot_contour(fn, n=n, window=window, colorbar=False)
    ax = fig.axes[0]
    lines, heads = [], []
    for color, (label, points) in zip(_COLORS * 2, paths.items(), strict=False):
        (line,) = ax.plot([], [], color=color, linewidth=1.6, label=label, zorder=4)
        (head,) = ax.plot([], [], color=color, marker="o", markersize=6,
                          markeredgecolor="black", zorder=6)
        lines.append((line, points))
        heads.append(head)
    ax.legend(loc="best", fontsize=8, framealpha=0.85)
    longest = max(len(p) for p in paths.values()) - 1
    frames = min(frames, longest + 1)  # never two frames of the same step
    steps = np.round(np.linspace(0, longest, frames)).astype(int)

    def draw(frame: int):
        k = steps[frame]
        for (line, points), head in zip(lines, heads, strict=True):
            shown = points[: k + 1]
            shown = shown[np.isfinite(shown).all(axis=1)]
            line.set_data(shown[:, 0], shown[:, 1])
            if len(shown):
                head.set_data(shown[-1:, 0], shown[-1:, 1])
        ax.set_title(f"{fn.title}: step {k}")
        return [line for line, _ in lines] + heads

    animation = FuncAnimation(fig, draw, frames=frames, blit=False)
    animation.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
    return path
