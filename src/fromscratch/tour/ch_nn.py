"""Chapter: neural networks — layers, the feedforward pass, backpropagation by hand and by
autodiff, linear and logistic regression as networks, and what hidden layers buy.

The from-scratch rule covers the tour, so the checks here use independent routes (autodiff,
finite differences, the library's closed-form and Newton solvers); the comparisons with PyTorch
and scikit-learn, number for number, are in ``tests/nn``."""

from __future__ import annotations

import contextlib
import warnings

import numpy as np

TITLE = "Neural networks"


def _single_threaded_blas():
    """Small matrix products are far faster on one BLAS thread than on a busy thread pool."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it, the chapter is only slower
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _split(X, y, test_size=0.25, random_state=0):
    from fromscratch.model_selection import train_test_split
    from fromscratch.preprocessing import StandardScaler

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=random_state, stratify=y)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def run(ch) -> None:
    with _single_threaded_blas(), warnings.catch_warnings():
        from fromscratch.nn.mlp import ConvergenceWarning

        warnings.simplefilter("ignore", ConvergenceWarning)  # short quick-mode fits
        _what_and_how(ch)
        _backpropagation(ch)
        _linear_models_as_networks(ch)
        _nonlinear_boundaries(ch)
        _digits(ch)
        _hidden_layer_experiment(ch)


def _what_and_how(ch) -> None:
    from fromscratch import nn
    from fromscratch.plot.nn import plot_activations, plot_network

    ch.text(
        "A feedforward neural network is a chain of simple functions. Each *layer* takes a "
        "vector $a^{l-1}$, forms weighted sums $z^l = W^l a^{l-1} + b^l$ — one linear model "
        "per *unit* — and passes them through a non-linear *activation* $\\sigma$. The last "
        "layer's scores go to an output function that matches the task: the identity for "
        "regression, the sigmoid for two classes, the softmax for more."
    )
    ch.equation(r"a^0 = x, \quad z^l = W^l a^{l-1} + b^l, \quad a^l = \sigma(z^l) "
                r"\; (l < L), \quad \hat y = \mathrm{out}(z^L)")
    ch.text(
        "Without the activations the whole chain would collapse into one linear map, "
        "$W^2(W^1 x + b^1) + b^2 = (W^2 W^1)x + (W^2 b^1 + b^2)$: depth buys nothing. The "
        "activation's derivative $\\sigma'(z)$ reappears in every step of the backward pass; "
        "the sigmoid's is at most $1/4$ and vanishes for large $|z|$, ReLU's is 0 or 1."
    )
    ch.figure(plot_activations(), "Activation functions and their derivatives (the right panel "
              "was computed by reverse-mode autodiff, one backward pass per curve).")

    ch.heading("Defining a network")
    ch.text(
        "In `fromscratch.nn` a network is written as in PyTorch: "
        "`Sequential(Linear(2, 8), Tanh(), Linear(8, 8), Tanh(), Linear(8, 1))`. A "
        "`Linear(n_in, n_out)` layer holds a weight of shape $(n_{out}, n_{in})$ and a bias, "
        "both *parameters* (Tensors that require gradients) that `model.parameters()` finds "
        "by walking the module's attributes. Weights start random, "
        "$W_{ij} \\sim U(-1/\\sqrt{n_{in}}, 1/\\sqrt{n_{in}})$, so that the units differ and "
        "the variance of $z$ stays of order one from layer to layer."
    )
    model = nn.Sequential(nn.Linear(2, 8, random_state=0), nn.Tanh(),
                          nn.Linear(8, 8, random_state=1), nn.Tanh(),
                          nn.Linear(8, 1, random_state=2))
    ch.table(["parameter", "shape", "entries"],
             [[name, str(p.data.shape), p.data.size] for name, p in model.named_parameters()],
             "The parameters of the 2 → 8 → 8 → 1 network, as named by `named_parameters()`.")
    ch.figure(plot_network(model), "The same network: each line is one weight (blue positive, "
              "red negative, width proportional to its size).")


def _backpropagation(ch) -> None:
    from fromscratch import nn
    from fromscratch.nn.backprop import FeedForwardNetwork

    ch.heading("The feedforward pass and backpropagation")
    ch.text(
        "Training needs the gradient of the loss $\\ell$ with respect to every weight. Write "
        "$\\delta^l = \\partial \\ell / \\partial z^l$ for the *error* of layer $l$. The chain "
        "rule, applied once per layer from the output back to the input, gives the "
        "backpropagation recurrence:"
    )
    ch.equation(r"\delta^L = \frac{\partial \ell}{\partial z^L}, \qquad "
                r"\delta^l = (W^{l+1})^\top \delta^{l+1} \odot \sigma'(z^l)")
    ch.equation(r"\frac{\partial \ell}{\partial W^l} = \delta^l (a^{l-1})^\top, \qquad "
                r"\frac{\partial \ell}{\partial b^l} = \delta^l")
    ch.text(
        "For softmax + cross-entropy (and sigmoid + binary cross-entropy, identity + squared "
        "error) the output error is simply $\\delta^L = \\hat y - y$: the prediction minus the "
        "target. `FeedForwardNetwork` in `fromscratch.nn.backprop` implements exactly these "
        "four lines in NumPy. Reverse-mode autodiff does the same computation without being "
        "told: each matrix product's vector-Jacobian product is $\\bar a = W^\\top \\bar z$, "
        "each activation's is $\\bar z = \\bar a \\odot \\sigma'(z)$ — backpropagation is "
        "reverse-mode differentiation of a chain of layers."
    )
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 4)), rng.integers(0, 3, 32)
    hand = FeedForwardNetwork([4, 16, 8, 3], "tanh", "cross_entropy", random_state=0)
    loss, grad_W, grad_b = hand.loss_and_gradients(X, y)

    layers = []
    for i, (W, b) in enumerate(zip(hand.weights, hand.biases, strict=True)):
        linear = nn.Linear(W.shape[1], W.shape[0])
        linear.load_state_dict({"weight": W, "bias": b})
        layers += [linear] + ([nn.Tanh()] if i < len(hand.weights) - 1 else [])
    model = nn.Sequential(*layers)
    auto_loss = nn.CrossEntropyLoss()(model(X), y)
    auto_loss.backward()
    auto = [p.grad for p in model.parameters()]
    by_hand = [g for pair in zip(grad_W, grad_b, strict=True) for g in pair]
    ch.check_close("loss of the hand-written network", "the Module on the autodiff engine",
                   loss, auto_loss.item(), rtol=1e-12)
    ch.check_close("δ-recurrence gradients (all layers)", "reverse-mode autodiff",
                   np.concatenate([g.ravel() for g in by_hand]),
                   np.concatenate([g.ravel() for g in auto]), rtol=1e-10)

    # Central differences on a few weights: an independent check of both.
    eps = 1e-6
    picks = [(0, (3, 1)), (1, (5, 2)), (2, (2, 7))]
    numeric, analytic = [], []
    for layer, index in picks:
        W = hand.weights[layer]
        saved = W[index]
        W[index] = saved + eps
        up = hand.loss_value(X, y)
        W[index] = saved - eps
        down = hand.loss_value(X, y)
        W[index] = saved
        numeric.append((up - down) / (2 * eps))
        analytic.append(grad_W[layer][index])
    ch.check_close("δ-recurrence gradients (3 weights)", "central finite differences",
                   analytic, numeric, rtol=1e-6, atol=1e-9)
    ch.text(
        "The comparisons with PyTorch — every layer, activation and loss, forward and "
        "backward, and whole SGD and Adam training steps, in float64 to 1e-10 — live in "
        "`tests/nn`, since the library never imports its references."
    )


def _linear_models_as_networks(ch) -> None:
    from fromscratch.linear_model import LinearRegression, LogisticRegression
    from fromscratch.nn import MLPClassifier, MLPRegressor

    ch.heading("Linear and logistic regression are networks")
    ch.text(
        "With no hidden layer, a network is one `Linear` layer followed by its output "
        "function. With the identity and the squared error it *is* linear regression; with "
        "the sigmoid and the cross-entropy it *is* logistic regression — the same model and "
        "the same objective, only fitted by gradient descent instead of a closed form or "
        "Newton's method. Trained to convergence (full batch, no penalty), the network must "
        "land on the same coefficients."
    )
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    y_lin = X @ np.array([1.0, -2.0, 0.5]) + 0.7 + 0.3 * rng.normal(size=200)
    net = MLPRegressor((), alpha=0.0, optimizer="sgd", batch_size=200, learning_rate_init=0.5,
                       max_iter=5000, tol=0.0, n_iter_no_change=20, random_state=0)
    net.fit(X, y_lin)
    ols = LinearRegression().fit(X, y_lin)
    ch.check_close("no-hidden-layer network, identity output", "LinearRegression (QR)",
                   np.r_[net.coefs_[0].ravel(), net.intercepts_[0]],
                   np.r_[ols.coef_, ols.intercept_], rtol=1e-8)

    logits = X @ np.array([1.5, -2.0, 0.5]) + 0.3
    y_log = (rng.uniform(size=200) < 1 / (1 + np.exp(-logits))).astype(int)
    clf = MLPClassifier((), alpha=0.0, optimizer="sgd", batch_size=200, learning_rate_init=1.0,
                        max_iter=5000, tol=0.0, n_iter_no_change=20, random_state=0)
    clf.fit(X, y_log)
    logistic = LogisticRegression(C=np.inf, tol=1e-10).fit(X, y_log)
    ch.check_close("no-hidden-layer network, sigmoid output", "LogisticRegression (Newton)",
                   np.r_[clf.coefs_[0].ravel(), clf.intercepts_[0]],
                   np.r_[logistic.coef_.ravel(), logistic.intercept_], rtol=1e-6)
    ch.table(["", "w₁", "w₂", "w₃", "b", "epochs"], [
        ["network, identity output", *np.round(net.coefs_[0].ravel(), 6),
         round(float(net.intercepts_[0][0]), 6), net.n_iter_],
        ["LinearRegression", *np.round(ols.coef_, 6), round(float(ols.intercept_), 6), "—"],
        ["network, sigmoid output", *np.round(clf.coefs_[0].ravel(), 6),
         round(float(clf.intercepts_[0][0]), 6), clf.n_iter_],
        ["LogisticRegression", *np.round(logistic.coef_.ravel(), 6),
         round(float(logistic.intercept_[0]), 6), "—"],
    ], "Gradient descent on the network and the classical solvers agree.")


def _nonlinear_boundaries(ch) -> None:
    from fromscratch import nn, optim
    from fromscratch.datasets import make_circles, make_moons
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.plot.nn import plot_decision_boundaries, plot_history

    ch.heading("Boundaries a linear model cannot draw")
    ch.text(
        "Logistic regression separates classes with a straight line, whatever the data. A "
        "hidden layer of tanh units bends the boundary: each unit draws one soft line, and "
        "the output layer combines them. Below, a 2 → 16 → 16 → 1 network learns two "
        "interleaved half-moons; the snapshots show the boundary during training."
    )
    moons = make_moons(300 if ch.quick else 600, noise=0.15, random_state=0)
    X_train, X_test, y_train, y_test = _split(moons.X, moons.y)
    model = nn.Sequential(nn.Linear(2, 16, random_state=0), nn.Tanh(),
                          nn.Linear(16, 16, random_state=1), nn.Tanh(),
                          nn.Linear(16, 1, random_state=2))
    snapshots = {}
    epochs = 60 if ch.quick else 150
    wanted = {1, 3, 10, 25, epochs}

    def keep(epoch, model, history):
        if epoch in wanted:
            snapshots[f"epoch {epoch}"] = model.state_dict()

    history = nn.fit(model, nn.BCEWithLogitsLoss(), optim.Adam(model.parameters(), lr=0.02),
                     X_train, y_train.reshape(-1, 1).astype(float), epochs=epochs,
                     batch_size=32, validation_data=(X_test, y_test.reshape(-1, 1)),
                     random_state=0, callback=keep)

    def predictor(state):
        copy = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(),
                             nn.Linear(16, 1))
        copy.load_state_dict(state)
        return lambda P: nn.functional.sigmoid(copy(P).data)

    linear = LogisticRegression().fit(X_train, y_train)
    panels = {"logistic regression": linear}
    panels.update({title: predictor(state) for title, state in snapshots.items()})
    ch.figure(plot_decision_boundaries(panels, X_train, y_train, ncols=3),
              "Logistic regression (first panel) against the network after 1, 3, 10, 25 "
              "epochs and at the end: the boundary bends into the gap between the moons.")
    ch.figure(plot_history(history), "Training and validation loss and accuracy per epoch.")
    accuracy = history["val_accuracy"][-1]
    ch.check_bound("network test accuracy on two moons", "bound", accuracy, at_least=0.95)
    ch.check_bound("logistic regression test accuracy on two moons (a line)", "bound",
                   float(np.mean(linear.predict(X_test) == y_test)), at_most=0.92)

    circles = make_circles(400, noise=0.08, factor=0.5, random_state=0)
    clf = nn.MLPClassifier((8,), activation="tanh", learning_rate_init=0.02,
                           max_iter=300, random_state=0).fit(circles.X, circles.y)
    ch.text(
        "Two concentric circles are the extreme case: no line does better than chance, while "
        f"eight hidden units reach a training accuracy of {clf.score(circles.X, circles.y):.3f} "
        "with a closed, round boundary."
    )
    ch.figure(plot_decision_boundaries({"circles, 2 → 8 → 1 (tanh)": clf}, circles.X,
                                       circles.y, ncols=1),
              "Eight tanh units combine into a closed boundary.")


def _digits(ch) -> None:
    from fromscratch.datasets import load_digits
    from fromscratch.nn import MLPClassifier
    from fromscratch.plot.nn import plot_confusion_matrix, plot_misclassified

    ch.heading("Handwritten digits")
    ch.text(
        "The 8×8 digit images have 64 pixels; a network with one hidden layer of 64 ReLU "
        "units and a softmax output over the 10 digits, trained with Adam on mini-batches of "
        "32, classifies held-out images almost perfectly."
    )
    from fromscratch.model_selection import train_test_split
    from fromscratch.preprocessing import StandardScaler

    digits = load_digits()
    train, test = train_test_split(np.arange(len(digits.y)), test_size=0.25, random_state=0,
                                   stratify=digits.y)
    scaler = StandardScaler().fit(digits.X[train])
    X_train, X_test = scaler.transform(digits.X[train]), scaler.transform(digits.X[test])
    y_train, y_test = digits.y[train], digits.y[test]
    clf = MLPClassifier((64,), batch_size=32, max_iter=25 if ch.quick else 100,
                        random_state=0).fit(X_train, y_train)
    predicted = clf.predict(X_test)
    accuracy = float(np.mean(predicted == y_test))
    ch.check_bound("digits test accuracy, 64 → 64 → 10", "bound", accuracy, at_least=0.97)
    ch.figure(plot_confusion_matrix(y_test, predicted),
              f"Test-set confusion matrix (accuracy {accuracy:.3f}).")
    ch.figure(plot_misclassified(digits.images[test], y_test, predicted, n=16),
              "Test images the network got wrong, with true → predicted labels.")


def _hidden_layer_experiment(ch) -> None:
    from fromscratch.datasets import make_classification
    from fromscratch.metrics import roc_auc_score
    from fromscratch.nn import MLPClassifier

    ch.heading("What hidden layers buy")
    ch.text(
        "Guyon's `make_classification` design places each class on several Gaussian "
        "clusters at random vertices of a hypercube in the informative features — an "
        "XOR-like layout that no hyperplane separates well. With 5,000 samples, 20 features "
        "(15 informative, 3 redundant), 5 % of labels redrawn at random and 4 clusters per "
        "class, compare the network without hidden layers (logistic regression) and the same "
        "network with two small hidden layers (8, 3), on an 80/20 split."
    )
    rows, gains = [], []
    for seed in (0, 1, 2):  # the gain depends on the random cluster layout: show three draws
        data = make_classification(5000, 20, n_informative=15, n_redundant=3, flip_y=0.05,
                                   n_clusters_per_class=4, random_state=seed)
        X_train, X_test, y_train, y_test = _split(data.X, data.y, test_size=0.2)
        auc = {}
        for hidden in [(), (8, 3)]:
            clf = MLPClassifier(hidden, learning_rate_init=0.01,
                                max_iter=60 if ch.quick else 200, random_state=0)
            clf.fit(X_train, y_train)
            auc[hidden] = roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
        gains.append(auc[(8, 3)] - auc[()])
        rows.append([seed, round(auc[()], 4), round(auc[(8, 3)], 4), round(gains[-1], 4)])
    ch.table(["data set (random_state)", "test AUC, no hidden layer", "test AUC, (8, 3)",
              "gain"], rows,
             "Logistic regression (21 parameters) against hidden layers (8, 3) (205 "
             "parameters) on three random draws of the same design.")
    ch.check_bound("mean AUC gain of hidden layers (8, 3) over none (3 data sets)", "bound",
                   float(np.mean(gains)), at_least=0.1)
    ch.text(
        "What it depends on: the gain varies a lot with the random placement of the "
        "clusters (from below 0.1 to about 0.19 across data sets with 4 clusters per class). "
        "With scikit-learn's default of 2 clusters per class it is smaller, about 0.06–0.11: "
        "four clusters on a 15-dimensional hypercube are often nearly separable by a "
        "hyperplane. More clusters per class make the layout more XOR-like; a larger "
        "`class_sep` helps the linear model and shrinks the gap."
    )
