r"""Chapter I, neural networks: a dense layer forward and backward, the softmax, and the
softmax cross-entropy with its gradient.

The references are the kernels of :mod:`fromscratch.nn.backprop`; grading compares with them
on random batches (and square weight matrices now and then, where a transposed weight gives
the right shape and the wrong numbers), checks the gradients against central differences, and
runs a :class:`~fromscratch.nn.FeedForwardNetwork` with the learner's function in place of
the library's: its output, loss and every gradient must stay the same.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fromscratch.exercises._checks import FD_TOLERANCE, in_network, numerical_gradient
from fromscratch.exercises._compare import difference
from fromscratch.exercises._core import Case, Check, CheckResult, Exercise, mistake
from fromscratch.exercises._sampling import draw_dtype, draw_shape, log_uniform, normal
from fromscratch.exercises._sandbox import Guarded
from fromscratch.nn.backprop import (
    FeedForwardNetwork,
    dense_backward,
    dense_forward,
    softmax,
    softmax_cross_entropy,
)

__all__ = ["EXERCISES"]


def _sizes(rng: np.random.Generator) -> tuple[int, int, int]:
    """``(n, n_in, n_out)``; a third of the time n_in == n_out (a square weight matrix)."""
    n, n_in, n_out = (int(k) for k in rng.integers(1, 6, size=3))
    return n, n_in, n_in if rng.random() < 1 / 3 else n_out


def _layer_inputs(rng: np.random.Generator) -> Case:
    (n, n_in, n_out), dtype = _sizes(rng), draw_dtype(rng)
    return Case((normal(rng, (n, n_in), dtype), normal(rng, (n_out, n_in), dtype),
                 normal(rng, (n_out,), dtype)))


def _layer_errors(rng: np.random.Generator) -> Case:
    (n, n_in, n_out), dtype = _sizes(rng), draw_dtype(rng)
    return Case((normal(rng, (n, n_out), dtype), normal(rng, (n, n_in), dtype),
                 normal(rng, (n_out, n_in), dtype)))


def _logits(rng: np.random.Generator, shape: tuple, dtype: np.dtype) -> np.ndarray:
    """Scores of any size; now and then one is raised by 1000, where e^z overflows and the
    other probabilities of its row underflow to 0."""
    z = normal(rng, shape, dtype, log_uniform(rng, 0.1, 20.0))
    if rng.random() < 0.3:
        z.flat[rng.integers(z.size)] += 1000
    return z


def _scores(rng: np.random.Generator) -> Case:
    shape, dtype = (*draw_shape(rng, max_ndim=2), int(rng.integers(1, 6))), draw_dtype(rng)
    return Case((_logits(rng, shape, dtype),))


def _labelled_scores(rng: np.random.Generator) -> Case:
    n, k, dtype = int(rng.integers(1, 7)), int(rng.integers(2, 6)), draw_dtype(rng)
    Y = np.eye(k, dtype=dtype)[rng.integers(0, k, n)]
    return Case((_logits(rng, (n, k), dtype), Y))


def _network(weight_scale: float = 1.0) -> Callable[[], FeedForwardNetwork]:
    def make() -> FeedForwardNetwork:
        net = FeedForwardNetwork([4, 6, 5, 3], "tanh", "cross_entropy", random_state=0)
        net.weights[-1] = net.weights[-1] * weight_scale
        return net

    return make


def _batch() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(10, 4)), rng.integers(0, 3, 10)


def _softmax_cross_entropy_by_differences() -> Check:
    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        n, k = 5, 4
        Z, Y = rng.normal(size=(n, k)) * 2, np.eye(k)[rng.integers(0, k, n)]
        target = numerical_gradient(lambda Z_: float(softmax_cross_entropy(Z_, Y)[0]), Z)
        result = learner(Z, Y)
        problem = difference(("dZ",), result[1] if isinstance(result, tuple) else result,
                             target, tol=FD_TOLERANCE)
        return CheckResult(problem and (f"compared with central differences of the library's "
                                        f"loss: {problem[0]}", problem[1]))

    return Check("finite differences of the library's loss", run)


def _dense_backward_by_differences() -> Check:
    r"""Through :math:`L = \sum_{ij} \delta_{ij} Z_{ij}` (so that :math:`\partial L/\partial Z
    = \delta`): its gradients by central differences of the library's dense_forward."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        n, n_in, n_out = 4, 3, 2
        delta, A, W = rng.normal(size=(n, n_out)), rng.normal(size=(n, n_in)), \
            rng.normal(size=(n_out, n_in))
        b = rng.normal(size=n_out)
        target = (numerical_gradient(lambda A_: np.sum(delta * dense_forward(A_, W, b)), A),
                  numerical_gradient(lambda W_: np.sum(delta * dense_forward(A, W_, b)), W),
                  numerical_gradient(lambda b_: np.sum(delta * dense_forward(A, W, b_)), b))
        problem = difference(("dA_prev", "dW", "db"), learner(delta, A, W), target,
                             tol=FD_TOLERANCE)
        return CheckResult(problem and (f"compared with central differences of "
                                        f"sum(delta * dense_forward(A_prev, W, b)): "
                                        f"{problem[0]}", problem[1]))

    return Check("finite differences through the library's dense_forward", run)


