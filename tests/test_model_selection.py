"""fromscratch.model_selection against scikit-learn, mlxtend and closed forms."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch import model_selection as ms
from fromscratch.base import BaseEstimator, RegressorMixin
from fromscratch.model_selection import (
    KFold,
    StratifiedKFold,
    bias_variance_decomposition,
    cross_val_score,
    learning_curve,
    train_test_split,
    validation_curve,
)

sk = pytest.importorskip("sklearn.model_selection")
pd = pytest.importorskip("pandas")
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge  # noqa: E402

FAST = settings(max_examples=30, deadline=None)


class _Polynomial(RegressorMixin, BaseEstimator):
    """Least-squares polynomial in one feature (ours: its score is fromscratch's R²)."""

    def __init__(self, degree=1):
        self.degree = degree

    def _design(self, X):
        return np.vander(X[:, 0], self.degree + 1)

    def fit(self, X, y):
        X, y = self._validate_fit(X, y)
        self.coef_ = np.polyfit(X[:, 0], y, self.degree)
        return self

    def predict(self, X):
        return self._design(self._validate_predict(X)) @ self.coef_


@pytest.fixture
def regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.3 * rng.normal(size=40)
    return X, y


# ---------------------------------------------------------------------------------------------
# train_test_split
# ---------------------------------------------------------------------------------------------


@FAST
@given(n=st.integers(2, 60),
       test=st.one_of(st.none(), st.floats(0.01, 0.99), st.integers(1, 70)),
       train=st.one_of(st.none(), st.floats(0.01, 0.99), st.integers(1, 70)))
def test_train_test_split_sizes_equal_sklearn(n, test, train):
    data = np.arange(n)
    try:
        expected = [len(part) for part in sk.train_test_split(data, test_size=test,
                                                              train_size=train)]
    except ValueError:
        with pytest.raises(ValueError):
            train_test_split(data, test_size=test, train_size=train)
        return
    result = train_test_split(data, test_size=test, train_size=train, random_state=0)
    assert [len(part) for part in result] == expected
    assert len(np.intersect1d(result[0], result[1])) == 0  # disjoint


def test_train_test_split_keeps_rows_together_and_types():
    X = pd.DataFrame({"a": np.arange(10), "b": np.arange(10) * 10})
    y = pd.Series(np.arange(10) * 100)
    labels = list("abcdefghij")
    X_train, X_test, y_train, y_test, l_train, l_test = train_test_split(
        X, y, labels, test_size=3, random_state=1)
    assert isinstance(X_train, pd.DataFrame) and isinstance(y_test, pd.Series)
    assert isinstance(l_train, list) and len(l_test) == 3
    np.testing.assert_array_equal(X_train["b"].to_numpy() * 10, y_train.to_numpy())
    assert [labels.index(v) for v in l_test] == list(X_test["a"])


def test_train_test_split_reproducible_and_unshuffled():
    data = np.arange(20)
    first = train_test_split(data, random_state=3)
    second = train_test_split(data, random_state=3)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    generator_parts = train_test_split(data, random_state=np.random.default_rng(3))
    assert sorted(np.r_[generator_parts[0], generator_parts[1]]) == list(range(20))
    # shuffle=False: the same split as scikit-learn, not only the same sizes
    for a, b in zip(train_test_split(data, shuffle=False, test_size=0.3),
                    sk.train_test_split(data, shuffle=False, test_size=0.3), strict=True):
        np.testing.assert_array_equal(a, b)


@FAST
@given(counts=st.lists(st.integers(2, 15), min_size=2, max_size=4),
       test_size=st.floats(0.2, 0.5), seed=st.integers(0, 2**16))
def test_stratified_split_class_counts_equal_sklearn(counts, test_size, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    try:
        expected = sk.train_test_split(y, test_size=test_size, stratify=y, random_state=0)
    except ValueError:
        with pytest.raises(ValueError):
            train_test_split(y, test_size=test_size, stratify=y, random_state=seed)
        return
    result = train_test_split(y, test_size=test_size, stratify=y, random_state=seed)
    # Leftover samples go to the largest remainders (ties at random), so per-class counts
    # agree with scikit-learn's within one sample, and exactly in total.
    for ours, ref in zip(result, expected, strict=True):
        assert len(ours) == len(ref)
        difference = np.bincount(ours, minlength=len(counts)) - np.bincount(
            ref, minlength=len(counts))
        assert np.abs(difference).max() <= 1


def test_stratified_split_exact_proportions():
    y = np.array([0] * 30 + [1] * 10)
    y_train, y_test = train_test_split(y, test_size=0.25, stratify=y, random_state=0)
    assert np.bincount(y_test).tolist() == [8, 2] and np.bincount(y_train).tolist() == [22, 8]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((np.arange(10),), {"test_size": 1.0}, ValueError, r"test_size must be in \(0, 1\)"),
        ((np.arange(10),), {"test_size": 0.0}, ValueError, "test_size"),
        ((np.arange(10),), {"test_size": 10}, ValueError, r"test_size must be in \[1, 9\]"),
        ((np.arange(10),), {"test_size": -1}, ValueError, "test_size"),
        ((np.arange(10),), {"train_size": 0.8, "test_size": 0.3}, ValueError, "sum to at most"),
        ((np.arange(10),), {"train_size": 8, "test_size": 3}, ValueError, "more than the 10"),
        ((np.arange(3),), {"test_size": 0.1, "train_size": 0.2}, ValueError, "train set would"),
        ((np.arange(10),), {"test_size": "half"}, TypeError, "test_size"),
        ((np.arange(10), np.arange(9)), {}, ValueError, "arrays\\[0\\] has 10, arrays\\[1\\]"),
        ((), {}, ValueError, "at least one array"),
        ((np.arange(0),), {}, ValueError, "0 samples"),
        ((5,), {}, TypeError, "one row per sample"),
        ((np.arange(10),), {"stratify": np.arange(10) % 2, "shuffle": False}, ValueError,
         "shuffle=True"),
        ((np.arange(10),), {"stratify": [0] * 9 + [1]}, ValueError, "only 1 member"),
        ((np.arange(10),), {"stratify": [0, 1] * 5, "test_size": 1}, ValueError,
         "fewer than the 2 classes"),
    ],
)
def test_train_test_split_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        train_test_split(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# KFold / StratifiedKFold
# ---------------------------------------------------------------------------------------------


def _assert_same_splits(ours, ref):
    ours, ref = list(ours), list(ref)
    assert len(ours) == len(ref)
    for (train, test), (ref_train, ref_test) in zip(ours, ref, strict=True):
        np.testing.assert_array_equal(train, ref_train)
        np.testing.assert_array_equal(test, ref_test)


@FAST
@given(n=st.integers(2, 40), k=st.integers(2, 8))
def test_kfold_equals_sklearn(n, k):
    if k > n:
        with pytest.raises(ValueError, match="greater than the number of samples"):
            list(KFold(k).split(np.zeros(n)))
        return
    X = np.zeros((n, 2))
    _assert_same_splits(KFold(k).split(X), sk.KFold(k).split(X))
    assert KFold(k).get_n_splits() == k


@FAST
@given(counts=st.lists(st.integers(1, 12), min_size=2, max_size=4), k=st.integers(2, 5),
       seed=st.integers(0, 2**16))
def test_stratified_kfold_equals_sklearn(counts, k, seed):
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.array(["c", "a", "b", "d"])[: len(counts)], counts))
    X = np.zeros((len(y), 1))
    if k > len(y) or max(counts) < k:
        with pytest.raises(ValueError):
            list(StratifiedKFold(k).split(X, y))
        return
    with warnings.catch_warnings(record=True) as ref_warnings:
        warnings.simplefilter("always")
        expected = list(sk.StratifiedKFold(k).split(X, y))
    with warnings.catch_warnings(record=True) as our_warnings:
        warnings.simplefilter("always")
        ours = list(StratifiedKFold(k).split(X, y))
    _assert_same_splits(ours, expected)
    # A class with fewer members than folds leaves some test folds without it: both warn.
    assert len(ref_warnings) == len(our_warnings) == int(min(counts) < k)
    if our_warnings:
        assert f"only {min(counts)} members" in str(our_warnings[0].message)


