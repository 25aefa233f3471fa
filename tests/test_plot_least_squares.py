"""The least-squares pictures draw what they claim (checked on the artists, not the pixels): the
reflection and its mirror, the stages of QR, one-step predictions, LOWESS's local lines and a
fit as a weighted sum of features."""

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from fromscratch.plot import least_squares as pls


def _renders(fig):
    import matplotlib.pyplot as plt

    fig.savefig(io.BytesIO(), format="png")
    return isinstance(fig, Figure) and plt.get_fignums() == []


@pytest.mark.parametrize("x", [[2.0, 1.5], [-1.0, 0.01], [0.5, -3.0]])
def test_reflection_maps_x_to_the_axis_with_a_mirror_normal_to_v(x):
    fig = pls.plot_reflection(x)
    assert _renders(fig)
    ax = fig.axes[0]
    x = np.array(x)
    length = np.hypot(*x)
    images = [line for line in ax.lines if line.get_marker() == "o"]
    betas = [float(line.get_xdata()[0]) for line in images]
    assert betas == pytest.approx([-np.sign(x[0]) * length, np.sign(x[0]) * length])
    mirrors = [line for line in ax.lines if line.get_linestyle() == "--"]
    for beta, mirror in zip(betas, mirrors, strict=True):
        direction = np.diff(mirror.get_xydata(), axis=0)[0]
        v = x - np.array([beta, 0.0])
        assert abs(direction @ v) <= 1e-12 * np.hypot(*direction) * np.hypot(*v)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"‖v‖ = {np.hypot(*(x - [betas[1], 0.0])):.2g}" in legend[1]
    with pytest.raises(ValueError, match="non-zero"):
        pls.plot_reflection([0.0, 0.0])
    with pytest.raises(ValueError, match="2 entries"):
        pls.plot_reflection([1.0, 2.0, 3.0])


def test_qr_steps_show_one_map_per_stage_of_log_magnitudes():
    A = np.arange(1.0, 13.0).reshape(4, 3)
    stages = [A, np.triu(A), np.zeros_like(A)]
    fig = pls.plot_qr_steps(stages)
    assert _renders(fig)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 3
    tiny = np.finfo(float).eps * 12 / 10
    np.testing.assert_allclose(images[1].get_array(), np.log10(np.abs(np.triu(A)) + tiny))
    with pytest.raises(TypeError, match="non-empty sequence"):
        pls.plot_qr_steps([])
    with pytest.raises(ValueError, match="one shape"):
        pls.plot_qr_steps([A, A[:, :2]])


def test_one_step_predictions_draw_the_last_steps():
    series = np.sin(np.arange(50.0))
    predicted = np.r_[np.nan, np.nan, series[1:-1]]
    fig = pls.plot_one_step_predictions(series, predicted, last=20)
    assert _renders(fig)
    data, prediction = fig.axes[0].lines
    np.testing.assert_array_equal(data.get_xdata(), np.arange(30, 50))
    np.testing.assert_array_equal(prediction.get_ydata(), predicted[30:])
    with pytest.raises(ValueError, match="length of series"):
        pls.plot_one_step_predictions(series, predicted[:-1])
    with pytest.raises(ValueError, match="last"):
        pls.plot_one_step_predictions(series, predicted, last=51)


def test_local_fits_draw_each_weighted_line_over_its_neighbourhood():
    x = np.linspace(0.0, 1.0, 21)
    y = x**2
    weights = np.clip(1 - np.abs(x - 0.5) / 0.2, 0.0, None)
    fig = pls.plot_local_fits(x, y, y, {0.5: (weights, 0.25, 1.0)})
    assert _renders(fig)
    ax = fig.axes[0]
    local = [line for line in ax.lines if len(line.get_xdata()) == 2][0]
    ends_x, ends_y = local.get_data()
    np.testing.assert_allclose(ends_x, [x[weights > 0].min(), x[weights > 0].max()])
    np.testing.assert_allclose(ends_y, 0.25 + 1.0 * (ends_x - 0.5))
    sizes = ax.collections[1].get_sizes()
    np.testing.assert_allclose(sizes, 40 * weights[weights > 0])
    with pytest.raises(TypeError, match="mapping"):
        pls.plot_local_fits(x, y, y, [(0.5, weights)])
    with pytest.raises(ValueError, match="weights must have 21"):
        pls.plot_local_fits(x, y, y, {0.5: (weights[:-1], 0.25, 1.0)})


def test_basis_expansion_sums_the_weighted_features():
    x = np.linspace(-1.0, 1.0, 30)[::-1]
    H = np.column_stack([np.tanh(x), np.tanh(2 * x - 1), x**2])
    w, b = np.array([1.0, -0.5, 2.0]), 0.3
    fig = pls.plot_basis_expansion(x, H, w, b, y=H @ w + b)
    assert _renders(fig)
    lines = fig.axes[0].lines
    assert len(lines) == 4
    order = np.argsort(x)
    np.testing.assert_allclose(lines[1].get_ydata(), -0.5 * H[order, 1])
    np.testing.assert_allclose(lines[-1].get_ydata(), (H @ w + b)[order])
    with pytest.raises(ValueError, match="weights must have 3"):
        pls.plot_basis_expansion(x, H, w[:2], b)
    with pytest.raises(ValueError, match="one row per x"):
        pls.plot_basis_expansion(x[:-1], H, w, b)
