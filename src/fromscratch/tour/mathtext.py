r"""TeX to MathML, so the report shows real, selectable, searchable math without a network.

Every formula becomes a MathML ``<math>`` element (converted by the pure-Python ``latex2mathml``)
that the browser lays out itself — Chromium, Firefox and Safari render MathML natively — with
the LaTeX source kept in ``alttext`` for screen readers and for copying. Nothing is fetched when
the page opens, and a formula's text can be selected and found with the browser's search.

A formula the converter cannot parse, or one that leaves a TeX command unconverted (a typo such
as ``\\frca``), raises ``ValueError`` at once, so the chapter that wrote it fails loudly instead
of showing broken math.
"""

from __future__ import annotations

import functools
import html
import re

__all__ = ["render_math"]

# An unconverted command survives as its own text, e.g. <mi>\frca</mi>.
_LEFTOVER_COMMAND = re.compile(r">[^<]*\\[A-Za-z]+[^<]*<")


@functools.lru_cache(maxsize=8192)
def render_math(latex: str, display: bool = False) -> str:
    """The MathML element for ``latex`` (without surrounding ``$``): inline, or a displayed
    equation with ``display=True``."""
    from latex2mathml.converter import convert

    try:
        mathml = convert(latex, display="block" if display else "inline")
    except Exception as exc:  # the converter raises its own error classes
        raise ValueError(f"cannot render the math {latex!r}: {type(exc).__name__} {exc}"
                         ) from None
    leftover = _LEFTOVER_COMMAND.search(mathml)
    if leftover:
        raise ValueError(
            f"cannot render the math {latex!r}: {leftover.group(0)[1:-1].strip()!r} is not a "
            "known TeX command."
        )
    alt = html.escape(latex, quote=True)
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)
