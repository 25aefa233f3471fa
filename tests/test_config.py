"""fromscratch.set_config / get_config / config_context: the library's global settings."""

import os

import pytest

import fromscratch


def test_default_threads_are_the_cpus_and_get_config_returns_a_copy():
    config = fromscratch.get_config()
    assert config == {"n_threads": os.cpu_count() or 1}
    config["n_threads"] = 99
    assert fromscratch.get_config()["n_threads"] == (os.cpu_count() or 1)


def test_set_config_changes_and_none_keeps():
    before = fromscratch.get_config()["n_threads"]
    try:
        fromscratch.set_config(n_threads=3)
        assert fromscratch.get_config()["n_threads"] == 3
        fromscratch.set_config()
        assert fromscratch.get_config()["n_threads"] == 3
    finally:
        fromscratch.set_config(n_threads=before)


def test_config_context_restores_the_settings_also_after_an_error():
    before = fromscratch.get_config()
    with fromscratch.config_context(n_threads=1):
        assert fromscratch.get_config()["n_threads"] == 1
        with fromscratch.config_context(n_threads=5):
            assert fromscratch.get_config()["n_threads"] == 5
        assert fromscratch.get_config()["n_threads"] == 1
    assert fromscratch.get_config() == before
    with pytest.raises(RuntimeError, match="inside"), fromscratch.config_context(n_threads=2):
        raise RuntimeError("inside")
    assert fromscratch.get_config() == before


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [(0, ValueError, r"n_threads must be in \[1, inf\)"),
     (2.0, TypeError, "n_threads must be an int"),
     (True, TypeError, "n_threads .* got the boolean")],
)
def test_bad_settings_are_refused_and_change_nothing(value, error, match):
    before = fromscratch.get_config()
    with pytest.raises(error, match=match):
        fromscratch.set_config(n_threads=value)
    with pytest.raises(error, match=match), fromscratch.config_context(n_threads=value):
        pass
    with pytest.raises(TypeError, match="unexpected keyword argument 'threads'"):
        fromscratch.set_config(threads=2)
    assert fromscratch.get_config() == before
