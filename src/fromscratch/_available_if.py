"""Methods that exist only when the object can honour them (scikit-learn's ``available_if``).

A meta-estimator (a :class:`~fromscratch.compose.Pipeline`, a
:class:`~fromscratch.model_selection.GridSearchCV`) has ``predict_proba`` exactly when the
estimator it wraps has it. Scorers and other meta-estimators ask ``hasattr(model,
"predict_proba")`` before calling it, so the answer must be true only when the call can work.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any

__all__ = ["AvailableIf", "available_if"]


class AvailableIf:
    """A method that exists on an instance only when ``missing(instance)`` returns None.

    ``missing`` returns None when the method can be called, else the reason it cannot (a
    phrase: ``"its step LinearRegression() has no predict_proba"``); the attribute lookup then
    raises ``AttributeError("This Pipeline has no predict_proba: <reason>.")``, so ``hasattr``
    is False. The method found is a real method: its own name, qualname, docstring and
    signature (scikit-learn's scorers look methods up by name).
    """

    def __init__(self, method: Callable, missing: Callable[[Any], str | None]) -> None:
        self.method, self.missing = method, missing
        # typeshed types the wrapper as a function; a descriptor takes the metadata as well
        functools.update_wrapper(self, method)  # type: ignore[arg-type]

    def __get__(self, instance: Any, owner: type | None = None) -> Callable:
        if instance is None:  # looked up on the class (help(), the API docs): the function
            return self.method
        reason = self.missing(instance)
        if reason is not None:
            raise AttributeError(
                f"This {type(instance).__name__} has no {self.method.__name__}: {reason}."
            )
        return types.MethodType(self.method, instance)


def available_if(missing: Callable[[Any], str | None]) -> Callable[[Callable], AvailableIf]:
    """Decorator: the method exists on an instance when ``missing(instance)`` is None.

    ``missing(instance)`` returns None, or the reason the method is unavailable (it becomes
    the message of the ``AttributeError``).
    """
    return lambda method: AvailableIf(method, missing)
