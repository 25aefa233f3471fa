r"""Streaming training of the MLP estimators: ``partial_fit``, and ``fit`` on a Dask array by
passes over its blocks.

An MLP is trained by mini-batches anyway (:func:`~fromscratch.nn.training.train_epoch`), so it
never needs all its rows at once. ``partial_fit`` (scikit-learn's contract) is one epoch over
the rows it is given, continuing the same network and the same optimizer (its momentum or
Adam's moments) from call to call; the first call of a classifier names every class the stream
may hold (``classes=``). ``fit`` on a row-chunked Dask array runs its epochs as passes over the
blocks, one or two in memory at a time: the blocks in a random order, the rows shuffled within
each block (``shuffle``), reproducibly from ``random_state``. Each epoch's loss is the mean of
the batch losses over its rows, as in memory, and the stopping rule is the same
(:class:`~fromscratch.optim.training.EarlyStopping` with ``rule="mlp"``, a
:class:`~fromscratch.exceptions.ConvergenceWarning` after ``max_iter`` epochs);
``early_stopping`` needs a validation split of all the data and is refused. A call that fails
(NaN in a block, an unknown label, divergence) leaves the estimator as it was: the work is done
on a copy, which replaces the estimator's state at the end.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fromscratch._partial_fit import (
    check_same_features,
    partial_fit_classes,
    refuse_balanced_class_weight,
    refuse_early_stopping,
)
from fromscratch._validation import (
    check_random_state,
    check_sample_weight,
    check_weighted_classes,
    check_X_y,
    class_weights,
    encode_class_labels,
)
from fromscratch.base import ClassifierMixin
from fromscratch.blocks import (
    RowBlocks,
    batches,
    check_finite_block,
    check_weight_block,
    is_dask_array,
    iter_blocks,
    label_counts,
    training_blocks,
)
from fromscratch.nn.training import train_epoch
from fromscratch.optim.training import EarlyStopping

__all__ = ["MLPStream", "partial_fit_mlp", "fit_mlp_blocks"]


@dataclass
class MLPStream:
    """What streaming training keeps between epochs and between ``partial_fit`` calls: the
    network, its optimizer, the shuffling, the epochs' losses and the rows seen; ``fitted`` is
    the ``coefs_`` list it last produced (a ``partial_fit`` continues the stream only while the
    estimator still holds that very list, not after a ``fit``)."""

    model: Any
    optimizer: Any
    rng: np.random.Generator
    losses: list[float] = field(default_factory=list)
    n_seen: int = 0
    fitted: Any = None


def _new_stream(estimator: Any, params: dict[str, Any], n_features: int, dtype: Any
                ) -> MLPStream:
    """A network at scikit-learn's Glorot start (or at the estimator's ``coefs_`` when it has
    fitted ones of the right shapes), a fresh optimizer, shuffling from ``random_state``."""
    rng = check_random_state(estimator.random_state)
    sizes = [n_features, *params["hidden"], estimator.n_outputs_]
    coefs = getattr(estimator, "coefs_", None)
    shapes = list(zip(sizes[:-1], sizes[1:], strict=True))
    if coefs is not None and [c.shape for c in coefs] == shapes:
        coefs, intercepts = estimator.coefs_, estimator.intercepts_
    else:
        coefs, intercepts = estimator._initial_parameters(sizes, params["activation"], rng,
                                                          dtype)
    model = estimator._build(coefs, intercepts, params["activation"])
    return MLPStream(model, estimator._make_optimizer(params, model), rng)


def _prepare(estimator: Any, start: int, stop: int, arrays: list[Any], dtype: Any
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """A block's features (checked), target and weights (checked), naming its rows."""
    X = np.asarray(arrays[0], dtype=dtype)
    check_finite_block(X, "X", start, stop)
    target = estimator._block_target(arrays[1], start, stop)
    return X, target, check_weight_block(arrays[2], "sample_weight", start, stop, dtype)


