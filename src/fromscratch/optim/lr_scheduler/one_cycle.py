r"""The 1cycle policy (``torch.optim.lr_scheduler.OneCycleLR``): warm up to a large learning
rate, then anneal far below the start, with the momentum cycling the other way."""

from __future__ import annotations

import math
from typing import Any

from fromscratch._validation import check_choice, check_scalar
from fromscratch.optim.lr_scheduler.base import LRScheduler, check_optimizer, per_group
from fromscratch.optim.optimizer import Optimizer, flag, positive, unit_interval

__all__ = ["OneCycleLR"]


def _anneal_cos(start: float, end: float, pct: float) -> float:
    r"""Half a cosine from ``start`` (pct 0) to ``end`` (pct 1):
    :math:`b + \tfrac12 (a - b)(1 + \cos \pi t)`."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _anneal_linear(start: float, end: float, pct: float) -> float:
    r"""The straight line from ``start`` to ``end``: :math:`a + (b - a)\,t`."""
    return (end - start) * pct + start


_ANNEAL = {"cos": _anneal_cos, "linear": _anneal_linear}


def _phase(end_step: float, start: str, end: str, start_momentum: str, end_momentum: str) -> dict:
    """A phase of the cycle: where it ends and which group entries it anneals between
    (PyTorch's layout, so that state dicts load both ways)."""
    return {"end_step": end_step, "start_lr": start, "end_lr": end,
            "start_momentum": start_momentum, "end_momentum": end_momentum}


class OneCycleLR(LRScheduler):
    r"""The 1cycle learning-rate policy (Smith & Topin 2019, "Super-convergence"), stepped once
    per *batch*.

    With :math:`\gamma_{max}` = ``max_lr``, the cycle runs through three rates,

    .. math:: \gamma_0 = \frac{\gamma_{max}}{\text{div\_factor}}, \qquad \gamma_{max}, \qquad
        \gamma_{min} = \frac{\gamma_0}{\text{final\_div\_factor}},

    in phases that end at step :math:`s_1 = p T - 1` and :math:`T - 1` (:math:`T` =
    ``total_steps``, :math:`p` = ``pct_start``): :math:`\gamma_0 \to \gamma_{max}` then
    :math:`\gamma_{max} \to \gamma_{min}`. With ``three_phase`` (the paper's version):
    :math:`\gamma_0 \to \gamma_{max}` until :math:`p T - 1`, back to :math:`\gamma_0` until
    :math:`2 p T - 2`, then :math:`\gamma_0 \to \gamma_{min}` until :math:`T - 1`. Within a
    phase from step :math:`s_a` (the previous phase's end, 0 for the first) to :math:`s_b`,
    at step :math:`s`, with :math:`t = (s - s_a) / (s_b - s_a)`,

    .. math:: \gamma_s = \gamma_b + \tfrac12(\gamma_a - \gamma_b)(1 + \cos \pi t)
        \quad\text{(cos)} \qquad\text{or}\qquad \gamma_s = \gamma_a + (\gamma_b - \gamma_a)\,t
        \quad\text{(linear)}.

    The large rates in the middle act as a regulariser; the long anneal to a tiny rate settles
    into a minimum. With ``cycle_momentum`` the momentum (SGD's ``momentum``, or
    :math:`\beta_1` of Adam-like ``betas``) moves the opposite way between ``max_momentum``
    and ``base_momentum``, along the same phases: low momentum while the rate is high keeps the
    effective step :math:`\gamma/(1-\mu)` in check. The momentum of the last phase of
    ``three_phase`` stays at ``max_momentum``.

    The schedule is not recursive (it does not chain with other schedulers). The constructor
    writes ``initial_lr``, ``max_lr``, ``min_lr`` (and ``max_momentum``, ``base_momentum``) into
    every parameter group, as PyTorch does; a resumed scheduler (``last_epoch >= 0``) reads them
    from the optimizer's loaded state dict.

    Parameters
    ----------
    optimizer : Optimizer
    max_lr : float or list of float
        Peak rate :math:`\gamma_{max} > 0`, one for all groups or one per group.
    total_steps : int, optional
        :math:`T`; else ``epochs * steps_per_epoch``.
    epochs, steps_per_epoch : int, optional
    pct_start : float in [0, 1], default 0.3
        Fraction :math:`p` of the steps spent warming up.
    anneal_strategy : {"cos", "linear"}, default "cos"
    cycle_momentum : bool, default True
        Needs an optimizer with ``momentum`` or ``betas``.
    base_momentum, max_momentum : float or list of float in [0, 1], defaults 0.85, 0.95
    div_factor : float > 0, default 25
    final_div_factor : float > 0, default 1e4
    three_phase : bool, default False
    last_epoch : int, default -1
        The last *step* taken, to resume a schedule.

    Notes
    -----
    Two details follow PyTorch exactly: the schedule accepts one step past the end (step
    :math:`T`, which extrapolates the last phase) and refuses the next; and each phase starts at
    the previous one's end step, not one after it. One does not: a phase of length 0 (e.g.
    :math:`pT = 1`, where PyTorch divides 0 by 0) is at its end value, :math:`t = 1`.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        self.optimizer = optimizer = check_optimizer(optimizer)
        last_epoch = check_scalar(last_epoch, "last_epoch", kind=int, min_val=-1)
        if total_steps is not None:
            self.total_steps = check_scalar(total_steps, "total_steps", kind=int, min_val=1)
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = check_scalar(epochs, "epochs", kind=int, min_val=1) \
                * check_scalar(steps_per_epoch, "steps_per_epoch", kind=int, min_val=1)
        else:
            raise ValueError(
                "OneCycleLR needs the length of the cycle: total_steps, or both epochs and "
                "steps_per_epoch."
            )
        pct_start = check_scalar(pct_start, "pct_start", min_val=0.0, max_val=1.0)
        self._anneal_func_type = check_choice(anneal_strategy, "anneal_strategy", tuple(_ANNEAL))
        self.cycle_momentum = flag(cycle_momentum, "cycle_momentum")
        div_factor = positive(div_factor, "div_factor")
        final_div_factor = positive(final_div_factor, "final_div_factor")
        T, warm_up_end = self.total_steps, float(pct_start * self.total_steps) - 1
        if flag(three_phase, "three_phase"):
            self._schedule_phases = [
                _phase(warm_up_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                _phase(float(2 * pct_start * T) - 2, "max_lr", "initial_lr", "base_momentum",
                       "max_momentum"),
                _phase(T - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
        else:
            self._schedule_phases = [
                _phase(warm_up_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                _phase(T - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ]

        max_lrs = per_group(max_lr, "max_lr", optimizer, positive)
        if last_epoch == -1:
            for group, peak in zip(optimizer.param_groups, max_lrs, strict=True):
                group["initial_lr"] = peak / div_factor
                group["max_lr"] = peak
                group["min_lr"] = group["initial_lr"] / final_div_factor
        if self.cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(
                    f"cycle_momentum=True needs an optimizer with 'momentum' or 'betas'; "
                    f"{type(optimizer).__name__} has neither. Pass cycle_momentum=False."
                )
            self.use_beta1 = "betas" in optimizer.defaults
            max_momentums = per_group(max_momentum, "max_momentum", optimizer, unit_interval)
            base_momentums = per_group(base_momentum, "base_momentum", optimizer, unit_interval)
            if last_epoch == -1:
                for group, high, low in zip(
                    optimizer.param_groups, max_momentums, base_momentums, strict=True
                ):
                    self._set_momentum(group, high)
                    group["max_momentum"], group["base_momentum"] = high, low
        if last_epoch != -1:
            momentum_keys = ("max_momentum", "base_momentum") if self.cycle_momentum else ()
            self._check_resumable(last_epoch, ("max_lr", "min_lr", *momentum_keys))
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group: dict[str, Any], momentum: float) -> None:
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def get_lr(self) -> list[float]:
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"OneCycleLR stepped {step} times, past its total_steps={self.total_steps}; "
                "make total_steps (or epochs * steps_per_epoch) cover every batch of training."
            )
        anneal = _ANNEAL[self._anneal_func_type]
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step <= end_step or i == len(self._schedule_phases) - 1:
                    length = end_step - start_step
                    pct = (step - start_step) / length if length != 0 else 1.0
                    break
                start_step = end_step
            lrs.append(anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
            if self.cycle_momentum:
                self._set_momentum(
                    group, anneal(group[phase["start_momentum"]], group[phase["end_momentum"]],
                                  pct)
                )
        return lrs
