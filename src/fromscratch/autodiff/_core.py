"""The machinery both modes share: primitives, boxes and nesting levels.

A **primitive** is a NumPy function together with its two derivative rules:

* the forward rule (JVP) maps an input tangent :math:`\\dot x` to the output tangent
  :math:`\\dot y = \\partial f / \\partial x \\; \\dot x`,
* the reverse rule (VJP) maps an output cotangent (adjoint) :math:`\\bar y` to the input's
  :math:`\\bar x = \\bar y \\; \\partial f / \\partial x`.

Rules have the signatures ``jvp(t, ans, *args, **kwargs)`` and ``vjp(g, ans, *args, **kwargs)``:
``t``/``g`` is the tangent/cotangent, ``ans`` the primitive's output and ``args``/``kwargs`` its
inputs. A primitive with several inputs has one rule per input (``None`` where the input is not
differentiable, e.g. an axis or an index array).

A **box** wraps a value that is being differentiated: :class:`~fromscratch.autodiff.Dual`
(forward mode) carries a tangent, :class:`~fromscratch.autodiff.Tensor` (reverse mode) records
how it was computed. Calling a primitive on plain arrays just runs NumPy; calling it on boxes
lets the box's class apply the rule (``Box._apply``).

**Levels** make transformations compose (HIPS autograd's trace ids, JAX's levels). Every
transformation (``grad``, ``jvp``, ...) opens a new level and boxes its inputs at that level;
boxes built by hand are at level 0. A primitive works on the boxes of the highest level present,
unboxes them and calls itself again on their contents, which may be boxes of a lower level. The
rules are written with the differentiable functions of :mod:`fromscratch.autodiff.numpy`, so when
a rule runs on lower-level boxes it is itself differentiated: this is all that ``grad(grad(f))``,
a Hessian, or a Hessian-vector product (forward-over-reverse) needs.

**Nothing is dropped silently.** The engine refuses a complex result (:func:`complex_error`:
derivatives here are real) and a rule whose tangent or cotangent has a shape that broadcasting
cannot turn into the right one (:func:`shape_error`, naming the primitive); a box turned into a
plain number raises :class:`ConcretizationTypeError`; a derivative that is zero because ``f``
ignores its input comes with HIPS autograd's warning (:func:`independent_warning`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from fromscratch.exceptions import warn_at_caller

__all__ = ["Box", "ConcretizationTypeError", "Primitive", "primal", "new_level", "stop_gradient"]

Rule = Callable[..., Any]


class _LevelState(threading.local):
    """The innermost open transformation, and the level below which ``no_grad`` is in force.

    One per thread, as PyTorch's grad mode: a ``no_grad`` block (or a transformation) open in
    one thread — a Dask worker thread predicting a block — changes nothing in another, and two
    threads entering and leaving their blocks in an interleaved order cannot leave recording
    switched off for everyone."""

    def __init__(self) -> None:
        self.top = 0  # boxes made by hand live at level 0
        self.no_grad_level = -1  # reverse mode records at levels strictly above this one
        self.tape: list | None = None  # trace(): recorded Tensors in evaluation order


STATE = _LevelState()


@contextmanager
def new_level() -> Iterator[int]:
    """Open a new nesting level for one transformation, e.g. one call of ``grad(f)``."""
    STATE.top += 1
    try:
        yield STATE.top
    finally:
        STATE.top -= 1


class Box:
    """A value being differentiated; subclasses are Dual (forward) and Tensor (reverse).

    ``_value`` is the wrapped value (an ndarray, or a box of a lower level) and ``_level`` the
    nesting level (0 for boxes made by hand). How boxes meet NumPy (operators, ``np.exp(box)``,
    conversions to plain arrays) is :class:`~fromscratch.autodiff._arraybox.ArrayBox`'s part.
    """

    __slots__ = ("_value", "_level")
    _value: Any
    _level: int

    def _apply(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _concrete(self, call: str, to_array: bool = False) -> Any:  # pragma: no cover
        raise NotImplementedError


def primal(x: Any) -> Any:
    """The plain value inside any number of nested boxes."""
    while isinstance(x, Box):
        x = x._value
    return x


def stop_gradient(x: Any) -> Any:
    """``x`` as a constant: its plain value, with no derivative in any transformation.

    The explicit way to use a traced value as a number (JAX's ``lax.stop_gradient``):
    ``grad(lambda x: x * stop_gradient(x))(3.0)`` is 3, where ``x * float(x)`` raises
    :class:`ConcretizationTypeError` instead of silently giving the same 3.
    """
    return primal(x)


class ConcretizationTypeError(TypeError):
    """A traced value was turned into a plain number or array, which would drop its derivative.

    Raised by ``float(x)``, ``int(x)``, ``math.exp(x)``, ``x.item()``, ``np.asarray(x)`` and by
    assigning ``x`` into a NumPy array, where ``x`` is being differentiated (JAX raises its
    error of the same name in the same places).
    """


def concretization_error(box: Box, call: str) -> ConcretizationTypeError:
    """The error for ``call`` (e.g. ``"float()"``) on ``box``, naming what to do instead."""
    what = f"a {type(box).__name__} of shape {np.shape(box._value)}"
    if box._level > 0:
        what += " traced by a transformation (grad, vjp, jvp, jacobian, hessian, hvp)"
    return ConcretizationTypeError(
        f"{call} was called on {what}. The result would be a plain number or array without "
        "its derivative, so the gradient would be silently wrong. Keep the computation "
        "differentiable: use the functions of fromscratch.autodiff.numpy (anp.exp(x), not "
        "math.exp(x) or float(x); anp.stack/anp.concatenate, not assigning into a NumPy "
        "array). To use the value as a constant on purpose, write stop_gradient(x) (or "
        "x.detach() for a Tensor, x.value for a Dual)."
    )


FLOAT64 = np.dtype(np.float64)  # NumPy's results carry this very object: `is` tests it cheaply


def complex_error(prim: Primitive) -> TypeError:
    return TypeError(
        f"{prim.name} returned a complex result from a value being differentiated. "
        "fromscratch.autodiff differentiates real functions only: complex intermediate values "
        "are not supported (their derivatives would need Wirtinger calculus). Write the "
        "computation with real and imaginary parts as separate real arrays."
    )


def shape_error(prim: Primitive, argnum: int, got: tuple, want: tuple, kind: str) -> ValueError:
    """A rule returned a tangent/cotangent that cannot be broadcast or summed to its shape."""
    what = ("the JVP rule of input", "tangent", "output") if kind == "jvp" else \
        ("the VJP rule of input", "cotangent", "input")
    return ValueError(
        f"{what[0]} {argnum} of primitive {prim.name!r} returned a {what[1]} of shape {got}, "
        f"but the {what[2]} has shape {want}. A rule must return its {what[2]}'s shape (or one "
        "that broadcasting turns into it); this is a bug in that rule."
    )


class _PerArgument:
    """Rules of a primitive with any number of array inputs (``concatenate``).

    ``rule(argnum, g, ans, *args, **kwargs)`` is written once; indexing gives the rule for one
    input, so the engine treats it like a tuple of rules.
    """

    __slots__ = ("rule", "cache")

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.cache: dict[int, Rule] = {}

    def __getitem__(self, argnum: int) -> Rule:
        if argnum not in self.cache:
            rule = self.rule
            self.cache[argnum] = lambda *a, **k: rule(argnum, *a, **k)
        return self.cache[argnum]


def _as_rules(rules: Rule | tuple[Rule | None, ...] | None, kind: str, name: str) -> Any:
    if isinstance(rules, _PerArgument):
        return rules
    if rules is None:
        return ()
    if callable(rules):
        return (rules,)
    if isinstance(rules, tuple) and all(r is None or callable(r) for r in rules):
        return rules
    raise TypeError(
        f"{kind} of primitive {name!r} must be a callable, a tuple of callables/None (one per "
        f"input) or per_argument(rule); got {type(rules).__name__}."
    )


class Primitive:
    """A differentiable function: a NumPy implementation plus its JVP and VJP rules.

    Parameters
    ----------
    name : str
        Shown in evaluation traces and error messages.
    fun : callable
        The NumPy implementation, called on plain arrays.
    jvp, vjp : callable, tuple of (callable or None), or ``per_argument(rule)``
        One rule per positional input, ``None`` for inputs that are not differentiable. A single
        callable is the rule of the first input. Signatures: ``jvp(t, ans, *args, **kwargs)``
        returns the output tangent caused by tangent ``t`` of that input;
        ``vjp(g, ans, *args, **kwargs)`` returns that input's share of the cotangent ``g``.
        Broadcasting is handled by the engine: a rule may return an array of the broadcast
        shape, it is summed back to the input's shape (reverse) or broadcast to the output's
        shape (forward) by one helper, ``sum_to``/``broadcast_to``.

    Examples
    --------
    A numerically stable :math:`\\log(1 + e^x)` as a new primitive, with
    :math:`\\mathrm{d}/\\mathrm{d}x = \\sigma(x)`:

    >>> import numpy as np
    >>> import fromscratch.autodiff.numpy as anp
    >>> from fromscratch.autodiff import Primitive, grad
    >>> softplus = Primitive(
    ...     "softplus", lambda x: np.logaddexp(0.0, x),
    ...     jvp=lambda t, ans, x: t * anp.sigmoid(x),
    ...     vjp=lambda g, ans, x: g * anp.sigmoid(x))
    >>> float(grad(softplus)(0.0))
    0.5
    """

    def __init__(
        self,
        name: str,
        fun: Callable[..., Any],
        jvp: Any = None,
        vjp: Any = None,
        doc: str | None = None,
    ) -> None:
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}.")
        if not callable(fun):
            raise TypeError(f"fun of primitive {name!r} must be callable.")
        self.name = name
        self.__name__ = name
        self.fun = fun
        self.jvps = _as_rules(jvp, "jvp", name)
        self.vjps = _as_rules(vjp, "vjp", name)
        self.__doc__ = doc or getattr(fun, "__doc__", None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # The hot path: find the box of the highest level, if any, and let its class apply the
        # rule. Without boxes this is NumPy and nothing else.
        top = None
        for a in args:
            if isinstance(a, Box) and (top is None or a._level > top._level):
                top = a
        if top is None:
            return self.fun(*args, **kwargs)
        return top._apply(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def per_argument(rule: Rule) -> _PerArgument:
    """Declare one rule ``rule(argnum, g_or_t, ans, *args, **kwargs)`` for every input."""
    return _PerArgument(rule)


def rule_for(rules: Any, argnum: int, prim: Primitive, kind: str) -> Rule:
    """The rule of input ``argnum``, or a TypeError naming the primitive and the input."""
    try:
        rule = rules[argnum]
    except IndexError:
        rule = None
    if rule is None:
        mode = "forward mode (no JVP rule)" if kind == "jvp" else "reverse mode (no VJP rule)"
        raise TypeError(
            f"{prim.name} is not differentiable with respect to its input {argnum} in {mode}; "
            "pass a plain array there (for example an index array or a bound), not a "
            "Tensor/Dual."
        )
    return rule


def broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether broadcasting turns an array of ``shape`` into one of ``target``."""
    lead = len(target) - len(shape)
    if lead < 0:
        return False
    for n, m in zip(shape, target[lead:], strict=True):  # a plain loop: this runs per operation
        if n != 1 and n != m:
            return False
    return True


def independent_warning() -> None:
    """HIPS autograd's warning: a derivative of zero because ``f`` ignores its input. It names
    the user's line that asked for the derivative, however deep in the library."""
    warn_at_caller("Output seems independent of input.", UserWarning)


def as_array(value: Any) -> Any:
    """NumPy returns scalars (``np.float64``) from 0-d operations; boxes always hold arrays."""
    if isinstance(value, (np.ndarray, Box)):
        return value
    return np.asarray(value)


# -- inputs of the public API ---------------------------------------------------------------------


def as_float_array(value: Any, name: str) -> np.ndarray:
    """``value`` as a float ndarray: float32/float64 kept, integers cast to float64.

    Integers are cast (a gradient at an integer point is a gradient at that real number),
    exactly as ``Tensor(...)`` and the estimators' ``check_array`` do; booleans, complex numbers,
    strings, NaN and infinity are rejected by ``check_array`` with its usual messages.
    """
    from fromscratch._validation import check_array

    if isinstance(value, Box):
        raise TypeError(
            f"{name} is a {type(value).__name__}; expected an array. Use .data (Tensor) or "
            ".value (Dual) for the plain array."
        )
    arr = np.asarray(value) if not isinstance(value, np.ndarray) else value
    if arr.dtype == np.float64 or arr.dtype == np.float32:
        if not np.isfinite(arr).all():
            check_array(arr.reshape(-1), name=name, ensure_2d=False, ensure_min_samples=0)
        return arr
    flat = check_array(arr.reshape(-1), name=name, ensure_2d=False, ensure_min_samples=0)
    if flat.dtype != np.float32:
        flat = flat.astype(np.float64)
    return flat.reshape(arr.shape)


def prepare(value: Any, name: str) -> Any:
    """An argument of a transformation: a box from an enclosing one is kept, else an array."""
    return value if isinstance(value, Box) else as_float_array(value, name)


def check_callable(f: Any, name: str = "f") -> None:
    if not callable(f):
        raise TypeError(f"{name} must be a callable (the function to differentiate); got "
                        f"{type(f).__name__}.")


def scalarize(value: Any) -> Any:
    """0-d results come back as NumPy scalars (``np.float64``), as NumPy's reductions do."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def mixing_error(prim: Primitive) -> TypeError:
    return TypeError(
        f"{prim.name} got a Dual and a Tensor at the same level. Forward-mode Duals and "
        "reverse-mode Tensors made by hand cannot be combined; to differentiate a gradient "
        "use the transformations, which nest the modes: hvp(f, x, v), hessian(f), "
        "jvp(grad(f), (x,), (v,)) or grad(grad(f))."
    )
