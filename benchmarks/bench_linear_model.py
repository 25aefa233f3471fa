"""fromscratch.linear_model against scikit-learn, side by side in one process.

Each case fits ours and scikit-learn's estimator alternately (interleaved, so machine noise hits
both), several times, and prints the medians, the median of the per-repeat ratios ours /
scikit-learn (< 1: ours is faster) with their interquartile range, and the largest relative
coefficient difference. The iterative solvers run at the same tolerance with the same
duality-gap stopping rule.

Weighted least squares (a second table) runs each weighted fit beside our unweighted fit of the
same data and scikit-learn's weighted fit: the weights cost one weighted mean and, for Cholesky,
scaling each cache-sized block of rows by the square roots of its weights before its product
(for QR, one pass over the copy it factors).

The Lasso/ElasticNet problem (5000 x 500) has 20 true non-zero coefficients (3 N(0, 1) each) and
unit Gaussian noise, R² about 0.995. At alpha = 0.01, a fifth of the noise level
sigma sqrt(2 log(p) / n) = 0.05, the lasso keeps about 240 coefficients (the
elastic net about 360): noise features enter, as they should at such a small penalty.

The default solver="auto" runs FISTA on this problem (its features are independent, so
X^T X / n has condition number 3.7 and ten FISTA steps cut the duality gap ten-thousandfold).
Where its time goes (one thread, tol = 1e-8, ~19 ms): validation 0.8 ms, centering 3 ms, the
float32 copy of X 1.2 ms, three power iterations for the step size 1.5 ms, Xᵀy 1 ms, 20 steps
of two float32 matrix-vector products (0.4 ms a step), two exact float64 gap checks (1.8 ms
each). scikit-learn's fit takes 22-30 ms, about 16 of them even when it stops at its first
gap check (validation, the Fortran-ordered copy of X, centering).

Coordinate descent (solver="cd", a row below) needs the Gram matrix of every feature the
working sets reach, here about 320: with half of the features in the support its cost (29 ms
for the whole XᵀX in float64, BLAS syrk at ~43 GFlop/s) exceeds scikit-learn's whole fit.
Measured alternatives for it that were slower: residual-form coordinate descent on the
working sets (Python pays ~9 µs per coordinate update), the Gram matrix of the working sets
only (13 ms in one syrk, 22 ms grown with the set, plus a strided gather of the columns of a
C-ordered X and an XᵀR per re-ranking), Anderson extrapolation of the iterates (41 -> 39
epochs), and a float32 Gram matrix with exact resynchronization (1.26-1.36x; it would end the
iterations identical to scikit-learn's that the tests check on small data). On correlated
features (the "corr. 0.95" rows: neighbouring columns correlated 0.95) FISTA converges
slowly, and "auto" hands over to coordinate descent after its first ten steps.

RidgeCV (leave-one-out, cv=None) decomposes XᵀX (or XXᵀ when n <= p) once on both sides. Per
penalty scikit-learn's "eigen" mode then forms X (XᵀX + αI)⁻¹ (O(np²) per α); ours keeps B = XV
and needs the diagonal of B (Λ + αI)⁻¹ Bᵀ and one product per α (O(np)). Our eigendecomposition
itself is slower than LAPACK's (the eigh rows of bench_linalg.py).

Threads: by default each library uses its default thread pools (OpenBLAS for NumPy, also
OpenMP for scikit-learn). ``--threads 1`` limits both sides to one thread (threadpoolctl), the
stable and like-for-like setting on a shared machine (scikit-learn's coordinate descent is
single-threaded anyway; our Gram matrix product would otherwise use every core).

    python benchmarks/bench_linear_model.py [--repeats 5] [--quick] [--threads 1]
"""

from __future__ import annotations

import argparse
import contextlib
import time

import numpy as np
from _timing import interleaved
from sklearn import linear_model as sk
from threadpoolctl import threadpool_limits

from fromscratch import linear_model as fs
from fromscratch.datasets import make_linear


