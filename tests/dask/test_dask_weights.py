"""Sample weights on row-chunked Dask arrays: the weighted fits equal the in-memory weighted fits.

The weights may be a Dask array with exactly ``X``'s row chunks or a NumPy array (sliced at
``X``'s block boundaries); both must give the in-memory weighted answer — 1e-10 of the
coefficients' scale for the exact solvers and Newton, 1e-8 for the lasso and the elastic net at
a tight tolerance, as without weights (tests/dask/test_dask_linear.py). The weights include
zeros (a zero weight drops the row, also from the centering) and span a factor of 30, so a
solver that ignored them, or centred without them, would be off by far more than that. Bad
weights are refused by name: other row chunks (naming ``rechunk``), the wrong length or shape,
negative or non-finite values (naming the block's rows, found mid-pass), all zero.
"""

import warnings

import numpy as np
import pytest

from chunking import CHUNKINGS, chunked
from tolerance import assert_close_to_scale

da = pytest.importorskip("dask.array")

from fromscratch.exceptions import ConvergenceWarning  # noqa: E402
from fromscratch.linear_model import (  # noqa: E402
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)


@pytest.fixture(scope="module")
def data():
    """Offset features, a target with two columns, weights in [0.1, 3] with every 7th zero."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((1000, 5)) * [1, 2, 3, 0.5, 5] + [0, 1e2, -4, 0, 7]
    Y = X @ rng.standard_normal((5, 2)) + [3, -1] + rng.standard_normal((1000, 2))
    w = rng.uniform(0.1, 3.0, 1000)
    w[::7] = 0.0
    z = (X - X.mean(axis=0)) / X.std(axis=0) @ rng.standard_normal(5)
    labels = (rng.random(1000) < 1 / (1 + np.exp(-z))).astype(int)
    three = np.digitize(z + rng.standard_normal(1000), [-0.5, 0.7])  # 0, 1, 2
    return X, Y, w, labels, three


def _assert_same_fit(on_dask, in_memory, rtol):
    assert isinstance(on_dask.coef_, np.ndarray)
    assert_close_to_scale(on_dask.coef_, in_memory.coef_, rtol)
    scale = max(np.abs(in_memory.intercept_).max(), np.abs(in_memory.coef_).max())
    assert np.abs(on_dask.intercept_ - in_memory.intercept_).max() <= rtol * scale


EXACT = [
    lambda: LinearRegression(solver="qr"),
    lambda: LinearRegression(solver="cholesky"),
    lambda: LinearRegression(solver="qr", fit_intercept=False),
    lambda: LinearRegression(positive=True),
    lambda: Ridge(alpha=10.0),
    lambda: Ridge(alpha=10.0, solver="qr"),
]


@pytest.mark.parametrize("dask_weights", [True, False], ids=["dask-w", "numpy-w"])
@pytest.mark.parametrize("chunks", CHUNKINGS)
@pytest.mark.parametrize("make", EXACT)
def test_weighted_exact_solvers_equal_the_in_memory_fit(data, chunks, make, dask_weights):
    X, Y, w, _, _ = data
    y = Y[:, 0]
    weights = chunked(w, chunks) if dask_weights else w
    on_dask = make().fit(chunked(X, chunks), chunked(y, chunks), sample_weight=weights)
    in_memory = make().fit(X, y, sample_weight=w)
    _assert_same_fit(on_dask, in_memory, 1e-10)
    # not the unweighted answer: the weights matter by far more than the tolerance
    unweighted = make().fit(X, y)
    assert np.abs(unweighted.coef_ - in_memory.coef_).max() > 1e-4 * np.abs(
        in_memory.coef_).max()


@pytest.mark.parametrize("make", [lambda: LinearRegression(solver="qr"),
                                  lambda: LinearRegression(solver="cholesky"),
                                  lambda: Ridge(alpha=3.0)])
def test_weighted_fits_of_several_targets(data, make):
    X, Y, w, _, _ = data
    chunks = (300, 1, 199, 500)
    on_dask = make().fit(chunked(X, chunks), chunked(Y, chunks),
                         sample_weight=chunked(w, chunks))
    in_memory = make().fit(X, Y, sample_weight=w)
    assert on_dask.coef_.shape == (2, 5)
    _assert_same_fit(on_dask, in_memory, 1e-10)


@pytest.mark.parametrize("chunks", CHUNKINGS)
@pytest.mark.parametrize("make", [
    lambda: Lasso(alpha=0.3, tol=1e-14, max_iter=100_000),
    lambda: ElasticNet(alpha=0.3, l1_ratio=0.4, tol=1e-14, max_iter=100_000),
])
def test_weighted_lasso_and_elastic_net_equal_the_in_memory_fit(data, chunks, make):
    X, Y, w, _, _ = data
    y = Y[:, 0]
    on_dask = make().fit(chunked(X, chunks), chunked(y, chunks),
                         sample_weight=chunked(w, chunks))
    in_memory = make().fit(X, y, sample_weight=w)
    _assert_same_fit(on_dask, in_memory, 1e-8)


@pytest.mark.parametrize("chunks", CHUNKINGS)
@pytest.mark.parametrize("params", [
    dict(C=1.0),
    dict(C=np.inf),
    dict(C=1.0, class_weight="balanced"),
    dict(C=0.5, class_weight={0: 3.0}),
])
def test_weighted_newton_equals_the_in_memory_fit(data, chunks, params):
    X, _, w, labels, _ = data
    on_dask = LogisticRegression(tol=1e-12, **params).fit(
        chunked(X, chunks), chunked(labels, chunks), sample_weight=chunked(w, chunks))
    in_memory = LogisticRegression(tol=1e-12, **params).fit(X, labels, sample_weight=w)
    _assert_same_fit(on_dask, in_memory, 1e-10)
    assert on_dask.n_iter_ == in_memory.n_iter_
    assert on_dask.log_likelihood_ == pytest.approx(in_memory.log_likelihood_, rel=1e-12)
    assert on_dask.null_log_likelihood_ == pytest.approx(in_memory.null_log_likelihood_,
                                                         rel=1e-12)
    if params["C"] == np.inf:  # the covariance from the weighted information matrix
        assert_close_to_scale(on_dask.cov_params_, in_memory.cov_params_, 1e-9)


def test_weighted_multinomial_newton_and_lbfgs(data):
    X, _, w, _, three = data
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # L-BFGS needs comparable scales to converge
    chunks = (300, 1, 199, 500)
    for solver, rtol in (("newton", 1e-10), ("lbfgs", 1e-6)):
        params = dict(solver=solver, tol=1e-10, max_iter=1000, class_weight="balanced")
        on_dask = LogisticRegression(**params).fit(
            chunked(X, chunks), chunked(three, chunks), sample_weight=chunked(w, chunks))
        in_memory = LogisticRegression(**params).fit(X, three, sample_weight=w)
        assert on_dask.coef_.shape == (3, 5)
        _assert_same_fit(on_dask, in_memory, rtol)


def test_weighted_streamed_linear_fit_rescales_the_weights(data):
    """``fit`` of the streaming solver rescales the weights to mean 1 (one pass for their
    total), as in memory: constant weights change nothing, and the weighted stream approaches
    the weighted least-squares solution, not the unweighted one."""
    X, Y, w, _, _ = data
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    y = Xs @ [1.0, -2.0, 0.5, 3.0, 1.0] + 2.0 + np.where(np.arange(1000) % 2 == 0, 0.1, 3.0) * \
        np.random.default_rng(0).standard_normal(1000)
    chunks = (250, 250, 250, 250)
    params = dict(solver="minibatch", batch_size=50, learning_rate=0.01, max_iter=60, tol=None,
                  random_state=0)
    plain = LinearRegression(**params).fit(chunked(Xs, chunks), chunked(y, chunks))
    constant = LinearRegression(**params).fit(chunked(Xs, chunks), chunked(y, chunks),
                                              sample_weight=chunked(np.full(1000, 7.0), chunks))
    assert_close_to_scale(constant.coef_, plain.coef_, 1e-12)

    # inverse-variance weights: the weighted solution differs from the plain one
    v = np.where(np.arange(1000) % 2 == 0, 100.0, 1 / 9)
    streamed = LinearRegression(**params).fit(chunked(Xs, chunks), chunked(y, chunks),
                                              sample_weight=chunked(v, chunks))
    exact = LinearRegression().fit(Xs, y, sample_weight=v)
    unweighted = LinearRegression().fit(Xs, y)
    assert np.abs(streamed.coef_ - exact.coef_).max() < 0.5 * np.abs(
        streamed.coef_ - unweighted.coef_).max() + 0.05
    assert_close_to_scale(streamed.coef_, exact.coef_, 0.05)


def test_weighted_streamed_logistic_fit_and_partial_fit(data):
    """The streamed logistic fit with weights approaches the weighted Newton fit; a zero weight
    on every row of one class's half is the fit without those rows."""
    X, _, w, labels, _ = data
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    chunks = (250, 250, 250, 250)
    params = dict(solver="minibatch", batch_size=20, learning_rate=0.05, max_iter=80,
                  tol=None, random_state=0, C=10.0)
    streamed = LogisticRegression(**params).fit(
        chunked(Xs, chunks), chunked(labels, chunks), sample_weight=chunked(w, chunks))
    exact = LogisticRegression(C=10.0).fit(Xs, labels, sample_weight=w)
    assert_close_to_scale(streamed.coef_, exact.coef_, 0.1)

    # partial_fit: class_weight="balanced" needs the whole stream, a dict is fine
    with pytest.raises(ValueError, match="class_weight='balanced'.*partial_fit"):
        LogisticRegression(class_weight="balanced").partial_fit(Xs, labels, classes=[0, 1])
    weighted = LogisticRegression(random_state=0, class_weight={1: 2.0}).partial_fit(
        chunked(Xs, chunks), chunked(labels, chunks), classes=[0, 1],
        sample_weight=chunked(w, chunks))
    assert np.all(np.isfinite(weighted.coef_))


