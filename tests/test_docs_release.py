"""The release files: ``python -m build`` makes a wheel that holds the package and nothing else
(no tests, notebooks or caches) and an sdist with the package and its test suite, and both
carry the version and metadata the package declares.

The files are built here without build isolation (from the installed setuptools, no network),
unless ``FROMSCRATCH_DIST=<folder>`` names the wheel and sdist that CI built with
``python -m build`` (then these tests check the files that CI installs and ``twine check``\\s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import fromscratch

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fromscratch"
CACHES = ("__pycache__", ".pyc", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    folder = os.environ.get("FROMSCRATCH_DIST")
    if folder:
        out = Path(folder)
    else:
        pytest.importorskip("build")
        out = tmp_path_factory.mktemp("dist")
        run = subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
            capture_output=True, text=True, check=False,
        )
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


def package_files() -> set[str]:
    """The package's source files, as a wheel names them."""
    return {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and not any(cache in path.as_posix() for cache in CACHES)
    }


def test_the_wheel_holds_the_package_and_nothing_else(dist):
    names = set(zipfile.ZipFile(dist["wheel"]).namelist())
    info = f"fromscratch-{fromscratch.__version__}.dist-info/"
    assert {name for name in names if not name.startswith(info)} == package_files()
    assert "fromscratch/py.typed" in names
    assert not any(name.endswith(".ipynb") or name.startswith("tests/") for name in names)


def test_the_wheel_carries_the_declared_metadata(dist):
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        info = f"fromscratch-{fromscratch.__version__}.dist-info/"
        metadata = wheel.read(info + "METADATA").decode()
        entry_points = wheel.read(info + "entry_points.txt").decode()
    assert f"Version: {fromscratch.__version__}\n" in metadata
    assert "Requires-Dist: numpy" in metadata
    for extra in ("data", "dask", "test", "docs"):
        assert f"Provides-Extra: {extra}\n" in metadata
    assert "fromscratch = fromscratch.cli:main" in entry_points
    # The README is the long description, as PyPI shows it (twine check renders it).
    assert "Content-Type: text/markdown" in metadata and "## The from-scratch rule" in metadata


def test_the_sdist_holds_package_and_tests_without_caches(dist):
    with tarfile.open(dist["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {f"src/{name}" for name in package_files()} <= names
    assert {"pyproject.toml", "README.md", "tests/conftest.py", "tests/test_docs_release.py",
            "tests/tolerance.py"} <= names
    assert not any(cache in name for name in names for cache in CACHES)
    assert not any(name.startswith(("docs/_build", ".venv", "build/")) for name in names)
