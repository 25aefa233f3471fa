"""Chapter: the optimizers of ``fromscratch.optim``, their equations, their paths and their proofs.

Every optimizer is checked against a closed form of its own trajectory. The library never imports
its references (the from-scratch rule covers the tour too), so the side-by-side comparison with
``torch.optim`` — every optimizer, every hyper-parameter variant, a few hundred steps, trajectories
equal to rtol 1e-10 — runs in the test suite (``tests/optim/``), not here. The closed forms below
are independent of both implementations: they solve the update recursions on problems where that
can be done by hand.
"""

from __future__ import annotations

import math

import numpy as np

import fromscratch.autodiff.numpy as anp

TITLE = "Optimizers"

#: Learning rates for the races: by hand, about the largest that stays stable on Rosenbrock and
#: Beale from their usual starts (Adadelta's 1.0 is its default: it was designed to need none).
RACE_LR = {
    "sgd": 2e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1.0, "rmsprop": 1e-2,
    "adadelta": 1.0, "adam": 0.1, "adamw": 0.1, "adamax": 0.2, "nadam": 0.1, "lbfgs": 1.0,
    "newton": 1.0,
}
RACE_FUNCTIONS = ("rosenbrock", "beale", "saddle")
TOL = 1e-6

#: name -> (title, update equations, intuition)
OPTIMIZERS = {
    "sgd": (
        "Gradient descent (SGD)",
        [r"x_{k+1} = x_k - \eta\, g_k, \qquad g_k = \nabla f(x_k)"],
        "Step downhill, in proportion to the slope. One learning rate $\\eta$ for every "
        "direction is the weakness: it must be small enough for the steepest direction "
        "($\\eta < 2/\\lambda_{max}$ on a quadratic), so flat directions crawl.",
    ),
    "momentum": (
        "Momentum (heavy ball)",
        [r"v_{k+1} = \mu\, v_k + g_k, \qquad x_{k+1} = x_k - \eta\, v_{k+1}"],
        "A ball rolling downhill: the velocity $v$ accumulates gradients that agree and "
        "cancels gradients that oscillate, so progress along a valley floor speeds up by up to "
        "$1/(1-\\mu)$ (10× for $\\mu = 0.9$) while the bouncing between the walls is damped.",
    ),
    "nesterov": (
        "Nesterov momentum",
        [r"v_{k+1} = \mu\, v_k + g_k, \qquad x_{k+1} = x_k - \eta\,(g_k + \mu\, v_{k+1})"],
        "Momentum that looks ahead: the step uses the velocity it is about to have, which "
        "corrects an overshoot one step earlier than plain momentum (this is PyTorch's form, "
        "the gradient at the look-ahead point rewritten in terms of the current one).",
    ),
    "adagrad": (
        "Adagrad",
        [r"G_k = G_{k-1} + g_k^2, \qquad x_{k+1} = x_k - \eta\, \frac{g_k}{\sqrt{G_k} + "
         r"\epsilon}"],
        "One learning rate per coordinate, divided by the root of the sum of all its squared "
        "gradients so far: rarely-moving coordinates take big steps, busy ones small steps. "
        "The sum only grows, so the steps shrink like $1/\\sqrt{k}$ and eventually stall.",
    ),
    "rmsprop": (
        "RMSprop",
        [r"v_k = \alpha\, v_{k-1} + (1 - \alpha)\, g_k^2, \qquad x_{k+1} = x_k - \eta\, "
         r"\frac{g_k}{\sqrt{v_k} + \epsilon}"],
        "Adagrad with a memory that fades: a moving average of squared gradients instead of "
        "their sum, so the step size adapts to the recent scale of each coordinate and never "
        "decays to zero. Each step is about $\\eta$ long, whatever the gradient's size.",
    ),
    "adadelta": (
        "Adadelta",
        [r"v_k = \rho\, v_{k-1} + (1 - \rho)\, g_k^2, \qquad \Delta_k = "
         r"\frac{\sqrt{u_{k-1} + \epsilon}}{\sqrt{v_k + \epsilon}}\, g_k",
         r"u_k = \rho\, u_{k-1} + (1 - \rho)\, \Delta_k^2, \qquad x_{k+1} = x_k - \eta\, "
         r"\Delta_k"],
        "RMSprop whose numerator is a moving RMS of its own past steps, so the update has the "
        "units of $x$ and, in the paper, no learning rate at all ($\\eta = 1$). It starts "
        "timidly (the first step is about $\\sqrt{\\epsilon}$) and speeds up as $u$ grows.",
    ),
    "adam": (
        "Adam",
        [r"m_k = \beta_1 m_{k-1} + (1 - \beta_1)\, g_k, \qquad v_k = \beta_2 v_{k-1} + "
         r"(1 - \beta_2)\, g_k^2",
         r"x_{k+1} = x_k - \eta\, \frac{\hat m_k}{\sqrt{\hat v_k} + \epsilon}, \qquad "
         r"\hat m_k = \frac{m_k}{1 - \beta_1^k}, \quad \hat v_k = \frac{v_k}{1 - \beta_2^k}"],
        "Momentum (the average $m$) divided by RMSprop's scale (the average $v$), with both "
        "averages corrected for starting at zero — the $1 - \\beta^k$ uses the step count $k$. "
        "On a steady slope every coordinate moves by $\\eta$ per step.",
    ),
    "adamw": (
        "AdamW",
        [r"x_k \leftarrow (1 - \eta\lambda)\, x_k, \qquad x_{k+1} = x_k - \eta\, "
         r"\frac{\hat m_k}{\sqrt{\hat v_k} + \epsilon}"],
        "Adam with *decoupled* weight decay: the shrinkage $\\eta\\lambda x$ is applied to "
        "the parameters directly instead of being added to the gradient (where Adam's "
        "denominator would rescale it). It minimizes $f$ plus a pull towards 0, so on a test "
        "function it stops near, not at, the minimum (default $\\lambda = 0.01$).",
    ),
    "adamax": (
        "Adamax",
        [r"u_k = \max(\beta_2 u_{k-1},\ |g_k| + \epsilon), \qquad x_{k+1} = x_k - "
         r"\frac{\eta}{1 - \beta_1^k}\, \frac{m_k}{u_k}"],
        "Adam with the root-mean-square replaced by a decaying maximum (the $L^\\infty$ "
        "norm): the step is bounded by $\\eta$ and a single large gradient is remembered, not "
        "averaged away.",
    ),
    "nadam": (
        "NAdam",
        [r"x_{k+1} = x_k - \eta\, \frac{1 - \mu_k}{1 - \prod_{i \leq k} \mu_i}\, "
         r"\frac{g_k}{d_k} - \eta\, \frac{\mu_{k+1}}{1 - \prod_{i \leq k+1} \mu_i}\, "
         r"\frac{m_k}{d_k}",
         r"d_k = \sqrt{v_k / (1 - \beta_2^k)} + \epsilon, \qquad \mu_k = \beta_1 "
         r"(1 - 0.5 \cdot 0.96^{k \psi})"],
        "Adam with Nesterov's look-ahead: the step mixes this gradient with the *next* "
        "step's momentum. The momentum $\\mu_k$ warms up from $\\beta_1/2$ towards "
        "$\\beta_1$ (Dozat 2016, as PyTorch implements it).",
    ),
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
        "backtracking line search picks $t_k$ so that far-away steps do not overshoot.",
    ),
}


