"""Derivatives at the edges: the dtype of a float32 input's derivative, and Jacobians at points
where a function is finite but its slope is infinite (sqrt at 0, arcsin at 1).

References: PyTorch (the dtype of ``.grad``) and closed forms (the Jacobians).
"""

from __future__ import annotations

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Tensor, grad, hessian, jacobian, jvp, vjp

torch = pytest.importorskip("torch")

X32 = np.array([1.0, 2.0, -0.5], dtype=np.float32)
C64 = np.array([0.1, 0.2, 0.3])  # float64 constants: f's value is float64 (NumPy's rule)


def cubic(x):
    return ((x * C64) ** 3).sum()


def test_gradient_of_a_float32_input_is_float32_as_torch_and_jax():
    leaf = torch.tensor(X32, requires_grad=True)
    (leaf * torch.tensor(C64)).pow(3).sum().backward()
    assert leaf.grad.dtype == torch.float32  # the reference: .grad has the leaf's dtype

    g = grad(cubic)(X32)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, leaf.grad.numpy(), rtol=1e-6)
    assert vjp(lambda x: x * C64, X32)[1](np.ones(3))[0].dtype == np.float32
    assert grad(lambda x: x * 0.5)(np.float32(2.0)).dtype == np.float32
    for mode in ("reverse", "forward"):
        H = hessian(cubic, mode=mode)(X32)
        assert H.dtype == np.float32, mode
        np.testing.assert_allclose(H, np.diag(6 * C64**3 * X32), rtol=1e-6)


def test_tensor_grad_stays_float32_when_it_accumulates():
    x = Tensor(X32, requires_grad=True)
    for _ in range(2):
        cubic(x).backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad, 2 * 3 * C64**3 * X32**2, rtol=1e-6)


# f, a point with one singular entry (first) and one regular entry, f' at the regular one
INFINITE_SLOPES = {
    "sqrt": (anp.sqrt, [0.0, 4.0], 0.25),
    "cbrt": (anp.cbrt, [0.0, 8.0], 1 / 12),
    "x**0.5": (lambda x: x**0.5, [0.0, 4.0], 0.25),
    "x**y": (lambda x: x ** np.array([0.3, 0.3]), [0.0, 1.0], 0.3),
    "arcsin": (anp.arcsin, [1.0, 0.0], 1.0),
    "arccos": (anp.arccos, [-1.0, 0.0], -1.0),
    "arccosh": (anp.arccosh, [1.0, 2.0], 1 / np.sqrt(3)),
}


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("name", INFINITE_SLOPES)
@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_jacobian_at_an_infinite_slope_has_zeros_off_the_diagonal(name, mode):
    # f acts entry by entry, so its Jacobian is diagonal: diag(±inf, f'(x₁)). One JVP (a
    # column) or VJP (a row) puts a zero tangent on the singular entry; 0·∞ there made the
    # whole Jacobian off-diagonal NaN, and in forward mode the regular derivative too.
    f, point, slope = INFINITE_SLOPES[name]
    J = jacobian(f, mode=mode)(np.array(point))
    assert np.isinf(J[0, 0])
    assert J[0, 1] == 0.0 and J[1, 0] == 0.0
    assert J[1, 1] == pytest.approx(slope, rel=1e-14)
    _, tangent = jvp(lambda x: f(x).sum(), (np.array(point),), (np.array([0.0, 1.0]),))
    assert tangent == pytest.approx(slope, rel=1e-14)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_where_guarding_sqrt_at_zero_gives_the_gradient_of_the_branch_taken():
    # Deliberately unlike PyTorch and JAX, which give NaN here (0 · ∞ from the branch not
    # taken): f is 0 on x ≤ 0, so its derivative there is 0.
    def f(x):
        return anp.where(x > 0, anp.sqrt(x), 0.0).sum()

    assert grad(f)(np.array([0.0, 4.0])).tolist() == [0.0, 0.25]
    x = Tensor(np.array([0.0, 4.0]), requires_grad=True)
    f(x).backward()
    assert x.grad.tolist() == [0.0, 0.25]
