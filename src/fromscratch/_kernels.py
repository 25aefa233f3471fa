"""Replaceable kernels: the library runs another function in place of one of its textbook
kernels, inside one ``with`` block, in one thread.

A *kernel* is a short pure function that holds one piece of an algorithm's math (a dense
layer's backward pass, the sigmoid, an OLS gradient). Marking it ``@replaceable`` makes every
call to it, wherever in the library that call is, look up a replacement first::

    @replaceable
    def dense_backward(delta, A_prev, W):
        ...

    with replaced(dense_backward, my_dense_backward):
        net.loss_and_gradients(X, y)     # the network's backward pass now runs my_dense_backward

The lookup is the one place the library consults: the decorator's wrapper (or, for a hot
loop, :func:`current`, which does the same lookup once before the loop). The replacements
live in a :class:`contextvars.ContextVar`, so they hold for the code that runs inside the
``with`` block in the thread (or asyncio task) that entered it, and nowhere else: another
thread calling the same kernel at the same time gets the library's own version, and when the
block ends, also by an exception, nothing is left behind. Library code that hands a kernel's
calls to other threads must run them in :func:`contextvars.copy_context` for a replacement to
follow them.

The exercises (:mod:`fromscratch.exercises`) use this to grade a learner's function where it
belongs: the library's own estimator or network calls it, for that check only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np

__all__ = ["replaceable", "replaced", "is_replaceable", "current", "read_only"]

F = TypeVar("F", bound=Callable[..., Any])

#: kernel (the public, wrapped function) -> the function that runs in its place. Never
#: mutated: ``replaced`` sets a new mapping and restores the old one.
_replacements: ContextVar[MappingProxyType] = ContextVar(
    "fromscratch_kernel_replacements", default=MappingProxyType({})
)

#: Every kernel marked ``@replaceable``, so that ``replaced`` can refuse anything else.
_kernels: set[Callable[..., Any]] = set()


def replaceable(kernel: F) -> F:
    """Mark ``kernel`` as replaceable: its calls run a replacement inside :func:`replaced`.

    The returned function has the kernel's name, docstring and signature (``inspect`` finds
    the original through ``__wrapped__``), and costs one context-variable lookup per call.
    While a replacement runs, calls to the same kernel inside it run the library's own.
    """

    @functools.wraps(kernel)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        replacements = _replacements.get()
        replacement = replacements.get(dispatch)
        if replacement is None:
            return kernel(*args, **kwargs)
        # Inside its replacement the kernel is the library's own again, so that a replacement
        # may call the kernel it replaces (to wrap it, or because it is the kernel itself).
        token = _replacements.set(
            MappingProxyType({k: v for k, v in replacements.items() if k is not dispatch}))
        try:
            return replacement(*args, **kwargs)
        finally:
            _replacements.reset(token)

    _kernels.add(dispatch)
    return dispatch  # type: ignore[return-value]


def is_replaceable(kernel: Any) -> bool:
    """Whether ``kernel`` was marked ``@replaceable``."""
    return kernel in _kernels


def current(kernel: F) -> F:
    """What a call to ``kernel`` runs here and now, looked up once: the kernel itself (which
    dispatches to its replacement) inside :func:`replaced`, else the library's own function.

    A loop that calls a kernel once per coordinate resolves it before the loop, ``shrink =
    current(soft_threshold)``, and pays for the lookup once instead of on every call.
    """
    if not is_replaceable(kernel):
        raise ValueError(f"{getattr(kernel, '__qualname__', kernel)!r} is not a replaceable "
                         "kernel; only library functions marked @replaceable can be resolved.")
    return kernel if kernel in _replacements.get() else kernel.__wrapped__  # type: ignore


@contextmanager
def replaced(kernel: Callable[..., Any], replacement: Callable[..., Any]) -> Iterator[None]:
    """Run ``replacement`` wherever the library calls ``kernel``, inside this ``with`` block.

    Parameters
    ----------
    kernel : callable
        A library function marked ``@replaceable``.
    replacement : callable
        Called with the kernel's arguments; its result is used as the kernel's.

    Raises
    ------
    ValueError
        If ``kernel`` is not replaceable.
    TypeError
        If ``replacement`` is not callable.
    """
    if not is_replaceable(kernel):
        raise ValueError(
            f"{getattr(kernel, '__qualname__', kernel)!r} is not a replaceable kernel; only "
            "library functions marked @replaceable can be replaced."
        )
    if not callable(replacement):
        raise TypeError(f"replacement must be callable, got {type(replacement).__name__}.")
    token = _replacements.set(MappingProxyType({**_replacements.get(), kernel: replacement}))
    try:
        yield
    finally:
        _replacements.reset(token)


def read_only(value: Any) -> Any:
    """A read-only view of an array (the array itself stays writable); other values as they are.

    Kernels are pure functions; handing someone else's kernel read-only views makes one that
    changes its arguments in place fail at once instead of corrupting the caller's arrays.
    """
    if isinstance(value, np.ndarray):
        value = value.view()
        value.flags.writeable = False
    return value
