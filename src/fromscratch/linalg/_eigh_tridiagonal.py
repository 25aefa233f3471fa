r"""The symmetric tridiagonal eigenproblem :math:`T = Z\Lambda Z^\top`: the implicit QR algorithm
(:func:`tridiagonal_qr`) and divide and conquer (:func:`tridiagonal_eigh`), the second phase of
:func:`~fromscratch.linalg.eigh`.

:math:`T` has diagonal :math:`d` and off-diagonal :math:`e`. The QR algorithm is described in
:mod:`fromscratch.linalg._eigh` (GvL Algorithms 8.3.2–8.3.3); it solves the small blocks at the
bottom of the recursion below.

**Divide** (Cuppen 1981; GvL §8.4.4). Cut :math:`T` after row :math:`h` and take the coupling
:math:`\beta = e_{h-1}` out as a rank-one term:

.. math::
    T = \begin{bmatrix} \hat T_1 & 0 \\ 0 & \hat T_2 \end{bmatrix} + |\beta|\,v v^\top,
    \qquad v = \begin{bmatrix} e_h \\ \operatorname{sign}(\beta)\, e_1 \end{bmatrix},

where :math:`\hat T_1` is the leading block with :math:`|\beta|` subtracted from its last
diagonal entry and :math:`\hat T_2` the trailing block with :math:`|\beta|` subtracted from its
first.

**Conquer.** With :math:`\hat T_i = Q_i D_i Q_i^\top` solved recursively,
:math:`T = Q\,(D + \rho zz^\top)\,Q^\top` with :math:`Q = \mathrm{diag}(Q_1, Q_2)`,
:math:`z = Q^\top v/\sqrt2` (the last row of :math:`Q_1` and the signed first row of
:math:`Q_2`; :math:`\|z\| = 1`) and :math:`\rho = 2|\beta|`. What remains is the eigenproblem of
a diagonal matrix plus a rank-one matrix, solved by the three steps of :func:`_merge`:

1. **Deflation** (LAPACK ``laed2``), with :math:`\mathrm{tol} = 8\varepsilon\max(\max_i|d_i|,
   \rho)`. If :math:`\rho|z_i| \le \mathrm{tol}`, :math:`(d_i, e_i)` is an eigenpair to working
   accuracy. If two poles are close, :math:`|(d_j - d_i)\,cs| \le \mathrm{tol}` for the
   rotation :math:`c = z_j/r`, :math:`s = -z_i/r`, :math:`r = \sqrt{z_i^2 + z_j^2}` in the plane
   :math:`(i, j)`, the rotation zeros :math:`z_i` and :math:`d_i` is deflated (this is what
   repeated eigenvalues meet). The :math:`k` poles left are distinct and have weights
   :math:`z_i \ne 0`.
2. **The secular equation.** The eigenvalues of :math:`D + \rho zz^\top` are the roots of

   .. math:: f(\lambda) = 1 + \rho\sum_{i=1}^k \frac{z_i^2}{d_i - \lambda} = 0,

   one in each interval :math:`(d_j, d_{j+1})` and the last in :math:`(d_k, d_k + \rho]`;
   :math:`f` increases from :math:`-\infty` to :math:`+\infty` on each. Root :math:`j` is
   computed as :math:`\lambda_j = d_o + \tau_j` relative to its nearer pole :math:`d_o` (the
   sign of :math:`f` at the interval's midpoint tells which), so that every difference
   :math:`d_i - \lambda_j = (d_i - d_o) - \tau_j` is accurate to working precision. Each step
   (Li's "middle way", a rational interpolation) replaces the sums over the poles left and
   right of the root, :math:`\psi` and :math:`\varphi`, by one pole each that matches value and
   slope at the current iterate, :math:`\psi \approx a + b_1/(d_j - \lambda)`,
   :math:`\varphi \approx c + b_2/(d_{j+1} - \lambda)`, and solves the resulting quadratic
   (:func:`_two_pole_step`); the root stays bracketed (a step leaving the bracket is replaced
   by bisection). The first step starts from the midpoint with the two nearest poles exact and
   the others frozen there. All :math:`k` roots iterate at once as arrays, until
   :math:`|f|` is at the level of its rounding errors,
   :math:`|f| \le \varepsilon\,(c_k(1 + \rho\sum_i z_i^2/|d_i - \lambda|) + 2|\tau| f')`
   with :math:`c_k = 8 + 2\log_2 k`, a bound on the rounding errors of evaluating :math:`f`
   (each term is exact to a few ulps; pairwise summation adds :math:`\log_2 k` more), the last
   term because :math:`\tau` itself is known to one ulp only.
3. **Eigenvectors** (Gu & Eisenstat 1995). The eigenvector of root :math:`\lambda_j` is
   :math:`u_j \propto (D - \lambda_j I)^{-1}\hat z`, with :math:`\hat z` not the computed
   :math:`z` but the vector for which the computed roots are *exact* (Löwner's formula):

   .. math::
       \hat z_i^2 = \frac{\lambda_k - d_i}{\rho}
       \prod_{j<i}\frac{\lambda_j - d_i}{d_j - d_i}
       \prod_{j=i}^{k-1}\frac{\lambda_j - d_i}{d_{j+1} - d_i},

   each factor in :math:`(0, 1]` by interlacing; :math:`\hat z_i` takes the sign of
   :math:`z_i`. The :math:`u_j` are then orthogonal to working precision even for close roots
   (with the computed :math:`z` they need not be), and :math:`Z = Q\,[u_1 \cdots u_k]` is one
   matrix product.

The cost is dominated by the matrix products of the merges (:math:`\tfrac43 n^3` flops at most,
less with deflation); the secular equations cost :math:`O(k^2)` per step, as whole-array
operations. Blocks of at most ``LEAF_SIZE`` rows go to the QR algorithm.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np

from fromscratch.linalg._common import LinAlgError

__all__ = ["MAX_SWEEPS", "LEAF_SIZE", "Rotations", "tridiagonal_qr", "tridiagonal_eigh"]

#: Sweeps allowed per eigenvalue before the QR algorithm gives up (LAPACK's ``maxit``).
MAX_SWEEPS = 30
#: Largest block solved by the QR algorithm instead of being divided (LAPACK's ``smlsiz`` is
#: 25; 16 measured fastest here, where each rotation of the QR algorithm costs Python time).
LEAF_SIZE = 16
#: Steps allowed for the secular equations of one merge.
MAX_SECULAR_STEPS = 60

_EPS = float(np.finfo(np.float64).eps)
_TINY = float(np.finfo(np.float64).tiny)


def _wilkinson_shift(a: float, b: float, c: float) -> float:
    r"""The eigenvalue of :math:`\begin{bmatrix} a & b \\ b & c\end{bmatrix}` nearer :math:`c`."""
    delta = 0.5 * (a - c)
    return c - b * b / (delta + math.copysign(math.hypot(delta, b), delta))


class Rotations(NamedTuple):
    r"""A sequence of Givens rotations, the :math:`m`-th acting on rows ``k[m]``, ``k[m] + 1``
    as :math:`\begin{bmatrix} c & s \\ -s & c\end{bmatrix}` (``c[m]``, ``s[m]``)."""

    k: list[int]
    c: list[float]
    s: list[float]

    def apply(self, Zt: np.ndarray) -> np.ndarray:
        """Apply the rotations to the rows of ``Zt`` in place, one after the other."""
        for k, c, s in zip(self.k, self.c, self.s, strict=True):
            rows = Zt[k : k + 2]
            rows[:] = np.array(((c, s), (-s, c))) @ rows
        return Zt


def tridiagonal_qr(d: np.ndarray, e: np.ndarray, max_sweeps: int = MAX_SWEEPS
                   ) -> tuple[np.ndarray, Rotations]:
    r"""Eigenvalues of the symmetric tridiagonal :math:`T` (diagonal ``d``, off-diagonal
    ``e``) by the implicit QR algorithm with Wilkinson shifts (module docstring; GvL Algorithms
    8.3.2–8.3.3), and the rotations it applied.

    The eigenvalues are returned unsorted. The rotations, applied in order to the rows of
    :math:`I` (:meth:`Rotations.apply`), give :math:`Z^\top` with :math:`T = Z\Lambda Z^\top`.
    One sweep on the unreduced block :math:`[l, h]`: :math:`x = d_l - \mu`, :math:`z = e_l`;
    for :math:`k = l, \ldots, h-1` the rotation :math:`c = x/r`, :math:`s = z/r`,
    :math:`r = \sqrt{x^2 + z^2}` zeros :math:`z` (the bulge, after the first step), the
    rotated :math:`2\times2` block is

    .. math::
        d_k' = c^2 d_k + 2cs\,e_k + s^2 d_{k+1}, \quad
        d_{k+1}' = s^2 d_k - 2cs\,e_k + c^2 d_{k+1}, \quad
        e_k' = cs\,(d_{k+1} - d_k) + (c^2 - s^2)\,e_k,

    and the new bulge is :math:`z = s\,e_{k+1}` (with :math:`e_{k+1} \leftarrow c\,e_{k+1}`),
    :math:`x = e_k'`.

    Raises
    ------
    LinAlgError
        When the iteration has not converged after ``max_sweeps`` sweeps per eigenvalue.
    """
    d = [float(value) for value in d]  # Python floats: the chase is scalar work
    e = [float(value) for value in e]
    rotations = Rotations([], [], [])
    n = len(d)
    budget = max_sweeps * n
    sweeps = 0
    high = n - 1
    # e_i is negligible when |e_i| <= eps (|d_i| + |d_{i+1}|) (GvL §8.3.5), or subnormal.
    while high > 0:
        if abs(e[high - 1]) <= max(_EPS * (abs(d[high - 1]) + abs(d[high])), _TINY):
            e[high - 1] = 0.0
            high -= 1
            continue
        low = high - 1
        while low > 0 and abs(e[low - 1]) > max(_EPS * (abs(d[low - 1]) + abs(d[low])), _TINY):
            low -= 1
        if low > 0:
            e[low - 1] = 0.0
        if sweeps == budget:
            raise LinAlgError(
                f"The symmetric QR algorithm did not converge: {sweeps} sweeps "
                f"({max_sweeps} per eigenvalue) left the off-diagonal entry e[{high - 1}] = "
                f"{e[high - 1]:.3g} of the tridiagonal matrix above the tolerance. Raise "
                "max_sweeps; check the matrix for NaN or values near the overflow threshold."
            )
        sweeps += 1
        x = d[low] - _wilkinson_shift(d[high - 1], e[high - 1], d[high])
        z = e[low]
        for k in range(low, high):
            r = math.hypot(x, z)
            c, s = x / r, z / r
            if k > low:
                e[k - 1] = r
            a, b, f = d[k], e[k], d[k + 1]
            d[k] = c * c * a + 2 * c * s * b + s * s * f
            d[k + 1] = s * s * a - 2 * c * s * b + c * c * f
            e[k] = c * s * (f - a) + (c * c - s * s) * b
            if k < high - 1:
                z = s * e[k + 1]
                e[k + 1] *= c
            x = e[k]
            rotations.k.append(k)
            rotations.c.append(c)
            rotations.s.append(s)
    return np.array(d), rotations


def _leaf_eigenvectors(sizes: list[int], rotations: list[Rotations]) -> list[np.ndarray]:
    r""":math:`Z` of every leaf of the recursion at once. The :math:`m`-th rotations of all the
    leaves act on different matrices, so they are applied together, as array operations on a
    stack of identities (one per leaf, padded to the largest; a leaf with fewer rotations gets
    identity rotations), in :math:`\max m` steps instead of one Python step per rotation of
    each leaf. A single leaf takes its rotations one by one."""
    if len(sizes) == 1:
        return [rotations[0].apply(np.eye(sizes[0])).T]
    size, steps = max(sizes), max(len(r.k) for r in rotations)
    k = np.zeros((len(sizes), steps), dtype=np.intp)
    c, s = np.ones((len(sizes), steps)), np.zeros((len(sizes), steps))
    for leaf, r in enumerate(rotations):
        k[leaf, : len(r.k)], c[leaf, : len(r.k)], s[leaf, : len(r.k)] = r
    rows = k + (size * np.arange(len(sizes)))[:, None]  # rows of the stack, flattened
    Zt = np.tile(np.eye(size), (len(sizes), 1))
    for m in range(steps):
        upper, lower, cm, sm = rows[:, m], rows[:, m] + 1, c[:, m, None], s[:, m, None]
        top, bottom = Zt[upper], Zt[lower]
        Zt[upper] = cm * top + sm * bottom
        Zt[lower] = cm * bottom - sm * top
    return [Zt[leaf * size : leaf * size + n, :n].T for leaf, n in enumerate(sizes)]


# -- divide and conquer -----------------------------------------------------------------------


def tridiagonal_eigh(d: np.ndarray, e: np.ndarray, max_sweeps: int = MAX_SWEEPS,
                     leaf_size: int = LEAF_SIZE) -> tuple[np.ndarray, np.ndarray]:
    r"""Eigenvalues (unsorted) and eigenvectors :math:`Z` of the symmetric tridiagonal matrix
    with diagonal ``d`` and off-diagonal ``e``, by divide and conquer (module docstring).

    The matrix is first split where an off-diagonal entry is negligible (as in
    :func:`tridiagonal_qr`); each unreduced block is solved on its own.
    """
    n = d.size
    w = np.empty(n)
    Z = np.zeros((n, n))
    negligible = np.abs(e) <= _EPS * (np.abs(d[:-1]) + np.abs(d[1:]))
    stops = [*(np.flatnonzero(negligible) + 1).tolist(), n]
    start = 0
    for stop in stops:
        block = slice(start, stop)
        w[block], Z[block, block] = _divide_and_conquer(d[block], e[start : stop - 1],
                                                        max_sweeps, leaf_size)
        start = stop
    return w, Z


def _divide_and_conquer(d: np.ndarray, e: np.ndarray, max_sweeps: int, leaf_size: int
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Divide down to blocks of at most ``leaf_size`` rows, solve them all (the QR algorithm),
    and merge back up."""
    leaves: list[tuple[np.ndarray, np.ndarray]] = []
    tree = _divide(d, e, leaf_size, leaves)
    values, rotations = zip(*(tridiagonal_qr(d_leaf, e_leaf, max_sweeps)
                              for d_leaf, e_leaf in leaves), strict=True)
    vectors = _leaf_eigenvectors([d_leaf.size for d_leaf, _ in leaves], list(rotations))
    return _conquer(tree, iter(zip(values, vectors, strict=True)))


