"""Replaceable kernels: a replacement holds inside its ``with`` block, in its thread, and
nowhere else; nothing is left behind."""

import inspect
import threading

import numpy as np
import pytest

from fromscratch._kernels import current, is_replaceable, read_only, replaceable, replaced


@replaceable
def double(x: float) -> float:
    """Twice x."""
    return 2 * x


@replaceable
def square(x: float) -> float:
    return x * x


def test_the_kernel_keeps_its_name_docstring_and_signature():
    assert double.__name__ == "double" and double.__doc__ == "Twice x."
    assert str(inspect.signature(double)) == "(x: float) -> float"
    assert "return 2 * x" in inspect.getsource(inspect.unwrap(double))
    assert is_replaceable(double) and not is_replaceable(len)


def test_a_replacement_holds_inside_the_block_only():
    assert double(3) == 6
    with replaced(double, lambda x: -x):
        assert double(3) == -3
        assert square(3) == 9  # other kernels are untouched
    assert double(3) == 6


def test_the_kernel_comes_back_when_the_block_raises():
    with pytest.raises(RuntimeError), replaced(double, lambda x: -x):
        raise RuntimeError
    assert double(3) == 6


def test_nested_replacements():
    with replaced(double, lambda x: 10 * x):
        with replaced(square, lambda x: 0), replaced(double, lambda x: 100 * x):
            assert (double(1), square(5)) == (100, 0)
        assert (double(1), square(5)) == (10, 25)
    assert (double(1), square(5)) == (2, 25)


def test_inside_its_replacement_the_kernel_is_the_librarys_own():
    """A replacement may wrap the kernel it replaces, or be that kernel (no recursion)."""
    with replaced(double, lambda x: double(x) + 1):
        assert double(3) == 7
    with replaced(double, double):
        assert double(3) == 6


def test_another_thread_keeps_the_librarys_kernel_meanwhile():
    inside, done, seen = threading.Event(), threading.Event(), []

    def other():
        inside.wait(5)
        seen.append(double(3))
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with replaced(double, lambda x: -x):
        inside.set()
        done.wait(5)
        assert double(3) == -3
    thread.join()
    assert seen == [6]


def test_current_resolves_the_kernel_once():
    """Outside ``replaced``: the library's own function itself (no lookup per call); inside:
    the kernel, which then dispatches to the replacement, also after the block is left."""
    assert current(double) is inspect.unwrap(double)
    with replaced(double, lambda x: -x):
        resolved = current(double)
        assert resolved is double and resolved(3) == -3
    assert resolved(3) == 6 and current(double)(3) == 6
    with pytest.raises(ValueError, match="not a replaceable kernel"):
        current(len)


def test_only_replaceable_kernels_and_callables():
    with pytest.raises(ValueError, match="not a replaceable kernel"), replaced(len, abs):
        pass
    with pytest.raises(TypeError, match="replacement must be callable"), replaced(double, 3):
        pass


def test_read_only():
    a = np.arange(3.0)
    view = read_only(a)
    with pytest.raises(ValueError, match="read-only"):
        view[0] = 1.0
    a[0] = 5.0  # the array itself stays writable, and the view sees it
    assert view[0] == 5.0
    assert read_only(3) == 3
