"""The tour framework: the chapter API, the Markdown subset, the HTML report and the runner."""

import re

import numpy as np
import pytest

from fromscratch.tour import Chapter, chapter_names, get_chapters, run_tour
from fromscratch.tour.mathtext import render_math
from fromscratch.tour.report import render_markdown


def test_check_close_passes_and_fails_on_the_stated_tolerance():
    ch = Chapter("x", "X")
    assert ch.check_close("same", "ref", [1.0, 2.0], [1.0, 2.0 + 1e-9], rtol=1e-8)
    assert not ch.check_close("off", "ref", [1.0, 2.0], [1.0, 2.1], rtol=1e-8)
    assert not ch.check_close("shape", "ref", [1.0], [1.0, 2.0])
    assert not ch.check("nan", "ref", np.nan, 1.0)
    assert [c.status for c in ch.checks] == ["pass", "FAIL", "FAIL", "FAIL"]
    assert ch.checks[0].tolerance == pytest.approx(2e-8)
    assert len(ch.failed_checks) == 3


def test_check_bound_and_skip():
    ch = Chapter("x", "X")
    assert ch.check_bound("accuracy", "target", 0.97, at_least=0.95)
    assert not ch.check_bound("accuracy", "target", 0.90, at_least=0.95)
    assert not ch.check_bound("loss", "target", np.nan, at_most=1.0)
    ch.skip("torch parity", "PyTorch", "torch is not installed")
    assert [c.status for c in ch.checks] == ["pass", "FAIL", "FAIL", "skip"]


def test_table_rows_must_match_columns():
    ch = Chapter("x", "X")
    ch.table(["a", "b"], [[1, 0.5]])
    assert ch.blocks[-1].payload == (["a", "b"], [["1", "0.5"]])
    with pytest.raises(ValueError, match="2 columns"):
        ch.table(["a", "b"], [[1]])


def test_unrenderable_math_fails_in_the_chapter():
    ch = Chapter("x", "X")
    with pytest.raises(ValueError, match="cannot render the math"):
        ch.equation(r"\frac{1}{")
    with pytest.raises(ValueError, match="not a known TeX command"):
        ch.equation(r"\frca{1}{2}")
    with pytest.raises(ValueError, match="cannot render the math"):
        ch.text(r"inline $\frac{1}{$ here")


def test_math_renders_to_mathml_with_its_source():
    inline = render_math(r"\frac{\partial f}{\partial x}")
    assert inline.startswith("<math ") and 'display="inline"' in inline
    assert 'alttext="\\frac{\\partial f}{\\partial x}"' in inline
    assert "<mfrac>" in inline and "&#x02202;" in inline  # the partial sign, as text
    assert 'display="block"' in render_math("x^2", display=True)


def test_markdown_subset():
    out = render_markdown("A **bold** and *italic* `x < y` claim.\n\n- one\n- two <b>")
    assert "<strong>bold</strong>" in out and "<em>italic</em>" in out
    assert "<code>x &lt; y</code>" in out
    assert "<ul><li>one</li><li>two &lt;b&gt;</li></ul>" in out
    assert "<math " in render_markdown("the mean $\\bar x$ here")


def test_emphasis_may_surround_math_and_code():
    out = render_markdown("**the odds $e^{w_j}$ per unit** and *`fit` then $x$*")
    assert out.startswith("<p><strong>the odds <math ") and "per unit</strong>" in out
    assert "<em><code>fit</code> then <math " in out
    assert "*" not in re.sub(r"<[^>]+>", "", out)


@pytest.mark.parametrize("text", ["**unclosed bold", "an *unclosed emphasis", "a `stray tick",
                                  "costs $5", "bold** at the end"])
def test_leftover_markdown_is_an_error_in_the_chapter(text):
    with pytest.raises(ValueError, match="unrendered Markdown marker"):
        Chapter("x", "X").text(text)


def test_leftover_markdown_in_headings_tables_captions_and_checks_is_an_error():
    ch = Chapter("x", "X")
    with pytest.raises(ValueError, match="unrendered"):
        ch.heading("a **heading")
    with pytest.raises(ValueError, match="unrendered"):
        ch.table(["a", "b"], [["`x", 1]])
    with pytest.raises(ValueError, match="unrendered"):
        ch.check("**what", "ref", 0.0, 1.0)


def test_notation_that_is_not_markup_is_kept():
    # an optimum written L*, and a product a * b with spaces, are not emphasis
    out = render_markdown("the optimum L* and 2 * 3")
    assert "L* and 2 * 3" in out


def test_code_block_shows_the_library_source_without_its_docstring():
    from fromscratch.linear_model import enet_coordinate_descent_textbook as kernel
    from fromscratch.tour.report import _render_block

    ch = Chapter("x", "X")
    ch.code(kernel, "the kernel")
    source = ch.blocks[-1].payload
    assert source.startswith("def enet_coordinate_descent_textbook(")
    assert kernel.__doc__.strip().splitlines()[0] not in source
    assert "coordinate_descent_sweep(X, w, r, l1, l2)" in source
    html = _render_block(ch.blocks[-1])
    assert html.startswith("<figure><pre><code>def ")
    assert "gap <= gap_tol" in source and "gap &lt;= gap_tol" in html  # escaped
    assert "<figcaption>the kernel</figcaption>" in html


def test_registry_rejects_unknown_chapters_with_a_suggestion():
    assert chapter_names()[0] == "intro"
    with pytest.raises(ValueError, match="did you mean 'datasets'"):
        get_chapters(["datasetz"])


class _FakeModule:
    TITLE = "Fake"

    @staticmethod
    def run(ch):
        ch.text("Hello $x^2$.")
        ch.check("ok", "ref", 0.0, 1.0)


class _CrashingModule:
    TITLE = "Crash"

    @staticmethod
    def run(ch):
        ch.text("before the crash")
        raise RuntimeError("boom")


def _patch_registry(monkeypatch, modules):
    from fromscratch.tour import registry, runner

    specs = [registry.ChapterSpec(slug, slug) for slug in modules]
    monkeypatch.setattr(registry.ChapterSpec, "load", lambda self: modules[self.slug])
    monkeypatch.setattr(runner, "get_chapters", lambda names: specs)


def test_runner_reports_a_crash_and_keeps_going(tmp_path, monkeypatch):
    _patch_registry(monkeypatch, {"crash": _CrashingModule, "fake": _FakeModule})
    path, outcomes = run_tour(tmp_path, quick=True, progress=False)
    assert [o.ok for o in outcomes] == [False, True]
    assert "RuntimeError: boom" in outcomes[0].error
    page = path.read_text()
    assert page.count("<section") == 2
    assert "RuntimeError: boom" in page and "before the crash" in page
    # Self-contained: no external URL is referenced by any src or href.
    assert not re.search(r'(src|href)="(?!data:|#)', page)
