"""The Optimizer contract: param groups, step/zero_grad, state_dict, chunking, dtypes, bad input."""

from __future__ import annotations

import copy
import inspect
import threading

import numpy as np
import pytest

import fromscratch
from fromscratch import optim
from fromscratch.autodiff import Tensor
from fromscratch.optim import optimizer as optimizer_module

ALL = [
    optim.SGD,
    optim.Adagrad,
    optim.RMSprop,
    optim.Adadelta,
    optim.Adam,
    optim.AdamW,
    optim.Adamax,
    optim.NAdam,
]

# One configuration per optimizer that switches on every piece of state it can keep.
FULL_STATE = [
    (optim.SGD, dict(lr=1e-3, momentum=0.9, nesterov=True, weight_decay=0.1)),
    (optim.Adagrad, dict(lr=0.1, lr_decay=1e-3, initial_accumulator_value=0.1)),
    (optim.RMSprop, dict(lr=1e-3, momentum=0.5, centered=True, weight_decay=0.1)),
    (optim.Adadelta, dict(lr=0.5, weight_decay=0.1)),
    (optim.Adam, dict(lr=1e-2, amsgrad=True, weight_decay=0.1)),
    (optim.AdamW, dict(lr=1e-2, amsgrad=True)),
    (optim.Adamax, dict(lr=1e-2, weight_decay=0.1)),
    (optim.NAdam, dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True)),
]
FULL_STATE_IDS = [cls.__name__ for cls, _ in FULL_STATE]


def _params(problem, dtype=np.float64):
    return [Tensor(x.astype(dtype), requires_grad=True) for x in problem.split(problem.x0)]


def _steps(opt, params, problem, n):
    for _ in range(n):
        x = np.concatenate([p.data.ravel() for p in params])
        for p, g in zip(params, problem.split(problem.grad(x)), strict=True):
            p.grad = g.astype(p.data.dtype)
        opt.step()


# --- state_dict ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("cls", "hyper"), FULL_STATE, ids=FULL_STATE_IDS)
def test_state_dict_resumes_bit_for_bit(problem, cls, hyper):
    """Saved after 250 steps and loaded into a fresh optimizer, the run continues exactly."""
    params = _params(problem)
    opt = cls([{"params": params[:1]}, {"params": params[1:], "lr": hyper["lr"] / 2}], **hyper)
    _steps(opt, params, problem, 250)
    saved = opt.state_dict()
    saved_x = [p.data.copy() for p in params]
    _steps(opt, params, problem, 250)

    resumed_params = [Tensor(x.copy(), requires_grad=True) for x in saved_x]
    resumed = cls([{"params": resumed_params[:1]}, {"params": resumed_params[1:]}], **hyper)
    resumed.load_state_dict(saved)
    assert resumed.param_groups[1]["lr"] == hyper["lr"] / 2
    _steps(resumed, resumed_params, problem, 250)
    for p, q in zip(params, resumed_params, strict=True):
        np.testing.assert_array_equal(p.data, q.data)


@pytest.mark.parametrize(("cls", "hyper"), FULL_STATE, ids=FULL_STATE_IDS)
def test_state_dict_survives_a_round_trip_through_plain_lists(rosenbrock_problem, cls, hyper):
    """A state dict written as JSON (lists, string keys) loads into the same state."""
    problem = rosenbrock_problem
    params = _params(problem)
    opt = cls(params, **hyper)
    _steps(opt, params, problem, 5)
    saved = opt.state_dict()
    as_json = {
        "state": {
            str(i): {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in s.items()}
            for i, s in saved["state"].items()
        },
        "param_groups": [
            {k: list(v) if isinstance(v, tuple) else v for k, v in g.items()}
            for g in saved["param_groups"]
        ],
    }
    fresh = cls(_params(problem), **hyper)
    fresh.load_state_dict(as_json)
    reloaded = fresh.state_dict()
    assert reloaded["param_groups"] == saved["param_groups"]
    for i, state in saved["state"].items():
        for k, v in state.items():
            np.testing.assert_array_equal(reloaded["state"][i][k], v)


