"""The linear regressors and StandardScaler on row-chunked Dask arrays equal their in-memory fits.

The same estimator is fitted on a NumPy array and on the same numbers chunked by rows (uneven
chunks, a chunk of one row, a single chunk); the coefficients must agree to 1e-10 of their
scale for the exact solvers (TSQR and the one-pass normal equations are different arithmetic
for the same answer) and to 1e-8 for the lasso and the elastic net at a tight tolerance (two
runs of coordinate descent that stop at a duality gap of 1e-14·‖y‖²).
"""

import warnings

import numpy as np
import pytest

from chunking import CHUNKINGS, chunked
from designs import ill_conditioned_design
from tolerance import assert_close_to_scale

da = pytest.importorskip("dask.array")

from fromscratch.linalg import IllConditionedWarning, RankDeficientWarning  # noqa: E402
from fromscratch.linear_model import (  # noqa: E402
    ElasticNet,
    Lasso,
    LinearRegression,
    Ridge,
)
from fromscratch.preprocessing import StandardScaler  # noqa: E402


@pytest.fixture(scope="module")
def data():
    """Features on different scales with offsets far from zero (the centering matters)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 6)) * [1, 2, 3, 0.5, 5, 10] + [0, 1e3, -4, 0, 7, 1e2]
    y = X @ rng.standard_normal(6) + 3 + rng.standard_normal(1000)
    return X, y


def _assert_same_fit(on_dask, in_memory, rtol):
    assert isinstance(on_dask.coef_, np.ndarray)
    assert_close_to_scale(on_dask.coef_, in_memory.coef_, rtol)
    scale = max(abs(in_memory.intercept_), np.abs(in_memory.coef_).max())
    assert abs(on_dask.intercept_ - in_memory.intercept_) <= rtol * scale


EXACT = [
    lambda: LinearRegression(solver="qr"),
    lambda: LinearRegression(solver="cholesky"),
    lambda: LinearRegression(solver="qr", fit_intercept=False),
    lambda: LinearRegression(solver="cholesky", fit_intercept=False),
    lambda: Ridge(alpha=10.0),
    lambda: Ridge(alpha=10.0, solver="qr"),
    lambda: Ridge(alpha=10.0, fit_intercept=False),
]


@pytest.mark.parametrize("chunks", CHUNKINGS)
@pytest.mark.parametrize("make", EXACT)
def test_exact_solvers_equal_the_in_memory_fit(data, chunks, make):
    X, y = data
    on_dask = make().fit(chunked(X, chunks), chunked(y, chunks))
    in_memory = make().fit(X, y)
    _assert_same_fit(on_dask, in_memory, 1e-10)
    assert on_dask.n_features_in_ == 6
    assert on_dask.n_iter_ == 1
    if isinstance(on_dask, LinearRegression):
        assert on_dask.rank_ == in_memory.rank_ == 6
        assert on_dask.solver_ == in_memory.solver_
    # the condition estimates are of the same matrix (up to rounding)
    assert on_dask.condition_number_ == pytest.approx(in_memory.condition_number_, rel=1e-6)


def test_y_may_stay_in_memory(data):
    X, y = data
    on_dask = LinearRegression().fit(chunked(X, 300), y)
    _assert_same_fit(on_dask, LinearRegression().fit(X, y), 1e-10)


@pytest.mark.parametrize("model", [
    lambda: Lasso(alpha=0.05, tol=1e-14, max_iter=100_000),
    lambda: ElasticNet(alpha=0.05, l1_ratio=0.3, tol=1e-14, max_iter=100_000),
    lambda: Lasso(alpha=0.05, tol=1e-14, max_iter=100_000, fit_intercept=False),
    lambda: ElasticNet(alpha=0.5, tol=1e-14, max_iter=100_000, positive=True),
    lambda: Lasso(alpha=0.05, tol=1e-14, max_iter=100_000, selection="random",
                  random_state=3),
])
@pytest.mark.parametrize("chunks", CHUNKINGS)
def test_lasso_and_elastic_net_equal_the_in_memory_fit(data, chunks, model):
    X, y = data
    X = (X - X.mean(axis=0)) / X.std(axis=0) + 3  # a penalty that suits every feature
    on_dask = model().fit(chunked(X, chunks), chunked(y, chunks))
    in_memory = model().fit(X, y)
    _assert_same_fit(on_dask, in_memory, 1e-8)
    assert np.array_equal(on_dask.coef_ == 0, in_memory.coef_ == 0)  # the same support
    yc = y - y.mean() if on_dask.fit_intercept else y
    assert on_dask.dual_gap_ <= 1e-14 * (yc @ yc) / len(y)  # the gap tolerance was met


def test_elastic_net_warm_start_and_convergence_warning(data):
    X, y = data
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    Xd, yd = chunked(X, 250), chunked(y, 250)
    with pytest.warns(UserWarning, match="did not converge in max_iter=1 iterations"):
        first = ElasticNet(alpha=0.01, max_iter=1, tol=1e-12, warm_start=True).fit(Xd, yd)
    start = first.coef_.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first.set_params(max_iter=2).fit(Xd, yd)
    assert not np.array_equal(first.coef_, start)  # started from the previous coef_


def test_fista_is_refused_on_blocks(data):
    X, y = data
    with pytest.raises(ValueError, match=r"solver='fista'.*cannot fit a Dask array.*'cd'"):
        Lasso(solver="fista").fit(chunked(X, 250), chunked(y, 250))


@pytest.mark.parametrize("solver", ["qr", "cholesky"])
def test_rank_deficient_design_gives_the_same_rank_and_warning(data, solver):
    X, y = data
    X = np.column_stack([X, X[:, 0] - 2 * X[:, 2]])  # a dependent column
    with pytest.warns(RankDeficientWarning) as on_dask_warnings:
        on_dask = LinearRegression(solver=solver).fit(chunked(X, 300), chunked(y, 300))
    with pytest.warns(RankDeficientWarning) as in_memory_warnings:
        in_memory = LinearRegression(solver=solver).fit(X, y)
    assert on_dask.rank_ == in_memory.rank_ == 6
    assert on_dask.solver_ == in_memory.solver_ == "cod"
    _assert_same_fit(on_dask, in_memory, 1e-10)  # the minimum-norm solution, both

    def messages(record):
        return [str(w.message) for w in record if issubclass(w.category, UserWarning)]

    assert messages(on_dask_warnings) == messages(in_memory_warnings)


def test_tsqr_is_as_accurate_as_in_memory_qr_on_an_ill_conditioned_design():
    """κ(X) ≈ 1e8 and a zero residual: QR's error is about κε ≈ 1e-8, the normal equations'
    about κ²ε ≈ 1 — TSQR must be a QR method, not a normal-equations one in disguise."""
    rng = np.random.default_rng(5)
    X = ill_conditioned_design(4000, 5, 1e8, rng)
    w_true = rng.standard_normal(5)
    y = X @ w_true
    with pytest.warns(IllConditionedWarning):
        in_memory = LinearRegression(solver="qr", fit_intercept=False).fit(X, y)
    with pytest.warns(IllConditionedWarning):
        on_dask = LinearRegression(solver="qr", fit_intercept=False).fit(
            chunked(X, 500), chunked(y, 500))
    error_memory = np.max(np.abs(in_memory.coef_ - w_true))
    error_dask = np.max(np.abs(on_dask.coef_ - w_true))
    scale = np.max(np.abs(w_true))
    assert error_memory < 1e-6 * scale
    assert error_dask < max(10 * error_memory, 1e-7 * scale)
    # the normal equations lose every digit here: what TSQR must not be
    normal = np.linalg.solve(X.T @ X, X.T @ y)
    assert np.max(np.abs(normal - w_true)) > 1e-3 * scale


def test_cholesky_falls_back_to_tsqr_when_only_the_gram_matrix_is_singular():
    rng = np.random.default_rng(6)
    base = rng.standard_normal((2000, 3))
    X = np.column_stack([base, base[:, 0] + 1e-9 * rng.standard_normal(2000)])
    y = X @ [1.0, 2.0, 3.0, 4.0] + 0.1 * rng.standard_normal(2000)
    # the QR fallback also finds X itself ill-conditioned (κ ≈ 1e9): a second warning
    with pytest.warns(IllConditionedWarning, match="XᵀX is singular to working precision"), \
            pytest.warns(IllConditionedWarning, match="X is ill-conditioned"):
        on_dask = LinearRegression(solver="cholesky").fit(chunked(X, 500), chunked(y, 500))
    with pytest.warns(IllConditionedWarning, match="XᵀX is singular to working precision"), \
            pytest.warns(IllConditionedWarning, match="X is ill-conditioned"):
        in_memory = LinearRegression(solver="cholesky").fit(X, y)
    assert on_dask.solver_ == in_memory.solver_ == "qr"
    assert_close_to_scale(on_dask.coef_, in_memory.coef_, 1e-6)


@pytest.mark.parametrize("model", [lambda: LinearRegression(), lambda: Ridge(alpha=1.0),
                                   lambda: Lasso(alpha=0.01)])
def test_predictions_are_lazy_with_the_row_chunks(data, model):
    X, y = data
    Xd = chunked(X, (300, 1, 199, 500))
    fitted = model().fit(Xd, chunked(y, (300, 1, 199, 500)))
    predictions = fitted.predict(Xd)
    assert type(predictions).__module__.startswith("dask")
    assert predictions.chunks == ((300, 1, 199, 500),)
    assert_close_to_scale(predictions.compute(), fitted.predict(X), 1e-12)


def test_predictions_use_the_model_as_it_was_when_asked(data):
    X, y = data
    Xd = chunked(X, 500)
    model = LinearRegression().fit(X, y)
    lazy = model.predict(Xd)
    expected = model.predict(X)
    model.fit(X, -y)  # refitting before the lazy result is computed changes nothing
    assert_close_to_scale(lazy.compute(), expected, 1e-12)


def test_predict_checks_the_features_at_once(data):
    X, y = data
    model = LinearRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 5 features, but LinearRegression is expecting 6"):
        model.predict(chunked(X[:, :5], 500))
    with pytest.raises(ValueError, match="not fitted"):
        LinearRegression().predict(chunked(X, 500))


# -- StandardScaler ---------------------------------------------------------------------------


@pytest.mark.parametrize("chunks", CHUNKINGS)
@pytest.mark.parametrize("options", [{}, {"with_mean": False}, {"with_std": False}])
def test_standard_scaler_equals_the_in_memory_fit(data, chunks, options):
    X, _ = data
    on_dask = StandardScaler(**options).fit(chunked(X, chunks))
    in_memory = StandardScaler(**options).fit(X)
    for name in ("mean_", "var_", "scale_"):
        expected = getattr(in_memory, name)
        if expected is None:
            assert getattr(on_dask, name) is None
            continue
        # The means of columns near 1e3 are known to about ε·1e3 in either computation, and
        # the variance (a sum of squares of deviations) to a few ε relative.
        assert_close_to_scale(getattr(on_dask, name), expected, 1e-13, axis=None)
    assert on_dask.n_samples_seen_ == in_memory.n_samples_seen_ == 1000
    Z = on_dask.transform(chunked(X, chunks))
    assert Z.chunks == (chunks, (6,))
    assert_close_to_scale(Z.compute(), in_memory.transform(X), 1e-9)
    back = on_dask.inverse_transform(Z)
    assert_close_to_scale(back.compute(), X, 1e-12)


def test_standard_scaler_is_stable_where_the_naive_one_pass_variance_fails():
    rng = np.random.default_rng(1)
    X = 1e8 + rng.standard_normal((4000, 2))
    naive = np.mean(X * X, axis=0) - np.mean(X, axis=0) ** 2
    exact = np.var(X - 1e8, axis=0)
    assert np.all(np.abs(naive - exact) > 0.1 * exact)
    fitted = StandardScaler().fit(chunked(X, 333))
    np.testing.assert_allclose(fitted.var_, exact, rtol=1e-7)


def test_standard_scaler_weights_and_float32(data):
    X, _ = data
    w = np.random.default_rng(2).uniform(0, 3, len(X))
    on_dask = StandardScaler().fit(chunked(X, 300), sample_weight=chunked(w, 300))
    in_memory = StandardScaler().fit(X, sample_weight=w)
    assert_close_to_scale(on_dask.mean_, in_memory.mean_, 1e-13)
    assert_close_to_scale(on_dask.var_, in_memory.var_, 1e-12)
    assert on_dask.n_samples_seen_ == pytest.approx(w.sum(), rel=1e-14)
    X32 = X.astype(np.float32)
    fitted = StandardScaler().fit(chunked(X32, 300))
    assert fitted.mean_.dtype == np.float64  # accumulated in float64, as in memory
    assert fitted.transform(chunked(X32, 300)).dtype == np.float32
