"""Streaming mini-batch training: ``partial_fit`` (NumPy or Dask input) and ``fit`` on Dask arrays
by passes over the blocks.

What is checked: the shuffling visits every row once per pass, blocks in a random order and
rows shuffled within them, reproducibly; ``partial_fit`` keeps the optimizer's state from call to
call (two calls are two Adam steps, not two first steps); the streamed fit reaches the least-
squares solution; the stopping rule, the warning, divergence, and bad input mid-pass.
"""

import warnings

import numpy as np
import pytest

from chunking import chunked
from tolerance import assert_close_to_scale

da = pytest.importorskip("dask.array")

from fromscratch import blocks  # noqa: E402
from fromscratch.datasets import make_linear  # noqa: E402
from fromscratch.exceptions import ConvergenceWarning, DivergenceError  # noqa: E402
from fromscratch.linear_model import LinearRegression  # noqa: E402

# -- the batches of a pass ----------------------------------------------------------------------


def test_a_pass_visits_every_row_once_block_by_block():
    rows = np.arange(103.0)
    chunks = (40, 40, 23)
    rb = blocks.row_blocks(chunked(rows.reshape(-1, 1), chunks), chunked(rows, chunks))
    rng = np.random.default_rng(0)
    first = [b[1] for b in blocks.iter_batches(rb, 16, rng)]
    second = [b[1] for b in blocks.iter_batches(rb, 16, rng)]
    for batches in (first, second):
        seen = np.concatenate(batches)
        assert np.array_equal(np.sort(seen), rows)  # every row exactly once
        for batch in batches:  # a batch never straddles two blocks
            assert len(set(np.searchsorted([40, 80], batch, side="right"))) == 1
            assert len(batch) <= 16
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))
    # blocks in a random order, rows shuffled within them: not the storage order
    assert not np.array_equal(np.concatenate(first), rows)
    again = [b[1] for b in blocks.iter_batches(rb, 16, np.random.default_rng(0))]
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    in_order = np.concatenate([b[1] for b in blocks.iter_batches(rb, 16)])
    assert np.array_equal(in_order, rows)


def test_prepare_runs_once_per_block_with_its_rows():
    rb = blocks.row_blocks(chunked(np.zeros((10, 1)), (3, 3, 4)))
    calls = []

    def prepare(start, stop, arrays):
        calls.append((start, stop))
        return arrays

    list(blocks.iter_batches(rb, 2, None, prepare))
    assert calls == [(0, 3), (3, 6), (6, 10)]


# -- partial_fit ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def regression():
    data = make_linear(4000, 4, noise=0.1, random_state=0)
    return data.X, data.y


def test_partial_fit_keeps_the_optimizer_state(regression):
    """With one batch of all the rows, each call is one Adam step on the full gradient of
    ½·mean((y − Xw − b)²): two calls must be two steps of one Adam (its moments and step
    count carried over), which differ from two first steps."""
    from fromscratch.autodiff import Tensor
    from fromscratch.optim import Adam

    X, y = regression
    model = LinearRegression(solver="minibatch", optimizer="adam", learning_rate=0.1,
                             batch_size=len(X), random_state=0)
    model.partial_fit(X, y).partial_fit(X, y)
    A = np.hstack([X, np.ones((len(X), 1))])
    w = Tensor(np.zeros(5), requires_grad=True)
    adam = Adam([w], lr=0.1)
    for _ in range(2):
        w.grad = -A.T @ (y - A @ w.data) / len(X)
        adam.step()
    assert_close_to_scale(np.append(model.coef_, model.intercept_), w.data, 1e-12)
    fresh_twice = LinearRegression(solver="minibatch", optimizer="adam", learning_rate=0.1,
                                   batch_size=len(X), random_state=0).partial_fit(X, y)
    del fresh_twice._stream  # a new optimizer for the second call
    fresh_twice.partial_fit(X, y)
    assert not np.allclose(fresh_twice.coef_, model.coef_)
    assert model.n_iter_ == 2 and model.t_ == 2 * len(X)


