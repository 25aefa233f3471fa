"""Every exercise's grader: the reference passes, every known mistake fails and is named,
perturbed outputs fail, and the stub as written fails with "not implemented yet".

A grader that passed everything would pass the first test only; the others make it prove it
can fail, and for the right reason.
"""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fromscratch import exercises

EXERCISES = exercises.all()
MISTAKES = [(e, m) for e in EXERCISES for m in e.mistakes]


def _ids(pairs):
    return [f"{e.name}-{m.name}" for e, m in pairs]


def _quick(exercise):
    """The exercise with only its comparison against the reference (no training runs)."""
    return dataclasses.replace(exercise, checks=())


@pytest.mark.parametrize("exercise", EXERCISES, ids=exercises.names())
def test_the_reference_passes_its_own_check(exercise):
    report = exercise.check(exercise.reference, seed=0)
    assert report.passed, str(report)
    assert report.mistake is None and report.figure is None
    assert len(report.records) == 2 + len(exercise.checks)


@pytest.mark.parametrize("exercise", EXERCISES, ids=exercises.names())
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_reference_passes_on_any_draw(exercise, seed):
    assert _quick(exercise).check(exercise.reference, seed=seed).passed


@pytest.mark.parametrize("exercise, mistake", MISTAKES, ids=_ids(MISTAKES))
def test_every_known_mistake_fails_and_is_named(exercise, mistake):
    report = exercise.check(mistake.func, seed=1)
    assert not report.passed
    assert report.mistake is mistake, str(report)
    assert f"known mistake ({mistake.name})" in str(report)


@pytest.mark.parametrize("exercise, mistake", MISTAKES, ids=_ids(MISTAKES))
@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_every_known_mistake_is_named_on_any_draw(exercise, mistake, seed):
    """Each mistake differs from the reference, and from the other mistakes, on the random
    inputs (the samplers draw the values where they differ: extremes, square weights, eps
    comparable to the averages)."""
    assert _quick(exercise).check(mistake.func, seed=seed).mistake is mistake


def _perturbed(reference, change):
    """The reference with ``change`` applied to each of its floating outputs."""

    def perturbed(*args, **kwargs):
        out = reference(*args, **kwargs)
        if not isinstance(out, tuple):
            return change(out)
        return tuple(change(o) if isinstance(o, (np.ndarray, np.floating, float)) else o
                     for o in out)

    return perturbed


PERTURBATIONS = {
    "times 1+1e-3": lambda o: o * (1 + 1e-3),
    "plus 1e-3": lambda o: o + 1e-3,
    "sign flip": lambda o: -o,
}


@pytest.mark.parametrize("change", list(PERTURBATIONS))
@pytest.mark.parametrize("exercise", EXERCISES, ids=exercises.names())
def test_perturbed_outputs_fail(exercise, change):
    report = exercise.check(_perturbed(exercise.reference, PERTURBATIONS[change]), seed=2)
    assert not report.passed
    assert not report.records[1].passed  # caught by the comparison with the reference


def _stub_function(exercise):
    namespace: dict = {}
    exec(compile(exercise.stub, f"{exercise.name}.py", "exec"), namespace)
    return namespace[exercise.name]


@pytest.mark.parametrize("exercise", EXERCISES, ids=exercises.names())
def test_the_stub_as_written_fails_with_not_implemented_yet(exercise):
    report = exercise.check(_stub_function(exercise))
    assert not report.passed and report.not_implemented
    assert "not implemented yet" in str(report)
    assert report.figure is None


@pytest.mark.parametrize("exercise", EXERCISES, ids=exercises.names())
def test_the_stub_is_the_reference_without_its_body(exercise):
    """One source: same signature, same docstring; only the body differs, and no decorator."""
    stub = _stub_function(exercise)
    assert inspect.signature(stub) == inspect.signature(exercise.reference)
    assert stub.__doc__ == exercise.reference.__doc__
    assert exercise.stub.rstrip().endswith("raise NotImplementedError")
    assert "@replaceable" not in exercise.stub
    assert f"fromscratch exercises check {exercise.name}" in exercise.stub
