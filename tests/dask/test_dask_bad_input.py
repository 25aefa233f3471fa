"""Bad Dask input is refused by name, and a fit that fails leaves the estimator as it was.

Non-row chunking and misaligned ``y`` name ``rechunk``; NaN or infinity found in a block in the
middle of a pass names that block's rows; an error raised while a worker computes a block
surfaces with its own type and message; and nothing of a failed fit is stored.
"""

import warnings

import numpy as np
import pytest

from tolerance import assert_close_to_scale

da = pytest.importorskip("dask.array")

from fromscratch import blocks  # noqa: E402
from fromscratch.exceptions import ConvergenceWarning, DataConversionWarning  # noqa: E402
from fromscratch.linear_model import (  # noqa: E402
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from fromscratch.nn import MLPClassifier, MLPRegressor  # noqa: E402
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


# Row 57 lies in the first block, whose mean TSQR subtracts from every block as a rough
# center: a NaN there reached every block's design, and the error raised first (by any block)
# named no argument ("A contains ... NaN").
@pytest.mark.parametrize("row", [57, 257])
@pytest.mark.parametrize("where", ["X", "y"])
@pytest.mark.parametrize("make", REGRESSORS)
def test_nan_in_a_block_names_its_rows_and_fits_nothing(make, where, row):
    X, y = _data()
    bad = (X.copy(), y.copy())
    if where == "X":
        bad[0][row, 1] = np.nan
    else:
        bad[1][row] = np.inf
    Xd, yd = da.from_array(bad[0], chunks=(100, 3)), da.from_array(bad[1], chunks=100)
    block = rf"rows {row // 100 * 100}–{row // 100 * 100 + 99}"
    fresh = make()
    with pytest.raises(ValueError, match=rf"{where} contains NaN or infinity in the block of "
                                         rf"{block} \(first at row {row}\)"):
        fresh.fit(Xd, yd)
    with pytest.raises(ValueError, match=rf"{where} contains NaN or infinity in the block of "
                                         rf"{block}"):
        make().fit(Xd, bad[1])  # y in memory, sliced at X's blocks
    assert _fitted_attributes(fresh) == {}
    fitted = make().fit(X, y)
    before = {k: np.copy(v) for k, v in _fitted_attributes(fitted).items()}
    with pytest.raises(ValueError, match=block):
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


CLASSIFIERS = [
    lambda: LogisticRegression(),
    lambda: LogisticRegression(solver="lbfgs"),
    lambda: LogisticRegression(solver="minibatch", max_iter=3, tol=None, random_state=0),
    lambda: MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, tol=0.0, random_state=0),
]
EVERY_ESTIMATOR = REGRESSORS + CLASSIFIERS + [
    lambda: LinearRegression(solver="minibatch", max_iter=3, tol=None, random_state=0),
    lambda: MLPRegressor(hidden_layer_sizes=(4,), max_iter=3, tol=0.0, random_state=0),
]


def _fit_quietly(estimator, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y, **kwargs)


@pytest.mark.parametrize("make", EVERY_ESTIMATOR + [lambda: StandardScaler()])
def test_no_features_are_refused_by_name(make):
    # It failed inside the solvers (ZeroDivisionError, a reshape, a layer's in_features), or
    # fitted an empty model, where the in-memory fit refuses X.
    X, y = _data()
    with pytest.raises(ValueError, match=r"X has 0 feature\(s\) \(shape=\(400, 0\)\) while a "
                                         "minimum of 1 is required"):
        _fit_quietly(make(), da.from_array(X[:, :0], chunks=(100, 0)), (y > 0).astype(int))


@pytest.mark.parametrize("which", ["y", "sample_weight"])
@pytest.mark.parametrize("make", EVERY_ESTIMATOR)
def test_unknown_chunk_sizes_of_y_and_weights_are_named(make, which):
    # They were reported as "y has nan rows but X has 400", a length mismatch.
    X, y = _data()
    y = (y > 0).astype(int)
    keep = da.from_array(np.ones(len(X), dtype=bool), chunks=100)
    args = {"y": da.from_array(y, chunks=100), "sample_weight": None}
    args[which] = da.from_array(np.ones(len(X)) if which == "sample_weight" else y,
                                chunks=100)[keep]
    with pytest.raises(ValueError, match=rf"{which} has unknown chunk sizes \(NaN\).*"
                                         rf"{which}\.compute_chunk_sizes\(\)"):
        _fit_quietly(make(), da.from_array(X, chunks=(100, 3)), args["y"],
                     sample_weight=args["sample_weight"])


