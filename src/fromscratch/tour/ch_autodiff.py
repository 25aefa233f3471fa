"""Chapter: automatic differentiation, forward (dual numbers) and reverse (adjoints) mode."""

from __future__ import annotations

import time

import numpy as np

TITLE = "Automatic differentiation"


def _baydin(x1, x2):
    """f(x1, x2) = ln x1 + x1 x2 - sin x2, written in the survey's order of operations."""
    import fromscratch.autodiff.numpy as anp

    v1 = anp.log(x1)
    v2 = x1 * x2
    v3 = anp.sin(x2)
    v4 = v1 + v2
    return v4 - v3


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def run(ch) -> None:
    rng = np.random.default_rng(0)  # one stream, drawn from in the order of the sections
    _introduction(ch)
    _dual_numbers(ch)
    _evaluation_traces(ch)
    _rules_as_data(ch)
    _jacobian_cost(ch, rng)
    Xd, yd = _verification(ch, rng)
    _mlp_closed_forms(ch, rng, Xd, yd)
    _no_silent_drops(ch)


# -- introduction ----------------------------------------------------------------------------------


def _introduction(ch) -> None:
    ch.text(
        "Every model in this tour is trained by following a gradient. Writing gradients by hand "
        "is error-prone (a missing $1/n$, a transposed matrix), and finite differences are "
        "slow ($n$ evaluations for $n$ parameters) and inexact. *Automatic differentiation* "
        "(AD) gets exact derivatives — exact up to floating point — at a small constant "
        "multiple of the cost of the function itself, by applying the chain rule to the "
        "elementary operations the program actually executes. This chapter builds both "
        "flavours, shows them on the worked example of Baydin et al. (2018), *Automatic "
        "differentiation in machine learning: a survey*, and checks them against finite "
        "differences and closed forms (the test suite also checks them against PyTorch)."
    )


# -- dual numbers ----------------------------------------------------------------------------------


def _dual_numbers(ch) -> None:
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import Dual, derivative
    from fromscratch.plot.autodiff import plot_function_and_derivative

    ch.heading("Dual numbers: why $\\varepsilon^2 = 0$ gives the derivative")
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
        "$\\varepsilon$ part. Arithmetic on dual numbers is ordinary algebra with "
        "$\\varepsilon^2 = 0$: $(a + \\dot a\\varepsilon)(b + \\dot b\\varepsilon) = "
        "ab + (\\dot a b + a\\dot b)\\varepsilon$ — the product rule falls out by itself. For "
        "an elementary function $\\varphi$ we only need its derivative: "
        "$\\varphi(a + \\dot a\\varepsilon) = "
        "\\varphi(a) + \\varphi'(a)\\,\\dot a\\,\\varepsilon$. "
        "That rule, one line per primitive, is the *forward rule* (JVP) in "
        "`fromscratch.autodiff.primitives`; `Dual(value, tangent)` carries the pair through "
        "any function written with `fromscratch.autodiff.numpy` (`anp`)."
    )
    y = anp.sin(Dual(1.0, 1.0)) * Dual(1.0, 1.0) ** 2
    ch.text(
        f"For example $x^2 \\sin x$ at $x = 1 + \\varepsilon$ gives value {float(y.value):.6f} "
        f"and tangent {float(y.tangent):.6f}, which is $2x\\sin x + x^2 \\cos x$ at 1 "
        f"({2 * np.sin(1) + np.cos(1):.6f})."
    )
    xs = np.linspace(-3, 3, 200)
    f = lambda x: anp.sin(x) * x ** 2  # noqa: E731
    df = derivative(f)(xs)
    ch.figure(plot_function_and_derivative(
        xs, {"f(x) = x² sin x": f(xs), "f'(x) by dual numbers": df,
             "2x sin x + x² cos x (by hand)": 2 * xs * np.sin(xs) + xs ** 2 * np.cos(xs)}),
        "One forward pass over a grid of dual numbers $x + 1\\varepsilon$ gives the "
        "derivative at every point; it lies on the hand-derived curve.")
    ch.check_close("f' by dual numbers", "hand-derived 2x sin x + x² cos x", df,
                   2 * xs * np.sin(xs) + xs ** 2 * np.cos(xs), rtol=1e-14)


# -- forward and reverse mode on the survey's example ----------------------------------------------


