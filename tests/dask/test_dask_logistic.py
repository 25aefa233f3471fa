"""LogisticRegression on row-chunked Dask arrays equals its in-memory fit, one pass per evaluation.

Newton's method and L-BFGS on the blocks are the in-memory solvers answered by passes, so at a
tight tolerance the coefficients agree with the in-memory fit to 1e-10 of their scale (the sums
over blocks differ from the sums over rows only by rounding), for any chunking: a penalty added
per block instead of once would make the answer depend on the number of blocks.
"""

import warnings

import numpy as np
import pytest

from chunking import chunked
from tolerance import assert_close_to_scale

da = pytest.importorskip("dask.array")

from fromscratch import blocks  # noqa: E402
from fromscratch.exceptions import ConvergenceWarning  # noqa: E402
from fromscratch.linear_model import LogisticRegression, _dask_logistic  # noqa: E402
from fromscratch.linear_model._logistic_loss import logistic_loss  # noqa: E402
from fromscratch.linear_model.logistic import PerfectSeparationWarning  # noqa: E402

CHUNKINGS = [(1000, 1000, 1000), (1, 1499, 700, 800), (3000,)]


@pytest.fixture(scope="module")
def binary():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3000, 5)) * [1, 3, 0.5, 1, 2] + [0, 5, 0, -1, 0]
    z = X @ rng.standard_normal(5) * 0.5 + 0.3
    y = (rng.random(3000) < 1 / (1 + np.exp(-z))).astype(int)
    return X, y


@pytest.fixture(scope="module")
def three_classes(binary):
    X, _ = binary
    rng = np.random.default_rng(1)
    scores = X @ rng.standard_normal((5, 3)) * 0.5 + rng.gumbel(size=(3000, 3))
    return X, np.array(["low", "mid", "top"])[scores.argmax(axis=1)]


MODELS = [
    dict(C=1.0),
    dict(C=np.inf),
    dict(C=0.05, l1_ratio=0.5),
    dict(C=1.0, solver="lbfgs"),
    dict(C=1.0, fit_intercept=False),
]


def _assert_same(on_dask, in_memory):
    """Newton: 1e-10 of the coefficients' scale (its last steps converge quadratically, so
    both runs end at the optimum to rounding), the same iterations. L-BFGS ends where its line
    search can no longer lower the objective in floating point: along the flattest direction
    of the objective (a feature with mean 5 and spread 3; for three classes the shifts that
    the softmax ignores, held only by the penalty) that leaves the minimizer known to about
    sqrt(ε·F/λ_min) ≈ 1e-7, and two runs whose sums round differently stop at different such
    points: their coefficients agree to 1e-6, their objective values to 1e-12."""
    rtol = 1e-10 if on_dask.solver == "newton" else 1e-6
    scale = max(np.abs(in_memory.coef_).max(), np.abs(in_memory.intercept_).max())
    assert np.abs(on_dask.coef_ - in_memory.coef_).max() <= rtol * scale
    assert np.abs(on_dask.intercept_ - in_memory.intercept_).max() <= rtol * scale
    assert on_dask.loss_curve_[-1] == pytest.approx(in_memory.loss_curve_[-1], rel=1e-12)
    if on_dask.solver == "newton":
        assert on_dask.n_iter_ == in_memory.n_iter_
    assert on_dask.converged_ == in_memory.converged_
    np.testing.assert_array_equal(on_dask.classes_, in_memory.classes_)
    # (L-BFGS: its objective agrees to 1e-12, but the likelihood and the penalty can trade
    # their shares of it along the flat direction)
    likelihood_rtol = 1e-12 if on_dask.solver == "newton" else 1e-9
    assert on_dask.log_likelihood_ == pytest.approx(in_memory.log_likelihood_,
                                                    rel=likelihood_rtol)
    assert on_dask.null_log_likelihood_ == pytest.approx(in_memory.null_log_likelihood_,
                                                         rel=1e-12)


@pytest.mark.parametrize("chunks", CHUNKINGS)
@pytest.mark.parametrize("params", MODELS)
def test_binary_fits_equal_the_in_memory_fit(binary, chunks, params):
    X, y = binary
    on_dask = LogisticRegression(tol=1e-10, **params).fit(chunked(X, chunks), chunked(y, chunks))
    in_memory = LogisticRegression(tol=1e-10, **params).fit(X, y)
    _assert_same(on_dask, in_memory)
    assert isinstance(on_dask.coef_, np.ndarray) and on_dask.n_features_in_ == 5
    if params.get("C") == np.inf:  # the observed information, for summary()
        assert_close_to_scale(on_dask.cov_params_, in_memory.cov_params_, 1e-9)
        assert on_dask.summary().std_err == pytest.approx(in_memory.summary().std_err, rel=1e-9)


