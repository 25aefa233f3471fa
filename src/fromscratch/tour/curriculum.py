"""The curriculum: every topic the tour and the notebooks teach, and how to tell that a chapter
teaches one.

A topic is taught when its chapter's section has all four things a lesson needs:

1. **a narrative with the derivation** — prose and mathematics (a displayed equation, or
   inline math in the prose or a table);
2. **the library's own code** — the section names a public function or class of
   ``fromscratch`` (in a code span, e.g. ```fromscratch.optim.Adam``` or ```LinearRegression```)
   or shows a library function's source;
3. **a figure**, with the caption the chapter declares;
4. **a check** shown to the reader, with the name the chapter declares, that passed.

Each chapter module declares where its topics are taught in a ``TOPICS`` dict:
``{"G4": {"section": heading, "figure": caption, "check": check name}}`` — the exact strings it
shows. :func:`topic_status` finds them in the chapter's output.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Topic", "TOPICS", "TopicStatus", "topic_status", "library_names"]


@dataclass(frozen=True)
class Topic:
    """A topic of the curriculum: its id (chapter letter and number), name, tour chapter and
    notebook."""

    id: str
    name: str
    chapter: str  # the tour chapter's slug
    notebook: str | None  # the notebook's file name, None for the introduction


def _part(chapter: str, notebook: str | None, prefix: str, names: list[str]) -> list[Topic]:
    return [Topic(f"{prefix}{i}", name, chapter, notebook) for i, name in enumerate(names, 1)]


#: The 57 topics, in reading order.
TOPICS: tuple[Topic, ...] = tuple(
    _part("intro", None, "A", [
        "Why build it yourself: understanding you can demonstrate",
        "The rule: NumPy array operations only; the packages that solve the problem are "
        "references",
    ])
    + _part("linreg", "01_linear_regression.ipynb", "B", [
        "What linear regression is, and where it hides",
        "Defining the model",
        "The best parameters by calculus",
        "The partial derivatives of the loss, by hand",
        "Gradient descent with the hand-derived partial derivatives",
        "Stochastic and mini-batch gradient descent",
        "A first second-order method: Newton's method",
        "Ordinary least squares as statistical software solves it: Householder QR",
    ])
    + _part("regularization", "02_regularization.ipynb", "C", [
        "Overfitting, underfitting and the bias–variance trade-off",
        "The train–test split",
        "Adding an L2 penalty (ridge) so the model generalizes",
        "Training ridge with its gradient computed by hand",
        "Deriving the normal equation (with the penalty)",
        "The penalty as a constraint, and Lagrange multipliers",
        "Swapping L2 for L1: the lasso",
        "A real application: predicting house prices",
    ])
    + _part("logistic", "03_logistic_regression.ipynb", "D", [
        "What logistic regression is",
        "Defining the model",
        "Log-odds and odds ratios",
        "A linear model followed by a non-linear activation",
        "The best parameters by calculus (and why no closed form exists)",
        "The partial derivatives of the loss, by hand",
        "Gradient descent with those partial derivatives",
        "Stochastic and mini-batch gradient descent (momentum, Nesterov, early stopping)",
    ])
    + _part("autodiff", "04_autodiff_forward_mode.ipynb", "E", [
        "Dual numbers and how they carry the derivative",
        "The two main approaches: forward and reverse mode",
        "An automatic differentiation program written from scratch",
        "Verifying its results",
        "Pros and cons of the two approaches",
    ])
    + _part("autodiff", "05_autodiff_reverse_mode.ipynb", "F", [
        "Forward mode revisited: compositions and the chain rule",
        "A computation as a list of elementary operations (evaluation trace)",
        "The trace drawn as a graph",
        "The same, implemented from scratch",
        "Reverse mode, with a worked example",
        "Reverse mode implemented from scratch",
    ])
    + _part("optimizers", "06_optimizers.ipynb", "G", [
        "Overview: the math, the intuition and an implementation of each",
        "SGD with momentum",
        "SGD with Nesterov accelerated gradient",
        "Adam",
        "RMSprop",
        "Adagrad",
        "Adadelta",
        "Adamax",
        "Nadam",
        "AdamW",
    ])
    + _part("testfunctions", "07_test_functions.ipynb", "H", [
        "A gallery of two-dimensional functions to optimize",
    ])
    + _part("nn", "08_neural_networks.ipynb", "I", [
        "What a neural network is",
        "Defining a network model",
        "The feedforward pass",
        "Backpropagation",
        "Linear regression as a network, from scratch",
        "Training the network with automatic differentiation",
        "Adding non-linear activation functions",
        "Logistic regression as a network, from scratch",
        "Backpropagation training deep networks on non-linear problems",
    ])
)


@dataclass(frozen=True)
class TopicStatus:
    """What a chapter's output shows of one topic."""

    topic: Topic
    section: str | None  # the heading, when the chapter declares and shows it
    narrative: bool
    library_code: str | None  # the first library name the section uses
    figure: str | None
    check: str | None
    check_passed: bool | None

    @property
    def complete(self) -> bool:
        return bool(self.section and self.narrative and self.library_code and self.figure
                    and self.check and self.check_passed)


