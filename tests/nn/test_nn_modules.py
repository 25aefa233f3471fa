"""Modules, layers, activations and losses against PyTorch (same weights, float64)."""

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch import nn
from fromscratch.autodiff import Tensor, grad
from fromscratch.nn import functional as F
from tolerance import assert_close_to_scale

torch = pytest.importorskip("torch")
RTOL = 1e-10


def _linear_pair(n_in, n_out, seed):
    ours = nn.Linear(n_in, n_out, random_state=seed)
    ref = torch.nn.Linear(n_in, n_out, dtype=torch.float64)
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(ours.weight.data))
        ref.bias.copy_(torch.tensor(ours.bias.data))
    return ours, ref


def _assert_close(ours, ref, rtol=RTOL, atol=1e-13):
    ref = ref.detach().numpy() if hasattr(ref, "detach") else ref
    np.testing.assert_allclose(np.asarray(getattr(ours, "data", ours)), ref, rtol=rtol, atol=atol)


def test_linear_forward_and_gradients_match_pytorch():
    ours, ref = _linear_pair(4, 3, seed=0)
    X = np.random.default_rng(1).normal(size=(5, 4))
    x_ours, x_ref = Tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    out_ours, out_ref = ours(x_ours), ref(x_ref)
    _assert_close(out_ours, out_ref)
    G = np.random.default_rng(2).normal(size=(5, 3))
    (out_ours * G).sum().backward()
    (out_ref * torch.tensor(G)).sum().backward()
    _assert_close(ours.weight.grad, ref.weight.grad)
    _assert_close(ours.bias.grad, ref.bias.grad)
    _assert_close(x_ours.grad, x_ref.grad)


