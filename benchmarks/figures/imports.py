"""Registers in and out: a CSV import of 10,000 micro-credentials (1,000 at scale XS) through
every check and the write gate, against loading the same triples with no checks; and the ELM
export of the generated graph, against the engine's own Turtle export of the same store.

The CSV register is synthetic: providers, a quality-assurance authority, accreditations,
learning outcomes and micro-credentials whose rows refer to them (levels as CROQF codes), so
every reference, level code and code-list word is looked up as in a real import.
"""
from __future__ import annotations

import csv
import io
import random
import time

from benchmarks.common import Row, Stats

NAME = "imports"
DESCRIPTION = ("CSV import of 10,000 micro-credentials (checks + gate) vs raw load of the same triples; "
               "ELM export vs the engine's Turtle export")
MICRO_CREDENTIALS = 10_000
XS_MICRO_CREDENTIALS = 1_000   # scale XS is the quick run (the whole suite in a test): a tenth
OUTCOMES = 1_000
GRAPH = "https://w3id.org/qfgraph/graph/bench-import"


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def register(n: int = MICRO_CREDENTIALS, seed: int = 11) -> dict[str, bytes]:
    rng = random.Random(seed)
    orgs = [{"id": f"provider-{i}", "name_en": f"Provider {i}", "country": "HRV", "roles": "provider"}
            for i in range(20)]
    orgs.append({"id": "qa-agency", "name_en": "Quality agency", "country": "HRV",
                 "roles": "quality assurance authority"})
    accreditations = [{"id": f"acc-{i}", "title_en": f"Accreditation {i}", "accrediting_agent": "qa-agency",
                       "organisation": f"provider-{i}", "expiry_date": "2030-12-31"} for i in range(20)]
    outcomes = [{"id": f"lo-{i}", "title_en": f"Outcome {i}"} for i in range(OUTCOMES)]
    mcs = []
    for i in range(n):
        p = rng.randrange(20)
        mcs.append({"id": f"mc-{i}", "title_en": f"Micro-credential {i}", "awarding_body": f"provider-{p}",
                    "country": "HRV", "framework": "CROQF", "nqf_level": rng.choice(["3", "4.1", "4.2", "5"]),
                    "isced_f": "0715", "ects": str(rng.choice([1, 2, 3, 5, 7.5])), "hours": "50",
                    "outcomes": ";".join(f"lo-{j}" for j in rng.sample(range(OUTCOMES), 2)),
                    "assessment_type": "practical assessment", "mode": "blended",
                    "learning_setting": "non-formal", "quality_assurance": "external",
                    "accreditation": f"acc-{p}", "language": "hr"})
    return {"organisations.csv": _csv(orgs), "accreditations.csv": _csv(accreditations),
            "learning_outcomes.csv": _csv(outcomes), "micro_credentials.csv": _csv(mcs)}


def fresh_store():
    from qfgraph import graph
    store = graph.EmbeddedStore(None)
    graph.install_reference(store)
    return store


def csv_import_once(files) -> tuple[float, int]:
    from qfgraph.graph.imports import import_csv
    store = fresh_store()
    started = time.perf_counter()
    report = import_csv(store, files, GRAPH)
    seconds = time.perf_counter() - started
    store.close()
    return seconds, report.triples


def raw_load_once(ntriples: bytes) -> float:
    from qfgraph.graph import RDF_FORMATS
    store = fresh_store()
    started = time.perf_counter()
    store.load(ntriples, RDF_FORMATS["ntriples"], GRAPH)
    seconds = time.perf_counter() - started
    store.close()
    return seconds


def imported_triples(files) -> bytes:
    from qfgraph.graph.imports.csv_import import build_from_csv
    from qfgraph.graph.imports.report import Problems
    from qfgraph.ontology.namespaces import DEFAULT_BASE
    from qfgraph.graph.changes.changeset import ntriples
    triples, _, _ = build_from_csv(files, fresh_store(), DEFAULT_BASE, Problems())
    return ntriples(triples).encode("utf-8")


def run(ctx) -> list[Row]:
    n = XS_MICRO_CREDENTIALS if ctx.scale == "XS" else MICRO_CREDENTIALS
    files = register(n)
    rows_total = sum(len(v.splitlines()) - 1 for v in files.values())
    ntriples = imported_triples(files)
    repeat = max(1, min(ctx.repeat, 3))           # each import takes seconds
    ours, base, triples = [], [], 0
    for _ in range(repeat):
        seconds, triples = csv_import_once(files)
        ours.append(seconds * 1000)
        base.append(raw_load_once(ntriples) * 1000)
    mine, theirs = Stats.of(ours), Stats.of(base)
    csv_row = Row(f"CSV import, {n:,} micro-credentials ({rows_total:,} rows)", mine, theirs,
                  "load of the same triples, no checks",
                  extra={"rows/s": round(rows_total / (mine.median / 1000)),
                         "micro-credentials/s": round(n / (mine.median / 1000)),
                         "triples": triples})
    return [csv_row, elm_export_row(ctx)]


def elm_export_row(ctx) -> Row:
    from qfgraph.graph import RDF_FORMATS
    from qfgraph.graph.exports import export_elm, serialize_elm
    store = ctx.store
    counts = {}

    def ours():
        result = export_elm(store)
        body = serialize_elm(result)
        counts.update(records=len(result.exported), skipped=len(result.skipped), bytes=len(body))

    def engine():
        store.export(RDF_FORMATS["turtle"])

    repeat = max(1, min(ctx.repeat, 3))
    mine, theirs = [], []
    ours()
    for _ in range(repeat):
        started = time.perf_counter()
        ours()
        mine.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        engine()
        theirs.append((time.perf_counter() - started) * 1000)
    return Row(f"ELM export, scale {ctx.scale} ({counts['records']:,} records)", Stats.of(mine), Stats.of(theirs),
               "engine Turtle export of the whole store",
               extra={"records/s": round(counts["records"] / (Stats.of(mine).median / 1000)),
                      "left out": counts["skipped"], "MB": round(counts["bytes"] / 1e6, 1)})
