"""The logistic-regression chapter's sections on weights: Newton's step *is* a weighted
least-squares fit (IRLS, run here with the weighted ``LinearRegression``), and class weights on
an imbalanced problem, with the ROC curve and the confusion matrices."""

from __future__ import annotations

import numpy as np

EPS = float(np.finfo(np.float64).eps)


def irls_step(X: np.ndarray, y: np.ndarray, coef: np.ndarray, intercept: float
              ) -> tuple[np.ndarray, float]:
    r"""One Newton step for the unpenalized logistic log-likelihood, as a weighted
    least-squares fit: regress the working response :math:`z = \tilde Xw + (y - p)/s` on
    :math:`X` with weights :math:`s = p(1 - p)`."""
    from fromscratch.linear_model import LinearRegression
    from fromscratch.linear_model.logistic import sigmoid

    eta = X @ coef + intercept
    p = sigmoid(eta)
    s = p * (1.0 - p)
    z = eta + (y - p) / s
    wls = LinearRegression().fit(X, z, sample_weight=s)
    return wls.coef_, float(wls.intercept_)


def irls_is_weighted_least_squares(ch, cancer) -> None:
    """Newton's step against the weighted ``LinearRegression`` on the working response, and
    IRLS run to the maximum-likelihood estimate with it, on the three standardized features of
    the odds-ratio table of the breast-cancer data ``cancer``."""
    from fromscratch.linalg import cho_solve, cholesky
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.linear_model.logistic import BinaryLogisticLoss
    from fromscratch.preprocessing import StandardScaler

    names = list(cancer.feature_names)
    columns = [names.index(c) for c in ("mean radius", "mean texture", "mean concave points")]
    X, y = StandardScaler().fit_transform(cancer.X[:, columns]), cancer.y

    ch.heading("Newton's step is a weighted least-squares fit (IRLS)")
    ch.text(
        "Why is Newton's method for logistic regression called *iteratively reweighted least "
        "squares*? Take the unpenalized mean log-loss, with $\\tilde X = [X, \\mathbf 1]$, "
        "$p = \\sigma(\\tilde X w)$ and $S = \\mathrm{diag}(p_i(1-p_i))$. Its gradient and "
        "Hessian are $g = \\frac1n\\tilde X^\\top(p - y)$ and "
        "$H = \\frac1n\\tilde X^\\top S\\tilde X$, and the Newton step "
        "$w^+ = w - H^{-1}g$ satisfies"
    )
    ch.equation(r"\tilde X^\top S \tilde X\, w^+ = \tilde X^\top S \tilde X w - "
                r"\tilde X^\top (p - y) = \tilde X^\top S\, z, \qquad "
                r"z = \tilde X w + S^{-1}(y - p)")
    ch.text(
        "— exactly the normal equations of **weighted least squares** of the *working "
        "response* $z$ on $X$, with the weights $s_i = p_i(1 - p_i)$: the linearized "
        "log-odds, trusted where the model is uncertain ($p$ near ½, large $s_i$) and "
        "discounted where it is already sure. Each iteration recomputes $p$, hence the "
        "weights — *reweighted*. So the previous chapter's weighted `LinearRegression` can run "
        "logistic regression:"
    )
    ch.code(irls_step, "One IRLS step with the weighted LinearRegression "
            "(fromscratch.tour._logistic_weights.irls_step).")

    # One step from a point that is not the start, against Newton's step from the loss's own
    # hand-derived gradient and Hessian.
    loss = BinaryLogisticLoss(X.shape[1], fit_intercept=True)
    coef, intercept = irls_step(X, y, np.zeros(X.shape[1]), 0.0)
    w = np.r_[coef, intercept]
    d = cho_solve(cholesky(loss.hessian(w, X, y)), -loss.gradient(w, X, y))
    coef_next, intercept_next = irls_step(X, y, coef, intercept)
    ch.check_close("IRLS step by the weighted LinearRegression (QR on √s-scaled rows)",
                   "Newton's step w − H⁻¹g from the hand-derived gradient and Hessian",
                   np.r_[coef_next, intercept_next], w + d, rtol=1e-10)

    mle = LogisticRegression(C=np.inf, tol=1e-12).fit(X, y)
    rows = []
    coef, intercept = np.zeros(X.shape[1]), 0.0
    for k in range(1, 9):
        coef_new, intercept_new = irls_step(X, y, coef, intercept)
        change = float(np.max(np.abs(np.r_[coef_new - coef, intercept_new - intercept])))
        coef, intercept = coef_new, intercept_new
        w = np.r_[coef, intercept]
        rows.append([k, -len(y) * loss.mean_log_loss(w, X, y), change,
                     float(np.max(np.abs(loss.gradient(w, X, y))))])
    ch.table(["IRLS iteration", "log-likelihood", "max |Δw|", "max |gradient|"], rows,
             "IRLS with the weighted LinearRegression, from w = 0, on the three standardized "
             "breast-cancer features of the odds-ratio table. The change per step squares "
             "from one iteration to the next — Newton's quadratic convergence.")
    ch.check_close("IRLS (8 weighted least-squares fits): coefficients and intercept",
                   "LogisticRegression(C=np.inf) (the library's Newton, tol 1e-12)",
                   np.r_[coef, intercept], np.r_[mle.coef_[0], mle.intercept_],
                   rtol=1e-9)


