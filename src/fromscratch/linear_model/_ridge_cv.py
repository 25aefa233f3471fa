r"""Ridge regression with the penalty chosen by cross-validation: :class:`RidgeCV`.

**The leave-one-out shortcut.** Leaving sample :math:`i` out and refitting costs a whole
solve, :math:`n` times per penalty. For a linear smoother there is no need: with
:math:`A = X^\top X + \alpha I`, the hat matrix :math:`H = XA^{-1}X^\top` (:math:`\hat y = Hy`)
and its diagonal :math:`h_{ii} = x_i^\top A^{-1} x_i`, removing the row is the rank-one update
:math:`A_{-i} = A - x_i x_i^\top`, whose inverse is the Sherman–Morrison formula

.. math:: A_{-i}^{-1} = A^{-1} + \frac{A^{-1}x_i\,x_i^\top A^{-1}}{1 - h_{ii}},
    \qquad\text{so}\qquad x_i^\top A_{-i}^{-1} = \frac{x_i^\top A^{-1}}{1 - h_{ii}} .

The fit without row :math:`i` is :math:`\hat w_{-i} = A_{-i}^{-1}(X^\top y - x_i y_i)`, and its
prediction for the row left out is :math:`x_i^\top\hat w_{-i} = (\hat y_i - h_{ii}y_i)/(1 -
h_{ii})`. The leave-one-out error is therefore the ordinary residual, inflated by the leverage:

.. math:: e_i = y_i - x_i^\top\hat w_{-i} = \frac{y_i - \hat y_i}{1 - h_{ii}} .

**One factorization for all penalties.** With the eigendecomposition
:math:`X^\top X = V\Lambda V^\top` (computed once, :func:`fromscratch.linalg.eigh`),
:math:`A^{-1} = V(\Lambda + \alpha I)^{-1}V^\top` for every :math:`\alpha`, so with
:math:`B = XV`

.. math:: h_{ii}(\alpha) = \sum_j \frac{B_{ij}^2}{\lambda_j + \alpha}, \qquad
    \hat y(\alpha) = B\,(\Lambda + \alpha I)^{-1} B^\top y, \qquad
    \hat w(\alpha) = V(\Lambda + \alpha I)^{-1}B^\top y :

each penalty costs :math:`O(np)` instead of a new :math:`O(np^2)` solve. With fewer samples
than features the :math:`n \times n` matrix :math:`XX^\top = Q\Lambda Q^\top` is decomposed
instead (its nonzero eigenvalues are those of :math:`X^\top X`); since :math:`I - H =
\alpha(XX^\top + \alpha I)^{-1}`, the residuals and :math:`1 - h_{ii}` come without
cancellation,

.. math:: y - \hat y = Q\,\frac{\alpha}{\Lambda + \alpha}\,Q^\top y, \qquad
    1 - h_{ii} = \sum_j Q_{ij}^2\,\frac{\alpha}{\lambda_j + \alpha}, \qquad
    \hat w = X^\top Q\,(\Lambda + \alpha I)^{-1} Q^\top y .

These are scikit-learn's ``gcv_mode="eigen"`` choices ("cov" for :math:`n > p`, "gram" for
:math:`n \le p`). scikit-learn calls the method generalized cross-validation; what it computes,
and what is computed here, is the exact leave-one-out error (Golub, Heath & Wahba's GCV would
replace every :math:`h_{ii}` by their mean :math:`\operatorname{tr}(H)/n`).

**The intercept.** It is an unpenalized column of ones. Centering makes the other columns
orthogonal to it, so the hat matrix of the full model splits into that of the intercept and
that of the centered problem, :math:`H = \mathbf 1\mathbf 1^\top/n + H_c`: the residuals are
those of the centered problem and :math:`h_{ii} = 1/n + h_{c,ii}`. Leaving a row out also moves
the means; the formula accounts for it exactly, because it is the hat matrix of the model with
the intercept.

**Sample weights** :math:`s_i`: after weighted centering, the rows are scaled by
:math:`\sqrt{s_i}`, an unweighted problem whose intercept column is :math:`\sqrt s`;
:math:`H = \sqrt s\sqrt s^\top/\sum_i s_i + H_c`, the scaled error is :math:`\sqrt{s_i}\,e_i`,
and leaving out a scaled row is leaving out the sample. The score with ``scoring=None`` is
scikit-learn's, :math:`-\frac1n\sum_i s_i e_i^2`.

**Other folds** (``cv`` not None) have no shortcut: every penalty is refitted on every fold by
:class:`~fromscratch.model_selection.GridSearchCV`, as scikit-learn does.
"""

