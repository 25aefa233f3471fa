"""The shared training machinery: the gradient loop and Newton's method, through LinearRegression
(whose exact QR answer is the reference) and directly on small objectives; the stopping rules
(the gradient for full-batch runs, scikit-learn's patience for stochastic ones) to the epoch."""

import warnings

import numpy as np
import pytest

from fromscratch.linear_model import ConvergenceWarning, LinearRegression, LogisticRegression
from fromscratch.linear_model._iterative import (
    DivergenceError,
    Objective,
    gradient_descent,
    least_squares_objective,
    newton,
    soft_threshold,
    validation_split,
)
from fromscratch.optim import Newton
from stopping_reference import sklearn_stop_epoch
from tolerance import assert_close_to_scale


def regression_data(n=200, p=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + 3.0  # off-centre: the intercept matters
    y = X @ np.array([1.5, -2.0, 0.0, 0.7])[:p] + 4.0 + 0.3 * rng.standard_normal(n)
    return X, y


@pytest.fixture(scope="module")
def qr_fit():
    X, y = regression_data()
    return X, y, LinearRegression(solver="qr").fit(X, y)


# -- LinearRegression's iterative solvers converge to the QR answer --------------------------

# (solver, hyper-parameters, tolerance). Full-batch gradient descent reaches the minimum (here
# max|gradient| <= 1e-10, so |w - w*| <= 2e-10 / lambda_min(H) with lambda_min ~ 1); with a
# constant step, SGD only hovers in a ball around it whose radius shrinks with the step size, and
# so does Adam (near the minimum its step is about lr * sign(gradient)): those run max_iter
# epochs (tol=None).
ITERATIVE = [
    ("gd", dict(learning_rate=0.5, max_iter=2000, tol=1e-10), 1e-6),
    ("gd", dict(learning_rate=0.1, max_iter=2000, tol=1e-10,
                optimizer_params={"momentum": 0.5, "nesterov": True}), 1e-6),
    ("gd", dict(optimizer="adam", learning_rate=0.005, max_iter=3000, tol=None), 5e-3),
    ("minibatch", dict(learning_rate=0.02, max_iter=300, batch_size=16, tol=None,
                       random_state=0), 2e-2),
    ("sgd", dict(learning_rate=0.002, max_iter=150, tol=None, random_state=0), 2e-2),
]


@pytest.mark.parametrize("solver,params,atol", ITERATIVE, ids=lambda v: str(v)[:40])
def test_gradient_solvers_converge_to_qr(qr_fit, solver, params, atol):
    X, y, exact = qr_fit
    model = LinearRegression(solver=solver, **params).fit(X, y)
    np.testing.assert_allclose(model.coef_, exact.coef_, atol=atol)
    np.testing.assert_allclose(model.intercept_, exact.intercept_, atol=atol * 10)
    assert model.n_iter_ == len(model.loss_curve_) >= 1


def test_newton_solves_least_squares_in_one_step(qr_fit):
    X, y, exact = qr_fit
    model = LinearRegression(solver="newton").fit(X, y)
    assert model.n_iter_ == 1  # the objective is its own quadratic model
    assert_close_to_scale(model.coef_, exact.coef_, rtol=1e-10)
    np.testing.assert_allclose(model.intercept_, exact.intercept_, rtol=1e-10)


def test_full_batch_loss_decreases_monotonically(qr_fit):
    X, y, _ = qr_fit
    result = gradient_descent(least_squares_objective(), np.zeros(4), *centred(X, y),
                              learning_rate=0.3, max_iter=50, tol=None)
    curve = result.loss_curve
    assert len(curve) == result.n_iter == 50 and np.all(np.diff(curve) <= 0)


def test_too_large_learning_rate_stops_with_a_hint(qr_fit):
    X, y, _ = qr_fit
    with pytest.raises(DivergenceError, match=r"diverged.*smaller learning_rate"):
        LinearRegression(solver="gd", learning_rate=5.0, max_iter=1000).fit(X, y)
    with pytest.raises(DivergenceError, match="smaller learning_rate"):
        LinearRegression(solver="sgd", learning_rate=10.0, random_state=0).fit(X * 100, y)
    assert issubclass(DivergenceError, FloatingPointError)


def test_random_state_makes_sgd_reproducible(qr_fit):
    X, y, _ = qr_fit
    fit = lambda seed: LinearRegression(  # noqa: E731
        solver="sgd", learning_rate=0.001, max_iter=3, tol=None, random_state=seed).fit(X, y)
    np.testing.assert_array_equal(fit(1).coef_, fit(1).coef_)
    assert not np.array_equal(fit(1).coef_, fit(2).coef_)


def test_full_batch_stops_at_the_first_epoch_with_a_small_gradient(qr_fit):
    X, y, _ = qr_fit
    Xc, yc = centred(X, y)
    iterates = [np.zeros(4)]
    result = gradient_descent(least_squares_objective(), np.zeros(4), Xc, yc, learning_rate=0.5,
                              max_iter=5000, tol=1e-3,
                              callback=lambda w: iterates.append(w.copy()) and False)
    largest = [np.max(np.abs(Xc.T @ (Xc @ w - yc))) / len(yc) for w in iterates]
    first = next(k for k, g in enumerate(largest) if g <= 1e-3)
    assert result.converged and result.n_iter == first == len(result.loss_curve)


def test_stochastic_runs_stop_at_scikit_learns_epoch(qr_fit):
    """tol=0: stop once the training loss has not decreased for n_iter_no_change epochs, counted
    by scikit-learn's SGD rule (count >= n_iter_no_change): one epoch more or less fails."""
    X, y, _ = qr_fit
    for solver in ("sgd", "minibatch"):
        model = LinearRegression(solver=solver, learning_rate=0.02, batch_size=8, tol=0.0,
                                 n_iter_no_change=3, max_iter=500, random_state=0).fit(X, y)
        assert model.n_iter_ < 500  # stopped by the rule
        assert model.n_iter_ == sklearn_stop_epoch(model.loss_curve_, 3, 0.0, rule="sgd")
        with_tol = LinearRegression(solver=solver, learning_rate=0.02, batch_size=8, tol=1e-3,
                                    n_iter_no_change=2, max_iter=500, random_state=0).fit(X, y)
        assert with_tol.n_iter_ == sklearn_stop_epoch(with_tol.loss_curve_, 2, 1e-3, rule="sgd")


# -- the gradient loop directly ----------------------------------------------------------------


def centred(X, y):
    return X - X.mean(0), y - y.mean()


def test_early_stopping_restores_the_best_validation_coefficients():
    X, y = regression_data(n=120, p=4, seed=3)
    X, y = centred(X, y)
    # noisy SGD with a large step: the validation loss goes up and down
    result = gradient_descent(
        least_squares_objective(), np.zeros(4), X, y, batch_size=1, learning_rate=0.03,
        max_iter=200, tol=1e-4, n_iter_no_change=4, early_stopping=True,
        validation_fraction=0.25, random_state=0,
    )
    val = result.validation_loss_curve
    assert len(val) == len(result.loss_curve) == result.n_iter
    assert result.best_iteration == int(np.argmin(val)) + 1
    # the returned coefficients are those of the best epoch: their validation loss is the min
    train, hold = validation_split(120, 0.25, np.random.default_rng(0))
    assert hold.size == 30 and np.intersect1d(train, hold).size == 0
    best = least_squares_objective().loss(result.coef, X[hold], y[hold])
    np.testing.assert_allclose(best, val.min(), rtol=1e-12)
    # stopped by patience (scikit-learn's SGD rule on the validation loss), to the epoch
    assert result.n_iter < 200
    assert result.n_iter == sklearn_stop_epoch(val, 4, 1e-4, rule="sgd")


def test_validation_split_is_stratified():
    labels = np.array([0] * 90 + [1] * 10)
    train, val = validation_split(100, 0.2, np.random.default_rng(0), stratify=labels)
    assert np.sum(labels[val] == 1) == 2 and np.sum(labels[val] == 0) == 18
    assert np.union1d(train, val).size == 100
    with pytest.raises(ValueError, match="validation_fraction"):
        validation_split(1, 0.5, np.random.default_rng(0))


def test_optimizer_by_name_class_and_errors():
    X, y = centred(*regression_data())
    with pytest.raises(ValueError, match=r"optimizer must be one of.*Did you mean 'adam'"):
        gradient_descent(least_squares_objective(), np.zeros(4), X, y, optimizer="adamm")
    with pytest.raises(ValueError, match="needs a closure"):
        gradient_descent(least_squares_objective(), np.zeros(4), X, y, optimizer=Newton)
    with pytest.raises(ValueError, match="must not contain 'lr'"):
        gradient_descent(least_squares_objective(), np.zeros(4), X, y,
                         optimizer_params={"lr": 0.1})
    with pytest.raises(TypeError, match="optimizer_params"):
        gradient_descent(least_squares_objective(), np.zeros(4), X, y,
                         optimizer_params={"momentun": 0.9})
    with pytest.raises(ValueError, match="nesterov"):  # the optimizer's own check
        gradient_descent(least_squares_objective(), np.zeros(4), X, y,
                         optimizer_params={"nesterov": True})


def test_l1_needs_plain_sgd_steps():
    X, y = centred(*regression_data())
    base = least_squares_objective()
    lasso = Objective(base.loss, base.gradient, base.hessian, l1=np.full(4, 0.1))
    with pytest.raises(ValueError, match="proximal"):
        gradient_descent(lasso, np.zeros(4), X, y, optimizer="adam")
    with pytest.raises(ValueError, match="proximal"):
        gradient_descent(lasso, np.zeros(4), X, y, optimizer_params={"momentum": 0.9})


def test_proximal_gradient_and_proximal_newton_solve_the_lasso():
    """ISTA and proximal Newton against scikit-learn's Lasso (same objective:
    1/(2n)||y - Xw||^2 + alpha ||w||_1)."""
    from sklearn.linear_model import Lasso

    X, y = centred(*regression_data())
    alpha = 0.3
    base = least_squares_objective()
    lasso = Objective(base.loss, base.gradient, base.hessian, l1=np.full(4, alpha))
    reference = Lasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=100_000).fit(X, y)
    assert np.sum(reference.coef_ == 0) >= 1  # the L1 term is active
    ista = gradient_descent(lasso, np.zeros(4), X, y, learning_rate=0.2, max_iter=5000,
                            tol=1e-10)  # on the proximal-gradient residual
    prox_newton = newton(lasso, np.zeros(4), X, y, tol=1e-12)
    np.testing.assert_allclose(ista.coef, reference.coef_, atol=1e-8)
    np.testing.assert_allclose(prox_newton.coef, reference.coef_, atol=1e-10)
    assert np.all(prox_newton.coef[reference.coef_ == 0] == 0)  # exact zeros


