"""The table, shapes family: reshaping, broadcasting, indexing, joining and casting.

All of these are linear maps, so each JVP applies the map to the tangent and each VJP applies
its transpose to the cotangent: ``reshape`` back, ``broadcast_to`` ↔ ``sum_to``,
``getitem`` ↔ ``scatter_add``, ``concatenate`` ↔ slicing the pieces out again.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch.autodiff._core import Primitive, per_argument, primal

# (concatenate and astype are reached through the functions of the same name in
# fromscratch.autodiff.numpy, which take NumPy's arguments)
__all__ = ["broadcast_to", "expand_dims", "getitem", "reshape", "scatter_add", "squeeze",
           "sum_to", "transpose"]

# -- shape helpers (plain Python on shapes; nothing here is differentiated) ----------------------


def _axes(axis: int | tuple[int, ...] | None, ndim: int) -> tuple[int, ...]:
    """Normalise an ``axis`` argument to a tuple of non-negative axes (None: all axes)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    out = []
    for a in axis:
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of bounds for an array of dimension {ndim}.")
        out.append(int(a) % ndim)
    return tuple(out)


def _keepdims_shape(shape: tuple[int, ...], axis: Any) -> tuple[int, ...]:
    reduced = _axes(axis, len(shape))
    return tuple(1 if i in reduced else n for i, n in enumerate(shape))


def _count(shape: tuple[int, ...], axis: Any) -> int:
    """How many elements a reduction over ``axis`` combines (a Python int keeps float32)."""
    return math.prod(shape[i] for i in _axes(axis, len(shape)))


def _inverse_axes(axes: Any, ndim: int) -> Any:
    return None if axes is None else tuple(np.argsort(_axes(tuple(axes), ndim)).tolist())


def _along(axis: int, ndim: int, index: Any) -> tuple:
    """The index that applies ``index`` (a slice or an integer array) to one axis only."""
    return (slice(None),) * _axes(axis, ndim)[0] + (index,)


def _flip(v: Any, axis: int) -> Any:
    """``v`` reversed along ``axis`` (a slice with step -1: differentiable, no copy of data)."""
    return getitem(v, _along(axis, np.ndim(v), slice(None, None, -1)))


# -- NumPy implementations that need more than one NumPy call --------------------------------------


def _scatter_add(g: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Zeros of ``shape`` with ``g`` added at ``index``: the adjoint of ``x[index]``.

    Integer-array indices may repeat an element, and a repeated element must receive every
    cotangent sent to it, so they need the unbuffered ``np.add.at``; basic indices (ints,
    slices) never repeat and use plain assignment.
    """
    out = np.zeros(shape, dtype=np.result_type(g))
    parts = index if isinstance(index, tuple) else (index,)
    if all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def _sum_to(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum the axes that broadcasting added or stretched, giving an array of ``shape``."""
    lead = x.ndim - len(shape)
    stretched = tuple(lead + i for i, n in enumerate(shape) if n == 1 and x.shape[lead + i] != 1)
    axes = tuple(range(lead)) + stretched
    return np.sum(x, axis=axes, keepdims=True).reshape(shape) if axes else x


def _concatenate(*arrays: np.ndarray, axis: int | None = 0) -> np.ndarray:
    return np.concatenate(arrays, axis=axis)


def _piece(arrays: tuple, i: int, axis: int | None) -> tuple:
    """The index of input ``i`` inside ``concatenate(arrays, axis)``; with ``axis=None`` the
    inputs are flattened first, so the piece is a range of the flat result."""
    if axis is None:
        sizes = [np.size(a) for a in arrays]
        ax = 0
    else:
        ax = _axes(axis, np.ndim(arrays[0]))[0]
        sizes = [np.shape(a)[ax] for a in arrays]
    start = sum(sizes[:i])
    return (slice(None),) * ax + (slice(start, start + sizes[i]),)


def _concatenate_jvp(i: int, t: Any, ans: Any, *xs: Any, axis: int | None = 0) -> Any:
    if axis is None:
        t = reshape(t, (-1,))
    return scatter_add(t, _piece(xs, i, axis), np.shape(ans))


def _concatenate_vjp(i: int, g: Any, ans: Any, *xs: Any, axis: int | None = 0) -> Any:
    share = getitem(g, _piece(xs, i, axis))
    return share if axis is not None else reshape(share, np.shape(xs[i]))


# ==== THE TABLE: shapes ===========================================================================

transpose: Primitive = Primitive("transpose", np.transpose,
    jvp=lambda t, ans, x, axes=None: transpose(t, axes),
    vjp=lambda g, ans, x, axes=None: transpose(g, _inverse_axes(axes, np.ndim(x))))
reshape: Primitive = Primitive("reshape", np.reshape,
    jvp=lambda t, ans, x, shape: reshape(t, shape),
    vjp=lambda g, ans, x, shape: reshape(g, np.shape(x)))
expand_dims: Primitive = Primitive("expand_dims", np.expand_dims,
    jvp=lambda t, ans, x, axis: expand_dims(t, axis),
    vjp=lambda g, ans, x, axis: reshape(g, np.shape(x)))
squeeze: Primitive = Primitive("squeeze", np.squeeze,
    jvp=lambda t, ans, x, axis=None: squeeze(t, axis),
    vjp=lambda g, ans, x, axis=None: reshape(g, np.shape(x)))
broadcast_to: Primitive = Primitive("broadcast_to", np.broadcast_to,
    jvp=lambda t, ans, x, shape: broadcast_to(t, shape),
    vjp=lambda g, ans, x, shape: sum_to(g, np.shape(x)))
sum_to: Primitive = Primitive("sum_to", _sum_to,  # the adjoint of broadcasting: "unbroadcast"
    jvp=lambda t, ans, x, shape: sum_to(t, shape),
    vjp=lambda g, ans, x, shape: broadcast_to(g, np.shape(x)))
getitem: Primitive = Primitive("getitem", lambda x, index: x[index],
    jvp=lambda t, ans, x, index: getitem(t, index),
    vjp=lambda g, ans, x, index: scatter_add(g, index, np.shape(x)), doc="x[index]")
scatter_add: Primitive = Primitive("scatter_add", _scatter_add,  # the adjoint of getitem
    jvp=lambda t, ans, g, index, shape: scatter_add(t, index, shape),
    vjp=lambda g, ans, x, index, shape: getitem(g, index))
concatenate = Primitive("concatenate", _concatenate,
    jvp=per_argument(_concatenate_jvp),
    vjp=per_argument(_concatenate_vjp),
    doc="concatenate(x_0, x_1, ..., axis=0): the inputs as separate arguments; axis=None "
        "flattens them first.")
astype: Primitive = Primitive("astype", lambda x, dtype: x.astype(dtype),  # float32 <-> float64
    jvp=lambda t, ans, x, dtype: astype(t, dtype),
    vjp=lambda g, ans, x, dtype: astype(g, primal(x).dtype),
    doc="x cast to another floating dtype; the cotangent is cast back to x's dtype.")
