"""Headless Chromium for the browser tests (Debian's ``chromium`` and ``chromium-driver``).

Without them a browser test is skipped, unless ``FROMSCRATCH_REQUIRE_BROWSER=1`` (set by CI)
makes that a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
#: Every test browser: headless, in a container, and without Chromium's own network traffic.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-background-networking", "--disable-sync",
         "--disable-component-update")


def start_chromium(flags: Sequence[str] = (), logs: Sequence[str] = ("browser",)) -> Any:
    """A started Chromium WebDriver with :data:`FLAGS` and ``flags``, recording the ``logs``
    named (``"browser"``: the console, ``"performance"``: every request)."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("FROMSCRATCH_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium and chromedriver are required (FROMSCRATCH_REQUIRE_BROWSER=1)")
        pytest.skip("chromium / chromedriver not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, *flags):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {log: "ALL" for log in logs})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
