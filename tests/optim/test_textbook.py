"""The textbook optimizer updates against the library's PyTorch-exact optimizer classes, and
FunctionalOptimizer, the class that runs them.

The classes are tested against torch.optim (test_optim_torch_parity.py); here each textbook
update, run by FunctionalOptimizer, must give the same iterates as its class for hundreds of
steps, on random problems with random hyper-parameters, to 1e-12 relative to the iterates'
scale. The two compute the same equations in different orders (the classes use PyTorch's lerp
form of a moving average, in place), so they differ by rounding only.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch import optim
from fromscratch.autodiff import Tensor
from fromscratch.optim import lr_scheduler, textbook
from fromscratch.optim.textbook import INITIAL_STATE, FunctionalOptimizer

STEPS = 300
RTOL = 1e-12


def _sgd(params, lr, mu, nesterov=False):
    return optim.SGD(params, lr=lr, momentum=mu, nesterov=nesterov)


def _betas(cls):
    def make(params, lr, beta1, beta2, eps, **more):
        return cls(params, lr=lr, betas=(beta1, beta2), eps=eps, **more)

    return make


# name -> (the library's class with the textbook's hyper-parameter names, hyper-parameter
# strategies). Ranges avoid only what the classes refuse (beta = 1) or what makes a run
# meaningless (a learning rate that sends the quadratic to infinity).
unit = st.floats(0.0, 0.99)
rate = st.floats(1e-4, 1e-2)
eps = st.floats(1e-10, 1e-1)
KERNELS = {
    "gradient_descent_update": (lambda params, lr: optim.SGD(params, lr=lr), dict(lr=rate)),
    "momentum_update": (_sgd, dict(lr=rate, mu=unit)),
    "nesterov_update": (lambda params, **h: _sgd(params, nesterov=True, **h),
                        dict(lr=rate, mu=st.floats(0.01, 0.99))),
    "adagrad_update": (lambda params, lr, eps: optim.Adagrad(params, lr=lr, eps=eps),
                       dict(lr=rate, eps=eps)),
    "rmsprop_update": (lambda params, **h: optim.RMSprop(params, **h),
                       dict(lr=rate, alpha=unit, eps=eps)),
    "adadelta_update": (lambda params, **h: optim.Adadelta(params, **h),
                        dict(lr=st.floats(0.1, 1.0), rho=unit, eps=eps)),
    "adam_update": (_betas(optim.Adam), dict(lr=rate, beta1=unit, beta2=unit, eps=eps)),
    "adamax_update": (_betas(optim.Adamax), dict(lr=rate, beta1=unit, beta2=unit, eps=eps)),
    "nadam_update": (
        lambda params, psi, **h: _betas(optim.NAdam)(params, momentum_decay=psi, **h),
        dict(lr=rate, beta1=unit, beta2=unit, eps=eps, psi=st.floats(0.0, 0.1)),
    ),
    "adamw_update": (_betas(optim.AdamW),
                     dict(lr=rate, beta1=unit, beta2=unit, eps=eps,
                          weight_decay=st.floats(0.0, 1.0))),
}


def _typical(name):
    """Textbook values of the update's hyper-parameters."""
    typical = {"lr": 1e-3, "mu": 0.9, "eps": 1e-8, "alpha": 0.99, "rho": 0.9, "beta1": 0.9,
               "beta2": 0.999, "psi": 4e-3, "weight_decay": 1e-2}
    return {k: v for k, v in typical.items() if k in KERNELS[name][1]}


def _pair(name, hyper, x0s, groups=None):
    """The library's optimizer and FunctionalOptimizer over copies of the same parameters."""
    library, _ = KERNELS[name]
    mine = [Tensor(x.copy(), requires_grad=True) for x in x0s]
    theirs = [Tensor(x.copy(), requires_grad=True) for x in x0s]
    reference = library(theirs if groups is None else groups(theirs), **hyper)
    functional = FunctionalOptimizer(mine if groups is None else groups(mine),
                                     getattr(textbook, name), INITIAL_STATE[name], **hyper)
    return (mine, functional), (theirs, reference)


