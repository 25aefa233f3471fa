"""Chapter: the optimizers of ``fromscratch.optim`` — what each update does and why, its
derivation, its picture and its proof.

Every optimizer is checked against things derived independently of its code: closed forms of
its own trajectory (on problems where the update recursion can be solved by hand), the state it
carries on a constant slope, contraction rates on a quadratic, textbook forms iterated by hand,
fixed points in closed form. The library never imports its references (the from-scratch rule
covers the tour too), so the side-by-side comparison with ``torch.optim`` — every optimizer,
every hyper-parameter variant, whole trajectories equal to rtol 1e-10 — runs in the test suite
(``tests/optim/``) and in notebook 06, not here.

The sections live in three modules: ``_optimizers_sgd`` (the overview, momentum, Nesterov),
``_optimizers_adaptive`` (Adagrad, RMSprop, Adadelta and the step lengths) and
``_optimizers_adam`` (Adam, Adamax, NAdam, AdamW).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch.tour import _optimizers_adam, _optimizers_adaptive, _optimizers_sgd
from fromscratch.tour.chapter import Chapter

TITLE = "Optimizers"

#: Where each curriculum topic is taught: its section, its figure and one of its checks.
TOPICS = {**_optimizers_sgd.TOPICS, **_optimizers_adaptive.TOPICS, **_optimizers_adam.TOPICS}

#: Learning rates for the races: by hand, about the largest that stays stable on Rosenbrock and
#: Beale from their usual starts (Adadelta's 1.0 is its default: it was designed to need none).
RACE_LR = {
    "sgd": 2e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1.0, "rmsprop": 1e-2,
    "adadelta": 1.0, "adam": 0.1, "adamw": 0.1, "adamax": 0.2, "nadam": 0.1, "lbfgs": 1.0,
    "newton": 1.0,
}
RACE_FUNCTIONS = ("rosenbrock", "beale", "saddle")
TOL = 1e-6

#: The second-order methods: (title, update equations, what the update does).
SECOND_ORDER = {
    "lbfgs": (
        "L-BFGS (quasi-Newton)",
        [r"d_k = -H_k^{-1} g_k, \qquad x_{k+1} = x_k + t_k\, d_k, \qquad "
         r"s_i = x_{i+1} - x_i,\ y_i = g_{i+1} - g_i",
         r"H^{-1} \leftarrow (I - \rho\, s y^\top)\, H^{-1} (I - \rho\, y s^\top) "
         r"+ \rho\, s s^\top, \qquad \rho = 1 / y^\top s"],
        "Newton's step without the Hessian: the curvature is learned from how the gradient "
        "changed along the last $m$ steps (the BFGS update above, applied $m$ times to "
        "$\\gamma I$ with $\\gamma = s^\\top y / y^\\top y$, by the two-loop recursion in "
        "$O(mn)$ without ever forming a matrix). A strong-Wolfe line search picks $t_k$. It "
        "needs only gradients, like the first-order methods, yet converges superlinearly "
        "near a minimum, like Newton.",
    ),
    "newton": (
        "Newton's method",
        [r"(H_k + \lambda I)\, d_k = -g_k, \qquad x_{k+1} = x_k + t_k\, d_k, \qquad "
         r"H_k = \nabla^2 f(x_k)"],
        "Jump to the minimum of the local quadratic model. Near a minimum it converges "
        "quadratically (the number of correct digits doubles each step); the Levenberg shift "
        "$\\lambda$ keeps the direction downhill where $H$ is not positive definite, and a "
        "backtracking line search picks $t_k$ so that far-away steps do not overshoot. Its "
        "step needs no learning rate at all: $H^{-1}g$ has the units of $x$.",
    ),
}


class Context:
    """What the sections share: quick mode, the races, and the closed-form checks."""

    def __init__(self, quick: bool, runs: dict) -> None:
        self.quick = quick
        self.runs = runs
        self.closed = ClosedForms()
        #: contour grid, resolution, and the length of the Rosenbrock runs of the pictures
        self.grid = 60 if quick else 150
        self.dpi = 70 if quick else 110
        self.rosenbrock_steps = 300 if quick else 1000

    def figure(self, ch: Chapter, fig: Any, caption: str) -> None:
        ch.figure(fig, caption, dpi=self.dpi)

    def close_section(self, ch: Chapter, name: str, title: str) -> None:
        """The end of an optimizer's section: its closed-form check and its race paths."""
        self.closed.check(ch, name)
        self.race_paths(ch, name, title)

    def race_paths(self, ch: Chapter, name: str, title: str) -> None:
        """The optimizer's paths on the three race tracks (full tour only: nine panels of
        contours per optimizer are the slowest pictures of the chapter)."""
        if self.quick:
            return
        from matplotlib.figure import Figure

        from fromscratch.plot.optim import plot_trajectories

        fig = Figure(figsize=(13.5, 4.0), layout="constrained")
        for ax, fn_name in zip(fig.subplots(1, 3), RACE_FUNCTIONS, strict=True):
            plot_trajectories(fn_name, {name: self.runs[fn_name][name].result.trajectory},
                              ax=ax, n=150, title=fn_name.capitalize())
        ch.figure(fig, f"{title}: paths on Rosenbrock, Beale and the saddle (learning rate "
                  f"{RACE_LR[name]:g}, as in the race at the end).")


