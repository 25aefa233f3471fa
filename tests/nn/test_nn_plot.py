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


def test_layer_arrays_show_every_array_with_its_shape():
    rng = np.random.default_rng(0)
    arrays = {"$X$": rng.normal(size=(5, 2)), "$z^1$": rng.normal(size=(5, 4)),
              r"$\hat y$": rng.uniform(size=5)}
    fig = plot_nn.plot_layer_arrays(arrays, operations=["$W$", "sigmoid"], title="pass")
    panels = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in panels] == list(arrays)
    assert [ax.get_xlabel() for ax in panels] == ["5 × 2", "5 × 4", "5 × 1"]
    arrows = [ax for ax in fig.axes if not ax.images]
    labels = [t.get_text() for ax in arrows for t in ax.texts if t.get_text()]  # not the arrows
    assert labels == ["$W$", "sigmoid"]
    # each panel is centred at zero: the colour scale is symmetric
    assert all(ax.images[0].get_clim() == (-np.abs(a).max(), np.abs(a).max())
               for ax, a in zip(panels, arrays.values(), strict=True))
    with pytest.raises(ValueError, match="needs 2 labels"):
        plot_nn.plot_layer_arrays(arrays, operations=["one"])
    with pytest.raises(ValueError, match="1-D or 2-D"):
        plot_nn.plot_layer_arrays({"a": np.ones((2, 2, 2))})
    with pytest.raises(ValueError, match="non-empty"):
        plot_nn.plot_layer_arrays({})


def test_per_layer_draws_measured_lines_and_derived_points():
    panels = {"tanh": {"Glorot": [1.0, 0.5, 0.25], "He": [2.0, 2.0, 2.0]}}
    derived = {"tanh": {"Glorot": [1.0, 0.5, 0.2], "He": [2.0, 2.1, 2.0]}}
    fig = plot_nn.plot_per_layer(panels, ylabel="Var(z)", derived=derived)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "layer"
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["Glorot"].get_xdata()) == [1, 2, 3]
    derived_points = [line for line in ax.get_lines() if line.get_marker() == "o"
                      and line.get_linestyle() == "None" and len(line.get_xdata())]
    assert len(derived_points) == 2
    assert plot_nn.plot_per_layer(panels, ylabel="x", log=False).axes[0].get_yscale() == "linear"
    with pytest.raises(ValueError, match="non-empty"):
        plot_nn.plot_per_layer({}, ylabel="x")


def test_parameter_paths_and_their_distance_to_the_reference():
    reference = np.array([1.0, -2.0])
    paths = reference + np.outer(0.5 ** np.arange(6), [1.0, 1.0])
    fig = plot_nn.plot_parameter_paths(paths, reference, ["w", "b"], reference_label="OLS")
    left, right = fig.axes
    assert right.get_yscale() == "log"
    np.testing.assert_allclose(right.get_lines()[0].get_ydata(),
                               np.sqrt(2) * 0.5 ** np.arange(6))
    dashed = [line.get_ydata()[0] for line in left.get_lines() if line.get_linestyle() == "--"
              and len(line.get_ydata())]
    assert dashed == [1.0, -2.0]
    with pytest.raises(ValueError, match="must agree"):
        plot_nn.plot_parameter_paths(paths, reference, ["w"])


def test_curves_take_values_or_xy_pairs_with_references():
    fig = plot_nn.plot_curves(
        {"loss": {"run": [3.0, 2.0, 1.0]}, "AUC": {"net": ([10, 20], [0.8, 0.9])}},
        log=["loss"], references={"AUC": {"the post": 0.96}})
    loss, auc = fig.axes
    assert loss.get_yscale() == "log"
    assert list(loss.get_lines()[0].get_xdata()) == [1, 2, 3]
    assert list(auc.get_lines()[0].get_xdata()) == [10, 20]
    assert auc.get_lines()[1].get_ydata()[0] == 0.96
    assert "the post" in [t.get_text() for t in auc.get_legend().get_texts()]
    with pytest.raises(ValueError, match="do not exist"):
        plot_nn.plot_curves({"loss": {"run": [1.0]}}, log=["AUC"])
    with pytest.raises(ValueError, match="same length"):
        plot_nn.plot_curves({"AUC": {"net": ([1, 2, 3], [0.8, 0.9])}})
    with pytest.raises(ValueError, match="no curves"):
        plot_nn.plot_curves({"loss": {}})
