r"""Gradient clipping (``torch.nn.utils``): keep one bad batch from throwing training off course.

A loss surface with cliffs (recurrent networks, a badly scaled input, the first steps of a
large learning rate) can produce a gradient thousands of times larger than usual, and one step
along it undoes many epochs. Clipping caps the step before the optimizer takes it:

* :func:`clip_grad_norm_` rescales *all* gradients together so that their joint norm is at most
  ``max_norm``. The direction of the step is kept; only its length shrinks.
* :func:`clip_grad_value_` clamps each gradient entry to ``[-clip_value, clip_value]``, which
  also changes the direction.

Both act in place on each parameter's ``.grad`` and are called between ``loss.backward()`` and
``optimizer.step()``::

    loss.backward()
    clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()

Parameters whose ``.grad`` is ``None`` are skipped. ``foreach`` is accepted for PyTorch
compatibility (PyTorch's choice between a fused multi-tensor kernel and a loop); NumPy has one
implementation, so it changes nothing.
"""

from __future__ import annotations

import math
import numbers
import types
from collections.abc import Iterable
from typing import Any

import numpy as np

from fromscratch._validation import check_scalar
from fromscratch.autodiff import Tensor
from fromscratch.exceptions import warn_at_caller

__all__ = ["get_total_norm", "clip_grads_with_norm_", "clip_grad_norm_", "clip_grad_value_"]

#: Added to the total norm before dividing (PyTorch's constant): keeps the coefficient finite
#: for an all-zero gradient.
_EPS = 1e-6


def _check_foreach(foreach: Any) -> None:
    if foreach is not None and not isinstance(foreach, (bool, np.bool_)):
        raise TypeError(f"foreach must be None, True or False; got {foreach!r}.")


def _tensors(parameters: Tensor | Iterable[Tensor], name: str = "parameters") -> list[Tensor]:
    """``parameters`` as a list of Tensors (one Tensor is a list of one), with clear errors."""
    if isinstance(parameters, Tensor):
        return [parameters]
    if isinstance(parameters, (np.ndarray, str, bytes)) or not isinstance(parameters, Iterable):
        raise TypeError(
            f"{name} must be a Tensor or an iterable of Tensors (e.g. model.parameters()); got "
            f"{type(parameters).__name__}."
        )
    is_generator = isinstance(parameters, types.GeneratorType)
    tensors = list(parameters)
    if is_generator and not tensors:
        warn_at_caller(
            f"{name} is an empty generator, so nothing is clipped; a generator such as "
            "model.parameters() can be consumed only once.",
            UserWarning,
        )
    for i, p in enumerate(tensors):
        if not isinstance(p, Tensor):
            raise TypeError(f"{name}[{i}] is a {type(p).__name__}; expected a Tensor.")
    return tensors


def _grads(parameters: Tensor | Iterable[Tensor]) -> list[np.ndarray]:
    """The ``.grad`` arrays of the parameters that have one (the arrays themselves, not copies)."""
    return [p.grad for p in _tensors(parameters) if p.grad is not None]


def _norm_type(norm_type: Any) -> float:
    """``norm_type`` as a float :math:`p > 0` or ``inf`` (``'inf'`` is accepted, as in PyTorch)."""
    if isinstance(norm_type, str):
        if norm_type.strip().lower() not in ("inf", "+inf", "infinity"):
            raise ValueError(f"norm_type must be a number > 0 or 'inf'; got {norm_type!r}.")
        return math.inf
    return check_scalar(norm_type, "norm_type", min_val=0.0, include_min=False, allow_inf=True)


def _vector_norm(x: np.ndarray, p: float) -> float:
    r""":math:`\|x\|_p = (\sum_i |x_i|^p)^{1/p}`, or :math:`\max_i |x_i|` for :math:`p = \infty`.

    Computed as :math:`m \,\|x / m\|_p` with :math:`m = \max_i |x_i|`, so that :math:`|x_i|^p`
    neither overflows nor underflows; a NaN or an infinity in :math:`x` is returned as such.
    """
    a = np.abs(np.asarray(x, dtype=np.float64)).ravel()
    m = float(a.max()) if a.size else 0.0
    if p == math.inf or m == 0.0 or not math.isfinite(m):
        return m
    return m * float(np.sum((a / m) ** p)) ** (1.0 / p)


