r"""Scores and losses for regression and classification (scikit-learn's names and defaults).

Every function takes the truth first and the prediction second, accepts ``sample_weight``
where scikit-learn does, and returns a Python ``float`` (or an array for per-output /
per-class results). With weights $w_i$ (all ones when ``sample_weight`` is ``None``), a
"mean" is always the weighted mean $\sum_i w_i a_i / \sum_i w_i$.

Class labels may be of any type (ints, strings, booleans, integral floats); the two label
arrays must not mix strings with numbers. Where scikit-learn would warn and return NaN (R²
of one sample, ROC of a single class), these functions raise a ``ValueError`` that says why
the quantity is undefined. Precision/recall with an empty denominator follow scikit-learn's
``zero_division`` rule (0 with an :class:`UndefinedMetricWarning` by default).
"""

from __future__ import annotations

import numbers
import warnings
from itertools import combinations
from typing import Any

import numpy as np

from fromscratch._validation import (
    check_array,
    check_choice,
    check_sample_weight,
    check_scalar,
    check_y,
)

__all__ = [
    "UndefinedMetricWarning",
    "mean_squared_error",
    "root_mean_squared_error",
    "mean_absolute_error",
    "r2_score",
    "accuracy_score",
    "confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "f1_score",
    "fbeta_score",
    "log_loss",
    "roc_curve",
    "roc_auc_score",
    "classification_report",
]


class UndefinedMetricWarning(UserWarning):
    """A score had a zero denominator and was replaced by ``zero_division``."""


# ---------------------------------------------------------------------------------------------
# Input checks shared by the metrics
# ---------------------------------------------------------------------------------------------


def _check_same_length(arrays: dict[str, np.ndarray | None]) -> None:
    lengths = {name: a.shape[0] for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"Inconsistent numbers of samples: {listed}.")



def _label_kind(y: np.ndarray, name: str) -> str:
    """``"string"`` or ``"number"``: the kind of the labels in ``y`` (mixing is an error)."""
    kind = y.dtype.kind
    if kind in "US":
        return "string"
    if kind == "O":
        kinds = {
            "string" if isinstance(e, str) else "number" if isinstance(e, numbers.Real) else "?"
            for e in y.ravel()
        }
        if "?" in kinds:
            raise TypeError(f"{name} holds labels that are neither strings nor numbers.")
        if len(kinds) > 1:
            raise TypeError(f"{name} mixes string and number labels; use one type for labels.")
        return kinds.pop()
    if kind == "f" and not np.array_equal(y, np.round(y)):
        raise ValueError(
            f"{name} holds non-integer floats (e.g. {y[y != np.round(y)][0]!r}), which are "
            "not class labels. Classification metrics need labels: threshold scores first, "
            "e.g. (y_proba >= 0.5).astype(int)."
        )
    if kind not in "biuf":
        raise TypeError(f"{name} has unsupported dtype {y.dtype} for class labels.")
    return "number"


def _check_label_arrays(**arrays: Any) -> dict[str, np.ndarray]:
    """Validate 1-D label arrays of one kind (all strings or all numbers), equal lengths."""
    checked = {name: check_y(a, name=name, y_numeric=False) for name, a in arrays.items()}
    _check_same_length(checked)
    kinds = {name: _label_kind(a, name) for name, a in checked.items()}
    if len(set(kinds.values())) > 1:
        listed = ", ".join(f"{name} holds {kind}s" for name, kind in kinds.items())
        raise TypeError(f"Labels mix types: {listed}. Use the same label type in both.")
    return checked


