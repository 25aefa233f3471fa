"""The ``fromscratch`` command: ``fromscratch tour`` runs the curriculum and writes the report;
``fromscratch optimize`` races optimizers on a 2-D test function and draws their paths.

Errors a user can cause (an unknown chapter, an output path that is a file or can't be written)
print one line on stderr and exit with status 2; a failed verification check exits with 1.
"""

from __future__ import annotations

import argparse
import math
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

    optimize = commands.add_parser(
        "optimize",
        help="race optimizers on a 2-D test function and draw their paths",
        description="Run optimizers from one start on a test function, print a table of how "
        "close each got, and write a picture: PNG (paths on the contours and loss curves) or "
        "an animated GIF, by the extension of --out.",
    )
    optimize.add_argument("function", metavar="FUNCTION",
                          help="a test function, e.g. rosenbrock, beale, himmelblau, saddle")
    optimize.add_argument("--optimizer", nargs="+", metavar="NAME", dest="optimizers",
                          default=["sgd", "momentum", "adam", "newton"],
                          help="optimizers to race (default: %(default)s)")
    optimize.add_argument("--lr", nargs="+", type=float, metavar="LR",
                          help="learning rate: one for all, or one per optimizer "
                          "(default: each optimizer's own)")
    optimize.add_argument("--steps", type=int, default=500, metavar="N",
                          help="steps per optimizer (default: %(default)s)")
    optimize.add_argument("--start", nargs=2, type=float, metavar=("X", "Y"),
                          help="starting point (default: the function's usual start)")
    optimize.add_argument("--tol", type=float, default=1e-6, metavar="T",
                          help="gap f - f* that counts as arrived (default: %(default)s)")
    optimize.add_argument("--out", default="race.png", metavar="FILE",
                          help="picture to write, .png or .gif (default: %(default)s)")
    optimize.add_argument("--list", action="store_true",
                          help="list the test functions and optimizers and exit")
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


def _unknown(kind: str, name: str, valid: Sequence[str]) -> UsageError:
    import difflib

    close = difflib.get_close_matches(name.lower(), list(valid), n=2, cutoff=0.7)
    hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
    return UsageError(f"unknown {kind} {name!r}{hint}; valid {kind}s are: {', '.join(valid)}")


def _check_out_file(out: str, suffixes: Sequence[str]) -> Path:
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        raise UsageError(f"--out {out!r} must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise UsageError(f"--out {out!r} is a folder; give a file name ending in "
                         f"{' or '.join(suffixes)}")
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"--out {out!r} cannot be written ({folder} is not a writable folder)")
    return path


def _run_optimize(args: argparse.Namespace) -> int:
    from fromscratch import benchfunctions

    if args.list:
        print("functions:  " + " ".join(benchfunctions.names()))
        print("optimizers: " + " ".join(benchfunctions.RACERS))
        return 0
    key = args.function.strip().lower().replace("-", "_")
    if key not in benchfunctions.names():
        raise _unknown("function", args.function, benchfunctions.names())
    for name in args.optimizers:
        if name.lower() not in benchfunctions.RACERS:
            raise _unknown("optimizer", name, list(benchfunctions.RACERS))
    if args.lr is not None and len(args.lr) not in (1, len(args.optimizers)):
        raise UsageError(f"--lr takes one learning rate or one per optimizer "
                         f"({len(args.optimizers)}); got {len(args.lr)}")
    if args.lr is not None and min(args.lr) <= 0:
        raise UsageError(f"--lr must be positive; got {' '.join(map(str, args.lr))}")
    if args.steps < 1:
        raise UsageError(f"--steps must be at least 1; got {args.steps}")
    if not args.tol >= 0:
        raise UsageError(f"--tol must be non-negative; got {args.tol}")
    out = _check_out_file(args.out, (".png", ".gif"))

    fn = benchfunctions.get(key)
    runs = benchfunctions.race(fn, args.optimizers, start=args.start, steps=args.steps,
                              lr=args.lr, tol=args.tol)
    _print_race(fn, runs, args.tol)
    _draw_race(fn, runs, out)
    print(f"\npicture: {out}")
    return 0


def _print_race(fn, runs, tol: float) -> None:
    start = runs[0].result.trajectory[0]
    print(f"{fn.title} from ({start[0]:g}, {start[1]:g})"
          + (f", f* = {fn.min_value:.6g}" if fn.minima else ", which has no minimum"))
    print(f"\n{'optimizer':<10} {'lr':>8} {'final f':>12} {'f - f*':>10} {'distance':>10} "
          f"{'steps to ' + format(tol, 'g'):>14}  result")
    for run in runs:
        result = run.result
        lr = result.optimizer.param_groups[0]["lr"]
        status = ("diverged" if result.diverged
                  else "converged" if result.converged else f"{result.n_steps} steps")
        reached = "-" if run.steps_to_tol is None else str(run.steps_to_tol)
        gap = "-" if math.isnan(run.gap) else f"{run.gap:.3g}"
        distance = "-" if math.isnan(run.distance) else f"{run.distance:.3g}"
        print(f"{run.name:<10} {lr:>8.3g} {result.fun:>12.6g} {gap:>10} {distance:>10} "
              f"{reached:>14}  {status}")


def _draw_race(fn, runs, out: Path) -> None:
    from fromscratch.plot.optim import plot_race, save_trajectory_animation

    paths = {run.name: run.result.trajectory for run in runs}
    if out.suffix.lower() == ".gif":
        save_trajectory_animation(fn, paths, out)
    else:
        losses = {run.name: run.result.losses for run in runs}
        plot_race(fn, paths, losses).savefig(out, dpi=110)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "tour":
            return _run_tour(args)
        if args.command == "optimize":
            return _run_optimize(args)
    except UsageError as exc:
        print(f"fromscratch {args.command}: error: {exc}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse catches it
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
