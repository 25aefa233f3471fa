r"""Pictures of linear regression: the fitted line and its residuals, loss curves against the
exact optimum, the effect of the learning rate, coefficients side by side, the loss surface of a
two-parameter problem with solver paths, the error of QR and Cholesky against the condition
number, weighted fits and the spread of estimates, and the active set of non-negative least
squares step by step.

Every function returns a matplotlib ``Figure`` and keeps no pyplot state. Functions that draw
into one panel accept ``ax=`` so that figures can be composed.

The loss throughout is the library's least-squares objective, half the mean squared error,

.. math:: f(\theta) = \frac{1}{2n}\|y - X\theta\|_2^2 ,

whose minimum value :math:`f^*` an exact solver gives; the iterative solvers' ``loss_curve_``
records :math:`f` after every epoch, so :math:`f - f^*` on a log scale shows how many digits
each has gained.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar, check_X_y
from fromscratch.plot._style import figure_and_axes, new_figure

__all__ = [
    "plot_fit",
    "plot_loss_curves",
    "plot_learning_rates",
    "plot_coefficients",
    "plot_loss_surface",
    "plot_error_vs_condition",
    "plot_weighted_fit",
    "plot_sampling_distributions",
    "plot_active_set_path",
]

_COLORS = ("tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple", "tab:brown",
           "tab:pink", "tab:olive", "tab:cyan", "tab:gray")


def _check_mapping(value: Any, name: str, what: str) -> None:
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"{name} must be a non-empty mapping {what}; got "
                        f"{type(value).__name__}.")


def _one_feature(X: Any, y: Any, function: str) -> tuple[np.ndarray, np.ndarray]:
    """``X`` and ``y`` of a picture of 1-D data, validated."""
    X, y = check_X_y(X, y)
    if X.shape[1] != 1:
        raise ValueError(f"{function} draws 1-D data; X has {X.shape[1]} features.")
    return X, y


def _curve(value: Any, name: str) -> np.ndarray:
    """A loss curve: a fitted estimator's ``loss_curve_`` or a 1-D array of losses."""
    values = getattr(value, "loss_curve_", value)
    return check_array(values, name=name, ensure_2d=False, dtype=np.float64).reshape(-1)


def _gaps(curves: dict[str, np.ndarray], optimum: float | None) -> tuple[dict, float | None]:
    """Curves minus the optimum, and the floor at which gaps of 0 (or rounding noise below 0)
    are drawn on the log scale."""
    if optimum is None:
        return curves, None
    optimum = check_scalar(optimum, "optimum")
    gaps = {k: v - optimum for k, v in curves.items()}
    if optimum != 0:
        # An exact solver lands within rounding of f*: its gap is drawn at the rounding level.
        floor = 8 * np.finfo(np.float64).eps * abs(optimum)
    else:
        positive = np.concatenate([g[g > 0] for g in gaps.values()])
        floor = float(positive.min()) if positive.size else 1.0
    return gaps, floor


