"""Array manipulation as compositions of the shape primitives: joining, splitting, tiling,
rearranging, diagonals and triangles, sorting and padding.

Each function here rearranges, copies or drops entries, so it is linear and its derivative is
the same rearrangement of the tangent; its rules come from the primitives it is written with
(``getitem``/``scatter_add``, ``reshape``, ``transpose``, ``concatenate``, ``where``), exactly,
in both modes and at every order. Many are one gather: NumPy applies the operation to the
*positions* ``arange(x.size).reshape(x.shape)`` and the result indexes ``x`` (``tile``,
``roll``, ``pad``, ``sort``), so the rearrangement is NumPy's own, number for number.

The signatures are NumPy's, so ``np.tile(x, 2)`` on a Tensor or Dual dispatches here.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

from fromscratch.autodiff._core import Box, primal
from fromscratch.autodiff.primitives.elementwise import where
from fromscratch.autodiff.primitives.reductions import sum as _sum
from fromscratch.autodiff.primitives.shapes import (
    _along,
    _axes,
    _flip,
    expand_dims,
    getitem,
    reshape,
    scatter_add,
    transpose,
)
from fromscratch.autodiff.primitives.shapes import (
    concatenate as _concatenate,
)

__all__ = [
    "append", "array_split", "atleast_1d", "atleast_2d", "atleast_3d", "column_stack",
    "concatenate", "diag", "diagonal", "dsplit", "dstack", "flip", "fliplr", "flipud", "hsplit",
    "hstack", "moveaxis", "pad", "ravel", "repeat", "roll", "rot90", "sort", "split", "stack",
    "swapaxes", "take", "take_along_axis", "tile", "trace", "tril", "triu", "vsplit", "vstack",
]


def _positions(x: Any) -> np.ndarray:
    """The flat position of every entry of ``x``, in ``x``'s shape: what a gather indexes."""
    return np.arange(np.size(x)).reshape(np.shape(x))


def _gather(x: Any, positions: np.ndarray) -> Any:
    """The entries of ``x`` at flat ``positions``, in the shape of ``positions``."""
    return getitem(ravel(x), positions)


# -- joining ---------------------------------------------------------------------------------------


def ravel(a: Any) -> Any:
    """The entries of ``a`` as a 1-D array, in row-major order."""
    return reshape(a, (-1,))


def concatenate(arrays: Sequence[Any], axis: int | None = 0) -> Any:
    """Join a sequence of arrays along an existing axis (flattened first if ``axis`` is None)."""
    return _concatenate(*arrays, axis=axis)


def stack(arrays: Sequence[Any], axis: int = 0) -> Any:
    """Join a sequence of same-shaped arrays along a new axis."""
    return _concatenate(*[expand_dims(a, axis) for a in arrays], axis=axis)


def _at_least(arys: tuple, ndim: int, new_shape: Any) -> Any:
    """Each array with fewer than ``ndim`` axes reshaped to ``new_shape(its shape)``."""
    out = [a if np.ndim(a) >= ndim else reshape(a, new_shape(np.shape(a))) for a in arys]
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arys: Any) -> Any:
    """As NumPy's: ``()`` becomes ``(1,)``; arrays with axes are left as they are."""
    return _at_least(arys, 1, lambda shape: (1,))


def atleast_2d(*arys: Any) -> Any:
    """As NumPy's: ``()`` becomes ``(1, 1)`` and ``(n,)`` becomes ``(1, n)``."""
    return _at_least(arys, 2, lambda shape: (1,) * (2 - len(shape)) + shape)


def atleast_3d(*arys: Any) -> Any:
    """As NumPy's: ``()`` becomes ``(1, 1, 1)``, ``(n,)`` becomes ``(1, n, 1)`` and ``(m, n)``
    becomes ``(m, n, 1)``."""
    return _at_least(arys, 3, lambda shape: {0: (1, 1, 1), 1: (1, *shape, 1),
                                             2: (*shape, 1)}[len(shape)])


def hstack(tup: Sequence[Any]) -> Any:
    """Stack column-wise: along axis 1, or axis 0 for 1-D inputs."""
    arrays = [atleast_1d(a) for a in tup]
    return concatenate(arrays, 0 if np.ndim(arrays[0]) == 1 else 1)


def vstack(tup: Sequence[Any]) -> Any:
    """Stack row-wise: 1-D inputs become rows."""
    return concatenate([atleast_2d(a) for a in tup], 0)


def dstack(tup: Sequence[Any]) -> Any:
    """Stack along the third axis."""
    return concatenate([atleast_3d(a) for a in tup], 2)


def column_stack(tup: Sequence[Any]) -> Any:
    """1-D inputs become columns of a 2-D array; 2-D inputs are joined as they are."""
    return concatenate([reshape(a, (-1, 1)) if np.ndim(a) < 2 else a for a in tup], 1)


def append(arr: Any, values: Any, axis: int | None = None) -> Any:
    """``arr`` with ``values`` added at the end (both flattened if ``axis`` is None)."""
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], 0)
    return concatenate([arr, values], axis)


