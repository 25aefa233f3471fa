"""The logistic-regression chapter's reproduction of the blog's part-2 experiment: logistic
regression on the breast-cancer data, trained by mini-batch SGD with Nesterov momentum and early
stopping, beside the post's test accuracy and AUC with their sampling errors."""

from __future__ import annotations

import math
import warnings

import numpy as np

HEADING_BLOG = "The blog's experiment: mini-batch SGD, Nesterov momentum, early stopping"
FIGURE_BLOG = ("The post's experiment at its settings. Left: training and validation loss "
               "per epoch; the circle marks the epoch whose weights early stopping kept. "
               "Right: the ROC curve on the 114 test samples.")
CHECK_BLOG_ACCURACY = "the blog's experiment: test accuracy, ours vs the post's"
CHECK_BLOG_AUC = "the blog's experiment: test AUC, ours vs the post's"

#: What the post reports (two or three digits).
BLOG_ACCURACY = 0.971
BLOG_AUC = 0.996
#: The settings: the split (stated by us), the optimizer and the stopping rule.
SPLIT = dict(test_size=0.2, random_state=42)
SETTINGS = dict(C=np.inf, solver="minibatch", batch_size=32, learning_rate=0.01,
                optimizer_params={"momentum": 0.9, "nesterov": True}, early_stopping=True,
                validation_fraction=0.1, n_iter_no_change=10, max_iter=1000)


def _scores(model, X_test, y_test) -> tuple[float, float]:
    from fromscratch.metrics import accuracy_score, roc_auc_score

    return (accuracy_score(y_test, model.predict(X_test)),
            roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))


