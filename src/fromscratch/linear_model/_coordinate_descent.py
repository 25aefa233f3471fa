r"""Lasso and elastic net: the estimators, their regularization paths, and the choice of solver.

The objective, scikit-learn's, is

.. math::
    \frac{1}{2n}\|y - Xw - b\mathbf 1\|_2^2 + \alpha\rho\|w\|_1
    + \frac{\alpha(1-\rho)}{2}\|w\|_2^2 ,

with :math:`\rho` = ``l1_ratio`` and the intercept removed by centering (:mod:`._base`).

**Sample weights** (scikit-learn's objective): the mean squared error becomes the weighted
mean, :math:`\frac{1}{2\sum_i s_i}\sum_i s_i(y_i - x_i^\top w - b)^2`, so scaling every weight
by the same factor changes nothing. The weights are first rescaled to sum to :math:`n`
(which leaves that objective as it is), and the data centered at the weighted means with rows
scaled by :math:`\sqrt{s_i}` (:func:`~._base.center_data`): the solvers then minimize the
unweighted objective above on those rows, with the :math:`1/(2n)` they always use. **Several
targets** (a 2-D ``y``) are fitted one after the other, each its own elastic net, as
scikit-learn's ``ElasticNet`` does (``MultiTaskElasticNet``, which couples them, is another
model).

Two solvers minimize it, each as a textbook kernel beside its fast path: coordinate descent
(:mod:`._cd`: the duality gap that stops every solver, working sets, cached Gram rows) and
FISTA (:mod:`._fista`: proximal gradient with momentum, float32 products on large data).

**Which solver** (``solver="auto"``, the default; :func:`enet_auto`). A step of coordinate
descent costs :math:`O(|W|)` once the Gram matrix of the working set is paid for, about
:math:`n|W|^2/2` multiply-adds; a FISTA step costs two products with :math:`X`, :math:`2np`,
however many features are active, and needs few steps when the features are nearly
uncorrelated (its rate depends on the conditioning of :math:`X`, coordinate descent's much
less). So on large tall data FISTA runs first and keeps going only while it converges fast;
otherwise, and on small or wide data, coordinate descent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._param_validation import Interval, Options, RandomState, Rule, flag
from fromscratch._validation import (
    check_array,
    check_random_state,
    check_sample_weight,
    check_scalar,
    check_X_y,
)
from fromscratch.blocks import is_dask_array
from fromscratch.linear_model._base import LinearModel, center_data, intercept_from
from fromscratch.linear_model._cd import (
    GRAM_MAX_FEATURES,
    GramCache,
    enet_coordinate_descent,
    warn_if_not_converged,
)
from fromscratch.linear_model._dask import fit_elastic_net
from fromscratch.linear_model._fista import SINGLE_PRECISION_MIN_ENTRIES, enet_fista

__all__ = ["Lasso", "ElasticNet", "lasso_path", "enet_path"]

#: ``solver="auto"`` hands over from FISTA to coordinate descent when ``FISTA_GAP_EVERY`` steps
#: divide the duality gap by less than this.
AUTO_MIN_PROGRESS = 100.0


# -- choosing the solver -------------------------------------------------------------------


def enet_auto(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    l1: float,
    l2: float,
    *,
    max_iter: int = 1000,
    tol: float = 1e-4,
    gram: GramCache | None = None,
    **options: Any,
) -> tuple[np.ndarray, float, float, int]:
    r"""``solver="auto"``: coordinate descent, with FISTA first on large tall data.

    On tall data coordinate descent in covariance form needs the Gram matrix of every feature
    that may enter, :math:`n|W|^2/2` multiply-adds; when the solution keeps many features that
    costs more than the whole of scikit-learn's fit. A FISTA step costs two products with
    :math:`X` (:math:`2np`, in float32), and on well-conditioned data a few tens of them reach
    any tolerance. So from ``SINGLE_PRECISION_MIN_ENTRIES`` entries up, and with
    :math:`n \ge p`, FISTA runs first, as long as every ``FISTA_GAP_EVERY`` steps divide the gap
    by at least ``AUTO_MIN_PROGRESS`` (a fast linear rate, as on nearly uncorrelated
    features). Otherwise coordinate descent starts over from the initial coefficients, not
    from FISTA's iterate: that one has many small non-zeros, which would make the first
    working set every feature. Small data, wide data and warm-started paths (a
    ``gram`` to reuse) run coordinate descent alone, exactly as ``solver="cd"``. ``n_iter``
    counts FISTA steps plus coordinate-descent epochs.
    """
    n_samples, n_features = X.shape
    n_fista = 0
    if gram is None and n_samples >= n_features and X.size >= SINGLE_PRECISION_MIN_ENTRIES:
        w_fista, gap, gap_tol, n_fista = enet_fista(
            X, y, w.copy(), l1, l2, max_iter=max_iter, tol=tol,
            min_progress=AUTO_MIN_PROGRESS, positive=options["positive"],
        )
        if gap <= gap_tol or n_fista >= max_iter:
            w[:] = w_fista
            return w, gap, gap_tol, n_fista
    w, gap, gap_tol, n_cd = enet_coordinate_descent(
        X, y, w, l1, l2, max_iter=max_iter - n_fista, tol=tol, gram=gram, **options
    )
    return w, gap, gap_tol, n_fista + n_cd


_SOLVERS: dict[str, Callable[..., tuple[np.ndarray, float, float, int]]] = {
    "auto": enet_auto,
    "cd": enet_coordinate_descent,
    "fista": enet_fista,
}


# -- estimators ----------------------------------------------------------------------------


def _check_path_params(**params: Any) -> None:
    """The hyper-parameters of a path function, by :class:`ElasticNet`'s rules."""
    for name, value in params.items():
        ElasticNet._parameter_constraints[name](value, name)


