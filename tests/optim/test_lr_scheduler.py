"""Learning-rate schedules against torch.optim.lr_scheduler (every rate, every step, and after
resuming from a state dict), and against their closed forms."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import fromscratch
from fromscratch import nn, optim
from fromscratch.autodiff import Tensor
from fromscratch.optim import lr_scheduler


def _decay(epoch):
    return 0.95**epoch


def _warm_up(epoch):
    return min(1.0, (epoch + 1) / 10)


class WarmUp:
    """A callable object: LambdaLR's state dict saves its attributes (a function has none)."""

    def __init__(self, steps):
        self.steps = steps

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.steps)


# Schedules with a closed form (their recursion is checked against it).
RECURSIVE = [
    ("StepLR", dict(step_size=7, gamma=0.5)),
    ("StepLR", dict(step_size=1, gamma=0.9)),
    ("MultiStepLR", dict(milestones=[10, 30, 31, 80], gamma=0.5)),
    ("MultiStepLR", dict(milestones=[50, 0, 20, 20], gamma=0.8)),  # unsorted, repeated, at 0
    ("ExponentialLR", dict(gamma=0.97)),
    ("CosineAnnealingLR", dict(T_max=25)),
    ("CosineAnnealingLR", dict(T_max=10, eta_min=0.01)),
    ("CosineAnnealingLR", dict(T_max=1, eta_min=0.05)),
]
EPOCHS = 120  # several periods of each schedule (cosine annealing rises again after T_max)
SCHEDULES = RECURSIVE + [
    ("LambdaLR", dict(lr_lambda=_decay)),
    ("LambdaLR", dict(lr_lambda=[_warm_up, _decay])),
    # total_steps = EPOCHS: the last step is the one past the end that both accept.
    ("OneCycleLR", dict(max_lr=1.0, total_steps=EPOCHS)),
    ("OneCycleLR", dict(max_lr=[1.0, 2.0], total_steps=EPOCHS, anneal_strategy="linear",
                        pct_start=0.25, div_factor=10.0, final_div_factor=100.0)),
    ("OneCycleLR", dict(max_lr=0.5, epochs=10, steps_per_epoch=12, three_phase=True,
                        cycle_momentum=False)),
]
IDS = [f"{name}{args}" for name, args in SCHEDULES]


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


@pytest.mark.parametrize(("name", "args"), RECURSIVE, ids=IDS[: len(RECURSIVE)])
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


# -- OneCycleLR's momentum ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("optimizer", "hyper", "args"),
    [
        ("SGD", dict(lr=0.1, momentum=0.9), dict()),
        ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True),
         dict(anneal_strategy="linear", base_momentum=[0.8, 0.7], max_momentum=0.9)),
        ("Adam", dict(lr=0.1), dict(three_phase=True)),
        ("AdamW", dict(lr=0.1, betas=(0.9, 0.99)), dict(pct_start=0.5, max_momentum=[0.97, 0.9])),
    ],
    ids=["sgd", "sgd-nesterov-linear", "adam-three-phase", "adamw"],
)
def test_one_cycle_cycles_momentum_and_betas_like_torch(optimizer, hyper, args):
    """Rates, momenta (SGD's momentum or Adam's beta1) and the parameters they move, step for
    step: the cycled momentum reaches the update."""
    torch = pytest.importorskip("torch")
    steps, rng = 40, np.random.default_rng(0)
    start = [rng.normal(size=3), rng.normal(size=2)]
    grads = rng.normal(size=(steps, 5))

    def run(module, tensor, set_grad, values):
        params = [tensor(x) for x in start]
        opt = getattr(module, optimizer)(
            [{"params": [params[0]]}, {"params": [params[1]], "lr": 0.3}], **hyper)
        sched = module.lr_scheduler.OneCycleLR(opt, max_lr=[1.0, 0.5], total_steps=steps,
                                               **args)
        momentum_key = "betas" if "betas" in opt.defaults else "momentum"
        trace = []
        for g in grads:
            set_grad(params, g)
            opt.step()
            sched.step()
            trace.append([*sched.get_last_lr(), *(np.ravel(grp[momentum_key])[0]
                                                 for grp in opt.param_groups)])
        return np.array(trace), np.concatenate([values(x) for x in params])

    def set_ours(params, g):
        params[0].grad, params[1].grad = g[:3].copy(), g[3:].copy()

    def set_theirs(params, g):
        params[0].grad, params[1].grad = torch.tensor(g[:3]), torch.tensor(g[3:])

    ours, ours_params = run(optim, lambda x: Tensor(x, requires_grad=True), set_ours,
                            lambda x: x.data)
    theirs, theirs_params = run(torch.optim, lambda x: torch.tensor(x, requires_grad=True),
                                set_theirs, lambda x: x.detach().numpy())
    np.testing.assert_array_equal(ours, theirs)  # the same formulas, the same rounding
    # The parameters go through each framework's own update kernels: equal to rounding.
    np.testing.assert_allclose(ours_params, theirs_params, rtol=1e-12,
                               atol=1e-12 * np.abs(theirs_params).max())
    assert ours[:, 2].min() < ours[0, 2]  # the momentum did cycle


