"""The regularization chapter's section on choosing α by leave-one-out cross-validation:
Sherman–Morrison's shortcut, one eigendecomposition for every penalty (``RidgeCV``), and the
shortcut against brute-force refits."""

from __future__ import annotations

import numpy as np

from fromscratch.tour._ridge_sections import polynomial

LOO_HEADING = "Choosing α by leave-one-out: one factorization for every penalty"
LOO_FIGURE = ("Leave-one-out mean squared error of ridge on the degree-15 polynomial of the "
              "first section (its 20 training points), against α (band: ± one standard error "
              "over the 20 left-out samples). The curve is RidgeCV's closed form at 80 "
              "penalties, from one eigendecomposition; the open circles refit Ridge 20 times "
              "each, once without every sample. Left of the minimum the polynomial chases the "
              "noise and misses the left-out points by far; right of it the penalty flattens "
              "the fit.")
LOO_CHECK = "RidgeCV's leave-one-out errors (y_i − ŷ_i)/(1 − h_ii)"


def _brute_force_loo(design: np.ndarray, y: np.ndarray, alphas) -> np.ndarray:
    """Squared error on each sample of Ridge refitted without it: ``[sample, alpha]``."""
    from fromscratch.linear_model import Ridge

    n_samples = len(y)
    errors = np.empty((n_samples, len(alphas)))
    for i in range(n_samples):
        rest = np.arange(n_samples) != i
        for a, alpha in enumerate(alphas):
            fit = Ridge(alpha=alpha).fit(design[rest], y[rest])
            errors[i, a] = (y[i] - fit.predict(design[i : i + 1])[0]) ** 2
    return errors


