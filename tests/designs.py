"""Test designs with known conditioning, shared by the tests that need one."""

import numpy as np


def ill_conditioned_design(n: int, p: int, condition: float,
                           rng: np.random.Generator) -> np.ndarray:
    """An ``n × p`` matrix with singular values spread geometrically from 1 down to
    ``1/condition`` (so κ₂ = ``condition``), between random orthonormal bases."""
    U = np.linalg.qr(rng.standard_normal((n, p)))[0]
    V = np.linalg.qr(rng.standard_normal((p, p)))[0]
    return U @ np.diag(np.logspace(0, -np.log10(condition), p)) @ V.T
