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

NumPy's own functions reach the same rules: ``np.exp(x)``, ``np.sum(x, axis=0)`` or
``np.tile(x, 2)`` on a Tensor or Dual dispatch here (NumPy's ``__array_ufunc__`` and
``__array_function__`` protocols, see :mod:`fromscratch.autodiff._dispatch`). The functions keep
NumPy's names and signatures; arguments that write in place (``out=``) are not supported.
Comparisons (``<``, ``==``...) are not differentiable and return plain boolean arrays, which is
what masks and ``where`` need.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

import numpy as np

import fromscratch.autodiff.manipulation as _manipulation
import fromscratch.autodiff.primitives.elementwise as _elementwise
import fromscratch.autodiff.primitives.linalg as _linalg
import fromscratch.autodiff.primitives.reductions as _reductions
import fromscratch.autodiff.primitives.shapes as _shapes
from fromscratch.autodiff._core import Box, primal, stop_gradient
from fromscratch.autodiff.manipulation import *  # noqa: F403
from fromscratch.autodiff.manipulation import concatenate, moveaxis, stack
from fromscratch.autodiff.primitives import (
    abs,
    broadcast_to,
    divide,
    getitem,
    matmul,
    max,
    min,
    multiply,
    norm2,
    remainder,
    reshape,
    subtract,
    sum,
    transpose,
    where,
)
from fromscratch.autodiff.primitives.elementwise import *  # noqa: F403
from fromscratch.autodiff.primitives.linalg import *  # noqa: F403
from fromscratch.autodiff.primitives.reductions import *  # noqa: F403
from fromscratch.autodiff.primitives.shapes import *  # noqa: F403
from fromscratch.autodiff.primitives.shapes import _along, _axes, _count
from fromscratch.autodiff.primitives.shapes import astype as _astype

# The table's families are star-imported one by one, not through the package, and __all__ is
# extended by their literal lists: the forms type checkers read to know what this module exports.
__all__: list[str] = []
__all__ += _elementwise.__all__
__all__ += _reductions.__all__
__all__ += _shapes.__all__
__all__ += _linalg.__all__
__all__ += _manipulation.__all__
__all__ += [
    "absolute", "amax", "amin", "astype", "cross", "diff", "dot", "inner", "kron", "linspace",
    "mean", "mod", "nan_to_num", "norm", "ones_like", "outer", "primal", "reciprocal", "select",
    "stop_gradient", "tensordot", "true_divide", "zeros_like",
]

absolute = abs
true_divide = divide
mod = remainder
amax = max
amin = min


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """:math:`\\frac{1}{n}\\sum_i x_i` over ``axis`` (all entries if None)."""
    return sum(x, axis, keepdims) / _count(np.shape(x), axis)


def reciprocal(x: Any) -> Any:
    """:math:`1/x`."""
    return divide(1, x)


def astype(x: Any, dtype: Any) -> Any:
    """``x`` as ``dtype``. Between float types the derivative passes through (cast back to
    ``x``'s dtype); an integer or boolean result is piecewise constant, so it is a constant
    (derivative 0, like ``floor``); complex results are not supported."""
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        raise TypeError("astype: complex dtypes are not supported on values being "
                        "differentiated (fromscratch.autodiff is real-valued).")
    if dtype.kind != "f":
        return primal(x).astype(dtype)
    return _astype(x, dtype)


def zeros_like(x: Any) -> np.ndarray:
    """Plain zeros with the shape and dtype of ``x`` (a constant: no derivative)."""
    return np.zeros(np.shape(x), dtype=primal(x).dtype)


def ones_like(x: Any) -> np.ndarray:
    """Plain ones with the shape and dtype of ``x`` (a constant: no derivative)."""
    return np.ones(np.shape(x), dtype=primal(x).dtype)


# -- products --------------------------------------------------------------------------------------


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
            f"{np.shape(b)}. Use matmul (the @ operator) for stacks of matrices, or tensordot."
        )
    return matmul(a, b)


def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Sum of products over ``axes``: the last ``axes`` axes of ``a`` with the first of ``b``
    (an int), or the listed pairs (a pair of sequences). As NumPy computes it: the summed axes
    are moved together, both operands reshaped to matrices, and one ``matmul`` does the rest."""
    axes_a: list[Any]
    axes_b: list[Any]
    if isinstance(axes, (int, np.integer)):
        axes_a, axes_b = list(range(-int(axes), 0)), list(range(int(axes)))
    else:
        axes_a, axes_b = ([ax] if isinstance(ax, (int, np.integer)) else list(ax)
                          for ax in axes)
    shape_a, shape_b = np.shape(a), np.shape(b)
    axes_a = [ax % len(shape_a) for ax in axes_a]
    axes_b = [ax % len(shape_b) for ax in axes_b]
    if len(axes_a) != len(axes_b) or builtins.any(
            shape_a[i] != shape_b[j] for i, j in zip(axes_a, axes_b, strict=True)):
        raise ValueError("shape-mismatch for sum")
    free_a = [i for i in range(len(shape_a)) if i not in axes_a]
    free_b = [j for j in range(len(shape_b)) if j not in axes_b]
    summed = int(np.prod([shape_a[i] for i in axes_a]))
    A = reshape(transpose(a, tuple(free_a + axes_a)), (-1, summed))
    B = reshape(transpose(b, tuple(axes_b + free_b)), (summed, -1))
    return reshape(A @ B, tuple(shape_a[i] for i in free_a) + tuple(shape_b[j] for j in free_b))


def inner(a: Any, b: Any) -> Any:
    """Sum of products over the last axes: :math:`\\sum_k a_{\\dots k} b_{\\dots k}`."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return multiply(a, b)
    return tensordot(a, b, ([-1], [-1]))


