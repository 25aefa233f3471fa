r"""Cheap condition-number estimates (Hager–Higham) and the library's conditioning rule."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch.exceptions import warn_at_caller
from fromscratch.linalg._common import IllConditionedWarning, LinAlgError, _as_matrix
from fromscratch.linalg._triangular import _solve_triangular_unchecked


def _inverse_norm1_estimate(
    solve: Callable[[np.ndarray], np.ndarray],
    solve_t: Callable[[np.ndarray], np.ndarray],
    n: int,
    dtype: np.dtype,
    max_iter: int = 5,
) -> float:
    r"""Estimate :math:`\|M^{-1}\|_1` from a few solves (Hager 1984, Higham 1988).

    Maximize the convex function :math:`\|M^{-1}x\|_1` over the unit 1-norm ball by a gradient
    ascent that jumps between its vertices :math:`e_j`: :math:`y = M^{-1}x`,
    :math:`\xi = \operatorname{sign}(y)`, :math:`z = M^{-\top}\xi`; stop when no coordinate of
    :math:`z` beats :math:`z^\top x`, else move to :math:`e_{\arg\max|z_j|}`. Higham's extra
    test vector :math:`x_i = (-1)^i(1 + i/(n-1))` guards against the rare bad cases. The result
    is a lower bound, almost always within a factor 3 of the truth.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        x = np.full(n, 1.0 / n, dtype=dtype)
        estimate = 0.0
        for _ in range(max_iter):
            y = solve(x)
            estimate = float(np.abs(y).sum())
            if not math.isfinite(estimate):
                return math.inf
            xi = np.where(y >= 0, 1.0, -1.0).astype(dtype)
            z = solve_t(xi)
            j = int(np.argmax(np.abs(z)))
            if abs(z[j]) <= z @ x:
                break
            x = np.zeros(n, dtype=dtype)
            x[j] = 1.0
        alternating = np.array(
            [(-1) ** i * (1 + i / max(n - 1, 1)) for i in range(n)], dtype=dtype
        )
        extra = 2 * float(np.abs(solve(alternating)).sum()) / (3 * n)
    return max(estimate, extra) if math.isfinite(extra) else math.inf


def cond_triangular(T: Any, *, lower: bool = False) -> float:
    r"""Estimate the 1-norm condition number :math:`\kappa_1(T) = \|T\|_1\|T^{-1}\|_1`.

    Costs a few triangular solves (:math:`O(n^2)`), against :math:`O(n^3)` for the exact
    value. A zero on the diagonal gives ``inf``.
    """
    T = _as_matrix(T, "T", square=True)
    T = np.tril(T) if lower else np.triu(T)
    if np.any(np.diagonal(T) == 0):
        return math.inf
    inverse_norm = _inverse_norm1_estimate(
        lambda v: _solve_triangular_unchecked(T, v, lower=lower),
        lambda v: _solve_triangular_unchecked(T, v, lower=lower, trans=True),
        T.shape[0],
        T.dtype,
    )
    return float(np.abs(T).sum(axis=0).max()) * inverse_norm


def cond_cholesky(A: Any, L: Any) -> float:
    r"""Estimate :math:`\kappa_1(A)` for symmetric positive definite :math:`A = LL^\top`,
    applying :math:`A^{-1}` through the factor (two triangular solves per step)."""
    A = _as_matrix(A, "A", square=True)
    L = _as_matrix(L, "L", square=True)
    if L.shape != A.shape:
        raise ValueError(f"L has shape {L.shape} but A has shape {A.shape}; L must be A's "
                         "Cholesky factor.")
    if np.any(np.diagonal(L) == 0):
        return math.inf

    def solve(v: np.ndarray) -> np.ndarray:
        y = _solve_triangular_unchecked(L, v, lower=True)
        return _solve_triangular_unchecked(L, y, lower=True, trans=True)

    inverse_norm = _inverse_norm1_estimate(solve, solve, A.shape[0], L.dtype)
    return float(np.abs(A).sum(axis=0).max()) * inverse_norm


def check_condition(
    cond: float,
    *,
    size: int,
    dtype: Any,
    name: str = "A",
    hint: str = "",
) -> None:
    r"""Apply the library's conditioning rule to an estimated condition number.

    Raises :class:`LinAlgError` when :math:`\hat\kappa \ge 1/(k\varepsilon)` (numerically
    singular / rank deficient, ``k = size``), warns :class:`IllConditionedWarning` when
    :math:`\hat\kappa \ge 1/\sqrt{\varepsilon}`. ``hint`` is appended to both messages.
    """
    singular_at = 1.0 / (size * float(np.finfo(dtype).eps))
    if not cond < singular_at:
        raise LinAlgError(
            f"{name} is singular to working precision (rank deficient): its estimated "
            f"condition number {cond:.3g} exceeds 1/(max dimension × eps) = {singular_at:.3g}. "
            f"Some columns are (nearly) linear combinations of others. {hint}".rstrip()
        )
    _warn_if_ill_conditioned(cond, dtype=dtype, name=name, hint=hint)


def _warn_if_ill_conditioned(cond: float, *, dtype: Any, name: str = "A", hint: str = "") -> None:
    r"""The warning half of the rule: :class:`IllConditionedWarning` when
    :math:`\hat\kappa \ge 1/\sqrt{\varepsilon}`, with ``hint`` appended; it names the
    user's line (:func:`~fromscratch.exceptions.warn_at_caller`)."""
    warn_at = 1.0 / math.sqrt(float(np.finfo(dtype).eps))
    if cond >= warn_at:
        warn_at_caller(
            f"{name} is ill-conditioned: estimated condition number {cond:.3g} ≥ 1/sqrt(eps) "
            f"= {warn_at:.3g}, so more than half of the significant digits of the result may "
            f"be lost. {hint}".rstrip(),
            IllConditionedWarning,
        )
