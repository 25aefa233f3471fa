"""Chapter: regularization — over- and underfitting, bias and variance, ridge and the lasso, and
a real application (Ames house prices).

The library never imports its references (the from-scratch rule covers the tour too), so the
checks here are independent routes to the same numbers inside the library: optimality and KKT
conditions, automatic differentiation, gradient descent, a second solver, brute force over the
constraint set, closed forms on orthonormal designs. The comparisons with scikit-learn, number for
number, are in ``tests/linear_model`` and in notebook 02."""

from __future__ import annotations

import numpy as np

from fromscratch.tour._lasso_solvers import lasso_solvers
from fromscratch.tour._ridge_cv import ridge_cv
from fromscratch.tour._ridge_sections import (
    GRADIENT_CHECK,
    GRADIENT_FIGURE,
    GRADIENT_HEADING,
    NORMAL_CHECK,
    NORMAL_FIGURE,
    NORMAL_HEADING,
    RIDGE_CHECK,
    RIDGE_FIGURE,
    RIDGE_HEADING,
    normal_equation,
    polynomial,
    ridge_gradient,
    ridge_penalty,
    rmse,
)

TITLE = "Regularization"

#: Efron, Hastie, Johnstone & Tibshirani (2004), "Least angle regression", Figure 1: the order
#: in which the diabetes variables enter the lasso path (ltg = s5, hdl = s3, glu = s6, tc = s1,
#: tch = s4, ldl = s2 in the paper's names).
EFRON_LASSO_ORDER = ("bmi", "s5", "bp", "s3", "sex", "s6", "s1", "s4", "s2", "age")

# Headings, figure captions and check names that the topic table (TOPICS) points to.
SPLIT_HEADING = "The train–test split"
SPLIT_FIGURE = ("Each repetition draws 40 fresh points, splits them 20/20 at random and fits a "
                "cubic. Blue: the training error minus the fitted model's error on new data — "
                "shifted left, optimistic. Red: the test error minus the same — centred on "
                "zero, unbiased, but spread wide: 20 test points make a noisy judge.")
SPLIT_CHECK = "optimism: error on new y at the training x − training error, mean over the splits"
BIAS_VARIANCE_HEADING = "The bias–variance trade-off"
BIAS_VARIANCE_FIGURE = ("Bias², variance and noise against the degree, from bootstrap refits "
                        "(200 rounds; 20 under --quick). Bias² falls and variance rises with "
                        "flexibility; their sum with the noise, the expected test error, is "
                        "U-shaped, lowest (star) where neither dominates.")
BIAS_VARIANCE_CHECK = "bias² + variance + σ² (σ² given)"
CONSTRAINT_HEADING = "The constraint view and Lagrange multipliers"
CONSTRAINT_ALPHAS = (100.0, 1.2)
CONSTRAINT_FIGURE = (
    f"Two correlated features (n = 50); the cross marks least squares. Left: ridge with "
    f"α = {CONSTRAINT_ALPHAS[0]:g}, whose solution lies where a loss contour (blue) is tangent "
    "to the disc of radius t = ‖ŵ‖₂. Right: the lasso with "
    f"α = {CONSTRAINT_ALPHAS[1]:g} (scikit-learn's scaling, RSS/2n + α‖w‖₁): the contour "
    "touches the diamond at its corner, $w_2 = 0$ exactly.")
CONSTRAINT_CHECK = "∇RSS(ŵ) = −2Xᵀ(y − Xŵ) at the ridge optimum"
LASSO_HEADING = "The lasso and soft-thresholding"
LASSO_FIGURE = ("One coefficient, orthonormal features: least squares gives z; ridge divides "
                "it by 1 + λ (never exactly zero); the lasso moves it towards zero by λ and "
                "clips it there (shaded: the values the lasso zeroes).")
LASSO_CHECK = "KKT, zero coefficients: max (|x_jᵀr/n| − α) / α"
AMES_HEADING = "A real application: Ames house prices"
AMES_FIGURE = ("Predicted against actual sale price on the test set (log axes; dashed: "
               "perfect prediction). The errors grow towards both ends of the price range, "
               "where there are few sales to learn from.")
AMES_CHECK = "lasso: test R² on log price"

#: Where each curriculum topic of this chapter is taught: its section heading, the caption of
#: its figure and the name of its check, as the report shows them (the introduction's topic
#: table reads this).
TOPICS = {
    "C1": {"section": BIAS_VARIANCE_HEADING, "figure": BIAS_VARIANCE_FIGURE,
           "check": BIAS_VARIANCE_CHECK},
    "C2": {"section": SPLIT_HEADING, "figure": SPLIT_FIGURE, "check": SPLIT_CHECK},
    "C3": {"section": RIDGE_HEADING, "figure": RIDGE_FIGURE, "check": RIDGE_CHECK},
    "C4": {"section": GRADIENT_HEADING, "figure": GRADIENT_FIGURE, "check": GRADIENT_CHECK},
    "C5": {"section": NORMAL_HEADING, "figure": NORMAL_FIGURE, "check": NORMAL_CHECK},
    "C6": {"section": CONSTRAINT_HEADING, "figure": CONSTRAINT_FIGURE,
           "check": CONSTRAINT_CHECK},
    "C7": {"section": LASSO_HEADING, "figure": LASSO_FIGURE, "check": LASSO_CHECK},
    "C8": {"section": AMES_HEADING, "figure": AMES_FIGURE, "check": AMES_CHECK},
}


def run(ch) -> None:
    _over_and_underfitting(ch)
    _train_test_split(ch)
    _bias_variance(ch)
    ridge_penalty(ch)
    ridge_gradient(ch)
    normal_equation(ch)
    ridge_cv(ch)
    _paths(ch)
    _constraint_view(ch)
    _lasso(ch)
    lasso_solvers(ch)
    _ames(ch)


# -- 1. under- and overfitting ------------------------------------------------------------------


