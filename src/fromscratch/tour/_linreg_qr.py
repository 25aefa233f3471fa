"""The linear-regression chapter on how least squares is solved: the sensitivity of the problem
itself (the κ²ε term a large residual brings, measured on problems built with known κ and
residual), and Householder QR taken apart — the reflector and its sign, the diagonal of R, the
zeros appearing column by column, and the library's fast reflector."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

# The strings the chapter's topic table quotes (ch_linreg.TOPICS).
FIGURE_B8 = ("Least squares built with a known condition number κ and solution: the error "
             "of QR and of the normal equations against κ, with no residual (left) and with a "
             "residual as large as ‖A‖‖x‖ (right). Dotted: κε and κ²ε.")
CHECK_B8 = "zero residual: normal equations' error over QR's, median of log₁₀(ratio / κ)"
FIGURE_REFLECTION = ("One Householder reflection in the plane, for a generic $x$ (left) and "
                     "for $x$ close to the first axis (right). The dashed line is the mirror, "
                     "perpendicular to $v = x - \\beta e_1$; blue: the library's sign, grey: "
                     "the other one, whose $v$ shrinks to rounding noise near the axis.")
FIGURE_ZEROS = ("A random 8 × 5 matrix after each Householder reflection: each one zeros the "
                "entries below the diagonal (squares) of one more column — to rounding level, "
                "about 1e-16 — and leaves R.")

EPS = float(np.finfo(np.float64).eps)

#: Condition numbers of the constructed problems: 10^1 to 10^7 in half decades.
KAPPAS = 10.0 ** np.arange(1.0, 7.5, 0.5)


def _norm(v: np.ndarray) -> float:
    return math.sqrt(float(v @ v))


def _problems(m: int = 100, n: int = 8, seed: int = 0):
    """The pieces of least-squares problems with a known answer: orthonormal U (m × n) and V
    (n × n), a unit residual direction orthogonal to U's columns, and a unit solution x."""
    from fromscratch.linalg import qr

    rng = np.random.default_rng(seed)
    Q = qr(rng.standard_normal((m, m)), mode="complete")[0]
    V = qr(rng.standard_normal((n, n)))[0]
    residual = Q[:, n:] @ rng.standard_normal(m - n)
    x = rng.standard_normal(n)
    return Q[:, :n], V, residual / _norm(residual), x / _norm(x)


