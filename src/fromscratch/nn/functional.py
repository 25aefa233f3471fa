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
from fromscratch._validation import check_array, check_choice, check_random_state, check_scalar
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

#: The values of the losses' ``reduction`` argument, as in ``torch.nn.functional``.
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
    doc="Elementwise ``max(z, 0) - z*y + log(1 + exp(-|z|))``: binary cross-entropy of a logit z.",
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
    r""":math:`\tanh x = (e^x - e^{-x})/(e^x + e^{-x})`."""
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


def _same_shape(input: Any, target: Any, loss: str) -> Any:  # noqa: A002
    """``target``, checked to have ``input``'s shape: an array of the input's dtype, or the
    traced value itself (a Tensor, say another network's output), so that the loss's
    gradient reaches the target too, as in PyTorch."""
    if anp.primal(target) is target:
        target = np.asarray(target, dtype=anp.primal(input).dtype)
    if np.shape(target) != np.shape(input):
        raise ValueError(
            f"{loss}: target has shape {np.shape(target)} but input has shape "
            f"{np.shape(input)}; they must be equal (reshape the target, e.g. "
            "y.reshape(-1, 1) for one output)."
        )
    return target


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:  # noqa: A002
    r"""Mean squared error :math:`\frac1N \sum_i (x_i - y_i)^2` over all :math:`N` entries.

    ``target`` must have ``input``'s shape (PyTorch only warns, then broadcasts an ``(n,)``
    target against an ``(n, 1)`` input into an ``(n, n)`` table of wrong differences). A
    Tensor target is differentiated too: :math:`\partial\ell/\partial y_i = -2(x_i - y_i)/N`.
    """
    target = _same_shape(input, target, "mse_loss")
    return _reduce(anp.square(input - target), reduction)


def _check_loss_weight(weight: Any, name: str, dtype: np.dtype) -> np.ndarray | None:
    """``None``, or ``weight`` as a finite, non-negative array of ``dtype`` that is not all zero."""
    if weight is None:
        return None
    w = check_array(anp.primal(weight), name=name, ensure_2d=False, allow_nd=True)
    if (w < 0).any():
        raise ValueError(f"{name} must be non-negative; got the value {w.min()}.")
    if not (w > 0).any():
        raise ValueError(f"{name} is all zero; at least one entry must be positive.")
    return w.astype(dtype, copy=False)


def _check_broadcast_weight(
    weight: Any, name: str, shape: tuple[int, ...], dtype: np.dtype, loss: str
) -> np.ndarray | None:
    """A loss weight that broadcasts to the input's ``shape`` (e.g. one per class: ``(C,)``)."""
    w = _check_loss_weight(weight, name, dtype)
    if w is None:
        return None
    try:
        broadcasts = np.broadcast_shapes(w.shape, shape) == shape
    except ValueError:
        broadcasts = False
    if not broadcasts:
        raise ValueError(
            f"{loss}: {name} has shape {w.shape}, which does not broadcast to the input's "
            f"shape {shape}; give one value per output column (shape ({shape[-1]},)) or the "
            "input's shape."
        )
    return w


