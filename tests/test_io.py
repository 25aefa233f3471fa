"""save/load: exact round trips, and bad files rejected without running anything."""

import json
import sys
import types
import zipfile

import numpy as np
import pandas as pd
import pytest

import fromscratch
from fromscratch.autodiff import Tensor
from fromscratch.base import BaseEstimator, RegressorMixin
from fromscratch.compose import make_column_transformer, make_pipeline
from fromscratch.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from fromscratch.nn import MLPClassifier, MLPRegressor, Parameter
from fromscratch.preprocessing import OneHotEncoder, PolynomialFeatures, StandardScaler


class Toy(RegressorMixin, BaseEstimator):
    def __init__(self, alpha=1.0, names=("a", "b"), inner=None, kind=None):
        self.alpha = alpha
        self.names = names
        self.inner = inner
        self.kind = kind

    def fit(self, X, y):
        X, y = self._validate_fit(X, y)
        self.coef_ = np.linalg.lstsq(X, y, rcond=None)[0]  # test-side stand-in
        self.classes_ = np.array(["no", "yes"])
        self.n_iter_ = 7
        self.loss_curve_ = [1.0, 0.5, np.float32(0.25)]
        return self

    def predict(self, X):
        return self._validate_predict(X) @ self.coef_


@pytest.fixture(autouse=True)
def toy_inside_fromscratch(monkeypatch):
    """load() only rebuilds classes defined in fromscratch: place the test class there."""
    module = types.ModuleType("fromscratch._toy_for_tests")
    module.Toy = Toy
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(Toy, "__module__", module.__name__)


def _same(a, b):
    """Structural equality that also compares types and dtypes."""
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, BaseEstimator):
        _same(vars(a), vars(b))
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


def test_tree_round_trip_is_exact(tmp_path):
    tree = {
        "w": np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32),
        "ints": np.arange(5),
        "labels": np.array(["cat", "dog"]),
        "mask": np.array([True, False]),
        "nested": [1, 2.5, None, "x", (1, 2), {"inf": np.inf, "nan": np.nan}],
        "scalar": np.float32(1.5),
        0: "int key",
        "step": np.int64(3),
    }
    path = fromscratch.save(tree, tmp_path / "tree")
    assert path.suffix == ".npz"
    _same(tree, fromscratch.load(path))


def test_estimator_round_trip(tmp_path):
    X = np.random.default_rng(1).normal(size=(20, 2))
    y = X @ [1.0, -2.0]
    model = Toy(alpha=0.5, inner=Toy(alpha=2.0), kind=Toy).fit(X, y)
    loaded = fromscratch.load(fromscratch.save(model, tmp_path / "model.npz"))
    assert isinstance(loaded, Toy) and isinstance(loaded.inner, Toy) and loaded.kind is Toy
    assert loaded.get_params()["inner__alpha"] == 2.0 and loaded.names == ("a", "b")
    for name in ("coef_", "classes_", "n_iter_", "loss_curve_", "n_features_in_"):
        _same(getattr(model, name), getattr(loaded, name))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_tensor_and_generator_round_trip(tmp_path):
    generator = np.random.default_rng(5)
    generator.random(3)
    tensor = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    parameter = Parameter(np.arange(2.0))
    loaded = fromscratch.load(fromscratch.save(
        {"t": tensor, "p": parameter, "rng": generator}, tmp_path / "x"))
    assert loaded["t"].requires_grad and loaded["t"].data.dtype == np.float32
    assert type(loaded["t"]) is Tensor and type(loaded["p"]) is Parameter
    np.testing.assert_array_equal(loaded["p"].data, parameter.data)
    np.testing.assert_array_equal(loaded["rng"].random(4), generator.random(4))


def test_unsupported_values_are_refused_with_their_location(tmp_path):
    with pytest.raises(TypeError, match=r"cannot save the object\['f'\]: a value of type function"):
        fromscratch.save({"f": lambda x: x}, tmp_path / "f")
    with pytest.raises(TypeError, match=r"the object\[1\]: an object array whose element 1 is a "
                       "list"):
        fromscratch.save([0, np.array(["a", [1, 2]], dtype=object)], tmp_path / "o")
    with pytest.raises(TypeError, match="the class builtins.dict"):
        fromscratch.save({"kind": dict}, tmp_path / "c")
    model = Toy().fit(np.eye(3), np.ones(3))
    model.extra_ = {"callback": print}
    with pytest.raises(TypeError, match=r"cannot save Toy.extra_\['callback'\]"):
        fromscratch.save(model, tmp_path / "m")
    model.extra_ = np.array([object()])
    with pytest.raises(TypeError, match=r"cannot save Toy.extra_: an object array whose element "
                       "0 is a object"):
        fromscratch.save(model, tmp_path / "m")
    pipeline = make_pipeline(StandardScaler(), Toy()).fit(np.eye(3), np.ones(3))
    pipeline[-1].extra_ = {1, 2}
    with pytest.raises(TypeError, match=r"the parameters of Pipeline\['steps'\]\[1\]\[1\] "
                       r"\(Toy\).extra_: a value of type set"):
        fromscratch.save(pipeline, tmp_path / "p")


