"""The estimator contract shared by every model and transformer (scikit-learn's conventions).

* ``__init__`` only stores hyper-parameters, under the same names as its arguments. A subclass
  that adds hyper-parameters to its parent's names only its own and passes the rest on with
  ``**params`` (``super().__init__(..., **params)``): the parent's defaults are written once.
  Its ``__init__`` is then given the whole signature (its own parameters, then the parent's as
  keyword-only), so that ``help()``, ``get_params`` and scikit-learn see every hyper-parameter.
  A parent's parameter that the subclass fixes as a class attribute (``Lasso.l1_ratio = 1.0``)
  is not one of the subclass's.
* Each hyper-parameter has a rule in the class's table ``_parameter_constraints`` (name ->
  rule, :mod:`fromscratch._param_validation`); a subclass extends its parent's table.
  ``fit`` starts with :meth:`BaseEstimator._validate_params`, which checks them all; rules
  that tie several parameters together are small explicit checks after it.
* ``fit`` validates, learns state in attributes ending in ``_`` and returns ``self``.
* ``get_params`` / ``set_params`` read and write hyper-parameters, so ``sklearn.base.clone``,
  ``Pipeline`` and ``GridSearchCV`` work with our estimators.
* ``n_features_in_`` (and ``feature_names_in_`` for a DataFrame) are recorded by ``fit`` and
  checked by ``predict``/``transform``.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._param_validation import Rule
from fromscratch._validation import check_array, check_X_y, feature_names_of
from fromscratch.exceptions import DataConversionWarning, NotFittedError, warn_at_caller

__all__ = [
    "BaseEstimator",
    "RegressorMixin",
    "ClassifierMixin",
    "TransformerMixin",
    "NotFittedError",
    "check_is_fitted",
    "clone",
]


def check_is_fitted(estimator: Any) -> None:
    """Raise :class:`NotFittedError` unless ``fit`` has set a learned attribute (name ending
    in ``_``). An estimator may decide for itself with ``__sklearn_is_fitted__()``."""
    if hasattr(estimator, "__sklearn_is_fitted__"):
        fitted = estimator.__sklearn_is_fitted__()
    else:
        fitted = [
            name for name in vars(estimator) if name.endswith("_") and not name.startswith("__")
        ]
    if not fitted:
        name = type(estimator).__name__
        raise NotFittedError(
            f"This {name} instance is not fitted yet. Call fit(X, y) before using it."
        )


def clone(estimator: Any) -> Any:
    """A new, unfitted estimator with the same hyper-parameters (nested estimators cloned too,
    also inside lists and tuples such as a pipeline's ``steps``).

    Hyper-parameter values that are not estimators are shared, not copied.
    """
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        raise TypeError(
            f"clone expects an estimator instance with get_params(); got {estimator!r}."
        )
    params = estimator.get_params(deep=False)
    return type(estimator)(**{name: _clone_parts(value) for name, value in params.items()})


def _clone_parts(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_clone_parts(item) for item in value)
    if hasattr(value, "get_params") and not isinstance(value, type):
        return clone(value)
    return value


def _with_inherited_parameters(cls: type, signature: inspect.Signature) -> inspect.Signature:
    """``signature`` with its ``**params`` replaced by the parent's hyper-parameters that ``cls``
    neither names nor fixes as a class attribute, keyword-only and with the parent's defaults
    (unchanged without ``**``)."""
    own = list(signature.parameters.values())
    if not own or own[-1].kind is not inspect.Parameter.VAR_KEYWORD:
        return signature
    parent_init = next(  # the next __init__ in the method resolution order
        vars(base)["__init__"] for base in cls.__mro__[1:] if "__init__" in vars(base))
    if parent_init is object.__init__:
        raise TypeError(f"{cls.__name__}.__init__ passes **{own[-1].name} on to a parent "
                        "that has no hyper-parameters.")
    names = {parameter.name for parameter in own} | set(vars(cls))
    inherited = [
        parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for parameter in inspect.signature(parent_init).parameters.values()
        if parameter.name not in names
    ]
    return signature.replace(parameters=own[:-1] + inherited)


class BaseEstimator:
    """Base class: parameter introspection and validation, ``repr``, and fit-time input
    bookkeeping."""

    #: Hyper-parameter name -> rule ``rule(value, name)`` returning the value validated
    #: (:mod:`fromscratch._param_validation`). A subclass extends its parent's table:
    #: ``_parameter_constraints = {**Parent._parameter_constraints, "alpha": ...}``.
    _parameter_constraints: dict[str, Rule] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = vars(cls).get("__init__")
        if init is not None:  # only an __init__ that passes **params on gets a new signature
            signature = inspect.signature(init)
            merged = _with_inherited_parameters(cls, signature)
            if merged is not signature:
                init.__signature__ = merged

    @classmethod
    def _param_names(cls) -> list[str]:
        if cls.__init__ is object.__init__:  # no __init__ of its own: no hyper-parameters
            return []
        signature = inspect.signature(cls.__init__)
        names = []
        for parameter in signature.parameters.values():
            if parameter.name == "self":
                continue
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                raise TypeError(
                    f"{cls.__name__}.__init__ must list its hyper-parameters explicitly "
                    "(no *args or **kwargs)."
                )
            names.append(parameter.name)
        return sorted(names)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Hyper-parameters as a dict (with ``deep=True``, nested estimators' too)."""
        params = {}
        for name in self._param_names():
            value = getattr(self, name)
            params[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                for sub_name, sub_value in value.get_params(deep=True).items():
                    params[f"{name}__{sub_name}"] = sub_value
        return params

    def set_params(self, **params: Any) -> BaseEstimator:
        """Set hyper-parameters; ``name__sub`` reaches into a nested estimator."""
        valid = self._param_names()
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for {type(self).__name__}; valid parameters "
                    f"are {valid}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def _validate_params(self) -> dict[str, Any]:
        """Check every hyper-parameter against its rule; return the validated values by name.

        Called at the start of ``fit`` (never in ``__init__``, so that ``set_params`` and
        ``clone`` may store anything, as scikit-learn requires). A bad value raises
        ``TypeError``/``ValueError`` naming the parameter, the value and what is allowed.
        """
        return {name: rule(getattr(self, name), name)
                for name, rule in self._parameter_constraints.items()}

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default
            for p in inspect.signature(type(self).__init__).parameters.values()
            if p.default is not inspect.Parameter.empty
        }
        changed = []
        for name, value in self.get_params(deep=False).items():
            default = defaults.get(name, inspect.Parameter.empty)
            same = default is value
            if not same:
                try:
                    same = bool(default == value)
                except (TypeError, ValueError):  # e.g. arrays compare elementwise
                    same = False
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    # -- input bookkeeping ------------------------------------------------------------------

    def _record_features(self, X_raw: Any, X: np.ndarray) -> None:
        self.n_features_in_ = X.shape[1]
        names = feature_names_of(X_raw)
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    #: Whether ``fit`` takes a 2-D ``y``, one column per target (scikit-learn's
    #: ``target_tags.multi_output``); a 1-D ``y`` is always accepted.
    _multi_output: bool = False

    def _warn_if_gathered(self, X: Any, method: str) -> None:
        """Say so when a Dask array reaches an in-memory path: the estimators that work block by
        block dispatch before validating, so this one computes all of ``X`` into memory."""
        from fromscratch.blocks import is_dask_array  # blocks imports this module

        if is_dask_array(X):
            warn_at_caller(
                f"{type(self).__name__}.{method} has no out-of-core path: the Dask array X of "
                f"shape {X.shape} is computed into memory here. Call X.compute() first to "
                "silence this, or use an estimator that works block by block (see the "
                "out-of-core chapter).", DataConversionWarning)

    def _validate_fit(
        self, X: Any, y: Any = None, *, y_numeric: bool = True
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Validate training data and record ``n_features_in_`` / ``feature_names_in_``.

        Regressors and classifiers require ``y``; transformers take ``y=None``. ``y`` may be
        2-D when the estimator says so (``_multi_output``).
        """
        self._warn_if_gathered(X, "fit")
        if y is None and self._estimator_type not in ("regressor", "classifier"):
            X_checked = check_array(X)
            self._record_features(X, X_checked)
            return X_checked
        X_checked, y_checked = check_X_y(X, y, y_numeric=y_numeric,
                                         multi_output=self._multi_output)
        self._record_features(X, X_checked)
        return X_checked, y_checked

    def _validate_predict(self, X: Any) -> np.ndarray:
        """Validate data given to a fitted estimator: same number (and names) of features."""
        check_is_fitted(self)
        self._warn_if_gathered(X, "predict" if self._estimator_type else "transform")
        X_checked = check_array(X)
        if X_checked.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X_checked.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input (the number it was fitted with)."
            )
        names = feature_names_of(X)
        fitted_names = getattr(self, "feature_names_in_", None)
        if names is not None and fitted_names is not None and list(names) != list(fitted_names):
            raise ValueError(
                "The feature names of X differ from those seen in fit: "
                f"got {list(names)}, expected {list(fitted_names)}."
            )
        return X_checked

    # -- scikit-learn interoperability -------------------------------------------------------

    _estimator_type: str | None = None

    def __sklearn_tags__(self) -> Any:
        """Answer scikit-learn's tag protocol (needed by its ``GridSearchCV`` and checks).

        scikit-learn only calls this method after it has been imported itself, so its ``Tags``
        classes are taken from ``sys.modules``: fromscratch never imports scikit-learn.
        """
        sk = sys.modules.get("sklearn.utils")
        if sk is None:  # pragma: no cover - only scikit-learn calls this
            raise AttributeError("__sklearn_tags__ is answered only when scikit-learn is loaded")
        tags = sk.Tags(estimator_type=self._estimator_type,
                       target_tags=sk.TargetTags(False, multi_output=self._multi_output))
        if self._estimator_type == "regressor":
            tags.regressor_tags = sk.RegressorTags()
            tags.target_tags.required = True
        elif self._estimator_type == "classifier":
            tags.classifier_tags = sk.ClassifierTags()
            tags.target_tags.required = True
        if isinstance(self, TransformerMixin):
            tags.transformer_tags = sk.TransformerTags()
        return tags


class RegressorMixin:
    """``score`` is the coefficient of determination R² of ``predict(X)``."""

    _estimator_type: str | None = "regressor"
    predict: Callable[..., np.ndarray]  # the estimator's

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²."""
        from fromscratch.metrics import r2_score

        return float(r2_score(y, self.predict(X), sample_weight=sample_weight))


class ClassifierMixin:
    """``score`` is the accuracy of ``predict(X)``."""

    _estimator_type: str | None = "classifier"
    predict: Callable[..., np.ndarray]  # the estimator's

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Fraction of samples whose predicted class equals the true class."""
        from fromscratch.metrics import accuracy_score

        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)


class TransformerMixin:
    """``fit_transform`` = ``fit`` then ``transform``."""

    fit: Callable[..., Any]  # the transformer's

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> np.ndarray:
        return self.fit(X, y, **fit_params).transform(X)