def test_state_dict_structure_and_copies(rosenbrock_problem):
    params = _params(rosenbrock_problem)
    opt = optim.Adam([{"params": params[:1]}, {"params": params[1:], "lr": 0.5}], amsgrad=True)
    _steps(opt, params, rosenbrock_problem, 3)
    saved = opt.state_dict()
    assert sorted(saved["state"]) == [0, 1]
    assert sorted(saved["state"][0]) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]
    assert saved["state"][0]["step"] == 3
    assert [g["params"] for g in saved["param_groups"]] == [[0], [1]]
    assert saved["param_groups"][1]["lr"] == 0.5
    before = saved["state"][0]["exp_avg"].copy()
    _steps(opt, params, rosenbrock_problem, 1)
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], before)  # a deep copy

    # Loading copies too: stepping the loaded optimizer leaves the dict untouched.
    other = optim.Adam([{"params": _params(rosenbrock_problem)[:1]},
                        {"params": _params(rosenbrock_problem)[1:]}], amsgrad=True)
    other.load_state_dict(saved)
    other.state[other.param_groups[0]["params"][0]]["exp_avg"][...] = 7.0
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], before)


def test_parameters_without_state_are_left_out_of_the_state_dict():
    a, b = Tensor(np.ones(2)), Tensor(np.ones(3))
    opt = optim.Adam([a, b])
    a.grad = np.ones(2)
    opt.step()
    assert list(opt.state_dict()["state"]) == [0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda sd: sd["param_groups"].append(copy.deepcopy(sd["param_groups"][0])), "group"),
        (lambda sd: sd["param_groups"][0]["params"].append(5), "parameter"),
        (lambda sd: sd["state"][0].update(exp_avg=np.zeros(7)), "shape"),
        (lambda sd: sd["param_groups"][0].update(lr=-1.0), "lr"),
        (lambda sd: sd.pop("state"), "state"),
    ],
    ids=["group_count", "group_size", "array_shape", "bad_hyper", "missing_key"],
)
def test_load_state_dict_rejects_a_mismatch(mutate, message):
    p = Tensor(np.ones(3))
    opt = optim.Adam([p])
    p.grad = np.ones(3)
    opt.step()
    saved = opt.state_dict()
    mutate(saved)
    with pytest.raises(ValueError, match=message):
        optim.Adam([Tensor(np.ones(3))]).load_state_dict(saved)


# --- the chunked update ---------------------------------------------------------------------------


