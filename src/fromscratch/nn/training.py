r"""The training loop: mini-batch gradient descent on a module, with validation and early stopping.

One epoch is, for every mini-batch :math:`B` (see :mod:`fromscratch.nn.data`)::

    optimizer.zero_grad()                 # forget the previous batch's gradients
    loss = loss_fn(model(X_B), y_B)       # forward pass, recorded by the autodiff engine
    loss.backward()                       # reverse pass: every parameter's .grad
    optimizer.step()                      # θ ← update(θ, ∂loss/∂θ)

:func:`fit` runs epochs, records the mean training loss (and accuracy for classification
losses), evaluates held-out data, steps a learning-rate scheduler and stops early when the
monitored loss has not improved for ``patience`` epochs. A loss that becomes NaN or infinite
stops training with :class:`DivergenceError` and a hint, rather than silently producing NaN
weights. The validation split, the patience rule and the divergence message are the shared ones
of :mod:`fromscratch.optim.training` (:class:`EarlyStopping` is re-exported here).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fromscratch._validation import check_random_state, check_scalar
from fromscratch.autodiff import no_grad
from fromscratch.exceptions import DivergenceError  # re-exported: nn.DivergenceError
from fromscratch.nn.data import DataLoader
from fromscratch.nn.losses import BCEWithLogitsLoss, CrossEntropyLoss
from fromscratch.nn.module import Module
from fromscratch.optim.training import (
    EarlyStopping,
    divergence_error,
    learning_rate_hint,
    validation_split,
)

__all__ = ["DivergenceError", "EarlyStopping", "History", "fit", "train_epoch", "evaluate"]


def _value(loss: Any) -> float:
    """The float inside a scalar loss (a Tensor, or an array when gradients are off)."""
    return float(np.asarray(getattr(loss, "data", loss)))


def _check_finite_loss(value: float, where: str, optimizer: Any, rate_name: str) -> None:
    """Raise :class:`DivergenceError` when a batch's loss is NaN or infinite."""
    if math.isfinite(value):
        return
    # The largest rate of the parameter groups is the likeliest culprit.
    rates = [g["lr"] for g in getattr(optimizer, "param_groups", []) if "lr" in g]
    hint = (learning_rate_hint(max(rates), rate_name) if rates
            else "Lower the optimizer's step size.")
    raise divergence_error(f"the training loss became {value} {where}", hint)


def train_epoch(
    model: Module,
    loss_fn: Callable[[Any, Any], Any],
    optimizer: Any,
    batches: Iterable[Sequence[np.ndarray]],
    *,
    epoch: int = 0,
    rate_name: str = "lr",
) -> float:
    r"""One pass over ``batches``; returns the mean loss over samples,
    :math:`\sum_B |B| \, \ell_B / \sum_B |B|` (each batch's loss is the mean over the batch).
    ``rate_name`` is what the user calls the learning rate, for the divergence error's advice
    (an estimator's ``learning_rate_init``, say).

    Raises
    ------
    DivergenceError
        When a batch's loss is NaN or infinite.
    ValueError
        When ``batches`` is empty.
    """
    model.train()
    total, count = 0.0, 0
    for batch, (X_B, y_B) in enumerate(batches):
        optimizer.zero_grad()
        loss = loss_fn(model(X_B), y_B)
        value = _value(loss)
        _check_finite_loss(value, f"at epoch {epoch + 1}, batch {batch + 1}", optimizer,
                           rate_name)
        loss.backward()
        optimizer.step()
        total += value * len(X_B)
        count += len(X_B)
    if count == 0:
        raise ValueError(
            "batches yielded no samples, so there is no epoch loss; with "
            "DataLoader(drop_last=True) the batch_size must not exceed the number of samples."
        )
    return total / count


def _classifies(loss_fn: Any) -> bool:
    return isinstance(loss_fn, (CrossEntropyLoss, BCEWithLogitsLoss))


def _accuracy(output: np.ndarray, y: np.ndarray, loss_fn: Any) -> float | None:
    """Accuracy for the classification losses; None for the others."""
    if isinstance(loss_fn, CrossEntropyLoss):
        return float(np.mean(output.argmax(axis=1) == np.asarray(y)))
    if isinstance(loss_fn, BCEWithLogitsLoss):  # logit > 0  <=>  probability > 1/2
        return float(np.mean((output > 0) == (np.asarray(y) > 0.5)))
    return None


def evaluate(
    model: Module,
    loss_fn: Callable[[Any, Any], Any],
    X: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 1024,
) -> tuple[float, float | None]:
    """Mean loss (and accuracy for classification losses) on ``(X, y)``, in evaluation mode
    and without recording gradients. Restores the module's previous mode."""
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            outputs = [
                np.asarray(getattr(out, "data", out))
                for out in (model(X_B) for X_B in DataLoader(X, batch_size=batch_size))
            ]
            output = np.concatenate(outputs)
            loss = _value(loss_fn(output, y))
    finally:
        model.train(was_training)
    return loss, _accuracy(output, y, loss_fn)


