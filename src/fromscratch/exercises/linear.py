r"""Chapter B, linear regression: the OLS gradient, a gradient-descent step, a Householder
reflector and back substitution.

The references are the library's own kernels: :func:`~fromscratch.linear_model._iterative.
ols_gradient` (what ``LinearRegression(solver="gd")`` descends), the textbook update
:func:`~fromscratch.optim.textbook.gradient_descent_update`, and the two pieces of least squares
by QR, :func:`~fromscratch.linalg.householder_reflector` (each column of
:func:`~fromscratch.linalg.qr_textbook`) and :func:`~fromscratch.linalg.back_substitution`
(the small blocks of every upper triangular solve, ``LinearRegression(solver="qr")``'s among
them). Grading compares with them on random inputs (square designs now and then, where
:math:`X` in place of :math:`X^\top` gives the right shape and the wrong numbers; columns that
are nearly a multiple of :math:`e_0`, where the wrong reflector sign cancels), checks what the
mathematics promises (finite differences of the loss, :math:`Hx = \beta e_0`, :math:`Rx = b`),
and fits the estimators with the learner's function: they must reach the least-squares solution
(the QR solver's, which the test suite proves equal to scikit-learn's).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch import optim
from fromscratch.exercises._checks import (
    FD_TOLERANCE,
    Results,
    in_library,
    numerical_gradient,
    recording_warnings,
    with_warnings,
)
from fromscratch.exercises._compare import difference, show
from fromscratch.exercises._core import Case, Check, CheckResult, Exercise, mistake
from fromscratch.exercises._sampling import draw_dtype, log_uniform, normal
from fromscratch.exercises._sandbox import Guarded
from fromscratch.exercises.optimizers import library_optimizer, update_exercise
from fromscratch.linalg import (
    back_substitution,
    householder_reflector,
    qr_textbook,
    solve_triangular,
)
from fromscratch.linear_model import LinearRegression
from fromscratch.linear_model._gradient_descent import gradient_descent
from fromscratch.linear_model._iterative import least_squares_objective, ols_gradient
from fromscratch.optim import textbook

__all__ = ["EXERCISES", "regression_data", "fitted", "design_case", "loss_by_differences"]

#: Gradient descent in the estimators stops when max_j |∂f/∂w_j| <= GD_TOL; on the
#: standardized data below (Hessian eigenvalues in [0.5, 1.7]) that puts the coefficients
#: within about 1e-9 of the minimizer, so 1e-7 relative to their scale separates a correct
#: gradient from a wrong one (which ends elsewhere or diverges) with room to spare.
GD_TOL, GD_AGREEMENT = 1e-10, 1e-7
GD_SETTINGS: dict[str, Any] = dict(learning_rate=0.5, tol=GD_TOL, max_iter=5000)


def regression_data(n: int = 60, p: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Standard normal features and a linear target with an intercept and noise."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    return X, X @ rng.normal(size=p) + 3.0 + 0.5 * rng.normal(size=n)


def fitted(estimator: Any, data: tuple[np.ndarray, np.ndarray]) -> Results:
    """The estimator's ``coef_`` and ``intercept_`` after fitting ``data``."""
    estimator.fit(*data)
    return {"coef_": estimator.coef_, "intercept_": np.float64(estimator.intercept_)}


def design_case(rng: np.random.Generator, *extra: Any) -> Case:
    """Random ``(w, X, y, *extra)``: ``X`` of n rows and p columns, square a third of the time
    (where ``X`` in place of ``X.T`` has the right shape)."""
    n, p, dtype = int(rng.integers(1, 9)), int(rng.integers(1, 6)), draw_dtype(rng)
    if rng.random() < 1 / 3:
        n = p
    return Case((normal(rng, (p,), dtype), normal(rng, (n, p), dtype), normal(rng, (n,), dtype),
                 *extra))


# -- B4: the OLS gradient ------------------------------------------------------------------------


