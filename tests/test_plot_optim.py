"""Optimization pictures: each returns a Figure (no pyplot state) or writes a decodable GIF."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from fromscratch.plot import optim as po


def _paths():
    t = np.linspace(0, 1, 21)[:, None]
    start = np.array([-1.5, 2.0])
    return {
        "straight": start + t * (np.array([1.0, 1.0]) - start),
        "curved": np.column_stack([-1.5 + 2.5 * t[:, 0] ** 2, 2.0 - t[:, 0]]),
    }


def _no_pyplot_figures():
    import matplotlib.pyplot as plt

    return plt.get_fignums() == []


@pytest.mark.parametrize("name", ["rosenbrock", "rastrigin", "saddle", "himmelblau"])
def test_contour_marks_minima_and_saddles(name):
    fig = po.plot_contour(name, n=40)
    assert isinstance(fig, Figure) and _no_pyplot_figures()
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.lines]
    from fromscratch.benchfunctions import get

    fn = get(name)
    if fn.minima:
        stars = ax.lines[labels.index("global minimum")]
        np.testing.assert_allclose(np.column_stack(stars.get_data()), fn.minimum_locations)
    if fn.saddle_points:
        assert "saddle point" in labels
    assert len(fig.axes) == 2  # the panel and its colour bar


def test_contour_draws_into_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert po.plot_contour("booth", n=20, ax=ax, colorbar=False) is fig
    assert len(fig.axes) == 1


@pytest.mark.parametrize("name", ["beale", "eggholder"])
def test_surface(name):
    fig = po.plot_surface(name, n=25)
    assert isinstance(fig, Figure) and fig.axes[0].name == "3d"
    fig.savefig(__import__("io").BytesIO(), format="png")


def test_trajectories_have_a_legend_and_a_start_marker():
    fig = po.plot_trajectories("rosenbrock", _paths(), n=40)
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"straight", "curved", "start", "global minimum"} <= set(legend)
    start = ax.lines[[line.get_label() for line in ax.lines].index("start")]
    np.testing.assert_allclose(np.column_stack(start.get_data()), [[-1.5, 2.0], [-1.5, 2.0]])


def test_trajectories_tolerate_a_diverged_path():
    paths = {"diverged": np.array([[0.0, 0.1], [0.0, 1e3], [np.inf, np.nan]])}
    assert isinstance(po.plot_trajectories("saddle", paths, n=20), Figure)


def test_loss_curves_log_scale_and_gap():
    losses = {"a": np.array([4.0, 2.0, 1.0, 1.0]), "b": np.array([4.0, 1.5, 1.0, 1.0])}
    fig = po.plot_loss_curves(losses, f_star=1.0)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    # gaps of exactly 0 are drawn at the smallest positive gap, not dropped
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [3.0, 1.0, 0.5, 0.5])
    fig = po.plot_loss_curves({"saddle": np.array([0.01, -0.5, -4.0])}, ylim=(-1, 1))
    assert fig.axes[0].get_yscale() == "linear" and fig.axes[0].get_ylim() == (-1, 1)


@pytest.mark.parametrize("name", ["rosenbrock", "saddle"])
def test_race_figure(name):
    paths = _paths()
    losses = {k: np.abs(v).sum(axis=1) - 2.0 for k, v in paths.items()}
    fig = po.plot_race(name, paths, losses, n=30)
    left, right = fig.axes
    assert left.get_legend() is not None and len(right.lines) == 2
    if name == "saddle":  # no minimum: f itself, limited to its range on the window (±4)
        assert right.get_yscale() == "linear"
        assert right.get_ylim()[0] == pytest.approx(-4.4, rel=1e-2)
    else:
        assert right.get_yscale() == "log"


def test_animation_is_a_decodable_gif_with_frames(tmp_path):
    from PIL import Image

    path = po.save_trajectory_animation("rosenbrock", _paths(), tmp_path / "race.gif",
                                        frames=5, n=30, dpi=40)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == 5
        gif.seek(gif.n_frames - 1)
        gif.load()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: po.plot_trajectories("rosenbrock", {}), TypeError, "non-empty mapping"),
        (lambda: po.plot_trajectories("rosenbrock", {"a": np.zeros((3, 3))}), ValueError,
         r"trajectory 'a' must have shape"),
        (lambda: po.plot_contour("rosenbruck"), ValueError, "Did you mean 'rosenbrock'"),
        (lambda: po.plot_contour("booth", n=1), ValueError, "n must be in"),
        (lambda: po.plot_loss_curves([1, 2]), TypeError, "losses must be"),
        (lambda: po.plot_loss_curves({"a": [1.0, np.nan]}), ValueError, "losses"),
        (lambda: po.save_trajectory_animation("booth", _paths(), "x.mp4"), ValueError,
         "must end in .gif"),
        (lambda: po.save_trajectory_animation("booth", _paths(), "x.gif", frames=1),
         ValueError, "frames must be in"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
