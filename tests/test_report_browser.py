"""Open the tour's report in a real headless Chromium: it loads, every image decodes, and the
console stays clean.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Without them
the test is skipped, unless ``FROMSCRATCH_REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
"""

import pytest

from chromium import start_chromium


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium(["--window-size=420,900"])
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from fromscratch.tour import run_tour

    path, outcomes = run_tour(tmp_path_factory.mktemp("tour"), ["datasets", "linreg"],
                              quick=True, progress=False)
    assert all(o.error is None for o in outcomes), outcomes[0].error
    return path


def test_report_loads_with_decoded_images_and_no_console_errors(browser, report):
    browser.get(report.as_uri())
    assert browser.title == "fromscratch — the tour"
    assert browser.find_element("css selector", "section#datasets h2").text == "Data sets"

    results = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        Promise.all([...document.images].map(img => img.decode().then(
            () => [img.alt, img.naturalWidth > 0 && img.naturalHeight > 0],
            () => [img.alt, false])))
        .then(done);
        """
    )
    figures = browser.execute_script("return document.querySelectorAll('figure img').length")
    assert figures >= 1, "the Data sets chapter shows no figure"
    assert results and all(ok for _, ok in results), [alt for alt, ok in results if not ok]

    problems = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert problems == []

    # Readable on a phone: nothing wider than the 420-px window but scrollable tables/equations.
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_math_is_rendered_by_the_browser_and_searchable(browser, report):
    browser.get(report.as_uri())
    boxes = browser.execute_script(
        """
        return [...document.querySelectorAll('math')].map(m => {
            const r = m.getBoundingClientRect();
            return [m.getAttribute('alttext'), r.width, r.height, m.textContent];
        });
        """
    )
    assert len(boxes) > 20, "the chapters show almost no math"
    flat = [alt for alt, width, height, _ in boxes if not (width > 0 and height > 0)]
    assert flat == [], f"formulas laid out with zero size: {flat[:5]}"
    assert all(alt for alt, *_ in boxes), "a formula without its LaTeX source in alttext"
    # The formulas are text: the browser's find-in-page reaches a symbol inside one.
    symbol = next(text.strip()[0] for *_, text in boxes if text.strip())
    assert browser.execute_script("return window.find(arguments[0]);", symbol)


def test_no_markdown_markers_reach_the_reader(browser, report):
    browser.get(report.as_uri())
    texts = browser.execute_script(
        """
        return [...document.querySelectorAll('main p, main li, main h3, main td, main figcaption')]
            .map(e => { const c = e.cloneNode(true);
                        c.querySelectorAll('code, math').forEach(x => x.remove());
                        return c.textContent; });
        """
    )
    leftovers = [t for t in texts if "**" in t or "`" in t or "$" in t]
    assert leftovers == []


def test_the_report_stays_small(report):
    """Figures are most of the page; everything else (text, MathML, tables) is under 100 KB
    per chapter (the two chapters here: 173 KB, half of it the 290 formulas of the linear
    regression chapter). The SVG equations MathML replaced weighed ~5 KB each."""
    import re

    page = report.read_text(encoding="utf-8")
    figures = sum(map(len, re.findall(r'src="data:image/png;base64,[^"]*"', page)))
    maths = re.findall(r"<math.*?</math>", page, flags=re.S)
    assert maths and max(map(len, maths)) < 6_000
    assert len(page) - figures < 250_000, f"{len(page) - figures} bytes besides the figures"
