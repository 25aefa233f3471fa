"""The autodiff chapter, part 2 (topics F1–F6): the chain rule for compositions, evaluation
traces as lists and as graphs, the trace implemented, reverse mode by hand on the survey's
example, and reverse mode implemented.

The worked example is the one of Baydin et al. (2018), *Automatic differentiation in machine
learning: a survey*, :math:`f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2` at (2, 5); its printed
tables (Table 2: the forward tangent trace, Table 3: the reverse adjoint trace) are the
reference the library's trace is checked against.
"""

from __future__ import annotations

import gc
import sys
import time
from typing import TYPE_CHECKING

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Tensor, check_grad, grad, jacobian, jvp, trace
from fromscratch.autodiff.reverse import backprop
from fromscratch.plot._style import new_figure
from fromscratch.plot.autodiff import (
    plot_function_and_derivative,
    plot_scaling,
    plot_tangent,
    plot_trace,
)

if TYPE_CHECKING:
    from fromscratch.tour.chapter import Chapter

TOPICS = {
    "F1": {
        "section": "Forward mode revisited: compositions and the chain rule",
        "figure": "The chain rule as tangent lines. Left: $u = \\cos x$ and its tangent at "
                  "$x = 1$ (slope $g'(1)$). Middle: $y = e^u$ and its tangent at "
                  "$u = \\cos 1$ (slope $f'(u)$). Right: $y = e^{\\cos x}$ and its tangent at "
                  "$x = 1$, whose slope is the product of the other two.",
        "check": "derivative of e^(cos x) at 1, one forward pass",
    },
    "F2": {
        "section": "Evaluation traces: a function as a list of elementary operations",
        "figure": "The survey's function assembled from its trace: every variable $v_i$ of "
                  "the list as a function of $x_1$ (with $x_2 = 5$), recorded by `trace` on a "
                  "grid of $x_1$. The output $v_5$ is $v_4 - v_3$, $v_4$ is $v_1 + v_2$.",
        "check": "trace values (rounded to 3 decimals)",
    },
    "F3": {
        "section": "The trace drawn as a computational graph",
        "figure": "The computational graph of the trace: one node per variable, one arrow per "
                  "use. $x_1$ and $x_2$ each feed two operations; columns are the longest "
                  "distance from an input.",
        "check": "edges of the traced graph",
    },
    "F4": {
        "section": "The trace implemented: recording the program, sweeping it forward",
        "figure": "The library traces any function: the loss of one logistic neuron, "
                  "$\\ell = \\mathrm{softplus}(z) - yz$ with $z = 1.5 w_1 + 0.5 w_2$ and "
                  "$y = 1$, at $(w_1, w_2) = (0.3, -0.8)$, with each variable's value and its "
                  "tangent $\\dot v = \\partial v/\\partial w_1$ from the forward sweep.",
        "check": "trace tangents (rounded to 3 decimals)",
    },
    "F5": {
        "section": "Reverse mode, a worked example",
        "figure": "The survey's graph with each variable's adjoint $\\bar v = \\partial y / "
                  "\\partial v$ after the backward sweep. $v_0 = x_2$ feeds two operations, so "
                  "its adjoint is the sum of two shares: $\\bar v_0 = \\bar v_2 v_{-1} + "
                  "\\bar v_3 \\cos v_0 = 2 - \\cos 5$.",
        "check": "adjoint sweep by hand, step by step",
    },
    "F6": {
        "section": "Reverse mode implemented: backprop",
        "figure": "A chain of $L$ multiplications $y \\leftarrow y\\,(1 + 1/L)$, far past "
                  "Python's recursion limit. Left: $\\partial y/\\partial z$ by `backward()` "
                  "on the closed form $(1 + 1/L)^L$, which tends to $e$. Right: the "
                  "forward run and the backward sweep both take time proportional to $L$.",
        "check": "both modes vs central differences: softmax cross-entropy",
    },
}

