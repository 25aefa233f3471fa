"""Non-negative least squares: Lawson–Hanson's active set against SciPy and scikit-learn on
problems where many constraints are active, the KKT conditions at the answer, and
``LinearRegression(positive=True)``."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import nnls as scipy_nnls
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from fromscratch.exceptions import ConvergenceWarning
from fromscratch.linalg import nnls
from fromscratch.linear_model import LinearRegression
from sklearn_checks import expected_failed_checks
from tolerance import assert_close_to_scale


def many_active(m, n, seed=0):
    """A problem whose unconstrained solution has about half its entries negative: those
    constraints are active at the NNLS solution."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(m, n))
    x_true = rng.normal(size=n)
    return A, A @ x_true + 0.1 * rng.normal(size=m)


def assert_kkt(A, b, x, scale=1e-10):
    r"""x ≥ 0; the negative gradient g = Aᵀ(b − Ax) is ≤ 0 where x = 0 and 0 where x > 0;
    x_j g_j = 0 — each to ``scale`` times |A|·|b|, the size of the entries of g."""
    g = A.T @ (b - A @ x)
    size = np.abs(A).max() * np.abs(b).sum()
    assert np.all(x >= 0)
    active = x == 0
    assert np.all(g[active] <= scale * size)
    np.testing.assert_allclose(g[~active], 0.0, atol=scale * size)
    np.testing.assert_allclose(x * g, 0.0, atol=scale * size * max(1.0, x.max()))


@pytest.mark.parametrize("shape", [(50, 10), (200, 40), (30, 30), (10, 25)],
                         ids=["tall", "taller", "square", "wide"])
@pytest.mark.parametrize("seed", range(5))
def test_matches_scipy_where_many_constraints_are_active(shape, seed):
    A, b = many_active(*shape, seed=seed)
    x, rnorm = nnls(A, b)
    x_ref, rnorm_ref = scipy_nnls(A, b)
    active = x_ref == 0
    assert active.sum() >= shape[1] // 5  # the point of the problem
    np.testing.assert_array_equal(x == 0, active)
    assert_close_to_scale(x, x_ref, 1e-10)
    assert rnorm == pytest.approx(rnorm_ref, rel=1e-12)
    assert_kkt(A, b, x)


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 30), n=st.integers(1, 12), seed=st.integers(0, 2**16),
       duplicate=st.booleans())
def test_kkt_conditions_hold(m, n, seed, duplicate):
    """Any shape, dependent columns included (a duplicated column): the answer is optimal."""
    A, b = many_active(m, n, seed)
    if duplicate and n > 1:
        A[:, -1] = A[:, 0]
    x, rnorm = nnls(A, b)
    assert_kkt(A, b, x)
    assert rnorm == pytest.approx(np.linalg.norm(A @ x - b), rel=1e-12, abs=1e-14)
    # As low as SciPy's. Where b is reached exactly (wide A, say), the optimal residual is 0
    # and any computed one is rounding on the scale of b: SciPy's happened to be 0.0 and ours
    # 4.95e-14 for |b| = 2 (m=4, n=11, seed=3998), ~110 eps |b|; hence the bound relative to |b|.
    slack = 2**10 * np.finfo(float).eps * np.linalg.norm(b)
    assert rnorm <= scipy_nnls(A, b)[1] * (1 + 1e-10) + slack


def test_the_active_set_step_by_step():
    """The first variable to enter is the steepest, argmax Aᵀb; every full step is the least-
    squares solution on its passive columns; the residual falls; the last step is the answer."""
    A, b = many_active(40, 8, seed=3)
    steps = []
    x, _ = nnls(A, b, callback=lambda x, passive: steps.append((x, passive)))
    assert steps[0][1].sum() == 1 and steps[0][1][np.argmax(A.T @ b)]
    residuals = [np.linalg.norm(A @ x_k - b) for x_k, _ in steps]
    assert np.all(np.diff(residuals) <= 1e-12 * residuals[0])
    for x_k, passive in steps:
        assert np.all(x_k >= 0) and np.all(x_k[~passive] == 0)
    x_last, passive_last = steps[-1]
    np.testing.assert_array_equal(x_last, x)
    ls = np.linalg.lstsq(A[:, passive_last], b, rcond=None)[0]
    assert_close_to_scale(x[passive_last], ls, 1e-12)