def ridge_cv(ch) -> None:
    from matplotlib.figure import Figure

    from fromscratch.datasets import make_sine
    from fromscratch.linalg import eigh
    from fromscratch.linear_model import Ridge, RidgeCV
    from fromscratch.model_selection import train_test_split
    from fromscratch.plot.regularization import plot_alpha_cv

    ch.heading(LOO_HEADING)
    ch.text(
        "Which α? Cross-validation answers by the error on data the fit has not seen. Its "
        "extreme form, *leave-one-out*, fits $n$ models per penalty, each without one sample, "
        "and predicts that sample. For ridge the $n$ refits are unnecessary. With "
        "$A = X^\\top X + \\alpha I$ the fitted values are $\\hat y = Hy$, $H = XA^{-1}X^\\top$ "
        "(the *hat matrix*), and removing row $i$ changes $A$ by the rank-one term "
        "$x_i x_i^\\top$, whose inverse the Sherman–Morrison formula gives:"
    )
    ch.equation(r"(A - x_i x_i^\top)^{-1} = A^{-1} + \frac{A^{-1}x_i x_i^\top A^{-1}}"
                r"{1 - h_{ii}}, \qquad h_{ii} = x_i^\top A^{-1} x_i")
    ch.text(
        "Multiplying by $x_i^\\top$ on the left gives $x_i^\\top(A - x_ix_i^\\top)^{-1} = "
        "x_i^\\top A^{-1}/(1 - h_{ii})$. The fit without row $i$ is "
        "$\\hat w_{-i} = (A - x_ix_i^\\top)^{-1}(X^\\top y - x_i y_i)$, so its prediction for "
        "the row left out is $(\\hat y_i - h_{ii}y_i)/(1 - h_{ii})$, and the leave-one-out "
        "error is the ordinary residual inflated by the *leverage* $h_{ii}$:"
    )
    ch.equation(r"e_i = y_i - x_i^\top \hat w_{-i} = \frac{y_i - \hat y_i}{1 - h_{ii}}")
    ch.text(
        "**One factorization for every penalty.** Decompose $X^\\top X = V\\Lambda V^\\top$ "
        "once (`fromscratch.linalg.eigh`: Householder tridiagonalization, then divide and "
        "conquer). Then $A^{-1} = V(\\Lambda + \\alpha I)^{-1}V^\\top$ for every α, and with "
        "$B = XV$"
    )
    ch.equation(r"h_{ii}(\alpha) = \sum_j \frac{B_{ij}^2}{\lambda_j + \alpha}, \qquad "
                r"\hat y(\alpha) = B(\Lambda + \alpha I)^{-1}B^\top y")
    ch.text(
        "— $O(np)$ per penalty instead of $n$ refits of $O(np^2)$ each. With fewer samples "
        "than features `RidgeCV` decomposes the $n \\times n$ matrix $XX^\\top$ instead. The "
        "intercept, an unpenalized column of ones, adds $1/n$ to every leverage: centering "
        "makes the other columns orthogonal to it, so its hat matrix "
        "$\\mathbf 1\\mathbf 1^\\top/n$ adds to that of the centered problem. This is "
        "scikit-learn's `RidgeCV` with `cv=None` (it calls the method generalized "
        "cross-validation, but computes the exact leave-one-out error)."
    )
    sine = make_sine(40, noise=0.3, random_state=0)
    X, _, y, _ = train_test_split(sine.X, sine.y, test_size=0.5, random_state=0)
    design = polynomial(15)[:-1].fit_transform(X, y)  # the 15 standardized powers
    alphas = np.geomspace(1e-4, 1e2, 80)
    model = RidgeCV(alphas=alphas, store_cv_results=True).fit(design, y)
    dots = np.geomspace(1e-4, 1e2, 4 if ch.quick else 7)
    brute = _brute_force_loo(design, y, dots)
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.subplots()
    plot_alpha_cv(alphas, model.cv_results_.T, error_name="leave-one-out MSE",
                  title="RidgeCV: leave-one-out error against α", ax=ax)
    ax.plot(dots, brute.mean(axis=0), "o", mfc="none", mec="k", ms=8,
            label="brute force: 20 refits each")
    ax.set_yscale("log")
    ax.legend(frameon=False, fontsize=8)
    ch.figure(fig, LOO_FIGURE)

    ch.text(
        "Both routes solve with $X^\\top X + \\alpha I$ (or $XX^\\top + \\alpha I$), whose "
        "condition number $\\kappa = (\\lambda_{\\max} + \\alpha)/(\\lambda_{\\min} + \\alpha)$ "
        "squares that of the data: they can only agree to about $\\kappa\\varepsilon$. A "
        "leave-one-out error divides by $1 - h_{ii}$, so a rounding $\\delta$ in the leverage "
        "becomes $\\delta/(1 - h_{ii})$ relative in the error: with fewer samples than features "
        "and a small penalty every leverage is close to 1. The tolerance is "
        "$10\\kappa\\varepsilon \\max_i 1/(1 - h_{ii})$ at the smallest penalty of each "
        "comparison."
    )
    on_dots = RidgeCV(alphas=dots, store_cv_results=True).fit(design, y)
    ch.check_close(LOO_CHECK, f"brute force: Ridge refitted without each sample ({len(dots)} "
                   "penalties × 20 refits, 20 samples, 15 features)", on_dots.cv_results_,
                   brute, rtol=_loo_rounding_level(design, dots[0]))
    few, few_dots = slice(0, 10), dots[dots >= 1e-2]  # fewer samples than features: XXᵀ
    ch.check_close("the same with 10 samples and 15 features (XXᵀ decomposed)",
                   "brute force", RidgeCV(alphas=few_dots, store_cv_results=True)
                   .fit(design[few], y[few]).cv_results_,
                   _brute_force_loo(design[few], y[few], few_dots),
                   rtol=_loo_rounding_level(design[few], few_dots[0]))
    ch.check("RidgeCV.alpha_ on those penalties: |log10 α_ − log10 of the brute-force "
             "minimizer|", "0: the same penalty", abs(np.log10(on_dots.alpha_) - np.log10(
                 dots[int(np.argmin(brute.mean(axis=0)))])), 0.0)
    ch.check_close(f"RidgeCV.coef_ (α_ = {model.alpha_:.3g})", "Ridge(alpha=α_) fitted on "
                   "all the data", model.coef_, Ridge(alpha=model.alpha_).fit(
                       design, y).coef_, rtol=_rounding_level(design, model.alpha_))
    centered = design - design.mean(axis=0)
    gram = centered.T @ centered
    eigenvalues, V = eigh(gram)
    ch.check("the eigendecomposition behind it: max|XᵀXV − VΛ| / ‖XᵀX‖₂",
             "≤ 4nε: backward stable (fromscratch.linalg.eigh)",
             float(np.abs(gram @ V - V * eigenvalues).max()) / float(eigenvalues.max()),
             4 * gram.shape[0] * np.finfo(float).eps)


def _loo_rounding_level(X: np.ndarray, alpha: float) -> float:
    """10κε · max 1/(1 − h_ii): the rounding level of the leave-one-out errors, whose
    division by 1 − h_ii amplifies the leverages' rounding (h_ii with the intercept's 1/n)."""
    from fromscratch.linalg import eigh

    centered = X - X.mean(axis=0)
    eigenvalues, V = eigh(centered.T @ centered)
    B = centered @ V
    leverage = (B**2 / (np.maximum(eigenvalues, 0.0) + alpha)).sum(axis=1) + 1.0 / len(X)
    return _rounding_level(X, alpha) * float(np.max(1.0 / (1.0 - leverage)))


def _rounding_level(X: np.ndarray, alpha: float) -> float:
    """10κε for κ the condition number of XcᵀXc + αI (Xc: X centered)."""
    from fromscratch.linalg import eigh

    centered = X - X.mean(axis=0)
    eigenvalues = np.maximum(eigh(centered.T @ centered)[0], 0.0)
    return 10 * float(eigenvalues[-1] + alpha) / float(eigenvalues[0] + alpha) * float(
        np.finfo(float).eps)
