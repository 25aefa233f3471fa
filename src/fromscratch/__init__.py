"""fromscratch: machine learning written from scratch on NumPy.

Every algorithm is readable like a textbook and verified against a trusted reference
(scikit-learn, PyTorch, statsmodels, closed forms, finite differences). Start with the tour::

    fromscratch tour --out tour-out

which writes ``tour-out/index.html``. Global settings (the threads of the optimizers) are
changed with :func:`set_config` / :func:`config_context` and read with :func:`get_config`.
"""

# The one source of the version: pyproject.toml reads it when a wheel is built
# ([tool.setuptools.dynamic]), and CHANGELOG.md's latest release must equal it. (The API
# reference describes __version__ for users: docs/_ext/fs_apiref.py, STANDARD_DATA.)
__version__ = "0.2.0"

__all__ = ["__version__", "save", "load", "set_config", "get_config", "config_context"]

#: Public names of submodules, imported on first use so that `import fromscratch` stays light.
_LAZY = {
    "save": "io",
    "load": "io",
    "set_config": "_config",
    "get_config": "_config",
    "config_context": "_config",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"fromscratch.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'fromscratch' has no attribute {name!r}")
