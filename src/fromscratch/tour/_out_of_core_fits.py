"""The out-of-core chapter's fitting sections: Newton's method as map-reduce (its passes
counted), streaming SGD (``partial_fit`` and passes over shuffled blocks) against the exact
solution, and a run of every estimator on a lazy array with the verification table against
the same estimator in memory.

Passes are *measured*, not assumed: the lazy ``X`` goes through :class:`BlockReads`, an
identity applied to every block when it is read (:func:`fromscratch.blocks.map_rows`), which
counts the reads; passes = blocks read / number of blocks.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# The strings the chapter's topic table quotes (ch_out_of_core.SECTIONS).
HEADING_J3 = "Newton's method as map-reduce"
FIGURE_J3 = ("Logistic regression on a lazy array. Left: the objective gap per iteration of "
             "Newton's method and L-BFGS, each evaluation answered by passes over the blocks. "
             "Right: the passes over X each fit made, counted as blocks read.")
CHECK_J3 = "LogisticRegression(solver='newton') on a lazy array: passes over X"
HEADING_J4 = "Streaming SGD: partial_fit and passes over shuffled blocks"
FIGURE_J4 = ("Streaming mini-batch SGD on a lazy array. Left: the gap of each pass's mean "
             "batch loss to the exact least-squares optimum falls to the noise floor that "
             "constant-step SGD predicts (dashed) and stays there. Right: the distance to the "
             "exact solution after each partial_fit call, one pass each, against its "
             "predicted stationary value.")
CHECK_J4 = "streamed least squares: excess objective f(θ) − f*"
HEADING_J5 = "A run on a lazy array, checked against the fit in memory"
FIGURE_J5 = ("Passes over X of every fit of the verification table: one for the "
             "statistics-based fits, one or two per Newton step, one per L-BFGS evaluation.")
CHECK_J5 = "LinearRegression(solver='qr') on the lazy array"


class BlockReads:
    """An identity on blocks that counts how many were read (the passes of a fit).

    Blocks may be read from several threads at once; ``list.append`` is atomic in CPython, so
    the count is exact without a lock.
    """

    def __init__(self) -> None:
        self._reads: list[int] = []

    def __call__(self, block: np.ndarray) -> np.ndarray:
        self._reads.append(1)
        return block

    def passes(self, n_blocks: int) -> float:
        """Blocks read since the last call, over the number of blocks; resets the count."""
        reads = len(self._reads)
        self._reads.clear()
        return reads / n_blocks


def counted(X: Any) -> tuple[Any, BlockReads]:
    """The lazy ``X`` read through a :class:`BlockReads` counter (same chunks, same values)."""
    from fromscratch.blocks import map_rows

    reads = BlockReads()
    return map_rows(X, reads, shape=(X.shape[1],)), reads


@dataclass
class Verification:
    """The rows of the verification table, filled as the sections check their fits."""

    rows: list[list[Any]] = field(default_factory=list)

    def compare(self, ch, estimator: str, passes: float, ours: Any, reference: Any,
                rtol: float) -> None:
        """Check ``ours`` against the in-memory ``reference`` to ``rtol`` of its scale, and
        add the row."""
        ours, reference = np.asarray(ours, dtype=float), np.asarray(reference, dtype=float)
        passed = ch.check_close(f"{estimator} on the lazy array", "the same estimator in memory",
                                ours, reference, rtol=rtol)
        difference = float(np.max(np.abs(ours - reference)) / np.max(np.abs(reference)))
        self.rows.append([estimator, passes, difference, rtol, "pass" if passed else "FAIL"])


def _parameters(model: Any) -> np.ndarray:
    return np.r_[np.ravel(model.coef_), np.ravel(model.intercept_)]


def _scientific(x: float) -> str:
    """``x`` in TeX's scientific notation, three significant digits: 2.16 \\times 10^{-4}."""
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def _norm(v: np.ndarray) -> float:
    return float(np.sqrt(np.sum(v * v)))