def test_without_a_descent_direction_the_answer_is_zero():
    """Aᵀb ≤ 0: no variable can lower the residual from x = 0."""
    A = np.abs(np.random.default_rng(0).normal(size=(10, 3)))
    x, rnorm = nnls(A, -np.ones(10))
    np.testing.assert_array_equal(x, 0.0)
    assert rnorm == pytest.approx(np.sqrt(10))


def test_running_out_of_iterations_warns():
    A, b = many_active(50, 10)
    with pytest.warns(ConvergenceWarning, match="max_iter=1 active-set iterations"):
        x, _ = nnls(A, b, max_iter=1)
    assert np.all(x >= 0)


def test_bad_input_is_named():
    A, b = many_active(10, 3)
    with pytest.raises(ValueError, match=r"b must be 1-D with one entry per row of A \(10\)"):
        nnls(A, b[:5])
    with pytest.raises(ValueError, match="A must be a 2-D array"):
        nnls(b, b)
    with pytest.raises(ValueError, match="A contains 1 NaN"):
        nnls(np.where(A == A[0, 0], np.nan, A), b)
    with pytest.raises(ValueError, match=r"tol must be in \[0, inf\)"):
        nnls(A, b, tol=-1.0)


# -- the estimator -------------------------------------------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_positive_linear_regression_matches_scikit_learn(seed, fit_intercept, weighted):
    A, b = many_active(120, 15, seed=seed)
    A[:, 0] += 5.0  # off-centre: the (free) intercept matters
    w = np.random.default_rng(seed).uniform(0.1, 3.0, size=120) if weighted else None
    ours = LinearRegression(positive=True, fit_intercept=fit_intercept).fit(A, b, w)
    ref = SkLinearRegression(positive=True, fit_intercept=fit_intercept).fit(A, b,
                                                                             sample_weight=w)
    assert (ref.coef_ == 0).sum() >= 3
    np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_ == 0)
    assert_close_to_scale(ours.coef_, ref.coef_, 1e-10)
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-10, abs=1e-10)
    assert_close_to_scale(ours.predict(A), ref.predict(A), 1e-10)
    # KKT of the problem the estimator solves: the centered (weighted) least squares
    s = np.ones(120) if w is None else w
    Xc = A - (np.average(A, axis=0, weights=s) if fit_intercept else 0.0)
    yc = b - (np.average(b, weights=s) if fit_intercept else 0.0)
    root = np.sqrt(s)
    assert_kkt(Xc * root[:, None], yc * root, ours.coef_)
    assert ours.n_iter_ >= 1


def test_positive_needs_the_qr_solver():
    A, b = many_active(30, 4)
    for solver in ("cholesky", "gd", "sgd", "minibatch", "newton"):
        with pytest.raises(ValueError, match=rf"positive=True needs solver='qr'.*{solver}"):
            LinearRegression(positive=True, solver=solver).fit(A, b)
    with pytest.raises(TypeError, match="positive must be a bool"):
        LinearRegression(positive="yes").fit(A, b)


def test_positive_changes_nothing_when_the_solution_is_positive():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(100, 4))
    b = A @ np.array([1.0, 2.0, 0.5, 3.0]) + 0.01 * rng.normal(size=100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        constrained = LinearRegression(positive=True).fit(A, b)
    assert_close_to_scale(constrained.coef_, LinearRegression().fit(A, b).coef_, 1e-12)


@parametrize_with_checks([LinearRegression(positive=True)],
                         expected_failed_checks=expected_failed_checks)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