def test_shuffled_folds_partition_and_reproduce():
    X = np.zeros((17, 1))
    y = np.arange(17) % 3
    for splitter in (KFold(4, shuffle=True, random_state=5),
                     StratifiedKFold(4, shuffle=True, random_state=5)):
        tests = [test for _, test in splitter.split(X, y)]
        assert sorted(np.concatenate(tests).tolist()) == list(range(17))  # a partition
        _assert_same_splits(splitter.split(X, y), splitter.split(X, y))  # int seed: repeatable
        for train, test in splitter.split(X, y):
            assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 17
    unshuffled = [t.tolist() for _, t in KFold(4).split(X)]
    assert [t.tolist() for _, t in KFold(4, shuffle=True, random_state=5).split(X)] != unshuffled


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: KFold(1), ValueError, "at least 2"),
        (lambda: KFold(2.5), TypeError, "n_splits must be an int"),
        (lambda: KFold(3, random_state=0), ValueError, "shuffle=False"),
        (lambda: KFold(3, shuffle="yes"), TypeError, "shuffle"),
        (lambda: list(StratifiedKFold(2).split(np.zeros((4, 1)))), ValueError, "labels y"),
        (lambda: list(KFold(2).split(np.zeros((4, 1)), np.zeros(3))), ValueError,
         "X has 4, y has 3"),
    ],
)
def test_kfold_bad_input(make, error, match):
    with pytest.raises(error, match=match):
        make()


