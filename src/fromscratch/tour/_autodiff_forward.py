"""The autodiff chapter, part 1 (topics E1–E5): dual numbers, the two modes and what each pays,
forward mode as a program, verification, and the two modes' costs measured.

Every check compares the library with something computed independently of it: a derivative
by hand, the survey's printed tables, central differences, closed-form Jacobians and Hessians,
the number of passes each mode must make, and the memory each mode must keep.
"""

from __future__ import annotations

import ast
import inspect
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import (
    Dual,
    Primitive,
    check_grad,
    derivative,
    grad,
    hessian,
    jacobian,
    jvp,
)
from fromscratch.autodiff.primitives import elementwise
from fromscratch.plot._style import new_figure
from fromscratch.plot.autodiff import (
    plot_function_and_derivative,
    plot_jacobian_cost,
    plot_scaling,
    plot_tangent,
)
from fromscratch.tour._autodiff_measure import Calls, median_time, peak_bytes

if TYPE_CHECKING:
    from fromscratch.tour.chapter import Chapter

TOPICS = {
    "E1": {
        "section": "Dual numbers: why $\\varepsilon^2 = 0$ gives the derivative",
        "figure": "Left: one evaluation of $f(x) = x^2 \\sin x$ on $1 + \\varepsilon$ gives the "
                  "point and the slope of the tangent. Middle: what the tangent misses, "
                  "$f(1 + h) - f(1) - f'(1)h$, shrinks like $h^2$ — exactly the terms that "
                  "$\\varepsilon^2 = 0$ discards. Right: one pass over a grid of dual numbers "
                  "gives $f'$ everywhere, on top of the hand-derived curve.",
        "check": "f' by dual numbers on a grid of 200 points",
    },
    "E2": {
        "section": "Forward and reverse mode, briefly: one column or one row per pass",
        "figure": "Passes over $f(x) = \\sum_i x_i \\sin x_i$ for its gradient, counted: forward "
                  "mode evaluates $f$ once per input, reverse mode once in all (dashed: $n$ "
                  "and 1).",
        "check": "passes and rule calls for the gradient of f: Rⁿ → R",
    },
    "E3": {
        "section": "An automatic differentiation program from scratch",
        "figure": "Dual numbers differentiate the program, not a formula: Heron's iteration "
                  "$y \\leftarrow (y + x/y)/2$ for $\\sqrt{x}$, run on $x + \\varepsilon$. Left: "
                  "the tangent after $k$ steps, the exact derivative of the $k$-step program, "
                  "approaches $1/(2\\sqrt{x})$. Right: the relative errors of the value and of "
                  "the derivative at the worst point of the grid fall together.",
        "check": "derivative of Heron's √x program (6 steps) by dual numbers",
    },
    "E4": {
        "section": "Verifying the results",
        "figure": "The error of the central difference for $f'(1)$, $f(x) = x^2 \\sin x$, "
                  "against the step $h$: truncation ($h^2$) on the right, rounding ($1/h$) on "
                  "the left, at best about ten correct digits. The dual-number derivative is "
                  "exact to rounding (dotted line, the check below).",
        "check": "both modes vs central differences: softmax (full Jacobian)",
    },
    "E5": {
        "section": "Pros and cons of the two modes, measured",
        "figure": "Left and middle: the time of a full Jacobian of $\\tanh(Wx)$. Forward "
                  "mode's cost grows with the number of inputs and not with the outputs; "
                  "reverse mode's the other way round (wall-clock medians on this machine, "
                  "both modes run the same rule table). Right: the peak memory of one "
                  "gradient through $L$ tanh layers — reverse mode keeps every intermediate, "
                  "forward mode a few arrays whatever $L$.",
        "check": "n ≫ m: forward-mode time / reverse-mode time for the full Jacobian",
    },
}

#: float64's machine epsilon: the relative size of one rounding.
EPS = float(np.finfo(float).eps)


def _x2_sin(x):
    """The chapter's running example :math:`f(x) = x^2 \\sin x`."""
    return anp.sin(x) * x ** 2