def test_one_cycle_by_hand():
    opt = optim.SGD([Tensor(np.zeros(1))], lr=0.1, momentum=0.9)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=11, pct_start=0.5,
                                    anneal_strategy="linear", div_factor=10.0,
                                    final_div_factor=10.0)
    rates = [sched.get_last_lr()[0]]
    momenta = [opt.param_groups[0]["momentum"]]
    for _ in range(10):
        opt.step()  # no gradient: nothing moves, but the scheduler sees the optimizer stepped
        sched.step()
        rates.append(sched.get_last_lr()[0])
        momenta.append(opt.param_groups[0]["momentum"])
    # warm-up 0.1 -> 1 over steps 0..4.5, then 1 -> 0.01 over steps 4.5..10
    expected = [0.1 + 0.9 * s / 4.5 if s <= 4.5 else 1 - 0.99 * (s - 4.5) / 5.5 for s in range(11)]
    np.testing.assert_allclose(rates, expected, rtol=1e-12)
    assert rates[-1] == pytest.approx(0.01, rel=1e-12)
    # momentum the other way: 0.95 -> 0.85 -> 0.95 (the base momentum at the peak rate)
    expected = [0.95 - 0.1 * s / 4.5 if s <= 4.5 else 0.85 + 0.1 * (s - 4.5) / 5.5
                for s in range(11)]
    np.testing.assert_allclose(momenta, expected, rtol=1e-12)
    assert {"initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum"} \
        <= set(opt.param_groups[0])


class _PlainGD(optim.Optimizer):
    """A user's optimizer that writes its own ``step`` without calling the base class's."""

    _rules = {"lr": lambda value, name: value}

    def __init__(self, params, lr=0.1):
        super().__init__(params, self._defaults_from(locals()))

    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                p.data -= group["lr"] * p.grad


def _lbfgs_step(opt, p):
    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    opt.step(closure)


@pytest.mark.parametrize("make, optimizer_step", [
    (lambda p: optim.SGD([p], lr=0.1), lambda opt, p: opt.step()),
    (lambda p: optim.LBFGS([p], lr=0.1), _lbfgs_step),
    (lambda p: _PlainGD([p]), lambda opt, p: opt.step()),
], ids=["SGD", "LBFGS", "own step"])
def test_stepping_the_scheduler_first_warns_as_pytorch(make, optimizer_step):
    """``scheduler.step()`` before any ``optimizer.step()`` skips the schedule's first rate:
    PyTorch warns once, on that first call; so do we, whichever optimizer writes ``step``."""
    torch = pytest.importorskip("torch")
    ref = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    ref_sched = torch.optim.lr_scheduler.StepLR(ref, step_size=1)
    with pytest.warns(UserWarning, match="before `optimizer.step"):
        ref_sched.step()

    p = Tensor(np.ones(2), requires_grad=True)
    p.grad = np.ones(2)
    opt = make(p)
    sched = lr_scheduler.StepLR(opt, step_size=1)
    with pytest.warns(UserWarning, match=r"StepLR.step\(\) was called before optimizer.step"):
        sched.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched.step()  # only the first call is checked, as in PyTorch
        opt = make(p)
        sched = lr_scheduler.StepLR(opt, step_size=1)
        optimizer_step(opt, p)
        sched.step()  # the right order: no warning
    assert opt.param_groups[0]["lr"] == pytest.approx(0.01)


