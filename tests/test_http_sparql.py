"""/sparql through the Flask test client: the SPARQL 1.1 Protocol, negotiation, errors,
limits, service description, CORS."""
from __future__ import annotations

import csv
import io
import threading
import time

import pytest
from rdflib import Graph

from tests.http_support import HR, WELDER, demo_app

SELECT = f"SELECT ?t WHERE {{ <{WELDER}> <http://purl.org/dc/terms/title> ?t }} ORDER BY ?t"
CONSTRUCT = f"CONSTRUCT {{ <{WELDER}> ?p ?o }} WHERE {{ <{WELDER}> ?p ?o }}"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return demo_app(tmp_path_factory.mktemp("sparql")).test_client()


def titles(response) -> list[str]:
    return [b["t"]["value"] for b in response.get_json(force=True)["results"]["bindings"]]


def test_query_by_get_post_form_and_post_direct_give_the_same_answer(client):
    by_get = client.get("/sparql", query_string={"query": SELECT})
    by_form = client.post("/sparql", data={"query": SELECT})
    by_body = client.post("/sparql", data=SELECT, content_type="application/sparql-query")
    assert by_get.status_code == by_form.status_code == by_body.status_code == 200
    assert titles(by_get) == titles(by_form) == titles(by_body) == ["Welder", "Zavarivač"]
    assert by_get.mimetype == "application/sparql-results+json"


