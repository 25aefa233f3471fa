"""A module's state beyond its parameters (Dropout's generator) and what ``to`` accepts."""

import numpy as np
import pytest

import fromscratch
import fromscratch.autodiff.numpy as anp
from fromscratch import nn, optim
from fromscratch.autodiff import Tensor

X = np.random.default_rng(0).normal(size=(32, 4))
Y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1


def _model(dropout_seed):
    return nn.Sequential(
        nn.Linear(4, 16, random_state=1),
        nn.ReLU(),
        nn.Dropout(0.3, random_state=dropout_seed),
        nn.Linear(16, 1, random_state=2),
    )


def _train(model, optimizer, steps):
    """Full-batch steps (a fresh mask each step); returns the losses."""
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        residual = anp.reshape(model(Tensor(X)), (-1,)) - Y
        loss = anp.mean(residual * residual)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.data))
    return np.array(losses)


@pytest.mark.parametrize("through", ["memory", "file"])
def test_resumed_training_repeats_the_uninterrupted_run(tmp_path, through):
    model = _model(dropout_seed=3)
    optimizer = optim.Adam(model.parameters(), lr=1e-2)
    uninterrupted = _train(model, optimizer, 20)

    first = _model(dropout_seed=3)
    first_optimizer = optim.Adam(first.parameters(), lr=1e-2)
    before = _train(first, first_optimizer, 10)
    checkpoint = {"model": first.state_dict(), "optimizer": first_optimizer.state_dict()}
    if through == "file":
        checkpoint = fromscratch.load(fromscratch.save(checkpoint, tmp_path / "checkpoint"))
    # Another seed: only the checkpoint can give the resumed model the original masks.
    resumed = _model(dropout_seed=99)
    resumed_optimizer = optim.Adam(resumed.parameters(), lr=1e-2)
    resumed.load_state_dict(checkpoint["model"])
    resumed_optimizer.load_state_dict(checkpoint["optimizer"])
    after = _train(resumed, resumed_optimizer, 10)

    # The same operations on the same numbers in one process: equal to the last bit.
    np.testing.assert_array_equal(np.concatenate([before, after]), uninterrupted)
    for (name, p), q in zip(model.named_parameters(), resumed.parameters(), strict=True):
        np.testing.assert_array_equal(q.data, p.data, err_msg=name)


def test_state_dict_holds_a_copy_of_the_generator_state():
    model = _model(dropout_seed=3)
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "3.weight", "3.bias", "2._extra_state"]
    expected = np.random.default_rng(3).random(5)
    model(Tensor(X))  # draws a mask: the saved state must not move with the generator
    assert state["2._extra_state"] != model.state_dict()["2._extra_state"]
    model.load_state_dict(state)
    np.testing.assert_array_equal(model[2]._rng.random(5), expected)
    assert "_extra_state" in nn.Dropout(random_state=0).state_dict()
    assert "_extra_state" not in nn.Linear(2, 2).state_dict()


def test_a_generator_of_another_kind_round_trips(tmp_path):
    layer = nn.Dropout(random_state=np.random.Generator(np.random.MT19937(5)))
    path = fromscratch.save(layer.state_dict(), tmp_path / "mt")
    other = nn.Dropout(random_state=0)  # PCG64
    other.load_state_dict(fromscratch.load(path))
    np.testing.assert_array_equal(other._rng.random(4), layer._rng.random(4))


def test_a_shared_generator_is_restored_in_place():
    generator = np.random.default_rng(7)
    layer = nn.Dropout(random_state=generator)
    state = layer.state_dict()
    expected = generator.random(3)
    layer.load_state_dict(state)
    assert layer._rng is generator
    np.testing.assert_array_equal(generator.random(3), expected)


def test_a_bad_or_missing_generator_state_loads_nothing():
    model = _model(dropout_seed=3)
    weights = model[0].weight.data.copy()
    generator_state = model[2].get_extra_state()
    state = {k: (v + 1 if k != "2._extra_state" else v) for k, v in model.state_dict().items()}
    state["2._extra_state"] = {"bit_generator": "PCG64", "state": "garbage"}
    with pytest.raises(ValueError, match="'2._extra_state' does not fit.*not a valid PCG64"):
        model.load_state_dict(state)
    state["2._extra_state"] = {"bit_generator": "os.system"}
    with pytest.raises(ValueError, match="state of a NumPy bit generator"):
        model.load_state_dict(state)
    np.testing.assert_array_equal(model[0].weight.data, weights)
    assert model[2].get_extra_state() == generator_state
    del state["2._extra_state"]
    with pytest.raises(ValueError, match=r"missing keys \['2._extra_state'\]"):
        model.load_state_dict(state)
    assert model.load_state_dict(state, strict=False).missing_keys == ["2._extra_state"]


def test_to_accepts_dtypes_and_the_cpu_only():
    model = _model(dropout_seed=3)
    weight = model[0].weight
    data = weight.data
    assert model.to("cpu") is model and model.to("cpu:0") is model
    assert weight.data is data  # a no-op, as torch's to("cpu") on a CPU-only build
    assert model.to("float32") is model and weight.data.dtype == np.float32
    model.to(dtype=np.float64)
    assert weight.data.dtype == np.float64
    for wrong in ["cuda", "mps", None, np.int64, "int8", 3]:
        with pytest.raises(TypeError, match=r"to\(\) takes a dtype, float32 or float64 .* or the "
                           "device 'cpu'.* no other devices. Got"):
            model.to(wrong)
