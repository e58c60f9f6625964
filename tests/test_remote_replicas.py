"""Stateless replicas and faults: `qfgraph serve` processes in front of one SPARQL server.

- Two replicas on an Oxigraph server and on Virtuoso, concurrent writers and readers: no lost
  update, no duplicate, every reader sees a committed state.
- The store killed: a clean 503 and no partial write; once it is back, the same service
  process answers again without a restart.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
import requests

from qfgraph import graph
from qfgraph.api.tokens import TokenFile
from servers import HOST, OxigraphServer, free_port, wipe

G = "http://example.org/replicated"
ITEM = "http://example.org/item"
QF = "https://w3id.org/qfgraph#"
HISTORY = "https://w3id.org/qfgraph/graph/history"


class Replica:
    """One `qfgraph serve` process, configured only by the QFGRAPH_SPARQL_* environment."""

    def __init__(self, store_env: dict, tokens: str, log_dir):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("QFGRAPH_")}
        env.update(store_env, QFGRAPH_TOKENS=tokens)
        self.log = open(log_dir / f"serve-{self.port}.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qfgraph.api.cli", "serve", "--host", HOST, "--port", str(self.port),
             "--threads", "4"], env=env, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        self.url = f"http://{HOST}:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (log_dir / f"serve-{self.port}.log").read_text()
            try:
                if requests.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("qfgraph serve did not start")

    def version(self) -> int:
        r = requests.get(self.url + "/api/v1/graphs/version", params={"graph": G}, timeout=30)
        r.raise_for_status()
        return r.json()["version"]

    def add(self, token: str, item: str, version: int) -> requests.Response:
        body = {"graph": G, "format": "turtle", "message": item,
                "add": f"<{G}/{item}> <{ITEM}> \"{item}\" ."}
        return requests.post(self.url + "/api/v1/changesets", json=body, timeout=60,
                             headers={"Authorization": f"Bearer {token}", "If-Match": f'"{version}"'})

    def state(self) -> tuple[int, int]:
        """(version, items) read in one query: the two must agree in every committed state."""
        query = (f"SELECT (SAMPLE(?v) AS ?version) (COUNT(?o) AS ?items) WHERE {{ "
                 f"{{ OPTIONAL {{ GRAPH <{HISTORY}> {{ <{G}> <{QF}version> ?v }} }} }} "
                 f"OPTIONAL {{ GRAPH <{G}> {{ ?s <{ITEM}> ?o }} }} }}")
        r = requests.get(self.url + "/sparql", params={"query": query}, timeout=30,
                         headers={"Accept": "application/sparql-results+json"})
        r.raise_for_status()
        row = r.json()["results"]["bindings"][0]
        return int(row.get("version", {"value": 0})["value"]), int(row["items"]["value"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def admin_token(tmp_path) -> tuple[str, str]:
    path = str(tmp_path / "tokens.json")
    return path, TokenFile(path).create("replica-test", "admin", [])


def store_env(server) -> dict:
    config = server.store().config
    env = {"QFGRAPH_SPARQL_QUERY_URL": config.query}
    for key, name in (("user", "USER"), ("password", "PASSWORD"), ("auth", "AUTH")):
        if getattr(config, key):
            env[f"QFGRAPH_SPARQL_{name}"] = getattr(config, key)
    return env


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_two_replicas_with_concurrent_writers_and_readers(kind, request, tmp_path):
    server = request.getfixturevalue(f"{kind}_server")
    store = server.store()
    wipe(store)
    graph.install_reference(store)
    tokens, token = admin_token(tmp_path)
    replicas = [Replica(store_env(server), tokens, tmp_path) for _ in range(2)]
    committed, seen, errors, stop = [], [], [], threading.Event()

    def writer(w: int):
        for j in range(4):
            item = f"w{w}-{j}"
            for attempt in range(40):
                replica = replicas[(w + j + attempt) % 2]  # alternate: no replica is special
                r = replica.add(token, item, replica.version())
                if r.status_code == 201:
                    committed.append(item)
                    break
                if r.status_code not in (409, 412):
                    errors.append((item, r.status_code, r.text[:300]))
                    return
            else:
                errors.append((item, "gave up"))

    def reader(i: int):
        while not stop.is_set():
            seen.append(replicas[i % 2].state())

    writers = [threading.Thread(target=writer, args=(w,)) for w in range(3)]
    readers = [threading.Thread(target=reader, args=(i,)) for i in range(2)]
    try:
        for t in readers + writers:
            t.start()
        for t in writers:
            t.join()
        stop.set()
        for t in readers:
            t.join()
        assert not errors
        assert sorted(committed) == sorted(f"w{w}-{j}" for w in range(3) for j in range(4))
        # no lost update, no duplicate: each item once, one version per changeset
        items = [str(r["o"]) for r in store.select(f"SELECT ?o WHERE {{ GRAPH <{G}> {{ ?s <{ITEM}> ?o }} }}")]
        assert sorted(items) == sorted(committed)
        assert replicas[0].state() == replicas[1].state() == (12, 12)
        history = store.select(f"SELECT ?cs WHERE {{ GRAPH <{HISTORY}> {{ ?cs <{QF}targetGraph> <{G}> }} }}")
        assert len(history) == 12
        # every reader saw a committed state: as many items as committed changesets
        assert seen and all(version == items for version, items in seen), [s for s in seen if s[0] != s[1]]
    finally:
        for r in replicas:
            r.stop()
        wipe(store)


@pytest.fixture
def own_oxigraph(tmp_path):
    """An Oxigraph server of this test alone: it gets killed."""
    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.stop()


def test_a_killed_store_gives_503_and_the_service_recovers_without_restart(own_oxigraph, tmp_path):
    store = own_oxigraph.store()
    graph.install_reference(store)
    tokens, token = admin_token(tmp_path)
    replica = Replica(store_env(own_oxigraph), tokens, tmp_path)
    try:
        assert replica.add(token, "before", replica.version()).status_code == 201
        version = replica.version()

        own_oxigraph.kill()
        for r in (replica.add(token, "while-down", version),
                  requests.get(replica.url + "/sparql", params={"query": "ASK {}"}, timeout=30)):
            assert r.status_code == 503 and r.headers["Content-Type"] == "application/problem+json"
            assert own_oxigraph.query_url.rsplit("/", 1)[0] in r.json()["detail"]

        # killed in the middle of requests: each write is whole or absent
        outcomes = []
        for delay in (0.02, 0.05, 0.1):
            own_oxigraph.start()
            current = replica.version()
            killer = threading.Timer(delay, own_oxigraph.kill)
            killer.start()
            outcomes.append(replica.add(token, f"racing-{delay}", current).status_code)
            killer.join()
        assert set(outcomes) <= {201, 503}

        own_oxigraph.start()  # back: the same process answers, nothing restarted
        assert replica.process.poll() is None
        assert replica.add(token, "after", replica.version()).status_code == 201
        # a 503 may come after the server applied the write (the answer was lost): whole or absent
        version, items = replica.state()
        assert version == items and 2 + outcomes.count(201) <= items <= 2 + len(outcomes)
    finally:
        replica.stop()