def plot_fit(model: Any, X: Any, y: Any, *, true_function: Any = None,
             title: str = "Least-squares line"):
    r"""The fitted line :math:`\hat y = wx + b` through 1-D data, and its residuals.

    Left: the samples, the line, and each residual :math:`r_i = y_i - \hat y_i` as a vertical
    segment — least squares minimizes the sum of their squares. Right: the residuals against
    :math:`x` with the band :math:`\pm 2s`, :math:`s^2 = \sum_i r_i^2/(n - 2)`; a good linear
    fit leaves a patternless band around 0.

    Parameters
    ----------
    model : fitted regressor
        With ``predict`` (e.g. :class:`fromscratch.linear_model.LinearRegression`), fitted on
        one feature.
    X : array-like of shape (n_samples, 1)
    y : array-like of shape (n_samples,)
    true_function : callable, optional
        The noiseless truth ``f(X)`` (e.g. ``make_linear(...).true_function``), drawn dashed.

    Returns
    -------
    matplotlib.figure.Figure
    """
    X, y = _one_feature(X, y, "plot_fit")
    from matplotlib.collections import LineCollection

    x = X[:, 0]
    fitted = np.asarray(model.predict(X), dtype=np.float64)
    residuals = y - fitted
    fig, (left, right) = new_figure(2, width=10.5, height=4.0)
    left.add_collection(LineCollection(list(np.stack([np.column_stack([x, fitted]),
                                                      np.column_stack([x, y])], axis=1)),
                                       colors="tab:red", linewidths=0.8, alpha=0.6,
                                       label="residuals"))
    left.scatter(x, y, s=14, color="tab:gray", edgecolor="k", linewidth=0.3, zorder=3,
                 label="samples")
    grid = np.linspace(x.min(), x.max(), 200)[:, None]
    coef = np.ravel(getattr(model, "coef_", [np.nan]))[0]
    intercept = float(np.ravel(getattr(model, "intercept_", np.nan))[0])
    left.plot(grid[:, 0], model.predict(grid), color="tab:blue", lw=2,
              label=f"fit: ŷ = {coef:.3g}·x + {intercept:.3g}")
    if true_function is not None:
        left.plot(grid[:, 0], np.asarray(true_function(grid)), color="k", ls="--", lw=1,
                  label="truth (noiseless)")
    left.set(xlabel="x", ylabel="y", title=title)
    left.legend(loc="best", fontsize=8)

    n = len(y)
    s = float(np.sqrt(residuals @ residuals / max(n - 2, 1)))
    right.axhline(0.0, color="k", lw=0.8)
    right.axhspan(-2 * s, 2 * s, color="tab:blue", alpha=0.1, label="±2s")
    right.scatter(x, residuals, s=14, color="tab:red", edgecolor="k", linewidth=0.3)
    right.set(xlabel="x", ylabel="residual  y − ŷ",
              title=f"Residuals (s = {s:.3g}, mean {residuals.mean():.1e})")
    right.legend(loc="best", fontsize=8)
    return fig


