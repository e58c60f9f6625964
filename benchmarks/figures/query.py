"""The researcher query set on the embedded store vs an rdflib in-memory Dataset.

rdflib's in-memory Dataset is what most Python projects reach for first; it is the baseline.
Each engine runs in its own fresh process (so each one's peak RSS is its own), loads the
reference data plus the generated data, then runs every query `repeat` times after a warm-up.
Both engines must return the same, non-empty number of rows for every query.
"""
from __future__ import annotations

import time

from benchmarks.common import Row, Stats, geometric_mean, measure, rdflib_dataset, run_isolated
from benchmarks.queries import researcher_queries

NAME = "query"
DESCRIPTION = "researcher queries: embedded store (pyoxigraph) vs rdflib in-memory Dataset"


def run_embedded(data_file: str, queries: list, repeat: int) -> dict:
    from qfgraph import graph
    from qfgraph.graph import RDF_FORMATS, EmbeddedStore
    started = time.perf_counter()
    store = EmbeddedStore(None)
    graph.install_reference(store)
    store.load(data_file, RDF_FORMATS["nquads"], None)
    load_ms = (time.perf_counter() - started) * 1000
    return _run_all(lambda text: store.select(text), queries, repeat, load_ms)


def run_rdflib(data_file: str, queries: list, repeat: int) -> dict:
    dataset, load_ms = rdflib_dataset(data_file)
    return _run_all(lambda text: list(dataset.query(text)), queries, repeat, load_ms)


def _run_all(select, queries, repeat, load_ms) -> dict:
    results = {}
    for name, _, text in queries:
        rows = select(text)
        results[name] = {"rows": len(rows), "stats": measure(lambda: select(text), repeat, warmup=0)}
    return {"load_ms": load_ms, "queries": results}


def run(ctx) -> list[Row]:
    queries = researcher_queries(ctx.manifest)
    data = str(ctx.data_file)
    ours, ours_rss = run_isolated(run_embedded, data, queries, ctx.repeat)
    base, base_rss = run_isolated(run_rdflib, data, queries, ctx.repeat)
    rows = [Row("load data into memory", Stats.of([ours["load_ms"]]), Stats.of([base["load_ms"]]),
                "rdflib Dataset.parse",
                extra={"peak RSS MB": round(ours_rss), "baseline peak RSS MB": round(base_rss)})]
    for name, kind, _ in queries:
        mine, theirs = ours["queries"][name], base["queries"][name]
        if mine["rows"] != theirs["rows"] or mine["rows"] == 0:
            raise AssertionError(f"query {name}: embedded store gave {mine['rows']} rows, "
                                 f"rdflib {theirs['rows']}; both must agree and be non-empty")
        rows.append(Row(f"{name} ({kind})", mine["stats"], theirs["stats"], "rdflib",
                        extra={"rows": mine["rows"]}))
    timed = rows[1:]
    mean = lambda stats: Stats(*(geometric_mean([getattr(s, f) for s in stats]) for f in ("median", "p95", "min", "max")),
                               n=len(stats))
    rows.append(Row("geometric mean over the query set", mean([r.stats for r in timed]),
                    mean([r.baseline for r in timed]), "rdflib", extra={"queries": len(timed)}))
    return rows
