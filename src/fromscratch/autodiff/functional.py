"""Function transformations (JAX style): ``vjp``, ``grad``, ``value_and_grad``, ``jacobian``,
``hessian``, ``hvp`` and ``check_grad``.

Each transformation opens a new level, boxes its inputs there, runs ``f`` and reads the
derivative off the boxes of that level, so the transformations compose:
``grad(grad(f))`` is a second derivative, ``jacobian(grad(f))`` a Hessian (reverse-over-reverse)
and ``jvp(grad(f), (x,), (v,))`` a Hessian-vector product (forward-over-reverse).

Conventions:

* ``argnums`` (int or tuple of ints) chooses the positional arguments to differentiate; a
  tuple gives a tuple of results. Keyword arguments are passed through, never differentiated.
* Inputs may be arrays or numbers: float32/float64 are kept, integers are cast to float64
  (booleans, complex numbers, NaN and inf are rejected).
* 0-d results come back as NumPy scalars (``np.float64``).
* A Jacobian of :math:`f: \\mathbb{R}^{n_1 \\times \\dots} \\to \\mathbb{R}^{m_1 \\times \\dots}`
  has shape ``out.shape + x.shape``: entry :math:`(i, j)` is :math:`\\partial f_i/\\partial x_j`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._validation import check_choice, check_scalar
from fromscratch.autodiff._core import (
    Box,
    as_array,
    as_float_array,
    check_callable,
    independent_warning,
    new_level,
    prepare,
    primal,
    scalarize,
)
from fromscratch.autodiff.forward import jvp
from fromscratch.autodiff.numpy import astype, reshape, stack, zeros_like
from fromscratch.autodiff.reverse import Tensor, backprop

__all__ = ["vjp", "grad", "value_and_grad", "jacobian", "hessian", "hvp", "check_grad"]


def _validate_argnums(argnums: Any) -> tuple[int, ...]:
    """argnums as a tuple of ints (the count of arguments is checked at call time)."""
    nums = argnums if isinstance(argnums, tuple) else (argnums,)
    for a in nums:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise TypeError(
                f"argnums must be an int or a tuple of ints; got {argnums!r}."
            )
    if not nums:
        raise ValueError("argnums is an empty tuple; name at least one argument to differentiate.")
    return tuple(int(a) for a in nums)


def _resolve_argnums(nums: tuple[int, ...], n_args: int, argnums: Any) -> tuple[int, ...]:
    resolved = []
    for a in nums:
        if not -n_args <= a < n_args:
            raise ValueError(
                f"argnums={argnums!r} is out of range: f was called with {n_args} positional "
                f"argument(s), so argnums must be in [{-n_args}, {n_args - 1}]."
            )
        resolved.append(a % n_args)
    if len(set(resolved)) != len(resolved):
        raise ValueError(f"argnums={argnums!r} names the same argument twice.")
    return tuple(resolved)


def _single_array(out: Any, who: str) -> Any:
    if isinstance(out, (tuple, list, dict)):
        raise TypeError(f"f returned a {type(out).__name__}; {who} needs f to return one array.")
    return out if isinstance(out, Box) else as_array(out)


def _like(adjoint: Any, x: Any) -> Any:
    """The adjoint of ``x`` in ``x``'s dtype, as JAX and PyTorch give it: a float32 input
    used with float64 constants has a float64 value but a float32 gradient (and Hessian).
    The cast is differentiable, for an adjoint that a higher-order transformation traces."""
    dtype = primal(x).dtype
    return adjoint if primal(adjoint).dtype == dtype else astype(adjoint, dtype)


def _reverse(
    f: Callable[..., Any], args: tuple | list[Any], kwargs: dict, nums: tuple[int, ...]
) -> tuple[Any, Callable[[Any], list[Any]]]:
    """Run ``f`` once with the arguments ``nums`` boxed as Tensors; return its value and the
    pull-back ``cotangent -> [adjoint of each boxed argument]`` (reusable: the graph is kept)."""
    args = list(args)
    with new_level() as level:
        leaves = []
        for i in nums:
            args[i] = Tensor._leaf(prepare(args[i], f"argument {i} of f"), level)
            leaves.append(args[i])
        out = _single_array(f(*args, **kwargs), "this transformation")
    depends = isinstance(out, Tensor) and out._level == level and out.requires_grad
    if not depends:
        independent_warning()
    value = out._value if isinstance(out, Tensor) and out._level == level else out

    def pullback(cotangent: Any) -> list[Any]:
        adjoints = backprop(out, cotangent) if depends else {}
        return [_like(adjoints[leaf], leaf._value) if leaf in adjoints else zeros_like(leaf._value)
                for leaf in leaves]

    return value, pullback


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], Any]]:
    """Vector-Jacobian product: :math:`f(x)` and the function :math:`\\bar y \\mapsto \\bar y^\\top
    J_f(x)`.

    Parameters
    ----------
    f : callable
        A function of the primals, returning one array.
    *primals : array-like
        The point :math:`x`.

    Returns
    -------
    out : ndarray
        :math:`f(x)`.
    vjp_fn : callable
        ``vjp_fn(cotangent)`` with a cotangent of ``out``'s shape returns a tuple with one
        adjoint per primal. It may be called many times (one per row of the Jacobian).

    Examples
    --------
    >>> import numpy as np
    >>> out, vjp_fn = vjp(lambda x: x ** 2, np.array([1.0, 2.0]))
    >>> vjp_fn(np.array([1.0, 0.0]))[0].tolist()
    [2.0, 0.0]
    """
    check_callable(f, "f")
    if not primals:
        raise ValueError("vjp needs at least one primal: vjp(f, x).")
    value, pullback = _reverse(f, primals, {}, tuple(range(len(primals))))
    shape = np.shape(value)
    dtype = primal(value).dtype

    def vjp_fn(cotangent: Any) -> tuple[Any, ...]:
        g = prepare(cotangent, "cotangent")
        if np.shape(g) != shape:
            raise ValueError(
                f"cotangent has shape {np.shape(g)} but f's output has shape {shape}; "
                "they must match."
            )
        if isinstance(g, np.ndarray):
            g = g.astype(dtype, copy=False)
        return tuple(scalarize(a) for a in pullback(g))

    return scalarize(value), vjp_fn


def value_and_grad(f: Callable[..., Any], argnums: int | tuple[int, ...] = 0) -> Callable:
    """``f`` and its gradient :math:`\\nabla f` from one forward and one backward pass.

    ``f`` must return a scalar (shape ``()``): the gradient of a vector-valued function is a
    Jacobian (:func:`jacobian`), and a weighted sum of its rows is a :func:`vjp`.

    Returns
    -------
    callable
        ``(*args, **kwargs) -> (value, gradient)``; the gradient is a tuple when ``argnums`` is.

    Examples
    --------
    >>> import fromscratch.autodiff.numpy as anp
    >>> f = lambda x1, x2: anp.log(x1) + x1 * x2 - anp.sin(x2)
    >>> value, (d1, d2) = value_and_grad(f, argnums=(0, 1))(2.0, 5.0)
    >>> round(float(d1), 3), round(float(d2), 3)
    (5.5, 1.716)
    """
    check_callable(f, "f")
    nums = _validate_argnums(argnums)

    def value_and_grad_f(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        resolved = _resolve_argnums(nums, len(args), argnums)
        value, pullback = _reverse(f, args, kwargs, resolved)
        if np.shape(value) != ():
            raise ValueError(
                f"grad needs f to return a scalar (shape ()), but it returned an array of "
                f"shape {np.shape(value)}. For a vector-valued f use jacobian(f), or vjp(f, x) "
                "for one weighted sum of its rows; to differentiate a total, return its .sum()."
            )
        grads = [scalarize(g) for g in pullback(np.ones((), dtype=primal(value).dtype))]
        return scalarize(value), (tuple(grads) if isinstance(argnums, tuple) else grads[0])

    value_and_grad_f.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    return value_and_grad_f


def grad(f: Callable[..., Any], argnums: int | tuple[int, ...] = 0) -> Callable:
    """The gradient :math:`\\nabla f` of a scalar function, by reverse mode.

    See :func:`value_and_grad`, which this is without the value.

    Examples
    --------
    >>> import numpy as np
    >>> grad(lambda x: (x ** 2).sum())(np.array([1.0, -3.0])).tolist()
    [2.0, -6.0]
    """
    value_and_grad_f = value_and_grad(f, argnums)

    def grad_f(*args: Any, **kwargs: Any) -> Any:
        return value_and_grad_f(*args, **kwargs)[1]

    grad_f.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    return grad_f


def _unit(shape: tuple[int, ...], k: int, dtype: Any) -> np.ndarray:
    e = np.zeros(shape, dtype=dtype)
    e.reshape(-1)[k] = 1
    return e


def jacobian(
    f: Callable[..., Any], argnums: int | tuple[int, ...] = 0, mode: str = "reverse"
) -> Callable:
    """The Jacobian :math:`J_{ij} = \\partial f_i / \\partial x_j`, with shape
    ``out.shape + x.shape``.

    Parameters
    ----------
    mode : {"reverse", "forward"}
        ``"reverse"`` builds it row by row, one VJP per output element (one forward pass, then
        :math:`m` backward passes over the same graph): cheap when outputs are few.
        ``"forward"`` builds it column by column, one JVP per input element (:math:`n` forward
        passes): cheap when inputs are few.
    """
    check_callable(f, "f")
    nums = _validate_argnums(argnums)
    mode = check_choice(mode, "mode", ("reverse", "forward"))

    def jacobian_f(*args: Any, **kwargs: Any) -> Any:
        resolved = _resolve_argnums(nums, len(args), argnums)
        if mode == "reverse":
            value, pullback = _reverse(f, args, kwargs, resolved)
            shape, dtype = np.shape(value), primal(value).dtype
            rows = [pullback(_unit(shape, k, dtype)) for k in range(int(np.prod(shape)))]
            jacs = [_assemble([row[n] for row in rows], shape, np.shape(args[i]), "rows")
                    for n, i in enumerate(resolved)]
        else:
            jacs = [_forward_jacobian(f, args, kwargs, i) for i in resolved]
        jacs = [scalarize(j) for j in jacs]
        return tuple(jacs) if isinstance(argnums, tuple) else jacs[0]

    jacobian_f.__name__ = f"jacobian({getattr(f, '__name__', 'f')})"
    return jacobian_f


def _assemble(pieces: list[Any], out_shape: tuple, in_shape: tuple, kind: str) -> Any:
    """Stack rows (one per output element) or columns (one per input element) into a Jacobian
    of shape ``out_shape + in_shape``; ``stack`` keeps it differentiable for Hessians."""
    if not pieces:  # an empty output or input
        return np.zeros(out_shape + in_shape)
    if kind == "rows":
        return reshape(stack(pieces), out_shape + in_shape)
    return reshape(stack(pieces, axis=-1), out_shape + in_shape)


def _forward_jacobian(f: Callable[..., Any], args: tuple, kwargs: dict, i: int) -> Any:
    x = prepare(args[i], f"argument {i} of f")
    shape, dtype = np.shape(x), primal(x).dtype

    def f_of_xi(xi: Any) -> Any:
        return f(*args[:i], xi, *args[i + 1:], **kwargs)

    columns = []
    out_shape: tuple = ()
    for k in range(int(np.prod(shape))):
        out, column = jvp(f_of_xi, (x,), (_unit(shape, k, dtype),))
        out_shape = np.shape(out)
        columns.append(as_array(column))
    if not columns:
        out_shape = np.shape(f_of_xi(x))
    return _assemble(columns, out_shape, shape, "columns")


def hessian(f: Callable[..., Any], argnums: int = 0, mode: str = "reverse") -> Callable:
    """The Hessian :math:`H_{jk} = \\partial^2 f / \\partial x_j \\partial x_k` of a scalar f,
    with shape ``x.shape + x.shape``.

    It is the Jacobian of the gradient: ``jacobian(grad(f), mode=mode)``. With
    ``mode="reverse"`` (reverse-over-reverse) the gradient's own computation is recorded once
    and then swept backward once per input element; with ``mode="forward"``
    (forward-over-reverse) each column is one Hessian-vector product.
    """
    if isinstance(argnums, tuple):
        raise TypeError("hessian takes one argnums (an int); call it once per argument.")
    return jacobian(grad(f, argnums), argnums, mode=mode)


def hvp(f: Callable[[Any], Any], x: Any, v: Any) -> Any:
    """Hessian-vector product :math:`H(x)\\,v` of a scalar function of one array, without
    forming :math:`H`: the forward-mode derivative of the gradient in direction :math:`v`
    (forward-over-reverse), one pass costing a small multiple of one gradient."""
    check_callable(f, "f")
    return jvp(grad(f), (x,), (v,))[1]


def check_grad(
    f: Callable[..., Any], *args: Any, eps: float = 1e-6, argnums: Any = None
) -> float:
    """The largest error of both autodiff modes against central finite differences.

    For every differentiated argument :math:`x`, the Jacobian is computed in reverse mode, in
    forward mode and by central differences in float64,

    .. math::

        \\frac{\\partial f}{\\partial x_j} \\approx \\frac{f(x + h e_j) - f(x - h e_j)}{2h},

    whose error is :math:`O(h^2)` from truncation plus :math:`O(\\epsilon_{mach}/h)` from
    rounding (about 1e-9 with the default :math:`h = 10^{-6}`). The error reported is
    :math:`\\max |J_{AD} - J_{FD}| / \\max(1, |J_{FD}|)` over all entries and both modes, so a
    correct rule gives about 1e-8 or less and a wrong one gives O(1).

    Parameters
    ----------
    f : callable
        Function of ``args`` returning an array (any shape).
    *args : array-like
        The point; every positional argument is differentiated unless ``argnums`` says otherwise.
    eps : float
        The finite-difference step :math:`h`.
    argnums : int, tuple of ints or None
        Which arguments to check (None: all).

    Examples
    --------
    >>> import fromscratch.autodiff.numpy as anp
    >>> check_grad(lambda x: anp.sin(x) * x, 0.3) < 1e-8
    True
    """
    check_callable(f, "f")
    eps = check_scalar(eps, "eps", min_val=0.0, include_min=False)
    args = tuple(as_float_array(a, f"args[{i}]").astype(np.float64) for i, a in enumerate(args))
    if not args:
        raise ValueError("check_grad needs the point to check at: check_grad(f, x, ...).")
    nums = tuple(range(len(args))) if argnums is None else _resolve_argnums(
        _validate_argnums(argnums), len(args), argnums)
    worst = 0.0
    for i in nums:
        finite_diff = _central_differences(f, args, i, eps)
        for mode in ("reverse", "forward"):
            auto = np.asarray(jacobian(f, i, mode=mode)(*args), dtype=np.float64)
            error = np.abs(auto - finite_diff) / np.maximum(1.0, np.abs(finite_diff))
            worst = max(worst, float(error.max()) if error.size else 0.0)
    return worst


def _central_differences(f: Callable[..., Any], args: tuple, i: int, h: float) -> np.ndarray:
    x = args[i]
    columns = []
    for k in range(x.size):
        step = _unit(x.shape, k, np.float64) * h
        plus = np.asarray(f(*args[:i], x + step, *args[i + 1:]), dtype=np.float64)
        minus = np.asarray(f(*args[:i], x - step, *args[i + 1:]), dtype=np.float64)
        columns.append((plus - minus) / (2 * h))
    out_shape = np.shape(f(*args)) if not columns else columns[0].shape
    if not columns:
        return np.zeros(out_shape + x.shape)
    return np.stack(columns, axis=-1).reshape(out_shape + x.shape)
