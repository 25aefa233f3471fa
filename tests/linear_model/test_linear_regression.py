"""LinearRegression and Ridge against scikit-learn and against Efron et al. (2004), Table 1."""

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sk
from sklearn.datasets import load_diabetes

from fromscratch.linalg import IllConditionedWarning, RankDeficientWarning
from fromscratch.linalg import _lstsq as lstsq_module
from fromscratch.linear_model import LinearRegression, Ridge, ridge_path
from fromscratch.linear_model._base import centered_normal_equations
from tolerance import assert_close_to_scale

EXACT_SOLVERS = ["qr", "cholesky"]


def random_regression(n_samples=120, n_features=8, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features)) * rng.uniform(0.5, 3, n_features) + 2.0
    y = X @ rng.standard_normal(n_features) + 5.0 + rng.standard_normal(n_samples)
    return X.astype(dtype), y.astype(dtype)


def assert_coef_close(ours, ref, rtol=1e-8):
    scale = np.abs(ref.coef_).max()
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=rtol, atol=rtol * scale)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=rtol, atol=rtol)


# -- the centered normal equations -------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("block_bytes", [1, 8 * 8 * 7, 2**20])
def test_centered_normal_equations_equal_the_explicitly_centered_products(dtype, block_bytes):
    # One row per block; 7 rows (float64) or 14 (float32) per block, the last one partial; one
    # block for all 120 rows.
    X, y = random_regression(dtype=dtype)
    G, Xty, X_offset, y_offset = centered_normal_equations(X, y, True, block_bytes=block_bytes)
    Xc, yc = X.astype(float) - X.astype(float).mean(axis=0), y.astype(float) - y.mean()
    rtol = 1e-12 if dtype == np.float64 else 1e-4
    assert G.dtype == Xty.dtype == dtype
    np.testing.assert_allclose(G, Xc.T @ Xc, rtol=rtol, atol=rtol * np.abs(Xc.T @ Xc).max())
    np.testing.assert_allclose(Xty, Xc.T @ yc, rtol=rtol, atol=rtol * np.abs(Xc.T @ yc).max())
    np.testing.assert_allclose(X_offset, X.mean(axis=0), rtol=rtol)
    np.testing.assert_allclose(y_offset, y.mean(), rtol=rtol)
    G, Xty, X_offset, y_offset = centered_normal_equations(X, y, False, block_bytes=block_bytes)
    np.testing.assert_array_equal(G, X.T @ X)
    np.testing.assert_array_equal(Xty, X.T @ y)
    assert not X_offset.any() and y_offset == 0


@pytest.mark.parametrize(
    ("ours", "ref"),
    [(LinearRegression(solver="cholesky"), sk.LinearRegression()),
     (Ridge(alpha=1.0, solver="cholesky"), sk.Ridge(alpha=1.0))],
)
def test_normal_equations_survive_columns_with_large_offsets(ours, ref):
    # Column 5 is 1e6 + N(0, 1): in the shortcut XᵀX - n x̄x̄ᵀ its variance is the difference of
    # two numbers ~1e12 times larger, and the shortcut's Gram entry comes out wrong in the third
    # digit. The blockwise centering stays exact. 9000 x 40 spans several blocks.
    rng = np.random.default_rng(3)
    X = rng.standard_normal((9000, 40))
    X[:, 5] += 1e6
    X[:, 7] = 1e-3 * X[:, 7] + 50.0
    y = X @ rng.standard_normal(40) + rng.standard_normal(9000)
    assert_coef_close(ours.fit(X, y), ref.fit(X, y), rtol=1e-10)


# -- LinearRegression --------------------------------------------------------------------


