"""Every primitive, in both modes, against central finite differences (float64).

Shapes (including broadcasting pairs) and axes are drawn by hypothesis; values come from a
seeded generator. ``check_grad`` builds the full Jacobian three ways: reverse mode (one VJP per
output element), forward mode (one JVP per input element) and central differences, and returns
the largest error, so a wrong rule in either mode fails here.
"""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from autodiff_points import second_order_error, values
from hypothesis import given, settings
from hypothesis import strategies as st

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Dual, Tensor, check_grad, grad, jvp

FAST = settings(max_examples=12, deadline=None)
TOL = 1e-6
seeds = st.integers(0, 2**32 - 1)
small_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
nonempty_shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)


def _shape(x, y):
    """The broadcast shape (np.broadcast would convert the traced values to arrays)."""
    return np.broadcast_shapes(np.shape(x), np.shape(y))


UNARY = {
    "negative": (anp.negative, "any"),
    "exp": (anp.exp, "any"),
    "log": (anp.log, "positive"),
    "log1p": (anp.log1p, "positive"),
    "expm1": (anp.expm1, "any"),
    "sqrt": (anp.sqrt, "positive"),
    "square": (anp.square, "any"),
    "abs": (anp.abs, "away_from_zero"),
    "sign": (anp.sign, "away_from_zero"),
    "sin": (anp.sin, "any"),
    "cos": (anp.cos, "any"),
    "tan": (anp.tan, "small"),
    "arctan": (anp.arctan, "any"),
    "sinh": (anp.sinh, "any"),
    "cosh": (anp.cosh, "any"),
    "tanh": (anp.tanh, "any"),
    "sigmoid": (anp.sigmoid, "any"),
    "relu": (anp.relu, "away_from_zero"),
    "softplus": (anp.softplus, "any"),
    "neg operator": (lambda x: -x, "any"),
    "pow operator, constant exponent": (lambda x: x ** 3, "any"),
    "pow operator, fractional exponent": (lambda x: x ** 1.5, "positive"),
    "rpow operator": (lambda x: 2.0 ** x, "any"),
    "clip": (lambda x: anp.clip(x, -0.5, 0.7), "any"),
    "exp2": (anp.exp2, "any"),
    "log2": (anp.log2, "positive"),
    "log10": (anp.log10, "positive"),
    "cbrt": (anp.cbrt, "away_from_zero"),
    "reciprocal": (anp.reciprocal, "away_from_zero"),
    "arcsin": (anp.arcsin, "unit"),
    "arccos": (anp.arccos, "unit"),
    "arcsinh": (anp.arcsinh, "any"),
    "arccosh": (anp.arccosh, "above_one"),
    "arctanh": (anp.arctanh, "unit"),
    "sinc": (anp.sinc, "any"),
    "sinc near 0 (its series)": (lambda x: anp.sinc(0.05 * x), "any"),
    "mod operator": (lambda x: x % 1.5, "any"),
    "nan_to_num": (anp.nan_to_num, "any"),
}

BINARY = {  # name: (f, domain of x, domain of y)
    "add": (anp.add, "any", "any"),
    "subtract": (anp.subtract, "any", "any"),
    "multiply": (anp.multiply, "any", "any"),
    "divide": (anp.divide, "any", "away_from_zero"),
    "power (array exponent)": (anp.power, "positive", "any"),
    "maximum": (anp.maximum, "any", "any"),
    "minimum": (anp.minimum, "any", "any"),
    "where": (lambda x, y: anp.where(np.sin(np.arange(np.prod(_shape(x, y)))).reshape(
        _shape(x, y)) > 0, x, y), "any", "any"),
    "operators": (lambda x, y: (x + 1) * y - x / (y * y + 1) + 2 / (1 + x * x) - y, "any", "any"),
    "remainder": (anp.remainder, "any", "positive"),
    "fmax": (anp.fmax, "any", "any"),
    "fmin": (anp.fmin, "any", "any"),
    "arctan2": (anp.arctan2, "any", "any"),
    "hypot": (anp.hypot, "any", "any"),
    "logaddexp": (anp.logaddexp, "any", "any"),
    "logaddexp2": (anp.logaddexp2, "any", "any"),
}


