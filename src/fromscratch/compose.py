"""Composition: transformers for chosen columns and chains of steps (scikit-learn's API).

* :class:`ColumnTransformer` / :func:`make_column_transformer` — different transformers for
  different columns (e.g. scale the numeric columns of a DataFrame and one-hot encode its text
  columns), outputs side by side.
* :class:`Pipeline` / :func:`make_pipeline` — transformers followed by a final estimator,
  fitted and applied in order, usable wherever one estimator is: in ``cross_val_score``,
  ``GridSearchCV`` (parameters of a step by ``"<step>__<parameter>"``) and with
  scikit-learn's scorers.

Fitting a transformer inside the pipeline, rather than on all the data first, is what keeps
cross-validation honest: each training fold learns its own means, scales and categories.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._available_if import AvailableIf, available_if
from fromscratch._param_validation import Check, Options, Rule, flag
from fromscratch._validation import (
    _to_ndarray,
    check_array,
    check_choice,
    feature_names_of,
    is_pandas,
)
from fromscratch.base import BaseEstimator, TransformerMixin, check_is_fitted, clone
from fromscratch.preprocessing import _input_feature_names

__all__ = ["ColumnTransformer", "make_column_transformer", "Pipeline", "make_pipeline"]


# ---------------------------------------------------------------------------------------------
# Parameters of named sub-estimators
# ---------------------------------------------------------------------------------------------


class _NamedParts(BaseEstimator):
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


def _check_names(names: list[str], what: str, parameter: str) -> None:
    for name in names:
        if not isinstance(name, str) or "__" in name or not name:
            raise ValueError(
                f"{what} names in {parameter} must be non-empty strings without '__'; got "
                f"{name!r}."
            )
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{what} names in {parameter} must be unique; {duplicates} occur "
                         "more than once.")


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


def _check_transformers(transformers: Any, name: str) -> Any:
    """``transformers``: a list of ``(name, transformer, columns)`` tuples, each transformer
    with fit and transform or ``"drop"``/``"passthrough"``, under unique names."""
    if not isinstance(transformers, (list, tuple)) or not all(
        isinstance(t, tuple) and len(t) == 3 for t in transformers
    ):
        raise TypeError(
            f"{name} must be a list of (name, transformer, columns) tuples; got "
            f"{transformers!r}."
        )
    _check_names([part for part, _, _ in transformers], "Transformer", name)
    for part, transformer, _ in transformers:
        if isinstance(transformer, str):
            check_choice(transformer, f"transformer {part!r} in {name}", ("drop", "passthrough"))
        elif not (hasattr(transformer, "fit") and hasattr(transformer, "transform")):
            raise TypeError(
                f"Transformer {part!r} in {name} must have fit and transform, or be 'drop' or "
                f"'passthrough'; got {transformer!r}."
            )
    return transformers


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
        str; DataFrames only), by position (int or list of int), by a slice (of positions,
        or of names with both ends included) or by a boolean mask. Each transformer always
        receives a 2-D selection, even for a single column (scikit-learn passes 1-D for a
        scalar selector; no fromscratch transformer takes 1-D).
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
    _parameter_constraints: dict[str, Rule] = {
        "transformers": Check(_check_transformers, "a list of (name, transformer, columns) "
                              "tuples", invalid=("scaler", [("a", 1, [0])])),
        "remainder": Options("drop", "passthrough"),
        "verbose_feature_names_out": flag,
    }

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
            return np.arange(n_features)[self._positional(selector, names)]
        items = [selector] if np.ndim(selector) == 0 else list(selector)
        if not items:
            return np.empty(0, dtype=np.int64)
        if all(isinstance(c, (bool, np.bool_)) for c in items):
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
    def _positional(selector: slice, names: np.ndarray | None) -> slice:
        """A slice of positions; a slice of names, ``slice("a", "c")``, includes both ends
        (pandas' ``.loc`` and scikit-learn's rule)."""
        ends = (selector.start, selector.stop)
        if not any(isinstance(end, str) for end in ends):
            return selector
        if names is None:
            raise ValueError(
                f"The slice {selector} selects columns by name, which needs a pandas DataFrame "
                "with string column names; slice the columns of an array by position."
            )
        known = list(names)
        missing = [end for end in ends if end is not None and end not in known]
        if missing:
            raise ValueError(f"Columns {missing} are not in X; its columns are {known}.")
        start = None if selector.start is None else known.index(selector.start)
        stop = None if selector.stop is None else known.index(selector.stop) + 1
        return slice(start, stop, selector.step)

    @staticmethod
    def _select(X: Any, index: np.ndarray) -> Any:
        if is_pandas(X) and hasattr(X, "iloc"):
            return X.iloc[:, index]
        return X[:, index]

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

    # No **fit_params: the transformers are fitted on their columns only (scikit-learn routes
    # parameters to them through metadata routing, which fromscratch does not have).
    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:  # type: ignore[override]
        """Fit every transformer on its columns and return the outputs side by side."""
        self._validate_params()
        X = self._as_array(X)
        n_features = X.shape[1]
        self._record_features(X, np.empty((0, n_features)))  # records count and names
        parts: list[tuple[str, Any, np.ndarray]] = []
        used = np.zeros(n_features, dtype=bool)
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


def _if_steps_have(requires: str, *, every_step: bool = False
                   ) -> Callable[[Callable], AvailableIf]:
    """Decorator: the method exists only when the last step (or, with ``every_step``, each
    step) has ``requires``; a ``"passthrough"`` step counts as having the transforms (it is
    the identity) and nothing else."""

    def missing(pipe: Pipeline) -> str | None:
        steps = [step for _, step in pipe.steps] if every_step else [pipe._final_estimator]
        identity = requires in ("transform", "inverse_transform")
        for step in steps:
            if not (_is_passthrough(step) and identity) and not hasattr(step, requires):
                return f"its step {step!r} has no {requires}"
        return None

    return available_if(missing)


def _last_step_method(name: str, summary: str) -> AvailableIf:
    """``Pipeline.<name>``: X through every step's transform but the last, then the last
    step's ``<name>``; the method exists only when the last step has ``<name>``."""

    def method(self: Pipeline, X: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._final_estimator, name)(self._transform_until_last(X), *args,
                                                    **kwargs)

    method.__name__ = name
    method.__qualname__ = f"Pipeline.{name}"
    method.__doc__ = f"""{summary}

    X goes through the transform of every step but the last; the last step's ``{name}`` is
    called on the result, with any further arguments (``y``, ``sample_weight``) as given.
    """
    return _if_steps_have(name)(method)


