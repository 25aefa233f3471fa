"""Input validation: the one place where user input is checked.

Every estimator, transformer, metric and data generator calls these helpers, so a bad
argument is reported the same way everywhere: a ``ValueError`` or ``TypeError`` whose message
names the argument, says what was wrong and what is allowed.

Choices made here (and relied on by the rest of the library):

* Arrays may be given as NumPy arrays, (nested) lists and tuples, or pandas ``DataFrame`` /
  ``Series``. pandas is never imported by this module: a pandas object is recognised by its
  type's module, and its column names are kept as ``feature_names``.
* Floating dtypes are preserved (float32 stays float32); integer input becomes float64.
* **Booleans are rejected where numbers are required.** ``True`` as a learning rate, or a
  boolean feature matrix, is far more often a mistake (a mask passed for data) than intent; the
  error says how to convert explicitly (``X.astype(float)``). Class labels ``y`` may be boolean.
* Strings, bytes, complex numbers and Python objects that are not real numbers are rejected.
  An ``object`` array is accepted only when every element is a real number.
* NaN and ±inf are rejected, as are empty arrays (0 samples or 0 features) and ragged lists.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, overload

import numpy as np
from numpy.typing import DTypeLike

from fromscratch.exceptions import DataConversionWarning, warn_at_caller

__all__ = [
    "check_array",
    "check_X_y",
    "check_y",
    "check_scalar",
    "check_random_state",
    "check_choice",
    "encode_class_labels",
    "check_sample_weight",
    "check_weighted_classes",
    "class_weights",
    "class_sample_weight",
    "feature_names_of",
    "is_pandas",
]

_NUMERIC_KINDS = "fiu"  # float, signed int, unsigned int


def is_pandas(obj: Any) -> bool:
    """True for a pandas object, detected without importing pandas."""
    module = type(obj).__module__ or ""
    return module.split(".")[0] == "pandas"


def feature_names_of(X: Any) -> np.ndarray | None:
    """Column names of a DataFrame as an object array of str, else ``None``.

    Like scikit-learn, names are kept only when every column name is a string.
    """
    if not (is_pandas(X) and hasattr(X, "columns")):
        return None
    names = list(X.columns)
    if not names or not all(isinstance(n, str) for n in names):
        return None
    return np.asarray(names, dtype=object)


def _n_samples(array: Any, name: str) -> int:
    """The number of rows of an array-like (ndarray, list, DataFrame), without converting it."""
    if array is None or isinstance(array, (str, bytes)) or not hasattr(array, "__len__"):
        raise TypeError(f"{name} must be an array-like with one row per sample; got {array!r}.")
    shape = getattr(array, "shape", None)
    if shape is not None and len(shape) == 0:
        raise TypeError(f"{name} must be an array-like with one row per sample; got a scalar.")
    return int(shape[0]) if shape is not None else len(array)


def _check_same_length(arrays: dict[str, Any]) -> int:
    """The common number of rows of ``arrays`` (name -> array-like; None entries are skipped).

    A ``ValueError`` names every array and its length when they disagree, or says which are
    empty. Model selection calls it on raw input (lists, DataFrames) before any conversion,
    the metrics on their checked arrays.
    """
    lengths = {name: _n_samples(a, name) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"Inconsistent numbers of samples: {listed}.")
    n = next(iter(lengths.values()))
    if n == 0:
        raise ValueError(f"{', '.join(lengths)} has 0 samples; at least 1 required.")
    return n


def _to_ndarray(value: Any, name: str) -> np.ndarray:
    """Turn lists, tuples, pandas objects and arrays into an ndarray, with clear errors."""
    if isinstance(value, np.ndarray):
        return value
    if is_pandas(value):
        return value.to_numpy()
    if value is None:
        raise TypeError(f"{name} is None; expected an array-like of numbers.")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} is a {type(value).__name__}; expected an array-like of numbers.")
    module = type(value).__module__ or ""
    if module.split(".")[0] == "dask" and not hasattr(value, "chunks"):
        # a Dask DataFrame or Series: np.asarray would gather all of it here, silently
        raise TypeError(
            f"{name} is a Dask {type(value).__name__}; the estimators take row-chunked Dask "
            f"arrays, block by block. Convert it with {name}.to_dask_array(lengths=True) (or "
            f"{name}.compute() if it fits in memory)."
        )
    if hasattr(value, "toarray") or module.startswith("scipy.sparse"):
        raise TypeError(
            f"{name} is a sparse matrix; fromscratch works on dense arrays. "
            f"Convert it with {name}.toarray()."
        )
    try:
        return np.asarray(value)
    except ValueError as exc:  # NumPy >= 1.24 refuses ragged nested sequences
        raise ValueError(
            f"{name} is a ragged nested sequence (its rows have different lengths); "
            "every row must have the same number of entries."
        ) from exc


def _as_real_dtype(arr: np.ndarray, name: str, dtype: DTypeLike) -> np.ndarray:
    """Check the element type and convert to a floating dtype.

    ``dtype="numeric"`` keeps float32/float64 and turns integers into float64.
    """
    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(
            f"{name} has boolean dtype, but numbers are required. Booleans are rejected on "
            f"purpose (they are usually a mask passed by mistake); convert explicitly with "
            f"{name}.astype(float) if 0/1 values are intended."
        )
    if kind == "c":
        raise ValueError(
            f"{name} has complex dtype {arr.dtype}: Complex data not supported; only real "
            "numbers are allowed."
        )
    if kind in "USa":
        raise TypeError(
            f"{name} contains strings (dtype {arr.dtype}); numbers are required. Encode "
            "categorical columns first, e.g. with fromscratch.preprocessing.OneHotEncoder."
        )
    if kind == "O":
        flat = arr.ravel()
        for position, element in enumerate(flat):
            if isinstance(element, (bool, np.bool_)) or not isinstance(element, numbers.Real):
                where = np.unravel_index(position, arr.shape)
                raise TypeError(
                    f"{name} has dtype object and holds a {type(element).__name__} at "
                    f"position {tuple(int(i) for i in where)}; every element must be a real "
                    "number (a float() argument must be a string or a number, and strings "
                    "are not allowed either)."
                )
        arr = arr.astype(np.float64)
        kind = "f"
    if kind not in _NUMERIC_KINDS:
        raise TypeError(f"{name} has unsupported dtype {arr.dtype}; numbers are required.")

    if dtype is None or dtype == "numeric":
        if kind == "f" and arr.dtype in (np.float32, np.float64):
            return arr
        return arr.astype(np.float64)
    return arr.astype(dtype)


def _check_finite(arr: np.ndarray, name: str) -> None:
    # A NaN or an infinity makes the sum NaN or infinite, so a finite sum proves every value
    # finite: one pass with no temporary array settles the common case. A sum that is not
    # finite may also be an overflow of large finite values; the elementwise test decides.
    if arr.dtype.kind != "f":
        return
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(arr)):
            return
    if not np.isfinite(arr).all():
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        problems = []
        if n_nan:
            problems.append(f"{n_nan} NaN value(s)")
        if n_inf:
            problems.append(f"{n_inf} infinity value(s)")
        raise ValueError(
            f"{name} contains {' and '.join(problems)}; every value must be finite. "
            "Remove or impute missing values first."
        )


def check_array(
    X: Any,
    *,
    name: str = "X",
    ensure_2d: bool = True,
    allow_nd: bool = False,
    dtype: DTypeLike = "numeric",
    ensure_min_samples: int = 1,
    ensure_min_features: int = 1,
    copy: bool = False,
) -> np.ndarray:
    """Validate an array of numbers and return it as a floating ndarray.

    Parameters
    ----------
    X : array-like
        NumPy array, nested list/tuple, or pandas DataFrame/Series.
    name : str
        The argument's name, used in error messages.
    ensure_2d : bool
        Require exactly two dimensions (samples × features). A 1-D input gets an error that
        suggests ``reshape(-1, 1)`` or ``reshape(1, -1)``.
    allow_nd : bool
        Allow more than two dimensions (e.g. a stack of images).
    dtype : "numeric", None or a NumPy dtype
        ``"numeric"``/``None`` keep float32 and float64 and turn integers into float64.
    ensure_min_samples, ensure_min_features : int
        Smallest allowed size of axis 0 and (for 2-D input) axis 1.
    copy : bool
        Return a copy even when no conversion was needed.

    Returns
    -------
    numpy.ndarray
        A finite floating array.

    Raises
    ------
    TypeError
        Booleans, strings, complex numbers, objects that are not real numbers, sparse matrices.
    ValueError
        NaN or ±inf, a wrong number of dimensions, too few samples or features, ragged lists.
    """
    arr = _as_real_dtype(_to_ndarray(X, name), name, dtype)

    if ensure_2d:
        if arr.ndim == 0:
            raise ValueError(
                f"{name} must be a 2-D array of shape (n_samples, n_features); got a scalar."
            )
        if arr.ndim == 1:
            raise ValueError(
                f"{name} must be a 2-D array of shape (n_samples, n_features); got a 1-D array "
                f"of shape {arr.shape}. Reshape your data with {name}.reshape(-1, 1) if it is "
                f"one feature, or {name}.reshape(1, -1) if it is one sample."
            )
        if arr.ndim > 2 and not allow_nd:
            raise ValueError(
                f"{name} must be a 2-D array of shape (n_samples, n_features); got "
                f"{arr.ndim} dimensions, shape {arr.shape}."
            )
    elif arr.ndim == 0:
        raise ValueError(f"{name} must be an array; got a scalar.")

    n_samples = arr.shape[0]
    if n_samples < ensure_min_samples:
        raise ValueError(
            f"{name} has {n_samples} sample(s) (shape={arr.shape}) while a minimum of "
            f"{ensure_min_samples} is required."
        )
    if ensure_2d and arr.shape[1] < ensure_min_features:
        raise ValueError(
            f"{name} has {arr.shape[1]} feature(s) (shape={arr.shape}) while a minimum of "
            f"{ensure_min_features} is required."
        )

    _check_finite(arr, name)
    if copy and arr is X:
        arr = arr.copy()
    return arr


def check_y(
    y: Any,
    *,
    name: str = "y",
    y_numeric: bool = True,
    multi_output: bool = False,
) -> np.ndarray:
    """Validate a target vector.

    A column vector of shape ``(n, 1)`` is flattened with a ``DataConversionWarning`` (as
    scikit-learn does). With
    ``y_numeric=False`` (class labels) any label type is allowed: ints, strings, booleans; only
    missing values are rejected.
    """
    arr = _to_ndarray(y, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a 1-D array of targets; got a scalar.")
    if arr.ndim == 2 and arr.shape[1] == 1 and not multi_output:
        warn_at_caller(
            f"A column-vector {name} was passed when a 1d array was expected; it was flattened "
            f"to shape ({arr.shape[0]},). Pass {name}.ravel() to silence this warning.",
            DataConversionWarning,
        )
        arr = arr.ravel()
    if arr.ndim != 1 and not (multi_output and arr.ndim == 2):
        allowed = "1-D (or 2-D for several outputs)" if multi_output else "1-D"
        raise ValueError(f"{name} must be {allowed}; got shape {arr.shape}.")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} has 0 samples; at least 1 required.")

    if y_numeric:
        arr = _as_real_dtype(arr, name, "numeric")
        _check_finite(arr, name)
        return arr

    if arr.dtype.kind == "f":
        _check_finite(arr, name)
    elif arr.dtype.kind == "O":
        for element in arr.ravel():
            if element is None or (isinstance(element, float) and not np.isfinite(element)):
                raise ValueError(f"{name} contains a missing label ({element!r}).")
    return arr


def check_X_y(
    X: Any,
    y: Any,
    *,
    y_numeric: bool = True,
    multi_output: bool = False,
    dtype: DTypeLike = "numeric",
    ensure_min_samples: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Validate a feature matrix and its targets together; see :func:`check_array`.

    Raises ``ValueError`` when X and y do not have the same number of samples.
    """
    if y is None:
        raise ValueError(
            "y is None: this estimator requires y to be passed, but the target y is None. "
            "Call fit(X, y)."
        )
    X_checked = check_array(X, dtype=dtype, ensure_min_samples=ensure_min_samples)
    y_checked = check_y(y, y_numeric=y_numeric, multi_output=multi_output)
    if X_checked.shape[0] != y_checked.shape[0]:
        raise ValueError(
            f"X and y have different numbers of samples: X has {X_checked.shape[0]}, "
            f"y has {y_checked.shape[0]}."
        )
    if y_numeric and y_checked.dtype != X_checked.dtype:  # the targets take X's precision
        y_checked = y_checked.astype(X_checked.dtype)
    return X_checked, y_checked