def _x2_sin_slope(x):
    """:math:`f'(x) = 2x\\sin x + x^2\\cos x`, by hand."""
    return 2 * x * np.sin(x) + x ** 2 * np.cos(x)


# -- E1 --------------------------------------------------------------------------------------------


def dual_numbers(ch: Chapter) -> None:
    ch.heading(TOPICS["E1"]["section"])
    ch.text(
        "Extend the reals with a symbol $\\varepsilon$ that is not zero but squares to zero, "
        "$\\varepsilon^2 = 0$. A *dual number* is $a + b\\varepsilon$. Taylor's theorem for a "
        "smooth $f$ reads"
    )
    ch.equation(r"f(a + b\varepsilon) = f(a) + f'(a)\,b\varepsilon + "
                r"\frac{f''(a)}{2}\,b^2\varepsilon^2 + \cdots = f(a) + f'(a)\,b\,\varepsilon")
    ch.text(
        "and every term after the first order vanishes *exactly*. So evaluating $f$ on "
        "$x + 1\\varepsilon$ returns $f(x)$ in the real part and $f'(x)$ in the "
        "$\\varepsilon$ part: no step size, no truncation, no cancellation. Arithmetic on dual "
        "numbers is ordinary algebra with $\\varepsilon^2 = 0$, and the rules of calculus fall "
        "out by themselves — the product rule from"
    )
    ch.equation(r"(a + \dot a\varepsilon)(b + \dot b\varepsilon) = ab + (\dot a b + a\dot b)"
                r"\varepsilon + \dot a\dot b\,\varepsilon^2 = ab + (\dot a b + a\dot b)"
                r"\varepsilon")
    ch.text(
        "For an elementary function $\\varphi$ all we need is its derivative: "
        "$\\varphi(a + \\dot a\\varepsilon) = \\varphi(a) + \\varphi'(a)\\,\\dot a\\,"
        "\\varepsilon$. The real part is called the *primal value*, the $\\varepsilon$ part "
        "the *tangent*. In the library, `Dual(value, tangent)` carries the pair through any "
        "function written with `fromscratch.autodiff.numpy` (`anp`), and `derivative(f)` "
        "evaluates $f$ on $x + 1\\varepsilon$ and returns the tangent."
    )
    a = 1.0
    y = _x2_sin(Dual(a, 1.0))
    value, slope = float(y.value), float(y.tangent)
    ch.text(
        f"For $f(x) = x^2 \\sin x$ at $x = 1 + \\varepsilon$: value {value:.6f} and tangent "
        f"{slope:.6f}, which is $2x\\sin x + x^2 \\cos x$ at 1 ({_x2_sin_slope(a):.6f}). The "
        "two numbers are the tangent line at 1; what the tangent misses is the part "
        "$\\varepsilon^2 = 0$ throws away, $\\frac{1}{2} f''(1) h^2 + O(h^3)$."
    )
    xs = np.linspace(-3, 3, 200)
    h = np.geomspace(1e-4, 1.0, 25)
    remainder = np.abs(np.asarray(_x2_sin(a + h)) - (value + slope * h))
    curvature = np.sin(a) + 4 * np.cos(a)  # f''(1) by hand: 2 sin x + 4x cos x − x² sin x
    df = derivative(_x2_sin)(xs)
    fig, axes = new_figure(3, width=15.0, height=4.0)
    plot_tangent(xs, _x2_sin(xs), at=a, value=value, slope=slope, label="f(x) = x² sin x",
                 title="f(1 + ε) = f(1) + f'(1) ε", ax=axes[0])
    plot_scaling(h, {"|f(1 + h) − f(1) − f'(1) h|": remainder},
                 predicted={"|f(1 + h) − f(1) − f'(1) h|": ("|f''(1)| h² / 2",
                                                             abs(curvature) * h ** 2 / 2)},
                 xlabel="step h", ylabel="distance from the tangent line",
                 title="what ε² = 0 discards is O(h²)", ax=axes[1])
    plot_function_and_derivative(
        xs, {"f(x) = x² sin x": _x2_sin(xs), "f'(x) by dual numbers": df,
             "2x sin x + x² cos x (by hand)": _x2_sin_slope(xs)}, ax=axes[2])
    ch.figure(fig, TOPICS["E1"]["figure"])
    ch.check_close(TOPICS["E1"]["check"], "hand-derived 2x sin x + x² cos x", df,
                   _x2_sin_slope(xs), rtol=1e-14)
    product = Dual(2.0, 3.0) * Dual(5.0, 7.0)
    ch.check_close("(2 + 3ε)(5 + 7ε): value and tangent", "ab = 10 and ȧb + aḃ = 29 (product rule)",
                   [product.value, product.tangent], [10.0, 29.0], rtol=0)
    # The remainder over h² tends to f''(1)/2; at h = 1e-3 the next Taylor term changes the
    # ratio by |f'''(1)| h / 3 / |f''(1)| ≈ 3e-4 relative, and rounding by ε|f|/h² ≈ 1e-10.
    h_small = 1e-3
    ratio = float(np.abs(_x2_sin(a + h_small) - (value + slope * h_small))) / h_small ** 2
    ch.check_close("(f(1 + h) − tangent line) / h² at h = 1e-3", "f''(1)/2 = (sin 1 + 4 cos 1)/2",
                   ratio, curvature / 2, rtol=1e-3)


