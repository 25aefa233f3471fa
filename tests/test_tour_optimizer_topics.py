"""The optimizer and test-function chapters teach their curriculum topics: every topic's section,
figure and check (``TOPICS``) appear in the chapter as written, and the checks that correct the
wrong statements of issue 14 are in it and pass."""

import re

import pytest

from fromscratch.tour import ch_optimizers, ch_testfunctions
from fromscratch.tour.chapter import Block, Chapter
from fromscratch.tour.markdown import render_inline


class _Unrendered(Chapter):
    """A chapter that keeps its figures' captions but does not render them (the tour's own test,
    tests/test_cli_optimize.py, renders both chapters)."""

    def figure(self, fig, caption="", *, dpi=110):
        import matplotlib.pyplot as plt

        render_inline(caption)
        plt.close(fig)
        self.blocks.append(Block("figure", b"", caption))


def _run(module):
    ch = _Unrendered(module.__name__, module.TITLE, quick=True)
    module.run(ch)
    return ch


@pytest.fixture(scope="module")
def optimizers():
    return _run(ch_optimizers)


@pytest.fixture(scope="module")
def testfunctions():
    return _run(ch_testfunctions)


def _assert_topics_taught(ch, topics):
    headings = [b.payload for b in ch.blocks if b.kind == "heading"]
    captions = [b.caption for b in ch.blocks if b.kind == "figure"]
    checks = {c.what: c for c in ch.checks}
    for topic, where in topics.items():
        assert where["section"] in headings, topic
        assert where["figure"] in captions, topic
        assert checks[where["check"]].passed, topic
        # the figure and the check belong to the topic's section
        section = [b for b in ch.blocks if b.kind == "heading"].index(
            next(b for b in ch.blocks if b.kind == "heading" and b.payload == where["section"]))
        figure_at = next(i for i, b in enumerate(ch.blocks)
                         if b.kind == "figure" and b.caption == where["figure"])
        assert sum(b.kind == "heading" for b in ch.blocks[:figure_at]) - 1 == section, topic


def test_every_optimizer_topic_has_its_section_figure_and_passing_check(optimizers):
    assert sorted(ch_optimizers.TOPICS) == sorted(f"G{i}" for i in range(1, 11))
    _assert_topics_taught(optimizers, ch_optimizers.TOPICS)
    assert optimizers.failed_checks == []


def test_the_gallery_topic(testfunctions):
    assert list(ch_testfunctions.TOPICS) == ["H1"]
    _assert_topics_taught(testfunctions, ch_testfunctions.TOPICS)
    assert testfunctions.failed_checks == []


def test_the_corrected_statements_are_checked(optimizers):
    checks = {c.what: c for c in optimizers.checks}
    # AdamW stops at its own fixed point, measurably away from the L2-penalized minimizer
    assert checks["AdamW's point minus the L2-penalized minimizer"].passed
    assert checks["AdamW: |∇f + λx| at its point (0 at the minimizer of f + λ‖x‖²/2)"].passed
    # the step lengths of the adaptive methods, each against its law
    for name in ("adam", "rmsprop", "adadelta", "nadam"):
        assert checks[f"{name}: first step on a constant slope, per coordinate, in η"].passed
    assert checks["adagrad: all 200 steps on a constant slope, per coordinate, in η"].passed
    text = " ".join(b.payload for b in optimizers.blocks if b.kind == "text")
    assert "minimizes $f + \\frac{\\lambda}{2}\\|x\\|^2$ \"in effect\". It does not." in text
    assert not re.search(r"each step is about \$\\\\eta\$ long", text, re.IGNORECASE)
