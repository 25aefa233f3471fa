"""The out-of-core chapter's first sections: why QR distributes (the R of stacked R's, with
Qᵀy carried along) and one-pass statistics that keep their digits (Chan et al.'s merge against
the naive sum of squares).

The identities are checked on NumPy blocks first — they are algebra, not Dask — then the
library's own :func:`fromscratch.blocks.tsqr` and ``StandardScaler`` run them on a lazy array.
"""

from __future__ import annotations

import numpy as np

# The strings the chapter's topic table quotes (ch_out_of_core.SECTIONS).
HEADING_J1 = "Why QR distributes: the R of stacked R's"
FIGURE_J1 = ("Reduction trees. Left: four blocks merged two at a time, as in the derivation. "
             "Right: 20 blocks merged 8 at a time (the library's `SPLIT_EVERY`), as in the "
             "quick tour's runs below: only small p × p factors travel up the tree.")
CHECK_J1 = "R of the stacked R's of 4 blocks (rows signed to a positive diagonal)"
HEADING_J2 = "One-pass statistics and numerical stability"
FIGURE_J2 = ("Correct digits of the variance of 100,000 numbers with standard deviation 1 "
             "as their mean grows: the naive $E[x^2] - E[x]^2$ loses two digits per decade, "
             "as predicted; the merge of per-block centered moments keeps ten or more.")
CHECK_J2 = "variance by merging 10 blocks' moments, at every mean"

#: Lazy data of the TSQR run: rows, features, rows per block (20 blocks).
TSQR_SHAPE = (40_000, 8, 2_000)


def merge_error_scale(ratio: np.ndarray | float, rows_per_block: int) -> np.ndarray:
    r"""The rounding error of a variance merged from blocks of ``rows_per_block`` rows, in
    relative terms and up to a small constant: :math:`\varepsilon(1 + (|\bar x|/s)/\sqrt{n_b})`
    for data whose mean over standard deviation is ``ratio``."""
    eps = np.finfo(np.float64).eps
    return eps * (1.0 + np.asarray(ratio, dtype=float) / np.sqrt(rows_per_block))


def _positive_diagonal(R: np.ndarray) -> np.ndarray:
    """``R`` with each row's sign flipped so that its diagonal is positive: the R factor of a
    full-rank matrix is unique up to these signs."""
    signs = np.where(np.diagonal(R) < 0, -1.0, 1.0)
    return R * signs[:, None]


