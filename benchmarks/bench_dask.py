"""Out-of-core fits on Dask arrays: ours against dask.array.linalg.lstsq and dask-ml, side by side.

Run: ``python benchmarks/bench_dask.py`` (the issue's sizes, several minutes), ``--quick`` (small
sizes, under a minute), ``--big`` (OLS on 20,000,000 × 100 = 16 GB, ours only).

**Least squares** on a lazy ``n × p`` float64 array generated block by block by
``dask.array.random`` (100,000-row chunks; ``y = Xw + 2 + noise``), never held in memory:

* one pass, ``X.sum()`` — reading (here: generating) ``X`` once, the limit for any method;
* ours, ``LinearRegression(solver="qr")`` — TSQR: one pass, each block factored by our
  Householder QR, the R factors reduced in a tree (target: ≤ 0.5× ``dask.array.linalg.lstsq``);
* ours, ``LinearRegression(solver="cholesky")`` and ``Ridge`` — one pass of Chan-merged moments
  (the centered Gram matrix of ``[X, y]``) and a small Cholesky solve (target: ≤ 2× one pass);
* ``dask.array.linalg.lstsq`` on ``[1, X]`` — Dask's own TSQR, which also forms ``Q``.

**Logistic regression** on a persisted 1,000,000 × 50 problem (0.4 GB, labels from a logistic
model), unpenalized — the one objective both libraries fit (dask-glm's Newton has no penalty,
and its penalties count the intercept): ours ``solver="newton"`` (one pass per accepted step:
loss, gradient and Hessian of each block together) and ``"lbfgs"``, against dask-ml's
``lbfgs`` and ``newton`` (``admm`` with ``--all``: minutes). Each fit's mean log-loss is
compared with the best of them (all must reach it to 1e-6 relative; target: ours ≤ 0.5×
dask-ml's fastest).

Every timing is repeated ``--repeats`` times, the candidates interleaved (``_timing``), and the
median reported with its ratio to the reference of its table; GB/s is ``X``'s bytes over the
median time, against the one-pass figure (the limit). Peak memory: the growth of the peak
resident set size during a fit (``VmHWM`` of this process and, on a cluster, of every worker,
reset before each fit through ``/proc/self/clear_refs``), over what was resident before (for
the logistic problem: over the persisted data). Everything runs first on Dask's threaded
scheduler, then on a ``distributed.LocalCluster`` of 2 worker processes (1 thread each;
``--no-cluster`` skips it). BLAS is limited to one thread per task (``--threads``, both sides;
a cluster's worker processes start with one BLAS thread, distributed's default): two scheduler
threads each running a two-threaded BLAS product oversubscribe two cores.
"""

from __future__ import annotations

import argparse
import contextlib
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import dask
import dask.array as da
import numpy as np
from _timing import interleaved
from threadpoolctl import threadpool_limits

from fromscratch.linear_model import LinearRegression, LogisticRegression, Ridge

STATUS = Path("/proc/self/status")


# -- peak memory -----------------------------------------------------------------------------


def _reset_peak() -> float:
    """Reset this process's peak RSS to its current RSS; return the current RSS in GB."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def _status(field: str) -> float:
    if not STATUS.exists():
        return float("nan")
    for line in STATUS.read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 2**20
    return float("nan")


def _peak() -> float:
    return _status("VmHWM")


class PeakMemory:
    """The growth of the peak RSS of this process and of a cluster's workers during a call."""

    def __init__(self, client: object | None) -> None:
        self.client = client

    def __call__(self, fn: Callable[[], object]) -> Callable[[], object]:
        def measured() -> object:
            before = _reset_peak()
            workers = self.client.run(_reset_peak) if self.client is not None else {}
            result = fn()
            growth = _peak() - before
            if self.client is not None:
                peaks = self.client.run(_peak)
                growth += sum(peaks[w] - workers[w] for w in workers)
            self.growth.append(growth)
            return result

        self.growth: list[float] = []
        return measured


# -- least squares -----------------------------------------------------------------------------


