"""Linear models with scikit-learn's API, objectives and defaults.

* :class:`LinearRegression` — ordinary (weighted) least squares (QR or normal equations); with
  ``positive=True`` non-negative least squares (:func:`fromscratch.linalg.nnls`).
* :class:`Ridge` — L2 penalty, closed form; :func:`ridge_path`.
* :class:`Lasso`, :class:`ElasticNet` — L1 / L1+L2 penalties by coordinate descent (or FISTA);
  :func:`lasso_path`, :func:`enet_path`; the two algorithms as they are taught,
  :func:`enet_coordinate_descent_textbook` and :func:`enet_fista_textbook`;
  :class:`LassoCV`, :class:`ElasticNetCV` choose the penalty by cross-validation along the
  path.
* :class:`RidgeCV` — ridge with the penalty chosen by efficient leave-one-out cross-validation
  (one eigendecomposition for every penalty).

The intercept is always fitted by centering and never penalized.
"""

from fromscratch.linear_model._base import ConvergenceWarning
from fromscratch.linear_model._cd import enet_coordinate_descent_textbook
from fromscratch.linear_model._coordinate_descent import ElasticNet, Lasso, enet_path, lasso_path
from fromscratch.linear_model._coordinate_descent_cv import ElasticNetCV, LassoCV
from fromscratch.linear_model._fista import enet_fista_textbook
from fromscratch.linear_model._least_squares import LinearRegression
from fromscratch.linear_model._ridge import Ridge, ridge_path
from fromscratch.linear_model._ridge_cv import RidgeCV
from fromscratch.linear_model.logistic import LogisticRegression

__all__ = [
    "ConvergenceWarning",
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "enet_coordinate_descent_textbook",
    "enet_fista_textbook",
    "enet_path",
    "lasso_path",
    "LinearRegression",
    "LogisticRegression",
    "Ridge",
    "RidgeCV",
    "ridge_path",
]
