"""Never a silently wrong derivative: each program below returned a wrong gradient without any
error or warning; now each raises a clear error (or warns, where the zero is right).

Also PyTorch's semantics on hand-made Tensors (``.item()`` detaches, ``.numpy()`` refuses a
Tensor that requires grad), the engine's shape check, and the second derivatives of ``prod``.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from autodiff_points import second_order_error, values
from hypothesis import given, settings
from hypothesis import strategies as st

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import (
    ConcretizationTypeError,
    Dual,
    Primitive,
    Tensor,
    derivative,
    grad,
    hessian,
    hvp,
    jacobian,
    jvp,
    no_grad,
    stop_gradient,
    value_and_grad,
    vjp,
)

TRANSFORMS = {
    "grad": lambda f, x: grad(f)(x),
    "value_and_grad": lambda f, x: value_and_grad(f)(x),
    "vjp": lambda f, x: vjp(f, x),
    "jvp": lambda f, x: jvp(f, (x,), (1.0,)),
    "derivative": lambda f, x: derivative(f)(x),
    "jacobian reverse": lambda f, x: jacobian(f)(x),
    "jacobian forward": lambda f, x: jacobian(f, mode="forward")(x),
    "hessian reverse": lambda f, x: hessian(f)(x),
    "hessian forward": lambda f, x: hessian(f, mode="forward")(x),
    "hvp": lambda f, x: hvp(f, x, 1.0),
    "grad of grad": lambda f, x: grad(grad(f))(x),
}


def _assign_slice(x):
    B = np.zeros(1)
    B[:] = x
    return anp.sum(B * x)


CONVERSIONS = {  # name: (f, the call the error names)
    "float": (lambda x: x * float(x), "float()"),
    "int": (lambda x: x * int(x), "int()"),
    "complex": (lambda x: x * complex(x).real, "complex()"),
    "math.exp": (lambda x: x * math.exp(x), "float()"),
    "item": (lambda x: x * x.item(), ".item()"),
    "np.asarray": (lambda x: x * np.asarray(x), "np.asarray()"),
    "np.asarray float": (lambda x: x * np.asarray(x, dtype=float), "np.asarray()"),
    "np.array": (lambda x: x * np.array(x), "np.asarray()"),
    "slice assignment": (_assign_slice, "np.asarray()"),
}


@pytest.mark.parametrize("transform", list(TRANSFORMS))
@pytest.mark.parametrize("conversion", list(CONVERSIONS))
def test_converting_a_traced_value_raises(conversion, transform):
    f, call = CONVERSIONS[conversion]
    with pytest.raises(ConcretizationTypeError, match=re.escape(call)) as info:
        TRANSFORMS[transform](lambda x: anp.sum(f(x)), 3.0)
    message = str(info.value)
    assert "stop_gradient" in message and "anp." in message and ".detach()" in message


def test_the_issues_example_and_its_two_correct_forms():
    with pytest.raises(ConcretizationTypeError, match=r"float\(\) was called on a Tensor"):
        grad(lambda x: x * float(x))(3.0)
    assert grad(lambda x: x * x)(3.0) == 6.0
    assert grad(lambda x: x * stop_gradient(x))(3.0) == 3.0  # a constant, said explicitly
    assert grad(lambda x: x * float(x.detach()))(3.0) == 3.0
    assert derivative(lambda x: x * float(stop_gradient(x)))(3.0) == 3.0


def test_element_assignment_into_an_ndarray_raises():
    """NumPy turns the error of float() into 'setting an array element with a sequence' for
    sequence-like objects; ours is its cause, shown first in the traceback."""
    def f(x):
        B = np.zeros(3)
        B[0] = x
        return anp.sum(B * x)

    for transform in ("grad", "jvp"):
        with pytest.raises(ValueError, match="setting an array element") as info:
            TRANSFORMS[transform](f, 3.0)
        assert isinstance(info.value.__cause__, ConcretizationTypeError)


def test_in_place_numpy_updates_with_traced_values_raise():
    def add_into(x):
        total = np.zeros(2)
        total += x
        return anp.sum(total)

    with pytest.raises(ConcretizationTypeError, match="out="):
        grad(add_into)(np.ones(2))
    with pytest.raises(ConcretizationTypeError, match="out="):
        grad(lambda x: np.multiply(x, 2.0, out=np.zeros(2)).sum())(np.ones(2))
    total = np.zeros(2)
    total += Tensor([1.0, 2.0])  # a constant Tensor converts, as a torch tensor does
    assert total.tolist() == [1.0, 2.0]


def test_iterating_over_a_0d_traced_value_raises_like_numpy():
    with pytest.raises(TypeError, match="iteration over a 0-d array"):
        grad(lambda x: sum(x))(3.0)
    with pytest.raises(TypeError, match="iteration over a 0-d array"):
        derivative(lambda x: sum(x))(3.0)
    with pytest.raises(TypeError, match="iteration over a 0-d array"):
        iter(np.float64(1.0) * Tensor(2.0))


def test_iterating_over_arrays_still_differentiates():
    x = np.array([1.0, -2.0, 3.0])
    np.testing.assert_array_equal(grad(lambda x: sum(x))(x), np.ones(3))
    np.testing.assert_array_equal(jacobian(lambda x: sum(x), mode="forward")(x), np.ones(3))
    M = values(0, (3, 2))
    np.testing.assert_allclose(grad(lambda M: sum(anp.sum(row ** 2) for row in M))(M), 2 * M)
    np.testing.assert_array_equal(grad(lambda x: sum(v * v for v in x))(x), 2 * x)


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "vjp", "jvp", "derivative",
                                       "jacobian reverse", "jacobian forward", "hvp"])
def test_an_output_that_ignores_the_input_warns(transform):
    with pytest.warns(UserWarning, match="Output seems independent of input"):
        TRANSFORMS[transform](lambda x: np.float64(4.0), 3.0)
    with pytest.warns(UserWarning, match="Output seems independent of input"):
        TRANSFORMS[transform](lambda x: np.sin(stop_gradient(x)), 3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TRANSFORMS[transform](lambda x: x * x, 3.0)


def test_the_warning_points_at_the_callers_line():
    with pytest.warns(UserWarning, match="independent") as record:
        grad(lambda x: 1.0)(2.0)
    assert record[0].filename == __file__


@pytest.mark.parametrize("transform", list(TRANSFORMS))
def test_complex_intermediate_values_are_rejected(transform):
    with pytest.raises(TypeError, match="multiply returned a complex result"):
        TRANSFORMS[transform](lambda x: anp.abs(x * (1 + 1j)), 1.0)
    with pytest.raises(TypeError, match="complex"):
        TRANSFORMS[transform](lambda x: anp.exp(x) * np.array([1j]), 1.0)
    with pytest.raises(TypeError, match="complex"):
        TRANSFORMS[transform](lambda x: x.astype(complex), 1.0)


def test_complex_values_on_hand_made_boxes_are_rejected():
    with pytest.raises(TypeError, match="complex"):
        Tensor([1.0], requires_grad=True) * 1j
    with pytest.raises(TypeError, match="complex"):
        Dual(1.0, 1.0) + 1j


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_concatenate_with_axis_none_flattens_in_both_modes(mode):
    x, y = values(0, (2, 3)), values(1, (4,))
    w = np.arange(16.0)

    def f(x, y):
        return anp.sum(anp.concatenate([x, y, x], axis=None) * w)

    gx, gy = jacobian(f, argnums=(0, 1), mode=mode)(x, y)
    np.testing.assert_array_equal(gx, (w[:6] + w[10:]).reshape(2, 3))
    np.testing.assert_array_equal(gy, w[6:10])


def test_a_rule_with_a_wrong_shape_is_an_error_naming_the_primitive():
    flat = Primitive("bad_ravel", lambda x: x.ravel(),
                     jvp=lambda t, ans, x: t,  # should be anp.ravel(t)
                     vjp=lambda g, ans, x: g)  # should be anp.reshape(g, x.shape)
    x = values(0, (2, 3))
    with pytest.raises(ValueError, match="JVP rule of input 0 of primitive 'bad_ravel'.*"
                                         r"shape \(2, 3\).*output has shape \(6,\)"):
        jvp(flat, (x,), (x,))
    with pytest.raises(ValueError, match="VJP rule of input 0 of primitive 'bad_ravel'.*"
                                         r"shape \(6,\).*input has shape \(2, 3\)"):
        grad(lambda x: anp.sum(flat(x)))(x)
    # smaller tangents that broadcast, and broadcast cotangents that sum back, are allowed
    np.testing.assert_array_equal(grad(lambda x: anp.sum(x + np.ones((4, 2, 3))))(x),
                                  np.full((2, 3), 4.0))


# -- prod: second derivatives at zeros -------------------------------------------------------------


def prod_hessian(x: np.ndarray) -> np.ndarray:
    """:math:`H_{ij} = \\prod_{k \\ne i, j} x_k` for :math:`i \\ne j`, 0 on the diagonal."""
    n = x.size
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                H[i, j] = np.prod(np.delete(x, [i, j]))
    return H


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_prod_hessian_with_two_zeros(mode):
    H = hessian(anp.prod, mode=mode)(np.array([0.0, 0.0, 2.0]))
    np.testing.assert_array_equal(H, [[0.0, 2.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 6), zeros=st.integers(0, 4), seed=st.integers(0, 2**32 - 1))
def test_prod_hessian_matches_the_closed_form_with_any_number_of_zeros(n, zeros, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    x[rng.choice(n, size=min(zeros, n), replace=False)] = 0.0
    expected = prod_hessian(x)
    # away from zeros the diagonal is d(ans/x_i)/dx_i = others_i/x_i - ans/x_i^2, exactly 0
    # only up to rounding: compare it relative to the Hessian's scale
    atol = 1e-13 * max(np.abs(expected).max(initial=0.0), np.abs(np.prod(x)))
    for mode in ("reverse", "forward"):
        np.testing.assert_allclose(hessian(anp.prod, mode=mode)(x), expected, rtol=1e-13,
                                   atol=atol)


@pytest.mark.filterwarnings("ignore:Output seems independent")
def test_prod_and_cumprod_second_derivatives_with_zeros_along_axes():
    x = values(0, (3, 4))
    x[0, 1] = x[0, 3] = x[1, 2] = x[2, 0] = x[2, 1] = x[2, 2] = 0.0
    assert second_order_error(lambda x: anp.prod(x, 1), x) < 1e-6
    assert second_order_error(lambda x: anp.prod(x, (0, 1), keepdims=True), x) < 1e-6
    assert second_order_error(lambda x: anp.cumprod(x, 1), x) < 1e-6
    assert second_order_error(lambda x: anp.cumprod(x), x) < 1e-6


# -- sinc at and near 0: its Maclaurin series ------------------------------------------------------


def test_sinc_derivatives_at_zero_are_exact_at_every_order_tested():
    """sinc(x) = sum_n (-1)^n (pi x)^(2n) / (2n+1)!: at 0 the odd derivatives vanish and the
    even ones are (-1)^n pi^(2n) / (2n + 1)."""
    d = anp.sinc
    for order, expected in enumerate([1.0, 0.0, -np.pi**2 / 3, 0.0, np.pi**4 / 5]):
        assert d(0.0) == pytest.approx(expected, rel=1e-14, abs=1e-300)
        d = derivative(d) if order % 2 else grad(d)


def test_sinc_slope_near_zero_keeps_full_precision():
    """(cos(pi x) - sinc x) / x cancels near 0: at 1e-8 it would keep about 8 digits."""
    for x in (1e-8, 1e-3, 0.0999, 0.1001):
        series = -np.pi**2 * x / 3 + np.pi**4 * x**3 / 30 - np.pi**6 * x**5 / 840
        exact = (np.cos(np.pi * x) - np.sinc(x)) / x if x > 0.05 else series
        assert grad(anp.sinc)(x) == pytest.approx(exact, rel=1e-12)


# -- PyTorch's semantics on hand-made Tensors; Duals ---------------------------------------------


def test_tensor_item_and_float_detach_by_definition():
    t = Tensor(3.0, requires_grad=True)
    assert t.item() == 3.0 and float(t) == 3.0 and int(t) == 3
    y = t * t.item()  # item() is a constant: dy/dt = 3
    y.backward()
    assert t.grad == 3.0


def test_tensor_numpy_refuses_a_tensor_that_requires_grad():
    t = Tensor([1.0, 2.0], requires_grad=True)
    message = "Can't call numpy\\(\\) on Tensor that requires grad.*tensor.detach\\(\\).numpy"
    with pytest.raises(ConcretizationTypeError, match=message):
        t.numpy()
    with pytest.raises(ConcretizationTypeError, match=message):
        np.asarray(t * 2)
    assert np.shares_memory(t.detach().numpy(), t.data)
    assert Tensor([1.0]).numpy().tolist() == [1.0] and np.asarray(Tensor([2.0])).tolist() == [2.0]
    with no_grad():
        assert (t * 2).numpy().tolist() == [2.0, 4.0]  # recorded nothing: requires no grad


def test_a_dual_refuses_to_drop_its_tangent():
    x = Dual(1.5, 1.0)
    with pytest.raises(ConcretizationTypeError, match=r"float\(\) was called on a Dual.*\.value"):
        float(x)
    with pytest.raises(ConcretizationTypeError):
        np.asarray(x)
    assert float(x.value) == 1.5
