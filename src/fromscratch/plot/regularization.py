r"""Pictures of regularization: under- and overfitting, coefficient paths, the constraint view.

* :func:`plot_polynomial_fits` — polynomial fits of increasing degree, one panel each.
* :func:`plot_train_test_error` — training and test error against model complexity.
* :func:`plot_split_estimates` — what the training and the test error say about the error on
  new data, over many random train–test splits.
* :func:`plot_coefficient_paths` — each coefficient against the penalty :math:`\alpha`.
* :func:`plot_ridge_descent` — the path of gradient descent on the ridge objective's contours,
  with the penalty's circle through the solution.
* :func:`plot_normal_equation` — least squares and ridge as (shrunken) projections of
  :math:`y` onto the column space of :math:`X`, in three dimensions.
* :func:`plot_constraint_regions` — loss contours of a two-coefficient least-squares problem
  with the L2 disc and the L1 diamond, and where a contour first touches each.
* :func:`plot_shrinkage` — what ridge and the lasso do to one least-squares coefficient.
* :func:`plot_alpha_cv` — cross-validation error against :math:`\alpha`, with the best one.
* :func:`plot_predicted_vs_actual` — predictions against the truth, one panel per model.
* :func:`plot_top_coefficients` — the largest coefficients of a model as horizontal bars.

Every function returns a matplotlib ``Figure`` and keeps no pyplot state. Functions that draw
into one panel accept ``ax=`` so that a chapter can compose several panels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar, check_y
from fromscratch.plot._style import figure_and_axes, new_figure

__all__ = [
    "plot_polynomial_fits",
    "plot_train_test_error",
    "plot_split_estimates",
    "plot_coefficient_paths",
    "plot_ridge_descent",
    "plot_normal_equation",
    "plot_constraint_regions",
    "plot_shrinkage",
    "plot_alpha_cv",
    "plot_predicted_vs_actual",
    "plot_top_coefficients",
]

_TRAIN, _TEST, _TRUTH = "tab:blue", "tab:red", "0.35"
_L2, _L1 = "tab:blue", "tab:orange"


def _grid_shape(n_panels: int, ncols: int | None) -> tuple[int, int]:
    ncols = min(n_panels, 4) if ncols is None else check_scalar(ncols, "ncols", kind=int,
                                                                min_val=1)
    return -(-n_panels // ncols), ncols


def _one_feature(X: Any, name: str) -> np.ndarray:
    X = check_array(X, name=name, ensure_2d=False)
    if X.ndim == 2 and X.shape[1] == 1:
        X = X[:, 0]
    if X.ndim != 1:
        raise ValueError(f"{name} must hold one feature, shape (n,) or (n, 1); got {X.shape}.")
    return X


def _curve(values: Any, n: int, name: str) -> np.ndarray:
    values = check_y(values, name=name)
    if values.shape[0] != n:
        raise ValueError(f"{name} has {values.shape[0]} values but there are {n} points on the "
                         "x axis; give one value per point.")
    return values


# -- under- and overfitting --------------------------------------------------------------------


def plot_polynomial_fits(
    X: Any,
    y: Any,
    models: Mapping[Any, Any],
    *,
    true_function: Any = None,
    X_test: Any = None,
    y_test: Any = None,
    ncols: int | None = None,
    ylim: tuple[float, float] | None = None,
):
    """One panel per fitted model of one feature: the data, the fitted curve and the truth.

    Parameters
    ----------
    X, y : array-like of shape (n,) or (n, 1), and (n,)
        The training data (drawn as dots).
    models : mapping of label -> fitted regressor
        Each model's ``predict`` is drawn on a fine grid; the label (e.g. the degree) titles
        its panel: an int ``d`` is written "degree d".
    true_function : callable, optional
        The noiseless :math:`f(x)`, drawn dashed.
    X_test, y_test : optional
        Held-out points, drawn as open circles.
    ncols : int, optional
        Panels per row (default: up to 4).
    ylim : (float, float), optional
        Vertical range; by default the data's range with a margin, so that a wildly
        oscillating overfit curve does not squash the picture.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = _one_feature(X, "X")
    y = _curve(y, x.shape[0], "y")
    if not models:
        raise ValueError("models is empty; give at least one fitted model.")
    points = [x]
    if X_test is not None:
        x_test = _one_feature(X_test, "X_test")
        y_test = _curve(y_test, x_test.shape[0], "y_test")
        points.append(x_test)
    low, high = min(p.min() for p in points), max(p.max() for p in points)
    grid = np.linspace(low, high, 400)
    if ylim is None:
        spread = np.ptp(y) if np.ptp(y) > 0 else 1.0
        ylim = (y.min() - 0.35 * spread, y.max() + 0.35 * spread)
    nrows, ncols = _grid_shape(len(models), ncols)
    fig, axes = new_figure(ncols, nrows, width=3.2 * ncols, height=2.7 * nrows, sharex=True,
                           sharey=True)
    axes = np.atleast_1d(axes).ravel()
    for ax, (label, model) in zip(axes, models.items(), strict=False):
        if true_function is not None:
            ax.plot(grid, true_function(grid), "--", color=_TRUTH, lw=1.2, label="truth")
        ax.plot(grid, np.asarray(model.predict(grid[:, None]), dtype=float), color=_TEST,
                lw=1.8, label="fit")
        ax.scatter(x, y, s=16, color=_TRAIN, zorder=3, label="training data")
        if X_test is not None:
            ax.scatter(x_test, y_test, s=16, facecolors="none", edgecolors="0.4", zorder=3,
                       label="test data")
        ax.set_ylim(*ylim)
        ax.set_title(f"degree {label}" if isinstance(label, (int, np.integer)) else str(label))
    for ax in axes[len(models):]:
        ax.set_visible(False)
    axes[0].legend(frameon=False, fontsize=7, loc="lower left")
    fig.supxlabel("x")
    fig.supylabel("y")
    return fig