def lazy_regression(n: int, p: int, chunk: int) -> tuple[da.Array, da.Array, np.ndarray]:
    """``X`` lazy, generated per block by ``dask.array.random``; ``y = Xw + 2 + noise``."""
    rng = da.random.default_rng(0)
    X = rng.standard_normal((n, p), chunks=(chunk, p))
    w = np.random.default_rng(1).standard_normal(p)
    y = X @ w + 2.0 + 0.5 * rng.standard_normal(n, chunks=chunk)
    return X, y, w


def _lstsq(X: da.Array, y: da.Array) -> np.ndarray:
    ones = da.ones((X.shape[0], 1), chunks=(X.chunks[0], 1), dtype=X.dtype)
    return da.linalg.lstsq(da.hstack([ones, X]).rechunk({1: -1}), y)[0].compute()


def least_squares(n: int, p: int, chunk: int, repeats: int, client: object | None,
                  with_lstsq: bool) -> None:
    X, y, _ = lazy_regression(n, p, chunk)
    gigabytes = X.nbytes / 1e9
    results: dict[str, object] = {}
    memory = {}
    candidates = {
        "one pass, X.sum()": lambda: X.sum().compute(),
        "ours TSQR (qr)": lambda: LinearRegression(solver="qr").fit(X, y),
        "ours one-pass Gram (cholesky)": lambda: LinearRegression(solver="cholesky").fit(X, y),
        "ours Ridge(alpha=1)": lambda: Ridge(alpha=1.0).fit(X, y),
    }
    if with_lstsq:
        candidates["dask.array.linalg.lstsq"] = lambda: _lstsq(X, y)

    def runner(name: str, fn: Callable[[], object]) -> Callable[[], None]:
        measure = memory[name] = PeakMemory(client)
        measured = measure(fn)

        def run() -> None:
            results[name] = measured()

        return run

    seconds = {name: np.median(t) for name, t in interleaved(
        {name: runner(name, fn) for name, fn in candidates.items()}, repeats, warmup=0).items()}
    reference = results.get("dask.array.linalg.lstsq")
    one_pass = seconds["one pass, X.sum()"]
    print(f"Least squares, lazy {n:,} × {p} float64 ({gigabytes:.1f} GB), {chunk:,}-row chunks "
          f"(median of {repeats})")
    print(f"{'':32}{'seconds':>9}{'ratio':>8}{'of':>14}{'GB/s':>7}{'peak RSS +GB':>14}"
          f"{'max|Δcoef|/max|coef|':>22}")
    for name, t in seconds.items():
        if name.startswith("ours TSQR") and reference is not None:
            ratio, of = t / seconds["dask.array.linalg.lstsq"], "lstsq"
        elif name.startswith("ours"):
            ratio, of = t / one_pass, "one pass"
        else:
            ratio, of = float("nan"), ""
        model = results[name]
        difference = ""
        if isinstance(model, Ridge):
            difference = "(penalized)"
        elif reference is not None and hasattr(model, "coef_"):
            theta = np.r_[model.intercept_, model.coef_]
            difference = f"{np.max(np.abs(theta - reference)) / np.max(np.abs(reference)):.1e}"
        peak = max(memory[name].growth)
        print(f"{name:<32}{t:>9.2f}{ratio:>8.2f}{of:>14}{gigabytes / t:>7.2f}{peak:>14.2f}"
              f"{difference:>22}")


# -- logistic regression -------------------------------------------------------------------------


def logistic_problem(n: int, p: int, chunk: int, client: object | None
                     ) -> tuple[da.Array, da.Array]:
    """A persisted problem: standard normal features, labels from a logistic model."""
    rng = da.random.default_rng(2)
    X = rng.standard_normal((n, p), chunks=(chunk, p))
    w = np.random.default_rng(3).standard_normal(p) * 2.0 / np.sqrt(p)
    y = (rng.random(n, chunks=chunk) < 1.0 / (1.0 + da.exp(-(X @ w + 0.5)))).astype(np.int64)
    if client is not None:
        X, y = client.persist([X, y])
    else:
        X, y = dask.persist(X, y)
    da.compute(X.sum(), y.sum())  # materialized before anything is timed
    return X, y