def _solve_enet(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, alpha: float, l1_ratio: float, *,
    solver: str, max_iter: int, tol: float, rng: np.random.Generator, selection: str,
    positive: bool, **extra: Any,
) -> tuple[np.ndarray, float, int]:
    """Solve on centered data from ``w``; return (w, gap / n, n_iter), warning if unconverged."""
    n_samples = X.shape[0]
    l1 = alpha * l1_ratio * n_samples
    l2 = alpha * (1.0 - l1_ratio) * n_samples
    w, gap, gap_tol, n_iter = _SOLVERS[solver](
        X, y, w, l1, l2, max_iter=max_iter, tol=tol, rng=rng,
        random=selection == "random", positive=positive, **extra,
    )
    warn_if_not_converged(solver, max_iter, alpha, gap, gap_tol)
    return w, gap / n_samples, n_iter


class _CoordinateDescentModel(LinearModel):
    """The settings of every coordinate-descent estimator (:class:`ElasticNet`, :class:`Lasso`
    and the cross-validated ones in :mod:`._coordinate_descent_cv`), with their rules, once."""

    _parameter_constraints: dict[str, Rule] = {
        **LinearModel._parameter_constraints,
        "max_iter": Interval(int, 1),
        "tol": Interval(float, 0.0),
        "positive": flag,
        "random_state": RandomState(),
        "selection": Options("cyclic", "random"),
    }

    def __init__(self, *, fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 positive: bool = False, random_state: Any = None, selection: str = "cyclic",
                 ) -> None:
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.positive = positive
        self.random_state = random_state
        self.selection = selection


