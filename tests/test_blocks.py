"""fromscratch.blocks: row blocks, tree reductions, one-pass moments and TSQR against NumPy."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designs import ill_conditioned_design
from tolerance import assert_close_to_scale

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

from fromscratch import blocks  # noqa: E402
from fromscratch.linalg import solve_triangular  # noqa: E402
from fromscratch.preprocessing import StandardScaler  # noqa: E402


def _dask(a, chunks):
    return da.from_array(a, chunks=(chunks,) + a.shape[1:])


# -- row_blocks -----------------------------------------------------------------------------


def test_row_blocks_records_the_partition():
    X = _dask(np.zeros((10, 3)), (4, 4, 2))
    rb = blocks.row_blocks(X, np.zeros(10))
    assert rb.bounds == (0, 4, 8, 10)
    assert rb.ranges() == [(0, 4), (4, 8), (8, 10)]
    assert rb.n_blocks == 3 and rb.n_rows == 10


def test_column_chunks_are_refused_with_the_rechunk_call():
    X = da.zeros((10, 4), chunks=(5, 2))
    with pytest.raises(ValueError, match=r"chunked by rows only.*rechunk\(\{1: -1\}\)"):
        blocks.row_blocks(X)


def test_misaligned_y_chunks_name_rechunk():
    X = da.zeros((10, 2), chunks=(5, 2))
    y = da.zeros(10, chunks=4)
    with pytest.raises(ValueError, match=r"y's row chunks \(4, 4, 2\) differ.*rechunk"):
        blocks.row_blocks(X, y)


def test_wrong_length_and_wrong_types():
    X = da.zeros((10, 2), chunks=(5, 2))
    with pytest.raises(ValueError, match="y has 9 rows but X has 10"):
        blocks.row_blocks(X, np.zeros(9))
    with pytest.raises(TypeError, match="dask.array.Array"):
        blocks.row_blocks(np.zeros((10, 2)))
    with pytest.raises(ValueError, match="2-D"):
        blocks.row_blocks(da.zeros(10, chunks=5))


def test_unknown_chunk_sizes_are_refused():
    X = da.from_array(np.arange(20.0).reshape(10, 2), chunks=(5, 2))
    X = X[X[:, 0] > 3]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        blocks.row_blocks(X)


def test_is_dask_array_does_not_import_dask_for_others():
    assert blocks.is_dask_array(da.zeros(3, chunks=1))
    assert not blocks.is_dask_array(np.zeros(3))
    assert not blocks.is_dask_array([1, 2])


# -- map_reduce -----------------------------------------------------------------------------


@pytest.mark.parametrize("split_every", [2, 3, 8])
def test_map_reduce_merges_every_block_once(split_every):
    X = _dask(np.arange(50.0).reshape(25, 2), 2)  # 13 blocks: a tree several levels deep
    rb = blocks.row_blocks(X)

    def per_block(start, stop, block):
        return [(start, stop, float(block.sum()))]

    parts = blocks.map_reduce(per_block, rb, lambda lists: sum(lists, []),
                              split_every=split_every)
    assert sorted(p[:2] for p in parts) == rb.ranges()
    assert sum(p[2] for p in parts) == pytest.approx(np.arange(50.0).sum(), rel=0, abs=0)


def test_an_error_in_a_block_surfaces_with_its_cause():
    rb = blocks.row_blocks(_dask(np.zeros((6, 2)), 2))

    def per_block(start, stop, block):
        if start == 2:
            raise ZeroDivisionError(f"block {start}-{stop} failed")
        return 0

    with pytest.raises(ZeroDivisionError, match="block 2-4 failed"):
        blocks.map_reduce(per_block, rb, sum)


def test_check_finite_block_names_the_rows():
    block = np.ones((5, 2))
    blocks.check_finite_block(block, "X", 100, 105)
    block[3, 1] = np.nan
    with pytest.raises(ValueError, match="rows 100–104 \\(first at row 103\\)"):
        blocks.check_finite_block(block, "X", 100, 105)
    huge = np.full((4, 1), 1e308)  # a sum that overflows is not a non-finite entry
    blocks.check_finite_block(huge, "X", 0, 4)


# -- moments --------------------------------------------------------------------------------


def test_moments_match_two_pass_numpy_with_and_without_weights():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((301, 4)) * [1, 10, 0.1, 3] + [5, -2, 100, 0]
    y = rng.standard_normal(301)
    w = rng.uniform(0, 2, 301)
    Z = np.hstack([X, y[:, None]])
    for weights in (None, w):
        arrays = (_dask(X, 37), _dask(y, 37)) + (() if weights is None else (_dask(w, 37),))
        m = blocks.moments(blocks.row_blocks(*arrays), full=True)
        mean = np.average(Z, axis=0, weights=weights)
        centered = Z - mean
        ww = np.ones(301) if weights is None else weights
        scatter = (centered * ww[:, None]).T @ centered
        np.testing.assert_allclose(m.mean, mean, rtol=1e-13, atol=1e-13 * np.abs(mean).max())
        np.testing.assert_allclose(m.scatter, scatter, rtol=0,
                                   atol=1e-12 * np.abs(scatter).max())
        assert m.weight == pytest.approx(ww.sum(), rel=1e-14)
        diag = blocks.moments(blocks.row_blocks(*arrays), full=False)
        np.testing.assert_allclose(diag.scatter, np.diagonal(scatter), rtol=1e-12)
        np.testing.assert_allclose(diag.variance, np.diagonal(scatter) / ww.sum(), rtol=1e-12)


def test_the_merge_is_stable_where_the_naive_formula_fails():
    # mean 1e8, standard deviation 1: sum(x^2)/n - mean^2 loses every digit
    rng = np.random.default_rng(1)
    x = 1e8 + rng.standard_normal((4000, 1))
    exact = np.var(x - 1e8)  # the spread, computed where it is representable
    naive = float(np.mean(x * x) - np.mean(x) ** 2)
    assert abs(naive - exact) > 0.1 * exact  # the textbook one-pass formula is wrong here
    merged = blocks.moments(blocks.row_blocks(_dask(x, 333))).variance[0]
    assert merged == pytest.approx(exact, rel=1e-7)


def _exact_variance(x, w):
    """Weighted population variance by math.fsum: the mean rounded once, then x - mean exact
    (Sterbenz: x and the mean are within a factor 2) and the squares summed exactly."""
    mean = math.fsum(w * x) / math.fsum(w)  # w is 1, 2 or 4: w * x is exact
    return math.fsum(w * (x - mean) ** 2) / math.fsum(w)


@pytest.mark.parametrize("weighted", [False, True])
def test_block_and_scaler_variance_are_accurate_at_a_large_mean(weighted):
    # Mean 1e8, spreads 1 and 0.1, in one row-major block: a plain column mean adds the rows
    # one after another, its error (~sqrt(n) eps 1e8) enters the variance squared, ~5e-12
    # relative here. The corrected mean leaves rounding in the squares only (~1e-14).
    rng = np.random.default_rng(3)
    X = 1e8 + rng.standard_normal((100_000, 2)) * [1.0, 0.1]
    w = rng.choice([1.0, 2.0, 4.0], size=len(X)) if weighted else None
    exact = np.array([_exact_variance(X[:, j], np.ones(len(X)) if w is None else w)
                      for j in range(2)])
    from_block = blocks.block_moments(X, w).variance
    from_scaler = StandardScaler().fit(X, sample_weight=w).var_
    for variance in (from_block, from_scaler):
        assert np.all(np.abs(variance / exact - 1) < 1e-13), variance / exact - 1


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(1, 59), max_size=8, unique=True),
       seed=st.integers(0, 2**16))
def test_merging_is_independent_of_the_partition(cuts, seed):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((60, 3)) * 5 + 3
    edges = [0, *sorted(cuts), 60]
    parts = [blocks.block_moments(Z[a:b], full=True) for a, b in zip(edges[:-1], edges[1:],
                                                                     strict=True)]
    merged = blocks.merge_moments(parts)
    whole = blocks.block_moments(Z, full=True)
    np.testing.assert_allclose(merged.mean, whole.mean, rtol=0, atol=1e-13 * 8)
    np.testing.assert_allclose(merged.scatter, whole.scatter, rtol=0,
                               atol=1e-12 * np.abs(whole.scatter).max())


def test_zero_weight_blocks_merge_as_nothing():
    Z = np.arange(12.0).reshape(6, 2)
    parts = [blocks.block_moments(Z[:3], np.zeros(3)), blocks.block_moments(Z[3:])]
    merged = blocks.merge_moments(parts)
    np.testing.assert_allclose(merged.mean, Z[3:].mean(axis=0))
    assert merged.n_rows == 6 and merged.weight == 3


def test_moments_report_nan_with_the_rows():
    X = np.ones((20, 2))
    X[13, 0] = np.inf
    with pytest.raises(ValueError, match="X contains NaN or infinity in the block of rows "
                                         "10–14 \\(first at row 13\\)"):
        blocks.moments(blocks.row_blocks(_dask(X, 5)))


def test_negative_weights_are_refused():
    X = np.ones((10, 2))
    w = np.ones(10)
    w[7] = -1
    with pytest.raises(ValueError, match="sample_weight has negative values.*5–9"):
        blocks.moments(blocks.row_blocks(_dask(X, 5), None, _dask(w, 5)))


# -- TSQR -----------------------------------------------------------------------------------


def _lstsq_with_intercept(X, y, w=None):
    A = np.hstack([np.ones((len(X), 1)), X])
    if w is not None:
        A, y = A * np.sqrt(w)[:, None], y * np.sqrt(w).reshape(-1, *([1] * (y.ndim - 1)))
    return np.linalg.lstsq(A, y, rcond=None)


def _solve(result, fit_intercept=True):
    theta = solve_triangular(result.R, result.qty, lower=False)
    if not fit_intercept:
        return theta, 0.0
    w = theta[1:]
    return w, theta[0] + result.shift_y - result.shift_x @ w


@pytest.mark.parametrize("chunks", [(50,) * 8, (400,), (7, 93, 1, 299)])
def test_tsqr_solves_least_squares(chunks):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((400, 6)) * 4 + 50
    y = X @ rng.standard_normal(6) + 3 + rng.standard_normal(400)
    result = blocks.tsqr(blocks.row_blocks(_dask(X, chunks), _dask(y, chunks)))
    coef, intercept = _solve(result)
    theta, residual = _lstsq_with_intercept(X, y)[:2]
    np.testing.assert_allclose(coef, theta[1:], rtol=1e-10, atol=1e-12)
    assert intercept == pytest.approx(theta[0], rel=1e-10)
    assert result.residual_norm ** 2 == pytest.approx(residual[0], rel=1e-10)


def test_tsqr_several_targets_weights_and_no_intercept():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((300, 4))
    Y = X @ rng.standard_normal((4, 3)) + rng.standard_normal((300, 3))
    w = rng.uniform(0.1, 3, 300)
    rb = blocks.row_blocks(_dask(X, 64), _dask(Y, 64), _dask(w, 64))
    coef, intercept = _solve(blocks.tsqr(rb))
    theta = _lstsq_with_intercept(X, Y, w)[0]
    np.testing.assert_allclose(coef, theta[1:], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(intercept, theta[0], rtol=1e-10, atol=1e-12)

    coef0, _ = _solve(blocks.tsqr(blocks.row_blocks(_dask(X, 64), _dask(Y, 64)),
                                  fit_intercept=False), fit_intercept=False)
    np.testing.assert_allclose(coef0, np.linalg.lstsq(X, Y, rcond=None)[0], rtol=1e-10,
                               atol=1e-12)


def test_integer_weights_equal_repeated_rows():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 3))
    y = rng.standard_normal(40)
    w = rng.integers(0, 4, 40).astype(float)
    weighted = _solve(blocks.tsqr(blocks.row_blocks(_dask(X, 9), _dask(y, 9), _dask(w, 9))))
    repeat = w.astype(int)
    Xr, yr = np.repeat(X, repeat, axis=0), np.repeat(y, repeat)
    repeated = _solve(blocks.tsqr(blocks.row_blocks(_dask(Xr, 9), _dask(yr, 9))))
    assert_close_to_scale(weighted[0], repeated[0], rtol=1e-10)
    assert weighted[1] == pytest.approx(repeated[1], rel=1e-10)


def test_tsqr_keeps_the_accuracy_of_qr_on_an_ill_conditioned_design():
    # kappa(X) ~ 1e8: QR's error grows like kappa*eps ~ 1e-8, the normal equations' like
    # kappa^2*eps ~ 1 (no digits left).
    rng = np.random.default_rng(5)
    X = ill_conditioned_design(2000, 5, 1e8, rng)
    w_true = rng.standard_normal(5)
    y = X @ w_true  # zero residual: the error is the solver's alone
    coef, _ = _solve(blocks.tsqr(blocks.row_blocks(_dask(X, 250), _dask(y, 250)),
                                 fit_intercept=False), fit_intercept=False)
    assert np.max(np.abs(coef - w_true)) < 1e-5 * np.max(np.abs(w_true))
    normal = np.linalg.solve(X.T @ X, X.T @ y)  # what a normal-equations method would give
    assert np.max(np.abs(normal - w_true)) > 1e-3 * np.max(np.abs(w_true))


def test_tsqr_float32_stays_float32():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((100, 3)).astype(np.float32)
    y = (X @ np.ones(3, np.float32)).astype(np.float32)
    result = blocks.tsqr(blocks.row_blocks(_dask(X, 30), _dask(y, 30)))
    assert result.R.dtype == np.float32


# -- lazy arrays ----------------------------------------------------------------------------


def test_row_chunk_sizes():
    assert blocks.row_chunk_sizes(10, 4) == (4, 4, 2)
    assert blocks.row_chunk_sizes(10, [3, 7]) == (3, 7)
    with pytest.raises(ValueError, match="sum to n_samples=10"):
        blocks.row_chunk_sizes(10, [3, 3])
    with pytest.raises(ValueError, match="positive"):
        blocks.row_chunk_sizes(10, 0)
    with pytest.raises(TypeError, match="chunks must be"):
        blocks.row_chunk_sizes(10, "auto")


def test_fractional_block_sizes_empty_block_lists_and_empty_batches_are_refused():
    with pytest.raises(TypeError, match="whole block sizes"):
        blocks.row_chunk_sizes(10, [2.5, 7.5])
    with pytest.raises(TypeError, match="whole block sizes"):
        blocks.row_chunk_sizes(10, [10.7])  # was cut to (10,) and accepted
    assert blocks.row_chunk_sizes(10, (np.int64(4), 6)) == (4, 6)
    with pytest.raises(ValueError, match="at least one block"):
        blocks.lazy_rows(lambda rng, n: (np.zeros((n, 2)),), (), 0, shapes=[(2,)],
                         dtypes=[float])
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        list(blocks.batches([np.zeros(4)], 0))


def test_lazy_rows_are_the_same_on_every_compute_and_scheduler():
    def make(rng, size):
        return rng.standard_normal((size, 2)), rng.uniform(size=size)

    X, y = blocks.lazy_rows(make, (5, 5, 3), 7, shapes=[(2,), ()], dtypes=[float, float])
    assert X.chunks == ((5, 5, 3), (2,)) and y.chunks == ((5, 5, 3),)
    first = dask.compute(X, y, scheduler="threads")
    again = dask.compute(X, y, scheduler="synchronous")
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    X2, _ = blocks.lazy_rows(make, (5, 5, 3), 7, shapes=[(2,), ()], dtypes=[float, float])
    np.testing.assert_array_equal(X2.compute(), first[0])
    X3, _ = blocks.lazy_rows(make, (5, 5, 3), None, shapes=[(2,), ()], dtypes=[float, float])
    np.testing.assert_array_equal(X3.compute(), X3.compute())  # fresh entropy, fixed once


@pytest.mark.parametrize("rows, columns", [(1, 0), (0, 1)])
def test_lazy_rows_refuse_a_block_of_another_shape_than_declared(rows, columns):
    # Dask trusts the declared shape: a block with an extra column made an array that said
    # (10, 2) and computed to (10, 3), and an estimator fitted it without a word.
    def make(rng, size):
        return rng.standard_normal((size + rows, 2 + columns)), rng.uniform(size=size)

    X, y = blocks.lazy_rows(make, (5, 5), 0, shapes=[(2,), ()], dtypes=[float, float])
    with pytest.raises(ValueError, match=rf"make_block\(rng, 5\) returned arrays of shapes "
                                         rf"\[\({5 + rows}, {2 + columns}\), \(5,\)\]; "
                                         r"lazy_rows declared \[\(5, 2\), \(5,\)\]"):
        X.compute()


def test_map_rows_is_lazy_and_keeps_the_row_chunks():
    X = _dask(np.arange(12.0).reshape(6, 2), 4)
    out = blocks.map_rows(X, lambda b: b.sum(axis=1))
    assert out.chunks == ((4, 2),)
    np.testing.assert_array_equal(out.compute(), [1, 5, 9, 13, 17, 21])
    probabilities = blocks.map_rows(X, lambda b: np.hstack([b, b]), shape=(4,))
    assert probabilities.chunks == ((4, 2), (4,))
    assert probabilities.compute().shape == (6, 4)


def test_iter_blocks_visits_the_blocks_in_order():
    X = _dask(np.arange(12.0).reshape(6, 2), 2)
    y = np.arange(6.0)
    seen = [(a, b, yb.tolist()) for a, b, (_, yb) in blocks.iter_blocks(
        blocks.row_blocks(X, y), order=[2, 0, 1])]
    assert seen == [(4, 6, [4, 5]), (0, 2, [0, 1]), (2, 4, [2, 3])]