def plot_loss_curves(
    curves: Mapping[str, Any],
    optimum: float | None = None,
    *,
    updates_per_epoch: Mapping[str, float] | None = None,
    logx: bool = False,
    ax: Any = None,
    title: str = "Loss per epoch",
):
    r"""Loss curves of iterative solvers, as the gap :math:`f(\theta_k) - f^*` to the exact
    optimum on a log scale.

    A one-point curve (an exact solver, or Newton's single step) is drawn as a marker. Gaps at
    or below rounding level (:math:`8\varepsilon|f^*|`) are drawn at that level.

    Parameters
    ----------
    curves : mapping
        Label → a fitted estimator with ``loss_curve_`` or a 1-D array of losses, one per epoch.
    optimum : float, optional
        :math:`f^*`, e.g. the loss of the QR solution. Without it the losses themselves are
        drawn (log scale).
    updates_per_epoch : mapping, optional
        Label → parameter updates per epoch (:math:`\lceil n/B\rceil` for batch size
        :math:`B`); then the x axis counts *updates* instead of epochs. Labels not in it count
        one update per epoch.
    logx : bool
        Logarithmic x axis (for curves of very different lengths).

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_mapping(curves, "curves", "label -> fitted estimator or 1-D loss curve")
    losses = {str(k): _curve(v, f"curves[{k!r}]") for k, v in curves.items()}
    if updates_per_epoch is not None and not isinstance(updates_per_epoch, Mapping):
        raise TypeError("updates_per_epoch must be a mapping label -> updates per epoch; got "
                        f"{type(updates_per_epoch).__name__}.")
    shown, floor = _gaps(losses, optimum)
    fig, ax = figure_and_axes(ax, width=6.5, height=4.2)
    for color, (label, values) in zip(_COLORS * 3, shown.items(), strict=False):
        per_epoch = 1.0 if updates_per_epoch is None else float(
            updates_per_epoch.get(label, 1.0))
        steps = np.arange(1, len(values) + 1) * per_epoch
        values = values if floor is None else np.maximum(values, floor)
        style = dict(marker="o", ms=7, ls="none") if len(values) == 1 else dict(lw=1.5)
        ax.plot(steps, values, color=color, label=label, **style)
    ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel="epoch" if updates_per_epoch is None else "parameter updates",
           ylabel="f − f*  (gap to the exact optimum)" if optimum is not None else "loss f",
           title=title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_learning_rates(
    results: Mapping[float, Any],
    optimum: float | None = None,
    *,
    curvature: float | None = None,
    title: str = "Gradient descent: the learning rate",
):
    r"""Loss curves for several learning rates :math:`\eta`, runs that diverged included.

    Left: :math:`f - f^*` per epoch for each rate; a run that raised (e.g. the library's
    :class:`~fromscratch.exceptions.DivergenceError`) appears in the legend with
    the name of its exception. Right (with ``curvature``): for a quadratic with curvature
    :math:`\lambda` the error contracts per step by :math:`|1 - \eta\lambda|` — below 1 it
    converges (fastest at :math:`\eta = 1/\lambda`), between 1 and 2 it overshoots and
    oscillates, above :math:`2/\lambda` it diverges. The rates of the left panel are marked on
    that curve.

    Parameters
    ----------
    results : mapping
        Learning rate → a fitted estimator with ``loss_curve_``, a 1-D loss curve, or the
        exception the fit raised.
    optimum : float, optional
        :math:`f^*`; without it the losses are drawn.
    curvature : float, optional
        :math:`\lambda`, the (largest) eigenvalue of the Hessian of :math:`f`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_mapping(results, "results", "learning rate -> estimator, loss curve or exception")
    rates = {check_scalar(rate, "learning rate", min_val=0.0, include_min=False): value
             for rate, value in results.items()}
    failed = {rate: value for rate, value in rates.items() if isinstance(value, BaseException)}
    curves = {rate: _curve(value, f"results[{rate!r}]") for rate, value in rates.items()
              if rate not in failed}
    if curvature is not None:
        curvature = check_scalar(curvature, "curvature", min_val=0.0, include_min=False)
    fig, axes = new_figure(2 if curvature is not None else 1, width=11.0 if curvature else 6.5,
                           height=4.2)
    left = axes[0] if curvature is not None else axes
    colors = dict(zip(rates, _COLORS * 3, strict=False))

    def label(rate: float) -> str:
        return f"η = {rate:.3g}" + (f"  (ηλ = {rate * curvature:.2g})" if curvature else "")

    if curves:
        shown, floor = _gaps({str(k): v for k, v in curves.items()}, optimum)
        for rate, values in zip(curves, shown.values(), strict=True):
            values = values if floor is None else np.maximum(values, floor)
            left.plot(np.arange(1, len(values) + 1), values, color=colors[rate], lw=1.5,
                      marker="." if len(values) < 40 else None, label=label(rate))
        left.set_yscale("log")
    for rate, exc in failed.items():  # a legend entry only: the run has no curve to draw
        left.plot([], [], "x", color=colors[rate], ms=8, mew=2,
                  label=f"{label(rate)}: {type(exc).__name__}")
    left.legend(loc="best", fontsize=8)
    left.set(xlabel="epoch", title=title,
             ylabel="f − f*  (gap to the exact optimum)" if optimum is not None else "loss f")
    left.grid(True, which="major", alpha=0.3)

    if curvature is not None:
        right = axes[1]
        top = max(2.6, 1.1 * max(rate * curvature for rate in rates))
        eta_lambda = np.linspace(0.0, top, 400)
        right.plot(eta_lambda, np.abs(1 - eta_lambda), color="k", lw=1.2)
        right.axhline(1.0, color="gray", ls="--", lw=0.8)
        right.axvspan(2.0, top, color="tab:red", alpha=0.1, label="diverges (ηλ > 2)")
        right.axvspan(1.0, 2.0, color="tab:orange", alpha=0.1, label="overshoots (1 < ηλ < 2)")
        for rate in rates:
            right.plot(rate * curvature, abs(1 - rate * curvature), "o", color=colors[rate],
                       ms=8, markeredgecolor="k")
        right.set(xlabel="ηλ", ylabel="|1 − ηλ|  (error factor per step)", xlim=(0, top),
                  title="Contraction per step on a quadratic")
        right.legend(loc="upper left", fontsize=8)
    return fig


