r"""Feature transformers and the glue that chains them (scikit-learn's API and column order).

* :class:`StandardScaler` — $z = (x - \mu) / \sigma$ per feature.
* :class:`PolynomialFeatures` — all monomials of the features up to a degree.
* :class:`OneHotEncoder` — one 0/1 column per category of a categorical feature.
* :class:`ColumnTransformer` — different transformers for different columns (e.g. scale the
  numeric columns of a DataFrame and one-hot encode its text columns), outputs side by side.
* :class:`Pipeline` / :func:`make_pipeline` — transformers followed by a final estimator,
  fitted and applied in order, usable wherever one estimator is.

Each transformer has ``fit``, ``transform``, ``fit_transform``, ``get_feature_names_out`` and,
where scikit-learn has it, ``inverse_transform``. Output is always a dense ndarray.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from itertools import chain, combinations, combinations_with_replacement
from typing import Any

import numpy as np

from fromscratch._validation import (
    _encode,
    _to_ndarray,
    check_array,
    check_choice,
    check_sample_weight,
    feature_names_of,
    is_pandas,
)
from fromscratch.base import BaseEstimator, TransformerMixin, check_is_fitted, clone

__all__ = [
    "StandardScaler",
    "PolynomialFeatures",
    "OneHotEncoder",
    "ColumnTransformer",
    "make_column_transformer",
    "Pipeline",
    "make_pipeline",
]


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

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> StandardScaler:
        """Compute $\\mu$ and $\\sigma$ of each feature; ``y`` is ignored."""
        X = self._validate_fit(X)
        w = check_sample_weight(sample_weight, X.shape[0])
        self.n_samples_seen_ = float(X.shape[0] if w is None else w.sum())
        if not (self.with_mean or self.with_std):
            self.mean_ = self.var_ = self.scale_ = None
            return self
        X64 = X.astype(np.float64)
        self.mean_ = np.average(X64, axis=0, weights=w)
        if not self.with_std:
            self.var_ = self.scale_ = None
            return self
        self.var_ = np.average((X64 - self.mean_) ** 2, axis=0, weights=w)
        # Rounding grows with the number of terms summed, not with their weights: with weights
        # below 1 the weight sum would understate it (scikit-learn passes the weight sum).
        terms = max(float(X.shape[0]), self.n_samples_seen_)
        self.scale_ = np.where(
            _is_constant(self.var_, self.mean_, terms), 1.0, np.sqrt(self.var_)
        )
        return self

    def transform(self, X: Any, copy: bool | None = None) -> np.ndarray:
        """Return $(X - \\mu) / \\sigma$ (each step only if enabled)."""
        X = self._validate_predict(X)
        if self.copy if copy is None else copy:
            X = X.copy()
        if self.with_mean:
            X -= self.mean_
        if self.with_std:
            X /= self.scale_
        return X

    def inverse_transform(self, X: Any, copy: bool | None = None) -> np.ndarray:
        """Return $Z \\sigma + \\mu$, undoing :meth:`transform`."""
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
    powers_ : ndarray of shape (n_output_features_, n_features_in_)
        ``powers_[k, j]`` is the exponent of feature $j$ in output column $k$.
    n_output_features_ : int
    """

    def __init__(
        self,
        degree: int | tuple[int, int] = 2,
        *,
        interaction_only: bool = False,
        include_bias: bool = True,
        order: str = "C",
    ):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order

    def _degree_range(self) -> tuple[int, int]:
        degree = self.degree
        is_int = isinstance(degree, numbers.Integral) and not isinstance(degree, (bool, np.bool_))
        if is_int and degree >= 0:
            low, high = 0, int(degree)
        elif (
            isinstance(degree, tuple) and len(degree) == 2
            and all(isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in degree)
            and 0 <= degree[0] <= degree[1]
        ):
            low, high = int(degree[0]), int(degree[1])
        else:
            raise ValueError(
                "degree must be a non-negative int or a tuple (min_degree, max_degree) with "
                f"0 <= min_degree <= max_degree; got {degree!r}."
            )
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
        check_choice(self.order, "order", ("C", "F"))
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
        column.dtype.kind == "O" and any(isinstance(v, str) for v in column)
    )


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
        check_choice(self.handle_unknown, "handle_unknown", ("error", "ignore"))
        columns, names = _check_categorical(X)
        self._record_features(X, np.empty((0, len(columns))))  # records count and names
        if isinstance(self.categories, str):
            check_choice(self.categories, "categories", ("auto",))
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
            check_choice(self.drop, "drop", ("first", "if_binary"))
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
            matches = np.flatnonzero(categories == value) if value is not None else []
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