@overload
def check_scalar(
    value: Any, name: str, *, kind: type[int], min_val: float | None = ...,
    max_val: float | None = ..., include_min: bool = ..., include_max: bool = ...,
    allow_inf: bool = ...,
) -> int: ...
@overload
def check_scalar(
    value: Any, name: str, *, kind: type[float] = ..., min_val: float | None = ...,
    max_val: float | None = ..., include_min: bool = ..., include_max: bool = ...,
    allow_inf: bool = ...,
) -> float: ...
def check_scalar(
    value: Any,
    name: str,
    *,
    kind: type = float,
    min_val: float | None = None,
    max_val: float | None = None,
    include_min: bool = True,
    include_max: bool = True,
    allow_inf: bool = False,
) -> float | int:
    """Validate a scalar hyper-parameter and return it as ``int`` or ``float``.

    ``kind=int`` accepts Python and NumPy integers; ``kind=float`` accepts any real number.
    Booleans are rejected for both (``True`` is an ``int`` in Python, but never a sensible
    learning rate or iteration count).
    """
    if isinstance(value, (bool, np.bool_)):
        article = "an" if kind is int else "a"
        raise TypeError(f"{name} must be {article} {kind.__name__}, got the boolean {value!r}.")
    if kind is int:
        if not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}.")
        value = int(value)
    else:
        if not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}.")
        value = float(value)
        if np.isnan(value):
            raise ValueError(f"{name} must be a number, got NaN.")
        if np.isinf(value) and not allow_inf:
            raise ValueError(f"{name} must be finite, got {value}.")

    low_ok = min_val is None or (value >= min_val if include_min else value > min_val)
    high_ok = max_val is None or (value <= max_val if include_max else value < max_val)
    if not (low_ok and high_ok):
        left = "(-inf" if min_val is None else ("[" if include_min else "(") + f"{min_val:g}"
        right = "inf)" if max_val is None else f"{max_val:g}" + ("]" if include_max else ")")
        raise ValueError(f"{name} must be in {left}, {right}; got {value!r}.")
    return value


