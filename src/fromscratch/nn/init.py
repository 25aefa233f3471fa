r"""Weight initializers: draw a layer's starting weights with the right scale.

Why the scale matters: a unit of layer :math:`l` computes :math:`z = \sum_{j=1}^{n_\mathrm{in}}
W_{j} a_j`. If the inputs :math:`a_j` have variance :math:`v` and the weights are independent with
mean 0 and variance :math:`\sigma^2`, then :math:`\mathrm{Var}(z) = n_\mathrm{in} \sigma^2 v`.
Choosing :math:`\sigma^2 \propto 1/n_\mathrm{in}` keeps activations from growing or vanishing from
layer to layer (and, by the same argument on the backward pass, :math:`1/n_\mathrm{out}` keeps
gradients stable). The initializers below differ in which fan they use and in the *gain* that
compensates for what the activation function does to the variance.

Two families, with PyTorch's names and formulas (``torch.nn.init``), so a weight of shape
``(fan_out, fan_in)`` means the same thing here as in PyTorch:

* ``uniform(shape, ...)``, ``kaiming_normal(shape, ...)``...: a new array of the requested shape,
  drawn from ``random_state``.
* ``uniform_(tensor, ...)``, ``kaiming_normal_(tensor, ...)``...: PyTorch's in-place spelling.
  They overwrite a :class:`~fromscratch.autodiff.Tensor`'s (or
  :class:`~fromscratch.nn.Parameter`'s, or an ndarray's) values in place, keeping its shape and
  dtype, and return it, so code written for ``torch.nn.init`` reads the same::

      for name, p in model.named_parameters():
          if name.endswith("weight"):
              init.kaiming_uniform_(p, nonlinearity="relu", generator=rng)
          else:
              init.zeros_(p)

  Their ``generator`` (PyTorch's name) takes what ``random_state`` takes: ``None`` (fresh
  entropy), an int seed or a ``numpy.random.Generator``. Each in-place function draws with its
  out-of-place twin, so both give the same numbers from the same seed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch._validation import check_choice, check_random_state, check_scalar
from fromscratch.autodiff import Tensor
from fromscratch.linalg import qr

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
    "trunc_normal",
    "orthogonal",
    "uniform_",
    "normal_",
    "trunc_normal_",
    "constant_",
    "ones_",
    "zeros_",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
    "orthogonal_",
]

#: Gain 1: the layers without a nonlinearity (PyTorch lists the convolutions too).
_LINEAR = (
    "linear",
    "identity",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)
_NONLINEARITIES = (*_LINEAR, "sigmoid", "tanh", "relu", "leaky_relu", "selu")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The recommended gain for an activation function (``torch.nn.init.calculate_gain``).

    * linear, identity, the convolutions, sigmoid: :math:`1`
    * tanh: :math:`5/3`
    * relu: :math:`\sqrt{2}`
    * leaky_relu: :math:`\sqrt{2 / (1 + \alpha^2)}` with :math:`\alpha` = ``param``
      (default 0.01)
    * selu: :math:`3/4` (PyTorch's empirical value, for self-normalising networks)

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
    if nonlinearity == "selu":
        return 3.0 / 4.0
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


def _normal_mass(alpha: float, beta: float) -> float:
    r""":math:`\Phi(\beta) - \Phi(\alpha)` for the standard normal CDF :math:`\Phi`, from the
    tail (``erfc``) on each side, so that an interval far in a tail keeps its digits."""
    if alpha >= 0:
        return 0.5 * (math.erfc(alpha / math.sqrt(2)) - math.erfc(beta / math.sqrt(2)))
    if beta <= 0:
        return 0.5 * (math.erfc(-beta / math.sqrt(2)) - math.erfc(-alpha / math.sqrt(2)))
    return 1.0 - 0.5 * (math.erfc(-alpha / math.sqrt(2)) + math.erfc(beta / math.sqrt(2)))


#: trunc_normal refuses an interval where fewer than this fraction of proposals is accepted.
_MIN_ACCEPTANCE = 1e-3


def trunc_normal(
    shape: tuple[int, ...],
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    *,
    random_state: Any = None,
    dtype: Any = np.float64,
) -> np.ndarray:
    r"""Draws from :math:`\mathcal N(\mu, \sigma^2)` truncated to :math:`[a, b]`: the density
    :math:`\varphi((x - \mu)/\sigma) / (\sigma P)` on :math:`[a, b]`, with mass
    :math:`P = \Phi(\beta) - \Phi(\alpha)`, :math:`\alpha = (a - \mu)/\sigma`,
    :math:`\beta = (b - \mu)/\sigma`. The bounds are values, not multiples of :math:`\sigma`
    (PyTorch's convention: ``std=0.02`` with the default bounds truncates nothing in practice).

    By rejection sampling, with whichever proposal accepts more often:

    * normal draws, keeping those in :math:`[a, b]` (acceptance :math:`P`), good when the
      interval holds much of the mass;
    * uniform draws :math:`x \sim \mathcal U(a, b)`, each kept with probability
      :math:`e^{-((x-\mu)^2 - (m-\mu)^2)/(2\sigma^2)}` where :math:`m` is the point of
      :math:`[a, b]` nearest :math:`\mu` (the density's peak there), so that the kept values have
      the truncated density (acceptance :math:`\sigma\sqrt{2\pi}\,P\,
      e^{(m-\mu)^2/(2\sigma^2)} / (b - a)`), good for a narrow interval or one in a tail.

    PyTorch's ``trunc_normal_`` samples the same way (its threshold between the two is
    :math:`P > 0.3`).
    """
    shape = _check_shape(shape)
    mean, std = check_scalar(mean, "mean"), check_scalar(std, "std", min_val=0.0,
                                                         include_min=False)
    a, b = check_scalar(a, "a"), check_scalar(b, "b")
    if not a < b:
        raise ValueError(f"a must be < b (the truncation interval [a, b]); got a={a}, b={b}.")
    rng = check_random_state(random_state)
    dtype = _dtype(dtype)
    peak = min(max(mean, a), b)
    normal_acceptance = _normal_mass((a - mean) / std, (b - mean) / std)
    log_peak = -0.5 * ((peak - mean) / std) ** 2
    uniform_acceptance = normal_acceptance * std * math.sqrt(2 * math.pi) \
        / math.exp(log_peak) / (b - a)
    if max(normal_acceptance, uniform_acceptance) < _MIN_ACCEPTANCE:
        raise ValueError(
            f"[a, b] = [{a}, {b}] is wide and far in the tail of N({mean}, {std}^2): rejection "
            f"sampling would accept fewer than {_MIN_ACCEPTANCE:g} of its draws. Narrow the "
            "interval or move the mean towards it."
        )
    values = np.empty(int(np.prod(shape, dtype=np.int64)))
    pending = np.arange(values.size)
    while pending.size:
        if normal_acceptance >= uniform_acceptance:
            x = rng.normal(mean, std, size=pending.size)
            keep = (a <= x) & (x <= b)
        else:
            x = rng.uniform(a, b, size=pending.size)
            keep = np.log(rng.random(pending.size)) < -0.5 * ((x - mean) / std) ** 2 - log_peak
        values[pending[keep]] = x[keep]
        pending = pending[~keep]
    # Rounding to float32 is monotonic, so the values stay within the rounded bounds.
    return values.reshape(shape).astype(dtype)


def orthogonal(
    shape: tuple[int, ...], gain: float = 1.0, *, random_state: Any = None,
    dtype: Any = np.float64,
) -> np.ndarray:
    r"""A random (semi-)orthogonal matrix times ``gain`` (Saxe et al. 2014), uniformly
    distributed (Haar measure).

    The weight is viewed as ``shape[0]`` rows of :math:`\prod_{k \ge 1}` ``shape[k]`` entries.
    With :math:`A` an (:math:`n \times k`, :math:`n \ge k`) standard normal matrix (the
    transpose when there are fewer rows than columns) and :math:`A = QR` its reduced QR
    factorization,

    .. math:: W = \mathrm{gain} \cdot Q\, \mathrm{diag}(\mathrm{sign}(r_{jj}))

    has orthonormal columns (:math:`W^\top W = \mathrm{gain}^2 I`; rows for a wide weight).
    Fixing the signs by :math:`R`'s diagonal makes the factorization unique, which is what
    makes :math:`Q` Haar distributed (Mezzadri 2007); without it Householder QR's own sign
    convention would bias the distribution. The QR is :func:`fromscratch.linalg.qr`.
    An orthogonal layer preserves the norm of every input, so deep linear networks neither
    explode nor vanish.
    """
    shape = _check_shape(shape)
    if len(shape) < 2:
        raise ValueError(f"orthogonal needs a weight with at least 2 dimensions, got {shape}.")
    gain = check_scalar(gain, "gain")
    rng = check_random_state(random_state)
    dtype = _dtype(dtype)
    rows = shape[0]
    cols = int(np.prod(shape[1:], dtype=np.int64))
    if rows * cols == 0:
        return np.zeros(shape, dtype=dtype)
    A = rng.standard_normal((rows, cols))
    if rows < cols:
        A = A.T
    Q, R = qr(A)
    Q *= np.where(np.diag(R) < 0, -1.0, 1.0)
    if rows < cols:
        Q = Q.T
    return (gain * Q).reshape(shape).astype(dtype)


# -- in place, as torch.nn.init spells them -------------------------------------------------------


def _values_of(tensor: Any) -> np.ndarray:
    """The array an in-place initializer overwrites: a Tensor's ``data`` or an ndarray."""
    values = tensor.data if isinstance(tensor, Tensor) else tensor
    if not isinstance(values, np.ndarray):
        raise TypeError(
            f"tensor must be a Tensor, a Parameter or a NumPy array; got {type(tensor).__name__}."
        )
    if values.dtype not in (np.float32, np.float64):
        raise TypeError(f"tensor must hold float32 or float64 values; got dtype {values.dtype}.")
    return values


def _overwrite(tensor: Any, draw: Any, **kwargs: Any) -> Any:
    """``tensor``'s values replaced in place by ``draw(shape, **kwargs, dtype=...)``; returns
    ``tensor`` (PyTorch's in-place convention)."""
    values = _values_of(tensor)
    if "generator" in kwargs:
        kwargs["random_state"] = check_random_state(kwargs.pop("generator"), "generator")
    values[...] = draw(values.shape, **kwargs, dtype=values.dtype)
    return tensor


def uniform_(tensor: Any, a: float = 0.0, b: float = 1.0, generator: Any = None) -> Any:
    r"""Fill ``tensor`` in place with :math:`\mathcal U(a, b)` draws; see :func:`uniform`."""
    return _overwrite(tensor, uniform, low=a, high=b, generator=generator)


def normal_(tensor: Any, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> Any:
    r"""Fill ``tensor`` in place with :math:`\mathcal N(\mathrm{mean}, \mathrm{std}^2)` draws."""
    return _overwrite(tensor, normal, mean=mean, std=std, generator=generator)


def trunc_normal_(
    tensor: Any,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: Any = None,
) -> Any:
    r"""Fill ``tensor`` in place with draws of :math:`\mathcal N(\mathrm{mean}, \mathrm{std}^2)`
    truncated to :math:`[a, b]`; see :func:`trunc_normal`."""
    return _overwrite(tensor, trunc_normal, mean=mean, std=std, a=a, b=b, generator=generator)


def constant_(tensor: Any, val: float) -> Any:
    """Fill ``tensor`` in place with ``val``."""
    values = _values_of(tensor)
    values[...] = check_scalar(val, "val", allow_inf=True)
    return tensor


def ones_(tensor: Any) -> Any:
    """Fill ``tensor`` in place with ones."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Any) -> Any:
    """Fill ``tensor`` in place with zeros (the usual start for biases)."""
    return constant_(tensor, 0.0)


def xavier_uniform_(tensor: Any, gain: float = 1.0, generator: Any = None) -> Any:
    r"""Glorot uniform in place: :math:`\mathcal U(-a, a)`,
    :math:`a = \mathrm{gain}\sqrt{6/(n_\mathrm{in} + n_\mathrm{out})}`; see
    :func:`xavier_uniform`."""
    return _overwrite(tensor, xavier_uniform, gain=gain, generator=generator)


def xavier_normal_(tensor: Any, gain: float = 1.0, generator: Any = None) -> Any:
    r"""Glorot normal in place: :math:`\mathcal N(0, \sigma^2)`,
    :math:`\sigma = \mathrm{gain}\sqrt{2/(n_\mathrm{in} + n_\mathrm{out})}`; see
    :func:`xavier_normal`."""
    return _overwrite(tensor, xavier_normal, gain=gain, generator=generator)


def kaiming_uniform_(
    tensor: Any, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Any:
    r"""He uniform in place: :math:`\mathcal U(-b, b)`, :math:`b = \mathrm{gain}\sqrt{3/n}`
    with :math:`n` the fan of ``mode`` and the gain of ``nonlinearity`` (negative slope ``a``);
    see :func:`kaiming_uniform`."""
    return _overwrite(tensor, kaiming_uniform, a=a, mode=mode, nonlinearity=nonlinearity,
                      generator=generator)


def kaiming_normal_(
    tensor: Any, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
    generator: Any = None,
) -> Any:
    r"""He normal in place: :math:`\mathcal N(0, \mathrm{gain}^2/n)`; see
    :func:`kaiming_normal`."""
    return _overwrite(tensor, kaiming_normal, a=a, mode=mode, nonlinearity=nonlinearity,
                      generator=generator)


def orthogonal_(tensor: Any, gain: float = 1.0, generator: Any = None) -> Any:
    r"""A (semi-)orthogonal matrix times ``gain``, in place; see :func:`orthogonal`."""
    return _overwrite(tensor, orthogonal, gain=gain, generator=generator)