def _over_and_underfitting(ch) -> None:
    from fromscratch.datasets import make_sine
    from fromscratch.model_selection import train_test_split
    from fromscratch.plot.regularization import plot_polynomial_fits, plot_train_test_error

    ch.heading("Underfitting and overfitting")
    ch.text(
        "A model must be flexible enough to follow the pattern in the data, but not so "
        "flexible that it follows the noise. The classic picture: 40 noisy samples of "
        "$f(x) = \\sin(2\\pi x)$ with noise $\\sigma = 0.3$, fitted by polynomials of degree "
        "$d$ — linear least squares on the features $x, x^2, \\dots, x^d$."
    )
    ch.text(
        "Before fitting anything we set aside half of the data, chosen at random, that the "
        "models never see (`train_test_split(X, y, test_size=0.5, random_state=0)`: 20 points "
        "to fit, 20 to judge; the next section shows why the error on those is the honest "
        "one)."
    )
    sine = make_sine(40, noise=0.3, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        sine.X, sine.y, test_size=0.5, random_state=0)
    degrees = list(range(1, 16))
    fitted = {d: polynomial(d).fit(X_train, y_train) for d in degrees}
    ch.figure(plot_polynomial_fits(X_train, y_train, {d: fitted[d] for d in (1, 3, 9, 15)},
                                   true_function=sine.true_function, X_test=X_test,
                                   y_test=y_test),
              "Polynomial fits of increasing degree (red) to 20 training points (blue); the "
              "dashed curve is the truth, the open circles the test points. Degree 1 "
              "*underfits* (too rigid: high bias), degree 3 is about right, degrees 9 and 15 "
              "*overfit*: they chase the noise and swing wildly between the points.")
    train_error = np.array([rmse(y_train, fitted[d].predict(X_train)) for d in degrees])
    test_error = np.array([rmse(y_test, fitted[d].predict(X_test)) for d in degrees])
    ch.figure(plot_train_test_error(degrees, train_error, test_error, log_y=True),
              "Root mean squared error against the degree. The training error only falls; the "
              "test error falls, bottoms out, and then climbs by orders of magnitude — the "
              "signature of overfitting.")
    ch.text(
        "The training error can only fall with the degree: the polynomials of degree $d$ "
        "are among those of degree $d + 1$ (set the new coefficient to zero), so the "
        "least-squares minimum over the larger family is at most as large."
    )
    ch.check("training RMSE never increases with the degree",
             "nested least-squares models: the largest increase must be ≤ 0",
             float(np.max(np.diff(train_error))), 1e-9)
    ch.check_bound("best test degree", "the truth is smooth: a low degree (2 to 7) wins",
                   degrees[int(np.argmin(test_error))], at_least=2, at_most=7)


# -- 2. the train-test split ---------------------------------------------------------------------


def _train_test_split(ch) -> None:
    from fromscratch.datasets import make_sine
    from fromscratch.model_selection import train_test_split
    from fromscratch.plot.regularization import plot_split_estimates

    ch.heading(SPLIT_HEADING)
    ch.text(
        "The error on the data a model was fitted to is *optimistic*: the fit has adapted to "
        "those very points, noise included. How optimistic can be derived for least squares. "
        "Take a model whose fitted values are linear in $y$, $\\hat y = Hy$ (least squares on "
        "$p$ features: $H$ is the projection onto their span, $\\operatorname{tr} H = p$), "
        "and data $y = f + \\varepsilon$ with independent noise of variance $\\sigma^2$. "
        "Compare the training error with the error on new responses $y' = f + "
        "\\varepsilon'$ at the same inputs: expanding $\\|y' - \\hat y\\|^2 = \\|y - "
        "\\hat y\\|^2 + \\|\\varepsilon' - \\varepsilon\\|^2 + 2(y - \\hat y)^\\top"
        "(\\varepsilon' - \\varepsilon)$ and taking expectations ($\\varepsilon'$ is "
        "independent of everything, $E[\\varepsilon^\\top(y - Hy)] = n\\sigma^2 - "
        "\\sigma^2\\operatorname{tr}H$) leaves"
    )
    ch.equation(r"E\left[\frac{1}{n}\|y' - \hat y\|^2\right] - E\left[\frac{1}{n}\|y - "
                r"\hat y\|^2\right] = \frac{2\sigma^2 \operatorname{tr} H}{n} = "
                r"\frac{2\sigma^2 p}{n}")
    ch.text(
        "— the *optimism* of the training error (Efron, 1986), which grows with the number of "
        "parameters and shrinks with the number of samples. Points held out of the fit have no "
        "such bias: given the fitted model, the test points are new draws, so the mean squared "
        "error on them is an unbiased estimate of the error on new data — noisy (it rests on "
        "few points) but honest. That is the whole job of `train_test_split`: a random "
        "partition of the rows, the test part used to judge, never to fit or tune (tuning is "
        "what cross-validation on the training part is for, below)."
    )
    n_repetitions = 100 if ch.quick else 300
    sigma, degree, n_samples = 0.3, 3, 40
    grid = (np.arange(20_000) + 0.5) / 20_000  # midpoints: E_x over x ~ U(0, 1)
    train_error, test_error, true_error, in_sample_error = (np.empty(n_repetitions)
                                                            for _ in range(4))
    for r in range(n_repetitions):
        data = make_sine(n_samples, noise=sigma, random_state=1000 + r)
        X_train, X_test, y_train, y_test = train_test_split(
            data.X, data.y, test_size=0.5, random_state=r)
        model = polynomial(degree).fit(X_train, y_train)
        train_error[r] = np.mean((y_train - model.predict(X_train)) ** 2)
        test_error[r] = np.mean((y_test - model.predict(X_test)) ** 2)
        # The expected squared error of this fit on a new (x, y): σ² + E_x[(f − f̂)²].
        true_error[r] = sigma**2 + np.mean((data.true_function(grid)
                                            - model.predict(grid[:, None])) ** 2)
        # ... and on new responses at the training inputs: σ² + mean_i (f(x_i) − f̂(x_i))².
        in_sample_error[r] = sigma**2 + np.mean((data.true_function(X_train[:, 0])
                                                 - model.predict(X_train)) ** 2)
    ch.text(
        f"An experiment: {n_repetitions} times, draw {n_samples} fresh points of the noisy "
        f"sine ($\\sigma = {sigma:g}$), split them in half at random, fit a cubic (the "
        f"model has $p = {degree + 1}$ parameters with the intercept) on one half and "
        "measure its mean squared error on each half. Because the truth is known, the error "
        "of each fitted model on new data is known too: $\\sigma^2 + E_x[(f(x) - "
        "\\hat f(x))^2]$, averaged over a fine grid of $x$."
    )
    ch.figure(plot_split_estimates(train_error, test_error, true_error), SPLIT_FIGURE)
    n_train = n_samples // 2
    optimism = in_sample_error - train_error

    def standard_error(values: np.ndarray) -> float:
        return float(values.std(ddof=1) / np.sqrt(values.size))

    ch.check(SPLIT_CHECK, f"2σ²p/n = {2 * sigma**2 * (degree + 1) / n_train:.4g}, within "
             "3 standard errors of the mean", abs(optimism.mean() - 2 * sigma**2 *
                                                    (degree + 1) / n_train),
             3 * standard_error(optimism))
    bias = test_error - true_error
    ch.check("test error − error on new data, mean over the splits", "0 (unbiased), within 3 "
             "standard errors of the mean", abs(bias.mean()), 3 * standard_error(bias))
    ch.check_bound("training error − error on new data, mean over the splits",
                   "optimistic: below 0 by more than 3 standard errors",
                   (train_error - true_error).mean(),
                   at_most=-3 * standard_error(train_error - true_error))
    rows = np.arange(n_samples)
    train_rows, test_rows = train_test_split(rows, test_size=0.5, random_state=0)
    ch.check("train_test_split(range(40), test_size=0.5): rows in both parts or in neither",
             "0: a partition into 20 + 20 rows", float(np.abs(np.sort(np.concatenate(
                 [train_rows, test_rows])) - rows).max() + abs(len(test_rows) - n_train)),
             0.0)


