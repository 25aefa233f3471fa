"""The in-place initializers as torch.nn.init spells them: they overwrite a Tensor's values,
draw from the right distribution (statistical tolerances derived from the sample size), and use
PyTorch's fans and gains."""

import math

import numpy as np
import pytest

from fromscratch import nn, optim
from fromscratch.autodiff import Tensor
from fromscratch.nn import init

torch = pytest.importorskip("torch")

N = 200_000  # values per distribution check
Z = 6.0  # tolerance in standard errors: a correct sampler fails about once in 5e8 runs


def _assert_moments(x, mean, std, kurtosis):
    """Sample mean and standard deviation within ``Z`` standard errors of the truth.

    SE(mean) = std / sqrt(n); for the sample standard deviation the delta method gives
    SE(s) = std * sqrt((kurtosis - 1) / (4 n)) (kurtosis 3 for a normal, 9/5 for a uniform).
    """
    x = np.ravel(x)
    n = x.size
    assert abs(x.mean() - mean) <= Z * std / math.sqrt(n)
    assert abs(x.std() - std) <= Z * std * math.sqrt((kurtosis - 1) / (4 * n))


def _parameter(shape, dtype=np.float64):
    return nn.Parameter(np.full(shape, 123.0, dtype=dtype))  # a value no initializer draws


# name, keyword arguments, the out-of-place twin
INPLACE = [
    ("uniform_", dict(a=-0.5, b=2.0), "uniform", dict(low=-0.5, high=2.0)),
    ("normal_", dict(mean=1.0, std=0.3), "normal", dict(mean=1.0, std=0.3)),
    ("trunc_normal_", dict(std=0.5, a=-0.4, b=1.0), "trunc_normal", dict(std=0.5, a=-0.4, b=1.0)),
    ("xavier_uniform_", dict(gain=2.0), "xavier_uniform", dict(gain=2.0)),
    ("xavier_normal_", dict(), "xavier_normal", dict()),
    ("kaiming_uniform_", dict(a=math.sqrt(5)), "kaiming_uniform", dict(a=math.sqrt(5))),
    ("kaiming_normal_", dict(mode="fan_out", nonlinearity="relu"), "kaiming_normal",
     dict(mode="fan_out", nonlinearity="relu")),
    ("orthogonal_", dict(gain=0.5), "orthogonal", dict(gain=0.5)),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "kwargs", "twin", "twin_kwargs"), INPLACE,
                         ids=[case[0] for case in INPLACE])
def test_in_place_overwrites_and_returns_the_tensor(name, kwargs, twin, twin_kwargs, dtype):
    p = _parameter((6, 4, 3), dtype)
    values = p.data
    assert getattr(init, name)(p, **kwargs, generator=7) is p
    assert p.data is values and p.data.dtype == dtype and p.data.shape == (6, 4, 3)
    # The same numbers as the out-of-place twin from the same seed.
    np.testing.assert_array_equal(
        p.data, getattr(init, twin)((6, 4, 3), **twin_kwargs, random_state=7, dtype=dtype))
    # A NumPy array is overwritten the same way; a Generator is used as is.
    array = np.empty((6, 4, 3), dtype=dtype)
    assert getattr(init, name)(array, **kwargs, generator=np.random.default_rng(7)) is array
    np.testing.assert_array_equal(array, p.data)


def test_constant_ones_zeros():
    p = _parameter((3, 2), np.float32)
    assert init.constant_(p, 0.25) is p and np.all(p.data == np.float32(0.25))
    assert init.ones_(p) is p and np.all(p.data == 1)
    t = Tensor(np.ones(4))
    assert init.zeros_(t) is t and np.all(t.data == 0)


@pytest.mark.parametrize("nonlinearity, param",
                         [("linear", None), ("conv2d", None), ("conv_transpose3d", None),
                          ("sigmoid", None), ("tanh", None), ("relu", None), ("selu", None),
                          ("leaky_relu", None), ("leaky_relu", 0), ("leaky_relu", 0.2)])
def test_gains_match_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity, param), rel=1e-15)


@pytest.mark.parametrize("shape", [(400, 500), (500, 400), (64, 16, 3, 3)])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize("nonlinearity, a", [("leaky_relu", 0), ("relu", 0),
                                             ("leaky_relu", math.sqrt(5)), ("tanh", 0)])
def test_kaiming_has_torchs_fan_and_gain(shape, mode, nonlinearity, a):
    """Bound b = gain sqrt(3 / fan) and std gain / sqrt(fan), with fan and gain from PyTorch's
    own helpers; the draws fill [-b, b] and have the std within the sampling error."""
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert init.fans(shape) == (fan_in, fan_out)
    std = torch.nn.init.calculate_gain(nonlinearity, a) / math.sqrt(
        fan_in if mode == "fan_in" else fan_out)
    w = init.kaiming_uniform_(np.empty(shape), a=a, mode=mode, nonlinearity=nonlinearity,
                              generator=0)
    bound = math.sqrt(3) * std
    assert np.abs(w).max() <= bound and np.abs(w).max() > bound * (1 - 1e-3)
    _assert_moments(w, 0.0, std, kurtosis=9 / 5)
    w = init.kaiming_normal_(np.empty(shape), a=a, mode=mode, nonlinearity=nonlinearity,
                             generator=1)
    _assert_moments(w, 0.0, std, kurtosis=3)


@pytest.mark.parametrize("shape", [(400, 500), (32, 16, 5, 5)])
def test_xavier_has_torchs_scale(shape):
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    std = 1.5 * math.sqrt(2 / (fan_in + fan_out))
    w = init.xavier_uniform_(np.empty(shape), gain=1.5, generator=0)
    assert np.abs(w).max() <= math.sqrt(3) * std
    _assert_moments(w, 0.0, std, kurtosis=9 / 5)
    _assert_moments(init.xavier_normal_(np.empty(shape), gain=1.5, generator=1), 0.0, std, 3)


