r"""Backpropagation written out by hand: a fully-connected network in plain NumPy.

This module does *not* use the autodiff engine. It computes the gradient of the loss with the
δ recurrence that every textbook derives, so that the tour can put the hand-derived gradient
next to the one reverse-mode autodiff finds (they agree to rounding error).

Notation, for one sample, with layers :math:`l = 1, \dots, L`:

.. math::

    a^0 = x, \qquad z^l = W^l a^{l-1} + b^l, \qquad a^l = \sigma(z^l) \;(l < L),
    \qquad \hat y = \mathrm{out}(z^L),

with :math:`W^l` of shape :math:`(n_l, n_{l-1})` (PyTorch's layout). The *error* of layer
:math:`l` is :math:`\delta^l = \partial \ell / \partial z^l`. The chain rule gives

.. math::

    \delta^L &= \frac{\partial \ell}{\partial z^L}, \\
    \delta^l &= (W^{l+1})^\top \delta^{l+1} \odot \sigma'(z^l), \\
    \frac{\partial \ell}{\partial W^l} &= \delta^l (a^{l-1})^\top, \qquad
    \frac{\partial \ell}{\partial b^l} = \delta^l .

For the three output/loss pairs below the output error has the same simple form,
:math:`\delta^L = \hat y - y` per sample (the "canonical link" of a generalized linear model);
averaging over :math:`n` samples divides it by :math:`n` (and mean squared error averaged over
:math:`n \cdot k` outputs gives :math:`2(\hat y - y)/(nk)`).

In code the samples are the *rows* of a batch ``X`` of shape ``(n, n_0)``, so every column vector
above becomes a row and the equations read ``Z = A_prev @ W.T + b``,
``delta = (delta_next @ W_next) * sigma_prime(Z)``, ``dW = delta.T @ A_prev``,
``db = delta.sum(axis=0)``: the sum over rows adds up the per-sample gradients.

Reverse-mode autodiff performs exactly these products (each one is the vector-Jacobian product
of a matmul, an addition or an elementwise function); the recurrence is backpropagation
specialised to a chain of layers.

The pieces are textbook kernels, each a short function with its derivation:
:func:`dense_forward` and :func:`dense_backward` (one layer, both ways), :func:`sigmoid`,
:func:`sigmoid_derivative` and :func:`log_sigmoid`, :func:`softmax` and
:func:`softmax_cross_entropy`. They are replaceable (:mod:`fromscratch._kernels`): the
exercises run the network with a learner's version of one of them in its place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fromscratch._kernels import replaceable
from fromscratch._validation import check_array, check_choice, check_random_state, check_scalar
from fromscratch.optim.training import divergence_error, learning_rate_hint

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "FeedForwardNetwork",
    "sigmoid",
    "sigmoid_derivative",
    "log_sigmoid",
    "softmax",
    "softmax_cross_entropy",
    "dense_forward",
    "dense_backward",
]

# -- the textbook kernels (replaceable: fromscratch._kernels) -------------------------------------


@replaceable
def sigmoid(z: np.ndarray) -> np.ndarray:
    r"""The logistic sigmoid :math:`\sigma(z) = \dfrac{1}{1 + e^{-z}}`, elementwise, for any z.

    .. math::

        \sigma(z) = \begin{cases}
            \dfrac{1}{1 + e^{-z}} & z \ge 0 \\[1ex]
            \dfrac{e^{z}}{1 + e^{z}} & z < 0
        \end{cases}

    Both branches are the same function (multiply the first by :math:`e^z/e^z`), and each
    raises :math:`e` only to a non-positive power, :math:`e^{-|z|} \in (0, 1]`. The one-line
    form overflows: :math:`e^{-z}` is infinite for :math:`z < -709` in float64 (:math:`-88` in
    float32).

    Parameters
    ----------
    z : ndarray
        Any shape; float32 stays float32.

    Returns
    -------
    ndarray
        :math:`\sigma(z)`, the shape of ``z``, in :math:`[0, 1]`.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


