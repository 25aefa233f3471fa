"""The README describes the repository as it is: every path it names exists, its layout names
every package of the library, and CI runs its test command verbatim."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LIBRARY = ROOT / "src" / "fromscratch"

#: What the README's commands write, not files of the repository.
OUTPUTS = {"tour-out/index.html", "docs/_build/html/index.html"}

_PATH = re.compile(r"^[\w.*-]+(/[\w.*-]*)+$|^[\w*.-]+\.(py|ipynb|md|toml|cfg|txt|json|ya?ml)$")


def _prose(text: str) -> str:
    """The text outside fenced code blocks (commands there are checked by CI, not here)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def _named_paths(text: str) -> list[str]:
    return [token for token in re.findall(r"`([^`\n]+)`", _prose(text)) if _PATH.match(token)]


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.M | re.S)
    assert match, f"the README has no '## {title}' section"
    return match.group(1)


def _exists(path: str, bases: list[Path]) -> bool:
    return any(any(base.glob(path.rstrip("/"))) for base in bases)


def test_the_path_pattern_tells_paths_from_names():
    assert _named_paths("`src/fromscratch/` `x.py` `ch_*.py` `grad` `fit` `anp.sum` `2-D`") == [
        "src/fromscratch/", "x.py", "ch_*.py"]
    assert _named_paths("```bash\nls `a/b`\n```\n`c/d`") == ["c/d"]


def test_every_path_the_readme_names_exists():
    """Paths in prose are relative to the repository; in a layout row, a bare name (``report.py``)
    may also be relative to a folder named in that row's first cell."""
    layout_rows = [row for row in _section("Layout").splitlines() if row.startswith("| `")]
    missing = []
    for row in layout_rows:
        first, rest = row.split("|")[1], "|".join(row.split("|")[2:])
        bases = [ROOT, *(ROOT / p for p in _named_paths(first) if (ROOT / p).is_dir())]
        missing += [p for p in _named_paths(first) if not _exists(p, [ROOT])]
        missing += [p for p in _named_paths(rest) if not _exists(p, bases)]
    outside_layout = README.replace("\n".join(layout_rows), "")
    missing += [p for p in _named_paths(outside_layout)
                if p not in OUTPUTS and not _exists(p, [ROOT])]
    assert not missing, f"the README names paths that do not exist: {missing}"


def test_a_missing_path_is_caught():
    assert not _exists("tests/reference/", [ROOT])
    assert _exists("ch_*.py", [LIBRARY / "tour"])


def test_the_layout_names_every_package_and_public_module():
    layout = set(_named_paths(_section("Layout")))
    parts = [p for p in LIBRARY.iterdir()
             if not p.name.startswith("_")
             and ((p / "__init__.py").is_file() or p.suffix == ".py")]
    assert parts
    unnamed = sorted(p.name for p in parts
                     if f"src/fromscratch/{p.name}{'/' if p.is_dir() else ''}" not in layout)
    assert not unnamed, f"the README's layout does not describe {unnamed}"


@pytest.mark.parametrize("command", re.findall(r"^```bash\n(.*?)\n```", README, flags=re.M | re.S))
def test_the_readme_commands_are_the_set_up_lines(command):
    """The two set-up lines; CI runs the test command exactly as the README gives it."""
    assert command.startswith("python -m venv .venv && . .venv/bin/activate && pip install ")
    if "pytest" in command:
        assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
