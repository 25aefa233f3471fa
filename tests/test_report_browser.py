"""Open the tour's report in a real headless Chromium: it loads, every image decodes, and the
console stays clean.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). Without them
the test is skipped, unless ``FROMSCRATCH_REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("FROMSCRATCH_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium and chromedriver are required (FROMSCRATCH_REQUIRE_BROWSER=1)")
        pytest.skip("chromium / chromedriver not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=420,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from fromscratch.tour import run_tour

    path, outcomes = run_tour(tmp_path_factory.mktemp("tour"), ["datasets"], quick=True,
                              progress=False)
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