def _fit_transform(step: Any, X: Any, y: Any, params: dict[str, Any]) -> Any:
    """``step.fit_transform``, or ``fit`` then ``transform`` for a step without it."""
    if hasattr(step, "fit_transform"):
        return step.fit_transform(X, y, **params)
    return step.fit(X, y, **params).transform(X)


def _check_steps(steps: Any, name: str) -> Any:
    """``steps``: a non-empty list of ``(name, estimator)`` tuples under unique names, every
    step but the last with fit and transform, the last with fit (or ``"passthrough"``)."""
    if not isinstance(steps, (list, tuple)) or not steps or not all(
        isinstance(s, tuple) and len(s) == 2 for s in steps
    ):
        raise TypeError(
            f"{name} must be a non-empty list of (name, estimator) tuples; got {steps!r}."
        )
    _check_names([part for part, _ in steps], "Step", name)
    for part, step in steps[:-1]:
        if not _is_passthrough(step) and not (hasattr(step, "fit")
                                              and hasattr(step, "transform")):
            raise TypeError(
                f"Step {part!r} in {name} is not last, so it must have fit and transform (or be "
                f"'passthrough'); got {step!r}."
            )
    final = steps[-1][1]
    if not _is_passthrough(final) and not hasattr(final, "fit"):
        raise TypeError(f"The last step must have fit (or be 'passthrough'); {name}[-1] is "
                        f"{final!r}.")
    return steps