def _divide(d: np.ndarray, e: np.ndarray, leaf_size: int,
            leaves: list[tuple[np.ndarray, np.ndarray]]) -> Any:
    """The recursion tree: None for a leaf (appended to ``leaves``, left to right), else
    ``(β, left tree, right tree)`` for a cut after row h = n // 2 (module docstring)."""
    n = d.size
    if n <= leaf_size:
        leaves.append((d, e))
        return None
    h = n // 2
    beta = float(e[h - 1])
    d1, d2 = d[:h].copy(), d[h:].copy()
    d1[-1] -= abs(beta)
    d2[0] -= abs(beta)
    return beta, _divide(d1, e[: h - 1], leaf_size, leaves), _divide(d2, e[h:], leaf_size,
                                                                     leaves)


def _conquer(tree: Any, leaves: Iterator[tuple[np.ndarray, np.ndarray]]
             ) -> tuple[np.ndarray, np.ndarray]:
    """Merge the solved leaves up the tree of :func:`_divide`."""
    if tree is None:
        return next(leaves)
    beta, left, right = tree
    return _merge(*_conquer(left, leaves), *_conquer(right, leaves), beta)


def _merge(w1: np.ndarray, Q1: np.ndarray, w2: np.ndarray, Q2: np.ndarray, beta: float
           ) -> tuple[np.ndarray, np.ndarray]:
    r"""The eigenpairs of :math:`\mathrm{diag}(Q_1, Q_2)(D + \rho zz^\top)
    \mathrm{diag}(Q_1, Q_2)^\top` from those of the two halves (module docstring)."""
    n1 = w1.size
    n = n1 + w2.size
    Q = np.zeros((n, n))
    Q[:n1, :n1] = Q1
    Q[n1:, n1:] = Q2
    z = np.concatenate([Q1[-1], math.copysign(1.0, beta) * Q2[0]]) / math.sqrt(2.0)
    rho = 2.0 * abs(beta)
    d = np.concatenate([w1, w2])
    order = np.argsort(d, kind="stable")
    d, z, Q = d[order], z[order], Q[:, order]
    keep = _deflate(d, z, Q, rho)
    if keep.size:
        d[keep], U = _secular_eigenpairs(d[keep], z[keep], rho)
        Q[:, keep] = Q[:, keep] @ U
    return d, Q


