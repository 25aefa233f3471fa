"""Linear-regression pictures: each returns a Figure (no pyplot state) that shows what it says."""

import io

import numpy as np
import pytest
from matplotlib.figure import Figure

from fromscratch.datasets import make_linear
from fromscratch.exceptions import DivergenceError
from fromscratch.linear_model import LinearRegression
from fromscratch.plot import linear as pl


def _no_pyplot_figures():
    import matplotlib.pyplot as plt

    return plt.get_fignums() == []


def _renders(fig):
    fig.savefig(io.BytesIO(), format="png")
    return True


@pytest.fixture(scope="module")
def line():
    data = make_linear(30, coef=[2.0], intercept=1.0, noise=0.5, random_state=0)
    return data, LinearRegression().fit(data.X, data.y)


def test_fit_draws_the_line_and_one_segment_per_residual(line):
    data, model = line
    fig = pl.plot_fit(model, data.X, data.y, true_function=data.true_function)
    assert isinstance(fig, Figure) and _no_pyplot_figures() and _renders(fig)
    left, right = fig.axes
    segments = left.collections[0].get_segments()
    assert len(segments) == len(data.y)
    # each segment runs from the fitted value to the sample
    fitted = model.predict(data.X)
    np.testing.assert_allclose([s[0, 1] for s in segments], fitted)
    np.testing.assert_allclose([s[1, 1] for s in segments], data.y)
    fit_line = next(ln for ln in left.lines if ln.get_label().startswith("fit"))
    x, y = fit_line.get_data()
    np.testing.assert_allclose(y, model.coef_[0] * x + model.intercept_)
    np.testing.assert_allclose(right.collections[-1].get_offsets()[:, 1], data.y - fitted)


def test_fit_rejects_bad_input(line):
    data, model = line
    with pytest.raises(ValueError, match="1-D data"):
        pl.plot_fit(model, np.hstack([data.X, data.X]), data.y)
    with pytest.raises(ValueError):
        pl.plot_fit(model, data.X, data.y[:-1])


def test_loss_curves_show_the_gap_on_a_log_scale():
    curves = {"gd": np.array([3.0, 2.0, 1.5, 1.25]), "newton": np.array([1.0])}
    fig = pl.plot_loss_curves(curves, optimum=1.0)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and _renders(fig)
    gd, newton = ax.lines
    np.testing.assert_allclose(gd.get_ydata(), [2.0, 1.0, 0.5, 0.25])
    np.testing.assert_allclose(gd.get_xdata(), [1, 2, 3, 4])
    # a gap of exactly 0 is drawn at the rounding level of f*, as a marker
    assert newton.get_marker() == "o" and 0 < newton.get_ydata()[0] < 1e-14


def test_loss_curves_accept_models_and_count_updates(line):
    data, _ = line
    model = LinearRegression(solver="minibatch", batch_size=10, learning_rate=0.1, max_iter=5,
                             tol=0.0, random_state=0).fit(data.X, data.y)
    fig = pl.plot_loss_curves({"mini-batch": model}, updates_per_epoch={"mini-batch": 3},
                              logx=True)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_xdata(), 3 * np.arange(1, 6))
    np.testing.assert_allclose(ax.lines[0].get_ydata(), model.loss_curve_)
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "parameter updates"


def test_loss_curves_reject_bad_input():
    with pytest.raises(TypeError, match="non-empty mapping"):
        pl.plot_loss_curves([1.0, 2.0])
    with pytest.raises(ValueError, match=r"curves\['a'\] has 0 sample"):
        pl.plot_loss_curves({"a": []})
    with pytest.raises(TypeError, match="updates_per_epoch"):
        pl.plot_loss_curves({"a": [1.0]}, updates_per_epoch=3)


