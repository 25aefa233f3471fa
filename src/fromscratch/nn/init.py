r"""Weight initializers: draw a layer's starting weights with the right scale.

Why the scale matters: a unit of layer :math:`l` computes :math:`z = \sum_{j=1}^{n_\mathrm{in}}
W_{j} a_j`. If the inputs :math:`a_j` have variance :math:`v` and the weights are independent with
mean 0 and variance :math:`\sigma^2`, then :math:`\mathrm{Var}(z) = n_\mathrm{in} \sigma^2 v`.
Choosing :math:`\sigma^2 \propto 1/n_\mathrm{in}` keeps activations from growing or vanishing from
layer to layer (and, by the same argument on the backward pass, :math:`1/n_\mathrm{out}` keeps
gradients stable). The initializers below differ in which fan they use and in the *gain* that
compensates for what the activation function does to the variance.

Every function returns a new array of the requested shape, drawn from ``random_state``, with
PyTorch's names and formulas (``torch.nn.init``), so a weight of shape ``(fan_out, fan_in)``
means the same thing here as in PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch._validation import check_choice, check_random_state, check_scalar

__all__ = [
    "calculate_gain",
    "fans",
    "uniform",
    "normal",
    "zeros",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
]

_NONLINEARITIES = (
    "linear",
    "identity",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The recommended gain for an activation function (``torch.nn.init.calculate_gain``).

    * linear, identity, sigmoid: :math:`1`
    * tanh: :math:`5/3`
    * relu: :math:`\sqrt{2}`
    * leaky_relu: :math:`\sqrt{2 / (1 + \alpha^2)}` with :math:`\alpha` = ``param``
      (default 0.01)

    The ReLU gain :math:`\sqrt 2` compensates for ReLU zeroing half of its inputs, which halves
    the second moment of the activations.
    """
    check_choice(nonlinearity, "nonlinearity", _NONLINEARITIES)
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else check_scalar(param, "param")
        return math.sqrt(2.0 / (1.0 + slope**2))
    return 1.0


def _check_shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(f"shape must be a tuple of ints, got {shape!r}.") from None
    return tuple(check_scalar(d, f"shape[{i}]", kind=int, min_val=0) for i, d in enumerate(dims))


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    r"""``(fan_in, fan_out)`` of a weight of ``shape``, laid out like PyTorch.

    A linear weight has shape ``(out_features, in_features)``, so :math:`n_\mathrm{in}` is
    ``shape[1]`` and :math:`n_\mathrm{out}` is ``shape[0]``; trailing dimensions (a convolution's
    kernel) multiply both.
    """
    shape = _check_shape(shape)
    if len(shape) < 2:
        raise ValueError(
            f"fan_in and fan_out need a weight with at least 2 dimensions, got shape {shape}."
        )
    receptive_field = int(np.prod(shape[2:], dtype=np.int64))
    return shape[1] * receptive_field, shape[0] * receptive_field


def _dtype(dtype: Any) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"dtype must be float32 or float64, got {dtype}.")
    return dtype


def uniform(
    shape: tuple[int, ...],
    low: float = 0.0,
    high: float = 1.0,
    *,
    random_state: Any = None,
    dtype: Any = np.float64,
) -> np.ndarray:
    r"""Draws from :math:`\mathcal U(\mathrm{low}, \mathrm{high})`."""
    shape = _check_shape(shape)
    low, high = check_scalar(low, "low"), check_scalar(high, "high")
    if high < low:
        raise ValueError(f"high must be >= low; got low={low}, high={high}.")
    rng = check_random_state(random_state)
    return rng.uniform(low, high, size=shape).astype(_dtype(dtype))


def normal(
    shape: tuple[int, ...],
    mean: float = 0.0,
    std: float = 1.0,
    *,
    random_state: Any = None,
    dtype: Any = np.float64,
) -> np.ndarray:
    r"""Draws from :math:`\mathcal N(\mathrm{mean}, \mathrm{std}^2)`."""
    shape = _check_shape(shape)
    mean, std = check_scalar(mean, "mean"), check_scalar(std, "std", min_val=0.0)
    rng = check_random_state(random_state)
    return rng.normal(mean, std, size=shape).astype(_dtype(dtype))


