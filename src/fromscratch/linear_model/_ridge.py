r"""Ridge regression (L2-penalized least squares): :class:`Ridge` and :func:`ridge_path`.

.. math:: \hat w, \hat b = \arg\min_{w, b}\ \|y - Xw - b\mathbf 1\|_2^2 + \alpha\|w\|_2^2

(scikit-learn's objective; the intercept is not penalized). Setting the gradient to zero gives
the closed form :math:`(X^\top X + \alpha I)\,w = X^\top y` on centered data. For
:math:`\alpha > 0` the matrix is positive definite, so the solution is unique even with
collinear columns or more features than samples.

The gradient solvers (``"gd"``, ``"sgd"``, ``"minibatch"``) minimize the same objective divided
by :math:`2n`, the scale of :class:`LinearRegression`'s gradient solvers,

.. math:: f(w) = \frac{1}{2n}\|y_c - X_c w\|^2 + \frac{\alpha}{2n}\|w\|^2, \qquad
    \nabla f(w) = -\frac1n X_c^\top(y_c - X_c w) + \frac{\alpha}{n} w,

on the centered data (the intercept by centering, never penalized), with the hand-derived
gradient: they share the training loop of :mod:`._iterative`.

With sample weights the squared errors are weighted *sums*, as in scikit-learn:
:math:`\sum_i s_i(y_i - x_i^\top w - b)^2 + \alpha\|w\|^2`, so multiplying every weight by
:math:`c` is the same as dividing ``alpha`` by :math:`c`; the solvers see the weighted-centered
rows scaled by :math:`\sqrt{s_i}` (:mod:`._base`), and the gradient solvers divide by
:math:`2\sum_i s_i` instead of :math:`2n`. A 2-D ``y`` fits one model per column with one
factorization (exact solvers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._param_validation import Interval, Options, Rule
from fromscratch._validation import (
    check_array,
    check_sample_weight,
    check_scalar,
    check_X_y,
)
from fromscratch.blocks import is_dask_array
from fromscratch.linalg import cho_solve, cholesky
from fromscratch.linear_model._base import (
    LinearModel,
    center_data,
    centered_normal_equations,
    solve_least_squares_qr,
    solve_normal_equations,
)
from fromscratch.linear_model._dask import fit_ridge
from fromscratch.linear_model._iterative import (
    GRADIENT_SOLVER_PARAMETERS,
    GradientSolverParams,
    least_squares_solver,
)

__all__ = ["Ridge", "ridge_path"]

_SOLVERS = {"auto": solve_normal_equations, "cholesky": solve_normal_equations,
            "qr": solve_least_squares_qr}
#: The gradient solvers: ``solve(estimator, X, y, sample_weight) -> dict of fitted attributes``.
_GRADIENT_SOLVERS = {name: least_squares_solver(name, ridge=True)
                     for name in ("gd", "sgd", "minibatch")}


class Ridge(GradientSolverParams, LinearModel):
    r"""Linear least squares with an L2 penalty on the coefficients.

    Minimizes :math:`\|y - Xw - b\mathbf 1\|_2^2 + \alpha\|w\|_2^2`.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, :math:`\alpha \ge 0` (0 is ordinary least squares).
    fit_intercept : bool, default=True
        Fit an (unpenalized) intercept by centering.
    solver : {"auto", "cholesky", "qr", "gd", "sgd", "minibatch"}, default="auto"
        ``"cholesky"`` (= ``"auto"``): the normal equations
        :math:`(X^\top X + \alpha I)w = X^\top y` by Cholesky, or their dual form
        :math:`w = X^\top(XX^\top + \alpha I)^{-1}y` when there are more features than
        samples. ``"qr"``: Householder QR of the augmented matrix
        :math:`[X;\ \sqrt\alpha I]` (never squares the condition number). ``"gd"``
        (full batch), ``"sgd"`` (one sample per step) and ``"minibatch"`` (``batch_size``
        samples per step): gradient descent on the objective divided by :math:`2n` with the
        hand-derived gradient :math:`-\frac1n X_c^\top(y_c - X_c w) + \frac{\alpha}{n}w`
        and a :mod:`fromscratch.optim` optimizer, as :class:`LinearRegression`'s gradient
        solvers; the parameters below are theirs.
    max_iter : int, default=1000
        Epochs of the gradient solvers (scikit-learn's default, ``None``, leaves the number
        to each of its solvers).
    tol : float or None, default=1e-4
        Stopping tolerance of the gradient solvers (scikit-learn's default value). ``"gd"``
        stops when :math:`\max_j|\partial f/\partial w_j| \le` ``tol``; since
        :math:`f` is strongly convex with Hessian :math:`H = (X_c^\top X_c + \alpha I)/n`,
        then :math:`\|w - \hat w\|_2 \le \sqrt p\,` ``tol`` :math:`/\lambda_{\min}(H)
        \le \sqrt p\, n\,` ``tol`` :math:`/\alpha`. ``"sgd"`` and ``"minibatch"`` stop
        when the training loss (the validation loss under ``early_stopping``) has not
        improved on its best by more than ``tol`` for ``n_iter_no_change`` consecutive
        epochs; with a constant step they hover around :math:`\hat w` at a distance that
        shrinks with ``learning_rate``. ``None``: run all ``max_iter`` epochs. Running out of
        ``max_iter`` first gives a :class:`~fromscratch.exceptions.ConvergenceWarning`.
    optimizer, optimizer_params, learning_rate, batch_size, random_state, verbose, gradient
        The gradient solvers' optimizer (a :mod:`fromscratch.optim` name, ``"sgd"``), its
        other hyper-parameters (``None``), step size (0.01), mini-batch size (32),
        shuffling (``None``), progress output (0) and gradient (``"analytic"``: the formula
        above; ``"autodiff"``: reverse-mode automatic differentiation of the same
        objective), as in :class:`LinearRegression`.
    early_stopping, validation_fraction, n_iter_no_change
        Hold out ``validation_fraction`` (0.1) of the rows, stop when their objective has not
        improved for ``n_iter_no_change`` (5) epochs and keep the best coefficients (default
        ``False``), as in :class:`LinearRegression`; the penalty per sample stays
        :math:`\alpha/(2n)` with :math:`n` all the rows given to ``fit``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    condition_number_ : float
        Exact solvers: estimated condition number of the matrix factored.
    n_iter_ : int
        Epochs run by the gradient solvers; 1 for the exact solvers (a single direct solve).
    loss_curve_ : ndarray
        Gradient solvers: the objective :math:`(\|y - Xw - b\mathbf 1\|^2 +
        \alpha\|w\|^2)/(2n)` after each epoch.
    validation_loss_curve_, best_iteration_
        Gradient solvers with ``early_stopping``: the objective on the held-out rows after
        each epoch, and the epoch whose coefficients are kept.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> round(float(Ridge(alpha=1.0).fit(X, [1.0, 3.0, 5.0]).coef_[0]), 6)
    1.333333
    >>> by_gradient = Ridge(alpha=1.0, solver="gd", learning_rate=0.5, tol=1e-10)
    >>> round(float(by_gradient.fit(X, [1.0, 3.0, 5.0]).coef_[0]), 6)
    1.333333
    """

    _multi_output = True  # y may have a column per target
    _parameter_constraints: dict[str, Rule] = {
        **LinearModel._parameter_constraints,
        "alpha": Interval(float, 0.0),
        "solver": Options(*_SOLVERS, *_GRADIENT_SOLVERS),
        **GRADIENT_SOLVER_PARAMETERS,
    }
    # Fitted attributes set by the solver's results (Attributes above), declared for checkers.
    condition_number_: float
    n_iter_: Any
    loss_curve_: np.ndarray

    def __init__(
        self,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        solver: str = "auto",
        optimizer: str = "sgd",
        optimizer_params: dict[str, Any] | None = None,
        learning_rate: float = 0.01,
        max_iter: int = 1000,
        tol: float | None = 1e-4,
        batch_size: int = 32,
        random_state: Any = None,
        verbose: int = 0,
        gradient: str = "analytic",
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 5,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self._set_gradient_solver_params(locals())

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Ridge:
        """Fit by the closed form (or by gradient descent); returns ``self``. ``y`` may have a
        column per target (exact solvers); ``sample_weight`` (shape (n_samples,), optional)
        weighs each squared error. ``X`` may be a row-chunked Dask array (``"auto"``,
        ``"cholesky"``, ``"qr"``; :mod:`._dask`)."""
        params = self._validate_params()
        alpha, solver = params["alpha"], params["solver"]
        if is_dask_array(X):
            return fit_ridge(self, X, y, alpha, sample_weight)
        X, y = self._validate_fit(X, y)
        sample_weight = check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype)
        if solver in _GRADIENT_SOLVERS:
            return self._fit_by_gradient(_GRADIENT_SOLVERS[solver], X, y, sample_weight)
        self.n_iter_ = 1  # a single direct solve
        solution = _SOLVERS[solver](X, y, fit_intercept=self.fit_intercept, alpha=alpha,
                                    sample_weight=sample_weight)
        self.condition_number_ = solution.condition_number
        self._set_coef(solution.coef.T, solution.intercept)
        return self

    def _fit_by_gradient(self, solve: Callable[..., dict[str, Any]], X: np.ndarray,
                         y: np.ndarray, sample_weight: np.ndarray | None) -> Ridge:
        fitted = solve(self, X, y, sample_weight)
        for name, value in fitted.items():
            if name not in ("coef_", "intercept_"):
                setattr(self, name, value)
        self._set_coef(fitted["coef_"], fitted["intercept_"])
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
