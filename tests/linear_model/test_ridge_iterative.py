"""Ridge trained by its hand-derived gradient: solver="gd", "sgd" and "minibatch".

The objective is scikit-learn's ridge objective divided by 2n,
f(w) = (||y_c - X_c w||^2 + alpha ||w||^2) / (2n), with the gradient
-(1/n) X_c^T (y_c - X_c w) + (alpha/n) w. Each solver is checked against the closed form (ours
and scikit-learn's) within the distance its stopping rule implies; the gradient against
central finite differences, our reverse-mode autodiff and PyTorch's autograd.
"""

import warnings

import numpy as np
import pytest
import torch
from sklearn.linear_model import Ridge as SkRidge

from fromscratch.exceptions import ConvergenceWarning, DivergenceError
from fromscratch.linear_model import LinearRegression, Ridge
from fromscratch.linear_model._iterative import least_squares_objective
from tolerance import assert_close_to_scale

ALPHA = 50.0


def regression_data(n=200, p=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + 3.0  # off-centre: the intercept matters
    y = X @ np.array([1.5, -2.0, 0.0, 0.7])[:p] + 4.0 + 0.3 * rng.standard_normal(n)
    return X, y


def ridge_objective(X, y, alpha, coef, intercept):
    """scikit-learn's ridge objective divided by 2n, computed from scratch here."""
    r = y - X @ coef - intercept
    return (r @ r + alpha * coef @ coef) / (2 * len(y))


def centred_hessian(X, alpha):
    """H = (X_c^T X_c + alpha I)/n, the Hessian of the objective divided by 2n."""
    Xc = X - X.mean(axis=0)
    return (Xc.T @ Xc + alpha * np.eye(X.shape[1])) / X.shape[0]


@pytest.fixture(scope="module")
def data():
    X, y = regression_data()
    exact = Ridge(alpha=ALPHA).fit(X, y)
    reference = SkRidge(alpha=ALPHA).fit(X, y)
    assert_close_to_scale(exact.coef_, reference.coef_, rtol=1e-12)
    return X, y, exact, reference


# -- full batch: the gradient rule bounds the distance -------------------------------------


@pytest.mark.parametrize("params", [
    dict(learning_rate=0.5),
    dict(learning_rate=0.2, optimizer_params={"momentum": 0.5, "nesterov": True}),
    dict(learning_rate=0.5, gradient="autodiff"),
], ids=["plain", "nesterov", "autodiff"])
def test_gd_converges_to_the_closed_form_within_its_stopping_rule(data, params):
    X, y, exact, reference = data
    tol = 1e-8
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Ridge(alpha=ALPHA, solver="gd", tol=tol, max_iter=5000, **params).fit(X, y)
    # The run stopped at max_j |df/dw_j| <= tol, so ||grad f||_2 <= sqrt(p) tol; f is
    # strongly convex with Hessian H, hence ||w - w*||_2 <= ||grad f||_2 / lambda_min(H).
    # The intercept is b = ybar - xbar^T w, so |b - b*| <= ||xbar|| ||w - w*||.
    p = X.shape[1]
    distance = np.sqrt(p) * tol / np.linalg.eigvalsh(centred_hessian(X, ALPHA))[0]
    for closed_form in (exact, reference):
        assert np.linalg.norm(model.coef_ - closed_form.coef_) <= distance
        assert abs(model.intercept_ - closed_form.intercept_) <= (
            np.linalg.norm(X.mean(axis=0)) * distance)
    assert model.n_iter_ == len(model.loss_curve_) > 1


def test_loss_curve_is_the_ridge_objective_over_2n(data):
    X, y, exact, _ = data
    model = Ridge(alpha=ALPHA, solver="gd", learning_rate=0.5, tol=None, max_iter=8).fit(X, y)
    np.testing.assert_allclose(model.loss_curve_[-1],
                               ridge_objective(X, y, ALPHA, model.coef_, model.intercept_),
                               rtol=1e-12)
    assert np.all(np.diff(model.loss_curve_) <= 0)  # step 0.5 < 2/L: monotone descent
    assert model.loss_curve_[-1] >= ridge_objective(X, y, ALPHA, exact.coef_, exact.intercept_)


def test_without_penalty_it_is_linear_regressions_loop(data):
    X, y, _, _ = data
    params = dict(solver="gd", learning_rate=0.3, tol=None, max_iter=25)
    ridge = Ridge(alpha=0.0, **params).fit(X, y)
    ols = LinearRegression(**params).fit(X, y)
    np.testing.assert_array_equal(ridge.coef_, ols.coef_)
    np.testing.assert_array_equal(ridge.loss_curve_, ols.loss_curve_)


def test_the_intercept_is_not_penalized(data):
    X, y, _, _ = data
    params = dict(alpha=ALPHA, solver="gd", learning_rate=0.5, tol=1e-10, max_iter=5000)
    model = Ridge(**params).fit(X, y)
    shifted = Ridge(**params).fit(X, y + 1000.0)
    assert_close_to_scale(shifted.coef_, model.coef_, rtol=1e-9)
    np.testing.assert_allclose(shifted.intercept_, model.intercept_ + 1000.0, rtol=1e-12)


def test_float32_is_preserved(data):
    X, y, exact, _ = data
    model = Ridge(alpha=ALPHA, solver="gd", learning_rate=0.5, tol=1e-4).fit(
        X.astype(np.float32), y.astype(np.float32))
    assert model.coef_.dtype == np.float32
    assert_close_to_scale(model.coef_, exact.coef_, rtol=1e-3)


# -- stochastic: the noise floor of a constant step ---------------------------------------


@pytest.mark.parametrize("solver,learning_rate,batch_size", [
    ("sgd", 0.005, 1), ("minibatch", 0.05, 16)])
def test_stochastic_solvers_reach_the_noise_floor_of_their_step(data, solver, learning_rate,
                                                                  batch_size):
    X, y, exact, reference = data
    n, p = X.shape
    H = centred_hessian(X, ALPHA)
    # With a constant step eta and batch gradients g_B = grad f + xi (noise of covariance
    # Sigma/b, Sigma the covariance of the per-sample gradients at the minimum), the error
    # e = w - w* obeys e <- (I - eta H) e - eta xi. Its stationary covariance C solves
    # HC + CH - eta HCH = eta Sigma/b; the trace gives
    #   E[f(w) - f*] = tr(HC)/2 <= (eta / 4b) tr(Sigma) / (1 - eta lambda_max(H) / 2)
    # for batches drawn with replacement. Shuffled epochs (each row once per epoch) only lower
    # it. The stall rule (tol, n_iter_no_change) stops once the loss has reached that floor.
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    per_sample = -Xc * (yc - Xc @ exact.coef_)[:, None] + ALPHA / n * exact.coef_
    Sigma = per_sample.T @ per_sample / n
    eta = learning_rate
    floor = eta / (4 * batch_size) * np.trace(Sigma) / (1 - eta * np.linalg.eigvalsh(H)[-1] / 2)
    optimum = ridge_objective(X, y, ALPHA, exact.coef_, exact.intercept_)
    for seed in range(4):
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            model = Ridge(alpha=ALPHA, solver=solver, learning_rate=eta, batch_size=batch_size,
                          tol=1e-6, max_iter=1000, random_state=seed).fit(X, y)
        gap = ridge_objective(X, y, ALPHA, model.coef_, model.intercept_) - optimum
        assert 0 <= gap <= floor, (seed, gap, floor)
        # Strong convexity: f(w) - f* >= lambda_min(H) ||w - w*||^2 / 2.
        distance = np.sqrt(2 * gap / np.linalg.eigvalsh(H)[0])
        for closed_form in (exact, reference):
            assert np.linalg.norm(model.coef_ - closed_form.coef_) <= distance * (1 + 1e-9)


def test_sgd_is_reproducible_and_early_stopping_keeps_the_best_epoch(data):
    X, y, _, _ = data
    params = dict(alpha=ALPHA, solver="minibatch", learning_rate=0.05, batch_size=16,
                  random_state=3, early_stopping=True, validation_fraction=0.2,
                  n_iter_no_change=3, tol=1e-6)
    first, second = Ridge(**params).fit(X, y), Ridge(**params).fit(X, y)
    np.testing.assert_array_equal(first.coef_, second.coef_)
    curve = first.validation_loss_curve_
    assert len(curve) == first.n_iter_ and first.best_iteration_ == int(np.argmin(curve)) + 1


# -- the gradient -------------------------------------------------------------------------


def test_ridge_gradient_against_finite_differences_autodiff_and_torch():
    X, y = regression_data(n=30, p=3, seed=1)
    n = len(y)
    w = np.random.default_rng(2).standard_normal(3)
    objective = least_squares_objective(l2=ALPHA / n)
    by_hand = objective.gradient(w, X, y)
    np.testing.assert_allclose(by_hand, -(X.T @ (y - X @ w)) / n + ALPHA / n * w, rtol=1e-14)
    # central differences: error O(h^2 f''') = 0 for a quadratic, rounding ~ eps |f| / h
    h = 1e-5
    central = np.array([(objective.loss(w + h * e, X, y) - objective.loss(w - h * e, X, y))
                        / (2 * h) for e in np.eye(3)])
    assert_close_to_scale(by_hand, central, rtol=1e-7)
    autodiff = least_squares_objective("autodiff", l2=ALPHA / n).gradient(w, X, y)
    assert_close_to_scale(by_hand, autodiff, rtol=1e-13)
    # PyTorch: the gradient of scikit-learn's objective ||y - Xw||^2 + alpha ||w||^2, over 2n
    w_t = torch.tensor(w, requires_grad=True)
    X_t, y_t = torch.tensor(X), torch.tensor(y)
    ((torch.sum((y_t - X_t @ w_t) ** 2) + ALPHA * torch.sum(w_t**2)) / (2 * n)).backward()
    assert_close_to_scale(by_hand, w_t.grad.numpy(), rtol=1e-13)
    np.testing.assert_allclose(objective.hessian(w, X, y), (X.T @ X + ALPHA * np.eye(3)) / n,
                               rtol=1e-14)


def test_a_batch_gradient_is_an_unbiased_estimate():
    # The penalty is per sample alpha/n with n all the rows, whatever the batch: the average
    # of the batch gradients over a partition into equal batches is the full gradient.
    X, y = regression_data(n=40, p=3, seed=4)
    w = np.ones(3)
    objective = least_squares_objective(l2=ALPHA / 40)
    batches = np.split(np.random.default_rng(0).permutation(40), 5)
    average = np.mean([objective.gradient(w, X[b], y[b]) for b in batches], axis=0)
    assert_close_to_scale(average, objective.gradient(w, X, y), rtol=1e-13)


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("params,error,message", [
    (dict(solver="newton"), ValueError, r"solver must be one of 'auto', 'cholesky', 'qr', "
                                        r"'gd', 'sgd', 'minibatch'"),
    (dict(solver="sdg"), ValueError, r"Did you mean 'sgd'"),
    (dict(solver="gd", learning_rate=0.0), ValueError, "learning_rate"),
    (dict(solver="gd", max_iter=0), ValueError, "max_iter"),
    (dict(solver="gd", tol=-1.0), ValueError, "tol"),
    (dict(solver="minibatch", batch_size=2.5), TypeError, "batch_size"),
    (dict(solver="gd", optimizer=3), TypeError, "optimizer must be an optimizer name"),
    (dict(solver="gd", optimizer_params=[1]), TypeError, "optimizer_params"),
    (dict(solver="gd", optimizer_params={"lr": 0.1}), ValueError, "learning_rate parameter"),
    (dict(solver="gd", optimizer="adamm"), ValueError, "adam"),
    (dict(solver="gd", gradient="numeric"), ValueError, "gradient must be one of"),
    (dict(solver="sgd", early_stopping="yes"), TypeError, "early_stopping"),
    (dict(solver="sgd", validation_fraction=1.0), ValueError, "validation_fraction"),
    (dict(solver="sgd", n_iter_no_change=0), ValueError, "n_iter_no_change"),
    (dict(solver="gd", alpha=-1.0), ValueError, "alpha"),
])
def test_bad_hyper_parameters(params, error, message):
    X, y = regression_data(n=20)
    with pytest.raises(error, match=message):
        Ridge(**params).fit(X, y)


def test_divergence_is_reported_with_a_hint():
    X, y = regression_data(n=50)
    with pytest.raises(DivergenceError, match="learning_rate"):
        Ridge(alpha=1.0, solver="gd", learning_rate=10.0).fit(X, y)


def test_running_out_of_epochs_warns():
    X, y = regression_data(n=50)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        Ridge(alpha=1.0, solver="gd", max_iter=3).fit(X, y)
