"""The autodiff figures: they draw what they are given and reject bad arguments."""

from __future__ import annotations

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import trace
from fromscratch.plot.autodiff import (
    plot_function_and_derivative,
    plot_jacobian_cost,
    plot_scaling,
    plot_tangent,
    plot_trace,
)


def test_plot_trace_draws_one_box_per_variable_and_one_arrow_per_edge():
    t = trace(lambda x1, x2: anp.log(x1) + x1 * x2 - anp.sin(x2), 2.0, 5.0)
    fig = plot_trace(t, show=("value", "adjoint"))
    ax = fig.axes[0]
    assert len(ax.texts) == 7 + 8  # 7 labelled boxes, 8 annotate-arrows (empty texts)
    assert any("5.5" in text.get_text() for text in ax.texts)
    with pytest.raises(ValueError, match="show"):
        plot_trace(t, show=("gradient",))


def test_plot_jacobian_cost_and_derivative_curves():
    fig = plot_jacobian_cost([1, 2, 4], [1e-3, 2e-3, 4e-3], [1e-3] * 3, varying="inputs n",
                             fixed="m = 4")
    assert len(fig.axes[0].lines) == 2
    with pytest.raises(ValueError, match="same length"):
        plot_jacobian_cost([1, 2], [1.0], [1.0, 2.0], varying="n", fixed="m")
    x = np.linspace(0, 1, 5)
    fig = plot_function_and_derivative(x, {"f": x ** 2, "f'": 2 * x}, xlabel="u")
    assert len(fig.axes[0].get_legend().get_texts()) == 2
    assert fig.axes[0].get_xlabel() == "u"


def test_plot_tangent_draws_the_line_through_the_point_with_the_given_slope():
    x = np.linspace(-2, 2, 41)
    fig = plot_tangent(x, x ** 3, at=1.0, value=1.0, slope=3.0, label="x³")
    curve, tangent, point = fig.axes[0].lines
    tx, ty = tangent.get_data()
    assert np.allclose(np.diff(ty) / np.diff(tx), 3.0)
    assert np.allclose(ty, 1.0 + 3.0 * (tx - 1.0))
    assert tx.min() < 1.0 < tx.max()
    assert point.get_data() == ([1.0], [1.0])
    with pytest.raises(ValueError, match="same length"):
        plot_tangent(x, x[:-1], at=0.0, value=0.0, slope=0.0)


def test_plot_scaling_pairs_each_law_with_its_measurement_and_labels_the_sizes():
    sizes = [1, 4, 16]
    fig = plot_scaling(sizes, {"forward": [1, 4, 16], "reverse": [1, 1, 1]},
                       predicted={"forward": ("n", sizes)}, hlines={"bound": 2.0},
                       vlines={"limit": 8.0}, xlabel="n", ylabel="passes")
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["forward", "n", "reverse", "bound", "limit"]
    forward, law = ax.lines[0], ax.lines[1]
    assert forward.get_color() == law.get_color() and law.get_linestyle() == "--"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "4", "16"]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="not measured"):
        plot_scaling(sizes, {"forward": sizes}, predicted={"backward": ("n", sizes)})
    with pytest.raises(ValueError, match="one per size"):
        plot_scaling(sizes, {"forward": [1, 2]})
    fig = plot_scaling(sizes, {"memory": [3, 6, 18]}, xscale="linear", yscale="linear")
    assert fig.axes[0].get_xscale() == "linear"
