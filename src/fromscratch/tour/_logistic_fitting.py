"""The logistic-regression chapter's sections on fitting by calculus: the hand-derived gradient
drawn as a field and its Hessian against automatic differentiation, why setting the gradient to
zero has no closed form, and gradient descent with a step size the curvature guarantees."""

from __future__ import annotations

import numpy as np

# The strings the chapter's topic table quotes (ch_logistic.TOPICS).
FIGURE_D6 = ("The hand-derived $-\\nabla L$ of the log-loss over $(w, b)$ for one feature "
             "(worst concave points, standardized), on the contours of the loss; the star is "
             "the maximum-likelihood fit.")
CHECK_D6 = "hand-derived log-loss gradient at the 144 arrows of the field"
HEADING_D5 = "Setting the gradient to zero: no closed form"
FIGURE_D5 = ("The log-loss of one feature over $(w, b)$ (left) and its contours with the "
             "curves $\\partial L/\\partial w = 0$ and $\\partial L/\\partial b = 0$ (right): "
             "no longer straight lines, so their crossing is no linear system.")
CHECK_D5 = "crossing of ∂L/∂w = 0 and ∂L/∂b = 0 by nested bisection vs Newton's fit"
HEADING_D7 = "Gradient descent with the hand-derived gradient"
FIGURE_D7 = ("Gradient descent on the breast-cancer training set: the gap to Newton's "
             "minimum per step for two step sizes, and the bound guaranteed for η = 1/L̄, "
             "which that run must stay under.")
CHECK_D7 = "gradient descent, η = 1/L̄: max over k of (L(w_k) − L*) / bound_k"

FEATURE = "worst concave points"


def _one_feature(cancer) -> tuple[np.ndarray, np.ndarray]:
    """One standardized feature of the breast-cancer data (all 569 samples) and the labels."""
    from fromscratch.preprocessing import StandardScaler

    column = list(cancer.feature_names).index(FEATURE)
    return StandardScaler().fit_transform(cancer.X[:, [column]]), cancer.y.astype(float)


def _unpenalized_fit(X, y) -> np.ndarray:
    """The maximum-likelihood (w, b) of one feature, by the library's Newton solver."""
    from fromscratch.linear_model import LogisticRegression

    model = LogisticRegression(C=np.inf, tol=1e-12).fit(X, y)
    return np.r_[model.coef_[0], model.intercept_]


def derivative_pictures(ch, X_train, y_train, cancer) -> None:
    """D6: the gradient field of one feature, and the Hessian against autodiff."""
    from fromscratch.autodiff import hessian
    from fromscratch.linear_model.logistic import logistic_loss
    from fromscratch.plot.landscape import plot_gradient_field

    X, y = _one_feature(cancer)
    loss = logistic_loss(1, 2, fit_intercept=True)
    w_hat = _unpenalized_fit(X, y)
    window = [(w_hat[0] - 3.0, w_hat[0] + 3.0), (w_hat[1] - 3.0, w_hat[1] + 3.0)]
    ch.text(
        "The gradient as a picture: for one feature, the hand-derived $-\\nabla L$ at every "
        "point of the $(w, b)$-plane, each arrow checked against autodiff of the loss "
        "(`logistic_loss(...).objective(gradient=\"autodiff\")`, which differentiates the "
        "loss expression and never sees the formula):"
    )
    ch.figure(plot_gradient_field(lambda t: loss.loss(t, X, y),
                                  lambda t: loss.gradient(t, X, y), window, minimum=w_hat,
                                  arrows=12, title=f"−∇L of the log-loss ({FEATURE})"),
              FIGURE_D6)
    T0, T1 = np.meshgrid(np.linspace(*window[0], 12), np.linspace(*window[1], 12))
    points = np.column_stack([T0.ravel(), T1.ravel()])
    automatic = loss.objective(gradient="autodiff")
    ch.check_close(CHECK_D6, "reverse-mode autodiff of the loss at the same points",
                   np.array([loss.gradient(t, X, y) for t in points]),
                   np.array([automatic.gradient(t, X, y) for t in points]), rtol=1e-12)

    n, p = X_train.shape
    full = logistic_loss(p, 2, fit_intercept=True, l2=1.0 / n)
    target = y_train.astype(float)
    w = np.random.default_rng(1).standard_normal(p + 1) * 0.1
    ch.text(
        "And the Hessian $\\frac{1}{n}\\tilde X^\\top S\\tilde X + \\frac{1}{Cn}I_w$, the "
        "matrix Newton's method solves with, against `fromscratch.autodiff.hessian` of the "
        "loss. `hessian(f)` is the Jacobian of the gradient. By default "
        "(`mode=\"reverse\"`, *reverse-over-reverse*) it records the gradient's own "
        "computation once and sweeps it backward once per coefficient, 31 sweeps here; with "
        "`mode=\"forward\"` (*forward-over-reverse*) each column is a Hessian-vector product, "
        "a forward-mode derivative of the gradient. Both, at a random point, on the "
        "breast-cancer training set (30 features and the intercept):"
    )
    by_hand = full.hessian(w, X_train, target)

    def objective(v):
        return full.differentiable_loss(v, X_train, target)

    ch.check_close("hand-derived Hessian X̃ᵀSX̃/n + I_w/(Cn)",
                   "autodiff Hessian, reverse-over-reverse (hessian's default)", by_hand,
                   hessian(objective)(w), rtol=1e-12)
    ch.check_close("hand-derived Hessian X̃ᵀSX̃/n + I_w/(Cn), against forward mode",
                   "autodiff Hessian, forward-over-reverse (mode=\"forward\")", by_hand,
                   hessian(objective, mode="forward")(w), rtol=1e-12)