# ---------------------------------------------------------------------------------------------
# cross_val_score, validation_curve, learning_curve
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scoring", [None, "r2", "neg_mean_squared_error",
                                     "neg_root_mean_squared_error", "neg_mean_absolute_error"])
@pytest.mark.parametrize("cv", [3, 5])
def test_cross_val_score_regression_equals_sklearn(regression, scoring, cv):
    X, y = regression
    np.testing.assert_allclose(cross_val_score(Ridge(), X, y, cv=cv, scoring=scoring),
                               sk.cross_val_score(Ridge(), X, y, cv=cv, scoring=scoring),
                               rtol=1e-12)


@pytest.mark.parametrize("scoring", [None, "accuracy", "roc_auc", "neg_log_loss", "f1",
                                     "precision", "recall", "f1_macro"])
def test_cross_val_score_classification_equals_sklearn(regression, scoring):
    X, y = regression
    labels = (y > 0).astype(int)  # a classifier gets stratified folds, as in scikit-learn
    np.testing.assert_allclose(
        cross_val_score(LogisticRegression(), X, labels, cv=4, scoring=scoring),
        sk.cross_val_score(LogisticRegression(), X, labels, cv=4, scoring=scoring),
        rtol=1e-10)


def test_cross_val_score_our_estimator_dataframes_splitters_and_callables(regression):
    X, y = regression
    frame = pd.DataFrame(X[:, :1], columns=["x"])
    splits = list(sk.KFold(4, shuffle=True, random_state=0).split(X))
    expected = sk.cross_val_score(_Polynomial(2), frame, pd.Series(y), cv=splits)
    np.testing.assert_allclose(cross_val_score(_Polynomial(2), frame, pd.Series(y),
                                               cv=splits), expected, rtol=1e-12)
    np.testing.assert_allclose(
        cross_val_score(_Polynomial(2), frame, y, cv=KFold(4, shuffle=True, random_state=0)),
        cross_val_score(_Polynomial(2), frame, y, cv=KFold(4, shuffle=True, random_state=0)))
    constant = cross_val_score(Ridge(), X, y, cv=3, scoring=lambda est, X, y: 1.5)
    np.testing.assert_array_equal(constant, [1.5] * 3)
    original = _Polynomial(2)
    cross_val_score(original, frame, y)
    assert not hasattr(original, "coef_")  # folds fit clones, never the original


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"scoring": "neg_mean_square_error"}, ValueError, "Did you mean 'neg_mean_squared_error'"),
        ({"scoring": "accuracy_score"}, ValueError, "Did you mean 'accuracy'"),
        ({"cv": 1}, ValueError, "at least 2"),
        ({"cv": 41}, ValueError, "greater than the number of samples: n_samples=40"),
        ({"cv": "five"}, TypeError, "cv must be"),
        ({"cv": [(1, 2, 3)]}, ValueError, "pairs"),
    ],
)
def test_cross_val_score_bad_input(regression, kwargs, error, match):
    X, y = regression
    with pytest.raises(error, match=match):
        cross_val_score(Ridge(), X, y, **kwargs)


def test_cross_val_score_mismatched_lengths(regression):
    X, y = regression
    with pytest.raises(ValueError, match="X has 40, y has 39"):
        cross_val_score(Ridge(), X, y[:-1])