@pytest.mark.parametrize("solver", EXACT_SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_linear_regression_matches_sklearn(solver, fit_intercept):
    X, y = random_regression()
    ours = LinearRegression(solver=solver, fit_intercept=fit_intercept).fit(X, y)
    ref = sk.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    assert_coef_close(ours, ref)
    assert_close_to_scale(ours.predict(X), ref.predict(X), rtol=1e-10)
    assert ours.n_features_in_ == 8 and ours.n_iter_ == 1
    if not fit_intercept:
        assert ours.intercept_ == 0.0


@pytest.mark.parametrize("solver", EXACT_SOLVERS)
def test_diabetes_ols_reproduces_efron_table_1(solver):
    # Efron, Hastie, Johnstone & Tibshirani (2004), "Least angle regression", Table 1: OLS on
    # the standardized diabetes covariates (unit-norm columns, as in load_diabetes(scaled=True))
    # with the raw response.
    X, y = load_diabetes(return_X_y=True, scaled=True)
    paper = [-10.01, -239.82, 519.85, 324.38, -792.18, 476.74, 101.04, 177.06, 751.27, 67.63]
    model = LinearRegression(solver=solver).fit(X, y)
    np.testing.assert_allclose(model.coef_, paper, atol=0.005 + 1e-9)
    assert_coef_close(model, sk.LinearRegression().fit(X, y))


def test_solvers_agree_and_report_conditioning():
    X, y = random_regression(n_features=5)
    qr = LinearRegression(solver="qr").fit(X, y)
    chol = LinearRegression(solver="cholesky").fit(X, y)
    np.testing.assert_allclose(qr.coef_, chol.coef_, rtol=1e-10)
    # The Gram matrix squares the condition number (up to the 1-norm vs 2-norm factor).
    assert chol.condition_number_ > qr.condition_number_ ** 2 / 25


def test_float32_is_preserved():
    X, y = random_regression(dtype=np.float32)
    for solver in EXACT_SOLVERS:
        model = LinearRegression(solver=solver).fit(X, y)
        assert model.coef_.dtype == np.float32
        assert model.predict(X).dtype == np.float32
        ref = sk.LinearRegression().fit(X.astype(float), y.astype(float))
        np.testing.assert_allclose(model.coef_, ref.coef_, rtol=2e-3, atol=2e-3)


# -- dependent columns: the minimum-norm solution --------------------------------------------


def _dependent_designs():
    """Designs whose least-squares solution is not unique, and the column each duplicates."""
    X, y = random_regression(n_samples=60, n_features=4)
    groups = np.random.default_rng(1).integers(0, 3, len(y))
    return {
        "duplicated column": (np.column_stack([X, X[:, 1]]), y),
        "collinear column": (np.column_stack([X, 2 * X[:, 0] - X[:, 3]]), y),
        "dummies beside the intercept": (np.column_stack([X, np.eye(3)[groups]]), y),
        "constant column": (np.column_stack([X, np.full(len(y), 7.0)]), y),
        "more features than samples": random_regression(n_samples=9, n_features=20),
    }


@pytest.mark.parametrize("design", list(_dependent_designs()))
@pytest.mark.parametrize("solver", EXACT_SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_dependent_columns_give_scikit_learns_minimum_norm_solution(design, solver, fit_intercept):
    X, y = _dependent_designs()[design]
    ref = sk.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    # Dummies and a constant column are only collinear with the intercept.
    deficient = fit_intercept or design not in ("dummies beside the intercept", "constant column")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = LinearRegression(solver=solver, fit_intercept=fit_intercept).fit(X, y)
    assert ours.rank_ == ref.rank_
    assert_coef_close(ours, ref, rtol=1e-10)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10,
                               atol=1e-10 * np.abs(y).max())
    categories = [w.category for w in caught]
    if deficient:
        assert ref.rank_ < X.shape[1]
        assert categories == [RankDeficientWarning] and ours.solver_ == "cod"
        assert f"rank {ref.rank_} < {X.shape[1]} columns" in str(caught[0].message)
    else:  # full rank: the fast path, without pivoting
        assert categories == [] and ours.solver_ == solver


def test_the_warning_names_the_dependent_column_and_its_feature_name():
    pd = pytest.importorskip("pandas")
    X, y = random_regression(n_features=4)
    frame = pd.DataFrame(X, columns=["age", "bmi", "bp", "s1"]).assign(bmi_copy=X[:, 1])
    for solver in EXACT_SOLVERS:
        with pytest.warns(RankDeficientWarning, match=r"X is rank deficient: rank 4 < 5 columns"
                          r"\. Column 4 \('bmi_copy'\) is a linear combination") as caught:
            model = LinearRegression(solver=solver).fit(frame, y)
        assert "Ridge(alpha > 0)" in str(caught[0].message)
        assert model.rank_ == 4
        # The minimum-norm solution shares the coefficient of a duplicated column equally.
        full = LinearRegression().fit(X, y)
        np.testing.assert_allclose(model.coef_, [*full.coef_[[0]], full.coef_[1] / 2,
                                                 *full.coef_[2:], full.coef_[1] / 2], rtol=1e-10)
    with pytest.warns(RankDeficientWarning, match="Column 4 is a linear combination"):
        LinearRegression().fit(frame.to_numpy(), y)


def test_well_conditioned_full_rank_designs_never_pivot(monkeypatch):
    """The fast paths stay fast: no complete orthogonal decomposition is computed."""

    def refuse(*args, **kwargs):
        raise AssertionError("the complete orthogonal decomposition was computed")

    monkeypatch.setattr(lstsq_module, "CompleteOrthogonalDecomposition", refuse)
    X, y = random_regression()
    for solver in EXACT_SOLVERS:
        for fit_intercept in (True, False):
            model = LinearRegression(solver=solver, fit_intercept=fit_intercept).fit(X, y)
            assert model.solver_ == solver and model.rank_ == 8


def test_cholesky_falls_back_to_qr_when_only_the_gram_matrix_is_singular():
    # Polynomial features of degree 12 on [0, 1]: κ(X) ~ 1e9 < 1/(nε) (full rank to QR), but
    # κ(XᵀX) ~ 1e18: singular to working precision. The normal equations give up, QR answers.
    x = np.linspace(0.0, 1.0, 200)
    X = x[:, None] ** np.arange(1, 13)
    y = X @ np.ones(12) + 1.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chol = LinearRegression(solver="cholesky").fit(X, y)
    # QR's own warning (κ(X) ~ 1e9 ≥ 1/√ε) and the fallback's.
    assert [w.category for w in caught] == [IllConditionedWarning] * 2
    assert "XᵀX is singular to working precision although X has full rank" in str(
        caught[1].message)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IllConditionedWarning)
        qr = LinearRegression(solver="qr").fit(X, y)
    assert chol.solver_ == "qr" and chol.rank_ == 12
    np.testing.assert_array_equal(chol.coef_, qr.coef_)