def _evaluation_traces(ch) -> None:
    from fromscratch.autodiff import grad, trace
    from fromscratch.plot.autodiff import plot_trace

    ch.heading("Evaluation traces: forward and reverse mode")
    ch.text(
        "A program computes $f$ as a sequence of elementary operations, the *evaluation trace* "
        "or Wengert list: inputs $v_{1-n}, \\dots, v_0$, then $v_i = \\varphi_i(v_j, v_k)$. For "
        "the survey's example $f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2$ at $(2, 5)$, "
        "`trace(f, 2.0, 5.0)` records the list below while running the function."
    )
    t = trace(_baydin, 2.0, 5.0)
    ch.text(
        "**Forward mode** pushes a tangent $\\dot v_i = \\partial v_i / \\partial x_1$ down the "
        "list together with each value, starting from the seed $\\dot x_1 = 1$, "
        "$\\dot x_2 = 0$. Each step applies the chain rule to one operation, "
        "$\\dot v_i = \\sum_j (\\partial \\varphi_i / \\partial v_j)\\, \\dot v_j$. One pass gives "
        "one directional derivative, here $\\partial f/\\partial x_1$:"
    )
    ch.table(["variable", "operation", "value v", "tangent v̇ (seed ẋ₁ = 1)"],
             [row[:4] for row in t.rows()],
             "Forward primal and tangent trace (Baydin et al. 2018, Table 2): "
             "∂f/∂x₁ = v̇₅ = 5.5.")
    ch.text(
        "**Reverse mode** first runs the function, keeping the trace, then sweeps it backwards "
        "with *adjoints* $\\bar v_j = \\partial y / \\partial v_j$, starting from $\\bar y = 1$. A "
        "variable used by several operations collects a share from each of them:"
    )
    ch.equation(r"\bar v_j = \sum_{i\,:\,v_j \to v_i} \bar v_i\,"
                r"\frac{\partial \varphi_i}{\partial v_j}")
    ch.table(["variable", "operation", "value v", "adjoint v̄ (seed ȳ = 1)"],
             [[r[0], r[1], r[2], r[4]] for r in t.rows()],
             "Reverse adjoint trace (Baydin et al. 2018, Table 3): one backward sweep gives the "
             "whole gradient, ∂f/∂x₁ = v̄₋₁ = 5.5 and ∂f/∂x₂ = v̄₀ = 1.716.")
    ch.figure(plot_trace(t),
              "The computational graph of the trace, with each variable's value $v$, forward "
              "tangent $\\dot v$ and reverse adjoint $\\bar v$. $v_0 = x_2$ feeds two "
              "operations, so its adjoint is the sum of two shares: "
              "$\\bar v_0 = \\bar v_2 v_{-1} + \\bar v_3 \\cos v_0 = 2 - \\cos 5$.")
    survey = {"value": [2, 5, 0.693, 10, -0.959, 10.693, 11.652],
              "tangent": [1, 0, 0.5, 5, 0, 5.5, 5.5],
              "adjoint": [5.5, 1.716, 1, 1, -1, 1, 1]}
    for column, printed in survey.items():
        ours = [round(float(getattr(v, column)), 3) for v in t.variables]
        ch.check_close(f"trace {column}s (rounded to 3 decimals)",
                       "Baydin et al. (2018), Tables 2-3", ours, printed, rtol=0, atol=1e-12)
    g1, g2 = grad(_baydin, argnums=(0, 1))(2.0, 5.0)
    ch.check_close("grad of the example", "closed form (x₂ + 1/x₁, x₁ − cos x₂)", [g1, g2],
                   [5 + 1 / 2, 2 - np.cos(5.0)], rtol=1e-15)


def _rules_as_data(ch) -> None:
    ch.text(
        "In code, each primitive is one entry of a table with its NumPy function, its forward "
        "rule and its reverse rule side by side — for `exp`, both say \"multiply by the "
        "answer\":\n\n"
        "- `exp = Primitive(\"exp\", np.exp, jvp=lambda t, ans, x: t * ans, "
        "vjp=lambda g, ans, x: g * ans)`\n"
        "- `Tensor` records, for every operation, its primitive and inputs; `backward()` sorts "
        "the recorded graph topologically (iteratively: a chain of 100,000 operations is fine) "
        "and applies the reverse rules in one loop.\n"
        "- The rules are themselves written with `anp`, so they can be differentiated again: "
        "`hessian(f)` is `jacobian(grad(f))`, and `hvp(f, x, v)` runs dual numbers through the "
        "reverse pass (forward-over-reverse)."
    )


# -- cost of Jacobians -----------------------------------------------------------------------------


