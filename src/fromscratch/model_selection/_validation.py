r"""Cross-validation: fit a fresh clone on each training fold, score it on the held-out fold.

* :func:`cross_validate` — the scores of one or several metrics on each fold, with fit and
  score times, and on request the training scores, the fitted models and the fold indices.
* :func:`cross_val_score` — the test scores of one metric (what :func:`cross_validate` gives).
* :func:`validation_curve`, :func:`learning_curve` — cross-validated scores as a
  hyper-parameter or the training-set size varies.

For folds $(T_i, V_i)$, $i = 1..k$: fit on $T_i$, score on $V_i$. The mean of the $k$ scores
estimates the score of the estimator trained on about $(k-1)/k$ of the data.

**Failed fits** (scikit-learn's ``error_score``). A fit that raises gets the score
``error_score`` (default NaN) on that split and the search goes on; a
:class:`~fromscratch.exceptions.FitFailedWarning` then says how many fits failed and why, and
if every fit failed the error is raised as a ``ValueError``. ``error_score="raise"`` raises
the first error as it happens. A scorer that raises on a fitted model is treated the same
way, with a ``UserWarning``.
"""

from __future__ import annotations

import numbers
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from fromscratch._validation import (
    _check_same_length,
    _n_samples,
    check_choice,
    check_random_state,
)
from fromscratch.base import _clone_parts, clone
from fromscratch.exceptions import FitFailedWarning, warn_at_caller
from fromscratch.model_selection._scorer import Scorer, _accepts_sample_weight, _check_scoring
from fromscratch.model_selection._split import _indexable, _is_classifier, _take, check_cv

__all__ = ["cross_validate", "cross_val_score", "validation_curve", "learning_curve"]


# ---------------------------------------------------------------------------------------------
# One fit and its scores
# ---------------------------------------------------------------------------------------------


@dataclass
class _FitResult:
    """What one fit on one training fold gave."""

    test_scores: dict[str, float]
    train_scores: dict[str, float]  # empty when the training scores were not asked for
    fit_time: float
    score_time: float
    estimator: Any = None
    fit_error: str | None = None  # "ErrorType: message" when the fit raised


def _check_error_score(error_score: Any, name: str = "error_score") -> Any:
    """``error_score``: ``"raise"`` or a number (the score of a fit that failed)."""
    if isinstance(error_score, str) and error_score == "raise":
        return error_score
    if isinstance(error_score, numbers.Real) and not isinstance(error_score, (bool, np.bool_)):
        return error_score
    raise ValueError(
        f"{name} must be 'raise' or a number (np.nan by default); got {error_score!r}."
    )


def _fit_params_of_fold(fit_params: dict[str, Any], rows: np.ndarray, n_samples: int
                        ) -> dict[str, Any]:
    """The fit parameters of one fold: those with one entry per sample (``sample_weight``)
    are cut to the fold's rows, the others are passed as they are (scikit-learn's rule)."""

    def per_sample(value: Any) -> bool:
        shape = getattr(value, "shape", None)
        if shape is not None:
            return len(shape) > 0 and shape[0] == n_samples
        return isinstance(value, (list, tuple)) and len(value) == n_samples

    return {name: _take(value, rows) if per_sample(value) else value
            for name, value in fit_params.items()}


def _as_number(value: Any, name: str) -> float:
    if np.ndim(value) == 0 and hasattr(value, "item"):  # NumPy scalars and 0-d arrays
        value = value.item()
    if not isinstance(value, numbers.Real):
        raise ValueError(
            f"The scorer {name!r} must return a number; it returned {type(value).__name__} "
            f"{value!r}. (For several metrics, give scoring as a dict of name -> scorer.)"
        )
    return float(value)


def _score(model: Any, X: Any, y: Any, scorers: dict[str, Scorer], error_score: Any,
           sample_weight: Any = None) -> dict[str, float]:
    """Each scorer's value; ``sample_weight`` goes to the scorers that take it."""
    scores = {}
    for name, scorer in scorers.items():
        weighted = sample_weight is not None and _accepts_sample_weight(scorer)
        try:
            value = (scorer(model, X, y, sample_weight=sample_weight) if weighted
                     else scorer(model, X, y))
        except Exception:
            if error_score == "raise":
                raise
            warn_at_caller(
                f"Scoring {name!r} failed; its score on this split is set to "
                f"error_score={error_score}. Details:\n{traceback.format_exc()}",
                UserWarning,
            )
            value = error_score
        scores[name] = _as_number(value, name)
    return scores


