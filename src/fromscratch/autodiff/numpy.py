"""A NumPy-like namespace of differentiable functions: ``import fromscratch.autodiff.numpy as anp``.

Every function here is a primitive of :mod:`~fromscratch.autodiff.primitives` or a short
composition of them, so it works on plain arrays (and then returns plain NumPy results), on
:class:`~fromscratch.autodiff.Dual` numbers (forward mode) and on
:class:`~fromscratch.autodiff.Tensor` objects (reverse mode), nested to any depth.

>>> import numpy as np
>>> import fromscratch.autodiff.numpy as anp
>>> from fromscratch.autodiff import grad
>>> f = lambda x: anp.sum(anp.tanh(x) ** 2)
>>> type(f(np.ones(3))).__name__          # plain arrays in, plain NumPy out
'float64'
>>> g = grad(f)(np.zeros(3))              # the same code, differentiated
>>> g.tolist()
[0.0, 0.0, 0.0]

This module also defines :class:`ArrayBox`, the base of ``Dual`` and ``Tensor``: their
operators (``+ - * / ** @``, indexing, ``.T``) and array methods (``.sum()``, ``.reshape()``)
call the functions below. Comparisons (``<``, ``==``...) are not differentiable and return
plain boolean arrays, which is what masks and ``where`` need.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

from fromscratch.autodiff._core import Box, primal
from fromscratch.autodiff.primitives import (
    _count,
    abs,
    add,
    arctan,
    broadcast_to,
    clip,
    cos,
    cosh,
    cumsum,
    divide,
    exp,
    expand_dims,
    expm1,
    getitem,
    log,
    log1p,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    min,
    minimum,
    multiply,
    negative,
    norm2,
    power,
    prod,
    relu,
    reshape,
    sigmoid,
    sign,
    sin,
    sinh,
    softmax,
    softplus,
    sqrt,
    square,
    squeeze,
    std,
    subtract,
    sum,
    sum_to,
    tan,
    tanh,
    transpose,
    var,
    where,
)
from fromscratch.autodiff.primitives import (
    concatenate as _concatenate,
)

__all__ = [
    "ArrayBox", "abs", "absolute", "add", "arctan", "broadcast_to", "clip", "concatenate", "cos",
    "cosh", "cumsum", "divide", "dot", "exp", "expand_dims", "expm1", "log", "log1p",
    "log_softmax", "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum",
    "multiply", "negative", "norm", "outer", "power", "prod", "ravel", "relu", "reshape",
    "sigmoid", "sign", "sin", "sinh", "softmax", "softplus", "sqrt", "square", "squeeze",
    "stack", "std", "subtract", "sum", "sum_to", "swapaxes", "take_along_axis", "tan", "tanh",
    "transpose", "true_divide", "var", "where", "ones_like", "zeros_like",
]

absolute = abs
true_divide = divide


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """:math:`\\frac{1}{n}\\sum_i x_i` over ``axis`` (all entries if None)."""
    return sum(x, axis, keepdims) / _count(np.shape(x), axis)


def ravel(x: Any) -> Any:
    return reshape(x, (-1,))


def swapaxes(x: Any, axis1: int, axis2: int) -> Any:
    axes = list(range(np.ndim(x)))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, tuple(axes))


def outer(a: Any, b: Any) -> Any:
    """:math:`(a b^\\top)_{ij} = a_i b_j` of the flattened inputs."""
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))


def dot(a: Any, b: Any) -> Any:
    """``np.dot`` for inputs of at most two dimensions (scalars multiply, else ``matmul``)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return multiply(a, b)
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        raise ValueError(
            f"dot supports arrays of at most 2 dimensions; got shapes {np.shape(a)} and "
            f"{np.shape(b)}. Use matmul (the @ operator) for stacks of matrices."
        )
    return matmul(a, b)


def concatenate(arrays: Sequence[Any], axis: int = 0) -> Any:
    """Join a sequence of arrays along an existing axis."""
    return _concatenate(*arrays, axis=axis)


def stack(arrays: Sequence[Any], axis: int = 0) -> Any:
    """Join a sequence of same-shaped arrays along a new axis."""
    return _concatenate(*[expand_dims(a, axis) for a in arrays], axis=axis)


def take_along_axis(x: Any, indices: Any, axis: int | None) -> Any:
    """``np.take_along_axis`` as one integer-array index, so its VJP is a scatter-add."""
    indices = np.asarray(indices)
    if axis is None:
        return ravel(x)[indices]
    shape = np.shape(x)
    ax = axis % len(shape)
    ndim = len(shape)
    index = tuple(
        indices if d == ax else np.arange(n).reshape([-1 if e == d else 1 for e in range(ndim)])
        for d, n in enumerate(shape)
    )
    return getitem(x, index)


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:  # noqa: A002
    """Vector norms :math:`\\|x\\|_2`, :math:`\\|x\\|_1`, :math:`\\|x\\|_\\infty` over ``axis``.

    ``axis=None`` uses all entries (for a matrix with ``ord=None`` this is the Frobenius norm,
    as NumPy's ``norm`` computes it). Matrix norms (spectral, nuclear) are not provided. At
    :math:`x = 0` the gradient of :math:`\\|x\\|_2` is taken as 0, a valid subgradient, instead
    of the NaN that :math:`x / \\|x\\|` would give.
    """
    if ord is not None and axis is None and np.ndim(x) >= 2:
        raise ValueError(
            f"norm with ord={ord!r} and axis=None on a {np.ndim(x)}-D array would be a matrix "
            "norm, which is not supported; give axis for vector norms, or ord=None for the "
            "Frobenius norm."
        )
    if ord is None or ord == 2:
        return norm2(x, axis, keepdims)
    if ord == 1:
        return sum(abs(x), axis, keepdims)
    if ord == np.inf:
        return max(abs(x), axis, keepdims)
    raise ValueError(f"ord must be None, 1, 2 or inf; got {ord!r}.")