def _jacobian_cost(ch, rng: np.random.Generator) -> None:
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import jacobian
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.autodiff import plot_jacobian_cost

    ch.heading("Which mode when: the cost of a Jacobian")
    ch.text(
        "For $f: \\mathbb{R}^n \\to \\mathbb{R}^m$ one forward pass gives one *column* of the "
        "Jacobian, $J\\dot x$, and one reverse pass gives one *row*, $\\bar y^\\top J$. A full "
        "Jacobian therefore costs $n$ forward passes or $m$ reverse passes. Training a model is "
        "the extreme case $m = 1$ (a scalar loss) and $n$ in the millions: reverse mode, also "
        "known as backpropagation, gets the gradient for a few times the cost of the loss. "
        "Forward mode wins when inputs are few and outputs many, needs no stored trace, and "
        "is the natural way to get Hessian-vector products. Below, "
        "$f(x) = \\tanh(Wx)$ timed with `jacobian(f, mode=...)`."
    )
    sizes = [1, 4, 16, 64] if ch.quick else [1, 2, 4, 8, 16, 32, 64, 128]
    big = sizes[-1]
    repeats = 3 if ch.quick else 7
    fig, axes = new_figure(2, width=10.5, height=4.0)
    for ax, varying in zip(axes, ("inputs n", "outputs m"), strict=True):
        forward, reverse = [], []
        for k in sizes:
            n, m = (k, big) if varying == "inputs n" else (big, k)
            W, x = rng.normal(size=(m, n)), rng.normal(size=n)
            fn = lambda x, W=W: anp.tanh(W @ x)  # noqa: E731
            forward.append(_median_time(lambda fn=fn, x=x: jacobian(fn, mode="forward")(x),
                                        repeats))
            reverse.append(_median_time(lambda fn=fn, x=x: jacobian(fn, mode="reverse")(x),
                                        repeats))
        fixed = f"m = {big}" if varying == "inputs n" else f"n = {big}"
        plot_jacobian_cost(sizes, forward, reverse, varying=varying, fixed=fixed, ax=ax)
    ch.figure(fig, "Forward mode's cost grows with the number of inputs and not with the "
              "outputs; reverse mode's the other way round. (Wall-clock medians on this "
              "machine; both modes run the same primitive table.)")
    W, x = rng.normal(size=(5, 3)), rng.normal(size=3)
    J_closed = (1 - np.tanh(W @ x) ** 2)[:, None] * W
    for mode in ("forward", "reverse"):
        ch.check_close(f"Jacobian of tanh(Wx), {mode} mode", "closed form diag(1 − tanh²) W",
                       jacobian(lambda x: anp.tanh(W @ x), mode=mode)(x), J_closed, rtol=1e-13)


# -- verification ----------------------------------------------------------------------------------


