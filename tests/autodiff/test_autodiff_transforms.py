"""grad, value_and_grad, vjp, jacobian, hessian, hvp, check_grad: results, composition, errors."""

from __future__ import annotations

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import (
    Tensor,
    check_grad,
    derivative,
    grad,
    hessian,
    hvp,
    jacobian,
    jvp,
    value_and_grad,
    vjp,
)
from tolerance import assert_close_to_scale

rng = np.random.default_rng(0)
A = rng.normal(size=(4, 4))
X = rng.normal(size=(30, 5))
y = (rng.random(30) < 0.5).astype(float)


def quadratic_plus_sin(x):
    return 0.5 * x @ A @ x + anp.sum(anp.sin(x))


def quadratic_hessian(x):
    return 0.5 * (A + A.T) - np.diag(np.sin(x))


def logistic_nll(w):
    z = X @ w
    return anp.sum(anp.softplus(z) - y * z)


def logistic_hessian(w):
    p = 1 / (1 + np.exp(-(X @ w)))
    return X.T @ (X * (p * (1 - p))[:, None])


def test_grad_of_the_survey_example():
    f = lambda x1, x2: anp.log(x1) + x1 * x2 - anp.sin(x2)  # noqa: E731
    g1, g2 = grad(f, argnums=(0, 1))(2.0, 5.0)
    assert g1 == 5.5
    assert round(float(g2), 3) == 1.716
    assert isinstance(g1, np.float64)
    value, g = value_and_grad(f)(2.0, 5.0)
    assert value == pytest.approx(np.log(2) + 10 - np.sin(5)) and g == 5.5
    assert grad(f, argnums=-1)(2.0, 5.0) == g2


def test_grad_with_keyword_arguments_and_unused_inputs():
    f = lambda w, b, scale=1.0: scale * anp.sum(w * w)  # noqa: E731
    gw, gb = grad(f, argnums=(0, 1))(np.array([1.0, 2.0]), np.array(3.0), scale=2.0)
    np.testing.assert_allclose(gw, [4.0, 8.0])
    assert gb == 0.0  # f does not depend on b


def test_integers_are_cast_to_float64():
    g = grad(lambda x: anp.sum(x ** 2))(np.array([1, 2, 3]))
    assert g.dtype == np.float64 and g.tolist() == [2.0, 4.0, 6.0]
    assert derivative(lambda x: x ** 2)(3) == 6.0


def test_jacobian_both_modes_agree_with_the_closed_form():
    W = rng.normal(size=(3, 4))
    f = lambda x: anp.tanh(W @ x)  # noqa: E731
    x = rng.normal(size=4)
    expected = (1 - np.tanh(W @ x) ** 2)[:, None] * W
    np.testing.assert_allclose(jacobian(f)(x), expected, rtol=1e-13)
    np.testing.assert_allclose(jacobian(f, mode="forward")(x), expected, rtol=1e-13)
    M = rng.normal(size=(2, 3))
    J = jacobian(lambda M: M * M)(M)
    assert J.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(J.reshape(6, 6), np.diag(2 * M.ravel()))
    Ja, Jb = jacobian(lambda a, b: a * b, argnums=(0, 1), mode="forward")(2.0, np.ones(3))
    assert Ja.shape == (3,) and Jb.shape == (3, 3)


def test_vjp_is_reusable_and_checks_the_cotangent():
    out, vjp_fn = vjp(lambda x, w: anp.tanh(x * w), np.array([0.5, -1.0]), np.array(2.0))
    gx, gw = vjp_fn(np.array([1.0, 0.0]))
    gx2, _ = vjp_fn(np.array([1.0, 0.0]))  # the graph is kept: same answer again
    np.testing.assert_allclose(gx, [2 * (1 - np.tanh(1.0) ** 2), 0.0])
    np.testing.assert_allclose(gx, gx2)
    assert gw == pytest.approx(0.5 * (1 - np.tanh(1.0) ** 2))
    with pytest.raises(ValueError, match="cotangent has shape"):
        vjp_fn(np.ones(3))
    with pytest.raises(ValueError, match="at least one primal"):
        vjp(anp.sin)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_hessian_matches_closed_forms(mode):
    x = rng.normal(size=4)
    np.testing.assert_allclose(hessian(quadratic_plus_sin, mode=mode)(x), quadratic_hessian(x),
                               rtol=1e-12, atol=1e-14)
    w = rng.normal(size=5) * 0.3
    assert_close_to_scale(hessian(logistic_nll, mode=mode)(w), logistic_hessian(w), rtol=1e-12)


