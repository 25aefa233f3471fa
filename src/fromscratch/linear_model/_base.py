r"""What every linear regression model shares: centering for the intercept, exact solvers, predict.

**The intercept by centering.** For a model :math:`\hat y = Xw + b` and any objective
:math:`\|y - Xw - b\mathbf 1\|^2 + \mathrm{penalty}(w)` whose penalty does not involve
:math:`b`, setting the derivative in :math:`b` to zero gives

.. math:: b = \bar y - \bar x^\top w ,

and substituting it back leaves the same problem on centered data,
:math:`\|(y - \bar y) - (X - \mathbf 1\bar x^\top) w\|^2 + \mathrm{penalty}(w)`. So every
estimator here centers :math:`X` and :math:`y`, solves for :math:`w` without an intercept, and
recovers :math:`b` from the means: the intercept is never penalized (a classic bug when it is
folded into :math:`w` as a column of ones).

**Sample weights: weighted means, then rows scaled by** :math:`\sqrt{s_i}`. A weighted objective
:math:`\sum_i s_i (y_i - x_i^\top w - b)^2 + \mathrm{penalty}(w)` has its intercept at the
weighted means, :math:`b = \bar y_s - \bar x_s^\top w` with :math:`\bar x_s = \sum_i s_i x_i /
\sum_i s_i`, and what remains is

.. math:: \sum_i s_i\big((y_i - \bar y_s) - (x_i - \bar x_s)^\top w\big)^2
    = \big\|S^{1/2} y_c - S^{1/2} X_c\, w\big\|_2^2, \qquad S = \mathrm{diag}(s),

an *unweighted* problem on rows multiplied by :math:`\sqrt{s_i}` (scikit-learn's
``_rescale_data``). So every solver, exact or iterative, handles weights by being given the
scaled rows; a zero weight makes a row of zeros, which contributes nothing, exactly as if the
sample were dropped, and a weight 2 scales a row by :math:`\sqrt2`, whose square counts it
twice.

**The centered Gram matrix without the centered copy.** The normal equations need only
:math:`X_c^\top X_c` and :math:`X_c^\top y_c` of the centered data
:math:`X_c = X - \mathbf 1\bar x^\top`. Writing :math:`X_c` out costs a full extra write and
read of the data (160 MB for 200,000 × 100). The shortcut
:math:`X_c^\top X_c = X^\top X - n\bar x\bar x^\top` avoids it but is unsafe: when a column's
mean is large relative to its spread (a year, a price, a :math:`10^6` offset) the two terms
nearly cancel and the digits of the variance are lost. :func:`centered_normal_equations`
instead centers a block of rows at a time into a buffer that stays in cache and adds up the
blocks' products, :math:`X_c^\top X_c = \sum_B X_{c,B}^\top X_{c,B}`: exact centering, one
read of :math:`X` after the pass for the means, and the symmetric products run as BLAS ``syrk``
(half the flops of a general product).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from fromscratch._param_validation import Rule, flag
from fromscratch.base import BaseEstimator, RegressorMixin
from fromscratch.blocks import is_dask_array, map_method
from fromscratch.exceptions import ConvergenceWarning, warn_at_caller
from fromscratch.linalg import (
    HouseholderQR,
    IllConditionedWarning,
    LinAlgError,
    check_condition,
    cho_solve,
    cholesky,
    cond_cholesky,
    lstsq_from_qr,
)

__all__ = [
    "ConvergenceWarning",
    "ExactSolution",
    "LinearModel",
    "center_data",
    "centered_normal_equations",
    "data_offsets",
    "intercept_from",
    "scale_rows",
    "solve_gram",
    "solve_least_squares_qr",
    "solve_normal_equations",
    "warn_if_only_gram_singular",
]


def center_data(
    X: np.ndarray, y: np.ndarray, fit_intercept: bool, sample_weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    r"""Center the data for the intercept: return ``(X - x̄, y - ȳ, x̄, ȳ)``.

    Without an intercept the data are returned as they are, with zero offsets. The intercept
    of a fitted :math:`w` is then :math:`\bar y - \bar x^\top w` (:func:`intercept_from`).
    With ``sample_weight`` :math:`s` the means are weighted and the centered rows are scaled by
    :math:`\sqrt{s_i}`: :math:`(S^{1/2}(X - \mathbf 1\bar x_s^\top), S^{1/2}(y - \bar y_s),
    \bar x_s, \bar y_s)`, the unweighted problem with the weighted one's minimizer (module
    docstring). ``y`` may have a column per target.
    """
    X_offset, y_offset = data_offsets(X, y, fit_intercept, sample_weight)
    if sample_weight is None:
        if not fit_intercept:
            return X, y, X_offset, y_offset
        return X - X_offset, y - y_offset, X_offset, y_offset
    Xc, yc = X - X_offset, y - y_offset
    scale_rows(Xc, yc, sample_weight)
    return Xc, yc, X_offset, y_offset


def data_offsets(
    X: np.ndarray, y: np.ndarray, fit_intercept: bool, sample_weight: np.ndarray | None = None
) -> tuple[np.ndarray, Any]:
    r"""The centering offsets :math:`(\bar x, \bar y)`, weighted by ``sample_weight`` when
    given (:math:`\bar x_s = \sum_i s_i x_i / \sum_i s_i`), or zeros without an intercept
    (one zero per target for a 2-D ``y``)."""
    if not fit_intercept:
        y_zero = (X.dtype.type(0) if y.ndim == 1
                  else np.zeros(y.shape[1:], dtype=X.dtype))
        return np.zeros(X.shape[1], dtype=X.dtype), y_zero
    if sample_weight is None:
        return X.mean(axis=0), y.mean(axis=0)
    total = sample_weight.sum()
    return (sample_weight @ X) / total, (sample_weight @ y) / total


#: Size of one block of rows in :func:`centered_normal_equations`: small enough that the
#: centered block is still in a core's cache (L2) for its two matrix products, large enough
#: that the per-block Python overhead is negligible.
GRAM_BLOCK_BYTES = 2**20


def centered_normal_equations(
    X: np.ndarray, y: np.ndarray, fit_intercept: bool, *, block_bytes: int = GRAM_BLOCK_BYTES,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    r"""The normal-equation data of the centered problem: :math:`(X_c^\top X_c,\ X_c^\top y_c,
    \bar x, \bar y)`, without forming :math:`X_c` (see the module docstring).

    With blocks :math:`B` of rows (``block_bytes`` each),

    .. math::
        X_c^\top X_c = \sum_B (X_B - \mathbf 1\bar x^\top)^\top(X_B - \mathbf 1\bar x^\top),
        \qquad X_c^\top y_c = \sum_B (X_B - \mathbf 1\bar x^\top)^\top (y_B - \bar y).

    Without an intercept this is simply :math:`(X^\top X, X^\top y, 0, 0)`. With
    ``sample_weight`` :math:`s` the means are weighted and each centered block is scaled by
    :math:`\sqrt{s}` while it is in the cache: :math:`X_c^\top S X_c` and :math:`X_c^\top S y_c`
    for the price of the unweighted products. ``y`` may have a column per target.
    """
    X_offset, y_offset = data_offsets(X, y, fit_intercept, sample_weight)
    if not fit_intercept and sample_weight is None:
        return X.T @ X, X.T @ y, X_offset, y_offset
    n_samples, n_features = X.shape
    yc = y - y_offset
    rows = max(1, block_bytes // (n_features * X.itemsize))
    buffer = np.empty((min(rows, n_samples), n_features), dtype=X.dtype)
    G = np.zeros((n_features, n_features), dtype=X.dtype)
    Xty = np.zeros((n_features, *y.shape[1:]), dtype=X.dtype)
    for start in range(0, n_samples, rows):
        block = buffer[: min(rows, n_samples - start)]
        np.subtract(X[start : start + rows], X_offset, out=block)
        yc_block = yc[start : start + rows]
        if sample_weight is not None:  # scaled while the block is in the cache
            yc_block = yc_block.copy()
            scale_rows(block, yc_block, sample_weight[start : start + rows])
        G += block.T @ block  # the same buffer on both sides: NumPy calls BLAS syrk
        Xty += block.T @ yc_block
    return G, Xty, X_offset, y_offset


def scale_rows(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray) -> None:
    r"""Multiply row :math:`i` of ``X`` and ``y`` by :math:`\sqrt{s_i}`, in place: weighted
    least squares as the unweighted problem (module docstring). Block by block, so that each
    block is scaled while it is in the cache."""
    root = np.sqrt(sample_weight)
    rows = max(1, GRAM_BLOCK_BYTES // (X.shape[1] * X.itemsize))
    for start in range(0, X.shape[0], rows):
        block = slice(start, start + rows)
        X[block] *= root[block, None]
        y[block] *= root[block].reshape(-1, *[1] * (y.ndim - 1))


def intercept_from(
    coef: np.ndarray, X_offset: np.ndarray, y_offset: Any, fit_intercept: bool
) -> Any:
    r"""The intercept :math:`b = \bar y - \bar x^\top w` of centered data (0.0 without one)."""
    return y_offset - X_offset @ coef if fit_intercept else 0.0


class ExactSolution(NamedTuple):
    """What the exact least-squares solvers return."""

    coef: np.ndarray
    intercept: Any
    #: Estimated condition number of the matrix solved with (see each solver).
    condition_number: float
    #: Numerical rank of the (centered, augmented) design.
    rank: int
    #: How it was solved: ``"qr"``, ``"cholesky"``, or ``"cod"`` (pivoted QR and the complete
    #: orthogonal decomposition: the minimum-norm solution of a rank-deficient design).
    method: str


def _rank_deficiency_hint(fit_intercept: bool, alpha: float = 0.0) -> str:
    if alpha > 0:  # positive definite in exact arithmetic: alpha is small for the data's scale
        return (
            f"The penalty alpha={alpha:g} is small next to the largest eigenvalue of XᵀX, which "
            "grows with the number of samples and the square of the features' scale. "
            "Standardize the features (StandardScaler, e.g. make_pipeline(StandardScaler(), "
            "Ridge())) so that one alpha suits every feature, or increase alpha."
        )
    constant = (
        "With fit_intercept=True the columns are centered, so a constant column, or a full set "
        "of dummy (one-hot) columns, is collinear with the intercept. "
        if fit_intercept
        else ""
    )
    return (
        constant + "For unique, stable coefficients drop the (nearly) dependent columns, or use "
        "Ridge(alpha > 0), whose penalty makes the solution unique."
    )


def solve_least_squares_qr(
    X: np.ndarray, y: np.ndarray, *, fit_intercept: bool, alpha: float = 0.0,
    feature_names: Sequence[str] | None = None,
    sample_weight: np.ndarray | None = None,
) -> ExactSolution:
    r"""Minimize :math:`\|y - Xw - b\mathbf 1\|^2 + \alpha\|w\|^2` by Householder QR of the
    centered data.

    For :math:`\alpha > 0` the ridge problem is the least-squares problem of the augmented
    system :math:`\begin{bmatrix} X \\ \sqrt\alpha I\end{bmatrix} w \approx
    \begin{bmatrix} y \\ 0\end{bmatrix}`, whose columns are always independent. With
    :math:`X = QR`, :math:`w` solves :math:`Rw = Q^\top y`. When the columns of the centered
    :math:`X` are dependent (a duplicated or collinear column, a full set of dummy columns
    beside the intercept, more features than samples), the factorization goes on with column
    pivoting to the minimum-norm solution, with a
    :class:`~fromscratch.linalg.RankDeficientWarning` naming the dependent columns (by
    ``feature_names`` when given): see :func:`fromscratch.linalg.lstsq_from_qr`. The
    condition number is that of :math:`R` (of its rank-r part after pivoting).
    With ``sample_weight`` the rows of the centered design and target are scaled by
    :math:`\sqrt{s_i}` (weighted least squares, module docstring); ``y`` may have a column per
    target.
    """
    n_samples, n_features = X.shape
    X_offset, y_offset = data_offsets(X, y, fit_intercept, sample_weight)
    # The matrix to factor, built once in the column order the factorization works in (the
    # centering writes it), then factored in place: no further copies of the data.
    n_rows = n_samples + (n_features if alpha > 0 else 0)
    design = np.empty((n_rows, n_features), dtype=X.dtype, order="F")
    np.subtract(X, X_offset, out=design[:n_samples])
    target = np.zeros((n_rows, *y.shape[1:]), dtype=y.dtype)
    target[:n_samples] = y - y_offset
    if sample_weight is not None:
        scale_rows(design[:n_samples], target[:n_samples], sample_weight)
    if alpha > 0:
        design[n_samples:] = np.sqrt(X.dtype.type(alpha)) * np.eye(n_features, dtype=X.dtype)
    solution = lstsq_from_qr(
        HouseholderQR(design, overwrite_a=True), target, name="X", column_names=feature_names,
        hint=_rank_deficiency_hint(fit_intercept, alpha),
    )
    coef = solution.x
    return ExactSolution(coef, intercept_from(coef, X_offset, y_offset, fit_intercept),
                         solution.condition_number, solution.rank, solution.method)


def solve_normal_equations(
    X: np.ndarray, y: np.ndarray, *, fit_intercept: bool, alpha: float = 0.0,
    feature_names: Sequence[str] | None = None,
    sample_weight: np.ndarray | None = None,
) -> ExactSolution:
    r"""Solve :math:`(X_c^\top X_c + \alpha I)w = X_c^\top y_c` by Cholesky, for the centered
    data :math:`X_c, y_c`.

    The Gram matrix :math:`X_c^\top X_c` is one pass of matrix products over the data
    (:func:`centered_normal_equations`, fast), but its condition number is
    :math:`\kappa(X_c)^2`: the normal equations lose twice as many digits as QR. With fewer
    samples than features the *dual* (kernel) form is solved instead,

    .. math:: w = X_c^\top (X_cX_c^\top + \alpha I)^{-1} y_c ,

    (the push-through identity :math:`(X^\top X + \alpha I)^{-1}X^\top = X^\top(XX^\top +
    \alpha I)^{-1}`), an :math:`n \times n` system. The condition number is that of the
    matrix factored.

    **Fallback.** Without a penalty (:math:`\alpha = 0`), when :math:`X_c^\top X_c` is singular
    to working precision (:mod:`fromscratch.linalg`'s rule) or there are fewer samples than
    features, the normal equations cannot give the answer: the problem is solved by
    :func:`solve_least_squares_qr` instead, which finds the rank and the minimum-norm
    solution (:class:`~fromscratch.linalg.RankDeficientWarning`) — or, when only the Gram
    matrix was singular and :math:`X_c` itself has full rank, the ordinary solution, with an
    :class:`~fromscratch.linalg.IllConditionedWarning` saying so.
    ``sample_weight`` and a 2-D ``y`` as in :func:`solve_least_squares_qr`.
    """
    hint = _rank_deficiency_hint(fit_intercept, alpha)
    n_samples, n_features = X.shape
    if alpha == 0 and n_samples < n_features:
        return solve_least_squares_qr(X, y, fit_intercept=fit_intercept,
                                      feature_names=feature_names, sample_weight=sample_weight)
    dual = n_samples < n_features
    if dual:
        X, rhs, X_offset, y_offset = center_data(X, y, fit_intercept, sample_weight)
        G = X @ X.T
    else:
        G, rhs, X_offset, y_offset = centered_normal_equations(X, y, fit_intercept,
                                                               sample_weight=sample_weight)
    name = ("XXᵀ" if dual else "XᵀX") + (" + alpha·I" if alpha > 0 else "")
    try:
        solution, cond = solve_gram(G, rhs, alpha=alpha, name=name, hint=hint)
    except LinAlgError:
        if alpha > 0:  # positive definite in exact arithmetic: the error says what to do
            raise
        return _normal_equations_fallback(X, y, fit_intercept, feature_names, sample_weight)
    coef = X.T @ solution if dual else solution
    return ExactSolution(coef, intercept_from(coef, X_offset, y_offset, fit_intercept), cond,
                         n_features, "cholesky")


def solve_gram(
    G: np.ndarray, rhs: np.ndarray, *, alpha: float, name: str, hint: str
) -> tuple[np.ndarray, float]:
    r"""Solve :math:`(G + \alpha I)\,w = r` by Cholesky: the normal equations from their
    statistics (``G`` = :math:`X_c^\top X_c`, ``rhs`` = :math:`X_c^\top y_c`, however they
    were accumulated), with the library's conditioning rule; ``G`` is overwritten. Returns
    :math:`w` and the estimated condition number of :math:`G + \alpha I`.

    Raises :class:`~fromscratch.linalg.LinAlgError` when the matrix is singular to working
    precision — with ``alpha > 0`` naming the penalty (``hint`` says what to do); without one
    the caller falls back to QR of :math:`X` (:func:`solve_normal_equations`).
    """
    G[np.diag_indices_from(G)] += alpha
    try:
        L = cholesky(G)
    except LinAlgError as exc:  # the condition check below gives the hint itself; this does not
        if alpha > 0:
            raise LinAlgError(f"{name} is not positive definite. {hint} ({exc})") from exc
        raise
    cond = cond_cholesky(G, L)
    check_condition(cond, size=G.shape[0], dtype=G.dtype, name=name, hint=hint)
    return cho_solve(L, rhs), cond


def _normal_equations_fallback(
    X: np.ndarray,
    y: np.ndarray,
    fit_intercept: bool,
    feature_names: Sequence[str] | None,
    sample_weight: np.ndarray | None,
) -> ExactSolution:
    """QR of X when XᵀX is singular to working precision (see solve_normal_equations)."""
    solution = solve_least_squares_qr(X, y, fit_intercept=fit_intercept,
                                      feature_names=feature_names, sample_weight=sample_weight)
    warn_if_only_gram_singular(solution, X.shape[1])
    return solution


def warn_if_only_gram_singular(solution: ExactSolution, n_features: int) -> None:
    r"""After the QR fallback of the normal equations: warn when :math:`X` has full rank, so
    that only squaring its condition number made :math:`X^\top X` singular."""
    if solution.rank == n_features:
        warn_at_caller(
            "XᵀX is singular to working precision although X has full rank (estimated "
            f"condition number of X {solution.condition_number:.3g}; XᵀX squares it): the "
            "coefficients were computed by Householder QR of X instead, as solver='qr' does.",
            IllConditionedWarning,
        )


class LinearModel(RegressorMixin, BaseEstimator):
    r"""Base of the linear regressors: :math:`\hat y = Xw + b` (``coef_`` w, ``intercept_`` b)."""

    _parameter_constraints: dict[str, Rule] = {"fit_intercept": flag}

    def _set_coef(self, coef: np.ndarray, intercept: Any) -> None:
        """Store ``coef_`` and ``intercept_`` (one row / entry per target for a 2-D ``y``),
        refusing non-finite results."""
        self.coef_ = coef
        self.intercept_ = intercept
        if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
            raise FloatingPointError(
                f"{type(self).__name__} produced non-finite coefficients; the data may contain "
                "values so large that their squares overflow. Rescale the features."
            )

    def predict(self, X: Any) -> np.ndarray:
        """Predicted targets :math:`Xw + b`: shape (n_samples,), or (n_samples, n_targets)
        when the model was fitted on a 2-D ``y`` (``coef_`` then has a row per target);
        lazily, with the same row chunks, for a Dask array."""
        if is_dask_array(X):
            return map_method(self, "predict", X)
        X = self._validate_predict(X)
        return X @ self.coef_.T + self.intercept_