def newton_map_reduce(ch, missing: str | None, verification: Verification) -> None:
    from fromscratch.blocks import map_reduce

    ch.heading(HEADING_J3)
    ch.text(
        "Logistic regression has no closed form; Newton's method iterates "
        "$w \\leftarrow w - H^{-1} g$ (the logistic-regression chapter). What it needs of the "
        "data are sums over the rows — the mean log-loss, its gradient and its Hessian, with "
        "$\\tilde X = [X, \\mathbf 1]$, $p_i = \\sigma(\\tilde x_i^\\top w)$ and "
        "$S = \\operatorname{diag}(p_i(1 - p_i))$ — and a sum over the rows is a sum over the "
        "blocks of sums over their rows:"
    )
    ch.equation(r"L(w) = \frac1n \sum_{b=1}^{B} \sum_{i \in b} \ell_i(w) + "
                r"\frac{\lambda}{2}\|w\|^2, \quad "
                r"g = \frac1n \sum_{b=1}^{B} \tilde X_b^\top (p_b - y_b) + \lambda w, \quad "
                r"H = \frac1n \sum_{b=1}^{B} \tilde X_b^\top S_b \tilde X_b + \lambda I")
    ch.text(
        "So one iteration is one **map-reduce**: *map* — every block computes its three sums "
        "at the current $w$ where it lives (a number, a vector of $p + 1$, a $(p + 1) \\times "
        "(p + 1)$ matrix); *reduce* — the pieces are added in the tree of the previous "
        "section (addition is associative, so any grouping gives the same sum up to "
        "rounding); then the driver divides by $n$, adds the penalty **once** (added per "
        "block it would count $B$ times) and solves the small system $Hd = -g$. The data "
        "never move; a few kilobytes per block do. The library computes loss, gradient and "
        "Hessian in the same pass, so a full Newton step that is accepted costs exactly one "
        "pass, and a shortened step one more (its trial points skip the Hessian); L-BFGS "
        "asks for loss and gradient at every point, one pass each. The labels are found once "
        "by a pass over $y$ alone. Every pass is the library's `map_reduce`:"
    )
    ch.code(map_reduce, "fromscratch.blocks.map_reduce: per-block work merged in a tree")
    if missing:
        for what in (CHECK_J3, "LogisticRegression(solver='newton') on the lazy array",
                     "LogisticRegression(solver='lbfgs') on the lazy array"):
            ch.skip(what, "the same fit in memory", missing)
        return
    _newton_passes(ch, verification)


def _newton_passes(ch, verification: Verification) -> None:
    from fromscratch.datasets import make_classification
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.plot.out_of_core import plot_passes

    n, p, rows = (50_000, 10, 2_500) if ch.quick else (200_000, 20, 10_000)
    n_blocks = n // rows
    data = make_classification(n, p, n_informative=6, n_redundant=2, class_sep=0.8,
                               chunks=rows, random_state=4)
    # Held by Dask as blocks, as a cluster's workers would hold them: the passes then cost
    # the block sums, not generating the data again (J5 runs on data generated at each read).
    X_blocks, y_blocks = data.X.persist(), data.y.persist()
    X, y = X_blocks.compute(), y_blocks.compute()  # gathered, for the in-memory fits
    fits, passes = {}, {}
    for solver, tol in (("newton", 1e-10), ("lbfgs", 1e-8)):
        lazy, reads = counted(X_blocks)
        fits[solver] = LogisticRegression(solver=solver, tol=tol).fit(lazy, y_blocks)
        passes[solver] = reads.passes(n_blocks)
    memory = {s: LogisticRegression(solver=s, tol=fits[s].tol).fit(X, y) for s in fits}
    newton, lbfgs = fits["newton"], fits["lbfgs"]
    ch.text(
        f"A {n:,} × {p} classification problem in {n_blocks} blocks "
        f"(`make_classification(..., chunks={rows})`, persisted: Dask holds the "
        "blocks, the estimator never gathers them), its blocks read through a counter:"
    )
    ch.table(["solver", "iterations (lazy)", "iterations (in memory)", "passes over X",
              "passes per iteration"], [
        [s, fits[s].n_iter_, memory[s].n_iter_, passes[s], passes[s] / max(fits[s].n_iter_, 1)]
        for s in fits
    ], "Passes over X are blocks read / blocks (the pass over the labels reads y only).")
    f_star = float(memory["newton"].loss_curve_[-1])
    ch.figure(plot_passes({f"{s}, {passes[s]:.3g} passes": passes[s] for s in fits},
                          curves={f"{s} on the lazy array": fits[s].loss_curve_
                                  for s in fits}, optimum=f_star), FIGURE_J3)
    # One pass at the start (loss, gradient and Hessian at w₀), then one per accepted full
    # step, two when the step had to be shortened: between n_iter + 1 and 2·n_iter + 1. A fit
    # that gathered X would read it once; fewer passes than iterations means it did.
    ch.check_bound(CHECK_J3, "n_iter + 1 (every step a full step) to 2·n_iter + 1",
                   passes["newton"] - newton.n_iter_ - 1,
                   at_least=0.0, at_most=float(newton.n_iter_))
    ch.check_bound("LogisticRegression(solver='lbfgs') on a lazy array: passes over X",
                   "at least one per iteration (each evaluation is a pass)",
                   passes["lbfgs"] - lbfgs.n_iter_, at_least=0.0)
    # Newton's last steps converge quadratically: both runs end at the optimum to rounding,
    # and the block sums differ from the row sums only by rounding (1e-10 of the scale).
    verification.compare(ch, "LogisticRegression(solver='newton')", passes["newton"],
                         _parameters(newton), _parameters(memory["newton"]), 1e-10)
    # L-BFGS stops where its line search can no longer lower the objective in floating
    # point; two runs whose sums round differently stop at slightly different such points
    # along the flattest direction: about √(ε·f/λ_min) ≈ 1e-7, bounded by 1e-6.
    verification.compare(ch, "LogisticRegression(solver='lbfgs')", passes["lbfgs"],
                         _parameters(lbfgs), _parameters(memory["lbfgs"]), 1e-6)


