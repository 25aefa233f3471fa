"""The Adam family: Adam, AdamW, Adamax and NAdam (``torch.optim``'s equations and defaults).

All four keep exponential moving averages of the gradient (first moment :math:`m`) and of
its square or magnitude (second moment :math:`v`, or :math:`u` for Adamax), and correct the bias
those averages have towards their zero start with the time step :math:`t`: a known trap is to
forget :math:`t` and divide by :math:`1-\\beta` instead of :math:`1-\\beta^t`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from fromscratch.autodiff import Tensor
from fromscratch.optim.optimizer import Optimizer, apply_chunked

__all__ = [
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "adam_update",
    "adamax_update",
    "nadam_update",
]

Params = Iterable[Tensor] | Iterable[dict[str, Any]]


def _decayed_gradient(
    param: np.ndarray,
    grad: np.ndarray,
    *,
    lr: float,
    weight_decay: float,
    maximize: bool,
    decoupled_weight_decay: bool = False,
) -> np.ndarray:
    r"""The gradient the moments see, and decoupled decay applied to ``param`` (in place).

    L2 regularisation adds :math:`\lambda\theta` to the gradient, so the penalty is rescaled by
    the adaptive denominator like any gradient. Decoupled decay (AdamW, Loshchilov & Hutter 2019)
    shrinks the parameter directly, :math:`\theta \leftarrow \theta(1-\gamma\lambda)`, before the
    adaptive step, so every weight decays at the same rate.
    """
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled_weight_decay:
            param *= 1 - lr * weight_decay
        else:
            g = g + weight_decay * param
    return g


def _update_first_moment(exp_avg: np.ndarray, g: np.ndarray, beta1: float) -> None:
    r""":math:`m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t`, written as PyTorch's ``lerp``
    :math:`m_{t-1} + (1-\beta_1)(g_t - m_{t-1})` (the same number, rounded the same way)."""
    exp_avg += (1 - beta1) * (g - exp_avg)


def adam_update(
    param: np.ndarray,
    grad: np.ndarray,
    exp_avg: np.ndarray,
    exp_avg_sq: np.ndarray,
    max_exp_avg_sq: np.ndarray | None,
    *,
    step: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    amsgrad: bool,
    maximize: bool,
    decoupled_weight_decay: bool,
) -> None:
    r"""One Adam / AdamW step (Kingma & Ba 2015), in place on ``param`` and the moments.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\theta_{t-1}
            \quad\text{(Adam; AdamW instead sets } \theta_{t-1} \leftarrow
            (1-\gamma\lambda)\theta_{t-1}) \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t \\
        v_t &= \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\
        \hat v_t &= \max(\hat v_{t-1}, v_t) \ \text{(AMSGrad)} \quad\text{or}\quad
            \hat v_t = v_t \\
        \theta_t &= \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\,
            \frac{m_t}{\sqrt{\hat v_t}/\sqrt{1-\beta_2^t} + \epsilon}

    The bias corrections :math:`1-\beta^t` use the step count :math:`t` (starting at 1).
    :math:`\epsilon` is added **after** bias-correcting :math:`\sqrt{v_t}`, as in PyTorch and
    Algorithm 1 of the paper (:math:`\hat m_t / (\sqrt{\hat v_t} + \epsilon)`); the paper's
    "efficient" reordering (:math:`\alpha_t = \gamma\sqrt{1-\beta_2^t}/(1-\beta_1^t)` with
    :math:`\epsilon` added to the *uncorrected* :math:`\sqrt{v_t}`) is a slightly different
    method, visible early in training when :math:`1-\beta_2^t` is small. AMSGrad (Reddi et al.
    2018) keeps the running maximum of :math:`v_t` (PyTorch's variant: of the uncorrected
    :math:`v_t`, then bias-corrected).
    """
    g = _decayed_gradient(
        param,
        grad,
        lr=lr,
        weight_decay=weight_decay,
        maximize=maximize,
        decoupled_weight_decay=decoupled_weight_decay,
    )
    _update_first_moment(exp_avg, g, beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * g * g
    if amsgrad:
        assert max_exp_avg_sq is not None  # the optimizer keeps it whenever amsgrad is set
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        v_hat = max_exp_avg_sq
    else:
        v_hat = exp_avg_sq

    step_size = lr / (1 - beta1**step)
    denom = np.sqrt(v_hat)
    denom /= (1 - beta2**step) ** 0.5
    denom += eps
    param -= step_size * exp_avg / denom


def adamax_update(
    param: np.ndarray,
    grad: np.ndarray,
    exp_avg: np.ndarray,
    exp_inf: np.ndarray,
    *,
    step: int,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    maximize: bool,
) -> None:
    r"""One Adamax step (Kingma & Ba 2015, section 7.1), in place: Adam with the infinity norm.

    .. math::

        g_t &= \nabla f(\theta_{t-1}) + \lambda\theta_{t-1} \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t \\
        u_t &= \max(\beta_2 u_{t-1},\ |g_t| + \epsilon) \\
        \theta_t &= \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\,\frac{m_t}{u_t}

    The paper has :math:`u_t = \max(\beta_2 u_{t-1}, |g_t|)` and no :math:`\epsilon`; PyTorch
    puts :math:`\epsilon` inside the maximum so that :math:`u_t > 0` even where every gradient so
    far was zero (0/0 otherwise). :math:`u_t` needs no bias correction: a maximum is not pulled
    towards its zero start the way an average is.
    """
    g = _decayed_gradient(param, grad, lr=lr, weight_decay=weight_decay, maximize=maximize)
    _update_first_moment(exp_avg, g, beta1)
    exp_inf *= beta2
    np.maximum(exp_inf, np.abs(g) + eps, out=exp_inf)
    param -= lr / (1 - beta1**step) * exp_avg / exp_inf


def nadam_momentum(step: int, beta1: float, momentum_decay: float) -> float:
    r"""PyTorch's NAdam momentum schedule :math:`\mu_t = \beta_1(1 - \tfrac12 \cdot
    0.96^{t\psi})` (Dozat 2016), with momentum decay :math:`\psi` (default 0.004)."""
    return beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))


def nadam_update(
    param: np.ndarray,
    grad: np.ndarray,
    exp_avg: np.ndarray,
    exp_avg_sq: np.ndarray,
    *,
    step: int,
    mu_product: float,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    weight_decay: float,
    momentum_decay: float,
    maximize: bool,
    decoupled_weight_decay: bool,
) -> None:
    r"""One NAdam step (Dozat 2016, PyTorch's form), in place on ``param`` and the moments.

    ``mu_product`` is :math:`\prod_{i=1}^{t}\mu_i`, including this step's :math:`\mu_t`.

    .. math::

        \mu_t &= \beta_1\left(1 - \tfrac12\, 0.96^{t\psi}\right) \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\
        d_t &= \sqrt{v_t / (1-\beta_2^t)} + \epsilon \\
        \theta_t &= \theta_{t-1}
            - \gamma\,\frac{1-\mu_t}{1-\prod_{i\le t}\mu_i}\,\frac{g_t}{d_t}
            - \gamma\,\frac{\mu_{t+1}}{1-\prod_{i\le t+1}\mu_i}\,\frac{m_t}{d_t}

    Nesterov's look-ahead enters as the mix of this step's gradient and the *next* step's
    momentum :math:`\mu_{t+1}`. The momentum is scheduled: it warms up from
    :math:`\beta_1/2` towards :math:`\beta_1` (the 0.96 and the default :math:`\psi = 0.004`
    come from Dozat's report), and the bias corrections use the product of the scheduled
    momenta rather than :math:`1-\beta_1^t`. Note that the moving average itself uses the
    constant :math:`\beta_1`, as PyTorch does, not :math:`\mu_t`, and the denominator
    bias-corrects :math:`v_t` *inside* the square root (unlike :func:`adam_update`). With
    ``decoupled_weight_decay`` the decay shrinks :math:`\theta` directly (NAdamW).
    """
    g = _decayed_gradient(
        param,
        grad,
        lr=lr,
        weight_decay=weight_decay,
        maximize=maximize,
        decoupled_weight_decay=decoupled_weight_decay,
    )
    mu = nadam_momentum(step, beta1, momentum_decay)
    mu_next = nadam_momentum(step + 1, beta1, momentum_decay)
    mu_product_next = mu_product * mu_next

    _update_first_moment(exp_avg, g, beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * g * g
    denom = exp_avg_sq / (1 - beta2**step)
    np.sqrt(denom, out=denom)
    denom += eps
    param -= lr * (1 - mu) / (1 - mu_product) * g / denom
    param -= lr * mu_next / (1 - mu_product_next) * exp_avg / denom


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015), with optional AMSGrad and decoupled weight decay.

    See :func:`adam_update` for the equations.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups with their own hyper-parameters.
    lr : float, default 1e-3
        Learning rate :math:`\gamma`.
    betas : (float, float), default (0.9, 0.999)
        Decay rates :math:`\beta_1, \beta_2 \in [0, 1)` of the first and second moments.
    eps : float, default 1e-8
        :math:`\epsilon > 0`, added to the denominator.
    weight_decay : float, default 0
        :math:`\lambda`: L2 penalty added to the gradient (or decoupled, see below).
    amsgrad : bool, default False
        Use the running maximum of the second moment (Reddi et al. 2018).
    maximize : bool, default False
        Ascend the objective instead of descending.
    decoupled_weight_decay : bool, default False
        Shrink the parameters directly instead (this makes it :class:`AdamW`).
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        super().__init__(params, self._defaults_from(locals()))

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        state = {"step": 0, "exp_avg": np.zeros_like(p.data), "exp_avg_sq": np.zeros_like(p.data)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(p.data)
        return state

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        state["step"] += 1
        beta1, beta2 = group["betas"]
        apply_chunked(
            adam_update,
            [p.data, grad, state["exp_avg"], state["exp_avg_sq"], state.get("max_exp_avg_sq")],
            step=state["step"],
            lr=group["lr"],
            beta1=beta1,
            beta2=beta2,
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            amsgrad=group["amsgrad"],
            maximize=group["maximize"],
            decoupled_weight_decay=group["decoupled_weight_decay"],
        )


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter 2019); see :func:`adam_update`.

    Identical to ``Adam(..., decoupled_weight_decay=True)`` except for the default
    ``weight_decay=1e-2``: the decay shrinks the weights by :math:`(1-\gamma\lambda)` each step
    instead of entering the gradient, where Adam's denominator would rescale it.
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )


class Adamax(Optimizer):
    r"""Adamax: Adam with the infinity norm in place of the second moment; see
    :func:`adamax_update`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    lr : float, default 2e-3
    betas : (float, float), default (0.9, 0.999)
    eps : float, default 1e-8
    weight_decay : float, default 0
    maximize : bool, default False
    """

    def __init__(
        self,
        params: Params,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, self._defaults_from(locals()))

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        return {"step": 0, "exp_avg": np.zeros_like(p.data), "exp_inf": np.zeros_like(p.data)}

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        state["step"] += 1
        beta1, beta2 = group["betas"]
        apply_chunked(
            adamax_update,
            [p.data, grad, state["exp_avg"], state["exp_inf"]],
            step=state["step"],
            lr=group["lr"],
            beta1=beta1,
            beta2=beta2,
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            maximize=group["maximize"],
        )


class NAdam(Optimizer):
    r"""NAdam: Adam with Nesterov momentum and a momentum schedule; see :func:`nadam_update`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    lr : float, default 2e-3
    betas : (float, float), default (0.9, 0.999)
    eps : float, default 1e-8
    weight_decay : float, default 0
    momentum_decay : float, default 4e-3
        :math:`\psi` in the momentum schedule :math:`\mu_t = \beta_1(1 - \frac12 0.96^{t\psi})`.
    decoupled_weight_decay : bool, default False
        Decay the weights directly, as AdamW does (NAdamW).
    maximize : bool, default False
    """

    def __init__(
        self,
        params: Params,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, self._defaults_from(locals()))

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        return {
            "step": 0,
            "mu_product": 1.0,
            "exp_avg": np.zeros_like(p.data),
            "exp_avg_sq": np.zeros_like(p.data),
        }

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        state["step"] += 1
        beta1, beta2 = group["betas"]
        state["mu_product"] *= nadam_momentum(state["step"], beta1, group["momentum_decay"])
        apply_chunked(
            nadam_update,
            [p.data, grad, state["exp_avg"], state["exp_avg_sq"]],
            step=state["step"],
            mu_product=state["mu_product"],
            lr=group["lr"],
            beta1=beta1,
            beta2=beta2,
            eps=group["eps"],
            weight_decay=group["weight_decay"],
            momentum_decay=group["momentum_decay"],
            maximize=group["maximize"],
            decoupled_weight_decay=group["decoupled_weight_decay"],
        )