@pytest.mark.parametrize("accept, mimetype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_in_every_result_format(client, accept, mimetype):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == mimetype
    text = r.get_data(as_text=True)
    assert "Zavarivač" in text
    if mimetype == "text/csv":
        assert list(csv.reader(io.StringIO(text)))[0] == ["t"]


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                         ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_construct_in_every_rdf_format(client, accept, fmt):
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    g = Graph().parse(data=r.get_data(as_text=True), format=fmt)
    assert len(g) > 10 and any(str(o) == "Welder" for o in g.objects())


def test_describe_gives_a_graph(client):
    r = client.get("/sparql", query_string={"query": f"DESCRIBE <{WELDER}>"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Welder" in r.get_data(as_text=True)


def test_ask(client):
    r = client.get("/sparql", query_string={"query": f"ASK {{ <{WELDER}> ?p ?o }}"})
    assert r.get_json(force=True)["boolean"] is True


def test_negotiation_honours_q_values(client):
    r = client.get("/sparql", query_string={"query": SELECT},
                   headers={"Accept": "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"})
    assert r.mimetype == "text/csv"
    r = client.get("/sparql", query_string={"query": CONSTRUCT},
                   headers={"Accept": "text/turtle;q=0.2, application/n-triples"})
    assert r.mimetype == "application/n-triples"


def test_nothing_acceptable_is_406(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.mimetype == "application/problem+json"
    assert "offered" in r.get_json()["detail"]
    # a results type for a graph query is not acceptable either
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert r.status_code == 406


def test_format_parameter_overrides_accept(client):
    r = client.get("/sparql", query_string={"query": SELECT, "format": "tsv"}, headers={"Accept": "text/csv"})
    assert r.mimetype == "text/tab-separated-values"


def test_two_queries_or_none_are_400(client):
    r = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400 and "exactly one query" in r.get_json()["detail"]
    r = client.post("/sparql", data={"foo": "bar"})
    assert r.status_code == 400


def test_query_and_update_together_are_400(client):
    r = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert r.status_code == 400


def test_syntax_error_is_400_with_the_parser_message(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"})
    body = r.get_json()
    assert r.status_code == 400 and body["title"] == "SPARQL syntax error"
    assert "error at 1:" in body["detail"]


def test_unsupported_content_type_is_415(client):
    r = client.post("/sparql", data=SELECT, content_type="text/plain")
    assert r.status_code == 415 and "application/sparql-query" in r.get_json()["detail"]


def test_get_without_query_is_the_service_description(client):
    r = client.get("/sparql")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = Graph().parse(data=r.get_data(as_text=True), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = {str(o) for s, p, o in g if str(p) == sd + "endpoint"}
    assert endpoints == {"http://localhost/sparql"}
    names = {str(o) for s, p, o in g if str(p) == sd + "name"}
    assert HR in names


def test_default_graph_uri_restricts_the_dataset(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = int(client.get("/sparql", query_string={"query": count}).get_json(force=True)
                ["results"]["bindings"][0]["n"]["value"])
    only_hr = int(client.get("/sparql", query_string={"query": count, "default-graph-uri": HR})
                  .get_json(force=True)["results"]["bindings"][0]["n"]["value"])
    assert 0 < only_hr < union
    r = client.get("/sparql", query_string={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                            "named-graph-uri": HR})
    assert [b["g"]["value"] for b in r.get_json(force=True)["results"]["bindings"]] == [HR]
    r = client.get("/sparql", query_string={"query": count, "default-graph-uri": "not an iri"})
    assert r.status_code == 400


def test_from_in_the_query_names_the_dataset(client):
    q = f"SELECT (COUNT(*) AS ?n) FROM <{HR}> WHERE {{ ?s ?p ?o }}"
    a = client.get("/sparql", query_string={"query": q}).get_json(force=True)
    b = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                            "default-graph-uri": HR}).get_json(force=True)
    assert a["results"] == b["results"]


def test_standard_prefixes_need_no_declaration(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?q WHERE { ?q a elm:Qualification }"})
    assert r.status_code == 200 and WELDER in r.get_data(as_text=True)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/> { ?s ?p ?o } }",
    # spellings the engine reads as SERVICE too: after a dot, glued to a prefixed name or a brace
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o.service<http://127.0.0.1:9/sparql>{ ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1.SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p ?o . SERVICEex:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { { ?s ?p ?o }SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    # past the length of the texts kept in the scan's cache
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } } # " + "x" * 20_000,
])
def test_service_is_refused(client, query):
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 403 and "SERVICE" in r.get_json()["detail"]


def test_keywords_inside_strings_and_iris_are_not_refused(client):
    q = 'SELECT * WHERE { ?s ?p "SERVICE" . ?s <http://x/LOAD> ?o } LIMIT 1'
    assert client.get("/sparql", query_string={"query": q}).status_code == 200


def test_names_holding_the_words_without_being_read_as_them_are_answered(client):
    q = ('PREFIX dc-load: <http://purl.org/dc/terms/> '
         'SELECT ?service WHERE { ?s dc-load:title ?service ; ?p ex:loaded } LIMIT 1')
    r = client.get("/sparql", query_string={"query": q.replace("ex:loaded", "?load")})
    assert r.status_code == 200


@pytest.mark.parametrize("prologue", ["", "PREFIX dcterms: <http://purl.org/dc/terms/> ",
                                      "PREFIX dcterms: <http://example.org/other#> "])
def test_standard_prefixes_serve_only_where_the_query_does_not_declare_them(client, prologue):
    q = prologue + f"SELECT ?t WHERE {{ <{WELDER}> dcterms:title ?t . ?x a elm:Qualification }} LIMIT 1"
    rows = client.get("/sparql", query_string={"query": q}).get_json()["results"]["bindings"]
    # a query's own declaration wins over the standard one
    assert len(rows) == (0 if "other" in prologue else 1)


def test_the_one_pass_scan_refuses_whatever_blanking_then_matching_words_refused():
    from hypothesis import given, settings, strategies as st
    from qfgraph.graph.querying.text import _WORD, analyse, blank
    pieces = st.sampled_from(['"SERVICE"', "'LOAD'", '"""x\n"y" LOAD"""', "<http://x/LOAD>", "# SERVICE\n",
                              "SERVICE", "load", "select", "FROM", "a", "?x", "$v", "ex:p", ":q", "{", "}",
                              " ", "\n", ".", "PREFIX ex: <http://e/>", "x-LOAD", "ASK", "construct"])

    @settings(max_examples=60, deadline=None)
    @given(st.lists(pieces, max_size=12))
    def check(parts):
        text = "".join(parts)
        old = {m.group(1).upper() for m in _WORD.finditer(blank(text))}
        assert old & {"SERVICE", "LOAD"} <= analyse(text).calls

    check()


def test_update_by_get_is_refused(client):
    r = client.get("/sparql", query_string={"update": f"INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <{WELDER}> 1 }} }}"})
    assert r.status_code == 400 and "POST" in r.get_json()["detail"]


def test_update_in_a_query_parameter_is_a_syntax_error(client):
    r = client.get("/sparql", query_string={"query": f"INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <{WELDER}> 1 }} }}"})
    assert r.status_code == 400


def test_result_limit(tmp_path):
    client = demo_app(tmp_path, result_limit=2000).test_client()
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "LIMIT" in r.get_json()["detail"]
    small = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})
    assert small.status_code == 200