def plot_train_test_error(
    param_range: Sequence[float],
    train_error: Any,
    test_error: Any,
    *,
    param_name: str = "polynomial degree",
    error_name: str = "root mean squared error",
    log_y: bool = False,
    ax: Any = None,
):
    """Training and test error against model complexity, with the best test value marked.

    The training error keeps falling as the model grows; the test error falls, then rises
    once the model starts fitting the noise: the gap between them is overfitting.
    """
    x = check_array(param_range, name="param_range", ensure_2d=False)
    if x.ndim != 1:
        raise ValueError(f"param_range must be 1-D; got shape {x.shape}.")
    train = _curve(train_error, x.shape[0], "train_error")
    test = _curve(test_error, x.shape[0], "test_error")
    fig, ax = figure_and_axes(ax)
    ax.plot(x, train, "o-", color=_TRAIN, ms=4, label="training")
    ax.plot(x, test, "s-", color=_TEST, ms=4, label="test")
    best = int(np.argmin(test))
    ax.plot([x[best]], [test[best]], "k*", ms=12, label=f"best test: {param_name} {x[best]:g}")
    if log_y:
        ax.set_yscale("log")
    ax.set(xlabel=param_name, ylabel=error_name, title="Training vs test error")
    ax.legend(frameon=False)
    return fig


