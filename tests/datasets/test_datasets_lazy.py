"""make_linear / make_classification with chunks=: lazy Dask arrays of any size, the same data
on every compute and scheduler, drawn from the documented model."""

import numpy as np
import pytest

from fromscratch import datasets

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")


def test_make_linear_lazy_is_a_dask_array_with_the_requested_chunks():
    data = datasets.make_linear(1000, 3, chunks=300, random_state=0)
    assert isinstance(data.X, da.Array) and isinstance(data.y, da.Array)
    assert data.X.chunks == ((300, 300, 300, 100), (3,))
    assert data.y.chunks == ((300, 300, 300, 100),)
    # nothing has been computed: the graph is tiny compared with the data it describes
    assert data.X.nbytes == 1000 * 3 * 8


def test_make_linear_lazy_is_reproducible_across_schedulers_and_computes():
    a = datasets.make_linear(500, 4, chunks=[100, 250, 150], noise=0.3, random_state=11)
    b = datasets.make_linear(500, 4, chunks=[100, 250, 150], noise=0.3, random_state=11)
    X1, y1 = dask.compute(a.X, a.y, scheduler="threads")
    X2, y2 = dask.compute(b.X, b.y, scheduler="synchronous")
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(a.coef, b.coef)
    np.testing.assert_array_equal(a.X.compute(), X1)  # the same numbers when computed again


def test_make_linear_lazy_follows_the_model():
    sigma = 0.5
    data = datasets.make_linear(20_000, coef=[1.0, -2.0], intercept=0.5, noise=sigma,
                                correlation=0.8, chunks=3000, random_state=2)
    X, y, y_clean = dask.compute(data.X, data.y, data.y_clean)
    np.testing.assert_array_equal(y_clean, X @ data.coef + 0.5)
    residual = y - y_clean
    assert residual.std(ddof=1) == pytest.approx(sigma, rel=4 / np.sqrt(2 * 19_999))
    corr = np.corrcoef(X.T)[0, 1]
    assert corr == pytest.approx(0.8, abs=4 * (1 - 0.8**2) / np.sqrt(20_000))
    # the blocks are independent draws, not copies of one another
    assert not np.array_equal(X[:3000], X[3000:6000])


def test_make_classification_lazy_draws_the_designed_problem():
    data = datasets.make_classification(
        6000, 8, n_informative=4, n_redundant=2, n_repeated=1, n_classes=3,
        weights=[0.5, 0.3, 0.2], flip_y=0.0, chunks=1000, random_state=4,
    )
    X, y = dask.compute(data.X, data.y)
    assert X.shape == (6000, 8) and y.dtype == np.int64
    shares = np.bincount(y, minlength=3) / 6000
    np.testing.assert_allclose(shares, [0.5, 0.3, 0.2], atol=4 * np.sqrt(0.25 / 6000))
    names = data.feature_names
    for j, name in enumerate(names):  # a repeated column is a copy of another column
        if name.startswith("repeated"):
            assert any(np.array_equal(X[:, j], X[:, k]) for k in range(8) if k != j)
    # redundant columns lie in the span of the informative ones: rank 4 + 1 noise column
    assert np.linalg.matrix_rank(X - X.mean(axis=0), tol=1e-8 * np.abs(X).max()) == 5
    again = datasets.make_classification(
        6000, 8, n_informative=4, n_redundant=2, n_repeated=1, n_classes=3,
        weights=[0.5, 0.3, 0.2], flip_y=0.0, chunks=1000, random_state=4,
    )
    np.testing.assert_array_equal(again.X.compute(scheduler="synchronous"), X)


def test_bad_chunks_are_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="chunks"):
        datasets.make_linear(10, 2, chunks=[3, 3])
    with pytest.raises(TypeError, match="chunks"):
        datasets.make_classification(10, 4, chunks="auto")
