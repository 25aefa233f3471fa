r"""Prove it yourself: write the algorithm, and the library's own checks grade it.

From the command line::

    fromscratch exercises list                 # chapters, exercises, status (done / next / locked)
    fromscratch exercises start adam_update    # writes exercises/adam_update.py: the signature,
                                               # the docstring with the equations, and
                                               # raise NotImplementedError
    fromscratch exercises check adam_update    # grades it: exit 0 on pass, 1 on fail
    fromscratch exercises hint adam_update     # one more hint each time
    fromscratch exercises reset                # forget the progress (the files stay)

and from Python or a notebook::

    from fromscratch import exercises
    report = exercises.check("adam_update", my_adam_update)
    print(report)                # every check, what failed with its values, a known mistake
    report.figure                # "target vs yours", where a picture explains the failure

Every exercise is a small function a chapter teaches, and its **reference** is the library's
own textbook kernel (for example :func:`fromscratch.optim.textbook.adam_update`): the stub is
generated from the kernel's source (its signature and docstring, the body cut off), so the
exercise, the library and the tour cannot drift apart. The exercises, by chapter of the
curriculum (``exercises.names()`` in order; each depends only on earlier ones):

* B, linear regression (:mod:`.linear`): the OLS gradient, one gradient-descent step, a
  Householder reflector, back substitution;
* C, regularization (:mod:`.regularization`): the ridge gradient, soft-thresholding, one sweep
  of coordinate descent;
* D, logistic regression (:mod:`.logistic`): the sigmoid, the log-sigmoid, the sigmoid's
  derivative, the gradient of the log-loss, one Newton (IRLS) step;
* E and F, automatic differentiation (:mod:`.autodiff`): dual-number multiplication and
  division, the forward and the reverse sweep over an evaluation trace, tanh's reverse rule;
* G, optimizers (:mod:`.optimizers`): the nine updates, momentum to AdamW;
* H, test functions (:mod:`.gradients`): the gradients of Rosenbrock's and Himmelblau's
  functions;
* I, neural networks (:mod:`.networks`): a dense layer forward and backward, the softmax, the
  softmax cross-entropy and its gradient.

Every notebook of the curriculum ends with its chapter's exercises: the markdown cell of
:func:`notebook_markdown` (a table of them and what to do), then one code cell per
exercise from :func:`notebook_cells` (the test suite keeps the notebooks equal to them).

Grading (:meth:`Exercise.check`)
--------------------------------
1. **The call**: the function accepts the reference's arguments.
2. **Against the reference** on fresh random inputs, shapes (0-d to 3-d) and dtypes (float32
   and float64) drawn too: the outputs' structure, shapes, dtypes (float32 stays float32),
   finiteness and values, to a tolerance relative to their scale (a float32 result may
   instead match the exact answer, the reference computed in float64 and rounded to
   float32, where the reference's own rounding is the larger error). Arguments arrive as
   read-only arrays (a function that changes them in place is told so), and floating-point
   overflow, division by zero and invalid operations raise instead of giving inf or NaN.
   If the outputs are wrong, they are compared with each **known mistake** (a classic wrong
   version, e.g. Adam without bias correction) on the same inputs, and the report names the
   one they match.
3. **In the library**: the library runs the learner's function where it belongs and compares
   with its own result — an optimizer's update trains a network as the PyTorch-exact class
   does; a network computes its loss and gradients with the learner's sigmoid, softmax or
   dense layer; ``LinearRegression``, ``Ridge`` and ``Lasso`` fit with the learner's gradient,
   back substitution or soft-thresholding and must reach the exact solution (the one the test
   suite proves equal to scikit-learn's); ``qr_textbook``, ``newton_irls`` and
   ``trace`` run on the learner's reflector, step or sweep; the autodiff engine differentiates
   with the learner's rule. And **finite differences** where the exercise is a derivative, and
   what the mathematics promises where it says something simple (:math:`Hx = \beta e_0`,
   :math:`Rx = b`, a proximal point's optimality condition, :math:`Hd = -g`).
4. **Written from scratch**: a function whose code uses the library's own version of itself
   (imported under another name, or as ``textbook.adam_update``) fails; the functions the stub
   imports are there to build on. The command line refuses a file that only imports it.

Each check runs in a thread with a time limit (``timeout=``, seconds); a function that raises,
returns the wrong shape, NaN, or runs too long gets a clear report, never a traceback from the
grader.

How the library runs the learner's function, for one check only
----------------------------------------------------------------
No global state is changed; three mechanisms, each local to the check:

* **An explicit argument**, where the library already takes a function. Optimizers:
  :class:`fromscratch.optim.FunctionalOptimizer` ``(params, update, initial_state, **hyper)``
  runs any pure update ``update(theta, g, *state, **hyper) -> (theta, *state)`` as a
  ``torch.optim`` optimizer; the tests run the library's own textbook kernels through the
  same class.
* **A replaceable kernel**, where the function sits deep inside an estimator or a network.
  The library marks the kernel with :func:`fromscratch._kernels.replaceable`; the check runs
  the library inside ``with replaced(kernel, learner):``. The replacement lives in a context
  variable, consulted at one place per kernel (the decorator's wrapper), in the grading
  thread only, and is gone when the block ends — also when the check fails, raises or times
  out (the thread is abandoned with its context). The kernels of
  :mod:`fromscratch.nn.backprop` (``sigmoid``, ``softmax``, ``dense_backward``...), the linear
  models' gradients, ``soft_threshold``, ``coordinate_descent_sweep``,
  ``householder_reflector``, ``back_substitution``, ``logistic_gradient``, ``irls_step``, the
  two sweeps of :func:`fromscratch.autodiff.trace` and ``tanh``'s reverse rule work this way.
  A hot loop resolves its kernel once (:func:`fromscratch._kernels.current`), so that the
  lookup costs nothing per iteration.
* **A twin of a primitive**, for the dual-number arithmetic: the check builds a ``multiply``
  (or ``divide``) :class:`~fromscratch.autodiff.Primitive` whose value and forward rules are
  the learner's function, and differentiates functions written with it through the engine's
  ``jvp`` (the table's own rules are untouched: they are the tangents of the same arithmetic,
  one input at a time, and stay as fast as they are).

Adding an exercise
------------------
Mark the library's kernel ``@replaceable`` (if the check needs the library to call it), write
each classic mistake as a function under :func:`mistake`, its docstring the sentence the
report shows, then declare the exercise next to its chapter's others. For example, the OLS
gradient, which ``LinearRegression(solver="gd")`` descends (:mod:`.linear`)::

    @mistake("missing_1_over_n")
    def _ols_missing_1_over_n(w, X, y):
        '''The 1/n of the mean is missing: ...'''
        return -(X.T @ (y - X @ w))

    Exercise(
        reference=ols_gradient, chapter="B4", title="The OLS gradient by hand",
        outputs=("grad",), sample=design_case,          # random w, X, y (shapes, dtypes)
        hints=("...",),
        mistakes=(_ols_missing_1_over_n, ...),
        checks=(loss_by_differences(0.0),               # central differences of the loss
                in_library(ols_gradient, fit_by_gradient_descent, "LinearRegression(...)",
                           target=fit_exactly, tol=GD_AGREEMENT)),
    )

(``in_library`` runs ``fit_by_gradient_descent`` inside ``replaced(ols_gradient, ...)``) and
add it to :data:`EXERCISES` (:mod:`._registry`). The tests then prove, for every
exercise, that the reference passes, every mistake fails and is named, perturbed outputs
fail, and the stub fails with "not implemented yet".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fromscratch.exercises._core import (
    DEFAULT_TIMEOUT,
    Case,
    Check,
    CheckResult,
    Exercise,
    Mistake,
    Record,
    Report,
    mistake,
)
from fromscratch.exercises._progress import PROGRESS_FILE, Progress
from fromscratch.exercises._registry import CHAPTERS, EXERCISES, get

__all__ = [
    "Exercise",
    "Mistake",
    "mistake",
    "Report",
    "Record",
    "Case",
    "Check",
    "CheckResult",
    "Progress",
    "PROGRESS_FILE",
    "CHAPTERS",
    "get",
    "all",
    "names",
    "check",
    "notebook_cells",
    "notebook_markdown",
]


def names() -> list[str]:
    """Every exercise's name, in curriculum order."""
    return list(EXERCISES)


