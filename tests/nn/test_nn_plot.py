"""The nn pictures: each returns a Figure (or writes a GIF) and rejects bad input clearly."""

import warnings

import numpy as np
import pytest

from fromscratch import nn, optim
from fromscratch.datasets import make_moons
from fromscratch.plot import nn as plot_nn

matplotlib = pytest.importorskip("matplotlib")
from matplotlib.figure import Figure  # noqa: E402


@pytest.fixture(scope="module")
def moons():
    data = make_moons(120, noise=0.1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = nn.MLPClassifier((6,), max_iter=30, random_state=0).fit(data.X, data.y)
    return data.X, data.y, clf


def test_network_diagram(moons):
    _, _, clf = moons
    for network in ([2, 30, 3, 1], clf, clf.to_module()):
        fig = plot_nn.plot_network(network)
        assert isinstance(fig, Figure)
    title = plot_nn.plot_network([2, 3, 1]).axes[0].get_title()
    assert title == "2 → 3 → 1: 13 parameters"
    with pytest.raises(ValueError, match="at least 2 layer sizes"):
        plot_nn.plot_network([4])


def test_decision_boundaries_and_animation(moons, tmp_path):
    X, y, clf = moons
    model = nn.Sequential(nn.Linear(2, 3, random_state=0))  # three classes, via a callable
    predictors = {"fitted": clf, "logistic": lambda P: 1 / (1 + np.exp(-P[:, 0])),
                  "softmax": lambda P: nn.functional.softmax(model(P).data, dim=1)}
    fig = plot_nn.plot_decision_boundaries(predictors, X, y, ncols=2)
    assert len([ax for ax in fig.axes if ax.axison]) == 3
    path = plot_nn.save_decision_boundary_animation(predictors, X, y, tmp_path / "b.gif")
    from PIL import Image

    with Image.open(path) as gif:
        assert gif.n_frames == 3
    with pytest.raises(ValueError, match="2-D data"):
        plot_nn.plot_decision_boundaries({"a": clf}, np.ones((3, 3)), [0, 1, 0])
    with pytest.raises(ValueError, match=".gif"):
        plot_nn.save_decision_boundary_animation(predictors, X, y, tmp_path / "b.png")
    with pytest.raises(ValueError, match="empty"):
        plot_nn.plot_decision_boundaries({}, X, y)


def test_history_curves(moons):
    X, y, clf = moons
    model = nn.Sequential(nn.Linear(2, 4, random_state=0), nn.Tanh(), nn.Linear(4, 2))
    history = nn.fit(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.01),
                     X, y, epochs=3, validation_fraction=0.2, random_state=0)
    fig = plot_nn.plot_history(history)
    assert len(fig.axes) == 2
    assert len(plot_nn.plot_history(clf, log=True).axes) == 1
    with pytest.raises(TypeError, match="History"):
        plot_nn.plot_history([1, 2, 3])


def test_misclassified_and_confusion_matrix():
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(20, 64))
    y_true = rng.integers(0, 3, 20)
    y_pred = y_true.copy()
    y_pred[:5] = (y_pred[:5] + 1) % 3
    fig = plot_nn.plot_misclassified(images, y_true, y_pred, n=4, ncols=2)
    assert sum(1 for ax in fig.axes if ax.images) == 4
    fig = plot_nn.plot_confusion_matrix(y_true, y_pred, normalize=True)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 9
    with pytest.raises(ValueError, match="squares"):
        plot_nn.plot_misclassified(np.ones((2, 5)), [0, 1], [1, 1])
