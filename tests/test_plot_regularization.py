"""Regularization pictures: each returns a Figure (no pyplot state) that draws the given numbers."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from fromscratch.plot import regularization as pr


def _no_pyplot_figures():
    import matplotlib.pyplot as plt

    return plt.get_fignums() == []


class _Line:
    """A fitted 'model' y = a + b x, so the drawn curve is known exactly."""

    def __init__(self, a, b):
        self.a, self.b = a, b

    def predict(self, X):
        return self.a + self.b * np.asarray(X)[:, 0]


def _sample():
    x = np.linspace(0.0, 1.0, 12)
    return x[:, None], np.sin(2 * np.pi * x)


# -- polynomial fits and train/test error ------------------------------------------------------


def test_polynomial_fits_one_panel_per_model_and_the_model_curve():
    X, y = _sample()
    models = {1: _Line(0.0, 1.0), 3: _Line(1.0, -2.0), "ridge": _Line(0.5, 0.0)}
    fig = pr.plot_polynomial_fits(X, y, models, true_function=np.sin, ncols=2)
    assert isinstance(fig, Figure) and _no_pyplot_figures()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["degree 1", "degree 3", "ridge"]
    assert len(fig.axes) == 4 and not fig.axes[3].get_visible()  # 2 x 2 grid, one unused
    fit = [line for line in visible[1].lines if line.get_label() == "fit"][0]
    x_grid, curve = fit.get_data()
    np.testing.assert_allclose(curve, 1.0 - 2.0 * x_grid)
    truth = [line for line in visible[0].lines if line.get_label() == "truth"][0]
    np.testing.assert_allclose(truth.get_ydata(), np.sin(truth.get_xdata()))
    # the default vertical range follows the data (± 35 % of its spread), not the curves
    spread = y.max() - y.min()
    np.testing.assert_allclose(visible[0].get_ylim(),
                               (y.min() - 0.35 * spread, y.max() + 0.35 * spread))


def test_polynomial_fits_grid_covers_the_test_points():
    X, y = _sample()
    fig = pr.plot_polynomial_fits(X, y, {1: _Line(0, 1)}, X_test=[[-1.0], [2.0]],
                                  y_test=[0.0, 0.0])
    fit = [line for line in fig.axes[0].lines if line.get_label() == "fit"][0]
    assert fit.get_xdata().min() == -1.0 and fit.get_xdata().max() == 2.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(X=np.ones((5, 2)), y=np.ones(5), models={1: _Line(0, 1)}), "one feature"),
        (dict(X=np.ones(5), y=np.ones(4), models={1: _Line(0, 1)}), "y has 4 values"),
        (dict(X=np.ones(5), y=np.ones(5), models={}), "models is empty"),
    ],
)
def test_polynomial_fits_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pr.plot_polynomial_fits(**kwargs)


def test_train_test_error_marks_the_best_test_value():
    fig = pr.plot_train_test_error([1, 2, 3, 4], [0.9, 0.5, 0.3, 0.1], [1.0, 0.4, 0.6, 2.0],
                                   log_y=True)
    ax = fig.axes[0]
    star = [line for line in ax.lines if line.get_label().startswith("best test")][0]
    assert star.get_xdata()[0] == 2 and star.get_ydata()[0] == 0.4
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="test_error has 3 values"):
        pr.plot_train_test_error([1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3])


def test_split_estimates_histogram_the_differences_with_their_means():
    true = np.array([1.0, 2.0, 3.0, 4.0])
    train, test = true - np.array([0.3, 0.1, 0.2, 0.2]), true + np.array([0.1, -0.1, 0.0, 0.4])
    fig = pr.plot_split_estimates(train, test, true, bins=4)
    assert isinstance(fig, Figure) and _no_pyplot_figures()
    ax = fig.axes[0]
    assert ax.get_title() == "4 random train–test splits"
    counts = [sum(bar.get_height() for bar in container) for container in ax.containers]
    assert counts == [4, 4]  # every repetition in each histogram
    means = [line for line in ax.lines if line.get_label().startswith("mean")]
    np.testing.assert_allclose([line.get_xdata()[0] for line in means], [-0.2, 0.1])
    with pytest.raises(ValueError, match="test_error has 3 values"):
        pr.plot_split_estimates(train, test[:3], true)


# -- coefficient paths, constraint regions, shrinkage ------------------------------------------


def test_coefficient_paths_draw_each_row_against_decreasing_alpha():
    alphas = np.array([0.01, 1.0, 0.1])  # any order; drawn from the largest to the smallest
    coefs = np.array([[3.0, 0.0, 1.0], [-2.0, 0.0, -0.5]])
    fig = pr.plot_coefficient_paths(alphas, coefs, feature_names=["a", "b"], chosen_alpha=0.1)
    ax = fig.axes[0]
    paths = [line for line in ax.lines if len(line.get_xdata()) == 3]
    np.testing.assert_allclose(paths[0].get_xdata(), [1.0, 0.1, 0.01])
    np.testing.assert_allclose(paths[0].get_ydata(), [0.0, 1.0, 3.0])
    np.testing.assert_allclose(paths[1].get_ydata(), [0.0, -0.5, -2.0])
    assert [t.get_text() for t in ax.texts] == ["a", "b"]
    left, right = ax.get_xlim()
    assert ax.get_xscale() == "log" and left > 1.0 and right < 0.01  # strong penalty left


@pytest.mark.parametrize(
    "alphas, coefs, names, message",
    [
        ([1.0, 0.0], np.ones((2, 2)), None, "positive"),
        ([1.0, 0.1], np.ones((2, 3)), None, "shape"),
        ([1.0, 0.1], np.ones((2, 2)), ["only one"], "feature_names has 1"),
    ],
)
def test_coefficient_paths_bad_input(alphas, coefs, names, message):
    with pytest.raises(ValueError, match=message):
        pr.plot_coefficient_paths(alphas, coefs, feature_names=names)


def test_constraint_regions_draw_the_balls_and_the_least_squares_point():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 2))
    y = X @ np.array([2.0, 1.0]) + 0.1 * rng.standard_normal(30)
    w_l2, w_l1 = np.array([0.6, 0.8]), np.array([1.5, 0.0])
    fig = pr.plot_constraint_regions(X, y, w_l2, w_l1, n_grid=40)
    assert isinstance(fig, Figure)
    ridge_ax, lasso_ax = fig.axes
    disc = ridge_ax.patches[0].get_xy()
    np.testing.assert_allclose(np.hypot(disc[:, 0], disc[:, 1]), 1.0, atol=1e-12)  # ‖w_l2‖ = 1
    diamond = lasso_ax.patches[0].get_xy()
    np.testing.assert_allclose(np.abs(diamond).sum(axis=1), 1.5, atol=1e-12)  # ‖w_l1‖₁ = 1.5
    ols = [line for line in ridge_ax.lines if line.get_label() == "least squares"][0]
    reference = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(np.ravel(ols.get_xydata()), reference, rtol=1e-10)
    optimum = [line for line in lasso_ax.lines if "optimum" in line.get_label()][0]
    np.testing.assert_allclose(np.ravel(optimum.get_xydata()), w_l1)


@pytest.mark.parametrize(
    "X, w_l2, message",
    [
        (np.ones((5, 3)), [1.0, 0.0], "exactly 2 columns"),
        (np.ones((5, 2)), [1.0, 0.0, 0.0], "w_l2 must hold 2"),
    ],
)
def test_constraint_regions_bad_input(X, w_l2, message):
    with pytest.raises(ValueError, match=message):
        pr.plot_constraint_regions(X, np.ones(5), w_l2, [1.0, 0.0])


def _two_feature_problem():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 2))
    X -= X.mean(axis=0)
    y = X @ np.array([2.0, 1.0]) + 0.1 * rng.standard_normal(30)
    return X, y - y.mean()


def test_ridge_descent_draws_the_paths_the_circle_and_the_solution():
    X, y = _two_feature_problem()
    alpha = 10.0
    w_ridge = np.linalg.solve(X.T @ X + alpha * np.eye(2), X.T @ y)
    path = np.array([[0.0, 0.0], [0.5, 0.2], w_ridge])
    fig = pr.plot_ridge_descent(X, y, alpha, w_ridge, {"gd": path}, n_grid=40)
    assert isinstance(fig, Figure) and _no_pyplot_figures()
    lines = {line.get_label(): line for line in fig.axes[0].lines}
    np.testing.assert_array_equal(lines["gd"].get_xydata(), path)
    circle = [line for label, line in lines.items() if label.startswith("penalty")][0]
    np.testing.assert_allclose(np.hypot(*circle.get_xydata().T), np.hypot(*w_ridge),
                               rtol=1e-12)
    star = [line for label, line in lines.items() if label.startswith("ridge")][0]
    np.testing.assert_allclose(np.ravel(star.get_xydata()), w_ridge)
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(np.ravel(lines["least squares"].get_xydata()), ols, rtol=1e-10)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(X=np.ones((5, 3))), ValueError, "exactly 2 columns"),
        (dict(alpha=0.0), ValueError, "alpha"),
        (dict(paths={}), TypeError, "non-empty mapping"),
        (dict(paths={"gd": np.ones((3, 3))}), ValueError, r"paths\['gd'\] must have shape"),
        (dict(w_ridge=[1.0]), ValueError, "w_ridge must hold 2"),
    ],
)
def test_ridge_descent_bad_input(kwargs, error, message):
    arguments = dict(X=np.eye(5, 2), y=np.ones(5), alpha=1.0, w_ridge=[0.1, 0.1],
                     paths={"gd": np.zeros((2, 2))})
    with pytest.raises(error, match=message):
        pr.plot_ridge_descent(**{**arguments, **kwargs})


def test_normal_equation_draws_each_residual_from_the_fit_to_y():
    X = np.array([[1.0, 0.1], [0.2, 1.0], [0.1, 0.3]])
    y = np.array([0.7, 0.9, 1.3])
    fit = X @ np.linalg.lstsq(X, y, rcond=None)[0]
    path = np.outer(np.linspace(1, 0, 5), fit)
    fig = pr.plot_normal_equation(X, y, {"least squares": fit}, path=path)
    assert isinstance(fig, Figure) and _no_pyplot_figures()
    ax = fig.axes[0]
    assert ax.name == "3d"
    residual = [line for line in ax.lines if line.get_linestyle() == "--"][0]
    xs, ys, zs = residual.get_data_3d()
    np.testing.assert_allclose(np.column_stack([xs, ys, zs]), np.vstack([fit, y]))
    dotted = [line for line in ax.lines if line.get_linestyle() == ":"][0]
    np.testing.assert_allclose(np.column_stack(dotted.get_data_3d()), path)
    with pytest.raises(ValueError, match=r"shape \(3, 2\)"):
        pr.plot_normal_equation(np.ones((4, 2)), y, {"a": fit})
    with pytest.raises(TypeError, match="non-empty mapping"):
        pr.plot_normal_equation(X, y, {})
    with pytest.raises(ValueError, match="path must have shape"):
        pr.plot_normal_equation(X, y, {"a": fit}, path=np.ones((4, 2)))


def test_shrinkage_curves_are_the_closed_forms():
    fig = pr.plot_shrinkage(0.5)
    lines = {line.get_label().split(":")[0]: line for line in fig.axes[0].lines}
    z = lines["ridge"].get_xdata()
    np.testing.assert_allclose(lines["ridge"].get_ydata(), z / 1.5)
    np.testing.assert_allclose(lines["lasso"].get_ydata(),
                               np.sign(z) * np.maximum(np.abs(z) - 0.5, 0.0))
    with pytest.raises(ValueError, match="threshold"):
        pr.plot_shrinkage(0.0)


# -- choosing alpha and judging the result ------------------------------------------------------


def test_alpha_cv_marks_the_minimum_of_the_mean_and_its_standard_error_band():
    alphas = np.array([10.0, 1.0, 0.1])
    errors = np.array([[3.0, 5.0], [1.0, 2.0], [2.0, 2.0]])
    fig = pr.plot_alpha_cv(alphas, errors, train_errors=errors / 2)
    ax = fig.axes[0]
    star = [line for line in ax.lines if "best" in line.get_label()][0]
    assert star.get_xdata()[0] == 1.0 and star.get_ydata()[0] == 1.5
    band = ax.collections[0].get_paths()[0].vertices
    # upper edge at alpha = 10: mean 4 + s/√k with s = √2 (ddof=1), k = 2
    assert np.isclose(band[:, 1].max(), 4.0 + 1.0)
    with pytest.raises(ValueError, match="cv_errors must have shape"):
        pr.plot_alpha_cv(alphas, errors[:2])
    with pytest.raises(ValueError, match="train_errors must have the shape"):
        pr.plot_alpha_cv(alphas, errors, train_errors=errors[:, :1])


def test_predicted_vs_actual_one_panel_per_model_with_its_rmse():
    y = np.array([100.0, 200.0, 300.0, 400.0])
    fig = pr.plot_predicted_vs_actual(y, {"a": y + 10.0, "b": y * 1.5}, log_scale=True,
                                      unit=" $")
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    assert fig.axes[0].texts[0].get_text() == "RMSE 10 $"  # 3 significant digits below 100
    assert fig.axes[1].texts[0].get_text() == f"RMSE {np.sqrt(np.mean((0.5 * y) ** 2)):,.0f} $"
    assert fig.axes[0].get_xscale() == "log"
    assert fig.axes[0].get_xlim() == fig.axes[0].get_ylim()
    with pytest.raises(ValueError, match="log_scale needs positive"):
        pr.plot_predicted_vs_actual(y, {"a": y - 150.0}, log_scale=True)
    with pytest.raises(ValueError, match="predictions is empty"):
        pr.plot_predicted_vs_actual(y, {})


def test_top_coefficients_skip_zeros_and_sort_by_size():
    coef = np.array([0.5, 0.0, -2.0, 1.0, 0.0])
    names = ["a", "b", "c", "d", "e"]
    fig = pr.plot_top_coefficients(coef, names, top=10)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["a", "d", "c"]  # largest |coef| on top (last tick)
    np.testing.assert_allclose([bar.get_width() for bar in ax.patches], [0.5, 1.0, -2.0])
    assert [t.get_text() for t in pr.plot_top_coefficients(coef, names, top=1).axes[0]
            .get_yticklabels()] == ["c"]
    with pytest.raises(ValueError, match="feature_names has 2"):
        pr.plot_top_coefficients(coef, names[:2])
