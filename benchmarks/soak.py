"""A soak of `qfgraph serve`: CLIENTS clients on loopback for a while, mixing /sparql reads
(a repeated text and a text new each time), writes through the gate (POST /api/v1/changesets
with a curator's token) and pathway lookups, against a real server on a demo store.

Reports requests, errors, writes accepted, whether the history holds exactly one changeset per
accepted write (history count equals the version gained), and the resident memory of the
server's processes (all of them: the HTTP worker and the query workers) sampled every few
seconds, with its growth per minute after the warm-up (a least-squares slope).

    python -m benchmarks.soak --duration 600      # the 10-minute run
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CLIENTS = 16
HOST = "127.0.0.1"
HR = "https://w3id.org/qfgraph/graph/demo/hr"
WELDER = "https://w3id.org/qfgraph/id/hr/qualification/welder"
ALT = "http://purl.org/dc/terms/alternative"
WARM_UP = 0.2   # the first part of the run, left out of the memory slope
SAMPLE_SECONDS = 2.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _tree_rss(pid: int) -> int:
    import psutil
    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0


def _slope_per_minute(samples: list[tuple[float, int]]) -> float:
    """Least-squares growth of the samples (seconds, bytes), in MiB per minute."""
    if len(samples) < 3:
        return 0.0
    n = len(samples)
    mt = sum(t for t, _ in samples) / n
    mb = sum(b for _, b in samples) / n
    var = sum((t - mt) ** 2 for t, _ in samples)
    cov = sum((t - mt) * (b - mb) for t, b in samples)
    return cov / var * 60 / 2 ** 20 if var else 0.0


class _Server:
    def __init__(self, store: str, tokens: str):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qfgraph.api.cli", "serve", "--store", store, "--tokens", tokens,
             "--host", HOST, "--port", str(self.port), "--query-workers", "2", "--threads", "8"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"qfgraph serve ended with {self.process.returncode}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
                conn.request("GET", "/sparql?query=" + urllib.parse.quote("ASK {}"))
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("qfgraph serve did not answer within 180 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def _requests(client: int, n: int, token: str):
    """The n-th request of a client: (method, path, body, headers, what it is)."""
    kind = n % 10
    if kind == 0:  # a write through the gate, unique to this client and turn
        add = f'<{WELDER}> <{ALT}> "Welder, soak {client}-{n}"@en .'
        return ("POST", "/api/v1/changesets", json.dumps({"graph": HR, "add": add, "message": "soak"}),
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, "write")
    if kind in (1, 2):
        return ("POST", "/api/v1/pathways", json.dumps({"target": "hr/qualification/welder"}),
                {"Content-Type": "application/json"}, "pathway")
    if kind in (3, 4, 5):  # a text the service has not seen (another variable name each time)
        q = f"SELECT ?t{client}x{n} WHERE {{ <{WELDER}> <http://purl.org/dc/terms/title> ?t{client}x{n} }}"
    else:
        q = f"SELECT ?t WHERE {{ <{WELDER}> <http://purl.org/dc/terms/title> ?t }}"
    return ("GET", "/sparql?query=" + urllib.parse.quote(q), None,
            {"Accept": "application/sparql-results+json"}, "sparql")


def _version_and_history(port: int) -> tuple[int, int]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", "/api/v1/graphs/version?graph=" + urllib.parse.quote(HR))
    version = json.loads(conn.getresponse().read())["version"]
    q = ("SELECT (COUNT(?c) AS ?n) WHERE { GRAPH <https://w3id.org/qfgraph/graph/history> "
         f"{{ ?c a <https://w3id.org/qfgraph#Changeset> ; <https://w3id.org/qfgraph#targetGraph> <{HR}> }} }}")
    conn.request("GET", "/sparql?query=" + urllib.parse.quote(q), headers={"Accept": "application/sparql-results+json"})
    count = int(json.loads(conn.getresponse().read())["results"]["bindings"][0]["n"]["value"])
    return version, count


def soak(duration: float, clients: int = CLIENTS, work: str | None = None) -> dict:
    """Run the soak on a fresh demo store; the figures."""
    from qfgraph import graph
    from qfgraph.api.tokens import TokenFile
    from qfgraph.graph import EmbeddedStore
    work = work or tempfile.mkdtemp(prefix="qfgraph-soak-")
    store_dir, tokens_file = os.path.join(work, "store"), os.path.join(work, "tokens.json")
    store = EmbeddedStore(store_dir)
    graph.install_demo(store)
    store.close()
    token = TokenFile(tokens_file).create("soak", "curator", [HR])
    server = _Server(store_dir, tokens_file)
    try:
        version0, history0 = _version_and_history(server.port)
        counts = {"sparql": 0, "write": 0, "pathway": 0}
        errors: list[str] = []
        lock = threading.Lock()
        started = time.monotonic()
        stop_at = started + duration
        samples: list[tuple[float, int]] = []

        def client(i: int) -> None:
            conn = http.client.HTTPConnection(HOST, server.port, timeout=120)
            n, mine, wrong = i, {k: 0 for k in counts}, []
            while time.monotonic() < stop_at:
                method, path, body, headers, what = _requests(i, n, token)
                n += 1
                try:
                    conn.request(method, path, body=body, headers=headers)
                    r = conn.getresponse()
                    r.read()
                    if r.status not in (200, 201):
                        wrong.append(f"{r.status} {what} {path[:60]}")
                    else:
                        mine[what] += 1
                except (OSError, http.client.HTTPException) as e:
                    wrong.append(f"{type(e).__name__} {what}")
                    conn = http.client.HTTPConnection(HOST, server.port, timeout=120)
            with lock:
                for k, v in mine.items():
                    counts[k] += v
                errors.extend(wrong)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        while time.monotonic() < stop_at:
            samples.append((time.monotonic() - started, _tree_rss(server.process.pid)))
            time.sleep(SAMPLE_SECONDS)
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        version, history = _version_and_history(server.port)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    warm = [s for s in samples if s[0] >= duration * WARM_UP]
    return {
        "seconds": round(elapsed, 1), "clients": clients, "requests": sum(counts.values()), **counts,
        "requests per s": round(sum(counts.values()) / elapsed, 1), "errors": len(errors),
        "first errors": errors[:3], "writes accepted": counts["write"],
        "version gained": version - version0, "changesets recorded": history - history0,
        "rss after warm-up MiB": round(warm[0][1] / 2 ** 20, 1) if warm else None,
        "rss at the end MiB": round(samples[-1][1] / 2 ** 20, 1) if samples else None,
        "rss growth MiB per minute": round(_slope_per_minute(warm), 2),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (600 for the full soak)")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    args = parser.parse_args(argv)
    figures = soak(args.duration, args.clients)
    print(json.dumps(figures, indent=1))
    ok = (figures["errors"] == 0 and figures["version gained"] == figures["changesets recorded"]
          == figures["writes accepted"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