def test_linear_initialisation_has_pytorch_bounds():
    layer = nn.Linear(400, 50, random_state=0)
    bound = 1 / np.sqrt(400)
    assert np.abs(layer.weight.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.98 * bound  # uses the whole interval
    # Var of U(-k, k) is k^2/3.
    assert layer.weight.data.var() == pytest.approx(bound**2 / 3, rel=0.05)
    assert layer.weight.data.shape == (50, 400) and layer.bias.data.shape == (50,)
    np.testing.assert_array_equal(nn.Linear(3, 2, random_state=7).weight.data,
                                  nn.Linear(3, 2, random_state=7).weight.data)


def test_linear_without_bias_and_batched_input():
    layer = nn.Linear(3, 2, bias=False, random_state=0)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    x = Tensor(np.ones((2, 4, 3)), requires_grad=True)
    out = layer(x)
    assert out.shape == (2, 4, 2)
    out.sum().backward()
    ref = torch.ones((2, 4, 3), dtype=torch.float64)
    w = torch.tensor(layer.weight.data, requires_grad=True)
    torch.nn.functional.linear(ref, w).sum().backward()
    _assert_close(layer.weight.grad, w.grad)


ACTIVATIONS = [
    (nn.Sigmoid(), torch.nn.Sigmoid()),
    (nn.Tanh(), torch.nn.Tanh()),
    (nn.ReLU(), torch.nn.ReLU()),
    (nn.LeakyReLU(0.1), torch.nn.LeakyReLU(0.1)),
    (nn.Softmax(dim=1), torch.nn.Softmax(dim=1)),
    (nn.LogSoftmax(dim=1), torch.nn.LogSoftmax(dim=1)),
    (nn.Identity(), torch.nn.Identity()),
]


@pytest.mark.parametrize("ours, ref", ACTIVATIONS, ids=lambda m: type(m).__name__)
def test_activations_match_pytorch(ours, ref):
    X = np.random.default_rng(0).normal(scale=3, size=(6, 4))
    X[0, 0] = 0.0  # the kink of ReLU: both use derivative 0 there
    G = np.random.default_rng(1).normal(size=(6, 4))
    x_ours, x_ref = Tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    out_ours, out_ref = ours(x_ours), ref(x_ref)
    _assert_close(out_ours, out_ref)
    (out_ours * G).sum().backward()
    (out_ref * torch.tensor(G)).sum().backward()
    _assert_close(x_ours.grad, x_ref.grad)


def _loss_cases():
    rng = np.random.default_rng(3)
    logits = rng.normal(scale=4, size=(8, 5))
    yield "mse", nn.MSELoss, torch.nn.MSELoss, logits, rng.normal(size=(8, 5))
    yield "bce", nn.BCEWithLogitsLoss, torch.nn.BCEWithLogitsLoss, logits, \
        rng.uniform(size=(8, 5))
    yield "ce", nn.CrossEntropyLoss, torch.nn.CrossEntropyLoss, logits, rng.integers(0, 5, 8)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", list(_loss_cases()), ids=lambda c: c[0])
def test_losses_match_pytorch(case, reduction):
    _, ours_cls, ref_cls, Z, target = case
    z_ours, z_ref = Tensor(Z, requires_grad=True), torch.tensor(Z, requires_grad=True)
    out_ours = ours_cls(reduction=reduction)(z_ours, target)
    out_ref = ref_cls(reduction=reduction)(z_ref, torch.tensor(target))
    _assert_close(out_ours, out_ref)
    G = np.random.default_rng(4).normal(size=np.shape(out_ours.data))
    (out_ours * G).sum().backward()
    (out_ref * torch.tensor(G)).sum().backward()
    _assert_close(z_ours.grad, z_ref.grad)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("loss, weights", [
    ("mse_loss", {}),
    ("binary_cross_entropy_with_logits", {}),
    ("binary_cross_entropy_with_logits",
     {"weight": [2.0, 0.5, 1.0], "pos_weight": [3.0, 1.0, 0.2]}),
], ids=["mse", "bce", "bce-weighted"])
def test_loss_gradient_reaches_a_tensor_target(loss, weights, reduction):
    """A target that is itself a Tensor (a teacher network's output, soft labels) gets its
    gradient, as in PyTorch; the losses used to read its values only, leaving ``grad`` None."""
    rng = np.random.default_rng(5)
    Z, Y = rng.normal(scale=3, size=(6, 3)), rng.uniform(size=(6, 3))
    G = rng.normal(size=(6, 3)) if reduction == "none" else 1.0
    z, y = Tensor(Z, requires_grad=True), Tensor(Y, requires_grad=True)
    ours_weights = {k: np.array(v) for k, v in weights.items()}
    out = getattr(F, loss)(z, y, reduction=reduction, **ours_weights)
    (out * G).sum().backward()
    z_ref, y_ref = torch.tensor(Z, requires_grad=True), torch.tensor(Y, requires_grad=True)
    ref_weights = {k: torch.tensor(v, dtype=torch.float64) for k, v in weights.items()}
    out_ref = getattr(torch.nn.functional, loss)(z_ref, y_ref, reduction=reduction,
                                                 **ref_weights)
    (out_ref * torch.as_tensor(G)).sum().backward()
    _assert_close(out, out_ref)
    _assert_close(z.grad, z_ref.grad)
    assert y.grad is not None
    _assert_close(y.grad, y_ref.grad)


def test_losses_are_stable_for_huge_logits():
    Z = np.array([[1000.0, -1000.0, 0.0], [-800.0, 800.0, 5.0]])
    z = Tensor(Z, requires_grad=True)
    loss = nn.CrossEntropyLoss()(z, np.array([1, 1]))
    loss.backward()
    ref = torch.tensor(Z, requires_grad=True)
    torch.nn.functional.cross_entropy(ref, torch.tensor([1, 1])).backward()
    _assert_close(loss, torch.nn.functional.cross_entropy(torch.tensor(Z), torch.tensor([1, 1])))
    _assert_close(z.grad, ref.grad)
    bce = nn.BCEWithLogitsLoss()(Tensor(Z), np.ones_like(Z))
    assert np.isfinite(bce.data)


def test_fused_primitives_equal_their_compositions():
    """The fused rules change speed only: same values and gradients as elementary primitives."""
    rng = np.random.default_rng(5)
    X, W, b = rng.normal(size=(6, 4)), rng.normal(size=(3, 4)), rng.normal(size=3)
    labels = rng.integers(0, 3, 6)
    Y = rng.uniform(size=(6, 3))

    def fused(W, b):
        z = F.linear(X, W, b)
        return anp.mean(F.softmax_cross_entropy(z, labels)) + anp.mean(F.bce_with_logits(z, Y))

    def composed(W, b):
        z = X @ anp.transpose(W) + b
        ce = -anp.mean(anp.take_along_axis(anp.log_softmax(z, axis=1), labels[:, None], 1))
        bce = anp.mean(anp.softplus(z) - z * Y)
        return ce + bce

    assert fused(W, b) == pytest.approx(composed(W, b), rel=1e-13)
    for argnum in (0, 1):
        assert_close_to_scale(grad(fused, argnum)(W, b), grad(composed, argnum)(W, b),
                              rtol=1e-12)


def test_fused_primitives_second_derivatives():
    """The rules are differentiable themselves: the Hessian of a tiny network is finite-diff."""
    from fromscratch.autodiff import check_grad

    rng = np.random.default_rng(6)
    X, labels = rng.normal(size=(5, 3)), rng.integers(0, 2, 5)

    def loss(w):
        W = anp.reshape(w, (2, 3))
        return anp.mean(F.softmax_cross_entropy(F.linear(X, W), labels))

    check_grad(grad(loss), rng.normal(size=6))


class ThreeLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 6, random_state=0)
        self.layers = nn.ModuleList([nn.Linear(6, 5, random_state=1)])
        self.out = nn.Linear(5, 3, random_state=2)

    def forward(self, x):
        return self.out(F.relu(self.layers[0](anp.tanh(self.hidden(x)))))


