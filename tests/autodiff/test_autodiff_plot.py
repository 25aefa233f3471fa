"""The autodiff figures: they draw what they are given and reject bad arguments."""

from __future__ import annotations

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import trace
from fromscratch.plot.autodiff import (
    plot_function_and_derivative,
    plot_jacobian_cost,
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
    fig = plot_function_and_derivative(x, {"f": x ** 2, "f'": 2 * x})
    assert len(fig.axes[0].get_legend().get_texts()) == 2
