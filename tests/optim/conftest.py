"""Test problems for the optimizers: functions with analytic gradients (no autodiff needed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest


@dataclass(frozen=True)
class Problem:
    """A function of a vector, its gradient, a start, and how the vector splits into Tensors."""

    name: str
    f: Callable[[np.ndarray], float]
    grad: Callable[[np.ndarray], np.ndarray]
    x0: np.ndarray
    shapes: tuple[tuple[int, ...], ...]

    def split(self, x: np.ndarray) -> list[np.ndarray]:
        """The pieces of ``x`` in the parameter shapes (copies)."""
        pieces, start = [], 0
        for shape in self.shapes:
            size = int(np.prod(shape))
            pieces.append(x[start : start + size].reshape(shape).copy())
            start += size
        return pieces


def rosenbrock() -> Problem:
    r"""f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, from the classic start (-1.2, 1); two 1-element
    parameters."""

    def f(v):
        x, y = v
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    def grad(v):
        x, y = v
        return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])

    return Problem("rosenbrock", f, grad, np.array([-1.2, 1.0]), ((1,), (1,)))


def ill_conditioned_quadratic(dim: int = 20, condition: float = 1e3, seed: int = 0) -> Problem:
    r"""f(x) = x^T A x / 2 - b^T x with eigenvalues of A log-spaced in [1, condition]; split into
    a (4, 3) matrix and an (8,) vector, so parameters of different shapes share a group."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    A = Q @ np.diag(np.logspace(0, np.log10(condition), dim)) @ Q.T
    b = rng.standard_normal(dim)

    def f(x):
        return 0.5 * x @ A @ x - b @ x

    def grad(x):
        return A @ x - b

    return Problem("quadratic", f, grad, rng.standard_normal(dim), ((4, 3), (8,)))


@pytest.fixture(params=["rosenbrock", "quadratic"])
def problem(request) -> Problem:
    return rosenbrock() if request.param == "rosenbrock" else ill_conditioned_quadratic()


@pytest.fixture
def rosenbrock_problem() -> Problem:
    return rosenbrock()


@pytest.fixture
def make_quadratic() -> Callable[..., Problem]:
    """:func:`ill_conditioned_quadratic` itself, for tests that choose its condition number
    (``from conftest import`` would find whichever test folder's conftest was imported first)."""
    return ill_conditioned_quadratic


@pytest.fixture
def torch64():
    """torch with float64 as its default dtype, restored afterwards.

    torch keeps optimizer scalars such as NAdam's ``mu_product`` in the *default* dtype
    (float32 unless changed), which would cap the agreement with our float64 at ~1e-7.
    """
    torch = pytest.importorskip("torch")
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(previous)