# ---------------------------------------------------------------------------------------------
# Composition: parameters of named sub-estimators
# ---------------------------------------------------------------------------------------------


class _NamedParts:
    """``get_params``/``set_params`` that reach named parts: ``"scaler__with_mean"``.

    A subclass lists its parts as ``(name, estimator, ...)`` tuples in the attribute named by
    ``_parts_attribute`` (``steps`` for a pipeline, ``transformers`` for a column
    transformer), so scikit-learn's ``GridSearchCV`` can tune every part.
    """

    _parts_attribute: str

    def _parts(self) -> list[tuple]:
        """The named parts; empty while the attribute is not (yet) a list of tuples, since
        parameters are validated in ``fit``, not in ``set_params``."""
        parts = getattr(self, self._parts_attribute)
        valid = isinstance(parts, (list, tuple)) and all(
            isinstance(p, tuple) and len(p) >= 2 and isinstance(p[0], str) for p in parts
        )
        return list(parts) if valid else []

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params = super().get_params(deep=False)
        if not deep:
            return params
        for name, estimator, *_ in self._parts():
            params[name] = estimator
            if hasattr(estimator, "get_params") and not isinstance(estimator, type):
                for key, value in estimator.get_params(deep=True).items():
                    params[f"{name}__{key}"] = value
        return params

    def set_params(self, **params: Any) -> Any:
        if self._parts_attribute in params:
            setattr(self, self._parts_attribute, params.pop(self._parts_attribute))
        parts = self._parts()
        names = [part[0] for part in parts]
        for key in [k for k in params if k in names]:  # replace a whole part
            index = names.index(key)
            parts[index] = (key, params.pop(key), *parts[index][2:])
            setattr(self, self._parts_attribute, parts)
        nested: dict[str, dict[str, Any]] = {}
        for key in [k for k in params if k.partition("__")[0] in names]:
            name, _, sub = key.partition("__")
            nested.setdefault(name, {})[sub] = params.pop(key)
        for name, sub_params in nested.items():
            parts[names.index(name)][1].set_params(**sub_params)
        return super().set_params(**params) if params else self


def _check_names(names: list[str], what: str) -> None:
    for name in names:
        if not isinstance(name, str) or "__" in name or not name:
            raise ValueError(
                f"{what} names must be non-empty strings without '__'; got {name!r}."
            )
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{what} names must be unique; {duplicates} occur more than once.")


def _auto_names(estimators: tuple) -> list[str]:
    """scikit-learn's names for ``make_pipeline``: lower-case class names, ``-1``, ``-2``..."""
    names = [e if isinstance(e, str) else type(e).__name__.lower() for e in estimators]
    counts = {n: names.count(n) for n in names}
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            names[i] = f"{name}-{seen[name]}"
    return names


# ---------------------------------------------------------------------------------------------
# ColumnTransformer
# ---------------------------------------------------------------------------------------------


