"""The elastic net's textbook kernels (cyclic coordinate descent, FISTA in float64) against
scikit-learn, the fast paths against the kernels, and soft-thresholding and GramCache against
their definitions.

"Same solution" is measured by what the duality gap bounds. For
P(w) = ½‖y − Xw‖² + λ₁‖w‖₁ + (λ₂/2)‖w‖² and its minimizer w*, the exact second-order expansion
of the quadratic part plus the subgradient inequality of the L1 part at w* give
P(w) − P(w*) ≥ ½‖w − w*‖²_M with ‖v‖²_M = ‖Xv‖² + λ₂‖v‖². A solver that stops at a gap G has
P(w) − P(w*) ≤ G, so ‖w − w*‖_M ≤ √(2G), and two solvers that each stop at a gap ≤ G agree to
‖w_a − w_b‖_M ≤ 2√(2G): the fitted values (and, with an L2 term or full column rank, the
coefficients) to a tolerance stated by the stopping rule, for any shape of data. The gaps are
recomputed here, independently of the library, as the textbook lasso dual of the augmented
problem X̃ = [X; √λ₂ I], ỹ = [y; 0].
"""

import functools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import linear_model as sk

from fromscratch.datasets import make_linear
from fromscratch.linear_model import (
    ConvergenceWarning,
    ElasticNet,
    _cd,
    _fista,
    enet_coordinate_descent_textbook,
    enet_fista_textbook,
)

ALPHA = 0.05
#: The kernels' tolerance: their answers are the reference, to a gap of 1e-12 ‖y‖².
KERNEL_TOL = 1e-12
#: The fast paths' tolerance: float64 reaches 1e-10 quickly; in float32 the gap cannot be
#: computed much below 10 ε₃₂ ‖y‖² (float32 stops converging around 1e-6 on these problems).
FAST_TOL = {np.float64: 1e-10, np.float32: 1e-5}
#: (n_samples, n_features, correlation of neighbouring features)
PROBLEMS = {"tall": (200, 15, 0.0), "wide": (40, 60, 0.0), "correlated": (150, 30, 0.9)}


def problem(name, dtype=np.float64):
    """Five non-zero coefficients; columns with non-zero means and y with an offset, so that the
    intercept matters; neighbouring features correlated as make_linear's ρ^|j-k|."""
    n_samples, n_features, correlation = PROBLEMS[name]
    rng = np.random.default_rng(0)
    coef = np.zeros(n_features)
    coef[rng.choice(n_features, 5, replace=False)] = 3 * rng.standard_normal(5)
    data = make_linear(n_samples, coef=coef, correlation=correlation, random_state=rng)
    X = data.X + rng.uniform(-2, 2, n_features)
    return X.astype(dtype), (data.y + 4.0).astype(dtype)


def penalties(n_samples, l1_ratio):
    return ALPHA * l1_ratio * n_samples, ALPHA * (1 - l1_ratio) * n_samples


def gap(X, y, w, l1, l2):
    """Duality gap of P at w in float64: the elastic net as a lasso on X̃ = [X; √λ₂ I],
    ỹ = [y; 0], whose dual D(θ) = ½‖ỹ‖² − ½‖ỹ − θ‖² is evaluated at the feasible
    θ = s r̃, r̃ = ỹ − X̃w, s = min(1, λ₁/‖X̃ᵀr̃‖∞)."""
    n_features = X.shape[1]
    X_aug = np.vstack([X, math.sqrt(l2) * np.eye(n_features)])
    y_aug = np.concatenate([y, np.zeros(n_features)])
    r = y_aug - X_aug @ w
    primal = 0.5 * r @ r + l1 * np.abs(w).sum()
    theta = min(1.0, l1 / np.abs(X_aug.T @ r).max()) * r
    return primal - (0.5 * y_aug @ y_aug - 0.5 * (y_aug - theta) @ (y_aug - theta))


def stated_gap(tol, dtype, y):
    """What the stopping rule promises: gap ≤ tol‖y‖², plus the rounding of a gap computed in
    ``dtype`` (sums of products of size ‖y‖², primal and dual cancelling; a few ε‖y‖², up to
    5 ε₃₂ observed here)."""
    return (tol + 16 * np.finfo(dtype).eps) * float(y @ y)