def _classification_inputs(
    y_true: Any, y_pred: Any, sample_weight: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    checked = _check_label_arrays(y_true=y_true, y_pred=y_pred)
    w = check_sample_weight(sample_weight, checked["y_true"].shape[0])
    return checked["y_true"], checked["y_pred"], w


def _unique_labels(*ys: np.ndarray) -> np.ndarray:
    """Sorted union of the labels in ``ys``."""
    return np.unique(np.concatenate(ys))


def _check_labels_argument(labels: Any, y_true: np.ndarray) -> np.ndarray:
    """The user's ``labels`` as a 1-D array of the same kind as ``y_true``, no duplicates."""
    labels = check_y(labels, name="labels", y_numeric=False)
    if _label_kind(labels, "labels") != _label_kind(y_true, "y_true"):
        raise TypeError("labels must be of the same type (strings or numbers) as y_true.")
    if np.unique(labels).shape[0] != labels.shape[0]:
        raise ValueError(f"labels must not contain duplicates; got {labels.tolist()}.")
    return labels


def _encode(y: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each element of ``y`` in ``labels`` (any order) and a mask of those found."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    position = np.clip(np.searchsorted(sorted_labels, y), 0, len(labels) - 1)
    found = sorted_labels[position] == y
    return order[position], np.asarray(found, dtype=bool)


def _weighted_counts(index: np.ndarray, w: np.ndarray | None, n: int) -> np.ndarray:
    """Σ_i w_i [index_i = k] for k = 0..n−1 (plain counts when ``w`` is None)."""
    return np.bincount(index, weights=w, minlength=n)


# ---------------------------------------------------------------------------------------------
# Regression
# ---------------------------------------------------------------------------------------------

_MULTIOUTPUT = ("raw_values", "uniform_average")


def _regression_inputs(
    y_true: Any, y_pred: Any, sample_weight: Any, multioutput: Any, extra_choices: tuple = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, Any]:
    """2-D arrays (n_samples, n_outputs) of equal shape, the weights and the averaging rule."""
    y_true = check_y(y_true, name="y_true", multi_output=True)
    y_pred = check_y(y_pred, name="y_pred", multi_output=True)
    _check_same_length({"y_true": y_true, "y_pred": y_pred})
    y_true = y_true.reshape(y_true.shape[0], -1)
    y_pred = y_pred.reshape(y_pred.shape[0], -1)
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            f"y_true has {y_true.shape[1]} output(s) but y_pred has {y_pred.shape[1]}."
        )
    w = check_sample_weight(sample_weight, y_true.shape[0])
    if isinstance(multioutput, str):
        check_choice(multioutput, "multioutput", _MULTIOUTPUT + extra_choices)
    else:
        multioutput = check_y(multioutput, name="multioutput")
        if multioutput.shape[0] != y_true.shape[1]:
            raise ValueError(
                f"multioutput has {multioutput.shape[0]} weights but there are "
                f"{y_true.shape[1]} outputs."
            )
    return y_true, y_pred, w, multioutput


def _combine_outputs(per_output: np.ndarray, multioutput: Any) -> float | np.ndarray:
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return per_output
    weights = None if isinstance(multioutput, str) else multioutput
    return float(np.average(per_output, weights=weights))


def mean_squared_error(
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    multioutput: str | Any = "uniform_average",
) -> float | np.ndarray:
    r"""Mean squared error $\mathrm{MSE} = \sum_i w_i (y_i - \hat y_i)^2 / \sum_i w_i$.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"raw_values", "uniform_average"} or array-like of shape (n_outputs,)
        How the per-output errors are combined: returned as they are, averaged, or averaged
        with the given weights.
    """
    y_true, y_pred, w, multioutput = _regression_inputs(y_true, y_pred, sample_weight, multioutput)
    per_output = np.average((y_true - y_pred) ** 2, axis=0, weights=w)
    return _combine_outputs(per_output, multioutput)


def root_mean_squared_error(
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    multioutput: str | Any = "uniform_average",
) -> float | np.ndarray:
    r"""Root mean squared error $\sqrt{\mathrm{MSE}}$, taken per output before averaging.

    Parameters are those of :func:`mean_squared_error`.
    """
    per_output = np.sqrt(
        mean_squared_error(y_true, y_pred, sample_weight=sample_weight, multioutput="raw_values")
    )
    _, _, _, multioutput = _regression_inputs(y_true, y_pred, sample_weight, multioutput)
    return _combine_outputs(per_output, multioutput)


def mean_absolute_error(
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    multioutput: str | Any = "uniform_average",
) -> float | np.ndarray:
    r"""Mean absolute error $\mathrm{MAE} = \sum_i w_i \lvert y_i - \hat y_i \rvert / \sum_i w_i$.

    Parameters are those of :func:`mean_squared_error`.
    """
    y_true, y_pred, w, multioutput = _regression_inputs(y_true, y_pred, sample_weight, multioutput)
    per_output = np.average(np.abs(y_true - y_pred), axis=0, weights=w)
    return _combine_outputs(per_output, multioutput)


def r2_score(
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    multioutput: str | Any = "uniform_average",
    force_finite: bool = True,
) -> float | np.ndarray:
    r"""Coefficient of determination

    .. math::
        R^2 = 1 - \frac{\sum_i w_i (y_i - \hat y_i)^2}{\sum_i w_i (y_i - \bar y_w)^2},
        \qquad \bar y_w = \frac{\sum_i w_i y_i}{\sum_i w_i}.

    $R^2 = 1$ is a perfect fit, $0$ is as good as predicting the (weighted) mean, and it is
    negative for worse predictions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array-like
        ``"variance_weighted"`` weights each output by its denominator (the spread of $y$).
    force_finite : bool, default True
        For a constant ``y_true`` the denominator is 0. Like scikit-learn, ``True`` returns 1
        for a perfect prediction and 0 otherwise; ``False`` returns ``nan`` / ``-inf``.

    Raises
    ------
    ValueError
        Fewer than two samples (the spread of ``y_true`` is then undefined).
    """
    y_true, y_pred, w, multioutput = _regression_inputs(
        y_true, y_pred, sample_weight, multioutput, extra_choices=("variance_weighted",)
    )
    if y_true.shape[0] < 2:
        raise ValueError(
            "r2_score needs at least 2 samples: with one sample the spread of y_true, "
            "the denominator of R², is undefined."
        )
    weights = np.ones(y_true.shape[0]) if w is None else w
    weights = weights[:, None]
    numerator = (weights * (y_true - y_pred) ** 2).sum(axis=0)
    y_bar = (weights * y_true).sum(axis=0) / weights.sum()
    denominator = (weights * (y_true - y_bar) ** 2).sum(axis=0)

    nonzero_denominator = denominator != 0
    if force_finite:
        # 1 for an exact fit of a constant target, 0 for any error on a constant target.
        per_output = np.where(numerator == 0, 1.0, 0.0)
        per_output[nonzero_denominator] = (
            1 - numerator[nonzero_denominator] / denominator[nonzero_denominator]
        )
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            per_output = 1 - numerator / denominator

    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        # Weight each output by its spread; if every output is constant, weight them equally.
        multioutput = denominator if nonzero_denominator.any() else "uniform_average"
    with np.errstate(invalid="ignore"):  # only force_finite=False can hold nan/-inf here
        return _combine_outputs(per_output, multioutput)


# ---------------------------------------------------------------------------------------------
# Classification from predicted labels
# ---------------------------------------------------------------------------------------------


def accuracy_score(
    y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None
) -> float:
    r"""Fraction (or, with ``normalize=False``, weighted count) of correct predictions.

    .. math:: \mathrm{accuracy} = \frac{\sum_i w_i [\hat y_i = y_i]}{\sum_i w_i}

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Class labels of any type (ints, strings, booleans).
    normalize : bool, default True
        ``False`` returns the (weighted) number of correct predictions instead.
    sample_weight : array-like of shape (n_samples,), optional
    """
    y_true, y_pred, w = _classification_inputs(y_true, y_pred, sample_weight)
    correct = (y_true == y_pred).astype(np.float64)
    if not normalize:
        return float(correct.sum() if w is None else (w * correct).sum())
    return float(np.average(correct, weights=w))


def confusion_matrix(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    sample_weight: Any = None,
    normalize: str | None = None,
) -> np.ndarray:
    r"""Confusion matrix $C_{jk} = \sum_i w_i [y_i = \ell_j][\hat y_i = \ell_k]$.

    Row $j$ is the true class $\ell_j$, column $k$ the predicted class $\ell_k$, so the
    diagonal holds the correct predictions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, optional
        The classes $\ell$ and their order; default: sorted union of both label arrays.
        Samples whose true or predicted label is not listed are left out.
    sample_weight : array-like of shape (n_samples,), optional
    normalize : {"true", "pred", "all"}, optional
        Divide by the row sums (so each row is $P(\hat y \mid y)$), the column sums, or the
        total. Empty rows/columns give 0, as in scikit-learn.

    Returns
    -------
    ndarray of shape (n_labels, n_labels)
        Integer counts without weights (and without ``normalize``), floats otherwise.
    """
    integer_weights = sample_weight is not None and np.asarray(sample_weight).dtype.kind in "iu"
    y_true, y_pred, w = _classification_inputs(y_true, y_pred, sample_weight)
    if normalize is not None:
        check_choice(normalize, "normalize", ("true", "pred", "all"))
    if labels is None:
        labels = _unique_labels(y_true, y_pred)
    else:
        labels = _check_labels_argument(labels, y_true)
        if not np.isin(y_true, labels).any():
            raise ValueError(
                f"None of the labels {labels.tolist()} occurs in y_true; at least one must."
            )
    n = labels.shape[0]
    i, found_true = _encode(y_true, labels)
    j, found_pred = _encode(y_pred, labels)
    keep = found_true & found_pred
    counts = _weighted_counts(i[keep] * n + j[keep], None if w is None else w[keep], n * n)
    cm = counts.reshape(n, n).astype(np.float64 if w is not None else np.int64)
    if integer_weights:
        cm = cm.astype(np.int64)
    if normalize is None:
        return cm
    axis = {"true": 1, "pred": 0, "all": None}[normalize]
    totals = cm.sum(axis=axis, keepdims=axis is not None)
    return np.divide(cm, totals, out=np.zeros(cm.shape), where=totals != 0)


_AVERAGES = ("binary", "micro", "macro", "weighted")


def _zero_division_value(zero_division: Any) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if (
        isinstance(zero_division, numbers.Real)
        and not isinstance(zero_division, (bool, np.bool_))
        and (zero_division in (0, 1) or np.isnan(zero_division))
    ):
        return float(zero_division)
    raise ValueError(f"zero_division must be 'warn', 0, 1 or np.nan; got {zero_division!r}.")


def _divide(
    numerator: np.ndarray,
    denominator: np.ndarray,
    zero_division: Any,
    warning: str | None,
) -> np.ndarray:
    """numerator / denominator, with ``zero_division`` where the denominator is 0."""
    value = _zero_division_value(zero_division)
    empty = denominator == 0
    result = np.divide(numerator, denominator, out=np.full(numerator.shape, value),
                       where=~empty)
    if empty.any() and warning is not None and isinstance(zero_division, str):
        warnings.warn(
            f"{warning} Use the zero_division parameter to control this behaviour.",
            UndefinedMetricWarning,
            stacklevel=3,
        )
    return result


def _set_wise_labels(
    y_true: np.ndarray, y_pred: np.ndarray, average: str | None, labels: Any, pos_label: Any
) -> np.ndarray:
    """The labels to score: ``[pos_label]`` for ``average="binary"``, else ``labels``/all."""
    if average is not None:
        check_choice(average, "average", _AVERAGES)
    present = _unique_labels(y_true, y_pred)
    if average == "binary":
        if present.shape[0] > 2:
            raise ValueError(
                f"average='binary' needs at most 2 classes, but the labels hold "
                f"{present.shape[0]}: {present.tolist()}. Choose average='micro', 'macro', "
                "'weighted' or None."
            )
        pos = np.asarray([pos_label])
        wrong_kind = _label_kind(pos, "pos_label") != _label_kind(present, "y_true")
        if wrong_kind or (pos_label not in present.tolist() and present.shape[0] == 2):
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label; it should be one of "
                f"{present.tolist()}."
            )
        return pos
    if labels is None:
        return present
    return _check_labels_argument(labels, y_true)


