"""Learning-rate schedules (``torch.optim.lr_scheduler``): StepLR, ExponentialLR, CosineAnnealingLR.

A scheduler rewrites ``group["lr"]`` in its optimizer's parameter groups. Call
``scheduler.step()`` once per epoch, **after** ``optimizer.step()``::

    opt = SGD(params, lr=0.1)
    sched = CosineAnnealingLR(opt, T_max=100)
    for epoch in range(100):
        train_one_epoch(opt)
        sched.step()

As in PyTorch, ``step()`` computes the new rate *recursively* from the current ``group["lr"]``
(so schedulers can be chained: each one multiplies what the others left), while each class also
has the closed form as a function of the epoch (``_get_closed_form_lr``); the two agree to
rounding. Constructing a scheduler sets ``group["initial_lr"]`` and counts as epoch 0.
"""

from __future__ import annotations

import math
from typing import Any

from fromscratch._validation import check_scalar
from fromscratch.optim.optimizer import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR"]


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
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"optimizer must be a fromscratch.optim.Optimizer, got {type(optimizer).__name__}."
            )
        last_epoch = check_scalar(last_epoch, "last_epoch", kind=int, min_val=-1)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise ValueError(
                        f"last_epoch={last_epoch} resumes a schedule, but param_groups[{i}] has no "
                        "'initial_lr'; load the optimizer's state_dict first, or use last_epoch=-1."
                    )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True  # the constructor's own step sets epoch 0 and keeps the rates
        self.step()
        self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rates of epoch ``last_epoch``, from the current ones (recursive form)."""
        raise NotImplementedError

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self) -> None:
        """Advance one epoch and write the new learning rates into the optimizer."""
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr(), strict=True):
            group["lr"] = lr
        self._last_lr = self._current_lrs()

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step()`` set (one per parameter group)."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer (which is saved separately)."""
        return {
            key: list(value) if isinstance(value, list) else value
            for key, value in self.__dict__.items()
            if key != "optimizer"
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`."""
        self.__dict__.update(state_dict)


class StepLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    .. math:: \gamma_e = \gamma_0\, g^{\lfloor e / s \rfloor}

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        Period :math:`s \ge 1` of the decay, in epochs.
    gamma : float, default 0.1
        Factor :math:`g > 0`.
    last_epoch : int, default -1
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        self.step_size = check_scalar(step_size, "step_size", kind=int, min_val=1)
        self.gamma = check_scalar(gamma, "gamma", min_val=0.0, include_min=False)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every epoch.

    .. math:: \gamma_e = \gamma_0\, g^{e}

    Parameters
    ----------
    optimizer : Optimizer
    gamma : float
        Factor :math:`g > 0` per epoch.
    last_epoch : int, default -1
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = check_scalar(gamma, "gamma", min_val=0.0, include_min=False)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    r"""Cosine annealing from the base rate down to ``eta_min`` over ``T_max`` epochs
    (Loshchilov & Hutter 2017, SGDR without restarts).

    Closed form:

    .. math:: \gamma_e = \eta_{min} + \tfrac12(\gamma_0 - \eta_{min})
        \left(1 + \cos\frac{\pi e}{T_{max}}\right)

    ``step()`` uses PyTorch's recursive form, the ratio of consecutive closed forms applied to
    the current rate,

    .. math:: \gamma_e = \eta_{min} + (\gamma_{e-1} - \eta_{min})
        \frac{1 + \cos(\pi e / T_{max})}{1 + \cos(\pi (e-1) / T_{max})},

    so that it composes with other schedulers. The ratio is 0/0 at
    :math:`e = T_{max} + 1 + 2kT_{max}` (leaving the bottom of the cosine), where the step is
    taken additively instead. Past
    :math:`T_{max}` the rate rises again along the cosine (period :math:`2T_{max}`).

    Parameters
    ----------
    optimizer : Optimizer
    T_max : int
        Half-period :math:`T_{max} \ge 1`, in epochs.
    eta_min : float, default 0
        Lowest learning rate :math:`\eta_{min} \ge 0`.
    last_epoch : int, default -1
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        self.T_max = check_scalar(T_max, "T_max", kind=int, min_val=1)
        self.eta_min = check_scalar(eta_min, "eta_min", min_val=0.0)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        e, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current_lrs()
        if (e - 1 - T) % (2 * T) == 0:  # leaving the bottom of the cosine: 0/0 in the ratio
            return [
                lr + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                for base, lr in zip(self.base_lrs, self._current_lrs(), strict=True)
            ]
        return [
            (1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T)) * (lr - eta_min)
            + eta_min
            for lr in self._current_lrs()
        ]

    def _get_closed_form_lr(self) -> list[float]:
        e, T = self.last_epoch, self.T_max
        return [
            self.eta_min + (base - self.eta_min) * (1 + math.cos(math.pi * e / T)) / 2
            for base in self.base_lrs
        ]