def test_validation_curve_equals_sklearn(regression):
    X, y = regression
    kwargs = {"param_name": "alpha", "param_range": [0.01, 1.0, 100.0], "cv": 4}
    for ours, ref in zip(validation_curve(Ridge(), X, y, **kwargs),
                         sk.validation_curve(Ridge(), X, y, **kwargs), strict=True):
        assert ours.shape == (3, 4)
        np.testing.assert_allclose(ours, ref, rtol=1e-12)
    with pytest.raises(ValueError, match="Did you mean 'alpha'"):
        validation_curve(Ridge(), X, y, param_name="alpah", param_range=[1.0])
    with pytest.raises(ValueError, match="param_range is empty"):
        validation_curve(Ridge(), X, y, param_name="alpha", param_range=[])


@pytest.mark.parametrize("train_sizes", [[0.2, 0.5, 1.0], [5, 10, 30], [0.1, 0.1, 0.4]])
@pytest.mark.parametrize("shuffle", [False, True])
def test_learning_curve_equals_sklearn(regression, train_sizes, shuffle):
    X, y = regression
    kwargs = {"train_sizes": train_sizes, "cv": 4}
    ours = learning_curve(Ridge(), X, y, shuffle=shuffle, random_state=0, **kwargs)
    ref = sk.learning_curve(Ridge(), X, y, **kwargs)
    np.testing.assert_array_equal(ours[0], ref[0])
    if not shuffle:  # with shuffling, the same sizes but other (random) prefixes
        np.testing.assert_allclose(ours[1], ref[1], rtol=1e-12)
        np.testing.assert_allclose(ours[2], ref[2], rtol=1e-12)
    assert ours[1].shape == ours[2].shape == (len(ref[0]), 4)


@pytest.mark.parametrize("train_sizes", [[0.0, 0.5], [1.5], [0, 10], [31], [], "all"])
def test_learning_curve_bad_train_sizes(regression, train_sizes):
    X, y = regression
    with pytest.raises(ValueError, match="train_sizes"):
        learning_curve(Ridge(), X, y, train_sizes=train_sizes, cv=4)


# ---------------------------------------------------------------------------------------------
# Bias-variance decomposition
# ---------------------------------------------------------------------------------------------


def test_bias_variance_equals_mlxtend_with_the_same_bootstrap_draws(regression, monkeypatch):
    mlxtend = pytest.importorskip("mlxtend.evaluate")
    X, y = regression
    X_train, X_test, y_train, y_test = X[:30], X[30:], y[:30], y[30:]
    seed, n_rounds = 7, 25
    # mlxtend draws each bootstrap sample with RandomState(seed).choice(n, n); replay them.
    legacy = np.random.RandomState(seed)
    draws = np.array([legacy.choice(np.arange(30), size=30, replace=True)
                      for _ in range(n_rounds)])
    monkeypatch.setattr(ms._bias_variance, "_bootstrap_indices", lambda rng, n, rounds: draws)
    ours = bias_variance_decomposition(_Polynomial(3), X_train[:, :1], y_train,
                                       X_test[:, :1], y_test, n_rounds=n_rounds)
    loss, bias2, variance = mlxtend.bias_variance_decomp(
        _Polynomial(3), X_train[:, :1], y_train, X_test[:, :1], y_test, loss="mse",
        num_rounds=n_rounds, random_seed=seed)
    assert ours.loss == pytest.approx(loss, rel=1e-12)
    assert ours.bias2 == pytest.approx(bias2, rel=1e-12)
    assert ours.variance == pytest.approx(variance, rel=1e-12)


@FAST
@given(seed=st.integers(0, 2**16), noise=st.floats(0.0, 0.5))
def test_bias_variance_identities_are_exact(seed, noise):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(30, 1))
    y = np.sin(3 * X[:, 0]) + 0.2 * rng.normal(size=30)
    args = (_Polynomial(2), X[:20], y[:20], X[20:], y[20:])
    plain = bias_variance_decomposition(*args, n_rounds=10, random_state=seed)
    assert plain.loss == pytest.approx(plain.bias2 + plain.variance, rel=1e-12)
    assert plain.noise == 0.0
    known = bias_variance_decomposition(*args, n_rounds=10, random_state=seed,
                                        noise_variance=noise)
    assert known.loss == pytest.approx(known.bias2 + known.variance + known.noise, rel=1e-12)
    assert known.bias2 == pytest.approx(plain.bias2 - noise)
    np.testing.assert_allclose(plain.mean_prediction, plain.predictions.mean(axis=0))


