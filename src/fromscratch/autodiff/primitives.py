"""THE table: every differentiable primitive with its NumPy function, JVP rule and VJP rule.

Each entry reads left to right as *what it computes*, *how a tangent moves forward*, *how a
cotangent moves back*. With :math:`y = f(x)`, tangent :math:`t = \\dot x` and cotangent
:math:`g = \\bar y`:

.. math::

    \\dot y = f'(x)\\,\\dot x \\qquad\\qquad \\bar x = \\bar y\\, f'(x)

so for an elementwise function both rules multiply by the same derivative (``exp``: by ``ans``),
and for a linear map the JVP applies the map and the VJP applies its transpose (``sum``:
sum the tangent / broadcast the cotangent back).

The rules call the primitives of this table, never raw NumPy on their inputs, so they can be
differentiated again (``grad(grad(f))``, Hessians). Masks that are constant almost everywhere
(``x > 0`` for ``relu``) are plain boolean arrays: comparing boxes gives an ndarray.

Broadcasting is done once, by the engine: a VJP may return an array of the broadcast shape and
the engine sums it back with :func:`sum_to`; a JVP may return a smaller tangent and the engine
broadcasts it with :func:`broadcast_to`.

Subgradients at non-differentiable points are chosen so nothing is NaN:

* ``abs``, ``sign``, ``relu``, ``clip`` at a kink: 0 for abs/sign/relu (PyTorch's choice), 1 on
  the closed interval for clip (also PyTorch's).
* ``maximum``/``minimum`` at a tie: the cotangent is split half and half; ``max``/``min``
  reductions share it evenly among all tied maximisers (as ``torch.amax``).
* ``norm`` at 0 and ``std`` of a constant: 0 (a valid subgradient: 0 lies in the unit ball).
* ``power``: :math:`\\partial x^y / \\partial x = 0` where :math:`y = 0`;
  :math:`\\partial x^y/\\partial y = x^y \\log x` for :math:`x > 0` and 0 otherwise.
* ``sqrt`` at 0 keeps its true derivative, :math:`+\\infty`; use ``norm`` for
  :math:`\\sqrt{\\sum x^2}`.

Adding a primitive: construct a :class:`Primitive` in the same way, anywhere (see its docstring).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch.autodiff._core import Primitive, per_argument, primal

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


def _keep(v: Any, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Any:
    """Give a reduced value its reduced axes back (length 1), so it broadcasts against x."""
    return v if keepdims else reshape(v, _keepdims_shape(shape, axis))


def _expand(g: Any, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Any:
    """The VJP of a sum: every element receives the cotangent of its slice."""
    return broadcast_to(_keep(g, shape, axis, keepdims), shape)


def _zeros(v: Any) -> np.ndarray:
    return np.zeros(np.shape(v), dtype=primal(v).dtype)


def _nonzero(v: Any) -> Any:
    """``v`` with zeros replaced by ones: the safe denominator for subgradients at 0."""
    return where(v == 0, 1, v)


def _mT(x: Any) -> Any:
    """Swap the last two axes (the matrix transpose of a stack of matrices)."""
    axes = list(range(np.ndim(x)))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return transpose(x, tuple(axes))


def _flip(v: Any, axis: int) -> Any:
    ax = _axes(axis, np.ndim(v))[0]
    return getitem(v, (slice(None),) * ax + (slice(None, None, -1),))


# -- NumPy implementations that need more than one NumPy call --------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """:math:`\\sigma(x) = 1/(1+e^{-x})`, computed with :math:`e^{-|x|} \\le 1` only, so it
    never overflows: :math:`\\sigma(x) = 1/(1+e^{-|x|})` for :math:`x \\ge 0` and
    :math:`e^{-|x|}/(1+e^{-|x|})` for :math:`x < 0`."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1, e) / (1 + e)


