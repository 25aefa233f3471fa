"""The lower bounds of the package's requirements are releases CI runs: ``.ci/lowest.txt``
pins each requirement of ``[project] dependencies`` and of the ``data`` extra to exactly the
release its lower bound names (CI installs the wheel with that file as constraints and runs the
quick tour)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*>=\s*(?P<low>[0-9.]+)")


def _release(version: str) -> tuple[int, ...]:
    """``2.0`` and ``2.0.0`` name the same release."""
    parts = [int(p) for p in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _lower_bounds(requirements: list[str]) -> dict[str, str]:
    bounds = {}
    for requirement in requirements:
        match = REQUIREMENT.match(requirement)
        assert match, f"{requirement!r} has no lower bound"
        bounds[match["name"].lower()] = match["low"]
    return bounds


def test_lowest_txt_pins_every_lower_bound_of_the_package_and_its_data_extra():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = _lower_bounds(project["dependencies"] + project["optional-dependencies"]["data"])
    pinned = {}
    for line in (ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            pinned[name.strip().lower()] = version.strip()
    assert pinned.keys() == wanted.keys()
    for name, low in wanted.items():
        assert _release(pinned[name]) == _release(low), name
