r"""Ridge regression (L2-penalized least squares): :class:`Ridge` and :func:`ridge_path`.

.. math:: \hat w, \hat b = \arg\min_{w, b}\ \|y - Xw - b\mathbf 1\|_2^2 + \alpha\|w\|_2^2

(scikit-learn's objective; the intercept is not penalized). Setting the gradient to zero gives
the closed form :math:`(X^\top X + \alpha I)\,w = X^\top y` on centered data. For
:math:`\alpha > 0` the matrix is positive definite, so the solution is unique even with
collinear columns or more features than samples.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_choice, check_scalar, check_X_y
from fromscratch.linalg import cho_solve, cholesky
from fromscratch.linear_model._base import (
    LinearModel,
    center_data,
    centered_normal_equations,
    solve_least_squares_qr,
    solve_normal_equations,
)

__all__ = ["Ridge", "ridge_path"]

_SOLVERS = {"auto": solve_normal_equations, "cholesky": solve_normal_equations,
            "qr": solve_least_squares_qr}


class Ridge(LinearModel):
    r"""Linear least squares with an L2 penalty on the coefficients.

    Minimizes :math:`\|y - Xw - b\mathbf 1\|_2^2 + \alpha\|w\|_2^2`.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, :math:`\alpha \ge 0` (0 is ordinary least squares).
    fit_intercept : bool, default=True
        Fit an (unpenalized) intercept by centering.
    solver : {"auto", "cholesky", "qr"}, default="auto"
        ``"cholesky"`` (= ``"auto"``): the normal equations
        :math:`(X^\top X + \alpha I)w = X^\top y` by Cholesky, or their dual form
        :math:`w = X^\top(XX^\top + \alpha I)^{-1}y` when there are more features than
        samples. ``"qr"``: Householder QR of the augmented matrix
        :math:`[X;\ \sqrt\alpha I]` (never squares the condition number).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    condition_number_ : float
        Estimated condition number of the matrix factored.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> round(float(Ridge(alpha=1.0).fit(X, [1.0, 3.0, 5.0]).coef_[0]), 6)
    1.333333
    """

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True, solver: str = "auto"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X: Any, y: Any) -> Ridge:
        """Fit by the closed form; returns ``self``."""
        alpha = check_scalar(self.alpha, "alpha", min_val=0.0)
        solve = _SOLVERS[check_choice(self.solver, "solver", tuple(_SOLVERS))]
        if not isinstance(self.fit_intercept, (bool, np.bool_)):
            raise TypeError(f"fit_intercept must be a bool; got {self.fit_intercept!r}.")
        X, y = self._validate_fit(X, y)
        solution = solve(X, y, fit_intercept=self.fit_intercept, alpha=alpha)
        self.condition_number_ = solution.condition_number
        self._set_coef(solution.coef, solution.intercept)
        return self


def ridge_path(
    X: Any,
    y: Any,
    *,
    alphas: Any = None,
    n_alphas: int = 100,
    fit_intercept: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Ridge coefficients along a grid of penalties, for coefficient-path plots.

    The Gram matrix :math:`X^\top X` (or :math:`XX^\top` when :math:`p > n`) and
    :math:`X^\top y` are formed once; each :math:`\alpha` then costs one small Cholesky
    factorization of :math:`X^\top X + \alpha I`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    alphas : array-like of positive floats, optional
        The penalties (sorted from largest to smallest on return). By default ``n_alphas``
        values log-spaced from :math:`10^4 s` down to :math:`10^{-4} s`, with
        :math:`s = \operatorname{tr}(X^\top X)/p` the mean squared column norm: from nearly
        all-zero coefficients to nearly least squares.
    n_alphas : int, default=100
    fit_intercept : bool, default=False
        Center ``X`` and ``y`` first (like :func:`lasso_path`, the default assumes centered
        data).

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    """
    X, y = check_X_y(X, y)
    check_scalar(n_alphas, "n_alphas", kind=int, min_val=1)
    n_samples, n_features = X.shape
    dual = n_samples < n_features
    # The system matrix and right-hand side: XXᵀ and y (dual), or XᵀX and Xᵀy.
    if dual:
        X, rhs, _, _ = center_data(X, y, fit_intercept)
        G = X @ X.T
    else:
        G, rhs, _, _ = centered_normal_equations(X, y, fit_intercept)
    if alphas is None:
        scale = float(np.trace(G)) / n_features
        if scale == 0.0:
            raise ValueError("X is all zeros (after centering); there is no path to draw.")
        alphas = np.geomspace(1e4 * scale, 1e-4 * scale, n_alphas)
    else:
        alphas = check_array(alphas, name="alphas", ensure_2d=False)
        if alphas.ndim != 1 or np.any(alphas <= 0):
            raise ValueError("alphas must be a 1-D array of positive penalties.")
        alphas = np.sort(alphas)[::-1]
    coefs = np.empty((n_features, alphas.size), dtype=X.dtype)
    diagonal = np.diag_indices_from(G)
    for k, alpha in enumerate(alphas):
        G_alpha = G.copy()
        G_alpha[diagonal] += alpha
        solution = cho_solve(cholesky(G_alpha), rhs)
        coefs[:, k] = X.T @ solution if dual else solution
    return alphas, coefs