def streaming_sgd(ch, missing: str | None) -> None:
    ch.heading(HEADING_J4)
    ch.text(
        "Newton reads the data once per step but needs the Hessian's $p^2$ numbers; "
        "stochastic gradient descent needs only $p$, and only the rows of one mini-batch at a "
        "time — the method of choice for data that arrive as a stream or for wide models. "
        "Each step uses the mean gradient of a batch $\\mathcal B$ of rows, an unbiased "
        "estimate of the full gradient, $E[\\nabla f_{\\mathcal B}(\\theta)] = \\nabla "
        "f(\\theta)$:"
    )
    ch.equation(r"\theta_{t+1} = \theta_t - \eta\,\nabla f_{\mathcal B_t}(\theta_t), \qquad "
                r"f(\theta) = \frac{1}{2n}\sum_{i=1}^n (y_i - \tilde x_i^\top\theta)^2, \quad "
                r"\tilde x_i = (x_i, 1)")
    ch.text(
        "**Passes over shuffled blocks.** On a Dask array an epoch is a pass over the blocks: "
        "the blocks in a random order, the rows shuffled within each block, so every row is "
        "used exactly once per epoch with one or two blocks in memory (the next one is read "
        "while the current one trains). `partial_fit` is one such pass over whatever it is "
        "given, keeping the coefficients and the optimizer's state between calls; "
        "`fit(solver='minibatch')` runs passes until its loss stops improving. The "
        "intercept is learned as a coefficient: a stream cannot be centered in advance."
    )
    ch.text(
        "**Where constant-step SGD ends.** Near $\\theta^*$ the batch gradient is "
        "$H(\\theta - \\theta^*)$ plus noise whose covariance is about $\\sigma^2 H / |\\mathcal "
        "B|$ ($H = \\frac1n\\tilde X^\\top\\tilde X$, $\\sigma^2$ the noise variance of $y$). "
        "The error $e_t = \\theta_t - \\theta^*$ then settles in a stationary distribution "
        "whose covariance $C$ solves $HC + CH \\approx \\eta\\,\\sigma^2 H/|\\mathcal B|$ for "
        "small $\\eta$, i.e. $C \\approx \\frac{\\eta\\sigma^2}{2|\\mathcal B|} I$; as $f$ is "
        "quadratic, $f(\\theta) - f^* = \\frac12 e^\\top H e$, whose mean is"
    )
    ch.equation(r"E\,f(\theta_t) - f^* \approx \frac12\operatorname{tr}(HC) = "
                r"\frac{\eta\,\sigma^2\operatorname{tr}(H)}{4\,|\mathcal B|}, \qquad "
                r"E\,\|\theta_t - \theta^*\|^2 \approx "
                r"\frac{\eta\,\sigma^2 (p+1)}{2\,|\mathcal B|}")
    ch.text(
        "— the noise floor, which shrinks with the step and the batch size (a decaying step "
        "removes it)."
    )
    if missing:
        ch.skip(CHECK_J4, "the stationary excess η σ² tr(H) / (4|B|)", missing)
        ch.skip("streamed least squares: distance to the exact solution",
                "its stationary mean √(η σ² (p + 1) / (2|B|))", missing)
        return
    _streaming_run(ch)


