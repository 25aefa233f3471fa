"""The out-of-core chapter: it runs in quick mode and its checks pass, each topic J1–J5 has its
section, figure and check, the verification table covers every estimator that fits a Dask array,
the passes are measured (a fit that gathered X would fail them), and without Dask the chapter
says so and skips what needs it instead of failing."""

import sys

import numpy as np
import pytest

from fromscratch.tour import _out_of_core_fits, ch_out_of_core, get_chapters
from test_tour_optimizer_topics import _assert_topics_taught, _Unrendered


def _run():
    ch = _Unrendered(ch_out_of_core.__name__, ch_out_of_core.TITLE, quick=True)
    ch_out_of_core.run(ch)
    return ch


@pytest.fixture(scope="module")
def chapter():
    pytest.importorskip("dask.array")
    return _run()


def test_the_chapter_is_registered_after_the_model_chapters():
    slugs = [spec.slug for spec in get_chapters()]
    assert slugs[-2:] == ["out-of-core", "exercises"]  # the exercises grade every chapter
    assert slugs.index("nn") < slugs.index("out-of-core")
    assert get_chapters(["out-of-core"])[0].title == "When data outgrows memory"


def test_every_topic_has_its_section_figure_and_passing_check(chapter):
    assert list(ch_out_of_core.SECTIONS) == ["J1", "J2", "J3", "J4", "J5"]
    _assert_topics_taught(chapter, ch_out_of_core.SECTIONS)
    failed = [(c.what, c.difference, c.tolerance, c.detail) for c in chapter.failed_checks]
    assert failed == []
    assert not [c for c in chapter.checks if c.passed is None]  # nothing skipped with Dask


def test_the_verification_table_covers_every_estimator(chapter):
    tables = [b.payload for b in chapter.blocks if b.kind == "table"]
    columns, rows = next(t for t in tables if t[0][0] == "estimator on the lazy array")
    assert columns[-1] == "result" and {row[-1] for row in rows} == {"pass"}
    names = [row[0] for row in rows]
    for estimator in ("LinearRegression(solver='qr')", "LinearRegression(solver='cholesky')",
                      "Ridge", "Lasso", "ElasticNet", "LogisticRegression(solver='newton')",
                      "LogisticRegression(solver='lbfgs')", "StandardScaler"):
        assert any(name.startswith(estimator) for name in names), estimator
    # each row is a real check of the chapter, with the table's tolerance
    checks = {c.what: c for c in chapter.checks}
    for name in names:
        assert checks[f"{name} on the lazy array"].passed


def test_the_passes_are_counted_from_the_blocks_read(chapter):
    tables = [b.payload for b in chapter.blocks if b.kind == "table"]
    _, rows = next(t for t in tables if t[0][0] == "estimator on the lazy array")
    passes = {row[0]: float(row[1]) for row in rows}
    assert passes["LinearRegression(solver='cholesky')"] == 1.0  # one pass of moments
    assert passes["LinearRegression(solver='qr')"] == 1.05  # and the first block for c
    assert passes["LogisticRegression(solver='newton')"] >= 2  # a pass per Newton step


def test_block_reads_count_every_read_of_every_block():
    da = pytest.importorskip("dask.array")
    X = da.from_array(np.arange(20.0).reshape(10, 2), chunks=(3, 2))
    lazy, reads = _out_of_core_fits.counted(X)
    np.testing.assert_array_equal(lazy.compute(), X.compute())
    lazy.sum().compute()
    assert reads.passes(4) == 2.0 and reads.passes(4) == 0.0  # two passes, then reset


def test_a_fit_that_gathers_x_fails_the_pass_check(monkeypatch):
    """Newton's pass count is a real check: an estimator that gathered the Dask array into
    memory reads X once, fewer passes than iterations, and the chapter records a failure."""
    pytest.importorskip("dask.array")
    from fromscratch.linear_model import LogisticRegression
    from fromscratch.tour.chapter import Chapter

    fit = LogisticRegression.fit
    monkeypatch.setattr(LogisticRegression, "fit",
                        lambda self, X, y, **kw: fit(self, np.asarray(X), np.asarray(y), **kw))
    ch = Chapter("x", "X", quick=True)
    _out_of_core_fits._newton_passes(ch, _out_of_core_fits.Verification())
    assert ch.failed_checks[0].what == _out_of_core_fits.CHECK_J3


def test_without_dask_the_chapter_says_so_and_skips_the_lazy_runs(monkeypatch):
    for name in [m for m in sys.modules if m == "dask" or m.startswith("dask.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)  # `import dask` raises ImportError
    ch = _run()
    assert ch.failed_checks == []
    skipped = [c for c in ch.checks if c.passed is None]
    assert len(skipped) >= 8
    assert all("pip install 'fromscratch[dask]'" in c.detail for c in skipped)
    text = " ".join(b.payload for b in ch.blocks if b.kind == "text")
    assert "**Dask is not installed here**" in text
    assert "benchmarks/bench_dask.py --big" in text
    # the identities on NumPy blocks still run, and every topic keeps its section
    checks = {c.what: c for c in ch.checks}
    assert checks[ch_out_of_core.SECTIONS["J1"]["check"]].passed
    assert checks[ch_out_of_core.SECTIONS["J2"]["check"]].passed
    headings = [b.payload for b in ch.blocks if b.kind == "heading"]
    assert headings == [t["section"] for t in ch_out_of_core.SECTIONS.values()]
