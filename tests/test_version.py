"""One version everywhere: ``fromscratch.__version__`` is the source, and the package metadata,
``fromscratch --version`` and CHANGELOG.md's latest release agree with it."""

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import fromscratch

ROOT = Path(__file__).resolve().parents[1]
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
RELEASE = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\S+))?$", flags=re.M)
#: The section names Keep a Changelog allows under a release.
KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_the_version_is_a_release_number():
    assert re.fullmatch(r"\d+\.\d+\.\d+", fromscratch.__version__)


def test_pyproject_reads_the_version_from_the_package():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "fromscratch.__version__"}


def test_installed_metadata_agrees():
    """Compared only when the installed distribution is this checkout (an editable install of it,
    or the very files imported): another checkout's install carries its own version."""
    try:
        dist = metadata.distribution("fromscratch")
    except metadata.PackageNotFoundError:
        pytest.skip("fromscratch is not installed (imported from the source tree)")
    url = json.loads(dist.read_text("direct_url.json") or "{}")
    editable_here = (url.get("dir_info", {}).get("editable")
                     and Path(url["url"].removeprefix("file://")).resolve() == ROOT)
    imported = Path(fromscratch.__file__).resolve()
    installed_here = imported == Path(dist.locate_file("fromscratch/__init__.py")).resolve()
    if not (editable_here or installed_here):
        pytest.skip(f"the installed fromscratch is not this checkout ({url.get('url', dist)})")
    assert dist.version == fromscratch.__version__, (
        f"installed metadata says {dist.version}, the package {fromscratch.__version__}: "
        "reinstall (pip install -e .) after changing the version")


def test_the_command_prints_the_version():
    done = subprocess.run([sys.executable, "-m", "fromscratch", "--version"],
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == f"fromscratch {fromscratch.__version__}"


def test_the_changelog_latest_release_is_this_version():
    releases = [m for m in RELEASE.finditer(CHANGELOG) if m["version"] != "Unreleased"]
    assert releases, "CHANGELOG.md lists no release"
    assert releases[0]["version"] == fromscratch.__version__


def test_the_changelog_is_keep_a_changelog():
    """Releases newest first, each dated YYYY-MM-DD, with only the standard kinds of change."""
    releases = [m for m in RELEASE.finditer(CHANGELOG) if m["version"] != "Unreleased"]
    versions = [_version_key(m["version"]) for m in releases]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", m["date"] or "") for m in releases)
    kinds = set(re.findall(r"^### (.+)$", CHANGELOG, flags=re.M))
    assert kinds <= KINDS, f"unknown sections: {kinds - KINDS}"
