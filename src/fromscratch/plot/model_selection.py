"""Pictures of model selection: validation curves, learning curves, bias–variance trade-off.

Every function takes the arrays returned by :mod:`fromscratch.model_selection`, returns a
matplotlib ``Figure`` and keeps no pyplot state; each accepts ``ax=`` so that a chapter can
compose several panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from fromscratch.plot._style import new_figure

__all__ = ["plot_validation_curve", "plot_learning_curve", "plot_bias_variance"]

_TRAIN, _TEST = "#1f77b4", "#d62728"


def _axes(ax: Any) -> tuple[Any, Any]:
    if ax is None:
        return new_figure()
    return ax.figure, ax


def _check_scores(x: np.ndarray, scores: Any, name: str) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        scores = scores[:, None]
    if scores.ndim != 2 or scores.shape[0] != x.shape[0]:
        raise ValueError(
            f"{name} must have shape (n_points, n_splits) with n_points = {x.shape[0]}; got "
            f"{scores.shape}."
        )
    return scores


def _mean_and_band(ax: Any, x: np.ndarray, scores: np.ndarray, color: str, label: str) -> None:
    """Mean over folds as a line with markers, ± one standard deviation as a band."""
    mean, std = scores.mean(axis=1), scores.std(axis=1)
    ax.plot(x, mean, "o-", color=color, label=label, lw=1.8, ms=4)
    ax.fill_between(x, mean - std, mean + std, color=color, alpha=0.18, lw=0)


def plot_validation_curve(
    param_range: Sequence[float],
    train_scores: Any,
    test_scores: Any,
    *,
    param_name: str = "parameter",
    score_name: str = "score",
    log_x: bool | None = None,
    ax: Any = None,
) -> Any:
    """Training and cross-validation score against a hyper-parameter.

    The mean over folds is drawn with a ±1 standard deviation band; the best validation
    value is marked. ``log_x=None`` uses a log axis when the values span more than two
    decades (typical for a regularisation strength).
    """
    x = np.asarray(param_range, dtype=np.float64)
    train = _check_scores(x, train_scores, "train_scores")
    test = _check_scores(x, test_scores, "test_scores")
    fig, ax = _axes(ax)
    _mean_and_band(ax, x, train, _TRAIN, "training")
    _mean_and_band(ax, x, test, _TEST, "cross-validation")
    best = int(np.argmax(test.mean(axis=1)))
    ax.axvline(x[best], color="0.5", ls=":", lw=1)
    ax.annotate(f"best {param_name} = {x[best]:.3g}", (x[best], test.mean(axis=1)[best]),
                textcoords="offset points", xytext=(6, -14), fontsize=8, color="0.3")
    if log_x is None:
        log_x = bool((x > 0).all() and x.max() / x.min() > 100)
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(param_name)
    ax.set_ylabel(score_name)
    ax.set_title("Validation curve")
    ax.legend(frameon=False)
    return fig


def plot_learning_curve(
    train_sizes: Sequence[int],
    train_scores: Any,
    test_scores: Any,
    *,
    score_name: str = "score",
    ax: Any = None,
) -> Any:
    """Training and cross-validation score against the number of training samples.

    A gap that stays wide as $n$ grows signals variance (more data helps); two curves that
    meet at a poor score signal bias (a richer model is needed).
    """
    x = np.asarray(train_sizes, dtype=np.float64)
    train = _check_scores(x, train_scores, "train_scores")
    test = _check_scores(x, test_scores, "test_scores")
    fig, ax = _axes(ax)
    _mean_and_band(ax, x, train, _TRAIN, "training")
    _mean_and_band(ax, x, test, _TEST, "cross-validation")
    ax.set_xlabel("number of training samples")
    ax.set_ylabel(score_name)
    ax.set_title("Learning curve")
    ax.legend(frameon=False)
    return fig


def plot_bias_variance(
    param_range: Sequence[float],
    decompositions: Sequence[Any],
    *,
    param_name: str = "model complexity",
    log_x: bool = False,
    ax: Any = None,
) -> Any:
    r"""Squared bias, variance, noise and their total against model complexity.

    ``decompositions`` holds one :class:`~fromscratch.model_selection.BiasVarianceDecomposition`
    per value of ``param_range``. The total (expected test error) is typically U-shaped:
    bias$^2$ falls and variance rises with complexity; the minimum marks the best trade-off.
    """
    x = np.asarray(param_range, dtype=np.float64)
    if len(decompositions) != x.shape[0]:
        raise ValueError(
            f"decompositions has {len(decompositions)} entries but param_range has "
            f"{x.shape[0]}; give one decomposition per parameter value."
        )
    terms = {name: np.array([getattr(d, name) for d in decompositions])
             for name in ("bias2", "variance", "noise", "loss")}
    fig, ax = _axes(ax)
    ax.plot(x, terms["bias2"], "o-", color="#1f77b4", label="bias$^2$", ms=4)
    ax.plot(x, terms["variance"], "s-", color="#ff7f0e", label="variance", ms=4)
    if np.any(terms["noise"] > 0):
        ax.plot(x, terms["noise"], "--", color="0.5", label=r"noise $\sigma^2$")
    ax.plot(x, terms["loss"], "k-", lw=2.2, label="expected test error")
    best = int(np.argmin(terms["loss"]))
    ax.plot([x[best]], [terms["loss"][best]], "k*", ms=12)
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(param_name)
    ax.set_ylabel("squared error")
    ax.set_title("Bias–variance decomposition")
    ax.legend(frameon=False)
    return fig
