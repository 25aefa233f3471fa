"""The tour's neural-network chapter: it runs in quick mode with every check passing, its topic
table points at what it shows, its checks fail when the code they check is broken, and the
closed forms it compares with are right."""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from fromscratch.tour import (  # noqa: E402
    _nn_backprop,
    _nn_experiments,
    _nn_linear,
    _nn_networks,
    ch_nn,
)
from fromscratch.tour.chapter import Chapter  # noqa: E402


@pytest.fixture(scope="module")
def chapter():
    ch = Chapter("nn", ch_nn.TITLE, quick=True)
    ch_nn.run(ch)
    return ch


def test_quick_chapter_passes_every_check(chapter):
    assert [c.what for c in chapter.failed_checks] == []
    assert len(chapter.checks) >= 40


def test_topic_table_quotes_the_chapter(chapter):
    headings = {b.payload for b in chapter.blocks if b.kind == "heading"}
    captions = {b.caption for b in chapter.blocks if b.kind == "figure"}
    checks = {c.what for c in chapter.checks if c.passed}
    assert sorted(ch_nn.TOPICS) == [f"I{k}" for k in range(1, 10)]
    for topic, where in ch_nn.TOPICS.items():
        assert where["section"] in headings, topic
        assert where["figure"] in captions, topic
        assert where["check"] in checks, topic


def test_each_topic_section_has_its_figure_and_check_inside_it(chapter):
    """The figure and the check a topic names are shown between its heading and the next."""
    sections, current = {}, None
    for block in chapter.blocks:
        if block.kind == "heading":
            current = block.payload
        elif block.kind == "figure":
            sections.setdefault(current, set()).add(block.caption)
    for topic, where in ch_nn.TOPICS.items():
        assert where["figure"] in sections[where["section"]], topic


def test_the_parameter_count_the_chapter_once_misstated():
    # (20+1)·8 + (8+1)·3 + (3+1)·1: the chapter used to say 205
    assert _nn_networks.parameter_count((20, 8, 3, 1)) == 199
    torch = pytest.importorskip("torch")
    reference = torch.nn.Sequential(torch.nn.Linear(20, 8), torch.nn.Sigmoid(),
                                    torch.nn.Linear(8, 3), torch.nn.Sigmoid(),
                                    torch.nn.Linear(3, 1))
    assert sum(p.numel() for p in reference.parameters()) == 199


def _run(section, quick=True):
    ch = Chapter("nn", "NN", quick=quick)
    section(ch)
    return ch


def test_backpropagation_checks_fail_with_a_wrong_derivative(monkeypatch):
    from fromscratch.nn import backprop

    sigma, _ = backprop.ACTIVATIONS["tanh"]
    monkeypatch.setitem(backprop.ACTIVATIONS, "tanh", (sigma, lambda z: 1 - np.tanh(z)))
    failed = {c.what for c in _run(_nn_backprop.backpropagation).failed_checks}
    # the last layer's gradient needs no σ', every earlier one does
    assert {"∂ℓ/∂W¹ by the δ recurrence", "∂ℓ/∂W² by the δ recurrence",
            "δ-recurrence gradients, one weight per layer"} <= failed
    assert "∂ℓ/∂W³ by the δ recurrence" not in failed


def test_variance_checks_fail_with_a_wrong_initial_scale(monkeypatch):
    from fromscratch.nn import layers

    real_linear = layers.Linear.__init__

    def sqrt3_too_wide(self, *args, **kwargs):  # U(±√3/√n_in): Var(W) = 1/n_in, not 1/(3 n_in)
        real_linear(self, *args, **kwargs)
        self.weight.data[...] *= math.sqrt(3)

    monkeypatch.setattr(layers.Linear, "__init__", sqrt3_too_wide)
    ch = Chapter("nn", "NN", quick=True)
    _nn_networks.initial_variance(ch)
    failed = {c.what for c in ch.failed_checks}
    assert f"{_nn_networks.CHECK_I2_VARIANCE}, U(±1/√n_in)" in failed
    assert f"{_nn_networks.CHECK_I2_VARIANCE}, Glorot" not in failed  # overwritten by xavier_


def test_training_check_fails_when_autodiff_and_the_recurrence_disagree(monkeypatch):
    from fromscratch.nn import backprop

    sigma, sigma_prime = backprop.ACTIVATIONS["tanh"]
    monkeypatch.setitem(backprop.ACTIVATIONS, "tanh", (sigma, lambda z: 0.9 * sigma_prime(z)))
    failed = {c.what for c in _run(_nn_backprop.training_with_autodiff).failed_checks}
    assert _nn_backprop.CHECK_I6 in failed


def test_regression_network_checks_fail_when_training_stops_early(monkeypatch):
    real = _nn_linear.train_single_layer

    def five_epochs(loss_fn, X, y, *, learning_rate, epochs):
        return real(loss_fn, X, y, learning_rate=learning_rate, epochs=5)

    monkeypatch.setattr(_nn_linear, "train_single_layer", five_epochs)
    for section, check in [(_nn_linear.linear_regression_network, _nn_linear.CHECK_I5),
                           (_nn_linear.logistic_regression_network, _nn_linear.CHECK_I8)]:
        assert check in {c.what for c in _run(section).failed_checks}


@pytest.mark.filterwarnings("ignore::fromscratch.exceptions.ConvergenceWarning")
def test_xor_check_fails_for_a_network_stopped_after_two_epochs(monkeypatch):
    from fromscratch import nn

    class TwoEpochs(nn.MLPClassifier):
        def fit(self, X, y):
            self.max_iter = 2
            return super().fit(X, y)

    monkeypatch.setattr(nn, "MLPClassifier", TwoEpochs)
    failed = {c.what for c in _run(_nn_experiments.nonlinear_problems).failed_checks}
    assert _nn_experiments.CHECK_I9 in failed


def test_xor_bayes_accuracy_matches_the_quadrant_rule_on_a_large_sample():
    from fromscratch.datasets import make_xor

    for noise in (0.1, 0.3):
        data = make_xor(400_000, noise=noise, random_state=0)
        quadrant_rule = (data.X[:, 0] * data.X[:, 1] < 0).astype(int)
        measured = np.mean(quadrant_rule == data.y)
        bayes = _nn_experiments.xor_bayes_accuracy(noise)
        standard_error = math.sqrt(bayes * (1 - bayes) / len(data.y))
        assert abs(measured - bayes) < 4 * standard_error
    assert _nn_experiments.xor_bayes_accuracy(1e-3) == pytest.approx(1.0, abs=1e-3)


def test_auc_standard_error_matches_its_spread_for_exponential_scores():
    """Hanley and McNeil's Q1, Q2 are exact for exponentially distributed scores, so the formula
    is the standard deviation of the AUC over repeated samples."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    n_pos, n_neg, rate = 60, 40, 3.0  # negatives ~ Exp(1), positives ~ Exp(1/rate)
    auc_true = rate / (1 + rate)  # P(positive score > negative score)
    y = np.r_[np.ones(n_pos), np.zeros(n_neg)]
    aucs = [roc_auc_score(y, np.r_[rng.exponential(rate, n_pos), rng.exponential(1.0, n_neg)])
            for _ in range(4000)]
    # the standard deviation of 4000 draws is known to about 1.1 % (1/√(2·4000))
    assert np.std(aucs) == pytest.approx(
        _nn_experiments.auc_standard_error(auc_true, n_pos, n_neg), rel=0.05)
