"""FeedForwardNetwork.errors (the δ of every layer) and gradient_descent (full-batch training on
the δ-recurrence gradients) against PyTorch's autograd and torch.optim.SGD."""

import numpy as np
import pytest

from fromscratch.exceptions import DivergenceError
from fromscratch.nn.backprop import FeedForwardNetwork

torch = pytest.importorskip("torch")

SIGMA = {"relu": torch.relu, "tanh": torch.tanh, "logistic": torch.sigmoid,
         "identity": lambda z: z}


def _data(loss, n=9, n_in=4, n_out=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    if loss == "cross_entropy":
        return X, rng.integers(0, n_out, size=n)
    if loss == "binary_cross_entropy":
        return X, rng.integers(0, 2, size=(n, n_out)).astype(float)
    return X, rng.normal(size=(n, n_out))


def _torch_loss(loss, output, y):
    if loss == "cross_entropy":
        return torch.nn.functional.cross_entropy(output, torch.tensor(y))
    if loss == "binary_cross_entropy":
        return torch.nn.functional.binary_cross_entropy_with_logits(output, torch.tensor(y))
    return torch.nn.functional.mse_loss(output, torch.tensor(y))


def _torch_forward(params, n_layers, activation, X):
    """The pre-activations z^1..z^L, each kept for its gradient."""
    a, pre_activations = torch.tensor(X), []
    for layer in range(n_layers):
        z = torch.nn.functional.linear(a, params[layer], params[n_layers + layer])
        z.retain_grad()
        pre_activations.append(z)
        a = SIGMA[activation](z)
    return pre_activations


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic"])
@pytest.mark.parametrize("loss", ["squared_error", "binary_cross_entropy", "cross_entropy"])
def test_errors_are_the_gradients_of_the_pre_activations(activation, loss):
    net = FeedForwardNetwork([4, 5, 6, 3], activation, loss, random_state=1)
    X, y = _data(loss)
    params = [torch.tensor(p, requires_grad=True) for p in net.weights + net.biases]
    pre_activations = _torch_forward(params, len(net.weights), activation, X)
    _torch_loss(loss, pre_activations[-1], y).backward()
    deltas = net.errors(X, y)
    assert [d.shape for d in deltas] == [(9, 5), (9, 6), (9, 3)]
    for ours, z in zip(deltas, pre_activations, strict=True):
        np.testing.assert_allclose(ours, z.grad.numpy(), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("activation, loss, learning_rate", [
    ("tanh", "cross_entropy", 0.5), ("logistic", "binary_cross_entropy", 2.0),
    ("relu", "squared_error", 0.05)])
def test_gradient_descent_is_full_batch_sgd(activation, loss, learning_rate):
    net = FeedForwardNetwork([4, 5, 6, 3], activation, loss, random_state=2)
    X, y = _data(loss, n=20, seed=4)
    params = [torch.tensor(p, requires_grad=True) for p in net.weights + net.biases]
    optimizer = torch.optim.SGD(params, lr=learning_rate)
    reference = []
    for _ in range(30):
        optimizer.zero_grad()
        value = _torch_loss(loss, _torch_forward(params, 3, activation, X)[-1], y)
        value.backward()
        optimizer.step()
        reference.append(value.item())
    epochs = []
    losses = net.gradient_descent(X, y, learning_rate=learning_rate, epochs=30,
                                  callback=lambda epoch, network: epochs.append(epoch))
    assert epochs == list(range(1, 31))
    np.testing.assert_allclose(losses, reference, rtol=1e-10)
    for ours, theirs in zip(net.weights + net.biases, params, strict=True):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-9, atol=1e-13)
    assert losses[-1] < losses[0]


def test_gradient_descent_reports_divergence_and_bad_arguments():
    net = FeedForwardNetwork([2, 4, 1], "identity", "squared_error", random_state=0)
    X = np.random.default_rng(0).normal(size=(10, 2)) * 100
    y = X.sum(axis=1)
    with pytest.raises(DivergenceError, match="learning_rate"):
        net.gradient_descent(X, y, learning_rate=10.0, epochs=500)
    with pytest.raises(ValueError, match="learning_rate"):
        net.gradient_descent(X, y, learning_rate=0.0, epochs=5)
    with pytest.raises(TypeError, match="epochs"):
        net.gradient_descent(X, y, learning_rate=0.1, epochs=2.5)
    with pytest.raises(ValueError, match="expects 2"):
        net.gradient_descent(np.ones((3, 5)), np.ones(3), learning_rate=0.1, epochs=1)
