"""The ``fromscratch`` command: ``fromscratch tour`` runs the curriculum and writes the report;
``fromscratch optimize`` races optimizers on a 2-D test function and draws their paths;
``fromscratch exercises`` hands out exercises and grades them.

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
    """The parser of the ``fromscratch`` command line and its subcommands."""
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
    _add_exercises_parser(commands)
    return parser


def _add_exercises_parser(commands: argparse._SubParsersAction) -> None:
    exercises = commands.add_parser(
        "exercises",
        help="write the algorithms yourself; the library's own checks grade them",
        description="Exercises: each is a function a chapter teaches. `start` writes its stub "
        "(signature, docstring with the equations, raise NotImplementedError) to DIR/NAME.py; "
        "`check` grades it against the library (exit 0 on pass, 1 on fail).",
    )
    actions = exercises.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="chapters, exercises and their status "
                                 "(done / next / locked)")
    start = actions.add_parser("start", help="write DIR/NAME.py to fill in")
    check = actions.add_parser("check", help="grade DIR/NAME.py: exit 0 on pass, 1 on fail")
    hint = actions.add_parser("hint", help="show the next hint for NAME")
    reset = actions.add_parser("reset", help="forget the progress (of NAME, or all); the "
                               "files stay")
    for action in (start, check, hint):
        action.add_argument("name", metavar="NAME", help="an exercise (see `list`)")
    reset.add_argument("name", metavar="NAME", nargs="?", help="only this exercise")
    start.add_argument("--force", action="store_true", help="start it even if it is locked")
    check.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                       help="time each check may take (default: %(default)s)")
    for action in (listing, start, check, hint, reset):
        action.add_argument("--dir", default="exercises", metavar="DIR",
                            help="the exercise folder (default: %(default)s)")


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


def _run_exercises(args: argparse.Namespace) -> int:
    from fromscratch import exercises

    if args.action is None:
        build_parser().parse_args(["exercises", "--help"])  # prints the help and exits
    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--dir {args.dir!r} is a file; give the exercise folder")
    if args.action == "reset" and not args.name:  # works on a damaged progress file too
        (folder / exercises.PROGRESS_FILE).unlink(missing_ok=True)
        print(f"forgot all progress in {folder} (your files are kept)")
        return 0
    try:
        progress = exercises.Progress(folder)
        exercise = exercises.get(args.name) if getattr(args, "name", None) else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    again = "" if args.dir == "exercises" else f" --dir {args.dir}"  # for suggested commands
    if args.action == "list":
        return _list_exercises(progress)
    assert exercise is not None  # every other action names one (argparse requires it)
    if args.action == "start":
        return _start_exercise(exercise, progress, folder, args.force, again)
    if args.action == "check":
        return _check_exercise(exercise, progress, folder, args.timeout, again)
    if args.action == "hint":
        index = progress.next_hint(exercise.name, len(exercise.hints))
        progress.save()
        print(f"hint {index + 1} of {len(exercise.hints)} for {exercise.name}: "
              f"{exercise.hints[index]}")
        return 0
    progress.reset(exercise.name)
    progress.save()
    print(f"forgot the progress of {exercise.name} (your file is kept)")
    return 0


def _list_exercises(progress) -> int:
    from fromscratch import exercises

    counts = dict.fromkeys(("done", "next", "locked"), 0)
    chapter, width = None, max(map(len, exercises.names()))
    for exercise in exercises.all():
        if exercise.chapter[0] != chapter:
            chapter = exercise.chapter[0]
            print(f"\n{chapter}. {exercises.CHAPTERS[chapter]}")
        status = progress.status(exercise.name, exercise.requires)
        counts[status] += 1
        after = f" (after {', '.join(exercise.requires)})" if status == "locked" else ""
        print(f"  {status:<7} {exercise.chapter:<4} {exercise.name:<{width}} "
              f"{exercise.title}{after}")
    print(f"\n{sum(counts.values())} exercises: {counts['done']} done, {counts['next']} next, "
          f"{counts['locked']} locked. Begin one with: fromscratch exercises start NAME")
    return 0


def _start_exercise(exercise, progress, folder: Path, force: bool, again: str) -> int:
    if progress.status(exercise.name, exercise.requires) == "locked" and not force:
        missing = [r for r in exercise.requires if r not in progress.passed]
        raise UsageError(f"{exercise.name} is locked until {' and '.join(missing)} "
                         f"{'passes' if len(missing) == 1 else 'pass'}; start {missing[0]} "
                         "first, or add --force")
    path = folder / f"{exercise.name}.py"
    if path.exists():
        print(f"{path} already exists (left as it is); grade it with: "
              f"fromscratch exercises check {exercise.name}{again}")
        return 0
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(exercise.stub, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    print(f"wrote {path}: write the body of {exercise.name}, then grade it with: "
          f"fromscratch exercises check {exercise.name}{again}")
    return 0


def _check_exercise(exercise, progress, folder: Path, timeout: float, again: str) -> int:
    from fromscratch.exercises._sandbox import (
        LoadError,
        TimeLimitExceeded,
        load_function,
        run_with_time_limit,
    )

    if not timeout > 0:
        raise UsageError(f"--timeout must be positive; got {timeout}")
    path = folder / f"{exercise.name}.py"
    if not path.is_file():
        raise UsageError(f"there is no {path}; write it with: fromscratch exercises start "
                         f"{exercise.name}{again}")
    try:
        func = run_with_time_limit(lambda: load_function(path, exercise.name), timeout)
    except (LoadError, TimeLimitExceeded) as exc:
        print(f"{exercise.name}: FAILED\n  {path} could not be graded: {exc}")
        return 1
    report = exercise.check(func, timeout=timeout)
    print(report)
    if not report.passed:
        if report.figure is not None:
            picture = folder / f"{exercise.name}.png"
            report.figure.savefig(picture, dpi=100)
            print(f"  picture (target vs yours): {picture}")
        print(f"  a hint: fromscratch exercises hint {exercise.name}{again}")
        return 1
    before = {e.name for e in _open_exercises(progress)}
    progress.record_pass(exercise.name)
    progress.save()
    opened = [e.name for e in _open_exercises(progress) if e.name not in before]
    if opened:
        print(f"unlocked: {', '.join(opened)}")
    return 0


def _open_exercises(progress) -> list:
    """The exercises whose status is "next"."""
    from fromscratch import exercises

    return [e for e in exercises.all() if progress.status(e.name, e.requires) == "next"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (``sys.argv[1:]`` if None); return the exit status."""
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
        if args.command == "exercises":
            return _run_exercises(args)
    except UsageError as exc:
        print(f"fromscratch {args.command}: error: {exc}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover - argparse catches it
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
