"""The logistic-regression chapter's sections on what the model is: two classes and many (the
softmax), the model defined as a probability and recovered from data drawn from it, and the
model as a linear score followed by a non-linear activation — one neuron."""

from __future__ import annotations

import numpy as np

# The strings the chapter's topic table quotes (ch_logistic.TOPICS).
HEADING_D1 = "What logistic regression is"
CHECK_D1 = "softmax of the scores (0, z) vs sigmoid(z), z from −1000 to 1000"
HEADING_D2 = "Defining the model"
FIGURE_D2 = ("500 samples drawn from $P(y = 1 \\mid x) = \\sigma(2x - 1)$: the labels (grey, "
             "at 0 and 1), the share of 1s in ten bins of $x$ with 95 % intervals, the truth "
             "(dashed) and the fitted model.")
CHECK_D2 = "data drawn from the model (w = 2, b = −1): max |estimate − truth| / se"
HEADING_D4 = "A linear model followed by a non-linear activation"
FIGURE_D4 = ("Logistic regression as one neuron (left): the 30 standardized features, "
             "weighted and summed with the bias into the score $z$, then the sigmoid. Right: "
             "every training sample at its score and its label — the model sees the 30 "
             "features only through $z$.")
CHECK_D4 = "Sequential(Linear(30, 1), Sigmoid()) with the fitted weights"

EPS = float(np.finfo(np.float64).eps)


def two_and_more_classes(ch) -> None:
    """D1: many classes as a generalization, and the check that two is the special case."""
    from fromscratch.linear_model.logistic import sigmoid, softmax

    ch.text(
        "With $K$ classes the model keeps one score per class, $z_k = w_k^\\top x + b_k$, "
        "and the *softmax* turns the scores into probabilities that sum to one:"
    )
    ch.equation(r"p_k(x) = \frac{e^{z_k}}{\sum_{l=1}^K e^{z_l}}, \qquad K = 2:\quad "
                r"p_1 = \frac{e^{z_1}}{e^{z_0} + e^{z_1}} = \frac{1}{1 + e^{-(z_1 - z_0)}} "
                r"= \sigma(z_1 - z_0)")
    ch.text(
        "Only differences of scores matter, so with two classes one score can be fixed at 0: "
        "binary logistic regression is the two-class softmax, with $z = z_1 - z_0$. The "
        "library's `softmax` and `sigmoid` must agree on that, also where $e^{\\pm z}$ "
        "overflows (both are computed from $e^{-|z|}$, never from $e^{|z|}$):"
    )
    z = np.r_[np.linspace(-1000.0, 1000.0, 2001), np.linspace(-5.0, 5.0, 101)]
    two_class = softmax(np.column_stack([np.zeros_like(z), z]))[:, 1]
    ch.check_close(CHECK_D1, "equal to rounding, no overflow (probabilities are ≤ 1: "
                   "absolute 4ε)", two_class, sigmoid(z), rtol=0.0, atol=4 * EPS)
    moderate = np.linspace(-30.0, 30.0, 601)
    ch.check_close("sigmoid(z) for |z| ≤ 30", "the formula 1/(1 + e^{−z})", sigmoid(moderate),
                   1 / (1 + np.exp(-moderate)), rtol=0.0, atol=4 * EPS)


