"""What the autodiff chapter measures: calls, wall-clock time and peak memory of a computation."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np


class Calls:
    """A function that counts how often it is called: wrapped around ``f`` it counts the passes
    a mode makes over ``f``, wrapped around a rule it counts how often the rule is applied."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.count = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        return self.fn(*args, **kwargs)


def median_time(fn: Callable[[], Any], repeats: int) -> float:
    """Median wall-clock seconds of ``fn()`` over ``repeats`` runs, after one run that is not
    timed (it pays for first-call costs such as caches); the median resists the occasional
    run slowed down by another process."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def peak_bytes(fn: Callable[[], Any]) -> int:
    """The most memory allocated at any one time while ``fn()`` runs, above what was allocated
    when it started (``tracemalloc`` sees Python objects and NumPy's array buffers)."""
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1] - start
    finally:
        if not tracing:
            tracemalloc.stop()
