"""Full validation of the demo graph with the quality rules, and of a few of its entries.

Baseline, in the same run: pySHACL's own entry point (`pyshacl.validate`) with the same shapes
and the same data, no inference: it parses the shapes on every call and answers the
SHACL-SPARQL rules with rdflib's SPARQL engine. Ours compiles the shapes once, answers the
SPARQL rules on an in-memory Oxigraph copy, and for a few entries validates only their
neighbourhood. The demo graph is the same at every scale; the scale's data is not used.
The demo is small (some 180 entries with overlapping neighbourhoods), so 100 entries cost
nearly as much as all of them; the gate figure shows the gain on big graphs.
"""
from __future__ import annotations

import random

from benchmarks.common import Row, measure

NAME = "rules"
DESCRIPTION = "validation of the demo graph (all entries; 1/10/100 entries) vs pyshacl.validate"


def demo_graph():
    """The demo graph with the frameworks and the vocabulary, as `qfgraph validate` reads
    them, in one rdflib graph (so that both validators see exactly the same data)."""
    from rdflib import Graph

    from qfgraph.ontology import REFERENCE_GRAPHS, demo_graphs
    data = Graph()
    for _, path in REFERENCE_GRAPHS + demo_graphs():
        data.parse(path, format="turtle")
    return data


def run(ctx) -> list[Row]:
    import pyshacl

    from qfgraph import shapes
    data = demo_graph()
    repeat = max(ctx.repeat, 7)
    ours = measure(lambda: shapes.validate(data), repeat=repeat)
    report = shapes.validate(data)
    # the baseline takes some 20 s a run: two runs, no warm-up
    baseline = measure(lambda: pyshacl.validate(data, shacl_graph=shapes.shapes_graph(), inference="none"),
                       repeat=2, warmup=0)
    entries = sorted({s for s in data.subjects() if shapes.is_target(data, s)})
    rows = [Row("full validation of the demo graph", ours, baseline, "pyshacl.validate, same shapes",
                extra={"triples": len(data), "entries checked": len(entries),
                       "violations": len(report.violations), "warnings": len(report.warnings)})]
    rng = random.Random(4)
    for n in (1, 10, 100):
        picks = [rng.sample(entries, n) for _ in range(repeat + 1)]
        stats = measure(lambda: shapes.validate(data, picks.pop()), repeat=repeat)
        rows.append(Row(f"validation of {n} demo entr{'y' if n == 1 else 'ies'}", stats, ours,
                        "full validation of the demo graph (ours)"))
    return rows
