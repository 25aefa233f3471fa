"""The neural-network chapter's first sections: what a network is, how one is defined (its
parameters, counted, and the scale of its first weights, measured layer by layer), and the
feedforward pass with the shape of every array."""

from __future__ import annotations

import numpy as np

#: The network drawn and used in the first sections: 2 inputs, two hidden layers of 8, 1 output.
SIZES = (2, 8, 8, 1)

# The strings the chapter's topic table quotes (ch_nn.TOPICS): one heading, figure and check each.
HEADING_I1 = "What a neural network is"
FIGURE_I1 = ("A 2 → 8 → 8 → 1 network: each line is one weight (blue positive, red negative, "
             "width proportional to its size); each unit also has a bias.")
CHECK_I1 = "parameter count of the 2 → 8 → 8 → 1 network, counted from the model"
HEADING_I2 = "Defining a network, and the scale of its first weights"
CHECK_I2 = "parameter count of the 20 → 8 → 3 → 1 network, counted from the model"
FIGURE_I2 = ("The variance of the pre-activations layer by layer, for three initialisations "
             "and three activations (lines: measured; circles: the formula applied to each "
             "layer's measured input).")
CHECK_I2_VARIANCE = "Var(z) per layer"
FIGURE_I3 = ("The forward pass of 6 samples through the 2 → 8 → 8 → 1 network: every array "
             "with its shape (rows are samples, columns units; red positive, blue negative).")
CHECK_I3 = "output of the Module's forward pass (autodiff Tensors)"
HEADING_I3 = "The feedforward pass"


def values(x) -> np.ndarray:
    """The array inside a Tensor (a module's output), or the array itself (an activation
    applied to an array returns one)."""
    from fromscratch.autodiff import Tensor

    return x.data if isinstance(x, Tensor) else np.asarray(x)


def parameter_count(sizes) -> int:
    r"""Weights and biases of a fully-connected network with these layer sizes,
    :math:`\sum_l (n_{l-1} + 1)\, n_l`."""
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


def tanh_network(sizes=SIZES):
    """``Linear`` layers with tanh between them, each seeded by its position."""
    from fromscratch import nn

    layers = []
    for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers += [nn.Linear(n_in, n_out, random_state=index)] + (
            [nn.Tanh()] if index < len(sizes) - 2 else [])
    return nn.Sequential(*layers)


def what_a_network_is(ch) -> None:
    from fromscratch.plot.nn import plot_network

    ch.heading(HEADING_I1)
    ch.text(
        "A feedforward neural network is a chain of simple functions. Each *layer* takes a "
        "vector $a^{l-1}$, forms weighted sums $z^l = W^l a^{l-1} + b^l$ — one linear model "
        "per *unit*, one row of $W^l$ each — and passes them through a non-linear "
        "*activation* $\\sigma$. The last layer's scores go to an output function that "
        "matches the task: the identity for regression, the sigmoid for two classes, the "
        "softmax for more. In the library a network is a `Sequential` of `Linear` layers and "
        "activation modules such as `Tanh`, as in PyTorch."
    )
    ch.equation(r"a^0 = x, \quad z^l = W^l a^{l-1} + b^l, \quad a^l = \sigma(z^l) "
                r"\; (l < L), \quad \hat y = \mathrm{out}(z^L)")
    ch.text(
        "Layer $l$ has $n_l$ units and reads the $n_{l-1}$ outputs of the layer before, so "
        "$W^l$ is an $n_l \\times n_{l-1}$ matrix and $b^l$ a vector of $n_l$ numbers: the "
        "network's size is fixed by its layer sizes $(n_0, n_1, \\dots, n_L)$ alone."
    )
    ch.equation(r"\#\text{parameters} = \sum_{l=1}^{L} (n_{l-1} + 1)\, n_l")
    model = tanh_network()
    counted = sum(p.data.size for p in model.parameters())
    formula = parameter_count(SIZES)
    ch.figure(plot_network(model), FIGURE_I1)
    ch.check(CHECK_I1, f"Σ (n_in + 1)·n_out = {formula}", abs(counted - formula), 0)




