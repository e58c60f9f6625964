"""Loading RDF files as changesets: through the gate, or as a trusted bulk load.

Through the gate (the default), a file becomes one changeset per named graph it writes to:
its new triples are validated with the rules of every node they affect and committed in one
request, or refused with the report and nothing written.

A bulk load (`--bulk`, for reference data and very large trusted registers) skips the rule
checks and writes with the engine's bulk loader (issue-2 throughput), then records a
changeset with its counts, `qf:rulesChecked false` and no diff (so it cannot be reverted;
drop and reload instead). A file that fails to parse still writes nothing. Like every write, a bulk
load takes its turn on the graphs it names (Store.writing: the embedded store's lock, a
server's claims, taken before anything is sent and held, with a lease that covers sending the
file, until its changesets are recorded).

A bulk load is whole or nothing even when its process is killed, or the disk fills, half way:
the data is sent in one request of its own (or, into graphs that were empty, by the engine's
bulk loader, which is not atomic), so before sending, a mark of the load goes to the loads
graph (its graphs and their sizes), and the request recording its changesets also removes the
mark. A mark found later (`finish_interrupted_loads`, run whenever a command or the service
opens the store) is a load that never got its changesets: an atomic one whose data arrived
gets them then (whole); any other is undone by clearing its graphs, empty before (nothing).
"""
from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timezone

import pyoxigraph as ox
from rdflib import Literal, URIRef

from qfgraph.graph.changes.changeset import Changeset, CommitResult, Effect
from qfgraph.graph.changes.commit import commit, commit_update, new_changeset_iri, recorded
from qfgraph.graph.errors import LoadError
from qfgraph.graph.formats import RdfFormatInfo
from qfgraph.graph.sparql import bind, check_iri
from qfgraph.graph.stores import Store, VersionConflict, graph_version, to_rdflib
from qfgraph.graph.stores.claims import Claim
from qfgraph.graph.stores.base import LOADS_GRAPH
from qfgraph.ontology.namespaces import HISTORY_GRAPH, QFG

LOAD_BASE = QFG + "load/"


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
    finish_interrupted_loads(store)
    prepared = store.prepare_load(path, info, graph, progress=progress)
    graphs = sorted(prepared.graphs - {str(HISTORY_GRAPH)})
    for _ in range(5):  # a graph may move between reading its version and taking the turn
        bases = {g: graph_version(store, g) for g in graphs}
        with store.writing(bases, seconds=prepared.seconds) as turn:
            if not turn.moved:
                return _record_load(store, prepared, agent, message, turn.claim)
    moved = next(g for g in graphs if graph_version(store, g) != bases[g])
    raise VersionConflict(moved, bases[moved], graph_version(store, moved))


def _sizes(store: Store, graphs) -> dict[str, int]:
    return {g: _size(store, g) for g in sorted(graphs)}


def _record_load(store: Store, prepared, agent: str, message: str,
                 claim: Claim | None = None) -> list[CommitResult]:
    """Mark the load, send it, then record a changeset with its counts for each graph that
    grew (with a claim: each graph claimed, the others being another writer's) and remove
    the mark, in one request."""
    started = datetime.now(timezone.utc)
    mark = LOAD_BASE + uuid.uuid4().hex
    state = {"sizes": _sizes(store, prepared.graphs), "atomic": prepared.atomic, "agent": agent,
             "message": message, "started": started.isoformat()}
    store.update(bind("INSERT DATA { GRAPH $loads { $mark a qf:InterruptedLoad ; qf:loadState $state } }",
                      {"loads": URIRef(LOADS_GRAPH), "mark": URIRef(mark), "state": Literal(json.dumps(state))}))
    try:
        store.send_load(prepared)
    except BaseException:
        _undo_quietly(store, mark, state)
        raise
    return _record(store, mark, state, claim)


def _record(store: Store, mark: str, state: dict, claim: Claim | None = None) -> list[CommitResult]:
    """The changesets of a load whose data is in (graphs that grew), and the mark's removal,
    in one request."""
    after = _sizes(store, state["sizes"])
    started = datetime.fromisoformat(state["started"])
    results, requests = [], []
    for g, n in after.items():
        added = n - state["sizes"][g]
        if added <= 0 or g in (str(HISTORY_GRAPH), LOADS_GRAPH):  # a restored backup brings its own history
            continue
        if claim is not None and g not in claim.nodes:
            continue
        base = graph_version(store, g)  # after the load: a restored backup brings its versions
        iri = new_changeset_iri()
        requests.append(commit_update(Changeset(g, (), (), state["agent"], state["message"]), Effect([], []),
                                      base, iri, started, rules_checked=False, data_in_request=False,
                                      counts=(added, 0), claim=claim.only(g) if claim else None,
                                      prologue=not requests))
        results.append(CommitResult(iri, g, base + 1, added, 0, None, skipped_rules=True))
    store.update(" ;\n".join([*requests, _unmark(mark)]))
    for r in results:
        if not recorded(store, r.changeset):
            raise VersionConflict(r.graph, r.version - 1, graph_version(store, r.graph))
    return results


def _unmark(mark: str) -> str:
    """(no PREFIX header: it follows other operations of a request)"""
    return bind("DELETE WHERE { GRAPH $loads { $mark ?p ?o } }", {"loads": URIRef(LOADS_GRAPH), "mark": URIRef(mark)},
                prefixes=False)


def _undo(store: Store, mark: str, state: dict) -> None:
    """Clear what a load that was not atomic may have written (its graphs were empty), and
    its mark, in one request."""
    clears = [bind("CLEAR SILENT GRAPH $g", {"g": URIRef(g)}, prefixes=False) for g in state["sizes"]]
    store.update(" ;\n".join([*clears, _unmark(mark)]))


def _undo_quietly(store: Store, mark: str, state: dict) -> None:
    """After a failed send (a full disk, a lost server): undo now if the store lets us; else
    the mark stays, and the next opening of the store undoes it."""
    try:
        if state["atomic"]:
            store.update(_unmark(mark))
        else:
            _undo(store, mark, state)
    except Exception:  # noqa: BLE001 - the original error is the one to report
        pass


_MARKS = "SELECT ?mark ?state WHERE { GRAPH $loads { ?mark a qf:InterruptedLoad ; qf:loadState ?state } }"


def finish_interrupted_loads(store: Store) -> list[str]:
    """Settle the bulk loads a killed process (or a full disk) left without their changesets
    (see the module comment); what was done, one line per load."""
    done = []
    for row in store.select(bind(_MARKS, {"loads": URIRef(LOADS_GRAPH)})):
        mark, state = str(row["mark"]), json.loads(str(row["state"]))
        arrived = _sizes(store, state["sizes"]) != state["sizes"]
        if state["atomic"] and arrived:
            graphs = sorted(set(state["sizes"]) - {str(HISTORY_GRAPH)})
            with store.writing({g: graph_version(store, g) for g in graphs}) as turn:
                results = _record(store, mark, state, turn.claim)
            done.append(f"an interrupted bulk load had written its data: its changesets were recorded "
                        f"({', '.join(f'{r.graph} version {r.version}' for r in results)})")
        elif state["atomic"]:
            store.update(_unmark(mark))
            done.append("an interrupted bulk load had written nothing")
        else:
            _undo(store, mark, state)
            done.append(f"an interrupted bulk load was undone: {', '.join(state['sizes'])} cleared")
    return done