# -- E2 --------------------------------------------------------------------------------------------


def _counted_gradient(x: np.ndarray, mode: str) -> tuple[np.ndarray, dict[str, int]]:
    """The gradient of :math:`\\sum_i x_i \\sin x_i` with every evaluation of ``f`` and every
    use of ``sin``'s rules counted; ``sin`` is the table's own entry, wrapped in counters."""
    sin = elementwise.sin
    fun, jvp_rule, vjp_rule = Calls(sin.fun), Calls(sin.jvps[0]), Calls(sin.vjps[0])
    counted_sin = Primitive("sin", fun, jvp=jvp_rule, vjp=vjp_rule)
    f = Calls(lambda x: anp.sum(counted_sin(x) * x))
    gradient = jacobian(f, mode="forward")(x) if mode == "forward" else grad(f)(x)
    return gradient, {"f": f.count, "jvp": jvp_rule.count, "vjp": vjp_rule.count}


def two_modes(ch: Chapter, rng: np.random.Generator) -> None:
    ch.heading(TOPICS["E2"]["section"])
    ch.text(
        "A program computes $y = f(x)$, $f: \\mathbb{R}^n \\to \\mathbb{R}^m$, as a chain of "
        "elementary operations, and the chain rule multiplies their derivatives. Automatic "
        "differentiation comes in two orders of doing that multiplication — `jvp` and "
        "`vjp` in `fromscratch.autodiff`:"
    )
    ch.text(
        "- **Forward mode** carries a tangent $\\dot v$ alongside every value, from the inputs "
        "to the outputs, in the order the program runs (the dual numbers above). One pass "
        "seeded with $\\dot x$ gives $J_f(x)\\,\\dot x$: one *column* of the Jacobian, or one "
        "directional derivative.\n"
        "- **Reverse mode** runs the program once and records it, then carries an *adjoint* "
        "$\\bar v = \\partial y/\\partial v$ from the output back to the inputs. One backward "
        "pass seeded with $\\bar y$ gives $\\bar y^\\top J_f(x)$: one *row* of the Jacobian."
    )
    ch.equation(r"\frac{\partial f}{\partial x_j} = J_f(x)\, e_j \quad (j = 1, \dots, n: "
                r"\ n \text{ forward passes}), \qquad \nabla f(x)^\top = \bar y\, J_f(x), "
                r"\ \bar y = 1 \quad (\text{one reverse pass})")
    ch.text(
        "So the gradient of a scalar function of $n$ variables — a loss of $n$ parameters — "
        "costs $n$ forward passes (central differences would cost $2n$ evaluations) but one "
        "reverse pass; a Jacobian with many outputs and few inputs is the other way round. "
        "Here the passes are counted, not claimed: `sin` is the table's own entry wrapped in "
        "counters, and $f(x) = \\sum_i x_i \\sin x_i$ counts its own evaluations."
    )
    sizes = [1, 4, 16, 64] if ch.quick else [1, 4, 16, 64, 256]
    rows, measured, predicted = [], [], []
    worst_disagreement = 0.0
    for n in sizes:
        x = rng.normal(size=n)
        forward, counted_forward = _counted_gradient(x, "forward")
        reverse, counted_reverse = _counted_gradient(x, "reverse")
        rows.append([n, counted_forward["f"], counted_forward["jvp"], counted_reverse["f"],
                     counted_reverse["vjp"]])
        measured.append([counted_forward["f"], counted_forward["jvp"], counted_forward["vjp"],
                         counted_reverse["f"], counted_reverse["jvp"], counted_reverse["vjp"]])
        predicted.append([n, n, 0, 1, 0, 1])
        exact = np.sin(x) + x * np.cos(x)
        worst_disagreement = max(worst_disagreement, float(
            np.max(np.abs(np.stack([forward, reverse]) - exact) / np.maximum(1.0, np.abs(exact)))))
    ch.table(["inputs n", "forward: evaluations of f", "forward: JVP rule calls",
              "reverse: evaluations of f", "reverse: VJP rule calls"], rows,
             "The gradient of f: Rⁿ → R: n forward passes, one reverse pass. Each pass applies "
             "sin's rule once.")
    counts = np.asarray(rows)
    ch.figure(plot_scaling(
        sizes, {"forward mode": counts[:, 1], "reverse mode": counts[:, 3]},
        predicted={"forward mode": ("n", sizes), "reverse mode": ("1", np.ones(len(sizes)))},
        xlabel="number of inputs n", ylabel="evaluations of f for the gradient"),
        TOPICS["E2"]["figure"])
    ch.check_close(TOPICS["E2"]["check"],
                   "n forward passes with one JVP each; one reverse pass with one VJP",
                   measured, predicted, rtol=0)
    # Both modes compute sin x + x cos x from the same rules in another order: a few roundings.
    ch.check("gradient of Σ xᵢ sin xᵢ, both modes, relative to max(1, |∇f|)",
             "sin xᵢ + xᵢ cos xᵢ by hand", worst_disagreement, 4 * EPS)


