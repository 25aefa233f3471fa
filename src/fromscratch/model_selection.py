r"""Splitting data and estimating generalisation error (scikit-learn's names and defaults).

* :func:`train_test_split` — one random (optionally stratified) hold-out split.
* :class:`KFold`, :class:`StratifiedKFold` — $k$ folds; each sample is tested exactly once.
* :func:`cross_val_score` — the score of a fresh clone of the estimator on each fold.
* :func:`validation_curve`, :func:`learning_curve` — cross-validated scores as a
  hyper-parameter or the training-set size varies.
* :func:`bias_variance_decomposition` — the bootstrap estimate of
  $E[(y - \hat y)^2] = \mathrm{bias}^2 + \mathrm{variance} + \sigma^2$.

Arrays may be NumPy arrays, lists or pandas objects; rows are taken with ``.iloc`` for pandas,
so DataFrames keep their column names through every split.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from fromscratch import metrics
from fromscratch._validation import (
    check_choice,
    check_random_state,
    check_scalar,
    check_y,
    is_pandas,
)
from fromscratch.base import clone

__all__ = [
    "train_test_split",
    "KFold",
    "StratifiedKFold",
    "check_cv",
    "get_scorer",
    "cross_val_score",
    "validation_curve",
    "learning_curve",
    "BiasVarianceDecomposition",
    "bias_variance_decomposition",
]


# ---------------------------------------------------------------------------------------------
# Indexing rows of arrays, lists and DataFrames
# ---------------------------------------------------------------------------------------------


def _n_samples(array: Any, name: str) -> int:
    if array is None or isinstance(array, (str, bytes)) or not hasattr(array, "__len__"):
        raise TypeError(f"{name} must be an array-like with one row per sample; got {array!r}.")
    shape = getattr(array, "shape", None)
    if shape is not None and len(shape) == 0:
        raise TypeError(f"{name} must be an array-like with one row per sample; got a scalar.")
    return int(shape[0]) if shape is not None else len(array)


def _check_same_length(arrays: dict[str, Any]) -> int:
    """The common number of samples; ValueError if the arrays disagree or are empty."""
    lengths = {name: _n_samples(a, name) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"Inconsistent numbers of samples: {listed}.")
    n = next(iter(lengths.values()))
    if n == 0:
        raise ValueError(f"{', '.join(lengths)} has 0 samples; at least 1 required.")
    return n


def _take(array: Any, index: np.ndarray) -> Any:
    """Rows ``index`` of an ndarray, a pandas object (by position) or a list."""
    if array is None:
        return None
    if is_pandas(array):
        return array.iloc[index]
    if isinstance(array, np.ndarray):
        return array[index]
    return [array[i] for i in index]


# ---------------------------------------------------------------------------------------------
# train_test_split
# ---------------------------------------------------------------------------------------------


def _split_sizes(n_samples: int, test_size: Any, train_size: Any) -> tuple[int, int]:
    """scikit-learn's rule: a fraction of the test set is rounded up, of the train set down."""
    if test_size is None and train_size is None:
        test_size = 0.25
    sizes = {}
    for name, size in (("test_size", test_size), ("train_size", train_size)):
        if size is None:
            continue
        if isinstance(size, numbers.Integral) and not isinstance(size, (bool, np.bool_)):
            sizes[name] = check_scalar(size, name, kind=int, min_val=1, max_val=n_samples - 1)
        else:
            fraction = check_scalar(size, name, min_val=0, max_val=1, include_min=False,
                                    include_max=False)
            sizes[name] = (int(np.ceil(fraction * n_samples)) if name == "test_size"
                           else int(np.floor(fraction * n_samples)))
    if (isinstance(test_size, float) and isinstance(train_size, float)
            and test_size + train_size > 1):
        raise ValueError(
            f"test_size + train_size = {test_size + train_size}; the fractions must sum to at "
            "most 1."
        )
    n_test = sizes.get("test_size", n_samples - sizes.get("train_size", 0))
    n_train = sizes.get("train_size", n_samples - n_test)
    if n_train + n_test > n_samples:
        raise ValueError(
            f"train_size + test_size = {n_train + n_test} samples, more than the "
            f"{n_samples} available. Reduce test_size and/or train_size."
        )
    if n_train == 0 or n_test == 0:
        which = "train" if n_train == 0 else "test"
        raise ValueError(
            f"With {n_samples} samples, test_size={test_size} and train_size={train_size} "
            f"the {which} set would be empty; adjust test_size or train_size."
        )
    return n_train, n_test


