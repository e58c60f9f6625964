"""The HTTP service under load, on the generated data.

- `/sparql` median latency for a selective lookup and an aggregation, against Oxigraph's own
  server (`oxigraph serve --union-default-graph`, the `oxigraph` package) on a copy of the
  same store directory, in the same run (target: at most 1.5 times its latency).
- `POST /api/v1/pathways` p95 against the stacking engine's in-process time on the same data.
- `CLIENTS` concurrent clients for `QFGRAPH_BENCH_HTTP_SECONDS` (default 60) seconds on a
  mixed read workload: throughput and error count (target: zero errors). Loopback only, and
  every loop is bounded by the duration.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from benchmarks.common import Row, Stats, measure, wait_until_idle
from benchmarks.queries import researcher_queries

NAME = "http"
DESCRIPTION = "qfgraph serve: /sparql vs oxigraph serve, pathway endpoint vs in-process, 16 concurrent clients"

CLIENTS = 16
HOST = "127.0.0.1"
JSON_RESULTS = "application/sparql-results+json"
SELECTIVE_TURNS = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_until_answering(port: int, path: str, proc: subprocess.Popen, timeout: float = 300) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            status, _ = _get(http.client.HTTPConnection(HOST, port, timeout=30), path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"server on port {port} did not answer within {timeout} s")


def _get(conn: http.client.HTTPConnection, path: str, accept: str = JSON_RESULTS) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept": accept})
    r = conn.getresponse()
    return r.status, r.read()


def _get_timed(conn: http.client.HTTPConnection, path: str, timings: list[str]) -> tuple[int, bytes]:
    """_get, keeping the server's own account of its time (the Server-Timing header), read
    after the measurement (_server_side), so that our client does no more work than theirs."""
    conn.request("GET", path, headers={"Accept": JSON_RESULTS})
    r = conn.getresponse()
    body = r.read()
    timings.append(r.getheader("Server-Timing") or "")
    return r.status, body


def _post_json(conn: http.client.HTTPConnection, path: str, body: dict) -> tuple[int, bytes]:
    conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, r.read()


def _latency(call, repeat: int) -> tuple[Stats, bytes]:
    """Warm up once, then `repeat` timed calls; every call must answer 200."""
    status, body = call()
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        status, _ = call()
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"HTTP {status} during measurement")
    return Stats.of(times), body


def _rows_of(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def _build_store(ctx, directory: str) -> None:
    from qfgraph import graph
    from qfgraph.graph import RDF_FORMATS, EmbeddedStore
    store = EmbeddedStore(directory)
    try:
        graph.install_reference(store)
        store.load(ctx.data_file, RDF_FORMATS["nquads"], None)
    finally:
        store.close()


# granian, as qfgraph serve runs it, with an app that answers the bytes in a file: what HTTP
# costs in front of /sparql before any work is done (the floor under its latency)
FLOOR_APP = """
import sys
from granian.constants import HTTPModes, Interfaces
from granian.log import LogLevels
from granian import Granian
body = open(sys.argv[1], "rb").read()
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/sparql-results+json"),
                              ("Content-Length", str(len(body)))])
    return [body]
Granian("floor", address=sys.argv[2], port=int(sys.argv[3]), interface=Interfaces.WSGI, workers=1,
         blocking_threads=int(sys.argv[4]), http=HTTPModes.http1, websockets=False,
         log_level=LogLevels.error).serve(target_loader=lambda: app, wrap_loader=False)