# -- 3. bias and variance ----------------------------------------------------------------------


def _bias_variance(ch) -> None:
    from fromscratch.datasets import make_sine
    from fromscratch.model_selection import bias_variance_decomposition
    from fromscratch.plot.model_selection import plot_bias_variance

    ch.heading(BIAS_VARIANCE_HEADING)
    ch.text(
        "Why does the test error rise again? Think of the training set $D$ as random: "
        "another sample would give another fit $\\hat f_D$. At a point $x$ with "
        "$y = f(x) + \\varepsilon$, $E[\\varepsilon] = 0$, $\\mathrm{Var}[\\varepsilon] = "
        "\\sigma^2$, add and subtract the average fit $\\bar f(x) = E_D[\\hat f_D(x)]$ and "
        "expand the square. The cross terms vanish — $E[\\varepsilon] = 0$ with $\\varepsilon$ "
        "independent of $D$, and $E_D[\\hat f_D - \\bar f] = 0$ — leaving three terms:"
    )
    ch.equation(r"E_{D,\varepsilon}\left[(y - \hat f_D(x))^2\right] = "
                r"\left(f(x) - \bar f(x)\right)^2 + "
                r"E_D\left[(\hat f_D(x) - \bar f(x))^2\right] + \sigma^2")
    ch.text(
        "**bias²** (how far the average fit is from the truth: too rigid a model), "
        "**variance** (how much the fit changes from one training set to another: too "
        "flexible a model) and the **noise** $\\sigma^2$, which no model can remove. "
        "`bias_variance_decomposition` estimates the terms by refitting the model on $B$ "
        "bootstrap resamples of one training set (50 points) and predicting 500 test points "
        "whose noiseless $f(x)$ we know."
    )
    train = make_sine(50, noise=0.3, random_state=2)
    test = make_sine(500, noise=0.3, random_state=1)
    n_rounds = 20 if ch.quick else 200
    degrees = list(range(1, 9))
    parts = [bias_variance_decomposition(polynomial(d), train.X, train.y, test.X, test.y,
                                         n_rounds=n_rounds, random_state=0,
                                         y_test_true=test.y_clean)
             for d in degrees]
    ch.figure(plot_bias_variance(degrees, parts, param_name="polynomial degree"),
              BIAS_VARIANCE_FIGURE)
    ch.table(["degree", "bias²", "variance", "noise σ²", "bias² + variance + noise",
              "mean test loss"],
             [[d, p.bias2, p.variance, p.noise, p.bias2 + p.variance + p.noise, p.loss]
              for d, p in zip(degrees, parts, strict=True)],
             "The decomposition against the known truth holds in expectation; on one finite "
             "test set the last two columns differ by the cross term "
             "$\\frac{2}{m}\\sum_j (y_j - f_j)(f_j - \\bar y_j)$, which averages to zero.")
    ch.text(
        "When the truth is unknown (real data), the bias is measured against the observed "
        "$y_j$; then the bootstrap identity $\\frac{1}{B}\\sum_b (y_j - \\hat y_{bj})^2 = "
        "(y_j - \\bar y_j)^2 + \\frac{1}{B}\\sum_b(\\hat y_{bj} - \\bar y_j)^2$ holds exactly "
        "(the cross term $\\sum_b(\\hat y_{bj} - \\bar y_j)$ is zero by the definition of the "
        "mean $\\bar y_j$), with the noise folded into the bias². Given $\\sigma^2$, it is "
        "split off again, still exactly:"
    )
    observed = bias_variance_decomposition(polynomial(3), train.X, train.y, test.X, test.y,
                                           n_rounds=n_rounds, random_state=0)
    ch.check_close("bias² + variance (against the observed y)", "mean test loss: exact identity",
                   observed.bias2 + observed.variance, observed.loss, rtol=1e-12)
    known = bias_variance_decomposition(polynomial(3), train.X, train.y, test.X, test.y,
                                        n_rounds=n_rounds, random_state=0,
                                        noise_variance=0.3**2)
    ch.check_close(BIAS_VARIANCE_CHECK, "mean test loss: exact identity",
                   known.bias2 + known.variance + known.noise, known.loss, rtol=1e-12)
    ch.check_close("mean of the bootstrap predictions' squared deviations",
                   "the decomposition's variance (recomputed from its predictions)",
                   ((observed.predictions - observed.mean_prediction) ** 2).mean(),
                   observed.variance, rtol=1e-12)


# -- 4. coefficient paths ----------------------------------------------------------------------


