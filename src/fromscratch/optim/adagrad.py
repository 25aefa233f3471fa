"""Adagrad: per-coordinate learning rates from the sum of squared gradients
(``torch.optim.Adagrad``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from fromscratch.autodiff import Tensor
from fromscratch.optim.optimizer import Optimizer, apply_chunked

__all__ = ["Adagrad", "adagrad_update"]


def adagrad_update(
    param: np.ndarray,
    grad: np.ndarray,
    state_sum: np.ndarray,
    *,
    step: int,
    lr: float,
    lr_decay: float,
    weight_decay: float,
    eps: float,
    maximize: bool,
) -> None:
    r"""One Adagrad step (Duchi, Hazan & Singer 2011), in place on ``param`` and ``state_sum``.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\
        \tilde\gamma_t &= \frac{\gamma}{1 + (t-1)\,\eta} \\
        s_t &= s_{t-1} + g_t^2, \qquad s_0 = \text{initial\_accumulator\_value} \\
        \theta_t &= \theta_{t-1} - \tilde\gamma_t\,\frac{g_t}{\sqrt{s_t} + \epsilon}

    Coordinates with a history of large gradients take small steps. :math:`\eta` is PyTorch's
    ``lr_decay`` (not in the paper); :math:`\epsilon` sits outside the square root.
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g + weight_decay * param
    state_sum += g * g
    std = np.sqrt(state_sum)
    std += eps
    param -= lr / (1 + (step - 1) * lr_decay) * g / std


class Adagrad(Optimizer):
    r"""Adagrad; see :func:`adagrad_update`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    lr : float, default 1e-2
    lr_decay : float, default 0
        :math:`\eta`: the learning rate at step :math:`t` is :math:`\gamma/(1+(t-1)\eta)`.
    weight_decay : float, default 0
    initial_accumulator_value : float, default 0
        Starting value :math:`s_0 \ge 0` of the sum of squared gradients.
    eps : float, default 1e-10
    maximize : bool, default False
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, self._defaults_from(locals()))

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        return {"step": 0, "sum": np.full_like(p.data, group["initial_accumulator_value"])}

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        state["step"] += 1
        apply_chunked(
            adagrad_update,
            [p.data, grad, state["sum"]],
            step=state["step"],
            lr=group["lr"],
            lr_decay=group["lr_decay"],
            weight_decay=group["weight_decay"],
            eps=group["eps"],
            maximize=group["maximize"],
        )
