"""Chapter: the exercises — the learner writes the algorithm, and the library's checks grade it.

Self-contained: it lists the exercises by chapter of the curriculum, proves that every
exercise's grader passes the library's own function, and shows a known mistake being named.
"""

from __future__ import annotations

from fromscratch import exercises
from fromscratch.tour.chapter import Chapter

TITLE = "Exercises"

#: The mistake the chapter shows being recognized: Adam without its bias correction.
SHOWN = ("adam_update", "no_bias_correction")


def run(ch: Chapter) -> None:
    ch.text(
        "Reading a proof is not the same as being able to give one. Every chapter of this tour "
        "checks the library against a reference; the exercises turn the same checks on *your* "
        "code. Each one is a small function a chapter teaches — the OLS gradient, a "
        "Householder reflector, one sweep of coordinate descent, dual-number division, the "
        "reverse sweep over a trace, Adam's update — and you write its body:\n\n"
        "- `fromscratch exercises list` shows the chapters and each exercise's status (done, "
        "next, or locked until the ones it builds on pass);\n"
        "- `fromscratch exercises start NAME` writes `exercises/NAME.py`: the signature and the "
        "docstring with the equations, generated from the library's own function, and "
        "`raise NotImplementedError` for a body;\n"
        "- `fromscratch exercises check NAME` grades it (exit 0 when it passes), and "
        "`fromscratch exercises hint NAME` gives one hint at a time.\n\n"
        "From Python or a notebook: `exercises.check(\"adam_update\", my_adam_update)`. Every "
        "notebook of the curriculum ends with its chapter's exercises, a cell for each with the "
        "function to fill in and its grading (`exercises.notebook_cells(\"B\")` makes them)."
    )
    ch.text(
        "Grading runs four kinds of checks. **The call**: your function takes the library's "
        "arguments. **Against the reference** on 24 fresh random inputs, shapes and dtypes "
        "drawn too (float32 must stay float32), with the library's function as the target, "
        "to a tolerance relative to the values' scale. **What the mathematics promises**: "
        "finite differences for a derivative, $Hx = \\beta e_0$ for a reflector, "
        "$Rx = b$ for back substitution, an optimality condition for soft-thresholding. "
        "**In the library**: the estimator, solver, network or autodiff engine runs your "
        "function where its own kernel sits, for that check only, and must give the answer "
        "it gives with its own (`LinearRegression(solver=\"gd\")` must reach the least-squares "
        "solution with your gradient). When the outputs are wrong, they are compared with "
        "each exercise's classic mistakes, and the report names the one they match."
    )
    _table(ch)
    _references_pass(ch)
    _a_mistake_named(ch)


def _table(ch: Chapter) -> None:
    ch.heading("The exercises, chapter by chapter")
    rows = [[e.chapter, f"`{e.name}`", e.title, "; ".join(c.name for c in e.checks),
             ", ".join(m.name.replace("_", " ") for m in e.mistakes)]
            for e in exercises.all()]
    ch.table(["topic", "exercise", "what it teaches", "what grading checks besides the "
              "reference", "classic mistakes it names"], rows,
             f"All {len(rows)} exercises in curriculum order (the topic ids are the "
             f"curriculum's); each builds only on earlier ones, and each is first compared "
             f"with the library's function on random inputs.")
    ch.text("The chapters: " + "; ".join(
        f"{letter}, {title.lower()} ({sum(e.chapter[0] == letter for e in exercises.all())})"
        for letter, title in exercises.CHAPTERS.items()
        if any(e.chapter[0] == letter for e in exercises.all())) + ".")


def _references_pass(ch: Chapter) -> None:
    ch.heading("Every grader passes the library's own function")
    ch.text(
        "A grader that rejected a correct function would be useless, so each one first grades "
        "the library's own function (the exercise's reference, the function its stub is cut "
        "from). The test suite proves the other side: every listed mistake, and every "
        "perturbation of the reference's output by a factor $1 + 10^{-3}$, by $+10^{-3}$ or "
        "by a sign flip, fails."
    )
    for exercise in exercises.all():
        report = exercise.check(exercise.reference, seed=0)
        failed = [r.check for r in report.failures]
        ch.check(f"{exercise.name} ({exercise.chapter}): the reference's grading",
                 f"all {len(report.records)} checks pass", len(failed), 0,
                 detail="failed: " + "; ".join(failed) if failed else "")


def _a_mistake_named(ch: Chapter) -> None:
    name, mistake_name = SHOWN
    exercise = exercises.get(name)
    mistake = next(m for m in exercise.mistakes if m.name == mistake_name)
    ch.heading("A classic mistake, recognized")
    ch.text(
        "Adam's moving averages start at zero, so their early values are biased towards zero; "
        "the update divides them by $1 - \\beta^t$ to undo that. Leaving the correction out "
        "is one of the classic mistakes, and the grader knows it. Here is the report of "
        "`adam_update` written without it:"
    )
    report = exercise.check(mistake.func, seed=0)
    ch.table(["check", "verdict"],
             [[record.check, "pass" if record.passed else "FAIL"] for record in report.records],
             f"`exercises.check(\"{name}\", ...)` on Adam without bias correction")
    if report.mistake is not None:
        ch.text(f"The report's last line: *this looks like a known mistake* "
                f"(`{report.mistake.name}`): {report.mistake.description}")
    if report.figure is not None:
        ch.figure(report.figure, "The figure the report draws: the training loss of the same "
                                 "network, trained by the library's Adam (target) and by the "
                                 "update without bias correction (yours).")
    ch.check("the grading of Adam without bias correction", "fails, and names "
             f"`{mistake_name}`", 0 if (not report.passed and report.mistake is mistake) else 1,
             0)