def run(ch: Chapter) -> None:
    from fromscratch.benchfunctions import race

    steps = 200 if ch.quick else 2000
    runs = {
        name: {r.name: r for r in race(name, list(RACE_LR), steps=steps,
                                       lr=list(RACE_LR.values()), tol=TOL)}
        for name in RACE_FUNCTIONS
    }
    ctx = Context(ch.quick, runs)
    _optimizers_sgd.overview(ch, ctx)
    _optimizers_sgd.momentum(ch, ctx)
    _optimizers_sgd.nesterov(ch, ctx)
    _optimizers_adaptive.adagrad(ch, ctx)
    _optimizers_adaptive.rmsprop(ch, ctx)
    _optimizers_adaptive.adadelta(ch, ctx)
    _optimizers_adam.adam(ch, ctx)
    _optimizers_adam.adamax(ch, ctx)
    _optimizers_adam.nadam(ch, ctx)
    _optimizers_adam.adamw(ch, ctx)
    _optimizers_adaptive.step_lengths(ch, ctx)
    for name, (title, equations, intuition) in SECOND_ORDER.items():
        ch.heading(title)
        for latex in equations:
            ch.equation(latex)
        ch.text(intuition)
        ctx.race_paths(ch, name, title)
        _second_order_check(ch, name)
    _race(ch, runs, steps)


# -- the race ----------------------------------------------------------------------------------


