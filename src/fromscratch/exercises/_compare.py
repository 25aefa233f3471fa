"""Comparing a learner's results with the target's: structure, shape, dtype, finiteness, values.

Values are compared relative to their scale: an output passes when
:math:`\\max_i |y_i - t_i| \\le \\tau \\cdot \\max_i |t_i|`, with :math:`\\tau` from the dtype
(:data:`TOLERANCE`), or when it is below the dtype's smallest normal number. A pure relative
test per element would fail on values near zero that are only rounding noise; the scale of the
whole output is what a result is judged against.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["TOLERANCE", "tolerance", "difference", "show"]

#: Relative-to-scale tolerance by the dtype of the target. A correct result computed in
#: another order differs by a few units in the last place (2.2e-16 in float64, 1.2e-7 in
#: float32); a classic mistake or a perturbation of 1e-3 is many orders of magnitude larger.
TOLERANCE = {np.dtype(np.float64): 1e-10, np.dtype(np.float32): 2e-5}


def tolerance(target: Any) -> float:
    """The tolerance for ``target``'s dtype (float64's for anything that is not float32)."""
    return TOLERANCE.get(np.asarray(target).dtype, TOLERANCE[np.dtype(np.float64)])


def show(value: Any) -> str:
    """A short, readable rendering of a value for a report."""
    if isinstance(value, (list, tuple)):
        items = [show(v) for v in value[:4]] + (["..."] if len(value) > 4 else [])
        bracket = "[]" if isinstance(value, list) else "()"
        return f"{bracket[0]}{', '.join(items)}{bracket[1]}"
    if isinstance(value, np.ndarray) and value.ndim > 0:
        text = np.array2string(value, precision=6, threshold=12, edgeitems=2,
                               max_line_width=88, separator=", ")
        return f"{text} ({value.dtype}, shape {value.shape})"
    if isinstance(value, (np.ndarray, np.generic)):
        return f"{value.item()!r} ({value.dtype})"
    return repr(value)


def difference(
    names: tuple[str, ...], yours: Any, target: Any, tol: float | None = None
) -> tuple[str, dict] | None:
    """Where ``yours`` differs from ``target``: ``(message, values)``, or None if it matches.

    ``names`` names the outputs: one name for a function that returns one value, several for
    one that returns a tuple (a target that is a tuple of one value asks for a tuple of one).
    A value that is a list (one array per variable of a trace) is compared element by element.
    ``tol`` replaces the dtype's tolerance (:data:`TOLERANCE`).
    """
    if len(names) == 1 and not isinstance(target, tuple):
        return _one(names[0], yours, target, tol)
    wanted = (f"a tuple of one value, ({names[0]},)" if len(names) == 1
              else f"{len(names)} values: {', '.join(names)}")
    if not isinstance(yours, (tuple, list)):
        return f"it returned {_kind(yours)}; it must return {wanted}", {"yours": show(yours)}
    if len(yours) != len(names):
        return f"it returned {len(yours)} values; it must return {wanted}", {}
    for name, y, t in zip(names, yours, target, strict=True):
        found = _one(name, y, t, tol)
        if found:
            return found
    return None


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"one array of shape {value.shape}"
    return f"one {type(value).__name__}"


def _one(name: str, yours: Any, target: Any, tol: float | None) -> tuple[str, dict] | None:
    if isinstance(target, list):
        return _each(name, yours, target, tol)
    if isinstance(target, (numbers.Integral, np.integer)) and not isinstance(target, bool):
        if not isinstance(yours, (numbers.Integral, np.integer)) or yours != target:
            return (f"{name}: yours is {yours!r}; it must be {target!r}",
                    {f"{name} (yours)": show(yours), f"{name} (target)": show(target)})
        return None
    try:
        y = np.asarray(yours)
    except Exception:  # noqa: BLE001 - anything that is not array-like
        y = np.asarray(None)
    t = np.asarray(target)
    if y.dtype.kind not in "fiu":
        return (f"{name}: yours is {_kind(yours)}, not an array of numbers",
                {f"{name} (yours)": show(yours)})
    if y.shape != t.shape:
        return (f"{name}: yours has shape {y.shape}; it must have shape {t.shape}",
                {f"{name} (yours)": show(y), f"{name} (target)": show(t)})
    if t.dtype.kind == "f" and isinstance(target, (np.ndarray, np.generic)) and y.dtype != t.dtype:
        return (f"{name}: yours is {y.dtype}; it must be {t.dtype} like the inputs (float32 "
                "inputs give float32 results)", {f"{name} (yours)": show(y)})
    y64, t64 = y.astype(np.float64), t.astype(np.float64)
    bad = ~np.isfinite(y64) & np.isfinite(t64)
    if bad.any():
        index = _first(bad)
        return (f"{name}: yours has {y64[index]} at index {index}, where the target is "
                f"{t64[index]:.6g}",
                {f"{name} (yours)": show(y), f"{name} (target)": show(t)})
    errors = np.asarray(np.abs(y64 - t64))
    errors[~np.isfinite(t64) & (y64 == t64)] = 0.0  # the same infinity is no error
    scale = float(np.max(np.abs(t64[np.isfinite(t64)]), initial=0.0))
    tol = tolerance(target) if tol is None else tol
    # An error below the dtype's smallest normal number is no error: e^{-100} is 3.7e-44 in
    # float32, a subnormal, where a formula that rounds 1 - sigma(100) to 0 gives 0.
    tiny = np.finfo(t.dtype if t.dtype.kind == "f" else np.float64).tiny
    allowed = max(tol * scale, float(tiny))
    worst = float(np.max(errors, initial=0.0))
    if not worst <= allowed:
        index = _first(errors == worst)
        return (f"{name}: yours differs from the target; at index {index} yours is "
                f"{y64[index]:.10g}, the target {t64[index]:.10g}. The largest difference is "
                f"{worst:.3g}, allowed {allowed:.3g} ({tol:g} times the largest target value)",
                {f"{name} (yours)": show(y), f"{name} (target)": show(t)})
    return None


def _each(name: str, yours: Any, target: list, tol: float | None) -> tuple[str, dict] | None:
    """A list of values, compared one by one: ``name[k]``."""
    if not isinstance(yours, (list, tuple)):
        return (f"{name}: yours is {_kind(yours)}; it must be a list of {len(target)} values",
                {f"{name} (yours)": show(yours)})
    if len(yours) != len(target):
        return (f"{name}: yours has {len(yours)} values; it must have {len(target)}", {})
    for k, (y, t) in enumerate(zip(yours, target, strict=True)):
        found = _one(f"{name}[{k}]", y, t, tol)
        if found:
            return found
    return None


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0]) if mask.ndim else ()
