"""The same work on the embedded store and on SPARQL servers (Oxigraph server, Virtuoso).

Baseline: the in-memory embedded store of the run (`ctx.store`). Each server is started on a
free loopback port in a temporary directory (the launchers of the test suite), loaded with
the reference data and the generated data through qfgraph's remote store, then asked:

- bulk load: the generated file, parsed locally and sent through the Graph Store Protocol
  (baseline: loading it into a fresh in-memory embedded store);
- stacking lookup: `find_paths` for each stacking case of the manifest (target: on Oxigraph
  server at most 3x the embedded latency: a few round trips, no query per candidate);
- the researcher query set, each query over HTTP (geometric mean).

Both stores must give the same answers (row counts, chosen micro-credentials).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row, Stats, geometric_mean, measure
from benchmarks.queries import researcher_queries

NAME = "remote"
DESCRIPTION = "embedded store vs Oxigraph server and Virtuoso: bulk load, stacking lookup, researcher queries"

# the servers are started exactly as the tests start them (one launcher, not two)
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))


def _load(store, data_file) -> tuple[float, int]:
    from qfgraph import graph
    from qfgraph.graph import RDF_FORMATS
    started = time.perf_counter()
    graph.install_reference(store)
    n = store.load(data_file, RDF_FORMATS["nquads"], None)
    return (time.perf_counter() - started) * 1000, n


def _geomean(stats: list[Stats]) -> Stats:
    return Stats(*(geometric_mean([getattr(s, f) for s in stats]) for f in ("median", "p95", "min", "max")),
                 n=len(stats))


def run(ctx) -> list[Row]:
    from qfgraph.graph import EmbeddedStore, Learner, StoreError, find_paths
    from servers import SERVERS

    cases = ctx.manifest.get("stacking", [])[:5]
    queries = researcher_queries(ctx.manifest)

    # baseline: a fresh in-memory embedded store loading the same file
    fresh = EmbeddedStore(None)
    base_load_ms, triples = _load(fresh, ctx.data_file)
    fresh.close()
    embedded = ctx.store

    def lookup(store, case):
        return find_paths(store, case["qualification"], Learner(held=case.get("held", [])))

    base_stacking = {c["qualification"]: measure(lambda c=c: lookup(embedded, c), ctx.repeat) for c in cases}
    base_queries = {name: measure(lambda t=text: embedded.select(t), ctx.repeat) for name, _, text in queries}
    expected_rows = {name: len(embedded.select(text)) for name, _, text in queries}
    expected_paths = {c["qualification"]: [sorted(p.chosen) for p in lookup(embedded, c).paths] for c in cases}

    rows = []
    for kind, cls in SERVERS.items():
        if not cls.available():
            rows.append(Row(f"{kind}: not installed", Stats.of([0.0]), note="skipped: server not installed"))
            continue
        with tempfile.TemporaryDirectory(prefix=f"qfgraph-bench-{kind}-") as tmp:
            server = cls(Path(tmp)).start()
            try:
                store = server.store()
                load_ms, n = _load(store, ctx.data_file)
                rows.append(Row(f"{kind}: bulk load ({n:,} quads)", Stats.of([load_ms]), Stats.of([base_load_ms]),
                                "embedded in-memory load",
                                extra={"quads/s": round(n / (load_ms / 1000)),
                                       "baseline quads/s": round(triples / (base_load_ms / 1000))}))
                try:
                    stack = []
                    for c in cases:
                        got = [sorted(p.chosen) for p in lookup(store, c).paths]
                        if got != expected_paths[c["qualification"]]:
                            raise AssertionError(f"{kind}: stacking paths for {c['qualification']} differ")
                        stats = measure(lambda c=c: lookup(store, c), ctx.repeat)
                        stack.append((stats, base_stacking[c["qualification"]]))
                    mine, theirs = _geomean([s for s, _ in stack]), _geomean([b for _, b in stack])
                    rows.append(Row(f"{kind}: stacking lookup (geomean of {len(stack)} cases)", mine, theirs,
                                    "embedded", extra={"x embedded": round(mine.median / theirs.median, 2)}))
                except StoreError as e:
                    rows.append(Row(f"{kind}: stacking lookup", Stats.of([0.0]),
                                    note=f"refused by the server: {str(e)[:90]}"))
                timed = []
                for name, _, text in queries:
                    got = len(store.select(text))
                    if got != expected_rows[name]:
                        raise AssertionError(f"{kind}: query {name} gave {got} rows, embedded {expected_rows[name]}")
                    timed.append((measure(lambda t=text: store.select(t), ctx.repeat), base_queries[name]))
                mine, theirs = _geomean([s for s, _ in timed]), _geomean([b for _, b in timed])
                rows.append(Row(f"{kind}: researcher queries (geomean of {len(timed)})", mine, theirs, "embedded",
                                extra={"x embedded": round(mine.median / theirs.median, 2)}))
            finally:
                server.stop()
    return rows