def check_random_state(random_state: Any, name: str = "random_state") -> np.random.Generator:
    """Turn ``random_state`` into a ``numpy.random.Generator``.

    ``None`` gives fresh OS entropy; a non-negative int seeds a new generator; a ``Generator``
    is used as is (so successive calls share its stream). Global seeding is never used.
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        # A legacy RandomState (scikit-learn's checks pass one): draw a seed from it.
        return np.random.default_rng(random_state.randint(0, 2**31 - 1))
    if isinstance(random_state, (bool, np.bool_)) or not isinstance(random_state, numbers.Integral):
        raise TypeError(
            f"{name} must be None, a non-negative int or a numpy.random.Generator; got "
            f"{type(random_state).__name__} {random_state!r}."
        )
    if random_state < 0:
        raise ValueError(f"{name} must be a non-negative int; got {random_state}.")
    return np.random.default_rng(int(random_state))


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """Validate a string option against its allowed values, suggesting the closest ones."""
    if isinstance(value, str) and value in choices:
        return value
    allowed = ", ".join(repr(c) for c in choices)
    hint = ""
    if isinstance(value, str):
        import difflib

        close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.5)
        if close:
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?"
    raise ValueError(f"{name} must be one of {allowed}; got {value!r}.{hint}")


def encode_class_labels(y: np.ndarray, estimator: str) -> tuple[np.ndarray, np.ndarray]:
    """The sorted classes of ``y`` and each label's index in them, for a classifier's ``fit``.

    Any label type works (ints, strings, booleans, whole-number floats). A continuous ``y``, a
    mix of unsortable types or a single class is refused with a message naming ``estimator``.
    """
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(
            "Unknown label type: y is continuous (it has non-integer values such as "
            f"{y[y != np.round(y)][0]!r}); {estimator} is a classifier and needs class labels. "
            "For a continuous target use a regressor."
        )
    if y.dtype.kind in "iu" and y.size and int(y.max()) - int(y.min()) < max(y.size, 1024):
        # Integers over a short range are counted, not sorted: O(n) where np.unique sorts.
        offset = y.min()
        counts = np.bincount(y - offset)
        classes = (np.flatnonzero(counts) + offset).astype(y.dtype)
        index = (np.cumsum(counts > 0) - 1)[y - offset]
    else:
        classes = _unique_labels(y)
        index, _ = _encode(y, classes)
    if classes.size < 2:
        raise ValueError(
            f"y has only one class ({classes[0]!r}); {estimator} needs samples of at least two "
            "classes."
        )
    return classes, index


def _unique_labels(*ys: np.ndarray) -> np.ndarray:
    """The sorted union of the class labels in ``ys`` (the classes of a classifier or metric).

    Labels that cannot be sorted together (strings with numbers) are a ``TypeError`` that says
    so, not NumPy's comparison error.
    """
    try:
        return np.unique(np.concatenate(ys))
    except TypeError as exc:
        raise TypeError(
            "y mixes label types that cannot be sorted (e.g. strings and numbers); use labels of "
            "one type."
        ) from exc


def _encode(y: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each element of ``y`` in ``labels`` (any order) and a mask of those found.

    Elements not in ``labels`` get an arbitrary index and ``False`` in the mask.
    """
    if len(labels) == 0:  # nothing to find (e.g. a OneHotEncoder given no categories)
        return np.zeros(len(y), dtype=np.intp), np.zeros(len(y), dtype=bool)
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    position = np.clip(np.searchsorted(sorted_labels, y), 0, len(labels) - 1)
    found = sorted_labels[position] == y
    return order[position], np.asarray(found, dtype=bool)


