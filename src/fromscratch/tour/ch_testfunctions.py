"""Chapter: the gallery of 2-D optimization test functions, each checked against the literature."""

from __future__ import annotations

import numpy as np

TITLE = "Optimization test functions"

#: Where the curriculum topic is taught: its section, its figure and one of its checks.
TOPICS = {
    "H1": {
        "section": "The gallery",
        "figure": "Every function on its plotting window; stars are the global minima, crosses "
                  "the saddle points. Functions whose values span orders of magnitude are "
                  "coloured by $\\log(f - f^*)$.",
        "check": "Rosenbrock: ‖∇f‖ at minimum 1",
    },
}


def _locations(fn) -> str:
    if not fn.minima:
        return "none (unbounded below)"
    return ", ".join(f"({m.location[0]:.6g}, {m.location[1]:.6g})" for m in fn.minima)


def _minima_text(fn) -> str:
    if not fn.minima:
        return "none (unbounded below)"
    return f"$f^* = {fn.min_value:.6g}$ at {_locations(fn)}"


def run(ch) -> None:
    from matplotlib.figure import Figure

    from fromscratch.autodiff import grad, hessian
    from fromscratch.benchfunctions import all_functions, get
    from fromscratch.plot.optim import plot_contour, plot_gallery, plot_surface

    functions = all_functions()
    grid_n = 401 if ch.quick else 2001

    ch.text(
        "An optimizer is easy to believe in and hard to judge. The functions in this chapter "
        "are the standard obstacle course: each one is a small, two-dimensional landscape with "
        "a known answer and one particular difficulty — a curved valley (Rosenbrock), plateaus "
        "and steep walls (Beale), many local minima (Rastrigin, Ackley, Eggholder), several "
        "global minima (Himmelblau, cross-in-tray, Hölder table), a needle in a flat haystack "
        "(Easom), a crease where the gradient does not exist (Bukin N.6), or no minimum at all "
        "(the saddles). Because they are two-dimensional we can *see* an optimizer's path, "
        "which the next chapter does."
    )
    ch.text(
        "Each function is written once with `fromscratch.autodiff.numpy` (`anp`): on a NumPy "
        "grid it is an ordinary vectorised function (that is how the pictures are drawn), and "
        "the same code is differentiated by both autodiff modes (that is how the optimizers "
        "descend it). The minima come from Jamil & Yang (2013), *A literature survey of "
        "benchmark functions for global optimization problems*, Surjanovic & Bingham's *Virtual "
        "Library of Simulation Experiments* and Wikipedia's *Test functions for optimization*, "
        "with the digits those sources give."
    )

    ch.heading(TOPICS["H1"]["section"])
    ch.text(
        "Each function is a `TestFunction` of `fromscratch.benchfunctions`: a callable that "
        "carries its formula, search domain, every global minimum with the precision the "
        "literature gives it, a plotting window and a start for the optimizer races. The "
        "formula itself is a few lines of `anp`, for instance Rosenbrock's:"
    )
    ch.code(get("rosenbrock").fn, "fromscratch.benchfunctions: Rosenbrock's formula")
    ch.figure(plot_gallery(functions, n=60 if ch.quick else 160), TOPICS["H1"]["figure"])
    ch.table(
        ["function", "f(x, y)", "domain", "global minima", "f*", "smooth at minima"],
        [[fn.title, f"${fn.formula}$", f"[{fn.domain[0][0]:g}, {fn.domain[0][1]:g}] × "
          f"[{fn.domain[1][0]:g}, {fn.domain[1][1]:g}]", _locations(fn),
          fn.min_value if fn.minima else "none", fn.smooth] for fn in functions],
        "The registry (`fromscratch.benchfunctions.names()`), as the literature states each "
        "function; the checks below hold every row to it.",
    )

    ch.heading("What is verified, and how")
    ch.text(
        "For every function three checks, each of which fails if the formula, the listed "
        "minimum or the autodiff were wrong:\n\n"
        "- **Value at each listed minimum.** $f(x^*)$ must equal the literature's $f^*$ to the "
        "precision the literature states, widened by how much $f$ can change while the location "
        "moves within *its* stated precision (a location given to 4 decimals is only known to "
        "$\\pm 10^{-4}$).\n"
        f"- **Grid search.** A {grid_n} × {grid_n} grid over the whole search domain must find "
        "nothing lower than $f^*$ (minus the value's precision): the listed minimum is global, "
        "at least at the grid's resolution.\n"
        "- **Stationarity.** Where $f$ is differentiable, reverse-mode autodiff's gradient must "
        "vanish. At a location rounded to $\\delta$ it cannot be exactly zero: near $x^*$ the "
        "gradient is $\\nabla f(x) \\approx H\\,(x - x^*)$, so the check is "
        "$\\|\\nabla f\\| \\leq 1.5\\,\\|H\\|_F\\,\\delta\\sqrt{2}$ with the Hessian $H$ from "
        "autodiff as well (the Frobenius norm bounds the spectral norm). Bukin N.6 and "
        "Ackley have a kink at the minimum (no gradient); Eggholder's minimum sits on the "
        "domain's edge, where only $\\partial f/\\partial y$ vanishes and "
        "$\\partial f/\\partial x < 0$ points outwards."
    )

    # Quick mode draws four representative functions in detail; every function is verified.
    featured = {"rosenbrock", "himmelblau", "eggholder", "saddle"} if ch.quick else None
    if ch.quick:
        ch.text("*Quick mode: four functions are shown in detail; all are verified.*")
    for fn in functions:
        if featured is not None and fn.name not in featured:
            _verify(ch, fn, grid_n, grad, hessian)
            continue
        ch.heading(fn.title)
        ch.equation(f"f(x, y) = {fn.formula}")
        (x_lo, x_hi), (y_lo, y_hi) = fn.domain
        ch.text(
            f"Domain $[{x_lo:g}, {x_hi:g}] \\times [{y_lo:g}, {y_hi:g}]$. Global minima: "
            f"{_minima_text(fn)}. {fn.notes} *Source: {fn.source}.*"
        )
        fig = Figure(figsize=(10.5, 4.2), layout="constrained")
        plot_contour(fn, n=80 if ch.quick else 250, ax=fig.add_subplot(1, 2, 1))
        plot_surface(fn, n=40 if ch.quick else 110, ax=fig.add_subplot(1, 2, 2, projection="3d"))
        ch.figure(fig, f"{fn.title}: contours and surface.", dpi=80 if ch.quick else 110)
        _verify(ch, fn, grid_n, grad, hessian)


