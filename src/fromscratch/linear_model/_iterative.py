r"""Iterative training of linear models: one gradient loop and one Newton solver, shared.

Every linear model here minimizes an *objective* of the same shape,

.. math::

    F(w) = \underbrace{\frac1n \sum_{i=1}^n \ell(w; x_i, y_i) + \tfrac12 w^\top \Lambda_2 w}_{f(w),\
    \text{smooth}} \; + \; \sum_j \lambda_{1,j} |w_j| ,

the average of a per-sample loss (squared error, log-loss...) plus penalties; the intercept is a
coordinate of :math:`w` whose penalty weights are zero. A model describes :math:`F` with an
:class:`Objective`: three hand-derived functions of ``(w, X, y)`` — the smooth part ``loss``,
its ``gradient`` and (for Newton) its ``hessian``, each **averaged over the rows given** (the
:math:`1/n`: that way one learning rate suits any batch size) — and the L1 weights
:math:`\lambda_1`, which are handled by a proximal step because :math:`|w_j|` has no gradient
at 0.

Three solvers use that description:

:func:`gradient_descent`
    Full-batch gradient descent (``batch_size=None``), stochastic gradient descent
    (``batch_size=1``) and mini-batch SGD, driven by any :mod:`fromscratch.optim` optimizer
    (plain SGD, Nesterov momentum, Adam...): the coefficients are wrapped in a
    :class:`~fromscratch.autodiff.Tensor`, the hand-derived gradient is written to ``.grad`` and
    ``optimizer.step()`` updates them. It records the loss curve, stops on a stalled loss
    (``tol``/``n_iter_no_change``) or early (on a validation split, restoring the best
    coefficients), and refuses to return NaN: divergence raises :class:`DivergenceError`.
:func:`newton`
    Newton's method with a backtracking line search: solve :math:`H d = -g` by Cholesky
    (:mod:`fromscratch.linalg`), step, repeat. For logistic regression this *is* iteratively
    reweighted least squares (IRLS); for least squares the objective is quadratic, so one full
    step lands on the minimum. With L1 weights it becomes a *proximal* Newton method: each
    step minimizes the quadratic model plus the L1 term by coordinate descent (as glmnet does).
:func:`lbfgs`
    The quasi-Newton method L-BFGS (:class:`fromscratch.optim.LBFGS` with its strong-Wolfe line
    search): Newton-like steps from the last few gradient differences, no Hessian. Smooth
    objectives only (no L1 term).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fromscratch._validation import check_random_state, check_scalar
from fromscratch.exceptions import DivergenceError
from fromscratch.linalg import LinAlgError, cho_solve, cholesky
from fromscratch.linear_model._base import ConvergenceWarning, center_data, intercept_from
from fromscratch.optim.registry import optimizer_class

__all__ = [
    "Objective",
    "FitResult",
    "DivergenceError",
    "soft_threshold",
    "autodiff_gradient",
    "gradient_descent",
    "newton",
    "lbfgs",
    "validation_split",
    "check_solver_options",
    "least_squares_objective",
    "least_squares_solver",
]

ArrayFunction = Callable[[np.ndarray, np.ndarray, np.ndarray], Any]

#: A loss that grows beyond this factor times ``max(initial loss, 1)`` is treated as diverging.
BLOW_UP_FACTOR = 1e4
#: Armijo constant of the backtracking line search: accept a step that achieves this fraction
#: of the decrease predicted by the linear (or, with L1, the proximal) model.
ARMIJO = 1e-4
#: Halvings of the step before the line search gives up (2**-40 ~ 1e-12).
MAX_HALVINGS = 40
#: L-BFGS: curvature pairs kept (SciPy's and so scikit-learn's default ``maxcor``), and closure
#: evaluations per iteration (the point itself, then up to 24 for the line search: torch's
#: budget for its first iteration).
LBFGS_HISTORY, LBFGS_EVALUATIONS = 10, 25
#: A full Newton step is lengthened only when the secant along it puts the minimum at least
#: this far beyond it (the extra evaluation is then worth it), and at most to the second number.
EXTRAPOLATION_RANGE = (1.1, 4.0)


@dataclass(frozen=True)
class Objective:
    r"""What a model tells the solvers: :math:`F(w) = f(w) + \sum_j \lambda_{1,j}|w_j|`.

    Attributes
    ----------
    loss : callable ``(w, X, y) -> float``
        The smooth part :math:`f`: the loss **averaged** over the rows of ``X`` plus the smooth
        (L2) penalty.
    gradient : callable ``(w, X, y) -> ndarray``
        :math:`\nabla f`, the same shape as ``w``, averaged over the rows (the :math:`1/n`).
    hessian : callable ``(w, X, y) -> ndarray``, optional
        :math:`\nabla^2 f` as a ``(w.size, w.size)`` matrix (in the order of ``w.ravel()``);
        needed by :func:`newton`.
    l1 : ndarray, optional
        Per-coordinate L1 weights :math:`\lambda_1 \ge 0` (shape of ``w``; zero for an
        intercept). ``None`` means no L1 term.
    line : callable ``(w, d, X, y) -> phi``, optional
        The smooth part on the line through ``w`` along ``d``: ``phi(t)`` returns
        :math:`(f(w + td),\ d^\top\nabla f(w + td))`. For a loss that depends on :math:`w`
        through the scores :math:`Xw`, one product :math:`Xd` makes every ``phi(t)`` cheap
        (no pass over ``X``); :func:`newton`'s line search uses it when given.
    gradient_and_hessian : callable ``(w, X, y) -> (gradient, hessian)``, optional
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

    def value(self, w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """The full objective :math:`F(w)`, L1 term included."""
        return float(self.loss(w, X, y)) + self.l1_term(w)

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

    def gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.asarray(d_loss(w, X, y), dtype=w.dtype)

    return gradient


def soft_threshold(v: np.ndarray, threshold: np.ndarray | float) -> np.ndarray:
    r"""The proximal operator of :math:`t\,|\cdot|`:
    :math:`S(v, t) = \mathrm{sign}(v)\max(|v|-t, 0)`."""
    return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0)