def plot_split_estimates(
    train_error: Any,
    test_error: Any,
    true_error: Any,
    *,
    bins: int = 30,
    ax: Any = None,
):
    r"""What the training error and the test error say about the error on new data.

    One value per repetition :math:`r` (a fresh data set, a random train–test split and a fit):
    the histograms show :math:`\mathrm{train}_r - \mathrm{true}_r` and
    :math:`\mathrm{test}_r - \mathrm{true}_r`, where :math:`\mathrm{true}_r` is the fitted
    model's expected error on new data. The training error sits to the left of zero (it is
    optimistic: the model has seen those points); the test error scatters around zero (it is
    an unbiased but noisy estimate). Dotted lines mark the means.

    Parameters
    ----------
    train_error, test_error, true_error : array-like of shape (n_repetitions,)
        Errors of each repetition (e.g. mean squared errors).
    bins : int, default 30
    """
    true_error = check_y(true_error, name="true_error")
    n = true_error.shape[0]
    train = _curve(train_error, n, "train_error") - true_error
    test = _curve(test_error, n, "test_error") - true_error
    bins = check_scalar(bins, "bins", kind=int, min_val=2)
    fig, ax = figure_and_axes(ax, width=6.4, height=4.0)
    edges = np.histogram_bin_edges(np.concatenate([train, test]), bins=bins)
    for values, color, label in ((train, _TRAIN, "training error − true error"),
                                 (test, _TEST, "test error − true error")):
        ax.hist(values, bins=edges, color=color, alpha=0.45, label=label)
        ax.axvline(values.mean(), color=color, ls=":", lw=2,
                   label=f"mean {values.mean():+.3g}")
    ax.axvline(0.0, color="k", lw=1)
    ax.set(xlabel="estimate − error on new data", ylabel="repetitions",
           title=f"{n} random train–test splits")
    ax.legend(frameon=False, fontsize=8)
    return fig


# -- penalties -----------------------------------------------------------------------------------


def plot_coefficient_paths(
    alphas: Any,
    coefs: Any,
    *,
    feature_names: Sequence[str] | None = None,
    title: str = "Coefficient paths",
    chosen_alpha: float | None = None,
    ax: Any = None,
):
    r"""Each coefficient against the penalty :math:`\alpha` (log axis, strongest on the left).

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,)
        Positive penalties, as returned by ``ridge_path`` / ``lasso_path``.
    coefs : array-like of shape (n_features, n_alphas)
    feature_names : sequence of str, optional
        Each path is labelled at its right (least penalized) end.
    chosen_alpha : float, optional
        Marked with a vertical dotted line (e.g. the cross-validated choice).
    """
    alphas = check_array(alphas, name="alphas", ensure_2d=False)
    if alphas.ndim != 1 or np.any(alphas <= 0):
        raise ValueError("alphas must be a 1-D array of positive penalties (a log axis).")
    coefs = check_array(coefs, name="coefs")
    if coefs.shape[1] != alphas.shape[0]:
        raise ValueError(f"coefs must have shape (n_features, {alphas.shape[0]}) to match "
                         f"alphas; got {coefs.shape}.")
    if feature_names is not None and len(feature_names) != coefs.shape[0]:
        raise ValueError(f"feature_names has {len(feature_names)} names but coefs has "
                         f"{coefs.shape[0]} rows.")
    fig, ax = figure_and_axes(ax)
    order = np.argsort(alphas)[::-1]
    alphas, coefs = alphas[order], coefs[:, order]
    colors = [f"C{j % 10}" for j in range(coefs.shape[0])]
    for j, path in enumerate(coefs):
        ax.plot(alphas, path, color=colors[j], lw=1.5)
        if feature_names is not None:
            ax.annotate(str(feature_names[j]), (alphas[-1], path[-1]), xytext=(3, 0),
                        textcoords="offset points", fontsize=7, color=colors[j], va="center")
    ax.axhline(0.0, color="0.6", lw=0.8)
    if chosen_alpha is not None:
        ax.axvline(chosen_alpha, color="0.4", ls=":", lw=1.2)
    ax.set_xscale("log")
    # Strong penalty (all zero) on the left, least squares on the right; room for the labels.
    ax.set_xlim(alphas[0] * 1.3, alphas[-1] / (8.0 if feature_names is not None else 1.3))
    ax.set(xlabel=r"penalty $\alpha$ (decreasing →)", ylabel="coefficient", title=title)
    return fig


def _two_coefficients(w: Any, name: str) -> np.ndarray:
    w = check_array(w, name=name, ensure_2d=False)
    if w.shape != (2,):
        raise ValueError(f"{name} must hold 2 coefficients; got shape {w.shape}.")
    return w


