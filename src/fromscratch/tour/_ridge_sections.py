"""The regularization chapter's ridge sections — the penalty, training ridge with its gradient by
hand, the normal equation with the penalty — and the polynomial models the chapter fits
throughout.

The headings, the figure captions the topic table points to and the names of the checks it
points to are module constants, so that the chapter's ``TOPICS`` names exactly what the report
shows."""

from __future__ import annotations

from typing import Any

import numpy as np

RIDGE_HEADING = "Ridge regression: a price on large coefficients"
RIDGE_FIGURE = ("The degree-15 polynomial of the first section, fitted with a growing ridge "
                "penalty (the 15 powers standardized, so one α treats them alike). A little "
                "penalty already tames the swings.")
RIDGE_CHECK = "d‖ŵ_α‖²/dα by central differences (diabetes, α = 0.1)"

GRADIENT_HEADING = "Training ridge with its gradient by hand"
GRADIENT_FIGURE = ("Left: the iterates of `Ridge(solver=...)`, one point per epoch from "
                   "w = 0, on the contours of J (grey). The blue circle is the penalty's level "
                   "set through the ridge solution (star); the dashed ellipse, the contour of "
                   "the loss RSS through it, touches the circle there. Full-batch gradient "
                   "descent with a step near 2/L zigzags across the valley; the stochastic "
                   "solvers wander. Right: the gap f − f* per epoch: gradient descent converges "
                   "linearly to rounding, the stochastic solvers stall at the noise floor of "
                   "their constant step.")
GRADIENT_CHECK = "Ridge(solver=\"gd\"): ‖w − ŵ‖₂ (two features)"

NORMAL_HEADING = "The normal equation, with the penalty"
NORMAL_FIGURE = ("Three samples, two features: every fit Xw is a point of the plane spanned by "
                 "the columns. Least squares (red) is the orthogonal projection of y — its "
                 "residual is perpendicular to the plane. Ridge (orange) lies in the plane too, "
                 "but closer to the origin, and its residual leans: Xᵀr = αŵ. The dotted curve "
                 "is the ridge fit as α grows from 0 (least squares) to ∞ (the origin).")
NORMAL_CHECK = "ridge residual's correlations Xᵀ(y − Xŵ)"


def polynomial(degree: int, regressor=None):
    """x → standardize → (x, x², …, x^d) → standardize → linear regression.

    Standardizing x first keeps its powers of comparable size (powers of values in [0, 1]
    are nearly collinear); standardizing the powers makes one penalty fair to all of them."""
    from fromscratch.compose import make_pipeline
    from fromscratch.linear_model import LinearRegression
    from fromscratch.preprocessing import PolynomialFeatures, StandardScaler

    return make_pipeline(StandardScaler(), PolynomialFeatures(degree, include_bias=False),
                         StandardScaler(), regressor if regressor is not None
                         else LinearRegression())


def rmse(y, prediction) -> float:
    from fromscratch.metrics import root_mean_squared_error

    return float(root_mean_squared_error(y, prediction))


def _norm(v: np.ndarray) -> float:
    return float(np.sqrt(v @ v))


# -- C3: the penalty ----------------------------------------------------------------------------


