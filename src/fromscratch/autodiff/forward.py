"""Forward-mode automatic differentiation: dual numbers.

A dual number :math:`a + b\\varepsilon` with :math:`\\varepsilon^2 = 0` carries a value and a
tangent. Taylor's theorem gives :math:`f(a + b\\varepsilon) = f(a) + f'(a)\\,b\\,\\varepsilon`
exactly (every higher power of :math:`\\varepsilon` vanishes), so evaluating :math:`f` on
:math:`x + 1\\varepsilon` yields :math:`f(x)` and :math:`f'(x)` together. For arrays the tangent
is an array of the value's shape and the rule of every primitive is its JVP,
:math:`\\dot y = J_f(x)\\,\\dot x`: one forward pass gives one column (one directional
derivative) of the Jacobian, whatever the number of outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fromscratch.autodiff._arraybox import ArrayBox
from fromscratch.autodiff._core import (
    FLOAT64,
    Box,
    Primitive,
    as_array,
    as_float_array,
    broadcasts_to,
    check_callable,
    complex_error,
    independent_warning,
    mixing_error,
    new_level,
    prepare,
    primal,
    rule_for,
    scalarize,
    shape_error,
)
from fromscratch.autodiff.numpy import broadcast_to, ones_like

__all__ = ["Dual", "derivative", "jvp", "dual_multiply", "dual_divide"]


# -- dual-number arithmetic as the textbook writes it ----------------------------------------------
# The table's forward rules for multiply and divide (fromscratch.autodiff.primitives) are these
# tangents one input at a time, the other input's tangent zero: the product rule splits into
# t * y and x * t. The tests check the two agree.


def dual_multiply(a: Any, a_dot: Any, b: Any, b_dot: Any) -> tuple[Any, Any]:
    r"""The product of two dual numbers: the product rule, from :math:`\varepsilon^2 = 0`.

    .. math::

        (a + \dot a\,\varepsilon)(b + \dot b\,\varepsilon)
        = ab + (\dot a\, b + a\, \dot b)\,\varepsilon + \dot a \dot b\,\varepsilon^2
        = ab + (\dot a\, b + a\, \dot b)\,\varepsilon .

    The value part is the product of the values; the tangent part is the product rule,
    :math:`(uv)' = u'v + uv'`, with nothing to remember: it falls out of the algebra. On
    arrays both parts are elementwise and broadcast like ``a * b``.

    Parameters
    ----------
    a, a_dot : array-like
        The first factor's value :math:`a` and tangent :math:`\dot a`.
    b, b_dot : array-like
        The second factor's value and tangent.

    Returns
    -------
    value, tangent
        :math:`ab` and :math:`\dot a b + a \dot b`.
    """
    return a * b, a_dot * b + a * b_dot


def dual_divide(a: Any, a_dot: Any, b: Any, b_dot: Any) -> tuple[Any, Any]:
    r"""The quotient of two dual numbers: the quotient rule, from :math:`\varepsilon^2 = 0`.

    .. math::

        \frac{a + \dot a\,\varepsilon}{b + \dot b\,\varepsilon}
        = \frac{(a + \dot a\,\varepsilon)(b - \dot b\,\varepsilon)}
        {b^2 - \dot b^2\varepsilon^2}
        = \frac ab + \frac{\dot a\, b - a\, \dot b}{b^2}\,\varepsilon
        = q + \frac{\dot a - q\,\dot b}{b}\,\varepsilon, \qquad q = \frac ab .

    Multiplying above and below by the conjugate :math:`b - \dot b\varepsilon` makes the
    denominator real; the tangent is the quotient rule :math:`(u/v)' = (u'v - uv')/v^2`,
    computed as :math:`(\dot a - q\dot b)/b`: one division more, and no :math:`b^2` that
    could overflow.

    Parameters
    ----------
    a, a_dot : array-like
        The numerator's value and tangent.
    b, b_dot : array-like
        The denominator's value (not zero) and tangent.

    Returns
    -------
    value, tangent
        :math:`q = a/b` and :math:`(\dot a - q \dot b)/b`.
    """
    q = a / b
    return q, (a_dot - q * b_dot) / b


class Dual(ArrayBox):
    """An array-valued dual number :math:`v + \\dot v\\,\\varepsilon` with
    :math:`\\varepsilon^2 = 0`.

    Parameters
    ----------
    value : array-like
        The primal value :math:`v` (float64 unless float32 is given; integers become float64).
    tangent : array-like
        The tangent :math:`\\dot v`, of the same shape (cast to the value's dtype).

    A Dual exists to carry its tangent, so ``float(d)`` and ``np.asarray(d)`` raise
    :class:`~fromscratch.autodiff.ConcretizationTypeError`; ``d.value`` is the plain value.

    Examples
    --------
    >>> import fromscratch.autodiff.numpy as anp
    >>> y = anp.sin(Dual(0.0, 1.0)) * 3
    >>> float(y.value), float(y.tangent)
    (0.0, 3.0)
    """

    __slots__ = ("tangent",)

    def __init__(self, value: Any, tangent: Any) -> None:
        if isinstance(value, Box) or isinstance(tangent, Box):
            raise TypeError(
                "Dual(value, tangent) takes arrays, not Tensors or Duals. To differentiate "
                "through a gradient (forward-over-reverse) use fromscratch.autodiff.hvp or "
                "jvp(grad(f), ...), which nest the two modes for you."
            )
        self._value = as_float_array(value, "value")
        t = as_float_array(tangent, "tangent")
        if t.shape != self._value.shape:
            raise ValueError(
                f"tangent has shape {t.shape} but value has shape {self._value.shape}; a "
                "tangent must have the shape of its value."
            )
        self.tangent = t.astype(self._value.dtype, copy=False)
        self._level = 0

    @property
    def value(self) -> Any:
        """The primal value :math:`v`."""
        return self._value

    @classmethod
    def _make(cls, value: Any, tangent: Any, level: int) -> Dual:
        out = cls.__new__(cls)
        out._value = value
        out.tangent = tangent
        out._level = level
        return out

    def _apply(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        """Evaluate ``prim`` on the values and push the tangents through its JVP rules."""
        level = self._level
        values = list(args)
        moving = []
        nested = False
        for i, a in enumerate(args):
            if isinstance(a, Box):
                if a._level != level:
                    nested = True
                    continue
                if type(a) is not Dual:
                    raise mixing_error(prim)
                values[i] = a._value
                nested = nested or isinstance(a._value, Box)
                moving.append((i, a.tangent))
        ans = as_array(prim(*values, **kwargs) if nested else prim.fun(*values, **kwargs))
        dtype = ans.dtype
        if dtype is not FLOAT64 and dtype.kind == "c":  # the identity test: float64, at once
            raise complex_error(prim)
        tangent = None
        for i, t in moving:
            dt = rule_for(prim.jvps, i, prim, "jvp")(t, ans, *values, **kwargs)
            if dt.shape != ans.shape and not broadcasts_to(dt.shape, ans.shape):
                raise shape_error(prim, i, dt.shape, ans.shape, "jvp")
            tangent = dt if tangent is None else tangent + dt
        if tangent.shape != ans.shape:  # a broadcast input: its tangent broadcasts too
            tangent = broadcast_to(tangent, ans.shape)
        return Dual._make(ans, tangent, level)

    def _drops_derivative(self, to_array: bool) -> bool:
        return True  # a Dual exists to carry its tangent

    def __repr__(self) -> str:
        return f"Dual(value={self._value!r}, tangent={self.tangent!r})"


def _tangent_at(out: Any, level: int) -> tuple[Any, Any]:
    """Value and tangent of ``out`` at ``level``; a zero tangent (and HIPS autograd's warning)
    if it ignores the inputs."""
    if isinstance(out, Dual) and out._level == level:
        return out._value, out.tangent
    if isinstance(out, (tuple, list, dict)):
        raise TypeError(
            f"f returned a {type(out).__name__}; jvp, derivative and jacobian need f to return "
            "one array."
        )
    independent_warning()
    out = as_array(out)
    return out, np.zeros(np.shape(out), dtype=np.result_type(primal(out)))


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """Jacobian-vector product: :math:`(f(x),\\; J_f(x)\\,\\dot x)` in one forward pass.

    Parameters
    ----------
    f : callable
        A function of ``len(primals)`` arrays, returning one array.
    primals : tuple of array-like
        The point :math:`x = (x_1, \\dots, x_k)`.
    tangents : tuple of array-like
        The direction :math:`\\dot x`, one tangent per primal, of the same shapes.

    Returns
    -------
    out, tangent_out
        :math:`f(x)` and :math:`\\sum_i \\partial f/\\partial x_i\\;\\dot x_i`.

    Examples
    --------
    >>> import fromscratch.autodiff.numpy as anp
    >>> out, t = jvp(lambda x, y: x * anp.sin(y), (2.0, 0.0), (0.0, 1.0))
    >>> float(out), float(t)
    (0.0, 2.0)
    """
    check_callable(f, "f")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            "primals and tangents must be tuples (or lists) of arrays, one entry per argument "
            f"of f; got {type(primals).__name__} and {type(tangents).__name__}. For one "
            "argument write jvp(f, (x,), (v,))."
        )
    if len(primals) != len(tangents):
        raise ValueError(
            f"got {len(primals)} primals but {len(tangents)} tangents; give one tangent per "
            "primal."
        )
    xs = [prepare(x, f"primals[{i}]") for i, x in enumerate(primals)]
    ts = []
    for i, (x, t) in enumerate(zip(xs, tangents, strict=True)):
        t = prepare(t, f"tangents[{i}]")
        if np.shape(t) != np.shape(x):
            raise ValueError(
                f"tangents[{i}] has shape {np.shape(t)} but primals[{i}] has shape "
                f"{np.shape(x)}; each tangent must have the shape of its primal."
            )
        if isinstance(t, np.ndarray):
            t = t.astype(primal(x).dtype, copy=False)
        ts.append(t)
    with new_level() as level:
        out = f(*[Dual._make(x, t, level) for x, t in zip(xs, ts, strict=True)])
        value, tangent = _tangent_at(out, level)
    return scalarize(value), scalarize(tangent)


def derivative(f: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """:math:`f'` of a function of one variable, by one forward pass on :math:`x + 1\\varepsilon`.

    An array ``x`` is seeded with all ones, so for an elementwise ``f`` the result is
    :math:`f'` at every point of the array (the way a derivative is plotted over a grid).

    >>> float(derivative(lambda x: x ** 3)(2.0))
    12.0
    """
    check_callable(f, "f")

    def df(x: Any) -> Any:
        x = prepare(x, "x")
        return jvp(f, (x,), (ones_like(x),))[1]

    df.__name__ = f"derivative({getattr(f, '__name__', 'f')})"
    return df
