"""The frameworks of the Europass code list, loaded and used.

- `qfgraph init` into a fresh store directory with every framework (the EQF and the 43
  national ones), against the same init with only the five frameworks of the first release
  (the ontology and frameworks.ttl), in the same run: what the code list costs at start.
- Importing European Digital Credentials through the gate (`import_elm`: JSON-LD, level
  resolution, the rules, the commit with its history): 1,000 credentials made from the
  Europass Annex I sample (each its own credential id, title and outcome identifiers), in
  batches of 100, against a raw load of the same triples (the store's bulk load, no rules).
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row, Stats, measure

NAME = "frameworks"
DESCRIPTION = "qfgraph init with all 43 frameworks vs the first five; 1,000 EDC imports through the gate vs a raw load"
SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "data" / "Sample-MC-Annex1-unsigned.jsonld"
CREDENTIALS, BATCH = 1000, 100


def _init(files) -> None:
    from qfgraph.graph import EmbeddedStore
    from qfgraph.graph.formats import RDF_FORMATS
    work = tempfile.mkdtemp(prefix="qfgraph-init-")
    try:
        with EmbeddedStore(work) as store:
            for graph, path in files:
                store.load(path, RDF_FORMATS["turtle"], graph)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _credentials() -> list[tuple[str, bytes]]:
    """1,000 credentials of one real structure: the sample, each with its own identifiers."""
    text = SAMPLE.read_text(encoding="utf-8")
    out = []
    for i in range(CREDENTIALS):
        doc = json.loads(text.replace("urn:credential:3ef0ac26", f"urn:credential:{i:08x}")
                         .replace("Digital micro-credential creation", f"Digital micro-credential creation {i}"))
        out.append((f"edc-{i}.jsonld", json.dumps(doc).encode()))
    return out


def run(ctx) -> list[Row]:
    from qfgraph.graph import EmbeddedStore, install_reference
    from qfgraph.graph.formats import RDF_FORMATS
    from qfgraph.graph.imports import import_elm
    from qfgraph.ontology import FRAMEWORKS_FILE, REFERENCE_GRAPHS
    repeat = max(5, ctx.repeat)
    five = [(g, p) for g, p in REFERENCE_GRAPHS if p.name != "national-frameworks.ttl"]
    assert any(p == FRAMEWORKS_FILE for _, p in five)
    rows = [Row("qfgraph init: EQF and 43 national frameworks (fresh store directory)",
                measure(lambda: _init(REFERENCE_GRAPHS), repeat=repeat),
                measure(lambda: _init(five), repeat=repeat), "init with the first five frameworks only",
                extra={"runs": repeat})]

    documents = _credentials()
    defaults = {"quality_assurance": "internal"}     # the one element the sample does not carry
    graph = "https://w3id.org/qfgraph/graph/bench/edc"
    written = {}

    def timed(work) -> float:
        """ms of `work(store)` alone, on a fresh in-memory store with the reference data."""
        with EmbeddedStore(None) as store:
            install_reference(store)
            started = time.perf_counter()
            work(store)
            return (time.perf_counter() - started) * 1000

    def gated(store):
        for i in range(0, CREDENTIALS, BATCH):
            import_elm(store, documents[i:i + BATCH], f"{graph}/{i}", defaults=defaults)
        written["nq"] = b"".join(store.export(RDF_FORMATS["nquads"], g)
                                 for g in store.graph_sizes() if g.startswith(graph))

    turns = max(1, min(ctx.repeat, 3))
    ours = Stats.of([timed(gated) for _ in range(turns)])
    base = Stats.of([timed(lambda store: store.load(written["nq"], RDF_FORMATS["nquads"], None))
                     for _ in range(turns)])
    rows.append(Row(f"import elm: {CREDENTIALS:,} EDC credentials through the gate ({BATCH} per changeset)",
                    ours, base, "raw load of the same triples (bulk load, no rules)",
                    extra={"documents per second": round(CREDENTIALS / (ours.median / 1000), 1),
                           "raw documents per second": round(CREDENTIALS / (base.median / 1000), 1),
                           "triples": written["nq"].count(b"\n")}))
    return rows
