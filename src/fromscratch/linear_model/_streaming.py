r"""Streaming mini-batch training of the linear models: ``partial_fit``, and ``fit`` on a Dask
array by passes over its blocks.

Mini-batch gradient descent never needs all the rows at once: each step reads ``batch_size``
of them. So it trains on data that arrive a piece at a time — ``partial_fit`` calls, each one
pass of mini-batches over the rows it is given (scikit-learn's contract), the optimizer's state
(momentum, Adam's moments) kept from call to call, with the ``"minibatch"`` solver's
hyper-parameters (``optimizer``, ``learning_rate``, ``batch_size``...) whatever ``solver``
``fit`` uses — and on a row-chunked Dask array, whose
``fit`` (``solver="minibatch"``) runs its epochs as passes over the blocks, one or two blocks in
memory at a time, shuffled at two levels: the blocks in a random order, the rows within each
block (:func:`fromscratch.blocks.iter_batches`), reproducibly from ``random_state``.

**The intercept is a coefficient here.** The in-memory solvers center the data and recover the
intercept from the means (:mod:`._base`); a stream cannot, its means are known only at its end.
So streaming learns :math:`(w, b)` together: least squares on the rows :math:`(x_i, 1)`, the
logistic loss with its intercept as the last coordinate (as in memory). The objective is the
same, the path to it is not: the stochastic iterates differ from the in-memory solver's.

**Stopping** (``fit`` on a Dask array): after each pass, the mean of the batch objective values
the pass computed anyway — each batch's, just before its step — is watched by scikit-learn's
``SGDRegressor`` rule (:class:`~fromscratch.optim.training.EarlyStopping`, ``rule="sgd"``):
stop once it has not improved on its best by more than ``tol`` for ``n_iter_no_change``
passes; a :class:`~fromscratch.exceptions.ConvergenceWarning` when ``max_iter`` passes run
out. (The in-memory solver evaluates the whole training objective after each epoch instead, a
second pass over the data here.) ``partial_fit`` checks nothing and never warns: one pass per
call, as in scikit-learn. Divergence (infinite or NaN coefficients or loss, a loss that blows
up) raises :class:`~fromscratch.exceptions.DivergenceError`, and a failed call leaves the
estimator as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
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
    check_X_y,
)
from fromscratch.blocks import (
    RowBlocks,
    batches,
    check_finite_block,
    check_weight_block,
    is_dask_array,
    iter_batches,
    total_weight,
    training_blocks,
)
from fromscratch.linear_model._dask import regression_blocks
from fromscratch.linear_model._dask_logistic import (
    BlockLogisticObjective,
    block_targets,
    block_weights,
    class_counts,
    class_frequency,
)
from fromscratch.linear_model._gradient_descent import _is_plain_sgd, _make_optimizer
from fromscratch.linear_model._iterative import least_squares_objective
from fromscratch.linear_model._logistic_loss import LogisticLoss, logistic_loss
from fromscratch.linear_model._objective import FitResult, Objective, soft_threshold
from fromscratch.optim.training import (
    EarlyStopping,
    divergence,
    divergence_error,
    learning_rate_hint,
    not_converged_warning,
)

__all__ = ["Stream", "new_stream", "resume_stream", "keep_stream", "stream_pass",
           "stream_epochs", "batch_source", "partial_fit_regression", "fit_regression_stream",
           "partial_fit_logistic", "fit_logistic_stream"]


@dataclass
class Stream:
    """What streaming training keeps between passes and between ``partial_fit`` calls.

    Attributes
    ----------
    w : fromscratch.autodiff.Tensor
        The coefficients, intercept last.
    optimizer : fromscratch.optim.Optimizer
        Its state (momentum, moments) carries over.
    rng : numpy.random.Generator
        The shuffling, drawn on from pass to pass.
    n_seen : int
        Rows trained on so far.
    losses : list of float
        The mean batch objective of every pass.
    fitted : ndarray or None
        The ``coef_`` array the stream last produced: a ``partial_fit`` continues the stream
        only while the estimator still holds that very array (not after a ``fit``).
    """

    w: Any
    optimizer: Any
    rng: np.random.Generator
    n_seen: int = 0
    losses: list[float] = field(default_factory=list)
    fitted: Any = None


def new_stream(estimator: Any, w0: np.ndarray) -> Stream:
    """A stream starting at ``w0`` with a fresh optimizer (the estimator's ``optimizer``,
    ``optimizer_params`` and ``learning_rate``) and shuffling from its ``random_state``."""
    from fromscratch.autodiff import Tensor

    w = Tensor(np.array(w0, copy=True), requires_grad=True)
    optimizer = _make_optimizer(estimator.optimizer, estimator.optimizer_params,
                                estimator.learning_rate, w)
    return Stream(w, optimizer, check_random_state(estimator.random_state))


def resume_stream(estimator: Any, start: Callable[[], np.ndarray]) -> Stream:
    """The stream a ``partial_fit`` call continues: a copy of the estimator's (so that a call
    that fails changes nothing) when it produced the estimator's ``coef_``; otherwise a new
    one starting from ``start()`` (e.g. the coefficients of a ``fit``, or zeros)."""
    stream = getattr(estimator, "_stream", None)
    if stream is not None and stream.fitted is getattr(estimator, "coef_", None):
        return copy.deepcopy(stream)
    return new_stream(estimator, start())


def keep_stream(estimator: Any, stream: Stream) -> None:
    """Keep ``stream`` on the estimator for the next ``partial_fit``, tied to its ``coef_``."""
    stream.fitted = estimator.coef_
    estimator._stream = stream


def stream_pass(stream: Stream, objective: Objective, source: Iterable[list[Any]], *,
                hint: str, number: int) -> float:
    r"""One pass of mini-batch steps over ``source`` (batches of ``(X, y)`` arrays); returns
    the mean over the pass's rows of each batch's objective, evaluated before its step.

    Each step sets the batch gradient and lets the optimizer move :math:`w`; an L1 part is
    applied after it by its proximal operator :math:`S(w, \eta\lambda_1)` (plain SGD steps
    only, as in :func:`~._gradient_descent.gradient_descent`). ``number`` names the pass in
    the error a diverging step raises.
    """
    w, optimizer = stream.w, stream.optimizer
    l1_step = None
    if objective.l1 is not None and np.any(objective.l1 > 0):
        if not _is_plain_sgd(optimizer):
            raise ValueError(
                "An L1 penalty is applied by a proximal (soft-thresholding) step, which is "
                "exact only for plain SGD steps; use optimizer='sgd' without momentum or "
                "weight_decay."
            )
        l1_step = optimizer.param_groups[0]["lr"] * objective.l1
    total, count = 0.0, 0
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for batch in source:
            value = objective.value(w.data, *batch)
            w.grad = objective.gradient(w.data, *batch)
            optimizer.step()
            if l1_step is not None:
                w.data[...] = soft_threshold(w.data, l1_step)
            if not (np.isfinite(w.data).all() and np.isfinite(value)):
                raise divergence_error(
                    f"pass {number}: the loss or the coefficients became infinite or NaN", hint)
            total += value * len(batch[0])
            count += len(batch[0])
    stream.n_seen += count
    stream.losses.append(total / count)
    return total / count


def stream_epochs(estimator: Any, stream: Stream, objective: Objective,
                  passes: Callable[[], Iterable[list[Any]]], method: str) -> bool:
    """``fit``'s loop: passes over the data (``passes()`` gives each pass's batches) until the
    stopping rule of the module docstring holds or ``max_iter`` passes ran (then a
    ``ConvergenceWarning``, unless ``tol`` is None); returns whether it converged."""
    hint = learning_rate_hint(estimator.learning_rate, "learning_rate")
    patience = (None if estimator.tol is None
                else EarlyStopping(estimator.n_iter_no_change, estimator.tol, rule="sgd"))
    for number in range(1, estimator.max_iter + 1):
        loss = stream_pass(stream, objective, passes(), hint=hint, number=number)
        what = divergence(loss, stream.losses[0])
        if what is not None:
            raise divergence_error(
                f"pass {number}: the loss {what} (from {stream.losses[0]:.4g} to {loss:.4g})",
                hint)
        if patience is not None:
            patience.update(loss)
            if patience.should_stop:
                return True
    if estimator.tol is not None:
        not_converged_warning(
            method, f"max_iter={estimator.max_iter} passes",
            f"the mean batch loss improved by more than tol={estimator.tol:g} within the last "
            f"{estimator.n_iter_no_change} passes",
            "increase max_iter or learning_rate, or loosen tol (tol=None runs max_iter passes "
            "without this warning)")
    return False


def batch_source(data: Any, prepare: Callable[[int, int, list[Any]], list[Any]],
                 batch_size: int, rng: np.random.Generator) -> Callable[[], Iterable[list[Any]]]:
    """``passes()`` for :func:`stream_epochs` and ``partial_fit``: each call gives one pass of
    shuffled mini-batches — over the blocks of a :class:`~fromscratch.blocks.RowBlocks`
    (:func:`fromscratch.blocks.iter_batches`), or over a list of NumPy arrays as one block.
    ``prepare`` turns a block's arrays into the batches' arrays, once per block."""
    if isinstance(data, RowBlocks):
        arrays = list(data.arrays) + [None] * (3 - len(data.arrays))  # (X, y, sample_weight)
        padded = RowBlocks(data.bounds, tuple(arrays), ("X", "y", "sample_weight"))
        return lambda: iter_batches(padded, batch_size, rng, prepare)
    return lambda: batches(prepare(0, len(data[0]), list(data)), batch_size, rng)


# -- LinearRegression ----------------------------------------------------------------------------


def _regression_prepare(fit_intercept: bool, dtype: Any, scale: float
                        ) -> Callable[..., list[Any]]:
    r"""Check a block's values (naming its rows), append the intercept's column of ones, and
    with sample weights :math:`s_i` scale each row by :math:`\sqrt{\text{scale}\cdot s_i}`:
    :math:`\sum_i s_i (y_i - x_i^\top w)^2 = \|\sqrt{s}\odot y - (\sqrt{s}\odot X)\,w\|^2`,
    the weighted least squares of the in-memory solvers (:mod:`._base`), the rows of the
    intercept's column of ones scaled too."""

    def prepare(start: int, stop: int, arrays: list[Any]) -> list[Any]:
        X, y = np.asarray(arrays[0], dtype=dtype), np.asarray(arrays[1], dtype=dtype)
        check_finite_block(X, "X", start, stop)
        check_finite_block(y, "y", start, stop)
        if fit_intercept:
            X = np.hstack([X, np.ones((len(X), 1), dtype=dtype)])
        weight = check_weight_block(arrays[2], "sample_weight", start, stop, dtype)
        if weight is None:
            return [X, y]
        root = np.sqrt(scale * weight)
        return [X * root[:, None], y * root]  # new arrays: the caller's blocks stay as given

    return prepare


