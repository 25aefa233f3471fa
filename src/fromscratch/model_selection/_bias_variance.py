r"""The bias-variance decomposition of the squared error, estimated by the bootstrap.

.. math:: E[(y - \hat y)^2] = \mathrm{bias}^2 + \mathrm{variance} + \sigma^2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from fromscratch._validation import (
    _check_same_length,
    check_random_state,
    check_scalar,
    check_y,
)
from fromscratch.base import clone
from fromscratch.model_selection._split import _take

__all__ = ["BiasVarianceDecomposition", "bias_variance_decomposition"]


@dataclass(frozen=True)
class BiasVarianceDecomposition:
    r"""Result of :func:`bias_variance_decomposition` (averages over the test points).

    Attributes
    ----------
    loss : float
        $\frac1m \sum_j \frac1B \sum_b (y_j - \hat y_{bj})^2$, the mean squared error of the
        bootstrap models on the test set.
    bias2 : float
        Squared bias $\frac1m \sum_j (t_j - \bar y_j)^2$ of the mean prediction
        $\bar y_j = \frac1B \sum_b \hat y_{bj}$; see the function for the target $t_j$.
    variance : float
        $\frac1m \sum_j \frac1B \sum_b (\hat y_{bj} - \bar y_j)^2$.
    noise : float
        The irreducible error $\sigma^2$ (0 when neither the truth nor $\sigma^2$ is given).
    predictions : ndarray of shape (n_rounds, n_test)
        $\hat y_{bj}$, the prediction of bootstrap model $b$ at test point $j$.
    """

    loss: float
    bias2: float
    variance: float
    noise: float
    predictions: np.ndarray

    @property
    def mean_prediction(self) -> np.ndarray:
        r"""$\bar y_j$, the average prediction at each test point."""
        return self.predictions.mean(axis=0)


def _bootstrap_indices(rng: np.random.Generator, n_samples: int, n_rounds: int) -> np.ndarray:
    """Row $b$: the $n$ indices (drawn with replacement) of bootstrap training set $b$."""
    return rng.integers(0, n_samples, size=(n_rounds, n_samples))


def bias_variance_decomposition(
    estimator: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    n_rounds: int = 200,
    random_state: Any = None,
    y_test_true: Any = None,
    noise_variance: float | None = None,
) -> BiasVarianceDecomposition:
    r"""Bootstrap estimate of the bias–variance decomposition of the squared error.

    For a target $y = f(x) + \varepsilon$ with $E[\varepsilon] = 0$,
    $\mathrm{Var}[\varepsilon] = \sigma^2$, and a model $\hat f_D$ trained on a random
    training set $D$, at a fixed $x$:

    .. math::
        E_{D,\varepsilon}\big[(y - \hat f_D(x))^2\big]
        = \underbrace{\big(f(x) - E_D \hat f_D(x)\big)^2}_{\mathrm{bias}^2}
        + \underbrace{E_D\big[(\hat f_D(x) - E_D \hat f_D(x))^2\big]}_{\mathrm{variance}}
        + \underbrace{\sigma^2}_{\mathrm{noise}}.

    The expectation over training sets is replaced by $B$ bootstrap samples of
    ``(X_train, y_train)``: a clone of the estimator is fitted on each, giving predictions
    $\hat y_{bj}$ at the test points $x_j$, with mean $\bar y_j$. All terms are averaged over
    the $m$ test points. Which target $t_j$ the bias is measured against:

    * by default $t_j = y_j$, the observed (noisy) test target. Then the "bias²"
      $\frac1m\sum_j (y_j - \bar y_j)^2$ estimates $\mathrm{bias}^2 + \sigma^2$ (the noise
      cannot be told apart from bias without knowing $f$), ``noise`` is 0, and
      ``loss = bias2 + variance`` holds exactly. This is mlxtend's ``bias_variance_decomp``
      with ``loss="mse"``.
    * with ``noise_variance`` $\sigma^2$: bias2 is the same quantity minus $\sigma^2$ (an
      unbiased estimate of the squared bias when the test noise is independent of the
      training data; it may come out slightly negative), ``noise`` is $\sigma^2$, and
      ``loss = bias2 + variance + noise`` holds exactly.
    * with ``y_test_true`` $= f(x_j)$, the noiseless truth: $t_j = f(x_j)$ and
      ``noise`` is $\frac1m\sum_j (y_j - f(x_j))^2$. Now
      ``loss = bias2 + variance + noise`` holds only in expectation: the cross term
      $\frac2m\sum_j (y_j - f_j)(f_j - \bar y_j)$ averages to zero but is not zero.

    Parameters
    ----------
    estimator : regressor with fit/predict (cloned for every round)
    X_train, y_train : training data, resampled with replacement
    X_test, y_test : test data (the targets must be numbers)
    n_rounds : int, default 200
        Number of bootstrap rounds $B$.
    random_state : None, int or numpy.random.Generator
    y_test_true : array-like of shape (n_test,), optional
        Noiseless $f(x_j)$ (known for synthetic data).
    noise_variance : float, optional
        Known $\sigma^2$ (use at most one of ``y_test_true`` and ``noise_variance``).

    Returns
    -------
    BiasVarianceDecomposition
    """
    n_train = _check_same_length({"X_train": X_train, "y_train": y_train})
    _check_same_length({"X_test": X_test, "y_test": y_test})
    y_test = check_y(y_test, name="y_test")
    n_rounds = check_scalar(n_rounds, "n_rounds", kind=int, min_val=2)
    if y_test_true is not None and noise_variance is not None:
        raise ValueError("Give y_test_true or noise_variance, not both: each defines the noise.")

    indices = _bootstrap_indices(check_random_state(random_state), n_train, n_rounds)
    predictions = np.empty((n_rounds, y_test.shape[0]))
    for b, rows in enumerate(indices):
        model = clone(estimator).fit(_take(X_train, rows), _take(y_train, rows))
        predictions[b] = np.asarray(model.predict(X_test), dtype=np.float64).reshape(-1)
    if not np.isfinite(predictions).all():
        raise ValueError("The estimator returned NaN or infinite predictions in some "
                         "bootstrap round; check its inputs and hyper-parameters.")

    mean_prediction = predictions.mean(axis=0)
    loss = float(((y_test - predictions) ** 2).mean())
    variance = float(((predictions - mean_prediction) ** 2).mean())
    if y_test_true is not None:
        f = check_y(y_test_true, name="y_test_true")
        _check_same_length({"y_test": y_test, "y_test_true": f})
        bias2 = float(((f - mean_prediction) ** 2).mean())
        noise = float(((y_test - f) ** 2).mean())
    else:
        noise = 0.0 if noise_variance is None else check_scalar(noise_variance,
                                                               "noise_variance", min_val=0)
        bias2 = float(((y_test - mean_prediction) ** 2).mean()) - noise
    return BiasVarianceDecomposition(loss=loss, bias2=bias2, variance=variance, noise=noise,
                                     predictions=predictions)
