"""Sample weights in the linear models: the same numbers as scikit-learn's weighted fits, the
invariances that define a weight (a zero weight drops the row, an integer weight repeats it,
a common factor changes nothing where the objective is a weighted mean), class weights and
warm starts, and the errors for bad weights."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import linear_model as sk
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils.class_weight import compute_class_weight

from fromscratch.base import clone
from fromscratch.exceptions import ConvergenceWarning
from fromscratch.linalg import RankDeficientWarning
from fromscratch.linear_model import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    LinearRegression,
    LogisticRegression,
    Ridge,
    RidgeCV,
)
from fromscratch.nn import MLPClassifier, MLPRegressor
from tolerance import assert_close_to_scale


def regression_data(n=80, p=5, n_targets=None, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    X[:, 0] += 3.0  # off-centre, so that the weighted means matter for the intercept
    coef = rng.normal(size=(p,) if n_targets is None else (p, n_targets))
    y = X @ coef + 2.0 + 0.5 * rng.normal(size=(n,) if n_targets is None else (n, n_targets))
    return X, y, rng.uniform(0.1, 3.0, size=n)


def classification_data(n_classes=2, n=200, p=4, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, size=n)
    X = rng.normal(size=(n, p))
    X[:, 0] += y  # informative, with overlap, so that the MLE exists
    X[:, 1] += 2.0
    return X, y, rng.uniform(0.1, 3.0, size=n)


def assert_same_fit(ours, ref, X, rtol):
    """Coefficients, intercepts and predictions equal to ``rtol`` of their scale."""
    assert np.shape(ours.coef_) == np.shape(ref.coef_)
    assert_close_to_scale(ours.coef_, ref.coef_, rtol)
    assert_close_to_scale(np.atleast_1d(ours.intercept_), np.atleast_1d(ref.intercept_),
                          rtol, err_msg="intercept")
    assert_close_to_scale(ours.predict(X), ref.predict(X), rtol, err_msg="predictions")


# -- the same numbers as scikit-learn ----------------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", ["qr", "cholesky", "gd", "newton", "minibatch-full"])
def test_linear_regression_matches_scikit_learn(solver, fit_intercept):
    """QR on √w-scaled rows, Cholesky on XᵀWX, and the gradient solvers on the weighted mean
    squared error reach scikit-learn's weighted least squares."""
    X, y, w = regression_data()
    params = {
        "qr": {}, "cholesky": {},
        "newton": dict(tol=1e-12),  # one exact step: f is its own quadratic model
        "gd": dict(tol=1e-12, learning_rate=0.05, max_iter=100_000),
        # batches as large as the data: the weighted batch mean is the full one
        "minibatch-full": dict(batch_size=80, tol=1e-12, learning_rate=0.05, max_iter=100_000),
    }[solver]
    ours = LinearRegression(solver=solver.split("-")[0], fit_intercept=fit_intercept,
                            **params).fit(X, y, sample_weight=w)
    ref = sk.LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    # the exact solvers to rounding; gradient descent stops at a gradient of 1e-12, within
    # 1e-12 / λ_min(XᵀWX / Σw) ≈ 1e-11 of the minimum
    assert_same_fit(ours, ref, X, 1e-8 if solver in ("qr", "cholesky", "newton") else 1e-9)


@pytest.mark.parametrize("solver", ["qr", "cholesky"])
@pytest.mark.parametrize("shape", [(80, 5), (12, 30)], ids=["duplicated-column", "wide"])
def test_rank_deficient_weighted_least_squares_is_the_minimum_norm_solution(shape, solver):
    """Dependent columns of the √w-scaled design: the minimum-norm solution, as scikit-learn's
    weighted lstsq gives it (zero weights make zero rows, which the rank must not count)."""
    X, y, w = regression_data(*shape)
    X[:, -1] = X[:, 0]
    w[::4] = 0.0
    with pytest.warns(RankDeficientWarning):
        ours = LinearRegression(solver=solver).fit(X, y, sample_weight=w)
    ref = sk.LinearRegression().fit(X, y, sample_weight=w)
    assert_same_fit(ours, ref, X, 1e-8)


