r"""Exhaustive search over a grid of hyper-parameters, each scored by cross-validation.

* :class:`ParameterGrid` — the candidates: every combination of the listed values.
* :class:`GridSearchCV` — cross-validate every candidate on the same folds, rank them by their
  mean test score, and refit the best on all the data (scikit-learn's interface and
  ``cv_results_``).

For candidates $c = 1..C$ and folds $(T_i, V_i)$, $i = 1..k$, with $s_{ci}$ the score on $V_i$
of the model with parameters $c$ fitted on $T_i$:

.. math::
    \bar s_c = \frac1k \sum_i s_{ci}, \qquad
    \sigma_c = \sqrt{\frac1k \sum_i (s_{ci} - \bar s_c)^2}, \qquad
    c^\star = \arg\max_c \bar s_c .

The rank of $c$ is one plus the number of candidates with a strictly greater mean ("min"
ranking: tied candidates share the best rank among them, and the next rank is skipped); a
candidate whose mean is NaN (a failed fit with ``error_score=np.nan``) ties with the worst.
``best_index_`` is the first candidate of rank 1.
"""

from __future__ import annotations

import itertools
import numbers
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from fromscratch._available_if import AvailableIf, available_if
from fromscratch._param_validation import Check, Rule, flag
from fromscratch.base import BaseEstimator, _clone_parts, check_is_fitted, clone
from fromscratch.exceptions import warn_at_caller
from fromscratch.model_selection._scorer import Scorer, _check_scoring
from fromscratch.model_selection._split import CV_RULE
from fromscratch.model_selection._validation import (
    _check_error_score,
    _evaluate,
    _FitResult,
    _prepare,
)

__all__ = ["ParameterGrid", "GridSearchCV"]


class ParameterGrid:
    """The combinations of hyper-parameter values of a grid, in a fixed order.

    Parameters
    ----------
    param_grid : dict of str -> sequence, or a list of such dicts
        Each dict maps parameter names to the values to try; its candidates are every
        combination, the names taken in sorted order and the last name varying fastest.
        A list of dicts chains their grids (to skip combinations that make no sense); an
        empty dict is the one candidate "default parameters".

    Examples
    --------
    >>> list(ParameterGrid({"b": [True, False], "a": [1, 2]}))  # doctest: +NORMALIZE_WHITESPACE
    [{'a': 1, 'b': True}, {'a': 1, 'b': False}, {'a': 2, 'b': True}, {'a': 2, 'b': False}]
    """

    def __init__(self, param_grid: Mapping[str, Sequence] | Sequence[Mapping[str, Sequence]]):
        grids = [param_grid] if isinstance(param_grid, Mapping) else param_grid
        if isinstance(grids, (str, bytes)) or not isinstance(grids, (list, tuple)):
            raise TypeError(
                "param_grid must be a dict of parameter name -> list of values, or a list of "
                f"such dicts; got {type(param_grid).__name__} {param_grid!r}."
            )
        for grid in grids:
            if not isinstance(grid, Mapping):
                raise TypeError(f"Each grid in param_grid must be a dict; got {grid!r}.")
            for name, values in grid.items():
                if not isinstance(name, str):
                    raise TypeError(f"Parameter names must be strings; got {name!r}.")
                if isinstance(values, np.ndarray) and values.ndim != 1:
                    raise ValueError(
                        f"The values of {name!r} must be a 1-D array; got shape "
                        f"{values.shape}."
                    )
                if isinstance(values, str) or not isinstance(values, (np.ndarray, Sequence)):
                    raise TypeError(
                        f"The values of {name!r} must be a list or a 1-D array; got "
                        f"{type(values).__name__} {values!r}. Wrap a single value in a list: "
                        f"[{values!r}]."
                    )
                if len(values) == 0:
                    raise ValueError(f"The values of {name!r} are empty; give at least one.")
        self.param_grid = [dict(grid) for grid in grids]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for grid in self.param_grid:
            names = sorted(grid)
            for values in itertools.product(*(grid[name] for name in names)):
                yield dict(zip(names, values, strict=True))

    def __len__(self) -> int:
        return sum(int(np.prod([len(values) for values in grid.values()], dtype=np.int64))
                   for grid in self.param_grid)

    def __getitem__(self, index: int) -> dict[str, Any]:
        """Candidate ``index`` without listing the ones before it: ``list(self)[index]``."""
        if not isinstance(index, numbers.Integral) or isinstance(index, bool):
            raise TypeError(f"A ParameterGrid is indexed by an int; got {index!r}.")
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"ParameterGrid index {index} out of range (size {size}).")
        index = index % size  # a negative index counts from the end, as in a list
        for grid in self.param_grid:
            size = int(np.prod([len(values) for values in grid.values()], dtype=np.int64))
            if index >= size:
                index -= size
                continue
            candidate = {}
            for name in sorted(grid, reverse=True):  # the last name varies fastest
                index, position = divmod(index, len(grid[name]))
                candidate[name] = grid[name][position]
            return dict(sorted(candidate.items()))
        raise AssertionError("unreachable: the index was checked against len(self)")


