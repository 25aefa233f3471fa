"""Every notebook of the curriculum ends with its chapter's exercises: the markdown cell of
``exercises.notebook_markdown`` and the code cells of ``exercises.notebook_cells``, exactly, so
that the notebooks never drift from the registry. Each cell runs without the learner's work and
reports "not implemented yet".

After a change to the registry, run this file to write the notebooks' exercise cells again
(everything from the cell with id ``exercises`` on is replaced; the rest of the file is kept
byte for byte)::

    python tests/exercises/test_notebook_exercises.py
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from fromscratch import exercises
from fromscratch.tour.curriculum import TOPICS

NOTEBOOK_FOLDER = Path(__file__).resolve().parents[2] / "notebooks"

#: The id of the markdown cell that opens a notebook's exercises.
FIRST_ID = "exercises"


def chapter_of(notebook: str) -> str | None:
    """The letter of the curriculum chapter a notebook teaches, if that chapter has exercises."""
    letters = {t.id[0] for t in TOPICS if t.notebook == notebook}
    assert len(letters) <= 1, f"{notebook} teaches the topics of several chapters: {letters}"
    with_exercises = {e.chapter[0] for e in exercises.all()}
    return next((letter for letter in letters if letter in with_exercises), None)


NOTEBOOKS = [path for path in sorted(NOTEBOOK_FOLDER.glob("*.ipynb")) if chapter_of(path.name)]


def expected_cells(notebook: str) -> list[dict]:
    """The cells that end ``notebook``, in the JSON of the notebooks (keys sorted, no outputs)."""
    letter = chapter_of(notebook)
    chosen = [e for e in exercises.all() if e.chapter[0] == letter]
    cells = [{"cell_type": "markdown", "id": FIRST_ID, "metadata": {},
              "source": exercises.notebook_markdown(letter).splitlines(keepends=True)}]
    for exercise, source in zip(chosen, exercises.notebook_cells(letter), strict=True):
        cells.append({"cell_type": "code", "execution_count": None,
                      "id": f"exercise-{exercise.name.replace('_', '-')}", "metadata": {},
                      "outputs": [], "source": source.splitlines(keepends=True)})
    return cells


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_notebook_ends_with_exactly_the_generated_exercise_cells(path):
    cells, expected = _cells(path), expected_cells(path.name)
    ids = [cell.get("id") for cell in cells]
    assert FIRST_ID in ids, (f"{path.name} has no exercises; write them with "
                             f"python tests/exercises/test_notebook_exercises.py")
    tail = cells[ids.index(FIRST_ID):]
    assert [(c["cell_type"], _text(c)) for c in tail] == \
        [(c["cell_type"], _text(c)) for c in expected], (
        f"{path.name}'s exercise cells differ from the registry's; write them again with "
        f"python tests/exercises/test_notebook_exercises.py")
    assert [line for c in cells[:ids.index(FIRST_ID)] for line in _text(c).splitlines()
            if line.startswith("## Exercises")] == [], "a second exercise section"


def test_every_exercise_ends_the_notebook_of_its_topic():
    """Read from the notebooks themselves, against the curriculum's topic -> notebook table
    (not the chapter letter notebook_cells selects by): each exercise is graded in a cell and
    listed in the markdown of the notebook that teaches its topic, and only there."""
    notebook_of = {t.id: t.notebook for t in TOPICS}
    graded, listed = {}, {}
    for path in NOTEBOOKS:
        cells = _cells(path)
        code = "\n".join(_text(c) for c in cells if c["cell_type"] == "code")
        markdown = "\n".join(_text(c) for c in cells if c["cell_type"] == "markdown")
        graded[path.name] = re.findall(r"print\(exercises\.check\('(\w+)', \1\)\)", code)
        listed[path.name] = re.findall(r"^\| [A-I]\d+ \| `(\w+)` \|", markdown, re.MULTILINE)
    for notebook in graded:
        wanted = [e.name for e in exercises.all() if notebook_of[e.chapter] == notebook]
        assert graded[notebook] == wanted, notebook
        assert listed[notebook] == wanted, notebook
    assert sorted(n for names in graded.values() for n in names) == sorted(exercises.names())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_exercise_cell_runs_and_reports_not_implemented_yet(path):
    """What the notebook test's kernel does with the cells, in one namespace as there (a cell
    that rebinds an earlier exercise's name must not break a later one)."""
    namespace: dict = {}
    for cell in expected_cells(path.name)[1:]:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(_text(cell), cell["id"], "exec"), namespace)
        assert "not implemented yet" in output.getvalue(), output.getvalue()
        assert "Traceback" not in output.getvalue()


def test_the_markdown_says_what_to_do():
    text = exercises.notebook_markdown("G")
    assert text.startswith("## Exercises\n")
    assert "| G4 | `adam_update` | Adam |" in text
    for command in ("start NAME", "check NAME", "hint NAME", "list"):
        assert f"`fromscratch exercises {command}`" in text
    with pytest.raises(ValueError, match="no exercise belongs to 'A'"):
        exercises.notebook_markdown("A")


def write(path: Path) -> None:
    """Replace ``path``'s exercise cells (or append them) with the registry's."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    ids = [cell.get("id") for cell in notebook["cells"]]
    kept = notebook["cells"][:ids.index(FIRST_ID)] if FIRST_ID in ids else notebook["cells"]
    notebook["cells"] = kept + expected_cells(path.name)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    for path in NOTEBOOKS:
        write(path)
        print(f"wrote the exercises of {path.name}")