def defining_the_model(ch) -> None:
    """D2: the model as a probability, recovered from data drawn from it."""
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.linear_model.logistic import sigmoid
    from fromscratch.plot.logistic import plot_binned_probabilities

    ch.heading(HEADING_D2)
    ch.text(
        "The model is a statement about how the labels are drawn: given $x$, the label is a "
        "coin flip with probability $p(x) = \\sigma(w^\\top x + b)$ of landing on 1 — a "
        "Bernoulli variable (the model `LogisticRegression` fits). The probability of the "
        "label actually seen, 1 or 0, is written in one line:"
    )
    ch.equation(r"y \mid x \sim \mathrm{Bernoulli}\big(p(x)\big), \qquad "
                r"P(y \mid x) = p(x)^{y}\,\big(1 - p(x)\big)^{1 - y}, \qquad "
                r"p(x) = \sigma(w^\top x + b)")
    ch.text(
        "Its parameters are the $p$ weights $w$ and the intercept $b$. The fit looks for the "
        "$w, b$ under which the observed labels are most probable (the next sections). If the "
        "data really come from the model, the estimates land within a few *standard errors* "
        "of the truth — the standard errors of the unpenalized fit's `summary()`, from the "
        "curvature of the log-likelihood. One feature $x \\sim N(0, 1)$, $w = 2$, $b = -1$:"
    )
    rng = np.random.default_rng(11)
    x = rng.standard_normal(500)
    y = (rng.uniform(size=500) < sigmoid(2.0 * x - 1.0)).astype(int)
    model = LogisticRegression(C=np.inf, tol=1e-10).fit(x[:, None], y)
    summary = model.summary()
    estimate = np.r_[model.intercept_, model.coef_[0]]
    z = (estimate - np.array([-1.0, 2.0])) / summary.std_err
    ch.table(["", "truth", "estimate", "standard error", "(estimate − truth)/se"],
             [["b", -1.0, estimate[0], summary.std_err[0], z[0]],
              ["w", 2.0, estimate[1], summary.std_err[1], z[1]]],
             "LogisticRegression(C=np.inf) on 500 samples drawn from the model.")
    ch.figure(plot_binned_probabilities(model, x[:, None], y,
                                        true_probability=lambda t: sigmoid(2.0 * t - 1.0)),
              FIGURE_D2)
    ch.check_bound(CHECK_D2, "the truth, within 4 standard errors", float(np.max(np.abs(z))),
                   at_most=4.0)
    p = model.predict_proba(x[:, None])[:, 1]
    ch.check_close("log-likelihood Σ log p^y (1 − p)^(1−y) from predict_proba",
                   "the fitted model's log_likelihood_", np.sum(np.log(np.where(y == 1, p,
                                                                                 1 - p))),
                   model.log_likelihood_, rtol=1e-12)


def linear_then_activation(ch, X_train, y_train, feature_names) -> None:
    """D4: the score is linear regression's model; the sigmoid makes it a probability."""
    from fromscratch import nn
    from fromscratch.autodiff import no_grad
    from fromscratch.autodiff import numpy as anp
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.linear_model.logistic import sigmoid
    from fromscratch.plot.logistic import plot_neuron

    ch.heading(HEADING_D4)
    ch.text(
        "Take the linear-regression model, $z = w^\\top x + b$, and pass its output through a "
        "fixed non-linear function, the *activation* $\\sigma$. The linear part does all the "
        "weighing of evidence; the activation only maps the total to $(0, 1)$, monotonically, "
        "so the decision $p > \\frac12$ is the linear condition $z > 0$ and the boundary is a "
        "hyperplane. This unit — weighted sum, then activation — is the *neuron* of neural "
        "networks: logistic regression is a network with one neuron and no hidden layer, and "
        "a hidden layer is many such units side by side. On the breast-cancer training set "
        "(30 standardized features, `LogisticRegression()`, C = 1):"
    )
    model = LogisticRegression().fit(X_train, y_train)
    scores = model.decision_function(X_train)
    ch.figure(plot_neuron(model.coef_[0], model.intercept_[0], scores=scores, y=y_train,
                          feature_names=feature_names), FIGURE_D4)
    ch.check_close("predict_proba", "σ(Xw + b) with the fitted coef_ and intercept_",
                   model.predict_proba(X_train)[:, 1],
                   sigmoid(X_train @ model.coef_[0] + model.intercept_[0]), rtol=0.0,
                   atol=4 * EPS)
    neuron = nn.Sequential(nn.Linear(X_train.shape[1], 1, random_state=0), nn.Sigmoid())
    neuron[0].load_state_dict({"weight": model.coef_, "bias": model.intercept_})
    with no_grad():
        network = np.ravel(anp.primal(neuron(X_train)))
    ch.check_close(CHECK_D4, "LogisticRegression.predict_proba (the same function)", network,
                   model.predict_proba(X_train)[:, 1], rtol=0.0, atol=4 * EPS)
