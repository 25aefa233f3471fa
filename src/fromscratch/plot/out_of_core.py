r"""Pictures of out-of-core fitting: the reduction tree of TSQR and of every map-reduce pass,
the digits a one-pass variance keeps, the passes each fit makes over the data, and streaming
SGD's loss per pass against the exact optimum.

Every function returns a matplotlib ``Figure`` and keeps no pyplot state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar
from fromscratch.plot._style import new_figure

__all__ = [
    "plot_reduction_tree",
    "plot_variance_digits",
    "plot_passes",
    "plot_streaming",
]

_COLORS = ("tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple", "tab:brown")


def _tree_levels(n_blocks: int, split_every: int) -> list[list[float]]:
    """The x positions of the nodes of every level: the blocks first, each parent centred over
    the ``split_every`` children it merges."""
    levels = [[float(b) for b in range(n_blocks)]]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([float(np.mean(below[i:i + split_every]))
                       for i in range(0, len(below), split_every)])
    return levels


def plot_reduction_tree(trees: Sequence[tuple[int, int]] = ((4, 2), (20, 8))):
    r"""Reduction trees, one panel per ``(n_blocks, split_every)``.

    The bottom row holds the row blocks :math:`X_b` (grey bars); each is factored where it
    lives into its small :math:`R_b` (the first row of squares). Every node above stacks the
    factors of the ``split_every`` nodes below it and factors them again — the :math:`R` of
    stacked :math:`R`'s — until one :math:`R` is left, the :math:`R` of the whole matrix. The
    tree has :math:`\lceil\log_k B\rceil` levels of merges for :math:`B` blocks merged
    :math:`k` at a time. The same tree sums gradients and Hessians or merges moments: any
    associative merge.

    Parameters
    ----------
    trees : sequence of (int, int)
        ``(n_blocks, split_every)`` of each panel: at least one block, merges of at least two.

    Returns
    -------
    matplotlib.figure.Figure
    """
    shapes = [(int(check_scalar(b, "n_blocks", kind=int, min_val=1)),
               int(check_scalar(k, "split_every", kind=int, min_val=2))) for b, k in trees]
    if not shapes:
        raise ValueError("trees must name at least one (n_blocks, split_every) pair.")
    fig, axes = new_figure(len(shapes), width=5.6 * len(shapes), height=4.0)
    for ax, (n_blocks, split_every) in zip(np.atleast_1d(axes), shapes, strict=True):
        levels = _tree_levels(n_blocks, split_every)
        small = n_blocks > 8
        ax.bar(levels[0], 0.8, bottom=-1.2, width=0.5, color="0.75", edgecolor="k", lw=0.5)
        for depth, (below, above) in enumerate(zip(levels, levels[1:], strict=False)):
            for parent, x in enumerate(above):
                for child in below[parent * split_every:(parent + 1) * split_every]:
                    ax.plot([child, x], [depth, depth + 1], color="0.4", lw=0.8, zorder=1)
        for child in levels[0]:
            ax.plot([child, child], [-0.4, 0.0], color="0.4", lw=0.8, zorder=1)
        for depth, xs in enumerate(levels):
            color = "tab:blue" if depth == 0 else ("tab:red" if depth == len(levels) - 1
                                                   else "tab:purple")
            ax.scatter(xs, [depth] * len(xs), marker="s", s=60 if small else 260,
                       color=color, edgecolor="k", zorder=3)
            if not small:
                for i, x in enumerate(xs):
                    label = f"R{i + 1}" if depth == 0 else ("R" if depth == len(levels) - 1
                                                            else f"R{depth}{i + 1}")
                    ax.text(x, depth, label, ha="center", va="center", color="w",
                            fontsize=7, zorder=4)
        if not small:
            for b, x in enumerate(levels[0]):
                ax.text(x, -0.8, f"X{b + 1}", ha="center", va="center", fontsize=8)
        ax.set_yticks(range(-1, len(levels)),
                      ["row blocks", "QR of each block"]
                      + [f"merge {d}: QR of stacked R's" for d in range(1, len(levels))])
        ax.set_xticks([])
        ax.set_xlim(-0.8, n_blocks - 0.2)
        ax.set_ylim(-1.4, len(levels) - 0.5)
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        merges = len(levels) - 1
        ax.set_title(f"{n_blocks} block{'s' if n_blocks != 1 else ''} merged {split_every} at "
                     f"a time: {merges} level{'s' if merges != 1 else ''} of merges", fontsize=10)
    return fig


def plot_variance_digits(ratio: Any, digits: Mapping[str, Any], *,
                         predicted: Any = None):
    r"""Correct significant digits of a variance against :math:`\log_{10}(|\bar x|/s)`.

    Parameters
    ----------
    ratio : array-like of shape (m,)
        :math:`|\bar x|/s` of each data set (mean over standard deviation), > 0.
    digits : mapping
        Method → its correct digits on each data set,
        :math:`-\log_{10}(|\hat v - v|/v)` (capped at machine precision by the caller).
    predicted : array-like of shape (m,), optional
        The digits the cancellation argument predicts for the naive formula,
        :math:`\log_{10}(1/\varepsilon) - 2\log_{10}(|\bar x|/s)`, drawn dashed.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.log10(check_array(ratio, name="ratio", ensure_2d=False).reshape(-1))
    fig, ax = new_figure(width=6.8, height=4.2)
    for color, (label, values) in zip(_COLORS * 3, digits.items(), strict=False):
        values = check_array(values, name=f"digits[{label!r}]", ensure_2d=False).reshape(-1)
        if values.shape != x.shape:
            raise ValueError(f"digits[{label!r}] has {values.size} values; ratio has {x.size}.")
        ax.plot(x, values, marker="o", color=color, label=label)
    if predicted is not None:
        ax.plot(x, np.clip(check_array(predicted, name="predicted", ensure_2d=False)
                           .reshape(-1), 0, None),
                color="k", ls="--", lw=1, label="predicted: 16 − 2·log₁₀(|mean| / sd)")
    ax.axhline(-np.log10(np.finfo(np.float64).eps), color="0.6", lw=0.8, ls=":")
    ax.set(xlabel="log₁₀(|mean| / standard deviation)", ylabel="correct significant digits",
           title="One-pass variance: the naive formula against the merge", ylim=(-0.5, 17))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_passes(passes: Mapping[str, float], *, curves: Mapping[str, Any] | None = None,
                optimum: float | None = None):
    r"""Passes over the data each fit made (bars), and optionally the solvers' objective gap
    :math:`f(w_k) - f^*` per iteration beside them (log scale).

    Parameters
    ----------
    passes : mapping
        Fit → the number of passes it read the data (blocks read / number of blocks).
    curves : mapping, optional
        Fit → its objective per iteration (e.g. ``loss_curve_``).
    optimum : float, optional
        :math:`f^*`; required with ``curves``. Gaps below rounding level
        (:math:`8\varepsilon|f^*|`) are drawn at that level.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not passes:
        raise ValueError("passes must name at least one fit.")
    ncols = 1 if curves is None else 2
    height = max(3.8 if curves is not None else 2.6, 0.4 * len(passes) + 1.4)
    fig, axes = new_figure(ncols, width=5.4 * ncols + 1.0, height=height)
    bars = axes if curves is None else axes[1]
    if curves is not None:
        if optimum is None:
            raise ValueError("curves need the optimum f* to draw their gap to it.")
        f_star = check_scalar(optimum, "optimum")
        floor = 8 * np.finfo(np.float64).eps * max(abs(f_star), 1e-300)
        ax = axes[0]
        for color, (label, values) in zip(_COLORS * 3, curves.items(), strict=False):
            gap = check_array(values, name=f"curves[{label!r}]", ensure_2d=False).reshape(-1)
            ax.plot(np.arange(1, gap.size + 1), np.maximum(gap - f_star, floor), marker="o",
                    ms=3, color=color, label=label)
        ax.set_yscale("log")
        ax.set(xlabel="iteration", ylabel="f − f*", title="Objective gap per iteration")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="best", fontsize=8)
    labels = list(passes)
    values = [float(passes[k]) for k in labels]
    positions = np.arange(len(labels))[::-1]
    bars.barh(positions, values, color="tab:blue", alpha=0.8)
    for y, v in zip(positions, values, strict=True):
        bars.text(v, y, f" {v:.3g}", va="center", fontsize=8)
    bars.set_yticks(positions, labels, fontsize=8)
    bars.set(xlabel="passes over X (blocks read / blocks)", title="Passes over the data",
             xlim=(0, 1.18 * max(values + [1.0])))
    bars.grid(True, axis="x", alpha=0.3)
    return fig


def _log_panel(ax: Any, values: np.ndarray, color: str, label: str, predicted: float | None,
               predicted_label: str, **labels: str) -> None:
    """One value per pass or call on a log scale, with its predicted level dashed."""
    from matplotlib.ticker import MaxNLocator

    ax.semilogy(np.arange(1, values.size + 1), values, marker="o", color=color, label=label)
    if predicted is not None:
        ax.axhline(float(predicted), color="tab:green", ls="--", lw=1.2, label=predicted_label)
    ax.set(**labels)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def plot_streaming(loss_curve: Any, optimum: float, *, predicted_excess: float | None = None,
                   distances: Any = None, predicted_distance: float | None = None):
    r"""Streaming SGD: the gap of each pass's mean mini-batch loss to the exact optimum
    :math:`f^*` (left, log scale), and the distance of the coefficients to the exact solution
    after each ``partial_fit`` call (right, when ``distances`` is given).

    Parameters
    ----------
    loss_curve : array-like of shape (passes,)
        The streamed fit's ``loss_curve_``: each pass's mean batch objective.
    optimum : float
        :math:`f^*`, the objective of the exact least-squares solution.
    predicted_excess : float, optional
        The stationary excess :math:`\mathbb E f(\theta) - f^*` of constant-step SGD, drawn
        dashed. Gaps at or below 0 (noise) are drawn at a hundredth of it.
    distances : array-like of shape (calls,), optional
        :math:`\|\theta_t - \theta^*\|` after each ``partial_fit`` call.
    predicted_distance : float, optional
        The stationary :math:`\sqrt{\mathbb E\|\theta - \theta^*\|^2}`, drawn dashed.

    Returns
    -------
    matplotlib.figure.Figure
    """
    curve = check_array(loss_curve, name="loss_curve", ensure_2d=False).reshape(-1)
    f_star = check_scalar(optimum, "optimum")
    ncols = 1 if distances is None else 2
    fig, axes = new_figure(ncols, width=5.4 * ncols, height=4.0)
    floor = (8 * np.finfo(np.float64).eps * max(abs(f_star), 1e-300) if predicted_excess is None
             else 0.01 * float(predicted_excess))
    _log_panel(axes if distances is None else axes[0], np.maximum(curve - f_star, floor),
               "tab:blue", "mean batch loss of the pass − f*", predicted_excess,
               "predicted noise floor η σ² tr(H) / (4|B|)",
               xlabel="pass over the blocks (epoch)", ylabel="gap to f* (exact least squares)",
               title="fit(solver='minibatch') on the lazy array")
    if distances is not None:
        distance = check_array(distances, name="distances", ensure_2d=False).reshape(-1)
        _log_panel(axes[1], distance, "tab:red", "‖θ − θ*‖ after the call", predicted_distance,
                   "predicted √(η σ² (p + 1) / (2|B|))",
                   xlabel="partial_fit call (one pass each)", ylabel="‖θ − θ*‖",
                   title="partial_fit: one more pass per call")
    return fig
