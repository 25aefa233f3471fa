r"""What every linear regression model shares: centering for the intercept, exact solvers, predict.

**The intercept by centering.** For a model :math:`\hat y = Xw + b` and any objective
:math:`\|y - Xw - b\mathbf 1\|^2 + \mathrm{penalty}(w)` whose penalty does not involve
:math:`b`, setting the derivative in :math:`b` to zero gives

.. math:: b = \bar y - \bar x^\top w ,

and substituting it back leaves the same problem on centered data,
:math:`\|(y - \bar y) - (X - \mathbf 1\bar x^\top) w\|^2 + \mathrm{penalty}(w)`. So every
estimator here centers :math:`X` and :math:`y`, solves for :math:`w` without an intercept, and
recovers :math:`b` from the means: the intercept is never penalized (a classic bug when it is
folded into :math:`w` as a column of ones).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch.base import BaseEstimator, RegressorMixin
from fromscratch.exceptions import ConvergenceWarning
from fromscratch.linalg import (
    HouseholderQR,
    LinAlgError,
    check_condition,
    check_r_factor,
    cho_solve,
    cholesky,
    cond_cholesky,
    solve_triangular,
)

__all__ = [
    "ConvergenceWarning",
    "LinearModel",
    "center_data",
    "intercept_from",
    "solve_least_squares_qr",
    "solve_normal_equations",
]


def center_data(
    X: np.ndarray, y: np.ndarray, fit_intercept: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    r"""Center the data for the intercept: return ``(X - x̄, y - ȳ, x̄, ȳ)``.

    Without an intercept the data are returned as they are, with zero offsets. The intercept
    of a fitted :math:`w` is then :math:`\bar y - \bar x^\top w` (:func:`intercept_from`).
    """
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1], dtype=X.dtype), X.dtype.type(0)
    X_offset = X.mean(axis=0)
    y_offset = y.mean(axis=0)
    return X - X_offset, y - y_offset, X_offset, y_offset


def intercept_from(
    coef: np.ndarray, X_offset: np.ndarray, y_offset: Any, fit_intercept: bool
) -> Any:
    r"""The intercept :math:`b = \bar y - \bar x^\top w` of centered data (0.0 without one)."""
    return y_offset - X_offset @ coef if fit_intercept else 0.0


def _rank_deficiency_hint(fit_intercept: bool) -> str:
    constant = (
        " With fit_intercept=True the columns are centered, so a constant column counts as "
        "collinear with the intercept."
        if fit_intercept
        else ""
    )
    return (
        "Least squares needs linearly independent columns." + constant + " Remove collinear "
        "columns, or use Ridge(alpha > 0), whose penalty makes the solution unique."
    )


def _check_determined(n_samples: int, n_features: int, hint: str) -> None:
    if n_samples < n_features:
        raise LinAlgError(
            f"X has {n_samples} sample(s) and {n_features} features: with fewer samples than "
            f"features the least-squares solution is not unique. {hint}".strip()
        )


def solve_least_squares_qr(
    X: np.ndarray, y: np.ndarray, *, alpha: float = 0.0, hint: str = ""
) -> tuple[np.ndarray, float]:
    r"""Minimize :math:`\|y - Xw\|^2 + \alpha\|w\|^2` by Householder QR; return (w, κ̂).

    For :math:`\alpha > 0` the ridge problem is the least-squares problem of the augmented
    system :math:`\begin{bmatrix} X \\ \sqrt\alpha I\end{bmatrix} w \approx
    \begin{bmatrix} y \\ 0\end{bmatrix}`, whose columns are always independent. With
    :math:`X = QR`, :math:`w` solves :math:`Rw = Q^\top y` (see :func:`fromscratch.linalg.lstsq`).
    :math:`\hat\kappa` is the estimated condition number of the (augmented) design matrix;
    the conditioning rule of :mod:`fromscratch.linalg` is applied to it.
    """
    n_samples, n_features = X.shape
    if alpha > 0:
        X = np.vstack([X, np.sqrt(X.dtype.type(alpha)) * np.eye(n_features, dtype=X.dtype)])
        y = np.concatenate([y, np.zeros(n_features, dtype=y.dtype)])
    else:
        _check_determined(n_samples, n_features, hint)
    fact = HouseholderQR(X)
    R = fact.r
    cond = check_r_factor(R, size=max(X.shape), name="X", hint=hint)
    coef = solve_triangular(R, fact.apply_qt(y)[:n_features])
    return coef, cond


def solve_normal_equations(
    X: np.ndarray, y: np.ndarray, *, alpha: float = 0.0, hint: str = ""
) -> tuple[np.ndarray, float]:
    r"""Solve :math:`(X^\top X + \alpha I)w = X^\top y` by Cholesky; return :math:`(w, \hat\kappa)`.

    The Gram matrix :math:`X^\top X` is one big matrix product (fast), but its condition number
    is :math:`\kappa(X)^2`: the normal equations lose twice as many digits as QR. With fewer
    samples than features the *dual* (kernel) form is solved instead,

    .. math:: w = X^\top (XX^\top + \alpha I)^{-1} y ,

    (the push-through identity :math:`(X^\top X + \alpha I)^{-1}X^\top = X^\top(XX^\top +
    \alpha I)^{-1}`), an :math:`n \times n` system. :math:`\hat\kappa` is the estimated
    condition number of the matrix factored.
    """
    n_samples, n_features = X.shape
    if alpha == 0:
        _check_determined(n_samples, n_features, hint)
    dual = n_samples < n_features
    G = X @ X.T if dual else X.T @ X
    name = ("XXᵀ" if dual else "XᵀX") + (" + alpha·I" if alpha > 0 else "")
    G[np.diag_indices_from(G)] += alpha
    try:
        L = cholesky(G)
    except LinAlgError as exc:
        raise LinAlgError(f"{name} is not positive definite. {hint} ({exc})".strip()) from exc
    cond = cond_cholesky(G, L)
    check_condition(cond, size=G.shape[0], dtype=G.dtype, name=name, hint=hint, stacklevel=3)
    if dual:
        return X.T @ cho_solve(L, y), cond
    return cho_solve(L, X.T @ y), cond


class LinearModel(RegressorMixin, BaseEstimator):
    r"""Base of the linear regressors: :math:`\hat y = Xw + b` (``coef_`` w, ``intercept_`` b)."""

    def _set_coef(self, coef: np.ndarray, intercept: Any) -> None:
        """Store ``coef_`` and ``intercept_``, refusing non-finite results."""
        self.coef_ = coef
        self.intercept_ = intercept
        if not (np.isfinite(coef).all() and math.isfinite(intercept)):
            raise FloatingPointError(
                f"{type(self).__name__} produced non-finite coefficients; the data may contain "
                "values so large that their squares overflow. Rescale the features."
            )

    def predict(self, X: Any) -> np.ndarray:
        """Predicted targets :math:`Xw + b`."""
        X = self._validate_predict(X)
        return X @ self.coef_ + self.intercept_
