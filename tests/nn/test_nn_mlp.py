"""MLPClassifier / MLPRegressor: the scikit-learn contract, equivalences with linear models,
accuracy on standard problems, and bad input."""

import warnings

import numpy as np
import pytest

from fromscratch.datasets import load_digits, make_classification, make_moons, make_spirals
from fromscratch.nn import DivergenceError, MLPClassifier, MLPRegressor
from fromscratch.nn.mlp import ConvergenceWarning
from fromscratch.optim import RMSprop
from tolerance import assert_close_to_scale

sklearn = pytest.importorskip("sklearn")
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from sklearn_checks import expected_failed_checks  # noqa: E402

pytestmark = [
    # Short fits in these tests stop at max_iter on purpose (pytest.warns still sees it).
    pytest.mark.filterwarnings("ignore::fromscratch.nn.mlp.ConvergenceWarning"),
    pytest.mark.filterwarnings("ignore:Estimator MLP.* does not inherit:UserWarning"),
]

# Checks that fail because of the shared input validation (fromscratch._validation / base), not
# because of these estimators (the same list as tests/linear_model/test_linear_model_api.py).




@parametrize_with_checks(
    [MLPClassifier(random_state=0), MLPRegressor(random_state=0)],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the checks use tiny max_iter
        check(estimator)


def _noisy_binary(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    logits = X @ np.array([1.5, -2.0, 0.5]) + 0.3
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-logits))).astype(int)
    return X, y


def _newton_polish(X, y, coef, intercept, steps=5):
    """A few Newton steps on the mean log-loss: scikit-learn's L-BFGS stops at a gradient of
    about 4e-8 even with tol=1e-12; Newton brings it to rounding level (quadratic convergence),
    so the reference is exact to ~1e-15 and any remaining difference is ours."""
    A = np.hstack([X, np.ones((len(X), 1))])
    w = np.r_[coef, intercept]
    for _ in range(steps):
        p = 1 / (1 + np.exp(-A @ w))
        gradient = A.T @ (p - y) / len(y)
        hessian = (A * (p * (1 - p))[:, None]).T @ A / len(y)
        w = w - np.linalg.solve(hessian, gradient)
    return w[:-1], w[-1:]


def test_no_hidden_layer_with_sigmoid_output_is_logistic_regression():
    """Full-batch gradient descent to convergence on the same objective (mean log-loss,
    no penalty) must find the maximum-likelihood coefficients."""
    X, y = _noisy_binary()
    # tol=0: stop only when the loss no longer decreases at all (rounding level).
    net = MLPClassifier((), alpha=0.0, optimizer="sgd", batch_size=len(X),
                        learning_rate_init=1.0, max_iter=5000, tol=0.0,
                        n_iter_no_change=20, random_state=0).fit(X, y)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    coef, intercept = _newton_polish(X, y, ref.coef_.ravel(), ref.intercept_)
    assert_close_to_scale(net.coefs_[0].ravel(), coef, rtol=1e-7)
    np.testing.assert_allclose(net.intercepts_[0], intercept, rtol=1e-7)
    proba = 1 / (1 + np.exp(-(X @ coef + intercept)))
    assert_close_to_scale(net.predict_proba(X)[:, 1], proba, rtol=1e-7)


def test_no_hidden_layer_with_identity_output_is_least_squares():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.7 + 0.3 * rng.normal(size=200)
    net = MLPRegressor((), alpha=0.0, optimizer="sgd", batch_size=len(X),
                       learning_rate_init=0.5, max_iter=5000, tol=1e-16,
                       n_iter_no_change=20, random_state=0).fit(X, y)
    design = np.hstack([X, np.ones((200, 1))])
    beta = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(net.coefs_[0].ravel(), beta[:4], rtol=1e-8)
    np.testing.assert_allclose(net.intercepts_[0], beta[4:], rtol=1e-8)


def _standardized_split(X, y, n_train):
    scaler = StandardScaler().fit(X[:n_train])
    return scaler.transform(X[:n_train]), y[:n_train], scaler.transform(X[n_train:]), y[n_train:]


def test_digits_accuracy():
    data = load_digits()
    order = np.random.default_rng(0).permutation(len(data.y))
    X_train, y_train, X_test, y_test = _standardized_split(data.X[order], data.y[order], 1300)
    clf = MLPClassifier((64,), max_iter=60, batch_size=32, random_state=0).fit(X_train, y_train)
    assert clf.score(X_test, y_test) >= 0.97


@pytest.mark.parametrize("make", [make_moons, make_spirals], ids=["moons", "spirals"])
def test_two_dimensional_problems(make):
    data = make(600, noise=0.1, random_state=0) if make is make_moons \
        else make(600, random_state=0)
    X_train, y_train, X_test, y_test = _standardized_split(data.X, data.y, 400)
    clf = MLPClassifier((32, 32), learning_rate_init=0.01, max_iter=400, random_state=0)
    clf.fit(X_train, y_train)
    assert clf.score(X_test, y_test) >= 0.97


