"""Chapter: logistic regression — log-odds, odds ratios, maximum likelihood, seven ways to fit
it, Newton's step as a weighted least-squares fit, and class weights
(:mod:`._logistic_weights`).

The library never imports its references (the from-scratch rule covers the tour too), so the
checks here are independent routes to the same numbers — optimality conditions, automatic
differentiation, numerical integration; the comparisons with scikit-learn and statsmodels, number
for number, are in ``tests/linear_model/test_logistic*.py``.

What the model is (two classes and many, the model defined, one neuron), why maximum likelihood
has no closed form, the gradient and Hessian pictured and checked, gradient descent under its
guarantee, and the blog's experiment at its settings are sections of ``_logistic_model``,
``_logistic_fitting`` and ``_logistic_blog``; ``TOPICS`` says where each topic is taught."""

from __future__ import annotations

import time
import warnings

import numpy as np

from fromscratch.tour import _logistic_blog as blog
from fromscratch.tour import _logistic_fitting as fitting
from fromscratch.tour import _logistic_model as model_sections
from fromscratch.tour._logistic_weights import class_weights, irls_is_weighted_least_squares

TITLE = "Logistic regression"

# The chapter's own headings, figures and checks that the topic table quotes.
FIGURE_D1 = ("The sigmoid (left) maps any score to a probability; its inverse, the logit "
             "(right), maps a probability back to a score.")
HEADING_D3 = "Log-odds and odds ratios"
FIGURE_D3 = ("Odds ratios per standard deviation of each feature, with 95 % intervals on a "
             "log axis; an interval that crosses 1 would be a feature without a significant "
             "effect.")
CHECK_D3 = "odds after one more unit of feature j / odds before, every j"
HEADING_D6 = "Maximum likelihood, and the derivatives by hand"
HEADING_D8 = "From gradient descent to Newton"
FIGURE_D8 = ("Training loss per epoch, both axes logarithmic (L-BFGS and Newton: per "
             "iteration); the dashed curve is the validation loss of the early-stopped run, "
             "the circle the epoch it kept.")
CHECK_D8 = "mini-batch + Nesterov: final training loss / Newton's − 1"
#: The stochastic runs' goal: their final training loss within this of Newton's minimum.
STOCHASTIC_GAP = 0.10

#: Where each curriculum topic D1–D8 is taught: section heading, figure caption, check name
#: (exactly as the report shows them; the introduction's topic table reads this).
TOPICS = {
    "D1": {"section": model_sections.HEADING_D1, "figure": FIGURE_D1,
           "check": model_sections.CHECK_D1},
    "D2": {"section": model_sections.HEADING_D2, "figure": model_sections.FIGURE_D2,
           "check": model_sections.CHECK_D2},
    "D3": {"section": HEADING_D3, "figure": FIGURE_D3, "check": CHECK_D3},
    "D4": {"section": model_sections.HEADING_D4, "figure": model_sections.FIGURE_D4,
           "check": model_sections.CHECK_D4},
    "D5": {"section": fitting.HEADING_D5, "figure": fitting.FIGURE_D5,
           "check": fitting.CHECK_D5},
    "D6": {"section": HEADING_D6, "figure": fitting.FIGURE_D6, "check": fitting.CHECK_D6},
    "D7": {"section": fitting.HEADING_D7, "figure": fitting.FIGURE_D7,
           "check": fitting.CHECK_D7},
    "D8": {"section": HEADING_D8, "figure": FIGURE_D8, "check": CHECK_D8},
}


def _standardized_split(X, y, random_state=0):
    from fromscratch.model_selection import train_test_split
    from fromscratch.preprocessing import StandardScaler

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=random_state, stratify=y)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def run(ch) -> None:
    from fromscratch.datasets import load_breast_cancer

    cancer = load_breast_cancer()
    _what_it_is(ch)
    model_sections.two_and_more_classes(ch)
    model_sections.defining_the_model(ch)
    _odds_ratios(ch, cancer)
    X_train, X_test, y_train, y_test = _standardized_split(cancer.X, cancer.y)
    model_sections.linear_then_activation(ch, X_train, y_train, cancer.feature_names)
    _derivatives(ch, X_train, y_train)
    fitting.derivative_pictures(ch, X_train, y_train, cancer)
    fitting.no_closed_form(ch, cancer)
    fitting.gradient_descent_section(ch, X_train, y_train)
    newton = _solvers(ch, X_train, X_test, y_train, y_test)
    blog.blog_experiment(ch, cancer)
    _textbook_newton(ch, newton, X_train, y_train)
    _newton_cost(ch)
    irls_is_weighted_least_squares(ch, cancer)
    _decision_boundaries(ch)
    _l1_penalty(ch, X_train, y_train)
    class_weights(ch)