def _precision_recall_fscore(
    y_true: Any,
    y_pred: Any,
    *,
    beta: float,
    labels: Any,
    pos_label: Any,
    average: str | None,
    sample_weight: Any,
    zero_division: Any,
    warn_for: tuple[str, ...],
) -> tuple[Any, Any, Any, np.ndarray | None]:
    y_true, y_pred, w = _classification_inputs(y_true, y_pred, sample_weight)
    beta = _check_beta(beta)
    _zero_division_value(zero_division)
    labels = _set_wise_labels(y_true, y_pred, average, labels, pos_label)

    n = labels.shape[0]
    i, found_true = _encode(y_true, labels)
    j, found_pred = _encode(y_pred, labels)
    hit = found_true & found_pred & (i == j)
    weight_of = (lambda mask: None) if w is None else (lambda mask: w[mask])
    tp = _weighted_counts(i[hit], weight_of(hit), n).astype(np.float64)
    true_sum = _weighted_counts(i[found_true], weight_of(found_true), n).astype(np.float64)
    pred_sum = _weighted_counts(j[found_pred], weight_of(found_pred), n).astype(np.float64)
    if average == "micro":
        tp, true_sum, pred_sum = (np.array([a.sum()]) for a in (tp, true_sum, pred_sum))

    precision = _divide(
        tp, pred_sum, zero_division,
        "Precision is ill-defined (no predicted samples) and set to zero_division."
        if "precision" in warn_for else None,
    )
    recall = _divide(
        tp, true_sum, zero_division,
        "Recall is ill-defined (no true samples) and set to zero_division."
        if "recall" in warn_for else None,
    )
    if np.isinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        # F_β = (1+β²)PR/(β²P + R) = (1+β²)TP / (β²·(TP+FN) + (TP+FP)), defined unless
        # there are neither true nor predicted samples of the class.
        f_score = _divide(
            (1 + beta**2) * tp, beta**2 * true_sum + pred_sum, zero_division,
            "F-score is ill-defined (no true nor predicted samples) and set to zero_division."
            if "f-score" in warn_for else None,
        )

    if average is None:
        return precision, recall, f_score, true_sum
    weights = true_sum if average == "weighted" and true_sum.sum() > 0 else None
    return (*(_nan_average(score, weights) for score in (precision, recall, f_score)), None)


