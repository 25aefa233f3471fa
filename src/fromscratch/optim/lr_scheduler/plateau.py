r"""Reduce the learning rate when a monitored metric stops improving
(``torch.optim.lr_scheduler.ReduceLROnPlateau``)."""

from __future__ import annotations

import math
from typing import Any

from fromscratch._validation import check_choice, check_scalar
from fromscratch.optim.lr_scheduler.base import LRScheduler, check_optimizer, per_group
from fromscratch.optim.optimizer import Optimizer, non_negative

__all__ = ["ReduceLROnPlateau"]


class ReduceLROnPlateau(LRScheduler):
    r"""Multiply the learning rate by ``factor`` once the metric has not improved for more than
    ``patience`` epochs. Its ``step`` takes the metric: ``scheduler.step(val_loss)``.

    A value :math:`v` improves on the best so far, :math:`b`, when (mode ``"min"``, threshold
    :math:`\tau`)

    .. math:: v < b\,(1 - \tau) \ \text{(rel)} \qquad\text{or}\qquad v < b - \tau \ \text{(abs)},

    (``"max"``: :math:`v > b\,(1 + \tau)` or :math:`v > b + \tau`), so that noise-level gains
    do not count. An improvement sets :math:`b = v` and resets the count of bad epochs;
    otherwise the count grows. When it exceeds ``patience``, every group's rate becomes

    .. math:: \gamma \leftarrow \max(f \gamma,\ \gamma_{min}),

    unless that changes it by no more than ``eps`` (the rate has reached ``min_lr``); the count
    restarts and, for ``cooldown`` epochs, bad epochs are not counted (the model gets time to
    profit from the new rate). The first value is always an improvement on :math:`b = \pm\infty`.

    Parameters
    ----------
    optimizer : Optimizer
    mode : {"min", "max"}, default "min"
        Whether the metric should decrease (a loss) or increase (an accuracy).
    factor : float in (0, 1), default 0.1
    patience : int >= 0, default 10
        Bad epochs tolerated; the rate drops on bad epoch ``patience + 1``.
    threshold : float >= 0, default 1e-4
    threshold_mode : {"rel", "abs"}, default "rel"
    cooldown : int >= 0, default 0
    min_lr : float or list of float >= 0, default 0
        :math:`\gamma_{min}`, one for all groups or one per group.
    eps : float >= 0, default 1e-8

    Notes
    -----
    As in PyTorch, the state dict holds every attribute (``best``, ``num_bad_epochs``,
    ``cooldown_counter``...); there is no ``base_lrs``. ``fit`` in :mod:`fromscratch.nn` passes
    it the monitored loss every epoch. A NaN metric is refused (PyTorch counts it as a bad
    epoch): it means training diverged, which a smaller learning rate later will not undo.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | list[float] = 0,
        eps: float = 1e-8,
    ) -> None:
        self.factor = check_scalar(factor, "factor", min_val=0.0, max_val=1.0, include_min=False,
                                   include_max=False)
        self.optimizer = check_optimizer(optimizer)
        if isinstance(min_lr, (list, tuple)):
            self.default_min_lr = None
        else:
            self.default_min_lr = non_negative(min_lr, "min_lr")
        self.min_lrs = per_group(min_lr, "min_lr", optimizer, non_negative)
        self.patience = check_scalar(patience, "patience", kind=int, min_val=0)
        self.cooldown = check_scalar(cooldown, "cooldown", kind=int, min_val=0)
        self.eps = non_negative(eps, "eps")
        self.last_epoch = 0
        self._last_lr = self._current_lrs()
        self._init_is_better(mode, threshold, threshold_mode)
        self._reset()

    def _init_is_better(self, mode: str, threshold: float, threshold_mode: str) -> None:
        self.mode = check_choice(mode, "mode", ("min", "max"))
        self.threshold = non_negative(threshold, "threshold")
        self.threshold_mode = check_choice(threshold_mode, "threshold_mode", ("rel", "abs"))
        self.mode_worse = math.inf if self.mode == "min" else -math.inf

    def _reset(self) -> None:
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _is_better(self, a: float, best: float) -> bool:
        """Whether ``a`` improves on ``best`` by more than the threshold (see the class doc)."""
        if self.mode == "min":
            return a < (best * (1.0 - self.threshold) if self.threshold_mode == "rel"
                        else best - self.threshold)
        return a > (best * (self.threshold + 1.0) if self.threshold_mode == "rel"
                    else best + self.threshold)

    def step(self, metrics: Any) -> None:  # type: ignore[override]
        """Record one epoch's metric (a number or a 0-d array/Tensor); maybe reduce the rate."""
        try:
            current = float(metrics)
        except (TypeError, ValueError):
            raise TypeError(
                f"metrics must be one number (the monitored loss or score), got "
                f"{type(metrics).__name__} {metrics!r}."
            ) from None
        if math.isnan(current):
            raise ValueError(
                "metrics is NaN: the monitored quantity diverged; lower the learning rate or "
                "check the data instead of waiting for a plateau."
            )
        self.last_epoch += 1
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_lrs()

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise ValueError(
                    f"the optimizer has {len(groups)} parameter groups, but min_lr lists "
                    f"{len(self.min_lrs)} (a group was added after the scheduler was built); "
                    "set scheduler.min_lrs to one value per group."
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs, strict=True):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict` (ours or PyTorch's)."""
        super().load_state_dict(state_dict)
        self._init_is_better(self.mode, self.threshold, self.threshold_mode)