@pytest.mark.parametrize(("cls", "hyper"), FULL_STATE, ids=FULL_STATE_IDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n_threads", [1, 2, 4])
def test_chunked_update_is_bit_identical_to_one_call(monkeypatch, cls, hyper, dtype, n_threads):
    """Chunks of 7 or 14 elements (with a ragged last chunk), run in the calling thread or
    shared by 2 or 4 threads, give exactly the result of one call of the optimizer's pure
    update function on the whole arrays (its textbook form)."""
    rng = np.random.default_rng(0)
    x0 = [rng.standard_normal(shape).astype(dtype) for shape in [(20, 20), (33,), (1,)]]
    grads = [[rng.standard_normal(x.shape).astype(dtype) for x in x0] for _ in range(5)]

    def run(chunk_bytes):
        monkeypatch.setattr(optimizer_module, "CHUNK_BYTES", chunk_bytes)
        params = [Tensor(x.copy()) for x in x0]
        opt = cls(params, **hyper)
        for step_grads in grads:
            for p, g in zip(params, step_grads, strict=True):
                p.grad = g
            opt.step()
        return [p.data for p in params]

    with fromscratch.config_context(n_threads=n_threads):
        chunked = run(56)
    for chunked_x, whole in zip(chunked, run(10**9), strict=True):
        assert chunked_x.dtype == dtype
        np.testing.assert_array_equal(chunked_x, whole)


@pytest.mark.parametrize("n_threads", [1, 3])
def test_apply_chunked_runs_on_the_configured_threads(n_threads):
    threads = set()

    def update(x, *, step):
        threads.add(threading.current_thread().name)
        x += step

    x = np.zeros(1000)
    with fromscratch.config_context(n_threads=n_threads):
        optimizer_module.apply_chunked(update, [x], chunk_size=10, step=1.0)  # 100 chunks
    np.testing.assert_array_equal(x, np.ones(1000))
    if n_threads == 1:
        assert threads == {threading.current_thread().name}
    else:  # the pool's threads (how many of them get a run is up to the scheduler)
        assert threads and all(name.startswith("optim") for name in threads)


def test_non_contiguous_parameters_are_updated_in_place():
    """A transposed view cannot be chunked as a flat view; it falls back to one call."""
    base = np.arange(12.0).reshape(3, 4)
    p = Tensor(np.ones((3, 4)))
    p.data = base.T  # a non-contiguous view
    opt = optim.SGD([p], lr=0.5, momentum=0.9)
    p.grad = np.ones((4, 3))
    old = base.copy()
    opt.step()
    np.testing.assert_array_equal(base, old - 0.5)


# --- step, zero_grad, groups, dtype ---------------------------------------------------------------


def test_step_returns_the_closure_loss_and_skips_parameters_without_grad():
    a, b = Tensor(np.array([1.0, 2.0])), Tensor(np.array([3.0]))
    opt = optim.SGD([a, b], lr=0.1)
    calls = []

    def closure():
        calls.append(1)
        a.grad = np.array([1.0, 1.0])
        return 42.0

    assert opt.step(closure) == 42.0
    assert calls == [1]
    np.testing.assert_array_equal(a.data, [0.9, 1.9])
    np.testing.assert_array_equal(b.data, [3.0])  # grad None: untouched, no state
    assert b not in opt.state
    assert opt.step() is None


def test_zero_grad():
    a = Tensor(np.ones(3))
    opt = optim.SGD([a])
    a.grad = np.full(3, 2.0)
    grad = a.grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is grad
    np.testing.assert_array_equal(grad, 0.0)
    opt.zero_grad()
    assert a.grad is None


def test_param_groups_and_add_param_group():
    a, b, c = Tensor(np.ones(2)), Tensor(np.ones(2)), Tensor(np.ones(2))
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": [c], "momentum": 0.0})
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5, 0.1]
    assert [g["momentum"] for g in opt.param_groups] == [0.9, 0.9, 0.0]
    assert opt.param_groups[1]["params"] == [b]
    for p in (a, b, c):
        p.grad = np.ones(2)
    opt.step()
    np.testing.assert_allclose(a.data, 0.9)
    np.testing.assert_allclose(b.data, 0.5)
    np.testing.assert_allclose(c.data, 0.9)
    assert "momentum_buffer" not in opt.state[c]
    assert "Parameter Group 2" in repr(opt)


@pytest.mark.parametrize("cls", ALL)
def test_float32_parameters_stay_float32(cls):
    p = Tensor(np.ones(5, dtype=np.float32))
    opt = cls([p])
    p.grad = np.full(5, 0.5)  # a float64 gradient is cast to the parameter's dtype
    opt.step()
    assert p.data.dtype == np.float32
    for value in opt.state[p].values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32
    assert np.all(p.data < 1)


@pytest.mark.parametrize("cls", ALL)
def test_data_is_updated_in_place(cls):
    """Modules hold the same Tensor and array: the optimizer must not rebind .data."""
    p = Tensor(np.ones(4))
    array = p.data
    opt = cls([p])
    p.grad = np.ones(4)
    opt.step()
    assert p.data is array
    assert np.all(array < 1)


@pytest.mark.parametrize(
    ("cls", "hyper"),
    [
        *FULL_STATE,
        (optim.LBFGS, dict(lr=0.5, max_iter=8, max_eval=9, history_size=3, min_curvature=0.0)),
        (optim.Newton, dict(lr=0.5, damping=1e-3, line_search_fn=None)),
    ],
    ids=[*FULL_STATE_IDS, "LBFGS", "Newton"],
)
def test_defaults_are_the_constructor_arguments(cls, hyper):
    """``defaults`` holds every argument after ``params`` (given or default), nothing else:
    each optimizer's hyper-parameters are read from its signature by ``_defaults_from``."""
    signature = inspect.signature(cls).parameters
    expected = {name: p.default for name, p in signature.items() if name != "params"} | hyper
    if cls is optim.AdamW:  # AdamW is Adam with the decoupled decay fixed on
        expected["decoupled_weight_decay"] = True
    opt = cls([Tensor(np.zeros(2), requires_grad=True)], **hyper)
    assert opt.defaults == expected
    assert set(opt.defaults) == set(cls._rules)


