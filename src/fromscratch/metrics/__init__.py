r"""Scores and losses for regression and classification (scikit-learn's names and defaults).

Every function takes the truth first and the prediction second, accepts ``sample_weight``
where scikit-learn does, and returns a Python ``float`` (or an array for per-output /
per-class results). With weights $w_i$ (all ones when ``sample_weight`` is ``None``), a
"mean" is always the weighted mean $\sum_i w_i a_i / \sum_i w_i$.

Class labels may be of any type (ints, strings, booleans, integral floats); the two label
arrays must not mix strings with numbers. Where scikit-learn would warn and return NaN (R²
of one sample, ROC of a single class), these functions raise a ``ValueError`` that says why
the quantity is undefined. Precision/recall with an empty denominator follow scikit-learn's
``zero_division`` rule (0 with an :class:`UndefinedMetricWarning` by default).

The functions live in one module per kind, as in scikit-learn:

* ``_regression`` — errors of real-valued predictions: MSE, RMSE, MAE, $R^2$;
* ``_classification`` — scores of predicted labels (accuracy, balanced accuracy, confusion
  matrix, precision, recall, $F_\beta$, the classification report) and losses of predicted
  probabilities (the log loss, the Brier score);
* ``_ranking`` — scores of a ranking by a real-valued score: the ROC curve and its area;
* ``_calibration`` — the calibration curve (scikit-learn has it in ``sklearn.calibration``);
* ``_inputs`` — the input checks they share.
"""

from fromscratch.metrics._calibration import calibration_curve
from fromscratch.metrics._classification import (
    UndefinedMetricWarning,
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    classification_report,
    confusion_matrix,
    f1_score,
    fbeta_score,
    log_loss,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from fromscratch.metrics._ranking import roc_auc_score, roc_curve
from fromscratch.metrics._regression import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)

__all__ = [
    "UndefinedMetricWarning",
    "mean_squared_error",
    "root_mean_squared_error",
    "mean_absolute_error",
    "r2_score",
    "accuracy_score",
    "balanced_accuracy_score",
    "confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "f1_score",
    "fbeta_score",
    "log_loss",
    "brier_score_loss",
    "calibration_curve",
    "roc_curve",
    "roc_auc_score",
    "classification_report",
]
