"""Every notebook of the curriculum executes from top to bottom and is stored without outputs."""

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
EXPECTED = [
    "01_linear_regression", "02_regularization", "03_logistic_regression",
    "04_autodiff_forward_mode", "05_autodiff_reverse_mode", "06_optimizers",
    "07_test_functions", "08_neural_networks", "09_out_of_core",
]


def test_notebook_names_follow_the_curriculum():
    unknown = [nb.stem for nb in NOTEBOOKS if nb.stem not in EXPECTED]
    assert unknown == [], f"notebooks outside the curriculum order: {unknown}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_notebook_is_stripped(path):
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name} is stored with outputs; strip them before committing"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_notebook_executes_and_shows_its_figures(path, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel a learner gets
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    # A Figure shown without an image (only its repr, "<Figure size 640x480 ...>") means the
    # learner sees text where a picture belongs: the notebook needs %matplotlib inline.
    text_only = [
        index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
        for output in cell.outputs
        if "<Figure size" in str(output.get("data", {}).get("text/plain", ""))
        and "image/png" not in output.get("data", {})
    ]
    assert text_only == [], f"cells {text_only} show a figure as text, not as an image"
