"""A hyper-parameter's rule comes from its name: ``SHARED_RULES`` gives the rule of every name
several optimizers use, an optimizer's ``_rules`` only what is its own or differs, and the
hyper-parameters are read from the constructor's signature when the class is defined.

``TODAY`` writes out, optimizer by optimizer, the rule each hyper-parameter had when every
optimizer declared a table of its own: the shared table must give each optimizer exactly that
rule, with the same messages and the same accepted values.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from fromscratch import optim
from fromscratch._param_validation import non_negative, positive
from fromscratch.autodiff import Tensor
from fromscratch.optim.optimizer import SHARED_RULES
from fromscratch.optim.registry import OPTIMIZERS


@dataclass(frozen=True)
class Kind:
    """A kind of rule: a value it refuses with its exact message, and a boundary value it
    accepts with what that value becomes."""

    bad: Any
    error: type[Exception]
    message: str  # {name}: the argument's name as the message shows it
    good: Any
    checked: Any


NON_NEGATIVE = Kind(-0.5, ValueError, "{name} must be in [0, inf); got -0.5.", 0, 0.0)
POSITIVE = Kind(0.0, ValueError, "{name} must be in (0, inf); got 0.0.", 1e-300, 1e-300)
UNIT = Kind(1.5, ValueError, "{name} must be in [0, 1]; got 1.5.", 1, 1.0)
FLAG = Kind("yes", TypeError, "{name} must be True or False; got str 'yes' ({name} must be a "
            "bool).", np.bool_(False), False)
BETAS = Kind((0.9, 1.0), ValueError, "{name}[1] must be in [0, 1); got 1.0.", [0, 0.5],
             (0.0, 0.5))
POSITIVE_INT = Kind(0, ValueError, "{name} must be in [1, inf); got 0.", np.int64(3), 3)
STRONG_WOLFE = Kind("strong_wolf", ValueError, "{name} must be one of 'strong_wolfe'; got "
                    "'strong_wolf'. Did you mean 'strong_wolfe'?", None, None)
BACKTRACKING = Kind("strong_wolf", ValueError, "{name} must be one of 'backtracking'; got "
                    "'strong_wolf'.", None, None)

_ADAM = dict(lr=NON_NEGATIVE, betas=BETAS, eps=POSITIVE, weight_decay=NON_NEGATIVE, maximize=FLAG)

TODAY: dict[type, dict[str, Kind]] = {
    optim.SGD: dict(lr=NON_NEGATIVE, momentum=NON_NEGATIVE, dampening=UNIT,
                    weight_decay=NON_NEGATIVE, nesterov=FLAG, maximize=FLAG),
    optim.Adagrad: dict(lr=NON_NEGATIVE, lr_decay=NON_NEGATIVE, weight_decay=NON_NEGATIVE,
                        initial_accumulator_value=NON_NEGATIVE, eps=POSITIVE, maximize=FLAG),
    optim.RMSprop: dict(lr=NON_NEGATIVE, alpha=UNIT, eps=POSITIVE, weight_decay=NON_NEGATIVE,
                        momentum=NON_NEGATIVE, centered=FLAG, maximize=FLAG),
    optim.Adadelta: dict(lr=NON_NEGATIVE, rho=UNIT, eps=POSITIVE, weight_decay=NON_NEGATIVE,
                         maximize=FLAG),
    optim.Adam: {**_ADAM, "amsgrad": FLAG, "decoupled_weight_decay": FLAG},
    optim.AdamW: {**_ADAM, "amsgrad": FLAG},  # decoupled_weight_decay is fixed to True
    optim.Adamax: _ADAM,
    optim.NAdam: {**_ADAM, "momentum_decay": NON_NEGATIVE, "decoupled_weight_decay": FLAG},
    optim.LBFGS: dict(lr=POSITIVE, max_iter=POSITIVE_INT, max_eval=POSITIVE_INT,
                      tolerance_grad=NON_NEGATIVE, tolerance_change=NON_NEGATIVE,
                      history_size=POSITIVE_INT, line_search_fn=STRONG_WOLFE,
                      min_curvature=NON_NEGATIVE),
    optim.Newton: dict(lr=NON_NEGATIVE, damping=NON_NEGATIVE, line_search_fn=BACKTRACKING),
}

CASES = [pytest.param(cls, name, kind, id=f"{cls.__name__}-{name}")
         for cls, kinds in TODAY.items() for name, kind in kinds.items()]


def _param() -> Tensor:
    return Tensor(np.zeros(2), requires_grad=True)


def test_today_covers_every_optimizer_and_every_argument():
    assert set(TODAY) == set(OPTIMIZERS.values())
    for cls, kinds in TODAY.items():
        assert set(inspect.signature(cls).parameters) - {"params"} == set(kinds), cls.__name__


@pytest.mark.parametrize(("cls", "name", "kind"), CASES)
@pytest.mark.parametrize("where", ["", "param_groups[0]."], ids=["constructor", "group"])
def test_each_hyper_parameter_keeps_the_rule_it_had(cls, name, kind, where):
    """The same message for a bad value, given to the constructor or in a group, and the same
    value kept for a boundary value."""
    def make(value):
        if where:
            return cls([{"params": [_param()], name: value}])
        return cls([_param()], **{name: value})

    with pytest.raises(kind.error) as error:
        make(kind.bad)
    assert str(error.value) == kind.message.format(name=f"{where}{name}")
    kept = make(kind.good).param_groups[0][name]
    assert kept == kind.checked and type(kept) is type(kind.checked)


def test_an_optimizer_declares_only_the_rules_that_are_its_own():
    assert vars(optim.LBFGS)["_rules"]["lr"] is positive  # L-BFGS's lr must be > 0
    assert SHARED_RULES["lr"] is non_negative
    for cls in (optim.SGD, optim.Adagrad, optim.RMSprop, optim.Adadelta, optim.Adam,
                optim.Adamax, optim.NAdam):
        assert all(cls._rules[name] is SHARED_RULES[name] for name in cls._rules), cls.__name__


def test_a_hyper_parameter_without_a_rule_is_refused_when_the_class_is_defined():
    with pytest.raises(TypeError, match=r"^_Annealing\.__init__ takes the hyper-parameter "
                                        r"'temperature', which has no rule: add 'temperature'"):
        class _Annealing(optim.Optimizer):
            def __init__(self, params, lr=0.1, temperature=1.0):
                super().__init__(params, self._defaults_from(locals()))

    with pytest.raises(TypeError, match="'clip', which has no rule"):
        class _ClippedSGD(optim.SGD):  # a subclass's new argument needs a rule too
            def __init__(self, params, lr=0.1, clip=1.0, **kwargs):
                super().__init__(params, lr=lr, **kwargs)


def test_a_rule_without_a_hyper_parameter_is_refused_when_the_class_is_defined():
    with pytest.raises(TypeError, match=r"_Typo\._rules has a rule for 'clipp', which no "):
        class _Typo(optim.Optimizer):
            _rules = {"clipp": positive}

            def __init__(self, params, lr=0.1, clip=1.0):
                super().__init__(params, self._defaults_from(locals()))


class _ClippedGD(optim.Optimizer):
    """A user's optimizer: gradient descent whose steps are clipped to ``[-clip, clip]``;
    ``clip`` is its own hyper-parameter, ``lr`` and ``maximize`` are shared ones."""

    _rules = {"clip": positive}

    def __init__(self, params, lr=0.1, clip=1.0, *, maximize=False):
        super().__init__(params, self._defaults_from(locals()))

    def _init_state(self, p, group):
        return {}

    def _update(self, p, grad, state, group):
        g = -grad if group["maximize"] else grad
        p.data -= np.clip(group["lr"] * g, -group["clip"], group["clip"])


def test_a_user_optimizer_with_a_rule_of_its_own():
    assert _ClippedGD._rules == {"lr": non_negative, "clip": positive,
                                 "maximize": SHARED_RULES["maximize"]}
    p = _param()
    opt = _ClippedGD([p], clip=0.5)
    assert opt.defaults == {"lr": 0.1, "clip": 0.5, "maximize": False}
    p.grad = np.array([100.0, -1.0])
    opt.step()
    np.testing.assert_array_equal(p.data, [-0.5, 0.1])
    with pytest.raises(ValueError, match=r"^clip must be in \(0, inf\); got 0\.0\.$"):
        _ClippedGD([_param()], clip=0.0)
    with pytest.raises(ValueError, match=r"^param_groups\[0\]\.lr must be in \[0, inf\)"):
        _ClippedGD([{"params": [_param()], "lr": -1.0}])


def test_a_subclass_inherits_its_parents_rules_and_may_override_one():
    class _WarmClippedGD(_ClippedGD):  # no constructor of its own: the parent's arguments
        _rules = {"lr": positive}

    assert _WarmClippedGD._rules == {**_ClippedGD._rules, "lr": positive}
    _ClippedGD([_param()], lr=0.0)  # the parent still takes lr = 0
    with pytest.raises(ValueError, match=r"^lr must be in \(0, inf\); got 0\.0\.$"):
        _WarmClippedGD([_param()], lr=0.0)
    with pytest.raises(ValueError, match=r"^clip must be in \(0, inf\)"):
        _WarmClippedGD([_param()], clip=-1.0)


def test_arguments_passed_on_by_kwargs_keep_the_parents_rules():
    class _FastSGD(optim.SGD):
        def __init__(self, params, lr=0.5, **kwargs):
            super().__init__(params, lr=lr, **kwargs)

    assert _FastSGD._rules == optim.SGD._rules
    assert _FastSGD([_param()], momentum=0.9).defaults == {
        **optim.SGD([_param()]).defaults, "lr": 0.5, "momentum": 0.9}
    with pytest.raises(ValueError, match=r"^dampening must be in \[0, 1\]; got 2\.0\.$"):
        _FastSGD([_param()], dampening=2.0)


def test_functional_optimizer_takes_its_hyper_parameters_from_the_update():
    """Its ``update`` and ``initial_state`` are not hyper-parameters, and any keyword the
    update takes is one (a real number), with or without a shared name."""
    def update(theta, g, *, lr, beta):
        return (theta - lr * beta * g,)

    class _Scaled(optim.FunctionalOptimizer):
        def __init__(self, params, lr=0.1, beta=2.0):
            super().__init__(params, update, lambda theta: {}, lr=lr, beta=beta)

    assert _Scaled([_param()]).defaults == {"lr": 0.1, "beta": 2.0}
    with pytest.raises(TypeError, match="beta"):
        _Scaled([_param()], beta="two")
