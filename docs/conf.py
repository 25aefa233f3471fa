"""Sphinx configuration of the fromscratch site.

Build it (warnings are errors: every public name documented, every cross-reference resolved)::

    python -m sphinx -W -b html docs docs/_build/html

The site works offline: the PyData theme ships its fonts and icons, nothing is loaded from a
CDN, and math is MathML converted at build time (``_ext/fs_mathml.py``), not MathJax. The API
reference is generated from the modules' ``__all__`` (``_ext/fs_apiref.py``); the notebooks
are executed at build time and cached outside the repository with the tour's report
(``_ext/fs_build.py``). ``-D nb_execution_mode=off -D fs_tour=off`` makes a quick build without
notebook outputs and tour.
"""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SOURCE = DOCS.parent / "src"
# The site documents this checkout, also in the notebooks' kernels (they inherit PYTHONPATH).
sys.path[:0] = [str(SOURCE), str(DOCS / "_ext")]
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE),
                                                         os.environ.get("PYTHONPATH")]))
# The notebooks show their figures with matplotlib's inline backend, as a learner's kernel does;
# a non-interactive MPLBACKEND (CI sets Agg) would leave them without pictures.
os.environ.pop("MPLBACKEND", None)

from fs_build import cache_dir  # noqa: E402

import fromscratch  # noqa: E402

project = "fromscratch"
author = "the fromscratch developers"
copyright = "the fromscratch developers"  # noqa: A001 - the name Sphinx reads
release = version = fromscratch.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",
    "fs_apiref",
    "fs_mathml",
    "fs_pages",
    "fs_build",
]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]
nitpicky = True
# Names of other libraries (no inventories are fetched: the build is offline): shown as code.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|scipy|sklearn|torch|statsmodels|matplotlib|dask|pandas|jax|tqdm"
               r"|PIL|latex2mathml|collections|typing|contextvars|argparse|pathlib|os|io"
               r"|json|dataclasses|concurrent|threading)(\..*)?"),
]

# API reference: numpydoc renders the sections; the class pages list their members themselves.
autosummary_generate = False
autodoc_typehints = "none"
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# Notebooks: executed at build time (cached by source, see _ext/fs_build.py), in a temporary
# folder so nothing they write lands in docs/.
fs_cache_dir = str(cache_dir())
nb_execution_mode = "cache"
nb_execution_cache_path = str(Path(fs_cache_dir) / "jupyter_cache")
nb_execution_in_temp = True
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget scripts from a CDN
myst_enable_extensions = ["dollarmath", "amsmath"]
# ``$$...$$`` inside a paragraph or a list item is display math, as Jupyter shows it.
myst_dmath_double_inline = True

# Offline: math as MathML, no external links in the navigation bar.
html_math_renderer = "mathml"
html_theme = "pydata_sphinx_theme"
html_title = f"fromscratch {release}"
html_static_path = ["_static"]
html_css_files = ["fromscratch.css"]
html_theme_options = {
    "icon_links": [],
    "navbar_end": ["theme-switcher"],
    "show_toc_level": 2,
    # The sidebar opens the current branch only: the reference has hundreds of pages.
    "collapse_navigation": True,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": [],
}
# Light or dark as the reader's system prefers (without it the theme logs an error on file://).
html_context = {"default_mode": "auto"}
html_sidebars = {page: [] for page in ("index", "getting_started", "tour", "exercises")}
html_show_sourcelink = False
html_copy_source = False
