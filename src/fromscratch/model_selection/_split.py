"""Splitting data: a random hold-out split and the $k$-fold splitters (scikit-learn's names).

* :func:`train_test_split` — one random (optionally stratified) hold-out split.
* :class:`KFold`, :class:`StratifiedKFold` — $k$ folds; each sample is tested exactly once.
* :func:`check_cv` — what every cross-validating function does with its ``cv`` argument.

Arrays may be NumPy arrays, lists or pandas objects; rows are taken with ``.iloc`` for pandas,
so DataFrames keep their column names through every split.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from fromscratch._param_validation import Check, is_int
from fromscratch._validation import (
    _check_same_length,
    _to_ndarray,
    check_random_state,
    check_scalar,
    check_y,
    is_pandas,
)
from fromscratch.exceptions import warn_at_caller

__all__ = ["train_test_split", "KFold", "StratifiedKFold", "check_cv"]


# ---------------------------------------------------------------------------------------------
# Indexing rows of arrays, lists and DataFrames
# ---------------------------------------------------------------------------------------------


def _indexable(array: Any, name: str) -> Any:
    """``array`` in a form :func:`_take` can index: NumPy arrays, pandas objects and lists
    as they are, any other array-like (an object with ``__array__``, a tuple) as an ndarray.
    A sparse matrix is refused with a ``TypeError`` that says how to convert it."""
    if array is None or isinstance(array, (np.ndarray, list)) or is_pandas(array):
        return array
    return _to_ndarray(array, name)


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
                f"Cannot have n_splits={self.n_splits} greater than the number of samples: "
                f"n_samples={n_samples}."
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
        if counts.min() < self.n_splits:
            warn_at_caller(
                f"The least populated class in y has only {counts.min()} members, which is "
                f"less than n_splits={self.n_splits}: some test folds will have no sample of "
                "it (scikit-learn warns the same).",
                UserWarning,
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

    An int gives :class:`StratifiedKFold` for a classifier whose ``y`` holds class labels
    (one column, not continuous), else :class:`KFold` (scikit-learn's rule, so a classifier
    given a continuous target reports it itself); an object with ``split`` is used as is; an
    iterable of ``(train, test)`` index pairs is used as the list of splits.
    """
    cv = 5 if cv is None else _check_cv_kind(cv, "cv")
    if is_int(cv):
        return StratifiedKFold(cv) if classifier and _holds_class_labels(y) else KFold(cv)
    if hasattr(cv, "split"):
        return cv
    return _FixedSplits(list(cv))


def _check_cv_kind(cv: Any, name: str) -> Any:
    """``cv`` itself if it is an int, a splitter or an iterable of splits (not consumed)."""
    if is_int(cv) or (not isinstance(cv, (str, bytes))  # a str has split(), but is no splitter
                      and (hasattr(cv, "split") or isinstance(cv, Iterable))):
        return cv
    raise TypeError(
        f"{name} must be an int (number of folds), a splitter with a split method, or an "
        f"iterable of (train, test) index arrays; got {cv!r}."
    )


def _check_cv_parameter(cv: Any, name: str) -> Any:
    """The rule of an estimator's ``cv`` hyper-parameter: ``None``, an int of at least 2
    folds, a splitter or an iterable of ``(train, test)`` pairs; checked, not split."""
    if cv is None:
        return None
    if is_int(cv) and cv < 2:
        raise ValueError(f"{name} must be at least 2 (the number of folds); got {cv}.")
    return _check_cv_kind(cv, name)


#: ``cv`` in an estimator's table of parameter rules.
CV_RULE = Check(_check_cv_parameter, "None, an int >= 2, a splitter or an iterable of "
                "(train, test) splits", invalid=(1, "five", 2.5))


def _holds_class_labels(y: Any) -> bool:
    """Binary or multiclass labels: one column, and whole numbers if floats."""
    if y is None:
        return False
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if labels.ndim != 1:
        return False
    return labels.dtype.kind != "f" or bool(np.all(labels == np.round(labels)))


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