# -- optimizers ----------------------------------------------------------------------------


def _make_optimizer(
    optimizer: Any, optimizer_params: dict[str, Any] | None, learning_rate: float, param: Any
) -> Any:
    cls = optimizer_class(optimizer, gradient_only=True)
    params = dict(optimizer_params or {})
    if not isinstance(optimizer_params, (dict, type(None))):
        raise TypeError(
            f"optimizer_params must be a dict of the optimizer's hyper-parameters, e.g. "
            f"{{'momentum': 0.9, 'nesterov': True}}; got {type(optimizer_params).__name__}."
        )
    if "lr" in params:
        raise ValueError(
            "optimizer_params must not contain 'lr': the step size is the estimator's "
            "learning_rate parameter."
        )
    try:
        return cls([param], lr=learning_rate, **params)
    except TypeError as exc:
        raise TypeError(f"optimizer_params {params} do not fit {cls.__name__}: {exc}") from exc


def _is_plain_sgd(opt: Any) -> bool:
    """Whether ``opt`` takes the step ``w - lr * g`` (what the proximal L1 step assumes)."""
    from fromscratch.optim import SGD

    group = opt.param_groups[0]
    return type(opt) is SGD and group["momentum"] == 0 and group["weight_decay"] == 0


# -- data splits ---------------------------------------------------------------------------