def run(ch) -> None:
    from fromscratch.benchfunctions import get, race

    steps = 200 if ch.quick else 2000
    ch.text(
        "Every method here minimizes $f(x)$ by repeating one small update that uses the "
        "gradient $g_k = \\nabla f(x_k)$ (and, for Newton, the Hessian); both come from "
        "`fromscratch.autodiff`. The classes follow `torch.optim` — same names, "
        "hyper-parameters, defaults and update formulas — and `fromscratch.optim.minimize(f, "
        "x0, optimizer, steps, tol, **hyper)` runs any of them on a function and keeps the "
        "trajectory, which is what the pictures below show."
    )
    ch.text(
        "Three landscapes from the test-function chapter expose the differences: "
        "**Rosenbrock**'s curved valley (a Hessian with condition number 2500 at the minimum), "
        "**Beale**'s plateaus and steep corners (gradients spanning orders of magnitude), and "
        "the **saddle** $x^2 - y^2$ (no minimum: started next to the ridge, how fast does an "
        "optimizer notice the way down?). Every race starts from the function's usual start, "
        f"runs {steps} steps, with the learning rates in the table at the end."
    )

    runs = {
        name: {r.name: r for r in race(name, list(OPTIMIZERS), steps=steps,
                                       lr=[RACE_LR[o] for o in OPTIMIZERS], tol=TOL)}
        for name in RACE_FUNCTIONS
    }
    verifications = _closed_form_checks()

    for name, (title, equations, intuition) in OPTIMIZERS.items():
        ch.heading(title)
        for latex in equations:
            ch.equation(latex)
        ch.text(intuition)
        if not ch.quick:
            ch.figure(_paths_figure(name, runs), f"{title}: paths on Rosenbrock, Beale and the "
                      f"saddle (learning rate {RACE_LR[name]:g}).")
        verifications[name](ch)

    ch.heading("The race")
    for fn_name in RACE_FUNCTIONS:
        ch.figure(_race_figure(get(fn_name), runs[fn_name], n=100 if ch.quick else 300),
                  f"All optimizers on {get(fn_name).title}, from {get(fn_name).start}.",
                  dpi=70 if ch.quick else 110)
    rows = []
    for o in OPTIMIZERS:
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
    newton = runs["rosenbrock"]["newton"]
    ch.text(
        f"Newton reaches Rosenbrock's minimum in {newton.steps_to_tol} steps, because it "
        "rescales every direction by its curvature; first-order methods need hundreds to "
        "thousands, and plain SGD with a learning rate small enough to be stable in the steep "
        "direction does not arrive at all. AdamW stops short on purpose (weight decay). On the "
        "saddle the adaptive methods escape fastest: dividing by $\\sqrt{v}$ turns the tiny "
        "gradient along $y$ into a full-size step."
    )
    _check_race(ch, runs)