def _check_beta(beta: Any) -> float:
    if isinstance(beta, (bool, np.bool_)) or not isinstance(beta, numbers.Real) or beta < 0:
        raise ValueError(f"beta must be a non-negative number; got {beta!r}.")
    return float(beta)


def _nan_average(score: np.ndarray, weights: np.ndarray | None) -> float:
    """Average that skips NaN entries (``zero_division=np.nan`` excludes undefined classes)."""
    defined = ~np.isnan(score)
    if not defined.any():
        return float("nan")
    if weights is not None and weights[defined].sum() > 0:
        return float(np.average(score[defined], weights=weights[defined]))
    return float(score[defined].mean())


_PRF_DOC = r"""
    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Class labels of any type.
    labels : array-like, optional
        Classes to score (and their order for ``average=None``); default: all present.
    pos_label : label, default 1
        The positive class when ``average="binary"`` (ignored otherwise).
    average : {"binary", "micro", "macro", "weighted"} or None
        ``"binary"``: the score of ``pos_label`` only (at most 2 classes allowed).
        ``"micro"``: pool TP, FP, FN over the classes, then divide.
        ``"macro"``: unweighted mean of the per-class scores.
        ``"weighted"``: mean weighted by each class's support (its number of true samples).
        ``None``: the per-class scores as an array.
    sample_weight : array-like of shape (n_samples,), optional
    zero_division : "warn", 0, 1 or np.nan
        Value used when a denominator is 0 ("warn" means 0 and an
        :class:`UndefinedMetricWarning`). ``np.nan`` scores are left out of the averages.
"""


def precision_recall_fscore_support(
    y_true: Any,
    y_pred: Any,
    *,
    beta: float = 1.0,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = None,
    sample_weight: Any = None,
    zero_division: Any = "warn",
) -> tuple[Any, Any, Any, np.ndarray | None]:
    r"""Precision, recall, $F_\beta$ and support of each class (or their average).

    For a class with (weighted) counts of true positives TP, false positives FP and false
    negatives FN:

    .. math::
        P = \frac{TP}{TP + FP}, \quad R = \frac{TP}{TP + FN}, \quad
        F_\beta = \frac{(1 + \beta^2) P R}{\beta^2 P + R}
                = \frac{(1 + \beta^2)\,TP}{(1 + \beta^2)\,TP + \beta^2 FN + FP},

    and the support is $TP + FN$, the number of true samples of the class. The support is
    returned only when ``average`` is None.
    """
    return _precision_recall_fscore(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division,
        warn_for=("precision", "recall", "f-score"),
    )


