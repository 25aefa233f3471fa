"""The speed-ups of the Newton solver and the logistic objective change the cost, never the answer:
blocked Hessian accumulation on a padded float32 copy of the design, the loss and probabilities
from one exponential in chunks of samples, and the lengthened (secant) Newton step."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from fromscratch.linear_model import LogisticRegression, _iterative, _logistic_loss
from fromscratch.linear_model._logistic_loss import BinaryLogisticLoss, logistic_loss
from tolerance import assert_close_to_scale


def logistic_data(n=3000, p=8, seed=0, scale=2.0):
    """Labels from a logistic model with large scores (std ~ scale), so Newton starts far off."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = rng.standard_normal(p) * scale / np.sqrt(p)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w + 0.5)))).astype(float)
    return X, y


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_blocked_hessian_equals_the_dense_formula(monkeypatch, fit_intercept):
    # Blocks of 7 rows (n = 100 is not a multiple): every block boundary is exercised.
    X, y = logistic_data(n=100, p=6)
    q = 6 + fit_intercept
    monkeypatch.setattr(_logistic_loss, "HESSIAN_BLOCK_BYTES", 7 * q * 8)
    loss = logistic_loss(6, 2, fit_intercept=fit_intercept, l2=0.3)
    w = np.random.default_rng(1).standard_normal(q)
    X1 = np.hstack([X, np.ones((100, 1))]) if fit_intercept else X
    p = 1.0 / (1.0 + np.exp(-(X1 @ w)))
    penalty = np.full(q, 0.3)
    if fit_intercept:
        penalty[-1] = 0.0
    dense = (X1.T * (p * (1 - p))) @ X1 / 100 + np.diag(penalty)
    np.testing.assert_allclose(loss.hessian(w, X, y), dense, rtol=1e-13, atol=1e-15)