def validation_split(
    n_samples: int,
    validation_fraction: float,
    rng: np.random.Generator,
    stratify: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, validation)``: a random ``validation_fraction`` of the rows held out.

    With ``stratify`` (class labels), each class is split in the same proportion, so the
    validation set has every class (scikit-learn's ``SGDClassifier`` does the same).
    """
    groups = [np.arange(n_samples)] if stratify is None else [
        np.flatnonzero(stratify == label) for label in np.unique(stratify)
    ]
    validation = []
    for members in groups:
        n_val = int(math.ceil(validation_fraction * members.size))
        validation.append(rng.permutation(members)[:n_val])
    val = np.sort(np.concatenate(validation))
    train = np.setdiff1d(np.arange(n_samples), val, assume_unique=True)
    if val.size == 0 or train.size == 0:
        raise ValueError(
            f"validation_fraction={validation_fraction} leaves {train.size} training and "
            f"{val.size} validation samples out of {n_samples}; both need at least one."
        )
    return train, val


# -- the gradient loop ---------------------------------------------------------------------


def _diverged(message: str, learning_rate: float) -> DivergenceError:
    return DivergenceError(
        f"{message}: gradient descent diverged. The learning rate {learning_rate:g} is too "
        f"large for this problem; try a smaller learning_rate (e.g. {learning_rate / 10:g}) "
        "or standardize the features."
    )


def gradient_descent(
    objective: Objective,
    w0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int | None = None,
    optimizer: Any = "sgd",
    optimizer_params: dict[str, Any] | None = None,
    learning_rate: float = 0.01,
    max_iter: int = 100,
    tol: float | None = 1e-4,
    n_iter_no_change: int = 5,
    early_stopping: bool = False,
    validation_fraction: float = 0.1,
    stratify: np.ndarray | None = None,
    random_state: Any = None,
    verbose: bool = False,
    callback: Callable[[np.ndarray], bool] | None = None,
) -> FitResult:
    r"""Minimize ``objective`` by (stochastic, mini-batch) gradient descent with an optimizer.

    One *epoch* shuffles the rows (unless full batch) and visits them in batches
    :math:`B`; each batch sets the gradient :math:`\nabla f_B(w)` (the batch average) and the
    optimizer updates :math:`w` — for plain SGD :math:`w \leftarrow w - \eta \nabla f_B(w)`.
    An L1 term is applied after the step by its proximal operator,
    :math:`w \leftarrow S(w, \eta\lambda_1)` (proximal gradient descent, ISTA); this is only
    correct for plain SGD steps, so other optimizers are refused when ``objective.l1`` is set.

    Stopping (scikit-learn's ``SGDClassifier`` rule): after every epoch the objective on the
    whole training set is computed; training stops when it has not improved on the best value
    by at least ``tol`` for ``n_iter_no_change`` epochs. With ``early_stopping`` the
    objective on a held-out ``validation_fraction`` of the training data is watched instead,
    and the coefficients of the best validation epoch are returned.

    Parameters
    ----------
    objective : Objective
    w0 : ndarray
        Starting coefficients (not modified).
    X, y : ndarray
        Training data.
    batch_size : int or None
        ``None``: full batch ("gd"); ``1``: "sgd"; otherwise "minibatch". Clipped to the
        number of training samples.
    optimizer : str or fromscratch.optim.Optimizer subclass, default "sgd"
    optimizer_params : dict, optional
        The optimizer's other hyper-parameters, e.g. ``{"momentum": 0.9, "nesterov": True}``.
    learning_rate : float
        The optimizer's ``lr``.
    max_iter : int
        Maximum number of epochs.
    tol : float or None
        Minimum improvement; ``None`` runs all ``max_iter`` epochs (early stopping still
        applies).
    n_iter_no_change : int
        Patience, in epochs.
    early_stopping : bool
    validation_fraction : float
    stratify : ndarray, optional
        Class labels for a stratified validation split.
    random_state : None, int or Generator
        Shuffling and the validation split.
    verbose : bool
        Show a tqdm progress bar with the current loss.
    callback : callable ``w -> bool``, optional
        Called after every epoch; returning ``True`` stops training (e.g. a model that detects
        that its optimum does not exist).

    Returns
    -------
    FitResult

    Raises
    ------
    DivergenceError
        The loss became infinite/NaN or grew past ``BLOW_UP_FACTOR`` times its start, or
        training ended with the loss more than doubled from its start and from its best (a
        learning rate slightly too large makes the loss climb slowly; that is divergence too,
        never "convergence").

    Warns
    -----
    UserWarning
        ``batch_size`` larger than the number of training samples: it is clipped to that number
        (as scikit-learn's MLP does), which makes the run full-batch gradient descent.
    """
    from fromscratch.autodiff import Tensor

    if batch_size is not None and batch_size > X.shape[0]:
        warnings.warn(
            f"batch_size={batch_size} is larger than the number of training samples "
            f"({X.shape[0]}); it is clipped to {X.shape[0]} (full-batch gradient descent).",
            UserWarning,
            stacklevel=2,
        )
    rng = check_random_state(random_state)
    if early_stopping:
        train, val = validation_split(X.shape[0], validation_fraction, rng, stratify)
        X, y, X_val, y_val = X[train], y[train], X[val], y[val]
    n = X.shape[0]
    batch = n if batch_size is None else min(int(batch_size), n)

    w = Tensor(np.array(w0, dtype=X.dtype, copy=True), requires_grad=True)
    opt = _make_optimizer(optimizer, optimizer_params, learning_rate, w)
    if objective.l1 is not None and np.any(objective.l1 > 0) and not _is_plain_sgd(opt):
        raise ValueError(
            "An L1 penalty is applied by a proximal (soft-thresholding) step, which is exact "
            "only for plain SGD steps; use optimizer='sgd' without momentum or weight_decay "
            f"(got {type(opt).__name__} with {optimizer_params or {}}), or the 'newton' solver."
        )
    l1_step = None if objective.l1 is None else learning_rate * objective.l1

    start_loss = objective.value(w.data, X, y)
    ceiling = BLOW_UP_FACTOR * max(start_loss, 1.0)
    losses: list[float] = []
    val_losses: list[float] = []
    best_score, best_epoch, best_w, stall = math.inf, 0, w.data.copy(), 0
    converged = False

    epochs = range(1, max_iter + 1)
    if verbose:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc="epochs", unit="epoch")
    for epoch in epochs:
        if batch < n:  # a full batch needs no shuffle: every epoch sees the same gradient
            order = rng.permutation(n)
            X_epoch, y_epoch = X[order], y[order]
        else:
            X_epoch, y_epoch = X, y
        # A diverging run overflows; that is detected below and reported with a hint, so
        # NumPy's own overflow warnings would only be noise.
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, n, batch):
                X_b, y_b = X_epoch[start : start + batch], y_epoch[start : start + batch]
                w.grad = objective.gradient(w.data, X_b, y_b)
                opt.step()
                if l1_step is not None:
                    w.data[...] = soft_threshold(w.data, l1_step)
                if not np.isfinite(w.data).all():
                    raise _diverged(f"epoch {epoch}: the coefficients became infinite or NaN",
                                    learning_rate)
            loss = objective.value(w.data, X, y)
        if not math.isfinite(loss) or loss > ceiling:
            raise _diverged(
                f"epoch {epoch}: the loss grew from {start_loss:.4g} to {loss:.4g}", learning_rate
            )
        losses.append(loss)
        score = loss
        if early_stopping:
            score = objective.value(w.data, X_val, y_val)
            val_losses.append(score)
        if verbose:
            epochs.set_postfix(loss=f"{loss:.6g}")

        if score < best_score - (tol or 0.0):
            stall = 0
        else:
            stall += 1
        if score < best_score:
            best_score, best_epoch, best_w = score, epoch, w.data.copy()
        if callback is not None and callback(w.data):
            break
        if (tol is not None or early_stopping) and stall >= n_iter_no_change:
            converged = True
            break

    if verbose:
        epochs.close()
    if losses and losses[-1] > 2 * max(start_loss, min(losses)):
        # The stall rule also fires on a loss that keeps rising: a run that ends with its loss
        # more than doubled from both its start and its best diverged. (Stochastic runs hover
        # a little above their best; that is noise, not divergence.)
        raise _diverged(
            f"after {len(losses)} epochs the loss rose from {start_loss:.4g} to "
            f"{losses[-1]:.4g}", learning_rate
        )
    if early_stopping:
        coef, best_iteration = best_w, best_epoch
    else:
        coef, best_iteration = w.data.copy(), len(losses)
    return FitResult(
        coef=coef,
        n_iter=len(losses),
        loss_curve=np.asarray(losses),
        validation_loss_curve=np.asarray(val_losses) if early_stopping else None,
        best_iteration=best_iteration,
        converged=converged,
    )


# -- Newton --------------------------------------------------------------------------------


def _solve_newton_system(H: np.ndarray, g: np.ndarray, null_space: np.ndarray | None) -> np.ndarray:
    r"""Solve :math:`(H + QQ^\top) d = -g` by Cholesky, damping :math:`H` if it is not positive
    definite.

    :math:`Q` is an orthonormal basis of directions along which the iterates never move (see
    :func:`newton`). Damping (Levenberg–Marquardt) adds :math:`\mu I`, with :math:`\mu` growing
    tenfold from :math:`10^{-10}\max_j H_{jj}` until the factorization succeeds; the result is
    still a descent direction, only shorter.
    """
    A = H if null_space is None else H + null_space @ null_space.T
    scale = max(float(np.max(np.abs(np.diagonal(A)))), np.finfo(A.dtype).tiny)
    mu = 0.0
    while True:
        try:
            L = cholesky(A if mu == 0 else A + mu * np.eye(A.shape[0], dtype=A.dtype))
            return cho_solve(L, -g)
        except LinAlgError:
            mu = 1e-10 * scale if mu == 0 else 10 * mu
            if mu > 1e10 * scale:
                raise


def _quadratic_l1_step(
    H: np.ndarray, g: np.ndarray, w: np.ndarray, l1: np.ndarray, tol: float, max_passes: int = 200
) -> np.ndarray:
    r"""The proximal Newton direction: minimize the quadratic model plus the L1 term,

    .. math:: d = \arg\min_d\; g^\top d + \tfrac12 d^\top H d + \sum_j \lambda_{1,j}|w_j + d_j|,

    by cyclic coordinate descent. With :math:`c_j = g_j + (Hd)_j - H_{jj}d_j` the coordinate's
    linear coefficient, the new :math:`w_j + d_j` is :math:`S(w_j - c_j/H_{jj},\,
    \lambda_{1,j}/H_{jj})`; :math:`Hd` is kept up to date column by column. Passes stop when no
    coordinate moves by more than ``tol``.
    """
    d = np.zeros_like(w)
    Hd = np.zeros_like(w)
    diag = np.diagonal(H)
    for _ in range(max_passes):
        largest = 0.0
        for j in range(w.size):
            if diag[j] <= 0:
                continue
            c = g[j] + Hd[j] - diag[j] * d[j]
            z = w[j] - c / diag[j]
            new = math.copysign(max(abs(z) - l1[j] / diag[j], 0.0), z) - w[j]
            change = new - d[j]
            if change != 0.0:
                Hd += H[:, j] * change
                d[j] = new
                largest = max(largest, abs(change))
        if largest <= tol:
            break
    return d


def newton(
    objective: Objective,
    w0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    tol: float = 1e-4,
    max_iter: int = 100,
    null_space: np.ndarray | None = None,
    verbose: bool = False,
    callback: Callable[[np.ndarray], bool] | None = None,
) -> FitResult:
    r"""Minimize ``objective`` by Newton's method with a backtracking line search.

    Each iteration builds the quadratic model of the smooth part around :math:`w`,

    .. math:: f(w + d) \approx f(w) + g^\top d + \tfrac12 d^\top H d,
        \qquad g = \nabla f(w),\; H = \nabla^2 f(w),

    and moves to its minimum, :math:`d = -H^{-1} g` (a Cholesky solve), scaled by the first
    :math:`t \in \{1, \tfrac12, \tfrac14, \dots\}` with
    :math:`F(w + td) \le F(w) + 10^{-4}\, t\, \Delta` (Armijo), :math:`\Delta = g^\top d`.
    Near the minimum :math:`t = 1` is accepted and convergence is quadratic. Far from it the
    quadratic model can overestimate the curvature, and the full step falls short: when the
    slope along :math:`d` is still negative at :math:`t = 1`, the step is lengthened to the
    secant estimate :math:`t = \Delta / (\Delta - \nabla f(w + d)^\top d)` of the minimum
    along :math:`d` if that lowers :math:`F` further (one more evaluation, which on logistic
    regression saves a whole iteration). When the objective gives its restriction to the line
    (``Objective.line``), the trial points cost no pass over ``X``. For the logistic
    log-likelihood this is IRLS: :math:`H = X^\top S X/n` with :math:`S = \mathrm{diag}(p_i(1-p_i))`
    is a weighted least-squares system. For least squares :math:`f` *is* its quadratic model,
    so the first step is exact.

    With L1 weights, :math:`d` minimizes the quadratic model plus
    :math:`\sum_j\lambda_{1,j}|w_j+d_j|` (coordinate descent, :func:`_quadratic_l1_step`) and
    :math:`\Delta = g^\top d + \sum_j\lambda_{1,j}(|w_j+d_j| - |w_j|)` — the proximal Newton
    method of Lee, Sun & Saunders (2014).

    When the objective gives ``gradient_and_hessian``, the steps use its Hessian, and at a
    point where the run cannot stop (no full step with a small decrement has just been taken)
    the gradient comes with it, from the same pass over ``X``.

    Converged when the largest component of the (proximal) gradient is at most ``tol`` and
    half the squared Newton decrement, :math:`\tfrac12 d^\top H d`, is too (scikit-learn's
    ``newton-cholesky`` rule; Boyd & Vandenberghe §9.5.1). After a full step the decrement of
    that step is used, so the last iteration needs no new Hessian.

    Parameters
    ----------
    objective : Objective
        Needs ``hessian``.
    w0 : ndarray
        Starting coefficients.
    X, y : ndarray
    tol : float
    max_iter : int
    null_space : ndarray of shape (w.size, r), optional
        Orthonormal basis :math:`Q` of directions the iterates never move along, because the
        gradient is always orthogonal to them and :math:`H` maps them to themselves — e.g.
        softmax's invariance to adding the same vector to every class. :math:`H` may be
        singular there; :math:`H + QQ^\top` is not, and gives the same step.
    verbose : bool
        Print one line per iteration.
    callback : callable ``w -> bool``, optional
        Called after every iteration; ``True`` stops.

    Returns
    -------
    FitResult
    """
    if objective.hessian is None:
        raise ValueError("the Newton solver needs the objective's hessian.")
    shape = np.shape(w0)
    w = np.array(w0, dtype=X.dtype, copy=True).ravel()
    l1 = None if objective.l1 is None else np.broadcast_to(objective.l1, shape).ravel()
    line = objective.line if l1 is None else None

    def F(v: np.ndarray) -> float:
        return objective.value(v.reshape(shape), X, y)

    def penalty(v: np.ndarray) -> float:
        return 0.0 if l1 is None else float(np.sum(l1 * np.abs(v)))

    def gradient_and_optimality(
        v: np.ndarray, with_hessian: bool = False
    ) -> tuple[np.ndarray, float, np.ndarray | None]:
        """The gradient of f, the largest entry of the gradient of F (for an L1 term the
        proximal gradient v - S(v - g, l1), zero exactly at a minimum of F), and when asked
        the Hessian: in one pass with the objective's ``gradient_and_hessian`` if it has one."""
        H = None
        if with_hessian and objective.gradient_and_hessian is not None:
            g, H = objective.gradient_and_hessian(v.reshape(shape), X, y)
        else:
            g = objective.gradient(v.reshape(shape), X, y)
        g = np.asarray(g).ravel()
        residual = g if l1 is None else v - soft_threshold(v - g, l1)
        return g, float(np.max(np.abs(residual))), H

    def hessian(v: np.ndarray) -> np.ndarray:
        if objective.gradient_and_hessian is not None:  # the Hessian the steps are made with
            return np.asarray(gradient_and_optimality(v, with_hessian=True)[2])
        return np.asarray(objective.hessian(v.reshape(shape), X, y))

    # Changes of F below this are rounding noise: there the line search compares gradients.
    noise = 64 * np.finfo(X.dtype).eps
    value = F(w)
    losses: list[float] = []
    converged = stopped = False
    last_decrement = math.inf  # of the last step, if it was a full Newton step
    # No step has been taken, so the run cannot stop here: the Hessian will be needed.
    g, optimality, H = gradient_and_optimality(w, with_hessian=max_iter > 0)
    while not stopped:
        # After a full step, the Newton decrement of that step bounds the distance to the
        # minimum: with a small gradient now, no new Hessian is needed to know we are done.
        converged = optimality <= tol and last_decrement <= tol
        if converged or len(losses) >= max_iter:
            break
        if H is None:
            H = hessian(w)
        if l1 is None:
            d = _solve_newton_system(H, g, null_space)
            predicted = float(g @ d)
        else:
            d = _quadratic_l1_step(H, g, w, l1, tol=1e-3 * tol)
            predicted = float(g @ d) + penalty(w + d) - penalty(w)
        decrement = 0.5 * float(d @ H @ d)
        # Converged: small gradient and small Newton decrement; or the model predicts no
        # decrease at all (the minimum to working precision).
        converged = (optimality <= tol and decrement <= tol) or predicted >= 0
        if converged:
            break

        # Trial points of the line search: F along the line (and its slope, when the objective
        # gives it cheaply); the gradient is only computed where it is needed.
        phi = None if line is None else line(w.reshape(shape), d.reshape(shape), X, y)
        new_g = new_slope = None
        t = 1.0
        for _ in range(MAX_HALVINGS):
            candidate = w + t * d
            if phi is None:
                new_value = F(candidate)
            else:
                new_value, new_slope = phi(t)
            if new_value <= value + ARMIJO * t * predicted:
                break
            # Near the minimum the decrease is below the rounding of F and Armijo's test
            # is a coin toss; accept a step that shrinks the gradient instead.
            if abs(new_value - value) <= noise * abs(value):
                new_g, new_optimality, _ = gradient_and_optimality(candidate)
                if new_optimality < optimality:
                    break
            new_g = None
            t *= 0.5
        else:  # no step improves F or the gradient: the minimum to working precision
            converged = True
            break
        if t == 1.0 and l1 is None:
            # The derivative along d at the full step, g(w + d)·d; still negative, it says the
            # minimum along d lies beyond t = 1 (typical far from the minimum, where the
            # curvature falls along d). The secant of the derivative between t = 0 and t = 1
            # estimates where; the longer step is kept if F is lower there.
            if new_slope is None:
                new_g, new_optimality, _ = gradient_and_optimality(candidate)
                new_slope = float(new_g @ d)
            if new_slope < 0 and predicted < new_slope:
                t_secant = min(predicted / (predicted - new_slope), EXTRAPOLATION_RANGE[1])
                if t_secant >= EXTRAPOLATION_RANGE[0]:
                    longer = w + t_secant * d
                    longer_value = F(longer) if phi is None else phi(t_secant)[0]
                    if longer_value < new_value:
                        t, candidate, new_value, new_g = t_secant, longer, longer_value, None
        w, value = candidate, new_value
        last_decrement = decrement if t == 1.0 else math.inf
        losses.append(value)
        stopped = callback is not None and bool(callback(w.reshape(shape)))
        H = None
        if new_g is None:
            # Unless the last step was a full step with a small decrement, the run cannot stop
            # at the new point: its Hessian will be needed, so ask for it with the gradient.
            certain = not stopped and last_decrement > tol and len(losses) < max_iter
            new_g, new_optimality, H = gradient_and_optimality(w, with_hessian=certain)
        g, optimality = new_g, new_optimality
        if verbose:
            print(f"Newton iteration {len(losses)}: loss {value:.10g}, "
                  f"max|grad| {optimality:.3g}, step {t:g}")
    return _iterates_result("Newton's method", w.reshape(shape), losses, converged, stopped,
                            max_iter, tol, "increase max_iter or loosen tol")


# -- L-BFGS --------------------------------------------------------------------------------


def lbfgs(
    objective: Objective,
    w0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    *,
    tol: float = 1e-4,
    max_iter: int = 100,
    history_size: int = LBFGS_HISTORY,
    verbose: bool = False,
    callback: Callable[[np.ndarray], bool] | None = None,
) -> FitResult:
    r"""Minimize a smooth ``objective`` by L-BFGS (:class:`fromscratch.optim.LBFGS`).

    Each iteration turns the last ``history_size`` pairs :math:`s_i = w_{i+1} - w_i`,
    :math:`y_i = \nabla f(w_{i+1}) - \nabla f(w_i)` into an approximation of
    :math:`H^{-1}\nabla f(w)` (the two-loop recursion), without ever forming a Hessian, and
    steps along it with a strong-Wolfe line search. An iteration costs a few gradients (the
    unit step is usually accepted, one gradient); Newton's costs a Hessian,
    :math:`O(np^2)`, and a solve, :math:`O(p^3)`, but needs far fewer iterations.

    The optimizer drives the coefficients as a :class:`~fromscratch.autodiff.Tensor` through
    a closure that evaluates ``objective.loss`` and writes ``objective.gradient`` to ``.grad``;
    one ``step`` is one iteration, so the loss curve has every iterate. Evaluations are kept
    for the iteration: the line search has already evaluated the point it accepts, where the
    next step begins.

    Converged when :math:`\max_j |\partial f/\partial w_j| \le` ``tol``: scikit-learn's
    ``lbfgs`` rule (SciPy's ``pgtol``; without bounds the projected gradient is the gradient).
    A step that cannot move (the line search finds no lower point) means the minimum to
    working precision, and also ends the run as converged, as in :func:`newton`.

    Parameters
    ----------
    objective : Objective
        Smooth: ``objective.l1`` must be ``None``.
    w0 : ndarray
        Starting coefficients (not modified).
    X, y : ndarray
    tol : float
    max_iter : int
        Iterations.
    history_size : int, default 10
        Pairs kept (scikit-learn's, through SciPy's ``maxcor``).
    verbose : bool
        Print one line per iteration.
    callback : callable ``w -> bool``, optional
        Called after every iteration; ``True`` stops.

    Returns
    -------
    FitResult
    """
    from fromscratch.autodiff import Tensor
    from fromscratch.optim import LBFGS

    if objective.l1 is not None:
        raise ValueError(
            "L-BFGS needs a smooth objective, and an L1 term has no gradient at 0; use the "
            "newton solver (proximal Newton) or proximal gradient descent."
        )
    w = Tensor(np.array(w0, dtype=X.dtype, copy=True), requires_grad=True)
    opt = LBFGS([w], max_iter=1, max_eval=LBFGS_EVALUATIONS, tolerance_grad=tol,
                tolerance_change=0.0, history_size=history_size, line_search_fn="strong_wolfe",
                min_curvature=0.0)  # the pairs shrink with the gradient; Wolfe keeps y's > 0
    evaluations: dict[bytes, tuple[float, np.ndarray]] = {}

    def evaluate(v: np.ndarray) -> tuple[float, np.ndarray]:
        key = v.tobytes()
        if key not in evaluations:
            evaluations[key] = (float(objective.loss(v, X, y)),
                                np.asarray(objective.gradient(v, X, y)))
        return evaluations[key]

    def closure() -> float:
        value, w.grad = evaluate(w.data)
        return value

    value, g = evaluate(w.data)
    losses: list[float] = []
    converged = stopped = False
    while not stopped:
        optimality = float(np.max(np.abs(g)))
        converged = optimality <= tol
        if converged or len(losses) >= max_iter:
            break
        before = w.data.copy()
        opt.step(closure)
        if np.array_equal(w.data, before):  # no lower point along d: the minimum, to rounding
            converged = True
            break
        value, g = evaluate(w.data)
        evaluations.clear()  # only the current point is evaluated again
        evaluations[w.data.tobytes()] = (value, g)
        losses.append(value)
        stopped = callback is not None and bool(callback(w.data))
        if verbose:
            print(f"L-BFGS iteration {len(losses)}: loss {value:.10g}, "
                  f"max|grad| {float(np.max(np.abs(g))):.3g}, step {opt.state[w]['t']:g}")
    return _iterates_result("L-BFGS", w.data.copy(), losses, converged, stopped, max_iter, tol,
                            "increase max_iter, loosen tol, or standardize the features")


def _iterates_result(method: str, coef: np.ndarray, losses: list[float], converged: bool,
                     stopped: bool, max_iter: int, tol: float, advice: str) -> FitResult:
    """The result of a run whose loss curve has one value per iteration (Newton, L-BFGS), with
    a ``ConvergenceWarning`` when it ran out of iterations."""
    if not (converged or stopped):
        warnings.warn(
            f"{method} did not converge in max_iter={max_iter} iterations (tol={tol:g}); "
            f"{advice}.",
            ConvergenceWarning,
            stacklevel=4,
        )
    return FitResult(coef=coef, n_iter=len(losses), loss_curve=np.asarray(losses),
                     best_iteration=len(losses), converged=converged)


def check_solver_options(
    *, learning_rate: float, max_iter: int, tol: float | None, batch_size: int | None,
    n_iter_no_change: int = 5, validation_fraction: float = 0.1,
) -> None:
    """Validate the hyper-parameters the solvers share, with messages naming each."""
    check_scalar(learning_rate, "learning_rate", min_val=0.0, include_min=False)
    check_scalar(max_iter, "max_iter", kind=int, min_val=1)
    if tol is not None:
        check_scalar(tol, "tol", min_val=0.0)
    if batch_size is not None:
        check_scalar(batch_size, "batch_size", kind=int, min_val=1)
    check_scalar(n_iter_no_change, "n_iter_no_change", kind=int, min_val=1)
    check_scalar(validation_fraction, "validation_fraction", min_val=0.0, max_val=1.0,
                 include_min=False, include_max=False)


# -- least squares: the glue for LinearRegression's iterative solvers --------------------------


def least_squares_objective(gradient: str = "analytic") -> Objective:
    r"""Half the mean squared error, :math:`f(w) = \frac{1}{2n}\|y - Xw\|^2`, by hand:

    .. math:: \nabla f = -\frac1n X^\top (y - Xw), \qquad \nabla^2 f = \frac1n X^\top X.

    Its minimizer is the least-squares solution (the factor :math:`\frac{1}{2n}` changes the
    scale, not the minimum). The Hessian does not depend on :math:`w`: :math:`f` equals its
    quadratic model, so Newton's first step solves the normal equations exactly.

    ``gradient="autodiff"`` takes :math:`\nabla f` from reverse-mode automatic differentiation
    of the same loss instead of the formula (the tests show both agree).
    """

    def loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        r = y - X @ w
        return 0.5 * float(r @ r) / X.shape[0]

    def analytic_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        return -(X.T @ (y - X @ w)) / X.shape[0]

    def differentiable_loss(w: Any, X: np.ndarray, y: np.ndarray) -> Any:
        """The same loss in fromscratch.autodiff.numpy operations."""
        import fromscratch.autodiff.numpy as anp

        r = y - X @ w
        return 0.5 * anp.sum(r * r) / X.shape[0]

    def hessian(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (X.T @ X) / X.shape[0]

    gradient_function = {"analytic": analytic_gradient,
                         "autodiff": autodiff_gradient(differentiable_loss)}[gradient]
    return Objective(loss=loss, gradient=gradient_function, hessian=hessian)


def least_squares_solver(kind: str) -> Callable[[Any, np.ndarray, np.ndarray], dict[str, Any]]:
    """A solver for ``LinearRegression``'s table: ``"gd"``, ``"sgd"``, ``"minibatch"`` or
    ``"newton"`` on the centered data (the intercept by centering, as for the exact solvers).

    The returned ``solve(estimator, X, y)`` reads the estimator's ``fit_intercept``, ``tol``,
    ``max_iter``, ``verbose`` and, for the gradient solvers, ``optimizer``,
    ``optimizer_params``, ``learning_rate``, ``batch_size``, ``random_state``, ``gradient``,
    ``early_stopping``, ``validation_fraction`` and ``n_iter_no_change``; it returns
    ``coef_``, ``intercept_``, ``n_iter_`` and ``loss_curve_``.
    """
    def solve(estimator: Any, X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
        Xc, yc, X_offset, y_offset = center_data(X, y, estimator.fit_intercept)
        objective = least_squares_objective(estimator.gradient)
        w0 = np.zeros(X.shape[1], dtype=X.dtype)
        if kind == "newton":
            result = newton(objective, w0, Xc, yc, tol=estimator.tol,
                            max_iter=estimator.max_iter, verbose=bool(estimator.verbose))
        else:
            result = gradient_descent(
                objective, w0, Xc, yc,
                batch_size={"gd": None, "sgd": 1, "minibatch": estimator.batch_size}[kind],
                optimizer=estimator.optimizer, optimizer_params=estimator.optimizer_params,
                learning_rate=estimator.learning_rate, max_iter=estimator.max_iter,
                tol=estimator.tol, n_iter_no_change=estimator.n_iter_no_change,
                early_stopping=estimator.early_stopping,
                validation_fraction=estimator.validation_fraction,
                random_state=estimator.random_state, verbose=bool(estimator.verbose),
            )
        coef = result.coef
        fitted = {
            "coef_": coef,
            "intercept_": intercept_from(coef, X_offset, y_offset, estimator.fit_intercept),
            "n_iter_": result.n_iter,
            "loss_curve_": result.loss_curve,
        }
        if result.validation_loss_curve is not None:
            fitted["validation_loss_curve_"] = result.validation_loss_curve
            fitted["best_iteration_"] = result.best_iteration
        return fitted

    solve.__doc__ = (newton if kind == "newton" else gradient_descent).__doc__
    return solve
