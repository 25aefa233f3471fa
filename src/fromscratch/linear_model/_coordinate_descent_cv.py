r"""Lasso and elastic net with the penalty chosen by cross-validation on the regularization path.

Choosing :math:`\alpha` by refitting for every value and fold costs a full solve each. Along a
decreasing grid :math:`\alpha_1 > \alpha_2 > \dots` the solutions change little from one
:math:`\alpha` to the next, so :func:`~fromscratch.linear_model.enet_path` starts each solve
from the previous solution (a *warm start*) and a whole path costs a few solves. The
estimators here compute one path per training fold and score every :math:`\alpha` of it on the
held-out fold (scikit-learn's ``LassoCV`` / ``ElasticNetCV``):

1. **The grid** (computed once, on all the data). The smallest penalty whose solution is all
   zeros follows from the optimality condition at :math:`w = 0`,
   :math:`|x_j^\top y_c| \le n\alpha\rho` for every :math:`j`:

   .. math:: \alpha_{\max} = \frac{\|X_c^\top y_c\|_\infty}{n\rho}

   (:math:`X_c, y_c` centered when an intercept is fitted; with ``positive=True`` only
   positive correlations count). The grid runs geometrically from :math:`\alpha_{\max}` down
   to :math:`\varepsilon\alpha_{\max}` (``eps``) in ``alphas`` steps.
2. **The path on each fold.** For folds :math:`(T_k, V_k)`, the training part is centered
   with its own means :math:`\bar x_k, \bar y_k`, the path :math:`w_k(\alpha)` is solved on
   it, and the intercept is :math:`b_k(\alpha) = \bar y_k - \bar x_k^\top w_k(\alpha)`.
3. **The error.** ``mse_path_[a, k]`` :math:`= \frac{1}{|V_k|}\sum_{i \in V_k}
   (y_i - x_i^\top w_k(\alpha_a) - b_k(\alpha_a))^2`; ``alpha_`` (and for the elastic net
   ``l1_ratio_``) minimizes its mean over the folds (the first minimum: the largest
   penalty, and the first ``l1_ratio`` given, on a tie).
4. **The refit** of :class:`~fromscratch.linear_model.ElasticNet` with the chosen penalty on
   all the data gives ``coef_``, ``intercept_``, ``dual_gap_`` and ``n_iter_``.

**Sample weights** :math:`s_i` (scikit-learn's, >= 1.4) enter every step as the weighted
elastic net's weighted *mean* squared error (:mod:`._coordinate_descent`): the grid's
correlations become :math:`\sum_i s_i x_{c,i} y_{c,i}` of the data centered at the weighted
means, divided by :math:`\sum_i s_i` instead of :math:`n`; each training fold is fitted with
its weights (rescaled to sum to its size, which changes nothing but the rounding); the error
of a test fold is the weighted mean :math:`\sum_{i \in V_k} s_i r_i^2 / \sum_{i \in V_k} s_i`;
the refit takes the weights. The folds' errors are still averaged with equal weight, as in
scikit-learn. So a zero weight is a row left out and an integer weight a row repeated (in
its fold): the splits themselves do not see the weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch._param_validation import (
    Check,
    Interval,
    Rule,
    is_int,
)
from fromscratch._validation import check_array, check_sample_weight, check_scalar
from fromscratch.linear_model._base import center_data
from fromscratch.linear_model._coordinate_descent import (
    ElasticNet,
    _CoordinateDescentModel,
    enet_path,
    lasso_path,
)
from fromscratch.model_selection import check_cv
from fromscratch.model_selection._split import CV_RULE

__all__ = ["LassoCV", "ElasticNetCV"]


def _alpha_grid(
    X: np.ndarray, y: np.ndarray, *, l1_ratio: float, fit_intercept: bool, eps: float,
    n_alphas: int, positive: bool, sample_weight: np.ndarray | None = None,
) -> np.ndarray:
    r"""``n_alphas`` penalties from :math:`\alpha_{\max} = \|X_c^\top y_c\|_\infty / (n\rho)`
    down to :math:`\varepsilon\alpha_{\max}`, evenly spaced on a log scale (see the module
    docstring). With ``sample_weight`` :math:`s`, :math:`X_c^\top S y_c / (\sum_i s_i\,\rho)`
    on the data centered at the weighted means."""
    if l1_ratio == 0:
        raise ValueError(
            "l1_ratio=0 (ridge) has no alpha_max: no penalty makes every coefficient zero. "
            "Give the penalties explicitly with alphas=[...]."
        )
    # center_data scales the centered rows of X and y by √s each: their product weighs s.
    Xc, yc, _, _ = center_data(X, y, fit_intercept, sample_weight)
    correlation = Xc.T @ yc
    largest = max(float(correlation.max()), 0.0) if positive else float(np.abs(correlation).max())
    total_weight = X.shape[0] if sample_weight is None else float(sample_weight.sum())
    alpha_max = largest / (total_weight * l1_ratio)
    # y uncorrelated with every feature: any penalty gives w = 0; scikit-learn then uses the
    # float64 resolution for every alpha, and so do we, to keep the grids equal.
    resolution = np.finfo(np.float64).resolution
    if alpha_max <= resolution:
        return np.full(n_alphas, resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def _fold_weights(
    sample_weight: np.ndarray | None, fold: int, train: np.ndarray, test: np.ndarray
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The weights of a training fold, rescaled to sum to its size (scikit-learn's choice:
    the weighted mean objective is unchanged), and those of its test fold; ``None``
    without weights. A fold whose weights are all zero has no mean: refused by name."""
    if sample_weight is None:
        return None, None
    sw_train, sw_test = sample_weight[train], sample_weight[test]
    for part, weights in (("training", sw_train), ("test", sw_test)):
        if not weights.sum() > 0:
            raise ValueError(
                f"sample_weight is zero on every sample of the {part} part of fold {fold}, "
                "and a weighted mean over it is undefined; give some of its samples a positive "
                "weight or choose other folds (cv)."
            )
    return sw_train * (sw_train.size / sw_train.sum()), sw_test


