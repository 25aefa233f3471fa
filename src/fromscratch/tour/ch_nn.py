"""Chapter: neural networks — what a network is and how one is defined (its parameters counted,
the scale of its first weights measured layer by layer), the feedforward pass, backpropagation
derived step by step and checked layer by layer, linear and logistic regression as networks,
training with autodiff, the activations, and backpropagation training deep networks — with the
blog's part-3 experiment at its settings.

The sections live in ``_nn_networks``, ``_nn_backprop``, ``_nn_linear`` and
``_nn_experiments``. The from-scratch rule covers the tour, so the checks here use independent
routes (autodiff, finite differences, closed forms, the library's least-squares and Newton
solvers); the comparisons with PyTorch and scikit-learn, number for number, are in ``tests/nn``
and notebook 08."""

from __future__ import annotations

import contextlib
import warnings

from fromscratch.tour import _nn_backprop as backprop
from fromscratch.tour import _nn_experiments as experiments
from fromscratch.tour import _nn_linear as linear
from fromscratch.tour import _nn_networks as networks

TITLE = "Neural networks"

#: Where each curriculum topic of part I is taught: its section heading, one figure caption
#: and one check, exactly as the chapter shows them (read by the introduction's topic table).
TOPICS = {
    "I1": {"section": networks.HEADING_I1, "figure": networks.FIGURE_I1,
           "check": networks.CHECK_I1},
    "I2": {"section": networks.HEADING_I2, "figure": networks.FIGURE_I2,
           "check": networks.CHECK_I2},
    "I3": {"section": networks.HEADING_I3, "figure": networks.FIGURE_I3,
           "check": networks.CHECK_I3},
    "I4": {"section": backprop.HEADING_I4, "figure": backprop.FIGURE_I4,
           "check": backprop.CHECK_I4},
    "I5": {"section": linear.HEADING_I5, "figure": linear.FIGURE_I5, "check": linear.CHECK_I5},
    "I6": {"section": backprop.HEADING_I6, "figure": backprop.FIGURE_I6,
           "check": backprop.CHECK_I6},
    "I7": {"section": backprop.HEADING_I7, "figure": backprop.FIGURE_I7,
           "check": backprop.CHECK_I7},
    "I8": {"section": linear.HEADING_I8, "figure": linear.FIGURE_I8, "check": linear.CHECK_I8},
    "I9": {"section": experiments.HEADING_I9, "figure": experiments.FIGURE_I9,
           "check": experiments.CHECK_I9},
}


def _single_threaded_blas():
    """Small matrix products are far faster on one BLAS thread than on a busy thread pool."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it, the chapter is only slower
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def run(ch) -> None:
    from fromscratch.exceptions import ConvergenceWarning

    with _single_threaded_blas(), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # short quick-mode fits
        networks.what_a_network_is(ch)  # I1
        networks.defining_a_network(ch)  # I2
        networks.feedforward(ch)  # I3
        backprop.backpropagation(ch)  # I4
        linear.linear_regression_network(ch)  # I5
        backprop.training_with_autodiff(ch)  # I6
        backprop.activations(ch)  # I7
        linear.logistic_regression_network(ch)  # I8
        experiments.nonlinear_problems(ch)  # I9
        experiments.blog_experiment(ch)  # I9: the blog's part 3, at its settings
        experiments.hidden_layer_experiment(ch)
        experiments.digits(ch)