def test_object_arrays_slices_and_dtypes_round_trip(tmp_path):
    """What estimators fitted on DataFrames hold: object arrays of strings (or of numbers from
    a mixed-type frame), output slices, dtype parameters."""
    names = np.array(["age", "income"], dtype=object)
    tree = {
        "names": names,
        "grid": np.array([["a", 1], [2.5, None]], dtype=object),
        "empty": np.array([], dtype=object),
        "slice": slice(0, 3),
        "open": slice(None, None, -1),
        "type": np.float32,
        "dtype": np.dtype("<U3"),
    }
    loaded = fromscratch.load(fromscratch.save(tree, tmp_path / "t"))
    _same(tree, loaded)
    assert loaded["grid"].dtype == object and loaded["grid"][1, 1] is None


def test_load_takes_the_path_given_to_save(tmp_path):
    for saved_as, loaded_as in [("model", "model"), ("model", "model.npz"),
                                ("other.npz", "other"), ("other.npz", "other.npz"),
                                ("v1.0", "v1.0")]:
        written = fromscratch.save({"x": 1}, tmp_path / saved_as)
        assert written.name.endswith(".npz")
        assert fromscratch.load(tmp_path / loaded_as) == {"x": 1}
        assert fromscratch.load(str(tmp_path / loaded_as)) == {"x": 1}
    with pytest.raises(FileNotFoundError, match="absent or .*absent.npz"):
        fromscratch.load(tmp_path / "absent")


def _frame_data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(40, 3)), columns=["age", "income", "height"])
    y = X["age"] - 2 * X["income"] + 0.1 * rng.normal(size=40)
    labels = pd.Series(np.where(y > 0, "yes", "no"))  # object dtype: classes_ is an object array
    mixed = pd.DataFrame({"colour": rng.choice(["red", "blue", "green"], 40),
                          "size": rng.integers(0, 3, 40), "weight": rng.normal(size=40)})
    return X, y, labels, mixed


ESTIMATORS_ON_FRAMES = {
    "LinearRegression": (LinearRegression, "y"),
    "Ridge": (Ridge, "y"),
    "Lasso": (lambda: Lasso(alpha=0.01), "y"),
    "ElasticNet": (lambda: ElasticNet(alpha=0.01), "y"),
    "LogisticRegression": (LogisticRegression, "labels"),
    "MLPClassifier": (lambda: MLPClassifier((5,), max_iter=20, random_state=0), "labels"),
    "MLPRegressor": (lambda: MLPRegressor((5,), max_iter=20, random_state=0), "y"),
    "StandardScaler": (StandardScaler, None),
    "PolynomialFeatures": (PolynomialFeatures, None),
    "OneHotEncoder": (OneHotEncoder, "mixed"),
    "Pipeline": (lambda: make_pipeline(StandardScaler(), Ridge()), "y"),
    "Pipeline+ColumnTransformer": (lambda: make_pipeline(
        make_column_transformer((OneHotEncoder(), ["colour", "size"]), remainder="passthrough"),
        LogisticRegression()), "labels"),
}


@pytest.mark.filterwarnings("ignore:.*has not converged")  # 20 epochs: enough to save
@pytest.mark.parametrize("name", ESTIMATORS_ON_FRAMES)
def test_estimators_fitted_on_a_dataframe_round_trip(tmp_path, name):
    make, target = ESTIMATORS_ON_FRAMES[name]
    X, y, labels, mixed = _frame_data()
    if target == "mixed" or name == "Pipeline+ColumnTransformer":
        X = mixed
    estimator = make()
    if target in (None, "mixed"):
        estimator.fit(X)
    else:
        estimator.fit(X, {"y": y, "labels": labels}[target])
    assert estimator.feature_names_in_.dtype == object
    loaded = fromscratch.load(fromscratch.save(estimator, tmp_path / "model"))
    _same(estimator, loaded)
    method = "predict" if hasattr(estimator, "predict") else "transform"
    np.testing.assert_array_equal(getattr(loaded, method)(X), getattr(estimator, method)(X))