def _centered_pair(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = check_array(X, name="X")
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 columns (one per axis); got {X.shape[1]}.")
    return X, _curve(y, X.shape[0], "y")


def plot_ridge_descent(
    X: Any,
    y: Any,
    alpha: float,
    w_ridge: Any,
    paths: Mapping[str, Any],
    *,
    n_grid: int = 300,
    ax: Any = None,
):
    r"""Gradient descent on the ridge objective, for two coefficients: the iterates on the
    contours, and the penalty's circle through the solution.

    The grey contours are those of the objective the solvers descend,
    :math:`J(w) = \|y - Xw\|^2 + \alpha\|w\|^2` (ellipses around the ridge solution
    :math:`\hat w`, a star). The circle :math:`\|w\|_2 = \|\hat w\|_2` is the penalty's
    level set through :math:`\hat w`; the dashed ellipse is the contour of the loss
    :math:`\mathrm{RSS}(w) = \|y - Xw\|^2` through :math:`\hat w`, tangent to the circle
    there (the constraint view); the cross is the least-squares solution.

    Parameters
    ----------
    X : array-like of shape (n, 2)
        Two centered features (the intercept is fitted by centering).
    y : array-like of shape (n,)
        The centered target.
    alpha : float
        The penalty :math:`\alpha > 0`.
    w_ridge : array-like of shape (2,)
        The ridge solution (e.g. the closed form).
    paths : mapping of label -> array of shape (k, 2)
        The iterates of each solver, starting point first.
    n_grid : int, default 300
        Grid points per axis for the contours.
    """
    from fromscratch.linalg import lstsq

    X, y = _centered_pair(X, y)
    alpha = check_scalar(alpha, "alpha", min_val=0.0, include_min=False)
    w_ridge = _two_coefficients(w_ridge, "w_ridge")
    n_grid = check_scalar(n_grid, "n_grid", kind=int, min_val=10)
    if not isinstance(paths, Mapping) or not paths:
        raise TypeError("paths must be a non-empty mapping label -> array of iterates (k, 2).")
    paths = {str(k): check_array(v, name=f"paths[{k!r}]") for k, v in paths.items()}
    for label, path in paths.items():
        if path.shape[1] != 2:
            raise ValueError(f"paths[{label!r}] must have shape (k, 2); got {path.shape}.")
    w_ols = lstsq(X, y)
    G, c, yy = X.T @ X, X.T @ y, float(y @ y)

    def rss(W: np.ndarray) -> np.ndarray:
        return yy - 2.0 * W @ c + np.einsum("...i,ij,...j->...", W, G, W)

    points = np.vstack([w_ols, w_ridge, np.zeros(2), *paths.values()])
    reach = 1.15 * np.abs(points).max()
    ticks = np.linspace(-reach, reach, n_grid)
    W = np.stack(np.meshgrid(ticks, ticks), axis=-1)
    J = rss(W) + alpha * np.einsum("...i,...i->...", W, W)
    J_star = float(rss(w_ridge) + alpha * w_ridge @ w_ridge)
    fig, ax = figure_and_axes(ax, width=5.6, height=5.2)
    ax.contour(ticks, ticks, J - J_star, levels=np.geomspace(1e-3, 1.0, 12) * float(
        (J - J_star).max()), colors="0.7", linewidths=0.7)
    ax.contour(ticks, ticks, rss(W), levels=[float(rss(w_ridge))], colors="0.2",
               linestyles="--", linewidths=1.2)
    t = float(np.sqrt(w_ridge @ w_ridge))
    angle = np.linspace(0.0, 2.0 * np.pi, 400)
    ax.plot(t * np.cos(angle), t * np.sin(angle), color=_L2, lw=1.8,
            label=rf"penalty's circle $\|w\|_2 = {t:.3g}$")
    for color, (label, path) in zip(("tab:red", "tab:green", "tab:purple", "tab:brown"),
                                    paths.items(), strict=False):
        ax.plot(path[:, 0], path[:, 1], ".-", color=color, lw=1.2, ms=4, label=label)
    ax.plot(*w_ols, "k+", ms=12, mew=2, label="least squares")
    ax.plot(*w_ridge, "*", color="gold", mec="k", ms=15, zorder=5,
            label=rf"ridge $\hat w$ ($\alpha = {alpha:g}$)")
    ax.set_aspect("equal")
    ax.set(xlim=(-reach, reach), ylim=(-reach, reach), xlabel="$w_1$", ylabel="$w_2$",
           title="Gradient descent on the ridge objective")
    ax.legend(frameon=True, framealpha=0.9, fontsize=7, loc="lower left")
    return fig


def plot_normal_equation(X: Any, y: Any, fits: Mapping[str, Any], *, path: Any = None):
    r"""Least squares as the orthogonal projection of :math:`y` onto the column space of
    :math:`X`, and ridge as a shrunken one — three samples, two features, in 3-D.

    The plane is :math:`\{Xw\}`, spanned by the columns :math:`x_1, x_2` (arrows). A fit
    :math:`\hat y = X\hat w` is a point of the plane; its residual :math:`y - \hat y` is drawn
    from it to :math:`y`. For least squares the residual is perpendicular to the plane,
    :math:`X^\top(y - \hat y) = 0` — the normal equation; for ridge it is not:
    :math:`X^\top(y - \hat y) = \alpha \hat w`.

    Parameters
    ----------
    X : array-like of shape (3, 2)
    y : array-like of shape (3,)
    fits : mapping of label -> array of shape (3,)
        Fitted vectors :math:`\hat y` (e.g. least squares and ridge).
    path : array-like of shape (k, 3), optional
        Fitted vectors along a range of penalties, drawn as a curve in the plane.
    """
    X = check_array(X, name="X")
    if X.shape != (3, 2):
        raise ValueError(f"X must have shape (3, 2): three samples (the axes), two features; "
                         f"got {X.shape}.")
    y = _curve(y, 3, "y")
    if not isinstance(fits, Mapping) or not fits:
        raise TypeError("fits must be a non-empty mapping label -> fitted vector of shape (3,).")
    fits = {str(k): _curve(v, 3, f"fits[{k!r}]") for k, v in fits.items()}
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 5.6), layout="constrained")
    ax = fig.add_subplot(projection="3d")
    s = np.linspace(-0.4, 1.4, 2)
    S1, S2 = np.meshgrid(s, s)
    plane = X[:, 0, None, None] * S1 + X[:, 1, None, None] * S2
    ax.plot_surface(*plane, color=_L2, alpha=0.15, lw=0)
    origin = np.zeros(3)
    for j in range(2):
        ax.quiver(*origin, *X[:, j], color=_L2, arrow_length_ratio=0.08, lw=1.5)
        ax.text(*(1.05 * X[:, j]), f"$x_{j + 1}$", color=_L2)
    ax.quiver(*origin, *y, color="k", arrow_length_ratio=0.06, lw=2)
    ax.text(*(1.05 * y), "$y$")
    if path is not None:
        path = check_array(path, name="path")
        if path.shape[1] != 3:
            raise ValueError(f"path must have shape (k, 3); got {path.shape}.")
        ax.plot(*path.T, color="0.4", lw=1.2, ls=":", label=r"ridge fits as $\alpha$ grows")
    for color, (label, fit) in zip(("tab:red", _L1, "tab:green", "tab:purple"),
                                   fits.items(), strict=False):
        ax.plot(*np.column_stack([fit, y]), color=color, ls="--", lw=1.5)
        ax.scatter(*fit, color=color, s=40, depthshade=False, label=f"{label}: ŷ, residual")
    ax.set(xlabel="sample 1", ylabel="sample 2", zlabel="sample 3",
           title="Fits as points of the column space")
    ax.set_box_aspect((1, 1, 1))
    ax.legend(frameon=False, fontsize=7, loc="upper left")
    return fig


