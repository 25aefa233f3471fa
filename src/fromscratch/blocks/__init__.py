r"""Row-chunked Dask arrays: per-block work and tree reductions — the one module that knows Dask.

Estimators that accept a ``dask.array.Array`` call these functions and never touch Dask
themselves; Dask is imported only when a Dask array is actually given, so the base install never
needs it. Dask *moves and schedules* blocks; every factorization and solver on them is ours:

* :func:`row_blocks` checks the chunking (rows only, ``X``/``y``/weights aligned) and
  :func:`map_reduce` runs a per-block function and merges the results in a tree;
* :func:`moments` — one-pass means, variances and centered Gram matrices (Chan et al.'s
  stable merge) for :class:`~fromscratch.preprocessing.StandardScaler`, the normal equations
  and ridge;
* :func:`tsqr` — tall-skinny QR, the :math:`R` of stacked :math:`R`'s, for least squares;
* :func:`training_blocks` — the checks every fit makes on its Dask input;
* :func:`lazy_rows`, :func:`map_rows`, :func:`map_method`, :func:`iter_blocks`,
  :func:`iter_batches` — lazy generated data, lazy predictions with the input's chunks, and
  one block at a time (shuffled mini-batches) for streaming training.

Every function runs under the active Dask scheduler: the default threads, a
``distributed.LocalCluster`` of processes, or a remote ``distributed.Client`` — create the client
before fitting and nothing else changes.
"""

from fromscratch.blocks._core import (
    SPLIT_EVERY,
    RowBlocks,
    block_labels,
    check_finite_block,
    check_weight_block,
    import_dask,
    is_dask_array,
    label_counts,
    map_reduce,
    row_blocks,
    training_blocks,
)
from fromscratch.blocks._lazy import (
    batches,
    block_seeds,
    iter_batches,
    iter_blocks,
    lazy_rows,
    map_method,
    map_rows,
    row_chunk_sizes,
)
from fromscratch.blocks._moments import (
    Moments,
    block_moments,
    merge_moments,
    moments,
    positive_weight,
    total_weight,
)
from fromscratch.blocks._tsqr import TSQRResult, tsqr

__all__ = [
    "SPLIT_EVERY",
    "RowBlocks",
    "block_labels",
    "check_finite_block",
    "check_weight_block",
    "import_dask",
    "is_dask_array",
    "label_counts",
    "map_reduce",
    "row_blocks",
    "training_blocks",
    "block_seeds",
    "batches",
    "iter_batches",
    "iter_blocks",
    "lazy_rows",
    "map_method",
    "map_rows",
    "row_chunk_sizes",
    "Moments",
    "block_moments",
    "merge_moments",
    "moments",
    "positive_weight",
    "total_weight",
    "TSQRResult",
    "tsqr",
]