def qr_distributes(ch, missing: str | None) -> None:
    from fromscratch.blocks import SPLIT_EVERY
    from fromscratch.linalg import qr
    from fromscratch.plot.out_of_core import plot_reduction_tree

    ch.heading(HEADING_J1)
    ch.text(
        "Least squares by Householder QR factors $X = QR$ and solves $R\\hat w = Q^\\top y$ "
        "(the linear-regression chapter). A matrix too tall for memory arrives as row blocks, "
        "$X = [X_1; X_2]$. Factor each block where it lives, $X_i = Q_i R_i$, stack the two "
        "small $p \\times p$ factors and factor them once more, $[R_1; R_2] = Q' R$. Then"
    )
    ch.equation(r"X = \begin{bmatrix} X_1 \\ X_2 \end{bmatrix}"
                r" = \begin{bmatrix} Q_1 & 0 \\ 0 & Q_2 \end{bmatrix}"
                r"\begin{bmatrix} R_1 \\ R_2 \end{bmatrix}"
                r" = \underbrace{\begin{bmatrix} Q_1 & 0 \\ 0 & Q_2 \end{bmatrix} Q'}_{Q}\, R")
    ch.text(
        "and $Q$ has orthonormal columns, $Q^\\top Q = {Q'}^\\top \\operatorname{diag}(Q_1^\\top "
        "Q_1, Q_2^\\top Q_2)\\, Q' = {Q'}^\\top Q' = I$, while $R$ is upper triangular: $X = QR$ "
        "**is** a QR factorization of $X$. For a full-rank $X$ the factor is unique up to the "
        "signs of its rows ($R^\\top R = X^\\top X$ is its Cholesky factorization once the "
        "diagonal is made positive), so the $R$ of stacked $R$'s is the $R$ of the whole "
        "matrix. With $B$ blocks the stacking is repeated in a tree (TSQR, Demmel et al. "
        "2012): only $p \\times p$ factors travel, nothing of size $n$ is ever formed, and "
        "every step is an orthogonal transformation — the accuracy of Householder QR on the "
        "whole matrix, an error growing with $\\kappa(X)$ rather than the normal equations' "
        "$\\kappa(X)^2$."
    )
    ch.text(
        "**$Q^\\top y$ rides along.** Factor the augmented matrix $[X \\; y]$ instead. Its $R$ "
        "has $X$'s $R$ in the corner, $z = Q^\\top y$ in the last column and the residual "
        "norm $\\rho$ at the bottom, because $Q$ is orthogonal:"
    )
    ch.equation(r"[X \; y] = Q \begin{bmatrix} R & z \\ 0 & \rho \end{bmatrix}"
                r"\quad\Longrightarrow\quad \|Xw - y\|^2 = \|Rw - z\|^2 + \rho^2 ,"
                r"\qquad R\hat w = z")
    ch.text(
        "so one pass gives the least-squares solution (back substitution on the driver) and "
        "its residual norm. The intercept is a column of ones in the design. First the "
        "identity itself, on four NumPy blocks of a 4,000 × 6 matrix with columns of "
        "different scales, each factored by the library's Householder `qr`:"
    )
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4000, 6)) * [1.0, 10.0, 0.1, 1.0, 5.0, 1.0] + [0, 3, 0, 1, 0, 0]
    stacked = np.vstack([qr(part, mode="r") for part in np.array_split(A, 4)])
    R_tree = _positive_diagonal(qr(stacked, mode="r"))
    R_whole = _positive_diagonal(qr(A, mode="r"))
    # Both routes are sequences of orthogonal transformations, backward stable: R is known to
    # about κ(A)·ε of its scale (κ ≈ 100 here), far inside 1e-12.
    ch.check_close(CHECK_J1, "the R of the whole matrix by Householder QR", R_tree, R_whole,
                   rtol=1e-12)
    ch.figure(plot_reduction_tree(((4, 2), (20, SPLIT_EVERY))), FIGURE_J1)
    if missing:
        ch.skip("TSQR on a lazy array: coefficients and intercept", "in-memory QR", missing)
        ch.skip("TSQR on a lazy array: residual norm ρ", "in-memory QR", missing)
        ch.skip("TSQR on an ill-conditioned lazy design: error in units of κε",
                "the QR bound c·κ·ε", missing)
        return
    _tsqr_on_a_lazy_array(ch)


def _tsqr_on_a_lazy_array(ch) -> None:
    from fromscratch.blocks import row_blocks, tsqr
    from fromscratch.datasets import make_linear
    from fromscratch.linalg import solve_triangular
    from fromscratch.linear_model import LinearRegression

    n, p, rows = TSQR_SHAPE
    data = make_linear(n, p, intercept=3.0, noise=0.5, correlation=0.9, chunks=rows,
                       random_state=1)
    ch.text(
        f"Now the library's TSQR, `blocks.tsqr`, on a lazy {n:,} × {p} Dask array in "
        f"{n // rows} blocks of {rows:,} rows (`make_linear(..., chunks={rows})`: each block is "
        "generated when it is read). It factors every block of $[\\mathbf 1, X - c, y - c_y]$ "
        "— each column shifted by a rough center $c$, the mean of the first block, to keep the "
        "numbers small — reduces the factors in the tree above, and returns $R$ and "
        "$z = Q^\\top y$. Back substitution $R\\theta = z$ gives the intercept of the shifted "
        "problem and the weights; the intercept is $b = \\theta_0 + c_y - c^\\top w$."
    )
    result = tsqr(row_blocks(data.X, data.y))
    theta = solve_triangular(result.R, result.qty)
    w = theta[1:]
    b = theta[0] + result.shift_y - result.shift_x @ w
    X, y = data.X.compute(), data.y.compute()
    model = LinearRegression(solver="qr").fit(X, y)
    residual = float(np.sqrt(np.sum((y - model.predict(X)) ** 2)))
    ch.table(["", "intercept", "w₁", "w₂", f"w_{p}", "residual norm ρ"], [
        ["TSQR on the lazy array", b, w[0], w[1], w[-1], float(result.residual_norm)],
        ["LinearRegression(solver='qr'), in memory", model.intercept_, model.coef_[0],
         model.coef_[1], model.coef_[-1], residual],
    ], "One pass of TSQR and the in-memory Householder QR on the gathered array.")
    # Two backward-stable factorizations of the same data in different orders: the answers
    # agree to κ·ε (κ ≈ 20 for these correlated columns), well inside 1e-10 of their scale.
    ch.check_close("TSQR on a lazy array: coefficients and intercept",
                   "LinearRegression(solver='qr') on the gathered array", np.r_[b, w],
                   np.r_[model.intercept_, model.coef_], rtol=1e-10)
    ch.check_close("TSQR on a lazy array: residual norm ρ", "‖y − Xŵ‖ in memory",
                   float(result.residual_norm), residual, rtol=1e-10)
    _conditioning(ch)


