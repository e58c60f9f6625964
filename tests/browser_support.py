"""The pages in a real browser: a real `qfgraph serve` (embedded store, demo graph) on a free
loopback port, Debian's chromium driven headless through selenium and chromedriver, and
axe-core run inside the page for accessibility.

Use from a test module:

    from tests.browser_support import axe, at_width, browser, screenshot, served  # noqa: F401 (fixtures)

    def test_home(browser, served, screenshot):
        browser.get(served + "/")
        screenshot(browser, "home")              # PNG under the run's output folder
        assert axe(browser) == []                # serious and critical violations only

A missing part (selenium, chromium, chromedriver, axe-core) skips with one line saying what
to install, and fails instead under CI=1 (.ci/run installs everything), as tests/servers.py.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import HOST, free_port, stop_group

try:   # for the test modules (a missing selenium skips them in the fixtures, see need_browser)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    By = expected_conditions = WebDriverWait = None

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1280, 900)
PHONE = (390, 844)
GRAVE = ("serious", "critical")


def missing(what: str) -> None:
    """Skip the test naming what to install; fail under CI=1, which installs everything."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (.ci/run does)")
    pytest.skip(what)


def need_browser() -> None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing("selenium is not installed: python3 -m pip install -e '.[test]'")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not shutil.which(path):
            missing(f"{path} is not here: apt-get install {package}")


class Served:
    """`qfgraph serve --demo` on an embedded store in `directory`, on a free loopback port."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, *flags: str, store: str | None = None, timeout: float = 120) -> "Served":
        log = open(self.directory / "serve.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qfgraph.api.cli", "serve", "--store", store or str(self.directory / "store"),
             "--host", HOST, "--port", str(self.port), "--tokens", str(self.directory / "tokens.json"), *flags],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"qfgraph serve exited ({self.process.returncode}); see {self.directory / 'serve.log'}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"qfgraph serve did not answer on {self.url} within {timeout:g} s")

    def stop(self) -> None:
        if self.process:
            stop_group(self.process)


def new_browser(width: int = DESKTOP[0], height: int = DESKTOP[1]):
    """Headless chromium through chromedriver, at a desktop's size."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--no-first-run", "--disable-extensions", f"--window-size={width},{height}", "--lang=en-GB"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    return driver


def at_width(driver, width: int, height: int | None = None) -> None:
    """Show the page as a screen `width` CSS pixels wide (a phone: PHONE); `width` of the
    desktop (DESKTOP) lifts the emulation."""
    if (width, height or DESKTOP[1]) == DESKTOP:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        return
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height or PHONE[1], "deviceScaleFactor": 1, "mobile": width < 800})


def save_screenshot(driver, folder: Path, name: str) -> Path:
    """The whole page (beyond the window) as PNG `folder/name.png`."""
    import base64
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    path = Path(folder) / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def axe(driver, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")) -> list[dict]:
    """The serious and critical violations axe-core finds in the page now shown (WCAG 2.1 A
    and AA rules), each as {id, impact, help, nodes: [css selectors]}."""
    if not AXE.exists():
        missing("axe-core is not installed: npm ci --prefix tests/axe")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));",
        list(tags))
    violations = json.loads(result)
    if isinstance(violations, dict):
        raise RuntimeError(f"axe-core failed: {violations['error']}")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [", ".join(n["target"]) if isinstance(n["target"], list) else n["target"] for n in v["nodes"]]}
            for v in violations if v.get("impact") in GRAVE]


def timing(driver) -> dict:
    """The Navigation Timing of the page just loaded, in milliseconds from its start: time to
    first byte (responseStart) and full load (loadEventEnd)."""
    entry = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return n ? {ttfb: n.responseStart - n.startTime, load: n.loadEventEnd - n.startTime} : null;")
    return entry


@pytest.fixture(scope="session")
def served(tmp_path_factory) -> str:
    """The URL of a `qfgraph serve --demo` started once for the session."""
    need_browser()
    server = Served(tmp_path_factory.mktemp("serve")).start("--demo")
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session, at desktop size at the start of every use."""
    need_browser()
    driver = new_browser()
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser, tmp_path_factory):
    """screenshot(driver, name): a PNG of the whole page under the run's output folder
    (`screenshots/` in pytest's base temporary directory); returns its path."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    at_width(browser, *DESKTOP)
    yield lambda driver, name: save_screenshot(driver, folder, name)
    at_width(browser, *DESKTOP)


# The screenshots of docs/pages.md: `python -m tests.browser_support docs/img` (the top of
# each page as a desktop and a phone show it).
DOC_PAGES = {"home": "/", "micro-credentials": "/micro-credentials?country=HRV",
             "micro-credential": "/micro-credentials/hr/mc/weld-inspection",
             "qualification": "/qualifications/hr/qualification/welder#requirements",
             "compare": "/frameworks/compare?f=croqf&f=nlqf&f=dqf#comparison"}


def doc_screenshots(folder: Path) -> None:
    import tempfile
    folder.mkdir(parents=True, exist_ok=True)
    server = Served(Path(tempfile.mkdtemp(prefix="qfgraph-shots-"))).start("--demo")
    driver = new_browser()
    try:
        for name, path in DOC_PAGES.items():
            for suffix, size in (("", DESKTOP), ("-phone", PHONE)):
                at_width(driver, *size)
                driver.get(server.url + path)
                driver.save_screenshot(str(folder / f"{name}{suffix}.png"))
    finally:
        driver.quit()
        server.stop()


if __name__ == "__main__":
    doc_screenshots(Path(sys.argv[1]))
