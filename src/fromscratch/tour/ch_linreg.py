"""Chapter: linear regression — the model, the best parameters by calculus, the gradient by
hand, gradient descent and its stochastic cousins, Newton's one step, QR against the normal
equations, Householder QR column by column, dependent columns and the minimum-norm solution,
every solver on the diabetes data against the exact answer, weighted least squares and
non-negative least squares (:mod:`._weighted_least_squares`).

The library never imports its references (the from-scratch rule covers the tour too), so the
checks here are independent routes to the same numbers: published coefficients (Efron et al.
2004, Table 1), closed forms, the optimality condition, automatic differentiation and finite
differences, the known truth of synthetic data. The comparisons with scikit-learn and
statsmodels, number for number, are in ``tests/linear_model``.

Where linear regression hides, the pictures of the calculus and of the iterative solvers, the
κ²ε term of least squares and Householder QR taken apart are sections of ``_linreg_where``,
``_linreg_sections`` and ``_linreg_qr``; ``TOPICS`` says where each curriculum topic is taught.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from fromscratch.tour import _linreg_qr as qr_sections
from fromscratch.tour import _linreg_sections as sections
from fromscratch.tour import _linreg_where as where
from fromscratch.tour._weighted_least_squares import (
    nonnegative_least_squares,
    weighted_least_squares,
)

TITLE = "Linear regression"

#: Where each curriculum topic B1–B8 is taught: section heading, figure caption, check name.
TOPICS = sections.TOPICS

#: Efron, Hastie, Johnstone & Tibshirani (2004), "Least angle regression", Annals of
#: Statistics 32(2), Table 1: the OLS coefficients of the diabetes data on the standardized
#: features (unit-norm columns) with the raw response, to two decimals.
EFRON_OLS = np.array([-10.01, -239.82, 519.85, 324.38, -792.18, 476.74, 101.04, 177.06,
                      751.27, 67.63])

EPS = float(np.finfo(np.float64).eps)


def _half_mse(model, X, y) -> float:
    r"""The objective :math:`f = \frac{1}{2n}\|y - \hat y\|^2` of a fitted model, through the
    library's metric (independent of the solvers' own ``loss_curve_``)."""
    from fromscratch.metrics import mean_squared_error

    return 0.5 * float(mean_squared_error(y, model.predict(X)))


def _with_ones(X: np.ndarray) -> np.ndarray:
    """The design ``[X, 1]``, whose last coefficient is the intercept b."""
    return np.column_stack([X, np.ones(len(X))])


def run(ch) -> None:
    from fromscratch.datasets import make_linear

    line = make_linear(50, coef=[2.0], intercept=1.0, noise=1.0, random_state=0)
    _the_model(ch, line)
    where.where_it_hides(ch)
    _calculus(ch)
    sections.loss_bowl(ch, line)
    _gradient_by_hand(ch)
    sections.gradient_field(ch, line)
    _gradient_descent(ch, line)
    _loss_surface(ch, line)
    _stochastic_and_newton(ch, line)
    sections.newton_steps(ch, line)
    _qr_versus_normal_equations(ch)
    qr_sections.residual_and_conditioning(ch)
    _householder_qr(ch)
    qr_sections.householder_pictures(ch)
    _dependent_columns(ch)
    _diabetes(ch)
    weighted_least_squares(ch)
    nonnegative_least_squares(ch)


# -- the model ---------------------------------------------------------------------------------


def _the_model(ch, line) -> None:
    from fromscratch.linear_model import LinearRegression
    from fromscratch.plot.linear import plot_fit

    ch.heading(sections.HEADING_B2)
    ch.text(
        "Linear regression predicts a number from features $x \\in \\mathbb{R}^p$ with a "
        "weighted sum plus an offset (the library's `LinearRegression`). For $n$ samples, "
        "stacked as the rows of $X \\in \\mathbb{R}^{n \\times p}$:"
    )
    ch.equation(r"\hat y = Xw + b, \qquad \hat y_i = \sum_{j=1}^p w_j x_{ij} + b")
    ch.text(
        "The weights $w$ say how much the prediction moves per unit of each feature, the "
        "intercept $b$ where it starts. Which $w$ and $b$? Those that make the *residuals* "
        "$r_i = y_i - \\hat y_i$ small — on average, in square. The *mean squared error* is "
        "the loss; we write it with a factor $\\frac{1}{2}$, which cancels the 2 of the derivative "
        "and changes nothing about where the minimum is:"
    )
    ch.equation(r"L(w, b) = \frac{1}{2n}\sum_{i=1}^n (y_i - x_i^\top w - b)^2 "
                r"= \frac{1}{2n}\|y - Xw - b\mathbf{1}\|^2")
    model = LinearRegression().fit(line.X, line.y)
    ch.figure(plot_fit(model, line.X, line.y, true_function=line.true_function),
              sections.FIGURE_B2)
    x, y = line.X[:, 0], line.y
    slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    ch.text(
        "With one feature the answer is a formula from school: the slope is the covariance "
        "of $x$ and $y$ over the variance of $x$, and the line passes through the means, "
        f"$w = \\mathrm{{cov}}(x, y)/\\mathrm{{var}}(x) = {slope:.4f}$, "
        f"$b = \\bar y - w\\bar x = {y.mean() - slope * x.mean():.4f}$ (truth: 2 and 1)."
    )
    ch.check_close(sections.CHECK_B2,
                   "closed form cov(x, y)/var(x), ȳ − w·x̄",
                   [model.coef_[0], model.intercept_], [slope, y.mean() - slope * x.mean()],
                   rtol=1e-12)


# -- the best parameters by calculus ----------------------------------------------------------


def _calculus(ch) -> None:
    from fromscratch.datasets import make_linear
    from fromscratch.linalg import HouseholderQR, solve_triangular
    from fromscratch.linear_model import LinearRegression

    ch.heading(sections.HEADING_B3)
    ch.text(
        "$L$ is a quadratic bowl in $(w, b)$, so its minimum is where every partial "
        "derivative vanishes. The derivative in $b$ first:"
    )
    ch.equation(r"\frac{\partial L}{\partial b} = -\frac{1}{n}\sum_i (y_i - x_i^\top w - b)"
                r" = 0 \quad\Rightarrow\quad b = \bar y - \bar x^\top w")
    ch.text(
        "The best line passes through the point of means. Put $b$ back: "
        "$y_i - x_i^\\top w - b = (y_i - \\bar y) - (x_i - \\bar x)^\\top w$, the same "
        "problem on *centered* data $X_c = X - \\mathbf{1}\\bar x^\\top$, $y_c = y - \\bar y$ "
        "with no intercept. Its gradient in $w$ is $-\\frac{1}{n}X_c^\\top(y_c - X_c w)$; "
        "setting it to zero gives the **normal equations** (the residual is *normal*, "
        "orthogonal, to every column of $X_c$):"
    )
    ch.equation(r"X_c^\top X_c\, \hat w = X_c^\top y_c \quad\Rightarrow\quad "
                r"\hat w = (X_c^\top X_c)^{-1} X_c^\top y_c, \qquad \hat b = \bar y - "
                r"\bar x^\top \hat w")
    ch.text(
        "The solution is unique when the columns of $X_c$ are linearly independent (then "
        "$X_c^\\top X_c$ is positive definite and $L$ strictly convex). This is exactly how the "
        "library fits the intercept: center, solve for $w$, recover $b$ from the means — so an "
        "intercept is never penalized by accident when a penalty is added later (chapter on "
        "regularization). How to *solve* the normal equations well is the subject of the QR "
        "section below."
    )
    ch.text(
        "Is the formula right? On data generated from a known model the estimates must land "
        "within a few *standard errors* of the truth. Under the model $y = Xw + b + "
        "\\varepsilon$ with noise variance $\\sigma^2$, $\\mathrm{Cov}(\\hat w) = "
        "\\sigma^2 (X_c^\\top X_c)^{-1}$; with $X_c = QR$ this is $\\sigma^2 R^{-1}R^{-\\top}$, "
        "so $\\mathrm{se}_j = s\\,\\|(R^{-1})_{j,:}\\|$ with $s^2 = \\|r\\|^2/(n - p - 1)$. "
        "Five features, 200 samples, noise $\\sigma = 0.5$ (`make_linear`):"
    )
    data = make_linear(200, coef=[1.5, -2.0, 0.0, 0.7, 3.0], intercept=-1.0, noise=0.5,
                       random_state=1)
    model = LinearRegression().fit(data.X, data.y)
    n, p = data.X.shape
    residuals = data.y - model.predict(data.X)
    s = math.sqrt(residuals @ residuals / (n - p - 1))
    R = HouseholderQR(data.X - data.X.mean(axis=0)).r
    R_inv = solve_triangular(R, np.eye(p))
    se = s * np.sqrt(np.sum(R_inv**2, axis=1))
    z = (model.coef_ - data.coef) / se
    ch.table(["", "true w", "estimate ŵ", "standard error", "(ŵ − w)/se"],
             [[f"w{j + 1}", data.coef[j], model.coef_[j], se[j], z[j]] for j in range(p)]
             + [["b", data.intercept, model.intercept_, "", ""]],
             f"Noise estimate s = {s:.4f} (true σ = 0.5). Each (ŵ − w)/se is a draw from "
             "(nearly) a standard normal, so values beyond ±4 would mean a wrong formula.")
    ch.check_bound("make_linear: max |ŵ − w| / se over the 5 coefficients",
                   "the known truth, within 4 standard errors", float(np.max(np.abs(z))),
                   at_most=4.0)
    ch.check_bound("make_linear: noise estimate s / σ", "the known noise level σ = 0.5",
                   s / data.noise, at_least=0.8, at_most=1.2)


# -- the gradient by hand -----------------------------------------------------------------------


def _gradient_by_hand(ch) -> None:
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import grad, hessian
    from fromscratch.datasets import make_linear
    from fromscratch.linear_model._iterative import least_squares_objective

    ch.heading(sections.HEADING_B4)
    ch.text(
        "Iterative solvers need the gradient at any point, not only where it vanishes. "
        "Differentiate one squared residual with the chain rule: "
        "$\\partial (y_i - \\hat y_i)^2/\\partial \\hat y_i = -2(y_i - \\hat y_i)$, "
        "$\\partial \\hat y_i / \\partial w_j = x_{ij}$, $\\partial \\hat y_i / \\partial b = 1$. "
        "With the $\\frac{1}{2n}$ in front:"
    )
    ch.equation(r"\frac{\partial L}{\partial w_j} = -\frac{1}{n}\sum_{i=1}^n "
                r"(y_i - \hat y_i)\, x_{ij}, \qquad \frac{\partial L}{\partial b} = "
                r"-\frac{1}{n}\sum_{i=1}^n (y_i - \hat y_i)")
    ch.equation(r"\nabla_w L = -\frac{1}{n} X^\top (y - \hat y), \qquad "
                r"\nabla^2 L = \frac{1}{n}\tilde X^\top \tilde X, \quad \tilde X = [X, \mathbf{1}]")
    ch.text(
        "Two details matter in code. The $\\frac{1}{n}$: without it the gradient grows with "
        "the number of samples, and a learning rate that works on 100 samples diverges on "
        "10,000 (a classic bug). And the intercept is just a weight on a constant feature 1, "
        "so $\\nabla L$ in $(w, b)$ is $-\\frac{1}{n}\\tilde X^\\top(y - \\hat y)$. "
        "The library's `least_squares_objective()` holds these hand-derived formulas; we check "
        "them at a random point $(w, b)$ against reverse-mode automatic differentiation of the "
        "loss (`fromscratch.autodiff.grad`, which knows nothing about least squares) and "
        "against central finite differences $[L(\\theta + h e_k) - L(\\theta - h e_k)]/2h$."
    )
    data = make_linear(100, coef=[1.0, -2.0, 0.5], intercept=3.0, noise=0.3, random_state=2)
    X1, y = _with_ones(data.X), data.y
    n = len(y)
    theta = np.random.default_rng(3).standard_normal(X1.shape[1:])
    objective = least_squares_objective()
    assert objective.hessian is not None  # least squares has its Hessian by hand
    by_hand = objective.gradient(theta, X1, y)

    def loss(t):
        return anp.sum((y - X1 @ t) ** 2) / (2 * n)

    automatic = grad(loss)(theta)
    h = 1e-6
    finite = np.array([(objective.loss(theta + h * e, X1, y) - objective.loss(theta - h * e,
                                                                               X1, y)) / (2 * h)
                       for e in np.eye(len(theta))])
    ch.table(["", "by hand", "autodiff", "finite differences"],
             [[name, by_hand[k], automatic[k], finite[k]]
              for k, name in enumerate(["∂L/∂w₁", "∂L/∂w₂", "∂L/∂w₃", "∂L/∂b"])],
             "The gradient at a random point, three ways (3 features, 100 samples).")
    ch.check_close("hand-derived gradient ∇L(w, b)", "reverse-mode autodiff "
                   "(fromscratch.autodiff.grad)", by_hand, automatic, rtol=1e-12)
    # Central differences: O(h²) truncation (zero here: L is quadratic) plus O(ε·L/h) rounding.
    ch.check_close("hand-derived gradient ∇L(w, b)", "central finite differences, h = 1e-6",
                   by_hand, finite, rtol=1e-6)
    ch.check_close("hand-derived Hessian X̃ᵀX̃/n", "autodiff Hessian (fromscratch.autodiff"
                   ".hessian)", objective.hessian(theta, X1, y),
                   np.asarray(hessian(loss)(theta)), rtol=1e-12)


# -- gradient descent ---------------------------------------------------------------------------


def _gradient_descent(ch, line) -> None:
    from fromscratch.exceptions import DivergenceError
    from fromscratch.linear_model import LinearRegression
    from fromscratch.plot.linear import plot_learning_rates

    ch.heading(sections.HEADING_B5)
    ch.text(
        "The gradient points uphill; step the other way, a little, and repeat — with the "
        "partial derivatives derived by hand above (`least_squares_objective().gradient`, "
        "which `LinearRegression(solver=\"gd\")` writes into the weights' `.grad` for a "
        "`fromscratch.optim.SGD` step):"
    )
    ch.equation(r"w_{k+1} = w_k - \eta\, \nabla_w L(w_k), \qquad "
                r"b_{k+1} = b_k - \eta\, \frac{\partial L}{\partial b}(w_k, b_k)")
    ch.text(
        "The *learning rate* $\\eta$ is the whole art. On a quadratic it can be analysed "
        "exactly. Take the one-feature data above (centered, as the library does, so only $w$ "
        "is left). Then $L(w) = L^* + \\frac{\\lambda}{2}(w - \\hat w)^2$ with curvature "
        "$\\lambda = \\frac{1}{n}\\sum_i (x_i - \\bar x)^2$, the gradient is "
        "$\\lambda (w - \\hat w)$ and one step gives"
    )
    ch.equation(r"w_{k+1} - \hat w = (1 - \eta\lambda)(w_k - \hat w) \quad\Rightarrow\quad "
                r"L(w_k) - L^* = (1 - \eta\lambda)^{2k}\,(L(w_0) - L^*)")
    ch.text(
        "So gradient descent converges if and only if $|1 - \\eta\\lambda| < 1$, i.e. "
        "$0 < \\eta < 2/\\lambda$; fastest at $\\eta = 1/\\lambda$ (one step!), with overshoot "
        "and oscillation between $1/\\lambda$ and $2/\\lambda$, and divergence beyond. With "
        "many features the same holds along each eigenvector of the Hessian "
        "$\\frac{1}{n}X_c^\\top X_c$: the *largest* eigenvalue caps $\\eta$, the *smallest* "
        "sets the speed — their ratio, the condition number, is roughly the number of steps "
        "each digit of accuracy costs."
    )
    x = line.X[:, 0]
    curvature = float(np.mean((x - x.mean()) ** 2))
    exact = LinearRegression().fit(line.X, line.y)
    optimum = _half_mse(exact, line.X, line.y)
    start = 0.5 * float(np.mean((line.y - line.y.mean()) ** 2))  # L at w = 0 (centered)
    results: dict[float, LinearRegression | DivergenceError] = {}
    for eta_lambda in (0.05, 0.5, 1.8, 4.0):
        eta = eta_lambda / curvature
        try:
            results[eta] = LinearRegression(solver="gd", learning_rate=eta, max_iter=60,
                                            tol=None).fit(line.X, line.y)
        except DivergenceError as exc:
            results[eta] = exc
    diverged = results[4.0 / curvature]
    ch.figure(plot_learning_rates(results, optimum, curvature=curvature), sections.FIGURE_B5)
    ch.text(
        "A diverging run is not allowed to return NaN coefficients: the training loop watches "
        "the loss and raises `DivergenceError` with a hint. The message for $\\eta\\lambda = "
        "4$:\n\n"
        f"`{diverged}`"
    )
    ch.check("DivergenceError raised for ηλ = 4", "the stability limit ηλ < 2",
             0.0 if isinstance(diverged, DivergenceError) else 1.0, 0.0)
    # The loss curve against the closed form, while the gap is well above rounding.
    for eta_lambda in (0.05, 1.8):
        converged = results[eta_lambda / curvature]
        assert isinstance(converged, LinearRegression)  # ηλ < 2: no DivergenceError
        curve = converged.loss_curve_
        k = np.arange(1, len(curve) + 1)
        predicted = optimum + (1 - eta_lambda) ** (2 * k) * (start - optimum)
        keep = predicted - optimum > 1e-8 * optimum
        ch.check_close(f"GD loss curve, ηλ = {eta_lambda}", "closed form L* + (1 − ηλ)^{2k}"
                       "·(L(w₀) − L*)", curve[keep], predicted[keep], rtol=1e-10)


def _loss_surface(ch, line) -> None:
    from fromscratch.linalg import lstsq
    from fromscratch.linear_model._iterative import gradient_descent, least_squares_objective
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.linear import plot_loss_surface

    ch.heading("Why the library centers: the loss surface")
    ch.text(
        "With two parameters the loss can be drawn. Its contours are ellipses around the "
        "minimum; their axes are the eigenvectors of the Hessian and their elongation is the "
        "condition number. Move the same data to the right ($x + 3$) and fit $(w, b)$ directly, "
        "without centering: changing $w$ now also moves the line at the data by $3\\Delta w$, "
        "so $w$ and $b$ are entangled and the bowl becomes a long, narrow valley. Gradient "
        "descent zig-zags across it — the rate that the steep direction allows is tiny for "
        "the flat one. *Momentum* remembers the previous steps, $v_{k+1} = \\mu v_k + \\nabla L"
        "$, $\\theta_{k+1} = \\theta_k - \\eta v_{k+1}$: the zig-zags cancel and the "
        "consistent downhill part accumulates. Centering ($x - \\bar x$) makes the bowl "
        "round, and plain gradient descent walks straight in."
    )
    x = line.X[:, 0] + 3.0
    y = line.y + 3.0 * 2.0  # the same line, moved: y = 2(x − 3) + 1 + 6 = 2x + 1
    objective = least_squares_objective()
    epochs = 40 if ch.quick else 80
    fig, (left, right) = new_figure(2, width=12.0, height=5.0)
    for ax, design, title in (
        (left, np.column_stack([x, np.ones_like(x)]), "Uncentered x (mean 3)"),
        (right, np.column_stack([x - x.mean(), np.ones_like(x)]), "Centered x − x̄"),
    ):
        # The largest eigenvalue of the 2×2 Hessian [[a, c], [c, d]] = X̃ᵀX̃/n sets the rates.
        (a, c), (_, d) = design.T @ design / len(y)
        lambda_max = (a + d) / 2 + math.sqrt(((a - d) / 2) ** 2 + c**2)
        # Both panels start at the same offset from their minimum and show the same window.
        theta_hat = lstsq(design, y)
        start = theta_hat + np.array([-2.0, -3.5])
        window = [(theta_hat[0] - 3.0, theta_hat[0] + 3.0),
                  (theta_hat[1] - 4.5, theta_hat[1] + 2.5)]
        paths = {}
        for label, params in (
            ("gradient descent, ηλ_max = 1.5", dict(learning_rate=1.5 / lambda_max)),
            ("GD + Nesterov momentum 0.8", dict(learning_rate=0.5 / lambda_max,
                                                optimizer_params={"momentum": 0.8,
                                                                  "nesterov": True})),
            ("SGD, one point per epoch", dict(batch_size=1, learning_rate=0.05 / lambda_max,
                                              random_state=0)),
        ):
            iterates = [start]

            def record(w, out=iterates) -> bool:
                out.append(w.copy())
                return False  # never stop early

            gradient_descent(objective, start, design, y, max_iter=epochs, tol=None,
                             callback=record, **params)
            paths[label] = np.array(iterates)
        plot_loss_surface(design, y, paths, parameter_names=("w", "b"), ax=ax, window=window,
                          title=f"{title}: {epochs} epochs")
    ch.figure(fig, "Contours of the loss in $(w, b)$ (log-spaced in $L - L^*$) with the "
              "first epochs of three solvers, started at the same offset from the minimum. "
              "Left: uncentered data, a narrow diagonal valley. Right: centered data, a "
              "round bowl.")


# -- SGD, mini-batches, momentum and Newton -----------------------------------------------------


def _stochastic_and_newton(ch, line) -> None:
    ch.heading(sections.HEADING_B6)
    ch.text(
        "The full gradient costs a pass over all $n$ samples. *Stochastic gradient descent* "
        "(SGD) estimates it from one random sample, *mini-batch* SGD from a random batch "
        "$B$ of a few dozen, and steps after each:"
    )
    ch.equation(r"\theta \leftarrow \theta + \frac{\eta}{|B|}\sum_{i \in B} "
                r"(y_i - \hat y_i)\, \tilde x_i, \qquad "
                r"E_B\left[\nabla L_B\right] = \nabla L")
    ch.text(
        "One *epoch* shuffles the samples and visits each once: $n/|B|$ updates for the "
        "price of one full gradient. Early on this is a bargain — hundreds of rough steps "
        "beat one careful step. Near the minimum the estimate's noise takes over: with a "
        "constant $\\eta$ the iterates hover in a ball around $\\hat\\theta$ whose size "
        "grows with $\\eta$ and shrinks with $|B|$, and the loss curve turns noisy and flat. "
        "The library stops a stochastic run when the loss has not improved by `tol` for 5 "
        "epochs (full-batch gradient descent, which sees the exact gradient, stops when its "
        "largest entry is at most `tol`). Momentum and Nesterov's look-ahead variant (the "
        "gradient evaluated at $\\theta - \\eta\\mu v$) come from `fromscratch.optim.SGD` "
        "and are switched on through `optimizer_params={\"momentum\": 0.9, \"nesterov\": "
        "True}`; any other optimizer of `fromscratch.optim` (Adam, RMSprop...) plugs in by "
        "name."
    )
    sections.stochastic_runs(ch, line)
    ch.heading(sections.HEADING_B7)
    ch.text(
        "Newton's method uses the curvature too: it minimizes the local quadratic model "
        "$L(\\theta + d) \\approx L(\\theta) + \\nabla L^\\top d + \\frac{1}{2} d^\\top "
        "\\nabla^2 L\\, d$, i.e. solves $\\nabla^2 L\\, d = -\\nabla L$ and steps to "
        "$\\theta + d$. For least squares $L$ *is* a quadratic, so the model is exact and "
        "the first step lands on the minimum from anywhere: from $\\theta = 0$, "
        "$d = (\\tilde X^\\top \\tilde X)^{-1}\\tilde X^\\top y$ — the normal equations again. "
        "Newton's method for least squares is solving the normal equations; its power shows "
        "on losses that are not quadratic (logistic regression, where it becomes IRLS)."
    )


# -- QR versus the normal equations --------------------------------------------------------------


def _qr_versus_normal_equations(ch) -> None:
    from fromscratch.linalg import IllConditionedWarning
    from fromscratch.linear_model import LinearRegression
    from fromscratch.plot.linear import plot_error_vs_condition

    ch.heading(sections.HEADING_B8)
    ch.text(
        "Solving $X_c^\\top X_c w = X_c^\\top y_c$ by Cholesky ($X_c^\\top X_c = LL^\\top$) is "
        "fast: one matrix product and a small solve. But it squares the condition number, "
        "$\\kappa(X_c^\\top X_c) = \\kappa(X_c)^2$, and a linear solve loses about "
        "$\\log_{10}\\kappa$ of its ~16 significant digits. Statistical software never forms "
        "$X^\\top X$: R's `lm` and LAPACK's `gels` factor $X_c = QR$ with orthonormal $Q$ "
        "(Householder reflections) and upper-triangular $R$ (statsmodels uses the SVD, "
        "another orthogonal factorization). Orthogonal matrices do not change lengths, so"
    )
    ch.equation(r"\|y_c - X_c w\|^2 = \|Q^\top y_c - R w\|^2 + \mathrm{const} "
                r"\quad\Rightarrow\quad R\hat w = Q^\top y_c")
    ch.text(
        "solved by back substitution. $R$ has the condition number of $X_c$ itself, so QR "
        "never squares $\\kappa$: **when the residual is small**, it loses about "
        "$\\log_{10}\\kappa$ digits where the normal equations lose $2\\log_{10}\\kappa$ "
        "(with a large residual both lose about $2\\log_{10}\\kappa$: see below). A design "
        "where it matters: polynomial features $x, x^2, \\ldots, x^d$ on 200 points in "
        "$[0, 1]$, true weights all 1, and no noise — a zero residual — so the exact answer "
        "is known. Both solvers of `LinearRegression`:"
    )
    x = np.linspace(0.0, 1.0, 200)
    degrees = list(range(1, 13))
    qr_label, chol_label = "QR (solver='qr')", "normal equations (solver='cholesky')"
    kappa, rows = [], []
    errors: dict[str, list[float]] = {qr_label: [], chol_label: []}
    messages: dict[str, tuple[int, Warning | str]] = {}
    for d in degrees:
        X = x[:, None] ** np.arange(1, d + 1)
        y = X @ np.ones(d) + 1.0
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", IllConditionedWarning)
            qr = LinearRegression(solver="qr").fit(X, y)
            n_qr_warnings = len(caught)
            chol = LinearRegression(solver="cholesky").fit(X, y)
        chol_warnings = [w.message for w in caught[n_qr_warnings:]]
        if chol.solver_ == "cholesky":
            chol_error, chol_kappa = float(np.max(np.abs(chol.coef_ - 1.0))), \
                chol.condition_number_
            if chol_warnings:
                messages.setdefault("warning", (d, chol_warnings[-1]))
        else:  # XᵀX singular to working precision: the normal equations gave up, QR answered
            chol_error, chol_kappa = math.nan, math.inf
            messages.setdefault("fallback", (d, chol_warnings[-1]))
        kappa.append(qr.condition_number_)
        qr_error = float(np.max(np.abs(qr.coef_ - 1.0)))
        errors[qr_label].append(qr_error)
        errors[chol_label].append(chol_error)
        if d % 2 == 0:
            rows.append([d, qr.condition_number_, chol_kappa, qr_error,
                         "gave up" if math.isnan(chol_error) else chol_error,
                         _digits(qr_error),
                         "—" if math.isnan(chol_error) else _digits(chol_error)])
        if d == 10:
            check_degree = (qr.condition_number_, qr_error, chol_kappa, chol_error)
    ch.table(["degree d", "κ̂(X_c)", "κ̂(X_cᵀX_c)", "QR: max |ŵ − w|", "Cholesky: max |ŵ − w|",
              "QR: correct digits", "Cholesky: correct digits"], rows,
             "Condition numbers are the library's 1-norm estimates (Hager–Higham) from the "
             "factorization each solver made; errors against the known weights 1.")
    ch.figure(plot_error_vs_condition(kappa, errors),
              "The coefficient error of each solver against κ(X), with a zero residual: QR "
              "follows κε, the normal equations κ²ε, until they give up on a Gram matrix that "
              "is singular to working precision (crosses; `solver='cholesky'` then answers by "
              "QR). Polynomial degrees 1 to 12.")
    degree, warning = messages["warning"]
    degree_fallback, fallback = messages["fallback"]
    ch.text(
        "The library says so instead of returning digits of noise. At degree "
        f"{degree} the normal equations warn:\n\n`IllConditionedWarning: {warning}`\n\n"
        f"and at degree {degree_fallback} they give up, and `solver='cholesky'` answers by "
        "QR instead (its `solver_` attribute says `'qr'`), which still delivers "
        f"{_digits(errors[qr_label][degree_fallback - 1]):.0f} correct digits:\n\n"
        f"`IllConditionedWarning: {fallback}`"
    )
    qr_kappa, qr_error, chol_kappa, chol_error = check_degree
    # First-order bounds for a consistent system: QR's error ≈ κ·ε, the normal equations'
    # ≈ κ²·ε = κ(XᵀX)·ε (times a modest constant from the dimensions).
    ch.check_bound("QR error at degree 10 / (κ̂(X)·ε)", "backward stability of Householder QR,"
                   " zero residual: error ≲ κε", qr_error / (qr_kappa * EPS), at_most=10.0)
    ch.check_bound("Cholesky error at degree 10 / (κ̂(XᵀX)·ε)", "normal equations: error ≲ "
                   "κ²ε", chol_error / (chol_kappa * EPS), at_most=10.0)
    ch.check_bound("correct digits at degree 10: QR minus Cholesky", "κ(XᵀX) = κ(X)²: QR keeps"
                   " about log₁₀κ more digits (zero residual)",
                   _digits(qr_error) - _digits(chol_error), at_least=4.0)


def _digits(error: float) -> float:
    """Correct significant digits of an answer of size 1 with this absolute error."""
    return min(16.0, -math.log10(max(error, EPS)))


# -- Householder QR, column by column ---------------------------------------------------------


def _householder_qr(ch) -> None:
    from fromscratch.linalg import (
        HouseholderQR,
        cond_triangular,
        householder_reflector,
        qr_textbook,
    )

    ch.heading("Householder QR, column by column")
    ch.text(
        "How are $Q$ and $R$ made? One reflection per column. With $x$ the column's part on "
        "and below the diagonal,"
    )
    ch.equation(r"\beta = -\mathrm{sign}(x_1)\,\|x\|, \quad v = x - \beta e_1, \quad "
                r"\tau = \frac{2}{v^\top v}, \quad H = I - \tau vv^\top")
    ch.text(
        "is the reflection with $Hx = \\beta e_1$: the entries below the diagonal become zero. "
        "It is applied to the columns to its right, $A \\leftarrow A - \\tau v(v^\\top A)$, "
        "and after $p$ reflections what is left is $R$. The sign of $\\beta$ is opposite to "
        "$x_1$'s (`x[0]` in the code), so that $v_1 = x_1 - \\beta$ adds two numbers of one "
        "sign: with the other sign, a column already close to the axis cancels to noise. The "
        "library's reference form, `fromscratch.linalg.qr_textbook`:"
    )
    ch.code(qr_textbook,
            "`fromscratch.linalg.qr_textbook` — the algorithm as taught (Trefethen & Bau, "
            "Algorithm 10.1).")
    ch.code(householder_reflector,
            "`fromscratch.linalg.householder_reflector`, the reflection of one column.")
    ch.text(
        "`LinearRegression` uses `HouseholderQR`, the same reflections organized for speed "
        "(the way LAPACK is): a panel of columns is reduced one reflection at a time, the "
        "panel's reflections are accumulated as $I - VTV^\\top$, and the rest of the matrix "
        "is updated with three matrix products, which run at the speed of the machine's BLAS. "
        "The two must agree: $R$ is unique up to the signs of its rows, and both are backward "
        "stable, so they differ by at most about $\\kappa(X)\\,n\\varepsilon$ relative to "
        "$X$. The tests check this on random matrices of every shape, and the sign choice on "
        "nearly triangular matrices; the chapter's checks below include it on the centered "
        "degree-4 polynomial design."
    )
    x = np.linspace(0.0, 1.0, 200)
    X = x[:, None] ** np.arange(1, 5)
    X = X - X.mean(axis=0)
    fast = HouseholderQR(X)
    R_book = qr_textbook(X)[1]
    signs = np.sign(np.diagonal(fast.r)) * np.sign(np.diagonal(R_book))
    kappa = cond_triangular(fast.r)
    ch.check_close("HouseholderQR R vs qr_textbook R (rows' signs aligned), degree-4 design",
                   "the textbook form, to 2·κ̂(X)·n·ε", fast.r * signs[:, None], R_book,
                   rtol=2 * kappa * len(x) * EPS)


# -- dependent columns ---------------------------------------------------------------------------


def _dependent_columns(ch) -> None:
    from fromscratch.datasets import make_linear
    from fromscratch.linalg import RankDeficientWarning
    from fromscratch.linear_model import LinearRegression

    ch.heading("Dependent columns: the minimum-norm solution")
    ch.text(
        "When a column is a linear combination of others — a duplicated column, a full set "
        "of one-hot dummy columns beside the intercept, more features than samples — $R$ has a "
        "zero on its diagonal, and infinitely many $w$ fit equally well: any null-space "
        "direction $Xz = 0$ can be added. `LinearRegression` then returns the solution of "
        "**minimum norm** $\\|w\\|$, scikit-learn's answer (R's `lm` drops the aliased "
        "columns instead, with the same predictions). Householder QR with *column pivoting* "
        "takes the column farthest from the span of those already chosen at each step, so "
        "$|R_{11}| \\geq |R_{22}| \\geq \\cdots$ and the numerical rank $r$ is the number of "
        "$|R_{jj}| > \\max(n, p)\\,\\varepsilon\\,|R_{11}|$; a second QR of the first $r$ rows "
        "of $R$, $[R_{11}\\ R_{12}]^\\top = ZS$, completes the *complete orthogonal "
        "decomposition* $X\\Pi = Q\\,\\mathrm{diag}(S^\\top, 0)\\,Z^\\top$, and"
    )
    ch.equation(r"\hat w = \Pi\, Z\, S^{-\top} (Q^\top y)_{1:r}")
    ch.text(
        "has no component in the null space, which only adds to $\\|w\\|$. Three features "
        "from `make_linear`, and a fourth that copies the second:"
    )
    data = make_linear(100, coef=[2.0, -1.0, 0.5], intercept=1.0, noise=0.3, random_state=4)
    X = np.column_stack([data.X, data.X[:, 1]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RankDeficientWarning)
        model = LinearRegression().fit(X, data.y)
    message = str(caught[0].message) if caught else "(no warning)"
    ch.text(f"`RankDeficientWarning: {message}`")
    # With two equal columns only the sum of their coefficients is determined; the smallest
    # w₂² + w₄² with w₂ + w₄ = c is w₂ = w₄ = c/2 — the fit without the copy, split in halves.
    reduced = LinearRegression().fit(data.X, data.y)
    expected = np.r_[reduced.coef_, reduced.coef_[1] / 2]
    expected[1] /= 2
    ch.table(["", "w1", "w2", "w3", "w4 (copy of x2)", "b"],
             [["without the copy", *reduced.coef_, "—", reduced.intercept_],
              ["with the copy (minimum norm)", *model.coef_, model.intercept_]],
             f"rank_ = {model.rank_} of {X.shape[1]} columns; solver_ = '{model.solver_}'.")
    ch.text(
        "Only $w_2 + w_4$ is determined by the data; the smallest $w_2^2 + w_4^2$ with that "
        "sum splits it equally. The tests compare with scikit-learn on duplicated and "
        "collinear columns, dummy columns beside the intercept and more features than "
        "samples, with and without an intercept."
    )
    ch.check("rank_ with a duplicated column", "p − 1 = 3 (one column is a copy)",
             abs(model.rank_ - 3), 0)
    ch.check("RankDeficientWarning names the copy", "'Column 3 is a linear combination' "
             "(0 when named)", 0.0 if "Column 3 is a linear combination" in message else 1.0, 0)
    ch.check_close("minimum-norm coefficients with a duplicated column", "the fit without the "
                   "copy, the copied coefficient split in halves (scikit-learn's answer)",
                   model.coef_, expected, rtol=1e-12)
    ch.check_close("predictions with a duplicated column", "the fit without the copy",
                   model.predict(X), reduced.predict(data.X), rtol=1e-12)


# -- every solver on the diabetes data -----------------------------------------------------------


def _diabetes(ch) -> None:
    from fromscratch.datasets import load_diabetes
    from fromscratch.linalg import cho_solve, cholesky
    from fromscratch.linear_model import LinearRegression
    from fromscratch.linear_model._iterative import least_squares_objective
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.linear import plot_coefficients, plot_loss_curves
    from fromscratch.preprocessing import StandardScaler

    ch.heading("Every solver on the diabetes data")
    lars = load_diabetes(scaled=True)
    exact = LinearRegression(solver="qr").fit(lars.X, lars.y)
    ch.text(
        "The diabetes data of Efron, Hastie, Johnstone & Tibshirani (2004): disease "
        "progression one year after baseline for 442 patients, from age, sex, body-mass "
        "index, blood pressure and six blood serum measurements. With the features "
        "standardized as in the paper (centered, unit Euclidean norm) and the raw response, "
        "their Table 1 lists the least-squares coefficients; ours, by QR:"
    )
    ch.table(["", *lars.feature_names],
             [["Efron et al. (2004), Table 1", *(f"{v:.2f}" for v in EFRON_OLS)],
              ["LinearRegression(solver='qr')", *(f"{v:.2f}" for v in exact.coef_)]],
             f"Intercept b̂ = ȳ = {exact.intercept_:.4f} (centered features).")
    ch.check_close("diabetes OLS coefficients (QR)", "Efron et al. (2004), Table 1, to its two "
                   "decimals", exact.coef_, EFRON_OLS, atol=0.005 + 1e-9, rtol=0.0)
    normal_eq = LinearRegression(solver="cholesky").fit(lars.X, lars.y)
    ch.check_close("diabetes OLS: Cholesky (normal equations)", "QR", normal_eq.coef_,
                   exact.coef_, rtol=1e-10)
    objective = least_squares_objective()
    X1 = _with_ones(lars.X)
    theta_hat = np.r_[exact.coef_, exact.intercept_]
    ch.check_bound("max |∇L| at the QR solution / max |∇L| at θ = 0", "optimality: the "
                   "gradient vanishes at the minimum",
                   np.max(np.abs(objective.gradient(theta_hat, X1, lars.y)))
                   / np.max(np.abs(objective.gradient(np.zeros_like(theta_hat), X1, lars.y))),
                   at_most=1e-12)

    # The iterative solvers on z-scores: unit-norm columns would make the Hessian XᵀX/n tiny
    # (eigenvalues ~1/n) and the learning rates huge; z-scores give it the correlation matrix.
    raw = load_diabetes(scaled=False)
    Z, y = StandardScaler().fit_transform(raw.X), raw.y
    n = len(y)
    reference = LinearRegression(solver="qr").fit(Z, y)
    optimum = _half_mse(reference, Z, y)
    # Two norms bound what the learning rate and the coefficient error can be:
    # λ_max ≤ ‖H‖₁ and 1/λ_min = ‖H⁻¹‖₂ ≤ ‖H⁻¹‖₁ (for a symmetric matrix).
    Zc = Z - Z.mean(axis=0)
    H = Zc.T @ Zc / n
    H_norm = float(np.max(np.sum(np.abs(H), axis=0)))
    H_inv_norm = float(np.max(np.sum(np.abs(cho_solve(cholesky(H), np.eye(H.shape[0]))),
                                     axis=0)))
    eta = 0.38
    ch.text(
        "For the iterative solvers we standardize to *z-scores* (unit variance, "
        "`StandardScaler`) instead, so that the Hessian $H = \\frac{1}{n} Z^\\top Z$ is the "
        "correlation matrix and learning rates are of order 1. Since $z = \\sqrt{n}\\,\\tilde "
        "x$, the coefficients are Table 1's divided by $\\sqrt{n}$ — a scaling check on its "
        "own. Two matrix norms tell what to expect. Every eigenvalue is at most the largest "
        f"absolute column sum, $\\lambda_{{max}} \\leq \\|H\\|_1 = {H_norm:.2f}$, so "
        f"$\\eta = {eta} < 2/\\|H\\|_1$ is guaranteed stable; and $1/\\lambda_{{min}} \\leq "
        f"\\|H^{{-1}}\\|_1 = {H_inv_norm:.0f}$ — the serum measurements are strongly "
        "correlated (s1 and s2: 0.90), so some direction is nearly flat. The ratio, the "
        f"condition number $\\kappa_1(H) = {H_norm * H_inv_norm:.0f}$, is roughly the number "
        "of gradient steps per digit of accuracy."
    )
    ch.check_close("diabetes QR coefficients on z-scores × √n", "Efron et al. (2004), Table 1",
                   reference.coef_ * math.sqrt(n), EFRON_OLS, atol=0.005 + 1e-9, rtol=0.0)
    epochs = 25 if ch.quick else 100
    solvers: dict[str, dict[str, Any]] = {
        "QR": dict(solver="qr"),
        "Cholesky": dict(solver="cholesky"),
        "Newton": dict(solver="newton"),
        "gradient descent": dict(solver="gd", learning_rate=eta, max_iter=10000, tol=1e-12),
        "GD + Nesterov momentum": dict(solver="gd", learning_rate=0.2, max_iter=10000,
                                       tol=1e-12, optimizer_params={"momentum": 0.9,
                                                                    "nesterov": True}),
        "SGD": dict(solver="sgd", learning_rate=0.002, max_iter=epochs, tol=1e-6),
        "mini-batch (32)": dict(solver="minibatch", learning_rate=0.05, max_iter=4 * epochs,
                                tol=1e-6),
        "mini-batch + momentum": dict(solver="minibatch", learning_rate=0.01,
                                      max_iter=4 * epochs, tol=1e-6,
                                      optimizer_params={"momentum": 0.9}),
    }
    fitted = {label: LinearRegression(random_state=0, **params).fit(Z, y)
              for label, params in solvers.items()}
    rows = []
    for label, model in fitted.items():
        gap = _half_mse(model, Z, y) - optimum
        delta = model.coef_ - reference.coef_
        rows.append([label, model.n_iter_, f"{_half_mse(model, Z, y):.6f}", gap / optimum,
                     float(np.max(np.abs(delta)))])
        # For a quadratic, L(w) − L* = ½ (w − ŵ)ᵀ H (w − ŵ) exactly: the loss gap and the
        # coefficient error are one quantity seen two ways.
        # Rounding: L is a mean of n squares of size ~L*, computed to about n·ε·L*.
        ch.check(f"{label}: L(w) − L*", "½ (w − ŵ)ᵀH(w − ŵ) (exact for a quadratic)",
                 abs(gap - 0.5 * delta @ H @ delta), n * EPS * optimum)
        # Strong convexity turns the loss gap into a bound on the coefficient error (the gap
        # itself is known only to within its rounding, n·ε·L*).
        bound = math.sqrt(2 * max(gap, n * EPS * optimum) * H_inv_norm)
        ch.check_bound(f"{label}: ‖w − ŵ‖₂ / √(2(L − L*)‖H⁻¹‖₁)", "strong convexity: "
                       "‖Δ‖² ≤ 2(L − L*)/λ_min", float(np.sqrt(delta @ delta)) / bound,
                       at_most=1.0)
    ch.table(["solver", "iterations / epochs", "final loss L = MSE/2", "relative gap "
              "(L − L*)/L*", "max |w − w_QR|"], rows,
             "z-scored diabetes features; L* from QR. The exact solvers and Newton take one "
             "solve; GD and Nesterov run until max |∂L/∂w_j| ≤ tol = 1e-12; the "
             "stochastic ones stop when the noise keeps the loss from improving by 1e-6 for "
             "5 epochs.")
    ch.text(
        "Gradient descent and its Nesterov variant reach the QR answer to many digits — "
        f"Nesterov in {fitted['GD + Nesterov momentum'].n_iter_} epochs instead of "
        f"{fitted['gradient descent'].n_iter_}: the velocity it accumulates carries it "
        "along the flat valley (with ideally tuned $\\eta$ and $\\mu$ it needs about "
        "$\\sqrt{\\kappa}$ rather than $\\kappa$ steps per digit). The stochastic solvers get "
        "the *loss* within about a percent, yet their coefficients differ by tens of units: "
        "in a quadratic the loss gap is $\\frac{1}{2}\\Delta^\\top H \\Delta$, and along the "
        "eigenvector of the smallest eigenvalue (a contrast of the correlated serum "
        "measurements) a large $\\Delta$ costs almost nothing. The data barely determine that "
        "direction — which is also why its coefficients have large standard errors, and why "
        "the next chapter's penalties shrink it."
    )
    for label in ("Newton", "Cholesky"):
        ch.check_close(f"diabetes: {label} coefficients", "QR", fitted[label].coef_,
                       reference.coef_, rtol=1e-10)
    for label in ("gradient descent", "GD + Nesterov momentum"):
        ch.check_bound(f"{label}: relative loss gap (L − L*)/L*", "goal ≤ 1e-12 (run until "
                       "max |∂L/∂w_j| ≤ tol = 1e-12)",
                       rows[list(fitted).index(label)][3], at_most=1e-12)
        # The stopping rule's promise: w − ŵ = H⁻¹∇L(w), so ‖w − ŵ‖₂ ≤ √p·tol·‖H⁻¹‖₁.
        delta = fitted[label].coef_ - reference.coef_
        ch.check_bound(f"{label}: ‖w − ŵ‖₂ / (√p · tol · ‖H⁻¹‖₁)", "the gradient rule "
                       "max |∂L/∂w_j| ≤ tol", math.sqrt(float(delta @ delta)) / (
                           math.sqrt(H.shape[0]) * 1e-12 * H_inv_norm), at_most=1.0)
    ch.check("Newton: iterations for a quadratic", "exactly one step",
             abs(fitted["Newton"].n_iter_ - 1), 0.0)
    for label in ("SGD", "mini-batch (32)", "mini-batch + momentum"):
        ch.check_bound(f"{label}: relative loss gap (L − L*)/L*", "goal ≤ 2 % (constant-rate "
                       "noise floor)", rows[list(fitted).index(label)][3], at_most=0.02)

    iterative = ["gradient descent", "GD + Nesterov momentum", "SGD", "mini-batch (32)",
                 "mini-batch + momentum", "Newton"]
    fig, (left, right) = new_figure(2, width=12.5, height=4.4)
    curves = {label: fitted[label] for label in iterative}
    plot_loss_curves(curves, optimum, logx=True, ax=left, title="Gap to the optimum per epoch")
    plot_loss_curves(curves, optimum, logx=True, ax=right,
                     updates_per_epoch={"SGD": n, "mini-batch (32)": math.ceil(n / 32),
                                        "mini-batch + momentum": math.ceil(n / 32)},
                     title="… per parameter update")
    ch.figure(fig, "Loss curves against the exact optimum L* (log-log). Per epoch (left) the "
              "stochastic methods start fastest — hundreds of updates per pass — then stall on "
              "their noise floor; per update (right) the full gradient is the better step. "
              "Newton: one step, at rounding level.")
    ch.figure(plot_coefficients({label: fitted[label] for label in
                                 ("QR", "gradient descent", "SGD", "mini-batch + momentum")},
                                raw.feature_names, reference="QR",
                                title="Coefficients per standard deviation (z-scores)"),
              "Coefficients of three iterative solvers against QR (black ticks). They agree "
              "except on s1 to s5, the correlated serum measurements, where the "
              "stochastic solvers trade one for another at almost no cost in loss.")
