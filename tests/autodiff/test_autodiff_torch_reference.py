"""Gradients, JVPs and Hessians against PyTorch autograd (float64, rtol 1e-10).

Each composed function is written once for a NumPy-like namespace ``xp`` and run with
``fromscratch.autodiff.numpy`` (ours) and with a tiny torch adapter (the reference), so the
two sides compute the same mathematics from the same source line.
"""

from __future__ import annotations

import types

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Tensor, grad, hessian, hvp, jvp
from tolerance import assert_close_to_scale

torch = pytest.importorskip("torch")
# torch.func emits a DeprecationWarning about torch.jit.script from its own internals
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")
RTOL = 1e-10

tnp = types.SimpleNamespace(
    tanh=torch.tanh, relu=torch.relu, exp=torch.exp, log=torch.log, sin=torch.sin,
    sum=lambda x, axis=None: x.sum() if axis is None else x.sum(dim=axis),
    mean=lambda x: x.mean(), softplus=torch.nn.functional.softplus,
    log_softmax=lambda x, axis: torch.log_softmax(x, dim=axis),
    logsumexp=lambda x, axis: torch.logsumexp(x, dim=axis),
    sigmoid=torch.sigmoid, square=torch.square, maximum=torch.maximum,
)

rng = np.random.default_rng(42)
N, D, H, K = 16, 4, 5, 3
X = rng.normal(size=(N, D))
labels = rng.integers(0, K, size=N)
y01 = (rng.random(N) < 0.5).astype(float)
SHAPES = [(D, H), (H,), (H, K), (K,)]
SIZES = [int(np.prod(s)) for s in SHAPES]


def _unpack(theta, xp_reshape):
    out, start = [], 0
    for shape, size in zip(SHAPES, SIZES, strict=True):
        out.append(xp_reshape(theta[start:start + size], shape))
        start += size
    return out


def mlp_cross_entropy(theta, xp, Xd, onehot, reshape):
    """Mean softmax cross-entropy of a one-hidden-layer tanh MLP."""
    W1, b1, W2, b2 = _unpack(theta, reshape)
    logits = xp.tanh(Xd @ W1 + b1) @ W2 + b2
    return -xp.mean(xp.sum(xp.log_softmax(logits, 1) * onehot, axis=1))


def logistic_loss(w, xp, Xd, y):
    z = Xd @ w
    return xp.sum(xp.softplus(z) - y * z) / z.shape[0] + 0.1 * xp.sum(w * w)


def softmax_cross_entropy(Z, xp, onehot):
    return xp.mean(xp.logsumexp(Z, 1) - xp.sum(Z * onehot, axis=1))


def rosenbrock(x, xp):
    return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def reuse_many_times(x, xp):
    """One intermediate feeding many later nodes (and itself squared, divided, re-used)."""
    h = xp.sin(x) * x
    total = h
    for k in range(1, 8):
        total = total + h * h / k - xp.exp(h / (k + 1))
    return xp.sum(total * h)


def _cases():
    onehot = np.eye(K)[labels]
    t = torch.from_numpy
    return {
        "mlp cross-entropy": (
            lambda th: mlp_cross_entropy(th, anp, X, onehot, anp.reshape),
            lambda th: mlp_cross_entropy(th, tnp, t(X), t(onehot), torch.reshape),
            rng.normal(size=sum(SIZES)) * 0.5),
        "logistic loss": (
            lambda w: logistic_loss(w, anp, X, y01),
            lambda w: logistic_loss(w, tnp, t(X), t(y01)),
            rng.normal(size=D)),
        "softmax cross-entropy": (
            lambda Z: softmax_cross_entropy(Z, anp, onehot),
            lambda Z: softmax_cross_entropy(Z, tnp, t(onehot)),
            rng.normal(size=(N, K)) * 3),
        "rosenbrock": (lambda x: rosenbrock(x, anp), lambda x: rosenbrock(x, tnp),
                       rng.normal(size=6)),
        "reused intermediate": (lambda x: reuse_many_times(x, anp),
                                lambda x: reuse_many_times(x, tnp), rng.normal(size=5) * 0.5),
    }