def test_hidden_layers_beat_logistic_regression_on_clustered_classes():
    """Each class is a mixture of Gaussian clusters on hypercube vertices (Guyon's design),
    an XOR-like layout no hyperplane separates; two small hidden layers learn it."""
    data = make_classification(5000, 20, n_informative=15, n_redundant=3, flip_y=0.05,
                               n_clusters_per_class=4, random_state=0)
    X_train, y_train, X_test, y_test = _standardized_split(data.X, data.y, 4000)
    auc = {}
    for hidden in [(), (8, 3)]:
        clf = MLPClassifier(hidden, learning_rate_init=0.01, max_iter=200, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X_train, y_train)
        auc[hidden] = roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
    assert auc[(8, 3)] >= auc[()] + 0.1


def test_labels_of_any_type_and_probabilities():
    X, y = _noisy_binary(120)
    labels = np.array(["no", "yes"])[y]
    clf = MLPClassifier((5,), max_iter=300, random_state=0).fit(X, labels)
    assert list(clf.classes_) == ["no", "yes"]
    assert set(clf.predict(X)) <= {"no", "yes"}
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(proba))
    assert clf.out_activation_ == "logistic" and clf.n_outputs_ == 1
    three = MLPClassifier((5,), max_iter=50, random_state=0).fit(X, np.arange(120) % 3)
    assert three.out_activation_ == "softmax" and three.predict_proba(X).shape == (120, 3)


def test_fit_is_reproducible_and_float32_is_kept():
    X, y = _noisy_binary(100)
    a = MLPClassifier((4,), max_iter=20, random_state=3).fit(X, y)
    b = MLPClassifier((4,), max_iter=20, random_state=3).fit(X, y)
    for ca, cb in zip(a.coefs_, b.coefs_, strict=True):
        np.testing.assert_array_equal(ca, cb)
    c = MLPClassifier((4,), max_iter=20, random_state=3).fit(X.astype(np.float32), y)
    assert all(W.dtype == np.float32 for W in c.coefs_)
    assert c.predict_proba(X.astype(np.float32)).dtype == np.float32


def test_early_stopping_keeps_the_best_epoch():
    X, y = _noisy_binary(400)
    clf = MLPClassifier((8,), early_stopping=True, n_iter_no_change=3, max_iter=200,
                        random_state=0).fit(X, y)
    assert clf.best_loss_ is None and len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.n_iter_ < 200
    reg = MLPRegressor((8,), early_stopping=True, learning_rate_init=0.01, max_iter=100,
                       random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, X[:, 0] - X[:, 1])
    assert reg.best_validation_score_ > 0.9


def test_stopping_epoch_is_scikit_learns_mlp_rule():
    """Training loss with tol=0, and the validation score under early stopping: the run stops
    once the count of epochs without improvement *exceeds* n_iter_no_change (replayed with
    scikit-learn's code on the recorded curves; '>=' would stop one epoch earlier)."""
    from stopping_reference import has_ties, sklearn_stop_epoch

    X, y = _noisy_binary(200)
    reg = MLPRegressor((6,), tol=0.0, n_iter_no_change=3, learning_rate_init=0.05, max_iter=500,
                       random_state=0).fit(X, X[:, 0] - 2 * X[:, 1] + 0.1 * y)
    assert reg.n_iter_ < 500 and not has_ties(reg.loss_curve_, 0.0)
    assert reg.n_iter_ == sklearn_stop_epoch(reg.loss_curve_, 3, 0.0, rule="mlp")
    clf = MLPClassifier((8,), early_stopping=True, n_iter_no_change=3, max_iter=200,
                        random_state=0).fit(X, y)
    scores = clf.validation_scores_
    assert clf.n_iter_ < 200 and not has_ties(scores, clf.tol, mode="max")
    assert clf.n_iter_ == sklearn_stop_epoch(scores, 3, clf.tol, rule="mlp", mode="max")


def test_early_stopping_split_is_stratified_like_scikit_learns():
    # ceil(0.1 * 1) = 1: the one sample of class 2 would leave training without that class
    X, y = _noisy_binary(41)
    y[-1] = 2
    with pytest.raises(ValueError, match="of class 2, leaving none to train on"):
        MLPClassifier((3,), early_stopping=True, random_state=0).fit(X, y)
    MLPRegressor((3,), early_stopping=True, max_iter=3, random_state=0).fit(X, y.astype(float))