# -- splitting -------------------------------------------------------------------------------------


def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Any]:
    """Split into pieces along ``axis``: ``n`` pieces as equal as possible (the first ones one
    longer), or at the given indices."""
    length = np.shape(ary)[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        n = int(indices_or_sections)
        if n <= 0:
            raise ValueError("number sections must be larger than 0.")
        each, extra = divmod(length, n)
        bounds = np.cumsum([0] + extra * [each + 1] + (n - extra) * [each]).tolist()
    else:
        bounds = [0, *indices_or_sections, length]
    ndim = np.ndim(ary)
    return [getitem(ary, _along(axis, ndim, slice(start, stop)))
            for start, stop in zip(bounds[:-1], bounds[1:], strict=True)]


def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Any]:
    """Split into equal pieces along ``axis`` (an error if they cannot be equal), or at the
    given indices."""
    if isinstance(indices_or_sections, (int, np.integer)) and \
            np.shape(ary)[axis] % indices_or_sections:
        raise ValueError("array split does not result in an equal division")
    return array_split(ary, indices_or_sections, axis)


def _split_along(ary: Any, indices_or_sections: Any, axis: int, min_ndim: int, name: str) -> Any:
    if np.ndim(ary) < min_ndim:
        raise ValueError(f"{name} only works on arrays of {min_ndim} or more dimensions")
    return split(ary, indices_or_sections, axis)


def hsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """Split along axis 1 (axis 0 for 1-D arrays), as :func:`split` does."""
    return _split_along(ary, indices_or_sections, 1 if np.ndim(ary) > 1 else 0, 1, "hsplit")


def vsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """Split along axis 0 (arrays of 2 or more axes), as :func:`split` does."""
    return _split_along(ary, indices_or_sections, 0, 2, "vsplit")


def dsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """Split along axis 2 (arrays of 3 or more axes), as :func:`split` does."""
    return _split_along(ary, indices_or_sections, 2, 3, "dsplit")


# -- rearranging -----------------------------------------------------------------------------------


def swapaxes(a: Any, axis1: int, axis2: int) -> Any:
    """``a`` with the axes ``axis1`` and ``axis2`` interchanged."""
    axes = list(range(np.ndim(a)))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(a, tuple(axes))


def moveaxis(a: Any, source: Any, destination: Any) -> Any:
    """Move axes to new positions; the other axes keep their order."""
    ndim = np.ndim(a)
    source, destination = _axes(source, ndim), _axes(destination, ndim)
    if len(source) != len(destination):
        raise ValueError("`source` and `destination` arguments must have the same number of "
                         "elements")
    order = [n for n in range(ndim) if n not in source]
    for dest, src in sorted(zip(destination, source, strict=True)):
        order.insert(dest, src)
    return transpose(a, tuple(order))


def flip(m: Any, axis: Any = None) -> Any:
    """Reverse the order of entries along ``axis`` (all axes if None)."""
    ndim = np.ndim(m)
    axes = _axes(axis, ndim)
    return getitem(m, tuple(slice(None, None, -1) if d in axes else slice(None)
                            for d in range(ndim)))


def fliplr(m: Any) -> Any:
    """Reverse the order of the columns (axis 1) of an array of 2 or more axes."""
    if np.ndim(m) < 2:
        raise ValueError("Input must be >= 2-d.")
    return _flip(m, 1)


def flipud(m: Any) -> Any:
    """Reverse the order of the rows (axis 0)."""
    if np.ndim(m) < 1:
        raise ValueError("Input must be >= 1-d.")
    return _flip(m, 0)


def rot90(m: Any, k: int = 1, axes: Sequence[int] = (0, 1)) -> Any:
    """Rotate by 90° ``k`` times in the plane of ``axes``, from the first towards the second."""
    ndim = np.ndim(m)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    first, second = _axes(tuple(axes), ndim)
    if first == second:
        raise ValueError("Axes must be different.")
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return _flip(_flip(m, first), second)
    order = list(range(ndim))
    order[first], order[second] = order[second], order[first]
    if k == 1:
        return transpose(_flip(m, second), tuple(order))
    return _flip(transpose(m, tuple(order)), second)


def roll(a: Any, shift: Any, axis: Any = None) -> Any:
    """Shift entries along ``axis`` cyclically (of the flattened array if None)."""
    return _gather(a, np.roll(_positions(a), shift, axis))


def repeat(a: Any, repeats: Any, axis: int | None = None) -> Any:
    """Repeat each entry ``repeats`` times along ``axis`` (of the flattened array if None)."""
    if axis is None:
        a, axis = ravel(a), 0
    return take(a, np.repeat(np.arange(np.shape(a)[axis]), repeats), axis)


def tile(A: Any, reps: Any) -> Any:  # noqa: N803 (NumPy's name)
    """``A`` repeated ``reps`` times along each axis."""
    return _gather(A, np.tile(_positions(A), reps))


