"""/paths, the stacking-path explorer, through the Flask test client: search, choices,
computed paths drawn as SVG, alternatives, no path, closest, the print view, and every bad
input answered on the page."""
from __future__ import annotations

import html as entities
import re
import xml.etree.ElementTree as ET

import pytest

from tests.http_support import demo_app
from tests.test_stacking_demo import CROATIAN, DANISH, DUTCH

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return demo_app(tmp_path_factory.mktemp("paths")).test_client()


def ask(client, case, method="get", **more):
    target, learner = case
    values = {"target": target, "held": learner.held, "claims": learner.claims, "do": "paths", **more}
    if method == "post":
        return client.post("/paths", data=values)
    return client.get("/paths", query_string=values)


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg.*?</svg>", html, re.S)]


def stages_of(svg: ET.Element) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for g in svg.iter(SVG + "g"):
        if g.get("class") == "mc":
            out.setdefault(g.get("data-stage"), set()).add(g.get("data-iri").rsplit("/", 1)[-1])
    return out


def words(html: str) -> str:
    """The page's text as a reader sees it: no tags, whitespace collapsed."""
    return entities.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def alert(html: str) -> str:
    m = re.search(r'role="alert">(.*?)</div>', html, re.S)
    return words(m.group(1)).strip() if m else ""


def test_the_empty_form_works_without_script(client):
    r = client.get("/paths")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<form method="get" action="/paths"' in html
    assert 'name="do" value="paths"' in html and 'name="do" value="closest"' in html
    assert "<svg" not in html and not alert(html)


def test_the_target_is_found_by_its_title(client):
    html = client.get("/paths", query_string={"q": "weld"}).get_data(as_text=True)
    assert re.search(r'name="target" value="https://w3id.org/qfgraph/id/hr/qualification/welder"', html)
    html = client.get("/paths", query_string={"q": "no such title"}).get_data(as_text=True)
    assert "No qualification has “no such title” in its title" in html


def test_a_preselected_target_offers_its_micro_credentials_units_and_outcomes(client):
    html = client.get("/paths", query_string={"target": CROATIAN[0]}).get_data(as_text=True)
    assert 'value="https://w3id.org/qfgraph/id/hr/qualification/welder" checked' in html
    held = re.findall(r'name="held" value="([^"]+)"', html)
    assert "https://w3id.org/qfgraph/id/hr/mc/tig-welding" in held
    claims = re.findall(r'name="claims" value="([^"]+)"', html)
    assert "https://w3id.org/qfgraph/id/hr/unit/welder-mma" in claims
    assert "https://w3id.org/qfgraph/id/hr/outcome/mag-pipes" in claims
    assert "can be validated" in html
    assert "<svg" not in html    # nothing computed until asked


def test_the_croatian_welder_path_is_drawn_with_its_stages(client):
    r = ask(client, CROATIAN)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, alert(html)
    best = svgs(html)[0]
    assert stages_of(best) == {"1": {"technical-drawing", "tig-welding"}, "2": {"weld-inspection"}}
    assert "Best path: 13 ECTS, 3 micro-credentials, 2 validation steps" in words(html)
    # what was ticked stays ticked
    for iri in CROATIAN[1].held + CROATIAN[1].claims:
        assert f'value="{iri}" checked' in html


def test_post_gives_the_same_answer_as_get(client):
    get, post = ask(client, CROATIAN).get_data(as_text=True), ask(client, CROATIAN, "post").get_data(as_text=True)
    assert [stages_of(s) for s in svgs(get)] == [stages_of(s) for s in svgs(post)]


def test_the_json_link_gives_the_same_path(client):
    html = ask(client, DUTCH).get_data(as_text=True)
    href = re.search(r'href="([^"]+)">the same answer as JSON', html).group(1).replace("&amp;", "&")
    body = client.get(href).get_json()
    assert body["paths"][0]["total_ects"] == 10
    assert len(svgs(html)) == len(body["paths"])


def test_alternatives_are_shown_side_by_side(client):
    html = ask(client, DUTCH, alternatives="2").get_data(as_text=True)
    assert len(svgs(html)) == 3
    table = re.search(r'<table class="compare">.*?</table>', html, re.S).group(0)
    assert "<th scope=\"col\">Alternative 2</th>" in table
    assert re.findall(r"<th scope=\"row\">ECTS to take</th>((?:<td>[^<]*</td>)+)", table) == \
        ["<td>10</td><td>11</td><td>11</td>"]
    html = ask(client, DUTCH, alternatives="0").get_data(as_text=True)
    assert len(svgs(html)) == 1 and 'class="compare"' not in html