"""


class _Servers:
    """qfgraph serve and oxigraph serve on two copies of one store directory."""

    def __init__(self, ours_dir: str, theirs_dir: str):
        self.ours_port, self.theirs_port, self.floor_port = _free_port(), _free_port(), None
        self.procs = [subprocess.Popen(
            [sys.executable, "-m", "qfgraph.api.cli", "serve", "--store", ours_dir, "--host", HOST,
             "--port", str(self.ours_port), "--threads", str(CLIENTS), "--query-workers", "4"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        oxigraph = shutil.which("oxigraph")
        self.has_oxigraph = oxigraph is not None
        if oxigraph:
            self.procs.append(subprocess.Popen(
                [oxigraph, "serve", "--location", theirs_dir, "--bind", f"{HOST}:{self.theirs_port}",
                 "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        ask = "?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
        _wait_until_answering(self.ours_port, "/sparql" + ask, self.procs[0])
        if oxigraph:
            _wait_until_answering(self.theirs_port, "/query" + ask, self.procs[1])

    def start_floor(self, body_file: str) -> None:
        self.floor_port = _free_port()
        self.procs.append(subprocess.Popen(
            [sys.executable, "-c", FLOOR_APP, body_file, HOST, str(self.floor_port), str(CLIENTS)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait_until_answering(self.floor_port, "/", self.procs[-1])

    def close(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()


def _interleaved(calls, repeat: int, warmup: int = 5) -> list[tuple[Stats, bytes]]:
    """Warm every call up, then time them in turns, so that a load spike on the shared
    machine falls on both servers alike; the order rotates every turn, so that none always
    follows the same one (whose work leaves the caches cold). Every call must answer 200."""
    bodies = []
    for call in calls:
        for _ in range(warmup):
            status, body = call()
            if status != 200:
                raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
        bodies.append(body)
    times: list[list[float]] = [[] for _ in calls]
    for turn in range(repeat):
        for i in range(len(calls)):
            k = (i + turn) % len(calls)
            started = time.perf_counter()
            status, _ = calls[k]()
            times[k].append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"HTTP {status} during measurement")
    return [(Stats.of(t), body) for t, body in zip(times, bodies)]


def _sparql_rows(servers: _Servers, queries, repeat: int) -> list[Row]:
    """The same client (one keep-alive connection each), query text and Accept on both."""
    rows = []
    ours = http.client.HTTPConnection(HOST, servers.ours_port, timeout=120)
    theirs = http.client.HTTPConnection(HOST, servers.theirs_port, timeout=120)
    for name, kind, text in queries:
        q = urllib.parse.quote(text)
        if not servers.has_oxigraph:
            mine, body = _latency(lambda: _get(ours, "/sparql?query=" + q), repeat)
            rows.append(Row(f"/sparql {name} ({kind})", mine, note="oxigraph server not installed"))
            continue
        timings: list[str] = []
        calls = [lambda: _get_timed(ours, "/sparql?query=" + q, timings), lambda: _get(theirs, "/query?query=" + q)]
        if kind == "selective lookup":
            calls.append(_floor_call(servers, calls[0]()[1]))
        # a lookup takes a millisecond: many turns, so a load spike on the shared machine moves
        # the medians little
        turns = max(repeat, SELECTIVE_TURNS) if kind == "selective lookup" else repeat
        (mine, body), (base, their_body), *floor = _interleaved(calls, turns)
        if _rows_of(body) != _rows_of(their_body) or _rows_of(body) == 0:
            raise AssertionError(f"{name}: qfgraph gave {_rows_of(body)} rows, oxigraph {_rows_of(their_body)}")
        ratio = mine.median / base.median
        served = _server_side(timings[-turns:])
        rows.append(Row(f"/sparql {name} ({kind})", mine, base, "oxigraph serve /query",
                        extra={"rows": _rows_of(body), "latency ratio": round(ratio, 2),
                               "target ratio": 1.5, **served,
                               "HTTP around the app ms": round(mine.median - served.get("app ms", 0), 3)}))
        if floor:
            rows.append(Row(f"granian alone, answering the same {len(body):,} bytes (the floor)", floor[0][0],
                            base, "oxigraph serve /query",
                            extra={"latency ratio": round(floor[0][0].median / base.median, 2)}))
    return rows


def _first_time_row(ctx, servers: _Servers, text: str) -> Row:
    """The selective lookup for a different micro-credential each turn, on both servers: a
    query text qfgraph has not answered before goes to a query worker (the row above repeats
    one text, which the service answers in its own process once a worker proved it cheap)."""
    name = "/sparql mc-description, another credential each turn (first-time texts)"
    if not servers.has_oxigraph:
        return Row(name, Stats.of([0.0]), note="skipped: oxigraph server not installed (not on PATH)")
    known = ctx.manifest["selective"]["micro_credential"]
    listing = urllib.parse.quote("SELECT ?m WHERE { ?m a <https://w3id.org/qfgraph#MicroCredential> } "
                                 f"ORDER BY ?m LIMIT {SELECTIVE_TURNS + 5}")
    theirs = http.client.HTTPConnection(HOST, servers.theirs_port, timeout=120)
    status, body = _get(theirs, "/query?query=" + listing)
    others = [b["m"]["value"] for b in json.loads(body)["results"]["bindings"] if b["m"]["value"] != known]
    ours = http.client.HTTPConnection(HOST, servers.ours_port, timeout=120)
    paths = [urllib.parse.quote(text.replace(f"<{known}>", f"<{iri}>")) for iri in others]
    turn = iter(range(len(paths) * 2))  # each call takes the next text; both servers see each once
    mine, base = _interleaved([lambda: _get(ours, "/sparql?query=" + paths[next(turn) // 2]),
                               lambda: _get(theirs, "/query?query=" + paths[next(turn) // 2])],
                              len(paths) - 1, warmup=1)
    return Row(name, mine[0], base[0], "oxigraph serve /query", extra={"latency ratio": round(mine[0].median / base[0].median, 2)})


def _server_side(headers: list[str]) -> dict:
    """Medians of the server's own timings: the whole handler and, within it, the query."""
    import statistics
    timings = [{k: float(v) for k, v in (p.split(";dur=") for p in h.split(", ") if ";dur=" in p)}
               for h in headers]
    found = [t for t in timings if "app" in t]
    if not found:
        return {}
    return {"app ms": round(statistics.median(t["app"] for t in found), 3),
            "of which query ms": round(statistics.median(t["query"] for t in found), 3)}