def test_early_stopping_needs_two_validation_samples_like_scikit_learn():
    """ceil(0.1 * 5) = 1 held-out sample: R² of one sample is undefined. scikit-learn says
    the validation set is too small; the error used to come from r2_score, naming neither
    early_stopping nor validation_fraction."""
    sklearn_nn = pytest.importorskip("sklearn.neural_network")
    X, y = _noisy_binary(5)
    y = y.astype(float)
    with pytest.raises(ValueError, match="validation set is too small"):
        sklearn_nn.MLPRegressor(hidden_layer_sizes=(3,), early_stopping=True).fit(X, y)
    with pytest.raises(ValueError, match=r"validation_fraction=0.1 of the 5 samples: 1 sample"):
        MLPRegressor((3,), early_stopping=True, random_state=0).fit(X, y)
    with pytest.warns(ConvergenceWarning):  # 20 samples hold out 2: enough
        MLPRegressor((3,), early_stopping=True, max_iter=2, random_state=0).fit(
            *_noisy_binary(20))


def test_optimizers_by_name_and_class():
    X, y = _noisy_binary(100)
    for optimizer, params in [("sgd", {"momentum": 0.9, "nesterov": True}),
                              ("RMSprop", None), (RMSprop, {"alpha": 0.9})]:
        clf = MLPClassifier((4,), optimizer=optimizer, optimizer_params=params, max_iter=100,
                            learning_rate_init=0.05, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            assert clf.fit(X, y).score(X, y) > 0.7


def test_multi_output_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    Y = np.column_stack([X[:, 0], X[:, 1] - X[:, 2]])
    reg = MLPRegressor((), alpha=0.0, learning_rate_init=0.05, max_iter=300,
                       random_state=0).fit(X, Y)
    assert reg.predict(X).shape == (100, 2) and reg.score(X, Y) > 0.99


def test_convergence_warning_and_divergence():
    X, y = _noisy_binary(60)
    with pytest.warns(ConvergenceWarning, match="MLPClassifier did not converge in max_iter=2 ep"):
        MLPClassifier((3,), max_iter=2, random_state=0).fit(X, y)
    # the advice names the estimator's parameter, not the optimizer's lr behind it
    with pytest.raises(DivergenceError, match=r"learning rate learning_rate_init=1e\+06 is "
                       r"probably too large: try a smaller learning_rate_init \(e\.g\. 100000\)"), \
            np.errstate(over="ignore", invalid="ignore"):
        MLPRegressor((50, 50), optimizer="sgd", learning_rate_init=1e6, max_iter=50,
                     random_state=0).fit(X, 1e3 * y)


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"hidden_layer_sizes": (10, 0)}, ValueError, r"hidden_layer_sizes\[1\] is 0"),
        ({"hidden_layer_sizes": (-3,)}, ValueError, r"hidden_layer_sizes\[0\] is -3"),
        ({"hidden_layer_sizes": (2.5,)}, TypeError, r"hidden_layer_sizes\[0\] must be an int"),
        ({"hidden_layer_sizes": "big"}, TypeError, "hidden_layer_sizes"),
        ({"activation": "rellu"}, ValueError, "Did you mean 'relu'"),
        ({"activation": "sigmoid"}, ValueError, "'logistic'"),
        ({"optimizer": "adamm"}, ValueError, "Did you mean 'adam'"),
        ({"optimizer_params": {"bogus": 1}}, TypeError, "optimizer_params do not fit Adam"),
        ({"optimizer_params": [1]}, TypeError, "optimizer_params must be a dict"),
        ({"alpha": -1.0}, ValueError, "alpha"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"learning_rate_init": 0.0}, ValueError, "learning_rate_init"),
        ({"max_iter": 0}, ValueError, "max_iter"),
        ({"early_stopping": True, "validation_fraction": 1.0}, ValueError,
         "validation_fraction"),
    ],
)
def test_bad_hyper_parameters(params, error, match):
    X, y = _noisy_binary(30)
    with pytest.raises(error, match=match):
        MLPClassifier(**params).fit(X, y)


def test_bad_targets():
    X = np.ones((4, 2))
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier().fit(X, [0.5, 1.5, 0.2, 0.1])
    with pytest.raises(ValueError, match="only one class"):
        MLPClassifier().fit(X, [1, 1, 1, 1])
    clf = MLPClassifier((2,), max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="3 features"):
        clf.predict(np.ones((2, 3)))


def test_to_module_gives_the_same_logits():
    X, y = _noisy_binary(50)
    clf = MLPClassifier((4, 3), activation="tanh", max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    module = clf.to_module()
    logits = np.asarray(module(X).data)
    np.testing.assert_allclose(1 / (1 + np.exp(-logits[:, 0])), clf.predict_proba(X)[:, 1])
    assert module[0].weight.data.shape == (4, 3)
