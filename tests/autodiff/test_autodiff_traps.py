"""Known traps of autodiff engines, each pinned by a test, plus numerical stability at ±1000.

(Trap tests also in test_autodiff_engine.py: a node used twice, a 100,000-op chain.)
"""

from __future__ import annotations

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Tensor, derivative, grad, hessian, jacobian, jvp

BIG = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_softmax_jacobian_is_the_full_matrix_not_its_diagonal(mode):
    x = np.array([0.3, -1.2, 2.0, 0.5])
    s = np.exp(x) / np.exp(x).sum()
    J = jacobian(anp.softmax, mode=mode)(x)
    np.testing.assert_allclose(J, np.diag(s) - np.outer(s, s), rtol=1e-13, atol=1e-16)
    assert np.abs(J - np.diag(np.diag(J))).max() > 0.01  # off-diagonal terms are there
    Jl = jacobian(anp.log_softmax, mode=mode)(x)
    np.testing.assert_allclose(Jl, np.eye(4) - s[None, :], rtol=1e-13, atol=1e-16)


def test_used_twice_in_forward_mode():
    assert derivative(lambda x: x * x + x * x * x)(3.0) == 2 * 3 + 3 * 9


def test_stable_functions_at_plus_minus_1000():
    sig = anp.sigmoid(BIG)
    np.testing.assert_allclose(sig, [0.0, 1 / (1 + np.exp(30)), 0.5, 1 / (1 + np.exp(-30)), 1.0],
                               rtol=1e-15, atol=0)
    np.testing.assert_allclose(anp.softplus(BIG), [0.0, np.log1p(np.exp(-30)), np.log(2),
                                                   30 + np.log1p(np.exp(-30)), 1000.0],
                               rtol=1e-15)
    assert anp.logsumexp(np.array([1000.0, 1000.0])) == pytest.approx(1000 + np.log(2))
    assert anp.logsumexp(np.array([-1000.0, -1000.0])) == pytest.approx(-1000 + np.log(2))
    assert anp.logsumexp(np.array([-np.inf, -np.inf])) == -np.inf
    ls = anp.log_softmax(np.array([1000.0, 0.0, -1000.0]))
    np.testing.assert_allclose(ls, [0.0, -1000.0, -2000.0], rtol=1e-15)


@pytest.mark.parametrize("name,f,expected,atol", [
    # sigma' = sigma(x) sigma(-x) keeps full relative accuracy in the tails, where
    # sigma (1 - sigma) would lose it to cancellation (0.1% wrong at x = 30)
    ("sigmoid", anp.sigmoid, lambda x: np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))) ** 2,
     1e-300),
    ("softplus", anp.softplus, lambda x: np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x))),
     1e-300),  # softplus' = sigma(x), written so that no exponent is positive
    # tanh' = 1 - tanh^2, as PyTorch: accurate in absolute terms only (tanh(30) rounds to 1)
    ("tanh", anp.tanh, lambda x: 1 / np.cosh(np.clip(x, -300, 300)) ** 2, 1e-16),
])
def test_stable_derivatives_at_plus_minus_1000(name, f, expected, atol):
    for d in (derivative(f)(BIG), grad(lambda x: anp.sum(f(x)))(BIG)):
        assert np.isfinite(d).all()
        np.testing.assert_allclose(d, expected(BIG), rtol=1e-12, atol=atol)


def test_stable_softmax_family_gradients_at_1000():
    x = np.array([1000.0, 0.0, -1000.0])
    g = grad(lambda x: anp.logsumexp(x))(x)
    np.testing.assert_allclose(g, [1.0, 0.0, 0.0])
    g = grad(lambda x: anp.log_softmax(x)[1])(x)  # d log p_1 / dx = e_1 - p
    np.testing.assert_allclose(g, [-1.0, 1.0, 0.0])
    for mode in ("reverse", "forward"):
        J = jacobian(anp.softmax, mode=mode)(x)
        assert np.isfinite(J).all()
        np.testing.assert_allclose(J, np.zeros((3, 3)), atol=1e-300)


def test_subgradients_at_non_differentiable_points_are_finite_and_documented():
    zero3 = np.zeros(3)
    # norm at 0: x / ||x|| would be 0/0; we return 0 (a subgradient) in both modes
    assert grad(anp.norm)(zero3).tolist() == [0.0, 0.0, 0.0]
    assert jvp(anp.norm, (zero3,), (np.ones(3),))[1] == 0.0
    assert np.isfinite(hessian(anp.norm)(zero3)).all()
    assert grad(lambda x: anp.sum(anp.norm(x, axis=1)))(np.zeros((2, 2))).tolist() == \
        [[0.0, 0.0], [0.0, 0.0]]
    # abs, sign, relu at 0: 0 (PyTorch's convention)
    assert derivative(anp.abs)(0.0) == 0.0 and grad(anp.abs)(0.0) == 0.0
    assert grad(anp.relu)(0.0) == 0.0 and derivative(anp.relu)(0.0) == 0.0
    # max at a tie: shared evenly between the tied maximisers (as torch.amax)
    assert grad(anp.max)(np.array([1.0, 3.0, 3.0])).tolist() == [0.0, 0.5, 0.5]
    assert grad(lambda x: anp.maximum(x, 2.0))(2.0) == 0.5
    # std of a constant: 0, not 0/0
    g = grad(anp.std)(np.full(4, 2.5))
    assert np.isfinite(g).all()
    # power: d/dx x**0 = 0 even at x = 0; d/dy 0**y = 0 (not 0 * log 0)
    assert grad(lambda x: x ** 0.0)(0.0) == 0.0
    assert grad(lambda y: 0.0 ** y, argnums=0)(2.0) == 0.0
    # clip at its bounds passes the gradient (closed interval, as torch.clamp)
    assert grad(lambda x: anp.clip(x, 0.0, 1.0))(1.0) == 1.0
    # prod with a zero
    assert grad(anp.prod)(np.array([0.0, 2.0, 3.0])).tolist() == [6.0, 0.0, 0.0]


def test_tensor_backward_at_kinks_is_never_nan():
    x = Tensor(np.zeros(4), requires_grad=True)
    loss = anp.norm(x) + anp.sum(anp.abs(x)) + anp.sum(anp.relu(x)) + anp.max(x) + anp.std(x)
    loss.backward()
    assert np.isfinite(x.grad).all()