#: Baydin et al. (2018), Tables 2 and 3, as printed (3 decimals): v_-1 … v_5.
SURVEY = {"value": [2, 5, 0.693, 10, -0.959, 10.693, 11.652],
          "tangent": [1, 0, 0.5, 5, 0, 5.5, 5.5],
          "adjoint": [5.5, 1.716, 1, 1, -1, 1, 1]}


def baydin(x1, x2):
    """f(x1, x2) = ln x1 + x1 x2 - sin x2, written in the survey's order of operations."""
    v1 = anp.log(x1)
    v2 = x1 * x2
    v3 = anp.sin(x2)
    v4 = v1 + v2
    return v4 - v3


def _check_against_survey(ch: Chapter, t, column: str) -> None:
    ours = [round(float(getattr(v, column)), 3) for v in t.variables]
    ch.check_close(f"trace {column}s (rounded to 3 decimals)", "Baydin et al. (2018), Tables 2-3",
                   ours, SURVEY[column], rtol=0, atol=1e-12)


# -- F1 --------------------------------------------------------------------------------------------


def chain_rule(ch: Chapter, rng: np.random.Generator) -> None:
    ch.heading(TOPICS["F1"]["section"])
    ch.text(
        "Programs are compositions. For $y = f(u)$ with $u = g(x)$, run a dual number through "
        "both: $g(x + \\varepsilon) = u + g'(x)\\,\\varepsilon$, and $f$ applied to that dual "
        "number multiplies its tangent by $f'(u)$,"
    )
    ch.equation(r"f\bigl(g(x + \varepsilon)\bigr) = f\bigl(u + g'(x)\,\varepsilon\bigr) = "
                r"f(u) + f'(u)\,g'(x)\,\varepsilon, \qquad (f \circ g)'(x) = f'\bigl(g(x)\bigr)"
                r"\, g'(x)")
    ch.text(
        "— the chain rule, applied one operation at a time as the program runs. With vectors "
        "the derivatives are Jacobians and the chain rule is their product: for "
        "$f = f_3 \\circ f_2 \\circ f_1$ with $h_1 = f_1(x)$, $h_2 = f_2(h_1)$,"
    )
    ch.equation(r"J_f(x) = J_{f_3}(h_2)\, J_{f_2}(h_1)\, J_{f_1}(x), \qquad "
                r"J_f\,\dot x = J_{f_3}\bigl(J_{f_2}(J_{f_1}\dot x)\bigr), \qquad "
                r"\bar y^\top J_f = \bigl((\bar y^\top J_{f_3}) J_{f_2}\bigr) J_{f_1}")
    ch.text(
        "Matrix products are associative, so the order is ours to choose. Forward mode "
        "multiplies from the right, in the order of evaluation, one Jacobian-vector product "
        "per operation; reverse mode from the left, against the order of evaluation, one "
        "vector-Jacobian product per operation — after a forward run that remembers "
        "$h_1, h_2$, on which the Jacobians depend. Neither ever forms a Jacobian matrix. "
        "First the scalar case, $e^{\\cos x}$ at $x = 1$, each derivative by one forward "
        "pass (`jvp`):"
    )
    x0 = 1.0
    u0, du_dx = jvp(anp.cos, (x0,), (1.0,))
    y0, dy_du = jvp(anp.exp, (u0,), (1.0,))

    def composed(x):
        return anp.exp(anp.cos(x))

    _, dy_dx = jvp(composed, (x0,), (1.0,))
    xs, us = np.linspace(-np.pi, np.pi, 200), np.linspace(-1.2, 1.2, 200)
    fig, axes = new_figure(3, width=15.0, height=4.0)
    plot_tangent(xs, np.cos(xs), at=x0, value=u0, slope=du_dx, label="u = g(x) = cos x",
                 title=f"g'(1) = {float(du_dx):.4f}", ax=axes[0])
    plot_tangent(us, np.exp(us), at=u0, value=y0, slope=dy_du, label="y = f(u) = eᵘ",
                 xlabel="u", title=f"f'(cos 1) = {float(dy_du):.4f}", ax=axes[1])
    plot_tangent(xs, composed(xs), at=x0, value=y0, slope=dy_dx, label="y = e^(cos x)",
                 title=f"(f∘g)'(1) = {float(dy_dx):.4f} = f'(u) g'(1)", ax=axes[2])
    ch.figure(fig, TOPICS["F1"]["figure"])
    ch.check_close(TOPICS["F1"]["check"], "f'(g(1)) · g'(1), each by its own pass", dy_dx,
                   dy_du * du_dx, rtol=1e-15)
    ch.check_close("derivative of e^(cos x) at 1", "closed form −sin 1 · e^(cos 1)", dy_dx,
                   -np.sin(x0) * np.exp(np.cos(x0)), rtol=1e-15)
    h = 1e-6  # central-difference error ≈ h²|f'''|/6 + ε|f|/h ≈ 3e-10 here
    ch.check_close("derivative of e^(cos x) at 1", "central difference, h = 1e-6", dy_dx,
                   (composed(x0 + h) - composed(x0 - h)) / (2 * h), rtol=1e-8)
    ch.text(
        "And the vector case, $f(x) = \\sum_i \\tanh((Wx)_i)^2$ with $W$ of shape $4 \\times 3$: "
        "the three Jacobians, each computed by `jacobian` on its own piece, multiplied in "
        "either order, equal the Jacobian (here the gradient) of the composition."
    )
    W, x = rng.normal(size=(4, 3)), rng.normal(size=3)
    h1 = W @ x
    h2 = np.tanh(h1)
    J1 = jacobian(lambda x: W @ x)(x)
    J2 = jacobian(anp.tanh)(h1)
    J3 = jacobian(lambda h: anp.sum(h ** 2))(h2)
    reverse_order = (J3 @ J2) @ J1
    forward_order = J3 @ (J2 @ J1)

    def f(x):
        return anp.sum(anp.tanh(W @ x) ** 2)

    ch.check_close("(J₃ J₂) J₁, Jacobians of the pieces", "grad of the composition (reverse)",
                   reverse_order, grad(f)(x), rtol=1e-13)
    ch.check_close("J₃ (J₂ J₁), Jacobians of the pieces",
                   "Jacobian of the composition (forward mode)", forward_order,
                   jacobian(f, mode="forward")(x), rtol=1e-13)