@pytest.mark.parametrize("solver", ["newton", "lbfgs"])
@pytest.mark.parametrize("chunks", CHUNKINGS)
def test_multinomial_fits_equal_the_in_memory_fit(three_classes, chunks, solver):
    X, y = three_classes
    on_dask = LogisticRegression(tol=1e-10, solver=solver, max_iter=500).fit(
        chunked(X, chunks), chunked(y, chunks))
    in_memory = LogisticRegression(tol=1e-10, solver=solver, max_iter=500).fit(X, y)
    _assert_same(on_dask, in_memory)


def test_labels_may_stay_in_memory(binary):
    X, y = binary
    on_dask = LogisticRegression(tol=1e-10).fit(chunked(X, 700), np.array(["no", "yes"])[y])
    in_memory = LogisticRegression(tol=1e-10).fit(X, np.array(["no", "yes"])[y])
    _assert_same(on_dask, in_memory)


def test_predictions_are_lazy_with_the_row_chunks(three_classes):
    X, y = three_classes
    chunks = (1, 1499, 700, 800)
    model = LogisticRegression().fit(chunked(X, chunks), chunked(y, chunks))
    Xd = chunked(X, chunks)
    for method, shape in [("predict", (3000,)), ("predict_proba", (3000, 3)),
                          ("predict_log_proba", (3000, 3)), ("decision_function", (3000, 3))]:
        lazy = getattr(model, method)(Xd)
        assert lazy.chunks[0] == chunks and lazy.shape == shape
        expected = getattr(model, method)(X)
        if method == "predict":
            np.testing.assert_array_equal(lazy.compute(), expected)
        else:
            assert_close_to_scale(lazy.compute(), expected, 1e-12)


# -- one pass per evaluation ---------------------------------------------------------------------


@pytest.fixture
def objective(binary):
    X, y = binary
    rb = blocks.training_blocks(chunked(X, 700), chunked(y, 700))
    loss = logistic_loss(5, 2, fit_intercept=True, l2=1.0 / 3000)
    return _dask_logistic.BlockLogisticObjective(rb, loss, np.array([0, 1]), separation=False,
                                                 newton=True)


def test_a_full_newton_step_costs_one_pass(objective):
    w = np.zeros(6)
    objective.value(w)
    assert objective.passes == 1
    g, H = objective.gradient_and_hessian(w)  # the start: everything from that one pass
    assert objective.passes == 1
    d = np.linalg.solve(H, -g)
    phi = objective.line(w, d)
    phi(1.0)  # the full step: loss, slope, and the Hessian there, in one pass
    objective.gradient_and_hessian(w + 1.0 * d)
    objective.value(w + 1.0 * d)
    assert objective.passes == 2


def test_a_backtracking_trial_skips_the_hessian(objective):
    w, d = np.zeros(6), np.ones(6)
    objective.line(w, d)(0.5)  # a shorter trial: loss and slope only
    assert objective.passes == 1
    assert objective.evaluate(w + 0.5 * d, None).hessian is None
    objective.gradient_and_hessian(w + 0.5 * d)  # accepted: its Hessian takes a pass
    assert objective.passes == 2


def test_the_sums_equal_the_in_memory_loss_and_derivatives(objective, binary):
    X, y = binary
    w = np.random.default_rng(3).standard_normal(6) * 0.3
    loss = logistic_loss(5, 2, fit_intercept=True, l2=1.0 / 3000)
    assert objective.value(w) == pytest.approx(loss.loss(w, X, y.astype(float)), rel=1e-13)
    assert_close_to_scale(objective.gradient(w), loss.gradient(w, X, y.astype(float)), 1e-12)
    assert_close_to_scale(objective.hessian(w), loss.hessian(w, X, y.astype(float)), 1e-12)


