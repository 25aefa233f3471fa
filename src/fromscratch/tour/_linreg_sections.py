"""The linear-regression chapter's pictures of the calculus and of the iterative solvers: the
loss bowl with the lines where each partial derivative vanishes, the normal equations as a
projection, the hand-derived gradient field, the noise ball of stochastic gradient descent, and
Newton's single step — each with its check."""

from __future__ import annotations

import math
import warnings

import numpy as np

from fromscratch.tour import _linreg_qr, _linreg_where

# The strings the chapter's topic table quotes (TOPICS, below): the chapter's own headings,
# figures and checks, and those of the sections in this module.
HEADING_B2 = "Defining the model"
FIGURE_B2 = ("Fifty samples of $y = 2x + 1 + \\varepsilon$, $\\varepsilon \\sim N(0, 1)$ "
             "(`make_linear`). Left: the least-squares line and the residuals it minimizes "
             "(red). Right: the residuals, a patternless band around zero, as they should be "
             "when the model is right.")
CHECK_B2 = "LinearRegression slope and intercept (1 feature)"
HEADING_B3 = "The best parameters by calculus"
HEADING_B4 = "The partial derivatives by hand"
HEADING_B5 = "Gradient descent"
FIGURE_B5 = ("Gradient descent on the one-feature data, the rates given as multiples of the "
             "curvature λ: too small a rate crawls, a good one converges in a few epochs, "
             "ηλ = 1.8 overshoots back and forth but still converges, ηλ = 4 diverges — and "
             "the library stops it.")
CHECK_B5 = "GD loss curve, ηλ = 0.05"
HEADING_B6 = "Stochastic and mini-batch gradient descent"
HEADING_B7 = "Newton's method: one step"
HEADING_B8 = "QR: what statistical software does"
FIGURE_B3 = ("The loss of the one-feature data over $(w, b)$: a bowl (left). Right: its "
             "contours and the two lines where a partial derivative vanishes; they cross at "
             "the minimum, the least-squares fit (star).")
CHECK_B3 = "crossing of ∂L/∂w = 0 and ∂L/∂b = 0 (Cramer's rule) vs LinearRegression"
FIGURE_PROJECTION = ("Three samples, two features: each axis is one sample. The column space "
                     "$\\{Xw\\}$ is the plane spanned by $x_1$ and $x_2$; the least-squares fit "
                     "$\\hat y = X\\hat w$ is the foot of the perpendicular from $y$ (dashed: "
                     "the residual, normal to the plane).")
FIGURE_B4 = ("The hand-derived descent directions $-\\nabla L$ on a 12 × 12 grid over the "
             "contours of the loss in $(w, b)$: perpendicular to the contours, longest where "
             "the bowl is steepest, vanishing at the minimum (star).")
CHECK_B4 = "hand-derived ∇L at the 144 arrows of the gradient field"
FIGURE_B6 = ("Where constant-rate SGD ends up: the iterate at the end of each of the last "
             "epochs (centered one-feature data). One sample per update wanders in a ball "
             "around the minimum; a quarter of the rate, or batches of 10, shrink the ball.")
CHECK_B6 = "mean of one epoch's 5 mini-batch gradients (|B| = 10)"
FIGURE_B7 = ("Newton's method from four starting points on the uncentered data's narrow "
             "valley: each first step lands on the minimum. Gradient descent (red, ten steps "
             "at ηλ_max = 1) has crossed the valley and barely started along it.")
CHECK_B7 = "Newton's first step from 4 starting points vs least squares"

EPS = float(np.finfo(np.float64).eps)


#: Where each curriculum topic of the linear-regression chapter is taught: its section
#: heading, one figure caption and one check, as the report shows them (the introduction's
#: topic table reads ``ch_linreg.TOPICS``, which is this).
TOPICS = {
    "B1": {"section": _linreg_where.HEADING_B1, "figure": _linreg_where.FIGURE_B1,
           "check": _linreg_where.CHECK_B1},
    "B2": {"section": HEADING_B2, "figure": FIGURE_B2, "check": CHECK_B2},
    "B3": {"section": HEADING_B3, "figure": FIGURE_B3, "check": CHECK_B3},
    "B4": {"section": HEADING_B4, "figure": FIGURE_B4, "check": CHECK_B4},
    "B5": {"section": HEADING_B5, "figure": FIGURE_B5, "check": CHECK_B5},
    "B6": {"section": HEADING_B6, "figure": FIGURE_B6, "check": CHECK_B6},
    "B7": {"section": HEADING_B7, "figure": FIGURE_B7, "check": CHECK_B7},
    "B8": {"section": HEADING_B8, "figure": _linreg_qr.FIGURE_B8, "check": _linreg_qr.CHECK_B8},
}


