"""Hyper-parameter rules as data: one checker per kind of value, shared by every estimator and
every optimizer.

A *rule* is a callable ``rule(value, name)`` that returns the value validated (a float as
``float``, an int as ``int``) or raises ``TypeError`` (wrong kind of value) or ``ValueError``
(right kind, not allowed) with a message that names the parameter, shows the value given and
says what is allowed. Estimators declare one table, ``_parameter_constraints`` (name -> rule),
checked by :meth:`fromscratch.base.BaseEstimator._validate_params` at the start of ``fit``;
optimizers declare ``_rules`` the same way (:class:`fromscratch.optim.Optimizer`). The idea,
and most of the names, are scikit-learn's (``sklearn.utils._param_validation``).

Every rule also lists a few values it rejects (``invalid_values``): the tests generate, from
the tables alone, a bad value for every parameter of every estimator and check that ``fit``
refuses it with the parameter's name in the message.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeGuard

import numpy as np

from fromscratch._validation import check_choice, check_random_state, check_scalar

__all__ = [
    "AnyOf",
    "CLASS_WEIGHT_RULE",
    "Check",
    "InstanceOf",
    "Interval",
    "Options",
    "OrNone",
    "Rule",
    "RandomState",
    "Boolean",
    "decay_pair",
    "flag",
    "is_int",
    "non_negative",
    "positive",
    "unit_interval",
]


class Rule:
    """A hyper-parameter rule: ``rule(value, name)`` returns the value validated or raises."""

    #: What the rule allows, in words ("an int in [1, inf)"), for messages that combine rules.
    description: str = "a valid value"

    def __call__(self, value: Any, name: str) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def invalid_values(self) -> tuple[Any, ...]:
        """A few values the rule rejects (the tests try each)."""
        return (object(),)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.description})"


class Interval(Rule):
    """A real number (``kind=float``) or an int (``kind=int``) between ``low`` and ``high``
    (``None``: unbounded); ``closed`` says which ends belong to the interval: ``"left"``,
    ``"right"``, ``"both"`` or ``"neither"``. Booleans are refused, and NaN; infinity only
    with ``allow_inf`` (``C=np.inf``, no penalty). Checked by
    :func:`fromscratch._validation.check_scalar`."""

    def __init__(self, kind: type = float, low: float | None = None, high: float | None = None,
                 *, closed: str = "left", allow_inf: bool = False) -> None:
        check_choice(closed, "closed", ("left", "right", "both", "neither"))
        self.kind, self.low, self.high, self.allow_inf = kind, low, high, allow_inf
        self.include_low = closed in ("left", "both")
        self.include_high = closed in ("right", "both")
        left = "(-inf" if low is None else ("[" if self.include_low else "(") + f"{low:g}"
        right = "inf)" if high is None else f"{high:g}" + ("]" if self.include_high else ")")
        self.description = f"{'an int' if kind is int else 'a real number'} in {left}, {right}"

    def __call__(self, value: Any, name: str) -> float | int:
        return check_scalar(value, name, kind=self.kind, min_val=self.low, max_val=self.high,
                            include_min=self.include_low, include_max=self.include_high,
                            allow_inf=self.allow_inf)

    def invalid_values(self) -> tuple[Any, ...]:
        outside = []
        if self.low is not None:
            outside.append(self.low if not self.include_low else self.low - 1)
        if self.high is not None:
            outside.append(self.high if not self.include_high else self.high + 1)
        return (*outside, "1", True)


class Options(Rule):
    """One of a few strings; a near miss gets a "Did you mean" (:func:`check_choice`)."""

    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.description = "one of " + ", ".join(repr(c) for c in choices)

    def __call__(self, value: Any, name: str) -> str:
        if not isinstance(value, str):  # the wrong kind of value (for AnyOf): a TypeError
            raise TypeError(f"{name} must be {self.description}; got {type(value).__name__} "
                            f"{value!r}.")
        return check_choice(value, name, self.choices)

    def invalid_values(self) -> tuple[Any, ...]:
        return ("no-such-option", 3)


class Boolean(Rule):
    """``True`` or ``False`` (a NumPy bool too); an int or a string that reads like one is not."""

    description = "True or False"

    def __call__(self, value: Any, name: str) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(
                f"{name} must be True or False; got {type(value).__name__} {value!r} ({name} "
                "must be a bool)."
            )
        return bool(value)

    def invalid_values(self) -> tuple[Any, ...]:
        return ("yes", None)


class InstanceOf(Rule):
    """An instance of ``types``, described in messages as ``description`` ("a dict")."""

    def __init__(self, types: type | tuple[type, ...], description: str) -> None:
        self.types, self.description = types, description

    def __call__(self, value: Any, name: str) -> Any:
        if not isinstance(value, self.types):
            raise TypeError(
                f"{name} must be {self.description}; got {type(value).__name__} {value!r}."
            )
        return value


class OrNone(Rule):
    """``None``, or a value that ``rule`` allows (whose message it keeps)."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.description = f"None or {rule.description}"

    def __call__(self, value: Any, name: str) -> Any:
        return None if value is None else self.rule(value, name)

    def invalid_values(self) -> tuple[Any, ...]:
        return tuple(v for v in self.rule.invalid_values() if v is not None)