def test_soft_threshold():
    np.testing.assert_array_equal(
        soft_threshold(np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), 1.0), [-2.0, 0.0, 0.0, 0.0, 2.0]
    )


def test_callback_stops_training():
    X, y = centred(*regression_data())
    calls = []
    result = gradient_descent(least_squares_objective(), np.zeros(4), X, y, learning_rate=0.1,
                              max_iter=100, tol=None, callback=lambda w: calls.append(1) or
                              len(calls) == 3)
    assert result.n_iter == 3


# -- Newton directly -------------------------------------------------------------------------


def test_newton_warns_at_max_iter():
    # the 1-D objective log(cosh(w - 3)) has its minimum at 3; from 0 Newton needs a few steps
    obj = Objective(
        loss=lambda w, X, y: float(np.log(np.cosh(w[0] - 3.0))),
        gradient=lambda w, X, y: np.tanh(w - 3.0),
        hessian=lambda w, X, y: np.array([[1.0 / np.cosh(w[0] - 3.0) ** 2]]),
    )
    X = np.zeros((1, 1))
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        newton(obj, np.zeros(1), X, None, max_iter=2, tol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = newton(obj, np.zeros(1), X, None, tol=1e-12)
    np.testing.assert_allclose(result.coef, [3.0], atol=1e-10)
    assert result.converged and np.all(np.diff(result.loss_curve) <= 0)


def test_newton_with_null_space_and_damping():
    # f(w) = 1/2 (w1 + w2 - 2)^2: singular Hessian, flat along (1, -1)/sqrt(2)
    obj = Objective(
        loss=lambda w, X, y: 0.5 * float((w[0] + w[1] - 2.0) ** 2),
        gradient=lambda w, X, y: np.full(2, w[0] + w[1] - 2.0),
        hessian=lambda w, X, y: np.ones((2, 2)),
    )
    flat = np.array([[1.0], [-1.0]]) / np.sqrt(2.0)
    result = newton(obj, np.zeros(2), np.zeros((1, 1)), None, null_space=flat, tol=1e-12)
    np.testing.assert_allclose(result.coef, [1.0, 1.0], atol=1e-12)  # no move along the flat
    assert result.n_iter == 1
    # without the basis the singular system is damped (Levenberg-Marquardt) and still solved
    damped = newton(obj, np.zeros(2), np.zeros((1, 1)), None, tol=1e-10)
    np.testing.assert_allclose(damped.coef.sum(), 2.0, atol=1e-8)


def test_newton_needs_a_hessian():
    base = least_squares_objective()
    with pytest.raises(ValueError, match="hessian"):
        newton(Objective(base.loss, base.gradient), np.zeros(2), np.ones((3, 2)), np.ones(3))


# -- LinearRegression's gradient solvers: divergence, autodiff switch, early stopping ----------


def test_a_slowly_rising_loss_is_divergence_not_convergence():
    """A learning rate a little above 2/λ_max makes the loss climb slowly; the stall rule
    must not report that as convergence (a full-batch run used to return after 6 epochs, loss
    1.97 → 191, with no error; full batch now stops on the gradient, and runs until the loss
    blows up)."""
    X, y = regression_data()
    lam_max = float(np.max(np.linalg.eigvalsh(np.cov(X.T, bias=True))))  # of ∇²f
    model = LinearRegression(solver="gd", learning_rate=2.5 / lam_max, max_iter=60)
    with pytest.raises(DivergenceError, match="loss blew up .* try a smaller learning_rate"):
        model.fit(X, y)
    model = LinearRegression(solver="minibatch", batch_size=100, learning_rate=2.3 / lam_max,
                             max_iter=60, random_state=0)
    with pytest.raises(DivergenceError, match="loss rose from .* try a smaller learning_rate"):
        model.fit(X, y)


@pytest.mark.parametrize("solver", ["gd", "sgd", "minibatch"])
def test_autodiff_gradient_equals_the_hand_derived_one(solver):
    X, y = regression_data()
    kwargs = dict(solver=solver, learning_rate=0.05, max_iter=20, tol=None, batch_size=8,
                  random_state=0)
    analytic = LinearRegression(**kwargs).fit(X, y)
    automatic = LinearRegression(gradient="autodiff", **kwargs).fit(X, y)
    np.testing.assert_allclose(automatic.coef_, analytic.coef_, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(automatic.loss_curve_, analytic.loss_curve_, rtol=1e-12)


def test_linear_regression_early_stopping_keeps_the_best_validation_epoch():
    X, y = regression_data()
    model = LinearRegression(solver="minibatch", learning_rate=0.05, batch_size=8,
                             early_stopping=True, n_iter_no_change=3, max_iter=500,
                             random_state=0).fit(X, y)
    curve = model.validation_loss_curve_
    assert model.best_iteration_ == int(np.argmin(curve)) + 1
    assert model.n_iter_ < 500 and len(curve) == model.n_iter_
    assert model.n_iter_ == sklearn_stop_epoch(curve, 3, 1e-6, rule="sgd")  # its tol, 1e-6


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"solver": "gd", "gradient": "symbolic"}, ValueError, "gradient must be one of"),
        ({"solver": "gd", "validation_fraction": 1.0}, ValueError, "validation_fraction"),
        ({"solver": "gd", "n_iter_no_change": 0}, ValueError, "n_iter_no_change"),
        ({"solver": "gd", "early_stopping": "yes"}, TypeError, "early_stopping must be a bool"),
    ],
)
def test_linear_regression_gradient_solver_bad_input(params, error, message):
    X, y = regression_data()
    with pytest.raises(error, match=message):
        LinearRegression(**params).fit(X, y)