# -- what it is --------------------------------------------------------------------------------


def _what_it_is(ch) -> None:
    from fromscratch.plot.logistic import plot_sigmoid

    ch.heading(model_sections.HEADING_D1)
    ch.text(
        "Logistic regression predicts a *probability* for a yes/no question — is this tumour "
        "benign? — from features $x$. It is a linear model followed by a non-linear "
        "*activation*: a score $z = w^\\top x + b$, exactly as in linear regression, squashed "
        "into $(0, 1)$ by the sigmoid. Every neural network classifier ends with this same "
        "layer; logistic regression is the network with no hidden layers. The library's "
        "`fromscratch.linear_model.logistic.sigmoid` computes $\\sigma$ without overflow, and "
        "`fromscratch.linear_model.logistic.softmax` its many-class generalization."
    )
    ch.equation(r"p(x) = P(y = 1 \mid x) = \sigma(w^\top x + b), \qquad "
                r"\sigma(z) = \frac{1}{1 + e^{-z}}")
    ch.figure(plot_sigmoid(), FIGURE_D1)


# -- log-odds and odds ratios ------------------------------------------------------------------


def _odds_ratios(ch, cancer) -> None:
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.plot.logistic import plot_odds_ratios, plot_sigmoid
    from fromscratch.preprocessing import StandardScaler

    X_all, y_all = cancer.X, cancer.y
    names = list(cancer.feature_names)
    ch.heading(HEADING_D3)
    ch.text(
        "Invert the sigmoid and the model reads $\\log\\frac{p}{1-p} = w^\\top x + b$: the "
        "*log-odds* are linear in the features. The odds $p/(1-p)$ are what a bookmaker "
        "quotes (odds 3 = three to one = probability 0.75). One more unit of feature $j$ adds "
        "$w_j$ to the log-odds, so it **multiplies the odds by $e^{w_j}$**, the *odds ratio*, "
        "whatever the other features are. An odds ratio of 1.8 means 80 % higher odds per "
        "unit — not 80 % higher probability: odds 1 (p = 0.5) become 1.8 (p = 0.64), odds 9 "
        "(p = 0.9) become 16.2 (p = 0.94)."
    )
    column = names.index("worst concave points")
    x1 = StandardScaler().fit_transform(X_all[:, [column]])
    one = LogisticRegression(C=np.inf).fit(x1, y_all)
    ch.figure(plot_sigmoid(one, x1, y_all),
              "One standardized feature (worst concave points) of the breast-cancer data, "
              f"class 1 = {cancer.target_names[1]}: the probability is a sigmoid in $x$, the "
              "log-odds a straight line.")

    chosen = ["mean radius", "mean texture", "mean concave points"]
    X3 = StandardScaler().fit_transform(X_all[:, [names.index(c) for c in chosen]])
    try:
        import pandas as pd

        X3_named = pd.DataFrame(X3, columns=chosen)
    except ImportError:  # pragma: no cover - pandas is in the data extra
        X3_named = X3
    stats_model = LogisticRegression(C=np.inf, tol=1e-10).fit(X3_named, y_all)
    summary = stats_model.summary()
    ch.text(
        "Statistics software reports the unpenalized fit as a table. The standard errors "
        "come from the curvature of the log-likelihood at its maximum (the observed "
        "information $\\tilde X^\\top S \\tilde X$, inverted here with our own Cholesky "
        "factorization); $z = \\hat w_j/\\mathrm{se}_j$ and the p-value "
        "$\\mathrm{erfc}(|z|/\\sqrt{2})$ use the normal distribution, whose $\\mathrm{erfc}$ we "
        "compute from a series and a continued fraction. Three features of the breast-cancer "
        f"data, standardized (so odds ratios are per standard deviation), class 1 = "
        f"{cancer.target_names[1]}:"
    )
    ch.table(
        ["", "coef", "std err", "z", "P>|z|", "[0.025", "0.975]", "odds ratio", "OR 0.025",
         "OR 0.975"],
        [[name, *(float(summary[c][i]) for c in
                  ("coef", "std_err", "z", "p_value", "ci_lower", "ci_upper", "odds_ratio",
                   "odds_ratio_lower", "odds_ratio_upper"))]
         for i, name in enumerate(summary.names)],
        f"LogisticRegression(C=np.inf).summary(): log-likelihood {summary.log_likelihood:.4f}, "
        f"deviance {summary.deviance:.4f}, AIC {summary.aic:.4f}, "
        f"pseudo R² {summary.pseudo_r2:.4f}.",
    )
    ch.figure(plot_odds_ratios(summary), FIGURE_D3)
    ch.text(
        "A larger mean radius (one standard deviation) divides the odds of a benign diagnosis "
        f"by about {1 / summary.odds_ratio[1]:.1f}, whatever the other two features are: the "
        "fitted model's odds, $p/(1-p)$ from `predict_proba`, must change by exactly "
        "$e^{w_j}$ when feature $j$ grows by one unit."
    )
    base = X3_named[:5]
    before = stats_model.predict_proba(base)[:, 1]
    after = np.array([stats_model.predict_proba(base + np.eye(3)[j])[:, 1] for j in range(3)])
    ch.check_close(CHECK_D3, "e^{w_j}, the summary's odds ratio, at five samples",
                   after / (1 - after) / (before / (1 - before)),
                   np.repeat(summary.odds_ratio[1:, None], 5, axis=1), rtol=1e-9)
    ch.text(
        "Two independent routes check the table. The standard errors are recomputed from a "
        "Hessian obtained by automatic differentiation of the log-likelihood "
        "(`fromscratch.autodiff.hessian`, by default reverse-over-reverse: the Jacobian of "
        "the reverse-mode gradient, taken in reverse mode again) instead of the hand-derived "
        "$\\tilde X^\\top S\\tilde X$; the p-values by integrating the normal density "
        "numerically (Simpson's rule) instead of the erfc series. (The test suite compares the "
        "whole table with statsmodels' `Logit` to 8 digits.)"
    )
    _check_summary(ch, stats_model, np.asarray(X3), y_all, summary)


