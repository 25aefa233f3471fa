"""Points at which the autodiff tests evaluate functions (shared by the test modules)."""

from __future__ import annotations

import numpy as np


def values(seed: int, shape: tuple, domain: str = "any") -> np.ndarray:
    """Random values kept away from each function's singular points and kinks."""
    x = np.random.default_rng(seed).normal(size=shape)
    if domain == "positive":
        return np.abs(x) + 0.5
    if domain == "away_from_zero":  # kinks (abs, relu, sign) and poles (1/x)
        return x + 0.3 * np.where(x >= 0, 1.0, -1.0)
    if domain == "small":  # tan: stay well inside (-pi/2, pi/2)
        return np.tanh(x)
    if domain == "unit":  # arcsin, arccos, arctanh: inside (-1, 1), away from its ends
        return 0.8 * np.tanh(x)
    if domain == "above_one":  # arccosh
        return 1.2 + np.abs(x)
    return x


def second_order_error(f, *args) -> float:
    """The largest error of the second derivatives of ``f`` (arrays -> array) against finite
    differences: the Jacobian of the gradient of a weighted sum of ``f`` (reverse-over-reverse
    and forward-over-reverse, from check_grad's two modes) and of the JVP (reverse-over-forward
    and forward-over-forward), each compared with central differences of that gradient or JVP.
    Linear functions have a constant gradient, so the transformations warn that it ignores its
    input; callers filter that warning."""
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import check_grad, grad, jvp

    weights = values(3, np.shape(f(*args)))
    tangents = [values(4 + k, np.shape(a)) for k, a in enumerate(args)]

    def weighted(*a):
        return anp.sum(f(*a) * weights)

    errors = [check_grad(lambda *a, i=i: grad(weighted, argnums=i)(*a), *args)
              for i in range(len(args))]
    errors.append(check_grad(lambda *a: jvp(f, a, tangents)[1], *args))
    return max(errors)