def test_batch_size_larger_than_the_data_is_clipped_with_a_warning():
    X, y = regression_data()
    with pytest.warns(UserWarning, match="batch_size=10000 is larger than .* clipped to 200"):
        clipped = LinearRegression(solver="minibatch", batch_size=10_000, learning_rate=0.1,
                                   max_iter=30, tol=None).fit(X, y)
    full = LinearRegression(solver="gd", learning_rate=0.1, max_iter=30, tol=None).fit(X, y)
    np.testing.assert_allclose(clipped.coef_, full.coef_, rtol=1e-12)


# -- stopping rules that mean what they say --------------------------------------------------------


def well_conditioned(n=500, p=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    return X, X @ rng.standard_normal(p) + 1.0 + 0.5 * rng.standard_normal(n)


@pytest.mark.parametrize("params", [
    dict(solver="gd", max_iter=5000),  # the defaults: learning_rate=0.01, tol=1e-6
    dict(solver="gd", learning_rate=0.5, tol=1e-9),
    dict(solver="gd", learning_rate=0.1, tol=1e-9,
         optimizer_params={"momentum": 0.9, "nesterov": True}),
    dict(solver="newton", tol=1e-9),
], ids=["gd-defaults", "gd", "nesterov", "newton"])
def test_full_batch_linear_regression_reaches_the_qr_answer(params):
    """The full-batch solvers stop on max|∇f| <= tol. For the quadratic f the error is exactly
    w - w* = H⁻¹∇f(w), so ‖w - w*‖₂ <= √p·tol / λ_min(H): the accuracy tol promises. (The old
    rule, a stalled loss, stopped gd with the defaults after ~700 epochs 0.3-0.8 % away.)"""
    X, y = well_conditioned()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # converged: no ConvergenceWarning
        model = LinearRegression(**params).fit(X, y)
    exact = LinearRegression(solver="qr").fit(X, y)
    Xc = X - X.mean(axis=0)
    lambda_min = np.linalg.eigvalsh(Xc.T @ Xc / len(y))[0]
    tol = params.get("tol", 1e-6)
    bound = np.sqrt(X.shape[1]) * tol / lambda_min
    assert np.linalg.norm(model.coef_ - exact.coef_) <= bound
    # the intercept is ȳ - x̄·w, off by at most |x̄|·|Δw|
    assert abs(model.intercept_ - exact.intercept_) <= np.linalg.norm(X.mean(axis=0)) * bound


@pytest.mark.parametrize("solver", ["gd", "newton", "lbfgs"])
def test_full_batch_logistic_regression_reaches_the_optimum(solver):
    """Against scikit-learn's answer at tol=1e-12 (same objective): near the optimum
    ‖w - w*‖ <= ‖∇F(w)‖₂ / λ_min(∇²F) to first order, with the gradient stopped at tol (×2 for
    the curvature's change over that distance)."""
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression
    from sklearn.preprocessing import StandardScaler

    X, _ = well_conditioned(p=5)
    X = StandardScaler().fit_transform(X)
    rng = np.random.default_rng(1)
    y = (rng.random(len(X)) < 1 / (1 + np.exp(-(X @ [1.0, -0.5, 0.3, 0.0, 0.8])))).astype(int)
    tol, C = 1e-7, 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = LogisticRegression(C=C, solver=solver, tol=tol, learning_rate=2.0,
                                   max_iter=20_000).fit(X, y)
    reference = SkLogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)
    w = np.r_[model.coef_.ravel(), model.intercept_]
    w_star = np.r_[reference.coef_.ravel(), reference.intercept_]
    # ∇²F at w*: X̃ᵀSX̃/n plus the penalty 1/(Cn) on the coefficients (not the intercept)
    X1 = np.column_stack([X, np.ones(len(X))])
    p = 1 / (1 + np.exp(-(X1 @ w_star)))
    H = (X1.T * (p * (1 - p))) @ X1 / len(X) + np.diag([1 / (C * len(X))] * 5 + [0.0])
    bound = 2 * np.sqrt(w.size) * tol / np.linalg.eigvalsh(H)[0]
    assert np.linalg.norm(w - w_star) <= bound


