r"""Feature transformers (scikit-learn's API and column order).

* :class:`StandardScaler` — $z = (x - \mu) / \sigma$ per feature.
* :class:`PolynomialFeatures` — all monomials of the features up to a degree.
* :class:`OneHotEncoder` — one 0/1 column per category of a categorical feature.

Each transformer has ``fit``, ``transform``, ``fit_transform``, ``get_feature_names_out`` and,
where scikit-learn has it, ``inverse_transform``. Output is always a dense ndarray.
:mod:`fromscratch.compose` applies them to chosen columns (``ColumnTransformer``) and chains
them with an estimator (``Pipeline``).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from itertools import chain, combinations, combinations_with_replacement
from typing import Any, Literal

import numpy as np

from fromscratch._param_validation import (
    AnyOf,
    Check,
    InstanceOf,
    Options,
    OrNone,
    Rule,
    flag,
)
from fromscratch._validation import (
    _encode,
    _to_ndarray,
    check_array,
    check_sample_weight,
    feature_names_of,
    is_pandas,
)
from fromscratch.base import BaseEstimator, TransformerMixin, check_is_fitted
from fromscratch.blocks import block_moments, is_dask_array, map_method

__all__ = ["StandardScaler", "PolynomialFeatures", "OneHotEncoder"]


def _input_feature_names(estimator: Any, input_features: Any) -> np.ndarray:
    """The names of the features seen in ``fit`` (``x0, x1, ...`` when X had no names).

    ``input_features``, if given, must agree with the fitted names and count.
    """
    check_is_fitted(estimator)
    fitted = getattr(estimator, "feature_names_in_", None)
    n = estimator.n_features_in_
    if input_features is None:
        if fitted is not None:
            return fitted
        return np.asarray([f"x{i}" for i in range(n)], dtype=object)
    names = np.asarray(input_features, dtype=object)
    if names.ndim != 1 or names.shape[0] != n:
        raise ValueError(
            f"input_features should have {n} names (one per feature seen in fit); got "
            f"{names.shape[0] if names.ndim == 1 else names.shape}."
        )
    if fitted is not None and not np.array_equal(names, fitted):
        raise ValueError(
            f"input_features {names.tolist()} are not equal to feature_names_in_ "
            f"{fitted.tolist()}."
        )
    return names


# ---------------------------------------------------------------------------------------------
# StandardScaler
# ---------------------------------------------------------------------------------------------


class StandardScaler(TransformerMixin, BaseEstimator):
    r"""Standardise each feature: $z_{ij} = (x_{ij} - \mu_j) / \sigma_j$.

    With weights $w_i$ (all 1 by default) the statistics are

    .. math::
        \mu_j = \frac{\sum_i w_i x_{ij}}{\sum_i w_i}, \qquad
        \sigma_j^2 = \frac{\sum_i w_i (x_{ij} - \mu_j)^2}{\sum_i w_i},

    the *biased* (population) variance, as in scikit-learn. A feature whose variance is zero
    up to rounding keeps $\sigma_j = 1$: it is centred but not blown up by a division by
    ~0.

    Parameters
    ----------
    copy : bool, default True
        ``False`` standardises a float NumPy input in place.
    with_mean : bool, default True
        Subtract $\mu$.
    with_std : bool, default True
        Divide by $\sigma$.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
        $\mu$ (float64); None when neither centring nor scaling.
    var_ : ndarray of shape (n_features,) or None
        $\sigma^2$; None without scaling.
    scale_ : ndarray of shape (n_features,) or None
        $\sigma$, with 1 for constant features; None without scaling.
    n_samples_seen_ : float
        Number of samples (sum of weights with ``sample_weight``).
    n_features_in_, feature_names_in_
        As in every estimator.

    Notes
    -----
    Float32 input gives float32 output; the statistics are accumulated in float64.
    """

    _parameter_constraints: dict[str, Rule] = {"copy": flag, "with_mean": flag, "with_std": flag}

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> StandardScaler:
        """Compute $\\mu$ and $\\sigma$ of each feature; ``y`` is ignored.

        ``X`` may be a row-chunked Dask array: then one pass computes both statistics, block
        by block, merged by Chan et al.'s stable update (:func:`fromscratch.blocks.moments`),
        without gathering ``X``.
        """
        self._validate_params()
        if is_dask_array(X):
            from fromscratch._preprocessing_blocks import scaler_statistics

            statistics = scaler_statistics(self, X, sample_weight)
            self._record_features(X, X)  # after the pass: a failed fit stores nothing
            return self._set_statistics(*statistics)
        X = self._validate_fit(X)
        w = check_sample_weight(sample_weight, X.shape[0])
        weight = float(X.shape[0] if w is None else w.sum())
        mean = var = None
        if self.with_mean or self.with_std:
            # The moments of one block, as the Dask pass computes them per block: a corrected
            # mean (accurate when the mean is large next to the spread), then the variance.
            moments = block_moments(X.astype(np.float64), w)
            mean = moments.mean
            var = moments.variance if self.with_std else None
        return self._set_statistics(X.shape[0], weight, mean, var)

    def _set_statistics(self, n_rows: int, weight: float, mean: np.ndarray | None,
                        var: np.ndarray | None) -> StandardScaler:
        """Store what ``fit`` computed: the rows and their total weight, $\\mu$ and
        $\\sigma^2$ (``None`` where not needed), and the scales."""
        self.n_samples_seen_ = weight
        if not (self.with_mean or self.with_std):
            self.mean_ = self.var_ = self.scale_ = None
            return self
        self.mean_ = mean
        if not self.with_std:
            self.var_ = self.scale_ = None
            return self
        assert mean is not None and var is not None  # fit computes both when it scales
        self.var_ = var
        # Rounding grows with the number of terms summed, not with their weights: with weights
        # below 1 the weight sum would understate it (scikit-learn passes the weight sum).
        terms = max(float(n_rows), self.n_samples_seen_)
        self.scale_ = np.where(
            _is_constant(var, mean, terms), 1.0, np.sqrt(var)
        )
        return self

    def transform(self, X: Any, copy: bool | None = None) -> np.ndarray:
        """Return $(X - \\mu) / \\sigma$ (each step only if enabled); lazily, with the same
        row chunks, for a row-chunked Dask array."""
        if is_dask_array(X):
            return map_method(self, "transform", X)
        X = self._validate_predict(X)
        if self.copy if copy is None else copy:
            X = X.copy()
        if self.with_mean:
            X -= self.mean_
        if self.with_std:
            X /= self.scale_
        return X

    def inverse_transform(self, X: Any, copy: bool | None = None) -> np.ndarray:
        """Return $Z \\sigma + \\mu$, undoing :meth:`transform` (lazily for a Dask array)."""
        if is_dask_array(X):
            return map_method(self, "inverse_transform", X)
        check_is_fitted(self)
        X = check_array(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but StandardScaler is expecting "
                f"{self.n_features_in_} features as input."
            )
        if self.copy if copy is None else copy:
            X = X.copy()
        if self.with_std:
            X *= self.scale_
        if self.with_mean:
            X += self.mean_
        return X

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Same names as the input features."""
        return _input_feature_names(self, input_features)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags



def _is_constant(var: np.ndarray, mean: np.ndarray, n_samples: float) -> np.ndarray:
    """True where a computed variance is zero up to floating-point error.

    A constant column's computed variance is not exactly 0 but of the order of the rounding
    error of the mean: $n\\epsilon\\,\\sigma^2 + (n \\mu \\epsilon)^2$ bounds it (the same
    bound as scikit-learn, so the same features are left unscaled).
    """
    eps = np.finfo(np.float64).eps
    upper_bound = n_samples * eps * var + (n_samples * mean * eps) ** 2
    return var <= upper_bound


# ---------------------------------------------------------------------------------------------
# PolynomialFeatures
# ---------------------------------------------------------------------------------------------


def _degree_bounds(degree: Any, name: str) -> tuple[int, int]:
    """``degree``: a non-negative int d, meaning (0, d), or a pair (min_degree, max_degree)."""
    is_int = isinstance(degree, numbers.Integral) and not isinstance(degree, (bool, np.bool_))
    if is_int and degree >= 0:
        return 0, int(degree)
    if (
        isinstance(degree, tuple) and len(degree) == 2
        and all(isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in degree)
        and 0 <= degree[0] <= degree[1]
    ):
        return int(degree[0]), int(degree[1])
    raise ValueError(
        f"{name} must be a non-negative int or a tuple (min_degree, max_degree) with "
        f"0 <= min_degree <= max_degree; got {degree!r}."
    )


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    r"""All monomials $x_1^{a_1} x_2^{a_2} \cdots x_p^{a_p}$ with total degree $\le d$.

    For features $(a, b)$ and degree 2 the output columns are $1, a, b, a^2, ab, b^2$: the
    bias, then degree by degree, each degree in lexicographic order of the feature indices —
    scikit-learn's order. A degree-$d$ expansion of $p$ features has
    $\binom{p + d}{d}$ columns (with the bias).

    Parameters
    ----------
    degree : int or tuple (min_degree, max_degree), default 2
        Largest total degree, or the range of degrees to produce.
    interaction_only : bool, default False
        Keep only products of distinct features ($ab$ but not $a^2$).
    include_bias : bool, default True
        Include the constant column 1 (degree 0).
    order : {"C", "F"}, default "C"
        Memory layout of the output.

    Attributes
    ----------
    powers_ : ndarray of shape ``(n_output_features_, n_features_in_)``
        ``powers_[k, j]`` is the exponent of feature $j$ in output column $k$.
    n_output_features_ : int
    """

    _parameter_constraints: dict[str, Rule] = {
        "degree": Check(_degree_bounds, "a non-negative int or a pair (min_degree, max_degree)",
                        invalid=(-1, (3, 2), 1.5)),
        "interaction_only": flag,
        "include_bias": flag,
        "order": Options("C", "F"),
    }

    def __init__(
        self,
        degree: int | tuple[int, int] = 2,
        *,
        interaction_only: bool = False,
        include_bias: bool = True,
        order: Literal["C", "F"] = "C",
    ):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order

    def _degree_range(self) -> tuple[int, int]:
        low, high = _degree_bounds(self.degree, "degree")
        if high == 0 and not self.include_bias:
            raise ValueError(
                "degree=0 with include_bias=False would produce no columns; raise the degree "
                "or include the bias."
            )
        return low, high

    def _combinations(self, n_features: int) -> Iterator[tuple[int, ...]]:
        """Feature index tuples, one per output column; (0, 0, 2) means $x_0^2 x_2$."""
        low, high = self._degree_range()
        pick = combinations if self.interaction_only else combinations_with_replacement
        degrees = range(max(1, low), high + 1)
        columns = chain.from_iterable(pick(range(n_features), d) for d in degrees)
        return chain([()], columns) if self.include_bias else columns

    def fit(self, X: Any, y: Any = None) -> PolynomialFeatures:
        """Work out the exponents of each output column; ``y`` is ignored."""
        self._validate_params()
        X = self._validate_fit(X)
        n_features = X.shape[1]
        combos = list(self._combinations(n_features))
        powers = np.zeros((len(combos), n_features), dtype=np.int64)
        for row, combo in zip(powers, combos, strict=True):
            np.add.at(row, list(combo), 1)
        self.powers_ = powers
        self.n_output_features_ = len(combos)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Each output column is the product of the input columns in its combination."""
        X = self._validate_predict(X)
        XP = np.empty((X.shape[0], self.n_output_features_), dtype=X.dtype, order=self.order)
        for k, combo in enumerate(self._combinations(X.shape[1])):
            XP[:, k] = np.prod(X[:, list(combo)], axis=1)  # the empty product is the bias, 1
        return XP

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names like ``"1"``, ``"a"``, ``"a^2"``, ``"a b"`` (scikit-learn's spelling)."""
        names = _input_feature_names(self, input_features)
        out = []
        for row in self.powers_:
            used = np.flatnonzero(row)
            terms = [names[j] if row[j] == 1 else f"{names[j]}^{row[j]}" for j in used]
            out.append(" ".join(terms) if terms else "1")
        return np.asarray(out, dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


# ---------------------------------------------------------------------------------------------
# OneHotEncoder
# ---------------------------------------------------------------------------------------------


def _column_label(names: np.ndarray | None, j: int) -> str:
    return repr(names[j]) if names is not None else str(j)


def _check_category_column(column: np.ndarray, label: str) -> np.ndarray:
    """A categorical column: all strings or all numbers, no missing values."""
    kind = column.dtype.kind
    if kind == "f" and not np.isfinite(column).all():
        row = int(np.flatnonzero(~np.isfinite(column))[0])
        what = "NaN (a missing value)" if np.isnan(column[row]) else "inf"
        raise ValueError(
            f"Column {label} contains {what} at row {row}; categories must be finite and not "
            "missing. Fill or drop missing values first, e.g. df[col].fillna('missing')."
        )
    if kind == "O":
        for row, value in enumerate(column):
            if value is None or (isinstance(value, float) and not np.isfinite(value)):
                raise ValueError(
                    f"Column {label} contains a missing value ({value!r}, row {row}); "
                    "categories must not be missing. Fill or drop missing values first, e.g. "
                    "df[col].fillna('missing')."
                )
        others = {type(v).__name__ for v in column if not isinstance(v, str)}
        if others and len(others) < len(column) and any(isinstance(v, str) for v in column):
            raise TypeError(
                f"Column {label} mixes strings with {sorted(others)}; a categorical column "
                "must hold only strings or only numbers (convert it with .astype(str))."
            )
    elif kind == "c":
        raise ValueError(
            f"Column {label} has dtype {column.dtype}: Complex data not supported; use strings, "
            "integers, booleans or floats."
        )
    elif kind not in "biufUS":
        raise TypeError(
            f"Column {label} has dtype {column.dtype}, which cannot be one-hot encoded; "
            "use strings, integers, booleans or floats."
        )
    return column


def _check_categorical(X: Any) -> tuple[list[np.ndarray], np.ndarray | None]:
    """Split X into validated 1-D columns (each keeps its own dtype) and its column names.

    Categorical input cannot go through :func:`check_array` (which requires numbers), so the
    shape checks are done here and each column is checked by :func:`_check_category_column`.
    """
    names = feature_names_of(X)
    if is_pandas(X) and hasattr(X, "columns"):
        columns = [X.iloc[:, j].to_numpy() for j in range(X.shape[1])]
        shape = X.shape
    else:
        array = _to_ndarray(X, "X")  # rejects None, strings, sparse matrices, ragged lists
        if not hasattr(X, "dtype") and array.dtype.kind == "U":
            array = np.asarray(X, dtype=object)  # a list with strings: keep its numbers numbers
        if array.ndim != 2:
            raise ValueError(
                f"X must be a 2-D array of shape (n_samples, n_features); got shape "
                f"{array.shape}. Reshape your data: a single column with X.reshape(-1, 1)."
            )
        columns = list(array.T)
        shape = array.shape
    if shape[0] == 0:
        raise ValueError(f"X has 0 sample(s) (shape={shape}) while a minimum of 1 is required.")
    if shape[1] == 0:
        raise ValueError(f"X has 0 feature(s) (shape={shape}) while a minimum of 1 is required.")
    return [_check_category_column(c, _column_label(names, j)) for j, c in
            enumerate(columns)], names


def _is_string_column(column: np.ndarray) -> bool:
    return column.dtype.kind in "US" or (
        column.dtype.kind == "O" and any(isinstance(v, (str, bytes)) for v in column)
    )


def _check_dtype(dtype: Any, name: str) -> np.dtype:
    """``dtype``: a NumPy number type for the output (``np.float64``, ``"int8"``, ``bool``)."""
    try:
        checked = np.dtype(dtype)
    except TypeError:
        checked = None
    if checked is None or checked.kind not in "biuf":
        raise TypeError(f"{name} must be a NumPy number type such as np.float64; got {dtype!r}.")
    return checked


class OneHotEncoder(TransformerMixin, BaseEstimator):
    r"""Encode each categorical feature as one 0/1 column per category.

    A feature with categories $c_1, \dots, c_K$ (sorted, or as given) becomes the indicator
    vector $([x = c_1], \dots, [x = c_K])$. With ``drop`` one column per feature can be
    removed: the dropped category is then the all-zeros row, which removes the exact
    collinearity $\sum_k [x = c_k] = 1$ with an intercept.

    Columns may hold strings, integers, booleans or floats (a DataFrame keeps each column's
    type). Missing values (None, NaN) are rejected. The output is always a dense array (as
    scikit-learn's ``sparse_output=False``).

    Parameters
    ----------
    categories : "auto" or list of array-like
        ``"auto"``: the sorted unique values seen in ``fit``; or the categories of each
        feature.
    drop : {None, "first", "if_binary"} or array-like of shape (n_features,)
        Drop no column, the first category's, the first only for two-category features, or
        the given category of each feature.
    dtype : number type, default np.float64
        Dtype of the output.
    handle_unknown : {"error", "ignore"}
        A category not seen in ``fit`` raises (naming the column and value) or encodes as all
        zeros.

    Attributes
    ----------
    categories_ : list of ndarray
        The categories of each feature, in output column order.
    drop_idx_ : ndarray of shape (n_features,) or None
        Index into ``categories_[j]`` of the dropped category (None where nothing dropped).
    """

    _parameter_constraints: dict[str, Rule] = {
        "categories": AnyOf(Options("auto"), InstanceOf((list, tuple),
                                                        "a list of categories per feature")),
        "drop": OrNone(AnyOf(Options("first", "if_binary"),
                             InstanceOf((list, tuple, np.ndarray), "one category per feature"))),
        "dtype": Check(_check_dtype, "a NumPy number type", invalid=("text", object)),
        "handle_unknown": Options("error", "ignore"),
    }

    def __init__(
        self,
        *,
        categories: str | list = "auto",
        drop: str | list | None = None,
        dtype: Any = np.float64,
        handle_unknown: str = "error",
    ):
        self.categories = categories
        self.drop = drop
        self.dtype = dtype
        self.handle_unknown = handle_unknown

    def fit(self, X: Any, y: Any = None) -> OneHotEncoder:
        """Learn the categories of each feature; ``y`` is ignored."""
        self._validate_params()
        self._warn_if_gathered(X, "fit")
        columns, names = _check_categorical(X)
        self._record_features(X, np.empty((0, len(columns))))  # records count and names
        if isinstance(self.categories, str):
            self.categories_ = [np.unique(column) for column in columns]
        else:
            self.categories_ = self._given_categories(columns, names)
        self.drop_idx_ = self._drop_indices()
        return self

    def _given_categories(self, columns: list[np.ndarray], names: Any) -> list[np.ndarray]:
        if len(self.categories) != len(columns):
            raise ValueError(
                f"categories has {len(self.categories)} lists but X has {len(columns)} "
                "features; give one list of categories per feature."
            )
        result = []
        for j, (column, given) in enumerate(zip(columns, self.categories, strict=True)):
            label = _column_label(names, j)
            if len(given) == 0:
                raise ValueError(f"categories for column {label} is empty; list at least one "
                                 "category per feature.")
            # Cast to the column's type; strings go to object so none gets truncated.
            string = column.dtype.kind in "OUS"
            categories = np.array(given, dtype=object if string else column.dtype)
            _check_category_column(categories, f"{label} of categories")
            if np.unique(categories).shape[0] != categories.shape[0]:
                raise ValueError(f"categories for column {label} contain duplicates.")
            if self.handle_unknown == "error":
                self._raise_on_unknown(column, categories, label, "fit")
            result.append(categories)
        return result

    def _drop_indices(self) -> np.ndarray | None:
        if self.drop is None:
            return None
        if isinstance(self.drop, str):
            if self.drop == "first":
                return np.zeros(len(self.categories_), dtype=object)
            return np.array([0 if len(c) == 2 else None for c in self.categories_],
                            dtype=object)
        drop = np.asarray(self.drop, dtype=object)
        if drop.shape != (len(self.categories_),):
            raise ValueError(
                f"drop must be None, 'first', 'if_binary' or one category per feature "
                f"({len(self.categories_)}); got {self.drop!r}."
            )
        indices = np.empty(len(drop), dtype=object)
        for j, (value, categories) in enumerate(zip(drop, self.categories_, strict=True)):
            matches = (np.flatnonzero(categories == value) if value is not None
                       else np.empty(0, dtype=np.intp))
            if value is not None and len(matches) == 0:
                raise ValueError(
                    f"drop={value!r} for feature {j} is not one of its categories "
                    f"{categories.tolist()}."
                )
            indices[j] = int(matches[0]) if value is not None else None
        return indices

    def _raise_on_unknown(self, column: np.ndarray, categories: np.ndarray, label: str,
                          during: str) -> None:
        _, found = self._lookup(column, categories, label)
        if not found.all():
            unknown = np.unique(column[~found]).tolist()
            raise ValueError(
                f"Found unknown categories {unknown} in column {label} during {during}; "
                f"known categories are {categories.tolist()}. Use handle_unknown='ignore' to "
                "encode unknown categories as all zeros."
            )

    @staticmethod
    def _lookup(column: np.ndarray, categories: np.ndarray, label: str
                ) -> tuple[np.ndarray, np.ndarray]:
        if _is_string_column(column) != _is_string_column(categories):
            raise TypeError(
                f"Column {label} holds {'strings' if _is_string_column(column) else 'numbers'}"
                " but its categories do not; the column's type must match the one seen in fit."
            )
        return _encode(column, categories)

    def _kept_columns(self) -> list[np.ndarray]:
        """For each feature, the indices of the categories that get an output column."""
        kept = []
        for j, categories in enumerate(self.categories_):
            index = np.arange(len(categories))
            if self.drop_idx_ is not None and self.drop_idx_[j] is not None:
                index = np.delete(index, self.drop_idx_[j])
            kept.append(index)
        return kept

    def _check_columns(self, X: Any) -> list[np.ndarray]:
        check_is_fitted(self)
        columns, names = _check_categorical(X)
        if len(columns) != self.n_features_in_:
            raise ValueError(
                f"X has {len(columns)} features, but OneHotEncoder is expecting "
                f"{self.n_features_in_} features as input."
            )
        fitted = getattr(self, "feature_names_in_", None)
        if names is not None and fitted is not None and list(names) != list(fitted):
            raise ValueError(
                "The feature names of X differ from those seen in fit: "
                f"got {list(names)}, expected {list(fitted)}."
            )
        return columns

    def transform(self, X: Any) -> np.ndarray:
        """The indicator columns of every feature, side by side."""
        self._warn_if_gathered(X, "transform")
        columns = self._check_columns(X)
        names = getattr(self, "feature_names_in_", None)
        blocks = []
        for j, (column, categories, kept) in enumerate(
            zip(columns, self.categories_, self._kept_columns(), strict=True)
        ):
            label = _column_label(names, j)
            if self.handle_unknown == "error":
                self._raise_on_unknown(column, categories, label, "transform")
            index, found = self._lookup(column, categories, label)
            # Output column of each category; -1 for the dropped one. Dropped and unknown
            # categories leave their row of the block all zeros.
            output_column = np.full(len(categories), -1)
            output_column[kept] = np.arange(len(kept))
            column_of_row = np.where(found, output_column[index], -1)
            active = np.flatnonzero(column_of_row >= 0)
            block = np.zeros((len(column), len(kept)), dtype=self.dtype)
            block[active, column_of_row[active]] = 1
            blocks.append(block)
        return np.hstack(blocks)

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Map indicator rows back to categories.

        An all-zeros block decodes to the dropped category, or to None (an unknown category
        under ``handle_unknown="ignore"``).
        """
        check_is_fitted(self)
        kept = self._kept_columns()
        X = check_array(X)
        n_columns = sum(len(k) for k in kept)
        if X.shape[1] != n_columns:
            raise ValueError(
                f"X has {X.shape[1]} columns, but this OneHotEncoder produces {n_columns}."
            )
        decoded, start, any_unknown = [], 0, False
        for j, (categories, keep) in enumerate(zip(self.categories_, kept, strict=True)):
            block = X[:, start:start + len(keep)]
            start += len(keep)
            values = np.empty(X.shape[0], dtype=object)
            if len(keep):
                values[:] = categories[keep[block.argmax(axis=1)]]
            inactive = block.sum(axis=1) == 0
            dropped = None if self.drop_idx_ is None else self.drop_idx_[j]
            if inactive.any() and dropped is None and self.handle_unknown == "error":
                raise ValueError(
                    f"Samples {np.flatnonzero(inactive).tolist()} have no active category in "
                    f"feature {j}, which has no dropped category to decode to."
                )
            values[inactive] = None if dropped is None else categories[dropped]
            any_unknown |= bool(inactive.any()) and dropped is None
            decoded.append(values)
        out = np.column_stack(decoded)
        if any_unknown:
            return out
        return out.astype(np.result_type(*[c.dtype for c in self.categories_]))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``"<feature>_<category>"`` for every output column."""
        names = _input_feature_names(self, input_features)
        return np.asarray([
            f"{name}_{categories[k]}"
            for name, categories, kept in zip(names, self.categories_, self._kept_columns(),
                                              strict=True)
            for k in kept
        ], dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags
