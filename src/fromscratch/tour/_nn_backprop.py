"""The neural-network chapter's sections on gradients: backpropagation derived step by step and
checked layer by layer, training with autodiff (the loop, and its loss curve against the one the
hand-derived gradients give), and the non-linear activations with their derivatives."""

from __future__ import annotations

import numpy as np

from fromscratch.tour._nn_networks import tanh_network, values

# The strings the chapter's topic table quotes (ch_nn.TOPICS).
HEADING_I4 = "Backpropagation, derived step by step"
FIGURE_I4 = ("The backward pass of a batch of 8 through the 4 → 16 → 8 → 3 network: the "
             "errors δ flow from the output back to the first layer, each the one after it "
             "times a weight matrix and the activation's slope.")
GRADIENT_CHECK = "∂ℓ/∂{} by the δ recurrence"
CHECK_I4 = GRADIENT_CHECK.format("W¹")
HEADING_I6 = "Training with automatic differentiation"
FIGURE_I6 = ("Full-batch gradient descent on the two moons, 2 → 16 → 16 → 1 (tanh): the loss "
             "per epoch with gradients from reverse-mode autodiff and from the δ recurrence, "
             "and the gap between the two runs.")
CHECK_I6 = "training loss per epoch, autodiff (nn.fit with optim.SGD)"
HEADING_I7 = "Non-linear activation functions"
FIGURE_I7 = ("Activation functions and their derivatives (the right panel was computed by "
             "reverse-mode autodiff, one backward pass per curve).")
DERIVATIVE_CHECK = "{}'(z) by autodiff"
CHECK_I7 = DERIVATIVE_CHECK.format("sigmoid")


def _module_like(hand):
    """A ``Sequential`` (tanh between the layers) holding the hand-written network's weights."""
    model = tanh_network(hand.layer_sizes)
    linears = [m for m in model if hasattr(m, "weight")]
    for linear, W, b in zip(linears, hand.weights, hand.biases, strict=True):
        linear.load_state_dict({"weight": W, "bias": b})
    return model


