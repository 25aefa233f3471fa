"""Every warning the library gives names the user's line, however deep it is raised.

Python shows a warning with the file and line it is attributed to, and its default filter
shows it once per such line. A warning attributed to a line inside fromscratch hides the
call that caused it and, worse, is shown once per library line instead of once per call of
the user. Each case below calls the public API as a user would — from this file — and checks
that every warning of the expected kind is attributed to this file.
"""

import sys
import warnings

import numpy as np
import pytest

from chunking import chunked
from fromscratch import linalg
from fromscratch.exceptions import (
    ConvergenceWarning,
    DataConversionWarning,
    FitFailedWarning,
)
from fromscratch.linalg import IllConditionedWarning, RankDeficientWarning
from fromscratch.linear_model import (
    ElasticNet,
    Lasso,
    LassoCV,
    LinearRegression,
    LogisticRegression,
    Ridge,
    RidgeCV,
    enet_coordinate_descent_textbook,
    enet_fista_textbook,
)
from fromscratch.linear_model.logistic import PerfectSeparationWarning, newton_irls
from fromscratch.metrics import UndefinedMetricWarning

# -- data -----------------------------------------------------------------------------------

_rng = np.random.default_rng(0)
X = _rng.standard_normal((120, 3))
y = X @ [1.0, 2.0, 3.0] + 0.1 * _rng.standard_normal(120)
labels = (X[:, 0] + 0.5 * _rng.standard_normal(120) > 0).astype(int)  # not separable
weights = _rng.uniform(0.5, 2.0, 120)
X_separable = np.linspace(-3.0, 3.0, 400).reshape(-1, 1)
labels_separable = (X_separable[:, 0] > 0.1).astype(int)
# separated by the sign of x0 but for two samples at the origin, one of each class
X_quasi = np.vstack([X[:100], np.zeros((2, 3))])
labels_quasi = np.r_[(X[:100, 0] > 0).astype(int), 0, 1]
X_dependent = np.column_stack([X, X[:, 0] - 2.0 * X[:, 2]])  # column 3 depends on 0 and 2
X_ill = np.column_stack([X, X[:, 0] + 1e-9 * _rng.standard_normal(120)])  # κ(X) ≈ 1e9
y_ill = X_ill @ [1.0, 2.0, 3.0, 4.0] + 0.1 * _rng.standard_normal(120)


def _dask(*arrays, chunks=40):
    pytest.importorskip("dask.array")
    return [chunked(a, chunks) for a in arrays]


# -- the cases: each is the user's code ----------------------------------------------------


def minimize_diverges():
    from fromscratch.optim import minimize

    minimize(lambda x: (x**2).sum(), np.array([1.0, 2.0]), optimizer="sgd", lr=5.0, steps=50)


def scheduler_stepped_before_the_optimizer():
    from fromscratch.autodiff import Tensor
    from fromscratch.optim import SGD
    from fromscratch.optim.lr_scheduler import StepLR

    scheduler = StepLR(SGD([Tensor(np.ones(2), requires_grad=True)], lr=0.1), step_size=1)
    scheduler.step()


def linear_regression_gd():
    LinearRegression(solver="gd", max_iter=2).fit(X, y)


def linear_regression_sgd():
    LinearRegression(solver="sgd", max_iter=2, tol=1e-12, random_state=0).fit(X, y)


def linear_regression_minibatch():
    LinearRegression(solver="minibatch", max_iter=2, tol=1e-12, random_state=0).fit(X, y)


def ridge_gd():
    Ridge(solver="gd", max_iter=2).fit(X, y)


def batch_size_larger_than_the_data():
    LinearRegression(solver="minibatch", batch_size=1000, max_iter=2, tol=None).fit(X, y)


def logistic_newton():
    LogisticRegression(max_iter=1, tol=1e-12).fit(X, labels)


def logistic_lbfgs():
    LogisticRegression(solver="lbfgs", max_iter=1, tol=1e-12).fit(X, labels)


def logistic_sgd():
    LogisticRegression(solver="sgd", max_iter=2, tol=1e-12, random_state=0).fit(X, labels)