def _floor_call(servers: _Servers, body: bytes):
    fd, path = tempfile.mkstemp(prefix="qfgraph-floor-")
    with os.fdopen(fd, "wb") as f:
        f.write(body)
    servers.start_floor(path)
    conn = http.client.HTTPConnection(HOST, servers.floor_port, timeout=120)
    return lambda: _get(conn, "/sparql?query=" + "x" * 600)


def _worker_rows(store_dir: str, text: str, repeat: int) -> list[Row]:
    """Where a selective query's time goes below HTTP: the engine in this process, and the
    same query through a query worker process (the round trip that lets a timeout stop it)."""
    import pyoxigraph as ox

    from qfgraph.graph.querying.runners import ProcessRunner
    from qfgraph.graph.querying.engine import engine_options, run_serialized
    args = (text, JSON_RESULTS, [], [], 10 ** 9)
    engine = ox.Store.read_only(store_dir)
    runner = ProcessRunner(store_dir, 1)
    try:
        here = measure(lambda: run_serialized(engine, text, JSON_RESULTS, engine_options(text, [], []), 10 ** 9, None),
                       max(repeat, 200), warmup=20)
        there = measure(lambda: runner.run(*args, 30), max(repeat, 200), warmup=20)
    finally:
        runner.close()
        del engine
    return [Row("selective lookup through a query worker process", there, here, "the engine in this process",
                extra={"round trip ms": round(there.median - here.median, 3)})]


def _engine_time(ctx, store_dir: str, repeat: int) -> tuple[Stats, Stats]:
    """find_paths in this process, on the same on-disk store the server will open: with a
    SituationCache as the service keeps one (the baseline of the figure), and without."""
    from qfgraph.graph import EmbeddedStore
    from qfgraph.graph.stacking import Learner, SituationCache, find_paths
    case = ctx.manifest["stacking"][0]
    learner = Learner(held=case["held"])
    store = EmbeddedStore(store_dir)
    try:
        stats = []
        for cache in (SituationCache(), None):
            find_paths(store, case["qualification"], learner, alternatives=0, cache=cache)  # warm-up
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                find_paths(store, case["qualification"], learner, alternatives=0, cache=cache)
                times.append((time.perf_counter() - started) * 1000)
            stats.append(Stats.of(times))
    finally:
        store.close()
    return stats[0], stats[1]