@pytest.mark.parametrize("solver", ["sgd", "minibatch"])
def test_stochastic_solvers_estimate_the_weighted_gradient(solver):
    """A stochastic run hovers around its minimum (constant learning rate): it lands close to
    the weighted solution, and far closer to it than to the unweighted one — each batch's
    weighted mean is an unbiased estimate of the weighted gradient."""
    X, y, _ = regression_data(n=400, seed=1)
    w = np.where(X[:, 1] > 0, 4.0, 0.25)  # weights that move the solution
    y = y + 2.0 * (X[:, 1] > 0) * X[:, 2]  # a misfit in half of the space
    weighted = sk.LinearRegression().fit(X, y, sample_weight=w)
    unweighted = sk.LinearRegression().fit(X, y)
    ours = LinearRegression(solver=solver, learning_rate=0.002, max_iter=200, tol=None,
                            random_state=0).fit(X, y, sample_weight=w)
    gap = np.abs(weighted.coef_ - unweighted.coef_).max()
    assert np.abs(ours.coef_ - weighted.coef_).max() < 0.1 * gap


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", ["auto", "cholesky", "qr"])
@pytest.mark.parametrize("shape", [(80, 5), (20, 50)], ids=["tall", "wide"])
def test_ridge_matches_scikit_learn(shape, solver, fit_intercept):
    """Ridge's weighted sum of squares, primal (XᵀWX + αI) and dual (more features than samples:
    √W X Xᵀ√W + αI) forms."""
    X, y, w = regression_data(*shape)
    ours = Ridge(alpha=2.0, solver=solver, fit_intercept=fit_intercept).fit(X, y, w)
    ref = sk.Ridge(alpha=2.0, fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    assert_same_fit(ours, ref, X, 1e-8)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_gradient_descent_matches_scikit_learn(fit_intercept):
    """Full-batch gradient descent on Ridge's weighted objective over 2Σw (the penalty α/Σw on
    the weighted mean): scikit-learn's weighted ridge, to the solver's tolerance."""
    X, y, w = regression_data()
    ours = Ridge(alpha=2.0, solver="gd", learning_rate=0.05, tol=1e-12, max_iter=100_000,
                 fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    ref = sk.Ridge(alpha=2.0, fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    assert_same_fit(ours, ref, X, 1e-9)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("model", ["lasso", "enet-cd", "enet-fista"])
def test_enet_family_matches_scikit_learn(model, fit_intercept):
    X, y, w = regression_data()
    params = dict(alpha=0.05, fit_intercept=fit_intercept, tol=1e-12, max_iter=100_000)
    if model == "lasso":
        ours, ref = Lasso(**params), sk.Lasso(**params)
    else:
        ours = ElasticNet(l1_ratio=0.6, solver=model.split("-")[1], **params)
        ref = sk.ElasticNet(l1_ratio=0.6, **params)
    ours.fit(X, y, sample_weight=w)
    ref.fit(X, y, sample_weight=w)
    # both stop on the duality gap at 1e-12 of ||y||²: the coefficients agree far below 1e-8
    assert_same_fit(ours, ref, X, 1e-8)


PENALTIES = {"l2": (0.5, 0.0), "none": (np.inf, 0.0)}


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", ["newton", "lbfgs", "gd", "minibatch"])
def test_logistic_matches_scikit_learn(solver, fit_intercept, penalty, n_classes):
    X, y, w = classification_data(n_classes)
    C, l1_ratio = PENALTIES[penalty]
    options = {
        "newton": dict(tol=1e-12),
        "lbfgs": dict(tol=1e-10),
        # full batch: the gradient rule stops it at tol, like the others
        "gd": dict(tol=1e-9, learning_rate=0.5, max_iter=50_000),
        # batches as large as the data: the weighted mean of a batch is the full one's
        "minibatch": dict(tol=1e-9, learning_rate=0.5, max_iter=50_000, batch_size=X.shape[0]),
    }[solver]
    ours = LogisticRegression(C=C, l1_ratio=l1_ratio, fit_intercept=fit_intercept, solver=solver,
                              **options).fit(X, y, sample_weight=w)
    ref = sk.LogisticRegression(C=C, fit_intercept=fit_intercept, solver="newton-cholesky",
                                tol=1e-13, max_iter=1000).fit(X, y, sample_weight=w)
    # Newton reaches rounding level; the first-order solvers stop at a gradient of tol, which
    # moves the coefficients by about tol / (the smallest curvature, ~0.05 here)
    assert_same_fit(ours, ref, X, 1e-8 if solver == "newton" else 1e-6)
    assert_close_to_scale(ours.predict_proba(X), ref.predict_proba(X), 1e-8 if solver == "newton"
                          else 1e-6)


def test_logistic_l1_weighted_matches_scikit_learn():
    """The proximal Newton path with weights: the L1 penalty over C·Σw, as scikit-learn's saga."""
    X, y, w = classification_data(2)
    ours = LogisticRegression(C=0.05, l1_ratio=1.0, tol=1e-12).fit(X, y, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # saga at its own tolerance
        ref = sk.LogisticRegression(C=0.05, l1_ratio=1.0, solver="saga", tol=1e-13,
                                    max_iter=100_000).fit(X, y, sample_weight=w)
    assert_same_fit(ours, ref, X, 1e-6)
    np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_ == 0)


@pytest.mark.parametrize("class_weight", ["balanced", {0: 3.0, 2: 0.5}])
@pytest.mark.parametrize("with_sample_weight", [False, True])
def test_class_weight_matches_scikit_learn(class_weight, with_sample_weight):
    X, y, w = classification_data(3)
    w = w if with_sample_weight else None
    ours = LogisticRegression(C=0.5, class_weight=class_weight, tol=1e-12).fit(X, y, w)
    ref = sk.LogisticRegression(C=0.5, class_weight=class_weight, solver="newton-cholesky",
                                tol=1e-13).fit(X, y, sample_weight=w)
    assert_same_fit(ours, ref, X, 1e-8)


def test_balanced_class_weight_is_scikit_learns():
    """"balanced" = Σw / (K · the class's weight); n / (K n_k) without sample weights. Fitting
    with it equals fitting with those weights as sample weights."""
    X, y, w = classification_data(3, n=150)
    y[:100] = 0  # imbalanced
    for sample_weight in (None, w):
        per_class = compute_class_weight("balanced", classes=np.arange(3), y=y,
                                         sample_weight=sample_weight)
        balanced = LogisticRegression(class_weight="balanced", tol=1e-12).fit(X, y, sample_weight)
        explicit = LogisticRegression(tol=1e-12).fit(
            X, y, per_class[y] * (1.0 if sample_weight is None else sample_weight))
        assert_close_to_scale(balanced.coef_, explicit.coef_, 1e-12)


def test_weighted_log_likelihood_and_standard_errors_are_frequency_weights():
    """With integer weights the likelihood, the null likelihood and the standard errors are
    those of the repeated data (statsmodels' freq_weights)."""
    X, y, _ = classification_data(2, n=120)
    counts = np.random.default_rng(1).integers(0, 4, size=y.size)
    weighted = LogisticRegression(C=np.inf, tol=1e-12).fit(X, y, sample_weight=counts)
    repeated = LogisticRegression(C=np.inf, tol=1e-12).fit(np.repeat(X, counts, axis=0),
                                                           np.repeat(y, counts))
    assert weighted.log_likelihood_ == pytest.approx(repeated.log_likelihood_, rel=1e-10)
    assert weighted.null_log_likelihood_ == pytest.approx(repeated.null_log_likelihood_,
                                                          rel=1e-12)
    assert_close_to_scale(weighted.cov_params_, repeated.cov_params_, 1e-8)
    statsmodels = pytest.importorskip("statsmodels.api")
    glm = statsmodels.GLM(y, statsmodels.add_constant(X), family=statsmodels.families.Binomial(),
                          freq_weights=counts).fit(tol=1e-12)
    assert_close_to_scale(weighted.summary().std_err, glm.bse, 1e-7)


# -- the invariances -----------------------------------------------------------------------------

# The estimators whose objective has the weights as frequencies, fitted to rounding level:
# a zero weight must equal dropping the row, an integer weight repeating it.
FREQUENCY_MODELS = {
    "ols-qr": lambda: LinearRegression(),
    "ols-cholesky": lambda: LinearRegression(solver="cholesky"),
    "nnls": lambda: LinearRegression(positive=True),
    "ridge": lambda: Ridge(alpha=2.0),
    "lasso": lambda: Lasso(alpha=0.05, tol=1e-14, max_iter=100_000),
    "enet": lambda: ElasticNet(alpha=0.05, l1_ratio=0.5, tol=1e-14, max_iter=100_000),
    "logistic": lambda: LogisticRegression(C=0.5, tol=1e-12),
    "multinomial": lambda: LogisticRegression(C=0.5, tol=1e-12),
    "logistic-lbfgs": lambda: LogisticRegression(C=0.5, solver="lbfgs", tol=1e-11),
}


def _data_for(name, seed):
    if name in ("logistic", "logistic-lbfgs", "multinomial"):
        X, y, _ = classification_data(3 if name == "multinomial" else 2, n=40, seed=seed)
        return X, y
    X, y, _ = regression_data(n=40, seed=seed)
    return X, y


def _coefficients(model):
    return np.r_[np.ravel(model.coef_), np.ravel(model.intercept_)]


@pytest.mark.parametrize("name", FREQUENCY_MODELS)
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), counts=st.lists(st.integers(0, 3), min_size=40, max_size=40))
def test_integer_weights_repeat_rows_and_zero_weights_drop_them(name, seed, counts):
    X, y = _data_for(name, seed)
    counts = np.asarray(counts)
    classes_kept = np.unique(y[counts > 0]).size == np.unique(y).size
    if counts.sum() < 10 or not classes_kept:  # too few rows left for a meaningful fit
        return
    weighted = FREQUENCY_MODELS[name]().fit(X, y, sample_weight=counts)
    repeated = FREQUENCY_MODELS[name]().fit(np.repeat(X, counts, axis=0), np.repeat(y, counts))
    assert_close_to_scale(_coefficients(weighted), _coefficients(repeated), 1e-7)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), factor=st.floats(1e-3, 1e3))