# -- figures -----------------------------------------------------------------------------------


def _paths_figure(name, runs):
    from matplotlib.figure import Figure

    from fromscratch.plot.optim import plot_trajectories

    fig = Figure(figsize=(13.5, 4.0), layout="constrained")
    for ax, fn_name in zip(fig.subplots(1, 3), RACE_FUNCTIONS, strict=True):
        plot_trajectories(fn_name, {name: runs[fn_name][name].result.trajectory}, ax=ax, n=150,
                          title=fn_name.capitalize())
    return fig


def _race_figure(fn, fn_runs, n):
    from fromscratch.plot.optim import plot_race

    return plot_race(fn, {k: r.result.trajectory for k, r in fn_runs.items()},
                     {k: r.result.losses for k, r in fn_runs.items()}, n=n)


def _or_dash(value):
    return "–" if value is None else value


def _escape_step(losses):
    escaped = np.flatnonzero(losses < -1.0)
    return int(escaped[0]) if len(escaped) else None


def _check_race(ch, runs) -> None:
    rosenbrock = runs["rosenbrock"]
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


def _closed_form_checks():
    """One check per optimizer, each comparing ``minimize``'s whole trajectory with a formula."""
    from fromscratch.optim import minimize

    K = 200
    ks = np.arange(K + 1)

    # A rotated quadratic f = ½ xᵀAx with known eigenvectors R and eigenvalues a.
    theta = math.pi / 6
    R = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    a = np.array([1.0, 10.0])
    A = R @ np.diag(a) @ R.T
    x0 = np.array([1.5, -1.0])
    z0 = R.T @ x0  # coordinates in the eigenbasis, where the modes decouple

    def quadratic(x):
        return 0.5 * anp.sum(x * anp.matmul(A, x))

    def heavy_ball(eta, mu, nesterov):
        """Each mode runs the linear recursion s_{k+1} = M s_k on s = (z, v)."""
        z = np.empty((K + 1, 2))
        for i, ai in enumerate(a):
            if nesterov:
                M = np.array([[1 - eta * ai * (1 + mu), -eta * mu**2], [ai, mu]])
            else:
                M = np.array([[1 - eta * ai, -eta * mu], [ai, mu]])
            z[:, i] = [(_sylvester_power(M, k) @ [z0[i], 0.0])[0] for k in ks]
        return z @ R.T

    # A linear function f = cᵀx: the adaptive methods' moment recursions are geometric series.
    c = np.array([3.0, -0.5])
    y0 = np.array([1.0, 2.0])

    def linear(x):
        return anp.sum(c * x)

    def cumulative(step_sizes):
        """x_k = x_0 − Σ_{j ≤ k} step_j, with step_j of shape (K, 2)."""
        return y0 - np.vstack([np.zeros(2), np.cumsum(step_sizes, axis=0)])

    t = ks[1:, None].astype(float)  # step counts 1..K
    g, eps = c, 1e-8

    def adadelta_closed_form(lr, rho=0.9, eps_=1e-6):
        # v_t = (1 − ρ^t) g²; u follows the *linear* recursion u_t = a_t u_{t−1} + b_t, whose
        # solution is u_t = P_t Σ_{i ≤ t} b_i / P_i with P_t = Π_{i ≤ t} a_i.
        v = (1 - rho**t) * g**2
        a_t = rho + (1 - rho) * g**2 / (v + eps_)
        b_t = (1 - rho) * eps_ * g**2 / (v + eps_)
        P = np.cumprod(a_t, axis=0)
        u = P * np.cumsum(b_t / P, axis=0)
        u_before = np.vstack([np.zeros(2), u[:-1]])
        return cumulative(lr * np.sqrt(u_before + eps_) / np.sqrt(v + eps_) * g)

    def nadam_closed_form(lr, beta1=0.9, psi=4e-3):
        mu = beta1 * (1 - 0.5 * 0.96 ** (np.arange(1, K + 2)[:, None] * psi))
        prod = np.cumprod(mu, axis=0)
        d = np.abs(g) + eps
        m = (1 - beta1**t) * g
        return cumulative(lr * (1 - mu[:-1]) / (1 - prod[:-1]) * g / d
                          + lr * mu[1:] / (1 - prod[1:]) * m / d)

    def adamw_closed_form(lr, decay=1e-2):
        r = 1 - lr * decay  # x_k = r^k x_0 − s (1 − r^k) / (1 − r), s the constant Adam step
        s = lr * g / (np.abs(g) + eps)
        return r ** ks[:, None] * y0 - s * (1 - r ** ks[:, None]) / (1 - r)

    cases = {
        "sgd": (quadratic, x0, {"lr": 0.05},
                lambda: (R @ ((1 - 0.05 * a[:, None]) ** ks * z0[:, None])).T,
                "x_k = R diag((1 − ηa)^k) Rᵀ x_0 on a rotated quadratic"),
        "momentum": (quadratic, x0, {"lr": 0.05, "momentum": 0.9},
                     lambda: heavy_ball(0.05, 0.9, nesterov=False),
                     "Sylvester's formula for M^k, each eigenmode of a quadratic"),
        "nesterov": (quadratic, x0, {"lr": 0.05, "momentum": 0.9, "nesterov": True},
                     lambda: heavy_ball(0.05, 0.9, nesterov=True),
                     "Sylvester's formula for M^k, each eigenmode of a quadratic"),
        "adagrad": (linear, y0, {"lr": 0.1},
                    lambda: cumulative(0.1 * g / (np.abs(g) * np.sqrt(t) + 1e-10)),
                    "x_k = x_0 − η Σ_j g / (|g|√j + ε) on a linear function"),
        "rmsprop": (linear, y0, {"lr": 0.01},
                    lambda: cumulative(0.01 * g / (np.abs(g) * np.sqrt(1 - 0.99**t) + eps)),
                    "x_k = x_0 − η Σ_j g / (|g|√(1 − α^j) + ε) on a linear function"),
        "adadelta": (linear, y0, {"lr": 1.0}, lambda: adadelta_closed_form(1.0),
                     "the solved linear recursion of u on a linear function"),
        "adam": (linear, y0, {"lr": 0.01}, lambda: y0 - 0.01 * ks[:, None] * g / (np.abs(g) + eps),
                 "x_k = x_0 − kη g / (|g| + ε): constant speed on a linear function"),
        "adamw": (linear, y0, {"lr": 0.01}, lambda: adamw_closed_form(0.01),
                  "geometric series of decay and constant steps on a linear function"),
        "adamax": (linear, y0, {"lr": 0.01},
                   lambda: y0 - 0.01 * ks[:, None] * g / (np.abs(g) + eps),
                   "x_k = x_0 − kη g / (|g| + ε) on a linear function"),
        "nadam": (linear, y0, {"lr": 0.01}, lambda: nadam_closed_form(0.01),
                  "the explicit step sum on a linear function"),
    }

    def make(name, case):
        f, start, hyper, formula, how = case

        def verify(ch):
            path = minimize(f, start, "sgd" if name in ("momentum", "nesterov") else name,
                            steps=K, tol=0.0, **hyper).trajectory
            ch.check_close(f"{name}: {K}-step trajectory", f"closed form: {how}", path,
                           formula(), rtol=1e-10)
        return verify

    checks = {name: make(name, case) for name, case in cases.items()}

    # ½xᵀQx − bᵀx and its minimizer Q⁻¹b (the inverse of a 2×2 by its adjugate).
    Q = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, -1.0])
    adjugate = np.array([[Q[1, 1], -Q[0, 1]], [-Q[1, 0], Q[0, 0]]])
    minimizer = adjugate @ b / (Q[0, 0] * Q[1, 1] - Q[0, 1] * Q[1, 0])

    def skewed_quadratic(x):
        return 0.5 * anp.sum(x * anp.matmul(Q, x)) - anp.sum(b * x)

    def newton(ch):
        # One Newton step on a quadratic lands on its minimizer.
        result = minimize(skewed_quadratic, np.array([5.0, 5.0]), "newton", steps=1, tol=0.0)
        ch.check_close("newton: one step on a quadratic", "closed form Q⁻¹b (adjugate)",
                       result.trajectory[1], minimizer, rtol=1e-10)

    checks["newton"] = newton

    def lbfgs(ch):
        # On a convex quadratic the pairs (s, y = Qs) learn Q itself: the iterates reach the
        # minimizer.
        result = minimize(skewed_quadratic, np.array([5.0, 5.0]), "lbfgs", steps=20, tol=1e-12,
                          line_search_fn="strong_wolfe")
        ch.check_close(f"lbfgs: minimum of a quadratic ({result.n_steps} steps)",
                       "closed form Q⁻¹b (adjugate)", result.x, minimizer, rtol=1e-10)

    checks["lbfgs"] = lbfgs
    return checks
