"""brier_score_loss and calibration_curve against scikit-learn and their closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch import metrics as ours

sk = pytest.importorskip("sklearn.metrics")
from sklearn.calibration import calibration_curve as sk_calibration_curve  # noqa: E402

FAST = settings(max_examples=40, deadline=None)

# Labels of two classes, the positive one (what sklearn infers, or what must be given) last.
BINARY_LABELS = {
    "01": (np.array([0, 1]), None),
    "-11": (np.array([-1, 1]), None),
    "2-5": (np.array([2, 5]), None),  # brier: the greater label; calibration: must be given
    "str": (np.array(["ham", "spam"]), "spam"),
    "str-neg": (np.array(["ham", "spam"]), "ham"),
}


@st.composite
def binary_problems(draw, both_classes=True):
    labels, pos_label = BINARY_LABELS[draw(st.sampled_from(sorted(BINARY_LABELS)))]
    n = draw(st.integers(2, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    y_true = labels[rng.integers(0, 2, n)]
    if both_classes:
        y_true[:2] = labels
    # Probabilities with exact 0, 1, repeats and bin edges among them.
    proba = np.where(rng.random(n) < 0.2, rng.choice([0.0, 0.2, 0.5, 1.0], n), rng.random(n))
    weight = rng.random(n) * (rng.random(n) > 0.2) + 0.01 if draw(st.booleans()) else None
    return y_true, proba, weight, labels, pos_label


# ---------------------------------------------------------------------------------------------
# brier_score_loss
# ---------------------------------------------------------------------------------------------


@FAST
@given(problem=binary_problems(both_classes=False),
       scale_by_half=st.sampled_from(["auto", True, False]), explicit=st.booleans())
def test_brier_binary_equals_sklearn(problem, scale_by_half, explicit):
    y_true, proba, weight, labels, pos_label = problem
    if explicit and pos_label is None:
        pos_label = labels[0]  # the smaller label as positive, given explicitly
    kwargs = {"sample_weight": weight, "pos_label": pos_label, "scale_by_half": scale_by_half}
    expected = sk.brier_score_loss(y_true, proba, **kwargs)
    assert ours.brier_score_loss(y_true, proba, **kwargs) == pytest.approx(expected,
                                                                           rel=1e-12, abs=1e-15)


@FAST
@given(n_classes=st.integers(2, 5), n=st.integers(1, 50), seed=st.integers(0, 2**16),
       weighted=st.booleans(), scale_by_half=st.sampled_from(["auto", True, False]),
       strings=st.booleans())
def test_brier_multiclass_equals_sklearn(n_classes, n, seed, weighted, scale_by_half, strings):
    rng = np.random.default_rng(seed)
    labels = np.array(["a", "b", "c", "d", "e"] if strings else [1, 3, 4, 7, 9])[:n_classes]
    y_true = labels[rng.integers(0, n_classes, n)]
    proba = rng.dirichlet(np.ones(n_classes), size=n)
    weight = rng.random(n) + 0.01 if weighted else None
    kwargs = {"sample_weight": weight, "labels": labels, "scale_by_half": scale_by_half}
    expected = sk.brier_score_loss(y_true, proba, **kwargs)
    assert ours.brier_score_loss(y_true, proba, **kwargs) == pytest.approx(expected, rel=1e-12,
                                                                           abs=1e-15)


def test_brier_closed_forms():
    y, p = np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.8, 0.3])
    # Binary: the mean of (y - p)²; unscaled, twice that (both columns of a sample count).
    assert ours.brier_score_loss(y, p) == pytest.approx(np.mean((y - p) ** 2), rel=1e-15)
    assert ours.brier_score_loss(y, p, scale_by_half=False) == pytest.approx(
        2 * np.mean((y - p) ** 2), rel=1e-15)
    # The two-column form is the same binary problem.
    assert ours.brier_score_loss(y, np.c_[1 - p, p]) == ours.brier_score_loss(y, p)
    assert ours.brier_score_loss(y, p[:, None]) == ours.brier_score_loss(y, p)
    # pos_label=0 with the complementary probabilities is the same score.
    assert ours.brier_score_loss(y, 1 - p, pos_label=0) == pytest.approx(
        ours.brier_score_loss(y, p), rel=1e-15)
    # Three classes: the sum of squared errors over the one-hot columns, not halved.
    P = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.2, 0.2, 0.6]])
    expected = np.mean(((np.eye(3) - P) ** 2).sum(axis=1))
    assert ours.brier_score_loss(["eggs", "ham", "spam"], P) == pytest.approx(expected)
    # A class absent from y_true is named through labels.
    assert ours.brier_score_loss([0, 1], P[:2], labels=[0, 1, 2]) == pytest.approx(
        np.mean(((np.eye(3)[:2] - P[:2]) ** 2).sum(axis=1)))


def test_brier_and_log_loss_warn_when_labels_are_not_sorted():
    """The columns are the sorted labels whatever order labels lists them in (scikit-learn
    warns the same way)."""
    P = np.array([[0.8, 0.2, 0.0], [0.3, 0.7, 0.0], [0.5, 0.5, 0.0]])
    for metric in (ours.brier_score_loss, ours.log_loss):
        with pytest.warns(UserWarning, match="not sorted"):
            unsorted = metric(["b", "a", "a"], P, labels=["b", "a", "c"])
        assert unsorted == metric(["b", "a", "a"], P, labels=["a", "b", "c"])


@pytest.mark.parametrize(
    ("y_true", "proba", "kwargs", "error", "match"),
    [
        ([0, 1], [0.5, 1.2], {}, ValueError, r"\[0, 1\]"),
        ([0, 1], [-0.1, 0.5], {}, ValueError, r"\[0, 1\]"),
        ([0, 1], [0.5, np.nan], {}, ValueError, "NaN"),
        ([0, 1], [0.5, 0.5, 0.5], {}, ValueError, "Inconsistent numbers of samples"),
        (["a", "b"], [0.5, 0.5], {}, ValueError, "pass pos_label"),
        ([0, 1, 2], [0.5, 0.5, 0.5], {}, ValueError, "one column per class"),
        ([0, 1], [0.5, 0.5], {"pos_label": 2}, ValueError, "pos_label=2 is not a valid label"),
        ([0, 0], [[0.5, 0.5]] * 2, {}, ValueError, "only one label"),
        ([0, 1, 2], [[0.5, 0.5]] * 3, {}, ValueError, "2 columns but there are 3 classes"),
        ([0, 1], [[0.5, 0.6]] * 2, {}, ValueError, "sum to 1"),
        ([0, 3], [[0.5, 0.5]] * 2, {"labels": [0, 1]}, ValueError, "not in labels"),
        ([0, 1], [[0.5, 0.5]] * 2, {"labels": [0]}, ValueError, "at least 2 classes"),
        ([0, 1], [0.5, 0.5], {"scale_by_half": "yes"}, ValueError, "scale_by_half"),
        ([0, 1], [0.5, 0.5], {"sample_weight": [1.0, -1.0]}, ValueError, "non-negative"),
        ([0, 1], np.ones((2, 2, 2)) / 2, {}, ValueError, "1-D or 2-D"),
        ([0.5, 1.0], [0.5, 0.5], {}, ValueError, "non-integer floats"),
    ],
)
def test_brier_bad_input(y_true, proba, kwargs, error, match):
    with pytest.raises(error, match=match):
        ours.brier_score_loss(y_true, proba, **kwargs)


# ---------------------------------------------------------------------------------------------
# calibration_curve
# ---------------------------------------------------------------------------------------------


@FAST
@given(problem=binary_problems(), n_bins=st.integers(1, 12),
       strategy=st.sampled_from(["uniform", "quantile"]))
def test_calibration_curve_equals_sklearn(problem, n_bins, strategy):
    y_true, proba, _, labels, pos_label = problem
    if pos_label is None and set(labels.tolist()) == {2, 5}:
        pos_label = 5  # neither {0, 1} nor {-1, 1}: both libraries want it named
    kwargs = {"pos_label": pos_label, "n_bins": n_bins, "strategy": strategy}
    for result, expected in zip(ours.calibration_curve(y_true, proba, **kwargs),
                                sk_calibration_curve(y_true, proba, **kwargs), strict=True):
        np.testing.assert_allclose(result, expected, rtol=1e-14, atol=1e-15)


def test_calibration_curve_closed_form():
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0])
    prob_true, prob_pred = ours.calibration_curve(y, p, n_bins=3)
    # Bins (0, 1/3], (1/3, 2/3], (2/3, 1]: {.1, .2, .3}, {.4, .65}, {.7, .8, .9, 1}.
    np.testing.assert_allclose(prob_true, [0, 0.5, 1])
    np.testing.assert_allclose(prob_pred, [0.2, 0.525, 0.85])
    # A probability on an inner edge belongs to the bin below it; empty bins are dropped.
    # Four bins: 0.5 is the top of (0.25, 0.5], 0.9 in (0.75, 1], the other two are empty.
    prob_true, prob_pred = ours.calibration_curve([0, 1, 1], [0.5, 0.5, 0.9], n_bins=4)
    np.testing.assert_allclose(prob_true, [0.5, 1.0])
    np.testing.assert_allclose(prob_pred, [0.5, 0.9])
    # Quantile bins hold equal counts.
    rng = np.random.default_rng(0)
    p = rng.random(100)
    prob_true, _ = ours.calibration_curve((rng.random(100) < p).astype(int), p, n_bins=4,
                                          strategy="quantile")
    assert prob_true.shape == (4,)


@pytest.mark.parametrize(
    ("y_true", "proba", "kwargs", "error", "match"),
    [
        ([0, 1], [0.5, 1.2], {}, ValueError, r"\[0, 1\]"),
        ([0, 1], [0.5, np.nan], {}, ValueError, "NaN"),
        ([0, 0, 0], [0.1, 0.2, 0.3], {}, ValueError, "only one class"),
        ([0, 1, 2], [0.1, 0.2, 0.3], {}, ValueError, "needs a binary problem"),
        (["a", "b"], [0.1, 0.2], {}, ValueError, "pass pos_label"),
        ([2, 5], [0.1, 0.2], {}, ValueError, "pass pos_label"),
        ([0, 1], [0.1, 0.2], {"pos_label": 3}, ValueError, "not a valid label"),
        ([0, 1], [[0.9, 0.1], [0.2, 0.8]], {}, ValueError, r"pass y_prob\[:, 1\]"),
        ([0, 1], [0.1, 0.2, 0.3], {}, ValueError, "Inconsistent numbers of samples"),
        ([0, 1], [0.1, 0.2], {"n_bins": 0}, ValueError, "n_bins"),
        ([0, 1], [0.1, 0.2], {"n_bins": 2.5}, TypeError, "n_bins must be an int"),
        ([0, 1], [0.1, 0.2], {"strategy": "kmeans"}, ValueError, "strategy must be one of"),
    ],
)
def test_calibration_curve_bad_input(y_true, proba, kwargs, error, match):
    with pytest.raises(error, match=match):
        ours.calibration_curve(y_true, proba, **kwargs)
