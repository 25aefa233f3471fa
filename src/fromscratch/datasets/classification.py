r"""Synthetic classification data: 2-D shapes that a linear model cannot separate, Gaussian
blobs, and Guyon's high-dimensional design.

The shapes (moons, circles, spirals, XOR) are the standard tests for non-linear classifiers:
each has an exact noiseless form (points on arcs, circles or spirals; labels decided by a
quadrant), blurred by isotropic Gaussian noise of standard deviation ``noise`` added to the
coordinates. Where scikit-learn has the same generator, the parameter names, defaults and
geometry are scikit-learn's (``n_samples`` must be an int here, not a tuple).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from fromscratch._validation import check_array, check_random_state, check_scalar
from fromscratch.datasets._bunch import Bunch, DatasetInfo, make_bunch
from fromscratch.datasets._common import (
    SYNTHETIC_LICENCE,
    check_interval,
    check_n_samples,
    check_noise,
    shuffled,
    split_evenly,
)

__all__ = [
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_xor",
    "make_blobs",
    "make_classification",
    "CLASSIFICATION_GENERATORS",
]

_SKLEARN = (
    "F. Pedregosa et al. (2011). Scikit-learn: Machine Learning in Python. JMLR 12, "
    "2825-2830 (the generator of the same name)."
)


def _info(name: str, summary: str, citation: str = _SKLEARN) -> DatasetInfo:
    return DatasetInfo(
        name=name, kind="synthetic", task="classification", summary=summary,
        source=f"fromscratch.datasets.make_{name}", citation=citation, licence=SYNTHETIC_LICENCE,
    )


MOONS = _info("moons", "Two interleaving half circles in the plane.")
CIRCLES = _info("circles", "A small circle inside a large one, in the plane.")
SPIRALS = _info(
    "spirals",
    "K interleaved spiral arms in the plane, one class per arm.",
    "K. J. Lang and M. J. Witbrock (1988). Learning to tell two spirals apart. Proceedings "
    "of the 1988 Connectionist Models Summer School, 52-59.",
)
XOR = _info(
    "xor",
    "Points uniform on the square [-1, 1]²; the class is 1 where the two coordinates have "
    "opposite signs (the XOR of their signs).",
    "M. Minsky and S. Papert (1969). Perceptrons. MIT Press.",
)
BLOBS = _info("blobs", "Isotropic Gaussian clusters, one class per cluster.")
CLASSIFICATION = _info(
    "classification",
    "Gaussian clusters on the vertices of a hypercube in the informative features, plus "
    "redundant (linear combinations), repeated and pure-noise features, and label noise.",
    "I. Guyon (2003). Design of experiments for the NIPS 2003 variable selection benchmark.",
)


def _n_classes(n_classes: Any) -> int:
    return int(check_scalar(n_classes, "n_classes", kind=int, min_val=2))


def _shape_bunch(
    info: DatasetInfo,
    X: np.ndarray,
    y: np.ndarray,
    *,
    noise: float,
    shuffle: bool,
    rng: np.random.Generator,
    target_names: list[str],
    **extra: Any,
) -> Bunch:
    """Optionally shuffle the rows, add coordinate noise, and wrap a 2-D shape data set."""
    if shuffle:
        X, y = shuffled(rng, X, y)
    X = X + noise * rng.standard_normal(X.shape)
    return make_bunch(
        info, X, y.astype(np.int64), feature_names=["x0", "x1"], target_name="class",
        target_names=target_names, noise=noise, **extra,
    )


def _check_bool(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {type(value).__name__} {value!r}.")
    return bool(value)


def make_moons(
    n_samples: int = 100,
    *,
    shuffle: bool = True,
    noise: float | None = None,
    random_state: int | np.random.Generator | None = None,
) -> Bunch:
    r"""Two interleaving half circles (scikit-learn's geometry).

    Class 0 lies on the upper unit half circle, class 1 on the lower one, shifted:

    .. math:: \text{class 0: } (\cos t, \sin t), \qquad
              \text{class 1: } (1 - \cos t, \tfrac12 - \sin t), \qquad t \in [0, \pi],

    with ``n_samples // 2`` evenly spaced values of t for class 0 and the rest for class 1.

    Parameters
    ----------
    n_samples : int, default 100
    shuffle : bool, default True
        Shuffle the rows (otherwise class 0 comes first).
    noise : float or None, default None
        Standard deviation of the Gaussian noise added to each coordinate (None means 0).
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    Bunch
        ``X`` (n, 2) float64, ``y`` (n,) int64 in {0, 1}, ``target_names``, ``noise``.
    """
    n_samples = check_n_samples(n_samples)
    shuffle = _check_bool(shuffle, "shuffle")
    sigma = check_noise(noise)
    rng = check_random_state(random_state)
    n_upper, n_lower = split_evenly(n_samples, 2)[::-1]  # the upper moon gets n // 2 points
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    X = np.concatenate([
        np.column_stack([np.cos(t_upper), np.sin(t_upper)]),
        np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)]),
    ])
    y = np.repeat([0, 1], [n_upper, n_lower])
    return _shape_bunch(
        MOONS, X, y, noise=sigma, shuffle=shuffle, rng=rng,
        target_names=["upper moon", "lower moon"],
    )


def make_circles(
    n_samples: int = 100,
    *,
    shuffle: bool = True,
    noise: float | None = None,
    random_state: int | np.random.Generator | None = None,
    factor: float = 0.8,
) -> Bunch:
    r"""A small circle inside a large one (scikit-learn's geometry).

    Class 0 (``n_samples // 2`` points) is the unit circle, class 1 the circle of radius
    ``factor``, each with evenly spaced angles :math:`2\pi k / m`, :math:`k = 0, …, m-1`.

    Parameters
    ----------
    n_samples : int, default 100
    shuffle : bool, default True
    noise : float or None, default None
        Standard deviation of the Gaussian noise added to each coordinate (None means 0).
    random_state : None, int or numpy.random.Generator
    factor : float, default 0.8
        Radius of the inner circle, in [0, 1).

    Returns
    -------
    Bunch
        ``X`` (n, 2), ``y`` (n,) int64 in {0 (outer), 1 (inner)}, ``factor``, ``noise``.
    """
    n_samples = check_n_samples(n_samples)
    shuffle = _check_bool(shuffle, "shuffle")
    sigma = check_noise(noise)
    factor = float(check_scalar(factor, "factor", min_val=0.0, max_val=1.0, include_max=False))
    rng = check_random_state(random_state)
    n_outer, n_inner = split_evenly(n_samples, 2)[::-1]

    def circle(m: int, radius: float) -> np.ndarray:
        angle = np.linspace(0.0, 2.0 * np.pi, m, endpoint=False)
        return radius * np.column_stack([np.cos(angle), np.sin(angle)])

    X = np.concatenate([circle(n_outer, 1.0), circle(n_inner, factor)])
    y = np.repeat([0, 1], [n_outer, n_inner])
    return _shape_bunch(
        CIRCLES, X, y, noise=sigma, shuffle=shuffle, rng=rng,
        target_names=["outer circle", "inner circle"], factor=factor,
    )


def make_spirals(
    n_samples: int = 100,
    *,
    n_classes: int = 2,
    turns: float = 1.0,
    noise: float | None = 0.0,
    shuffle: bool = True,
    random_state: int | np.random.Generator | None = None,
) -> Bunch:
    r"""K interleaved spiral arms, one class per arm.

    Arm k (k = 0, …, K−1) holds :math:`m_k` points at evenly spaced
    :math:`t = 1/m_k, 2/m_k, …, 1`, at radius t and angle

    .. math:: \theta_k(t) = 2\pi\left(\tau t + \frac{k}{K}\right),
              \qquad x = t\,(\cos\theta_k(t), \sin\theta_k(t)),

    where τ (``turns``) is the number of turns an arm makes from the centre to radius 1. The
    arms are rotated copies of each other; t starts above 0 so that no two classes share the
    centre point.

    Parameters
    ----------
    n_samples : int, default 100
        Shared among the arms as evenly as possible.
    n_classes : int, default 2
        Number of arms K ≥ 2.
    turns : float, default 1.0
        τ > 0.
    noise : float, default 0.0
        Standard deviation of the Gaussian noise added to each coordinate.
    shuffle : bool, default True
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    Bunch
        ``X`` (n, 2), ``y`` (n,) int64 in {0, …, K−1}, ``turns``, ``noise``.
    """
    n_samples = check_n_samples(n_samples)
    K = _n_classes(n_classes)
    turns = float(check_scalar(turns, "turns", min_val=0.0, include_min=False))
    sigma = check_noise(noise)
    shuffle = _check_bool(shuffle, "shuffle")
    rng = check_random_state(random_state)
    sizes = split_evenly(n_samples, K)
    t = np.concatenate([np.arange(1, m + 1) / m for m in sizes])
    y = np.repeat(np.arange(K), sizes)
    theta = 2.0 * np.pi * (turns * t + y / K)
    X = t[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _shape_bunch(
        SPIRALS, X, y, noise=sigma, shuffle=shuffle, rng=rng,
        target_names=[f"arm {k}" for k in range(K)], turns=turns,
    )


def make_xor(
    n_samples: int = 100,
    *,
    noise: float | None = 0.0,
    random_state: int | np.random.Generator | None = None,
) -> Bunch:
    r"""The XOR problem: no straight line separates the two classes.

    .. math:: x \sim \mathcal U([-1, 1]^2), \qquad
              y = [x_0 > 0] \oplus [x_1 > 0] = [x_0 x_1 < 0],

    then Gaussian noise of standard deviation ``noise`` is added to the coordinates (the
    labels stay those of the noiseless points).

    Returns
    -------
    Bunch
        ``X`` (n, 2), ``y`` (n,) int64 in {0 (same signs), 1 (opposite signs)}, ``noise``.
    """
    n_samples = check_n_samples(n_samples)
    sigma = check_noise(noise)
    rng = check_random_state(random_state)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return _shape_bunch(
        XOR, X, y, noise=sigma, shuffle=False, rng=rng,
        target_names=["same signs", "opposite signs"],
    )


def make_blobs(
    n_samples: int = 100,
    n_features: int = 2,
    *,
    centers: int | np.ndarray | Sequence[Sequence[float]] | None = None,
    cluster_std: float | Sequence[float] = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    shuffle: bool = True,
    random_state: int | np.random.Generator | None = None,
) -> Bunch:
    r"""Isotropic Gaussian blobs, one class per blob (scikit-learn's parameters).

    Blob k has centre :math:`\mu_k` and standard deviation :math:`s_k`:
    :math:`x \sim \mathcal N(\mu_k, s_k^2 I)`. The samples are shared among the blobs as
    evenly as possible.

    Parameters
    ----------
    n_samples : int, default 100
    n_features : int, default 2
        Ignored when ``centers`` is an array (its columns give the dimension).
    centers : int or array-like of shape (k, n_features), optional
        The number of blobs (centres drawn uniformly from ``center_box``), or the centres
        themselves. Default: 3 random centres.
    cluster_std : float or array-like of shape (k,), default 1.0
    center_box : (float, float), default (-10, 10)
    shuffle : bool, default True
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    Bunch
        ``X`` (n, n_features), ``y`` (n,) int64 blob index, ``centers``, ``cluster_std``.
    """
    n_samples = check_n_samples(n_samples)
    shuffle = _check_bool(shuffle, "shuffle")
    rng = check_random_state(random_state)
    if centers is None or isinstance(centers, (int, np.integer)):
        k = int(check_scalar(3 if centers is None else centers, "centers", kind=int, min_val=1))
        d = int(check_scalar(n_features, "n_features", kind=int, min_val=1))
        low, high = check_interval(center_box, "center_box")
        mu = rng.uniform(low, high, size=(k, d))
    else:
        mu = check_array(centers, name="centers", dtype=np.float64)
        k, d = mu.shape
    if np.ndim(cluster_std) == 0:
        s = np.full(k, check_scalar(cluster_std, "cluster_std", min_val=0.0))
    else:
        s = check_array(cluster_std, name="cluster_std", ensure_2d=False, dtype=np.float64)
        if s.shape != (k,) or (s < 0).any():
            raise ValueError(
                f"cluster_std must be a number or one non-negative number per centre ({k}); "
                f"got {s.tolist()}."
            )
    sizes = split_evenly(n_samples, k)
    y = np.repeat(np.arange(k), sizes)
    X = mu[y] + s[y, None] * rng.standard_normal((n_samples, d))
    if shuffle:
        X, y = shuffled(rng, X, y)
    return make_bunch(
        BLOBS, X, y, feature_names=[f"x{j}" for j in range(d)], target_name="blob",
        target_names=[f"blob {c}" for c in range(k)], centers=mu, cluster_std=s,
    )


def _hypercube_vertices(n_vertices: int, dimension: int, rng: np.random.Generator) -> np.ndarray:
    """``n_vertices`` distinct random vertices of the unit hypercube {0, 1}^dimension.

    A vertex is the binary expansion of an integer code; distinct codes give distinct
    vertices. Only the first ``min(dimension, 30)`` coordinates come from the codes (so the
    codes fit in an int64); any further coordinates are random bits.
    """
    coded = min(dimension, 30)
    codes = rng.choice(2**coded, size=n_vertices, replace=False)
    bits = (codes[:, None] >> np.arange(coded)) & 1
    extra = rng.integers(0, 2, size=(n_vertices, dimension - coded))
    return np.hstack([bits, extra]).astype(np.float64)


def _class_weights(weights: Any, n_classes: int) -> np.ndarray:
    """Class proportions: ``n_classes`` non-negative numbers (normalised to sum 1), or
    ``n_classes - 1`` of them summing to at most 1 (the last class takes the rest)."""
    if weights is None:
        return np.full(n_classes, 1.0 / n_classes)
    w = check_array(weights, name="weights", ensure_2d=False, dtype=np.float64)
    if w.ndim != 1 or w.size not in (n_classes - 1, n_classes) or (w < 0).any():
        raise ValueError(
            f"weights must hold {n_classes} (or {n_classes - 1}) non-negative class "
            f"proportions; got {w.tolist()}."
        )
    if w.size == n_classes - 1:
        if w.sum() > 1.0:
            raise ValueError(
                f"weights for the first {n_classes - 1} classes sum to {w.sum():g} > 1; "
                "the last class would get a negative share."
            )
        return np.append(w, 1.0 - w.sum())
    if w.sum() == 0:
        raise ValueError("weights are all zero; at least one class needs a positive share.")
    return w / w.sum()


def _check_shift_or_scale(value: Any, name: str, n_features: int) -> float | np.ndarray | None:
    """``shift`` or ``scale``: None (drawn at random later), a number, or one per feature."""
    if value is None:
        return None
    if np.ndim(value) == 0:
        return float(check_scalar(value, name))
    v = check_array(value, name=name, ensure_2d=False, dtype=np.float64)
    if v.shape != (n_features,):
        raise ValueError(f"{name} must be a number or have {n_features} entries; got {v.shape}.")
    return v


def make_classification(
    n_samples: int = 100,
    n_features: int = 20,
    *,
    n_informative: int = 2,
    n_redundant: int = 2,
    n_repeated: int = 0,
    n_classes: int = 2,
    n_clusters_per_class: int = 2,
    weights: Sequence[float] | None = None,
    flip_y: float = 0.01,
    class_sep: float = 1.0,
    hypercube: bool = True,
    shift: float | Sequence[float] | np.ndarray | None = 0.0,
    scale: float | Sequence[float] | np.ndarray | None = 1.0,
    shuffle: bool = True,
    random_state: int | np.random.Generator | None = None,
    chunks: int | Sequence[int] | None = None,
) -> Bunch:
    r"""A random n-class problem in Guyon's design (as scikit-learn's ``make_classification``).

    1. **Clusters.** Each class is a mixture of ``n_clusters_per_class`` Gaussian clusters in
       the :math:`p` informative features. The cluster centres are distinct vertices of the
       hypercube :math:`\{-s, +s\}^p` with :math:`s` = ``class_sep`` (with
       ``hypercube=False`` they are then scaled by random factors, so they lie anywhere in
       the box). Around its centre :math:`\mu_c`, cluster c is
       :math:`x = A_c z + \mu_c` with :math:`z \sim \mathcal N(0, I_p)` and a random
       :math:`A_c` with entries uniform in [−1, 1] (so each cluster has its own covariance
       :math:`A_c A_c^\top`).
    2. **Redundant features** are random linear combinations of the informative ones,
       :math:`x_{\mathrm{red}} = x_{\mathrm{inf}} B` with :math:`B` uniform in [−1, 1]: they
       add columns, not information (the matrix :math:`[x_{\mathrm{inf}}, x_{\mathrm{red}}]`
       has rank p).
    3. **Repeated features** are copies of randomly chosen informative or redundant ones.
    4. The remaining features are pure noise :math:`\mathcal N(0, 1)`.
    5. **Label noise:** each label is, with probability ``flip_y``, replaced by a class drawn
       uniformly from all K classes — so a fraction of about
       :math:`\text{flip\_y}\,(K-1)/K` of the labels actually changes.
    6. ``X`` is then shifted and scaled, :math:`x \leftarrow (x + \text{shift})\,\text{scale}`,
       and, with ``shuffle``, its rows and columns are permuted.

    Parameters
    ----------
    n_samples : int, default 100
    n_features : int, default 20
        Total number of features; at least ``n_informative + n_redundant + n_repeated``.
    n_informative : int, default 2
        p ≥ 1. Must satisfy :math:`K \cdot \text{n\_clusters\_per\_class} \le 2^p`.
    n_redundant, n_repeated : int, default 2 and 0
    n_classes : int, default 2
        K ≥ 2.
    n_clusters_per_class : int, default 2
    weights : array-like, optional
        Class proportions (K numbers, normalised; or K − 1, the last class taking the rest).
        Default: balanced.
    flip_y : float, default 0.01
        Fraction of labels re-drawn at random, in [0, 1].
    class_sep : float, default 1.0
        Half the side of the hypercube, s ≥ 0; larger is easier.
    hypercube : bool, default True
    shift : float, array of shape (n_features,) or None, default 0.0
        None draws a shift per feature uniformly from [−class_sep, class_sep].
    scale : float, array of shape (n_features,) or None, default 1.0
        None draws a scale per feature uniformly from [1, 101].
    shuffle : bool, default True
    random_state : None, int or numpy.random.Generator
    chunks : int or sequence of int, optional
        Return **lazy** Dask arrays of row blocks of these sizes (an int: rows per block),
        generated block by block when computed (needs ``fromscratch[dask]``): data of any
        size. The clusters, their covariances and the redundant, repeated, shifted and
        scaled columns are drawn once from ``random_state``; each block's rows from its own
        seed derived from it (:func:`fromscratch.blocks.block_seeds`), so the data are the
        same on every compute and on any scheduler. A row's cluster is then drawn with the
        class proportions (the class counts are random, not exact), and the rows need no
        shuffle; the numbers differ from ``chunks=None``.

    Returns
    -------
    Bunch
        ``X`` (n, n_features) float64; ``y`` (n,) int64 (after label noise); ``y_clean``
        (the cluster's class, before label noise); ``feature_names`` naming each column's
        role: ``informative_j``, ``redundant_j``, ``repeated_j`` or ``noise_j``.
    """
    n_samples = check_n_samples(n_samples)
    n_features = int(check_scalar(n_features, "n_features", kind=int, min_val=1))
    p = int(check_scalar(n_informative, "n_informative", kind=int, min_val=1))
    n_red = int(check_scalar(n_redundant, "n_redundant", kind=int, min_val=0))
    n_rep = int(check_scalar(n_repeated, "n_repeated", kind=int, min_val=0))
    K = _n_classes(n_classes)
    per_class = int(check_scalar(n_clusters_per_class, "n_clusters_per_class", kind=int,
                                 min_val=1))
    flip_y = float(check_scalar(flip_y, "flip_y", min_val=0.0, max_val=1.0))
    class_sep = float(check_scalar(class_sep, "class_sep", min_val=0.0))
    hypercube = _check_bool(hypercube, "hypercube")
    shuffle = _check_bool(shuffle, "shuffle")
    shift = _check_shift_or_scale(shift, "shift", n_features)
    scale = _check_shift_or_scale(scale, "scale", n_features)
    rng = check_random_state(random_state)
    if p + n_red + n_rep > n_features:
        raise ValueError(
            f"n_informative + n_redundant + n_repeated = {p + n_red + n_rep} must be at most "
            f"n_features = {n_features}."
        )
    n_clusters = K * per_class
    if n_clusters > 2**p:
        raise ValueError(
            f"n_classes * n_clusters_per_class = {n_clusters} clusters need distinct "
            f"hypercube vertices, but n_informative = {p} gives only 2**{p} = {2**p}; raise "
            "n_informative or lower n_classes or n_clusters_per_class."
        )
    proportions = _class_weights(weights, K)

    # 1. Cluster c belongs to class c % K; the class's share is split among its clusters.
    cluster_class = np.arange(n_clusters) % K
    centroids = (2.0 * _hypercube_vertices(n_clusters, p, rng) - 1.0) * class_sep
    if not hypercube:
        centroids *= rng.uniform(size=(n_clusters, 1))
        centroids *= rng.uniform(size=(1, p))
    if chunks is not None:
        return _lazy_classification(
            rng, n_samples, chunks, p, n_red, n_rep, n_features, K, cluster_class, centroids,
            proportions, flip_y, class_sep, shift, scale, shuffle,
        )
    sizes = (n_samples * proportions[cluster_class] / per_class).astype(np.int64)
    # Rounding down left fewer than n_clusters samples over: one more for the first clusters.
    sizes[: n_samples - sizes.sum()] += 1
    cluster = np.repeat(np.arange(n_clusters), sizes)  # rows are grouped by cluster
    Z = rng.standard_normal((n_samples, p))
    A = rng.uniform(-1.0, 1.0, size=(n_clusters, p, p))
    X_inf = _clusters(Z, cluster, A, centroids)

    # 2.-4. Redundant, repeated and noise columns.
    B = rng.uniform(-1.0, 1.0, size=(p, n_red))
    repeated = rng.integers(0, p + n_red, size=n_rep)
    n_noise = n_features - p - n_red - n_rep
    X = _more_columns(X_inf, B, repeated, rng.standard_normal((n_samples, n_noise)))
    names = _column_names(p, n_red, n_rep, n_noise)

    # 5. Label noise.
    y_clean = cluster_class[cluster].astype(np.int64)
    y = _flip_labels(y_clean, flip_y, K, rng)

    # 6. Shift, scale, shuffle.
    shift, scale = _draw_shift_scale(shift, scale, class_sep, n_features, rng)
    X = (X + shift) * scale
    if shuffle:
        X, y, y_clean = shuffled(rng, X, y, y_clean)
        columns = rng.permutation(n_features)
        X = X[:, columns]
        names = [names[j] for j in columns]
    return make_bunch(
        CLASSIFICATION, X, y, feature_names=names, target_name="class",
        target_names=[f"class {c}" for c in range(K)], y_clean=y_clean, flip_y=flip_y,
    )


def _clusters(Z: np.ndarray, cluster: np.ndarray, A: np.ndarray, centroids: np.ndarray
              ) -> np.ndarray:
    r"""The informative features :math:`x_i = z_i A_{c_i} + \mu_{c_i}`, one product per
    cluster."""
    X_inf = np.empty_like(Z)
    for c in np.unique(cluster):
        rows = cluster == c
        X_inf[rows] = Z[rows] @ A[c] + centroids[c]
    return X_inf


def _more_columns(X_inf: np.ndarray, B: np.ndarray, repeated: np.ndarray,
                  noise: np.ndarray) -> np.ndarray:
    """Append the redundant (:math:`x_{inf}B`), repeated and pure-noise columns."""
    X_useful = np.hstack([X_inf, X_inf @ B])
    return np.hstack([X_useful, X_useful[:, repeated], noise])


def _column_names(p: int, n_red: int, n_rep: int, n_noise: int) -> list[str]:
    return ([f"informative_{j}" for j in range(p)] + [f"redundant_{j}" for j in range(n_red)]
            + [f"repeated_{j}" for j in range(n_rep)] + [f"noise_{j}" for j in range(n_noise)])


def _flip_labels(y_clean: np.ndarray, flip_y: float, K: int, rng: np.random.Generator
                 ) -> np.ndarray:
    """Each label re-drawn uniformly from the K classes with probability ``flip_y``."""
    y = y_clean.copy()
    redrawn = rng.uniform(size=y.size) < flip_y
    y[redrawn] = rng.integers(0, K, size=int(redrawn.sum()))
    return y


def _draw_shift_scale(shift: Any, scale: Any, class_sep: float, n_features: int,
                      rng: np.random.Generator) -> tuple[Any, Any]:
    if shift is None:
        shift = rng.uniform(-class_sep, class_sep, size=n_features)
    if scale is None:
        scale = 1.0 + 100.0 * rng.uniform(size=n_features)
    return shift, scale


def _lazy_classification(
    rng: np.random.Generator, n_samples: int, chunks: Any, p: int, n_red: int, n_rep: int,
    n_features: int, K: int, cluster_class: np.ndarray, centroids: np.ndarray,
    proportions: np.ndarray, flip_y: float, class_sep: float, shift: Any, scale: Any,
    shuffle: bool,
) -> Bunch:
    """:func:`make_classification` as lazy Dask arrays: the design drawn once, rows per block."""
    from fromscratch.blocks import lazy_rows, row_chunk_sizes

    n_clusters = centroids.shape[0]
    A = rng.uniform(-1.0, 1.0, size=(n_clusters, p, p))
    B = rng.uniform(-1.0, 1.0, size=(p, n_red))
    repeated = rng.integers(0, p + n_red, size=n_rep)
    n_noise = n_features - p - n_red - n_rep
    shift, scale = _draw_shift_scale(shift, scale, class_sep, n_features, rng)
    columns = rng.permutation(n_features) if shuffle else np.arange(n_features)
    # A cluster's probability: its class's share, split among the class's clusters.
    cluster_probability = proportions[cluster_class] / np.bincount(cluster_class, minlength=K
                                                                   )[cluster_class]

    def rows(block_rng: np.random.Generator, size: int) -> tuple[np.ndarray, ...]:
        cluster = block_rng.choice(n_clusters, size=size, p=cluster_probability)
        X_inf = _clusters(block_rng.standard_normal((size, p)), cluster, A, centroids)
        X = _more_columns(X_inf, B, repeated, block_rng.standard_normal((size, n_noise)))
        y_clean = cluster_class[cluster].astype(np.int64)
        y = _flip_labels(y_clean, flip_y, K, block_rng)
        return ((X + shift) * scale)[:, columns], y, y_clean

    X, y, y_clean = lazy_rows(rows, row_chunk_sizes(n_samples, chunks), rng,
                              shapes=[(n_features,), (), ()],
                              dtypes=[np.float64, np.int64, np.int64])
    names = _column_names(p, n_red, n_rep, n_noise)
    return make_bunch(
        CLASSIFICATION, X, y, feature_names=[names[j] for j in columns], target_name="class",
        target_names=[f"class {c}" for c in range(K)], y_clean=y_clean, flip_y=flip_y,
    )


#: name -> (generator, its DatasetInfo), for every synthetic classification data set.
CLASSIFICATION_GENERATORS: dict[str, tuple[Callable[..., Bunch], DatasetInfo]] = {
    MOONS.name: (make_moons, MOONS),
    CIRCLES.name: (make_circles, CIRCLES),
    SPIRALS.name: (make_spirals, SPIRALS),
    XOR.name: (make_xor, XOR),
    BLOBS.name: (make_blobs, BLOBS),
    CLASSIFICATION.name: (make_classification, CLASSIFICATION),
}