def ridge_penalty(ch) -> None:
    from fromscratch.datasets import load_diabetes, make_sine
    from fromscratch.linalg import cho_solve, cholesky
    from fromscratch.linear_model import LinearRegression, Ridge, ridge_path
    from fromscratch.model_selection import train_test_split
    from fromscratch.plot.regularization import plot_polynomial_fits

    ch.heading(RIDGE_HEADING)
    ch.text(
        "The overfit polynomials have huge coefficients that cancel each other between the "
        "data points. *Ridge regression* (Hoerl & Kennard, 1970; Tikhonov regularization) "
        "keeps least squares but charges for the size of the coefficients:"
    )
    ch.equation(r"J(w, b) = \|y - Xw - b\mathbf{1}\|^2 + \alpha\|w\|^2, \qquad \alpha \geq 0")
    sine = make_sine(40, noise=0.3, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        sine.X, sine.y, test_size=0.5, random_state=0)
    models = {}
    for alpha in (0.0, 1e-4, 1e-2, 1.0):
        regressor = LinearRegression() if alpha == 0 else Ridge(alpha=alpha)
        label = "least squares" if alpha == 0 else f"ridge, α = {alpha:g}"
        models[label] = polynomial(15, regressor).fit(X_train, y_train)
    ch.figure(plot_polynomial_fits(X_train, y_train, models, true_function=sine.true_function,
                                   X_test=X_test, y_test=y_test), RIDGE_FIGURE)
    ch.table(["model", "‖w‖", "training RMSE", "test RMSE"],
             [[label, _norm(m[-1].coef_), rmse(y_train, m.predict(X_train)),
               rmse(y_test, m.predict(X_test))] for label, m in models.items()],
             "The penalty trades a slightly larger training error for a far smaller test error "
             "and a coefficient vector smaller by orders of magnitude.")
    ch.check_bound("test RMSE of ridge (α = 0.01), degree 15", "at most a tenth of least "
                   "squares' test RMSE", rmse(y_test, models["ridge, α = 0.01"].predict(X_test)),
                   at_most=0.1 * rmse(y_test, models["least squares"].predict(X_test)))

    ch.text(
        "**The penalty shrinks.** The minimizer $\\hat w_\\alpha$ solves "
        "$(X_c^\\top X_c + \\alpha I)\\hat w_\\alpha = X_c^\\top y_c$ (derived below; $X_c$, "
        "$y_c$ are the centered data). Differentiating this identity in α gives "
        "$\\hat w_\\alpha + (X_c^\\top X_c + \\alpha I)\\,d\\hat w_\\alpha/d\\alpha = 0$, so"
    )
    ch.equation(r"\frac{d}{d\alpha}\|\hat w_\alpha\|^2 = 2\hat w_\alpha^\top "
                r"\frac{d\hat w_\alpha}{d\alpha} = -2\,\hat w_\alpha^\top(X_c^\top X_c + "
                r"\alpha I)^{-1}\hat w_\alpha < 0")
    ch.text(
        "for $\\hat w_\\alpha \\neq 0$: the matrix is positive definite. A larger penalty "
        "always buys a smaller coefficient vector — on the degree-15 design of the figure "
        "along a whole path of penalties (`ridge_path`), and in the derivative itself on the "
        "diabetes data (442 patients, 10 standardized features):"
    )
    design = models["least squares"][:-1].transform(X_train)
    _, path = ridge_path(design, y_train, alphas=np.geomspace(1e3, 1e-6, 60),
                         fit_intercept=True)
    norms = np.sqrt((path**2).sum(axis=0))  # from the largest α to the smallest
    ch.check("‖ŵ_α‖ along the ridge path of the degree-15 design: largest increase with α",
             "≤ 0: the norm falls as α grows", float(np.max(-np.diff(norms))), 0.0)
    diabetes = load_diabetes()
    X, y = diabetes.X, diabetes.y
    Xc = X - X.mean(axis=0)
    alpha, h = 0.1, 1e-5

    def squared_norm(a: float) -> float:
        coef = Ridge(alpha=a).fit(X, y).coef_
        return float(coef @ coef)

    coef = Ridge(alpha=alpha).fit(X, y).coef_
    derivative = -2.0 * coef @ cho_solve(cholesky(Xc.T @ Xc + alpha * np.eye(X.shape[1])), coef)
    # Central differences: the truncation h²/6·(third derivative) is about 2e-9 of the
    # derivative here (it scales like (h/α)²); the rounding, about ε‖ŵ‖²/h, at most 4e-8.
    ch.check_close(RIDGE_CHECK, "−2ŵᵀ(XᵀX + αI)⁻¹ŵ", (squared_norm(alpha + h)
                   - squared_norm(alpha - h)) / (2 * h), derivative, rtol=1e-7)

    ch.text(
        "**Why the intercept is not penalized.** The intercept only says where the data sit, "
        "not how they vary. Penalizing $b$ would pull predictions towards 0, so the fit would "
        "depend on an arbitrary origin of $y$ (temperatures in °C or K, prices in dollars or "
        "in dollars above 100 000). `Ridge` leaves $b$ out of the penalty (by centering, "
        "derived in the next section); shifting $y$ by a constant then shifts $\\hat b$ and "
        "nothing else."
    )
    ridge = Ridge(alpha=alpha).fit(X, y)
    shifted = Ridge(alpha=alpha).fit(X, y + 1000.0)
    ch.check_close("Ridge on y + 1000: coefficients", "Ridge on y (the intercept is not "
                   "penalized, so a shift of y moves only the intercept)", shifted.coef_,
                   ridge.coef_, rtol=1e-9)
    ch.check_close("Ridge on y + 1000: intercept", "intercept on y, plus 1000",
                   shifted.intercept_, ridge.intercept_ + 1000.0, rtol=1e-12)
    ols = LinearRegression().fit(X, y)
    ch.text(
        "As $\\alpha \\to 0$ ridge becomes least squares, and how fast is known: the "
        "derivative above at α = 0 gives $\\hat w_\\alpha = \\hat w_{OLS} - "
        "\\alpha\\,(X_c^\\top X_c)^{-1}\\hat w_{OLS} + O(\\alpha^2)$. On these data "
        "$X_c^\\top X_c$ has small eigenvalues (some of the six blood serum measurements "
        "are strongly correlated), so the first-order term is visible even at tiny α."
    )
    ch.check_close("Ridge with α = 1e-10", "LinearRegression (QR): α → 0 is least squares",
                   Ridge(alpha=1e-10).fit(X, y).coef_, ols.coef_, rtol=1e-6)
    tiny = 1e-8
    first_order = ols.coef_ - tiny * cho_solve(cholesky(Xc.T @ Xc), ols.coef_)
    ch.check_close(f"Ridge with α = {tiny:g}", "ŵ_OLS − α(XᵀX)⁻¹ŵ_OLS (first order in α)",
                   Ridge(alpha=tiny).fit(X, y).coef_, first_order, rtol=1e-9)