def _fit_and_score(
    estimator: Any,
    X: Any,
    y: Any,
    train: np.ndarray,
    test: np.ndarray,
    scorers: dict[str, Scorer],
    *,
    params: dict[str, Any] | None = None,
    fit_params: dict[str, Any] | None = None,
    train_score: bool = False,
    keep_estimator: bool = False,
    error_score: Any = "raise",
    weight_scores: bool = False,
) -> _FitResult:
    """Fit a clone of ``estimator`` (with hyper-parameters ``params``) on rows ``train``;
    score it on rows ``test`` (and on ``train`` if asked) with each scorer, weighted by the
    fit's ``sample_weight`` with ``weight_scores``."""
    model = clone(estimator)
    if params:
        # Clone estimators given as values, so that no two fits share (and refit) one.
        model.set_params(**{name: _clone_parts(value) for name, value in params.items()})
    X_train, y_train = _take(X, train), _take(y, train)
    fold_params = _fit_params_of_fold(fit_params, train, _n_samples(X, "X")) if fit_params else {}
    start = time.perf_counter()
    try:
        model.fit(X_train, y_train, **fold_params)
    except Exception as error:
        if error_score == "raise":
            raise
        failed = dict.fromkeys(scorers, error_score)
        return _FitResult(
            test_scores=failed, train_scores=dict(failed) if train_score else {},
            fit_time=time.perf_counter() - start, score_time=0.0,
            estimator=model if keep_estimator else None,
            fit_error="".join(traceback.format_exception_only(type(error), error)).strip(),
        )
    fit_time = time.perf_counter() - start
    weights = fit_params.get("sample_weight") if weight_scores and fit_params else None
    test_scores = _score(model, _take(X, test), _take(y, test), scorers, error_score,
                         _take(weights, test))
    score_time = time.perf_counter() - start - fit_time
    return _FitResult(
        test_scores=test_scores,
        train_scores=_score(model, X_train, y_train, scorers, error_score,
                            _take(weights, train)) if train_score else {},
        fit_time=fit_time, score_time=score_time,
        estimator=model if keep_estimator else None,
    )


def _warn_or_raise_about_fit_failures(results: list[_FitResult], error_score: Any) -> None:
    """A ``FitFailedWarning`` when some fits failed, a ``ValueError`` when all did."""
    errors = [result.fit_error for result in results if result.fit_error is not None]
    if not errors:
        return
    summary = "\n".join(f"  {count} fit(s) failed with {error}"
                        for error, count in Counter(errors).items())
    hint = "Set error_score='raise' to see the traceback of the first failure."
    if len(errors) == len(results):
        raise ValueError(
            f"All the {len(results)} fits failed; the estimator or its parameters are very "
            f"likely misconfigured. {hint}\n{summary}"
        )
    warn_at_caller(
        f"{len(errors)} of {len(results)} fits failed; their scores are set to "
        f"error_score={error_score}. {hint}\n{summary}",
        FitFailedWarning,
    )


def _prepare(estimator: Any, X: Any, y: Any, groups: Any, cv: Any
             ) -> tuple[Any, Any, list[tuple[np.ndarray, np.ndarray]]]:
    """``X`` and ``y`` in indexable form, checked for equal lengths, and the list of splits
    (stratified for a classifier, as :func:`check_cv` decides)."""
    X, y = _indexable(X, "X"), _indexable(y, "y")
    _check_same_length({"X": X, "y": y})
    splitter = check_cv(cv, y, classifier=_is_classifier(estimator))
    return X, y, list(splitter.split(X, y, groups))


def _evaluate(
    estimator: Any,
    X: Any,
    y: Any,
    splits: list[tuple[np.ndarray, np.ndarray]],
    scorers: dict[str, Scorer],
    candidates: Iterable[dict[str, Any] | None] = (None,),
    **options: Any,
) -> list[_FitResult]:
    """:func:`_fit_and_score` for each candidate (hyper-parameters) and each split, the
    splits varying fastest; then warn or raise about the fits that failed."""
    fit_params = options.get("fit_params") or {}
    if options.get("weight_scores") and fit_params.get("sample_weight") is not None:
        unweighted = [name for name, scorer in scorers.items()
                      if not _accepts_sample_weight(scorer)]
        if unweighted:
            warn_at_caller(
                f"The scorers {unweighted} take no sample_weight, so their scores ignore the "
                "weights given to fit; give scorers f(estimator, X, y, sample_weight=None).",
                UserWarning,
            )
    results = [
        _fit_and_score(estimator, X, y, train, test, scorers, params=params, **options)
        for params in candidates for train, test in splits
    ]
    _warn_or_raise_about_fit_failures(results, options.get("error_score", "raise"))
    return results