def loss_by_differences(l2: float) -> Check:
    """The learner's gradient equals central differences of the library's least-squares loss
    (with the ridge penalty ``l2``)."""
    loss = least_squares_objective(l2=l2).loss

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        X, y, w = rng.normal(size=(20, 4)), rng.normal(size=20), rng.normal(size=4)
        target = numerical_gradient(lambda w_: loss(w_, X, y), w)
        yours = learner(w, X, y, l2) if l2 else learner(w, X, y)
        problem = difference(("grad",), yours, target, tol=FD_TOLERANCE)
        return CheckResult(problem and (f"compared with central differences of the loss: "
                                        f"{problem[0]}", problem[1]))

    penalty = f" + {l2:g}/2 |w|^2" if l2 else ""
    return Check(f"finite differences of the loss |y - Xw|^2/(2n){penalty}", run)


@mistake("missing_1_over_n")
def _ols_missing_1_over_n(w, X, y):
    """The 1/n of the mean is missing: the gradient of |y − Xw|²/(2n) is −Xᵀ(y − Xw)/n. Without it,
    the step a learning rate gives grows with the number of rows."""
    return -(X.T @ (y - X @ w))


@mistake("transposed_X")
def _ols_transposed(w, X, y):
    """X multiplies the residual where Xᵀ belongs: the gradient has one entry per coefficient,
    Xᵀ(y − Xw), a sum over the rows."""
    return -(X @ (y - X @ w)) / X.shape[0]


@mistake("factor_2")
def _ols_mse_gradient(w, X, y):
    """The factor 2 of the square is kept: the loss is |y − Xw|²/(2n), whose ½ cancels it
    (−2Xᵀ(y − Xw)/n is the gradient of the mean squared error without the ½)."""
    return -2 * (X.T @ (y - X @ w)) / X.shape[0]


@mistake("sign_flip")
def _ols_gradient_sign_flipped(w, X, y):
    """The sign is flipped: this is the direction of steepest ascent, and gradient descent steps
    against the gradient."""
    return -ols_gradient(w, X, y)


# -- B5: one gradient-descent step ---------------------------------------------------------------


@mistake("not_a_tuple")
def _gd_not_a_tuple(theta, g, *, lr):
    """The new θ comes back alone; the updates return a tuple, θ followed by their state, and
    gradient descent has none: return (theta,)."""
    return theta - lr * g


@mistake("no_learning_rate")
def _gd_no_learning_rate(theta, g, *, lr):
    """The learning rate is missing: θ − g steps the gradient's whole length; the step is θ − γg."""
    return (theta - g,)


def _in_gradient_descent() -> Check:
    """The gradient solver of ``LinearRegression(solver="gd")`` (:func:`~fromscratch.
    linear_model._gradient_descent.gradient_descent`, on the centered data), with a
    FunctionalOptimizer running the learner's update as its optimizer, reaches the
    least-squares solution."""
    X, y = regression_data()
    Xc, yc = X - X.mean(axis=0), y - y.mean()

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        class YourGradientDescent(optim.FunctionalOptimizer):
            def __init__(self, params: Any, lr: float) -> None:
                super().__init__(params, learner, textbook.initial_state(), lr=lr)

        target = LinearRegression(solver="qr", fit_intercept=False).fit(Xc, yc).coef_
        with recording_warnings() as caught:
            yours = gradient_descent(
                least_squares_objective(), np.zeros(X.shape[1]), Xc, yc,
                optimizer=YourGradientDescent, max_iter=GD_SETTINGS["max_iter"],
                learning_rate=GD_SETTINGS["learning_rate"], tol=GD_TOL).coef
        problem = difference(("coef_",), yours, target, tol=GD_AGREEMENT)
        return CheckResult(problem and (with_warnings(
            f"gradient descent with your update does not reach the least-squares solution: "
            f"{problem[0]}", caught), problem[1]))

    return Check("in the library: LinearRegression's gradient solver (learning_rate=0.5) with "
                 "your update as its optimizer vs the least-squares solution", run)


# -- B8: a Householder reflector -----------------------------------------------------------------


