"""The shared training tools: validation split, patience, divergence, the damped Newton direction,
the line search and the stopping-rule messages — each against an independent reference
(scikit-learn's rounding and rules, NumPy's solver, exact hand-made sequences)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.model_selection import train_test_split

from fromscratch.exceptions import ConvergenceWarning, DivergenceError
from fromscratch.optim import training
from fromscratch.optim.training import (
    EarlyStopping,
    backtracking_line_search,
    divergence,
    divergence_error,
    learning_rate_hint,
    max_gradient,
    newton_direction,
    not_converged_message,
    not_converged_warning,
    validation_split,
)
from stopping_reference import has_ties, sklearn_stop_epoch

# -- the validation split -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 7, 10, 99, 101, 1000])
@pytest.mark.parametrize("fraction", [0.01, 0.1, 0.15, 0.25, 0.5, 0.66])
def test_validation_size_is_scikit_learns(n, fraction):
    if math.ceil(fraction * n) >= n:
        return  # scikit-learn refuses these too (an empty training side): tested below
    _, held_out = train_test_split(np.arange(n), test_size=fraction, random_state=0)
    train, val = validation_split(n, fraction, np.random.default_rng(0))
    assert val.size == held_out.size and train.size == n - held_out.size
    assert np.all(np.diff(train) > 0) and np.all(np.diff(val) > 0)  # sorted, no repeats
    np.testing.assert_array_equal(np.union1d(train, val), np.arange(n))


def test_stratified_split_rounds_each_class_up():
    labels = np.array([0] * 90 + [1] * 7 + [2] * 3)
    train, val = validation_split(100, 0.2, 0, stratify=labels)
    assert [int(np.sum(labels[val] == c)) for c in (0, 1, 2)] == [18, 2, 1]  # ceil(0.2 n_c)
    assert np.intersect1d(train, val).size == 0 and train.size + val.size == 100
    # the same seed gives the same split; a Generator is advanced
    np.testing.assert_array_equal(validation_split(100, 0.2, 0, stratify=labels)[1], val)
    rng = np.random.default_rng(0)
    first, second = validation_split(100, 0.5, rng)[1], validation_split(100, 0.5, rng)[1]
    assert not np.array_equal(first, second)


def test_split_refuses_an_empty_side_naming_the_numbers():
    with pytest.raises(ValueError, match=r"holds out ceil\(0.5 x 1\) = 1 of the 1 samples"):
        validation_split(1, 0.5, 0)
    with pytest.raises(ValueError, match="of class 'b'"):  # a class with one sample
        validation_split(5, 0.1, 0, stratify=np.array(["a", "a", "a", "a", "b"]))
    for fraction in (0.0, 1.0, -0.1):
        with pytest.raises(ValueError, match="validation_fraction"):
            validation_split(10, fraction, 0)


# -- early stopping: the exact epoch of both of scikit-learn's rules -------------------------------


def run(stopper, values):
    """The epoch after which ``stopper`` says stop, or None."""
    for epoch, value in enumerate(values, start=1):
        stopper.update(value)
        if stopper.should_stop:
            return epoch
    return None


# The best loss at epoch 2, then nothing better: with patience 3, scikit-learn's SGD rule stops
# after epoch 2 + 3 = 5, its MLP rule one epoch later.
LOSSES = [5.0, 1.0, 1.5, 1.2, 1.1, 1.3, 1.4, 1.6]


def test_the_sgd_rule_stops_when_the_count_reaches_the_patience():
    stopper = EarlyStopping(3, rule="sgd")
    assert run(stopper, LOSSES) == 5
    assert stopper.bad_epochs == 3 and stopper.best == 1.0 and stopper.best_epoch == 2


def test_the_mlp_rule_stops_when_the_count_exceeds_the_patience():
    stopper = EarlyStopping(3, rule="mlp")
    assert run(stopper, LOSSES) == 6
    assert stopper.bad_epochs == 4 and stopper.best_epoch == 2


def test_min_delta_and_max_mode():
    # 0.95 beats 1.0 but not by more than min_delta: a bad epoch, yet the new best
    stopper = EarlyStopping(1, min_delta=0.1, rule="sgd")
    assert stopper.update(1.0) and stopper.update(0.95)
    assert stopper.should_stop and stopper.best == 0.95 and stopper.best_epoch == 2
    scores = EarlyStopping(1, mode="max", rule="mlp")
    assert run(scores, [0.5, 0.7, 0.6, 0.65, 0.9]) == 4
    assert scores.best == 0.7 and scores.best_epoch == 2  # the true score, not its negative
    with pytest.raises(ValueError, match="mode must be one of"):
        EarlyStopping(1, mode="up")
    with pytest.raises(ValueError, match="rule must be one of"):
        EarlyStopping(1, rule="keras")
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(-1)


def test_a_tie_is_no_improvement():
    """The one documented difference from scikit-learn: with min_delta=0 a loss that stops
    changing stops the run (scikit-learn would count every equal epoch as an improvement)."""
    flat = [2.0, 1.0, 1.0, 1.0, 1.0]
    assert run(EarlyStopping(2, rule="sgd"), flat) == 4
    assert sklearn_stop_epoch(flat, 2, 0.0, rule="sgd") is None


values = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=40)


@given(values, st.integers(0, 6), st.sampled_from([0.0, 1e-3, 0.5]),
       st.sampled_from(["sgd", "mlp"]), st.sampled_from(["min", "max"]))
def test_stop_epoch_is_scikit_learns(sequence, patience, tol, rule, mode):
    assume(not has_ties(sequence, tol, mode=mode))
    if rule == "sgd":
        assume(patience >= 1)  # scikit-learn's n_iter_no_change >= 1
    stopper = EarlyStopping(patience, tol, mode=mode, rule=rule)
    expected = sklearn_stop_epoch(sequence, patience, tol, rule=rule, mode=mode)
    assert run(stopper, sequence) == expected


# -- divergence -----------------------------------------------------------------------------------


def test_divergence_says_why():
    assert divergence(1.0, 2.0) is None
    assert divergence(math.nan, 2.0) == "became nan" and divergence(math.inf, 2.0) == "became inf"
    # blown up: more than BLOW_UP_FACTOR * max(1, |start|) above the start
    limit = training.BLOW_UP_FACTOR
    assert divergence(2.0 + limit * 2.0 * 1.01, 2.0) == "blew up"
    assert divergence(2.0 + limit * 2.0 * 0.99, 2.0) is None
    assert divergence(-5.0 + limit * 1.01 * 5.0, -5.0) == "blew up"  # |start| for a negative f
    assert divergence(0.1 + limit * 0.99, 0.1) is None  # at least 1 for a tiny start


def test_one_message_names_the_parameter_and_a_smaller_value():
    error = divergence_error("epoch 3: the loss became nan", learning_rate_hint(0.5,
                                                                                "learning_rate"))
    assert isinstance(error, DivergenceError) and isinstance(error, FloatingPointError)
    assert str(error) == (
        "epoch 3: the loss became nan: the optimization diverged. The learning rate "
        "learning_rate=0.5 is probably too large: try a smaller learning_rate (e.g. 0.05), "
        "standardize the features (e.g. StandardScaler), or check the data for extreme values.")
    assert learning_rate_hint(0.01, data=False) == (
        "The learning rate lr=0.01 is probably too large: try a smaller lr (e.g. 0.001).")


# -- the damped Newton direction ------------------------------------------------------------------


def test_newton_direction_is_a_solve_when_positive_definite():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 6))
    H, g = A @ A.T + np.eye(6), rng.standard_normal(6)
    d, shift = newton_direction(g, H)
    np.testing.assert_allclose(d, -np.linalg.solve(H, g), rtol=1e-10)
    assert shift == 0.0


@pytest.mark.parametrize("scale", [2.0**-40, 1.0, 2.0**40])
def test_damping_is_relative_to_the_hessian(scale):
    """A singular H = [[1, 1], [1, 1]] needs a shift; the shift scales with H, so the direction
    does not depend on the units of f (an absolute floor such as 1e-6 would swamp a tiny H and
    turn the step into a short gradient step). Powers of two scale every operation exactly."""
    H, g = scale * np.ones((2, 2)), scale * np.array([1.0, 1.0])
    d, shift = newton_direction(g, H)
    assert 0 < shift <= 10 * training.DAMPING_FLOOR * scale
    # g lies in the range of H: the damped step is the Newton step -g / 2 along (1, 1), up to
    # the rounding that the tiny shift amplifies along the flat direction (eps / 1e-10 ~ 1e-6)
    np.testing.assert_allclose(d, [-0.5, -0.5], rtol=0, atol=1e-5)
    reference, _ = newton_direction(g / scale, H / scale)
    np.testing.assert_array_equal(d, reference)


def test_indefinite_hessians_get_a_descent_direction():
    for H in (np.array([[0.0, 1.0], [1.0, 0.0]]),  # zero diagonal: the scale is max |H_ij|
              np.diag([2.0, -1.88]),
              np.zeros((2, 2))):  # a linear function: steepest descent
        g = np.array([0.3, -0.7])
        d, shift = newton_direction(g, H)
        assert g @ d < 0
        assert np.all(np.linalg.eigvalsh(H + shift * np.eye(2)) > 0)


def test_null_space_gives_the_step_of_the_singular_system():
    # f = (w1 + w2 - 2)^2 / 2: singular H, flat along q = (1, -1)/sqrt 2; g is orthogonal to q
    H, g = np.ones((2, 2)), np.array([-2.0, -2.0])
    q = np.array([[1.0], [-1.0]]) / np.sqrt(2)
    d, shift = newton_direction(g, H, null_space=q)
    assert shift == 0.0
    np.testing.assert_allclose(d, [1.0, 1.0], rtol=1e-12)  # the minimum-norm step


def test_newton_direction_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        newton_direction(np.ones(2), np.array([[1.0, np.nan], [np.nan, 1.0]]))


# -- the line search ------------------------------------------------------------------------------


def quadratic(x):
    return float(x @ x)


def test_line_search_takes_the_first_armijo_step():
    x, d = np.array([1.0, 1.0]), np.array([-4.0, -4.0])  # too long: t = 1 overshoots
    fx, slope = quadratic(x), float(2 * x @ d)
    t, f_new = backtracking_line_search(quadratic, x, d, fx, slope)
    assert f_new == quadratic(x + t * d) and f_new <= fx + training.ARMIJO * t * slope
    assert quadratic(x + 2 * t * d) > fx + training.ARMIJO * 2 * t * slope
    # the same search from f along the line (what a cheap restriction gives)
    assert backtracking_line_search(quadratic, x, d, fx, slope,
                                    along=lambda s: quadratic(x + s * d)) == (t, f_new)


def test_line_search_gives_up_when_the_step_vanishes():
    x, d = np.array([1.0]), np.array([1.0])  # uphill: no step decreases f
    calls = []

    def f(z):
        calls.append(z)
        return quadratic(z)

    assert backtracking_line_search(f, x, d, quadratic(x), -1.0) == (0.0, quadratic(x))
    # 2**-53 is below the resolution of x = 1: the search stopped there, before MAX_HALVINGS
    assert len(calls) == 53 < training.MAX_HALVINGS


def test_a_flat_step_is_accepted_only_when_asked():
    # f is constant to rounding along d: Armijo fails, the flat rule decides
    x, d = np.array([1.0]), np.array([1e-9])
    asked = []

    def flat(z):
        asked.append(z.copy())
        return True

    def f(z):
        return 1.0

    assert backtracking_line_search(f, x, d, 1.0, -1e-3, flat=flat) == (1.0, 1.0)
    np.testing.assert_array_equal(asked, [x + d])
    assert backtracking_line_search(f, x, d, 1.0, -1e-3)[0] == 0.0


# -- stopping rules -------------------------------------------------------------------------------


def test_max_gradient_and_the_not_converged_message():
    assert max_gradient(np.array([[0.5, -2.0], [1.0, 0.0]])) == 2.0
    assert max_gradient(np.array([])) == 0.0
    message = not_converged_message("Adam", "max_iter=3 epochs", "max|∂F/∂w| = 0.1 > tol=0.001",
                                    "increase max_iter")
    assert message == ("Adam did not converge in max_iter=3 epochs (max|∂F/∂w| = 0.1 > "
                       "tol=0.001); increase max_iter.")
    with pytest.warns(ConvergenceWarning, match=r"^Adam did not converge in max_iter=3") as w:
        not_converged_warning("Adam", "max_iter=3 epochs", "x", "y")
    assert w[0].filename == __file__  # the first line outside the library

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert EarlyStopping(1).update(1.0)  # no stray warnings from the tools themselves