from __future__ import annotations

import numbers
from typing import Any, NamedTuple

import numpy as np

from fromscratch._param_validation import Check, Rule, flag
from fromscratch._validation import check_array, check_choice, check_sample_weight, check_X_y
from fromscratch.linalg import eigh
from fromscratch.linear_model._base import LinearModel
from fromscratch.linear_model._ridge import Ridge
from fromscratch.model_selection import GridSearchCV, get_scorer
from fromscratch.model_selection._split import CV_RULE

__all__ = ["RidgeCV"]


def _check_alphas(alphas: Any, name: str) -> np.ndarray:
    """``alphas``: a penalty or a non-empty 1-D list of them, non-negative; a float64 array."""
    if isinstance(alphas, numbers.Real) and not isinstance(alphas, bool):
        alphas = [alphas]
    penalties = check_array(alphas, name=name, ensure_2d=False, ensure_min_samples=0)
    if penalties.ndim != 1 or penalties.size == 0 or not (penalties >= 0).all():
        raise ValueError(f"{name} must be a non-empty 1-D list of non-negative penalties; "
                         f"got {alphas!r}.")
    return penalties.astype(np.float64)


def _check_gcv_mode(gcv_mode: Any, name: str) -> str | None:
    """``gcv_mode``: None, "auto" or "eigen" (all three the eigendecomposition)."""
    if gcv_mode == "svd":
        raise ValueError(
            f"{name}='svd' (a singular value decomposition of X) is not available; "
            f"{name}=None, 'auto' or 'eigen' gives the same leave-one-out errors through "
            "the eigendecomposition of XᵀX (n > p) or XXᵀ (n <= p)."
        )
    return None if gcv_mode is None else check_choice(gcv_mode, name, ("auto", "eigen"))


def _check_scoring(scoring: Any, name: str) -> Any:
    """``scoring``: None, a scorer name or a callable (a name is looked up in ``fit``)."""
    if not (scoring is None or isinstance(scoring, str) or callable(scoring)):
        raise TypeError(
            f"{name} must be None, a scorer name or a callable f(estimator, X, y); got "
            f"{scoring!r}."
        )
    return scoring


class _Predictions:
    """Stands in for an estimator when a scorer scores leave-one-out predictions: its
    ``predict`` returns what it is given (scikit-learn's ``_IdentityRegressor``)."""

    def predict(self, X: np.ndarray) -> np.ndarray:
        return X


