r"""L-BFGS, quasi-Newton: curvature learned from the last steps (``torch.optim.LBFGS``).

Newton's method steps to :math:`x - H^{-1}g` and needs the Hessian :math:`H`: :math:`d^2`
numbers and a :math:`O(d^3)` solve. Gradient descent needs neither, and pays for it on
ill-conditioned problems. Quasi-Newton methods sit between: they never form :math:`H`, but
every step tells them something about it. After moving by :math:`s_k = x_{k+1} - x_k` the
gradient changed by :math:`y_k = g_{k+1} - g_k \approx H s_k` (exactly, on a quadratic), so an
inverse-Hessian approximation should satisfy the *secant equation* :math:`H_{k+1}^{-1} y_k =
s_k`. BFGS makes the smallest change to :math:`H_k^{-1}` that does,

.. math::

    H_{k+1}^{-1} = V_k^\top H_k^{-1} V_k + \rho_k s_k s_k^\top, \qquad
    V_k = I - \rho_k y_k s_k^\top, \quad \rho_k = \frac{1}{y_k^\top s_k},

and *limited-memory* BFGS never stores the matrix: it keeps the last :math:`m` pairs
:math:`(s_i, y_i)` (``history_size``) and applies the update :math:`m` times to a scaled
identity, as a product with a vector, in :math:`O(md)` (:func:`two_loop_direction`).

This module follows ``torch.optim.LBFGS`` line by line in its conventions — the first step
length :math:`\min(1, 1/\|g\|_1)\cdot` ``lr``, the curvature threshold :math:`10^{-10}`, the
stopping tests, the state entries and their names, and the strong-Wolfe line search with cubic
interpolation (:func:`strong_wolfe`) — so its iterates equal PyTorch's number for number.
Three differences: a loss or gradient that is NaN/inf where a step starts raises instead of
silently producing NaN steps; ``lr`` must be > 0 (PyTorch accepts 0, which never moves); and
the curvature threshold is a keyword-only hyper-parameter, ``min_curvature`` (see
:class:`LBFGS`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

from fromscratch._validation import check_choice, check_scalar
from fromscratch.autodiff import Tensor
from fromscratch.optim.optimizer import Optimizer, non_negative, positive

__all__ = ["LBFGS", "two_loop_direction", "cubic_interpolate", "strong_wolfe"]

#: State entries that are flat vectors over all parameters, and lists of them.
_VECTORS, _HISTORIES = ("d", "prev_flat_grad"), ("old_dirs", "old_stps")


def two_loop_direction(
    g: np.ndarray,
    steps: Sequence[np.ndarray],
    grad_diffs: Sequence[np.ndarray],
    rhos: Sequence[float],
    gamma: float,
) -> np.ndarray:
    r"""The L-BFGS direction :math:`d = -H_k^{-1} g` by the two-loop recursion
    (Nocedal & Wright, *Numerical Optimization*, Algorithm 7.4).

    With the pairs :math:`(s_i, y_i)`, :math:`\rho_i = 1/y_i^\top s_i`, oldest first, and the
    initial inverse Hessian :math:`H^0 = \gamma I`:

    .. math::

        &q \leftarrow -g \\
        &\text{for } i = k-1, \dots, k-m:\quad
            \alpha_i = \rho_i\, s_i^\top q, \quad q \leftarrow q - \alpha_i y_i \\
        &r \leftarrow \gamma\, q \\
        &\text{for } i = k-m, \dots, k-1:\quad
            \beta_i = \rho_i\, y_i^\top r, \quad r \leftarrow r + (\alpha_i - \beta_i)\, s_i \\
        &d = r

    The first loop peels the updates off from the newest to the oldest, the second puts them
    back in reverse order: :math:`4md` multiplications instead of a :math:`d\times d` matrix.
    :class:`LBFGS` uses :math:`\gamma = s_{k-1}^\top y_{k-1} / y_{k-1}^\top y_{k-1}`, the
    inverse of the curvature along the last step (N&W eq. 7.20): it gives the first step of
    each iteration the right length, so the unit step is usually accepted.
    """
    q = -g
    alphas = []
    for s, y, rho in zip(reversed(steps), reversed(grad_diffs), reversed(rhos), strict=True):
        alpha = float(s @ q) * rho
        q = q - alpha * y
        alphas.append(alpha)
    r = gamma * q
    for s, y, rho, alpha in zip(steps, grad_diffs, rhos, reversed(alphas), strict=True):
        beta = float(y @ r) * rho
        r = r + (alpha - beta) * s
    return r


def cubic_interpolate(
    x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
    bounds: tuple[float, float] | None = None,
) -> float:
    r"""The minimizer of the cubic through :math:`(x_1, f_1)`, :math:`(x_2, f_2)` with slopes
    :math:`g_1, g_2`, clipped to ``bounds`` (default: the interval between the points).

    Nocedal & Wright eq. 3.59, with :math:`x_2` the farther point:

    .. math::

        d_1 = g_1 + g_2 - 3\frac{f_1 - f_2}{x_1 - x_2}, \qquad
        d_2 = \sqrt{d_1^2 - g_1 g_2}, \qquad
        x^* = x_2 - (x_2 - x_1)\frac{g_2 + d_2 - d_1}{g_2 - g_1 + 2 d_2}.

    When :math:`d_1^2 < g_1 g_2` the cubic has no local minimum and the midpoint of the bounds
    is returned (bisection); so is it when the numbers are not finite (a trial point where
    :math:`f` overflowed) or the denominator vanishes.
    """
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    if x1 == x2:  # no interval to interpolate on
        return min(max(x1, low), high)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 * d1 - g1 * g2  # (not d1**2, which raises on overflow; this gives inf)
    if not d2_square >= 0:  # also catches NaN
        return (low + high) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        numerator, denominator = g2 + d2 - d1, g2 - g1 + 2 * d2
        far, near = x2, x1
    else:
        numerator, denominator = g1 + d2 - d1, g1 - g2 + 2 * d2
        far, near = x1, x2
    # A zero denominator (equal slopes and d2 = 0: no curvature information) is treated as
    # a non-finite minimizer: bisection.
    x_min = far - (far - near) * (numerator / denominator) if denominator != 0 else math.nan
    if not math.isfinite(x_min):
        return (low + high) / 2.0
    return min(max(x_min, low), high)


class _Trial(NamedTuple):
    """A point on the search line: step ``t``, :math:`f`, gradient ``g`` and slope ``g·d``."""

    t: float
    f: float
    g: np.ndarray
    gtd: float


def _low_high(bracket: list[_Trial]) -> tuple[int, int]:
    """Positions of the bracket's low end (lower f) and high end; a NaN f is never low."""
    return (1, 0) if bracket[1].f < bracket[0].f else (0, 1)