def _line_design(line) -> tuple[np.ndarray, np.ndarray]:
    """The one-feature data's design ``[x, 1]`` (θ = (w, b)) and target."""
    return np.column_stack([line.X[:, 0], np.ones(len(line.y))]), line.y


class _Iterates(list):
    """A solver callback that keeps every iterate it is shown and never stops the run."""

    def __call__(self, w: np.ndarray) -> bool:
        self.append(w.copy())
        return False


def _window(center: np.ndarray, half_widths: tuple[float, float]) -> list[tuple[float, float]]:
    return [(center[j] - half_widths[j], center[j] + half_widths[j]) for j in range(2)]


# -- B3: the bowl, and the normal equations as a projection ----------------------------------


def loss_bowl(ch, line) -> None:
    """The bowl and its zero lines (B3), then the projection picture of the normal equations."""
    from fromscratch.linear_model import LinearRegression
    from fromscratch.linear_model._iterative import least_squares_objective
    from fromscratch.plot.landscape import plot_loss_bowl

    design, y = _line_design(line)
    objective = least_squares_objective()
    model = LinearRegression().fit(line.X, y)
    theta_hat = np.array([model.coef_[0], model.intercept_])
    ch.text(
        "With one feature the calculus can be seen. $L(w, b)$ is a bowl over the "
        "$(w, b)$-plane; each equation $\\partial L/\\partial w = 0$ and "
        "$\\partial L/\\partial b = 0$ is *linear* in $(w, b)$, so each is a straight line in "
        "the plane, and the minimum is where they cross — a $2 \\times 2$ linear system, the "
        "normal equations without centering:"
    )
    ch.equation(r"\begin{pmatrix} \sum_i x_i^2 & \sum_i x_i \\ \sum_i x_i & n \end{pmatrix}"
                r"\begin{pmatrix} w \\ b \end{pmatrix} = "
                r"\begin{pmatrix} \sum_i x_i y_i \\ \sum_i y_i \end{pmatrix}")
    ch.figure(plot_loss_bowl(lambda t: objective.loss(t, design, y),
                             lambda t: objective.gradient(t, design, y),
                             _window(theta_hat, (2.0, 2.0)), minimum=theta_hat), FIGURE_B3)
    x = line.X[:, 0]
    n, sx, sxx, sy, sxy = len(y), x.sum(), x @ x, y.sum(), x @ y
    det = n * sxx - sx**2
    cramer = np.array([(n * sxy - sx * sy) / det, (sxx * sy - sx * sxy) / det])
    # Cramer's rule on this 2×2 system (κ ≈ 1.2) loses no more than a few ε.
    ch.check_close(CHECK_B3, "Cramer's rule on the 2 × 2 normal equations, an independent "
                   "route to the fitted (w, b)", theta_hat, cramer, rtol=1e-12)
    _projection(ch)


def _projection(ch) -> None:
    from fromscratch.linear_model import LinearRegression
    from fromscratch.plot.regularization import plot_normal_equation

    ch.text(
        "The normal equations also have a picture. They say $X^\\top(y - X\\hat w) = 0$: the "
        "residual is orthogonal to every column of $X$. Of all the vectors $Xw$ the model "
        "can produce — the *column space* of $X$ — the fit $\\hat y = X\\hat w$ is the one "
        "closest to $y$, its *orthogonal projection*, $\\hat y = X(X^\\top X)^{-1}X^\\top y$. "
        "With three samples and two features (no intercept) this can be drawn, one axis "
        "per sample:"
    )
    X = np.array([[1.0, 0.2], [0.3, 1.0], [0.4, 0.5]])
    y = np.array([0.5, 1.3, 1.4])
    model = LinearRegression(fit_intercept=False).fit(X, y)
    fitted = model.predict(X)
    ch.figure(plot_normal_equation(X, y, {"least squares": fitted}), FIGURE_PROJECTION)
    residual = y - fitted
    scale = math.sqrt(float(np.sum(X * X)) * float(y @ y))
    ch.check_bound("residual against the columns: max |Xᵀ(y − ŷ)| / (‖X‖_F ‖y‖)",
                   "0: the normal equations (residual orthogonal to the column space)",
                   float(np.max(np.abs(X.T @ residual))) / scale, at_most=10 * EPS)