def all() -> list[Exercise]:  # noqa: A001 - the name the issue asks for: exercises.all()
    """Every exercise, in curriculum order."""
    return list(EXERCISES.values())


def check(name: str, func: Callable[..., Any], *, timeout: float = DEFAULT_TIMEOUT,
          seed: int | None = None) -> Report:
    """Grade ``func`` as exercise ``name``: ``exercises.check("adam_update", my_adam_update)``.

    See :meth:`Exercise.check`; an unknown name raises a ``ValueError`` listing close names.
    """
    return get(name).check(func, timeout=timeout, seed=seed)


def notebook_cells(chapter_prefix: str) -> list[str]:
    """The code cells that end a chapter's notebook: one per exercise of the chapter, each the
    stub to fill in followed by its grading.

    Parameters
    ----------
    chapter_prefix : str
        A chapter's letter (``"B"``: every exercise of linear regression) or one topic id
        (``"B8"``: QR's two).

    Returns
    -------
    list of str
        The cells' sources, in curriculum order. Each defines the function (its body
        ``raise NotImplementedError``, so the cell runs and reports "not implemented yet") and
        ends with ``print(exercises.check(name, name))``. The notebooks of the curriculum
        end with them, after :func:`notebook_markdown`; after a change to the registry,
        ``python tests/exercises/test_notebook_exercises.py`` writes them again.

    Raises
    ------
    ValueError
        If ``chapter_prefix`` is not a chapter letter or topic id with exercises.
    """
    from fromscratch.exercises._stub import function_source

    cells = []
    for exercise in _of_chapter(chapter_prefix):
        imports = "".join(f"{line}\n" for line in exercise.imports)
        cells.append(
            f"# Exercise {exercise.chapter}: {exercise.title}. Write the body of "
            f"{exercise.name}, then run the cell.\n"
            f"# A hint: exercises.get({exercise.name!r}).hints\n"
            f"from __future__ import annotations  # the signature's types stay text\n\n"
            f"import numpy as np\n\nfrom fromscratch import exercises\n{imports}\n\n"
            f"{function_source(exercise.reference, body='raise NotImplementedError')}\n\n"
            f"print(exercises.check({exercise.name!r}, {exercise.name}))\n")
    return cells


