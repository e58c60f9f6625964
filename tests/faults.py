"""Helpers of the fault tests: `qfgraph` in a real child process that can be killed (at a
moment, or at a named phase: tests/fault_child.py), a small register to import, what a
store holds of one graph, and `qfgraph serve` answering /sparql on a store."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from qfgraph.graph import EmbeddedStore, finish_interrupted_loads, graph_version
from qfgraph.graph.changes import history
from tests.servers import stop_group

CHILD = str(Path(__file__).resolve().parent / "fault_child.py")
HOST = "127.0.0.1"


def qfgraph_process(args, env: dict | None = None) -> subprocess.Popen:
    """`qfgraph ARGS` in a child process (its own session), stdout and stderr kept."""
    return subprocess.Popen([sys.executable, CHILD, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})},
                            start_new_session=True)


def run_qfgraph(args, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = qfgraph_process(args, env)
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode())


def killed_at(args, seconds: float, env: dict | None = None) -> int:
    """Run `qfgraph ARGS` and send it SIGKILL after `seconds` (or let it end first); its
    exit status (-9 when the signal ended it)."""
    proc = qfgraph_process(args, env)
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    return proc.returncode


@dataclass(frozen=True)
class GraphState:
    version: int
    changesets: int
    triples: int

    @property
    def empty(self) -> bool:
        return self == GraphState(0, 0, 0)


def graph_state(store_dir, graph: str) -> GraphState:
    """Version, changesets in the history and triples of `graph`, as the next command
    opening the store directory sees them (it settles an interrupted bulk load first)."""
    store = EmbeddedStore(store_dir)
    try:
        finish_interrupted_loads(store)
        rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return GraphState(graph_version(store, graph), len(history(store, graph)), int(rows[0]["n"]))
    finally:
        store.close()


def small_register(directory: Path, micro_credentials: int = 20, outcomes: int = 10) -> Path:
    """CSV templates of a small valid register (as benchmarks/figures/imports.py, smaller)."""
    directory.mkdir(parents=True, exist_ok=True)
    tables = {
        "organisations.csv": [{"id": "provider", "name_en": "Provider", "country": "HRV", "roles": "provider"},
                              {"id": "qa-agency", "name_en": "Quality agency", "country": "HRV",
                               "roles": "quality assurance authority"}],
        "accreditations.csv": [{"id": "acc", "title_en": "Accreditation", "accrediting_agent": "qa-agency",
                                "organisation": "provider", "expiry_date": "2030-12-31"}],
        "learning_outcomes.csv": [{"id": f"lo-{i}", "title_en": f"Outcome {i}"} for i in range(outcomes)],
        "micro_credentials.csv": [
            {"id": f"mc-{i}", "title_en": f"Micro-credential {i}", "awarding_body": "provider",
             "country": "HRV", "framework": "CROQF", "nqf_level": "4.1", "isced_f": "0715", "ects": "2",
             "hours": "50", "outcomes": f"lo-{i % outcomes};lo-{(i + 1) % outcomes}",
             "assessment_type": "practical assessment", "mode": "blended", "learning_setting": "non-formal",
             "quality_assurance": "external", "accreditation": "acc", "language": "hr"}
            for i in range(micro_credentials)],
    }
    for name, rows in tables.items():
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (directory / name).write_text(out.getvalue(), encoding="utf-8")
    return directory


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Served:
    """`qfgraph serve` on a store directory, on a free loopback port, until stopped."""

    def __init__(self, store_dir, *flags: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qfgraph.api.cli", "serve", "--store", str(store_dir), "--host", HOST,
             "--port", str(self.port), *flags], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})}, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise AssertionError("qfgraph serve ended: " + self.process.stdout.read().decode())
            try:
                self.sparql("ASK {}")
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError("qfgraph serve did not answer /sparql within 120 s") from None
                time.sleep(0.1)

    def sparql(self, query: str) -> dict:
        request = urllib.request.Request(self.url + "/sparql?query=" + urllib.parse.quote(query),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as r:
            return json.loads(r.read())

    def count(self, graph: str) -> int:
        answer = self.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(answer["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        stop_group(self.process)
        self.process.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
