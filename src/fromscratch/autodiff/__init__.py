"""Automatic differentiation: forward mode (``Dual``), reverse mode (``Tensor``), one rule table.

* :mod:`fromscratch.autodiff.numpy` (``import fromscratch.autodiff.numpy as anp``): differentiable
  NumPy-like functions, all backed by the table in :mod:`~fromscratch.autodiff.primitives`.
* Forward mode: :class:`Dual`, :func:`derivative`, :func:`jvp`.
* Reverse mode: :class:`Tensor` (``.backward()``, ``.grad``), :func:`no_grad`, :func:`vjp`.
* Transformations that compose: :func:`grad`, :func:`value_and_grad`, :func:`jacobian`,
  :func:`hessian`, :func:`hvp`; :func:`check_grad` tests a rule against finite differences.
* :func:`trace`: the evaluation trace (Wengert list) with tangents and adjoints.
* Nothing drops a derivative silently: ``float(x)``, ``np.asarray(x)``... on a value being
  differentiated raise :class:`ConcretizationTypeError`; :func:`stop_gradient` says "constant"
  on purpose. NumPy's own functions (``np.exp(x)``, ``np.sum(x)``) use the same rules.
"""

from fromscratch.autodiff._core import (
    ConcretizationTypeError,
    Primitive,
    per_argument,
    stop_gradient,
)
from fromscratch.autodiff.forward import Dual, derivative, jvp
from fromscratch.autodiff.functional import (
    check_grad,
    grad,
    hessian,
    hvp,
    jacobian,
    value_and_grad,
    vjp,
)
from fromscratch.autodiff.reverse import Tensor, no_grad
from fromscratch.autodiff.trace import EvaluationTrace, trace

__all__ = [
    "ConcretizationTypeError",
    "Dual",
    "EvaluationTrace",
    "Primitive",
    "Tensor",
    "check_grad",
    "derivative",
    "grad",
    "hessian",
    "hvp",
    "jacobian",
    "jvp",
    "trace",
    "no_grad",
    "per_argument",
    "stop_gradient",
    "value_and_grad",
    "vjp",
]