def strong_wolfe(
    phi: Callable[[float], tuple[float, np.ndarray]],
    t: float,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: float,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, float, int]:
    r"""A step length :math:`t` along ``d`` satisfying the strong Wolfe conditions
    (Nocedal & Wright, Algorithms 3.5 and 3.6; torch's ``_strong_wolfe``):

    .. math::

        f(x + t d) \le f(x) + c_1\, t\, g^\top d \quad\text{(sufficient decrease)}, \qquad
        |\nabla f(x + td)^\top d| \le c_2\, |g^\top d| \quad\text{(curvature)}.

    The first condition rules out steps too long, the second steps too short (the slope must
    have flattened). ``phi(t)`` returns :math:`f(x + td)` and its gradient.

    *Bracketing* (Alg. 3.5): from the trial ``t``, while the slope is still negative and
    :math:`f` still decreasing, extrapolate by cubic interpolation within
    :math:`[t + 0.01(t - t_{prev}),\ 10t]`; stop with an interval known to contain an acceptable
    step when sufficient decrease fails, :math:`f` stops decreasing, or the slope turns
    non-negative. *Zoom* (Alg. 3.6): shrink that interval, keeping at its "low" end the point
    with the lowest :math:`f` that has sufficient decrease, trying the cubic interpolant's
    minimizer each time (moved to 10 % of the interval away from an end when it comes too close
    to one twice in a row, so the interval keeps shrinking), until the conditions hold, the
    interval is narrower than ``tolerance_change`` (times :math:`\max|d_i|`), or ``max_ls``
    evaluations were made.

    A non-finite :math:`f` counts as failed sufficient decrease (the comparisons are written
    so that NaN fails them), which makes an overflowing trial shrink the step.

    Returns
    -------
    f_new, g_new, t, n_evals
        :math:`f` and the gradient at the step ``t`` found, and the evaluations it took.
    """
    d_norm = float(np.max(np.abs(d)))

    def trial(t: float) -> _Trial:
        f_t, g_t = phi(t)
        return _Trial(t, f_t, g_t, float(g_t @ d))

    def sufficient_decrease(p: _Trial) -> bool:
        return p.f <= f + c1 * p.t * gtd

    new = trial(t)
    evals = 1
    prev = _Trial(0.0, f, g, gtd)
    bracket: list[_Trial] | None = None
    ls_iter = 0
    while ls_iter < max_ls:
        if not sufficient_decrease(new) or (ls_iter > 1 and not new.f < prev.f):
            bracket = [prev, new]
            break
        if abs(new.gtd) <= -c2 * gtd:
            return new.f, new.g, new.t, evals  # both conditions hold: done
        if new.gtd >= 0:
            bracket = [prev, new]
            break
        # extrapolate: the minimizer of the cubic through prev and new, at least 1 % beyond
        # new and at most 10 times as far
        t_next = cubic_interpolate(prev.t, prev.f, prev.gtd, new.t, new.f, new.gtd,
                                   bounds=(new.t + 0.01 * (new.t - prev.t), new.t * 10))
        prev, new = new, trial(t_next)
        evals += 1
        ls_iter += 1
    if bracket is None:  # the evaluations ran out while extrapolating
        bracket = [_Trial(0.0, f, g, gtd), new]
        low, high = _low_high(bracket)
        return bracket[low].f, bracket[low].g, bracket[low].t, evals

    low, high = _low_high(bracket)
    insufficient_progress = False
    while ls_iter < max_ls:
        a, b = bracket
        if abs(b.t - a.t) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(a.t, a.f, a.gtd, b.t, b.f, b.gtd)
        # If t lands within 10 % of the interval's length of an end, the interval would barely
        # shrink; the second time in a row (or when t is on an end) move it 10 % inside.
        left, right = min(a.t, b.t), max(a.t, b.t)
        margin = 0.1 * (right - left)
        if min(right - t, t - left) < margin:
            if insufficient_progress or t >= right or t <= left:
                t = right - margin if abs(t - right) < abs(t - left) else left + margin
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False

        new = trial(t)
        evals += 1
        ls_iter += 1
        if sufficient_decrease(new) and new.f < bracket[low].f:
            if abs(new.gtd) <= -c2 * gtd:
                bracket[low] = new
                break  # both conditions hold
            if new.gtd * (bracket[high].t - bracket[low].t) >= 0:
                # the slope at new points towards the low end: the minimum lies between them,
                # so the old low becomes the high end
                bracket[high] = bracket[low]
            bracket[low] = new
        else:  # too long (or not lower than the low end): new is the high end
            bracket[high] = new
            low, high = _low_high(bracket)
    best = bracket[low]
    return best.f, best.g, best.t, evals