class Pipeline(_NamedParts, BaseEstimator):
    """A chain of transformers ending with any estimator, used as one estimator.

    ``fit`` calls ``fit_transform`` of each step on the output of the previous one and
    ``fit`` of the last; ``predict``/``score``/... transform through the fitted steps and
    call the last step's method. The steps are fitted in place (not cloned), as in
    scikit-learn; cross-validation clones the whole pipeline.

    A pipeline has the methods of its last step and no others: ``predict_proba`` exists only
    when the last step has it, so scikit-learn's scorers (``"roc_auc"``, ``"neg_log_loss"``)
    and meta-estimators (``GridSearchCV``, ``cross_val_score``) use it as they would the
    last step.

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

    _parameter_constraints: dict[str, Rule] = {
        "steps": Check(_check_steps, "a non-empty list of (name, estimator) tuples",
                       invalid=([], [("a", 1)], "steps")),
    }

    def __init__(self, steps: list[tuple[str, Any]]):
        self.steps = steps

    @property
    def named_steps(self) -> dict[str, Any]:
        """The steps by name."""
        return dict(self.steps)

    @property
    def _final_estimator(self) -> Any:
        return self.steps[-1][1]

    # Read-only views of the steps' attributes (BaseEstimator declares them as plain
    # attributes, which nothing assigns on a pipeline): a property is the delegation.
    @property
    def _estimator_type(self) -> str | None:  # type: ignore[override]  # like its last step
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
    def feature_names_in_(self) -> np.ndarray:  # type: ignore[override]
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
        """Validate the steps; route each ``"<step>__<param>"`` fit parameter to its step."""
        self._validate_params()
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
        for name, step in self.steps[:-1]:
            if not _is_passthrough(step):
                X = _fit_transform(step, X, y, routed[name])
        return X

    def fit(self, X: Any, y: Any = None, **fit_params: Any) -> Pipeline:
        """Fit the transformers in order, then the last step on their output."""
        routed = self._split_fit_params(fit_params)
        Xt = self._fit_until_last(X, y, routed)
        name, final = self.steps[-1]
        if not _is_passthrough(final):
            final.fit(Xt, y, **routed[name])
        return self

    @_if_steps_have("transform")
    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit every step and return the output of the last one's transform."""
        routed = self._split_fit_params(fit_params)
        Xt = self._fit_until_last(X, y, routed)
        name, final = self.steps[-1]
        if _is_passthrough(final):
            return Xt
        return _fit_transform(final, Xt, y, routed[name])

    def _transform_until_last(self, X: Any) -> Any:
        for _, step in self.steps[:-1]:
            if not _is_passthrough(step):
                X = step.transform(X)
        return X

    @_if_steps_have("transform")
    def transform(self, X: Any) -> Any:
        """Apply every step's transform (the last step must be a transformer)."""
        final = self._final_estimator
        Xt = self._transform_until_last(X)
        return Xt if _is_passthrough(final) else final.transform(Xt)

    @_if_steps_have("inverse_transform", every_step=True)
    def inverse_transform(self, X: Any) -> Any:
        """Apply the steps' inverse_transform in reverse order."""
        for _, step in reversed(self.steps):
            if not _is_passthrough(step):
                X = step.inverse_transform(X)
        return X

    predict = _last_step_method("predict", "Predictions of the last step.")
    predict_proba = _last_step_method("predict_proba", "Class probabilities of the last step.")
    predict_log_proba = _last_step_method("predict_log_proba",
                                          "Log class probabilities of the last step.")
    decision_function = _last_step_method("decision_function",
                                          "Decision values of the last step.")
    score = _last_step_method("score", "Score of the last step (R² or accuracy by default).")

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
