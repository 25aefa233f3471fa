r"""The training tools every estimator shares, one of each.

Every iterative fit in fromscratch — the gradient and Newton solvers of the linear models, the
neural-network training loop and the MLP estimators, :func:`fromscratch.optim.minimize` — needs
the same few decisions. They are made here, once:

:func:`validation_split`
    Which rows to hold out for early stopping (scikit-learn's rounding, optionally stratified).
:class:`EarlyStopping`
    The patience rule on a monitored loss or score, with scikit-learn's two variants: its SGD
    estimators stop once the count of epochs without improvement *reaches*
    ``n_iter_no_change``, its MLPs once it *exceeds* it.
:func:`divergence`, :func:`divergence_error`, :func:`learning_rate_hint`
    When a loss counts as diverged, and the one message that says so (with the hint to lower
    the learning rate). Nothing returns NaN silently.
:func:`newton_direction`, :func:`backtracking_line_search`
    The damped Newton direction (Cholesky with Levenberg damping) and the Armijo backtracking
    line search, with one set of constants (:data:`ARMIJO`, :data:`SHRINK`,
    :data:`MAX_HALVINGS`, :data:`DAMPING_FLOOR`).
:func:`max_gradient`, :func:`not_converged_warning`, :func:`not_converged_message`
    The stopping rules. A *full-batch* method sees the exact gradient, so it stops on it:

    .. math:: \max_j \left|\frac{\partial F}{\partial w_j}\right| \le \mathrm{tol}

    (scikit-learn's rule for ``lbfgs`` and ``newton-cholesky``, on the objective averaged over
    the samples). A *stochastic* method sees only noisy gradients, so it stops when the loss
    stops improving (:class:`EarlyStopping`). Both warn with
    :class:`~fromscratch.exceptions.ConvergenceWarning` when ``max_iter`` runs out first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._validation import check_choice, check_random_state, check_scalar
from fromscratch.exceptions import ConvergenceWarning, DivergenceError, warn_at_caller
from fromscratch.linalg import LinAlgError, cho_solve, cholesky

__all__ = [
    "ARMIJO",
    "SHRINK",
    "MAX_HALVINGS",
    "DAMPING_FLOOR",
    "ROUNDING_NOISE",
    "BLOW_UP_FACTOR",
    "validation_split",
    "EarlyStopping",
    "divergence",
    "divergence_error",
    "learning_rate_hint",
    "newton_direction",
    "backtracking_line_search",
    "max_gradient",
    "not_converged_message",
    "not_converged_warning",
]

#: Sufficient-decrease constant of the Armijo condition (Nocedal & Wright's usual c = 1e-4).
ARMIJO = 1e-4
#: Factor by which the line search shortens a rejected step.
SHRINK = 0.5
#: Shortenings before the line search gives up (2**-60 ~ 1e-18: a step that small no longer
#: changes a float64 iterate, and the search stops earlier when the step vanishes).
MAX_HALVINGS = 60
#: Smallest Levenberg shift, relative to the largest entry of the Hessian: a semi-definite
#: Hessian whose Cholesky factorization fails on rounding alone needs only a tiny shift, which
#: leaves the Newton step almost unchanged. The shift grows tenfold from here.
DAMPING_FLOOR = 1e-10
#: A change in the objective within this many machine epsilons of its value is rounding noise:
#: there the line search may accept a step on a shrinking gradient instead (see ``flat``).
ROUNDING_NOISE = 64
#: A loss that rises by more than this factor times ``max(1, |start|)`` above its starting
#: value has diverged: no sensible descent climbs six orders of magnitude.
BLOW_UP_FACTOR = 1e6


# -- the validation split ---------------------------------------------------------------------


def validation_split(
    n_samples: int,
    validation_fraction: float,
    random_state: Any = None,
    stratify: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Indices ``(train, validation)``: a random ``validation_fraction`` of the rows held out.

    The validation share is rounded **up**, :math:`n_\mathrm{val} = \lceil f n \rceil`, as
    scikit-learn's ``train_test_split`` does for its test share: any positive fraction then
    holds out at least one row, so early stopping always has something to watch. With
    ``stratify`` (class labels) each class is split on its own, :math:`\lceil f n_c \rceil`
    of its :math:`n_c` rows held out, so the validation set has every class in the training
    proportions (scikit-learn's classifiers stratify their early-stopping split too).

    Both index arrays are sorted.

    Parameters
    ----------
    n_samples : int
    validation_fraction : float in (0, 1)
    random_state : None, int or numpy.random.Generator
        Which rows are held out (a Generator is advanced).
    stratify : ndarray of shape (n_samples,), optional
        Class labels.

    Raises
    ------
    ValueError
        ``validation_fraction`` outside (0, 1), or a split that would leave the training or
        the validation side — with ``stratify``, some class's training side — empty.
    """
    fraction = check_scalar(validation_fraction, "validation_fraction", min_val=0.0, max_val=1.0,
                            include_min=False, include_max=False)
    rng = check_random_state(random_state)
    labels, groups = [None], [np.arange(n_samples)]
    if stratify is not None:
        labels = np.unique(stratify).tolist()  # Python scalars: readable in messages
        groups = [np.flatnonzero(stratify == label) for label in labels]
    validation = []
    for label, members in zip(labels, groups, strict=True):
        n_val = math.ceil(fraction * members.size)
        if n_val >= members.size:
            which = "" if label is None else f" of class {label!r}"
            raise ValueError(
                f"validation_fraction={validation_fraction} holds out ceil({fraction:g} x "
                f"{members.size}) = {n_val} of the {members.size} samples{which}, leaving none "
                "to train on; use a smaller validation_fraction or more data."
            )
        validation.append(rng.permutation(members)[:n_val])
    val = np.sort(np.concatenate(validation))
    train = np.setdiff1d(np.arange(n_samples), val, assume_unique=True)
    return train, val


