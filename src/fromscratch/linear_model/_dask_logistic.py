r""":class:`~fromscratch.linear_model.LogisticRegression` on row-chunked Dask arrays: Newton's
method and L-BFGS with one pass over the data per evaluation.

Everything the solvers ask for is a sum over the rows: the mean log-loss
:math:`\frac1n\sum_i\ell_i`, its gradient :math:`\frac1n\tilde X^\top(p - y)` and Hessian
:math:`\frac1n\tilde X^\top S\tilde X` (:mod:`._logistic_loss`). So each block computes its
*sums* with the in-memory loss class — the same formulas, the same stable numerics, the
binary Hessian accumulated in single precision for the steps while that is safe — the sums are
merged in a tree (:func:`fromscratch.blocks.map_reduce`), and the driver divides by :math:`n`
and adds the penalty **once** (:math:`\frac{l_2}{2}\|w\|^2`, its gradient and its diagonal;
never per block). The solvers are the in-memory ones (:func:`~._iterative.newton`,
:func:`~._iterative.lbfgs`), unchanged: the same iterations, stopping rules and
:class:`~fromscratch.exceptions.ConvergenceWarning`, only each quantity is answered by a pass.

**One pass per accepted Newton step.** At each new point Newton's method wants, in turn, the
objective along the line (the full step :math:`t = 1` first), the slope there, then the
gradient and the Hessian at the point it accepts. Here a pass at a point computes the loss, the
gradient *and* the Hessian together, and keeps them (:class:`BlockLogisticObjective`, a cache
keyed by the point); so the full step, which is accepted almost always, costs exactly one pass
— its later questions are answered from the cache. A backtracking trial (:math:`t < 1`) skips
the Hessian (loss and gradient only, one matrix product per block instead of a Gram matrix);
the point finally accepted then needs one more pass for its Hessian. L-BFGS asks for the loss
and the gradient at each point: one pass each.

Labels are found in one pass first (the sorted union of every block's, with their counts, which
also give the intercept's starting value and the null model's likelihood); NaN or infinity in
``X`` are reported with the rows of their block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from fromscratch._validation import check_weighted_classes, encode_class_labels
from fromscratch.blocks import (
    RowBlocks,
    block_labels,
    check_finite_block,
    check_weight_block,
    label_counts,
    map_reduce,
    training_blocks,
)
from fromscratch.linear_model._logistic_loss import (
    LogisticLoss,
    logistic_loss,
    saturated,
    separates,
    warn_if_saturated,
)
from fromscratch.linear_model._objective import Objective

__all__ = ["class_counts", "class_frequency", "block_targets", "block_weights",
           "BlockLogisticObjective", "fit_logistic_blocks"]

#: Evaluations kept by :class:`BlockLogisticObjective` (the points of the current line search).
CACHE_SIZE = 4


# -- labels ------------------------------------------------------------------------------------


def class_counts(blocks: RowBlocks, estimator: str
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``(classes, counts, weights)``: the sorted labels of ``y`` (``blocks.arrays[1]``), how
    many rows have each and, with sample weights (``blocks.arrays[2]``), their total weight,
    from one pass (:func:`fromscratch.blocks.label_counts`); the labels are checked as in
    memory (:func:`~fromscratch._validation.encode_class_labels`: not continuous, at least
    two)."""
    classes, counts, weights = label_counts(blocks)
    encode_class_labels(classes, estimator)
    return classes, counts, weights