def backpropagation(ch) -> None:
    from fromscratch import nn
    from fromscratch.nn.backprop import FeedForwardNetwork
    from fromscratch.plot.nn import plot_layer_arrays

    ch.heading(HEADING_I4)
    ch.text(
        "Training needs the gradient of the loss $\\ell$ with respect to every weight. The "
        "trick is to first ask how the loss moves with each layer's weighted sums: write "
        "$\\delta^l = \\partial \\ell / \\partial z^l$ for the *error* of layer $l$, a vector "
        "of $n_l$ numbers. Four steps of the chain rule give everything."
    )
    ch.text(
        "**Step 1, the output layer.** For softmax and cross-entropy, "
        "$\\ell = -\\sum_c y_c \\log p_c$ with $p_c = e^{z_c} / \\sum_k e^{z_k}$ and a one-hot "
        "target $y$. Since $\\partial \\log p_c / \\partial z_k = [c = k] - p_k$,"
    )
    ch.equation(r"\delta^L_k = \frac{\partial \ell}{\partial z^L_k} = "
                r"-\sum_c y_c \bigl([c = k] - p_k\bigr) = p_k - y_k, \qquad "
                r"\delta^L = \hat y - y")
    ch.text(
        "(using $\\sum_c y_c = 1$). The sigmoid with binary cross-entropy and the identity "
        "with the squared error give the same *prediction minus target*, the squared error "
        "with a factor 2."
    )
    ch.text(
        "**Step 2, one layer back.** $z^l_j$ reaches the loss only through "
        "$a^l_j = \\sigma(z^l_j)$, which feeds every $z^{l+1}_k = \\sum_j W^{l+1}_{kj} a^l_j + "
        "b^{l+1}_k$. The chain rule sums over those paths:"
    )
    ch.equation(r"\delta^l_j = \sum_k \frac{\partial \ell}{\partial z^{l+1}_k}\,"
                r"\frac{\partial z^{l+1}_k}{\partial a^l_j}\,\frac{\partial a^l_j}{\partial z^l_j}"
                r" = \sum_k \delta^{l+1}_k W^{l+1}_{kj}\, \sigma'(z^l_j), \qquad "
                r"\delta^l = (W^{l+1})^\top \delta^{l+1} \odot \sigma'(z^l)")
    ch.text(
        "**Step 3, the parameters.** $W^l_{jk}$ appears only in $z^l_j$, with "
        "$\\partial z^l_j / \\partial W^l_{jk} = a^{l-1}_k$ and "
        "$\\partial z^l_j / \\partial b^l_j = 1$:"
    )
    ch.equation(r"\frac{\partial \ell}{\partial W^l_{jk}} = \delta^l_j\, a^{l-1}_k, \qquad "
                r"\frac{\partial \ell}{\partial W^l} = \delta^l (a^{l-1})^\top, \qquad "
                r"\frac{\partial \ell}{\partial b^l} = \delta^l")
    ch.text(
        "**Step 4, the batch.** The loss is the mean over $n$ samples, so the output errors "
        "are divided by $n$ and each parameter's gradient sums its samples' contributions. "
        "With the samples as rows ($\\Delta^l$ is $n \\times n_l$), the recurrence is three "
        "matrix products per layer — the forward pass's products, transposed:"
    )
    ch.equation(r"\Delta^L = \tfrac{1}{n}(\hat Y - Y), \quad "
                r"\Delta^l = \bigl(\Delta^{l+1} W^{l+1}\bigr) \odot \sigma'(Z^l), \quad "
                r"\frac{\partial \ell}{\partial W^l} = (\Delta^l)^\top A^{l-1}, \quad "
                r"\frac{\partial \ell}{\partial b^l} = \mathbf 1^\top \Delta^l")
    ch.text(
        "So the backward pass costs about as much as the forward pass, whatever the number "
        "of weights — finite differences would need one more forward pass per weight. "
        "`FeedForwardNetwork` in `fromscratch.nn.backprop` writes these lines in NumPy, "
        "without the autodiff engine:"
    )
    ch.code(FeedForwardNetwork._backward, "fromscratch.nn.backprop.FeedForwardNetwork."
            "_backward: the forward pass keeps every $z^l$ and $a^{l-1}$, then the loop runs "
            "the δ recurrence from the last layer to the first.")

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 4)), rng.integers(0, 3, 32)
    hand = FeedForwardNetwork([4, 16, 8, 3], "tanh", "cross_entropy", random_state=0)
    loss, grad_W, grad_b = hand.loss_and_gradients(X, y)
    deltas = hand.errors(X[:8], y[:8])
    n_layers = len(deltas)
    ch.figure(plot_layer_arrays(
        {f"$\\delta^{l}$": deltas[l - 1] for l in range(n_layers, 0, -1)},
        operations=[rf"$\cdot W^{l + 1} \odot \sigma'(z^{l})$"
                    for l in range(n_layers - 1, 0, -1)]), FIGURE_I4)

    ch.text(
        "Reverse-mode autodiff does the same computation without being told: each matrix "
        "product's vector-Jacobian product is $\\bar a = W^\\top \\bar z$, each activation's "
        "is $\\bar z = \\bar a \\odot \\sigma'(z)$ — backpropagation is reverse-mode "
        "differentiation of a chain of layers. The same network as a `Module`, its gradients "
        "from `loss.backward()`, must agree with the recurrence in every layer:"
    )
    model = _module_like(hand)
    auto_loss = nn.CrossEntropyLoss()(model(X), y)
    auto_loss.backward()
    linears = [m for m in model if hasattr(m, "weight")]
    ch.table(["layer", "‖∂ℓ/∂W‖", "max gap to autodiff, W", "‖∂ℓ/∂b‖",
              "max gap to autodiff, b"],
             [[l + 1, np.sqrt(np.sum(grad_W[l] ** 2)),
               float(np.max(np.abs(grad_W[l] - layer.weight.grad))),
               np.sqrt(np.sum(grad_b[l] ** 2)),
               float(np.max(np.abs(grad_b[l] - layer.bias.grad)))]
              for l, layer in enumerate(linears)],
             "The δ recurrence against reverse-mode autodiff, layer by layer (4 → 16 → 8 → 3, "
             "tanh, softmax cross-entropy, a batch of 32).")
    ch.check_close("loss of the hand-written network", "the Module on the autodiff engine",
                   loss, auto_loss.item(), rtol=1e-12)
    # Both routes multiply the same numbers in float64, in different orders: they agree to
    # rounding (about 1e-16 relative); a wrong factor or a missing σ' is off by O(1).
    superscripts = "¹²³⁴⁵⁶⁷⁸⁹"
    for l, layer in enumerate(linears):
        ch.check_close(GRADIENT_CHECK.format(f"W{superscripts[l]}"), "reverse-mode autodiff",
                       grad_W[l], layer.weight.grad, rtol=1e-10)
        ch.check_close(GRADIENT_CHECK.format(f"b{superscripts[l]}"), "reverse-mode autodiff",
                       grad_b[l], layer.bias.grad, rtol=1e-10)

    # Central differences on one weight per layer: a check of both that shares no code.
    eps = 1e-6

    def central_difference(layer: int, index: tuple[int, int]) -> float:
        W = hand.weights[layer]
        saved = W[index]
        losses = []
        for value in (saved + eps, saved - eps):
            W[index] = value
            losses.append(hand.loss_value(X, y))
        W[index] = saved
        return (losses[0] - losses[1]) / (2 * eps)

    picks = [(0, (3, 1)), (1, (5, 2)), (2, (2, 7))]
    numeric = [central_difference(layer, index) for layer, index in picks]
    analytic = [grad_W[layer][index] for layer, index in picks]
    # O(eps²) truncation and O(1e-16/eps) rounding: about 1e-10 here.
    ch.check_close("δ-recurrence gradients, one weight per layer", "central finite differences",
                   analytic, numeric, rtol=1e-6, atol=1e-9)
    ch.skip("δ-recurrence gradients of every layer", "PyTorch autograd",
            "the tour never imports its references; tests/nn/test_nn_backprop.py and "
            "notebook 08 compare every layer with PyTorch")
    _gradient_flow(ch)


