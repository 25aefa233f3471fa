"""Pictures of logistic regression: the sigmoid and the log-odds line, decision boundaries with
probability contours, ROC curves, training curves with the early-stopping point, the
odds-ratio forest plot, observed frequencies against the model's probability, and the model as
one neuron (a weighted sum followed by the sigmoid).

Every function returns a matplotlib ``Figure`` and keeps no pyplot state. Functions that draw
into one panel accept ``ax=`` so that figures can be composed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_y
from fromscratch.plot._style import figure_and_axes, new_figure

__all__ = [
    "plot_sigmoid",
    "plot_decision_boundary",
    "plot_roc_curves",
    "plot_training_curves",
    "plot_odds_ratios",
    "plot_binned_probabilities",
    "plot_neuron",
]

_COLORS = ("tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple", "tab:brown")


def plot_sigmoid(model: Any = None, X: Any = None, y: Any = None):
    r"""The two faces of the model: probabilities on a sigmoid, log-odds on a straight line.

    Without arguments: :math:`\sigma(z) = 1/(1+e^{-z})` on the left and its inverse, the logit
    :math:`\log\frac{p}{1-p}`, on the right. With a binary ``model`` fitted on one feature and
    its data: the fitted probability :math:`\sigma(wx + b)` against :math:`x` with the samples
    drawn at 0 and 1, and the log-odds :math:`wx + b` — a straight line with slope :math:`w`
    (each unit of :math:`x` multiplies the odds by :math:`e^w`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from fromscratch.linear_model.logistic import sigmoid

    fig, (left, right) = new_figure(2, width=10.0, height=3.8)
    if model is None:
        z = np.linspace(-8, 8, 400)
        left.plot(z, sigmoid(z), color="tab:blue")
        left.axhline(0.5, color="gray", lw=0.8, ls="--")
        left.set(xlabel="z = w·x + b (log-odds)", ylabel="σ(z) = P(y = 1)",
                 title="The sigmoid squashes log-odds into (0, 1)")
        p = np.linspace(0.001, 0.999, 400)
        right.plot(p, np.log(p / (1 - p)), color="tab:red")
        right.axhline(0.0, color="gray", lw=0.8, ls="--")
        right.set(xlabel="p", ylabel="log(p / (1 − p))", title="Its inverse, the logit")
        return fig

    X = check_array(X)
    if X.shape[1] != 1 or np.size(model.classes_) != 2:
        raise ValueError("plot_sigmoid draws a binary model fitted on one feature; got "
                         f"{X.shape[1]} features and {np.size(model.classes_)} classes.")
    y = check_y(y, y_numeric=False)
    positive = (y == model.classes_[1]).astype(float)
    grid = np.linspace(X.min() - 0.1 * np.ptp(X), X.max() + 0.1 * np.ptp(X), 400)[:, None]
    w, b = float(model.coef_[0, 0]), float(model.intercept_[0])
    jitter = np.random.default_rng(0).uniform(-0.03, 0.03, len(positive))
    left.scatter(X[:, 0], positive + jitter, s=10, alpha=0.4, color="gray", label="samples")
    left.plot(grid[:, 0], model.predict_proba(grid)[:, 1], color="tab:blue",
              label=f"σ({w:.3g}·x + {b:.3g})")
    left.axhline(0.5, color="gray", lw=0.8, ls="--")
    left.set(xlabel="x", ylabel=f"P(y = {model.classes_[1]})", title="Probability: a sigmoid")
    left.legend(loc="best", fontsize=8)
    right.plot(grid[:, 0], model.decision_function(grid), color="tab:red")
    right.axhline(0.0, color="gray", lw=0.8, ls="--")
    right.set(xlabel="x", ylabel="log-odds  w·x + b",
              title=f"Log-odds: a line (odds ratio e^w = {np.exp(w):.3g} per unit)")
    return fig


def plot_decision_boundary(
    model: Any, X: Any, y: Any, *, ax: Any = None, resolution: int = 200,
    title: str = "Decision boundary and probability contours",
):
    """Decision regions of a fitted classifier on 2-D data, with probability contours.

    Binary: the probability of ``classes_[1]`` as filled contours, the 0.5 contour (the
    decision boundary, the line :math:`w^\\top x + b = 0`) in black. More classes: each region
    coloured by its predicted class, shaded by the winning probability.

    Returns
    -------
    matplotlib.figure.Figure
    """
    X = check_array(X)
    y = check_y(y, y_numeric=False)
    if X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary needs 2-D data; X has {X.shape[1]} features.")
    fig, ax = figure_and_axes(ax, width=6.0, height=5.0)
    margin = 0.1 * np.ptp(X, axis=0)
    x0, x1 = (np.linspace(X[:, j].min() - margin[j], X[:, j].max() + margin[j], resolution)
              for j in range(2))
    G0, G1 = np.meshgrid(x0, x1)
    grid = np.column_stack([G0.ravel(), G1.ravel()])
    proba = model.predict_proba(grid)
    classes = model.classes_
    if len(classes) == 2:
        P = proba[:, 1].reshape(G0.shape)
        filled = ax.contourf(G0, G1, P, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
        lines = ax.contour(G0, G1, P, levels=[0.1, 0.25, 0.5, 0.75, 0.9], colors="k",
                           linewidths=[0.5, 0.5, 1.8, 0.5, 0.5])
        ax.clabel(lines, fmt="%.2f", fontsize=7)
        fig.colorbar(filled, ax=ax, label=f"P(y = {classes[1]})")
    else:
        from matplotlib.colors import ListedColormap

        winner = proba.argmax(axis=1).reshape(G0.shape)
        cmap = ListedColormap(_COLORS[: len(classes)])
        ax.contourf(G0, G1, winner, levels=np.arange(len(classes) + 1) - 0.5, cmap=cmap,
                    alpha=0.25)
        lines = ax.contour(G0, G1, proba.max(axis=1).reshape(G0.shape),
                           levels=[0.5, 0.75, 0.9], colors="k", linewidths=0.5)
        ax.clabel(lines, fmt="%.2f", fontsize=7)
    for color, label in zip(_COLORS * 3, classes, strict=False):
        members = y == label
        ax.scatter(X[members, 0], X[members, 1], s=14, color=color, edgecolor="k",
                   linewidth=0.3, label=str(label))
    ax.legend(loc="best", fontsize=8, title="class")
    ax.set(xlabel="x₁", ylabel="x₂", title=title)
    return fig


def plot_roc_curves(curves: Mapping[str, tuple[Any, Any]], *, ax: Any = None,
                    title: str = "ROC curves"):
    """ROC curves with their AUC in the legend.

    Parameters
    ----------
    curves : mapping
        Label → ``(y_true, y_score)`` (binary labels, and scores such as
        ``predict_proba(X)[:, 1]``); computed with :func:`fromscratch.metrics.roc_curve`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from fromscratch.metrics import roc_auc_score, roc_curve

    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("curves must be a non-empty mapping label -> (y_true, y_score).")
    fig, ax = figure_and_axes(ax, width=5.5, height=5.0)
    for color, (label, (y_true, y_score)) in zip(_COLORS * 3, curves.items(), strict=False):
        fpr, tpr, _ = roc_curve(y_true, y_score)
        auc = roc_auc_score(y_true, y_score)
        ax.plot(fpr, tpr, color=color, label=f"{label} (AUC = {auc:.4f})")
    ax.plot([0, 1], [0, 1], color="gray", ls="--", lw=0.8, label="chance (AUC = 0.5)")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title=title,
           xlim=(-0.01, 1.0), ylim=(0.0, 1.01))
    ax.legend(loc="lower right", fontsize=8)
    return fig


def plot_training_curves(models: Mapping[str, Any], *, ax: Any = None, log: bool = True,
                         logx: bool = False, title: str = "Training loss per epoch"):
    """Loss curves of fitted models (``loss_curve_``), with validation curves and the
    early-stopping point where the model has them.

    The validation curve is dashed; a marker shows ``best_iteration_``, the epoch whose
    coefficients early stopping kept.

    Parameters
    ----------
    models : mapping
        Label → a fitted estimator with ``loss_curve_`` (and optionally
        ``validation_loss_curve_`` and ``best_iteration_``).
    log : bool
        Logarithmic y axis.
    logx : bool
        Logarithmic x axis (for runs of very different lengths).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(models, Mapping) or not models:
        raise TypeError("models must be a non-empty mapping label -> fitted estimator.")
    fig, ax = figure_and_axes(ax, width=6.5, height=4.2)
    for color, (label, model) in zip(_COLORS * 3, models.items(), strict=False):
        curve = np.asarray(model.loss_curve_)
        epochs = np.arange(1, len(curve) + 1)
        ax.plot(epochs, curve, color=color, label=f"{label} (train)")
        validation = getattr(model, "validation_loss_curve_", None)
        if validation is not None:
            ax.plot(epochs, validation, color=color, ls="--", label=f"{label} (validation)")
            best = model.best_iteration_
            ax.plot(best, validation[best - 1], marker="o", ms=9, mfc="none", color=color)
            ax.annotate("early stop: best epoch", (best, validation[best - 1]),
                        textcoords="offset points", xytext=(8, 10), fontsize=8, color=color)
    if log:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel="epoch / iteration", ylabel="loss", title=title)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_odds_ratios(summary: Any, *, ax: Any = None, include_intercept: bool = False,
                     title: str | None = None):
    """Forest plot: each feature's odds ratio with its confidence interval, on a log axis.

    An interval that crosses the vertical line at 1 is a feature whose effect is not
    significant at the summary's level :math:`\\alpha`.

    Parameters
    ----------
    summary : LogitSummary
        From :meth:`fromscratch.linear_model.LogisticRegression.summary`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(summary.names)
    keep = [i for i, n in enumerate(names) if include_intercept or n != "intercept"]
    if not keep:
        raise ValueError("the summary has no feature rows to draw.")
    fig, ax = figure_and_axes(ax, width=6.5, height=1.0 + 0.4 * len(keep))
    rows = np.arange(len(keep))[::-1]
    ratio = summary.odds_ratio[keep]
    lower, upper = summary.odds_ratio_lower[keep], summary.odds_ratio_upper[keep]
    significant = summary.p_value[keep] < summary.alpha
    colors = np.where(significant, "tab:red", "tab:gray")
    ax.hlines(rows, lower, upper, colors=colors, lw=2)
    ax.scatter(ratio, rows, color=colors, zorder=3, s=30)
    ax.axvline(1.0, color="k", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_yticks(rows, [names[i] for i in keep])
    level = f"{1 - summary.alpha:.0%}"
    ax.set(xlabel=f"odds ratio per unit (log scale), {level} interval",
           title=title or f"Odds ratios ({level} CI; red: p < {summary.alpha:g})")
    return fig


def plot_binned_probabilities(model: Any, X: Any, y: Any, *, true_probability: Any = None,
                              bins: int = 10, ax: Any = None,
                              title: str = "The model is a probability"):
    r"""What the model claims, checked against what happened: the fitted
    :math:`P(y = 1 \mid x) = \sigma(wx + b)` of a binary model on one feature, and in each of
    ``bins`` equally wide bins of :math:`x` the observed share of class 1, with its 95 %
    binomial interval :math:`\pm 1.96\sqrt{\hat p(1-\hat p)/m}` (:math:`m` samples in the bin).

    Parameters
    ----------
    model : fitted binary classifier with ``predict_proba`` and ``classes_``, on one feature
    X : array-like of shape (n_samples, 1)
    y : array-like of shape (n_samples,)
    true_probability : callable, optional
        The probability the data were drawn from, as a function of ``x`` (drawn dashed).
    bins : int
        Number of bins (empty ones are skipped).

    Returns
    -------
    matplotlib.figure.Figure
    """
    X = check_array(X)
    if X.shape[1] != 1 or np.size(model.classes_) != 2:
        raise ValueError("plot_binned_probabilities draws a binary model fitted on one feature; "
                         f"got {X.shape[1]} features and {np.size(model.classes_)} classes.")
    y = check_y(y, y_numeric=False)
    if len(y) != len(X):
        raise ValueError(f"X and y must have one length; got {len(X)} and {len(y)}.")
    if isinstance(bins, (bool, np.bool_)) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins must be a positive int; got {bins!r}.")
    x = X[:, 0]
    positive = (y == model.classes_[1]).astype(float)
    edges = np.linspace(x.min(), x.max(), bins + 1)
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
    counts = np.bincount(which, minlength=bins)
    filled = counts > 0
    share = np.bincount(which, weights=positive, minlength=bins)[filled] / counts[filled]
    centers = ((edges[:-1] + edges[1:]) / 2)[filled]
    half_width = 1.96 * np.sqrt(share * (1 - share) / counts[filled])
    fig, ax = figure_and_axes(ax, width=6.4, height=4.2)
    jitter = np.random.default_rng(0).uniform(-0.02, 0.02, len(x))
    ax.scatter(x, positive + jitter, s=6, alpha=0.3, color="gray", label="samples (0 or 1)")
    ax.errorbar(centers, share, yerr=half_width, fmt="s", color="k", ms=5, capsize=3,
                label="share of class 1 per bin, 95 %")
    grid = np.linspace(x.min(), x.max(), 300)
    ax.plot(grid, model.predict_proba(grid[:, None])[:, 1], color="tab:blue", lw=2,
            label="fitted σ(wx + b)")
    if true_probability is not None:
        ax.plot(grid, np.asarray(true_probability(grid), dtype=float), color="tab:red",
                ls="--", lw=1.5, label="the truth")
    ax.set(xlabel="x", ylabel=f"P(y = {model.classes_[1]})", ylim=(-0.08, 1.08), title=title)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_neuron(coef: Any, intercept: float, *, scores: Any = None, y: Any = None,
                feature_names: Any = None, max_inputs: int = 5):
    r"""Logistic regression as one neuron: the inputs, weighted and summed with the bias into
    the score :math:`z = w^\top x + b`, and the sigmoid that turns it into :math:`p`.

    Left: the diagram (the first ``max_inputs`` inputs with their weights; the rest elided).
    Right, with ``scores`` and ``y``: every sample at its score :math:`z_i` and its label
    (jittered), with :math:`\sigma(z)` — however many features there are, the model sees them
    only through one number, :math:`z`.

    Parameters
    ----------
    coef : array-like of shape (n_features,)
    intercept : float
    scores : array-like of shape (n_samples,), optional
        :math:`z_i` (e.g. ``decision_function(X)``).
    y : array-like of shape (n_samples,), optional
        Binary labels 0/1 (needed with ``scores``).
    feature_names : sequence of str, optional
    max_inputs : int
        Inputs drawn before the rest are elided.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from fromscratch.linear_model.logistic import sigmoid

    w = check_array(coef, name="coef", ensure_2d=False, dtype=np.float64).reshape(-1)
    names = ([f"x{j + 1}" for j in range(w.size)] if feature_names is None
             else [str(name) for name in feature_names])
    if len(names) != w.size:
        raise ValueError(f"feature_names has {len(names)} names for {w.size} weights.")
    if isinstance(max_inputs, (bool, np.bool_)) or not isinstance(max_inputs, (int, np.integer)) \
            or max_inputs < 1:
        raise ValueError(f"max_inputs must be a positive int; got {max_inputs!r}.")
    if (scores is None) != (y is None):
        raise ValueError("give scores and y together (the right panel needs both), or neither.")
    fig, axes = new_figure(2 if scores is not None else 1, width=12.0 if scores is not None
                           else 6.0, height=4.2)
    diagram = axes[0] if scores is not None else axes
    shown = min(w.size, max_inputs)
    rows = np.linspace(0.9, 0.1, shown + (w.size > shown))
    for j in range(shown):
        diagram.annotate("", xy=(0.55, 0.5), xytext=(0.12, rows[j]),
                         arrowprops=dict(arrowstyle="->", color="tab:blue",
                                         lw=0.6 + 2.5 * abs(w[j]) / np.max(np.abs(w))))
        diagram.text(0.1, rows[j], names[j], ha="right", va="center", fontsize=9)
        diagram.text(0.3, 0.5 + 0.55 * (rows[j] - 0.5), f"{w[j]:.2g}", fontsize=8,
                     color="tab:blue", ha="center", va="bottom")
    if w.size > shown:
        diagram.text(0.1, rows[-1], f"⋮ {w.size - shown} more", ha="right", va="center",
                     fontsize=9)
    diagram.text(0.55, 0.5, "Σ", ha="center", va="center", fontsize=20,
                 bbox=dict(boxstyle="circle", fc="white", ec="k"))
    diagram.text(0.55, 0.22, f"b = {float(intercept):.2g}", ha="center", fontsize=9)
    diagram.annotate("", xy=(0.55, 0.43), xytext=(0.55, 0.27),
                     arrowprops=dict(arrowstyle="->", color="k"))
    diagram.annotate("", xy=(0.75, 0.5), xytext=(0.6, 0.5),
                     arrowprops=dict(arrowstyle="->", color="k"))
    diagram.text(0.67, 0.53, "z", ha="center", fontsize=11)
    diagram.text(0.8, 0.5, "σ", ha="center", va="center", fontsize=18,
                 bbox=dict(boxstyle="circle", fc="white", ec="tab:red"))
    diagram.annotate("", xy=(0.98, 0.5), xytext=(0.85, 0.5),
                     arrowprops=dict(arrowstyle="->", color="tab:red"))
    diagram.text(0.93, 0.53, "p", ha="center", fontsize=11, color="tab:red")
    diagram.set(xlim=(-0.25, 1.0), ylim=(0.0, 1.0), xticks=[], yticks=[],
                title="A weighted sum, then the sigmoid")
    for side in diagram.spines.values():
        side.set_visible(False)
    if scores is not None:
        z = check_array(scores, name="scores", ensure_2d=False, dtype=np.float64).reshape(-1)
        labels = check_y(y, y_numeric=True).astype(float)
        if labels.shape != z.shape:
            raise ValueError(f"y must have one label per score ({z.size}); got {labels.size}.")
        right = axes[1]
        jitter = np.random.default_rng(0).uniform(-0.03, 0.03, z.size)
        for value, color in ((0.0, "tab:blue"), (1.0, "tab:red")):
            chosen = labels == value
            right.scatter(z[chosen], labels[chosen] + jitter[chosen], s=8, alpha=0.5,
                          color=color, label=f"y = {value:g}")
        grid = np.linspace(z.min(), z.max(), 300)
        right.plot(grid, sigmoid(grid), color="k", lw=2, label="p = σ(z)")
        right.axvline(0.0, color="gray", lw=0.8, ls="--")
        right.set(xlabel="score z = wᵀx + b", ylabel="label / probability",
                  title="Every sample through one number")
        right.legend(loc="center right", fontsize=8)
    return fig