# -- E3 --------------------------------------------------------------------------------------------


def _rule_sources(module: ModuleType, name: str) -> tuple[str, str]:
    """The forward and reverse rule of the table entry ``name = Primitive(...)`` in ``module``,
    as its source has them (read with ``ast``, so the table shown is the table that runs)."""
    source = inspect.getsource(module)
    for node in ast.parse(source).body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and [getattr(t, "id", None) for t in node.targets] == [name]):
            rules = {k.arg: " ".join(str(ast.get_source_segment(source, k.value)).split())
                     for k in node.value.keywords}
            return rules["jvp"], rules["vjp"]
    raise LookupError(f"{module.__name__} has no table entry {name!r}.")


def _heron_sqrt(x, steps: int):
    """Heron's iteration for :math:`\\sqrt{x}`, :math:`y_{k+1} = (y_k + x/y_k)/2`, from
    :math:`y_0 = (1 + x)/2`: a program with a loop, not a formula."""
    y = (1 + x) / 2
    for _ in range(steps):
        y = (y + x / y) / 2
    return y


def program(ch: Chapter) -> None:
    ch.heading(TOPICS["E3"]["section"])
    ch.text(
        "Forward mode needs two things: a number type that carries a tangent, and for every "
        "elementary operation its derivative. In `fromscratch.autodiff` the derivatives are "
        "data: each primitive is one entry of a table with its NumPy function, its forward "
        "rule (the JVP, Jacobian-vector product) and its reverse rule (the VJP, used by "
        "reverse mode below), side by side. A rule receives the incoming tangent $t$ (or "
        "cotangent $g$), the answer `ans` and the inputs. Here are five entries as the "
        "library's source writes them:"
    )
    rows = []
    for name in ("multiply", "divide", "exp", "log", "sin"):
        forward, reverse = _rule_sources(elementwise, name)
        rows.append([f"`{name}`", f"`{forward}`", f"`{reverse}`"])
    ch.table(["primitive", "forward rule (JVP)", "reverse rule (VJP)"], rows,
             "Entries of fromscratch.autodiff.primitives.elementwise, read from its source. For "
             "an elementwise function both rules multiply by the same derivative (exp: by the "
             "answer).")
    ch.text(
        "The dual number itself is `Dual`: it holds `value` and `tangent` arrays of the same "
        "shape, and every `anp` function and operator hands it to the method below, which "
        "evaluates NumPy on the primal values and adds up the forward rules of the inputs "
        "that carry a tangent, $\\dot y = \\sum_i (\\partial\\varphi/\\partial x_i)\\,\\dot "
        "x_i$. The rules are written with `anp` themselves, so they can be differentiated "
        "again (Hessians); a broadcast input's tangent is broadcast once, by the engine."
    )
    ch.code(Dual._apply, "fromscratch.autodiff.forward.Dual._apply: one operation on dual "
                         "numbers, for every primitive of the table.")
    ch.text(
        "Because a dual number follows the program as it runs, loops and branches need no "
        "special treatment. Heron's method computes $\\sqrt{x}$ by repeating "
        "$y \\leftarrow (y + x/y)/2$; run on $x + \\varepsilon$, after $k$ steps the tangent "
        "is the exact derivative of the $k$-step program, and as $y_k \\to \\sqrt{x}$ it "
        "tends to $1/(2\\sqrt{x})$, derived by hand — with the same quadratic convergence."
    )
    xs = np.linspace(0.25, 4.0, 200)
    x = Dual(xs, np.ones_like(xs))
    root, slope = np.sqrt(xs), 1 / (2 * np.sqrt(xs))
    steps = list(range(7))
    runs = [_heron_sqrt(x, k) for k in steps]
    value_error = [float(np.max(np.abs(r.value - root) / root)) for r in runs]
    slope_error = [float(np.max(np.abs(r.tangent - slope) / slope)) for r in runs]
    fig, axes = new_figure(2, width=11.0, height=4.0)
    plot_function_and_derivative(
        xs, {"1/(2√x), by hand": slope, **{f"tangent after {k} step{'s' * (k != 1)}":
                                           runs[k].tangent for k in (0, 1, 2, 6)}}, ax=axes[0])
    axes[0].set_ylim(0, 1.6)
    plot_scaling(steps, {"value: |yₖ − √x| / √x": value_error,
                         "tangent: |ẏₖ − 1/(2√x)| · 2√x": slope_error},
                 xlabel="Heron steps k", ylabel="largest relative error on the grid",
                 xscale="linear", ax=axes[1])
    ch.figure(fig, TOPICS["E3"]["figure"])
    # Converged, each tangent is a few roundings away from 1/(2√x) (measured: one ulp).
    ch.check_close(TOPICS["E3"]["check"], "1/(2√x) by hand", runs[-1].tangent, slope,
                   rtol=4 * EPS)