# -- B4: the gradient field -------------------------------------------------------------------


def gradient_field(ch, line) -> None:
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import grad
    from fromscratch.linear_model import LinearRegression
    from fromscratch.linear_model._iterative import least_squares_objective
    from fromscratch.plot.landscape import plot_gradient_field

    design, y = _line_design(line)
    n = len(y)
    objective = least_squares_objective()
    model = LinearRegression().fit(line.X, y)
    theta_hat = np.array([model.coef_[0], model.intercept_])
    window = _window(theta_hat, (2.0, 2.0))
    ch.text(
        "A picture of the two partial derivatives: at each point of the $(w, b)$-plane an "
        "arrow $-\\nabla L = \\frac{1}{n}\\tilde X^\\top(y - \\hat y)$, the direction gradient "
        "descent steps in, computed by `least_squares_objective().gradient` — the formula "
        "above. Every arrow is perpendicular to the contour through its tail and shrinks to "
        "nothing at the minimum; every arrow in the figure is checked against autodiff and "
        "finite differences."
    )
    ch.figure(plot_gradient_field(lambda t: objective.loss(t, design, y),
                                  lambda t: objective.gradient(t, design, y), window,
                                  minimum=theta_hat, arrows=12,
                                  title="−∇L over the loss contours (one feature)"), FIGURE_B4)
    T0, T1 = np.meshgrid(np.linspace(*window[0], 12), np.linspace(*window[1], 12))
    points = np.column_stack([T0.ravel(), T1.ravel()])

    def loss(t):
        return anp.sum((y - design @ t) ** 2) / (2 * n)

    by_hand = np.array([objective.gradient(t, design, y) for t in points])
    automatic = np.array([grad(loss)(t) for t in points])
    h = 1e-6
    finite = np.array([[(objective.loss(t + h * e, design, y) - objective.loss(t - h * e,
                                                                                design, y))
                        / (2 * h) for e in np.eye(2)] for t in points])
    ch.check_close(CHECK_B4, "reverse-mode autodiff at the same points", by_hand, automatic,
                   rtol=1e-12)
    # Central differences of a quadratic are exact but for rounding, ε·L/h ≈ 1e-10·L.
    ch.check_close("hand-derived ∇L at the 144 arrows, against central finite differences",
                   "central finite differences, h = 1e-6", by_hand, finite, rtol=1e-6)


# -- B6: mini-batch gradients and the noise ball ------------------------------------------------