def test_constraints_reach_the_solver(client):
    html = ask(client, DUTCH, max_ects="3").get_data(as_text=True)
    assert "No path reaches" in html
    assert re.search(r"<li>[^<]*(ECTS|maximum)[^<]*</li>", html)


def test_no_path_gives_the_reasons_and_the_closest_partial_path(client):
    html = ask(client, DANISH, languages="en").get_data(as_text=True)
    assert "No path reaches Social and health care assistant" in words(html)
    assert "the constraints exclude every candidate for outcome" in html
    assert svgs(html)[0].find(SVG + "title").text.startswith("Closest partial path")


def test_closest_from_the_same_held_list(client):
    target, learner = DANISH
    html = client.get("/paths", query_string={"held": learner.held, "claims": learner.claims,
                                               "do": "closest"}).get_data(as_text=True)
    rows = re.findall(r'<tr><td><a href="([^"]+)">([^<]+)</a></td>', html)
    assert rows[0][1] == "Social and health care assistant"
    link = rows[0][0].replace("&amp;", "&")
    assert "do=paths" in link and all(h.rsplit("/", 1)[-1] in link for h in learner.held)
    followed = client.get(link).get_data(as_text=True)
    assert "Best path: 9.5 ECTS" in words(followed)


def test_the_print_view_is_one_page_without_navigation(client):
    target, learner = CROATIAN
    r = client.get("/paths/print", query_string={"target": target, "held": learner.held,
                                                   "claims": learner.claims})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<nav" not in html and "<form" not in html
    assert "<h1>Your path to Welder</h1>" in html
    assert len(svgs(html)) == 1 and stages_of(svgs(html)[0])["2"] == {"weld-inspection"}
    assert "Occupational safety in metalwork" in html     # what the person holds, by title
    assert 'class="print-view"' in html


def test_the_results_page_links_to_its_print_view_with_the_same_question(client):
    html = ask(client, CROATIAN).get_data(as_text=True)
    href = re.search(r'href="([^"]+)">Print view', html).group(1).replace("&amp;", "&")
    assert href.startswith("/paths/print?")
    printed = client.get(href).get_data(as_text=True)
    assert stages_of(svgs(printed)[0]) == stages_of(svgs(html)[0])


@pytest.mark.parametrize("values, status, words", [
    ({"target": "https://w3id.org/qfgraph/id/hr/qualification/nope"}, 404, "is not in the graph"),
    ({"target": "https://w3id.org/qfgraph/id/hr/mc/tig-welding"}, 404, "is not a qualification"),
    ({"target": "not an iri"}, 400, "not a valid IRI"),
    ({"target": CROATIAN[0], "held": "https://w3id.org/qfgraph/id/hr/mc/nope"}, 404,
     "unknown IRI among the credentials held"),
    ({"target": CROATIAN[0], "claims": "https://w3id.org/qfgraph/id/hr/mc/tig-welding"}, 404,
     "a claim names a unit or a learning outcome"),
    ({"target": CROATIAN[0], "max_ects": "ten"}, 400, "maximum ECTS: 'ten' is not a number"),
    ({"target": CROATIAN[0], "max_ects": "-1"}, 400, "maximum ECTS: give a number of 0 or more"),
    ({"target": CROATIAN[0], "alternatives": "9"}, 400, "alternatives: give a whole number from 0 to 5"),
    ({"target": CROATIAN[0], "objective": "cheapest"}, 400, "objective"),
    ({"target": CROATIAN[0], "languages": "english!"}, 400, "not a language code"),
])
def test_bad_input_is_answered_on_the_page(client, values, status, words):
    r = client.get("/paths", query_string={**values, "do": "paths"})
    html = r.get_data(as_text=True)
    assert r.status_code == status
    assert r.mimetype == "text/html"
    assert words in alert(html)
    assert "<svg" not in html
    assert 'id="path-form"' in html     # the form is still there to correct


def test_a_bad_input_keeps_what_was_ticked(client):
    target, learner = CROATIAN
    html = client.get("/paths", query_string={"target": target, "held": learner.held, "max_ects": "x",
                                               "do": "paths"}).get_data(as_text=True)
    for iri in learner.held:
        assert f'value="{iri}" checked' in html
    assert "Occupational safety in metalwork" in html