def test_hvp_and_grad_of_grad():
    x, v = rng.normal(size=4), rng.normal(size=4)
    assert_close_to_scale(hvp(quadratic_plus_sin, x, v), quadratic_hessian(x) @ v, rtol=1e-12)
    f = lambda x: x ** 4 * anp.sin(x)  # noqa: E731
    d2 = grad(grad(f))(0.7)
    d2_closed = 12 * 0.7**2 * np.sin(0.7) + 8 * 0.7**3 * np.cos(0.7) - 0.7**4 * np.sin(0.7)
    assert d2 == pytest.approx(d2_closed, rel=1e-13)
    assert derivative(derivative(f))(0.7) == pytest.approx(d2_closed, rel=1e-13)
    assert derivative(grad(f))(0.7) == pytest.approx(d2_closed, rel=1e-13)
    assert grad(derivative(f))(0.7) == pytest.approx(d2_closed, rel=1e-13)
    d3 = grad(grad(grad(f)))(0.7)
    assert d3 == pytest.approx(check_third(f, 0.7), rel=1e-6)


def check_third(f, x, h=1e-3):
    return (f(x + 2 * h) - 2 * f(x + h) + 2 * f(x - h) - f(x - 2 * h)) / (2 * h**3)


def test_no_perturbation_confusion():
    """d/dx [x * d/dy (x + y)] = 1: the inner derivative must not see the outer x's tangent
    (Siskind & Pearlmutter's example), in every mix of modes."""
    def outer(x):
        return x * derivative(lambda y: x + y)(1.0)

    assert derivative(outer)(2.0) == 1.0
    assert grad(outer)(2.0) == 1.0
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(2.0) == 1.0
    assert derivative(lambda x: x * grad(lambda y: x * y)(1.0))(2.0) == 4.0


def test_hessian_tensor_inputs_of_higher_rank():
    M = rng.normal(size=(2, 3))
    H = hessian(lambda M: anp.sum(M ** 3))(M)
    assert H.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(H.reshape(6, 6), np.diag(6 * M.ravel()), atol=1e-13)


def test_check_grad_catches_a_wrong_rule():
    from fromscratch.autodiff import Primitive

    wrong = Primitive("wrong_sin", np.sin, jvp=lambda t, ans, x: t * anp.cos(x),
                      vjp=lambda g, ans, x: g * anp.sin(x))  # should be cos
    assert check_grad(anp.sin, rng.normal(size=3)) < 1e-8
    assert check_grad(wrong, rng.normal(size=3)) > 1e-2
    assert check_grad(lambda a, b: a * b, 2.0, 3.0, argnums=1) < 1e-8
    with pytest.raises(ValueError, match="eps"):
        check_grad(anp.sin, 1.0, eps=0.0)


def test_grad_errors_name_the_fix():
    with pytest.raises(ValueError, match="jacobian\\(f\\).*vjp"):
        grad(anp.sin)(np.ones(3))
    with pytest.raises(TypeError, match="argnums must be an int or a tuple"):
        grad(anp.sin, argnums="0")
    with pytest.raises(TypeError, match="argnums"):
        grad(anp.sin, argnums=True)
    with pytest.raises(ValueError, match="empty"):
        grad(anp.sin, argnums=())
    with pytest.raises(ValueError, match="out of range"):
        grad(lambda a, b: a * b, argnums=2)(1.0, 2.0)
    with pytest.raises(ValueError, match="same argument twice"):
        grad(lambda a, b: a * b, argnums=(0, -2))(1.0, 2.0)
    with pytest.raises(TypeError, match="callable"):
        grad(3)
    with pytest.raises(TypeError, match="boolean"):
        grad(anp.sum)(np.array([True, False]))
    with pytest.raises(ValueError, match="Complex data not supported"):
        grad(anp.sum)(np.array([1j]))
    with pytest.raises(ValueError, match="mode must be one of"):
        jacobian(anp.sin, mode="sideways")
    with pytest.raises(TypeError, match="one argnums"):
        hessian(anp.sin, argnums=(0,))


def test_grad_at_a_hand_made_tensor_is_a_differentiable_tensor():
    """A Tensor passed to grad is treated like a box of an enclosing transformation: the
    gradient comes back as a Tensor whose backward() gives second derivatives."""
    t = Tensor([0.3, -0.8], requires_grad=True)
    g = grad(lambda x: anp.sum(x ** 3))(t)
    assert isinstance(g, Tensor)
    np.testing.assert_allclose(g.data, 3 * t.data ** 2)
    anp.sum(g).backward()
    np.testing.assert_allclose(t.grad, 6 * t.data)


def test_jvp_of_transformed_function_gives_hessian_vector_product():
    x, v = rng.normal(size=4), rng.normal(size=4)
    _, hv = jvp(grad(quadratic_plus_sin), (x,), (v,))
    assert_close_to_scale(hv, quadratic_hessian(x) @ v, rtol=1e-12)