def test_one_sample_with_an_intercept_is_the_mean():
    with pytest.warns(RankDeficientWarning, match="rank 0 < 2 columns"):
        model = LinearRegression().fit([[1.0, 2.0]], [3.0])
    assert model.rank_ == 0
    np.testing.assert_array_equal(model.coef_, [0.0, 0.0])
    assert model.intercept_ == 3.0
    ref = sk.LinearRegression().fit([[1.0, 2.0]], [3.0])
    np.testing.assert_array_equal(ref.coef_, [0.0, 0.0])


def test_ridge_without_penalty_on_collinear_data_is_least_squares():
    X, y = _dependent_designs()["duplicated column"]
    for solver in ("cholesky", "qr"):
        with pytest.warns(RankDeficientWarning):
            ridge = Ridge(alpha=0.0, solver=solver).fit(X, y)
        assert_coef_close(ridge, sk.LinearRegression().fit(X, y), rtol=1e-10)


def test_ill_conditioned_warns():
    X, y = random_regression(n_features=3)
    # Nearly, but not exactly, a copy of column 0 (a small independent perturbation).
    X[:, 2] = X[:, 0] + 1e-9 * np.random.default_rng(1).standard_normal(len(y))
    with pytest.warns(IllConditionedWarning, match="ill-conditioned"):
        LinearRegression(solver="qr").fit(X, y)