def test_bias_variance_of_least_squares_matches_closed_form():
    # y = x·β + ε with Gaussian x (p features), n training points: least squares is unbiased
    # and at a new x its prediction variance is σ² x^T (X^T X)^{-1} x, whose average over
    # test points is ≈ σ² p / (n - p - 1) (Wishart mean). The bootstrap estimates it.
    rng = np.random.default_rng(0)
    n, p, sigma = 200, 4, 0.5
    beta = rng.normal(size=p)
    X_train, X_test = rng.normal(size=(n, p)), rng.normal(size=(400, p))
    f_test = X_test @ beta
    y_train = X_train @ beta + sigma * rng.normal(size=n)
    y_test = f_test + sigma * rng.normal(size=400)
    result = bias_variance_decomposition(LinearRegression(fit_intercept=False), X_train,
                                         y_train, X_test, y_test, n_rounds=200,
                                         random_state=0, y_test_true=f_test)
    expected_variance = sigma**2 * p / (n - p - 1)
    assert result.variance == pytest.approx(expected_variance, rel=0.2)
    assert result.bias2 < 0.1 * sigma**2  # no model bias: only the training sample's error
    assert result.noise == pytest.approx(sigma**2, rel=0.15)
    # loss = bias² + variance + noise holds up to the (zero-mean) cross term
    assert result.loss == pytest.approx(result.bias2 + result.variance + result.noise,
                                        rel=0.1)


def test_bias_variance_reproducible_and_bad_input(regression):
    X, y = regression
    args = (Ridge(), X[:30], y[:30], X[30:], y[30:])
    first = bias_variance_decomposition(*args, n_rounds=5, random_state=1)
    second = bias_variance_decomposition(*args, n_rounds=5, random_state=1)
    np.testing.assert_array_equal(first.predictions, second.predictions)
    with pytest.raises(ValueError, match="n_rounds must be in"):
        bias_variance_decomposition(*args, n_rounds=1)
    with pytest.raises(ValueError, match="not both"):
        bias_variance_decomposition(*args, y_test_true=y[30:], noise_variance=0.1)
    with pytest.raises(ValueError, match="X_train has 30, y_train has 29"):
        bias_variance_decomposition(Ridge(), X[:30], y[:29], X[30:], y[30:])
    with pytest.raises(ValueError, match="y_test has 10, y_test_true has 3"):
        bias_variance_decomposition(*args, n_rounds=2, y_test_true=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="noise_variance"):
        bias_variance_decomposition(*args, n_rounds=2, noise_variance=-1.0)
    with pytest.raises(TypeError, match="strings"):
        bias_variance_decomposition(Ridge(), X[:30], y[:30], X[30:], ["a"] * 10)


# ---------------------------------------------------------------------------------------------
# Figures (fromscratch.plot.model_selection)
# ---------------------------------------------------------------------------------------------


def test_model_selection_figures_draw_the_fold_means(regression):
    from fromscratch.plot.model_selection import (
        plot_bias_variance,
        plot_learning_curve,
        plot_validation_curve,
    )

    X, y = regression
    alphas = [0.01, 1.0, 100.0, 1e4]
    train, test = validation_curve(Ridge(), X, y, param_name="alpha", param_range=alphas, cv=3)
    fig = plot_validation_curve(alphas, train, test, param_name="alpha")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"  # four decades: log axis chosen automatically
    np.testing.assert_allclose(ax.lines[1].get_ydata(), test.mean(axis=1))
    sizes, train, test = learning_curve(Ridge(), X, y, cv=3, train_sizes=[0.5, 1.0])
    fig = plot_learning_curve(sizes, train, test)
    np.testing.assert_allclose(fig.axes[0].lines[0].get_xdata(), sizes)
    results = [bias_variance_decomposition(Ridge(alpha=a), X[:30], y[:30], X[30:], y[30:],
                                           n_rounds=3, random_state=0, noise_variance=0.09)
               for a in alphas]
    fig = plot_bias_variance(alphas, results, log_x=True)
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert {"bias$^2$", "variance", "expected test error"} <= set(labels)
    with pytest.raises(ValueError, match="one decomposition per parameter value"):
        plot_bias_variance(alphas[:2], results)
    with pytest.raises(ValueError, match="train_scores must have shape"):
        plot_validation_curve(alphas, train, test)