@mistake("transposed_weight")
def _forward_transposed(A_prev, W, b):
    """The weight is used transposed: with W of shape (n_out, n_in), Z = A Wᵀ + b."""
    return A_prev @ W + b


@mistake("no_bias")
def _forward_no_bias(A_prev, W, b):
    """The bias is missing: Z = A Wᵀ + b."""
    return A_prev @ W.T


@mistake("transposed_weight_gradient")
def _backward_transposed_dW(delta, A_prev, W):
    """dW is transposed: Aᵀδ has shape (n_in, n_out); the gradient of W has W's shape, δᵀA."""
    return delta @ W, A_prev.T @ delta, delta.sum(axis=0)


@mistake("transposed_weight_in_input_gradient")
def _backward_transposed_W(delta, A_prev, W):
    """The input gradient uses the transposed weight: δWᵀ; with Z = A Wᵀ, ∂ℓ/∂A = δW."""
    return delta @ W.T, delta.T @ A_prev, delta.sum(axis=0)


@mistake("bias_averaged")
def _backward_bias_averaged(delta, A_prev, W):
    """The bias gradient divides by n again: δ already carries the loss's 1/n, so db is the plain
    sum of its rows."""
    return delta @ W, delta.T @ A_prev, delta.mean(axis=0)


@mistake("bias_per_sample")
def _backward_bias_per_sample(delta, A_prev, W):
    """The bias gradient is not summed over the batch: b is added to every row, so db = Σ_i δ_i, of
    shape (n_out,)."""
    return delta @ W, delta.T @ A_prev, delta


