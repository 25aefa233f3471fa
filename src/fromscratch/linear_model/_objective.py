r"""What a linear model tells its iterative solvers: the :class:`Objective`, and what they return.

Every linear model here minimizes an objective of the same shape,

.. math::

    F(w) = \underbrace{\frac1n \sum_{i=1}^n \ell(w; x_i, y_i) + \tfrac12 w^\top \Lambda_2 w}_{f(w),\
    \text{smooth}} \; + \; \sum_j \lambda_{1,j} |w_j| ,

the average of a per-sample loss plus penalties (see :mod:`._iterative` for the solvers).

**Sample weights.** A weighted fit minimizes the weighted mean :math:`\frac1n\sum_i s_i
\ell(w; x_i, y_i)` with weights scaled to mean 1 over the training set,
:math:`s_i = n\,\mathrm{sw}_i / \sum_j \mathrm{sw}_j` (so it equals
:math:`\sum_i \mathrm{sw}_i\ell_i / \sum_j \mathrm{sw}_j`). A solver given
``sample_weight`` passes the weights of the rows it works on as a fourth argument,
``loss(w, X, y, s)``; a mini-batch average :math:`\frac1{|B|}\sum_{i\in B} s_i\nabla\ell_i`
is then still an unbiased estimate of the full weighted gradient, as each unweighted one is of
the plain mean. Without weights the functions are called with three arguments.

This module holds the description (:class:`Objective`), the result (:class:`FitResult`) and the
small pieces every solver uses: the proximal operator of the L1 term and the optimality measure
the full-batch solvers stop on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fromscratch.optim.training import max_gradient

__all__ = ["Objective", "FitResult", "ArrayFunction", "autodiff_gradient", "soft_threshold",
           "optimality"]

#: ``(w, X, y) -> value`` or, with sample weights, ``(w, X, y, s) -> value``.
ArrayFunction = Callable[..., Any]


@dataclass(frozen=True)
class Objective:
    r"""What a model tells the solvers: :math:`F(w) = f(w) + \sum_j \lambda_{1,j}|w_j|`.

    Attributes
    ----------
    loss : callable ``(w, X, y[, s]) -> float``
        The smooth part :math:`f`: the loss **averaged** over the rows of ``X`` plus the smooth
        (L2) penalty. With sample weights ``s`` (mean 1 over the training set; module
        docstring) the mean is :math:`\frac1n\sum_i s_i\ell_i`; every function below takes
        them the same way when the solver is given ``sample_weight``.
    gradient : callable ``(w, X, y[, s]) -> ndarray``
        :math:`\nabla f`, the same shape as ``w``, averaged over the rows (the :math:`1/n`).
    hessian : callable ``(w, X, y[, s]) -> ndarray``, optional
        :math:`\nabla^2 f` as a ``(w.size, w.size)`` matrix (in the order of ``w.ravel()``);
        needed by :func:`newton`.
    l1 : ndarray, optional
        Per-coordinate L1 weights :math:`\lambda_1 \ge 0` (shape of ``w``; zero for an
        intercept). ``None`` means no L1 term.
    line : callable ``(w, d, X, y[, s]) -> phi``, optional
        The smooth part on the line through ``w`` along ``d``: ``phi(t)`` returns
        :math:`(f(w + td),\ d^\top\nabla f(w + td))`. For a loss that depends on :math:`w`
        through the scores :math:`Xw`, one product :math:`Xd` makes every ``phi(t)`` cheap
        (no pass over ``X``); :func:`newton`'s line search uses it when given.
    gradient_and_hessian : callable ``(w, X, y[, s]) -> (gradient, hessian)``, optional
        Both derivatives from one pass over ``X``, for the solver's steps: :func:`newton` asks
        for them together whenever it knows it will need a Hessian at the new point. The
        Hessian may be an approximation made for speed (e.g. accumulated in single
        precision): it only shapes the steps, while the gradient decides where they stop.
    """

    loss: ArrayFunction
    gradient: ArrayFunction
    hessian: ArrayFunction | None = None
    l1: np.ndarray | None = None
    line: Callable[..., Callable[[float], tuple[float, float]]] | None = None
    gradient_and_hessian: Callable[..., tuple[np.ndarray, np.ndarray]] | None = None

    def value(self, w: np.ndarray, *data: np.ndarray) -> float:
        """The full objective :math:`F(w)` on ``data`` = ``(X, y)`` or ``(X, y, s)``, L1 term
        included."""
        return float(self.loss(w, *data)) + self.l1_term(w)

    def l1_term(self, w: np.ndarray) -> float:
        return 0.0 if self.l1 is None else float(np.sum(self.l1 * np.abs(w)))


@dataclass
class FitResult:
    """What a solver returns.

    Attributes
    ----------
    coef : ndarray
        The solution (the best iterate under early stopping).
    n_iter : int
        Epochs (gradient solvers) or Newton iterations run.
    loss_curve : ndarray
        The objective :math:`F` on the training data after each epoch / iteration.
    validation_loss_curve : ndarray or None
        The objective on the validation split after each epoch (early stopping only).
    best_iteration : int
        The epoch / iteration (1-based) whose coefficients are returned; 0 if none ran.
    converged : bool
        Whether the stopping rule was met before ``max_iter``.
    """

    coef: np.ndarray
    n_iter: int
    loss_curve: np.ndarray
    validation_loss_curve: np.ndarray | None = None
    best_iteration: int = 0
    converged: bool = False
    history: dict[str, list[float]] = field(default_factory=dict)


def autodiff_gradient(loss: ArrayFunction) -> ArrayFunction:
    """The gradient of ``loss(w, X, y)`` with respect to ``w`` by reverse-mode automatic
    differentiation (:func:`fromscratch.autodiff.grad`), in the ``(w, X, y)`` form of
    :class:`Objective`. ``loss`` must be written with :mod:`fromscratch.autodiff.numpy`.

    The hand-derived gradients are the default (faster, and the formulas are the lesson); this
    is the check that they are right, and the way to train a loss nobody has differentiated.
    """
    from fromscratch.autodiff import grad

    d_loss = grad(loss, argnums=0)

    def gradient(w: np.ndarray, *data: np.ndarray) -> np.ndarray:
        return np.asarray(d_loss(w, *data), dtype=w.dtype)

    return gradient


def soft_threshold(v: np.ndarray, threshold: np.ndarray | float) -> np.ndarray:
    r"""The proximal operator of :math:`t\,|\cdot|`:
    :math:`S(v, t) = \mathrm{sign}(v)\max(|v|-t, 0)`."""
    return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0)


def optimality(w: np.ndarray, gradient: np.ndarray, l1: np.ndarray | None) -> float:
    r"""How far ``w`` is from a minimum of :math:`F`, the quantity the full-batch solvers stop
    on (:func:`fromscratch.optim.training.max_gradient`): :math:`\max_j |\partial f/\partial
    w_j|`, or with L1 weights the largest entry of the proximal-gradient residual
    :math:`w - S(w - \nabla f, \lambda_1)`, which is zero exactly at a minimum of :math:`F`
    (and equals :math:`\nabla f` where no coordinate is near its kink)."""
    return max_gradient(gradient if l1 is None else w - soft_threshold(w - gradient, l1))
