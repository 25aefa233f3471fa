"""The one place chapters are registered, in reading order.

Each entry names a module under ``fromscratch.tour`` that defines ``TITLE`` (str) and
``run(ch: Chapter) -> None``. Modules are imported only when their chapter runs, so a chapter's
heavy imports never slow down ``fromscratch --help``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

__all__ = ["ChapterSpec", "CHAPTERS", "get_chapters", "chapter_names"]


@dataclass(frozen=True)
class ChapterSpec:
    """A chapter of the tour: its ``slug`` (for ``--chapter``) and the module that runs it."""

    slug: str
    module: str

    def load(self) -> ModuleType:
        return importlib.import_module(f"fromscratch.tour.{self.module}")

    @property
    def title(self) -> str:
        return self.load().TITLE


#: Every chapter, in reading order.
CHAPTERS: tuple[ChapterSpec, ...] = (
    ChapterSpec("intro", "ch_intro"),
    ChapterSpec("datasets", "ch_datasets"),
    ChapterSpec("linreg", "ch_linreg"),
    ChapterSpec("regularization", "ch_regularization"),
    ChapterSpec("logistic", "ch_logistic"),
    ChapterSpec("autodiff", "ch_autodiff"),
    ChapterSpec("optimizers", "ch_optimizers"),
    ChapterSpec("testfunctions", "ch_testfunctions"),
    ChapterSpec("nn", "ch_nn"),
    ChapterSpec("out-of-core", "ch_out_of_core"),
    ChapterSpec("exercises", "ch_exercises"),
)


def chapter_names() -> list[str]:
    """The slugs of every chapter, in reading order."""
    return [spec.slug for spec in CHAPTERS]


def get_chapters(names: list[str] | None = None) -> list[ChapterSpec]:
    """The chapters to run: all of them, or those named (in registry order)."""
    if not names:
        return list(CHAPTERS)
    unknown = [n for n in names if n not in chapter_names()]
    if unknown:
        import difflib

        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, chapter_names(), n=1)
            hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ValueError(
            f"unknown chapter {', '.join(hints)}; valid chapters are: "
            + ", ".join(chapter_names())
        )
    wanted = set(names)
    return [spec for spec in CHAPTERS if spec.slug in wanted]