class ColumnTransformer(_NamedParts, TransformerMixin, BaseEstimator):
    """Apply a transformer to each group of columns and put the outputs side by side.

    Typical use on a DataFrame with numeric and text columns::

        ColumnTransformer([
            ("num", StandardScaler(), ["area", "year_built"]),
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["neighborhood"]),
        ], remainder="drop")

    Parameters
    ----------
    transformers : list of (name, transformer, columns)
        ``transformer`` is an estimator with ``fit``/``transform`` (cloned in ``fit``), or
        ``"drop"`` or ``"passthrough"``. ``columns`` selects columns by name (str or list of
        str; DataFrames only), by position (int or list of int), by a slice or by a boolean
        mask. Each transformer always receives a 2-D selection, even for a single column
        (scikit-learn passes 1-D for a scalar selector; no fromscratch transformer takes 1-D).
    remainder : {"drop", "passthrough"}, default "drop"
        What happens to the columns no transformer selects; passed-through columns must be
        numeric.
    verbose_feature_names_out : bool, default True
        Prefix output names with the transformer's name: ``"num__area"``.

    Attributes
    ----------
    transformers_ : list of (name, fitted transformer or str, column indices)
        Ends with ``("remainder", remainder, indices)``.
    named_transformers_ : dict
    output_indices_ : dict of name -> slice
        The output columns of each transformer.
    """

    _parts_attribute = "transformers"

    def __init__(
        self,
        transformers: list[tuple],
        *,
        remainder: str = "drop",
        verbose_feature_names_out: bool = True,
    ):
        self.transformers = transformers
        self.remainder = remainder
        self.verbose_feature_names_out = verbose_feature_names_out

    # -- column selection -------------------------------------------------------------------

    def _column_indices(self, X: Any, selector: Any, n_features: int) -> np.ndarray:
        names = feature_names_of(X)
        if isinstance(selector, slice):
            return np.arange(n_features)[selector]
        items = [selector] if np.ndim(selector) == 0 else list(selector)
        if all(isinstance(c, (bool, np.bool_)) for c in items) and items:
            if len(items) != n_features:
                raise ValueError(
                    f"A boolean column mask must have one entry per column ({n_features}); "
                    f"got {len(items)}."
                )
            return np.flatnonzero(items)
        if all(isinstance(c, str) for c in items):
            if names is None:
                raise ValueError(
                    f"Columns {items} are selected by name, which needs a pandas DataFrame "
                    "with string column names; select columns of an array by position."
                )
            missing = [c for c in items if c not in list(names)]
            if missing:
                raise ValueError(f"Columns {missing} are not in X; its columns are "
                                 f"{list(names)}.")
            return np.array([list(names).index(c) for c in items], dtype=np.int64)
        if all(isinstance(c, numbers.Integral) for c in items):
            index = np.asarray(items, dtype=np.int64)
            if ((index < -n_features) | (index >= n_features)).any():
                raise ValueError(
                    f"Column positions {items} are out of range for X with {n_features} "
                    "columns."
                )
            return index % n_features
        raise TypeError(
            "Columns must be selected by name (str), position (int), a list of either, a "
            f"slice or a boolean mask; got {selector!r}."
        )

    @staticmethod
    def _select(X: Any, index: np.ndarray) -> Any:
        if is_pandas(X) and hasattr(X, "iloc"):
            return X.iloc[:, index]
        return X[:, index]

    def _validate_transformers(self) -> None:
        if not isinstance(self.transformers, (list, tuple)) or not all(
            isinstance(t, tuple) and len(t) == 3 for t in self.transformers
        ):
            raise TypeError(
                "transformers must be a list of (name, transformer, columns) tuples; got "
                f"{self.transformers!r}."
            )
        _check_names([name for name, _, _ in self.transformers], "Transformer")
        for name, transformer, _ in self.transformers:
            if isinstance(transformer, str):
                check_choice(transformer, f"transformer {name!r}", ("drop", "passthrough"))
            elif not (hasattr(transformer, "fit") and hasattr(transformer, "transform")):
                raise TypeError(
                    f"Transformer {name!r} must have fit and transform, or be 'drop' or "
                    f"'passthrough'; got {transformer!r}."
                )
        check_choice(self.remainder, "remainder", ("drop", "passthrough"))

    @staticmethod
    def _as_array(X: Any) -> Any:
        """Keep DataFrames (names and column types); turn anything else into an ndarray."""
        array = X if is_pandas(X) and hasattr(X, "iloc") else _to_ndarray(X, "X")
        if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
            raise ValueError(
                "X must be a 2-D array or DataFrame of shape (n_samples, n_features) with at "
                f"least 1 sample and 1 feature; got shape {array.shape}."
            )
        return array

    # -- fit / transform --------------------------------------------------------------------

    def fit(self, X: Any, y: Any = None) -> ColumnTransformer:
        """Fit a clone of every transformer on its columns."""
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit every transformer on its columns and return the outputs side by side."""
        self._validate_transformers()
        X = self._as_array(X)
        n_features = X.shape[1]
        self._record_features(X, np.empty((0, n_features)))  # records count and names
        parts, used = [], np.zeros(n_features, dtype=bool)
        for name, transformer, selector in self.transformers:
            index = self._column_indices(X, selector, n_features)
            used[index] = True
            parts.append((name, transformer if isinstance(transformer, str)
                          else clone(transformer), index))
        parts.append(("remainder", self.remainder, np.flatnonzero(~used)))
        self.transformers_ = parts
        return self._apply(X, y, fit=True)

    def transform(self, X: Any) -> np.ndarray:
        """Transform each column group with its fitted transformer, outputs side by side."""
        check_is_fitted(self)
        X = self._as_array(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but ColumnTransformer is expecting "
                f"{self.n_features_in_} features as input."
            )
        names, fitted_names = feature_names_of(X), getattr(self, "feature_names_in_", None)
        if names is not None and fitted_names is not None and list(names) != list(fitted_names):
            raise ValueError(
                "The feature names of X differ from those seen in fit: "
                f"got {list(names)}, expected {list(fitted_names)}."
            )
        return self._apply(X, None, fit=False)

    def _apply(self, X: Any, y: Any, *, fit: bool) -> np.ndarray:
        """Run every part of ``transformers_`` on its columns; record ``output_indices_``."""
        outputs, slices, start = [], {}, 0
        for name, transformer, index in self.transformers_:
            output = None
            if len(index) == 0 or transformer == "drop":
                pass
            elif transformer == "passthrough":
                output = check_array(self._select(X, index),
                                     name=f"the columns passed through by {name!r}")
            else:
                selected = self._select(X, index)
                output = np.asarray(transformer.fit_transform(selected, y) if fit
                                    else transformer.transform(selected))
                if output.ndim != 2:
                    raise ValueError(f"Transformer {name!r} returned shape {output.shape}; "
                                     "a 2-D array is required.")
            if output is None:
                slices[name] = slice(0, 0)  # scikit-learn's convention for "no output"
                continue
            slices[name] = slice(start, start + output.shape[1])
            start += output.shape[1]
            outputs.append(output)
        self.output_indices_ = slices
        return np.hstack(outputs) if outputs else np.zeros((X.shape[0], 0))

    @property
    def named_transformers_(self) -> dict[str, Any]:
        """Fitted transformers by name."""
        check_is_fitted(self)
        return {name: transformer for name, transformer, _ in self.transformers_}

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Output names, ``"<transformer>__<feature>"`` (or just the features)."""
        names = _input_feature_names(self, input_features)
        out: list[str] = []
        for name, transformer, index in self.transformers_:
            if transformer == "drop" or len(index) == 0:
                continue
            if transformer == "passthrough":
                features = names[index]
            else:
                features = transformer.get_feature_names_out(names[index])
            out.extend(f"{name}__{f}" if self.verbose_feature_names_out else str(f)
                       for f in features)
        if len(set(out)) != len(out):
            raise ValueError(
                "Output feature names are not unique; set verbose_feature_names_out=True."
            )
        return np.asarray(out, dtype=object)