@pytest.mark.parametrize("name", list(UNARY))
@FAST
@given(shape=small_shapes, seed=seeds)
def test_unary_both_modes_match_finite_differences(name, shape, seed):
    f, domain = UNARY[name]
    assert check_grad(f, values(seed, shape, domain)) < TOL


@pytest.mark.parametrize("name", list(BINARY))
@FAST
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
       seed=seeds)
def test_binary_with_broadcasting_match_finite_differences(name, shapes, seed):
    f, dx, dy = BINARY[name]
    x = values(seed, shapes.input_shapes[0], dx)
    y = values(seed + 1, shapes.input_shapes[1], dy)
    assert check_grad(f, x, y) < TOL


@st.composite
def shape_and_axis(draw, allow_none=True, allow_tuple=True):
    shape = draw(nonempty_shapes)
    ndim = len(shape)
    choices = [st.integers(-ndim, ndim - 1)]
    if allow_none:
        choices.append(st.none())
    if allow_tuple:
        choices.append(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                unique=True).map(tuple))
    return shape, draw(st.one_of(choices))


REDUCTIONS = {
    "sum": lambda x, axis, keepdims: anp.sum(x, axis, keepdims),
    "mean": lambda x, axis, keepdims: anp.mean(x, axis, keepdims),
    "max": lambda x, axis, keepdims: anp.max(x, axis, keepdims),
    "min": lambda x, axis, keepdims: anp.min(x, axis, keepdims),
    "prod": lambda x, axis, keepdims: anp.prod(x, axis, keepdims),
    "var": lambda x, axis, keepdims: anp.var(x, axis, 0, keepdims),
    "var ddof=1": lambda x, axis, keepdims: anp.var(x, axis, 1, keepdims),
    "std": lambda x, axis, keepdims: anp.std(x, axis, 0, keepdims),
    "logsumexp": lambda x, axis, keepdims: anp.logsumexp(x, axis, keepdims),
    "norm": lambda x, axis, keepdims: anp.norm(x, None, axis, keepdims),
    "norm ord=1": lambda x, axis, keepdims: anp.norm(x, 1, axis, keepdims),
    "norm ord=inf": lambda x, axis, keepdims: anp.norm(x, np.inf, axis, keepdims),
}


@pytest.mark.parametrize("name", list(REDUCTIONS))
@FAST
@given(sa=shape_and_axis(), keepdims=st.booleans(), seed=seeds)
def test_reductions_match_finite_differences(name, sa, keepdims, seed):
    shape, axis = sa
    if name.startswith("norm") and "ord" in name and axis is None and len(shape) >= 2:
        axis = -1  # matrix norms are not provided
    if name == "var ddof=1" and int(np.prod([shape[a] for a in np.atleast_1d(
            range(len(shape)) if axis is None else axis)])) < 2:
        return  # ddof=1 needs two elements per slice
    x = values(seed, shape, "away_from_zero" if "norm" in name else "any")
    assert check_grad(lambda x: REDUCTIONS[name](x, axis, keepdims), x) < TOL


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "cumsum"])
@FAST
@given(sa=shape_and_axis(allow_tuple=False), seed=seeds)
def test_axis_functions_match_finite_differences(name, sa, seed):
    shape, axis = sa
    f = getattr(anp, name)
    assert check_grad(lambda x: f(x, axis), values(seed, shape)) < TOL


