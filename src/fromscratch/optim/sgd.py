"""Stochastic gradient descent, with momentum and Nesterov momentum (``torch.optim.SGD``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from fromscratch.autodiff import Tensor
from fromscratch.optim.optimizer import Optimizer, apply_chunked

__all__ = ["SGD", "sgd_update"]


def sgd_update(
    param: np.ndarray,
    grad: np.ndarray,
    momentum_buffer: np.ndarray | None,
    *,
    lr: float,
    momentum: float,
    dampening: float,
    weight_decay: float,
    nesterov: bool,
    maximize: bool,
    first_step: bool,
) -> None:
    r"""One SGD step, in place on ``param`` and ``momentum_buffer``.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\,\theta_{t-1}
            \qquad (-\nabla f \text{ when maximizing}) \\
        b_t &= \mu\, b_{t-1} + (1-\tau)\, g_t, \qquad b_1 = g_1 \\
        d_t &= g_t + \mu\, b_t \ \text{(Nesterov)} \quad\text{or}\quad d_t = b_t \\
        \theta_t &= \theta_{t-1} - \gamma\, d_t

    with learning rate :math:`\gamma`, momentum :math:`\mu`, dampening :math:`\tau` and weight
    decay :math:`\lambda`. Without momentum, :math:`d_t = g_t`.

    This is PyTorch's form, which differs from Sutskever et al. (2013) in two ways: the learning
    rate multiplies the buffer when it is applied rather than each gradient as it enters
    (:math:`v_t = \mu v_{t-1} + \gamma g_t`), which gives different steps when :math:`\gamma`
    changes during training; and the first buffer is the gradient itself (no dampening on step
    one). The Nesterov variant is the "look-ahead" rewritten in terms of the current gradient:
    :math:`\theta_t = \theta_{t-1} - \gamma (g_t + \mu b_t)`.
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    if momentum != 0:
        assert momentum_buffer is not None  # the optimizer keeps one whenever momentum != 0
        if first_step:
            momentum_buffer[...] = g
        else:
            momentum_buffer *= momentum
            # (1 - 0) * g is g: skipping that multiplication saves one pass of four.
            momentum_buffer += (1 - dampening) * g if dampening else g
        g = g + momentum * momentum_buffer if nesterov else momentum_buffer
    param -= lr * g


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional (Nesterov) momentum; see :func:`sgd_update`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups with their own hyper-parameters.
    lr : float, default 1e-3
        Learning rate :math:`\gamma` (PyTorch's default).
    momentum : float, default 0
        Momentum factor :math:`\mu \ge 0`.
    dampening : float, default 0
        Dampening :math:`\tau \in [0, 1]` of the gradient entering the buffer.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda`, added to the gradient.
    nesterov : bool, default False
        Nesterov momentum; needs ``momentum > 0`` and ``dampening == 0``.
    maximize : bool, default False
        Ascend the objective instead of descending.

    Examples
    --------
    >>> import numpy as np
    >>> from fromscratch.autodiff import Tensor
    >>> from fromscratch.optim import SGD
    >>> w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> w.grad = 2 * w.data          # gradient of |w|^2
    >>> opt.step()
    >>> w.data
    array([ 0.8, -1.6])
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, self._defaults_from(locals()))

    def _check_combination(self, hyper: dict[str, Any], where: str) -> None:
        if hyper.get("nesterov") and (hyper["momentum"] <= 0 or hyper["dampening"] != 0):
            raise ValueError(
                f"{where}nesterov=True requires momentum > 0 and dampening == 0 (Nesterov's "
                f"look-ahead is defined for undamped momentum); got momentum="
                f"{hyper['momentum']}, dampening={hyper['dampening']}."
            )

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        return {}  # the momentum buffer is created on the first step with momentum

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        first_step = False
        if group["momentum"] != 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = np.empty_like(p.data)
            first_step = True
        apply_chunked(
            sgd_update,
            [p.data, grad, state.get("momentum_buffer")],
            lr=group["lr"],
            momentum=group["momentum"],
            dampening=group["dampening"],
            weight_decay=group["weight_decay"],
            nesterov=group["nesterov"],
            maximize=group["maximize"],
            first_step=first_step,
        )