def plot_constraint_regions(X: Any, y: Any, w_l2: Any, w_l1: Any, *, n_grid: int = 300):
    r"""The constraint view of ridge (left) and the lasso (right) for two coefficients.

    The penalized problem :math:`\min_w \mathrm{RSS}(w) + \alpha\,\|w\|` is the Lagrangian of
    :math:`\min_w \mathrm{RSS}(w)` subject to :math:`\|w\| \le t`. Each panel draws the
    contours of :math:`\mathrm{RSS}(w) = \|y - Xw\|^2` (ellipses around the least-squares
    solution), the constraint set of radius :math:`t = \|\hat w\|` of the given solution — the
    disc :math:`\|w\|_2 \le t` or the diamond :math:`\|w\|_1 \le t` — and the solution itself,
    where the lowest contour touches the set (highlighted). The diamond's corners stick out,
    so the touching point is often a corner: a coefficient exactly zero.

    Parameters
    ----------
    X : array-like of shape (n, 2)
        Two (centered) features; no intercept is fitted here.
    y : array-like of shape (n,)
    w_l2, w_l1 : array-like of shape (2,)
        The ridge and lasso solutions to draw.
    n_grid : int, default 300
        Grid points per axis for the contours.
    """
    from fromscratch.linalg import lstsq

    X, y = _centered_pair(X, y)
    w_l2 = _two_coefficients(w_l2, "w_l2")
    w_l1 = _two_coefficients(w_l1, "w_l1")
    n_grid = check_scalar(n_grid, "n_grid", kind=int, min_val=10)
    w_ols = lstsq(X, y)
    t2, t1 = float(np.sqrt(w_l2 @ w_l2)), float(np.abs(w_l1).sum())

    # RSS(w) = yᵀy − 2wᵀXᵀy + wᵀXᵀXw, evaluated on the grid without forming residuals.
    G, c, yy = X.T @ X, X.T @ y, float(y @ y)

    def rss(W: np.ndarray) -> np.ndarray:
        return yy - 2.0 * W @ c + np.einsum("...i,ij,...j->...", W, G, W)

    reach = 1.25 * max(np.abs(w_ols).max(), t2, t1)
    ticks = np.linspace(-reach, reach, n_grid)
    W = np.stack(np.meshgrid(ticks, ticks), axis=-1)
    surface = rss(W)
    # Levels through points on the segment from the optimum to 1.3 × the origin: ellipses
    # evenly spread between the least-squares point and beyond the constraint sets.
    levels = np.unique(rss(np.outer(np.linspace(0.1, 1.3, 9), -w_ols) + w_ols))

    fig, axes = new_figure(2, width=10.0, height=4.8)
    angle = np.linspace(0.0, 2.0 * np.pi, 400)
    shapes = {
        "L2": (t2 * np.cos(angle), t2 * np.sin(angle), w_l2, _L2,
               r"ridge: $\|w\|_2 \leq t$", rf"$t = {t2:.3g}$"),
        "L1": (np.array([t1, 0, -t1, 0, t1]), np.array([0, t1, 0, -t1, 0]), w_l1, _L1,
               r"lasso: $\|w\|_1 \leq t$", rf"$t = {t1:.3g}$"),
    }
    for ax, (kind, (bx, by, w, color, title, radius)) in zip(axes, shapes.items(), strict=True):
        ax.contour(ticks, ticks, surface, levels=levels, colors="0.6", linewidths=0.8)
        ax.contour(ticks, ticks, surface, levels=[float(rss(w))], colors=color,
                   linewidths=1.8)
        ax.fill(bx, by, color=color, alpha=0.25, lw=1.5, ec=color,
                label=f"{kind} ball, {radius}")
        ax.plot(*w_ols, "k+", ms=12, mew=2, label="least squares")
        ax.plot(*w, "*", color="k", ms=13, label=f"constrained optimum ({w[0]:.3g}, {w[1]:.3g})")
        ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
        ax.set_aspect("equal")
        ax.set(xlim=(-reach, reach), ylim=(-reach, reach), xlabel="$w_1$", ylabel="$w_2$",
               title=title)
        ax.legend(frameon=True, framealpha=0.9, fontsize=7, loc="lower left")
    return fig