def blog_experiment(ch, cancer) -> None:
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.logistic import plot_roc_curves, plot_training_curves
    from fromscratch.tour._nn_experiments import auc_standard_error, split_and_scale

    ch.heading(HEADING_BLOG)
    ch.text(
        "The blog post this chapter follows fits logistic regression to the breast-cancer "
        "data by mini-batch SGD with Nesterov momentum and early stopping, and reports a test "
        f"accuracy of about {BLOG_ACCURACY} and an AUC of about {BLOG_AUC}. The settings "
        "here, all stated: an 80/20 split stratified by class (`random_state=42`), features "
        "standardized with the training set's means and deviations; the plain log-loss (no "
        "penalty, `C=np.inf`, as a from-scratch fit has it); batches of 32, learning rate "
        "0.01, Nesterov momentum 0.9; early stopping on 10 % of the training set held out "
        "(stratified), patience 10 epochs, keeping the weights of the best validation epoch; "
        "shuffling with `random_state=0`."
    )
    X_train, X_test, y_train, y_test = split_and_scale(cancer.X, cancer.y, **SPLIT)
    model = LogisticRegression(random_state=0, **SETTINGS).fit(X_train, y_train)
    accuracy, auc = _scores(model, X_test, y_test)
    m = len(y_test)
    n_positive = int(np.sum(y_test == 1))
    se_accuracy = math.sqrt(BLOG_ACCURACY * (1 - BLOG_ACCURACY) / m)
    se_auc = auc_standard_error(BLOG_AUC, n_positive, m - n_positive)
    with warnings.catch_warnings():  # separable training data: Newton stops and says so
        warnings.simplefilter("ignore")
        unpenalized = LogisticRegression(C=np.inf).fit(X_train, y_train)
    penalized = LogisticRegression(C=1.0).fit(X_train, y_train)
    rows = [["the post", f"≈ {BLOG_ACCURACY}", f"≈ {BLOG_AUC}", "—"],
            ["ours, these settings", accuracy, auc,
             f"{model.n_iter_} (best {model.best_iteration_})"],
            ["Newton, no penalty (stops at separation)", *_scores(unpenalized, X_test, y_test),
             unpenalized.n_iter_],
            ["Newton, C = 1", *_scores(penalized, X_test, y_test), penalized.n_iter_]]
    if not ch.quick:
        rows += _spread(cancer, split_and_scale)
    ch.table(["", "test accuracy", "test AUC", "epochs / iterations"], rows,
             f"{m} test samples ({n_positive} benign). Standard errors: accuracy "
             f"√(p(1 − p)/m) = {se_accuracy:.4f} at p = {BLOG_ACCURACY}; AUC "
             f"{se_auc:.4f} (Hanley & McNeil).")
    fig, (left, right) = new_figure(2, width=12.0, height=4.4)
    plot_training_curves({"Nesterov + early stopping": model}, ax=left)
    plot_roc_curves({"ours": (y_test, model.predict_proba(X_test)[:, 1])}, ax=right)
    ch.figure(fig, FIGURE_BLOG)
    ch.text(
        f"Ours: accuracy {accuracy:.3f} and AUC {auc:.4f}, beside the post's "
        f"{BLOG_ACCURACY} and {BLOG_AUC}. The numbers cannot be expected to agree to the "
        f"last digit: on {m} test samples one misclassified tumour moves the accuracy by "
        f"{1 / m:.3f}, and its standard error, $\\sqrt{{p(1-p)/m}} = {se_accuracy:.3f}$, is "
        "larger than any gap between the two. The split, the shuffling seed and the epoch "
        "at which early stopping halts are chosen by us and are not the post's, and each "
        "moves the result by about that much"
        + (" (the last rows: four other shuffling seeds, and four other splits)."
           if not ch.quick else " (the full tour shows other seeds and splits).")
        + " Early stopping matters more than it seems: the training set is *linearly "
        "separable*, so without a penalty the likelihood has no maximum — Newton's method "
        "stops with a `PerfectSeparationWarning` and weights that are far too large, and "
        "does worse on the test set. Stopping on the validation loss is what keeps the "
        "weights finite, like the penalty of `C = 1`."
    )
    # The post rounds to 3 digits (±0.0005); the test set alone gives a spread of 1 se.
    ch.check(CHECK_BLOG_ACCURACY, "within 0.0005 + 2 se (rounding plus sampling error)",
             abs(accuracy - BLOG_ACCURACY), 0.0005 + 2 * se_accuracy)
    ch.check(CHECK_BLOG_AUC, "within 0.0005 + 2 se (Hanley–McNeil)", abs(auc - BLOG_AUC),
             0.0005 + 2 * se_auc)
    ch.check_bound("test AUC: early stopping minus Newton without a penalty",
                   "positive: stopping early regularizes", auc - _scores(
                       unpenalized, X_test, y_test)[1], at_least=0.0)
    ch.check_bound("the blog's experiment: epochs until early stopping", "fewer than "
                   "max_iter = 1000 (the stopping rule ended the run)", model.n_iter_,
                   at_most=SETTINGS["max_iter"] - 1)


def _spread(cancer, split_and_scale) -> list[list]:
    """Rows for four other shuffling seeds and four other splits: their min–max."""
    from fromscratch.linear_model import LogisticRegression

    X_train, X_test, y_train, y_test = split_and_scale(cancer.X, cancer.y, **SPLIT)
    seeds = [_scores(LogisticRegression(random_state=seed, **SETTINGS).fit(X_train, y_train),
                     X_test, y_test) for seed in range(1, 5)]
    splits = []
    for seed in range(4):
        data = split_and_scale(cancer.X, cancer.y, test_size=0.2, random_state=seed)
        model = LogisticRegression(random_state=0, **SETTINGS).fit(data[0], data[2])
        splits.append(_scores(model, data[1], data[3]))

    def span(values, j) -> str:
        return f"{min(v[j] for v in values):.3f} – {max(v[j] for v in values):.3f}"

    return [["ours, shuffling seeds 1–4", span(seeds, 0), span(seeds, 1), "—"],
            ["ours, splits random_state 0–3", span(splits, 0), span(splits, 1), "—"]]
