r"""Pictures of least squares at work: one Householder reflection in the plane, the zeros of
QR appearing column by column, and three places where a linear regression hides — the
one-step predictions of an autoregressive model, the local lines of LOWESS, and the last layer
of a network as a weighted sum of its hidden features.

Every function returns a matplotlib ``Figure`` and keeps no pyplot state. Functions that draw
into one panel accept ``ax=`` so that figures can be composed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar
from fromscratch.plot._style import figure_and_axes, new_figure

__all__ = [
    "plot_reflection",
    "plot_qr_steps",
    "plot_one_step_predictions",
    "plot_local_fits",
    "plot_basis_expansion",
]

#: The local lines of LOWESS, one colour each.
_LOCAL_COLORS = ("tab:red", "tab:green", "tab:orange", "tab:purple", "tab:brown", "tab:pink")


def _vector(value: Any, name: str, size: int | None = None) -> np.ndarray:
    v = check_array(value, name=name, ensure_2d=False, dtype=np.float64).reshape(-1)
    if size is not None and v.size != size:
        raise ValueError(f"{name} must have {size} entries; got {v.size}.")
    return v


def plot_reflection(x: Any, *, ax: Any = None, title: str = "One Householder reflection"):
    r"""The reflection :math:`H = I - \tau vv^\top` that maps :math:`x \in \mathbb{R}^2` onto
    the first axis, for both signs of :math:`\beta = \mp\|x\|`.

    :math:`v = x - \beta e_1` is the normal of the mirror (a line through the origin); the
    mirror image of :math:`x` is :math:`Hx = \beta e_1`. Blue: the library's choice
    :math:`\beta = -\mathrm{sign}(x_1)\|x\|`, whose :math:`v_1 = x_1 - \beta` adds two numbers
    of one sign. Grey: the other sign, whose :math:`v` is the small difference
    :math:`x - \|x\|e_1` — tiny, and all rounding error, when :math:`x` is close to the axis.
    The legend gives both lengths :math:`\|v\|`.

    Parameters
    ----------
    x : array-like of shape (2,)
        A non-zero vector.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = _vector(x, "x", 2)
    length = float(np.sqrt(x @ x))
    if length == 0:
        raise ValueError("x must be non-zero: a zero vector has no reflection onto the axis.")
    fig, ax = figure_and_axes(ax, width=5.2, height=5.2)
    angles = np.linspace(0, 2 * np.pi, 200)
    ax.plot(length * np.cos(angles), length * np.sin(angles), color="0.8", lw=0.8, ls=":")
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.axvline(0.0, color="0.6", lw=0.8)
    ax.annotate("", xy=x, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="k", lw=2))
    ax.text(*(1.06 * x), "x", fontsize=12)
    library_sign = -np.copysign(1.0, x[0])
    for beta, color, name in ((library_sign * length, "tab:blue", "β = −sign(x₁)‖x‖"),
                              (-library_sign * length, "0.45", "other sign")):
        image = np.array([beta, 0.0])
        v = x - image
        v_length = float(np.sqrt(v @ v))
        if v_length > 0:  # the mirror: the line through 0 perpendicular to v
            direction = np.array([-v[1], v[0]]) / v_length
            ax.plot(*np.outer([-1.3 * length, 1.3 * length], direction).T, color=color,
                    ls="--", lw=1.2)
        ax.annotate("", xy=x, xytext=image,
                    arrowprops=dict(arrowstyle="->", color=color, lw=1.5))
        ax.plot(*image, "o", color=color, ms=8, label=f"{name}: Hx = {beta:.3g}·e₁, "
                f"‖v‖ = {v_length:.2g}")
    ax.set_aspect("equal")
    ax.set(xlim=(-1.4 * length, 1.4 * length), ylim=(-1.4 * length, 1.4 * length),
           xlabel="first coordinate", ylabel="second coordinate", title=title)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    return fig


def plot_qr_steps(stages: Sequence[Any], *, title: str = "Householder QR, column by column"):
    r"""The matrix after each reflection, :math:`H_{j-1}\cdots H_0 A`, as maps of
    :math:`\log_{10}|a_{ik}|`: the entries below the diagonal turn to zero (rounding level,
    dark) one column per reflection, and what is left at the end is :math:`R`.

    Parameters
    ----------
    stages : sequence of array-like of shape (m, n)
        :math:`A` and the matrix after each reflection (e.g. ``HouseholderQR(A[:, :j])
        .apply_qt(A)`` for :math:`j = 1, \ldots, n`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.colors import Normalize

    if isinstance(stages, (str, bytes)) or not isinstance(stages, Sequence) or not stages:
        raise TypeError("stages must be a non-empty sequence of matrices of one shape.")
    mats = [check_array(s, name=f"stages[{j}]", dtype=np.float64) for j, s in enumerate(stages)]
    if len({m.shape for m in mats}) != 1:
        raise ValueError(f"all stages must have one shape; got {[m.shape for m in mats]}.")
    tiny = np.finfo(np.float64).eps * max(float(np.max(np.abs(m))) for m in mats) / 10
    logs = [np.log10(np.abs(m) + tiny) for m in mats]
    norm = Normalize(min(float(v.min()) for v in logs), max(float(v.max()) for v in logs))
    m, n = mats[0].shape
    fig, axes = new_figure(len(mats), width=2.0 * len(mats) + 1.2, height=0.35 * m + 1.6)
    axes = np.atleast_1d(axes)
    for j, (ax, values) in enumerate(zip(axes, logs, strict=True)):
        image = ax.imshow(values, cmap="magma", norm=norm)
        ax.plot(np.arange(min(m, n)), np.arange(min(m, n)), "s", mfc="none", mec="tab:cyan",
                ms=7)
        ax.set(xticks=[], yticks=[], title="A" if j == 0 else f"after reflection {j}")
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="log₁₀|entry|")
    fig.suptitle(title)
    return fig


def plot_one_step_predictions(series: Any, predicted: Any, *, last: int | None = None,
                              ax: Any = None, title: str = "One-step-ahead predictions"):
    r"""A time series and its one-step-ahead predictions :math:`\hat x_t` (e.g. from an
    autoregressive model fitted by least squares on the lagged values).

    Parameters
    ----------
    series : array-like of shape (T,)
    predicted : array-like of shape (T,)
        :math:`\hat x_t`, NaN where there is no prediction (the first lags).
    last : int, optional
        Draw only the last ``last`` time steps.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = _vector(series, "series")
    x_hat = np.asarray(predicted, dtype=np.float64).reshape(-1)
    if x_hat.shape != x.shape:
        raise ValueError(f"predicted must have the length of series ({x.size}); got "
                         f"{x_hat.size}.")
    start = 0 if last is None else x.size - check_scalar(last, "last", kind=int, min_val=2,
                                                         max_val=x.size)
    t = np.arange(x.size)[start:]
    fig, ax = figure_and_axes(ax, width=6.4, height=4.0)
    ax.plot(t, x[start:], "o-", color="0.5", ms=3, lw=0.8, label="series $x_t$")
    ax.plot(t, x_hat[start:], color="tab:red", lw=1.5, label="prediction from the lags")
    ax.set(xlabel="time t", ylabel="x", title=title)
    ax.legend(loc="upper right", fontsize=8)
    return fig


