r"""Classification metrics: scores of predicted labels and the log loss of probabilities.

* from labels: accuracy, the confusion matrix, precision, recall, $F_\beta$ and their
  support (one function computes all four; :func:`precision_score`, :func:`recall_score`,
  :func:`fbeta_score` and :func:`f1_score` each return one of them), the classification
  report, and the balanced accuracy (the mean recall over the classes);
* from probabilities: :func:`log_loss`, the cross-entropy, and :func:`brier_score_loss`, the
  squared error of the probabilities.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._validation import _encode, _unique_labels, check_choice, check_scalar
from fromscratch.exceptions import warn_at_caller
from fromscratch.metrics._inputs import (
    _binary_target,
    _check_labels_argument,
    _check_probability_range,
    _classification_inputs,
    _label_kind,
    _score_inputs,
)


class UndefinedMetricWarning(UserWarning):
    """A score had a zero denominator and was replaced by ``zero_division``."""


def _weighted_counts(index: np.ndarray, w: np.ndarray | None, n: int) -> np.ndarray:
    """Σ_i w_i [index_i = k] for k = 0..n−1 (plain counts when ``w`` is None)."""
    return np.bincount(index, weights=w, minlength=n)


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


def balanced_accuracy_score(
    y_true: Any, y_pred: Any, *, sample_weight: Any = None, adjusted: bool = False
) -> float:
    r"""The mean over the classes of the recall: accuracy that every class counts in equally.

    With the (weighted) confusion matrix $C$ and the $K$ classes present in ``y_true``,

    .. math::
        \mathrm{BA} = \frac1K \sum_{k=1}^K \frac{C_{kk}}{\sum_j C_{kj}},
        \qquad
        \mathrm{BA}_{\text{adjusted}} = \frac{\mathrm{BA} - 1/K}{1 - 1/K}.

    Predicting the majority class of a 95 % / 5 % problem has accuracy 0.95 but balanced
    accuracy 0.5: the chance level is $1/K$ whatever the class sizes, and ``adjusted=True``
    moves it to 0 (perfect stays 1). It equals :func:`accuracy_score` with every sample
    weighted by $1/(K n_k)$, $n_k$ the (weighted) size of its class.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), optional
    adjusted : bool, default False
        Rescale so that chance scores 0 (needs at least two classes in ``y_true``).

    Notes
    -----
    A class that occurs only in ``y_pred`` (or whose samples all have weight 0) has no
    recall; it is left out of the mean with an :class:`UndefinedMetricWarning`, as
    scikit-learn does (with a plain ``UserWarning``).
    """
    if not isinstance(adjusted, (bool, np.bool_)):
        raise TypeError(f"adjusted must be True or False; got {adjusted!r}.")
    y_true, y_pred, w = _classification_inputs(y_true, y_pred, sample_weight)
    labels = _unique_labels(y_true, y_pred)
    C = confusion_matrix(y_true, y_pred, labels=labels, sample_weight=w).astype(np.float64)
    class_sizes = C.sum(axis=1)
    present = class_sizes > 0
    if not present.all():
        warn_at_caller(
            f"The classes {labels[~present].tolist()} occur in y_pred but not in y_true (or "
            "only with weight 0); their recall is undefined, so they are left out of the "
            "balanced accuracy.",
            UndefinedMetricWarning,
        )
    recall = np.diag(C)[present] / class_sizes[present]
    score = float(recall.mean())
    if not adjusted:
        return score
    K = recall.shape[0]
    if K < 2:
        raise ValueError(
            "adjusted=True needs at least 2 classes in y_true: with one class the chance "
            "level 1/K is 1 and the rescaling divides by zero."
        )
    return (score - 1 / K) / (1 - 1 / K)



_AVERAGES = ("binary", "micro", "macro", "weighted")


def _zero_division_value(zero_division: Any) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if (
        isinstance(zero_division, numbers.Real)
        and not isinstance(zero_division, (bool, np.bool_))
        and (zero_division in (0, 1) or np.isnan(float(zero_division)))
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
        warn_at_caller(
            f"{warning} Use the zero_division parameter to control this behaviour.",
            UndefinedMetricWarning,
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


def precision_recall_fscore_support(
    y_true: Any,
    y_pred: Any,
    *,
    beta: float = 1.0,
    labels: Any = None,
    pos_label: Any = 1,
    average: str | None = None,
    warn_for: tuple[str, ...] = ("precision", "recall", "f-score"),
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
    returned only when ``average`` is None (else None).
    """
    y_true, y_pred, w = _classification_inputs(y_true, y_pred, sample_weight)
    beta = check_scalar(beta, "beta", min_val=0, allow_inf=True)
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
    return (_nan_average(precision, weights), _nan_average(recall, weights),
            _nan_average(f_score, weights), None)