def test_loss_and_probabilities_from_one_exponential_at_extreme_scores():
    # Scores of +-800 overflow a naive exp; the shared e^{-|z|} form must match logaddexp.
    X = np.array([[800.0], [-800.0], [40.0], [-40.0], [0.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    loss = logistic_loss(1, 2, fit_intercept=False)
    w = np.array([1.0])
    z = X[:, 0]
    expected = np.mean(np.logaddexp(0.0, z) - y * z)
    np.testing.assert_allclose(loss.loss(w, X, y), expected, rtol=1e-15)
    gradient = loss.gradient(w, X, y)
    p = np.array([1.0, 0.0, 1.0, np.exp(-40.0) / (1 + np.exp(-40.0)), 0.5])
    np.testing.assert_allclose(gradient, [np.mean((p - y) * z)], rtol=1e-15)


def test_lengthened_steps_keep_the_answer_and_save_iterations(monkeypatch, capsys):
    X, y = logistic_data()
    reference = SkLogisticRegression(solver="newton-cholesky", tol=1e-12).fit(X, y)
    fast = LogisticRegression(tol=1e-10, verbose=1).fit(X, y)
    steps = [float(line.rsplit("step ", 1)[1]) for line in capsys.readouterr().out.splitlines()]
    assert max(steps) > 1.0  # the secant extension was taken on this problem
    assert np.all(np.diff(fast.loss_curve_) <= 0)  # only kept when it lowers the loss
    np.testing.assert_allclose(fast.coef_, reference.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fast.intercept_, reference.intercept_, rtol=0, atol=1e-8)

    monkeypatch.setattr(_iterative, "EXTRAPOLATION_RANGE", (np.inf, 4.0))  # full steps only
    plain = LogisticRegression(tol=1e-10).fit(X, y)
    np.testing.assert_allclose(fast.coef_, plain.coef_, rtol=0, atol=1e-8)
    assert fast.n_iter_ < plain.n_iter_


def test_least_squares_newton_is_still_one_step():
    # f is its own quadratic model: the slope at the full step is zero (to rounding), so no
    # lengthening, and the first step lands on the least-squares solution.
    from fromscratch.linear_model import LinearRegression

    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 5))
    y = X @ rng.standard_normal(5) + 0.1 * rng.standard_normal(200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = LinearRegression(solver="newton").fit(X, y)
    exact = LinearRegression().fit(X, y)
    assert model.n_iter_ == 1
    np.testing.assert_allclose(model.coef_, exact.coef_, rtol=1e-10)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_line_restriction_matches_loss_and_gradient(n_classes, fit_intercept):
    # phi(t) = (f(w + td), d . grad f(w + td)) from the affine scores must equal the loss and the
    # gradient evaluated from scratch (a fresh loss, so no cached scores are shared).
    rng = np.random.default_rng(2)
    X = rng.standard_normal((60, 4))
    labels = rng.integers(0, n_classes, 60)
    y = labels.astype(float) if n_classes == 2 else np.eye(n_classes)[labels]
    shape = (4 + fit_intercept,) if n_classes == 2 else (n_classes, 4 + fit_intercept)
    w, d = rng.standard_normal(shape), rng.standard_normal(shape)
    loss = logistic_loss(4, n_classes, fit_intercept=fit_intercept, l2=0.2)
    phi = loss.line(w, d, X, y)
    for t in (1.0, 0.5, 2.3):
        value, slope = phi(t)
        fresh = logistic_loss(4, n_classes, fit_intercept=fit_intercept, l2=0.2)
        v = w + t * d
        np.testing.assert_allclose(value, fresh.loss(v, X, y), rtol=1e-12)
        np.testing.assert_allclose(slope, np.sum(fresh.gradient(v, X, y) * d), rtol=1e-10)
        # The gradient at w + td after phi(t) (from the cached scores) is the same as fresh.
        np.testing.assert_allclose(loss.gradient(v, X, y), fresh.gradient(v, X, y),
                                   rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_the_cache_holds_the_scores_of_the_last_point(n_classes):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((50, 4))
    labels = rng.integers(0, n_classes, 50)
    y = labels.astype(float) if n_classes == 2 else np.eye(n_classes)[labels]
    loss = logistic_loss(4, n_classes, fit_intercept=True, l2=0.1)
    w = rng.standard_normal(loss.shape)
    assert loss.scores is None
    value = loss.loss(w, X, y)
    cached = loss.scores
    assert cached.describes(w, X) and cached.p is None  # probabilities only on first use
    np.testing.assert_allclose(cached.z, (X @ w[..., :-1].T + w[..., -1]), rtol=1e-14)
    loss.gradient(w, X, y)
    assert loss.scores is cached and cached.p is not None  # the same point: reused
    loss.loss(w, X.copy(), y)  # equal values in another array: recomputed
    assert loss.scores is not cached and loss.scores.X is not X
    w_before = w.copy()
    w[..., 0] += 1.0  # changed in place: the cache holds its own copy, so it notices
    assert loss.loss(w, X, y) != value
    assert loss.loss(w_before, X, y) == value


def test_the_objective_is_the_loss_bound_methods():
    binary = logistic_loss(3, 2, fit_intercept=True, l2=0.1, l1=0.2)
    objective = binary.objective()
    for name in ("loss", "gradient", "hessian", "line", "gradient_and_hessian"):
        assert getattr(objective, name).__self__ is binary
    np.testing.assert_array_equal(objective.l1, [0.2, 0.2, 0.2, 0.0])  # intercept unpenalized
    assert logistic_loss(3, 2, fit_intercept=True).objective().l1 is None
    # no fused pass for the multinomial loss or for autodiff gradients (it is the formula's)
    assert logistic_loss(3, 3, fit_intercept=True).objective().gradient_and_hessian is None
    assert binary.objective("autodiff").gradient_and_hessian is None
    with pytest.raises(ValueError, match="gradient must be one of"):
        binary.objective("numeric")


# -- the fused, mixed-precision derivatives for Newton's steps ---------------------------------


def dense_hessian(X, w, l2, fit_intercept):
    X1 = np.hstack([X, np.ones((X.shape[0], 1))]) if fit_intercept else X
    p = 1.0 / (1.0 + np.exp(-(X1 @ w)))
    penalty = np.full(X1.shape[1], l2)
    if fit_intercept:
        penalty[-1] = 0.0
    return (X1.T * (p * (1 - p))) @ X1 / X.shape[0] + np.diag(penalty), X1, p


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_fused_gradient_is_exact_and_the_hessian_single_precision(monkeypatch, fit_intercept):
    # Blocks of 7 rows for every block boundary; standardized features: a well-conditioned
    # Hessian, so the steps use the float32 accumulation.
    X, y = logistic_data(n=100, p=6)
    q = 6 + fit_intercept
    monkeypatch.setattr(_logistic_loss, "HESSIAN_BLOCK_BYTES", 7 * 6 * 4)
    loss = logistic_loss(6, 2, fit_intercept=fit_intercept, l2=0.3)
    w = np.random.default_rng(1).standard_normal(q) * 0.3
    dense, X1, p = dense_hessian(X, w, 0.3, fit_intercept)
    gradient, H = loss.gradient_and_hessian(w, X, y)
    expected_gradient = X1.T @ (p - y) / 100 + np.where(np.arange(q) < 6, 0.3 * w, 0.0)
    np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(gradient, loss.gradient(w, X, y), rtol=1e-13, atol=1e-16)
    error = np.max(np.abs(H - dense)) / np.max(np.abs(dense))
    assert 1e-12 < error < 1e-6  # float32 rounding: accumulated in single precision
    np.testing.assert_allclose(loss.hessian(w, X, y), dense, rtol=1e-13, atol=1e-15)


def test_ill_conditioned_hessian_is_accumulated_in_double_precision():
    # A feature whose mean (1000) dwarfs its spread (1) is nearly collinear with the intercept:
    # the scaled Hessian's condition number is at least 1e6, so float32 rounding (~1e-7)
    # would bend the steps by tens of percent; the guard accumulates it again in float64.
    X, y = logistic_data(n=200, p=3)
    X[:, 0] += 1000.0
    loss = logistic_loss(3, 2, fit_intercept=True, l2=1e-3)
    w = np.array([0.1, -0.2, 0.3, -100.0])
    dense, _, _ = dense_hessian(X, w, 1e-3, True)
    bound = _logistic_loss._condition_lower_bound(dense)
    assert bound > _logistic_loss.SINGLE_PRECISION_MAX_CONDITION
    _, H = loss.gradient_and_hessian(w, X, y)
    assert_close_to_scale(H, dense, rtol=1e-10)


def test_features_too_large_for_float32_fall_back_to_float64():
    # Squares of 1e25 overflow float32 (max 3.4e38): the Hessian for the steps is the float64
    # one, not inf, and no overflow warning escapes.
    X, y = logistic_data(n=500, p=3)
    X *= 1e25
    loss = logistic_loss(3, 2, fit_intercept=True)
    w = np.array([1e-25, -2e-25, 3e-26, 0.2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, H = loss.gradient_and_hessian(w, X, y)
    np.testing.assert_allclose(H, loss.hessian(w, X, y), rtol=1e-14)


def test_condition_lower_bound():
    # 2 x 2 with correlation rho: the pivots are 1 and 1 - rho^2, so the bound is 1/(1 - rho^2);
    # the condition number (1 + rho)/(1 - rho) is larger. Rescaling does not change the bound.
    for rho in (0.0, 0.5, 0.999):
        A = np.array([[1.0, rho], [rho, 1.0]])
        D = np.diag([3.0, 0.01])
        bound = _logistic_loss._condition_lower_bound(D @ A @ D)
        np.testing.assert_allclose(bound, 1.0 / (1.0 - rho**2), rtol=1e-12)
        assert bound <= np.linalg.cond(A) * (1 + 1e-12)
    rng = np.random.default_rng(0)
    B = rng.standard_normal((30, 6))
    A = B.T @ B
    d = 1 / np.sqrt(np.diag(A))
    assert _logistic_loss._condition_lower_bound(A) <= np.linalg.cond(A * d[:, None] * d)
    assert _logistic_loss._condition_lower_bound(np.array([[1.0, 2.0], [2.0, 1.0]])) == np.inf
    assert _logistic_loss._condition_lower_bound(np.diag([1.0, 0.0])) == np.inf
    assert _logistic_loss._condition_lower_bound(np.diag([1.0, np.inf])) == np.inf


@pytest.mark.parametrize("tol", [1e-4, 1e-10])
def test_single_precision_steps_keep_the_answer_and_the_iterations(monkeypatch, tol):
    X, y = logistic_data(n=5000, p=20, scale=3.0)
    mixed = LogisticRegression(C=1.0, tol=tol).fit(X, y)
    monkeypatch.setattr(_logistic_loss, "SINGLE_PRECISION_MAX_CONDITION", 0.0)  # always float64
    double = LogisticRegression(C=1.0, tol=tol).fit(X, y)
    assert mixed.n_iter_ == double.n_iter_
    # The steps differ by float32 rounding, so the iterates agree to far better than tol (down
    # to float64 rounding, once both have converged to it).
    np.testing.assert_allclose(mixed.coef_, double.coef_, rtol=0, atol=max(1e-3 * tol, 1e-11))
    if tol < 1e-8:
        reference = SkLogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12).fit(X, y)
        np.testing.assert_allclose(mixed.coef_, reference.coef_, rtol=0, atol=1e-8)
        np.testing.assert_allclose(mixed.intercept_, reference.intercept_, rtol=0, atol=1e-8)


def test_newton_computes_each_hessian_with_its_gradient(monkeypatch):
    # One pass over X per Hessian: every Hessian comes from gradient_and_hessian at a point
    # where the run cannot stop, and no gradient is computed separately there.
    X, y = logistic_data(n=2000, p=5)
    calls = []
    for name, label in (("gradient", "gradient"), ("gradient_and_hessian", "both"),
                        ("hessian", "hessian")):
        method = getattr(BinaryLogisticLoss, name)

        def counted(self, *args, _method=method, _label=label):
            calls.append(_label)
            return _method(self, *args)

        monkeypatch.setattr(BinaryLogisticLoss, name, counted)
    model = LogisticRegression(C=1.0, tol=1e-8).fit(X, y)
    # One Hessian per step, each with its point's gradient; the last point follows a small
    # full step, so only its gradient is needed to stop.
    assert calls == ["both"] * model.n_iter_ + ["gradient"]


# -- the float32 design, the padded Hessian blocks and the per-sample chunks ---------------------


@pytest.mark.parametrize(("p", "fit_intercept"), [(6, True), (7, True), (6, False), (3, False)])
def test_padded_design_is_the_data_a_column_of_ones_and_zeros(monkeypatch, p, fit_intercept):
    # Blocks of 5 rows (n = 23 is not a multiple); widths padded to a multiple of 4 (q = 7 -> 8,
    # q = 8 stays, q = 6 -> 8, q = 3 -> 4).
    X, _ = logistic_data(n=23, p=p)
    monkeypatch.setattr(_logistic_loss, "HESSIAN_BLOCK_BYTES", 5 * 8 * 4)
    design = _logistic_loss._padded_design(X, fit_intercept=fit_intercept, dtype=np.float32)
    q = p + fit_intercept
    assert design.dtype == np.float32 and design.shape == (23, -(-q // 4) * 4)
    np.testing.assert_array_equal(design[:, :p], X.astype(np.float32))
    if fit_intercept:
        np.testing.assert_array_equal(design[:, p], 1.0)
    np.testing.assert_array_equal(design[:, q:], 0.0)


@pytest.mark.parametrize("p", [6, 7])
@pytest.mark.parametrize("weighted", [False, True])
def test_hessian_for_the_steps_at_equal_and_unequal_weights(monkeypatch, p, weighted):
    # At zero coefficients every sample has the same weight s_i = p0 (1 - p0) (times an equal
    # sample weight): the blocks of the design are multiplied unscaled and the sum scaled once.
    # Away from it, or with unequal sample weights, each block is scaled. Both must give the
    # dense float64 formula to float32 rounding; blocks of 6 rows cross every boundary.
    X, y = logistic_data(n=100, p=p)
    monkeypatch.setattr(_logistic_loss, "HESSIAN_BLOCK_BYTES", 6 * 8 * 4)
    rng = np.random.default_rng(3)
    sample_weight = rng.uniform(0.5, 2.0, 100) if weighted else np.full(100, 1.0)
    for w in (np.r_[np.zeros(p), 0.4], rng.standard_normal(p + 1) * 0.3):
        loss = logistic_loss(p, 2, fit_intercept=True, l2=0.3)
        X1 = np.hstack([X, np.ones((100, 1))])
        prob = 1.0 / (1.0 + np.exp(-(X1 @ w)))
        dense = (X1.T * (sample_weight * prob * (1 - prob))) @ X1 / 100
        dense += np.diag(np.r_[np.full(p, 0.3), 0.0])
        gradient, H = loss.gradient_and_hessian(w, X, y, sample_weight)
        error = np.max(np.abs(H - dense)) / np.max(np.abs(dense))
        assert 1e-12 < error < 1e-6  # float32 rounding, and no more
        assert_close_to_scale(gradient, X1.T @ (sample_weight * (prob - y)) / 100
                              + np.r_[0.3 * w[:p], 0.0], rtol=1e-13)
        np.testing.assert_allclose(loss.hessian(w, X, y, sample_weight), dense, rtol=1e-13)


@pytest.mark.parametrize("weighted", [False, True])
def test_chunks_of_samples_change_nothing(monkeypatch, weighted):
    # The binary loss's per-sample work runs over chunks of SAMPLE_CHUNK samples; chunks of 7
    # (n = 100 is not a multiple) must give what one chunk gives, to rounding.
    X, y = logistic_data(n=100, p=4)
    sample_weight = np.random.default_rng(5).uniform(0.5, 2.0, 100) if weighted else None
    rng = np.random.default_rng(6)
    w, d = rng.standard_normal(5), rng.standard_normal(5)

    def everything():
        loss = logistic_loss(4, 2, fit_intercept=True, l2=0.2)
        phi = loss.line(w, d, X, y, sample_weight)
        values = [loss.loss(w, X, y, sample_weight), loss.gradient(w, X, y, sample_weight),
                  loss.probabilities(w, X), *phi(0.7), *phi(1.3)]
        values += list(loss.gradient_and_hessian(w + 0.7 * d, X, y, sample_weight))
        return values + [loss.hessian(w, X, y, sample_weight)]

    monkeypatch.setattr(_logistic_loss, "SAMPLE_CHUNK", 7)
    chunked = everything()
    monkeypatch.setattr(_logistic_loss, "SAMPLE_CHUNK", 1000)
    whole = everything()
    for a, b in zip(chunked, whole, strict=True):
        assert_close_to_scale(a, b, rtol=1e-13)


def test_the_float32_design_is_made_once_per_fit(monkeypatch):
    X, y = logistic_data(n=2000, p=5)
    made = []
    original = _logistic_loss._padded_design

    def counted(X, **kwargs):
        made.append(X)
        return original(X, **kwargs)

    monkeypatch.setattr(_logistic_loss, "_padded_design", counted)
    model = LogisticRegression(C=1.0, tol=1e-8).fit(X, y)
    assert model.n_iter_ >= 3 and len(made) == 1 and made[0] is X
    loss = logistic_loss(5, 2, fit_intercept=True)
    w = np.r_[np.full(5, 0.1), 0.0]
    loss.gradient_and_hessian(w, X, y)
    loss.gradient_and_hessian(2 * w, X, y)
    loss.gradient_and_hessian(w, X.copy(), y)  # other data (equal values): a new design
    assert len(made) == 3