def residual_and_conditioning(ch) -> None:
    """The least-squares sensitivity bound, checked on problems of known κ and residual."""
    from fromscratch.linalg import IllConditionedWarning
    from fromscratch.linear_model import LinearRegression
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.linear import plot_error_vs_condition

    ch.text(
        "That experiment had **no residual**: the polynomial fits its noiseless data exactly. "
        "In general the least-squares *problem* is more sensitive than a linear system. A "
        "relative perturbation $\\varepsilon$ of $A$ and $b$ moves the solution by (Wedin "
        "1973; Higham, *Accuracy and Stability of Numerical Algorithms*, Thm. 20.1; Golub & "
        "Van Loan §5.3)"
    )
    ch.equation(r"\frac{\|\hat x - x\|}{\|x\|} \lesssim \kappa\,\varepsilon + "
                r"\kappa^2\varepsilon\,\frac{\|r\|}{\|A\|\,\|x\|}, \qquad r = b - Ax")
    ch.text(
        "Householder QR is backward stable — its answer solves a problem within a few ε of "
        "ours — so its error obeys this bound, κ² term included. The normal equations solve "
        "AᵀAx = Aᵀb, whose matrix has condition κ²: they lose κ²ε whatever the residual. So "
        "QR is about κ times more accurate when the residual is small, ‖r‖ ≲ ‖A‖‖x‖/κ, and "
        "both lose κ²ε when it is large. To see both, we build problems with everything "
        "known: $A = U\\,\\mathrm{diag}(\\sigma)\\,V^\\top$ with orthonormal U and V (the "
        "library's `qr` of Gaussian matrices) and σ spaced from 1 to 1/κ, so ‖A‖ = 1 and "
        "κ(A) = κ exactly; a unit solution x; and b = Ax + ρu with u a unit vector "
        "orthogonal to the columns of A, so the least-squares solution is x and its residual "
        "has length ρ. 100 rows, 8 columns, κ = 10¹ … 10⁷, ρ = 0 and ρ = 1; each solved by "
        "`LinearRegression(fit_intercept=False)` with `solver='qr'` and `'cholesky'`."
    )
    U, V, direction, x = _problems()
    errors: dict[float, dict[str, Any]] = {rho: {"QR": [], "normal equations": []}
                                           for rho in (0.0, 1.0)}
    for kappa in KAPPAS:
        A = (U * np.geomspace(1.0, 1.0 / kappa, U.shape[1])) @ V.T
        for rho, found in errors.items():
            b = A @ x + rho * direction
            with warnings.catch_warnings():  # the point is the loss of digits they warn of
                warnings.simplefilter("ignore", IllConditionedWarning)
                qr = LinearRegression(fit_intercept=False, solver="qr").fit(A, b)
                normal = LinearRegression(fit_intercept=False, solver="cholesky").fit(A, b)
            found["QR"].append(_norm(qr.coef_ - x))
            # NaN where XᵀX was singular to working precision and QR answered instead
            found["normal equations"].append(_norm(normal.coef_ - x)
                                             if normal.solver_ == "cholesky" else math.nan)
    errors = {rho: {k: np.array(v) for k, v in found.items()} for rho, found in errors.items()}
    fig, (left, right) = new_figure(2, width=12.0, height=4.4)
    plot_error_vs_condition(KAPPAS, errors[0.0], ax=left, title="Residual 0")
    plot_error_vs_condition(KAPPAS, errors[1.0], ax=right, title="Residual ‖r‖ = ‖A‖‖x‖")
    ch.figure(fig, FIGURE_B8)

    small, large = errors[0.0], errors[1.0]
    ch.check_bound("QR, residual 0: worst error / (κε)", "the bound κε",
                   float(np.max(small["QR"] / (KAPPAS * EPS))), at_most=1.0)
    ch.check_bound("QR, residual ‖A‖‖x‖: worst error / (κε + κ²ε)",
                   "the bound κε + κ²ε‖r‖/(‖A‖‖x‖)",
                   float(np.max(large["QR"] / (KAPPAS * EPS + KAPPAS**2 * EPS))), at_most=1.0)
    slopes = {rho: _log_slope(errors[rho]["QR"]) for rho in errors}
    ch.check_close("QR's error against κ, residual 0: log-log slope", "1 (error ∝ κε)",
                   slopes[0.0], 1.0, rtol=0.0, atol=0.25)
    ch.check_close("QR's error against κ, residual ‖A‖‖x‖: log-log slope", "2 (error ∝ κ²ε)",
                   slopes[1.0], 2.0, rtol=0.0, atol=0.25)
    ratio = {rho: np.log10(errors[rho]["normal equations"] / errors[rho]["QR"])
             for rho in errors}
    ok = np.isfinite(ratio[0.0])
    # Random problems scatter the constants of both bounds: a factor of 30 either way.
    ch.check(CHECK_B8, "0 within 1.5: QR is about κ times more accurate",
             abs(float(np.median(ratio[0.0][ok] - np.log10(KAPPAS[ok])))), 1.5)
    # The median, as above: the bounds cap the errors, and on one problem either method can
    # land far below its cap (QR 40 times below at κ = 10^5.5 with another OpenBLAS), so the
    # worst single ratio is the scatter of two random constants, not the κ-dependence.
    ch.check("residual ‖A‖‖x‖: normal equations' error over QR's, median |log₁₀ ratio|",
             "at most 1.5: both lose κ²ε, no factor κ between them",
             float(np.median(np.abs(ratio[1.0][np.isfinite(ratio[1.0])]))), 1.5)
    ch.table(["κ", "QR, r = 0", "normal eq., r = 0", "QR, ‖r‖ = 1", "normal eq., ‖r‖ = 1"],
             [[kappa, small["QR"][i], small["normal equations"][i], large["QR"][i],
               large["normal equations"][i]] for i, kappa in enumerate(KAPPAS) if i % 2 == 0],
             "Relative errors ‖x̂ − x‖/‖x‖ (‖x‖ = 1), every other κ. "
             f"Log-log slopes of QR's error: {slopes[0.0]:.2f} with r = 0, "
             f"{slopes[1.0]:.2f} with ‖r‖ = 1.")
    ch.text(
        "Statistical data always have a residual, so which term wins? For a regression the "
        "ratio $\\|r\\|/(\\|A\\|\\|x\\|)$ is about the noise over the signal: with $R^2$ far "
        "from 1 it is of order one, and then QR's advantage shrinks to the constant in front. "
        "QR still never does worse, costs about twice the normal equations, and does not "
        "square $\\kappa$ before the solve even starts — which is why `lm`, LAPACK and "
        "`LinearRegression` use it."
    )


