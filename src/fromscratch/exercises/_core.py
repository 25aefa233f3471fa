"""The exercise, its checks and the report: what grading a learner's function means.

An :class:`Exercise` grades a function in three steps, each a :class:`Check` run under a
time limit in its own thread:

1. the call: the function accepts the reference's arguments;
2. against the reference on :data:`N_CASES` fresh random inputs (shapes and dtypes drawn too):
   every output, with the right structure, shape, dtype, finite and equal to the reference's
   to a tolerance relative to its scale (:mod:`._compare`). When it fails, the learner's
   outputs are compared with each known :class:`Mistake`'s on the same inputs; if they match
   one, the report names it;
3. the exercise's own checks: finite differences for a derivative, and the library running
   the learner's function in place of its kernel (an optimizer, a network), compared with the
   library's own result.
"""

from __future__ import annotations

import inspect
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from fromscratch._validation import check_scalar
from fromscratch.exercises._compare import difference, show
from fromscratch.exercises._sandbox import (
    Guarded,
    NotImplementedYet,
    RaisedError,
    TimeLimitExceeded,
    name_reaching,
    run_with_time_limit,
)

__all__ = [
    "Case",
    "Check",
    "CheckResult",
    "Exercise",
    "Mistake",
    "mistake",
    "Record",
    "Report",
    "N_CASES",
    "DEFAULT_TIMEOUT",
    "elementwise_picture",
]

#: Random inputs per comparison with the reference.
N_CASES = 24

#: Seconds each check may take (a correct function needs well under one).
DEFAULT_TIMEOUT = 10.0

Draw = Callable[[], Any]  # makes a matplotlib Figure


@dataclass(frozen=True)
class Case:
    """One call's arguments."""

    args: tuple
    kwargs: dict = field(default_factory=dict)

    def call(self, func: Callable[..., Any]) -> Any:
        return func(*self.args, **self.kwargs)


@dataclass(frozen=True)
class Mistake:
    """A classic wrong version of an exercise's function.

    Attributes
    ----------
    name : str
        A short identifier, e.g. ``"no_bias_correction"``.
    description : str
        The sentence the report shows: what the mistake is and why it is wrong.
    func : callable
        The wrong version itself, with the reference's signature.

    Declare one with :func:`mistake` over the wrong function, whose docstring is the
    description.
    """

    name: str
    description: str
    func: Callable[..., Any]


def mistake(name: str) -> Callable[[Callable[..., Any]], Mistake]:
    """Declare the function below a known mistake called ``name``: its docstring says what is
    wrong, over the wrong code itself.

    The docstring, cleaned (:func:`inspect.cleandoc`) and its lines joined with spaces, is the
    sentence the report shows::

        @mistake("overflow")
        def _naive_sigmoid(z):
            \"""1/(1 + e^{−z}) overflows: e^{−z} is infinite for z < −709 (float64) or −88
            (float32). Exponentiate −|z| only, and write the negative side as e^{z}/(1 + e^{z}).\"""
            return 1 / (1 + np.exp(-z))

    and an exercise lists it: ``mistakes=(_naive_sigmoid, _sigmoid_flipped)``.

    Parameters
    ----------
    name : str
        The mistake's short identifier, e.g. ``"no_bias_correction"``.

    Returns
    -------
    callable
        The decorator: it turns the function into ``Mistake(name, its docstring, function)``.

    Raises
    ------
    TypeError
        If ``name`` is not a non-empty str, or (when the module is imported) if the decorated
        object is not a function or has no docstring.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"mistake(name) takes the mistake's name, a non-empty str, e.g. "
                        f"@mistake(\"overflow\") over the wrong function; got {name!r}.")

    def declare(func: Callable[..., Any]) -> Mistake:
        if not callable(func):
            raise TypeError(f"@mistake({name!r}) goes over a function (the wrong version); "
                            f"got {type(func).__name__} {func!r}.")
        description = " ".join(inspect.cleandoc(func.__doc__ or "").splitlines())
        if not description.strip():
            if sys.flags.optimize >= 2:  # python -OO removed every docstring: say where it is
                return Mistake(name, f"(the explanation is the docstring of "
                               f"{func.__module__}.{func.__qualname__}, which python -OO "
                               "removes)", func)
            raise TypeError(f"@mistake({name!r}): {func.__module__}.{func.__qualname__} has no "
                            f"docstring; its docstring is the sentence the report shows: what "
                            f"the mistake is and why it is wrong.")
        return Mistake(name, description, func)

    return declare


@dataclass(frozen=True)
class CheckResult:
    """What a check found: ``problem`` is None when it passed, else ``(message, values)``."""

    problem: tuple[str, dict] | None = None
    draw: Draw | None = None
    mistake: Mistake | None = None


@dataclass(frozen=True)
class Check:
    """A named check: ``run(learner, rng) -> CheckResult``, where ``learner`` is the guarded
    function (:class:`~._sandbox.Guarded`)."""

    name: str
    run: Callable[[Guarded, np.random.Generator], CheckResult]


@dataclass(frozen=True)
class Record:
    """One check's verdict in a report."""

    check: str
    passed: bool
    message: str = ""
    values: dict = field(default_factory=dict)