def test_a_common_factor_changes_nothing_where_the_objective_is_a_weighted_mean(seed, factor):
    """Least squares and the enet family minimize a weighted mean (or sum without a penalty):
    scaling the weights changes nothing. Ridge and logistic regression add a penalty to a
    weighted sum: scaling the weights by c is dividing alpha by c, or multiplying C by c."""
    X, y, w = regression_data(n=40, seed=seed)
    for model in (LinearRegression(), LinearRegression(positive=True)):
        assert_close_to_scale(_coefficients(model.fit(X, y, sample_weight=w)),
                              _coefficients(clone(model).fit(X, y, factor * w)), 1e-10)
    assert_close_to_scale(_coefficients(Ridge(alpha=2.0).fit(X, y, sample_weight=factor * w)),
                          _coefficients(Ridge(alpha=2.0 / factor).fit(X, y, w)), 1e-10)
    lasso = Lasso(alpha=0.05, tol=1e-14, max_iter=100_000)
    assert_close_to_scale(_coefficients(lasso.fit(X, y, sample_weight=w)),
                          _coefficients(Lasso(**lasso.get_params()).fit(X, y, factor * w)), 1e-8)
    X, y, w = classification_data(2, n=40, seed=seed)
    scaled = LogisticRegression(C=0.5, tol=1e-12).fit(X, y, sample_weight=factor * w)
    rescaled_C = LogisticRegression(C=0.5 * factor, tol=1e-12).fit(X, y, sample_weight=w)
    assert_close_to_scale(_coefficients(scaled), _coefficients(rescaled_C), 1e-8)