CONVERGENCE_CASES = [
    (LinearRegression, dict(solver="gd", max_iter=30)),  # the example of the issue
    (LinearRegression, dict(solver="sgd", max_iter=2, learning_rate=0.001, random_state=0)),
    (LinearRegression, dict(solver="minibatch", max_iter=2, learning_rate=0.001,
                            random_state=0)),
    (LinearRegression, dict(solver="gd", max_iter=3, early_stopping=True, random_state=0)),
    # One step lands on the least-squares minimum, but the rule (small gradient *and* small
    # Newton decrement there) needs a second look that max_iter=1 does not allow.
    (LinearRegression, dict(solver="newton", max_iter=1)),
    (LogisticRegression, dict(solver="newton", max_iter=1)),
    (LogisticRegression, dict(solver="lbfgs", max_iter=2)),
    (LogisticRegression, dict(solver="gd", max_iter=3)),
    (LogisticRegression, dict(solver="sgd", max_iter=2, random_state=0)),
    (LogisticRegression, dict(solver="minibatch", max_iter=2, random_state=0)),
]


@pytest.mark.parametrize("cls, params", CONVERGENCE_CASES,
                         ids=lambda v: v.__name__ if isinstance(v, type) else v["solver"])
def test_every_iterative_solver_warns_when_max_iter_runs_out(cls, params):
    X, y = well_conditioned()
    if cls is LogisticRegression:
        y = (y > np.median(y)).astype(int)
    expected = rf"did not converge in max_iter={params['max_iter']} "
    with pytest.warns(ConvergenceWarning, match=expected) as caught:
        model = cls(**params).fit(X, y)
    assert caught[0].filename == __file__  # reported at the user's fit
    assert model.n_iter_ == params["max_iter"]
    # tol=None means "run max_iter epochs": no warning (the gradient solvers only)
    if params["solver"] in ("gd", "sgd", "minibatch"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            cls(**{**params, "tol": None}).fit(X, y)

