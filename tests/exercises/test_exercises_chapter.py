"""The tour's "Exercises" chapter: it lists every exercise, every grader passes the library's
own function, a known mistake is named, and a grader that rejects a correct function shows up
as a failed check."""

import dataclasses

import matplotlib

matplotlib.use("Agg")

from fromscratch import exercises  # noqa: E402
from fromscratch.exercises import Check, CheckResult  # noqa: E402
from fromscratch.tour import ch_exercises  # noqa: E402
from fromscratch.tour.chapter import Chapter  # noqa: E402
from fromscratch.tour.registry import chapter_names  # noqa: E402


def _run():
    ch = Chapter("exercises", ch_exercises.TITLE, quick=True)
    ch_exercises.run(ch)
    return ch


def test_the_chapter_lists_every_exercise_and_every_check_passes():
    ch = _run()
    assert ch.failed_checks == []
    table = next(b for b in ch.blocks if b.kind == "table")
    columns, rows = table.payload
    assert [row[1] for row in rows] == [f"`{name}`" for name in exercises.names()]
    assert {row[0][0] for row in rows} == set("BCDEFGHI")
    graded = [c for c in ch.checks if c.what.endswith("the reference's grading")]
    assert len(graded) == len(exercises.all()) and all(c.passed for c in graded)
    named = ch.checks[-1]
    assert named.passed and "no_bias_correction" in named.against
    assert any(b.kind == "figure" for b in ch.blocks)  # the report's "target vs yours"


def test_a_grader_that_rejects_the_reference_fails_the_chapter(monkeypatch):
    failing = Check("a check that rejects everything",
                    lambda learner, rng: CheckResult(("rejected", {})))
    everything = exercises.all()
    broken = [dataclasses.replace(everything[0], checks=(failing,)), *everything[1:]]
    monkeypatch.setattr(exercises, "all", lambda: broken)
    ch = _run()
    assert [c.what for c in ch.failed_checks] == [
        f"{everything[0].name} ({everything[0].chapter}): the reference's grading"]
    assert "a check that rejects everything" in ch.failed_checks[0].detail


def test_the_chapter_comes_last_after_everything_it_grades():
    assert chapter_names()[-1] == "exercises"