CASES = _cases()


def _torch_grad(f_torch, x):
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f_torch(xt).backward()
    return xt.grad.numpy()


@pytest.mark.parametrize("name", list(CASES))
def test_gradient_matches_pytorch(name):
    f, f_torch, x = CASES[name]
    expected = _torch_grad(f_torch, x)
    assert_close_to_scale(grad(f)(x), expected, rtol=RTOL)
    t = Tensor(x, requires_grad=True)
    f(t).backward()
    assert_close_to_scale(t.grad, expected, rtol=RTOL)


@pytest.mark.parametrize("name", list(CASES))
def test_jvp_matches_pytorch(name):
    f, f_torch, x = CASES[name]
    v = np.random.default_rng(1).normal(size=x.shape)
    value, tangent = jvp(f, (x,), (v,))
    value_t, tangent_t = torch.func.jvp(f_torch, (torch.from_numpy(x),), (torch.from_numpy(v),))
    np.testing.assert_allclose(value, value_t.numpy(), rtol=RTOL)
    np.testing.assert_allclose(tangent, tangent_t.numpy(), rtol=RTOL)


@pytest.mark.parametrize("name", list(CASES))
def test_hessian_matches_pytorch(name):
    f, f_torch, x = CASES[name]
    expected = torch.autograd.functional.hessian(f_torch, torch.from_numpy(x)).numpy()
    atol = 1e-12 * np.abs(expected).max()  # exact zeros in H are compared absolutely
    for mode in ("reverse", "forward"):
        np.testing.assert_allclose(hessian(f, mode=mode)(x), expected, rtol=RTOL, atol=atol)
    v = np.random.default_rng(2).normal(size=x.shape)
    np.testing.assert_allclose(hvp(f, x, v), np.tensordot(expected, v, axes=v.ndim),
                               rtol=1e-9, atol=atol)


def test_elementwise_primitives_match_pytorch_forward_and_backward():
    """Values and gradients of the table's elementwise entries (tinygrad's habit)."""
    x = rng.normal(size=(3, 4)) * 2
    pos = np.abs(x) + 0.1
    pairs = {
        "exp": (anp.exp, torch.exp, x), "log": (anp.log, torch.log, pos),
        "log1p": (anp.log1p, torch.log1p, pos), "expm1": (anp.expm1, torch.expm1, x),
        "sqrt": (anp.sqrt, torch.sqrt, pos), "abs": (anp.abs, torch.abs, x),
        "sin": (anp.sin, torch.sin, x), "cos": (anp.cos, torch.cos, x),
        "tan": (anp.tan, torch.tan, x / 3), "arctan": (anp.arctan, torch.arctan, x),
        "sinh": (anp.sinh, torch.sinh, x), "cosh": (anp.cosh, torch.cosh, x),
        "tanh": (anp.tanh, torch.tanh, x), "sigmoid": (anp.sigmoid, torch.sigmoid, x),
        "relu": (anp.relu, torch.relu, x),
        "softplus": (anp.softplus, torch.nn.functional.softplus, x),
        "softmax": (lambda a: anp.softmax(a, 1), lambda a: torch.softmax(a, 1), x),
        "std": (lambda a: anp.std(a, 0, 1), lambda a: torch.std(a, 0), x),
        "cumsum": (lambda a: anp.cumsum(a, 1), lambda a: torch.cumsum(a, 1), x),
        "prod": (lambda a: anp.prod(a, 1), lambda a: torch.prod(a, 1), x),
        "norm": (lambda a: anp.norm(a, axis=0), lambda a: torch.linalg.norm(a, dim=0), x),
    }
    for name, (ours, theirs, a) in pairs.items():
        at = torch.tensor(a, requires_grad=True)
        out_t = theirs(at)
        w = rng.normal(size=tuple(out_t.shape))  # a random cotangent
        (out_t * torch.from_numpy(w)).sum().backward()
        t = Tensor(a, requires_grad=True)
        out = ours(t)
        anp.sum(out * w).backward()
        assert_close_to_scale(out.data, out_t.detach().numpy(), rtol=1e-13, err_msg=name)
        np.testing.assert_allclose(t.grad, at.grad.numpy(), rtol=1e-12, atol=1e-15,
                                   err_msg=name)