def kron(a: Any, b: Any) -> Any:
    """Kronecker product: block :math:`(i, j)` is :math:`a_{ij} b`. Every axis of ``a`` is
    interleaved with the same axis of ``b`` by broadcasting, then each pair is merged."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return multiply(a, b)
    ndim = builtins.max(np.ndim(a), np.ndim(b))
    shape_a = (1,) * (ndim - np.ndim(a)) + np.shape(a)
    shape_b = (1,) * (ndim - np.ndim(b)) + np.shape(b)
    a_pairs = reshape(a, tuple(s for n in shape_a for s in (n, 1)))
    b_pairs = reshape(b, tuple(s for n in shape_b for s in (1, n)))
    return reshape(a_pairs * b_pairs, tuple(m * n for m, n in zip(shape_a, shape_b,
                                                                  strict=True)))


def cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Any:
    """Cross product of 3-vectors (or 2-vectors, with z = 0) along ``axisa``/``axisb``:
    :math:`c = (a_1 b_2 - a_2 b_1,\\; a_2 b_0 - a_0 b_2,\\; a_0 b_1 - a_1 b_0)`. Two 2-vectors
    give the z component only."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    if np.shape(a)[-1] not in (2, 3) or np.shape(b)[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")

    def part(v: Any, k: int) -> Any:
        return getitem(v, (..., k)) if k < np.shape(v)[-1] else 0.0

    a0, a1, a2 = (part(a, k) for k in range(3))
    b0, b1, b2 = (part(b, k) for k in range(3))
    z = a0 * b1 - a1 * b0
    if np.shape(a)[-1] == np.shape(b)[-1] == 2:
        return z
    shape = np.broadcast_shapes(np.shape(a)[:-1], np.shape(b)[:-1])
    c = stack([broadcast_to(v, shape) for v in (a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, z)], -1)
    return moveaxis(c, -1, axisc)


# -- differences, selections, sequences ------------------------------------------------------------


def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Any:
    """The ``n``-th differences :math:`x_{i+1} - x_i` along ``axis``, after joining ``prepend``
    and ``append`` (a scalar is broadcast to one slice)."""
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n!r}")
    if np.ndim(a) == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    ax = _axes(axis, np.ndim(a))[0]
    pieces = []
    for extra in (prepend, a, append):
        if extra is None:
            continue
        if np.ndim(extra) == 0:
            shape = list(np.shape(a))
            shape[ax] = 1
            extra = broadcast_to(extra, tuple(shape))
        pieces.append(extra)
    a = concatenate(pieces, ax) if len(pieces) > 1 else a
    for _ in range(n):
        length = np.shape(a)[ax]
        a = getitem(a, _along(ax, np.ndim(a), slice(1, length))) - \
            getitem(a, _along(ax, np.ndim(a), slice(0, length - 1)))
    return a


def select(condlist: Any, choicelist: Any, default: Any = 0) -> Any:
    """The entry of the first choice whose condition holds, else ``default``: nested
    ``where``, so the derivative flows into the choice that was taken."""
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    out = default
    for k in reversed(range(len(condlist))):
        condition = np.asarray(primal(condlist[k]))
        if condition.dtype != bool:
            raise TypeError(f"invalid entry {k} in condlist: should be boolean ndarray")
        out = where(condition, choicelist[k], out)
    return out


def nan_to_num(x: Any, copy: bool = True, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Any:
    """NaN and ±inf replaced by finite constants; the derivative is 1 where ``x`` is finite and
    0 where a constant was put in."""
    value = np.nan_to_num(primal(x), nan=nan, posinf=posinf, neginf=neginf)
    if not isinstance(x, Box):
        return value
    return where(np.isfinite(primal(x)), x, value)


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Any = None, axis: int = 0) -> Any:
    """``num`` evenly spaced values from ``start`` to ``stop``, differentiable in both ends:
    :math:`y_k = \\mathrm{start} + k\\,\\frac{\\mathrm{stop} - \\mathrm{start}}{d}` with
    :math:`d = \\mathrm{num} - 1` (or ``num`` without the endpoint), and the last value exactly
    ``stop``, as NumPy computes it."""
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    div = num - 1 if endpoint else num
    shape = np.broadcast_shapes(np.shape(start), np.shape(stop))
    kind = np.result_type(primal(start), primal(stop), float(num))
    k = np.arange(num, dtype=kind).reshape((num,) + (1,) * len(shape))
    delta = subtract(stop, start)
    step = delta / div if div > 0 else delta * np.nan
    y = k * step + start if div > 0 else k * delta + start
    if endpoint and num > 1:
        last = reshape(broadcast_to(stop, shape), (1,) + shape)
        y = concatenate([getitem(y, slice(0, num - 1)), last], 0)
    y = moveaxis(y, 0, axis) if shape else y
    if dtype is not None:
        y = astype(y, dtype)
    return (y, step) if retstep else y


# -- norms -----------------------------------------------------------------------------------------


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