def _paths(ch) -> None:
    from matplotlib.figure import Figure

    from fromscratch.datasets import load_diabetes
    from fromscratch.linear_model import lasso_path, ridge_path
    from fromscratch.plot.regularization import plot_coefficient_paths

    ch.heading("Coefficient paths")
    ch.text(
        "How do the coefficients change as the penalty grows? `ridge_path` and `lasso_path` "
        "solve for a whole grid of α (ridge: one Gram matrix, one small Cholesky per α; the "
        "lasso: coordinate descent warm-started from the previous α). Ridge shrinks every "
        "coefficient smoothly towards zero but never to exactly zero. The lasso — the L1 "
        "penalty $\\alpha\\|w\\|_1$, next sections — sets coefficients *exactly* to zero: as "
        "α decreases from $\\alpha_{\\max} = \\|X^\\top y\\|_\\infty/n$ (where all are zero) "
        "the variables enter one at a time. It selects variables."
    )
    diabetes = load_diabetes()
    X, y, names = diabetes.X, diabetes.y, list(diabetes.feature_names)
    n_alphas = 150 if ch.quick else 300
    ridge_alphas, ridge_coefs = ridge_path(X, y, alphas=np.geomspace(1e3, 1e-4, 60),
                                          fit_intercept=True)
    lasso_alphas, lasso_coefs, _ = lasso_path(X, y, n_alphas=n_alphas, eps=1e-4, tol=1e-6,
                                              fit_intercept=True)
    fig = Figure(figsize=(11.0, 4.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_coefficient_paths(ridge_alphas, ridge_coefs, feature_names=names,
                           title="Ridge: smooth shrinkage", ax=left)
    plot_coefficient_paths(lasso_alphas, lasso_coefs, feature_names=names,
                           title="Lasso: variables enter one at a time", ax=right)
    ch.figure(fig, "Coefficient paths on the diabetes data (10 standardized variables), from "
              "a strong penalty (left end of each panel) to almost none (right end, "
              "least squares).")
    entered = np.array([int(np.argmax(path != 0)) if np.any(path != 0) else lasso_alphas.size
                        for path in lasso_coefs])
    order = [names[j] for j in np.argsort(entered, kind="stable")]
    distinct = np.unique(entered).size == entered.size
    ch.text(
        f"The lasso admits the variables in the order {', '.join(order)} — the order Efron, "
        "Hastie, Johnstone and Tibshirani (2004) report for these data in *Least angle "
        "regression* (their Figure 1: bmi, ltg, map, hdl, sex, glu, tc, tch, ldl, age)."
    )
    mismatches = sum(a != b for a, b in zip(order, EFRON_LASSO_ORDER, strict=True))
    ch.check("lasso path: order in which the variables enter (positions that differ)",
             "Efron et al. (2004), Figure 1: " + ", ".join(EFRON_LASSO_ORDER),
             float(mismatches if distinct else len(order)), 0.0,
             detail=f"each variable enters at a different α of the {n_alphas}-point grid"
             if distinct else "two variables entered at the same grid point: refine the grid")


# -- 5. the constraint view --------------------------------------------------------------------


def _boundary_minimum(rss, boundary: np.ndarray) -> np.ndarray:
    """The point of ``boundary`` (rows) with the smallest residual sum of squares."""
    return boundary[int(np.argmin(rss(boundary)))]


def _constraint_view(ch) -> None:
    from fromscratch.linear_model import Lasso, Ridge
    from fromscratch.plot.regularization import plot_constraint_regions

    ch.heading(CONSTRAINT_HEADING)
    ch.text(
        "A penalty is a budget in disguise. For ridge, whose penalty is the *squared* norm, "
        "minimizing the loss within a disc of radius $t$ and minimizing the loss plus "
        "$\\alpha\\|w\\|_2^2$ give the same solutions, each $t$ matching one $\\alpha$; the "
        "lasso's budget is a diamond, $\\|w\\|_1 \\le t$ (with the loss in scikit-learn's "
        "scaling, $\\frac{1}{2n}\\mathrm{RSS}$). The solutions below come from the library's "
        "`Ridge` and `Lasso`:"
    )
    ch.equation(r"\min_w\ \mathrm{RSS}(w)\ \ \mathrm{s.t.}\ \ \|w\|_2^2 \leq t^2"
                r"\quad\Leftrightarrow\quad \min_w\ \mathrm{RSS}(w) + \alpha\|w\|_2^2")
    ch.equation(r"\min_w\ \tfrac{1}{2n}\mathrm{RSS}(w)\ \ \mathrm{s.t.}\ \ \|w\|_1 \leq t"
                r"\quad\Leftrightarrow\quad \min_w\ \tfrac{1}{2n}\mathrm{RSS}(w) + "
                r"\alpha\|w\|_1")
    ch.text(
        "**Lagrange multipliers.** The constrained problem's Lagrangian is "
        "$L(w, \\lambda) = \\mathrm{RSS}(w) + \\lambda(\\|w\\|_2^2 - t^2)$ with $\\lambda \\ge "
        "0$. Both the loss and the disc are convex, so a point is optimal exactly when it "
        "satisfies the Karush–Kuhn–Tucker conditions: stationarity $\\nabla_w L = "
        "\\nabla\\mathrm{RSS}(w) + 2\\lambda w = 0$, feasibility, and $\\lambda(\\|w\\|_2^2 - "
        "t^2) = 0$. Stationarity with $\\lambda = \\alpha$ is word for word the condition "
        "$\\nabla(\\mathrm{RSS} + \\alpha\\|w\\|^2) = 0$ that defines the ridge solution. So "
        "$\\hat w_\\alpha$ solves the constrained problem for the radius $t(\\alpha) = "
        "\\|\\hat w_\\alpha\\|_2$, with multiplier $\\lambda = \\alpha$; conversely, a budget "
        "$t$ smaller than the least-squares norm is active, its multiplier is positive, and "
        "that multiplier is the α of the penalized problem. With $\\nabla\\mathrm{RSS}(w) = "
        "-2X^\\top r$, $r = y - Xw$:"
    )
    ch.equation(r"\nabla\mathrm{RSS}(\hat w) = -2\alpha\,\hat w \quad\Longleftrightarrow\quad "
                r"X^\top r = \alpha\hat w, \qquad \lambda = \alpha = "
                r"\frac{(X^\top r)^\top \hat w}{\|\hat w\|^2}")
    ch.text(
        "The multiplier is also the *price* of the budget. Along the ridge solutions, "
        "$\\frac{d}{d\\alpha}\\mathrm{RSS}(\\hat w_\\alpha) = \\nabla\\mathrm{RSS}^\\top "
        "\\frac{d\\hat w_\\alpha}{d\\alpha} = -2\\alpha\\,\\hat w_\\alpha^\\top\\frac{d\\hat "
        "w_\\alpha}{d\\alpha} = -\\alpha\\frac{d}{d\\alpha}\\|\\hat w_\\alpha\\|^2$: each unit "
        "of squared radius given up raises the least attainable loss by α, "
        "$d\\,\\mathrm{RSS}^*/d(t^2) = -\\alpha$.\n\n"
        "In two dimensions it can be drawn. At the optimum the lowest contour of the loss "
        "*touches* the constraint set, tangent to it. The L2 ball is round, so the touching "
        "point is generic: both coefficients non-zero. The L1 ball is a diamond whose corners "
        "lie on the axes and stick out towards the contours; the lowest contour often hits a "
        "corner, where one coefficient is exactly zero — in many dimensions the corners and "
        "edges are where most coefficients are zero. That is why the lasso selects variables "
        "and ridge does not."
    )
    rng = np.random.default_rng(0)
    n_samples = 50
    Z = rng.standard_normal((n_samples, 2))
    X = np.column_stack([Z[:, 0], 0.6 * Z[:, 0] + 0.8 * Z[:, 1]])  # correlation 0.6
    X -= X.mean(axis=0)
    y = X @ np.array([1.5, 0.5]) + rng.standard_normal(n_samples)
    y -= y.mean()
    alpha_ridge, alpha_lasso = CONSTRAINT_ALPHAS
    w_ridge = Ridge(alpha=alpha_ridge, fit_intercept=False).fit(X, y).coef_
    w_lasso = Lasso(alpha=alpha_lasso, fit_intercept=False, tol=1e-12).fit(X, y).coef_
    ch.figure(plot_constraint_regions(X, y, w_ridge, w_lasso), CONSTRAINT_FIGURE)
    ch.text(
        "Checked by brute force, without any solver: the least residual sum of squares over "
        "200 000 points on the boundary of each constraint set (corners included exactly) is "
        "found where the penalized solvers put the solution — and, the other way round, the "
        "brute-force optimum for a budget chosen first ($t = 1$) is the ridge solution for the "
        "multiplier read off it. The stationarity condition holds as a vector, the multiplier "
        "equals α, and the price of the budget is α by central differences along the path. "
        "At the lasso's corner, the zero coefficient stays zero because its correlation with "
        "the residual is inside the subgradient interval, $|x_2^\\top r|/n \\leq \\alpha$."
    )
    gram, correlation, yy = X.T @ X, X.T @ y, float(y @ y)

    def rss(W: np.ndarray) -> np.ndarray:
        return yy - 2.0 * W @ correlation + np.einsum("ki,ij,kj->k", W, gram, W)

    n_points = 200_000
    angle = np.linspace(0.0, 2.0 * np.pi, n_points, endpoint=False)
    t2 = float(np.sqrt(w_ridge @ w_ridge))
    disc = t2 * np.column_stack([np.cos(angle), np.sin(angle)])
    t1 = float(np.abs(w_lasso).sum())
    s = np.linspace(0.0, 1.0, n_points // 4, endpoint=False)[:, None]
    corners = t1 * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 0.0]])
    diamond = np.vstack([(1 - s) * a + s * b for a, b in zip(corners[:-1], corners[1:],
                                                                 strict=True)])
    spacing = 2.0 * np.pi * t2 / n_points
    ch.check_close("ridge solution", "brute-force minimum of RSS on the circle ‖w‖₂ = t",
                   w_ridge, _boundary_minimum(rss, disc), atol=2 * spacing, rtol=0.0)
    ch.check_close("lasso solution", "brute-force minimum of RSS on the diamond ‖w‖₁ = t "
                   "(a corner)", w_lasso, _boundary_minimum(rss, diamond),
                   atol=8 * t1 / n_points, rtol=0.0)
    residual = y - X @ w_ridge
    ch.check_close(CONSTRAINT_CHECK, "−2αŵ: the Lagrange condition with λ = α",
                   -2.0 * X.T @ residual, -2.0 * alpha_ridge * w_ridge, rtol=1e-10)
    ch.check_close("Lagrange multiplier at the ridge optimum (Xᵀr)ᵀw/‖w‖²",
                   "the penalty α", float((X.T @ residual) @ w_ridge / (w_ridge @ w_ridge)),
                   alpha_ridge, rtol=1e-8)

    def rss_and_radius(alpha: float) -> tuple[float, float]:
        w = Ridge(alpha=alpha, fit_intercept=False).fit(X, y).coef_
        return float(rss(w[None, :])[0]), float(w @ w)

    h = 1e-3 * alpha_ridge
    (rss_plus, t2_plus), (rss_minus, t2_minus) = (rss_and_radius(alpha_ridge + h),
                                                  rss_and_radius(alpha_ridge - h))
    # Central differences of two smooth functions of α: the ratio's error is O(h²) ~ 1e-6 α.
    ch.check_close("the budget's price ΔRSS*/Δ(t²) along the ridge path (central differences)",
                   "−α", (rss_plus - rss_minus) / (t2_plus - t2_minus), -alpha_ridge,
                   rtol=1e-5)
    budget = 1.0
    w_budget = _boundary_minimum(rss, budget * np.column_stack([np.cos(angle), np.sin(angle)]))
    multiplier = float((X.T @ (y - X @ w_budget)) @ w_budget) / budget**2
    ch.check_close(f"brute-force optimum on the circle ‖w‖₂ = {budget:g}",
                   f"Ridge with the multiplier read off it (α = {multiplier:.4g})",
                   w_budget, Ridge(alpha=multiplier, fit_intercept=False).fit(X, y).coef_,
                   atol=2 * 2.0 * np.pi * budget / n_points, rtol=0.0)
    residual = y - X @ w_lasso
    ch.check_bound("|x₂ᵀr|/n at the lasso's corner (w₂ = 0)", f"≤ α = {alpha_lasso:g}: the "
                   "subgradient condition keeps w₂ at zero",
                   abs(float(X[:, 1] @ residual)) / n_samples, at_most=alpha_lasso)


