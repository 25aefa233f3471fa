"""Running a learner's code without letting it crash, hang or corrupt the grader.

* :class:`Guarded` calls a function the way a check needs: array arguments as read-only views
  and list arguments compared after the call (a pure function must not change them),
  floating-point overflow, division by zero and invalid operations raised as errors (not
  silent inf/NaN), and its exceptions wrapped in
  :class:`RaisedError` with the line of the learner's file where they happened, so that a
  check can tell the learner's error from the library's.
* :func:`run_with_time_limit` runs a check in a daemon thread and gives up after a time limit.
* :func:`load_function` imports a learner's file and finds the function in it.
* :func:`name_reaching` finds the name by which a function's code reaches another function
  (a learner's function that calls the library's own version instead of being one).
"""

from __future__ import annotations

import ctypes
import importlib.util
import inspect
import linecache
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import numpy as np

from fromscratch._kernels import read_only

__all__ = [
    "Guarded",
    "NotImplementedYet",
    "RaisedError",
    "TimeLimitExceeded",
    "LoadError",
    "run_with_time_limit",
    "load_function",
    "name_reaching",
]


class NotImplementedYet(Exception):
    """The function still raises ``NotImplementedError`` (the stub as written)."""


class RaisedError(Exception):
    """The guarded function raised; ``error`` is its exception, ``where`` the line it came from."""

    def __init__(self, error: BaseException, where: str) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error
        self.where = where

    def describe(self) -> str:
        message = str(self.error).strip() or "(no message)"
        text = f"{type(self.error).__name__}: {message}"
        if isinstance(self.error, FloatingPointError):
            text += " (an overflow, a division by zero or an invalid operation such as 0/0: " \
                    "the result would have been inf or NaN)"
        elif isinstance(self.error, ValueError) and "read-only" in message:
            text += " (the function changed one of its arguments in place; return new arrays " \
                    "instead: x = x - step, not x -= step)"
        return text + (f", at {self.where}" if self.where else "")


class TimeLimitExceeded(Exception):
    """A check ran longer than its time limit."""


class LoadError(Exception):
    """A learner's file could not be loaded, or has no such function; the message says why."""


class _Stopped(BaseException):
    """Raised inside a thread that ran out of time, to end it (see :func:`_stop`)."""


