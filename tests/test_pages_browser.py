"""The pages in a real browser on a real `qfgraph serve --demo`: what a person does on them,
with a screenshot of each and axe-core's accessibility check."""
from __future__ import annotations

import pytest

from tests.browser_support import PHONE, By, at_width, axe, browser, screenshot, served  # noqa: F401 (fixtures)

pytestmark = pytest.mark.server


def test_home_shows_what_the_graph_holds(browser, served, screenshot):
    browser.get(served + "/")
    figures = browser.find_element(By.CSS_SELECTOR, ".figures").text
    assert "micro-credentials" in figures and "qualifications" in figures
    screenshot(browser, "home")
    assert axe(browser) == []
    at_width(browser, *PHONE)
    screenshot(browser, "home-phone")
