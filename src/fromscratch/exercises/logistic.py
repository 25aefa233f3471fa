r"""Chapter D, logistic regression: the sigmoid, its logarithm and its derivative, the gradient
of the loss and one Newton (IRLS) step.

The sigmoid's references are the kernels of :mod:`fromscratch.nn.backprop`, where the
hand-written network uses them (the logistic activation and the binary cross-entropy). Grading
compares with them on random inputs that include extreme values (:math:`|z|` in the hundreds),
where the one-line formulas overflow, and then runs a
:class:`~fromscratch.nn.FeedForwardNetwork` with the learner's function in place of the
library's. The gradient and the step are those of the textbook Newton method
:func:`~fromscratch.linear_model.logistic.newton_irls` (:func:`~fromscratch.linear_model.
_logistic_irls.logistic_gradient`, :func:`~fromscratch.linear_model._logistic_irls.
irls_step`); grading checks them against the estimator's own loss class (finite differences of
its loss; its gradient and Hessian for the Newton equation), and the textbook method with the
learner's function must reach ``LogisticRegression(solver="newton")``'s coefficients, which the
test suite proves equal to scikit-learn's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fromscratch.exercises._checks import (
    FD_TOLERANCE,
    Results,
    in_library,
    in_network,
    numerical_gradient,
)
from fromscratch.exercises._compare import difference
from fromscratch.exercises._core import Case, Check, CheckResult, Exercise, mistake
from fromscratch.exercises._core import elementwise_picture as _picture
from fromscratch.exercises._sampling import draw_dtype, draw_shape, log_uniform, normal
from fromscratch.exercises._sandbox import Guarded
from fromscratch.linalg import cho_solve, cholesky
from fromscratch.linear_model import LogisticRegression
from fromscratch.linear_model._logistic_irls import irls_step, logistic_gradient, newton_irls
from fromscratch.linear_model._logistic_loss import BinaryLogisticLoss
from fromscratch.nn.backprop import FeedForwardNetwork, log_sigmoid, sigmoid, sigmoid_derivative

__all__ = ["EXERCISES"]

#: An input beyond which e^{|z|} overflows (exp overflows above 709.8 in float64 and 88.7 in
#: float32), for each dtype.
_EXTREME: dict[np.dtype, float] = {np.dtype(np.float64): 800.0, np.dtype(np.float32): 100.0}


#: Scores beyond which sigma (1 - sigma) loses digits to the cancellation in 1 - sigma (a
#: relative error of eps e^|z|: 1e-10 at |z| = 13 in float64, 2e-5 at |z| = 5 in float32). Where
#: the reference itself is that far off, a learner's formula that rounds differently (or more
#: accurately, e^{-|z|}/(1 + e^{-|z|})^2) must not fail.
_ACCURATE_DERIVATIVE: dict[np.dtype, float] = {np.dtype(np.float64): 12.0,
                                               np.dtype(np.float32): 5.0}


def _scores(extremes: bool, bound: dict[np.dtype, float] | None = None,
            ) -> Callable[[np.random.Generator], Case]:
    """Random scores z; with ``extremes``, often -800 and +800 among them (±100 in float32),
    where the one-line formulas overflow. The other scores lie within ``±bound[dtype]``."""

    def sample(rng: np.random.Generator) -> Case:
        shape, dtype = draw_shape(rng), draw_dtype(rng)
        z = normal(rng, shape, dtype, log_uniform(rng, 0.1, 30.0 if extremes else 8.0))
        if bound:
            z = np.clip(z, -bound[dtype], bound[dtype])
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


@mistake("overflow")
def _naive_sigmoid(z):
    """1/(1 + e^{−z}) overflows: e^{−z} is infinite for z < −709 (float64) or −88 (float32).
    Exponentiate −|z| only, and write the negative side as e^{z}/(1 + e^{z})."""
    return 1 / (1 + np.exp(-z))


@mistake("in_terms_of_z")
def _sigmoid_in_z(z):
    """z(1 − z) is the formula with z in place of σ(z): σ'(z) = σ(z)(1 − σ(z))."""
    return z * (1 - z)


@mistake("denominator_not_squared")
def _quotient_rule_slip(z):
    """The quotient rule gives e^{−z}/(1 + e^{−z})²: the square of the denominator is missing
    (e^{−z}/(1 + e^{−z}) is 1 − σ(z))."""
    return np.exp(-z) / (1 + np.exp(-z))


@mistake("sign_flip")
def _sigmoid_derivative_sign_flipped(z):
    """The sign is flipped: σ increases everywhere, so σ'(z) > 0."""
    return -sigmoid_derivative(z)


