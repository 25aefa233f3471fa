"""Our fits on Dask arrays against the Dask ecosystem's own solvers (references, tests only):
``dask.array.linalg.lstsq`` (its TSQR) and dask-ml's ``LinearRegression`` and
``LogisticRegression`` (dask-glm's solvers)."""

import warnings

import numpy as np
import pytest

from tolerance import assert_close_to_scale

da = pytest.importorskip("dask.array")

from fromscratch.datasets import make_classification, make_linear  # noqa: E402
from fromscratch.linear_model import LinearRegression, LogisticRegression  # noqa: E402


@pytest.fixture(scope="module")
def regression():
    return make_linear(20_000, 8, noise=0.5, intercept=2.0, chunks=3_000, random_state=7)


@pytest.mark.parametrize("solver", ["qr", "cholesky"])
def test_least_squares_equals_dask_lstsq(regression, solver):
    X, y = regression.X, regression.y
    ones = da.ones((X.shape[0], 1), chunks=(X.chunks[0], 1))
    theta = da.linalg.lstsq(da.hstack([ones, X]).rechunk({1: -1}), y)[0].compute()
    model = LinearRegression(solver=solver).fit(X, y)
    assert_close_to_scale(model.coef_, theta[1:], 1e-10)
    assert model.intercept_ == pytest.approx(theta[0], rel=1e-10)


def test_least_squares_equals_dask_ml(regression):
    dask_ml = pytest.importorskip("dask_ml.linear_model")
    X, y = regression.X, regression.y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = dask_ml.LinearRegression(solver="newton", tol=1e-12).fit(X, y)
    model = LinearRegression().fit(X, y)
    # dask-glm's Newton: its Gram matrix XᵀX of the normalized features, solved by the SVD
    # (numpy.linalg.lstsq) — one exact step for least squares, and one more to stop
    assert_close_to_scale(model.coef_, reference.coef_, 1e-9)
    assert model.intercept_ == pytest.approx(reference.intercept_, rel=1e-9)


def test_logistic_regression_equals_dask_ml():
    """Unpenalized, the one objective both fit (dask-glm's Newton has no penalty, and its
    penalties count the intercept): the maximum-likelihood estimate."""
    dask_ml = pytest.importorskip("dask_ml.linear_model")
    data = make_classification(20_000, 6, n_informative=4, n_redundant=0, flip_y=0.2,
                               chunks=4_000, random_state=3)
    X, y = data.X, data.y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = dask_ml.LogisticRegression(solver="newton", penalty=None, tol=1e-12,
                                               max_iter=100).fit(X, y)
    model = LogisticRegression(C=np.inf, tol=1e-10).fit(X, y)
    assert_close_to_scale(model.coef_[0], reference.coef_, 1e-7)
    assert model.intercept_[0] == pytest.approx(reference.intercept_, rel=1e-7, abs=1e-9)
