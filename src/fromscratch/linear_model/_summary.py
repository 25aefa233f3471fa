r"""Statistical inference for a fitted logistic regression: the normal distribution from
scratch, and the coefficient table that statistics software prints.

The maximum-likelihood estimator is asymptotically normal,
:math:`\hat\beta \approx \mathcal N(\beta, I(\hat\beta)^{-1})`, where the observed information
:math:`I(\hat\beta) = -\nabla^2 \log L(\hat\beta) = \tilde X^\top S \tilde X` is the Hessian of
the negative log-likelihood at the optimum. Every column of the table follows from it:

.. math::

    \mathrm{se}_j = \sqrt{[I^{-1}]_{jj}}, \qquad z_j = \hat\beta_j / \mathrm{se}_j, \qquad
    p_j = P(|Z| > |z_j|) = \mathrm{erfc}(|z_j|/\sqrt2),

    \hat\beta_j \pm z_{1-\alpha/2}\,\mathrm{se}_j, \qquad
    \text{odds ratio } e^{\hat\beta_j} \text{ with interval }
    [e^{\hat\beta_j - z\,\mathrm{se}_j},\, e^{\hat\beta_j + z\,\mathrm{se}_j}].

The complementary error function is computed here without SciPy: a power series with only
positive terms for small arguments and Laplace's continued fraction for large ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["erfc", "norm_cdf", "norm_sf", "norm_ppf", "LogitSummary"]

_SQRT_PI = math.sqrt(math.pi)
#: Below this argument erfc = 1 - erf (series); above it, the continued fraction.
_SERIES_LIMIT = 1.5
#: Terms of the continued fraction; from x = 1.5 on it has converged to double precision.
_CF_TERMS = 120


def _erf_series(x: np.ndarray) -> np.ndarray:
    r"""erf for :math:`0 \le x < 1.5`: :math:`\frac{2}{\sqrt\pi} e^{-x^2}
    \sum_{n\ge0} \frac{2^n x^{2n+1}}{1\cdot3\cdots(2n+1)}`.

    Every term is positive, so no digits are lost to cancellation (unlike the alternating
    Taylor series of erf); the terms shrink by :math:`2x^2/(2n+1)`.
    """
    term = x.copy()
    total = x.copy()
    n = 0
    while np.any(term > 1e-17 * total):
        n += 1
        term = term * (2.0 * x * x) / (2 * n + 1)
        total = total + term
    return 2.0 / _SQRT_PI * np.exp(-x * x) * total


def _erfc_continued_fraction(x: np.ndarray) -> np.ndarray:
    r"""erfc for :math:`x \ge 1.5`, Laplace's continued fraction

    .. math:: \mathrm{erfc}(x) = \frac{e^{-x^2}}{\sqrt\pi}\;
        \cfrac{1}{x + \cfrac{1/2}{x + \cfrac{1}{x + \cfrac{3/2}{x + \cdots}}}}

    evaluated from the tail up (the :math:`k`-th partial numerator is :math:`k/2`). It gives the
    small tail probabilities to full *relative* precision, where :math:`1 - \mathrm{erf}` would
    return 0.
    """
    f = x.copy()
    for k in range(_CF_TERMS, 0, -1):
        f = x + (k / 2.0) / f
    return np.exp(-x * x) / (_SQRT_PI * f)


def erfc(x: Any) -> np.ndarray | float:
    r"""The complementary error function :math:`\mathrm{erfc}(x) = \frac{2}{\sqrt\pi}
    \int_x^\infty e^{-t^2}\,dt`, elementwise, to about 1e-15 relative accuracy.

    Negative arguments use :math:`\mathrm{erfc}(-x) = 2 - \mathrm{erfc}(x)`.
    """
    values = np.asarray(x, dtype=np.float64)
    a = np.abs(values)
    out = np.empty_like(a)
    small = a < _SERIES_LIMIT
    out[small] = 1.0 - _erf_series(a[small])
    out[~small] = _erfc_continued_fraction(a[~small])
    out = np.where(values < 0, 2.0 - out, out)
    out = np.where(np.isnan(values), np.nan, out)
    return float(out) if np.ndim(x) == 0 else out


def norm_cdf(x: Any) -> np.ndarray | float:
    r"""Standard normal CDF :math:`\Phi(x) = \tfrac12\mathrm{erfc}(-x/\sqrt2)`."""
    return 0.5 * erfc(-np.asarray(x, dtype=np.float64) / math.sqrt(2.0))


def norm_sf(x: Any) -> np.ndarray | float:
    r"""Standard normal survival function :math:`1 - \Phi(x) = \tfrac12\mathrm{erfc}(x/\sqrt2)`,
    accurate in the upper tail."""
    return 0.5 * erfc(np.asarray(x, dtype=np.float64) / math.sqrt(2.0))


def norm_ppf(q: Any) -> np.ndarray | float:
    r"""Standard normal quantile :math:`\Phi^{-1}(q)` for :math:`0 < q < 1`.

    Starts from the Abramowitz & Stegun 26.2.23 approximation (error below 4.5e-4) in the
    lower tail :math:`q' = \min(q, 1-q)` and polishes it with Newton steps on
    :math:`\Phi(x) = q'`, then restores the sign.
    """
    values = np.asarray(q, dtype=np.float64)
    if np.any(~((values > 0) & (values < 1))):
        raise ValueError(f"q must lie strictly between 0 and 1; got {q!r}.")
    lower = np.minimum(values, 1.0 - values)
    t = np.sqrt(-2.0 * np.log(lower))
    x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
          / (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t**3))
    for _ in range(4):  # quadratic convergence: 4e-4 -> 1e-7 -> 1e-14 -> machine precision
        density = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        x = x - (norm_cdf(x) - lower) / density
    x = np.where(values > 0.5, -x, x)
    return float(x) if np.ndim(q) == 0 else x


def _exp(log_odds: np.ndarray) -> np.ndarray:
    r""":math:`e^x` for the odds-ratio columns, ``inf`` beyond the float range
    (:math:`x > 709.8`) without a RuntimeWarning per entry: the coefficient or standard error it
    comes from is itself huge, as with (quasi-)separated classes, which the fit warns about
    (``PerfectSeparationWarning``) when it detects them."""
    with np.errstate(over="ignore"):
        return np.exp(log_odds)


#: Column names of the coefficient table, in order.
COLUMNS = (
    "coef", "std_err", "z", "p_value", "ci_lower", "ci_upper",
    "odds_ratio", "odds_ratio_lower", "odds_ratio_upper",
)


@dataclass(frozen=True)
class LogitSummary:
    r"""The statistical summary of a binary logistic regression (like statsmodels' ``Logit``).

    Rows are the intercept (when fitted) and then the features. Columns are reachable by name,
    ``summary["p_value"]`` or ``summary.p_value``, as arrays in row order; ``str(summary)`` is
    the formatted table and :meth:`to_frame` a pandas DataFrame.

    **Reading an odds ratio.** The odds of the positive class are :math:`p/(1-p)`; the model
    says :math:`\log\frac{p}{1-p} = \beta_0 + \sum_j\beta_j x_j`. Raising :math:`x_j` by one
    unit, the other features held fixed, adds :math:`\beta_j` to the log-odds, i.e. multiplies
    the odds by :math:`e^{\beta_j}`. An odds ratio of 1.8 therefore means: *each extra unit of
    this feature multiplies the odds of the positive class by 1.8* — an 80 % increase of the
    odds (not of the probability: a probability of 0.5, odds 1, becomes odds 1.8, probability
    0.64; a probability of 0.9, odds 9, becomes odds 16.2, probability 0.94). An odds ratio
    of 1 means no association; its interval containing 1 is the same statement as
    :math:`p > \alpha`.

    Attributes
    ----------
    names : list of str
        Row names.
    coef, std_err, z, p_value, ci_lower, ci_upper, odds_ratio, odds_ratio_lower,
    odds_ratio_upper : ndarray
        The columns (an odds ratio beyond the float range, :math:`e^{709.8}`, is ``inf``).
    log_likelihood, null_log_likelihood : float
        :math:`\log L(\hat\beta)`, and of the intercept-only model (NaN without intercept).
    deviance, aic, pseudo_r2 : float
        :math:`-2\log L`, :math:`2k - 2\log L` (:math:`k` parameters), McFadden's
        :math:`1 - \log L/\log L_0`.
    alpha : float
        The intervals are :math:`1-\alpha` confidence intervals.
    converged : bool
    n_iter : int
    solver : str
    """

    names: list[str]
    coef: np.ndarray
    std_err: np.ndarray
    log_likelihood: float
    null_log_likelihood: float
    alpha: float = 0.05
    converged: bool = True
    n_iter: int = 0
    solver: str = "newton"

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        return COLUMNS

    # -- the columns, from coef and std_err -------------------------------------------------

    @property
    def z(self) -> np.ndarray:
        return self.coef / self.std_err

    @property
    def p_value(self) -> np.ndarray:
        return np.asarray(erfc(np.abs(self.z) / math.sqrt(2.0)))

    @property
    def _critical(self) -> float:
        return float(norm_ppf(1.0 - self.alpha / 2.0))

    @property
    def ci_lower(self) -> np.ndarray:
        return self.coef - self._critical * self.std_err

    @property
    def ci_upper(self) -> np.ndarray:
        return self.coef + self._critical * self.std_err

    @property
    def odds_ratio(self) -> np.ndarray:
        return _exp(self.coef)

    @property
    def odds_ratio_lower(self) -> np.ndarray:
        return _exp(self.ci_lower)

    @property
    def odds_ratio_upper(self) -> np.ndarray:
        return _exp(self.ci_upper)

    @property
    def deviance(self) -> float:
        return -2.0 * self.log_likelihood

    @property
    def aic(self) -> float:
        return 2.0 * len(self.names) - 2.0 * self.log_likelihood

    @property
    def pseudo_r2(self) -> float:
        return 1.0 - self.log_likelihood / self.null_log_likelihood

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in COLUMNS:
            raise KeyError(f"unknown column {name!r}; the columns are {', '.join(COLUMNS)}.")
        return getattr(self, name)

    # -- output ------------------------------------------------------------------------------

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame indexed by row name (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is in the data extra
            raise ImportError("to_frame() needs pandas: pip install pandas") from exc
        return pd.DataFrame({name: self[name] for name in COLUMNS}, index=list(self.names))

    def __str__(self) -> str:
        level = f"{1 - self.alpha:.0%}"
        lo, hi = f"[{self.alpha / 2:.3f}", f"{1 - self.alpha / 2:.3f}]"
        width = max(12, *(len(n) + 2 for n in self.names))
        header = (f"{'':<{width}}{'coef':>10}{'std err':>10}{'z':>9}{'P>|z|':>9}{lo:>10}{hi:>10}"
                  f"{'odds ratio':>12}{lo:>10}{hi:>10}")
        rule = "=" * len(header)
        stats = [
            ("Method:", f"MLE ({self.solver})", "Log-likelihood:", f"{self.log_likelihood:.4f}"),
            ("Converged:", str(self.converged), "LL-Null:", f"{self.null_log_likelihood:.4f}"),
            ("Iterations:", str(self.n_iter), "Pseudo R-squ.:", f"{self.pseudo_r2:.4f}"),
            ("Parameters:", str(len(self.names)), "Deviance:", f"{self.deviance:.4f}"),
            ("Intervals:", level, "AIC:", f"{self.aic:.4f}"),
        ]
        half = len(header) // 2
        lines = ["Logistic regression results".center(len(header)), rule]
        for a, b, c, d in stats:
            lines.append(f"{a:<14}{b:>{half - 16}}  {c:<16}{d:>{len(header) - half - 16}}")
        lines += [rule, header, "-" * len(header)]
        for i, name in enumerate(self.names):
            lines.append(
                f"{name:<{width}}{self.coef[i]:>10.4f}{self.std_err[i]:>10.3f}{self.z[i]:>9.3f}"
                f"{self.p_value[i]:>9.3f}{self.ci_lower[i]:>10.3f}{self.ci_upper[i]:>10.3f}"
                f"{self.odds_ratio[i]:>12.4g}{self.odds_ratio_lower[i]:>10.4g}"
                f"{self.odds_ratio_upper[i]:>10.4g}"
            )
        lines.append(rule)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)
