"""Pages generated from the library itself, so the site cannot drift from the code.

* ``.. fromscratch-cli-help:: exercises start`` shows ``fromscratch exercises start --help``.
* ``.. fromscratch-exercises::`` lists every exercise of :mod:`fromscratch.exercises`' registry,
  chapter by chapter, with its reference kernel and the mistakes its grader recognizes.
* ``.. fromscratch-tour::`` embeds the tour's report, which :mod:`fs_build` builds into the site
  (``fs_tour = "quick"``), or says how to build it (``fs_tour = "off"``).
"""

from __future__ import annotations

import contextlib
import io
import os

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

#: The width of the ``--help`` text (argparse reads it from COLUMNS).
HELP_WIDTH = "72"


def cli_help(arguments: list[str]) -> str:
    """What ``fromscratch ARGUMENTS --help`` prints."""
    from fromscratch.cli import build_parser

    out = io.StringIO()
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_WIDTH
    try:
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            build_parser().parse_args([*arguments, "--help"])
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    return out.getvalue()


class CliHelp(SphinxDirective):
    optional_arguments = 10  # the words of a subcommand: "exercises start"

    def run(self):
        command = " ".join(["fromscratch", *self.arguments, "--help"])
        text = f"$ {command}\n{cli_help(self.arguments)}"
        block = nodes.literal_block(text, text, language="text")
        self.set_source_info(block)
        return [block]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def exercises_rst(canonical: dict[int, str]) -> list[str]:
    """The registry as reStructuredText: one section per chapter, one table row per exercise,
    linked to its reference kernel's page (``canonical``: id(object) -> documented name)."""
    from fromscratch import exercises

    by_chapter: dict[str, list] = {}
    for exercise in exercises.all():
        by_chapter.setdefault(exercise.chapter[0], []).append(exercise)
    lines = []
    for letter, title in exercises.CHAPTERS.items():
        if letter not in by_chapter:
            continue
        heading = f"{letter}. {title}"
        lines += [heading, "~" * len(heading), "", ".. list-table::", "   :header-rows: 1",
                  "   :widths: 8 40 25 27", "",
                  "   * - Topic", "     - Exercise (NAME)", "     - Reference kernel",
                  "     - Mistakes it names"]
        for exercise in by_chapter[letter]:
            reference = exercise.reference
            target = canonical.get(id(reference))
            if target is None:  # a private kernel (``linear_model._cd.soft_threshold``): code
                kernel = f"``{reference.__module__}.{reference.__qualname__}``"
            else:
                kernel = f":func:`{'.'.join(target.split('.')[-2:])} <{target}>`"
            mistakes = ", ".join(f"``{m.name}``" for m in exercise.mistakes) or "—"
            lines += [
                f"   * - {exercise.chapter}",
                f"     - {_cell(exercise.title)} (``{exercise.name}``)",
                f"     - {kernel}",
                f"     - {mistakes}",
            ]
        lines.append("")
    return lines


class ExerciseList(SphinxDirective):
    def run(self):
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(exercises_rst(self.env.app.fs_canonical),
                                                             self.get_source_info()[0]),
                                 container)
        return container.children


class Tour(SphinxDirective):
    def run(self):
        if self.config.fs_tour == "off":
            text = ("This build of the site leaves the tour out (``fs_tour = 'off'``). Write it "
                    "with ``fromscratch tour --out tour-out`` and open ``tour-out/index.html``.")
            return [nodes.paragraph(text, text)]
        html = (
            '<p><a class="reference external" href="tour/index.html">Open the tour '
            '(quick mode) in its own page</a>.</p>\n'
            '<iframe class="fromscratch-tour" src="tour/index.html" title="The tour" '
            'loading="lazy" style="width:100%;height:80vh;border:1px solid #ccc"></iframe>\n'
        )
        return [nodes.raw("", html, format="html")]


def setup(app):
    app.add_directive("fromscratch-cli-help", CliHelp)
    app.add_directive("fromscratch-exercises", ExerciseList)
    app.add_directive("fromscratch-tour", Tour)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