# -- maximum likelihood and the derivatives ----------------------------------------------------


def _derivatives(ch, X_train, y_train) -> None:
    from fromscratch.linear_model.logistic import logistic_loss

    ch.heading(HEADING_D6)
    ch.text(
        "The weights are those that make the observed labels most probable. Each label has "
        "probability $p_i^{y_i}(1-p_i)^{1-y_i}$; the negative log of the product is the "
        "*log-loss* (cross-entropy), which we minimize, averaged over the $n$ samples and, as in "
        "scikit-learn, with an L2 penalty $\\frac{1}{2C}\\|w\\|^2$ on the total (never on $b$):"
    )
    ch.equation(r"L(w, b) = \frac{1}{n}\sum_{i=1}^n \left[\log(1 + e^{z_i}) - y_i z_i\right]"
                r" + \frac{1}{2Cn}\|w\|^2, \qquad z_i = w^\top x_i + b")
    ch.text(
        "Differentiate one term with the chain rule. Since $\\sigma'(z) = \\sigma(z)(1 - "
        "\\sigma(z))$, $\\frac{d}{dz}\\log(1 + e^z) = \\sigma(z)$, so $\\partial \\ell_i/"
        "\\partial z_i = p_i - y_i$: the error of the predicted probability. With "
        "$\\partial z_i/\\partial w_j = x_{ij}$ and $\\partial z_i/\\partial b = 1$:"
    )
    ch.equation(r"\frac{\partial L}{\partial w_j} = \frac{1}{n}\sum_i (p_i - y_i)\,x_{ij}"
                r" + \frac{w_j}{Cn}, \qquad \frac{\partial L}{\partial b} = "
                r"\frac{1}{n}\sum_i (p_i - y_i), \qquad "
                r"\nabla^2 L = \frac{1}{n}\tilde X^\top S \tilde X + \frac{1}{Cn}I_w")
    ch.text(
        "with $S = \\mathrm{diag}(p_i(1-p_i))$ and $\\tilde X = [X, 1]$. The Hessian is "
        "positive (semi)definite, so $L$ is convex: every method below heads for the same "
        "minimum. In code, $\\log(1 + e^z)$ is `logaddexp(0, z)` and $\\sigma$ is evaluated "
        "from $e^{-|z|}$, so nothing overflows even at $z = \\pm 1000$."
    )
    n, p = X_train.shape
    rng = np.random.default_rng(0)
    w = rng.standard_normal(p + 1) * 0.1
    loss = logistic_loss(p, 2, fit_intercept=True, l2=1.0 / n)
    automatic = loss.objective(gradient="autodiff")
    target = y_train.astype(float)
    g = loss.gradient(w, X_train, target)
    ch.check_close("hand-derived gradient", "reverse-mode autodiff (fromscratch.autodiff)",
                   g, automatic.gradient(w, X_train, target), rtol=1e-12)
    h = 1e-6
    numeric = np.array([(loss.loss(w + h * e, X_train, target)
                         - loss.loss(w - h * e, X_train, target)) / (2 * h)
                        for e in np.eye(p + 1)])
    ch.check_close("hand-derived gradient", "central finite differences", g, numeric,
                   rtol=1e-6)


