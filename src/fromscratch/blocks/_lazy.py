"""Lazy arrays in and out: blocks generated from seeds, predictions block by block, and
iteration over blocks for streaming training."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from fromscratch.blocks._core import RowBlocks, import_dask

__all__ = ["row_chunk_sizes", "block_seeds", "lazy_rows", "map_rows", "iter_blocks"]


def row_chunk_sizes(n_rows: int, chunks: Any) -> tuple[int, ...]:
    """Row block sizes from ``chunks``: an int (rows per block, the last one shorter) or a
    sequence of sizes summing to ``n_rows``."""
    if isinstance(chunks, (int, np.integer)) and not isinstance(chunks, bool):
        if chunks < 1:
            raise ValueError(f"chunks must be a positive number of rows; got {chunks}.")
        full, rest = divmod(n_rows, int(chunks))
        return (int(chunks),) * full + ((rest,) if rest else ())
    try:
        if isinstance(chunks, (str, bytes)):
            raise TypeError
        sizes = tuple(int(c) for c in chunks)
    except (TypeError, ValueError):
        raise TypeError(
            f"chunks must be an int (rows per block) or a sequence of block sizes; got "
            f"{chunks!r}."
        ) from None
    if any(s < 1 for s in sizes) or sum(sizes) != n_rows:
        raise ValueError(
            f"chunks {sizes} must be positive block sizes that sum to n_samples={n_rows}."
        )
    return sizes


def block_seeds(random_state: Any, n_blocks: int) -> list[np.random.SeedSequence]:
    """One independent seed per block, fixed when the lazy array is built, so every compute
    of a block — on any scheduler, in any order — draws the same numbers.

    ``random_state`` is an int (reproducible), a Generator (one integer drawn from it) or
    ``None`` (fresh entropy, still fixed for this array).
    """
    if isinstance(random_state, np.random.Generator):
        root = np.random.SeedSequence(int(random_state.integers(2**63)))
    elif random_state is None or (isinstance(random_state, (int, np.integer))
                                  and not isinstance(random_state, bool)):
        root = np.random.SeedSequence(None if random_state is None else int(random_state))
    else:
        raise TypeError(
            f"random_state must be None, an int or a numpy.random.Generator; got "
            f"{type(random_state).__name__}."
        )
    return root.spawn(n_blocks)


def lazy_rows(
    make_block: Callable[[np.random.Generator, int], tuple[np.ndarray, ...]],
    sizes: Sequence[int],
    random_state: Any,
    shapes: Sequence[tuple[int, ...]],
    dtypes: Sequence[Any],
) -> tuple[Any, ...]:
    """Lazy Dask arrays whose block ``b`` is ``make_block(rng_b, sizes[b])``.

    ``make_block`` returns one array per output (e.g. ``(X_b, y_b)``) with ``sizes[b]`` rows;
    ``shapes`` gives each output's shape after the rows (``(p,)`` for X, ``()`` for y). The
    outputs of one block come from one task, so computing ``X`` and ``y`` together generates
    each block once.
    """
    dask, da = import_dask()
    seeds = block_seeds(random_state, len(sizes))
    columns: list[list[Any]] = [[] for _ in shapes]
    for seed, size in zip(seeds, sizes, strict=True):
        block = dask.delayed(_generate, pure=True, nout=len(shapes))(make_block, seed, size)
        for k, (shape, dtype) in enumerate(zip(shapes, dtypes, strict=True)):
            columns[k].append(da.from_delayed(block[k], shape=(size, *shape), dtype=dtype))
    return tuple(da.concatenate(parts, axis=0) for parts in columns)


def _generate(make_block: Callable[..., tuple[np.ndarray, ...]],
              seed: np.random.SeedSequence, size: int) -> tuple[np.ndarray, ...]:
    return tuple(make_block(np.random.default_rng(seed), size))


def map_rows(X: Any, function: Callable[[np.ndarray], np.ndarray], *,
             shape: tuple[int, ...] = (), dtype: Any = None) -> Any:
    """The lazy Dask array ``function(X_b)`` block by block, with ``X``'s row chunks.

    ``shape`` is the shape of one row's output: ``()`` for a vector of predictions, ``(k,)`` for
    ``k`` columns (probabilities, transformed features).
    """
    dtype = X.dtype if dtype is None else dtype
    if shape == ():
        return X.map_blocks(function, drop_axis=1, dtype=dtype, meta=np.empty((0,), dtype))
    return X.map_blocks(function, chunks=(X.chunks[0], shape), dtype=dtype,
                        meta=np.empty((0,) * (1 + len(shape)), dtype))


def iter_blocks(blocks: RowBlocks, order: Sequence[int] | None = None
                ) -> Iterator[tuple[int, int, list[Any]]]:
    """Yield ``(start, stop, arrays)`` for every block in ``order``, one block in memory at a
    time — the passes of streaming (mini-batch) training."""
    for index in range(blocks.n_blocks) if order is None else order:
        yield blocks.bounds[index], blocks.bounds[index + 1], blocks.compute_block(int(index))
