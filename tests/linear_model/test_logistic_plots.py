"""The logistic-regression figures draw what they claim (checked on the artists, not pixels)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from fromscratch.linear_model import LogisticRegression
from fromscratch.plot.logistic import (
    plot_decision_boundary,
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


def test_odds_ratio_forest_plot():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 3))
    y = (rng.random(300) < 1 / (1 + np.exp(-(X @ [1.0, -0.5, 0.0])))).astype(int)
    summary = LogisticRegression(C=np.inf).fit(X, y).summary()
    ax = plot_odds_ratios(summary).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x1", "x2", "x3"]
    np.testing.assert_allclose(ax.collections[1].get_offsets()[:, 0], summary.odds_ratio[1:])
    assert ax.get_xscale() == "log"