@pytest.mark.parametrize("solver", ["newton", "lbfgs", "gd", "minibatch"])
def test_unit_weights_are_no_weights(solver):
    X, y, _ = classification_data(3, n=60)
    params = dict(solver=solver, random_state=0, max_iter=50, tol=None if solver in
                  ("gd", "minibatch") else 1e-10, learning_rate=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        plain = LogisticRegression(**params).fit(X, y)
        unit = LogisticRegression(**params).fit(X, y, sample_weight=np.ones(len(y)))
    # The weighted mean (w @ losses / n) rounds differently from the plain mean. Newton and
    # gradient descent take the same steps regardless; L-BFGS's line search may accept a
    # different trial point, after which the runs stop at different points within tol=1e-10
    # of the gradient, ~1e-9 apart in the coefficients.
    rtol = 1e-7 if solver == "lbfgs" else 1e-12
    assert_close_to_scale(_coefficients(unit), _coefficients(plain), rtol)


# -- class weights and warm starts ---------------------------------------------------------------


def test_balanced_class_weight_finds_the_rare_class():
    """On a 95/5 problem the unweighted fit hardly ever predicts the rare class; balanced class
    weights trade some accuracy for its recall."""
    rng = np.random.default_rng(0)
    y = (rng.uniform(size=2000) < 0.05).astype(int)
    X = rng.normal(size=(2000, 2)) + 1.2 * y[:, None]
    plain = LogisticRegression().fit(X, y)
    balanced = LogisticRegression(class_weight="balanced").fit(X, y)
    recall = [np.mean(model.predict(X)[y == 1] == 1) for model in (plain, balanced)]
    assert recall[0] < 0.3 < 0.7 < recall[1]


def test_warm_start_starts_from_the_previous_coefficients():
    X, y, _ = classification_data(3)
    model = LogisticRegression(C=0.5, tol=1e-10, warm_start=True).fit(X, y)
    first = _coefficients(model)
    model.fit(X, y)  # already at the minimum: no step is needed
    assert model.n_iter_ == 0
    assert_close_to_scale(_coefficients(model), first, 1e-14)
    model.set_params(C=0.4).fit(X, y)  # a nearby problem: a few steps from there
    fresh = LogisticRegression(C=0.4, tol=1e-10).fit(X, y)
    assert 0 < model.n_iter_ <= fresh.n_iter_
    assert_close_to_scale(_coefficients(model), _coefficients(fresh), 1e-9)
    # another shape (two classes now): the previous coefficients do not fit, a fresh start
    binary = y < 2
    model.fit(X[binary], y[binary])
    assert model.coef_.shape == (1, X.shape[1])
    assert_close_to_scale(
        _coefficients(model),
        _coefficients(LogisticRegression(C=0.4, tol=1e-10).fit(X[binary], y[binary])), 1e-9)


def test_warm_start_off_ignores_the_previous_fit():
    X, y, _ = classification_data(2)
    model = LogisticRegression(tol=1e-10).fit(X, y)
    assert model.fit(X, y).n_iter_ > 0


# -- scores --------------------------------------------------------------------------------------


SCORED = {
    "ols": lambda: LinearRegression(),
    "ridge": lambda: Ridge(),
    "lasso": lambda: Lasso(alpha=0.01),
    "enet": lambda: ElasticNet(alpha=0.01),
    "nnls": lambda: LinearRegression(positive=True),
    "ridge-cv": lambda: RidgeCV(),
    "lasso-cv": lambda: LassoCV(cv=3),
    "enet-cv": lambda: ElasticNetCV(cv=3),
    "mlp-regressor": lambda: MLPRegressor((5,), max_iter=30, random_state=0),
    "logistic": lambda: LogisticRegression(),
    "mlp-classifier": lambda: MLPClassifier((5,), max_iter=30, random_state=0),
}


@pytest.mark.filterwarnings("ignore::fromscratch.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", SCORED)
def test_weighted_scores_are_scikit_learns(name):
    """score(X, y, sample_weight) of every estimator that takes weights: the weighted R² of a
    regressor, the weighted accuracy of a classifier, as scikit-learn's metrics compute them."""
    model = SCORED[name]()
    classifier = name in ("logistic", "mlp-classifier")
    X, y, w = classification_data(3) if classifier else regression_data()
    model.fit(X, y)
    metric = accuracy_score if classifier else r2_score
    expected = metric(y, model.predict(X), sample_weight=w)
    assert model.score(X, y, sample_weight=w) == pytest.approx(expected, rel=1e-12)
    assert expected != pytest.approx(metric(y, model.predict(X)), rel=1e-9)  # weights matter


# -- bad input -----------------------------------------------------------------------------------

BAD_WEIGHTS = [
    (np.ones(5), ValueError, "sample_weight has 5 entries but there are 40 samples"),
    (np.ones((40, 2)), ValueError, r"sample_weight must be 1-D.*shape \(40, 2\)"),
    (np.ones((40, 1)), ValueError, r"sample_weight must be 1-D"),
    (np.r_[-1.0, np.ones(39)], ValueError, "sample_weight must be non-negative.*position 0"),
    (np.r_[np.nan, np.ones(39)], ValueError, "sample_weight contains 1 NaN"),
    (np.r_[np.inf, np.ones(39)], ValueError, "sample_weight contains 1 infinity"),
    (np.zeros(40), ValueError, "sample_weight sums to 0"),
    (np.array(["a"] * 40), TypeError, "sample_weight contains strings"),
    (np.ones(40, dtype=bool), TypeError, "sample_weight has boolean dtype"),
]


@pytest.mark.parametrize(
    "model",
    [LinearRegression(), LinearRegression(solver="sgd"), LinearRegression(positive=True),
     Ridge(), LogisticRegression(), Lasso(), ElasticNet()],
    ids=["ols", "sgd", "nnls", "ridge", "logistic", "lasso", "enet"],
)
@pytest.mark.parametrize("weights, error, match", BAD_WEIGHTS,
                         ids=["length", "2-D", "column", "negative", "nan", "inf", "all-zero",
                              "strings", "booleans"])
def test_bad_sample_weights_are_named(model, weights, error, match):
    X, y, _ = (classification_data(2, n=40) if isinstance(model, LogisticRegression)
               else regression_data(n=40))
    with pytest.raises(error, match=match):
        model.fit(X, y, sample_weight=weights)


def test_a_single_number_weighs_every_sample():
    X, y, _ = classification_data(2)
    assert_close_to_scale(_coefficients(LogisticRegression(C=np.inf).fit(X, y, 3.0)),
                          _coefficients(LogisticRegression(C=np.inf).fit(X, y)), 1e-10)


def test_bad_class_weights_are_named():
    X, y, _ = classification_data(3)
    with pytest.raises(ValueError, match="class_weight names the class 7, which is not a class"):
        LogisticRegression(class_weight={0: 1.0, 7: 2.0}).fit(X, y)
    with pytest.raises(ValueError, match="class_weight must be one of 'balanced'.*Did you mean"):
        LogisticRegression(class_weight="balance").fit(X, y)
    with pytest.raises(TypeError, match="class_weight must be None, 'balanced' or a dict"):
        LogisticRegression(class_weight=[1.0, 2.0, 3.0]).fit(X, y)
    with pytest.raises(ValueError, match=r"class_weight\[1\] must be in \[0, inf\)"):
        LogisticRegression(class_weight={1: -2.0}).fit(X, y)


def test_weights_that_leave_one_class_are_refused():
    X, y, _ = classification_data(3)
    with pytest.raises(ValueError, match=r"only the class \[2\].*at least two classes"):
        LogisticRegression().fit(X, y, sample_weight=(y == 2).astype(float))
    with pytest.raises(ValueError, match=r"only the class \[0\]"):
        LogisticRegression(class_weight={1: 0.0, 2: 0.0}).fit(X, y)
