"""The autodiff chapter teaches its curriculum topics E1–E5 and F1–F6: every topic's section,
figure and check (``TOPICS``) appear in the chapter as written, and the checks are real
comparisons — with a derivative rule or the backward pass broken, they fail."""

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff.primitives import elementwise
from fromscratch.tour import _autodiff_forward, _autodiff_reverse, ch_autodiff
from test_tour_optimizer_topics import _assert_topics_taught, _Unrendered


@pytest.fixture(scope="module")
def autodiff():
    ch = _Unrendered(ch_autodiff.__name__, ch_autodiff.TITLE, quick=True)
    ch_autodiff.run(ch)
    return ch


def _checks(ch):
    return {c.what: c for c in ch.checks}


def test_every_autodiff_topic_has_its_section_figure_and_passing_check(autodiff):
    expected = [f"E{i}" for i in range(1, 6)] + [f"F{i}" for i in range(1, 7)]
    assert list(ch_autodiff.TOPICS) == expected
    _assert_topics_taught(autodiff, ch_autodiff.TOPICS)
    assert autodiff.failed_checks == []


def test_each_topic_has_its_own_section_and_shows_the_library_code(autodiff):
    sections = [where["section"] for where in ch_autodiff.TOPICS.values()]
    assert len(set(sections)) == len(sections)
    shown = " ".join(b.payload for b in autodiff.blocks if b.kind == "code")
    assert "def _apply" in shown and "def backprop" in shown
    # the rule table is read from the library's source, not copied into the chapter
    tables = [b.payload for b in autodiff.blocks if b.kind == "table"]
    rules = next(rows for columns, rows in tables if columns[0] == "primitive")
    assert ["`exp`", "`lambda t, ans, x: t * ans`", "`lambda g, ans, x: g * ans`"] in rules


def test_the_pytorch_comparison_is_skipped_with_its_reason(autodiff):
    skipped = [c for c in autodiff.checks if c.passed is None]
    assert [c.what for c in skipped] == ["gradients and JVPs vs PyTorch autograd"]
    assert "from-scratch rule" in skipped[0].detail


def test_the_cheaper_mode_and_the_pass_counts_are_measured(autodiff):
    checks = _checks(autodiff)
    assert checks[ch_autodiff.TOPICS["E2"]["check"]].difference == 0
    assert checks["n ≫ m: forward-mode time / reverse-mode time for the full Jacobian"].passed
    assert checks["m ≫ n: reverse-mode time / forward-mode time for the full Jacobian"].passed
    assert checks["reverse mode's peak memory through the deepest tanh chain, in arrays"].passed
    assert checks["forward mode's peak memory, deepest chain / shallowest"].passed
    assert checks["longest chain / recursion limit"].difference > 1


def _run_section(section, *args):
    ch = _Unrendered("autodiff", "Automatic differentiation", quick=True)
    section(ch, *args)
    return ch


def test_a_wrong_forward_rule_fails_the_dual_number_checks(monkeypatch):
    # sin's tangent multiplied by sin instead of cos: f' of x² sin x on the grid is wrong
    monkeypatch.setattr(elementwise.sin, "jvps", (lambda t, ans, x: t * anp.sin(x),))
    ch = _run_section(_autodiff_forward.dual_numbers)
    assert not _checks(ch)[ch_autodiff.TOPICS["E1"]["check"]].passed
    ch = _run_section(_autodiff_reverse.chain_rule, np.random.default_rng(0))
    assert _checks(ch)[ch_autodiff.TOPICS["F1"]["check"]].passed  # cos and exp: still right


def test_a_wrong_reverse_rule_fails_the_worked_example_and_the_traps(monkeypatch):
    # multiply's second input receives g instead of x·g: x₂ gets the wrong share from v₂
    multiply = elementwise.multiply
    monkeypatch.setattr(multiply, "vjps", (multiply.vjps[0], lambda g, ans, x, y: g))
    trace = _autodiff_reverse.evaluation_trace(_Unrendered("a", "A", quick=True))
    ch = _run_section(_autodiff_reverse.reverse_worked_example, trace)
    assert not _checks(ch)[ch_autodiff.TOPICS["F5"]["check"]].passed
    ch = _run_section(_autodiff_reverse.reverse_implemented, np.random.default_rng(0))
    checks = _checks(ch)
    assert not checks["a node used twice: d/dx (x · x) at 3"].passed
    assert not checks["both modes vs central differences: logistic loss"].passed
