"""fromscratch.metrics against scikit-learn (the reference) and against closed forms."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch import metrics as ours
from fromscratch._validation import _encode, _unique_labels

sk = pytest.importorskip("sklearn.metrics")

FAST = settings(max_examples=25, deadline=None)


@pytest.fixture(autouse=True)
def _quiet_undefined_metric_warnings():
    # Both libraries warn on zero divisions; the values are what we compare here. Tests that
    # check the warning itself use pytest.warns, which overrides this filter.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ours.UndefinedMetricWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module="sklearn")
        yield


# ---------------------------------------------------------------------------------------------
# Regression
# ---------------------------------------------------------------------------------------------

REGRESSION = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error", "r2_score"]


@FAST
@given(
    n=st.integers(2, 30),
    n_outputs=st.integers(1, 3),
    weighted=st.booleans(),
    multioutput=st.sampled_from(["raw_values", "uniform_average", "weights"]),
    seed=st.integers(0, 2**16),
)
def test_regression_metrics_equal_sklearn(n, n_outputs, weighted, multioutput, seed):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(size=(n, n_outputs))
    y_pred = y_true + rng.normal(size=(n, n_outputs))
    weight = rng.random(n) + 0.01 if weighted else None
    if multioutput == "weights":  # sklearn allows custom output weights for 2+ outputs only
        multioutput = rng.random(n_outputs) if n_outputs > 1 else "uniform_average"
    if n_outputs == 1:
        y_true, y_pred = y_true.ravel(), y_pred.ravel()
    for name in REGRESSION:
        kwargs = {"sample_weight": weight, "multioutput": multioutput}
        expected = getattr(sk, name)(y_true, y_pred, **kwargs)
        np.testing.assert_allclose(getattr(ours, name)(y_true, y_pred, **kwargs), expected,
                                   rtol=1e-12, err_msg=name)


def test_r2_variance_weighted_and_constant_targets_match_sklearn():
    y_true = np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]])
    for y_pred in (y_true, y_true + [[0.5, 0.0]] * 3, y_true + 1.0):
        for force_finite in (True, False):
            for multioutput in ("raw_values", "uniform_average", "variance_weighted"):
                kwargs = {"multioutput": multioutput, "force_finite": force_finite}
                with np.errstate(all="ignore"):
                    expected = sk.r2_score(y_true, y_pred, **kwargs)
                np.testing.assert_allclose(ours.r2_score(y_true, y_pred, **kwargs), expected)


def test_r2_closed_form_and_python_float():
    # R² of predicting the mean is 0; of a perfect fit is 1.
    y = np.array([1.0, 2.0, 6.0])
    assert ours.r2_score(y, np.full(3, y.mean())) == pytest.approx(0.0, abs=1e-15)
    assert ours.r2_score(y, y) == 1.0
    assert type(ours.r2_score(y, y)) is float
    assert type(ours.mean_squared_error(y, y)) is float


def test_regression_float32_inputs():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.normal(size=(2, 40)).astype(np.float32)
    for name in REGRESSION:
        np.testing.assert_allclose(getattr(ours, name)(y_true, y_pred),
                                   getattr(sk, name)(y_true, y_pred), rtol=1e-5)


@pytest.mark.parametrize("name", REGRESSION)
@pytest.mark.parametrize(
    ("y_true", "y_pred", "match"),
    [
        ([1.0, 2.0, 3.0], [1.0, 2.0], "Inconsistent numbers of samples"),
        ([], [], "0 samples"),
        ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0], "NaN"),
        ([[1.0, 2.0], [3.0, 4.0]], [[1.0], [2.0]], "output"),
    ],
)
def test_regression_bad_input(name, y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        getattr(ours, name)(y_true, y_pred)


def test_regression_bad_arguments():
    y = [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="sample_weight has 2 entries"):
        ours.mean_squared_error(y, y, sample_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="non-negative"):
        ours.mean_squared_error(y, y, sample_weight=[1.0, -2.0, 1.0])
    with pytest.raises(ValueError, match="sums to 0"):
        ours.mean_squared_error(y, y, sample_weight=[0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="Did you mean 'raw_values'"):
        ours.mean_squared_error(y, y, multioutput="raw_value")
    with pytest.raises(ValueError, match="variance_weighted"):
        ours.mean_squared_error(y, y, multioutput="variance_weighted")
    with pytest.raises(ValueError, match="at least 2 samples"):
        ours.r2_score([1.0], [2.0])
    with pytest.raises(TypeError, match="strings"):
        ours.mean_absolute_error(["a", "b"], [1.0, 2.0])


# ---------------------------------------------------------------------------------------------
# Classification from labels
# ---------------------------------------------------------------------------------------------

LABEL_SETS = {
    "int": np.array([0, 1, 2, 3]),
    "str": np.array(["ant", "bee", "cat", "dog"]),
    "float": np.array([-1.0, 1.0, 2.0, 5.0]),
}


@st.composite
def label_problems(draw, max_classes=4):
    kind = draw(st.sampled_from(sorted(LABEL_SETS)))
    n_classes = draw(st.integers(1, max_classes))
    n = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    labels = LABEL_SETS[kind][:n_classes]
    y_true = labels[rng.integers(0, n_classes, n)]
    y_pred = np.where(rng.random(n) < 0.6, y_true, labels[rng.integers(0, n_classes, n)])
    weight = None
    if draw(st.booleans()):
        weight = rng.random(n) * (rng.random(n) > 0.2)  # some zero weights
        weight[0] += 0.5
    return y_true, y_pred, weight, labels


@FAST
@given(problem=label_problems(), normalize=st.booleans())
def test_accuracy_equals_sklearn(problem, normalize):
    y_true, y_pred, weight, _ = problem
    expected = sk.accuracy_score(y_true, y_pred, normalize=normalize, sample_weight=weight)
    assert ours.accuracy_score(y_true, y_pred, normalize=normalize,
                               sample_weight=weight) == pytest.approx(expected, rel=1e-12)


@FAST
@given(problem=label_problems(), adjusted=st.booleans())
def test_balanced_accuracy_equals_sklearn(problem, adjusted):
    y_true, y_pred, weight, _ = problem
    w = np.ones(len(y_true)) if weight is None else weight
    n_classes = len(np.unique(y_true[w > 0]))  # classes with a recall
    if adjusted and n_classes < 2:
        with pytest.raises(ValueError, match="at least 2 classes"):
            ours.balanced_accuracy_score(y_true, y_pred, sample_weight=weight, adjusted=True)
        return
    expected = sk.balanced_accuracy_score(y_true, y_pred, sample_weight=weight,
                                          adjusted=adjusted)
    result = ours.balanced_accuracy_score(y_true, y_pred, sample_weight=weight,
                                          adjusted=adjusted)
    assert result == pytest.approx(expected, rel=1e-12, abs=1e-12)  # adjusted crosses zero


def test_balanced_accuracy_is_the_mean_recall_and_class_weighted_accuracy():
    # 95 negatives, 5 positives, all predicted negative: accuracy 0.95, mean recall 0.5.
    y_true, y_pred = np.r_[np.zeros(95), np.ones(5)], np.zeros(100)
    assert ours.accuracy_score(y_true, y_pred) == 0.95
    assert ours.balanced_accuracy_score(y_true, y_pred) == 0.5
    assert ours.balanced_accuracy_score(y_true, y_pred, adjusted=True) == 0.0
    # = accuracy with every sample weighted by 1 / (K n_k).
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 3, 50), rng.integers(0, 3, 50)
    counts = np.bincount(y_true)
    assert ours.balanced_accuracy_score(y_true, y_pred) == pytest.approx(
        ours.accuracy_score(y_true, y_pred, sample_weight=1 / counts[y_true]), rel=1e-14)


def test_balanced_accuracy_warns_for_classes_only_predicted_and_checks_input():
    with pytest.warns(ours.UndefinedMetricWarning, match=r"classes \[2\] occur in y_pred"):
        assert ours.balanced_accuracy_score([0, 1, 1], [0, 2, 1]) == 0.75
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        ours.balanced_accuracy_score([0, 1], [0, 1, 1])
    with pytest.raises(TypeError, match="adjusted must be True or False"):
        ours.balanced_accuracy_score([0, 1], [0, 1], adjusted="yes")
    with pytest.raises(ValueError, match="sample_weight has 1 entries"):
        ours.balanced_accuracy_score([0, 1], [0, 1], sample_weight=[1.0])


@FAST
@given(problem=label_problems(), normalize=st.sampled_from([None, "true", "pred", "all"]),
       subset=st.booleans())
def test_confusion_matrix_equals_sklearn(problem, normalize, subset):
    y_true, y_pred, weight, labels = problem
    # A reversed subset of labels that includes one label of y_true (sklearn requires it).
    label_list = None
    if subset:
        label_list = np.unique(np.r_[labels[::2], y_true[:1]])[::-1]
    kwargs = {"labels": label_list, "sample_weight": weight, "normalize": normalize}
    expected = sk.confusion_matrix(y_true, y_pred, **kwargs)
    result = ours.confusion_matrix(y_true, y_pred, **kwargs)
    np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-15)
    assert result.dtype.kind == expected.dtype.kind


def test_confusion_matrix_integer_weights_give_integer_counts():
    result = ours.confusion_matrix([0, 1, 1], [0, 1, 0], sample_weight=np.array([2, 3, 1]))
    np.testing.assert_array_equal(result, [[2, 0], [1, 3]])
    assert result.dtype == np.int64


PRF = ["precision_score", "recall_score", "f1_score"]


@FAST
@given(problem=label_problems(),
       average=st.sampled_from([None, "micro", "macro", "weighted"]),
       zero_division=st.sampled_from(["warn", 0.0, 1.0, np.nan]),
       beta=st.sampled_from([0.0, 0.5, 2.0, np.inf]),
       with_labels=st.booleans())
def test_precision_recall_f_equal_sklearn_multiclass(problem, average, zero_division, beta,
                                                     with_labels):
    y_true, y_pred, weight, labels = problem
    kwargs = {"average": average, "sample_weight": weight, "zero_division": zero_division}
    if with_labels:
        kwargs["labels"] = labels[::-1]  # may include labels that never occur
    for name in PRF:
        expected = getattr(sk, name)(y_true, y_pred, **kwargs)
        np.testing.assert_allclose(getattr(ours, name)(y_true, y_pred, **kwargs), expected,
                                   rtol=1e-12, err_msg=name)
    expected = sk.fbeta_score(y_true, y_pred, beta=beta, **kwargs)
    np.testing.assert_allclose(ours.fbeta_score(y_true, y_pred, beta=beta, **kwargs), expected,
                               rtol=1e-12)
    expected = sk.precision_recall_fscore_support(y_true, y_pred, beta=beta, **kwargs)
    result = ours.precision_recall_fscore_support(y_true, y_pred, beta=beta, **kwargs)
    for r, e in zip(result, expected, strict=True):
        if e is None:
            assert r is None
        else:
            np.testing.assert_allclose(r, e, rtol=1e-12)


@FAST
@given(problem=label_problems(max_classes=2), zero_division=st.sampled_from(["warn", 1.0]))
def test_binary_average_equals_sklearn(problem, zero_division):
    y_true, y_pred, weight, labels = problem
    pos_label = labels[-1] if len(labels) == 2 else labels[0]
    for name in PRF:
        kwargs = {"pos_label": pos_label, "sample_weight": weight,
                  "zero_division": zero_division}
        expected = getattr(sk, name)(y_true, y_pred, **kwargs)
        assert getattr(ours, name)(y_true, y_pred, **kwargs) == pytest.approx(expected, rel=1e-12)


def test_boolean_and_string_labels():
    y_true = np.array([True, False, True, True])
    y_pred = np.array([True, True, False, True])
    for name in PRF:
        assert getattr(ours, name)(y_true, y_pred) == getattr(sk, name)(y_true, y_pred)
    y_true = ["spam", "ham", "spam", "spam"]
    y_pred = ["spam", "spam", "ham", "spam"]
    assert ours.f1_score(y_true, y_pred, pos_label="spam") == sk.f1_score(
        y_true, y_pred, pos_label="spam")
    np.testing.assert_array_equal(ours.confusion_matrix(y_true, y_pred),
                                  sk.confusion_matrix(y_true, y_pred))


def test_f1_closed_form():
    # TP = 2, FP = 1, FN = 1: P = R = 2/3, F1 = 2TP / (2TP + FP + FN) = 4/6.
    assert ours.f1_score([1, 1, 1, 0], [1, 1, 0, 1]) == pytest.approx(2 / 3)


def test_single_scores_have_sklearns_signatures_and_documented_parameters():
    # precision_score, recall_score, fbeta_score and f1_score are declared from
    # precision_recall_fscore_support; a user (and the API docs) must see real signatures.
    for name in [*PRF, "fbeta_score", "precision_recall_fscore_support"]:
        function, reference = getattr(ours, name), getattr(sk, name)
        assert function.__name__ == name
        parameters = inspect.signature(function).parameters.values()
        expected = inspect.signature(reference).parameters.values()
        assert [(p.name, p.kind, p.default) for p in parameters] == [
            (p.name, p.kind, p.default) for p in expected]
        documented = [p.name for p in parameters if p.name not in ("y_true", "y_pred")]
        assert all(f"\n    {p} :" in function.__doc__ for p in documented), name
    with pytest.raises(TypeError, match=r"f1_score\(\) got an unexpected keyword argument 'beta'"):
        ours.f1_score([0, 1], [0, 1], beta=2.0)
    with pytest.raises(TypeError, match=r"fbeta_score\(\) missing a required argument: 'beta'"):
        ours.fbeta_score([0, 1], [0, 1])
    with pytest.raises(TypeError, match=r"precision_score\(\) too many positional"):
        ours.precision_score([0, 1], [0, 1], None)


@FAST
@given(y=st.lists(st.integers(-3, 3), min_size=1, max_size=20),
       extra=st.lists(st.integers(-5, 5), max_size=4), seed=st.integers(0, 2**16))
def test_label_lookup_shared_by_metrics_encoders_and_classifiers(y, extra, seed):
    rng = np.random.default_rng(seed)
    y = np.array(y)
    known = rng.permutation(np.unique(np.r_[rng.choice(y, size=len(y) // 2), extra]))
    index, found = _encode(y, known)  # labels in any order; absent ones are flagged
    np.testing.assert_array_equal(found, np.isin(y, known))
    np.testing.assert_array_equal(known[index[found]], y[found])
    np.testing.assert_array_equal(_unique_labels(y, np.array(extra, dtype=int)),
                                  np.unique(np.r_[y, extra]))


def test_unsortable_labels_are_named_not_numpys_error():
    with pytest.raises(TypeError, match="cannot be sorted"):
        _unique_labels(np.array(["a", "b"], dtype=object), np.array([1, 2], dtype=object))


def test_zero_division_warns():
    with pytest.warns(ours.UndefinedMetricWarning, match="Precision is ill-defined"):
        assert ours.precision_score([1, 0], [0, 0]) == 0.0
    assert ours.precision_score([1, 0], [0, 0], zero_division=1) == 1.0
    assert np.isnan(ours.precision_score([1, 0], [0, 0], zero_division=np.nan))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ours.accuracy_score([0, 1, 1], [0, 1]), ValueError, "y_true has 3, y_pred has 2"),
        (lambda: ours.accuracy_score([], []), ValueError, "0 samples"),
        (lambda: ours.accuracy_score([0.0, np.nan], [0, 1]), ValueError, "NaN"),
        (lambda: ours.accuracy_score(["a", None], ["a", "b"]), ValueError, "missing label"),
        (lambda: ours.accuracy_score(["a", "b"], [0, 1]), TypeError, "Labels mix types"),
        (lambda: ours.accuracy_score([0, 1], [0.2, 0.9]), ValueError, "non-integer floats"),
        (lambda: ours.accuracy_score(np.array(["a", 1], dtype=object), ["a", "b"]), TypeError,
         "mixes string and number"),
        (lambda: ours.f1_score([0, 1, 2], [0, 1, 2]), ValueError, "average='binary'"),
        (lambda: ours.f1_score(["a", "b"], ["a", "b"]), ValueError,
         "pos_label=1 is not a valid label"),
        (lambda: ours.f1_score([0, 1, 2], [0, 1, 2], average="macr"), ValueError,
         "Did you mean 'macro'"),
        (lambda: ours.f1_score([0, 1], [0, 1], zero_division=0.5), ValueError, "zero_division"),
        (lambda: ours.fbeta_score([0, 1], [0, 1], beta=-1), ValueError, "beta"),
        (lambda: ours.fbeta_score([0, 1], [0, 1], beta=np.nan), ValueError, "beta must be a "
         "number, got NaN"),
        (lambda: ours.classification_report([0, 1], [0, 1], digits=-1), ValueError, "digits"),
        (lambda: ours.confusion_matrix([0, 1], [0, 1], labels=[5, 6]), ValueError,
         "None of the labels"),
        (lambda: ours.confusion_matrix([0, 1], [0, 1], labels=[0, 0]), ValueError, "duplicates"),
        (lambda: ours.confusion_matrix([0, 1], [0, 1], labels=["a"]), TypeError, "same type"),
        (lambda: ours.confusion_matrix([0, 1], [0, 1], normalize="rows"), ValueError,
         "normalize must be one of"),
        (lambda: ours.classification_report([0, 1], [0, 1], target_names=["a"]), ValueError,
         "target_names has 1"),
    ],
)
def test_classification_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


@FAST
@given(problem=label_problems(), with_labels=st.booleans(), digits=st.integers(1, 4))
def test_classification_report_equals_sklearn(problem, with_labels, digits):
    y_true, y_pred, weight, labels = problem
    kwargs = {"labels": labels[:-1] if with_labels and len(labels) > 1 else None,
              "digits": digits}
    if kwargs["labels"] is not None and not np.isin(y_true, kwargs["labels"]).any():
        kwargs["labels"] = labels
    # Text: compared without weights (with float weights the printed support total can
    # differ in the last digit, as the two libraries sum in different orders), and only when
    # some prediction is right: when none is, scikit-learn's support array happens to be
    # float and prints "1.0" instead of "1" (its np.zeros fallback for empty true-positive
    # bins); we always print an unweighted support as a count.
    if (y_true == y_pred).any():
        assert ours.classification_report(y_true, y_pred, **kwargs) == (
            sk.classification_report(y_true, y_pred, **kwargs))
    expected = sk.classification_report(y_true, y_pred, sample_weight=weight, output_dict=True,
                                        **kwargs)
    result = ours.classification_report(y_true, y_pred, sample_weight=weight, output_dict=True,
                                        **kwargs)
    assert list(result) == list(expected)
    for key, value in expected.items():
        if isinstance(value, dict):
            assert list(result[key]) == list(value)
            np.testing.assert_allclose(list(result[key].values()), list(value.values()),
                                       rtol=1e-12)
        else:
            assert result[key] == pytest.approx(value, rel=1e-12)


def test_classification_report_target_names():
    kwargs = {"target_names": ["no", "yes"]}
    assert ours.classification_report([0, 1, 1], [0, 1, 0], **kwargs) == (
        sk.classification_report([0, 1, 1], [0, 1, 0], **kwargs))


# ---------------------------------------------------------------------------------------------
# Probabilities and scores
# ---------------------------------------------------------------------------------------------


@FAST
@given(n=st.integers(2, 40), n_classes=st.integers(2, 4), weighted=st.booleans(),
       normalize=st.booleans(), extreme=st.booleans(), seed=st.integers(0, 2**16))
def test_log_loss_equals_sklearn(n, n_classes, weighted, normalize, extreme, seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, n_classes, n)
    y_true[:n_classes] = np.arange(n_classes)[: min(n, n_classes)]
    if len(np.unique(y_true)) < n_classes:
        return
    proba = rng.dirichlet(np.ones(n_classes), n)
    if extreme:  # exact 0 and 1 probabilities: both clip to [eps, 1 - eps]
        proba = np.eye(n_classes)[rng.integers(0, n_classes, n)]
    weight = rng.random(n) + 0.01 if weighted else None
    kwargs = {"normalize": normalize, "sample_weight": weight}
    expected = sk.log_loss(y_true, proba, **kwargs)
    assert ours.log_loss(y_true, proba, **kwargs) == pytest.approx(expected, rel=1e-12)
    if n_classes == 2:
        assert ours.log_loss(y_true, proba[:, 1], **kwargs) == pytest.approx(expected, rel=1e-12)
        # one column, as brier_score_loss takes it and scikit-learn reads it (it was refused)
        one_column = proba[:, [1]]
        assert ours.log_loss(y_true, one_column, **kwargs) == pytest.approx(
            sk.log_loss(y_true, one_column, **kwargs), rel=1e-12)


def test_log_loss_labels_and_strings():
    proba = np.array([[0.2, 0.5, 0.3], [0.6, 0.2, 0.2]])
    kwargs = {"labels": ["a", "b", "c"]}
    assert ours.log_loss(["a", "b"], proba, **kwargs) == pytest.approx(
        sk.log_loss(["a", "b"], proba, **kwargs))
    # closed form: mean of -log p(true class)
    assert ours.log_loss(["a", "b"], proba, **kwargs) == pytest.approx(
        -(np.log(0.2) + np.log(0.2)) / 2)


@pytest.mark.parametrize(
    ("y_true", "proba", "kwargs", "match"),
    [
        ([0, 0], [0.1, 0.2], {}, "only one label"),
        ([0, 1], [[0.5, 0.6], [0.5, 0.5]], {}, "sum to 1"),
        ([0, 1], [1.2, 0.5], {}, r"\[0, 1\]"),
        ([0, 1, 2], [[0.5, 0.5]] * 3, {}, "2 columns but there are 3 classes"),
        ([0, 3], [0.5, 0.5], {"labels": [0, 1]}, "not in labels"),
        ([0, 1], [0.5, 0.5, 0.5], {}, "Inconsistent numbers of samples"),
        ([0, 1], [0.5, np.nan], {}, "NaN"),
    ],
)
def test_log_loss_bad_input(y_true, proba, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ours.log_loss(y_true, proba, **kwargs)


@st.composite
def scored_binary_problems(draw):
    n = draw(st.integers(2, 50))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, n)
    y_true[:2] = [0, 1]
    # Few distinct score values, so ties between positives and negatives are common.
    levels = draw(st.integers(1, 8))
    y_score = np.round(rng.random(n) * levels) / levels + 0.3 * y_true * rng.random(n)
    weight = None
    if draw(st.booleans()):
        weight = rng.random(n) * (rng.random(n) > 0.2)
        weight[:2] += 0.5  # keep one positive and one negative with positive weight
    return y_true, y_score, weight


@FAST
@given(problem=scored_binary_problems(), drop_intermediate=st.booleans())
def test_roc_curve_equals_sklearn(problem, drop_intermediate):
    y_true, y_score, weight = problem
    kwargs = {"sample_weight": weight, "drop_intermediate": drop_intermediate}
    expected = sk.roc_curve(y_true, y_score, **kwargs)
    result = ours.roc_curve(y_true, y_score, **kwargs)
    for r, e in zip(result, expected, strict=True):
        assert r.shape == e.shape
        np.testing.assert_allclose(r, e, rtol=1e-12)


def _mann_whitney_auc(y_true, y_score, weight):
    """P(s+ > s-) + ½P(s+ = s-) by brute force over all (positive, negative) pairs."""
    weight = np.ones(len(y_true)) if weight is None else weight
    pos, neg = y_true == 1, y_true == 0
    s_pos, s_neg = y_score[pos][:, None], y_score[neg][None, :]
    pair_weight = weight[pos][:, None] * weight[neg][None, :]
    wins = (s_pos > s_neg) + 0.5 * (s_pos == s_neg)
    return (pair_weight * wins).sum() / pair_weight.sum()


@FAST
@given(problem=scored_binary_problems(), max_fpr=st.sampled_from([None, 0.25, 0.7, 1.0]))
def test_roc_auc_equals_sklearn_and_mann_whitney(problem, max_fpr):
    y_true, y_score, weight = problem
    result = ours.roc_auc_score(y_true, y_score, sample_weight=weight, max_fpr=max_fpr)
    expected = sk.roc_auc_score(y_true, y_score, sample_weight=weight, max_fpr=max_fpr)
    assert result == pytest.approx(expected, rel=1e-12)
    if max_fpr is None:
        assert result == pytest.approx(_mann_whitney_auc(y_true, y_score, weight), rel=1e-12)


def test_roc_with_string_labels_and_pos_label():
    y_true = np.array(["no", "yes", "yes", "no", "yes"])
    y_score = np.array([0.1, 0.8, 0.3, 0.3, 0.9])
    for r, e in zip(ours.roc_curve(y_true, y_score, pos_label="yes"),
                    sk.roc_curve(y_true, y_score, pos_label="yes"), strict=True):
        np.testing.assert_allclose(r, e)
    assert ours.roc_auc_score(y_true, y_score) == sk.roc_auc_score(y_true, y_score)


@FAST
@given(n=st.integers(6, 50), n_classes=st.integers(3, 4), weighted=st.booleans(),
       seed=st.integers(0, 2**16))
def test_multiclass_roc_auc_equals_sklearn(n, n_classes, weighted, seed):
    rng = np.random.default_rng(seed)
    y_true = np.r_[np.arange(n_classes), rng.integers(0, n_classes, n - n_classes)]
    proba = rng.dirichlet(np.ones(n_classes), n).round(1)
    proba /= proba.sum(axis=1, keepdims=True)
    weight = rng.random(n) + 0.01 if weighted else None
    for average in (None, "micro", "macro", "weighted"):
        kwargs = {"multi_class": "ovr", "average": average, "sample_weight": weight}
        np.testing.assert_allclose(ours.roc_auc_score(y_true, proba, **kwargs),
                                   sk.roc_auc_score(y_true, proba, **kwargs), rtol=1e-12)
    for average in ("macro", "weighted"):
        kwargs = {"multi_class": "ovo", "average": average}
        assert ours.roc_auc_score(y_true, proba, **kwargs) == pytest.approx(
            sk.roc_auc_score(y_true, proba, **kwargs), rel=1e-12)


def test_multiclass_roc_auc_with_labels():
    proba = np.array([[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    y_true = ["a", "b", "c", "b"]
    kwargs = {"multi_class": "ovr", "labels": ["a", "b", "c"]}
    assert ours.roc_auc_score(y_true, proba, **kwargs) == sk.roc_auc_score(
        y_true, proba, **kwargs)


def test_multiclass_roc_auc_with_a_class_absent_from_y_true():
    """A class of labels missing from y_true weighs 0 in the prevalence-weighted one-vs-rest
    mean (and pools in 'micro'): scikit-learn's value. Its own AUC is undefined, so the
    other averages raise naming it (scikit-learn returns NaN or drops its pairs); they used to
    fail with "y_true has no positive samples", naming no class."""
    proba = np.array([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.6, 0.2, 0.2], [0.1, 0.6, 0.3],
                      [0.3, 0.3, 0.4]])
    y_true = [0, 1, 0, 1, 1]
    for average in ("weighted", "micro"):
        kwargs = {"multi_class": "ovr", "labels": [0, 1, 2], "average": average}
        assert ours.roc_auc_score(y_true, proba, **kwargs) == pytest.approx(
            sk.roc_auc_score(y_true, proba, **kwargs), rel=1e-12)
    for multi_class, average in [("ovr", "macro"), ("ovr", None), ("ovo", "macro")]:
        with pytest.raises(ValueError, match=r"classes \[2\] of labels do not occur"):
            ours.roc_auc_score(y_true, proba, multi_class=multi_class, average=average,
                               labels=[0, 1, 2])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ours.roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3]), "Only one class"),
        (lambda: ours.roc_curve([1, 1, 1], [0.1, 0.2, 0.3]), "no negative samples"),
        (lambda: ours.roc_curve([0, 0], [0.1, 0.2]), "no positive samples"),
        (lambda: ours.roc_curve([0, 1], [0.1, 0.2], sample_weight=[1, 0]), "no positive"),
        (lambda: ours.roc_curve(["a", "b"], [0.1, 0.2]), "pass pos_label"),
        (lambda: ours.roc_curve([0, 1, 2], [0.1, 0.2, 0.3]), "3 classes"),
        (lambda: ours.roc_curve([0, 1], [0.1, np.nan]), "NaN"),
        (lambda: ours.roc_curve([0, 1], [0.1]), "Inconsistent"),
        (lambda: ours.roc_auc_score([0, 1], [[0.9, 0.1], [0.2, 0.8]]), r"Pass y_proba\[:, 1\]"),
        (lambda: ours.roc_auc_score([0, 1], [0.1, 0.2], max_fpr=0), "max_fpr"),
        (lambda: ours.roc_auc_score([0, 1, 2], np.eye(3)), "multi_class='ovr'"),
        (lambda: ours.roc_auc_score([0, 1, 2], np.eye(3) * 2, multi_class="ovr"), "sum to 1"),
        (lambda: ours.roc_auc_score([0, 1, 2], np.eye(3), multi_class="ovo", average="micro"),
         "average must be one of"),
        (lambda: ours.roc_auc_score([0, 1, 2], [[0.5, 0.5]] * 3, multi_class="ovr"),
         "but y_score has 2 columns"),
    ],
)
def test_roc_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
