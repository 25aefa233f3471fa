"""``fromscratch optimize``: races optimizers, prints the table, writes PNG or GIF; one-line
errors with suggestions and exit status 2 for what a user can get wrong."""

import subprocess
import sys

import numpy as np
import pytest

from fromscratch.cli import main


def _rows(out: str) -> dict[str, list[str]]:
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("optimizer"))
    rows = {}
    for line in lines[header + 1:]:
        if not line.strip():
            break
        cells = line.split()
        rows[cells[0]] = cells
    return rows


def test_png_race_prints_the_table(tmp_path, capsys):
    out = tmp_path / "race.png"
    code = main(["optimize", "rosenbrock", "--optimizer", "momentum", "newton", "sgd",
                 "--lr", "1e-3", "1", "1e-3", "--steps", "2000", "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    rows = _rows(text)
    assert list(rows) == ["momentum", "newton", "sgd"]
    # Newton reaches (1, 1) exactly; plain SGD at 1e-3 is still crawling along the valley.
    assert rows["newton"][3:5] == ["0", "0"] and rows["newton"][-1] == "converged"
    assert int(rows["momentum"][5]) < 2000 and rows["sgd"][5] == "-"
    assert f"picture: {out}" in text
    from PIL import Image

    with Image.open(out) as image:
        assert image.format == "PNG"


def test_one_lr_for_all_and_the_table_matches_minimize(tmp_path, capsys):
    from fromscratch.benchfunctions import get
    from fromscratch.optim import minimize

    assert main(["optimize", "booth", "--optimizer", "adam", "rmsprop", "--lr", "0.1",
                 "--steps", "50", "--start", "-3", "4", "--out", str(tmp_path / "b.png")]) == 0
    rows = _rows(capsys.readouterr().out)
    reference = minimize(get("booth"), np.array([-3.0, 4.0]), "adam", steps=50, tol=0.0, lr=0.1)
    assert rows["adam"][1] == "0.1" and rows["rmsprop"][1] == "0.1"
    assert float(rows["adam"][2]) == pytest.approx(reference.fun, rel=1e-5)


def test_gif_race(tmp_path, capsys):
    from PIL import Image

    out = tmp_path / "race.gif"
    assert main(["optimize", "saddle", "--optimizer", "sgd", "adam", "--lr", "0.05",
                 "--steps", "6", "--out", str(out)]) == 0
    rows = _rows(capsys.readouterr().out)
    assert rows["sgd"][3:6] == ["-", "-", "-"]  # no minimum: no gap, distance or arrival
    with Image.open(out) as gif:
        assert gif.format == "GIF" and gif.n_frames == 7  # one frame per step when few


def test_list(capsys):
    assert main(["optimize", "x", "--list"]) == 0
    out = capsys.readouterr().out
    assert "rosenbrock" in out and "nesterov" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rosenbrok"], "unknown function 'rosenbrok' (did you mean 'rosenbrock'?)"),
        (["beale", "--optimizer", "adam", "nestrov"],
         "unknown optimizer 'nestrov' (did you mean 'nesterov'?)"),
        (["beale", "--optimizer", "adam", "sgd", "newton", "--lr", "1", "2"],
         "--lr takes one learning rate or one per optimizer (3); got 2"),
        (["beale", "--lr", "-1"], "--lr must be positive"),
        (["beale", "--steps", "0"], "--steps must be at least 1"),
        (["beale", "--out", "race.jpg"], "must end in .png or .gif"),
        (["beale", "--out", "/nonexistent-folder/race.png"], "cannot be written"),
    ],
)
def test_usage_errors_are_one_line(argv, message, capsys):
    assert main(["optimize", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fromscratch optimize: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_out_pointing_at_a_folder(tmp_path, capsys):
    folder = tmp_path / "pictures.png"
    folder.mkdir()
    assert main(["optimize", "beale", "--out", str(folder)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_python_dash_m(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "fromscratch", "optimize", "bogus"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2 and "unknown function 'bogus'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_optimizer_chapters_pass_in_quick_mode(tmp_path, capsys):
    """The tour's 'optimizers' and 'testfunctions' chapters: every check passes, nothing crashes."""
    assert main(["tour", "--quick", "--chapter", "optimizers", "testfunctions",
                 "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "Optimizers" in out and "Optimization test functions" in out
    assert "FAILED" not in out and "CRASHED" not in out
    assert (tmp_path / "index.html").stat().st_size > 100_000  # the figures are embedded
