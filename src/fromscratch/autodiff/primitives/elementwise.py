"""The table, elementwise family: arithmetic and the functions applied entry by entry.

For :math:`y = f(x)` applied elementwise, the Jacobian is diagonal, so both rules multiply by the
same derivative :math:`f'(x)`: ``jvp = t * f'(x)`` and ``vjp = g * f'(x)``. Derivatives are
written with ``ans`` = :math:`f(x)` where that is cheaper or more accurate (``exp``: ``ans``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch._kernels import replaceable
from fromscratch.autodiff._core import Primitive, primal

__all__ = ["abs", "add", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2",
           "arctanh", "cbrt", "clip", "cos", "cosh", "divide", "exp", "exp2", "expm1", "fmax",
           "fmin", "hypot", "log", "log10", "log1p", "log2", "logaddexp", "logaddexp2",
           "maximum", "minimum", "multiply", "negative", "power", "relu", "remainder", "sigmoid",
           "sign", "sin", "sinc", "sinh", "softplus", "sqrt", "square", "subtract", "tan", "tanh",
           "where"]

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)

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


# -- derivative helpers shared by several rules --------------------------------------------------


def _zeros(v: Any) -> np.ndarray:
    return np.zeros(np.shape(v), dtype=primal(v).dtype)


def _nonzero(v: Any) -> Any:
    """``v`` with zeros replaced by ones: the safe denominator for subgradients at 0."""
    return where(v == 0, 1, v)


def _scaled(t: Any, slope: Any) -> Any:
    """``t * slope``, and 0 wherever ``t`` is 0, also where the slope is infinite.

    For the functions whose value is finite where their slope is not (:math:`\\sqrt x` and
    :math:`\\sqrt[3]{x}` at 0, :math:`x^y` with :math:`y < 1` at 0, arcsin and arccos at
    :math:`\\pm 1`, arccosh at 1). A zero tangent or cotangent means "this entry is not
    involved": the Jacobian of ``sqrt`` at ``[0, 1]`` is ``diag(inf, 0.5)``, and its column
    for the second entry (one JVP) or row for it (one VJP) must be ``[0, 0.5]``, not
    :math:`0\\cdot\\infty` = NaN in the other entry. The same NaN is the gradient of
    ``where(x > 0, sqrt(x), 0)`` at 0 in PyTorch and JAX; here it is 0 (deliberately).
    """
    zero = primal(t) == 0
    if not np.any(zero):  # the usual case (a seed of ones, a dense tangent): one comparison
        return t * slope
    return where(zero, 0, t * where(zero, 1, slope))


def _ties(x: Any, y: Any) -> np.ndarray:
    """Weight of x in maximum(x, y): 1 where x wins, 1/2 at a tie, 0 where y wins."""
    xv, yv = primal(x), primal(y)
    return ((xv > yv) + 0.5 * (xv == yv)).astype(np.result_type(xv, yv))


def _nan_ties(x: Any, y: Any) -> np.ndarray:
    """Weight of x in fmax(x, y), which ignores a NaN: as :func:`_ties`, but x wins against a
    NaN y and loses when it is NaN itself."""
    xv, yv = primal(x), primal(y)
    weight = _ties(xv, yv)
    return np.where(np.isnan(yv), 1, np.where(np.isnan(xv), 0, weight)).astype(weight.dtype)


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


def _pow_dx_times(t: Any, x: Any, y: Any) -> Any:
    """``t`` times :math:`\\partial x^y/\\partial x`. The slope is infinite only at x = 0 with
    y < 1, so a constant exponent y ≥ 1 (``x ** 2``) skips :func:`_scaled`'s guard."""
    if isinstance(y, (int, float)) and (y >= 1 or y == 0):
        return t * _pow_dx(x, y)
    return _scaled(t, _pow_dx(x, y))


def _pow_dy(x: Any, ans: Any) -> Any:
    """:math:`\\partial x^y/\\partial y = x^y \\log x` for x > 0; 0 where x ≤ 0 (not real)."""
    if isinstance(x, (int, float)):  # a Python base (2 ** x): keep it a weak scalar
        return ans * (math.log(x) if x > 0 else 0.0)
    positive = primal(x) > 0
    return ans * log(where(positive, x, 1)) * positive


def _quotient(x: Any, y: Any) -> np.ndarray:
    """:math:`\\lfloor x / y \\rfloor`, a constant: ``remainder`` is :math:`x - \\lfloor x/y
    \\rfloor y`, so :math:`\\partial/\\partial y = -\\lfloor x/y \\rfloor` between the jumps."""
    return np.floor_divide(primal(x), primal(y))


