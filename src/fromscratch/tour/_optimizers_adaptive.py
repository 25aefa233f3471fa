"""The optimizer chapter, second part: one step size per coordinate — Adagrad, RMSprop,
Adadelta — and what the adaptive methods' steps really measure.

The checks: the state each method carries on a constant slope against its geometric series,
Adagrad's indifference to the gradient's scale, Adadelta's first step against its derivation,
and every stated step-length law against the measured steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from fromscratch.autodiff import grad
from fromscratch.benchfunctions import get, race
from fromscratch.optim import SGD, Adadelta, Adagrad, RMSprop
from fromscratch.optim.adadelta import adadelta_update
from fromscratch.optim.adagrad import adagrad_update
from fromscratch.optim.rmsprop import rmsprop_update
from fromscratch.plot.optim import plot_paths_and_steps, plot_per_step
from fromscratch.tour._optimizers_common import linear_gradient, norm, trace, trace_on

if TYPE_CHECKING:
    from fromscratch.benchfunctions import TestFunction
    from fromscratch.tour._optimizers_common import Trace
    from fromscratch.tour.ch_optimizers import Context
    from fromscratch.tour.chapter import Chapter

TOPICS = {
    "G6": {
        "section": "Adagrad",
        "figure": "Adagrad on Rosenbrock from $(-1.2, 1)$ ($\\eta = 1$) beside "
                  "gradient descent ($\\eta = 0.002$). Right: Adagrad's per-coordinate "
                  "multiplier $1/(\\sqrt{G_k} + \\epsilon)$ of $\\eta$. The first few steps "
                  "jump onto the valley's steep walls; their large gradients enter the sum "
                  "and stay there, so the multiplier drops in five steps and never recovers "
                  "— Adagrad does not forget.",
        "check": "adagrad: path on 1000·f vs path on f (Rosenbrock)",
    },
    "G5": {
        "section": "RMSprop",
        "figure": "Adagrad ($\\eta = 1$) and RMSprop ($\\eta = 0.01$) on Rosenbrock. "
                  "Right: each one's multiplier of $\\eta$ per coordinate — Adagrad's "
                  "falls for ever, RMSprop's follows the recent gradients and rises again as "
                  "they get small near the valley floor.",
        "check": "rmsprop: v_k on a constant slope, 200 steps",
    },
    "G7": {
        "section": "Adadelta",
        "figure": "Adadelta ($\\eta = 1$, its default) on Rosenbrock. Right: its "
                  "numerator $\\sqrt{u_{k-1} + \\epsilon}$ (the RMS of its own recent steps, in "
                  "the units of $x$) and denominator $\\sqrt{v_k + \\epsilon}$ (the RMS of recent "
                  "gradients), per coordinate. The numerator starts at $\\sqrt{\\epsilon} = "
                  "10^{-3}$: the first steps are tiny, and grow as the steps themselves do.",
        "check": "adadelta: first step on Rosenbrock, per coordinate",
    },
}
STEP_LENGTHS = {
    "section": "How long is a step?",
    "figure": "Step lengths $\\|x_{k+1} - x_k\\|$ in units of each method's $\\eta$. Left: on a "
              "constant slope $g = (3, -0.5)$, measured (solid) and the closed forms "
              "(dashed); $\\sqrt{2} = 1.41$ is one $\\eta$ per coordinate in two dimensions. "
              "Right: on Booth's quadratic from $(-8, 8)$, where every method must shorten "
              "its steps to converge.",
}

def _adagrad_on_rosenbrock(ctx: Context) -> tuple[TestFunction, Trace]:
    """Rosenbrock and Adagrad's run on it (η = 1), shown in its own section and beside RMSprop's
    in the next."""
    rosenbrock = get("rosenbrock")
    return rosenbrock, trace_on(rosenbrock, Adagrad, ctx.rosenbrock_steps, keys=("sum",), lr=1.0)


def _multiplier(state: np.ndarray, eps: float) -> dict[str, np.ndarray]:
    """The factor an adaptive method puts on η, per coordinate: 1/(√s + ε)."""
    return {"x": 1 / (np.sqrt(state[:, 0]) + eps), "y": 1 / (np.sqrt(state[:, 1]) + eps)}


def adagrad(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G6"]["section"])
    ch.text(
        "Gradient descent's single learning rate must suit the steepest direction. Adagrad "
        "(Duchi, Hazan & Singer 2011) gives every coordinate its own, divided by the root of "
        "the sum of all that coordinate's squared gradients so far (operations elementwise):"
    )
    ch.equation(r"G_k = G_{k-1} + g_k^2")
    ch.equation(r"x_{k+1} = x_k - \eta\, \frac{g_k}{\sqrt{G_k} + \epsilon}")
    ch.text(
        "A coordinate with a history of large gradients (a steep direction) takes small "
        "steps; one whose gradients are small or rare takes large ones — the design goal was "
        "sparse features, where a rare word should learn fast the few times it appears.\n\n"
        "**Units.** $g_k/\\sqrt{G_k}$ is a gradient over a root-sum of gradients: a pure "
        "number. So the step has the units of $\\eta$, which is now a *length* in the units "
        "of $x$ (for gradient descent it was an inverse curvature), and the step no longer "
        "depends on how large the gradient is: multiply $f$ by 1000 and Adagrad takes the "
        "same path (up to $\\epsilon$), where gradient descent would take steps 1000 times "
        "longer.\n\n"
        "**Step length.** On a constant slope $G_k = k g^2$, so the $k$-th step is "
        "$\\eta\\,\\lvert g\\rvert/(\\sqrt{k}\\lvert g\\rvert + \\epsilon) \\approx "
        "\\eta/\\sqrt{k}$ per coordinate: the steps shrink like $1/\\sqrt{k}$, and after $K$ "
        "steps the distance covered is only about $2\\eta\\sqrt{K}$. The sum never forgets, so the "
        "effective learning rate only falls. For convex problems that is exactly right (it "
        "is what Adagrad's regret bound needs); in a long non-convex training run it stalls "
        "the optimizer, which RMSprop fixes next."
    )
    ch.code(adagrad_update, "fromscratch.optim.adagrad.adagrad_update")
    rosenbrock, run = _adagrad_on_rosenbrock(ctx)
    K = ctx.rosenbrock_steps
    sgd = trace_on(rosenbrock, SGD, K, lr=2e-3)
    ctx.figure(ch, plot_paths_and_steps(
        rosenbrock, {"gradient descent": sgd.path, "Adagrad": run.path},
        _multiplier(run.state["sum"], 1e-10), n=ctx.grid, logx=True, ylabel="1/(√G_k + ε)",
        steps_title="Adagrad's multiplier of η, per coordinate"), TOPICS["G6"]["figure"])
    gradient = grad(rosenbrock)
    scaled = trace(Adagrad, lambda x: 1000.0 * gradient(x), rosenbrock.start, K, lr=1.0)
    # The scale cancels in g/√G exactly; only ε = 1e-10 against √G ≥ 200 (the first gradient)
    # stays, a relative 1e-12 per step.
    ch.check_close(TOPICS["G6"]["check"], "the same path: g/√G has no units", scaled.path,
                   run.path, rtol=1e-10)
    ctx.close_section(ch, "adagrad", "Adagrad")


def rmsprop(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G5"]["section"])
    ch.text(
        "RMSprop (Hinton's lecture notes, 2012) keeps Adagrad's per-coordinate division but "
        "lets the past fade: an exponential moving average of the squared gradients instead "
        "of their sum,"
    )
    ch.equation(r"v_k = \alpha\, v_{k-1} + (1 - \alpha)\, g_k^2, \qquad x_{k+1} = x_k - \eta\, "
                r"\frac{g_k}{\sqrt{v_k} + \epsilon}")
    ch.text(
        "with a memory of about $1/(1-\\alpha) = 100$ steps for PyTorch's $\\alpha = 0.99$. "
        "The step adapts to the *recent* scale of each coordinate's gradient and never decays "
        "to zero; the units are Adagrad's ($\\eta$ is a length).\n\n"
        "**Step length.** Unrolled, $v_k = (1-\\alpha) \\sum_{j \\leq k} \\alpha^{k-j} g_j^2$ — "
        "weights that sum to $1 - \\alpha^k$, not to 1: started at zero, $v$ underestimates the "
        "mean square for the first hundreds of steps, and RMSprop does not correct for it. On a "
        "constant slope $v_k = (1 - \\alpha^k) g^2$ exactly, so the $k$-th step is "
        "$\\eta/\\sqrt{1 - \\alpha^k}$ per coordinate: the **first step is** "
        "$\\eta/\\sqrt{1 - \\alpha} = 10\\eta$, after 100 steps it is still $1.26\\eta$, and only "
        "then does it settle at $\\eta$ — \"about $\\eta$ per step\" holds after the warm-up, and "
        "only while the slope is steady (near a minimum $v$ remembers larger gradients and "
        "the steps shrink)."
    )
    ch.code(rmsprop_update, "fromscratch.optim.rmsprop.rmsprop_update")
    rosenbrock, ada = _adagrad_on_rosenbrock(ctx)
    rms = trace_on(rosenbrock, RMSprop, ctx.rosenbrock_steps, keys=("square_avg",), lr=1e-2)
    multipliers = {f"Adagrad, {axis}": values
                   for axis, values in _multiplier(ada.state["sum"], 1e-10).items()}
    multipliers.update({f"RMSprop, {axis}": values
                        for axis, values in _multiplier(rms.state["square_avg"], 1e-8).items()})
    ctx.figure(ch, plot_paths_and_steps(
        rosenbrock, {"Adagrad": ada.path, "RMSprop": rms.path}, multipliers, n=ctx.grid, logx=True,
        ylabel="multiplier of η", steps_title="The effective learning rate, per coordinate"),
        TOPICS["G5"]["figure"])
    slope = np.array([3.0, -0.5])
    constant = trace(RMSprop, linear_gradient(slope), [0.0, 0.0], 200, keys=("square_avg",),
                     lr=0.01)
    k = np.arange(1, 201)[:, None]
    ch.check_close(TOPICS["G5"]["check"], "(1 − α^k) g²: the weights sum to 1 − α^k",
                   constant.state["square_avg"], (1 - 0.99**k) * slope**2, rtol=1e-12)
    ctx.close_section(ch, "rmsprop", "RMSprop")


def adadelta(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G7"]["section"])
    ch.text(
        "Zeiler (2012) started from the units. In gradient descent $\\eta$ is an inverse "
        "curvature ($x^2/f$); in Adagrad and RMSprop it is a length. Newton's step "
        "$\\Delta x = H^{-1} g$ needs no $\\eta$ at all: $1/H$ has the units of "
        "$\\Delta x / g$. Adadelta estimates that ratio, per coordinate, by the RMS of its own "
        "recent steps over the RMS of the recent gradients:"
    )
    ch.equation(r"v_k = \rho\, v_{k-1} + (1 - \rho)\, g_k^2, \qquad \Delta_k = "
                r"\frac{\sqrt{u_{k-1} + \epsilon}}{\sqrt{v_k + \epsilon}}\, g_k")
    ch.equation(r"u_k = \rho\, u_{k-1} + (1 - \rho)\, \Delta_k^2, \qquad x_{k+1} = x_k - "
                r"\eta\, \Delta_k")
    ch.text(
        "**Units.** $\\sqrt{u}$ is an RMS of steps (units of $x$), $\\sqrt{v}$ and $g$ are "
        "gradients (units of $f/x$): $\\Delta$ has the units of $x$, so the paper needs no "
        "learning rate; PyTorch keeps $\\eta$ as a multiplier, default 1.\n\n"
        "**Step length.** The numerator starts at $u_0 = 0$, so the first step is "
        "$\\eta\\sqrt{\\epsilon}\\,\\lvert g\\rvert/\\sqrt{(1-\\rho) g^2 + \\epsilon} \\approx "
        "\\eta\\sqrt{\\epsilon/(1 - \\rho)}$ — for PyTorch's $\\epsilon = 10^{-6}$, "
        "$\\rho = 0.9$, about $0.0032\\,\\eta$ whatever the gradient: $\\epsilon$ is not only a "
        "guard against division by zero, it is Adadelta's initial step size. On a constant "
        "slope, once $v_k \\approx g^2 \\gg \\epsilon$, the step is $\\sqrt{u_{k-1} + "
        "\\epsilon}$ and $u_k = \\rho u_{k-1} + (1-\\rho)(u_{k-1} + \\epsilon) = u_{k-1} + "
        "(1-\\rho)\\epsilon$ grows linearly: the steps grow like $\\eta\\sqrt{(1-\\rho)\\epsilon "
        "k}$ — Adadelta accelerates on a steady slope, from a timid start."
    )
    ch.code(adadelta_update, "fromscratch.optim.adadelta.adadelta_update")
    rosenbrock = get("rosenbrock")
    run = trace_on(rosenbrock, Adadelta, ctx.rosenbrock_steps, keys=("square_avg", "acc_delta"),
                   lr=1.0)
    eps, rho = 1e-6, 0.9
    numerator = np.sqrt(np.vstack([np.zeros(2), run.state["acc_delta"][:-1]]) + eps)
    denominator = np.sqrt(run.state["square_avg"] + eps)
    ctx.figure(ch, plot_paths_and_steps(
        rosenbrock, {"Adadelta": run.path},
        {"√(u + ε), x": numerator[:, 0], "√(u + ε), y": numerator[:, 1],
         "√(v + ε), x": denominator[:, 0], "√(v + ε), y": denominator[:, 1]},
        n=ctx.grid, logx=True, steps_title="Adadelta's RMS of steps and of gradients"),
        TOPICS["G7"]["figure"])
    g0 = grad(rosenbrock)(np.array(rosenbrock.start))
    ch.check_close(TOPICS["G7"]["check"], "η√ε|g|/√((1 − ρ)g² + ε) ≈ η√(ε/(1 − ρ)) = 0.00316",
                   np.abs(run.steps[0]), np.sqrt(eps) * np.abs(g0) / np.sqrt((1 - rho) * g0**2
                                                                            + eps), rtol=1e-12)
    ctx.close_section(ch, "adadelta", "Adadelta")


def step_lengths(ch: Chapter, ctx: Context) -> None:
    from matplotlib.figure import Figure

    ch.heading(STEP_LENGTHS["section"])
    closed = ctx.closed
    K, g = closed.K, closed.SLOPE
    k = np.arange(1, K + 1).astype(float)
    adaptive = ("adagrad", "rmsprop", "adadelta", "adam", "adamax", "nadam")
    measured, predicted = {}, {}
    for name, mu in (("sgd", 0.0), ("momentum", 0.9)):
        run = trace(SGD, linear_gradient(g), closed.START, K, lr=0.01, momentum=mu)
        measured[name] = run.step_lengths / 0.01
        predicted[name] = norm(g) * (1 - mu**k) / (1 - mu)  # the buffer's geometric series
    for name in adaptive:
        lr = closed.LR[name]
        steps = np.diff(closed.path(name), axis=0)
        measured[name] = np.sqrt(np.sum(steps * steps, axis=1)) / lr
        formula = np.diff(closed.formula(name), axis=0)
        predicted[name] = np.sqrt(np.sum(formula * formula, axis=1)) / lr
    nadam = predicted["nadam"] / np.sqrt(2)
    dip = int(np.argmin(nadam))
    ch.text(
        "\"Each step has a length of about $\\eta$\" is said of every adaptive method, and it "
        "is true of none of them in general. What they share is that dividing by a running "
        "scale of the gradient makes the step independent of the gradient's *size* — not of "
        "time, and not of the gradient's *consistency*. On a constant slope, where each "
        "section's formula is exact, per coordinate:\n\n"
        "- **Adam and Adamax:** $\\eta$ from the first step (the bias correction makes "
        "$\\hat m = g$, $\\hat v = g^2$ exactly; Adamax's maximum needs none).\n"
        "- **RMSprop:** $\\eta/\\sqrt{1-\\alpha^k}$ — $10\\eta$ first, $1.26\\eta$ after 100 "
        "steps, then $\\eta$.\n"
        "- **Adagrad:** $\\eta/\\sqrt{k}$, shrinking for ever.\n"
        "- **Adadelta:** $\\eta\\sqrt{\\epsilon/(1-\\rho)} = 0.0032\\eta$ first, growing like "
        "$\\eta\\sqrt{(1-\\rho)\\epsilon k}$.\n"
        f"- **NAdam:** ${predicted['nadam'][0] / np.sqrt(2):.3f}\\eta$ first, dipping to "
        f"${nadam[dip]:.2f}\\eta$ at step {dip + 1}, then $\\eta$ (its bias correction "
        "uses the scheduled momenta, see NAdam).\n"
        "- **SGD and momentum** are not adaptive: $\\eta\\lvert g\\rvert$, and up to "
        "$\\eta\\lvert g\\rvert/(1-\\mu)$ with momentum.\n\n"
        "And where the slope is not steady — near any minimum, where the gradient shrinks "
        "and flips sign — the averages remember larger or opposite gradients and every "
        "method's steps shrink, Adam's too (right panel)."
    )
    booth = get("booth")
    booth_lr = {"sgd": 0.02, "momentum": 0.02, "adagrad": 1.0, "rmsprop": 0.05,
                "adadelta": 1.0, "adam": 0.1, "adamax": 0.1, "nadam": 0.1}
    booth_runs = race(booth, list(booth_lr), lr=list(booth_lr.values()),
                      steps=100 if ctx.quick else 300, tol=0.0)
    fig = Figure(figsize=(12.0, 4.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_per_step(measured, predicted, logx=True, ax=left, ylabel="‖x_{k+1} − x_k‖ / η",
                  title="On a constant slope")
    plot_per_step({r.name: np.sqrt(np.sum(np.diff(r.result.trajectory, axis=0) ** 2, axis=1))
                   / booth_lr[r.name] for r in booth_runs}, logx=True, ax=right,
                  ylabel="‖x_{k+1} − x_k‖ / η", title="On Booth's quadratic")
    ctx.figure(ch, fig, STEP_LENGTHS["figure"])
    eps = 1e-8
    first = {name: np.abs(np.diff(closed.path(name)[:2], axis=0)[0]) / closed.LR[name]
             for name in adaptive}
    mu1, mu2 = (0.9 * (1 - 0.5 * 0.96 ** (t * 4e-3)) for t in (1, 2))
    laws = {
        "adam": ("first step = η·g/(|g| + ε) ≈ η·sign(g)", np.abs(g) / (np.abs(g) + eps)),
        "rmsprop": ("first step = η|g|/(√(1 − α)|g| + ε) ≈ η/√(1 − α) = 10η",
                    np.abs(g) / (np.sqrt(1 - 0.99) * np.abs(g) + eps)),
        "adadelta": ("first step = η√ε|g|/√((1 − ρ)g² + ε) ≈ 0.0032η",
                     np.sqrt(1e-6) * np.abs(g) / np.sqrt((1 - 0.9) * g**2 + 1e-6)),
        "nadam": ("first step = η(1 + μ₂(1 − β₁)/(1 − μ₁μ₂))·|g|/(|g| + ε)",
                  (1 + mu2 * (1 - 0.9) / (1 - mu1 * mu2)) * np.abs(g) / (np.abs(g) + eps)),
    }
    for name, (how, law) in laws.items():
        ch.check_close(f"{name}: first step on a constant slope, per coordinate, in η",
                       how, first[name], law, rtol=1e-12)
    adagrad_steps = np.abs(np.diff(closed.path("adagrad"), axis=0)) / closed.LR["adagrad"]
    ch.check_close(f"adagrad: all {K} steps on a constant slope, per coordinate, in η",
                   "k-th step = |g|/(√k|g| + ε) ≈ 1/√k",
                   adagrad_steps, np.abs(g) / (np.sqrt(k[:, None]) * np.abs(g) + 1e-10),
                   rtol=1e-12)
    adamax_steps = np.abs(np.diff(closed.path("adamax"), axis=0)) / closed.LR["adamax"]
    ch.check_close(f"adamax: all {K} steps on a constant slope, per coordinate, in η",
                   "|g|/(|g| + ε) ≈ 1 at every step", adamax_steps,
                   np.broadcast_to(np.abs(g) / (np.abs(g) + eps), adamax_steps.shape),
                   rtol=1e-12)
