"""The pages for people, through the Flask test client over the demo graph: what each page
shows, that lists answer as /api/v1 does, the language chosen, and every kind of bad input
answered by a readable page with the right status that changes nothing."""
from __future__ import annotations

import html
import re

import pytest

from tests.http_support import BASE, WELDER, demo_app

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
MMA = BASE + "hr/mc/mma-welding"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return demo_app(tmp_path_factory.mktemp("pages"))


@pytest.fixture
def client(app):
    return app.test_client()


def page(client, url, status=200, **kw) -> str:
    r = client.get(url, headers={**HTML, **kw.pop("headers", {})}, **kw)
    assert r.status_code == status, r.get_data(as_text=True)[-800:]
    assert r.mimetype == "text/html"
    return html.unescape(r.get_data(as_text=True))


def links(text: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', text)


@pytest.mark.parametrize("url", ["/", "/micro-credentials", "/qualifications", "/frameworks", "/search?q=weld",
                                 "/frameworks/compare?f=croqf&f=nlqf", "/qualifications/hr/qualification/welder",
                                 "/micro-credentials/hr/mc/mma-welding", "/id/hr/unit/welder-mag"])
def test_every_page_has_the_layout(client, url):
    text = page(client, url)
    for href, _ in (("/", "Home"), ("/micro-credentials", ""), ("/qualifications", ""), ("/frameworks", ""),
                    ("/paths", ""), ("/query", ""), ("/curate", "")):
        assert f'href="{href}"' in text
    assert 'name="lang"' in text and "/static/qfgraph.css" in text
    assert text.count('aria-current="page"') <= 1


@pytest.mark.parametrize("url, iri", [("/qualifications/hr/qualification/welder", WELDER),
                                      ("/micro-credentials/hr/mc/mma-welding", MMA),
                                      ("/id/hr/unit/welder-mag", BASE + "hr/unit/welder-mag"),
                                      ("/frameworks/compare?f=croqf&f=nlqf", "http://data.europa.eu/snb/qdr/c_59d0b819")])
def test_a_page_shows_its_data_iri_and_links_to_turtle_and_json_ld(client, url, iri):
    text = page(client, url)
    footer = text.split('<footer class="site">')[1]
    assert iri in footer and "format=turtle" in footer and "format=jsonld" in footer
    turtle = next(h for h in links(footer) if "format=turtle" in h and iri.rsplit("/", 1)[-1] in h)
    r = client.get(turtle.replace("&amp;", "&"))
    assert r.status_code == 200 and r.mimetype == "text/turtle"


def test_the_css_is_package_data(client):
    r = client.get("/static/qfgraph.css")
    assert r.status_code == 200 and "focus-visible" in r.get_data(as_text=True) and "@media" in r.get_data(as_text=True)


def test_home_says_what_the_graph_holds(client):
    text = page(client, "/")
    counts = client.get("/api/v1/micro-credentials", query_string={"limit": 100}).get_json()["items"]
    assert f'<span class="n">{len(counts)}</span> micro-credentials' in text
    assert "Croatia" in text and "Netherlands" in text and "Denmark" in text
    assert "Croatian Qualifications Framework" in text and 'action="/search"' in text


def test_search_finds_titles_and_outcomes(client):
    text = page(client, "/search", query_string={"q": "photovoltaic"})   # only in an outcome's title
    assert "Installing solar mounting structures" in text
    assert "No micro-credentials match" not in text
    assert "No qualifications match" in page(client, "/search", query_string={"q": "zzzz-nothing"})


def list_titles(text: str) -> list[str]:
    return re.findall(r'<a class="title" href="[^"]+">([^<]+)</a>', text)


@pytest.mark.parametrize("kind, filters", [
    ("micro-credentials", {"country": "HRV"}), ("micro-credentials", {"eqf": "5"}),
    ("qualifications", {"framework": "croqf"}), ("micro-credentials", {"q": "MAG"}),
    ("micro-credentials", {"nqf": "http://data.europa.eu/snb/qdr/c_486071a1"}),
    ("micro-credentials", {"skill": "http://data.europa.eu/esco/skill/24a39c1b-b8cc-4210-8b74-b388a90e8f59"}),
    ("micro-credentials", {"sort": "-eqf", "limit": "100"})])
def test_lists_answer_as_the_api_does(client, kind, filters):
    api = client.get(f"/api/v1/{kind}", query_string={"limit": 100, **filters}).get_json()["items"]
    text = page(client, f"/{kind}", query_string={"limit": 100, **filters})
    if "q" not in filters:  # the page's text also matches outcomes: a superset
        assert list_titles(text) == [i["title"] for i in api]
    else:
        assert set(i["title"] for i in api) <= set(list_titles(text))
    assert api


def test_lists_page_with_a_cursor(client):
    first = page(client, "/micro-credentials", query_string={"limit": 10})
    nxt = next(h for h in links(first) if "cursor=" in h).replace("&amp;", "&")
    second = page(client, nxt)
    assert set(list_titles(first)).isdisjoint(list_titles(second)) and list_titles(second)
    assert "First page" in second


def test_empty_form_choices_mean_any(client):
    assert list_titles(page(client, "/micro-credentials?country=&eqf=&q=&limit=100")) == \
        list_titles(page(client, "/micro-credentials?limit=100"))


@pytest.mark.parametrize("query, said", [("eqf=9", "parameter 'eqf'"), ("country=Croatia", "parameter 'country'"),
                                         ("framework=nowhere", "no framework 'nowhere'"),
                                         ("cursor=garbage", "cursor"), ("sort=size", "parameter 'sort'"),
                                         ("skill=not%20an%20iri", "skill")])
def test_bad_filters_are_said_on_the_page(client, query, said):
    text = page(client, "/micro-credentials?" + query, status=404 if "framework" in query else 400)
    assert said in text and 'role="alert"' in text and 'class="filters"' in text


def test_frameworks_and_their_comparison(client):
    text = page(client, "/frameworks")
    assert "CROQF Level 4.1" in text and 'name="f"' in text
    compared = page(client, "/frameworks/compare?f=croqf&f=nlqf&f=dqf")
    table = compared.split('id="comparison"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    level4 = re.sub(r"<[^>]+>", "", next(r for r in rows if ">Level 4<" in r))
    assert "CROQF level 4.1" in level4 and "NLQF level 4" in level4
    assert "Levels with no EQF level" in compared


def test_levels_without_an_eqf_level_are_shown_apart(client):
    from qfgraph.graph.catalogue import framework_iri, levels
    store = client.application.config["STORE"]
    for fw in ("croqf", "nlqf", "dqf", "nfq", "scqf"):
        apart = [lv for lv in levels(store, framework_iri(store, fw)) if not lv["referencedTo"]]
        if apart:
            other = "croqf" if fw != "croqf" else "nlqf"
            text = page(client, f"/frameworks/compare?f={fw}&f={other}").split("Levels with no EQF level")[1]
            assert (apart[0]["label"] or apart[0]["notation"]) in text
            return
    pytest.fail("the demo frameworks have no level without an EQF level to show")


@pytest.mark.parametrize("query, status, said", [("f=croqf", 400, "two or more"), ("", 400, "two or more"),
                                                 ("f=croqf&f=nowhere", 404, "no framework 'nowhere'"),
                                                 ("f=croqf&f=eqf", 400, "the EQF is the scale")])
def test_a_bad_comparison_is_said_on_the_page(client, query, status, said):
    text = page(client, "/frameworks/compare?" + query, status=status)
    assert said in text and 'name="f"' in text


def test_the_qualification_page(client):
    text = page(client, "/qualifications/hr/qualification/welder")
    assert "<h1>Welder</h1>" in text and "Zavarivač" in text
    tree = text.split('id="requirement-tree"')[1].split('id="units"')[0]
    assert re.findall(r'class="rule[^"]*">([^<]+)<', tree) == ["All of", "2 of 3", "At least 65 ECTS"]
    assert "recognised: Manual metal arc welding" in tree and "can be validated" in tree
    assert "Perform MAG welding of steel pipes" in text   # a unit's outcome
    assert "Validation of prior learning: Welder" in text and "50 %" in text
    assert "Oxy-fuel and plasma cutting" in text.split('id="stacking"')[1]
    assert '/paths?target=https%3A//w3id.org/qfgraph/id/hr/qualification/welder' in text


def test_the_entity_iri_of_a_qualification_is_its_page(client):
    main = lambda text: text.split("<main")[1].split("</main>")[0]
    assert main(page(client, "/id/hr/qualification/welder")) == main(page(client, "/qualifications/hr/qualification/welder"))


def test_the_micro_credential_page_shows_every_element_of_the_standard(client):
    from qfgraph.ontology.elements import micro_credential_elements
    text = page(client, "/micro-credentials/hr/mc/weld-inspection")
    elements = text.split('class="elements"')[1].split("</dl>")[0]
    for row in micro_credential_elements():
        assert row["element"][1:] in elements
    assert "Visual inspection of welds" in text and "external quality assurance" in text
    assert "accredited" in elements and "Adult Education Quality Agency" in text
    assert 'href="http://data.europa.eu/esco/skill/0b3930a2-8a13-4932-8a09-4c72ec8af464"' in text
    assert "Weld quality control and documentation skills" in text   # the skills need
    assert "Welder" in text.split('id="stacking"')[1]
    assert "on each credential issued to a learner" in elements


def test_the_recognition_agreements_of_a_micro_credential(client):
    text = page(client, "/micro-credentials/hr/mc/mma-welding").split('id="stacking"')[1]
    assert "Manual metal arc welding accepted as the welder" in text and "Sava Valley Technical School" in text


@pytest.mark.parametrize("lang, headers, title", [("hr", {}, "Zavarivač"), (None, {"Accept-Language": "hr-HR,hr;q=0.9"}, "Zavarivač"),
                                                  ("de", {}, "Welder"), (None, {"Accept-Language": "nl"}, "Welder")])
def test_the_language_of_the_data(client, lang, headers, title):
    text = page(client, "/qualifications/hr/qualification/welder" + (f"?lang={lang}" if lang else ""), headers=headers)
    assert f"<h1>{title}</h1>" in text
    assert "Zavarivač" in list_titles(page(client, "/qualifications?lang=hr")) if lang == "hr" else True


@pytest.mark.parametrize("url, status, said", [
    ("/qualifications/hr/qualification/nothing", 404, "nothing is known about"),
    ("/qualifications/hr/mc/mma-welding", 404, "is not one of the qualifications"),
    ("/micro-credentials/hr/qualification/welder", 404, "is not one of the micro-credentials"),
    ("/micro-credentials/bad%20iri%3E", 400, "identifier"),
    ("/qualifications?lang=%3Cscript%3E", 400, "not a language tag"),
    ("/search?q=" + "x" * 201, 400, "longer than 200"),
    ("/no-such-page", 404, "nothing at /no-such-page"),
    ("/id/hr/qualification/nothing", 404, "nothing is known about")])
def test_bad_input_is_a_readable_page_with_the_right_status(client, url, status, said):
    text = page(client, url, status=status)
    assert said in text and 'role="alert"' in text and 'href="/micro-credentials"' in text


def test_machines_still_get_problem_documents(client):
    r = client.get("/qualifications/hr/qualification/nothing", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    r = client.get("/api/v1/qualifications/nothing", headers=HTML)
    assert r.status_code == 404 and r.mimetype == "application/problem+json"


def test_pages_change_nothing(client):
    store = client.application.config["STORE"]
    before = store.graph_sizes()
    for url in ("/micro-credentials?eqf=9", "/frameworks/compare?f=x", "/qualifications/hr/x", "/search?q=a"):
        client.get(url, headers=HTML)
    assert store.graph_sizes() == before