def class_frequency(estimator: Any, classes: np.ndarray, counts: np.ndarray,
                    weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    r"""``(frequency, scale)``: each class's total weight (its sample weights times its
    ``class_weight``; its count without either) and the factor each row's sample weight is
    multiplied by, per class — its class weight times :math:`n/\sum_k \mathrm{frequency}_k`,
    the solvers' weights of mean 1 — or ``None`` when every row weighs 1. As in memory, at
    least two classes must keep a positive weight."""
    totals = counts if weights is None else weights
    class_weight = estimator._class_weights(classes, totals)
    frequency = totals if class_weight is None else class_weight * totals
    # one pseudo-sample per class, carrying the class's total weight
    check_weighted_classes(classes, np.arange(classes.size), frequency,
                           type(estimator).__name__)
    if class_weight is None and weights is None:
        return frequency.astype(np.float64), None
    per_class = np.ones(classes.size) if class_weight is None else class_weight
    return frequency, per_class * (counts.sum() / frequency.sum())


def block_targets(y: Any, classes: np.ndarray, dtype: Any, name: str, start: int,
                  stop: int) -> tuple[np.ndarray, np.ndarray]:
    """A block's class indices and the loss's target (0/1, or one-hot for more than two
    classes); a label that is not one of ``classes`` is refused with its row
    (:func:`fromscratch.blocks.block_labels`)."""
    index = block_labels(y, classes, name, start, stop)
    if classes.size == 2:
        return index, index.astype(dtype)
    return index, np.eye(classes.size, dtype=dtype)[index]


# -- one block's sums ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    """What every block needs to compute its sums (sent to the workers once per pass)."""

    classes: np.ndarray
    n_features: int
    fit_intercept: bool
    dtype: Any
    names: tuple[str, ...]
    hessian: str | None  # None, "steps" (possibly single precision) or "exact" (float64)
    separation: bool
    scale: np.ndarray | None  # a row's weight = scale[its class] × its sample weight


@dataclass(frozen=True)
class _Sums:
    r"""A set of rows' contributions: :math:`\sum_i\ell_i`, :math:`\sum_i\nabla\ell_i`,
    :math:`\sum_i\nabla^2\ell_i` (or None) and its ``kind`` (``"steps"``: possibly
    accumulated in single precision; ``"exact"``), whether every row is separated and how
    many binary scores are saturated (:func:`~._logistic_loss.saturated`; both None when not
    asked)."""

    loss: float
    gradient: np.ndarray
    hessian: np.ndarray | None
    kind: str | None
    separated: bool | None
    saturated: int | None

    def answers(self, hessian: str | None) -> bool:
        """Whether these sums have the Hessian asked for (``None``: none needed)."""
        return hessian is None or self.kind == "exact" or self.kind == hessian


def _merge_sums(parts: list[_Sums]) -> _Sums:
    hessians = [p.hessian for p in parts if p.hessian is not None]  # every part's, or none
    flags = [p.separated for p in parts]
    return _Sums(
        loss=float(sum(p.loss for p in parts)),
        gradient=sum(p.gradient for p in parts[1:]) + parts[0].gradient,
        hessian=sum(hessians[1:]) + hessians[0] if hessians else None,
        kind=parts[0].kind,
        separated=None if flags[0] is None else all(flags),
        saturated=None if flags[0] is None else sum(p.saturated or 0 for p in parts),
    )


def block_weights(index: np.ndarray, sample_weight: Any, scale: np.ndarray | None, name: str,
                  start: int, stop: int, dtype: Any) -> np.ndarray | None:
    """A block's row weights for the loss: ``scale`` of each row's class times its sample
    weight (checked, naming the block's rows); ``None`` when every row weighs 1."""
    sample_weight = check_weight_block(sample_weight, name, start, stop, dtype)
    if scale is None:
        return sample_weight
    weight = scale.astype(dtype)[index]
    return weight if sample_weight is None else weight * sample_weight


def _block_sums(start: int, stop: int, X: Any, y: Any, sample_weight: Any, w: np.ndarray,
                task: _Task) -> _Sums:
    """One block's sums at ``w``: the in-memory loss (a fresh one: blocks may run in parallel
    threads, and a loss caches its scores) times the block's rows."""
    X = np.asarray(X, dtype=task.dtype)
    check_finite_block(X, task.names[0], start, stop)
    index, target = block_targets(y, task.classes, task.dtype, task.names[1], start, stop)
    s = block_weights(index, sample_weight, task.scale, task.names[2], start, stop, task.dtype)
    data = (X, target) if s is None else (X, target, s)
    loss = logistic_loss(task.n_features, task.classes.size, fit_intercept=task.fit_intercept)
    rows = X.shape[0]
    total = rows * loss.mean_log_loss(w, *data)
    hessian, kind = None, task.hessian
    if kind == "steps" and loss.gradient_and_hessian is not None:
        gradient, hessian = loss.gradient_and_hessian(w, *data)
    else:
        gradient = loss.gradient(w, *data)
        if kind is not None:
            hessian, kind = loss.hessian(w, *data), "exact"
    separated = count = None
    if task.separation:  # rows of zero weight are not in the likelihood
        kept = slice(None) if s is None else s > 0
        z = loss.at(w, X).z[kept]
        separated = separates(z, index[kept])
        count = saturated(z) if z.ndim == 1 else 0
    return _Sums(total, rows * gradient, None if hessian is None else rows * hessian, kind,
                 separated, count)


# -- the objective ---------------------------------------------------------------------------------


class BlockLogisticObjective:
    r"""The logistic objective of a row-chunked training set, each evaluation one pass.

    It answers the :class:`~._objective.Objective` questions (``loss``, ``gradient``,
    ``gradient_and_hessian``, ``hessian``, ``line``) from evaluations kept by point: a pass at
    a new point computes everything the solver will ask there (module docstring). The data
    arguments the solvers pass along are ignored: the data are the blocks.

    Parameters
    ----------
    blocks : RowBlocks
        ``(X, y)`` or ``(X, y, sample_weight)``: the features (float), the labels, the
        weights.
    loss : LogisticLoss
        The driver's loss, with the penalties (:math:`l_2`, :math:`l_1`) of the fit.
    classes : ndarray
    scale : ndarray or None
        Per class, the factor of a row's sample weight (:func:`class_frequency`): the rows'
        weights then have mean 1, as the in-memory solvers' (``None``: every row weighs 1).
    separation : bool
        Also record whether each evaluated point separates the classes (for unpenalized fits).
    newton : bool
        Whether the solver uses Hessians (then passes compute them; L-BFGS: never).

    Attributes
    ----------
    passes : int
        Passes over the data so far.
    """

    def __init__(self, blocks: RowBlocks, loss: LogisticLoss, classes: np.ndarray,
                 scale: np.ndarray | None = None, *, separation: bool, newton: bool) -> None:
        weights = blocks.arrays[2] if len(blocks.arrays) > 2 else None
        names = tuple(blocks.names[:2]) + ("sample_weight",)
        self.blocks = RowBlocks(blocks.bounds, (*blocks.arrays[:2], weights), names)
        self.loss = loss
        self.n = blocks.n_rows
        self.newton = newton
        X = blocks.arrays[0]
        self._task = _Task(classes=classes, n_features=X.shape[1],
                           fit_intercept=loss.fit_intercept, dtype=np.dtype(X.dtype),
                           names=names, hessian=None, separation=separation, scale=scale)
        self._cache: dict[bytes, _Sums] = {}
        self.passes = 0

    def evaluate(self, w: np.ndarray, hessian: str | None = None, *,
                 ahead: bool | None = None) -> _Sums:
        """The sums at ``w`` with (at least) the Hessian of kind ``hessian`` (``"steps"``,
        ``"exact"``; ``None``: none needed), from the cache or from one pass. A new pass also
        computes the steps' Hessian ``ahead`` of being asked for it — by default whenever the
        solver is Newton's, which will ask at every point it accepts (module docstring)."""
        key = np.ascontiguousarray(w).tobytes()
        cached = self._cache.get(key)
        if cached is not None and cached.answers(hessian):
            return cached
        if hessian is None and (self.newton if ahead is None else ahead):
            hessian = "steps"
        task = _Task(**{**self._task.__dict__, "hessian": hessian})
        sums = map_reduce(_block_sums, self.blocks, _merge_sums,
                          args=(np.ascontiguousarray(w), task))
        self.passes += 1
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = sums
        return sums

    # -- the Objective's functions (the data arguments are the blocks', ignored) -------------

    def mean_log_loss(self, w: np.ndarray, *data: Any) -> float:
        r""":math:`\frac1n\sum_i\ell_i`, no penalty."""
        return self.evaluate(w).loss / self.n

    def value(self, w: np.ndarray, *data: Any) -> float:
        """The smooth part :math:`f(w)`: the mean log-loss plus the L2 term, added once."""
        return self.mean_log_loss(w) + self.loss._l2_term(w)

    def gradient(self, w: np.ndarray, *data: Any) -> np.ndarray:
        return self.loss._penalized_gradient(self.evaluate(w).gradient, w, self.n)

    def _penalized_hessian(self, sums: _Sums) -> np.ndarray:
        assert sums.hessian is not None  # evaluate was asked for a Hessian
        H = sums.hessian / self.n
        H[np.diag_indices_from(H)] += self.loss.l2 * self.loss.penalized.ravel()
        return H

    def gradient_and_hessian(self, w: np.ndarray, *data: Any) -> tuple[np.ndarray, np.ndarray]:
        sums = self.evaluate(w, "steps")
        return (self.loss._penalized_gradient(sums.gradient, w, self.n),
                self._penalized_hessian(sums))

    def hessian(self, w: np.ndarray, *data: Any) -> np.ndarray:
        r"""The float64 Hessian :math:`\nabla^2 f(w)` (standard errors; a pass of its own when
        the cached one was accumulated for the steps)."""
        return self._penalized_hessian(self.evaluate(w, "exact"))

    def line(self, w: np.ndarray, d: np.ndarray, *data: Any):
        r"""``phi(t)`` = :math:`(f(w + td),\ d^\top\nabla f(w + td))`, a pass per new
        :math:`t`; full (and longer) steps compute the Hessian too, backtracking trials do not.
        """

        def phi(t: float) -> tuple[float, float]:
            v = w + t * d
            self.evaluate(v, ahead=None if t >= 1.0 else False)
            return self.value(v), float(np.sum(self.gradient(v) * d))

        return phi

    def separated(self, w: np.ndarray) -> bool:
        """Whether ``w`` separates the classes (recorded by the pass at ``w``)."""
        return bool(self.evaluate(w).separated)

    def objective(self) -> Objective:
        """The :class:`~._objective.Objective` the in-memory solvers take."""
        l1 = self.loss.l1 * self.loss.penalized if self.loss.l1 > 0 else None
        return Objective(loss=self.value, gradient=self.gradient, hessian=self.hessian, l1=l1,
                         line=self.line if l1 is None else None,
                         gradient_and_hessian=self.gradient_and_hessian if self.newton else None)


def fit_logistic_blocks(estimator: Any, X: Any, y: Any, solver: str,
                        sample_weight: Any = None) -> Any:
    """``LogisticRegression.fit`` on a row-chunked Dask array: ``"newton"`` and ``"lbfgs"``,
    the in-memory solvers on :class:`BlockLogisticObjective` (module docstring);
    ``"minibatch"``, streaming passes (:mod:`._streaming`). Sample and class weights as in
    memory: the class weights from the label pass's totals, the rows' weights rescaled to mean
    1. Everything is computed before anything is stored."""
    if solver == "minibatch":
        from fromscratch.linear_model._streaming import fit_logistic_stream

        return fit_logistic_stream(estimator, X, y, sample_weight)
    if solver not in ("newton", "lbfgs"):
        raise ValueError(
            f"LogisticRegression(solver={solver!r}) cannot fit a Dask array; on row blocks it "
            "supports 'newton' and 'lbfgs' (one pass per evaluation) and 'minibatch' "
            "(streaming)."
        )
    if y is None:
        raise ValueError("y is None: this estimator requires y to be passed. Call fit(X, y).")
    blocks = training_blocks(X, y, sample_weight, multi_output=False)
    classes, counts, weights = class_counts(blocks, type(estimator).__name__)
    frequency, scale = class_frequency(estimator, classes, counts, weights)
    strength = estimator._strength(float(frequency.sum()))
    loss = logistic_loss(X.shape[1], classes.size, fit_intercept=estimator.fit_intercept,
                         l2=(1.0 - estimator.l1_ratio) * strength,
                         l1=estimator.l1_ratio * strength)
    objective = BlockLogisticObjective(blocks, loss, classes, scale, separation=strength == 0.0,
                                       newton=solver == "newton")
    callback = objective.separated if strength == 0.0 else None
    w0 = estimator._start(loss, frequency, np.dtype(blocks.arrays[0].dtype))
    result = estimator._solve(solver, objective.objective(), w0, blocks.arrays[0], None, None,
                              callback, None)
    separated = callback is not None and result.n_iter > 0 and objective.separated(result.coef)
    if callback is not None and classes.size == 2 and not separated:
        sums = objective.evaluate(result.coef)
        warn_if_saturated(sums.saturated or 0, objective.n, np.dtype(blocks.arrays[0].dtype))
    estimator.classes_ = classes
    estimator._record_features(X, X)  # a Dask array has no column names
    return estimator._finish(result, separated, objective, (blocks.arrays[0], None),
                             frequency, strength)