# -- bad weights ---------------------------------------------------------------------------------


BAD_WEIGHT_FITS = [
    lambda X, y, w: LinearRegression().fit(X, y, sample_weight=w),
    lambda X, y, w: LinearRegression(solver="cholesky").fit(X, y, sample_weight=w),
    lambda X, y, w: Lasso(alpha=0.1).fit(X, y, sample_weight=w),
    lambda X, y, w: LogisticRegression().fit(X, (y > y.mean()).astype(int),
                                             sample_weight=w),
    lambda X, y, w: LinearRegression(solver="minibatch").fit(X, y, sample_weight=w),
]


@pytest.mark.parametrize("fit", BAD_WEIGHT_FITS)
def test_weights_with_other_row_chunks_are_refused_naming_rechunk(data, fit):
    X, Y, w, _, _ = data
    with pytest.raises(ValueError, match=r"sample_weight's row chunks .* differ .*rechunk"):
        fit(chunked(X, (500, 500)), chunked(Y[:, 0], (500, 500)), chunked(w, (400, 600)))


@pytest.mark.parametrize("fit", BAD_WEIGHT_FITS)
def test_bad_weights_are_refused_by_name(data, fit):
    X, Y, w, _, _ = data
    Xd, yd = chunked(X, (500, 500)), chunked(Y[:, 0], (500, 500))
    with pytest.raises(ValueError, match="sample_weight has 999 rows but X has 1000"):
        fit(Xd, yd, w[:-1])
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(n_samples,\)"):
        fit(Xd, yd, np.ones((1000, 2)))
    bad = w.copy()
    bad[700] = -1.0
    with pytest.raises(ValueError, match="sample_weight has negative values in the block of "
                                         "rows 500–999"):
        fit(Xd, yd, chunked(bad, (500, 500)))
    bad[700] = np.nan
    with pytest.raises(ValueError, match="sample_weight.*rows 500–999"):
        fit(Xd, yd, chunked(bad, (500, 500)))
    with pytest.raises(ValueError, match="sample_weight sums to 0|classes? .*positive weight"):
        fit(Xd, yd, chunked(np.zeros(1000), (500, 500)))


def test_a_failed_weighted_fit_stores_nothing(data):
    X, Y, w, labels, _ = data
    bad = w.copy()
    bad[999] = np.inf
    for estimator, y in ((LinearRegression(), Y[:, 0]), (Ridge(), Y[:, 0]),
                         (LogisticRegression(), labels)):
        with pytest.raises(ValueError, match="rows 500–999"):
            estimator.fit(chunked(X, (500, 500)), chunked(y, (500, 500)),
                          sample_weight=chunked(bad, (500, 500)))
        assert not hasattr(estimator, "coef_")


def test_weights_that_leave_one_class_are_refused(data):
    X, _, w, labels, _ = data
    only_ones = np.where(labels == 1, w, 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.raises(ValueError, match="class"):
            LogisticRegression().fit(chunked(X, (500, 500)), chunked(labels, (500, 500)),
                                     sample_weight=chunked(only_ones, (500, 500)))
