r"""Chapter G, the optimizers of deep learning: write each update rule.

Each exercise is one textbook update from :mod:`fromscratch.optim.textbook`. Grading compares
it with the reference on random parameters, gradients, states and hyper-parameters, then trains
a small network on the two-moons data twice, for :data:`STEPS` full-batch steps from the same
start: once with the library's PyTorch-exact optimizer class and once with
:class:`~fromscratch.optim.FunctionalOptimizer` running the learner's update. The two runs
must give the same parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from fromscratch import optim
from fromscratch.exercises._compare import difference
from fromscratch.exercises._core import Case, Check, CheckResult, Exercise, Mistake, mistake
from fromscratch.exercises._sampling import draw_dtype, draw_shape, log_uniform, normal
from fromscratch.exercises._sandbox import Guarded
from fromscratch.optim import textbook

__all__ = ["EXERCISES", "STEPS", "update_exercise", "library_optimizer"]

#: Training steps of the end-to-end check.
STEPS = 60

#: Parameters after training may differ by this much relative to their scale: the two runs
#: round differently (a learner may write the same update in another order), and 60 steps
#: of a non-convex problem amplify 1e-16 differences to about 1e-12, not to 1e-8.
TRAINING_TOLERANCE = 1e-8

# Ranges (lo, hi, log-scale?) the hyper-parameters are drawn from. They keep away from the
# values where a classic mistake coincides with the right answer (alpha = 1/2 for swapped
# decay weights, eps = 0 for eps inside the root).
_RANGES = {
    "lr": (1e-3, 1.0, True),
    "mu": (0.6, 0.99, False),
    "alpha": (0.6, 0.99, False),
    "rho": (0.6, 0.99, False),
    "beta1": (0.6, 0.95, False),
    "beta2": (0.8, 0.999, False),
    "eps": (1e-4, 1e-1, True),
    "psi": (1e-3, 1e-1, True),
    "weight_decay": (1e-2, 0.5, True),
}


def _draw_hyper(rng: np.random.Generator, names: tuple[str, ...]) -> dict[str, float]:
    hyper = {}
    for name in names:
        lo, hi, log = _RANGES[name]
        hyper[name] = log_uniform(rng, lo, hi) if log else float(rng.uniform(lo, hi))
    return hyper


def _sampler(state: tuple[str, ...], hyper: tuple[str, ...]) -> Callable[..., Case]:
    """Random ``(theta, g, *state, **hyper)``. State kinds: ``"signed"`` (a moment),
    ``"positive"`` (a sum or average of squares, sometimes far below eps), ``"count"`` (a step
    count t >= 0, 0 for a first step) and ``"mu_product"`` (NAdam's product, consistent with
    t)."""

    def sample(rng: np.random.Generator) -> Case:
        shape, dtype = draw_shape(rng), draw_dtype(rng)
        h = _draw_hyper(rng, hyper)
        theta, g = normal(rng, shape, dtype), normal(rng, shape, dtype, log_uniform(rng, 0.1, 3))
        t = int(rng.integers(0, 30)) if rng.random() < 0.8 else 0
        values = {
            "signed": lambda: normal(rng, shape, dtype, 0.5),
            "positive": lambda: normal(rng, shape, dtype, log_uniform(rng, 1e-3, 1.0)) ** 2,
            "count": lambda: t,
            "mu_product": lambda: _mu_product(rng, t, h),
        }
        return Case((theta, g, *(values[kind]() for kind in state)), h)

    return sample


def _mu_product(rng: np.random.Generator, t: int, hyper: dict[str, float]) -> float:
    """NAdam's product of the momenta of steps 1..t; a third of the time from a history whose
    psi differs from today's (a schedule changed it), so that a function which recomputes the
    product from t, ignoring its argument, is seen."""
    psi = hyper["psi"] if rng.random() < 2 / 3 else _draw_hyper(rng, ("psi",))["psi"]
    return float(np.prod([_nadam_mu(i, hyper["beta1"], psi) for i in range(1, t + 1)]))


def _nadam_mu(t: int, beta1: float, psi: float) -> float:
    return beta1 * (1 - 0.5 * 0.96 ** (t * psi))


# -- the end-to-end check: train a network with the learner's update -----------------------------


def _moons() -> tuple[np.ndarray, np.ndarray]:
    from fromscratch.datasets import make_moons

    data = make_moons(64, noise=0.1, random_state=0)
    return data.X, data.y


def _train(make_optimizer: Callable[[list], optim.Optimizer]) -> tuple[list, list[np.ndarray]]:
    """Losses and final parameters of a 2-8-2 tanh network trained on the moons."""
    from fromscratch import nn

    X, y = _moons()
    model = nn.Sequential(nn.Linear(2, 8, random_state=0), nn.Tanh(),
                          nn.Linear(8, 2, random_state=1))
    optimizer = make_optimizer(list(model.parameters()))
    loss_fn, losses = nn.CrossEntropyLoss(), []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, [p.data.copy() for p in model.parameters()]


def _in_training(name: str, library: Callable[..., optim.Optimizer],
                 hyper: dict[str, float]) -> Check:
    """The learner's update trains a network exactly as the library's optimizer class does."""
    start = textbook.INITIAL_STATE[name]

    def run(learner: Guarded, rng: np.random.Generator) -> CheckResult:
        target_losses, target = _train(lambda params: library(params, **hyper))
        losses, params = _train(
            lambda params: optim.FunctionalOptimizer(params, learner, start, **hyper))
        problem = difference(("the trained parameters",), np.concatenate(
            [p.ravel() for p in params]), np.concatenate([p.ravel() for p in target]),
            tol=TRAINING_TOLERANCE)
        if problem is None:
            return CheckResult()

        def draw() -> Any:
            from fromscratch.plot.optim import plot_loss_curves

            return plot_loss_curves({"target": target_losses, "yours": losses},
                                    title=f"{name}: training loss, target vs yours")

        parted = next((k for k, (a, b) in enumerate(zip(losses, target_losses, strict=True))
                       if not abs(a - b) <= 1e-8 * abs(b)), None)
        message = (f"{STEPS} training steps with your update do not end where the library's "
                   f"{library.__name__} does")
        if parted is not None:
            message += f"; the training losses part at step {parted + 1}"
        return CheckResult((f"{message}.\n{problem[0]}", {}), draw)

    hyper_text = ", ".join(f"{k}={v:g}" for k, v in hyper.items())
    return Check(f"in the library: a network trained by FunctionalOptimizer ({hyper_text}) "
                 f"vs optim.{library.__name__}", run)


def library_optimizer(cls: type[optim.Optimizer], renames: dict[str, str] | None = None,
             **fixed: Any) -> Callable[..., optim.Optimizer]:
    """The library's class, called with the textbook's hyper-parameter names (``renames``
    maps a textbook name to the class's; ``beta1, beta2`` become ``betas``) and ``fixed``."""

    def make(params: list, **hyper: Any) -> optim.Optimizer:
        if "beta1" in hyper:
            hyper["betas"] = (hyper.pop("beta1"), hyper.pop("beta2"))
        return cls(params, **{(renames or {}).get(k, k): v for k, v in hyper.items()}, **fixed)

    make.__name__ = cls.__name__
    return make


# -- the known mistakes ------------------------------------------------------------------------

def _moments(g, m, v, beta1, beta2):
    """Adam's two moving averages (the part of Adam the mistakes below get right)."""
    return beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2


def _uphill(reference: Callable[..., Any]) -> Mistake:
    """The update with the step's sign flipped, θ + step instead of θ − step: every update's
    ``sign_flip``."""

    @mistake("sign_flip")
    def uphill(theta, g, *state, **hyper):
        """The step goes uphill: the update adds the step to θ; gradient descent subtracts it
        (θ − γ·step)."""
        theta_new, *rest = reference(theta, g, *state, **hyper)
        return (2 * theta - theta_new, *rest)

    return uphill


@mistake("no_momentum")
def _momentum_plain(theta, g, b, *, lr, mu):
    """The step ignores the buffer: θ − γg is plain gradient descent; step along the new buffer,
    θ − γb_t."""
    return theta - lr * g, mu * b + g


@mistake("averaged_buffer")
def _momentum_dampened(theta, g, b, *, lr, mu):
    """The buffer averages, b = μb + (1 − μ)g (dampening μ); momentum adds the whole gradient,
    b = μb + g."""
    b = mu * b + (1 - mu) * g
    return theta - lr * b, b


@mistake("lr_in_buffer")
def _momentum_lr_in_buffer(theta, g, b, *, lr, mu):
    """The learning rate went into the buffer (b = μb + γg, Sutskever's velocity); in PyTorch's form
    the buffer holds gradients and γ multiplies it when it is applied, θ − γb."""
    b = mu * b + lr * g
    return theta - b, b


@mistake("plain_momentum")
def _nesterov_plain(theta, g, b, *, lr, mu):
    """This is plain momentum, θ − γb_t: Nesterov's look-ahead steps along g_t + μb_t, the gradient
    plus one more momentum step."""
    b = mu * b + g
    return theta - lr * b, b


@mistake("lr_in_buffer")
def _nesterov_lr_in_buffer(theta, g, b, *, lr, mu):
    """The learning rate went into the buffer (b = μb + γg, Sutskever's velocity); in PyTorch's form
    the buffer holds gradients and γ multiplies the whole step, θ − γ(g + μb)."""
    b = mu * b + lr * g
    return theta - (lr * g + mu * b), b


@mistake("no_accumulation")
def _adagrad_no_sum(theta, g, s, *, lr, eps):
    """The squared gradients are not summed (s = g², not s + g²): every step then has size about γ,
    and Adagrad's shrinking steps are lost."""
    return theta - lr * g / (np.abs(g) + eps), g**2


@mistake("eps_inside_sqrt")
def _adagrad_eps_inside(theta, g, s, *, lr, eps):
    """ε is inside the square root, √(s + ε); it belongs outside, √s + ε (as in PyTorch)."""
    s = s + g**2
    return theta - lr * g / np.sqrt(s + eps), s


@mistake("no_square_root")
def _adagrad_no_root(theta, g, s, *, lr, eps):
    """The square root is missing: g/(s + ε) instead of g/(√s + ε)."""
    s = s + g**2
    return theta - lr * g / (s + eps), s


@mistake("swapped_decay")
def _rmsprop_swapped(theta, g, v, *, lr, alpha, eps):
    """The decay weights are swapped: (1 − α)v + αg² forgets almost everything each step; the
    average is αv + (1 − α)g²."""
    v = (1 - alpha) * v + alpha * g**2
    return theta - lr * g / (np.sqrt(v) + eps), v


@mistake("eps_inside_sqrt")
def _rmsprop_eps_inside(theta, g, v, *, lr, alpha, eps):
    """ε is inside the square root, √(v + ε); it belongs outside, √v + ε (as in PyTorch)."""
    v = alpha * v + (1 - alpha) * g**2
    return theta - lr * g / np.sqrt(v + eps), v


@mistake("eps_outside_roots")
def _adadelta_eps_outside(theta, g, v, u, *, lr, rho, eps):
    """ε is outside the roots, √u/(√v + ε): while u = 0 that is 0, so Adadelta never takes its first
    step; ε belongs inside both roots."""
    v = rho * v + (1 - rho) * g**2
    delta = np.sqrt(u) / (np.sqrt(v) + eps) * g
    return theta - lr * delta, v, rho * u + (1 - rho) * delta**2


@mistake("u_of_gradients")
def _adadelta_u_of_gradients(theta, g, v, u, *, lr, rho, eps):
    """The second average collects squared gradients, u = ρu + (1 − ρ)g²; it must collect the
    squared steps Δ², which is what gives Δ the units of θ."""
    v = rho * v + (1 - rho) * g**2
    delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
    return theta - lr * delta, v, rho * u + (1 - rho) * g**2


@mistake("no_learning_rate")
def _adadelta_no_lr(theta, g, v, u, *, lr, rho, eps):
    """The learning rate is not applied (θ − Δ): PyTorch multiplies the step by γ
    (1 in the paper)."""
    return textbook.adadelta_update(theta, g, v, u, lr=1.0, rho=rho, eps=eps)


@mistake("no_bias_correction")
def _adam_no_correction(theta, g, m, v, t, *, lr, beta1, beta2, eps):
    """No bias correction: m_t/(√v_t + ε) uses the averages as they are, but both start at 0; divide
    by 1 − β₁^t and 1 − β₂^t."""
    m, v = _moments(g, m, v, beta1, beta2)
    return theta - lr * m / (np.sqrt(v) + eps), m, v, t + 1


@mistake("eps_inside_sqrt")
def _adam_eps_inside(theta, g, m, v, t, *, lr, beta1, beta2, eps):
    """ε is inside the square root, √(v̂ + ε); it belongs outside, √v̂ + ε (as in PyTorch)."""
    m, v = _moments(g, m, v, beta1, beta2)
    v_hat = v / (1 - beta2 ** (t + 1))
    return theta - lr * m / (1 - beta1 ** (t + 1)) / np.sqrt(v_hat + eps), m, v, t + 1


@mistake("stale_step_count")
def _adam_stale_t(theta, g, m, v, t, *, lr, beta1, beta2, eps):
    """The bias correction uses t before it is incremented
    (1 − β^{t−1}; on the first step 1 − β⁰ = 0, a division by zero): do t = t + 1 first."""
    m, v = _moments(g, m, v, beta1, beta2)
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v, t + 1


@mistake("bias_correction_without_t")
def _adam_without_t(theta, g, m, v, t, *, lr, beta1, beta2, eps):
    """The bias correction divides by 1 − β instead of 1 − β^t: the step count t is missing."""
    m, v = _moments(g, m, v, beta1, beta2)
    m_hat, v_hat = m / (1 - beta1), v / (1 - beta2)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v, t + 1


@mistake("step_count_not_returned")
def _adam_t_kept(theta, g, m, v, t, *, lr, beta1, beta2, eps):
    """The step count comes back unchanged: return t + 1, or the next step repeats this step's bias
    correction."""
    theta, m, v, _ = textbook.adam_update(theta, g, m, v, t, lr=lr, beta1=beta1, beta2=beta2,
                                          eps=eps)
    return theta, m, v, t


@mistake("signed_maximum")
def _adamax_signed(theta, g, m, u, t, *, lr, beta1, beta2, eps):
    """u_t = max(β₂u, g + ε) uses the signed gradient: take |g_t|, so that a negative gradient
    counts by its size."""
    m, u = beta1 * m + (1 - beta1) * g, np.maximum(beta2 * u, g + eps)
    return theta - lr / (1 - beta1 ** (t + 1)) * m / u, m, u, t + 1


@mistake("bias_corrected_u")
def _adamax_corrected_u(theta, g, m, u, t, *, lr, beta1, beta2, eps):
    """u_t is bias-corrected too: a maximum is not pulled towards its zero start, so only m_t needs
    1 − β₁^t."""
    m, u = beta1 * m + (1 - beta1) * g, np.maximum(beta2 * u, np.abs(g) + eps)
    u_hat = u / (1 - beta2 ** (t + 1))
    return theta - lr / (1 - beta1 ** (t + 1)) * m / u_hat, m, u, t + 1


@mistake("no_bias_correction")
def _adamax_no_correction(theta, g, m, u, t, *, lr, beta1, beta2, eps):
    """m_t is not bias-corrected: divide the step by 1 − β₁^t."""
    m, u = beta1 * m + (1 - beta1) * g, np.maximum(beta2 * u, np.abs(g) + eps)
    return theta - lr * m / u, m, u, t + 1


def _nadam_with(theta, g, m, v, t, *, lr, beta1, beta2, eps, weight_g, weight_m):
    """NAdam's step with the two weights given (the mistakes differ only in those)."""
    m, v = _moments(g, m, v, beta1, beta2)
    denom = np.sqrt(v / (1 - beta2 ** (t + 1))) + eps
    return theta - lr * weight_g * g / denom - lr * weight_m * m / denom, m, v


@mistake("adam_step")
def _nadam_adam_step(theta, g, m, v, t, mu_product, *, lr, beta1, beta2, eps, psi):
    """This is Adam's step, m_t/(1 − β₁^t): NAdam mixes this step's gradient, weighted 1 − μ_t, with
    the next step's momentum μ_{t+1}."""
    mu_product = mu_product * _nadam_mu(t + 1, beta1, psi)
    theta, m, v = _nadam_with(theta, g, m, v, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                              weight_g=0.0, weight_m=1 / (1 - beta1 ** (t + 1)))
    return theta, m, v, t + 1, mu_product


@mistake("no_lookahead")
def _nadam_no_lookahead(theta, g, m, v, t, mu_product, *, lr, beta1, beta2, eps, psi):
    """The momentum term uses μ_t and Π_t where Nesterov's look-ahead needs the next step's μ_{t+1}
    and Π_t·μ_{t+1}."""
    mu = _nadam_mu(t + 1, beta1, psi)
    mu_product = mu_product * mu
    theta, m, v = _nadam_with(theta, g, m, v, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                              weight_g=(1 - mu) / (1 - mu_product),
                              weight_m=mu / (1 - mu_product))
    return theta, m, v, t + 1, mu_product


@mistake("constant_momentum")
def _nadam_constant_momentum(theta, g, m, v, t, mu_product, *, lr, beta1, beta2, eps, psi):
    """The momentum schedule is missing (μ_t = β₁ for every t): PyTorch's NAdam warms μ_t up as
    β₁(1 − ½·0.96^{tψ})."""
    theta, m, v = _nadam_with(theta, g, m, v, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                              weight_g=(1 - beta1) / (1 - beta1 ** (t + 1)),
                              weight_m=beta1 / (1 - beta1 ** (t + 2)))
    return theta, m, v, t + 1, mu_product * beta1


@mistake("mu_product_not_returned")
def _nadam_product_kept(theta, g, m, v, t, mu_product, *, lr, beta1, beta2, eps, psi):
    """The product of momenta comes back unchanged: return Π_t = Π_{t−1}·μ_t, or every later bias
    correction is wrong."""
    *result, _ = textbook.nadam_update(theta, g, m, v, t, mu_product, lr=lr, beta1=beta1,
                                       beta2=beta2, eps=eps, psi=psi)
    return (*result, mu_product)


@mistake("l2_in_gradient")
def _adamw_l2(theta, g, m, v, t, *, lr, beta1, beta2, eps, weight_decay):
    """The decay went into the gradient (g + λθ: Adam with L2 regularisation); AdamW shrinks θ by
    (1 − γλ) directly, so the adaptive denominator does not rescale the decay."""
    return textbook.adam_update(theta, g + weight_decay * theta, m, v, t, lr=lr, beta1=beta1,
                                beta2=beta2, eps=eps)


@mistake("decay_without_lr")
def _adamw_decay_without_lr(theta, g, m, v, t, *, lr, beta1, beta2, eps, weight_decay):
    """The decay is not scaled by the learning rate: θ(1 − λ) instead of θ(1 − γλ)."""
    return textbook.adam_update((1 - weight_decay) * theta, g, m, v, t, lr=lr, beta1=beta1,
                                beta2=beta2, eps=eps)


@mistake("decay_after_step")
def _adamw_decay_after(theta, g, m, v, t, *, lr, beta1, beta2, eps, weight_decay):
    """The decay shrinks θ after the Adam step; it applies to θ_{t−1}, before."""
    theta, m, v, t = textbook.adam_update(theta, g, m, v, t, lr=lr, beta1=beta1, beta2=beta2,
                                          eps=eps)
    return (1 - lr * weight_decay) * theta, m, v, t


_ADAM_HYPER = ("lr", "beta1", "beta2", "eps")


def update_exercise(reference: Callable[..., Any], chapter: str, title: str,
                    state: tuple[str, ...], hyper: tuple[str, ...],
                    library: Callable[..., optim.Optimizer], training: dict[str, float],
                    hints: tuple[str, ...], mistakes: tuple[Mistake, ...],
                    requires: tuple[str, ...] = (), imports: tuple[str, ...] = (),
                    checks: tuple[Check, ...] = ()) -> Exercise:
    """An update's exercise: compared with the reference on random states, then training a
    network as the library's class does (and the ``checks`` given). Its known mistakes are
    ``mistakes`` (each declared with :func:`~._core.mistake`) and the update going uphill."""
    names = ("theta", *textbook.INITIAL_STATE[reference.__name__](np.zeros(1)))
    return Exercise(
        reference=reference, chapter=chapter, title=title, outputs=names,
        sample=_sampler(state, hyper), hints=hints,
        mistakes=(*mistakes, _uphill(reference)),
        checks=(_in_training(reference.__name__, library, training), *checks),
        requires=requires, imports=imports,
    )


#: This module's exercises, in the registry of :mod:`fromscratch.exercises`.
EXERCISES = [
    update_exercise(
        textbook.momentum_update, "G2", "SGD with momentum", ("signed",), ("lr", "mu"),
        library_optimizer(optim.SGD, {"mu": "momentum"}), dict(lr=0.1, mu=0.9),
        hints=(
            "Two lines: first the new buffer from the old one and the gradient, then the step "
            "along the new buffer.",
            "b = mu * b + g adds the whole gradient (no (1 - mu) factor); the learning rate "
            "multiplies the buffer only when you step: theta - lr * b.",
            "Return new arrays, (theta, b), without changing the ones you were given.",
        ),
        mistakes=(_momentum_plain, _momentum_dampened, _momentum_lr_in_buffer),
    ),
    update_exercise(
        textbook.nesterov_update, "G3", "Nesterov accelerated gradient", ("signed",),
        ("lr", "mu"), library_optimizer(optim.SGD, {"mu": "momentum"}, nesterov=True),
        dict(lr=0.1, mu=0.9),
        hints=(
            "The buffer is updated exactly as in momentum_update; only the step differs.",
            "The step looks ahead: along g + mu * b with the *new* buffer b, not along b.",
        ),
        mistakes=(_nesterov_plain, _nesterov_lr_in_buffer),
        requires=("momentum_update",),
    ),
    update_exercise(
        textbook.adam_update, "G4", "Adam", ("signed", "positive", "count"), _ADAM_HYPER,
        library_optimizer(optim.Adam), dict(lr=0.02, beta1=0.9, beta2=0.999, eps=1e-8),
        hints=(
            "Start with t = t + 1: the bias corrections of this step use the new t "
            "(1 on the first step).",
            "Update both averages, then divide each by its bias correction, 1 - beta**t.",
            "eps goes outside the square root: sqrt(v_hat) + eps. Return (theta, m, v, t).",
        ),
        mistakes=(_adam_no_correction, _adam_without_t, _adam_stale_t, _adam_t_kept,
                  _adam_eps_inside),
        requires=("momentum_update",),
    ),
    update_exercise(
        textbook.rmsprop_update, "G5", "RMSprop", ("positive",), ("lr", "alpha", "eps"),
        library_optimizer(optim.RMSprop), dict(lr=0.01, alpha=0.99, eps=1e-8),
        hints=(
            "v is a moving average of the squared gradient: alpha weighs the old average.",
            "Divide the gradient by sqrt(v) + eps, eps outside the root.",
        ),
        mistakes=(_rmsprop_swapped, _rmsprop_eps_inside),
    ),
    update_exercise(
        textbook.adagrad_update, "G6", "Adagrad", ("positive",), ("lr", "eps"),
        library_optimizer(optim.Adagrad), dict(lr=0.1, eps=1e-10),
        hints=(
            "s is a running *sum* of squared gradients: it only grows.",
            "Divide the gradient by sqrt(s) + eps (eps outside the root).",
        ),
        mistakes=(_adagrad_no_sum, _adagrad_eps_inside, _adagrad_no_root),
    ),
    update_exercise(
        textbook.adadelta_update, "G7", "Adadelta", ("positive", "positive"),
        ("lr", "rho", "eps"), library_optimizer(optim.Adadelta), dict(lr=1.0, rho=0.9, eps=1e-6),
        hints=(
            "Three averages in order: v from g, then the step delta from u (old) and v (new), "
            "then u from delta.",
            "eps goes inside both square roots: sqrt(u + eps) / sqrt(v + eps) * g.",
            "The learning rate multiplies the step at the end: theta - lr * delta.",
        ),
        mistakes=(_adadelta_eps_outside, _adadelta_u_of_gradients, _adadelta_no_lr),
        requires=("rmsprop_update",),
    ),
    update_exercise(
        textbook.adamax_update, "G8", "Adamax", ("signed", "positive", "count"), _ADAM_HYPER,
        library_optimizer(optim.Adamax), dict(lr=0.02, beta1=0.9, beta2=0.999, eps=1e-8),
        hints=(
            "Adam with v replaced by u = max(beta2 * u, |g| + eps), elementwise (np.maximum).",
            "Only m is bias-corrected: a maximum is not pulled towards its zero start.",
        ),
        mistakes=(_adamax_signed, _adamax_corrected_u, _adamax_no_correction),
        requires=("adam_update",),
    ),
    update_exercise(
        textbook.nadam_update, "G9", "NAdam", ("signed", "positive", "count", "mu_product"),
        (*_ADAM_HYPER, "psi"), library_optimizer(optim.NAdam, {"psi": "momentum_decay"}),
        dict(lr=0.02, beta1=0.9, beta2=0.999, eps=1e-8, psi=4e-3),
        hints=(
            "After t = t + 1, compute this step's momentum mu_t and the next one's, "
            "mu_{t+1}, from the schedule; multiply mu_product by mu_t.",
            "v is bias-corrected inside the root: sqrt(v / (1 - beta2**t)) + eps.",
            "Two terms: the gradient weighted (1 - mu_t)/(1 - Pi_t), and m weighted "
            "mu_{t+1}/(1 - Pi_t * mu_{t+1}).",
        ),
        mistakes=(_nadam_adam_step, _nadam_no_lookahead, _nadam_constant_momentum,
                  _nadam_product_kept),
        requires=("adam_update", "nesterov_update"),
    ),
    update_exercise(
        textbook.adamw_update, "G10", "AdamW", ("signed", "positive", "count"),
        (*_ADAM_HYPER, "weight_decay"), library_optimizer(optim.AdamW),
        dict(lr=0.02, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1),
        hints=(
            "Shrink theta first, theta * (1 - lr * weight_decay); then an ordinary Adam step "
            "with the gradient as it is.",
            "The Adam step is adam_update (imported at the top of the file): AdamW is two "
            "lines.",
        ),
        mistakes=(_adamw_l2, _adamw_decay_without_lr, _adamw_decay_after),
        requires=("adam_update",),
        imports=("from fromscratch.optim.textbook import adam_update",),
    ),
]