def defining_a_network(ch) -> None:

    ch.heading(HEADING_I2)
    ch.text(
        "In `fromscratch.nn` a network is written as in PyTorch: "
        "`Sequential(Linear(2, 8), Tanh(), Linear(8, 8), Tanh(), Linear(8, 1))`. A "
        "`Linear(n_in, n_out)` layer holds a weight of shape $(n_{out}, n_{in})$ and a bias "
        "of shape $(n_{out},)$, both *parameters* (Tensors that require gradients) that "
        "`model.parameters()` finds by walking the module's attributes."
    )
    model = tanh_network()
    ch.table(["parameter", "shape", "entries"],
             [[name, str(p.data.shape), p.data.size] for name, p in model.named_parameters()],
             "The parameters of the 2 → 8 → 8 → 1 network, as named by `named_parameters()`.")

    blog_sizes = (20, 8, 3, 1)
    blog = tanh_network(blog_sizes)
    counted = sum(p.data.size for p in blog.parameters())
    formula = parameter_count(blog_sizes)
    expected = [(n_out, n_in) for n_in, n_out in zip(blog_sizes[:-1], blog_sizes[1:],
                                                     strict=True)]
    shapes = [p.data.shape for name, p in blog.named_parameters() if name.endswith("weight")]
    ch.text(
        "The network of the experiment at the end of this chapter reads 20 features through "
        f"hidden layers of 8 and 3 units: $(20+1)\\cdot 8 + (8+1)\\cdot 3 + (3+1)\\cdot 1 = "
        f"{formula}$ parameters, against 21 for logistic regression on the same features."
    )
    ch.check(CHECK_I2, f"Σ (n_in + 1)·n_out = {formula}", abs(counted - formula), 0)
    ch.check("weight shapes of the 20 → 8 → 3 → 1 network", "(n_out, n_in) per layer",
             sum(s != e for s, e in zip(shapes, expected, strict=True)), 0)
    initial_variance(ch)




# -- initialisation: the variance of z from layer to layer ----------------------------------------

def _initialisations(width: int) -> dict:
    r"""name -> (initialise a ``Linear(width, width)`` in place, the derived factor
    :math:`n_{in}\mathrm{Var}(W)`, :math:`\mathrm{Var}(b)`)."""
    from fromscratch.nn import init

    def pytorch_default(layer, rng):  # Linear's own start: U(±1/√n_in) for W and b
        return layer

    def glorot(layer, rng):
        init.xavier_uniform_(layer.weight, generator=rng)
        init.zeros_(layer.bias)
        return layer

    def he(layer, rng):
        init.kaiming_uniform_(layer.weight, nonlinearity="relu", generator=rng)
        init.zeros_(layer.bias)
        return layer

    return {
        "U(±1/√n_in)": (pytorch_default, width / (3 * width), 1 / (3 * width)),
        "Glorot": (glorot, width * 2 / (width + width), 0.0),
        "He": (he, width * 2 / width, 0.0),
    }


def measure_variance(width: int, depth: int, n_samples: int, random_state: int = 0) -> dict:
    r"""Forward a standard normal batch through ``depth`` layers of ``width`` units for each
    initialisation and activation, and record per layer the measured
    :math:`q^l = \overline{(z^l)^2}` (mean over samples and units), the derived
    :math:`n_\mathrm{in}\mathrm{Var}(W)\,\overline{(a^{l-1})^2} + \mathrm{Var}(b)` from the
    layer's own input, the standard error of :math:`q^l` over the units (independent given
    the input, since the rows of :math:`W` are) and :math:`\overline{(a^{l-1})^2}`: one row
    each per layer, keyed by ``(initialisation, activation)``."""
    from fromscratch import nn
    from fromscratch.autodiff import no_grad

    activations = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "ReLU": nn.ReLU}
    rng = np.random.default_rng(random_state)
    X = rng.normal(size=(n_samples, width))
    results = {}
    with no_grad():
        for init_name, (initialise, ratio, bias_variance) in _initialisations(width).items():
            for act_name, activation in activations.items():
                a, rows = X, []
                for _ in range(depth):
                    layer = initialise(nn.Linear(width, width, random_state=rng), rng)
                    z = values(layer(a))
                    per_unit = np.mean(z**2, axis=0)
                    mean_square = np.mean(a**2)
                    rows.append((per_unit.mean(), ratio * mean_square + bias_variance,
                                 per_unit.std(ddof=1) / np.sqrt(width), mean_square))
                    a = values(activation()(z))
                results[init_name, act_name] = np.array(rows)
    return results


