"""The command line: version, help, listing, the tour's one-line errors and exit codes."""

import re
import subprocess
import sys

import pytest

from fromscratch import __version__, exercises
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
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names[:2] == ["intro", "datasets"]  # the introduction first, then the data


def test_unknown_chapter_is_one_line_with_the_valid_names(capsys):
    assert main(["tour", "--chapter", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "valid chapters are: intro, datasets" in err
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


# -- fromscratch exercises ----------------------------------------------------------------------


def _exercise_cli(folder, *words):
    return main(["exercises", *words, "--dir", str(folder)])


@pytest.mark.parametrize("name", exercises.names())
def test_start_then_check_each_exercise(tmp_path, capsys, name):
    """The stub as written fails (exit 1); with the reference pasted in, it passes (exit 0)."""
    from fromscratch.exercises._stub import module_text

    exercise = exercises.get(name)
    assert _exercise_cli(tmp_path, "start", name, "--force") == 0
    path = tmp_path / f"{name}.py"
    assert path.read_text() == exercise.stub
    assert _exercise_cli(tmp_path, "check", name) == 1
    assert "not implemented yet" in capsys.readouterr().out
    path.write_text(module_text(exercise, solved=True))
    assert _exercise_cli(tmp_path, "check", name) == 0
    assert f"{name} ({exercise.title}): passed all" in capsys.readouterr().out
    assert name in exercises.Progress(tmp_path).passed


def test_exercises_list_and_unlocking(tmp_path, capsys):
    from fromscratch.exercises._stub import module_text

    assert _exercise_cli(tmp_path, "list") == 0
    out = capsys.readouterr().out
    assert "G. Optimizers of deep learning" in out
    assert re.search(r"next +G2 +momentum_update", out)
    assert re.search(r"locked +G3 +nesterov_update .*\(after momentum_update\)", out)
    assert _exercise_cli(tmp_path, "start", "nesterov_update") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "locked until momentum_update passes" in err
    assert _exercise_cli(tmp_path, "start", "momentum_update") == 0
    (tmp_path / "momentum_update.py").write_text(
        module_text(exercises.get("momentum_update"), solved=True))
    assert _exercise_cli(tmp_path, "check", "momentum_update") == 0
    assert "unlocked: nesterov_update, adam_update" in capsys.readouterr().out
    _exercise_cli(tmp_path, "list")
    out = capsys.readouterr().out
    assert re.search(r"done +G2 +momentum_update", out)
    assert re.search(r"next +G3 +nesterov_update", out)


def test_exercises_list_shows_every_chapter_in_aligned_columns(tmp_path, capsys):
    assert _exercise_cli(tmp_path, "list") == 0
    out = capsys.readouterr().out
    for letter in "BCDEFGHI":
        assert f"\n{letter}. {exercises.CHAPTERS[letter]}\n" in out
    assert f"\n{len(exercises.names())} exercises: 0 done," in out
    assert re.search(r"locked +C7 +coordinate_descent_sweep +One sweep .*\(after soft_threshold\)",
                     out)
    rows = [line for line in out.splitlines() if line.startswith("  ")]
    assert len(rows) == len(exercises.names())
    assert len({line.index(exercises.get(line.split()[2]).title) for line in rows}) == 1


def test_exercises_start_keeps_an_existing_file(tmp_path, capsys):
    (tmp_path / "sigmoid.py").write_text("# my work\n")
    assert _exercise_cli(tmp_path, "start", "sigmoid") == 0
    assert "already exists (left as it is)" in capsys.readouterr().out
    assert (tmp_path / "sigmoid.py").read_text() == "# my work\n"


def test_exercises_check_a_wrong_file_draws_the_picture(tmp_path, capsys):
    (tmp_path / "sigmoid.py").write_text("import numpy as np\n\n\ndef sigmoid(z):\n"
                                         "    return np.tanh(z)\n")
    assert _exercise_cli(tmp_path, "check", "sigmoid") == 1
    out = capsys.readouterr().out
    assert "FAIL  against the reference" in out and "Traceback" not in out
    assert (tmp_path / "sigmoid.png").stat().st_size > 1000
    assert "exercises hint sigmoid" in out


@pytest.mark.parametrize("source, message", [
    ("def helper(z):\n    return z\n", "has no function sigmoid; it defines helper"),
    ("def sigmoid(z):\nreturn z\n", "does not compile"),
    ("while True:\n    pass\n", "took longer than 0.5 s"),
])
def test_exercises_check_a_file_that_cannot_be_graded(tmp_path, capsys, source, message):
    (tmp_path / "sigmoid.py").write_text(source)
    assert _exercise_cli(tmp_path, "check", "sigmoid", "--timeout", "0.5") == 1
    out = capsys.readouterr().out
    assert message in out and "Traceback" not in out


@pytest.mark.parametrize("words, message", [
    (["check", "sigmoid"], "there is no"),
    (["check", "sigmod"], "there is no exercise 'sigmod'. Did you mean 'sigmoid'"),
    (["check", "sigmoid", "--timeout", "0"], "--timeout must be positive"),
    (["hint", "nope"], "there is no exercise 'nope'"),
])
def test_exercises_usage_errors_are_one_line(tmp_path, capsys, words, message):
    if words[-1] == "0":
        (tmp_path / "sigmoid.py").write_text("x = 1\n")
    assert _exercise_cli(tmp_path, *words) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_exercises_dir_that_is_a_file(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert _exercise_cli(blocker, "list") == 2
    assert "is a file" in capsys.readouterr().err


def test_exercises_hints_and_reset(tmp_path, capsys):
    n = len(exercises.get("adam_update").hints)
    for i in range(n + 1):
        assert _exercise_cli(tmp_path, "hint", "adam_update") == 0
        assert capsys.readouterr().out.startswith(
            f"hint {min(i + 1, n)} of {n} for adam_update: ")
    assert exercises.Progress(tmp_path).hints == {"adam_update": n}
    assert _exercise_cli(tmp_path, "reset", "adam_update") == 0
    assert "forgot the progress of adam_update" in capsys.readouterr().out
    assert exercises.Progress(tmp_path).hints == {}
    (tmp_path / exercises.PROGRESS_FILE).write_text("not json")
    assert _exercise_cli(tmp_path, "list") == 2
    assert "not a progress file" in capsys.readouterr().err
    assert _exercise_cli(tmp_path, "reset") == 0
    assert not (tmp_path / exercises.PROGRESS_FILE).exists()
    assert _exercise_cli(tmp_path, "list") == 0


def test_exercises_without_an_action_prints_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["exercises"])
    assert exit_info.value.code == 0
    assert "start" in capsys.readouterr().out
