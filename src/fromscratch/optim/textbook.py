r"""The optimizer updates as the textbook writes them, and the optimizer that runs them.

Each update is a short pure function on whole arrays: arrays in (the parameters
:math:`\theta`, their gradient :math:`g` and the optimizer's state), new arrays out (the new
parameters and state). It never changes its arguments (:class:`FunctionalOptimizer` hands it
read-only views, so an update that tried would fail loudly)::

    theta, m, v, t = adam_update(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)

All the updates share one notation, stated here once. Each update's docstring gives its
equations, why they work, and only what is its own: its state and its particular
hyper-parameters. A subscript :math:`t-1` marks a value before the step, :math:`t` one after it.

=============  ===================================================================================
argument       meaning
=============  ===================================================================================
``theta``      :math:`\theta_{t-1}`, the parameters before the step: an array of any shape
``g``          :math:`g_t = \nabla f(\theta_{t-1})`, their gradient, shaped like ``theta``
``lr``         :math:`\gamma`, the learning rate
``eps``        :math:`\epsilon`, a small number that keeps a denominator away from 0 (whether it
               sits inside or outside a square root is part of each update's equations)
``t``          the step count: the number of steps taken so far, 0 before the first (a step
               count is state too: as in Kingma & Ba's Algorithm 1, the equations begin with
               :math:`t \leftarrow t + 1`)
state          the positional arguments after ``g``: the update's arrays (moments, buffers) at
               :math:`t-1`, shaped like ``theta``, and its numbers, such as ``t``
returned       the new state, ``(theta, *state)``: :math:`\theta_t` first, then the state in the
               order the update takes it (``t`` as :math:`t + 1`)
=============  ===================================================================================

The state starts as :data:`INITIAL_STATE` says (arrays at zero, the step count at 0).
:class:`FunctionalOptimizer` runs any such function as a ``torch.optim``-style optimizer.

These are the reference forms. The optimizer classes (:class:`~fromscratch.optim.Adam`...)
compute the same iterates, with PyTorch's options and in place, chunk by chunk, for speed
(:func:`fromscratch.optim.adam.adam_update`); the tests run both for hundreds of steps and
require the same numbers to rounding. Only the textbook hyper-parameters appear here, with
PyTorch's defaults: no weight decay (except AdamW's, which defines it), no dampening, no
``maximize``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from fromscratch._kernels import read_only
from fromscratch._validation import check_scalar
from fromscratch.autodiff import Tensor
from fromscratch.optim.optimizer import Optimizer

__all__ = [
    "gradient_descent_update",
    "momentum_update",
    "nesterov_update",
    "adagrad_update",
    "rmsprop_update",
    "adadelta_update",
    "adam_update",
    "adamax_update",
    "nadam_update",
    "adamw_update",
    "INITIAL_STATE",
    "initial_state",
    "FunctionalOptimizer",
]


def gradient_descent_update(theta: np.ndarray, g: np.ndarray, *,
                            lr: float = 1e-3) -> tuple[np.ndarray]:
    r"""One step of gradient descent: a step of length :math:`\gamma\|g_t\|` downhill.

    .. math:: \theta_t = \theta_{t-1} - \gamma\, g_t

    The gradient :math:`g_t = \nabla f(\theta_{t-1})` points uphill, in the direction of
    steepest ascent, so the step goes against it. For a small enough learning rate
    :math:`\gamma` each step lowers :math:`f`: :math:`f(\theta - \gamma g) = f(\theta) -
    \gamma\|g\|^2 + O(\gamma^2)`. Plain gradient descent keeps no state, so the tuple it
    returns holds :math:`\theta_t` alone (every update here returns the new parameters first,
    then its state).

    Parameters
    ----------
    theta, g, lr
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, :math:`\gamma`.

    Returns
    -------
    (theta,) : tuple of one ndarray
        :math:`\theta_t`.
    """
    return (theta - lr * g,)


def momentum_update(theta: np.ndarray, g: np.ndarray, b: np.ndarray, *, lr: float = 1e-3,
                    mu: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    r"""One step of gradient descent with momentum (Polyak's heavy ball, PyTorch's form).

    .. math::

        b_t &= \mu\, b_{t-1} + g_t \\
        \theta_t &= \theta_{t-1} - \gamma\, b_t

    The buffer :math:`b` sums past gradients with weights :math:`1, \mu, \mu^2, \dots`, so a
    direction the gradients keep pointing in builds up speed (up to :math:`1/(1-\mu)` times the
    plain step) while oscillating components cancel. It starts at :math:`b_0 = 0`.

    Parameters
    ----------
    theta, g, lr
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, :math:`\gamma`.
    b : ndarray
        The momentum buffer :math:`b_{t-1}`.
    mu : float
        The momentum :math:`\mu`.

    Returns
    -------
    theta, b : ndarray
        :math:`\theta_t` and :math:`b_t`.
    """
    b = mu * b + g
    theta = theta - lr * b
    return theta, b


def nesterov_update(theta: np.ndarray, g: np.ndarray, b: np.ndarray, *, lr: float = 1e-3,
                    mu: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    r"""One step of Nesterov's accelerated gradient (Sutskever et al. 2013, PyTorch's form).

    .. math::

        b_t &= \mu\, b_{t-1} + g_t \\
        \theta_t &= \theta_{t-1} - \gamma\,(g_t + \mu\, b_t)

    The textbook form evaluates the gradient at a look-ahead point:
    :math:`v_t = \mu v_{t-1} - \gamma\nabla f(\theta_{t-1} + \mu v_{t-1})`,
    :math:`\theta_t = \theta_{t-1} + v_t`. Store the look-ahead point
    :math:`\phi_t = \theta_t + \mu v_t` instead of :math:`\theta_t`, and write
    :math:`v_t = -\gamma b_t`: then the gradient is taken at the stored point,
    :math:`g_t = \nabla f(\phi_{t-1})`, and

    .. math::

        \phi_t = \phi_{t-1} - \mu v_{t-1} + (1+\mu) v_t
               = \phi_{t-1} - \gamma\bigl(\mu^2 b_{t-1} + (1+\mu) g_t\bigr)
               = \phi_{t-1} - \gamma\,(g_t + \mu\, b_t),

    the update above (``theta`` here is :math:`\phi`). Compared with :func:`momentum_update`,
    the step takes the new buffer one more momentum step ahead. :math:`b_0 = 0`.

    Parameters
    ----------
    theta, g : ndarray
        Here the look-ahead point :math:`\phi_{t-1}` and the gradient there, :math:`g_t`.
    b : ndarray
        The momentum buffer :math:`b_{t-1}`.
    lr
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\gamma`.
    mu : float
        The momentum :math:`\mu`.

    Returns
    -------
    theta, b : ndarray
        The new look-ahead point :math:`\phi_t` and buffer :math:`b_t`.
    """
    b = mu * b + g
    theta = theta - lr * (g + mu * b)
    return theta, b


def adagrad_update(theta: np.ndarray, g: np.ndarray, s: np.ndarray, *, lr: float = 1e-2,
                   eps: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    r"""One Adagrad step (Duchi, Hazan & Singer 2011).

    .. math::

        s_t &= s_{t-1} + g_t^2 \\
        \theta_t &= \theta_{t-1} - \gamma\,\frac{g_t}{\sqrt{s_t} + \epsilon}

    Each coordinate gets its own learning rate, :math:`\gamma/\sqrt{s_t}`: coordinates with a
    history of large gradients take small steps. The sum only grows, so the steps shrink for
    ever. :math:`s_0 = 0`; :math:`\epsilon` sits outside the square root.

    Parameters
    ----------
    theta, g, lr, eps
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, :math:`\gamma`, :math:`\epsilon`.
    s : ndarray
        The sum of squared gradients :math:`s_{t-1}`.

    Returns
    -------
    theta, s : ndarray
        :math:`\theta_t` and :math:`s_t`.
    """
    s = s + g**2
    theta = theta - lr * g / (np.sqrt(s) + eps)
    return theta, s


def rmsprop_update(theta: np.ndarray, g: np.ndarray, v: np.ndarray, *, lr: float = 1e-2,
                   alpha: float = 0.99, eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    r"""One RMSprop step (Hinton, lecture 6e of "Neural networks for machine learning").

    .. math::

        v_t &= \alpha\, v_{t-1} + (1-\alpha)\, g_t^2 \\
        \theta_t &= \theta_{t-1} - \gamma\,\frac{g_t}{\sqrt{v_t} + \epsilon}

    Adagrad with a moving average in place of the sum: the denominator tracks the recent size
    of the gradient (its root mean square) instead of growing for ever. :math:`v_0 = 0` and
    there is no bias correction, so early steps are large. :math:`\epsilon` is outside the
    square root, as in PyTorch (Keras puts it inside).

    Parameters
    ----------
    theta, g, lr, eps
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, :math:`\gamma`, :math:`\epsilon`.
    v : ndarray
        The average of squared gradients :math:`v_{t-1}`.
    alpha : float
        The decay rate :math:`\alpha` of the average.

    Returns
    -------
    theta, v : ndarray
        :math:`\theta_t` and :math:`v_t`.
    """
    v = alpha * v + (1 - alpha) * g**2
    theta = theta - lr * g / (np.sqrt(v) + eps)
    return theta, v


def adadelta_update(theta: np.ndarray, g: np.ndarray, v: np.ndarray, u: np.ndarray, *,
                    lr: float = 1.0, rho: float = 0.9,
                    eps: float = 1e-6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""One Adadelta step (Zeiler 2012).

    .. math::

        v_t &= \rho\, v_{t-1} + (1-\rho)\, g_t^2 \\
        \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\; g_t \\
        u_t &= \rho\, u_{t-1} + (1-\rho)\, \Delta_t^2 \\
        \theta_t &= \theta_{t-1} - \gamma\, \Delta_t

    RMSprop's denominator, and in the numerator the root mean square of the past *steps*
    :math:`u`: the ratio gives :math:`\Delta` the units of :math:`\theta` (Zeiler's argument),
    so the paper needs no learning rate (:math:`\gamma = 1`, PyTorch's default multiplier).
    :math:`\epsilon` is inside both square roots: with :math:`u_0 = 0` it is what makes the
    first steps non-zero. :math:`v_0 = u_0 = 0`.

    Parameters
    ----------
    theta, g, lr, eps
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, :math:`\gamma` (here a multiplier of the step), :math:`\epsilon`.
    v : ndarray
        The average of squared gradients :math:`v_{t-1}`.
    u : ndarray
        The average of squared steps :math:`u_{t-1}`.
    rho : float
        The decay rate :math:`\rho` of both averages.

    Returns
    -------
    theta, v, u : ndarray
        :math:`\theta_t`, :math:`v_t` and :math:`u_t`.
    """
    v = rho * v + (1 - rho) * g**2
    delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
    u = rho * u + (1 - rho) * delta**2
    theta = theta - lr * delta
    return theta, v, u


def adam_update(theta: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, *,
                lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    r"""One Adam step (Kingma & Ba 2015, Algorithm 1).

    .. math::

        t &\leftarrow t + 1 \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \hat m_t &= \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t} \\
        \theta_t &= \theta_{t-1} - \gamma\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}

    Momentum (the average :math:`m` of the gradients) divided by RMSprop's root mean square
    (the average :math:`v` of their squares). Both averages start at 0, which biases them
    towards 0 early on; dividing by :math:`1-\beta^t` removes that bias exactly for a constant
    gradient. The bias correction needs the step count :math:`t` (a known trap is to divide
    by :math:`1-\beta` instead). :math:`\epsilon` is added to :math:`\sqrt{\hat v_t}`, outside
    the square root. :math:`m_0 = v_0 = 0`.

    Parameters
    ----------
    theta, g, t, lr, eps
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, the step count, :math:`\gamma`, :math:`\epsilon`.
    m, v : ndarray
        The first and second moment estimates :math:`m_{t-1}`, :math:`v_{t-1}`.
    beta1, beta2 : float
        The decay rates :math:`\beta_1`, :math:`\beta_2` of the two averages.

    Returns
    -------
    theta, m, v : ndarray
        :math:`\theta_t`, :math:`m_t`, :math:`v_t`.
    t : int
        The new step count, :math:`t + 1`.
    """
    t = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta, m, v, t


def adamax_update(theta: np.ndarray, g: np.ndarray, m: np.ndarray, u: np.ndarray, t: int, *,
                  lr: float = 2e-3, beta1: float = 0.9, beta2: float = 0.999,
                  eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    r"""One Adamax step (Kingma & Ba 2015, section 7.1; PyTorch's form): Adam with the
    infinity norm.

    .. math::

        t &\leftarrow t + 1 \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t \\
        u_t &= \max\bigl(\beta_2\, u_{t-1},\ |g_t| + \epsilon\bigr) \\
        \theta_t &= \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\,\frac{m_t}{u_t}

    Adam's :math:`v_t` is an average of :math:`|g|^2`; let the exponent 2 grow to
    :math:`p \to \infty` and the average becomes a decaying maximum, :math:`u_t`. A maximum is
    not pulled towards its zero start, so :math:`u` needs no bias correction. The paper has
    :math:`\max(\beta_2 u_{t-1}, |g_t|)`; PyTorch adds :math:`\epsilon` inside the maximum so
    that :math:`u_t > 0` even where every gradient so far was 0. :math:`m_0 = u_0 = 0`.

    Parameters
    ----------
    theta, g, t, lr, eps
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, the step count, :math:`\gamma`, :math:`\epsilon`.
    m : ndarray
        The first moment estimate :math:`m_{t-1}`.
    u : ndarray
        The decaying maximum of :math:`|g|`, :math:`u_{t-1}`.
    beta1, beta2 : float
        The decay rates :math:`\beta_1`, :math:`\beta_2` of the average and of the maximum.

    Returns
    -------
    theta, m, u : ndarray
        :math:`\theta_t`, :math:`m_t`, :math:`u_t`.
    t : int
        :math:`t + 1`.
    """
    t = t + 1
    m = beta1 * m + (1 - beta1) * g
    u = np.maximum(beta2 * u, np.abs(g) + eps)
    theta = theta - lr / (1 - beta1**t) * m / u
    return theta, m, u, t


def nadam_update(theta: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
                 mu_product: float, *, lr: float = 2e-3, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8,
                 psi: float = 4e-3) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, float]:
    r"""One NAdam step (Dozat 2016, PyTorch's form): Adam with Nesterov momentum.

    .. math::

        t &\leftarrow t + 1 \\
        \mu_t &= \beta_1\bigl(1 - \tfrac12\, 0.96^{\,t\psi}\bigr), \qquad
        \mu_{t+1} = \beta_1\bigl(1 - \tfrac12\, 0.96^{\,(t+1)\psi}\bigr) \\
        \Pi_t &= \Pi_{t-1}\, \mu_t \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \hat v_t &= \frac{v_t}{1-\beta_2^t} \\
        \theta_t &= \theta_{t-1}
            - \gamma\,\frac{1-\mu_t}{1-\Pi_t}\,\frac{g_t}{\sqrt{\hat v_t} + \epsilon}
            - \gamma\,\frac{\mu_{t+1}}{1-\Pi_t\,\mu_{t+1}}\,\frac{m_t}{\sqrt{\hat v_t} + \epsilon}

    Nesterov's look-ahead (:func:`nesterov_update`: this step's gradient plus the *next*
    momentum step) applied to Adam's bias-corrected average: the gradient enters with weight
    :math:`1-\mu_t`, the average with the next step's momentum :math:`\mu_{t+1}`. The momentum
    is scheduled, warming up from :math:`\beta_1/2` towards :math:`\beta_1` (Dozat's 0.96 and
    :math:`\psi = 0.004`), and the bias corrections use the product :math:`\Pi_t` of the
    scheduled momenta in place of :math:`\beta_1^t`. The moving average itself uses the
    constant :math:`\beta_1`, as PyTorch does. :math:`m_0 = v_0 = 0`, :math:`\Pi_0 = 1`.

    Parameters
    ----------
    theta, g, t, lr, eps
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, the step count, :math:`\gamma`, :math:`\epsilon`.
    m, v : ndarray
        The moment estimates :math:`m_{t-1}`, :math:`v_{t-1}`.
    mu_product : float
        :math:`\Pi_{t-1} = \mu_1 \mu_2 \cdots \mu_{t-1}` (1 before the first step).
    beta1, beta2 : float
        The decay rates :math:`\beta_1`, :math:`\beta_2` of the two averages.
    psi : float
        The momentum decay :math:`\psi` of the schedule (PyTorch's ``momentum_decay``).

    Returns
    -------
    theta, m, v : ndarray
        :math:`\theta_t`, :math:`m_t`, :math:`v_t`.
    t : int
        :math:`t + 1`.
    mu_product : float
        :math:`\Pi_t`.
    """
    t = t + 1
    mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
    mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
    mu_product = mu_product * mu
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    denom = np.sqrt(v / (1 - beta2**t)) + eps
    theta = (
        theta
        - lr * (1 - mu) / (1 - mu_product) * g / denom
        - lr * mu_next / (1 - mu_product * mu_next) * m / denom
    )
    return theta, m, v, t, mu_product


def adamw_update(theta: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, *,
                 lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 1e-2) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    r"""One AdamW step (Loshchilov & Hutter 2019): Adam with decoupled weight decay.

    .. math::

        \theta' &= (1 - \gamma\lambda)\,\theta_{t-1} \\
        \theta_t, m_t, v_t &= \text{Adam}(\theta', g_t, m_{t-1}, v_{t-1})
            \quad\text{(}\textit{adam\_update}\text{; } g_t = \nabla f(\theta_{t-1})\text{)}

    that is, one step of :func:`adam_update` from the shrunk parameters, with the gradient
    taken before the shrinking.

    Adding :math:`\lambda\theta` to the gradient (L2 regularisation) does not decay the
    weights evenly under Adam: the penalty's gradient is divided by :math:`\sqrt{\hat v}` like
    any gradient, so weights with large gradients are barely regularised. AdamW shrinks the
    weights directly, by the factor :math:`1-\gamma\lambda`, and leaves the gradient alone.
    The state is Adam's: :math:`m_0 = v_0 = 0`.

    Parameters
    ----------
    theta, g, t, lr, eps
        As in the notation of :mod:`fromscratch.optim.textbook`: :math:`\theta_{t-1}`,
        :math:`g_t`, the step count, :math:`\gamma`, :math:`\epsilon`.
    m, v, beta1, beta2
        As in :func:`adam_update`: the moment estimates :math:`m_{t-1}`, :math:`v_{t-1}` and
        their decay rates.
    weight_decay : float
        :math:`\lambda`.

    Returns
    -------
    theta, m, v : ndarray
        :math:`\theta_t`, :math:`m_t`, :math:`v_t`.
    t : int
        :math:`t + 1`.
    """
    theta = (1 - lr * weight_decay) * theta
    return adam_update(theta, g, m, v, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def initial_state(*arrays: str, **scalars: Any) -> Callable[[np.ndarray], dict[str, Any]]:
    """The start of an update's state: ``arrays`` at zero (shaped like the parameter), then
    ``scalars`` as given, in the order the update takes them.

    >>> initial_state("m", "v", t=0)(np.ones(2))
    {'m': array([0., 0.]), 'v': array([0., 0.]), 't': 0}
    """

    def start(theta: np.ndarray) -> dict[str, Any]:
        return {**{name: np.zeros_like(theta) for name in arrays}, **scalars}

    return start


#: Each update's state at the start, by the update's name: moments and buffers at 0, step
#: counts at 0, NAdam's product of momenta at 1.
INITIAL_STATE: dict[str, Callable[[np.ndarray], dict[str, Any]]] = {
    "gradient_descent_update": initial_state(),
    "momentum_update": initial_state("b"),
    "nesterov_update": initial_state("b"),
    "adagrad_update": initial_state("s"),
    "rmsprop_update": initial_state("v"),
    "adadelta_update": initial_state("v", "u"),
    "adam_update": initial_state("m", "v", t=0),
    "adamax_update": initial_state("m", "u", t=0),
    "nadam_update": initial_state("m", "v", t=0, mu_product=1.0),
    "adamw_update": initial_state("m", "v", t=0),
}


class FunctionalOptimizer(Optimizer):
    r"""An optimizer that runs a pure update function: a textbook update, or your own.

    ``update(theta, g, *state, **hyper)`` must return ``(theta, *state)``: the new parameter
    and the new state, in the order ``initial_state`` gives it. Every :meth:`step` calls it
    once per parameter with a gradient and stores the results (the parameter's Tensor keeps
    its identity: its ``.data`` is overwritten, cast to its dtype). The arrays it receives are
    read-only views, so an update that changes its arguments in place fails loudly instead of
    corrupting the gradient or the state.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups with their own hyper-parameters.
    update : callable
        The update function, e.g. :func:`adam_update`.
    initial_state : callable
        ``initial_state(theta) -> dict``: the state a parameter starts with, by name, e.g.
        ``INITIAL_STATE["adam_update"]``. Names become the keys of ``optimizer.state[p]``.
    **hyper
        The update's keyword arguments (``lr=...``); each a real number. A learning-rate
        scheduler changes ``lr`` in ``param_groups`` as for any optimizer.

    Examples
    --------
    >>> from fromscratch.autodiff import Tensor
    >>> w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    >>> opt = FunctionalOptimizer([w], adam_update, INITIAL_STATE["adam_update"], lr=0.1,
    ...                           beta1=0.9, beta2=0.999, eps=1e-8)
    >>> w.grad = 2 * w.data
    >>> opt.step()
    >>> w.data
    array([ 0.9, -1.9])
    """

    #: The hyper-parameters are the update's keyword arguments (``**hyper``), each checked by
    #: :meth:`_check_hyper` as a real number; ``update`` and ``initial_state`` are not ones.
    _hyper_from_signature = False

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        update: Callable[..., Any],
        initial_state: Callable[[np.ndarray], dict[str, Any]],
        **hyper: Any,
    ) -> None:
        for name, value in (("update", update), ("initial_state", initial_state)):
            if not callable(value):
                raise TypeError(f"{name} must be a function, got {type(value).__name__}.")
        self.update = update
        self.initial_state = initial_state
        super().__init__(params, hyper)
        first = self.param_groups[0]["params"][0]
        self._check_call(self._init_state(first, self.param_groups[0]), self.param_groups[0])

    def _check_hyper(self, hyper: dict[str, Any], where: str) -> dict[str, Any]:
        return {
            name: value if name == "params" else check_scalar(value, f"{where}{name}")
            for name, value in hyper.items()
        }

    def _check_call(self, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Refuse, at construction, hyper-parameters and state the update does not take."""
        try:
            signature = inspect.signature(self.update)
        except (TypeError, ValueError):  # a builtin without a signature: find out when called
            return
        hyper = self._hyper(group)
        try:
            signature.bind("theta", "g", *state, **hyper)
        except TypeError as exc:
            call = ", ".join(["theta", "g", *state, *(f"{k}={v!r}" for k, v in hyper.items())])
            raise TypeError(
                f"update {getattr(self.update, '__name__', self.update)!r} cannot be called as "
                f"update({call}): {exc}."
            ) from None

    @staticmethod
    def _hyper(group: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in group.items() if k not in ("params", "initial_lr")}

    def _init_state(self, p: Tensor, group: dict[str, Any]) -> dict[str, Any]:
        state = self.initial_state(p.data)
        if not isinstance(state, dict):
            raise TypeError(
                f"initial_state must return a dict of the state's values by name, got "
                f"{type(state).__name__}."
            )
        return dict(state)

    def _update(
        self, p: Tensor, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        result = self.update(
            read_only(p.data), read_only(grad), *map(read_only, state.values()),
            **self._hyper(group),
        )
        names = ["theta", *state]
        if not isinstance(result, (tuple, list)) or len(result) != len(names):
            raise ValueError(
                f"the update must return {len(names)} values ({', '.join(names)}); it returned "
                f"{_describe(result)}."
            )
        for name, old, new in zip(names, [p.data, *state.values()], result, strict=True):
            if np.shape(new) != np.shape(old):
                raise ValueError(
                    f"the update returned {name} of shape {np.shape(new)}; it must keep the "
                    f"shape {np.shape(old)}."
                )
        p.data[...] = result[0]
        state.update(zip(state, result[1:], strict=True))


def _describe(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return f"{len(value)} values"
    return f"one {type(value).__name__}"
