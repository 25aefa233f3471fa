"""make_linear, make_sine, make_polynomial: the documented model, noise level and truth."""

import numpy as np
import pytest
from numpy.polynomial import polynomial

from fromscratch import datasets


def _sample_std_tolerance(n):
    """Four standard errors of a sample standard deviation, relative: 4 / sqrt(2 (n - 1))."""
    return 4.0 / np.sqrt(2.0 * (n - 1))


def test_make_linear_noise_has_the_requested_std():
    n, sigma = 20_000, 0.7
    data = datasets.make_linear(n, coef=[1.5, -2.0, 0.25], intercept=3.0, noise=sigma,
                                random_state=0)
    residual = data.y - data.X @ np.array([1.5, -2.0, 0.25]) - 3.0
    assert residual.std(ddof=1) == pytest.approx(sigma, rel=_sample_std_tolerance(n))
    assert abs(residual.mean()) <= 4 * sigma / np.sqrt(n)
    np.testing.assert_array_equal(data.y_clean, data.X @ data.coef + data.intercept)
    np.testing.assert_array_equal(data.true_function(data.X), data.y_clean)


def test_make_linear_least_squares_recovers_the_coefficients():
    """numpy.linalg.lstsq on the generated data lands within sampling error of the truth."""
    n, sigma = 5_000, 0.5
    data = datasets.make_linear(n, 4, intercept=-1.0, noise=sigma, random_state=3)
    design = np.column_stack([data.X, np.ones(n)])
    estimate, *_ = np.linalg.lstsq(design, data.y, rcond=None)
    # X is standard normal, so each coefficient's standard error is about sigma / sqrt(n).
    np.testing.assert_allclose(estimate[:4], data.coef, atol=5 * sigma / np.sqrt(n))
    assert estimate[4] == pytest.approx(-1.0, abs=5 * sigma / np.sqrt(n))


def test_make_linear_features_are_standard_normal_and_shapes_follow_coef():
    data = datasets.make_linear(20_000, 3, random_state=1)
    assert data.X.shape == (20_000, 3) and data.coef.shape == (3,)
    np.testing.assert_allclose(data.X.mean(axis=0), 0.0, atol=0.03)
    np.testing.assert_allclose(data.X.std(axis=0), 1.0, atol=0.03)
    assert datasets.make_linear(10, random_state=0).X.shape == (10, 1)
    assert datasets.make_linear(10, coef=[1.0, 2.0], random_state=0).X.shape == (10, 2)
    noiseless = datasets.make_linear(50, 2, noise=0.0, random_state=0)
    np.testing.assert_array_equal(noiseless.y, noiseless.y_clean)


@pytest.mark.parametrize("rho", [0.9, -0.5])
def test_make_linear_correlated_features_have_correlation_rho_to_the_lag(rho):
    n = 50_000
    data = datasets.make_linear(n, 5, correlation=rho, random_state=2)
    assert data.correlation == rho
    lags = np.abs(np.subtract.outer(np.arange(5), np.arange(5)))
    # Standard error of a sample correlation r: (1 - r²)/sqrt(n) < 1/sqrt(n).
    np.testing.assert_allclose(np.corrcoef(data.X, rowvar=False), rho ** lags,
                               atol=5 / np.sqrt(n))
    np.testing.assert_allclose(data.X.std(axis=0), 1.0, atol=5 / np.sqrt(2 * n))
    np.testing.assert_array_equal(data.y_clean, data.X @ data.coef)


def test_make_linear_correlation_zero_keeps_the_independent_draws():
    independent = datasets.make_linear(100, 4, random_state=7)
    np.testing.assert_array_equal(
        datasets.make_linear(100, 4, correlation=0.0, random_state=7).X, independent.X)
    collinear = datasets.make_linear(100, 4, correlation=1.0, random_state=7)
    np.testing.assert_array_equal(collinear.X, np.repeat(independent.X[:, :1], 4, axis=1))
    with pytest.raises(ValueError, match="correlation"):
        datasets.make_linear(100, 4, correlation=1.5)


