"""NumPy's own functions on Tensors and Duals, through NumPy's dispatch protocols.

When a NumPy function meets a box, NumPy hands the call to the box: ufuncs (``np.exp``,
``np.maximum``, ``ndarray + box``) through ``__array_ufunc__`` (NEP 13), the other functions
(``np.sum``, ``np.concatenate``, ``np.tile``) through ``__array_function__`` (NEP 18). Both land
here and call the function of the same name in :mod:`fromscratch.autodiff.numpy`, so NumPy's
functions are differentiated by the same rule table as ``anp``'s.

* **Ufuncs**: every primitive whose NumPy implementation is a ufunc answers for that ufunc
  (the table is read, not copied). Comparisons, logical functions and the piecewise-constant
  ``floor``/``ceil``/``trunc``/``rint``/``floor_divide`` have no derivative: they run on the
  plain values and return plain arrays, like ``box < 0`` does.
* **Functions**: :data:`SIGNATURES` lists which of NumPy's parameters ours takes. A call is
  bound to NumPy's own signature, so positional and keyword arguments mean what they mean in
  NumPy; a parameter ours does not take (``out``, ``dtype``, ``where``...) raises a TypeError
  naming it, unless it has its default value. Functions of shapes, indices and truth values
  (``np.shape``, ``np.argmax``, ``np.allclose``...) run on the plain values.
* Anything else raises a TypeError naming the function: a result without its derivative is
  never returned silently.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import primitives
from fromscratch.autodiff._core import Box, Primitive, primal

__all__ = ["UFUNCS", "SIGNATURES", "array_ufunc", "array_function"]

#: ufunc -> our function: each primitive implemented by a ufunc, and a few identities.
UFUNCS: dict[np.ufunc, Callable[..., Any]] = {
    prim.fun: prim for prim in vars(primitives).values()
    if isinstance(prim, Primitive) and isinstance(prim.fun, np.ufunc)
}
UFUNCS.update({np.positive: lambda x: x, np.conjugate: lambda x: x,  # real values only
               np.fabs: anp.abs, np.reciprocal: anp.reciprocal})

#: ufuncs without a derivative (boolean or piecewise constant): evaluated on the plain values.
CONSTANT_UFUNCS = frozenset({
    np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal,
    np.logical_and, np.logical_or, np.logical_xor, np.logical_not, np.isfinite, np.isinf,
    np.isnan, np.signbit, np.floor, np.ceil, np.trunc, np.rint, np.floor_divide,
})

_REDUCE = {np.add: anp.sum, np.multiply: anp.prod, np.maximum: anp.max, np.minimum: anp.min}
_ACCUMULATE: dict[np.ufunc, Callable[..., Any]] = {np.add: anp.cumsum, np.multiply: anp.cumprod}

#: NumPy function name -> the NumPy parameters ours takes: positional ones (in our order), then
#: after "|" those passed by keyword, only when given. "*name" is NumPy's ``*args``.
SIGNATURES = {
    # reductions
    "sum": "a | axis keepdims", "mean": "a | axis keepdims", "prod": "a | axis keepdims",
    "max": "a | axis keepdims", "min": "a | axis keepdims", "amax": "a | axis keepdims",
    "amin": "a | axis keepdims", "var": "a | axis ddof keepdims",
    "std": "a | axis ddof keepdims", "cumsum": "a axis |", "cumprod": "a axis |",
    # elementwise functions that are not ufuncs
    "clip": "a a_min a_max |", "where": "condition x y |", "sinc": "x |",
    "nan_to_num": "x | nan posinf neginf", "select": "condlist choicelist default |",
    # shapes
    "reshape": "a shape |", "ravel": "a |", "transpose": "a axes |", "squeeze": "a axis |",
    "expand_dims": "a axis |", "broadcast_to": "array shape |", "swapaxes": "a axis1 axis2 |",
    "moveaxis": "a source destination |", "flip": "m axis |", "fliplr": "m |",
    "flipud": "m |", "rot90": "m k axes |", "roll": "a shift axis |",
    "atleast_1d": "*arys |", "atleast_2d": "*arys |", "atleast_3d": "*arys |",
    # joining and splitting
    "concatenate": "arrays axis |", "stack": "arrays axis |", "hstack": "tup |",
    "vstack": "tup |", "dstack": "tup |", "column_stack": "tup |", "append": "arr values axis |",
    "split": "ary indices_or_sections axis |", "array_split": "ary indices_or_sections axis |",
    "hsplit": "ary indices_or_sections |", "vsplit": "ary indices_or_sections |",
    "dsplit": "ary indices_or_sections |",
    # tiling, indexing, sorting, padding
    "repeat": "a repeats axis |", "tile": "A reps |", "take": "a indices axis |",
    "take_along_axis": "arr indices axis |", "sort": "a axis kind |",
    "pad": "array pad_width mode | kwargs",
    # diagonals, triangles, differences, sequences
    "diag": "v k |", "diagonal": "a offset axis1 axis2 |", "trace": "a offset axis1 axis2 |",
    "tril": "m k |", "triu": "m k |", "diff": "a n axis | prepend append",
    "linspace": "start stop num endpoint retstep dtype axis |",
    # products
    "dot": "a b |", "outer": "a b |", "inner": "a b |", "tensordot": "a b axes |",
    "kron": "a b |", "cross": "a b axisa axisb axisc axis |", "einsum": "*operands | optimize",
}

#: Functions whose result carries no derivative (shapes, indices, truth values, text):
#: evaluated on the plain values.
CONSTANT_FUNCTIONS = frozenset(getattr(np, name) for name in (
    "shape", "ndim", "size", "result_type", "zeros_like", "ones_like", "empty_like",
    "full_like", "argmax", "argmin", "argsort", "argwhere", "nonzero", "flatnonzero",
    "count_nonzero", "searchsorted", "digitize", "isclose", "allclose", "array_equal",
    "array_equiv", "any", "all", "iscomplexobj", "isrealobj", "iscomplex", "isreal", "round",
    "around", "fix", "may_share_memory", "shares_memory", "array_repr", "array_str",
    "array2string",
))


def _plain(x: Any) -> Any:
    """``x`` with every box replaced by its plain value (inside lists and tuples too)."""
    if isinstance(x, Box):
        return primal(x)
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(v) for v in x)
    return x


def _concrete(x: Any, call: str) -> Any:
    """A box converted as ``np.asarray`` would, which raises where a derivative is dropped."""
    return x._concrete(call, to_array=True) if isinstance(x, Box) else x


def _no_rule(name: str) -> TypeError:
    return TypeError(
        f"{name} has no differentiation rule in fromscratch.autodiff, so it cannot be applied "
        "to a Tensor or Dual (that would drop the derivative). Write it with the functions of "
        "fromscratch.autodiff.numpy, or apply it to stop_gradient(x) (x.detach() for a Tensor) "
        "if the result should be a constant."
    )


# -- ufuncs ----------------------------------------------------------------------------------------


def array_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    """``ufunc.method(*inputs, **kwargs)`` with a box among the inputs (the uncommon cases)."""
    name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    if kwargs.get("out") is not None:  # ndarray += box, np.add(x, y, out=z): a plain result
        values = [_concrete(x, f"{name}(..., out=...)") for x in inputs]
        return getattr(ufunc, method)(*values, **kwargs)
    if ufunc in CONSTANT_UFUNCS:
        return getattr(ufunc, method)(*_plain(inputs), **kwargs)
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    if method == "reduce" and ufunc in _REDUCE:
        axis, keepdims = kwargs.pop("axis", 0), kwargs.pop("keepdims", False)
        _reject(name, kwargs)
        return _REDUCE[ufunc](inputs[0], axis, keepdims)
    if method == "accumulate" and ufunc in _ACCUMULATE:
        axis = kwargs.pop("axis", 0)
        _reject(name, kwargs)
        return _ACCUMULATE[ufunc](inputs[0], axis)
    fun = UFUNCS.get(ufunc)
    if fun is None or method not in ("__call__", "outer"):
        raise _no_rule(name)
    _reject(name, kwargs)
    if method == "outer":  # a_i ∘ b_j: a gets b's axes appended, then broadcasting does it
        a, b = inputs
        return fun(anp.reshape(a, np.shape(a) + (1,) * np.ndim(b)), b)
    return fun(*inputs)


def _reject(name: str, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"{name}(..., {', '.join(f'{k}=' for k in kwargs)}) is not supported "
                        "on a Tensor or Dual; call it without those arguments.")


# -- other functions -------------------------------------------------------------------------------


# NumPy's C functions carry an introspectable signature only from NumPy 2.4 on; before that,
# ``inspect.signature`` raises for these. Their signatures as NumPy 2.4 reports them (the same
# parameters as the documentation of NumPy 2.0 to 2.3):
def _where(condition: Any, x: Any = None, y: Any = None, /) -> Any: ...
def _concatenate(arrays: Any, /, axis: Any = 0, out: Any = None, *, dtype: Any = None,
                 casting: Any = "same_kind") -> Any: ...
def _dot(a: Any, b: Any, out: Any = None) -> Any: ...
def _inner(a: Any, b: Any, /) -> Any: ...


_C_SIGNATURES: dict[str, Callable[..., Any]] = {
    "where": _where, "concatenate": _concatenate, "dot": _dot, "inner": _inner}

#: Parameters NumPy renamed: the name :data:`SIGNATURES` uses -> the name in older releases.
_OLD_NAMES = {"shape": "newshape"}  # np.reshape before NumPy 2.1


def _numpy_signature(name: str) -> inspect.Signature:
    """The signature of ``np.<name>``: NumPy's own, or the stand-in above for a C function
    without one."""
    try:
        return inspect.signature(getattr(np, name))
    except ValueError:
        if name not in _C_SIGNATURES:
            raise
        return inspect.signature(_C_SIGNATURES[name])


class _Binding:
    """One NumPy function's signature and which of its parameters ours takes."""

    __slots__ = ("ours", "signature", "positional", "keywords", "taken", "name")

    def __init__(self, name: str, spec: str) -> None:
        self.name = f"np.{name}"
        self.ours = getattr(anp, name)
        self.signature = _numpy_signature(name)
        positional, _, keywords = spec.partition("|")
        self.positional = [self._in_this_numpy(p) for p in positional.split()]
        self.keywords = [self._in_this_numpy(k) for k in keywords.split()]
        self.taken = {p.lstrip("*") for p in self.positional} | set(self.keywords)

    def _in_this_numpy(self, spec_name: str) -> str:
        """``spec_name`` as the installed NumPy calls the parameter (``*`` kept)."""
        name = spec_name.lstrip("*")
        if name in self.signature.parameters or name not in _OLD_NAMES:
            return spec_name
        return spec_name.replace(name, _OLD_NAMES[name])

    def __call__(self, args: tuple, kwargs: dict) -> Any:
        """Bind the call as NumPy would, refuse what ours does not take, then call ours."""
        given = self.signature.bind(*args, **kwargs).arguments
        params = self.signature.parameters
        for name, value in given.items():
            if name not in self.taken and not _is_default(value, params[name].default):
                raise TypeError(self._unsupported(name))
        call_args: list[Any] = []
        for name in self.positional:
            if name.startswith("*"):
                call_args.extend(given.get(name[1:], ()))
                continue
            value = given.get(name, params[name].default)
            call_args.append(None if value is inspect.Parameter.empty or _no_value(value)
                             else value)
        call_kwargs = {}
        for name in self.keywords:
            if name in given and not _no_value(given[name]):
                if params[name].kind is inspect.Parameter.VAR_KEYWORD:
                    call_kwargs.update(given[name])
                else:
                    call_kwargs[name] = given[name]
        return self.ours(*call_args, **call_kwargs)

    def _unsupported(self, name: str) -> str:
        takes = ", ".join(self.positional + self.keywords)
        if name == "out":
            return (f"{self.name}(..., out=...) would write a differentiable result into an "
                    f"existing array; assign the result instead (y = {self.name}(x)).")
        return (f"{self.name}(..., {name}=...) is not supported on a Tensor or Dual; "
                f"fromscratch.autodiff.numpy's version takes ({takes}).")


def _no_value(value: Any) -> bool:
    """NumPy's ``<no value>`` default marker (``np._NoValue``)."""
    return type(value).__name__ == "_NoValueType"


def _is_default(value: Any, default: Any) -> bool:
    """Whether an argument given explicitly has the parameter's default value (e.g. out=None)."""
    if value is default:
        return True
    if default is inspect.Parameter.empty or type(value) is not type(default):
        return False
    try:
        return bool(value == default)
    except (TypeError, ValueError):
        return False


_BINDINGS = {getattr(np, name): _Binding(name, spec) for name, spec in SIGNATURES.items()}


def array_function(func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
    """``func(*args, **kwargs)`` for a NumPy function called with a box among its arguments."""
    if not all(issubclass(t, (Box, np.ndarray)) for t in types):
        return NotImplemented
    binding = _BINDINGS.get(func)
    if binding is not None:
        return binding(args, kwargs)
    if func in CONSTANT_FUNCTIONS:
        return func(*_plain(args), **{k: _plain(v) for k, v in kwargs.items()})
    raise _no_rule(f"{getattr(func, '__module__', 'numpy')}.{func.__name__}")
