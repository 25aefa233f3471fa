"""Class weights, label smoothing, ignore_index and pos_weight in the classification losses:
values and gradients against PyTorch, closed forms for the edge cases, finite differences, and
the errors for bad weights."""

import math

import numpy as np
import pytest

from fromscratch import nn
from fromscratch.autodiff import Tensor, check_grad
from fromscratch.nn import functional as F

torch = pytest.importorskip("torch")


def _assert_close(ours, ref, rtol=1e-12):
    """Equal relative to the scale of the reference (entries near 0 compare absolutely)."""
    ref = ref.detach().numpy() if hasattr(ref, "detach") else np.asarray(ref)
    ours = np.asarray(getattr(ours, "data", ours))
    assert ours.dtype == ref.dtype
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=rtol * max(np.abs(ref).max(), 1e-300))


def _problem(n=12, n_classes=5, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    Z = rng.normal(scale=3.0, size=(n, n_classes)).astype(dtype)
    y = rng.integers(0, n_classes, n)
    w = rng.uniform(0.1, 3.0, n_classes).astype(dtype)
    return Z, y, w


def _value_and_grad(loss, Z, G=None):
    """Our loss and its gradient ``d(sum(G * loss))/dZ`` (G: a random cotangent for 'none')."""
    z = Tensor(Z, requires_grad=True)
    out = loss(z)
    (out * (1.0 if G is None else G)).sum().backward()
    return out, z.grad


def _torch_value_and_grad(loss, Z, G=None):
    z = torch.tensor(Z, requires_grad=True)
    out = loss(z)
    (out * (1.0 if G is None else torch.tensor(G))).sum().backward()
    return out, z.grad


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.7, 1.0])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("ignore", [False, True], ids=["all", "ignore"])
def test_cross_entropy_matches_torch(reduction, label_smoothing, weighted, ignore):
    Z, y, w = _problem()
    if ignore:
        y[[1, 4, 5]] = -100  # PyTorch's default ignore_index
    weight = w if weighted else None
    G = np.random.default_rng(1).normal(size=len(y)) if reduction == "none" else None
    ours = _value_and_grad(
        lambda z: nn.CrossEntropyLoss(weight, reduction=reduction,
                                      label_smoothing=label_smoothing)(z, y), Z, G)
    ref_weight = None if weight is None else torch.tensor(weight)
    theirs = _torch_value_and_grad(
        lambda z: torch.nn.CrossEntropyLoss(ref_weight, reduction=reduction,
                                            label_smoothing=label_smoothing)(z, torch.tensor(y)),
        Z, G)
    _assert_close(ours[0], theirs[0])
    _assert_close(ours[1], theirs[1])


@pytest.mark.parametrize("ignore_index", [2, 7])
def test_cross_entropy_ignore_index_matches_torch(ignore_index):
    """A class index can be ignored, and so can a value outside [0, C)."""
    Z, y, w = _problem(seed=2)
    y[::3] = ignore_index
    for kwargs in [dict(), dict(label_smoothing=0.2), dict(weight=w, label_smoothing=0.2)]:
        ours = _value_and_grad(lambda z, kw=kwargs: F.cross_entropy(
            z, y, ignore_index=ignore_index, **kw), Z)
        ref_kwargs = {k: torch.tensor(v) if k == "weight" else v for k, v in kwargs.items()}
        theirs = _torch_value_and_grad(lambda z, kw=ref_kwargs: torch.nn.functional.cross_entropy(
            z, torch.tensor(y), ignore_index=ignore_index, **kw), Z)
        _assert_close(ours[0], theirs[0])
        _assert_close(ours[1], theirs[1])


def test_cross_entropy_keeps_float32():
    Z, y, w = _problem(dtype=np.float32)
    ours = _value_and_grad(lambda z: F.cross_entropy(z, y, w, label_smoothing=0.3), Z)
    theirs = _torch_value_and_grad(lambda z: torch.nn.functional.cross_entropy(
        z, torch.tensor(y), torch.tensor(w), label_smoothing=0.3), Z)
    assert ours[0].data.dtype == ours[1].dtype == np.float32
    _assert_close(ours[0], theirs[0], rtol=1e-5)  # float32 rounding, summed over 60 terms
    _assert_close(ours[1], theirs[1], rtol=1e-5)


def test_cross_entropy_is_stable_for_huge_logits_with_smoothing():
    Z = np.array([[1000.0, -1000.0, 0.0], [-800.0, 800.0, 5.0]])
    y, w = np.array([1, 1]), np.array([1.0, 2.0, 0.5])
    ours = _value_and_grad(lambda z: F.cross_entropy(z, y, w, label_smoothing=0.1), Z)
    theirs = _torch_value_and_grad(lambda z: torch.nn.functional.cross_entropy(
        z, torch.tensor(y), torch.tensor(w), label_smoothing=0.1), Z)
    assert np.isfinite(ours[0].data) and np.isfinite(ours[1]).all()
    _assert_close(ours[0], theirs[0])
    _assert_close(ours[1], theirs[1])


@pytest.mark.parametrize("kwargs", [dict(label_smoothing=0.3),
                                    dict(weight=np.array([0.5, 2.0, 1.0, 0.1]),
                                         label_smoothing=0.3, ignore_index=3)])
def test_cross_entropy_gradient_by_finite_differences(kwargs):
    """Independent of PyTorch: both autodiff modes against central differences."""
    rng = np.random.default_rng(3)
    Z, y = rng.normal(size=(6, 4)), np.array([0, 3, 1, 2, 3, 0])
    assert check_grad(lambda z: F.cross_entropy(z, y, **kwargs), Z) < 1e-7


def _log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def test_cross_entropy_edge_cases_by_closed_form():
    Z, y, w = _problem(n=40, seed=4)
    log_p = _log_softmax(Z)
    nll = -log_p[np.arange(len(y)), y]
    # All weight on one class: the weighted mean is the plain mean over that class's samples.
    one_class = np.zeros(5)
    one_class[2] = 7.0
    np.testing.assert_allclose(F.cross_entropy(Z, y, one_class), nll[y == 2].mean(), rtol=1e-13)
    # Smoothing 1: cross-entropy against the uniform distribution, whatever the labels.
    np.testing.assert_allclose(F.cross_entropy(Z, y, label_smoothing=1.0),
                               -log_p.mean(axis=1).mean(), rtol=1e-13)
    np.testing.assert_allclose(F.cross_entropy(Z, y, label_smoothing=1.0),
                               F.cross_entropy(Z, np.roll(y, 1), label_smoothing=1.0), rtol=1e-13)
    # Smoothing 0 and unit weights: the plain loss.
    np.testing.assert_allclose(F.cross_entropy(Z, y, np.ones(5), label_smoothing=0.0),
                               nll.mean(), rtol=1e-13)
    # Rescaling every weight changes nothing (the mean divides by the weights' sum).
    np.testing.assert_allclose(F.cross_entropy(Z, y, 10 * w, label_smoothing=0.2),
                               F.cross_entropy(Z, y, w, label_smoothing=0.2), rtol=1e-13)
    # Ignoring a sample is dropping it.
    y_ignored = y.copy()
    y_ignored[:10] = -100
    np.testing.assert_allclose(F.cross_entropy(Z, y_ignored, w, label_smoothing=0.2),
                               F.cross_entropy(Z[10:], y[10:], w, label_smoothing=0.2),
                               rtol=1e-13)


def test_the_mean_of_no_counted_target_is_an_error_not_nan():
    Z, y, _ = _problem()
    with pytest.raises(ValueError, match="weights of the counted targets sum to 0"):
        F.cross_entropy(Z, np.full(len(y), -100))
    only_class_4 = np.array([0.0, 0, 0, 0, 1])
    y = np.where(y == 4, 0, y)
    with pytest.raises(ValueError, match="weights of the counted targets sum to 0"):
        F.cross_entropy(Z, y, only_class_4)
    assert F.cross_entropy(Z, y, only_class_4, reduction="sum") == 0.0  # the sum is defined


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "weights",
    [dict(pos_weight="columns"), dict(weight="rows"), dict(weight="full", pos_weight="columns"),
     dict(pos_weight="full")],
    ids=["pos_weight", "weight-rows", "both", "pos_weight-full"],
)
def test_bce_with_logits_weights_match_torch(reduction, weights):
    rng = np.random.default_rng(5)
    Z = rng.normal(scale=4.0, size=(10, 3))
    Y = rng.uniform(size=(10, 3))
    shapes = {"columns": (3,), "rows": (10, 1), "full": (10, 3)}
    kwargs = {k: rng.uniform(0.0, 3.0, shapes[v]) for k, v in weights.items()}
    G = rng.normal(size=Z.shape) if reduction == "none" else None
    ours = _value_and_grad(lambda z: nn.BCEWithLogitsLoss(reduction=reduction, **kwargs)(z, Y),
                           Z, G)
    theirs = _torch_value_and_grad(
        lambda z: torch.nn.BCEWithLogitsLoss(
            reduction=reduction, **{k: torch.tensor(v) for k, v in kwargs.items()}
        )(z, torch.tensor(Y)), Z, G)
    _assert_close(ours[0], theirs[0])
    _assert_close(ours[1], theirs[1])