def _blocks(estimator: Any, data: Any, rng: np.random.Generator | None, dtype: Any
            ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
    """One pass's blocks, prepared: a Dask input's blocks (in a random order with ``rng``, the
    next computed while the current one trains), or NumPy arrays as one block."""
    if not isinstance(data, RowBlocks):
        yield _prepare(estimator, 0, len(data[0]), data, dtype)
        return
    order = None if rng is None else rng.permutation(data.n_blocks)
    for start, stop, arrays in iter_blocks(data, order, prefetch=True):
        yield _prepare(estimator, start, stop, arrays, dtype)


def _class_scale(estimator: Any, totals: np.ndarray | None) -> np.ndarray | None:
    """A classifier's weight of each class by its ``class_weight`` (``None`` for a regressor
    or without class weights); ``"balanced"`` from the classes' total weights ``totals``."""
    if getattr(estimator, "class_weight", None) is None:
        return None
    classes = estimator.classes_
    return class_weights(estimator.class_weight, classes,
                         np.ones(classes.size) if totals is None else totals)


def _epoch(estimator: Any, stream: MLPStream, params: dict[str, Any], data: Any, dtype: Any,
           class_scale: np.ndarray | None = None) -> float:
    """One epoch over ``data``: mini-batch steps block by block (the rows shuffled within each
    block with ``shuffle``), each row's loss weighted by its sample weight times its class's
    weight ``class_scale``; returns the mean batch loss over the epoch's rows."""
    rng = stream.rng if estimator.shuffle else None
    batch_size = 200 if estimator.batch_size == "auto" else estimator.batch_size
    total, rows = 0.0, 0
    for X, target, weight in _blocks(estimator, data, rng, dtype):
        if class_scale is not None:  # the class indices, a 0/1 column for two classes
            by_class = class_scale.astype(dtype)[target.reshape(-1).astype(np.intp)]
            weight = by_class if weight is None else weight * by_class
        # the batches deal out row numbers; the block's loss looks up their targets, weights
        loss_fn = estimator._loss_fn(stream.model, params["alpha"], target, weight)
        row_batches = batches([X, np.arange(len(X))], batch_size, rng)
        total += train_epoch(stream.model, loss_fn, stream.optimizer, row_batches,
                             epoch=len(stream.losses), rate_name="learning_rate_init") * len(X)
        rows += len(X)
    stream.losses.append(total / rows)
    stream.n_seen += rows
    return total / rows


def _data(estimator: Any, X: Any, y: Any, sample_weight: Any) -> tuple[Any, int, Any]:
    """``(data, n_features, dtype)``: the blocks of a Dask ``X``, or NumPy arrays
    ``[X, y, sample_weight]`` checked as in memory."""
    regressor = not isinstance(estimator, ClassifierMixin)
    data: RowBlocks | list[Any]
    if is_dask_array(X):
        data = training_blocks(X, y, sample_weight, multi_output=regressor)
        X, y = data.arrays[0], data.arrays[1]
        if regressor and np.dtype(y.dtype).kind not in "fiu":
            raise TypeError(f"y must hold real numbers for a regressor; got dtype {y.dtype}.")
    else:
        X, y = check_X_y(X, y, y_numeric=regressor, multi_output=regressor)
        data = [X, y, check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype)]
    return data, X.shape[1], np.dtype(X.dtype)


def _set_outputs(estimator: Any, data: Any, classes: Any) -> None:
    """The output layer of a ``partial_fit`` call: the classes (given on the first call,
    the same ones later), or the width of ``y`` (kept from the first call)."""
    if isinstance(estimator, ClassifierMixin):
        estimator._set_outputs(  # type: ignore[attr-defined]  # an MLPClassifier
            partial_fit_classes(estimator, classes))
    elif not hasattr(estimator, "n_outputs_"):
        y = data.arrays[1] if isinstance(data, RowBlocks) else data[1]
        estimator._set_outputs(1 if y.ndim == 1 else y.shape[1])


def _commit(estimator: Any, work: Any, X: Any, stream: MLPStream) -> Any:
    """Store the trained copy's state on the estimator (features, network, record, stream)."""
    work._record_features(X, X if is_dask_array(X) else np.asarray(X))
    work._store_training(stream.model, list(stream.losses), stream.n_seen, None)
    stream.fitted = work.coefs_
    work._stream = stream
    estimator.__dict__.update(work.__dict__)
    return estimator


def partial_fit_mlp(estimator: Any, X: Any, y: Any, sample_weight: Any = None,
                    classes: Any = None) -> Any:
    """``partial_fit`` of the MLP estimators: one epoch over ``(X, y)`` (NumPy, or the blocks
    of a row-chunked Dask array), continuing the network and its optimizer (module
    docstring)."""
    params = estimator._check_params()
    refuse_early_stopping(estimator)
    refuse_balanced_class_weight(estimator)
    work = copy.deepcopy(estimator)
    data, n_features, dtype = _data(work, X, y, sample_weight)
    check_same_features(work, n_features)
    _set_outputs(work, data, classes)
    stream = getattr(work, "_stream", None)
    if stream is None or stream.fitted is not work.coefs_:
        stream = _new_stream(work, params, n_features, dtype)
    _epoch(work, stream, params, data, dtype, _class_scale(work, None))
    return _commit(estimator, work, X, stream)


def fit_mlp_blocks(estimator: Any, X: Any, y: Any, params: dict[str, Any],
                   sample_weight: Any = None) -> Any:
    """``fit`` of the MLP estimators on a row-chunked Dask array: a new network trained for
    epochs of passes over the blocks until the stopping rule holds (module docstring)."""
    refuse_early_stopping(estimator)
    work = copy.deepcopy(estimator)
    data, n_features, dtype = _data(work, X, y, sample_weight)
    class_scale = None
    if isinstance(work, ClassifierMixin):
        classes, counts, weights = label_counts(data)
        encode_class_labels(classes, type(work).__name__)
        totals = counts if weights is None else weights
        work._set_outputs(classes)  # type: ignore[attr-defined]  # an MLPClassifier
        class_scale = _class_scale(work, totals)
        # one pseudo-sample per class, carrying the class's total weight
        check_weighted_classes(classes, np.arange(classes.size),
                               totals if class_scale is None else totals * class_scale,
                               type(work).__name__)
    else:
        work._set_outputs(1 if data.arrays[1].ndim == 1 else data.arrays[1].shape[1])
    for name in ("coefs_", "_stream"):  # a new network
        work.__dict__.pop(name, None)
    stream = _new_stream(work, params, n_features, dtype)
    stopper = EarlyStopping(params["n_iter_no_change"], params["tol"], mode="min", rule="mlp")
    for _ in range(params["max_iter"]):
        stopper.update(_epoch(work, stream, params, data, dtype, class_scale))
        if stopper.should_stop:
            break
    else:
        work._warn_not_converged(params)
    return _commit(estimator, work, X, stream)
