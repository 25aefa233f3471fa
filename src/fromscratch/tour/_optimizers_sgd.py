"""The optimizer chapter, first part: gradient descent (the overview), momentum and Nesterov.

Every check compares the library's optimizer with something derived independently of it: the
closed form of gradient descent on a quadratic, the momentum buffer on a constant slope, the
contraction rate of each eigen-direction, and Nesterov's textbook recursion iterated by hand.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from fromscratch.autodiff import grad
from fromscratch.benchfunctions import get, race
from fromscratch.optim import SGD
from fromscratch.optim.sgd import sgd_update
from fromscratch.plot.optim import plot_paths_and_steps
from fromscratch.tour._optimizers_common import linear_gradient, norm, trace, trace_on

if TYPE_CHECKING:
    from fromscratch.tour.ch_optimizers import Context
    from fromscratch.tour.chapter import Chapter

TOPICS = {
    "G1": {
        "section": "Overview: one loop, many step rules",
        "figure": "Gradient descent on Booth's quadratic. Left: the first 15 steps at three "
                  "learning rates — crawling (0.02), fast (0.1, close to the best 2/20), and "
                  "just past the stability limit 2/18 (0.115), where the error grows by "
                  "$\\lvert 1 - 0.115 \\cdot 18 \\rvert = 1.07$ per step. Right: the distance "
                  "to the minimum, measured (solid) and from the closed form (dashed).",
        "check": "sgd: 60-step trajectory on Booth at η = 0.1",
    },
    "G2": {
        "section": "SGD with momentum",
        "figure": "Matyas' function from $(-8, -6.5)$, 25 steps. Left: gradient descent at "
                  "its best rate zig-zags across the valley and crawls along it; the heavy "
                  "ball (Polyak's parameters) covers the valley in a few swings. Right: the "
                  "heavy ball's buffer $b_k$ split along the eigenvectors — across the valley "
                  "the gradients alternate in sign and so does the buffer, which keeps it "
                  "small; along the valley they agree and the buffer adds them up.",
        "check": "momentum buffer on a constant slope, 50 steps",
    },
    "G3": {
        "section": "Nesterov accelerated gradient",
        "figure": "Matyas' function. Left: 25 steps of the heavy ball (Polyak's parameters) "
                  "and of Nesterov ($\\eta = 1/\\lambda_{max}$, $\\mu = 2/3$): Nesterov's first "
                  "two steps remove the steep direction, then it slides down the valley. Right: "
                  "the distance to the minimum — gradient descent at 0.923 per step, Nesterov "
                  "at 0.8, the heavy ball at 0.667.",
        "check": "nesterov: 60-step trajectory on Matyas (PyTorch's form)",
    },
}

#: Matyas, 0.26(x² + y²) − 0.48xy: the quadratic ½xᵀAx with these eigenvalues and unit
#: eigenvectors (along the valley y = x, and across it).
MATYAS_EIGENVALUES = (0.04, 1.0)
MATYAS_EIGENVECTORS = np.array([[1.0, 1.0], [1.0, -1.0]]) / math.sqrt(2.0)
#: Far along the valley and a little off it, where momentum has something to carry.
MATYAS_START = (-8.0, -6.5)


def overview(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G1"]["section"])
    ch.text(
        "Every method in this chapter minimizes $f(x)$ by repeating one update, "
        "$x_{k+1} = x_k + \\Delta_k$, where the step $\\Delta_k$ is computed from the gradient "
        "$g_k = \\nabla f(x_k)$ (from `fromscratch.autodiff`) and from what the optimizer "
        "remembers of earlier gradients. The methods differ only in that rule — in what they "
        "remember and how they turn it into a step. The classes of `fromscratch.optim` follow "
        "`torch.optim` (same names, hyper-parameters, defaults and update formulas), and "
        "`minimize(f, x0, optimizer, steps, tol, **hyper)` runs any of them on a function and "
        "keeps the trajectory. The table is the map of the chapter; the last column is what each "
        "step rule does on the simplest possible problem, a constant slope $g$ (a linear "
        "$f$), where every formula can be solved exactly — and where the methods are most "
        "different. The section *How long is a step?* measures it."
    )
    slope = ctx.closed.SLOPE
    nadam = np.abs(np.diff(ctx.closed.formula("nadam"), axis=0)[:, 0]) / ctx.closed.LR["nadam"]
    nadam /= abs(slope[0]) / (abs(slope[0]) + 1e-8)  # per coordinate, in units of η
    ch.table(
        ["method", "remembers", "step", "step length on a constant slope"],
        [
            ["SGD", "nothing", "$-\\eta\\, g_k$",
             "$\\eta\\,\\lvert g\\rvert$: grows with the slope"],
            ["momentum", "velocity $b$", "$-\\eta\\, b_k$",
             "grows to $\\eta\\,\\lvert g\\rvert/(1-\\mu)$"],
            ["Nesterov", "velocity $b$", "$-\\eta\\,(g_k + \\mu b_k)$",
             "grows to $\\eta\\,\\lvert g\\rvert/(1-\\mu)$"],
            ["Adagrad", "sum of $g^2$", "$-\\eta\\, g_k / \\sqrt{G_k}$",
             "$\\eta/\\sqrt{k}$ per coordinate: shrinks"],
            ["RMSprop", "average of $g^2$", "$-\\eta\\, g_k / \\sqrt{v_k}$",
             "$\\eta/\\sqrt{1-\\alpha^k}$: 10η first, then η"],
            ["Adadelta", "averages of $g^2$ and $\\Delta^2$",
             "$-\\eta\\, g_k \\sqrt{u_{k-1}}/\\sqrt{v_k}$",
             "starts near $\\eta\\sqrt{\\epsilon/(1-\\rho)}$, grows like $\\sqrt{k}$"],
            ["Adam", "averages of $g$ and $g^2$", "$-\\eta\\, \\hat m_k / \\sqrt{\\hat v_k}$",
             "$\\eta$ per coordinate"],
            ["Adamax", "average of $g$, decaying max", "$-\\eta\\, \\hat m_k / u_k$",
             "$\\eta$ per coordinate"],
            ["NAdam", "as Adam, and $\\prod \\mu_i$", "Adam's with a look-ahead",
             f"{nadam[0]:.2f}η first, dips to {nadam.min():.2f}η, then η"],
            ["AdamW", "as Adam", "Adam's, and $-\\eta\\lambda x_k$", "Adam's, minus the decay"],
        ],
        "The step rules, without the $\\epsilon$ that keeps each division finite (each "
        "section gives the exact update).",
    )
    ch.text(
        "**Gradient descent** is the ancestor. Its only knob, the learning rate, is already "
        "the whole difficulty. On a quadratic $f(x) = \\frac12 (x - x^*)^\\top A (x - x^*)$ the "
        "gradient is $A(x - x^*)$, so the error $e_k = x_k - x^*$ obeys "
        "$e_{k+1} = (I - \\eta A)\\, e_k$:"
    )
    ch.equation(r"x_k - x^* = (I - \eta A)^k (x_0 - x^*) = \sum_i (1 - \eta\lambda_i)^k\, "
                r"(u_i^\top e_0)\, u_i")
    ch.text(
        "with the eigenvalues $\\lambda_i$ and unit eigenvectors $u_i$ of $A$. Each "
        "eigen-direction shrinks by $\\lvert 1 - \\eta\\lambda_i\\rvert$ per step, so the "
        "iteration converges only if $\\eta < 2/\\lambda_{max}$; then the slowest direction "
        "sets the pace, and the best single rate, $\\eta = 2/(\\lambda_{min} + "
        "\\lambda_{max})$, contracts by $(\\kappa - 1)/(\\kappa + 1)$ per step with the "
        "condition number $\\kappa = \\lambda_{max}/\\lambda_{min}$. The units say the same: "
        "$\\eta g$ must be a length, so $\\eta$ has the units of $x^2/f$ — an inverse "
        "curvature — and no single one fits every direction of a badly conditioned problem. "
        "Booth's function is such a quadratic, $A = [[10, 8], [8, 10]]$ with eigenvalues 18 "
        "and 2, minimum $(1, 3)$: $\\eta$ must stay below $2/18 = 0.111$."
    )
    booth = get("booth")
    x_star = booth.minima[0].location
    rates = (0.02, 0.1, 0.115)
    K = 60
    runs = race(booth, ["sgd"] * len(rates), lr=list(rates), steps=K, tol=0.0)
    eigenvalues, U = np.array([18.0, 2.0]), np.array([[1.0, 1.0], [1.0, -1.0]]) / math.sqrt(2)
    e0 = U.T @ (np.array(booth.start) - x_star)
    closed = {eta: x_star + ((1 - eta * eigenvalues[:, None]) ** np.arange(K + 1)
                             * e0[:, None]).T @ U.T for eta in rates}
    label = {eta: f"η = {eta:g}" for eta in rates}
    ctx.figure(ch, plot_paths_and_steps(
        booth, {label[eta]: r.result.trajectory[:16] for eta, r in zip(rates, runs, strict=True)},
        {label[eta]: [norm(p - x_star) for p in r.result.trajectory]
         for eta, r in zip(rates, runs, strict=True)},
        {label[eta]: [norm(p - x_star) for p in closed[eta]] for eta in rates},
        window=((-10, 10), (-6, 12)), n=ctx.grid, first_step=0, ylabel="‖x_k − x*‖",
        steps_title="Distance to the minimum"),
        TOPICS["G1"]["figure"])
    for eta, r in zip(rates, runs, strict=True):
        ch.check_close(f"sgd: {K}-step trajectory on Booth at η = {eta:g}",
                       "closed form x* + Σ (1 − ηλ_i)^k (u_iᵀe_0) u_i", r.result.trajectory,
                       closed[eta], rtol=1e-10)
    ctx.close_section(ch, "sgd", "Gradient descent")


def momentum(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G2"]["section"])
    ch.text(
        "A ball rolling downhill does not follow the slope at each point; it keeps a "
        "velocity. PyTorch's momentum keeps a buffer $b$ of past gradients and steps along "
        "it:"
    )
    ch.equation(r"b_k = \mu\, b_{k-1} + g_k, \quad b_1 = g_1, \qquad x_{k+1} = x_k - \eta\, b_k")
    ch.text(
        "Unrolled, $b_k = \\sum_{j \\leq k} \\mu^{k-j} g_j$: an exponentially weighted *sum* "
        "(not an average) of the gradients so far. Where they agree it grows: on a constant "
        "slope $b_k = \\frac{1-\\mu^k}{1-\\mu}\\, g$, a terminal velocity $1/(1-\\mu)$ times "
        "plain gradient descent's — ten times for $\\mu = 0.9$ — which is the speed-up along "
        "a valley floor. Where they alternate in sign (bouncing between the walls of a "
        "valley), the sum cancels: for $g_j = \\pm g$ alternately, $\\lvert b_k\\rvert \\to "
        "\\lvert g\\rvert/(1+\\mu)$. In the classical form this is Polyak's heavy ball, "
        "$x_{k+1} = x_k - \\eta g_k + \\mu\\,(x_k - x_{k-1})$ (substitute "
        "$\\eta b_{k-1} = x_{k-1} - x_k$)."
    )
    ch.text(
        "On a quadratic each eigen-direction of $A$ (eigenvalue $\\lambda$) runs its own "
        "two-dimensional linear recursion on the error $z$ along it and the buffer:"
    )
    ch.equation(r"\begin{pmatrix} z_{k+1} \\ b_{k+1} \end{pmatrix} = "
                r"\begin{pmatrix} 1 - \eta\lambda & -\eta\mu \\ \lambda & \mu \end{pmatrix}"
                r"\begin{pmatrix} z_k \\ b_k \end{pmatrix}")
    ch.text(
        "and it shrinks at the rate of the larger eigenvalue of that 2 × 2 matrix. Polyak "
        "(1964) chose $\\eta = 4/(\\sqrt{\\lambda_{max}} + \\sqrt{\\lambda_{min}})^2$, "
        "$\\mu = \\big((\\sqrt\\kappa - 1)/(\\sqrt\\kappa + 1)\\big)^2$, which gives every "
        "direction the same rate $\\rho = (\\sqrt\\kappa - 1)/(\\sqrt\\kappa + 1)$: the "
        "condition number enters through its square root. On Matyas' function "
        "($\\lambda = 0.04$ along the valley $y = x$, 1 across it, $\\kappa = 25$) gradient "
        "descent at its best rate contracts by 24/26 = 0.923 per step, the heavy ball by "
        "4/6 = 0.667. At these parameters the two eigenvalues of the matrix of "
        "$\\lambda_{min}$ coincide, and so do those of $\\lambda_{max}$ (critical damping; "
        "Matyas has no other eigenvalue), so the error is $(A + Bk)\\,\\rho^k$ with $A$ and $B$ "
        "of one sign: the contraction measured between steps $k_1$ and $k_2$ lies between "
        "$\\rho$ and $\\rho\\,(k_2/k_1)^{1/(k_2 - k_1)}$. The library's update, PyTorch's form "
        "of momentum and Nesterov in one kernel:"
    )
    ch.code(sgd_update, "fromscratch.optim.sgd.sgd_update")
    matyas = get("matyas")
    lam_min, lam_max = MATYAS_EIGENVALUES
    kappa = lam_max / lam_min
    rho_gd = (kappa - 1) / (kappa + 1)
    rho_hb = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    K = 150
    gd = trace_on(matyas, SGD, K, start=MATYAS_START, lr=2 / (lam_min + lam_max))
    heavy = trace_on(matyas, SGD, K, start=MATYAS_START, keys=("momentum_buffer",),
                     lr=4 / (math.sqrt(lam_max) + math.sqrt(lam_min)) ** 2, momentum=rho_hb**2)
    along, across = (heavy.state["momentum_buffer"] @ MATYAS_EIGENVECTORS.T).T
    shown = 26
    ctx.figure(ch, plot_paths_and_steps(
        matyas, {"gradient descent": gd.path[:shown], "heavy ball": heavy.path[:shown]},
        {"buffer along the valley": along[:shown], "buffer across the valley": across[:shown]},
        n=ctx.grid, logy=False, ylabel="component of b_k",
        steps_title="The momentum buffer, by direction"),
        TOPICS["G2"]["figure"])
    window = (40, 60)

    def contraction(path):
        errors = [norm(p) for p in path[list(window)]]  # the minimum is the origin
        return (errors[1] / errors[0]) ** (1 / (window[1] - window[0]))

    ch.check_close(f"gradient descent on Matyas: contraction per step, steps {window[0]}–"
                   f"{window[1]}", "(κ − 1)/(κ + 1) = 24/26, exact at η = 2/(λ_min + λ_max)",
                   contraction(gd.path), rho_gd, rtol=1e-10)
    ch.check_bound(f"heavy ball on Matyas: contraction per step, steps {window[0]}–"
                   f"{window[1]}", "between ρ = (√κ − 1)/(√κ + 1) = 2/3 and ρ·(60/40)^(1/20)",
                   contraction(heavy.path), at_least=rho_hb,
                   at_most=rho_hb * (window[1] / window[0]) ** (1 / (window[1] - window[0])))
    slope = np.array([3.0, -0.5])
    constant = trace(SGD, linear_gradient(slope), [0.0, 0.0], 50, keys=("momentum_buffer",),
                     lr=0.01, momentum=0.9)
    k = np.arange(1, 51)[:, None]
    ch.check_close(TOPICS["G2"]["check"],
                   "(1 − μ^k)/(1 − μ)·g: the geometric series", constant.state["momentum_buffer"],
                   (1 - 0.9**k) / (1 - 0.9) * slope, rtol=1e-12)
    ctx.close_section(ch, "momentum", "SGD with momentum")


def nesterov(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G3"]["section"])
    ch.text(
        "Momentum commits to its velocity before looking. Nesterov's method looks first: "
        "it takes the gradient at the point the velocity is about to carry it to. In the "
        "textbook form (Sutskever et al. 2013), with a velocity $v$ in the units of $x$ "
        "(the library's `SGD` with `nesterov=True` runs it in PyTorch's form, below):"
    )
    ch.equation(r"v_{k+1} = \mu\, v_k - \eta\, \nabla f(x_k + \mu v_k), \qquad "
                r"x_{k+1} = x_k + v_{k+1}, \qquad v_0 = 0")
    ch.text(
        "That needs the gradient at a point the parameters never occupy, which a training "
        "loop (gradient at the current parameters) cannot give. PyTorch's form removes it, "
        "in four steps.\n\n"
        "- **Name the look-ahead point** $y_k = x_k + \\mu v_k$; the gradient is taken there, "
        "$g_k = \\nabla f(y_k)$, and $y_0 = x_0$.\n"
        "- **Advance it:** $y_{k+1} = x_{k+1} + \\mu v_{k+1} = x_k + (1 + \\mu) v_{k+1} = "
        "y_k - \\mu v_k + (1 + \\mu) v_{k+1}$.\n"
        "- **Eliminate** $\\mu v_k$ with the first equation, $\\mu v_k = v_{k+1} + \\eta g_k$: "
        "$y_{k+1} = y_k - \\eta g_k + \\mu v_{k+1}$.\n"
        "- **Count the velocity in gradients**, $v_k = -\\eta\\, b_k$ (for a constant "
        "$\\eta$): $b_{k+1} = \\mu b_k + g_k$ and $y_{k+1} = y_k - \\eta\\,(g_k + \\mu "
        "b_{k+1})$.\n\n"
        "That is PyTorch's Nesterov (the kernel above): the same buffer as momentum, and a "
        "step that adds the *next* buffer's momentum to the fresh gradient. The parameter "
        "PyTorch stores is the look-ahead point $y$, so its gradient is an ordinary "
        "gradient at the current parameters. Written like the heavy ball, "
        "$y_{k+1} = y_k - \\eta g_k + \\mu (y_k - y_{k-1}) - \\eta\\mu\\,(g_k - g_{k-1})$: "
        "the look-ahead adds a gradient *difference*, which brakes as soon as the gradient "
        "turns around — one step before an overshoot. "
        "On a quadratic with $\\eta = 1/\\lambda_{max}$ and $\\mu = (\\sqrt\\kappa - 1)/"
        "(\\sqrt\\kappa + 1)$ the steep direction is gone after two steps and the flat one "
        "contracts by $1 - 1/\\sqrt\\kappa$ (a double root again): 0.8 on Matyas."
    )
    matyas = get("matyas")
    lam_min, lam_max = MATYAS_EIGENVALUES
    kappa = lam_max / lam_min
    eta, mu = 1 / lam_max, (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    K = 60
    nag = trace_on(matyas, SGD, K, start=MATYAS_START, lr=eta, momentum=mu, nesterov=True)
    heavy = trace_on(matyas, SGD, K, start=MATYAS_START,
                     lr=4 / (math.sqrt(lam_max) + math.sqrt(lam_min)) ** 2, momentum=mu**2)
    gd = trace_on(matyas, SGD, K, start=MATYAS_START, lr=2 / (lam_min + lam_max))
    # Sutskever's recursion iterated by hand: the reference for the derivation above.
    gradient = grad(matyas)
    x, v = np.array(MATYAS_START), np.zeros(2)
    textbook = [x.copy()]
    for _ in range(K):
        v = mu * v - eta * gradient(x + mu * v)
        x = x + v
        textbook.append(x + mu * v)
    errors = {name: [norm(p) for p in run.path] for name, run in
              (("gradient descent", gd), ("heavy ball", heavy), ("Nesterov", nag))}
    ctx.figure(ch, plot_paths_and_steps(
        matyas, {"heavy ball": heavy.path[:26], "Nesterov": nag.path[:26]}, errors,
        n=ctx.grid, first_step=0, ylabel="‖x_k − x*‖", steps_title="Distance to the minimum"),
        TOPICS["G3"]["figure"])
    ch.check_close(TOPICS["G3"]["check"],
                   "Sutskever's textbook recursion, y_k = x_k + μv_k, iterated by hand",
                   nag.path, np.array(textbook), rtol=1e-12)
    window = (40, 60)
    errors_nag = errors["Nesterov"]
    ch.check_bound(f"Nesterov on Matyas: contraction per step, steps {window[0]}–{window[1]}",
                   "between 1 − 1/√κ = 0.8 and 0.8·(60/40)^(1/20)",
                   (errors_nag[window[1]] / errors_nag[window[0]]) ** (1 / 20),
                   at_least=1 - 1 / math.sqrt(kappa),
                   at_most=(1 - 1 / math.sqrt(kappa)) * 1.5 ** (1 / 20))
    ctx.close_section(ch, "nesterov", "Nesterov momentum")