def precision_score(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight: Any = None,
    zero_division: Any = "warn",
) -> float | np.ndarray:
    r"""Precision $P = TP / (TP + FP)$: the fraction of predicted positives that are right."""
    return _precision_recall_fscore(
        y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division, warn_for=("precision",),
    )[0]


def recall_score(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight: Any = None,
    zero_division: Any = "warn",
) -> float | np.ndarray:
    r"""Recall $R = TP / (TP + FN)$: the fraction of true positives that are found."""
    return _precision_recall_fscore(
        y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division, warn_for=("recall",),
    )[1]


def fbeta_score(
    y_true: Any,
    y_pred: Any,
    *,
    beta: float,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight: Any = None,
    zero_division: Any = "warn",
) -> float | np.ndarray:
    r"""$F_\beta = (1+\beta^2) P R / (\beta^2 P + R)$: recall counts $\beta$ times as much."""
    return _precision_recall_fscore(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division, warn_for=("f-score",),
    )[2]


def f1_score(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = "binary",
    sample_weight: Any = None,
    zero_division: Any = "warn",
) -> float | np.ndarray:
    r"""$F_1 = 2PR/(P + R) = 2TP / (2TP + FP + FN)$, the harmonic mean of precision and recall."""
    return fbeta_score(
        y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division,
    )


for _function in (precision_recall_fscore_support, precision_score, recall_score, fbeta_score,
                  f1_score):
    _function.__doc__ += _PRF_DOC


def classification_report(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    target_names: Any = None,
    sample_weight: Any = None,
    digits: int = 2,
    output_dict: bool = False,
    zero_division: Any = "warn",
) -> str | dict[str, Any]:
    """Per-class precision, recall, F1 and support, then their averages, as a table.

    The layout (and the dictionary with ``output_dict=True``) is scikit-learn's: one row per
    class, then "accuracy" (the micro average, which equals accuracy when every present label
    is reported) or "micro avg", then "macro avg" and "weighted avg".
    """
    y_true_checked, y_pred_checked, _ = _classification_inputs(y_true, y_pred, sample_weight)
    present = _unique_labels(y_true_checked, y_pred_checked)
    if labels is None:
        labels = present
        micro_is_accuracy = True
    else:
        labels = _check_labels_argument(labels, y_true_checked)
        micro_is_accuracy = set(present.tolist()) <= set(labels.tolist())
    if target_names is None:
        target_names = [str(label) for label in labels]
    elif len(target_names) != len(labels):
        raise ValueError(
            f"target_names has {len(target_names)} names but there are {len(labels)} classes "
            f"({labels.tolist()}); pass labels= to choose the classes."
        )
    digits = int(_check_int(digits, "digits", minimum=0))

    def scores(average: str | None) -> tuple[Any, Any, Any, Any]:
        return _precision_recall_fscore(
            y_true_checked, y_pred_checked, beta=1.0, labels=labels, pos_label=1,
            average=average, sample_weight=sample_weight, zero_division=zero_division,
            warn_for=("precision", "recall", "f-score"),
        )

    precision, recall, f1, support = scores(None)
    headers = ["precision", "recall", "f1-score", "support"]
    rows = {name: [p, r, f, s] for name, p, r, f, s in
            zip(target_names, precision, recall, f1, support, strict=True)}
    total_support = support.sum()
    for average in ("micro", "macro", "weighted"):
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        rows[heading] = [*scores(average)[:3], total_support]

    if output_dict:
        report = {name: {h: float(v) for h, v in zip(headers, row, strict=True)}
                  for name, row in rows.items()}
        if "accuracy" in report:
            report["accuracy"] = report["accuracy"]["precision"]
        return report

    width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
    text = "{:>{width}s} ".format("", width=width) + "".join(f" {h:>9}" for h in headers)
    text += "\n\n"
    row_format = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    # Support is printed as a count, or as a float total of weights when weights are given.
    as_support = int if sample_weight is None else float
    for name, (p, r, f, s) in rows.items():
        if name == "accuracy":  # only the F1 column (which equals accuracy) is shown
            text += ("{:>{width}s} " + " {:>9}" * 2 + " {:>9.{digits}f} {:>9}\n").format(
                name, "", "", f, as_support(s), width=width, digits=digits)
        else:
            text += row_format.format(name, p, r, f, as_support(s), width=width, digits=digits)
        if name == target_names[-1]:
            text += "\n"
    return text


def _check_int(value: Any, name: str, *, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int; got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}.")
    return int(value)


# ---------------------------------------------------------------------------------------------
# Classification from probabilities and scores
# ---------------------------------------------------------------------------------------------


