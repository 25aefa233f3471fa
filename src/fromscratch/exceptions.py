"""The warnings and errors every part of fromscratch raises, defined once so users catch one
class whatever the model: ``except DivergenceError`` works for a linear model, a network or
``optim.minimize``."""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType

__all__ = [
    "NotFittedError",
    "ConvergenceWarning",
    "DivergenceError",
    "DataConversionWarning",
    "FitFailedWarning",
]


class NotFittedError(ValueError, AttributeError):
    """Raised when ``predict``/``transform`` is called before ``fit``.

    It subclasses ``ValueError`` and ``AttributeError``, like scikit-learn's, so code that
    catches either keeps working.
    """


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped at ``max_iter`` before meeting its tolerance."""


class DivergenceError(FloatingPointError):
    """Training blew up: the loss or the parameters became huge, infinite or NaN.

    Raised instead of returning NaN; the message suggests a smaller learning rate.
    """


class DataConversionWarning(UserWarning):
    """Input was converted to what the estimator needs, e.g. a column-vector ``y`` of shape
    ``(n, 1)`` flattened to ``(n,)``: almost always harmless, but worth knowing."""


class FitFailedWarning(RuntimeWarning):
    """Some fits of a cross-validation or a search raised; their scores were set to
    ``error_score`` (scikit-learn's warning of the same name, also a ``RuntimeWarning``)."""


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """``warnings.warn`` pointed at the first line outside fromscratch (the user's call),
    however deep inside the library the warning is raised: a fixed ``stacklevel`` is right for
    one call path only."""
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame: FrameType | None = sys._getframe(1)  # level 1: the frame that calls this function
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level + 1)  # + 1: this function's own frame