def plot_shrinkage(threshold: float = 1.0, *, ax: Any = None):
    r"""What each penalty does to one coefficient when the features are orthonormal.

    With :math:`X^\top X = I`, every problem splits into one problem per coefficient, solved
    in closed form from the least-squares value :math:`z = x_j^\top y`:
    ridge (:math:`\min \frac12\|y - Xw\|^2 + \frac{\lambda}{2}\|w\|^2`) shrinks proportionally,
    :math:`z/(1+\lambda)`; the lasso (:math:`\min \frac12\|y - Xw\|^2 + \lambda\|w\|_1`)
    *soft-thresholds*, :math:`S(z, \lambda) = \mathrm{sign}(z)\max(|z| - \lambda, 0)`:
    it moves every value towards zero by :math:`\lambda` and stops at exactly zero.
    """
    lam = check_scalar(threshold, "threshold", min_val=0.0, include_min=False)
    fig, ax = figure_and_axes(ax, width=5.2, height=4.2)
    z = np.linspace(-3.0 * lam, 3.0 * lam, 601)
    ax.plot(z, z, color="0.6", ls="--", lw=1.2, label="least squares: $z$")
    ax.plot(z, z / (1.0 + lam), color=_L2, lw=2, label=r"ridge: $z/(1+\lambda)$")
    ax.plot(z, np.sign(z) * np.maximum(np.abs(z) - lam, 0.0), color=_L1, lw=2,
            label=r"lasso: $S(z, \lambda)$")
    ax.axvspan(-lam, lam, color=_L1, alpha=0.1, lw=0)
    ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
    ax.set(xlabel="least-squares coefficient $z$", ylabel="penalized coefficient",
           title=rf"Orthonormal features, $\lambda = {lam:g}$")
    ax.legend(frameon=False, loc="upper left")
    return fig


