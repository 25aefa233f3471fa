"""Run the nn tests with single-threaded BLAS.

The networks here multiply small matrices (tens to hundreds of rows) thousands of times. On a
machine whose cores are busy, a multi-threaded BLAS spends far longer waking and synchronising
its threads than multiplying (1 ms instead of 10 µs per product), so the limit keeps these tests
fast without changing any result.
"""

import pytest


@pytest.fixture(autouse=True)
def _single_threaded_blas():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield
