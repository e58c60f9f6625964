"""Bringing registers in: CSV templates, ELM / Europass JSON-LD, Open Badges 3.0.

Each import parses to triples of the data model, checks them (its own checks, then the shapes
through the changeset gate) and writes nothing unless everything passes. All return an
`ImportReport`; `ImportFailed` carries it when nothing was written.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph.imports.csv_files import read_directory
from graph.imports.csv_import import build_from_csv, count_rows
from graph.imports.csv_templates import TEMPLATES, templates_markdown, write_templates  # noqa: F401
from graph.imports.gate import commit_import, refuse_existing
from graph.imports.problems import ImportFailed, ImportReport, Problem, Problems  # noqa: F401
from graph.store import Store
from ontology.namespaces import DEFAULT_BASE

AGENT = "https://w3id.org/qfgraph/agent/import"


def import_csv(store: Store, source: str | Path | dict[str, bytes], graph: str,
               base: str = DEFAULT_BASE, agent: str = AGENT, progress=None) -> ImportReport:
    """Import a directory of template files (or {file name: bytes}) into `graph`.

    `progress(label, total)` may return a callback taking the rows done (None at the end).
    Raises ImportFailed, writing nothing, on any problem.
    """
    files = read_directory(source) if isinstance(source, (str, Path)) else dict(source)
    problems = Problems()
    tick = progress("checking rows", count_rows(files)) if progress else None
    additions, counts = build_from_csv(files, store, base, problems, tick)
    if tick:
        tick(None)
    return _finish(store, graph, additions, counts, problems, agent,
                   f"CSV import of {', '.join(sorted(files)) or 'nothing'}", _csv_subjects(additions, base))


def _csv_subjects(additions: Graph, base: str) -> dict:
    return {s: (_file_of(s, base), None, "id") for s in set(additions.subjects(RDF.type))
            if "#" not in str(s)}


def _file_of(iri: URIRef, base: str) -> str:
    segment = str(iri)[len(base):].split("/", 1)[0] if str(iri).startswith(base) else ""
    return next((t.file for t in TEMPLATES if t.segment == segment), "(import)")


def _finish(store, graph, additions, counts, problems, agent, message, subjects) -> ImportReport:
    """Refuse entities the store already holds, then write through the gate."""
    if not problems:
        refuse_existing(store, subjects, problems)
    report = ImportReport(graph, problems.items, counts, len(additions))
    if problems:
        raise ImportFailed(report)
    commit_import(store, graph, additions, agent, message, report)
    if not report.ok:
        raise ImportFailed(report)
    return report
