"""The SPARQL page in a real browser on a real `qfgraph serve --demo`: pick an example query,
run it, see the table; the editor is CodeMirror over the form's text area; axe-core and
screenshots at desktop and phone width."""
from __future__ import annotations

import pytest

from tests.browser_support import (  # noqa: F401 (fixtures)
    PHONE, By, WebDriverWait, at_width, axe, browser, expected_conditions, screenshot, served,
)
from selenium.webdriver.support.ui import Select

pytestmark = pytest.mark.server


def test_a_researcher_runs_an_example_query_and_sees_the_table(browser, served, screenshot):
    browser.get(served + "/query")
    WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".cm-editor")))
    assert not browser.find_element(By.ID, "query").is_displayed()     # the editor stands in for it
    Select(browser.find_element(By.ID, "example")).select_by_value("01-micro-credentials-by-eqf-level-and-country")
    assert "GROUP BY ?country ?eqf" in browser.find_element(By.CSS_SELECTOR, ".cm-content").text
    assert axe(browser) == []
    screenshot(browser, "query-editor")
    browser.find_element(By.XPATH, '//button[normalize-space()="Run query"]').click()
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.results-table")))
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.results-table th")]
    assert heads == ["country", "eqf", "microCredentials", "ects"]
    first = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.results-table tbody tr:first-child td")]
    assert first == ["DNK", "3", "6", "8.5"]
    assert axe(browser) == []
    screenshot(browser, "query-results")
    at_width(browser, *PHONE)
    assert axe(browser) == []
    screenshot(browser, "query-results-phone")


def test_a_query_typed_in_the_editor_runs(browser, served, screenshot):
    browser.get(served + "/query")
    WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".cm-content")))
    content = browser.find_element(By.CSS_SELECTOR, ".cm-content")
    content.click()
    content.send_keys("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/qfgraph#MicroCredential> }")
    browser.find_element(By.XPATH, '//button[normalize-space()="Run query"]').click()
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.results-table")))
    assert browser.find_element(By.CSS_SELECTOR, "table.results-table th").text == "n"
    assert int(browser.find_element(By.CSS_SELECTOR, "table.results-table td").text) > 10
