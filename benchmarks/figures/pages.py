"""The pages in a real browser at this scale: time to first byte and full page load (the
Navigation Timing API in headless chromium) of the home page, a qualification page (a big
qualification of the manifest), a micro-credential page and the micro-credentials list, on
`qfgraph serve` over the generated data.

Baselines in the same run, same server, same browser: for the home page and the list, the
stylesheet (a static file: what a navigation costs before any work); for a qualification
and a micro-credential, the same entity's JSON from /api/v1 (the same catalogue read,
without the page). Needs Debian's chromium and chromedriver and selenium (the `test` extra).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.common import Row, Stats
from benchmarks.figures.http import _build_store, _free_port

NAME = "pages"
DESCRIPTION = "pages in headless chromium: time to first byte and full load (home, qualification, list)"

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
HOST = "127.0.0.1"


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,900"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def _timings(driver, url: str, repeat: int, warmup: int = 2) -> tuple[Stats, Stats]:
    """(time to first byte, full load) of `repeat` fresh navigations to `url`, in ms."""
    ttfb, load = [], []
    for i in range(warmup + repeat):
        driver.get(url)
        t = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return [n.responseStart - n.startTime, n.loadEventEnd - n.startTime, n.responseStatus || 200];")
        if t[2] != 200:
            raise RuntimeError(f"{url} answered {t[2]}")
        if i >= warmup:
            ttfb.append(t[0])
            load.append(t[1])
    return Stats.of(ttfb), Stats.of(load)


def _serve(store_dir: str, port: int, log) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "qfgraph.api.cli", "serve", "--store", store_dir,
                                "--host", HOST, "--port", str(port), "--tokens", str(Path(store_dir) / "t.json")],
                               stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"qfgraph serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/static/qfgraph.css", timeout=5):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise TimeoutError("qfgraph serve did not answer within 300 s")


def run(ctx) -> list[Row]:
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        raise RuntimeError("the pages figure needs apt-get install chromium chromium-driver")
    manifest = ctx.manifest
    base = "https://w3id.org/qfgraph/id/"
    qualification = manifest["big_qualifications"][0][len(base):]
    micro_credential = manifest["selective"]["micro_credential"][len(base):]
    repeat = max(5, ctx.repeat)
    work = tempfile.mkdtemp(prefix="qfgraph-pages-")
    process = driver = None
    try:
        _build_store(ctx, work + "/store")
        port = _free_port()
        with open(Path(work) / "serve.log", "ab") as log:
            process = _serve(work + "/store", port, log)
        driver = _browser()
        url = f"http://{HOST}:{port}"
        static = _timings(driver, url + "/static/qfgraph.css", repeat)
        rows = []
        for name, path, baseline_name, baseline_path in (
                ("home /", "/", "the stylesheet (static file)", None),
                ("micro-credentials list", "/micro-credentials", "the stylesheet (static file)", None),
                (f"qualification page ({qualification})", f"/qualifications/{qualification}",
                 "its JSON (/api/v1)", f"/api/v1/qualifications/{qualification}"),
                (f"micro-credential page ({micro_credential})", f"/micro-credentials/{micro_credential}",
                 "its JSON (/api/v1)", f"/api/v1/micro-credentials/{micro_credential}")):
            ttfb, load = _timings(driver, url + path, repeat)
            base_ttfb, base_load = _timings(driver, url + baseline_path, repeat) if baseline_path else static
            rows.append(Row(f"{name}: time to first byte", ttfb, base_ttfb, baseline_name))
            rows.append(Row(f"{name}: full page load", load, base_load, baseline_name))
        return rows
    finally:
        if driver is not None:
            driver.quit()
        if process is not None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)
