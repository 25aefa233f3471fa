"""The introduction: its two topics, the rule checked on the installed package, and the topic
table — every topic of the curriculum taught with a narrative, the library's code, a figure and a
passed check, in the tour and in its notebook."""

import json
import re
from pathlib import Path

import pytest

from fromscratch.tour import Chapter, ch_intro, run_tour
from fromscratch.tour.curriculum import TOPICS, library_names, topic_status
from fromscratch.tour.registry import CHAPTERS, chapter_names

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def whole_tour(tmp_path_factory):
    """The whole quick tour, run once: the topic table needs every chapter's output."""
    path, outcomes = run_tour(tmp_path_factory.mktemp("tour"), quick=True, progress=False)
    return path, {o.chapter.slug: o for o in outcomes}


def test_the_curriculum_lists_57_topics_in_order_and_every_chapter_exists():
    ids = [t.id for t in TOPICS]
    assert len(ids) == len(set(ids)) == 57
    for part, count in zip("ABCDEFGHI", (2, 8, 8, 8, 5, 6, 10, 1, 9), strict=True):
        assert [i for i in ids if i[0] == part] == [f"{part}{k}" for k in range(1, count + 1)]
    assert {t.chapter for t in TOPICS} <= set(chapter_names())
    assert chapter_names()[0] == "intro"


def test_each_chapter_declares_only_its_own_topics():
    owner = {t.id: t.chapter for t in TOPICS}
    for spec in CHAPTERS:
        for topic_id, where in getattr(spec.load(), "TOPICS", {}).items():
            assert owner[topic_id] == spec.slug, (topic_id, spec.slug)
            assert set(where) == {"section", "figure", "check"}


def test_the_rule_detector_catches_every_form_and_allows_numpy():
    caught = ["import scipy", "from sklearn.linear_model import Ridge", "np.linalg.solve",
              "def f():\n    import torch", "from numpy import linalg",
              "import dask.array as da\nda.linalg.tsqr", "from dask_ml import x"]
    for source in caught:
        assert ch_intro._forbidden_imports(source), source
    assert ch_intro._forbidden_imports("import numpy as np\nimport dask.array\nnp.dot") == []


def test_library_names_resolve_only_public_objects():
    text = ("`LinearRegression(solver=\"qr\")`, `fromscratch.optim.Adam`, `Tanh` and `np.dot`; "
            "`_private`, `fromscratch.nothing_here`, `solver=\"qr\"`")
    assert library_names(text) == ["LinearRegression", "fromscratch.optim.Adam", "Tanh"]


def _chapter_with(figure="a figure", check_passes=True, math=True, code=True):
    ch = Chapter("x", "X")
    ch.heading("The section")
    ch.text("Prose" + (" with $x^2$." if math else ".") + (" `LinearRegression`" if code else ""))
    if figure:
        from matplotlib.figure import Figure

        ch.figure(Figure(), figure)
    ch.check("the check", "ref", 0.0 if check_passes else 2.0, 1.0)
    ch.heading("The next section")
    ch.text("Elsewhere, $y$ and `Ridge`.")
    return ch


@pytest.mark.parametrize("broken", ["figure", "check_passes", "math", "code", "section"])
def test_a_topic_missing_any_of_the_four_parts_is_incomplete(broken):
    where = {"section": "The section", "figure": "a figure", "check": "the check"}
    assert topic_status(TOPICS[0], where, _chapter_with()).complete
    if broken == "section":
        status = topic_status(TOPICS[0], {**where, "section": "Absent"}, _chapter_with())
    else:
        status = topic_status(TOPICS[0], where, _chapter_with(**{
            broken: None if broken == "figure" else False}))
    assert not status.complete


def test_the_introduction_alone_passes_and_marks_the_other_chapters_not_run(tmp_path):
    path, outcomes = run_tour(tmp_path, ["intro"], quick=True, progress=False)
    (intro,) = outcomes
    assert intro.error is None, intro.error
    assert [c.status for c in intro.chapter.checks] == ["pass", "pass", "pass"]
    (table,) = [b for b in intro.chapter.blocks
                if b.kind == "table" and b.caption == "The curriculum"]
    assert sum(row[3] == "not run" for row in table.payload[1]) == 55  # all but A1, A2


