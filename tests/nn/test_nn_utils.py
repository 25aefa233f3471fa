"""Gradient clipping against torch.nn.utils: the returned norm and the clipped gradients."""

import math
import warnings

import numpy as np
import pytest

from fromscratch import nn, optim
from fromscratch.autodiff import Tensor
from fromscratch.nn import utils

torch = pytest.importorskip("torch")

SHAPES = [(3, 4), (4,), (2, 2, 3), (1,)]


def _pair(scale=1.0, seed=0, dtype=np.float64):
    """The same parameters and gradients in both frameworks; the third has no gradient."""
    rng = np.random.default_rng(seed)
    grads = [(scale * rng.normal(size=s)).astype(dtype) for s in SHAPES]
    ours = [Tensor(np.zeros(s, dtype=dtype), requires_grad=True) for s in SHAPES]
    theirs = [torch.zeros(s, dtype=torch.float64 if dtype == np.float64 else torch.float32,
                          requires_grad=True) for s in SHAPES]
    for i, g in enumerate(grads):
        if i != 2:
            ours[i].grad = g.copy()
            theirs[i].grad = torch.tensor(g)
    return ours, theirs


def _assert_grads_equal(ours, theirs, rtol=1e-13):
    for p, q in zip(ours, theirs, strict=True):
        assert (p.grad is None) == (q.grad is None)
        if p.grad is not None:
            ref = q.grad.numpy()
            assert p.grad.dtype == ref.dtype
            np.testing.assert_allclose(p.grad, ref, rtol=rtol, atol=rtol * np.abs(ref).max())


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.5, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e3], ids=["clipped", "unchanged"])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _pair()
    total = utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    ref_total = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type).item()
    assert isinstance(total, float)
    assert total == pytest.approx(ref_total, rel=1e-14)
    _assert_grads_equal(ours, theirs)


def test_clipped_gradients_have_the_norm_max_norm():
    """Closed form: the direction is kept and the new norm is c * |g| / (|g| + 1e-6)."""
    ours, _ = _pair(seed=1)
    before = np.concatenate([p.grad.ravel() for p in ours if p.grad is not None])
    total = utils.clip_grad_norm_(iter(ours), max_norm=0.25)
    after = np.concatenate([p.grad.ravel() for p in ours if p.grad is not None])
    assert total == pytest.approx(np.sqrt(before @ before), rel=1e-14)
    np.testing.assert_allclose(after, before * 0.25 / (total + 1e-6), rtol=1e-14)
    assert np.sqrt(after @ after) == pytest.approx(0.25 * total / (total + 1e-6), rel=1e-14)


def test_clip_grad_norm_of_float32_and_a_single_tensor():
    ours, theirs = _pair(dtype=np.float32, seed=2)
    total = utils.clip_grad_norm_(ours[0], 0.1)
    ref_total = torch.nn.utils.clip_grad_norm_(theirs[0], 0.1).item()
    # ours sums in float64, PyTorch in float32: equal to float32 rounding
    assert total == pytest.approx(ref_total, rel=1e-6)
    _assert_grads_equal(ours, theirs, rtol=1e-6)


def test_huge_and_tiny_gradients_keep_their_norm():
    """The norm is taken on rescaled values: squares of 1e200 (or 1e-200) do not overflow (or
    vanish)."""
    for scale in (1e200, 1e-200):
        p = Tensor(np.zeros(2), requires_grad=True)
        p.grad = np.array([3.0, 4.0]) * scale
        assert utils.clip_grad_norm_([p], math.inf) == pytest.approx(5 * scale, rel=1e-15)
        assert utils.get_total_norm([p.grad], 3) == pytest.approx(91 ** (1 / 3) * scale,
                                                                    rel=1e-15)