def _verify(ch, fn, grid_n, grad, hessian) -> None:
    for i, m in enumerate(fn.minima):
        label = f"{fn.title}: f at minimum {i + 1} {m.location}"
        at_listed = float(fn(*m.location))
        offsets = m.location_tol * np.array([[a, b] for a in (-1, 0, 1) for b in (-1, 0, 1)])
        wiggle = float(np.abs(fn(np.array(m.location) + offsets) - at_listed).max())
        ch.check(label, f"literature f* = {m.value:g}", abs(at_listed - m.value),
                 max(m.value_tol, 1e-12) + wiggle)
        if fn.smooth:
            p = np.array(m.location, dtype=float)
            H = hessian(fn)(p)
            frobenius = float(np.sqrt(np.sum(H * H)))  # an upper bound on ‖H‖₂
            bound = 1.5 * frobenius * m.location_tol * np.sqrt(2.0) + 1e-9
            ch.check(f"{fn.title}: ‖∇f‖ at minimum {i + 1}", "0 (autodiff, reverse mode)",
                     float(np.sqrt(np.sum(grad(fn)(p) ** 2))), bound)
    if fn.name == "eggholder":
        g = grad(fn)(np.array(fn.minima[0].location))
        ch.check("Eggholder: ∂f/∂y on the edge x = 512", "0", abs(float(g[1])), 1e-2,
                 f"∂f/∂x = {float(g[0]):.4g} < 0: f keeps falling past the edge")
    _, _, Z = fn.grid(grid_n, fn.domain)
    if fn.minima:
        tolerance = max(max(m.value_tol for m in fn.minima), 1e-12)
        ch.check_bound(f"{fn.title}: lowest value on a {grid_n}² grid", "literature f*",
                       float(Z.min()), at_least=fn.min_value - tolerance)
    else:
        p = np.array(fn.saddle_points[0])
        ch.check(f"{fn.title}: ‖∇f‖ at the saddle point", "0", float(np.abs(grad(fn)(p)).max()),
                 1e-12)
        saddle_value = float(fn(*p))
        i, j = (int(k) for k in np.unravel_index(np.argmin(Z), Z.shape))
        on_edge = i in (0, grid_n - 1) or j in (0, grid_n - 1)
        ch.check_bound(f"{fn.title}: lowest value on a {grid_n}² grid of the box",
                       "below the saddle value: no minimum inside", float(Z.min()),
                       at_most=saddle_value - 1.0)
        ch.check(f"{fn.title}: the box's lowest point lies on its edge", "unbounded below",
                 0.0 if on_edge else 1.0, 0.0)