def _training_data(X: Any, y: Any, sample_weight: Any, regression: bool
                   ) -> tuple[Any, int, Any]:
    """``(data, n_features, dtype)`` for :func:`batch_source`: the blocks of a Dask ``X``
    (values checked later, per block), or NumPy arrays ``[X, y, sample_weight]`` checked as in
    memory (:func:`~fromscratch._validation.check_X_y`)."""
    data: RowBlocks | list[Any]
    if is_dask_array(X):
        data = (regression_blocks(X, y, sample_weight) if regression
                else training_blocks(X, y, sample_weight, multi_output=False))
        X, y = data.arrays[0], data.arrays[1]
    else:
        X, y = check_X_y(X, y, y_numeric=regression)
        data = [X, y, check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype)]
    if regression and y.ndim != 1:
        raise ValueError(f"solver='minibatch' fits one target; y has shape {y.shape}.")
    return data, X.shape[1], np.dtype(X.dtype)


def _store_regression(estimator: Any, X: Any, stream: Stream) -> Any:
    """Set the attributes of a streaming fit on ``X`` (the raw input, for its feature
    names), and keep the stream for the next ``partial_fit``."""
    w = stream.w.data
    coef, intercept = (w[:-1], w[-1]) if estimator.fit_intercept else (w, w.dtype.type(0))
    estimator._record_features(X, X if is_dask_array(X) else np.asarray(X))
    estimator.n_iter_ = len(stream.losses)
    estimator.loss_curve_ = np.asarray(stream.losses)
    estimator.t_ = stream.n_seen
    estimator.solver_ = "minibatch"
    estimator._set_coef(coef.copy(), intercept)
    keep_stream(estimator, stream)
    return estimator