def _deflate(d: np.ndarray, z: np.ndarray, Q: np.ndarray, rho: float) -> np.ndarray:
    r"""Deflate :math:`D + \rho zz^\top` (``d`` sorted) in place; return the indices of the
    poles left, increasing (module docstring, step 1; LAPACK ``laed2``).

    A rotation in the plane of a pole :math:`p` and the next one :math:`j` is
    :math:`G = \begin{bmatrix} c & -s \\ s & c\end{bmatrix}` with :math:`G^\top(z_p, z_j) =
    (0, r)`: it turns :math:`\mathrm{diag}(d_p, d_j)` into a matrix with diagonal
    :math:`(c^2d_p + s^2d_j,\ s^2d_p + c^2d_j)` and off-diagonal :math:`cs\,(d_j - d_p)`,
    negligible by the test, and the columns :math:`p, j` of :math:`Q` into those of
    :math:`QG`. The new :math:`d_j` lies between :math:`d_p` and the old :math:`d_j`, so the
    poles left stay sorted.
    """
    tol = 8.0 * _EPS * max(float(np.max(np.abs(d))), rho)
    d_list, z_list = d.tolist(), z.tolist()
    keep = []
    previous = -1  # the last pole not deflated yet
    for j in range(d.size):
        if rho * abs(z_list[j]) <= tol:
            continue
        if previous >= 0:
            r = math.hypot(z_list[previous], z_list[j])
            c, s = z_list[j] / r, -z_list[previous] / r
            if abs((d_list[j] - d_list[previous]) * c * s) <= tol:
                z_list[previous], z_list[j] = 0.0, r
                column_p = Q[:, previous].copy()
                Q[:, previous] = c * column_p + s * Q[:, j]
                Q[:, j] = c * Q[:, j] - s * column_p
                d_p, d_j = d_list[previous], d_list[j]
                d_list[previous] = c * c * d_p + s * s * d_j
                d_list[j] = s * s * d_p + c * c * d_j
                previous = j
                continue
            keep.append(previous)
        previous = j
    if previous >= 0:
        keep.append(previous)
    d[:] = d_list
    z[:] = z_list
    return np.array(keep, dtype=np.intp)


