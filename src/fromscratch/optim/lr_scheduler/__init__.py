r"""Learning-rate schedules (``torch.optim.lr_scheduler``): StepLR, MultiStepLR, ExponentialLR,
CosineAnnealingLR, LambdaLR, OneCycleLR and ReduceLROnPlateau.

A scheduler rewrites ``group["lr"]`` in its optimizer's parameter groups. Call
``scheduler.step()`` once per epoch (once per batch for :class:`OneCycleLR`), **after**
``optimizer.step()``::

    opt = SGD(params, lr=0.1)
    sched = CosineAnnealingLR(opt, T_max=100)
    for epoch in range(100):
        train_one_epoch(opt)
        sched.step()

:class:`ReduceLROnPlateau` instead watches a metric: ``sched.step(val_loss)``.

Constructing a scheduler sets ``group["initial_lr"]`` and counts as epoch 0. Every scheduler
has ``state_dict()`` / ``load_state_dict()`` with PyTorch's keys (all attributes but the
optimizer, which is saved on its own): to resume, rebuild the optimizer and the scheduler, load
the optimizer's state, then the scheduler's. The classes match PyTorch's learning rates exactly
(the same recursion, the same rounding; ``tests/optim/test_lr_scheduler.py``).

Modules: :mod:`~.base` (:class:`LRScheduler`), :mod:`~.decay` (the schedules that are functions
of the epoch), :mod:`~.one_cycle`, :mod:`~.plateau`.
"""

from fromscratch.optim.lr_scheduler.base import LRScheduler
from fromscratch.optim.lr_scheduler.decay import (
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    MultiStepLR,
    StepLR,
)
from fromscratch.optim.lr_scheduler.one_cycle import OneCycleLR
from fromscratch.optim.lr_scheduler.plateau import ReduceLROnPlateau

__all__ = [
    "LRScheduler",
    "StepLR",
    "MultiStepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "LambdaLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
]
