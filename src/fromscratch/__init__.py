"""fromscratch: machine learning written from scratch on NumPy.

Every algorithm is readable like a textbook and verified against a trusted reference
(scikit-learn, PyTorch, statsmodels, closed forms, finite differences). Start with the tour::

    fromscratch tour --out tour-out

which writes ``tour-out/index.html``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