def make_column_transformer(
    *transformers: tuple, remainder: str = "drop", verbose_feature_names_out: bool = True
) -> ColumnTransformer:
    """A :class:`ColumnTransformer` from ``(transformer, columns)`` pairs, named after their
    classes (``"standardscaler"``, ``"onehotencoder"``)."""
    names = _auto_names(tuple(t for t, _ in transformers))
    return ColumnTransformer(
        [(name, t, columns) for name, (t, columns) in zip(names, transformers, strict=True)],
        remainder=remainder,
        verbose_feature_names_out=verbose_feature_names_out,
    )


# ---------------------------------------------------------------------------------------------
# Pipeline
# ---------------------------------------------------------------------------------------------


def _final_method(method: str) -> property:
    """Pipeline.<method>(X, ...): transform X through every step but the last, then call
    the last step's ``method``. Missing on the pipeline when the last step lacks it, so
    ``hasattr(pipe, "predict_proba")`` tells the truth (scikit-learn's scorers rely on it)."""

    def get(self: Pipeline) -> Any:
        final = self._final_estimator
        if not hasattr(final, method):
            raise AttributeError(
                f"This pipeline has no {method}: its last step {final!r} does not have it."
            )

        def call(X: Any, *args: Any, **kwargs: Any) -> Any:
            return getattr(final, method)(self._transform_until_last(X), *args, **kwargs)

        call.__doc__ = f"Transform X through the first steps, then the last step's {method}."
        return call

    return property(get)


