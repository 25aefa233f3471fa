r"""Calibration: do predicted probabilities match observed frequencies?

A classifier is *calibrated* when, among the samples to which it gives probability $p$ of
the positive class, a fraction $p$ is positive. :func:`calibration_curve` estimates this by
binning: it returns, for each non-empty bin of predicted probabilities, the mean predicted
probability and the observed fraction of positives. Plotted against each other (a
*reliability diagram*), a calibrated model lies on the diagonal; points below it mean
over-confident positives. scikit-learn has this function in ``sklearn.calibration``; here it
is a metric, beside :func:`~fromscratch.metrics.brier_score_loss`, whose value it helps
explain.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch._validation import check_choice, check_scalar
from fromscratch.metrics._inputs import (
    _binary_target,
    _check_probability_range,
    _score_inputs,
)


def calibration_curve(
    y_true: Any,
    y_prob: Any,
    *,
    pos_label: Any = None,
    n_bins: int = 5,
    strategy: str = "uniform",
) -> tuple[np.ndarray, np.ndarray]:
    r"""The fraction of positives and the mean predicted probability in each bin.

    With bin edges $0 = e_0 < e_1 < \dots < e_B = 1$, sample $i$ falls in bin
    $b$ when $e_{b-1} < p_i \le e_b$ (bin 1 also takes $p_i = 0$), and for each non-empty
    bin $S_b$

    .. math::
        \text{prob\_true}_b = \frac{1}{|S_b|} \sum_{i \in S_b} [y_i = +], \qquad
        \text{prob\_pred}_b = \frac{1}{|S_b|} \sum_{i \in S_b} p_i .

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels of a binary problem; both classes must occur.
    y_prob : array-like of shape (n_samples,)
        Predicted probabilities of the positive class, in $[0, 1]$ (``predict_proba(X)[:, 1]``).
    pos_label : label, optional
        The positive class; needed unless the labels are in {0, 1} or {−1, 1} (then 1).
    n_bins : int, default 5
        Number of bins $B$; empty bins are left out of the result.
    strategy : {"uniform", "quantile"}, default "uniform"
        ``"uniform"``: equal widths, $e_b = b/B$. ``"quantile"``: the $b/B$ quantiles of
        ``y_prob`` (linear interpolation, NumPy's default), so the bins hold about equal
        numbers of samples.

    Returns
    -------
    prob_true, prob_pred : ndarray of shape (n_nonempty_bins,)
        In increasing order of the bins.

    Notes
    -----
    scikit-learn accepts a ``y_true`` of one class only and returns a curve of zeros (or
    ones); here that is an error: with one class the curve cannot tell a calibrated model
    from one that always predicts that class.
    """
    y_true, y_prob, _ = _score_inputs(y_true, y_prob, None, name="y_prob")
    if y_prob.ndim == 2:
        if y_prob.shape[1] != 1:
            raise ValueError(
                f"y_prob must be 1-D, the probability of the positive class; got shape "
                f"{y_prob.shape}. For predict_proba output pass y_prob[:, 1]."
            )
        y_prob = y_prob.ravel()
    n_bins = check_scalar(n_bins, "n_bins", kind=int, min_val=1)
    check_choice(strategy, "strategy", ("uniform", "quantile"))
    _check_probability_range(y_prob, "y_prob")
    classes = np.unique(y_true)
    if classes.shape[0] < 2:
        raise ValueError(
            f"y_true contains only one class ({classes[0]!r}); a calibration curve compares "
            "predicted probabilities with observed frequencies of both classes."
        )
    positive = _binary_target(y_true, pos_label, "a calibration curve needs a binary problem "
                              "(for several classes, compute one curve per class against "
                              "the rest)")

    if strategy == "quantile":
        edges = np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    # The index b of the bin e_{b-1} < p <= e_b (searchsorted's "left" side), 0-based.
    bin_of = np.searchsorted(edges[1:-1], y_prob)
    count = np.bincount(bin_of, minlength=n_bins)
    sum_prob = np.bincount(bin_of, weights=y_prob, minlength=n_bins)
    sum_positive = np.bincount(bin_of, weights=positive, minlength=n_bins)
    nonempty = count > 0
    return sum_positive[nonempty] / count[nonempty], sum_prob[nonempty] / count[nonempty]
