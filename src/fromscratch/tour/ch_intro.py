"""Chapter: the introduction — what the project is, its rule, how to read the tour, the exercises
by chapter, and the table of every topic of the curriculum with where it is taught, its figure
and its check.

The topic table is filled in after every chapter has run (:func:`finalize`): it reads each
chapter module's ``TOPICS`` declaration and looks for the section, narrative, library code,
figure and passed check in that chapter's output (:mod:`fromscratch.tour.curriculum`)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

import numpy as np

from fromscratch.tour.curriculum import TOPICS as CURRICULUM
from fromscratch.tour.curriculum import topic_status

TITLE = "Introduction: machine learning you can prove"

HEADING_A1 = "Why build it yourself"
FIGURE_A1 = ("Three solvers of the library, one least-squares problem with a known answer: "
             "each solver's distance to the truth, and the bound it was predicted to meet.")
CHECK_A1 = "every solver within its predicted distance of the known answer"
HEADING_A2 = "The rule"
FIGURE_A2 = ("What is built from scratch: lines of code per package of fromscratch, every one "
             "of them NumPy array operations and Python.")
CHECK_A2 = "modules that import a library that solves the problem for us"

TOPICS = {
    "A1": {"section": HEADING_A1, "figure": FIGURE_A1, "check": CHECK_A1},
    "A2": {"section": HEADING_A2, "figure": FIGURE_A2, "check": CHECK_A2},
}

#: The packages that solve the problem for us: the references, never used by the library.
FORBIDDEN = ("numpy.linalg", "scipy", "sklearn", "torch", "jax", "jaxlib", "statsmodels",
             "dask.array.linalg", "dask_ml", "dask_glm")


def run(ch) -> None:
    _why(ch)
    _rule(ch)
    _how_to_read(ch)
    _exercises(ch)


def _why(ch) -> None:
    from fromscratch.datasets import make_linear
    from fromscratch.linear_model import LinearRegression
    from fromscratch.plot.intro import plot_distances

    ch.heading(HEADING_A1)
    ch.text(
        "Reading an algorithm gives the feeling of understanding; building it gives the proof. "
        "This project writes the machine learning a course teaches — least squares, ridge and "
        "the lasso, logistic regression, automatic differentiation, the optimizers of deep "
        "learning, neural networks — from NumPy array operations, and then **checks every "
        "answer** against something independent: a closed form, finite differences, another "
        "algorithm, and, in the test suite, scikit-learn, PyTorch and statsmodels number for "
        "number. A claim such as *the normal equations lose about twice as many digits as QR* "
        "is not a sentence here but a measurement with a stated tolerance, and every chapter "
        "ends with the table of its checks."
    )
    ch.text(
        "A first example. Data made without noise, $y = Xw^* + b^*$, have a known least-squares "
        "answer: $w^*$ itself. Three of the solvers of `LinearRegression` reach it by different "
        "roads — Householder QR (`solver=\"qr\"`), the normal equations solved by Cholesky "
        "(`solver=\"cholesky\"`) and gradient descent (`solver=\"gd\"`) — and the theory "
        "predicts how close each should land: QR within about $\\kappa(X)\\,\\varepsilon$ "
        "relative, the normal equations within $\\kappa(X)^2\\varepsilon$ (they square the "
        "condition number), gradient descent within what its stopping rule allows, "
        "$\\|w - \\hat w\\| \\le \\sqrt{p}\\,\\mathrm{tol}\\,/\\lambda_{\\min}(H)$ for "
        "$\\max_j |\\partial f/\\partial w_j| \\le \\mathrm{tol}$ and Hessian "
        "$H = X_c^\\top X_c/n$:"
    )
    n, p = (200, 5) if ch.quick else (2000, 8)
    data = make_linear(n, p, intercept=3.0, noise=0.0, correlation=0.6, random_state=0)
    X, y, w_true = data.X, data.y, data.coef
    Xc = X - X.mean(axis=0)
    smallest, largest = _extreme_eigenvalues(Xc.T @ Xc / n)  # of the Hessian H
    kappa = float(np.sqrt(largest / smallest))  # κ(X_c): singular values are √(nλ)
    eps = np.finfo(float).eps
    tol = 1e-9
    scale = float(np.max(np.abs(w_true)))
    # (solver's parameters, predicted relative distance to w*), with a factor 100 of safety
    routes = {
        "QR": (dict(solver="qr"), 100 * kappa * eps),
        "normal equations": (dict(solver="cholesky"), 100 * kappa**2 * eps),
        "gradient descent": (dict(solver="gd", learning_rate=1.0 / largest, max_iter=50_000,
                                  tol=tol), 100 * np.sqrt(p) * tol / smallest / scale),
    }
    distances, bounds = {}, {}
    for name, (params, bound) in routes.items():
        model = LinearRegression(**params).fit(X, y)
        distances[name] = float(np.max(np.abs(model.coef_ - w_true))) / scale
        bounds[name] = float(bound)
    ch.figure(plot_distances(distances, bounds), FIGURE_A1)
    ch.text(
        f"Here $\\kappa(X_c) = {kappa:.3g}$ and $\\varepsilon = 2.2\\times10^{{-16}}$; each "
        "bound carries a factor of 100 for the constants the estimates leave out. The check "
        "below passes when every solver lands within its own bound — and would fail if, say, "
        "gradient descent stopped early, or the QR solver quietly fell back to the normal "
        "equations on an ill-conditioned problem."
    )
    worst = max(distances[name] / bounds[name] for name in routes)
    ch.check(CHECK_A1, "the noiseless truth w*, each within its predicted bound",
             worst, 1.0, detail="largest distance / bound over " + ", ".join(routes))


def _extreme_eigenvalues(S: np.ndarray, iterations: int = 300) -> tuple[float, float]:
    r"""The smallest and largest eigenvalue of a symmetric positive definite matrix: power
    iteration on :math:`S` and on :math:`S^{-1}` (each step a Cholesky solve)."""
    from fromscratch.linalg import cho_solve, cholesky

    L = cholesky(S)
    v = u = np.random.default_rng(0).standard_normal(S.shape[0])
    largest = inverse_largest = 1.0
    for _ in range(iterations):
        v = S @ v
        largest = float(np.sqrt(v @ v))
        v = v / largest
        u = cho_solve(L, u)
        inverse_largest = float(np.sqrt(u @ u))
        u = u / inverse_largest
    return 1.0 / inverse_largest, largest


def _source_files() -> list[Path]:
    package = Path(importlib.import_module("fromscratch").__file__).parent
    return sorted(package.rglob("*.py"))


def _forbidden_imports(source: str) -> list[str]:
    """The imports of ``source`` that name a forbidden package (``import``, ``from … import``,
    and attribute access ``….linalg`` on anything, as ``np.linalg``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute) and node.attr == "linalg":
            names = ["numpy.linalg"]
        else:
            continue
        found += [name for name in names
                  if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]
    return found