def _pathway_stats(ctx, servers: _Servers, repeat: int) -> Stats:
    case = ctx.manifest["stacking"][0]
    body = {"target": case["qualification"], "held": case["held"], "alternatives": 0}
    conn = http.client.HTTPConnection(HOST, servers.ours_port, timeout=300)
    return _latency(lambda: _post_json(conn, "/api/v1/pathways", body), repeat)[0]


def _pathway_row(ctx, endpoint: Stats, engine: tuple[Stats, Stats]) -> Row:
    case = ctx.manifest["stacking"][0]
    cached, uncached = engine
    return Row("POST /api/v1/pathways (p95 is the figure)", endpoint, cached,
               "find_paths in process, with a SituationCache as the service keeps one",
               extra={"p95 ratio": round(endpoint.p95 / cached.p95, 2),
                      "in-process p95 without a cache (ms)": round(uncached.p95, 1),
                      "target": case["qualification"]})


def _mixed_paths(ctx, queries) -> list[tuple[str, str]]:
    """The read workload: SPARQL selective and aggregate, API listing and detail, a Linked Data page."""
    selective = next(t for n, k, t in queries if k == "selective lookup")
    aggregate = next(t for n, k, t in queries if k == "aggregation")
    qualification = ctx.manifest["sample_qualifications"][0]
    ident = qualification.split("/id/", 1)[1]
    return [("/sparql?query=" + urllib.parse.quote(selective), JSON_RESULTS),
            ("/sparql?query=" + urllib.parse.quote(aggregate), JSON_RESULTS),
            ("/api/v1/qualifications?limit=20&country=HRV", "application/json"),
            ("/api/v1/qualifications/" + ident, "application/json"),
            ("/id/" + ident, "text/turtle")]


def _concurrent_row(ctx, servers: _Servers, queries, seconds: float) -> Row:
    paths = _mixed_paths(ctx, queries)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, servers.ours_port, timeout=120)
        mine, wrong, n = [], [], i
        while time.monotonic() < stop_at:
            path, accept = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                status, _ = _get(conn, path, accept)
                if status != 200:
                    wrong.append(f"{status} {path[:60]}")
            except (OSError, http.client.HTTPException) as e:
                wrong.append(f"{type(e).__name__} {path[:60]}")
                conn = http.client.HTTPConnection(HOST, servers.ours_port, timeout=120)
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors.extend(wrong)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return Row(f"{CLIENTS} clients x {seconds:g} s, mixed reads (per request)", Stats.of(latencies),
               extra={"requests": len(latencies), "throughput req/s": round(len(latencies) / elapsed, 1),
                      "errors": len(errors), **({"first error": errors[0]} if errors else {})})


def run(ctx) -> list[Row]:
    seconds = float(os.environ.get("QFGRAPH_BENCH_HTTP_SECONDS", "60"))
    repeat = max(5, ctx.repeat)
    queries = researcher_queries(ctx.manifest)
    chosen = [next(q for q in queries if q[0] == "mc-description"),
              next(q for q in queries if q[0] == "mc-by-country-eqf")]
    work = tempfile.mkdtemp(prefix="qfgraph-http-bench-")
    ours_dir, theirs_dir = os.path.join(work, "qfgraph"), os.path.join(work, "oxigraph")
    servers = None
    try:
        _build_store(ctx, ours_dir)
        shutil.copytree(ours_dir, theirs_dir)
        servers = _Servers(ours_dir, theirs_dir)
        settled = wait_until_idle([p.pid for p in servers.procs])
        rows = _sparql_rows(servers, chosen, max(repeat, 20))
        rows[0].extra["servers settled after s"] = round(settled, 1)
        rows.insert(2, _first_time_row(ctx, servers, chosen[0][2]))
        rows += _worker_rows(ours_dir, chosen[0][2], repeat)
        endpoint = _pathway_stats(ctx, servers, repeat)
        concurrent = _concurrent_row(ctx, servers, queries, seconds)
        servers.close()
        servers = None
        # the engine in this process, on the same store directory, once the server let go of it
        rows.append(_pathway_row(ctx, endpoint, _engine_time(ctx, ours_dir, repeat)))
        rows.append(concurrent)
        return rows
    finally:
        if servers is not None:
            servers.close()
        shutil.rmtree(work, ignore_errors=True)
