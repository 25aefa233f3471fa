"""Wrong solutions a learner really writes, which are not among the known mistakes, fail; and
correct solutions written another way pass.

Each wrong solution below once passed its grader: the sampler never drew the inputs that expose
it (x_0 = 0 for a Householder sign, scores where e^z overflows for an inline sigmoid, float32
for a coordinate-descent sweep), or the learner's function called the library's own version.
Each correct one once failed: the reference's own rounding in float32 (or in float64 far out
on the sigmoid) was larger than the tolerance, and a more accurate formula was judged wrong.
"""

from __future__ import annotations

import dataclasses
import inspect
import types

import numpy as np
import pytest

from fromscratch import exercises
from fromscratch.exercises import Case, Exercise
from fromscratch.exercises._sandbox import LoadError, load_function
from fromscratch.linalg import cho_solve, cholesky
from fromscratch.nn import backprop
from fromscratch.optim import textbook

SEEDS = range(8)


def _quick(name):
    """The exercise with only its comparison against the reference (no training runs)."""
    return dataclasses.replace(exercises.get(name), checks=())


# -- wrong solutions ---------------------------------------------------------------------------


def householder_reflector(x):
    """beta = -sign(x_0) |x|: np.sign(0) is 0, so beta = 0 for a column starting with 0."""
    norm_x = np.sqrt(x @ x)
    if norm_x == 0:
        return np.zeros_like(x), x.dtype.type(0), x.dtype.type(0)
    beta = -np.sign(x[0]) * norm_x
    v = x.copy()
    v[0] -= beta
    return v, 2 / (v @ v), beta


def _copy_of(kernel):
    """The library's function as another function object, for a wrong solution to build on
    (the grader fails a function that uses the library's own version of itself)."""
    f = inspect.unwrap(kernel)
    copy = types.FunctionType(f.__code__, f.__globals__, f.__name__, f.__defaults__,
                              f.__closure__)
    copy.__kwdefaults__ = f.__kwdefaults__
    return copy


_sweep = _copy_of(exercises.get("coordinate_descent_sweep").reference)
_forward = _copy_of(exercises.get("forward_sweep").reference)


def coordinate_descent_sweep(X, w, r, l1, l2):
    """The textbook sweep, in float64 whatever the inputs' dtype."""
    return _sweep(*(np.asarray(a, dtype=np.float64) for a in (X, w, r)), l1, l2)


def naive_sigmoid_derivative(z):
    """e^{-z} / (1 + e^{-z})^2: e^{-z} overflows for z < -709."""
    return np.exp(-z) / (1 + np.exp(-z)) ** 2


def cosh_sigmoid_derivative(z):
    """1 / (4 cosh^2(z/2)): cosh overflows for |z| > 1420."""
    return 0.25 / np.cosh(z / 2) ** 2


def inline_sigmoid_logistic_gradient(w, X, y, lam):
    """The gradient with the one-line sigmoid 1 / (1 + e^{-Xw})."""
    p = 1 / (1 + np.exp(-(X @ w)))
    return X.T @ (p - y) / X.shape[0] + lam * w


def inline_sigmoid_irls_step(w, X, y, lam):
    """The Newton step with the one-line sigmoid 1 / (1 + e^{-Xw})."""
    p = 1 / (1 + np.exp(-(X @ w)))
    H = X.T * (p * (1 - p)) @ X / X.shape[0] + np.diag(lam)
    g = X.T @ (p - y) / X.shape[0] + lam * w
    return cho_solve(cholesky(H), -g)


WRONG = {
    "householder_reflector": householder_reflector,
    "coordinate_descent_sweep": coordinate_descent_sweep,
    "sigmoid_derivative (naive)": naive_sigmoid_derivative,
    "sigmoid_derivative (cosh)": cosh_sigmoid_derivative,
    "logistic_gradient": inline_sigmoid_logistic_gradient,
    "irls_step": inline_sigmoid_irls_step,
}


@pytest.mark.parametrize("label", list(WRONG))
def test_a_wrong_solution_that_passed_once_fails(label):
    name = label.split()[0]
    exercise = exercises.get(name)
    for seed in SEEDS[:3]:
        report = exercise.check(WRONG[label], seed=seed)
        assert not report.passed, str(report)
        assert report.mistake is None  # none of the known mistakes: a slip of its own
        assert exercise.check(exercise.reference, seed=seed).passed


@pytest.mark.parametrize("label", [k for k in WRONG if k != "householder_reflector"])
def test_the_comparison_with_the_reference_catches_it_on_any_seed(label):
    """The sampler draws the inputs that expose the slip (scores where e^z overflows, float32)
    often enough that the comparison alone catches it on every seed tried."""
    quick = _quick(label.split()[0])
    for seed in SEEDS:
        assert not quick.check(WRONG[label], seed=seed).passed


