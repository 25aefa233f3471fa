"""Logistic regression speed: our Newton (IRLS) and L-BFGS solvers vs scikit-learn, side by side.

Run: ``python benchmarks/bench_logistic.py`` (about a minute). One binary problem,
100,000 samples × 50 standardized features, L2 penalty with C = 1 (scikit-learn's objective, so
the coefficients must agree), fitted by

* fromscratch ``LogisticRegression(solver="newton")`` — Newton with line search along the
  affine scores; the Hessian :math:`\\tilde X^\\top S \\tilde X` accumulated as BLAS ``syrk``
  products :math:`(\\sqrt S \\tilde X)_B^\\top(\\sqrt S \\tilde X)_B` over cache-sized blocks of
  rows of a float32 copy of the design made once per fit (while the Hessian's estimated
  condition number allows; the gradient stays float64), then a Cholesky solve;
* fromscratch ``LogisticRegression(solver="lbfgs")`` — ``fromscratch.optim.LBFGS`` (10 pairs,
  strong-Wolfe line search) on the hand-derived loss and gradient: two passes over ``X`` per
  evaluation (scores, then :math:`X^\top(p - y)`), no Hessian. An extra, with no target;
* scikit-learn ``solver="lbfgs"`` (its default) and ``solver="newton-cholesky"``.

At ``tol=1e-4`` (everyone's default) and at ``tol=1e-8`` (coefficients to about 8 digits),
without and with sample weights; ``--shapes 20000x50,100000x10`` repeats the tables for more
problems (n×p). The runs are interleaved and repeated; each table shows median seconds,
iterations, the median over repeats of the ratio to scikit-learn's faster solver in the same
repeat (below 1: we are faster) with its interquartile range, and the largest coefficient
difference from a tightly converged reference (``newton-cholesky`` at ``tol=1e-12``).

Threads: by default every library uses its default thread pools (OpenBLAS; scikit-learn's loss
also uses OpenMP). ``--threads 1`` limits both sides to one thread (threadpoolctl): the stable,
like-for-like setting on a shared machine, where oversubscribed thread pools make the default
timings swing with the load.
"""

from __future__ import annotations

import argparse
import contextlib
import warnings
from collections.abc import Callable

import numpy as np
from _timing import interleaved
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from threadpoolctl import threadpool_limits

from fromscratch.linear_model import LogisticRegression


def make_problem(n: int, p: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Standardized features, labels drawn from a logistic model (not separable)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = rng.standard_normal(p) / np.sqrt(p) * 2.0
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w + 0.5)))).astype(int)
    return X, y



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--p", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None,
                        help="limit BLAS/OpenMP threads on both sides (default: libraries' own)")
    parser.add_argument("--shapes", type=parse_shapes, default=[],
                        help="more problems after --n x --p, e.g. 20000x50,100000x10")
    args = parser.parse_args()
    limit = (threadpool_limits(args.threads) if args.threads is not None
             else contextlib.nullcontext())
    with limit:
        run(args)


def parse_shapes(text: str) -> list[tuple[int, int]]:
    """``"20000x50,100000x10"`` -> ``[(20000, 50), (100000, 10)]``."""
    try:
        return [(int(n), int(p)) for n, p in (shape.split("x") for shape in text.split(","))]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"shapes must look like 20000x50,100000x10 (n x p, comma-separated), got {text!r}"
        ) from None


def run(args: argparse.Namespace) -> None:
    print(f"threads: {'library defaults' if args.threads is None else args.threads}\n")
    for n, p in [(args.n, args.p), *args.shapes]:
        X, y = make_problem(n, p)
        reference = SkLogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12,
                                         max_iter=1000).fit(X, y)
        for tol in (1e-4, 1e-8):
            compare(X, y, reference, tol, args.repeats)
            print()
        weight = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
        weighted_reference = SkLogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12,
                                                  max_iter=1000).fit(X, y, sample_weight=weight)
        for tol in (1e-4, 1e-8):
            compare_weighted(X, y, weight, weighted_reference, tol, args.repeats)
            print()
    print("ratio: median over repeats of seconds / scikit-learn's faster solver in that repeat "
          "(below 1: fromscratch is faster), [interquartile range]")


