"""Reaching a SPARQL server: configuration, authentication, timeouts, retries, clear errors,
and what differs on Virtuoso."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

import pytest

from qfgraph import graph
from qfgraph.graph import RDF_FORMATS, EmbeddedStore, StoreError
from qfgraph.graph.stores.remote.config import RemoteConfig
from qfgraph.graph.stores.remote.store import RemoteStore
from servers import Gateway, free_port, wipe

EX = "http://example.org/"
TRIPLE = f"<{EX}a> <{EX}p> <{EX}b> ."


# -- configuration ----------------------------------------------------------------------------

def test_a_bare_url_is_the_query_endpoint():
    config = RemoteConfig.parse("http://127.0.0.1:7878/query", environ={})
    assert (config.query, config.update, config.auth) == ("http://127.0.0.1:7878/query", None, None)


def test_key_value_settings_and_credentials_from_the_environment():
    config = RemoteConfig.parse(
        "query=http://h:8890/sparql, update=http://h:8890/sparql-auth, gsp=http://h:8890/crud, "
        "engine=virtuoso, auth=digest, timeout=5, retries=1",
        environ={"QFGRAPH_SPARQL_USER": "dba", "QFGRAPH_SPARQL_PASSWORD": "secret"})
    assert (config.update, config.gsp, config.engine, config.auth) == (
        "http://h:8890/sparql-auth", "http://h:8890/crud", "virtuoso", "digest")
    assert (config.user, config.password, config.timeout, config.retries) == ("dba", "secret", 5.0, 1)
    assert "secret" not in repr(config)


@pytest.mark.parametrize("spec, message", [
    ("query=http://h/q,colour=blue", "colour=blue"),
    ("query=http://h/q,auth=kerberos", "auth='kerberos'"),
    ("query=http://h/q,auth=basic,user=u", "needs user= and password="),
    ("query=http://h/q,auth=bearer", "needs token="),
    ("query=http://h/q,engine=fuseki2", "engine='fuseki2'"),
    ("query=ftp://h/q", "not an http(s) URL"),
    ("update=http://h/u", "needs query=URL"),
    ("query=http://h/q,timeout=soon", "timeout="),
])
def test_bad_settings_are_refused_with_the_reason(spec, message):
    with pytest.raises(StoreError, match=message.replace("(", r"\(").replace(")", r"\)")):
        RemoteConfig.parse(spec, environ={})


def test_open_store_picks_the_remote_store_from_a_url_or_the_environment(monkeypatch, tmp_path):
    assert isinstance(graph.open_store("http://127.0.0.1:1/query"), RemoteStore)
    monkeypatch.delenv("QFGRAPH_STORE", raising=False)
    monkeypatch.setenv("QFGRAPH_SPARQL_QUERY_URL", "http://127.0.0.1:1/sparql")
    monkeypatch.setenv("QFGRAPH_SPARQL_UPDATE_URL", "http://127.0.0.1:1/sparql-auth")
    store = graph.open_store()
    assert isinstance(store, RemoteStore) and store.config.update == "http://127.0.0.1:1/sparql-auth"
    # an explicit store (--store or QFGRAPH_STORE) still wins
    local = graph.open_store(str(tmp_path / "local"))
    assert isinstance(local, EmbeddedStore)
    local.close()


def test_the_engine_is_recognised_and_its_endpoints_filled_in(oxigraph_server, virtuoso_server):
    ox_store = oxigraph_server.store()
    assert ox_store.engine.name == "oxigraph"
    base = oxigraph_server.query_url.rsplit("/", 1)[0]
    assert (ox_store.config.update, ox_store.config.gsp) == (base + "/update", base + "/store")
    vt = virtuoso_server.store()
    assert vt.engine.name == "virtuoso"
    base = virtuoso_server.query_url.rsplit("/", 1)[0]
    assert (vt.config.update, vt.config.gsp) == (base + "/sparql-auth", base + "/sparql-graph-crud-auth")


# -- failures ---------------------------------------------------------------------------------

def test_an_unreachable_server_is_a_clear_error_naming_the_endpoint():
    url = f"http://127.0.0.1:{free_port()}/query"
    store = RemoteStore(RemoteConfig.parse(f"query={url},engine=generic,retries=1", environ={}))
    with pytest.raises(StoreError, match=f"SPARQL store at {url} is unreachable"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


@pytest.fixture
def gateway(oxigraph_server):
    gateways = []

    def make(authorization=None):
        g = Gateway(oxigraph_server.query_url.rsplit("/", 1)[0], authorization)
        gateways.append(g)
        return g
    wipe(oxigraph_server.store())
    yield make
    for g in gateways:
        g.close()
    wipe(oxigraph_server.store())


def test_reads_are_retried_when_the_server_is_unavailable_and_writes_are_not(gateway):
    gw = gateway()
    store = RemoteStore(RemoteConfig.parse(f"query={gw.url('/query')},retries=3", environ={}))
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ {TRIPLE} }} }}")
    gw.requests.clear()
    gw.unavailable = 2
    assert store.ask(f"ASK {{ {TRIPLE} }}")
    assert len(gw.requests) == 3  # two refusals, then the answer
    gw.requests.clear()
    gw.unavailable = 1
    with pytest.raises(StoreError, match="HTTP 503"):
        store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}c> <{EX}p> <{EX}d> }} }}")
    assert len(gw.requests) == 1
    assert store.graph_sizes() == {f"{EX}g": 1}


def test_a_write_the_server_rolled_back_as_a_deadlock_victim_is_sent_again(gateway):
    """Nothing of a rolled-back request was applied: sending it again applies it once."""
    gw = gateway()
    store = RemoteStore(RemoteConfig.parse(f"query={gw.url('/query')},engine=oxigraph", environ={}))
    gw.rolled_back = 2
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ {TRIPLE} }} }}")
    assert len(gw.requests) == 3 and store.graph_sizes() == {f"{EX}g": 1}
    gw.rolled_back = 100  # it keeps happening: a clear error, after a few tries
    with pytest.raises(StoreError, match="SR172"):
        store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}c> <{EX}p> <{EX}d> }} }}")
    gw.rolled_back = 0
    assert store.graph_sizes() == {f"{EX}g": 1}


def test_a_slow_server_times_out_with_a_clear_error(gateway):
    gw = gateway()
    store = RemoteStore(RemoteConfig.parse(f"query={gw.url('/query')},engine=oxigraph,timeout=0.3",
                                           environ={}))
    gw.delay = 1.0
    with pytest.raises(StoreError, match=r"did not answer the query within 0.3 s"):
        store.ask("ASK {}")


@pytest.mark.parametrize("kind", ["basic", "bearer"])
def test_authentication_reaches_every_endpoint(gateway, tmp_path, kind):
    header = ("Basic " + base64.b64encode(b"curator:s3cret").decode()) if kind == "basic" else "Bearer t0ken"
    gw = gateway(authorization=header)
    creds = "user=curator,password=s3cret,auth=basic" if kind == "basic" else "token=t0ken"
    store = RemoteStore(RemoteConfig.parse(f"query={gw.url('/query')},{creds}", environ={}))
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ {TRIPLE} }} }}")  # update endpoint
    path = tmp_path / "more.nt"
    path.write_text(f"<{EX}c> <{EX}p> <{EX}d> .\n")
    assert store.load(path, RDF_FORMATS["ntriples"], f"{EX}g") == 1  # Graph Store Protocol
    assert store.graph_sizes() == {f"{EX}g": 2}  # query endpoint
    wrong = RemoteStore(RemoteConfig.parse(f"query={gw.url('/query')},engine=oxigraph,"
                                           + creds.replace("s3cret", "guess").replace("t0ken", "guess"),
                                           environ={}))
    with pytest.raises(StoreError, match=r"refused the query \(HTTP 401\): check the credentials"):
        wrong.ask("ASK {}")
    with pytest.raises(StoreError, match="HTTP 401"):
        wrong.update(f"INSERT DATA {{ GRAPH <{EX}h> {{ {TRIPLE} }} }}")
    assert store.graph_sizes() == {f"{EX}g": 2}


# -- Virtuoso's differences, handled --------------------------------------------------------

@pytest.fixture
def virtuoso(virtuoso_server):
    store = virtuoso_server.store()
    wipe(store)
    yield store
    wipe(store)


def test_virtuoso_anonymous_endpoint_may_not_write_and_says_how_to(virtuoso_server, virtuoso):
    anonymous = RemoteStore(RemoteConfig.parse(virtuoso_server.query_url, environ={}))
    with pytest.raises(StoreError, match="SPARQL_UPDATE") as e:
        anonymous.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ {TRIPLE} }} }}")
    assert virtuoso_server.query_url in str(e.value) and "/sparql-auth" in str(e.value)
    assert virtuoso.graph_sizes() == {}


def test_virtuoso_system_graphs_stay_out_of_sizes_export_and_cleanup(virtuoso):
    assert virtuoso.graph_sizes() == {}
    assert virtuoso.export(RDF_FORMATS["nquads"]) == b""
    # they are there all the same: whole-union queries see them (documented)
    assert virtuoso.ask("ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }")


def test_virtuoso_csv_and_tsv_results_follow_sparql_1_1(virtuoso):
    virtuoso.update(f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> "x" }} }}')
    query = f"SELECT ?s ?o WHERE {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}"
    tsv, _, _ = virtuoso.query_serialized(query, "text/tab-separated-values")
    assert tsv.decode().splitlines() == ["?s\t?o", f'<{EX}a>\t"x"']
    csv, _, _ = virtuoso.query_serialized(query, "text/csv")
    assert csv.decode().splitlines() == ["s,o", f"{EX}a,x"]


def test_virtuoso_graphs_need_drop_silent(virtuoso):
    """Virtuoso refuses DROP GRAPH for a graph never CREATEd, even with triples in it;
    qfgraph only uses DROP SILENT, which behaves as everywhere."""
    virtuoso.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ {TRIPLE} }} }}")
    with pytest.raises(StoreError, match="has not been explicitly created"):
        virtuoso.update(f"DROP GRAPH <{EX}g>")
    virtuoso.update(f"DROP SILENT GRAPH <{EX}g>")
    assert virtuoso.graph_sizes() == {}


# -- every command on the remote store --------------------------------------------------------

def qfgraph(*args, env=None):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("QFGRAPH_")}, **(env or {})}
    return subprocess.run([sys.executable, "-m", "qfgraph.api.cli", *args], capture_output=True, env=env,
                          timeout=120)


def test_commands_use_the_store_named_by_the_environment(oxigraph_server, tmp_path):
    wipe(oxigraph_server.store())
    env = {"QFGRAPH_SPARQL_QUERY_URL": oxigraph_server.query_url}
    assert qfgraph("init", env=env).returncode == 0
    stats = qfgraph("stats", "--json", env=env)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["graphs"] == oxigraph_server.store().graph_sizes() != {}
    assert not (tmp_path / "qfgraph-data").exists()
    by_flag = qfgraph("--store", oxigraph_server.query_url, "query", "ASK { ?s a skos:Concept }")
    assert by_flag.stdout.decode().strip() == "true"
    wipe(oxigraph_server.store())


def test_virtuoso_durations_are_read_back_as_written(virtuoso):
    """Virtuoso keeps xsd:duration as seconds; qfgraph's reads give ISO 8601 again."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD
    virtuoso.update(f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}hours> "PT150H"^^<{XSD.duration}> ; '
                    f'<{EX}short> "PT1H30M"^^<{XSD.duration}> }} }}')
    rows = virtuoso.select(f"SELECT ?p ?o WHERE {{ <{EX}a> ?p ?o }}")
    expected = {URIRef(f"{EX}hours"): Literal("PT150H", datatype=XSD.duration),
                URIRef(f"{EX}short"): Literal("PT1H30M", datatype=XSD.duration)}
    assert {r["p"]: r["o"] for r in rows} == expected
    g = virtuoso.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}")
    assert {p: o for _, p, o in g} == expected