def get_total_norm(
    tensors: Any,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> float:
    r"""The norm of several arrays viewed as one long vector (``torch.nn.utils.get_total_norm``):

    .. math:: \|g\|_p = \Big(\sum_k \|g_k\|_p^p\Big)^{1/p}, \qquad
        \|g\|_\infty = \max_k \|g_k\|_\infty,

    computed, as in PyTorch, as the :math:`p`-norm of the vector of the arrays' norms.

    Parameters
    ----------
    tensors : array, Tensor, or iterable of them
        The gradients (Tensors count by their values).
    norm_type : float > 0 or "inf", default 2
    error_if_nonfinite : bool, default False
        Raise if the norm is NaN or infinite; otherwise warn and return it.
    foreach : bool or None
        Accepted for PyTorch compatibility; ignored.

    Returns
    -------
    float
        The total norm; 0 for no arrays.
    """
    p = _norm_type(norm_type)
    _check_foreach(foreach)
    if isinstance(tensors, (np.ndarray, Tensor)):
        tensors = [tensors]
    arrays = [t.data if isinstance(t, Tensor) else np.asarray(t) for t in tensors]
    if not arrays:
        return 0.0
    total = _vector_norm(np.array([_vector_norm(g, p) for g in arrays]), p)
    if not math.isfinite(total):
        message = (
            f"the total norm of order {p} of the gradients is {total}, so it cannot be clipped: "
            "some gradient holds a NaN or an infinity (a diverging loss, or a too large "
            "learning rate)."
        )
        if error_if_nonfinite:
            raise ValueError(message)
        warn_at_caller(
            message + " Scaling by it makes the gradients NaN or zero, as PyTorch does; pass "
            "error_if_nonfinite=True to stop instead.",
            RuntimeWarning,
        )
    return total


def clip_grads_with_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    total_norm: float,
    foreach: bool | None = None,
) -> None:
    r"""Scale every gradient in place by :math:`\min\big(1, \frac{c}{\|g\| + 10^{-6}}\big)`,
    :math:`c` = ``max_norm``, given the precomputed ``total_norm`` :math:`\|g\|`
    (``torch.nn.utils.clip_grads_with_norm_``).

    The coefficient is capped at 1: clipping only ever shrinks a gradient. The :math:`10^{-6}`
    keeps it finite for a zero gradient (and leaves a clipped norm a hair under :math:`c`).
    """
    max_norm = check_scalar(max_norm, "max_norm", min_val=0.0, allow_inf=True)
    if isinstance(total_norm, (bool, np.bool_)) or not isinstance(total_norm, numbers.Real):
        raise TypeError(
            f"total_norm must be a real number (see get_total_norm); got {total_norm!r}."
        )
    if total_norm < 0:
        raise ValueError(f"total_norm must be >= 0 (it is a norm); got {total_norm}.")
    _check_foreach(foreach)
    coef = min(max_norm / (total_norm + _EPS), 1.0)  # NaN for a NaN norm, as in PyTorch
    with np.errstate(invalid="ignore"):  # 0 * inf in a gradient: get_total_norm has warned
        for g in _grads(parameters):
            g *= coef


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> float:
    r"""Clip the gradients' joint norm to ``max_norm``, in place
    (``torch.nn.utils.clip_grad_norm_``).

    With :math:`g` all gradients stacked into one vector and :math:`c` = ``max_norm``:

    .. math:: g \leftarrow g \cdot \min\Big(1, \frac{c}{\|g\|_p + 10^{-6}}\Big).

    A gradient shorter than :math:`c` is left as it is; a longer one keeps its direction and
    gets length (just under) :math:`c`. This is :func:`get_total_norm` followed by
    :func:`clip_grads_with_norm_`.

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        Parameters whose ``.grad`` is clipped (those without a gradient are skipped).
    max_norm : float >= 0
    norm_type : float > 0 or "inf", default 2
    error_if_nonfinite : bool, default False
        Raise ``ValueError`` if the total norm is NaN or infinite, instead of warning and
        scaling by it (which makes the gradients NaN or zero, as in PyTorch).
    foreach : bool or None
        Accepted for PyTorch compatibility; ignored.

    Returns
    -------
    float
        The total norm :math:`\|g\|_p` *before* clipping (worth logging: a norm that keeps
        hitting ``max_norm`` means the learning rate or the clip is too tight).
    """
    max_norm = check_scalar(max_norm, "max_norm", min_val=0.0, allow_inf=True)
    parameters = _tensors(parameters)
    total = get_total_norm(_grads(parameters), norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    r"""Clamp every gradient entry to :math:`[-v, v]`, :math:`v` = ``clip_value``, in place
    (``torch.nn.utils.clip_grad_value_``): :math:`g_i \leftarrow \max(-v, \min(g_i, v))`."""
    clip_value = check_scalar(clip_value, "clip_value", min_val=0.0, allow_inf=True)
    _check_foreach(foreach)
    for g in _grads(parameters):
        np.clip(g, -clip_value, clip_value, out=g)
