"""LogisticRegression.summary() against statsmodels' Logit, and the normal distribution written
from scratch against SciPy."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import special, stats
from sklearn.datasets import load_breast_cancer

from fromscratch.linear_model import LogisticRegression
from fromscratch.linear_model._summary import COLUMNS, erfc, norm_cdf, norm_ppf, norm_sf
from fromscratch.linear_model.logistic import PerfectSeparationWarning
from tolerance import assert_close_to_scale

# -- the normal distribution -----------------------------------------------------------------


def test_erfc_matches_scipy_to_full_relative_precision():
    # erfc(26) ~ 5.7e-296; beyond that the result is subnormal and loses digits anyway
    x = np.concatenate([np.linspace(-6.0, 26.0, 20_001), [1.5 - 1e-12, 1.5, 0.0, 1e-300]])
    np.testing.assert_allclose(erfc(x), special.erfc(x), rtol=5e-14, atol=0)
    assert erfc(40.0) == 0.0 and erfc(-40.0) == 2.0 and isinstance(erfc(0.5), float)
    assert np.isnan(erfc(np.nan))


def test_normal_cdf_sf_and_quantile_match_scipy():
    x = np.linspace(-10.0, 10.0, 2001)
    np.testing.assert_allclose(norm_cdf(x), stats.norm.cdf(x), rtol=1e-13, atol=0)
    np.testing.assert_allclose(norm_sf(x), stats.norm.sf(x), rtol=1e-13, atol=0)
    # Far in the tail the problem itself is ill-conditioned: the rounding of x/sqrt(2) (relative
    # 1e-16) moves Phi(x) by a relative x^2 * 1e-16 (d log Phi/dx ~ -x), about 1e-13 at |x| = 30.
    tail = np.linspace(10.0, 30.0, 501)
    np.testing.assert_allclose(norm_sf(tail), stats.norm.sf(tail), rtol=3 * 30.0**2 * 1e-16)
    q = np.concatenate([np.geomspace(1e-300, 0.5, 500), 1 - np.geomspace(1e-16, 0.5, 500)])
    np.testing.assert_allclose(norm_ppf(q), stats.norm.ppf(q), rtol=1e-13, atol=1e-13)
    assert norm_ppf(0.975) == pytest.approx(1.959963984540054, abs=1e-15)
    for bad in (0.0, 1.0, -0.5, np.nan):
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            norm_ppf(bad)


# -- the table against statsmodels -----------------------------------------------------------


def breast_cancer_subset():
    """Three features that are not collinear, on their original scales (as a statistician
    would fit them)."""
    data = load_breast_cancer(as_frame=True)
    return data.data[["mean radius", "mean texture", "mean concave points"]], data.target


def synthetic(seed=0, n=400):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3)) * [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0]
    logit = 0.3 + X @ np.array([1.2, -0.4, 0.0])  # the third feature has no effect
    return X, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)


def compare(summary, result, alpha=0.05):
    assert_close_to_scale(summary.coef, result.params, rtol=1e-8)
    np.testing.assert_allclose(summary.std_err, result.bse, rtol=1e-8)
    assert_close_to_scale(summary.z, result.tvalues, rtol=1e-8)
    np.testing.assert_allclose(summary.p_value, result.pvalues, rtol=1e-7, atol=1e-300)
    ci = np.asarray(result.conf_int(alpha=alpha))
    assert_close_to_scale(summary.ci_lower, ci[:, 0], rtol=1e-8)
    assert_close_to_scale(summary.ci_upper, ci[:, 1], rtol=1e-8)
    # odds ratios on the log scale: exp turns a relative error r of b into |b| * r
    assert_close_to_scale(np.log(summary.odds_ratio), result.params, rtol=1e-8)
    assert_close_to_scale(np.log(summary.odds_ratio_lower), ci[:, 0], rtol=1e-8)
    assert_close_to_scale(np.log(summary.odds_ratio_upper), ci[:, 1], rtol=1e-8)
    np.testing.assert_allclose(summary.log_likelihood, result.llf, rtol=1e-10)
    np.testing.assert_allclose(summary.deviance, -2 * result.llf, rtol=1e-10)
    np.testing.assert_allclose(summary.aic, result.aic, rtol=1e-10)
    # statsmodels fits its null model iteratively, to its own default tolerance
    np.testing.assert_allclose(summary.null_log_likelihood, result.llnull, rtol=1e-6)
    np.testing.assert_allclose(summary.pseudo_r2, result.prsquared, rtol=1e-6)


def test_summary_matches_statsmodels_on_breast_cancer():
    X, y = breast_cancer_subset()
    summary = LogisticRegression(C=np.inf, tol=1e-10).fit(X, y).summary()
    result = sm.Logit(np.asarray(y), sm.add_constant(np.asarray(X))).fit(disp=0, tol=1e-12)
    compare(summary, result)
    assert summary.names == ["intercept", "mean radius", "mean texture", "mean concave points"]


@pytest.mark.parametrize("alpha", [0.05, 0.01])
def test_summary_matches_statsmodels_on_synthetic_data(alpha):
    X, y = synthetic()
    summary = LogisticRegression(C=np.inf, tol=1e-10).fit(X, y).summary(alpha=alpha)
    result = sm.Logit(y, sm.add_constant(X)).fit(disp=0, tol=1e-12)
    compare(summary, result, alpha=alpha)
    assert summary.names == ["intercept", "x1", "x2", "x3"]
    assert summary.p_value[3] > 0.05 > summary.p_value[1]  # the truth: x3 has no effect


def test_summary_without_intercept_and_with_other_solvers():
    X, y = synthetic(seed=1)
    result = sm.Logit(y, X).fit(disp=0, tol=1e-12)
    compare_no_null = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-10).fit(X, y)
    summary = compare_no_null.summary()
    assert_close_to_scale(summary.coef, result.params, rtol=1e-8)
    np.testing.assert_allclose(summary.std_err, result.bse, rtol=1e-8)
    np.testing.assert_allclose(summary.log_likelihood, result.llf, rtol=1e-10)
    assert summary.names == ["x1", "x2", "x3"]
    # the standard errors come from the Hessian at whatever optimum the solver found
    gd = LogisticRegression(C=np.inf, solver="gd", learning_rate=1.0, max_iter=3000,
                            tol=None).fit(X, y).summary()
    reference = LogisticRegression(C=np.inf, tol=1e-10).fit(X, y).summary()
    np.testing.assert_allclose(gd.std_err, reference.std_err, rtol=1e-5)


def test_the_table_object():
    pd = pytest.importorskip("pandas")
    X, y = breast_cancer_subset()
    summary = LogisticRegression(C=np.inf).fit(X, y).summary()
    text = str(summary)
    for word in ("mean concave points", "intercept", "Log-likelihood", "AIC", "odds ratio",
                 "P>|z|", "[0.025", "0.975]", "Deviance"):
        assert word in text
    frame = summary.to_frame()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == list(COLUMNS)
    assert list(frame.index) == summary.names
    for column in COLUMNS:
        np.testing.assert_array_equal(summary[column], getattr(summary, column))
        np.testing.assert_array_equal(frame[column].to_numpy(), summary[column])
    with pytest.raises(KeyError, match="unknown column 'pvalue'.*p_value"):
        summary["pvalue"]


def test_separated_classes_give_one_clear_warning_and_no_overflow_warnings():
    # All 30 features of the breast-cancer data separate the classes: the fit stops with its
    # PerfectSeparationWarning at coefficients in the thousands, whose odds ratios (and interval
    # ends) exceed the float range. The table shows inf for them; printing it used to add an
    # "overflow encountered in exp" RuntimeWarning per row and odds-ratio column.
    pytest.importorskip("pandas")
    X, y = load_breast_cancer(return_X_y=True)
    with pytest.warns(PerfectSeparationWarning) as record:
        summary = LogisticRegression(C=np.inf).fit(X, y).summary()
        text = str(summary)
        summary.to_frame()
    assert [warning.category for warning in record] == [PerfectSeparationWarning]
    assert np.isinf(summary.odds_ratio_upper).any()  # the overflowing case was exercised
    assert "inf" in text


def test_summary_refuses_what_it_cannot_do():
    X, y = synthetic()
    with pytest.raises(ValueError, match="unpenalized fit"):
        LogisticRegression(C=1.0).fit(X, y).summary()
    y3 = np.r_[y[:-50], np.full(50, 2)]
    with pytest.raises(ValueError, match="binary"):
        LogisticRegression(C=np.inf).fit(X, y3).summary()
    collinear = np.column_stack([X, X[:, 0]])  # the information matrix is singular
    with pytest.raises(ValueError, match="singular"):
        LogisticRegression(C=np.inf).fit(collinear, y).summary()
    with pytest.raises(ValueError, match="alpha"):
        LogisticRegression(C=np.inf).fit(X, y).summary(alpha=1.5)
