"""SPARQL 1.1 Protocol updates on /sparql, as standard clients send them: relative IRIs against
the service-defined base IRI, triples for the default graph (the token's default write
graph), WITH / USING / USING NAMED and the protocol's using-graph-uri / using-named-graph-uri,
ADD / COPY / MOVE / CLEAR / DROP; each graph written is one changeset through the gate, all
or nothing; and rdflib's SPARQLUpdateStore and SPARQLWrapper writing through a real server."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from qfgraph.ontology.namespaces import GRAPH
from tests.http_support import BASE, HR, NL, WELDER, bearer, demo_app, tokens, triples_in

ALT = "http://purl.org/dc/terms/alternative"
A, B = str(GRAPH["test/a"]), str(GRAPH["test/b"])
EX = "https://example.org/"
BAD_LEVEL = f"<{WELDER}> <http://data.europa.eu/snb/model/elm/EQFLevel> <http://data.europa.eu/snb/eqf/7> ."
QUALIFICATION = "http://data.europa.eu/snb/model/elm/Qualification"


@pytest.fixture
def service(tmp_path):
    app = demo_app(tmp_path)
    t = tokens(app)
    secrets = {"hr": t.create("hr-agency", "curator", [HR]),
               "lab": t.create("lab", "curator", [A, B, HR], default_graph=B),
               "admin": t.create("root", "admin", []),
               "admin-b": t.create("root-b", "admin", [], default_graph=B)}
    return app, app.test_client(), secrets


def update(client, text, token, **params):
    return client.post("/sparql", data={"update": text, **params}, headers=bearer(token))


def store_of(app):
    return app.config["STORE"]


def seed(client, secrets):
    """Two small graphs the lab token writes: A holds x1 and x2, B holds y1."""
    r = update(client, f'INSERT DATA {{ GRAPH <{A}> {{ <{EX}x1> <{EX}p> "1" . <{EX}x2> <{EX}p> "2" }} '
                       f'GRAPH <{B}> {{ <{EX}y1> <{EX}p> "3" }} }}', secrets["lab"])
    assert r.status_code == 200, r.get_json()
    return triples_in(store_of(client.application), A), triples_in(store_of(client.application), B)


def t(s, o):
    return (URIRef(EX + s), URIRef(EX + "p"), Literal(o))


# -- the service-defined base IRI -------------------------------------------------------

def test_relative_iris_of_a_query_resolve_against_the_configured_base(service):
    _, client, _ = service
    r = client.get("/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert r.get_data(as_text=True).strip() == \
        f'<{BASE}s> <{BASE}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'


def test_the_base_is_the_public_endpoint_when_configured_and_the_description_says_so(tmp_path):
    client = demo_app(tmp_path, public_url="https://qf.example.org/").test_client()
    r = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { BIND(<s> AS ?x) }"})
    assert r.get_json()["results"]["bindings"][0]["x"]["value"] == "https://qf.example.org/s"
    description = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True),
                                format="turtle")
    assert (URIRef("https://qf.example.org/sparql#service"), URIRef("https://w3id.org/qfgraph#baseIRI"),
            URIRef("https://qf.example.org/sparql")) in description


def test_an_update_relying_on_the_base_iri_writes_absolute_iris(service):
    app, client, secrets = service
    r = update(client, f'INSERT DATA {{ GRAPH <{HR}> {{ <hr/qualification/welder> <{ALT}> "MAG"@en }} }}',
               secrets["hr"])
    assert r.status_code == 200, r.get_json()
    assert (URIRef(WELDER), URIRef(ALT), Literal("MAG", lang="en")) in triples_in(store_of(app), HR)


# -- the default graph for writes ---------------------------------------------------------

def test_triples_for_the_default_graph_go_to_the_tokens_first_graph_and_the_reply_says_so(service):
    app, client, secrets = service
    r = update(client, f'INSERT DATA {{ <{WELDER}> <{ALT}> "default"@en }}', secrets["hr"])
    body = r.get_json()
    assert r.status_code == 200 and body["default_graph"] == HR and body["added"] == 1
    assert [g["graph"] for g in body["graphs"]] == [HR] and body["graphs"][0]["changeset"]
    assert (URIRef(WELDER), URIRef(ALT), Literal("default", lang="en")) in triples_in(store_of(app), HR)
    r = update(client, f'DELETE DATA {{ <{WELDER}> <{ALT}> "default"@en }}', secrets["hr"])
    assert r.get_json()["removed"] == 1
    assert (URIRef(WELDER), URIRef(ALT), Literal("default", lang="en")) not in triples_in(store_of(app), HR)


def test_a_default_graph_set_on_the_token_is_where_default_triples_go(service):
    app, client, secrets = service
    for token in ("lab", "admin-b"):
        r = update(client, f'INSERT DATA {{ <{EX}{token}> <{EX}p> "z" }}', secrets[token])
        assert r.status_code == 200 and r.get_json()["default_graph"] == B
        assert t(token, "z") in triples_in(store_of(app), B)


def test_an_admin_token_without_a_default_graph_gets_a_400_naming_the_option(service):
    app, client, secrets = service
    before = triples_in(store_of(app), HR)
    r = update(client, f'INSERT DATA {{ <{WELDER}> <{ALT}> "x" }}', secrets["admin"])
    assert r.status_code == 400 and "--default-graph" in r.get_json()["detail"]
    assert triples_in(store_of(app), HR) == before


def test_a_curator_default_graph_outside_its_graphs_is_refused(service):
    app, _, _ = service
    with pytest.raises(ValueError, match="must be one of the token's --graph"):
        tokens(app).create("odd", "curator", [HR], default_graph=NL)


# -- the dataset: WITH, USING, USING NAMED, and the protocol's parameters ------------------

def qualifications(app, graph) -> set:
    return {r["q"] for r in store_of(app).select(
        f"SELECT ?q WHERE {{ GRAPH <{graph}> {{ ?q a <{QUALIFICATION}> }} }}")}


def marked(app) -> set:
    return {s for s, p, o in triples_in(store_of(app), A) if str(p) == EX + "seen"}


MARK = f'INSERT {{ GRAPH <{A}> {{ ?q <{EX}seen> true }} }} '


@pytest.mark.parametrize("text, params", [
    (MARK + f"USING <{NL}> WHERE {{ ?q a <{QUALIFICATION}> }}", {}),
    (MARK + f"WHERE {{ ?q a <{QUALIFICATION}> }}", {"using-graph-uri": NL}),
    (MARK + f"USING NAMED <{NL}> WHERE {{ GRAPH ?g {{ ?q a <{QUALIFICATION}> }} }}", {}),
    (MARK + f"WHERE {{ GRAPH ?g {{ ?q a <{QUALIFICATION}> }} }}", {"using-named-graph-uri": NL}),
])
def test_the_where_reads_only_the_dataset_given(service, text, params):
    app, client, secrets = service
    assert qualifications(app, NL) and qualifications(app, HR)
    r = update(client, text, secrets["lab"], **params)
    assert r.status_code == 200, r.get_json()
    assert marked(app) == qualifications(app, NL)


def test_using_named_alone_leaves_the_default_graph_empty(service):
    app, client, secrets = service
    r = update(client, MARK + f"USING NAMED <{NL}> WHERE {{ ?q a <{QUALIFICATION}> }}", secrets["lab"])
    assert r.status_code == 200 and marked(app) == set()


def test_with_names_the_graph_templates_write_and_the_where_reads(service):
    app, client, secrets = service
    seed(client, secrets)
    r = update(client, f'WITH <{A}> DELETE {{ ?s <{EX}p> "1" }} INSERT {{ ?s <{EX}p> "one" }} '
                       f'WHERE {{ ?s <{EX}p> "1" }}', secrets["lab"])
    assert r.status_code == 200 and [g["graph"] for g in r.get_json()["graphs"]] == [A]
    assert triples_in(store_of(app), A) == {t("x1", "one"), t("x2", "2")}
    # the WHERE of WITH <B> does not see A's triples
    r = update(client, f'WITH <{B}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s <{EX}p> "2" ; ?p ?o }}', secrets["lab"])
    assert r.status_code == 200 and r.get_json()["removed"] == 0
    assert len(triples_in(store_of(app), A)) == 2


@pytest.mark.parametrize("text", [
    MARK + f"USING <{NL}> WHERE {{ ?q a <{QUALIFICATION}> }}",
    MARK + f"USING NAMED <{NL}> WHERE {{ GRAPH ?g {{ ?q a <{QUALIFICATION}> }} }}",
    f"WITH <{A}> INSERT {{ ?q <{EX}seen> true }} WHERE {{ ?q a <{QUALIFICATION}> }}",
])
@pytest.mark.parametrize("param", ["using-graph-uri", "using-named-graph-uri"])
def test_a_dataset_in_both_the_protocol_and_the_text_is_400(service, text, param):
    app, client, secrets = service
    before = triples_in(store_of(app), A)
    r = update(client, text, secrets["lab"], **{param: HR})
    assert r.status_code == 400 and "given twice" in r.get_json()["title"]
    assert triples_in(store_of(app), A) == before


def test_using_graph_uri_in_the_url_of_a_direct_post(service):
    app, client, secrets = service
    r = client.post("/sparql", query_string={"using-graph-uri": NL}, data=MARK + f"WHERE {{ ?q a <{QUALIFICATION}> }}",
                    content_type="application/sparql-update", headers=bearer(secrets["lab"]))
    assert r.status_code == 200 and marked(app) == qualifications(app, NL)


# -- graph management ---------------------------------------------------------------------

def test_add_puts_the_sources_triples_into_the_target(service):
    app, client, secrets = service
    a, b = seed(client, secrets)
    r = update(client, f"ADD <{A}> TO <{B}>", secrets["lab"])
    assert r.status_code == 200 and [g["graph"] for g in r.get_json()["graphs"]] == [B]
    assert triples_in(store_of(app), B) == a | b and triples_in(store_of(app), A) == a


def test_copy_makes_the_target_equal_to_the_source(service):
    app, client, secrets = service
    a, b = seed(client, secrets)
    r = update(client, f"COPY <{A}> TO <{B}>", secrets["lab"])
    assert r.status_code == 200 and r.get_json()["removed"] == len(b) and r.get_json()["added"] == len(a)
    assert triples_in(store_of(app), B) == a == triples_in(store_of(app), A)


def test_move_writes_two_changesets_in_one_request_and_each_reverts(service):
    app, client, secrets = service
    a, b = seed(client, secrets)
    versions = {g: client.get("/api/v1/graphs/version", query_string={"graph": g}).get_json()["version"]
                for g in (A, B)}
    r = update(client, f"MOVE <{A}> TO <{B}>", secrets["lab"])
    body = r.get_json()
    assert r.status_code == 200 and {g["graph"] for g in body["graphs"]} == {A, B}
    assert triples_in(store_of(app), B) == a and triples_in(store_of(app), A) == set()
    for g in (A, B):
        assert client.get("/api/v1/graphs/version", query_string={"graph": g}).get_json()["version"] == versions[g] + 1
        latest = client.get("/api/v1/changesets", query_string={"graph": g}).get_json()["items"][0]
        assert latest["agent_name"] == "lab" and latest["changeset"] in {x["changeset"] for x in body["graphs"]}
    moved_in = next(x["changeset"] for x in body["graphs"] if x["graph"] == B)
    r = client.post("/api/v1/changesets/revert", query_string={"changeset": moved_in}, headers=bearer(secrets["lab"]))
    assert r.status_code == 201 and triples_in(store_of(app), B) == b


@pytest.mark.parametrize("text", [f"CLEAR GRAPH <{A}>", f"DROP GRAPH <{A}>", f"CLEAR SILENT GRAPH <{A}>"])
def test_clear_and_drop_empty_the_graph(service, text):
    app, client, secrets = service
    a, b = seed(client, secrets)
    r = update(client, text, secrets["lab"])
    assert r.status_code == 200 and r.get_json()["removed"] == len(a)
    assert triples_in(store_of(app), A) == set() and triples_in(store_of(app), B) == b


def test_clear_default_and_add_default_use_the_default_write_graph(service):
    app, client, secrets = service
    a, b = seed(client, secrets)
    r = update(client, f"ADD DEFAULT TO <{A}>", secrets["lab"])
    assert r.status_code == 200 and triples_in(store_of(app), A) == a | b
    r = update(client, "CLEAR DEFAULT", secrets["lab"])
    assert r.get_json()["default_graph"] == B and triples_in(store_of(app), B) == set()


@pytest.mark.parametrize("text", [f"DROP GRAPH <{NL}>", f"COPY <{A}> TO <{NL}>", f"MOVE <{NL}> TO <{A}>", "CLEAR ALL"])
def test_graph_management_of_a_graph_the_token_may_not_write_is_403(service, text):
    app, client, secrets = service
    a, _ = seed(client, secrets)
    nl = triples_in(store_of(app), NL)
    r = update(client, text, secrets["lab"])
    assert r.status_code == 403
    assert triples_in(store_of(app), NL) == nl and triples_in(store_of(app), A) == a


# -- all or nothing across graphs -----------------------------------------------------------

def test_a_violation_in_one_graph_writes_nothing_anywhere(service):
    app, client, secrets = service
    a, b = seed(client, secrets)
    hr = triples_in(store_of(app), HR)
    history = client.get("/api/v1/changesets").get_json()["items"]
    r = update(client, f'INSERT DATA {{ GRAPH <{A}> {{ <{EX}x3> <{EX}p> "ok" }} GRAPH <{HR}> {{ {BAD_LEVEL} }} }} ; '
                       f"ADD <{A}> TO <{B}>", secrets["lab"])
    assert r.status_code == 422 and r.get_json()["report"]["violations"] >= 1
    assert (triples_in(store_of(app), A), triples_in(store_of(app), B), triples_in(store_of(app), HR)) == (a, b, hr)
    assert client.get("/api/v1/changesets").get_json()["items"] == history


def test_an_update_touching_a_graph_the_token_may_not_write_writes_nothing(service):
    app, client, secrets = service
    a, _ = seed(client, secrets)
    r = update(client, f'INSERT DATA {{ GRAPH <{A}> {{ <{EX}x3> <{EX}p> "ok" }} GRAPH <{NL}> {{ <{EX}x3> <{EX}p> "no" }} }}',
               secrets["lab"])
    assert r.status_code == 403 and triples_in(store_of(app), A) == a