def zeros_like(x: Any) -> np.ndarray:
    """Plain zeros with the shape and dtype of ``x`` (a constant: no derivative)."""
    return np.zeros(np.shape(x), dtype=primal(x).dtype)


def ones_like(x: Any) -> np.ndarray:
    """Plain ones with the shape and dtype of ``x`` (a constant: no derivative)."""
    return np.ones(np.shape(x), dtype=primal(x).dtype)


class ArrayBox(Box):
    """Operators and array methods shared by ``Dual`` and ``Tensor``.

    Each one calls the differentiable function of the same name in this module; the only
    state is the box's ``_value`` (and its subclass's tangent or graph).
    """

    __slots__ = ()
    __hash__ = object.__hash__  # boxes are dictionary keys by identity; == is elementwise

    # array attributes of the value inside
    @property
    def shape(self) -> tuple[int, ...]:
        return self._value.shape

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def size(self) -> int:
        return self._value.size

    @property
    def dtype(self) -> np.dtype:
        return primal(self).dtype

    def __len__(self) -> int:
        return len(self._value)

    def __float__(self) -> float:
        return float(primal(self))

    def __bool__(self) -> bool:
        return bool(primal(self))

    # arithmetic
    def __add__(self, other: Any) -> Any:
        return add(self, other)

    def __radd__(self, other: Any) -> Any:
        return add(other, self)

    def __sub__(self, other: Any) -> Any:
        return subtract(self, other)

    def __rsub__(self, other: Any) -> Any:
        return subtract(other, self)

    def __mul__(self, other: Any) -> Any:
        return multiply(self, other)

    def __rmul__(self, other: Any) -> Any:
        return multiply(other, self)

    def __truediv__(self, other: Any) -> Any:
        return divide(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return divide(other, self)

    def __pow__(self, other: Any) -> Any:
        return power(self, other)

    def __rpow__(self, other: Any) -> Any:
        return power(other, self)

    def __matmul__(self, other: Any) -> Any:
        return matmul(self, other)

    def __rmatmul__(self, other: Any) -> Any:
        return matmul(other, self)

    def __neg__(self) -> Any:
        return negative(self)

    def __pos__(self) -> Any:
        return self

    def __abs__(self) -> Any:
        return abs(self)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, Box) or (
            isinstance(index, tuple) and builtins.any(isinstance(i, Box) for i in index)
        ):
            raise TypeError(
                "index with integers, slices or integer/boolean ndarrays, not with a "
                f"{type(index).__name__}; an index is not differentiable (use .data)."
            )
        return getitem(self, index)

    # comparisons: plain boolean arrays (masks), never boxes
    def __lt__(self, other: Any) -> np.ndarray:
        return primal(self) < primal(other)

    def __le__(self, other: Any) -> np.ndarray:
        return primal(self) <= primal(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return primal(self) > primal(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return primal(self) >= primal(other)

    def __eq__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return primal(self) == primal(other)

    def __ne__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return primal(self) != primal(other)

    # array methods
    @property
    def T(self) -> Any:
        return transpose(self)

    def transpose(self, *axes: Any) -> Any:
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return transpose(self, tuple(axes) if axes else None)

    def reshape(self, *shape: Any) -> Any:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape)

    def ravel(self) -> Any:
        return ravel(self)

    def squeeze(self, axis: Any = None) -> Any:
        return squeeze(self, axis)

    def sum(self, axis: Any = None, keepdims: bool = False) -> Any:
        return sum(self, axis, keepdims)

    def mean(self, axis: Any = None, keepdims: bool = False) -> Any:
        return mean(self, axis, keepdims)

    def var(self, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
        return var(self, axis, ddof, keepdims)

    def std(self, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
        return std(self, axis, ddof, keepdims)

    def max(self, axis: Any = None, keepdims: bool = False) -> Any:
        return max(self, axis, keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> Any:
        return min(self, axis, keepdims)

    def prod(self, axis: Any = None, keepdims: bool = False) -> Any:
        return prod(self, axis, keepdims)

    def cumsum(self, axis: Any = None) -> Any:
        return cumsum(self, axis)

    def clip(self, a_min: Any = None, a_max: Any = None) -> Any:
        return clip(self, a_min, a_max)

    def dot(self, other: Any) -> Any:
        return dot(self, other)

    def exp(self) -> Any:
        return exp(self)

    def log(self) -> Any:
        return log(self)

    def sqrt(self) -> Any:
        return sqrt(self)

    def tanh(self) -> Any:
        return tanh(self)

    def sigmoid(self) -> Any:
        return sigmoid(self)

    def relu(self) -> Any:
        return relu(self)