# ---------------------------------------------------------------------------------------------
# cv_results_
# ---------------------------------------------------------------------------------------------


def _rank_min(means: np.ndarray) -> np.ndarray:
    """1 + the number of strictly greater means; NaN ties with the worst (scikit-learn)."""
    if np.isnan(means).all():
        return np.ones(means.shape, dtype=np.int32)
    filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
    return (np.searchsorted(np.sort(-filled), -filled, side="left") + 1).astype(np.int32)


def _param_arrays(candidates: list[dict[str, Any]]) -> dict[str, np.ma.MaskedArray]:
    """``param_<name>``: a masked array of each parameter's value per candidate, masked where
    a candidate (from another grid of a list) does not set it. Numbers keep a numeric dtype;
    strings, sequences and estimators go in an object array."""
    names = sorted({name for candidate in candidates for name in candidate})
    arrays = {}
    for name in names:
        present = [i for i, candidate in enumerate(candidates) if name in candidate]
        values = [candidates[i][name] for i in present]
        dtype: Any = object
        if all(isinstance(v, (numbers.Number, np.generic)) for v in values):
            dtype = np.asarray(values).dtype
        array = np.ma.MaskedArray(np.empty(len(candidates), dtype=dtype), mask=True)
        for i, value in zip(present, values, strict=True):
            array[i] = value  # unmasks entry i
        arrays[f"param_{name}"] = array
    return arrays


def _cv_results(candidates: list[dict[str, Any]], results: list[_FitResult], n_splits: int,
                scorer_names: list[str], train_score: bool) -> dict[str, Any]:
    """scikit-learn's ``cv_results_`` from the fits, candidate-major (the splits vary
    fastest in ``results``)."""
    cv_results: dict[str, Any] = {}

    def store(key: str, values: list[float], *, splits: bool = False, rank: bool = False
              ) -> None:
        array = np.asarray(values, dtype=np.float64).reshape(len(candidates), n_splits)
        if splits:
            for k in range(n_splits):
                cv_results[f"split{k}_{key}"] = array[:, k]
        means = array.mean(axis=1)
        if key.startswith(("test_", "train_")) and not np.isfinite(means).all():
            warn_at_caller(f"One or more of the {key.split('_')[0]} scores are non-finite: "
                           f"{means}", UserWarning)
        cv_results[f"mean_{key}"] = means
        cv_results[f"std_{key}"] = np.sqrt(((array - means[:, None]) ** 2).mean(axis=1))
        if rank:
            cv_results[f"rank_{key}"] = _rank_min(means)

    store("fit_time", [result.fit_time for result in results])
    store("score_time", [result.score_time for result in results])
    cv_results.update(_param_arrays(candidates))
    cv_results["params"] = candidates
    for name in scorer_names:
        store(f"test_{name}", [result.test_scores[name] for result in results],
              splits=True, rank=True)
        if train_score:
            store(f"train_{name}", [result.train_scores[name] for result in results],
                  splits=True)
    return cv_results


