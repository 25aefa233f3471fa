"""RMSprop: gradients divided by a running root-mean-square (``torch.optim.RMSprop``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from fromscratch.autodiff import Tensor
from fromscratch.optim.optimizer import Optimizer, apply_chunked

__all__ = ["RMSprop", "rmsprop_update"]


def rmsprop_update(
    param: np.ndarray,
    grad: np.ndarray,
    square_avg: np.ndarray,
    grad_avg: np.ndarray | None,
    momentum_buffer: np.ndarray | None,
    *,
    lr: float,
    alpha: float,
    eps: float,
    weight_decay: float,
    momentum: float,
    centered: bool,
    maximize: bool,
) -> None:
    r"""One RMSprop step (Hinton's lecture 6e; centered: Graves 2013), in place.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\
        v_t &= \alpha v_{t-1} + (1-\alpha) g_t^2 \\
        \bar g_t &= \alpha \bar g_{t-1} + (1-\alpha) g_t
            \quad\text{(centered only)} \\
        d_t &= \sqrt{v_t - \bar g_t^2} + \epsilon \ \text{(centered)}
            \quad\text{or}\quad d_t = \sqrt{v_t} + \epsilon \\
        b_t &= \mu b_{t-1} + g_t / d_t, \qquad \theta_t = \theta_{t-1} - \gamma b_t
            \quad\text{(with momentum } \mu > 0) \\
        \theta_t &= \theta_{t-1} - \gamma\, g_t / d_t \quad\text{(without)}

    :math:`\epsilon` is added **outside** the square root, as in PyTorch; TensorFlow/Keras add
    it inside (:math:`\sqrt{v_t + \epsilon}`), which matters when :math:`v_t` is tiny. The
    centered form divides by an estimate of the gradient's standard deviation instead of its
    root mean square. There is no bias correction: :math:`v_t` starts at 0, so early steps are
    large (by up to :math:`1/\sqrt{1-\alpha}`).
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    square_avg *= alpha
    square_avg += (1 - alpha) * g * g
    if centered:
        grad_avg += (1 - alpha) * (g - grad_avg)  # PyTorch's lerp form of the average
        denom = square_avg - grad_avg * grad_avg
        np.sqrt(denom, out=denom)
    else:
        denom = np.sqrt(square_avg)
    denom += eps
    if momentum > 0:
        assert momentum_buffer is not None  # the optimizer keeps one whenever momentum > 0
        momentum_buffer *= momentum
        momentum_buffer += g / denom
        param -= lr * momentum_buffer
    else:
        param -= lr * g / denom


class RMSprop(Optimizer):
    r"""RMSprop; see :func:`rmsprop_update`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    lr : float, default 1e-2
    alpha : float, default 0.99
        Decay rate :math:`\alpha \in [0, 1]` of the squared-gradient average.
    eps : float, default 1e-8
    weight_decay : float, default 0
    momentum : float, default 0
    centered : bool, default False
        Divide by the estimated standard deviation of the gradient.
    maximize : bool, default False
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, self._defaults_from(locals()))

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        state = {"step": 0, "square_avg": np.zeros_like(p.data)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(p.data)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(p.data)
        return state

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        state["step"] += 1  # not used by the update; kept, as PyTorch does, for schedules/logs
        apply_chunked(
            rmsprop_update,
            [
                p.data,
                grad,
                state["square_avg"],
                state.get("grad_avg"),
                state.get("momentum_buffer"),
            ],
            lr=group["lr"],
            alpha=group["alpha"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum=group["momentum"],
            centered=group["centered"],
            maximize=group["maximize"],
        )
