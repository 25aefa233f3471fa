r"""Chapter D, logistic regression: the sigmoid, its logarithm and its derivative.

The references are the kernels of :mod:`fromscratch.nn.backprop`, where the hand-written
network uses them (the logistic activation and the binary cross-entropy). Grading compares
with them on random inputs that include extreme values (:math:`|z|` in the hundreds), where
the one-line formulas overflow, and then runs a :class:`~fromscratch.nn.FeedForwardNetwork`
with the learner's function in place of the library's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fromscratch.exercises._checks import FD_TOLERANCE, in_network, sign_flip
from fromscratch.exercises._compare import difference
from fromscratch.exercises._core import Case, Check, CheckResult, Exercise, Mistake
from fromscratch.exercises._core import elementwise_picture as _picture
from fromscratch.exercises._sampling import draw_dtype, draw_shape, log_uniform, normal
from fromscratch.exercises._sandbox import Guarded
from fromscratch.nn.backprop import FeedForwardNetwork, log_sigmoid, sigmoid, sigmoid_derivative

__all__ = ["EXERCISES"]

#: An input beyond which e^{|z|} overflows (exp overflows above 709.8 in float64 and 88.7 in
#: float32), for each dtype.
_EXTREME = {np.dtype(np.float64): 800.0, np.dtype(np.float32): 100.0}


def _scores(extremes: bool) -> Callable[[np.random.Generator], Case]:
    """Random scores z; with ``extremes``, often -800 and +800 among them (±100 in float32),
    where the one-line formulas overflow."""

    def sample(rng: np.random.Generator) -> Case:
        shape, dtype = draw_shape(rng), draw_dtype(rng)
        z = normal(rng, shape, dtype, log_uniform(rng, 0.1, 30.0 if extremes else 8.0))
        for sign, share in ((-1, 0.4), (1, 0.3)):
            if extremes and rng.random() < share:
                z.flat[rng.integers(z.size)] = sign * _EXTREME[dtype]
        return Case((z,))

    return sample


def _data(seed: int, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(16, 3)) * scale
    return X, (X.sum(axis=1) > 0).astype(np.float64)


def _logistic_network() -> FeedForwardNetwork:
    """A 3-5-1 network with logistic hidden units and a binary cross-entropy output."""
    return FeedForwardNetwork([3, 5, 1], "logistic", "binary_cross_entropy", random_state=0)


def _confident_network() -> FeedForwardNetwork:
    """A network whose output layer has huge weights: its logits reach ±1000, where only a
    stable log-sigmoid keeps the loss finite."""
    net = FeedForwardNetwork([3, 4, 1], "tanh", "binary_cross_entropy", random_state=1)
    net.weights[-1] = net.weights[-1] * 600 / np.abs(net.weights[-1]).max()
    return net


def _derivative_by_differences() -> Check:
    """The learner's σ' equals central differences of the library's σ."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        z, h = rng.uniform(-10, 10, 200), 1e-6
        target = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
        problem = difference(("sigma_prime",), learner(z), target, tol=FD_TOLERANCE)
        return CheckResult(problem and (f"compared with central differences of the sigmoid: "
                                        f"{problem[0]}", problem[1]))

    return Check("finite differences of the library's sigmoid at 200 points in [-10, 10]", run)


def _naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _sigmoid_in_z(z):
    return z * (1 - z)


def _quotient_rule_slip(z):
    return np.exp(-z) / (1 + np.exp(-z))


def _log_of_sigmoid(z):
    return np.log(sigmoid(z))


def _naive_log_sigmoid(z):
    return -np.log(1 + np.exp(-z))


def _log_sigmoid_flipped(z):
    return log_sigmoid(-z)


def _sigmoid_flipped(z):
    return sigmoid(-z)


_FROM_BACKPROP = ("from fromscratch.nn.backprop import sigmoid",)

