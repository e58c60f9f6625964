"""Loading RDF files as changesets: through the gate, or as a trusted bulk load.

Through the gate (the default), a file becomes one changeset per named graph it writes to:
its new triples are validated with the rules of every node they affect and committed in one
request, or refused with the report and nothing written.

A bulk load (`--bulk`, for reference data and very large trusted registers) skips the rule
checks and writes with the engine's bulk loader (issue-2 throughput), then records a
changeset with its counts, `qf:rulesChecked false` and no diff (so it cannot be reverted;
drop and reload instead). A file that fails to parse still writes nothing; the engine's
bulk path is not crash-atomic on very large files. Like every write, a bulk load takes its
turn on the graphs it names (Store.writing: the embedded store's lock, a server's claims,
taken before anything is sent and held, with a lease that covers sending the file, until its
changesets are recorded).
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

import pyoxigraph as ox
from rdflib import URIRef

from qfgraph.graph.changes.changeset import Changeset, CommitResult, Effect
from qfgraph.graph.changes.commit import commit, commit_update, new_changeset_iri, recorded
from qfgraph.graph.errors import LoadError
from qfgraph.graph.formats import RdfFormatInfo
from qfgraph.graph.sparql import bind, check_iri
from qfgraph.graph.stores import Store, VersionConflict, graph_version, to_rdflib
from qfgraph.graph.stores.claims import Claim
from qfgraph.ontology.namespaces import HISTORY_GRAPH


def parse_file(path: str | os.PathLike, info: RdfFormatInfo, graph: str | None) -> dict[str, list]:
    """The triples of a file grouped by the named graph they go to; a clear error (file,
    line) when it does not parse or when triples have no graph to go to."""
    by_graph: dict[str, list] = {}
    name = str(path)
    try:
        with open(path, "rb") as f:
            for q in ox.parse(input=f, format=info.ox_format):
                g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else graph
                if g is None:
                    raise LoadError("triples in the default graph: name the target with --graph IRI", name)
                by_graph.setdefault(g, []).append(
                    (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    except SyntaxError as e:
        raise LoadError(getattr(e, "msg", None) or str(e), name, getattr(e, "lineno", None)) from None
    except ValueError as e:
        raise LoadError(str(e), name) from None
    for g in by_graph:
        check_iri(g)
    if str(HISTORY_GRAPH) in by_graph:
        raise LoadError(f"holds the history graph {HISTORY_GRAPH}, which only the changeset gate "
                        "writes; restore a whole-store backup with --bulk", name)
    return by_graph


def load_gated(store: Store, by_graph: dict[str, list], agent: str, message: str) -> list[CommitResult]:
    """Commit parsed triples (`parse_file`) through the gate: one changeset per named graph.
    Raises Rejected (nothing of that graph written) or VersionConflict."""
    return [commit(store, Changeset(g, triples, (), agent, message)) for g, triples in by_graph.items()]


_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH $graph { ?s ?p ?o } }"


def _size(store: Store, graph: str) -> int:
    return int(store.select(bind(_COUNT, {"graph": URIRef(graph)}))[0]["n"])


def load_bulk(store: Store, path, info: RdfFormatInfo, graph: str | None, agent: str,
              message: str | None = None, progress=None) -> list[CommitResult]:
    """A trusted bulk load: no rule checks; a changeset with counts per graph written."""
    message = message or f"bulk load {os.path.basename(str(path))} (rules not checked)"
    prepared = store.prepare_load(path, info, graph, progress=progress)
    graphs = sorted(prepared.graphs - {str(HISTORY_GRAPH)})
    for _ in range(5):  # a graph may move between reading its version and taking the turn
        bases = {g: graph_version(store, g) for g in graphs}
        with store.writing(bases, seconds=prepared.seconds) as turn:
            if not turn.moved:
                return _record_load(store, lambda: store.send_load(prepared), graph, agent, message,
                                    turn.claim)
    moved = next(g for g in graphs if graph_version(store, g) != bases[g])
    raise VersionConflict(moved, bases[moved], graph_version(store, moved))


def _record_load(store: Store, send, graph: str | None, agent: str, message: str,
                 claim: Claim | None = None) -> list[CommitResult]:
    """Send a load and record a changeset with its counts for each graph that grew (with a
    claim: each graph claimed, the others being another writer's)."""
    started = datetime.now(timezone.utc)
    before = store.graph_sizes() if graph is None else {graph: _size(store, graph)}
    send()
    after = store.graph_sizes() if graph is None else {graph: _size(store, graph)}
    results = []
    for g, n in after.items():
        added = n - before.get(g, 0)
        if added <= 0 or g == str(HISTORY_GRAPH):  # a restored backup brings its own history
            continue
        if claim is not None and g not in claim.nodes:
            continue
        base = graph_version(store, g)  # after the load: a restored backup brings its versions
        iri = new_changeset_iri()
        store.update(commit_update(Changeset(g, (), (), agent, message), Effect([], []), base, iri,
                                   started, rules_checked=False, data_in_request=False,
                                   counts=(added, 0), claim=claim.only(g) if claim else None))
        if not recorded(store, iri):
            raise VersionConflict(g, base, graph_version(store, g))
        results.append(CommitResult(iri, g, base + 1, added, 0, None, skipped_rules=True))
    return results