def _approximate_mode(class_counts: np.ndarray, n_draws: int,
                      rng: np.random.Generator) -> np.ndarray:
    """Split ``n_draws`` among classes in proportion to ``class_counts``, in whole numbers.

    Each class gets the floor of its share; the samples left over go to the classes with the
    largest remainders (ties broken at random) — scikit-learn's allocation.
    """
    share = class_counts / class_counts.sum() * n_draws
    counts = np.floor(share).astype(np.int64)
    remainder = share - counts
    left = n_draws - counts.sum()
    for value in np.unique(remainder)[::-1]:
        if left == 0:
            break
        tied = np.flatnonzero(remainder == value)
        chosen = rng.choice(tied, size=min(len(tied), left), replace=False)
        counts[chosen] += 1
        left -= len(chosen)
    return counts


def _stratified_split(y: np.ndarray, n_train: int, n_test: int,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    classes, y_index = np.unique(y, return_inverse=True)
    class_counts = np.bincount(y_index)
    if class_counts.min() < 2:
        raise ValueError(
            f"The least populated class in stratify ({classes[class_counts.argmin()]!r}) has "
            "only 1 member; every class needs at least 2 to appear in both sets."
        )
    for n, which in ((n_train, "train"), (n_test, "test")):
        if n < len(classes):
            raise ValueError(
                f"The {which} set has {n} samples, fewer than the {len(classes)} classes; "
                "stratification needs at least one sample of each class."
            )
    n_train_per_class = _approximate_mode(class_counts, n_train, rng)
    n_test_per_class = _approximate_mode(class_counts - n_train_per_class, n_test, rng)
    train, test = [], []
    for k in range(len(classes)):
        members = rng.permutation(np.flatnonzero(y_index == k))
        train.append(members[: n_train_per_class[k]])
        test.append(members[n_train_per_class[k]: n_train_per_class[k] + n_test_per_class[k]])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def train_test_split(
    *arrays: Any,
    test_size: float | int | None = None,
    train_size: float | int | None = None,
    random_state: Any = None,
    shuffle: bool = True,
    stratify: Any = None,
) -> list[Any]:
    """Split arrays (same rows) into a random train part and a test part.

    Parameters
    ----------
    *arrays : array-likes with the same number of rows
        NumPy arrays, lists, pandas DataFrames/Series.
    test_size : float in (0, 1) or int, optional
        Fraction (rounded up) or number of test samples; default: the complement of
        ``train_size``, or 0.25 when both are None.
    train_size : float in (0, 1) or int, optional
        Fraction (rounded down) or number of training samples; default: the complement of
        ``test_size``.
    random_state : None, int or numpy.random.Generator
    shuffle : bool, default True
        ``False`` takes the first rows for training and the next ones for testing.
    stratify : array-like of labels, optional
        Keep the class proportions of these labels in both parts (needs ``shuffle=True``).

    Returns
    -------
    list
        ``[a_train, a_test, b_train, b_test, ...]``, each part of the input's type.
    """
    if not arrays:
        raise ValueError("train_test_split needs at least one array.")
    n_samples = _check_same_length({f"arrays[{i}]": a for i, a in enumerate(arrays)})
    n_train, n_test = _split_sizes(n_samples, test_size, train_size)
    if not shuffle:
        if stratify is not None:
            raise ValueError("stratify needs shuffle=True: a stratified split is random.")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        rng = check_random_state(random_state)
        if stratify is not None:
            labels = check_y(stratify, name="stratify", y_numeric=False)
            _check_same_length({"arrays[0]": arrays[0], "stratify": labels})
            train, test = _stratified_split(labels, n_train, n_test, rng)
        else:
            permutation = rng.permutation(n_samples)
            test, train = permutation[:n_test], permutation[n_test: n_test + n_train]
    return [part for a in arrays for part in (_take(a, train), _take(a, test))]


# ---------------------------------------------------------------------------------------------
# K-fold splitters
# ---------------------------------------------------------------------------------------------


class KFold:
    r"""$k$-fold cross-validation: split the samples into $k$ consecutive folds.

    Fold $i$ is the test set of split $i$ and the other folds are its training set. With
    $n = qk + r$, the first $r$ folds have $q + 1$ samples and the others $q$
    (scikit-learn's sizes, so the splits are identical for ``shuffle=False``).

    Parameters
    ----------
    n_splits : int, default 5
        Number of folds, at least 2.
    shuffle : bool, default False
        Permute the samples before cutting the folds.
    random_state : None, int or numpy.random.Generator
        Used only with ``shuffle=True``; an int gives the same folds on every ``split``.
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: Any = None):
        n_splits = check_scalar(n_splits, "n_splits", kind=int)
        if n_splits < 2:
            raise ValueError(
                f"n_splits must be at least 2 (one train/test split needs two folds); "
                f"got {n_splits}."
            )
        if not isinstance(shuffle, (bool, np.bool_)):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}.")
        if not shuffle and random_state is not None:
            raise ValueError(
                "random_state has no effect when shuffle=False; leave it None or set "
                "shuffle=True."
            )
        self.n_splits = n_splits
        self.shuffle = bool(shuffle)
        self.random_state = random_state

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n_splits={self.n_splits}, shuffle={self.shuffle}, "
                f"random_state={self.random_state!r})")

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of splits, ``n_splits``."""
        return self.n_splits

    def _check_n_samples(self, n_samples: int) -> None:
        if self.n_splits > n_samples:
            raise ValueError(
                f"Cannot have n_splits={self.n_splits} greater than the number of samples "
                f"{n_samples}."
            )

    def _test_folds(self, X: Any, y: Any) -> np.ndarray:
        """The fold number of each sample."""
        n_samples = _check_same_length({"X": X, "y": y})
        self._check_n_samples(n_samples)
        fold_sizes = np.full(self.n_splits, n_samples // self.n_splits)
        fold_sizes[: n_samples % self.n_splits] += 1
        folds = np.repeat(np.arange(self.n_splits), fold_sizes)
        if self.shuffle:
            # Shuffling the samples and cutting consecutive folds = shuffling fold numbers.
            folds = check_random_state(self.random_state).permutation(folds)
        return folds

    def split(self, X: Any, y: Any = None, groups: Any = None
              ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_indices, test_indices)`` for each fold; ``groups`` is ignored."""
        folds = self._test_folds(X, y)
        for i in range(self.n_splits):
            yield np.flatnonzero(folds != i), np.flatnonzero(folds == i)


class StratifiedKFold(KFold):
    """$k$-fold cross-validation that keeps the class proportions in every fold.

    The samples of each class are dealt to the folds as evenly as possible (scikit-learn's
    allocation: the sorted labels dealt round-robin), in blocks that keep the data order
    unless ``shuffle=True``. Splits are identical to scikit-learn's for ``shuffle=False``.
    """

    def _test_folds(self, X: Any, y: Any) -> np.ndarray:
        if y is None:
            raise ValueError("StratifiedKFold.split needs the class labels y.")
        labels = check_y(y, name="y", y_numeric=False)
        n_samples = _check_same_length({"X": X, "y": labels})
        self._check_n_samples(n_samples)
        # Number the classes in order of first appearance, as scikit-learn does.
        _, first_seen, inverse = np.unique(labels, return_index=True, return_inverse=True)
        y_encoded = np.argsort(np.argsort(first_seen))[inverse]
        n_classes = len(first_seen)
        counts = np.bincount(y_encoded)
        if (counts < self.n_splits).all():
            raise ValueError(
                f"n_splits={self.n_splits} is greater than the number of members of every "
                f"class (largest class: {counts.max()})."
            )
        # allocation[i, k]: how many samples of class k go to fold i.
        y_sorted = np.sort(y_encoded)
        allocation = np.array([np.bincount(y_sorted[i:: self.n_splits], minlength=n_classes)
                               for i in range(self.n_splits)])
        rng = check_random_state(self.random_state) if self.shuffle else None
        folds = np.empty(n_samples, dtype=np.int64)
        for k in range(n_classes):
            folds_of_class = np.repeat(np.arange(self.n_splits), allocation[:, k])
            if rng is not None:
                folds_of_class = rng.permutation(folds_of_class)
            folds[y_encoded == k] = folds_of_class
        return folds


def _is_classifier(estimator: Any) -> bool:
    if getattr(estimator, "_estimator_type", None) == "classifier":
        return True
    try:  # scikit-learn estimators describe themselves with tags
        return estimator.__sklearn_tags__().estimator_type == "classifier"
    except (AttributeError, TypeError):
        return False


def check_cv(cv: Any = 5, y: Any = None, *, classifier: bool = False) -> Any:
    """Turn ``cv`` into a splitter.

    An int gives :class:`StratifiedKFold` for a classifier with labels ``y``, else
    :class:`KFold` (scikit-learn's rule); an object with ``split`` is used as is; an iterable
    of ``(train, test)`` index pairs is used as the list of splits.
    """
    if cv is None:
        cv = 5
    if isinstance(cv, numbers.Integral) and not isinstance(cv, (bool, np.bool_)):
        return StratifiedKFold(cv) if classifier and y is not None else KFold(cv)
    if isinstance(cv, (str, bytes)):
        pass  # a string has a split method, but is not a splitter
    elif hasattr(cv, "split"):
        return cv
    elif isinstance(cv, Iterable):
        return _FixedSplits(list(cv))
    raise TypeError(
        "cv must be an int (number of folds), a splitter with a split method, or an iterable "
        f"of (train, test) index arrays; got {cv!r}."
    )


class _FixedSplits:
    """A user-given list of ``(train, test)`` index pairs, as a splitter."""

    def __init__(self, splits: list):
        if not splits or not all(len(s) == 2 for s in splits):
            raise ValueError("cv as an iterable must hold (train_indices, test_indices) pairs.")
        self.splits = [(np.asarray(train), np.asarray(test)) for train, test in splits]

    def split(self, X: Any, y: Any = None, groups: Any = None
              ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        yield from self.splits

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return len(self.splits)


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def _positive_class_score(estimator: Any, X: Any) -> np.ndarray:
    """Scores for ranking (ROC AUC): decision_function, else P(greater class)."""
    if hasattr(estimator, "decision_function"):
        return np.asarray(estimator.decision_function(X))
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X))[:, 1]
    raise TypeError(
        f"scoring='roc_auc' needs decision_function or predict_proba; {type(estimator).__name__}"
        " has neither."
    )


# name -> scorer(estimator, X, y). "neg_" scores are negated losses, so that greater is
# better for every scorer (what model selection maximises).
_SCORERS: dict[str, Callable[[Any, Any, Any], float]] = {
    "r2": lambda est, X, y: metrics.r2_score(y, est.predict(X)),
    "neg_mean_squared_error": lambda est, X, y: -metrics.mean_squared_error(y, est.predict(X)),
    "neg_root_mean_squared_error":
        lambda est, X, y: -metrics.root_mean_squared_error(y, est.predict(X)),
    "neg_mean_absolute_error": lambda est, X, y: -metrics.mean_absolute_error(y, est.predict(X)),
    "accuracy": lambda est, X, y: metrics.accuracy_score(y, est.predict(X)),
    "f1": lambda est, X, y: metrics.f1_score(y, est.predict(X)),
    "f1_macro": lambda est, X, y: metrics.f1_score(y, est.predict(X), average="macro"),
    "precision": lambda est, X, y: metrics.precision_score(y, est.predict(X)),
    "recall": lambda est, X, y: metrics.recall_score(y, est.predict(X)),
    "roc_auc": lambda est, X, y: metrics.roc_auc_score(y, _positive_class_score(est, X)),
    "neg_log_loss": lambda est, X, y: -metrics.log_loss(y, est.predict_proba(X),
                                                        labels=est.classes_),
}


def get_scorer(scoring: str | Callable | None) -> Callable[[Any, Any, Any], float]:
    """A scorer ``f(estimator, X, y) -> float`` (greater is better).

    ``None`` uses ``estimator.score``; a string is one of the names in ``_SCORERS``
    (scikit-learn's names, e.g. ``"neg_mean_squared_error"``, ``"accuracy"``,
    ``"roc_auc"``); a callable is used as is.
    """
    if scoring is None:
        return lambda estimator, X, y: estimator.score(X, y)
    if callable(scoring):
        return scoring
    return _SCORERS[check_choice(scoring, "scoring", sorted(_SCORERS))]


# ---------------------------------------------------------------------------------------------
# Cross-validation
# ---------------------------------------------------------------------------------------------


def _fit_and_score(estimator: Any, X: Any, y: Any, train: np.ndarray, test: np.ndarray,
                   scorer: Callable, *, train_score: bool = False,
                   params: dict[str, Any] | None = None) -> tuple[float, float | None]:
    """Fit a clone on ``train``; score it on ``test`` (and on ``train`` if asked)."""
    model = clone(estimator)
    if params:
        model.set_params(**params)
    X_train, y_train = _take(X, train), _take(y, train)
    model.fit(X_train, y_train)
    test_value = float(scorer(model, _take(X, test), _take(y, test)))
    train_value = float(scorer(model, X_train, y_train)) if train_score else None
    return test_value, train_value


def _splits(estimator: Any, X: Any, y: Any, groups: Any, cv: Any
            ) -> list[tuple[np.ndarray, np.ndarray]]:
    _check_same_length({"X": X, "y": y})
    splitter = check_cv(cv, y, classifier=_is_classifier(estimator))
    return list(splitter.split(X, y, groups))


def cross_val_score(
    estimator: Any,
    X: Any,
    y: Any = None,
    *,
    groups: Any = None,
    scoring: str | Callable | None = None,
    cv: Any = None,
) -> np.ndarray:
    r"""Score a fresh clone of ``estimator`` on each cross-validation fold.

    For folds $(T_i, V_i)$, $i = 1..k$: fit on $T_i$, score on $V_i$. The mean of the scores
    estimates the score of the estimator trained on about $(k-1)/k$ of the data.

    Parameters
    ----------
    estimator : estimator with fit (cloned with :func:`fromscratch.base.clone` per fold)
    X, y : array-likes with the same number of rows
    groups : ignored by the splitters here (accepted for splitters that use it)
    scoring : None, str or callable
        None: ``estimator.score``; a name such as ``"neg_mean_squared_error"``, ``"r2"``,
        ``"accuracy"``, ``"roc_auc"`` (see :func:`get_scorer`); or ``f(estimator, X, y)``.
    cv : None, int, splitter or iterable of (train, test)
        None means 5 folds; see :func:`check_cv`.

    Returns
    -------
    ndarray of shape (n_splits,)
    """
    scorer = get_scorer(scoring)
    return np.array([_fit_and_score(estimator, X, y, train, test, scorer)[0]
                     for train, test in _splits(estimator, X, y, groups, cv)])


def validation_curve(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    param_name: str,
    param_range: Iterable,
    groups: Any = None,
    cv: Any = None,
    scoring: str | Callable | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation scores for each value of one hyper-parameter.

    Returns
    -------
    train_scores, test_scores : ndarray of shape (n_values, n_splits)
        Row $j$ holds the per-fold scores with ``param_name = param_range[j]``.
    """
    params = estimator.get_params()
    if param_name not in params:
        check_choice(param_name, "param_name", sorted(params))
    values = list(param_range)
    if not values:
        raise ValueError("param_range is empty; give at least one value.")
    scorer = get_scorer(scoring)
    splits = _splits(estimator, X, y, groups, cv)
    scores = np.array([
        [_fit_and_score(estimator, X, y, train, test, scorer, train_score=True,
                        params={param_name: value}) for train, test in splits]
        for value in values
    ])
    return scores[..., 1], scores[..., 0]


def _absolute_train_sizes(train_sizes: Any, n_max: int) -> np.ndarray:
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0 or sizes.dtype.kind not in "iuf":
        raise ValueError(f"train_sizes must be a non-empty 1-D list of numbers; got "
                         f"{train_sizes!r}.")
    if sizes.dtype.kind == "f":
        if sizes.min() <= 0 or sizes.max() > 1:
            raise ValueError(
                "train_sizes given as fractions (floats) of the largest training set must lie "
                f"in (0, 1]; got values in [{sizes.min()}, {sizes.max()}]."
            )
        sizes = np.clip((sizes * n_max).astype(np.int64), 1, n_max)
    elif sizes.min() <= 0 or sizes.max() > n_max:
        raise ValueError(
            f"train_sizes given as counts (ints) must lie in [1, {n_max}] (the size of the "
            f"smallest training fold); got values in [{sizes.min()}, {sizes.max()}]."
        )
    return np.unique(sizes)


def learning_curve(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    groups: Any = None,
    train_sizes: Any = (0.1, 0.325, 0.55, 0.775, 1.0),
    cv: Any = None,
    scoring: str | Callable | None = None,
    shuffle: bool = False,
    random_state: Any = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Training and validation scores as the training set grows.

    In each split the model is fitted on the first $m$ samples of the training fold (after a
    permutation with ``shuffle=True``), for each size $m$, and scored on those $m$ samples
    and on the whole test fold.

    Parameters
    ----------
    train_sizes : array-like
        Fractions in (0, 1] of the training-fold size (floats), or counts (ints). The
        default is scikit-learn's ``np.linspace(0.1, 1.0, 5)``.
    shuffle, random_state
        Permute each training fold before taking its prefixes.

    Returns
    -------
    train_sizes_abs : ndarray of shape (n_sizes,)
        The distinct sizes used.
    train_scores, test_scores : ndarray of shape (n_sizes, n_splits)
    """
    scorer = get_scorer(scoring)
    splits = _splits(estimator, X, y, groups, cv)
    sizes = _absolute_train_sizes(train_sizes, min(len(train) for train, _ in splits))
    rng = check_random_state(random_state) if shuffle else None
    if rng is not None:
        splits = [(rng.permutation(train), test) for train, test in splits]
    scores = np.array([
        [_fit_and_score(estimator, X, y, train[:m], test, scorer, train_score=True)
         for train, test in splits]
        for m in sizes
    ])
    return sizes, scores[..., 1], scores[..., 0]


# ---------------------------------------------------------------------------------------------
# Bias-variance decomposition
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BiasVarianceDecomposition:
    r"""Result of :func:`bias_variance_decomposition` (averages over the test points).

    Attributes
    ----------
    loss : float
        $\frac1m \sum_j \frac1B \sum_b (y_j - \hat y_{bj})^2$, the mean squared error of the
        bootstrap models on the test set.
    bias2 : float
        Squared bias $\frac1m \sum_j (t_j - \bar y_j)^2$ of the mean prediction
        $\bar y_j = \frac1B \sum_b \hat y_{bj}$; see the function for the target $t_j$.
    variance : float
        $\frac1m \sum_j \frac1B \sum_b (\hat y_{bj} - \bar y_j)^2$.
    noise : float
        The irreducible error $\sigma^2$ (0 when neither the truth nor $\sigma^2$ is given).
    predictions : ndarray of shape (n_rounds, n_test)
        $\hat y_{bj}$, the prediction of bootstrap model $b$ at test point $j$.
    """

    loss: float
    bias2: float
    variance: float
    noise: float
    predictions: np.ndarray

    @property
    def mean_prediction(self) -> np.ndarray:
        r"""$\bar y_j$, the average prediction at each test point."""
        return self.predictions.mean(axis=0)


def _bootstrap_indices(rng: np.random.Generator, n_samples: int, n_rounds: int) -> np.ndarray:
    """Row $b$: the $n$ indices (drawn with replacement) of bootstrap training set $b$."""
    return rng.integers(0, n_samples, size=(n_rounds, n_samples))


def bias_variance_decomposition(
    estimator: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    n_rounds: int = 200,
    random_state: Any = None,
    y_test_true: Any = None,
    noise_variance: float | None = None,
) -> BiasVarianceDecomposition:
    r"""Bootstrap estimate of the bias–variance decomposition of the squared error.

    For a target $y = f(x) + \varepsilon$ with $E[\varepsilon] = 0$,
    $\mathrm{Var}[\varepsilon] = \sigma^2$, and a model $\hat f_D$ trained on a random
    training set $D$, at a fixed $x$:

    .. math::
        E_{D,\varepsilon}\big[(y - \hat f_D(x))^2\big]
        = \underbrace{\big(f(x) - E_D \hat f_D(x)\big)^2}_{\mathrm{bias}^2}
        + \underbrace{E_D\big[(\hat f_D(x) - E_D \hat f_D(x))^2\big]}_{\mathrm{variance}}
        + \underbrace{\sigma^2}_{\mathrm{noise}}.

    The expectation over training sets is replaced by $B$ bootstrap samples of
    ``(X_train, y_train)``: a clone of the estimator is fitted on each, giving predictions
    $\hat y_{bj}$ at the test points $x_j$, with mean $\bar y_j$. All terms are averaged over
    the $m$ test points. Which target $t_j$ the bias is measured against:

    * by default $t_j = y_j$, the observed (noisy) test target. Then the "bias²"
      $\frac1m\sum_j (y_j - \bar y_j)^2$ estimates $\mathrm{bias}^2 + \sigma^2$ (the noise
      cannot be told apart from bias without knowing $f$), ``noise`` is 0, and
      ``loss = bias2 + variance`` holds exactly. This is mlxtend's ``bias_variance_decomp``
      with ``loss="mse"``.
    * with ``noise_variance`` $\sigma^2$: bias2 is the same quantity minus $\sigma^2$ (an
      unbiased estimate of the squared bias when the test noise is independent of the
      training data; it may come out slightly negative), ``noise`` is $\sigma^2$, and
      ``loss = bias2 + variance + noise`` holds exactly.
    * with ``y_test_true`` $= f(x_j)$, the noiseless truth: $t_j = f(x_j)$ and
      ``noise`` is $\frac1m\sum_j (y_j - f(x_j))^2$. Now
      ``loss = bias2 + variance + noise`` holds only in expectation: the cross term
      $\frac2m\sum_j (y_j - f_j)(f_j - \bar y_j)$ averages to zero but is not zero.

    Parameters
    ----------
    estimator : regressor with fit/predict (cloned for every round)
    X_train, y_train : training data, resampled with replacement
    X_test, y_test : test data (the targets must be numbers)
    n_rounds : int, default 200
        Number of bootstrap rounds $B$.
    random_state : None, int or numpy.random.Generator
    y_test_true : array-like of shape (n_test,), optional
        Noiseless $f(x_j)$ (known for synthetic data).
    noise_variance : float, optional
        Known $\sigma^2$ (use at most one of ``y_test_true`` and ``noise_variance``).

    Returns
    -------
    BiasVarianceDecomposition
    """
    n_train = _check_same_length({"X_train": X_train, "y_train": y_train})
    _check_same_length({"X_test": X_test, "y_test": y_test})
    y_test = check_y(y_test, name="y_test")
    n_rounds = check_scalar(n_rounds, "n_rounds", kind=int, min_val=2)
    if y_test_true is not None and noise_variance is not None:
        raise ValueError("Give y_test_true or noise_variance, not both: each defines the noise.")

    indices = _bootstrap_indices(check_random_state(random_state), n_train, n_rounds)
    predictions = np.empty((n_rounds, y_test.shape[0]))
    for b, rows in enumerate(indices):
        model = clone(estimator).fit(_take(X_train, rows), _take(y_train, rows))
        predictions[b] = np.asarray(model.predict(X_test), dtype=np.float64).reshape(-1)
    if not np.isfinite(predictions).all():
        raise ValueError("The estimator returned NaN or infinite predictions in some "
                         "bootstrap round; check its inputs and hyper-parameters.")

    mean_prediction = predictions.mean(axis=0)
    loss = float(((y_test - predictions) ** 2).mean())
    variance = float(((predictions - mean_prediction) ** 2).mean())
    if y_test_true is not None:
        f = check_y(y_test_true, name="y_test_true")
        _check_same_length({"y_test": y_test, "y_test_true": f})
        bias2 = float(((f - mean_prediction) ** 2).mean())
        noise = float(((y_test - f) ** 2).mean())
    else:
        noise = 0.0 if noise_variance is None else check_scalar(noise_variance,
                                                               "noise_variance", min_val=0)
        bias2 = float(((y_test - mean_prediction) ** 2).mean()) - noise
    return BiasVarianceDecomposition(loss=loss, bias2=bias2, variance=variance, noise=noise,
                                     predictions=predictions)
