"""The classification generators: exact noiseless geometry (against scikit-learn where it has
the same generator), Guyon's design in make_classification, reproducibility, bad input."""

import numpy as np
import pytest
import sklearn.datasets

from fromscratch import datasets

SHAPES = [datasets.make_moons, datasets.make_circles, datasets.make_spirals, datasets.make_xor,
          datasets.make_blobs, datasets.make_classification]


@pytest.mark.parametrize("n", [1, 2, 7, 100])
def test_moons_without_noise_equal_sklearn_and_lie_on_their_arcs(n):
    ours = datasets.make_moons(n, shuffle=False, random_state=0)
    X_ref, y_ref = sklearn.datasets.make_moons(n, shuffle=False, noise=None)
    np.testing.assert_allclose(ours.X, X_ref, atol=1e-15)
    np.testing.assert_array_equal(ours.y, y_ref)
    upper, lower = ours.X[ours.y == 0], ours.X[ours.y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-15)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, rtol=1e-15)
    assert (upper[:, 1] >= 0).all() and (lower[:, 1] <= 0.5).all()


@pytest.mark.parametrize("n, factor", [(1, 0.5), (9, 0.3), (100, 0.8)])
def test_circles_without_noise_equal_sklearn_and_have_the_two_radii(n, factor):
    ours = datasets.make_circles(n, shuffle=False, factor=factor, random_state=0)
    X_ref, y_ref = sklearn.datasets.make_circles(n, shuffle=False, factor=factor)
    np.testing.assert_allclose(ours.X, X_ref, atol=1e-15)
    np.testing.assert_array_equal(ours.y, y_ref)
    radius = np.hypot(ours.X[:, 0], ours.X[:, 1])
    np.testing.assert_allclose(radius, np.where(ours.y == 0, 1.0, factor), rtol=1e-15)


def test_shuffle_permutes_rows_and_noise_has_the_requested_std():
    plain = datasets.make_moons(400, shuffle=False, random_state=0)
    shuffled = datasets.make_moons(400, random_state=0)
    order = np.lexsort((shuffled.X[:, 1], shuffled.X[:, 0], shuffled.y))
    reference = np.lexsort((plain.X[:, 1], plain.X[:, 0], plain.y))
    np.testing.assert_array_equal(shuffled.X[order], plain.X[reference])
    assert not np.array_equal(shuffled.y, plain.y)
    n, sigma = 20_000, 0.2
    noisy = datasets.make_circles(n, shuffle=False, noise=sigma, random_state=1)
    clean = datasets.make_circles(n, shuffle=False, random_state=1)
    displacement = (noisy.X - clean.X).ravel()
    assert displacement.std() == pytest.approx(sigma, rel=4 / np.sqrt(2 * displacement.size))


@pytest.mark.parametrize("n_classes, turns, n", [(2, 1.0, 100), (3, 1.5, 301), (5, 0.5, 7)])
def test_spirals_without_noise_lie_on_their_arms(n_classes, turns, n):
    data = datasets.make_spirals(n, n_classes=n_classes, turns=turns, random_state=0)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    assert (radius > 0).all() and radius.max() == pytest.approx(1.0)
    # The point at radius t on arm k has angle 2π(τt + k/K), modulo 2π.
    expected = 2 * np.pi * (turns * radius + data.y / n_classes)
    angle_error = np.angle(np.exp(1j * (np.arctan2(data.X[:, 1], data.X[:, 0]) - expected)))
    np.testing.assert_allclose(angle_error, 0.0, atol=1e-12)
    sizes = np.bincount(data.y, minlength=n_classes)
    assert sizes.sum() == n and sizes.max() - sizes.min() <= 1
    assert data.target_names == [f"arm {k}" for k in range(n_classes)]


def test_xor_labels_are_the_xor_of_the_signs():
    data = datasets.make_xor(2_000, random_state=0)
    x0, x1 = data.X.T
    np.testing.assert_array_equal(data.y, np.logical_xor(x0 > 0, x1 > 0).astype(int))
    assert np.abs(data.X).max() <= 1.0
    assert abs(data.y.mean() - 0.5) < 4 * 0.5 / np.sqrt(2_000)
    noisy = datasets.make_xor(2_000, noise=0.3, random_state=0)
    np.testing.assert_array_equal(noisy.y, data.y)  # labels of the noiseless points
    assert np.abs(noisy.X).max() > 1.0


