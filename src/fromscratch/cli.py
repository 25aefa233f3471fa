"""The ``fromscratch`` command: ``fromscratch tour`` runs the curriculum and writes the report.

Errors a user can cause (an unknown chapter, an output path that is a file or can't be written)
print one line on stderr and exit with status 2; a failed verification check exits with 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fromscratch import __version__

__all__ = ["main", "build_parser"]


class UsageError(Exception):
    """A problem with the command line, reported in one line without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fromscratch",
        description="Machine learning from scratch on NumPy: run the tour of the curriculum.",
    )
    parser.add_argument("--version", action="version", version=f"fromscratch {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    tour = commands.add_parser(
        "tour",
        help="run the chapters and write a self-contained HTML report",
        description="Run the chapters of the tour and write DIR/index.html (one file, figures "
        "embedded). Exits 1 if any verification check fails.",
    )
    tour.add_argument("--out", default="tour-out", metavar="DIR",
                      help="folder for index.html (default: %(default)s)")
    tour.add_argument("--chapter", nargs="+", metavar="NAME", dest="chapters",
                      help="run only these chapters (see --list)")
    tour.add_argument("--quick", action="store_true",
                      help="smaller data and fewer iterations: the whole tour in about a minute")
    tour.add_argument("--list", action="store_true", help="list the chapters and exit")
    tour.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser


def _check_out_dir(out: str) -> Path:
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {out!r} is a file; give a folder for index.html")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--out {out!r} cannot be written (no write permission in {existing})")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out!r} cannot be created: {exc.strerror}") from None
    return path


def _run_tour(args: argparse.Namespace) -> int:
    from fromscratch.tour.registry import get_chapters

    try:
        specs = get_chapters(args.chapters)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.list:
        for spec in specs:
            print(f"{spec.slug:<14} {spec.title}")
        return 0
    out_dir = _check_out_dir(args.out)

    from fromscratch.tour.runner import run_tour

    path, outcomes = run_tour(
        out_dir, [s.slug for s in specs], quick=args.quick, progress=not args.no_progress
    )
    print(f"\n{'chapter':<32} {'checks':>8} {'failed':>7} {'seconds':>8}  result")
    any_failed = False
    for outcome in outcomes:
        checks = outcome.chapter.checks
        failed = len(outcome.chapter.failed_checks)
        result = "ok" if outcome.ok else ("CRASHED" if outcome.error else "FAILED")
        any_failed |= not outcome.ok
        print(f"{outcome.chapter.title[:32]:<32} {len(checks):>8} {failed:>7} "
              f"{outcome.seconds:>8.1f}  {result}")
        for check in outcome.chapter.failed_checks:
            print(f"    FAILED: {check.what} vs {check.against}: difference {check.difference}, "
                  f"tolerance {check.tolerance} {check.detail}")
        if outcome.error:
            print("    " + outcome.error.strip().splitlines()[-1])
    print(f"\nreport: {path}")
    return 1 if any_failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "tour":
            return _run_tour(args)
    except UsageError as exc:
        print(f"fromscratch {args.command}: error: {exc}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse catches it
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