# -- early stopping: the patience rule ----------------------------------------------------------


class EarlyStopping:
    r"""Count epochs without sufficient improvement of a monitored value (scikit-learn's rule).

    After each epoch, :meth:`update` gets the monitored value :math:`v` (a loss in mode
    ``"min"``, a score in mode ``"max"``). The epoch *improves* when it beats the best value so
    far by more than ``min_delta`` (:math:`v < v_\mathrm{best} - \delta` in mode ``"min"``,
    :math:`v > v_\mathrm{best} + \delta` in mode ``"max"``); otherwise the count of bad
    epochs grows by one, and an improving epoch resets it to zero. Training should stop
    (:attr:`should_stop`) once the count

    * reaches ``patience`` (``rule="sgd"``: scikit-learn's ``SGDClassifier`` and
      ``SGDRegressor``, ``no_improvement_count >= n_iter_no_change``, and Keras), or
    * exceeds it (``rule="mlp"``: scikit-learn's ``MLPClassifier`` and ``MLPRegressor``,
      ``no_improvement_count > n_iter_no_change``).

    With patience :math:`k` and no improvement after epoch :math:`b`, the first rule stops
    after epoch :math:`b + k`, the second after :math:`b + k + 1`.

    One difference from scikit-learn, on ties: scikit-learn counts a value exactly
    :math:`\delta` better than the best as an improvement, here it is not. That matters only
    with ``min_delta=0``, where scikit-learn never stops on a loss that no longer changes at
    all; here such a run stops.

    ``best`` and ``best_epoch`` always track the best value seen (strictly better than
    the previous best, whatever ``min_delta``), for restoring the best epoch's parameters.

    Parameters
    ----------
    patience : int
        Bad epochs tolerated (scikit-learn's ``n_iter_no_change``).
    min_delta : float, default=0.0
        Smallest change that counts as an improvement (scikit-learn's ``tol``).
    mode : {"min", "max"}, default="min"
        Minimise a loss or maximise a score.
    rule : {"mlp", "sgd"}, default="mlp"
        Stop once the count of bad epochs exceeds (``"mlp"``) or reaches (``"sgd"``)
        ``patience``.

    Attributes
    ----------
    best : float
        The best value so far (``inf`` in mode ``"min"``, ``-inf`` in mode ``"max"`` before
        the first update).
    best_epoch : int
        The epoch (counted from 1) of ``best``; 0 before the first update.
    epochs : int
        Updates so far.
    bad_epochs : int
        Consecutive epochs without improvement.

    Examples
    --------
    >>> stopper = EarlyStopping(patience=2, rule="sgd")
    >>> for epoch, loss in enumerate([3.0, 2.0, 2.5, 2.1, 1.0], start=1):
    ...     _ = stopper.update(loss)
    ...     if stopper.should_stop:
    ...         break
    >>> epoch, stopper.best, stopper.best_epoch  # two bad epochs after the best: stop
    (4, 2.0, 2)
    """

    def __init__(self, patience: int, min_delta: float = 0.0, mode: str = "min",
                 rule: str = "mlp") -> None:
        self.patience = check_scalar(patience, "patience", kind=int, min_val=0)
        self.min_delta = check_scalar(min_delta, "min_delta", min_val=0.0)
        self.mode = check_choice(mode, "mode", ("min", "max"))
        self.rule = check_choice(rule, "rule", ("mlp", "sgd"))
        # Both modes compare sign * value, which is to be made small.
        self._sign = 1.0 if self.mode == "min" else -1.0
        self.best = self._sign * math.inf
        self.best_epoch = 0
        self.epochs = 0
        self.bad_epochs = 0

    def update(self, value: float) -> bool:
        """Record one epoch's value; return True when it is the best so far."""
        self.epochs += 1
        signed, best = self._sign * value, self._sign * self.best
        if signed < best - self.min_delta:
            self.bad_epochs = 0
        else:
            self.bad_epochs += 1
        if signed < best:
            self.best, self.best_epoch = value, self.epochs
            return True
        return False

    @property
    def should_stop(self) -> bool:
        """Whether the count of bad epochs has reached (``"sgd"``) or exceeded (``"mlp"``)
        the patience."""
        if self.rule == "sgd":
            return self.bad_epochs >= self.patience
        return self.bad_epochs > self.patience