def _torch_three_layer(model):
    ref = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 5),
                              torch.nn.ReLU(), torch.nn.Linear(5, 3)).double()
    with torch.no_grad():
        for p, (_, q) in zip(ref.parameters(), model.named_parameters(), strict=True):
            p.copy_(torch.tensor(q.data))
    return ref


def test_three_layer_mlp_matches_pytorch():
    model = ThreeLayer()
    assert [n for n, _ in model.named_parameters()] == [
        "hidden.weight", "hidden.bias", "layers.0.weight", "layers.0.bias", "out.weight",
        "out.bias"]
    ref = _torch_three_layer(model)
    X = np.random.default_rng(0).normal(size=(10, 4))
    y = np.random.default_rng(1).integers(0, 3, 10)
    loss = nn.CrossEntropyLoss()(model(X), y)
    loss.backward()
    ref_loss = torch.nn.CrossEntropyLoss()(ref(torch.tensor(X)), torch.tensor(y))
    ref_loss.backward()
    _assert_close(loss, ref_loss)
    for p, q in zip(model.parameters(), ref.parameters(), strict=True):
        _assert_close(p.grad, q.grad)


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_training_steps_match_pytorch(optimizer):
    from fromscratch import optim

    model = ThreeLayer()
    ref = _torch_three_layer(model)
    kwargs = {"lr": 0.05, "momentum": 0.9} if optimizer == "SGD" else {"lr": 0.01}
    ours_opt = getattr(optim, optimizer)(model.parameters(), **kwargs)
    ref_opt = getattr(torch.optim, optimizer)(ref.parameters(), **kwargs)
    rng = np.random.default_rng(2)
    for _ in range(3):
        X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
        ours_opt.zero_grad()
        nn.CrossEntropyLoss()(model(X), y).backward()
        ours_opt.step()
        ref_opt.zero_grad()
        torch.nn.CrossEntropyLoss()(ref(torch.tensor(X)), torch.tensor(y)).backward()
        ref_opt.step()
    for p, q in zip(model.parameters(), ref.parameters(), strict=True):
        _assert_close(p, q, rtol=1e-9)