# ---------------------------------------------------------------------------------------------
# GridSearchCV
# ---------------------------------------------------------------------------------------------


def _if_best_estimator_has(requires: str | None) -> Callable[[Callable], AvailableIf]:
    """Decorator: the method exists when the search refits and its best estimator (before
    ``fit``: the estimator) has ``requires`` (None: needs only the refit)."""

    def missing(search: GridSearchCV) -> str | None:
        if not search.refit:
            return "it was created with refit=False, so it keeps no refitted best estimator"
        fitted = hasattr(search, "best_estimator_")
        estimator = search.best_estimator_ if fitted else search.estimator
        if requires is not None and not hasattr(estimator, requires):
            return f"its {'best ' if fitted else ''}estimator {estimator!r} has no {requires}"
        return None

    return available_if(missing)


def _best_estimator_method(name: str, summary: str) -> AvailableIf:
    """``GridSearchCV.<name>``: the refitted best estimator's ``<name>``."""

    def method(self: GridSearchCV, X: Any) -> Any:
        return getattr(self._refitted(), name)(X)

    method.__name__ = name
    method.__qualname__ = f"GridSearchCV.{name}"
    method.__doc__ = (f"{summary}\n\n    The method exists only when ``refit`` is set and the "
                      f"best estimator has ``{name}``.\n    ")
    return _if_best_estimator_has(name)(method)


def _check_estimator(estimator: Any, name: str) -> Any:
    """An estimator to search: an instance with ``fit`` and ``get_params``."""
    if isinstance(estimator, type) or not (hasattr(estimator, "fit")
                                           and hasattr(estimator, "get_params")):
        raise TypeError(f"{name} must be an estimator instance with fit and get_params; got "
                        f"{estimator!r}.")
    return estimator


def _check_param_grid(param_grid: Any, name: str) -> Any:
    """A grid :class:`ParameterGrid` accepts (it raises, naming what is wrong)."""
    ParameterGrid(param_grid)
    return param_grid


def _check_refit(refit: Any, name: str) -> Any:
    """``refit``: a bool, a metric name or a callable (checked against ``scoring`` in fit)."""
    if not (isinstance(refit, (bool, np.bool_, str)) or callable(refit)):
        raise TypeError(f"{name} must be True, False, a metric name or a callable; got "
                        f"{type(refit).__name__} {refit!r}.")
    return refit