@mistake("overflow")
def _softmax_unshifted(z):
    """e^z overflows for z > 709 (88 in float32), giving inf/inf: subtract each row's maximum first,
    which changes nothing else."""
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@mistake("wrong_axis")
def _softmax_first_axis(z):
    """The normalisation runs down the first axis: each row (the last axis) must sum to 1."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _log_P(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@mistake("diagonal_jacobian")
def _ce_diagonal_jacobian(Z, Y):
    """The gradient uses only the diagonal of the softmax Jacobian, P_c(1 − P_c), giving
    −Y(1 − P)/n: every logit moves every probability, and the full Jacobian gives (P − Y)/n."""
    log_P = _log_P(Z)
    return -np.sum(Y * log_P) / len(Z), -Y * (1 - np.exp(log_P)) / len(Z)


@mistake("missing_1_over_n")
def _ce_gradient_summed(Z, Y):
    """The gradient misses the 1/n of the mean: (P − Y)/n."""
    log_P = _log_P(Z)
    return -np.sum(Y * log_P) / len(Z), np.exp(log_P) - Y


@mistake("loss_summed")
def _ce_loss_summed(Z, Y):
    """The loss is summed over the samples; the mean divides by n
    (and the gradient, (P − Y)/n, is the mean's)."""
    log_P = _log_P(Z)
    return -np.sum(Y * log_P), (np.exp(log_P) - Y) / len(Z)


@mistake("log_of_softmax")
def _ce_log_of_softmax(Z, Y):
    """log(softmax(Z)) is log 0 = −∞ where a probability underflows: compute log P as
    Z − M − log Σ e^{Z − M}."""
    P = softmax(Z)
    return -np.sum(Y * np.log(P)) / len(Z), (P - Y) / len(Z)


@mistake("sign_flip")
def _ce_sign(Z, Y):
    """The gradient's sign is flipped: (P − Y)/n, not (Y − P)/n."""
    log_P = _log_P(Z)
    return -np.sum(Y * log_P) / len(Z), (Y - np.exp(log_P)) / len(Z)


#: This module's exercises, in the registry of :mod:`fromscratch.exercises`.
EXERCISES = [
    Exercise(
        reference=dense_forward, chapter="I3", title="A dense layer's forward pass",
        outputs=("Z",), sample=_layer_inputs,
        hints=(
            "W has one row per output unit, so one sample's output is W @ a + b.",
            "With the samples as rows of A_prev, that is A_prev @ W.T + b; the bias "
            "broadcasts over the rows.",
        ),
        mistakes=(_forward_transposed, _forward_no_bias),
        checks=(in_network(dense_forward, _network(), _batch,
                           "a 4-6-5-3 FeedForwardNetwork"),),
    ),
    Exercise(
        reference=dense_backward, chapter="I4", title="A dense layer's backward pass",
        outputs=("dA_prev", "dW", "db"), sample=_layer_errors,
        hints=(
            "Each gradient has the shape of what it differentiates: dW like W "
            "(n_out, n_in), dA_prev like A_prev, db like b.",
            "Z_ij = sum_k A_ik W_jk + b_j: dW = delta.T @ A_prev, dA_prev = delta @ W.",
            "The bias is added to every row, so its gradient adds up the rows of delta; "
            "delta already carries the loss's 1/n.",
        ),
        mistakes=(_backward_transposed_dW, _backward_transposed_W, _backward_bias_averaged,
                  _backward_bias_per_sample),
        checks=(_dense_backward_by_differences(),
                in_network(dense_backward, _network(), _batch,
                           "the gradients of a 4-6-5-3 FeedForwardNetwork")),
        requires=("dense_forward",),
    ),
    Exercise(
        reference=softmax, chapter="I8", title="The softmax, stable for any scores",
        outputs=("P",), sample=_scores,
        hints=(
            "Exponentiate and divide by the sum along the last axis "
            "(axis=-1, keepdims=True).",
            "e^z overflows for z > 709: subtract each row's maximum first; the result does "
            "not change.",
        ),
        mistakes=(_softmax_unshifted, _softmax_first_axis),
        checks=(in_network(softmax, _network(300.0), _batch,
                           "the output of a FeedForwardNetwork with logits in the hundreds"),),
    ),
    Exercise(
        reference=softmax_cross_entropy, chapter="I8",
        title="Softmax cross-entropy and its gradient", outputs=("loss", "dZ"),
        sample=_labelled_scores,
        hints=(
            "log P = Z - M - log(sum(exp(Z - M))) per row, with M the row's maximum "
            "(log-sum-exp): never the log of a probability that may be 0.",
            "The loss is the mean over the n rows of -sum_c Y_ic log P_ic.",
            "Through the full softmax Jacobian the gradient simplifies to (P - Y) / n.",
        ),
        mistakes=(_ce_diagonal_jacobian, _ce_gradient_summed, _ce_loss_summed, _ce_log_of_softmax,
                  _ce_sign),
        checks=(_softmax_cross_entropy_by_differences(),
                in_network(softmax_cross_entropy, _network(300.0), _batch,
                           "the loss and gradients of a FeedForwardNetwork with logits in "
                           "the hundreds")),
        requires=("softmax",),
    ),
]