@replaceable
def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    r"""The derivative of the sigmoid, :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`.

    .. math::

        \sigma'(z) = \frac{d}{dz}\,(1 + e^{-z})^{-1} = \frac{e^{-z}}{(1 + e^{-z})^2}
                   = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}}
                   = \sigma(z)\,(1 - \sigma(z))

    The derivative is written with the function's own value, which a network has already
    computed in its forward pass. It peaks at :math:`\sigma'(0) = 1/4` and vanishes for large
    :math:`|z|` (the "vanishing gradient" of saturated units).

    Parameters
    ----------
    z : ndarray
        The pre-activation, any shape.

    Returns
    -------
    ndarray
        :math:`\sigma'(z)`, the shape of ``z``.
    """
    s = sigmoid(z)
    return s * (1 - s)


@replaceable
def log_sigmoid(z: np.ndarray) -> np.ndarray:
    r"""The logarithm of the sigmoid, :math:`\log\sigma(z) = -\log(1 + e^{-z})`, without
    overflow or :math:`\log 0`.

    .. math::

        \log\sigma(z) = \min(z, 0) - \log\bigl(1 + e^{-|z|}\bigr)

    (for :math:`z \ge 0` it is :math:`-\log(1 + e^{-z})`; for :math:`z < 0`, multiply inside
    by :math:`e^{z}`: :math:`-\log(e^{-z}(e^{z} + 1)) = z - \log(1 + e^{z})`). The log-likelihood
    of logistic regression is built from it: :math:`\log p = \log\sigma(z)` and
    :math:`\log(1 - p) = \log\sigma(-z)`. Computing :math:`\log(\sigma(z))` instead gives
    :math:`\log 0 = -\infty` once :math:`\sigma(z)` underflows (:math:`z < -745` in float64),
    and :math:`\log(1 + e^{-z})` overflows for :math:`z < -709`; ``log1p`` keeps the digits
    of :math:`\log(1 + x)` for small :math:`x`.

    Parameters
    ----------
    z : ndarray
        Any shape.

    Returns
    -------
    ndarray
        :math:`\log\sigma(z) \le 0`, the shape of ``z``.
    """
    return np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))


@replaceable
def softmax(z: np.ndarray) -> np.ndarray:
    r"""The softmax of each row (the last axis): probabilities proportional to :math:`e^{z_c}`.

    .. math::

        \mathrm{softmax}(z)_c = \frac{e^{z_c}}{\sum_k e^{z_k}}
                              = \frac{e^{z_c - M}}{\sum_k e^{z_k - M}},
        \qquad M = \max_k z_k

    Subtracting the maximum changes nothing mathematically (it multiplies numerator and
    denominator by :math:`e^{-M}`) and keeps every exponent :math:`\le 0`, so :math:`e^{z}`
    cannot overflow, and the largest term is exactly 1, so the sum cannot be 0.

    Parameters
    ----------
    z : ndarray of shape (..., k)
        Scores (logits); each row along the last axis is one distribution.

    Returns
    -------
    ndarray
        The shape of ``z``; each row is positive and sums to 1.
    """
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@replaceable
def softmax_cross_entropy(Z: np.ndarray, Y: np.ndarray) -> tuple[np.floating, np.ndarray]:
    r"""The mean cross-entropy of softmax probabilities, and its gradient with respect to the
    logits.

    .. math::

        \ell &= -\frac1n \sum_{i=1}^{n} \sum_{c} Y_{ic} \log P_{ic}, \qquad
            P_i = \mathrm{softmax}(Z_i) \\
        \frac{\partial \ell}{\partial Z} &= \frac1n\,(P - Y)

    The gradient comes from the *full* Jacobian of the softmax,
    :math:`\partial P_c / \partial Z_j = P_c(\mathbb 1[c = j] - P_j)`: for one row with
    :math:`\sum_c Y_c = 1`,
    :math:`\partial\ell/\partial Z_j = -\sum_c (Y_c/P_c)\,P_c(\mathbb 1[c=j] - P_j)
    = -Y_j + P_j`. Keeping only the Jacobian's diagonal :math:`P_c(1 - P_c)` gives
    :math:`-Y_j(1 - P_j)`, a classic mistake. :math:`\log P` is computed as
    :math:`Z - M - \log\sum_k e^{Z_k - M}` (the log-sum-exp trick), never as
    :math:`\log` of a probability that may have underflowed to 0.

    Parameters
    ----------
    Z : ndarray of shape (n, k)
        Logits: one row per sample, one column per class.
    Y : ndarray of shape (n, k)
        Targets: one-hot rows (or any rows of probabilities).

    Returns
    -------
    loss : float
        :math:`\ell`, as a NumPy scalar of ``Z``'s dtype.
    dZ : ndarray of shape (n, k)
        :math:`\partial\ell/\partial Z`.
    """
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(Y * log_P) / n
    dZ = (np.exp(log_P) - Y) / n
    return loss, dZ