def _softplus(x: np.ndarray) -> np.ndarray:
    """:math:`\\log(1+e^x) = \\max(x, 0) + \\log(1 + e^{-|x|})`, finite for any finite x."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _logsumexp(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    """:math:`\\log\\sum_i e^{x_i} = m + \\log\\sum_i e^{x_i - m}` with :math:`m = \\max_i x_i`,
    so the largest exponent is :math:`e^0 = 1`: no overflow, no ``log(0)``."""
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)  # a slice of -inf must give -inf, not inf - inf = nan
    with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer for an all -inf slice
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _softmax(x: np.ndarray, axis: Any = -1) -> np.ndarray:
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x: np.ndarray, axis: Any = -1) -> np.ndarray:
    return x - _logsumexp(x, axis=axis, keepdims=True)


def _norm2(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    return np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims))


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


def _concatenate(*arrays: np.ndarray, axis: int = 0) -> np.ndarray:
    return np.concatenate(arrays, axis=axis)


def _piece(arrays: tuple, i: int, axis: int) -> tuple:
    """The index of input ``i`` inside ``concatenate(arrays, axis)``."""
    ndim = np.ndim(arrays[0])
    ax = _axes(axis, ndim)[0]
    start = sum_of_sizes = 0
    for j, a in enumerate(arrays):
        if j == i:
            start = sum_of_sizes
        sum_of_sizes += np.shape(a)[ax]
    return (slice(None),) * ax + (slice(start, start + np.shape(arrays[i])[ax]),)


def _reduction(np_fun: Any) -> Any:
    """NumPy reductions take ``dtype`` third; ours take ``keepdims`` (and ``ddof``) by name."""

    def fun(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        return np_fun(x, axis=axis, keepdims=keepdims)

    fun.__doc__ = np_fun.__doc__
    return fun


def _var(x: np.ndarray, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> np.ndarray:
    return np.var(x, axis=axis, ddof=ddof, keepdims=keepdims)


def _std(x: np.ndarray, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> np.ndarray:
    return np.std(x, axis=axis, ddof=ddof, keepdims=keepdims)


# -- derivative helpers shared by several rules --------------------------------------------------


def _ties(x: Any, y: Any) -> np.ndarray:
    """Weight of x in maximum(x, y): 1 where x wins, 1/2 at a tie, 0 where y wins."""
    xv, yv = primal(x), primal(y)
    return ((xv > yv) + 0.5 * (xv == yv)).astype(np.result_type(xv, yv))


def _argmax_weights(x: Any, ans: Any, axis: Any, keepdims: bool) -> np.ndarray:
    """1/k on each of the k elements equal to their slice's max (or min), 0 elsewhere."""
    xv = primal(x)
    hit = xv == np.reshape(primal(ans), _keepdims_shape(xv.shape, axis))
    return (hit / hit.sum(axis=axis, keepdims=True)).astype(xv.dtype)


def _inside(x: Any, a_min: Any, a_max: Any) -> np.ndarray:
    """1 where clip passes x through (the closed interval, as PyTorch), else 0."""
    xv = primal(x)
    mask = np.ones(xv.shape, dtype=bool)
    if a_min is not None:
        mask &= xv >= a_min
    if a_max is not None:
        mask &= xv <= a_max
    return mask


def _pow_dx(x: Any, y: Any) -> Any:
    """:math:`\\partial x^y/\\partial x = y\\,x^{y-1}`, and 0 where y = 0 (x**0 is constant)."""
    if isinstance(y, (int, float)) and y != 0:
        return y * x ** (y - 1)
    return where(y == 0, 0, y * x ** where(y == 0, 1, y - 1))


def _pow_dy(x: Any, ans: Any) -> Any:
    """:math:`\\partial x^y/\\partial y = x^y \\log x` for x > 0; 0 where x ≤ 0 (not real)."""
    if isinstance(x, (int, float)):  # a Python base (2 ** x): keep it a weak scalar
        return ans * (math.log(x) if x > 0 else 0.0)
    positive = primal(x) > 0
    return ans * log(where(positive, x, 1)) * positive


