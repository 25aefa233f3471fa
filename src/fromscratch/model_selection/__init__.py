r"""Splitting data, estimating generalisation error and tuning hyper-parameters
(scikit-learn's names and defaults).

* :func:`train_test_split` — one random (optionally stratified) hold-out split.
* :class:`KFold`, :class:`StratifiedKFold` — $k$ folds; each sample is tested exactly once.
* :func:`cross_validate`, :func:`cross_val_score` — the scores of a fresh clone of the
  estimator on each fold (one or several metrics, fit and score times, failed fits scored
  ``error_score``).
* :class:`GridSearchCV`, :class:`ParameterGrid` — every combination of hyper-parameter values
  cross-validated on the same folds; the best refitted on all the data.
* :func:`validation_curve`, :func:`learning_curve` — cross-validated scores as a
  hyper-parameter or the training-set size varies.
* :func:`bias_variance_decomposition` — the bootstrap estimate of
  $E[(y - \hat y)^2] = \mathrm{bias}^2 + \mathrm{variance} + \sigma^2$.
* :func:`get_scorer` — scikit-learn's scorer names (greater is better).

The modules follow scikit-learn's: ``_split`` (splitters), ``_scorer``, ``_validation``
(cross-validation and the curves), ``_search`` (the grid search) and ``_bias_variance``.
Arrays may be NumPy arrays, lists or pandas objects; rows are taken with ``.iloc`` for pandas,
so DataFrames keep their column names through every split.
"""

from fromscratch.model_selection._bias_variance import (
    BiasVarianceDecomposition,
    bias_variance_decomposition,
)
from fromscratch.model_selection._scorer import get_scorer
from fromscratch.model_selection._search import GridSearchCV, ParameterGrid
from fromscratch.model_selection._split import KFold, StratifiedKFold, check_cv, train_test_split
from fromscratch.model_selection._validation import (
    cross_val_score,
    cross_validate,
    learning_curve,
    validation_curve,
)

__all__ = [
    "train_test_split",
    "KFold",
    "StratifiedKFold",
    "check_cv",
    "get_scorer",
    "cross_validate",
    "cross_val_score",
    "validation_curve",
    "learning_curve",
    "ParameterGrid",
    "GridSearchCV",
    "BiasVarianceDecomposition",
    "bias_variance_decomposition",
]
