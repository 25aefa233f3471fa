"""Known mistakes document themselves: ``@mistake(name)`` over the wrong function makes its
docstring the sentence the report shows."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from fromscratch import exercises
from fromscratch.exercises import Mistake, mistake

MISTAKES = [(e, m) for e in exercises.all() for m in e.mistakes]


def test_the_decorator_takes_the_docstring():
    def _doubled(x):
        """Twice the answer: the factor 2 of the square is kept,
        although the ½ cancels it."""
        return 2 * x

    declared = mistake("factor_2")(_doubled)
    assert isinstance(declared, Mistake)
    assert declared.name == "factor_2" and declared.func is _doubled
    # cleaned (the indentation of the second line gone) and the lines joined: one sentence
    assert declared.description == ("Twice the answer: the factor 2 of the square is kept, "
                                    "although the ½ cancels it.")


@pytest.mark.parametrize("doc", [None, "", "   \n   "])
def test_a_function_without_a_docstring_is_refused(doc):
    def _undocumented(x):
        return -x

    _undocumented.__doc__ = doc
    with pytest.raises(TypeError, match=r"@mistake\('sign_flip'\): .*_undocumented has no "
                                        r"docstring"):
        mistake("sign_flip")(_undocumented)


def test_the_decorator_refuses_a_missing_name_and_a_non_function():
    def _wrong(x):
        """Wrong."""
        return x

    with pytest.raises(TypeError, match="mistake's name, a non-empty str"):
        mistake(_wrong)  # @mistake without its name
    with pytest.raises(TypeError, match="mistake's name, a non-empty str"):
        mistake("")
    with pytest.raises(TypeError, match=r"@mistake\('x'\) goes over a function"):
        mistake("x")("not a function")


@pytest.mark.parametrize("exercise, known", MISTAKES,
                         ids=[f"{e.name}-{m.name}" for e, m in MISTAKES])
def test_every_registered_mistake_is_its_documented_function(exercise, known):
    assert isinstance(known, Mistake)
    assert known.description.strip()
    assert known.description == " ".join(inspect.cleandoc(known.func.__doc__).splitlines())


def test_the_report_shows_the_docstring():
    """A learner's one-line sigmoid is recognised, and the report quotes the sentence that
    stands over the library's own copy of that mistake."""
    overflow = next(m for m in exercises.get("sigmoid").mistakes if m.name == "overflow")

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    report = exercises.check("sigmoid", sigmoid, seed=0)
    assert report.mistake is overflow
    assert f"known mistake (overflow): {overflow.description}" in str(report)
    assert overflow.description.startswith("1/(1 + e^{−z}) overflows")


def test_the_exercises_import_without_docstrings():
    """python -OO removes every docstring; the mistakes then say where their explanation is
    instead of failing the import (the tour and the command line import the exercises)."""
    import subprocess
    import sys

    code = ("from fromscratch.exercises import EXERCISES; "
            "m = next(iter(EXERCISES.values())).mistakes[0]; print(m.description)")
    out = subprocess.run([sys.executable, "-OO", "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "python -OO removes" in out