# -- E4 --------------------------------------------------------------------------------------------


def verification(ch: Chapter, rng: np.random.Generator) -> None:
    ch.heading(TOPICS["E4"]["section"])
    ch.text(
        "A derivative rule is code, and code can be wrong. Two independent references are "
        "available everywhere: derivatives by hand (closed forms) and *central differences*,"
    )
    ch.equation(r"\frac{\partial f}{\partial x_j} \approx \frac{f(x + h e_j) - f(x - h e_j)}"
                r"{2h} = \frac{\partial f}{\partial x_j} + \frac{h^2}{6}\, "
                r"\frac{\partial^3 f}{\partial x_j^3} + O\!\left(\frac{\epsilon\,|f|}{h}\right)")
    ch.text(
        "whose error is truncation ($h^2$) plus rounding: $f(x \\pm he_j)$ are each rounded "
        "to about $\\epsilon|f|$ and their difference is divided by $2h$. The best $h$ is "
        "near $\\epsilon^{1/3} \\approx 6 \\cdot 10^{-6}$, and even there only about ten "
        "digits are right — good enough to catch a wrong rule, whose error is of order one, "
        "but not as a substitute for the exact derivative."
    )
    a = 1.0
    exact = _x2_sin_slope(a)
    h = np.logspace(-15, -1, 60)
    central = (np.asarray(_x2_sin(a + h)) - np.asarray(_x2_sin(a - h))) / (2 * h)
    third = 5 * np.cos(a) - 6 * np.sin(a)  # f'''(1) by hand: 6 cos x − 6x sin x − x² cos x
    law = h ** 2 * abs(third) / 6 + EPS * abs(float(_x2_sin(a))) / h
    dual_error = abs(float(derivative(_x2_sin)(a)) - exact)
    ch.figure(plot_scaling(
        h, {"central difference": np.abs(central - exact)},
        predicted={"central difference": ("h² |f'''(1)| / 6 + ε |f(1)| / h", law)},
        hlines={"dual numbers: |error| ≤ ε |f'(1)|": EPS * abs(exact)},
        xlabel="step h", ylabel="|error of f'(1)|"), TOPICS["E4"]["figure"])
    ch.check("dual-number f'(1), |error|", "one rounding, ε |f'(1)|", dual_error,
             EPS * abs(exact))
    ch.text(
        "`check_grad(f, *args)` computes the Jacobian three ways — reverse mode, forward mode "
        "and central differences with $h = 10^{-6}$ — and returns the largest discrepancy, "
        "relative to $\\max(1, |J|)$: about $10^{-9}$ or less for correct rules, order one "
        "for a wrong one. The test suite runs it on every primitive of the table with random "
        "shapes and broadcasting. Here it checks a few functions with full Jacobians, and a "
        "deliberately wrong rule (the JVP of `sin` written as $t \\sin x$) to show that it "
        "can fail."
    )
    W = rng.normal(size=(5, 3))
    composed = {
        "softmax (full Jacobian)": (lambda z: anp.softmax(z), rng.normal(size=6)),
        "tanh(Wx) (full Jacobian)": (lambda x: anp.tanh(W @ x), rng.normal(size=3)),
        "log-sum-exp": (lambda z: anp.logsumexp(z), rng.normal(size=6)),
        "norm at 0 (subgradient 0, never NaN)": (lambda x: anp.norm(x) + anp.sum(x),
                                                 np.zeros(3)),
    }
    for name, (fn, point) in composed.items():
        ch.check("both modes vs central differences: " + name, "finite differences (h = 1e-6)",
                 check_grad(fn, point), 1e-6)
    wrong_sin = Primitive("wrong_sin", np.sin, jvp=lambda t, ans, x: t * anp.sin(x),
                          vjp=lambda g, ans, x: g * anp.cos(x))
    ch.check_bound("check_grad on sin with a wrong JVP rule (t sin x)", "flagged: error ≥ 0.1",
                   check_grad(wrong_sin, rng.normal(size=4)), at_least=0.1)
    x = rng.normal(size=3)
    J_closed = (1 - np.tanh(W @ x) ** 2)[:, None] * W
    for mode in ("forward", "reverse"):
        ch.check_close(f"Jacobian of tanh(Wx), {mode} mode", "closed form diag(1 − tanh²) W",
                       jacobian(lambda x: anp.tanh(W @ x), mode=mode)(x), J_closed, rtol=1e-13)
    _mlp_closed_forms(ch, rng)
    ch.check("gradient of norm at 0 is finite", "subgradient 0",
             float(np.abs(grad(anp.norm)(np.zeros(3))).max()), 0.0)
    extremes = (grad(lambda x: anp.sum(anp.sigmoid(x)))(np.array([-1e3, 1e3])),
                grad(lambda x: anp.sum(anp.softplus(x)))(np.array([-1e3, 1e3])),
                grad(lambda x: anp.log_softmax(x)[0])(np.array([-1e3, 0.0, 1e3])))
    ch.check("sigmoid, softplus, log_softmax gradients at ±1000 are finite", "finite values",
             0.0 if all(np.isfinite(g).all() for g in extremes) else 1.0, 0.0)
    ch.skip("gradients and JVPs vs PyTorch autograd", "torch.autograd, torch.func.jvp",
            "the tour imports no reference library (the from-scratch rule); "
            "tests/autodiff/test_autodiff_torch_reference.py runs this comparison, and "
            "notebooks 04 and 05 show it")


