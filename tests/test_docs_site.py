"""The documentation site as a reader gets it: every public name has a page, nothing is loaded
from the network, and in headless Chromium (network off) the pages show parameters, figures,
rendered math and search results.

Building the site takes minutes, so these tests run only when asked:

* ``FROMSCRATCH_DOCS_SITE=docs/_build/html`` checks a site already built with the README's
  command (CI does this right after building it: every notebook executed, the tour included);
* ``FROMSCRATCH_DOCS_BUILD=1`` builds a small site in a temporary folder (one notebook executed,
  no tour) and checks that.

Without either they are skipped. The browser tests need Debian's ``chromium`` and
``chromium-driver``; ``FROMSCRATCH_REQUIRE_BROWSER=1`` (CI) makes their absence a failure.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from chromium import start_chromium

ROOT = Path(__file__).resolve().parents[1]
# The site's extensions: ``fs_apiref`` resolves the inventory's names as the build did.
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
#: The notebook the small build executes (a short one that draws figures).
EXECUTED_IN_SMALL_BUILD = "01_linear_regression"
#: Notebooks whose pages show no figure (none: every notebook draws). An entry is checked: the
#: test fails when that notebook shows figures, so the entry is removed then.
WITHOUT_FIGURES: set[str] = set()
#: Not in the reference: the ``python -m fromscratch`` entry point and a deprecated alias.
HIDDEN_MODULES = {"fromscratch.__main__", "fromscratch.testfunctions"}
CONSTANTS = (int, float, complex, str, bytes, bool, tuple, frozenset, type(None))


@dataclass
class Site:
    root: Path
    executed_notebooks: list[str]  # stems of the notebooks whose pages carry outputs
    has_tour: bool


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    given = os.environ.get("FROMSCRATCH_DOCS_SITE")
    notebooks = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))
    if given:
        root = Path(given).resolve()
        assert (root / "index.html").is_file(), f"FROMSCRATCH_DOCS_SITE={given}: no index.html"
        return Site(root, notebooks, has_tour=True)
    if os.environ.get("FROMSCRATCH_DOCS_BUILD") != "1":
        pytest.skip("set FROMSCRATCH_DOCS_BUILD=1 (or FROMSCRATCH_DOCS_SITE=<built site>)")
    out = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(ROOT / "docs"),
               str(out), "-D", "fs_tour=off", "-D", f"fs_execute_only={EXECUTED_IN_SMALL_BUILD}"]
    env = {**os.environ, "FROMSCRATCH_DOCS_CACHE": str(tmp_path_factory.mktemp("cache"))}
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-5000:]
    return Site(out, [EXECUTED_IN_SMALL_BUILD], has_tour=False)


def read_inventory(path: Path) -> dict[str, str]:
    """``objects.inv``: Python object name -> page, read as Sphinx writes it (four header
    lines, then zlib-compressed lines ``name domain:role priority uri display``)."""
    data = path.read_bytes()
    body = zlib.decompress(data.split(b"\n", 4)[4]).decode()
    inventory = {}
    for line in body.splitlines():
        match = re.match(r"(\S+)\s+py:\w+\s+-?\d+\s+(\S+)", line)
        if match:
            name, uri = match.groups()
            inventory[name] = uri.replace("$", name).split("#")[0]
    return inventory


def public_all() -> list[tuple[str, str]]:
    """(module, name) for every name of every public module's ``__all__``."""
    import fromscratch

    modules = ["fromscratch"] + [
        info.name for info in pkgutil.walk_packages(fromscratch.__path__, "fromscratch.")
        if info.name not in HIDDEN_MODULES
        and not any(part.startswith("_") for part in info.name.split(".")[1:])
    ]
    return [(module, name) for module in modules
            for name in getattr(importlib.import_module(module), "__all__", [])]


def resolve(dotted: str):
    """The object a dotted name of the inventory stands for (None if it names nothing)."""
    chain = importlib.import_module("fs_apiref").objects_along(dotted)
    return chain[0][0] if chain else None


def test_every_public_name_has_a_page(site):
    inventory = read_inventory(site.root / "objects.inv")
    documented_ids = {id(obj) for name in inventory for obj in [resolve(name)]
                      if obj is not None and not isinstance(obj, CONSTANTS)}
    names = public_all()
    assert len(names) > 500
    missing = []
    for module, name in names:
        obj = getattr(importlib.import_module(module), name)
        if inspect.ismodule(obj):
            found = obj.__name__ in inventory
        else:  # documented under this name, or (one object, several exports) under another
            found = f"{module}.{name}" in inventory or (
                not isinstance(obj, CONSTANTS) and id(obj) in documented_ids)
        if not found:
            missing.append(f"{module}.{name}")
    assert missing == []
    pages = set(inventory.values())
    assert all((site.root / page).is_file() for page in pages)


def test_nothing_is_loaded_from_the_network(site):
    """Scripts, styles, fonts, images and frames all come from the site itself (links a reader
    may follow are fine)."""
    loaded = re.compile(r"<(?:script|img|iframe|source)\b[^>]*\bsrc=\"([^\"]*)\"|"
                        r"<link\b[^>]*\bhref=\"([^\"]*)\"")
    external = re.compile(r"^(?:https?:)?//")
    found = set()
    pages = list(site.root.rglob("*.html"))
    assert len(pages) > 500
    for page in pages:
        for match in loaded.finditer(page.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            if external.match(url):
                found.add(f"{page.relative_to(site.root)}: {url}")
    for style in site.root.rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import)\s*['\"]?([^'\")\s;]+)",
                              style.read_text(encoding="utf-8", errors="replace")):
            if external.match(url):
                found.add(f"{style.relative_to(site.root)}: {url}")
    assert found == set()


