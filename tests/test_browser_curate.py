"""The curator pages in a real browser on a real `qfgraph serve --demo`: sign in with a token,
upload a file with a violation and read the rule's message; axe-core and screenshots."""
from __future__ import annotations

import pytest

from qfgraph.api.tokens import TokenFile
from tests.browser_support import (  # noqa: F401 (fixtures)
    PHONE, By, Served, at_width, axe, browser, need_browser, screenshot,
)

pytestmark = pytest.mark.server
HR = "https://w3id.org/qfgraph/graph/demo/hr"
BARE_MC = """@prefix qf: <https://w3id.org/qfgraph#> . @prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/qfgraph/id/hr/mc/new-one> a qf:MicroCredential ; dcterms:title "Brazing basics"@en .
"""


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    need_browser()
    server = Served(tmp_path_factory.mktemp("curate")).start("--demo")
    token = TokenFile(str(server.directory / "tokens.json")).create("hr-office", "curator", [HR])
    yield server, token
    server.stop()


def test_an_officer_uploads_a_file_with_a_violation_and_reads_the_rule(browser, curated, screenshot, tmp_path):
    server, token = curated
    browser.get(server.url + "/curate")
    assert axe(browser) == []
    screenshot(browser, "curate-sign-in")
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.XPATH, '//button[normalize-space()="Sign in"]').click()
    assert "Signed in as hr-office" in " ".join(browser.find_element(By.CSS_SELECTOR, "form.who").text.split())
    assert token not in browser.current_url
    upload = tmp_path / "new.ttl"
    upload.write_text(BARE_MC, encoding="utf-8")
    browser.find_element(By.ID, "file").send_keys(str(upload))
    assert axe(browser) == []
    screenshot(browser, "curate-upload")
    browser.find_element(By.XPATH, '//button[normalize-space()="Check the file"]').click()
    rules = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.rule h3")]
    assert any("micro-credential has a notional workload in ECTS" in r for r in rules)
    assert "Brazing basics" in browser.find_element(By.CSS_SELECTOR, "section.rule").text
    assert not browser.find_elements(By.XPATH, '//button[starts-with(normalize-space(), "Write to")]')
    assert axe(browser) == []
    screenshot(browser, "curate-report")
    at_width(browser, *PHONE)
    assert axe(browser) == []
    screenshot(browser, "curate-report-phone")
