"""What every part of :mod:`fromscratch.linalg` shares: its errors and warnings, the input
checks, and the block size of the blocked factorizations."""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_scalar

#: Columns per panel in the blocked QR and Cholesky factorizations.
BLOCK_SIZE = 64


class LinAlgError(ValueError):
    """A matrix is singular, rank deficient or not positive definite.

    Subclasses ``ValueError``, so code catching bad-input errors also catches it.
    """


class IllConditionedWarning(UserWarning):
    """The matrix is so ill-conditioned that the answer may have lost most of its digits."""


class RankDeficientWarning(UserWarning):
    """The columns of a least-squares matrix are (numerically) linearly dependent.

    The least-squares solution is then not unique: the solvers return the one of minimum norm,
    and the warning names the columns that are combinations of the others.
    """


def _as_matrix(A: Any, name: str, *, square: bool = False) -> np.ndarray:
    A = check_array(A, name=name)
    if square and A.shape[0] != A.shape[1]:
        raise ValueError(f"{name} must be a square matrix; got shape {A.shape}.")
    return A


def _check_block_size(block_size: Any) -> int:
    """``block_size`` checked: a positive int (a float, a bool or 0 is a mistake, and a
    negative one would skip the factorization's loop and return its input)."""
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise ValueError(f"block_size must be a positive int; got {block_size!r}.")
    return block_size


def _check_symmetric(A: np.ndarray, name: str, purpose: str) -> None:
    r"""Refuse a matrix that is not symmetric to within :math:`\sqrt{\varepsilon}\max|A|`
    (rounding in a product such as :math:`X^\top X` stays far below that); ``purpose`` names
    what needs the symmetry."""
    eps = np.finfo(A.dtype).eps
    asymmetry = float(np.max(np.abs(A - A.T), initial=0.0))
    if asymmetry > np.sqrt(eps) * float(np.max(np.abs(A), initial=0.0)):
        raise ValueError(f"{name} must be symmetric for {purpose}; max |{name} - {name}ᵀ| = "
                         f"{asymmetry:.3g}.")


def _as_rhs(B: Any, name: str, n_rows: int, matrix_name: str) -> np.ndarray:
    B = check_array(B, name=name, ensure_2d=False)
    if B.ndim > 2:
        raise ValueError(f"{name} must be 1-D or 2-D; got {B.ndim} dimensions, shape {B.shape}.")
    if B.shape[0] != n_rows:
        raise ValueError(
            f"{name} has {B.shape[0]} rows but {matrix_name} has {n_rows}; they must match."
        )
    return B


def _common_float(*arrays: np.ndarray) -> np.dtype:
    """float32 only when every input is float32, else float64."""
    return np.result_type(*arrays, np.float32)


def _check_rtol(rtol: Any, m: int, n: int, dtype: Any) -> float:
    r"""The relative rank tolerance: ``rtol`` checked (in :math:`[0, 1)`), or by default
    :math:`\max(m, n)\,\varepsilon` of ``dtype`` (NumPy's ``matrix_rank`` rule)."""
    if rtol is None:
        return max(m, n) * float(np.finfo(dtype).eps)
    return check_scalar(rtol, "rtol", min_val=0.0, max_val=1.0, include_max=False)
