"""The scheduler base class (``torch.optim.lr_scheduler.LRScheduler``) and its argument checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fromscratch._validation import check_scalar
from fromscratch.exceptions import warn_at_caller
from fromscratch.optim.optimizer import Optimizer

__all__ = ["LRScheduler"]


def check_optimizer(optimizer: Any) -> Optimizer:
    """``optimizer`` itself, if it is one of ours (a scheduler writes into its param groups)."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be a fromscratch.optim.Optimizer, got {type(optimizer).__name__}."
        )
    return optimizer


def per_group(
    value: Any, name: str, optimizer: Optimizer, check: Callable[[Any, str], Any]
) -> list[Any]:
    """One checked value per parameter group: ``value`` repeated, or a list/tuple of them
    (PyTorch's ``_format_param``)."""
    n_groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n_groups:
            raise ValueError(
                f"{name} must be one value or one per parameter group ({n_groups}); got "
                f"{len(value)} values."
            )
        return [check(v, f"{name}[{i}]") for i, v in enumerate(value)]
    return [check(value, name)] * n_groups


class LRScheduler:
    """Base class: tracks the epoch, the base learning rates and the last rates set.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose ``param_groups[i]["lr"]`` are scheduled.
    last_epoch : int, default -1
        Index of the last epoch; -1 starts a new schedule. A value >= 0 resumes one and needs
        ``"initial_lr"`` in every group (restore the optimizer's state dict first).

    Attributes
    ----------
    base_lrs : list of float
        Each group's ``initial_lr``.
    last_epoch : int
        The epoch whose learning rates are in the optimizer now.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        self.optimizer = check_optimizer(optimizer)
        last_epoch = check_scalar(last_epoch, "last_epoch", kind=int, min_val=-1)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            self._check_resumable(last_epoch, ("initial_lr",))
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True  # the constructor's own step sets epoch 0 and keeps the rates
        self.step()
        self._is_initial = False

    def _check_resumable(self, last_epoch: int, keys: tuple[str, ...]) -> None:
        """Resuming needs the entries a fresh start wrote into every parameter group."""
        for i, group in enumerate(self.optimizer.param_groups):
            missing = [key for key in keys if key not in group]
            if missing:
                names = ", ".join(repr(key) for key in missing)
                raise ValueError(
                    f"last_epoch={last_epoch} resumes a schedule, but param_groups[{i}] has no "
                    f"{names}; load the optimizer's state_dict first, or use last_epoch=-1."
                )

    def get_lr(self) -> list[float]:
        """The learning rates of epoch ``last_epoch``, from the current ones (recursive form)."""
        raise NotImplementedError

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self) -> None:
        """Advance one epoch and write the new learning rates into the optimizer.

        Call it after ``optimizer.step()``: the first call, if the optimizer has not stepped
        yet, warns as PyTorch does, since the first learning rate of the schedule is then
        never used.
        """
        if self._step_count == 1 and not self.optimizer._step_called:
            warn_at_caller(
                f"{type(self).__name__}.step() was called before optimizer.step(), so the "
                "first learning rate of the schedule is skipped. Call optimizer.step() "
                "first, then scheduler.step().",
                UserWarning,
            )
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr(), strict=True):
            group["lr"] = lr
        self._last_lr = self._current_lrs()

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step()`` set (one per parameter group)."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer (which is saved separately), with PyTorch's keys:
        plain data that ``fromscratch.save`` stores."""
        return {
            key: list(value) if isinstance(value, list) else value
            for key, value in self.__dict__.items()
            if key != "optimizer"
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict` (ours or PyTorch's)."""
        self.__dict__.update(state_dict)
