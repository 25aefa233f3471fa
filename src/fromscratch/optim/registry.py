"""Optimizers by name: the one lookup used by ``minimize``, the linear models and the MLPs."""

from __future__ import annotations

from typing import Any

from fromscratch._param_validation import Check
from fromscratch._validation import check_choice
from fromscratch.optim.adadelta import Adadelta
from fromscratch.optim.adagrad import Adagrad
from fromscratch.optim.adam import Adam, Adamax, AdamW, NAdam
from fromscratch.optim.lbfgs import LBFGS
from fromscratch.optim.newton import Newton
from fromscratch.optim.optimizer import Optimizer
from fromscratch.optim.rmsprop import RMSprop
from fromscratch.optim.sgd import SGD

__all__ = ["OPTIMIZERS", "OPTIMIZER_RULE", "optimizer_class"]

#: Every optimizer by its lower-case name.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.__name__.lower(): cls
    for cls in (SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW, Adamax, NAdam, LBFGS, Newton)
}

#: Optimizers whose ``step()`` needs a closure that re-evaluates the function (not just .grad).
NEEDS_CLOSURE = (LBFGS, Newton)


def optimizer_class(optimizer: Any, *, gradient_only: bool = False) -> type[Optimizer]:
    """The optimizer class for a name (``"adam"``, ``"SGD"``, ``"rmsprop"``, any case) or a class.

    With ``gradient_only=True`` (training loops that call ``step()`` after ``backward()``),
    optimizers that need a closure — L-BFGS and Newton — are not offered. Unknown names raise a
    ``ValueError`` that lists the valid ones and suggests close matches.
    """
    choices = {
        name: cls for name, cls in OPTIMIZERS.items()
        if not (gradient_only and issubclass(cls, NEEDS_CLOSURE))
    }
    if isinstance(optimizer, str):
        name = optimizer.lower()
        if name not in OPTIMIZERS:
            check_choice(name, "optimizer", tuple(choices))  # raises, with close matches
        cls = OPTIMIZERS[name]
    elif isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        cls = optimizer
    else:
        raise TypeError(
            f"optimizer must be a name ({', '.join(choices)}) or a fromscratch.optim.Optimizer "
            f"subclass; got {type(optimizer).__name__} {optimizer!r}."
        )
    if gradient_only and issubclass(cls, NEEDS_CLOSURE):
        raise ValueError(
            f"optimizer {cls.__name__} needs a closure that re-evaluates the function, "
            f"which this training loop does not give; use one of {', '.join(choices)}."
        )
    return cls


#: ``optimizer`` in the table of parameter rules of an estimator trained by ``step()`` after
#: ``backward()``: a name or an :class:`Optimizer` subclass, validated to the class.
OPTIMIZER_RULE = Check(lambda value, name: optimizer_class(value, gradient_only=True),
                       "an optimizer name or a fromscratch.optim.Optimizer subclass",
                       invalid=("adamm", 3, "lbfgs"))