def _conditioning(ch) -> None:
    import warnings

    from fromscratch.blocks import row_blocks, tsqr
    from fromscratch.datasets import make_linear
    from fromscratch.linalg import IllConditionedWarning, cond_triangular
    from fromscratch.linear_model import LinearRegression

    n, p, rows = TSQR_SHAPE
    # Neighbouring columns with correlation 1 − 1e-10: nearly collinear, κ(X) ≈ 1.4e5; no
    # noise, so the true weights are the exact least-squares solution.
    data = make_linear(n, p - 2, intercept=3.0, noise=0.0, correlation=1 - 1e-10,
                       chunks=rows, random_state=1)
    kappa = cond_triangular(tsqr(row_blocks(data.X, data.y)).R[1:, 1:])  # of the centered X
    eps = np.finfo(np.float64).eps
    qr_fit = LinearRegression(solver="qr").fit(data.X, data.y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IllConditionedWarning)
        gram_fit = LinearRegression(solver="cholesky").fit(data.X, data.y)
    warned = any(issubclass(w.category, IllConditionedWarning) for w in caught)
    errors = {name: float(np.max(np.abs(fit.coef_ - data.coef)) / np.max(np.abs(data.coef)))
              for name, fit in (("qr", qr_fit), ("gram", gram_fit))}
    ch.text(
        "**Why it matters.** The one-pass alternative, the normal equations "
        "$X^\\top X w = X^\\top y$ (`solver='cholesky'`, one pass of Gram statistics, "
        "section below), squares the condition number. On a lazy design with nearly "
        f"collinear columns, $\\kappa(X) \\approx {kappa:.2g}$, and no noise — so the true "
        "weights are the exact answer — TSQR loses about $\\kappa\\varepsilon$, the normal "
        "equations about $\\kappa^2\\varepsilon$"
        + (" (and the library warns that $X^\\top X$ is ill-conditioned)" if warned else "")
        + ":"
    )
    ch.table(["", "κ(X)", "max |w − w_true| / max |w_true|", "κε", "κ²ε"], [
        ["TSQR, LinearRegression(solver='qr')", kappa, errors["qr"], kappa * eps,
         kappa**2 * eps],
        ["one-pass Gram, LinearRegression(solver='cholesky')", kappa, errors["gram"],
         kappa * eps, kappa**2 * eps],
    ], "Least squares on a lazy ill-conditioned design, against the true weights.")
    # A backward-stable QR solve of a zero-residual problem errs by at most c·p·κ·ε (measured
    # 0.01 κε); the normal equations by about κ²ε (measured 0.75 κ²ε) — 10⁵ times more here.
    ch.check_bound("TSQR on an ill-conditioned lazy design: error in units of κε",
                   "the QR bound c·κ·ε (c ≤ 10)", errors["qr"] / (kappa * eps), at_most=10.0)
    ch.check_bound("one-pass normal equations on the same design: error in units of κ²ε",
                   "the normal equations' κ²ε law (0.01 to 10)", errors["gram"] / (kappa**2 * eps),
                   at_least=0.01, at_most=10.0)