class AnyOf(Rule):
    """A value that one of ``rules`` allows (the first that does validates it).

    When only one rule takes the value's kind and refuses its value (a ``ValueError``), its
    message is the clearest and is raised as it is; otherwise the message lists every kind of
    value allowed.
    """

    def __init__(self, *rules: Rule) -> None:
        self.rules = rules
        self.description = " or ".join(rule.description for rule in rules)

    def __call__(self, value: Any, name: str) -> Any:
        refusals = []
        for rule in self.rules:
            try:
                return rule(value, name)
            except ValueError as error:
                refusals.append(error)
            except TypeError:
                pass
        if len(refusals) == 1:
            raise refusals[0]
        error_type = ValueError if refusals else TypeError
        raise error_type(
            f"{name} must be {self.description}; got {type(value).__name__} {value!r}."
        )

    def invalid_values(self) -> tuple[Any, ...]:
        return (object(),)


class Check(Rule):
    """A rule written as a function ``check(value, name) -> value`` (a structure, such as a
    list of ``(name, estimator)`` steps, that the kinds above do not describe), with a few
    values it rejects for the tests."""

    def __init__(self, check: Callable[[Any, str], Any], description: str,
                 invalid: Sequence[Any] = (object(),)) -> None:
        self.check, self.description, self.invalid = check, description, tuple(invalid)

    def __call__(self, value: Any, name: str) -> Any:
        return self.check(value, name)

    def invalid_values(self) -> tuple[Any, ...]:
        return self.invalid


class RandomState(Rule):
    """``random_state``: ``None``, a non-negative int, a ``numpy.random.Generator`` (or a legacy
    ``RandomState``). Only checked here, not turned into a generator: ``fit`` does that with
    :func:`check_random_state` (drawing from a legacy ``RandomState`` changes its state)."""

    description = "None, a non-negative int or a numpy.random.Generator"

    def __call__(self, value: Any, name: str) -> Any:
        if value is None or isinstance(value, (np.random.Generator, np.random.RandomState)):
            return value
        check_random_state(value, name)  # raises for anything but a non-negative int
        return value

    def invalid_values(self) -> tuple[Any, ...]:
        return (-1, "seed", 1.5)


# --- the optimizers' checkers: (value, name) -> the value, validated ---------------------------

#: A real number >= 0 (learning rates, weight decay, momentum).
non_negative = Interval(float, 0.0)
#: A real number > 0 (eps: it keeps a denominator away from zero).
positive = Interval(float, 0.0, closed="neither")
#: A real number in [0, 1] (dampening, Adadelta's rho, RMSprop's alpha).
unit_interval = Interval(float, 0.0, 1.0, closed="both")
#: A bool (``nesterov``, ``amsgrad``, ``centered``, ``maximize``, ``fit_intercept``...).
flag = Boolean()


def decay_pair(value: Any, name: str) -> tuple[float, float]:
    """A pair (beta1, beta2) of decay rates, each in [0, 1)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a pair (beta1, beta2), got {value!r}.")
    pair = tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be a pair (beta1, beta2), got {len(pair)} values {pair}.")
    return tuple(  # type: ignore[return-value]
        check_scalar(b, f"{name}[{i}]", min_val=0.0, max_val=1.0, include_max=False)
        for i, b in enumerate(pair)
    )


def is_int(value: Any) -> TypeGuard[int]:
    """An int (Python or NumPy, which behaves as one), not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _check_class_weight(class_weight: Any, name: str) -> Any:
    """``class_weight``: ``None``, ``"balanced"`` or a dict (its weights are checked by
    :func:`fromscratch._validation.class_weights`, where the classes are known)."""
    if isinstance(class_weight, str):
        check_choice(class_weight, name, ("balanced",))
    elif class_weight is not None and not isinstance(class_weight, dict):
        raise TypeError(
            f"{name} must be None, 'balanced' or a dict {{class label: weight}}; got "
            f"{type(class_weight).__name__} {class_weight!r}."
        )
    return class_weight


#: The classifiers' ``class_weight`` (LogisticRegression, MLPClassifier).
CLASS_WEIGHT_RULE = Check(_check_class_weight,
                          "None, 'balanced' or a dict {class label: weight}",
                          invalid=("balance", 3))
