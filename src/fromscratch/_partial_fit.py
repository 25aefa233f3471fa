"""scikit-learn's ``partial_fit`` contract, checked once for every streaming estimator.

A ``partial_fit`` call continues the model of the calls before it (the linear models'
coefficients, an MLP's network, the optimizer's state): so the number of features may not
change, a classifier is told every class the stream may hold on its first call
(``classes=``), and ``early_stopping`` — which needs a validation split held out of all the
data — cannot apply to data that arrive a block at a time. Used by
:mod:`fromscratch.linear_model._streaming` and :mod:`fromscratch.nn._streaming`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch._validation import encode_class_labels

__all__ = ["refuse_early_stopping", "refuse_balanced_class_weight", "check_same_features",
           "partial_fit_classes"]


def refuse_early_stopping(estimator: Any) -> None:
    """Refuse ``early_stopping=True`` for streaming training (module docstring)."""
    if estimator.early_stopping:
        raise ValueError(
            "early_stopping needs a validation split held out of all the data; streaming "
            "training sees it a block at a time. Set early_stopping=False (hold out a "
            "validation set yourself and watch its score between partial_fit calls)."
        )


def refuse_balanced_class_weight(estimator: Any) -> None:
    """Refuse ``class_weight="balanced"`` for ``partial_fit``: it needs every class's total
    weight over the whole stream, which a call does not know (as in scikit-learn)."""
    if isinstance(getattr(estimator, "class_weight", None), str):
        raise ValueError(
            "class_weight='balanced' needs every class's total weight over the whole stream, "
            "which partial_fit does not know; give the class weights as a dict, or use fit."
        )


def check_same_features(estimator: Any, n_features: int) -> None:
    """``partial_fit`` continues one model: the number of features may not change."""
    known = getattr(estimator, "n_features_in_", None)
    if known is not None and known != n_features:
        raise ValueError(
            f"X has {n_features} features, but {type(estimator).__name__} is expecting "
            f"{known} features as input (partial_fit continues the model fitted with them)."
        )


def partial_fit_classes(estimator: Any, classes: Any) -> np.ndarray:
    """The sorted classes of a classifier's ``partial_fit`` call: given on the first call
    (checked as in ``fit``: not continuous, at least two), the same ones afterwards (or
    omitted: then the estimator's ``classes_``)."""
    known = getattr(estimator, "classes_", None)
    if classes is None:
        if known is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: every label the "
                "stream may contain, e.g. partial_fit(X, y, classes=[0, 1])."
            )
        return known
    classes = encode_class_labels(np.unique(np.asarray(classes)), type(estimator).__name__)[0]
    if known is not None and not np.array_equal(classes, known):
        raise ValueError(
            f"classes={classes.tolist()} differ from the classes of the previous calls, "
            f"{known.tolist()}; partial_fit continues one model."
        )
    return classes