def partial_fit_regression(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """:meth:`LinearRegression.partial_fit`: one pass of mini-batches over ``(X, y)`` (NumPy or
    a row-chunked Dask array), continuing from the last call. Sample weights multiply each
    row's squared error as given (a stream's total weight, which ``fit`` rescales to mean 1,
    is not known)."""
    refuse_early_stopping(estimator)
    estimator._validate_params()
    data, n_features, dtype = _training_data(X, y, sample_weight, regression=True)
    check_same_features(estimator, n_features)
    width = n_features + bool(estimator.fit_intercept)

    def start() -> np.ndarray:
        if not hasattr(estimator, "coef_"):
            return np.zeros(width, dtype=dtype)
        return np.append(estimator.coef_, estimator.intercept_)[:width].astype(dtype)

    stream = resume_stream(estimator, start)
    passes = batch_source(data, _regression_prepare(estimator.fit_intercept, dtype, 1.0),
                          estimator.batch_size, stream.rng)
    stream_pass(stream, least_squares_objective(estimator.gradient), passes(),
                hint=learning_rate_hint(estimator.learning_rate, "learning_rate"),
                number=len(stream.losses) + 1)
    return _store_regression(estimator, X, stream)


def fit_regression_stream(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """``LinearRegression(solver="minibatch").fit`` on a row-chunked Dask array: epochs as
    passes over the blocks, from zero coefficients (module docstring); sample weights
    rescaled to mean 1, as in memory (one pass over the weights for their total)."""
    refuse_early_stopping(estimator)
    data, n_features, dtype = _training_data(X, y, sample_weight, regression=True)
    scale = 1.0 if sample_weight is None else data.n_rows / total_weight(data)
    stream = new_stream(estimator, np.zeros(n_features + bool(estimator.fit_intercept), dtype))
    passes = batch_source(data, _regression_prepare(estimator.fit_intercept, dtype, scale),
                          estimator.batch_size, stream.rng)
    stream_epochs(estimator, stream, least_squares_objective(estimator.gradient), passes,
                  f"streaming mini-batch gradient descent (batch_size={estimator.batch_size})")
    return _store_regression(estimator, X, stream)


# -- LogisticRegression --------------------------------------------------------------------------


def _classification_prepare(classes: np.ndarray, dtype: Any, scale: np.ndarray | None
                            ) -> Callable[..., list[Any]]:
    """Check a block's features (naming its rows), encode its labels as the loss's target,
    and weigh its rows (:func:`~._dask_logistic.block_weights`)."""

    def prepare(start: int, stop: int, arrays: list[Any]) -> list[Any]:
        X = np.asarray(arrays[0], dtype=dtype)
        check_finite_block(X, "X", start, stop)
        index, target = block_targets(arrays[1], classes, dtype, "y", start, stop)
        weight = block_weights(index, arrays[2], scale, "sample_weight", start, stop, dtype)
        return [X, target] if weight is None else [X, target, weight]

    return prepare


def _logistic_loss(estimator: Any, n_features: int, n_classes: int, total_weight: float
                   ) -> tuple[LogisticLoss, float]:
    """The loss with the estimator's penalty for a total weight (rows without weights) of
    ``total_weight``, and its strength."""
    strength = estimator._strength(total_weight)
    loss = logistic_loss(n_features, n_classes, fit_intercept=estimator.fit_intercept,
                         l2=(1.0 - estimator.l1_ratio) * strength,
                         l1=estimator.l1_ratio * strength)
    return loss, strength


def _result(stream: Stream, converged: bool) -> FitResult:
    return FitResult(coef=stream.w.data.copy(), n_iter=len(stream.losses),
                     loss_curve=np.asarray(stream.losses), best_iteration=len(stream.losses),
                     converged=converged)


def partial_fit_logistic(estimator: Any, X: Any, y: Any, classes: Any = None,
                         sample_weight: Any = None) -> Any:
    """:meth:`LogisticRegression.partial_fit`: one pass of mini-batches over ``(X, y)`` (NumPy
    or a row-chunked Dask array), continuing from the last call; the penalty per sample is
    :math:`1/(Ct)` with :math:`t` the rows seen so far, this call's included (one unweighted
    call on all the data is ``fit``'s objective). Sample weights, times a ``class_weight``
    dict, multiply each row's log-loss as given; ``class_weight="balanced"`` needs the whole
    stream's class totals and is refused, as in scikit-learn's ``partial_fit``."""
    refuse_early_stopping(estimator)
    estimator._check_params()
    refuse_balanced_class_weight(estimator)
    classes = partial_fit_classes(estimator, classes)
    data, n_features, dtype = _training_data(X, y, sample_weight, regression=False)
    check_same_features(estimator, n_features)
    shape: tuple[int, ...] = (n_features + bool(estimator.fit_intercept),)
    if classes.size > 2:
        shape = (classes.size, *shape)

    def start() -> np.ndarray:
        if not hasattr(estimator, "coef_"):
            return np.zeros(shape, dtype=dtype)
        w = (np.hstack([estimator.coef_, estimator.intercept_[:, None]])
             if estimator.fit_intercept else estimator.coef_.copy())
        return (w[0] if classes.size == 2 else w).astype(dtype)

    stream = resume_stream(estimator, start)
    n_rows = data.n_rows if isinstance(data, RowBlocks) else len(data[0])
    loss, strength = _logistic_loss(estimator, n_features, classes.size,
                                    stream.n_seen + n_rows)
    scale = estimator._class_weights(classes, np.ones(classes.size))
    passes = batch_source(data, _classification_prepare(classes, dtype, scale),
                          estimator.batch_size, stream.rng)
    stream_pass(stream, loss.objective(estimator.gradient), passes(),
                hint=learning_rate_hint(estimator.learning_rate, "learning_rate"),
                number=len(stream.losses) + 1)
    estimator.classes_ = classes
    estimator._record_features(X, X if is_dask_array(X) else np.asarray(X))
    estimator._store_coefficients(_result(stream, False), strength, dtype)
    estimator.t_ = stream.n_seen
    keep_stream(estimator, stream)
    return estimator


def fit_logistic_stream(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """``LogisticRegression(solver="minibatch").fit`` on a row-chunked Dask array: one pass
    for the classes (and their total weights), epochs as passes of mini-batch steps over the
    blocks (module docstring), then one pass for the log-likelihood of the result."""
    refuse_early_stopping(estimator)
    blocks = training_blocks(X, y, sample_weight, multi_output=False)
    classes, counts, weights = class_counts(blocks, type(estimator).__name__)
    frequency, scale = class_frequency(estimator, classes, counts, weights)
    dtype = np.dtype(blocks.arrays[0].dtype)
    loss, strength = _logistic_loss(estimator, X.shape[1], classes.size, frequency.sum())
    stream = new_stream(estimator, estimator._start(loss, frequency, dtype))
    passes = batch_source(blocks, _classification_prepare(classes, dtype, scale),
                          estimator.batch_size, stream.rng)
    converged = stream_epochs(
        estimator, stream, loss.objective(estimator.gradient), passes,
        f"streaming mini-batch gradient descent (batch_size={estimator.batch_size})")
    likelihood = BlockLogisticObjective(blocks, loss, classes, scale, separation=False,
                                        newton=False)
    estimator.classes_ = classes
    estimator._record_features(X, X)
    estimator._finish(_result(stream, converged), False, likelihood, (blocks.arrays[0], None),
                      frequency, strength)
    estimator.t_ = stream.n_seen
    keep_stream(estimator, stream)
    return estimator
