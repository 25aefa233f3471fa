r"""The linear regressors on row-chunked Dask arrays: one pass over the data, never gathered.

A ``dask.array.Array`` chunked by rows (any number of row blocks, one block of columns) given
to ``fit`` is read block by block, where the blocks live, and only small statistics travel
(:mod:`fromscratch.blocks`): the answer is the in-memory estimator's, computed differently.

``LinearRegression(solver="qr")``, ``Ridge(solver="qr")``
    **TSQR** (:func:`fromscratch.blocks.tsqr`): each block of :math:`\sqrt w\,[\mathbf 1,
    X - c, y - c_y]` is factored by our Householder QR, the stacked :math:`R`'s are reduced in
    a tree, and :math:`Q^\top y` rides along. The first row of the reduced :math:`R` belongs to
    the intercept's column: :math:`R_{00} = \pm\sqrt{\sum_i w_i}`, so :math:`R_{0,1:}/R_{00}`
    and :math:`z_0/R_{00}` are the means of :math:`X - c` and :math:`y - c_y`, and the rest,
    :math:`R_{1:,1:}` and :math:`z_{1:}`, is the :math:`R` and :math:`Q^\top y` of the
    centered data — what the in-memory solver factors. The least-squares problem on that
    small :math:`R` has the same solution, rank and conditioning as the whole one
    (:math:`\|Xw - y\|^2 = \|Rw - z\|^2 + \rho^2`), so the in-memory
    :func:`~fromscratch.linalg.lstsq_from_qr` finishes the job: back substitution, or for a
    rank-deficient design the complete orthogonal decomposition with the same ``rank_`` and
    :class:`~fromscratch.linalg.RankDeficientWarning` (the rank tolerance of the whole
    :math:`n`-row problem). Ridge stacks :math:`\sqrt\alpha I` under :math:`R`.
``LinearRegression(solver="cholesky")``, ``Ridge(solver="auto"/"cholesky")``
    **One pass of moments** (:func:`fromscratch.blocks.moments`): the means and the centered
    Gram matrix of :math:`[X, y]` by Chan et al.'s merge (centering without a second pass and
    without the cancellation of :math:`X^\top X - n\bar x\bar x^\top`), then the in-memory
    Cholesky solve on the driver (:func:`~._base.solve_gram`). As in memory, a Gram matrix
    singular to working precision without a penalty falls back to QR — a second pass, TSQR.
``Lasso``, ``ElasticNet`` (``solver="auto"`` or ``"cd"``)
    **One pass of moments, then covariance-form coordinate descent** in memory on
    :math:`X_c^\top X_c`, :math:`X_c^\top y_c` and :math:`y_c^\top y_c`
    (:class:`~._cd.GramCache` built from the statistics; :func:`~._cd.enet_coordinate_descent`,
    the in-memory solver). This is the right method for tall data, :math:`n \gg p`: the pass
    costs :math:`np^2` flops and the :math:`p \times p` Gram matrix (:math:`p^2` floats) must
    fit in the driver's memory; every epoch afterwards costs :math:`O(p^2)` at most, whatever
    :math:`n` is.

Predictions on a Dask array are lazy, with its row chunks (:func:`fromscratch.blocks.
map_method`).

**Where it runs.** Each pass runs on Dask's active scheduler: the threads of this process by
default, or a cluster. To use a cluster, create a ``distributed.Client`` before fitting; nothing
else changes::

    from distributed import Client
    client = Client("tcp://scheduler-address:8786")  # or Client(LocalCluster(n_workers=4))
    LinearRegression().fit(X, y)                      # the blocks are read on the workers

Bad input is refused by name: column chunks (rechunk), ``y`` chunked differently from ``X``
(rechunk), NaN or infinity in a block (the block's rows), negative weights; an error raised
while a worker reads a block surfaces with its cause. A failed fit leaves the estimator as it
was: everything is computed first and stored at the end.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from fromscratch._validation import check_random_state
from fromscratch.blocks import (
    RowBlocks,
    moments,
    positive_weight,
    training_blocks,
    tsqr,
)
from fromscratch.linalg import HouseholderQR, LinAlgError, lstsq_from_qr
from fromscratch.linear_model._base import (
    ExactSolution,
    _rank_deficiency_hint,
    intercept_from,
    solve_gram,
    warn_if_only_gram_singular,
)
from fromscratch.linear_model._cd import GramCache, enet_coordinate_descent, warn_if_not_converged

__all__ = [
    "regression_blocks",
    "tsqr_solution",
    "normal_equations_solution",
    "fit_linear_regression",
    "fit_ridge",
    "fit_elastic_net",
    "store",
]


def regression_blocks(X: Any, y: Any, sample_weight: Any = None) -> RowBlocks:
    """The checked blocks of a regression's training data: :func:`fromscratch.blocks.
    training_blocks` with a numeric ``y``."""
    if y is None:
        raise ValueError("y is None: this estimator requires y to be passed. Call fit(X, y).")
    blocks = training_blocks(X, y, sample_weight)
    if np.dtype(blocks.arrays[1].dtype).kind not in "fiu":
        raise TypeError(
            f"y must hold real numbers for a regressor; got dtype {blocks.arrays[1].dtype}."
        )
    return blocks


def _rank_rtol(n_rows: int, n_columns: int, dtype: Any) -> float:
    """The rank tolerance of the whole problem, :math:`\\max(n, p)\\,\\varepsilon` (what
    :func:`~fromscratch.linalg.lstsq_from_qr` uses on the :math:`n`-row matrix in memory), for
    the small :math:`R` that stands in for it."""
    return max(n_rows, n_columns) * float(np.finfo(dtype).eps)


def _centered_reduction(blocks: RowBlocks, fit_intercept: bool
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    r"""One pass of TSQR: ``(R, z, x̄, ȳ)``, the reduced :math:`R` and :math:`Q^\top y` of the
    centered (weighted) design and the means (zeros without an intercept; module
    docstring)."""
    n_features = blocks.arrays[0].shape[1]
    reduced = tsqr(blocks, fit_intercept=fit_intercept)
    R, z = reduced.R, reduced.qty
    if not fit_intercept:
        return R, z, np.zeros(n_features, dtype=R.dtype), np.zeros_like(reduced.shift_y)
    if R[0, 0] == 0:
        positive_weight(0.0)
    X_offset = reduced.shift_x + R[0, 1:] / R[0, 0]
    y_offset = reduced.shift_y + z[0] / R[0, 0]
    return R[1:, 1:], z[1:], X_offset, y_offset


def tsqr_solution(blocks: RowBlocks, *, fit_intercept: bool, alpha: float = 0.0) -> ExactSolution:
    r"""Least squares (ridge with ``alpha`` > 0) by TSQR: one pass, then the in-memory solve on
    the reduced :math:`R` of the centered design (module docstring)."""
    n_features = blocks.arrays[0].shape[1]
    R, z, X_offset, y_offset = _centered_reduction(blocks, fit_intercept)
    dtype = R.dtype
    n_rows = blocks.n_rows
    if alpha > 0:  # the augmented system [X_c; sqrt(alpha) I] w ≈ [y_c; 0]
        R = np.vstack([R, np.sqrt(dtype.type(alpha)) * np.eye(n_features, dtype=dtype)])
        z = np.concatenate([z, np.zeros((n_features, *z.shape[1:]), dtype=dtype)])
        n_rows += n_features
    solution = lstsq_from_qr(
        HouseholderQR(R), z, rtol=_rank_rtol(n_rows, n_features, dtype), name="X",
        hint=_rank_deficiency_hint(fit_intercept, alpha),
    )
    coef = solution.x
    return ExactSolution(coef, intercept_from(coef, X_offset, y_offset, fit_intercept),
                         solution.condition_number, solution.rank, solution.method)


class _GramStatistics(NamedTuple):
    r"""The normal-equation data of the centered (weighted) problem from one pass."""

    G: np.ndarray  #: :math:`X_c^\top W X_c`
    rhs: np.ndarray  #: :math:`X_c^\top W y_c` (a column per target for a 2-D ``y``)
    yy: np.ndarray  #: :math:`y_c^\top W y_c` of each target
    X_offset: np.ndarray  #: :math:`\bar x`
    y_offset: Any  #: :math:`\bar y`
    weight: float  #: :math:`\sum_i w_i`


def _gram_statistics(blocks: RowBlocks, fit_intercept: bool) -> _GramStatistics:
    r"""One pass of moments of :math:`[X, y]`: the centered (weighted) Gram statistics and the
    means; without an intercept the raw :math:`X^\top W X`, :math:`X^\top W y`,
    :math:`y^\top W y` (the centered matrix plus :math:`n\bar z\bar z^\top`: a sum of two
    positive semidefinite terms, no cancellation) and zero offsets."""
    p = blocks.arrays[0].shape[1]
    stats = moments(blocks, full=True)
    weight = positive_weight(stats.weight)
    scatter, mean = stats.scatter, stats.mean
    if not fit_intercept:
        scatter = scatter + weight * np.outer(mean, mean)
        mean = np.zeros_like(mean)
    rhs, yy, y_offset = scatter[:p, p:], np.diagonal(scatter[p:, p:]).copy(), mean[p:]
    if blocks.arrays[1].ndim == 1:
        rhs, y_offset = rhs[:, 0], y_offset[0]
    return _GramStatistics(scatter[:p, :p].copy(), rhs.copy(), yy, mean[:p], y_offset, weight)


def normal_equations_solution(blocks: RowBlocks, *, fit_intercept: bool, alpha: float = 0.0
                              ) -> ExactSolution:
    r"""Least squares (ridge with ``alpha`` > 0) by the normal equations from one pass of
    moments, solved by Cholesky on the driver; without a penalty, a Gram matrix singular to
    working precision (or fewer rows than columns) falls back to TSQR, as in memory."""
    n_features = blocks.arrays[0].shape[1]
    if alpha == 0 and blocks.n_rows < n_features:
        return tsqr_solution(blocks, fit_intercept=fit_intercept)
    G, rhs, _, X_offset, y_offset, _ = _gram_statistics(blocks, fit_intercept)
    name = "XᵀX" + (" + alpha·I" if alpha > 0 else "")
    try:
        coef, cond = solve_gram(G, rhs, alpha=alpha, name=name,
                                hint=_rank_deficiency_hint(fit_intercept, alpha))
    except LinAlgError:
        if alpha > 0:
            raise
        solution = tsqr_solution(blocks, fit_intercept=fit_intercept)
        warn_if_only_gram_singular(solution, n_features)
        return solution
    return ExactSolution(coef, intercept_from(coef, X_offset, y_offset, fit_intercept), cond,
                         n_features, "cholesky")


def store(estimator: Any, X: Any, fitted: dict[str, Any]) -> Any:
    """Set the attributes a fit on ``X`` computed (``n_features_in_``, and ``coef_`` and
    ``intercept_`` through the model's finiteness check) — all at the end, so a fit that fails
    leaves the estimator as it was."""
    estimator._record_features(X, X)  # a Dask array has no column names
    for name, value in fitted.items():
        if name not in ("coef_", "intercept_"):
            setattr(estimator, name, value)
    estimator._set_coef(fitted["coef_"].T, fitted["intercept_"])  # a row per target
    return estimator


def _unsupported(estimator: Any, solver: str, supported: str) -> ValueError:
    return ValueError(
        f"{type(estimator).__name__}(solver={solver!r}) cannot fit a Dask array; on row blocks "
        f"it supports {supported}."
    )


def fit_linear_regression(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """:class:`~fromscratch.linear_model.LinearRegression` on a row-chunked Dask array:
    ``"qr"`` by TSQR (with ``positive=True``, the active-set method on the reduced
    :math:`R`), ``"cholesky"`` by one pass of moments (module docstring), ``"minibatch"`` by
    passes of streaming mini-batch steps (:mod:`._streaming`). The estimator's ``fit`` has
    checked its parameters."""
    if estimator.solver == "minibatch":
        from fromscratch.linear_model._streaming import fit_regression_stream

        return fit_regression_stream(estimator, X, y, sample_weight)
    if estimator.solver not in ("qr", "cholesky"):
        raise _unsupported(estimator, estimator.solver,
                           "'qr' (TSQR), 'cholesky' (one-pass normal equations) and "
                           "'minibatch' (streaming)")
    blocks = regression_blocks(X, y, sample_weight)
    if estimator.positive:  # non-negative least squares on the reduced R, as in memory
        from fromscratch.linear_model._least_squares import nonnegative_from_qr

        R, z, X_offset, y_offset = _centered_reduction(blocks, estimator.fit_intercept)
        fitted = nonnegative_from_qr(R, z.reshape(len(z), -1), X_offset, y_offset,
                                     estimator.fit_intercept, blocks.arrays[1].ndim)
        return store(estimator, X, fitted)
    solve = tsqr_solution if estimator.solver == "qr" else normal_equations_solution
    solution = solve(blocks, fit_intercept=estimator.fit_intercept)
    return store(estimator, X, {
        "coef_": solution.coef, "intercept_": solution.intercept,
        "condition_number_": solution.condition_number, "rank_": solution.rank,
        "solver_": solution.method, "n_iter_": 1,
    })


def fit_ridge(estimator: Any, X: Any, y: Any, alpha: float, sample_weight: Any = None) -> Any:
    """:class:`~fromscratch.linear_model.Ridge` on a row-chunked Dask array: ``"auto"`` and
    ``"cholesky"`` by one pass of moments, ``"qr"`` by TSQR with :math:`\\sqrt\\alpha I`
    stacked under the reduced :math:`R`."""
    if estimator.solver not in ("auto", "cholesky", "qr"):
        raise _unsupported(estimator, estimator.solver,
                           "'auto'/'cholesky' (one-pass normal equations) and 'qr' (TSQR)")
    blocks = regression_blocks(X, y, sample_weight)
    solve = tsqr_solution if estimator.solver == "qr" else normal_equations_solution
    solution = solve(blocks, fit_intercept=estimator.fit_intercept, alpha=alpha)
    return store(estimator, X, {
        "coef_": solution.coef, "intercept_": solution.intercept,
        "condition_number_": solution.condition_number, "n_iter_": 1,
    })


def fit_elastic_net(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    r""":class:`~fromscratch.linear_model.ElasticNet` / ``Lasso`` on a row-chunked Dask array:
    one pass for :math:`X_c^\top X_c`, :math:`X_c^\top y_c`, :math:`y_c^\top y_c`, then
    covariance-form coordinate descent in memory (module docstring: for :math:`n \gg p`).

    With sample weights the objective is the weighted *mean* (weights rescaled to sum to
    :math:`n`, as in memory), so the weighted statistics are multiplied by
    :math:`n/\sum_i w_i`.
    """
    if estimator.solver not in ("auto", "cd"):
        raise _unsupported(estimator, estimator.solver,
                           "'auto'/'cd' (covariance-form coordinate descent on the Gram "
                           "statistics of one pass)")
    blocks = regression_blocks(X, y, sample_weight)
    n_rows, n_features = blocks.n_rows, X.shape[1]
    stats = _gram_statistics(blocks, estimator.fit_intercept)
    scale = n_rows / stats.weight  # 1 without weights
    G = stats.G * scale
    Xty = np.reshape(stats.rhs * scale, (n_features, -1))  # a column per target
    yy = stats.yy * scale
    alpha, l1_ratio = float(estimator.alpha), float(estimator.l1_ratio)
    l1, l2 = alpha * l1_ratio * n_rows, alpha * (1.0 - l1_ratio) * n_rows
    rng = check_random_state(estimator.random_state)
    W = np.zeros_like(Xty)
    previous = getattr(estimator, "coef_", None)
    if estimator.warm_start and previous is not None and previous.T.shape == W.shape[
            :np.ndim(blocks.arrays[1])]:
        W[...] = previous.T.reshape(W.shape)
    gaps, n_iter = [], []
    for k in range(Xty.shape[1]):
        gram = GramCache.from_statistics(G, Xty[:, k].copy(), yy[k])
        W[:, k], gap, gap_tol, iterations = enet_coordinate_descent(
            None, None, W[:, k].copy(), l1, l2, max_iter=estimator.max_iter,
            tol=float(estimator.tol), rng=rng, random=estimator.selection == "random",
            positive=bool(estimator.positive), gram=gram,
        )
        warn_if_not_converged(estimator.solver, estimator.max_iter, alpha, gap, gap_tol)
        gaps.append(gap / n_rows)
        n_iter.append(iterations)
    one = np.ndim(blocks.arrays[1]) == 1
    coef = W[:, 0] if one else W
    return store(estimator, X, {
        "coef_": coef,
        "intercept_": intercept_from(coef, stats.X_offset, stats.y_offset,
                                     estimator.fit_intercept),
        "dual_gap_": gaps[0] if one else np.asarray(gaps),
        "n_iter_": n_iter[0] if one else n_iter,
    })