class Pipeline(_NamedParts, BaseEstimator):
    """A chain of transformers ending with any estimator, used as one estimator.

    ``fit`` calls ``fit_transform`` of each step on the output of the previous one and
    ``fit`` of the last; ``predict``/``score``/... transform through the fitted steps and
    call the last step's method. The steps are fitted in place (not cloned), as in
    scikit-learn; cross-validation clones the whole pipeline.

    Parameters
    ----------
    steps : list of (name, estimator)
        Every step but the last must have ``fit`` and ``transform``; a step may be
        ``"passthrough"`` (or None) to skip it.

    Notes
    -----
    Fit parameters go to a step with the ``"<step>__<param>"`` syntax:
    ``pipe.fit(X, y, ridge__sample_weight=w)``.
    """

    _parts_attribute = "steps"

    def __init__(self, steps: list[tuple[str, Any]]):
        self.steps = steps

    def _validate_steps(self) -> None:
        if not isinstance(self.steps, (list, tuple)) or not self.steps or not all(
            isinstance(s, tuple) and len(s) == 2 for s in self.steps
        ):
            raise TypeError(
                f"steps must be a non-empty list of (name, estimator) tuples; got {self.steps!r}."
            )
        _check_names([name for name, _ in self.steps], "Step")
        for name, step in self.steps[:-1]:
            if not _is_passthrough(step) and not (hasattr(step, "fit")
                                                  and hasattr(step, "transform")):
                raise TypeError(
                    f"Step {name!r} is not last, so it must have fit and transform (or be "
                    f"'passthrough'); got {step!r}."
                )
        final = self.steps[-1][1]
        if not _is_passthrough(final) and not hasattr(final, "fit"):
            raise TypeError(f"The last step must have fit (or be 'passthrough'); got {final!r}.")

    @property
    def named_steps(self) -> dict[str, Any]:
        """The steps by name."""
        return dict(self.steps)

    @property
    def _final_estimator(self) -> Any:
        return self.steps[-1][1]

    @property
    def _estimator_type(self) -> str | None:  # classifier/regressor like its last step
        return getattr(self._final_estimator, "_estimator_type", None)

    @property
    def classes_(self) -> np.ndarray:
        """The class labels of the last step (a classifier)."""
        return self._final_estimator.classes_

    @property
    def n_features_in_(self) -> int:
        """Number of features seen by the first step in ``fit``."""
        return self._first_step.n_features_in_

    @property
    def feature_names_in_(self) -> np.ndarray:
        """Column names seen by the first step in ``fit`` (DataFrame input only)."""
        return self._first_step.feature_names_in_

    @property
    def _first_step(self) -> Any:
        steps = [step for _, step in self.steps if not _is_passthrough(step)]
        if not steps:
            raise AttributeError("This pipeline has only 'passthrough' steps.")
        return steps[0]

    def __sklearn_is_fitted__(self) -> bool:
        """Fitted when its last step is (what scikit-learn's ``check_is_fitted`` asks)."""
        final = self._final_estimator
        if _is_passthrough(final):
            final = self._first_step
        try:
            check_is_fitted(final)
        except ValueError:
            return False
        return True

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: int | str | slice) -> Any:
        """A step by position or name; a slice gives a sub-pipeline."""
        if isinstance(index, slice):
            return Pipeline(self.steps[index])
        if isinstance(index, str):
            return self.named_steps[index]
        return self.steps[index][1]

    def _split_fit_params(self, fit_params: dict[str, Any]) -> dict[str, dict[str, Any]]:
        routed: dict[str, dict[str, Any]] = {name: {} for name, _ in self.steps}
        for key, value in fit_params.items():
            name, _, param = key.partition("__")
            if name not in routed or not param:
                raise ValueError(
                    f"Fit parameter {key!r} must be named '<step>__<parameter>' with a step "
                    f"among {list(routed)}."
                )
            routed[name][param] = value
        return routed

    def _fit_until_last(self, X: Any, y: Any, routed: dict[str, dict[str, Any]]) -> Any:
        self._validate_steps()
        for name, step in self.steps[:-1]:
            if not _is_passthrough(step):
                X = step.fit_transform(X, y, **routed[name])
        return X

    def fit(self, X: Any, y: Any = None, **fit_params: Any) -> Pipeline:
        """Fit the transformers in order, then the last step on their output."""
        routed = self._split_fit_params(fit_params)
        Xt = self._fit_until_last(X, y, routed)
        name, final = self.steps[-1]
        if not _is_passthrough(final):
            final.fit(Xt, y, **routed[name])
        return self

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit every step and return the output of the last one's transform."""
        routed = self._split_fit_params(fit_params)
        Xt = self._fit_until_last(X, y, routed)
        name, final = self.steps[-1]
        if _is_passthrough(final):
            return Xt
        return final.fit_transform(Xt, y, **routed[name])

    def _transform_until_last(self, X: Any) -> Any:
        for _, step in self.steps[:-1]:
            if not _is_passthrough(step):
                X = step.transform(X)
        return X

    def transform(self, X: Any) -> Any:
        """Apply every step's transform (the last step must be a transformer)."""
        final = self._final_estimator
        Xt = self._transform_until_last(X)
        return Xt if _is_passthrough(final) else final.transform(Xt)

    def inverse_transform(self, X: Any) -> Any:
        """Apply the steps' inverse_transform in reverse order."""
        for _, step in reversed(self.steps):
            if not _is_passthrough(step):
                X = step.inverse_transform(X)
        return X

    predict = _final_method("predict")
    predict_proba = _final_method("predict_proba")
    predict_log_proba = _final_method("predict_log_proba")
    decision_function = _final_method("decision_function")
    score = _final_method("score")

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names after the last transformer, following each step's names."""
        names = input_features
        for _, step in self.steps:
            if not _is_passthrough(step):
                names = step.get_feature_names_out(names)
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        final = self._final_estimator
        if hasattr(final, "__sklearn_tags__"):
            final_tags = final.__sklearn_tags__()
            tags.estimator_type = final_tags.estimator_type
            tags.classifier_tags = final_tags.classifier_tags
            tags.regressor_tags = final_tags.regressor_tags
            tags.transformer_tags = final_tags.transformer_tags
            tags.target_tags = final_tags.target_tags
        return tags


def _is_passthrough(step: Any) -> bool:
    return step is None or (isinstance(step, str) and step == "passthrough")


def make_pipeline(*steps: Any) -> Pipeline:
    """A :class:`Pipeline` whose steps are named after their classes (``"standardscaler"``)."""
    return Pipeline(list(zip(_auto_names(steps), steps, strict=True)))