def _gradient_flow(ch) -> None:
    from fromscratch.nn import init
    from fromscratch.nn.backprop import FeedForwardNetwork
    from fromscratch.plot.nn import plot_per_layer

    sizes = [16] + [32] * 6 + [1]
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(256, sizes[0])), rng.integers(0, 2, 256)
    def glorot(shape):
        return init.xavier_uniform(shape, random_state=rng)

    def he(shape):
        return init.kaiming_uniform(shape, nonlinearity="relu", random_state=rng)

    # activation: (its name in nn.backprop, the initialisation scaled for it)
    activations = {"sigmoid": ("logistic", glorot), "tanh": ("tanh", glorot),
                   "ReLU": ("relu", he)}
    panels = {"U(±1/√n_in)": {}, "Glorot (sigmoid, tanh), He (ReLU)": {}}
    for label, (activation, draw) in activations.items():
        default = FeedForwardNetwork(sizes, activation, "binary_cross_entropy", random_state=2)
        scaled = FeedForwardNetwork.from_parameters(
            [draw(W.shape) for W in default.weights], [np.zeros_like(b) for b in default.biases],
            activation, "binary_cross_entropy")
        for panel, network in zip(panels.values(), (default, scaled), strict=True):
            grad_W = network.loss_and_gradients(X, y)[1]
            panel[label] = [float(np.sqrt(np.sum(g**2))) for g in grad_W]
    default, scaled = (
        {label: norms[-1] / norms[0] for label, norms in panel.items()}
        for panel in panels.values())
    spread = max(max(ratio, 1 / ratio) for ratios in (default, scaled)
                 for label, ratio in ratios.items() if label != "sigmoid")
    ch.text(
        "The recurrence also shows why deep networks were hard to train: every step back "
        "multiplies by $(W^{l+1})^\\top$ and by $\\sigma'(z^l)$. The sigmoid's slope is at "
        "most $1/4$, so through sigmoid layers the errors — and the weight gradients "
        "$\\delta^l (a^{l-1})^\\top$ — shrink layer by layer towards the input (*vanishing "
        "gradients*): with six hidden layers of 32 units the last layer's gradient is "
        f"{default['sigmoid']:,.0f} times the first's with U(±1/√n_in) and "
        f"{scaled['sigmoid']:,.0f} times with Glorot's initialisation. Through tanh and ReLU, "
        "whose slope is 1 near 0 (or on the active half), the first and last layers' "
        f"gradients differ by a factor of at most {spread:.0f}."
    )
    ch.figure(plot_per_layer(panels, ylabel=r"$\|\partial \ell / \partial W^l\|$"),
              "The size of each layer's weight gradient at the start of training, in a "
              "16 → 32 × 6 → 1 network, for two initialisations (layer 1 is next to the input).")