#: Maclaurin coefficients of :math:`\\mathrm{sinc}'(x) = \\sum_{n \\ge 1} c_n x^{2n-1}` with
#: :math:`c_n = (-1)^n\\, 2n\\, \\pi^{2n} / (2n+1)!`, for :math:`\\mathrm{sinc}(x) =
#: \\sin(\\pi x)/(\\pi x) = \\sum_n (-1)^n (\\pi x)^{2n}/(2n+1)!`.
_SINC_SLOPE = [(-1) ** n * 2 * n * math.pi ** (2 * n) / math.factorial(2 * n + 1)
               for n in range(1, 7)]


def _sinc_slope(x: Any, ans: Any) -> Any:
    """:math:`\\mathrm{sinc}'(x) = (\\cos \\pi x - \\mathrm{sinc}\\, x)/x`.

    Near 0 that difference cancels (half the digits are lost at :math:`|x| = 10^{-8}`) and at 0
    it is 0/0, so for :math:`|x| < 0.1` the Maclaurin series is used instead, six terms in
    Horner form: its first omitted term is below :math:`10^{-16}` of the sum there, and it is a
    polynomial, so every derivative of it at 0 is exact up to order 11.
    """
    small = np.abs(primal(x)) < 0.1
    x_near, x_far = where(small, x, 0), where(small, 1, x)
    x2 = x_near * x_near
    series = _SINC_SLOPE[-1]
    for c in reversed(_SINC_SLOPE[:-1]):
        series = series * x2 + c
    return where(small, series * x_near, (cos(math.pi * x_far) - ans) / x_far)


# -- a reverse rule as a named function (replaceable: fromscratch._kernels) -----------------------


@replaceable
def tanh_vjp(g: Any, ans: Any, x: Any) -> Any:
    r"""The reverse rule of :math:`y = \tanh x`: the adjoint of :math:`x` from the adjoint
    :math:`g = \bar y` of the output.

    .. math::

        \frac{d}{dx}\tanh x = 1 - \tanh^2 x, \qquad
        \bar x = \bar y\, \frac{\partial y}{\partial x} = g\,(1 - y^2) .

    The derivative is written with the answer :math:`y` = ``ans``, which the forward pass
    computed already: no second :math:`\tanh`. For an elementwise function the Jacobian is
    diagonal, so the vector-Jacobian product multiplies elementwise.

    Parameters
    ----------
    g : array-like
        The cotangent :math:`\bar y`, shaped like ``ans``.
    ans : array-like
        :math:`y = \tanh x`.
    x : array-like
        The input.

    Returns
    -------
    x_bar : array-like
        :math:`g (1 - y^2)`, shaped like ``x``.
    """
    return g * (1 - ans * ans)


# ==== THE TABLE: elementwise ======================================================================
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
    jvp=(lambda t, ans, x, y: _pow_dx_times(t, x, y), lambda t, ans, x, y: t * _pow_dy(x, ans)),
    vjp=(lambda g, ans, x, y: _pow_dx_times(g, x, y), lambda g, ans, x, y: g * _pow_dy(x, ans)))
remainder = Primitive("remainder", np.remainder,  # x - floor(x / y) y, the sign of y (Python %)
    jvp=(lambda t, ans, x, y: t, lambda t, ans, x, y: -t * _quotient(x, y)),
    vjp=(lambda g, ans, x, y: g, lambda g, ans, x, y: -g * _quotient(x, y)))
maximum = Primitive("maximum", np.maximum,
    jvp=(lambda t, ans, x, y: t * _ties(x, y), lambda t, ans, x, y: t * _ties(y, x)),
    vjp=(lambda g, ans, x, y: g * _ties(x, y), lambda g, ans, x, y: g * _ties(y, x)))
minimum = Primitive("minimum", np.minimum,
    jvp=(lambda t, ans, x, y: t * _ties(y, x), lambda t, ans, x, y: t * _ties(x, y)),
    vjp=(lambda g, ans, x, y: g * _ties(y, x), lambda g, ans, x, y: g * _ties(x, y)))
fmax = Primitive("fmax", np.fmax,  # maximum that ignores NaN
    jvp=(lambda t, ans, x, y: t * _nan_ties(x, y), lambda t, ans, x, y: t * _nan_ties(y, x)),
    vjp=(lambda g, ans, x, y: g * _nan_ties(x, y), lambda g, ans, x, y: g * _nan_ties(y, x)))