def _check_alphas(alphas: Any, name: str) -> int | np.ndarray:
    """``alphas``: an int >= 1 (the size of the automatic grid), or the penalties themselves,
    non-negative, returned as a 1-D array sorted from largest to smallest."""
    if is_int(alphas):
        return check_scalar(alphas, name, kind=int, min_val=1)
    penalties = check_array(alphas, name=name, ensure_2d=False)
    if penalties.ndim != 1 or (penalties < 0).any():
        raise ValueError(
            f"{name} must be an int (the number of penalties on the automatic grid) or a "
            f"1-D list of non-negative penalties; got {alphas!r}."
        )
    return np.sort(penalties)[::-1]


def _check_l1_ratios(l1_ratio: Any, name: str) -> np.ndarray:
    """``l1_ratio``: a number in [0, 1] or a list of them, returned as a float64 array."""
    ratios = check_array(np.atleast_1d(l1_ratio), name=name, ensure_2d=False)
    if ratios.ndim != 1 or (ratios < 0).any() or (ratios > 1).any():
        raise ValueError(
            f"{name} must be a number in [0, 1] or a list of them; got {l1_ratio!r}."
        )
    return ratios.astype(np.float64)


class _PathCV(_CoordinateDescentModel):
    """What :class:`LassoCV` and :class:`ElasticNetCV` share: the parameters, ``fit`` along the
    paths."""

    _parameter_constraints: dict[str, Rule] = {
        **_CoordinateDescentModel._parameter_constraints,
        "eps": Interval(float, 0.0, closed="neither"),
        "alphas": Check(_check_alphas, "an int >= 1 or a 1-D list of non-negative penalties",
                        invalid=(0, [1.0, -0.5], [[1.0]])),
        "cv": CV_RULE,
    }

    def __init__(self, *, eps: float = 1e-3, alphas: int | Any = 100, cv: Any = None,
                 **params: Any) -> None:
        super().__init__(**params)  # the coordinate-descent settings
        self.eps = eps
        self.alphas = alphas
        self.cv = cv

    def _grids(self, X: np.ndarray, y: np.ndarray, l1_ratios: np.ndarray,
               alphas: int | np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
        """The alphas of each l1_ratio, one row each, decreasing."""
        if is_int(alphas):
            return np.array([
                _alpha_grid(X, y, l1_ratio=float(l1_ratio), fit_intercept=self.fit_intercept,
                            eps=float(self.eps), n_alphas=alphas,
                            positive=bool(self.positive), sample_weight=sample_weight)
                for l1_ratio in l1_ratios])
        return np.tile(alphas, (l1_ratios.shape[0], 1))

    def _fold_mse(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None,
                  fold: int, train: np.ndarray, test: np.ndarray, alphas: np.ndarray,
                  l1_ratio: float) -> np.ndarray:
        """The test-fold (weighted) mean squared error of the path fitted on the training fold."""
        sw_train, sw_test = _fold_weights(sample_weight, fold, train, test)
        Xc, yc, x_mean, y_mean = center_data(X[train], y[train], self.fit_intercept, sw_train)
        _, coefs, _ = enet_path(
            Xc, yc, l1_ratio=l1_ratio, alphas=alphas, fit_intercept=False,
            max_iter=self.max_iter, tol=self.tol, positive=self.positive,
            random_state=self.random_state, selection=self.selection,
        )
        intercepts = y_mean - x_mean @ coefs
        residuals = X[test] @ coefs + intercepts - y[test][:, None]
        return np.average(residuals**2, axis=0, weights=sw_test)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> _PathCV:
        """Choose the penalty by cross-validation on the path, then refit on all the data.

        ``sample_weight`` (shape (n_samples,) or a number, optional) weighs each sample's
        squared error in the fits and in the folds' errors (module docstring).
        """
        params = self._validate_params()
        X, y = self._validate_fit(X, y)
        sample_weight = check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype)
        l1_ratios = params.get("l1_ratio", np.ones(1))  # the lasso: l1_ratio = 1
        grids = self._grids(X, y, l1_ratios, params["alphas"], sample_weight)
        folds = list(check_cv(self.cv).split(X, y))
        # mse[r, k, a]: l1_ratio r, fold k, alpha a.
        mse = np.array([[self._fold_mse(X, y, sample_weight, k, train, test, alphas,
                                        float(l1_ratio))
                         for k, (train, test) in enumerate(folds)]
                        for l1_ratio, alphas in zip(l1_ratios, grids, strict=True)])
        mean_mse = mse.mean(axis=1)
        best = np.argmin(mean_mse, axis=1)  # the first minimum of each l1_ratio's curve
        r = int(np.argmin(mean_mse[np.arange(len(l1_ratios)), best]))
        self.alpha_ = grids[r, best[r]]
        self.l1_ratio_ = float(l1_ratios[r])
        single = l1_ratios.shape[0] == 1
        self.mse_path_ = np.moveaxis(mse, 2, 1)[0] if single else np.moveaxis(mse, 2, 1)
        self.alphas_ = grids[0] if single or not is_int(params["alphas"]) else grids
        model = ElasticNet(
            alpha=self.alpha_, l1_ratio=self.l1_ratio_, fit_intercept=self.fit_intercept,
            max_iter=self.max_iter, tol=self.tol, positive=self.positive,
            random_state=self.random_state, selection=self.selection,
        ).fit(X, y, sample_weight=sample_weight)
        self._set_coef(model.coef_, model.intercept_)
        self.dual_gap_, self.n_iter_ = model.dual_gap_, model.n_iter_
        return self