def _column(rng: np.random.Generator) -> Case:
    """A column of 1 to 6 entries; now and then zero, nearly a multiple of e_0 (where the
    wrong sign cancels), or starting with 0."""
    m, dtype, kind = int(rng.integers(1, 7)), draw_dtype(rng), rng.random()
    x = normal(rng, (m,), dtype, log_uniform(rng, 0.1, 10.0))
    if kind < 0.35:  # often: a mistake that divides by zero there must be seen on any draw
        x[:] = 0
    elif kind < 0.7:
        x[1:] *= log_uniform(rng, 1e-9, 1e-3)
    elif kind < 0.85:  # sign(0) is 0, but beta must still be -|x| there (copysign(|x|, 0))
        x[0] = 0
    return Case((x,))


def _reflects_onto_the_axis() -> Check:
    r"""On random columns (half of them nearly a multiple of :math:`e_0`), the learner's
    reflector maps :math:`x` onto :math:`\beta e_0` with :math:`|\beta| = \|x\|` and is
    orthogonal (:math:`\tau v^\top v = 2`). Correct in float64 to a few units of rounding;
    the cancelling sign misses :math:`\beta e_0` by about :math:`10^{-9}\|x\|`."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        for k in range(40):
            x = rng.normal(size=int(rng.integers(2, 7)))
            if k % 2:
                x[1:] *= 10.0 ** rng.uniform(-9, -5)
            elif k % 4 == 0:  # x_0 = 0, where a sign taken with np.sign gives beta = 0
                x[0] = 0.0
            v, tau, beta = learner(x)
            beta_e0 = np.zeros_like(x)
            beta_e0[0] = beta
            for name, yours, target in (
                ("H x (must be beta e_0)", x - tau * v * (v @ x), beta_e0),
                ("|beta| (must be |x|)", np.abs(beta), np.sqrt(x @ x)),
                ("tau v^T v (must be 2)", tau * (v @ v), np.float64(2.0)),
            ):
                problem = difference((name,), yours, target, tol=1e-12)
                if problem:
                    return CheckResult((f"for x = {show(x)}: {problem[0]}", problem[1]))
        return CheckResult()

    return Check("the reflection maps x onto beta e_0 and keeps its length, on 40 random "
                 "columns (20 nearly a multiple of e_0, 10 with x_0 = 0)", run)


def _qr_results() -> Results:
    rng = np.random.default_rng(0)
    A = rng.normal(size=(7, 5))
    nearly_triangular = np.triu(rng.normal(size=(6, 4))) + 1e-7 * rng.normal(size=(6, 4))
    (Q1, R1), (Q2, R2) = qr_textbook(A), qr_textbook(nearly_triangular)
    return {"Q of a 7x5 matrix": Q1, "R of a 7x5 matrix": R1,
            "Q of a nearly triangular 6x4 matrix": Q2, "R of a nearly triangular 6x4 matrix": R2}


@mistake("cancelling_sign")
def _reflector_cancelling(x):
    """β has the sign of x₀: then v₀ = x₀ − sign(x₀)|x| subtracts two nearly equal numbers when x is
    nearly a multiple of e₀, and H no longer maps x onto the axis. Take β = −sign(x₀)|x|."""
    norm = np.sqrt(x @ x)
    if norm == 0:
        return np.zeros_like(x), x.dtype.type(0), x.dtype.type(0)
    beta = np.copysign(norm, x[0])
    v = x.copy()
    v[0] -= beta
    return v, 2 / (v @ v), beta


@mistake("fixed_sign")
def _reflector_fixed_sign(x):
    """β = −|x| whatever the sign of x₀: for x₀ < 0 that is the cancelling choice. β = −sign(x₀)|x|
    (np.copysign)."""
    norm = np.sqrt(x @ x)
    if norm == 0:
        return np.zeros_like(x), x.dtype.type(0), x.dtype.type(0)
    v = x.copy()
    v[0] += norm
    return v, 2 / (v @ v), -norm


@mistake("tau_without_2")
def _reflector_tau_without_2(x):
    """τ = 1/(vᵀv): a reflection needs τ = 2/(vᵀv), so that H = I − τvvᵀ is orthogonal."""
    v, tau, beta = householder_reflector(x)
    return v, tau / 2, beta


@mistake("v_not_shifted")
def _reflector_unshifted(x):
    """v is x itself: H = I − 2xxᵀ/(xᵀx) maps x to −x, not onto the axis. v = x − βe₀."""
    v, tau, beta = householder_reflector(x)
    return x.copy(), (2 / (x @ x) if tau else tau), beta


@mistake("zero_column_not_handled")
def _reflector_zero_not_handled(x):
    """A column of zeros gives τ = 2/0: there is nothing to reflect, so return v = 0, τ = 0 (H = I)
    and β = 0."""
    beta = -np.copysign(np.sqrt(x @ x), x[0])
    v = x.copy()
    v[0] -= beta
    return v, 2 / (v @ v), beta


# -- B8: back substitution -----------------------------------------------------------------------


def _triangular_system(rng: np.random.Generator) -> Case:
    """A well-conditioned upper triangular R (diagonal entries 1 to 2 in size), sometimes with
    junk below the diagonal (never to be read), and b of shape (n,) or (n, k)."""
    n, dtype = int(rng.integers(1, 7)), draw_dtype(rng)
    diagonal = rng.choice([-1.0, 1.0], n) * rng.uniform(1.0, 2.0, n)
    R = np.triu(rng.normal(size=(n, n)) * 0.5, 1) + np.diag(diagonal)
    if rng.random() < 0.4:
        R += np.tril(rng.normal(size=(n, n)) * 3.0, -1)
    shape = (n,) if rng.random() < 0.5 else (n, int(rng.integers(1, 4)))
    return Case((np.asarray(R, dtype=dtype), normal(rng, shape, dtype)))


def _solves_the_system() -> Check:
    """On random well-conditioned systems, ``triu(R) @ x`` gives back ``b`` to rounding."""

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        for _ in range(30):
            n = int(rng.integers(1, 9))
            R = np.triu(rng.normal(size=(n, n)) * 0.5, 1) + np.diag(rng.uniform(1, 2, n))
            b = rng.normal(size=(n, 2))
            problem = difference(("R x (must be b)",), np.triu(R) @ learner(R, b), b,
                                 tol=1e-12)
            if problem:
                return CheckResult((f"for a {n}x{n} system: {problem[0]}", problem[1]))
        return CheckResult()

    return Check("R x = b on 30 random systems", run)


def _triangular_results() -> Results:
    rng = np.random.default_rng(1)
    T = np.triu(rng.normal(size=(40, 40)) * 0.2, 1) + np.diag(rng.uniform(1, 2, 40))
    return {**fitted(LinearRegression(solver="qr"), regression_data(60, 20)),
            "solve_triangular(T, B), T 40x40": solve_triangular(T, rng.normal(size=(40, 3)))}


def _substitution(R, b, *, order=reversed, sign=-1, divide=True, x_shape=None):
    """Back substitution with one thing changed (the mistakes below differ only in that): the
    order of the rows, the sign of the known terms, the division, or the shape of x."""
    x = np.zeros(b.shape if x_shape is None else x_shape(b), dtype=np.result_type(R, b))
    for i in order(range(R.shape[0])):
        x[i] = b[i] + sign * (R[i, i + 1:] @ x[i + 1:])
        if divide:
            x[i] /= R[i, i]
    return x


@mistake("top_down")
def _back_substitution_top_down(R, b):
    """The rows are solved from the first down: row i needs x[i+1:], which are not known yet
    (still 0). Back substitution starts at the last row."""
    return _substitution(R, b, order=iter)


@mistake("no_division")
def _back_substitution_no_division(R, b):
    """The division by the diagonal entry R[i, i] is missing."""
    return _substitution(R, b, divide=False)


@mistake("sum_sign")
def _back_substitution_sum_sign(R, b):
    """The known terms are added: x_i = (b_i − Σ_{j>i} r_ij x_j)/r_ii, they move to the right-hand
    side with a minus."""
    return _substitution(R, b, sign=1)


@mistake("vector_only")
def _back_substitution_vector_only(R, b):
    """x is made a vector: with several right-hand sides, b is (n, k) and x must have b's shape."""
    return _substitution(R, b, x_shape=len)