@pytest.mark.parametrize("lazy", [False, True])
@pytest.mark.parametrize("make", CLASSIFIERS)
def test_a_column_vector_of_labels_is_flattened_with_a_warning(make, lazy):
    # As in memory (check_y): a DataConversionWarning and the fit of the flattened labels. It
    # failed inside NumPy (LogisticRegression), and an MLPClassifier took a y of two columns
    # as one stream of labels instead of refusing it as the in-memory fit does.
    X, y = _data()
    Xd = da.from_array(X, chunks=(100, 3))
    labels = np.where(y > 0, "up", "down")
    column = da.from_array(labels[:, None], chunks=(100, 1)) if lazy else labels[:, None]
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed"):
        on_column = _fit_quietly(make(), Xd, column)
    flat = _fit_quietly(make(), Xd, labels)
    np.testing.assert_array_equal(on_column.classes_, ["down", "up"])
    for name in ("coef_", "intercept_", "coefs_"):
        if hasattr(flat, name):
            np.testing.assert_array_equal(np.concatenate([np.ravel(a) for a in getattr(
                on_column, name)]), np.concatenate([np.ravel(a) for a in getattr(flat, name)]))
    with pytest.raises(ValueError, match=r"y must be 1-D; got shape \(400, 2\)"):
        _fit_quietly(make(), Xd, np.stack([labels, labels], axis=1))


def _state(estimator):
    """The fitted numbers, flattened (an MLP's ``coefs_`` is a list of matrices)."""
    values = [v for _, v in sorted(_fitted_attributes(estimator).items())
              if isinstance(v, (np.ndarray, float, list))]
    return [np.asarray(a) for v in values for a in (v if isinstance(v, list) else [v])]


@pytest.mark.parametrize("make", EVERY_ESTIMATOR + [lambda: StandardScaler()])
def test_empty_blocks_change_nothing(make):
    # Blocks a filter emptied (chunks of 0 rows, first or in the middle) failed inside TSQR's
    # centering (a reshape), gave logistic regression NaN starting values ("A contains NaN"),
    # and put NumPy's "Mean of empty slice" warnings in the scaler's fit; predictions on such
    # an array failed when computed ("X has 0 sample(s)").
    X, y = _data(n=300)
    labels = (y > 0).astype(int)
    target = labels if make in CLASSIFIERS else y
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with_empty = _fit_quietly(make(), da.from_array(X, chunks=((0, 100, 0, 200), 3)), target)
        without = _fit_quietly(make(), da.from_array(X, chunks=((100, 200), 3)), target)
    for a, b in zip(_state(with_empty), _state(without), strict=True):
        np.testing.assert_array_equal(a, b)
    method = "transform" if isinstance(without, StandardScaler) else "predict"
    lazy = getattr(without, method)(da.from_array(X, chunks=((0, 100, 0, 200), 3)))
    assert lazy.chunks[0] == (0, 100, 0, 200)
    np.testing.assert_array_equal(lazy.compute(), getattr(without, method)(X))


@pytest.mark.parametrize("make", [lambda: LinearRegression(), lambda: StandardScaler(),
                                  CLASSIFIERS[0], CLASSIFIERS[3]])