@dataclass
class Report:
    """The result of grading a function.

    Attributes
    ----------
    exercise, title : str
    records : list of Record
        Every check run, in order, with its verdict.
    mistake : Mistake or None
        The known mistake the function's outputs match, if any.
    seed : int
        The seed of the random inputs (``check(..., seed=seed)`` draws them again).
    """

    exercise: str
    title: str
    seed: int
    records: list[Record] = field(default_factory=list)
    mistake: Mistake | None = None
    _draw: Draw | None = field(default=None, repr=False)
    _figure: Any = field(default=None, repr=False)

    @property
    def passed(self) -> bool:
        """Whether every check ran and passed."""
        return bool(self.records) and all(r.passed for r in self.records)

    @property
    def failures(self) -> list[Record]:
        """The failed checks, with their messages and values."""
        return [r for r in self.records if not r.passed]

    @property
    def not_implemented(self) -> bool:
        return any(r.message.startswith("not implemented yet") for r in self.records)

    @property
    def figure(self) -> Any:
        """A matplotlib Figure, "target vs yours", where a picture explains a failure; else None.

        Drawn on first access from numbers the checks kept (the learner's code does not run
        again).
        """
        if self._figure is None and self._draw is not None:
            self._figure = self._draw()
        return self._figure

    def __str__(self) -> str:
        failed = self.failures
        verdict = (f"passed all {len(self.records)} checks" if self.passed
                   else f"FAILED {len(failed)} of {len(self.records)} checks")
        lines = [f"{self.exercise} ({self.title}): {verdict}"]
        for record in self.records:
            lines.append(f"  {'pass' if record.passed else 'FAIL'}  {record.check}")
            if record.message:
                lines.append(_indent(record.message, 8))
            lines += [_indent(f"{key}: {value}", 8) for key, value in record.values.items()]
        if self.mistake is not None:
            lines.append(f"  This looks like a known mistake ({self.mistake.name}): "
                         f"{self.mistake.description}")
        if failed and self.records[0].passed:  # past the call: random inputs were drawn
            lines.append(f"  (random inputs from seed {self.seed})")
        return "\n".join(lines)