def _rule(ch) -> None:
    from fromscratch.plot.intro import plot_lines_per_package

    ch.heading(HEADING_A2)
    ch.text(
        "The algorithms here use NumPy **array operations** — elementwise arithmetic, "
        "reductions, indexing and matrix products — and nothing that solves the problem for "
        "them: no `numpy.linalg` (the QR factorization, the triangular and Cholesky solves, the "
        "eigenvalues are written here, in `fromscratch.linalg`), no SciPy, scikit-learn, "
        "PyTorch, JAX or statsmodels. Those packages are the **references**: the test suite and "
        "the benchmarks use them to prove the answers right and to measure the speed. matplotlib "
        "draws the figures, and Dask only moves blocks of data for the out-of-core estimators; "
        "every factorization and solver on them is ours."
    )
    ch.text(
        "The rule is checked, not promised: the chapter reads the syntax tree of every module of "
        "the installed package — an `import` anywhere, even inside a function, or an attribute "
        "such as `np.linalg`, counts. With $R$ the set of references, the claim is "
        "$\\mathrm{imports}(m) \\cap R = \\varnothing$ for every module $m$."
    )
    files = _source_files()
    root = Path(importlib.import_module("fromscratch").__file__).parent
    lines: dict[str, int] = {}
    offenders = []
    for path in files:
        source = path.read_text(encoding="utf-8")
        relative = path.relative_to(root)
        package = relative.parts[0] if len(relative.parts) > 1 else "(top level)"
        package = package.removesuffix(".py")
        lines[package] = lines.get(package, 0) + len(source.splitlines())
        if _forbidden_imports(source):
            offenders.append(str(relative))
    ch.figure(plot_lines_per_package(lines), FIGURE_A2)
    ch.check(CHECK_A2, f"none of the {len(files)} modules of the installed package",
             len(offenders), 0.0,
             detail=", ".join(offenders) if offenders else f"{sum(lines.values()):,} lines read")


def _how_to_read(ch) -> None:
    ch.heading("How to read the tour")
    ch.text(
        "Each chapter follows the curriculum's order. A section states the idea, derives its "
        "equations, runs the library's own code on real or synthetic data (the code you can "
        "call yourself: every name in `code` is public), draws the figure a learner would want "
        "to see, and records the checks; the chapter ends with its **verification table** — "
        "what was compared with what, how far apart, the tolerance and the result. The "
        "notebooks in `notebooks/` follow the same sections with the code in front of you."
    )
    ch.text(
        "`fromscratch tour --quick` runs every chapter on smaller data in about a minute; the "
        "full tour uses the full data sets and longer runs. `--chapter NAME` runs some "
        "chapters; `fromscratch exercises list` starts the exercises, where you write the "
        "algorithm and the same checks grade it."
    )


