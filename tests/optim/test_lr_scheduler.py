"""Learning-rate schedules against torch.optim.lr_scheduler, and against their closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from fromscratch import optim
from fromscratch.autodiff import Tensor
from fromscratch.optim import lr_scheduler

SCHEDULES = [
    ("StepLR", dict(step_size=7, gamma=0.5)),
    ("StepLR", dict(step_size=1, gamma=0.9)),
    ("ExponentialLR", dict(gamma=0.97)),
    ("CosineAnnealingLR", dict(T_max=25)),
    ("CosineAnnealingLR", dict(T_max=10, eta_min=0.01)),
    ("CosineAnnealingLR", dict(T_max=1, eta_min=0.05)),
]
IDS = [f"{name}{args}" for name, args in SCHEDULES]
EPOCHS = 120  # several periods of each schedule (cosine annealing rises again after T_max)


def _optimizer(module, tensor):
    """SGD with two groups (lr 0.1 and 0.3), so each group's rate is scheduled separately."""
    return module.SGD([{"params": [tensor(1.0)]}, {"params": [tensor(2.0)], "lr": 0.3}], lr=0.1)


def _ours():
    return _optimizer(optim, lambda v: Tensor(np.array([v])))


def _lrs(sched, opt, epochs=EPOCHS):
    """get_last_lr() and the optimizer's rates after each of ``epochs`` steps."""
    rates = [sched.get_last_lr()]
    for _ in range(epochs):
        opt.step()
        sched.step()
        assert sched.get_last_lr() == [g["lr"] for g in opt.param_groups]
        rates.append(sched.get_last_lr())
    return np.array(rates)


@pytest.mark.parametrize(("name", "args"), SCHEDULES, ids=IDS)
def test_matches_torch_exactly(name, args):
    torch = pytest.importorskip("torch")
    theirs_opt = _optimizer(torch.optim, lambda v: torch.tensor([v], requires_grad=True))
    theirs = _lrs(getattr(torch.optim.lr_scheduler, name)(theirs_opt, **args), theirs_opt)
    ours_opt = _ours()
    ours = _lrs(getattr(lr_scheduler, name)(ours_opt, **args), ours_opt)
    np.testing.assert_array_equal(ours, theirs)  # the same recursion, the same rounding


@pytest.mark.parametrize(("name", "args"), SCHEDULES, ids=IDS)
def test_recursive_form_agrees_with_the_closed_form(name, args):
    opt = _ours()
    sched = getattr(lr_scheduler, name)(opt, **args)
    for _ in range(EPOCHS):
        opt.step()
        sched.step()
        np.testing.assert_allclose(sched.get_last_lr(), sched._get_closed_form_lr(), rtol=1e-12)


def test_closed_forms_by_hand():
    opt = _ours()
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.02)
    rates = _lrs(sched, opt, 8)[:, 0]
    expected = [0.02 + 0.08 * (1 + np.cos(np.pi * e / 4)) / 2 for e in range(9)]
    np.testing.assert_allclose(rates, expected, rtol=1e-12)
    np.testing.assert_allclose(rates[4], 0.02, rtol=1e-12)

    opt = _ours()
    rates = _lrs(lr_scheduler.StepLR(opt, step_size=3, gamma=0.5), opt, 7)[:, 1]
    np.testing.assert_allclose(rates, [0.3, 0.3, 0.3, 0.15, 0.15, 0.15, 0.075, 0.075])


def test_the_schedule_reaches_the_update():
    """The optimizer steps with the scheduled rate: SGD moves by lr * grad."""
    p = Tensor(np.zeros(1))
    opt = optim.SGD([p], lr=1.0)
    sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    for _ in range(3):
        p.grad = np.ones(1)
        opt.step()
        sched.step()
    np.testing.assert_allclose(p.data, -(1.0 + 0.5 + 0.25))


def test_state_dict_resumes_the_schedule():
    opt = _ours()
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    _lrs(sched, opt, 13)
    saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
    assert "optimizer" not in saved_sched
    expected = _lrs(sched, opt, 20)

    resumed_opt = _ours()
    resumed_opt.load_state_dict(saved_opt)
    resumed = lr_scheduler.CosineAnnealingLR(resumed_opt, T_max=10, eta_min=0.01, last_epoch=13)
    resumed.load_state_dict(saved_sched)
    np.testing.assert_array_equal(_lrs(resumed, resumed_opt, 20), expected)


def test_bad_input():
    opt = _ours()
    with pytest.raises(TypeError, match="optimizer must be a fromscratch.optim.Optimizer"):
        lr_scheduler.StepLR("sgd", step_size=1)
    with pytest.raises(ValueError, match=r"step_size must be in \[1"):
        lr_scheduler.StepLR(opt, step_size=0)
    with pytest.raises(TypeError, match="step_size must be an int"):
        lr_scheduler.StepLR(opt, step_size=2.5)
    with pytest.raises(ValueError, match=r"gamma must be in \(0"):
        lr_scheduler.ExponentialLR(opt, gamma=0.0)
    with pytest.raises(ValueError, match=r"T_max must be in \[1"):
        lr_scheduler.CosineAnnealingLR(opt, T_max=0)
    with pytest.raises(ValueError, match=r"eta_min must be in \[0"):
        lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=-1.0)
    with pytest.raises(ValueError, match=r"last_epoch must be in \[-1"):
        lr_scheduler.StepLR(opt, step_size=1, last_epoch=-2)
    with pytest.raises(ValueError, match="has no 'initial_lr'"):
        lr_scheduler.StepLR(_ours(), step_size=1, last_epoch=3)
