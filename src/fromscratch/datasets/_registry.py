"""Every data set by name: ``load(name, **kwargs)``, ``names()`` and ``info(name)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fromscratch._validation import check_choice
from fromscratch.datasets._bunch import Bunch, DatasetInfo
from fromscratch.datasets.classification import CLASSIFICATION_GENERATORS
from fromscratch.datasets.real import REAL_DATASETS
from fromscratch.datasets.regression import REGRESSION_GENERATORS

__all__ = ["load", "names", "info"]

_REGISTRY: dict[str, tuple[Callable[..., Bunch], DatasetInfo]] = {
    **REAL_DATASETS,
    **REGRESSION_GENERATORS,
    **CLASSIFICATION_GENERATORS,
}


def names(kind: str | None = None) -> list[str]:
    """Names of the data sets, real ones first; ``kind`` picks ``"real"`` or ``"synthetic"``."""
    if kind is not None:
        check_choice(kind, "kind", ("real", "synthetic"))
    return [name for name, (_, meta) in _REGISTRY.items() if kind in (None, meta.kind)]


def info(name: str) -> DatasetInfo:
    """What is known about a data set without loading it: task, source, citation, licence."""
    return _REGISTRY[check_choice(name, "name", names())][1]


def load(name: str, **kwargs: Any) -> Bunch:
    """Load a real data set or draw a synthetic one by name.

    ``kwargs`` go to the loader or generator, e.g.
    ``load("spirals", n_samples=300, n_classes=3, random_state=0)`` is
    ``make_spirals(n_samples=300, n_classes=3, random_state=0)``.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid names and suggests close ones.
    """
    loader, _ = _REGISTRY[check_choice(name, "name", names())]
    return loader(**kwargs)
