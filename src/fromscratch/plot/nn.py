"""Pictures of neural networks: the network diagram, the arrays of the forward and backward pass
with their shapes, quantities per layer (the variance of the pre-activations, gradient norms),
parameter paths and training curves, decision boundaries during training (a grid of snapshots
and an animated GIF), misclassified images and the confusion matrix.

Every function returns a matplotlib ``Figure`` (or writes a file) and keeps no pyplot state.
A *predictor* is anything that gives class probabilities for a grid of 2-D points: a fitted
classifier with ``predict_proba``, or a callable ``f(points) -> probabilities`` (shape ``(n,)``
or ``(n, 1)`` for the probability of the positive class, ``(n, k)`` for k classes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar, check_y
from fromscratch.plot._style import new_figure

__all__ = [
    "plot_activations",
    "plot_network",
    "plot_layer_arrays",
    "plot_per_layer",
    "plot_parameter_paths",
    "plot_curves",
    "plot_decision_boundaries",
    "save_decision_boundary_animation",
    "plot_history",
    "plot_misclassified",
    "plot_confusion_matrix",
]

_COLORS = ("tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple", "tab:brown",
           "tab:pink", "tab:gray", "tab:olive", "tab:cyan")


# -- activations ----------------------------------------------------------------------------------


def plot_activations(x: Any = None):
    r"""The activation functions (left) and their derivatives (right), the derivatives computed
    by reverse-mode autodiff: the factor :math:`\sigma'(z)` that backpropagation multiplies
    by at every layer."""
    from fromscratch.autodiff import Tensor
    from fromscratch.nn import functional as F

    x = np.linspace(-4, 4, 401) if x is None else np.asarray(x, dtype=float)
    functions = {"sigmoid": F.sigmoid, "tanh": F.tanh, "ReLU": F.relu,
                 "leaky ReLU (0.1)": lambda z: F.leaky_relu(z, 0.1)}
    fig, (left, right) = new_figure(2, width=10.0, height=3.8)
    for name, f in functions.items():
        t = Tensor(x, requires_grad=True)
        out = f(t)
        out.sum().backward()  # elementwise: the gradient of the sum is f'(x) at each x
        left.plot(x, out.data, label=name)
        right.plot(x, t.grad, label=name)
    left.set(title="activation σ(z)", xlabel="z")
    right.set(title="derivative σ'(z), by autodiff", xlabel="z")
    for ax in (left, right):
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.legend(frameon=False, fontsize=8)
    return fig


# -- the network diagram --------------------------------------------------------------------------


def _layers_of(network: Any) -> tuple[list[int], list[np.ndarray] | None]:
    """Layer sizes and weights ``(n_out, n_in)`` of a size list, an MLP estimator or a module."""
    if hasattr(network, "coefs_"):
        weights = [np.asarray(W).T for W in network.coefs_]
    elif hasattr(network, "modules"):
        weights = [np.asarray(m.weight.data) for m in network.modules()
                   if hasattr(m, "weight") and hasattr(m, "in_features")]
    else:
        sizes = [check_scalar(n, f"network[{i}]", kind=int, min_val=1)
                 for i, n in enumerate(network)]
        if len(sizes) < 2:
            raise ValueError(f"a network needs at least 2 layer sizes, got {sizes}.")
        return sizes, None
    if not weights:
        raise ValueError("the network has no Linear layers to draw.")
    return [weights[0].shape[1]] + [W.shape[0] for W in weights], weights


def plot_network(network: Any, *, max_units: int = 10, ax: Any = None,
                 title: str | None = None):
    r"""The network as a graph: one column of units per layer, one line per weight.

    Parameters
    ----------
    network : sequence of int, fitted MLP estimator, or Module
        Layer sizes :math:`(n_0, \dots, n_L)`, or a model whose weights colour the lines
        (blue positive, red negative, width :math:`\propto |w|`).
    max_units : int, default=10
        Larger layers show their first and last units around an ellipsis.
    """
    sizes, weights = _layers_of(network)
    max_units = check_scalar(max_units, "max_units", kind=int, min_val=3)
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(
        width=1.6 * len(sizes) + 1.5, height=4.2)

    def shown(n: int) -> list[int]:
        if n <= max_units:
            return list(range(n))
        half = max_units // 2
        return list(range(half)) + list(range(n - (max_units - half - 1), n))

    positions = []
    for layer, n in enumerate(sizes):
        units = shown(n)
        ys = np.linspace(1, -1, len(units) + (n > max_units)) * min(1.0, len(units) / max_units)
        if n > max_units:  # leave a gap for the ellipsis
            gap = len(units) // 2
            ax.text(layer, ys[gap], "⋮", ha="center", va="center", fontsize=14)
            ys = np.delete(ys, gap)
        positions.append(dict(zip(units, ys, strict=True)))

    for layer in range(len(sizes) - 1):
        W = None if weights is None else weights[layer]
        scale = 1.0 if W is None else np.abs(W).max() or 1.0
        for j, y_in in positions[layer].items():
            for i, y_out in positions[layer + 1].items():
                w = None if W is None else W[i, j]
                color = "0.6" if w is None else ("tab:blue" if w > 0 else "tab:red")
                width = 0.6 if w is None else 0.2 + 2.0 * abs(w) / scale
                ax.plot([layer, layer + 1], [y_in, y_out], color=color, linewidth=width,
                        alpha=0.6, zorder=1)
    names = ["input"] + [f"hidden {k}" for k in range(1, len(sizes) - 1)] + ["output"]
    for layer, unit_positions in enumerate(positions):
        drawn = list(unit_positions.values())
        ax.scatter([layer] * len(drawn), drawn, s=220, color="white", edgecolor="k", zorder=3)
        plural = "s" if sizes[layer] > 1 else ""
        ax.text(layer, -1.25, f"{names[layer]}\n{sizes[layer]} unit{plural}", ha="center",
                va="top", fontsize=9)
    ax.set(xlim=(-0.5, len(sizes) - 0.5), ylim=(-1.6, 1.2))
    ax.axis("off")
    n_weights = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
    ax.set_title(title or f"{' → '.join(map(str, sizes))}: {n_weights} parameters")
    return fig


# -- inside the network: arrays, per-layer quantities, paths and curves ---------------------------


def _named_arrays(arrays: Mapping[str, Any], what: str) -> dict[str, np.ndarray]:
    if not isinstance(arrays, Mapping) or not arrays:
        raise ValueError(f"{what} must be a non-empty mapping {{label: values}}.")
    return {str(k): np.asarray(getattr(v, "data", v), dtype=float) for k, v in arrays.items()}


def plot_layer_arrays(arrays: Mapping[str, Any], *, operations: Sequence[str] | None = None,
                      title: str | None = None, cmap: str = "RdBu_r"):
    r"""The arrays of a pass through the network, left to right, each as a heat map (one row
    per sample, one column per unit) titled with its shape, and an arrow between neighbours
    labelled with the operation that turns one into the next.

    Parameters
    ----------
    arrays : mapping of str to array of shape (n, k) (or (n,), drawn as one column)
        In reading order, e.g. ``{"$X$": X, "$z^1$": Z1, "$a^1$": A1, ...}``; labels may
        use matplotlib's mathtext.
    operations : sequence of str, optional
        ``len(arrays) - 1`` arrow labels, e.g. ``"$\cdot W^{1\top} + b^1$"``.
    title : str, optional
    cmap : str, default="RdBu_r"
        A diverging map: each panel is centred at 0 and scaled to its own largest entry.
    """
    from matplotlib.figure import Figure

    named = _named_arrays(arrays, "arrays")
    matrices = {}
    for label, values in named.items():
        if values.ndim not in (1, 2):
            raise ValueError(f"arrays[{label!r}] must be 1-D or 2-D; got shape {values.shape}.")
        matrices[label] = values.reshape(len(values), -1)
    if operations is not None and len(operations) != len(matrices) - 1:
        raise ValueError(f"operations needs {len(matrices) - 1} labels (one per arrow) for "
                         f"{len(matrices)} arrays; got {len(operations)}.")
    widths = []
    for i, values in enumerate(matrices.values()):
        widths += ([1.4] if i else []) + [max(values.shape[1], 2) ** 0.75]
    fig = Figure(figsize=(min(1.0 + 0.55 * sum(widths), 14.0), 3.6), layout="constrained")
    axes = fig.add_gridspec(1, len(widths), width_ratios=widths).subplots(squeeze=False)[0]
    for i, (label, values) in enumerate(matrices.items()):
        ax = axes[2 * i]
        scale = float(np.max(np.abs(values))) or 1.0
        ax.imshow(values, cmap=cmap, vmin=-scale, vmax=scale, aspect="auto",
                  interpolation="nearest")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel(f"{values.shape[0]} × {values.shape[1]}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        if i:
            arrow = axes[2 * i - 1]
            arrow.axis("off")
            arrow.set(xlim=(0, 1), ylim=(0, 1))
            arrow.annotate("", xy=(1.0, 0.5), xytext=(0.0, 0.5),
                           arrowprops={"arrowstyle": "->", "lw": 1.2})
            if operations is not None:
                arrow.text(0.5, 0.56, operations[i - 1], ha="center", va="bottom", fontsize=8)
    axes[0].set_ylabel("samples", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def _panels(count: int, width: float = 4.2, height: float = 3.6):
    fig, axes = new_figure(count, width=width * count, height=height)
    return fig, np.atleast_1d(axes)


def plot_per_layer(panels: Mapping[str, Mapping[str, Any]], *, ylabel: str,
                   derived: Mapping[str, Mapping[str, Any]] | None = None, log: bool = True):
    """A quantity per layer (e.g. the variance of the pre-activations, or a gradient's norm):
    one panel per key of ``panels``, one line per curve label, layers numbered from 1.

    ``derived`` has the same keys and holds the values a formula predicts; they are drawn as
    open circles over the measured lines, in the same colour.
    """
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError("panels must be a non-empty mapping {panel title: {label: values}}.")
    fig, axes = _panels(len(panels))
    for ax, (title, curves) in zip(axes, panels.items(), strict=True):
        named = _named_arrays(curves, f"panels[{title!r}]")
        predicted = {} if derived is None else _named_arrays(derived[title],
                                                             f"derived[{title!r}]")
        for label, values in named.items():
            layers = np.arange(1, len(values) + 1)
            (line,) = ax.plot(layers, values, "o-", ms=3, label=label)
            if label in predicted:
                ax.plot(layers, predicted[label], "o", ms=8, mfc="none",
                        color=line.get_color())
        if predicted:
            ax.plot([], [], "o", ms=8, mfc="none", color="0.4", label="derived")
        if log:
            ax.set_yscale("log")
        ax.set(title=title, xlabel="layer", ylabel=ylabel)
        ax.legend(frameon=False, fontsize=8)
    return fig


def plot_parameter_paths(paths: Any, reference: Any, names: Sequence[str], *,
                         reference_label: str = "reference", title: str | None = None):
    r"""Parameters during training (left: each one per epoch, its reference value dashed in
    the same colour) and their distance to the reference (right, log scale:
    :math:`\|\theta_k - \theta^*\|`, a straight line where convergence is linear).

    Parameters
    ----------
    paths : array of shape (n_epochs + 1, p)
        Row 0 is the start, row k the parameters after epoch k.
    reference : array of shape (p,)
        The solution the paths should reach (e.g. least squares' or Newton's).
    names : sequence of p str
    """
    paths = check_array(paths, name="paths")
    reference = check_array(reference, name="reference", ensure_2d=False).reshape(-1)
    if paths.shape[1] != len(reference) or len(names) != len(reference):
        raise ValueError(f"paths has {paths.shape[1]} parameters, reference {len(reference)} "
                         f"and names {len(names)}; they must agree.")
    fig, (left, right) = _panels(2, width=5.5)
    epochs = np.arange(len(paths))
    for j, name in enumerate(names):
        (line,) = left.plot(epochs, paths[:, j], label=name)
        left.axhline(reference[j], color=line.get_color(), ls="--", lw=1)
    left.plot([], [], "k--", lw=1, label=reference_label)
    left.set(xlabel="epoch", ylabel="value", title=title or "Parameters per epoch")
    left.legend(frameon=False, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    distance = np.sqrt(np.sum((paths - reference) ** 2, axis=1))
    right.semilogy(epochs, np.maximum(distance, np.finfo(float).tiny))
    right.set(xlabel="epoch", ylabel=r"$\|\theta_k - \theta^*\|$",
              title=f"Distance to {reference_label}")
    return fig


def _xy(value: Any) -> tuple[np.ndarray, np.ndarray]:
    """A curve given as values (x = 1, 2, ...) or as a pair ``(x, y)`` of sequences."""
    if isinstance(value, tuple) and len(value) == 2 and np.ndim(value[0]) == 1:
        x, y = (np.asarray(v, dtype=float) for v in value)
        if x.shape != y.shape:
            raise ValueError(f"a curve (x, y) needs x and y of the same length; got "
                             f"{len(x)} and {len(y)}.")
        return x, y
    y = np.asarray(getattr(value, "data", value), dtype=float).reshape(-1)
    return np.arange(1, len(y) + 1, dtype=float), y


def plot_curves(panels: Mapping[str, Mapping[str, Any]], *, xlabel: str = "epoch",
                log: Sequence[str] = (), references: Mapping[str, Mapping[str, float]]
                | None = None):
    """Training curves side by side: one panel per key of ``panels`` (its title), one line per
    label. A curve is a sequence of values (at x = 1, 2, ...) or a pair ``(x, y)``.

    ``log`` names the panels drawn on a log scale; ``references`` adds labelled horizontal
    lines to a panel, e.g. ``{"test AUC": {"the post: 0.96": 0.96}}``.
    """
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError("panels must be a non-empty mapping {panel title: {label: curve}}.")
    references = references or {}
    unknown = [t for t in [*log, *references] if t not in panels]
    if unknown:
        raise ValueError(f"log and references name panels that do not exist: {unknown}; "
                         f"the panels are {list(panels)}.")
    fig, axes = _panels(len(panels))
    for ax, (title, curves) in zip(axes, panels.items(), strict=True):
        if not curves:
            raise ValueError(f"panel {title!r} has no curves.")
        for label, value in curves.items():
            x, y = _xy(value)
            ax.plot(x, y, label=label)
        for k, (label, level) in enumerate(references.get(title, {}).items()):
            ax.axhline(level, color=f"{0.2 + 0.25 * k:.2f}", ls=("--", ":", "-.")[k % 3],
                       lw=1, label=label)
        if title in log:
            ax.set_yscale("log")
        ax.set(title=title, xlabel=xlabel)
        ax.legend(frameon=False, fontsize=8)
    return fig


# -- decision boundaries --------------------------------------------------------------------------


def _grid(X: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    margin = 0.1 * np.ptp(X, axis=0)
    x0, x1 = (np.linspace(X[:, j].min() - margin[j], X[:, j].max() + margin[j], resolution)
              for j in range(2))
    G0, G1 = np.meshgrid(x0, x1)
    return G0, G1, np.column_stack([G0.ravel(), G1.ravel()])


def _probabilities(predictor: Any, points: np.ndarray) -> np.ndarray:
    """``(n, k)`` class probabilities (two columns for a binary predictor)."""
    proba = predictor.predict_proba(points) if hasattr(predictor, "predict_proba") \
        else predictor(points)
    proba = np.asarray(getattr(proba, "data", proba), dtype=float)
    if proba.ndim == 1 or proba.shape[1] == 1:
        p = proba.reshape(-1)
        return np.column_stack([1 - p, p])
    return proba


def _draw_boundary(ax: Any, predictor: Any, X: np.ndarray, y: np.ndarray, classes: np.ndarray,
                   resolution: int, title: str) -> None:
    from matplotlib.colors import ListedColormap

    G0, G1, points = _grid(X, resolution)
    proba = _probabilities(predictor, points)
    if proba.shape[1] == 2:
        P = proba[:, 1].reshape(G0.shape)
        ax.contourf(G0, G1, P, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55)
        if P.min() < 0.5 < P.max():
            ax.contour(G0, G1, P, levels=[0.5], colors="k", linewidths=1.5)
    else:
        winner = proba.argmax(axis=1).reshape(G0.shape)
        ax.contourf(G0, G1, winner, levels=np.arange(proba.shape[1] + 1) - 0.5,
                    cmap=ListedColormap(_COLORS[: proba.shape[1]]), alpha=0.3)
    for color, label in zip(_COLORS, classes, strict=False):
        members = y == label
        ax.scatter(X[members, 0], X[members, 1], s=8, color=color, edgecolor="k",
                   linewidth=0.2)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def _check_2d(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = check_array(X)
    y = check_y(y, y_numeric=False)
    if X.shape[1] != 2:
        raise ValueError(f"decision boundaries need 2-D data; X has {X.shape[1]} features.")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}.")
    return X, y, np.unique(y)


def plot_decision_boundaries(predictors: Mapping[str, Any], X: Any, y: Any, *, ncols: int = 3,
                             resolution: int = 150):
    """A grid of decision boundaries, one panel per predictor (e.g. snapshots during training,
    titled by epoch). Binary problems show :math:`P(y = 1)` with its 0.5 contour; more classes
    show the predicted regions."""
    X, y, classes = _check_2d(X, y)
    if not predictors:
        raise ValueError("predictors is empty; give at least one {title: predictor}.")
    ncols = min(check_scalar(ncols, "ncols", kind=int, min_val=1), len(predictors))
    nrows = -(-len(predictors) // ncols)
    fig, axes = new_figure(ncols, nrows, width=2.6 * ncols, height=2.5 * nrows)
    axes = np.atleast_1d(axes).ravel()
    for ax, (title, predictor) in zip(axes, predictors.items(), strict=False):
        _draw_boundary(ax, predictor, X, y, classes, resolution, title)
    for ax in axes[len(predictors):]:
        ax.axis("off")
    return fig


def save_decision_boundary_animation(predictors: Mapping[str, Any], X: Any, y: Any,
                                     path: str | Path, *, fps: int = 4, resolution: int = 120,
                                     dpi: int = 80) -> Path:
    """Write an animated GIF (Pillow writer, no ffmpeg): one frame per predictor, in order."""
    from matplotlib.animation import FuncAnimation, PillowWriter

    X, y, classes = _check_2d(X, y)
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise ValueError(f"path must end in .gif; got {str(path)!r}.")
    if not predictors:
        raise ValueError("predictors is empty; give at least one {title: predictor}.")
    fps = check_scalar(fps, "fps", kind=int, min_val=1)
    frames = list(predictors.items())
    fig, ax = new_figure(width=4.0, height=4.0)

    def draw(frame: int):
        ax.clear()
        title, predictor = frames[frame]
        _draw_boundary(ax, predictor, X, y, classes, resolution, title)
        return []

    animation = FuncAnimation(fig, draw, frames=len(frames), blit=False)
    animation.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
    return path


# -- training curves ------------------------------------------------------------------------------


def _curves(history: Any) -> dict[str, list[float]]:
    if hasattr(history, "loss_curve_"):  # an MLP estimator
        curves = {"loss": list(history.loss_curve_)}
        if getattr(history, "validation_scores_", None) is not None:
            curves["val_score"] = list(history.validation_scores_)
        return curves
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping) or "loss" not in curves:
        raise TypeError(
            "history must be a fromscratch.nn.History, a dict with a 'loss' list, or a fitted "
            f"MLP estimator; got {type(history).__name__}."
        )
    return dict(curves)


def plot_history(history: Any, *, log: bool = False):
    """Loss per epoch (training and validation) and, when recorded, accuracy per epoch."""
    curves = _curves(history)
    scores = [k for k in ("accuracy", "val_accuracy", "val_score") if k in curves]
    fig, axes = new_figure(2 if scores else 1, width=10.0 if scores else 6.0, height=3.8)
    axes = np.atleast_1d(axes)
    for key, style in (("loss", "-"), ("val_loss", "--")):
        if key in curves:
            epochs = np.arange(1, len(curves[key]) + 1)
            axes[0].plot(epochs, curves[key], style, label=key.replace("_", " "))
    axes[0].set(xlabel="epoch", ylabel="loss", title="Loss")
    if log:
        axes[0].set_yscale("log")
    axes[0].legend()
    for key in scores:
        epochs = np.arange(1, len(curves[key]) + 1)
        axes[1].plot(epochs, curves[key], "-" if key == "accuracy" else "--",
                     label=key.replace("_", " "))
    if scores:
        axes[1].set(xlabel="epoch", ylabel="accuracy", title="Accuracy")
        axes[1].legend()
    return fig


# -- classification results -----------------------------------------------------------------------


def plot_misclassified(images: Any, y_true: Any, y_pred: Any, *, n: int = 16, ncols: int = 8,
                       cmap: str = "gray_r"):
    """The first ``n`` misclassified images, each titled "true → predicted".

    ``images`` is ``(n_samples, h, w)``, or ``(n_samples, h·w)`` with square images.
    """
    images = np.asarray(images, dtype=float)
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"cannot reshape rows of {images.shape[1]} pixels into squares; "
                             "pass images of shape (n_samples, height, width).")
        images = images.reshape(-1, side, side)
    if not (len(images) == len(y_true) == len(y_pred)):
        raise ValueError(f"images, y_true and y_pred have different lengths: {len(images)}, "
                         f"{len(y_true)}, {len(y_pred)}.")
    wrong = np.flatnonzero(y_true != y_pred)[: check_scalar(n, "n", kind=int, min_val=1)]
    ncols = max(1, min(ncols, len(wrong)))
    nrows = max(1, -(-len(wrong) // ncols))
    fig, axes = new_figure(ncols, nrows, width=1.2 * ncols, height=1.4 * nrows + 0.4)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes:
        ax.axis("off")
    for ax, i in zip(axes, wrong, strict=False):
        ax.imshow(images[i], cmap=cmap)
        ax.set_title(f"{y_true[i]} → {y_pred[i]}", fontsize=8, color="tab:red")
    fig.suptitle(f"{int(np.sum(y_true != y_pred))} misclassified of {len(y_true)} "
                 "(true → predicted)", fontsize=10)
    return fig


def plot_confusion_matrix(y_true: Any, y_pred: Any, *, labels: Sequence[Any] | None = None,
                          normalize: bool = False, ax: Any = None):
    """Counts (or, with ``normalize``, row fractions: recall per class) of true vs predicted."""
    from fromscratch.metrics import confusion_matrix

    classes = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)])) \
        if labels is None else np.asarray(labels)
    matrix = confusion_matrix(y_true, y_pred, labels=classes).astype(float)
    if normalize:
        matrix = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    k = len(classes)
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(
        width=1.0 + 0.5 * k, height=0.8 + 0.45 * k)
    image = ax.imshow(matrix, cmap="Blues")
    threshold = matrix.max() / 2
    for i in range(k):
        for j in range(k):
            text = f"{matrix[i, j]:.2f}" if normalize else f"{int(matrix[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if matrix[i, j] > threshold else "black")
    ax.set_xticks(range(k), [str(c) for c in classes])
    ax.set_yticks(range(k), [str(c) for c in classes])
    ax.set(xlabel="predicted", ylabel="true", title="Confusion matrix")
    fig.colorbar(image, ax=ax, shrink=0.8)
    return fig

