"""A deep copy of an optimizer with its parameters is an independent optimizer in the same state.

The state is keyed by the parameters' identities; a copy must be keyed by the copies' (what
streaming ``partial_fit`` relies on to try a pass on a copy and keep the original if it fails).
"""

import copy

import numpy as np

from fromscratch.autodiff import Tensor
from fromscratch.optim import SGD, Adam


def test_a_deep_copy_continues_from_the_same_state_independently():
    w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    adam = Adam([w], lr=0.1)
    for _ in range(3):
        w.grad = np.array([0.5, -1.0])
        adam.step()
    w_copy, adam_copy = copy.deepcopy((w, adam))
    assert adam_copy.state[w_copy]["step"] == 3
    np.testing.assert_array_equal(adam_copy.state[w_copy]["exp_avg"], adam.state[w]["exp_avg"])
    for param, opt in ((w, adam), (w_copy, adam_copy)):
        param.grad = np.array([0.5, -1.0])
        opt.step()
    np.testing.assert_array_equal(w_copy.data, w.data)  # the same fourth step
    w_copy.grad = np.array([1.0, 1.0])
    adam_copy.step()
    assert adam.state[w]["step"] == 4 and adam_copy.state[w_copy]["step"] == 5


def test_copying_an_optimizer_with_momentum_keeps_its_buffer():
    w = Tensor(np.zeros(2), requires_grad=True)
    sgd = SGD([w], lr=1.0, momentum=0.9)
    w.grad = np.ones(2)
    sgd.step()
    w_copy, sgd_copy = copy.deepcopy((w, sgd))
    w_copy.grad = np.zeros(2)
    sgd_copy.step()  # the momentum alone moves it
    np.testing.assert_allclose(w_copy.data, [-1.9, -1.9])