def check_sample_weight(
    sample_weight: Any, n_samples: int, dtype: Any = None
) -> np.ndarray | None:
    """Validate per-sample weights: one finite, non-negative number per sample, with a
    positive sum.

    ``None`` stays ``None`` (every sample weighs 1); a single number gives every sample that
    weight (as in scikit-learn). A weight multiplies its sample's term in the objective, so an
    integer weight ``k`` counts the sample ``k`` times and a zero weight drops it.

    Parameters
    ----------
    sample_weight : None, real number or array-like of shape (n_samples,)
    n_samples : int
        The number of samples the weights must match.
    dtype : NumPy dtype, optional
        The floating dtype of the result (that of ``X`` in the estimators); by default
        float32 stays float32 and anything else becomes float64.

    Returns
    -------
    ndarray of shape (n_samples,) or None
        A new array when the input was converted; the caller must not write into it.

    Raises
    ------
    TypeError
        Booleans, strings or other non-numbers.
    ValueError
        Not one-dimensional, the wrong length, NaN or infinite, negative, or all zero; each
        message names ``sample_weight``.
    """
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Real) and not isinstance(sample_weight, (bool, np.bool_)):
        sample_weight = np.full(n_samples, sample_weight, dtype=np.float64)
    w = _as_real_dtype(_to_ndarray(sample_weight, "sample_weight"), "sample_weight", "numeric")
    if w.ndim != 1:
        raise ValueError(
            "sample_weight must be 1-D, one weight per sample (shape "
            f"({n_samples},)), or a single number; got shape {w.shape}."
        )
    if w.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight has {w.shape[0]} entries but there are {n_samples} samples."
        )
    _check_finite(w, "sample_weight")
    if (w < 0).any():
        raise ValueError(
            f"sample_weight must be non-negative; got a negative weight ({float(w[w < 0][0])!r} at "
            f"position {int(np.flatnonzero(w < 0)[0])}). A weight counts its sample's term in "
            "the objective; use 0 to leave a sample out."
        )
    if not w.sum() > 0:
        raise ValueError(
            "sample_weight sums to 0 (every weight is zero); at least one sample needs a "
            "positive weight."
        )
    if dtype is not None:
        w = w.astype(dtype, copy=False)
    return w


