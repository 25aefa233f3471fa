"""Scorers: ``f(estimator, X, y) -> float``, greater is better (scikit-learn's names).

A loss enters model selection negated (``"neg_mean_squared_error"``), so that every search
maximises. :func:`get_scorer` turns a name into a scorer; :func:`_check_scoring` turns a
function's ``scoring`` argument into a dict of named scorers, one entry for a single metric.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from fromscratch import metrics
from fromscratch._validation import check_choice

__all__ = ["get_scorer"]

Scorer = Callable[..., float]


def _on_predictions(metric: Callable, sign: float = 1.0, **options: Any) -> Scorer:
    """The scorer ``sign * metric(y, estimator.predict(X), **options)``."""

    def scorer(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> float:
        return sign * metric(y, estimator.predict(X), sample_weight=sample_weight, **options)

    return scorer


def _roc_auc(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> float:
    """ROC AUC of decision_function, else of P(greater class)."""
    if hasattr(estimator, "decision_function"):
        score = np.asarray(estimator.decision_function(X))
    elif hasattr(estimator, "predict_proba"):
        score = np.asarray(estimator.predict_proba(X))[:, 1]
    else:
        raise TypeError(f"scoring='roc_auc' needs decision_function or predict_proba; "
                        f"{type(estimator).__name__} has neither.")
    return float(metrics.roc_auc_score(y, score, sample_weight=sample_weight))


def _neg_log_loss(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> float:
    return -metrics.log_loss(y, estimator.predict_proba(X), labels=estimator.classes_,
                             sample_weight=sample_weight)


def _neg_brier_score(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> float:
    """scikit-learn's ``"neg_brier_score"``: for two classes, the probability of the greater
    class (``classes_[1]``) scored against it; for more, every column against ``classes_``."""
    proba = np.asarray(estimator.predict_proba(X))
    classes = estimator.classes_
    if len(classes) == 2:
        return -metrics.brier_score_loss(y, proba[:, 1], pos_label=classes[1],
                                         sample_weight=sample_weight)
    return -metrics.brier_score_loss(y, proba, labels=classes, sample_weight=sample_weight)


def _estimator_score(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> float:
    """``estimator.score`` (scoring=None), with the weights only when there are some."""
    if sample_weight is None:
        return estimator.score(X, y)
    return estimator.score(X, y, sample_weight=sample_weight)


# name -> scorer(estimator, X, y, sample_weight=None). "neg_" scores are negated losses, so
# that greater is better for every scorer (what model selection maximises).
_SCORERS: dict[str, Scorer] = {
    "r2": _on_predictions(metrics.r2_score),
    "neg_mean_squared_error": _on_predictions(metrics.mean_squared_error, -1.0),
    "neg_root_mean_squared_error": _on_predictions(metrics.root_mean_squared_error, -1.0),
    "neg_mean_absolute_error": _on_predictions(metrics.mean_absolute_error, -1.0),
    "accuracy": _on_predictions(metrics.accuracy_score),
    "balanced_accuracy": _on_predictions(metrics.balanced_accuracy_score),
    "f1": _on_predictions(metrics.f1_score),
    "f1_macro": _on_predictions(metrics.f1_score, average="macro"),
    "precision": _on_predictions(metrics.precision_score),
    "recall": _on_predictions(metrics.recall_score),
    "roc_auc": _roc_auc,
    "neg_log_loss": _neg_log_loss,
    "neg_brier_score": _neg_brier_score,
}


def _accepts_sample_weight(scorer: Callable) -> bool:
    """Whether ``scorer`` can be called with ``sample_weight=`` (scikit-learn's test)."""
    try:
        return "sample_weight" in inspect.signature(scorer).parameters
    except (TypeError, ValueError):  # a callable without a signature (a builtin)
        return False


def get_scorer(scoring: str | Callable | None) -> Scorer:
    """A scorer ``f(estimator, X, y) -> float`` (greater is better).

    ``None`` uses ``estimator.score``; a string is one of scikit-learn's scorer names
    (``"r2"``, ``"neg_mean_squared_error"``, ``"neg_root_mean_squared_error"``,
    ``"neg_mean_absolute_error"``, ``"accuracy"``, ``"balanced_accuracy"``, ``"f1"``,
    ``"f1_macro"``, ``"precision"``, ``"recall"``, ``"roc_auc"``, ``"neg_log_loss"``,
    ``"neg_brier_score"``); a callable is used as is. The scorers of names (and of None)
    also take ``sample_weight=``, passed on to the metric (or to ``estimator.score``).
    """
    if scoring is None:
        return _estimator_score
    if callable(scoring):
        return scoring
    return _SCORERS[check_choice(scoring, "scoring", sorted(_SCORERS))]


def _check_scoring(scoring: Any) -> tuple[dict[str, Scorer], bool]:
    """The named scorers of a ``scoring`` argument, and whether it named several metrics.

    One metric (None, a name, a callable) is the dict ``{"score": scorer}``; several are
    given as a list/tuple/set of distinct names (each its own key) or a dict of name ->
    scorer name or callable, as in scikit-learn.
    """
    if scoring is None or isinstance(scoring, str) or callable(scoring):
        return {"score": get_scorer(scoring)}, False
    if isinstance(scoring, (list, tuple, set, frozenset)):
        names = list(scoring)
        if not names or not all(isinstance(name, str) for name in names):
            raise ValueError(
                "scoring as a list must hold one or more scorer names (strings); for "
                f"callables use a dict of name -> callable. Got {scoring!r}."
            )
        if len(set(names)) != len(names):
            raise ValueError(f"scoring lists a scorer name twice: {scoring!r}.")
        return {name: get_scorer(name) for name in names}, True
    if isinstance(scoring, Mapping):
        if not scoring or not all(isinstance(name, str) for name in scoring):
            raise ValueError(
                "scoring as a dict must map one or more metric names (strings) to scorer "
                f"names, callables or None (estimator.score); got {scoring!r}."
            )
        return {name: get_scorer(scorer) for name, scorer in scoring.items()}, True
    raise TypeError(
        "scoring must be None, a scorer name, a callable f(estimator, X, y), or for several "
        f"metrics a list of names or a dict of name -> scorer; got {scoring!r}."
    )