def test_the_introduction_lists_every_exercise_by_chapter_and_says_how_to_start():
    """The section is generated from the registry: one row per chapter with exercises, each
    exercise's title, topic and name in its chapter's row, the notebook that ends with them."""
    from fromscratch import exercises

    ch = Chapter("intro", "Introduction")
    ch_intro._exercises(ch)
    headings = [b.payload for b in ch.blocks if b.kind == "heading"]
    assert headings == [ch_intro.HEADING_EXERCISES]
    text = "\n".join(b.payload for b in ch.blocks if b.kind == "text")
    for command in ("list", "start NAME", "check NAME", "hint NAME"):
        assert f"`fromscratch exercises {command}`" in text
    assert f"The chapter *{CHAPTERS[chapter_names().index('exercises')].title}*, " in text
    assert f"Each of the {len(exercises.all())} is" in text
    (table,) = [b for b in ch.blocks if b.kind == "table"]
    columns, rows = table.payload
    letters = sorted({e.chapter[0] for e in exercises.all()})
    assert [row[0].split(".")[0] for row in rows] == letters
    notebook_of = {t.id: t.notebook for t in TOPICS}
    for exercise in exercises.all():
        (row,) = [r for r in rows if r[0].startswith(f"{exercise.chapter[0]}. ")]
        assert f"{exercise.title} ({exercise.chapter}, `{exercise.name}`)" in row[1]
        assert row[2] == notebook_of[exercise.chapter]
    assert sum(row[1].count("`") // 2 for row in rows) == len(exercises.all())


def test_every_topic_is_taught_with_all_four_parts(whole_tour):
    _, outcomes = whole_tour
    assert all(o.error is None for o in outcomes.values()), [
        (slug, o.error[-400:]) for slug, o in outcomes.items() if o.error]
    intro = outcomes["intro"].chapter
    (summary,) = [c for c in intro.checks if c.what == "topics without all four parts"]
    assert summary.passed, f"incomplete topics: {summary.detail}"
    assert all(o.ok for o in outcomes.values()), [s for s, o in outcomes.items() if not o.ok]


def test_the_topic_table_is_in_the_report(whole_tour):
    path, _ = whole_tour
    page = path.read_text(encoding="utf-8")
    assert "The curriculum, topic by topic" in page
    assert ch_intro.HEADING_EXERCISES in page
    for topic in TOPICS:
        assert f"<td>{topic.id}</td>" in page


def _notebook_sections(name: str) -> dict[str, list[dict]]:
    """The cells of each ``## ... (ID)`` section of a notebook, by topic id (a cell belongs to
    the section of the last ``## `` heading at or before its first line)."""
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    sections: dict[str, list[dict]] = {}
    current = None
    for cell in cells:
        lines = "".join(cell["source"]).splitlines()
        headings = [line for line in lines if line.startswith("## ")] if (
            cell["cell_type"] == "markdown") else []
        if headings and lines[0].startswith("## "):
            current = _topic_id(headings[0])
        if current:
            sections.setdefault(current, []).append(cell)
        for heading in headings[1:] if lines and lines[0].startswith("## ") else headings:
            current = _topic_id(heading)
            if current:
                sections.setdefault(current, []).append(cell)
    return sections


def _topic_id(heading: str) -> str | None:
    match = re.search(r"\((\w\d+)\)\s*$", heading)
    return match.group(1) if match else None


def _library_names_imported(name: str) -> set[str]:
    """The names a notebook binds to fromscratch objects by its import statements."""
    import ast

    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    names = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "\n".join(line for line in "".join(cell["source"]).splitlines()
                           if not line.startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fromscratch"):
                names |= {alias.asname or alias.name for alias in node.names}
            elif isinstance(node, ast.Import):
                names |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                          if alias.name.startswith("fromscratch")}
    return names


@pytest.mark.parametrize("topic", [t for t in TOPICS if t.notebook], ids=lambda t: t.id)
def test_every_topic_has_its_notebook_section_with_the_four_parts(topic):
    sections = _notebook_sections(topic.notebook)
    assert topic.id in sections, f"{topic.notebook} has no '## ... ({topic.id})' section"
    cells = sections[topic.id]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "$" in markdown, "no mathematics in the narrative"
    library = _library_names_imported(topic.notebook)
    used = {name for name in re.findall(r"\b\w+\b", code) if name in library}
    assert used, f"no library code (the notebook imports {sorted(library)} from fromscratch)"
    assert re.search(r"plot|fig|plt\.|imshow|ax\.", code), "no figure"
    assert "assert" in code, "no check"