# -- F2 --------------------------------------------------------------------------------------------


def evaluation_trace(ch: Chapter):
    """Returns the survey example's trace, which the next sections draw and sweep."""
    ch.heading(TOPICS["F2"]["section"])
    ch.text(
        "An AD system never sees the formula; it sees the elementary operations the program "
        "executes — `+`, `*`, `log`, `sin`, `matmul`, `sum` — each with a small known "
        "derivative. Written down in order they form the *evaluation trace*, or Wengert "
        "list: the inputs $v_{1-n}, \\dots, v_0$, then one variable per operation, "
        "$v_i = \\varphi_i(v_j, v_k)$, each computed from earlier ones. For the survey's "
        "example $f(x_1, x_2) = \\ln x_1 + x_1 x_2 - \\sin x_2$ at $(2, 5)$:"
    )
    ch.equation(r"v_{-1} = x_1, \quad v_0 = x_2, \quad v_1 = \ln v_{-1}, \quad "
                r"v_2 = v_{-1} v_0, \quad v_3 = \sin v_0, \quad v_4 = v_1 + v_2, \quad "
                r"v_5 = v_4 - v_3, \quad y = v_5")
    ch.text(
        "`trace(f, 2.0, 5.0)` records this list while running the function on recording "
        "Tensors, numbering the operations in the order Python runs them:"
    )
    t = trace(baydin, 2.0, 5.0)
    ch.table(["variable", "operation", "value v"], [row[:3] for row in t.rows()],
             "The primal trace (Baydin et al. 2018, Table 2, left half), recorded by trace.")
    grid = np.linspace(0.3, 4.0, 200)
    on_grid = trace(baydin, grid, 5.0, cotangent=np.ones_like(grid))
    curves = {f"{v.name} = {v.expression}": np.broadcast_to(v.value, grid.shape)
              for v in on_grid.variables[1:]}
    ch.figure(plot_function_and_derivative(grid, curves, xlabel="x₁ = v₋₁ (x₂ = 5)",
                                           title="the trace, variable by variable"),
              TOPICS["F2"]["figure"])
    _check_against_survey(ch, t, "value")
    ch.check_close("output of the trace", "f(2, 5) evaluated directly",
                   t.output.value, baydin(2.0, 5.0), rtol=0)
    return t