def test_the_tour_is_part_of_the_site(site):
    if not site.has_tour:
        pytest.skip("the small build leaves the tour out")
    tour = site.root / "tour" / "index.html"
    assert tour.stat().st_size > 100_000
    assert 'src="tour/index.html"' in (site.root / "tour.html").read_text(encoding="utf-8")


# --- in the browser -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def offline_browser():
    """Headless Chromium that cannot reach any host: names do not resolve and every request
    goes to a closed proxy port. The performance log records each request it tried."""
    driver = start_chromium(["--window-size=1280,900", "--host-resolver-rules=MAP * ~NOTFOUND",
                             "--proxy-server=127.0.0.1:9", "--allow-file-access-from-files"],
                            logs=("browser", "performance"))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def open_page(browser, site: Site, page: str) -> None:
    browser.get_log("performance")  # forget earlier pages' requests
    browser.get((site.root / page).as_uri())


def requested_urls(browser) -> list[str]:
    import json

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def decoded_images(browser) -> list[tuple[str, bool]]:
    return browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        Promise.all([...document.querySelectorAll('main img')].map(img => img.decode().then(
            () => [img.src.slice(0, 60), img.naturalWidth > 0 && img.naturalHeight > 0],
            () => [img.src.slice(0, 60), false])))
        .then(done);
        """
    )


def test_index_loads_offline_without_errors(offline_browser, site):
    open_page(offline_browser, site, "index.html")
    assert offline_browser.title.startswith("fromscratch")
    assert "prove it" in offline_browser.find_element("css selector", "main").text
    urls = requested_urls(offline_browser)
    assert urls and all(url.startswith(("file:", "data:", "blob:", "about:")) for url in urls), [
        url for url in urls if not url.startswith(("file:", "data:", "blob:", "about:"))]
    problems = [e for e in offline_browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []


def test_linear_regression_page_shows_its_parameters(offline_browser, site):
    open_page(offline_browser, site, "api/generated/fromscratch.linear_model.LinearRegression.html")
    signature = offline_browser.find_element(
        "css selector", "dt.sig[id='fromscratch.linear_model.LinearRegression']").text
    assert "LinearRegression" in signature and "fit_intercept" in signature
    fields = offline_browser.find_element("css selector", "main dl.field-list").text
    assert "Parameters" in fields and "fit_intercept" in fields and "solver" in fields
    for method in ("fit", "predict", "score", "get_params"):
        assert offline_browser.find_elements(
            "css selector", f"dt[id='fromscratch.linear_model.LinearRegression.{method}']"), method


def test_notebook_pages_show_their_figures(offline_browser, site):
    for stem in site.executed_notebooks:
        open_page(offline_browser, site, f"notebooks/{stem}.html")
        images = decoded_images(offline_browser)
        if stem in WITHOUT_FIGURES:
            assert not images, f"{stem} shows figures now: remove it from WITHOUT_FIGURES"
            continue
        assert images, f"{stem}: no figure"
        assert all(ok for _, ok in images), f"{stem}: {[src for src, ok in images if not ok]}"
        assert all(url.startswith(("file:", "data:")) for url in requested_urls(offline_browser))


def test_math_is_rendered_not_raw(offline_browser, site):
    # Every notebook (its markdown is rendered also when it is not executed), and two API pages
    # with inline and display math from docstrings.
    notebooks = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))
    for page in (*(f"notebooks/{stem}.html" for stem in notebooks),
                 "api/generated/fromscratch.linear_model.Ridge.html",
                 "api/generated/fromscratch.metrics.roc_curve.html"):
        open_page(offline_browser, site, page)
        boxes = offline_browser.execute_script(
            """
            return [...document.querySelectorAll('main math')].map(m => {
                const r = m.getBoundingClientRect();
                return [m.getAttribute('alttext'), r.width > 0 && r.height > 0];
            });
            """
        )
        assert len(boxes) >= 3, f"{page}: almost no math"
        assert all(alt and shown for alt, shown in boxes), (page, boxes[:5])
        # What a reader sees, code left out: no TeX source between dollars or in a role.
        text = offline_browser.execute_script(
            """
            const main = document.querySelector('main').cloneNode(true);
            main.querySelectorAll('pre, code, math, .highlight').forEach(e => e.remove());
            return main.textContent;
            """
        )
        assert not re.search(r"\$[^$\s]+[^$]*\$|:math:|\\[a-z]+\{", text), page


def test_search_finds_adam(offline_browser, site):
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(offline_browser, site, "search.html")
    offline_browser.get((site.root / "search.html").as_uri() + "?q=adam")
    WebDriverWait(offline_browser, 30).until(lambda d: d.find_elements(
        "css selector", "#search-results ul.search li"))
    results = [e.text for e in offline_browser.find_elements(
        "css selector", "#search-results ul.search li a")]
    assert any(re.search(r"\bAdam\b", text) for text in results), results[:10]