# -- 6. the lasso ------------------------------------------------------------------------------


def _lasso(ch) -> None:
    from fromscratch.datasets import load_diabetes
    from fromscratch.linalg import qr
    from fromscratch.linear_model import Lasso, Ridge
    from fromscratch.plot.regularization import plot_shrinkage

    ch.heading(LASSO_HEADING)
    ch.text(
        "The lasso (Tibshirani, 1996) uses the L1 norm, with scikit-learn's scaling of the "
        "loss (the library's `Lasso`, solved by coordinate descent):"
    )
    ch.equation(r"\min_{w, b}\ \frac{1}{2n}\|y - Xw - b\mathbf{1}\|^2 + \alpha\|w\|_1")
    ch.text(
        "$|w_j|$ has no derivative at 0, so there is no normal equation; but the problem in "
        "*one* coordinate, the others fixed, is solved in closed form. With the partial "
        "residual $r_{(j)} = y - \\sum_{k \\neq j} x_k w_k$ (centered data), the "
        "one-dimensional objective $\\frac{1}{2n}\\|r_{(j)} - x_j w_j\\|^2 + \\alpha|w_j|$ "
        "is minimized where 0 lies in its subdifferential, $\\frac{1}{n}(\\|x_j\\|^2 w_j - "
        "x_j^\\top r_{(j)}) + \\alpha\\,\\partial|w_j|$ with $\\partial|0| = [-1, 1]$. "
        "Solving the three cases $w_j > 0$, $w_j < 0$, $w_j = 0$ gives the coordinate update"
    )
    ch.equation(r"w_j \leftarrow \frac{S\left(x_j^\top r_{(j)}/n,\ \alpha\right)}"
                r"{\|x_j\|^2/n}, \qquad S(z, \alpha) = \mathrm{sign}(z)\,"
                r"\max(|z| - \alpha,\ 0)")
    ch.text(
        "the *soft-thresholding* operator: a correlation smaller than α gives exactly zero. "
        "*Coordinate descent* cycles through the coordinates until the *duality gap* — an "
        "upper bound on the distance to the optimal objective, computed from a dual-feasible "
        "point built from the residual — is below `tol` (the next section shows the code). With "
        "orthonormal features the coordinates decouple and one update is the whole solution:"
    )
    ch.figure(plot_shrinkage(1.0), LASSO_FIGURE)

    # Orthonormal design: the closed forms are the whole solution.
    rng = np.random.default_rng(1)
    n_samples, n_features = 200, 8
    Q, _ = qr(rng.standard_normal((n_samples, n_features)))
    X_orth = np.sqrt(n_samples) * Q  # X^T X = n I
    y_orth = X_orth @ rng.normal(0.0, 1.0, n_features) + rng.normal(0.0, 1.0, n_samples)
    z = X_orth.T @ y_orth / n_samples
    alpha = 0.5
    lasso = Lasso(alpha=alpha, fit_intercept=False, tol=1e-14).fit(X_orth, y_orth)
    ch.check_close(f"Lasso on an orthonormal design (XᵀX = nI, α = {alpha:g})",
                   "soft-thresholding S(Xᵀy/n, α)", lasso.coef_,
                   np.sign(z) * np.maximum(np.abs(z) - alpha, 0.0), rtol=1e-10)
    ridge = Ridge(alpha=n_samples * alpha, fit_intercept=False).fit(X_orth, y_orth)
    ch.check_close(f"Ridge on the same design (α = n·{alpha:g})", "proportional shrinkage "
                   "z/(1 + α/n)", ridge.coef_, z / (1.0 + alpha), rtol=1e-10)

    ch.text(
        "On real data the coordinates do not decouple, and the checks are the optimality "
        "(KKT) conditions. At the optimum, with $r = y - Xw - b\\mathbf{1}$, every "
        "coefficient satisfies $x_j^\\top r/n \\in \\alpha\\,\\partial|w_j|$:"
    )
    ch.equation(r"\frac{1}{n}x_j^\top r = \alpha\,\mathrm{sign}(w_j)\ \ (w_j \neq 0), "
                r"\qquad \frac{1}{n}|x_j^\top r| \leq \alpha\ \ (w_j = 0)")
    diabetes = load_diabetes()
    X, y = diabetes.X, diabetes.y
    alpha = 0.2
    tol = 1e-12
    cd = Lasso(alpha=alpha, tol=tol, max_iter=10_000, solver="cd").fit(X, y)
    correlation = X.T @ (y - cd.predict(X)) / X.shape[0]
    active = cd.coef_ != 0
    ch.text(
        f"Diabetes data, α = {alpha:g}: the lasso keeps {int(active.sum())} of the 10 "
        f"variables ({', '.join(np.asarray(diabetes.feature_names)[active])})."
    )
    ch.check("KKT, non-zero coefficients: max |x_jᵀr/n − α·sign(w_j)| / α",
             "stationarity", float(np.abs(correlation[active] - alpha * np.sign(
                 cd.coef_[active])).max()) / alpha, 1e-5)
    ch.check(LASSO_CHECK, "≤ 0: inside the "
             "subgradient interval", float((np.abs(correlation[~active]) - alpha).max())
             / alpha, 1e-5)
    yc = y - y.mean()
    ch.check("duality gap of the coordinate-descent answer", "≤ tol·‖y − ȳ‖²/n (the stopping "
             "rule)", cd.dual_gap_, tol * float(yc @ yc) / X.shape[0])