def test_bad_hyper_parameters():
    X, y = random_regression()
    with pytest.raises(ValueError, match=r"solver must be one of 'qr', 'cholesky', .*'newton'"):
        LinearRegression(solver="svd").fit(X, y)
    with pytest.raises(ValueError, match="learning_rate"):
        LinearRegression(learning_rate=0.0).fit(X, y)
    with pytest.raises(ValueError, match="max_iter"):
        LinearRegression(max_iter=0).fit(X, y)
    with pytest.raises(TypeError, match="batch_size"):
        LinearRegression(batch_size=2.5).fit(X, y)
    with pytest.raises(ValueError, match="tol"):
        LinearRegression(tol=-1.0).fit(X, y)
    with pytest.raises(TypeError, match="fit_intercept"):
        LinearRegression(fit_intercept="yes").fit(X, y)
    with pytest.raises(TypeError, match="optimizer_params"):
        LinearRegression(optimizer_params=[1]).fit(X, y)


# -- Ridge -------------------------------------------------------------------------------


@pytest.mark.parametrize("solver", ["auto", "cholesky", "qr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha", [0.0, 0.3, 50.0])
def test_ridge_matches_sklearn(solver, fit_intercept, alpha):
    X, y = random_regression()
    ours = Ridge(alpha=alpha, solver=solver, fit_intercept=fit_intercept).fit(X, y)
    ref = sk.Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="svd").fit(X, y)
    assert_coef_close(ours, ref)


@pytest.mark.parametrize("solver", ["cholesky", "qr"])
def test_ridge_more_features_than_samples_and_collinear(solver):
    X, y = random_regression(n_samples=15, n_features=40)
    X[:, 1] = X[:, 0]
    ours = Ridge(alpha=2.0, solver=solver).fit(X, y)
    assert_coef_close(ours, sk.Ridge(alpha=2.0, solver="svd").fit(X, y))


def test_ridge_does_not_penalize_the_intercept():
    X, y = random_regression()
    model = Ridge(alpha=1e8).fit(X, y + 1000.0)
    # An enormous penalty shrinks w to ~0, so the intercept must become the mean of y.
    assert np.abs(model.coef_).max() < 1e-3
    np.testing.assert_allclose(model.intercept_, np.mean(y) + 1000.0, rtol=1e-6)


def test_ridge_diabetes_matches_sklearn():
    X, y = load_diabetes(return_X_y=True)
    for alpha in (0.01, 1.0):
        assert_coef_close(Ridge(alpha=alpha).fit(X, y), sk.Ridge(alpha=alpha).fit(X, y))


def test_ridge_bad_hyper_parameters():
    X, y = random_regression()
    with pytest.raises(ValueError, match=r"alpha must be in \[0"):
        Ridge(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="solver must be one of 'auto', 'cholesky', 'qr'"):
        Ridge(solver="sag").fit(X, y)
    with pytest.raises(TypeError, match="alpha"):
        Ridge(alpha="big").fit(X, y)


def test_ridge_path_matches_ridge_at_each_alpha():
    X, y = random_regression()
    alphas, coefs = ridge_path(X, y, alphas=[0.1, 10.0, 1.0], fit_intercept=True)
    np.testing.assert_array_equal(alphas, [10.0, 1.0, 0.1])
    assert coefs.shape == (8, 3)
    for k, alpha in enumerate(alphas):
        assert_close_to_scale(coefs[:, k], sk.Ridge(alpha=alpha).fit(X, y).coef_, rtol=1e-8)
    alphas, coefs = ridge_path(X[:5], y[:5], n_alphas=7)  # dual form, default grid
    assert alphas.shape == (7,) and np.all(np.diff(alphas) < 0)
    np.testing.assert_allclose(
        coefs[:, -1], sk.Ridge(alpha=alphas[-1], fit_intercept=False).fit(X[:5], y[:5]).coef_,
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="positive"):
        ridge_path(X, y, alphas=[1.0, -1.0])