def no_closed_form(ch, cancer) -> None:
    """D5: the score equations are transcendental; their root found by bisection instead."""
    from fromscratch.linear_model.logistic import logistic_loss, sigmoid
    from fromscratch.plot.landscape import plot_loss_bowl

    ch.heading(HEADING_D5)
    ch.text(
        "For least squares, setting the gradient to zero gave linear equations, solved once. "
        "Do the same here. With one feature $x$ (no penalty) the two partial derivatives "
        "that `LogisticRegression` drives to zero are"
    )
    ch.equation(r"\frac{\partial L}{\partial b} = \frac1n\sum_{i=1}^n \big(\sigma(wx_i + b) "
                r"- y_i\big) = 0, \qquad \frac{\partial L}{\partial w} = \frac1n\sum_{i=1}^n "
                r"x_i\,\big(\sigma(wx_i + b) - y_i\big) = 0")
    ch.text(
        "— in matrix form $\\tilde X^\\top(\\sigma(\\tilde X\\theta) - y) = 0$. Each equation "
        "is a sum of $n$ sigmoids of different slopes $x_i$: a *transcendental* equation. "
        "Unlike the linear case, no rearrangement isolates $w$ and $b$ — the inverse of "
        "$\\sigma$ would have to be applied to a sum of sigmoids, which is no sigmoid — so "
        "there is no formula, only iterations that close in on the root. (On separable data "
        "there is not even a root: $\\sigma(wx_i + b) - y_i$ keeps shrinking as $|w|$ grows, "
        "and the likelihood has no maximum.) The picture shows it: the places where each "
        "partial derivative vanishes are curves."
    )
    X, y = _one_feature(cancer)
    loss = logistic_loss(1, 2, fit_intercept=True)
    w_hat = _unpenalized_fit(X, y)
    window = [(w_hat[0] - 3.0, w_hat[0] + 3.0), (w_hat[1] - 3.0, w_hat[1] + 3.0)]
    ch.figure(plot_loss_bowl(lambda t: loss.loss(t, X, y), lambda t: loss.gradient(t, X, y),
                             window, minimum=w_hat, title=f"The log-loss of one feature "
                             f"({FEATURE})"), FIGURE_D5)
    x = X[:, 0]

    def b_of(w: float) -> float:
        # ∂L/∂b = mean(σ(wx + b) − y) increases with b: bisect it to zero.
        return _bisect(lambda b: float(np.mean(sigmoid(w * x + b) - y)), -50.0, 50.0)

    # Along the curve ∂L/∂b = 0, ∂L/∂w is the derivative of the convex profile L(w, b(w)),
    # so it increases with w: bisect it too.
    w_root = _bisect(lambda w: float(np.mean(x * (sigmoid(w * x + b_of(w)) - y))), -50.0, 50.0)
    ch.text(
        "Iterations it is. The least clever one that is sure to work: for each $w$, bisect "
        "$\\partial L/\\partial b = 0$ for $b(w)$ (it increases in $b$); along that curve "
        "$\\partial L/\\partial w$ is the derivative of the convex function $L(w, b(w))$, so "
        "it increases in $w$ — bisect again. 60 halvings per level, each one a pass over the "
        "data, against Newton's handful of iterations below:"
    )
    ch.check_close(CHECK_D5, "LogisticRegression(C=np.inf) (Newton), to the bisection's "
                   "resolution", np.array([w_root, b_of(w_root)]), w_hat, rtol=1e-9)