def report(name, ours, reference, X, y, repeats):
    models = {}

    def fitter(key, estimator):
        def run():
            models[key] = estimator.fit(X, y)
        return run

    t = interleaved({"ours": fitter("ours", ours), "ref": fitter("ref", reference)}, repeats)
    t_ours, t_ref = t["ours"], t["ref"]
    ratios = t_ours / t_ref  # per repeat: the two fits ran back to back, under the same load
    low, median, high = np.quantile(ratios, [0.25, 0.5, 0.75])
    ref_coef = models["ref"].coef_
    diff = np.abs(models["ours"].coef_ - ref_coef).max() / np.abs(ref_coef).max()
    print(f"{name:<44} {np.median(t_ours) * 1e3:>9.1f} {np.median(t_ref) * 1e3:>9.1f} "
          f"{median:>6.2f} {f'[{low:.2f}, {high:.2f}]':>13} {diff:>9.1e}")


def report_weighted(name, ours, reference, X, y, sample_weight, repeats):
    """Weighted fits: ours against its own unweighted fit (the cost of the weights) and against
    scikit-learn's weighted fit, all three interleaved."""
    models = {}

    def fitter(key, estimator, weight):
        def run():
            models[key] = estimator.fit(X, y, sample_weight=weight)
        return run

    t = interleaved({"plain": fitter("plain", ours, None),
                     "ours": fitter("ours", ours, sample_weight),
                     "ref": fitter("ref", reference, sample_weight)}, repeats)
    own = np.median(t["ours"] / t["plain"])
    versus = t["ours"] / t["ref"]
    low, median, high = np.quantile(versus, [0.25, 0.5, 0.75])
    ref_coef = models["ref"].coef_
    diff = np.abs(models["ours"].coef_ - ref_coef).max() / np.abs(ref_coef).max()
    print(f"{name:<44} {np.median(t['ours']) * 1e3:>9.1f} {np.median(t['ref']) * 1e3:>9.1f} "
          f"{median:>6.2f} {f'[{low:.2f}, {high:.2f}]':>13} {diff:>9.1e} "
          f"{np.median(t['plain']) * 1e3:>9.1f} {own:>8.2f}")


def sparse_problem(n_samples, n_features, n_informative, rng):
    X = rng.standard_normal((n_samples, n_features))
    w = np.zeros(n_features)
    w[rng.choice(n_features, n_informative, replace=False)] = 3 * rng.standard_normal(
        n_informative
    )
    return X, X @ w + rng.standard_normal(n_samples)


def correlated_problem(n_samples, n_features, n_informative, correlation, rng):
    """As sparse_problem, with neighbouring columns correlated: corr(x_j, x_k) = ρ^|j-k|."""
    w = np.zeros(n_features)
    w[rng.choice(n_features, n_informative, replace=False)] = 3 * rng.standard_normal(
        n_informative
    )
    data = make_linear(n_samples, coef=w, correlation=correlation, random_state=rng)
    return data.X, data.y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smaller problems")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit BLAS/OpenMP threads on both sides (default: libraries' own)")
    args = parser.parse_args()
    limit = (threadpool_limits(args.threads) if args.threads is not None
             else contextlib.nullcontext())
    with limit:
        run(args)