def plot_coefficients(
    coefs: Mapping[str, Any],
    feature_names: Any = None,
    *,
    reference: str | None = None,
    ax: Any = None,
    title: str = "Coefficients",
):
    """Coefficients of several fits side by side: one group of bars per feature.

    Parameters
    ----------
    coefs : mapping
        Label → a fitted estimator with ``coef_`` or a 1-D array of coefficients (all the same
        length).
    feature_names : sequence of str, optional
        Tick labels; default ``x0, x1, ...``.
    reference : str, optional
        A label of ``coefs`` drawn as a black tick across each group (e.g. the exact QR answer)
        instead of a bar, so the bars can be read against it.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_mapping(coefs, "coefs", "label -> fitted estimator or coefficient vector")
    vectors = {str(k): check_array(getattr(v, "coef_", v), name=f"coefs[{k!r}]",
                                   ensure_2d=False, dtype=np.float64).reshape(-1)
               for k, v in coefs.items()}
    sizes = {v.size for v in vectors.values()}
    if len(sizes) != 1:
        raise ValueError(f"all coefficient vectors must have the same length; got "
                         f"{ {k: v.size for k, v in vectors.items()} }.")
    p = sizes.pop()
    names = [f"x{j}" for j in range(p)] if feature_names is None else [str(n) for n in
                                                                       feature_names]
    if len(names) != p:
        raise ValueError(f"feature_names has {len(names)} names for {p} coefficients.")
    if reference is not None and reference not in vectors:
        raise ValueError(f"reference {reference!r} is not a label of coefs "
                         f"({', '.join(vectors)}).")
    bars = {k: v for k, v in vectors.items() if k != reference}
    fig, ax = figure_and_axes(ax, width=max(6.5, 0.8 * p + 2.5), height=4.2)
    positions = np.arange(p)
    width = 0.8 / max(len(bars), 1)
    for i, (color, (label, values)) in enumerate(zip(_COLORS * 3, bars.items(),
                                                     strict=False)):
        ax.bar(positions - 0.4 + (i + 0.5) * width, values, width=width, color=color,
               label=label)
    if reference is not None:
        ax.hlines(vectors[reference], positions - 0.45, positions + 0.45, colors="k", lw=2,
                  label=reference)
    ax.axhline(0.0, color="k", lw=0.6)
    ax.set_xticks(positions, names)
    ax.set(ylabel="coefficient", title=title)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_loss_surface(
    X: Any,
    y: Any,
    paths: Mapping[str, Any] | None = None,
    *,
    parameter_names: tuple[str, str] = ("θ₀", "θ₁"),
    window: Any = None,
    resolution: int = 150,
    ax: Any = None,
    title: str = "Loss surface and solver paths",
):
    r"""Contours of :math:`f(\theta) = \frac{1}{2n}\|y - X\theta\|^2` for two parameters, with
    the minimum and the paths of iterative solvers.

    :math:`f` is a quadratic, so its contours are ellipses centred on the least-squares
    solution :math:`\hat\theta` (computed with :func:`fromscratch.linalg.lstsq`, a white star),
    with axes along the eigenvectors of :math:`X^\top X`; their elongation is the condition
    number. Levels are spaced geometrically in :math:`f - f^*` so both the bowl and its floor
    show.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
        The design; for a line with intercept use the columns :math:`[x, 1]`, so that
        :math:`\theta = (w, b)`.
    y : array-like of shape (n_samples,)
    paths : mapping, optional
        Label → array of shape (k, 2): the iterates, starting point first.
    parameter_names : pair of str
        Axis labels.
    window : ((lo, hi), (lo, hi)), optional
        The region drawn; default: the paths and the minimum with a margin.
    resolution : int
        Grid points per axis.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.colors import LogNorm

    from fromscratch.linalg import lstsq

    X, y = check_X_y(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"plot_loss_surface needs exactly 2 parameters; X has {X.shape[1]} "
                         "columns.")
    resolution = check_scalar(resolution, "resolution", kind=int, min_val=10)
    if paths is not None:
        _check_mapping(paths, "paths", "label -> array of iterates of shape (k, 2)")
        paths = {str(k): check_array(v, name=f"paths[{k!r}]") for k, v in paths.items()}
        for label, path in paths.items():
            if path.shape[1] != 2:
                raise ValueError(f"paths[{label!r}] must have shape (k, 2); got {path.shape}.")
    theta_hat = lstsq(X, y)
    if window is None:
        points = np.vstack([theta_hat[None, :], *(paths or {}).values()])
        low, high = points.min(axis=0), points.max(axis=0)
        span = np.maximum(high - low, 1e-3 * (np.abs(theta_hat) + 1))
        window = np.column_stack([low - 0.15 * span, high + 0.15 * span])
    (a0, a1), (b0, b1) = np.asarray(window, dtype=np.float64)
    T0, T1 = np.meshgrid(np.linspace(a0, a1, resolution), np.linspace(b0, b1, resolution))
    thetas = np.column_stack([T0.ravel(), T1.ravel()])
    n = len(y)
    residuals = y[None, :] - thetas @ X.T
    F = (np.einsum("ij,ij->i", residuals, residuals) / (2 * n)).reshape(T0.shape)
    r_hat = y - X @ theta_hat
    f_star = float(r_hat @ r_hat) / (2 * n)
    gap = F - f_star
    top = float(gap.max())
    bottom = max(float(gap[gap > 0].min()), top * 1e-6)
    levels = np.geomspace(bottom, top, 25)

    fig, ax = figure_and_axes(ax, width=6.4, height=5.0)
    filled = ax.contourf(T0, T1, np.maximum(gap, bottom), levels=levels,
                         norm=LogNorm(bottom, top), cmap="viridis")
    ax.contour(T0, T1, np.maximum(gap, bottom), levels=levels[::2], colors="white",
               linewidths=0.4, alpha=0.6)
    from matplotlib.ticker import LogLocator

    fig.colorbar(filled, ax=ax, shrink=0.9, ticks=LogLocator()).set_label("f − f* (log scale)")
    for color, (label, path) in zip(("tab:red", "white", "tab:orange", "tab:pink", "cyan"),
                                    (paths or {}).items(), strict=False):
        ax.plot(path[:, 0], path[:, 1], color=color, lw=1.3, marker=".", ms=4, label=label)
        ax.plot(path[0, 0], path[0, 1], "o", color=color, markeredgecolor="k", ms=7)
    ax.plot(*theta_hat, "*", color="white", markeredgecolor="k", ms=15,
            label="least squares θ̂", zorder=5)
    ax.set(xlim=(a0, a1), ylim=(b0, b1), xlabel=parameter_names[0], ylabel=parameter_names[1],
           title=title)
    ax.set_aspect("equal", adjustable="box")  # round contours look round
    ax.legend(loc="upper right", fontsize=7, framealpha=0.8)
    return fig