def _mlp_closed_forms(ch: Chapter, rng: np.random.Generator) -> None:
    # An MLP loss in its last layer's weights w: L(w) = mean((h w - y)^2) with the hidden
    # activations h = tanh(X W1 + b1) fixed. L is quadratic in w, so its derivatives have exact
    # closed forms — an independent reference computed without any differentiation:
    #     grad L = (2/n) h^T (h w - y),   H = (2/n) h^T h,   JVP(v) = grad L . v
    X = rng.normal(size=(20, 4))
    y = (rng.random(20) < 0.5).astype(float)
    W1, b1 = rng.normal(size=(4, 6)) * 0.5, rng.normal(size=6) * 0.1
    w2 = rng.normal(size=6)
    hidden = np.tanh(X @ W1 + b1)
    n = hidden.shape[0]

    def mlp_loss(w):
        return anp.mean((anp.tanh(X @ W1 + b1) @ w - y) ** 2)

    ch.text(
        "Closed forms check more than single operations. The loss of a one-hidden-layer "
        "network in its last layer's weights, $L(w) = \\frac{1}{n}\\|h w - y\\|^2$ with the "
        "hidden activations $h = \\tanh(XW_1 + b_1)$, is quadratic in $w$: "
        "$\\nabla L = \\frac{2}{n} h^\\top(hw - y)$ and $\\nabla^2 L = \\frac{2}{n} h^\\top h$, "
        "computed below without any differentiation and compared with `grad`, `jvp` and "
        "`hessian` (reverse-over-reverse, the default)."
    )
    grad_exact = 2.0 / n * hidden.T @ (hidden @ w2 - y)
    ch.check_close("gradient of an MLP loss (last layer)", "closed form (2/n) hᵀ(hw − y)",
                   grad(mlp_loss)(w2), grad_exact, rtol=1e-10)
    v = rng.normal(size=6)
    _, tangent = jvp(mlp_loss, (w2,), (v,))
    ch.check_close("JVP of an MLP loss (forward mode)", "closed form ∇L·v", tangent,
                   grad_exact @ v, rtol=1e-10)
    ch.check_close("Hessian of an MLP loss (reverse-over-reverse)", "closed form (2/n) hᵀh",
                   hessian(mlp_loss)(w2), 2.0 / n * hidden.T @ hidden, rtol=1e-10)