@dataclass(frozen=True)
class Exercise:
    """A function to write, graded against the library's own version.

    Attributes
    ----------
    reference : callable
        The library's textbook kernel; its name is the exercise's name and the name of the
        function to write, and the stub is generated from its source.
    chapter : str
        The curriculum topic it belongs to (``"G4"``: see the curriculum's topic list).
    title : str
    outputs : tuple of str
        Names of what the function returns: one name for one value, several for a tuple.
    sample : callable
        ``sample(rng) -> Case``: random arguments (shapes and dtypes drawn too).
    hints : tuple of str
        Shown one at a time.
    mistakes : tuple of Mistake
        Classic wrong versions the report recognises, each declared with :func:`mistake`
        over the wrong function.
    checks : tuple of Check
        The exercise's own checks after the comparison with the reference.
    requires : tuple of str
        Exercises (earlier in the curriculum) that must pass before this one unlocks.
    imports : tuple of str
        Import lines the stub needs besides ``numpy as np``: earlier exercises' functions
        and other library functions to build on, imported from the library.
    picture : callable, optional
        ``picture(learner, reference) -> draw``: when the comparison fails, the numbers for a
        "target vs yours" figure, and a function that draws it (see :func:`elementwise_picture`).
    """

    reference: Callable[..., Any]
    chapter: str
    title: str
    outputs: tuple[str, ...]
    sample: Callable[[np.random.Generator], Case]
    hints: tuple[str, ...]
    mistakes: tuple[Mistake, ...] = ()
    checks: tuple[Check, ...] = ()
    requires: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()
    picture: Callable[[Guarded, Callable[..., Any]], Draw | None] | None = None

    @property
    def name(self) -> str:
        return self.reference.__name__

    @property
    def stub(self) -> str:
        """The file a learner starts from: the reference's signature and docstring, with
        ``raise NotImplementedError`` for a body."""
        from fromscratch.exercises._stub import module_text

        return module_text(self)

    def __repr__(self) -> str:
        return f"Exercise({self.name!r}, chapter={self.chapter!r}, title={self.title!r})"

    # -- grading ------------------------------------------------------------------------------

    def check(self, func: Any, *, timeout: float = DEFAULT_TIMEOUT,
              seed: int | None = None) -> Report:
        """Grade ``func``; never raises for anything ``func`` does.

        Parameters
        ----------
        func : callable
            The learner's version of the function.
        timeout : float
            Seconds each check may take.
        seed : int, optional
            Seed of the random inputs (default: fresh ones each time).
        """
        timeout = check_scalar(timeout, "timeout", min_val=0.0, include_min=False)
        seed = secrets.randbits(32) if seed is None else check_scalar(seed, "seed", kind=int,
                                                                       min_val=0)
        report = Report(self.name, self.title, seed)
        if not callable(func):
            report.records.append(Record("your function", False, (
                f"{self.name} must be a function; got {type(func).__name__} {func!r}")))
            return report
        rng = np.random.default_rng(seed)
        problem = self._call_problem(func, self.sample(rng))
        report.records.append(Record("the call", problem is None, problem or ""))
        if problem:
            return report
        learner = Guarded(func)
        comparison = Check(f"against the reference on {N_CASES} random inputs",
                           self._against_reference)
        for check in (comparison, *self.checks):
            try:
                result = run_with_time_limit(partial(check.run, learner, rng), timeout)
            except NotImplementedYet:
                report.records[:] = [Record("your function", False, (
                    f"not implemented yet: {self.name} still raises NotImplementedError; "
                    "replace that line with your code"))]
                return report
            except TimeLimitExceeded as exc:
                report.records.append(Record(check.name, False, (
                    f"stopped: {exc} (is there a loop that never ends?)")))
                return report
            except RaisedError as exc:
                result = CheckResult((f"your function raised {exc.describe()}", {}))
            except Exception as exc:  # noqa: BLE001 - the library refusing the learner's result
                result = CheckResult((f"the library could not use your function's result: "
                                      f"{type(exc).__name__}: {exc}", {}))
            report.records.append(Record(check.name, result.problem is None,
                                         *(result.problem or ("", {}))))
            report.mistake = report.mistake or result.mistake
            report._draw = report._draw or result.draw
        used = None if func is self.reference else name_reaching(func, self.reference)
        if used:
            module = inspect.unwrap(self.reference).__module__
            report.records.append(Record("written from scratch", False, (
                f"your function uses the library's own {self.name} ({module}.{self.name}, "
                f"as {used}), the function it is graded against: write its body yourself "
                "(the functions the stub imports are there to build on)")))
        return report

    def _call_problem(self, func: Callable[..., Any], case: Case) -> str | None:
        """Why ``func`` cannot be called like the reference, or None."""
        try:
            signature = inspect.signature(func)
        except (TypeError, ValueError):
            return None  # no signature to read (a builtin): the call itself will tell
        try:
            signature.bind(*case.args, **case.kwargs)
        except TypeError as exc:
            wanted = inspect.signature(self.reference)
            return (f"{self.name}{signature} cannot be called as the exercise calls it: {exc}; "
                    f"it must accept {self.name}{_plain(wanted)}")
        return None

    def _against_reference(self, learner: Guarded, rng: np.random.Generator) -> CheckResult:
        cases = [self.sample(rng) for _ in range(N_CASES)]
        if not any(map(_has_float32, cases)):
            # A sampler that draws float32 now and then may, rarely (0.75^24 = 1e-3 for a
            # quarter), draw none: a function that returns float64 would pass unseen then.
            more = (self.sample(rng) for _ in range(4 * N_CASES))
            cases[-1] = next((case for case in more if _has_float32(case)), cases[-1])
        reference = Guarded(self.reference)
        targets = [case.call(reference) for case in cases]
        outcomes = [_outcome(learner, case) for case in cases]
        for case, target, outcome in zip(cases, targets, outcomes, strict=True):
            problem: tuple[str, dict] | None
            if isinstance(outcome, RaisedError):
                problem = (f"your function raised {outcome.describe()}", {})
            else:
                problem = difference(self.outputs, outcome, target)
                exact = _exact(reference, case) if problem else None
                if exact is not None:  # as close as the exact answer (float32) passes too
                    problem = difference(self.outputs, outcome, exact)
            if problem:
                message, values = problem
                values = {"input": self._describe(case), **values}
                draw = self.picture(learner, self.reference) if self.picture else None
                return CheckResult((message, values), draw, self._recognise(cases, outcomes))
        return CheckResult()

    def _recognise(self, cases: Sequence[Case], outcomes: Sequence[Any]) -> Mistake | None:
        """The first known mistake whose outputs match the learner's on every case.

        Raising the same error on a case counts as matching there, but at least one case must
        match by value.
        """
        for known in self.mistakes:
            wrong = Guarded(known.func)
            matched_a_value = False
            for case, outcome in zip(cases, outcomes, strict=True):
                expected = _outcome(wrong, case)
                if isinstance(expected, RaisedError) or isinstance(outcome, RaisedError):
                    if not _same_error(expected, outcome):
                        break
                elif difference(self.outputs, outcome, expected):
                    break
                else:
                    matched_a_value = True
            else:
                if matched_a_value:
                    return known
        return None

    def _describe(self, case: Case) -> str:
        bound = inspect.signature(self.reference).bind(*case.args, **case.kwargs)
        return ", ".join(f"{name}={show(value)}" for name, value in bound.arguments.items())