def log_loss(
    y_true: Any,
    y_proba: Any,
    *,
    normalize: bool = True,
    sample_weight: Any = None,
    labels: Any = None,
) -> float:
    r"""Cross-entropy of predicted class probabilities (the logistic-regression loss).

    .. math::
        L = -\frac{1}{\sum_i w_i} \sum_i w_i \sum_k y_{ik} \log p_{ik},

    where $y_{ik} = [y_i = \ell_k]$ is the one-hot truth over the sorted classes $\ell_k$
    and $p_{ik}$ the predicted probability. Probabilities are clipped to
    $[\epsilon, 1 - \epsilon]$ with $\epsilon$ the machine epsilon of their dtype, so a
    confident mistake costs a large but finite $-\log\epsilon \approx 36$ (float64).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Probabilities, columns in sorted label order (``predict_proba``); rows must sum to 1.
        A 1-D array is the probability of the greater of two labels.
    normalize : bool, default True
        ``False`` returns the (weighted) sum instead of the mean.
    sample_weight : array-like of shape (n_samples,), optional
    labels : array-like, optional
        All the classes, when ``y_true`` does not contain every one of them.
    """
    y_true = check_y(y_true, name="y_true", y_numeric=False)
    _label_kind(y_true, "y_true")
    p = check_array(y_proba, name="y_proba", ensure_2d=False)
    if p.ndim > 2:
        raise ValueError(f"y_proba must be 1-D or 2-D; got shape {p.shape}.")
    _check_same_length({"y_true": y_true, "y_proba": p})
    w = check_sample_weight(sample_weight, y_true.shape[0])
    if p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"y_proba must hold probabilities in [0, 1]; got values in [{p.min()}, {p.max()}]."
        )

    if labels is None:
        classes = np.unique(y_true)
        if classes.shape[0] < 2:
            raise ValueError(
                f"y_true contains only one label ({classes[0]!r}); pass all the class labels "
                "through the labels argument."
            )
    else:
        classes = np.unique(_check_labels_argument(labels, y_true))
        if classes.shape[0] < 2:
            raise ValueError(f"labels must hold at least 2 classes; got {classes.tolist()}.")
        missing = ~np.isin(y_true, classes)
        if missing.any():
            raise ValueError(
                f"y_true contains labels not in labels: {np.unique(y_true[missing]).tolist()}."
            )

    if p.ndim == 1:
        p = np.stack([1 - p, p], axis=1)
    if p.shape[1] != classes.shape[0]:
        raise ValueError(
            f"y_proba has {p.shape[1]} columns but there are {classes.shape[0]} classes "
            f"{classes.tolist()}; pass the full class list through labels if y_true lacks some."
        )
    eps = np.finfo(p.dtype).eps
    row_sums = p.sum(axis=1)
    if not np.allclose(row_sums, 1, rtol=np.sqrt(eps), atol=0):
        raise ValueError(
            "The rows of y_proba must sum to 1 (probabilities over the classes); got sums in "
            f"[{row_sums.min()}, {row_sums.max()}]. Apply a softmax to raw scores first."
        )
    p = np.clip(p, eps, 1 - eps)
    index, _ = _encode(y_true, classes)
    per_sample = -np.log(p[np.arange(p.shape[0]), index])
    if not normalize:
        return float(per_sample.sum() if w is None else (w * per_sample).sum())
    return float(np.average(per_sample, weights=w))


def _binary_target(y_true: np.ndarray, pos_label: Any) -> np.ndarray:
    """Boolean "is positive" vector; ``pos_label=None`` needs labels in {0, 1} or {−1, 1}."""
    classes = np.unique(y_true)
    if classes.shape[0] > 2:
        raise ValueError(
            f"y_true holds {classes.shape[0]} classes {classes.tolist()}; a ROC curve needs a "
            "binary problem (for several classes use roc_auc_score with multi_class='ovr')."
        )
    if pos_label is None:
        numeric = _label_kind(classes, "y_true") == "number"
        if not numeric or not (set(classes.tolist()) <= {0, 1} or set(classes.tolist())
                               <= {-1, 1}):
            raise ValueError(
                f"y_true takes values {classes.tolist()}, so the positive class is ambiguous: "
                "pass pos_label explicitly (or use labels {0, 1} or {-1, 1})."
            )
        pos_label = 1
    return np.asarray(y_true == pos_label, dtype=bool)


