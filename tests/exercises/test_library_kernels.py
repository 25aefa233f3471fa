"""The kernels the exercises are cut from, each against an independent reference: PyTorch's
autograd and optimizers, SciPy's triangular solve, NumPy's norms and solves, scikit-learn's
ridge, and the engine's table for the dual arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import jvp, trace
from fromscratch.autodiff.forward import dual_divide, dual_multiply
from fromscratch.autodiff.primitives.elementwise import tanh_vjp
from fromscratch.linalg import back_substitution, householder_reflector
from fromscratch.linear_model._cd import coordinate_descent_sweep, soft_threshold
from fromscratch.linear_model._iterative import ols_gradient, ridge_gradient
from fromscratch.linear_model._logistic_irls import irls_step, logistic_gradient
from fromscratch.optim.textbook import gradient_descent_update
from tolerance import assert_close_to_scale

torch = pytest.importorskip("torch")
scipy_linalg = pytest.importorskip("scipy.linalg")

seeds = st.integers(0, 2**32 - 1)


def _torch_grad(loss, *arrays):
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    loss(*tensors).backward()
    return [t.grad.numpy() for t in tensors]


@settings(max_examples=20, deadline=None)
@given(seed=seeds)
def test_least_squares_gradients_are_autograds(seed):
    rng = np.random.default_rng(seed)
    n, p = rng.integers(1, 20), rng.integers(1, 6)
    X, y, w, l2 = rng.normal(size=(n, p)), rng.normal(size=n), rng.normal(size=p), rng.random()
    Xt, yt = torch.tensor(X), torch.tensor(y)
    (ols,) = _torch_grad(lambda w_: 0.5 * ((yt - Xt @ w_) ** 2).mean(), w)
    (ridge,) = _torch_grad(lambda w_: 0.5 * ((yt - Xt @ w_) ** 2).mean()
                           + 0.5 * l2 * (w_ ** 2).sum(), w)
    assert_close_to_scale(ols_gradient(w, X, y), ols, rtol=1e-12)
    assert_close_to_scale(ridge_gradient(w, X, y, l2), ridge, rtol=1e-12)


def test_the_ridge_gradient_vanishes_at_scikit_learns_ridge():
    sklearn = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 4)), rng.normal(size=50)
    model = sklearn.Ridge(alpha=3.0).fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    g = ridge_gradient(model.coef_, Xc, yc, 3.0 / 50)
    assert np.max(np.abs(g)) < 1e-12 * np.max(np.abs(Xc.T @ yc))


def test_a_gradient_descent_step_is_torchs_sgd():
    rng = np.random.default_rng(1)
    theta, g = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    param = torch.nn.Parameter(torch.tensor(theta))
    param.grad = torch.tensor(g)
    torch.optim.SGD([param], lr=0.3).step()
    (ours,) = gradient_descent_update(theta, g, lr=0.3)
    np.testing.assert_allclose(ours, param.detach().numpy(), rtol=1e-15)


@settings(max_examples=30, deadline=None)
@given(seed=seeds, nearly_axis=st.booleans())
def test_the_reflector_reflects_x_onto_the_axis(seed, nearly_axis):
    """H = I - tau v v^T (formed explicitly) is orthogonal and H x = beta e_0 with
    |beta| = numpy's norm of x and the sign opposite to x_0's."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=rng.integers(1, 8))
    if nearly_axis:
        x[1:] *= 1e-9
    v, tau, beta = householder_reflector(x)
    H = np.eye(x.size) - tau * np.outer(v, v)
    np.testing.assert_allclose(H @ H.T, np.eye(x.size), atol=1e-14)
    target = np.zeros_like(x)
    target[0] = -np.sign(x[0]) * np.linalg.norm(x)
    np.testing.assert_allclose(H @ x, target, atol=1e-14 * np.linalg.norm(x))
    assert beta == pytest.approx(target[0], rel=1e-15)


def test_the_reflector_of_zero_is_the_identity():
    v, tau, beta = householder_reflector(np.zeros(3, dtype=np.float32))
    assert not v.any() and tau == 0 and beta == 0
    assert v.dtype == tau.dtype == beta.dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(6,), (6, 3)])