def _race(ch, runs, steps) -> None:
    from fromscratch.benchfunctions import get
    from fromscratch.plot.optim import plot_race

    ch.heading("The race")
    ch.text(
        "Three landscapes from the test-function chapter expose the differences: "
        "**Rosenbrock**'s curved valley (a Hessian with condition number 2500 at the minimum), "
        "**Beale**'s plateaus and steep corners (gradients spanning orders of magnitude), and "
        "the **saddle** $x^2 - y^2$ (no minimum: started next to the ridge, how fast does an "
        "optimizer notice the way down?). Every race starts from the function's usual start, "
        f"runs {steps} steps, with the learning rates in the table."
    )
    for fn_name in RACE_FUNCTIONS:
        fn = get(fn_name)
        ch.figure(plot_race(fn, {k: r.result.trajectory for k, r in runs[fn_name].items()},
                            {k: r.result.losses for k, r in runs[fn_name].items()},
                            n=100 if ch.quick else 300),
                  f"All optimizers on {fn.title}, from {fn.start}.",
                  dpi=70 if ch.quick else 110)
    rows = []
    for o in RACE_LR:
        row = [o, RACE_LR[o]]
        for fn_name in ("rosenbrock", "beale"):
            run_ = runs[fn_name][o]
            row += [_or_dash(run_.steps_to_tol), run_.gap]
        row.append(_or_dash(_escape_step(runs["saddle"][o].result.losses)))
        rows.append(row)
    ch.table(
        ["optimizer", "lr", "Rosenbrock: steps to 1e-6", "final gap",
         "Beale: steps to 1e-6", "final gap", "saddle: steps to f < −1"],
        rows,
        f"Steps until $f(x_k) - f^* \\leq 10^{{-6}}$ ('–': not within {steps} steps) and the "
        "gap after the last step; on the saddle, steps until $f$ drops below −1 (escaped).",
    )
    rosenbrock = runs["rosenbrock"]
    ch.text(
        f"Newton reaches Rosenbrock's minimum in {rosenbrock['newton'].steps_to_tol} steps, "
        "because it rescales every direction by its curvature; first-order methods need "
        "hundreds to thousands, and plain SGD with a learning rate small enough to be stable "
        "in the steep direction does not arrive at all. AdamW does not settle on Rosenbrock: "
        f"after {steps} steps it is {rosenbrock['adamw'].distance:.2g} from $(1, 1)$ where "
        f"Adam is {rosenbrock['adam'].distance:.2g} away. That is not the minimizer of "
        "$f + \\frac{\\lambda}{2}\\|x\\|^2$ either: with $\\lambda = 0.01$ its resting points near "
        "$(1, 1)$ need $\\lvert\\nabla f\\rvert \\approx \\epsilon\\lambda\\lvert x\\rvert$ "
        "(section AdamW), far below the scale on which its normalized steps can settle. On the "
        "saddle the adaptive methods escape fastest: dividing by $\\sqrt{v}$ turns the tiny "
        "gradient along $y$ into a full-size step."
    )
    ch.check_close("Newton on Rosenbrock: final point", "the minimum (1, 1)",
                   rosenbrock["newton"].result.x, [1.0, 1.0], rtol=1e-10)
    for name in ("momentum", "adam"):
        if ch.quick:  # 200 steps: well on the way, not yet there
            losses = rosenbrock[name].result.losses
            ch.check_bound(f"{name} on Rosenbrock: loss after the race / loss at the start",
                           "descent", losses[-1] / losses[0], at_most=0.1)
        else:
            ch.check_bound(f"{name} on Rosenbrock: distance to (1, 1) after the race",
                           "the minimum", rosenbrock[name].distance, at_most=1e-3)
    for name, r in runs["saddle"].items():
        # The ridge y = 0 is the saddle's stable direction; every method must move away from it.
        y = r.result.trajectory[:, 1]
        ch.check_bound(f"{name} on the saddle: |y| growth factor", "> 1: leaving the saddle",
                       abs(y[-1]) / abs(y[0]), at_least=1.0)


def _or_dash(value):
    return "–" if value is None else value


def _escape_step(losses):
    escaped = np.flatnonzero(losses < -1.0)
    return int(escaped[0]) if len(escaped) else None


# -- closed-form verifications -----------------------------------------------------------------


def _sylvester_power(M, k):
    """:math:`M^k` for a 2×2 matrix with distinct eigenvalues (Sylvester's formula):
    :math:`M^k = (\\lambda_1^k (M - \\lambda_2 I) - \\lambda_2^k (M - \\lambda_1 I)) /
    (\\lambda_1 - \\lambda_2)`, complex when the eigenvalues are."""
    trace, det = M[0, 0] + M[1, 1], M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]
    root = np.sqrt(complex(trace**2 - 4 * det))
    l1, l2 = (trace + root) / 2, (trace - root) / 2
    identity = np.eye(2)
    return ((l1**k * (M - l2 * identity) - l2**k * (M - l1 * identity)) / (l1 - l2)).real