# -- F3 --------------------------------------------------------------------------------------------


def computational_graph(ch: Chapter, t) -> None:
    ch.heading(TOPICS["F3"]["section"])
    ch.text(
        "Draw each variable as a node and each use of a variable by an operation as an arrow "
        "$v_j \\to v_i$: the *computational graph*, a directed acyclic graph (an operation "
        "can only read variables computed before it). A variable used by several "
        "operations has several outgoing arrows — $x_1$ feeds $\\ln$ and the product, $x_2$ "
        "the product and $\\sin$ — and that is exactly where reverse mode will have to add "
        "contributions. For the trace `t` that `fromscratch.autodiff.trace` records, "
        "`t.edges()` lists the arrows, `t.depths()` places each node in a "
        "column by its longest distance from an input, and `t.to_dot()` gives Graphviz "
        "source for the same picture."
    )
    ch.figure(plot_trace(t, show=("value",)), TOPICS["F3"]["figure"])
    # The survey's Figure 1 (the graph of this function), arrow by arrow.
    survey_edges = {(-1, 1), (-1, 2), (0, 2), (0, 3), (1, 4), (2, 4), (4, 5), (3, 5)}
    ch.check(TOPICS["F3"]["check"], "the survey's graph: arrows in one and not the other",
             len(set(t.edges()) ^ survey_edges), 0)
    ch.check_close("depth of each variable (its column)", "longest path from an input, by hand",
                   [t.depths()[v.index] for v in t.variables], [0, 0, 1, 1, 1, 2, 3], rtol=0)


# -- F4 --------------------------------------------------------------------------------------------


def trace_implemented(ch: Chapter, t) -> None:
    ch.heading(TOPICS["F4"]["section"])
    ch.text(
        "The library builds the list as the program runs, micrograd style: every operation "
        "on `Tensor`s computes its value with NumPy and records, on the result, the "
        "primitive, its inputs and which of them carry derivatives. That record is the "
        "graph; `trace` keeps the results in the order they were made, which is the list. "
        "Here is the method every operation goes through:"
    )
    ch.code(Tensor._apply, "fromscratch.autodiff.reverse.Tensor._apply: evaluate one "
                           "primitive and record it (only while a trace runs is each result "
                           "also appended to the list, the tape).")
    ch.text(
        "On the recorded list, forward mode is one loop from top to bottom: each variable's "
        "tangent is the sum of its inputs' tangents times the partial derivatives, "
        "$\\dot v_i = \\sum_j (\\partial\\varphi_i/\\partial v_j)\\, \\dot v_j$, which is "
        "each primitive's JVP rule from the table — the same rules `Dual` uses. Seeded with "
        "$\\dot x_1 = 1$, $\\dot x_2 = 0$, one sweep gives $\\partial f/\\partial x_1$:"
    )
    ch.table(["variable", "operation", "value v", "tangent v̇ (seed ẋ₁ = 1)"],
             [row[:4] for row in t.rows()],
             "Forward primal and tangent trace (Baydin et al. 2018, Table 2): "
             "∂f/∂x₁ = v̇₅ = 5.5. A second sweep seeded with ẋ₂ = 1 would give ∂f/∂x₂.")
    x, y = (1.5, 0.5), 1.0
    point = (0.3, -0.8)

    def neuron_loss(w1, w2):
        z = w1 * x[0] + w2 * x[1]
        return anp.softplus(z) - y * z

    neuron = trace(neuron_loss, *point)
    ch.figure(plot_trace(neuron, show=("value", "tangent"), width=11.0), TOPICS["F4"]["figure"])
    _check_against_survey(ch, t, "tangent")
    _, slope = jvp(neuron_loss, point, (1.0, 0.0))
    z = point[0] * x[0] + point[1] * x[1]
    ch.check_close("∂ℓ/∂w₁ of the neuron: the trace's forward sweep", "jvp (dual numbers)",
                   neuron.output.tangent, slope, rtol=1e-15)
    ch.check_close("∂ℓ/∂w₁ of the neuron: the trace's forward sweep", "closed form (σ(z) − y) x₁",
                   neuron.output.tangent, (1 / (1 + np.exp(-z)) - y) * x[0], rtol=1e-14)


