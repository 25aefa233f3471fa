r"""The logistic log-loss as a class: value, hand-derived gradient and Hessian, and the fast paths
that Newton's method needs, around one explicit cache of the scores.

**The loss** (the mean scale of :mod:`fromscratch.linear_model.logistic`): for coefficients
:math:`w` (intercept last, never penalized) and scores :math:`z = \tilde X w`,
:math:`\tilde X = [X, 1]`,

.. math::

    f(w) = \frac1n\sum_{i=1}^n \ell_i + \frac{l_2}{2}\|w\|^2, \qquad
    \ell_i = \log(1 + e^{z_i}) - y_i z_i
    \;\text{ or }\; \log\sum_k e^{z_{ik}} - z_{i y_i},

plus :math:`l_1\|w\|_1` (handled by the solvers' proximal steps). With sample weights
:math:`s_i` (mean 1 over the training set, :mod:`~._objective`) the mean becomes
:math:`\frac1n\sum_i s_i\ell_i`, and every derivative below weighs row :math:`i` by
:math:`s_i` likewise: :math:`p - y` becomes :math:`s\odot(p - y)`, :math:`S` becomes
:math:`\mathrm{diag}(s_ip_i(1-p_i))`.

**The derivatives, by hand.** With :math:`p_i = \sigma(z_i)` and :math:`\sigma' = \sigma(1-\sigma)`,

.. math::

    \frac{\partial \ell_i}{\partial z_i} = p_i - y_i, \qquad
    \nabla_w \frac1n\sum_i \ell_i = \frac1n \tilde X^\top (p - y), \qquad
    \nabla^2_w \frac1n\sum_i \ell_i = \frac1n \tilde X^\top S \tilde X,\;
    S = \mathrm{diag}(p_i(1-p_i)),

and for the softmax :math:`\partial\ell_i/\partial z_{ik} = p_{ik} - [y_i = k]` with Hessian
blocks :math:`\frac1n \tilde X^\top \mathrm{diag}(p_{ik}\delta_{kl} - p_{ik}p_{il}) \tilde X`
(the full Jacobian of the softmax, not just its diagonal).

**Numerics.** With :math:`e = e^{-|z|} \le 1`, which never overflows,
:math:`\log(1 + e^z) = \max(z, 0) + \log(1 + e)` and :math:`\sigma(z) = 1/(1+e)` or
:math:`e/(1+e)` (for :math:`z \ge 0` or :math:`z < 0`): the loss and the probabilities of the
binary model share one exponential per sample. The softmax subtracts the row maximum before
exponentiating. So no input overflows, and tiny probabilities keep their relative precision.
The binary model's work per sample runs over chunks of ``SAMPLE_CHUNK`` samples, every step
of the chain on one chunk before the next, so that its temporaries stay in the CPU cache.

**The cache.** Newton's method asks for the loss, the gradient and the Hessian at the same
point, and its line search visits points whose scores are known without a product with
:math:`X`. A loss object therefore keeps one :class:`Scores` record, its attribute
``scores``: the point (``X`` by identity, a copy of ``w``), its scores :math:`z`, and the
probabilities, computed on first use. Asking at another point replaces it. The binary loss also
keeps a float32 copy of the design for the Hessians of Newton's steps
(:meth:`BinaryLogisticLoss._derivatives`). The textbook form of the method, without any of this, is
:func:`~fromscratch.linear_model._logistic_irls.newton_irls`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from fromscratch._validation import check_choice
from fromscratch.exceptions import warn_at_caller
from fromscratch.linalg import LinAlgError, cholesky
from fromscratch.linear_model._iterative import Objective, autodiff_gradient

__all__ = [
    "sigmoid",
    "log_sigmoid",
    "softmax",
    "log_softmax",
    "Scores",
    "LogisticLoss",
    "BinaryLogisticLoss",
    "MultinomialLogisticLoss",
    "logistic_loss",
    "split_intercept",
    "separates",
]

#: The binary Hessian is accumulated over blocks of rows of about this many bytes (see
#: :func:`_weighted_gram`): small enough to stay in the CPU cache, large enough for BLAS.
HESSIAN_BLOCK_BYTES = 2**20
#: The Hessian's blocks are padded with zero columns to a multiple of this width: OpenBLAS's
#: ``syrk`` takes up to 1.6x as long on a width that is not (e.g. 1.9 ms for 11 float32 columns
#: of 100,000 rows, 1.0 ms for 12; 7.3 ms for 51, 5.8 ms for 52; one thread).
GRAM_WIDTH_MULTIPLE = 4
#: Newton's steps on float64 data use a Hessian accumulated in float32 while the Hessian scaled
#: to unit diagonal has a condition number below this, by :func:`_condition_lower_bound` (which
#: can underestimate it tenfold or more: a cautious threshold).
SINGLE_PRECISION_MAX_CONDITION = 1e3
#: The binary loss's work per sample at a point (probabilities, log-losses, their sums) runs
#: over chunks of this many samples, all of it on one chunk before the next: the chain's
#: temporaries stay in the CPU cache, where each operation on all 100,000 samples of the
#: benchmark would go through main memory (the chain takes about half as long in chunks).
SAMPLE_CHUNK = 2**14


# -- stable building blocks ----------------------------------------------------------------


def _sigmoid_from(z: np.ndarray, e: np.ndarray) -> np.ndarray:
    r""":math:`\sigma(z)` from :math:`e = e^{-|z|}`: :math:`1/(1+e)` for :math:`z \ge 0`,
    :math:`e/(1+e)` for :math:`z < 0`. As :math:`0 < e \le 1`, the numerator is
    :math:`\max(e, \operatorname{sign} z)` for every :math:`z`: arithmetic instead of a choice
    per element (NumPy's ``where`` on a mask of mixed signs takes several times as long)."""
    p = np.maximum(e, np.sign(z))
    p /= 1.0 + e
    return p


def _exp_minus_abs(z: np.ndarray) -> np.ndarray:
    r""":math:`e^{-|z|} \le 1`, which never overflows, for an array ``z``."""
    e = np.abs(z)
    return np.exp(np.negative(e, out=e), out=e)


def _log_losses(z: np.ndarray, e: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""The binary log-losses :math:`\log(1 + e^z) - yz` from :math:`e = e^{-|z|}`, with
    :math:`\log(1 + e^z) = \max(z, 0) + \log(1 + e^{-|z|})`."""
    losses = np.log1p(e)
    term = np.maximum(z, 0.0)
    losses += term
    losses -= np.multiply(y, z, out=term)
    return losses


def sigmoid(z: np.ndarray) -> np.ndarray:
    r""":math:`\sigma(z) = 1/(1 + e^{-z})` without overflow, to full relative precision.

    With :math:`e = e^{-|z|} \le 1` (never overflows): :math:`\sigma(z) = 1/(1+e)` for
    :math:`z \ge 0` and :math:`e/(1+e)` for :math:`z < 0`; so :math:`\sigma(-40) \approx
    4.2\times10^{-18}` keeps all its digits, where :math:`1 - \sigma(40)` would give 0.
    """
    return _sigmoid_from(z, np.exp(-np.abs(z)))


def log_sigmoid(z: np.ndarray) -> np.ndarray:
    r""":math:`\log\sigma(z) = -\log(1 + e^{-z})`, without overflow for any :math:`z`."""
    return -np.logaddexp(0.0, -z)


def log_softmax(Z: np.ndarray) -> np.ndarray:
    r"""Row-wise :math:`z_k - \log\sum_l e^{z_l}`, shifting by the row maximum first."""
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(Z: np.ndarray) -> np.ndarray:
    r"""Row-wise :math:`e^{z_k}/\sum_l e^{z_l}`, shifting by the row maximum first."""
    return np.exp(log_softmax(Z))


# -- sums over the samples ---------------------------------------------------------------------


def _chunks(n: int) -> Iterator[slice]:
    """The samples ``0..n-1`` in consecutive slices of ``SAMPLE_CHUNK``."""
    return (slice(start, start + SAMPLE_CHUNK) for start in range(0, n, SAMPLE_CHUNK))


def _part(weights: np.ndarray | None, chunk: slice) -> np.ndarray | None:
    return None if weights is None else weights[chunk]


def _weighted_sum(values: np.ndarray, weights: np.ndarray | None) -> float:
    r""":math:`\sum_i s_iv_i` over the first axis (:math:`s_i = 1` without weights)."""
    return float(np.sum(values) if weights is None else weights @ values)


# -- products with X ---------------------------------------------------------------------------


def split_intercept(w: np.ndarray, fit_intercept: bool) -> tuple[np.ndarray, np.ndarray | float]:
    """Coefficients and intercept from the solver's vector (binary) or matrix (multinomial):
    the intercept is the last entry (column)."""
    if fit_intercept:
        return w[..., :-1], w[..., -1]
    return w, 0.0


def _scores(X: np.ndarray, coef: np.ndarray) -> np.ndarray:
    r""":math:`Xw` for a vector ``coef`` (binary), :math:`XW^\top` for one row per class."""
    return X @ coef.T


def _transposed_product(residual: np.ndarray, X: np.ndarray) -> np.ndarray:
    r""":math:`X^\top r` for a vector ``residual`` (binary), :math:`R^\top X` for a matrix."""
    return residual.T @ X


def _append_ones(X: np.ndarray) -> np.ndarray:
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


def _gram_width(columns: int) -> int:
    """``columns`` rounded up to a multiple of ``GRAM_WIDTH_MULTIPLE``."""
    return -(-columns // GRAM_WIDTH_MULTIPLE) * GRAM_WIDTH_MULTIPLE


def _padded_design(X: np.ndarray, *, fit_intercept: bool, dtype: Any) -> np.ndarray:
    r"""The design :math:`[X, 1, 0, \dots, 0]` in ``dtype``: ``X``, a column of ones for the
    intercept (without one, none) and zero columns up to :func:`_gram_width`; made once per fit
    and read by every Hessian (:func:`_weighted_gram`).

    It is written in blocks of rows of about ``HESSIAN_BLOCK_BYTES``, each completed while it is
    in the CPU cache: filled column by column, the whole array would go through main memory
    once per column group (twice as long, one thread).
    """
    n, p = X.shape
    design = np.empty((n, _gram_width(p + fit_intercept)), dtype=dtype)
    rows = max(1, HESSIAN_BLOCK_BYTES // (design.shape[1] * design.itemsize))
    for start in range(0, n, rows):
        block = design[start : start + rows]
        block[:, :p] = X[start : start + rows]
        block[:, p:] = 0.0
        if fit_intercept:
            block[:, p] = 1.0
    return design


def _weighted_gram(
    X: np.ndarray, root_s: np.ndarray, *, fit_intercept: bool, dtype: Any = None,
    design: np.ndarray | None = None,
) -> np.ndarray:
    r""":math:`\tilde X^\top S \tilde X = \sum_i s_i \tilde x_i \tilde x_i^\top` with
    :math:`\tilde x_i = (x_i, 1)` (or :math:`x_i` without an intercept), from the row scales
    ``root_s`` :math:`= \sqrt{s_i}`.

    The rows are taken in blocks of about ``HESSIAN_BLOCK_BYTES``. Each block is written,
    scaled, into a small buffer in ``dtype``: :math:`A = \sqrt{S_B}\,[X_B, 1, 0]`, whose
    :math:`A^\top A` (NumPy sees ``A.T @ A`` and calls BLAS ``syrk``, which computes one
    triangle: half the work of a general product) adds the block's share of the whole
    Hessian, the intercept's row and column :math:`\sum_{i\in B} s_i \tilde x_i` included.
    The buffer stays in the CPU cache between being written and being multiplied, where a
    scaled copy of all of ``X`` would go through main memory. The zero columns round the
    width up to a multiple of ``GRAM_WIDTH_MULTIPLE``: they add zeros to :math:`A^\top A`
    (cut off at the end) and let ``syrk`` run its full-width kernels only.

    ``design``, when given, is :func:`_padded_design` of ``X`` in ``dtype``: a block is then
    one scaling of its rows, without converting ``X`` again at every Hessian; and where every
    :math:`s_i` is the same :math:`s_0` (at zero coefficients without sample weights, Newton's
    usual start), :math:`\tilde X^\top S\tilde X = s_0\tilde X^\top\tilde X` multiplies the
    design's blocks themselves, without scaling. The sums over blocks are kept in the
    precision of ``X``.
    """
    n, p = X.shape
    dtype = np.dtype(X.dtype if dtype is None else dtype)
    q = p + fit_intercept
    width = _gram_width(q)
    rows = max(1, HESSIAN_BLOCK_BYTES // (width * dtype.itemsize))
    buffer = np.zeros((min(rows, n), width), dtype=dtype)  # the padding stays 0
    root_s = root_s.astype(dtype, copy=False)
    constant = design is not None and n > 0 and np.min(root_s) == np.max(root_s)
    H = np.zeros((width, width), dtype=X.dtype)
    for start in range(0, n, rows):
        block = slice(start, start + rows)
        A = buffer[: min(rows, n - start)]
        if constant and design is not None:  # (constant implies a design)
            A = design[block]
        elif design is not None:
            np.multiply(design[block], root_s[block, None], out=A)
        else:
            np.multiply(X[block], root_s[block, None], out=A[:, :p])
            if fit_intercept:
                A[:, p] = root_s[block]
        H += A.T @ A
    if constant:
        H *= np.square(root_s[0], dtype=H.dtype)
    return H[:q, :q].copy()


def _condition_lower_bound(H: np.ndarray) -> float:
    r"""A lower bound on the condition number of :math:`H` scaled to unit diagonal (``inf``
    when it is not positive definite or not finite).

    With :math:`A = D^{-1/2} H D^{-1/2} = LL^\top`, :math:`D = \mathrm{diag}(H)`: the pivot
    :math:`L_{jj}^2` is the Schur complement :math:`1/(A_{1:j,1:j}^{-1})_{jj} \ge
    \lambda_{\min}(A)`, and :math:`\lambda_{\max}(A) \ge 1` (the diagonal is 1), so
    :math:`\kappa(A) \ge \max_j 1/L_{jj}^2`. A nearly collinear column (or, with an intercept, a
    feature whose mean dwarfs its spread) shows up as a small pivot.
    """
    diagonal = np.diagonal(H)
    if not np.all(np.isfinite(H)) or np.any(diagonal <= 0):  # e.g. float32 overflow
        return math.inf
    scale = 1.0 / np.sqrt(diagonal)
    try:
        L = cholesky(H * scale[:, None] * scale)
    except LinAlgError:
        return math.inf
    return float(1.0 / np.min(np.diagonal(L)) ** 2)


# -- the loss ----------------------------------------------------------------------------------


@dataclass
class Scores:
    r"""The scores at one point, and what is derived from them, computed on first use.

    Attributes
    ----------
    X : ndarray
        The data, compared by identity (the solvers pass the same array at every call).
    w : ndarray
        A copy of the point.
    z : ndarray
        The scores :math:`\tilde X w`: shape (n,) (binary) or (n, K).
    p : ndarray or None
        The probabilities :math:`\sigma(z)` or :math:`\mathrm{softmax}(z)`.
    """

    X: np.ndarray
    w: np.ndarray
    z: np.ndarray
    p: np.ndarray | None = None

    def describes(self, w: np.ndarray, X: np.ndarray) -> bool:
        """Whether these are the scores of ``w`` on ``X``."""
        return self.X is X and np.array_equal(self.w, w)


class LogisticLoss(ABC):
    r"""The mean log-loss plus penalties (module docstring), with hand-derived derivatives.

    The methods ``loss``, ``gradient``, ``hessian``, ``line`` (and, binary only,
    ``gradient_and_hessian``) take ``(w, X, y)`` as :class:`~._iterative.Objective` expects;
    :meth:`objective` binds them into one. Use :func:`logistic_loss` to get the binary or the
    multinomial loss.

    Parameters
    ----------
    n_features : int
        :math:`p`.
    fit_intercept : bool
        Whether ``w`` ends with an intercept (which is never penalized).
    l2, l1 : float
        Penalty strengths on the mean scale: :math:`\frac{l_2}{2}\|w\|^2 + l_1\|w\|_1`.
    n_outputs : tuple, default=()
        ``(K,)`` for one row of coefficients per class (the multinomial loss).

    Attributes
    ----------
    shape : tuple
        The shape of ``w``.
    penalized : ndarray of shape ``shape``
        1 for a coefficient, 0 for the intercept.
    scores : Scores or None
        The cache: the scores of the last point asked about (module docstring).
    """

    #: Both derivatives at one point, for the solver's steps; None: not available.
    gradient_and_hessian: ClassVar[Any] = None

    def __init__(self, n_features: int, *, fit_intercept: bool, l2: float = 0.0,
                 l1: float = 0.0, n_outputs: tuple[int, ...] = ()) -> None:
        self.fit_intercept = fit_intercept
        self.l2 = l2
        self.l1 = l1
        self.shape = (*n_outputs, n_features + fit_intercept)
        self.penalized = np.ones(self.shape)
        if fit_intercept:
            self.penalized[..., -1] = 0.0
        self.scores: Scores | None = None

    # -- what the subclasses define --------------------------------------------------------

    @abstractmethod
    def _probabilities(self, scores: Scores) -> np.ndarray:
        """The probabilities from the scores."""

    @abstractmethod
    def _loss_sum(self, scores: Scores, y: np.ndarray,
                  sample_weight: np.ndarray | None) -> float:
        r""":math:`\sum_i s_i\ell_i` from the scores (:math:`s_i = 1` without weights)."""

    @abstractmethod
    def _differentiable_log_losses(self, z: Any, y: np.ndarray) -> Any:
        """The per-sample log-losses of traced scores, in :mod:`fromscratch.autodiff.numpy`."""

    @abstractmethod
    def hessian(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
                sample_weight: np.ndarray | None = None) -> np.ndarray:
        r""":math:`\nabla^2 f(w)` as a ``(w.size, w.size)`` matrix, in the precision of ``X``."""

    # -- the cache -------------------------------------------------------------------------

    def at(self, w: np.ndarray, X: np.ndarray) -> Scores:
        """The scores of ``w`` on ``X``: from the cache, or computed and cached."""
        if self.scores is None or not self.scores.describes(w, X):
            coef, intercept = split_intercept(w, self.fit_intercept)
            if not np.any(coef):  # e.g. the starting point: the scores are the intercepts
                z = np.zeros((X.shape[0], *coef.shape[:-1]), dtype=X.dtype) + intercept
            else:
                z = _scores(X, coef)
                z += intercept
            self.scores = Scores(X=X, w=w.copy(), z=z)
        return self.scores

    def probabilities(self, w: np.ndarray, X: np.ndarray) -> np.ndarray:
        """:math:`p = \\sigma(z)` (binary, shape (n,)) or the softmax of the scores (n, K)."""
        scores = self.at(w, X)
        if scores.p is None:
            scores.p = self._probabilities(scores)
        return scores.p

    # -- the objective ---------------------------------------------------------------------

    def _l2_term(self, w: np.ndarray) -> float:
        coef, _ = split_intercept(w, self.fit_intercept)
        return 0.5 * self.l2 * float(np.sum(coef * coef))

    def mean_log_loss(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
                      sample_weight: np.ndarray | None = None) -> float:
        r""":math:`\frac1n\sum_i s_i\ell_i`, the mean negative log-likelihood (no penalty);
        :math:`s_i = 1` without weights."""
        return self._loss_sum(self.at(w, X), y, sample_weight) / X.shape[0]

    def loss(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
             sample_weight: np.ndarray | None = None) -> float:
        """The smooth part :math:`f(w)`: the (weighted) mean log-loss plus the L2 term."""
        return self.mean_log_loss(w, X, y, sample_weight) + self._l2_term(w)

    def _residual(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
                  sample_weight: np.ndarray | None) -> np.ndarray:
        r""":math:`\partial(s_i\ell_i)/\partial z_i = s_i(p_i - y_i)` (a row per sample)."""
        residual = self.probabilities(w, X) - y
        if sample_weight is not None:
            residual *= sample_weight if residual.ndim == 1 else sample_weight[:, None]
        return residual

    def _penalized_gradient(self, Xt_residual: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
        r"""The gradient from :math:`\tilde X^\top(p - y)` (the shape of ``w``)."""
        return Xt_residual / n + (self.l2 * self.penalized * w).astype(w.dtype, copy=False)

    def gradient(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
                 sample_weight: np.ndarray | None = None) -> np.ndarray:
        r""":math:`\nabla f(w) = \frac1n\tilde X^\top(s \odot (p - y)) + l_2 w` (intercept
        unpenalized)."""
        residual = self._residual(w, X, y, sample_weight)  # dl/dz = p - y, weighted
        return self._penalized_gradient(self._Xt(residual, X, w), w, X.shape[0])

    def _Xt(self, residual: np.ndarray, X: np.ndarray, w: np.ndarray) -> np.ndarray:
        r""":math:`\tilde X^\top r` (:math:`R^\top\tilde X` for a matrix), the shape of ``w``."""
        Xt_residual = np.empty_like(w)
        coef_part, _ = split_intercept(Xt_residual, self.fit_intercept)
        coef_part[...] = _transposed_product(residual, X)
        if self.fit_intercept:
            Xt_residual[..., -1] = residual.sum(axis=0)
        return Xt_residual

    def line(self, w: np.ndarray, d: np.ndarray, X: np.ndarray, y: np.ndarray,
             sample_weight: np.ndarray | None = None) -> Callable[[float], tuple[float, float]]:
        r"""The objective on the line through ``w`` along ``d``, for Newton's line search:
        ``phi(t)`` is :math:`(f(w + td),\ d^\top\nabla f(w + td))`.

        The scores are affine in :math:`t`: :math:`z(w + td) = z(w) + t\,u` with
        :math:`u = \tilde X d`, so after the one product :math:`u` every ``phi(t)`` is
        elementwise work, and the slope is :math:`\frac1n\sum_i s_i(p_i - y_i)u_i` plus the
        penalty's :math:`l_2\, d^\top(w + td)` (intercept excluded). Each call leaves the scores
        of :math:`w + td` in the cache, where the gradient and Hessian at that point find them.
        """
        z = self.at(w, X).z
        coef_d, intercept_d = split_intercept(d, self.fit_intercept)
        u = _scores(X, coef_d)
        u += intercept_d
        n = X.shape[0]

        def phi(t: float) -> tuple[float, float]:
            v = w + t * d
            z_t = u * t
            z_t += z
            self.scores = Scores(X=X, w=v.copy(), z=z_t)
            loss_sum, slope_sum = self._line_sums(v, X, u, y, sample_weight)
            return (loss_sum / n + self._l2_term(v),
                    slope_sum / n + self.l2 * float(np.sum(self.penalized * v * d)))

        return phi

    def _line_sums(self, w: np.ndarray, X: np.ndarray, u: np.ndarray, y: np.ndarray,
                   sample_weight: np.ndarray | None) -> tuple[float, float]:
        r""":math:`\sum_i s_i\ell_i` and :math:`\sum_i s_i(p_i - y_i)u_i` at ``w`` (for
        :meth:`line`, which has just cached its scores)."""
        residual = self._residual(w, X, y, sample_weight)
        return self._loss_sum(self.at(w, X), y, sample_weight), float(np.vdot(residual, u))

    def differentiable_loss(self, w: Any, X: np.ndarray, y: np.ndarray,
                            sample_weight: np.ndarray | None = None) -> Any:
        """The smooth objective again, in :mod:`fromscratch.autodiff.numpy` operations."""
        import fromscratch.autodiff.numpy as anp

        coef, intercept = split_intercept(w, self.fit_intercept)
        z = X @ (coef.T if len(self.shape) == 2 else coef) + intercept
        losses = self._differentiable_log_losses(z, y)
        if sample_weight is not None:
            losses = losses * sample_weight
        return anp.mean(losses) + 0.5 * self.l2 * anp.sum(coef * coef)

    def objective(self, gradient: str = "analytic") -> Objective:
        """The :class:`~._iterative.Objective` the solvers take, from this loss's methods.

        ``gradient="autodiff"`` takes the gradient by reverse-mode automatic differentiation of
        :meth:`differentiable_loss` instead of the formula (the Hessian stays the formula's).
        """
        if check_choice(gradient, "gradient", ("analytic", "autodiff")) == "autodiff":
            gradient_function = autodiff_gradient(self.differentiable_loss)
            fused = None  # the fused pass computes the hand-derived gradient
        else:
            gradient_function, fused = self.gradient, self.gradient_and_hessian
        return Objective(loss=self.loss, gradient=gradient_function, hessian=self.hessian,
                         l1=self.l1 * self.penalized if self.l1 > 0 else None, line=self.line,
                         gradient_and_hessian=fused)


class BinaryLogisticLoss(LogisticLoss):
    """Two classes: ``w`` is the vector :math:`(w_1..w_p, b)`, ``y`` holds 0/1."""

    def __init__(self, n_features: int, *, fit_intercept: bool, l2: float = 0.0,
                 l1: float = 0.0) -> None:
        super().__init__(n_features, fit_intercept=fit_intercept, l2=l2, l1=l1)
        self._design: tuple[np.ndarray, np.ndarray] | None = None  # (X, its float32 design)

    def _probabilities(self, scores: Scores) -> np.ndarray:
        z = scores.z
        p = np.empty_like(z)
        for c in _chunks(z.shape[0]):
            p[c] = _sigmoid_from(z[c], _exp_minus_abs(z[c]))
        return p

    def _loss_sum(self, scores: Scores, y: np.ndarray,
                  sample_weight: np.ndarray | None) -> float:
        z = scores.z
        return float(sum(_weighted_sum(_log_losses(z[c], _exp_minus_abs(z[c]), y[c]),
                                       _part(sample_weight, c)) for c in _chunks(z.shape[0])))

    def _line_sums(self, w: np.ndarray, X: np.ndarray, u: np.ndarray, y: np.ndarray,
                   sample_weight: np.ndarray | None) -> tuple[float, float]:
        # One pass over the samples for both sums, chunk by chunk (SAMPLE_CHUNK).
        z = self.at(w, X).z
        loss_sum = slope_sum = 0.0
        for c in _chunks(z.shape[0]):
            e = _exp_minus_abs(z[c])
            weight = _part(sample_weight, c)
            loss_sum += _weighted_sum(_log_losses(z[c], e, y[c]), weight)
            residual = _sigmoid_from(z[c], e)
            residual -= y[c]
            slope_sum += _weighted_sum(residual * u[c], weight)
        return loss_sum, slope_sum

    def _differentiable_log_losses(self, z: Any, y: np.ndarray) -> Any:
        import fromscratch.autodiff.numpy as anp

        return anp.softplus(z) - y * z

    def hessian(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
                sample_weight: np.ndarray | None = None) -> np.ndarray:
        r""":math:`\tilde X^\top S\tilde X/n` + penalty, in the precision of ``X``."""
        return self._derivatives(w, X, y, sample_weight, for_steps=False)[1]

    def gradient_and_hessian(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
                             sample_weight: np.ndarray | None = None
                             ) -> tuple[np.ndarray, np.ndarray]:
        """The gradient and the Hessian for Newton's steps, from one pass over the samples'
        probabilities (the Hessian possibly in single precision: :meth:`_derivatives`)."""
        return self._derivatives(w, X, y, sample_weight, for_steps=True)

    def _derivatives(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
                     sample_weight: np.ndarray | None, *,
                     for_steps: bool) -> tuple[Any, np.ndarray]:
        r"""The Hessian :math:`\tilde X^\top S\tilde X/n` + penalty (:func:`_weighted_gram`),
        and for Newton's steps (``for_steps``) the gradient at the same point.

        **Mixed precision.** For the steps, float64 data are multiplied in float32, which runs
        twice as fast (twice the numbers per SIMD instruction): the gradient, in float64,
        decides where Newton's method stops (at :math:`\nabla f = 0`), while the Hessian only
        shapes the steps. Its relative error (about :math:`10^{-7}`) perturbs a step by that
        times the condition number :math:`\kappa` of the Hessian scaled to unit diagonal, so
        convergence is unchanged while :math:`\kappa` is moderate; above
        ``SINGLE_PRECISION_MAX_CONDITION`` (estimated by :func:`_condition_lower_bound`) the
        Hessian is accumulated again in float64. :meth:`hessian` (standard errors, tests) is
        always the float64 one. The float32 Hessians read one float32 copy of the design
        (:meth:`_single_precision_design`), half the bytes of ``X``, made at the first of them
        instead of converting ``X`` at every one.
        """
        z = self.at(w, X).z
        n = X.shape[0]
        # One pass over the samples (SAMPLE_CHUNK) for the Hessian's row scales
        # sqrt(s_i p_i (1 - p_i)) and, for the steps, the gradient's residuals s_i (p_i - y_i).
        root_s = np.empty_like(z)
        residual = np.empty_like(z) if for_steps else None
        for c in _chunks(n):
            p = _sigmoid_from(z[c], _exp_minus_abs(z[c]))
            weight = _part(sample_weight, c)
            curvature = 1.0 - p
            curvature *= p
            if weight is not None:
                curvature *= weight
            np.sqrt(curvature, out=root_s[c])
            if residual is not None:
                part = np.subtract(p, y[c], out=residual[c])
                if weight is not None:
                    part *= weight
        gradient = (None if residual is None
                    else self._penalized_gradient(self._Xt(residual, X, w), w, n))

        def accumulate(dtype: Any, design: np.ndarray | None = None) -> np.ndarray:
            H = _weighted_gram(X, root_s, fit_intercept=self.fit_intercept, dtype=dtype,
                               design=design)
            H /= n
            H[np.diag_indices_from(H)] += self.l2 * self.penalized
            return H

        if not (for_steps and X.dtype == np.float64):
            return gradient, accumulate(X.dtype)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow: the guard's inf
            H = accumulate(np.float32, self._single_precision_design(X))
        if _condition_lower_bound(H) > SINGLE_PRECISION_MAX_CONDITION:
            H = accumulate(X.dtype)
        return gradient, H

    def _single_precision_design(self, X: np.ndarray) -> np.ndarray:
        """:func:`_padded_design` of ``X`` in float32, made on first use and kept while the
        data are ``X`` (by identity, as the scores are)."""
        if self._design is None or self._design[0] is not X:
            self._design = (X, _padded_design(X, fit_intercept=self.fit_intercept,
                                              dtype=np.float32))
        return self._design[1]


class MultinomialLogisticLoss(LogisticLoss):
    r""":math:`K \ge 3` classes: ``w`` is a :math:`K \times (p+1)` matrix (one row per class,
    intercept last) and ``y`` is the one-hot :math:`n\times K` matrix :math:`Y`."""

    def __init__(self, n_features: int, n_classes: int, *, fit_intercept: bool,
                 l2: float = 0.0, l1: float = 0.0) -> None:
        super().__init__(n_features, fit_intercept=fit_intercept, l2=l2, l1=l1,
                         n_outputs=(n_classes,))

    def _probabilities(self, scores: Scores) -> np.ndarray:
        return softmax(scores.z)

    def _loss_sum(self, scores: Scores, y: np.ndarray,
                  sample_weight: np.ndarray | None) -> float:
        losses = -np.sum(y * log_softmax(scores.z), axis=1)  # log sum e^z - z_y
        return _weighted_sum(losses, sample_weight)

    def _differentiable_log_losses(self, z: Any, y: np.ndarray) -> Any:
        import fromscratch.autodiff.numpy as anp

        return -anp.sum(y * anp.log_softmax(z, axis=1), axis=1)

    def hessian(self, w: np.ndarray, X: np.ndarray, y: np.ndarray,
                sample_weight: np.ndarray | None = None) -> np.ndarray:
        r"""Blocks :math:`\frac1n\tilde X^\top\mathrm{diag}(s\odot(p_k\delta_{kl} -
        p_kp_l))\tilde X` + penalty, in the order of ``w.ravel()`` (class by class)."""
        P = self.probabilities(w, X)
        n = X.shape[0]
        K, q = P.shape[1], w.shape[1]
        Xt = _append_ones(X) if self.fit_intercept else X
        XtT = np.ascontiguousarray(Xt.T)  # (q, n), C order: a fast BLAS layout
        H = np.empty((K * q, K * q), dtype=X.dtype)
        for k in range(K):
            for l in range(k, K):
                # weights p_k δ_kl - p_k p_l: the softmax Jacobian, off-diagonal included
                weights = P[:, k] * ((k == l) - P[:, l])
                if sample_weight is not None:
                    weights *= sample_weight
                block = (XtT @ (Xt * weights[:, None])) / n
                H[k * q : (k + 1) * q, l * q : (l + 1) * q] = block
                H[l * q : (l + 1) * q, k * q : (k + 1) * q] = block.T
        H[np.diag_indices_from(H)] += self.l2 * self.penalized.ravel()
        return H


def logistic_loss(n_features: int, n_classes: int, *, fit_intercept: bool, l2: float = 0.0,
                  l1: float = 0.0) -> LogisticLoss:
    """The binary loss for two classes, the multinomial one for more."""
    if n_classes == 2:
        return BinaryLogisticLoss(n_features, fit_intercept=fit_intercept, l2=l2, l1=l1)
    return MultinomialLogisticLoss(n_features, n_classes, fit_intercept=fit_intercept, l2=l2,
                                   l1=l1)


class PerfectSeparationWarning(UserWarning):
    """The classes are (quasi-)separated: without a penalty the MLE does not exist."""


def separates(z: np.ndarray, index: np.ndarray) -> bool:
    r"""Whether the scores ``z`` put every sample strictly on its own class's side: the sign of
    the log-odds :math:`z_i` (binary, ``index`` 0/1), or the class's own score above every
    other (multinomial, one column per class). Then, without a penalty, the likelihood keeps
    growing along the coefficients and its maximum does not exist."""
    if z.ndim == 1:
        return bool(np.all(np.where(index == 1, z, -z) > 0))
    rows = np.arange(z.shape[0])
    own = z[rows, index]
    others = z.copy()
    others[rows, index] = -np.inf
    return bool(np.all(own > others.max(axis=1)))


def _saturation_limit(dtype: Any) -> float:
    r""":math:`-\log(10\varepsilon)`: the score beyond which :math:`\sigma(z)` is within
    :math:`10\varepsilon` of 0 or 1 (33.7 in float64, 13.6 in float32)."""
    return -math.log(10 * np.finfo(dtype).eps)


def saturated(z: np.ndarray) -> int:
    r"""How many binary scores ``z`` give a fitted probability within :math:`10\varepsilon` of 0
    or 1 (:func:`_saturation_limit`). R's ``glm`` warns of them after a fit: the mark of
    quasi-complete separation (some samples separated, others not), where the MLE does not
    exist, which :func:`separates` cannot see."""
    return int(np.count_nonzero(np.abs(z) > _saturation_limit(z.dtype)))


def warn_if_saturated(count: int, n_samples: int, dtype: Any) -> None:
    """The warning after an unpenalized binary fit with ``count`` of ``n_samples`` saturated
    scores (:func:`saturated`), as a :class:`PerfectSeparationWarning`."""
    if count:
        warn_at_caller(
            f"{count} of {n_samples} training samples have fitted probabilities numerically 0 "
            f"or 1 (|log-odds| > {_saturation_limit(dtype):.1f}). The classes are probably "
            "quasi-separated: then the likelihood keeps increasing as some coefficients grow, "
            "the maximum likelihood estimate does not exist, and the size of the coefficients "
            "(their odds ratios, standard errors) means nothing. Use a penalty (finite C); a "
            "feature with extreme values can also cause this (R's glm warns alike).",
            PerfectSeparationWarning)
