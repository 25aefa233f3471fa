"""``ArrayBox``: what makes a Dual or a Tensor look and behave like an ndarray.

Operators (``+ - * / ** % @``, indexing, ``.T``) and array methods (``.sum()``, ``.reshape()``)
call the differentiable function of the same name in :mod:`fromscratch.autodiff.numpy`. NumPy's
own functions reach the same functions through NumPy's dispatch protocols
(:mod:`~fromscratch.autodiff._dispatch`).

What would silently drop a derivative raises instead. A box made by a transformation
(``grad``, ``jvp``, ...) is *traced*: ``float(x)``, ``int(x)``, ``math.exp(x)``, ``x.item()``,
``np.asarray(x)`` and assigning it into a NumPy array raise
:class:`~fromscratch.autodiff.ConcretizationTypeError`, as in JAX, and so does any of them on a
:class:`~fromscratch.autodiff.Dual` (its tangent would be lost). A hand-made ``Tensor`` follows
PyTorch: ``float(t)`` and ``t.item()`` detach by definition, while ``np.asarray(t)`` and
``t.numpy()`` on a Tensor that requires grad raise.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

import numpy as np

from fromscratch.autodiff import _dispatch
from fromscratch.autodiff._core import Box, concretization_error, primal
from fromscratch.autodiff.numpy import (
    abs,
    add,
    astype,
    clip,
    cumprod,
    cumsum,
    diagonal,
    divide,
    dot,
    exp,
    getitem,
    log,
    matmul,
    max,
    mean,
    min,
    multiply,
    negative,
    power,
    prod,
    ravel,
    relu,
    remainder,
    repeat,
    reshape,
    sigmoid,
    sqrt,
    squeeze,
    std,
    subtract,
    sum,
    swapaxes,
    tanh,
    trace,
    transpose,
    var,
)

__all__ = ["ArrayBox"]

_ATTRIBUTES = {np.shape: "shape", np.ndim: "ndim"}
_UFUNCS = _dispatch.UFUNCS


class ArrayBox(Box):
    """Operators and array methods shared by ``Dual`` and ``Tensor``.

    Each one calls the differentiable function of the same name in
    :mod:`fromscratch.autodiff.numpy`; the only state is the box's ``_value`` (and its
    subclass's tangent or graph).
    """

    __slots__ = ()
    __hash__ = object.__hash__  # boxes are dictionary keys by identity; == is elementwise

    # -- NumPy's dispatch protocols: np.exp(box), np.sum(box), ndarray @ box -------------------

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method == "__call__" and not kwargs:  # the common case, one dictionary look-up
            fun = _UFUNCS.get(ufunc)
            if fun is not None:
                return fun(*inputs)
        return _dispatch.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        attribute = _ATTRIBUTES.get(func)  # np.shape(x), np.ndim(x): asked by every layer call
        if attribute is not None:
            return getattr(args[0], attribute)
        return _dispatch.array_function(func, types, args, kwargs)

    # -- conversions to plain numbers and arrays: only where no derivative is dropped ------------

    def _drops_derivative(self, to_array: bool) -> bool:
        """Whether converting this box (not the boxes inside it) loses a derivative."""
        raise NotImplementedError  # pragma: no cover

    def _concrete(self, call: str, to_array: bool = False) -> Any:
        """The plain value for ``call``, or the error if that would drop a derivative."""
        box: Any = self
        while isinstance(box, ArrayBox):
            if box._drops_derivative(to_array):
                raise box._conversion_error(call)
            box = box._value
        return box

    def _conversion_error(self, call: str) -> Exception:
        return concretization_error(self, call)

    def __float__(self) -> float:
        return float(self._concrete("float()"))

    def __int__(self) -> int:
        return int(self._concrete("int()"))

    def __complex__(self) -> complex:
        return complex(self._concrete("complex()"))

    def item(self) -> Any:
        """The value of a one-element box as a Python number."""
        value = self._concrete(".item()")
        if np.size(value) != 1:
            raise ValueError(f"item() needs a {type(self).__name__} with one element; shape is "
                             f"{self.shape}.")
        return np.asarray(value).item()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        value = self._concrete("np.asarray() (or np.array(), or assignment into an ndarray)",
                               to_array=True)
        if copy is None:  # "copy only if needed"; NumPy 1.x's np.array refuses copy=None
            return np.asarray(value, dtype=dtype)
        return np.array(value, dtype=dtype, copy=copy)

    def __bool__(self) -> bool:
        # branching on a value is fine: each branch is differentiated where it is taken
        return bool(primal(self))

    # -- array attributes of the value inside ---------------------------------------------------

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

    def __iter__(self) -> Iterator[Any]:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(len(self)))

    # -- arithmetic -----------------------------------------------------------------------------

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

    def __mod__(self, other: Any) -> Any:
        return remainder(self, other)

    def __rmod__(self, other: Any) -> Any:
        return remainder(other, self)

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

    # -- comparisons: plain boolean arrays (masks), never boxes --------------------------------

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

    # -- array methods --------------------------------------------------------------------------

    @property
    def T(self) -> Any:
        return transpose(self)

    def transpose(self, *axes: Any) -> Any:
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            return transpose(self, tuple(axes[0]) if axes[0] else None)
        return transpose(self, axes or None)

    def reshape(self, *shape: Any) -> Any:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape)

    def ravel(self) -> Any:
        return ravel(self)

    def flatten(self) -> Any:
        return ravel(self)

    def astype(self, dtype: Any) -> Any:
        return astype(self, dtype)

    def squeeze(self, axis: Any = None) -> Any:
        return squeeze(self, axis)

    def swapaxes(self, axis1: int, axis2: int) -> Any:
        return swapaxes(self, axis1, axis2)

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

    def cumprod(self, axis: Any = None) -> Any:
        return cumprod(self, axis)

    def argmax(self, axis: Any = None) -> Any:
        return primal(self).argmax(axis)

    def argmin(self, axis: Any = None) -> Any:
        return primal(self).argmin(axis)

    def clip(self, a_min: Any = None, a_max: Any = None) -> Any:
        return clip(self, a_min, a_max)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return diagonal(self, offset, axis1, axis2)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return trace(self, offset, axis1, axis2)

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        return repeat(self, repeats, axis)

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
