"""Every function of ``fromscratch.autodiff.numpy`` that has a NumPy twin, five ways.

Each entry is written once for a NumPy-like namespace ``xp`` and run with ``xp = anp`` and with
``xp = np`` (NumPy's own function, which dispatches to ours when it meets a Tensor or Dual):

1. on plain arrays, ours returns NumPy's values;
2. on Tensors and Duals, NumPy's function returns the same values (the dispatch works);
3. the Jacobian through ``np.<f>`` equals the one through ``anp.<f>``, in both modes;
4. both modes match central finite differences (first order);
5. second order: the Jacobian of the gradient (reverse-over-reverse, forward-over-reverse) and
   of the JVP (forward-over-forward) match finite differences of the gradient and of the JVP.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from autodiff_points import second_order_error, values

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Dual, Tensor, check_grad, grad, jacobian

TOL = 1e-6
M23 = (2, 3)
MASK = np.array([[True, False, True], [False, True, True]])


def unary(name, domain="any", shape=M23):
    return (lambda xp, x: getattr(xp, name)(x)), [(domain, shape)]


def binary(name, dx="any", dy="any"):
    return (lambda xp, x, y: getattr(xp, name)(x, y)), [(dx, M23), (dy, (3,))]


def one(f, domain="any", shape=M23):
    return f, [(domain, shape)]


def pieces(split, *args, **kwargs):
    """A split as one array again, each piece weighted differently (so a mix-up shows)."""
    def f(xp, x):
        parts = getattr(xp, split)(x, *args, **kwargs)
        return xp.concatenate([xp.ravel(p) * (k + 1) for k, p in enumerate(parts)])
    return f, [("any", (4, 6, 2))]


TWINS = {
    # ufuncs and elementwise functions
    **{name: unary(name) for name in (
        "negative", "exp", "exp2", "expm1", "square", "sin", "cos", "arctan", "sinh", "cosh",
        "tanh", "arcsinh", "sinc", "nan_to_num")},
    **{name: unary(name, "positive") for name in ("log", "log2", "log10", "log1p", "sqrt")},
    **{name: unary(name, "away_from_zero") for name in ("abs", "absolute", "sign", "cbrt",
                                                         "reciprocal")},
    **{name: unary(name, "unit") for name in ("arcsin", "arccos", "arctanh")},
    "tan": unary("tan", "small"), "arccosh": unary("arccosh", "above_one"),
    **{name: binary(name) for name in (
        "add", "subtract", "multiply", "maximum", "minimum", "fmax", "fmin", "arctan2", "hypot",
        "logaddexp", "logaddexp2")},
    **{name: binary(name, "any", "away_from_zero") for name in ("divide", "true_divide")},
    "power": binary("power", "positive"), "remainder": binary("remainder", "any", "positive"),
    "mod": binary("mod", "any", "positive"),
    "clip": one(lambda xp, x: xp.clip(x, -0.5, 0.7)),
    "where": (lambda xp, x, y: xp.where(MASK, x, y), [("any", M23), ("any", (3,))]),
    "select": (lambda xp, x, y: xp.select([MASK, ~MASK[::-1]], [x, y], 0.5),
               [("any", M23), ("any", (3,))]),
    # reductions
    "sum": one(lambda xp, x: xp.sum(x, axis=0)),
    "sum keepdims": one(lambda xp, x: xp.sum(x, 1, keepdims=True)),
    "mean": one(lambda xp, x: xp.mean(x, axis=(0, 1))),
    "prod": one(lambda xp, x: xp.prod(x, -1)),
    "max": one(lambda xp, x: xp.max(x, axis=1)), "min": one(lambda xp, x: xp.min(x)),
    "amax": one(lambda xp, x: xp.amax(x, 0)),
    "var": one(lambda xp, x: xp.var(x, 1)), "var ddof=1": one(lambda xp, x: xp.var(x, ddof=1)),
    "std": one(lambda xp, x: xp.std(x, axis=0, keepdims=True)),
    "cumsum": one(lambda xp, x: xp.cumsum(x, axis=1)), "cumsum flat": one(lambda xp, x:
                                                                          xp.cumsum(x)),
    "cumprod": one(lambda xp, x: xp.cumprod(x, axis=1), shape=(2, 5)),
    "cumprod flat": one(lambda xp, x: xp.cumprod(x)),
    # shapes
    "reshape": one(lambda xp, x: xp.reshape(x, (3, 2))), "ravel": one(lambda xp, x: xp.ravel(x)),
    "transpose": one(lambda xp, x: xp.transpose(x, (1, 2, 0)), shape=(2, 3, 2)),
    "expand_dims": one(lambda xp, x: xp.expand_dims(x, 1)),
    "squeeze": one(lambda xp, x: xp.squeeze(x, 1), shape=(2, 1, 3)),
    "broadcast_to": one(lambda xp, x: xp.broadcast_to(x, (4, 2, 3))),
    "swapaxes": one(lambda xp, x: xp.swapaxes(x, 0, 2), shape=(2, 3, 2)),
    "moveaxis": one(lambda xp, x: xp.moveaxis(x, [0, 1], [2, 0]), shape=(2, 3, 4)),
    "flip": one(lambda xp, x: xp.flip(x, 1)), "flip all": one(lambda xp, x: xp.flip(x)),
    "fliplr": one(lambda xp, x: xp.fliplr(x)), "flipud": one(lambda xp, x: xp.flipud(x)),
    **{f"rot90 k={k}": one(lambda xp, x, k=k: xp.rot90(x, k, axes=(2, 0)), shape=(2, 3, 4))
       for k in (1, 2, 3)},
    "roll": one(lambda xp, x: xp.roll(x, 2, axis=1)), "roll flat": one(lambda xp, x:
                                                                       xp.roll(x, -1)),
    "atleast_1d": one(lambda xp, x: xp.atleast_1d(x), shape=()),
    "atleast_2d": one(lambda xp, x: xp.atleast_2d(x), shape=(3,)),
    "atleast_3d": one(lambda xp, x: xp.atleast_3d(x)),
    "atleast_3d of several": one(lambda xp, x: xp.concatenate(
        [xp.ravel(a) for a in xp.atleast_3d(x, x[0], x[0, 0])]), shape=M23),
    # joining and splitting
    "concatenate": (lambda xp, x, y: xp.concatenate([x, y[None], x], axis=0),
                    [("any", M23), ("any", (3,))]),
    "concatenate axis=None": (lambda xp, x, y: xp.concatenate([x, y, x], axis=None),
                              [("any", M23), ("any", (3,))]),
    "stack": (lambda xp, x, y: xp.stack([x, xp.broadcast_to(y, M23)], axis=1),
              [("any", M23), ("any", (3,))]),
    "hstack": (lambda xp, x, y: xp.hstack([x, x * y]), [("any", M23), ("any", (3,))]),
    "hstack 1-d": (lambda xp, x, y: xp.hstack([y, x[0], y]), [("any", M23), ("any", (3,))]),
    "vstack": (lambda xp, x, y: xp.vstack([x, y, y]), [("any", M23), ("any", (3,))]),
    "dstack": (lambda xp, x, y: xp.dstack([x, x * y]), [("any", M23), ("any", (3,))]),
    "column_stack": (lambda xp, x, y: xp.column_stack([y, x.T]), [("any", M23), ("any", (3,))]),
    "append": (lambda xp, x, y: xp.append(x, y), [("any", M23), ("any", (3,))]),
    "append axis": (lambda xp, x, y: xp.append(x, y[None], axis=0),
                    [("any", M23), ("any", (3,))]),
    "split": pieces("split", 2, axis=1), "split at": pieces("split", [1, 3]),
    "array_split": pieces("array_split", 4, axis=1), "hsplit": pieces("hsplit", 3),
    "vsplit": pieces("vsplit", [1]), "dsplit": pieces("dsplit", 2),
    # tiling, indexing, sorting, padding
    "repeat": one(lambda xp, x: xp.repeat(x, [1, 0, 2], axis=1)),
    "repeat flat": one(lambda xp, x: xp.repeat(x, 2)),
    "tile": one(lambda xp, x: xp.tile(x, (2, 1, 2))),
    "take": one(lambda xp, x: xp.take(x, [2, 0, 2], axis=1)),
    "take flat": one(lambda xp, x: xp.take(x, [[5, 0], [0, 1]])),
    "take_along_axis": one(lambda xp, x: xp.take_along_axis(x, np.array([[0, 0], [2, 1]]), 1)),
    "sort": one(lambda xp, x: xp.sort(x)), "sort axis 0": one(lambda xp, x: xp.sort(x, 0)),
    "sort flat": one(lambda xp, x: xp.sort(x, axis=None)),
    "pad constant": one(lambda xp, x: xp.pad(x, ((1, 0), (2, 1)), constant_values=0.5)),
    **{f"pad {mode}": one(lambda xp, x, mode=mode: xp.pad(x, 2, mode=mode))
       for mode in ("edge", "reflect", "symmetric", "wrap")},
    # diagonals, triangles, differences, sequences
    "diag of a matrix": one(lambda xp, x: xp.diag(x, 1)),
    "diag of a vector": one(lambda xp, x: xp.diag(x, -1), shape=(3,)),
    "diagonal": one(lambda xp, x: xp.diagonal(x, -1, 2, 0), shape=(3, 2, 4)),
    "trace": one(lambda xp, x: xp.trace(x)), "trace offset": one(lambda xp, x: xp.trace(x, 1)),
    "tril": one(lambda xp, x: xp.tril(x)), "triu": one(lambda xp, x: xp.triu(x, -1),
                                                     shape=(2, 3, 3)),
    "diff": one(lambda xp, x: xp.diff(x, 2, axis=0), shape=(4, 3)),
    "diff prepend": (lambda xp, x, y: xp.diff(x, prepend=0.5, append=y[:, None][:2]),
                     [("any", M23), ("any", (3,))]),
    "linspace": (lambda xp, x, y: xp.linspace(x, y, 4, axis=-1), [("any", (3,)), ("any", (3,))]),
    "linspace scalars": (lambda xp, x, y: xp.linspace(x, y, 5, endpoint=False),
                         [("any", ()), ("any", ())]),
    "linspace retstep": (lambda xp, x, y: xp.concatenate(
        [xp.ravel(v) for v in xp.linspace(x, y, 3, retstep=True)]), [("any", ()), ("any", ())]),
    # products
    "matmul": (lambda xp, x, y: xp.matmul(x, y), [("any", M23), ("any", (3,))]),
    "dot": (lambda xp, x, y: xp.dot(x, y), [("any", M23), ("any", (3,))]),
    "outer": binary("outer"), "inner": binary("inner"),
    "tensordot": (lambda xp, x, y: xp.tensordot(x, y, axes=([1, 0], [0, 2])),
                  [("any", (2, 3, 2)), ("any", (3, 4, 2))]),
    "tensordot int": (lambda xp, x, y: xp.tensordot(x, y, 1), [("any", M23), ("any", (3, 2))]),
    "kron": (lambda xp, x, y: xp.kron(x, y), [("any", M23), ("any", (2, 2))]),
    "kron of a vector": binary("kron"),
    "cross": (lambda xp, x, y: xp.cross(x, y), [("any", M23), ("any", (3,))]),
    "cross axes": (lambda xp, x, y: xp.cross(x, y, axisa=0, axisc=0),
                   [("any", (3, 2)), ("any", (3,))]),
    **{f"einsum {spec}": (lambda xp, *ops, spec=spec: xp.einsum(spec, *ops),
                          [("any", shape) for shape in shapes])
       for spec, shapes in {
           "ij,jk->ik": [M23, (3, 2)], "ij,jk": [M23, (3, 2)], "ij->": [M23], "ij->j": [M23],
           "ii->i": [(3, 3)], "ii": [(3, 3)], "iji->ji": [(2, 3, 2)], "i,j->ij": [(2,), (3,)],
           "ijk->kji": [(2, 3, 2)], "bij,bjk->bik": [(2, 2, 3), (2, 3, 2)],
           "...ij,...j->...i": [(2, 2, 3), (3,)], "i...,i->...": [(2, 1, 3), (2,)],
           "ij,ij,i->j": [M23, M23, (2,)], "ab,b": [(2, 1), (3,)]}.items()},
}


def _args(name):
    return [values(7 + k, shape, domain) for k, (domain, shape) in enumerate(TWINS[name][1])]


def _call(xp, name, *args):
    with warnings.catch_warnings():  # NumPy 2 deprecates 2-vector cross; none is used here
        warnings.simplefilter("error")
        return TWINS[name][0](xp, *args)


def _close(actual, expected):
    expected = np.asarray(expected)
    np.testing.assert_allclose(actual, expected, rtol=1e-14,
                               atol=1e-14 * max(1.0, float(np.abs(expected).max(initial=0))))


@pytest.mark.parametrize("name", list(TWINS))
def test_plain_arrays_give_numpys_values(name):
    args = _args(name)
    _close(_call(anp, name, *args), _call(np, name, *args))


@pytest.mark.parametrize("name", list(TWINS))
def test_numpys_function_on_tensors_and_duals_gives_the_same_values(name):
    args = _args(name)
    expected = _call(np, name, *args)
    out = _call(np, name, *[Tensor(a, requires_grad=True) for a in args])
    assert isinstance(out, Tensor)
    _close(out.data, expected)
    out = _call(np, name, *[Dual(a, np.ones_like(a)) for a in args])
    assert isinstance(out, Dual)
    _close(out.value, expected)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("name", list(TWINS))
def test_numpys_function_is_differentiated_by_the_same_rules(name, mode):
    args = _args(name)
    argnums = tuple(range(len(args)))
    ours = jacobian(lambda *a: _call(anp, name, *a), argnums, mode=mode)(*args)
    theirs = jacobian(lambda *a: _call(np, name, *a), argnums, mode=mode)(*args)
    for J_ours, J_theirs in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(J_theirs, J_ours)


@pytest.mark.parametrize("name", list(TWINS))
def test_both_modes_match_finite_differences(name):
    assert check_grad(lambda *a: _call(anp, name, *a), *_args(name)) < TOL


@pytest.mark.filterwarnings("ignore:Output seems independent")  # linear f: constant gradient
@pytest.mark.parametrize("name", list(TWINS))
def test_second_derivatives_match_finite_differences(name):
    assert second_order_error(lambda *a: _call(anp, name, *a), *_args(name)) < TOL


# -- the dispatch protocols beyond the table ------------------------------------------------------


@pytest.mark.parametrize("box", [lambda a: Tensor(a, requires_grad=True),
                                 lambda a: Dual(a, np.ones_like(a))], ids=["Tensor", "Dual"])
def test_numpy_functions_without_a_derivative_run_on_the_values(box):
    a = values(0, M23)
    x = box(a)
    assert np.shape(x) == M23 and np.ndim(x) == 2 and np.size(x) == 6
    assert np.argmax(x) == np.argmax(a) and np.argsort(x, axis=1).tolist() == \
        np.argsort(a, axis=1).tolist()
    assert np.allclose(x, a) and np.isclose(x, a).all() and np.all(np.isfinite(x))
    for f in (np.floor, np.ceil, np.trunc, np.rint, np.signbit, np.isnan, np.round):
        out = f(x)
        assert type(out) is np.ndarray and out.tolist() == f(a).tolist()
    assert type(x > 0) is np.ndarray and type(np.greater(a, x)) is np.ndarray
    assert (a // x).tolist() == (a // a).tolist()
    np.testing.assert_array_equal(np.zeros_like(x), np.zeros_like(a))
    assert "array" in np.array2string(x) or "[" in np.array2string(x)


def test_ufunc_methods_and_identities():
    x, y = values(0, M23), values(1, (4,))
    rules = {"np.add.reduce": (lambda x: np.add.reduce(x, axis=1), lambda x: anp.sum(x, 1)),
             "np.multiply.reduce": (lambda x: np.multiply.reduce(x), lambda x: anp.prod(x, 0)),
             "np.maximum.reduce": (lambda x: np.maximum.reduce(x, 1, keepdims=True),
                                   lambda x: anp.max(x, 1, True)),
             "np.add.accumulate": (lambda x: np.add.accumulate(x, 1), lambda x: anp.cumsum(x, 1)),
             "np.multiply.accumulate": (np.multiply.accumulate, lambda x: anp.cumprod(x, 0)),
             "np.positive, np.fabs, np.conjugate": (
                 lambda x: np.positive(x) * np.fabs(x) + np.conjugate(x),
                 lambda x: x * anp.abs(x) + x)}
    for name, (theirs, ours) in rules.items():
        for mode in ("reverse", "forward"):
            np.testing.assert_allclose(jacobian(theirs, mode=mode)(x),
                                       jacobian(ours, mode=mode)(x), rtol=1e-15, err_msg=name)
    J = jacobian(lambda x, y: np.multiply.outer(x, y), argnums=(0, 1))(x, y)
    np.testing.assert_array_equal(J[1], jacobian(lambda y: anp.multiply(x[..., None], y))(y))
    assert check_grad(lambda x, y: np.subtract.outer(x, y) ** 2, x, y) < TOL


def test_ndarray_on_the_left_of_an_operator_defers_to_the_box():
    A, x = values(0, (3, 3)), values(1, (3,))
    f = lambda x: anp.sum(A @ x + A * x - A / (x * x + 1) + 2.0 ** x + A % 1.5)  # noqa: E731
    g = lambda x: anp.sum(anp.matmul(A, x) + x * A - (x * x + 1) ** -1 * A + anp.power(2.0, x))  # noqa: E731,E501
    np.testing.assert_allclose(grad(f)(x), grad(g)(x) + 0.0, rtol=1e-14)
    assert check_grad(f, x) < TOL
    assert isinstance(np.float64(2.0) * Tensor(x), Tensor)


def test_what_numpy_cannot_do_on_a_box_is_a_clear_error():
    x = Tensor(values(0, M23), requires_grad=True)
    with pytest.raises(TypeError, match=r"np.sum\(..., out=...\) would write"):
        np.sum(x, out=np.zeros(()))
    with pytest.raises(TypeError, match=r"np.sum\(..., where=...\) is not supported.*"
                                        r"takes \(a, axis, keepdims\)"):
        np.sum(x, where=MASK)
    with pytest.raises(TypeError, match=r"np.mean\(..., dtype=...\)"):
        np.mean(x, dtype=np.float32)
    assert np.sum(x, axis=None, dtype=None, out=None).data == np.sum(x.data)  # defaults pass
    with pytest.raises(TypeError, match="numpy.median has no differentiation rule"):
        np.median(x)
    with pytest.raises(TypeError, match="np.fmod has no differentiation rule.*stop_gradient"):
        np.fmod(x, 2.0)
    with pytest.raises(TypeError, match=r"np.add.at has no differentiation rule"):
        np.add.at(x, [0], 1.0)
    with pytest.raises(TypeError, match=r"np.exp\(..., dtype=\)"):
        np.exp(x, dtype=np.float32)
    with pytest.raises(ValueError, match="pad: mode 'mean' is not differentiable"):
        np.pad(x, 1, mode="mean")
    with pytest.raises(TypeError, match="subscripts as a string"):
        anp.einsum(x, [0, 1])
    with pytest.raises(ValueError, match="do not fit an operand"):
        anp.einsum("ijk", x)


# -- older NumPy releases ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["where", "concatenate", "dot", "inner"])
def test_the_stand_in_signatures_are_numpys(name):
    """Before NumPy 2.4 these C functions have no introspectable signature; the dispatch then
    binds calls to a stand-in, which must have NumPy's parameters (checked where NumPy has
    them)."""
    import inspect

    from fromscratch.autodiff import _dispatch

    stand_in = inspect.signature(_dispatch._C_SIGNATURES[name])
    try:
        numpys = inspect.signature(getattr(np, name))
    except ValueError:
        pytest.skip(f"this NumPy ({np.__version__}) has no signature for np.{name}")
    assert [(p.name, p.kind, p.default) for p in stand_in.parameters.values()] == [
        (p.name, p.kind, p.default) for p in numpys.parameters.values()]


def test_a_renamed_parameter_is_bound_under_the_installed_numpys_name(monkeypatch):
    """np.reshape's ``shape`` was ``newshape`` before NumPy 2.1: a binding made against the
    old signature passes the shape on, and the gradient flows."""
    import inspect

    from fromscratch.autodiff import _dispatch

    def old_reshape(a, newshape, order="C"): ...
    monkeypatch.setattr(_dispatch, "_numpy_signature",
                        lambda name: inspect.signature(old_reshape))
    binding = _dispatch._Binding("reshape", _dispatch.SIGNATURES["reshape"])
    assert binding.positional == ["a", "newshape"]
    x = np.arange(6.0)
    g = grad(lambda v: anp.sum(binding((v, (2, 3)), {}) * x.reshape(2, 3)))(np.ones(6))
    assert np.array_equal(g, x)
