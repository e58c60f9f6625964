"""The pages in a real browser on a real `qfgraph serve --demo`: what a person does on them,
with a screenshot of each (desktop and a phone's 390 px) and axe-core's accessibility check."""
from __future__ import annotations

import pytest

from tests.browser_support import (  # noqa: F401 (fixtures)
    PHONE, By, at_width, axe, browser, screenshot, served,
)

pytestmark = pytest.mark.server


def both_widths(browser, screenshot, name: str) -> None:
    screenshot(browser, name)
    at_width(browser, *PHONE)
    browser.refresh()
    width = browser.execute_script("return document.documentElement.scrollWidth")
    screenshot(browser, name + "-phone")
    assert width <= PHONE[0], f"{name}: the page is {width} px wide on a {PHONE[0]} px screen"


def test_search_for_a_micro_credential_and_open_it(browser, served, screenshot):
    browser.get(served + "/")
    box = browser.find_element(By.ID, "home-q")
    box.send_keys("MAG welding")
    box.submit()
    assert "/search" in browser.current_url
    results = browser.find_elements(By.CSS_SELECTOR, ".results a.title")
    assert any("MAG welding" in r.text for r in results)
    screenshot(browser, "search")
    next(r for r in results if "/micro-credentials/" in r.get_attribute("href")).click()
    assert browser.find_element(By.TAG_NAME, "h1").text
    elements = browser.find_element(By.CSS_SELECTOR, "dl.elements").text
    assert "Learning outcomes" in elements and "Type of quality assurance" in elements
    both_widths(browser, screenshot, "micro-credential")


def test_a_list_filters_as_the_api_does(browser, served, screenshot):
    browser.get(served + "/micro-credentials")
    browser.find_element(By.CSS_SELECTOR, "#f-country option[value='NLD']").click()
    browser.find_element(By.CSS_SELECTOR, "#f-eqf option[value='4']").click()
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    assert "country=NLD" in browser.current_url and "eqf=4" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, ".results li")
    assert rows and all("EQF 4" in r.text and "Netherlands" in r.text for r in rows)
    both_widths(browser, screenshot, "micro-credentials")


def test_open_a_qualification_and_see_its_requirement_tree(browser, served, screenshot):
    browser.get(served + "/qualifications")
    next(a for a in browser.find_elements(By.CSS_SELECTOR, ".results a.title") if a.text == "Welder").click()
    tree = browser.find_element(By.ID, "requirement-tree")
    rules = [r.text for r in tree.find_elements(By.CSS_SELECTOR, ".rule")]
    assert rules == ["All of", "2 of 3", "At least 65 ECTS"]
    assert "MAG welding" in tree.text and "recognised: Manual metal arc welding" in tree.text
    path = browser.find_element(By.ID, "find-path")
    assert path.get_attribute("href").endswith("/paths?target=https%3A//w3id.org/qfgraph/id/hr/qualification/welder")
    both_widths(browser, screenshot, "qualification")


def test_compare_two_frameworks(browser, served, screenshot):
    browser.get(served + "/frameworks")
    for fw in ("croqf", "nlqf"):
        browser.find_element(By.CSS_SELECTOR, f"input[name=f][value={fw}]").click()
    browser.find_element(By.ID, "compare-button").click()
    table = browser.find_element(By.ID, "comparison")
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers[0] == "EQF" and len(headers) == 3
    eqf4 = next(tr for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr") if tr.text.startswith("Level 4"))
    said = eqf4.get_attribute("textContent")
    assert "CROQF level 4.1" in said and "NLQF level 4" in said
    both_widths(browser, screenshot, "compare")


@pytest.mark.parametrize("path", ["/", "/micro-credentials", "/qualifications/hr/qualification/welder",
                                  "/micro-credentials/hr/mc/weld-inspection", "/frameworks/compare?f=croqf&f=nlqf",
                                  "/frameworks", "/search?q=weld", "/id/hr/unit/welder-mag", "/nothing"])
def test_no_serious_accessibility_violation(browser, served, screenshot, path):
    browser.get(served + path)
    assert axe(browser) == []
    at_width(browser, *PHONE)
    assert axe(browser) == []


def test_keyboard_reaches_the_content_first(browser, served):
    """The first Tab shows the skip link; following it puts the focus on the content."""
    from selenium.webdriver.common.keys import Keys
    browser.get(served + "/qualifications")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Skip to content"
    focused.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
