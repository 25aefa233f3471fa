r"""The functions behind the layers and losses (PyTorch's ``torch.nn.functional``).

Each works on plain arrays and on :class:`~fromscratch.autodiff.Tensor` objects, because it is
written with :mod:`fromscratch.autodiff.numpy` functions. Three of them are *fused primitives*:
new entries of the autodiff table, added the documented way (a NumPy function plus its JVP and
VJP rules), because a network calls them at every layer and every batch:

* :data:`linear` — :math:`y = x W^\top + b` as one node instead of three (transpose, matmul,
  add); its VJP is the δ recurrence's :math:`\bar x = \bar y W`,
  :math:`\bar W = \bar y^\top x`, :math:`\bar b = \sum_i \bar y_i`.
* :data:`softmax_cross_entropy` — per-sample :math:`\ell_i = \log\sum_c e^{z_{ic}} - z_{i y_i}`
  evaluated with the log-sum-exp trick, with VJP :math:`\bar z_i = \bar\ell_i
  (\mathrm{softmax}(z_i) - e_{y_i})`.
* :data:`bce_with_logits` — :math:`\ell = \max(z, 0) - z y + \log(1 + e^{-|z|})`, the stable
  form of binary cross-entropy on a logit, with VJP :math:`\bar z = \bar\ell (\sigma(z) - y)`.

The rules are written with differentiable functions, so they can themselves be differentiated
(Hessians of a network work). Fusing changes speed only: ``tests/nn`` checks each fused
primitive against the same expression composed from elementary primitives, and against PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch._validation import check_choice, check_random_state, check_scalar
from fromscratch.autodiff import Primitive

__all__ = [
    "linear",
    "softmax_cross_entropy",
    "bce_with_logits",
    "relu",
    "leaky_relu",
    "sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "dropout",
    "mse_loss",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "REDUCTIONS",
]

REDUCTIONS = ("mean", "sum", "none")


# -- fused primitives -----------------------------------------------------------------------------


def _linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    out = x @ weight.T
    if bias is not None:
        out += bias  # in place on a fresh array: saves one temporary
    return out


def _flat(a: Any) -> Any:
    """Collapse leading (batch) dimensions: ``(..., k) -> (m, k)``."""
    return a if np.ndim(a) == 2 else anp.reshape(a, (-1, np.shape(a)[-1]))


linear = Primitive(
    "linear",
    _linear,
    jvp=(
        lambda t, ans, x, weight, bias=None: t @ anp.transpose(weight),
        lambda t, ans, x, weight, bias=None: x @ anp.transpose(t),
        lambda t, ans, x, weight, bias=None: t,
    ),
    vjp=(
        lambda g, ans, x, weight, bias=None: g @ weight,
        lambda g, ans, x, weight, bias=None: anp.transpose(_flat(g)) @ _flat(x),
        lambda g, ans, x, weight, bias=None: g,  # the engine sums it back to shape (out,)
    ),
    doc="linear(x, weight, bias=None) = x @ weight.T + bias, weight of shape (out, in).",
)


def _one_hot(labels: np.ndarray, n_classes: int, dtype: np.dtype) -> np.ndarray:
    Y = np.zeros((len(labels), n_classes), dtype=dtype)
    Y[np.arange(len(labels)), labels] = 1
    return Y


def _softmax_cross_entropy(z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    shift = z.max(axis=1, keepdims=True)  # log-sum-exp trick: exp never overflows
    log_norm = np.log(np.exp(z - shift).sum(axis=1)) + shift[:, 0]
    return log_norm - z[np.arange(len(z)), labels]


softmax_cross_entropy = Primitive(
    "softmax_cross_entropy",
    _softmax_cross_entropy,
    jvp=(
        lambda t, ans, z, labels: anp.sum(
            t * (anp.softmax(z, axis=1) - _one_hot(labels, np.shape(z)[1], anp.primal(z).dtype)),
            axis=1,
        ),
        None,
    ),
    vjp=(
        lambda g, ans, z, labels: anp.expand_dims(g, 1)
        * (anp.softmax(z, axis=1) - _one_hot(labels, np.shape(z)[1], anp.primal(z).dtype)),
        None,
    ),
    doc="Per-sample logsumexp(z_i) - z[i, labels_i] for logits z (n, C) and int labels (n,).",
)


def _bce_with_logits(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


bce_with_logits = Primitive(
    "bce_with_logits",
    _bce_with_logits,
    jvp=(
        lambda t, ans, z, y: t * (anp.sigmoid(z) - y),
        lambda t, ans, z, y: -t * z,
    ),
    vjp=(
        lambda g, ans, z, y: g * (anp.sigmoid(z) - y),
        lambda g, ans, z, y: -g * z,
    ),
    doc="Elementwise max(z, 0) - z*y + log(1 + exp(-|z|)): binary cross-entropy of a logit z.",
)


# -- activations ----------------------------------------------------------------------------------


def relu(x: Any) -> Any:
    r""":math:`\max(x, 0)` (derivative taken as 0 at 0, as in PyTorch)."""
    return anp.relu(x)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    r""":math:`x` for :math:`x > 0`, else :math:`\alpha x` (:math:`\alpha` = ``negative_slope``)."""
    return anp.where(anp.primal(x) > 0, x, x * negative_slope)


def sigmoid(x: Any) -> Any:
    r""":math:`1/(1 + e^{-x})`, evaluated without overflow."""
    return anp.sigmoid(x)


def tanh(x: Any) -> Any:
    return anp.tanh(x)


def softmax(x: Any, dim: int = -1) -> Any:
    r""":math:`e^{x_i} / \sum_j e^{x_j}` along ``dim``."""
    return anp.softmax(x, axis=dim)


def log_softmax(x: Any, dim: int = -1) -> Any:
    r""":math:`x_i - \log\sum_j e^{x_j}` along ``dim`` (log-sum-exp trick)."""
    return anp.log_softmax(x, axis=dim)


def dropout(x: Any, p: float = 0.5, training: bool = True, random_state: Any = None) -> Any:
    r"""Inverted dropout: zero each entry with probability :math:`p`, scale the rest by
    :math:`1/(1-p)`, so that :math:`\mathbb E[\mathrm{out}] = x` and evaluation needs no
    rescaling. Identity when ``training`` is False or :math:`p = 0`."""
    p = check_scalar(p, "p", min_val=0.0, max_val=1.0)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * np.zeros(np.shape(x), dtype=anp.primal(x).dtype)
    keep = check_random_state(random_state).random(np.shape(x)) >= p
    return x * (keep.astype(anp.primal(x).dtype) / (1.0 - p))


# -- losses ---------------------------------------------------------------------------------------


def _reduce(loss: Any, reduction: str) -> Any:
    check_choice(reduction, "reduction", REDUCTIONS)
    if reduction == "mean":
        return anp.mean(loss)
    if reduction == "sum":
        return anp.sum(loss)
    return loss


def _same_shape(input: Any, target: Any, loss: str) -> np.ndarray:  # noqa: A002
    target = np.asarray(anp.primal(target), dtype=anp.primal(input).dtype)
    if target.shape != np.shape(input):
        raise ValueError(
            f"{loss}: target has shape {target.shape} but input has shape {np.shape(input)}; "
            "they must be equal (reshape the target, e.g. y.reshape(-1, 1) for one output)."
        )
    return target


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:  # noqa: A002
    r"""Mean squared error :math:`\frac1N \sum_i (x_i - y_i)^2` over all :math:`N` entries."""
    target = _same_shape(input, target, "mse_loss")
    return _reduce(anp.square(input - target), reduction)


def binary_cross_entropy_with_logits(
    input: Any, target: Any, reduction: str = "mean"  # noqa: A002
) -> Any:
    r"""Binary cross-entropy of logits :math:`z` against targets :math:`y \in [0, 1]`:
    :math:`\ell = -y\log\sigma(z) - (1-y)\log(1-\sigma(z)) = \max(z,0) - zy + \log(1+e^{-|z|})`.
    """
    target = _same_shape(input, target, "binary_cross_entropy_with_logits")
    if target.size and (target.min() < 0 or target.max() > 1):
        raise ValueError(
            "binary_cross_entropy_with_logits: targets must lie in [0, 1]; got values from "
            f"{target.min()} to {target.max()}."
        )
    return _reduce(bce_with_logits(input, target), reduction)


def cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Any:  # noqa: A002
    r"""Softmax cross-entropy of logits :math:`z` of shape ``(n, C)`` against class indices:

    .. math:: \ell_i = -\log \mathrm{softmax}(z_i)_{y_i} = \log\sum_c e^{z_{ic}} - z_{i y_i}.
    """
    shape = np.shape(input)
    if len(shape) != 2:
        raise ValueError(
            f"cross_entropy: input must be logits of shape (n_samples, n_classes); got {shape}."
        )
    labels = np.asarray(anp.primal(target))
    if labels.ndim != 1 or labels.shape[0] != shape[0]:
        raise ValueError(
            f"cross_entropy: target must be {shape[0]} class indices (shape ({shape[0]},)); "
            f"got shape {labels.shape}."
        )
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind != "f" or not np.all(labels == np.round(labels)):
            raise TypeError(
                f"cross_entropy: target must hold integer class indices, got dtype "
                f"{labels.dtype}."
            )
        labels = labels.astype(np.intp)
    if labels.size and (labels.min() < 0 or labels.max() >= shape[1]):
        raise ValueError(
            f"cross_entropy: class indices must be in [0, {shape[1] - 1}] for {shape[1]} "
            f"classes; got values from {labels.min()} to {labels.max()}."
        )
    return _reduce(softmax_cross_entropy(input, labels), reduction)