# -- seven ways to fit it ----------------------------------------------------------------------


def _solvers(ch, X_train, X_test, y_train, y_test):
    """The seven solvers on the breast-cancer split; returns the Newton fit."""
    from fromscratch.exceptions import ConvergenceWarning
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.linear_model.logistic import logistic_loss
    from fromscratch.metrics import accuracy_score, roc_auc_score
    from fromscratch.plot.logistic import plot_roc_curves, plot_training_curves

    ch.heading(HEADING_D8)
    ch.text(
        "All solvers share one training loop (`fromscratch.linear_model._iterative`): the "
        "hand-derived gradient is written into `.grad` of the weights and a "
        "`fromscratch.optim` optimizer takes the step. *Gradient descent* uses all $n$ samples "
        "per step; *SGD* one, *mini-batch* a random batch $B$ of 32, visiting every sample "
        "once per epoch — $n/|B|$ noisy but unbiased steps for the price of one full "
        "gradient. *Momentum* keeps a velocity, a running sum of past gradients that "
        "cancels their zig-zag across the valley and accumulates along it; *Nesterov's* "
        "variant takes the gradient at the point the velocity is about to carry $w$ to "
        "(`fromscratch.optim.SGD` in PyTorch's form, with $g_B$ the batch gradient):"
    )
    ch.equation(r"\text{SGD: } w \leftarrow w - \eta\, g_B(w), \qquad "
                r"\text{momentum: } v \leftarrow \mu v + g_B(w),\; w \leftarrow w - \eta v, "
                r"\qquad \text{Nesterov: } v \leftarrow \mu v + g_B(w),\; "
                r"w \leftarrow w - \eta\,(g_B(w) + \mu v)")
    ch.text(
        "*Early stopping* holds out 15 % of the training set, watches the loss on it after "
        "every epoch, stops when it has not improved for 10 epochs (the *patience*) and "
        "returns the weights of the best epoch. *Newton's method* uses the curvature: it "
        "solves $\\nabla^2 L\\, d = -\\nabla L$ (a Cholesky solve) and steps to the "
        "minimum of the local quadratic model — for logistic regression this is "
        "*iteratively reweighted least squares*, what statistics software does. *L-BFGS*, "
        "a quasi-Newton method and scikit-learn's default, sits in between: it never forms "
        "the Hessian, but learns its effect from the last m = 10 steps "
        "$s_i = w_{i+1} - w_i$ and gradient changes $y_i = \\nabla L(w_{i+1}) - \\nabla L(w_i) "
        "\\approx \\nabla^2 L\\, s_i$, turns them into an approximate Newton direction "
        "(the two-loop recursion, O(mp) work), and lets a line search pick the step length. "
        "Breast-cancer data, 30 standardized features, 70/30 split, C = 1:"
    )
    n, p = X_train.shape
    epochs = 100 if ch.quick else 200
    solvers = {
        # full batch: stop when max |∂L/∂w_j| <= tol; SGD and Nesterov take all their epochs
        # (tol=None), the other stochastic runs stop when the loss stops improving
        "gradient descent": dict(solver="gd", learning_rate=0.5, max_iter=2000, tol=1e-4),
        "SGD": dict(solver="sgd", learning_rate=0.01, max_iter=epochs // 3, tol=None),
        "mini-batch (32)": dict(solver="minibatch", learning_rate=0.05, max_iter=epochs,
                                tol=1e-6),
        "mini-batch + momentum": dict(solver="minibatch", learning_rate=0.01, max_iter=epochs,
                                      tol=None, optimizer_params={"momentum": 0.9}),
        "mini-batch + Nesterov": dict(solver="minibatch", learning_rate=0.01, max_iter=epochs,
                                      tol=None, optimizer_params={"momentum": 0.9,
                                                                  "nesterov": True}),
        "Nesterov + early stopping": dict(solver="minibatch", learning_rate=0.01,
                                          max_iter=epochs, optimizer_params={
                                              "momentum": 0.9, "nesterov": True},
                                          early_stopping=True, validation_fraction=0.15,
                                          n_iter_no_change=10),
        "L-BFGS (quasi-Newton)": dict(solver="lbfgs", tol=1e-8),
        "Newton (IRLS)": dict(solver="newton", tol=1e-8),
    }
    training_loss = logistic_loss(p, 2, fit_intercept=True, l2=1.0 / n)
    fitted, rows, roc = {}, [], {}
    for label, params in solvers.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            if ch.quick:  # the quick tour's 100 epochs are too few for the stopping rules
                warnings.simplefilter("ignore", ConvergenceWarning)
            model = LogisticRegression(C=1.0, random_state=0, **params).fit(X_train, y_train)
        seconds = time.perf_counter() - start
        fitted[label] = model
        score = model.predict_proba(X_test)[:, 1]
        roc[label] = (y_test, score)
        final = training_loss.loss(np.r_[model.coef_[0], model.intercept_], X_train,
                                   y_train.astype(float))
        rows.append([label, model.n_iter_, seconds, final,
                     accuracy_score(y_test, model.predict(X_test)),
                     roc_auc_score(y_test, score)])
    ch.table(["solver", "iterations / epochs", "seconds", "final training loss",
              "test accuracy", "test AUC"], rows,
             "Final loss: the objective on the whole training set. Newton reaches the minimum "
             "in a handful of iterations, L-BFGS in a few dozen cheaper ones (a gradient each, "
             "no Hessian); the stochastic methods hover near it.")
    ch.figure(plot_training_curves({k: fitted[k] for k in
                                    ("gradient descent", "SGD", "mini-batch + Nesterov",
                                     "Nesterov + early stopping", "L-BFGS (quasi-Newton)",
                                     "Newton (IRLS)")}, logx=True), FIGURE_D8)
    ch.figure(plot_roc_curves({k: roc[k] for k in ("SGD", "Nesterov + early stopping",
                                                   "Newton (IRLS)")}),
              "ROC curves on the test set: the true-positive rate against the false-positive "
              "rate as the probability threshold moves from 1 to 0; the area under the curve "
              "is the probability that a random benign case scores above a random malignant "
              "one.")
    for label in ("Newton (IRLS)", "Nesterov + early stopping"):
        ch.check_bound(f"{label}: test accuracy", "goal ≥ 0.95", rows[list(solvers).index(
            label)][4], at_least=0.95)
        ch.check_bound(f"{label}: test AUC", "goal ≥ 0.99", rows[list(solvers).index(
            label)][5], at_least=0.99)
    newton = fitted["Newton (IRLS)"]
    ch.text(
        "The 30 features are strongly correlated (radius, perimeter and area measure nearly "
        "the same thing), so the loss is a long, flat valley: first-order methods get the "
        "*loss* close to the minimum quickly while the *coefficients* along the valley floor "
        "converge slowly. Newton's method rescales by the curvature and does not care."
    )
    ch.check_close("gradient descent: final training loss", "our Newton answer",
                   rows[0][3], rows[-1][3], rtol=1e-3)
    ch.check_close("L-BFGS: final training loss", "our Newton answer",
                   rows[-2][3], rows[-1][3], rtol=1e-10)
    # The stochastic runs stop on noisy losses after a fixed budget; along the flat valley
    # their loss is still falling slowly (0.8 to 7 % above Newton's after 200 epochs).
    for label in ("SGD", "mini-batch (32)", "mini-batch + momentum", "mini-batch + Nesterov",
                  "Nesterov + early stopping"):
        name = CHECK_D8 if label == "mini-batch + Nesterov" else (
            f"{label}: final training loss / Newton's − 1")
        ch.check_bound(name, f"goal ≤ {STOCHASTIC_GAP:.0%} after its epochs",
                       rows[list(solvers).index(label)][3] / rows[-1][3] - 1,
                       at_most=STOCHASTIC_GAP)
    ch.check_bound("Newton: max |gradient| of the objective at its answer",
                   "optimality: the gradient vanishes at the minimum",
                   _objective_gradient_norm(newton, X_train, y_train), at_most=1e-8)
    return newton


def _textbook_newton(ch, newton, X_train, y_train) -> None:
    """The textbook Newton/IRLS kernel, its source, and the fast path against it."""
    from fromscratch.linear_model._logistic_irls import irls_step, logistic_gradient
    from fromscratch.linear_model.logistic import newton_irls

    ch.heading("Newton's method as the textbook writes it")
    ch.text(
        "Newton's method in a few lines, in double precision, as the library keeps it "
        "(`fromscratch.linear_model.logistic.newton_irls`): the probabilities, the gradient, "
        "the weights $W$ and the Hessian, one Cholesky solve for the step, and a step length "
        "halved until the loss decreases enough (near the minimum the full step is taken):"
    )
    ch.equation(r"p = \sigma(\tilde X w),\quad g = \frac{1}{n}\tilde X^\top(p - y) + \Lambda w,"
                r"\quad W = \mathrm{diag}(p_i(1 - p_i)),\quad "
                r"H = \frac{1}{n}\tilde X^\top W\tilde X + \Lambda,\quad H d = -g")
    ch.code(newton_irls,
            "The library's textbook kernel (its docstring, which states the equations above, "
            "left out). `LogisticRegression(solver=\"newton\")` runs the same iteration, made "
            "fast: see the next section.")
    ch.code(logistic_gradient, "Its gradient $g$, `logistic_gradient`.")
    ch.code(irls_step, "Its step $d$, `irls_step`: the Hessian and one Cholesky solve.")
    coef, intercept, n_iter = newton_irls(X_train, y_train, C=1.0, tol=1e-10)
    # Both runs end with quadratically convergent steps, so they agree far below their
    # tolerances on the gradient (1e-8 and 1e-10): to rounding, about 1e-11 here.
    ch.check_close("LogisticRegression(solver=\"newton\") coefficients and intercept",
                   f"the textbook Newton/IRLS kernel ({n_iter} iterations, tol 1e-10)",
                   np.r_[newton.coef_[0], newton.intercept_], np.r_[coef, intercept],
                   rtol=1e-8)


# -- decision boundaries -----------------------------------------------------------------------


def _decision_boundaries(ch) -> None:
    from matplotlib.figure import Figure

    from fromscratch.datasets import make_blobs, make_moons
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.plot.logistic import plot_decision_boundary

    ch.heading("Decision boundaries")
    ch.text(
        "The model predicts class 1 where $p > 0.5$, i.e. where $w^\\top x + b > 0$: the "
        "boundary is a straight line (a hyperplane), and the probability contours are parallel "
        "to it, closer together the larger $\\|w\\|$. With $K$ classes the *softmax* "
        "$p_k = e^{z_k}/\\sum_l e^{z_l}$ gives one score per class and the regions meet along "
        "straight lines. A curved boundary (the moons) is out of reach without new features "
        "— or hidden layers, which is where neural networks begin."
    )
    fig = Figure(figsize=(15, 4.6), layout="constrained")
    axes = fig.subplots(1, 3)
    blobs2 = make_blobs(300, centers=2, cluster_std=2.5, random_state=1)
    blobs3 = make_blobs(300, centers=3, cluster_std=1.5, random_state=3)
    moons = make_moons(300, noise=0.2, random_state=0)
    for ax, data, title in ((axes[0], blobs2, "two classes"), (axes[1], blobs3,
                            "three classes (softmax)"), (axes[2], moons, "moons: a line "
                            "is not enough")):
        model = LogisticRegression().fit(data.X, data.y)
        plot_decision_boundary(model, data.X, data.y, ax=ax, resolution=80 if ch.quick else 200,
                               title=f"{title}: accuracy {model.score(data.X, data.y):.2f}")
    ch.figure(fig, "Fitted LogisticRegression() on synthetic data sets from "
              "fromscratch.datasets.")
    three = LogisticRegression(tol=1e-10).fit(blobs3.X, blobs3.y)
    ch.check_bound("softmax (3 classes): max |gradient| at the answer",
                   "optimality: the gradient vanishes at the minimum",
                   _objective_gradient_norm(three, blobs3.X, blobs3.y), at_most=1e-8)


def _l1_penalty(ch, X_train, y_train) -> None:
    from fromscratch.linear_model import LogisticRegression

    C_l1 = 0.05
    l1 = LogisticRegression(C=C_l1, l1_ratio=1.0, tol=1e-10).fit(X_train, y_train)
    ch.text(
        f"An L1 penalty (`l1_ratio=1`, C = {C_l1:g}) keeps {int(np.sum(l1.coef_ != 0))} of the "
        "30 features — the others get weight exactly 0 — fitted by proximal Newton "
        "(coordinate descent on each quadratic model). Its answer is certified by the "
        "optimality (KKT) conditions of $L(w) + \\lambda\\|w\\|_1$: "
        "$\\partial L/\\partial w_j = -\\lambda\\,\\mathrm{sign}(w_j)$ where "
        "$w_j \\neq 0$ and $|\\partial L/\\partial w_j| \\leq \\lambda$ where $w_j = 0$."
    )
    ch.check_bound("L1 fit: largest violation of the KKT conditions", "optimality of the "
                   "L1-penalized objective", _l1_kkt_violation(l1, X_train, y_train, C_l1),
                   at_most=1e-8)


def _newton_cost(ch) -> None:
    """What one Newton iteration costs, and why its Hessian may be rounded to single precision."""
    from fromscratch.datasets import make_classification
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.linear_model.logistic import logistic_loss

    ch.heading("What one Newton iteration costs")
    n, p = (20_000, 20) if ch.quick else (100_000, 50)
    data = make_classification(n_samples=n, n_features=p, n_informative=p // 2,
                               n_redundant=0, flip_y=0.1, random_state=0)
    X = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0)
    y = data.y
    ch.text(
        "On $n$ samples and $p$ features, the gradient $\\frac{1}{n} X^\\top(p - y)$ costs "
        "about $2np$ operations, the Hessian $\\frac{1}{n} X^\\top S X$ about $np^2$ (one "
        "triangle of a symmetric matrix), the Cholesky solve $p^3/3$. "
        f"With $n = {n:,}$ and $p = {p}$ the "
        "Hessian dominates, and the library makes it cheap in two ways. It is accumulated over "
        "blocks of rows that stay in the CPU cache, each block scaled by $\\sqrt{S}$ and "
        "multiplied by itself. And its products run in *single precision*, on a float32 copy "
        "of $X$ made once per fit, twice as fast: the gradient, in "
        "double precision, decides where the iterations stop ($\\nabla L = 0$ at the "
        "answer), while the Hessian only shapes the steps. A relative error $\\epsilon "
        "\\approx 10^{-7}$ in the Hessian bends each step by about $\\kappa\\epsilon$, with "
        "$\\kappa$ its condition number (scaled to unit diagonal), so quadratic convergence is "
        "kept while $\\kappa\\epsilon \\ll 1$. The library bounds $\\kappa$ from below by "
        "the Cholesky pivots and goes back to double precision when the bound passes $10^3$, "
        "as it does for nearly collinear features or a feature whose mean dwarfs its spread."
    )
    strength = 1.0 / n
    loss = logistic_loss(p, 2, fit_intercept=True, l2=strength)
    w = np.r_[np.full(p, 0.1), 0.0]
    _, H_single = loss.gradient_and_hessian(w, X, y.astype(float))
    H_double = loss.hessian(w, X, y.astype(float))
    error = float(np.max(np.abs(H_single - H_double)) / np.max(np.abs(H_double)))
    model = LogisticRegression(C=1.0, tol=1e-8).fit(X, y)
    ch.check_bound("Hessian for the steps: largest error relative to the float64 Hessian",
                   "single-precision rounding (about 1e-7)", error, at_most=1e-5)
    ch.check_bound(f"Newton on {n:,} x {p}: max |gradient| at its answer",
                   "the float64 gradient decides the answer", _objective_gradient_norm(
                       model, X, y), at_most=1e-8)
    ch.check_bound(f"Newton on {n:,} x {p}: iterations", "quadratic convergence",
                   model.n_iter_, at_most=6)


