"""The linear-regression chapter's section on where linear regression hides: an autoregressive
time-series model, the local lines of LOWESS and the last layer of a regression network, each a
least-squares fit by ``LinearRegression`` with its own check."""

from __future__ import annotations

import warnings

import numpy as np

# The strings the chapter's topic table quotes (ch_linreg.TOPICS).
HEADING_B1 = "Where linear regression hides"
FIGURE_B1 = ("Three least-squares fits in disguise. Left: an AR(2) series and its one-step "
             "predictions from the two previous values. Middle: LOWESS, a weighted line at "
             "every point (three of them drawn, markers sized by weight). Right: a tanh "
             "network's fit as its last layer computes it, a weighted sum of the 4 hidden "
             "features plus a bias.")
CHECK_B1 = "AR(2) fitted on its lags: max |φ̂ − φ| / se"

EPS = float(np.finfo(np.float64).eps)

#: The AR(2) coefficients of the time-series example (a stationary, oscillating process).
AR_COEF = (0.6, -0.3)


def where_it_hides(ch) -> None:
    from fromscratch.plot._style import new_figure
    from fromscratch.plot.least_squares import (
        plot_basis_expansion,
        plot_local_fits,
        plot_one_step_predictions,
    )

    ch.heading(HEADING_B1)
    ch.text(
        "*Linear* regression is linear in the **parameters**, not in the inputs: any columns "
        "computed from the data before the fit — lagged values, weights, the outputs of "
        "learned hidden units — leave the loss a quadratic in $w$ and the fit a least-squares "
        "problem. That is why it turns up inside methods that do not carry its name. Three of "
        "them, each fitted here by `LinearRegression`:"
    )
    ch.text(
        "- **Autoregressive time-series models.** An AR($p$) model predicts the next value of "
        "a series from its own past, $x_t = c + \\varphi_1 x_{t-1} + \\cdots + \\varphi_p "
        "x_{t-p} + \\varepsilon_t$: a linear regression whose design rows are the lagged "
        "values $(x_{t-1}, \\ldots, x_{t-p})$. Least squares on the lags is the conditional "
        "maximum-likelihood fit (statsmodels' `AutoReg`).\n"
        "- **LOWESS.** Cleveland's (1979) smoother fits, at every point $x_0$, a line by "
        "*weighted* least squares on the $k = \\lfloor fn \\rfloor$ nearest samples, with "
        "tricube weights $w_i = (1 - (|x_i - x_0|/h)^3)^3$ ($h$: the distance to the $k$-th "
        "nearest), and keeps the line's value at $x_0$. A weighted fit is an ordinary one on "
        "rescaled rows, since $\\sum_i w_i r_i^2 = \\|\\sqrt{W} r\\|^2$: multiply row $i$ of "
        "$[1, x - x_0]$ and $y_i$ by $\\sqrt{w_i}$.\n"
        "- **The last layer of a regression network.** A network's prediction is "
        "$\\hat y = \\sum_k w_k h_k(x) + b$, with $h_k$ the hidden layer's outputs. For the "
        "features it has learned, the last layer is a linear regression, and its best "
        "weights are the least-squares ones — at them the network's own gradient with "
        "respect to its last layer vanishes."
    )
    fig, axes = new_figure(3, width=17.0, height=4.4)
    _autoregression(ch, axes[0], plot_one_step_predictions)
    _lowess_section(ch, axes[1], plot_local_fits)
    _last_layer(ch, axes[2], plot_basis_expansion)
    ch.figure(fig, FIGURE_B1)


def _autoregression(ch, ax, plot_one_step_predictions) -> None:
    from fromscratch.linear_model import LinearRegression

    phi1, phi2 = AR_COEF
    rng = np.random.default_rng(7)
    burn_in, T = 100, 400
    x = np.zeros(burn_in + T + 2)
    for t in range(2, x.size):  # the process itself: each value from the two before it
        x[t] = phi1 * x[t - 1] + phi2 * x[t - 2] + rng.standard_normal()
    x = x[burn_in:]
    lags = np.column_stack([x[1:-1], x[:-2]])  # row t: (x_{t-1}, x_{t-2})
    target = x[2:]
    model = LinearRegression().fit(lags, target)
    # Box & Jenkins: for AR(2), both φ̂ have asymptotic variance (1 − φ₂²)/T.
    se = np.sqrt((1 - phi2**2) / len(target))
    z = (model.coef_ - np.array(AR_COEF)) / se
    ch.table(["", "true", "least squares on the lags", "asymptotic se", "(φ̂ − φ)/se"],
             [[f"φ{j + 1}", AR_COEF[j], model.coef_[j], se, z[j]] for j in range(2)],
             f"AR(2) with N(0, 1) noise, T = {len(target)} predictions; the asymptotic "
             "standard error of both coefficients is √((1 − φ₂²)/T) (Box & Jenkins).")
    ch.check_bound(CHECK_B1, "the true φ, within 4 asymptotic standard errors √((1 − φ₂²)/T)",
                   float(np.max(np.abs(z))), at_most=4.0)
    predicted = np.r_[np.nan, np.nan, model.predict(lags)]
    plot_one_step_predictions(x, predicted, last=80, ax=ax,
                              title=f"AR(2): φ̂ = ({model.coef_[0]:.2f}, {model.coef_[1]:.2f})")


def _tricube_weights(x: np.ndarray, x0: float, k: int) -> np.ndarray:
    """Cleveland's weights around x0: tricube in the distance over the k-th nearest's."""
    distance = np.abs(x - x0)
    h = np.sort(distance)[k - 1]
    return np.where(distance < h, (1 - (distance / h) ** 3) ** 3, 0.0)