fmin = Primitive("fmin", np.fmin,  # minimum that ignores NaN: x wins where -x wins fmax
    jvp=(lambda t, ans, x, y: t * _nan_ties(-primal(x), -primal(y)),
         lambda t, ans, x, y: t * _nan_ties(-primal(y), -primal(x))),
    vjp=(lambda g, ans, x, y: g * _nan_ties(-primal(x), -primal(y)),
         lambda g, ans, x, y: g * _nan_ties(-primal(y), -primal(x))))
where: Primitive = Primitive("where", np.where,
    jvp=(None, lambda t, ans, c, x, y: where(c, t, 0), lambda t, ans, c, x, y: where(c, 0, t)),
    vjp=(None, lambda g, ans, c, x, y: where(c, g, 0), lambda g, ans, c, x, y: where(c, 0, g)))
clip = Primitive("clip", np.clip,
    jvp=lambda t, ans, x, a_min, a_max: t * _inside(x, a_min, a_max),
    vjp=lambda g, ans, x, a_min, a_max: g * _inside(x, a_min, a_max))

# -- exponentials and logarithms -------------------------------------------------------------------
exp = Primitive("exp", np.exp,
    jvp=lambda t, ans, x: t * ans,
    vjp=lambda g, ans, x: g * ans)
exp2 = Primitive("exp2", np.exp2,
    jvp=lambda t, ans, x: t * ans * _LN2,
    vjp=lambda g, ans, x: g * ans * _LN2)
expm1 = Primitive("expm1", np.expm1,
    jvp=lambda t, ans, x: t * (ans + 1),
    vjp=lambda g, ans, x: g * (ans + 1))
log = Primitive("log", np.log,
    jvp=lambda t, ans, x: t / x,
    vjp=lambda g, ans, x: g / x)
log2 = Primitive("log2", np.log2,
    jvp=lambda t, ans, x: t / (x * _LN2),
    vjp=lambda g, ans, x: g / (x * _LN2))
log10 = Primitive("log10", np.log10,
    jvp=lambda t, ans, x: t / (x * _LN10),
    vjp=lambda g, ans, x: g / (x * _LN10))
log1p = Primitive("log1p", np.log1p,
    jvp=lambda t, ans, x: t / (1 + x),
    vjp=lambda g, ans, x: g / (1 + x))
logaddexp = Primitive("logaddexp", np.logaddexp,  # log(e^x + e^y): softmax weights of x and y
    jvp=(lambda t, ans, x, y: t * exp(x - ans), lambda t, ans, x, y: t * exp(y - ans)),
    vjp=(lambda g, ans, x, y: g * exp(x - ans), lambda g, ans, x, y: g * exp(y - ans)))
logaddexp2 = Primitive("logaddexp2", np.logaddexp2,
    jvp=(lambda t, ans, x, y: t * exp2(x - ans), lambda t, ans, x, y: t * exp2(y - ans)),
    vjp=(lambda g, ans, x, y: g * exp2(x - ans), lambda g, ans, x, y: g * exp2(y - ans)))

# -- powers and magnitudes -------------------------------------------------------------------------
sqrt = Primitive("sqrt", np.sqrt,  # slope 1/(2 sqrt x): infinite at 0, where sqrt is not
    jvp=lambda t, ans, x: _scaled(t, 0.5 / ans),
    vjp=lambda g, ans, x: _scaled(g, 0.5 / ans))
cbrt = Primitive("cbrt", np.cbrt,
    jvp=lambda t, ans, x: _scaled(t, 1 / (3 * ans * ans)),
    vjp=lambda g, ans, x: _scaled(g, 1 / (3 * ans * ans)))
square = Primitive("square", np.square,
    jvp=lambda t, ans, x: t * 2 * x,
    vjp=lambda g, ans, x: g * 2 * x)
hypot = Primitive("hypot", np.hypot,  # sqrt(x^2 + y^2); gradient (x, y)/hypot, 0 at the origin
    jvp=(lambda t, ans, x, y: t * x / _nonzero(ans), lambda t, ans, x, y: t * y / _nonzero(ans)),
    vjp=(lambda g, ans, x, y: g * x / _nonzero(ans), lambda g, ans, x, y: g * y / _nonzero(ans)))
