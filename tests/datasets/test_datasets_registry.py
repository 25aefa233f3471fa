"""The Bunch container and the registry: load(name, **kwargs), names(), info()."""

import pickle

import numpy as np
import pytest

from fromscratch import datasets
from fromscratch.datasets import Bunch

REAL = ["breast_cancer", "diabetes", "digits", "ames", "windsor", "mnist"]
SYNTHETIC = ["linear", "sine", "polynomial", "moons", "circles", "spirals", "xor", "blobs",
             "classification"]


def test_bunch_attribute_and_key_access():
    bunch = Bunch(X=np.zeros((2, 1)), task="regression")
    assert bunch.X is bunch["X"]
    bunch.y = np.ones(2)
    assert "y" in bunch and bunch["y"] is bunch.y
    del bunch.y
    assert "y" not in bunch
    assert "task" in dir(bunch)
    with pytest.raises(AttributeError, match="no key 'coef'; its keys are: X, task"):
        _ = bunch.coef
    with pytest.raises(AttributeError):
        del bunch.coef
    assert "X: array(2, 1) float64" in repr(bunch)
    restored = pickle.loads(pickle.dumps(bunch))
    assert isinstance(restored, Bunch) and restored.task == "regression"


def test_names_cover_real_and_synthetic_sets():
    assert datasets.names() == REAL + SYNTHETIC
    assert datasets.names("real") == REAL
    assert datasets.names("synthetic") == SYNTHETIC
    with pytest.raises(ValueError, match="kind must be one of 'real', 'synthetic'"):
        datasets.names("fake")


@pytest.mark.parametrize("name", SYNTHETIC)
def test_load_draws_a_generator_by_name(name):
    data = datasets.load(name, n_samples=40, random_state=0)
    generator = getattr(datasets, f"make_{name}")
    direct = generator(n_samples=40, random_state=0)
    np.testing.assert_array_equal(data.X, direct.X)
    np.testing.assert_array_equal(data.y, direct.y)
    assert data.name == name
    assert data.task == datasets.info(name).task
    assert datasets.info(name).kind == "synthetic" and datasets.info(name).shape is None
    assert data.X.shape[0] == 40 and len(data.feature_names) == data.X.shape[1]


def test_load_passes_keyword_arguments_to_real_loaders():
    raw = datasets.load("diabetes", scaled=False)
    assert raw.name == "diabetes" and raw.scaled is False
    assert raw.X[0, 1] == 2.0  # sex coded 1/2 in raw units


def test_every_data_set_states_source_citation_and_licence():
    for name in datasets.names():
        meta = datasets.info(name)
        assert meta.task in ("regression", "classification")
        assert meta.source and meta.citation and meta.licence
        assert meta.description.endswith(f"Licence: {meta.licence}")
    assert datasets.info("mnist").shape == (5000, 784)


def test_unknown_name_lists_valid_names_and_suggests_close_ones():
    with pytest.raises(ValueError, match="name must be one of 'breast_cancer'.*Did you mean "
                                         "'spirals'"):
        datasets.load("spiral")
    with pytest.raises(ValueError, match="Did you mean 'mnist'"):
        datasets.info("mnsit")
    with pytest.raises(ValueError, match="got 3"):
        datasets.load(3)


def test_unknown_keyword_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="n_sample"):
        datasets.load("moons", n_sample=10)