def training_with_autodiff(ch) -> None:
    from fromscratch import nn, optim
    from fromscratch.datasets import make_moons
    from fromscratch.nn.backprop import FeedForwardNetwork
    from fromscratch.nn.training import train_epoch
    from fromscratch.plot.nn import plot_curves
    from fromscratch.preprocessing import StandardScaler

    ch.heading(HEADING_I6)
    ch.text(
        "With gradients from the autodiff engine, training is four lines repeated: forget the "
        "last gradients, run the model forward (the engine records every operation), run the "
        "recording backwards (every parameter's `.grad` is filled), and let the optimizer "
        "step, $\\theta \\leftarrow \\theta - \\eta\\, \\partial \\ell / \\partial \\theta$ for "
        "plain gradient descent. `zero_grad` matters: `backward` *adds* to `.grad` (a "
        "parameter used twice must receive both contributions), so without it every step "
        "would carry all the earlier gradients. The library's epoch, as `nn.fit` runs it:"
    )
    ch.code(train_epoch, "fromscratch.nn.training.train_epoch: one pass over the mini-batches.")
    ch.text(
        "The network never says how to differentiate itself; the loop works for any model "
        "the engine can run. To see that it computes exactly what backpropagation computes, "
        "train the same 2 → 16 → 16 → 1 tanh network on the two moons twice from the same "
        "initial weights, with full-batch gradient descent (one batch of all samples, "
        "$\\eta = 0.5$): once by `nn.fit` with `optim.SGD`, once by "
        "`FeedForwardNetwork.gradient_descent` with the δ recurrence."
    )
    moons = make_moons(200 if ch.quick else 400, noise=0.15, random_state=1)
    X = StandardScaler().fit_transform(moons.X)
    y = moons.y.reshape(-1, 1).astype(float)
    epochs = 150 if ch.quick else 500
    hand = FeedForwardNetwork([2, 16, 16, 1], "tanh", "binary_cross_entropy", random_state=3)
    model = _module_like(hand)
    history = nn.fit(model, nn.BCEWithLogitsLoss(), optim.SGD(model.parameters(), lr=0.5),
                     X, y, epochs=epochs, batch_size=len(X), shuffle=False)
    by_hand = hand.gradient_descent(X, y, learning_rate=0.5, epochs=epochs)
    gap = np.abs(np.array(history["loss"]) - np.array(by_hand))
    ch.figure(plot_curves(
        {"Training loss": {"autodiff: nn.fit, optim.SGD": history["loss"],
                           "δ recurrence: gradient_descent": by_hand},
         "Gap between the two runs": {"|ℓ(autodiff) − ℓ(δ recurrence)|": gap}}), FIGURE_I6)
    # The same float64 arithmetic in a different order: the runs differ by rounding, which
    # gradient descent on a smooth loss does not amplify over a few hundred steps.
    ch.check_close(CHECK_I6, "the same network trained with the δ-recurrence gradients",
                   history["loss"], by_hand, rtol=1e-10)
    final = [p.data for p in model.parameters()]
    reference = [t for pair in zip(hand.weights, hand.biases, strict=True) for t in pair]
    ch.check_close("trained weights and biases, autodiff", "the δ-recurrence run",
                   np.concatenate([w.ravel() for w in final]),
                   np.concatenate([w.ravel() for w in reference]), rtol=1e-10)
    ch.check_bound("training loss after full-batch descent, relative to its start",
                   "bound", by_hand[-1] / by_hand[0], at_most=0.5)
    ch.text(
        f"The loss falls from {by_hand[0]:.3f} to {by_hand[-1]:.3f} in {epochs} epochs and "
        f"the two runs never differ by more than {gap.max():.1e}. In practice the loop runs "
        "on mini-batches with a better optimizer (Adam, below); only the update changes."
    )