def _with_zeros(a):
    a = a.copy()
    a[0, 1] = a[0, 3] = a[1, 0] = 0.0  # row 0 holds two zeros, row 1 one
    return a


_x = rng.normal(size=(3, 4))
_c = rng.normal(size=(3, 4))
_unit = 0.8 * np.tanh(_x)
F = torch.nn.functional
COVERAGE = {  # name: (ours, theirs, point); the second argument of binary functions is fixed
    "exp2": (anp.exp2, torch.exp2, _x), "log2": (anp.log2, torch.log2, np.abs(_x) + 0.1),
    "log10": (anp.log10, torch.log10, np.abs(_x) + 0.1),
    "arcsin": (anp.arcsin, torch.asin, _unit), "arccos": (anp.arccos, torch.acos, _unit),
    "arctanh": (anp.arctanh, torch.atanh, _unit), "arcsinh": (anp.arcsinh, torch.asinh, _x * 3),
    "arccosh": (anp.arccosh, torch.acosh, np.abs(_x) + 1.1), "sinc": (anp.sinc, torch.sinc, _x),
    "reciprocal": (anp.reciprocal, torch.reciprocal, np.abs(_x) + 0.1),
    "logaddexp": (lambda a: anp.logaddexp(a, _c), lambda a: torch.logaddexp(a, _t(_c)), _x),
    "logaddexp2": (lambda a: anp.logaddexp2(a, _c), lambda a: torch.logaddexp2(a, _t(_c)), _x),
    "hypot": (lambda a: anp.hypot(a, _c), lambda a: torch.hypot(a, _t(_c)), _x),
    "arctan2": (lambda a: anp.arctan2(a, _c), lambda a: torch.atan2(a, _t(_c)), _x),
    "arctan2 (second input)": (lambda a: anp.arctan2(_c, a), lambda a: torch.atan2(_t(_c), a),
                               _x),
    "fmax": (lambda a: anp.fmax(a, _c), lambda a: torch.fmax(a, _t(_c)), _x),
    "remainder": (lambda a: a % 1.5, lambda a: torch.remainder(a, 1.5), _x * 3),
    "remainder (divisor)": (  # torch has no derivative of remainder in its divisor
        lambda a: 2.5 % a, lambda a: 2.5 - torch.floor(2.5 / a) * a, np.abs(_x) + 0.2),
    "prod with zeros": (lambda a: anp.prod(a, 1), lambda a: torch.prod(a, 1), _with_zeros(_x)),
    "cumprod with zeros": (lambda a: anp.cumprod(a, 1), lambda a: torch.cumprod(a, 1),
                           _with_zeros(_x)),
    "kron": (lambda a: anp.kron(a, _c[:2, :2]), lambda a: torch.kron(a, _t(_c[:2, :2])), _x),
    "einsum": (lambda a: anp.einsum("ij,kj->ik", a, _c), lambda a: torch.einsum(
        "ij,kj->ik", a, _t(_c)), _x),
    "einsum diagonal": (lambda a: anp.einsum("ii->i", a[:, :3]),
                        lambda a: torch.einsum("ii->i", a[:, :3]), _x),
    "tensordot": (lambda a: anp.tensordot(a, _c.T, 1), lambda a: torch.tensordot(
        a, _t(_c.T), 1), _x),
    "inner": (lambda a: anp.inner(a, _c), lambda a: torch.inner(a, _t(_c)), _x),
    "cross": (lambda a: anp.cross(a[:, :3], _c[:, 1:]), lambda a: torch.linalg.cross(
        a[:, :3], _t(_c[:, 1:])), _x),
    "sort": (lambda a: anp.sort(a, 1), lambda a: torch.sort(a, 1).values, _x),
    "tril": (lambda a: anp.tril(a, 1), lambda a: torch.tril(a, 1), _x),
    "triu": (anp.triu, torch.triu, _x),
    "diagonal": (lambda a: anp.diagonal(a, 1), lambda a: torch.diagonal(a, 1), _x),
    "trace": (anp.trace, torch.trace, _x),
    "diag": (lambda a: anp.diag(a[0]), lambda a: torch.diag(a[0]), _x),
    "diff": (lambda a: anp.diff(a, 2, axis=1), lambda a: torch.diff(a, 2, dim=1), _x),
    "roll": (lambda a: anp.roll(a, 2, 1), lambda a: torch.roll(a, 2, 1), _x),
    "flip": (lambda a: anp.flip(a, 1), lambda a: torch.flip(a, [1]), _x),
    "rot90": (anp.rot90, lambda a: torch.rot90(a, 1, [0, 1]), _x),
    "repeat": (lambda a: anp.repeat(a, 2, 1), lambda a: torch.repeat_interleave(a, 2, 1), _x),
    "tile": (lambda a: anp.tile(a, (2, 1)), lambda a: torch.tile(a, (2, 1)), _x),
    "pad constant": (lambda a: anp.pad(a, ((0, 1), (1, 2)), constant_values=0.5),
                     lambda a: F.pad(a, (1, 2, 0, 1), value=0.5), _x),
    "pad reflect": (lambda a: anp.pad(a, ((0, 0), (2, 2)), mode="reflect"),
                    lambda a: F.pad(a, (2, 2), mode="reflect"), _x),
    "pad wrap": (lambda a: anp.pad(a, ((0, 0), (1, 2)), mode="wrap"),
                 lambda a: F.pad(a[None], (1, 2), mode="circular")[0], _x),
    "hstack, vstack": (lambda a: anp.vstack([anp.hstack([a, a * 2]), anp.hstack([a, a]) ** 2]),
                       lambda a: torch.vstack([torch.hstack([a, a * 2]),
                                               torch.hstack([a, a]) ** 2]), _x),
}


