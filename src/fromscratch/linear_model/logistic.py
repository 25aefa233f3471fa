r"""Logistic regression: a linear model of the log-odds, fitted by maximum likelihood.

**The model.** For two classes, the probability of the positive class is the sigmoid of a
linear function of the features,

.. math::

    p(x) = \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad z = x^\top w + b
    \quad\Longleftrightarrow\quad \log\frac{p}{1-p} = x^\top w + b ,

so :math:`z` is the *log-odds* and :math:`e^{w_j}` the *odds ratio* of one unit of
feature :math:`j`. For :math:`K` classes the softmax generalizes it:
:math:`p_k(x) = e^{z_k}/\sum_l e^{z_l}` with :math:`z_k = x^\top w_k + b_k`.

**The objective** (scikit-learn's, so coefficients can be compared number for number): with
:math:`\ell_i` the negative log-likelihood of sample :math:`i` (the log-loss),

.. math::

    \min_{w, b}\; C \sum_{i=1}^n \ell_i(w, b) + \frac{1-\rho}{2}\|w\|_2^2 + \rho\|w\|_1,
    \qquad \ell_i = \log(1 + e^{z_i}) - y_i z_i
    \;\text{ or }\; \log\sum_k e^{z_{ik}} - z_{i y_i},

with :math:`\rho` = ``l1_ratio`` (0: L2, 1: L1, between: elastic net), ``C = np.inf`` for no
penalty, and the intercept :math:`b` never penalized. The solvers minimize the same problem
divided by :math:`Cn`: the *mean* log-loss plus :math:`\frac{1-\rho}{2Cn}\|w\|^2 +
\frac{\rho}{Cn}\|w\|_1`.

**Weights** (scikit-learn's, so weighted fits compare too). A sample weight :math:`\mathrm{sw}_i`
multiplies its term, :math:`C\sum_i \mathrm{sw}_i\,\ell_i`; a class weight multiplies the
weight of every sample of its class (``"balanced"``: :math:`\sum_i\mathrm{sw}_i / (K\cdot
\text{the class's total weight})`, so that every class weighs the same in the sum). The solvers
then divide by :math:`C\sum_i \mathrm{sw}_i` instead of :math:`Cn`: the weighted mean
log-loss plus the penalties over :math:`C\sum_i\mathrm{sw}_i`. An integer weight :math:`k`
therefore fits exactly as :math:`k` copies of the sample would, and a zero weight as if the
sample were not there; scaling every weight by :math:`c` is the same as scaling ``C`` by
:math:`c`. Newton's Hessian :math:`\tilde X^\top S\tilde X` becomes
:math:`\tilde X^\top \mathrm{diag}(\mathrm{sw}_i p_i(1-p_i))\tilde X`: IRLS is weighted least
squares with the sample weights multiplying the IRLS weights.

**The derivatives and the numerics** are in :mod:`~fromscratch.linear_model._logistic_loss`
(:class:`~._logistic_loss.BinaryLogisticLoss`, :class:`~._logistic_loss.MultinomialLogisticLoss`:
the loss, its hand-derived gradient and Hessian, and the fast paths Newton's method uses).
**The textbook form** of Newton's method (IRLS), the reference the fast path is tested against,
is :func:`newton_irls`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch._param_validation import CLASS_WEIGHT_RULE, Interval, Options, Rule, flag
from fromscratch._validation import (
    check_sample_weight,
    check_scalar,
    class_sample_weight,
    class_weights,
    encode_class_labels,
)
from fromscratch.base import BaseEstimator, ClassifierMixin, check_is_fitted
from fromscratch.blocks import is_dask_array, map_method
from fromscratch.exceptions import warn_at_caller
from fromscratch.linalg import LinAlgError, cholesky, solve_triangular
from fromscratch.linear_model._dask_logistic import fit_logistic_blocks
from fromscratch.linear_model._iterative import (
    GRADIENT_SOLVER_PARAMETERS,
    FitResult,
    GradientSolverParams,
    Objective,
    gradient_descent,
    lbfgs,
    newton,
)
from fromscratch.linear_model._logistic_irls import newton_irls
from fromscratch.linear_model._logistic_loss import (
    BinaryLogisticLoss,
    LogisticLoss,
    MultinomialLogisticLoss,
    PerfectSeparationWarning,
    log_sigmoid,
    log_softmax,
    logistic_loss,
    saturated,
    separates,
    sigmoid,
    softmax,
    split_intercept,
    warn_if_saturated,
)
from fromscratch.linear_model._streaming import partial_fit_logistic
from fromscratch.linear_model._summary import LogitSummary
from fromscratch.optim.registry import OPTIMIZER_RULE

__all__ = [
    "LogisticRegression",
    "PerfectSeparationWarning",
    "sigmoid",
    "log_sigmoid",
    "log_softmax",
    "softmax",
    "LogisticLoss",
    "BinaryLogisticLoss",
    "MultinomialLogisticLoss",
    "logistic_loss",
    "newton_irls",
]

SOLVERS = ("newton", "lbfgs", "gd", "sgd", "minibatch")
#: The solvers that seek the optimum itself (the stochastic ones stop on a patience rule).
FULL_BATCH = ("newton", "lbfgs", "gd")


def _mean_one(weight: np.ndarray | None, n_samples: int) -> tuple[np.ndarray | None, float]:
    r"""The weights the solvers see, rescaled to mean 1 (their objective is a weighted *mean*),
    and the total weight :math:`\sum_i \mathrm{sw}_i` (``n_samples`` without weights)."""
    if weight is None:
        return None, float(n_samples)
    total = float(weight.sum())
    return weight * (n_samples / total), total


def _softmax_null_space(n_classes: int, width: int, dtype: np.dtype) -> np.ndarray:
    r"""Orthonormal basis of the shifts :math:`w_k \to w_k + v` shared by every class.

    The softmax is unchanged by them, so the unpenalized part of the multinomial Hessian is
    singular along them; the iterates (started at 0, with gradients summing to 0 over the
    classes) never move along them. See :func:`~._iterative.newton`.
    """
    Q = np.zeros((n_classes, width, width), dtype=dtype)
    Q[:, np.arange(width), np.arange(width)] = 1.0 / math.sqrt(n_classes)
    return Q.reshape(n_classes * width, width)


class LogisticRegression(GradientSolverParams, ClassifierMixin, BaseEstimator):
    r"""Logistic regression (binary) and multinomial (softmax) regression, scikit-learn's API.

    Minimizes scikit-learn's objective (see :mod:`fromscratch.linear_model.logistic`),

    .. math::

        C \sum_{i=1}^n \ell_i(w, b) + \frac{1-\rho}{2}\|w\|_2^2 + \rho\|w\|_1 ,

    the log-loss :math:`\ell_i` (negative log-likelihood), ``l1_ratio`` :math:`\rho` and no
    penalty on the intercept, so that coefficients equal scikit-learn's.

    Parameters
    ----------
    C : float, default=1.0
        Inverse penalty strength, > 0; ``np.inf`` fits the plain maximum-likelihood model.
    l1_ratio : float, default=0.0
        0: L2 penalty, 1: L1 (lasso: exact zeros), between: elastic net.
    fit_intercept : bool, default=True
    solver : {"newton", "lbfgs", "gd", "sgd", "minibatch"}, default="newton"
        ``"newton"``: Newton's method with line search — iteratively reweighted least squares,
        what statistical software does (:func:`newton_irls` is its textbook form, a few
        lines); with an L1 part, proximal Newton (coordinate descent on each quadratic
        model). ``"lbfgs"``: the quasi-Newton method L-BFGS
        (:class:`fromscratch.optim.LBFGS`, strong-Wolfe line search, the last 10 curvature
        pairs; scikit-learn's default solver): no Hessian, cheap iterations; L2 or no penalty
        only, as in scikit-learn. ``"gd"``: full-batch gradient descent; ``"sgd"``: one sample
        per step; ``"minibatch"``: ``batch_size`` samples per step. The gradient solvers use
        the hand-derived gradient and a :mod:`fromscratch.optim` optimizer; with an L1 part
        they take proximal (soft-thresholding) steps and need plain SGD.
    tol : float, default=1e-4
        Newton: stop when :math:`\max_j|\partial F/\partial w_j|` and half the squared
        Newton decrement are both ≤ tol (the objective on the mean scale,
        :math:`F = \frac{1}{Cn}(\cdot)`). L-BFGS and ``"gd"`` (full batch): stop when
        :math:`\max_j|\partial F/\partial w_j|` ≤ tol (scikit-learn's lbfgs rule).
        ``"sgd"``, ``"minibatch"``: stop when the epoch loss (or the validation loss under
        early stopping) has not improved on its best by more than ``tol`` for
        ``n_iter_no_change`` consecutive epochs (scikit-learn's ``SGDClassifier`` rule).
        Running out of ``max_iter`` first gives a ``ConvergenceWarning``. ``None`` (gradient
        solvers only) runs all ``max_iter`` epochs, without a warning.
    max_iter : int, default=100
        Newton or L-BFGS iterations, or epochs.
    optimizer : str or fromscratch.optim.Optimizer subclass, default="sgd"
        Gradient solvers: the optimizer (``"sgd"``, ``"adam"``, ``"rmsprop"``...).
    optimizer_params : dict, optional
        Its other hyper-parameters; ``{"momentum": 0.9, "nesterov": True}`` gives Nesterov
        momentum.
    learning_rate : float, default=0.1
        The optimizer's step size.
    batch_size : int, default=32
        Samples per step of ``"minibatch"``.
    early_stopping : bool, default=False
        Gradient solvers: hold out ``validation_fraction`` of the training data (stratified),
        stop when its loss stops improving and keep the best coefficients.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=5
        Patience in epochs.
    gradient : {"analytic", "autodiff"}, default="analytic"
        Where the solvers take the gradient from: the hand-derived formula
        :math:`\frac1n X^\top(p - y)`, or reverse-mode automatic differentiation
        (:mod:`fromscratch.autodiff`) of the loss. Both give the same numbers; the formula is
        faster. Newton's Hessian is always the hand-derived one.
    random_state : None, int or numpy.random.Generator
        Shuffling and the validation split of the gradient solvers.
    verbose : int, default=0
        Newton and L-BFGS: one line per iteration; gradient solvers: a progress bar.
    class_weight : None, "balanced" or dict, default=None
        Weights of the classes, multiplying the samples' weights (module docstring):
        ``{label: weight}`` (classes not named weigh 1), or ``"balanced"``, which weighs each
        class inversely to its total weight in ``y``, :math:`n/(K n_k)` without sample
        weights — what an imbalanced problem needs so that the rare class is not ignored.
    warm_start : bool, default=False
        Start the solver from the previous fit's ``coef_`` and ``intercept_`` when they have
        the shape this fit needs (same number of features and classes), else from the usual
        start: cheap refits along a sequence of ``C`` or on data that changed a little.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels, sorted (any type: ints, strings...).
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
        Newton or L-BFGS iterations, or epochs, run.
    converged_ : bool
        Whether the stopping rule was met before ``max_iter`` (or separation stopped it).
    loss_curve_ : ndarray
        The objective (mean scale) after each iteration / epoch.
    validation_loss_curve_ : ndarray
        Only with ``early_stopping``: the validation objective after each epoch.
    best_iteration_ : int
        The iteration / epoch whose coefficients were kept.
    log_likelihood_ : float
        :math:`\log L = -\sum_i \ell_i` on the training data at the fitted coefficients
        (with weights, the weighted :math:`-\sum_i \mathrm{sw}_i\ell_i`: integer weights
        count as repeated samples).
    null_log_likelihood_ : float
        That of the intercept-only model (the (weighted) class frequencies as probabilities).
    cov_params_ : ndarray of shape (n_params, n_params)
        Only for unpenalized (``C=np.inf``) binary fits: the inverse observed information
        :math:`(\tilde X^\top S \tilde X)^{-1}`, rows and columns ordered intercept first
        (with weights, :math:`S = \mathrm{diag}(\mathrm{sw}_i p_i(1-p_i))`: frequency weights,
        as statsmodels' ``freq_weights``); the basis of :meth:`summary`.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` was a DataFrame with string column names.

    Warns
    -----
    PerfectSeparationWarning
        Without a penalty, when the fitted coefficients classify every training sample
        correctly: the likelihood then keeps growing as the coefficients grow, the maximum
        likelihood estimate does not exist, and fitting stops instead of diverging.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [0.5], [-0.5], [1.0], [2.0]])
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> model = LogisticRegression(C=np.inf).fit(X, y)
    >>> model.predict([[-3.0], [3.0]])
    array([0, 1])
    """

    _parameter_constraints: dict[str, Rule] = {
        "C": Interval(float, 0.0, closed="neither", allow_inf=True),
        "l1_ratio": Interval(float, 0.0, 1.0, closed="both"),
        "fit_intercept": flag,
        "solver": Options(*SOLVERS),
        **GRADIENT_SOLVER_PARAMETERS,
        "optimizer": OPTIMIZER_RULE,
        "class_weight": CLASS_WEIGHT_RULE,
        "warm_start": flag,
    }

    def __init__(
        self,
        C: float = 1.0,
        l1_ratio: float = 0.0,
        fit_intercept: bool = True,
        solver: str = "newton",
        tol: float | None = 1e-4,
        max_iter: int = 100,
        optimizer: Any = "sgd",
        optimizer_params: dict[str, Any] | None = None,
        learning_rate: float = 0.1,
        batch_size: int = 32,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 5,
        gradient: str = "analytic",
        random_state: Any = None,
        verbose: int = 0,
        class_weight: Any = None,
        warm_start: bool = False,
    ) -> None:
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.solver = solver
        self._set_gradient_solver_params(locals())
        self.class_weight = class_weight
        self.warm_start = warm_start

    # -- fitting -------------------------------------------------------------------------------

    def _check_params(self) -> str:
        """Validate the hyper-parameters (the table, then the rules that tie several of them
        together); return the solver."""
        solver = self._validate_params()["solver"]
        if self.tol is None and solver in ("newton", "lbfgs"):
            raise ValueError("tol=None (run all max_iter epochs) is for the gradient solvers; "
                             f"the {solver} solver needs a tolerance, e.g. tol=1e-4.")
        if solver == "lbfgs" and self.l1_ratio > 0 and not math.isinf(self.C):
            raise ValueError(
                f"solver='lbfgs' supports only the L2 penalty (l1_ratio=0) or none (C=np.inf), "
                f"as in scikit-learn; got l1_ratio={self.l1_ratio}. An L1 term has no gradient "
                "at 0: use solver='newton' (proximal Newton), or 'gd' with plain SGD."
            )
        return solver

    def _encode(self, y: np.ndarray) -> np.ndarray:
        """Set ``classes_`` and return each label's index in it."""
        self.classes_, index = encode_class_labels(y, type(self).__name__)
        return index

    def _weights(self, index: np.ndarray, sample_weight: Any, dtype: np.dtype
                 ) -> np.ndarray | None:
        """Each sample's weight, its sample weight times its class's weight; ``None`` when
        every sample weighs 1. At least two classes must keep a positive weight."""
        sample_weight = check_sample_weight(sample_weight, index.size, dtype=dtype)
        return class_sample_weight(self.class_weight, self.classes_, index, sample_weight,
                                   type(self).__name__, dtype)

    def _start(self, loss: LogisticLoss, frequency: np.ndarray, dtype: np.dtype) -> np.ndarray:
        """The solver's starting coefficients: the previous fit's under ``warm_start`` when
        their shape fits, else zero coefficients with the intercept-only MLE of the classes'
        total weights ``frequency``."""
        if self.warm_start and hasattr(self, "coef_"):
            previous = (np.column_stack([self.coef_, self.intercept_]) if self.fit_intercept
                        else self.coef_)
            previous = previous[0] if len(loss.shape) == 1 else previous
            if previous.shape == loss.shape:
                return previous.astype(dtype, copy=True)
        w0 = np.zeros(loss.shape, dtype=dtype)
        if self.fit_intercept and np.all(frequency > 0):
            # Start from the intercept-only MLE (the class frequencies), as glmnet does: the
            # first step then only has to find the coefficients. (A class without weight has
            # no MLE intercept, -inf; the start is then 0.)
            log_frequency = np.log(frequency / frequency.sum())
            if len(loss.shape) == 1:
                w0[-1] = log_frequency[1] - log_frequency[0]
            else:
                w0[:, -1] = log_frequency - log_frequency.mean()
        return w0

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogisticRegression:
        """Fit the coefficients by maximum (penalized) likelihood; returns ``self``.

        ``sample_weight`` (array of shape (n_samples,), optional) weighs each sample's
        log-loss; ``class_weight`` multiplies it (module docstring).

        ``X`` may be a row-chunked Dask array (``"newton"`` and ``"lbfgs"``: one pass over the
        data per evaluation, :mod:`._dask_logistic`; ``"minibatch"``: passes of streaming
        mini-batch steps, :mod:`._streaming`).
        """
        solver = self._check_params()
        if is_dask_array(X):
            return fit_logistic_blocks(self, X, y, solver, sample_weight)
        X, y = self._validate_fit(X, y, y_numeric=False)
        n_samples, n_features = X.shape
        index = self._encode(y)
        weight = self._weights(index, sample_weight, X.dtype)
        s, total = _mean_one(weight, n_samples)
        n_classes = self.classes_.size
        binary = n_classes == 2
        strength = self._strength(total)
        loss = logistic_loss(n_features, n_classes, fit_intercept=self.fit_intercept,
                             l2=(1.0 - self.l1_ratio) * strength, l1=self.l1_ratio * strength)
        target = index.astype(X.dtype) if binary else np.eye(n_classes, dtype=X.dtype)[index]
        frequency = np.bincount(index, weights=weight, minlength=n_classes)
        w0 = self._start(loss, frequency, X.dtype)

        separated = []
        callback = None
        if strength == 0.0:  # only an unpenalized MLE can fail to exist
            # samples of zero weight are not in the likelihood: they cannot stop separation
            kept = slice(None) if weight is None else weight > 0
            X_kept, index_kept = X[kept], index[kept]

            def callback(w: np.ndarray) -> bool:
                if self._separates(w, X_kept, index_kept):
                    separated.append(True)
                return bool(separated)

        result = self._solve(solver, loss.objective(self.gradient), w0, X, target, index,
                             callback, s)
        if strength == 0.0 and binary and not separated and solver in FULL_BATCH:
            z = self._scores(result.coef, X_kept)
            warn_if_saturated(saturated(z), z.size, z.dtype)
        data = (X, target) if s is None else (X, target, s)
        return self._finish(result, bool(separated), loss, data, frequency, strength)

    def partial_fit(self, X: Any, y: Any, classes: Any = None,
                    sample_weight: Any = None) -> LogisticRegression:
        """One pass of mini-batch gradient descent over ``(X, y)``, continuing from the
        previous call (scikit-learn's ``partial_fit``; the ``"minibatch"`` solver's
        hyper-parameters, whatever ``solver`` ``fit`` uses): ``classes`` (every label the
        stream may hold) is required on the first call; the coefficients and the optimizer's
        state carry over. ``X`` is a NumPy array or a row-chunked Dask array (a pass over its
        blocks, shuffled at block level and within each block). See :mod:`._streaming`;
        returns ``self``."""
        return partial_fit_logistic(self, X, y, classes, sample_weight)

    def _class_weights(self, classes: np.ndarray, totals: np.ndarray) -> np.ndarray | None:
        """The weight of each of ``classes`` by ``class_weight``, from their total sample
        weights ``totals`` (``None``: no class weights)."""
        return class_weights(self.class_weight, classes, totals)

    def _strength(self, total_weight: float) -> float:
        r"""The penalty per unit of sample weight on the mean scale, :math:`1/(C\sum_i
        \mathrm{sw}_i)` (:math:`1/(Cn)` without weights; 0 for ``C = inf``)."""
        return 0.0 if math.isinf(self.C) else 1.0 / (self.C * total_weight)

    def _finish(self, result: FitResult, separated: bool, loss: Any, data: tuple[Any, ...],
                frequency: np.ndarray, strength: float) -> LogisticRegression:
        """Warn if the solver stopped because the classes are separated, store the fit
        (:meth:`_store`), return ``self``."""
        if separated:
            warn_at_caller(
                "The classes are perfectly separated by a hyperplane: every training sample "
                "is classified correctly, so the likelihood keeps increasing as the "
                "coefficients grow and the maximum likelihood estimate does not exist. "
                "Fitting stopped at finite coefficients; use a penalty (finite C) for a "
                "well-defined solution.",
                PerfectSeparationWarning,
            )
        self._store(result, loss, data, frequency, strength)
        return self

    def _solve(self, solver: str, objective: Objective, w0: np.ndarray, X: np.ndarray,
               target: np.ndarray, index: np.ndarray, callback: Any,
               sample_weight: np.ndarray | None) -> FitResult:
        if solver == "newton":
            null_space = None
            if w0.ndim == 2 and objective.l1 is None:
                n_classes, width = w0.shape
                null_space = _softmax_null_space(n_classes, width, X.dtype)
            assert self.tol is not None  # fit refuses tol=None for newton and lbfgs
            return newton(objective, w0, X, target, tol=self.tol, max_iter=self.max_iter,
                          null_space=null_space, sample_weight=sample_weight,
                          verbose=bool(self.verbose), callback=callback)
        if solver == "lbfgs":
            assert self.tol is not None  # fit refuses tol=None for newton and lbfgs
            return lbfgs(objective, w0, X, target, tol=self.tol, max_iter=self.max_iter,
                         sample_weight=sample_weight, verbose=bool(self.verbose),
                         callback=callback)
        batch_size = {"gd": None, "sgd": 1, "minibatch": self.batch_size}[solver]
        return gradient_descent(
            objective, w0, X, target, batch_size=batch_size, optimizer=self.optimizer,
            optimizer_params=self.optimizer_params, learning_rate=self.learning_rate,
            max_iter=self.max_iter, tol=self.tol, n_iter_no_change=self.n_iter_no_change,
            early_stopping=self.early_stopping, validation_fraction=self.validation_fraction,
            stratify=index, sample_weight=sample_weight, random_state=self.random_state,
            verbose=bool(self.verbose), callback=callback,
        )

    def _scores(self, w: np.ndarray, X: np.ndarray) -> np.ndarray:
        """The scores :math:`Xw + b` of the solver's coefficients ``w`` (intercept last)."""
        coef, intercept = split_intercept(w, self.fit_intercept)
        return X @ coef.T + intercept

    def _separates(self, w: np.ndarray, X: np.ndarray, index: np.ndarray) -> bool:
        """Whether ``w`` puts every training sample strictly on its own class's side."""
        return separates(self._scores(w, X), index)

    def _store(self, result: FitResult, loss: Any, data: tuple[Any, ...], frequency: np.ndarray,
               strength: float) -> None:
        """Store a fit: the coefficients (:meth:`_store_coefficients`), the log-likelihoods,
        and for an unpenalized binary fit the covariance of the estimates. ``loss`` answers
        ``mean_log_loss`` and ``hessian`` on ``data`` = ``(X, target[, s])`` (the loss in
        memory, or the passes of :mod:`._dask_logistic`); ``frequency`` is each class's total
        weight."""
        w = result.coef
        total = float(frequency.sum())
        # From the scores the solver left cached, before the centring below changes w:
        # -Σ sw_i ℓ_i = -(Σ sw_i) · (the weighted mean log-loss).
        self.log_likelihood_ = -total * loss.mean_log_loss(w, *data)
        self._store_coefficients(result, strength, data[0].dtype)

        frequencies = frequency / total
        frequencies = frequencies[frequencies > 0]  # 0 log 0 = 0
        self.null_log_likelihood_ = float(total * np.sum(frequencies * np.log(frequencies)))

        if hasattr(self, "cov_params_"):
            del self.cov_params_
        if w.ndim == 1 and strength == 0.0:
            self._store_covariance(loss, w, data, total)

    def _store_coefficients(self, result: FitResult, strength: float, dtype: Any) -> None:
        """``coef_``, ``intercept_`` (from ``result.coef``, centred in place for the
        multinomial model) and the solver's record."""
        w = result.coef
        if w.ndim == 2:
            # The softmax is unchanged when the same vector is added to every class. The
            # unpenalized intercepts are reported centred (sum 0 over the classes). So are the
            # coefficients, unless there is an L1 part: centring leaves the loss unchanged and
            # lowers an L2 penalty, so the (unique) L2 optimum is centred, and without a
            # penalty the centred solution is the canonical one. (An optimizer like Adam,
            # which rescales each coordinate, drifts along these shifts.)
            if self.l1_ratio == 0 or strength == 0:
                w -= w.mean(axis=0)
            elif self.fit_intercept:
                w[:, -1] -= w[:, -1].mean()
        coef, intercept = split_intercept(w, self.fit_intercept)
        self.coef_ = np.atleast_2d(coef).copy()
        self.intercept_ = (np.atleast_1d(intercept).astype(dtype) if self.fit_intercept
                           else np.zeros(self.coef_.shape[0], dtype=dtype))
        self.n_iter_ = result.n_iter
        self.converged_ = result.converged
        self.loss_curve_ = result.loss_curve
        self.best_iteration_ = result.best_iteration
        if result.validation_loss_curve is not None:
            self.validation_loss_curve_ = result.validation_loss_curve
        elif hasattr(self, "validation_loss_curve_"):
            del self.validation_loss_curve_

    def _store_covariance(self, loss: Any, w: np.ndarray, data: tuple[Any, ...],
                          total: float) -> None:
        r"""``cov_params_`` = (observed information)⁻¹ = :math:`(\textstyle\sum_i
        \mathrm{sw}_i\,\nabla^2 F)^{-1}`, by Cholesky: :math:`I = LL^\top \Rightarrow I^{-1} =
        L^{-\top}L^{-1}`."""
        information = total * loss.hessian(w, *data)
        if self.fit_intercept:  # the solver orders (coef, intercept); the table intercept first
            order = np.r_[w.size - 1, : w.size - 1]
            information = information[np.ix_(order, order)]
        try:
            L = cholesky(information)
        except LinAlgError:
            return  # singular (collinear features / separated classes): summary() explains
        L_inv = solve_triangular(L, np.eye(L.shape[0], dtype=L.dtype), lower=True)
        self.cov_params_ = L_inv.T @ L_inv

    # -- prediction ----------------------------------------------------------------------------

    def decision_function(self, X: Any) -> np.ndarray:
        r"""Scores :math:`z = Xw + b`: the log-odds of ``classes_[1]`` (shape (n,)) for two
        classes, else one column per class (shape (n, K))."""
        if is_dask_array(X):
            return map_method(self, "decision_function", X)
        X = self._validate_predict(X)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if self.classes_.size == 2 else scores

    def predict_log_proba(self, X: Any) -> np.ndarray:
        r"""Log-probabilities, computed stably: :math:`(\log\sigma(-z), \log\sigma(z))`, or the
        log-softmax (lazily, with the row chunks, for a Dask array)."""
        if is_dask_array(X):
            return map_method(self, "predict_log_proba", X)
        z = self.decision_function(X)
        if z.ndim == 1:
            return np.column_stack([log_sigmoid(-z), log_sigmoid(z)])
        return log_softmax(z)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, one column per entry of ``classes_`` (lazily for a Dask
        array)."""
        if is_dask_array(X):
            return map_method(self, "predict_proba", X)
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class: ``classes_[1]`` where :math:`z > 0` for two classes
        (lazily for a Dask array)."""
        if is_dask_array(X):
            return map_method(self, "predict", X)
        z = self.decision_function(X)
        best = (z > 0).astype(int) if z.ndim == 1 else np.argmax(z, axis=1)
        return self.classes_[best]

    # -- inference -----------------------------------------------------------------------------

    def summary(self, alpha: float = 0.05) -> LogitSummary:
        r"""The statistical table of an unpenalized binary fit (like statsmodels' ``Logit``).

        Coefficients, standard errors from the observed information, Wald :math:`z`, two-sided
        p-values, :math:`1-\alpha` confidence intervals and odds ratios with their intervals;
        plus the log-likelihood, deviance and AIC. See :class:`~._summary.LogitSummary`, which
        also explains how to read an odds ratio (e.g. 1.8: each unit of the feature multiplies
        the odds of ``classes_[1]`` by 1.8).

        Parameters
        ----------
        alpha : float, default=0.05
            Significance level of the intervals.

        Raises
        ------
        ValueError
            For penalized or multinomial fits (penalized estimates are biased on purpose, so
            their Wald intervals are not valid), or when the information matrix is singular.
        """
        check_is_fitted(self)
        check_scalar(alpha, "alpha", min_val=0.0, max_val=1.0, include_min=False,
                     include_max=False)
        if self.classes_.size != 2:
            raise ValueError("summary() is available for binary logistic regression only.")
        if not math.isinf(self.C):
            raise ValueError(
                f"summary() needs an unpenalized fit (C=np.inf); this model has C={self.C}. "
                "A penalty biases the coefficients towards 0 on purpose, so standard errors "
                "and p-values computed as for the MLE would not be valid."
            )
        if not hasattr(self, "cov_params_"):
            raise ValueError(
                "The observed information matrix is singular, so standard errors do not exist: "
                "the features are collinear or the classes are (quasi-)separated."
            )
        names = list(getattr(self, "feature_names_in_",
                             [f"x{j + 1}" for j in range(self.n_features_in_)]))
        coef = self.coef_[0]
        if self.fit_intercept:
            names, coef = ["intercept", *names], np.r_[self.intercept_[0], coef]
        return LogitSummary(
            names=[str(n) for n in names],
            coef=coef.astype(np.float64),
            std_err=np.sqrt(np.diagonal(self.cov_params_)).astype(np.float64),
            log_likelihood=float(self.log_likelihood_),
            null_log_likelihood=float(self.null_log_likelihood_),
            alpha=float(alpha),
            converged=bool(self.converged_),
            n_iter=int(self.n_iter_),
            solver=self.solver,
        )