# -- E5 --------------------------------------------------------------------------------------------


def _tanh_layers(depth: int):
    """:math:`\\sum \\tanh(\\tanh(\\cdots\\tanh(x)))` with ``depth`` layers."""
    def f(x):
        for _ in range(depth):
            x = anp.tanh(x)
        return anp.sum(x)
    return f


def pros_and_cons(ch: Chapter, rng: np.random.Generator) -> None:
    ch.heading(TOPICS["E5"]["section"])
    ch.text(
        "For $f: \\mathbb{R}^n \\to \\mathbb{R}^m$ a full Jacobian costs $n$ forward passes or "
        "$m$ reverse passes, each a small multiple of one evaluation of $f$. What reverse "
        "mode saves in passes it pays in memory: the backward sweep needs every intermediate "
        "value of the forward run (the Jacobians depend on them), so it keeps them all — "
        "memory grows with the length of the computation — while forward mode needs only "
        "the values alive at the moment."
    )
    ch.text(
        "Below, `jacobian(f, mode=...)` is timed on $f(x) = \\tanh(Wx)$ with one dimension "
        "growing and the other fixed, and the peak memory of one gradient is measured through "
        "$L$ layers of $\\tanh$ on a vector of 2,000 numbers."
    )
    sizes = [1, 4, 16, 64] if ch.quick else [1, 2, 4, 8, 16, 32, 64, 128]
    big = sizes[-1]
    repeats = 3 if ch.quick else 7
    times = {}
    fig, axes = new_figure(3, width=15.5, height=4.0)
    for ax, varying in zip(axes[:2], ("inputs n", "outputs m"), strict=True):
        forward, reverse = [], []
        for k in sizes:
            n, m = (k, big) if varying == "inputs n" else (big, k)
            W, x = rng.normal(size=(m, n)), rng.normal(size=n)
            fn = lambda x, W=W: anp.tanh(W @ x)  # noqa: E731
            forward.append(median_time(partial(jacobian(fn, mode="forward"), x), repeats))
            reverse.append(median_time(partial(jacobian(fn, mode="reverse"), x), repeats))
            times[n, m] = forward[-1], reverse[-1]
        fixed = f"m = {big}" if varying == "inputs n" else f"n = {big}"
        plot_jacobian_cost(sizes, forward, reverse, varying=varying, fixed=fixed, ax=ax)
    width = 2000
    depths = [4, 16, 64] if ch.quick else [4, 8, 16, 32, 64, 128, 256]
    x, v = rng.normal(size=width), rng.normal(size=width)
    array = 8 * width  # bytes of one float64 array of the input's size
    memory_reverse = np.array([peak_bytes(partial(grad(_tanh_layers(d)), x)) for d in depths])
    memory_forward = np.array([peak_bytes(partial(jvp, _tanh_layers(d), (x,), (v,)))
                               for d in depths])
    plot_scaling(depths, {"reverse mode (grad)": memory_reverse / array,
                          "forward mode (jvp)": memory_forward / array},
                 predicted={"reverse mode (grad)": ("L arrays", depths)},
                 xlabel="layers L", ylabel="peak memory, in arrays of x's size",
                 title="memory of one gradient pass", xscale="linear", yscale="linear",
                 ax=axes[2])
    ch.figure(fig, TOPICS["E5"]["figure"])
    ch.text(
        "**Forward mode**: simple and memory-light (no record of the computation), the "
        "derivative arrives with the value, and one pass gives a directional derivative of "
        "a function with any number of outputs; a Hessian-vector product is one forward "
        "pass through a gradient (`hvp`). But a gradient of $n$ parameters needs $n$ passes, "
        "hopeless for training models. **Reverse mode**: one backward pass gives the whole "
        "gradient of a scalar, at a few times the cost of the function whatever $n$ — the "
        "reason machine learning uses it (backpropagation). But it must record the "
        "computation and keep every intermediate until the backward pass, and a Jacobian "
        "with many outputs needs one pass per output. Both are exact to rounding; at a kink "
        "(|x| at 0, relu at 0) both return the subgradient the rule chooses, not a warning."
    )
    t_forward, t_reverse = times[big, 1]
    ch.check_bound(TOPICS["E5"]["check"], f"reverse mode cheaper for n = {big}, m = 1: "
                   "ratio ≥ 2", t_forward / t_reverse, at_least=2.0)
    t_forward, t_reverse = times[1, big]
    ch.check_bound("m ≫ n: reverse-mode time / forward-mode time for the full Jacobian",
                   f"forward mode cheaper for n = 1, m = {big}: ratio ≥ 2",
                   t_reverse / t_forward, at_least=2.0)
    deepest = depths[-1]
    ch.check_bound("reverse mode's peak memory through the deepest tanh chain, in arrays",
                   f"at least L = {deepest}: every layer's output is kept",
                   memory_reverse[-1] / array, at_least=deepest)
    ch.check_bound("forward mode's peak memory, deepest chain / shallowest",
                   f"L = {deepest} vs L = {depths[0]}: independent of L (at most 1.5)",
                   memory_forward[-1] / memory_forward[0], at_most=1.5)
