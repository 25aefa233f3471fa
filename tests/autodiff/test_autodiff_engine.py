"""The two engines: Tensor (reverse mode) and Dual (forward mode), their semantics and errors."""

from __future__ import annotations

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Dual, Primitive, Tensor, derivative, grad, jvp, no_grad

# -- Tensor ---------------------------------------------------------------------------------------


def test_tensor_contract_data_grad_dtype():
    t = Tensor([1, 2, 3])
    assert t.data.dtype == np.float64 and t.shape == (3,) and t.dtype == np.float64
    assert t.grad is None and t.requires_grad is False and t.is_leaf
    assert Tensor(np.ones(2, dtype=np.float32)).dtype == np.float32
    assert Tensor(np.ones(2, dtype=np.float16)).dtype == np.float64


def test_tensor_copies_its_input():
    a = np.zeros(3)
    t = Tensor(a, requires_grad=True)
    t.data -= 1.0  # an optimizer step, in place
    assert a.tolist() == [0.0, 0.0, 0.0]
    assert t.data.tolist() == [-1.0, -1.0, -1.0]


def test_backward_accumulates_into_leaves_and_a_second_backward_adds_again():
    w = Tensor([1.0, -2.0], requires_grad=True)
    b = Tensor(0.5, requires_grad=True)
    loss = anp.sum((w * 3.0 + b) ** 2)
    loss.backward()
    expected_w = 2 * (3 * w.data + 0.5) * 3
    np.testing.assert_allclose(w.grad, expected_w)
    np.testing.assert_allclose(b.grad, np.sum(2 * (3 * w.data + 0.5)))
    loss.backward()  # documented: the graph is kept; gradients add up
    np.testing.assert_allclose(w.grad, 2 * expected_w)


def test_leaf_grad_is_owned_and_writable():
    """A rule may pass its cotangent through unchanged (add); the leaf still gets its own copy,
    so an optimizer's in-place zero_grad cannot corrupt another leaf's gradient."""
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    anp.sum(a + b).backward()
    a.grad[...] = 0
    assert b.grad.tolist() == [1.0, 1.0, 1.0]
    c = Tensor(np.ones((2, 1)), requires_grad=True)
    anp.sum(c * np.ones((2, 3))).backward()  # the broadcast gradient is summed to c's shape
    assert c.grad.shape == (2, 1) and c.grad.flags.writeable


def test_non_leaves_keep_no_grad_and_constants_get_none():
    x = Tensor([1.0, 2.0], requires_grad=True)
    c = Tensor([3.0, 4.0])
    h = x * c
    anp.sum(h).backward()
    assert h.grad is None and not h.is_leaf and c.grad is None
    np.testing.assert_allclose(x.grad, [3.0, 4.0])


def test_node_used_twice_gets_both_contributions():
    """Trap: a value used twice must receive the sum of both adjoints, not the last one."""
    x = Tensor(3.0, requires_grad=True)
    y = x * x  # x used twice by one op
    z = y + y * x  # y used twice, x used a third time
    z.backward()
    # z = x^2 + x^3, dz/dx = 2x + 3x^2
    assert float(x.grad) == 2 * 3 + 3 * 9


def test_diamond_reusing_an_intermediate_many_times():
    x = Tensor(0.7, requires_grad=True)
    h = anp.sin(x)
    z = h
    for _ in range(50):
        z = z + h * h
    z.backward()
    expected = np.cos(0.7) * (1 + 50 * 2 * np.sin(0.7))
    np.testing.assert_allclose(float(x.grad), expected, rtol=1e-14)


def test_chain_of_100000_ops_has_no_recursion_limit():
    """Trap: a recursive topological sort fails beyond ~1000 nodes."""
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert float(x.grad) == 1.0
    assert grad(lambda x: _long_chain(x, 20_000))(2.0) == 1.0


def _long_chain(x, n):
    for _ in range(n):
        x = x + 0.0
    return x


def test_no_grad_records_nothing_and_detach_cuts_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        y = x * 2
    assert not y.requires_grad and y.is_leaf
    doubled = x * 2
    d = doubled.detach()
    assert not d.requires_grad and d.is_leaf and np.shares_memory(d.data, doubled.data)
    z = anp.sum(x * d)
    z.backward()
    np.testing.assert_allclose(x.grad, d.data)  # d is a constant


def test_no_grad_does_not_stop_a_transformation_started_inside_it():
    with no_grad():
        assert grad(lambda x: x * x)(3.0) == 6.0


def test_no_grad_is_per_thread():
    """Grad mode is thread-local, as PyTorch's: a thread inside no_grad (a Dask worker thread
    predicting a block) does not stop another thread from recording, and threads leaving their
    blocks in an interleaved order cannot leave recording switched off."""
    import threading

    inside, release = threading.Event(), threading.Event()

    def hold_no_grad():
        with no_grad():
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=hold_no_grad)
    worker.start()
    assert inside.wait(10)
    try:
        x = Tensor([1.0, 2.0], requires_grad=True)
        assert (x * 2).requires_grad  # the other thread's no_grad does not apply here
    finally:
        release.set()
        worker.join()
    # interleaved: A enters, B enters, A leaves, B leaves — recording is on afterwards
    a, b = no_grad(), no_grad()
    a_entered, b_entered, a_left = threading.Event(), threading.Event(), threading.Event()

    def thread_a():
        with a:
            a_entered.set()
            b_entered.wait(10)
        a_left.set()

    def thread_b():
        a_entered.wait(10)
        with b:
            b_entered.set()
            a_left.wait(10)

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (Tensor([1.0], requires_grad=True) * 2).requires_grad


def test_backward_with_explicit_gradient_and_errors():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad, [2.0, 40.0])
    with pytest.raises(ValueError, match="one element"):
        y.backward()
    with pytest.raises(ValueError, match="gradient has shape"):
        y.backward(np.ones(3))
    with pytest.raises(ValueError, match="does not require grad"):
        Tensor([1.0]).sum().backward()
    with pytest.raises(ValueError, match="does not require grad"):
        with no_grad():
            loss = (x * x).sum()
        loss.backward()


def test_tensor_bad_input():
    with pytest.raises(TypeError, match="requires_grad must be a bool"):
        Tensor([1.0], requires_grad=1)
    with pytest.raises(TypeError, match="boolean"):
        Tensor(np.array([True, False]))
    with pytest.raises(TypeError, match="strings"):
        Tensor(["a"])
    with pytest.raises(ValueError, match="NaN"):
        Tensor([np.nan])
    with pytest.raises(TypeError, match="Tensor"):
        Tensor(Tensor([1.0]))


def test_tensor_helpers():
    t = Tensor([[1.0, 2.0]], requires_grad=True)
    assert t.ndim == 2 and t.size == 2 and len(t) == 1
    assert Tensor(3.0).item() == 3.0
    with pytest.raises(ValueError, match="one element"):
        t.item()
    assert "requires_grad=True" in repr(t)
    assert isinstance(t > 1, np.ndarray) and (t > 1).tolist() == [[False, True]]
    assert {t: 1}[t] == 1  # hashable by identity despite elementwise ==
    r = np.ones(2) * Tensor([1.0, 2.0])  # ndarray on the left defers to the Tensor
    assert isinstance(r, Tensor)


def test_index_must_not_be_a_box():
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="index"):
        t[Tensor([0.0])]


