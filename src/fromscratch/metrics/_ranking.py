r"""Ranking metrics: how well a real-valued score orders positives above negatives.

The ROC curve (true against false positive rate at every threshold of the score) and the area
under it, binary and multiclass (one-vs-rest, one-vs-one). Scores may be probabilities or
decision values: only their order matters.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from fromscratch._validation import _encode, check_choice, check_scalar
from fromscratch.metrics._inputs import (
    _binary_target,
    _check_labels_argument,
    _score_inputs,
)


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
    positive = _binary_target(y_true, pos_label, "a ROC curve needs a binary problem (for "
                              "several classes use roc_auc_score with multi_class='ovr')")
    return _roc_points(positive, y_score, w, drop_intermediate)


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
        Multiclass only: the sorted classes that index the columns of ``y_score``. A class
        that ``y_true`` lacks has no AUC of its own: only ``multi_class="ovr"`` with
        ``average="weighted"`` (weight 0) or ``"micro"`` accepts one.

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
    one_hot = index[:, None] == np.arange(classes.shape[0])
    absent = ~one_hot.any(axis=0)
    # A class of labels that y_true lacks has no one-vs-rest (or pairwise) AUC. Only the
    # prevalence-weighted one-vs-rest mean is defined then: its weight is 0 (scikit-learn
    # returns the same; elsewhere it warns and returns NaN, or drops the class's pairs).
    if absent.any() and not (multi_class == "ovr" and average in ("weighted", "micro")):
        raise ValueError(
            f"The classes {classes[absent].tolist()} of labels do not occur in y_true, so "
            f"their {'one-vs-rest' if multi_class == 'ovr' else 'pairwise'} ROC AUC is "
            "undefined. Use multi_class='ovr' with average='weighted' (where an absent class "
            "weighs 0) or average='micro'."
        )

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

    if average == "micro":
        w_rep = None if w is None else np.repeat(w, classes.shape[0])
        return _binary_auc(one_hot.ravel(), y_score.ravel(), w_rep, None)
    present = np.flatnonzero(~absent)
    per_class = np.array([_binary_auc(one_hot[:, k], y_score[:, k], w, None) for k in present])
    if average is None:
        return per_class
    weights = None
    if average == "weighted":
        weights = one_hot.sum(axis=0) if w is None else (w[:, None] * one_hot).sum(axis=0)
        weights = weights[present]
    return float(np.average(per_class, weights=weights))