def assert_same_solution(X, y, w_a, w_b, l2, gap_a, gap_b):
    """‖w_a − w_b‖_M ≤ √(2 gap_a) + √(2 gap_b) (module docstring)."""
    d = w_a - w_b
    distance = math.sqrt(float((X @ d) @ (X @ d) + l2 * d @ d))
    bound = math.sqrt(2 * gap_a) + math.sqrt(2 * gap_b)
    assert distance <= bound, f"‖Δw‖_M = {distance:.3e} > {bound:.3e}"


def centered(X, y, fit_intercept):
    X, y = X.astype(np.float64), y.astype(np.float64)
    return (X - X.mean(axis=0), y - y.mean()) if fit_intercept else (X, y)


KERNELS = {"cd": enet_coordinate_descent_textbook, "fista": enet_fista_textbook}


@functools.cache
def kernel_solution(kernel, name, dtype, fit_intercept, l1_ratio):
    """The kernel's answer on the float64 version of the data the fast path sees."""
    X, y = centered(*problem(name, dtype), fit_intercept)
    w, _, _ = KERNELS[kernel](X, y, ALPHA, l1_ratio, tol=KERNEL_TOL, max_iter=100_000)
    return w


# -- the kernels against scikit-learn ------------------------------------------------------


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_kernel_matches_sklearn(kernel, name, l1_ratio):
    X, y = centered(*problem(name), fit_intercept=True)
    l1, l2 = penalties(len(y), l1_ratio)
    w, reported_gap, n_iter = KERNELS[kernel](X, y, ALPHA, l1_ratio, tol=KERNEL_TOL,
                                              max_iter=100_000)
    assert w.dtype == np.float64 and n_iter >= 1
    ref = sk.ElasticNet(alpha=ALPHA, l1_ratio=l1_ratio, fit_intercept=False, tol=KERNEL_TOL,
                        max_iter=100_000).fit(X, y)
    allowed = stated_gap(KERNEL_TOL, np.float64, y)
    ours, theirs = gap(X, y, w, l1, l2), gap(X, y, ref.coef_, l1, l2)
    assert ours <= allowed and theirs <= allowed
    # The reported gap (the 1/(2n)-scaled objective's) is the gap at the returned w.
    assert abs(reported_gap * len(y) - ours) <= 16 * np.finfo(float).eps * (y @ y)
    assert_same_solution(X, y, w, ref.coef_, l2, allowed, allowed)


@pytest.mark.parametrize("kernel", KERNELS)
def test_kernel_on_an_orthonormal_design_is_one_soft_threshold(kernel):
    # XᵀX = nI: the coordinates decouple and w = S(Xᵀy/n, α)/(1 + α(1−ρ)) exactly.
    rng = np.random.default_rng(1)
    Q, _ = np.linalg.qr(rng.standard_normal((100, 6)))
    X = math.sqrt(100) * Q
    y = X @ rng.normal(0.0, 1.0, 6) + rng.standard_normal(100)
    z = X.T @ y / 100
    w, _, _ = KERNELS[kernel](X, y, 0.3, 0.7, tol=1e-14, max_iter=10_000)
    expected = np.sign(z) * np.maximum(np.abs(z) - 0.3 * 0.7, 0) / (1 + 0.3 * (1 - 0.7))
    np.testing.assert_allclose(w, expected, rtol=0, atol=1e-10 * np.abs(expected).max())


@pytest.mark.parametrize("kernel", KERNELS.values())
def test_kernel_warns_when_max_iter_runs_out_and_checks_its_input(kernel):
    X, y = centered(*problem("correlated"), fit_intercept=True)
    with pytest.warns(ConvergenceWarning, match="did not converge in max_iter=2.*duality gap"):
        kernel(X, y, ALPHA, tol=1e-12, max_iter=2)
    with pytest.raises(ValueError, match=r"alpha must be in \[0"):
        kernel(X, y, -1.0)
    with pytest.raises(ValueError, match=r"l1_ratio must be in \[0, 1\]"):
        kernel(X, y, ALPHA, 2.0)
    with pytest.raises(ValueError, match="max_iter"):
        kernel(X, y, ALPHA, max_iter=0)
    with pytest.raises(ValueError, match="different numbers of samples"):
        kernel(X, y[:-1], ALPHA)
    with pytest.raises(ValueError, match="2-D array"):
        kernel(X[:, 0], y, ALPHA)


# -- the fast paths against the kernels ----------------------------------------------------