def _verification(ch, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Composed functions against finite differences; returns the data the MLP checks use."""
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import check_grad, grad

    ch.heading("Verification")
    ch.text(
        "`check_grad(f, *args)` computes the Jacobian three ways — reverse mode, forward mode "
        "and central differences $(f(x + he_j) - f(x - he_j))/2h$ — and returns the largest "
        "discrepancy, relative to $\\max(1, |J|)$. With $h = 10^{-6}$ the differences "
        "themselves are accurate to about $10^{-9}$, so a correct rule scores far below "
        "$10^{-6}$ and a wrong one scores O(1). The test suite runs it on every primitive, with "
        "random shapes and broadcasting; here are a few composed functions."
    )
    Xd = rng.normal(size=(20, 4))
    yd = (rng.random(20) < 0.5).astype(float)
    onehot = np.eye(3)[rng.integers(0, 3, size=20)]
    composed = {
        "logistic loss": (lambda w: anp.mean(anp.softplus(Xd @ w) - yd * (Xd @ w)),
                          rng.normal(size=4)),
        "softmax cross-entropy": (lambda Z: -anp.mean(anp.sum(anp.log_softmax(Z, 1) * onehot,
                                                              1)), rng.normal(size=(20, 3))),
        "MLP output": (lambda W1: anp.tanh(Xd @ W1) @ np.ones(5), rng.normal(size=(4, 5))),
        "Rosenbrock": (lambda x: anp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2),
                       rng.normal(size=5)),
        "softmax (full Jacobian)": (lambda z: anp.softmax(z), rng.normal(size=6)),
        "norm at 0 (subgradient 0, never NaN)": (lambda x: anp.norm(x) + anp.sum(x),
                                                 np.ones(3)),
    }
    for name, (fn, point) in composed.items():
        ch.check("both modes vs central differences: " + name, "finite differences (h = 1e-6)",
                 check_grad(fn, point), 1e-6)
    z = np.zeros(3)
    ch.check("gradient of norm at 0 is finite", "subgradient 0",
             float(np.abs(grad(anp.norm)(z)).max()), 0.0)
    ch.check("sigmoid, softplus, log_softmax gradients at ±1000 are finite", "finite values",
             0.0 if all(np.isfinite(g).all() for g in (
                 grad(lambda x: anp.sum(anp.sigmoid(x)))(np.array([-1e3, 1e3])),
                 grad(lambda x: anp.sum(anp.softplus(x)))(np.array([-1e3, 1e3])),
                 grad(lambda x: anp.log_softmax(x)[0])(np.array([-1e3, 0.0, 1e3])))) else 1.0,
             0.0)
    return Xd, yd


# -- verification, continued: an MLP loss against its closed forms ---------------------------------


def _mlp_closed_forms(ch, rng: np.random.Generator, Xd: np.ndarray, yd: np.ndarray) -> None:
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import grad, hessian, jvp

    # An MLP loss in its last layer's weights w: L(w) = mean((h w - y)^2) with the hidden
    # activations h = tanh(X W1 + b1) fixed. L is quadratic in w, so its derivatives have exact
    # closed forms — an independent reference computed without any differentiation:
    #     grad L = (2/n) h^T (h w - y),   H = (2/n) h^T h,   JVP(v) = grad L . v
    # (The same comparisons against PyTorch autograd run in tests/autodiff, where PyTorch may be
    # imported; the from-scratch rule keeps it out of the library and the tour.)
    W1, b1 = rng.normal(size=(4, 6)) * 0.5, rng.normal(size=6) * 0.1
    w2 = rng.normal(size=6)
    hidden = np.tanh(Xd @ W1 + b1)
    n = hidden.shape[0]

    def mlp_loss(w):
        return anp.mean((anp.tanh(Xd @ W1 + b1) @ w - yd) ** 2)

    grad_exact = 2.0 / n * hidden.T @ (hidden @ w2 - yd)
    ch.check_close("gradient of an MLP loss (last layer)", "closed form (2/n) hᵀ(hw − y)",
                   grad(mlp_loss)(w2), grad_exact, rtol=1e-10)
    v = rng.normal(size=6)
    _, tangent = jvp(mlp_loss, (w2,), (v,))
    ch.check_close("JVP of an MLP loss (forward mode)", "closed form ∇L·v", tangent,
                   grad_exact @ v, rtol=1e-10)
    ch.check_close("Hessian of an MLP loss (reverse-over-reverse)", "closed form (2/n) hᵀh",
                   hessian(mlp_loss)(w2), 2.0 / n * hidden.T @ hidden, rtol=1e-10)


# -- never a silently dropped derivative -----------------------------------------------------------


def _no_silent_drops(ch) -> None:
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import ConcretizationTypeError, grad, stop_gradient

    ch.heading("No silently dropped derivatives")
    ch.text(
        "Reverse mode follows the values the program computes with `Tensor` operations and "
        "nothing else. A value that leaves that world — `float(x)`, `math.exp(x)`, "
        "`np.asarray(x)`, `x.item()`, or an assignment `B[0] = x` into a NumPy array — comes "
        "back as a plain number, and every derivative through it would be lost without a "
        "sound: $x \\cdot \\mathrm{float}(x)$ would have the derivative $x$ instead of $2x$. "
        "So inside `grad`, `jvp` and the other transformations each of these raises a "
        "`ConcretizationTypeError` (JAX's name for the same error) that says what to write "
        "instead: `anp.exp(x)`, or `stop_gradient(x)` where a constant is meant. NumPy's own "
        "functions, on the other hand, work: `np.exp(x)` or `np.sum(x)` on a traced value "
        "dispatch to the same rule table (NumPy's `__array_ufunc__` and `__array_function__` "
        "protocols), and a function without a rule raises instead of guessing."
    )
    try:
        grad(lambda x: x * float(x))(3.0)
        raised = False
    except ConcretizationTypeError:
        raised = True
    ch.check("float(x) inside grad raises instead of giving 3", "ConcretizationTypeError",
             0.0 if raised else 1.0, 0.0)
    ch.check_close("d/dx x·x at 3, and x·stop_gradient(x) (a constant by choice)", "6 and 3",
                   [grad(lambda x: x * x)(3.0), grad(lambda x: x * stop_gradient(x))(3.0)],
                   [6.0, 3.0], rtol=0)
    ch.check_close("grad through NumPy's own np.tanh and np.sum", "grad through anp",
                   grad(lambda x: np.sum(np.tanh(x) ** 2))(np.arange(3.0)),
                   grad(lambda x: anp.sum(anp.tanh(x) ** 2))(np.arange(3.0)), rtol=0)