_SHARED_PARAMETERS = """
    eps : float, default 1e-3
        The grid ends at ``eps * alpha_max``.
    alphas : int or array-like, default 100
        An int: the number of penalties on the automatic grid (scikit-learn >= 1.7; older
        versions called it ``n_alphas``). An array: the penalties to try (sorted decreasing).
    fit_intercept : bool, default True
    max_iter : int, default 1000
        Maximum epochs of each solve, as in :class:`~fromscratch.linear_model.ElasticNet`.
    tol : float, default 1e-4
        The duality-gap tolerance of each solve (relative to :math:`\\|y - \\bar y\\|^2`).
    cv : None, int, splitter or iterable of (train, test)
        None means 5 folds (:class:`~fromscratch.model_selection.KFold`, not shuffled).
    positive : bool, default False
        Constrain the coefficients to be non-negative.
    random_state : int, numpy.random.Generator or None
        Coordinate order for ``selection="random"``.
    selection : {"cyclic", "random"}, default "cyclic"

    Attributes
    ----------
    alpha_ : float
        The penalty chosen.
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The grid (one row per ``l1_ratio`` when an automatic grid is built for several).
    mse_path_ : ndarray of shape (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
        The test-fold mean squared error of each penalty on each fold.
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    dual_gap_ : float
    n_iter_ : int
        Of the final refit on all the data.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
"""