class GridSearchCV(BaseEstimator):
    """Cross-validate every candidate of a parameter grid; refit the best on all the data.

    Each candidate is fitted on the same folds (a clone per fold), scored with ``scoring``,
    and ranked by its mean test score (see the module docstring); with ``refit`` the best
    candidate is fitted on all of ``X, y`` and the search predicts with it.

    Parameters
    ----------
    estimator : estimator with fit
        Cloned for every fit; parameters of a pipeline's steps are named
        ``"<step>__<parameter>"``.
    param_grid : dict of str -> list, or a list of such dicts
        The candidates (see :class:`ParameterGrid`).
    scoring : None, str, callable, list of str or dict of name -> str/callable
        One metric (None: ``estimator.score``; a scorer name; ``f(estimator, X, y)``), or
        several, named (then ``refit`` names the one that picks the best candidate).
    refit : bool, str or callable, default True
        Refit the best candidate on all the data. With several metrics, the name of the
        metric that picks it (or False). A callable receives ``cv_results_`` and returns
        ``best_index_`` (then there is no ``best_score_``).
    cv : None, int, splitter or iterable of (train, test)
        None means 5 folds, stratified for a classifier; see
        :func:`~fromscratch.model_selection.check_cv`.
    error_score : "raise" or number, default np.nan
        Score of a split whose fit raised (see :func:`~fromscratch.model_selection.cross_validate`).
    return_train_score : bool, default False
        Also score each fit on its training fold (``split<k>_train_<name>`` and so on).

    Attributes
    ----------
    cv_results_ : dict of str -> ndarray
        scikit-learn's keys: ``mean_fit_time``, ``std_fit_time``, ``mean_score_time``,
        ``std_score_time``; ``param_<name>`` (masked arrays); ``params`` (the list of
        candidate dicts); per metric ``<name>`` (``"score"`` for one metric)
        ``split<k>_test_<name>``, ``mean_test_<name>``, ``std_test_<name>``,
        ``rank_test_<name>``, and with ``return_train_score`` ``split<k>_train_<name>``,
        ``mean_train_<name>``, ``std_train_<name>``. One entry per candidate.
    best_index_ : int
        The candidate picked (rank 1 of the refit metric, or what ``refit`` returned).
    best_params_ : dict
    best_score_ : float
        Its mean test score (not with a callable ``refit``).
    best_estimator_ : estimator
        The best candidate refitted on all the data (``refit`` only).
    refit_time_ : float
        Seconds the refit took.
    scorer_ : callable or dict of name -> callable
    multimetric_ : bool
    n_splits_ : int
    n_features_in_, feature_names_in_, classes_
        Those of ``best_estimator_``.

    Examples
    --------
    >>> import numpy as np
    >>> from fromscratch.linear_model import Ridge
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 3)); y = X @ [1.0, 0.0, -2.0] + 0.1 * rng.normal(size=60)
    >>> search = GridSearchCV(Ridge(), {"alpha": [0.01, 1.0, 100.0]}, cv=3).fit(X, y)
    >>> search.best_params_
    {'alpha': 0.01}
    """

    _parameter_constraints: dict[str, Rule] = {
        "estimator": Check(_check_estimator, "an estimator with fit and get_params",
                           invalid=("ridge", 3)),
        "param_grid": Check(_check_param_grid, "a dict of name -> values, or a list of such "
                            "dicts", invalid=("alpha", [3])),
        "scoring": Check(lambda value, name: _check_scoring(value), "None, a scorer name, a "
                         "callable, or several as a list or dict", invalid=(3, "r2_typo")),
        "refit": Check(_check_refit, "True, False, a metric name or a callable",
                       invalid=(3,)),
        "cv": CV_RULE,
        "error_score": Check(_check_error_score, "'raise' or a number", invalid=("ignore",)),
        "return_train_score": flag,
    }

    def __init__(
        self,
        estimator: Any,
        param_grid: Any,
        *,
        scoring: Any = None,
        refit: bool | str | Callable = True,
        cv: Any = None,
        error_score: Any = np.nan,
        return_train_score: bool = False,
    ) -> None:
        self.estimator = estimator
        self.param_grid = param_grid
        self.scoring = scoring
        self.refit = refit
        self.cv = cv
        self.error_score = error_score
        self.return_train_score = return_train_score

    # Read-only views of the estimator's class attributes (BaseEstimator declares them as
    # plain attributes, which nothing assigns on a search): a property is the delegation.
    @property
    def _estimator_type(self) -> str | None:  # type: ignore[override]  # like its estimator
        return getattr(self.estimator, "_estimator_type", None)

    @property
    def _multi_output(self) -> bool:  # type: ignore[override]  # 2-D y when its estimator takes it
        return getattr(self.estimator, "_multi_output", False)

    def _refit_metric(self, scorers: dict[str, Scorer], multimetric: bool) -> str:
        """The metric that picks the best candidate; checks ``refit`` against ``scoring``."""
        if callable(self.refit) or isinstance(self.refit, (bool, np.bool_)):
            if multimetric and self.refit is True:
                raise ValueError(
                    "With several metrics, refit must name the one that picks the best "
                    f"candidate (one of {list(scorers)}), be a callable, or be False to "
                    "skip the refit."
                )
            return "score"
        if multimetric and isinstance(self.refit, str) and self.refit in scorers:
            return self.refit
        allowed = (f"a metric name among {list(scorers)}, a callable or False" if multimetric
                   else "True, False or a callable")
        raise ValueError(f"refit must be {allowed}; got {self.refit!r}.")

    def fit(self, X: Any, y: Any = None, **params: Any) -> GridSearchCV:
        """Cross-validate every candidate; refit the best (with ``refit``). Returns ``self``.

        ``params`` go to the estimator's ``fit`` (values with one entry per sample are cut to
        each training fold), except ``groups``, which goes to the splitter. A
        ``sample_weight`` also weights the scores of the scorers that take it (as in
        scikit-learn's search; its ``cross_validate`` does not).
        """
        scorers, multimetric = self._validate_params()["scoring"]
        refit_metric = self._refit_metric(scorers, multimetric)
        candidates = list(ParameterGrid(self.param_grid))
        fit_params = dict(params)
        X, y, splits = _prepare(self.estimator, X, y, fit_params.pop("groups", None), self.cv)
        results = _evaluate(self.estimator, X, y, splits, scorers, candidates,
                            fit_params=fit_params, train_score=self.return_train_score,
                            error_score=self.error_score, weight_scores=True)
        self.n_splits_ = len(splits)
        self.multimetric_ = multimetric
        self.cv_results_ = _cv_results(candidates, results, len(splits), list(scorers),
                                       bool(self.return_train_score))
        self.scorer_ = scorers if multimetric else scorers["score"]
        if self.refit or not multimetric:
            self.best_index_ = self._best_index(refit_metric)
            if not callable(self.refit):
                self.best_score_ = self.cv_results_[f"mean_test_{refit_metric}"][self.best_index_]
            self.best_params_ = candidates[self.best_index_]
        if self.refit:
            self.best_estimator_ = clone(self.estimator).set_params(
                **{name: _clone_parts(value) for name, value in self.best_params_.items()})
            start = time.perf_counter()
            self.best_estimator_.fit(X, y, **fit_params)
            self.refit_time_ = time.perf_counter() - start
            if hasattr(self.best_estimator_, "feature_names_in_"):
                self.feature_names_in_ = self.best_estimator_.feature_names_in_
        return self

    def _best_index(self, refit_metric: str) -> int:
        if not callable(self.refit):
            return int(self.cv_results_[f"rank_test_{refit_metric}"].argmin())
        index = self.refit(self.cv_results_)
        if not isinstance(index, numbers.Integral) or isinstance(index, bool):
            raise TypeError(f"The refit callable must return an int (best_index_); it "
                            f"returned {index!r}.")
        index = int(index)
        if not 0 <= index < len(self.cv_results_["params"]):
            raise IndexError(f"The refit callable returned best_index_={index}, out of range "
                             f"for {len(self.cv_results_['params'])} candidates.")
        return index

    def _refitted(self) -> Any:
        check_is_fitted(self)
        return self.best_estimator_

    @property
    def classes_(self) -> np.ndarray:
        """The class labels of the best estimator (a classifier)."""
        return self._refitted().classes_

    @property
    def n_features_in_(self) -> int:
        """Number of features the best estimator was fitted with."""
        return self._refitted().n_features_in_

    predict = _best_estimator_method("predict", "Predictions of the best estimator.")
    predict_proba = _best_estimator_method("predict_proba",
                                           "Class probabilities of the best estimator.")
    predict_log_proba = _best_estimator_method(
        "predict_log_proba", "Log class probabilities of the best estimator.")
    decision_function = _best_estimator_method("decision_function",
                                               "Decision values of the best estimator.")
    transform = _best_estimator_method("transform", "Transform X with the best estimator.")
    inverse_transform = _best_estimator_method(
        "inverse_transform", "Undo the transform with the best estimator.")

    @_if_best_estimator_has(None)
    def score(self, X: Any, y: Any = None) -> float:
        """The score of the best estimator on ``X, y`` with the search's ``scoring`` (its
        ``refit`` metric when there are several; ``best_estimator_.score`` for None)."""
        best = self._refitted()
        if not isinstance(self.scorer_, dict):  # one metric
            return float(self.scorer_(best, X, y))
        if not isinstance(self.refit, str):
            raise ValueError(
                "With several metrics and a callable refit no metric is named to score with; "
                f"call one of scorer_ ({list(self.scorer_)}) on best_estimator_."
            )
        return float(self.scorer_[self.refit](best, X, y))
