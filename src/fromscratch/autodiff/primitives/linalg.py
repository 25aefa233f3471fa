"""The table, products family: ``matmul`` and ``einsum``.

Both are linear in each operand, so the JVP of operand :math:`i` is the same product with the
tangent in place of that operand, and its VJP contracts the cotangent with the other operands
back to operand :math:`i`'s indices: for :math:`C = AB`, :math:`\\bar A = \\bar C B^\\top`
and :math:`\\bar B = A^\\top \\bar C`.
"""

from __future__ import annotations

import builtins
import string
from collections import Counter
from typing import Any

import numpy as np

from fromscratch.autodiff._core import Primitive, per_argument, primal
from fromscratch.autodiff.primitives.shapes import (
    broadcast_to,
    expand_dims,
    scatter_add,
    squeeze,
    transpose,
)

__all__ = ["einsum", "matmul"]


def _mT(x: Any) -> Any:
    """Swap the last two axes (the matrix transpose of a stack of matrices)."""
    axes = list(range(np.ndim(x)))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return transpose(x, tuple(axes))


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


# -- einsum ----------------------------------------------------------------------------------------


def _explicit(subscripts: Any, shapes: list[tuple[int, ...]]) -> str:
    """``subscripts`` in explicit form, ``'ij,jk->ik'``: every ``...`` replaced by letters
    (right-aligned, as broadcasting aligns axes) and the implicit output spelled out (the
    letters used once, in alphabetical order, after the ``...`` axes), as NumPy reads them."""
    if not isinstance(subscripts, str):
        raise TypeError(
            "einsum takes its subscripts as a string first, e.g. einsum('ij,jk->ik', a, b); "
            f"got {type(subscripts).__name__} (the form einsum(a, [0, 1], b, [1, 2]) is not "
            "supported)."
        )
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: the subscripts {subscripts!r} name {len(terms)} operand(s), "
                         f"but {len(shapes)} were given.")
    spare = [c for c in string.ascii_letters if c not in spec]
    covered = [len(s) - len(t.replace("...", "")) for t, s in zip(terms, shapes, strict=True)]
    n_ell = builtins.max((r for t, r in zip(terms, covered, strict=True) if "..." in t),
                         default=0)
    ell = "".join(spare[:n_ell])
    explicit = []
    for t, shape, r in zip(terms, shapes, covered, strict=True):
        t = t.replace("...", ell[n_ell - r:])
        if len(t) != len(shape) or not t.isalpha() and t:
            raise ValueError(f"einsum: the subscripts {t!r} do not fit an operand of shape "
                             f"{shape}; give one letter per axis (or '...').")
        explicit.append(t)
    if arrow:
        output = output.replace("...", ell)
    else:
        counts = Counter("".join(explicit))
        output = ell + "".join(sorted(c for c in counts if counts[c] == 1 and c not in ell))
    return ",".join(explicit) + "->" + output


def _einsum_jvp(argnum: int, t: Any, ans: Any, spec: str, *ops: Any, optimize: Any = False) -> Any:
    """Multilinear: the same contraction with the tangent in place of operand ``argnum``."""
    i = argnum - 1
    return _einsum(spec, *ops[:i], t, *ops[i + 1:])


def _einsum_vjp(argnum: int, g: Any, ans: Any, spec: str, *ops: Any, optimize: Any = False) -> Any:
    """Contract the cotangent (indexed by the output letters) with the other operands to the
    letters of operand ``argnum``. A letter only that operand has is summed in the forward
    product, so its adjoint is constant along it: a vector of ones brings it back. A letter
    the operand repeats (``'ii'``) reads its diagonal, so the adjoint goes onto that diagonal.
    A letter of size 1 in every other operand yields size 1 here: broadcast to the operand's."""
    i = argnum - 1
    inputs, output = spec.split("->")
    terms = inputs.split(",")
    target = terms[i]
    others = [j for j in range(len(ops)) if j != i]
    size = dict(zip(target, np.shape(ops[i]), strict=True))
    letters = "".join(dict.fromkeys(target))
    seen = set(output).union(*(terms[j] for j in others))
    missing = "".join(c for c in letters if c not in seen)
    subs, args = [output] + [terms[j] for j in others], [g] + [ops[j] for j in others]
    if missing:
        subs.append(missing)
        args.append(np.ones([size[c] for c in missing], dtype=primal(g).dtype))
    share = _einsum(",".join(subs) + "->" + letters, *args)
    if letters == target:  # a letter the operand broadcasts (size n, 1 elsewhere): expand it
        shape = np.broadcast_shapes(np.shape(share), np.shape(ops[i]))
        return share if np.shape(share) == shape else broadcast_to(share, shape)
    grid = np.indices([size[c] for c in letters])
    return scatter_add(share, tuple(grid[letters.index(c)] for c in target), np.shape(ops[i]))


def einsum(subscripts: str, *operands: Any, optimize: Any = False) -> Any:
    """Einstein summation: ``einsum('ij,jk->ik', A, B)`` is :math:`\\sum_j A_{ij} B_{jk}`.

    NumPy's string forms: explicit (``'ij,jk->ik'``), implicit (``'ij,jk'``: the output has the
    letters used once, in alphabetical order), repeated letters (``'ii->i'``, the diagonal;
    ``'ii'``, the trace) and ``...`` for broadcast axes. ``optimize`` is passed to
    ``np.einsum`` for the values (it chooses the contraction order, not the result).
    """
    spec = _explicit(subscripts, [np.shape(op) for op in operands])
    return _einsum(spec, *operands, optimize=optimize)


# ==== THE TABLE: products =========================================================================

matmul = Primitive("matmul", np.matmul,
    jvp=(lambda t, ans, a, b: t @ b, lambda t, ans, a, b: a @ t),
    vjp=(_matmul_vjp_a, _matmul_vjp_b))
_einsum = Primitive("einsum", lambda spec, *ops, optimize=False: np.einsum(
    spec, *ops, optimize=optimize),
    jvp=per_argument(_einsum_jvp), vjp=per_argument(_einsum_vjp),
    doc="einsum(explicit subscripts 'ij,jk->ik', *operands); the public einsum parses first.")
