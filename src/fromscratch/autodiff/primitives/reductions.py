"""The table, reductions family: sums, extrema, products, moments, cumulative sums and the
softmax family.

A reduction :math:`y = \\sum_{i \\in \\text{slice}} x_i` sums the tangent over the slice (JVP)
and hands every element of the slice its output's cotangent (VJP, a broadcast); the other
reductions weight those two moves by their derivative (``max``: the arg-max indicator,
``prod``: the product of the others, ``var``: :math:`2(x_i - \\bar x)/(n - \\mathrm{ddof})`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch.autodiff._core import Box, Primitive, primal
from fromscratch.autodiff.primitives.elementwise import _nonzero, exp
from fromscratch.autodiff.primitives.shapes import (
    _along,
    _axes,
    _count,
    _flip,
    _inverse_axes,
    _keepdims_shape,
    broadcast_to,
    concatenate,
    getitem,
    reshape,
    transpose,
)

__all__ = ["cumprod", "cumsum", "log_softmax", "logsumexp", "max", "min", "norm2", "prod",
           "softmax", "std", "sum", "var"]

# -- NumPy implementations that need more than one NumPy call --------------------------------------


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


def _logsumexp(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    """:math:`\\log\\sum_i e^{x_i} = m + \\log\\sum_i e^{x_i - m}` with :math:`m = \\max_i x_i`,
    so the largest exponent is :math:`e^0 = 1`: no overflow, no ``log(0)``."""
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)  # a slice of -inf must give -inf, not inf - inf = nan
    with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer for an all -inf slice
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _softmax(x: np.ndarray, axis: Any = -1) -> np.ndarray:
    r"""Softmax along ``axis``, :math:`s_i = e^{x_i - m} / \sum_j e^{x_j - m}` with
    :math:`m = \max_j x_j` (the shift changes nothing but keeps the exponentials finite)."""
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x: np.ndarray, axis: Any = -1) -> np.ndarray:
    r"""Log-softmax along ``axis``, :math:`x_i - \log \sum_j e^{x_j}`, through ``logsumexp``
    (never the logarithm of a softmax that underflowed to 0)."""
    return x - _logsumexp(x, axis=axis, keepdims=True)


def _norm2(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    return np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims))


# -- cumulative products: a composition, exact at zeros --------------------------------------------


def cumprod(a: Any, axis: int | None = None) -> Any:
    """Cumulative product along ``axis`` (of the flattened array if None).

    On plain arrays this is ``np.cumprod``. On values being differentiated it is a scan by
    doubling (Hillis & Steele, 1986): after the step with shift :math:`s`,
    :math:`y_i = \\prod_{i - 2s < j \\le i} x_j`, so :math:`\\lceil \\log_2 n \\rceil` steps of
    one multiplication each give every prefix product. It never divides, so it is exact where
    some :math:`x_j = 0`, and its derivatives of every order are those of ``multiply``.
    """
    if not isinstance(a, Box):
        return np.cumprod(a, axis=axis)
    if axis is None:
        a, axis = reshape(a, (-1,)), 0
    ndim, n = np.ndim(a), np.shape(a)[axis]
    y, shift = a, 1
    while shift < n:
        head = getitem(y, _along(axis, ndim, slice(0, shift)))
        tail = getitem(y, _along(axis, ndim, slice(shift, n))) * \
            getitem(y, _along(axis, ndim, slice(0, n - shift)))
        y = concatenate(head, tail, axis=axis)
        shift *= 2
    return y


def _exclusive_products(v: Any) -> Any:
    """:math:`(\\prod_{j < i} v_j)(\\prod_{j > i} v_j)` along the last axis, from two inclusive
    prefix products (forwards and backwards) shifted by one place."""
    n = np.shape(v)[-1]
    one = np.ones(np.shape(v)[:-1] + (1,), dtype=primal(v).dtype)

    def before(w: Any) -> Any:
        return concatenate(one, getitem(cumprod(w, -1), (..., slice(0, n - 1))), axis=-1)

    return before(v) * _flip(before(_flip(v, -1)), -1)


# -- derivative helpers shared by several rules --------------------------------------------------


def _keep(v: Any, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Any:
    """Give a reduced value its reduced axes back (length 1), so it broadcasts against x."""
    return v if keepdims else reshape(v, _keepdims_shape(shape, axis))


def _expand(g: Any, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Any:
    """The VJP of a sum: every element receives the cotangent of its slice."""
    return broadcast_to(_keep(g, shape, axis, keepdims), shape)


def _argmax_weights(x: Any, ans: Any, axis: Any, keepdims: bool) -> np.ndarray:
    """1/k on each of the k elements equal to their slice's max (or min), 0 elsewhere."""
    xv = primal(x)
    hit = xv == np.reshape(primal(ans), _keepdims_shape(xv.shape, axis))
    return (hit / hit.sum(axis=axis, keepdims=True)).astype(xv.dtype)


def _dvar(x: Any, axis: Any, ddof: int) -> Any:
    """:math:`\\partial\\,\\mathrm{var}/\\partial x_i = 2 (x_i - \\bar x)/(n - \\mathrm{ddof})`."""
    n = _count(np.shape(x), axis)
    return 2 * (x - sum(x, axis, True) / n) / (n - ddof)


def _prod_others(x: Any, ans: Any, axis: Any, keepdims: bool) -> Any:
    """:math:`\\prod_{j \\ne i} x_j` within each slice: the gradient of ``prod``.

    Away from zeros this is ``ans / x``. Where a slice holds zeros, division is impossible, and
    so is any shortcut that makes entries constant: with zeros at :math:`i` and :math:`k`, the
    entry :math:`i` is 0 but its derivative in :math:`x_k` is not, and Hessians need it. There
    the reduced axes are moved last and the product of the others is formed as the product of
    everything before :math:`i` times everything after it, without dividing.
    """
    if not np.any(primal(x) == 0):
        return _keep(ans, np.shape(x), axis, keepdims) / x
    shape = np.shape(x)
    reduced = _axes(axis, len(shape))
    kept = tuple(i for i in range(len(shape)) if i not in reduced)
    order = kept + reduced
    rows = reshape(transpose(x, order), tuple(shape[i] for i in kept) + (_count(shape, axis),))
    others = reshape(_exclusive_products(rows), tuple(shape[i] for i in order))
    return transpose(others, _inverse_axes(order, len(shape)))


def _cumsum_vjp(g: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    """Each x_i feeds every y_j with j ≥ i, so its adjoint is a cumulative sum from the end."""
    if axis is None:
        return reshape(_flip(cumsum(_flip(g, 0), 0), 0), np.shape(x))
    return _flip(cumsum(_flip(g, axis), axis), axis)


# ==== THE TABLE: reductions =======================================================================

sum: Primitive = Primitive("sum", _reduction(np.sum),  # noqa: A001
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
cumsum: Primitive = Primitive("cumsum", lambda x, axis=None: np.cumsum(x, axis=axis),
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