class ElasticNet(_CoordinateDescentModel):
    r"""Linear regression with combined L1 and L2 penalties (scikit-learn's objective).

    Minimizes :math:`\frac{1}{2n}\|y - Xw - b\mathbf 1\|^2 + \alpha\rho\|w\|_1 +
    \frac{\alpha(1-\rho)}{2}\|w\|^2` with :math:`\rho` = ``l1_ratio``; see
    :mod:`._cd` (coordinate descent, the stopping rule) and :mod:`._fista` for the algorithms.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength, :math:`\alpha \ge 0`.
    l1_ratio : float, default=0.5
        Mixing :math:`\rho \in [0, 1]`: 1 is the lasso, 0 ridge (in this scaling).
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum epochs (coordinate descent) or gradient steps (FISTA).
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * ||y - ȳ||²`` (as in scikit-learn).
    warm_start : bool, default=False
        Start from the previous ``coef_`` (e.g. along a sequence of alphas).
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : int, numpy.random.Generator or None, default=None
        Coordinate order for ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Update coordinates in order, or pick them at random (with replacement).
    solver : {"auto", "cd", "fista"}, default="auto"
        Coordinate descent with working sets, accelerated proximal gradient, or (``"auto"``)
        coordinate descent preceded, on large tall data, by FISTA for as long as it converges
        fast (:func:`enet_auto`; on small data ``"auto"`` is ``"cd"``).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        One row per target when ``y`` is 2-D.
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int or list of int
        Epochs over the working sets (CD), gradient steps (FISTA), or both (auto); one per
        target for a 2-D ``y``.
    dual_gap_ : float or ndarray of shape (n_targets,)
        Final duality gap of the :math:`1/(2n)`-scaled objective.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    """

    _multi_output = True  # y may have a column per target: one model per column
    _parameter_constraints: dict[str, Rule] = {
        **_CoordinateDescentModel._parameter_constraints,
        "alpha": Interval(float, 0.0),
        "l1_ratio": Interval(float, 0.0, 1.0, closed="both"),
        "warm_start": flag,
        "solver": Options(*_SOLVERS),
    }

    def __init__(self, alpha: float = 1.0, l1_ratio: float = 0.5, *, warm_start: bool = False,
                 solver: str = "auto", **params: Any) -> None:
        super().__init__(**params)  # the coordinate-descent settings
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.warm_start = warm_start
        self.solver = solver

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> ElasticNet:
        """Fit the coefficients; returns ``self``.

        ``y`` may have one column per target; ``sample_weight`` (shape (n_samples,),
        optional) weighs each sample's squared error (module docstring).
        ``X`` may be a row-chunked Dask array (``solver="auto"`` or ``"cd"``: one pass for
        the Gram statistics, then coordinate descent in memory — for tall data,
        :math:`n \\gg p`; :mod:`._dask`).
        """
        self._validate_params()
        if is_dask_array(X):
            return fit_elastic_net(self, X, y, sample_weight)
        X, y = self._validate_fit(X, y)
        n_samples, n_features = X.shape
        sample_weight = check_sample_weight(sample_weight, n_samples, dtype=X.dtype)
        if sample_weight is not None:  # the weighted *mean*: rescaling the weights is free
            sample_weight = sample_weight * (n_samples / sample_weight.sum())
        Xc, yc, X_offset, y_offset = center_data(X, y, self.fit_intercept, sample_weight)
        Y = yc.reshape(n_samples, -1)  # one column per target
        W = np.zeros((n_features, Y.shape[1]), dtype=X.dtype)
        previous = getattr(self, "coef_", None)
        if self.warm_start and previous is not None and previous.T.shape == W.shape[:y.ndim]:
            W[...] = previous.T.reshape(W.shape)
        rng = check_random_state(self.random_state)
        gaps, n_iter = [], []
        for k in range(Y.shape[1]):
            W[:, k], gap, iterations = _solve_enet(
                Xc, np.ascontiguousarray(Y[:, k]), W[:, k].copy(), float(self.alpha),
                float(self.l1_ratio), solver=self.solver, max_iter=self.max_iter,
                tol=float(self.tol), rng=rng, selection=self.selection,
                positive=bool(self.positive),
            )
            gaps.append(gap)
            n_iter.append(iterations)
        coef = W[:, 0] if y.ndim == 1 else W
        self.dual_gap_ = gaps[0] if y.ndim == 1 else np.asarray(gaps)
        self.n_iter_ = n_iter[0] if y.ndim == 1 else n_iter
        self._set_coef(coef.T, intercept_from(coef, X_offset, y_offset, self.fit_intercept))
        return self


class Lasso(ElasticNet):
    r"""Linear regression with an L1 penalty: :math:`\frac{1}{2n}\|y - Xw - b\mathbf 1\|^2 +
    \alpha\|w\|_1` (scikit-learn's objective). The penalty sets coefficients exactly to zero.

    The same as :class:`ElasticNet` with ``l1_ratio=1``; see it for the parameters and
    attributes.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    >>> model = Lasso(alpha=0.1).fit(X, X[:, 0])
    >>> np.round(model.coef_, 3).tolist()
    [0.92, 0.0]
    """

    #: Not a parameter (as in scikit-learn): the lasso is the elastic net at ``l1_ratio = 1``.
    l1_ratio = 1.0

    def __init__(self, alpha: float = 1.0, **params: Any) -> None:
        super().__init__(alpha, self.l1_ratio, **params)


