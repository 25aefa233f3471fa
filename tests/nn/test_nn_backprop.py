"""The hand-written δ recurrence against finite differences and PyTorch's autograd."""

import numpy as np
import pytest

from fromscratch.nn.backprop import FeedForwardNetwork


def _data(loss, n=7, n_in=4, n_out=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    if loss == "cross_entropy":
        y = rng.integers(0, n_out, size=n)
    elif loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=(n, n_out)).astype(float)
    else:
        y = rng.normal(size=(n, n_out))
    return X, y


def _finite_differences(net, X, y, eps=1e-6):
    """Central differences of the loss with respect to every weight and bias."""
    grads = []
    for param in net.weights + net.biases:
        grad = np.zeros_like(param)
        for index in np.ndindex(param.shape):
            saved = param[index]
            param[index] = saved + eps
            up = net.loss_value(X, y)
            param[index] = saved - eps
            down = net.loss_value(X, y)
            param[index] = saved
            grad[index] = (up - down) / (2 * eps)
        grads.append(grad)
    return grads


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("loss", ["squared_error", "binary_cross_entropy", "cross_entropy"])
def test_gradients_match_finite_differences(activation, loss):
    net = FeedForwardNetwork([4, 5, 6, 3], activation, loss, random_state=1)
    X, y = _data(loss)
    _, grad_W, grad_b = net.loss_and_gradients(X, y)
    numeric = _finite_differences(net, X, y)
    # Central differences have O(eps^2) truncation and O(1e-16/eps) rounding error: ~1e-9.
    for ours, reference in zip(grad_W + grad_b, numeric, strict=True):
        np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("loss", ["squared_error", "binary_cross_entropy", "cross_entropy"])
def test_loss_and_gradients_match_pytorch(activation, loss):
    torch = pytest.importorskip("torch")
    net = FeedForwardNetwork([4, 5, 6, 3], activation, loss, random_state=2)
    X, y = _data(loss, seed=3)
    loss_value, grad_W, grad_b = net.loss_and_gradients(X, y)

    params = [torch.tensor(p, requires_grad=True) for p in net.weights + net.biases]
    n_layers = len(net.weights)
    sigma = {"relu": torch.relu, "tanh": torch.tanh, "logistic": torch.sigmoid,
             "identity": lambda z: z}[activation]
    a = torch.tensor(X)
    for layer in range(n_layers):
        a = torch.nn.functional.linear(a, params[layer], params[n_layers + layer])
        if layer < n_layers - 1:
            a = sigma(a)
    if loss == "cross_entropy":
        reference = torch.nn.functional.cross_entropy(a, torch.tensor(y))
    elif loss == "binary_cross_entropy":
        reference = torch.nn.functional.binary_cross_entropy_with_logits(a, torch.tensor(y))
    else:
        reference = torch.nn.functional.mse_loss(a, torch.tensor(y))
    reference.backward()
    assert loss_value == pytest.approx(reference.item(), rel=1e-12)
    for ours, p in zip(grad_W + grad_b, params, strict=True):
        np.testing.assert_allclose(ours, p.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_forward_outputs_probabilities():
    net = FeedForwardNetwork([3, 4, 5], "relu", "cross_entropy", random_state=0)
    proba = net.forward(np.random.default_rng(0).normal(size=(6, 3)))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)


def test_from_parameters_round_trip():
    net = FeedForwardNetwork([3, 4, 2], "tanh", "squared_error", random_state=0)
    copy = FeedForwardNetwork.from_parameters(net.weights, net.biases, "tanh", "squared_error")
    X = np.ones((2, 3))
    np.testing.assert_array_equal(copy.forward(X), net.forward(X))
    assert copy.layer_sizes == [3, 4, 2]


def test_bad_input():
    with pytest.raises(ValueError, match="at least 2 entries"):
        FeedForwardNetwork([3])
    with pytest.raises(ValueError, match="layer_sizes\\[1\\]"):
        FeedForwardNetwork([3, 0, 2])
    with pytest.raises(ValueError, match="Did you mean 'relu'"):
        FeedForwardNetwork([3, 2], activation="rellu")
    net = FeedForwardNetwork([3, 2], loss="cross_entropy", random_state=0)
    with pytest.raises(ValueError, match="expects 3"):
        net.forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        net.loss_and_gradients(np.ones((2, 3)), np.array([0, 2]))
    with pytest.raises(ValueError, match="do not chain"):
        FeedForwardNetwork.from_parameters([np.ones((4, 3)), np.ones((2, 5))],
                                           [np.ones(4), np.ones(2)])