def test_blobs_centres_spread_and_sizes():
    centers = np.array([[0.0, 0.0, 0.0], [10.0, -5.0, 2.0]])
    data = datasets.make_blobs(20_001, centers=centers, cluster_std=[0.5, 2.0], random_state=0)
    assert data.X.shape == (20_001, 3)
    assert np.bincount(data.y).tolist() == [10_001, 10_000]
    for k, std in enumerate([0.5, 2.0]):
        points = data.X[data.y == k]
        np.testing.assert_allclose(points.mean(axis=0), centers[k], atol=5 * std / 100)
        np.testing.assert_allclose(points.std(axis=0), std, rtol=0.04)
    exact = datasets.make_blobs(30, 4, centers=5, cluster_std=0.0, random_state=1)
    assert exact.centers.shape == (5, 4)
    np.testing.assert_array_equal(exact.X, exact.centers[exact.y])
    assert ((exact.centers >= -10) & (exact.centers < 10)).all()
    assert datasets.make_blobs(random_state=0).centers.shape == (3, 2)  # scikit-learn's default


# -- make_classification -----------------------------------------------------------------------


def _columns(data, role):
    return [j for j, name in enumerate(data.feature_names) if name.startswith(role + "_")]


@pytest.mark.parametrize("shuffle", [False, True])
def test_classification_feature_roles(shuffle):
    data = datasets.make_classification(
        500, 12, n_informative=3, n_redundant=4, n_repeated=2, shuffle=shuffle, random_state=0
    )
    informative, redundant = _columns(data, "informative"), _columns(data, "redundant")
    repeated, noise = _columns(data, "repeated"), _columns(data, "noise")
    assert [len(informative), len(redundant), len(repeated), len(noise)] == [3, 4, 2, 3]
    X = data.X
    # Redundant features are exact linear combinations of the informative ones.
    assert np.linalg.matrix_rank(X[:, informative]) == 3
    assert np.linalg.matrix_rank(X[:, informative + redundant]) == 3
    # ...and are really not informative-only copies: the 4 redundant columns span 3 dims.
    assert np.linalg.matrix_rank(X[:, redundant]) == 3
    # Repeated features duplicate informative or redundant ones.
    for j in repeated:
        assert any(np.array_equal(X[:, j], X[:, k]) for k in informative + redundant)
    # Noise features are independent of everything else: full rank together.
    assert np.linalg.matrix_rank(X[:, informative + noise]) == 6
    if not shuffle:
        assert data.feature_names[:3] == ["informative_0", "informative_1", "informative_2"]


@pytest.mark.parametrize("n_classes, flip_y", [(2, 0.2), (3, 0.3)])
def test_classification_label_noise_fraction(n_classes, flip_y):
    n = 20_000
    data = datasets.make_classification(
        n, 6, n_informative=3, n_classes=n_classes, flip_y=flip_y, random_state=1
    )
    # A re-drawn label is a uniform class, so it changes with probability (K-1)/K.
    expected = flip_y * (n_classes - 1) / n_classes
    changed = np.mean(data.y != data.y_clean)
    assert abs(changed - expected) <= 4 * np.sqrt(expected * (1 - expected) / n)
    assert np.bincount(data.y_clean).tolist() == [n // n_classes + (k < n % n_classes)
                                                  for k in range(n_classes)]
    clean = datasets.make_classification(n, 6, n_informative=3, flip_y=0.0, random_state=1)
    np.testing.assert_array_equal(clean.y, clean.y_clean)


def test_classification_clusters_sit_on_hypercube_vertices():
    sep = 4.0
    data = datasets.make_classification(
        8_000, 2, n_informative=2, n_redundant=0, n_clusters_per_class=1, class_sep=sep,
        flip_y=0.0, shuffle=False, random_state=2,
    )
    means = np.array([data.X[data.y == c].mean(axis=0) for c in (0, 1)])
    # E[A z] = 0, so each class mean is its centroid, a vertex of {-sep, +sep}^2.
    np.testing.assert_allclose(np.abs(means), sep, atol=0.1)
    assert not np.allclose(means[0], means[1])  # distinct vertices


def test_classification_weights_shift_and_scale():
    data = datasets.make_classification(1_000, 5, weights=[0.1, 0.9], flip_y=0.0, random_state=0)
    assert np.bincount(data.y).tolist() == [100, 900]
    also = datasets.make_classification(1_000, 5, weights=[0.1], flip_y=0.0, random_state=0)
    np.testing.assert_array_equal(also.y, data.y)
    base = datasets.make_classification(300, 4, shuffle=False, random_state=3)
    moved = datasets.make_classification(300, 4, shuffle=False, shift=2.0, scale=[1, 2, 3, 4],
                                         random_state=3)
    np.testing.assert_allclose(moved.X, (base.X + 2.0) * np.array([1, 2, 3, 4]), rtol=1e-14)
    random = datasets.make_classification(300, 4, shift=None, scale=None, random_state=3)
    assert random.X.std(axis=0).max() > 5  # scales drawn from [1, 101]


