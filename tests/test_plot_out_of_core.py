"""The out-of-core figures: what they draw, and bad input refused by name."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from fromscratch.plot.out_of_core import (  # noqa: E402
    plot_passes,
    plot_reduction_tree,
    plot_streaming,
    plot_variance_digits,
)


def test_the_reduction_tree_has_one_level_per_merge():
    fig = plot_reduction_tree(((4, 2), (20, 8), (1, 2)))
    titles = [ax.get_title() for ax in fig.axes]
    # 4 → 2 → 1, 20 → 3 → 1: two levels of merges each; one block needs none
    assert titles == ["4 blocks merged 2 at a time: 2 levels of merges",
                      "20 blocks merged 8 at a time: 2 levels of merges",
                      "1 block merged 2 at a time: 0 levels of merges"]
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert {"X1", "X4", "R1", "R11", "R12", "R"} <= set(labels)


@pytest.mark.parametrize("trees, message", [
    ((), "at least one"), (((4, 1),), "split_every"), (((0, 2),), "n_blocks"),
])
def test_the_reduction_tree_refuses_bad_shapes(trees, message):
    with pytest.raises(ValueError, match=message):
        plot_reduction_tree(trees)


def test_variance_digits_checks_the_lengths():
    fig = plot_variance_digits([1, 10], {"a": [15, 13]}, predicted=[15.6, 13.6])
    assert len(fig.axes[0].lines) == 3  # the method, the prediction, machine precision
    with pytest.raises(ValueError, match=r"digits\['a'\] has 1 values; ratio has 2"):
        plot_variance_digits([1, 10], {"a": [15]})


def test_passes_with_and_without_curves():
    fig = plot_passes({"qr": 1.05, "newton": 7})
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) == 2
    fig = plot_passes({"newton": 7}, curves={"newton": [1.0, 0.5, 0.5]}, optimum=0.5)
    gap = fig.axes[0].lines[0].get_ydata()
    assert gap[0] == 0.5 and gap[-1] > 0  # a gap of 0 is drawn at rounding level
    with pytest.raises(ValueError, match="optimum"):
        plot_passes({"newton": 7}, curves={"newton": [1.0]})
    with pytest.raises(ValueError, match="at least one"):
        plot_passes({})


def test_streaming_draws_the_gap_and_the_predictions():
    fig = plot_streaming([1.5, 1.01, 0.99], 1.0, predicted_excess=0.02, distances=[0.3, 0.1],
                         predicted_distance=0.1)
    left, right = fig.axes
    np.testing.assert_allclose(left.lines[0].get_ydata(), [0.5, 0.01, 2e-4])  # ≤ 0 at 1/100
    assert left.lines[1].get_ydata()[0] == 0.02 and right.lines[1].get_ydata()[0] == 0.1
    with pytest.raises(ValueError, match="optimum"):
        plot_streaming([1.0], float("nan"))