def test_one_cycle_edges():
    # One step past the end is allowed (PyTorch's rule), the next is refused.
    opt = _ours()
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=5)
    for _ in range(5):
        opt.step()
        sched.step()
    with pytest.raises(ValueError, match="past its total_steps=5"):
        sched.step()
    # A warm-up of length 0 (pct_start * total_steps = 1): PyTorch divides 0 by 0 here; the
    # phase is at its end, so the cycle starts at max_lr and then anneals.
    opt = _ours()
    sched = lr_scheduler.OneCycleLR(opt, max_lr=[1.0, 2.0], total_steps=10, pct_start=0.1)
    assert sched.get_last_lr() == [1.0, 2.0]
    rates = _lrs(sched, opt, 9)[:, 0]
    assert np.all(np.diff(rates) < 0) and rates[-1] == pytest.approx(1.0 / 25 / 1e4)


# -- ReduceLROnPlateau ---------------------------------------------------------------------


def _metrics():
    """Improvements, a long plateau (changes below the threshold), more gains, noise."""
    rng = np.random.default_rng(1)
    return np.concatenate([
        np.linspace(1.0, 0.5, 10),
        0.5 + rng.normal(0, 1e-6, 15),
        np.linspace(0.5, 0.3, 5),
        0.3 + rng.uniform(0, 0.05, 40),
    ])


PLATEAUS = [
    dict(),
    dict(patience=0, factor=0.5),
    dict(patience=2, cooldown=3, factor=0.5, threshold=0.01),
    dict(mode="max", patience=1, threshold_mode="abs", threshold=1e-3),
    dict(mode="max", patience=1, threshold=0.05),  # rel with negative values: b (1 + t)
    dict(patience=1, factor=0.5, min_lr=[0.02, 0.1]),
    dict(patience=0, factor=0.9, eps=0.02),  # group 0's change 0.01 is below eps: kept
]


@pytest.mark.parametrize("args", PLATEAUS, ids=[str(a) for a in PLATEAUS])
def test_reduce_on_plateau_matches_torch(args):
    torch = pytest.importorskip("torch")
    sign = -1.0 if args.get("mode") == "max" else 1.0
    schedulers = []
    for module, tensor in [(optim, lambda v: Tensor(np.array([v]))),
                           (torch.optim, lambda v: torch.tensor([v], requires_grad=True))]:
        opt = _optimizer(module, tensor)
        schedulers.append((opt, module.lr_scheduler.ReduceLROnPlateau(opt, **args)))
    reduced = False
    for metric in sign * _metrics():
        rows = []
        for opt, sched in schedulers:
            opt.step()
            sched.step(metric)
            assert sched.get_last_lr() == [g["lr"] for g in opt.param_groups]
            rows.append([*sched.get_last_lr(), sched.best, sched.num_bad_epochs,
                         sched.cooldown_counter, sched.last_epoch])
        assert rows[0] == rows[1]
        reduced = reduced or rows[0][0] < 0.1 or rows[0][1] < 0.3
    assert reduced or args == {}  # the defaults' patience of 10 outlasts the plateau