# -- F5 --------------------------------------------------------------------------------------------

#: The backward sweep over the survey's list, written out by hand as in its Table 3: for each
#: operation, from the last to the first, the share of its adjoint that each input receives,
#: :math:`\bar v_i\,\partial\varphi_i/\partial v_j`, as a formula and as a function of the
#: adjoints ``a`` and values ``v`` (dicts by index).
SWEEP_BY_HAND = [
    ("$v_5 = v_4 - v_3$", [(4, r"\bar v_5 \cdot 1", lambda a, v: a[5]),
                           (3, r"\bar v_5 \cdot (-1)", lambda a, v: -a[5])]),
    ("$v_4 = v_1 + v_2$", [(1, r"\bar v_4 \cdot 1", lambda a, v: a[4]),
                           (2, r"\bar v_4 \cdot 1", lambda a, v: a[4])]),
    ("$v_3 = \\sin v_0$", [(0, r"\bar v_3 \cos v_0", lambda a, v: a[3] * np.cos(v[0]))]),
    ("$v_2 = v_{-1} v_0$", [(-1, r"\bar v_2\, v_0", lambda a, v: a[2] * v[0]),
                            (0, r"\bar v_2\, v_{-1}", lambda a, v: a[2] * v[-1])]),
    ("$v_1 = \\ln v_{-1}$", [(-1, r"\bar v_1 / v_{-1}", lambda a, v: a[1] / v[-1])]),
]