# -- 7. Ames house prices ----------------------------------------------------------------------


def _path_cv_errors(preprocess, X, y, folds, paths):
    """RMSE of every penalty of each path (rows) on every validation fold (columns).

    Per fold the preprocessing is fitted on the training part only; each ``paths[name](Z, y)``
    returns the coefficients of all its penalties at once on centered data (shape
    ``(n_features, n_alphas)``); the intercept is the centering's $\\bar y - \\bar z^\\top w$.
    Returns ``{name: errors of shape (n_alphas, n_folds)}``.
    """
    from fromscratch.base import clone

    errors = {name: [] for name in paths}
    for train, valid in folds:
        transform = clone(preprocess).fit(X.iloc[train])
        Z_train, Z_valid = transform.transform(X.iloc[train]), transform.transform(X.iloc[valid])
        z_mean, y_mean = Z_train.mean(axis=0), y[train].mean()
        for name, path in paths.items():
            coefs = path(Z_train - z_mean, y[train] - y_mean)
            predictions = y_mean + (Z_valid - z_mean) @ coefs
            errors[name].append(np.sqrt(((y[valid, None] - predictions) ** 2).mean(axis=0)))
    return {name: np.column_stack(columns) for name, columns in errors.items()}


def _independent_columns(Z: np.ndarray, rtol: float = 1e-9) -> np.ndarray:
    r"""Mask of the columns of ``Z`` (centered) that are not combinations of earlier ones.

    Householder QR without pivoting: :math:`|R_{jj}|` is the distance of column :math:`j` from
    the span of columns :math:`1..j-1`, so a (relatively) zero :math:`R_{jj}` marks a
    dependent column."""
    from fromscratch.linalg import qr

    diagonal = np.abs(np.diag(qr(Z - Z.mean(axis=0), mode="r")))
    return diagonal > rtol * diagonal.max()