def test_reduce_on_plateau_steps_through_fit():
    """``fit`` passes the epoch's loss to ``step``: the rates it records are those PyTorch's
    scheduler sets when fed the same losses."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]]) + rng.normal(scale=0.5, size=(64, 1))
    model = nn.Linear(3, 1, random_state=0)
    opt = optim.SGD(model.parameters(), lr=0.3)
    args = dict(patience=1, factor=0.5, threshold=1e-2)
    history = nn.fit(model, nn.MSELoss(), opt, X, y, epochs=25, batch_size=16,
                     scheduler=lr_scheduler.ReduceLROnPlateau(opt, **args), random_state=0)
    ref_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
    ref = torch.optim.lr_scheduler.ReduceLROnPlateau(ref_opt, **args)
    expected = [0.3]
    for loss in history.history["loss"][:-1]:
        ref.step(loss)
        expected.append(ref.get_last_lr()[0])
    assert history.history["lr"] == expected
    assert min(expected) < 0.3 / 8  # the noisy mini-batch loss plateaued several times


# -- state dicts ---------------------------------------------------------------------------


ALL = SCHEDULES + [("ReduceLROnPlateau", args) for args in PLATEAUS[1:4]]
ALL_IDS = IDS + [f"ReduceLROnPlateau{args}" for args in PLATEAUS[1:4]]


def _advance(sched, opt, steps, metrics):
    """``steps`` epochs: plateau schedulers are fed ``metrics``; the others just step."""
    rates = []
    for metric in metrics[:steps]:
        opt.step()
        if type(sched).__name__ == "ReduceLROnPlateau":  # ours or PyTorch's
            sched.step(metric)
        else:
            sched.step()
        rates.append(list(sched.get_last_lr()))
    return rates


@pytest.mark.parametrize(("name", "args"), ALL, ids=ALL_IDS)
def test_resuming_from_state_dicts_continues_the_schedule(name, args, tmp_path):
    """Save both state dicts midway (through fromscratch.save, so they are plain data), rebuild
    the optimizer and the scheduler, load: the rest of the schedule is unchanged."""
    metrics, half = _metrics(), 50
    opt = _ours()
    sched = getattr(lr_scheduler, name)(opt, **args)
    _advance(sched, opt, half, metrics)
    path = fromscratch.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()},
                            tmp_path / "checkpoint")
    expected = _advance(sched, opt, len(metrics) - half, metrics[half:])

    saved = fromscratch.load(path)
    resumed_opt = _ours()
    resumed = getattr(lr_scheduler, name)(resumed_opt, **args)  # before loading (PyTorch's order)
    resumed_opt.load_state_dict(saved["optimizer"])
    resumed.load_state_dict(saved["scheduler"])
    assert _advance(resumed, resumed_opt, len(metrics) - half, metrics[half:]) == expected


# Group entries a scheduler writes (what an optimizer's state dict carries across).
_GROUP_KEYS = ("lr", "initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum",
               "momentum", "betas")


@pytest.mark.parametrize(("name", "args"), ALL, ids=ALL_IDS)
def test_state_dicts_have_torchs_layout(name, args):
    """The same keys as PyTorch's state dict, and PyTorch's state loads into ours midway: the
    rest of the schedule is PyTorch's."""
    torch = pytest.importorskip("torch")
    metrics, half = _metrics(), 50
    theirs_opt = _optimizer(torch.optim, lambda v: torch.tensor([v], requires_grad=True))
    theirs = getattr(torch.optim.lr_scheduler, name)(theirs_opt, **args)
    _advance(theirs, theirs_opt, half, metrics)
    state = theirs.state_dict()

    ours_opt = _ours()
    ours = getattr(lr_scheduler, name)(ours_opt, **args)
    # torch keeps a flag of its own for a warning we do not give.
    assert set(ours.state_dict()) == set(state) - {"_get_lr_called_within_step"}
    for group, their_group in zip(ours_opt.param_groups, theirs_opt.param_groups, strict=True):
        group.update({k: their_group[k] for k in _GROUP_KEYS if k in their_group})
    ours.load_state_dict(state)
    np.testing.assert_array_equal(
        _advance(ours, ours_opt, len(metrics) - half, metrics[half:]),
        _advance(theirs, theirs_opt, len(metrics) - half, metrics[half:]),
    )


def test_lambda_lr_saves_callable_objects_but_not_functions():
    opt = _ours()
    warm_up = WarmUp(steps=5)
    sched = lr_scheduler.LambdaLR(opt, lr_lambda=[warm_up, _decay])
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"steps": 5}, None]
    state["lr_lambdas"][0]["steps"] = 20
    other = WarmUp(steps=5)
    lr_scheduler.LambdaLR(_ours(), lr_lambda=[other, _decay]).load_state_dict(state)
    assert other.steps == 20  # the object's attributes were restored; the function is as built
    assert state["lr_lambdas"] == [{"steps": 20}, None]  # loading did not consume the dict


