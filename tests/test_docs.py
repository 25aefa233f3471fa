"""The documentation's machinery, without building the site (seconds): the API pages generated
from ``__all__``, the references sent to them, dollar math in docstrings, the exercises page,
and the one build command that the README, CI and the configuration agree on.

The built site itself is checked by ``tests/test_docs_site.py``.
"""

from __future__ import annotations

import importlib
import inspect
import io
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_COMMAND = "python -m sphinx -W -b html docs docs/_build/html"

pytest.importorskip("sphinx")
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
fs_apiref = importlib.import_module("fs_apiref")
fs_build = importlib.import_module("fs_build")
fs_mathml = importlib.import_module("fs_mathml")
fs_pages = importlib.import_module("fs_pages")

from test_docs_site import public_all  # noqa: E402 - after the path to docs/_ext is set


@pytest.fixture(scope="module")
def api(tmp_path_factory) -> tuple[Path, dict[int, str]]:
    out = tmp_path_factory.mktemp("api")
    return out, fs_apiref.write_pages(out)


def summary_entries(page: Path) -> list[str]:
    """The names an autosummary table of a generated module page lists."""
    text = page.read_text(encoding="utf-8")
    table = text.split(".. autosummary::", 1)[1].split("\n\n", 2)[1] if ".. autosummary::" in \
        text else ""
    return [line.strip() for line in table.splitlines() if line.strip()]


def test_every_public_name_is_listed_and_documented_once(api):
    out, canonical = api
    pages = {path.stem for path in (out / "generated").glob("*.rst")}
    for module, name in public_all():
        obj = getattr(importlib.import_module(module), name)
        if inspect.ismodule(obj):
            assert f":mod:`{obj.__name__}`" in (out / f"{module}.rst").read_text(), (module, name)
            continue
        entries = summary_entries(out / f"{module}.rst")
        if name in entries:  # documented here: its own page
            assert f"{module}.{name}" in pages, f"{module}.{name} has no page"
        else:  # exported here, documented where it is defined: the table links there
            page = canonical[id(obj)]
            assert f"~{page.removeprefix(module + '.')}" in entries, f"{module}.{name}"
            assert page in pages


def test_a_re_exported_class_is_documented_where_users_import_it(api):
    out, canonical = api
    from fromscratch.optim import StepLR

    assert canonical[id(StepLR)] == "fromscratch.optim.StepLR"
    assert "~StepLR" not in summary_entries(out / "fromscratch.optim.rst")
    assert "~fromscratch.optim.StepLR" in summary_entries(
        out / "fromscratch.optim.lr_scheduler.rst")
    # a function named like its module is documented inside that module
    from fromscratch.optim import minimize

    assert canonical[id(minimize)] == "fromscratch.optim.minimize.minimize"


def test_pages_of_removed_names_are_deleted(api):
    out, _ = api
    stale = out / "generated" / "fromscratch.gone.rst"
    stale.write_text("gone\n====\n")
    fs_apiref.write_pages(out)
    assert not stale.exists()


@pytest.mark.parametrize(("written", "rewritten"), [
    # relative to the module that defines SGD, as Python would look the name up
    (":func:`sgd_update`", ":func:`sgd_update <fromscratch.optim.sgd.sgd_update>`"),
    # any public path of an object leads to its one page
    (":class:`~fromscratch.optim.lr_scheduler.StepLR`",
     ":class:`StepLR <fromscratch.optim.StepLR>`"),
    (":mod:`fromscratch.optim.lr_scheduler.decay`",
     ":mod:`fromscratch.optim.lr_scheduler.decay <fromscratch.optim.lr_scheduler.decay>`"),
])
def test_references_are_sent_to_the_documented_page(api, written, rewritten):
    _, canonical = api
    from fromscratch.optim import SGD

    lines = [f"See {written}."]
    fs_apiref.References(canonical)(None, "class", "fromscratch.optim.SGD", SGD, None, lines)
    assert lines == [f"See {rewritten}."]


def test_references_to_private_objects_become_code_and_typos_stay(api):
    _, canonical = api
    references = fs_apiref.References(canonical)
    from fromscratch.linear_model import Lasso

    lines = ["Solved by :mod:`_cd` (see :func:`~fromscratch._kernels.replaceable`); "
             ":func:`no_such_function`.",
             "Title :class:`Lasso`", "--------------------"]
    references(None, "class", "fromscratch.linear_model.Lasso", Lasso, None, lines)
    assert lines[0] == ("Solved by ``_cd`` (see ``fromscratch._kernels.replaceable``); "
                        ":func:`no_such_function`.")
    # the reference grew, so did the section's underline
    assert lines[1] == "Title :class:`Lasso <fromscratch.linear_model.Lasso>`"
    assert len(lines[2]) == len(lines[1])


def test_a_reference_broken_after_a_dot_is_joined(api):
    _, canonical = api
    from fromscratch.exercises import linear

    lines = ["The kernels :func:`~fromscratch.optim.textbook.",
             "    gradient_descent_update`), the update, and :func:`~fromscratch.linalg.",
             "qr_textbook`", "end."]
    fs_apiref.References(canonical)(None, "module", "fromscratch.exercises.linear", linear,
                                    None, lines)
    assert lines == [
        "The kernels :func:`gradient_descent_update "
        "<fromscratch.optim.textbook.gradient_descent_update>`),",
        "    the update, and :func:`qr_textbook <fromscratch.linalg.qr_textbook>`",
        "\\ ", "end."]