def _objective_gradient_norm(model, X, y) -> float:
    """max |∇L| of the model's own (mean-scale, L2-penalized) objective at its coefficients."""
    from fromscratch.linear_model.logistic import logistic_loss

    n, p = X.shape
    K = model.classes_.size
    index = np.searchsorted(model.classes_, y)
    target = index.astype(float) if K == 2 else np.eye(K)[index]
    strength = 0.0 if np.isinf(model.C) else 1.0 / (model.C * n)
    loss = logistic_loss(p, K, fit_intercept=True, l2=strength)
    w = np.column_stack([model.coef_, model.intercept_])
    return float(np.max(np.abs(loss.gradient(w[0] if K == 2 else w, X, target))))


def _l1_kkt_violation(model, X, y, C) -> float:
    """Largest violation of the subgradient optimality conditions of the L1 objective."""
    from fromscratch.linear_model.logistic import logistic_loss

    n, p = X.shape
    lam = 1.0 / (C * n)
    g = logistic_loss(p, 2, fit_intercept=True).gradient(
        np.r_[model.coef_[0], model.intercept_], X, y.astype(float))
    w = model.coef_[0]
    active = w != 0
    violations = np.r_[np.abs(g[:-1][active] + lam * np.sign(w[active])),
                       np.maximum(np.abs(g[:-1][~active]) - lam, 0.0), abs(g[-1])]
    return float(violations.max())


