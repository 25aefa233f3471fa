"""fromscratch: machine learning written from scratch on NumPy.

Every algorithm is readable like a textbook and verified against a trusted reference
(scikit-learn, PyTorch, statsmodels, closed forms, finite differences). Start with the tour::

    fromscratch tour --out tour-out

which writes ``tour-out/index.html``.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "save", "load"]


def __getattr__(name: str):
    # save/load are imported on first use so that `import fromscratch` stays light.
    if name in ("save", "load"):
        from fromscratch import io

        return getattr(io, name)
    raise AttributeError(f"module 'fromscratch' has no attribute {name!r}")