def reverse_worked_example(ch: Chapter, t) -> None:
    ch.heading(TOPICS["F5"]["section"])
    ch.text(
        "Reverse mode — the library's `grad` — asks the opposite question: not how every "
        "variable changes with one input, but how the output changes with every variable. "
        "Define the *adjoint* "
        "$\\bar v_j = \\partial y / \\partial v_j$. At the output $\\bar y = \\bar v_5 = 1$. "
        "A variable $v_j$ reaches $y$ only through the operations that read it, so by the "
        "chain rule"
    )
    ch.equation(r"\bar v_j = \frac{\partial y}{\partial v_j} = \sum_{i\,:\,v_j \to v_i} "
                r"\frac{\partial y}{\partial v_i}\,\frac{\partial v_i}{\partial v_j} = "
                r"\sum_{i\,:\,v_j \to v_i} \bar v_i\,\frac{\partial \varphi_i}{\partial v_j}")
    ch.text(
        "Every $\\bar v_i$ on the right belongs to a later operation, so walking the list "
        "backwards, each operation can send each of its inputs its share "
        "$\\bar v_i\\, \\partial\\varphi_i/\\partial v_j$ once its own adjoint is complete; a "
        "variable used twice adds two shares. Below, the sweep by hand for the survey's "
        "example, one share per row, with the values of the forward run:"
    )
    value = {v.index: float(v.value) for v in t.variables}
    adjoint = {5: 1.0}
    rows = [["seed", "$y = v_5$", "$\\bar v_5$", "$\\bar y$", 1.0, 1.0]]
    for step, (operation, shares) in enumerate(SWEEP_BY_HAND, start=1):
        for target, formula, share in shares:
            amount = float(share(adjoint, value))
            adjoint[target] = adjoint.get(target, 0.0) + amount
            name = "_{-1}" if target < 0 else f"_{target}"
            rows.append([step, operation, f"$\\bar v{name}$", f"${formula}$", amount,
                         adjoint[target]])
    ch.table(["step", "operation visited", "receives", "share", "share's value",
              "adjoint so far"], rows,
             "The adjoint sweep by hand (Baydin et al. 2018, Table 3). x₂ = v₀ receives "
             "−cos 5 from sin and 2 from the product; x₁ = v₋₁ receives 5 and 0.5.")
    ch.figure(plot_trace(t, show=("value", "adjoint")), TOPICS["F5"]["figure"])
    d1, d2 = grad(baydin, argnums=(0, 1))(2.0, 5.0)
    ch.check_close(TOPICS["F5"]["check"], "grad (the library's backward pass)",
                   [adjoint[-1], adjoint[0]], [d1, d2], rtol=1e-15)
    ch.check_close("every adjoint of the sweep by hand", "the trace's adjoints (backprop)",
                   [adjoint[v.index] for v in t.variables],
                   [float(v.adjoint) for v in t.variables], rtol=1e-15)
    _check_against_survey(ch, t, "adjoint")
    ch.check_close("grad of the example", "closed form (x₂ + 1/x₁, x₁ − cos x₂)", [d1, d2],
                   [5 + 1 / 2, 2 - np.cos(5.0)], rtol=1e-15)


# -- F6 --------------------------------------------------------------------------------------------


def _chain(length: int) -> tuple[float, float, float]:
    """:math:`\\partial y/\\partial z` of :math:`y = z\\,(1 + 1/L)^L`, computed as ``length``
    multiplications and one ``backward()``, and the seconds the forward run and the backward
    sweep took. Timed as ``timeit`` does, with the cyclic garbage collector paused (its passes
    over the growing graph would add time that is not autodiff's)."""
    factor = 1 + 1 / length
    collecting = gc.isenabled()
    gc.disable()
    try:
        z = Tensor(1.0, requires_grad=True)
        start = time.perf_counter()
        y = z
        for _ in range(length):
            y = y * factor
        middle = time.perf_counter()
        y.backward()
        return float(z.grad), middle - start, time.perf_counter() - middle
    finally:
        if collecting:
            gc.enable()