@dataclass
class History:
    """What :func:`fit` recorded, one entry per epoch (Keras-style keys).

    Attributes
    ----------
    history : dict of str to list of float
        ``"loss"`` always; ``"accuracy"`` for classification losses; ``"val_loss"`` and
        ``"val_accuracy"`` with validation data; ``"lr"``, the first group's learning rate.
    best_epoch : int
        The epoch (counted from 1) with the best monitored loss.
    stopped_early : bool
    """

    history: dict[str, list[float]] = field(default_factory=dict)
    best_epoch: int = 0
    stopped_early: bool = False

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def record(self, **values: float | None) -> None:
        for key, value in values.items():
            if value is not None:
                self.history.setdefault(key, []).append(value)

    @property
    def epochs(self) -> int:
        return len(self.history.get("loss", []))


def _scheduler_step(scheduler: Any, monitored: float) -> None:
    """``ReduceLROnPlateau``-style schedulers take the monitored loss; the others nothing."""
    if "metrics" in inspect.signature(scheduler.step).parameters:
        scheduler.step(monitored)
    else:
        scheduler.step()


def fit(
    model: Module,
    loss_fn: Callable[[Any, Any], Any],
    optimizer: Any,
    X: Any,
    y: Any,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    shuffle: bool = True,
    scheduler: Any = None,
    validation_data: tuple[Any, Any] | None = None,
    validation_fraction: float | None = None,
    patience: int | None = None,
    min_delta: float = 0.0,
    restore_best_weights: bool = True,
    random_state: Any = None,
    verbose: bool = False,
    callback: Callable[[int, Module, History], Any] | None = None,
) -> History:
    """Train ``model`` with mini-batch gradient descent; returns the :class:`History`.

    Parameters
    ----------
    model : Module
    loss_fn : callable ``(output, target) -> scalar Tensor``, e.g. ``CrossEntropyLoss()``
    optimizer : fromscratch.optim.Optimizer
        Built on ``model.parameters()``.
    X, y : array-like
        Inputs (first axis: samples) and targets, in the form ``loss_fn`` expects.
    epochs : int, default=10
    batch_size : int, default=32
    shuffle : bool, default=True
        Reshuffle the training samples every epoch.
    scheduler : learning-rate scheduler, optional
        Stepped once per epoch (with the monitored loss if its ``step`` takes ``metrics``).
    validation_data : (X_val, y_val), optional
    validation_fraction : float in (0, 1), optional
        Hold out this random fraction of ``(X, y)`` instead (ignored with ``validation_data``):
        ``ceil(validation_fraction * n)`` samples, as scikit-learn rounds
        (:func:`~fromscratch.optim.training.validation_split`).
    patience : int, optional
        Early stopping: stop after more than ``patience`` consecutive epochs in which the
        monitored loss (validation loss if there is validation data, else training loss) did
        not improve by more than ``min_delta`` (:class:`EarlyStopping`, scikit-learn's MLP
        rule).
    restore_best_weights : bool, default=True
        With early stopping, end with the parameters of the best epoch.
    random_state : None, int or numpy.random.Generator
        Shuffling and the validation split.
    verbose : bool, default=False
        Show a progress bar (tqdm) with the latest losses.
    callback : callable ``(epoch, model, history)``, optional
        Called after every epoch (``epoch`` counted from 1), e.g. to keep snapshots of
        ``model.state_dict()`` for pictures of training.

    Raises
    ------
    DivergenceError
        The loss became NaN or infinite (the message suggests a lower learning rate).
    """
    epochs = check_scalar(epochs, "epochs", kind=int, min_val=1)
    rng = check_random_state(random_state)
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(
            f"X and y have different numbers of samples: X has {len(X)}, y has {len(y)}."
        )
    X_val: np.ndarray | None
    y_val: np.ndarray | None
    if validation_data is not None:
        X_val, y_val = (np.asarray(a) for a in validation_data)
    elif validation_fraction is not None:
        train, val = validation_split(len(X), validation_fraction, rng)
        X, y, X_val, y_val = X[train], y[train], X[val], y[val]
    else:
        X_val = y_val = None
    loader = DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, random_state=rng)
    stopper = EarlyStopping(patience, min_delta, rule="mlp") if patience is not None else None

    from tqdm import tqdm

    history = History()
    best_state = None
    progress = tqdm(range(epochs), disable=not verbose, unit="epoch")
    for epoch in progress:
        loss = train_epoch(model, loss_fn, optimizer, loader, epoch=epoch)
        # Training accuracy on the whole set after the epoch (the batches' running accuracy
        # would mix models from different steps).
        accuracy = evaluate(model, loss_fn, X, y)[1] if _classifies(loss_fn) else None
        val_loss = val_accuracy = None
        if X_val is not None and y_val is not None:
            val_loss, val_accuracy = evaluate(model, loss_fn, X_val, y_val)
        lr = optimizer.param_groups[0].get("lr") if hasattr(optimizer, "param_groups") else None
        history.record(loss=loss, accuracy=accuracy, val_loss=val_loss,
                       val_accuracy=val_accuracy, lr=lr)
        progress.set_postfix({k: f"{v[-1]:.4g}" for k, v in history.history.items()})

        if callback is not None:
            callback(epoch + 1, model, history)
        monitored = loss if val_loss is None else val_loss
        if scheduler is not None:
            _scheduler_step(scheduler, monitored)
        if stopper is not None:
            if stopper.update(monitored):
                history.best_epoch = epoch + 1
                best_state = model.state_dict() if restore_best_weights else None
            if stopper.should_stop:
                history.stopped_early = True
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    if stopper is None:
        history.best_epoch = history.epochs
    return history