def logistic_newton_irls_textbook():
    newton_irls(X, labels, max_iter=1, tol=1e-14)


def logistic_separated():
    LogisticRegression(C=np.inf).fit(X_separable, labels_separable)


def lasso_cd():
    Lasso(alpha=1e-4, solver="cd", max_iter=1, tol=1e-12).fit(X, y)


def lasso_fista():
    Lasso(alpha=1e-4, solver="fista", max_iter=1, tol=1e-12).fit(X, y)


def elastic_net_auto():
    ElasticNet(alpha=1e-4, max_iter=1, tol=1e-12).fit(X, y)


def lasso_cv():
    LassoCV(alphas=3, cv=2, max_iter=1, tol=1e-12).fit(X, y)


def enet_cd_textbook():
    enet_coordinate_descent_textbook(X, y, 1e-4, max_iter=1, tol=1e-12)


def enet_fista_textbook_kernel():
    enet_fista_textbook(X, y, 1e-4, max_iter=1, tol=1e-12)


def mlp_regressor():
    from fromscratch.nn import MLPRegressor

    MLPRegressor(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(X, y)


def mlp_classifier():
    from fromscratch.nn import MLPClassifier

    MLPClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(X, labels)


def linear_regression_qr_ill_conditioned():
    LinearRegression(solver="qr").fit(X_ill, y_ill)


def linear_regression_rank_deficient():
    LinearRegression().fit(X_dependent, y)


def linear_regression_cholesky_falls_back():
    LinearRegression(solver="cholesky").fit(X_ill, y_ill)


def ridge_cholesky_ill_conditioned():
    Ridge(alpha=1e-6, solver="cholesky").fit(X_ill, y_ill)


def ridge_qr_ill_conditioned():
    Ridge(alpha=1e-14, solver="qr").fit(X_ill, y_ill)


def ridge_without_penalty_rank_deficient():
    Ridge(alpha=0.0, solver="cholesky").fit(X_dependent, y)


def lstsq_ill_conditioned():
    linalg.lstsq(X_ill, y_ill)


def lstsq_rank_deficient():
    linalg.lstsq(X_dependent, y)


def check_condition():
    linalg.check_condition(1e10, size=3, dtype=np.float64)


def nnls_out_of_iterations():
    linalg.nnls(X, y, max_iter=0)


def dask_linear_regression_qr_ill_conditioned():
    LinearRegression(solver="qr").fit(*_dask(X_ill, y_ill))


def dask_linear_regression_rank_deficient():
    LinearRegression(solver="qr").fit(*_dask(X_dependent, y))


def dask_linear_regression_cholesky_falls_back():
    LinearRegression(solver="cholesky").fit(*_dask(X_ill, y_ill))


def dask_ridge_ill_conditioned():
    Ridge(alpha=1e-6).fit(*_dask(X_ill, y_ill))


def dask_ridge_qr_ill_conditioned():
    Ridge(alpha=1e-14, solver="qr").fit(*_dask(X_ill, y_ill))


def dask_linear_regression_minibatch():
    LinearRegression(solver="minibatch", max_iter=2, tol=1e-12, random_state=0).fit(
        *_dask(X, y))


def dask_elastic_net():
    ElasticNet(alpha=1e-4, max_iter=1, tol=1e-12).fit(*_dask(X, y))


def dask_logistic_newton():
    LogisticRegression(max_iter=1, tol=1e-12).fit(*_dask(X, labels))


def dask_logistic_separated():
    LogisticRegression(C=np.inf).fit(*_dask(X_separable, labels_separable, chunks=100))


def logistic_quasi_separated():
    LogisticRegression(C=np.inf).fit(X_quasi, labels_quasi)


def dask_logistic_quasi_separated():
    LogisticRegression(C=np.inf, solver="lbfgs").fit(*_dask(X_quasi, labels_quasi, chunks=51))


def dask_logistic_lbfgs():
    LogisticRegression(solver="lbfgs", max_iter=1, tol=1e-12).fit(*_dask(X, labels))


def dask_mlp_classifier():
    from fromscratch.nn import MLPClassifier

    MLPClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(*_dask(X, labels))


def dask_mlp_regressor():
    from fromscratch.nn import MLPRegressor

    MLPRegressor(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(*_dask(X, y))


def dask_column_vector_y():
    LogisticRegression().fit(*_dask(X, labels[:, None]))


def dask_computed_into_memory():
    RidgeCV().fit(*_dask(X, y))


def column_vector_y():
    LogisticRegression().fit(X, labels[:, None])


def precision_without_predicted_samples():
    from fromscratch.metrics import precision_score

    precision_score([0, 1, 1], [0, 0, 0])


def recall_without_true_samples():
    from fromscratch.metrics import recall_score

    recall_score([0, 0, 0], [0, 1, 0])


def f1_without_any_positive():
    from fromscratch.metrics import f1_score

    f1_score([0, 0, 0], [0, 0, 0])


def precision_recall_fscore_support_undefined():
    from fromscratch.metrics import precision_recall_fscore_support

    precision_recall_fscore_support([0, 1, 1], [0, 0, 0], average=None)


def classification_report_undefined():
    from fromscratch.metrics import classification_report

    classification_report([0, 1, 1], [0, 0, 0])


def balanced_accuracy_with_a_predicted_only_class():
    from fromscratch.metrics import balanced_accuracy_score

    balanced_accuracy_score([0, 0, 1], [0, 2, 1])


def log_loss_with_unsorted_labels():
    from fromscratch.metrics import log_loss

    log_loss([0, 1], [[0.3, 0.7], [0.6, 0.4]], labels=[1, 0])


def brier_score_with_unsorted_labels():
    from fromscratch.metrics import brier_score_loss

    brier_score_loss([0, 1, 2], np.full((3, 3), 1 / 3), labels=[2, 1, 0])


def grid_search_with_failing_fits():
    from fromscratch.model_selection import GridSearchCV

    GridSearchCV(Ridge(), {"alpha": [1.0, -1.0]}, cv=3).fit(X, y)


def grid_search_with_non_finite_scores():
    from fromscratch.model_selection import GridSearchCV

    GridSearchCV(Ridge(), {"alpha": [1.0, -1.0]}, cv=3).fit(X, y)


def cross_val_score_with_failing_fits():
    from fromscratch.model_selection import cross_val_score

    cross_val_score(_FailsOnTheFirstFold(), X, y, cv=3)


def cross_validate_with_a_failing_scorer():
    from fromscratch.model_selection import cross_validate

    cross_validate(Ridge(), X, y, cv=3, scoring=_failing_scorer)


def grid_search_with_an_unweighted_scorer():
    from fromscratch.model_selection import GridSearchCV

    GridSearchCV(Ridge(), {"alpha": [1.0]}, cv=3, scoring=_unweighted_scorer).fit(
        X, y, sample_weight=weights)


def stratified_split_with_a_rare_class():
    from fromscratch.model_selection import StratifiedKFold

    list(StratifiedKFold(3).split(X, _with_a_rare_class(labels)))


def cross_val_score_with_a_rare_class():
    from fromscratch.model_selection import cross_val_score

    cross_val_score(LogisticRegression(), X, _with_a_rare_class(labels), cv=3)


def clip_grad_norm_non_finite():
    from fromscratch.autodiff import Tensor
    from fromscratch.nn.utils import clip_grad_norm_

    p = Tensor(np.ones(3), requires_grad=True)
    p.grad = np.array([1.0, np.nan, 0.0])
    clip_grad_norm_([p], 1.0)


def get_total_norm_non_finite():
    from fromscratch.nn.utils import get_total_norm

    get_total_norm([np.array([1.0, np.inf])])


def clip_grad_norm_empty_generator():
    from fromscratch.nn.utils import clip_grad_norm_

    clip_grad_norm_((p for p in []), 1.0)


def clip_grad_value_empty_generator():
    from fromscratch.nn.utils import clip_grad_value_

    clip_grad_value_((p for p in []), 1.0)


def gradient_of_a_constant():
    from fromscratch.autodiff import grad

    grad(lambda x: 1.0)(2.0)


def jvp_of_a_constant():
    from fromscratch.autodiff import jvp

    jvp(lambda x: np.float64(4.0), (3.0,), (1.0,))


class _FailsOnTheFirstFold(Ridge):
    """Ridge whose fit raises on the first of 3 folds (the one without the first rows)."""

    def fit(self, X, y, sample_weight=None):
        if X.shape[0] and X[0, 0] != globals()["X"][0, 0]:
            raise ValueError("this fold fails")
        return super().fit(X, y, sample_weight)


def _failing_scorer(estimator, X, y):
    raise ZeroDivisionError("the scorer fails")


def _unweighted_scorer(estimator, X, y):
    return 0.0


def _with_a_rare_class(labels):
    rare = labels.copy()
    rare[:2] = 2  # two members of class 2, fewer than n_splits=3
    return rare


CASES = {
    # ConvergenceWarning: each iterative estimator family
    linear_regression_gd: (ConvergenceWarning, "full-batch gradient descent"),
    linear_regression_sgd: (ConvergenceWarning, "stochastic gradient descent"),
    linear_regression_minibatch: (ConvergenceWarning, "mini-batch gradient descent"),
    ridge_gd: (ConvergenceWarning, "did not converge"),
    logistic_newton: (ConvergenceWarning, "Newton's method did not converge"),
    logistic_lbfgs: (ConvergenceWarning, "L-BFGS did not converge"),
    logistic_sgd: (ConvergenceWarning, "stochastic gradient descent"),
    logistic_newton_irls_textbook: (ConvergenceWarning, "Newton/IRLS did not converge"),
    lasso_cd: (ConvergenceWarning, "cd did not converge"),
    lasso_fista: (ConvergenceWarning, "fista did not converge"),
    elastic_net_auto: (ConvergenceWarning, "did not converge"),
    lasso_cv: (ConvergenceWarning, "did not converge"),
    enet_cd_textbook: (ConvergenceWarning, "coordinate descent did not converge"),
    enet_fista_textbook_kernel: (ConvergenceWarning, "FISTA did not converge"),
    mlp_regressor: (ConvergenceWarning, "MLPRegressor did not converge"),
    mlp_classifier: (ConvergenceWarning, "MLPClassifier did not converge"),
    nnls_out_of_iterations: (ConvergenceWarning, "Non-negative least squares stopped"),
    dask_linear_regression_minibatch: (ConvergenceWarning, "max_iter=2 passes"),
    dask_elastic_net: (ConvergenceWarning, "did not converge"),
    dask_logistic_newton: (ConvergenceWarning, "Newton's method did not converge"),
    dask_logistic_lbfgs: (ConvergenceWarning, "L-BFGS did not converge"),
    dask_mlp_classifier: (ConvergenceWarning, "MLPClassifier did not converge"),
    dask_mlp_regressor: (ConvergenceWarning, "MLPRegressor did not converge"),
    # ill-conditioning and rank deficiency, in memory and on Dask
    linear_regression_qr_ill_conditioned: (IllConditionedWarning, "X is ill-conditioned"),
    linear_regression_rank_deficient: (RankDeficientWarning, "rank deficient"),
    linear_regression_cholesky_falls_back: (IllConditionedWarning, "XᵀX is singular"),
    ridge_cholesky_ill_conditioned: (IllConditionedWarning, "alpha·I is ill-conditioned"),
    ridge_qr_ill_conditioned: (IllConditionedWarning, "X is ill-conditioned"),
    ridge_without_penalty_rank_deficient: (RankDeficientWarning, "rank deficient"),
    lstsq_ill_conditioned: (IllConditionedWarning, "A is ill-conditioned"),
    lstsq_rank_deficient: (RankDeficientWarning, "rank deficient"),
    check_condition: (IllConditionedWarning, "A is ill-conditioned"),
    dask_linear_regression_qr_ill_conditioned: (IllConditionedWarning, "X is ill-conditioned"),
    dask_linear_regression_rank_deficient: (RankDeficientWarning, "rank deficient"),
    dask_linear_regression_cholesky_falls_back: (IllConditionedWarning, "XᵀX is singular"),
    dask_ridge_ill_conditioned: (IllConditionedWarning, "alpha·I is ill-conditioned"),
    dask_ridge_qr_ill_conditioned: (IllConditionedWarning, "X is ill-conditioned"),
    # the data and the arguments
    logistic_separated: (PerfectSeparationWarning, "perfectly separated"),
    dask_logistic_separated: (PerfectSeparationWarning, "perfectly separated"),
    logistic_quasi_separated: (PerfectSeparationWarning, "numerically 0 or 1"),
    dask_logistic_quasi_separated: (PerfectSeparationWarning, "numerically 0 or 1"),
    batch_size_larger_than_the_data: (UserWarning, "batch_size=1000 is larger"),
    column_vector_y: (DataConversionWarning, "column-vector y"),
    dask_column_vector_y: (DataConversionWarning, "column-vector y"),
    dask_computed_into_memory: (DataConversionWarning, "no out-of-core path"),
    # metrics with undefined values
    precision_without_predicted_samples: (UndefinedMetricWarning, "Precision is ill-defined"),
    recall_without_true_samples: (UndefinedMetricWarning, "Recall is ill-defined"),
    f1_without_any_positive: (UndefinedMetricWarning, "ill-defined"),
    precision_recall_fscore_support_undefined: (UndefinedMetricWarning, "ill-defined"),
    classification_report_undefined: (UndefinedMetricWarning, "ill-defined"),
    balanced_accuracy_with_a_predicted_only_class: (UndefinedMetricWarning,
                                                    "recall is undefined"),
    log_loss_with_unsorted_labels: (UserWarning, "is not sorted"),
    brier_score_with_unsorted_labels: (UserWarning, "is not sorted"),
    # cross-validation and search
    grid_search_with_failing_fits: (FitFailedWarning, "fits failed"),
    grid_search_with_non_finite_scores: (UserWarning, "scores are non-finite"),
    cross_val_score_with_failing_fits: (FitFailedWarning, "fits failed"),
    cross_validate_with_a_failing_scorer: (UserWarning, "Scoring 'score' failed"),
    grid_search_with_an_unweighted_scorer: (UserWarning, "take no sample_weight"),
    stratified_split_with_a_rare_class: (UserWarning, "least populated class"),
    cross_val_score_with_a_rare_class: (UserWarning, "least populated class"),
    # networks and autodiff
    clip_grad_norm_non_finite: (RuntimeWarning, "cannot be clipped"),
    get_total_norm_non_finite: (RuntimeWarning, "cannot be clipped"),
    clip_grad_norm_empty_generator: (UserWarning, "empty generator"),
    clip_grad_value_empty_generator: (UserWarning, "empty generator"),
    gradient_of_a_constant: (UserWarning, "Output seems independent of input"),
    jvp_of_a_constant: (UserWarning, "Output seems independent of input"),
    # optimizers
    minimize_diverges: (RuntimeWarning, "the optimization diverged"),
    scheduler_stepped_before_the_optimizer: (UserWarning, "before optimizer.step()"),
}


@pytest.mark.parametrize("case", list(CASES), ids=lambda case: case.__name__)
def test_the_warning_names_the_users_line(case):
    category, match = CASES[case]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        case()
    ours = [w for w in caught if issubclass(w.category, category) and match in str(w.message)]
    assert ours, f"no {category.__name__} matching {match!r}: {[str(w.message) for w in caught]}"
    # the case's own lines: the test function that calls it is in this file too
    lines = {line for _, _, line in case.__code__.co_lines() if line is not None}
    where = [(w.filename, w.lineno) for w in ours]
    assert all(filename == __file__ and lineno in lines for filename, lineno in where), where


def test_the_deprecated_module_name_warns_at_the_import(monkeypatch):
    """The module-level FutureWarning of ``fromscratch.testfunctions`` names the line that
    imports it (the line to change), through the import machinery."""
    monkeypatch.delitem(sys.modules, "fromscratch.testfunctions", raising=False)
    with pytest.warns(FutureWarning, match="renamed fromscratch.benchfunctions") as record:
        import fromscratch.testfunctions  # noqa: F401
    assert [w.filename for w in record] == [__file__]
