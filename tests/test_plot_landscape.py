"""The loss-landscape pictures draw what they claim (checked on the artists, not the pixels):
the zero curves of the partial derivatives, the minimum, and arrows equal to −∇L."""

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from fromscratch.plot.landscape import plot_gradient_field, plot_loss_bowl

A = np.array([[2.0, 0.6], [0.6, 1.0]])
CENTER = np.array([1.0, -0.5])
WINDOW = [(-1.0, 3.0), (-2.5, 1.5)]


def loss(theta):
    d = theta - CENTER
    return 0.5 * d @ A @ d + 0.25


def gradient(theta):
    return A @ (theta - CENTER)


def _no_pyplot_figures():
    import matplotlib.pyplot as plt

    return plt.get_fignums() == []


def test_bowl_draws_the_zero_lines_of_each_partial_derivative_crossing_at_the_minimum():
    fig = plot_loss_bowl(loss, gradient, WINDOW, minimum=CENTER, resolution=30)
    assert isinstance(fig, Figure) and _no_pyplot_figures()
    fig.savefig(io.BytesIO(), format="png")
    surface, contours = fig.axes[0], fig.axes[-1]
    assert surface.name == "3d"
    zero_sets = [c for c in contours.collections if len(c.get_paths())
                 and c.get_edgecolor().size and c.get_linewidth()[0] == 2]
    assert len(zero_sets) == 2
    # The partial derivatives are linear, so the interpolated zero contour is exact: every
    # vertex of curve j satisfies (A(θ − c))_j = 0.
    for j, curve in enumerate(zero_sets):
        vertices = np.vstack([p.vertices for p in curve.get_paths()])
        np.testing.assert_allclose((vertices - CENTER) @ A[j], 0.0, atol=1e-9)
    star = next(line for line in contours.lines if line.get_marker() == "*")
    np.testing.assert_allclose(np.ravel(star.get_xydata()), CENTER)


def test_gradient_field_arrows_are_minus_the_gradient():
    fig = plot_gradient_field(loss, gradient, WINDOW, minimum=CENTER, arrows=7, resolution=20)
    ax = fig.axes[0]
    quiver = next(c for c in ax.collections if hasattr(c, "U"))
    positions = np.column_stack([quiver.X.ravel(), quiver.Y.ravel()])
    assert len(positions) == 49
    expected = -np.array([gradient(p) for p in positions])
    np.testing.assert_allclose(np.column_stack([quiver.U.ravel(), quiver.V.ravel()]), expected)
    assert ax.get_xlim() == WINDOW[0] and ax.get_ylim() == WINDOW[1]


def test_bad_input_is_refused_by_name():
    with pytest.raises(TypeError, match="loss must be a callable"):
        plot_loss_bowl(3.0, gradient, WINDOW)
    with pytest.raises(TypeError, match="gradient must be a callable"):
        plot_gradient_field(loss, None, WINDOW)
    with pytest.raises(ValueError, match="window must be"):
        plot_loss_bowl(loss, gradient, [(1.0, 0.0), (0.0, 1.0)])
    with pytest.raises(ValueError, match="2 partial derivatives"):
        plot_gradient_field(loss, lambda t: np.r_[t, 0.0], WINDOW, arrows=3, resolution=10)
    with pytest.raises(ValueError, match="non-finite"):
        plot_loss_bowl(lambda t: np.nan, gradient, WINDOW, resolution=10)
    with pytest.raises(ValueError, match="minimum must be a point"):
        plot_gradient_field(loss, gradient, WINDOW, minimum=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="arrows"):
        plot_gradient_field(loss, gradient, WINDOW, arrows=1)