SECOND_ORDER = {
    **{name: (f, [(domain, (2, 3))]) for name, (f, domain) in UNARY.items()},
    **{name: (f, [(dx, (2, 3)), (dy, (3,))]) for name, (f, dx, dy) in BINARY.items()},
    **{name: (lambda x, f=f: f(x, 1, False), [("away_from_zero", (2, 3))])
       for name, f in REDUCTIONS.items()},
    **{name: (lambda x, name=name: getattr(anp, name)(x, 0), [("any", (3, 2))])
       for name in ("softmax", "log_softmax", "cumsum")},
}


@pytest.mark.filterwarnings("ignore:Output seems independent")  # linear f: constant gradient
@pytest.mark.parametrize("name", list(SECOND_ORDER))
def test_second_derivatives_match_finite_differences(name):
    """Every rule is differentiated again (Hessians, grad of grad): both modes, both orders."""
    f, specs = SECOND_ORDER[name]
    args = [values(11 + k, shape, domain) for k, (domain, shape) in enumerate(specs)]
    assert second_order_error(f, *args) < TOL


@FAST
@given(shape=small_shapes, seed=seeds)
def test_prod_with_zeros_matches_finite_differences(shape, seed):
    """One or two exact zeros per slice: the rule must not divide by zero."""
    x = values(seed, shape)
    rng = np.random.default_rng(seed)
    x.reshape(-1)[rng.integers(0, x.size, size=rng.integers(1, 3))] = 0.0
    assert check_grad(lambda x: anp.prod(x, -1 if x.ndim else None), x) < TOL


MATMUL_SHAPES = [((3, 4), (4, 2)), ((4,), (4, 2)), ((3, 4), (4,)), ((4,), (4,)),
                 ((2, 3, 4), (4, 2)), ((4,), (2, 4, 3)), ((2, 1, 3, 4), (2, 4, 2)),
                 ((2, 3, 4), (4,))]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_all_ranks_match_finite_differences(shapes):
    a, b = values(0, shapes[0]), values(1, shapes[1])
    assert check_grad(anp.matmul, a, b) < TOL
    assert check_grad(lambda a, b: a @ b, a, b) < TOL


def test_dot_outer_match_finite_differences():
    a, b, M = values(0, (4,)), values(1, (4,)), values(2, (3, 4))
    assert check_grad(anp.dot, a, b) < TOL
    assert check_grad(anp.dot, M, a) < TOL
    assert check_grad(anp.dot, 2.0, a) < TOL
    assert check_grad(anp.outer, a, values(3, (3,))) < TOL


SHAPE_OPS = {
    "transpose": (lambda x: anp.transpose(x, (2, 0, 1)), (2, 3, 4)),
    ".T": (lambda x: x.T, (2, 3)),
    "swapaxes": (lambda x: anp.swapaxes(x, 0, 2), (2, 3, 4)),
    "reshape": (lambda x: anp.reshape(x, (4, -1)), (2, 3, 2)),
    "method reshape": (lambda x: x.reshape(3, 4), (2, 6)),
    "ravel": (anp.ravel, (2, 3)),
    "expand_dims": (lambda x: anp.expand_dims(x, 1), (2, 3)),
    "squeeze": (lambda x: anp.squeeze(x, 1), (2, 1, 3)),
    "broadcast_to": (lambda x: anp.broadcast_to(x, (4, 2, 3)), (2, 1)),
    "sum_to": (lambda x: anp.sum_to(x, (1, 3)), (2, 4, 3)),
    "basic slicing": (lambda x: x[1:, ::2] * x[0, 1], (3, 4)),
    "ellipsis and newaxis": (lambda x: x[..., None, 1], (2, 3)),
    "integer-array index with repeats": (lambda x: x[np.array([0, 2, 0, 0])], (3, 2)),
    "pair of integer arrays": (lambda x: x[np.arange(3), np.array([1, 0, 1])], (3, 2)),
    "boolean mask": (lambda x: x[np.array([[True, False], [True, True], [False, True]])],
                     (3, 2)),
    "take_along_axis": (lambda x: anp.take_along_axis(x, np.array([[0, 0], [2, 1]]), 1),
                        (2, 3)),
    "take_along_axis None": (lambda x: anp.take_along_axis(x, np.array([5, 0, 5]), None),
                             (2, 3)),
    "concatenate": (lambda x: anp.concatenate([x, 2 * x[:1], anp.sin(x)], axis=0), (2, 3)),
    "concatenate axis -1": (lambda x: anp.concatenate([x, x ** 2], axis=-1), (2, 3)),
    "stack": (lambda x: anp.stack([x, x * x, anp.exp(x)], axis=1), (2, 3)),
}


