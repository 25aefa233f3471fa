"""Adadelta: steps whose units match the parameters' (``torch.optim.Adadelta``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from fromscratch.autodiff import Tensor
from fromscratch.optim.optimizer import Optimizer, apply_chunked

__all__ = ["Adadelta", "adadelta_update"]


def adadelta_update(
    param: np.ndarray,
    grad: np.ndarray,
    square_avg: np.ndarray,
    acc_delta: np.ndarray,
    *,
    lr: float,
    rho: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    r"""One Adadelta step (Zeiler 2012), in place on ``param`` and the two averages.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\
        v_t &= \rho v_{t-1} + (1-\rho) g_t^2 \\
        \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\
        u_t &= \rho u_{t-1} + (1-\rho) \Delta_t^2 \\
        \theta_t &= \theta_{t-1} - \gamma\,\Delta_t

    The ratio of RMS values gives the step the units of :math:`\theta` (Zeiler's argument), so
    the paper has no learning rate: :math:`\gamma = 1`, PyTorch's default. PyTorch adds
    :math:`\gamma` as a multiplier of the step; it is applied after :math:`u_t` is updated, so the
    accumulated :math:`\Delta^2` does not depend on it. :math:`\epsilon` is inside both roots.
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    square_avg *= rho
    square_avg += (1 - rho) * g * g
    std = np.sqrt(square_avg + eps)
    delta = np.sqrt(acc_delta + eps)
    delta /= std
    delta *= g
    acc_delta *= rho
    acc_delta += (1 - rho) * delta * delta
    param -= lr * delta


class Adadelta(Optimizer):
    r"""Adadelta; see :func:`adadelta_update`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    lr : float, default 1.0
        Multiplier :math:`\gamma` of the step (1 in the paper).
    rho : float, default 0.9
        Decay rate :math:`\rho \in [0, 1]` of both running averages.
    eps : float, default 1e-6
    weight_decay : float, default 0
    maximize : bool, default False
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, self._defaults_from(locals()))

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        return {
            "step": 0,
            "square_avg": np.zeros_like(p.data),
            "acc_delta": np.zeros_like(p.data),
        }

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        state["step"] += 1  # not used by the update; kept, as PyTorch does
        apply_chunked(
            adadelta_update,
            [p.data, grad, state["square_avg"], state["acc_delta"]],
            lr=group["lr"],
            rho=group["rho"],
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
        )