def reverse_implemented(ch: Chapter, rng: np.random.Generator) -> None:
    ch.heading(TOPICS["F6"]["section"])
    ch.text(
        "The sweep above needs one thing from an implementation: visit every node only after "
        "all the operations that read it have sent their shares. `backprop` first counts, for "
        "every node under the output, how many recorded operations read it; then it starts "
        "from the output and, each time a node's count of outstanding consumers drops to "
        "zero, its adjoint is complete and it is processed — Kahn's topological sort. For "
        "each input of the node's primitive it applies the table's VJP rule and adds the "
        "share to that input's adjoint. A share of a broadcast input is summed back to the "
        "input's shape, once, here. `Tensor.backward()` and `grad` both run this loop."
    )
    ch.code(backprop, "fromscratch.autodiff.reverse.backprop: the reverse sweep.")
    ch.text(
        "Two known traps of reverse-mode engines are avoided by construction. A node used "
        "twice (`x * x`, or $x_2$ above) must *add* the shares it receives, never overwrite "
        "one with the other. And the sort is iterative: a recursive depth-first sort, the "
        "textbook version, stops at Python's recursion limit "
        f"({sys.getrecursionlimit()} frames), so a long chain — an unrolled recurrent "
        "network, an optimizer's steps — would crash. Below, gradients of training-style "
        "functions are checked against central differences, and the traps against closed "
        "forms."
    )
    X = rng.normal(size=(20, 4))
    y = (rng.random(20) < 0.5).astype(float)
    onehot = np.eye(3)[rng.integers(0, 3, size=20)]
    functions = {
        "logistic loss": (lambda w: anp.mean(anp.softplus(X @ w) - y * (X @ w)),
                          rng.normal(size=4)),
        "softmax cross-entropy": (lambda Z: -anp.mean(anp.sum(anp.log_softmax(Z, 1) * onehot,
                                                              1)), rng.normal(size=(20, 3))),
        "MLP output": (lambda W1: anp.tanh(X @ W1) @ np.ones(5), rng.normal(size=(4, 5))),
        "Rosenbrock": (lambda x: anp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2),
                       rng.normal(size=5)),
    }
    for name, (fn, point) in functions.items():
        ch.check("both modes vs central differences: " + name, "finite differences (h = 1e-6)",
                 check_grad(fn, point), 1e-6)
    ch.check_close("a node used twice: d/dx (x · x) at 3", "2x = 6",
                   grad(lambda x: x * x)(3.0), 6.0, rtol=0)
    x0 = 0.7
    ch.check_close("a diamond: u = sin x feeds u · u + u, at 0.7", "(2 sin x + 1) cos x",
                   grad(lambda x: (lambda u: u * u + u)(anp.sin(x)))(x0),
                   (2 * np.sin(x0) + 1) * np.cos(x0), rtol=1e-15)
    lengths = [10, 100, 1_000, 10_000] if ch.quick else [10, 100, 1_000, 10_000, 100_000]
    slopes, forward_seconds, backward_seconds = [], [], []
    for length in lengths:
        # short chains take microseconds: the fastest of 5 runs, as timeit advises
        runs = [_chain(length) for _ in range(5 if length <= 1_000 else 1)]
        slopes.append(runs[0][0])
        forward_seconds.append(min(run[1] for run in runs))
        backward_seconds.append(min(run[2] for run in runs))
    lengths_arr = np.asarray(lengths, dtype=float)
    closed = (1 + 1 / lengths_arr) ** lengths_arr
    limit = sys.getrecursionlimit()
    fig, axes = new_figure(2, width=11.0, height=4.0)
    plot_scaling(lengths, {"∂y/∂z by backward()": slopes},
                 predicted={"∂y/∂z by backward()": ("(1 + 1/L)^L", closed)},
                 hlines={"e": np.e}, vlines={f"recursion limit ({limit})": limit},
                 xlabel="chain length L", ylabel="∂y/∂z", yscale="linear", ax=axes[0])
    longest = lengths[-1]
    plot_scaling(lengths, {"forward run": forward_seconds, "backward()": backward_seconds},
                 predicted={"forward run": ("∝ L", forward_seconds[-1] / longest * lengths_arr),
                            "backward()": ("∝ L", backward_seconds[-1] / longest * lengths_arr)},
                 vlines={f"recursion limit ({limit})": limit}, xlabel="chain length L",
                 ylabel="seconds", ax=axes[1])
    ch.figure(fig, TOPICS["F6"]["figure"])
    # Each multiplication rounds once, so the product drifts from the closed form by up to
    # about L roundings (relative); 2Lε allows for the closed form's own rounding.
    ch.check_close("gradient through the longest chain of multiplications",
                   f"(1 + 1/L)^L for L = {longest:,}, past the recursion limit {limit}",
                   slopes[-1], closed[-1], rtol=2 * longest * np.finfo(float).eps)
    ch.check_bound("longest chain / recursion limit", "the chain must exceed the limit",
                   longest / limit, at_least=2.0)
