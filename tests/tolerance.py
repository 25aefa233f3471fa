r"""Compare a result with its reference relative to the result's scale, not entry by entry.

``np.testing.assert_allclose(actual, desired, rtol=r)`` (``atol=0``) requires
:math:`|a_i - d_i| \le r\,|d_i|` for *every* entry. For an iterate, a coefficient vector, a
gradient or a matrix product, one component may pass near zero while the others are of order
one; rounding errors there are the size of the vector's scale times ε (one ulp of the other
components, propagated), so that component's relative error is huge although the vector
agrees to the last bits. Which CPU runs the test then decides whether it passes: a parity test
with optimizers failed on a fresh machine at an iterate component of 1.05e-6 that was off by
1.3e-16, under ``rtol=1e-10``.

:func:`assert_close_to_scale` asks the normwise question instead,
:math:`|a_i - d_i| \le r \max_j |d_j|`: agreement to ``rtol`` of the vector's scale. It is
never stricter than ``assert_allclose(..., rtol=r)`` and never looser than
``assert_allclose(..., rtol=0, atol=r * max|d|)``. Use it where the comparison is between two
computations of a vector whose entries can cross zero; keep ``assert_allclose`` with
``atol=0`` where entrywise relative precision is the claim (special functions in their tails,
stable sigmoids at ±1000).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["assert_close_to_scale"]


def assert_close_to_scale(
    actual: Any, desired: Any, rtol: float, *, axis: int | tuple[int, ...] | None = None,
    err_msg: str = "",
) -> None:
    r"""Assert :math:`|a_i - d_i| \le \mathrm{rtol} \cdot \max_j |d_j|` for every entry.

    Parameters
    ----------
    actual, desired : array-like of the same shape (``desired`` may be a scalar)
    rtol : float
        Tolerance relative to the scale :math:`\max_j |d_j|` of ``desired``.
    axis : int or tuple of int, optional
        Take the scale along these axes only: ``axis=-1`` for a trajectory of iterates stored
        one per row compares each iterate with its own scale. By default, the whole array.
    err_msg : str
        Printed with the failure.

    Non-finite entries of ``desired`` must be matched exactly (NaN by NaN).
    """
    actual = np.asarray(actual)
    desired = np.asarray(desired)
    if desired.ndim and actual.shape != desired.shape:
        raise AssertionError(f"shapes differ: actual {actual.shape}, desired {desired.shape}. "
                             f"{err_msg}")
    actual, desired = np.broadcast_arrays(actual, desired)
    finite = np.isfinite(desired)
    scale = np.max(np.abs(np.where(finite, desired, 0)), axis=axis, keepdims=True, initial=0)
    scale = np.broadcast_to(scale, desired.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        error = np.abs(actual - desired)
        ok = np.where(finite, error <= rtol * scale,
                      (actual == desired) | (np.isnan(actual) & np.isnan(desired)))
        if ok.all():
            return
        relative = np.where(finite, error / scale, np.inf)  # inf: a non-finite mismatch
    bad = ~ok
    worst = np.unravel_index(np.argmax(np.where(bad, relative, -1)), desired.shape)
    raise AssertionError(
        f"Not equal to rtol={rtol:g} of the scale max|desired|"
        f"{'' if axis is None else f' along axis {axis}'}: {bad.sum()} of {bad.size} entries "
        f"differ. Worst at index {tuple(int(i) for i in worst)}: actual {actual[worst]}, "
        f"desired {desired[worst]}, scale {scale[worst]}, |actual - desired| / scale = "
        f"{relative[worst]:.3g}. {err_msg}".strip()
    )