class ClosedForms:
    """One check per first-order optimizer: ``minimize``'s whole trajectory against a formula.

    Momentum and Nesterov run on a rotated quadratic, whose eigen-directions decouple into 2×2
    linear recursions (solved by Sylvester's formula); the adaptive methods run on a linear
    function :math:`f = c^\\top x`, where their moment recursions are geometric series. The
    step-length section reuses the linear runs: their steps are the differences of the paths.
    """

    K = 200
    #: the rotated quadratic ½xᵀAx, A = R diag(a) Rᵀ with R a rotation by 30°, and its start
    R = np.array([[math.cos(math.pi / 6), -math.sin(math.pi / 6)],
                  [math.sin(math.pi / 6), math.cos(math.pi / 6)]])
    a = np.array([1.0, 10.0])
    A = R @ np.diag(a) @ R.T
    X0 = np.array([1.5, -1.0])
    #: the linear function's slope c and start
    SLOPE = np.array([3.0, -0.5])
    START = np.array([1.0, 2.0])
    #: learning rates of the linear runs
    LR = {"adagrad": 0.1, "rmsprop": 0.01, "adadelta": 1.0, "adam": 0.01, "adamw": 0.01,
          "adamax": 0.01, "nadam": 0.01}

    def __init__(self) -> None:
        self._paths: dict[str, np.ndarray] = {}

    # -- the problems ----------------------------------------------------------------------

    def _quadratic(self, x):
        return 0.5 * anp.sum(x * anp.matmul(self.A, x))

    def _linear(self, x):
        return anp.sum(self.SLOPE * x)

    # -- the formulas ----------------------------------------------------------------------

    def _heavy_ball(self, eta, mu, nesterov):
        """Each eigen-mode runs the linear recursion s_{k+1} = M s_k on s = (z, b)."""
        z0 = self.R.T @ self.X0
        z = np.empty((self.K + 1, 2))
        for i, ai in enumerate(self.a):
            if nesterov:
                M = np.array([[1 - eta * ai * (1 + mu), -eta * mu**2], [ai, mu]])
            else:
                M = np.array([[1 - eta * ai, -eta * mu], [ai, mu]])
            z[:, i] = [(_sylvester_power(M, k) @ [z0[i], 0.0])[0] for k in range(self.K + 1)]
        return z @ self.R.T

    def _cumulative(self, steps):
        """x_k = x_0 − Σ_{j ≤ k} step_j, with step_j of shape (K, 2)."""
        return self.START - np.vstack([np.zeros(2), np.cumsum(steps, axis=0)])

    def formula(self, name: str) -> np.ndarray:
        """The closed-form trajectory, shape (K + 1, 2)."""
        K, g, eps = self.K, self.SLOPE, 1e-8
        t = np.arange(1, K + 1)[:, None].astype(float)  # step counts 1..K
        lr = self.LR.get(name, math.nan)  # (sgd and momentum bring their own rates)
        if name == "sgd":
            z0 = self.R.T @ self.X0
            return (self.R @ ((1 - 0.05 * self.a[:, None]) ** np.arange(K + 1) * z0[:, None])).T
        if name in ("momentum", "nesterov"):
            return self._heavy_ball(0.05, 0.9, nesterov=name == "nesterov")
        if name == "adagrad":
            return self._cumulative(lr * g / (np.abs(g) * np.sqrt(t) + 1e-10))
        if name == "rmsprop":
            return self._cumulative(lr * g / (np.abs(g) * np.sqrt(1 - 0.99**t) + eps))
        if name in ("adam", "adamax"):
            return self.START - lr * np.arange(K + 1)[:, None] * g / (np.abs(g) + eps)
        if name == "adadelta":
            # v_t = (1 − ρ^t) g²; u follows the *linear* recursion u_t = a_t u_{t−1} + b_t,
            # whose solution is u_t = P_t Σ_{i ≤ t} b_i / P_i with P_t = Π_{i ≤ t} a_i.
            rho, eps_ = 0.9, 1e-6
            v = (1 - rho**t) * g**2
            a_t = rho + (1 - rho) * g**2 / (v + eps_)
            b_t = (1 - rho) * eps_ * g**2 / (v + eps_)
            P = np.cumprod(a_t, axis=0)
            u = P * np.cumsum(b_t / P, axis=0)
            u_before = np.vstack([np.zeros(2), u[:-1]])
            return self._cumulative(lr * np.sqrt(u_before + eps_) / np.sqrt(v + eps_) * g)
        if name == "nadam":
            beta1, psi = 0.9, 4e-3
            mu = beta1 * (1 - 0.5 * 0.96 ** (np.arange(1, K + 2)[:, None] * psi))
            prod = np.cumprod(mu, axis=0)
            d = np.abs(g) + eps
            m = (1 - beta1**t) * g
            return self._cumulative(lr * (1 - mu[:-1]) / (1 - prod[:-1]) * g / d
                                    + lr * mu[1:] / (1 - prod[1:]) * m / d)
        if name == "adamw":
            # x_k = r^k x_0 − s (1 − r^k) / (1 − r), s the constant Adam step
            r, s, k = 1 - lr * 1e-2, lr * g / (np.abs(g) + eps), np.arange(K + 1)[:, None]
            return r**k * self.START - s * (1 - r**k) / (1 - r)
        raise KeyError(name)

    HOW = {
        "sgd": "x_k = R diag((1 − ηa)^k) Rᵀ x_0 on a rotated quadratic",
        "momentum": "Sylvester's formula for M^k, each eigenmode of a quadratic",
        "nesterov": "Sylvester's formula for M^k, each eigenmode of a quadratic",
        "adagrad": "x_k = x_0 − η Σ_j g / (|g|√j + ε) on a linear function",
        "rmsprop": "x_k = x_0 − η Σ_j g / (|g|√(1 − α^j) + ε) on a linear function",
        "adadelta": "the solved linear recursion of u on a linear function",
        "adam": "x_k = x_0 − kη g / (|g| + ε): constant speed on a linear function",
        "adamw": "geometric series of decay and constant steps on a linear function",
        "adamax": "x_k = x_0 − kη g / (|g| + ε) on a linear function",
        "nadam": "the explicit step sum on a linear function",
    }

    def path(self, name: str) -> np.ndarray:
        """The library's trajectory (``minimize``), run once and kept."""
        from fromscratch.optim import minimize

        if name not in self._paths:
            if name in ("sgd", "momentum", "nesterov"):
                hyper = {"lr": 0.05, **({"momentum": 0.9} if name != "sgd" else {}),
                         **({"nesterov": True} if name == "nesterov" else {})}
                self._paths[name] = minimize(self._quadratic, self.X0, "sgd", steps=self.K,
                                             tol=0.0, **hyper).trajectory
            else:
                self._paths[name] = minimize(self._linear, self.START, name, steps=self.K,
                                             tol=0.0, lr=self.LR[name]).trajectory
        return self._paths[name]

    def check(self, ch, name: str) -> None:
        ch.check_close(f"{name}: {self.K}-step trajectory", f"closed form: {self.HOW[name]}",
                       self.path(name), self.formula(name), rtol=1e-10)