def test_make_sine_is_the_sine_plus_noise():
    n = 20_000
    data = datasets.make_sine(n, noise=0.3, frequency=2.0, x_range=(-1.0, 2.0), random_state=0)
    x = data.X[:, 0]
    assert data.X.shape == (n, 1) and x.min() >= -1.0 and x.max() < 2.0
    np.testing.assert_allclose(data.y_clean, np.sin(4.0 * np.pi * x), rtol=0, atol=1e-15)
    residual = data.y - data.y_clean
    assert residual.std(ddof=1) == pytest.approx(0.3, rel=_sample_std_tolerance(n))
    grid = np.linspace(0, 1, 7)
    np.testing.assert_allclose(data.true_function(grid), np.sin(4 * np.pi * grid), atol=1e-15)


def test_make_polynomial_truth_matches_numpy_polyval():
    coef = [0.5, -1.0, 0.0, 2.0, -0.3]
    data = datasets.make_polynomial(500, coef=coef, noise=0.0, random_state=0)
    x = data.X[:, 0]
    np.testing.assert_allclose(data.y, polynomial.polyval(x, coef), rtol=1e-14, atol=1e-15)
    default = datasets.make_polynomial(50, noise=0.0, random_state=0)
    x = default.X[:, 0]
    np.testing.assert_allclose(default.y, 2 * x**3 - x, atol=1e-15)  # documented default
    assert x.min() >= -1 and x.max() < 1


@pytest.mark.parametrize("generator", [datasets.make_linear, datasets.make_sine,
                                       datasets.make_polynomial])
def test_reproducible_and_seed_dependent(generator):
    a, b, c = (generator(30, random_state=seed) for seed in (5, 5, 6))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, c.y)
    # A Generator is used as is; a fresh one with the same seed reproduces the int seed.
    d = generator(30, random_state=np.random.default_rng(5))
    np.testing.assert_array_equal(a.y, d.y)


@pytest.mark.parametrize("generator", [datasets.make_linear, datasets.make_sine,
                                       datasets.make_polynomial])
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_samples": 0}, ValueError, "n_samples must be in \\[1"),
        ({"n_samples": -5}, ValueError, "n_samples must be in \\[1"),
        ({"n_samples": 2.5}, TypeError, "n_samples must be an int"),
        ({"n_samples": "10"}, TypeError, "n_samples must be an int"),
        ({"n_samples": True}, TypeError, "n_samples must be an int, got the boolean"),
        ({"noise": -0.1}, ValueError, "noise must be in \\[0"),
        ({"noise": float("nan")}, ValueError, "noise must be a number, got NaN"),
        ({"noise": "high"}, TypeError, "noise must be a real number"),
        ({"random_state": -1}, ValueError, "random_state must be a non-negative int"),
        ({"random_state": 1.5}, TypeError, "random_state must be None"),
        ({"random_state": "seed"}, TypeError, "random_state must be None"),
    ],
)
def test_bad_input(generator, kwargs, error, message):
    with pytest.raises(error, match=message):
        generator(**kwargs)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: datasets.make_linear(10, 3, coef=[1.0, 2.0]), ValueError,
         "n_features=3 but coef has 2"),
        (lambda: datasets.make_linear(10, 0), ValueError, "n_features must be in \\[1"),
        (lambda: datasets.make_linear(10, coef=[[1.0]]), ValueError, "coef must be 1-D"),
        (lambda: datasets.make_linear(10, coef=[1.0, np.inf]), ValueError, "coef contains"),
        (lambda: datasets.make_linear(10, intercept="b"), TypeError, "intercept must be"),
        (lambda: datasets.make_sine(10, frequency=0), ValueError, "frequency must be in"),
        (lambda: datasets.make_sine(10, x_range=(1, 0)), ValueError, "low < high"),
        (lambda: datasets.make_sine(10, x_range=(0, np.inf)), ValueError,
         "x_range\\[1\\] must be finite"),
        (lambda: datasets.make_sine(10, x_range="ab"), TypeError, "x_range must be a pair"),
        (lambda: datasets.make_polynomial(10, x_range=(0, 1, 2)), TypeError,
         "x_range must be a pair"),
        (lambda: datasets.make_polynomial(10, coef=[]), ValueError, "coef has 0 sample"),
        (lambda: datasets.make_polynomial(10, coef=["a"]), TypeError, "coef contains strings"),
    ],
)
def test_bad_generator_specific_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
