"""Reverse-mode automatic differentiation: ``Tensor`` and its backward pass.

Every operation on Tensors computes its value with NumPy and records, on the output, the
primitive and its inputs: the graph is built as the program runs (micrograd style). The
backward pass visits that graph from the output towards the inputs and applies each primitive's
VJP rule, accumulating the adjoints

.. math::

    \\bar v_j = \\sum_{i \\,:\\, v_j \\to v_i} \\bar v_i \\, \\frac{\\partial v_i}{\\partial v_j},
    \\qquad \\bar y = 1,

so one backward pass gives the gradient with respect to every input, whatever their number.

**Semantics (PyTorch's, except where noted).**

* ``backward()`` adds the gradient into ``.grad`` of every leaf Tensor with
  ``requires_grad=True`` (a leaf is a Tensor made by hand, not by an operation). Non-leaf
  Tensors do not keep ``.grad``.
* The graph is **kept** after ``backward()`` (PyTorch frees it unless ``retain_graph=True``):
  a second ``backward()`` is allowed and adds the same gradient to ``.grad`` again. Clear
  ``.grad`` between steps (``optimizer.zero_grad()``). The graph is freed with its output.
* ``with no_grad():`` nothing is recorded; results are constants.
* ``.data`` holds an ndarray (float64, or float32 when given float32; integers become float64).
  ``Tensor(array)`` copies the array, so updating ``.data`` in place never changes the caller's
  array.
* ``t.item()`` and ``float(t)`` return the value as a Python number, a constant by definition;
  ``t.numpy()`` and ``np.asarray(t)`` refuse a Tensor that requires grad (PyTorch's error):
  write ``t.detach().numpy()``, or ``t.data`` for the array itself. Inside a transformation
  (``grad(f)``) all four raise :class:`~fromscratch.autodiff.ConcretizationTypeError`.
* NumPy's functions accept Tensors (``np.exp(t)``, ``np.sum(t, axis=0)``) and record the same
  operations as ``anp``'s.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from fromscratch.autodiff._arraybox import ArrayBox
from fromscratch.autodiff._core import (
    FLOAT64,
    STATE,
    Box,
    ConcretizationTypeError,
    Primitive,
    as_array,
    as_float_array,
    broadcasts_to,
    complex_error,
    mixing_error,
    primal,
    rule_for,
    shape_error,
)
from fromscratch.autodiff.numpy import sum_to

__all__ = ["Tensor", "no_grad", "backprop"]


class Tensor(ArrayBox):
    """An array that records the operations applied to it, for reverse-mode differentiation.

    Parameters
    ----------
    data : array-like
        The value (copied; float64 unless float32 is given; integers become float64).
    requires_grad : bool
        Whether ``backward()`` should compute the gradient with respect to this Tensor.

    Attributes
    ----------
    data : ndarray
        The value. Optimizers update it in place.
    grad : ndarray or None
        :math:`\\partial y / \\partial\\,\\mathrm{data}`, accumulated by ``y.backward()``.
    requires_grad : bool
        True for leaves that asked for it and for every result computed from one.

    Examples
    --------
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> loss.backward()
    >>> w.grad.tolist()
    [2.0, 4.0]
    """

    __slots__ = ("grad", "requires_grad", "_prim", "_args", "_kwargs", "_parents", "_argnums")
    # A recorded operation's primitive, its arguments and the Tensors among them (at _argnums);
    # a leaf has no primitive and no parents.
    _prim: Primitive | None
    _args: list[Any]
    _kwargs: dict[str, Any]
    _parents: Sequence[Tensor]
    _argnums: list[int]

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"requires_grad must be a bool, got {type(requires_grad).__name__}.")
        self._value = np.array(as_float_array(data, "data"))  # np.array copies
        self._level = 0
        self.grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)
        self._prim = None
        self._parents = ()

    @property
    def data(self) -> Any:
        """The value: an ndarray (inside transformations, possibly a lower-level box)."""
        return self._value

    @data.setter
    def data(self, value: Any) -> None:
        self._value = value

    @property
    def is_leaf(self) -> bool:
        """True for a Tensor made by hand (or by an operation that recorded nothing)."""
        return self._prim is None

    @classmethod
    def _leaf(cls, value: Any, level: int) -> Tensor:
        """An input of a transformation: a leaf at ``level`` that requires grad, no checks."""
        out = cls.__new__(cls)
        out._value = value
        out._level = level
        out.grad = None
        out.requires_grad = True
        out._prim = None
        out._parents = ()
        return out

    def _apply(self, prim: Primitive, args: tuple, kwargs: dict) -> Tensor:
        """Evaluate ``prim`` on the unboxed values and record it, if any input requires grad."""
        level = self._level
        record = level > STATE.no_grad_level
        values = list(args)
        parents = []
        argnums = []
        nested = False
        for i, a in enumerate(args):
            if isinstance(a, Box):
                if a._level != level:
                    nested = True
                    continue
                # The exact type first: a plain Tensor costs one comparison; a subclass (such
                # as nn.Parameter) passes the isinstance test.
                if type(a) is not Tensor and not isinstance(a, Tensor):
                    raise mixing_error(prim)
                values[i] = a._value
                nested = nested or isinstance(a._value, Box)
                if record and a.requires_grad:
                    rule_for(prim.vjps, i, prim, "vjp")  # fail now, not in backward()
                    parents.append(a)
                    argnums.append(i)
        out = Tensor.__new__(Tensor)
        out._value = as_array(prim(*values, **kwargs) if nested else prim.fun(*values, **kwargs))
        dtype = out._value.dtype
        if dtype is not FLOAT64 and dtype.kind == "c":  # the identity test: float64, at once
            raise complex_error(prim)
        out._level = level
        out.grad = None
        if parents:
            out.requires_grad = True
            out._prim = prim
            out._args = values
            out._kwargs = kwargs
            out._parents = parents
            out._argnums = argnums
            if STATE.tape is not None:  # only while trace() runs
                STATE.tape.append(out)
        else:
            out.requires_grad = False
            out._prim = None
            out._parents = ()
        return out

    def backward(self, gradient: Any = None) -> None:
        """Add :math:`\\partial\\,\\mathrm{self} / \\partial\\,\\mathrm{leaf}` to ``leaf.grad``.

        Parameters
        ----------
        gradient : array-like, optional
            The cotangent :math:`\\bar y` to start from, of this Tensor's shape. May be omitted
            only for a Tensor with one element (then :math:`\\bar y = 1`), e.g. a loss.
        """
        if not self.requires_grad:
            raise ValueError(
                "backward() was called on a Tensor that does not require grad: nothing it was "
                "computed from has requires_grad=True (or it was computed under no_grad()). "
                "Create the inputs with Tensor(..., requires_grad=True)."
            )
        value = self._value
        if gradient is None:
            if np.size(value) != 1:
                raise ValueError(
                    f"backward() without a gradient needs a Tensor with one element (a loss); "
                    f"this one has shape {np.shape(value)}. Reduce it first (e.g. .sum()), or "
                    "pass backward(gradient=...) of the same shape."
                )
            seed = np.ones(np.shape(value), dtype=value.dtype)
        else:
            seed = as_float_array(gradient, "gradient")
            if seed.shape != np.shape(value):
                raise ValueError(
                    f"gradient has shape {seed.shape} but the Tensor has shape "
                    f"{np.shape(value)}; they must match."
                )
            seed = seed.astype(value.dtype, copy=False)
        for leaf, g in backprop(self, seed).items():
            if leaf.requires_grad and leaf._prim is None:
                # in the leaf's dtype (as PyTorch), also when accumulating: a float32 leaf used
                # with float64 constants keeps a float32 .grad. A copy the leaf owns: optimizers
                # may zero it in place (p.grad[...] = 0)
                g = np.array(g, dtype=leaf._value.dtype)
                leaf.grad = g if leaf.grad is None else leaf.grad + g

    def detach(self) -> Tensor:
        """The same value (shared, not copied) as a constant: no graph, no gradient."""
        out = Tensor.__new__(Tensor)
        out._value = self._value
        out._level = self._level
        out.grad = None
        out.requires_grad = False
        out._prim = None
        out._parents = ()
        return out

    def numpy(self) -> np.ndarray:
        """The value as an ndarray (shared with ``.data``); as in PyTorch, a Tensor that
        requires grad must be detached first (``t.detach().numpy()``)."""
        return self._concrete(".numpy()", to_array=True)

    def _drops_derivative(self, to_array: bool) -> bool:
        # PyTorch: float(t) and t.item() detach by definition, np.asarray(t) and t.numpy()
        # refuse a Tensor that requires grad; inside a transformation, all of them refuse
        return self.requires_grad and (to_array or self._level > 0)

    def _conversion_error(self, call: str) -> Exception:
        if self._level > 0:
            return super()._conversion_error(call)
        return ConcretizationTypeError(
            f"Can't call numpy() on Tensor that requires grad (here: {call}). Use "
            "tensor.detach().numpy() instead (or tensor.data for the array itself)."
        )

    def __repr__(self) -> str:
        flag = ", requires_grad=True" if self.requires_grad else ""
        body = np.array2string(primal(self), separator=", ", prefix="Tensor(")
        return f"Tensor({body}{flag})"


def backprop(root: Tensor, seed: Any, keep_all: bool = False) -> dict[Tensor, Any]:
    """The reverse sweep: adjoints of the leaves (of every node if ``keep_all``).

    Iterative throughout (a chain of 100,000 operations needs no recursion): first count, for
    every node below ``root``, how many recorded consumers it has; then process nodes in an
    order where a node's adjoint is complete before it is used (Kahn's topological sort): a
    node becomes ready when all its consumers have sent their share. A node used twice
    receives two shares, which are added.
    """
    consumers: dict[Tensor, int] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for parent in node._parents:
            if parent in consumers:
                consumers[parent] += 1
            else:
                consumers[parent] = 1
                stack.append(parent)

    adjoint: dict[Tensor, Any] = {root: seed}
    result: dict[Tensor, Any] = {}
    ready = [root]
    while ready:
        node = ready.pop()
        g = adjoint.pop(node)
        if keep_all or node._prim is None:
            result[node] = g
        if node._prim is None:
            continue
        prim, ans, args, kwargs = node._prim, node._value, node._args, node._kwargs
        for parent, i in zip(node._parents, node._argnums, strict=True):
            share = prim.vjps[i](g, ans, *args, **kwargs)
            if share.shape != parent._value.shape:  # a broadcast input: sum its share back
                if not broadcasts_to(parent._value.shape, share.shape):
                    raise shape_error(prim, i, share.shape, parent._value.shape, "vjp")
                share = sum_to(share, parent._value.shape)
            adjoint[parent] = adjoint[parent] + share if parent in adjoint else share
            consumers[parent] -= 1
            if consumers[parent] == 0:
                ready.append(parent)
    return result


@contextmanager
def no_grad() -> Iterator[None]:
    """Within the block, operations on Tensors record nothing (results are constants).

    Applies to the Tensors of the enclosing code; a transformation (``grad(f)``) started inside
    the block still differentiates its own function, like ``torch.func`` under ``no_grad``.
    """
    previous = STATE.no_grad_level
    STATE.no_grad_level = max(previous, STATE.top)
    try:
        yield
    finally:
        STATE.no_grad_level = previous