# -- regularization paths ------------------------------------------------------------------


def enet_path(
    X: Any,
    y: Any,
    *,
    l1_ratio: float = 0.5,
    eps: float = 1e-3,
    n_alphas: int = 100,
    alphas: Any = None,
    fit_intercept: bool = False,
    coef_init: Any = None,
    max_iter: int = 1000,
    tol: float = 1e-4,
    positive: bool = False,
    random_state: Any = None,
    selection: str = "cyclic",
    solver: str = "auto",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Elastic-net coefficients along a decreasing grid of alphas (scikit-learn's ``enet_path``).

    The default grid starts at the smallest penalty whose solution is all zeros,

    .. math:: \alpha_{\max} = \frac{\|X^\top y\|_\infty}{n\rho}

    (from the optimality condition at :math:`w = 0`) and goes down geometrically to
    :math:`\varepsilon\,\alpha_{\max}` in ``n_alphas`` steps. Each solve is warm-started from
    the previous solution, which is what makes a path cheap.

    Parameters
    ----------
    X, y : array-like
        Assumed centered, as in scikit-learn; ``fit_intercept=True`` centers them first.
    l1_ratio, max_iter, tol, positive, random_state, selection, solver :
        As in :class:`ElasticNet`.
    eps, n_alphas : the default grid; alphas : explicit penalties (sorted decreasing).
    coef_init : initial coefficients for the first alpha.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    """
    _check_path_params(l1_ratio=l1_ratio, max_iter=max_iter, tol=tol, selection=selection,
                       solver=solver, fit_intercept=fit_intercept, positive=positive)
    check_scalar(eps, "eps", min_val=0.0, include_min=False)
    check_scalar(n_alphas, "n_alphas", kind=int, min_val=1)
    X, y = check_X_y(X, y)
    X, y, _, _ = center_data(X, y, fit_intercept)
    n_samples, n_features = X.shape
    if alphas is None:
        if l1_ratio == 0:
            raise ValueError(
                "l1_ratio=0 has no alpha_max (no penalty zeroes every coefficient); "
                "pass the alphas explicitly."
            )
        Xty = X.T @ y
        top = max(float(Xty.max()), 0.0) if positive else float(np.abs(Xty).max())
        alpha_max = top / (n_samples * l1_ratio)
        resolution = np.finfo(np.float64).resolution
        if alpha_max <= resolution:
            alphas = np.full(n_alphas, resolution)
        else:
            alphas = np.geomspace(alpha_max, alpha_max * eps, n_alphas)
    else:
        alphas = check_array(alphas, name="alphas", ensure_2d=False)
        if alphas.ndim != 1 or np.any(alphas < 0):
            raise ValueError("alphas must be a 1-D array of non-negative penalties.")
        alphas = np.sort(alphas)[::-1]
    if coef_init is None:
        w = np.zeros(n_features, dtype=X.dtype)
    else:
        w = check_array(coef_init, name="coef_init", ensure_2d=False).astype(X.dtype, copy=True)
        if w.shape != (n_features,):
            raise ValueError(f"coef_init must have shape ({n_features},); got {w.shape}.")
    rng = check_random_state(random_state)
    # Coordinate descent reuses the Gram rows it computed from one alpha to the next.
    extra = ({"gram": GramCache(X, y)}
             if solver in ("auto", "cd") and n_features <= GRAM_MAX_FEATURES else {})
    coefs = np.empty((n_features, alphas.size), dtype=X.dtype)
    dual_gaps = np.empty(alphas.size)
    for k, alpha in enumerate(alphas):
        w, dual_gaps[k], _ = _solve_enet(
            X, y, w, float(alpha), float(l1_ratio), solver=solver, max_iter=max_iter, tol=tol,
            rng=rng, selection=selection, positive=positive, **extra,
        )
        coefs[:, k] = w
        w = w.copy()
    return alphas, coefs, dual_gaps


def lasso_path(
    X: Any, y: Any, *, eps: float = 1e-3, n_alphas: int = 100, alphas: Any = None, **params: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Lasso coefficients along a decreasing grid of alphas: :func:`enet_path` with
    ``l1_ratio=1`` (:math:`\alpha_{\max} = \|X^\top y\|_\infty / n`)."""
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas, **params)