def test_the_reflection_check_tries_a_column_starting_with_zero():
    """The random columns start with 0 now and then; the reflection check always has some."""
    exercise = exercises.get("householder_reflector")
    reflects = exercise.checks[0]
    assert "x_0 = 0" in reflects.name
    for seed in SEEDS:
        result = reflects.run(householder_reflector, np.random.default_rng(seed))
        assert result.problem and "beta" in result.problem[0]


def _forward_sweep_on_the_seeds(parents, jvps, seeds):
    """Appends the tangents to the caller's list of seeds."""
    seeds.extend(_forward(parents, jvps, seeds)[len(seeds):])
    return seeds


def test_a_function_that_changes_a_list_it_was_given_fails():
    report = exercises.check("forward_sweep", _forward_sweep_on_the_seeds, seed=0)
    assert not report.passed
    assert "it changed a list it was given in place" in str(report)


def _nadam_product_from_t(theta, g, m, v, t, mu_product, *, lr=0.002, beta1=0.9, beta2=0.999,
                          eps=1e-8, psi=0.004):
    """Recomputes the product of momenta from t, ignoring the one it was given."""
    mus = [beta1 * (1 - 0.5 * 0.96 ** (i * psi)) for i in range(1, t + 3)]
    mu_product = float(np.prod(mus[:-1]))
    return textbook.nadam_update(theta, g, m, v, t, mu_product / mus[-2], lr=lr, beta1=beta1,
                                 beta2=beta2, eps=eps, psi=psi)


def test_a_nadam_update_that_ignores_its_product_of_momenta_fails():
    """The sampler's product comes, now and then, from a history with another psi."""
    quick = _quick("nadam_update")
    for seed in SEEDS:
        report = quick.check(_nadam_product_from_t, seed=seed)
        assert not report.records[1].passed


# -- calling the library's own version ---------------------------------------------------------