def compare(X: np.ndarray, y: np.ndarray, reference: object, tol: float, repeats: int) -> None:
    models = {
        "fromscratch newton": lambda: LogisticRegression(C=1.0, solver="newton", tol=tol),
        "fromscratch lbfgs": lambda: LogisticRegression(C=1.0, solver="lbfgs", tol=tol,
                                                        max_iter=1000),
        "sklearn lbfgs": lambda: SkLogisticRegression(C=1.0, solver="lbfgs", tol=tol,
                                                      max_iter=1000),
        "sklearn newton-cholesky": lambda: SkLogisticRegression(
            C=1.0, solver="newton-cholesky", tol=tol),
    }
    fitted: dict[str, object] = {}

    def runner(name: str) -> Callable[[], None]:
        def run() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted[name] = models[name]().fit(X, y)
        return run

    seconds = interleaved({name: runner(name) for name in models}, repeats)
    fastest_sklearn = np.minimum.reduce(
        [t for name, t in seconds.items() if name.startswith("sklearn")]
    )
    print(f"Binary logistic regression, n={X.shape[0]:,}, p={X.shape[1]}, L2, C=1, "
          f"tol={tol:g} (median of {repeats})")
    print(f"{'solver':<26}{'seconds':>10}{'iterations':>12}{'ratio':>8}{'IQR':>15}"
          f"{'max |coef - ref|':>19}")
    for name, t in seconds.items():
        model = fitted[name]
        n_iter = int(np.max(model.n_iter_))
        error = float(np.max(np.abs(model.coef_ - reference.coef_)))
        low, median, high = np.quantile(t / fastest_sklearn, [0.25, 0.5, 0.75])
        print(f"{name:<26}{np.median(t):>10.4f}{n_iter:>12d}{median:>8.2f}"
              f"{f'[{low:.2f}, {high:.2f}]':>15}{error:>19.2e}")


def compare_weighted(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray,
                     reference: object, tol: float, repeats: int) -> None:
    """Weighted fits beside our unweighted ones (the cost of the weights) and scikit-learn's
    weighted fits, interleaved."""
    models = {
        "fromscratch newton": (lambda: LogisticRegression(C=1.0, solver="newton", tol=tol),
                               sample_weight),
        "  (unweighted)": (lambda: LogisticRegression(C=1.0, solver="newton", tol=tol), None),
        "fromscratch lbfgs": (lambda: LogisticRegression(C=1.0, solver="lbfgs", tol=tol,
                                                         max_iter=1000), sample_weight),
        "  (unweighted) ": (lambda: LogisticRegression(C=1.0, solver="lbfgs", tol=tol,
                                                       max_iter=1000), None),
        "sklearn lbfgs": (lambda: SkLogisticRegression(C=1.0, solver="lbfgs", tol=tol,
                                                       max_iter=1000), sample_weight),
        "sklearn newton-cholesky": (lambda: SkLogisticRegression(
            C=1.0, solver="newton-cholesky", tol=tol), sample_weight),
    }
    fitted: dict[str, object] = {}

    def runner(name: str) -> Callable[[], None]:
        make, weight = models[name]

        def run() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted[name] = make().fit(X, y, sample_weight=weight)
        return run

    seconds = interleaved({name: runner(name) for name in models}, repeats)
    fastest_sklearn = np.minimum.reduce(
        [t for name, t in seconds.items() if name.startswith("sklearn")]
    )
    print(f"Weighted (sample_weight uniform in [0.5, 2]), n={X.shape[0]:,}, p={X.shape[1]}, "
          f"L2, C=1, tol={tol:g} (median of {repeats}); 'w / unw': weighted over our unweighted "
          "fit in the same repeat")
    print(f"{'solver':<26}{'seconds':>10}{'iterations':>12}{'ratio':>8}{'IQR':>15}"
          f"{'w / unw':>9}")
    for name, t in seconds.items():
        if name.startswith("  "):
            continue  # shown through the weighted row's w / unw
        low, median, high = np.quantile(t / fastest_sklearn, [0.25, 0.5, 0.75])
        unweighted = {"fromscratch newton": "  (unweighted)",
                      "fromscratch lbfgs": "  (unweighted) "}.get(name)
        own = f"{np.median(t / seconds[unweighted]):>9.2f}" if unweighted else f"{'':>9}"
        print(f"{name:<26}{np.median(t):>10.4f}{int(np.max(fitted[name].n_iter_)):>12d}"
              f"{median:>8.2f}{f'[{low:.2f}, {high:.2f}]':>15}{own}")
    error = float(np.max(np.abs(fitted["fromscratch newton"].coef_ - reference.coef_)))
    print(f"max |coef - weighted reference| of our Newton: {error:.2e}")


if __name__ == "__main__":
    main()