def _ames(ch) -> None:
    from matplotlib.figure import Figure

    from fromscratch.compose import ColumnTransformer, make_pipeline
    from fromscratch.datasets import MissingDataPackageError, load_ames
    from fromscratch.linear_model import Lasso, LinearRegression, Ridge, lasso_path, ridge_path
    from fromscratch.metrics import r2_score
    from fromscratch.model_selection import KFold, cross_val_score, train_test_split
    from fromscratch.plot.regularization import (
        plot_alpha_cv,
        plot_predicted_vs_actual,
        plot_top_coefficients,
    )
    from fromscratch.preprocessing import OneHotEncoder, StandardScaler

    ch.heading(AMES_HEADING)
    try:
        ames = load_ames()
    except MissingDataPackageError as error:
        ch.skip("Ames application", "the Ames data", str(error))
        return
    numeric, categorical = list(ames.numeric_features), list(ames.categorical_features)
    ch.text(
        f"De Cock's Ames data: {ames.X.shape[0]:,} house sales in Ames, Iowa (2006–2010), "
        f"{len(numeric)} numeric features (areas, years, counts, coordinates) and "
        f"{len(categorical)} categorical ones (neighbourhood, quality ratings, materials...). "
        "The target is the sale price. Prices are right-skewed and their errors scale with "
        "the price, so we model $\\log(\\mathrm{price})$: a coefficient $w_j$ then multiplies "
        "the price by $e^{w_j}$, and an RMSE of 0.1 in log price is an error of about 10 %."
    )
    X = ames.X
    y = np.log(ames.y)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    preprocess = ColumnTransformer([
        ("num", StandardScaler(), numeric),
        ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
    ])
    Z_train = preprocess.fit_transform(X_train)
    names = preprocess.get_feature_names_out()
    ch.text(
        "**Features.** A `ColumnTransformer` standardizes the numeric columns (so one penalty "
        "is fair to square feet and to years) and one-hot encodes each categorical column "
        "(one 0/1 column per category; a category unseen in training encodes as all zeros). "
        f"{len(X_train):,} training and {len(X_test):,} test sales; the design matrix has "
        f"{len(names)} columns. The transformer is part of each model's `Pipeline`, so it is "
        "fitted on training data only — in cross-validation, on each training fold."
    )

    # -- least squares -----------------------------------------------------------------------
    keep = _independent_columns(Z_train)
    group_sizes = [len(c) for c in preprocess.named_transformers_["cat"].categories_]
    last_of_group = len(numeric) + np.cumsum(group_sizes) - 1
    structural = [str(names[j]) for j in np.flatnonzero(~keep) if j not in set(last_of_group)]
    ols = make_pipeline(preprocess, ColumnTransformer([
        ("independent", "passthrough", np.flatnonzero(keep).tolist())]), LinearRegression())
    ols.fit(X_train, y_train)
    ch.text(
        "**Least squares first.** On this design `LinearRegression` warns "
        "(`RankDeficientWarning`): the columns are linearly dependent, and it returns the "
        "minimum-norm solution among the many that fit. The Householder QR factor of the "
        "centered design shows which ones — $|R_{jj}|$ is the distance of column $j$ from the "
        "span of the columns before it, so $R_{jj} \\approx 0$ marks a dependent column. It "
        f"marks {int((~keep).sum())}: the last category of each of the {len(categorical)} "
        "categorical features (the columns of a feature add up to the intercept's column of "
        "ones: the *dummy-variable trap*) and "
        f"{', '.join(f'`{name}`' for name in structural)} (a house without basement or "
        "garage says so in several columns at once; a two-family conversion is both a "
        "building type and a sub-class). Least squares is fitted on the "
        f"{int(keep.sum())} independent columns. Ridge and the lasso need none of this: the "
        "penalty makes the solution unique."
    )
    ch.check("rank of the one-hot design found by QR", "columns − categorical features − "
             "structural duplicates (each group of dummies sums to the intercept's column)",
             abs(int(keep.sum()) - (len(names) - len(categorical) - len(structural))), 0)

    # -- choosing alpha --------------------------------------------------------------------------
    n_splits = 3 if ch.quick else 5
    n_alphas = 6 if ch.quick else 25
    folds = list(KFold(n_splits, shuffle=True, random_state=0).split(X_train))
    ridge_alphas = np.geomspace(3000.0, 0.3, n_alphas)
    lasso_alphas = np.geomspace(0.05, 2e-4, n_alphas)
    cv_errors = _path_cv_errors(preprocess, X_train, y_train, folds, {
        "ridge": lambda Z, t: ridge_path(Z, t, alphas=ridge_alphas)[1],
        "lasso": lambda Z, t: lasso_path(Z, t, alphas=lasso_alphas, max_iter=5000)[1],
    })
    ridge_cv, lasso_cv = cv_errors["ridge"], cv_errors["lasso"]
    ridge_alpha = float(ridge_alphas[np.argmin(ridge_cv.mean(axis=1))])
    lasso_alpha = float(lasso_alphas[np.argmin(lasso_cv.mean(axis=1))])
    ch.text(
        f"**Choosing α by cross-validation.** The training set is cut into {n_splits} "
        "folds; each fold in turn is held out while the model is fitted on the rest, and the "
        "RMSE on the held-out fold is averaged. Instead of refitting for each α, every fold "
        "computes a whole path (`ridge_path`, `lasso_path`) on its own preprocessed "
        f"training part: {n_alphas} penalties for about the price of one fit. The α with the "
        "lowest mean validation RMSE is refitted on the whole training set. The test set "
        "plays no part."
    )
    fig = Figure(figsize=(11.0, 4.0), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_alpha_cv(ridge_alphas, ridge_cv, error_name="RMSE of log price",
                  title="Ridge", ax=left)
    plot_alpha_cv(lasso_alphas, lasso_cv, error_name="RMSE of log price",
                  title="Lasso", ax=right)
    ch.figure(fig, f"{n_splits}-fold cross-validation RMSE (log price) against α, with ± one "
              "standard error of the mean over the folds. Too large an α underfits (right "
              "of the minimum: high bias), too small an α lets the 300 columns overfit "
              "(left: high variance).")
    best_ridge = make_pipeline(preprocess, Ridge(alpha=ridge_alpha))
    ch.check_close(f"path-based CV RMSE of ridge at α = {ridge_alpha:.3g}",
                   "cross_val_score of the Pipeline on the same folds",
                   ridge_cv[np.argmin(ridge_cv.mean(axis=1))],
                   -cross_val_score(best_ridge, X_train, y_train, cv=folds,
                                    scoring="neg_root_mean_squared_error"), rtol=1e-8)

    # -- the comparison ------------------------------------------------------------------------
    ridge = best_ridge.fit(X_train, y_train)
    lasso = make_pipeline(preprocess, Lasso(alpha=lasso_alpha, max_iter=5000)).fit(
        X_train, y_train)
    models = {"least squares": ols, f"ridge (α = {ridge_alpha:.3g})": ridge,
              f"lasso (α = {lasso_alpha:.3g})": lasso}
    predictions = {name: model.predict(X_test) for name, model in models.items()}
    price = np.exp(y_test)
    rows = []
    for (name, model), prediction in zip(models.items(), predictions.values(), strict=True):
        coef = model[-1].coef_
        rows.append([name, int(np.count_nonzero(coef)), r2_score(y_test, prediction),
                     rmse(y_test, prediction), rmse(price, np.exp(prediction))])
    ch.table(["model", "non-zero coefficients", "test R² (log price)", "test RMSE (log)",
              "test RMSE (dollars)"], rows,
             "Test-set results. An RMSE of about 0.11–0.12 in log price is a typical error "
             "of 11–12 %; in dollars the error is dominated by the most expensive houses.")
    ols_rmse, ridge_rmse, lasso_rmse = (row[3] for row in rows)
    ch.text(
        f"The penalties lower the test RMSE from {ols_rmse:.3f} (least squares) to "
        f"{ridge_rmse:.3f} (ridge) and {lasso_rmse:.3f} (the lasso): least squares spends "
        f"its {int(keep.sum())} free coefficients partly on noise — a category with a "
        "handful of sales gets whatever coefficient fits those few prices. The lasso "
        f"predicts as well as ridge with {rows[2][1]} non-zero coefficients instead of "
        f"{rows[1][1]}.\n\n"
        "One subtlety: a category never seen in training (a test house has a roof material "
        "absent from the training set) encodes as all zeros. For ridge and the lasso that "
        "means *no effect of this feature*; for least squares, whose remaining dummies "
        "measure each category against the dropped one, it means *the dropped category*. "
        "Which category is dropped is arbitrary, yet it changes that house's prediction, by "
        "a lot when the dropped category is a rare one whose coefficient was fitted to a "
        "single sale."
    )
    ch.figure(plot_predicted_vs_actual(price, {name: np.exp(p) for name, p in
                                               predictions.items()},
                                       log_scale=True, unit=" $"), AMES_FIGURE)
    for name, row in zip(models, rows, strict=True):
        if not name.startswith("least"):
            ch.check_bound(f"{name.split(' (')[0]}: test R² on log price", "goal ≥ 0.85",
                           row[2], at_least=0.85)

    # -- what the lasso keeps ----------------------------------------------------------------------
    coef = lasso[-1].coef_
    kept = np.flatnonzero(coef)
    top = kept[np.argsort(-np.abs(coef[kept]))][:12]
    ch.text(
        f"**The features the lasso keeps**: {kept.size} of {coef.size} columns; "
        f"{coef.size - kept.size} are exactly zero. The largest effects (numeric features "
        "per standard deviation, a category relative to the others of its feature):"
    )
    ch.table(["feature", "coefficient (log price)", "price factor e^w",
              "training sales with the category"],
             [[str(names[j]), float(coef[j]), float(np.exp(coef[j])),
               int(Z_train[:, j].sum()) if str(names[j]).startswith("cat__") else "—"]
              for j in top],
             "A price factor of 1.10 means 10 % more expensive, everything else equal. The "
             "largest coefficients include rare categories (a handful of sales): their 0/1 "
             "columns have a small spread, so a large coefficient costs the same penalty "
             "but moves few predictions — one reason to read lasso coefficients with care.")
    ch.figure(plot_top_coefficients(coef, names, top=20,
                                    title="Lasso on Ames: the 20 largest coefficients"),
              "The twenty largest lasso coefficients (blue: raises the price, red: lowers it).")
    ch.check("lasso on Ames: duality gap", "≤ tol·‖y − ȳ‖²/n (converged)",
             lasso[-1].dual_gap_, 1e-4 * float(((y_train - y_train.mean()) ** 2).sum())
             / len(y_train))