# -- choosing alpha and judging the result ---------------------------------------------------------


def plot_alpha_cv(
    alphas: Any,
    cv_errors: Any,
    *,
    train_errors: Any = None,
    error_name: str = "RMSE",
    title: str = r"Choosing $\alpha$ by cross-validation",
    ax: Any = None,
):
    r"""Cross-validation error against :math:`\alpha`, with the minimizing :math:`\alpha`.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,)
    cv_errors : array-like of shape (n_alphas, n_splits)
        Validation error of each fold; the mean is drawn with a band of ± one standard error
        :math:`s/\sqrt{k}` of the mean over the :math:`k` folds.
    train_errors : array-like of shape (n_alphas, n_splits), optional
        Training error of each fold, drawn as a thinner line.
    """
    alphas = check_array(alphas, name="alphas", ensure_2d=False)
    if alphas.ndim != 1 or np.any(alphas <= 0):
        raise ValueError("alphas must be a 1-D array of positive penalties (a log axis).")
    cv = check_array(cv_errors, name="cv_errors")
    if cv.shape[0] != alphas.shape[0]:
        raise ValueError(f"cv_errors must have shape ({alphas.shape[0]}, n_splits) to match "
                         f"alphas; got {cv.shape}.")
    fig, ax = figure_and_axes(ax)
    mean = cv.mean(axis=1)
    stderr = cv.std(axis=1, ddof=1) / np.sqrt(cv.shape[1]) if cv.shape[1] > 1 else 0 * mean
    ax.plot(alphas, mean, "o-", color=_TEST, ms=3.5, label="cross-validation (mean)")
    ax.fill_between(alphas, mean - stderr, mean + stderr, color=_TEST, alpha=0.18, lw=0,
                    label="± 1 standard error")
    if train_errors is not None:
        train = check_array(train_errors, name="train_errors")
        if train.shape != cv.shape:
            raise ValueError(f"train_errors must have the shape of cv_errors {cv.shape}; got "
                             f"{train.shape}.")
        ax.plot(alphas, train.mean(axis=1), "-", color=_TRAIN, lw=1.2, label="training")
    best = int(np.argmin(mean))
    ax.axvline(alphas[best], color="0.4", ls=":", lw=1.2)
    ax.plot([alphas[best]], [mean[best]], "k*", ms=12,
            label=rf"best $\alpha$ = {alphas[best]:.3g}")
    ax.set_xscale("log")
    ax.set(xlabel=r"penalty $\alpha$", ylabel=error_name, title=title)
    ax.legend(frameon=False, fontsize=8)
    return fig


