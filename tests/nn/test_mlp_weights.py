"""Sample weights in the MLP estimators: the same training trajectory as scikit-learn's weighted
MLPs (≥ 1.7) from the same initial weights, the weight invariances on full batches, weighted
early stopping, and several regression targets."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch.nn import MLPClassifier, MLPRegressor
from fromscratch.nn.mlp import ConvergenceWarning
from tolerance import assert_close_to_scale

sk_nn = pytest.importorskip("sklearn.neural_network")

pytestmark = pytest.mark.filterwarnings("ignore::fromscratch.nn.mlp.ConvergenceWarning")


def _data(kind, n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    if kind == "binary":
        y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(int)
    elif kind == "multiclass":
        y = np.digitize(X[:, 0] + 0.5 * rng.normal(size=n), [-0.5, 0.5])
    else:  # two regression targets
        y = np.column_stack([np.sin(X[:, 0]) + X[:, 1], X[:, 2] ** 2])
    return X, y, rng.uniform(0.0, 3.0, size=n)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "regression"])
@pytest.mark.parametrize("batch_size", [60, 16])
def test_weighted_training_follows_scikit_learn(kind, batch_size):
    """Plain SGD, batches in order (no shuffle), from the same initial weights: every step of
    scikit-learn's weighted MLP (weighted batch mean, penalty α/(2 Σ_B w)) is ours, so the
    weights after 30 epochs agree to rounding — for full batches and for mini-batches, whose
    weight sums differ from batch to batch.

    One regression target: with several, scikit-learn's squared-error gradient is that of the
    sum over outputs while its loss is their mean (scikit-learn issue #8349), whereas ours
    differentiates the loss it reports."""
    X, y, w = _data(kind)
    if kind == "regression":
        y = y[:, 0]
    hidden, alpha, lr, epochs = (5, 4), 0.1, 0.1, 30
    Ours, Reference = ((MLPRegressor, sk_nn.MLPRegressor) if kind == "regression"
                       else (MLPClassifier, sk_nn.MLPClassifier))
    common = dict(hidden_layer_sizes=hidden, activation="tanh", alpha=alpha, batch_size=batch_size,
                  learning_rate_init=lr, shuffle=False, tol=0.0, n_iter_no_change=10**6)
    ours = Ours(optimizer="sgd", max_iter=epochs, random_state=0, **common)
    n_outputs = 3 if kind == "multiclass" else 1
    coefs, intercepts = ours._initial_parameters([3, *hidden, n_outputs], "tanh",
                                                 np.random.default_rng(0), np.float64)
    ours.fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(ours.coefs_[0].shape, (3, 5))  # the start we gave the reference
    reference = Reference(solver="sgd", momentum=0.0, nesterovs_momentum=False, max_iter=1,
                          warm_start=True, **common)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its ConvergenceWarning after one epoch
        reference.fit(X, y, sample_weight=w)  # sets up its layers; then our start replaces them
        reference.coefs_ = [c.copy() for c in coefs]
        reference.intercepts_ = [b.copy() for b in intercepts]
        reference.set_params(max_iter=epochs).fit(X, y, sample_weight=w)
    for ours_W, ref_W in zip(ours.coefs_ + ours.intercepts_,
                             reference.coefs_ + reference.intercepts_, strict=True):
        assert_close_to_scale(ours_W, ref_W, 1e-10)
    # the loss curve: each epoch's batch losses averaged by batch size, as scikit-learn's
    assert_close_to_scale(ours.loss_curve_, reference.loss_curve_[1:], 1e-10)


FULL_BATCH = dict(hidden_layer_sizes=(4,), activation="tanh", batch_size=10**6, shuffle=False,
                  max_iter=40, learning_rate_init=0.05, random_state=0, tol=0.0,
                  n_iter_no_change=10**6)


@pytest.mark.parametrize("kind", ["binary", "multiclass", "regression"])
@settings(max_examples=10, deadline=None)
@given(counts=st.lists(st.integers(0, 3), min_size=30, max_size=30))
def test_full_batch_weights_repeat_and_drop_rows(kind, counts):
    """On full batches an integer weight is a repeated row and a zero weight a dropped one
    (the batch is the data set, and the weighted mean is the mean of the repeated rows)."""
    X, y, _ = _data(kind, n=30)
    counts = np.asarray(counts)
    if counts.sum() == 0 or (kind != "regression"
                             and np.unique(y[counts > 0]).size != np.unique(y).size):
        return  # nothing left, or a class lost: another problem
    Model = MLPRegressor if kind == "regression" else MLPClassifier
    weighted = Model(**FULL_BATCH).fit(X, y, sample_weight=counts)
    repeated = Model(**FULL_BATCH).fit(np.repeat(X, counts, axis=0), np.repeat(y, counts, axis=0))
    for a, b in zip(weighted.coefs_ + weighted.intercepts_,
                    repeated.coefs_ + repeated.intercepts_, strict=True):
        assert_close_to_scale(a, b, 1e-10)


@pytest.mark.parametrize("Model", [MLPClassifier, MLPRegressor])
def test_unit_weights_are_no_weights(Model):
    X, y, _ = _data("multiclass" if Model is MLPClassifier else "regression")
    params = dict(hidden_layer_sizes=(6,), max_iter=20, batch_size=16, random_state=0)
    plain = Model(**params).fit(X, y)
    unit = Model(**params).fit(X, y, sample_weight=np.ones(len(X)))
    for a, b in zip(plain.coefs_, unit.coefs_, strict=True):
        assert_close_to_scale(b, a, 1e-12)


def test_a_batch_without_weight_takes_no_gradient_step():
    """Plain SGD: a batch whose weights are all zero leaves the weights where they were."""
    X, y, _ = _data("regression", n=20)
    w = np.r_[np.ones(10), np.zeros(10)]
    params = dict(hidden_layer_sizes=(3,), optimizer="sgd", batch_size=10, shuffle=False,
                  max_iter=5, random_state=0)
    half = MLPRegressor(**params).fit(X, y, sample_weight=w)
    first_half = MLPRegressor(**params).fit(X[:10], y[:10])
    for a, b in zip(half.coefs_, first_half.coefs_, strict=True):
        assert_close_to_scale(a, b, 1e-12)


def test_weighted_early_stopping_scores_the_validation_split_with_its_weights():
    X, y, w = _data("multiclass", n=200)
    model = MLPClassifier((8,), early_stopping=True, validation_fraction=0.25, max_iter=30,
                          tol=0.0, random_state=0).fit(X, y, sample_weight=w)
    # The same draws as fit: the initial weights, then the validation split.
    from fromscratch.optim.training import validation_split

    rng = np.random.default_rng(0)
    model._initial_parameters([3, 8, 3], "relu", rng, np.float64)
    _, val = validation_split(len(X), 0.25, rng, stratify=y)
    # fit restored the best epoch (tol=0: every strict improvement counts), whose score is the
    # weighted accuracy on the held-out rows
    correct = model.predict(X[val]) == y[val]
    assert model.best_validation_score_ == pytest.approx(
        np.sum(w[val] * correct) / np.sum(w[val]), rel=1e-12)
    assert model.best_validation_score_ != pytest.approx(np.mean(correct), rel=1e-6)


def test_weights_that_leave_one_class_are_refused():
    X, y, _ = _data("binary")
    with pytest.raises(ValueError, match=r"only the class \[1\].*at least two classes"):
        MLPClassifier().fit(X, y, sample_weight=(y == 1).astype(float))
    with pytest.raises(ValueError, match="sample_weight has 3 entries but there are 60 samples"):
        MLPRegressor().fit(X, y, sample_weight=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        MLPClassifier().fit(X, y, sample_weight=-np.ones(len(y)))


def test_several_targets_have_one_output_each():
    X, y, w = _data("regression")
    model = MLPRegressor((6,), max_iter=50, random_state=0).fit(X, y, sample_weight=w)
    assert model.n_outputs_ == 2 and model.coefs_[-1].shape == (6, 2)
    assert model.predict(X).shape == (60, 2)
    column = MLPRegressor((6,), max_iter=5, random_state=0).fit(X, y[:, :1])
    assert column.n_outputs_ == 1 and column.predict(X).shape == (60,)  # as scikit-learn
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # filtered module-wide; not here
        with pytest.raises(ConvergenceWarning):
            MLPRegressor((6,), max_iter=2, random_state=0).fit(X, y)