@pytest.mark.parametrize("name", list(SHAPE_OPS))
def test_shape_and_indexing_ops_match_finite_differences(name):
    f, shape = SHAPE_OPS[name]
    assert check_grad(f, values(7, shape)) < TOL


def test_concatenate_of_several_inputs():
    a, b = values(0, (2, 3)), values(1, (1, 3))
    assert check_grad(lambda a, b: anp.concatenate([a, b, a]), a, b) < TOL


def test_methods_match_functions():
    x = values(3, (2, 3))
    for method in ("sum", "mean", "max", "min", "prod", "var", "std", "cumsum", "exp", "tanh",
                   "sigmoid", "relu", "ravel"):
        assert check_grad(lambda x, m=method: getattr(x, m)() if isinstance(x, (Tensor, Dual))
                          else getattr(anp, m)(x), x) < TOL


def test_plain_arrays_in_plain_numpy_out():
    x = values(0, (2, 3))
    assert type(anp.exp(x)) is np.ndarray
    np.testing.assert_array_equal(anp.exp(x), np.exp(x))
    np.testing.assert_array_equal(anp.sum(x, 0), np.sum(x, 0))
    np.testing.assert_allclose(anp.logsumexp(x, 1), np.log(np.sum(np.exp(x), axis=1)),
                               rtol=1e-14)
    assert type(anp.matmul(x, x.T)) is np.ndarray


FLOAT32_CASES = {**UNARY, **{name: (f, "positive") for name, f in {
    "sum": lambda x: anp.sum(x, 0), "max": lambda x: anp.max(x, 1),
    "std": lambda x: anp.std(x, 1), "prod": anp.prod, "norm": anp.norm,
    "softmax": anp.softmax, "log_softmax": anp.log_softmax,
    "logsumexp": anp.logsumexp, "cumsum": anp.cumsum, "cumprod": lambda x: anp.cumprod(x, 1),
    "maximum": lambda x: anp.maximum(x, x[:1]), "matmul": lambda x: x @ x.T,
    "index": lambda x: x[np.array([0, 0])], "mean": anp.mean,
    "hypot": lambda x: anp.hypot(x, x[:1]), "logaddexp": lambda x: anp.logaddexp(x, 1.0),
    "arctan2": lambda x: anp.arctan2(x, x[::-1]), "einsum": lambda x: anp.einsum("ij,kj", x, x),
    "kron": lambda x: anp.kron(x, x), "linspace": lambda x: anp.linspace(x[0], x[1], 4),
    "astype float64 and back": lambda x: anp.astype(anp.astype(x, np.float64) * 2, x.dtype),
}.items()}}


@pytest.mark.parametrize("name", list(FLOAT32_CASES))
def test_float32_is_preserved_in_both_modes(name):
    f, domain = FLOAT32_CASES[name]
    x = values(0, (2, 3), domain).astype(np.float32)
    out, tangent = jvp(f, (x,), (np.ones_like(x),))
    assert np.asarray(out).dtype == np.float32
    assert np.asarray(tangent).dtype == np.float32
    g = grad(lambda x: anp.sum(f(x)))(x)
    assert g.dtype == np.float32
    t = Tensor(x, requires_grad=True)
    anp.sum(f(t)).backward()
    assert t.grad.dtype == np.float32
