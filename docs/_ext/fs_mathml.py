"""Math as MathML, converted at build time: the site renders formulas with no script and no
network (Chromium, Firefox and Safari lay out MathML natively).

Sphinx's usual renderer, MathJax, is a JavaScript library fetched from a CDN. Here every
``:math:`` role, ``.. math::`` block and ``$...$`` / ``$$...$$`` of the notebooks is converted
by the same LaTeX→MathML function as the tour's report
(:func:`fromscratch.tour.mathtext.render_math`, built on the pure-Python ``latex2mathml``), with
the LaTeX source in ``alttext`` for screen readers and copying. A formula the converter cannot
read is a warning (an error under ``-W``) naming where it is, and is shown as its LaTeX source.

Docstrings may write inline math as ``$...$``, as the tour's text does: :func:`dollar_math`
turns it into the ``:math:`` role before numpydoc reads the docstring.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from fromscratch.tour.mathtext import render_math

logger = logging.getLogger(__name__)

#: TeX's operator names that latex2mathml does not know, written as it understands them.
_OPERATORS = re.compile(r"\\(arg)(?![A-Za-z])")


#: ``$...$`` as pandoc reads it: no space inside the dollars, no digit right after the closing one.
_DOLLAR = re.compile(r"(?<![\\$\w])\$(?=[^\s$])([^$`]+?)(?<=\S)\$(?![\w$])")
#: An inline literal: ``$`` inside one is code, not math.
_LITERAL = re.compile(r"(``.+?``)")


def dollar_math(app, what, name, obj, options, lines) -> None:
    """``autodoc-process-docstring`` handler: ``$x$`` becomes ``:math:`x```."""
    for index, line in enumerate(lines):
        if "$" in line:
            parts = _LITERAL.split(line)
            lines[index] = "".join(
                part if part.startswith("``") else _DOLLAR.sub(r":math:`\1`", part)
                for part in parts
            )


def _mathml(self, node: nodes.Element, latex: str, display: bool) -> str:
    latex = _OPERATORS.sub(r"\\operatorname{\1}", latex.strip())
    try:
        return render_math(latex, display=display)
    except ValueError as exc:
        logger.warning("%s", exc, location=node, type="fromscratch", subtype="math")
        return f'<code class="math-source">{self.encode(latex)}</code>'


def visit_math(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(_mathml(self, node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node["number"]:
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    # As Sphinx's MathJax renderer: equations are separated by blank lines, and one with line
    # breaks (\\) is aligned at its & marks.
    for part in (p for p in node.astext().split("\n\n") if p.strip()):
        if r"\\" in part and r"\begin" not in part:
            part = rf"\begin{{split}}{part}\end{{split}}"
        self.body.append(_mathml(self, node, part, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.connect("autodoc-process-docstring", dollar_math, priority=200)  # before numpydoc
    return {"parallel_read_safe": True, "parallel_write_safe": True}