def _second_order_check(ch, name: str) -> None:
    from fromscratch.optim import minimize

    # ½xᵀQx − bᵀx and its minimizer Q⁻¹b (the inverse of a 2×2 by its adjugate).
    Q = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, -1.0])
    adjugate = np.array([[Q[1, 1], -Q[0, 1]], [-Q[1, 0], Q[0, 0]]])
    minimizer = adjugate @ b / (Q[0, 0] * Q[1, 1] - Q[0, 1] * Q[1, 0])

    def skewed_quadratic(x):
        return 0.5 * anp.sum(x * anp.matmul(Q, x)) - anp.sum(b * x)

    if name == "newton":
        # One Newton step on a quadratic lands on its minimizer.
        result = minimize(skewed_quadratic, np.array([5.0, 5.0]), "newton", steps=1, tol=0.0)
        ch.check_close("newton: one step on a quadratic", "closed form Q⁻¹b (adjugate)",
                       result.trajectory[1], minimizer, rtol=1e-10)
    else:
        # On a convex quadratic the pairs (s, y = Qs) learn Q itself: the iterates reach the
        # minimizer.
        result = minimize(skewed_quadratic, np.array([5.0, 5.0]), "lbfgs", steps=20, tol=1e-12,
                          line_search_fn="strong_wolfe")
        ch.check_close(f"lbfgs: minimum of a quadratic ({result.n_steps} steps)",
                       "closed form Q⁻¹b (adjugate)", result.x, minimizer, rtol=1e-10)
