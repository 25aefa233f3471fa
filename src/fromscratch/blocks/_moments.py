r"""One-pass means, variances and centered Gram matrices, merged block by block (Chan et al.).

The textbook one-pass variance, :math:`\frac1n\sum x_i^2 - \bar x^2`, subtracts two large,
nearly equal numbers when the mean is large compared with the spread: with :math:`\bar x = 10^8`
and a standard deviation of 1, float64's 16 digits are all spent on :math:`\bar x^2 = 10^{16}`
and the difference is noise (or negative). The stable alternative never forms
:math:`\sum x_i^2`: each block :math:`b` keeps its weight :math:`n_b`, its mean :math:`m_b` and
its **centered** sum of squares :math:`M_b = \sum_{i \in b} (x_i - m_b)^2`, and two blocks
:math:`A, B` merge exactly (Chan, Golub & LeVeque, 1979):

.. math::

    n = n_A + n_B, \qquad \delta = m_B - m_A, \qquad
    m = m_A + \delta\,\frac{n_B}{n}, \qquad
    M = M_A + M_B + \delta^2\,\frac{n_A n_B}{n}.

The same merge holds for a matrix of cross-products,
:math:`M = \sum_i (z_i - m)(z_i - m)^\top`, with :math:`\delta\delta^\top` in place of
:math:`\delta^2` — the centered Gram matrix of :math:`Z = [X, y]` that least squares and ridge
regression need, in one pass, without the cancellation of :math:`X^\top X - n\bar x\bar x^\top`.
With sample weights :math:`w_i`, :math:`n_b = \sum w_i`, the means are weighted and
:math:`M_b = \sum w_i (z_i - m_b)(z_i - m_b)^\top`; the merge is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from fromscratch.blocks._core import RowBlocks, check_finite_block, check_weight_block, map_reduce

__all__ = ["Moments", "block_moments", "merge_moments", "moments", "positive_weight",
           "total_weight"]


@dataclass(frozen=True)
class Moments:
    r"""Weight, mean and centered second moments of a set of rows.

    Attributes
    ----------
    weight : float
        :math:`n = \sum_i w_i` (the number of rows without weights).
    mean : ndarray of shape (p,)
        :math:`m = \sum_i w_i z_i / n`.
    scatter : ndarray of shape (p,) or (p, p)
        :math:`\sum_i w_i (z_i - m)^2` per column, or the whole matrix
        :math:`\sum_i w_i (z_i - m)(z_i - m)^\top`.
    n_rows : int
        Rows seen (weighted or not).
    """

    weight: float
    mean: np.ndarray
    scatter: np.ndarray
    n_rows: int

    @property
    def variance(self) -> np.ndarray:
        r"""The (population) variance per column, :math:`M_{jj}/n`."""
        diagonal = self.scatter if self.scatter.ndim == 1 else np.diagonal(self.scatter)
        return diagonal / self.weight


def block_moments(Z: np.ndarray, weights: np.ndarray | None = None, *,
                  full: bool = False) -> Moments:
    r"""The :class:`Moments` of the rows of ``Z`` (2-D), optionally weighted.

    The mean is computed twice: :math:`m_0` = the plain (weighted) mean, then
    :math:`m = m_0 + \operatorname{mean}(z_i - m_0)`. A column sum of a row-major block adds
    its rows one after another, so :math:`m_0` carries a rounding error of about
    :math:`\sqrt{n_b}\,\varepsilon\,|m|`; left in, it adds :math:`n_b\,\delta^2` to the
    centered sum of squares (with :math:`|m| = 10^8`, a relative error of ~1e-9 in a unit
    variance). The correction sums the much smaller deviations, so its own error scales with
    the spread, not with :math:`|m|`.
    """
    if weights is None:
        weight = float(Z.shape[0])
        mean = Z.mean(axis=0)
        centered = Z - mean
        correction = centered.mean(axis=0)
    else:
        weight = float(np.sum(weights))
        if weight > 0:
            mean = (weights @ Z) / weight
            centered = Z - mean
            correction = (weights @ centered) / weight
        else:
            mean = correction = np.zeros(Z.shape[1], dtype=Z.dtype)
            centered = Z - mean
    mean += correction
    centered -= correction
    weighted = centered if weights is None else centered * weights[:, None]
    if full:
        scatter = weighted.T @ centered
    else:
        scatter = np.einsum("ij,ij->j", weighted, centered)
    return Moments(weight, mean, scatter, Z.shape[0])


def merge_moments(parts: list[Moments]) -> Moments:
    """Merge :class:`Moments` of disjoint row sets (Chan et al.'s pairwise update)."""
    total = parts[0]
    for part in parts[1:]:
        n = total.weight + part.weight
        if part.weight == 0:
            total = Moments(total.weight, total.mean, total.scatter, total.n_rows + part.n_rows)
            continue
        if total.weight == 0:
            total = Moments(part.weight, part.mean, part.scatter, total.n_rows + part.n_rows)
            continue
        delta = part.mean - total.mean
        factor = total.weight * part.weight / n
        correction = np.outer(delta, delta) if total.scatter.ndim == 2 else delta * delta
        total = Moments(
            weight=n,
            mean=total.mean + delta * (part.weight / n),
            scatter=total.scatter + part.scatter + factor * correction,
            n_rows=total.n_rows + part.n_rows,
        )
    return total


def _stacked(X: np.ndarray, y: np.ndarray | None) -> np.ndarray:
    if y is None:
        return X
    return np.hstack([X, y.reshape(len(y), -1).astype(X.dtype, copy=False)])


def _block(start: int, stop: int, X: np.ndarray, y: Any, weights: Any, names: tuple[str, ...],
           full: bool, dtype: Any) -> Moments:
    X = np.asarray(X, dtype=dtype)
    check_finite_block(X, names[0], start, stop)
    if y is not None:
        y = np.asarray(y)
        check_finite_block(y, names[1], start, stop)
    weights = check_weight_block(weights, names[2], start, stop, X.dtype)
    return block_moments(_stacked(X, y), weights, full=full)


def moments(blocks: RowBlocks, *, full: bool = False, dtype: Any = None) -> Moments:
    """One pass over the blocks of ``X`` (and ``y``, ``sample_weight`` when present):
    the :class:`Moments` of :math:`Z = [X, y]`, merged in a tree.

    ``blocks.arrays`` is ``(X,)``, ``(X, y)`` or ``(X, y, sample_weight)`` (``y`` may be
    ``None``). With ``full`` the whole centered Gram matrix of :math:`Z` is accumulated
    (:math:`O(np^2)` flops), otherwise only its diagonal (:math:`O(np)`). ``dtype``: the
    precision to accumulate in (e.g. float64 for float32 data), by default that of ``X``.
    """
    arrays = list(blocks.arrays) + [None] * (3 - len(blocks.arrays))
    names = tuple(blocks.names) + ("y", "sample_weight")[len(blocks.names) - 1:]
    padded = RowBlocks(blocks.bounds, tuple(arrays), names[:3])
    return map_reduce(_block, padded, merge_moments, args=(names[:3], full, dtype))


def positive_weight(weight: float, name: str = "sample_weight") -> float:
    """The total weight of a pass, refused when it is 0 (every weight zero): the check
    :func:`fromscratch._validation.check_sample_weight` makes on weights in memory."""
    if not weight > 0:
        raise ValueError(
            f"{name} sums to 0 (every weight is zero); at least one sample needs a positive "
            "weight."
        )
    return float(weight)


def _block_weight(start: int, stop: int, weights: Any, name: str) -> float:
    checked = check_weight_block(weights, name, start, stop, np.float64)
    assert checked is not None  # total_weight is asked only for weights that are given
    return float(np.sum(checked))


def total_weight(blocks: RowBlocks) -> float:
    """:math:`\\sum_i w_i` of the sample weights ``blocks.arrays[2]``, from one pass over the
    weights alone (checked block by block), refused when it is 0."""
    name = blocks.names[2] if len(blocks.names) > 2 else "sample_weight"
    weights = RowBlocks(blocks.bounds, (blocks.arrays[2],), (name,))
    return positive_weight(map_reduce(_block_weight, weights, sum, args=(name,)), name)