class ElasticNetCV(_PathCV):
    __doc__ = r"""Elastic net with ``alpha`` and ``l1_ratio`` chosen by cross-validation.

    For each ``l1_ratio`` the elastic-net path is computed on every training fold and scored
    on the held-out fold (see :mod:`._coordinate_descent_cv`); the pair with the lowest mean
    squared error over the folds is refitted on all the data. scikit-learn's
    ``ElasticNetCV`` (without ``precompute``, ``copy_X``, ``verbose`` and ``n_jobs``).

    Parameters
    ----------
    l1_ratio : float or list of float, default 0.5
        Mixing :math:`\rho \in [0, 1]` (1 is the lasso); a list tries each, and
        ``[.1, .5, .7, .9, .95, .99, 1]`` is a common choice.""" + _SHARED_PARAMETERS + """\
    l1_ratio_ : float
        The mixing chosen.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(80, 5))
    >>> y = X @ np.array([2.0, 0.0, 0.0, -1.0, 0.0]) + 0.1 * rng.normal(size=80)
    >>> model = ElasticNetCV(l1_ratio=[0.5, 1.0], cv=4).fit(X, y)
    >>> model.l1_ratio_, np.round(model.coef_, 2).tolist()
    (1.0, [2.01, -0.01, -0.01, -1.0, 0.02])
    """

    path = staticmethod(enet_path)
    _parameter_constraints: dict[str, Rule] = {
        **_PathCV._parameter_constraints,
        "l1_ratio": Check(_check_l1_ratios, "a number in [0, 1] or a list of them",
                          invalid=(1.5, [0.5, -0.1], "half")),
    }

    def __init__(self, *, l1_ratio: float | list[float] = 0.5, **params: Any) -> None:
        super().__init__(**params)
        self.l1_ratio = l1_ratio


class LassoCV(_PathCV):
    __doc__ = r"""Lasso with ``alpha`` chosen by cross-validation along the regularization path.

    The lasso path is computed on every training fold and scored on the held-out fold (see
    :mod:`._coordinate_descent_cv`); the penalty with the lowest mean squared error over the
    folds is refitted on all the data. scikit-learn's ``LassoCV`` (without ``precompute``,
    ``copy_X``, ``verbose`` and ``n_jobs``).

    Parameters
    ----------""" + _SHARED_PARAMETERS + """
    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(80, 5))
    >>> y = X @ np.array([2.0, 0.0, 0.0, -1.0, 0.0]) + 0.1 * rng.normal(size=80)
    >>> model = LassoCV(cv=4).fit(X, y)
    >>> np.round(model.coef_, 2).tolist()
    [2.01, -0.01, -0.01, -1.0, 0.02]
    """

    path = staticmethod(lasso_path)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LassoCV:
        """Choose ``alpha`` by cross-validation on the lasso path; refit on all the data
        (``sample_weight`` as in :meth:`ElasticNetCV.fit`)."""
        super().fit(X, y, sample_weight=sample_weight)
        del self.l1_ratio_  # always 1: the lasso has no mixing parameter (as in scikit-learn)
        return self
