"""The command line: version, help, listing, the tour's one-line errors and exit codes."""

import subprocess
import sys

import pytest

from fromscratch import __version__
from fromscratch.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"fromscratch {__version__}"


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "tour" in capsys.readouterr().out


def test_list_chapters(capsys):
    assert main(["tour", "--list"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("datasets")


def test_unknown_chapter_is_one_line_with_the_valid_names(capsys):
    assert main(["tour", "--chapter", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "valid chapters are: datasets" in err
    assert "Traceback" not in err


def test_out_pointing_at_a_file(tmp_path, capsys):
    target = tmp_path / "index.html"
    target.write_text("x")
    assert main(["tour", "--out", str(target)]) == 2
    assert "is a file" in capsys.readouterr().err


def test_out_that_cannot_be_created(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["tour", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert "cannot be" in err and err.count("\n") == 1


def test_python_dash_m_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "fromscratch", "tour", "--chapter", "bogus"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("fromscratch tour: error: unknown chapter 'bogus'")


def test_a_failing_check_makes_the_tour_exit_1(tmp_path, monkeypatch, capsys):
    from fromscratch.tour import registry

    class Failing:
        TITLE = "Failing"

        @staticmethod
        def run(ch):
            ch.check("wrong", "truth", 1.0, 0.0)

    spec = registry.ChapterSpec("datasets", "ch_datasets")
    monkeypatch.setattr(registry.ChapterSpec, "load", lambda self: Failing)
    monkeypatch.setattr(registry, "CHAPTERS", (spec,))
    assert main(["tour", "--out", str(tmp_path), "--no-progress"]) == 1
    assert "FAILED: wrong vs truth" in capsys.readouterr().out
    assert (tmp_path / "index.html").exists()