def test_uniform_and_normal_moments():
    w = init.uniform_(np.empty(N), a=-1.0, b=3.0, generator=0)
    assert w.min() >= -1.0 and w.max() <= 3.0
    _assert_moments(w, 1.0, 4 / math.sqrt(12), kurtosis=9 / 5)
    _assert_moments(init.normal_(np.empty(N), mean=-2.0, std=0.5, generator=1), -2.0, 0.5, 3)


def _truncated_moments(mean, std, a, b):
    """Mean, std and kurtosis of N(mean, std^2) truncated to [a, b] (closed forms with
    phi and Phi of alpha = (a - mean)/std, beta = (b - mean)/std)."""
    alpha, beta = (a - mean) / std, (b - mean) / std
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    mass = (math.erf(beta / math.sqrt(2)) - math.erf(alpha / math.sqrt(2))) / 2
    # raw moments of the standardised truncation: m_k = (k-1) m_{k-2} - (b^{k-1} phi(b) -
    # a^{k-1} phi(a)) / mass
    m = [1.0, -(phi(beta) - phi(alpha)) / mass]
    for k in range(2, 5):
        m.append((k - 1) * m[k - 2] - (beta ** (k - 1) * phi(beta)
                                       - alpha ** (k - 1) * phi(alpha)) / mass)
    var = m[2] - m[1] ** 2
    central4 = m[4] - 4 * m[1] * m[3] + 6 * m[1] ** 2 * m[2] - 3 * m[1] ** 4
    return mean + std * m[1], std * math.sqrt(var), central4 / var**2


@pytest.mark.parametrize(
    "mean, std, a, b",
    [(0.0, 1.0, -2.0, 2.0),  # PyTorch's defaults: normal proposals
     (0.0, 0.02, -2.0, 2.0),  # the common std=0.02: nothing is cut
     (0.0, 1.0, 2.0, 3.0),  # in the tail: uniform proposals
     (1.0, 2.0, -0.1, 0.1),  # narrow
     (0.0, 1.0, 5.0, 6.0)],  # far in the tail (PyTorch warns here)
)
def test_trunc_normal_has_the_truncated_moments(mean, std, a, b):
    w = init.trunc_normal_(np.empty(N), mean=mean, std=std, a=a, b=b, generator=0)
    assert w.min() >= a and w.max() <= b
    true_mean, true_std, kurtosis = _truncated_moments(mean, std, a, b)
    _assert_moments(w, true_mean, true_std, kurtosis)


@pytest.mark.parametrize("shape", [(30, 30), (40, 10), (10, 40), (8, 3, 2, 2)])
def test_orthogonal_is_orthogonal(shape):
    w = init.orthogonal_(np.empty(shape), gain=2.0, generator=0).reshape(shape[0], -1)
    gram = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w
    np.testing.assert_allclose(gram, 4.0 * np.eye(len(gram)), atol=1e-12)


def test_orthogonal_is_uniformly_distributed():
    """Haar measure: every entry is symmetric about 0 with E[w^2] = 1/n. Householder QR alone
    would give each column a fixed sign relation to the Gaussian draw (here E[w_11] ~ -0.4);
    the sign correction by diag(R) removes it."""
    rng = np.random.default_rng(0)
    n, draws = 4, 4000
    first = np.array([init.orthogonal((n, n), random_state=rng)[:, 0] for _ in range(draws)])
    # Var(w_ij) = 1/n for a Haar matrix; means within Z standard errors of 0.
    assert np.abs(first.mean(axis=0)).max() <= Z * math.sqrt(1 / n / draws)
    np.testing.assert_allclose((first**2).mean(axis=0), 1 / n, rtol=0.1)


def test_initialized_parameters_keep_training():
    """In place: an optimizer built before the initialization still updates the parameter."""
    layer = nn.Linear(5, 3, random_state=0)
    opt = optim.SGD(layer.parameters(), lr=0.1)
    init.orthogonal_(layer.weight, generator=1)
    init.zeros_(layer.bias)
    start = layer.weight.data.copy()
    layer(np.ones((2, 5))).sum().backward()
    opt.step()
    np.testing.assert_allclose(layer.weight.data, start - 0.1 * 2, rtol=1e-14)
    np.testing.assert_allclose(layer.bias.data, -0.1 * 2, rtol=1e-14)


def test_bad_input():
    with pytest.raises(TypeError, match="tensor must be a Tensor, a Parameter or a NumPy array"):
        init.normal_([0.0, 1.0])
    with pytest.raises(TypeError, match="tensor must hold float32 or float64 values"):
        init.zeros_(np.zeros(3, dtype=np.int64))
    with pytest.raises(TypeError, match="generator must be None, a non-negative int"):
        init.uniform_(np.empty(3), generator="seed")
    with pytest.raises(ValueError, match="a must be < b"):
        init.trunc_normal_(np.empty(3), a=1.0, b=1.0)
    with pytest.raises(ValueError, match=r"std must be in \(0"):
        init.trunc_normal_(np.empty(3), std=0.0)
    with pytest.raises(ValueError, match="wide and far in the tail"):
        init.trunc_normal_(np.empty(3), a=10.0, b=1000.0)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.orthogonal_(np.empty(4))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.kaiming_uniform_(np.empty(4))
    with pytest.raises(ValueError, match="mode must be one of"):
        init.kaiming_normal_(np.empty((2, 2)), mode="fan_avg")
    with pytest.raises(TypeError, match="val must be a real number"):
        init.constant_(np.empty(2), "one")