def check_weighted_classes(
    classes: np.ndarray, index: np.ndarray, weight: np.ndarray | None, estimator: str
) -> None:
    """Refuse weights that leave fewer than two classes with positive total weight: a
    classifier's ``fit`` would then see one class only (``index`` is each sample's class
    index in ``classes``; ``None`` weights are all 1)."""
    if weight is None:
        return
    totals = np.bincount(index, weights=weight, minlength=classes.size)
    weighted = classes[totals > 0]
    if weighted.size < 2:
        raise ValueError(
            f"The weights leave only the class {weighted.tolist()} with samples of positive "
            f"weight (sample_weight, and class_weight where given); {estimator} needs samples "
            "of at least two classes with positive weight."
        )


def class_weights(class_weight: Any, classes: np.ndarray, totals: np.ndarray
                  ) -> np.ndarray | None:
    r"""The weight of each class (in the order of ``classes``) by a ``class_weight``
    parameter, or ``None`` for ``None``; ``totals`` is each class's total sample weight
    :math:`\sum_{i: y_i = k} \mathrm{sw}_i` (its count without sample weights).

    ``"balanced"``: :math:`\sum_i \mathrm{sw}_i / (K \sum_{i: y_i = k} \mathrm{sw}_i)` — with
    unit sample weights :math:`n / (K n_k)`, scikit-learn's ``compute_class_weight`` — so that
    after weighting every class has the same total weight. A dict gives weights by class
    label; classes it does not name weigh 1.

    Raises
    ------
    TypeError
        ``class_weight`` is neither ``None``, a string nor a dict.
    ValueError
        A string other than ``"balanced"``; a dict naming a label that is not a class of
        ``y``, or a weight that is negative or not a number.
    """
    if class_weight is None:
        return None
    if isinstance(class_weight, str):
        check_choice(class_weight, "class_weight", ("balanced",))
        with np.errstate(divide="ignore"):  # a class without weight: its weight does not matter
            return np.where(totals > 0, totals.sum() / (classes.size * totals), 1.0)
    if not isinstance(class_weight, dict):
        raise TypeError(
            "class_weight must be None, 'balanced' or a dict {class label: weight}; got "
            f"{type(class_weight).__name__} {class_weight!r}."
        )
    weights = np.ones(classes.size)
    listed = classes.tolist()
    for label, weight in class_weight.items():
        if label not in listed:
            raise ValueError(
                f"class_weight names the class {label!r}, which is not a class of y (the "
                f"classes are {listed}); give weights only for the labels in y."
            )
        weights[listed.index(label)] = check_scalar(weight, f"class_weight[{label!r}]",
                                                    min_val=0.0)
    return weights