def class_weights(ch) -> None:
    """Class weights on an imbalanced problem: the ROC curve and the confusion matrices of the
    unweighted and the balanced fit."""
    from fromscratch.datasets import make_classification
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.metrics import precision_score, recall_score, roc_auc_score
    from fromscratch.model_selection import train_test_split
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.logistic import plot_roc_curves
    from fromscratch.plot.nn import plot_confusion_matrix
    from fromscratch.preprocessing import StandardScaler

    ch.heading("Class weights for imbalanced classes")
    data = make_classification(4000, 6, n_informative=3, n_redundant=1, weights=[0.95, 0.05],
                               class_sep=0.8, flip_y=0.01, random_state=1)
    X_train, X_test, y_train, y_test = train_test_split(data.X, data.y, test_size=0.5,
                                                        random_state=0, stratify=data.y)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    counts = np.bincount(y_train)
    balanced = len(y_train) / (2 * counts)
    ch.text(
        f"When one class is rare — here {counts[1]} positives among {len(y_train)} training "
        "samples — the likelihood is dominated by the common class, and a model that hardly "
        "ever predicts the rare one scores a high accuracy. **Class weights** multiply each "
        "sample's log-loss by the weight of its class, "
        "$C\\sum_i c_{y_i}\\,\\ell_i + \\frac12\\|w\\|^2$, and `class_weight=\"balanced\"` "
        "(scikit-learn's rule) takes $c_k = n/(K n_k)$, so that every class carries the same "
        f"total weight: here {balanced[0]:.3f} for the common class and {balanced[1]:.2f} for "
        "the rare one. Class weights are sample weights that depend on the label (both may be "
        "given; they multiply), and they enter the solvers as in weighted least squares: "
        "Newton's $S$ becomes $\\mathrm{diag}(c_{y_i}p_i(1-p_i))$."
    )
    plain = LogisticRegression().fit(X_train, y_train)
    weighted = LogisticRegression(class_weight="balanced").fit(X_train, y_train)
    scores = {label: model.predict_proba(X_test)[:, 1]
              for label, model in (("unweighted", plain), ("balanced", weighted))}
    fig, axes = new_figure(3, width=15.0, height=4.6)
    plot_roc_curves({label: (y_test, score) for label, score in scores.items()}, ax=axes[0],
                    title="ROC on the test half")
    for ax, (label, model) in zip(axes[1:], (("unweighted", plain), ("balanced", weighted)),
                                  strict=True):
        plot_confusion_matrix(y_test, model.predict(X_test), labels=[0, 1], ax=ax)
        ax.set_title(f"{label}: predictions at p = ½")
    ch.figure(fig, "Left: the two ROC curves nearly coincide — weighting the classes hardly "
              "changes how the model *ranks* the samples. Right: at the threshold ½ it "
              "changes a lot: the balanced model finds most of the rare class, at the price "
              "of more false alarms.")
    rows = []
    for label, model in (("unweighted", plain), ("balanced", weighted)):
        predicted = model.predict(X_test)
        rows.append([label, model.intercept_[0], float(np.mean(predicted == y_test)),
                     recall_score(y_test, predicted), precision_score(y_test, predicted),
                     roc_auc_score(y_test, scores[label])])
    ch.table(["model", "intercept", "accuracy", "recall (rare class)", "precision",
              "ROC AUC"], rows,
             "Test half. The slopes change little; the intercept moves up by about the log of "
             "the weight ratio, which moves the threshold ½ into the common class's tail.")
    ch.text(
        "Why the ROC curve barely moves: for a logistic model, reweighting the classes "
        "changes the log prior odds, which the intercept absorbs — the ranking of the "
        "samples, and with it the ROC curve, stays nearly the same, while the predictions at "
        "$p = \\frac12$ shift towards the rare class. Balanced weights are one principled "
        "choice of threshold; choosing one from the ROC curve or from the costs of the two "
        "errors is another."
    )
    per_sample = LogisticRegression().fit(X_train, y_train, sample_weight=balanced[y_train])
    ch.check_close("class_weight=\"balanced\" coefficients and intercept",
                   "sample weights n/(K n_k) computed by hand from the class counts",
                   np.r_[weighted.coef_[0], weighted.intercept_],
                   np.r_[per_sample.coef_[0], per_sample.intercept_], rtol=1e-10)
    s = balanced[y_train]
    p = weighted.predict_proba(X_train)[:, 1]
    X1 = np.column_stack([X_train, np.ones(len(y_train))])
    w = np.r_[weighted.coef_[0], 0.0]  # the intercept is not penalized
    gradient = X1.T @ (s * (p - y_train)) / s.sum() + w / (weighted.C * s.sum())
    ch.check_bound("balanced fit: max |gradient| of the weighted objective",
                   "optimality: ∑ c_yᵢ (pᵢ − yᵢ) x̃ᵢ / ∑ c_yᵢ + w/(C ∑ c_yᵢ) = 0",
                   float(np.max(np.abs(gradient))), at_most=1e-4)
    ch.check_bound("recall of the rare class: balanced − unweighted",
                   "class weights find the rare class (≥ 0.3 more of it)",
                   rows[1][3] - rows[0][3], at_least=0.3)
    ch.check_bound("|ROC AUC balanced − unweighted|", "the ranking barely changes (≤ 0.02)",
                   abs(rows[1][5] - rows[0][5]), at_most=0.02)
