"""/api/v1 through the Flask test client: listings, details, frameworks, validation,
changesets, pathways, the OpenAPI document and the docs page; and the Linked Data pages."""
from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate as validate_openapi
from rdflib import Graph, URIRef

from tests.http_support import BASE, HR, NL, WELDER, bearer, demo_app, tokens, triples_in

MC = BASE + "hr/mc/mag-welding-plates"
ALT = "http://purl.org/dc/terms/alternative"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return demo_app(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


# ---------------------------------------------------------------------------------------
# listings and details

def all_pages(client, url, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        q = dict(params, **({"cursor": cursor} if cursor else {}))
        body = client.get(url, query_string=q).get_json()
        items += body["items"]
        cursor = body["next"]
        if not cursor:
            return items


def test_cursor_pages_cover_every_item_once_in_order(client):
    whole = client.get("/api/v1/micro-credentials", query_string={"limit": 100}).get_json()["items"]
    paged = all_pages(client, "/api/v1/micro-credentials", limit=3)
    assert [i["iri"] for i in paged] == [i["iri"] for i in whole]
    assert len(whole) > 6
    assert [i["title"] for i in whole] == sorted(i["title"] for i in whole)


def test_sorting_descending_by_eqf_level_pages_too(client):
    paged = all_pages(client, "/api/v1/micro-credentials", limit=4, sort="-eqf")
    levels = [i["eqfLevel"] or 0 for i in paged]
    assert levels == sorted(levels, reverse=True)
    assert len({i["iri"] for i in paged}) == len(paged)


def test_filters(client):
    hr = client.get("/api/v1/micro-credentials", query_string={"country": "HRV", "limit": 100}).get_json()["items"]
    assert hr and {i["country"] for i in hr} == {"HRV"}
    q = client.get("/api/v1/micro-credentials", query_string={"q": "MAG", "limit": 100}).get_json()["items"]
    assert q and all("mag" in i["title"].lower() for i in q)
    eqf5 = client.get("/api/v1/micro-credentials", query_string={"eqf": 5, "limit": 100}).get_json()["items"]
    assert eqf5 and {i["eqfLevel"] for i in eqf5} == {5}
    croqf = client.get("/api/v1/qualifications", query_string={"framework": "croqf"}).get_json()["items"]
    assert WELDER in [i["iri"] for i in croqf] and {i["country"] for i in croqf} == {"HRV"}
    eqf = client.get("/api/v1/qualifications", query_string={"framework": "eqf", "limit": 100}).get_json()["items"]
    assert len(eqf) >= len(croqf)


def test_skill_filter_finds_what_teaches_the_skill(client, app):
    store = app.config["STORE"]
    rows = store.select(f"SELECT ?s WHERE {{ <{MC}> <http://data.europa.eu/snb/model/elm/learningOutcome>/"
                        "<http://data.europa.eu/snb/model/elm/relatedESCOSkill> ?s } LIMIT 1")
    assert rows
    found = client.get("/api/v1/micro-credentials", query_string={"skill": str(rows[0]["s"]), "limit": 100}).get_json()
    assert MC in [i["iri"] for i in found["items"]]


@pytest.mark.parametrize("params, word", [
    ({"eqf": 9}, "eqf"), ({"limit": 0}, "limit"), ({"limit": "many"}, "limit"), ({"sort": "price"}, "sort"),
    ({"country": "Croatia"}, "country"), ({"cursor": "garbage"}, "cursor"), ({"skill": "not an iri"}, "skill"),
])
def test_bad_listing_parameters_are_400_naming_the_parameter(client, params, word):
    r = client.get("/api/v1/qualifications", query_string=params)
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert word in r.get_json()["detail"]


def test_unknown_framework_is_404(client):
    assert client.get("/api/v1/qualifications", query_string={"framework": "atlantis"}).status_code == 404


def test_qualification_detail(client):
    body = client.get("/api/v1/qualifications/hr/qualification/welder").get_json()
    assert body["iri"] == WELDER and body["title"]["en"] == "Welder"
    assert body["eqfLevel"]["notation"] == "4"
    assert body["nqfLevels"][0]["referencedTo"] == "http://data.europa.eu/snb/eqf/4"
    assert len(body["units"]) >= 4 and body["credits"] > 0
    assert body["links"]["pathways"].endswith("/api/v1/qualifications/hr/qualification/welder/pathways")
    assert client.get("/api/v1/qualifications/" + WELDER).get_json()["iri"] == WELDER


def test_detail_of_the_wrong_kind_or_unknown_is_404(client):
    assert client.get("/api/v1/micro-credentials/hr/qualification/welder").status_code == 404
    r = client.get("/api/v1/qualifications/hr/qualification/nothing-here")
    assert r.status_code == 404 and "nothing-here" in r.get_json()["detail"]


def test_micro_credential_detail(client):
    body = client.get("/api/v1/micro-credentials/hr/mc/mag-welding-plates").get_json()
    assert body["iri"] == MC and body["outcomes"] and body["credits"] == 6.0


def test_frameworks_and_levels_with_referencing(client):
    items = client.get("/api/v1/frameworks").get_json()["items"]
    assert {"eqf", "croqf"} <= {f["id"] for f in items}
    croqf = client.get("/api/v1/frameworks/croqf").get_json()
    assert croqf["country"] == "HRV" and len(croqf["levels"]) >= 8
    assert all(l["referencedTo"] is None or l["referencedTo"].startswith("http://data.europa.eu/snb/eqf/")
               for l in croqf["levels"])
    assert {l["referencing"] for l in croqf["levels"]} == {"referenced"}
    eqf = client.get("/api/v1/frameworks/eqf").get_json()
    assert [l["notation"] for l in eqf["levels"]] == [str(n) for n in range(1, 9)]
    assert len(items) == 44                                   # the EQF and the 43 of the code list
    spain = client.get("/api/v1/frameworks/mecu").get_json()   # referencing not confirmed: no EQF link
    assert spain["country"] == "ESP" and {(l["referencedTo"], l["referencing"]) for l in spain["levels"]} == {
        (None, "unconfirmed")}
    assert client.get("/api/v1/frameworks/at-nqf").get_json()["label"] == "Austrian National Qualifications Framework"
    assert client.get("/api/v1/frameworks/nowhere").status_code == 404


# ---------------------------------------------------------------------------------------
# validation, changesets, history, revert

BAD_LEVEL = f"<{WELDER}> <http://data.europa.eu/snb/model/elm/EQFLevel> <http://data.europa.eu/snb/eqf/7> ."


def test_validate_is_a_dry_run(client, app):
    before = triples_in(app.config["STORE"], HR)
    r = client.post("/api/v1/validate", json={"data": BAD_LEVEL, "graph": HR})
    body = r.get_json()
    assert r.status_code == 200 and body["conforms"] is False and body["violations"] >= 1
    assert "EQF level 7" in json.dumps(body)
    ok = client.post("/api/v1/validate", json={"data": f'<{WELDER}> <{ALT}> "W"@en .', "graph": HR}).get_json()
    assert ok["conforms"] is True
    assert triples_in(app.config["STORE"], HR) == before


@pytest.mark.parametrize("body, status", [
    ({"data": "<a> <b> ."}, 400), ({"data": "x", "format": "csv"}, 400), ({}, 400), ({"data": 5}, 400),
])
def test_validate_bad_input(client, body, status):
    r = client.post("/api/v1/validate", json=body)
    assert r.status_code == status and r.get_json()["detail"]


def test_validate_needs_json(client):
    assert client.post("/api/v1/validate", data="<a> <b> <c> .", content_type="text/turtle").status_code == 415


@pytest.fixture
def writer(tmp_path):
    app = demo_app(tmp_path)
    token = tokens(app).create("hr-agency", "curator", [HR])
    return app, app.test_client(), bearer(token)


def version(client, graph=HR) -> int:
    r = client.get("/api/v1/graphs/version", query_string={"graph": graph})
    assert r.headers["ETag"] == f'"{r.get_json()["version"]}"'
    return r.get_json()["version"]


def test_changeset_with_if_match_then_stale_is_412_and_nothing_written(writer):
    app, client, auth = writer
    v = version(client)
    add = f'<{WELDER}> <{ALT}> "Welder (MAG)"@en .'
    r = client.post("/api/v1/changesets", json={"graph": HR, "add": add, "message": "alternative title"},
                    headers={**auth, "If-Match": f'"{v}"'})
    assert r.status_code == 201, r.get_json()
    assert r.headers["ETag"] == f'"{v + 1}"' and r.get_json()["added"] == 1
    before = triples_in(app.config["STORE"], HR)
    stale = client.post("/api/v1/changesets", json={"graph": HR, "add": add.replace("MAG", "TIG")},
                        headers={**auth, "If-Match": f'"{v}"'})
    assert stale.status_code == 412 and stale.get_json()["current_version"] == v + 1
    conflict = client.post("/api/v1/changesets", json={"graph": HR, "add": add.replace("MAG", "TIG"),
                                                       "expectedVersion": v}, headers=auth)
    assert conflict.status_code == 409
    assert triples_in(app.config["STORE"], HR) == before


def test_changeset_breaking_a_rule_is_422_with_the_report_and_nothing_written(writer):
    app, client, auth = writer
    before = triples_in(app.config["STORE"], HR)
    r = client.post("/api/v1/changesets", json={"graph": HR, "add": BAD_LEVEL}, headers=auth)
    body = r.get_json()
    assert r.status_code == 422 and body["report"]["conforms"] is False
    assert any(res["focus"] == WELDER for res in body["report"]["results"])
    assert triples_in(app.config["STORE"], HR) == before


@pytest.mark.parametrize("body", [
    {"graph": HR}, {"graph": HR, "add": "not turtle <"}, {"graph": "no iri", "add": "<a:b> <a:c> <a:d> ."},
    {"graph": HR, "add": f'<{WELDER}> <{ALT}> "x" .', "unexpected": 1},
])
def test_bad_changesets_are_400_and_nothing_written(writer, body):
    app, client, auth = writer
    before = triples_in(app.config["STORE"], HR)
    r = client.post("/api/v1/changesets", json=body, headers=auth)
    assert r.status_code == 400 and r.get_json()["detail"]
    assert triples_in(app.config["STORE"], HR) == before


def test_history_records_the_token_name_and_revert_undoes(writer):
    app, client, auth = writer
    before = triples_in(app.config["STORE"], HR)
    client.post("/api/v1/changesets", json={"graph": HR, "add": f'<{WELDER}> <{ALT}> "W"@en .'}, headers=auth)
    items = client.get("/api/v1/changesets", query_string={"graph": HR}).get_json()["items"]
    assert items[0]["agent_name"] == "hr-agency" and items[0]["added"] == 1
    r = client.post("/api/v1/changesets/revert", query_string={"changeset": items[0]["changeset"]}, headers=auth)
    assert r.status_code == 201 and r.get_json()["removed"] == 1
    assert triples_in(app.config["STORE"], HR) == before
    assert client.post("/api/v1/changesets/revert", query_string={"changeset": BASE + "nope"},
                       headers=auth).status_code == 404


def test_sparql_update_goes_through_the_gate(writer):
    app, client, auth = writer
    before = triples_in(app.config["STORE"], HR)
    bad = f"INSERT DATA {{ GRAPH <{HR}> {{ {BAD_LEVEL} }} }}"
    r = client.post("/sparql", data=bad, content_type="application/sparql-update", headers=auth)
    assert r.status_code == 422 and r.get_json()["report"]["violations"] >= 1
    assert triples_in(app.config["STORE"], HR) == before
    good = (f'WITH <{HR}> DELETE {{ ?q <{ALT}> ?old }} INSERT {{ ?q <{ALT}> "Welder (MAG)"@en }} '
            f"WHERE {{ BIND(<{WELDER}> AS ?q) OPTIONAL {{ ?q <{ALT}> ?old }} }}")
    r = client.post("/sparql", data={"update": good}, headers=auth)
    assert r.status_code == 200 and r.get_json()["added"] == 1
    assert (URIRef(WELDER), URIRef(ALT), __import__("rdflib").Literal("Welder (MAG)", lang="en")) in \
        triples_in(app.config["STORE"], HR)
    items = client.get("/api/v1/changesets", query_string={"graph": HR}).get_json()["items"]
    assert items[0]["agent_name"] == "hr-agency"


@pytest.mark.parametrize("update, word", [
    (f"INSERT DATA {{ GRAPH <{HR}> {{ _:b <{ALT}> 'x' }} }}", "blank"),
    ("INSERT DATA { GRAPH <", "error at 1:"),
])
def test_updates_that_cannot_be_changesets_are_400(writer, update, word):
    app, client, auth = writer
    before = triples_in(app.config["STORE"], HR)
    r = client.post("/sparql", data={"update": update}, headers=auth)
    assert r.status_code == 400 and word in r.get_json()["detail"]
    assert triples_in(app.config["STORE"], HR) == before


# ---------------------------------------------------------------------------------------
# pathways and closest

def test_pathways_by_post_and_by_get_agree(client):
    post = client.post("/api/v1/pathways", json={"target": "hr/qualification/welder", "alternatives": 1}).get_json()
    get = client.get("/api/v1/qualifications/hr/qualification/welder/pathways",
                     query_string={"alternatives": 1}).get_json()
    assert post["feasible"] is True and post["paths"][0]["proven_optimal"] is True
    assert post["paths"][0]["total_ects"] == get["paths"][0]["total_ects"]


def test_held_credentials_shorten_the_path(client):
    none = client.get("/api/v1/qualifications/hr/qualification/welder/pathways").get_json()
    held = client.get("/api/v1/qualifications/hr/qualification/welder/pathways",
                      query_string={"held": "hr/mc/mag-welding-plates"}).get_json()
    assert held["paths"][0]["total_ects"] < none["paths"][0]["total_ects"]


def _first_course(answer: dict) -> dict:
    return answer["paths"][0]["stages"][0]["micro_credentials"][0]


def test_pathways_reuse_the_apps_situation_until_a_write_through_the_service(writer):
    app, client, auth = writer
    ask = {"target": "hr/qualification/welder", "alternatives": 0}
    first = client.post("/api/v1/pathways", json=ask).get_json()
    again = client.post("/api/v1/pathways", json=ask).get_json()
    cache = app.extensions["qfgraph.situations"]
    assert (cache.misses, cache.hits) == (1, 1) and again["paths"] == first["paths"]
    course = _first_course(first)
    title = "http://purl.org/dc/terms/title"
    r = client.post("/api/v1/changesets", headers=auth, json={
        "graph": HR, "remove": f'<{course["iri"]}> <{title}> "{course["title"]}"@en .',
        "add": f'<{course["iri"]}> <{title}> "Safety first in metalwork"@en .'})
    assert r.status_code == 201, r.get_json()
    after = client.post("/api/v1/pathways", json=ask).get_json()
    assert _first_course(after)["title"] == "Safety first in metalwork" and cache.misses == 2


@pytest.mark.parametrize("body, status", [
    ({"target": "hr/qualification/nothing"}, 404), ({"target": "hr/qualification/welder", "held": ["hr/mc/none"]}, 404),
    ({"target": "hr/qualification/welder", "objective": "price"}, 400),
    ({"target": "hr/qualification/welder", "constraints": {"max_ects": -1}}, 400),
    ({"target": "bad iri with spaces"}, 400), ({}, 400),
])
def test_pathways_bad_input(client, body, status):
    r = client.post("/api/v1/pathways", json=body)
    assert r.status_code == status and r.get_json()["detail"]


def test_closest(client):
    items = client.get("/api/v1/closest", query_string={"held": ["hr/mc/mag-welding-plates"], "top": 3}).get_json()["items"]
    assert 1 <= len(items) <= 3 and items[0]["iri"] == WELDER or items[0]["ects_needed"] <= items[-1]["ects_needed"]
    assert client.get("/api/v1/closest", query_string={"held": "hr/mc/nothing"}).status_code == 404


# ---------------------------------------------------------------------------------------
# the OpenAPI document and the docs page

def test_openapi_document_is_valid_3_1_and_lists_every_route(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    validate_openapi(spec)
    import re
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


def test_docs_page_lists_every_operation_without_external_assets(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in spec["paths"]:
        assert path in page
    assert "https://" not in page.split("<body>")[0] and "<script src" not in page


# ---------------------------------------------------------------------------------------
# Linked Data

def test_entity_iri_dereferences_to_html_for_a_browser(client):
    r = client.get("/id/hr/qualification/welder", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "<h1>Welder</h1>" in page and "Zavarivač" in page
    assert "referenced to" in page and "EQF 4" in page  # the national level and its EQF level
    assert "Units" in page and "stacking paths" in page


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                         ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_entity_iri_dereferences_to_rdf_by_accept(client, accept, fmt):
    r = client.get("/id/hr/qualification/welder", headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    g = Graph().parse(data=r.get_data(as_text=True), format=fmt)
    assert (URIRef(WELDER), None, None) in g
    assert (URIRef(WELDER + "#ects"), None, None) in g  # dependent hash-IRI nodes come along


def test_format_parameter_and_resource_route(client):
    r = client.get("/resource", query_string={"iri": WELDER, "format": "ntriples"})
    assert r.mimetype == "application/n-triples" and f"<{WELDER}>" in r.get_data(as_text=True)
    level = client.get("/resource", query_string={"iri": "http://data.europa.eu/snb/eqf/4"})
    assert level.status_code == 200 and "Level 4" in level.get_data(as_text=True)


def test_full_base_path_dereferences_too(client):
    assert client.get("/qfgraph/id/hr/qualification/welder", headers={"Accept": "text/turtle"}).status_code == 200


def test_linked_data_errors(client):
    assert client.get("/id/hr/qualification/nothing").status_code == 404
    assert client.get("/id/hr/qualification/welder", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/resource").status_code == 400
    assert client.get("/resource", query_string={"iri": "no iri"}).status_code == 400


def test_unknown_route_and_wrong_method_are_problems(client):
    r = client.get("/api/v1/nothing")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    r = client.delete("/api/v1/frameworks")
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


def test_unexpected_failure_is_500_with_request_id_logged(tmp_path, caplog):
    app = demo_app(tmp_path)

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaput")
    r = app.test_client().get("/boom")
    body = r.get_json()
    assert r.status_code == 500 and body["request_id"] in body["detail"]
    assert "kaput" not in body["detail"]
    assert any(body["request_id"] in rec.getMessage() for rec in caplog.records)


def test_a_write_through_the_service_shows_in_the_next_listing(writer):
    app, client, auth = writer
    first = client.get("/api/v1/qualifications", query_string={"limit": 1}).get_json()["items"][0]
    assert first["iri"] != WELDER
    r = client.post("/api/v1/changesets", headers=auth, json={
        "graph": HR, "remove": f'<{WELDER}> <http://purl.org/dc/terms/title> "Welder"@en .',
        "add": f'<{WELDER}> <http://purl.org/dc/terms/title> "Aaa welder"@en .'})
    assert r.status_code == 201, r.get_json()
    first = client.get("/api/v1/qualifications", query_string={"limit": 1}).get_json()["items"][0]
    assert first["iri"] == WELDER and first["title"] == "Aaa welder"


def test_a_cursor_of_another_sort_order_is_400(client):
    cursor = client.get("/api/v1/qualifications", query_string={"limit": 1}).get_json()["next"]
    r = client.get("/api/v1/qualifications", query_string={"limit": 1, "sort": "eqf", "cursor": cursor})
    assert r.status_code == 400 and "cursor" in r.get_json()["detail"]


def test_home_page_links_the_faces_of_the_service(client):
    page = client.get("/").get_data(as_text=True)
    assert all(link in page for link in ('href="/sparql"', 'href="/api/v1/docs"', 'href="/api/v1/openapi.json"'))


def test_settings_from_the_environment_and_given_values_win():
    from qfgraph.api.config import Settings
    env = {"QFGRAPH_QUERY_TIMEOUT": "7", "QFGRAPH_CORS_ORIGINS": "https://a.example, https://b.example",
           "QFGRAPH_BASE": "https://example.org/id/", "QFGRAPH_RESULT_LIMIT": "1000"}
    s = Settings.load({"result_limit": 5}, environ=env)
    assert s.query_timeout == 7.0 and s.result_limit == 5
    assert s.cors_origins == ("https://a.example", "https://b.example") and s.base == "https://example.org/id/"


@pytest.mark.parametrize("given, word", [({"query_timeout": "soon"}, "invalid setting"),
                                         ({"base": "https://example.org/id"}, "must end with")])
def test_bad_settings_are_refused(given, word):
    from qfgraph.api.config import Settings
    with pytest.raises(ValueError, match=word):
        Settings.load(given, environ={})


def test_another_base_dereferences_under_its_own_path(tmp_path):
    from qfgraph import graph
    from qfgraph.graph import EmbeddedStore
    store = EmbeddedStore(None)
    graph.install_reference(store)
    store.update('INSERT DATA { GRAPH <https://example.org/graph/x> { <https://example.org/data/q1> '
                 '<http://purl.org/dc/terms/title> "Q one"@en } }')
    client = demo_app(tmp_path, store=store, base="https://example.org/data/").test_client()
    r = client.get("/data/q1", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Q one" in r.get_data(as_text=True)