def zeros(shape: tuple[int, ...], *, dtype: Any = np.float64) -> np.ndarray:
    """An array of zeros (the usual start for biases)."""
    return np.zeros(_check_shape(shape), dtype=_dtype(dtype))


def xavier_uniform(
    shape: tuple[int, ...], gain: float = 1.0, *, random_state: Any = None, dtype: Any = np.float64
) -> np.ndarray:
    r"""Glorot & Bengio (2010): :math:`W \sim \mathcal U(-a, a)` with

    .. math:: a = \mathrm{gain} \sqrt{\frac{6}{n_\mathrm{in} + n_\mathrm{out}}},

    so that :math:`\mathrm{Var}(W) = a^2/3 = \mathrm{gain}^2 \cdot 2/(n_\mathrm{in} +
    n_\mathrm{out})`: the compromise between keeping forward activations (:math:`1/n_\mathrm{in}`)
    and backward gradients (:math:`1/n_\mathrm{out}`) at constant variance.
    """
    fan_in, fan_out = fans(shape)
    gain = check_scalar(gain, "gain", min_val=0.0)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform(shape, -bound, bound, random_state=random_state, dtype=dtype)


def xavier_normal(
    shape: tuple[int, ...], gain: float = 1.0, *, random_state: Any = None, dtype: Any = np.float64
) -> np.ndarray:
    r"""Glorot & Bengio (2010), normal version: :math:`W \sim \mathcal N(0, \sigma^2)` with

    .. math:: \sigma = \mathrm{gain} \sqrt{\frac{2}{n_\mathrm{in} + n_\mathrm{out}}}.
    """
    fan_in, fan_out = fans(shape)
    gain = check_scalar(gain, "gain", min_val=0.0)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return normal(shape, 0.0, std, random_state=random_state, dtype=dtype)


def _kaiming_std(
    shape: tuple[int, ...], a: float, mode: str, nonlinearity: str
) -> float:
    fan_in, fan_out = fans(shape)
    fan = fan_in if check_choice(mode, "mode", ("fan_in", "fan_out")) == "fan_in" else fan_out
    if fan == 0:
        raise ValueError(f"cannot initialize a weight of shape {tuple(shape)}: its {mode} is 0.")
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform(
    shape: tuple[int, ...],
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    random_state: Any = None,
    dtype: Any = np.float64,
) -> np.ndarray:
    r"""He et al. (2015): :math:`W \sim \mathcal U(-b, b)` with

    .. math:: b = \mathrm{gain} \sqrt{\frac{3}{n}}, \qquad n = n_\mathrm{in}
        \text{ (or } n_\mathrm{out} \text{ with mode="fan_out")},

    i.e. :math:`\mathrm{Var}(W) = \mathrm{gain}^2 / n`. With ReLU's gain :math:`\sqrt 2` this is
    :math:`2/n`: the variance that keeps ReLU activations' second moment constant across layers.
    ``a`` is the negative slope of a leaky ReLU (used by the gain). PyTorch's ``Linear`` uses
    ``kaiming_uniform(a=sqrt(5))``, which works out to :math:`b = 1/\sqrt{n_\mathrm{in}}`.
    """
    std = _kaiming_std(shape, a, mode, nonlinearity)
    bound = math.sqrt(3.0) * std
    return uniform(shape, -bound, bound, random_state=random_state, dtype=dtype)


def kaiming_normal(
    shape: tuple[int, ...],
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    random_state: Any = None,
    dtype: Any = np.float64,
) -> np.ndarray:
    r"""He et al. (2015), normal version: :math:`W \sim \mathcal N(0, \mathrm{gain}^2 / n)`."""
    std = _kaiming_std(shape, a, mode, nonlinearity)
    return normal(shape, 0.0, std, random_state=random_state, dtype=dtype)