def _adam_as_alias(theta, g, m, v, t, *, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    from fromscratch.optim.textbook import adam_update as update

    return update(theta, g, m, v, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def _adam_as_attribute(theta, g, m, v, t, *, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    return textbook.adam_update(theta, g, m, v, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def _softmax_unwrapped(z):
    return backprop.softmax.__wrapped__(z)


@pytest.mark.parametrize("name, func, used", [
    ("adam_update", _adam_as_alias, "fromscratch.optim.textbook.adam_update"),
    ("adam_update", _adam_as_attribute, "textbook.adam_update"),
    ("softmax", _softmax_unwrapped, "backprop.softmax"),
])
def test_calling_the_library_s_own_version_fails(name, func, used):
    report = exercises.check(name, func, seed=0)
    assert not report.passed
    assert [r.check for r in report.failures] == ["written from scratch"]
    assert f"uses the library's own {name}" in str(report) and f"as {used})" in str(report)


def test_building_on_another_library_function_is_allowed():
    """AdamW's stub imports adam_update to build on: using it is no copy of adamw_update."""

    def adamw_update(theta, g, m, v, t, *, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8,
                     weight_decay=0.01):
        return textbook.adam_update(theta - lr * weight_decay * theta, g, m, v, t, lr=lr,
                                    beta1=beta1, beta2=beta2, eps=eps)

    assert exercises.check("adamw_update", adamw_update, seed=0).passed


def test_a_file_that_only_imports_the_library_s_version_is_refused(tmp_path):
    path = tmp_path / "softmax.py"
    path.write_text("from fromscratch.nn.backprop import softmax\n")
    with pytest.raises(LoadError, match="softmax in softmax.py is imported from "
                                        "fromscratch.nn.backprop, not written in the file"):
        load_function(path, "softmax")


# -- a float32 case on every grading -----------------------------------------------------------


def double(x):
    """Twice x, in x's dtype."""
    return x * 2


def _rarely_float32(rng):
    """float32 one time in twenty: 24 cases hold none about a third of the time."""
    dtype = np.dtype(np.float32) if rng.random() < 0.05 else np.dtype(np.float64)
    return Case((np.asarray(rng.normal(size=3), dtype=dtype),))


def test_every_grading_has_a_float32_case_where_the_sampler_draws_any():
    exercise = Exercise(reference=double, chapter="B1", title="Twice", outputs=("y",),
                        sample=_rarely_float32, hints=("x * 2",))
    for seed in SEEDS:
        assert exercise.check(double, seed=seed).passed
        report = exercise.check(lambda x: np.asarray(x, dtype=np.float64) * 2, seed=seed)
        assert "it must be float32" in str(report)


# -- correct solutions written another way -----------------------------------------------------


def _sigmoid_derivative_symmetric(z):
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


def _sigmoid_derivative_expanded(z):
    s = backprop.sigmoid(z)
    return s - s * s


def _tanh_vjp_factored(g, ans, x):
    return g * (1 - ans) * (1 + ans)


def _householder_other_tau(x):
    norm_x = np.sqrt(np.sum(x * x))
    if not norm_x:
        return 0 * x, x.dtype.type(0), x.dtype.type(0)
    beta = norm_x if np.signbit(x[0]) else -norm_x
    v = np.concatenate([[x[0] - beta], x[1:]]).astype(x.dtype)
    return v, 1 / (beta * (beta - x[0])), beta  # v^T v = 2 beta (beta - x_0)


def _ols_gradient_loop(w, X, y):
    g = np.zeros_like(w)
    for x_i, y_i in zip(X, y, strict=True):
        g = g + (x_i @ w - y_i) * x_i
    return g / X.shape[0]


def _irls_step_by_elimination(w, X, y, lam):
    p = backprop.sigmoid(X @ w)
    n, q = X.shape
    H = np.diag(lam) + sum(p_i * (1 - p_i) * np.outer(x_i, x_i)
                           for p_i, x_i in zip(p, X, strict=True)) / n
    A = np.column_stack([H, -(X.T @ (p - y) / n + lam * w)])
    for k in range(q):  # Gaussian elimination, then back substitution
        A[k + 1:] -= np.outer(A[k + 1:, k] / A[k, k], A[k])
    d = np.zeros(q)
    for i in reversed(range(q)):
        d[i] = (A[i, q] - A[i, i + 1:q] @ d[i + 1:]) / A[i, i]
    return d


def _adadelta_one_root(theta, g, v, u, *, lr=1.0, rho=0.9, eps=1e-6):
    v = rho * v + (1 - rho) * g**2
    delta = np.sqrt((u + eps) / (v + eps)) * g
    return theta - lr * delta, v, rho * u + (1 - rho) * delta**2


def _cross_entropy_by_index(Z, Y):
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_P[np.arange(n), Y.argmax(axis=1)].sum() / n, (np.exp(log_P) - Y) / n


def _dense_backward_einsum(delta, A_prev, W):
    return (np.einsum("no,oi->ni", delta, W), np.einsum("no,ni->oi", delta, A_prev),
            np.einsum("no->o", delta))


CORRECT = [
    ("sigmoid_derivative", _sigmoid_derivative_symmetric),
    ("sigmoid_derivative", _sigmoid_derivative_expanded),
    ("tanh_vjp", _tanh_vjp_factored),
    ("householder_reflector", _householder_other_tau),
    ("ols_gradient", _ols_gradient_loop),
    ("irls_step", _irls_step_by_elimination),
    ("adadelta_update", _adadelta_one_root),
    ("softmax_cross_entropy", _cross_entropy_by_index),
    ("dense_backward", _dense_backward_einsum),
]


@pytest.mark.parametrize("name, func", CORRECT, ids=[f.__name__ for _, f in CORRECT])
def test_a_correct_solution_written_another_way_passes(name, func):
    quick = _quick(name)
    for seed in SEEDS:
        report = quick.check(func, seed=seed)
        assert report.passed, str(report)
    assert exercises.check(name, func, seed=0).passed


def test_a_float32_result_closer_to_the_exact_answer_passes():
    """g (1 - ans)(1 + ans) is more accurate in float32 than the reference's g (1 - ans^2)
    where ans is near ±1; it is compared with the exact answer too."""
    ans = np.float32(-0.9999207258224487)
    g = np.asarray(-0.5806997, dtype=np.float32)
    x = np.asarray(np.arctanh(np.float64(ans)), dtype=np.float32)
    yours = _tanh_vjp_factored(g, ans, x)
    exact = np.float32(np.float64(g) * (1 - np.float64(ans) ** 2))
    assert abs(float(yours) - float(exact)) <= 2e-5 * abs(float(exact))
    reference = exercises.get("tanh_vjp").reference(g, ans, x)
    assert abs(float(reference) - float(exact)) > 2e-5 * abs(float(exact))  # the case is real
    case = dataclasses.replace(exercises.get("tanh_vjp"),
                               sample=lambda rng: Case((g, ans, x)), checks=())
    assert case.check(_tanh_vjp_factored, seed=0).passed
    assert not case.check(lambda g, ans, x: g * (1 - ans * ans) * (1 + 1e-3), seed=0).passed
