r"""Newton's method for binary logistic regression — iteratively reweighted least squares — as
the textbook writes it: the reference form of ``LogisticRegression(solver="newton")``.

The estimator's Newton path is faster and harder to read: it caches the scores between the
loss, the gradient and the Hessian (:class:`~._logistic_loss.BinaryLogisticLoss`), accumulates
the Hessian over cache-sized blocks in single precision, searches along the line on affine
scores and lengthens full steps (:func:`~._iterative.newton`). :func:`newton_irls` is the
algorithm without any of that, in float64, line by line as its docstring states it; the tests
check that the fast path reaches the same coefficients on random problems, and the tour shows
its source where it teaches the method.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from fromscratch._kernels import replaceable
from fromscratch._validation import check_scalar, check_X_y
from fromscratch.exceptions import ConvergenceWarning, warn_at_caller
from fromscratch.linalg import LinAlgError, cho_solve, cholesky
from fromscratch.linear_model._logistic_loss import sigmoid

__all__ = ["newton_irls", "logistic_gradient", "irls_step"]

EPS = float(np.finfo(np.float64).eps)


def _check_problem(X: Any, y: Any, C: float, fit_intercept: bool, tol: float,
                   max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """X and y as float64 arrays, y of 0/1 labels; the hyper-parameters checked."""
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise TypeError(f"fit_intercept must be True or False; got {fit_intercept!r}.")
    X, y = check_X_y(X, y, dtype=np.float64)
    y = y.astype(np.float64)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold the labels 0 and 1; got the values {np.unique(y)[:5]}.")
    check_scalar(C, "C", min_val=0.0, include_min=False, allow_inf=True)
    check_scalar(tol, "tol", min_val=0.0)
    check_scalar(max_iter, "max_iter", kind=int, min_val=1)
    return X, y


@replaceable
def logistic_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray,
                      lam: np.ndarray) -> np.ndarray:
    r"""The gradient of the penalized mean log-loss of logistic regression, by hand.

    .. math::

        F(w) = \frac1n\sum_{i=1}^n \left[\log(1 + e^{z_i}) - y_i z_i\right]
        + \frac12 \sum_j \lambda_j w_j^2, \qquad z = Xw,

    .. math::

        \frac{\partial F}{\partial w_j} = \frac1n\sum_{i=1}^n (p_i - y_i)\, x_{ij}
        + \lambda_j w_j, \qquad \nabla F = \frac1n X^\top (p - y) + \Lambda w,
        \qquad p = \sigma(Xw).

    Per sample, :math:`\partial/\partial z_i [\log(1 + e^{z_i}) - y_i z_i] = \sigma(z_i) - y_i`
    (the derivative of :math:`\log(1 + e^z)` is :math:`e^z/(1 + e^z) = \sigma(z)`), and
    :math:`\partial z_i/\partial w_j = x_{ij}` (the chain rule). The result has the form of
    the least-squares gradient with the prediction :math:`p = \sigma(Xw)` in place of
    :math:`Xw`. The intercept is a coefficient like the others, with a column of ones in
    :math:`X` and :math:`\lambda_j = 0`: it is not penalized.

    Parameters
    ----------
    w : ndarray of shape (q,)
        Coefficients (the intercept last when there is one).
    X : ndarray of shape (n, q)
        The design :math:`\tilde X` (its last column all ones when there is an intercept).
    y : ndarray of shape (n,)
        Labels 0 and 1.
    lam : ndarray of shape (q,)
        The penalty of each coefficient, the diagonal of :math:`\Lambda` (0 for the intercept).

    Returns
    -------
    grad : ndarray of shape (q,)
    """
    p = sigmoid(X @ w)
    return X.T @ (p - y) / X.shape[0] + lam * w


@replaceable
def irls_step(w: np.ndarray, X: np.ndarray, y: np.ndarray, lam: np.ndarray) -> np.ndarray:
    r"""One step of Newton's method for logistic regression: iteratively reweighted least
    squares (IRLS).

    With :math:`p = \sigma(Xw)`, :math:`g = \nabla F(w)` (:func:`logistic_gradient`) and the
    Hessian

    .. math::

        H = \frac1n X^\top W X + \Lambda, \qquad W = \mathrm{diag}\big(p_i(1 - p_i)\big),

    the Newton step :math:`d` minimizes the quadratic model
    :math:`F(w) + g^\top d + \tfrac12 d^\top H d`: it solves :math:`H d = -g` (here by
    Cholesky, :math:`H = LL^\top`). :math:`H` differentiates :math:`g` once more:
    :math:`\partial p_i/\partial w = p_i(1 - p_i)\, x_i` because :math:`\sigma' =
    \sigma(1 - \sigma)`. Without a penalty, :math:`w + d` is the weighted least-squares fit
    of the working response :math:`Xw + W^{-1}(y - p)` with weights :math:`W`, hence the name.

    Parameters
    ----------
    w, X, y, lam
        As for :func:`logistic_gradient`.

    Returns
    -------
    d : ndarray of shape (q,)
        The Newton direction: the step is :math:`w + t d` (:math:`t = 1` near the minimum).
    """
    p = sigmoid(X @ w)
    H = (X.T * (p * (1 - p))) @ X / X.shape[0] + np.diag(lam)
    return cho_solve(cholesky(H), -logistic_gradient(w, X, y, lam))


def newton_irls(
    X: Any, y: Any, *, C: float = 1.0, fit_intercept: bool = True, tol: float = 1e-8,
    max_iter: int = 100,
) -> tuple[np.ndarray, float, int]:
    r"""Fit binary logistic regression by Newton's method (IRLS), in plain float64.

    Minimizes the objective of :class:`~fromscratch.linear_model.LogisticRegression` on the
    mean scale (two classes, L2 penalty, intercept unpenalized),

    .. math::

        F(w) = \frac1n\sum_{i=1}^n \left[\log(1 + e^{z_i}) - y_i z_i\right]
        + \frac12 w^\top \Lambda w, \qquad z = \tilde X w,\; \tilde X = [X, 1],

    with :math:`\Lambda = \frac{1}{Cn}\mathrm{diag}(1, \dots, 1, 0)` (0 for the intercept; no
    penalty for ``C=np.inf``). Starting from :math:`w = 0`, each iteration computes

    .. math::

        p = \sigma(\tilde X w), \qquad g = \frac1n \tilde X^\top (p - y) + \Lambda w, \qquad
        W = \mathrm{diag}\big(p_i(1 - p_i)\big), \qquad
        H = \frac1n \tilde X^\top W \tilde X + \Lambda,

    (:func:`logistic_gradient`), stops when :math:`\max_j |g_j| \le` ``tol``, else solves
    :math:`H d = -g` by Cholesky (:func:`irls_step`: :math:`H = LL^\top`, two triangular
    solves) and steps to :math:`w + t d` with the first
    :math:`t \in \{1, \frac12, \frac14, \dots\}` that lowers :math:`F` by at least
    :math:`10^{-4}\, t\, g^\top d` (Armijo, up to the rounding of :math:`F`; near the minimum
    :math:`t = 1`).

    Why *reweighted least squares*: without a penalty the full step solves
    :math:`\tilde X^\top W \tilde X\, w_{\text{new}} = \tilde X^\top W \zeta` with the working
    response :math:`\zeta = \tilde X w + W^{-1}(y - p)` — a weighted least-squares fit, whose
    weights :math:`W` are recomputed at every iteration.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Labels 0 and 1.
    C : float, default=1.0
        Inverse penalty strength (scikit-learn's); ``np.inf`` for none.
    fit_intercept : bool, default=True
    tol : float, default=1e-8
        On the largest component of the gradient.
    max_iter : int, default=100

    Returns
    -------
    coef : ndarray of shape (n_features,)
    intercept : float
        0.0 without ``fit_intercept``.
    n_iter : int
        Newton steps taken.

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` steps did not bring :math:`\max_j|g_j|` to ``tol``.

    Raises
    ------
    LinAlgError
        When :math:`H` is singular, e.g. collinear features without a penalty.

    Notes
    -----
    Without a penalty, separated classes have no minimum: the iterates grow until the gradient
    falls below ``tol``. The estimator detects that (``PerfectSeparationWarning``); this
    reference form does not.
    """
    X, y = _check_problem(X, y, C, fit_intercept, tol, max_iter)
    n = X.shape[0]
    X1 = np.column_stack([X, np.ones(n)]) if fit_intercept else X  # X̃
    lam = np.full(X1.shape[1], 0.0 if math.isinf(C) else 1.0 / (C * n))  # diagonal of Λ
    if fit_intercept:
        lam[-1] = 0.0  # the intercept is not penalized

    def F(w: np.ndarray) -> float:
        z = X1 @ w
        return float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(lam * w * w))

    w = np.zeros(X1.shape[1])
    for n_iter in range(max_iter + 1):
        g = logistic_gradient(w, X1, y, lam)
        if np.max(np.abs(g)) <= tol:
            break
        if n_iter == max_iter:
            warn_at_caller(f"Newton/IRLS did not converge in max_iter={max_iter} iterations "
                           f"(max|g| = {np.max(np.abs(g)):.3g} > tol={tol:g}).",
                           ConvergenceWarning)
            break
        try:
            d = irls_step(w, X1, y, lam)
        except LinAlgError as exc:
            raise LinAlgError("The Hessian is singular: without a penalty, the features may be "
                              "collinear; use a finite C.") from exc
        # Armijo's test, allowing for the rounding of F (near the minimum the decrease is
        # below it, and the test would otherwise reject the full step by chance)
        t, F_w = 1.0, F(w)
        while F(w + t * d) > F_w + 1e-4 * t * (g @ d) + 64 * EPS * abs(F_w) and t > 1e-10:
            t /= 2
        w = w + t * d
    coef, intercept = (w[:-1], float(w[-1])) if fit_intercept else (w, 0.0)
    return coef, intercept, n_iter
