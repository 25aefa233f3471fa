"""scikit-learn's patience rules, transcribed line by line, as the reference for the exact epoch
at which a run must stop.

``sklearn/linear_model/_sgd_fast.pyx.tp`` (``_plain_sgd``)::

    if tol > -INFINITY and objective_sum / train_count > best_objective - tol:
        no_improvement_count += 1
    else:
        no_improvement_count = 0
    if objective_sum / train_count < best_objective:
        best_objective = objective_sum / train_count
    if no_improvement_count >= n_iter_no_change:
        break

(and with early stopping ``score < best_score + tol`` on the validation score);
``sklearn/neural_network/_multilayer_perceptron.py`` counts the same way
(``_update_no_improvement_count``) and stops on ``self._no_improvement_count >
self.n_iter_no_change``.
"""

from __future__ import annotations

import math


def sklearn_stop_epoch(values, n_iter_no_change: int, tol: float, *, rule: str,
                       mode: str = "min") -> int | None:
    """The epoch (counted from 1) after which scikit-learn's ``rule`` ("sgd" or "mlp") stops a
    run whose monitored values are ``values``; ``None`` if it never stops within them."""
    best = math.inf if mode == "min" else -math.inf
    no_improvement_count = 0
    for epoch, value in enumerate(values, start=1):
        if mode == "min":
            worse = value > best - tol
            best = min(best, value)
        else:
            worse = value < best + tol
            best = max(best, value)
        no_improvement_count = no_improvement_count + 1 if worse else 0
        if rule == "sgd" and no_improvement_count >= n_iter_no_change:
            return epoch
        if rule == "mlp" and no_improvement_count > n_iter_no_change:
            return epoch
    return None


def has_ties(values, tol: float, *, mode: str = "min") -> bool:
    """Whether some value lies exactly ``tol`` beyond the best before it: the one case where
    fromscratch's :class:`EarlyStopping` deliberately differs from scikit-learn (a tie is no
    improvement)."""
    best = math.inf if mode == "min" else -math.inf
    for value in values:
        if value == (best - tol if mode == "min" else best + tol):
            return True
        best = min(best, value) if mode == "min" else max(best, value)
    return False
