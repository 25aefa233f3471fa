"""MLPClassifier and MLPRegressor: ``partial_fit`` and ``fit`` on row-chunked Dask arrays.

An MLP is trained by mini-batches anyway, so streaming changes only where the batches come
from. Without shuffling, blocks whose sizes are multiples of ``batch_size`` deal out exactly the
in-memory batches: the fit on Dask then equals the in-memory fit to rounding (the same
network, the same epochs), with and without sample weights; ``partial_fit`` calls equal
``fit``'s epochs one by one, so the optimizer's state (Adam's moments and step count) must
carry over. With shuffling the batches differ (blocks in a random order, rows shuffled within),
so the checks there are reproducibility, quality and the stopping rule. Bad input is refused
by name, mid-pass with the block's rows, and a failed call leaves the estimator as it was.
"""

import copy
import warnings

import numpy as np
import pytest

from chunking import chunked
from tolerance import assert_close_to_scale

da = pytest.importorskip("dask.array")

from fromscratch.exceptions import ConvergenceWarning  # noqa: E402
from fromscratch.nn import MLPClassifier, MLPRegressor  # noqa: E402


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((600, 4))
    y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2] + 0.1 * rng.standard_normal(600)
    labels = np.array(["a", "b", "c"])[np.digitize(X[:, 0] + X[:, 1] ** 2, [0.0, 1.5])]
    w = rng.uniform(0.2, 3.0, 600)
    w[::9] = 0.0
    return X, y, labels, w


CHUNKS = (200, 100, 300)  # multiples of batch_size=50: the in-memory batches


def _assert_same_network(a, b, rtol=1e-12):
    for A, B in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        assert_close_to_scale(A, B, rtol)


def _make(kind, **params):
    base = dict(hidden_layer_sizes=(8,), batch_size=50, learning_rate_init=0.01,
                max_iter=15, shuffle=False, random_state=0)
    base.update(params)
    return (MLPRegressor if kind == "regressor" else MLPClassifier)(**base)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("kind", ["regressor", "classifier"])
def test_fit_on_dask_equals_the_in_memory_fit_without_shuffling(data, kind, weighted):
    X, y, labels, w = data
    target = y if kind == "regressor" else labels
    weights = w if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        in_memory = _make(kind).fit(X, target, sample_weight=weights)
        on_dask = _make(kind).fit(chunked(X, CHUNKS), chunked(target, CHUNKS),
                                  sample_weight=None if weights is None
                                  else chunked(weights, CHUNKS))
    _assert_same_network(on_dask, in_memory)
    assert on_dask.n_iter_ == in_memory.n_iter_
    assert on_dask.t_ == in_memory.t_
    np.testing.assert_allclose(on_dask.loss_curve_, in_memory.loss_curve_, rtol=1e-12)
    if kind == "classifier":
        assert list(on_dask.classes_) == ["a", "b", "c"]
    # predictions on a Dask array are lazy, with X's row chunks
    lazy = on_dask.predict(chunked(X, CHUNKS))
    assert isinstance(lazy, da.Array) and lazy.chunks[0] == CHUNKS
    assert np.array_equal(lazy.compute(), in_memory.predict(X))


@pytest.mark.parametrize("kind", ["regressor", "classifier"])
def test_partial_fit_calls_are_fit_epochs(data, kind):
    """k partial_fit calls = fit with max_iter=k: the network and the optimizer's state (Adam's
    moments) carry over — a fresh optimizer each call would take k first steps instead."""
    X, y, labels, _ = data
    target = y if kind == "regressor" else labels
    extra = {} if kind == "regressor" else {"classes": ["a", "b", "c"]}
    streamed = _make(kind)
    for _ in range(3):
        streamed.partial_fit(X, target, **extra)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        three_epochs = _make(kind, max_iter=3).fit(X, target)
    _assert_same_network(streamed, three_epochs)
    assert streamed.n_iter_ == 3 and streamed.t_ == 3 * len(X)
    np.testing.assert_allclose(streamed.loss_curve_, three_epochs.loss_curve_, rtol=1e-12)

    # the same calls on a Dask array (each a pass over its blocks) give the same network
    on_dask = _make(kind)
    for _ in range(3):
        on_dask.partial_fit(chunked(X, CHUNKS), chunked(target, CHUNKS), **extra)
    _assert_same_network(on_dask, three_epochs)