_CODE_SPAN = re.compile(r"`([A-Za-z_][\w.]*)(?:\(|`)")


def library_names(text: str) -> list[str]:
    """The names in code spans of ``text`` that are public names of ``fromscratch`` (a
    dotted path such as ``fromscratch.optim.Adam``, or a bare name exported by one of its
    packages, such as ``LinearRegression``)."""
    return [name for name in _CODE_SPAN.findall(text) if _resolves(name)]


_PACKAGES = ("fromscratch", "fromscratch.linear_model", "fromscratch.optim",
             "fromscratch.autodiff", "fromscratch.nn", "fromscratch.linalg",
             "fromscratch.datasets", "fromscratch.metrics", "fromscratch.model_selection",
             "fromscratch.preprocessing", "fromscratch.benchfunctions", "fromscratch.plot")


def _resolves(name: str) -> bool:
    """Whether ``name`` is a public object of the library."""
    if any(part.startswith("_") for part in name.split(".")):
        return False
    candidates = [name] if name.startswith("fromscratch") else [
        f"{package}.{name}" for package in _PACKAGES]
    for path in candidates:
        module_name, _, attribute = path.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            try:
                importlib.import_module(path)
                return True
            except ImportError:
                continue
        if hasattr(module, attribute):
            return True
    return False


def _section_blocks(blocks: list[Any], heading: str) -> list[Any] | None:
    """The blocks from ``heading`` to the next heading, or None if the heading is absent."""
    for start, block in enumerate(blocks):
        if block.kind == "heading" and block.payload == heading:
            end = next((i for i in range(start + 1, len(blocks))
                        if blocks[i].kind == "heading"), len(blocks))
            return blocks[start + 1:end]
    return None


def topic_status(topic: Topic, where: dict[str, str] | None, chapter: Any) -> TopicStatus:
    """Look for ``topic``'s section, narrative, library code, figure and check in ``chapter``
    (a :class:`~fromscratch.tour.chapter.Chapter` after its run), where the chapter's
    ``TOPICS[topic.id]`` (``where``) says they are."""
    empty = TopicStatus(topic, None, False, None, None, None, None)
    if where is None or chapter is None:
        return empty
    blocks = _section_blocks(chapter.blocks, where["section"])
    if blocks is None:
        return empty
    texts = [b.payload for b in blocks if b.kind == "text"]
    cells = [cell for b in blocks if b.kind == "table" for row in b.payload[1] for cell in row]
    narrative = bool(texts) and (any(b.kind == "equation" for b in blocks)
                                 or any("$" in t for t in texts + cells))
    names = [name for t in texts for name in library_names(t)]
    if any(b.kind == "code" for b in blocks):
        names.append(next(b.caption or "source" for b in blocks if b.kind == "code"))
    figure = next((b.caption for b in blocks
                   if b.kind == "figure" and b.caption == where["figure"]), None)
    check = next((c for c in chapter.checks if c.what == where["check"]), None)
    return TopicStatus(topic, where["section"], narrative, names[0] if names else None,
                       figure, None if check is None else check.what,
                       None if check is None else check.passed)