@mistake("log_of_sigmoid")
def _log_of_sigmoid(z):
    """log(σ(z)) is log 0 = −∞ once σ(z) underflows to 0 (z < −745): take the logarithm
    analytically, min(z, 0) − log(1 + e^{−|z|})."""
    return np.log(sigmoid(z))


@mistake("overflow")
def _naive_log_sigmoid(z):
    """−log(1 + e^{−z}) overflows for z < −709: e^{−z} is infinite. Use
    min(z, 0) − log(1 + e^{−|z|})."""
    return -np.log(1 + np.exp(-z))


@mistake("sign")
def _log_sigmoid_flipped(z):
    """The sign inside is flipped: −log(1 + e^{z}) is log σ(−z) = log(1 − σ(z))."""
    return log_sigmoid(-z)


@mistake("exponent_sign")
def _sigmoid_flipped(z):
    """The exponent's sign is flipped: 1/(1 + e^{z}) is σ(−z) = 1 − σ(z)."""
    return sigmoid(-z)


# -- D6, D7: the gradient of the loss and one IRLS step ------------------------------------------

#: Newton's method stops at max|g| <= 1e-10 here, both the textbook's and the estimator's, so
#: their coefficients agree to about 1e-10 over the smallest eigenvalue of the Hessian (0.05
#: on these data): 1e-7 relative to the coefficients' scale leaves a wide margin.
NEWTON_TOL, NEWTON_AGREEMENT = 1e-10, 1e-7


def _logistic_case(rng: np.random.Generator, dtypes: bool = True) -> Case:
    """Random ``(w, X, y, lam)``: the design has a column of ones last two times in three (the
    intercept, unpenalized), and the penalties are 0 now and then. A third of the time two
    rows lie far out, at :math:`x_i^\\top w = \\mp 800` (:math:`\\mp 100` in float32), where
    :math:`e^{\\pm z}` overflows and only a stable sigmoid works; their labels are the ones the
    model predicts there (:math:`p - y = 0`), so that they change no gradient."""
    q, intercept = int(rng.integers(1, 5)), rng.random() < 2 / 3
    n = 3 * (q + intercept) + int(rng.integers(0, 8))  # enough rows for a well-posed Hessian
    dtype = draw_dtype(rng) if dtypes else np.dtype(np.float64)
    X = rng.normal(size=(n, q))
    if intercept:
        X = np.column_stack([X, np.ones(n)])
    lam = np.zeros(X.shape[1]) if rng.random() < 0.2 else \
        np.full(X.shape[1], log_uniform(rng, 1e-2, 1.0))
    if intercept:
        lam[-1] = 0.0
    w = rng.normal(size=(X.shape[1],)) * log_uniform(rng, 0.1, 1.5)
    y = (rng.random(n) < 0.5).astype(float)
    if rng.random() < 1 / 3:
        w_q = w[:q]  # moving a row along the features' weights moves its score x_i^T w
        for k, sign in zip(rng.choice(n, 2, replace=False), (-1, 1), strict=True):
            X[k, :q] += (sign * _EXTREME[dtype] - X[k] @ w) * w_q / (w_q @ w_q)
            y[k] = (sign + 1) / 2
    return Case(tuple(np.asarray(a, dtype=dtype) for a in (w, X, y, lam)))


def _newton_case(rng: np.random.Generator) -> Case:
    """Float64 only: the step solves a linear system, which float32 would round to 1e-7."""
    return _logistic_case(rng, dtypes=False)


def _problem(seed: int) -> tuple[BinaryLogisticLoss, np.ndarray, np.ndarray, np.ndarray,
                                 np.ndarray, np.ndarray]:
    """A random binary problem for the estimator's loss class (``X`` without the column of
    ones, the intercept last in ``w``) and the same problem in the textbook's form (``X1``
    with it, ``lam`` with a 0 for it)."""
    rng = np.random.default_rng(seed)
    X, y, l2 = rng.normal(size=(30, 3)), (rng.random(30) < 0.5).astype(float), 0.3
    w = rng.normal(size=4)
    loss = BinaryLogisticLoss(3, fit_intercept=True, l2=l2)
    return loss, w, X, y, np.column_stack([X, np.ones(30)]), np.array([l2, l2, l2, 0.0])