def _two_pole_root(f: np.ndarray, p: np.ndarray, q: np.ndarray, psi_slope: np.ndarray,
                   phi_slope: np.ndarray, from_right: np.ndarray, last: np.ndarray
                   ) -> np.ndarray:
    r"""The next iterate :math:`\tau`: the root of the rational model of :math:`f` around the
    current one (module docstring, step 2), as its distance from the origin pole.

    With :math:`p, q` the differences from the poles left and right of the root
    (:math:`p < 0 < q`) and :math:`\psi', \varphi'` the slopes of the sums over the poles on
    each side, the model :math:`f + \psi' p\,\eta/(p - \eta) + \varphi' q\,\eta/(q - \eta)`
    (one pole each side, with the value and the slopes of :math:`f`) vanishes where
    :math:`C\eta^2 - B\eta + F = 0`, :math:`C = f - p\psi' - q\varphi'`,
    :math:`B = (p + q)f - pq(\psi' + \varphi')`, :math:`F = pqf`. The step :math:`\eta` is not
    formed: a root may lie closer to its pole than the pole's own rounding (a tiny weight), and
    :math:`\tau + \eta` would lose it. With :math:`o` the difference from the origin pole
    (:math:`p` or :math:`q`; :math:`\tau = -o`), the new :math:`\tau = \eta - o` solves

    .. math:: Cx^2 + (2Co - B)\,x + K = 0, \qquad K = \psi'p^2(q - p) \text{ or }
        \varphi'q^2(p - q),

    whose constant term is a product, exact to rounding; of its two roots, each computed without
    cancellation, the one inside the bracket is taken (the small one if both). The last root
    has no pole on its right: :math:`x = \psi'p^2/(f - p\psi')`. Outside the bracket or not
    finite, the caller bisects instead.
    """
    C = f - p * psi_slope - q * phi_slope
    B = (p + q) * f - p * q * (psi_slope + phi_slope)
    o = np.where(from_right, q, p)
    K = np.where(from_right, phi_slope * q * q * (p - q), psi_slope * p * p * (q - p))
    L = 2.0 * C * o - B
    large = L + np.copysign(np.sqrt(np.maximum(L * L - 4.0 * C * K, 0.0)), L)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(last, psi_slope * p * p / (f - p * psi_slope),
                        np.stack([-2.0 * K / large, -0.5 * large / C]))


