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


def test_trajectories_mark_named_points():
    points = {"fixed point": (2.0, 2.0), "L2 minimizer": np.array([0.5, -0.5])}
    fig = po.plot_trajectories("booth", _paths(), n=20, points=points)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.lines}
    for label, point in points.items():
        np.testing.assert_array_equal(np.column_stack(lines[label].get_data()), [point])
    assert lines["fixed point"].get_marker() != lines["L2 minimizer"].get_marker()
    assert set(points) <= {t.get_text() for t in ax.get_legend().get_texts()}


def test_per_step_draws_each_prediction_dashed_in_its_measurements_colour():
    measured = {"adam": np.array([1.0, 1.0, 1.0]), "sgd": np.array([3.0, 2.0, 1.0])}
    fig = po.plot_per_step(measured, {"sgd": np.array([3.0, 2.0, 1.0, 0.5])}, first_step=1,
                           hlines={"limit": 0.5}, logx=True)
    ax = fig.axes[0]
    assert _no_pyplot_figures() and ax.get_yscale() == "log" and ax.get_xscale() == "log"
    adam, sgd, formula, limit = ax.lines
    np.testing.assert_array_equal(adam.get_xdata(), [1, 2, 3])  # steps start at first_step
    np.testing.assert_array_equal(formula.get_xdata(), [1, 2, 3, 4])
    assert formula.get_color() == sgd.get_color() != adam.get_color()
    assert formula.get_linestyle() == "--" and sgd.get_linestyle() == "-"
    # a measurement with a formula is drawn wide and light, so the formula stays visible
    assert sgd.get_linewidth() > adam.get_linewidth() and sgd.get_alpha() < 1
    assert limit.get_ydata()[0] == 0.5
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert legend == {"adam", "sgd", "dashed: formula", "limit"}


def test_per_step_into_a_given_axes_on_linear_scales():
    fig = Figure()
    ax = fig.add_subplot()
    assert po.plot_per_step({"m": [0.1, 0.5, -0.2]}, logy=False, ax=ax) is fig
    assert ax.get_yscale() == "linear" and len(ax.lines) == 1


def test_paths_and_steps_has_a_landscape_and_a_step_panel():
    fig = po.plot_paths_and_steps("rosenbrock", _paths(), {"straight": np.ones(20)},
                                  {"straight": np.ones(20)}, n=20, points={"p": (0.0, 0.0)},
                                  ylabel="step", steps_title="steps")
    left, right = fig.axes
    assert "p" in [line.get_label() for line in left.lines]
    assert right.get_title() == "steps" and right.get_ylabel() == "step"
    assert len(right.lines) == 2


def test_weight_decay_draws_the_box_and_the_distances():
    fig = po.plot_weight_decay("booth", _paths(), {"fixed point": (2.0, 2.0)},
                               {"straight": np.geomspace(1, 1e-6, 20)}, bound=2.0, n=20)
    left, right = fig.axes
    box = next(line for line in left.lines if line.get_label().startswith("box"))
    np.testing.assert_array_equal(np.column_stack(box.get_data()),
                                  [[-2, -2], [2, -2], [2, 2], [-2, 2], [-2, -2]])
    assert right.get_xscale() == "log" and right.get_yscale() == "log"


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
        (lambda: po.plot_trajectories("booth", _paths(), points=[(0, 0)]), TypeError,
         "points must be a mapping"),
        (lambda: po.plot_trajectories("booth", _paths(), points={"p": (0, 0, 0)}), ValueError,
         r"point 'p' must be \(x, y\)"),
        (lambda: po.plot_per_step({}), TypeError, "measured must be a non-empty mapping"),
        (lambda: po.plot_per_step({"a": np.zeros((2, 2))}), ValueError,
         r"measured\['a'\] must be a non-empty 1-D array"),
        (lambda: po.plot_per_step({"a": [1.0]}, {"b": [1.0]}), ValueError,
         r"predicted has labels \['b'\] that measured lacks"),
        (lambda: po.plot_per_step({"a": [1.0]}, first_step=0.5), TypeError, "first_step"),
        (lambda: po.plot_weight_decay("booth", _paths(), {}, {"a": [1.0]}, bound=-1.0),
         ValueError, "bound"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
