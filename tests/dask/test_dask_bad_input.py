"""Bad Dask input is refused by name, and a fit that fails leaves the estimator as it was.

Non-row chunking and misaligned ``y`` name ``rechunk``; NaN or infinity found in a block in the
middle of a pass names that block's rows; an error raised while a worker computes a block
surfaces with its own type and message; and nothing of a failed fit is stored.
"""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")

from fromscratch import blocks  # noqa: E402
from fromscratch.linear_model import ElasticNet, Lasso, LinearRegression, Ridge  # noqa: E402
from fromscratch.preprocessing import StandardScaler  # noqa: E402

REGRESSORS = [
    lambda: LinearRegression(solver="qr"),
    lambda: LinearRegression(solver="cholesky"),
    lambda: Ridge(alpha=1.0),
    lambda: Ridge(alpha=1.0, solver="qr"),
    lambda: Lasso(alpha=0.1),
    lambda: ElasticNet(alpha=0.1),
]


def _data(n=400, p=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    return X, X @ rng.standard_normal(p) + rng.standard_normal(n)


def _fitted_attributes(estimator):
    return {k: v for k, v in vars(estimator).items() if k.endswith("_") and not k.startswith("_")}


@pytest.mark.parametrize("make", REGRESSORS)
def test_column_chunks_are_refused_naming_rechunk(make):
    X, y = _data()
    with pytest.raises(ValueError, match=r"chunked by rows only.*X\.rechunk\(\{1: -1\}\)"):
        make().fit(da.from_array(X, chunks=(100, 2)), y)


@pytest.mark.parametrize("make", REGRESSORS)
def test_y_chunked_differently_is_refused_naming_rechunk(make):
    X, y = _data()
    with pytest.raises(ValueError, match=r"y's row chunks \(150, 150, 100\) differ from X's "
                                         r"\(100, 100, 100, 100\); rechunk"):
        make().fit(da.from_array(X, chunks=(100, 3)), da.from_array(y, chunks=150))
    with pytest.raises(ValueError, match="y has 399 rows but X has 400"):
        make().fit(da.from_array(X, chunks=(100, 3)), y[:-1])


@pytest.mark.parametrize("where", ["X", "y"])
@pytest.mark.parametrize("make", REGRESSORS)
def test_nan_in_a_block_names_its_rows_and_fits_nothing(make, where):
    X, y = _data()
    bad = (X.copy(), y.copy())
    if where == "X":
        bad[0][257, 1] = np.nan
    else:
        bad[1][257] = np.inf
    Xd, yd = da.from_array(bad[0], chunks=(100, 3)), da.from_array(bad[1], chunks=100)
    fresh = make()
    with pytest.raises(ValueError, match=rf"{where} contains NaN or infinity in the block of "
                                         r"rows 200–299 \(first at row 257\)"):
        fresh.fit(Xd, yd)
    assert _fitted_attributes(fresh) == {}
    fitted = make().fit(X, y)
    before = {k: np.copy(v) for k, v in _fitted_attributes(fitted).items()}
    with pytest.raises(ValueError, match="rows 200–299"):
        fitted.fit(Xd, yd)
    after = _fitted_attributes(fitted)
    assert before.keys() == after.keys()
    for name, value in before.items():
        np.testing.assert_array_equal(after[name], value, err_msg=name)


def _failing_rows(rng, size):
    if size == 77:  # the third block only
        raise OSError("the disk holding block 3 went away")
    X = rng.standard_normal((size, 3))
    return X, X.sum(axis=1)


@pytest.mark.parametrize("make", REGRESSORS + [lambda: StandardScaler()])
def test_an_error_on_a_worker_surfaces_with_its_cause(make):
    X, y = blocks.lazy_rows(_failing_rows, [100, 100, 77, 100], 0, shapes=[(3,), ()],
                            dtypes=[np.float64] * 2)
    estimator = make()
    with pytest.raises(OSError, match="the disk holding block 3 went away"):
        estimator.fit(X, y)
    assert _fitted_attributes(estimator) == {}


def test_dtypes_and_shapes_are_checked_by_name():
    X, y = _data()
    with pytest.raises(TypeError, match="X must hold real numbers.*bool"):
        LinearRegression().fit(da.from_array(X > 0, chunks=(100, 3)), y)
    with pytest.raises(TypeError, match="y must hold real numbers for a regressor"):
        LinearRegression().fit(da.from_array(X, chunks=(100, 3)), y.astype(str))
    with pytest.raises(ValueError, match=r"2-D \(samples × features\); got 1-D"):
        LinearRegression().fit(da.from_array(y, chunks=100), y)
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(n_samples,\)"):
        StandardScaler().fit(da.from_array(X, chunks=(100, 3)), sample_weight=X)
    with pytest.raises(ValueError, match="y is None"):
        Ridge().fit(da.from_array(X, chunks=(100, 3)), None)
    with pytest.raises(ValueError, match="unknown chunk sizes"):
        Xd = da.from_array(X, chunks=(100, 3))
        LinearRegression().fit(Xd[Xd[:, 0] > 0], y)


def test_integer_features_are_converted_lazily():
    X, y = _data()
    Xi = np.round(X * 10).astype(np.int64)
    on_dask = LinearRegression().fit(da.from_array(Xi, chunks=(100, 3)), y)
    in_memory = LinearRegression().fit(Xi, y)
    np.testing.assert_allclose(on_dask.coef_, in_memory.coef_, rtol=1e-10)


def test_negative_and_zero_weights_are_refused():
    X, _ = _data()
    w = np.ones(len(X))
    w[310] = -1.0
    with pytest.raises(ValueError, match="sample_weight has negative values in the block of "
                                         "rows 300–399"):
        StandardScaler().fit(da.from_array(X, chunks=(100, 3)), sample_weight=w)
    with pytest.raises(ValueError, match="sample_weight sums to 0"):
        StandardScaler().fit(da.from_array(X, chunks=(100, 3)), sample_weight=np.zeros(len(X)))


@pytest.mark.parametrize("make", [
    lambda: LinearRegression(solver="gd"),
    lambda: LinearRegression(solver="newton"),
    lambda: Ridge(solver="sgd"),
])
def test_solvers_without_a_block_form_are_refused_naming_the_ones_that_have_one(make):
    X, y = _data()
    with pytest.raises(ValueError, match="cannot fit a Dask array; on row blocks it supports"):
        make().fit(da.from_array(X, chunks=(100, 3)), y)