def _nan_average(score: np.ndarray, weights: np.ndarray | None) -> float:
    """Average that skips NaN entries (``zero_division=np.nan`` excludes undefined classes)."""
    defined = ~np.isnan(score)
    if not defined.any():
        return float("nan")
    if weights is not None and weights[defined].sum() > 0:
        return float(np.average(score[defined], weights=weights[defined]))
    return float(score[defined].mean())


# The parameters of precision_recall_fscore_support and of the scores taken from it, in the
# order of the signature; beta and warn_for are documented only where they are parameters.
_PRF_PARAMETERS = r"""
    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Class labels of any type."""
_PRF_BETA = r"""
    beta : float >= 0
        How many times as much recall counts as precision in $F_\beta$ ($\beta = 0$ gives
        the precision, $\beta = \infty$ the recall)."""
_PRF_OPTIONS = r"""
    labels : array-like, optional
        Classes to score (and their order for ``average=None``); default: all present.
    pos_label : label, default 1
        The positive class when ``average="binary"`` (ignored otherwise).
    average : {"binary", "micro", "macro", "weighted"} or None
        ``"binary"``: the score of ``pos_label`` only (at most 2 classes allowed).
        ``"micro"``: pool TP, FP, FN over the classes, then divide.
        ``"macro"``: unweighted mean of the per-class scores.
        ``"weighted"``: mean weighted by each class's support (its number of true samples).
        ``None``: the per-class scores as an array."""
_PRF_WARN_FOR = r"""
    warn_for : tuple of "precision", "recall", "f-score"
        The scores whose zero division warns (the others are replaced silently)."""
_PRF_WEIGHTS = r"""
    sample_weight : array-like of shape (n_samples,), optional
    zero_division : "warn", 0, 1 or np.nan
        Value used when a denominator is 0 ("warn" means 0 and an
        :class:`UndefinedMetricWarning`). ``np.nan`` scores are left out of the averages.
"""
precision_recall_fscore_support.__doc__ = (precision_recall_fscore_support.__doc__ or "") + (
    _PRF_PARAMETERS + _PRF_BETA + _PRF_OPTIONS + _PRF_WARN_FOR + _PRF_WEIGHTS)


def _one_score(name: str, score: str, summary: str, *, beta: float | None
               ) -> Callable[..., float | np.ndarray]:
    """A public metric that is one of the scores of :func:`precision_recall_fscore_support`.

    Its signature is that function's without ``warn_for``, with ``average="binary"`` by
    default (scikit-learn's) and with ``beta`` fixed (or, for ``beta=None``, a required
    keyword); only ``score`` ("precision", "recall" or "f-score") warns on a zero division.
    """
    entry = ("precision", "recall", "f-score").index(score)
    fixed = {"warn_for": (score,)} if beta is None else {"warn_for": (score,), "beta": beta}
    parameters = []
    for parameter in inspect.signature(precision_recall_fscore_support).parameters.values():
        if parameter.name in fixed:
            continue
        if parameter.name == "average":
            parameter = parameter.replace(default="binary")
        if parameter.name == "beta":
            parameter = parameter.replace(default=inspect.Parameter.empty)
        parameters.append(parameter)
    signature = inspect.Signature(parameters, return_annotation="float | np.ndarray")

    def metric(*args: Any, **kwargs: Any) -> float | np.ndarray:
        try:
            arguments = signature.bind(*args, **kwargs)
        except TypeError as exc:  # what Python says for a def with this signature
            raise TypeError(f"{name}() {exc}") from None
        arguments.apply_defaults()
        precision, recall, f_score, _ = precision_recall_fscore_support(
            **arguments.arguments, **fixed)
        return (precision, recall, f_score)[entry]

    metric.__name__ = metric.__qualname__ = name
    # what inspect, help() and the API docs show (an attribute type checkers do not know)
    metric.__signature__ = signature  # type: ignore[attr-defined]
    metric.__doc__ = (summary + "\n" + _PRF_PARAMETERS + (_PRF_BETA if beta is None else "")
                      + _PRF_OPTIONS + _PRF_WEIGHTS)
    return metric


