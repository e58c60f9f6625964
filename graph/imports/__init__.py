"""Bringing registers in: CSV templates, ELM / Europass JSON-LD, Open Badges 3.0.

Each import parses to triples of the data model, checks them (its own checks, then the shapes
through the changeset gate) and writes nothing unless everything passes. All return an
`ImportReport`; `ImportFailed` carries it when nothing was written. With `dry_run=True` the
same checks run, the gate included, and nothing is written either way.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from qfgraph.graph.catalogue.level_resolution import LevelRegister
from qfgraph.graph.imports.badge import BadgeReader, achievement_iri  # noqa: F401
from qfgraph.graph.imports.csv_files import read_directory
from qfgraph.graph.imports.csv_import import build_from_csv, count_rows
from qfgraph.graph.imports.csv_templates import TEMPLATES, templates_markdown, write_templates  # noqa: F401
from qfgraph.graph.imports.defaults import DefaultsError, apply_defaults, parse_defaults  # noqa: F401
from qfgraph.graph.imports.elm import ElmReader, document_id
from qfgraph.graph.imports.writing import check_import, commit_import, refuse_existing
from qfgraph.graph.imports.jsonld import JsonLdError, load_json, parse_jsonld
from qfgraph.graph.imports.report import ImportFailed, ImportProblem, ImportReport, Problems  # noqa: F401
from qfgraph.graph.stores import Store
from qfgraph.ontology.namespaces import DEFAULT_BASE

AGENT = "import"  # the changeset agent name when the caller gives none


def import_csv(store: Store, source: str | Path | dict[str, bytes], graph: str,
               base: str = DEFAULT_BASE, agent: str = AGENT, progress=None, dry_run: bool = False) -> ImportReport:
    """Import a directory of template files (or {file name: bytes}) into `graph`.

    `progress(label, total)` may return a callback taking the rows done (None at the end).
    Raises ImportFailed, writing nothing, on any problem.
    """
    files = read_directory(source) if isinstance(source, (str, Path)) else dict(source)
    problems = Problems()
    tick = progress("checking rows", count_rows(files)) if progress else None
    additions, counts, subjects = build_from_csv(files, store, base, problems, tick)
    if tick:
        tick(None)
    return _finish(store, graph, additions, counts, problems, agent,
                   f"CSV import of {', '.join(sorted(files)) or 'nothing'}", subjects, dry_run=dry_run)


def import_elm(store: Store, documents: list[tuple[str, bytes]], graph: str, base: str = DEFAULT_BASE,
               agent: str = AGENT, defaults: dict[str, str] | None = None, progress=None,
               drop_unknown_levels: bool = False, dry_run: bool = False) -> ImportReport:
    """Import ELM v3 JSON-LD documents [(name, bytes)]; contexts are served locally.
    A national level is resolved to the official level (graph.catalogue.level_resolution); one the
    register cannot resolve is a problem, or left out (noted) with `drop_unknown_levels`."""
    problems, additions, counts, notes = Problems(), Graph(), {}, []
    subjects: dict = {}
    levels = LevelRegister(store)
    tick = progress("reading documents", len(documents)) if progress else None
    for name, data in documents:
        try:
            document = load_json(data, name)
            reader = ElmReader(parse_jsonld(document, name), base, document_id(document) or name, additions,
                               levels, drop_unknown_levels)
            subjects.update(reader.read(problems, name))
            _add_counts(counts, reader.counts)
            notes += reader.notes
        except JsonLdError as e:
            problems.add(name, str(e).removeprefix(f"{name}: "))
        if tick:
            tick(1)
    if tick:
        tick(None)
    apply_defaults(additions, parse_defaults(defaults or {}))
    return _finish(store, graph, additions, counts, problems, agent,
                   f"ELM import of {', '.join(n for n, _ in documents)}", subjects, notes, dry_run)


def import_badges(store: Store, documents: list[tuple[str, bytes]], graph: str, base: str = DEFAULT_BASE,
                  agent: str = AGENT, defaults: dict[str, str] | None = None, progress=None,
                  dry_run: bool = False) -> ImportReport:
    """Import Open Badges 3.0 JSON (OpenBadgeCredential or Achievement) as micro-credentials."""
    problems, additions = Problems(), Graph()
    reader, subjects = BadgeReader(store, base, additions), {}
    for name, data in documents:
        try:
            subjects.update(reader.read(load_json(data, name), name, problems))
        except JsonLdError as e:
            problems.add(name, str(e).removeprefix(f"{name}: "))
    apply_defaults(additions, parse_defaults(defaults or {}))
    return _finish(store, graph, additions, dict(reader.counts), problems, agent,
                   f"Open Badges import of {', '.join(n for n, _ in documents)}", subjects, dry_run=dry_run)


def _add_counts(total: dict, more: dict) -> None:
    for k, n in more.items():
        total[k] = total.get(k, 0) + n


def _finish(store, graph, additions, counts, problems, agent, message, subjects, notes=(),
            dry_run: bool = False) -> ImportReport:
    """Refuse entities the store already holds, then write through the gate (or only ask it)."""
    if not problems:
        refuse_existing(store, subjects, problems)
    report = ImportReport(graph, problems.items, counts, len(additions), notes=list(notes))
    if problems:
        raise ImportFailed(report)
    (check_import if dry_run else commit_import)(store, graph, additions, agent, message, report)
    if not report.ok:
        raise ImportFailed(report)
    return report
