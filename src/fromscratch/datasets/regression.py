r"""Synthetic regression data whose truth is known: a linear model and two noisy curves.

Each generator draws targets :math:`y = f(x) + \varepsilon` with Gaussian noise
:math:`\varepsilon \sim \mathcal N(0, \sigma^2)` and returns, besides ``X`` and ``y``, the
noiseless values ``y_clean`` :math:`= f(x)` and the function ``true_function`` itself, so a
chapter can compare a fitted model with the truth, and split its error into bias and variance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_random_state, check_scalar
from fromscratch.datasets._bunch import Bunch, DatasetInfo, make_bunch
from fromscratch.datasets._common import (
    SYNTHETIC_LICENCE,
    check_interval,
    check_n_samples,
    check_noise,
)

__all__ = ["make_linear", "make_sine", "make_polynomial", "REGRESSION_GENERATORS"]

LINEAR = DatasetInfo(
    name="linear",
    kind="synthetic",
    task="regression",
    summary=("Linear data y = Xw + b + ε with standard normal features (independent, or "
             "correlated ρ^|j−k|) and Gaussian noise."),
    source="fromscratch.datasets.make_linear",
    citation="—",
    licence=SYNTHETIC_LICENCE,
)
SINE = DatasetInfo(
    name="sine",
    kind="synthetic",
    task="regression",
    summary="A noisy sine curve y = sin(2πνx) + ε, x uniform on an interval.",
    source="fromscratch.datasets.make_sine",
    citation=(
        "C. M. Bishop (2006). Pattern Recognition and Machine Learning, section 1.1. Springer."
    ),
    licence=SYNTHETIC_LICENCE,
)
POLYNOMIAL = DatasetInfo(
    name="polynomial",
    kind="synthetic",
    task="regression",
    summary="A noisy polynomial y = Σ c_k x^k + ε, x uniform on an interval.",
    source="fromscratch.datasets.make_polynomial",
    citation="—",
    licence=SYNTHETIC_LICENCE,
)


def _check_vector(values: Any, name: str) -> np.ndarray:
    """A non-empty 1-D float64 vector of finite numbers."""
    vector = check_array(values, name=name, ensure_2d=False, dtype=np.float64)
    if vector.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {vector.shape}.")
    return vector


def _curve_bunch(
    info: DatasetInfo,
    f: Callable[[np.ndarray], np.ndarray],
    n_samples: Any,
    noise: Any,
    x_range: Any,
    random_state: Any,
    **extra: Any,
) -> Bunch:
    """Sample x uniformly on ``x_range`` and y = f(x) + noise: the 1-D curve generators."""
    n_samples = check_n_samples(n_samples)
    sigma = check_noise(noise)
    low, high = check_interval(x_range, "x_range")
    rng = check_random_state(random_state)
    x = rng.uniform(low, high, size=n_samples)
    y_clean = f(x)
    y = y_clean + sigma * rng.standard_normal(n_samples)
    return make_bunch(
        info, x[:, None], y, feature_names=["x"], target_name="y",
        y_clean=y_clean, true_function=f, noise=sigma, x_range=(low, high), **extra,
    )


def make_linear(
    n_samples: int = 100,
    n_features: int | None = None,
    *,
    coef: Sequence[float] | np.ndarray | None = None,
    intercept: float = 0.0,
    noise: float = 1.0,
    correlation: float = 0.0,
    random_state: int | np.random.Generator | None = None,
    chunks: int | Sequence[int] | None = None,
) -> Bunch:
    r"""Data from a known linear model with Gaussian noise.

    .. math:: y_i = x_i^\top w + b + \varepsilon_i, \qquad
              x_i \sim \mathcal N(0, \Sigma), \quad \varepsilon_i \sim \mathcal N(0, \sigma^2),
              \qquad \Sigma_{jk} = \rho^{|j-k|},

    the rows and the noise independent. With :math:`\rho = 0` (the default) the features are
    independent standard normals; otherwise neighbouring features are correlated
    (an AR(1) sequence across the columns,
    :math:`x_j = \rho x_{j-1} + \sqrt{1-\rho^2}\,z_j` with independent standard normal
    :math:`z_j`, so each :math:`x_j` stays standard normal), the classic design on which
    gradient methods slow down and the lasso picks among near-duplicates.

    Parameters
    ----------
    n_samples : int, default 100
        Number of rows n ≥ 1.
    n_features : int, optional
        Number of features d ≥ 1. Defaults to ``len(coef)``, or 1 when ``coef`` is not given.
    coef : array-like of shape (d,), optional
        The true weights w. When omitted they are drawn from :math:`\mathcal N(0, 1)`.
    intercept : float, default 0.0
        The true intercept b.
    noise : float, default 1.0
        Standard deviation σ ≥ 0 of the noise.
    correlation : float, default 0.0
        ρ in [−1, 1], the correlation of neighbouring features.
    random_state : None, int or numpy.random.Generator
        Source of randomness (see :func:`fromscratch._validation.check_random_state`).
    chunks : int or sequence of int, optional
        Return **lazy** Dask arrays of row blocks of these sizes (an int: rows per block)
        instead of NumPy arrays: data of any size, generated block by block when computed
        (needs ``fromscratch[dask]``). The weights come from ``random_state``, and each block
        from its own seed derived from it (:func:`fromscratch.blocks.block_seeds`), so the
        data are the same on every compute and on any scheduler — but not the same numbers as
        ``chunks=None``.

    Returns
    -------
    Bunch
        ``X`` (n, d) float64, ``y`` (n,) float64, ``coef``, ``intercept``, ``noise``,
        ``y_clean`` :math:`= Xw + b` and ``true_function`` (maps X to :math:`Xw + b`).

    Examples
    --------
    >>> data = make_linear(200, coef=[2.0, -1.0], intercept=0.5, noise=0.1, random_state=0)
    >>> data.X.shape, data.coef
    ((200, 2), array([ 2., -1.]))
    """
    n_samples = check_n_samples(n_samples)
    intercept = float(check_scalar(intercept, "intercept"))
    sigma = check_noise(noise)
    rho = check_scalar(correlation, "correlation", min_val=-1.0, max_val=1.0)
    rng = check_random_state(random_state)
    if coef is not None:
        w = _check_vector(coef, "coef")
        if n_features is not None and check_scalar(n_features, "n_features", kind=int) != w.size:
            raise ValueError(
                f"n_features={n_features} but coef has {w.size} entries; give one of them, "
                "or make them agree."
            )
    else:
        d = 1 if n_features is None else check_scalar(n_features, "n_features", kind=int, min_val=1)
        w = rng.standard_normal(d)

    def true_function(X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ w + intercept

    def rows(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        X = rng.standard_normal((size, w.size))
        for j in range(1, w.size if rho else 0):
            X[:, j] = rho * X[:, j - 1] + np.sqrt(1.0 - rho * rho) * X[:, j]
        y_clean = true_function(X)
        return X, y_clean + sigma * rng.standard_normal(size), y_clean

    if chunks is None:
        X, y, y_clean = rows(rng, n_samples)
    else:
        from fromscratch.blocks import lazy_rows, row_chunk_sizes

        X, y, y_clean = lazy_rows(rows, row_chunk_sizes(n_samples, chunks), rng,
                                  shapes=[(w.size,), (), ()], dtypes=[np.float64] * 3)
    return make_bunch(
        LINEAR, X, y, feature_names=[f"x{j}" for j in range(w.size)], target_name="y",
        coef=w, intercept=intercept, noise=sigma, correlation=rho, y_clean=y_clean,
        true_function=true_function,
    )


def make_sine(
    n_samples: int = 20,
    *,
    noise: float = 0.3,
    frequency: float = 1.0,
    x_range: tuple[float, float] = (0.0, 1.0),
    random_state: int | np.random.Generator | None = None,
) -> Bunch:
    r"""A noisy sine curve, the running example of polynomial fitting and of bias–variance.

    .. math:: y_i = \sin(2\pi\nu x_i) + \varepsilon_i, \qquad
              x_i \sim \mathcal U(a, b), \quad \varepsilon_i \sim \mathcal N(0, \sigma^2).

    Parameters
    ----------
    n_samples : int, default 20
        Number of points n ≥ 1.
    noise : float, default 0.3
        Noise standard deviation σ ≥ 0 (Bishop's figures use 0.3).
    frequency : float, default 1.0
        ν, the number of periods per unit of x.
    x_range : (float, float), default (0, 1)
        The interval (a, b) the inputs are drawn from.
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    Bunch
        ``X`` (n, 1), ``y`` (n,), ``y_clean`` :math:`= \sin(2\pi\nu x)`, ``true_function``
        (elementwise, for drawing the truth on a grid), ``noise``, ``x_range``, ``frequency``.
    """
    frequency = float(check_scalar(frequency, "frequency", min_val=0.0, include_min=False))

    def true_function(x: np.ndarray) -> np.ndarray:
        return np.sin(2.0 * np.pi * frequency * np.asarray(x, dtype=np.float64))

    return _curve_bunch(
        SINE, true_function, n_samples, noise, x_range, random_state, frequency=frequency
    )


def make_polynomial(
    n_samples: int = 20,
    *,
    coef: Sequence[float] | np.ndarray = (0.0, -1.0, 0.0, 2.0),
    noise: float = 0.2,
    x_range: tuple[float, float] = (-1.0, 1.0),
    random_state: int | np.random.Generator | None = None,
) -> Bunch:
    r"""A noisy polynomial curve.

    .. math:: y_i = \sum_{k=0}^{p} c_k x_i^k + \varepsilon_i, \qquad
              x_i \sim \mathcal U(a, b), \quad \varepsilon_i \sim \mathcal N(0, \sigma^2).

    Parameters
    ----------
    n_samples : int, default 20
        Number of points n ≥ 1.
    coef : array-like, default (0, -1, 0, 2)
        Coefficients :math:`c_0, c_1, …, c_p` in increasing powers (NumPy's
        ``numpy.polynomial`` order); the default is :math:`2x^3 - x`.
    noise : float, default 0.2
        Noise standard deviation σ ≥ 0.
    x_range : (float, float), default (-1, 1)
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    Bunch
        ``X`` (n, 1), ``y`` (n,), ``coef``, ``y_clean``, ``true_function`` (elementwise),
        ``noise``, ``x_range``.
    """
    c = _check_vector(coef, "coef")

    def true_function(x: np.ndarray) -> np.ndarray:
        # Horner's rule: c_0 + x(c_1 + x(c_2 + …)), one multiply-add per coefficient.
        x = np.asarray(x, dtype=np.float64)
        value = np.full_like(x, c[-1])
        for c_k in c[-2::-1]:
            value = value * x + c_k
        return value

    return _curve_bunch(POLYNOMIAL, true_function, n_samples, noise, x_range, random_state, coef=c)


#: name -> (generator, its DatasetInfo), for every synthetic regression data set.
REGRESSION_GENERATORS: dict[str, tuple[Callable[..., Bunch], DatasetInfo]] = {
    LINEAR.name: (make_linear, LINEAR),
    SINE.name: (make_sine, SINE),
    POLYNOMIAL.name: (make_polynomial, POLYNOMIAL),
}