@replaceable
def dense_forward(A_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    r"""A dense (fully-connected) layer's pre-activation for a batch: :math:`Z = A W^\top + b`.

    One sample (a column vector) gives :math:`z = W a + b` with :math:`W` of shape
    :math:`(n_{out}, n_{in})`, PyTorch's layout. A batch stacks the samples as *rows* of
    :math:`A`, and transposing :math:`z^\top = a^\top W^\top + b^\top` row by row gives

    .. math::

        Z = A\, W^\top + b, \qquad Z_{ij} = \sum_k A_{ik} W_{jk} + b_j,

    the bias added to every row (broadcasting).

    Parameters
    ----------
    A_prev : ndarray of shape (n, n_in)
        The layer's inputs, one row per sample.
    W : ndarray of shape (n_out, n_in)
        The weights.
    b : ndarray of shape (n_out,)
        The biases.

    Returns
    -------
    Z : ndarray of shape (n, n_out)
    """
    return A_prev @ W.T + b


@replaceable
def dense_backward(
    delta: np.ndarray, A_prev: np.ndarray, W: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""A dense layer's backward pass: from :math:`\delta = \partial\ell/\partial Z` to the
    gradients of its input, weights and biases.

    With :math:`Z = A W^\top + b` (:func:`dense_forward`) and
    :math:`Z_{ij} = \sum_k A_{ik} W_{jk} + b_j`, the chain rule gives

    .. math::

        \frac{\partial \ell}{\partial A} = \delta\, W, \qquad
        \frac{\partial \ell}{\partial W} = \delta^\top A, \qquad
        \frac{\partial \ell}{\partial b} = \sum_{i=1}^{n} \delta_{i\cdot}

    Each gradient has the shape of what it differentiates: :math:`\delta^\top A` is
    :math:`(n_{out}, n_{in})` like :math:`W` (:math:`A^\top\delta` would be its transpose),
    and the bias, added to every row, collects the errors of every row. The loss's own
    :math:`1/n` is already in :math:`\delta`, so nothing here divides by :math:`n`. In a
    network, the previous layer's error is then :math:`\partial\ell/\partial A \odot
    \sigma'(Z_{prev})`.

    Parameters
    ----------
    delta : ndarray of shape (n, n_out)
        :math:`\partial\ell/\partial Z`, the error at the layer's output.
    A_prev : ndarray of shape (n, n_in)
        The layer's inputs in the forward pass.
    W : ndarray of shape (n_out, n_in)
        The weights.

    Returns
    -------
    dA_prev : ndarray of shape (n, n_in)
    dW : ndarray of shape (n_out, n_in)
    db : ndarray of shape (n_out,)
    """
    return delta @ W, delta.T @ A_prev, delta.sum(axis=0)


def _d_tanh(z: np.ndarray) -> np.ndarray:
    return 1.0 - np.tanh(z) ** 2


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def _d_relu(z: np.ndarray) -> np.ndarray:
    # σ'(0) = 0, the subgradient PyTorch uses too.
    return (z > 0).astype(z.dtype)


_Elementwise = Callable[[np.ndarray], np.ndarray]

#: name -> (σ, σ'), both functions of the pre-activation z.
ACTIVATIONS: dict[str, tuple[_Elementwise, _Elementwise]] = {
    "identity": (lambda z: z, np.ones_like),
    "logistic": (sigmoid, sigmoid_derivative),
    "tanh": (np.tanh, _d_tanh),
    "relu": (_relu, _d_relu),
}


def _mse(z: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    r""":math:`\ell = \frac{1}{nk}\sum (z - y)^2`, :math:`\delta^L = 2(z - y)/(nk)`."""
    residual = z - Y
    return float(np.mean(residual**2)), z, 2.0 * residual / residual.size


def _bce(z: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Binary cross-entropy on logits,
    :math:`\ell = -\frac1n \sum \bigl[y \log\sigma(z) + (1-y) \log\sigma(-z)\bigr]`
    (:math:`-y \log \hat y - (1-y) \log(1-\hat y)` with :math:`\hat y = \sigma(z)` and
    :math:`1 - \sigma(z) = \sigma(-z)`, through the stable :func:`log_sigmoid`),
    :math:`\delta^L = (\hat y - y)/n`."""
    loss = -(Y * log_sigmoid(z) + (1 - Y) * log_sigmoid(-z))
    y_hat = sigmoid(z)
    return float(np.mean(loss)), y_hat, (y_hat - Y) / Y.size


def _cross_entropy(z: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Softmax cross-entropy with one-hot targets :math:`Y`,
    :math:`\ell = -\frac1n \sum_i \sum_c Y_{ic} \log \mathrm{softmax}(z_i)_c`,
    :math:`\delta^L = (\mathrm{softmax}(z) - Y)/n`."""
    loss, delta = softmax_cross_entropy(z, Y)
    return float(loss), softmax(z), delta


#: loss name -> function (z^L, targets) -> (loss, network output ŷ, δ^L).
LOSSES = {
    "squared_error": _mse,
    "binary_cross_entropy": _bce,
    "cross_entropy": _cross_entropy,
}


class FeedForwardNetwork:
    r"""A fully-connected network whose gradient is computed by the δ recurrence, by hand.

    Parameters
    ----------
    layer_sizes : sequence of int
        :math:`(n_0, n_1, \dots, n_L)`: inputs, hidden units per layer, outputs.
    activation : {"relu", "tanh", "logistic", "identity"}, default="tanh"
        The hidden layers' activation :math:`\sigma`.
    loss : {"squared_error", "binary_cross_entropy", "cross_entropy"}, default="cross_entropy"
        The loss, each with its natural output: identity, sigmoid, softmax. Targets are real
        values ``(n, n_L)`` (or ``(n,)`` when :math:`n_L = 1`), 0/1 labels ``(n,)`` or
        ``(n, n_L)``, and class indices ``0..n_L-1`` of shape ``(n,)`` respectively.
    random_state : None, int or numpy.random.Generator
        Weights start like PyTorch's ``Linear``: :math:`\mathcal U(-1/\sqrt{n_{l-1}},
        1/\sqrt{n_{l-1}})`, biases too.

    Attributes
    ----------
    weights : list of ndarray, shapes ``(n_l, n_{l-1})``
    biases : list of ndarray, shapes ``(n_l,)``

    Examples
    --------
    >>> net = FeedForwardNetwork([2, 3, 2], random_state=0)
    >>> X, y = np.array([[0.5, -1.0]]), np.array([1])
    >>> loss, grad_W, grad_b = net.loss_and_gradients(X, y)
    >>> [g.shape for g in grad_W]
    [(3, 2), (2, 3)]
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = "tanh",
        loss: str = "cross_entropy",
        *,
        random_state: Any = None,
    ) -> None:
        sizes = [
            check_scalar(n, f"layer_sizes[{i}]", kind=int, min_val=1)
            for i, n in enumerate(layer_sizes)
        ]
        if len(sizes) < 2:
            raise ValueError(
                f"layer_sizes needs at least 2 entries (inputs and outputs), got {sizes}."
            )
        self.activation = check_choice(activation, "activation", tuple(ACTIVATIONS))
        self.loss = check_choice(loss, "loss", tuple(LOSSES))
        rng = check_random_state(random_state)
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            bound = 1.0 / np.sqrt(n_in)
            self.weights.append(rng.uniform(-bound, bound, size=(n_out, n_in)))
            self.biases.append(rng.uniform(-bound, bound, size=n_out))

    @classmethod
    def from_parameters(
        cls,
        weights: Sequence[Any],
        biases: Sequence[Any],
        activation: str = "tanh",
        loss: str = "cross_entropy",
    ) -> FeedForwardNetwork:
        """A network with the given weights ``(n_l, n_{l-1})`` and biases ``(n_l,)`` (copied)."""
        weights = [check_array(W, name=f"weights[{i}]") for i, W in enumerate(weights)]
        biases = [
            check_array(b, name=f"biases[{i}]", ensure_2d=False) for i, b in enumerate(biases)
        ]
        if len(weights) != len(biases) or not weights:
            raise ValueError(
                f"weights and biases must be non-empty lists of the same length; got "
                f"{len(weights)} and {len(biases)}."
            )
        sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
        net = cls(sizes, activation, loss)
        for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
            if W.shape != net.weights[i].shape or b.shape != net.biases[i].shape:
                raise ValueError(
                    f"layer {i}: weight of shape {W.shape} and bias of shape {b.shape} do not "
                    f"chain; expected {net.weights[i].shape} and {net.biases[i].shape}."
                )
        net.weights = [W.copy() for W in weights]
        net.biases = [b.copy() for b in biases]
        return net

    @property
    def layer_sizes(self) -> list[int]:
        return [self.weights[0].shape[1]] + [W.shape[0] for W in self.weights]

    # -- forward ------------------------------------------------------------------------------

    def _check_X(self, X: Any) -> np.ndarray:
        X = check_array(X)
        if X.shape[1] != self.layer_sizes[0]:
            raise ValueError(
                f"X has {X.shape[1]} features, but the network's first layer expects "
                f"{self.layer_sizes[0]}."
            )
        return X

    def _forward(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        r"""All pre-activations :math:`z^1..z^L` and activations :math:`a^0..a^{L-1}`."""
        sigma = ACTIVATIONS[self.activation][0]
        activations, pre_activations = [X], []
        for layer, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = dense_forward(activations[-1], W, b)
            pre_activations.append(z)
            if layer < len(self.weights) - 1:
                activations.append(sigma(z))
        return pre_activations, activations

    def forward(self, X: Any) -> np.ndarray:
        r"""The network's output :math:`\hat y` (after the output function of the loss)."""
        z_out = self._forward(self._check_X(X))[0][-1]
        if self.loss == "binary_cross_entropy":
            return sigmoid(z_out)
        if self.loss == "cross_entropy":
            return softmax(z_out)
        return z_out

    # -- backward -----------------------------------------------------------------------------

    def _targets(self, y: Any, n_samples: int) -> np.ndarray:
        """Targets as an ``(n, n_L)`` array (one-hot for cross-entropy)."""
        n_out = self.layer_sizes[-1]
        y = np.asarray(y)
        if self.loss == "cross_entropy":
            labels = np.asarray(y).reshape(-1)
            if labels.shape[0] != n_samples or not np.issubdtype(labels.dtype, np.integer):
                raise ValueError(
                    f"y must hold {n_samples} integer class indices for the cross-entropy "
                    f"loss; got dtype {labels.dtype}, shape {np.shape(y)}."
                )
            if labels.min() < 0 or labels.max() >= n_out:
                raise ValueError(
                    f"class indices in y must be in [0, {n_out - 1}] for a network with "
                    f"{n_out} outputs; got values from {labels.min()} to {labels.max()}."
                )
            return np.eye(n_out)[labels]
        Y = check_array(y.reshape(n_samples, -1) if y.ndim <= 1 else y, name="y")
        if Y.shape != (n_samples, n_out):
            raise ValueError(
                f"y has shape {np.shape(y)}; the network's output has shape {(n_samples, n_out)}."
            )
        return Y

    def loss_and_gradients(
        self, X: Any, y: Any
    ) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        r"""The mean loss and its gradients :math:`\partial\ell/\partial W^l`,
        :math:`\partial\ell/\partial b^l` for every layer, by the δ recurrence.

        Returns
        -------
        loss : float
        grad_weights : list of ndarray, shapes of ``weights``
        grad_biases : list of ndarray, shapes of ``biases``
        """
        X = self._check_X(X)
        return self._backward(X, self._targets(y, len(X)))[:3]

    def errors(self, X: Any, y: Any) -> list[np.ndarray]:
        r"""The errors :math:`\delta^1, \dots, \delta^L` of every layer, one row per sample,
        shapes ``(n, n_l)``: what the backward pass sends from the output to the input (the
        mean loss's, so each row carries the factor :math:`1/n`)."""
        X = self._check_X(X)
        return self._backward(X, self._targets(y, len(X)))[3]

    def _backward(
        self, X: np.ndarray, Y: np.ndarray
    ) -> tuple[float, list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """The loss, the gradients and the errors δ^l, on checked inputs and ``(n, n_L)``
        targets."""
        sigma_prime = ACTIVATIONS[self.activation][1]
        pre_activations, activations = self._forward(X)
        loss, _, delta = LOSSES[self.loss](pre_activations[-1], Y)  # δ^L = ∂ℓ/∂z^L

        n_layers = len(self.weights)
        grad_weights: list[np.ndarray] = [np.empty(0)] * n_layers
        grad_biases: list[np.ndarray] = [np.empty(0)] * n_layers
        deltas: list[np.ndarray] = [np.empty(0)] * n_layers
        for layer in reversed(range(n_layers)):
            deltas[layer] = delta
            # δ^l (a^{l-1})ᵀ and δ^l, summed over the batch; (W^l)ᵀ δ^l for the layer below
            d_activation, grad_weights[layer], grad_biases[layer] = dense_backward(
                delta, activations[layer], self.weights[layer]
            )
            if layer > 0:  # δ^{l-1} = (W^l)ᵀ δ^l ⊙ σ'(z^{l-1})
                delta = d_activation * sigma_prime(pre_activations[layer - 1])
        return loss, grad_weights, grad_biases, deltas

    def gradient_descent(
        self,
        X: Any,
        y: Any,
        *,
        learning_rate: float,
        epochs: int,
        callback: Callable[[int, FeedForwardNetwork], Any] | None = None,
    ) -> list[float]:
        r"""Train in place by full-batch gradient descent on the δ-recurrence gradients.

        Each epoch is one step on the whole of ``(X, y)``, with :math:`\eta` = ``learning_rate``:

        .. math::

            W^l \leftarrow W^l - \eta \, \frac{\partial \ell}{\partial W^l}, \qquad
            b^l \leftarrow b^l - \eta \, \frac{\partial \ell}{\partial b^l}
            \qquad (l = 1, \dots, L),

        the same update as ``optim.SGD(lr=learning_rate)`` with one batch of all samples.

        Parameters
        ----------
        X, y : array-like
            Inputs ``(n, n_0)`` and targets, as for :meth:`loss_and_gradients`.
        learning_rate : float > 0
        epochs : int >= 1
        callback : callable ``(epoch, network)``, optional
            Called after every step, ``epoch`` counted from 1 (e.g. to record a test score).

        Returns
        -------
        losses : list of float
            The mean loss at the start of each epoch, before its step.

        Raises
        ------
        DivergenceError
            When the loss becomes NaN or infinite (the step is too large).
        """
        X = self._check_X(X)
        Y = self._targets(y, len(X))
        learning_rate = check_scalar(learning_rate, "learning_rate", min_val=0.0,
                                     include_min=False)
        epochs = check_scalar(epochs, "epochs", kind=int, min_val=1)
        losses = []
        for epoch in range(1, epochs + 1):
            with np.errstate(over="ignore", invalid="ignore"):  # reported just below
                loss, grad_weights, grad_biases, _ = self._backward(X, Y)
            if not np.isfinite(loss):
                raise divergence_error(f"epoch {epoch}: the loss became {loss}",
                                       learning_rate_hint(learning_rate, "learning_rate"))
            losses.append(loss)
            for parameter, gradient in zip(self.weights + self.biases,
                                           grad_weights + grad_biases, strict=True):
                parameter -= learning_rate * gradient
            if callback is not None:
                callback(epoch, self)
        return losses

    def loss_value(self, X: Any, y: Any) -> float:
        """The mean loss alone (used by finite-difference checks)."""
        X = self._check_X(X)
        return LOSSES[self.loss](self._forward(X)[0][-1], self._targets(y, len(X)))[0]

    def __repr__(self) -> str:
        return (
            f"FeedForwardNetwork(layer_sizes={self.layer_sizes}, activation={self.activation!r}, "
            f"loss={self.loss!r})"
        )