def one_pass_statistics(ch, missing: str | None) -> None:
    from fromscratch.blocks import block_moments, merge_moments
    from fromscratch.plot.out_of_core import plot_variance_digits

    ch.heading(HEADING_J2)
    ch.text(
        "Standardizing features, centering a Gram matrix, a ridge fit: all need means and "
        "variances, and reading the data twice (the mean first, then the squared deviations) "
        "doubles the cost when the data live on disk. The textbook one-pass formula keeps "
        "$\\sum x_i$ and $\\sum x_i^2$:"
    )
    ch.equation(r"s^2 = \frac1n \sum_i x_i^2 - \bar x^2 .")
    ch.text(
        "It is exact in arithmetic and poor in floating point. Each of the two terms is about "
        "$\\bar x^2$ and is rounded with a relative error of about $\\varepsilon = 2^{-52} "
        "\\approx 2.2 \\times 10^{-16}$, so their difference carries an absolute error of "
        "about $\\varepsilon \\bar x^2$; relative to the answer $s^2$ that is "
        "$\\varepsilon\\, \\bar x^2 / s^2$. The correct digits are about "
        "$\\log_{10}(1/\\varepsilon) - 2\\log_{10}(|\\bar x|/s) \\approx 16 - "
        "2\\log_{10}(|\\bar x|/s)$: two digits lost per decade of mean over spread, and "
        "nothing left at $|\\bar x|/s = 10^8$ — a timestamp in seconds, a price in cents."
    )
    ch.text(
        "**The merge.** Never form $\\sum x_i^2$. Let each block $A$ keep its count $n_A$, "
        "its mean $m_A$ and its *centered* sum of squares $M_A = \\sum_{i \\in A} (x_i - "
        "m_A)^2$, computed in two passes over the block while it is in memory. For the union "
        "of two blocks, $n = n_A + n_B$ and $\\delta = m_B - m_A$ give the mean "
        "$m = m_A + \\delta n_B/n$, hence $m_A - m = -\\delta n_B/n$ and $m_B - m = \\delta "
        "n_A/n$. Splitting each deviation, $x_i - m = (x_i - m_A) + (m_A - m)$, the cross "
        "term vanishes because deviations from $m_A$ sum to zero over $A$:"
    )
    ch.equation(r"\sum_{i \in A}(x_i - m)^2 = M_A + n_A (m_A - m)^2, \qquad "
                r"M = M_A + M_B + n_A\frac{\delta^2 n_B^2}{n^2} + n_B\frac{\delta^2 n_A^2}{n^2}"
                r" = M_A + M_B + \delta^2\,\frac{n_A n_B}{n}")
    ch.text(
        "(Chan, Golub & LeVeque, 1979). Every term is a sum of squares of *small* numbers — "
        "deviations and differences of means — so nothing cancels, and because the merge is "
        "associative the blocks can be merged in any tree. The same formula with "
        "$\\delta\\delta^\\top$ merges centered Gram matrices, the statistics of the one-pass "
        "normal equations and ridge. The library's merge:"
    )
    ch.code(merge_moments, "fromscratch.blocks.merge_moments: Chan et al.'s pairwise update")
    rng = np.random.default_rng(2)
    noise = rng.standard_normal(100_000)
    means = 10.0 ** np.arange(0, 9)
    eps = np.finfo(np.float64).eps
    rows = []
    errors: dict[str, list[float]] = {"naive": [], "merge": []}
    for mean in means:
        x = mean + noise  # the data as stored: its exact variance is np.var's to ~ε
        reference = float(np.var(x))  # two passes: mean first, then squared deviations
        naive = float(np.mean(x * x) - np.mean(x) ** 2)
        merged = float(merge_moments([block_moments(part[:, None])
                                      for part in np.array_split(x, 10)]).variance[0])
        errors["naive"].append(abs(naive - reference) / reference)
        errors["merge"].append(abs(merged - reference) / reference)
        rows.append([f"10^{int(np.log10(mean))}", f"{naive:.10f}", f"{merged:.10f}",
                     f"{reference:.10f}"])
    ratio = means / np.std(noise)
    digits = {k: np.clip(-np.log10(np.maximum(v, eps)), 0, None) for k, v in errors.items()}
    predicted = -np.log10(eps) - 2 * np.log10(ratio)
    ch.table(["mean", "naive E[x²] − E[x]²", "merged blocks", "NumPy two-pass np.var",
              "correct digits: naive", "merged"],
             [row + [digits["naive"][i], digits["merge"][i]] for i, row in enumerate(rows)],
             "The variance of mean + N(0, 1) noise (100,000 numbers, 10 blocks).")
    ch.figure(plot_variance_digits(ratio, {"naive one-pass  E[x²] − E[x]²": digits["naive"],
                                           "merge of 10 blocks (Chan et al.)":
                                           digits["merge"]}, predicted=predicted), FIGURE_J2)
    bound = merge_error_scale(ratio, len(noise) // 10)
    ch.text(
        "The merge is not free of rounding either: the block means themselves are floats near "
        "$\\bar x$, known only to about $\\varepsilon|\\bar x|$, and that error enters "
        "$\\delta^2 n_A n_B / n$ *linearly*, through $2\\delta\\,\\Delta\\delta$ with "
        "$\\delta \\approx s\\sqrt{2/n_b}$ for blocks of $n_b$ rows. Relative to "
        "$M \\approx n s^2$ that is about $\\varepsilon (|\\bar x|/s)/\\sqrt{n_b}$: one digit "
        "per decade instead of two, and $\\sqrt{n_b}$ to spare — at $|\\bar x|/s = 10^8$ "
        "about ten digits remain where the naive formula keeps none."
    )
    # The error of the merge, in units of ε(1 + (|x̄|/s)/√n_b), is at most 3.5 here (one
    # rounding per block mean and a few per merge); 10 bounds it at every mean, while an
    # error growing like (|x̄|/s)² — the naive formula's — exceeds it by 10⁸ at the largest.
    ch.check(CHECK_J2, "NumPy's two-pass np.var: worst error in units of ε(1 + (|x̄|/s)/√n_b)",
             max(np.asarray(errors["merge"]) / bound), 10.0)
    ch.check_bound("naive one-pass variance at mean 10^8: correct digits",
                   "the cancellation estimate 16 − 2·log₁₀(|mean|/sd) ≈ 0", digits["naive"][-1],
                   at_most=2.0)
    if missing:
        ch.skip("StandardScaler on a lazy array with mean 10^8: variance", "np.var", missing)
        return
    _scaler_on_a_lazy_array(ch)


def _scaler_on_a_lazy_array(ch) -> None:
    from fromscratch.datasets import make_linear
    from fromscratch.preprocessing import StandardScaler

    data = make_linear(200_000, 3, chunks=10_000, random_state=3)
    shifted = data.X * [1.0, 2.0, 0.5] + [1e8, -3e6, 10.0]  # lazy: still nothing computed
    scaler = StandardScaler().fit(shifted)
    assert scaler.var_ is not None  # with_std=True (the default) keeps the variances
    # The references: np.mean and np.var of each column as a contiguous vector, which NumPy
    # sums pairwise. (X.mean(axis=0) sums a row-major array one row after another: its mean
    # of the 10^8 column is off by ~1e-6, an error of the reference, not of the scaler.)
    columns = [np.ascontiguousarray(column) for column in shifted.compute().T]
    means = np.array([np.mean(column) for column in columns])
    variances = np.array([np.var(column) for column in columns])
    error = np.abs(scaler.var_ - variances) / variances
    ch.text(
        "`StandardScaler` on a lazy 200,000 × 3 array whose columns have means $10^8$, "
        "$-3 \\times 10^6$ and 10 reads it once, each block's moments merged in the tree; its "
        f"variances {np.array2string(scaler.var_, precision=8)} against NumPy's two-pass "
        f"{np.array2string(variances, precision=8)} on the gathered columns."
    )
    ch.text(
        "Here the bound is looser than in the NumPy run above, for a reason worth knowing: a "
        "block of several columns is stored row by row, and NumPy sums a column of it one row "
        "after another rather than pairwise, so each block mean carries the rounding of a "
        "running sum, about $\\sqrt{n_b}$ roundings of $\\varepsilon|\\bar x|$ instead of "
        "one. Through the same $2\\delta\\,\\Delta\\delta$ term the error becomes about "
        "$\\varepsilon|\\bar x|/s$ — one digit per decade, without the $\\sqrt{n_b}$ to "
        f"spare: {-np.log10(max(error.max(), 1e-17)):.1f} correct digits for the column with "
        "mean $10^8$, still far from the naive formula's none."
    )
    # Running sums err like a random walk, √n_b roundings: the block sums of squared
    # deviations by about √n_b·ε, the variance through the block means by about √2·ε·|x̄|/s
    # (errors of different blocks partly cancel; measured ≤ 0.07 of the unit in both
    # regimes). An error like the naive formula's, ε(|x̄|/s)², is 10⁸ times the bound.
    unit = np.finfo(np.float64).eps * (np.sqrt(10_000) + np.abs(means) / np.sqrt(variances))
    ch.check("StandardScaler on a lazy array with mean 10^8: variance",
             "np.var on the gathered columns: worst error in units of ε(√n_b + |x̄|/s)",
             np.max(error / unit), 1.0)
    # The merged mean adds a rounding per merge to the blocks' means: a few ε of the scale.
    ch.check_close("StandardScaler on a lazy array: means", "np.mean on the gathered columns",
                   scaler.mean_, means, rtol=1e-14)