def test_adamw_is_adam_with_decoupled_decay_and_its_own_default():
    p, q = Tensor(np.ones(3)), Tensor(np.ones(3))
    adamw, adam = optim.AdamW([p]), optim.Adam([q], weight_decay=1e-2, decoupled_weight_decay=True)
    assert adamw.defaults["weight_decay"] == 1e-2
    for _ in range(3):
        p.grad = q.grad = np.array([1.0, -2.0, 0.0])
        adamw.step()
        adam.step()
    np.testing.assert_array_equal(p.data, q.data)
    assert p.data[2] < 1  # decoupled decay shrinks a weight whose gradient is zero


def test_adam_bias_correction_uses_the_time_step():
    r"""With a constant gradient, the bias-corrected moments are exact from step 1 on:
    m_hat = g and v_hat = g^2, so every Adam step moves by lr * g / (|g| + eps)."""
    p = Tensor(np.zeros(1))
    opt = optim.Adam([p], lr=0.1, eps=1e-8)
    for t in range(1, 6):
        p.grad = np.array([3.0])
        opt.step()
        np.testing.assert_allclose(p.data, -0.1 * t * 3.0 / (3.0 + 1e-8), rtol=1e-12)


def test_rmsprop_eps_is_outside_the_square_root():
    """First step: v = (1-alpha) g^2, step = lr g / (sqrt(v) + eps); with a tiny gradient the
    placement of eps decides the step."""
    p = Tensor(np.zeros(1))
    opt = optim.RMSprop([p], lr=1.0, alpha=0.0, eps=1e-4)
    p.grad = np.array([1e-6])
    opt.step()
    np.testing.assert_allclose(p.data, -1e-6 / (1e-6 + 1e-4), rtol=1e-14)


# --- bad input ------------------------------------------------------------------------------------


def _p():
    return [Tensor(np.ones(2))]


@pytest.mark.parametrize("cls", ALL)
def test_negative_learning_rate(cls):
    with pytest.raises(ValueError, match=r"lr must be in \[0"):
        cls(_p(), lr=-0.1)


@pytest.mark.parametrize("cls", ALL[1:])
def test_eps_must_be_positive(cls):
    for eps in (0.0, -1e-8):
        with pytest.raises(ValueError, match="eps must be in"):
            cls(_p(), eps=eps)


@pytest.mark.parametrize("cls", [optim.Adam, optim.AdamW, optim.Adamax, optim.NAdam])
@pytest.mark.parametrize(
    ("betas", "error", "message"),
    [
        ((1.0, 0.999), ValueError, r"betas\[0\] must be in \[0, 1\)"),
        ((0.9, -0.1), ValueError, r"betas\[1\] must be in \[0, 1\)"),
        ((0.9,), ValueError, "pair"),
        (0.9, TypeError, "pair"),
        (("a", 0.9), TypeError, r"betas\[0\]"),
    ],
)
def test_betas(cls, betas, error, message):
    with pytest.raises(error, match=message):
        cls(_p(), betas=betas)


@pytest.mark.parametrize("cls", [optim.SGD, optim.RMSprop])
def test_negative_momentum(cls):
    with pytest.raises(ValueError, match="momentum must be in"):
        cls(_p(), momentum=-0.5)


@pytest.mark.parametrize(
    ("hyper", "message"),
    [
        (dict(nesterov=True), "nesterov=True requires momentum > 0"),
        (dict(nesterov=True, momentum=0.9, dampening=0.1), "dampening == 0"),
    ],
)
def test_nesterov_needs_undamped_momentum(hyper, message):
    with pytest.raises(ValueError, match=message):
        optim.SGD(_p(), lr=0.1, **hyper)


@pytest.mark.parametrize(
    ("cls", "hyper", "name"),
    [
        (optim.SGD, dict(dampening=1.5), "dampening"),
        (optim.SGD, dict(weight_decay=-1.0), "weight_decay"),
        (optim.RMSprop, dict(alpha=1.5), "alpha"),
        (optim.Adadelta, dict(rho=-0.1), "rho"),
        (optim.Adagrad, dict(lr_decay=-1.0), "lr_decay"),
        (optim.Adagrad, dict(initial_accumulator_value=-1.0), "initial_accumulator_value"),
        (optim.NAdam, dict(momentum_decay=-1.0), "momentum_decay"),
        (optim.Adam, dict(lr=float("nan")), "lr"),
    ],
)
def test_other_ranges(cls, hyper, name):
    with pytest.raises(ValueError, match=f"^{name} must be"):
        cls(_p(), **hyper)