def test_a_dask_dataframe_is_refused_naming_to_dask_array(make):
    # It was taken for an in-memory input: np.asarray gathered all of it on the driver,
    # without a word, where the estimators promise to read a Dask input block by block.
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    X, y = _data()
    labels = (y > 0).astype(int)
    frame = dd.from_pandas(pd.DataFrame(X, columns=["a", "b", "c"]), npartitions=4)
    with pytest.raises(TypeError, match=r"X is a Dask DataFrame.*X\.to_dask_array\(lengths=True\)"):
        _fit_quietly(make(), frame, labels)
    with pytest.raises(ValueError, match=r"unknown chunk sizes.*to_dask_array\(\) without "
                                         r"lengths=True"):
        _fit_quietly(make(), frame.to_dask_array(), labels)
    converted = frame.to_dask_array(lengths=True)
    fitted = _fit_quietly(make(), converted, labels)
    same_blocks = _fit_quietly(make(), da.from_array(X, chunks=converted.chunks), labels)
    # the same values in the same blocks, but the frame's blocks are new arrays and the
    # array's are views into X at other memory alignments, and NumPy's SIMD sums round
    # according to alignment: equal to rounding, not bit for bit
    for a, b in zip(_state(fitted), _state(same_blocks), strict=True):
        assert_close_to_scale(a, b, 1e-12)
    method = "transform" if isinstance(fitted, StandardScaler) else "predict"
    with pytest.raises(TypeError, match="X is a Dask DataFrame"):
        getattr(fitted, method)(frame)


@pytest.mark.parametrize("make", CLASSIFIERS)
def test_a_missing_label_is_refused_with_its_row(make):
    # A NaN among float labels was counted as a class of its own (then called "continuous"),
    # and a None among strings was reported as labels of mixed types; in memory both are
    # refused as missing (check_y).
    X, y = _data()
    Xd = da.from_array(X, chunks=(100, 3))
    numbers = (y > 0).astype(float)
    numbers[123] = np.nan
    with pytest.raises(ValueError, match=r"y contains NaN or infinity in the block of rows "
                                         r"100–199 \(first at row 123\)"):
        _fit_quietly(make(), Xd, da.from_array(numbers, chunks=100))
    names = np.where(y > 0, "up", "down").astype(object)
    names[321] = None
    with pytest.raises(ValueError, match=r"y contains a missing label \(None\) at row 321 "
                                         r"\(block of rows 300–399\)"):
        _fit_quietly(make(), Xd, names)


# -- estimators without an out-of-core path say that they gather the Dask array --------------


def _gathering_cases():
    from fromscratch.linear_model import LassoCV, RidgeCV
    from fromscratch.preprocessing import OneHotEncoder, PolynomialFeatures

    # name, estimator, method after fit, whether that method gathers too (a linear model's
    # predict works block by block, lazily, whichever way it was fitted)
    return [
        ("RidgeCV", RidgeCV, "predict", False),
        ("LassoCV", lambda: LassoCV(cv=3), "predict", False),
        ("PolynomialFeatures", PolynomialFeatures, "transform", True),
        ("OneHotEncoder", OneHotEncoder, "transform", True),
    ]


@pytest.mark.parametrize("name, make, method, gathers", _gathering_cases(),
                         ids=[case[0] for case in _gathering_cases()])
def test_an_in_memory_estimator_warns_that_it_gathers_the_dask_array(name, make, method,
                                                                     gathers):
    X, y = _data(n=120)
    if name == "OneHotEncoder":
        X = np.round(X)  # a few categories per column
    X_dask, y_dask = da.from_array(X, chunks=40), da.from_array(y, chunks=40)
    with pytest.warns(DataConversionWarning, match=rf"{name}\.fit has no out-of-core path"
                      ) as record:
        model = make().fit(X_dask, y_dask)
    ours = [r for r in record if issubclass(r.category, DataConversionWarning)]
    assert [r.filename for r in ours] == [__file__]  # once, pointing at the caller's line
    reference = make().fit(X, y)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = getattr(model, method)(X_dask)
    said = [str(r.message) for r in record if issubclass(r.category, DataConversionWarning)]
    assert len(said) == gathers
    assert all(m.startswith(f"{name}.{method} has no out-of-core path") for m in said)
    assert blocks.is_dask_array(result) != gathers
    assert_close_to_scale(np.asarray(result), getattr(reference, method)(X), rtol=1e-12)


@pytest.mark.parametrize("make", [*REGRESSORS, StandardScaler])
def test_an_out_of_core_estimator_does_not_warn(make):
    X, y = _data(n=120)
    X_dask, y_dask = da.from_array(X, chunks=40), da.from_array(y, chunks=40)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataConversionWarning)
        model = make().fit(X_dask, y_dask)
        (model.predict if hasattr(model, "predict") else model.transform)(X_dask)