def _format_error(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def plot_predicted_vs_actual(
    y_true: Any,
    predictions: Mapping[str, Any],
    *,
    log_scale: bool = False,
    unit: str = "",
):
    """Predicted against actual values, one panel per model, with the diagonal of perfection.

    Each panel is annotated with the root mean squared error in the units given (``unit``
    is appended, e.g. ``" $"``). ``log_scale`` draws both axes logarithmically (prices).
    """
    y_true = check_y(y_true, name="y_true")
    if not predictions:
        raise ValueError("predictions is empty; give at least one model's predictions.")
    predicted = {name: _curve(p, y_true.shape[0], f"predictions[{name!r}]")
                 for name, p in predictions.items()}
    if log_scale and (y_true.min() <= 0 or min(p.min() for p in predicted.values()) <= 0):
        raise ValueError("log_scale needs positive values; the truth or a prediction is ≤ 0.")
    everything = np.concatenate([y_true, *predicted.values()])
    low, high = everything.min(), everything.max()
    # The same range on both axes, padded by 5 % (of the log range on log axes).
    if log_scale:
        pad = (high / low) ** 0.05
        limits = (low / pad, high * pad)
    else:
        pad = 0.05 * (high - low) if high > low else 1.0
        limits = (low - pad, high + pad)
    fig, axes = new_figure(len(predicted), width=3.6 * len(predicted), height=3.7,
                           sharex=True, sharey=True)
    axes = np.atleast_1d(axes)
    for k, (ax, (name, p)) in enumerate(zip(axes, predicted.items(), strict=True)):
        ax.plot([low, high], [low, high], color="0.5", ls="--", lw=1)
        ax.scatter(y_true, p, s=7, alpha=0.45, color=f"C{k}", lw=0)
        rmse = float(np.sqrt(np.mean((y_true - p) ** 2)))
        ax.text(0.04, 0.95, f"RMSE {_format_error(rmse)}{unit}", transform=ax.transAxes,
                va="top", fontsize=9)
        ax.set_title(name)
        if log_scale:
            ax.set_xscale("log")
            ax.set_yscale("log")
        ax.set(xlim=limits, ylim=limits)
    fig.supxlabel(f"actual{unit}")
    fig.supylabel(f"predicted{unit}")
    return fig


def plot_top_coefficients(
    coef: Any,
    feature_names: Sequence[str] | np.ndarray,
    *,
    top: int = 15,
    title: str = "Largest coefficients",
    ax: Any = None,
):
    """The ``top`` coefficients largest in absolute value, as horizontal bars (largest on top).

    Positive coefficients are drawn in blue, negative in red; exact zeros are never shown.
    """
    coef = check_y(coef, name="coef")
    if len(feature_names) != coef.shape[0]:
        raise ValueError(f"feature_names has {len(feature_names)} names but coef has "
                         f"{coef.shape[0]} values.")
    top = check_scalar(top, "top", kind=int, min_val=1)
    nonzero = np.flatnonzero(coef)
    chosen = nonzero[np.argsort(-np.abs(coef[nonzero]), kind="stable")][:top][::-1]
    fig, ax = figure_and_axes(ax, width=6.4, height=0.8 + 0.28 * max(len(chosen), 1))
    values = coef[chosen]
    ax.barh(np.arange(len(chosen)), values,
            color=np.where(values > 0, "tab:blue", "tab:red"), height=0.7)
    ax.set_yticks(np.arange(len(chosen)), [str(feature_names[j]) for j in chosen], fontsize=8)
    ax.axvline(0.0, color="0.4", lw=0.8)
    ax.set(xlabel="coefficient", title=title)
    return fig
