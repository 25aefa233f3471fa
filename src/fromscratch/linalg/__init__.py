r"""Dense linear algebra from scratch: Householder QR, triangular solves, Cholesky, least squares,
the symmetric eigendecomposition.

Everything here is built from NumPy array operations; most of the floating-point work is
arranged as matrix products (``@``), which NumPy hands to an optimized BLAS. That is how
LAPACK gets its speed, and it is the whole idea of the *blocked* algorithms below: do a little
work column by column on a thin panel, then apply the accumulated transformation to the rest
of the matrix with one matrix product.

Contents
--------
:class:`HouseholderQR`, :func:`qr` (``_qr``)
    :math:`A = QR` with Householder reflectors in the compact WY representation, blocked and
    recursive.
:func:`qr_textbook`, :func:`householder_reflector` (``_qr``)
    The same factorization column by column, as it is taught: the reference the fast one is
    tested against, and the reflector it makes for each column.
:class:`PivotedHouseholderQR`, :func:`qr_pivoted`, :class:`CompleteOrthogonalDecomposition`
    (``_pivoted``) :math:`A\Pi = QR` with column pivoting (rank-revealing), and
    :math:`A\Pi = Q\,\mathrm{diag}(T, 0)\,Z^\top` for the minimum-norm least-squares solution.
:func:`solve_triangular`, :func:`back_substitution` (``_triangular``)
    Forward / back substitution, recursive so that it runs as matrix products; its small
    upper triangular blocks are solved by the textbook loop, :func:`back_substitution`.
:func:`cholesky`, :func:`cho_solve` (``_cholesky``)
    :math:`A = LL^\top` for symmetric positive definite :math:`A` (blocked, right-looking).
:func:`lstsq`, :func:`lstsq_from_qr` (``_lstsq``)
    :math:`\min_x \|Ax - b\|_2` through QR; of minimum norm when the columns are dependent.
:func:`nnls`, :func:`lawson_hanson` (``_nnls``)
    :math:`\min_{x \ge 0} \|Ax - b\|_2`, non-negative least squares by Lawson and Hanson's
    active-set method, on one QR.
:func:`cond_triangular`, :func:`cond_cholesky`, :func:`check_condition` (``_condition``)
    Cheap condition-number estimates (Hager–Higham) and the library's rule for reporting
    singular matrices (error) and ill-conditioning (warning).
:func:`eigh`, :func:`eigh_textbook` (``_eigh``, ``_eigh_tridiagonal``)
    :math:`A = V\Lambda V^\top` for symmetric :math:`A`: Householder tridiagonalization, then
    divide and conquer (the textbook form: the implicit QR algorithm with Wilkinson shifts).

Input
-----
Where NumPy and SciPy differ, deliberately: a matrix is one 2-D array of real, finite numbers
with at least one row and one column (``check_array``: no stacks of matrices, no empty, complex,
boolean or NaN input, each refused with a message naming the argument); integers are computed
in float64, and the answer is float32 only when every input is float32. The textbook kernels
(:func:`back_substitution`, :func:`householder_reflector`) take arrays as they are, unchecked.

Conditioning rule
-----------------
With :math:`\hat\kappa` the estimated 1-norm condition number of the matrix being factorized,
:math:`k` its largest dimension and :math:`\varepsilon` the machine epsilon of its dtype:

* :math:`\hat\kappa \ge 1/(k\varepsilon)`: the matrix is treated as **singular / rank
  deficient**. This is NumPy's ``matrix_rank`` default tolerance
  :math:`\sigma_{\min} \le k\varepsilon\,\sigma_{\max}` with the estimate :math:`\hat\kappa`
  standing in for :math:`\sigma_{\max}/\sigma_{\min}`. A square system (:func:`cholesky`
  solves, :func:`check_condition`) then raises :class:`LinAlgError`; least squares
  (:func:`lstsq`) instead finds the numerical rank by pivoted QR, returns the minimum-norm
  solution and warns :class:`RankDeficientWarning`.
* :math:`\hat\kappa \ge 1/\sqrt{\varepsilon}`: :class:`IllConditionedWarning`. The first-order
  error bound :math:`\kappa\varepsilon` then exceeds :math:`\sqrt\varepsilon`: more than half of
  the significant digits of the answer may be wrong (for least squares with a non-zero
  residual the bound even grows like :math:`\kappa^2\varepsilon`).

The functions that only factorize (:func:`qr`, :func:`cholesky`, ...) never warn; the solvers
(:func:`lstsq`, and the estimators built on these pieces) apply the rule.
"""

from fromscratch.linalg._cholesky import cho_solve, cholesky
from fromscratch.linalg._common import (
    BLOCK_SIZE,
    IllConditionedWarning,
    LinAlgError,
    RankDeficientWarning,
)
from fromscratch.linalg._condition import check_condition, cond_cholesky, cond_triangular
from fromscratch.linalg._eigh import eigh, eigh_textbook
from fromscratch.linalg._lstsq import LeastSquaresSolution, lstsq, lstsq_from_qr
from fromscratch.linalg._nnls import lawson_hanson, nnls
from fromscratch.linalg._pivoted import (
    CompleteOrthogonalDecomposition,
    PivotedHouseholderQR,
    qr_pivoted,
)
from fromscratch.linalg._qr import HouseholderQR, householder_reflector, qr, qr_textbook
from fromscratch.linalg._triangular import back_substitution, solve_triangular

__all__ = [
    "BLOCK_SIZE",
    "LinAlgError",
    "IllConditionedWarning",
    "RankDeficientWarning",
    "HouseholderQR",
    "qr",
    "qr_textbook",
    "householder_reflector",
    "PivotedHouseholderQR",
    "qr_pivoted",
    "CompleteOrthogonalDecomposition",
    "solve_triangular",
    "back_substitution",
    "cholesky",
    "cho_solve",
    "lstsq",
    "lstsq_from_qr",
    "LeastSquaresSolution",
    "nnls",
    "lawson_hanson",
    "cond_triangular",
    "cond_cholesky",
    "check_condition",
    "eigh",
    "eigh_textbook",
]