@pytest.mark.parametrize(
    ("hyper", "name"),
    [(dict(lr=True), "lr"), (dict(amsgrad="yes"), "amsgrad"), (dict(lr="0.1"), "lr")],
)
def test_wrong_types(hyper, name):
    with pytest.raises(TypeError, match=f"^{name} must be"):
        optim.Adam(_p(), **hyper)


def test_empty_parameter_list():
    with pytest.raises(ValueError, match="params is an empty list"):
        optim.SGD([])
    with pytest.raises(ValueError, match=r"param_groups\[0\]\['params'\] is empty"):
        optim.SGD([{"params": []}])


def test_a_parameter_that_is_not_a_tensor():
    with pytest.raises(TypeError, match=r"param_groups\[0\]\['params'\]\[1\] is a ndarray"):
        optim.SGD([Tensor(np.ones(2)), np.ones(2)])
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(Tensor(np.ones(2)))
    with pytest.raises(TypeError, match="not a set"):
        optim.SGD({Tensor(np.ones(2))})
    with pytest.raises(TypeError, match="iterable"):
        optim.SGD(3.0)


def test_a_parameter_given_twice():
    a = Tensor(np.ones(2))
    with pytest.raises(ValueError, match=r"\['params'\]\[1\] is a parameter given twice"):
        optim.SGD([a, a])
    with pytest.raises(ValueError, match=r"param_groups\[1\]\['params'\]\[0\] .* given twice"):
        optim.SGD([{"params": [a]}, {"params": [a]}])
    opt = optim.SGD([a])
    with pytest.raises(ValueError, match="given twice"):
        opt.add_param_group({"params": [a]})
    assert len(opt.param_groups) == 1


def test_bad_param_groups():
    a = Tensor(np.ones(2))
    with pytest.raises(ValueError, match=r"param_groups\[0\] has unknown hyper-parameter"):
        optim.SGD([{"params": [a], "betas": (0.9, 0.99)}])
    with pytest.raises(ValueError, match=r"^param_groups\[1\]\.lr must be in"):
        optim.SGD([{"params": [a]}, {"params": [Tensor(np.ones(1))], "lr": -1.0}])
    with pytest.raises(ValueError, match="no 'params' key"):
        optim.SGD([{"lr": 0.1}])
    with pytest.raises(TypeError, match="param_group must be a dict"):
        optim.SGD([a]).add_param_group([Tensor(np.ones(1))])


def test_a_gradient_of_the_wrong_shape():
    p = Tensor(np.ones(3))
    opt = optim.Adam([p])
    p.grad = np.ones(4)
    with pytest.raises(ValueError, match=r"shape \(3,\) has a gradient of shape \(4,\)"):
        opt.step()


def test_optimizer_class_by_name_and_for_gradient_only_loops():
    from fromscratch.optim import OPTIMIZERS, Adam, Newton, RMSprop, optimizer_class

    assert optimizer_class("RMSprop") is RMSprop and optimizer_class(Adam) is Adam
    assert set(OPTIMIZERS) == {"sgd", "adagrad", "rmsprop", "adadelta", "adam", "adamw",
                               "adamax", "nadam", "lbfgs", "newton"}
    assert optimizer_class("newton") is Newton
    with pytest.raises(ValueError, match="Did you mean 'adam'"):
        optimizer_class("adamm")
    for name in ("newton", "LBFGS"):  # by name as by class: the reason, then the choices
        with pytest.raises(ValueError, match="needs a closure.*use one of sgd, .*nadam.$"):
            optimizer_class(name, gradient_only=True)
    with pytest.raises(ValueError, match="one of 'sgd', .*'nadam'; got 'adamm'"):
        optimizer_class("adamm", gradient_only=True)
    with pytest.raises(ValueError, match="needs a closure"):
        optimizer_class(Newton, gradient_only=True)
    with pytest.raises(TypeError, match="got int 3"):
        optimizer_class(3)
