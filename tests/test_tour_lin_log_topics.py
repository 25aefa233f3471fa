"""The linear- and logistic-regression chapters teach their curriculum topics (B1–B8, D1–D8):
every topic's section, figure and check (``TOPICS``) appear in the chapter as written, the figure
inside the topic's section; the statements issue 14 found wrong are corrected and checked; and
the new checks fail when the code they check is broken."""

import dataclasses
import inspect

import numpy as np
import pytest

from fromscratch.exceptions import DivergenceError
from fromscratch.tour import ch_linreg, ch_logistic
from fromscratch.tour.chapter import Block, Chapter
from fromscratch.tour.markdown import render_inline


class _Captions(Chapter):
    """Keeps each figure's caption, closes the figure without rendering it (the tour's own
    tests render the chapters)."""

    def figure(self, fig, caption="", *, dpi=110):
        import matplotlib.pyplot as plt

        render_inline(caption)
        plt.close(fig)
        self.blocks.append(Block("figure", b"", caption))


def _run(function, *args):
    ch = _Captions("x", "X", quick=True)
    function(ch, *args)
    return ch


@pytest.fixture(scope="module")
def linreg():
    return _run(ch_linreg.run)


@pytest.fixture(scope="module")
def logistic():
    return _run(ch_logistic.run)


def _figures_by_section(ch) -> dict[str, list[str]]:
    sections, heading = {}, None
    for block in ch.blocks:
        if block.kind == "heading":
            heading = block.payload
            sections[heading] = []
        elif block.kind == "figure":
            sections.setdefault(heading, []).append(block.caption)
    return sections


@pytest.mark.parametrize("name, letter", [("linreg", "B"), ("logistic", "D")])
def test_every_topic_has_its_section_figure_and_passing_check(name, letter, request):
    ch = request.getfixturevalue(name)
    topics = {"linreg": ch_linreg, "logistic": ch_logistic}[name].TOPICS
    assert sorted(topics) == [f"{letter}{k}" for k in range(1, 9)]
    figures = _figures_by_section(ch)
    checks = {c.what: c for c in ch.checks}
    for topic, where in topics.items():
        assert where["figure"] in figures[where["section"]], topic
        assert checks[where["check"]].passed, topic
    assert ch.failed_checks == []


def test_the_qr_statement_states_its_condition_and_the_squared_term_is_measured(linreg):
    text = " ".join(b.payload for b in linreg.blocks if b.kind in ("text", "equation"))
    assert "loses half as many digits" not in text
    assert "when the residual is small" in text
    assert r"\kappa^2\varepsilon\,\frac{\|r\|}{\|A\|\,\|x\|}" in text
    checks = {c.what: c for c in linreg.checks}
    for what in ("QR, residual ‖A‖‖x‖: worst error / (κε + κ²ε)",
                 "QR's error against κ, residual 0: log-log slope",
                 "QR's error against κ, residual ‖A‖‖x‖: log-log slope",
                 "residual ‖A‖‖x‖: normal equations' error over QR's, median |log₁₀ ratio|"):
        assert checks[what].passed, what


def test_the_hessian_text_says_what_the_code_does(logistic):
    from fromscratch.autodiff import hessian

    assert inspect.signature(hessian).parameters["mode"].default == "reverse"
    text = " ".join(b.payload for b in logistic.blocks if b.kind == "text")
    assert "by default reverse-over-reverse" in text
    assert "(forward-over-reverse, `fromscratch.autodiff.hessian`)" not in text
    checks = {c.what: c for c in logistic.checks}
    assert checks["hand-derived Hessian X̃ᵀSX̃/n + I_w/(Cn)"].passed


def test_the_blog_experiment_is_beside_the_posts_numbers(logistic):
    from fromscratch.tour import _logistic_blog as blog

    checks = {c.what: c for c in logistic.checks}
    for what in (blog.CHECK_BLOG_ACCURACY, blog.CHECK_BLOG_AUC):
        assert checks[what].passed and checks[what].difference <= checks[what].tolerance
    table = next(b.payload for b in logistic.blocks if b.kind == "table"
                 and b.payload[1][0][0] == "the post")
    assert table[1][0][1:3] == [f"≈ {blog.BLOG_ACCURACY}", f"≈ {blog.BLOG_AUC}"]