def _gradient_by_differences() -> Check:
    """The learner's gradient equals central differences of the estimator's loss."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        loss, w, X, y, X1, lam = _problem(int(rng.integers(2**31)))
        target = numerical_gradient(lambda w_: loss.loss(w_, X, y), w)
        problem = difference(("grad",), learner(w, X1, y, lam), target, tol=FD_TOLERANCE)
        return CheckResult(problem and (f"compared with central differences of the loss: "
                                        f"{problem[0]}", problem[1]))

    return Check("finite differences of LogisticRegression's loss (log-loss + l2/2 |coef|^2)",
                 run)


def _solves_the_newton_equation() -> Check:
    """``H d = -g`` with the gradient and Hessian of the estimator's loss class."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        loss, w, X, y, X1, lam = _problem(int(rng.integers(2**31)))
        d = np.asarray(learner(w, X1, y, lam))
        if d.shape != w.shape:
            return CheckResult((f"the step has shape {d.shape}; it must have w's, {w.shape}",
                                {}))
        g = loss.gradient(w, X, y)
        problem = difference(("H d (must be -g)",), loss.hessian(w, X, y) @ d, -g, tol=1e-10)
        return CheckResult(problem and (f"with the loss's own gradient g and Hessian H: "
                                        f"{problem[0]}", problem[1]))

    return Check("H d = -g, with the gradient and Hessian of LogisticRegression's loss", run)


def _classification() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(120, 3))
    return X, (X @ np.array([1.5, -1.0, 0.5]) + 0.3 + rng.logistic(size=120) > 0).astype(float)


def _newton_irls_fit() -> Results:
    coef, intercept, _ = newton_irls(*_classification(), C=1.0, tol=NEWTON_TOL)
    return {"coef": coef, "intercept": np.float64(intercept)}


def _estimator_fit() -> Results:
    model = LogisticRegression(C=1.0, solver="newton", tol=NEWTON_TOL).fit(*_classification())
    return {"coef": model.coef_.ravel(), "intercept": np.float64(model.intercept_[0])}


def _in_newton_irls(kernel: Callable[..., np.ndarray]) -> Check:
    return in_library(kernel, _newton_irls_fit, "newton_irls (C=1) fitted",
                      target=_estimator_fit, tol=NEWTON_AGREEMENT)


@mistake("missing_1_over_n")
def _gradient_missing_1_over_n(w, X, y, lam):
    """The 1/n of the mean is missing: Xᵀ(σ(Xw) − y)/n + Λw."""
    return X.T @ (sigmoid(X @ w) - y) + lam * w


@mistake("linear_residual")
def _gradient_without_sigmoid(w, X, y, lam):
    """The residual is Xw − y, the least-squares one: the model predicts p = σ(Xw), and the
    log-loss's residual is p − y."""
    return X.T @ (X @ w - y) / X.shape[0] + lam * w


@mistake("penalty_doubled")
def _gradient_penalty_doubled(w, X, y, lam):
    """The penalty's gradient is 2Λw: the objective has ½ wᵀΛw, whose ½ cancels the 2."""
    return X.T @ (sigmoid(X @ w) - y) / X.shape[0] + 2 * lam * w


@mistake("penalized_intercept")
def _gradient_intercept_penalized(w, X, y, lam):
    """Every coefficient gets the same penalty, the intercept included: lam has a 0 for the
    intercept (the last coefficient, the column of ones), which must not be pulled towards 0 —
    that would bias the predicted base rate. Multiply elementwise: lam * w."""
    return X.T @ (sigmoid(X @ w) - y) / X.shape[0] + lam.max(initial=0.0) * w


@mistake("penalty_missing")
def _gradient_without_penalty(w, X, y, lam):
    """The penalty's gradient Λw is missing."""
    return X.T @ (sigmoid(X @ w) - y) / X.shape[0]


@mistake("sign_flip")
def _logistic_gradient_sign_flipped(w, X, y, lam):
    """The sign is flipped: Xᵀ(y − p)/n is the gradient of the log-likelihood, which is maximized;
    the loss is its negative."""
    return -logistic_gradient(w, X, y, lam)


def _newton_step(w, X, y, lam, weights, with_penalty=True, divide=True):
    """The step from a Hessian built with the given ``weights`` (the mistakes differ only in
    how they build it)."""
    H = (X.T * weights) @ X / (X.shape[0] if divide else 1)
    if with_penalty:
        H = H + np.diag(lam)
    return cho_solve(cholesky(H), -logistic_gradient(w, X, y, lam))


@mistake("uphill")
def _step_uphill(w, X, y, lam):
    """The step solves H d = g: that goes uphill. Newton's step minimizes the quadratic model,
    H d = −g."""
    return -irls_step(w, X, y, lam)


@mistake("gradient_step")
def _step_gradient(w, X, y, lam):
    """This is a gradient step, −g: Newton's step rescales it by the inverse Hessian, d = −H⁻¹g."""
    return -logistic_gradient(w, X, y, lam)


@mistake("unweighted_hessian")
def _step_unweighted(w, X, y, lam):
    """The Hessian has no weights: XᵀX/n is the least-squares Hessian; the log-loss's is XᵀWX/n with
    W = diag(p(1 − p))."""
    return _newton_step(w, X, y, lam, np.ones(X.shape[0]))