def run(args: argparse.Namespace) -> None:
    rng = np.random.default_rng(0)
    n_tall = 20_000 if args.quick else 200_000

    threads = "library defaults" if args.threads is None else args.threads
    print(f"threads: {threads}; ratio = median of per-repeat ours/sklearn, [IQR]")
    print(f"{'case':<44} {'ours ms':>9} {'sklearn':>9} {'ratio':>6} {'IQR':>13} {'rel diff':>9}")
    X, y = sparse_problem(n_tall, 100, 100, rng)
    shape = f"{n_tall}x100"
    report(f"LinearRegression(solver='cholesky') {shape}", fs.LinearRegression(solver="cholesky"),
           sk.LinearRegression(), X, y, args.repeats)
    report(f"LinearRegression(solver='qr') {shape}", fs.LinearRegression(solver="qr"),
           sk.LinearRegression(), X, y, args.repeats)
    report(f"Ridge(alpha=1, solver='cholesky') {shape}", fs.Ridge(alpha=1.0),
           sk.Ridge(alpha=1.0), X, y, args.repeats)
    report(f"Ridge(alpha=1, solver='qr') {shape}", fs.Ridge(alpha=1.0, solver="qr"),
           sk.Ridge(alpha=1.0), X, y, args.repeats)

    print(f"\nweighted fits (sample_weight uniform in [0.5, 2]); last columns: ours unweighted "
          f"ms and ours weighted / unweighted\n{'case':<44} {'ours ms':>9} {'sklearn':>9} "
          f"{'ratio':>6} {'IQR':>13} {'rel diff':>9} {'unweighted':>9} {'w / unw':>8}")
    weight = rng.uniform(0.5, 2.0, n_tall)
    report_weighted(f"LinearRegression(solver='cholesky') {shape}",
                    fs.LinearRegression(solver="cholesky"), sk.LinearRegression(), X, y, weight,
                    args.repeats)
    report_weighted(f"LinearRegression(solver='qr') {shape}", fs.LinearRegression(solver="qr"),
                    sk.LinearRegression(), X, y, weight, args.repeats)
    report_weighted(f"Ridge(alpha=1, solver='cholesky') {shape}", fs.Ridge(alpha=1.0),
                    sk.Ridge(alpha=1.0), X, y, weight, args.repeats)
    print()

    X, y = sparse_problem(5_000, 500, 20, rng)
    for tol in (1e-4, 1e-8):
        report(f"Lasso(alpha=0.01, tol={tol:g}) 5000x500", fs.Lasso(alpha=0.01, tol=tol),
               sk.Lasso(alpha=0.01, tol=tol), X, y, args.repeats)
        report(f"ElasticNet(alpha=0.01, tol={tol:g}) 5000x500",
               fs.ElasticNet(alpha=0.01, tol=tol), sk.ElasticNet(alpha=0.01, tol=tol),
               X, y, args.repeats)
        report(f"  the same, solver='cd' (Lasso, tol={tol:g})",
               fs.Lasso(alpha=0.01, tol=tol, solver="cd"), sk.Lasso(alpha=0.01, tol=tol),
               X, y, args.repeats)
    report("Lasso(alpha=0.1) 5000x500", fs.Lasso(alpha=0.1), sk.Lasso(alpha=0.1), X, y,
           args.repeats)

    X, y = correlated_problem(5_000, 500, 20, 0.95, np.random.default_rng(1))
    for solver in ("auto", "cd"):
        report(f"Lasso(alpha=0.01, solver='{solver}') corr. 0.95", fs.Lasso(alpha=0.01,
               solver=solver), sk.Lasso(alpha=0.01), X, y, args.repeats)

    X, y = sparse_problem(200, 5_000, 20, rng)
    report("Lasso(alpha=0.1) 200x5000 (wide)", fs.Lasso(alpha=0.1),
           sk.Lasso(alpha=0.1), X, y, args.repeats)

    X, y = sparse_problem(5_000, 500, 20, rng)
    start = time.perf_counter()
    fs.lasso_path(X, y, n_alphas=30)
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    sk.lasso_path(X, y, alphas=30)
    t_ref = time.perf_counter() - start
    print(f"{'lasso_path 30 alphas 5000x500 (1 run)':<44} {t_ours * 1e3:>9.1f} "
          f"{t_ref * 1e3:>9.1f} {t_ours / t_ref:>6.2f}")

    for n_samples, n_features, n_alphas in ((5_000, 100, 13), (5_000, 100, 100),
                                            (200, 2_000, 13)):
        X, y = sparse_problem(n_samples, n_features, 20, rng)
        alphas = np.logspace(-3, 3, n_alphas)
        gram = "XᵀX" if n_samples > n_features else "XXᵀ"
        report(f"RidgeCV {n_alphas} alphas {n_samples}x{n_features} ({gram})",
               fs.RidgeCV(alphas=alphas), sk.RidgeCV(alphas=alphas), X, y, args.repeats)


if __name__ == "__main__":
    main()
