"""The container every loader and generator returns, and the facts recorded about each data set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Bunch", "DatasetInfo", "make_bunch", "frame_or_none"]


class Bunch(dict):
    """A dictionary whose keys are also attributes: ``data.X`` is ``data["X"]``.

    Every data set in :mod:`fromscratch.datasets` is returned as a Bunch with at least

    ``name``
        The registry name (``fromscratch.datasets.load(name)`` gives it back).
    ``X``
        The features: a float64 array of shape ``(n_samples, n_features)``, or, for the
        house-price sets, a pandas DataFrame with numeric and string columns.
    ``y``
        The targets: float64 for regression, int64 class labels for classification.
    ``feature_names``, ``target_name``
        Column names (a list of str) and the target's name.
    ``task``
        ``"regression"`` or ``"classification"``.
    ``description``
        What the data are, where they come from, how to cite them and their licence.

    and, depending on the set, ``target_names`` (class names), ``images``, ``frame`` (a pandas
    DataFrame of features and target), the true parameters of a generator, and so on.
    """

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(
                f"this Bunch has no key {key!r}; its keys are: {', '.join(self)}"
            ) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def __delattr__(self, key: str) -> None:
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self))

    def __repr__(self) -> str:
        parts = []
        for key, value in self.items():
            if isinstance(value, np.ndarray):
                parts.append(f"{key}: array{value.shape} {value.dtype}")
            elif hasattr(value, "shape") and hasattr(value, "columns"):  # a DataFrame
                parts.append(f"{key}: DataFrame{tuple(value.shape)}")
            elif isinstance(value, str) and len(value) > 60:
                parts.append(f"{key}: {value[:50]!r}…")
            elif callable(value):
                parts.append(f"{key}: function")
            elif isinstance(value, list) and len(value) > 6:
                parts.append(f"{key}: [{', '.join(map(repr, value[:3]))}, … ({len(value)})]")
            else:
                parts.append(f"{key}={value!r}")
        return "Bunch(" + ", ".join(parts) + ")"


@dataclass(frozen=True)
class DatasetInfo:
    """What is known about a data set before loading it.

    ``shape`` is the documented ``(n_samples, n_features)`` of a real data set (``None`` for
    generators, whose shape is chosen by the caller).
    """

    name: str
    kind: str  # "real" or "synthetic"
    task: str  # "regression" or "classification"
    summary: str
    source: str
    citation: str
    licence: str
    shape: tuple[int, int] | None = None

    @property
    def description(self) -> str:
        """The text stored as ``Bunch.description``."""
        return (
            f"{self.summary}\n\n"
            f"Source: {self.source}\n"
            f"Citation: {self.citation}\n"
            f"Licence: {self.licence}"
        )


def make_bunch(
    info: DatasetInfo,
    X: Any,
    y: np.ndarray,
    *,
    feature_names: list[str],
    target_name: str,
    **extra: Any,
) -> Bunch:
    """Assemble the Bunch of one data set with the keys every data set has."""
    return Bunch(
        name=info.name,
        X=X,
        y=y,
        feature_names=list(feature_names),
        target_name=target_name,
        task=info.task,
        description=info.description,
        **extra,
    )


def frame_or_none(X: np.ndarray, y: np.ndarray, feature_names: list[str], target_name: str):
    """A pandas DataFrame of the features and the target, or ``None`` without pandas.

    pandas is imported here, when a loader runs, never when :mod:`fromscratch` is imported.
    """
    try:
        import pandas as pd
    except ImportError:
        return None
    frame = pd.DataFrame(X, columns=list(feature_names))
    frame[target_name] = y
    return frame
