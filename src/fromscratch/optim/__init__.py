"""Optimizers with the ``torch.optim`` API: the same class names, hyper-parameters, defaults and
update equations, so results can be compared with PyTorch number for number.

Each optimizer is a class that holds the state and a pure, module-level update function that
holds the math (its docstring has the equations)::

    opt = Adam(model.parameters(), lr=1e-3)
    for x, y in batches:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

or, for a function of a vector, ``minimize(f, x0, optimizer="adam", lr=1e-2)``.
"""

from fromscratch.optim.adadelta import Adadelta
from fromscratch.optim.adagrad import Adagrad
from fromscratch.optim.adam import Adam, Adamax, AdamW, NAdam
from fromscratch.optim.lbfgs import LBFGS
from fromscratch.optim.lr_scheduler import (
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LRScheduler,
    MultiStepLR,
    OneCycleLR,
    ReduceLROnPlateau,
    StepLR,
)
from fromscratch.optim.minimize import MinimizeResult, minimize
from fromscratch.optim.newton import Newton
from fromscratch.optim.optimizer import Optimizer
from fromscratch.optim.registry import OPTIMIZERS, optimizer_class
from fromscratch.optim.rmsprop import RMSprop
from fromscratch.optim.sgd import SGD
from fromscratch.optim.textbook import FunctionalOptimizer

__all__ = [
    "Optimizer",
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adadelta",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "LBFGS",
    "Newton",
    "FunctionalOptimizer",
    "minimize",
    "MinimizeResult",
    "OPTIMIZERS",
    "optimizer_class",
    "LRScheduler",
    "StepLR",
    "ExponentialLR",
    "CosineAnnealingLR",
    "MultiStepLR",
    "LambdaLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
]