def test_cors_preflight_and_simple_request(client):
    r = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in r.headers["Access-Control-Allow-Headers"]
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_restricted_to_configured_origins(tmp_path):
    client = demo_app(tmp_path, cors_origins="https://ok.example").test_client()
    ok = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://ok.example"})
    other = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://ok.example"
    assert "Access-Control-Allow-Origin" not in other.headers


class _BrokenRunner:
    def run(self, *args):
        raise RuntimeError("the engine broke")


class _DownRunner:
    def run(self, *args):
        from qfgraph.graph.errors import StoreError
        raise StoreError("the SPARQL server at http://127.0.0.1:9/ does not answer")


@pytest.mark.parametrize("params, accept", [
    ({"query": SELECT}, "text/csv;q=0.5, application/sparql-results+json"),
    ({"query": SELECT, "format": "tsv"}, ""), ({"query": SELECT, "output": "xml"}, ""),
    ({"query": SELECT, "default-graph-uri": HR}, ""), ({"query": SELECT, "default-graph-uri": "not an iri"}, ""),
    ({"query": "SELECT nonsense"}, ""), ({"query": SELECT}, "image/png"), ({"query": SELECT, "format": "gif"}, ""),
    ({"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, ""),
    ({"query": f"CONSTRUCT WHERE {{ <{WELDER}> ?p ?o }}"}, "application/n-triples"),
    ({"query": SELECT}, "broken"), ({"query": SELECT}, "down"),
])
def test_a_query_by_get_is_answered_as_the_same_query_by_post(tmp_path, params, accept):
    """GET takes the fast path, a POST form the Flask route: same status, headers and body."""
    app = demo_app(tmp_path, cors_origins="https://ok.example")
    failure = {"broken": 500, "down": 503}.get(accept)
    if failure:
        app.extensions["qfgraph.runner"] = _BrokenRunner() if accept == "broken" else _DownRunner()
        accept = ""
    client = app.test_client()
    headers = {"Accept": accept, "Origin": "https://ok.example", "X-Request-Id": "abc123"}
    got = client.get("/sparql", query_string=params, headers=headers)
    posted = client.post("/sparql", data=params, headers=headers)
    assert got.status_code == posted.status_code
    for name in ("Content-Type", "Vary", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "X-Request-Id",
                 "Retry-After"):
        assert got.headers.get(name) == posted.headers.get(name), name
    assert got.get_data() == posted.get_data()
    assert got.headers["X-Request-Id"] == "abc123" and "Origin" in got.headers["Vary"]
    assert failure is None or got.status_code == failure


def test_a_query_by_get_tells_where_its_time_went(client):
    r = client.get("/sparql", query_string={"query": SELECT})
    timing = dict(part.split(";dur=") for part in r.headers["Server-Timing"].split(", "))
    assert set(timing) == {"query", "app"} and 0 < float(timing["query"]) <= float(timing["app"])


def test_request_body_over_the_limit_is_413(tmp_path):
    client = demo_app(tmp_path, max_request_bytes=1000).test_client()
    r = client.post("/sparql", data="ASK {} #" + "x" * 2000, content_type="application/sparql-query")
    assert r.status_code == 413 and "1000" in r.get_json()["detail"]


def test_every_response_carries_a_request_id(client):
    r = client.get("/sparql", query_string={"query": "ASK {}"})
    assert len(r.headers["X-Request-Id"]) == 32
    r = client.get("/sparql", query_string={"query": "nonsense"})
    assert r.get_json()["request_id"] == r.headers["X-Request-Id"]


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_timeout_in_memory_answers_at_the_deadline_and_others_go_on(tmp_path):
    client = demo_app(tmp_path, query_timeout=0.1).test_client()
    # well over half a second of work on the Croatian and Dutch graphs (several times the
    # deadline, whatever the machine's load); it ends soon after the test
    pairs = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"
    r = client.get("/sparql", query_string={"query": pairs, "default-graph-uri": [HR, HR.replace("/hr", "/nl")]})
    # 503, not the count: answered at the deadline, not when the query ends
    assert r.status_code == 503 and "stopped" in r.get_json()["detail"]
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_timeout_on_disk_stops_the_worker_and_others_are_answered_meanwhile(tmp_path):
    from qfgraph import graph
    from qfgraph.graph import EmbeddedStore
    store = EmbeddedStore(str(tmp_path / "store"))
    graph.install_demo(store)
    app = demo_app(tmp_path, store=store, query_timeout=1.5, query_workers=2)
    runner = app.extensions["qfgraph.runner"]
    try:
        client = app.test_client()
        assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        slow: dict = {}
        t = threading.Thread(target=lambda: slow.update(r=app.test_client().get("/sparql", query_string={"query": SLOW})))
        t.start()
        time.sleep(0.3)
        # the other worker answers while the slow query runs
        quick = client.get("/sparql", query_string={"query": SELECT})
        assert quick.status_code == 200 and t.is_alive()
        t.join(30)
        assert slow["r"].status_code == 503
        workers = list(runner._idle.queue)
        assert len(workers) == 2 and all(w.process.poll() is None for w in workers)
        # the stopped worker was replaced: the pool still answers two queries at once
        assert client.get("/sparql", query_string={"query": SELECT}).status_code == 200
    finally:
        runner.close()
        store.close()


def test_on_disk_workers_see_a_write_made_through_the_service(tmp_path):
    from qfgraph import graph
    from qfgraph.graph import EmbeddedStore
    from tests.http_support import bearer, tokens
    store = EmbeddedStore(str(tmp_path / "store"))
    graph.install_demo(store)
    app = demo_app(tmp_path, store=store, query_workers=1)
    try:
        client = app.test_client()
        ask = f'ASK {{ <{WELDER}> <http://purl.org/dc/terms/alternative> "Welder (MAG)"@en }}'
        assert client.get("/sparql", query_string={"query": ask}).get_json(force=True)["boolean"] is False
        token = tokens(app).create("hr", "curator", [HR])
        r = client.post("/sparql", headers=bearer(token), data={
            "update": f'INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <http://purl.org/dc/terms/alternative> "Welder (MAG)"@en }} }}'})
        assert r.status_code == 200, r.get_data(as_text=True)
        assert client.get("/sparql", query_string={"query": ask}).get_json(force=True)["boolean"] is True
    finally:
        app.extensions["qfgraph.runner"].close()
        store.close()


def test_query_workers_hand_back_whole_results_of_every_size(tmp_path):
    """Answers from a worker process equal the engine's own serialization in this process,
    from a few bytes to over a megabyte; errors come back as the same exceptions."""
    from qfgraph import graph
    from qfgraph.graph import EmbeddedStore
    from qfgraph.graph.querying.runners import ProcessRunner
    from qfgraph.graph.querying.engine import (
        QueryFailed, ResultTooLarge, engine_options, run_serialized,
    )
    store = EmbeddedStore(str(tmp_path / "store"))
    graph.install_demo(store)
    runner, sizes = ProcessRunner(store.path, 1), []
    try:
        for query, media in [("ASK {}", "application/sparql-results+json"),
                             ("SELECT * { ?s ?p ?o }", "application/sparql-results+json"),
                             ("SELECT * { ?s ?p ?o VALUES ?copy { 1 2 3 } }", "application/sparql-results+xml"),
                             ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")]:
            here = run_serialized(store.oxigraph, query, media, engine_options(query, [], []), 10 ** 9, None)
            assert runner.run(query, media, [], [], 10 ** 9, 30) == here
            sizes.append(len(here[0]))
        assert min(sizes) < 100 and max(sizes) > 1 << 20
        with pytest.raises(ResultTooLarge):
            runner.run("SELECT * { ?s ?p ?o }", "text/csv", [], [], 1000, 30)
        with pytest.raises(QueryFailed) as e:
            runner.run("SELECT nonsense", "text/csv", [], [], 1000, 30)
        assert e.value.syntax
        assert runner.run("ASK {}", "text/csv", [], [], 1000, 30)[0] == b"true"
    finally:
        runner.close()
        store.close()


@pytest.fixture
def disk_runner(tmp_path):
    """A worker pool over an on-disk demo store, with the server's own handle on it."""
    from qfgraph import graph
    from qfgraph.graph import EmbeddedStore
    from qfgraph.graph.querying.runners import ProcessRunner
    store = EmbeddedStore(str(tmp_path / "store"))
    graph.install_demo(store)
    runner = ProcessRunner(store.path, 1, store.oxigraph)
    yield runner
    runner.close()
    store.close()


JSON_TYPE = "application/sparql-results+json"


def test_a_query_a_worker_answered_quickly_is_answered_here_until_the_store_changes(disk_runner):
    first = disk_runner.run(SELECT, JSON_TYPE, [], [], 10 ** 9, 30)
    assert disk_runner.answered_here == 0
    # the same answer, byte for byte, from the server's handle
    assert disk_runner.run(SELECT, JSON_TYPE, [], [], 10 ** 9, 30) == first
    assert disk_runner.answered_here == 1
    # another dataset or format is another query: proven on its own
    disk_runner.run(SELECT, JSON_TYPE, [HR], [], 10 ** 9, 30)
    disk_runner.run(SELECT, "text/csv", [], [], 10 ** 9, 30)
    assert disk_runner.answered_here == 1
    disk_runner.invalidate()  # a write: what was proven on the old data is proven again
    assert disk_runner.run(SELECT, JSON_TYPE, [], [], 10 ** 9, 30) == first
    assert disk_runner.answered_here == 1
    disk_runner.run(SELECT, JSON_TYPE, [], [], 10 ** 9, 30)
    assert disk_runner.answered_here == 2


def test_a_query_slower_than_the_proof_always_goes_to_a_worker(disk_runner, monkeypatch):
    from qfgraph.graph.querying import runners as runner_module
    pairs = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"
    for _ in range(2):
        disk_runner.run(pairs, JSON_TYPE, [HR], [], 10 ** 9, 60)
    assert disk_runner.answered_here == 0
    # proven under a generous bound, then slower than the bound here: forgotten
    monkeypatch.setattr(runner_module, "PROVEN_SECONDS", 60.0)
    disk_runner.run(SELECT, JSON_TYPE, [], [], 10 ** 9, 1000)
    disk_runner.run(SELECT, JSON_TYPE, [], [], 10 ** 9, 1000)
    assert disk_runner.answered_here == 1
    monkeypatch.setattr(runner_module, "PROVEN_SECONDS", 0.0)
    disk_runner.run(SELECT, JSON_TYPE, [], [], 10 ** 9, 1000)
    disk_runner.run(SELECT, JSON_TYPE, [], [], 10 ** 9, 1000)
    assert disk_runner.answered_here == 2  # the second went to a worker


def test_a_proven_query_past_its_deadline_here_is_stopped_and_forgotten(disk_runner):
    from qfgraph.graph.querying.engine import QueryTimeout
    everything = "SELECT * { ?s ?p ?o }"
    for _ in range(2):
        disk_runner.run(everything, "text/csv", [], [], 10 ** 9, 30)
    assert disk_runner.answered_here == 1
    with pytest.raises(QueryTimeout):  # the result writer stops it at the deadline
        disk_runner.run(everything, "text/csv", [], [], 10 ** 9, 1e-9)
    disk_runner.run(everything, "text/csv", [], [], 10 ** 9, 30)
    assert disk_runner.answered_here == 1  # proven again by a worker first
