"""Every import writes through the changeset gate: shapes on the affected nodes against store
plus change, and nothing written when they refuse."""
from __future__ import annotations

from rdflib import Graph, URIRef

from qfgraph.graph.changes.changeset import Changeset, Rejected, effect_of
from qfgraph.graph.changes.commit import commit
from qfgraph.graph.changes.gate import check
from qfgraph.graph.imports.report import ImportReport, Problems
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import Store


def already_in_store(store: Store, subjects: list[URIRef], chunk: int = 500) -> dict[str, str]:
    """Which of `subjects` the store already describes, with the graph that holds them."""
    found: dict[str, str] = {}
    for i in range(0, len(subjects), chunk):
        rows = store.select(bind("SELECT DISTINCT ?s ?g WHERE { VALUES ?s { $s } GRAPH ?g { ?s a ?c } }",
                                 {"s": subjects[i:i + chunk]}))
        found.update({str(r["s"]): str(r["g"]) for r in rows})
    return found


def commit_import(store: Store, graph_iri: str, additions: Graph | list, agent: str, message: str,
                  report: ImportReport) -> ImportReport:
    """Write `additions` to `graph_iri` through the gate; the report says what happened."""
    try:
        result = commit(store, Changeset(graph_iri, additions, (), agent, message))
    except Rejected as e:
        report.shapes_report, report.shapes_json = e.report.to_text(), e.report.to_json()
        return report
    report.written = True
    report.version = getattr(result, "version", None)
    return report


def check_import(store: Store, graph_iri: str, additions: Graph, agent: str, message: str,
                 report: ImportReport) -> ImportReport:
    """The dry run of commit_import: the gate's decision on the same changeset, nothing written."""
    rules = check(store, graph_iri, effect_of(store, Changeset(graph_iri, additions, Graph(), agent, message)))
    if rules.violations:
        report.shapes_report, report.shapes_json = rules.to_text(), rules.to_json()
    return report


def refuse_existing(store: Store, subjects: dict[URIRef, tuple[str, int | None, str | None]],
                    problems: Problems) -> None:
    """An import adds entities; one whose IRI the store already holds is a duplicate identifier."""
    existing = already_in_store(store, list(subjects))
    for iri, graph in sorted(existing.items(), key=lambda kv: subjects[URIRef(kv[0])][:2]):
        file, row, column = subjects[URIRef(iri)]
        problems.add(file, f"duplicate identifier: the store already holds {iri} (in graph {graph}); "
                     "an import only adds new entities", row, column)
