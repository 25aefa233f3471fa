"""The timing loop every benchmark shares: candidates run alternately, so drift and load on a
shared machine hit them equally; compare medians (or per-repeat ratios), never single runs."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def interleaved(
    fns: dict[str, Callable[[], object]], repeats: int, warmup: int = 1
) -> dict[str, np.ndarray]:
    """Seconds per call and repeat for each candidate, after ``warmup`` untimed rounds
    (imports, first-touch allocations, caches)."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: np.array(t) for name, t in times.items()}


def median_seconds(
    fns: dict[str, Callable[[], object]], repeats: int, warmup: int = 1
) -> dict[str, float]:
    """Median seconds per call of each candidate, timed by :func:`interleaved`."""
    return {name: float(np.median(t)) for name, t in interleaved(fns, repeats, warmup).items()}