class RidgeCV(LinearModel):
    r"""Ridge regression with ``alpha`` chosen by (efficient leave-one-out) cross-validation.

    With ``cv=None`` the leave-one-out error of every penalty comes from one eigendecomposition
    (see :mod:`._ridge_cv`); otherwise every penalty is refitted on every fold. scikit-learn's
    ``RidgeCV`` (its parameters, defaults, tie-breaking and attributes).

    Parameters
    ----------
    alphas : array-like of float, default=(0.1, 1.0, 10.0)
        The penalties to try, in this order (the first best wins a tie). Positive for
        leave-one-out; zero is allowed with ``cv``.
    fit_intercept : bool, default=True
    scoring : None, str or callable, default=None
        None: the mean squared leave-one-out error (its negative is ``best_score_``) with
        ``cv=None``, :math:`R^2` with ``cv``. Otherwise a scorer name or ``f(estimator, X, y)``
        (:func:`~fromscratch.model_selection.get_scorer`), applied to the leave-one-out
        predictions.
    cv : None, int, splitter or iterable of (train, test), default=None
        None: efficient leave-one-out. Otherwise the folds of
        :class:`~fromscratch.model_selection.GridSearchCV` over :class:`Ridge`.
    gcv_mode : {None, "auto", "eigen"}, default=None
        All three decompose :math:`X^\top X` when :math:`n > p` and :math:`XX^\top` when
        :math:`n \le p`. scikit-learn's ``"svd"`` (a singular value decomposition of
        :math:`X`) is not available.
    store_cv_results : bool, default=False
        Keep ``cv_results_`` (``cv=None`` only).
    alpha_per_target : bool, default=False
        With several targets, choose a penalty for each (``cv=None`` only).

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
        The penalty chosen (one per target with ``alpha_per_target``).
    best_score_ : float or ndarray of shape (n_targets,)
        Its score: the negated mean squared leave-one-out error, or the mean of ``scoring``.
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    cv_results_ : ndarray of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)
        With ``store_cv_results``: the squared leave-one-out errors (weighted by
        ``sample_weight``) for ``scoring=None``, else the leave-one-out predictions.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(50, 3))
    >>> y = X @ np.array([1.0, 0.0, -2.0]) + 0.5 * rng.normal(size=50)
    >>> model = RidgeCV(alphas=[0.1, 1.0, 10.0, 100.0]).fit(X, y)
    >>> model.alpha_, round(-model.best_score_, 3)  # the mean squared leave-one-out error
    (0.1, 0.248)
    """

    _parameter_constraints: dict[str, Rule] = {
        **LinearModel._parameter_constraints,
        "alphas": Check(_check_alphas, "a non-empty 1-D list of non-negative penalties",
                        invalid=([1.0, -1.0], [], "many")),
        "scoring": Check(_check_scoring, "None, a scorer name or a callable",
                         invalid=(["r2"], 3)),
        "cv": CV_RULE,
        "gcv_mode": Check(_check_gcv_mode, "None, 'auto' or 'eigen'", invalid=("svd", "fast")),
        "store_cv_results": flag,
        "alpha_per_target": flag,
    }

    def __init__(
        self,
        alphas: Any = (0.1, 1.0, 10.0),
        *,
        fit_intercept: bool = True,
        scoring: Any = None,
        cv: Any = None,
        gcv_mode: str | None = None,
        store_cv_results: bool = False,
        alpha_per_target: bool = False,
    ) -> None:
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's tags, saying that ``y`` may have a column per target."""
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _check_params(self) -> np.ndarray:
        """Check the hyper-parameters (the table, then the rules that tie several together);
        return the penalties as a float64 array."""
        alphas = self._validate_params()["alphas"]
        if self.cv is not None and self.store_cv_results:
            raise ValueError("cv!=None and store_cv_results=True are incompatible: "
                             "cv_results_ holds leave-one-out values (cv=None).")
        if self.cv is not None and self.alpha_per_target:
            raise ValueError("cv!=None and alpha_per_target=True are incompatible: a penalty "
                             "per target is chosen by leave-one-out only (cv=None).")
        # Leave-one-out's shortcut divides by 1 - h_ii, which alpha = 0 may make 0.
        if self.cv is None and not (alphas > 0).all():
            raise ValueError(
                "alphas must be a non-empty 1-D list of positive penalties (leave-one-out, "
                f"cv=None); got {self.alphas!r}.")
        return alphas

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> RidgeCV:
        """Choose ``alpha`` and fit with it; returns ``self``.

        ``y`` may have a column per target (``cv=None``; with ``cv`` as far as :class:`Ridge`
        takes it). ``sample_weight`` (shape (n_samples,)) weighs each squared error.
        """
        alphas = self._check_params()
        self._warn_if_gathered(X, "fit")
        X_checked, y_checked = check_X_y(X, y, multi_output=True)
        self._record_features(X, X_checked)
        sample_weight = check_sample_weight(sample_weight, X_checked.shape[0])
        if self.cv is not None:
            return self._fit_by_search(X_checked, y_checked, alphas, sample_weight)
        return self._fit_leave_one_out(X_checked, y_checked, alphas, sample_weight)

    def _fit_by_search(self, X: np.ndarray, y: np.ndarray, alphas: np.ndarray,
                       sample_weight: np.ndarray | None) -> RidgeCV:
        """Refit :class:`Ridge` for every penalty on every fold (scikit-learn's path)."""
        search = GridSearchCV(Ridge(fit_intercept=self.fit_intercept), {"alpha": list(alphas)},
                              scoring=self.scoring, cv=self.cv, error_score="raise")
        fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
        search.fit(X, y, **fit_params)
        self.alpha_ = float(search.best_params_["alpha"])
        self.best_score_ = float(search.best_score_)
        self._set_coef(search.best_estimator_.coef_, search.best_estimator_.intercept_)
        return self

    def _fit_leave_one_out(self, X: np.ndarray, y: np.ndarray, alphas: np.ndarray,
                           sample_weight: np.ndarray | None) -> RidgeCV:
        """Leave-one-out errors of every penalty from one eigendecomposition."""
        dtype = X.dtype
        X, Y = X.astype(np.float64), y.astype(np.float64).reshape(y.shape[0], -1)
        weights = np.ones(X.shape[0]) if sample_weight is None else sample_weight.astype(float)
        if self.fit_intercept:  # the weighted means
            X_offset, y_offset = weights @ X / weights.sum(), weights @ Y / weights.sum()
        else:
            X_offset, y_offset = np.zeros(X.shape[1]), np.zeros(Y.shape[1])
        root = np.sqrt(weights)
        fits = _ridge_for_every_alpha(root[:, None] * (X - X_offset),
                                      root[:, None] * (Y - y_offset), alphas,
                                      root if self.fit_intercept else None)
        # errors[i, t, a]: the scaled leave-one-out error √s_i e_i of target t, penalty a.
        errors = fits.residuals / fits.one_minus_leverage[:, None, :]
        per_target = self.alpha_per_target and Y.shape[1] > 1
        if self.scoring is None:
            cv_results = errors**2
            scores = -cv_results.mean(axis=0 if per_target else (0, 1))
        else:
            cv_results = Y[:, :, None] - _unscaled(errors, weights, X - X_offset, Y - y_offset,
                                                   fits.coef)
            scores = self._score_predictions(cv_results, Y, sample_weight, per_target)
        self._keep_best(alphas, scores, fits.coef, X_offset, y_offset, dtype, y.ndim == 1)
        if self.store_cv_results:
            self.cv_results_ = (cv_results[:, 0] if y.ndim == 1 else cv_results).astype(dtype)
        return self

    def _score_predictions(self, predictions: np.ndarray, Y: np.ndarray,
                           sample_weight: np.ndarray | None, per_target: bool) -> np.ndarray:
        """``scoring`` of the leave-one-out predictions ``[i, t, a]`` of each penalty: shape
        (n_alphas,), or (n_targets, n_alphas) for a penalty per target."""
        scorer = get_scorer(self.scoring)
        weight = {} if sample_weight is None else {"sample_weight": sample_weight}
        n_targets, n_alphas = predictions.shape[1:]
        if per_target:
            return np.array([[scorer(_Predictions(), predictions[:, t, a], Y[:, t], **weight)
                              for a in range(n_alphas)] for t in range(n_targets)])
        if n_targets == 1:
            predictions, Y = predictions[:, 0], Y[:, 0]
        return np.array([scorer(_Predictions(), predictions[..., a], Y, **weight)
                         for a in range(n_alphas)])

    def _keep_best(self, alphas: np.ndarray, scores: np.ndarray, coef: np.ndarray,
                   X_offset: np.ndarray, y_offset: np.ndarray, dtype: np.dtype,
                   one_target: bool) -> None:
        """Set ``alpha_``, ``best_score_``, ``coef_`` and ``intercept_`` from the best penalty
        (of each target with ``alpha_per_target``): the first of equal scores, as scikit-learn."""
        best = np.argmax(scores, axis=-1)
        if scores.ndim == 2:  # a penalty per target
            targets = np.arange(scores.shape[0])
            self.alpha_, self.best_score_ = alphas[best], scores[targets, best]
            coef = coef[:, targets, best]
        else:
            self.alpha_, self.best_score_ = float(alphas[best]), float(scores[best])
            coef = coef[:, :, best]
        intercept = y_offset - X_offset @ coef
        coef, intercept = coef.T.astype(dtype), intercept.astype(dtype)
        if one_target:
            self._set_coef(coef[0], intercept[0])
        else:
            self._set_coef(coef, intercept)