@mistake("weights_p")
def _step_weights_p(w, X, y, lam):
    """The weights are p: the derivative of σ is σ(1 − σ), so W = diag(p(1 − p))."""
    return _newton_step(w, X, y, lam, sigmoid(X @ w))


@mistake("hessian_without_penalty")
def _step_no_penalty(w, X, y, lam):
    """The Hessian misses the penalty's Λ: H = XᵀWX/n + Λ."""
    p = sigmoid(X @ w)
    return _newton_step(w, X, y, lam, p * (1 - p), with_penalty=False)


@mistake("hessian_missing_1_over_n")
def _step_hessian_not_averaged(w, X, y, lam):
    """The Hessian misses the 1/n of the mean: H = XᵀWX/n + Λ, on the gradient's scale."""
    p = sigmoid(X @ w)
    return _newton_step(w, X, y, lam, p * (1 - p), divide=False)


_FROM_BACKPROP = ("from fromscratch.nn.backprop import sigmoid",)

#: This module's exercises, in the registry of :mod:`fromscratch.exercises`.
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
        mistakes=(_naive_sigmoid, _sigmoid_flipped),
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
        mistakes=(_log_of_sigmoid, _naive_log_sigmoid, _log_sigmoid_flipped),
        checks=(in_network(log_sigmoid, _confident_network, lambda: _data(1),
                           "the binary cross-entropy of a network with logits up to ±1000"),),
        requires=("sigmoid",),
    ),
    Exercise(
        reference=sigmoid_derivative, chapter="D6", title="The derivative of the sigmoid",
        outputs=("sigma_prime",), sample=_scores(extremes=True, bound=_ACCURATE_DERIVATIVE),
        picture=_picture(-8, 8),
        imports=_FROM_BACKPROP,
        hints=(
            "Differentiate (1 + e^{-z})^{-1} with the chain rule, then write the result with "
            "sigma(z) itself.",
            "sigma'(z) = sigma(z) * (1 - sigma(z)): compute s = sigmoid(z) once.",
        ),
        mistakes=(_sigmoid_in_z, _quotient_rule_slip, _sigmoid_derivative_sign_flipped),
        checks=(_derivative_by_differences(),
                in_network(sigmoid_derivative, _logistic_network, lambda: _data(0, 3.0),
                           "the gradients of a FeedForwardNetwork with logistic units")),
        requires=("sigmoid",),
    ),
    Exercise(
        reference=logistic_gradient, chapter="D6", title="The gradient of the logistic loss",
        outputs=("grad",), sample=_logistic_case, imports=_FROM_BACKPROP,
        hints=(
            "Per sample, the derivative of log(1 + e^z) - y z with respect to z is "
            "sigmoid(z) - y; the chain rule multiplies it by x_i.",
            "Summed over the rows that is X.T @ (p - y) with p = sigmoid(X @ w): the "
            "least-squares gradient with p in place of X @ w. Divide by n for the mean.",
            "The penalty (1/2) sum_j lam_j w_j^2 adds lam * w (lam is 0 for the intercept).",
        ),
        mistakes=(_gradient_missing_1_over_n, _gradient_without_sigmoid, _gradient_penalty_doubled,
                  _gradient_without_penalty, _gradient_intercept_penalized,
                  _logistic_gradient_sign_flipped),
        checks=(_gradient_by_differences(), _in_newton_irls(logistic_gradient)),
        requires=("sigmoid",),
    ),
    Exercise(
        reference=irls_step, chapter="D7", title="One Newton step (IRLS)",
        outputs=("d",), sample=_newton_case,
        imports=("from fromscratch.linalg import cho_solve, cholesky",
                 "from fromscratch.linear_model._logistic_irls import logistic_gradient",
                 *_FROM_BACKPROP),
        hints=(
            "The Hessian differentiates the gradient once more: d p_i / d w = p_i (1 - p_i) "
            "x_i, so H = X.T @ diag(p (1 - p)) @ X / n + diag(lam).",
            "(X.T * weights) @ X multiplies each row of X by its weight without forming the "
            "n x n diagonal matrix.",
            "Solve H d = -g, g = logistic_gradient(w, X, y, lam): H is symmetric positive "
            "definite, so cho_solve(cholesky(H), -g).",
        ),
        mistakes=(_step_uphill, _step_gradient, _step_unweighted, _step_weights_p, _step_no_penalty,
                  _step_hessian_not_averaged),
        checks=(_solves_the_newton_equation(), _in_newton_irls(irls_step)),
        requires=("logistic_gradient",),
    ),
]
