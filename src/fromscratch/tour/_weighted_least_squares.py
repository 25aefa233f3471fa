"""The linear-regression chapter's sections on weighted least squares (why √w scales the rows,
the efficiency that inverse-variance weights buy) and on non-negative least squares (the
active set of Lawson and Hanson, drawn step by step, against an enumeration of every active
set)."""

from __future__ import annotations

import itertools
import math

import numpy as np

EPS = float(np.finfo(np.float64).eps)


def _inverse(G: np.ndarray) -> np.ndarray:
    """The inverse of a symmetric positive definite matrix, by our own Cholesky."""
    from fromscratch.linalg import cho_solve, cholesky

    return cho_solve(cholesky(G), np.eye(len(G)))


def _heteroscedastic_line(rng: np.random.Generator, x: np.ndarray, sigma: np.ndarray):
    """y = 2x + 1 + σᵢεᵢ for fixed x: the noise grows along the line."""
    return 2.0 * x + 1.0 + sigma * rng.standard_normal(x.size)


def weighted_least_squares(ch) -> None:
    """Weighted least squares: the objective, the √w row scaling, a heteroscedastic line fitted
    with and without inverse-variance weights, and the spread of both estimates."""
    from fromscratch.linear_model import LinearRegression
    from fromscratch.linear_model._base import scale_rows
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.linear import plot_sampling_distributions, plot_weighted_fit

    ch.heading("Weighted least squares")
    ch.text(
        "Least squares treats every residual alike. Often they are not alike: a measurement "
        "from a better instrument, an average of many readings, or a sample standing for $k$ "
        "identical ones deserves more say. *Weighted* least squares gives sample $i$ a weight "
        "$s_i \\ge 0$:"
    )
    ch.equation(r"\min_{w, b}\ \sum_{i=1}^n s_i\,(y_i - x_i^\top w - b)^2")
    ch.text(
        "Which weights? When the noise of sample $i$ has variance $\\sigma_i^2$, the best "
        "linear unbiased estimator (Aitken's generalization of the Gauss–Markov theorem) "
        "measures each residual in its own standard deviations, $s_i = 1/\\sigma_i^2$. An "
        "integer weight $k$ is $k$ copies of the sample, a zero weight drops it. The "
        "derivative in $b$ puts the intercept at the **weighted** means, "
        "$b = \\bar y_s - \\bar x_s^\\top w$ with $\\bar x_s = \\sum_i s_i x_i / \\sum_i s_i$, "
        "and what remains is one line of algebra:"
    )
    ch.equation(r"\sum_i s_i \big(y_{c,i} - x_{c,i}^\top w\big)^2 "
                r"= \sum_i \big(\sqrt{s_i}\,y_{c,i} - \sqrt{s_i}\,x_{c,i}^\top w\big)^2 "
                r"= \big\|S^{1/2}y_c - S^{1/2}X_c w\big\|^2, \qquad S = \mathrm{diag}(s)")
    ch.text(
        "**Why $\\sqrt{s_i}$ scales the rows:** the weighted problem *is* the ordinary one on "
        "rows multiplied by $\\sqrt{s_i}$, whose squares bring back $s_i$. So every solver "
        "carries over unchanged: QR factors $S^{1/2}X_c$ (still never squaring the condition "
        "number), Cholesky solves $X_c^\\top S X_c\\, w = X_c^\\top S y_c$, and the gradient "
        "solvers minimize the weighted mean of the squared errors. A zero weight makes a row "
        "of zeros, which contributes nothing; a weight 2 scales a row by $\\sqrt 2$, which "
        "counts it twice. `LinearRegression().fit(X, y, sample_weight=s)` centers at the "
        "weighted means and scales the rows block by block, while each block is in the cache:"
    )
    ch.code(scale_rows, "fromscratch.linear_model._base.scale_rows (the scaled block then goes "
            "to the same QR or Cholesky as unweighted data).")

    rng = np.random.default_rng(7)
    n = 80
    x = np.sort(rng.uniform(0.0, 10.0, n))
    sigma = 0.3 + 0.35 * x
    s = 1.0 / sigma**2
    X = x[:, None]
    y = _heteroscedastic_line(rng, x, sigma)
    ols = LinearRegression().fit(X, y)
    wls = LinearRegression().fit(X, y, sample_weight=s)
    ch.text(
        f"A line $y = 2x + 1$ observed at {n} points with noise whose standard deviation "
        "grows along it, $\\sigma_i = 0.3 + 0.35 x_i$, fitted without weights and with "
        "$s_i = 1/\\sigma_i^2$. Both estimates are unbiased; the weighted one trusts the quiet "
        "left end, where each point says more. To see the difference in precision, the same "
        "$x$ and $\\sigma$ get fresh noise many times, and both slopes are refitted each time."
    )
    repeats = 200 if ch.quick else 500
    slopes = {"unweighted (OLS)": np.empty(repeats), "weighted, s = 1/σ² (WLS)":
              np.empty(repeats)}
    for r in range(repeats):
        y_r = _heteroscedastic_line(rng, x, sigma)
        slopes["unweighted (OLS)"][r] = LinearRegression(solver="cholesky").fit(X, y_r).coef_[0]
        slopes["weighted, s = 1/σ² (WLS)"][r] = LinearRegression(solver="cholesky").fit(
            X, y_r, sample_weight=s).coef_[0]
    fig, (left, right) = new_figure(2, width=12.5, height=4.4)
    plot_weighted_fit(X, y, s, {"unweighted (OLS)": ols, "weighted (WLS)": wls},
                      true_function=lambda grid: 2.0 * grid[:, 0] + 1.0, ax=left,
                      title="One data set")
    plot_sampling_distributions(slopes, truth=2.0, ax=right, xlabel="fitted slope",
                                title=f"The slope over {repeats} noise draws")
    ch.figure(fig, "Left: the heteroscedastic line, marker area ∝ weight $1/\\sigma_i^2$. "
              "Right: both slopes are centred on the truth, and the weighted one scatters "
              "less — the efficiency the right weights buy.")

    # The exact variances, conditional on x: Var(ŵ) = (X_cᵀSX_c)⁻¹ for WLS with s = 1/σ², and
    # the sandwich (X_cᵀX_c)⁻¹ X_cᵀ Σ X_c (X_cᵀX_c)⁻¹ for OLS, Σ = diag(σ²).
    xc_s = x - np.sum(s * x) / np.sum(s)
    xc = x - x.mean()
    var_wls = float(_inverse(np.array([[np.sum(s * xc_s**2)]]))[0, 0])
    var_ols = float(np.sum(xc**2 * sigma**2) / np.sum(xc**2) ** 2)
    sd = {label: float(values.std(ddof=1)) for label, values in slopes.items()}
    ch.table(["", "slope (one data set)", "sd over repeats", "exact sd", "ratio"],
             [["unweighted (OLS)", ols.coef_[0], sd["unweighted (OLS)"], math.sqrt(var_ols),
               sd["unweighted (OLS)"] / math.sqrt(var_ols)],
              ["weighted (WLS)", wls.coef_[0], sd["weighted, s = 1/σ² (WLS)"],
               math.sqrt(var_wls), sd["weighted, s = 1/σ² (WLS)"] / math.sqrt(var_wls)]],
             "Exact standard deviations given $x$: $\\sqrt{(X_c^\\top S X_c)^{-1}}$ for WLS, "
             "the sandwich $\\sqrt{(X_c^\\top X_c)^{-1}X_c^\\top\\Sigma X_c(X_c^\\top X_c)^{-1}}$ "
             "for OLS. A sample standard deviation of R draws is itself uncertain by about "
             "$1/\\sqrt{2R}$.")
    tolerance = 4 / math.sqrt(2 * repeats)  # four standard errors of a sample sd
    for label, exact in (("unweighted (OLS)", var_ols), ("weighted, s = 1/σ² (WLS)", var_wls)):
        ch.check_bound(f"{label}: sd of the slope over repeats / exact sd",
                       f"the exact variance given x, within 4 standard errors "
                       f"(±{tolerance:.2f})", sd[label] / math.sqrt(exact),
                       at_least=1 - tolerance, at_most=1 + tolerance)
    ch.check_bound("exact sd of the WLS slope / exact sd of the OLS slope",
                   "Aitken: inverse-variance weights give the smallest variance",
                   math.sqrt(var_wls / var_ols), at_most=1.0)

    X1 = np.column_stack([X, np.ones(n)])
    residual = y - wls.predict(X)
    ch.check_close("WLS: weighted residuals X̃ᵀS(y − ŷ)", "the normal equations of the "
                   "weighted problem (0)", X1.T @ (s * residual), np.zeros(2),
                   atol=n * EPS * float(np.abs(X1).max() * np.abs(s * y).max()))
    cholesky = LinearRegression(solver="cholesky").fit(X, y, sample_weight=s)
    ch.check_close("WLS by Cholesky on XᵀSX", "WLS by QR on √s-scaled rows",
                   np.r_[cholesky.coef_, cholesky.intercept_], np.r_[wls.coef_, wls.intercept_],
                   rtol=1e-10)
    counts = rng.integers(0, 4, n)
    weighted = LinearRegression().fit(X, y, sample_weight=counts)
    repeated = LinearRegression().fit(np.repeat(X, counts, axis=0), np.repeat(y, counts))
    ch.check_close("integer weights 0–3", "the rows repeated that many times (0: dropped)",
                   np.r_[weighted.coef_, weighted.intercept_],
                   np.r_[repeated.coef_, repeated.intercept_], rtol=1e-10)
    ch.text(
        "In the tests the weighted fits of every estimator (`LinearRegression`, `Ridge`, "
        "`Lasso`, `ElasticNet`, `LogisticRegression`, the MLPs) are compared with "
        "scikit-learn's number for number, and the invariances — a zero weight drops a row, "
        "an integer weight repeats it — are property tests."
    )


