"""The logistic-regression figures draw what they claim (checked on the artists, not pixels)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from fromscratch.linear_model import LogisticRegression
from fromscratch.plot.logistic import (
    plot_binned_probabilities,
    plot_decision_boundary,
    plot_neuron,
    plot_odds_ratios,
    plot_roc_curves,
    plot_sigmoid,
    plot_training_curves,
)


def test_sigmoid_and_log_odds_line():
    fig = plot_sigmoid()
    left, right = fig.axes
    z, p = left.lines[0].get_data()
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-z)))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 1))
    y = (rng.random(200) < 1 / (1 + np.exp(-(2 * x[:, 0] - 1)))).astype(int)
    model = LogisticRegression(C=np.inf).fit(x, y)
    fig = plot_sigmoid(model, x, y)
    grid, log_odds = fig.axes[1].lines[0].get_data()
    # the log-odds panel is the straight line w x + b
    np.testing.assert_allclose(log_odds, model.coef_[0, 0] * grid + model.intercept_[0])
    with pytest.raises(ValueError, match="one feature"):
        plot_sigmoid(model, np.hstack([x, x]), y)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_decision_boundary(n_classes):
    X, y = make_blobs(150, centers=n_classes, random_state=0)
    model = LogisticRegression().fit(X, y)
    fig = plot_decision_boundary(model, X, y)
    ax = fig.axes[0]
    assert len(ax.collections) >= n_classes  # contours + one scatter per class
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="2-D data"):
        plot_decision_boundary(model, np.hstack([X, X]), y)


def test_roc_curves_show_the_auc():
    from sklearn.metrics import roc_auc_score

    X, y = make_blobs(200, centers=2, cluster_std=4.0, random_state=1)
    score = LogisticRegression().fit(X, y).predict_proba(X)[:, 1]
    fig = plot_roc_curves({"model": (y, score)})
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert f"{roc_auc_score(y, score):.4f}" in labels[0]
    with pytest.raises(TypeError, match="mapping"):
        plot_roc_curves([])


def test_training_curves_mark_the_early_stopping_epoch():
    X, y = make_blobs(300, centers=2, cluster_std=5.0, random_state=2)
    stopped = LogisticRegression(solver="sgd", learning_rate=0.05, early_stopping=True,
                                 n_iter_no_change=3, random_state=0, max_iter=50).fit(X, y)
    newton = LogisticRegression().fit(X, y)
    fig = plot_training_curves({"sgd": stopped, "newton": newton})
    ax = fig.axes[0]
    marker = [line for line in ax.lines if line.get_marker() == "o"][0]
    assert marker.get_xdata()[0] == stopped.best_iteration_
    assert len(ax.lines) == 4  # train + validation + marker for sgd, train for newton
    assert ax.get_xscale() == "linear"
    assert plot_training_curves({"sgd": stopped}, logx=True).axes[0].get_xscale() == "log"


def test_odds_ratio_forest_plot():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 3))
    y = (rng.random(300) < 1 / (1 + np.exp(-(X @ [1.0, -0.5, 0.0])))).astype(int)
    summary = LogisticRegression(C=np.inf).fit(X, y).summary()
    ax = plot_odds_ratios(summary).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x1", "x2", "x3"]
    np.testing.assert_allclose(ax.collections[1].get_offsets()[:, 0], summary.odds_ratio[1:])
    assert ax.get_xscale() == "log"


def test_binned_probabilities_show_each_bins_share_of_class_one():
    rng = np.random.default_rng(3)
    x = rng.uniform(-3, 3, 400)
    y = np.where(rng.random(400) < 1 / (1 + np.exp(-2 * x)), "yes", "no")
    model = LogisticRegression(C=np.inf).fit(x[:, None], y)
    fig = plot_binned_probabilities(model, x[:, None], y, bins=6,
                                    true_probability=lambda t: 1 / (1 + np.exp(-2 * t)))
    ax = fig.axes[0]
    counts, edges = np.histogram(x, bins=6)
    ones, _ = np.histogram(x[y == "yes"], bins=edges)
    points = next(line for line in ax.lines if line.get_marker() == "s")
    np.testing.assert_allclose(points.get_xdata(), (edges[:-1] + edges[1:]) / 2)
    np.testing.assert_allclose(points.get_ydata(), ones / counts)
    fitted = next(line for line in ax.lines if line.get_label().startswith("fitted"))
    grid, p = fitted.get_data()
    np.testing.assert_allclose(p, model.predict_proba(grid[:, None])[:, 1])
    with pytest.raises(ValueError, match="one feature"):
        plot_binned_probabilities(model, np.column_stack([x, x]), y)
    with pytest.raises(ValueError, match="bins"):
        plot_binned_probabilities(model, x[:, None], y, bins=0)


def test_neuron_diagram_and_every_sample_on_the_sigmoid():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((100, 8))
    y = (X[:, 0] - X[:, 1] > 0).astype(int)
    model = LogisticRegression().fit(X, y)
    names = [f"f{j}" for j in range(8)]
    fig = plot_neuron(model.coef_[0], model.intercept_[0], scores=model.decision_function(X),
                      y=y, feature_names=names, max_inputs=3)
    diagram, right = fig.axes
    texts = [t.get_text() for t in diagram.texts]
    assert names[:3] == [t for t in texts if t in names] and "⋮ 5 more" in texts
    assert f"{model.coef_[0, 1]:.2g}" in texts
    z, p = right.lines[0].get_data()
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-z)))
    assert sum(len(c.get_offsets()) for c in right.collections) == 100
    assert len(plot_neuron([1.0, 2.0], 0.5).axes) == 1  # the diagram alone
    with pytest.raises(ValueError, match="2 names for 8 weights"):
        plot_neuron(model.coef_[0], 0.0, feature_names=["a", "b"])
    with pytest.raises(ValueError, match="together"):
        plot_neuron(model.coef_[0], 0.0, scores=model.decision_function(X))