def test_learning_rates_list_the_diverged_run_and_mark_the_contraction(line):
    data, model = line
    x = data.X[:, 0]
    curvature = float(np.mean((x - x.mean()) ** 2))
    results = {}
    for eta_lambda in (0.5, 4.0):
        try:
            results[eta_lambda / curvature] = LinearRegression(
                solver="gd", learning_rate=eta_lambda / curvature, max_iter=20, tol=0.0,
            ).fit(data.X, data.y)
        except DivergenceError as exc:
            results[eta_lambda / curvature] = exc
    assert isinstance(results[4.0 / curvature], DivergenceError)
    optimum = 0.5 * np.mean((data.y - model.predict(data.X)) ** 2)
    fig = pl.plot_learning_rates(results, optimum, curvature=curvature)
    left, right = fig.axes
    labels = [t.get_text() for t in left.get_legend().get_texts()]
    assert any("DivergenceError" in label for label in labels)
    assert any(label.startswith("η = ") and "0.5" in label for label in labels)
    # the rates are marked at (ηλ, |1 − ηλ|)
    marks = [ln for ln in right.lines if ln.get_marker() == "o"]
    np.testing.assert_allclose(sorted(m.get_xdata()[0] for m in marks), [0.5, 4.0])
    np.testing.assert_allclose(sorted(m.get_ydata()[0] for m in marks), [0.5, 3.0])
    assert _renders(fig)


def test_learning_rates_without_curvature_has_one_panel():
    fig = pl.plot_learning_rates({0.1: [4.0, 2.0, 1.0]})
    assert len(fig.axes) == 1
    with pytest.raises(ValueError, match="learning rate"):
        pl.plot_learning_rates({-0.1: [1.0]})


def test_coefficients_draw_one_bar_per_feature_and_fit():
    coefs = {"QR": [1.0, -2.0, 3.0], "GD": [0.9, -2.1, 3.2], "SGD": np.array([1.1, -1.8, 2.5])}
    fig = pl.plot_coefficients(coefs, ["a", "b", "c"], reference="QR")
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [0.9, -2.1, 3.2, 1.1, -1.8, 2.5])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    reference = ax.collections[0].get_segments()
    np.testing.assert_allclose([s[0, 1] for s in reference], [1.0, -2.0, 3.0])
    assert _renders(fig)


def test_coefficients_reject_bad_input():
    with pytest.raises(ValueError, match="same length"):
        pl.plot_coefficients({"a": [1.0, 2.0], "b": [1.0]})
    with pytest.raises(ValueError, match="feature_names"):
        pl.plot_coefficients({"a": [1.0, 2.0]}, ["x"])
    with pytest.raises(ValueError, match="reference 'c'"):
        pl.plot_coefficients({"a": [1.0, 2.0]}, reference="c")


def test_loss_surface_marks_the_least_squares_solution_and_the_paths(line):
    data, _ = line
    X = np.column_stack([data.X[:, 0] + 3, np.ones(len(data.y))])
    reference = np.linalg.lstsq(X, data.y, rcond=None)[0]  # the independent reference
    path = np.array([[0.0, 0.0], [1.0, 0.5], [1.5, 0.8]])
    fig = pl.plot_loss_surface(X, data.y, {"GD": path}, parameter_names=("w", "b"))
    ax = fig.axes[0]
    star = next(ln for ln in ax.lines if ln.get_label() == "least squares θ̂")
    np.testing.assert_allclose(np.ravel(star.get_xydata()), reference, rtol=1e-10)
    drawn = next(ln for ln in ax.lines if ln.get_label() == "GD")
    np.testing.assert_allclose(drawn.get_xydata(), path)
    x0, x1 = ax.get_xlim()
    assert x0 < min(0.0, reference[0]) and x1 > max(1.5, reference[0])
    assert len(fig.axes) == 2 and _renders(fig)  # the panel and its colour bar


def test_loss_surface_rejects_bad_input(line):
    data, _ = line
    with pytest.raises(ValueError, match="exactly 2 parameters"):
        pl.plot_loss_surface(np.ones((30, 3)), data.y)
    with pytest.raises(ValueError, match=r"shape \(k, 2\)"):
        pl.plot_loss_surface(np.column_stack([data.X[:, 0], np.ones(30)]), data.y,
                             {"p": np.zeros((4, 3))})