def _log_slope(errors: np.ndarray) -> float:
    """The slope of log₁₀(error) against log₁₀(κ), fitted by least squares."""
    from fromscratch.linear_model import LinearRegression

    fit = LinearRegression().fit(np.log10(KAPPAS)[:, None], np.log10(errors))
    return float(fit.coef_[0])


# -- Householder QR, taken apart --------------------------------------------------------------


def householder_pictures(ch) -> None:
    from fromscratch.linalg import HouseholderQR, cholesky, qr
    from fromscratch.linalg._qr import _make_reflector
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.least_squares import plot_qr_steps, plot_reflection

    ch.text(
        "**Why a reflection.** H = I − τvvᵀ with τ = 2/vᵀv sends v to −v and leaves every "
        "vector orthogonal to v alone: it is the mirror image in the hyperplane with normal "
        "v. It is symmetric and its own inverse (expand H² with τvᵀv = 2), so it is "
        "orthogonal: it changes no lengths, and no error grows through it. x and βe₁ with "
        "|β| = ‖x‖ have the same length, so the mirror halfway between them, with normal "
        "v = x − βe₁, maps one onto the other: Hx = βe₁."
    )
    rng = np.random.default_rng(5)
    x = rng.standard_normal(6)
    H = HouseholderQR(x[:, None]).q("complete")  # the library's one reflector, as a matrix
    beta = -math.copysign(_norm(x), x[0])
    ch.check_close("library's reflector for a random x ∈ ℝ⁶: Hx", "β e₁ with β = −sign(x₁)‖x‖",
                   H @ x, np.r_[beta, np.zeros(5)], rtol=10 * EPS)
    ch.check_close("library's reflector: HᵀH and H − Hᵀ", "I and 0 (orthogonal, symmetric)",
                   np.r_[(H.T @ H).ravel(), (H - H.T).ravel()],
                   np.r_[np.eye(6).ravel(), np.zeros(36)], rtol=0.0, atol=10 * EPS)
    ch.text(
        "**Why that sign.** Both β = ±‖x‖ give a mirror, but v₁ = x₁ − β is computed: with "
        "β = −sign(x₁)‖x‖ it is a sum of two numbers of one sign, accurate to ε; the other "
        "sign cancels when x is nearly along e₁ — exactly the columns that are already almost "
        "triangular. Take x = (1, 10⁻⁹, 10⁻⁹): in floating point ‖x‖ = 1, so the other sign "
        "gets v₁ = 1 − 1 = 0, and its H flips the small entries instead of zeroing them."
    )
    near_axis = np.array([1.0, 1e-9, 1e-9])
    library = HouseholderQR(near_axis[:, None]).apply_qt(near_axis)
    v = near_axis.copy()
    v[0] -= _norm(near_axis)  # the other sign, β = +‖x‖: x₁ − ‖x‖ cancels to 0
    other = near_axis - (2 / (v @ v)) * v * (v @ near_axis)
    ch.table(["β", "(Hx)₁", "(Hx)₂", "(Hx)₃"],
             [["−sign(x₁)‖x‖ (the library)", *library], ["+sign(x₁)‖x‖", *other]],
             "x = (1, 1e-9, 1e-9); both rows should read (β, 0, 0).")
    ch.check_bound("library's sign, x = (1, 1e-9, 1e-9): max |(Hx)₂,₃| / ‖x‖",
                   "rounding level, ≤ 2ε", float(np.max(np.abs(library[1:]))), at_most=2 * EPS)
    ch.check_bound("the other sign: max |(Hx)₂,₃| / ‖x‖", "the cancellation, ≥ 1e6·ε",
                   float(np.max(np.abs(other[1:]))), at_least=1e6 * EPS)
    fig, (left, right) = new_figure(2, width=10.5, height=5.2)
    plot_reflection([2.0, 1.5], ax=left, title="A generic x")
    plot_reflection([2.0, 0.12], ax=right, title="x close to the first axis")
    ch.figure(fig, FIGURE_REFLECTION)

    ch.text(
        "**Why R's diagonal can be read off.** Reflection j puts the whole length of what is "
        "left of column j (on and below the diagonal, after the earlier reflections) into "
        "one entry: R_jj = β_j, already computed to build v — nothing more to do. Since the "
        "earlier reflections removed the parts along the earlier columns, |R_jj| is the "
        "distance from column j to the span of the columns before it. The same number comes "
        "from Cholesky: AᵀA = RᵀQᵀQR = RᵀR, so Rᵀ is the Cholesky factor of AᵀA up to signs. "
        "The matrix after j reflections is `HouseholderQR(A[:, :j]).apply_qt(A)` — the first "
        "j reflectors depend on the first j columns only:"
    )
    A = rng.standard_normal((8, 5))
    stages = [A] + [HouseholderQR(A[:, :j]).apply_qt(A) for j in range(1, 6)]
    ch.figure(plot_qr_steps(stages), FIGURE_ZEROS)
    scale = float(np.max(np.abs(A)))
    below = max(float(np.max(np.abs(np.tril(stage[:, :j], -1)))) for j, stage in
                enumerate(stages[1:], start=1))
    ch.check_bound("below the diagonal of the first j columns after j reflections, max over j",
                   "rounding level, ≤ 10·m·ε·max|A|", below / scale, at_most=10 * 8 * EPS)
    R = HouseholderQR(A).r
    ch.check_close("|diag R| of the 8 × 5 matrix", "the diagonal of the Cholesky factor of "
                   "AᵀA (an independent factorization)", np.abs(np.diagonal(R)),
                   np.diagonal(cholesky(A.T @ A)), rtol=1e-12)
    Q, R_q = qr(A)
    ch.check_close("qr(A): QᵀQ and QR", "I and A (orthonormal columns, a factorization)",
                   np.r_[(Q.T @ Q).ravel(), (Q @ R_q).ravel()],
                   np.r_[np.eye(5).ravel(), A.ravel()], rtol=10 * 8 * EPS)
    ch.text(
        "The fast path stores each v below the diagonal, where the zeros would be, the way "
        "LAPACK's `dlarfg` does: scaled so that v₁ = 1 (that entry need not be stored), which "
        "turns τ = 2/vᵀv into (β − x₁)/β, since with σ² = ‖x₂:‖² and β² = x₁² + σ²"
    )
    ch.equation(r"v^\top v = 1 + \frac{\sigma^2}{(x_1 - \beta)^2} = "
                r"\frac{2\beta(\beta - x_1)}{(x_1 - \beta)^2}.")
    ch.text(
        "The library's reflector, the first step of every `HouseholderQR` panel:"
    )
    ch.code(_make_reflector, "`fromscratch.linalg._qr._make_reflector`: the norm is split "
            "as hypot(x₁, ‖x₂:‖) so that it neither overflows nor underflows.")
