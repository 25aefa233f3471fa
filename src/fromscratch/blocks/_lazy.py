"""Lazy arrays in and out: blocks generated from seeds, predictions block by block, and
iteration over blocks for streaming training."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import numpy as np

from fromscratch.base import check_is_fitted
from fromscratch.blocks._core import RowBlocks, import_dask, row_blocks

__all__ = ["row_chunk_sizes", "block_seeds", "lazy_rows", "map_rows", "map_method",
           "iter_blocks", "batches", "iter_batches"]


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
        sizes = tuple(chunks)
        if not all(isinstance(c, (int, np.integer)) and not isinstance(c, bool) for c in sizes):
            raise TypeError  # a float size would be cut to an int without a word
        sizes = tuple(int(c) for c in sizes)
    except TypeError:
        raise TypeError(
            f"chunks must be an int (rows per block) or a sequence of whole block sizes; got "
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
    if len(sizes) == 0:
        raise ValueError("lazy_rows needs at least one block; sizes is empty.")
    dask, da = import_dask()
    seeds = block_seeds(random_state, len(sizes))
    columns: list[list[Any]] = [[] for _ in shapes]
    for seed, size in zip(seeds, sizes, strict=True):
        block = dask.delayed(_generate, pure=True, nout=len(shapes))(
            make_block, seed, size, [tuple(shape) for shape in shapes])
        for k, (shape, dtype) in enumerate(zip(shapes, dtypes, strict=True)):
            columns[k].append(da.from_delayed(block[k], shape=(size, *shape), dtype=dtype))
    return tuple(da.concatenate(parts, axis=0) for parts in columns)


def _generate(make_block: Callable[..., tuple[np.ndarray, ...]],
              seed: np.random.SeedSequence, size: int, shapes: Sequence[tuple[int, ...]]
              ) -> tuple[np.ndarray, ...]:
    """One block's outputs, refused unless each has the shape the lazy array declared (Dask
    trusts the declared shape: a block of another shape would be read with wrong offsets)."""
    outputs = tuple(np.asarray(a) for a in make_block(np.random.default_rng(seed), size))
    expected = [(size, *shape) for shape in shapes]
    if [a.shape for a in outputs] != expected:
        raise ValueError(
            f"make_block(rng, {size}) returned arrays of shapes {[a.shape for a in outputs]}; "
            f"lazy_rows declared {expected} (sizes and shapes)."
        )
    return outputs


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


def map_method(estimator: Any, method: str, X: Any) -> Any:
    """The lazy Dask array ``estimator.method(X_b)`` block by block, with ``X``'s row chunks:
    ``predict``, ``predict_proba``, ``decision_function``, ``transform``... of a fitted
    estimator on a row-chunked ``X``.

    The method runs on a copy of the estimator taken now, so refitting the estimator before
    the result is computed does not change it; every block is checked as the method checks
    a NumPy input. The shape and dtype of one row's output are found by calling the method on
    one row of zeros (a cheap, eager check that the estimator is fitted and that ``X`` has the
    number of features it was fitted with).
    """
    check_is_fitted(estimator)
    X = row_blocks(X).arrays[0]
    expected = getattr(estimator, "n_features_in_", X.shape[1])
    if X.shape[1] != expected:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(estimator).__name__} is expecting "
            f"{expected} features as input (the number it was fitted with)."
        )
    frozen = copy.deepcopy(estimator)
    function = getattr(frozen, method)
    probe = np.asarray(function(np.zeros((1, X.shape[1]), dtype=X.dtype)))
    rows = partial(_rows_or_none, function, probe.shape[1:], probe.dtype)
    return map_rows(X, rows, shape=probe.shape[1:], dtype=probe.dtype)


def _rows_or_none(function: Callable[[np.ndarray], Any], shape: tuple[int, ...], dtype: Any,
                  block: np.ndarray) -> np.ndarray:
    """``function(block)``, or an empty answer of one row's ``shape`` and ``dtype`` for an empty
    block (a filter that kept none of a chunk's rows), which the estimators' methods refuse as
    they refuse an empty NumPy input."""
    if len(block) == 0:
        return np.empty((0, *shape), dtype=dtype)
    return function(block)


def iter_blocks(blocks: RowBlocks, order: Iterable[int] | None = None, *,
                prefetch: bool = False) -> Iterator[tuple[int, int, list[Any]]]:
    """Yield ``(start, stop, arrays)`` for every block in ``order``, one block in memory at a
    time — the passes of streaming (mini-batch) training.

    With ``prefetch`` the next block is computed (on the active scheduler) while the caller
    works on the current one: two blocks in memory, and the time to read or generate a block
    hidden behind the training on the previous one.
    """
    indices = [int(i) for i in (range(blocks.n_blocks) if order is None else order)]
    if not prefetch:
        for index in indices:
            yield blocks.bounds[index], blocks.bounds[index + 1], blocks.compute_block(index)
        return
    if not indices:
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = pool.submit(blocks.compute_block, indices[0])
        for position, index in enumerate(indices):
            arrays = upcoming.result()
            if position + 1 < len(indices):
                upcoming = pool.submit(blocks.compute_block, indices[position + 1])
            yield blocks.bounds[index], blocks.bounds[index + 1], arrays


def batches(arrays: Sequence[Any], batch_size: int, rng: np.random.Generator | None = None
            ) -> Iterator[list[Any]]:
    """Mini-batches of ``batch_size`` rows of aligned arrays (``None`` entries stay ``None``),
    in a random order of the rows when ``rng`` is given, else in order (the last batch is
    smaller when ``batch_size`` does not divide the rows)."""
    if not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
        raise ValueError(f"batch_size must be a positive int; got {batch_size!r}.")
    n = len(arrays[0])
    order = None if rng is None else rng.permutation(n)
    for start in range(0, n, batch_size):
        rows = slice(start, start + batch_size) if order is None else order[start:start
                                                                             + batch_size]
        yield [None if a is None else a[rows] for a in arrays]


def iter_batches(
    blocks: RowBlocks,
    batch_size: int,
    rng: np.random.Generator | None = None,
    prepare: Callable[[int, int, list[Any]], list[Any]] | None = None,
) -> Iterator[list[Any]]:
    r"""One pass of mini-batches over every block: the batches' arrays, computed block by
    block (the next block while the current one is trained on: :func:`iter_blocks` with
    ``prefetch``).

    ``prepare(start, stop, arrays)``, when given, turns each block's NumPy arrays into the
    arrays to batch, once per block (check the values and name the block's rows, encode
    labels, append a column of ones...).

    Streaming cannot shuffle all rows at once, so it shuffles at two levels: the blocks in a
    random order, then the rows within each block (with ``rng``; in order without it). A
    batch never straddles two blocks, so each block's last batch may be smaller. Every row
    is visited exactly once per pass, so the pass's batch gradients still add up to the full
    gradient; but consecutive batches come from the same block, so when the blocks differ in
    distribution (rows sorted by time or by class) shuffle the rows across blocks once
    beforehand.
    """
    order = None if rng is None else rng.permutation(blocks.n_blocks)
    for start, stop, arrays in iter_blocks(blocks, order, prefetch=True):
        yield from batches(arrays if prepare is None else prepare(start, stop, arrays),
                           batch_size, rng)
