"""The library's global settings: :func:`set_config`, :func:`get_config`, :func:`config_context`.

One setting today, in scikit-learn's style:

``n_threads`` (default: the number of CPUs)
    Threads that share the chunks of a large optimizer update
    (:func:`fromscratch.optim.optimizer.apply_chunked`). ``1`` turns the library's own
    threading off: every update runs in the calling thread. The threads come from one pool
    per thread count, created on first use and kept for the life of the process. NumPy's
    matrix products use the BLAS's own threads, which this setting does not govern (limit
    those with ``threadpoolctl`` or ``OPENBLAS_NUM_THREADS``).

The settings are process-wide, as the thread pool they govern is: unlike scikit-learn's
(per-thread) configuration, a value set in one thread holds in every thread. A
:func:`config_context` therefore changes the setting for the whole process while it is open.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fromscratch._validation import check_scalar

__all__ = ["get_config", "set_config", "config_context"]

_config: dict[str, Any] = {"n_threads": os.cpu_count() or 1}


def get_config() -> dict[str, Any]:
    """The current settings, as a new dict (changing it changes nothing: use
    :func:`set_config`)."""
    return dict(_config)


def set_config(n_threads: int | None = None) -> None:
    """Change settings; an argument left at ``None`` keeps its setting.

    Parameters
    ----------
    n_threads : int >= 1, optional
        Threads that share a large optimizer update; ``1``: no threads.

    Examples
    --------
    >>> import fromscratch
    >>> fromscratch.set_config(n_threads=1)
    >>> fromscratch.get_config()["n_threads"]
    1
    """
    if n_threads is not None:
        _config["n_threads"] = check_scalar(n_threads, "n_threads", kind=int, min_val=1)


@contextmanager
def config_context(*, n_threads: int | None = None) -> Iterator[None]:
    """Change settings inside a ``with`` block; the previous ones come back when it ends
    (also on an exception).

    Examples
    --------
    >>> import fromscratch
    >>> with fromscratch.config_context(n_threads=1):
    ...     pass  # optimizer updates here run in the calling thread
    """
    previous = get_config()
    set_config(n_threads=n_threads)
    try:
        yield
    finally:
        set_config(**previous)
