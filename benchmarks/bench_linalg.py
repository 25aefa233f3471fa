"""fromscratch.linalg against numpy.linalg and SciPy (LAPACK), side by side in one process.

Each case runs ours and the reference alternately (``_timing.interleaved``, so machine noise
hits both), several times, and prints the medians and the ratio ours / reference (< 1: ours is
faster).

The rank-deficient least-squares row (a duplicated column) runs our fast path's unpivoted QR,
finds R singular, and goes on to the complete orthogonal decomposition of the small R
(pivoted QR of R, then a QR of its first rows); numpy.linalg.lstsq runs the SVD (gelsd)
whatever the rank. The pivoted QR row factors a square matrix column by column (rank-1
updates, unblocked), against LAPACK's blocked geqp3: in the library it only ever runs on the
small R of a tall problem.

The eigh rows (Householder tridiagonalization, divide and conquer on the tridiagonal matrix,
the QR algorithm on its blocks of at most 16 rows) pay Python time for the scalar work: the
QR algorithm's rotations on those blocks and the deflation of every merge.

    python benchmarks/bench_linalg.py [--repeats 3] [--quick] [--threads 1]
"""

from __future__ import annotations

import argparse
import contextlib
import warnings

import numpy as np
import scipy.linalg
from _timing import median_seconds
from threadpoolctl import threadpool_limits

from fromscratch import linalg


def report(name, ours, reference, repeats):
    t = median_seconds({"ours": ours, "reference": reference}, repeats)
    print(f"{name:<42} {t['ours'] * 1e3:>10.1f} {t['reference'] * 1e3:>10.1f} "
          f"{t['ours'] / t['reference']:>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller matrices")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit BLAS threads on both sides (default: the libraries' own)")
    args = parser.parse_args()
    limit = (threadpool_limits(args.threads) if args.threads is not None
             else contextlib.nullcontext())
    with limit:
        run(args)


def run(args: argparse.Namespace) -> None:
    rng = np.random.default_rng(0)
    tall = (20_000, 100) if args.quick else (200_000, 100)
    square = 500 if args.quick else 2_000

    print(f"{'case':<42} {'ours ms':>10} {'numpy ms':>10} {'ratio':>7}")
    A = rng.standard_normal(tall)
    report(f"qr mode='r' {tall[0]}x{tall[1]}", lambda: linalg.qr(A, mode="r"),
           lambda: np.linalg.qr(A, mode="r"), args.repeats)
    report(f"qr reduced (Q and R) {tall[0]}x{tall[1]}", lambda: linalg.qr(A),
           lambda: np.linalg.qr(A), args.repeats)
    b = rng.standard_normal(tall[0])
    report(f"lstsq {tall[0]}x{tall[1]}", lambda: linalg.lstsq(A, b),
           lambda: np.linalg.lstsq(A, b, rcond=None), args.repeats)
    A_dependent = A.copy()
    A_dependent[:, -1] = A[:, 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linalg.RankDeficientWarning)
        report(f"lstsq, a duplicated column {tall[0]}x{tall[1]}",
               lambda: linalg.lstsq(A_dependent, b),
               lambda: np.linalg.lstsq(A_dependent, b, rcond=None), args.repeats)

    # Tall blocks as TSQR and the Dask estimators factor them: time should grow linearly in
    # the rows (a thin product handed whole to a threaded BLAS once cost a thread wake-up per
    # call, a 10x cliff from 10000 to 20000 rows on a busy machine).
    for p in (10, 22, 50, 100):
        for n in (10_000, 20_000) if args.quick else (10_000, 20_000, 50_000, 200_000):
            block = rng.standard_normal((n, p))
            report(f"qr mode='r' tall block {n}x{p}", lambda B=block: linalg.qr(B, mode="r"),
                   lambda B=block: np.linalg.qr(B, mode="r"), args.repeats)

    S = rng.standard_normal((square, square))
    report(f"qr mode='r' {square}x{square}", lambda: linalg.qr(S, mode="r"),
           lambda: np.linalg.qr(S, mode="r"), args.repeats)
    pivoted = square // 4
    P = S[:pivoted, :pivoted]
    report(f"qr_pivoted mode='r' {pivoted}x{pivoted} (vs scipy geqp3)",
           lambda: linalg.qr_pivoted(P, mode="r"),
           lambda: scipy.linalg.qr(P, mode="r", pivoting=True), args.repeats)
    spd = S.T @ S + square * np.eye(square)
    report(f"cholesky {square}x{square}", lambda: linalg.cholesky(spd),
           lambda: np.linalg.cholesky(spd), args.repeats)
    L = np.linalg.cholesky(spd)
    B = rng.standard_normal((square, 200))
    # NumPy has no triangular solver (that is scipy.linalg.solve_triangular); the reference is
    # the general LU solve, so this ratio flatters us.
    report(f"solve_triangular {square}x{square}, 200 rhs (vs LU)",
           lambda: linalg.solve_triangular(L, B, lower=True),
           lambda: np.linalg.solve(L, B), args.repeats)
    for n in (100, square // 4):
        G = S[:n, :n] + S[:n, :n].T
        report(f"eigh {n}x{n} (vs numpy syevd)", lambda G=G: linalg.eigh(G),
               lambda G=G: np.linalg.eigh(G), args.repeats)


if __name__ == "__main__":
    main()
