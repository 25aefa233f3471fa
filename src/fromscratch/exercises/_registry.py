"""Every exercise by name, in the curriculum's order."""

from __future__ import annotations

import difflib
import re

from fromscratch.exercises import (
    autodiff,
    gradients,
    linear,
    logistic,
    networks,
    optimizers,
    regularization,
)
from fromscratch.exercises._core import Exercise

__all__ = ["CHAPTERS", "EXERCISES", "get", "topic_order"]

#: The curriculum's chapters (the letter of a topic id), as ``../shared/CURRICULUM.md`` names
#: them.
CHAPTERS = {
    "A": "Introduction",
    "B": "Linear regression",
    "C": "Regularization",
    "D": "Logistic regression",
    "E": "Automatic differentiation, part 1",
    "F": "Automatic differentiation, part 2",
    "G": "Optimizers of deep learning",
    "H": "Functions for testing optimizers",
    "I": "Neural networks",
}


def topic_order(exercise: Exercise) -> tuple[str, int]:
    """Sort key of a topic id: ``"G10"`` after ``"G9"``."""
    match = re.fullmatch(r"([A-Z])(\d+)", exercise.chapter)
    if match is None or match.group(1) not in CHAPTERS:
        raise ValueError(f"{exercise.name}: chapter {exercise.chapter!r} is not a topic id of "
                         f"the curriculum (a letter {', '.join(CHAPTERS)} and a number)")
    return match.group(1), int(match.group(2))


#: name -> Exercise, sorted by topic (stable: a chapter module's order within a topic).
EXERCISES: dict[str, Exercise] = {
    exercise.name: exercise
    for exercise in sorted(
        [*linear.EXERCISES, *regularization.EXERCISES, *logistic.EXERCISES,
         *autodiff.EXERCISES, *optimizers.EXERCISES, *gradients.EXERCISES,
         *networks.EXERCISES],
        key=topic_order,
    )
}


def get(name: str) -> Exercise:
    """The exercise called ``name``.

    Raises
    ------
    ValueError
        For an unknown name: the message suggests close names and lists them all.
    """
    if isinstance(name, Exercise):
        return name
    if not isinstance(name, str):
        raise TypeError(f"name must be an exercise's name (a str), got {type(name).__name__}.")
    if name in EXERCISES:
        return EXERCISES[name]
    close = difflib.get_close_matches(name, list(EXERCISES), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise ValueError(f"there is no exercise {name!r}.{hint} The exercises are: "
                     f"{', '.join(EXERCISES)}.")
