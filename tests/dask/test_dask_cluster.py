"""The same fits on a ``distributed.LocalCluster`` of two worker processes as on the default
threaded scheduler: identical coefficients, no code change but a ``Client``.

The graph of a pass does not depend on the scheduler — the same per-block functions, merged by
the same tree — so the numbers are the same to the last bit; what changes is only where each
block is computed (and that everything sent to a worker must be picklable, which this checks).
One cluster serves the whole module (starting one takes a few seconds).
"""

import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from fromscratch.datasets import make_classification, make_linear  # noqa: E402
from fromscratch.exceptions import ConvergenceWarning  # noqa: E402
from fromscratch.linear_model import (  # noqa: E402
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from fromscratch.nn import MLPClassifier, MLPRegressor  # noqa: E402
from fromscratch.preprocessing import StandardScaler  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                       dashboard_address=None)
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


@pytest.fixture(scope="module")
def lazy_data():
    return make_linear(3000, 5, chunks=[700, 800, 1, 1499], noise=0.5, random_state=3)


def _threaded(fit):
    import dask

    with dask.config.set(scheduler="threads"):
        return fit()


@pytest.mark.parametrize("make", [
    lambda: LinearRegression(solver="qr"),
    lambda: LinearRegression(solver="cholesky"),
    lambda: Ridge(alpha=2.0),
    lambda: Lasso(alpha=0.01, tol=1e-10),
])
def test_regressors_fit_the_same_on_a_cluster(client, lazy_data, make):
    threaded = _threaded(lambda: make().fit(lazy_data.X, lazy_data.y))
    on_cluster = make().fit(lazy_data.X, lazy_data.y)  # the client is the default scheduler
    np.testing.assert_array_equal(on_cluster.coef_, threaded.coef_)
    assert on_cluster.intercept_ == threaded.intercept_
    predictions = on_cluster.predict(lazy_data.X)
    np.testing.assert_array_equal(predictions.compute(), threaded.predict(lazy_data.X).compute())


@pytest.fixture(scope="module")
def lazy_classes():
    return make_classification(3000, 4, n_informative=3, n_redundant=0, n_classes=3,
                               chunks=[1000, 700, 1300], random_state=4)


@pytest.mark.parametrize("make", [
    lambda: LogisticRegression(tol=1e-8),
    lambda: LogisticRegression(solver="lbfgs", tol=1e-6),
    lambda: LogisticRegression(solver="minibatch", max_iter=3, tol=None, random_state=0),
])
def test_logistic_regression_fits_the_same_on_a_cluster(client, lazy_classes, make):
    threaded = _threaded(lambda: make().fit(lazy_classes.X, lazy_classes.y))
    on_cluster = make().fit(lazy_classes.X, lazy_classes.y)
    np.testing.assert_array_equal(on_cluster.coef_, threaded.coef_)
    np.testing.assert_array_equal(on_cluster.intercept_, threaded.intercept_)


def test_streamed_regression_is_reproducible_on_a_cluster(client, lazy_data):
    def fit():
        return LinearRegression(solver="minibatch", max_iter=2, tol=None,
                                random_state=5).fit(lazy_data.X, lazy_data.y)

    np.testing.assert_array_equal(fit().coef_, _threaded(fit).coef_)


@pytest.mark.parametrize("make", [
    lambda: LinearRegression(solver="qr"),
    lambda: Ridge(alpha=2.0, solver="cholesky"),
    lambda: LinearRegression(solver="minibatch", max_iter=2, tol=None, random_state=5),
])
def test_weighted_regressors_fit_the_same_on_a_cluster(client, lazy_data, make):
    weights = da.exp(lazy_data.X[:, 0] / 2)  # lazy, with X's row chunks
    threaded = _threaded(lambda: make().fit(lazy_data.X, lazy_data.y, sample_weight=weights))
    on_cluster = make().fit(lazy_data.X, lazy_data.y, sample_weight=weights)
    np.testing.assert_array_equal(on_cluster.coef_, threaded.coef_)
    assert on_cluster.intercept_ == threaded.intercept_


def test_weighted_logistic_regression_fits_the_same_on_a_cluster(client, lazy_classes):
    weights = da.exp(lazy_classes.X[:, 1] / 2)

    def fit():
        return LogisticRegression(tol=1e-8, class_weight="balanced").fit(
            lazy_classes.X, lazy_classes.y, sample_weight=weights)

    on_cluster, threaded = fit(), _threaded(fit)
    np.testing.assert_array_equal(on_cluster.coef_, threaded.coef_)
    np.testing.assert_array_equal(on_cluster.intercept_, threaded.intercept_)


@pytest.mark.parametrize("make, data", [
    (lambda: MLPRegressor(hidden_layer_sizes=(6,), max_iter=3, random_state=0), "lazy_data"),
    (lambda: MLPClassifier(hidden_layer_sizes=(6,), max_iter=3, random_state=0),
     "lazy_classes"),
])
def test_streamed_networks_are_reproducible_on_a_cluster(client, request, make, data):
    lazy = request.getfixturevalue(data)

    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return make().fit(lazy.X, lazy.y)

    on_cluster, threaded = fit(), _threaded(fit)
    for a, b in zip(on_cluster.coefs_ + on_cluster.intercepts_,
                    threaded.coefs_ + threaded.intercepts_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_scaler_fits_the_same_on_a_cluster(client, lazy_data):
    threaded = _threaded(lambda: StandardScaler().fit(lazy_data.X))
    on_cluster = StandardScaler().fit(lazy_data.X)
    np.testing.assert_array_equal(on_cluster.mean_, threaded.mean_)
    np.testing.assert_array_equal(on_cluster.var_, threaded.var_)


def test_a_worker_error_surfaces_with_its_cause(client):
    X = da.from_array(np.ones((100, 2)), chunks=(25, 2))
    y = np.ones(100)
    y[60] = np.nan
    with pytest.raises(ValueError, match="y contains NaN or infinity in the block of rows 50–74"):
        LinearRegression().fit(X, y)
