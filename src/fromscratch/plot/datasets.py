"""Pictures of the data sets: image grids, price histograms, class scatter plots, noisy curves.

Every function takes a :class:`~fromscratch.datasets.Bunch` and returns a matplotlib
``Figure`` (or draws into a given ``ax``); :func:`plot_dataset` picks the picture that shows a
data set best.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from fromscratch.plot._style import new_figure

__all__ = [
    "plot_images",
    "plot_price_histograms",
    "plot_classes",
    "plot_regression_1d",
    "plot_target_vs_feature",
    "plot_dataset",
]


def _column(data: Any, feature: int | str) -> tuple[np.ndarray, str]:
    """One feature column as float64 and its name; ``feature`` is an index or a name."""
    names = list(data.feature_names)
    index = names.index(feature) if isinstance(feature, str) else int(feature)
    X = data.X
    values = X.iloc[:, index] if hasattr(X, "iloc") else X[:, index]
    return np.asarray(values, dtype=np.float64), names[index]


def plot_images(data: Any, *, per_class: int = 8, cmap: str = "gray_r"):
    """A grid of images, one row per class: the first ``per_class`` images of each class.

    Works for any Bunch with ``images`` (n, h, w), ``y`` and ``target_names`` (digits, MNIST).
    The tiles are laid out in one mosaic array with a one-pixel gap and drawn with a single
    ``imshow``, which is much faster than one Axes per image.
    """
    classes = np.unique(data.y)
    h, w = data.images.shape[1:]
    gap = 1
    mosaic = np.full((len(classes) * (h + gap) - gap, per_class * (w + gap) - gap), np.nan)
    for row, label in enumerate(classes):
        members = np.flatnonzero(data.y == label)[:per_class]
        for col, index in enumerate(members):
            top, left = row * (h + gap), col * (w + gap)
            mosaic[top:top + h, left:left + w] = data.images[index]
    fig, ax = new_figure(width=0.55 * per_class + 0.8, height=0.55 * len(classes) + 0.5)
    ax.imshow(mosaic, cmap=cmap, vmin=0.0, vmax=float(data.images.max()),
              interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks(np.arange(len(classes)) * (h + gap) + (h - 1) / 2,
                  [data.target_names[label] for label in classes])
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    ax.set_title(f"{data.name}: {len(data.y):,} images of {h}×{w} pixels\n"
                 f"(first {per_class} of each class)", fontsize=10)
    return fig


def plot_price_histograms(data: Any, *, bins: int = 40):
    """Histograms of the sale price and of its logarithm, with the median marked.

    Prices are right-skewed (a few expensive houses); the log price is nearly symmetric,
    which is why house-price models usually predict :math:`\\log y`.
    """
    from matplotlib.ticker import FuncFormatter

    fig, (ax_price, ax_log) = new_figure(2, width=9.0, height=3.4)
    price = np.asarray(data.y, dtype=np.float64)
    panels = ((ax_price, price, data.target_name, "{:,.0f}"),
              (ax_log, np.log(price), f"log({data.target_name})", "{:.3f}"))
    for ax, values, label, fmt in panels:
        ax.hist(values, bins=bins, color="C0", alpha=0.8, edgecolor="white", linewidth=0.4)
        median = float(np.median(values))
        ax.axvline(median, color="C3", linewidth=1.5, label="median " + fmt.format(median))
        ax.set_xlabel(label)
        ax.legend(frameon=False, fontsize=8)
    ax_price.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1000:g}k"))
    ax_price.set_ylabel("number of sales")
    fig.suptitle(f"{data.name}: {len(price):,} sales")
    return fig


def plot_classes(
    data: Any,
    features: Sequence[int | str] = (0, 1),
    *,
    ax: Any = None,
    title: str | None = None,
    size: float = 12.0,
):
    """Scatter plot of two features, one colour per class (for 2-D shapes, blobs, …)."""
    fig = None
    if ax is None:
        fig, ax = new_figure(width=4.6, height=4.2)
    x0, name0 = _column(data, features[0])
    x1, name1 = _column(data, features[1])
    names = data.get("target_names") or [str(c) for c in np.unique(data.y)]
    for label, class_name in enumerate(names):
        mask = data.y == label
        ax.scatter(x0[mask], x1[mask], s=size, color=f"C{label % 10}", alpha=0.75,
                   edgecolors="none", label=class_name)
    ax.set_xlabel(name0)
    ax.set_ylabel(name1)
    if name0 in ("x0", "x") and name1 == "x1":
        ax.set_aspect("equal", adjustable="datalim")
        ax.locator_params(nbins=6)  # equal aspect widens the x range: keep its labels apart
    ax.legend(frameon=False, fontsize=8, markerscale=1.5, loc="best")
    ax.set_title(title if title is not None else f"{data.name} ({len(data.y):,} points)")
    return fig if fig is not None else ax.figure


def plot_regression_1d(data: Any, *, ax: Any = None, n_grid: int = 400):
    """The noisy points of a one-feature generator and its true function on a fine grid."""
    fig = None
    if ax is None:
        fig, ax = new_figure(width=5.6, height=3.8)
    x = np.asarray(data.X, dtype=np.float64)[:, 0]
    low, high = data.get("x_range") or (float(x.min()), float(x.max()))
    grid = np.linspace(low, high, n_grid)
    truth = np.asarray(data.true_function(grid[:, None])).ravel()
    ax.plot(grid, truth, color="C2", linewidth=2, label="true function f(x)")
    ax.scatter(x, data.y, s=18, color="C0", alpha=0.8, edgecolors="none",
               label=f"samples, noise σ = {data.noise:g}")
    ax.set_xlabel(data.feature_names[0])
    ax.set_ylabel(data.target_name)
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(f"{data.name} ({len(data.y):,} points)")
    return fig if fig is not None else ax.figure


def plot_target_vs_feature(data: Any, feature: int | str = 0, *, ax: Any = None):
    """Scatter plot of the target against one feature (a first look at a regression set)."""
    fig = None
    if ax is None:
        fig, ax = new_figure(width=5.6, height=3.8)
    values, name = _column(data, feature)
    ax.scatter(values, data.y, s=10, color="C0", alpha=0.6, edgecolors="none")
    ax.set_xlabel(name)
    ax.set_ylabel(data.target_name)
    ax.set_title(f"{data.name}: {data.target_name} against {name} ({len(data.y):,} samples)")
    return fig if fig is not None else ax.figure


def _informative_pair(data: Any) -> list[int]:
    roles = [j for j, name in enumerate(data.feature_names) if name.startswith("informative_")]
    return (roles + [j for j in range(len(data.feature_names)) if j not in roles])[:2]


def plot_dataset(data: Any):
    """The one figure that shows a data set of :mod:`fromscratch.datasets` best.

    ======================  ===========================================================
    digits, mnist           image grid (:func:`plot_images`)
    ames, windsor           price and log-price histograms
    breast_cancer           the two "worst" features that separate the classes best
    diabetes                disease progression against body mass index
    linear, sine, polyn.    points and true function (one feature)
    classification          the first two informative features
    the 2-D shapes, blobs   the points, one colour per class
    ======================  ===========================================================
    """
    name = data.get("name")
    if "images" in data:
        return plot_images(data)
    if name in ("ames", "windsor"):
        return plot_price_histograms(data)
    if name == "breast_cancer":
        return plot_classes(data, ("worst radius", "worst concave points"), size=14)
    if name == "diabetes":
        return plot_target_vs_feature(data, "bmi")
    if name == "classification":
        return plot_classes(data, _informative_pair(data))
    if data.task == "regression":
        if data.X.shape[1] == 1 and "true_function" in data:
            return plot_regression_1d(data)
        return plot_target_vs_feature(data, 0)
    return plot_classes(data)
