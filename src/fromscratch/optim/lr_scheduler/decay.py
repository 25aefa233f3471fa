r"""Schedules that are a function of the epoch: StepLR, MultiStepLR, ExponentialLR,
CosineAnnealingLR and LambdaLR (``torch.optim.lr_scheduler``).

As in PyTorch, ``step()`` computes the new rate *recursively* from the current ``group["lr"]``
(so schedulers can be chained: each one multiplies what the others left), while each class also
has the closed form as a function of the epoch (``_get_closed_form_lr``); the two agree to
rounding. :class:`LambdaLR` is the exception: it sets :math:`\gamma_0 \lambda(e)` outright.
"""

from __future__ import annotations

import math
import numbers
import types
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from fromscratch._validation import check_scalar
from fromscratch.optim.lr_scheduler.base import LRScheduler, check_optimizer
from fromscratch.optim.optimizer import Optimizer

__all__ = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR"]


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


class MultiStepLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` at each of the ``milestones`` epochs.

    .. math:: \gamma_e = \gamma_0\, g^{\,|\{m \in M :\, m \le e\}|}

    The milestones :math:`M` are counted as a multiset, as in PyTorch: their order does not
    matter, and a milestone listed twice multiplies by :math:`g^2` (a milestone 0 already decays
    the rate the constructor sets).

    Parameters
    ----------
    optimizer : Optimizer
    milestones : iterable of int
        Epochs :math:`\ge 0` at which to decay.
    gamma : float, default 0.1
        Factor :math:`g > 0`.
    last_epoch : int, default -1
    """

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Iterable):
            raise TypeError(f"milestones must be an iterable of epochs (ints), got {milestones!r}.")
        self.milestones = Counter(
            check_scalar(m, f"milestones[{i}]", kind=int, min_val=0)
            for i, m in enumerate(milestones)
        )
        self.gamma = check_scalar(gamma, "gamma", min_val=0.0, include_min=False)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch not in self.milestones:
            return self._current_lrs()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._current_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        passed = bisect_right(sorted(Counter(self.milestones).elements()), self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]


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


class LambdaLR(LRScheduler):
    r"""Set the learning rate to the base rate times a function of the epoch:

    .. math:: \gamma_e = \gamma_0\, \lambda(e),

    e.g. a linear warm-up ``lambda e: min(1, (e + 1) / 10)``. Unlike the other schedules it is
    not recursive, so it does not chain with them.

    Parameters
    ----------
    optimizer : Optimizer
    lr_lambda : callable or list of callables
        :math:`\lambda(e)`, a finite factor :math:`\ge 0` for the epoch :math:`e`; one for all
        groups or one per group.
    last_epoch : int, default -1

    Notes
    -----
    As in PyTorch, :meth:`state_dict` cannot save a function: an entry of ``"lr_lambdas"`` is
    ``None`` for a plain function or lambda, and the attribute dict (``__dict__``) of a
    callable object, whose state (say, a warm-up length) :meth:`load_state_dict` puts back into
    this scheduler's own objects. So rebuild the scheduler with the same functions, then load
    the state.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        n_groups = len(check_optimizer(optimizer).param_groups)
        lambdas = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) \
            else [lr_lambda] * n_groups
        if len(lambdas) != n_groups:
            raise ValueError(
                f"lr_lambda must be one function or one per parameter group ({n_groups}); got "
                f"{len(lambdas)}."
            )
        for i, fn in enumerate(lambdas):
            if not callable(fn):
                raise TypeError(
                    f"lr_lambda[{i}] must be a function of the epoch, got {type(fn).__name__}."
                )
        self.lr_lambdas = lambdas
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        rates: list[float] = []
        for i, (fn, base) in enumerate(zip(self.lr_lambdas, self.base_lrs, strict=True)):
            factor = fn(self.last_epoch)
            if isinstance(factor, bool) or not isinstance(factor, numbers.Real) \
                    or not 0 <= factor < math.inf:
                raise ValueError(
                    f"lr_lambda[{i}]({self.last_epoch}) returned {factor!r}; the factor must be "
                    "a finite number >= 0."
                )
            rates.append(base * factor)
        return rates

    def state_dict(self) -> dict[str, Any]:
        """The state, with ``lr_lambdas`` as ``None`` (functions) or attribute dicts (callable
        objects); see the class notes."""
        state = {key: value for key, value in super().state_dict().items() if key != "lr_lambdas"}
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) or not hasattr(fn, "__dict__")
            else dict(vars(fn))
            for fn in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state; the saved attribute dicts update this scheduler's callables."""
        state = dict(state_dict)
        saved = state.pop("lr_lambdas", [None] * len(self.lr_lambdas))
        if len(saved) != len(self.lr_lambdas):
            raise ValueError(
                f"state_dict has {len(saved)} lr_lambdas, this scheduler has "
                f"{len(self.lr_lambdas)}."
            )
        super().load_state_dict(state)
        for fn, attributes in zip(self.lr_lambdas, saved, strict=True):
            if attributes is not None:
                vars(fn).update(attributes)