def _t(a):
    return torch.from_numpy(a)


@pytest.mark.filterwarnings("ignore:Output seems independent")  # linear f: constant gradient
@pytest.mark.parametrize("name", list(COVERAGE))
def test_coverage_matches_pytorch_values_gradients_and_hessian_vector_products(name):
    """Values, gradients (a random cotangent) and second derivatives (the Hessian-vector
    product of a weighted sum) of the functions added to the namespace, against PyTorch."""
    ours, theirs, a = COVERAGE[name]
    out_t = theirs(_t(a))
    w = np.random.default_rng(3).normal(size=tuple(out_t.shape))
    v = np.random.default_rng(4).normal(size=a.shape)
    value = ours(a)
    np.testing.assert_allclose(value, out_t.numpy(), rtol=1e-13,
                               atol=1e-14 * np.abs(out_t.numpy()).max())

    def weighted(a):
        return anp.sum(ours(a) * w)

    def weighted_t(a):
        return (theirs(a) * _t(w)).sum()

    g_t = torch.func.grad(weighted_t)(_t(a)).numpy()
    np.testing.assert_allclose(grad(weighted)(a), g_t, rtol=1e-12, atol=1e-14 * np.abs(g_t).max())
    hv_t = torch.autograd.functional.hvp(weighted_t, _t(a), _t(v))[1].numpy()
    scale = max(np.abs(hv_t).max(), 1e-300)
    for hv in (hvp(weighted, a, v), hessian(weighted)(a).reshape(a.size, a.size) @ v.ravel()):
        np.testing.assert_allclose(np.reshape(hv, a.shape), hv_t, rtol=1e-10,
                                   atol=1e-12 * scale)
