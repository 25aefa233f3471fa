"""The regularization chapter's section on the lasso's solvers: coordinate descent and FISTA as
they are taught (the library's textbook kernels, their source shown) beside the fast paths that
``Lasso`` runs, each checked against its kernel."""

from __future__ import annotations

import numpy as np


def lasso_solvers(ch) -> None:
    """The section on the lasso's two solvers: each textbook kernel's source, the fast path
    checked against it, and FISTA's float32 products."""
    from fromscratch.datasets import load_diabetes
    from fromscratch.linear_model import (
        Lasso,
        enet_coordinate_descent_textbook,
        enet_fista_textbook,
    )
    from fromscratch.linear_model._cd import coordinate_descent_sweep

    ch.heading("Coordinate descent and FISTA: the textbook beside the fast path")
    ch.text(
        "The library keeps each lasso solver as it is taught, a few dozen lines that follow "
        "the equations, beside the fast form that `Lasso` runs, and tests the fast form "
        "against it. Coordinate descent keeps the residual $r = y - Xw$ up to date, so the "
        "partial residual's correlation is $x_j^\\top r + \\|x_j\\|^2 w_j$; the objective "
        "times $n$ puts the threshold at $\\lambda_1 = n\\alpha$ (the elastic net's L2 term "
        "adds $\\lambda_2 = n\\alpha(1 - \\rho)$ to the denominator). The library's source, "
        "its docstring left out:"
    )
    ch.code(enet_coordinate_descent_textbook, "fromscratch.linear_model."
            "enet_coordinate_descent_textbook, as the library has it (inspect.getsource)")
    ch.code(coordinate_descent_sweep, "fromscratch.linear_model._cd.coordinate_descent_sweep, "
            "one sweep over the coordinates")
    diabetes = load_diabetes()
    X, y = diabetes.X, diabetes.y
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alpha, tol = 0.2, 1e-12
    w_cd, _, sweeps = enet_coordinate_descent_textbook(Xc, yc, alpha, tol=tol, max_iter=10_000)
    cd = Lasso(alpha=alpha, tol=tol, max_iter=10_000, solver="cd").fit(X, y)
    ch.text(
        "`Lasso(solver=\"cd\")` makes the same updates, faster: only on a *working set* of "
        "likely non-zero coordinates, and in *covariance form* — with the Gram matrix "
        "$X^\\top X$ computed once, a correlation costs $O(1)$ instead of $O(n)$. On the "
        f"diabetes data, α = {alpha:g}, both to a duality gap of $10^{{-12}}\\|y - \\bar y\\|^2$:"
    )
    ch.check_close(f"Lasso: working sets, Gram rows ({cd.n_iter_} epochs)",
                   f"textbook coordinate descent ({sweeps} sweeps)", cd.coef_, w_cd, rtol=1e-6)
    ch.text(
        "A second, independent algorithm moves every coordinate at once. *Proximal gradient*: "
        "a gradient step on the smooth part $f(w) = \\frac{1}{2}\\|y - Xw\\|^2$, then "
        "soft-thresholding of every coordinate at $\\lambda_1/L$, the exact minimizer of the "
        "L1 term plus a quadratic centred on the step (the *proximal operator* of "
        "$t|\\cdot|$). With the step $1/L$, $L = \\sigma_{\\max}(X)^2$ the largest curvature "
        "of $f$, no step overshoots. FISTA (Beck & Teboulle, 2009) adds Nesterov momentum:"
    )
    ch.equation(r"w_{k+1} = S\left(z_k - \frac{\nabla f(z_k)}{L},\ \frac{\lambda_1}{L}\right),"
                r"\quad t_{k+1} = \frac{1 + \sqrt{1 + 4t_k^2}}{2},\quad z_{k+1} = w_{k+1} + "
                r"\frac{t_k - 1}{t_{k+1}}(w_{k+1} - w_k)")
    ch.code(enet_fista_textbook, "fromscratch.linear_model.enet_fista_textbook (power "
            "iteration estimates L from below; backtracking grows it where a step overshoots)")
    w_fista, _, steps = enet_fista_textbook(Xc, yc, alpha, tol=tol, max_iter=50_000)
    fista = Lasso(alpha=alpha, tol=tol, max_iter=50_000, solver="fista").fit(X, y)
    ch.check_close(f"textbook FISTA ({steps} steps)", "textbook coordinate descent", w_fista,
                   w_cd, rtol=1e-6)
    ch.check_close(f"Lasso(solver=\"fista\") ({fista.n_iter_} steps)", "textbook FISTA",
                   fista.coef_, w_fista, rtol=1e-6)

    ch.text(
        "`Lasso(solver=\"fista\")` restarts the momentum whenever it points uphill, "
        "multiplies by X once and by Xᵀ once per step, and needs few steps on nearly "
        "uncorrelated features, however many are active; so the default `solver=\"auto\"` "
        "tries it first on large data and keeps it only while it converges fast.\n\n"
        "**Speed: half the precision, all of the accuracy.** Most of a FISTA step is two "
        "products with X. On large data they run in float32, which streams half the bytes, "
        "and the answer is still float64's: every ten steps the exact residual "
        "$R_a = y - Xa$ and $X^\\top R_a$ are computed in float64 at the current iterate "
        "$a$, and the steps in between only multiply *differences* $v - a$ by X. A float32 "
        "product is off by about $10^{-7}$ of $\\|X\\|\\,\\|v - a\\|$, an error that "
        "shrinks with the steps instead of stalling at $10^{-7}$ of the gradient "
        "(mixed-precision *iterative refinement*). Features drawn independently, "
        "4000 × 100, to a gap of $10^{-10}\\|y\\|^2$:"
    )
    rng = np.random.default_rng(2)
    X_big = rng.standard_normal((4000, 100))
    y_big = X_big[:, :10] @ rng.normal(0.0, 3.0, 10) + rng.standard_normal(4000)
    big_cd = Lasso(alpha=0.01, tol=1e-10, solver="cd").fit(X_big, y_big)
    big_fista = Lasso(alpha=0.01, tol=1e-10, solver="fista").fit(X_big, y_big)
    ch.check_close("FISTA with float32 products between float64 checkpoints "
                   f"({big_fista.n_iter_} steps)", "coordinate descent in float64",
                   big_fista.coef_, big_cd.coef_, rtol=1e-6)
