"""Writes the tour as ONE self-contained HTML file.

Figures are PNG data URIs, equations are MathML (laid out by the browser, selectable and
searchable), the CSS is inline; nothing is fetched when the page is opened, and it reflows on a
phone.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from fromscratch.tour.chapter import Block, Check
from fromscratch.tour.markdown import render_inline, render_markdown
from fromscratch.tour.mathtext import render_math

if TYPE_CHECKING:
    from fromscratch.tour.runner import ChapterOutcome

__all__ = ["write_report", "render_markdown"]

_CSS = """
:root { --fg:#1d2433; --muted:#5b6475; --line:#dde2ea; --accent:#2f5fb3; --pass:#1f7a3a;
        --fail:#b3261e; --skip:#8a6d00; --bg:#ffffff; --code:#f3f5f8; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
main { max-width: 920px; margin: 0 auto; padding: 1rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; margin: 1.2rem 0 .2rem; }
h2 { font-size: 1.5rem; margin-top: 3rem; padding-top: .5rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.15rem; margin-top: 1.8rem; }
p, li { max-width: 46rem; }
code { background: var(--code); padding: .05rem .3rem; border-radius: 3px; font-size: .92em; }
pre { background: var(--code); padding: .8rem; overflow-x: auto; font-size: .85rem; }
pre code { padding: 0; font-size: 1em; }
nav.toc { background: var(--code); padding: .6rem 1rem; border-radius: 6px; }
nav.toc ol { margin: .3rem 0; padding-left: 1.3rem; }
figure { margin: 1.2rem 0; }
figure img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { color: var(--muted); font-size: .92rem; text-align: center; margin-top: .3rem; }
math { font-size: 1.08em; }
.equation { overflow-x: auto; overflow-y: hidden; margin: .8rem 0; padding: .2rem 0; }
.equation math { font-size: 1.2em; }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left;
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: .3rem; }
.pass { color: var(--pass); font-weight: 600; }
.FAIL { color: var(--fail); font-weight: 700; }
.skip { color: var(--skip); font-weight: 600; }
.meta { color: var(--muted); font-size: .92rem; }
"""

def _render_block(block: Block) -> str:
    if block.kind == "heading":
        return f"<h3>{render_inline(block.payload)}</h3>"
    if block.kind == "text":
        return render_markdown(block.payload)
    if block.kind == "equation":
        return f'<div class="equation">{render_math(block.payload, display=True)}</div>'
    if block.kind == "figure":
        data = base64.b64encode(block.payload).decode("ascii")
        alt = html.escape(block.caption or "figure", quote=True)
        caption = (
            f"<figcaption>{render_inline(block.caption)}</figcaption>" if block.caption else ""
        )
        return f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">{caption}</figure>'
    if block.kind == "code":
        caption = (
            f"<figcaption>{render_inline(block.caption)}</figcaption>" if block.caption else ""
        )
        return f"<figure><pre><code>{html.escape(block.payload)}</code></pre>{caption}</figure>"
    if block.kind == "table":
        columns, rows = block.payload
        return _table_html(columns, rows, block.caption)
    raise ValueError(f"unknown block kind {block.kind!r}")


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+−]?[\d,]*\.?\d+(e[-+]?\d+)?%?", cell.strip()))


def _table_html(columns: list[str], rows: list[list[str]], caption: str = "") -> str:
    head = "".join(f"<th>{render_inline(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for cell in row:
            css = ' class="num"' if _is_number(cell) else ""
            if cell in ("pass", "FAIL", "skip"):
                css = f' class="{cell}"'
            cells.append(f"<td{css}>{render_inline(cell)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{render_inline(caption)}</caption>" if caption else ""
    return (
        f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"


def _checks_html(checks: list[Check]) -> str:
    rows = [
        [c.what, c.against, _fmt(c.difference), _fmt(c.tolerance), c.status, c.detail]
        for c in checks
    ]
    return "<h3>Verification</h3>" + _table_html(
        ["check", "compared with", "difference", "tolerance", "result", "detail"], rows
    )


def _summary_counts(outcome: ChapterOutcome) -> tuple[int, int, int]:
    checks = outcome.chapter.checks
    return (
        sum(c.passed is True for c in checks),
        sum(c.passed is False for c in checks),
        sum(c.passed is None for c in checks),
    )


def write_report(out_dir: Path, outcomes: list[ChapterOutcome], *, quick: bool) -> Path:
    """Write ``out_dir/index.html`` and return its path."""
    from fromscratch import __version__

    sections = []
    toc = []
    summary_rows = []
    for outcome in outcomes:
        chapter = outcome.chapter
        passed, failed, skipped = _summary_counts(outcome)
        status = "pass" if outcome.ok else "FAIL"
        toc.append(f'<li><a href="#{chapter.slug}">{html.escape(chapter.title)}</a></li>')
        summary_rows.append(
            [chapter.title, str(passed), str(failed), str(skipped), f"{outcome.seconds:.1f}",
             status]
        )
        body = [f'<section id="{chapter.slug}"><h2>{html.escape(chapter.title)}</h2>']
        if outcome.error:
            body.append(
                '<p class="FAIL">This chapter crashed; what it produced before the error is '
                f"shown below.</p><pre>{html.escape(outcome.error)}</pre>"
            )
        body.extend(_render_block(block) for block in chapter.blocks)
        if chapter.checks:
            body.append(_checks_html(chapter.checks))
        body.append("</section>")
        sections.append("\n".join(body))

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick mode (smaller data, fewer iterations)" if quick else "full mode"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fromscratch — the tour</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>fromscratch — the tour</h1>
<p class="meta">Machine learning from scratch on NumPy, every result checked against a reference.
fromscratch {html.escape(__version__)}, {stamp}, {mode}.</p>
<nav class="toc"><strong>Chapters</strong><ol>{''.join(toc)}</ol></nav>
{_table_html(["chapter", "checks passed", "failed", "skipped", "seconds", "result"],
             summary_rows, "Summary")}
{''.join(sections)}
</main>
</body>
</html>
"""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