def test_get_total_norm_and_clip_grads_with_norm_match_torch():
    ours, theirs = _pair(seed=3)
    grads = [p.grad for p in ours if p.grad is not None]
    total = utils.get_total_norm(grads, norm_type=1.5)
    ref_total = torch.nn.utils.get_total_norm([q.grad for q in theirs if q.grad is not None],
                                              norm_type=1.5)
    assert total == pytest.approx(ref_total.item(), rel=1e-14)
    utils.clip_grads_with_norm_(ours, 0.3, total)
    torch.nn.utils.clip_grads_with_norm_(theirs, 0.3, ref_total)
    _assert_grads_equal(ours, theirs)
    assert utils.get_total_norm([]) == 0.0 and utils.clip_grad_norm_([], 1.0) == 0.0


def test_non_finite_gradients_raise_or_warn():
    ours, theirs = _pair(seed=4)
    ours[1].grad[0] = np.nan
    theirs[1].grad[0] = math.nan
    with pytest.raises(ValueError, match="total norm of order 2.0 of the gradients is nan"):
        utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    with pytest.warns(RuntimeWarning, match="pass error_if_nonfinite=True"):
        total = utils.clip_grad_norm_(ours, 1.0)
    assert math.isnan(total)
    torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    for p, q in zip(ours, theirs, strict=True):  # NaN everywhere, as in PyTorch
        if p.grad is not None:
            np.testing.assert_array_equal(np.isnan(p.grad), q.grad.isnan().numpy())


@pytest.mark.parametrize("clip_value", [0.3, 10.0])
def test_clip_grad_value_matches_torch(clip_value):
    ours, theirs = _pair(seed=5)
    assert utils.clip_grad_value_(ours, clip_value) is None
    torch.nn.utils.clip_grad_value_(theirs, clip_value)
    _assert_grads_equal(ours, theirs, rtol=0)
    assert max(np.abs(p.grad).max() for p in ours if p.grad is not None) <= clip_value


def test_clipping_in_a_training_step():
    """Between backward() and step(): the optimizer takes the clipped step."""
    layer = nn.Linear(3, 2, random_state=0)
    opt = optim.SGD(layer.parameters(), lr=1.0)
    before = [p.data.copy() for p in layer.parameters()]
    loss = (layer(np.full((4, 3), 100.0)) ** 2).sum()
    loss.backward()
    assert utils.clip_grad_norm_(layer.parameters(), max_norm=1.0) > 1.0
    opt.step()
    step = np.concatenate([(b - p.data).ravel() for b, p in zip(before, layer.parameters(),
                                                                strict=True)])
    assert np.sqrt(step @ step) == pytest.approx(1.0, rel=1e-5)


def test_bad_input():
    ours, _ = _pair()
    with pytest.raises(ValueError, match=r"max_norm must be in \[0"):
        utils.clip_grad_norm_(ours, -1.0)
    for bad in (0, -2.0):
        with pytest.raises(ValueError, match=r"norm_type must be in \(0"):
            utils.clip_grad_norm_(ours, 1.0, norm_type=bad)
    with pytest.raises(ValueError, match="norm_type must be a number > 0 or 'inf'"):
        utils.clip_grad_norm_(ours, 1.0, norm_type="fro")
    with pytest.raises(TypeError, match="foreach must be None, True or False"):
        utils.clip_grad_norm_(ours, 1.0, foreach="yes")
    with pytest.raises(TypeError, match="parameters must be a Tensor or an iterable"):
        utils.clip_grad_norm_(np.ones(3), 1.0)
    with pytest.raises(TypeError, match=r"parameters\[1\] is a ndarray; expected a Tensor"):
        utils.clip_grad_value_([ours[0], np.ones(3)], 1.0)
    with pytest.raises(ValueError, match=r"clip_value must be in \[0"):
        utils.clip_grad_value_(ours, -0.5)
    with pytest.raises(ValueError, match="total_norm must be >= 0"):
        utils.clip_grads_with_norm_(ours, 1.0, -1.0)
    with pytest.raises(TypeError, match="total_norm must be a real number"):
        utils.clip_grads_with_norm_(ours, 1.0, "big")
    with pytest.warns(UserWarning, match="empty generator"):
        utils.clip_grad_norm_((p for p in []), 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        utils.clip_grad_norm_([], 1.0)  # an empty list is not a consumed generator