def _indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


def _outcome(func: Guarded, case: Case) -> Any:
    """``func``'s result on ``case``, or the :class:`RaisedError` it raised."""
    try:
        return case.call(func)
    except RaisedError as exc:
        return exc


def _single(a: Any) -> bool:
    """Whether ``a`` is a float32 array or scalar."""
    return isinstance(a, (np.ndarray, np.floating)) and a.dtype == np.float32


def _has_float32(case: Case) -> bool:
    return any(map(_single, (*case.args, *case.kwargs.values())))


def _exact(reference: Guarded, case: Case) -> Any:
    """The reference's outputs on a case with float32 arrays, computed in float64 and rounded
    to float32 (None for a case without float32 arrays, or if the reference raises).

    A float32 result that differs from the reference's is compared with this: the reference
    in float32 rounds where a formula cancels (:math:`1 - s` for :math:`s \\approx 1`), and a
    learner's more accurate formula must not fail for being closer to the exact answer.
    """
    if not _has_float32(case):
        return None

    def widened(a: Any) -> Any:
        return a.astype(np.float64) if _single(a) else a

    def narrowed(value: Any) -> Any:
        if isinstance(value, (tuple, list)):
            return type(value)(narrowed(v) for v in value)
        if isinstance(value, (np.ndarray, np.floating)) and value.dtype == np.float64:
            return value.astype(np.float32)
        return value

    exact = _outcome(reference, Case(tuple(map(widened, case.args)),
                                     {k: widened(v) for k, v in case.kwargs.items()}))
    return None if isinstance(exact, RaisedError) else narrowed(exact)


def _same_error(a: Any, b: Any) -> bool:
    """Both raised the same kind of error (for floating-point errors, the same operation:
    an overflow in exp is not a division by zero in log)."""
    if not (isinstance(a, RaisedError) and isinstance(b, RaisedError)):
        return False
    if type(a.error) is not type(b.error):
        return False
    return not isinstance(a.error, FloatingPointError) or str(a.error) == str(b.error)


def _plain(signature: inspect.Signature) -> str:
    """A signature without annotations: ``(theta, g, m, v, t, *, lr=0.001, ...)``."""
    return str(signature.replace(
        parameters=[p.replace(annotation=inspect.Parameter.empty)
                    for p in signature.parameters.values()],
        return_annotation=inspect.Signature.empty,
    ))


def elementwise_picture(lo: float, hi: float, label: str = "z", *,
                        call: Callable[[Callable[..., Any], np.ndarray], Any] | None = None,
                        ) -> Callable[..., Draw | None]:
    """A ``picture`` for an elementwise function: both curves over ``[lo, hi]``.

    ``call(func, z)`` calls the exercise's function with the points ``z`` (and whatever other
    arguments it takes, fixed); the default is ``func(z)``.
    """
    evaluate = call or (lambda func, z: func(z))

    def picture(learner: Guarded, reference: Callable[..., Any]) -> Draw | None:
        z = np.linspace(lo, hi, 401)
        try:
            yours = np.asarray(evaluate(learner, z), dtype=np.float64)
        except (RaisedError, TypeError, ValueError):
            return None
        if yours.shape != z.shape:
            return None
        target = np.asarray(evaluate(reference, z), dtype=np.float64)

        def draw() -> Any:
            from fromscratch.plot._style import new_figure

            fig, ax = new_figure()
            ax.plot(z, target, lw=3, alpha=0.5, label="target")
            ax.plot(z, yours, lw=1.5, ls="--", label="yours")
            ax.set_xlabel(label)
            ax.set_title(f"{reference.__name__}: target vs yours")
            ax.legend()
            return fig

        return draw

    return picture
