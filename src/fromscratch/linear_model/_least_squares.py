r"""Ordinary least squares: :class:`LinearRegression` and its table of solvers.

.. math:: \hat w, \hat b = \arg\min_{w, b} \|y - Xw - b\mathbf 1\|_2^2

The exact solvers work on centered data (see :mod:`._base`; ``"cholesky"`` without writing
the centered copy out):

``"qr"``
    Householder QR of :math:`X`, then :math:`R w = Q^\top y` by back substitution. This is
    what statistical software (R's ``lm``, statsmodels) does: the error grows with
    :math:`\kappa(X)` (times :math:`\kappa(X)^2 \cdot` the relative residual).
``"cholesky"``
    The normal equations :math:`X^\top X w = X^\top y`: one large matrix product, then a small
    Cholesky solve. Faster for :math:`n \gg p`, but the error grows with :math:`\kappa(X)^2`.

**Dependent columns.** A duplicated or collinear column, a full set of dummy columns beside the
intercept, or more features than samples leave the minimizer not unique. Both exact solvers
then return the solution of minimum norm :math:`\|w\|_2`, as scikit-learn does (it solves by
the SVD), computed by Householder QR with column pivoting and the complete orthogonal
decomposition (:class:`fromscratch.linalg.CompleteOrthogonalDecomposition`), and warn
:class:`~fromscratch.linalg.RankDeficientWarning` naming the dependent columns; ``rank_`` is
the numerical rank. R's ``lm`` instead drops the dependent columns (``NA`` coefficients): the
same predictions, different coefficients. A well-conditioned design of full rank never pays for
the pivoting: the unpivoted QR (or Cholesky) tells the two cases apart first.

**Weighted least squares.** With ``sample_weight`` :math:`s`, :math:`\sum_i s_i(y_i -
x_i^\top w - b)^2` is minimized: the intercept comes from the weighted means, and every solver
works on the centered rows scaled by :math:`\sqrt{s_i}` (:mod:`._base`) — QR factors
:math:`S^{1/2}X_c`, Cholesky solves :math:`X_c^\top S X_c\, w = X_c^\top S y_c`, the gradient
solvers minimize the weighted mean of the squared errors.

**Several targets** (a 2-D ``y``) share the factorization: QR applies :math:`Q^\top` to every
column of ``y`` and solves one triangular system with several right-hand sides, as
scikit-learn's ``LinearRegression`` does; ``coef_`` then has a row per target.

**Non-negative coefficients** (``positive=True``): :func:`fromscratch.linalg.nnls`'s active-set
method
on the centered (weighted) data, one target at a time, after one QR of the design; the
intercept stays free, as in scikit-learn.

**Adding a solver.** :data:`SOLVERS` maps each name to a function
``solve(estimator, X, y, sample_weight) -> dict`` that receives the validated (uncentered)
data and the weights (``None`` or the validated array) and returns the fitted attributes to
set, at least ``coef_`` (one column per target for a 2-D ``y``) and ``intercept_`` (plus e.g.
``n_iter_``, ``loss_curve_``). The gradient solvers are registered this way by
:mod:`._iterative`; the hyper-parameters they need are attributes of the estimator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._param_validation import Options, Rule, flag
from fromscratch._validation import check_sample_weight
from fromscratch.blocks import is_dask_array
from fromscratch.linalg import HouseholderQR, lawson_hanson
from fromscratch.linear_model._base import (
    ExactSolution,
    LinearModel,
    center_data,
    intercept_from,
    solve_least_squares_qr,
    solve_normal_equations,
)
from fromscratch.linear_model._dask import fit_linear_regression
from fromscratch.linear_model._iterative import (
    GRADIENT_SOLVER_PARAMETERS,
    GradientSolverParams,
    least_squares_solver,
)
from fromscratch.linear_model._streaming import partial_fit_regression

__all__ = ["LinearRegression", "SOLVERS"]


def _exact_solver(method: Callable[..., ExactSolution]) -> Callable[..., dict]:
    """Wrap an exact least-squares method as a solver of the table."""

    def solve(estimator: LinearRegression, X: np.ndarray, y: np.ndarray,
              sample_weight: np.ndarray | None) -> dict[str, Any]:
        solution = method(X, y, fit_intercept=estimator.fit_intercept,
                          feature_names=getattr(estimator, "feature_names_in_", None),
                          sample_weight=sample_weight)
        return {"coef_": solution.coef, "intercept_": solution.intercept,
                "condition_number_": solution.condition_number, "rank_": solution.rank,
                "solver_": solution.method, "n_iter_": 1}

    solve.__doc__ = method.__doc__
    return solve


def solve_nonnegative(estimator: LinearRegression, X: np.ndarray, y: np.ndarray,
                      sample_weight: np.ndarray | None) -> dict[str, Any]:
    r"""``positive=True``: :math:`\min_{w \ge 0} \|S^{1/2}(y_c - X_c w)\|_2` on the centered
    (weighted) data by Lawson and Hanson's active-set method (:func:`fromscratch.linalg.nnls`), the
    intercept free, :math:`b = \bar y - \bar x^\top w`.

    One Householder QR of the design, :math:`X_c = QR`, serves every target: the method runs
    on :math:`(R, Q^\top y_c)`. ``n_iter_`` counts its passes (one list entry per target for a
    2-D ``y``).
    """
    Xc, yc, X_offset, y_offset = center_data(X, y, estimator.fit_intercept, sample_weight)
    fact = HouseholderQR(Xc)
    R = fact.r
    C = fact.apply_qt(yc.reshape(len(yc), -1))[: R.shape[0]]
    return nonnegative_from_qr(R, C, X_offset, y_offset, estimator.fit_intercept, y.ndim)


def nonnegative_from_qr(R: np.ndarray, C: np.ndarray, X_offset: np.ndarray, y_offset: Any,
                        fit_intercept: bool, y_ndim: int) -> dict[str, Any]:
    r"""The fitted attributes of non-negative least squares from the :math:`R` and
    :math:`C = Q^\top y_c` (a column per target) of the centered design, however they were
    computed (in memory, or by TSQR over blocks)."""
    coef = np.empty((R.shape[1], C.shape[1]), dtype=R.dtype)
    n_iter = []
    for k in range(C.shape[1]):
        coef[:, k], passes = lawson_hanson(R, C[:, k])
        n_iter.append(passes)
    coef = coef[:, 0] if y_ndim == 1 else coef
    return {"coef_": coef, "intercept_": intercept_from(coef, X_offset, y_offset, fit_intercept),
            "n_iter_": n_iter[0] if y_ndim == 1 else n_iter, "solver_": "nnls"}


#: Solver name -> ``solve(estimator, X, y, sample_weight) -> dict of fitted attributes``.
SOLVERS: dict[str, Callable[[Any, np.ndarray, np.ndarray, Any], dict[str, Any]]] = {
    "qr": _exact_solver(solve_least_squares_qr),
    "cholesky": _exact_solver(solve_normal_equations),
    # the iterative solvers share their loops with LogisticRegression (see ._iterative)
    **{name: least_squares_solver(name) for name in ("gd", "sgd", "minibatch", "newton")},
}


class LinearRegression(GradientSolverParams, LinearModel):
    r"""Ordinary least squares linear regression, :math:`\hat y = Xw + b`.

    Minimizes the residual sum of squares :math:`\|y - Xw - b\mathbf 1\|_2^2` (the intercept
    :math:`b` by centering, never penalized).

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit :math:`b`; with ``False`` the data are assumed centered and :math:`b = 0`.
    solver : {"qr", "cholesky", "gd", "sgd", "minibatch", "newton"}, default="qr"
        ``"qr"`` (Householder QR, numerically safest) or ``"cholesky"`` (normal equations,
        fastest for many samples) solve exactly; see :mod:`._least_squares`. The gradient
        solvers use the hyper-parameters below.
    optimizer : str, default="sgd"
        Name of the :mod:`fromscratch.optim` optimizer of the gradient solvers.
    optimizer_params : dict or None, default=None
        Extra hyper-parameters of that optimizer (e.g. ``{"momentum": 0.9}``).
    learning_rate : float, default=0.01
        Step size of the gradient solvers.
    max_iter : int, default=1000
        Epochs (gradient solvers) or iterations (Newton).
    tol : float or None, default=1e-6
        Stopping tolerance of the iterative solvers, on the objective
        :math:`f = \frac{1}{2n}\|y - Xw - b\mathbf 1\|^2`. The full-batch solvers (``"gd"``,
        ``"newton"``) stop when :math:`\max_j |\partial f/\partial w_j| \le` ``tol``
        (scikit-learn's rule; then :math:`\|w - \hat w\|_2 \le \sqrt{p}\,` ``tol``
        :math:`/\lambda_{min}(X_c^\top X_c/n)`), Newton when half its squared decrement is
        too. The stochastic solvers (``"sgd"``, ``"minibatch"``), whose gradients are noisy,
        stop when the training loss (the validation loss under ``early_stopping``) has not
        improved on its best by more than ``tol`` for ``n_iter_no_change`` consecutive epochs
        (scikit-learn's ``SGDRegressor`` rule). Running out of ``max_iter`` first gives a
        :class:`~fromscratch.exceptions.ConvergenceWarning`. ``None``: no stopping rule, run
        all ``max_iter`` epochs (early stopping still applies), no warning.
    batch_size : int, default=32
        Mini-batch size of ``"minibatch"``.
    random_state : int, numpy.random.Generator or None, default=None
        Shuffling of the stochastic solvers.
    verbose : int, default=0
        Progress output of the iterative solvers.
    gradient : {"analytic", "autodiff"}, default="analytic"
        Gradient of the gradient solvers: the hand-derived :math:`-\frac1n X^\top(y - Xw)`,
        or reverse-mode automatic differentiation of the loss (:mod:`fromscratch.autodiff`).
        Both give the same numbers; the formula is faster.
    early_stopping : bool, default=False
        Gradient solvers: hold out ``validation_fraction`` of the training data, stop when its
        loss has not improved for ``n_iter_no_change`` epochs, keep the best coefficients.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.
    n_iter_no_change : int, default=5
        Patience of the loss-based stopping rule (stochastic solvers, early stopping), in
        epochs.
    positive : bool, default=False
        Constrain the coefficients to be non-negative: non-negative least squares by
        Lawson–Hanson's active-set method on our QR (module docstring). Only ``solver="qr"``
        honours it.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        One row per target when ``y`` is 2-D (exact solvers).
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int
        Iterations run; 1 for the exact solvers (a single direct solve); with ``positive``,
        the active-set passes (a list, one per target, for a 2-D ``y``).
    condition_number_ : float
        Exact solvers: estimated 1-norm condition number of the matrix factored — the centered
        :math:`X` for ``"qr"``, :math:`X^\top X` (about :math:`\kappa(X)^2`) for ``"cholesky"``,
        the rank-``rank_`` part of :math:`X` for ``"cod"`` (see ``solver_``).
    rank_ : int
        Exact solvers: numerical rank of the (centered) :math:`X`.
    solver_ : str
        The method that produced the coefficients: the ``solver`` itself, or ``"cod"`` when an
        exact solver found the design rank deficient and returned the minimum-norm solution,
        or ``"qr"`` when ``"cholesky"`` found :math:`X^\top X` singular to working precision;
        ``"nnls"`` with ``positive=True``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` was a DataFrame with string column names.

    Warns
    -----
    fromscratch.linalg.RankDeficientWarning
        From ``fit`` with an exact solver when the columns of ``X`` (centered, with an
        intercept) are numerically linearly dependent, or there are fewer samples than
        features: the least-squares solution is then not unique, and the one of minimum norm
        is returned (scikit-learn's answer). The message names the dependent columns (by
        feature name when ``X`` is a DataFrame). For unique coefficients drop those columns,
        or use :class:`Ridge`.
    fromscratch.linalg.IllConditionedWarning
        When ``X`` is ill-conditioned; and with ``solver="cholesky"`` when :math:`X^\top X` is
        singular to working precision although ``X`` is not, in which case QR solves instead.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> model = LinearRegression().fit(X, [1.0, 3.0, 5.0])
    >>> float(model.coef_[0]), float(model.intercept_)
    (2.0, 1.0)
    """

    _multi_output = True  # y may have a column per target
    _parameter_constraints: dict[str, Rule] = {
        **LinearModel._parameter_constraints,
        "solver": Options(*SOLVERS),
        **GRADIENT_SOLVER_PARAMETERS,
        "positive": flag,
    }
    # Fitted attributes set by the solver's results (Attributes above), declared for checkers.
    condition_number_: float
    rank_: int
    solver_: str
    n_iter_: Any
    loss_curve_: np.ndarray

    def __init__(
        self,
        fit_intercept: bool = True,
        solver: str = "qr",
        optimizer: str = "sgd",
        optimizer_params: dict[str, Any] | None = None,
        learning_rate: float = 0.01,
        max_iter: int = 1000,
        tol: float | None = 1e-6,
        batch_size: int = 32,
        random_state: Any = None,
        verbose: int = 0,
        gradient: str = "analytic",
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 5,
        positive: bool = False,
    ) -> None:
        self.fit_intercept = fit_intercept
        self.solver = solver
        self._set_gradient_solver_params(locals())
        self.positive = positive

    def _solver(self) -> Callable[..., dict[str, Any]]:
        """Validate the hyper-parameters; return the solve function they choose."""
        solver = self._validate_params()["solver"]
        if self.positive:
            if solver != "qr":
                raise ValueError(
                    f"positive=True needs solver='qr' (non-negative least squares by the "
                    f"active-set method on QR); solver={solver!r} cannot keep the coefficients "
                    "non-negative."
                )
            return solve_nonnegative
        return SOLVERS[solver]

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearRegression:
        """Fit the coefficients by the chosen solver; returns ``self``.

        ``y`` may have a column per target (exact solvers); ``sample_weight`` (shape
        (n_samples,), optional) weighs each squared error (module docstring).
        ``X`` may be a row-chunked Dask array (``"qr"``, ``"cholesky"``, ``"minibatch"``;
        :mod:`._dask`).
        """
        solve = self._solver()
        if is_dask_array(X):
            return fit_linear_regression(self, X, y, sample_weight)
        X, y = self._validate_fit(X, y)
        sample_weight = check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype)
        fitted = {"solver_": self.solver, **solve(self, X, y, sample_weight)}
        for name, value in fitted.items():
            if name not in ("coef_", "intercept_"):
                setattr(self, name, value)
        self._set_coef(fitted["coef_"].T, fitted["intercept_"])
        return self

    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearRegression:
        """One pass of mini-batch gradient descent over ``(X, y)``, continuing from the
        previous call (scikit-learn's ``partial_fit``; the ``"minibatch"`` solver's
        hyper-parameters, whatever ``solver`` ``fit`` uses): the coefficients, the intercept
        (learned as a coefficient: a stream cannot be centered) and the optimizer's state
        carry over. ``X`` is a NumPy array or a row-chunked Dask array (then the pass is over
        its blocks, shuffled at block level and within each block). ``sample_weight``
        multiplies each row's squared error. See :mod:`._streaming`; returns ``self``."""
        return partial_fit_regression(self, X, y, sample_weight)