def test_dropout_is_inverted_and_identity_in_eval():
    layer = nn.Dropout(0.25, random_state=0)
    x = np.ones((400, 50))
    out = np.asarray(layer(x))
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.75)
    assert kept.mean() == pytest.approx(0.75, abs=0.01)
    assert not np.array_equal(np.asarray(layer(x)) != 0, kept)  # a fresh mask per call
    layer.eval()
    assert layer(x) is x
    t = Tensor(np.ones((3, 4)), requires_grad=True)
    layer.train()
    out = layer(t)
    out.sum().backward()
    np.testing.assert_array_equal(t.grad, np.asarray(out.data))  # d(x*m)/dx = m
    assert np.asarray(nn.Dropout(1.0)(np.ones(3))).sum() == 0
    assert nn.Dropout(0.0)(x) is x


def test_module_modes_zero_grad_and_to():
    model = nn.Sequential(nn.Linear(2, 3, random_state=0), nn.Dropout(0.5), nn.Linear(3, 1))
    assert all(m.training for m in model.modules())
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    model(np.ones((4, 2))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(np.all(p.grad == 0) for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.to(np.float32)
    assert all(p.data.dtype == np.float32 for p in model.parameters())
    assert model(np.ones((4, 2), dtype=np.float32)).data.dtype == np.float32
    with pytest.raises(TypeError, match="float32 or float64"):
        model.to(np.int64)


def test_parameters_are_registered_once_and_frozen_ones_stay():
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(3, 3, random_state=0)
            self.b = nn.Linear(3, 3, random_state=1)
            self.b.weight = self.a.weight  # weight tying
            self.scale = Tensor(2.0)  # a constant: not a parameter

    model = Tied()
    assert [n for n, _ in model.named_parameters()] == ["a.weight", "a.bias", "b.bias"]
    model.a.bias.requires_grad = False
    assert "a.bias" in model.state_dict()
    model.a.bias = None
    assert "a.bias" not in model.state_dict()
    assert isinstance(nn.Parameter(np.ones(2)), Tensor)


def test_parameter_is_a_tensor_subclass_as_in_pytorch():
    p = nn.Parameter(np.ones(2))
    assert isinstance(p, nn.Parameter) and isinstance(p, Tensor) and p.is_leaf
    assert all(isinstance(q, nn.Parameter) for q in nn.Linear(2, 3).parameters())
    frozen = nn.Parameter(np.ones(2), requires_grad=False)
    assert isinstance(frozen, nn.Parameter) and not frozen.requires_grad
    y = (p * 3.0).sum()
    assert type(y) is Tensor  # operations on parameters return plain Tensors
    y.backward()
    np.testing.assert_array_equal(p.grad, [3.0, 3.0])
    assert not isinstance(Tensor(np.ones(2), requires_grad=True), nn.Parameter)


def test_slicing_a_container_gives_a_container_as_in_pytorch():
    """``model[:-1]`` is a Sequential of the same layers (PyTorch's feature extractor idiom);
    it used to be a plain list, which cannot be called."""
    ours = nn.Sequential(nn.Linear(2, 3, random_state=0), nn.Tanh(), nn.Linear(3, 1))
    ref = torch.nn.Sequential(torch.nn.Linear(2, 3, dtype=torch.float64), torch.nn.Tanh(),
                              torch.nn.Linear(3, 1, dtype=torch.float64))
    with torch.no_grad():
        for (_, p), (_, q) in zip(ours.named_parameters(), ref.named_parameters(), strict=True):
            q.copy_(torch.tensor(p.data))
    X = np.random.default_rng(0).normal(size=(4, 2))
    head, ref_head = ours[:-1], ref[:-1]
    assert type(head) is nn.Sequential and type(ref_head) is torch.nn.Sequential
    assert len(head) == len(ref_head) == 2 and head[0] is ours[0]  # shared, not copied
    _assert_close(head(X), ref_head(torch.tensor(X)))
    layers = nn.ModuleList([nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)])
    assert type(layers[::2]) is nn.ModuleList and list(layers[::2]) == [layers[0], layers[2]]
    assert type(torch.nn.ModuleList([torch.nn.ReLU()] * 2)[:1]) is torch.nn.ModuleList


def test_state_dict_round_trip_and_errors():
    model = nn.Sequential(nn.Linear(2, 3, random_state=0), nn.Tanh(), nn.Linear(3, 1))
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    other = nn.Sequential(nn.Linear(2, 3, random_state=5), nn.Tanh(), nn.Linear(3, 1))
    weight_array = other[0].weight.data
    other.load_state_dict(state)
    assert other[0].weight.data is weight_array  # loaded in place: optimizers keep working
    for key, value in other.state_dict().items():
        np.testing.assert_array_equal(value, state[key])
    state["0.weight"][...] = 7  # a copy: changing it leaves the model alone
    assert not np.any(model[0].weight.data == 7)

    bad = dict(state)
    del bad["0.bias"]
    bad["extra"] = np.ones(1)
    bad["2.weight"] = np.ones((2, 3))
    with pytest.raises(ValueError) as info:
        other.load_state_dict(bad)
    message = str(info.value)
    assert "missing keys ['0.bias']" in message and "unexpected keys ['extra']" in message
    assert "'2.weight' has shape (2, 3) in state_dict but (1, 3)" in message
    result = other.load_state_dict({"0.weight": np.zeros((3, 2)), "x": 1}, strict=False)
    assert result.missing_keys == ["0.bias", "2.weight", "2.bias"]
    assert result.unexpected_keys == ["x"]
    assert np.all(other[0].weight.data == 0)
    with pytest.raises(TypeError, match="dict"):
        other.load_state_dict([1, 2])


def test_shape_mismatch_names_layer_and_shapes():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(5, 2))
    with pytest.raises(ValueError) as info:
        model(np.ones((3, 4)))
    message = str(info.value)
    assert "Sequential layer [2]" in message and "(3, 8)" in message
    assert "in_features=5" in message and "(2, 5)" in message