# --- hyper-parameter checkers -------------------------------------------------------------------


def _positive_int(value: Any, name: str) -> int:
    return check_scalar(value, name, kind=int, min_val=1)


def _line_search_fn(value: Any, name: str) -> str | None:
    return None if value is None else check_choice(value, name, ("strong_wolfe",))


class LBFGS(Optimizer):
    r"""Limited-memory BFGS (``torch.optim.LBFGS``): the same hyper-parameters, defaults, state
    and iterates.

    One iteration, from :math:`x_k` with gradient :math:`g_k`:

    1. Keep the newest pair :math:`s = x_k - x_{k-1}`, :math:`y = g_k - g_{k-1}` if its
       curvature is positive, :math:`y^\top s > 10^{-10}` (``min_curvature``; on a convex
       function it always is;
       the test keeps every :math:`H^{-1}` positive definite, hence every direction a descent
       direction, where the function is not convex); drop the oldest beyond ``history_size``;
       and set :math:`\gamma = s^\top y / y^\top y`.
    2. :math:`d_k = -H_k^{-1} g_k` by the two-loop recursion (:func:`two_loop_direction`); on
       the very first iteration :math:`d_0 = -g_0`.
    3. Step :math:`x_{k+1} = x_k + t\, d_k`: with ``line_search_fn=None``, :math:`t =` ``lr``
       (the first iteration :math:`t = \min(1, 1/\|g_0\|_1)\cdot` ``lr``, since :math:`-g_0`
       has no natural length); with ``"strong_wolfe"``, the line search of
       :func:`strong_wolfe` starting from that :math:`t`.

    ``step(closure)`` runs up to ``max_iter`` iterations and ``max_eval`` evaluations and stops
    early when :math:`\max_i|g_i| \le` ``tolerance_grad``, or when the slope
    :math:`g^\top d`, the step :math:`\max_i|t d_i|` or the change in loss falls below
    ``tolerance_change``. The pairs persist in ``state`` across ``step`` calls, so ``step`` with
    ``max_iter=1`` called :math:`K` times takes the same iterates as one call with
    ``max_iter=K``.

    Parameters
    ----------
    params : iterable of Tensor
        One group only, as in PyTorch: the pairs couple every parameter with every other.
    lr : float, default 1
        Step length (the first one tried by the line search). Must be > 0.
    max_iter : int, default 20
        Iterations per ``step``.
    max_eval : int, optional
        Closure evaluations per ``step``; default ``max_iter * 5 // 4``.
    tolerance_grad : float, default 1e-7
        Stop when the largest gradient component is at most this.
    tolerance_change : float, default 1e-9
        Stop when the slope, the step or the loss change is below this.
    history_size : int, default 100
        :math:`m`, the number of pairs kept (memory: :math:`2md` numbers).
    line_search_fn : {None, "strong_wolfe"}, default None
    min_curvature : float, default 1e-10
        A pair is kept only when :math:`y^\top s` exceeds this: torch's fixed threshold, made
        a (keyword-only) hyper-parameter here because it is absolute. Near a tight tolerance
        the pairs shrink with the gradient (:math:`y^\top s \sim \|g\|^2/\lambda`), and below
        the threshold they stop being updated, which slows L-BFGS to a linear crawl. With the
        strong-Wolfe line search, 0 is safe: every step it accepts has
        :math:`y^\top s \ge (1 - c_2)\,|g^\top s| > 0`.

    Notes
    -----
    ``step`` requires a closure with PyTorch's convention: no arguments; it clears the
    gradients, computes the loss, calls ``backward()`` (or sets each parameter's ``.grad``)
    and returns the loss. It is called at the starting point and at every trial point of the
    line search. (:class:`~fromscratch.optim.Newton`'s closure differs: it is a function of the
    parameters' arrays, because Newton differentiates it twice.)

    ``state`` is kept under the first parameter, as in PyTorch: ``func_evals``, ``n_iter``,
    ``d``, ``t``, ``old_dirs`` (the :math:`y_i`), ``old_stps`` (the :math:`s_i`), ``ro``
    (the :math:`\rho_i`), ``H_diag`` (:math:`\gamma`), ``prev_flat_grad``, ``prev_loss``.

    Examples
    --------
    >>> import numpy as np
    >>> from fromscratch.autodiff import Tensor
    >>> x = Tensor(np.array([-1.2, 1.0]), requires_grad=True)
    >>> opt = LBFGS([x], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2   # Rosenbrock
    ...     loss.backward()
    ...     return loss
    >>> for _ in range(3):
    ...     _ = opt.step(closure)
    >>> np.round(x.data, 4)          # torch's default tolerance_change=1e-9 stops it here
    array([1., 1.])
    """

    _rules = {
        "lr": positive,  # a step length: > 0, where the shared rule allows 0
        "max_iter": _positive_int,
        "max_eval": _positive_int,
        "tolerance_grad": non_negative,
        "tolerance_change": non_negative,
        "history_size": _positive_int,
        "line_search_fn": _line_search_fn,
        "min_curvature": non_negative,
    }

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict[str, Any]],
        lr: float = 1.0,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
        *,
        min_curvature: float = 1e-10,
    ) -> None:
        if max_eval is None:
            max_eval = _positive_int(max_iter, "max_iter") * 5 // 4
        super().__init__(params, self._defaults_from(locals()))

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        if self.param_groups:
            raise ValueError(
                "LBFGS supports a single parameter group (as torch.optim.LBFGS): its curvature "
                "pairs couple all parameters, so per-group hyper-parameters have no meaning."
            )
        super().add_param_group(param_group)

    # --- the parameters as one flat vector ----------------------------------------------------

    def _params(self) -> list[Tensor]:
        return self.param_groups[0]["params"]

    def _flat_params(self) -> np.ndarray:
        return np.concatenate([p.data.ravel() for p in self._params()])

    def _flat_grad(self) -> np.ndarray:
        """The gradients, concatenated; a parameter without one counts as zero (as torch)."""
        return np.concatenate([
            np.zeros(p.data.size, p.data.dtype) if p.grad is None
            else np.asarray(p.grad, dtype=p.data.dtype).ravel()
            for p in self._params()
        ])

    def _set_params(self, flat: np.ndarray) -> None:
        start = 0
        for p in self._params():
            p.data[...] = flat[start : start + p.data.size].reshape(p.data.shape)
            start += p.data.size

    # --- the step -----------------------------------------------------------------------------

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Up to ``max_iter`` L-BFGS iterations; returns the closure's loss at the start."""
        if closure is None or not callable(closure):
            raise ValueError(
                "LBFGS.step needs a closure that re-evaluates the loss: a function of no "
                "arguments that clears the gradients, computes the loss, calls backward() and "
                "returns the loss; L-BFGS evaluates it several times per step."
            )
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state[self._params()[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = closure()
        loss = float(orig_loss)
        flat_grad = self._flat_grad()
        if not (math.isfinite(loss) and np.all(np.isfinite(flat_grad))):
            raise FloatingPointError(
                f"the loss ({loss}) or its gradient is not finite at the current point; L-BFGS "
                "cannot take a step from here (a previous step with too large an lr? try "
                "line_search_fn='strong_wolfe')."
            )
        current_evals = 1
        state["func_evals"] += 1
        if np.max(np.abs(flat_grad)) <= tolerance_grad:
            return orig_loss

        d: Any = state.get("d")  # None until the first iteration sets the direction
        t = state.get("t")
        grad_diffs: list[np.ndarray] = state.get("old_dirs", [])
        steps: list[np.ndarray] = state.get("old_stps", [])
        rhos: list[float] = state.get("ro", [])
        gamma: float = state.get("H_diag", 1.0)
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            if state["n_iter"] == 1:
                d = -flat_grad
                grad_diffs, steps, rhos = [], [], []
                gamma = 1.0
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y @ s)
                if ys > group["min_curvature"]:
                    if len(steps) == group["history_size"]:
                        for history in (grad_diffs, steps, rhos):
                            history.pop(0)
                    grad_diffs.append(y)
                    steps.append(s)
                    rhos.append(1.0 / ys)
                    gamma = ys / float(y @ y)
                d = two_loop_direction(flat_grad, steps, grad_diffs, rhos, gamma)
            prev_flat_grad, prev_loss = flat_grad, loss

            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / float(np.sum(np.abs(flat_grad)))) * lr
            else:
                t = lr
            gtd = float(flat_grad @ d)
            if gtd > -tolerance_change:  # not (enough of) a descent direction
                break

            opt_cond = False
            if group["line_search_fn"] == "strong_wolfe":
                x = self._flat_params()

                def phi(t: float, x: np.ndarray = x, d: np.ndarray = d) -> tuple[float, Any]:
                    self._set_params(x + t * d)
                    return float(closure()), self._flat_grad()

                loss, flat_grad, t, evals = strong_wolfe(
                    phi, t, d, loss, flat_grad, gtd, tolerance_change=tolerance_change,
                    max_ls=max_eval - current_evals,
                )
                self._set_params(x + t * d)
                opt_cond = bool(np.max(np.abs(flat_grad)) <= tolerance_grad)
            else:
                self._set_params(self._flat_params() + t * d)
                evals = 0
                # The last iteration does not re-evaluate: the next step() starts with that.
                if n_iter != max_iter:
                    loss = float(closure())
                    flat_grad = self._flat_grad()
                    opt_cond = bool(np.max(np.abs(flat_grad)) <= tolerance_grad)
                    evals = 1
            current_evals += evals
            state["func_evals"] += evals

            if (n_iter == max_iter or current_evals >= max_eval or opt_cond
                    or np.max(np.abs(d * t)) <= tolerance_change
                    or abs(loss - prev_loss) < tolerance_change):
                break

        state.update(d=d, t=t, old_dirs=grad_diffs, old_stps=steps, ro=rhos, H_diag=gamma,
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
        return orig_loss

    # --- saving and restoring -------------------------------------------------------------------

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`.

        L-BFGS's state is global (flat vectors over all parameters, lists of pairs), kept under
        the first parameter (index 0); it is copied, its arrays cast to the parameters' dtype.
        """
        saved = state_dict.get("state") if isinstance(state_dict, dict) else None
        super().load_state_dict({**state_dict, "state": {}} if saved else state_dict)
        if not saved:
            return
        if {int(i) for i in saved} != {0}:
            raise ValueError(
                f"LBFGS keeps its state under the first parameter (index 0); the state_dict has "
                f"state for parameter(s) {sorted(saved)}."
            )
        first = self._params()[0]
        dtype = first.data.dtype
        size = sum(p.data.size for p in self._params())

        def vector(name: str, value: Any) -> np.ndarray:
            array = np.array(value, dtype=dtype)  # np.array copies
            if array.shape != (size,):
                raise ValueError(
                    f"state entry {name!r} has shape {array.shape}, but the parameters have "
                    f"{size} values in all."
                )
            return array

        def restore(name: str, value: Any) -> Any:
            if value is None:
                return None
            if name in _VECTORS:
                return vector(name, value)
            if name in _HISTORIES:
                return [vector(name, v) for v in value]
            return copy.deepcopy(value)

        entry = next(iter(saved.values()))
        self.state[first] = {name: restore(name, value) for name, value in entry.items()}