def test_bce_pos_weight_by_closed_form_and_for_huge_logits():
    Z = np.array([[-3.0, 0.5], [2.0, 40.0]])
    Y = np.array([[1.0, 0.0], [0.3, 1.0]])
    p = np.array([4.0, 0.5])
    # -log sigma(z) = log(1 + e^-z) and -log(1 - sigma(z)) = log(1 + e^z), by NumPy's logaddexp
    expected = p * Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)
    np.testing.assert_allclose(F.binary_cross_entropy_with_logits(Z, Y, pos_weight=p,
                                                                  reduction="none"),
                               expected, rtol=1e-12)
    # pos_weight 1 is the plain loss, by the other (fused) formula.
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(Z, Y, pos_weight=np.ones(2), reduction="none"),
        F.binary_cross_entropy_with_logits(Z, Y, reduction="none"), rtol=1e-13)
    huge = np.array([[1000.0, -1000.0]])
    ours = _value_and_grad(lambda z: F.binary_cross_entropy_with_logits(
        z, np.array([[0.0, 1.0]]), pos_weight=p), huge)
    theirs = _torch_value_and_grad(lambda z: torch.nn.functional.binary_cross_entropy_with_logits(
        z, torch.tensor([[0.0, 1.0]], dtype=torch.float64), pos_weight=torch.tensor(p)), huge)
    assert np.isfinite(ours[0].data) and math.isclose(float(ours[0].data), (1000 + 0.5 * 1000) / 2)
    _assert_close(ours[0], theirs[0])
    _assert_close(ours[1], theirs[1])


def test_bad_weights_and_options():
    Z, y, w = _problem()
    with pytest.raises(ValueError, match=r"weight must hold one weight per class, shape \(5,\)"):
        F.cross_entropy(Z, y, w[:4])
    with pytest.raises(ValueError, match=r"weight must hold one weight per class, shape \(5,\)"):
        nn.CrossEntropyLoss(np.ones(3))(Z, y)
    with pytest.raises(ValueError, match="weight must be 1-D"):
        nn.CrossEntropyLoss(np.ones((5, 1)))
    with pytest.raises(ValueError, match="weight must be non-negative; got the value -1.0"):
        nn.CrossEntropyLoss(np.array([1.0, -1.0, 1, 1, 1]))
    with pytest.raises(ValueError, match="weight contains 1 NaN"):
        F.cross_entropy(Z, y, np.array([1.0, np.nan, 1, 1, 1]))
    with pytest.raises(ValueError, match="weight is all zero"):
        nn.CrossEntropyLoss(np.zeros(5))
    with pytest.raises(TypeError, match="weight contains strings"):
        nn.CrossEntropyLoss(["a", "b"])
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
            nn.CrossEntropyLoss(label_smoothing=bad)
        with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
            F.cross_entropy(Z, y, label_smoothing=bad)
    with pytest.raises(TypeError, match="ignore_index must be an int"):
        nn.CrossEntropyLoss(ignore_index=1.5)
    y_bad = y.copy()
    y_bad[0] = -1
    with pytest.raises(ValueError, match=r"or equal ignore_index=-100\); got values from -1"):
        F.cross_entropy(Z, y_bad)
    with pytest.raises(ValueError, match=r"pos_weight has shape \(4,\), which does not broadcast"):
        nn.BCEWithLogitsLoss(pos_weight=np.ones(4))(Z, np.zeros_like(Z))
    with pytest.raises(ValueError, match=r"weight has shape \(2, 12, 5\)"):
        F.binary_cross_entropy_with_logits(Z, np.zeros_like(Z), np.ones((2, 12, 5)))
    with pytest.raises(ValueError, match="pos_weight must be non-negative"):
        nn.BCEWithLogitsLoss(pos_weight=-np.ones(5))


def test_repr_shows_the_options():
    assert repr(nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=0)) == (
        "CrossEntropyLoss(reduction='mean', ignore_index=0, label_smoothing=0.1)")