def notebook_markdown(chapter_prefix: str) -> str:
    """The markdown cell before :func:`notebook_cells`: the heading ``## Exercises``, a table of
    the chapter's exercises (topic, name, what it asks) and how to do them.

    Parameters
    ----------
    chapter_prefix : str
        As for :func:`notebook_cells`.

    Raises
    ------
    ValueError
        If ``chapter_prefix`` is not a chapter letter or topic id with exercises.
    """
    rows = "".join(f"| {e.chapter} | `{e.name}` | {e.title} |\n"
                   for e in _of_chapter(chapter_prefix))
    return (
        "## Exercises\n\n"
        "Prove it yourself: write the functions this chapter taught, and the library's own "
        "checks grade them: against the library's function on fresh random inputs, by finite "
        "differences where it is a derivative, and inside the estimator, network or engine "
        "where the function belongs.\n\n"
        "| topic | exercise | what it asks |\n|---|---|---|\n" + rows + "\n"
        "Each cell below holds the function's signature and its docstring with the equations, "
        "and `raise NotImplementedError` for a body: replace that line with your code and run "
        "the cell. Until then the cell reports *not implemented yet*. "
        "`exercises.get(\"NAME\").hints` gives hints.\n\n"
        "Or work in a file, with your progress kept: `fromscratch exercises start NAME` writes "
        "`exercises/NAME.py`, `fromscratch exercises check NAME` grades it, "
        "`fromscratch exercises hint NAME` gives one hint at a time, and "
        "`fromscratch exercises list` shows which exercises are done, next or locked.\n"
    )


def _of_chapter(chapter_prefix: str) -> list[Exercise]:
    """The exercises of a chapter's letter or of one topic id, in curriculum order."""
    if not isinstance(chapter_prefix, str) or not re.fullmatch(r"[A-Z]\d*", chapter_prefix):
        raise ValueError(f"chapter_prefix must be a chapter's letter ({', '.join(CHAPTERS)}) "
                         f"or a topic id such as 'B8'; got {chapter_prefix!r}.")
    chosen = [e for e in EXERCISES.values()
              if e.chapter == chapter_prefix or e.chapter[0] == chapter_prefix]
    if not chosen:
        topics = sorted({e.chapter for e in EXERCISES.values()}, key=lambda t: (t[0], int(t[1:])))
        raise ValueError(f"no exercise belongs to {chapter_prefix!r}; the topics with exercises "
                         f"are {', '.join(topics)}.")
    return chosen