def _dvar(x: Any, axis: Any, ddof: int) -> Any:
    """:math:`\\partial\\,\\mathrm{var}/\\partial x_i = 2 (x_i - \\bar x)/(n - \\mathrm{ddof})`."""
    n = _count(np.shape(x), axis)
    return 2 * (x - sum(x, axis, True) / n) / (n - ddof)


def _prod_others(x: Any, ans: Any, axis: Any, keepdims: bool) -> Any:
    """:math:`\\prod_{j \\ne i} x_j` within each slice, correct when some :math:`x_j = 0`.

    Away from zeros this is ``ans / x``. With exactly one zero in a slice, the zero's entry is
    the product of the others and all other entries are 0; with two or more zeros, all are 0.
    """
    zero = primal(x) == 0
    single_zero = zero.sum(axis=axis, keepdims=True) == 1
    safe_x = where(zero, 1, x)
    product_of_nonzeros = prod(safe_x, axis, True)
    ans_k = _keep(ans, np.shape(x), axis, keepdims)
    return where(zero, where(single_zero, product_of_nonzeros, 0), ans_k / safe_x)


def _matmul_vjp_a(g: Any, ans: Any, a: Any, b: Any) -> Any:
    """:math:`\\bar A = \\bar C B^\\top`, with 1-D operands promoted as ``np.matmul`` does."""
    if np.ndim(b) == 1:
        return g * b if np.ndim(a) == 1 else expand_dims(g, -1) * b
    if np.ndim(a) == 1:
        return squeeze(expand_dims(g, -2) @ _mT(b), -2)
    return g @ _mT(b)


def _matmul_vjp_b(g: Any, ans: Any, a: Any, b: Any) -> Any:
    """:math:`\\bar B = A^\\top \\bar C`, with 1-D operands promoted as ``np.matmul`` does."""
    if np.ndim(a) == 1:
        return g * a if np.ndim(b) == 1 else expand_dims(a, -1) * expand_dims(g, -2)
    if np.ndim(b) == 1:
        return squeeze(_mT(a) @ expand_dims(g, -1), -1)
    return _mT(a) @ g


def _inverse_axes(axes: Any, ndim: int) -> Any:
    return None if axes is None else tuple(np.argsort(_axes(tuple(axes), ndim)).tolist())