def _score_inputs(
    y_true: Any, y_score: Any, sample_weight: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    y_true = check_y(y_true, name="y_true", y_numeric=False)
    _label_kind(y_true, "y_true")
    y_score = check_array(y_score, name="y_score", ensure_2d=False)
    _check_same_length({"y_true": y_true, "y_score": y_score})
    w = check_sample_weight(sample_weight, y_true.shape[0])
    return y_true, y_score, w


def _roc_points(
    positive: np.ndarray, y_score: np.ndarray, w: np.ndarray | None, drop_intermediate: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fpr, tpr, thresholds) of a boolean target; see :func:`roc_curve`."""
    if w is not None:  # zero-weight samples must not create thresholds
        positive, y_score, w = positive[w != 0], y_score[w != 0], w[w != 0]
    weights = np.ones(positive.shape[0]) if w is None else w
    n_positive = weights[positive].sum()
    n_negative = weights[~positive].sum()
    for count, kind in ((n_positive, "positive"), (n_negative, "negative")):
        if count == 0:
            raise ValueError(
                f"y_true has no {kind} samples (with positive weight); the ROC curve needs "
                "both classes, since TPR divides by the positives and FPR by the negatives."
            )

    order = np.argsort(-y_score, kind="stable")
    score, positive, weights = y_score[order], positive[order], weights[order]
    # The curve has one point per distinct score: the last index of each run of ties.
    last_of_tie = np.r_[np.flatnonzero(np.diff(score)), score.shape[0] - 1]
    tps = np.cumsum(weights * positive)[last_of_tie]
    fps = np.cumsum(weights * ~positive)[last_of_tie]
    thresholds = score[last_of_tie].astype(np.float64)

    if drop_intermediate and fps.shape[0] > 2:
        # A point is a corner unless both counts change linearly through it.
        corner = np.r_[True, (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), True]
        tps, fps, thresholds = tps[corner], fps[corner], thresholds[corner]
    tps, fps = np.r_[0.0, tps], np.r_[0.0, fps]
    thresholds = np.r_[np.inf, thresholds]
    return fps / fps[-1], tps / tps[-1], thresholds


def roc_curve(
    y_true: Any,
    y_score: Any,
    *,
    pos_label: Any = None,
    sample_weight: Any = None,
    drop_intermediate: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Receiver operating characteristic: true vs false positive rate at every threshold.

    Predicting "positive" when $s_i \ge t$ gives

    .. math::
        \mathrm{TPR}(t) = \frac{\sum_{i: y_i = +} w_i [s_i \ge t]}{\sum_{i: y_i = +} w_i},
        \qquad
        \mathrm{FPR}(t) = \frac{\sum_{i: y_i = -} w_i [s_i \ge t]}{\sum_{i: y_i = -} w_i}.

    The thresholds are the distinct scores in decreasing order, preceded by $+\infty$
    (the point (0, 0)). Tied scores share one threshold, so a tie between a positive and a
    negative is a diagonal segment of the curve.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels.
    y_score : array-like of shape (n_samples,)
        Scores, larger meaning "more positive" (probabilities or decision values).
    pos_label : label, optional
        The positive class; required unless the labels are {0, 1} or {−1, 1}.
    sample_weight : array-like of shape (n_samples,), optional
    drop_intermediate : bool, default True
        Drop thresholds whose point lies on the straight line between its neighbours (it
        changes neither the plotted curve nor its area).

    Returns
    -------
    fpr, tpr, thresholds : ndarray
        ``thresholds[0]`` is ``inf``.

    Raises
    ------
    ValueError
        More than two classes, or no positive or no negative sample.
    """
    y_true, y_score, w = _score_inputs(y_true, y_score, sample_weight)
    if y_score.ndim != 1:
        raise ValueError(f"y_score must be 1-D; got shape {y_score.shape}.")
    return _roc_points(_binary_target(y_true, pos_label), y_score, w, drop_intermediate)


def _trapezoid_area(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))


def _binary_auc(
    positive: np.ndarray, y_score: np.ndarray, w: np.ndarray | None, max_fpr: float | None
) -> float:
    fpr, tpr, _ = _roc_points(positive, y_score, w, drop_intermediate=True)
    if max_fpr is None or max_fpr == 1:
        return _trapezoid_area(fpr, tpr)
    # Area up to max_fpr (the curve is interpolated linearly at max_fpr), then McClish's
    # standardisation: 0.5 for a random ranking, 1 for a perfect one.
    stop = np.searchsorted(fpr, max_fpr, side="right")
    slope = (tpr[stop] - tpr[stop - 1]) / (fpr[stop] - fpr[stop - 1])
    tpr_at_max = tpr[stop - 1] + slope * (max_fpr - fpr[stop - 1])
    partial = _trapezoid_area(np.r_[fpr[:stop], max_fpr], np.r_[tpr[:stop], tpr_at_max])
    min_area, max_area = 0.5 * max_fpr**2, max_fpr
    return 0.5 * (1 + (partial - min_area) / (max_area - min_area))