def lowess_lines(x: np.ndarray, y: np.ndarray, frac: float) -> np.ndarray:
    """LOWESS without its robustness iterations: at every x₀ = xᵢ the weighted line, fitted by
    ``LinearRegression`` on the √w-scaled rows of [1, x − x₀]; its (value, slope) at x₀."""
    from fromscratch.linear_model import LinearRegression

    n = len(x)
    k = int(frac * n + 1e-10)  # statsmodels' rounding of f·n
    lines = np.empty((n, 2))
    for i, x0 in enumerate(x):
        root_w = np.sqrt(_tricube_weights(x, x0, k))
        design = root_w[:, None] * np.column_stack([np.ones(n), x - x0])
        lines[i] = LinearRegression(fit_intercept=False).fit(design, root_w * y).coef_
    return lines


def _lowess_section(ch, ax, plot_local_fits) -> None:
    from fromscratch.datasets import make_sine

    data = make_sine(100, noise=0.3, random_state=1)
    x, y = data.X[:, 0], data.y
    frac = 0.3
    lines = lowess_lines(x, y, frac)
    k = int(frac * len(x) + 1e-10)
    # The weighted line in closed form: through the weighted means, with the weighted slope.
    formula = []
    for x0 in x:
        w = _tricube_weights(x, x0, k)
        x_bar, y_bar = w @ x / w.sum(), w @ y / w.sum()
        slope = (w * (x - x_bar)) @ (y - y_bar) / ((w * (x - x_bar)) @ (x - x_bar))
        formula.append(y_bar + slope * (x0 - x_bar))
    ch.check_close("LOWESS at every x₀: LinearRegression on √w-scaled rows",
                   "the weighted line in closed form, ȳ_w + β_w(x₀ − x̄_w)", lines[:, 0],
                   np.array(formula), rtol=1e-10)
    shown = {}
    for x0 in (0.15, 0.5, 0.85):
        i = int(np.argmin(np.abs(x - x0)))
        shown[float(x[i])] = (_tricube_weights(x, x[i], k), lines[i, 0], lines[i, 1])
    plot_local_fits(x, y, lines[:, 0], shown, ax=ax,
                    title=f"LOWESS on a noisy sine, f = {frac}")


def _last_layer(ch, ax, plot_basis_expansion) -> None:
    import fromscratch.autodiff.numpy as anp
    from fromscratch import nn
    from fromscratch.autodiff import no_grad
    from fromscratch.datasets import make_sine
    from fromscratch.exceptions import ConvergenceWarning
    from fromscratch.linear_model import LinearRegression
    from fromscratch.preprocessing import StandardScaler

    data = make_sine(200, noise=0.2, random_state=0)
    X, y = StandardScaler().fit_transform(data.X), data.y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        network = nn.MLPRegressor((4,), activation="tanh", alpha=0.0, learning_rate_init=0.1,
                                  batch_size=50, max_iter=1000, tol=1e-7,
                                  random_state=0).fit(X, y)
    module = network.to_module()  # Linear(1, 4), Tanh, Linear(4, 1)
    with no_grad():
        hidden = np.asarray(anp.primal(module[1](module[0](X))))
    readout = LinearRegression().fit(hidden, y)

    def loss_and_last_gradient(last_layer: dict | None = None) -> tuple[float, np.ndarray]:
        """The network's MSE/2 and its autodiff gradient w.r.t. the last layer (W₂, b₂)."""
        module = network.to_module()
        if last_layer is not None:
            module[2].load_state_dict(last_layer)
        loss = nn.MSELoss()(module(X), y.reshape(-1, 1)) / 2
        loss.backward()
        return float(anp.primal(loss)), np.r_[module[2].weight.grad.ravel(),
                                               module[2].bias.grad.ravel()]

    trained, trained_gradient = loss_and_last_gradient()
    refitted, gradient = loss_and_last_gradient({"weight": readout.coef_[None, :],
                                                 "bias": np.array([readout.intercept_])})
    ch.table(["last layer", "training loss MSE/2", "max |∂L/∂(W₂, b₂)| (autodiff)"],
             [[f"as trained (Adam, {network.n_iter_} epochs)", trained,
               float(np.max(np.abs(trained_gradient)))],
              ["least squares on the hidden features", refitted,
               float(np.max(np.abs(gradient)))]],
             "A 1 → 4 → 1 tanh network fitted by `MLPRegressor` to 200 samples of a noisy "
             "sine (x standardized); its first layer kept, its last layer refitted by "
             "`LinearRegression`.")
    ch.check_bound("network's loss with the least-squares last layer − as trained",
                   "least squares is the best last layer for the learned features",
                   refitted - trained, at_most=0.0)
    # The gradient is (1/n)·H̃ᵀr. At a least-squares solution computed in floating point it is
    # not 0 but about ε·κ(H̃)·|h|·|r| (rounding in the solve and in the network's forward pass).
    residual = y - readout.predict(hidden)
    scale = (readout.condition_number_ * EPS * float(np.max(np.abs(hidden)))
             * float(np.sqrt(residual @ residual / len(y))))
    ch.check_bound("network's autodiff gradient w.r.t. its last layer at the least-squares "
                   "readout, max |∂L/∂(W₂, b₂)| / (κ̂ε·max|h|·rms(r))",
                   "0 up to rounding: the normal equations of the last layer",
                   float(np.max(np.abs(gradient))) / scale, at_most=1.0)
    plot_basis_expansion(data.X[:, 0], hidden, readout.coef_, readout.intercept_, y=y, ax=ax,
                         title="A 1 → 4 → 1 tanh network's last layer")
