"""A real `qfgraph serve` process on a loopback port, asked by real clients: SPARQLWrapper,
rdflib's SPARQLStore, and raw HTTP for the protocol's error cases."""
from __future__ import annotations

import csv
import http.client
import io
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from tests.http_support import HR, WELDER

pytestmark = pytest.mark.server

TITLES = f"SELECT ?t WHERE {{ <{WELDER}> <http://purl.org/dc/terms/title> ?t }} ORDER BY ?t"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(store, port: int, *flags: str) -> subprocess.Popen:
    """`qfgraph serve` on a loopback port; returns once it accepts connections."""
    process = subprocess.Popen(
        [sys.executable, "-m", "qfgraph.api.cli", "serve", "--store", str(store), "--host", "127.0.0.1",
         "--port", str(port), *flags], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("qfgraph serve ended: " + process.stdout.read())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("qfgraph serve did not listen within 90 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    store = tmp_path_factory.mktemp("served") / "store"
    process = start_serve(store, port, "--demo", "--threads", "6", "--query-workers", "2",
                          "--query-timeout", "2", "--max-request-bytes", "100000")
    yield {"url": f"http://127.0.0.1:{port}", "port": port}
    stop(process)


def wrapper(server, fmt) -> SPARQLWrapper:
    w = SPARQLWrapper(server["url"] + "/sparql")
    w.setReturnFormat(fmt)
    return w


def test_sparqlwrapper_select_json(server):
    w = wrapper(server, JSON)
    w.setQuery(TITLES)
    rows = w.query().convert()["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == ["Welder", "Zavarivač"]


def test_sparqlwrapper_select_xml(server):
    w = wrapper(server, XML)
    w.setQuery(TITLES)
    doc = w.query().convert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == ["Welder", "Zavarivač"]


@pytest.mark.parametrize("fmt, delimiter", [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_and_tsv(server, fmt, delimiter):
    w = wrapper(server, fmt)
    w.setQuery(TITLES)
    text = w.query().convert().decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert rows[0][0].lstrip("?") == "t" and "Welder" in rows[1][0]


def test_sparqlwrapper_construct_and_ask(server):
    w = wrapper(server, TURTLE)
    w.setQuery(f"CONSTRUCT {{ <{WELDER}> ?p ?o }} WHERE {{ <{WELDER}> ?p ?o }}")
    g = Graph().parse(data=w.query().convert(), format="turtle")
    assert (URIRef(WELDER), None, None) in g and len(g) > 10
    w = wrapper(server, JSON)
    w.setQuery(f"ASK {{ <{WELDER}> ?p ?o }}")
    assert w.query().convert()["boolean"] is True


def test_sparqlwrapper_post(server):
    w = wrapper(server, JSON)
    w.setMethod("POST")
    w.setQuery(TITLES)
    assert len(w.query().convert()["results"]["bindings"]) == 2


def test_rdflib_sparqlstore(server):
    g = Graph(store=SPARQLStore(server["url"] + "/sparql"))
    rows = list(g.query(TITLES))
    assert [str(r.t) for r in rows] == ["Welder", "Zavarivač"]
    assert g.query(f"ASK {{ <{WELDER}> ?p ?o }}").askAnswer is True
    constructed = g.query(f"CONSTRUCT {{ <{WELDER}> ?p ?o }} WHERE {{ <{WELDER}> ?p ?o }}").graph
    assert len(constructed) > 10


def raw(server, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheader("Content-Type"), data


def test_raw_two_queries_is_400(server):
    q = urllib.parse.quote("ASK {}")
    status, ctype, body = raw(server, "GET", f"/sparql?query={q}&query={q}")
    assert status == 400 and ctype == "application/problem+json"
    assert "exactly one query" in json.loads(body)["detail"]


def test_raw_wrong_content_type_is_415(server):
    status, ctype, _ = raw(server, "POST", "/sparql", "ASK {}", {"Content-Type": "application/json"})
    assert status == 415 and ctype == "application/problem+json"


def test_raw_update_by_get_is_400(server):
    u = urllib.parse.quote(f'INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <{WELDER}> "x" }} }}')
    status, _, body = raw(server, "GET", f"/sparql?update={u}")
    assert status == 400 and "POST" in json.loads(body)["detail"]


def test_raw_syntax_error_is_400_with_the_message(server):
    status, _, body = raw(server, "POST", "/sparql", "SELECT WHERE {", {"Content-Type": "application/sparql-query"})
    assert status == 400 and "error at" in json.loads(body)["detail"]


def test_raw_update_without_token_is_401(server):
    status, _, _ = raw(server, "POST", "/sparql", f"CLEAR GRAPH <{HR}>",
                       {"Content-Type": "application/sparql-update"})
    assert status == 401


def test_raw_body_too_large_is_413(server):
    status, ctype, body = raw(server, "POST", "/sparql", "ASK {} #" + "x" * 200_000,
                              {"Content-Type": "application/sparql-query"})
    assert status == 413 and ctype == "application/problem+json" and "100000" in json.loads(body)["detail"]


def test_slow_query_is_stopped_while_others_are_answered(server):
    slow = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    answer: dict = {}
    t = threading.Thread(target=lambda: answer.update(r=raw(server, "GET", f"/sparql?query={slow}")))
    t.start()
    time.sleep(0.3)
    status, _, _ = raw(server, "GET", "/sparql?query=" + urllib.parse.quote(TITLES))
    assert status == 200 and t.is_alive()
    t.join(30)
    status, _, body = answer["r"]
    assert status == 503 and "stopped" in json.loads(body)["detail"]
    # and the service still answers afterwards
    assert raw(server, "GET", "/sparql?query=" + urllib.parse.quote(TITLES))[0] == 200


def test_api_and_linked_data_over_http(server):
    status, ctype, body = raw(server, "GET", "/api/v1/qualifications?limit=1")
    assert status == 200 and json.loads(body)["items"]
    status, ctype, _ = raw(server, "GET", "/id/hr/qualification/welder", headers={"Accept": "text/turtle"})
    assert status == 200 and ctype.startswith("text/turtle")


def test_serve_on_a_store_in_use_ends_with_the_reason(tmp_path):
    from qfgraph.graph import EmbeddedStore
    held = EmbeddedStore(str(tmp_path / "store"))
    try:
        done = subprocess.run([sys.executable, "-m", "qfgraph.api.cli", "serve", "--store", str(tmp_path / "store"),
                               "--port", str(free_port())], capture_output=True, text=True, timeout=120)
    finally:
        held.close()
    assert done.returncode == 1
    assert "qfgraph: error: the store directory" in done.stderr and "in use by another process" in done.stderr


def test_serve_refuses_a_wrong_setting_before_it_starts(tmp_path):
    done = subprocess.run([sys.executable, "-m", "qfgraph.api.cli", "serve", "--store", str(tmp_path / "store"),
                           "--port", str(free_port()), "--base", "https://example.org/id"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "the base IRI must end with / or #" in done.stderr
    assert not (tmp_path / "store").exists()  # nothing was started


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_when_the_server_ends_its_processes_end_and_free_the_store(tmp_path, signal_name):
    import signal

    from qfgraph.graph import EmbeddedStore
    port = free_port()
    process = start_serve(tmp_path / "store", port, "--query-workers", "2")
    assert raw({"port": port}, "GET", "/sparql?query=" + urllib.parse.quote("ASK {}"))[0] == 200
    process.send_signal(getattr(signal, signal_name))
    process.wait(15)
    deadline = time.monotonic() + 15
    while True:  # the worker process and the query workers let go of the store
        try:
            EmbeddedStore(str(tmp_path / "store")).close()
            break
        except Exception:
            assert time.monotonic() < deadline, "the store is still held after the server ended"
            time.sleep(0.2)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
