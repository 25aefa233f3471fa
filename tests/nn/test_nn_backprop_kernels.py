"""The textbook kernels of nn.backprop against PyTorch: values, gradients, extreme inputs,
dtypes. The exercises use them as references, so they must be right everywhere."""

import numpy as np
import pytest

from fromscratch.nn.backprop import (
    FeedForwardNetwork,
    dense_backward,
    dense_forward,
    log_sigmoid,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_cross_entropy,
)
from tolerance import assert_close_to_scale

torch = pytest.importorskip("torch")
F = torch.nn.functional

# Scores from tiny to far beyond where e^z overflows (709 in float64, 88 in float32).
Z = np.concatenate([np.linspace(-12, 12, 49), [-1e4, -800, -745.2, -100, -30, 30, 100, 800,
                                                 1e4, 0.0, -0.0]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kernel, reference", [
    (sigmoid, torch.sigmoid), (log_sigmoid, F.logsigmoid),
])
def test_elementwise_kernels_match_torch_everywhere(kernel, reference, dtype):
    z = Z.astype(dtype)
    with np.errstate(all="raise", under="ignore"):  # no overflow, 0/0 or log 0 on the way
        ours = kernel(z)
    theirs = reference(torch.from_numpy(z)).numpy()
    assert ours.dtype == dtype and np.isfinite(ours).all()
    tiny = np.finfo(dtype).tiny
    np.testing.assert_allclose(ours, theirs, rtol=4 * np.finfo(dtype).eps, atol=tiny)


def test_log_sigmoid_keeps_its_digits_where_sigmoid_rounds_to_1():
    """log sigma(40) = -log(1 + e^-40) ~ -4.25e-18, which log(sigmoid(40)) rounds to 0."""
    np.testing.assert_allclose(log_sigmoid(np.array([40.0])), [-np.exp(-40.0)], rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_derivative_matches_torch_autograd(dtype):
    z = torch.tensor(Z.astype(dtype), requires_grad=True)
    torch.sigmoid(z).sum().backward()
    ours = sigmoid_derivative(Z.astype(dtype))
    assert ours.dtype == dtype
    np.testing.assert_allclose(ours, z.grad.numpy(), rtol=8 * np.finfo(dtype).eps,
                               atol=np.finfo(dtype).tiny)


@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 4)])
def test_softmax_matches_torch_with_huge_scores(shape):
    rng = np.random.default_rng(0)
    z = rng.normal(size=shape) * 5
    z.flat[0] += 1000
    with np.errstate(all="raise", under="ignore"):
        ours = softmax(z)
    np.testing.assert_allclose(ours, torch.softmax(torch.from_numpy(z), -1).numpy(),
                               rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(ours.sum(axis=-1), 1.0, rtol=1e-15)
    assert softmax(z.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_cross_entropy_matches_torch_loss_and_gradient(dtype):
    rng = np.random.default_rng(1)
    Z_ = (rng.normal(size=(6, 4)) * 3).astype(dtype)
    Z_[2, 1] += 1000  # a confident row: its other probabilities underflow to 0
    labels = rng.integers(0, 4, 6)
    Y = np.eye(4, dtype=dtype)[labels]
    with np.errstate(all="raise", under="ignore"):
        loss, dZ = softmax_cross_entropy(Z_, Y)
    z = torch.tensor(Z_, requires_grad=True)
    reference = F.cross_entropy(z, torch.from_numpy(labels))
    reference.backward()
    assert dZ.dtype == dtype and np.asarray(loss).dtype == dtype
    rtol = 10 * np.finfo(dtype).eps
    np.testing.assert_allclose(loss, reference.item(), rtol=rtol)
    assert_close_to_scale(dZ, z.grad.numpy(), rtol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_forward_and_backward_match_torch(dtype):
    rng = np.random.default_rng(2)
    A, W, b = (rng.normal(size=s).astype(dtype) for s in [(5, 3), (4, 3), (4,)])
    delta = rng.normal(size=(5, 4)).astype(dtype)
    tensors = [torch.tensor(x, requires_grad=True) for x in (A, W, b)]
    Z_ = F.linear(*tensors)
    (Z_ * torch.from_numpy(delta)).sum().backward()
    rtol = 10 * np.finfo(dtype).eps
    assert_close_to_scale(dense_forward(A, W, b), Z_.detach().numpy(), rtol)
    for ours, t in zip(dense_backward(delta, A, W), tensors, strict=True):
        assert ours.dtype == dtype and ours.shape == t.shape
        assert_close_to_scale(ours, t.grad.numpy(), rtol)


def test_the_binary_cross_entropy_stays_finite_and_right_at_huge_logits():
    """The network's BCE is built from log_sigmoid: logits of ±1000 give the exact losses
    (0 for a right answer, |z| for a wrong one), where log(sigmoid(z)) gives inf."""
    net = FeedForwardNetwork.from_parameters([np.array([[1.0]])], [np.array([0.0])],
                                             loss="binary_cross_entropy")
    X, y = np.array([[1000.0], [-1000.0], [1000.0]]), np.array([1.0, 0.0, 0.0])
    assert net.loss_value(X, y) == pytest.approx(1000.0 / 3, rel=1e-15)