def test_bad_arguments():
    with pytest.raises(ValueError, match="in_features"):
        nn.Linear(0, 3)
    with pytest.raises(ValueError, match="p must be in"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="reduction must be one of"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match=r"class indices must be in \[0, 2\]"):
        nn.CrossEntropyLoss()(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="must be 2 class indices"):
        nn.CrossEntropyLoss()(np.zeros((2, 3)), np.array([[0], [1]]))
    with pytest.raises(TypeError, match="integer class indices"):
        nn.CrossEntropyLoss()(np.zeros((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="targets must lie in"):
        nn.BCEWithLogitsLoss()(np.zeros((2, 1)), np.array([[0.0], [2.0]]))
    with pytest.raises(ValueError, match="target has shape"):
        nn.MSELoss()(np.zeros((2, 1)), np.zeros(2))
    with pytest.raises(TypeError, match="holds Modules"):
        nn.Sequential(nn.ReLU(), "relu")
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


def test_repr():
    model = nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.2), nn.Dropout(0.1))
    text = repr(model)
    assert "(0): Linear(in_features=2, out_features=3, bias=True)" in text
    assert "LeakyReLU(negative_slope=0.2)" in text and "Dropout(p=0.1)" in text


def test_flatten_equals_torch_and_refuses_what_torch_refuses():
    torch = pytest.importorskip("torch")
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(nn.Flatten()(Tensor(x)).data,
                                  torch.nn.Flatten()(torch.tensor(x)).numpy())
    for bad in (np.arange(3.0), np.float64(2.0)):
        with pytest.raises(IndexError):
            torch.nn.Flatten()(torch.tensor(bad))
        with pytest.raises(ValueError, match=r"at least 2 dimensions; got shape"):
            nn.Flatten()(Tensor(bad))  # was silently (3, 1): a batch of 3 samples
