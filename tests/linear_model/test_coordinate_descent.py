"""Lasso, ElasticNet and their paths against scikit-learn, and the lasso path of Efron et al."""

import itertools
import warnings

import numpy as np
import pytest
from sklearn import linear_model as sk
from sklearn.datasets import load_diabetes

from fromscratch.datasets import make_linear
from fromscratch.linear_model import (
    ConvergenceWarning,
    ElasticNet,
    Lasso,
    _cd,
    _coordinate_descent,
    _fista,
    enet_path,
    lasso_path,
)
from tolerance import assert_close_to_scale

TIGHT = {"tol": 1e-12, "max_iter": 100_000}


def sparse_regression(n_samples, n_features, n_informative=5, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features)) + rng.uniform(-2, 2, n_features)
    w = np.zeros(n_features)
    w[rng.choice(n_features, n_informative, replace=False)] = 3 * rng.standard_normal(
        n_informative
    )
    y = X @ w + 4.0 + rng.standard_normal(n_samples)
    return X.astype(dtype), y.astype(dtype)


def sklearn_fit(cls, X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns at alpha=0 / tight tolerances
        return cls(**params).fit(X, y)


def assert_close_relative(ours, ref, rtol):
    scale = max(np.abs(ref).max(), 1e-300)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=rtol * scale)


