"""Ridge's conditioning messages give advice that fits alpha > 0: scale the features."""

import warnings

import numpy as np
import pytest

from fromscratch.compose import make_pipeline
from fromscratch.linalg import IllConditionedWarning, LinAlgError
from fromscratch.linear_model import Ridge
from fromscratch.preprocessing import StandardScaler


def _unscaled_data():
    """Three features on scales 1e-3, 1 and 1e6 (e.g. metres, counts and currency)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3)) * [1e-3, 1.0, 1e6]
    return X, X @ [1.0, 2.0, 3e-6] + rng.normal(size=100)


def test_ill_conditioning_with_a_penalty_advises_scaling():
    X, y = _unscaled_data()
    with pytest.warns(IllConditionedWarning) as record:
        Ridge(alpha=1.0).fit(X, y)
    message = str(record[0].message)
    assert "alpha=1 is small next to the largest eigenvalue of XᵀX" in message
    assert "Standardize the features" in message and "increase alpha" in message
    assert "Ridge(alpha > 0)" not in message  # the advice it gave although alpha was 1


def test_the_advice_works():
    X, y = _unscaled_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", IllConditionedWarning)
        make_pipeline(StandardScaler(), Ridge(alpha=1.0)).fit(X, y)


@pytest.mark.parametrize("solver", ["cholesky", "qr"])
def test_a_penalty_lost_to_rounding_advises_scaling(solver):
    """alpha = 1e-12 next to squared column norms of 1e14 on collinear columns: XᵀX + alpha·I is
    singular in floating point (Cholesky fails); QR of the augmented matrix, whose condition
    number is the square root of that, is only ill-conditioned (a warning)."""
    X, y = _unscaled_data()
    X = np.column_stack([X, 2 * X[:, 2]])  # collinear: only alpha could make the matrix definite
    advice = "alpha=1e-12 is small .* Standardize the features"
    with (pytest.raises(LinAlgError, match=advice) if solver == "cholesky"
          else pytest.warns(IllConditionedWarning, match=advice)):
        Ridge(alpha=1e-12, solver=solver).fit(X, y)


def test_a_singular_penalized_gram_gives_its_advice_once():
    """The condition check's error already carries the advice; re-raising it must not repeat it."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 4)) * [1e8, 1e8, 1e8, 1.0]  # Cholesky succeeds, the condition
    y = rng.normal(size=20)                                # check fails
    with pytest.raises(LinAlgError, match="singular to working precision") as info:
        Ridge(alpha=1.0, solver="cholesky").fit(X, y)
    assert str(info.value).count("Standardize the features") == 1
