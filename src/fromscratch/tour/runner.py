"""Runs the registered chapters and hands their results to the report writer."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from fromscratch.tour.chapter import Chapter
from fromscratch.tour.registry import get_chapters

__all__ = ["ChapterOutcome", "run_tour"]


@dataclass
class ChapterOutcome:
    """A chapter after its run: its content, how long it took, and the traceback if it crashed."""

    chapter: Chapter
    seconds: float
    error: str | None = None  # the traceback, when the chapter itself crashed

    @property
    def ok(self) -> bool:
        return self.error is None and not self.chapter.failed_checks


def _finalize(specs: list, outcomes: list[ChapterOutcome]) -> None:
    """Let a chapter that summarizes the others (the introduction's topic table) add to its
    content once every chapter has run: ``finalize(chapter, outcomes)``."""
    for spec, outcome in zip(specs, outcomes, strict=True):
        finalize = getattr(spec.load(), "finalize", None)
        if finalize is None or outcome.error is not None:
            continue
        started = time.perf_counter()
        try:
            finalize(outcome.chapter, outcomes)
        except Exception:  # noqa: BLE001 - reported like a crash of the chapter's run
            outcome.error = traceback.format_exc()
        outcome.seconds += time.perf_counter() - started


def run_tour(
    out_dir: str | Path,
    names: list[str] | None = None,
    *,
    quick: bool = False,
    progress: bool = True,
) -> tuple[Path, list[ChapterOutcome]]:
    """Run chapters (all, or those named), write ``out_dir/index.html``, return its path and
    the outcome of every chapter. A chapter that raises is reported, not fatal."""
    import matplotlib

    matplotlib.use("Agg")  # the tour never opens windows
    from tqdm.auto import tqdm

    from fromscratch.tour.report import write_report

    specs = get_chapters(names)
    outcomes = []
    bar = tqdm(specs, desc="tour", unit="chapter", disable=not progress)
    for spec in bar:
        bar.set_postfix_str(spec.slug)
        started = time.perf_counter()
        module = spec.load()
        chapter = Chapter(spec.slug, module.TITLE, quick=quick)
        error = None
        try:
            module.run(chapter)
        except Exception:  # noqa: BLE001 - a crashing chapter is reported, the tour goes on
            error = traceback.format_exc()
        outcomes.append(ChapterOutcome(chapter, time.perf_counter() - started, error))
    _finalize(specs, outcomes)
    path = write_report(Path(out_dir), outcomes, quick=quick)
    return path, outcomes
