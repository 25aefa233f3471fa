r"""Regression metrics: errors of real-valued predictions, per output and combined.

Each takes ``y_true`` and ``y_pred`` of shape (n_samples,) or (n_samples, n_outputs); the
per-output values are returned as they are, averaged, or averaged with given weights
(``multioutput``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch._validation import (
    _check_same_length,
    check_choice,
    check_sample_weight,
    check_y,
)

_MULTIOUTPUT = ("raw_values", "uniform_average")


def _regression_inputs(
    y_true: Any, y_pred: Any, sample_weight: Any, multioutput: Any, extra_choices: tuple = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, Any]:
    """2-D arrays (n_samples, n_outputs) of equal shape, the weights and the averaging rule."""
    y_true = check_y(y_true, name="y_true", multi_output=True)
    y_pred = check_y(y_pred, name="y_pred", multi_output=True)
    _check_same_length({"y_true": y_true, "y_pred": y_pred})
    y_true = y_true.reshape(y_true.shape[0], -1)
    y_pred = y_pred.reshape(y_pred.shape[0], -1)
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            f"y_true has {y_true.shape[1]} output(s) but y_pred has {y_pred.shape[1]}."
        )
    w = check_sample_weight(sample_weight, y_true.shape[0])
    if isinstance(multioutput, str):
        check_choice(multioutput, "multioutput", _MULTIOUTPUT + extra_choices)
    else:
        multioutput = check_y(multioutput, name="multioutput")
        if multioutput.shape[0] != y_true.shape[1]:
            raise ValueError(
                f"multioutput has {multioutput.shape[0]} weights but there are "
                f"{y_true.shape[1]} outputs."
            )
    return y_true, y_pred, w, multioutput


def _combine_outputs(per_output: np.ndarray, multioutput: Any) -> float | np.ndarray:
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return per_output
    weights = None if isinstance(multioutput, str) else multioutput
    return float(np.average(per_output, weights=weights))


def mean_squared_error(
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    multioutput: str | Any = "uniform_average",
) -> float | np.ndarray:
    r"""Mean squared error $\mathrm{MSE} = \sum_i w_i (y_i - \hat y_i)^2 / \sum_i w_i$.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"raw_values", "uniform_average"} or array-like of shape (n_outputs,)
        How the per-output errors are combined: returned as they are, averaged, or averaged
        with the given weights.
    """
    y_true, y_pred, w, multioutput = _regression_inputs(y_true, y_pred, sample_weight, multioutput)
    per_output = np.average((y_true - y_pred) ** 2, axis=0, weights=w)
    return _combine_outputs(per_output, multioutput)


def root_mean_squared_error(
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    multioutput: str | Any = "uniform_average",
) -> float | np.ndarray:
    r"""Root mean squared error $\sqrt{\mathrm{MSE}}$, taken per output before averaging.

    Parameters are those of :func:`mean_squared_error`.
    """
    per_output = np.sqrt(
        mean_squared_error(y_true, y_pred, sample_weight=sample_weight, multioutput="raw_values")
    )
    _, _, _, multioutput = _regression_inputs(y_true, y_pred, sample_weight, multioutput)
    return _combine_outputs(per_output, multioutput)


def mean_absolute_error(
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    multioutput: str | Any = "uniform_average",
) -> float | np.ndarray:
    r"""Mean absolute error $\mathrm{MAE} = \sum_i w_i \lvert y_i - \hat y_i \rvert / \sum_i w_i$.

    Parameters are those of :func:`mean_squared_error`.
    """
    y_true, y_pred, w, multioutput = _regression_inputs(y_true, y_pred, sample_weight, multioutput)
    per_output = np.average(np.abs(y_true - y_pred), axis=0, weights=w)
    return _combine_outputs(per_output, multioutput)


def r2_score(
    y_true: Any,
    y_pred: Any,
    *,
    sample_weight: Any = None,
    multioutput: str | Any = "uniform_average",
    force_finite: bool = True,
) -> float | np.ndarray:
    r"""Coefficient of determination

    .. math::
        R^2 = 1 - \frac{\sum_i w_i (y_i - \hat y_i)^2}{\sum_i w_i (y_i - \bar y_w)^2},
        \qquad \bar y_w = \frac{\sum_i w_i y_i}{\sum_i w_i}.

    $R^2 = 1$ is a perfect fit, $0$ is as good as predicting the (weighted) mean, and it is
    negative for worse predictions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array-like
        ``"variance_weighted"`` weights each output by its denominator (the spread of $y$).
    force_finite : bool, default True
        For a constant ``y_true`` the denominator is 0. Like scikit-learn, ``True`` returns 1
        for a perfect prediction and 0 otherwise; ``False`` returns ``nan`` / ``-inf``.

    Raises
    ------
    ValueError
        Fewer than two samples (the spread of ``y_true`` is then undefined).
    """
    y_true, y_pred, w, multioutput = _regression_inputs(
        y_true, y_pred, sample_weight, multioutput, extra_choices=("variance_weighted",)
    )
    if y_true.shape[0] < 2:
        raise ValueError(
            "r2_score needs at least 2 samples: with one sample the spread of y_true, "
            "the denominator of R², is undefined."
        )
    weights = np.ones(y_true.shape[0]) if w is None else w
    weights = weights[:, None]
    numerator = (weights * (y_true - y_pred) ** 2).sum(axis=0)
    y_bar = (weights * y_true).sum(axis=0) / weights.sum()
    denominator = (weights * (y_true - y_bar) ** 2).sum(axis=0)

    nonzero_denominator = denominator != 0
    if force_finite:
        # 1 for an exact fit of a constant target, 0 for any error on a constant target.
        per_output = np.where(numerator == 0, 1.0, 0.0)
        per_output[nonzero_denominator] = (
            1 - numerator[nonzero_denominator] / denominator[nonzero_denominator]
        )
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            per_output = 1 - numerator / denominator

    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        # Weight each output by its spread; if every output is constant, weight them equally.
        multioutput = denominator if nonzero_denominator.any() else "uniform_average"
    with np.errstate(invalid="ignore"):  # only force_finite=False can hold nan/-inf here
        return _combine_outputs(per_output, multioutput)

