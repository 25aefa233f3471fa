r"""The small Markdown subset chapters write: paragraphs, ``- `` bullets, ``**bold**``,
``*italic*``, ```code``` and inline ``$math$`` (rendered to MathML).

Code and math are cut out first and replaced by placeholders, the emphasis is applied to the
whole paragraph, then the placeholders are put back — so emphasis may surround math
(``**the odds $e^{w}$**``). Anything that still looks like markup afterwards (``**``, a ``*``
that opens a word and closes nothing, a stray backtick or dollar) is an error: a reader must
never see Markdown syntax, so the chapter that wrote it fails at once.
"""

from __future__ import annotations

import html
import re

from fromscratch.tour.mathtext import render_math

__all__ = ["render_markdown", "render_inline"]

_SPAN = re.compile(r"(\$[^$\n]+\$|`[^`\n]+`)")
_PLACEHOLDER = "\x00{}\x00"
_LEFTOVER = re.compile(r"\*\*|(?<!\w)\*(?=\w)|`|\$")


def _emphasis(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)


def render_inline(text: str) -> str:
    """One line of inline markup as HTML.

    Raises
    ------
    ValueError
        When the text keeps a Markdown marker after rendering, or has math that cannot be
        rendered.
    """
    spans: list[str] = []

    def cut(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("$"):
            spans.append(render_math(token[1:-1]))
        else:
            spans.append(f"<code>{html.escape(token[1:-1])}</code>")
        return _PLACEHOLDER.format(len(spans) - 1)

    plain = _SPAN.sub(cut, text)
    rendered = _emphasis(html.escape(plain, quote=False))
    leftover = _LEFTOVER.search(re.sub(r"<[^>]+>", "", rendered).replace("\x00", " "))
    if leftover:
        raise ValueError(
            f"unrendered Markdown marker {leftover.group(0)!r} in {text!r}: close the "
            "emphasis (**bold**, *italic*), the `code` or the $math$, or escape the character "
            "in words (e.g. write 'times' for '*')."
        )
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], rendered)


def render_markdown(markdown: str) -> str:
    """Paragraphs (separated by blank lines), bullet lists (lines that start with ``-``) and
    inline markup."""
    out = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line.strip() for line in block.strip().splitlines()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{render_inline(line[2:])}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif lines:
            out.append(f"<p>{render_inline(' '.join(lines))}</p>")
    return "\n".join(out)