def test_error_vs_condition_draws_refusals_as_crosses():
    kappa = np.array([1.0, 1e3, 1e6, 1e9])
    errors = {"QR": [1e-16, 1e-13, 1e-10, 1e-7], "Cholesky": [1e-16, 1e-10, 1e-4, np.nan]}
    fig = pl.plot_error_vs_condition(kappa, errors)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    crosses = [ln for ln in ax.lines if ln.get_marker() == "x"]
    assert len(crosses) == 1 and crosses[0].get_xdata()[0] == 1e9
    assert _renders(fig)
    with pytest.raises(ValueError, match="entries for 4"):
        pl.plot_error_vs_condition(kappa, {"QR": [1.0]})
    with pytest.raises(ValueError, match="at least 1"):
        pl.plot_error_vs_condition([0.5], {"QR": [1.0]})


def test_weighted_fit_draws_each_model_and_sizes_markers_by_weight(line):
    data, model = line
    weight = np.linspace(0.1, 2.0, len(data.y))
    weighted = LinearRegression().fit(data.X, data.y, sample_weight=weight)
    fig = pl.plot_weighted_fit(data.X, data.y, weight, {"plain": model, "weighted": weighted},
                               true_function=data.true_function)
    assert isinstance(fig, Figure) and _no_pyplot_figures() and _renders(fig)
    ax = fig.axes[0]
    sizes = ax.collections[0].get_sizes()
    assert np.argmax(sizes) == np.argmax(weight) and sizes.min() > 0
    drawn = {ln.get_label(): ln for ln in ax.lines}
    x, y = drawn["weighted"].get_data()
    np.testing.assert_allclose(y, weighted.coef_[0] * x + weighted.intercept_)
    assert "plain" in drawn and "truth" in drawn


def test_weighted_fit_rejects_bad_input(line):
    data, model = line
    with pytest.raises(ValueError, match="sample_weight has 3 entries"):
        pl.plot_weighted_fit(data.X, data.y, [1.0, 2.0, 3.0], {"m": model})
    with pytest.raises(ValueError, match="plot_weighted_fit draws 1-D data"):
        pl.plot_weighted_fit(np.hstack([data.X, data.X]), data.y, None, {"m": model})
    with pytest.raises(TypeError, match="models must be a non-empty mapping"):
        pl.plot_weighted_fit(data.X, data.y, None, [model])


def test_sampling_distributions_show_each_spread():
    rng = np.random.default_rng(0)
    estimates = {"wide": rng.normal(2.0, 0.3, 200), "narrow": rng.normal(2.0, 0.1, 200)}
    fig = pl.plot_sampling_distributions(estimates, truth=2.0)
    assert _no_pyplot_figures() and _renders(fig)
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert labels[0] == f"wide (sd {estimates['wide'].std(ddof=1):.3g})" and "truth" in labels
    with pytest.raises(TypeError, match="estimates must be a non-empty mapping"):
        pl.plot_sampling_distributions({})


def test_active_set_path_labels_every_passive_set():
    from fromscratch.linalg import nnls

    # b = 3a₁ − a₂, but a₂ is the steeper start (a₂ᵀb = 31 > a₁ᵀb = 26): x₂ enters first,
    # then x₁; least squares on both, (3, −1), is infeasible, so x₂ leaves again
    A = np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 3.0], [1.0, 2.0]])
    b = A @ np.array([3.0, -1.0])
    steps = []
    x, _ = nnls(A, b, callback=lambda x, passive: steps.append((x, passive)))
    fig = pl.plot_active_set_path(A, b, steps)
    assert _no_pyplot_figures() and _renders(fig)
    ax = fig.axes[0]
    path = next(ln for ln in ax.lines if ln.get_label() == "active-set iterates")
    np.testing.assert_allclose(np.column_stack(path.get_data())[-1], x)
    assert [a.get_text() for a in ax.texts] == [
        "0: P = {}", "1: P = {x₂}", "2: P = {x₁}", "3: P = {x₁}"]
    with pytest.raises(ValueError, match="two unknowns"):
        pl.plot_active_set_path(np.hstack([A, A]), b, steps)