#: This module's exercises, in the registry of :mod:`fromscratch.exercises`.
EXERCISES = [
    Exercise(
        reference=ols_gradient, chapter="B4", title="The OLS gradient by hand",
        outputs=("grad",), sample=design_case,
        hints=(
            "Write the loss as a sum over rows, (1/2n) sum_i (y_i - x_i.w)^2, and differentiate "
            "one term with the chain rule: the inner derivative of y_i - x_i.w is -x_i.",
            "Summed over the rows, sum_i r_i x_i is X.T @ r with the residual r = y - X @ w.",
            "Keep the 1/n of the mean and the minus sign: -(X.T @ (y - X @ w)) / n.",
        ),
        mistakes=(_ols_missing_1_over_n, _ols_transposed, _ols_mse_gradient,
                  _ols_gradient_sign_flipped),
        checks=(
            loss_by_differences(0.0),
            in_library(ols_gradient, lambda: fitted(LinearRegression(
                solver="gd", **GD_SETTINGS), regression_data()),
                "LinearRegression(solver='gd', learning_rate=0.5) fitted",
                target=lambda: fitted(LinearRegression(solver="qr"), regression_data()),
                tol=GD_AGREEMENT),
        ),
    ),
    update_exercise(
        textbook.gradient_descent_update, "B5", "One gradient-descent step", (), ("lr",),
        library_optimizer(optim.SGD), dict(lr=0.1),
        hints=(
            "One line: the new parameters are theta - lr * g.",
            "Every update in this module returns a tuple, the parameters first and then the "
            "state; plain gradient descent has no state, so return (theta,) — note the comma.",
        ),
        mistakes=(_gd_not_a_tuple, _gd_no_learning_rate),
        requires=("ols_gradient",),
        checks=(_in_gradient_descent(),),
    ),
    Exercise(
        reference=householder_reflector, chapter="B8", title="A Householder reflector",
        outputs=("v", "tau", "beta"), sample=_column,
        hints=(
            "beta = -sign(x_0) |x|: its sign is the opposite of x_0's (np.copysign).",
            "v is x with beta subtracted from its first entry (copy x first: it is read-only), "
            "and tau = 2 / (v @ v).",
            "A column of zeros has nothing to reflect: return zeros, and 0 for tau and beta "
            "(in x's dtype: x.dtype.type(0)).",
        ),
        mistakes=(_reflector_cancelling, _reflector_fixed_sign, _reflector_tau_without_2,
                  _reflector_unshifted, _reflector_zero_not_handled),
        checks=(_reflects_onto_the_axis(),
                in_library(householder_reflector, _qr_results, "qr_textbook (Q and R) computed")),
    ),
    Exercise(
        reference=back_substitution, chapter="B8", title="Back substitution",
        outputs=("x",), sample=_triangular_system,
        hints=(
            "Start at the last row: it has one unknown, x[n-1] = b[n-1] / R[n-1, n-1].",
            "Going up, row i needs the unknowns after it: x[i] = (b[i] - R[i, i+1:] @ "
            "x[i+1:]) / R[i, i]. Loop with reversed(range(n)).",
            "Start from x = np.zeros(b.shape, dtype=...): then b may be a vector or a matrix "
            "of several right-hand sides, and the same line solves them all.",
        ),
        mistakes=(_back_substitution_top_down, _back_substitution_no_division,
                  _back_substitution_sum_sign, _back_substitution_vector_only),
        checks=(_solves_the_system(),
                in_library(back_substitution, _triangular_results,
                           "LinearRegression(solver='qr') on 20 features and a 40x40 "
                           "solve_triangular computed")),
    ),
]