EXERCISES = [
    Exercise(
        reference=sigmoid, chapter="D4", title="The sigmoid, stable for every z",
        outputs=("sigma",), sample=_scores(extremes=True), picture=_picture(-8, 8),
        hints=(
            "np.exp(-z) overflows for z < -709: compute e = np.exp(-np.abs(z)), which is "
            "never more than 1.",
            "For z >= 0, sigma = 1 / (1 + e); for z < 0, multiply the top and bottom by e^z: "
            "sigma = e / (1 + e). np.where(z >= 0, ..., ...) picks one per element.",
        ),
        mistakes=(
            Mistake("overflow", "1/(1 + e^{−z}) overflows: e^{−z} is infinite for z < −709 "
                    "(float64) or −88 (float32). Exponentiate −|z| only, and write the "
                    "negative side as e^{z}/(1 + e^{z}).", _naive_sigmoid),
            Mistake("exponent_sign", "The exponent's sign is flipped: 1/(1 + e^{z}) is "
                    "σ(−z) = 1 − σ(z).", _sigmoid_flipped),
        ),
        checks=(in_network(sigmoid, _logistic_network, lambda: _data(0, 3.0),
                           "a FeedForwardNetwork with logistic units"),),
    ),
    Exercise(
        reference=log_sigmoid, chapter="D5", title="A numerically stable log-sigmoid",
        outputs=("log_sigma",), sample=_scores(extremes=True), picture=_picture(-30, 10),
        hints=(
            "log sigma(z) = -log(1 + e^{-z}); for z < 0 multiply inside by e^z: "
            "z - log(1 + e^z).",
            "Both are min(z, 0) - log(1 + e^{-|z|}); np.log1p(x) computes log(1 + x) "
            "accurately for small x.",
        ),
        mistakes=(
            Mistake("log_of_sigmoid", "log(σ(z)) is log 0 = −∞ once σ(z) underflows to 0 "
                    "(z < −745): take the logarithm analytically, "
                    "min(z, 0) − log(1 + e^{−|z|}).", _log_of_sigmoid),
            Mistake("overflow", "−log(1 + e^{−z}) overflows for z < −709: e^{−z} is "
                    "infinite. Use min(z, 0) − log(1 + e^{−|z|}).", _naive_log_sigmoid),
            Mistake("sign", "The sign inside is flipped: −log(1 + e^{z}) is log σ(−z) = "
                    "log(1 − σ(z)).", _log_sigmoid_flipped),
        ),
        checks=(in_network(log_sigmoid, _confident_network, lambda: _data(1),
                           "the binary cross-entropy of a network with logits up to ±1000"),),
        requires=("sigmoid",),
    ),
    Exercise(
        reference=sigmoid_derivative, chapter="D6", title="The derivative of the sigmoid",
        outputs=("sigma_prime",), sample=_scores(extremes=False), picture=_picture(-8, 8),
        imports=_FROM_BACKPROP,
        hints=(
            "Differentiate (1 + e^{-z})^{-1} with the chain rule, then write the result with "
            "sigma(z) itself.",
            "sigma'(z) = sigma(z) * (1 - sigma(z)): compute s = sigmoid(z) once.",
        ),
        mistakes=(
            Mistake("in_terms_of_z", "z(1 − z) is the formula with z in place of σ(z): "
                    "σ'(z) = σ(z)(1 − σ(z)).", _sigmoid_in_z),
            Mistake("denominator_not_squared", "The quotient rule gives "
                    "e^{−z}/(1 + e^{−z})²: the square of the denominator is missing "
                    "(e^{−z}/(1 + e^{−z}) is 1 − σ(z)).", _quotient_rule_slip),
            sign_flip(sigmoid_derivative, "The sign is flipped: σ increases everywhere, so "
                      "σ'(z) > 0."),
        ),
        checks=(_derivative_by_differences(),
                in_network(sigmoid_derivative, _logistic_network, lambda: _data(0, 3.0),
                           "the gradients of a FeedForwardNetwork with logistic units")),
        requires=("sigmoid",),
    ),
]