# -- C4: the gradient by hand trains the model ------------------------------------------------


def _two_correlated_features(n_samples: int = 50):
    """Two features correlated 0.9 (a long, narrow loss valley), centered, and a centered
    target with coefficients (2, −0.5) and unit noise."""
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((n_samples, 2))
    X = np.column_stack([Z[:, 0], 0.9 * Z[:, 0] + np.sqrt(1 - 0.9**2) * Z[:, 1]])
    X -= X.mean(axis=0)
    y = X @ np.array([2.0, -0.5]) + rng.standard_normal(n_samples)
    return X, y - y.mean()


def _objective(X, y, alpha: float, coef, intercept=0.0) -> float:
    """Ridge's objective over 2n, f = (‖y − Xw − b‖² + α‖w‖²)/2n, from its definition."""
    r = y - X @ coef - intercept
    return float(r @ r + alpha * coef @ coef) / (2 * len(y))


def ridge_gradient(ch) -> None:
    from matplotlib.figure import Figure

    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import grad
    from fromscratch.datasets import load_diabetes
    from fromscratch.linear_model import Ridge
    from fromscratch.linear_model._iterative import least_squares_objective
    from fromscratch.plot.linear import plot_loss_curves
    from fromscratch.plot.regularization import plot_ridge_descent

    ch.heading(GRADIENT_HEADING)
    ch.text(
        "**The gradient by hand.** With the residual $r = y - Xw - b\\mathbf{1}$, "
        "$\\|r\\|^2$ changes by $-2r^\\top X\\,dw - 2r^\\top\\mathbf{1}\\,db$ and "
        "$\\alpha\\|w\\|^2$ by $2\\alpha w^\\top dw$:"
    )
    ch.equation(r"\nabla_w J = -2X^\top(y - Xw - b\mathbf{1}) + 2\alpha w, \qquad "
                r"\frac{\partial J}{\partial b} = -2\,\mathbf{1}^\top(y - Xw - b\mathbf{1})")
    ch.text(
        "The intercept can be solved for at once: $\\partial J/\\partial b = 0$ gives "
        "$b = \\bar y - \\bar x^\\top w$ (the means of $y$ and of the columns of $X$), and "
        "substituted back the residual becomes $y_c - X_c w$ with the *centered* data "
        "$y_c = y - \\bar y\\mathbf{1}$, $X_c = X - \\mathbf{1}\\bar x^\\top$. What remains "
        "is a problem in $w$ alone. The solvers divide it by $2n$ — the scale of "
        "`LinearRegression`'s gradient solvers: the loss becomes an average over the samples, "
        "so one learning rate suits any $n$ or batch size, and the minimizer is unchanged:"
    )
    ch.equation(r"f(w) = \frac{1}{2n}\|y_c - X_c w\|^2 + \frac{\alpha}{2n}\|w\|^2, \qquad "
                r"\nabla f(w) = -\frac{1}{n}X_c^\top(y_c - X_c w) + \frac{\alpha}{n}\,w")
    ch.text(
        "This formula is what trains `Ridge(solver=\"gd\")` (full batch), `\"sgd\"` (one "
        "sample per step) and `\"minibatch\"` — the library's objective, with $\\lambda = "
        "\\alpha/n$ (a batch averages the loss over its rows, while the penalty stays "
        "$\\frac{\\lambda}{2}\\|w\\|^2$, so a random batch's gradient is an unbiased estimate of "
        "$\\nabla f$):"
    )
    ch.code(least_squares_objective, "fromscratch.linear_model._iterative."
            "least_squares_objective, as the library has it: the loss, the hand-derived "
            "gradient, the same loss for automatic differentiation, the Hessian")

    diabetes = load_diabetes()
    X, y = diabetes.X, diabetes.y
    n_samples, n_features = X.shape
    alpha = 0.1
    ridge = Ridge(alpha=alpha).fit(X, y)
    theta = np.r_[ridge.coef_, ridge.intercept_]

    def objective(theta):
        residual = y - X @ theta[:n_features] - theta[n_features]
        return anp.sum(residual * residual) + alpha * anp.sum(theta[:n_features] ** 2)

    def gradient_by_hand(theta):
        residual = y - X @ theta[:n_features] - theta[n_features]
        return np.r_[-2.0 * X.T @ residual + 2.0 * alpha * theta[:n_features],
                     -2.0 * residual.sum()]

    random_theta = np.random.default_rng(0).standard_normal(n_features + 1)
    autodiff_gradient = grad(objective)
    ch.check_close("hand-derived ridge gradient (w and b)", "reverse-mode autodiff "
                   "(fromscratch.autodiff), diabetes, α = 0.1", gradient_by_hand(random_theta),
                   autodiff_gradient(random_theta), rtol=1e-12)
    scale = float(np.abs(gradient_by_hand(np.zeros(n_features + 1))).max())
    ch.check("max |∇J| at the closed-form solution (relative to ∇J at 0)",
             "autodiff: the gradient vanishes at the minimum",
             float(np.abs(autodiff_gradient(theta)).max()) / scale, 1e-10)

    ch.text(
        "**What each stopping rule promises.** Full-batch gradient descent stops when "
        "$\\max_j |\\partial f/\\partial w_j| \\le \\mathrm{tol}$. The Hessian of $f$ is "
        "$H = (X_c^\\top X_c + \\alpha I)/n \\succeq (\\alpha/n) I$, so $f$ is strongly convex "
        "and $\\nabla f(w) = H(w - \\hat w)$ bounds the distance to the minimum: "
        "$\\|w - \\hat w\\|_2 \\le \\|\\nabla f(w)\\|_2/\\lambda_{\\min}(H) \\le "
        "\\sqrt{p}\\,n\\,\\mathrm{tol}/\\alpha$. A stochastic step uses a batch gradient "
        "$\\nabla f(w) + \\xi$ whose noise $\\xi$ (covariance $\\Sigma/b$ for batches of $b$ "
        "rows, $\\Sigma$ the covariance of the per-sample gradients at $\\hat w$) does not "
        "vanish at the minimum: with a constant step $\\eta$ the error $e = w - \\hat w$ obeys "
        "$e \\leftarrow (I - \\eta H)e - \\eta\\xi$, whose stationary covariance $C$ solves "
        "$HC + CH - \\eta HCH = \\eta\\Sigma/b$. Its trace bounds the *noise floor*,"
    )
    ch.equation(r"E[f(w) - f^*] = \tfrac12\operatorname{tr}(HC) \leq "
                r"\frac{\eta\,\operatorname{tr}\Sigma}{4b\,(1 - \eta L/2)}, \qquad "
                r"L = \lambda_{\max}(H) \leq \operatorname{tr} H")
    ch.text(
        "for batches drawn with replacement; shuffled epochs, which visit every row once, only "
        "lower it. The stochastic solvers stop when the loss stops improving — once it has "
        "reached that floor. A smaller step lowers the floor and takes longer to get there. "
        "Two correlated features (a long, narrow valley), $n = 50$, α = 5:"
    )
    X2, y2 = _two_correlated_features()
    n2 = len(y2)
    alpha2 = 5.0
    exact = Ridge(alpha=alpha2).fit(X2, y2)
    f_star = _objective(X2, y2, alpha2, exact.coef_, exact.intercept_)
    settings: dict[str, dict[str, Any]] = {
        "gd, η = 0.9": dict(solver="gd", learning_rate=0.9),
        "sgd, η = 0.01": dict(solver="sgd", learning_rate=0.01, random_state=0),
        "minibatch, b = 10, η = 0.1": dict(solver="minibatch", learning_rate=0.1,
                                           batch_size=10, random_state=0)}
    epochs = 12 if ch.quick else 25
    # The iterates per epoch: a run of k epochs is the first k epochs of a longer one (the same
    # shuffles from the same random_state), so refitting with max_iter = k traces the path.
    paths = {label: np.vstack([np.zeros(2)] + [
        Ridge(alpha=alpha2, tol=None, max_iter=k, **params).fit(X2, y2).coef_
        for k in range(1, epochs + 1)]) for label, params in settings.items()}
    tol = {"gd": 1e-8, "sgd": 1e-6, "minibatch": 1e-6}
    fitted = {label: Ridge(alpha=alpha2, tol=tol[params["solver"]], max_iter=2000,
                           **params).fit(X2, y2) for label, params in settings.items()}
    fig = Figure(figsize=(11.5, 4.9), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_ridge_descent(X2, y2, alpha2, exact.coef_, paths, ax=left)
    plot_loss_curves(fitted, f_star, ax=right, title="f − f* per epoch")
    ch.figure(fig, GRADIENT_FIGURE)

    gd = fitted["gd, η = 0.9"]
    ch.check(GRADIENT_CHECK, f"≤ √p·n·tol/α, the gradient rule's promise "
             f"(tol = {tol['gd']:g}, {gd.n_iter_} epochs)", _norm(gd.coef_ - exact.coef_),
             np.sqrt(2) * n2 * tol["gd"] / alpha2)
    autodiff_gd = Ridge(alpha=alpha2, tol=tol["gd"], max_iter=2000, gradient="autodiff",
                        **settings["gd, η = 0.9"]).fit(X2, y2)
    ch.check_close("Ridge(solver=\"gd\", gradient=\"autodiff\")", "the same run with the "
                   "hand-derived gradient", autodiff_gd.coef_, gd.coef_, rtol=1e-10)
    per_sample = -X2 * (y2 - X2 @ exact.coef_)[:, None] + alpha2 / n2 * exact.coef_
    trace_sigma = float((per_sample**2).sum()) / n2  # tr Σ, Σ = mean of g_i g_iᵀ (mean 0)
    trace_H = float((X2**2).sum() + 2 * alpha2) / n2
    for label, model in fitted.items():
        params = settings[label]
        if params["solver"] == "gd":
            continue
        eta, b = params["learning_rate"], params.get("batch_size", 1)
        floor = eta * trace_sigma / (4 * b * (1 - eta * trace_H / 2))
        ch.check(f"Ridge(solver=\"{params['solver']}\"): f − f* ({model.n_iter_} epochs)",
                 f"≤ the noise floor ηtrΣ/(4b(1 − ηL/2)) of η = {eta:g}, b = {b}",
                 _objective(X2, y2, alpha2, model.coef_, model.intercept_) - f_star, floor)

    ch.text(
        "On the diabetes data the valley is narrower (the Hessian's eigenvalues span a factor "
        "of 40 at α = 0.1); Nesterov momentum (`optimizer_params={\"momentum\": 0.9, "
        "\"nesterov\": True}`) with the step $1/\\operatorname{tr} H \\le 1/L$ still reaches "
        "the closed form to the distance the rule promises:"
    )
    Xc = X - X.mean(axis=0)
    trace_H = (float((Xc**2).sum()) + n_features * alpha) / n_samples
    diabetes_tol = 1e-9
    nesterov = Ridge(alpha=alpha, solver="gd", learning_rate=1.0 / trace_H, tol=diabetes_tol,
                     max_iter=20_000, optimizer_params={"momentum": 0.9, "nesterov": True}
                     ).fit(X, y)
    ch.check(f"Ridge(solver=\"gd\", Nesterov): ‖w − ŵ‖₂, diabetes ({nesterov.n_iter_} "
             "epochs)", f"≤ √p·n·tol/α (tol = {diabetes_tol:g})",
             _norm(nesterov.coef_ - ridge.coef_),
             np.sqrt(n_features) * n_samples * diabetes_tol / alpha)
    ch.check_close("its loss_curve_, last epoch", "(‖y − Xw − b‖² + α‖w‖²)/2n at its "
                   "coefficients", nesterov.loss_curve_[-1],
                   _objective(X, y, alpha, nesterov.coef_, nesterov.intercept_), rtol=1e-12)


# -- C5: the normal equation --------------------------------------------------------------------


def normal_equation(ch) -> None:
    from fromscratch.datasets import load_diabetes
    from fromscratch.linear_model import LinearRegression, Ridge, ridge_path
    from fromscratch.plot.regularization import plot_normal_equation

    ch.heading(NORMAL_HEADING)
    ch.text(
        "**Deriving the normal equation.** At the minimum the gradient of the last section "
        "vanishes: $-\\frac{1}{n}X_c^\\top(y_c - X_c w) + \\frac{\\alpha}{n}w = 0$, that is"
    )
    ch.equation(r"(X_c^\top X_c + \alpha I)\,\hat w = X_c^\top y_c, \qquad "
                r"\hat b = \bar y - \bar x^\top \hat w")
    ch.text(
        "For $\\alpha > 0$ the matrix is positive definite — $v^\\top(X_c^\\top X_c + "
        "\\alpha I)v = \\|X_c v\\|^2 + \\alpha\\|v\\|^2 > 0$ for $v \\neq 0$ — so the solution "
        "is unique even with collinear columns or more features than samples, where least "
        "squares ($\\alpha = 0$) is not. `Ridge` solves it by a Cholesky factorization "
        "(`solver=\"cholesky\"`), or by Householder QR of the augmented matrix "
        "$[X_c;\\ \\sqrt{\\alpha}I]$, whose least-squares problem "
        "$\\|y_c - X_c w\\|^2 + \\|0 - \\sqrt{\\alpha}\\,w\\|^2$ is the ridge objective "
        "(`solver=\"qr\"`).\n\n"
        "**The picture.** Rearranged, the equation reads $X_c^\\top(y_c - X_c\\hat w) = "
        "\\alpha\\hat w$. For least squares ($\\alpha = 0$) the residual is orthogonal to "
        "every column: the fit $\\hat y = X\\hat w$ is the orthogonal projection of $y$ onto "
        "the column space of $X$, the closest point of that plane. Ridge's fit lies in the "
        "same plane, but the residual keeps a component along the columns, equal to "
        "$\\alpha\\hat w$: the fit is pulled towards the origin."
    )
    X3 = np.array([[1.0, 0.1], [0.2, 1.0], [0.1, 0.3]])
    y3 = np.array([0.7, 0.9, 1.3])
    alpha3 = 0.5
    ols = LinearRegression(fit_intercept=False).fit(X3, y3)
    ridge3 = Ridge(alpha=alpha3, fit_intercept=False).fit(X3, y3)
    _, coefs = ridge_path(X3, y3, alphas=np.geomspace(1e3, 1e-3, 80))
    ch.figure(plot_normal_equation(X3, y3, {"least squares": ols.predict(X3),
                                            f"ridge, α = {alpha3:g}": ridge3.predict(X3)},
                                   path=(X3 @ coefs).T), NORMAL_FIGURE)
    ch.check("least-squares residual's correlations max|Xᵀ(y − Xŵ)| / max|Xᵀy|",
             "0: orthogonal to the columns", float(np.abs(X3.T @ (y3 - ols.predict(X3))).max())
             / float(np.abs(X3.T @ y3).max()), 1e-13)
    ch.check_close(NORMAL_CHECK, f"αŵ (α = {alpha3:g}): the normal equation rearranged",
                   X3.T @ (y3 - ridge3.predict(X3)), alpha3 * ridge3.coef_, rtol=1e-12)

    diabetes = load_diabetes()
    X, y = diabetes.X, diabetes.y
    alpha = 0.1
    cholesky_fit = Ridge(alpha=alpha, solver="cholesky").fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    normal_residual = (Xc.T @ Xc + alpha * np.eye(X.shape[1])) @ cholesky_fit.coef_ - Xc.T @ yc
    ch.check("normal equation residual ‖(XᵀX + αI)w − Xᵀy‖∞ / ‖Xᵀy‖∞ (diabetes, α = 0.1)",
             "the closed form solves its own equation", float(np.abs(normal_residual).max())
             / float(np.abs(Xc.T @ yc).max()), 1e-12)
    ch.check_close("Ridge(solver=\"cholesky\"): normal equations", "Ridge(solver=\"qr\"): QR "
                   "of the augmented matrix, which never forms XᵀX",
                   cholesky_fit.coef_, Ridge(alpha=alpha, solver="qr").fit(X, y).coef_,
                   rtol=1e-10)