def _bisect(f, low: float, high: float, steps: int = 60) -> float:
    """The root of an increasing function on [low, high], halving the bracket ``steps``
    times (100/2⁶⁰ ≈ 1e-16 wide)."""
    for _ in range(steps):
        middle = (low + high) / 2
        if f(middle) > 0:
            high = middle
        else:
            low = middle
    return (low + high) / 2


def gradient_descent_section(ch, X_train, y_train) -> None:
    """D7: gradient descent with the hand-derived gradient, and its guarantee."""
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.linear_model.logistic import logistic_loss
    from fromscratch.plot.linear import plot_loss_curves

    ch.heading(HEADING_D7)
    n, p = X_train.shape
    X1 = np.column_stack([X_train, np.ones(n)])
    ch.text(
        "So we iterate: $w_{k+1} = w_k - \\eta\\,\\nabla L(w_k)$ with the gradient of the "
        "previous section, $\\nabla L = \\frac{1}{n}\\tilde X^\\top(p - y) + \\frac{1}{Cn}w$ "
        "(`LogisticRegression(solver=\"gd\")` writes exactly this into the weights' `.grad` "
        "and lets `fromscratch.optim.SGD` step). Which $\\eta$? The curvature is bounded: "
        "$\\sigma' = p(1 - p) \\le \\frac14$, so"
    )
    ch.equation(r"\nabla^2 L = \frac1n\tilde X^\top S\tilde X + \frac{1}{Cn}I_w \preceq "
                r"M = \frac{1}{4n}\tilde X^\top\tilde X + \frac{1}{Cn}I_w, \qquad "
                r"\lambda_{max}(M) \le \|M\|_1 = \bar L")
    ch.text(
        "(a symmetric matrix's eigenvalues are at most its largest absolute column sum). With "
        "$\\eta \\le 1/\\bar L$ every step lowers the loss, and for a convex $\\bar L$-smooth "
        "function the gap after $k$ steps is bounded (Beck, *First-Order Methods in "
        "Optimization*, Thm. 10.21):"
    )
    ch.equation(r"L(w_k) - L^* \le \frac{\|w_0 - w^*\|^2}{2\eta k}, \qquad w_0 = 0")
    C = 1.0
    M = X1.T @ X1 / (4 * n) + np.diag(np.r_[np.full(p, 1.0 / (C * n)), 0.0])
    L_bar = float(np.max(np.sum(np.abs(M), axis=0)))
    newton = LogisticRegression(C=C, tol=1e-10).fit(X_train, y_train)
    w_star = np.r_[newton.coef_[0], newton.intercept_]
    objective = logistic_loss(p, 2, fit_intercept=True, l2=1.0 / (C * n))
    optimum = objective.loss(w_star, X_train, y_train.astype(float))
    steps = 300 if ch.quick else 2000
    runs = {}
    for factor in (1.0, 4.0):
        runs[f"η = {factor:g}/L̄"] = LogisticRegression(
            C=C, solver="gd", learning_rate=factor / L_bar, max_iter=steps,
            tol=None).fit(X_train, y_train)
    k = np.arange(1, steps + 1)
    bound = (w_star @ w_star) / (2 * k / L_bar)
    guaranteed = runs["η = 1/L̄"].loss_curve_
    ch.figure(plot_loss_curves({**runs, "bound for η = 1/L̄": optimum + bound}, optimum,
                               logx=True, title="Gradient descent on the log-loss"), FIGURE_D7)
    ch.table(["run", "steps", f"L(w_{steps}) − L*", "bound"],
             [[label, steps, model.loss_curve_[-1] - optimum,
               bound[-1] if label == "η = 1/L̄" else "—"] for label, model in runs.items()],
             f"L̄ = {L_bar:.3f}; L* from Newton's method (tol 1e-10), "
             f"L* = {optimum:.6f}.")
    ch.check_bound(CHECK_D7, "at most 1: the convergence guarantee for η ≤ 1/L̄",
                   float(np.max((guaranteed - optimum) / bound)), at_most=1.0)
    # Rounding in a mean of n log-losses is about n·ε·L: allowed as "no increase".
    ch.check_bound("gradient descent, η = 1/L̄: largest increase of the loss in one step",
                   "none (descent lemma: η ≤ 1/L̄ lowers L every step)",
                   float(np.max(np.diff(guaranteed))), at_most=n * 1e-16 * optimum)
    ch.text(
        "The bound is loose — the real curvature is far below $\\bar L$ where $p(1-p)$ is "
        "small — so four times the rate still descends, faster. But gradient descent needs "
        f"thousands of steps to reach the digits Newton's method gets in "
        f"{newton.n_iter_}: on these correlated features the loss is a long, flat valley, "
        "and the rate the steep directions allow crawls along the flat ones."
    )