HEADING_EXERCISES = "Exercises: prove it yourself"


def _exercises(ch) -> None:
    """The exercises by chapter, from the registry: where to find them and how to start."""
    from fromscratch import exercises
    from fromscratch.tour.registry import CHAPTERS, chapter_names

    slugs = chapter_names()
    where = slugs.index("exercises")
    position = ("at the end of the tour" if where == len(slugs) - 1
                else f"after *{CHAPTERS[where - 1].title}*")
    notebooks = {topic.id: topic.notebook for topic in CURRICULUM}
    by_chapter: dict[str, list[exercises.Exercise]] = {}
    for exercise in exercises.all():
        by_chapter.setdefault(exercise.chapter[0], []).append(exercise)
    ch.heading(HEADING_EXERCISES)
    ch.text(
        "The tour shows the library proving itself; the exercises let you prove *yourself*. "
        f"Each of the {len(exercises.all())} is a small function a chapter teaches: you write "
        "its body, and the checks of this tour grade it — against the library's own function "
        "on fresh random inputs, by finite differences where it is a derivative, and inside "
        "the estimator, network or autodiff engine where the function belongs. Each builds "
        f"only on earlier ones. The chapter *{CHAPTERS[where].title}*, {position}, shows how "
        "grading works and proves that every grader passes the library's own function.\n\n"
        "- `fromscratch exercises list`: the exercises, each done, next or locked;\n"
        "- `fromscratch exercises start NAME` writes `exercises/NAME.py`: the signature, the "
        "docstring with the equations, and `raise NotImplementedError` for a body;\n"
        "- `fromscratch exercises check NAME` grades it, `fromscratch exercises hint NAME` "
        "gives one hint at a time;\n"
        "- in Python, `exercises.check(\"adam_update\", my_adam_update)`; and every notebook "
        "ends with its chapter's exercises, a cell to fill in for each."
    )
    rows = [[f"{letter}. {exercises.CHAPTERS[letter]}",
             "; ".join(f"{e.title} ({e.chapter}, `{e.name}`)" for e in chosen),
             notebooks[chosen[0].chapter]]
            for letter, chosen in by_chapter.items()]
    ch.table(["chapter", "what each exercise asks (topic, name)", "notebook"], rows,
             caption="The exercises by chapter of the curriculum")


def finalize(ch, outcomes: list[Any]) -> None:
    """After every chapter ran: the table of the curriculum's topics and where each is taught,
    with a check that every topic of the chapters that ran has all four parts."""
    from fromscratch.tour.registry import CHAPTERS

    chapters = {o.chapter.slug: o.chapter for o in outcomes}
    titles = {spec.slug: spec.title for spec in CHAPTERS}
    declared: dict[str, dict[str, str]] = {}
    for spec in CHAPTERS:
        declared.update(getattr(spec.load(), "TOPICS", {}))
    ch.heading("The curriculum, topic by topic")
    ch.text(
        "Every topic of the curriculum, the chapter and section that teach it, and what the "
        "section shows: a narrative with the mathematics, the library's own code, a figure and "
        "a check that passed (✓), each found in the chapter's output when this tour ran. A "
        "topic of a chapter that did not run (`--chapter`) is marked as such."
    )
    rows, incomplete, ran = [], [], 0
    for topic in CURRICULUM:
        chapter = chapters.get(topic.chapter)
        status = topic_status(topic, declared.get(topic.id), chapter)
        if chapter is None:
            rows.append([topic.id, topic.name, titles.get(topic.chapter, topic.chapter),
                         "not run", "", "", ""])
            continue
        ran += 1
        if not status.complete:
            incomplete.append(topic.id)
        rows.append([
            topic.id, topic.name,
            f"{titles[topic.chapter]}: {status.section or '—'}"
            + (f" (notebook {topic.notebook})" if topic.notebook else ""),
            _mark(status.narrative),
            status.library_code or "✗",
            _mark(status.figure is not None),
            _mark(status.check_passed is True),
        ])
    ch.table(["topic", "name", "where it is taught", "narrative", "library code", "figure",
              "check"], rows, caption="The curriculum")
    if ran:
        ch.check("topics without all four parts", f"the {ran} topics of the chapters that ran",
                 len(incomplete), 0.0, detail=", ".join(incomplete) or "none")


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"