def stochastic_runs(ch, line) -> None:
    from fromscratch.linalg import lstsq
    from fromscratch.linear_model._iterative import gradient_descent, least_squares_objective
    from fromscratch.plot.linear import plot_loss_surface

    x = line.X[:, 0]
    design, y = np.column_stack([x - x.mean(), np.ones_like(x)]), line.y
    n = len(y)
    objective = least_squares_objective()
    theta_hat = lstsq(design, y)
    batches = np.random.default_rng(0).permutation(n).reshape(5, n // 5)
    batch_mean = np.mean([objective.gradient(theta_hat + 1.0, design[b], y[b])
                          for b in batches], axis=0)
    ch.text(
        "Unbiased means: averaged over the batches of an epoch, the mini-batch gradients are "
        "the full gradient — exactly, for equal batches, since each is a mean of per-sample "
        "gradients. (A gradient that forgot its $\\frac{1}{|B|}$ would be $|B|$ times too "
        "large and fail this.) The noise is in the single step: constant-rate SGD never "
        "settles, it wanders in a ball around $\\hat\\theta$. The centered one-feature data, "
        "the iterate at the end of each epoch:"
    )
    ch.check_close(CHECK_B6, "the full gradient ∇L (all 50 samples), at θ̂ + (1, 1)",
                   batch_mean, objective.gradient(theta_hat + 1.0, design, y), rtol=1e-12)
    curvature = float(np.mean((x - x.mean()) ** 2))  # λ of w; b's curvature is 1
    rate = 0.2 / max(curvature, 1.0)
    epochs, kept = (120, 60) if ch.quick else (300, 200)
    runs = {"SGD, η": (1, rate), "SGD, η/4": (1, rate / 4), "mini-batch of 10, η": (10, rate)}
    paths, spread = {}, {}
    for label, (batch_size, eta) in runs.items():
        iterates = _Iterates()
        gradient_descent(objective, theta_hat, design, y, batch_size=batch_size,
                         learning_rate=eta, max_iter=epochs, tol=None, random_state=0,
                         callback=iterates)
        paths[label] = np.array(iterates[-kept:])
        delta = paths[label] - theta_hat
        spread[label] = float(np.mean(np.sum(delta * delta, axis=1)))
    ch.figure(plot_loss_surface(design, y, paths, parameter_names=("w", "b"),
                                window=_window(theta_hat, (1.2, 1.2)),
                                title=f"The last {kept} epochs of constant-rate SGD"),
              FIGURE_B6)
    ch.table(["run", "mean ‖θ − θ̂‖² over the last epochs"],
             [[label, value] for label, value in spread.items()],
             f"η = 0.2/λ_max = {rate:.3g}; {epochs} epochs from θ̂ itself, the last {kept} "
             "kept.")
    # The stationary spread of SGD grows with the step and with the gradient noise, which
    # averaging a batch divides by |B| (at least: with reshuffling it falls faster).
    ch.check_bound("SGD spread: η over η/4", "at least 4 (the ball grows with η)",
                   spread["SGD, η"] / spread["SGD, η/4"], at_least=4.0)
    ch.check_bound("SGD spread: |B| = 1 over |B| = 10, same η",
                   "at least 10 (a batch mean has 1/|B| of the variance)",
                   spread["SGD, η"] / spread["mini-batch of 10, η"], at_least=10.0)


# -- B7: Newton's one step ------------------------------------------------------------------


def newton_steps(ch, line) -> None:
    from fromscratch.linalg import lstsq
    from fromscratch.linear_model._iterative import (
        gradient_descent,
        least_squares_objective,
        newton,
    )
    from fromscratch.plot.linear import plot_loss_surface

    x = line.X[:, 0] + 3.0
    design, y = np.column_stack([x, np.ones_like(x)]), line.y + 6.0  # the valley of above
    objective = least_squares_objective()
    theta_hat = lstsq(design, y)
    (a, c), (_, d) = objective.hessian(theta_hat, design, y)
    half_gap = math.sqrt(((a - d) / 2) ** 2 + c**2)
    lambda_max, lambda_min = (a + d) / 2 + half_gap, (a + d) / 2 - half_gap
    starts = theta_hat + np.array([[-2.0, -3.5], [2.5, 2.0], [-2.5, 3.0], [1.5, -4.0]])
    paths = {}
    for k, start in enumerate(starts):
        steps = _Iterates([start])
        with warnings.catch_warnings():  # one iteration is all we ask for
            warnings.simplefilter("ignore")
            newton(objective, start, design, y, max_iter=1, tol=1e-12, callback=steps)
        paths[f"Newton from start {k + 1}"] = np.array(steps)
    descent = _Iterates([starts[0]])
    gradient_descent(objective, starts[0], design, y, learning_rate=1.0 / lambda_max,
                     max_iter=10, tol=None, callback=descent)
    ch.text(
        "The library's `newton` (the loop `LinearRegression(solver=\"newton\")` and "
        "`LogisticRegression` share) from four starting points on the uncentered data, whose "
        f"Hessian has condition number $\\lambda_{{max}}/\\lambda_{{min}} = "
        f"{lambda_max / lambda_min:.0f}$: one iteration each, against ten steps of gradient "
        "descent."
    )
    ch.figure(plot_loss_surface(design, y, {"gradient descent, 10 steps":
                                            np.array(descent), **paths},
                                parameter_names=("w", "b"),
                                window=_window(theta_hat, (3.5, 5.0)),
                                title="One Newton step from anywhere"), FIGURE_B7)
    ends = np.array([path[-1] for path in paths.values()])
    # The step solves a 2×2 system: its error is about κ·ε times the distance it travels.
    distance = float(np.max(np.abs(starts - theta_hat)))
    ch.check_close(CHECK_B7, "the least-squares solution (lstsq), to κ·ε·distance",
                   ends, np.tile(theta_hat, (len(starts), 1)), rtol=0.0,
                   atol=10 * lambda_max / lambda_min * EPS * distance)