def activations(ch) -> None:
    from fromscratch import nn
    from fromscratch.autodiff import Tensor, no_grad
    from fromscratch.nn import functional as F
    from fromscratch.nn.backprop import ACTIVATIONS
    from fromscratch.plot.nn import plot_activations

    ch.heading(HEADING_I7)
    ch.text(
        "Without activations the chain of layers collapses into one linear map, "
        "$W^2(W^1 x + b^1) + b^2 = (W^2 W^1)x + (W^2 b^1 + b^2)$: depth buys nothing, and "
        "the network can draw only hyperplanes. A non-linear $\\sigma$ between the layers "
        "lets each unit bend its input. Backpropagation needs its derivative $\\sigma'(z)$, "
        "which enters every step of the recurrence (the library's modules `Sigmoid`, `Tanh`, "
        "`ReLU` and `LeakyReLU`):"
    )
    ch.equation(r"\mathrm{sigmoid}(z) = \frac{1}{1 + e^{-z}},\ "
                r"\mathrm{sigmoid}' = \mathrm{sigmoid}\,(1 - \mathrm{sigmoid}) \le \tfrac14; "
                r"\quad \tanh' = 1 - \tanh^2 \le 1; \quad "
                r"\mathrm{ReLU}(z) = \max(z, 0),\ \mathrm{ReLU}' = [z > 0]")
    ch.text(
        "Leaky ReLU, $\\max(z, \\alpha z)$, keeps a slope $\\alpha$ for $z < 0$ so that no unit "
        "is ever stuck with a zero gradient. At the kink $z = 0$ ReLU's derivative is taken "
        "as 0, as PyTorch does."
    )
    ch.figure(plot_activations(), FIGURE_I7)

    z = np.linspace(-4, 4, 401)
    z = z[np.abs(z) > 1e-3]  # away from ReLU's kink, where no derivative exists
    h = 1e-5
    functions = {"sigmoid": F.sigmoid, "tanh": F.tanh, "ReLU": F.relu,
                 "leaky ReLU": lambda t: F.leaky_relu(t, 0.1)}
    table = {"sigmoid": "logistic", "tanh": "tanh", "ReLU": "relu"}
    for name, f in functions.items():
        t = Tensor(z, requires_grad=True)
        f(t).sum().backward()  # elementwise: the gradient of the sum is f'(z) at each z
        with no_grad():
            central = (values(f(z + h)) - values(f(z - h))) / (2 * h)
        # O(h²) truncation (h² f'''/6 < 1e-10) and O(1e-16/h) rounding: 1e-9 is generous.
        ch.check_close(DERIVATIVE_CHECK.format(name), "central finite differences",
                       t.grad, central, rtol=0, atol=1e-9)
        if name in table:
            ch.check_close(f"{name}' of the δ recurrence (nn.backprop.ACTIVATIONS)",
                           "reverse-mode autodiff", ACTIVATIONS[table[name]][1](z), t.grad,
                           rtol=1e-14)

    rng = np.random.default_rng(4)
    first, second = nn.Linear(3, 5, random_state=0), nn.Linear(5, 2, random_state=1)
    stacked = nn.Sequential(first, nn.Identity(), second)
    collapsed = nn.Linear(3, 2)
    W1, b1, W2, b2 = (p.data for p in (first.weight, first.bias, second.weight, second.bias))
    collapsed.load_state_dict({"weight": W2 @ W1, "bias": W2 @ b1 + b2})
    X = rng.normal(size=(10, 3))
    ch.check_close("3 → 5 → 2 network with the identity as activation",
                   "one Linear layer with W = W²W¹, b = W²b¹ + b²",
                   values(stacked(X)), values(collapsed(X)), rtol=1e-12)