class _Fits(NamedTuple):
    r"""Ridge on the centered, scaled problem for every penalty :math:`\alpha_a`:
    ``residuals[i, t, a]``, ``one_minus_leverage[i, a]`` (:math:`1 - h_{ii}`, the intercept's
    part included) and ``coef[j, t, a]``."""

    residuals: np.ndarray
    one_minus_leverage: np.ndarray
    coef: np.ndarray


def _unscaled(errors: np.ndarray, weights: np.ndarray, Xc: np.ndarray, Yc: np.ndarray,
              coef: np.ndarray) -> np.ndarray:
    r"""The leave-one-out errors :math:`e_i` from the scaled :math:`\sqrt{s_i}e_i`. A sample of
    weight zero is not in the fit: leaving it out changes nothing, its error is the full fit's
    residual (the scaled error, 0, cannot be unscaled)."""
    unscaled = np.empty_like(errors)
    positive = weights > 0
    unscaled[positive] = errors[positive] / np.sqrt(weights[positive])[:, None, None]
    weightless = ~positive
    unscaled[weightless] = Yc[weightless][:, :, None] - _times(Xc[weightless], coef)
    return unscaled


def _ridge_for_every_alpha(X: np.ndarray, Y: np.ndarray, alphas: np.ndarray,
                           intercept_column: np.ndarray | None) -> _Fits:
    r"""Residuals, :math:`1 - h_{ii}` and coefficients of ridge on ``X``, ``Y`` (centered and
    scaled) for every penalty, from the eigendecomposition of :math:`X^\top X` (``n > p``) or
    :math:`XX^\top` (``n <= p``); see the module docstring.

    ``intercept_column`` :math:`u = \sqrt s` (all ones without weights), when an intercept is
    fitted, adds its part of the hat matrix, :math:`h_{ii} \mathrel{+}= u_i^2/\|u\|^2`. The
    columns of ``X`` are orthogonal to :math:`u`; with :math:`XX^\top` that makes :math:`u` an
    eigenvector of eigenvalue 0, which the computed decomposition holds only to rounding, so
    there the part is taken through the decomposition as :math:`u_i\,[\alpha(XX^\top +
    \alpha I)^{-1}u]_i/\|u\|^2` (scikit-learn's form): its error then cancels against the
    same direction's term in :math:`\alpha[(XX^\top + \alpha I)^{-1}]_{ii}` for small
    :math:`\alpha`.
    """
    n_samples, n_features = X.shape
    if n_samples > n_features:
        eigenvalues, V = eigh(X.T @ X)
        eigenvalues = np.maximum(eigenvalues, 0.0)  # XᵀX is positive semi-definite
        B = X @ V  # the hat matrix is B (Λ + αI)⁻¹ Bᵀ
        inverse = 1.0 / (eigenvalues[:, None] + alphas)  # (p, a)
        shrunk = (B.T @ Y)[:, :, None] * inverse[:, None, :]  # (Λ + αI)⁻¹ BᵀY, (p, t, a)
        one_minus_leverage = 1.0 - (B * B) @ inverse
        if intercept_column is not None:
            one_minus_leverage -= (intercept_column**2 / (intercept_column @ intercept_column)
                                   )[:, None]
        return _Fits(Y[:, :, None] - _times(B, shrunk), one_minus_leverage, _times(V, shrunk))
    eigenvalues, Q = eigh(X @ X.T)
    eigenvalues = np.maximum(eigenvalues, 0.0)  # XXᵀ is positive semi-definite
    inverse = 1.0 / (eigenvalues[:, None] + alphas)  # (n, a)
    shrink = alphas * inverse  # α / (λ + α): I - H = Q diag(α/(λ+α)) Qᵀ
    QtY = (Q.T @ Y)[:, :, None]  # (n, t, 1)
    one_minus_leverage = (Q * Q) @ shrink
    if intercept_column is not None:
        u = intercept_column
        one_minus_leverage -= u[:, None] * (Q @ ((Q.T @ u)[:, None] * shrink)) / (u @ u)
    return _Fits(_times(Q, QtY * shrink[:, None, :]), one_minus_leverage,
                 _times(X.T, _times(Q, QtY * inverse[:, None, :])))


def _times(M: np.ndarray, T: np.ndarray) -> np.ndarray:
    """``M @ T`` for a stack ``T[k, t, a]`` of matrices: one matrix product."""
    return (M @ T.reshape(T.shape[0], -1)).reshape(M.shape[0], *T.shape[1:])
