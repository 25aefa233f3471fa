"""What a tour chapter produces: text, equations, figures, tables and verification checks.

A chapter module defines ``TITLE`` and ``run(ch: Chapter) -> None``. ``run`` calls the public
library, and records what the reader should see, in order::

    def run(ch):
        ch.text("Ordinary least squares minimises the residual sum of squares $\\|y - Xw\\|^2$.")
        ch.equation(r"\\hat w = (X^\\top X)^{-1} X^\\top y")
        model = LinearRegression().fit(X, y)
        ch.check_close("OLS coefficients", "scikit-learn LinearRegression",
                       model.coef_, reference_coef, rtol=1e-8)
        ch.figure(fig, "Fitted line and residuals")

``ch.quick`` is True under ``fromscratch tour --quick``: use smaller data and fewer iterations.
Checks never raise: a failed check is recorded, shown in red in the report and makes the
``tour`` command exit non-zero.
"""

from __future__ import annotations

import ast
import inspect
import io
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fromscratch.tour.markdown import render_inline, render_markdown
from fromscratch.tour.mathtext import render_math

__all__ = ["Chapter", "Check", "Block"]


@dataclass
class Check:
    """One verification row: what was compared with what, how far apart, and the tolerance."""

    what: str
    against: str
    difference: float | None
    tolerance: float | None
    passed: bool | None  # None: skipped
    detail: str = ""

    @property
    def status(self) -> str:
        return "skip" if self.passed is None else ("pass" if self.passed else "FAIL")


@dataclass
class Block:
    """A piece of chapter content, in reading order."""

    kind: str  # "heading", "text", "equation", "figure", "table", "code"
    payload: Any
    caption: str = ""


@dataclass
class Chapter:
    """Collects one chapter's content; see the module docstring for the contract."""

    slug: str
    title: str
    quick: bool = False
    blocks: list[Block] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    # -- content ------------------------------------------------------------------------------

    def heading(self, title: str) -> None:
        """A section heading inside the chapter."""
        render_inline(title)  # fail here, in the chapter, if it can't render
        self.blocks.append(Block("heading", title))

    def text(self, markdown: str) -> None:
        """Prose. Blank lines separate paragraphs; ``- `` starts a bullet; inline ``$math$``,
        ``**bold**``, ``*italic*`` and ```code``` are understood."""
        render_markdown(markdown)  # fail here, in the chapter, if it can't render
        self.blocks.append(Block("text", markdown))

    def equation(self, latex: str) -> None:
        """A displayed equation in TeX (rendered to MathML; see :mod:`.mathtext`)."""
        render_math(latex, display=True)  # fail here, in the chapter, if it can't render
        self.blocks.append(Block("equation", latex))

    def figure(self, fig: Any, caption: str = "", *, dpi: int = 110) -> None:
        """Embed a matplotlib Figure as PNG and close it (figures must not pile up)."""
        import matplotlib.pyplot as plt

        render_inline(caption)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        plt.close(fig)
        self.blocks.append(Block("figure", buffer.getvalue(), caption))

    def table(
        self, columns: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = ""
    ) -> None:
        """A result table; floats are formatted with 4 significant digits (6 if small/large)."""
        formatted = [[_format_cell(v) for v in row] for row in rows]
        for row in formatted:
            if len(row) != len(columns):
                raise ValueError(
                    f"table row has {len(row)} cells but there are {len(columns)} columns"
                )
        for cell in [*columns, *(c for row in formatted for c in row), caption]:
            render_inline(cell)
        self.blocks.append(Block("table", (list(columns), formatted), caption))

    def code(self, function: Callable[..., Any], caption: str = "") -> None:
        """The source of a library function as the library has it (``inspect.getsource``), its
        docstring left out (the chapter states the equations itself). A method is shown
        dedented."""
        render_inline(caption)
        source = textwrap.dedent(inspect.getsource(function))
        lines = source.splitlines()
        definition = ast.parse(source).body[0]
        assert isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        docstring = definition.body[0]
        if isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant):
            del lines[docstring.lineno - 1:docstring.end_lineno]
        self.blocks.append(Block("code", "\n".join(lines), caption))

    # -- verification -------------------------------------------------------------------------

    def check(
        self, what: str, against: str, difference: float, tolerance: float, detail: str = ""
    ) -> bool:
        """Record a check that passes when ``difference <= tolerance`` (and both are finite)."""
        difference = float(difference)
        tolerance = float(tolerance)
        passed = bool(math.isfinite(difference) and difference <= tolerance)
        self._add(Check(what, against, difference, tolerance, passed, detail))
        return passed

    def check_close(
        self,
        what: str,
        against: str,
        ours: Any,
        reference: Any,
        *,
        rtol: float = 1e-7,
        atol: float = 0.0,
        detail: str = "",
    ) -> bool:
        """Compare arrays: difference = max|ours − reference|, tolerance = atol + rtol·max|ref|."""
        ours_arr = np.asarray(ours, dtype=float)
        ref_arr = np.asarray(reference, dtype=float)
        if ours_arr.shape != ref_arr.shape:
            self._add(
                Check(what, against, None, None, False,
                      f"shape {ours_arr.shape} vs reference {ref_arr.shape}")
            )
            return False
        difference = float(np.max(np.abs(ours_arr - ref_arr))) if ours_arr.size else 0.0
        scale = float(np.max(np.abs(ref_arr))) if ref_arr.size else 0.0
        return self.check(what, against, difference, atol + rtol * scale, detail)

    def check_bound(
        self,
        what: str,
        against: str,
        value: float,
        *,
        at_least: float | None = None,
        at_most: float | None = None,
    ) -> bool:
        """A value that must clear a bound (e.g. test accuracy ≥ 0.95)."""
        value = float(value)
        passed = math.isfinite(value)
        parts = []
        if at_least is not None:
            passed = passed and value >= at_least
            parts.append(f"≥ {at_least:g}")
        if at_most is not None:
            passed = passed and value <= at_most
            parts.append(f"≤ {at_most:g}")
        self._add(
            Check(what, against, value, None, bool(passed), f"value {value:.6g}, bound "
                  + " and ".join(parts))
        )
        return bool(passed)

    def skip(self, what: str, against: str, reason: str) -> None:
        """A check that could not run here (e.g. the reference package is not installed)."""
        self._add(Check(what, against, None, None, None, reason))

    def _add(self, check: Check) -> None:
        for text in (check.what, check.against, check.detail):
            render_inline(text)  # a row the report cannot render is the chapter's bug
        self.checks.append(check)

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if c.passed is False]


def _format_cell(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if v == 0 or not math.isfinite(v):
            return f"{v:g}"
        if 1e-3 <= abs(v) < 1e5:
            return f"{v:.4g}"
        return f"{v:.3e}"
    return str(value)