# -- the new checks catch broken code ----------------------------------------------------------


def _failed(ch) -> set[str]:
    return {c.what for c in ch.failed_checks}


def test_a_gradient_without_its_one_over_n_fails_the_gradient_checks(monkeypatch):
    from fromscratch.datasets import make_linear
    from fromscratch.linear_model import _iterative
    from fromscratch.tour import _linreg_sections as sections

    original = _iterative.least_squares_objective

    def summed(*args, **kwargs):  # the classic bug: the sum of the per-sample gradients
        objective = original(*args, **kwargs)
        return dataclasses.replace(objective, gradient=lambda w, X, y: X.shape[0]
                                   * objective.gradient(w, X, y))

    monkeypatch.setattr(_iterative, "least_squares_objective", summed)
    line = make_linear(50, coef=[2.0], intercept=1.0, noise=1.0, random_state=0)
    assert sections.CHECK_B4 in _failed(_run(sections.gradient_field, line))
    ch = _Captions("x", "X", quick=True)
    with pytest.raises(DivergenceError):  # |B| times the step: the SGD runs blow up
        sections.stochastic_runs(ch, line)
    assert sections.CHECK_B6 in _failed(ch)  # checked before the runs


def test_a_reflector_with_the_cancelling_sign_fails_the_householder_checks(monkeypatch):
    from fromscratch.linalg import _qr
    from fromscratch.tour import _linreg_qr

    def wrong_sign(x):  # β = +sign(x₀)‖x‖: x₀ − β cancels for columns near the axis
        alpha, sigma = float(x[0]), float(np.sqrt(x[1:] @ x[1:]))
        if sigma == 0.0:
            return 0.0
        beta = np.copysign(np.hypot(alpha, sigma), alpha)
        x[1:] /= alpha - beta
        x[0] = beta
        return (beta - alpha) / beta

    monkeypatch.setattr(_qr, "_make_reflector", wrong_sign)
    with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 where x₀ − β cancels to 0
        failed = _failed(_run(_linreg_qr.householder_pictures))
    assert "library's reflector for a random x ∈ ℝ⁶: Hx" in failed
    assert "library's sign, x = (1, 1e-9, 1e-9): max |(Hx)₂,₃| / ‖x‖" in failed


def test_a_softmax_that_overflows_fails_the_two_class_check(monkeypatch):
    from fromscratch.linear_model import logistic
    from fromscratch.tour import _logistic_model

    def naive(Z):
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    monkeypatch.setattr(logistic, "softmax", naive)
    with np.errstate(over="ignore", invalid="ignore"):
        failed = _failed(_run(_logistic_model.two_and_more_classes))
    assert _logistic_model.CHECK_D1 in failed


def test_a_wrong_log_loss_gradient_fails_the_field_and_gradient_descent_checks(monkeypatch):
    from fromscratch.datasets import load_breast_cancer
    from fromscratch.linear_model._logistic_loss import BinaryLogisticLoss
    from fromscratch.tour import _logistic_fitting
    from fromscratch.tour.ch_logistic import _standardized_split

    original = BinaryLogisticLoss.gradient
    monkeypatch.setattr(BinaryLogisticLoss, "gradient",  # the sum, not the mean
                        lambda self, w, X, y: X.shape[0] * original(self, w, X, y))
    cancer = load_breast_cancer()
    X_train, _, y_train, _ = _standardized_split(cancer.X, cancer.y)
    ch = _run(_logistic_fitting.derivative_pictures, X_train, y_train, cancer)
    assert _logistic_fitting.CHECK_D6 in _failed(ch)
    # n times the step: gradient descent leaves the guaranteed region and its bound — or, for
    # the run at four times the rate, diverges outright, which the library stops with its
    # error (which of the two comes first depends on the data's last bits: both catch the bug)
    try:
        ch = _run(_logistic_fitting.gradient_descent_section, X_train, y_train)
    except DivergenceError:
        return
    assert _logistic_fitting.CHECK_D7 in _failed(ch)
