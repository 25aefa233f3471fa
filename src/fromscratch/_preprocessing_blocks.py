r""":class:`~fromscratch.preprocessing.StandardScaler` on a row-chunked Dask array: one pass.

The textbook one-pass variance :math:`\frac1n\sum_i x_i^2 - \bar x^2` cancels catastrophically
when a feature's mean is large next to its spread; the pass here keeps each block's mean and
*centered* sum of squares and merges them pairwise (Chan, Golub & LeVeque), exactly
(:func:`fromscratch.blocks.moments`, in float64 whatever the data's precision, as the
in-memory fit). ``transform`` and ``inverse_transform`` of a Dask array are lazy, block by
block (:func:`fromscratch.blocks.map_method`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch.blocks import moments, positive_weight, training_blocks

__all__ = ["scaler_statistics"]


def scaler_statistics(scaler: Any, X: Any, sample_weight: Any = None
                      ) -> tuple[int, float, np.ndarray | None, np.ndarray | None]:
    r"""``(n_rows, weight, mean, var)`` of a row-chunked ``X`` for ``scaler``'s fit: the number
    of rows, the total weight :math:`\sum_i w_i`, and the (weighted) mean and population
    variance of each column (``None`` where the scaler needs neither), from one pass."""
    blocks = training_blocks(X, None, sample_weight)
    if not (scaler.with_mean or scaler.with_std) and sample_weight is None:
        return blocks.n_rows, float(blocks.n_rows), None, None  # nothing to compute
    statistics = moments(blocks, dtype=np.float64)
    weight = positive_weight(statistics.weight)
    mean = statistics.mean if scaler.with_mean or scaler.with_std else None
    var = statistics.variance if scaler.with_std else None
    return blocks.n_rows, weight, mean, var
