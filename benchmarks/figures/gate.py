"""The write gate's decision for changesets of 1, 10 and 100 new micro-credentials, against
full pySHACL validation of the same graph, in the same run.

Each changeset copies randomly chosen micro-credentials of the generated graph (with their
credit-point nodes) under new IRIs, so the new entries link to existing outcomes, levels,
awarding bodies and qualifications the way real ones do. The decision is what `commit`
does before it writes: what the change really adds, the affected entries, their
neighbourhood in store + change, validation. The baseline validates the whole graph
(ontology, frameworks and data) with the same shapes and validator; it is run once, as it
takes minutes at scale M (the time to turn the store into an rdflib graph is not counted).
"""
from __future__ import annotations

import random
import time

from rdflib import Graph, URIRef

from benchmarks.common import Row, Stats

NAME = "gate"
DESCRIPTION = "write-gate decision (1/10/100 new micro-credentials) vs full pySHACL validation of the graph"
SIZES = (1, 10, 100)


def new_entries(store, rng: random.Random, n: int, tag: str) -> tuple[str, list]:
    """Copies of n random micro-credentials (and their #ects nodes) under new IRIs, in the
    graph of the first one."""
    from qfgraph import graph
    rows = store.select(graph.bind(
        "SELECT ?m ?g WHERE { GRAPH ?g { ?m a qf:MicroCredential } } ORDER BY ?m"))
    picked = rng.sample(rows, n)
    triples = []
    for i, row in enumerate(picked):
        m = str(row["m"])
        new = f"{m}-copy-{tag}-{i}"
        for r in store.select(graph.bind(
                "SELECT ?s ?p ?o WHERE { { $m ?p ?o BIND($m AS ?s) } UNION "
                "{ $m elm:creditPoint ?s . ?s ?p ?o } }", {"m": row["m"]})):
            s = URIRef(str(r["s"]).replace(m, new, 1))
            o = URIRef(str(r["o"]).replace(m + "#", new + "#", 1)) if isinstance(r["o"], URIRef) else r["o"]
            triples.append((s, r["p"], o))
    return str(picked[0]["g"]), triples


def decide(store, graph_iri: str, triples: list):
    from qfgraph.graph.changes.changeset import Changeset, effect_of
    from qfgraph.graph.changes.gate import check
    changeset = Changeset(graph_iri, triples, (), "benchmark", "gate decision")
    return check(store, graph_iri, effect_of(store, changeset))


def full_validation(store) -> tuple[float, object]:
    from qfgraph import graph
    from qfgraph import shapes
    whole = Graph()
    for r in store.select(graph.bind("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")):
        whole.add((r["s"], r["p"], r["o"]))
    started = time.perf_counter()
    report = shapes.validate(whole)
    return (time.perf_counter() - started) * 1000, report


def run(ctx) -> list[Row]:
    store = ctx.store
    rng = random.Random(7)
    repeat = max(ctx.repeat, 10)
    measured = {}
    for n in SIZES:
        decide(store, *new_entries(store, rng, n, f"warm{n}"))
        times, outcomes = [], []
        for k in range(repeat):
            graph_iri, triples = new_entries(store, rng, n, f"{n}-{k}")
            started = time.perf_counter()
            report = decide(store, graph_iri, triples)
            times.append((time.perf_counter() - started) * 1000)
            outcomes.append(report)
        measured[n] = (Stats.of(times), outcomes, len(triples))
    full_ms, full_report = full_validation(store)
    full = Stats.of([full_ms])
    rows = []
    for n in SIZES:
        stats, outcomes, size = measured[n]
        accepted = sum(1 for r in outcomes if not r.violations)
        rows.append(Row(f"gate decision, {n} new micro-credential{'s' if n > 1 else ''}", stats, full,
                        "full pySHACL validation",
                        extra={"triples per changeset": size, "accepted": f"{accepted}/{len(outcomes)}",
                               "under 500 ms": "yes" if stats.median < 500 else "no"}))
    rows.append(Row("full validation of the whole graph", full, None,
                    extra={"triples": ctx.manifest.get("triples"),
                           "violations": len(full_report.violations), "warnings": len(full_report.warnings)}))
    return rows
