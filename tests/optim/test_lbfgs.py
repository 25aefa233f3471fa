"""L-BFGS against torch.optim.LBFGS (float64, iterate for iterate), its pieces against their
mathematical definitions, minimize("lbfgs"), state_dict and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from fromscratch import optim
from fromscratch.autodiff import Tensor
from fromscratch.benchfunctions import get
from fromscratch.optim import LBFGS, minimize
from fromscratch.optim.lbfgs import cubic_interpolate, strong_wolfe, two_loop_direction
from tolerance import assert_close_to_scale

# --- against torch.optim.LBFGS ---------------------------------------------------------------


class Run:
    """L-BFGS over a Problem's parameters in one framework; both get the same analytic
    gradient, so the comparison depends on nothing but the optimizer."""

    def __init__(self, framework, problem, **hyper):
        self.problem = problem
        pieces = problem.split(problem.x0)
        if framework == "ours":
            self.torch = None
            self.params = [Tensor(a, requires_grad=True) for a in pieces]
            self.opt = LBFGS(self.params, **hyper)
        else:
            import torch

            self.torch = torch
            self.params = [torch.tensor(a, requires_grad=True) for a in pieces]
            self.opt = torch.optim.LBFGS(self.params, **hyper)
        self.evaluated = []  # every point the closure was called at

    def x(self):
        if self.torch is None:
            return np.concatenate([p.data.ravel() for p in self.params])
        return np.concatenate([p.detach().numpy().ravel() for p in self.params])

    def closure(self):
        x = self.x()
        self.evaluated.append(x)
        for p, g in zip(self.params, self.problem.split(self.problem.grad(x)), strict=True):
            p.grad = g if self.torch is None else self.torch.from_numpy(g)
        return self.problem.f(x)

    def step(self):
        loss = self.opt.step(self.closure)
        return float(loss), self.x()

    def state(self):
        return self.opt.state[self.params[0]]


# Line search off: a fixed step, small enough not to diverge in 16 iterations.
LINE_SEARCH = {None: dict(lr=0.1), "strong_wolfe": dict(line_search_fn="strong_wolfe")}


@pytest.mark.parametrize("line_search", LINE_SEARCH, ids=["fixed-step", "strong-wolfe"])
@pytest.mark.parametrize("history_size", [3, 100])
def test_iterates_equal_torch(problem, line_search, history_size, torch64):
    """Four step() calls of up to four iterations; with history_size=3 the history wraps.

    Both frameworks differ in rounding only (torch fuses a multiply-add); L-BFGS amplifies
    that slowly, so after 16 iterations the iterates still agree to ~1e-12.
    """
    hyper = dict(max_iter=4, history_size=history_size, **LINE_SEARCH[line_search])
    ours, ref = Run("ours", problem, **hyper), Run("torch", problem, **hyper)
    for _ in range(4):
        loss, x = ours.step()
        ref_loss, ref_x = ref.step()
        scale = np.abs(ref_x).max()
        np.testing.assert_allclose(x, ref_x, rtol=1e-10, atol=1e-13 * scale)
        np.testing.assert_allclose(loss, ref_loss, rtol=1e-10)
    assert len(ours.evaluated) == len(ref.evaluated)  # the same evaluations, same points
    np.testing.assert_allclose(ours.evaluated, ref.evaluated, rtol=1e-10,
                               atol=1e-13 * np.abs(ref.evaluated).max())
    state, ref_state = ours.state(), ref.state()
    # (a line search can spend a step's max_eval = 5 evaluations before its 4 iterations)
    assert state["n_iter"] == ref_state["n_iter"] >= 12
    assert state["func_evals"] == ref_state["func_evals"]
    assert len(state["old_dirs"]) == len(ref_state["old_dirs"])
    assert len(state["old_dirs"]) == (3 if history_size == 3 else state["n_iter"] - 1)
    for name in ("d", "prev_flat_grad"):
        np.testing.assert_allclose(state[name], ref_state[name].numpy(), rtol=1e-9,
                                   atol=1e-12 * np.abs(ref_state[name].numpy()).max())
    np.testing.assert_allclose(state["H_diag"], float(ref_state["H_diag"]), rtol=1e-9)
    np.testing.assert_allclose(state["ro"], [float(r) for r in ref_state["ro"]], rtol=1e-9)


@pytest.mark.parametrize("line_search", LINE_SEARCH, ids=["fixed-step", "strong-wolfe"])
def test_stops_like_torch_at_its_tolerances(rosenbrock_problem, line_search, torch64):
    """Run to the end (default tolerances, max_iter=100): the same stopping iteration."""
    hyper = dict(max_iter=100, max_eval=200, **LINE_SEARCH[line_search])
    ours, ref = Run("ours", rosenbrock_problem, **hyper), Run("torch", rosenbrock_problem, **hyper)
    _, x = ours.step()
    _, ref_x = ref.step()
    assert ours.state()["n_iter"] == ref.state()["n_iter"]
    assert ours.state()["func_evals"] == ref.state()["func_evals"]
    np.testing.assert_allclose(x, ref_x, rtol=1e-6)  # rounding amplified over ~100 iterations
    if line_search:
        np.testing.assert_allclose(x, [1.0, 1.0], rtol=1e-4)


def test_minimize_takes_torch_iterates_one_per_step(torch64):
    """minimize(..., "lbfgs") runs max_iter=1 per step with its tolerances off: the trajectory
    is torch's LBFGS(max_iter=1, max_eval=25, tolerance_grad=0, tolerance_change=0) stepped."""
    torch = torch64
    result = minimize(get("rosenbrock"), [-1.2, 1.0], "lbfgs", steps=15, tol=0.0,
                      line_search_fn="strong_wolfe")
    x = torch.tensor([-1.2, 1.0], requires_grad=True)
    opt = torch.optim.LBFGS([x], max_iter=1, max_eval=25, tolerance_grad=0.0,
                            tolerance_change=0.0, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        loss.backward()
        return loss

    trajectory = [x.detach().numpy().copy()]
    for _ in range(15):
        opt.step(closure)
        trajectory.append(x.detach().numpy().copy())
    np.testing.assert_allclose(result.trajectory, trajectory, rtol=1e-10, atol=1e-14)


# --- the pieces, against their definitions ---------------------------------------------------


def _pairs(dim, m, seed):
    """m pairs (s, y = A s) on a random positive definite A, and a gradient."""
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((dim, dim))
    A = B @ B.T + dim * np.eye(dim)
    steps = [rng.standard_normal(dim) for _ in range(m)]
    return A, steps, [A @ s for s in steps], rng.standard_normal(dim)


@pytest.mark.parametrize("m", [1, 3, 8])
def test_two_loop_recursion_is_the_bfgs_update(m):
    """-H g from the two loops equals the dense BFGS inverse-Hessian update (N&W eq. 7.19)
    applied m times to gamma I."""
    dim = 8
    _, steps, diffs, g = _pairs(dim, m, seed=m)
    rhos = [1.0 / float(y @ s) for s, y in zip(steps, diffs, strict=True)]
    gamma = float(steps[-1] @ diffs[-1]) / float(diffs[-1] @ diffs[-1])
    H = gamma * np.eye(dim)
    for s, y, rho in zip(steps, diffs, rhos, strict=True):
        V = np.eye(dim) - rho * np.outer(y, s)
        H = V.T @ H @ V + rho * np.outer(s, s)
    d = two_loop_direction(g, steps, diffs, rhos, gamma)
    assert_close_to_scale(d, -H @ g, rtol=1e-10)
    # the secant equation for the newest pair: H y = s
    np.testing.assert_allclose(H @ diffs[-1], steps[-1], rtol=1e-10)
    assert g @ d < 0  # positive definite H: a descent direction


@pytest.mark.parametrize("m", [1, 100])
def test_with_exact_line_searches_it_is_conjugate_gradients_on_a_quadratic(m):
    """On f = x'Ax/2 - b'x with exact line searches, L-BFGS (any memory m >= 1, any gamma)
    takes the iterates of conjugate gradients, so it reaches the minimum in dim steps."""
    dim = 12
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    A = Q @ np.diag(np.logspace(0, 2, dim)) @ Q.T
    b = rng.standard_normal(dim)

    x, g = np.zeros(dim), -b
    steps, diffs, rhos, gamma = [], [], [], 1.0
    x_cg, r, p = np.zeros(dim), b.copy(), b.copy()  # conjugate gradients (Fletcher-Reeves)
    for _ in range(dim):
        d = two_loop_direction(g, steps[-m:], diffs[-m:], rhos[-m:], gamma)
        s = (-float(g @ d) / float(d @ A @ d)) * d  # the exact minimizer along d
        x = x + s
        y = A @ x - b - g
        steps.append(s), diffs.append(y), rhos.append(1.0 / float(y @ s))
        gamma = float(s @ y) / float(y @ y)
        g = g + y

        alpha = float(r @ r) / float(p @ A @ p)
        x_cg = x_cg + alpha * p
        r_new = r - alpha * (A @ p)
        p = r_new + (float(r_new @ r_new) / float(r @ r)) * p
        r = r_new
        # (both lose conjugacy to rounding a little differently: ~1e-7 by the end)
        np.testing.assert_allclose(x, x_cg, rtol=0, atol=1e-6 * np.abs(x_cg).max())
    solution = np.linalg.solve(A, b)
    np.testing.assert_allclose(x, solution, rtol=0, atol=1e-6 * np.abs(solution).max())


def test_cubic_interpolation_finds_the_minimum_of_a_cubic():
    def f(t):
        return (t - 1.0) ** 3 / 3 - 2 * (t - 1.0)  # local minimum at t = 1 + sqrt(2)

    def df(t):
        return (t - 1.0) ** 2 - 2

    for x1, x2 in [(0.0, 4.0), (4.0, 0.5), (1.5, 3.0)]:
        t = cubic_interpolate(x1, f(x1), df(x1), x2, f(x2), df(x2))
        assert t == pytest.approx(1 + np.sqrt(2), rel=1e-12)
    # clipped to the bounds; and without a local minimum, the midpoint of the bounds
    assert cubic_interpolate(0.0, f(0.0), df(0.0), 4.0, f(4.0), df(4.0), bounds=(0, 2)) == 2
    assert cubic_interpolate(0.0, 0.0, 4.0, 1.0, 3.0, 4.0, bounds=(2.0, 6.0)) == 4.0
    # Equal slopes with d2 = 0 (f = t³ + ... degenerate): the formula divides by zero; bisect.
    assert cubic_interpolate(0.0, 0.0, 3.0, 1.0, 1.0, 3.0) == 0.5
    assert cubic_interpolate(1.0, 1.0, 3.0, 0.0, 0.0, 3.0) == 0.5
    # Huge slopes (a line search running away on an unbounded function) overflow: bisect.
    assert cubic_interpolate(0.0, 0.0, -1e200, 1.0, -1e300, -1e200) == 0.5
    assert cubic_interpolate(0.0, 0.0, -1.0, 1.0, np.nan, np.nan) == 0.5


@pytest.mark.parametrize("t0", [1e-3, 1.0, 50.0])
def test_strong_wolfe_returns_a_step_that_satisfies_both_conditions(rosenbrock_problem, t0):
    """phi(t) = f(x + t d) for a Rosenbrock slice: from too short, fine, and too long trials."""
    fn = rosenbrock_problem
    x, d = np.array([-1.2, 1.0]), np.array([1.0, -0.5])

    def phi(t):
        point = x + t * d
        return float(fn.f(point)), fn.grad(point)

    f0, g0 = phi(0.0)
    gtd = float(g0 @ d)
    assert gtd < 0
    f_new, g_new, t, evals = strong_wolfe(phi, t0, d, f0, g0, gtd)
    assert f_new == phi(t)[0] and np.array_equal(g_new, phi(t)[1])
    assert f_new <= f0 + 1e-4 * t * gtd
    assert abs(g_new @ d) <= 0.9 * abs(gtd)
    assert 1 <= evals <= 25


def test_an_overflowing_trial_shrinks_the_step():
    """f = NaN beyond t = 2 (as where a loss overflows): the search backs off to a finite step."""
    d = np.array([1.0])

    def phi(t):
        if t > 2.0:
            return np.nan, np.array([np.nan])
        return (t - 1.5) ** 2, np.array([2 * (t - 1.5)])

    f_new, _, t, _ = strong_wolfe(phi, 100.0, d, *phi(0.0), gtd=-3.0)
    assert np.isfinite(f_new) and 0 < t <= 2.0 and f_new < phi(0.0)[0]


# --- the optimizer contract ------------------------------------------------------------------


def _rosenbrock_model():
    x = Tensor(np.array([-1.2, 1.0]), requires_grad=True)

    def loss_of(opt):
        def closure():
            opt.zero_grad()
            loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
            loss.backward()
            return loss
        return closure

    return x, loss_of


def test_a_torch_style_closure_with_backward_reaches_the_minimum():
    x, loss_of = _rosenbrock_model()
    opt = LBFGS([x], line_search_fn="strong_wolfe")
    first = opt.step(loss_of(opt))
    assert isinstance(first, Tensor) and float(first) == pytest.approx(24.2)
    for _ in range(4):
        opt.step(loss_of(opt))
    # (torch stops at the same point: its default tolerance_change=1e-9 ends the run)
    np.testing.assert_allclose(x.data, [1.0, 1.0], rtol=1e-4)
    assert opt.state[x]["n_iter"] < 60
    # there, a step does not move: the direction's slope is below tolerance_change
    before = x.data.copy()
    opt.step(loss_of(opt))
    assert np.array_equal(x.data, before)


def test_float32_parameters_stay_float32():
    x = Tensor(np.array([3.0, -1.0], dtype=np.float32), requires_grad=True)
    opt = LBFGS([x], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((x - 1.0) ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    assert x.data.dtype == np.float32
    np.testing.assert_allclose(x.data, [1.0, 1.0], rtol=1e-6)


def test_state_dict_resumes_bit_for_bit(problem):
    """Saved mid-run (also through JSON-like lists) and loaded into a fresh optimizer."""
    hyper = dict(max_iter=3, history_size=4, line_search_fn="strong_wolfe")
    run = Run("ours", problem, **hyper)
    for _ in range(3):
        run.step()
    saved = run.opt.state_dict()
    assert sorted(saved["state"]) == [0]
    assert len(saved["state"][0]["old_stps"]) == 4
    saved_x = run.x()
    as_lists = {
        "state": {"0": {k: ([a.tolist() for a in v] if k in ("old_dirs", "old_stps")
                            else v.tolist() if isinstance(v, np.ndarray) else v)
                        for k, v in saved["state"][0].items()}},
        "param_groups": saved["param_groups"],
    }
    for _ in range(2):
        run.step()
    for state_dict in (saved, as_lists):
        resumed = Run("ours", problem, **hyper)
        for p, a in zip(resumed.params, problem.split(saved_x), strict=True):
            p.data[...] = a
        resumed.opt.load_state_dict(state_dict)
        for _ in range(2):
            resumed.step()
        np.testing.assert_array_equal(resumed.x(), run.x())
    assert len(saved["state"][0]["old_stps"]) == 4  # the saved dict was not changed


def test_min_curvature_is_absolute_and_zero_keeps_the_pairs_of_a_small_function(make_quadratic):
    """On 1e-12 f the pairs have y's ~ 1e-12: torch's threshold 1e-10 rejects every one, and
    L-BFGS is stuck with steepest descent; min_curvature=0 keeps them and converges."""
    import dataclasses

    quadratic = make_quadratic(condition=10.0)
    small = dataclasses.replace(quadratic, f=lambda x: 1e-12 * quadratic.f(x),
                                grad=lambda x: 1e-12 * quadratic.grad(x))
    hyper = dict(max_iter=60, line_search_fn="strong_wolfe", tolerance_grad=0.0,
                 tolerance_change=0.0)
    default, zero = Run("ours", small, **hyper), Run("ours", small, min_curvature=0.0, **hyper)
    default.step(), zero.step()
    assert default.state()["old_dirs"] == [] and default.state()["H_diag"] == 1.0
    assert len(zero.state()["old_dirs"]) > 10
    solution = np.linalg.solve(*_quadratic_system(quadratic))
    np.testing.assert_allclose(zero.x(), solution, rtol=0, atol=1e-7)
    assert np.abs(default.x() - solution).max() > 1e-3


def _quadratic_system(problem):
    """(A, b) of f = x'Ax/2 - b'x from its gradient A x - b."""
    dim = problem.x0.size
    b = -problem.grad(np.zeros(dim))
    return np.column_stack([problem.grad(e) + b for e in np.eye(dim)]), b


def test_minimize_by_name_converges():
    result = minimize(get("rosenbrock"), [-1.2, 1.0], "lbfgs", tol=1e-10,
                      line_search_fn="strong_wolfe")
    assert result.converged and result.n_steps < 60
    np.testing.assert_allclose(result.x, [1.0, 1.0], rtol=1e-9)
    assert isinstance(result.optimizer, LBFGS)
    assert len(result.trajectory) == result.n_steps + 1


def test_minimize_reports_a_fixed_step_that_diverges():
    with pytest.warns(RuntimeWarning, match="line_search_fn='strong_wolfe'"):
        result = minimize(get("rosenbrock"), [-1.2, 1.0], "lbfgs", steps=200)
    assert result.diverged and np.all(np.isfinite(result.trajectory))


def test_minimize_stops_when_a_step_makes_no_progress():
    result = minimize(get("rosenbrock"), [-1.2, 1.0], "lbfgs", steps=500, tol=1e-12,
                      line_search_fn="strong_wolfe", tolerance_change=1e-9)
    assert not result.converged and result.n_steps < 100
    assert "L-BFGS made no progress" in result.message


def test_registered_as_a_closure_optimizer():
    assert optim.OPTIMIZERS["lbfgs"] is LBFGS and optim.optimizer_class("LBFGS") is LBFGS
    with pytest.raises(ValueError, match="needs a closure"):
        optim.optimizer_class(LBFGS, gradient_only=True)


@pytest.mark.parametrize(
    ("hyper", "error", "message"),
    [
        (dict(lr=0.0), ValueError, r"lr must be in \(0"),
        (dict(lr=-1.0), ValueError, r"lr must be in \(0"),
        (dict(history_size=0), ValueError, r"history_size must be in \[1"),
        (dict(history_size=2.5), TypeError, "history_size must be an int"),
        (dict(max_iter=0), ValueError, r"max_iter must be in \[1"),
        (dict(max_eval=0), ValueError, r"max_eval must be in \[1"),
        (dict(tolerance_grad=-1.0), ValueError, "tolerance_grad must be"),
        (dict(min_curvature=-1.0), ValueError, "min_curvature must be"),
        (dict(line_search_fn="wolfe"), ValueError, "Did you mean 'strong_wolfe'"),
        (dict(line_search_fn="backtracking"), ValueError, "one of 'strong_wolfe'"),
    ],
)
def test_bad_hyper_parameters(hyper, error, message):
    with pytest.raises(error, match=message):
        LBFGS([Tensor(np.ones(2))], **hyper)


def test_bad_use():
    x, loss_of = _rosenbrock_model()
    opt = LBFGS([x])
    with pytest.raises(ValueError, match="needs a closure"):
        opt.step()
    with pytest.raises(ValueError, match="single parameter group"):
        LBFGS([{"params": [x]}, {"params": [Tensor(np.ones(1))]}])
    with pytest.raises(FloatingPointError, match="not finite"):
        opt.step(lambda: float("nan"))
    opt.step(loss_of(opt))
    saved = opt.state_dict()
    saved["state"] = {1: saved["state"][0]}
    with pytest.raises(ValueError, match="under the first parameter"):
        LBFGS([Tensor(np.ones(2))]).load_state_dict(saved)
    with pytest.raises(ValueError, match=r"'d' has shape \(2,\), but the parameters have 3"):
        LBFGS([Tensor(np.ones(3))]).load_state_dict(opt.state_dict())