def test_bad_input_of_the_newer_schedules():
    opt = _ours()
    with pytest.raises(TypeError, match="milestones must be an iterable"):
        lr_scheduler.MultiStepLR(opt, milestones=5)
    with pytest.raises(TypeError, match=r"milestones\[1\] must be an int"):
        lr_scheduler.MultiStepLR(opt, milestones=[2, 2.5])
    with pytest.raises(ValueError, match=r"milestones\[0\] must be in \[0"):
        lr_scheduler.MultiStepLR(opt, milestones=[-1])
    with pytest.raises(TypeError, match=r"lr_lambda\[0\] must be a function"):
        lr_scheduler.LambdaLR(opt, lr_lambda=0.5)
    with pytest.raises(ValueError, match=r"one per parameter group \(2\); got 3"):
        lr_scheduler.LambdaLR(opt, lr_lambda=[_decay] * 3)
    with pytest.raises(ValueError, match=r"lr_lambda\[1\]\(0\) returned -1"):
        lr_scheduler.LambdaLR(_ours(), lr_lambda=[_decay, lambda e: -1])
    with pytest.raises(ValueError, match="returned nan"):
        lr_scheduler.LambdaLR(_ours(), lr_lambda=lambda e: math.nan)

    with pytest.raises(ValueError, match="total_steps, or both epochs and steps_per_epoch"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=1.0, epochs=3)
    with pytest.raises(ValueError, match=r"total_steps must be in \[1"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=1.0, total_steps=0)
    with pytest.raises(ValueError, match=r"pct_start must be in \[0, 1\]"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=1.0, total_steps=10, pct_start=1.5)
    with pytest.raises(ValueError, match="Did you mean 'cos'"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=1.0, total_steps=10, anneal_strategy="cosine")
    with pytest.raises(ValueError, match=r"max_lr must be one value or one per parameter group"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=[1.0], total_steps=10)
    with pytest.raises(ValueError, match=r"max_lr\[1\] must be in \(0"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=[1.0, 0.0], total_steps=10)
    with pytest.raises(ValueError, match=r"base_momentum must be in \[0, 1\]"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=1.0, total_steps=10, base_momentum=1.5)
    with pytest.raises(ValueError, match=r"div_factor must be in \(0"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=1.0, total_steps=10, div_factor=0.0)
    adagrad = optim.Adagrad([Tensor(np.zeros(1))])
    with pytest.raises(ValueError, match="needs an optimizer with 'momentum' or 'betas'"):
        lr_scheduler.OneCycleLR(adagrad, max_lr=1.0, total_steps=10)
    lr_scheduler.OneCycleLR(adagrad, max_lr=1.0, total_steps=10, cycle_momentum=False)
    with pytest.raises(ValueError, match="has no 'max_lr', 'min_lr', 'max_momentum'"):
        lr_scheduler.OneCycleLR(_ours(), max_lr=1.0, total_steps=10, last_epoch=4)

    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\)"):
        lr_scheduler.ReduceLROnPlateau(_ours(), factor=1.0)
    with pytest.raises(ValueError, match="Did you mean 'min'"):
        lr_scheduler.ReduceLROnPlateau(_ours(), mode="minimum")
    with pytest.raises(ValueError, match="threshold_mode must be one of"):
        lr_scheduler.ReduceLROnPlateau(_ours(), threshold_mode="relative")
    with pytest.raises(ValueError, match=r"patience must be in \[0"):
        lr_scheduler.ReduceLROnPlateau(_ours(), patience=-1)
    with pytest.raises(ValueError, match=r"min_lr must be one value or one per parameter group"):
        lr_scheduler.ReduceLROnPlateau(_ours(), min_lr=[0.1])
    with pytest.raises(ValueError, match=r"min_lr\[0\] must be in \[0"):
        lr_scheduler.ReduceLROnPlateau(_ours(), min_lr=[-0.1, 0.0])
    plateau = lr_scheduler.ReduceLROnPlateau(_ours())
    with pytest.raises(TypeError, match="metrics must be one number"):
        plateau.step("low")
    with pytest.raises(TypeError, match="metrics must be one number"):
        plateau.step(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="metrics is NaN"):
        plateau.step(math.nan)
    plateau.step(np.float32(0.5))  # any number, 0-d arrays and Tensors included
    plateau.step(Tensor(np.array(0.4)))
    assert plateau.best == pytest.approx(0.4) and plateau.last_epoch == 2