@pytest.fixture(params=["cd", "fista", "fista, float32 products"])
def solver(request, monkeypatch):
    """A fast path: coordinate descent with working sets, FISTA, and FISTA with its float32
    products forced on (normally only from SINGLE_PRECISION_MIN_ENTRIES entries of X)."""
    if request.param == "fista, float32 products":
        monkeypatch.setattr(_fista, "SINGLE_PRECISION_MIN_ENTRIES", 0)
    return request.param.split(",")[0]


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_fast_path_matches_its_kernel(solver, name, dtype, fit_intercept, l1_ratio):
    X, y = problem(name, dtype)
    tol = FAST_TOL[dtype]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = ElasticNet(alpha=ALPHA, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                           solver=solver, tol=tol, max_iter=100_000).fit(X, y)
    assert model.coef_.dtype == dtype
    w_kernel = kernel_solution(solver, name, dtype, fit_intercept, l1_ratio)
    # Judged on the float64 version of the same data: the float32 fit solved it in float32.
    Xc, yc = centered(X, y, fit_intercept)
    l1, l2 = penalties(len(y), l1_ratio)
    w_fast = model.coef_.astype(np.float64)
    allowed = stated_gap(tol, dtype, yc)
    assert gap(Xc, yc, w_fast, l1, l2) <= allowed
    assert_same_solution(Xc, yc, w_fast, w_kernel, l2, allowed,
                         stated_gap(KERNEL_TOL, np.float64, yc))


# -- soft-thresholding ---------------------------------------------------------------------


finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(v=finite, t=st.floats(0, 1e6, allow_nan=False))
def test_soft_threshold_is_the_proximal_operator_of_the_absolute_value(v, t):
    # x = S(v, t) minimizes ½(x − v)² + t|x|: 0 ∈ x − v + t∂|x|, with ∂|0| = [−1, 1].
    x = _cd.soft_threshold(v, t)
    assert isinstance(x, float)
    if x == 0:
        assert abs(v) <= t
    else:
        assert v - x == pytest.approx(t * math.copysign(1.0, x), rel=1e-12, abs=1e-9 * abs(v))
    # The array form (elementwise, NumPy) is the same function.
    assert _cd.soft_threshold(np.array([v, -v]), t).tolist() == [x, -x]


def test_soft_threshold_values_and_dtypes():
    v = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(_cd.soft_threshold(v, 1.0), [-2.0, 0.0, 0.0, 0.0, 2.0])
    assert _cd.soft_threshold(v.astype(np.float32), 1.0).dtype == np.float32
    assert _cd.soft_threshold(np.float64(-2.5), 1.0) == -1.5  # a NumPy scalar: the float path


# -- GramCache -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tall", "wide"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gram_cache_holds_the_products_it_caches(name, dtype):
    # Tall data: G = XᵀX at once. Wide: the rows of G only as working sets ask for them, each
    # row computed once, and the ones asked for equal to those of XᵀX.
    X, y = problem(name, dtype)
    n_samples, n_features = X.shape
    X64, y64 = X.astype(np.float64), y.astype(np.float64)
    G, abs_G = X64.T @ X64, np.abs(X64).T @ np.abs(X64)

    def assert_product(ours, exact, magnitude, n_terms):
        # A sum of n products is off by at most nε|a|ᵀ|b| (Higham, 2002, §3.1); twice that
        # allows for the rounding of the float64 reference too.
        error_bound = 2 * n_terms * np.finfo(dtype).eps * magnitude
        assert np.all(np.abs(ours - exact) <= error_bound)

    gram = _cd.GramCache(X, y)
    assert gram.G.dtype == dtype
    assert_product(gram.Xty, X64.T @ y64, np.abs(X64).T @ np.abs(y64), n_samples)
    assert_product(gram.col_sq, np.diagonal(G), np.diagonal(abs_G), n_samples)
    assert gram.known.all() == (name == "tall")
    rng = np.random.default_rng(3)
    asked = np.zeros(n_features, dtype=bool)
    for size in (3, 7, n_features // 2):
        W = np.sort(rng.choice(n_features, size, replace=False))
        rows = gram.rows(W)
        asked[W] = True
        assert np.all(gram.known[asked])
        assert_product(rows[asked], G[asked], abs_G[asked], n_samples)
    w = np.zeros(n_features, dtype=dtype)
    w[rng.choice(n_features, 4, replace=False)] = rng.standard_normal(4)
    assert_product(gram.exact_product(w), G @ w, abs_G @ np.abs(w), n_samples + n_features)