# Tall data (Gram / covariance updates) and wide data (residual updates, working sets).
SHAPES = [(200, 15), (40, 60)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha, l1_ratio", [(0.05, 1.0), (0.5, 1.0), (0.05, 0.5), (0.3, 0.1)])
@pytest.mark.parametrize("solver", ["cd", "fista"])
def test_matches_sklearn_at_tight_tolerance(shape, fit_intercept, alpha, l1_ratio, solver):
    X, y = sparse_regression(*shape)
    params = {"alpha": alpha, "fit_intercept": fit_intercept, **TIGHT}
    ours = ElasticNet(l1_ratio=l1_ratio, solver=solver, **params).fit(X, y)
    ref = sklearn_fit(sk.ElasticNet, X, y, l1_ratio=l1_ratio, **params)
    # Both stop at duality gap <= 1e-12 ||y||²; the coefficients then agree far closer than
    # the 1e-6 asserted here (strong convexity bounds |w - w*|² by the gap / the curvature).
    assert_close_relative(ours.coef_, ref.coef_, 1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6, atol=1e-6)
    assert ours.dual_gap_ <= 1e-12 * np.sum((y - y.mean() * fit_intercept) ** 2) / len(y)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("alpha, l1_ratio", [(0.05, 1.0), (0.3, 0.1)])
@pytest.mark.parametrize("limit", [8, 14])
def test_many_features_match_sklearn(monkeypatch, shape, alpha, l1_ratio, limit):
    # Beyond GRAM_MAX_FEATURES features (2000, lowered here) the outer iterations keep the
    # residual; a working set up to the limit gets its own Gram matrix, a larger one residual
    # updates. Limit 8: the first working set (10 features) already exceeds it; limit 14:
    # the first ones fit.
    monkeypatch.setattr(_cd, "GRAM_MAX_FEATURES", limit)
    calls = spy_on(monkeypatch, _cd, "_cd_epochs_covariance", "_cd_epochs_residual")
    X, y = sparse_regression(*shape)
    params = {"alpha": alpha, "l1_ratio": l1_ratio, **TIGHT}
    ours = ElasticNet(solver="cd", **params).fit(X, y)
    assert ("_cd_epochs_covariance" in calls) == (limit == 14)
    ref = sklearn_fit(sk.ElasticNet, X, y, **params)
    assert_close_relative(ours.coef_, ref.coef_, 1e-6)
    assert ours.dual_gap_ <= 1e-12 * np.sum((y - y.mean()) ** 2) / len(y)


def test_gram_cache_product_is_remembered_for_the_last_solution_only():
    X, y = sparse_regression(200, 15)
    gram = _cd.GramCache(X, y)
    w = np.random.default_rng(0).standard_normal(15)
    assert_close_to_scale(gram.times(w), X.T @ (X @ w), rtol=1e-12)
    np.testing.assert_array_equal(gram.times(np.zeros(15)), np.zeros(15))
    remembered = np.arange(15.0)  # a deliberately different vector: proves it is reused
    gram.remember(w, remembered)
    np.testing.assert_array_equal(gram.times(w), remembered)
    assert_close_to_scale(gram.times(w + 1e-9), X.T @ (X @ (w + 1e-9)), rtol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
def test_gram_cache_exact_product_computes_the_rows_it_needs(shape):
    # Wide data: G's rows are computed lazily, and a warm start's support may have none yet.
    X, y = sparse_regression(*shape)
    gram = _cd.GramCache(X, y)
    w = np.zeros(shape[1])
    w[[1, 4, 7]] = [0.5, -2.0, 1.0]
    assert_close_to_scale(gram.exact_product(w), X.T @ (X @ w), rtol=1e-12)


@pytest.mark.parametrize("data, alpha", [
    (lambda: sparse_regression(200, 15), 0.05),  # tall: Gram matrix
    (lambda: sparse_regression(40, 60), 0.05),  # wide: Gram rows computed lazily
    (lambda: sparse_correlated_regression(300, 100, 0.99), 1e-3),  # 6800 epochs at 1e-12
], ids=["tall", "wide", "correlated"])
@pytest.mark.parametrize("tol", [1e-4, 1e-12])
def test_reported_gap_is_the_gap_of_the_exact_residual(data, alpha, tol):
    # scikit-learn's gap, recomputed here from r = y - Xw - b of the returned coefficients.
    # The reported one comes from Gw recomputed from the Gram rows; it must agree to a tenth
    # of the tolerance. (The Gw the updates accumulated drifts by more: on the correlated
    # problem at tol = 1e-12 it reports 4.4e-11 for an exact 6.7e-11.)
    X, y = data()
    model = Lasso(alpha=alpha, tol=tol, max_iter=100_000, solver="cd").fit(X, y)
    n = len(y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    r = yc - Xc @ model.coef_
    scale = min(1.0, alpha * n / np.abs(Xc.T @ r).max())
    primal = 0.5 * r @ r + alpha * n * np.abs(model.coef_).sum()
    dual = -0.5 * scale**2 * (r @ r) + scale * (r @ yc)
    assert abs(model.dual_gap_ - (primal - dual) / n) <= 0.1 * tol * (yc @ yc) / n


@pytest.mark.parametrize("estimate", [1e-3, 0.5, 3.0])
def test_fista_backtracking_corrects_any_lipschitz_estimate(monkeypatch, estimate):
    # The power-iteration estimate replaced by 0.001x, 0.5x and 3x the true sigma_max(X)^2:
    # backtracking raises a short one until the steps are safe, a long one only slows the
    # steps down; either way FISTA reaches scikit-learn's answer.
    X, y = sparse_regression(200, 15)
    true = np.linalg.norm(X - X.mean(axis=0), 2) ** 2
    monkeypatch.setattr(_fista, "_largest_eigenvalue_gram",
                        lambda X, **kwargs: estimate * true)
    ours = Lasso(alpha=0.05, solver="fista", **TIGHT).fit(X, y)
    ref = sklearn_fit(sk.Lasso, X, y, alpha=0.05, **TIGHT)
    assert_close_relative(ours.coef_, ref.coef_, 1e-6)


@pytest.fixture
def float32_steps(monkeypatch):
    """FISTA's float32 products on data of any size (normally from SINGLE_PRECISION_MIN_ENTRIES
    up); returns the dtypes the Lipschitz estimate was computed in, to prove they ran."""
    monkeypatch.setattr(_fista, "SINGLE_PRECISION_MIN_ENTRIES", 0)
    seen = []
    estimate = _fista._largest_eigenvalue_gram

    def spy(X, **kwargs):
        seen.append(X.dtype)
        return estimate(X, **kwargs)

    monkeypatch.setattr(_fista, "_largest_eigenvalue_gram", spy)
    return seen


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha, l1_ratio", [(0.05, 1.0), (0.3, 0.1)])
def test_fista_float32_steps_reach_the_float64_answer(float32_steps, monkeypatch, shape,
                                                      fit_intercept, alpha, l1_ratio):
    # Mixed precision as iterative refinement: the float32 products only multiply differences
    # from the last exactly checked iterate, so the iterates still converge to the float64
    # solution, here to a gap of 1e-12 ||y||² (beyond float32's 1e-7), in no more steps than
    # float64 products take (between gap checks, FISTA_GAP_EVERY = 10 steps apart).
    X, y = sparse_regression(*shape)
    params = {"alpha": alpha, "l1_ratio": l1_ratio, "fit_intercept": fit_intercept, **TIGHT}
    ours = ElasticNet(solver="fista", **params).fit(X, y)
    assert float32_steps == [np.float32]
    ref = sklearn_fit(sk.ElasticNet, X, y, **params)
    assert_close_relative(ours.coef_, ref.coef_, 1e-6)
    assert ours.dual_gap_ <= 1e-12 * np.sum((y - y.mean() * fit_intercept) ** 2) / len(y)
    float32_steps.clear()
    monkeypatch.setattr(_fista, "SINGLE_PRECISION_MIN_ENTRIES", 2**62)
    float64 = ElasticNet(solver="fista", **params).fit(X, y)
    assert float32_steps == [np.float64]
    assert ours.n_iter_ <= float64.n_iter_ + 10


@pytest.mark.parametrize("x_scale, y_scale", [
    (1e-20, 1e-20),  # float32 squares of X underflow: the Lipschitz estimate is 0
    (1.0, 1e36),  # float32 products X(w - anchor) overflow mid-run
    (1.0, 1e-36),  # coefficients ~1e-36: their float32 differences underflow
])
def test_fista_float32_guards_fall_back_to_float64(float32_steps, x_scale, y_scale):
    # Each case defeats float32 in its own way; FISTA then continues in float64 (from the
    # start, from the last checked iterate, from the first gap check) and lands on the unscaled
    # answer, rescaled, without a warning and at most one gap check (10 steps) later. Without
    # the respective guard the three return all-zero coefficients, raise a
    # non-finite-coefficient error, and take 1450 steps instead of 40.
    X, y = sparse_regression(200, 15)
    unscaled = Lasso(alpha=0.05, solver="fista", **TIGHT).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scaled = Lasso(alpha=0.05 * x_scale * y_scale, solver="fista", **TIGHT).fit(
            X * x_scale, y * y_scale)
    assert_close_relative(scaled.coef_ * x_scale / y_scale, unscaled.coef_, 1e-9)
    assert scaled.n_iter_ <= unscaled.n_iter_ + 10


def test_fista_takes_steps_lost_in_rounding_instead_of_growing_the_step_size(float32_steps):
    # An orthonormal design: FISTA lands on the solution at once, and the next steps vanish.
    # Their curvature ‖Xs‖²/‖s‖² is then rounding noise of the float32 products; tested against
    # L without allowing for it, the step size 1/L shrank forever on noise (the fit hung).
    rng = np.random.default_rng(1)
    Q, _ = np.linalg.qr(rng.standard_normal((200, 8)))
    X = np.sqrt(200) * Q  # XᵀX = nI
    y = X @ rng.normal(0.0, 1.0, 8) + rng.normal(0.0, 1.0, 200)
    model = Lasso(alpha=0.5, fit_intercept=False, tol=1e-14, solver="fista").fit(X, y)
    z = X.T @ y / 200
    assert_close_to_scale(model.coef_, np.sign(z) * np.maximum(np.abs(z) - 0.5, 0.0), rtol=1e-10)
    assert model.n_iter_ <= 20


def sparse_correlated_regression(n_samples, n_features, correlation, seed=0):
    """Ten non-zero coefficients; neighbouring features correlated (make_linear's ρ^|j-k|)."""
    rng = np.random.default_rng(seed)
    coef = np.zeros(n_features)
    coef[rng.choice(n_features, 10, replace=False)] = 3 * rng.standard_normal(10)
    data = make_linear(n_samples, coef=coef, correlation=correlation, random_state=rng)
    return data.X, data.y


def spy_on(monkeypatch, module, *names, record=lambda name, args: name):
    """Wrap the named functions of ``module``; returns a list that gets ``record(name, args)``
    of each call."""
    calls = []
    for name in names:
        function = getattr(module, name)

        def spy(*args, _function=function, _name=name, **kwargs):
            calls.append(record(_name, args))
            return _function(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


def spy_on_solvers(monkeypatch):
    """The solvers called, each with whether its initial coefficients were non-zero."""
    return spy_on(monkeypatch, _coordinate_descent, "enet_fista", "enet_coordinate_descent",
                  record=lambda name, args: (name, bool(args[2].any())))


def test_auto_is_coordinate_descent_on_small_data(monkeypatch):
    X, y = load_diabetes(return_X_y=True)
    calls = spy_on_solvers(monkeypatch)
    auto = Lasso(alpha=0.1, tol=1e-8).fit(X, y)
    assert calls == [("enet_coordinate_descent", False)]
    cd = Lasso(alpha=0.1, tol=1e-8, solver="cd").fit(X, y)
    np.testing.assert_array_equal(auto.coef_, cd.coef_)
    assert auto.n_iter_ == cd.n_iter_


def test_auto_finishes_with_fista_on_large_uncorrelated_data(monkeypatch):
    X, y = sparse_correlated_regression(2000, 150, correlation=0.0)  # 300,000 entries
    calls = spy_on_solvers(monkeypatch)
    ours = ElasticNet(alpha=0.01, l1_ratio=0.7, tol=1e-10).fit(X, y)
    assert calls == [("enet_fista", False)]
    ref = sklearn_fit(sk.ElasticNet, X, y, alpha=0.01, l1_ratio=0.7, tol=1e-10)
    assert_close_relative(ours.coef_, ref.coef_, 1e-6)


def test_auto_hands_correlated_data_to_coordinate_descent_from_the_start(monkeypatch):
    # Correlation 0.95 between neighbours: FISTA's first ten steps cut the gap by far less
    # than AUTO_MIN_PROGRESS, and coordinate descent runs from the initial (zero)
    # coefficients, exactly as solver="cd" would, after those ten steps.
    X, y = sparse_correlated_regression(2000, 150, correlation=0.95)
    calls = spy_on_solvers(monkeypatch)
    auto = Lasso(alpha=0.01, tol=1e-8).fit(X, y)
    assert calls == [("enet_fista", False), ("enet_coordinate_descent", False)]
    cd = Lasso(alpha=0.01, tol=1e-8, solver="cd").fit(X, y)
    np.testing.assert_array_equal(auto.coef_, cd.coef_)
    assert auto.n_iter_ == 10 + cd.n_iter_


@pytest.mark.parametrize("alpha", [0.01, 0.3, 1.0])
def test_lasso_diabetes_number_for_number(alpha):
    # With 10 features the working set is every feature, so our cyclic coordinate descent runs
    # the very iterations of scikit-learn's, with the same stopping rule: same epoch count.
    X, y = load_diabetes(return_X_y=True, scaled=True)
    ours = Lasso(alpha=alpha).fit(X, y)
    ref = sk.Lasso(alpha=alpha).fit(X, y)
    assert ours.n_iter_ == ref.n_iter_
    assert_close_relative(ours.coef_, ref.coef_, 1e-10)
    np.testing.assert_allclose(ours.dual_gap_, ref.dual_gap_, rtol=1e-6, atol=1e-12)


def correlated_one_hot_regression(n_samples=400, n_categoricals=8, n_levels=10, seed=0):
    """One-hot blocks of categoricals that copy a shared one 95% of the time (nearly collinear
    columns, as in house-price data), plus 4 numeric columns: slow for coordinate descent."""
    rng = np.random.default_rng(seed)
    shared = rng.integers(0, n_levels, n_samples)
    blocks = []
    for _ in range(n_categoricals):
        level = np.where(rng.random(n_samples) < 0.95, shared, rng.integers(0, n_levels, n_samples))
        blocks.append(np.eye(n_levels)[level])
    numeric = rng.standard_normal((n_samples, 4)) + 0.3 * shared[:, None]
    X = np.hstack(blocks + [numeric])
    y = 0.3 * X @ rng.standard_normal(X.shape[1]) + rng.standard_normal(n_samples)
    return X, y


def test_tighter_tolerance_never_gives_a_worse_lasso_on_correlated_one_hot_data():
    # Regression: the inner solves on partial working sets only looked at their gap once the
    # steps fell below the *outer* tol, so at tol=1e-8 they polished too-small working sets for
    # thousands of epochs, ran out of max_iter, and returned a worse objective than tol=1e-4.
    X, y = correlated_one_hot_regression()
    alpha, max_iter = 1e-3, 2000

    def objective(model):
        r = y - X @ model.coef_ - model.intercept_
        return r @ r / (2 * len(y)) + alpha * np.abs(model.coef_).sum()

    fits = []
    for tol in (1e-4, 1e-6, 1e-8):
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            fits.append(Lasso(alpha=alpha, tol=tol, max_iter=max_iter).fit(X, y))
    # P(w_tight) - P* <= gap_tight and P* <= P(w_loose): tightening tol can only help.
    for loose, tight in itertools.pairwise(fits):
        assert objective(tight) <= objective(loose) + tight.dual_gap_
    ours = fits[-1]
    ref = sklearn_fit(sk.Lasso, X, y, alpha=alpha, tol=1e-8, max_iter=10_000)
    assert ref.dual_gap_ <= 1e-8 * np.sum((y - y.mean()) ** 2) / len(y)  # sklearn converged
    # Both objectives are within their own gaps of the optimum.
    assert abs(objective(ours) - objective(ref)) <= ours.dual_gap_ + ref.dual_gap_
    # Same cyclic coordinate descent, same stopping rule: no more epochs than scikit-learn
    # (which takes 2062 here; we take 1159, the early epochs running on small working sets).
    assert ours.n_iter_ <= ref.n_iter_


def test_positive_and_random_selection_match_sklearn():
    X, y = sparse_regression(150, 12)
    for params in ({"positive": True}, {"selection": "random", "random_state": 3}):
        ours = Lasso(alpha=0.1, **params, **TIGHT).fit(X, y)
        ref = sklearn_fit(sk.Lasso, X, y, alpha=0.1, **params, **TIGHT)
        assert_close_relative(ours.coef_, ref.coef_, 1e-6)
    assert np.all(Lasso(alpha=0.1, positive=True).fit(X, y).coef_ >= 0)


def test_random_selection_is_reproducible():
    X, y = sparse_regression(60, 30)
    a = Lasso(alpha=0.1, selection="random", random_state=7).fit(X, y)
    b = Lasso(alpha=0.1, selection="random", random_state=7).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_zero_penalties_fall_back_to_least_squares_and_ridge():
    X, y = sparse_regression(100, 6)
    ols = ElasticNet(alpha=0.0, **TIGHT).fit(X, y)
    assert_close_relative(ols.coef_, sk.LinearRegression().fit(X, y).coef_, 1e-6)
    ridge = ElasticNet(alpha=0.2, l1_ratio=0.0, **TIGHT).fit(X, y)
    # (1/2n)||r||² + (alpha/2)||w||² is ||r||² + (alpha n)||w||² divided by 2n: Ridge(alpha n).
    ref = sk.Ridge(alpha=0.2 * len(y)).fit(X, y)
    assert_close_relative(ridge.coef_, ref.coef_, 1e-6)


def test_alpha_above_alpha_max_gives_zero_coefficients():
    X, y = sparse_regression(80, 10)
    Xc, yc = X - X.mean(0), y - y.mean()
    alpha_max = np.abs(Xc.T @ yc).max() / len(y)
    assert np.all(Lasso(alpha=alpha_max * 1.001).fit(X, y).coef_ == 0)
    assert np.any(Lasso(alpha=alpha_max * 0.9).fit(X, y).coef_ != 0)


def test_intercept_is_not_penalized():
    X, y = sparse_regression(80, 5)
    model = Lasso(alpha=1e6).fit(X, y + 500.0)
    assert np.all(model.coef_ == 0)
    np.testing.assert_allclose(model.intercept_, y.mean() + 500.0)


def test_warm_start_reuses_the_previous_solution():
    X, y = sparse_regression(100, 40)
    model = Lasso(alpha=0.1, warm_start=True, tol=1e-8).fit(X, y)
    first = model.n_iter_
    model.fit(X, y)
    assert model.n_iter_ == 0 < first  # already optimal: the initial gap check stops it
    cold = Lasso(alpha=0.1, warm_start=False, tol=1e-8).fit(X, y)
    cold.fit(X, y)
    assert cold.n_iter_ == first


def test_convergence_warning():
    X, y = sparse_regression(100, 40)
    with pytest.warns(ConvergenceWarning, match="did not converge.*duality gap"):
        Lasso(alpha=0.01, max_iter=1, tol=1e-12).fit(X, y)


@pytest.mark.parametrize("solver", ["auto", "cd", "fista"])
def test_float32_is_preserved(solver):
    X, y = sparse_regression(100, 8, dtype=np.float32)
    model = ElasticNet(alpha=0.1, solver=solver).fit(X, y)
    assert model.coef_.dtype == np.float32
    ref = sk.ElasticNet(alpha=0.1).fit(X.astype(float), y.astype(float))
    assert_close_relative(model.coef_, ref.coef_, 1e-3)


def test_bad_hyper_parameters():
    X, y = sparse_regression(30, 6)
    cases = [
        (Lasso(alpha=-0.1), ValueError, r"alpha must be in \[0"),
        (ElasticNet(l1_ratio=1.5), ValueError, r"l1_ratio must be in \[0, 1\]"),
        (ElasticNet(l1_ratio=-0.1), ValueError, "l1_ratio"),
        (Lasso(solver="lars"), ValueError, "solver must be one of 'auto', 'cd', 'fista'"),
        (Lasso(selection="greedy"), ValueError, "selection must be one of 'cyclic', 'random'"),
        (Lasso(max_iter=0), ValueError, "max_iter"),
        (Lasso(tol=-1.0), ValueError, "tol"),
        (Lasso(positive="yes"), TypeError, "positive must be a bool"),
        (Lasso(alpha="big"), TypeError, "alpha"),
    ]
    for model, error, message in cases:
        with pytest.raises(error, match=message):
            model.fit(X, y)
    assert "l1_ratio" not in Lasso().get_params()


# -- paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize("l1_ratio", [1.0, 0.4])
def test_enet_path_matches_sklearn(l1_ratio):
    X, y = sparse_regression(120, 20)
    X, y = X - X.mean(0), y - y.mean()  # paths assume centered data, like sklearn's
    alphas, coefs, gaps = enet_path(X, y, l1_ratio=l1_ratio, n_alphas=20, tol=1e-12)
    ref_alphas, ref_coefs, _ = sk.enet_path(X, y, l1_ratio=l1_ratio, alphas=20, tol=1e-12)
    np.testing.assert_allclose(alphas, ref_alphas, rtol=1e-14)
    assert coefs.shape == (20, 20) and gaps.shape == (20,)
    assert_close_relative(coefs, ref_coefs, 1e-6)
    assert np.all(coefs[:, 0] == 0)  # alpha_max zeroes every coefficient


def test_lasso_path_explicit_alphas_and_fit_intercept():
    X, y = sparse_regression(100, 8)
    alphas, coefs, _ = lasso_path(X, y, alphas=[0.01, 1.0, 0.1], fit_intercept=True, tol=1e-12)
    np.testing.assert_array_equal(alphas, [1.0, 0.1, 0.01])
    for k, alpha in enumerate(alphas):
        ref = sklearn_fit(sk.Lasso, X, y, alpha=alpha, **TIGHT)
        assert_close_relative(coefs[:, k], ref.coef_, 1e-6)
    with pytest.raises(ValueError, match="l1_ratio=0"):
        enet_path(X, y, l1_ratio=0.0)
    with pytest.raises(ValueError, match="non-negative"):
        lasso_path(X, y, alphas=[-1.0])
    with pytest.raises(ValueError, match="coef_init must have shape"):
        lasso_path(X, y, coef_init=np.zeros(3))


def test_diabetes_lasso_path_admits_variables_in_efron_order():
    # Efron, Hastie, Johnstone & Tibshirani (2004), Figure 1 / Table 1: along the lasso path the
    # covariates enter in the order 3, 9, 4, 7, 2, 10, 5, 8, 6, 1 (1-based) = bmi, s5, bp, s3,
    # sex, s6, s1, s4, s2, age.
    X, y = load_diabetes(return_X_y=True, scaled=True)
    alphas, coefs, _ = lasso_path(X, y, fit_intercept=True, eps=1e-4, n_alphas=200, tol=1e-8)
    entry_step = [np.argmax(coefs[j] != 0) for j in range(10)]
    assert len(set(entry_step)) == 10  # the grid is fine enough to separate every entry
    order = np.argsort(entry_step) + 1
    np.testing.assert_array_equal(order, [3, 9, 4, 7, 2, 10, 5, 8, 6, 1])
    # The end of the path (alpha -> 0) approaches least squares: Table 1's OLS column.
    paper_ols = [-10.01, -239.82, 519.85, 324.38, -792.18, 476.74, 101.04, 177.06, 751.27, 67.63]
    end = Lasso(alpha=1e-7, **TIGHT).fit(X, y).coef_
    np.testing.assert_allclose(end, paper_ols, atol=0.05)