def _secular_eigenpairs(delta: np.ndarray, zeta: np.ndarray, rho: float
                        ) -> tuple[np.ndarray, np.ndarray]:
    r"""Eigenvalues and eigenvectors of :math:`\mathrm{diag}(\delta) + \rho\zeta\zeta^\top`
    (:math:`\delta` strictly increasing, :math:`\zeta_i \ne 0`): the roots of the secular
    equation, all iterated at once, and Gu & Eisenstat's eigenvectors (module docstring,
    steps 2 and 3)."""
    k = delta.size
    weight = rho * zeta * zeta
    j = np.arange(k)
    last = j == k - 1
    right = np.minimum(j + 1, k - 1)  # the pole right of root j (root k-1 has none)
    # The bracket of each root, and its origin: the pole nearer the root.
    half_gap = np.where(last, 0.5 * weight.sum(), 0.5 * (delta[right] - delta))
    # f at the midpoints, δ_i - (δ_j + h_j) taken as (δ_i - δ_j) - h_j: rounding δ_j + h_j
    # first would lose the digits of the differences to the two nearest poles.
    with np.errstate(divide="ignore"):
        f_mid = 1.0 + (weight[:, None] / ((delta[:, None] - delta) - half_gap)).sum(axis=0)
    from_right = (f_mid < 0) & ~last
    origin = np.where(from_right, right, j)
    lower = np.where(from_right, -half_gap, 0.0)
    upper = np.where(from_right, 0.0, np.where(last, 2.0 * half_gap, half_gap))
    # distances[j, i] = δ_i - δ_origin(j), exact to rounding: row j serves root j.
    distances = delta - delta[origin][:, None]
    tau = np.where(from_right, -half_gap, half_gap)
    # First step from the midpoint: the two nearest poles exactly, the others frozen there.
    p, q = distances[j, j] - tau, distances[j, right] - tau
    tau = _bracketed(_two_pole_root(f_mid, p, q, weight / (p * p),
                                    np.where(last, 0.0, weight[right] / (q * q)), from_right,
                                    last), lower, upper)
    # Each term is exact to a few ulps, and pairwise summation adds log₂k of them.
    rounding_factor = 8.0 + 2.0 * math.log2(k)
    active = j
    for _ in range(MAX_SECULAR_STEPS):
        rows = np.arange(active.size)
        diff = distances[active] - tau[active, None]  # δ_i - λ_j, a row per active root
        terms = weight / diff
        slopes = terms / diff
        f = 1.0 + terms.sum(axis=1)
        # The sums over the poles left of each root (i <= j), whose terms are all negative,
        # and right of it: ψ and φ for |f|'s rounding level, their slopes for the step.
        psi = np.cumsum(terms, axis=1)[rows, active]
        slope_sums = np.cumsum(slopes, axis=1)
        psi_slope, f_slope = slope_sums[rows, active], slope_sums[:, -1]
        # |f| at the level of the rounding errors of evaluating it, and of τ itself (a root
        # between two close poles, where f' is huge); as LAPACK laed4's test.
        rounding = (rounding_factor * (f - 2.0 * psi) + 2.0 * np.abs(tau[active]) * f_slope)
        unconverged = np.abs(f) > _EPS * rounding
        if not unconverged.any():
            break
        tau_active = tau[active]
        lower[active] = np.where(unconverged & (f < 0), tau_active, lower[active])
        upper[active] = np.where(unconverged & (f > 0), tau_active, upper[active])
        p, q = diff[rows, active], diff[rows, right[active]]
        candidates = _two_pole_root(f, p, q, psi_slope, f_slope - psi_slope,
                                    from_right[active], last[active])
        tau[active] = np.where(unconverged, _bracketed(candidates, lower[active],
                                                       upper[active]), tau_active)
        active = active[unconverged]
    else:
        raise LinAlgError(
            f"eigh did not converge: {active.size} of the {k} roots of a secular equation of "
            f"the divide-and-conquer step are not found after {MAX_SECULAR_STEPS} steps."
        )
    diff = (distances - tau[:, None]).T  # δ_i - λ_j
    # Löwner's formula for the ẑ that makes the computed roots exact; factors in (0, 1].
    denominators = np.where(j[None, :] < j[:, None], delta[None, :], delta[right][None, :])
    denominators = denominators - delta[:, None]
    denominators[:, -1] = rho
    z_hat = np.sqrt(np.maximum(np.prod(-diff / denominators, axis=1), 0.0))
    U = np.copysign(z_hat, zeta)[:, None] / diff
    U /= np.sqrt((U * U).sum(axis=0))
    return delta[origin] + tau, U


def _bracketed(candidates: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """The first of the candidate iterates (rows of ``candidates``, or one array) that lies
    strictly inside its bracket; the bracket's midpoint where none does."""
    candidates = np.atleast_2d(candidates)
    result = 0.5 * (lower + upper)
    for candidate in candidates[::-1]:  # the first candidate inside wins
        result = np.where((candidate > lower) & (candidate < upper), candidate, result)
    return result