def _cumsum_vjp(g: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    """Each x_i feeds every y_j with j ≥ i, so its adjoint is a cumulative sum from the end."""
    if axis is None:
        return reshape(_flip(cumsum(_flip(g, 0), 0), 0), np.shape(x))
    return _flip(cumsum(_flip(g, axis), axis), axis)


# ==== THE TABLE ===================================================================================
# name = Primitive("name", numpy implementation,
#     jvp=forward rule(s):  tangent t of an input -> tangent of the output,
#     vjp=reverse rule(s):  cotangent g of the output -> cotangent of an input)

# -- arithmetic ------------------------------------------------------------------------------------
negative = Primitive("negative", np.negative,
    jvp=lambda t, ans, x: -t,
    vjp=lambda g, ans, x: -g)
add = Primitive("add", np.add,
    jvp=(lambda t, ans, x, y: t, lambda t, ans, x, y: t),
    vjp=(lambda g, ans, x, y: g, lambda g, ans, x, y: g))
subtract = Primitive("subtract", np.subtract,
    jvp=(lambda t, ans, x, y: t, lambda t, ans, x, y: -t),
    vjp=(lambda g, ans, x, y: g, lambda g, ans, x, y: -g))
multiply = Primitive("multiply", np.multiply,
    jvp=(lambda t, ans, x, y: t * y, lambda t, ans, x, y: x * t),
    vjp=(lambda g, ans, x, y: g * y, lambda g, ans, x, y: x * g))
divide = Primitive("divide", np.divide,
    jvp=(lambda t, ans, x, y: t / y, lambda t, ans, x, y: -t * ans / y),
    vjp=(lambda g, ans, x, y: g / y, lambda g, ans, x, y: -g * ans / y))
power = Primitive("power", np.power,
    jvp=(lambda t, ans, x, y: t * _pow_dx(x, y), lambda t, ans, x, y: t * _pow_dy(x, ans)),
    vjp=(lambda g, ans, x, y: g * _pow_dx(x, y), lambda g, ans, x, y: g * _pow_dy(x, ans)))
maximum = Primitive("maximum", np.maximum,
    jvp=(lambda t, ans, x, y: t * _ties(x, y), lambda t, ans, x, y: t * _ties(y, x)),
    vjp=(lambda g, ans, x, y: g * _ties(x, y), lambda g, ans, x, y: g * _ties(y, x)))
minimum = Primitive("minimum", np.minimum,
    jvp=(lambda t, ans, x, y: t * _ties(y, x), lambda t, ans, x, y: t * _ties(x, y)),
    vjp=(lambda g, ans, x, y: g * _ties(y, x), lambda g, ans, x, y: g * _ties(x, y)))
where = Primitive("where", np.where,
    jvp=(None, lambda t, ans, c, x, y: where(c, t, 0), lambda t, ans, c, x, y: where(c, 0, t)),
    vjp=(None, lambda g, ans, c, x, y: where(c, g, 0), lambda g, ans, c, x, y: where(c, 0, g)))
clip = Primitive("clip", np.clip,
    jvp=lambda t, ans, x, a_min, a_max: t * _inside(x, a_min, a_max),
    vjp=lambda g, ans, x, a_min, a_max: g * _inside(x, a_min, a_max))

# -- elementwise functions -------------------------------------------------------------------------
exp = Primitive("exp", np.exp,
    jvp=lambda t, ans, x: t * ans,
    vjp=lambda g, ans, x: g * ans)
log = Primitive("log", np.log,
    jvp=lambda t, ans, x: t / x,
    vjp=lambda g, ans, x: g / x)
log1p = Primitive("log1p", np.log1p,
    jvp=lambda t, ans, x: t / (1 + x),
    vjp=lambda g, ans, x: g / (1 + x))
expm1 = Primitive("expm1", np.expm1,
    jvp=lambda t, ans, x: t * (ans + 1),
    vjp=lambda g, ans, x: g * (ans + 1))
sqrt = Primitive("sqrt", np.sqrt,
    jvp=lambda t, ans, x: t / (2 * ans),
    vjp=lambda g, ans, x: g / (2 * ans))
square = Primitive("square", np.square,
    jvp=lambda t, ans, x: t * 2 * x,
    vjp=lambda g, ans, x: g * 2 * x)
abs = Primitive("abs", np.abs,  # noqa: A001 (the NumPy name)
    jvp=lambda t, ans, x: t * sign(x),
    vjp=lambda g, ans, x: g * sign(x))
sign = Primitive("sign", np.sign,
    jvp=lambda t, ans, x: _zeros(ans),
    vjp=lambda g, ans, x: _zeros(x))
sin = Primitive("sin", np.sin,
    jvp=lambda t, ans, x: t * cos(x),
    vjp=lambda g, ans, x: g * cos(x))
cos = Primitive("cos", np.cos,
    jvp=lambda t, ans, x: -t * sin(x),
    vjp=lambda g, ans, x: -g * sin(x))
tan = Primitive("tan", np.tan,
    jvp=lambda t, ans, x: t * (1 + ans * ans),
    vjp=lambda g, ans, x: g * (1 + ans * ans))
arctan = Primitive("arctan", np.arctan,
    jvp=lambda t, ans, x: t / (1 + x * x),
    vjp=lambda g, ans, x: g / (1 + x * x))
sinh = Primitive("sinh", np.sinh,
    jvp=lambda t, ans, x: t * cosh(x),
    vjp=lambda g, ans, x: g * cosh(x))
cosh = Primitive("cosh", np.cosh,
    jvp=lambda t, ans, x: t * sinh(x),
    vjp=lambda g, ans, x: g * sinh(x))
tanh = Primitive("tanh", np.tanh,
    jvp=lambda t, ans, x: t * (1 - ans * ans),
    vjp=lambda g, ans, x: g * (1 - ans * ans))
sigmoid = Primitive("sigmoid", _sigmoid,  # σ' = σ(x) σ(-x): 1 - σ(x) would cancel for x >> 0
    jvp=lambda t, ans, x: t * ans * sigmoid(-x),
    vjp=lambda g, ans, x: g * ans * sigmoid(-x))
relu = Primitive("relu", lambda x: np.maximum(x, 0),
    jvp=lambda t, ans, x: t * (x > 0),
    vjp=lambda g, ans, x: g * (x > 0), doc="max(x, 0); derivative 0 at x = 0.")
softplus = Primitive("softplus", _softplus,
    jvp=lambda t, ans, x: t * sigmoid(x),
    vjp=lambda g, ans, x: g * sigmoid(x))

# -- reductions ------------------------------------------------------------------------------------
sum = Primitive("sum", _reduction(np.sum),  # noqa: A001
    jvp=lambda t, ans, x, axis=None, keepdims=False: sum(t, axis, keepdims),
    vjp=lambda g, ans, x, axis=None, keepdims=False: _expand(g, np.shape(x), axis, keepdims))
max = Primitive("max", _reduction(np.max),  # noqa: A001
    jvp=lambda t, ans, x, axis=None, keepdims=False:
        sum(t * _argmax_weights(x, ans, axis, keepdims), axis, keepdims),
    vjp=lambda g, ans, x, axis=None, keepdims=False:
        _keep(g, np.shape(x), axis, keepdims) * _argmax_weights(x, ans, axis, keepdims))
min = Primitive("min", _reduction(np.min),  # noqa: A001
    jvp=lambda t, ans, x, axis=None, keepdims=False:
        sum(t * _argmax_weights(x, ans, axis, keepdims), axis, keepdims),
    vjp=lambda g, ans, x, axis=None, keepdims=False:
        _keep(g, np.shape(x), axis, keepdims) * _argmax_weights(x, ans, axis, keepdims))
prod = Primitive("prod", _reduction(np.prod),
    jvp=lambda t, ans, x, axis=None, keepdims=False:
        sum(t * _prod_others(x, ans, axis, keepdims), axis, keepdims),
    vjp=lambda g, ans, x, axis=None, keepdims=False:
        _keep(g, np.shape(x), axis, keepdims) * _prod_others(x, ans, axis, keepdims))
var = Primitive("var", _var,
    jvp=lambda t, ans, x, axis=None, ddof=0, keepdims=False:
        sum(t * _dvar(x, axis, ddof), axis, keepdims),
    vjp=lambda g, ans, x, axis=None, ddof=0, keepdims=False:
        _keep(g, np.shape(x), axis, keepdims) * _dvar(x, axis, ddof))
std = Primitive("std", _std,  # d std = d var / (2 std), taken as 0 where std = 0
    jvp=lambda t, ans, x, axis=None, ddof=0, keepdims=False:
        sum(t * _dvar(x, axis, ddof), axis, keepdims) / (2 * _nonzero(ans)),
    vjp=lambda g, ans, x, axis=None, ddof=0, keepdims=False:
        _keep(g / (2 * _nonzero(ans)), np.shape(x), axis, keepdims) * _dvar(x, axis, ddof))
cumsum = Primitive("cumsum", lambda x, axis=None: np.cumsum(x, axis=axis),
    jvp=lambda t, ans, x, axis=None: cumsum(t, axis),
    vjp=_cumsum_vjp, doc="Cumulative sum along axis (of the flattened array if axis is None).")
logsumexp = Primitive("logsumexp", _logsumexp,
    jvp=lambda t, ans, x, axis=None, keepdims=False:
        sum(t * exp(x - _keep(ans, np.shape(x), axis, keepdims)), axis, keepdims),
    vjp=lambda g, ans, x, axis=None, keepdims=False:
        _keep(g, np.shape(x), axis, keepdims) * exp(x - _keep(ans, np.shape(x), axis, keepdims)))
softmax = Primitive("softmax", _softmax,  # the full Jacobian diag(s) - s s^T, never its diagonal
    jvp=lambda t, ans, x, axis=-1: ans * (t - sum(ans * t, axis, True)),
    vjp=lambda g, ans, x, axis=-1: ans * (g - sum(ans * g, axis, True)))
log_softmax = Primitive("log_softmax", _log_softmax,
    jvp=lambda t, ans, x, axis=-1: t - sum(exp(ans) * t, axis, True),
    vjp=lambda g, ans, x, axis=-1: g - exp(ans) * sum(g, axis, True))
norm2 = Primitive("norm2", _norm2,  # x / ||x||, taken as 0 at x = 0
    jvp=lambda t, ans, x, axis=None, keepdims=False:
        sum(t * x, axis, keepdims) / _nonzero(ans),
    vjp=lambda g, ans, x, axis=None, keepdims=False:
        _keep(g / _nonzero(ans), np.shape(x), axis, keepdims) * x,
    doc="Euclidean norm sqrt(sum(x**2)) over axis (all entries if None).")

# -- linear algebra and shapes ---------------------------------------------------------------------
matmul = Primitive("matmul", np.matmul,
    jvp=(lambda t, ans, a, b: t @ b, lambda t, ans, a, b: a @ t),
    vjp=(_matmul_vjp_a, _matmul_vjp_b))
transpose = Primitive("transpose", np.transpose,
    jvp=lambda t, ans, x, axes=None: transpose(t, axes),
    vjp=lambda g, ans, x, axes=None: transpose(g, _inverse_axes(axes, np.ndim(x))))
reshape = Primitive("reshape", np.reshape,
    jvp=lambda t, ans, x, shape: reshape(t, shape),
    vjp=lambda g, ans, x, shape: reshape(g, np.shape(x)))
expand_dims = Primitive("expand_dims", np.expand_dims,
    jvp=lambda t, ans, x, axis: expand_dims(t, axis),
    vjp=lambda g, ans, x, axis: reshape(g, np.shape(x)))
squeeze = Primitive("squeeze", np.squeeze,
    jvp=lambda t, ans, x, axis=None: squeeze(t, axis),
    vjp=lambda g, ans, x, axis=None: reshape(g, np.shape(x)))
broadcast_to = Primitive("broadcast_to", np.broadcast_to,
    jvp=lambda t, ans, x, shape: broadcast_to(t, shape),
    vjp=lambda g, ans, x, shape: sum_to(g, np.shape(x)))
sum_to = Primitive("sum_to", _sum_to,  # the adjoint of broadcasting: "unbroadcast"
    jvp=lambda t, ans, x, shape: sum_to(t, shape),
    vjp=lambda g, ans, x, shape: broadcast_to(g, np.shape(x)))
getitem = Primitive("getitem", lambda x, index: x[index],
    jvp=lambda t, ans, x, index: getitem(t, index),
    vjp=lambda g, ans, x, index: scatter_add(g, index, np.shape(x)), doc="x[index]")
scatter_add = Primitive("scatter_add", _scatter_add,  # the adjoint of getitem
    jvp=lambda t, ans, g, index, shape: scatter_add(t, index, shape),
    vjp=lambda g, ans, x, index, shape: getitem(g, index))
concatenate = Primitive("concatenate", _concatenate,
    jvp=per_argument(lambda i, t, ans, *xs, axis=0:
        scatter_add(t, _piece(xs, i, axis), np.shape(ans))),
    vjp=per_argument(lambda i, g, ans, *xs, axis=0: getitem(g, _piece(xs, i, axis))),
    doc="concatenate(x_0, x_1, ..., axis=0): the inputs as separate arguments.")