def test_a_whole_newton_fit_makes_few_passes(binary, monkeypatch):
    X, y = binary
    passes = []
    original = _dask_logistic.map_reduce

    def counted(*args, **kwargs):
        passes.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(_dask_logistic, "map_reduce", counted)
    model = LogisticRegression(tol=1e-8).fit(chunked(X, 700), chunked(y, 700))
    # the labels, the start, then at most two per iteration (a lengthened or shortened step)
    assert len(passes) <= 2 + 2 * model.n_iter_
    assert model.converged_


# -- warnings and bad input ---------------------------------------------------------------------


def test_separation_is_detected_on_blocks():
    X = np.linspace(-3, 3, 400).reshape(-1, 1)
    y = (X[:, 0] > 0.1).astype(int)
    with pytest.warns(PerfectSeparationWarning, match="perfectly separated"):
        model = LogisticRegression(C=np.inf).fit(chunked(X, 100), chunked(y, 100))
    assert np.all(model.predict(X) == y)


def test_running_out_of_iterations_warns_as_in_memory(binary):
    X, y = binary
    with pytest.warns(ConvergenceWarning, match="Newton's method did not converge"):
        on_dask = LogisticRegression(max_iter=1, tol=1e-12).fit(chunked(X, 700),
                                                                chunked(y, 700))
    with pytest.warns(ConvergenceWarning):
        in_memory = LogisticRegression(max_iter=1, tol=1e-12).fit(X, y)
    # One step, not the optimum: the steps' Hessian is accumulated in single precision (in
    # memory and per block alike, over different row blocks), so one step agrees to about
    # 1e-7·κ of its length, not to the last bits.
    assert_close_to_scale(on_dask.coef_, in_memory.coef_, 1e-5)
    assert on_dask.n_iter_ == in_memory.n_iter_ == 1 and not on_dask.converged_


def test_nan_in_a_block_names_its_rows_and_fits_nothing(binary):
    X, y = binary
    bad = X.copy()
    bad[1234, 0] = np.nan
    model = LogisticRegression()
    with pytest.raises(ValueError, match="X contains NaN or infinity in the block of rows "
                                         "700–1399 \\(first at row 1234\\)"):
        model.fit(chunked(bad, 700), chunked(y, 700))
    assert not [k for k in vars(model) if k.endswith("_")]


def test_one_class_and_continuous_labels_are_refused(binary):
    X, y = binary
    with pytest.raises(ValueError, match="only one class"):
        LogisticRegression().fit(chunked(X, 700), np.zeros(3000))
    with pytest.raises(ValueError, match="continuous"):
        LogisticRegression().fit(chunked(X, 700), np.linspace(0, 1, 3000))


def test_solvers_without_a_block_form_are_refused(binary):
    X, y = binary
    with pytest.raises(ValueError, match="'newton' and 'lbfgs'.*'minibatch'"):
        LogisticRegression(solver="gd").fit(chunked(X, 700), chunked(y, 700))


# -- streaming ---------------------------------------------------------------------------------


def test_partial_fit_needs_the_classes_first_and_keeps_them(binary):
    X, y = binary
    model = LogisticRegression(solver="minibatch", random_state=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        model.partial_fit(X, y)
    model.partial_fit(X[:1000], y[:1000], classes=[0, 1])
    model.partial_fit(chunked(X[1000:], 500), chunked(y[1000:], 500))
    assert model.t_ == 3000 and model.n_iter_ == 2
    with pytest.raises(ValueError, match=r"classes=\[0, 1, 2\] differ"):
        model.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="label 7 at row 1200 .* not one of the classes"):
        labels = y.copy()
        labels[1200] = 7
        model.partial_fit(chunked(X, 500), chunked(labels, 500))
    assert model.t_ == 3000  # the failed calls changed nothing


def test_streamed_fit_approaches_newton(binary):
    X, y = binary
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    exact = LogisticRegression(C=1.0, tol=1e-10).fit(Xs, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        streamed = LogisticRegression(C=1.0, solver="minibatch", optimizer="adam",
                                      learning_rate=0.01, batch_size=50, max_iter=40,
                                      random_state=0).fit(chunked(Xs, 700), chunked(y, 700))
    assert_close_to_scale(streamed.coef_, exact.coef_, 0.05)
    # the log-likelihood of the streamed coefficients, from one more pass
    assert streamed.log_likelihood_ == pytest.approx(exact.log_likelihood_, rel=1e-3)
    assert streamed.log_likelihood_ <= exact.log_likelihood_ + 1e-9