def _streaming_run(ch) -> None:
    from fromscratch.datasets import make_linear
    from fromscratch.linear_model import LinearRegression
    from fromscratch.plot.out_of_core import plot_streaming

    n, p, sigma = (10_000, 10, 0.5) if ch.quick else (100_000, 10, 0.5)
    eta, batch, epochs = 0.02, 64, 8
    data = make_linear(n, p, intercept=2.0, noise=sigma, chunks=n // 10, random_state=5)
    X, y = data.X.compute(), data.y.compute()
    exact = LinearRegression().fit(X, y)
    theta_star = np.r_[exact.coef_, exact.intercept_]
    X1 = np.hstack([X, np.ones((n, 1))])

    def objective(theta: np.ndarray) -> float:
        residual = y - X1 @ theta
        return 0.5 * float(residual @ residual) / n

    f_star = objective(theta_star)
    H = X1.T @ X1 / n
    excess = eta * sigma**2 * float(np.trace(H)) / (4 * batch)
    distance = float(np.sqrt(eta * sigma**2 * (p + 1) / (2 * batch)))
    settings: dict[str, Any] = dict(solver="minibatch", learning_rate=eta, batch_size=batch,
                                    random_state=0)
    streamed = LinearRegression(max_iter=epochs, tol=None, **settings).fit(data.X, data.y)
    model, distances = LinearRegression(**settings), []
    for _ in range(4):
        model.partial_fit(data.X, data.y)
        distances.append(_norm(_parameters(model) - theta_star))
    theta = np.r_[streamed.coef_, streamed.intercept_]
    ch.text(
        f"On a lazy {n:,} × {p} regression problem in 10 blocks (noise $\\sigma = {sigma}$, "
        f"standard normal features, so $H \\approx I$): `LinearRegression(solver='minibatch', "
        f"learning_rate={eta}, batch_size={batch})` for {epochs} passes, and a second model "
        "fed by four `partial_fit` calls on the same lazy array. The predicted noise floor is "
        f"$f - f^* \\approx {_scientific(excess)}$ and $\\|\\theta - \\theta^*\\| \\approx "
        f"{distance:.3f}$."
    )
    ch.figure(plot_streaming(streamed.loss_curve_, f_star, predicted_excess=excess,
                             distances=distances, predicted_distance=distance), FIGURE_J4)
    gap = objective(theta) - f_star
    ch.table(["", "f(θ) − f*", "‖θ − θ*‖", "passes"], [
        ["fit(solver='minibatch')", gap, _norm(theta - theta_star),
         streamed.n_iter_],
        ["4 × partial_fit", objective(_parameters(model)) - f_star, distances[-1], 4],
        ["predicted stationary mean", excess, distance, "—"],
    ], "Streaming SGD against the exact least-squares solution (QR on the gathered array).")
    # f − f* = ½ eᵀHe is a weighted χ² with p + 1 = 11 degrees of freedom around its mean;
    # 4× the mean is beyond its 99.99th percentile, so a pass is no accident and a wrong
    # gradient, a lost intercept or a pass that skipped blocks (a larger floor) fails it.
    ch.check_bound(CHECK_J4, "4 × the stationary excess η σ² tr(H) / (4|B|)", gap,
                   at_least=0.0, at_most=4 * excess)
    ch.check_bound("streamed least squares: distance to the exact solution",
                   "2 × its stationary mean √(η σ² (p + 1) / (2|B|))",
                   _norm(theta - theta_star), at_most=2 * distance)
    ch.check_bound("partial_fit, 4 passes: distance to the exact solution",
                   "2 × the stationary mean √(η σ² (p + 1) / (2|B|))", distances[-1],
                   at_most=2 * distance)


def lazy_run(ch, missing: str | None, verification: Verification) -> None:
    ch.heading(HEADING_J5)
    ch.text(
        "Every estimator that accepts a row-chunked Dask array, on a lazy array, against the "
        "same estimator fitted on the gathered NumPy array. The agreement is the test of the "
        "chapter: the out-of-core algorithms are the in-memory ones with their sums and "
        "factorizations computed block by block, so they must give the same answer to "
        "rounding — 1e-10 of the coefficients' scale for QR, Cholesky, ridge and Newton; "
        "1e-8 for the lasso and the elastic net, whose coordinate descent stops at its "
        "duality-gap tolerance (1e-12 here) on statistics that differ by rounding; L-BFGS as "
        "explained above."
    )
    if missing:
        ch.skip(CHECK_J5, "the same estimator in memory", missing)
        _benchmark_note(ch)
        return
    _verification_run(ch, verification)
    _benchmark_note(ch)


def _verification_run(ch, verification: Verification) -> None:
    from fromscratch.datasets import make_linear
    from fromscratch.exceptions import ConvergenceWarning
    from fromscratch.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
    from fromscratch.plot.out_of_core import plot_passes
    from fromscratch.preprocessing import StandardScaler

    # Blocks of at most 10,000 rows: each block's Householder QR stays in cache.
    n, p, rows = (100_000, 20, 5_000) if ch.quick else (1_000_000, 20, 10_000)
    n_blocks = n // rows
    data = make_linear(n, p, intercept=-1.0, noise=1.0, correlation=0.5, chunks=rows,
                       random_state=6)
    ch.text(
        f"The data: `make_linear({n:,}, {p}, chunks={rows:,})`, {n * p * 8 / 1e6:.0f} MB "
        f"of float64 in {n_blocks} blocks, generated block by block whenever a fit reads "
        "them (each block from its own seed, so every read gives the same numbers)."
    )
    X, y = data.X.compute(), data.y.compute()
    estimators: list[tuple[str, LinearRegression | Ridge | Lasso | ElasticNet, float]] = [
        ("LinearRegression(solver='qr')", LinearRegression(solver="qr"), 1e-10),
        ("LinearRegression(solver='cholesky')", LinearRegression(solver="cholesky"), 1e-10),
        ("Ridge(alpha=100)", Ridge(alpha=100.0), 1e-10),
        ("Lasso(alpha=0.02)", Lasso(alpha=0.02, tol=1e-12), 1e-8),
        ("ElasticNet(alpha=0.02, l1_ratio=0.5)", ElasticNet(alpha=0.02, l1_ratio=0.5,
                                                             tol=1e-12), 1e-8),
    ]
    passes = {}
    for name, estimator, rtol in estimators:
        lazy, reads = counted(data.X)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)  # tight tol must be reached
            ours = _parameters(estimator.fit(lazy, data.y))
        passes[name] = reads.passes(n_blocks)
        verification.compare(ch, name, passes[name], ours, _parameters(estimator.fit(X, y)),
                             rtol)
    lazy, reads = counted(data.X)
    scaler = StandardScaler().fit(lazy)
    passes["StandardScaler"] = reads.passes(n_blocks)
    # Means and variances by the merge: a few roundings of the per-block sums.
    verification.compare(ch, "StandardScaler", passes["StandardScaler"],
                         np.r_[scaler.mean_, scaler.scale_],
                         np.r_[X.mean(axis=0), X.std(axis=0)], 1e-12)
    model = LinearRegression().fit(data.X, data.y)
    predictions: Any = model.predict(data.X)  # a Dask array, for the Dask array data.X
    ch.check("predict on the lazy array: row chunks", "X's row chunks",
             float(predictions.chunks[0] != data.X.chunks[0]), 0.0)
    ch.check_close("predict on the lazy array: values", "predict on the gathered array",
                   predictions.compute(), model.predict(X), rtol=1e-12)
    for logistic in ("LogisticRegression(solver='newton')", "LogisticRegression(solver='lbfgs')"):
        passes[logistic] = next((row[1] for row in verification.rows if row[0] == logistic),
                                float("nan"))
    ch.table(["estimator on the lazy array", "passes over X", "max |Δ| / max |in memory|",
              "tolerance", "result"], verification.rows,
             "The verification table: each estimator on the lazy Dask array against the same "
             "estimator on the gathered NumPy array (coefficients and intercept).")
    ch.figure(plot_passes({k: v for k, v in passes.items() if np.isfinite(v)}), FIGURE_J5)
    tsqr_passes = passes[estimators[0][0]]
    ch.text(
        "TSQR reads one block twice (the first block also gives the rough center $c$), hence "
        f"its {tsqr_passes:.3g} passes; every other statistics-based fit reads the data "
        "exactly once."
    )


def _benchmark_note(ch) -> None:
    ch.text(
        "**Larger than memory.** The same fits on a lazy array that never fits in RAM are the "
        "benchmark's job, not the tour's: `python benchmarks/bench_dask.py --big` fits "
        "`LinearRegression` on 20,000,000 × 100 float64 (16 GB) generated block by block, "
        "reporting the time, GB/s against one bare pass (`X.sum()`) and the peak resident "
        "memory, which stays near a few blocks' worth; `python benchmarks/bench_dask.py` "
        "compares ours with `dask.array.linalg.lstsq` and dask-ml side by side, on threads "
        "and on a two-process `distributed.LocalCluster`. To run any of these fits on a "
        "cluster, create a `distributed.Client` before fitting — nothing else changes."
    )