def test_missing_and_foreign_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        fromscratch.load(tmp_path / "none.npz")
    text = tmp_path / "notes.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not a fromscratch file"):
        fromscratch.load(text)
    plain = tmp_path / "plain.npz"
    np.savez(plain, x=np.ones(3))
    with pytest.raises(ValueError, match="no header"):
        fromscratch.load(plain)


def test_truncated_file(tmp_path):
    path = fromscratch.save({"w": np.ones(1000)}, tmp_path / "w")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a fromscratch file|truncated"):
        fromscratch.load(path)


def _rewrite(path, **replace):
    """Rewrite members of the archive as a tamperer would."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(replace)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _npy(array):
    import io

    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def test_modified_array_is_detected(tmp_path):
    path = fromscratch.save({"w": np.ones(4)}, tmp_path / "w")
    _rewrite(path, **{"a0.npy": _npy(np.zeros(4))})
    with pytest.raises(ValueError, match="checksum"):
        fromscratch.load(path)


def _tamper_header(path, change):
    with np.load(path) as archive:
        header = json.loads(archive["__header__"].tobytes())
    change(header)
    raw = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    from fromscratch.io import _digest

    digest = np.frombuffer(_digest(raw).encode(), dtype=np.uint8)
    _rewrite(path, **{"__header__.npy": _npy(raw), "__header_sha256__.npy": _npy(digest)})


def test_modified_header_is_detected(tmp_path):
    path = fromscratch.save({"alpha": 1.0}, tmp_path / "h")
    raw = np.frombuffer(b'{"format": "fromscratch"}', dtype=np.uint8)
    _rewrite(path, **{"__header__.npy": _npy(raw)})
    with pytest.raises(ValueError, match="checksum"):
        fromscratch.load(path)


def test_classes_outside_fromscratch_are_never_loaded(tmp_path):
    path = fromscratch.save({"kind": Toy}, tmp_path / "c")
    _tamper_header(path, lambda h: h["body"].update(kind={"__class__": "os.system"}))
    with pytest.raises(ValueError, match="only fromscratch classes"):
        fromscratch.load(path)


def test_object_arrays_in_the_file_are_refused(tmp_path):
    path = fromscratch.save({"w": np.ones(2)}, tmp_path / "p")
    _rewrite(path, **{"a0.npy": _npy(np.array([{"x": 1}], dtype=object))})
    with pytest.raises(ValueError, match="not a readable fromscratch file"):
        fromscratch.load(path)


def test_newer_format_version_is_refused(tmp_path):
    path = fromscratch.save({"x": 1}, tmp_path / "v")
    _tamper_header(path, lambda h: h.update(format_version=99))
    with pytest.raises(ValueError, match="format version 99"):
        fromscratch.load(path)


def _header(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(bytes(np.load(archive.open("__header__.npy"))).decode())


def test_files_name_classes_by_their_public_path(tmp_path):
    model = make_pipeline(StandardScaler(), ElasticNet(alpha=0.1))
    fromscratch.io.save(model, tmp_path / "model")
    text = json.dumps(_header(tmp_path / "model.npz"))
    assert "fromscratch.compose.Pipeline" in text
    assert "fromscratch.linear_model.ElasticNet" in text
    assert "_coordinate_descent" not in text  # the private module that defines it


@pytest.mark.parametrize("old_path", [
    "fromscratch.preprocessing.Pipeline",  # 0.1.0: Pipeline lived in preprocessing
    "fromscratch.compose.Pipeline",
])
def test_files_of_earlier_versions_still_load(tmp_path, monkeypatch, old_path):
    """0.1.0 wrote each class's module path; a file naming where a class used to live (or the
    private module that defines it) loads as the class it was."""
    public = fromscratch.io._class_path
    old = {"Pipeline": old_path,
           "ElasticNet": "fromscratch.linear_model._coordinate_descent.ElasticNet"}
    monkeypatch.setattr(fromscratch.io, "_class_path",
                        lambda cls: old.get(cls.__qualname__) or public(cls))
    X = np.random.default_rng(0).normal(size=(30, 3))
    model = make_pipeline(StandardScaler(), ElasticNet(alpha=0.1)).fit(X, X[:, 0])
    fromscratch.io.save(model, tmp_path / "old")
    assert old_path in json.dumps(_header(tmp_path / "old.npz"))
    monkeypatch.undo()
    loaded = fromscratch.io.load(tmp_path / "old")
    assert type(loaded).__name__ == "Pipeline" and type(loaded.steps[1][1]) is ElasticNet
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