def test_partial_fit_after_fit_starts_a_new_stream(data):
    """A ``fit`` ends the stream: the next partial_fit continues from fit's network with a
    fresh optimizer, not from the optimizer state of earlier partial_fit calls."""
    X, y, _, _ = data
    model = _make("regressor", max_iter=2)
    model.partial_fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    fitted = copy.deepcopy(model.coefs_)
    model.partial_fit(X, y)
    assert model.n_iter_ == 1
    assert not all(np.array_equal(a, b) for a, b in zip(model.coefs_, fitted, strict=True))


def test_shuffled_fit_on_dask_is_reproducible_and_learns(data):
    X, y, labels, _ = data
    chunks = (150, 150, 150, 150)
    params = dict(hidden_layer_sizes=(16,), batch_size=25, learning_rate_init=0.01,
                  max_iter=300, random_state=3)
    first = MLPClassifier(**params).fit(chunked(X, chunks), chunked(labels, chunks))
    again = MLPClassifier(**params).fit(chunked(X, chunks), chunked(labels, chunks))
    _assert_same_network(first, again, 0.0)
    other_seed = MLPClassifier(**{**params, "random_state": 4}).fit(
        chunked(X, chunks), chunked(labels, chunks))
    assert not np.array_equal(first.coefs_[0], other_seed.coefs_[0])
    in_memory = MLPClassifier(**params).fit(X, labels)
    # not the same batches, the same quality: within 3 points of accuracy of the in-memory fit
    assert first.score(X, labels) >= in_memory.score(X, labels) - 0.03 >= 0.85
    assert first.n_iter_ < 300  # stopped by the in-memory rule
    proba = first.predict_proba(chunked(X, chunks))
    assert proba.chunks == (chunks, (3,))
    np.testing.assert_allclose(proba.compute().sum(axis=1), 1.0, rtol=1e-12)


