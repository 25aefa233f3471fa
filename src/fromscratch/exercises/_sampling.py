"""Random inputs for the comparisons with the reference: shapes, dtypes and values drawn fresh
for every case, so that a function that only works for vectors, for float64 or for the values
in a textbook example is caught."""

from __future__ import annotations

import numpy as np

__all__ = ["FLOAT32_SHARE", "draw_shape", "draw_dtype", "log_uniform", "normal"]

#: The share of cases drawn in float32 (the rest in float64).
FLOAT32_SHARE = 0.25


def draw_shape(rng: np.random.Generator, max_ndim: int = 3, max_size: int = 5) -> tuple:
    """A shape with 0 (a 0-d array) to ``max_ndim`` axes of 1 to ``max_size`` elements."""
    ndim = int(rng.integers(0, max_ndim + 1))
    return tuple(int(n) for n in rng.integers(1, max_size + 1, size=ndim))


def draw_dtype(rng: np.random.Generator) -> np.dtype:
    return np.dtype(np.float32 if rng.random() < FLOAT32_SHARE else np.float64)


def log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A number whose logarithm is uniform on ``[log lo, log hi]``."""
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def normal(rng: np.random.Generator, shape: tuple, dtype: np.dtype,
           scale: float = 1.0) -> np.ndarray:
    """Standard normal values times ``scale``, as an array of ``shape`` and ``dtype``."""
    return np.asarray(rng.standard_normal(shape) * scale, dtype=dtype)