# -- divergence ---------------------------------------------------------------------------------


def divergence(value: float, start: float) -> str | None:
    r"""Why the loss ``value`` means that a run which started at ``start`` diverged, or
    ``None`` if it does not.

    A loss diverged when it is NaN or infinite (``"became nan"``, ``"became inf"``) or rose
    by more than :data:`BLOW_UP_FACTOR` :math:`\cdot \max(1, |f_0|)` above its start
    (``"blew up"``).
    """
    if not math.isfinite(value):
        return f"became {value}"
    if value - start > BLOW_UP_FACTOR * max(1.0, abs(start)):
        return "blew up"
    return None


def learning_rate_hint(learning_rate: float, name: str = "lr", data: bool = True) -> str:
    """What to do about a run that diverged with step size ``learning_rate``; ``name`` is the
    parameter the user sets, and ``data`` adds the advice about the data (scaling, outliers)."""
    hint = (f"The learning rate {name}={learning_rate:g} is probably too large: try a smaller "
            f"{name} (e.g. {learning_rate / 10:g})")
    if data:
        hint += ", standardize the features (e.g. StandardScaler), or check the data for extreme "
        hint += "values"
    return hint + "."


def divergence_error(what: str, hint: str) -> DivergenceError:
    """The error a diverged run raises (or, in :func:`~fromscratch.optim.minimize`, the text it
    warns with): ``what`` happened, then the ``hint`` (see :func:`learning_rate_hint`)."""
    return DivergenceError(f"{what}: the optimization diverged. {hint}")


# -- Newton: the damped direction and the line search ------------------------------------------