def initial_variance(ch) -> None:
    from fromscratch.plot.nn import plot_per_layer

    ch.text(
        "Weights start random, so that the units differ. How large? A unit computes "
        "$z_i = \\sum_{j=1}^{n_{in}} W_{ij} a_j + b_i$. With weights drawn independently of "
        "the inputs, with mean 0 and variance $\\mathrm{Var}(W)$, every cross term "
        "$W_{ij} W_{ik} a_j a_k$ ($j \\ne k$) averages to 0, and"
    )
    ch.equation(r"\mathbb E\bigl[(z^l)^2\bigr] = n_{in}\,\mathrm{Var}(W)\;"
                r"\mathbb E\bigl[(a^{l-1})^2\bigr] + \mathrm{Var}(b)")
    ch.text(
        "— the mean square of the inputs, not their variance (they differ when the "
        "activation's outputs have a mean, as the sigmoid's $1/2$). Since $z$ has mean 0 over "
        "the random weights, $\\mathbb E[z^2]$ is the variance of $z$ over units and samples. "
        "Each initialisation fixes the factor $n_{in}\\mathrm{Var}(W)$; $\\mathcal U(-c, c)$ "
        "has variance $c^2/3$:"
    )
    ch.text(
        "- `Linear`'s default (PyTorch's), $\\mathcal U(\\pm 1/\\sqrt{n_{in}})$ for $W$ and "
        "$b$: $\\mathrm{Var}(W) = 1/(3 n_{in})$, a factor $1/3$ per layer, plus "
        "$\\mathrm{Var}(b) = 1/(3 n_{in})$;\n"
        "- Glorot (Xavier) uniform, $c = \\sqrt{6/(n_{in} + n_{out})}$: "
        "$\\mathrm{Var}(W) = 2/(n_{in} + n_{out})$, a factor 1 when $n_{in} = n_{out}$;\n"
        "- He (Kaiming) uniform for ReLU, $c = \\sqrt{6/n_{in}}$: $\\mathrm{Var}(W) = "
        "2/n_{in}$, a factor 2 — ReLU zeroes half of a symmetric $z$, so "
        "$\\mathbb E[a^2] = \\mathbb E[z^2]/2$ and the product stays 1."
    )
    width, depth = (128, 8) if ch.quick else (256, 10)
    n_samples = 400 if ch.quick else 1000
    results = measure_variance(width, depth, n_samples)
    inits = dict.fromkeys(name for name, _ in results)
    acts = dict.fromkeys(name for _, name in results)
    ch.figure(plot_per_layer(
        {act: {init: results[init, act][:, 0] for init in inits} for act in acts},
        derived={act: {init: results[init, act][:, 1] for init in inits} for act in acts},
        ylabel=r"$\mathrm{Var}(z^l)$"), FIGURE_I2)
    rows = []
    for init, (_, ratio, bias_variance) in _initialisations(width).items():
        for act in acts:
            q, _, _, mean_square = results[init, act].T
            rows.append([init, act, q[0], q[-1], float(np.mean((q - bias_variance) / mean_square)),
                         ratio])
    ch.table(["initialisation", "activation", "Var(z¹)", f"Var(z^{depth})",
              "measured (Var(z) − Var(b)) / E[a²]", "derived n_in·Var(W)"], rows,
             f"Var(z) through {depth} layers of {width} units for a batch of {n_samples} "
             "standard normal inputs; the measured factor is the mean over the layers.")
    default_tanh = results["U(±1/√n_in)", "tanh"][:, 0]
    ch.text(
        "What holds: with $\\mathcal U(\\pm 1/\\sqrt{n_{in}})$ each layer multiplies the mean "
        "square by $1/3$, so $\\mathrm{Var}(z)$ does *not* stay of order one. Through tanh "
        "($|\\tanh z| \\le |z|$) it falls by at least a factor 3 per layer, to "
        f"{default_tanh[-1]:.2g} after {depth} layers: the floor the biases set, where "
        "$q = q/3 + 1/(3 n_{in})$, i.e. $q = 1/(2 n_{in})$ = "
        f"{1 / (2 * width):.2g}. "
        "Through ReLU, which halves the mean square, it falls by 6 per layer, to "
        "$q = q/6 + 1/(3 n_{in})$, i.e. $2/(5 n_{in})$. Through the sigmoid every "
        "initialisation ends near $n_{in}\\mathrm{Var}(W)/4$ (1/12, 1/4 and 1/2) because the "
        "sigmoid's mean of $1/2$ dominates $\\mathbb E[a^2] \\approx 1/4$. Glorot's factor "
        "1 suits activations that are the identity near 0: through tanh $\\mathrm{Var}(z)$ "
        "decays only slowly, while ReLU loses half of it per layer; He's factor 2 is exactly "
        "ReLU's compensation and keeps it constant. Each measured point agrees with the formula "
        "applied to its layer's measured input, within the spread over the units:"
    )
    # Given a layer's input, the units' mean squares are independent draws around the formula,
    # so each gap in standard errors is about N(0, 1): 4 is passed by chance with probability
    # 6e-5 per point, while a wrong Var(W) (a factor 3 or 2 off) is dozens of standard errors away.
    for init, (_, ratio, bias_variance) in _initialisations(width).items():
        z_scores = np.concatenate([
            np.abs(results[init, act][:, 0] - results[init, act][:, 1]) / results[init, act][:, 2]
            for act in acts])
        bias = f" + {bias_variance * width:.3g}/n_in" if bias_variance else ""
        ch.check(f"{CHECK_I2_VARIANCE}, {init}",
                 f"n_in·Var(W)·mean(a²){bias}, n_in·Var(W) = {ratio:.3g}",
                 float(z_scores.max()), 4.0,
                 detail=f"largest of {len(z_scores)} gaps (3 activations × {depth} layers), "
                        "in standard errors over the units")
    ch.check_bound(f"Var(z^{depth}) through tanh layers with U(±1/√n_in): not of order one",
                   "bound", default_tanh[-1], at_most=0.05)


