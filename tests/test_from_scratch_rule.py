"""The from-scratch rule as a test: nothing under src/ may use a library that solves the problem.

numpy.linalg, SciPy, scikit-learn, PyTorch, JAX and statsmodels are references; tests and
benchmarks use them, the library never does. The check reads the syntax tree of every module,
so an import inside a function, an aliased ``np.linalg`` or ``importlib.import_module("scipy")``
is caught as well as a top-level import.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "fromscratch"
FORBIDDEN = (
    "numpy.linalg", "scipy", "sklearn", "torch", "jax", "jaxlib", "statsmodels",
    # Dask may move and schedule blocks; its solvers are references, not ours
    "dask.array.linalg", "dask_ml", "dask_glm",
)


def _forbidden(module_name: str) -> bool:
    return any(module_name == f or module_name.startswith(f + ".") for f in FORBIDDEN)


def violations(source: str) -> list[str]:
    """Every use of a forbidden module in ``source``, as 'line: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute) and node.attr == "linalg":
            names = ["numpy.linalg"]  # np.linalg, numpy.linalg, xp.linalg: all forbidden
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in
            ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        found += [f"{node.lineno}: {name}" for name in names if _forbidden(name)]
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import scipy",
        "from sklearn.linear_model import Ridge",
        "import numpy as np\nx = np.linalg.solve",
        "from numpy.linalg import qr",
        "from numpy import linalg",
        "def f():\n    import torch",
        "import importlib\nimportlib.import_module('statsmodels.api')",
        "jax = __import__('jax')",
        "import dask.array as da\nda.linalg.tsqr",
        "from dask.array.linalg import lstsq",
        "from dask_ml.linear_model import LinearRegression",
        "import dask_glm.algorithms",
    ],
)
def test_the_checker_catches_each_form(source):
    assert violations(source), source


def test_the_checker_allows_numpy():
    assert violations("import numpy as np\nfrom numpy.random import default_rng\nnp.dot") == []


def test_the_checker_allows_dask_to_move_blocks():
    assert violations("import dask\nimport dask.array as da\nda.concatenate\ndask.delayed") == []


def test_src_uses_no_reference_library():
    modules = sorted(SRC.rglob("*.py"))
    assert modules, f"no modules found under {SRC}"
    problems = {
        str(path.relative_to(SRC)): v
        for path in modules
        if (v := violations(path.read_text(encoding="utf-8")))
    }
    assert problems == {}, f"the from-scratch rule is broken: {problems}"