def test_back_substitution_is_scipys_triangular_solve(dtype, shape):
    rng = np.random.default_rng(2)
    R = (np.triu(rng.normal(size=(6, 6))) + 3 * np.eye(6)).astype(dtype)
    junk = R + np.tril(rng.normal(size=(6, 6)), -1).astype(dtype)  # never read
    b = rng.normal(size=shape).astype(dtype)
    x = back_substitution(junk, b)
    assert x.dtype == dtype and x.shape == shape
    reference = scipy_linalg.solve_triangular(R, b, lower=False)
    np.testing.assert_allclose(x, reference, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_soft_threshold_is_torchs_softshrink():
    v = np.linspace(-3, 3, 601)
    reference = torch.nn.functional.softshrink(torch.tensor(v), 0.7).numpy()
    np.testing.assert_array_equal(soft_threshold(v, 0.7), reference)
    assert [soft_threshold(float(a), 0.7) for a in v] == list(reference)


def test_a_sweep_without_l1_is_a_gauss_seidel_sweep_of_the_normal_equations():
    r"""With :math:`\lambda_1 = 0`, each coordinate update solves row :math:`j` of
    :math:`(X^\top X + \lambda_2 I) w = X^\top y` for :math:`w_j` with the latest other
    coordinates: Gauss-Seidel, written here in covariance form."""
    rng = np.random.default_rng(3)
    X, y, w, l2 = rng.normal(size=(15, 4)), rng.normal(size=15), rng.normal(size=4), 0.3
    G, b, gauss_seidel = X.T @ X + l2 * np.eye(4), X.T @ y, w.copy()
    for j in range(4):
        gauss_seidel[j] = (b[j] - G[j] @ gauss_seidel + G[j, j] * gauss_seidel[j]) / G[j, j]
    w_new, r_new = coordinate_descent_sweep(X, w, y - X @ w, 0.0, l2)
    np.testing.assert_allclose(w_new, gauss_seidel, rtol=1e-12)
    np.testing.assert_allclose(r_new, y - X @ w_new, atol=1e-12)


def _logistic_problem(seed):
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.normal(size=(25, 3)), np.ones(25)])
    y = (rng.random(25) < 0.5).astype(float)
    return rng.normal(size=4), X, y, np.array([0.2, 0.2, 0.2, 0.0])


def _torch_logistic_loss(X, y, lam):
    Xt, yt, lt = torch.tensor(X), torch.tensor(y), torch.tensor(lam)
    return lambda w: (torch.nn.functional.softplus(Xt @ w) - yt * (Xt @ w)).mean() \
        + 0.5 * (lt * w * w).sum()


@pytest.mark.parametrize("seed", range(5))
def test_the_logistic_gradient_and_newton_step_are_autograds(seed):
    w, X, y, lam = _logistic_problem(seed)
    loss = _torch_logistic_loss(X, y, lam)
    (g,) = _torch_grad(loss, w)
    H = torch.autograd.functional.hessian(loss, torch.tensor(w)).numpy()
    assert_close_to_scale(logistic_gradient(w, X, y, lam), g, rtol=1e-12)
    assert_close_to_scale(irls_step(w, X, y, lam), np.linalg.solve(H, -g), rtol=1e-10)


@settings(max_examples=20, deadline=None)
@given(seed=seeds)
def test_dual_arithmetic_is_torchs_jvp_and_the_tables(seed):
    rng = np.random.default_rng(seed)
    a, a_dot, b_dot = rng.normal(size=(3, 5))
    b = rng.uniform(0.5, 2.0, 5) * rng.choice([-1, 1], 5)
    for ours, op in ((dual_multiply, torch.mul), (dual_divide, torch.div)):
        value, tangent = torch.func.jvp(op, (torch.tensor(a), torch.tensor(b)),
                                        (torch.tensor(a_dot), torch.tensor(b_dot)))
        mine = ours(a, a_dot, b, b_dot)
        assert_close_to_scale(mine[0], value.numpy(), rtol=1e-15)
        assert_close_to_scale(mine[1], tangent.numpy(), rtol=1e-14)
        table = jvp(lambda x, z, ours=ours: (x * z if ours is dual_multiply else x / z),
                    (a, b), (a_dot, b_dot))
        assert_close_to_scale(mine[1], table[1], rtol=1e-14)


def test_tanhs_reverse_rule_is_autograds():
    x, g = np.linspace(-4, 4, 81), np.cos(np.arange(81.0))
    xt = torch.tensor(x, requires_grad=True)
    torch.tanh(xt).backward(torch.tensor(g))
    # 1 - tanh(x)^2 cancels in the tails (|x| = 4: 1.3e-3 from two numbers near 1), so the
    # two computations agree to rounding of the scale, not entrywise.
    assert_close_to_scale(tanh_vjp(g, np.tanh(x), x), xt.grad.numpy(), rtol=1e-14)


def test_the_traces_sweeps_are_torchs_jvp_and_gradient():
    """trace() runs forward_sweep and reverse_sweep: the output's tangent is PyTorch's JVP
    and the inputs' adjoints its gradient, on a function that uses its inputs several times
    and broadcasts."""
    x, y = np.array([0.5, -1.0, 2.0]), np.array([[0.3], [-0.7]])

    def f(x_, y_, lib):
        return lib.sum(lib.tanh(x_ * y_) / (1 + y_ * y_) + x_ * x_)

    dx, dy = np.array([1.0, 0.5, -2.0]), np.array([[0.2], [1.0]])
    t = trace(lambda a, b: f(a, b, anp), x, y, tangents=(dx, dy))
    xt, yt = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    f(xt, yt, torch).backward()
    _, tangent = torch.func.jvp(lambda a, b: f(a, b, torch), (torch.tensor(x), torch.tensor(y)),
                                (torch.tensor(dx), torch.tensor(dy)))
    np.testing.assert_allclose(t.output.tangent, tangent.numpy(), rtol=1e-14)
    np.testing.assert_allclose(t.variables[0].adjoint, xt.grad.numpy(), rtol=1e-14)
    np.testing.assert_allclose(t.variables[1].adjoint, yt.grad.numpy(), rtol=1e-14)


def test_trace_refuses_a_function_that_returns_its_input():
    with pytest.raises(ValueError, match="returns one of its inputs unchanged"):
        trace(lambda x, y: y, 1.0, 2.0)