def plot_local_fits(x: Any, y: Any, fitted: Any, local: Mapping[float, tuple[Any, float, float]],
                    *, ax: Any = None, title: str = "LOWESS: a weighted line at every point"):
    r"""A local-regression smoother (LOWESS) and a few of the weighted lines it is made of.

    At each point :math:`x_0` the smoother fits a line by weighted least squares, the weights
    :math:`w_i` falling from 1 at :math:`x_0` to 0 at the edge of its neighbourhood, and keeps
    the line's value at :math:`x_0`. Each local line is drawn over its neighbourhood, with its
    samples' markers sized by their weights.

    Parameters
    ----------
    x, y : array-like of shape (n,)
    fitted : array-like of shape (n,)
        The smoother's value at each ``x``.
    local : mapping
        :math:`x_0` → ``(weights, value, slope)``: the weights of the samples (shape (n,)),
        and the local line's value and slope at :math:`x_0`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x, y = _vector(x, "x"), _vector(y, "y", None)
    fitted = _vector(fitted, "fitted", x.size)
    if y.size != x.size:
        raise ValueError(f"x and y must have one length; got {x.size} and {y.size}.")
    if not isinstance(local, Mapping):
        raise TypeError("local must be a mapping x0 -> (weights, value, slope); got "
                        f"{type(local).__name__}.")
    order = np.argsort(x)
    fig, ax = figure_and_axes(ax, width=6.4, height=4.0)
    ax.scatter(x, y, s=8, color="0.6", label="samples")
    ax.plot(x[order], fitted[order], color="k", lw=2, label="LOWESS")
    for color, (x0, (weights, value, slope)) in zip(_LOCAL_COLORS * 3, local.items(),
                                                    strict=False):
        w = _vector(weights, f"local[{x0!r}] weights", x.size)
        inside = w > 0
        ax.scatter(x[inside], y[inside], s=40 * w[inside], color=color, alpha=0.7)
        edges = np.array([x[inside].min(), x[inside].max()])
        ax.plot(edges, value + slope * (edges - x0), color=color, lw=1.5)
        ax.plot(x0, value, "o", color=color, markeredgecolor="k", ms=8,
                label=f"local line at x₀ = {x0:.2f}")
    ax.set(xlabel="x", ylabel="y", title=title)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_basis_expansion(x: Any, features: Any, weights: Any, intercept: float, *,
                         y: Any = None, ax: Any = None,
                         title: str = "A weighted sum of hidden features"):
    r"""A fit :math:`\hat y = \sum_k w_k h_k(x) + b` drawn as its terms: each feature times its
    weight (thin lines) and their sum plus the intercept (thick) — what the last layer of a
    regression network computes from its hidden features.

    Parameters
    ----------
    x : array-like of shape (n,)
        A one-dimensional input.
    features : array-like of shape (n, k)
        :math:`h_k(x_i)`.
    weights : array-like of shape (k,)
    intercept : float
    y : array-like of shape (n,), optional
        The targets, drawn as points.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = _vector(x, "x")
    H = check_array(features, name="features", dtype=np.float64)
    if H.shape[0] != x.size:
        raise ValueError(f"features must have one row per x ({x.size}); got {H.shape[0]}.")
    w = _vector(weights, "weights", H.shape[1])
    b = check_scalar(intercept, "intercept")
    order = np.argsort(x)
    fig, ax = figure_and_axes(ax, width=6.4, height=4.0)
    if y is not None:
        ax.scatter(x, _vector(y, "y", x.size), s=8, color="0.6", label="samples")
    for k in range(H.shape[1]):
        ax.plot(x[order], w[k] * H[order, k], lw=0.8, alpha=0.8,
                label="$w_k h_k(x)$, one per feature" if k == 0 else None)
    ax.plot(x[order], H[order] @ w + b, color="k", lw=2, label="$\\sum_k w_k h_k(x) + b$")
    ax.set(xlabel="x", ylabel="y", title=title)
    ax.legend(loc="best", fontsize=8)
    return fig