def test_fit_on_dask_warns_when_max_iter_runs_out(data):
    X, y, _, _ = data
    with pytest.warns(ConvergenceWarning, match="max_iter=2 epochs") as record:
        MLPRegressor(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(
            chunked(X, CHUNKS), chunked(y, CHUNKS))
    assert record[0].filename == __file__  # the warning points at the caller's fit


def test_several_outputs_stream(data):
    X, y, _, _ = data
    Y = np.column_stack([y, -2 * y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        on_dask = _make("regressor").fit(chunked(X, CHUNKS), chunked(Y, CHUNKS))
        in_memory = _make("regressor").fit(X, Y)
    _assert_same_network(on_dask, in_memory)
    assert on_dask.predict(chunked(X, CHUNKS)).compute().shape == (600, 2)
    with pytest.raises(ValueError, match="y has 1 outputs, but MLPRegressor has 2"):
        on_dask.partial_fit(X, y)


# -- bad input -----------------------------------------------------------------------------------


def test_partial_fit_classes_contract(data):
    X, _, labels, _ = data
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        MLPClassifier().partial_fit(X, labels)
    model = _make("classifier").partial_fit(X[:300], labels[:300], classes=["a", "b", "c"])
    model.partial_fit(X[300:], labels[300:])  # later calls may omit classes
    with pytest.raises(ValueError, match="differ from the classes of the previous calls"):
        model.partial_fit(X, labels, classes=["a", "b"])
    bad = labels.copy()
    bad[450] = "z"
    before = copy.deepcopy(model.coefs_)
    with pytest.raises(ValueError, match="450"):
        model.partial_fit(chunked(X, CHUNKS), chunked(bad, CHUNKS))
    assert all(np.array_equal(a, b) for a, b in zip(model.coefs_, before, strict=True))
    assert model.n_iter_ == 2


def test_a_failed_pass_leaves_the_estimator_as_it_was(data):
    X, y, _, _ = data
    bad = X.copy()
    bad[550, 2] = np.nan
    model = _make("regressor")
    with pytest.raises(ValueError, match="rows 300–599"):
        model.fit(chunked(bad, CHUNKS), chunked(y, CHUNKS))
    assert not hasattr(model, "coefs_")
    model.partial_fit(X, y)
    before = copy.deepcopy(model.coefs_)
    with pytest.raises(ValueError, match="rows 300–599"):
        model.partial_fit(chunked(bad, CHUNKS), chunked(y, CHUNKS))
    assert all(np.array_equal(a, b) for a, b in zip(model.coefs_, before, strict=True))
    assert model.n_iter_ == 1
    with pytest.raises(ValueError, match="X has 3 features, but MLPRegressor is expecting 4"):
        model.partial_fit(X[:, :3], y)


def test_streaming_refuses_early_stopping_and_bad_chunks(data):
    X, y, labels, w = data
    with pytest.raises(ValueError, match="early_stopping"):
        MLPRegressor(early_stopping=True).fit(chunked(X, CHUNKS), chunked(y, CHUNKS))
    with pytest.raises(ValueError, match="early_stopping"):
        MLPRegressor(early_stopping=True).partial_fit(X, y)
    with pytest.raises(ValueError, match="rechunk"):
        MLPRegressor().fit(da.from_array(X, chunks=(300, 2)), chunked(y, (300, 300)))
    with pytest.raises(ValueError, match="y's row chunks .* differ .*rechunk"):
        MLPRegressor().fit(chunked(X, CHUNKS), chunked(y, (300, 300)))
    with pytest.raises(ValueError, match="sample_weight's row chunks .* differ .*rechunk"):
        MLPClassifier().fit(chunked(X, CHUNKS), chunked(labels, CHUNKS),
                            sample_weight=chunked(w, (300, 300)))
    negative = w.copy()
    negative[10] = -1.0
    with pytest.raises(ValueError, match="sample_weight has negative values in the block of "
                                         "rows 0–199"):
        MLPClassifier().fit(chunked(X, CHUNKS), chunked(labels, CHUNKS),
                            sample_weight=chunked(negative, CHUNKS))
    with pytest.raises(ValueError, match="only one class"):
        MLPClassifier().fit(chunked(X, CHUNKS), chunked(np.full(600, "a"), CHUNKS))


@pytest.mark.parametrize("class_weight", ["balanced", {"a": 3.0, "c": 0.5}],
                         ids=["balanced", "dict"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_class_weights_on_dask_equal_the_in_memory_fit(data, class_weight, weighted):
    """The streamed classifier weighs each row by its class's weight too ("balanced" from the
    label pass's class totals); ignoring them would give the unweighted network."""
    X, _, labels, w = data
    weights = w if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        in_memory = _make("classifier", class_weight=class_weight).fit(
            X, labels, sample_weight=weights)
        on_dask = _make("classifier", class_weight=class_weight).fit(
            chunked(X, CHUNKS), chunked(labels, CHUNKS),
            sample_weight=None if weights is None else chunked(weights, CHUNKS))
        ignored = _make("classifier").fit(X, labels, sample_weight=weights)
    _assert_same_network(on_dask, in_memory)
    assert not np.allclose(on_dask.coefs_[0], ignored.coefs_[0])


def test_partial_fit_takes_a_class_weight_dict_and_refuses_balanced(data):
    X, _, labels, _ = data
    class_weight = {"a": 3.0, "c": 0.5}
    as_sample_weight = np.vectorize(lambda label: class_weight.get(label, 1.0))(labels)
    by_class = _make("classifier", class_weight=class_weight).partial_fit(
        chunked(X, CHUNKS), chunked(labels, CHUNKS), classes=["a", "b", "c"])
    by_sample = _make("classifier").partial_fit(X, labels, classes=["a", "b", "c"],
                                                sample_weight=as_sample_weight)
    _assert_same_network(by_class, by_sample)
    with pytest.raises(ValueError, match="class_weight='balanced'.*partial_fit"):
        _make("classifier", class_weight="balanced").partial_fit(X, labels,
                                                                 classes=["a", "b", "c"])
