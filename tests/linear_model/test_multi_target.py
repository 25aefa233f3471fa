"""Several targets (a 2-D ``y``) in the linear regressors: scikit-learn's shapes and numbers, one
model per column, and a clear refusal where a solver fits one target only."""

import numpy as np
import pytest
from sklearn import linear_model as sk
from sklearn.utils import get_tags

from fromscratch.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from fromscratch.nn import MLPRegressor
from tolerance import assert_close_to_scale


def data(n=60, p=4, k=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    X[:, 0] += 2.0
    Y = X @ rng.normal(size=(p, k)) + np.arange(k) + 0.3 * rng.normal(size=(n, k))
    return X, Y, rng.uniform(0.2, 2.0, size=n)


PAIRS = {  # name: (ours, scikit-learn's, tolerance), as factories: each test its own models
    "ols-qr": (LinearRegression, sk.LinearRegression, {}, 1e-10),
    "ols-cholesky": (LinearRegression, sk.LinearRegression, {"solver": "cholesky"}, 1e-10),
    "nnls": (LinearRegression, sk.LinearRegression, {"positive": True}, 1e-10),
    "ridge": (Ridge, sk.Ridge, {"alpha": 3.0}, 1e-10),
    "ridge-qr": (Ridge, sk.Ridge, {"alpha": 3.0, "solver": "qr"}, 1e-10),
    "lasso": (Lasso, sk.Lasso, {"alpha": 0.05, "tol": 1e-12}, 1e-8),
    "enet": (ElasticNet, sk.ElasticNet, {"alpha": 0.05, "tol": 1e-12}, 1e-8),
}


def models(name, **params):
    """Ours and scikit-learn's model of ``name`` (only ours has a ``solver`` here)."""
    Ours, Reference, options, rtol = PAIRS[name]
    reference_options = {k: v for k, v in options.items() if k != "solver"}
    return Ours(**options, **params), Reference(**reference_options, **params), rtol


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("name", PAIRS)
def test_several_targets_match_scikit_learn(name, fit_intercept, weighted):
    ours, ref, rtol = models(name, fit_intercept=fit_intercept)
    X, Y, w = data()
    w = w if weighted else None
    ours = ours.fit(X, Y, sample_weight=w)
    ref = ref.fit(X, Y, sample_weight=w)
    assert ours.coef_.shape == ref.coef_.shape == (3, 4)
    assert np.shape(ours.intercept_) == np.shape(ref.intercept_)
    assert_close_to_scale(ours.coef_, ref.coef_, rtol)
    assert_close_to_scale(np.atleast_1d(ours.intercept_), np.atleast_1d(ref.intercept_), rtol)
    assert ours.predict(X).shape == (60, 3)
    assert_close_to_scale(ours.predict(X), ref.predict(X), rtol)
    assert ours.score(X, Y) == pytest.approx(ref.score(X, Y), rel=1e-9)


@pytest.mark.parametrize("name", PAIRS)
def test_each_column_is_its_own_model(name):
    """A 2-D fit is the 1-D fits of its columns side by side; a 1-D y keeps 1-D shapes."""
    model, _, rtol = models(name)
    X, Y, w = data()
    together = model.fit(X, Y, sample_weight=w)
    coef, intercept = together.coef_.copy(), together.intercept_.copy()
    for k in range(Y.shape[1]):
        alone = model.fit(X, Y[:, k], sample_weight=w)
        assert alone.coef_.shape == (4,) and np.ndim(alone.intercept_) == 0
        assert_close_to_scale(coef[k], alone.coef_, rtol)
        assert intercept[k] == pytest.approx(alone.intercept_, rel=rtol, abs=rtol)


def test_a_column_vector_stays_two_dimensional():
    """y of shape (n, 1) is one target given as a matrix: coef_ (1, p), as in scikit-learn."""
    X, Y, _ = data()
    ours, ref = LinearRegression().fit(X, Y[:, :1]), sk.LinearRegression().fit(X, Y[:, :1])
    assert ours.coef_.shape == ref.coef_.shape == (1, 4)
    assert ours.predict(X).shape == ref.predict(X).shape == (60, 1)


def test_elastic_net_warm_start_with_several_targets():
    X, Y, _ = data()
    model = ElasticNet(alpha=0.05, tol=1e-10, warm_start=True).fit(X, Y)
    assert isinstance(model.n_iter_, list) and len(model.n_iter_) == 3
    assert model.dual_gap_.shape == (3,)
    coef = model.coef_.copy()
    model.fit(X, Y)  # from its own solution: the gap is small before the first epoch
    assert model.n_iter_ == [0, 0, 0]
    assert_close_to_scale(model.coef_, coef, 1e-9)


@pytest.mark.parametrize("solver", ["gd", "sgd", "minibatch", "newton"])
def test_gradient_solvers_fit_one_target(solver):
    X, Y, _ = data()
    with pytest.raises(ValueError, match=rf"solver='{solver}' fits one target.*shape \(60, 3\)"):
        LinearRegression(solver=solver).fit(X, Y)
    if solver != "newton":
        with pytest.raises(ValueError, match=rf"solver='{solver}' fits one target"):
            Ridge(solver=solver).fit(X, Y)


def test_classifiers_still_want_one_label_per_sample():
    X, Y, _ = data()
    with pytest.raises(ValueError, match=r"y must be 1-D; got shape \(60, 3\)"):
        LogisticRegression().fit(X, Y.round())


@pytest.mark.parametrize("model", [LinearRegression(), Ridge(), Lasso(), ElasticNet(),
                                   MLPRegressor()],
                         ids=lambda m: type(m).__name__)
def test_tags_say_multi_output(model):
    tags = get_tags(model)
    assert tags.target_tags.multi_output and tags.target_tags.single_output
    assert not get_tags(LogisticRegression()).target_tags.multi_output
