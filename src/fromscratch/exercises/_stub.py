"""The file a learner starts from, generated from the reference's own source.

One source: the stub is the library's textbook kernel with its body cut off — the same
signature and the same docstring, whose equations say what to compute — followed by
``raise NotImplementedError``. Decorators (``@replaceable``) are dropped; they are the
library's business.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fromscratch.exercises._core import Exercise

__all__ = ["module_text", "function_source"]

_HEADER = '''"""Exercise {name}: {title} (topic {chapter} of the curriculum).

Write the body of {name} below: the docstring has the equations. Then grade it:

    fromscratch exercises check {name}

or, in Python, ``exercises.check("{name}", {name})``. One hint at a time:

    fromscratch exercises hint {name}
"""

from __future__ import annotations

import numpy as np
'''


def function_source(func: object, *, body: str | None = None) -> str:
    """``func``'s source without decorators; with ``body``, its body after the docstring is
    replaced by that line."""
    source = textwrap.dedent(inspect.getsource(inspect.unwrap(func)))  # type: ignore[arg-type]
    lines = source.splitlines()
    node = ast.parse(source).body[0]
    if not isinstance(node, ast.FunctionDef):  # pragma: no cover - references are functions
        raise TypeError(f"{func!r} is not a function defined with def")
    docstring = node.body[0]
    if not (isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)):
        raise ValueError(f"{node.name} has no docstring; a stub needs one")
    if body is None:
        kept = lines[node.lineno - 1:]
    else:
        kept = lines[node.lineno - 1:docstring.end_lineno]
        kept.append(" " * docstring.col_offset + body)
    return "\n".join(kept) + "\n"


def module_text(exercise: Exercise, *, solved: bool = False) -> str:
    """The learner's file: a header saying what to do, the imports, and the function (its
    body ``raise NotImplementedError``, or the reference's own with ``solved=True``)."""
    header = _HEADER.format(name=exercise.name, title=exercise.title, chapter=exercise.chapter)
    library = [line for line in exercise.imports if line.startswith("from fromscratch")]
    imports = "".join(f"{line}\n" for line in exercise.imports if line not in library)
    if library:
        imports += ("\n# The library's functions to build on (earlier exercises' among them):\n"
                    + "".join(f"{line}\n" for line in library))
    body = None if solved else "raise NotImplementedError"
    return f"{header}{imports}\n\n{function_source(exercise.reference, body=body)}"