def feedforward(ch) -> None:
    from fromscratch import nn
    from fromscratch.autodiff import no_grad
    from fromscratch.nn.backprop import FeedForwardNetwork
    from fromscratch.plot.nn import plot_layer_arrays

    ch.heading(HEADING_I3)
    ch.text(
        "A batch goes through the network all at once. With the $n$ samples as the rows of "
        "$X$, the column vectors of the equations become rows, and one layer is one matrix "
        "product, one broadcast addition of the bias and one elementwise activation (the "
        "`forward` of each `Linear` and `Tanh` module):"
    )
    ch.equation(r"\underbrace{Z^l}_{n \times n_l} = \underbrace{A^{l-1}}_{n \times n_{l-1}}"
                r"\,\underbrace{(W^l)^\top}_{n_{l-1} \times n_l} + \mathbf 1 (b^l)^\top, "
                r"\qquad A^l = \sigma(Z^l), \qquad A^0 = X")
    model = tanh_network()
    X = np.random.default_rng(3).normal(size=(6, SIZES[0]))
    arrays = {"$X$": X}
    operations = []
    layer_index = 1
    with no_grad():
        out = X
        for module in model:
            out = values(module(out))
            if hasattr(module, "weight"):
                arrays[f"$z^{layer_index}$"] = out
                operations.append(rf"$\cdot W^{{{layer_index}\top}} + b^{layer_index}$")
                layer_index += 1
            else:
                arrays[f"$a^{layer_index - 1}$"] = out
                operations.append(r"$\tanh$")
        probability = values(nn.Sigmoid()(out))
    arrays[r"$\hat y$"] = probability
    operations.append("sigmoid")
    ch.figure(plot_layer_arrays(arrays, operations=operations), FIGURE_I3)
    # X, then (z, a) per hidden layer and (z, ŷ) for the output layer
    expected = [(len(X), SIZES[0])] + [(len(X), n) for n in SIZES[1:] for _ in range(2)]
    got = [a.shape for a in arrays.values()]
    mismatches = sum(g != e for g, e in zip(got, expected, strict=False))
    ch.check("shape of every array of the forward pass", "(n, n_l) from the layer sizes",
             mismatches + abs(len(got) - len(expected)), 0)
    hand = FeedForwardNetwork.from_parameters(
        [m.weight.data for m in model if hasattr(m, "weight")],
        [m.bias.data for m in model if hasattr(m, "weight")], "tanh", "binary_cross_entropy")
    ch.check_close(CHECK_I3, "the same equations in plain NumPy (FeedForwardNetwork.forward)",
                   probability, hand.forward(X), rtol=1e-13)