def binary_cross_entropy_with_logits(
    input: Any,  # noqa: A002
    target: Any,
    weight: Any = None,
    *,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Any:
    r"""Binary cross-entropy of logits :math:`z` against targets :math:`y \in [0, 1]`
    (``torch.nn.functional.binary_cross_entropy_with_logits``):

    .. math:: \ell = w \left[-p\, y \log\sigma(z) - (1-y)\log(1-\sigma(z))\right]
        = w \left[(1-y)\, z + (1 + (p - 1)\, y) \log(1 + e^{-z})\right],

    using :math:`-\log\sigma(z) = \log(1 + e^{-z})` and :math:`-\log(1 - \sigma(z)) = z +
    \log(1 + e^{-z})`; :math:`\log(1 + e^{-z})` is evaluated as
    :math:`\max(-z, 0) + \log(1 + e^{-|z|})`, finite for any logit. Without weights
    (:math:`w = p = 1`) this is :math:`\max(z,0) - zy + \log(1+e^{-|z|})`, one fused primitive.

    Parameters
    ----------
    input : array or Tensor
        Logits :math:`z`, any shape.
    target : array or Tensor
        Targets :math:`y \in [0, 1]`, the shape of ``input``; a Tensor target (soft labels
        from another network) gets the gradient :math:`\bar y = -\bar\ell\, w z` (with
        ``pos_weight``, :math:`\bar\ell\, w\,[(p - 1)\log(1 + e^{-z}) - z]`).
    weight : array, optional
        :math:`w \ge 0`, broadcast to ``input``'s shape: rescales each entry's loss.
    reduction : {"mean", "sum", "none"}
        ``"mean"`` is the plain mean of :math:`w \ell` over all entries (unlike
        :func:`cross_entropy`, it does not divide by the sum of the weights: PyTorch's rule).
    pos_weight : array, optional
        :math:`p \ge 0`, broadcast to ``input``'s shape (usually one per column, shape
        ``(C,)``): weighs the positive term, e.g. :math:`p = n_\text{neg}/n_\text{pos}` for a
        rare positive class (the gradient is :math:`\bar z = w[(1 + (p-1)y)\sigma(z) - py]`).
    """
    target = _same_shape(input, target, "binary_cross_entropy_with_logits")
    y = anp.primal(target)
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError(
            "binary_cross_entropy_with_logits: targets must lie in [0, 1]; got values from "
            f"{y.min()} to {y.max()}."
        )
    shape, dtype = y.shape, anp.primal(input).dtype
    w = _check_broadcast_weight(weight, "weight", shape, dtype,
                                "binary_cross_entropy_with_logits")
    p = _check_broadcast_weight(pos_weight, "pos_weight", shape, dtype,
                                "binary_cross_entropy_with_logits")
    if p is None:
        loss = bce_with_logits(input, target)
    else:
        loss = (1 - target) * input + (1 + (p - 1) * target) * anp.softplus(-input)
    return _reduce(loss if w is None else loss * w, reduction)


def _class_indices(target: Any, shape: tuple[int, int], ignore_index: int) -> np.ndarray:
    """``target`` as ``n`` integer class indices in ``[0, C)`` (or equal to ``ignore_index``)."""
    n, n_classes = shape
    labels = np.asarray(anp.primal(target))
    if labels.ndim != 1 or labels.shape[0] != n:
        raise ValueError(
            f"cross_entropy: target must be {n} class indices (shape ({n},)); "
            f"got shape {labels.shape}."
        )
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind != "f" or not np.all(labels == np.round(labels)):
            raise TypeError(
                f"cross_entropy: target must hold integer class indices, got dtype "
                f"{labels.dtype}."
            )
        labels = labels.astype(np.intp)
    counted = labels[labels != ignore_index]
    if counted.size and (counted.min() < 0 or counted.max() >= n_classes):
        raise ValueError(
            f"cross_entropy: class indices must be in [0, {n_classes - 1}] for {n_classes} "
            f"classes (or equal ignore_index={ignore_index}); got values from {counted.min()} "
            f"to {counted.max()}."
        )
    return labels


def cross_entropy(
    input: Any,  # noqa: A002
    target: Any,
    weight: Any = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Any:
    r"""Softmax cross-entropy of logits :math:`z` of shape ``(n, C)`` against class indices
    (``torch.nn.functional.cross_entropy``), with class weights and label smoothing.

    With :math:`\log p_{ic} = z_{ic} - \log\sum_k e^{z_{ik}}` (the log-sum-exp trick), class
    weights :math:`w_c` (all 1 by default) and smoothing :math:`\varepsilon`, sample
    :math:`i` of class :math:`y_i` costs

    .. math:: \ell_i = (1 - \varepsilon)\, w_{y_i} (-\log p_{i y_i})
        + \frac{\varepsilon}{C} \sum_{c=1}^{C} w_c (-\log p_{ic})
        = -\sum_c a_{ic} \log p_{ic},
        \qquad a_{ic} = (1 - \varepsilon)\, w_{y_i} [c = y_i] + \frac{\varepsilon}{C} w_c,

    the cross-entropy against the target distribution mixed with the uniform one, each term
    weighted by its class (PyTorch's formula: with weights the smoothing term weighs class
    :math:`c` by :math:`w_c`, not by :math:`w_{y_i}`). Samples whose target equals
    ``ignore_index`` cost 0 and do not count. The ``"mean"`` reduction is the *weighted* mean

    .. math:: \ell = \frac{\sum_i \ell_i}{\sum_{i\ \text{not ignored}} w_{y_i}},

    so that rescaling all weights changes nothing, and without weights it is the mean over the
    samples that count. The gradient is :math:`\partial \ell_i / \partial z_i =
    (\sum_c a_{ic})\, \mathrm{softmax}(z_i) - a_i`; without weights or smoothing,
    :math:`\mathrm{softmax}(z_i) - e_{y_i}` (one fused primitive).

    Parameters
    ----------
    input : array or Tensor
        Logits of shape ``(n, C)``.
    target : array of int
        Class indices of shape ``(n,)``, in ``[0, C)`` or equal to ``ignore_index``.
    weight : array of shape (C,), optional
        Class weights :math:`w_c \ge 0`, not all zero.
    ignore_index : int, default -100
        A target value whose samples are left out (e.g. padding).
    reduction : {"mean", "sum", "none"}
    label_smoothing : float in [0, 1], default 0
        :math:`\varepsilon`: 0 is the plain cross-entropy, 1 the cross-entropy against the
        uniform distribution.

    Raises
    ------
    ValueError
        With ``reduction="mean"``, when the weights of the counted targets sum to 0 (every
        target ignored or of a zero-weight class): the mean is 0/0, which PyTorch returns as NaN.
    """
    shape = np.shape(input)
    if len(shape) != 2:
        raise ValueError(
            f"cross_entropy: input must be logits of shape (n_samples, n_classes); got {shape}."
        )
    n_classes = shape[1]
    ignore_index = check_scalar(ignore_index, "ignore_index", kind=int)
    smoothing = check_scalar(label_smoothing, "label_smoothing", min_val=0.0, max_val=1.0)
    check_choice(reduction, "reduction", REDUCTIONS)
    labels = _class_indices(target, shape, ignore_index)
    dtype = anp.primal(input).dtype
    w = _check_loss_weight(weight, "weight", dtype)
    if w is not None and w.shape != (n_classes,):
        raise ValueError(
            f"cross_entropy: weight must hold one weight per class, shape ({n_classes},); got "
            f"shape {w.shape}."
        )
    counted = labels != ignore_index
    if counted.all():
        sample_weight = None if w is None else w[labels]
    else:
        labels = np.where(counted, labels, 0)  # any valid index: the weight 0 cancels the term
        sample_weight = counted.astype(dtype) if w is None else w[labels] * counted
    if smoothing == 0:
        loss = softmax_cross_entropy(input, labels)
        if sample_weight is not None:
            loss = loss * sample_weight
    else:
        class_weight = np.ones(n_classes, dtype=dtype) if w is None else w
        row_weight = np.ones(len(labels), dtype=dtype) if sample_weight is None \
            else sample_weight
        a = (1 - smoothing) * _one_hot(labels, n_classes, dtype) * row_weight[:, None]
        a += (smoothing / n_classes) * class_weight * counted[:, None]
        loss = -anp.sum(a * anp.log_softmax(input, axis=1), axis=1)
    if reduction != "mean" or sample_weight is None:
        return _reduce(loss, reduction)
    total_weight = sample_weight.sum()
    if total_weight == 0:
        raise ValueError(
            "cross_entropy: the weights of the counted targets sum to 0 (every target is "
            "ignored or of a class with weight 0), so the weighted mean is undefined; use "
            "reduction='sum' for such batches."
        )
    return anp.sum(loss) / total_weight