def plot_error_vs_condition(
    condition_numbers: Any,
    errors: Mapping[str, Any],
    *,
    eps: float = float(np.finfo(np.float64).eps),
    ax: Any = None,
    title: str = "Accuracy against conditioning",
):
    r"""The error of each solver against the condition number :math:`\kappa(X)`, log-log, with
    the first-order predictions :math:`\kappa\varepsilon` (backward-stable QR on a consistent
    system) and :math:`\kappa^2\varepsilon` (the normal equations, whose matrix
    :math:`X^\top X` has condition number :math:`\kappa^2`).

    Parameters
    ----------
    condition_numbers : array-like of shape (k,)
        :math:`\kappa(X)` of each test problem (e.g. ``LinearRegression().condition_number_``).
    errors : mapping
        Solver label → array of shape (k,): its error (e.g. max-abs coefficient error) on each
        problem; NaN marks a problem the solver refused (drawn as a cross on the top edge).
    eps : float
        Machine epsilon.

    Returns
    -------
    matplotlib.figure.Figure
    """
    kappa = check_array(condition_numbers, name="condition_numbers", ensure_2d=False,
                        dtype=np.float64).reshape(-1)
    if np.any(kappa < 1):
        raise ValueError("condition_numbers must all be at least 1 (κ ≥ 1 for any matrix).")
    _check_mapping(errors, "errors", "solver label -> array of errors")
    eps = check_scalar(eps, "eps", min_val=0.0, include_min=False)
    values = {}
    for label, value in errors.items():
        err = np.asarray(value, dtype=np.float64).reshape(-1)
        if err.shape != kappa.shape:
            raise ValueError(f"errors[{label!r}] has {err.size} entries for {kappa.size} "
                             "condition numbers.")
        values[str(label)] = err
    fig, ax = figure_and_axes(ax, width=6.5, height=4.5)
    grid = np.geomspace(kappa.min(), kappa.max(), 100)
    ax.plot(grid, np.minimum(grid * eps, 1.0), color="tab:blue", ls=":", lw=1, label="κε")
    ax.plot(grid, np.minimum(grid**2 * eps, 1.0), color="tab:red", ls=":", lw=1, label="κ²ε")
    finite = np.concatenate([e[np.isfinite(e) & (e > 0)] for e in values.values()])
    floor = max(float(finite.min()) if finite.size else eps, eps) / 2
    top = 1.0 if not finite.size else max(1.0, float(finite.max()) * 2)
    for color, (label, err) in zip(_COLORS * 3, values.items(), strict=False):
        ok = np.isfinite(err)
        ax.plot(kappa[ok], np.maximum(err[ok], floor), "o-", color=color, label=label)
        if not ok.all():
            ax.plot(kappa[~ok], np.full((~ok).sum(), top), "x", color=color, ms=10, mew=2,
                    label=f"{label}: refused (singular)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(xlabel="condition number κ(X)", ylabel="error", ylim=(floor / 2, top * 2),
           title=title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def plot_weighted_fit(
    X: Any,
    y: Any,
    sample_weight: Any,
    models: Mapping[str, Any],
    *,
    true_function: Any = None,
    ax: Any = None,
    title: str = "Weighted against unweighted least squares",
):
    r"""Fitted lines of 1-D data whose samples carry weights, drawn as the marker areas.

    Weighted least squares minimizes :math:`\sum_i s_i (y_i - w x_i - b)^2`: a heavy sample
    pulls the line towards itself, a light one hardly matters, so the marker area shows how
    much each residual counts.

    Parameters
    ----------
    X : array-like of shape (n_samples, 1)
    y : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,) or None
        None weighs every point the same (the estimators' meaning of None).
    models : mapping
        Label → a fitted estimator with ``predict`` (e.g. ``LinearRegression`` fitted with
        and without the weights).
    true_function : callable, optional
        The noiseless truth :math:`x \mapsto y`, drawn dashed.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from fromscratch._validation import check_sample_weight

    X, y = _one_feature(X, y, "plot_weighted_fit")
    weight = check_sample_weight(sample_weight, len(y))
    if weight is None:
        weight = np.ones(len(y))
    _check_mapping(models, "models", "label -> fitted estimator")
    fig, ax = figure_and_axes(ax, width=6.4, height=4.4)
    area = 4.0 + 80.0 * weight / weight.max()  # the lightest stay visible
    ax.scatter(X[:, 0], y, s=area, color="0.55", edgecolor="k", linewidth=0.3, alpha=0.7,
               label="samples (area ∝ weight)")
    grid = np.linspace(X.min(), X.max(), 200).reshape(-1, 1)
    if true_function is not None:
        ax.plot(grid[:, 0], true_function(grid), "k--", lw=1, label="truth")
    for k, (color, (label, model)) in enumerate(zip(_COLORS, models.items(), strict=False)):
        # thinner on top, so that lines which nearly coincide stay visible
        ax.plot(grid[:, 0], model.predict(grid), color=color, lw=3.0 / (1 + k), label=str(label))
    ax.set(xlabel="x", ylabel="y", title=title)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_sampling_distributions(
    estimates: Mapping[str, Any],
    *,
    truth: float | None = None,
    bins: int = 30,
    ax: Any = None,
    xlabel: str = "estimate",
    title: str = "Sampling distributions",
):
    r"""Histograms of an estimate over repeated samples, one per method, with their standard
    deviations in the legend: the smaller the spread, the more efficient the estimator.

    Parameters
    ----------
    estimates : mapping
        Label → array of shape (n_repeats,): the estimate on each simulated data set.
    truth : float, optional
        The true value, drawn as a vertical line.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_mapping(estimates, "estimates", "label -> array of estimates")
    values = {str(k): check_array(v, name=f"estimates[{k!r}]", ensure_2d=False,
                                  dtype=np.float64).reshape(-1) for k, v in estimates.items()}
    bins = check_scalar(bins, "bins", kind=int, min_val=1)
    fig, ax = figure_and_axes(ax, width=6.0, height=4.2)
    edges = np.histogram_bin_edges(np.concatenate(list(values.values())), bins=bins)
    for color, (label, value) in zip(_COLORS, values.items(), strict=False):
        ax.hist(value, bins=edges, color=color, alpha=0.45, edgecolor=color,
                label=f"{label} (sd {value.std(ddof=1):.3g})")
    if truth is not None:
        ax.axvline(check_scalar(truth, "truth"), color="k", ls="--", lw=1, label="truth")
    ax.set(xlabel=xlabel, ylabel="repeats", title=title)
    ax.legend(loc="best", fontsize=8)
    return fig


def plot_active_set_path(
    A: Any,
    b: Any,
    steps: Any,
    *,
    parameter_names: tuple[str, str] = ("x₁", "x₂"),
    resolution: int = 150,
    ax: Any = None,
    title: str = "Non-negative least squares, step by step",
):
    r"""The iterates of the active-set method (:func:`fromscratch.linalg.nnls`) for two
    unknowns, on the loss surface of :math:`\|Ax - b\|^2` (:func:`plot_loss_surface`).

    The feasible quadrant :math:`x \ge 0` is hatched; the unconstrained minimum (the white
    star) lies outside it. Each iterate is numbered and labelled with its passive set
    :math:`P`: a variable enters where the negative gradient points into the quadrant, a full
    step goes to the least-squares solution on :math:`P`, and a step that would leave the
    quadrant stops at its edge, where a variable returns to the active set.

    Parameters
    ----------
    A : array-like of shape (m, 2)
    b : array-like of shape (m,)
    steps : sequence of (x, passive)
        The iterates and passive-set masks, as ``nnls(A, b, callback=...)`` reports them.

    Returns
    -------
    matplotlib.figure.Figure
    """
    A, b = check_X_y(A, b)
    if A.shape[1] != 2:
        raise ValueError(f"plot_active_set_path draws two unknowns; A has {A.shape[1]} columns.")
    path = np.vstack([np.zeros(2)] + [check_array(x, name="steps[k][0]", ensure_2d=False)
                                      for x, _ in steps])
    passive_sets = [np.zeros(2, dtype=bool)] + [np.asarray(p, dtype=bool) for _, p in steps]
    fig = plot_loss_surface(A, b, {"active-set iterates": path},
                            parameter_names=parameter_names, resolution=resolution, ax=ax,
                            title=title)
    ax = fig.axes[0]
    (_, right), (_, top) = ax.get_xlim(), ax.get_ylim()
    ax.fill_between([0, right], 0, top, facecolor="none", hatch="//", edgecolor="white",
                    linewidth=0, alpha=0.35, label="feasible: x ≥ 0")
    ax.axhline(0, color="white", lw=1, zorder=1.5)  # under the path, which runs along them
    ax.axvline(0, color="white", lw=1, zorder=1.5)
    for k, (x, passive) in enumerate(zip(path, passive_sets, strict=True)):
        names = [parameter_names[j] for j in np.flatnonzero(passive)]
        ax.annotate(f"{k}: P = {{{', '.join(names)}}}", x, textcoords="offset points",
                    xytext=(6, 6 if k % 2 else -12), fontsize=8, color="white")
    ax.legend(loc="upper right", fontsize=7, framealpha=0.8)
    return fig
