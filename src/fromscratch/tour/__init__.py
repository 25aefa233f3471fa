"""The tour: runs every chapter of the curriculum and writes one self-contained HTML report."""

from fromscratch.tour.chapter import Chapter, Check
from fromscratch.tour.registry import CHAPTERS, chapter_names, get_chapters
from fromscratch.tour.runner import ChapterOutcome, run_tour

__all__ = [
    "Chapter",
    "Check",
    "CHAPTERS",
    "ChapterOutcome",
    "chapter_names",
    "get_chapters",
    "run_tour",
]