def _assert_same_path(path, reference_path):
    path, reference_path = np.array(path), np.array(reference_path)
    assert np.isfinite(reference_path).all()
    scale = np.max(np.abs(reference_path))
    assert np.max(np.abs(path - reference_path)) <= RTOL * scale


@pytest.mark.parametrize("name", list(KERNELS))
@settings(max_examples=15, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_same_iterates_as_the_library_on_random_gradients(name, data, seed):
    """Random hyper-parameters, two parameters of different shapes, and 300 random gradients
    of changing sizes (a trajectory's worth, without the feedback that can amplify rounding).

    The sizes vary by a factor of 10 either way: wider swings (1e-3 to 10) with beta2 = 0 make
    Adam's steps 1e4 times the gradient's size, and the rounding of such steps, added up over
    300 steps, is no longer small next to the parameters (3e-13 of their scale was seen)."""
    hyper = {k: data.draw(strategy, label=k) for k, strategy in KERNELS[name][1].items()}
    rng = np.random.default_rng(seed)
    (mine, functional), (theirs, reference) = _pair(
        name, hyper, [rng.normal(size=(3, 4)), rng.normal(size=5)])
    path, reference_path = [], []
    for _ in range(STEPS):
        scale = 10 ** rng.uniform(-1, 1)
        for p, q in zip(mine, theirs, strict=True):
            p.grad = rng.normal(size=p.data.shape) * scale
            q.grad = p.grad.copy()
        functional.step()
        reference.step()
        path.append(np.concatenate([p.data.ravel() for p in mine]))
        reference_path.append(np.concatenate([q.data.ravel() for q in theirs]))
    _assert_same_path(path, reference_path)


@pytest.mark.parametrize("name", list(KERNELS))
def test_same_iterates_on_a_quadratic_with_two_groups_and_a_schedule(problem, name):
    """End to end on the optimizer test problems, with a second parameter group at half the
    learning rate and a StepLR schedule: each gradient is taken at the library's iterate (the
    teacher-forced comparison of test_optim_torch_parity), given to both."""
    hyper = _typical(name)

    def groups(params):
        return [{"params": params[:1]}, {"params": params[1:], "lr": hyper["lr"] / 2}]

    (mine, functional), (theirs, reference) = _pair(
        name, hyper, problem.split(problem.x0), groups)
    schedules = [lr_scheduler.StepLR(opt, step_size=50, gamma=0.5)
                 for opt in (functional, reference)]
    path, reference_path = [], []
    for _ in range(STEPS):
        x = np.concatenate([q.data.ravel() for q in theirs])
        for p, q, g in zip(mine, theirs, problem.split(problem.grad(x)), strict=True):
            p.grad, q.grad = g.copy(), g.copy()
        for opt in (functional, reference, *schedules):
            opt.step()
        path.append(np.concatenate([p.data.ravel() for p in mine]))
        reference_path.append(np.concatenate([q.data.ravel() for q in theirs]))
    _assert_same_path(path, reference_path)
    assert problem.f(reference_path[-1]) < problem.f(problem.x0)  # the run went somewhere


@pytest.mark.parametrize("name", list(KERNELS))
def test_a_closed_loop_run_on_rosenbrock(rosenbrock_problem, name):
    """Each optimizer following its own gradients, from Rosenbrock's classic start."""
    problem, hyper = rosenbrock_problem, _typical(name)
    (mine, functional), (theirs, reference) = _pair(name, hyper, problem.split(problem.x0))
    path, reference_path = [], []
    for params, opt, out in ((mine, functional, path), (theirs, reference, reference_path)):
        for _ in range(STEPS):
            x = np.concatenate([p.data.ravel() for p in params])
            for p, g in zip(params, problem.split(problem.grad(x)), strict=True):
                p.grad = g
            opt.step()
            out.append(np.concatenate([p.data.ravel() for p in params]))
    _assert_same_path(path, reference_path)


@pytest.mark.parametrize("name", list(KERNELS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_updates_are_pure_and_keep_the_dtype(name, dtype):
    """New arrays out, arguments untouched (they are passed read-only), float32 kept, and the
    state's shapes and types unchanged (step counts stay integers, one higher)."""
    update = getattr(textbook, name)
    rng = np.random.default_rng(0)
    theta, g = rng.normal(size=(2, 3)).astype(dtype), rng.normal(size=(2, 3)).astype(dtype)
    state = INITIAL_STATE[name](theta)
    for _ in range(3):
        arrays = [theta, g, *state.values()]
        for a in arrays:
            if isinstance(a, np.ndarray):
                a.flags.writeable = False
        copies = [np.copy(a) for a in arrays]
        new_theta, *new_state = update(*arrays)
        for a, c in zip(arrays, copies, strict=True):
            np.testing.assert_array_equal(a, c)
        assert new_theta.dtype == dtype and new_theta.shape == theta.shape
        for key, old, new in zip(state, state.values(), new_state, strict=True):
            assert np.shape(new) == np.shape(old)
            if isinstance(old, np.ndarray):
                assert new.dtype == dtype
            if key == "t":
                assert isinstance(new, int) and new == old + 1
        theta, state = new_theta, dict(zip(state, new_state, strict=True))


def test_initial_state():
    start = INITIAL_STATE["nadam_update"](np.ones((2, 2), dtype=np.float32))
    assert list(start) == ["m", "v", "t", "mu_product"]
    assert start["m"].dtype == np.float32 and not start["m"].any()
    assert start["t"] == 0 and start["mu_product"] == 1.0
    assert set(INITIAL_STATE) == {name for name in textbook.__all__ if name.endswith("_update")}


def test_adam_first_step_is_lr_times_the_sign():
    """A closed form: with m0 = v0 = 0, bias correction makes m_hat = g and v_hat = g^2, so
    the first step is lr * g / (|g| + eps)."""
    g = np.array([3.0, -0.5, 1e-3])
    theta, m, v, t = textbook.adam_update(np.zeros(3), g, 0 * g, 0 * g, 0, lr=0.1, eps=1e-8)
    np.testing.assert_allclose(theta, -0.1 * g / (np.abs(g) + 1e-8), rtol=1e-15)
    assert t == 1


def test_adadelta_takes_a_first_step_only_because_eps_is_inside_the_roots():
    """u0 = 0: the first step is sqrt(eps) / sqrt(v1 + eps) * g, non-zero."""
    g = np.array([1.0, -2.0])
    theta, v, u = textbook.adadelta_update(np.zeros(2), g, 0 * g, 0 * g, lr=1.0, rho=0.9,
                                           eps=1e-6)
    np.testing.assert_allclose(theta, -np.sqrt(1e-6) / np.sqrt(0.1 * g**2 + 1e-6) * g,
                               rtol=1e-15)


# -- FunctionalOptimizer --------------------------------------------------------------------


def _w(*values, dtype=np.float64):
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


def _momentum(params, **hyper):
    return FunctionalOptimizer(params, textbook.momentum_update,
                               INITIAL_STATE["momentum_update"], **{"lr": 0.1, "mu": 0.9,
                                                                    **hyper})


def test_the_parameter_keeps_its_identity_and_dtype_and_the_state_its_names():
    w = _w(1.0, -2.0, dtype=np.float32)
    data = w.data
    opt = _momentum([w])
    w.grad = np.array([0.5, 0.5], dtype=np.float32)
    opt.step()
    assert w.data is data and w.data.dtype == np.float32
    np.testing.assert_allclose(w.data, [0.95, -2.05], rtol=1e-6)
    assert list(opt.state[w]) == ["b"]


def test_state_dict_resumes_where_it_left_off():
    def run(steps, opt, w):
        for _ in range(steps):
            w.grad = 2 * w.data
            opt.step()

    a = _w(1.0, -2.0)
    opt_a = FunctionalOptimizer([a], textbook.adam_update, INITIAL_STATE["adam_update"], lr=0.1)
    run(10, opt_a, a)
    b = _w(1.0, -2.0)
    opt_b = FunctionalOptimizer([b], textbook.adam_update, INITIAL_STATE["adam_update"], lr=0.1)
    run(5, opt_b, b)
    saved = opt_b.state_dict()
    c = Tensor(b.data.copy(), requires_grad=True)
    opt_c = FunctionalOptimizer([c], textbook.adam_update, INITIAL_STATE["adam_update"], lr=0.1)
    opt_c.load_state_dict(saved)
    assert opt_c.state[c]["t"] == 5
    run(5, opt_c, c)
    np.testing.assert_array_equal(c.data, a.data)


def test_parameters_without_a_gradient_are_skipped():
    w, frozen = _w(1.0), _w(2.0)
    opt = _momentum([w, frozen])
    w.grad = np.array([1.0])
    opt.step()
    assert frozen.data[0] == 2.0 and frozen not in opt.state


@pytest.mark.parametrize("make, error, message", [
    (lambda w: FunctionalOptimizer([w], "adam", INITIAL_STATE["adam_update"]), TypeError,
     "update must be a function"),
    (lambda w: FunctionalOptimizer([w], textbook.adam_update, {"m": 0}), TypeError,
     "initial_state must be a function"),
    (lambda w: FunctionalOptimizer([w], textbook.adam_update, INITIAL_STATE["adam_update"],
                                   lr="fast"), TypeError, "lr must be a real number"),
    (lambda w: FunctionalOptimizer([w], textbook.adam_update, INITIAL_STATE["adam_update"],
                                   momentum=0.9), TypeError,
     "unexpected keyword argument 'momentum'"),
    (lambda w: FunctionalOptimizer([w], textbook.adam_update, INITIAL_STATE["rmsprop_update"]),
     TypeError, "cannot be called as update\\(theta, g, v\\): missing a required argument: 'v'"),
    (lambda w: FunctionalOptimizer([w], textbook.adam_update, lambda theta: [0, 0, 0]),
     TypeError, "initial_state must return a dict"),
    (lambda w: FunctionalOptimizer([w], textbook.adam_update, INITIAL_STATE["adam_update"],
                                   lr=float("nan")), ValueError, "lr"),
])
def test_bad_construction(make, error, message):
    with pytest.raises(error, match=message):
        make(_w(1.0))


@pytest.mark.parametrize("update, message", [
    (lambda theta, g, b, *, lr: theta - lr * g, "must return 2 values \\(theta, b\\)"),
    (lambda theta, g, b, *, lr: (theta, b, b), "must return 2 values"),
    (lambda theta, g, b, *, lr: (theta[:1], b), "theta of shape \\(1,\\); it must keep"),
    (lambda theta, g, b, *, lr: (theta, b.sum()), "b of shape \\(\\); it must keep"),
])
def test_an_update_that_returns_the_wrong_things(update, message):
    w = _w(1.0, 2.0)
    opt = FunctionalOptimizer([w], update, textbook.initial_state("b"), lr=0.1)
    w.grad = np.ones(2)
    with pytest.raises(ValueError, match=message):
        opt.step()


def test_an_update_that_changes_its_arguments_in_place_fails_and_corrupts_nothing():
    def in_place(theta, g, b, *, lr):
        g *= 2  # changes the caller's gradient: refused
        return theta - lr * g, b

    w = _w(1.0, 2.0)
    opt = FunctionalOptimizer([w], in_place, textbook.initial_state("b"), lr=0.1)
    w.grad = np.ones(2)
    with pytest.raises(ValueError, match="read-only"):
        opt.step()
    np.testing.assert_array_equal(w.grad, [1.0, 1.0])
    np.testing.assert_array_equal(w.data, [1.0, 2.0])
