"""The textbook Newton/IRLS kernel: the reference for the fast Newton path.

The kernel is checked against scikit-learn; then LogisticRegression(solver="newton") — cached
scores, blocked float32 Hessian, line search on affine scores, lengthened steps — must reach the
kernel's coefficients on random problems of several shapes, noisy and nearly separable, with
and without intercept, for several C, and on float32 input.
"""

import itertools
import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from fromscratch.exceptions import ConvergenceWarning
from fromscratch.linalg import LinAlgError
from fromscratch.linear_model import LogisticRegression
from fromscratch.linear_model.logistic import newton_irls

SHAPES = [(30, 2), (200, 5), (1000, 20), (60, 40)]


def random_problem(n, p, kind, seed):
    """Features of different scales and offsets; labels from a logistic model whose scores have
    standard deviation about 1 ("noisy") or 20 ("separable": few labels on the wrong side)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3.0, p) + rng.normal(0.0, 2.0, p)
    z = (X - X.mean(axis=0)) @ rng.standard_normal(p) / np.sqrt(p)
    sharpness = {"noisy": 1.0, "separable": 20.0}[kind]
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-sharpness * z))).astype(int)
    return X, y


def coefficient_bound(X, y, coef, intercept, C, fit_intercept, gradient_tol):
    r"""How far apart two solutions may be when each has max|gradient| <= its tolerance.

    At a point w with gradient g near the minimum w*, w - w* ~ H^{-1} g, so
    max|w - w*| <= ||H^{-1}||_2 ||g||_2 <= ||H^{-1}||_2 sqrt(q) max|g|; ``gradient_tol`` is the
    sum of the two runs' tolerances (and rounding). H is the float64 Hessian at the kernel's
    answer (numpy.linalg: a reference, in a test).
    """
    X1 = np.column_stack([X, np.ones(len(X))]) if fit_intercept else X
    w = np.r_[coef, intercept] if fit_intercept else coef
    p = 1.0 / (1.0 + np.exp(-(X1 @ w)))
    penalty = np.full(X1.shape[1], 0.0 if np.isinf(C) else 1.0 / (C * len(X)))
    if fit_intercept:
        penalty[-1] = 0.0
    H = (X1.T * (p * (1 - p))) @ X1 / len(X) + np.diag(penalty)
    return np.linalg.norm(np.linalg.inv(H), 2) * np.sqrt(X1.shape[1]) * gradient_tol


def as_vector(model, fit_intercept):
    return np.r_[model.coef_[0], model.intercept_] if fit_intercept else model.coef_[0]


# -- the kernel against scikit-learn ------------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("C", [0.1, 1.0, np.inf])
def test_kernel_matches_scikit_learn(C, fit_intercept):
    X, y = random_problem(300, 6, "noisy", seed=4)
    coef, intercept, n_iter = newton_irls(X, y, C=C, fit_intercept=fit_intercept, tol=1e-12)
    ref = SkLogisticRegression(C=C, fit_intercept=fit_intercept, solver="newton-cholesky",
                               tol=1e-12).fit(X, y)
    assert n_iter < 20  # Newton: a handful of steps, then quadratic convergence
    # both solved to a gradient of 1e-12 on a well-conditioned problem
    scale = max(1.0, np.abs(ref.coef_).max())
    np.testing.assert_allclose(coef, ref.coef_[0], rtol=0, atol=1e-8 * scale)
    np.testing.assert_allclose(intercept, ref.intercept_[0] if fit_intercept else 0.0,
                               rtol=0, atol=1e-8 * scale)


# -- the fast Newton path against the kernel -----------------------------------------------------

CASES = [
    (n, p, kind, fit_intercept, C, seed)
    for (n, p), kind, fit_intercept, C, seed in itertools.product(
        SHAPES, ["noisy", "separable"], [True, False], [0.01, 1.0, 100.0, np.inf], [0, 1])
    # without a penalty only where the maximum likelihood estimate exists (n >> p, overlap)
    if not (np.isinf(C) and (kind == "separable" or n < 5 * p))
]


@pytest.mark.parametrize("n,p,kind,fit_intercept,C,seed", CASES)
def test_fast_newton_reaches_the_kernels_coefficients(n, p, kind, fit_intercept, C, seed):
    X, y = random_problem(n, p, kind, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # both converge, neither sees separation
        coef, intercept, _ = newton_irls(X, y, C=C, fit_intercept=fit_intercept, tol=1e-10)
        fast = LogisticRegression(C=C, fit_intercept=fit_intercept, tol=1e-10).fit(X, y)
    bound = coefficient_bound(X, y, coef, intercept, C, fit_intercept, 2e-10)
    reference = np.r_[coef, intercept] if fit_intercept else coef
    assert np.max(np.abs(as_vector(fast, fit_intercept) - reference)) <= bound


@pytest.mark.parametrize("n,p", SHAPES)
@pytest.mark.parametrize("kind", ["noisy", "separable"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("C", [1.0, 100.0])
def test_fast_newton_on_float32_reaches_the_kernels_coefficients(n, p, kind, fit_intercept, C):
    X, y = random_problem(n, p, kind, seed=2)
    X32 = X.astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast = LogisticRegression(C=C, fit_intercept=fit_intercept, tol=1e-6).fit(X32, y)
        coef, intercept, _ = newton_irls(X32, y, C=C, fit_intercept=fit_intercept, tol=1e-10)
    assert fast.coef_.dtype == np.float32
    # float32 arithmetic adds the rounding of the gradient, about eps * max|x| (the products
    # X^T(p - y)/n), and of the coefficients themselves, eps * max|w|.
    eps = np.finfo(np.float32).eps
    reference = np.r_[coef, intercept] if fit_intercept else coef
    rounding = eps * (np.abs(X32).max() + np.abs(reference).max())
    bound = coefficient_bound(X32.astype(np.float64), y, coef, intercept, C, fit_intercept,
                              1e-6 + 1e-10 + rounding)
    assert np.max(np.abs(as_vector(fast, fit_intercept) - reference)) <= bound


# -- the kernel's own contract -----------------------------------------------------------------


def test_kernel_warns_when_max_iter_runs_out():
    X, y = random_problem(200, 5, "separable", seed=0)
    with pytest.warns(ConvergenceWarning, match=r"Newton/IRLS did not converge in max_iter=2"):
        _, _, n_iter = newton_irls(X, y, C=1.0, max_iter=2)
    assert n_iter == 2


def test_kernel_explains_a_singular_hessian():
    X, y = random_problem(100, 3, "noisy", seed=0)
    X[:, 1] = 0.0  # a feature without information: a zero row and column in H
    with pytest.raises(LinAlgError, match="Hessian is singular.*finite C"):
        newton_irls(X, y, C=np.inf)
    newton_irls(X, y, C=1.0)  # the penalty makes H positive definite


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(C=0.0), ValueError, "C must be in"),
    (dict(tol=-1.0), ValueError, "tol must be in"),
    (dict(max_iter=0), ValueError, "max_iter must be in"),
    (dict(fit_intercept="yes"), TypeError, "fit_intercept must be True or False"),
])
def test_kernel_rejects_bad_hyper_parameters(kwargs, error, message):
    X, y = random_problem(50, 2, "noisy", seed=0)
    with pytest.raises(error, match=message):
        newton_irls(X, y, **kwargs)


def test_kernel_needs_labels_0_and_1():
    X, y = random_problem(50, 2, "noisy", seed=0)
    with pytest.raises(ValueError, match="y must hold the labels 0 and 1"):
        newton_irls(X, 2 * y)
    with pytest.raises(ValueError, match="different numbers of samples"):
        newton_irls(X, y[:-1])
