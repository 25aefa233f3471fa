"""The data-set figures: each returns a Figure that shows all of the data it was given."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from fromscratch import datasets  # noqa: E402
from fromscratch.plot import datasets as plots  # noqa: E402


def _scatter_points(fig):
    return sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections)


@pytest.mark.parametrize("name", datasets.names("synthetic"))
def test_every_synthetic_set_has_a_figure_showing_every_point(name):
    data = datasets.load(name, n_samples=60, random_state=0)
    fig = plots.plot_dataset(data)
    assert isinstance(fig, Figure)
    assert _scatter_points(fig) == 60


def test_image_grid_tiles_the_first_images_of_each_class(digits):
    fig = plots.plot_images(digits, per_class=3)
    (image,) = fig.axes[0].get_images()
    mosaic = image.get_array()
    assert mosaic.shape == (10 * 9 - 1, 3 * 9 - 1)  # 8×8 tiles with one-pixel gaps
    first_three = np.flatnonzero(digits.y == 7)[:3]
    np.testing.assert_array_equal(mosaic[63:71, 18:26], digits.images[first_three[2]])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == digits.target_names


def test_mnist_grid_via_plot_dataset(mnist):
    fig = plots.plot_dataset(mnist)
    assert fig.axes[0].get_images()[0].get_array().shape == (10 * 29 - 1, 8 * 29 - 1)


@pytest.mark.parametrize("fixture", ["ames", "windsor"])
def test_price_histograms_count_every_sale(request, fixture):
    data = request.getfixturevalue(fixture)
    fig = plots.plot_dataset(data)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert sum(patch.get_height() for patch in ax.patches) == len(data.y)
    assert fig.axes[1].get_xlabel() == f"log({data.target_name})"


def test_real_scatter_plots(breast_cancer, diabetes_scaled):
    fig = plots.plot_dataset(breast_cancer)
    assert _scatter_points(fig) == 569
    assert fig.axes[0].get_xlabel() == "worst radius"
    fig = plots.plot_dataset(diabetes_scaled)
    assert _scatter_points(fig) == 442 and fig.axes[0].get_xlabel() == "bmi"


def test_plots_draw_into_a_given_axes():
    data = datasets.make_moons(40, random_state=0)
    fig, ax = Figure(), None
    ax = fig.subplots()
    assert plots.plot_classes(data, ax=ax, title="t") is fig
    assert ax.get_title() == "t"
    curve = datasets.make_sine(10, random_state=0)
    assert plots.plot_regression_1d(curve, ax=fig.subplots()) is fig
    many = datasets.make_linear(30, 3, random_state=0)
    assert plots.plot_dataset(many).axes[0].get_xlabel() == "x0"