precision_score = _one_score(
    "precision_score", "precision", r"""Precision $P = TP / (TP + FP)$: the fraction of
    predicted positives that are right.""", beta=1.0)
recall_score = _one_score(
    "recall_score", "recall", r"""Recall $R = TP / (TP + FN)$: the fraction of true
    positives that are found.""", beta=1.0)
fbeta_score = _one_score(
    "fbeta_score", "f-score", r"""$F_\beta = (1+\beta^2) P R / (\beta^2 P + R)$: recall
    counts $\beta$ times as much as precision.""", beta=None)
f1_score = _one_score(
    "f1_score", "f-score", r"""$F_1 = 2PR/(P + R) = 2TP / (2TP + FP + FN)$, the harmonic
    mean of precision and recall.""", beta=1.0)


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
    digits = check_scalar(digits, "digits", kind=int, min_val=0)

    def scores(average: str | None) -> tuple[Any, Any, Any, Any]:
        return precision_recall_fscore_support(
            y_true_checked, y_pred_checked, labels=labels, average=average,
            sample_weight=sample_weight, zero_division=zero_division,
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
        report: dict[str, Any] = {
            name: {h: float(v) for h, v in zip(headers, row, strict=True)}
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


# ---------------------------------------------------------------------------------------------
# Classification from probabilities
# ---------------------------------------------------------------------------------------------


def _class_probabilities(y_true: np.ndarray, p: np.ndarray, labels: Any
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities with one column per class, and the column of each sample's true class.

    The columns are the sorted classes of ``labels`` (default: of ``y_true``), as
    ``predict_proba`` orders them; a 1-D ``p`` (or one column) is the probability of the
    greater of two classes. Each row must sum to 1.
    """
    if labels is None:
        classes = np.unique(y_true)
        if classes.shape[0] < 2:
            raise ValueError(
                f"y_true contains only one label ({classes[0]!r}); pass all the class labels "
                "through the labels argument."
            )
    else:
        given = _check_labels_argument(labels, y_true)
        classes = np.unique(given)
        if classes.shape[0] < 2:
            raise ValueError(f"labels must hold at least 2 classes; got {classes.tolist()}.")
        if not np.array_equal(classes, given):
            warn_at_caller(
                f"labels={given.tolist()} is not sorted; the columns of the probabilities are "
                f"taken to be the sorted labels {classes.tolist()} (the order of "
                "predict_proba).",
                UserWarning,
            )
        missing = ~np.isin(y_true, classes)
        if missing.any():
            raise ValueError(
                f"y_true contains labels not in labels: {np.unique(y_true[missing]).tolist()}."
            )
    if p.ndim == 1 or p.shape[1] == 1:  # P(greater class), as a vector or one column
        p = np.stack([1 - p.ravel(), p.ravel()], axis=1)
    if p.shape[1] != classes.shape[0]:
        raise ValueError(
            f"y_proba has {p.shape[1]} columns but there are {classes.shape[0]} classes "
            f"{classes.tolist()}; pass the full class list through labels if y_true lacks some."
        )
    row_sums = p.sum(axis=1)
    if not np.allclose(row_sums, 1, rtol=np.sqrt(np.finfo(p.dtype).eps), atol=0):
        raise ValueError(
            "The rows of y_proba must sum to 1 (probabilities over the classes); got sums in "
            f"[{row_sums.min()}, {row_sums.max()}]. Apply a softmax to raw scores first."
        )
    index, _ = _encode(y_true, classes)
    return p, index


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
        A 1-D array (or a single column) is the probability of the greater of two labels.
    normalize : bool, default True
        ``False`` returns the (weighted) sum instead of the mean.
    sample_weight : array-like of shape (n_samples,), optional
    labels : array-like, optional
        All the classes, when ``y_true`` does not contain every one of them.
    """
    y_true, p, w = _score_inputs(y_true, y_proba, sample_weight, name="y_proba")
    _check_probability_range(p, "y_proba")
    p, index = _class_probabilities(y_true, p, labels)
    eps = np.finfo(p.dtype).eps
    p = np.clip(p, eps, 1 - eps)
    per_sample = -np.log(p[np.arange(p.shape[0]), index])
    if not normalize:
        return float(per_sample.sum() if w is None else (w * per_sample).sum())
    return float(np.average(per_sample, weights=w))


def _brier_binary_target(y_true: np.ndarray, pos_label: Any) -> np.ndarray:
    """The 0/1 truth for a 1-D ``y_proba``: scikit-learn's default positive class is 1 for
    labels in {0, 1} or {−1, 1}, else the greater of two number labels."""
    classes = np.unique(y_true)
    if pos_label is None and _label_kind(classes, "y_true") == "number" and not (
            set(classes.tolist()) <= {0, 1} or set(classes.tolist()) <= {-1, 1}):
        pos_label = classes[-1]
    return _binary_target(
        y_true, pos_label, "a 1-D y_proba (the probability of the positive class) needs two "
        "classes: give one column per class, shape (n_samples, n_classes), for more"
    ).astype(np.float64)


def brier_score_loss(
    y_true: Any,
    y_proba: Any,
    *,
    sample_weight: Any = None,
    pos_label: Any = None,
    labels: Any = None,
    scale_by_half: bool | str = "auto",
) -> float:
    r"""Mean squared error of predicted probabilities against the one-hot truth.

    .. math::
        \mathrm{BS} = \frac{1}{\sum_i w_i} \sum_i w_i \sum_{k=1}^K (y_{ik} - p_{ik})^2,

    with $y_{ik} = [y_i = \ell_k]$. It lies in $[0, 2]$; for two classes the two terms of a
    sample are equal, and the usual binary score is half of it,
    $\frac{1}{\sum w_i}\sum_i w_i (y_i - p_i)^2 \in [0, 1]$, with $p_i$ the probability of
    the positive class. A *strictly proper* scoring rule: its expectation is smallest when
    $p$ is the true class distribution, so unlike accuracy it rewards calibrated
    probabilities, not just the right argmax. (scikit-learn's current definition, with
    ``labels`` and ``scale_by_half`` as in its version 1.7 and later.)

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        1-D: the probability of the positive class. 2-D: one column per class, in sorted
        label order (``predict_proba``); rows must sum to 1.
    sample_weight : array-like of shape (n_samples,), optional
    pos_label : label, optional
        The positive class of a 1-D ``y_proba``. Default: 1 for labels in {0, 1} or
        {−1, 1}, else the greater of two number labels; string labels need it.
    labels : array-like, optional
        The classes of the columns of a 2-D ``y_proba`` (default: those in ``y_true``).
    scale_by_half : bool or "auto", default "auto"
        Halve the score; ``"auto"`` halves it for two classes only (range [0, 1]) and
        keeps the range [0, 2] for more.
    """
    y_true, p, w = _score_inputs(y_true, y_proba, sample_weight, name="y_proba")
    if not (isinstance(scale_by_half, (bool, np.bool_)) or (isinstance(scale_by_half, str)
                                                              and scale_by_half == "auto")):
        raise ValueError(f"scale_by_half must be True, False or 'auto'; got {scale_by_half!r}.")
    _check_probability_range(p, "y_proba")
    if p.ndim == 1 or p.shape[1] == 1:
        positive = _brier_binary_target(y_true, pos_label)
        Y = np.stack([1 - positive, positive], axis=1)
        p = np.stack([1 - p.reshape(-1), p.reshape(-1)], axis=1)
    else:
        p, index = _class_probabilities(y_true, p, labels)
        Y = np.zeros(p.shape)
        Y[np.arange(p.shape[0]), index] = 1.0
    score = float(np.average(((Y - p) ** 2).sum(axis=1), weights=w))
    halve = p.shape[1] < 3 if isinstance(scale_by_half, str) else bool(scale_by_half)
    return score / 2 if halve else score