def _check_summary(ch, model, X, y, summary) -> None:
    """The summary's standard errors and p-values by independent routes."""
    from fromscratch.autodiff import grad, hessian
    from fromscratch.autodiff import numpy as anp
    from fromscratch.linalg import cho_solve, cholesky

    Xt = np.column_stack([np.ones(len(X)), X])  # intercept first, as in the table

    def log_likelihood(beta):
        z = Xt @ beta
        return anp.sum(y * z - anp.softplus(z))

    beta = summary.coef
    ch.check_bound("max |∇ log L| at the fitted coefficients", "optimality of the MLE",
                   float(np.max(np.abs(grad(log_likelihood)(beta)))), at_most=1e-6)
    information = -hessian(log_likelihood)(beta)
    covariance = cho_solve(cholesky(information), np.eye(len(beta)))
    ch.check_close("standard errors", "inverse of the autodiff Hessian of log L",
                   summary.std_err, np.sqrt(np.diagonal(covariance)), rtol=1e-8)
    # p = 2 ∫_{|z|}^{∞} φ(t) dt by composite Simpson on [|z|, |z| + 12] (the rest is < 1e-31)
    p_simpson = []
    for z in np.abs(summary.z):
        t = np.linspace(z, z + 12.0, 24_001)
        phi = np.exp(-0.5 * t * t) / np.sqrt(2 * np.pi)
        h = t[1] - t[0]
        p_simpson.append(2 * h / 3 * (phi[0] + phi[-1] + 4 * phi[1:-1:2].sum()
                                      + 2 * phi[2:-1:2].sum()))
    ch.check_close("p-values", "Simpson's rule on the normal density", summary.p_value,
                   np.array(p_simpson), rtol=1e-9, atol=1e-300)