def test_argument_without_a_rule_is_rejected_with_the_primitive_name():
    x = Tensor([0.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="clip is not differentiable with respect to its input 1"):
        anp.clip(x, Tensor(0.5, requires_grad=True), 1.0)
    with pytest.raises(TypeError, match="where is not differentiable"):
        anp.where(Tensor([1.0, 0.0], requires_grad=True), x, x)


# -- Dual -----------------------------------------------------------------------------------------


def test_dual_numbers_carry_the_derivative():
    # f(x) = x^2 sin(x): f' = 2x sin x + x^2 cos x
    x = Dual(1.3, 1.0)
    y = x * x * anp.sin(x)
    np.testing.assert_allclose(y.value, 1.3**2 * np.sin(1.3))
    np.testing.assert_allclose(y.tangent, 2 * 1.3 * np.sin(1.3) + 1.3**2 * np.cos(1.3))


def test_dual_broadcast_tangent_takes_the_output_shape():
    x = Dual(np.ones((2, 1)), np.ones((2, 1)))
    y = x + np.zeros((2, 3))
    assert y.tangent.shape == (2, 3)


def test_dual_bad_input():
    with pytest.raises(ValueError, match="tangent has shape"):
        Dual(np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="Dual"):
        Dual(Tensor([1.0]), [1.0])
    assert Dual(np.ones(2, dtype=np.float32), [1, 1]).tangent.dtype == np.float32


def test_mixing_a_hand_made_dual_and_tensor_is_a_clear_error():
    with pytest.raises(TypeError, match="Dual and a Tensor at the same level"):
        Dual(1.0, 1.0) * Tensor(2.0, requires_grad=True)
    with pytest.raises(TypeError, match="hvp"):
        Tensor(2.0, requires_grad=True) + Dual(1.0, 1.0)


def test_derivative_and_jvp():
    assert derivative(lambda x: x**3)(2.0) == 12.0
    grid = np.linspace(-2, 2, 5)
    np.testing.assert_allclose(derivative(anp.tanh)(grid), 1 - np.tanh(grid) ** 2)
    out, t = jvp(lambda x, y: x * y, (2.0, 3.0), (1.0, 0.0))
    assert (out, t) == (6.0, 3.0)
    with pytest.warns(UserWarning, match="Output seems independent of input"):
        out, t = jvp(lambda x: np.float64(4.0), (1.0,), (1.0,))  # f ignores x: zero tangent
    assert t == 0.0


def test_jvp_bad_input():
    f = anp.sin
    with pytest.raises(ValueError, match="tangents\\[0\\] has shape"):
        jvp(f, (np.ones(3),), (np.ones(2),))
    with pytest.raises(TypeError, match="tuples"):
        jvp(f, np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="one tangent per primal"):
        jvp(f, (1.0, 2.0), (1.0,))
    with pytest.raises(TypeError, match="callable"):
        jvp(3.0, (1.0,), (1.0,))
    with pytest.raises(TypeError, match="one array"):
        jvp(lambda x: (x, x), (1.0,), (1.0,))
    with pytest.raises(TypeError, match="boolean"):
        derivative(f)(np.array([True]))


def test_user_defined_primitive_works_in_both_modes():
    """The documented way to add a rule: a stable log(1 + e^x) with derivative sigmoid."""
    softplus = Primitive("my_softplus", lambda x: np.logaddexp(0.0, x),
                         jvp=lambda t, ans, x: t * anp.sigmoid(x),
                         vjp=lambda g, ans, x: g * anp.sigmoid(x))
    x = np.array([-800.0, 0.0, 3.0])
    np.testing.assert_allclose(grad(lambda x: anp.sum(softplus(x)))(x), [0.0, 0.5,
                                                                       1 / (1 + np.exp(-3))])
    np.testing.assert_allclose(derivative(softplus)(x), grad(lambda x: anp.sum(softplus(x)))(x))
    assert derivative(derivative(softplus))(0.0) == pytest.approx(0.25)  # the rule composes


def test_primitive_definition_errors():
    with pytest.raises(TypeError, match="callable"):
        Primitive("bad", 3)
    with pytest.raises(TypeError, match="vjp of primitive 'bad'"):
        Primitive("bad", np.sin, vjp=[np.cos])
    only_forward = Primitive("fwd_only", np.sin, jvp=lambda t, ans, x: t * anp.cos(x))
    assert derivative(only_forward)(0.0) == 1.0
    with pytest.raises(TypeError, match="reverse mode"):
        grad(only_forward)(0.0)