# -- non-negative least squares ------------------------------------------------------------------


def _spectra(n_points: int = 120, n_components: int = 8):
    """Gaussian absorption bands over a grid of wavelengths: the columns of the mixing
    matrix."""
    grid = np.linspace(0.0, 1.0, n_points)
    centres = np.linspace(0.08, 0.92, n_components)
    return np.exp(-0.5 * ((grid[:, None] - centres[None, :]) / 0.09) ** 2)


def _nnls_by_enumeration(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The NNLS answer by brute force: least squares on every subset of columns, the best
    feasible one. (The KKT conditions say the answer is the least-squares solution on its
    support, with positive entries there.)"""
    from fromscratch.linalg import lstsq

    best, best_residual = np.zeros(A.shape[1]), float(b @ b)
    for size in range(1, A.shape[1] + 1):
        for subset in itertools.combinations(range(A.shape[1]), size):
            columns = list(subset)
            z = lstsq(A[:, columns], b)
            if np.all(z > 0):
                residual = A[:, columns] @ z - b
                if residual @ residual < best_residual:
                    best_residual = float(residual @ residual)
                    best = np.zeros(A.shape[1])
                    best[columns] = z
    return best


def nonnegative_least_squares(ch) -> None:
    """Non-negative least squares: the KKT conditions, the active-set method drawn on two
    unknowns, and unmixing a spectrum, checked against all 2^p active sets."""
    from fromscratch.linalg import lawson_hanson, nnls
    from fromscratch.linear_model import LinearRegression
    from fromscratch.plot.linear import plot_active_set_path

    ch.heading("Non-negative least squares: the active set")
    ch.text(
        "Some coefficients cannot be negative: the amounts in a mixture, concentrations, "
        "prices of ingredients. Unconstrained least squares does not know that and will "
        "happily fit noise with a negative amount. Non-negative least squares (NNLS) adds the "
        "constraint, $\\min_x \\|Ax - b\\|^2$ subject to $x \\ge 0$. With the negative "
        "gradient $g = A^\\top(b - Ax)$, the answer is characterized by the "
        "Karush–Kuhn–Tucker conditions:"
    )
    ch.equation(r"x_j \ge 0, \qquad g_j \le 0, \qquad x_j\, g_j = 0 \quad \text{for every } j")
    ch.text(
        "On the **passive set** $P = \\{j: x_j > 0\\}$ the gradient vanishes — there $x$ is "
        "the plain least-squares solution in those columns; on the **active set** "
        "$Z = \\{j: x_j = 0\\}$ the constraint holds the variable at zero, and the gradient "
        "says that moving it up would not help. Lawson and Hanson's method (1974) guesses $P$ "
        "and repairs the guess:"
    )
    ch.text(
        "- start at $x = 0$, $P = \\emptyset$;\n"
        "- if no $j \\in Z$ has $g_j > 0$, stop: the KKT conditions hold;\n"
        "- move the steepest $t = \\mathrm{argmax}_{j \\in Z} g_j$ into $P$, solve least squares "
        "on the columns in $P$: $z = \\mathrm{argmin}\\, \\|A_P z - b\\|$;\n"
        "- if $z > 0$ on $P$, take it; otherwise walk from $x$ towards $z$ only until the "
        "first variable reaches 0, "
        "$\\alpha = \\min_{z_j \\le 0} x_j/(x_j - z_j)$, move the variables now at 0 back to "
        "$Z$ and solve again."
    )
    ch.text(
        "Every pass lowers the residual and no passive set repeats, so it ends. The library "
        "first factors $A = QR$ once ($\\|Ax - b\\|^2 = \\|Rx - Q^\\top b\\|^2 + "
        "\\mathrm{const}$) and runs the method on the small $R$; each subproblem is a QR of a "
        "few of its columns. The method as the library has it "
        "(`LinearRegression(positive=True)` and `nnls(A, b)` call it):"
    )
    ch.code(lawson_hanson, "fromscratch.linalg.lawson_hanson (its docstring left "
            "out).")

    rng = np.random.default_rng(0)
    t = rng.uniform(0.0, 1.0, 30)
    A2 = np.column_stack([t, t + 0.3 * rng.standard_normal(30)])
    b2 = A2 @ np.array([3.0, -1.0]) + 0.2 * rng.standard_normal(30)
    steps = []
    x2, _ = nnls(A2, b2, callback=lambda x, passive: steps.append((x, passive)))
    ch.figure(plot_active_set_path(A2, b2, steps),
              "Two unknowns, the unconstrained minimum outside the quadrant. Step 1: $x_2$, "
              "the steepest, enters and goes to its least-squares value. Step 2: $x_1$ enters; "
              "least squares on both would make $x_2$ negative, so the step stops on the axis "
              "and $x_2$ leaves. Step 3: least squares on $x_1$ alone — the KKT conditions "
              "hold, done.")
    ch.check("two unknowns: passive sets along the way",
             "{x₂} → {x₁} (partial step, x₂ leaves) → {x₁}",
             float(sum(1 for (_, p), want in zip(steps, ([False, True], [True, False],
                                                          [True, False]), strict=False)
                       if list(p) != want) + abs(len(steps) - 3)), 0.0)

    A = _spectra()
    amounts = np.zeros(A.shape[1])
    amounts[[1, 4, 5]] = [0.8, 1.5, 0.6]
    b = A @ amounts + 0.02 * rng.standard_normal(A.shape[0])
    free = LinearRegression(fit_intercept=False).fit(A, b)
    positive = LinearRegression(fit_intercept=False, positive=True).fit(A, b)
    ch.text(
        "A realistic use: a measured spectrum (120 wavelengths) is a mixture of 8 known, "
        "overlapping absorption bands, of which 3 are present; the amounts are what we want. "
        "Unconstrained least squares explains the noise with negative amounts of absent "
        "bands; NNLS cannot, and sets most absent bands exactly to zero (the two it keeps "
        "carry amounts at the noise level)."
    )
    ch.table(["band", "true amount", "least squares", "NNLS", "g = Aᵀ(b − Ax) at NNLS"],
             [[j + 1, amounts[j], free.coef_[j], positive.coef_[j], g_j]
              for j, g_j in enumerate(A.T @ (b - A @ positive.coef_))],
             "The NNLS gradient column: zero (to rounding) where the amount is positive, "
             "negative where the constraint holds it at 0 — the KKT conditions.")
    exhaustive = _nnls_by_enumeration(A, b)
    ch.check_close("LinearRegression(positive=True) amounts",
                   f"least squares on all {2 ** A.shape[1] - 1} column subsets, the best "
                   "feasible one", positive.coef_, exhaustive, rtol=1e-10)
    g = A.T @ (b - A @ positive.coef_)
    scale = float(np.abs(A).max() * np.abs(b).sum())
    on = positive.coef_ > 0
    ch.check_bound("NNLS: max |g_j| on the passive set / (|A|·|b|₁)",
                   "KKT: the gradient vanishes where x > 0", float(np.max(np.abs(g[on]))) / scale,
                   at_most=1e3 * EPS)
    ch.check_bound("NNLS: max g_j on the active set / (|A|·|b|₁)",
                   "KKT: g ≤ 0 where x = 0", float(np.max(g[~on], initial=-1.0)) / scale,
                   at_most=1e3 * EPS)
    ch.check_bound("unconstrained least squares: smallest amount", "negative: the reason for "
                   "the constraint", float(free.coef_.min()), at_most=0.0)