def test_classification_matches_sklearn_in_structure():
    """Same design as scikit-learn's generator: shapes, class balance and the rank deficit."""
    kwargs = dict(n_samples=600, n_features=10, n_informative=4, n_redundant=3, n_repeated=1,
                  n_classes=3, flip_y=0.0, shuffle=False, random_state=0)
    ours = datasets.make_classification(**kwargs)
    X_ref, y_ref = sklearn.datasets.make_classification(**kwargs)
    assert ours.X.shape == X_ref.shape
    assert np.bincount(ours.y).tolist() == np.bincount(y_ref).tolist()
    assert np.linalg.matrix_rank(ours.X) == np.linalg.matrix_rank(X_ref) == 4 + 2
    # Both put informative, redundant, repeated, noise columns in that order.
    assert np.linalg.matrix_rank(ours.X[:, :7]) == np.linalg.matrix_rank(X_ref[:, :7]) == 4


# -- reproducibility and bad input -------------------------------------------------------------


@pytest.mark.parametrize("generator", SHAPES)
def test_reproducible_and_seed_dependent(generator):
    a, b, c = (generator(60, random_state=seed) for seed in (7, 7, 8))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)
    assert a.X.dtype == np.float64 and a.y.dtype == np.int64
    assert a.task == "classification"


@pytest.mark.parametrize("generator", SHAPES)
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_samples": 0}, ValueError, "n_samples must be in \\[1"),
        ({"n_samples": 3.0}, TypeError, "n_samples must be an int"),
        ({"n_samples": None}, TypeError, "n_samples must be an int"),
        ({"random_state": -3}, ValueError, "random_state must be a non-negative int"),
        ({"random_state": "0"}, TypeError, "random_state must be None"),
    ],
)
def test_bad_common_input(generator, kwargs, error, message):
    with pytest.raises(error, match=message):
        generator(**kwargs)


@pytest.mark.parametrize("generator", [datasets.make_moons, datasets.make_circles,
                                       datasets.make_spirals, datasets.make_xor])
@pytest.mark.parametrize(
    "noise, error, message",
    [(-1.0, ValueError, "noise must be in"), (np.inf, ValueError, "noise must be finite"),
     ("a", TypeError, "noise must be a real number")],
)
def test_bad_noise(generator, noise, error, message):
    with pytest.raises(error, match=message):
        generator(noise=noise)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: datasets.make_spirals(n_classes=1), ValueError, "n_classes must be in \\[2"),
        (lambda: datasets.make_spirals(n_classes=2.5), TypeError, "n_classes must be an int"),
        (lambda: datasets.make_spirals(turns=0), ValueError, "turns must be in \\(0"),
        (lambda: datasets.make_classification(n_classes=1), ValueError, "n_classes must be"),
        (lambda: datasets.make_circles(factor=1.0), ValueError, "factor must be in \\[0, 1\\)"),
        (lambda: datasets.make_moons(shuffle="yes"), TypeError, "shuffle must be True or"),
        (lambda: datasets.make_blobs(centers=0), ValueError, "centers must be in \\[1"),
        (lambda: datasets.make_blobs(centers=[1.0, 2.0]), ValueError, "centers must be a 2-D"),
        (lambda: datasets.make_blobs(centers=2, cluster_std=[1.0]), ValueError,
         "one non-negative number per centre"),
        (lambda: datasets.make_blobs(cluster_std=-1), ValueError, "cluster_std must be in"),
        (lambda: datasets.make_blobs(center_box=(5, 5)), ValueError, "low < high"),
        (lambda: datasets.make_classification(n_features=4, n_informative=3, n_redundant=2),
         ValueError, "must be at most n_features = 4"),
        (lambda: datasets.make_classification(n_informative=1), ValueError,
         "need distinct hypercube vertices"),
        (lambda: datasets.make_classification(n_informative=0), ValueError,
         "n_informative must be in \\[1"),
        (lambda: datasets.make_classification(flip_y=1.5), ValueError, "flip_y must be in"),
        (lambda: datasets.make_classification(class_sep=-1), ValueError, "class_sep must be"),
        (lambda: datasets.make_classification(weights=[0.5, 0.3, 0.2]), ValueError,
         "weights must hold 2"),
        (lambda: datasets.make_classification(weights=[-0.5, 1.5]), ValueError,
         "non-negative"),
        (lambda: datasets.make_classification(weights=[1.5]), ValueError, "sum to 1.5 > 1"),
        (lambda: datasets.make_classification(weights=[0, 0]), ValueError, "all zero"),
        (lambda: datasets.make_classification(shift=[1.0, 2.0]), ValueError,
         "shift must be a number or have 20 entries"),
        (lambda: datasets.make_classification(scale="big"), TypeError, "scale must be"),
    ],
)
def test_bad_generator_specific_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