abs = Primitive("abs", np.abs,  # noqa: A001 (the NumPy name)
    jvp=lambda t, ans, x: t * sign(x),
    vjp=lambda g, ans, x: g * sign(x))
sign: Primitive = Primitive("sign", np.sign,
    jvp=lambda t, ans, x: _zeros(ans),
    vjp=lambda g, ans, x: _zeros(x))

# -- trigonometric and hyperbolic ------------------------------------------------------------------
sin = Primitive("sin", np.sin,
    jvp=lambda t, ans, x: t * cos(x),
    vjp=lambda g, ans, x: g * cos(x))
cos: Primitive = Primitive("cos", np.cos,
    jvp=lambda t, ans, x: -t * sin(x),
    vjp=lambda g, ans, x: -g * sin(x))
tan = Primitive("tan", np.tan,
    jvp=lambda t, ans, x: t * (1 + ans * ans),
    vjp=lambda g, ans, x: g * (1 + ans * ans))
arcsin = Primitive("arcsin", np.arcsin,  # (1 - x)(1 + x): no cancellation near |x| = 1
    jvp=lambda t, ans, x: _scaled(t, 1 / sqrt((1 - x) * (1 + x))),
    vjp=lambda g, ans, x: _scaled(g, 1 / sqrt((1 - x) * (1 + x))))
arccos = Primitive("arccos", np.arccos,
    jvp=lambda t, ans, x: _scaled(-t, 1 / sqrt((1 - x) * (1 + x))),
    vjp=lambda g, ans, x: _scaled(-g, 1 / sqrt((1 - x) * (1 + x))))
arctan = Primitive("arctan", np.arctan,
    jvp=lambda t, ans, x: t / (1 + x * x),
    vjp=lambda g, ans, x: g / (1 + x * x))
arctan2 = Primitive("arctan2", np.arctan2,  # angle of (x, y) = arctan2(y, x); 0 at the origin
    jvp=(lambda t, ans, y, x: t * x / _nonzero(x * x + y * y),
         lambda t, ans, y, x: -t * y / _nonzero(x * x + y * y)),
    vjp=(lambda g, ans, y, x: g * x / _nonzero(x * x + y * y),
         lambda g, ans, y, x: -g * y / _nonzero(x * x + y * y)))
sinh = Primitive("sinh", np.sinh,
    jvp=lambda t, ans, x: t * cosh(x),
    vjp=lambda g, ans, x: g * cosh(x))
cosh: Primitive = Primitive("cosh", np.cosh,
    jvp=lambda t, ans, x: t * sinh(x),
    vjp=lambda g, ans, x: g * sinh(x))
tanh = Primitive("tanh", np.tanh,
    jvp=lambda t, ans, x: t * (1 - ans * ans),
    vjp=tanh_vjp)
arcsinh = Primitive("arcsinh", np.arcsinh,
    jvp=lambda t, ans, x: t / hypot(x, 1),
    vjp=lambda g, ans, x: g / hypot(x, 1))
arccosh = Primitive("arccosh", np.arccosh,
    jvp=lambda t, ans, x: _scaled(t, 1 / sqrt((x - 1) * (x + 1))),
    vjp=lambda g, ans, x: _scaled(g, 1 / sqrt((x - 1) * (x + 1))))
arctanh = Primitive("arctanh", np.arctanh,
    jvp=lambda t, ans, x: t / ((1 - x) * (1 + x)),
    vjp=lambda g, ans, x: g / ((1 - x) * (1 + x)))
sinc = Primitive("sinc", np.sinc,  # sin(pi x)/(pi x), 1 at 0
    jvp=lambda t, ans, x: t * _sinc_slope(x, ans),
    vjp=lambda g, ans, x: g * _sinc_slope(x, ans))

# -- activations -----------------------------------------------------------------------------------
# σ' = σ(x) σ(-x): 1 - σ(x) would cancel for x >> 0
sigmoid: Primitive = Primitive("sigmoid", _sigmoid,
    jvp=lambda t, ans, x: t * ans * sigmoid(-x),
    vjp=lambda g, ans, x: g * ans * sigmoid(-x))
relu = Primitive("relu", lambda x: np.maximum(x, 0),
    jvp=lambda t, ans, x: t * (x > 0),
    vjp=lambda g, ans, x: g * (x > 0), doc="max(x, 0); derivative 0 at x = 0.")
softplus = Primitive("softplus", _softplus,
    jvp=lambda t, ans, x: t * sigmoid(x),
    vjp=lambda g, ans, x: g * sigmoid(x))