def class_sample_weight(
    class_weight: Any, classes: np.ndarray, index: np.ndarray,
    sample_weight: np.ndarray | None, estimator: str, dtype: Any = np.float64,
) -> np.ndarray | None:
    r"""Each sample's weight in a classifier's objective: its sample weight times its class's
    weight, :math:`s_i = \mathrm{sw}_i\, c_{y_i}` (:func:`class_weights`); ``None`` when every
    sample weighs 1. ``index`` is each sample's class index in ``classes``, ``sample_weight``
    already checked (:func:`check_sample_weight`); the weights have the ``dtype`` of the data.
    At least two classes must keep a positive weight (:func:`check_weighted_classes`)."""
    totals = np.bincount(index, weights=sample_weight, minlength=classes.size)
    per_class = class_weights(class_weight, classes, totals)
    if per_class is None:
        weight = sample_weight
    else:
        weight = per_class.astype(dtype)[index]
        if sample_weight is not None:
            weight *= sample_weight
    check_weighted_classes(classes, index, weight, estimator)
    return weight


_BIT_GENERATORS = ("MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64")


def generator_from_state(state: Any, name: str = "state") -> np.random.Generator:
    """A new ``numpy.random.Generator`` in the state ``state`` (a ``bit_generator.state`` dict).

    Only NumPy's own bit generators are rebuilt, by name; a state that is not a dict, names
    another bit generator or does not fit it raises a ``ValueError`` naming ``name``.
    """
    kind = state.get("bit_generator") if isinstance(state, dict) else None
    if kind not in _BIT_GENERATORS:
        raise ValueError(
            f"{name} must be the state of a NumPy bit generator (the dict "
            f"Generator.bit_generator.state, naming one of {', '.join(_BIT_GENERATORS)}); "
            f"got {type(state).__name__} {str(state)[:80]}."
        )
    bit_generator = getattr(np.random, kind)()
    try:
        bit_generator.state = state
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"{name} is not a valid {kind} state: {exc}") from None
    return np.random.Generator(bit_generator)