def test_partial_fit_on_pieces_and_on_blocks_reaches_least_squares(regression):
    X, y = regression
    exact = LinearRegression().fit(X, y)
    model = LinearRegression(solver="minibatch", learning_rate=0.05, batch_size=20,
                             random_state=0)
    for start in range(0, len(X), 1000):  # data arriving in pieces
        model.partial_fit(X[start:start + 1000], y[start:start + 1000])
    for _ in range(3):  # then passes over a Dask array
        model.partial_fit(chunked(X, 700), chunked(y, 700))
    assert_close_to_scale(model.coef_, exact.coef_, 0.02)
    assert abs(model.intercept_ - exact.intercept_) < 0.02
    assert model.t_ == 4 * len(X) and model.n_iter_ == 7
    predictions = model.predict(chunked(X, 700))
    assert predictions.chunks[0] == chunked(X, 700).chunks[0]


def test_partial_fit_after_fit_continues_from_the_fitted_coefficients(regression):
    X, y = regression
    model = LinearRegression(solver="minibatch", learning_rate=1e-12, batch_size=100,
                             random_state=0).fit(X, y)
    model.solver = "minibatch"
    exact = LinearRegression().fit(X, y)
    model.coef_, model.intercept_ = exact.coef_.copy(), exact.intercept_
    model.partial_fit(X, y)  # a tiny step size: stays at the exact solution
    assert_close_to_scale(model.coef_, exact.coef_, 1e-6)


def test_partial_fit_continues_one_model(regression):
    X, y = regression
    model = LinearRegression().partial_fit(X, y)  # mini-batches, whatever fit's solver
    assert model.solver_ == "minibatch"
    with pytest.raises(ValueError, match="X has 3 features.*expecting 4"):
        model.partial_fit(X[:, :3], y)


def test_a_failed_partial_fit_changes_nothing(regression):
    X, y = regression
    model = LinearRegression(solver="minibatch", random_state=0).partial_fit(X, y)
    before = (model.coef_.copy(), model.intercept_, model.t_, model._stream.w.data.copy())
    bad = X.copy()
    bad[2345, 2] = np.nan
    with pytest.raises(ValueError, match="X contains NaN or infinity in the block of rows "
                                         "2000–2999 \\(first at row 2345\\)"):
        model.partial_fit(chunked(bad, 1000), chunked(y, 1000))
    assert np.array_equal(model.coef_, before[0]) and model.intercept_ == before[1]
    assert model.t_ == before[2]
    assert np.array_equal(model._stream.w.data, before[3])


# -- fit on a Dask array -------------------------------------------------------------------------


def test_streamed_fit_reaches_least_squares_and_is_reproducible():
    data = make_linear(6000, 3, noise=0.1, chunks=[2500, 1000, 2500], random_state=1)
    exact = LinearRegression().fit(data.X.compute(), data.y.compute())

    def fit(seed):
        return LinearRegression(solver="minibatch", learning_rate=0.02, batch_size=16,
                                max_iter=200, tol=1e-6, random_state=seed).fit(data.X, data.y)

    model = fit(0)
    assert_close_to_scale(model.coef_, exact.coef_, 0.02)
    assert model.n_iter_ < 200 and len(model.loss_curve_) == model.n_iter_
    assert model.t_ == model.n_iter_ * 6000
    np.testing.assert_array_equal(fit(0).coef_, model.coef_)
    assert not np.array_equal(fit(1).coef_, model.coef_)


def test_streamed_fit_warns_when_it_runs_out_of_passes():
    data = make_linear(2000, 3, chunks=500, random_state=2)
    model = LinearRegression(solver="minibatch", learning_rate=1e-4, max_iter=2, tol=1e-12,
                             random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter=2 passes"):
        model.fit(data.X, data.y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.set_params(tol=None).fit(data.X, data.y)  # run all passes, no warning


def test_streamed_fit_reports_divergence():
    data = make_linear(2000, 3, chunks=500, random_state=2)
    with pytest.raises(DivergenceError, match="learning rate learning_rate=100 is probably"):
        LinearRegression(solver="minibatch", learning_rate=100.0, random_state=0).fit(
            data.X * 100, data.y)


def test_streaming_refuses_early_stopping():
    data = make_linear(200, 2, chunks=50, random_state=2)
    with pytest.raises(ValueError, match="early_stopping needs a validation split"):
        LinearRegression(solver="minibatch", early_stopping=True).fit(data.X, data.y)