def newton_direction(
    gradient: np.ndarray,
    hess: np.ndarray,
    damping: float = 0.0,
    null_space: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    r"""The damped Newton direction: solve :math:`(H + QQ^\top + \lambda I)\,d = -g` by Cholesky.

    :math:`\lambda` starts at ``damping`` and, while the factorization fails, grows tenfold
    from at least :data:`DAMPING_FLOOR` :math:`\cdot \max_{ij}|H_{ij}|` (Levenberg damping).
    The factorization succeeds exactly when the matrix is positive definite, and then the
    direction descends: :math:`g^\top d = -g^\top (H + \lambda I)^{-1} g < 0`; as
    :math:`\lambda` grows it bends towards the gradient direction and shortens. A shift
    larger than :math:`\max_i \sum_j |H_{ij}|` always succeeds (Gershgorin), so the search
    ends.

    :math:`H` is symmetrized first, :math:`\tfrac12(H + H^\top)`: Hessians from reverse-mode
    differentiation are symmetric only up to rounding.

    Parameters
    ----------
    gradient : ndarray of shape (p,)
    hess : ndarray of shape (p, p)
    damping : float, default 0
        The smallest shift :math:`\lambda` (> 0 regularises a nearly singular Hessian).
    null_space : ndarray of shape (p, r), optional
        An orthonormal basis :math:`Q` of directions along which the iterates never move,
        because the gradient is always orthogonal to them and :math:`H` maps them to
        themselves — e.g. softmax's invariance to adding the same vector to every class.
        :math:`H` may be singular there; :math:`H + QQ^\top` is not, and gives the same
        step.

    Returns
    -------
    d : ndarray of shape (p,)
        The direction.
    shift : float
        The :math:`\lambda` used (``damping`` when that was positive definite enough).
    """
    H = 0.5 * (hess + hess.T)
    if null_space is not None:
        H = H + null_space @ null_space.T
    scale = float(np.max(np.abs(H), initial=0.0)) or 1.0
    shift = float(damping)
    while True:
        try:
            L = cholesky(H if shift == 0 else H + shift * np.eye(H.shape[0], dtype=H.dtype))
        except LinAlgError:
            shift = max(10.0 * shift, DAMPING_FLOOR * scale)
            continue
        return cho_solve(L, -gradient), shift


def backtracking_line_search(
    f: Callable[[np.ndarray], Any],
    x: np.ndarray,
    direction: np.ndarray,
    fx: float,
    slope: float,
    t0: float = 1.0,
    *,
    along: Callable[[float], float] | None = None,
    flat: Callable[[np.ndarray], bool] | None = None,
) -> tuple[float, float]:
    r"""The first step :math:`t = t_0, t_0/2, t_0/4, \dots` with sufficient decrease (Armijo):

    .. math:: f(x + t d) \le f(x) + c\, t\, \Delta, \qquad c = 10^{-4}
        \ (:data:`ARMIJO`),

    where ``slope`` :math:`\Delta < 0` is the decrease the model predicts per unit step —
    :math:`g^\top d` for a smooth :math:`f` (Nocedal & Wright, Algorithm 3.1). A non-finite
    :math:`f(x + td)` counts as too long a step. The search gives up after
    :data:`MAX_HALVINGS` halvings, or as soon as :math:`t d` is too small to change
    :math:`x`.

    Near a minimum the decrease can be smaller than the rounding of :math:`f`, and the Armijo
    test becomes a coin toss. With ``flat``, a step whose change in :math:`f` is within
    :data:`ROUNDING_NOISE` machine epsilons of :math:`|f(x)|` is accepted when
    ``flat(x + t d)`` says so (e.g. when the gradient shrinks there).

    Parameters
    ----------
    f : callable ``point -> float``
    x, direction : ndarray
    fx : float
        :math:`f(x)`.
    slope : float
        :math:`\Delta < 0`.
    t0 : float, default 1
        The first step tried.
    along : callable ``t -> float``, optional
        :math:`f(x + td)` as a function of :math:`t`, when that is cheaper than ``f`` (e.g.
        with :math:`Xd` computed once); then ``f`` is not called.
    flat : callable ``point -> bool``, optional
        Accepts or rejects a step that changes :math:`f` only by rounding.

    Returns
    -------
    t : float
        The accepted step, or 0.0 when none was found.
    f_new : float
        :math:`f(x + td)` (``fx`` when ``t`` is 0).
    """
    noise = ROUNDING_NOISE * np.finfo(x.dtype).eps * abs(fx) if flat is not None else 0.0
    t = t0
    for _ in range(MAX_HALVINGS):
        x_new = x + t * direction
        if np.array_equal(x_new, x):  # the step is below the resolution of x: give up
            break
        f_new = float(f(x_new) if along is None else along(t))
        if np.isfinite(f_new) and f_new <= fx + ARMIJO * t * slope:
            return t, f_new
        if flat is not None and abs(f_new - fx) <= noise and flat(x_new):
            return t, f_new
        t *= SHRINK
    return 0.0, fx


# -- stopping rules -----------------------------------------------------------------------------


def max_gradient(gradient: np.ndarray) -> float:
    r"""The quantity a full-batch method stops on: :math:`\max_j |g_j| \le` ``tol``.

    ``gradient`` is :math:`\nabla F` of the objective averaged over the samples (scikit-learn's
    rule for ``lbfgs`` — SciPy's ``pgtol`` — and ``newton-cholesky``), or, for an objective
    with an L1 term, the proximal-gradient residual :math:`w - S(w - \nabla f, \lambda_1)`,
    which is zero exactly at a minimum.
    """
    return float(np.max(np.abs(gradient), initial=0.0))


def not_converged_message(method: str, budget: str, unmet: str, advice: str) -> str:
    """The one sentence for a run that used up its ``budget`` (e.g. ``"max_iter=100
    epochs"``) before its stopping rule was met (``unmet`` says how far it was)."""
    return f"{method} did not converge in {budget} ({unmet}); {advice}."


def not_converged_warning(method: str, budget: str, unmet: str, advice: str) -> None:
    """Warn with :class:`~fromscratch.exceptions.ConvergenceWarning` and
    :func:`not_converged_message`, at the user's line however deep the solver runs
    (:func:`~fromscratch.exceptions.warn_at_caller`)."""
    warn_at_caller(not_converged_message(method, budget, unmet, advice), ConvergenceWarning)