# ---------------------------------------------------------------------------------------------
# cross_validate and cross_val_score
# ---------------------------------------------------------------------------------------------


def cross_validate(
    estimator: Any,
    X: Any,
    y: Any = None,
    *,
    groups: Any = None,
    scoring: Any = None,
    cv: Any = None,
    params: dict[str, Any] | None = None,
    return_train_score: bool = False,
    return_estimator: bool = False,
    return_indices: bool = False,
    error_score: Any = np.nan,
) -> dict[str, Any]:
    """Scores of one or several metrics of a fresh clone of ``estimator`` on each fold.

    Parameters
    ----------
    estimator : estimator with fit (cloned with :func:`fromscratch.base.clone` per fold)
    X, y : array-likes with the same number of rows (``y`` None for unsupervised models)
    groups : passed to the splitter's ``split`` (ignored by the splitters here)
    scoring : None, str, callable, list of str or dict of name -> str/callable
        One metric: None (``estimator.score``), a scorer name (see
        :func:`~fromscratch.model_selection.get_scorer`) or ``f(estimator, X, y)``. Several:
        a list of names, or a dict naming each scorer.
    cv : None, int, splitter or iterable of (train, test)
        None means 5 folds; see :func:`~fromscratch.model_selection.check_cv`.
    params : dict, optional
        Passed to ``fit``; values with one entry per sample (``sample_weight``) are cut to
        each training fold. The scores are not weighted (as in scikit-learn's
        ``cross_validate``; :class:`~fromscratch.model_selection.GridSearchCV` weights them).
    return_train_score : bool, default False
        Also score each model on its own training fold (to see over-fitting).
    return_estimator : bool, default False
        Keep the fitted model of each fold.
    return_indices : bool, default False
        Keep the train and test indices of each fold.
    error_score : "raise" or number, default np.nan
        Score of a split whose fit raised (see the module docstring).

    Returns
    -------
    dict of str -> ndarray of shape (n_splits,) or list
        ``fit_time`` and ``score_time`` (seconds); ``test_<name>`` per metric (``name`` is
        ``"score"`` for a single metric) and ``train_<name>`` with ``return_train_score``;
        ``estimator`` (a list) with ``return_estimator``; ``indices`` (a dict of lists,
        ``"train"`` and ``"test"``) with ``return_indices``.
    """
    scorers, _ = _check_scoring(scoring)
    _check_error_score(error_score)
    X, y, splits = _prepare(estimator, X, y, groups, cv)
    results = _evaluate(estimator, X, y, splits, scorers, fit_params=params,
                        train_score=return_train_score, keep_estimator=return_estimator,
                        error_score=error_score)
    output: dict[str, Any] = {
        "fit_time": np.array([result.fit_time for result in results]),
        "score_time": np.array([result.score_time for result in results]),
    }
    if return_estimator:
        output["estimator"] = [result.estimator for result in results]
    if return_indices:
        output["indices"] = {"train": [train for train, _ in splits],
                             "test": [test for _, test in splits]}
    for name in scorers:
        output[f"test_{name}"] = np.array([result.test_scores[name] for result in results],
                                          dtype=np.float64)
        if return_train_score:
            output[f"train_{name}"] = np.array(
                [result.train_scores[name] for result in results], dtype=np.float64)
    return output


def cross_val_score(
    estimator: Any,
    X: Any,
    y: Any = None,
    *,
    groups: Any = None,
    scoring: str | Callable | None = None,
    cv: Any = None,
    params: dict[str, Any] | None = None,
    error_score: Any = np.nan,
) -> np.ndarray:
    """The score of a fresh clone of ``estimator`` on each fold: :func:`cross_validate`'s
    ``test_score`` for one metric.

    Parameters
    ----------
    scoring : None, str or callable
        None: ``estimator.score``; a name such as ``"neg_mean_squared_error"``, ``"r2"``,
        ``"accuracy"``, ``"roc_auc"`` (see :func:`~fromscratch.model_selection.get_scorer`);
        or ``f(estimator, X, y)``. For several metrics use :func:`cross_validate`.
    estimator, X, y, groups, cv, params, error_score
        As in :func:`cross_validate`.

    Returns
    -------
    ndarray of shape (n_splits,)
    """
    if not (scoring is None or isinstance(scoring, str) or callable(scoring)):
        raise TypeError(
            "cross_val_score takes one metric (None, a scorer name or a callable); for "
            f"several use cross_validate. Got scoring={scoring!r}."
        )
    return cross_validate(estimator, X, y, groups=groups, scoring=scoring, cv=cv,
                          params=params, error_score=error_score)["test_score"]