def mean_log_loss(X: da.Array, y: da.Array, coef: np.ndarray, intercept: float) -> float:
    z = X @ coef + intercept
    return float(da.mean(da.logaddexp(0.0, z) - y * z).compute())


def logistic(n: int, p: int, chunk: int, repeats: int, client: object | None,
             with_admm: bool) -> None:
    import dask_ml.linear_model as dml

    X, y = logistic_problem(n, p, chunk, client)
    candidates = {
        "ours newton": lambda: LogisticRegression(C=np.inf, tol=1e-6).fit(X, y),
        "ours lbfgs": lambda: LogisticRegression(C=np.inf, solver="lbfgs", tol=1e-6,
                                                 max_iter=500).fit(X, y),
        "dask-ml lbfgs": lambda: dml.LogisticRegression(penalty=None, solver="lbfgs").fit(X, y),
        "dask-ml newton": lambda: dml.LogisticRegression(penalty=None,
                                                         solver="newton").fit(X, y),
    }
    if with_admm:
        candidates["dask-ml admm"] = lambda: dml.LogisticRegression(penalty=None,
                                                                    solver="admm").fit(X, y)
    results: dict[str, object] = {}
    memory = {}

    def runner(name: str, fn: Callable[[], object]) -> Callable[[], None]:
        measure = memory[name] = PeakMemory(client)
        measured = measure(fn)

        def run() -> None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results[name] = measured()

        return run

    seconds = {name: np.median(t) for name, t in interleaved(
        {name: runner(name, fn) for name, fn in candidates.items()}, repeats, warmup=0).items()}
    losses = {name: mean_log_loss(X, y, np.ravel(m.coef_), float(np.ravel(m.intercept_)[0]))
              for name, m in results.items()}
    best = min(losses.values())
    fastest = min(t for name, t in seconds.items() if name.startswith("dask-ml"))
    print(f"Logistic regression, persisted {n:,} × {p} ({X.nbytes / 1e9:.1f} GB), {chunk:,}-row "
          f"chunks, unpenalized (median of {repeats})")
    print(f"{'':18}{'seconds':>9}{'ratio':>8}{'iterations':>12}{'log-loss':>14}"
          f"{'rel. gap':>10}{'peak RSS +GB':>14}")
    for name, t in seconds.items():
        n_iter = getattr(results[name], "n_iter_", "")
        gap = (losses[name] - best) / best
        iterations = "" if n_iter == "" else str(np.max(n_iter))
        print(f"{name:<18}{t:>9.2f}{t / fastest:>8.2f}{iterations:>12}{losses[name]:>14.10f}"
              f"{gap:>10.1e}{max(memory[name].growth):>14.2f}")
    print("ratio: seconds / dask-ml's fastest solver; rel. gap: (log-loss - best) / best")


# -- the runs ----------------------------------------------------------------------------------


def run_all(args: argparse.Namespace, client: object | None) -> None:
    scheduler = ("threaded scheduler" if client is None
                 else "distributed.LocalCluster, 2 worker processes × 1 thread")
    print(f"== {scheduler}\n")
    if args.big:
        least_squares(20_000_000, 100, 100_000, 1, client, with_lstsq=False)
    elif args.quick:
        least_squares(200_000, 100, 25_000, args.repeats, client, with_lstsq=True)
    else:
        least_squares(4_000_000, 100, 100_000, args.repeats, client, with_lstsq=True)
    print()
    if not args.big:
        size = (50_000, 20, 12_500) if args.quick else (1_000_000, 50, 100_000)
        logistic(*size, args.repeats, client, with_admm=args.all)
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    parser.add_argument("--big", action="store_true", help="OLS on 20,000,000 × 100 (16 GB)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads per task, both sides (default 1)")
    parser.add_argument("--no-cluster", action="store_true", help="threaded scheduler only")
    parser.add_argument("--all", action="store_true", help="also dask-ml's admm (minutes)")
    args = parser.parse_args()
    start = time.perf_counter()
    with threadpool_limits(args.threads), dask.config.set(scheduler="threads"):
        run_all(args, None)
    if not args.no_cluster:
        import distributed

        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            run_all(args, client)
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