def test_dollar_math_in_docstrings_becomes_the_math_role():
    lines = [r"Products ($ab$ but not $a^2$), ``$HOME``, $\sum_i w_i$.", "costs 5$ and $3",
             r"$\mathrm{FPR} \le$ ``max_fpr``"]
    fs_mathml.dollar_math(None, "function", "f", None, None, lines)
    assert lines == [r"Products (:math:`ab` but not :math:`a^2`), ``$HOME``, :math:`\sum_i w_i`.",
                     "costs 5$ and $3", r":math:`\mathrm{FPR} \le` ``max_fpr``"]


def test_tex_operators_latex2mathml_lacks_are_rewritten():
    assert fs_mathml._OPERATORS.sub(r"\\operatorname{\1}", r"\arg\min_x \argmax") == (
        r"\operatorname{arg}\min_x \argmax")


def test_the_exercises_page_lists_every_exercise_with_its_kernel(api):
    _, canonical = api
    from fromscratch import exercises

    text = "\n".join(fs_pages.exercises_rst(canonical))
    private = 0
    for exercise in exercises.all():
        assert f"(``{exercise.name}``)" in text
        reference = exercise.reference
        if id(reference) in canonical:  # linked to its page
            assert f"<{canonical[id(reference)]}>`" in text
        else:  # a private kernel has no page: its path, as code
            private += 1
            assert f"``{reference.__module__}.{reference.__qualname__}``" in text
    assert 0 < private < len(exercises.all())
    chapters = {exercise.chapter[0] for exercise in exercises.all()}
    assert all(f"{letter}. {exercises.CHAPTERS[letter]}" in text for letter in chapters)


def test_every_notebook_is_on_the_site_without_touching_docs(tmp_path, monkeypatch):
    """The notebooks are found by a glob, never a list: one added to ``notebooks/`` (09, out
    of core) is copied, executed and listed by the curriculum page; a removed one disappears."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for stem in ("01_linear_regression", "09_out_of_core"):
        (notebooks / f"{stem}.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(fs_build, "NOTEBOOKS", notebooks)
    site = tmp_path / "docs"
    (site / "notebooks").mkdir(parents=True)
    (site / "notebooks" / "02_removed.ipynb").write_text("{}", encoding="utf-8")
    fs_build.copy_notebooks(site)
    assert sorted(p.name for p in (site / "notebooks").iterdir()) == [
        "01_linear_regression.ipynb", "09_out_of_core.ipynb"]
    toctree = (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8").split("{toctree}")[1]
    assert ":glob:" in toctree and "\nnotebooks/*\n" in toctree


def test_the_site_takes_a_tour_report_already_written(tmp_path):
    from sphinx.errors import ConfigError

    def app(fs_tour: str) -> types.SimpleNamespace:
        config = types.SimpleNamespace(fs_tour=fs_tour, fs_cache_dir=str(tmp_path / "cache"))
        return types.SimpleNamespace(config=config, builder=types.SimpleNamespace(format="html"),
                                     outdir=str(tmp_path / "site"))

    report = tmp_path / "wheel-tour" / "index.html"
    report.parent.mkdir()
    report.write_text("<html>the tour</html>", encoding="utf-8")
    given = app(str(report))
    fs_build.start_tour(given)
    assert given.fs_tour == (report, None)  # nothing is run
    (tmp_path / "site").mkdir()
    fs_build.finish_tour(given, None)
    assert (tmp_path / "site" / "tour" / "index.html").read_text() == "<html>the tour</html>"
    with pytest.raises(ConfigError, match="index.html of a tour"):
        fs_build.start_tour(app(str(tmp_path / "missing" / "index.html")))


def test_cli_help_is_the_parsers_own():
    text = fs_pages.cli_help(["exercises", "start"])
    assert text.startswith("usage: fromscratch exercises start")
    assert max(map(len, text.splitlines())) <= int(fs_pages.HELP_WIDTH)


def test_one_build_command_in_readme_ci_and_configuration():
    assert BUILD_COMMAND in (ROOT / "README.md").read_text(encoding="utf-8")
    assert BUILD_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert BUILD_COMMAND in (ROOT / "docs" / "conf.py").read_text(encoding="utf-8")


def test_constants_show_their_comment_and_undocumented_names_are_reported(tmp_path, monkeypatch):
    """A small Sphinx project with the site's extensions. A constant shows its ``#:`` comment,
    never its type's docstring (``int([x]) -> integer``); a public name without any is reported
    -- also with numpydoc, which ends every docstring, empty or not, with a comment."""
    from sphinx.application import Sphinx

    probe = types.ModuleType("fromscratch.probe")
    probe.LIMIT = 7
    monkeypatch.setitem(sys.modules, "fromscratch.probe", probe)
    (tmp_path / "conf.py").write_text(
        "extensions = ['sphinx.ext.autodoc', 'numpydoc', 'fs_apiref']\n"
        "exclude_patterns = ['api', '_build']\n", encoding="utf-8")
    (tmp_path / "index.rst").write_text(
        "Constants\n=========\n\n"
        ".. autodata:: fromscratch.linalg.BLOCK_SIZE\n\n"
        ".. autodata:: fromscratch.__version__\n\n"
        ".. autodata:: fromscratch.probe.LIMIT\n", encoding="utf-8")
    warnings = io.StringIO()
    Sphinx(str(tmp_path), str(tmp_path), str(tmp_path / "_build"),
           str(tmp_path / "_build" / ".doctrees"), "html", status=None,
           warning=warnings).build()
    page = (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")
    assert "Columns per panel" in page and "The version of the package" in page
    assert "integer" not in page
    reported = [line for line in warnings.getvalue().splitlines() if "has no docstring" in line]
    assert len(reported) == 1 and "fromscratch.probe.LIMIT" in reported[0], warnings.getvalue()