# ---------------------------------------------------------------------------------------------
# Curves: scores as a hyper-parameter or the training-set size varies
# ---------------------------------------------------------------------------------------------


def _train_and_test_scores(results: list[_FitResult], n_splits: int
                           ) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) scores of single-metric results, one row per setting, one column per
    split."""
    train = np.array([result.train_scores["score"] for result in results], dtype=np.float64)
    test = np.array([result.test_scores["score"] for result in results], dtype=np.float64)
    return train.reshape(-1, n_splits), test.reshape(-1, n_splits)


def validation_curve(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    param_name: str,
    param_range: Iterable,
    groups: Any = None,
    cv: Any = None,
    scoring: str | Callable | None = None,
    error_score: Any = np.nan,
) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation scores for each value of one hyper-parameter.

    ``error_score`` is as in :func:`cross_validate`.

    Returns
    -------
    train_scores, test_scores : ndarray of shape (n_values, n_splits)
        Row $j$ holds the per-fold scores with ``param_name = param_range[j]``.
    """
    estimator_params = estimator.get_params()
    if param_name not in estimator_params:
        check_choice(param_name, "param_name", sorted(estimator_params))
    values = list(param_range)
    if not values:
        raise ValueError("param_range is empty; give at least one value.")
    scorers, _ = _check_scoring(scoring)
    _check_error_score(error_score)
    X, y, splits = _prepare(estimator, X, y, groups, cv)
    results = _evaluate(estimator, X, y, splits, scorers,
                        [{param_name: value} for value in values], train_score=True,
                        error_score=error_score)
    return _train_and_test_scores(results, len(splits))


def _absolute_train_sizes(train_sizes: Any, n_max: int) -> np.ndarray:
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0 or sizes.dtype.kind not in "iuf":
        raise ValueError(f"train_sizes must be a non-empty 1-D list of numbers; got "
                         f"{train_sizes!r}.")
    if sizes.dtype.kind == "f":
        if sizes.min() <= 0 or sizes.max() > 1:
            raise ValueError(
                "train_sizes given as fractions (floats) of the largest training set must lie "
                f"in (0, 1]; got values in [{sizes.min()}, {sizes.max()}]."
            )
        sizes = np.clip((sizes * n_max).astype(np.int64), 1, n_max)
    elif sizes.min() <= 0 or sizes.max() > n_max:
        raise ValueError(
            f"train_sizes given as counts (ints) must lie in [1, {n_max}] (the size of the "
            f"smallest training fold); got values in [{sizes.min()}, {sizes.max()}]."
        )
    return np.unique(sizes)


def learning_curve(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    groups: Any = None,
    train_sizes: Any = (0.1, 0.325, 0.55, 0.775, 1.0),
    cv: Any = None,
    scoring: str | Callable | None = None,
    shuffle: bool = False,
    random_state: Any = None,
    error_score: Any = np.nan,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Training and validation scores as the training set grows.

    In each split the model is fitted on the first $m$ samples of the training fold (after a
    permutation with ``shuffle=True``), for each size $m$, and scored on those $m$ samples
    and on the whole test fold.

    Parameters
    ----------
    train_sizes : array-like
        Fractions in (0, 1] of the training-fold size (floats), or counts (ints). The
        default is scikit-learn's ``np.linspace(0.1, 1.0, 5)``.
    shuffle, random_state
        Permute each training fold before taking its prefixes.
    error_score : "raise" or number, default np.nan
        As in :func:`cross_validate` (a small training set may lack a class, say).

    Returns
    -------
    train_sizes_abs : ndarray of shape (n_sizes,)
        The distinct sizes used.
    train_scores, test_scores : ndarray of shape (n_sizes, n_splits)
    """
    scorers, _ = _check_scoring(scoring)
    _check_error_score(error_score)
    X, y, splits = _prepare(estimator, X, y, groups, cv)
    sizes = _absolute_train_sizes(train_sizes, min(len(train) for train, _ in splits))
    rng = check_random_state(random_state) if shuffle else None
    if rng is not None:
        splits = [(rng.permutation(train), test) for train, test in splits]
    prefixes = [(train[:m], test) for m in sizes for train, test in splits]
    results = _evaluate(estimator, X, y, prefixes, scorers, train_score=True,
                        error_score=error_score)
    return (sizes, *_train_and_test_scores(results, len(splits)))