def take(a: Any, indices: Any, axis: int | None = None) -> Any:
    """The entries at ``indices`` along ``axis`` (of the flattened array if None)."""
    if isinstance(indices, Box):
        raise TypeError("take: indices must be integers, not a Tensor/Dual (an index has no "
                        "derivative; pass its .data or stop_gradient(indices)).")
    if axis is None:
        return getitem(ravel(a), np.asarray(indices))
    return getitem(a, _along(axis, np.ndim(a), np.asarray(indices)))


def take_along_axis(arr: Any, indices: Any, axis: int | None = -1) -> Any:
    """``np.take_along_axis`` as one integer-array index, so its VJP is a scatter-add."""
    indices = np.asarray(indices)
    if axis is None:
        return ravel(arr)[indices]
    shape = np.shape(arr)
    ax = _axes(axis, len(shape))[0]
    ndim = len(shape)
    index = tuple(
        indices if d == ax else np.arange(n).reshape([-1 if e == d else 1 for e in range(ndim)])
        for d, n in enumerate(shape)
    )
    return getitem(arr, index)


def sort(a: Any, axis: int | None = -1, kind: Any = None) -> Any:
    """Sorted along ``axis`` (the flattened array if None). The derivative moves each tangent
    with its entry; tied entries keep their order (a stable sort), as ``torch.sort``."""
    if axis is None:
        a, axis = ravel(a), -1
    return take_along_axis(a, np.argsort(primal(a), axis=axis, kind="stable"), axis)


def pad(array: Any, pad_width: Any, mode: str = "constant", **kwargs: Any) -> Any:
    """Pad with ``mode`` ``'constant'`` (``constant_values``, constants), ``'edge'``,
    ``'reflect'``, ``'symmetric'`` or ``'wrap'``: NumPy pads the positions, the result gathers
    them. Modes that compute new values (``'mean'``, ``'linear_ramp'``...) are not provided."""
    allowed = {"constant": {"constant_values"}, "edge": set(), "wrap": set(),
               "reflect": {"reflect_type"}, "symmetric": {"reflect_type"}}
    if mode not in allowed:
        raise ValueError(f"pad: mode {mode!r} is not differentiable here; use one of "
                         f"{sorted(allowed)}.")
    unknown = set(kwargs) - allowed[mode]
    if unknown:
        raise TypeError(f"pad with mode {mode!r} got unexpected keyword(s) {sorted(unknown)}.")
    if builtins.any(isinstance(v, Box) for v in kwargs.values()):
        raise TypeError("pad: constant_values must be constants, not a Tensor/Dual.")
    positions = _positions(array)
    if mode != "constant":
        # mode is one of NumPy's, checked above (the stubs want it as a literal)
        return _gather(array, np.pad(positions, pad_width, mode=mode, **kwargs))  # type: ignore[call-overload]
    padded = np.pad(positions, pad_width, constant_values=-1)
    fill = np.pad(np.zeros(np.shape(array), dtype=primal(array).dtype), pad_width, **kwargs)
    inside = padded >= 0
    return where(inside, _gather(array, np.where(inside, padded, 0)), fill)


# -- diagonals and triangles -----------------------------------------------------------------------


def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The diagonal entries ``a[i, i + offset]`` of the planes (axis1, axis2), on a new last
    axis."""
    ndim = np.ndim(a)
    if ndim < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    first, second = _axes((axis1, axis2), ndim)
    if first == second:
        raise ValueError("axis1 and axis2 cannot be the same")
    rest = [d for d in range(ndim) if d not in (first, second)]
    planes = transpose(a, tuple(rest) + (first, second))
    rows, cols = np.shape(a)[first], np.shape(a)[second]
    length = builtins.max(0, builtins.min(rows + builtins.min(offset, 0),
                                          cols - builtins.max(offset, 0)))
    i = np.arange(length)
    return getitem(planes, (..., i - builtins.min(offset, 0), i + builtins.max(offset, 0)))


def diag(v: Any, k: int = 0) -> Any:
    """For 1-D ``v``, the square matrix with ``v`` on its ``k``-th diagonal; for 2-D ``v``,
    its ``k``-th diagonal."""
    if np.ndim(v) == 2:
        return diagonal(v, k)
    if np.ndim(v) != 1:
        raise ValueError("Input must be 1- or 2-d.")
    n = np.shape(v)[0] + abs(k)
    i = np.arange(np.shape(v)[0])
    return scatter_add(v, (i + builtins.max(-k, 0), i + builtins.max(k, 0)), (n, n))


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """Sum along a diagonal: :math:`\\sum_i a_{i, i + \\mathrm{offset}}`."""
    return _sum(diagonal(a, offset, axis1, axis2), -1)


def tril(m: Any, k: int = 0) -> Any:
    """The lower triangle: entries on and below the ``k``-th diagonal, zeros above."""
    n_rows, n_cols = np.shape(m)[-2:]
    return where(np.tri(n_rows, n_cols, k=k, dtype=bool), m, 0)


def triu(m: Any, k: int = 0) -> Any:
    """The upper triangle: entries on and above the ``k``-th diagonal, zeros below."""
    n_rows, n_cols = np.shape(m)[-2:]
    return where(np.tri(n_rows, n_cols, k=k - 1, dtype=bool), 0, m)

