"""The neural-network chapter's sections on the two networks without a hidden layer: linear
regression (identity output, squared error) and logistic regression (sigmoid output,
cross-entropy), each trained by full-batch gradient descent through the autodiff engine and
checked against the classical solver."""

from __future__ import annotations

import numpy as np

# The strings the chapter's topic table quotes (ch_nn.TOPICS).
HEADING_I5 = "Linear regression as a network"
FIGURE_I5 = ("The 3 → 1 network's weights and bias during full-batch gradient descent (left; "
             "dashed: the least-squares solution) and their distance to it (right).")
CHECK_I5 = "3 → 1 network with identity output, weights and bias"
HEADING_I8 = "Logistic regression as a network"
FIGURE_I8 = ("The 3 → 1 sigmoid network's weights and bias during full-batch gradient descent "
             "(left; dashed: Newton's logistic regression) and their distance to it (right).")
CHECK_I8 = "3 → 1 network with sigmoid output, weights and bias"


def _data():
    """Three standard normal features; a linear target with noise, and labels drawn from a
    logistic model."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    y_linear = X @ np.array([1.0, -2.0, 0.5]) + 0.7 + 0.3 * rng.normal(size=200)
    logits = X @ np.array([1.5, -2.0, 0.5]) + 0.3
    y_binary = (rng.uniform(size=200) < 1 / (1 + np.exp(-logits))).astype(float)
    return X, y_linear, y_binary


def train_single_layer(loss_fn, X, y, *, learning_rate: float, epochs: int):
    """A ``Linear(p, 1)`` trained by full-batch gradient descent with ``nn.fit``; returns the
    model and its parameters ``(w, b)`` before training and after every epoch."""
    from fromscratch import nn, optim

    model = nn.Sequential(nn.Linear(X.shape[1], 1, random_state=0))

    def parameters(module) -> np.ndarray:
        return np.concatenate([p.data.ravel() for p in module.parameters()])

    path = [parameters(model)]
    nn.fit(model, loss_fn, optim.SGD(model.parameters(), lr=learning_rate), X,
           y.reshape(-1, 1), epochs=epochs, batch_size=len(X), shuffle=False,
           callback=lambda epoch, module, history: path.append(parameters(module)))
    return model, np.array(path)


def linear_regression_network(ch) -> None:
    from fromscratch import nn
    from fromscratch.linear_model import LinearRegression
    from fromscratch.metrics import mean_squared_error
    from fromscratch.plot.nn import plot_parameter_paths

    ch.heading(HEADING_I5)
    ch.text(
        "A network with no hidden layer is one `Linear` layer and its output function. With "
        "the identity and the mean squared error it *is* linear regression:"
    )
    ch.equation(r"\hat y_i = w^\top x_i + b, \qquad "
                r"\ell(w, b) = \frac1n \sum_{i=1}^n (\hat y_i - y_i)^2")
    ch.text(
        "The output error of the recurrence is $\\delta_i = 2(\\hat y_i - y_i)/n$, so the "
        "layer's gradient is $\\nabla_w \\ell = \\frac2n X^\\top(\\hat y - y)$, "
        "$\\partial \\ell / \\partial b = \\frac2n \\sum_i (\\hat y_i - y_i)$ — the partial "
        "derivatives of the linear-regression chapter. The loss is a convex quadratic with "
        "Hessian $\\frac2n \\tilde X^\\top \\tilde X$ ($\\tilde X = [X, \\mathbf 1]$), so "
        "full-batch gradient descent with a step below $2/\\lambda_{max}$ converges to its "
        "unique minimiser, the least-squares solution. The network is built and trained "
        "like any other: `Sequential(Linear(3, 1))`, `MSELoss()`, `optim.SGD(lr=0.3)`, "
        "`nn.fit` with one batch of all 200 samples."
    )
    X, y, _ = _data()
    epochs = 60
    model, path = train_single_layer(nn.MSELoss(), X, y, learning_rate=0.3, epochs=epochs)
    ols = LinearRegression().fit(X, y)
    reference = np.r_[ols.coef_, ols.intercept_]
    ch.figure(plot_parameter_paths(path, reference, ["w₁", "w₂", "w₃", "b"],
                                   reference_label="least squares (QR)"), FIGURE_I5)
    # Gradient descent contracts the error by |1 − ηλ| ≤ 0.6 per epoch here: after 60 epochs
    # it is at rounding level, so the only gap left is float64 rounding in both solvers.
    ch.check_close(CHECK_I5, "LinearRegression (Householder QR)", path[-1], reference,
                   rtol=1e-10)
    loss = float(nn.MSELoss()(model(X), y.reshape(-1, 1)).item())
    ch.check_close("3 → 1 network with identity output, final training loss",
                   "the least-squares residual mean square", loss,
                   mean_squared_error(y, ols.predict(X)), rtol=1e-12)
    ch.table(["", "w₁", "w₂", "w₃", "b", "mean squared error"], [
        ["network, identity output, 60 epochs", *path[-1], loss],
        ["LinearRegression (QR)", *reference, mean_squared_error(y, ols.predict(X))],
    ], "Gradient descent on the network and the closed form agree.")


def logistic_regression_network(ch) -> None:
    from fromscratch import nn
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.metrics import log_loss
    from fromscratch.plot.nn import plot_parameter_paths

    ch.heading(HEADING_I8)
    ch.text(
        "Swap the output function for the sigmoid and the loss for the binary "
        "cross-entropy, and the same one-layer network is logistic regression:"
    )
    ch.equation(r"\hat p_i = \frac{1}{1 + e^{-(w^\top x_i + b)}}, \qquad "
                r"\ell(w, b) = -\frac1n \sum_{i=1}^n \bigl[y_i \log \hat p_i + "
                r"(1 - y_i) \log (1 - \hat p_i)\bigr]")
    ch.text(
        "Its output error is again the prediction minus the target, "
        "$\\delta_i = (\\hat p_i - y_i)/n$ (the sigmoid's slope $\\hat p(1 - \\hat p)$ "
        "cancels against the derivative of the logarithms), so the gradient is "
        "$\\frac1n X^\\top (\\hat p - y)$: the logistic-regression chapter's. Setting it to "
        "zero has no closed form, but the loss is convex, and gradient descent reaches the "
        "same minimiser that `LogisticRegression(C=inf)` finds by Newton's method — the same "
        "model and the same objective, only another route. `BCEWithLogitsLoss` takes the "
        "scores $z = w^\\top x + b$ and applies the sigmoid inside the loss, in the stable "
        "form $\\max(z, 0) - zy + \\log(1 + e^{-|z|})$."
    )
    X, _, y = _data()
    epochs = 300
    model, path = train_single_layer(nn.BCEWithLogitsLoss(), X, y, learning_rate=2.0,
                                     epochs=epochs)
    newton = LogisticRegression(C=np.inf, tol=1e-10).fit(X, y.astype(int))
    reference = np.r_[newton.coef_.ravel(), newton.intercept_]
    ch.figure(plot_parameter_paths(path, reference, ["w₁", "w₂", "w₃", "b"],
                                   reference_label="Newton (LogisticRegression)"), FIGURE_I8)
    # The distance falls geometrically (right panel), to about 1e-11 after 300 epochs.
    ch.check_close(CHECK_I8, "LogisticRegression(C=inf), Newton's method", path[-1], reference,
                   rtol=1e-9)
    loss = float(nn.BCEWithLogitsLoss()(model(X), y.reshape(-1, 1)).item())
    newton_loss = log_loss(y.astype(int), newton.predict_proba(X))
    ch.check_close("3 → 1 network with sigmoid output, final training loss",
                   "the log-loss at Newton's solution", loss, newton_loss, rtol=1e-12)
    ch.table(["", "w₁", "w₂", "w₃", "b", "log-loss"], [
        [f"network, sigmoid output, {epochs} epochs", *path[-1], loss],
        ["LogisticRegression (Newton)", *reference, newton_loss],
    ], "Gradient descent on the network and Newton's method agree.")
