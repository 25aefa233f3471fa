r"""Non-negative least squares by Lawson and Hanson's active-set method: :func:`nnls`.

.. math:: \min_x \|Ax - b\|_2^2 \quad\text{subject to}\quad x \ge 0 .

**Optimality (KKT).** With the *negative* gradient :math:`g = A^\top(b - Ax)`, a feasible
:math:`x` is the solution exactly when, for every :math:`j`,

.. math:: x_j \ge 0, \qquad g_j \le 0, \qquad x_j\, g_j = 0 :

on the *passive* set :math:`P = \{j : x_j > 0\}` the gradient vanishes (there :math:`x` is the
unconstrained least-squares solution in those columns), and on the *active* set
:math:`Z = \{j : x_j = 0\}` moving :math:`x_j` up would not lower the residual. The problem is
convex, so these conditions are also sufficient.

**The active-set method** (Lawson & Hanson, *Solving Least Squares Problems*, 1974, ch. 23)
guesses :math:`P`, solves the unconstrained problem on it, and repairs the guess:

1. Start with :math:`x = 0`, :math:`P = \emptyset`.
2. :math:`g = A^\top(b - Ax)`. If no :math:`j \in Z` has :math:`g_j > \mathrm{tol}`, stop: the
   KKT conditions hold.
3. Move the most violating :math:`t = \arg\max_{j\in Z} g_j` into :math:`P`.
4. Solve :math:`z = \arg\min_z \|A_P z - b\|_2` (least squares on the passive columns,
   :math:`z_Z = 0`). If every :math:`z_j > 0` on :math:`P`, set :math:`x = z` and go to 2.
5. Otherwise walk from :math:`x` towards :math:`z` only as far as feasibility allows,
   :math:`x \leftarrow x + \alpha(z - x)` with
   :math:`\alpha = \min_{j \in P,\, z_j \le 0} x_j/(x_j - z_j)`; the variables that reach 0 go
   back to :math:`Z`; return to 4 with the smaller :math:`P`.

Each pass of 2–5 lowers the residual strictly and no passive set repeats, so the method ends
after finitely many steps. Two safeguards keep it finite in floating point, as in Lawson and
Hanson's code: the test in 2 has a tolerance on the scale of :math:`|a_j^\top b|`, and a
variable whose least-squares value in 4 is not positive when it enters (a column dependent on
the passive ones, or rounding) is not admitted; another candidate is tried.

**One QR first.** All of this only needs :math:`A^\top A` and :math:`A^\top b`, so with the
Householder QR :math:`A = QR` (:class:`HouseholderQR`) and
:math:`c = Q^\top b`, :math:`\|Ax - b\|^2 = \|Rx - c\|^2 + \mathrm{const}` and the method runs
on the small :math:`R` (at most :math:`p \times p`) instead of the tall :math:`A`: each
subproblem in 4 is a QR of a few columns of :math:`R`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar
from fromscratch.exceptions import ConvergenceWarning, warn_at_caller
from fromscratch.linalg._common import _as_matrix, _common_float
from fromscratch.linalg._qr import HouseholderQR
from fromscratch.linalg._triangular import solve_triangular

__all__ = ["nnls", "lawson_hanson"]


def _passive_solution(R: np.ndarray, c: np.ndarray, passive: np.ndarray) -> np.ndarray | None:
    r"""Step 4: :math:`z = \arg\min \|R_P z - c\|` with :math:`z_Z = 0`, by QR of the passive
    columns; ``None`` when they are (numerically) dependent."""
    columns = np.flatnonzero(passive)
    z = np.zeros(R.shape[1], dtype=R.dtype)
    if columns.size == 0:
        return z
    R_P = R[:, columns]
    if R_P.shape[0] < columns.size:  # more passive columns than rows: dependent
        return None
    fact = HouseholderQR(R_P)
    T = fact.r
    norms = np.sqrt(np.einsum("ij,ij->j", R_P, R_P))
    if np.any(np.abs(np.diagonal(T)) <= max(R_P.shape) * np.finfo(R.dtype).eps * norms):
        return None
    z[columns] = solve_triangular(T, fact.apply_qt(c)[: columns.size])
    return z


def lawson_hanson(
    R: np.ndarray,
    c: np.ndarray,
    *,
    tol: float | None = None,
    max_iter: int | None = None,
    callback: Callable[[np.ndarray, np.ndarray], Any] | None = None,
) -> tuple[np.ndarray, int]:
    r"""Steps 1–5 of the module docstring on :math:`\min_{x \ge 0} \|Rx - c\|_2`, for the
    factor :math:`R` and :math:`c = Q^\top b` of a QR of :math:`A` (:func:`nnls` makes them);
    return ``(x, n_iter)``, ``n_iter`` the passes through step 3.

    ``tol`` defaults to :math:`10\max(k, n)\,\varepsilon\,\max_j\|r_j\|_2\|c\|_2`, the
    rounding level of the negative gradient :math:`R^\top(c - Rx) = A^\top(b - Ax)`, whose
    entries are at most :math:`\|r_j\|\|c\|` at the iterates (the residual never grows);
    ``max_iter`` to :math:`3n` passes, SciPy's. ``callback(x, passive)`` is called after every
    change of :math:`x` (the full steps of 4 and the partial steps of 5) with a copy of
    :math:`x` and of the passive-set mask. Running out of ``max_iter`` passes warns
    :class:`~fromscratch.exceptions.ConvergenceWarning`.
    """
    R = check_array(R, name="R", ensure_min_samples=0, ensure_min_features=0)
    c = check_array(c, name="c", ensure_2d=False, ensure_min_samples=0)
    if c.shape != R.shape[:1]:
        raise ValueError(f"c must be 1-D with one entry per row of R ({R.shape[0]}); got shape "
                         f"{c.shape}.")
    dtype = _common_float(R, c)
    R, c = R.astype(dtype, copy=False), c.astype(dtype, copy=False)
    n = R.shape[1]
    if max_iter is None:
        max_iter = 3 * n
    max_iter = check_scalar(max_iter, "max_iter", kind=int, min_val=0)
    if tol is None:
        column_norm = float(np.sqrt(np.max(np.einsum("ij,ij->j", R, R), initial=0.0)))
        tol = 10 * max(R.shape) * np.finfo(R.dtype).eps * column_norm * float(np.sqrt(c @ c))
    tol = check_scalar(tol, "tol", min_val=0.0)
    x = np.zeros(n, dtype=R.dtype)
    passive = np.zeros(n, dtype=bool)
    g = R.T @ c  # the negative gradient at x = 0
    n_iter = 0
    while True:
        candidates = ~passive & (g > tol)
        if not candidates.any():
            break
        if n_iter >= max_iter:
            warn_at_caller(
                f"Non-negative least squares stopped after max_iter={max_iter} active-set "
                f"iterations with a KKT violation of {float(np.max(g[candidates])):.3g} > "
                f"tol={tol:.3g}; increase max_iter.",
                ConvergenceWarning,
            )
            break
        t = int(np.argmax(np.where(candidates, g, -np.inf)))  # step 3
        passive[t] = True
        z = _passive_solution(R, c, passive)
        if z is None or z[t] <= 0:  # t cannot enter: dependent, or rounding; try another
            passive[t] = False
            g[t] = 0.0
            continue
        n_iter += 1
        while np.any(z[passive] <= 0):  # step 5: back to feasibility
            blocking = passive & (z <= 0)
            ratios = x[blocking] / (x[blocking] - z[blocking])
            alpha = float(np.min(ratios))
            x += alpha * (z - x)
            leaving = np.flatnonzero(blocking)[ratios <= alpha]  # those that reached 0
            passive[leaving] = False
            passive &= x > 0
            x[~passive] = 0.0
            if callback is not None:
                callback(x.copy(), passive.copy())
            z = _passive_solution(R, c, passive)
            assert z is not None  # fewer columns of an independent set are independent
        x = z
        if callback is not None:
            callback(x.copy(), passive.copy())
        g = R.T @ (c - R @ x)  # step 2
    return x, n_iter


def nnls(
    A: Any,
    b: Any,
    *,
    max_iter: int | None = None,
    tol: float | None = None,
    callback: Callable[[np.ndarray, np.ndarray], Any] | None = None,
) -> tuple[np.ndarray, float]:
    r"""Non-negative least squares, :math:`\arg\min_{x \ge 0}\|Ax - b\|_2`, by Lawson and
    Hanson's active-set method (see the module docstring for the steps and the optimality
    conditions). ``scipy.optimize.nnls`` runs the same algorithm.

    Parameters
    ----------
    A : array-like of shape (m, n)
    b : array-like of shape (m,)
    max_iter : int, optional
        Passes through the method (each admits one variable); default :math:`3n`, SciPy's.
    tol : float, optional
        A variable of the active set is admitted when its negative gradient exceeds ``tol``;
        by default the rounding level of the gradient (:func:`lawson_hanson`).
    callback : callable ``(x, passive) -> None``, optional
        Called after every change of :math:`x` with the iterate and the mask of the passive
        set: the active set step by step (the tour draws it).

    Returns
    -------
    x : ndarray of shape (n,)
        The solution, :math:`x \ge 0`.
    rnorm : float
        The residual norm :math:`\|Ax - b\|_2`.

    Warns
    -----
    ConvergenceWarning
        ``max_iter`` passes did not reach the KKT conditions.

    Examples
    --------
    >>> import numpy as np
    >>> x, rnorm = nnls(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), np.array([2.0, 1.0, -1.0]))
    >>> np.round(x, 12).tolist(), round(rnorm, 6)
    ([1.5, 0.0], 1.224745)
    """
    A = _as_matrix(A, "A")
    b = check_array(b, name="b", ensure_2d=False)
    if b.ndim != 1 or b.shape[0] != A.shape[0]:
        raise ValueError(
            f"b must be 1-D with one entry per row of A ({A.shape[0]}); got shape {b.shape}."
        )
    fact = HouseholderQR(A.astype(_common_float(A, b), copy=False))  # float32 only if both are
    R = fact.r
    x, _ = lawson_hanson(R, fact.apply_qt(b)[: R.shape[0]], tol=tol, max_iter=max_iter,
                         callback=callback)
    residual = A @ x - b
    return x, float(np.sqrt(residual @ residual))
