"""What the site takes from outside ``docs/``: the notebooks, and the tour's report.

* The notebooks of ``notebooks/`` are copied into ``docs/notebooks/`` (generated, not in git)
  when the configuration is read, so myst-nb executes and renders the curriculum as it is now; a
  notebook added there appears on the site without touching ``docs/``.
* The tour (``fromscratch tour --quick``) is run into the cache, in the background while Sphinx
  works, and copied into the built site as ``tour/index.html`` (``fs_tour = "quick"``;
  ``-D fs_tour=off`` leaves it out; ``-D fs_tour=PATH/index.html`` takes a report already
  written, as CI does with the one the installed wheel wrote).
* ``-D fs_execute_only=STEM,...`` executes only the notebooks named (the tests' small build).

Executing the notebooks and running the tour take most of the build, so both are cached
**outside the repository**, in a folder named after a hash of the library's source (and of the
versions of Python and of :data:`REFERENCES`): a rebuild after editing only ``docs/`` reuses
them, and any change to ``src/fromscratch`` gives a new folder, so a cached output can never
come from other code than the one documented. (Notebooks are keyed by their own content by
jupyter-cache.) The cache lives in ``$FROMSCRATCH_DOCS_CACHE``, else
``$XDG_CACHE_HOME/fromscratch-docs`` (``~/.cache/fromscratch-docs``); only the folders of the
last few sources are kept.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "fromscratch"
NOTEBOOKS = ROOT / "notebooks"
CACHE_PREFIX = "src-"
#: Cache folders kept: the current source's and those of the last builds before it (another
#: checkout building at the same time keeps its own).
KEEP = 3
#: Packages whose version changes what the notebooks and the tour show.
REFERENCES = ("numpy", "matplotlib", "scikit-learn", "torch", "statsmodels", "pandas")


def cache_root() -> Path:
    if os.environ.get("FROMSCRATCH_DOCS_CACHE"):
        return Path(os.environ["FROMSCRATCH_DOCS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fromscratch-docs"


def source_hash() -> str:
    """A hash of the library's source and of the versions of what the notebooks run on."""
    digest = hashlib.sha256(platform.python_version().encode())
    for package in REFERENCES:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"\0{package}={version}".encode())
    for path in sorted(p for p in SOURCE.rglob("*") if p.is_file() and "__pycache__" not in
                       p.parts):
        digest.update(path.relative_to(SOURCE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """This source's cache folder (created); all but the :data:`KEEP` most recently used are
    removed."""
    root = cache_root()
    here = root / (CACHE_PREFIX + source_hash())
    here.mkdir(parents=True, exist_ok=True)
    os.utime(here)  # marks it as the most recently used
    folders = sorted((p for p in root.glob(CACHE_PREFIX + "*") if p.is_dir()),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
    return here


def copy_notebooks(srcdir: Path) -> None:
    target = srcdir / "notebooks"
    target.mkdir(exist_ok=True)
    wanted = {path.name: path for path in NOTEBOOKS.glob("*.ipynb")}
    for name, path in wanted.items():
        copy = target / name
        if not copy.exists() or copy.read_bytes() != path.read_bytes():
            shutil.copyfile(path, copy)
    for stale in target.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()


def execute_only(app, config) -> None:
    """``-D fs_execute_only=01_linear_regression,...``: execute these notebooks only (a quick
    build for the tests); the others are rendered without outputs."""
    keep = {stem.strip() for stem in config.fs_execute_only.split(",") if stem.strip()}
    if keep:
        config.nb_execution_excludepatterns = [
            f"notebooks/{path.name}" for path in NOTEBOOKS.glob("*.ipynb") if path.stem not in keep
        ]


def start_tour(app) -> None:
    """Start ``fromscratch tour --quick`` in the background unless the cache has its report: it
    runs on the second core while Sphinx reads the sources and executes the notebooks."""
    app.fs_tour = None
    if app.config.fs_tour == "off" or app.builder.format != "html":
        return
    if app.config.fs_tour != "quick":
        given = Path(app.config.fs_tour)
        if given.name != "index.html" or not given.is_file():
            raise ConfigError(f"fs_tour = {app.config.fs_tour!r}: give 'quick', 'off' or the "
                              "index.html of a tour's report")
        app.fs_tour = (given, None)
        return
    page = Path(app.config.fs_cache_dir) / "tour" / "index.html"
    if page.exists():
        app.fs_tour = (page, None)
        return
    partial = page.parent.with_name("tour-partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    logger.info("running fromscratch tour --quick in the background (cached in %s)", page.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    with open(partial / "run.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "fromscratch", "tour", "--quick", "--no-progress",
             "--out", str(partial)], env=env, stdout=log, stderr=subprocess.STDOUT)
    app.fs_tour = (page, process)


def finish_tour(app, exception) -> None:
    """Wait for the tour, keep its report in the cache, and copy it into the built site."""
    run = getattr(app, "fs_tour", None)
    if run is None:
        return
    page, process = run
    if process is not None:
        if exception is not None:  # the build failed: nothing to wait for
            process.kill()
            process.wait()
            return
        partial = page.parent.with_name("tour-partial")
        if process.wait() != 0:
            log = (partial / "run.log").read_text(encoding="utf-8", errors="replace")
            logger.warning("fromscratch tour --quick failed (exit %d):\n%s", process.returncode,
                           log[-6000:], type="fromscratch", subtype="tour")
            return
        (partial / "run.log").unlink()
        shutil.rmtree(page.parent, ignore_errors=True)
        partial.rename(page.parent)
    if exception is None:
        target = Path(app.outdir) / "tour"
        target.mkdir(exist_ok=True)
        shutil.copyfile(page, target / "index.html")


def setup(app):
    app.add_config_value("fs_tour", "quick", "env", types=frozenset({str}))
    app.add_config_value("fs_cache_dir", "", "", types=frozenset({str}))
    app.add_config_value("fs_execute_only", "", "env", types=frozenset({str}))
    app.connect("config-inited", lambda app, config: copy_notebooks(Path(app.srcdir)))
    app.connect("config-inited", execute_only)
    app.connect("builder-inited", start_tour)
    app.connect("build-finished", finish_tour)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
