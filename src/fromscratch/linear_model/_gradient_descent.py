r"""Gradient descent for linear models: full batch, stochastic and mini-batch, with any optimizer.

:func:`gradient_descent` minimizes an :class:`~._objective.Objective` with a
:mod:`fromscratch.optim` optimizer (plain SGD, Nesterov momentum, Adam...): the coefficients are
wrapped in a :class:`~fromscratch.autodiff.Tensor`, the hand-derived gradient is written to
``.grad`` and ``optimizer.step()`` updates them. The stopping rules, the validation split, the
patience counter and the divergence check are the shared ones of
:mod:`fromscratch.optim.training`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._validation import check_random_state
from fromscratch.exceptions import warn_at_caller
from fromscratch.linear_model._objective import FitResult, Objective, optimality, soft_threshold
from fromscratch.optim.registry import optimizer_class
from fromscratch.optim.training import (
    EarlyStopping,
    divergence,
    divergence_error,
    learning_rate_hint,
    not_converged_warning,
    validation_split,
)

__all__ = ["gradient_descent"]


def _make_optimizer(
    optimizer: Any, optimizer_params: dict[str, Any] | None, learning_rate: float, param: Any
) -> Any:
    cls = optimizer_class(optimizer, gradient_only=True)
    params = dict(optimizer_params or {})
    if not isinstance(optimizer_params, (dict, type(None))):
        raise TypeError(
            f"optimizer_params must be a dict of the optimizer's hyper-parameters, e.g. "
            f"{{'momentum': 0.9, 'nesterov': True}}; got {type(optimizer_params).__name__}."
        )
    if "lr" in params:
        raise ValueError(
            "optimizer_params must not contain 'lr': the step size is the estimator's "
            "learning_rate parameter."
        )
    try:
        return cls([param], lr=learning_rate, **params)  # type: ignore[call-arg]  # a subclass
    except TypeError as exc:
        raise TypeError(f"optimizer_params {params} do not fit {cls.__name__}: {exc}") from exc


def _is_plain_sgd(opt: Any) -> bool:
    """Whether ``opt`` takes the step ``w - lr * g`` (what the proximal L1 step assumes)."""
    from fromscratch.optim import SGD

    group = opt.param_groups[0]
    return type(opt) is SGD and group["momentum"] == 0 and group["weight_decay"] == 0


def gradient_descent(
    objective: Objective,
    w0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int | None = None,
    optimizer: Any = "sgd",
    optimizer_params: dict[str, Any] | None = None,
    learning_rate: float = 0.01,
    max_iter: int = 100,
    tol: float | None = 1e-4,
    n_iter_no_change: int = 5,
    early_stopping: bool = False,
    validation_fraction: float = 0.1,
    stratify: np.ndarray | None = None,
    sample_weight: np.ndarray | None = None,
    random_state: Any = None,
    verbose: bool = False,
    callback: Callable[[np.ndarray], bool] | None = None,
) -> FitResult:
    r"""Minimize ``objective`` by (stochastic, mini-batch) gradient descent with an optimizer.

    One *epoch* shuffles the rows (unless full batch) and visits them in batches
    :math:`B`; each batch sets the gradient :math:`\nabla f_B(w)` (the batch average) and the
    optimizer updates :math:`w` — for plain SGD :math:`w \leftarrow w - \eta \nabla f_B(w)`.
    An L1 term is applied after the step by its proximal operator,
    :math:`w \leftarrow S(w, \eta\lambda_1)` (proximal gradient descent, ISTA); this is only
    correct for plain SGD steps, so other optimizers are refused when ``objective.l1`` is set.

    **Stopping.** A full batch (``batch_size=None``, or at least the number of training rows)
    gives the exact gradient, so the run stops on it: at the start of an epoch, when

    .. math:: \max_j \left|\frac{\partial F}{\partial w_j}(w)\right| \le \mathrm{tol}

    (scikit-learn's rule for its full-gradient solvers, on the objective averaged over the
    samples; with an L1 term the proximal-gradient residual, see :func:`._objective.optimality`).
    A stochastic run only sees noisy gradients and stops on the loss instead, by scikit-learn's
    ``SGDClassifier`` rule: after every epoch the objective on the whole training set is
    computed, and training stops once it has failed to improve on the best value by more than
    ``tol`` for ``n_iter_no_change`` consecutive epochs
    (:class:`~fromscratch.optim.training.EarlyStopping` with ``rule="sgd"``). With
    ``early_stopping`` the objective on a held-out ``validation_fraction`` of the training data
    is watched by that same rule instead (full batch too), and the coefficients of the best
    validation epoch are returned. A run that uses up ``max_iter`` epochs first warns.
    ``tol=None`` means "run all ``max_iter`` epochs": no stopping rule (early stopping still
    applies) and no warning.

    Parameters
    ----------
    objective : Objective
    w0 : ndarray
        Starting coefficients (not modified).
    X, y : ndarray
        Training data.
    batch_size : int or None
        ``None``: full batch ("gd"); ``1``: "sgd"; otherwise "minibatch". Clipped to the
        number of training samples.
    optimizer : str or fromscratch.optim.Optimizer subclass, default "sgd"
    optimizer_params : dict, optional
        The optimizer's other hyper-parameters, e.g. ``{"momentum": 0.9, "nesterov": True}``.
    learning_rate : float
        The optimizer's ``lr``.
    max_iter : int
        Maximum number of epochs.
    tol : float or None
        Full batch: the largest gradient entry allowed at the solution. Stochastic (and early
        stopping): the improvement that resets the patience count. ``None`` runs all
        ``max_iter`` epochs (early stopping still applies).
    n_iter_no_change : int
        Patience, in epochs (stochastic runs and early stopping).
    early_stopping : bool
    validation_fraction : float
    stratify : ndarray, optional
        Class labels for a stratified validation split.
    sample_weight : ndarray of shape (n,), optional
        Weights of the rows, mean 1 (:mod:`._objective`): each batch passes its rows' weights
        to the objective, and the validation split takes its rows' weights with it.
    random_state : None, int or Generator
        Shuffling and the validation split.
    verbose : bool
        Show a tqdm progress bar with the current loss.
    callback : callable ``w -> bool``, optional
        Called after every epoch; returning ``True`` stops training (e.g. a model that detects
        that its optimum does not exist).

    Returns
    -------
    FitResult

    Raises
    ------
    DivergenceError
        The coefficients or the loss became infinite/NaN, the loss blew up
        (:func:`fromscratch.optim.training.divergence`), or training ended with the loss more
        than doubled from its start and from its best (a learning rate slightly too large
        makes the loss climb slowly; that is divergence too, never "convergence").

    Warns
    -----
    ConvergenceWarning
        ``max_iter`` epochs ran out before the stopping rule was met (not with ``tol=None``,
        nor when ``callback`` stopped the run).
    UserWarning
        ``batch_size`` larger than the number of training samples: it is clipped to that number
        (as scikit-learn's MLP does), which makes the run full-batch gradient descent.
    """
    from fromscratch.autodiff import Tensor

    if batch_size is not None and batch_size > X.shape[0]:
        warn_at_caller(
            f"batch_size={batch_size} is larger than the number of training samples "
            f"({X.shape[0]}); it is clipped to {X.shape[0]} (full-batch gradient descent).",
            UserWarning,
        )
    rng = check_random_state(random_state)
    # The arrays a batch takes rows of: (X, y), or (X, y, s) with weights.
    data = (X, y) if sample_weight is None else (X, y, sample_weight)
    if early_stopping:
        train, val = validation_split(X.shape[0], validation_fraction, rng, stratify)
        data, val_data = tuple(a[train] for a in data), tuple(a[val] for a in data)
    n = data[0].shape[0]
    batch = n if batch_size is None else min(int(batch_size), n)
    full_batch = batch == n

    w = Tensor(np.array(w0, dtype=X.dtype, copy=True), requires_grad=True)
    opt = _make_optimizer(optimizer, optimizer_params, learning_rate, w)
    if objective.l1 is not None and np.any(objective.l1 > 0) and not _is_plain_sgd(opt):
        raise ValueError(
            "An L1 penalty is applied by a proximal (soft-thresholding) step, which is exact "
            "only for plain SGD steps; use optimizer='sgd' without momentum or weight_decay "
            f"(got {type(opt).__name__} with {optimizer_params or {}}), or the 'newton' solver."
        )
    l1_step = None if objective.l1 is None else learning_rate * objective.l1
    hint = learning_rate_hint(learning_rate, "learning_rate")

    def gradient_optimality() -> tuple[np.ndarray, float]:
        """The full training gradient at ``w`` and how far ``w`` is from the minimum."""
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
            g = objective.gradient(w.data, *data)
        return g, optimality(w.data, g, objective.l1)

    start_loss = objective.value(w.data, *data)
    losses: list[float] = []
    val_losses: list[float] = []
    # The loss-based rule: for stochastic runs on the training loss, and under early stopping
    # on the validation loss whatever the batch.
    patience = None
    if early_stopping or (tol is not None and not full_batch):
        patience = EarlyStopping(n_iter_no_change, tol or 0.0, rule="sgd")
    best_w = w.data.copy()
    converged = stopped = False

    epochs: Any = range(1, max_iter + 1)  # wrapped by tqdm when verbose
    if verbose:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc="epochs", unit="epoch")
    for epoch in epochs:
        g = None
        if full_batch:  # the exact gradient: stop on it, or step with it
            g, distance = gradient_optimality()
            if tol is not None and distance <= tol:
                converged = True
                break
            epoch_data: tuple[np.ndarray, ...] = data  # no shuffle: the same gradient
        else:
            order = rng.permutation(n)
            epoch_data = tuple(a[order] for a in data)
        # A diverging run overflows; that is detected below and reported with a hint, so
        # NumPy's own overflow warnings would only be noise.
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, n, batch):
                batch_data = tuple(a[start : start + batch] for a in epoch_data)
                w.grad = objective.gradient(w.data, *batch_data) if g is None else g
                opt.step()
                if l1_step is not None:
                    w.data[...] = soft_threshold(w.data, l1_step)
                if not np.isfinite(w.data).all():
                    raise divergence_error(
                        f"epoch {epoch}: the coefficients became infinite or NaN", hint)
            loss = objective.value(w.data, *data)
        what = divergence(loss, start_loss)
        if what is not None:
            raise divergence_error(
                f"epoch {epoch}: the loss {what} (from {start_loss:.4g} to {loss:.4g})", hint)
        losses.append(loss)
        monitored = loss
        if early_stopping:
            monitored = objective.value(w.data, *val_data)
            val_losses.append(monitored)
        if verbose:
            epochs.set_postfix(loss=f"{loss:.6g}")

        if patience is not None and patience.update(monitored) and early_stopping:
            best_w = w.data.copy()
        if callback is not None and callback(w.data):
            stopped = True
            break
        if patience is not None and patience.should_stop:
            converged = True
            break
    else:  # max_iter epochs ran: the last step may have met the gradient rule
        if full_batch and tol is not None:
            _, distance = gradient_optimality()
            converged = distance <= tol

    if verbose:
        epochs.close()
    if losses and losses[-1] > 2 * max(start_loss, min(losses)):
        # The stall rule also fires on a loss that keeps rising: a run that ends with its loss
        # more than doubled from both its start and its best diverged. (Stochastic runs hover
        # a little above their best; that is noise, not divergence.)
        raise divergence_error(
            f"after {len(losses)} epochs the loss rose from {start_loss:.4g} to "
            f"{losses[-1]:.4g}", hint)
    if not (converged or stopped or tol is None):
        if full_batch:
            method = "full-batch gradient descent"
            unmet = f"max|∂F/∂w| = {distance:.3g} > tol={tol:g}"
        else:
            method = "stochastic gradient descent" if batch == 1 else (
                f"mini-batch gradient descent (batch_size={batch})")
            unmet = (f"the {'validation' if early_stopping else 'training'} loss improved by "
                     f"more than tol={tol:g} within the last {n_iter_no_change} epochs")
        not_converged_warning(
            method, f"max_iter={max_iter} epochs", unmet,
            "increase max_iter or learning_rate, or loosen tol (tol=None runs max_iter epochs "
            "without this warning)")
    if early_stopping:
        assert patience is not None  # early stopping always keeps one
        coef, best_iteration = best_w, patience.best_epoch
    else:
        coef, best_iteration = w.data.copy(), len(losses)
    return FitResult(
        coef=coef,
        n_iter=len(losses),
        loss_curve=np.asarray(losses),
        validation_loss_curve=np.asarray(val_losses) if early_stopping else None,
        best_iteration=best_iteration,
        converged=converged,
    )