class Guarded:
    """``func`` called with read-only arrays, floating-point errors raised, exceptions wrapped.

    ``NotImplementedError`` becomes :class:`NotImplementedYet`; any other exception becomes
    :class:`RaisedError`, which names the line of ``func``'s own file where it happened.
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func
        self.__name__ = getattr(func, "__name__", "function")
        self._code = getattr(func, "__code__", None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = tuple(read_only(a) for a in args)
        kwargs = {k: read_only(v) for k, v in kwargs.items()}
        lists = [(a, list(a)) for a in (*args, *kwargs.values()) if isinstance(a, list)]
        try:
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                result = self.func(*args, **kwargs)
            for given, before in lists:  # a list cannot be made read-only: compare it
                if len(given) != len(before) or any(
                        a is not b for a, b in zip(given, before, strict=True)):
                    given[:] = before
                    raise ValueError("it changed a list it was given in place (appended to "
                                     "it or replaced an item); work on a copy instead, e.g. "
                                     "tangents = list(seeds)")
            return result
        except NotImplementedError:
            raise NotImplementedYet from None
        except (NotImplementedYet, RaisedError):
            raise
        except (Exception, SystemExit) as exc:  # sys.exit() in a learner's function too
            raise RaisedError(exc, _where(exc, self._code)) from None


def _where(exc: BaseException, code: CodeType | None) -> str:
    """``file, line N: source`` of the last frame in ``code``'s file (the learner's code)."""
    if code is None:
        return ""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename == code.co_filename]
    if not frames:
        return ""
    frame = frames[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()
    return f"{Path(frame.filename).name}, line {frame.lineno}: {line}"


def run_with_time_limit(work: Callable[[], Any], seconds: float) -> Any:
    """``work()``'s result, or its exception, or :class:`TimeLimitExceeded` after ``seconds``.

    The work runs in a daemon thread (a fresh thread: no context variables, no ``np.errstate``
    of the caller's leak in, and none of its own leak out). Python cannot kill a thread: when
    time runs out, the thread gets an asynchronous exception that ends a pure-Python loop at
    its next bytecode; a thread inside one long NumPy call finishes that call first, and as a
    daemon it never keeps the interpreter from exiting.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except _Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="fromscratch-exercise-check", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        _stop(thread)
        raise TimeLimitExceeded(f"it took longer than {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _stop(thread: threading.Thread) -> None:
    """Ask ``thread`` to stop by raising :class:`_Stopped` in it at its next bytecode."""
    ident = ctypes.c_ulong(thread.ident or 0)
    if ctypes.pythonapi.PyThreadState_SetAsyncExc(ident, ctypes.py_object(_Stopped)) > 1:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ident, None)  # several threads hit: undo


def load_function(path: str | Path, name: str) -> Callable[..., Any]:
    """Import the file at ``path`` (as a fresh module) and return its function ``name``.

    Raises
    ------
    LoadError
        The file is missing, does not compile, raises while it is imported, or has no
        function ``name``; the message says which, with the line for an error.
    """
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"there is no file {path}")
    spec = importlib.util.spec_from_file_location(f"fromscratch_exercise_{name}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    try:
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    except SyntaxError as exc:
        raise LoadError(f"{path.name} does not compile: {exc.msg} (line {exc.lineno}: "
                        f"{(exc.text or '').strip()})") from None
    except (Exception, SystemExit) as exc:  # anything the learner's module does
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if Path(f.filename) == path]
        where = f" (line {frames[-1].lineno}: {frames[-1].line})" if frames else ""
        raise LoadError(f"{path.name} raised {type(exc).__name__} while it was loaded: "
                        f"{exc}{where}") from None
    func = getattr(module, name, None)
    if func is None:
        defined = sorted(k for k, v in vars(module).items()
                         if callable(v) and getattr(v, "__module__", None) == module.__name__)
        found = f"; it defines {', '.join(defined)}" if defined else ""
        raise LoadError(f"{path.name} has no function {name}{found}")
    if not callable(func):
        raise LoadError(f"{name} in {path.name} is a {type(func).__name__}, not a function")
    if getattr(func, "__module__", module.__name__) != module.__name__:
        raise LoadError(f"{name} in {path.name} is imported from {func.__module__}, not "
                        f"written in the file: write the function {name} yourself")
    return func


def name_reaching(func: Callable[..., Any], target: Callable[..., Any]) -> str | None:
    """The name by which ``func``'s code reaches ``target``: a global or closure variable
    (``ref`` after ``from fromscratch.optim.textbook import adam_update as ref``), a chain of
    module attributes (``textbook.adam_update``) or an import inside the function; None if it
    does not.

    A static look at the names the code (nested functions included) uses, resolved in the
    function's globals and closure, and in the modules among them; nothing is called. The
    target's undecorated function (``__wrapped__``) counts as the target.
    """
    code = getattr(func, "__code__", None)
    if not isinstance(code, CodeType):
        return None
    wanted = {id(target), id(inspect.unwrap(target))}
    names: set[str] = set()
    codes = [code]
    while codes:
        current = codes.pop()
        names.update(current.co_names, current.co_freevars)
        codes.extend(c for c in current.co_consts if isinstance(c, CodeType))
    scope = dict(getattr(func, "__globals__", {}))
    for name, cell in zip(code.co_freevars, getattr(func, "__closure__", None) or (), strict=False):
        try:
            scope[name] = cell.cell_contents
        except ValueError:  # an empty cell: the variable is not bound yet
            continue
    found = [(name, scope[name]) for name in sorted(names) if name in scope]
    found += [(name, sys.modules[name]) for name in sorted(names)  # import inside the function
              if name in sys.modules and name not in scope]
    seen: set[int] = set()
    while found:
        path, value = found.pop(0)
        if id(value) in wanted:
            return path
        if isinstance(value, ModuleType) and id(value) not in seen and path.count(".") < 4:
            seen.add(id(value))
            found += [(f"{path}.{name}", vars(value)[name]) for name in sorted(names)
                      if name in vars(value)]
    return None