def roc_auc_score(
    y_true: Any,
    y_score: Any,
    *,
    average: str | None = "macro",
    sample_weight: Any = None,
    max_fpr: float | None = None,
    multi_class: str = "raise",
    labels: Any = None,
) -> float | np.ndarray:
    r"""Area under the ROC curve.

    For a binary problem the area equals the Mann–Whitney probability that a random positive
    scores above a random negative, ties counting one half:

    .. math::
        \mathrm{AUC} = \frac{\sum_{i: y_i = +} \sum_{j: y_j = -} w_i w_j
              \left([s_i > s_j] + \tfrac12 [s_i = s_j]\right)}
              {\sum_{i: y_i = +} w_i \; \sum_{j: y_j = -} w_j}
            = P(s_+ > s_-) + \tfrac12 P(s_+ = s_-).

    It is computed as the trapezoidal area under :func:`roc_curve` (a tie is a diagonal
    segment, whose area is the ½ term). The positive class is the greater of the two labels.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores of the positive class (binary), or class probabilities with rows summing to 1
        (multiclass, columns in the order of ``labels`` or of the sorted classes).
    average : {"macro", "weighted", "micro"} or None
        Multiclass only: mean of the per-class (or per-pair) AUCs, weighted by prevalence
        for ``"weighted"``; ``"micro"`` (one-vs-rest) pools all one-vs-rest decisions.
    sample_weight : array-like of shape (n_samples,), optional
    max_fpr : float in (0, 1], optional
        Binary only: McClish-standardised partial AUC over $\mathrm{FPR} \le$ ``max_fpr``.
    multi_class : {"raise", "ovr", "ovo"}
        Required for more than two classes. ``"ovr"``: each class against the rest.
        ``"ovo"``: Hand & Till (2001), the mean over class pairs $(a, b)$ of
        $\tfrac12(\mathrm{AUC}_{a|b} + \mathrm{AUC}_{b|a})$ computed on the samples of $a$
        and $b$ only.
    labels : array-like, optional
        Multiclass only: the sorted classes that index the columns of ``y_score``.

    Raises
    ------
    ValueError
        Only one class in ``y_true`` (the AUC compares positives with negatives, so it is
        undefined), or a multiclass problem without ``multi_class``.
    """
    y_true, y_score, w = _score_inputs(y_true, y_score, sample_weight)
    check_choice(multi_class, "multi_class", ("raise", "ovr", "ovo"))
    if max_fpr is not None:
        max_fpr = check_scalar(max_fpr, "max_fpr", min_val=0, include_min=False, max_val=1)
    classes = np.unique(y_true)
    multiclass = classes.shape[0] > 2 or (y_score.ndim == 2 and y_score.shape[1] > 2)
    if not multiclass:
        if classes.shape[0] < 2:
            raise ValueError(
                f"Only one class ({classes[0]!r}) is present in y_true; ROC AUC = "
                "P(score_pos > score_neg) is undefined without both positives and negatives."
            )
        if y_score.ndim != 1:
            raise ValueError(
                f"For a binary problem y_score must be 1-D (the score of the positive class "
                f"{classes[1]!r}); got shape {y_score.shape}. Pass y_proba[:, 1]."
            )
        return _binary_auc(y_true == classes[1], y_score, w, max_fpr)

    if max_fpr is not None and max_fpr != 1:
        raise ValueError("max_fpr (partial AUC) is only available for binary problems.")
    if multi_class == "raise":
        raise ValueError(
            f"y_true has {classes.shape[0]} classes; choose multi_class='ovr' (one-vs-rest) or "
            "'ovo' (one-vs-one) for a multiclass ROC AUC."
        )
    return _multiclass_auc(y_true, y_score, w, classes, labels, multi_class, average)


def _multiclass_auc(
    y_true: np.ndarray,
    y_score: np.ndarray,
    w: np.ndarray | None,
    classes: np.ndarray,
    labels: Any,
    multi_class: str,
    average: str | None,
) -> float | np.ndarray:
    allowed = ("micro", "macro", "weighted") if multi_class == "ovr" else ("macro", "weighted")
    if average is not None or multi_class == "ovo":
        check_choice(average, "average", allowed)
    if y_score.ndim != 2:
        raise ValueError(
            f"y_true has {classes.shape[0]} classes, so y_score must have shape "
            f"(n_samples, n_classes); got {y_score.shape}."
        )
    if not np.allclose(y_score.sum(axis=1), 1):
        raise ValueError(
            "For a multiclass ROC AUC, y_score must hold class probabilities whose rows sum to 1."
        )
    if labels is not None:
        labels = _check_labels_argument(labels, y_true)
        if not np.array_equal(labels, np.sort(labels)):
            raise ValueError(f"labels must be sorted; got {labels.tolist()}.")
        if not np.isin(y_true, labels).all():
            raise ValueError("y_true contains labels that are not in labels.")
        classes = labels
    if classes.shape[0] != y_score.shape[1]:
        raise ValueError(
            f"There are {classes.shape[0]} classes {classes.tolist()} but y_score has "
            f"{y_score.shape[1]} columns; pass labels= if y_true lacks some classes."
        )
    index, _ = _encode(y_true, classes)

    if multi_class == "ovo":
        if w is not None:
            raise ValueError("sample_weight is not supported with multi_class='ovo'.")
        pair_scores, prevalence = [], []
        for a, b in combinations(range(classes.shape[0]), 2):
            in_pair = (index == a) | (index == b)
            is_a = index[in_pair] == a
            auc_a = _binary_auc(is_a, y_score[in_pair, a], None, None)
            auc_b = _binary_auc(~is_a, y_score[in_pair, b], None, None)
            pair_scores.append((auc_a + auc_b) / 2)
            prevalence.append(in_pair.mean())
        weights = prevalence if average == "weighted" else None
        return float(np.average(pair_scores, weights=weights))

    one_hot = index[:, None] == np.arange(classes.shape[0])
    if average == "micro":
        w_rep = None if w is None else np.repeat(w, classes.shape[0])
        return _binary_auc(one_hot.ravel(), y_score.ravel(), w_rep, None)
    per_class = np.array([
        _binary_auc(one_hot[:, k], y_score[:, k], w, None) for k in range(classes.shape[0])
    ])
    if average is None:
        return per_class
    weights = None
    if average == "weighted":
        weights = one_hot.sum(axis=0) if w is None else (w[:, None] * one_hot).sum(axis=0)
    return float(np.average(per_class, weights=weights))
