"""The optimizer chapter, third part: the Adam family — Adam, Adamax, NAdam and AdamW.

The checks: Adam's moments against their expectations (on noisy gradients, within standard
errors derived from the sample) and their geometric series (on a constant slope); Adamax's
running maximum as the limit of p-norms and its step bound; NAdam's momentum schedule read
back from its state; AdamW's fixed point in closed form, and its distance from the
L2-penalized minimizer it is often said to find.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from fromscratch.optim import SGD, Adam, Adamax, AdamW, NAdam
from fromscratch.optim.adam import adam_update, adamax_update, nadam_update
from fromscratch.plot.optim import plot_per_step, plot_weight_decay
from fromscratch.tour._optimizers_common import linear_gradient, norm, quadratic, trace

if TYPE_CHECKING:
    from fromscratch.tour.ch_optimizers import Context
    from fromscratch.tour.chapter import Chapter

TOPICS = {
    "G4": {
        "section": "Adam",
        "figure": "Adam's moments on noisy gradients $g = 1 + 2\\xi$, $\\xi \\sim N(0, 1)$, "
                  "averaged over 4000 coordinates (each its own noise). Left: the raw average "
                  "$m_k$ starts at 0 and reaches $E[g] = 1$ only as $1 - \\beta_1^k$ does; "
                  "$\\hat m_k$ is right from the first step. Right: the same for "
                  "$\\sqrt{v_k}$ against $\\sqrt{E[g^2]} = \\sqrt5$, where the bias lasts "
                  "a thousand steps.",
        "check": "adam: mean of m_k over 4000 noisy coordinates, steps 1–100",
    },
    "G8": {
        "section": "Adamax",
        "figure": "A gradient stream with one spike (20 at step 30). The bias-corrected "
                  "$p$-norm averages $(v^{(p)}_k/(1 - \\beta_2^{pk}))^{1/p}$ for growing $p$ "
                  "and Adamax's $u_k$ (the library's state, $p = \\infty$): the larger $p$, the "
                  "longer the spike is remembered; at $p = \\infty$ it decays by $\\beta_2$ per "
                  "step.",
        "check": "adamax: p-norm average at p = 10⁴ / u_k, steps 1–200",
    },
    "G9": {
        "section": "NAdam",
        "figure": "NAdam's momentum schedule $\\mu_k$, read back from the library's state "
                  "(the ratio of successive products $\\prod \\mu_i$), and Dozat's formula "
                  "(dashed, continued to $10^5$ steps): it starts at $\\beta_1/2$ and needs "
                  "thousands of steps to move towards $\\beta_1$.",
        "check": "nadam: μ_k from the state's product, 800 steps",
    },
    "G10": {
        "section": "AdamW",
        "figure": "Weight decay $\\lambda = 0.5$ on $f = \\frac12 (x - 4)^2 + 5 (y - 4)^2$ "
                  "from the origin. Adam with the penalty in its gradient and SGD with "
                  "weight decay stop at the minimizer of $f + \\frac{\\lambda}{2}\\|x\\|^2$; "
                  "AdamW stops at its own fixed point, the corner of the box "
                  "$\\|x\\|_\\infty \\leq 1/\\lambda$. Right: each run's distance to the point "
                  "the closed forms predict for it.",
        "check": "AdamW's point minus the L2-penalized minimizer",
    },
}


def adam(ch: Chapter, ctx: Context) -> None:
    from matplotlib.figure import Figure

    ch.heading(TOPICS["G4"]["section"])
    ch.text(
        "Adam (Kingma & Ba 2015) combines the two ideas so far: momentum's running average "
        "of the gradient (the direction) and RMSprop's running average of its square (the "
        "scale), both corrected for starting at zero:"
    )
    ch.equation(r"m_k = \beta_1 m_{k-1} + (1 - \beta_1)\, g_k, \qquad v_k = \beta_2 v_{k-1} + "
                r"(1 - \beta_2)\, g_k^2")
    ch.equation(r"\hat m_k = \frac{m_k}{1 - \beta_1^k}, \quad \hat v_k = \frac{v_k}{1 - "
                r"\beta_2^k}, \qquad x_{k+1} = x_k - \eta\, \frac{\hat m_k}{\sqrt{\hat v_k} + "
                r"\epsilon}")
    ch.text(
        "**The bias correction, derived.** Unroll the average from $m_0 = 0$: "
        "$m_k = (1 - \\beta_1) \\sum_{i=1}^k \\beta_1^{k-i} g_i$. If the gradients are draws "
        "with a common mean $E[g]$, the expectation is a geometric series:"
    )
    ch.equation(r"E[m_k] = (1 - \beta_1) \sum_{i=1}^k \beta_1^{k-i}\, E[g] = (1 - \beta_1)\, "
                r"\frac{1 - \beta_1^k}{1 - \beta_1}\, E[g] = (1 - \beta_1^k)\, E[g]")
    ch.text(
        "and likewise $E[v_k] = (1 - \\beta_2^k) E[g^2]$. Dividing by $1 - \\beta^k$ makes both "
        "unbiased from the first step. The division needs the step count $k$: dividing by "
        "$1 - \\beta$ instead is a classic bug. Without the correction Adam's first step "
        "would be $\\eta\\,(1-\\beta_1)/\\sqrt{1-\\beta_2} = 3.2\\eta$ per coordinate, and for "
        "$\\beta_2 = 0.999$ the bias of $v$ lasts about a thousand steps.\n\n"
        "**Step length and units.** On a constant slope $\\hat m_k = g$ and $\\hat v_k = g^2$ "
        "exactly, so every coordinate moves by $\\eta\\, g/(\\lvert g\\rvert + \\epsilon) "
        "\\approx \\eta\\,\\mathrm{sign}(g)$ per step: $\\eta$ is a length, the same for a slope "
        "of 3 and of 0.5. With noise, $\\lvert\\hat m\\rvert/\\sqrt{\\hat v} \\approx "
        "\\lvert E[g]\\rvert/\\sqrt{E[g^2]}$ — a signal-to-noise ratio, below 1: noisy "
        "coordinates move less. Note where $\\epsilon$ sits: outside the root of the "
        "*corrected* $\\hat v$, as in PyTorch."
    )
    ch.code(adam_update, "fromscratch.optim.adam.adam_update")
    mean, sd, n, K = 1.0, 2.0, 4000, 100
    beta1, beta2 = 0.9, 0.999
    rng = np.random.default_rng(0)
    run = trace(Adam, lambda x: mean + sd * rng.standard_normal(n), np.zeros(n), K,
                keys=("exp_avg", "exp_avg_sq"), lr=1e-3)
    k = np.arange(1, K + 1)
    m, v = run.state["exp_avg"].mean(axis=1), run.state["exp_avg_sq"].mean(axis=1)
    fig = Figure(figsize=(12.0, 4.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_per_step({"m_k (raw)": m, "m̂_k (corrected)": m / (1 - beta1**k)},
                  {"m_k (raw)": (1 - beta1**k) * mean, "m̂_k (corrected)": np.full(K, mean)},
                  logy=False, ax=left, ylabel="mean over coordinates",
                  title="First moment: the average of g")
    plot_per_step({"√v_k (raw)": np.sqrt(v), "√v̂_k (corrected)": np.sqrt(v / (1 - beta2**k))},
                  {"√v_k (raw)": np.sqrt((1 - beta2**k) * (mean**2 + sd**2)),
                   "√v̂_k (corrected)": np.full(K, math.sqrt(mean**2 + sd**2))},
                  logy=False, ax=right, ylabel="root of the mean over coordinates",
                  title="Second moment: the average of g²")
    ctx.figure(ch, fig, TOPICS["G4"]["figure"])
    # Var(m_k) = (1 − β₁)² σ² Σ β₁^{2(k−i)} = (1 − β₁)² σ² (1 − β₁^{2k}) / (1 − β₁²); the mean
    # over n independent coordinates has that variance over n. 100 correlated z-scores of a
    # fixed seed: 4.5 standard errors is a bound no correct implementation reaches.
    se = np.sqrt((1 - beta1) ** 2 * sd**2 * (1 - beta1 ** (2 * k)) / (1 - beta1**2) / n)
    z = np.abs(m - (1 - beta1**k) * mean) / se
    ch.check(TOPICS["G4"]["check"], "E[m_k] = (1 − β₁^k)·E[g], within 4.5 standard errors",
             float(z.max()), 4.5, "largest |mean − (1 − β₁^k)E[g]| / standard error")
    slope = np.array([3.0, -0.5])
    constant = trace(Adam, linear_gradient(slope), [0.0, 0.0], 200,
                     keys=("exp_avg", "exp_avg_sq"), lr=0.01)
    t = np.arange(1, 201)[:, None]
    ch.check_close("adam: m_k and v_k on a constant slope, 200 steps",
                   "(1 − β₁^k)·g and (1 − β₂^k)·g²: the geometric series",
                   np.hstack([constant.state["exp_avg"], constant.state["exp_avg_sq"]]),
                   np.hstack([(1 - beta1**t) * slope, (1 - beta2**t) * slope**2]), rtol=1e-12)
    ctx.close_section(ch, "adam", "Adam")


def _p_norm_average(g: np.ndarray, beta2: float, p: float) -> np.ndarray:
    r"""Kingma & Ba's :math:`L^p` average, bias-corrected, for every step of a 1-D gradient
    stream: :math:`\big((1-\beta_2^p)\sum_{i\le k} \beta_2^{p(k-i)} |g_i|^p /
    (1 - \beta_2^{pk})\big)^{1/p}`, summed in logarithms (:math:`|g|^p` overflows at large
    :math:`p`)."""
    k = np.arange(1, len(g) + 1)
    logs = p * (np.log(np.abs(g))[None, :] + (k[:, None] - k[None, :]) * math.log(beta2))
    logs = np.where(k[None, :] <= k[:, None], logs, -np.inf)
    top = logs.max(axis=1)
    log_sum = top + np.log(np.sum(np.exp(logs - top[:, None]), axis=1))
    log_weight = np.log1p(-beta2**p) - np.log1p(-(beta2 ** (p * k)))
    return np.exp((log_sum + log_weight) / p)


def adamax(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G8"]["section"])
    ch.text(
        "Adam scales by an $L^2$ average of past gradients. Kingma & Ba's Adamax takes the "
        "$L^p$ version and lets $p \\to \\infty$. With the decay written $\\beta_2^p$ so that "
        "the limit exists,"
    )
    ch.equation(r"v_k^{(p)} = \beta_2^p\, v_{k-1}^{(p)} + (1 - \beta_2^p)\, \lvert g_k\rvert^p "
                r"= (1 - \beta_2^p) \sum_{i \leq k} \left(\beta_2^{k-i} \lvert g_i\rvert"
                r"\right)^p")
    ch.text(
        "and $(v_k^{(p)})^{1/p}$ is a weighted $p$-norm of the decayed gradients "
        "$\\beta_2^{k-i}\\lvert g_i\\rvert$. As $p \\to \\infty$ a $p$-norm tends to the "
        "largest entry and $(1 - \\beta_2^p)^{1/p} \\to 1$, so"
    )
    ch.equation(r"u_k = \lim_{p \to \infty} \big(v_k^{(p)}\big)^{1/p} = \max_{i \leq k} "
                r"\beta_2^{k-i} \lvert g_i\rvert = \max\big(\beta_2 u_{k-1},\ \lvert g_k\rvert"
                r"\big), \qquad x_{k+1} = x_k - \frac{\eta}{1 - \beta_1^k}\, \frac{m_k}{u_k}")
    ch.text(
        "a recursion as cheap as Adam's. A maximum needs no bias correction: the zero it "
        "starts from never wins it, so $u_1 = \\lvert g_1\\rvert$ already. PyTorch adds "
        "$\\epsilon$ inside the maximum ($\\lvert g_k\\rvert + \\epsilon$) so that a "
        "coordinate whose gradients were all zero does not divide 0 by 0. A single large "
        "gradient is remembered — it decays by 0.1% per step — rather than averaged away.\n\n"
        "**Step length.** Every past gradient is bounded by the maximum: "
        "$\\lvert g_i\\rvert \\leq u_k / \\beta_2^{k-i}$, so $\\lvert m_k\\rvert \\leq (1 - "
        "\\beta_1) \\sum_i \\beta_1^{k-i} u_k/\\beta_2^{k-i}$ and"
    )
    ch.equation(r"\lvert x_{k+1} - x_k\rvert \leq \eta\, \frac{(1 - \beta_1)\big(1 - "
                r"(\beta_1/\beta_2)^k\big)}{(1 - \beta_1^k)(1 - \beta_1/\beta_2)} \leq "
                r"\eta\, \frac{1 - \beta_1}{1 - \beta_1/\beta_2} = 1.009\,\eta")
    ch.text(
        "per coordinate, for any gradients at all (the first step is exactly $\\eta$); on a "
        "constant slope it is $\\eta$. Adam has no such bound: a sudden large gradient after "
        "small ones gives $\\hat m/\\sqrt{\\hat v}$ up to $(1 - \\beta_1)/\\sqrt{1 - \\beta_2} "
        "\\approx 3.2$."
    )
    ch.code(adamax_update, "fromscratch.optim.adam.adamax_update")
    K, beta1, beta2 = 200, 0.9, 0.999
    rng = np.random.default_rng(1)
    stream = 1.0 + 0.3 * rng.standard_normal(K)
    stream[29] = 20.0
    gradients = iter(stream[:, None])  # one coordinate, the stream's values in turn
    run = trace(Adamax, lambda x: next(gradients), [0.0], K, keys=("exp_inf",), lr=1e-3)
    u = run.state["exp_inf"][:, 0]
    curves = {f"p = {p}": _p_norm_average(stream, beta2, p) for p in (2, 8, 32)}
    curves["Adamax u_k (p = ∞)"] = u
    ctx.figure(ch, plot_per_step(curves, ylabel="scale of the gradient",
                            title="From Adam's root mean square to Adamax's maximum"),
              TOPICS["G8"]["figure"])
    p = 1e4
    # max ≤ ‖w‖_p ≤ n^(1/p)·max for n entries, times (1 − β₂^p)^(1/p)/(1 − β₂^(pk))^(1/p),
    # which is 1 to 4e-9 at p = 10⁴; u_k also carries ε = 1e-8 against |g| ≥ 0.1.
    ratio = _p_norm_average(stream, beta2, p) / u
    ch.check_bound(TOPICS["G8"]["check"], "between 1 and K^(1/p) = 1.00053 (max ≤ p-norm ≤ "
                   "n^(1/p)·max)", float(np.max(np.abs(ratio - 1))),
                   at_most=K ** (1 / p) - 1 + 1e-7)
    noisy = np.random.default_rng(2).standard_normal(5000) * np.exp(
        3 * np.random.default_rng(3).standard_normal(5000))
    heavy_tailed = iter(noisy[:, None])
    wild = trace(Adamax, lambda x: next(heavy_tailed), [0.0], len(noisy), lr=1.0)
    ch.check_bound("adamax: largest step over 5000 heavy-tailed gradients, in η",
                   "at most (1 − β₁)/(1 − β₁/β₂) = 1.009", float(np.max(np.abs(wild.steps))),
                   at_most=(1 - beta1) / (1 - beta1 / beta2))
    ctx.close_section(ch, "adamax", "Adamax")


def nadam(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G9"]["section"])
    beta1, psi = 0.9, 4e-3
    half = math.log(2) / (psi * math.log(1 / 0.96))
    ch.text(
        "NAdam (Dozat 2016) puts Nesterov's look-ahead into Adam. PyTorch's Nesterov step "
        "(derived above) is $g_k + \\mu\\, b_{k+1}$: the fresh gradient plus the momentum "
        "the *next* step will apply. Dozat writes the same with Adam's normalized averages: "
        "the bias-corrected average, weighted by the next step's momentum $\\mu_{k+1}$, "
        "plus the fresh gradient, weighted by the $1 - \\mu_k$ a new gradient gets in the "
        "average — each with its own correction for the zero start, which now uses the "
        "product of the momenta so far:"
    )
    ch.equation(r"x_{k+1} = x_k - \eta\, \frac{1 - \mu_k}{1 - \prod_{i \leq k} \mu_i}\, "
                r"\frac{g_k}{d_k} - \eta\, \frac{\mu_{k+1}}{1 - \prod_{i \leq k+1} \mu_i}\, "
                r"\frac{m_k}{d_k}, \qquad d_k = \sqrt{\frac{v_k}{1 - \beta_2^k}} + \epsilon")
    ch.equation(r"\mu_k = \beta_1 \left(1 - \tfrac12\, 0.96^{k\psi}\right), \qquad "
                r"\psi = 0.004")
    ch.text(
        f"with Adam's $m_k$ and $v_k$ (the average $m$ still uses the constant $\\beta_1$, as "
        f"in PyTorch). The schedule is slow: $\\mu_1 = {beta1 * (1 - 0.5 * 0.96 ** psi):.4f}$ "
        "is about $\\beta_1/2$, and $0.96^{k\\psi}$ halves only after "
        f"$k = \\ln 2/(\\psi \\ln(1/0.96)) = {half:.0f}$ steps, where "
        f"$\\mu = {beta1 * 0.75:.3f}$. For the first thousands of steps NAdam looks ahead "
        "with a momentum near 0.45–0.55, not 0.9.\n\n"
        "**Step length.** The products $\\prod \\mu_i \\approx 0.45^k$ vanish within ten "
        "steps, while $m_k = (1 - \\beta_1^k) g$ on a constant slope still carries its zero "
        "start: the correction is too weak early on, and the step — $1.056\\eta$ first — dips "
        "below $\\eta$ before it settles (see *How long is a step?*)."
    )
    ch.code(nadam_update, "fromscratch.optim.adam.nadam_update")
    # The product of the momenta, about 0.45^k, leaves the normal floats (2.2e-308) after
    # ~880 steps; it is read back while its ratios are exact.
    K = 800
    run = trace(NAdam, linear_gradient([3.0, -0.5]), [0.0, 0.0], K, keys=("mu_product",),
                lr=0.01)
    product = run.state["mu_product"].reshape(-1)
    mu = product / np.concatenate([[1.0], product[:-1]])
    formula = beta1 * (1 - 0.5 * 0.96 ** (np.arange(1, 100_001) * psi))
    ctx.figure(ch, plot_per_step({"μ_k (library state)": mu}, {"μ_k (library state)": formula},
                            logx=True, logy=False, hlines={"β₁": beta1, "β₁/2": beta1 / 2},
                            ylabel="momentum μ_k", title="NAdam's momentum schedule"),
              TOPICS["G9"]["figure"])
    ch.check_close(TOPICS["G9"]["check"], "Dozat's schedule β₁(1 − ½·0.96^(kψ))", mu,
                   formula[:K], rtol=1e-12)
    ctx.close_section(ch, "nadam", "NAdam")


def _adamw_fixed_point(a: np.ndarray, c: np.ndarray, lam: float, eps: float) -> np.ndarray:
    r"""The root in :math:`(0, \min(c, 1/\lambda))` of :math:`a(c - x)(1 - \lambda x) =
    \epsilon\lambda x`, i.e. :math:`a\lambda x^2 - (a + ac\lambda + \epsilon\lambda)x + ac = 0`,
    by the cancellation-free form of the quadratic formula :math:`x = 2C/(-B + \sqrt{B^2 -
    4AC})`."""
    A, B, C = a * lam, -(a + a * c * lam + eps * lam), a * c
    return 2 * C / (-B + np.sqrt(B * B - 4 * A * C))


def adamw(ch: Chapter, ctx: Context) -> None:
    ch.heading(TOPICS["G10"]["section"])
    ch.text(
        "Weight decay pulls the parameters towards zero. With gradient descent it does not "
        "matter how: adding the L2 penalty's gradient $\\lambda x$ to $g$ gives "
        "$x - \\eta(g + \\lambda x) = (1 - \\eta\\lambda)\\,x - \\eta g$, a shrinkage by "
        "$1 - \\eta\\lambda$. With Adam it matters. L2 in the gradient is divided by "
        "$\\sqrt{\\hat v}$ like the rest of it; AdamW (Loshchilov & Hutter 2019) *decouples* "
        "the decay — it shrinks the parameters directly and lets Adam see the gradient of "
        "$f$ alone (the library's `AdamW`):"
    )
    ch.equation(r"x_k \leftarrow (1 - \eta\lambda)\, x_k, \qquad x_{k+1} = x_k - \eta\, "
                r"\frac{\hat m_k}{\sqrt{\hat v_k} + \epsilon}")
    ch.text(
        "It is often said that AdamW then minimizes $f + \\frac{\\lambda}{2}\\|x\\|^2$ \"in "
        "effect\". It does not. **Where AdamW stops:** at a fixed point the moments are "
        "stationary, $\\hat m = g$ and $\\hat v = g^2$ with $g = \\nabla f(x)$ there, and the "
        "step $-\\eta\\,(g/(\\lvert g\\rvert + \\epsilon) + \\lambda x)$ must vanish:"
    )
    ch.equation(r"\frac{g_i}{\lvert g_i\rvert + \epsilon} = -\lambda\, x_i \quad\text{for each }"
                r" i, \qquad\text{not}\qquad g_i = -\lambda\, x_i")
    ch.text(
        "The left side is $\\mathrm{sign}(g_i)$ up to $\\epsilon/\\lvert g_i\\rvert$. So a "
        "coordinate either sits where its gradient is (nearly) zero — possible only if "
        "$\\lvert x_i\\rvert < 1/\\lambda$ — or on the edge $\\lvert x_i\\rvert = 1/\\lambda$, "
        "its gradient pushing outwards: in the deterministic limit AdamW minimizes $f$ "
        "*inside the box* $\\|x\\|_\\infty \\leq 1/\\lambda$ (the implicit bias studied by "
        "Xie & Li, 2024), and the curvature does not enter. The L2 minimizer of "
        "$f = \\sum_i \\frac{a_i}{2}(x_i - c_i)^2$ is $x_i = a_i c_i/(a_i + \\lambda)$, which "
        "shrinks the flat directions (small $a_i$) most. For a coordinate with "
        "$c_i > 1/\\lambda$ the fixed-point equation reads $a_i (c_i - x)(1 - \\lambda x) = "
        "\\epsilon\\lambda x$, a quadratic with the root $x \\approx 1/\\lambda - "
        "\\epsilon/(\\lambda a_i (c_i - 1/\\lambda))$. (Where $\\lvert c_i\\rvert < 1/\\lambda$ "
        "the root lies within about $\\epsilon\\lambda\\lvert c_i\\rvert/a_i$ of $c_i$ — no "
        "shrinkage at all — but there $\\lvert g\\rvert$ must fall to $\\epsilon$'s scale, and "
        "Adam's normalized steps keep circling that point. With noisy gradients whose noise "
        "$\\sigma_i$ dominates their mean, $\\sqrt{\\hat v} \\approx \\sigma_i$ instead of "
        "$\\lvert g_i\\rvert$, and the fixed point becomes $\\nabla_i f \\approx "
        "-\\lambda\\sigma_i x_i$: an L2 penalty whose strength differs per coordinate.)"
    )
    a, c, lam, eps = np.array([1.0, 10.0]), np.array([4.0, 4.0]), 0.5, 1e-8
    bowl = quadratic(a, c, window=((-0.4, 4.6), (-0.4, 4.6)), start=(0.0, 0.0))

    def gradient(x):
        return a * (x - c)

    fixed_point = _adamw_fixed_point(a, c, lam, eps)
    penalized = a * c / (a + lam)
    K = 50000
    adamw_run = trace(AdamW, gradient, [0.0, 0.0], K, lr=0.05, weight_decay=lam)
    coupled = trace(Adam, gradient, [0.0, 0.0], 3000, lr=0.05, weight_decay=lam)
    sgd = trace(SGD, gradient, [0.0, 0.0], 300, lr=0.05, weight_decay=lam)
    distance = [norm(p - fixed_point) for p in adamw_run.path[1:]]
    e_fold = 20000 / math.log(distance[19999] / distance[39999])
    ch.text(
        f"Take $a = (1, 10)$, $c = (4, 4)$, $\\lambda = {lam:g}$ (a large decay, so the "
        f"effect is plain to see). The L2 minimizer is $({penalized[0]:.4f}, "
        f"{penalized[1]:.4f})$; AdamW's fixed point is $({fixed_point[0]:.8f}, "
        f"{fixed_point[1]:.8f})$, the corner of the box. AdamW approaches it slowly: "
        "$\\hat v$ must forget the larger gradients of the way in, and its memory is "
        "$1/(1-\\beta_2) = 1000$ steps; the distance shrinks e-fold every "
        f"{e_fold:.0f} steps (measured between steps 20000 and 40000), so it runs {K} steps. "
        "Adam with the penalty in its gradient and SGD with weight decay reach the L2 "
        "minimizer within a few thousand and a few hundred steps."
    )
    x_w, x_l2 = adamw_run.path[-1], coupled.path[-1]
    ctx.figure(ch, plot_weight_decay(
        bowl, {"SGD, weight decay": sgd.path, "Adam, L2 in the gradient": coupled.path,
               "AdamW (first 3000 steps)": adamw_run.path[:3000]},
        {"minimizer of f + λ‖x‖²/2": penalized, "AdamW's fixed point": fixed_point},
        {"SGD, weight decay": [norm(p - penalized) for p in sgd.path[1:]],
         "Adam, L2 in the gradient": [norm(p - penalized) for p in coupled.path[1:]],
         "AdamW": distance},
        bound=1 / lam, n=ctx.grid), TOPICS["G10"]["figure"])
    ch.check_close(f"AdamW: point after {K} steps", "closed-form fixed point, the root of "
                   "a(c − x)(1 − λx) = ελx", x_w, fixed_point, rtol=1e-9)
    g = gradient(x_w)
    ch.check("AdamW: its fixed-point equation g/(|g| + ε) + λx at its point", "0",
             float(np.max(np.abs(g / (np.abs(g) + eps) + lam * x_w))), 1e-9)
    ch.check_close("Adam with the L2 penalty in its gradient: point after 3000 steps",
                   "closed-form L2 minimizer ac/(a + λ)", x_l2, penalized, rtol=1e-12)
    ch.check_close(TOPICS["G10"]["check"], "closed forms: (2 − 2.6667, 2 − 3.8095) = "
                   "(−0.667, −1.810)", x_w - x_l2, fixed_point - penalized, rtol=1e-8)
    ch.check_bound("AdamW: |∇f + λx| at its point (0 at the minimizer of f + λ‖x‖²/2)",
                   "far from 0: AdamW does not minimize the L2-penalized f",
                   norm(gradient(x_w) + lam * x_w), at_least=1.0)
    ctx.close_section(ch, "adamw", "AdamW")
