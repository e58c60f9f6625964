"""The path explorer in a real browser on a real `qfgraph serve --demo`: a counsellor finds the
target by its title, ticks two micro-credentials the person holds and the prior learning they
claim, and sees the diagram with the right stages; the held list filters as one types; the
print view; axe-core on each; screenshots at desktop and phone width."""
from __future__ import annotations

import pytest

from tests.browser_support import (  # noqa: F401 (fixtures)
    PHONE, By, WebDriverWait, at_width, axe, browser, expected_conditions, screenshot, served,
)

pytestmark = pytest.mark.server

HR = "https://w3id.org/qfgraph/id/hr/"


def tick(browser, name: str, iri: str) -> None:
    box = browser.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{iri}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    if not box.is_selected():
        box.click()


def submit(browser, label: str) -> None:
    button = browser.find_element(By.XPATH, f'//button[normalize-space()="{label}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


def stages(browser, svg_id: str = "path-1") -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for g in browser.find_elements(By.CSS_SELECTOR, f"svg#{svg_id} g.mc"):
        out.setdefault(g.get_attribute("data-stage"), set()).add(g.get_attribute("data-iri").rsplit("/", 1)[-1])
    return out


def test_a_counsellor_computes_a_path_for_a_learner_holding_two_micro_credentials(browser, served, screenshot):
    browser.get(served + "/paths")
    assert axe(browser) == []
    browser.find_element(By.ID, "q").send_keys("welder")
    submit(browser, "Search")
    browser.find_element(By.CSS_SELECTOR, f'input[name="target"][value="{HR}qualification/welder"]').click()
    submit(browser, "Search")      # the target's micro-credentials, units and outcomes to tick
    WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, 'input[name="claims"]')))
    for mc in ("ohs-metalwork", "mag-welding-plates"):
        tick(browser, "held", HR + "mc/" + mc)
    tick(browser, "claims", HR + "unit/welder-mma")
    tick(browser, "claims", HR + "outcome/mag-pipes")
    screenshot(browser, "paths-form")
    submit(browser, "Find paths")
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, "path-1")))
    assert stages(browser) == {"1": {"technical-drawing", "tig-welding"}, "2": {"weld-inspection"}}
    validations = browser.find_elements(By.CSS_SELECTOR, "svg#path-1 g.validation")
    assert sorted(v.get_attribute("data-iri").rsplit("/", 1)[-1] for v in validations) == ["mag-pipes", "welder-mma"]
    assert "Best path: 13 ECTS" in browser.find_element(By.ID, "path-1-heading").text
    assert axe(browser) == []
    screenshot(browser, "paths-answer")
    at_width(browser, *PHONE)
    assert axe(browser) == []
    screenshot(browser, "paths-answer-phone")
    # the print view: the same stages, no navigation
    at_width(browser, 1280, 900)
    browser.find_element(By.LINK_TEXT, "Print view for the person").click()
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.ID, "path-1")))
    assert stages(browser) == {"1": {"technical-drawing", "tig-welding"}, "2": {"weld-inspection"}}
    assert not browser.find_elements(By.CSS_SELECTOR, "nav")
    assert axe(browser) == []
    screenshot(browser, "paths-print")


def test_the_held_list_filters_as_one_types(browser, served, screenshot):
    browser.get(served + f"/paths?target={HR}qualification/welder")
    labels = browser.find_elements(By.CSS_SELECTOR, "#held-list label.option")
    assert len(labels) > 3
    browser.find_element(By.ID, "held_q").send_keys("tig")
    shown = [lab.text for lab in labels if lab.is_displayed()]
    assert shown and all("tig" in text.lower() for text in shown)
    assert len(shown) < len(labels)


def test_alternatives_side_by_side_and_closest(browser, served, screenshot):
    nl = "https://w3id.org/qfgraph/id/nl/"
    held = "&".join(f"held={nl}mc/{m}" for m in ("safe-working-installations", "heat-pump-installation"))
    claims = f"claims={nl}unit/st-customer&claims={nl}outcome/fault-diagnosis"
    browser.get(served + f"/paths?target={nl}qualification/service-technician-installations&{held}&{claims}"
                "&alternatives=2&do=paths")
    first, second = (browser.find_element(By.ID, f"path-{i}") for i in (2, 3))
    assert first.location["y"] == second.location["y"] and first.location["x"] < second.location["x"]
    assert axe(browser) == []
    screenshot(browser, "paths-alternatives")
    submit(browser, "What is this person closest to?")
    WebDriverWait(browser, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.closest")))
    assert "Service technician" in browser.find_element(By.CSS_SELECTOR, "table.closest tbody tr").text
    assert axe(browser) == []
    screenshot(browser, "paths-closest")
