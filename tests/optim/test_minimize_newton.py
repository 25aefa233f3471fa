"""Newton's method (Hessian from autodiff) and minimize(), on problems with known answers."""

from __future__ import annotations

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch import optim
from fromscratch.autodiff import Tensor
from fromscratch.benchfunctions import get
from fromscratch.optim import OPTIMIZERS, Newton, minimize
from fromscratch.optim.newton import backtracking_line_search, newton_direction
from tolerance import assert_close_to_scale

ROSENBROCK = get("rosenbrock")


def _quadratic(dim=20, condition=1e3, seed=0):
    """A, b and f(x) = x^T A x / 2 - b^T x (written with anp-compatible operations)."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    A = Q @ np.diag(np.logspace(0, np.log10(condition), dim)) @ Q.T
    b = rng.standard_normal(dim)
    return A, b, lambda x: 0.5 * (x @ (A @ x)) - b @ x


# --- Newton -----------------------------------------------------------------------------------


def test_newton_minimizes_a_convex_quadratic_in_one_step():
    A, b, f = _quadratic()
    x = Tensor(np.zeros(20))
    opt = Newton([x])
    loss = opt.step(f)
    assert loss == 0.0  # f at the start, x = 0
    assert_close_to_scale(x.data, np.linalg.solve(A, b), rtol=1e-9)
    assert opt.state[x] == {"step": 1, "shift": 0.0, "step_size": 1.0}
    np.testing.assert_allclose(x.grad, -b)  # the gradient where the step started


def test_newton_with_several_parameters_of_different_shapes():
    """The parameters are flattened into one vector for the Hessian and written back."""
    A, b, f = _quadratic(dim=10, seed=1)
    W, v = Tensor(np.ones((2, 3))), Tensor(np.ones(4))
    opt = Newton([W, v])
    opt.step(lambda W_, v_: f(anp.concatenate([W_.reshape(6), v_])))
    solution = np.linalg.solve(A, b)
    assert_close_to_scale(W.data, solution[:6].reshape(2, 3), rtol=1e-9)
    assert_close_to_scale(v.data, solution[6:], rtol=1e-9)


def test_newton_converges_on_rosenbrock():
    x = Tensor(np.array([-1.2, 1.0]))
    opt = Newton([x])
    losses = [opt.step(ROSENBROCK) for _ in range(25)]
    np.testing.assert_allclose(x.data, [1.0, 1.0], rtol=1e-10)
    assert all(b <= a for a, b in zip(losses, losses[1:], strict=False))  # the line search
    # Quadratic convergence at the end: the error is roughly squared each step.
    assert losses[-6] < 1e-3 and losses[-3] < 1e-15


def test_damping_turns_an_indefinite_hessian_into_a_descent_direction():
    r"""f = x^2 - y^2 + y^4 at (0.01, 0.1): H = diag(2, -1.88) is indefinite, and the undamped
    Newton step heads for the saddle at the origin, uphill. The damped step descends, and the
    iteration reaches the minimum (0, 1/sqrt(2))."""

    def f(p):
        return p[0] ** 2 - p[1] ** 2 + p[1] ** 4

    start = np.array([0.01, 0.1])
    g = np.array([0.02, -0.2 + 4 * 0.1**3])
    H = np.diag([2.0, -2.0 + 12 * 0.1**2])
    undamped = -np.linalg.solve(H, g)
    assert g @ undamped > 0  # uphill: the trap damping avoids

    d, shift = newton_direction(g, H)
    assert shift > 1.88 and g @ d < 0
    assert np.all(np.linalg.eigvalsh(H + shift * np.eye(2)) > 0)

    x = Tensor(start)
    opt = Newton([x])
    losses = [opt.step(f) for _ in range(30)]
    assert all(b <= a for a, b in zip(losses, losses[1:], strict=False))
    np.testing.assert_allclose(x.data, [0.0, 1 / np.sqrt(2)], atol=1e-10)


def test_newton_direction_equals_a_solve_when_the_hessian_is_positive_definite():
    A, b, _ = _quadratic(dim=6, seed=2)
    d, shift = newton_direction(b, A)
    assert_close_to_scale(d, -np.linalg.solve(A, b), rtol=1e-10)
    assert shift == 0.0
    d, shift = newton_direction(b, A, damping=2.0)
    np.testing.assert_allclose(d, -np.linalg.solve(A + 2 * np.eye(6), b), rtol=1e-10)
    assert shift == 2.0


def test_backtracking_line_search_satisfies_armijo():
    x, d = np.array([-1.2, 1.0]), np.array([1.0, 0.0])  # too long a step along x
    g = np.array([-215.6, -88.0])
    fx = ROSENBROCK(x)
    t, f_new = backtracking_line_search(ROSENBROCK, x, d, fx, g @ d)
    assert f_new == ROSENBROCK(x + t * d)
    assert f_new <= fx + 1e-4 * t * (g @ d)
    assert ROSENBROCK(x + 2 * t * d) > fx + 1e-4 * 2 * t * (g @ d)  # t is the first that works
    # When no step length gives a finite, lower value, no step is taken.
    def nan_away_from_x(z):
        return fx if np.array_equal(z, x) else np.nan

    assert backtracking_line_search(nan_away_from_x, x, d, fx, g @ d) == (0.0, fx)


def test_newton_without_line_search_takes_the_step_lr():
    A, b, f = _quadratic(dim=5, seed=3)
    x = Tensor(np.zeros(5))
    Newton([x], lr=0.5, line_search_fn=None).step(f)
    assert_close_to_scale(x.data, 0.5 * np.linalg.solve(A, b), rtol=1e-9)


@pytest.mark.filterwarnings("ignore:invalid value encountered in log:RuntimeWarning")
def test_newton_bad_input():
    x = Tensor(np.zeros(2))
    with pytest.raises(ValueError, match="needs a closure"):
        Newton([x]).step()
    with pytest.raises(ValueError, match="single parameter group"):
        Newton([{"params": [x]}, {"params": [Tensor(np.zeros(1))]}])
    with pytest.raises(ValueError, match="line_search_fn must be one of 'backtracking'"):
        Newton([x], line_search_fn="wolfe")
    with pytest.raises(ValueError, match=r"damping must be in \[0"):
        Newton([x], damping=-1.0)
    with pytest.raises(FloatingPointError, match="not finite"):
        Newton([Tensor(np.array([-1.0]))]).step(lambda v: anp.log(v).sum())


# --- minimize -----------------------------------------------------------------------------------


def test_minimize_records_the_run():
    A, b, f = _quadratic(dim=5, condition=10.0, seed=4)
    x0 = np.ones(5)
    result = minimize(f, x0, "sgd", steps=2000, tol=1e-8, lr=0.1)
    assert result.converged and not result.diverged
    assert_close_to_scale(result.x, np.linalg.solve(A, b), rtol=1e-7)
    n = result.n_steps
    assert result.trajectory.shape == (n + 1, 5) and result.losses.shape == (n + 1,)
    np.testing.assert_array_equal(result.trajectory[0], x0)
    np.testing.assert_array_equal(result.trajectory[-1], result.x)
    np.testing.assert_allclose(result.losses, [f(x) for x in result.trajectory], rtol=1e-12)
    norms = [np.linalg.norm(A @ x - b) for x in result.trajectory]
    # Near the minimum A x - b cancels: both sides carry absolute rounding ~ eps ||A|| ||x||.
    np.testing.assert_allclose(result.grad_norms, norms, rtol=1e-9, atol=1e-13)
    assert result.grad_norms[-1] <= 1e-8 < result.grad_norms[-2]
    assert result.fun == result.losses[-1]
    assert "converged" in result.message


def test_minimize_follows_the_same_path_as_a_hand_written_loop():
    x0 = np.array([-1.2, 1.0])
    result = minimize(ROSENBROCK, x0, "nadam", steps=50, lr=0.01)
    x = Tensor(x0)
    opt = optim.NAdam([x], lr=0.01)
    path = [x.data.copy()]
    for _ in range(50):
        x.grad = np.array(
            [-2 * (1 - x.data[0]) - 400 * x.data[0] * (x.data[1] - x.data[0] ** 2),
             200 * (x.data[1] - x.data[0] ** 2)]
        )
        opt.step()
        path.append(x.data.copy())
    np.testing.assert_allclose(result.trajectory, path, rtol=1e-12)
    assert not result.converged and result.n_steps == 50
    # running out of steps is reported (minimize returns, as SciPy's does, rather than warn)
    grad_norm = f"{result.grad_norms[-1]:.3g}"
    assert result.message == (f"NAdam did not converge in 50 steps (gradient norm {grad_norm} > "
                              "tol=1e-06); increase steps or tune the hyper-parameters.")



def test_tol_zero_runs_every_step_and_says_so():
    result = minimize(ROSENBROCK, np.array([-1.2, 1.0]), "adam", steps=20, tol=0.0, lr=0.01)
    assert result.n_steps == 20 and not result.converged
    assert result.message == "ran all 20 steps (tol=0: no stopping rule)."

@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_runs_by_name(name):
    _, _, f = _quadratic(dim=4, condition=10.0, seed=5)
    result = minimize(f, np.ones(4), name, steps=30)
    assert result.losses[-1] < result.losses[0]
    assert type(result.optimizer).__name__.lower() == name


def test_minimize_with_newton_and_by_class():
    result = minimize(ROSENBROCK, [-1.2, 1.0], Newton, tol=1e-9)
    assert result.converged and result.n_steps < 30
    np.testing.assert_allclose(result.x, [1.0, 1.0], rtol=1e-9)
    assert minimize(ROSENBROCK, [-1.2, 1.0], "Adam", steps=3).optimizer.defaults["lr"] == 1e-3


def test_float32_is_kept():
    result = minimize(lambda x: (x**2).sum(), np.ones(3, dtype=np.float32), "adam", steps=5)
    assert result.x.dtype == np.float32 and result.trajectory.dtype == np.float32


def test_steps_zero_evaluates_the_start_only():
    result = minimize(lambda x: (x**2).sum(), [1.0, 2.0], steps=0)
    assert result.n_steps == 0 and result.trajectory.shape == (1, 2) and result.fun == 5.0


def test_divergence_by_blow_up_stops_with_a_hint():
    with pytest.warns(RuntimeWarning, match="lr=0.01 is probably too large"):
        result = minimize(ROSENBROCK, [-1.2, 1.0], "sgd", steps=100, lr=1e-2)
    assert result.diverged and not result.converged
    assert "blew up" in result.message and "e.g. 0.001" in result.message
    assert np.all(np.isfinite(result.trajectory)) and np.all(np.isfinite(result.losses))
    assert result.n_steps == len(result.trajectory)  # the step that blew up was taken


def test_divergence_by_nan_is_never_silent():
    # log(x) with a big step jumps to x < 0, where log is NaN.
    with pytest.warns(RuntimeWarning, match="the loss became nan"):
        result = minimize(lambda x: -anp.log(x).sum() + x.sum(), [0.5], "sgd", steps=10, lr=5.0)
    assert result.diverged and np.all(np.isfinite(result.trajectory))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (dict(optimizer="adm"), ValueError, "Did you mean 'adam'"),
        (dict(optimizer="rmsprob"), ValueError, "Did you mean 'rmsprop'"),
        (dict(optimizer=3), TypeError, "optimizer must be a name"),
        (dict(optimizer=dict), TypeError, "optimizer must be a name"),
        (dict(x0=np.ones((2, 2))), ValueError, r"x0 must be a 1-D vector .* shape \(2, 2\)"),
        (dict(x0=[1.0, np.nan]), ValueError, "x0 contains 1 NaN"),
        (dict(x0=5.0), ValueError, "x0 must be an array"),
        (dict(steps=-1), ValueError, r"steps must be in \[0"),
        (dict(tol=-1.0), ValueError, r"tol must be in \[0"),
        (dict(momentum=0.9), TypeError, r"Adam has no hyper-parameter\(s\) \['momentum'\]"),
        (dict(lr=-1.0), ValueError, r"lr must be in \[0"),
        (dict(f=None), TypeError, "f must be callable"),
        (dict(f=lambda x: anp.log(x - 10).sum()), ValueError, "the start must be a point"),
    ],
)
def test_minimize_bad_input(kwargs, error, message):
    arguments = dict(f=lambda x: (x**2).sum(), x0=[1.0, 2.0])
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        minimize(**arguments)
