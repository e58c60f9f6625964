"""The commit: a changeset checked by the gate, then written in one SPARQL update with its
provenance record and the graph's version bump, or refused with nothing written.

The commit request carries the version check inside it (each operation's WHERE matches only
while the graph is still at the version the change was validated against). Writers of a
graph take turns (Store.writing: a lock in the embedded store's one process; on a SPARQL
server, which need not serialise concurrent updates, a claim on the next version, carried by
the request), so two writers on the same version cannot both commit, whatever process they
run in. Afterwards we ask whether our changeset was recorded: if not, the version had moved on.
"""
from __future__ import annotations

import random
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from qfgraph.graph.changes.changeset import Changeset, CommitResult, Effect, Rejected, agent_iri, effect_of
from qfgraph.graph.changes.gate import check
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import Store, VersionConflict, graph_version
from qfgraph.graph.stores.claims import GraphBusy
from qfgraph.graph.stores.versions import VERSION_IS_BASE
from qfgraph.ontology.namespaces import HISTORY_GRAPH, QFG

if TYPE_CHECKING:
    from qfgraph.graph.stores.claims import Claim

CHANGESET_BASE = QFG + "changeset/"
# tries of a write without an expected version, while writers of other processes (or with
# an expected version) commit first
RETRIES = 20

_DATA_DELETE = "DELETE { GRAPH $graph { "
_DATA_INSERT = "INSERT { GRAPH $graph { "
_DATA_CLOSE = " } } "

# the history record of one graph's changeset: what leaves the history graph, what enters it
_RECORD_DELETE = " $graph qf:version ?current . "
_RECORD_INSERT = """
  $graph qf:version $version .
  $changeset a qf:Changeset, prov:Activity ;
    prov:wasAssociatedWith $agent ;
    prov:startedAtTime $started ;
    prov:endedAtTime $ended ;
    qf:targetGraph $graph ;
    rdfs:comment $message ;
    qf:addedCount $addedCount ;
    qf:removedCount $removedCount ;
    qf:version $version ;
    qf:added $added ;
    qf:removed $removed ;
    qf:rulesChecked $rulesChecked .
  $agent a prov:Agent ; rdfs:label $agentName .
  $changeset qf:reverts $reverts .
"""


@dataclass
class Part:
    """One graph's share of a commit request: its changeset, effect, base version and IRI."""
    changeset: Changeset
    effect: Effect
    base: int
    iri: str
    counts: tuple[int, int] | None = None


def commit_update(changeset: Changeset, effect: Effect, base: int, iri: str, started: datetime,
                  rules_checked: bool = True, reverts: str | None = None,
                  data_in_request: bool = True, counts: tuple[int, int] | None = None,
                  claim: "Claim | None" = None, prologue: bool = True) -> str:
    """The one SPARQL update request of one changeset (commit_request)."""
    return commit_request([Part(changeset, effect, base, iri, counts)], started, rules_checked, reverts,
                          data_in_request, claim, prologue)


def commit_request(parts: list[Part], started: datetime, rules_checked: bool = True,
                   reverts: str | None = None, data_in_request: bool = True,
                   claim: "Claim | None" = None, prologue: bool = True) -> str:
    """The one SPARQL update request: data change, history record, version bump of each
    graph; each operation applies only while every graph is still at its base version, so
    the request writes all its graphs or none. With a `claim` (graph/stores/claims.py) the
    first operations grant the commit (each graph at its base, the server's clock before the
    claim's deadline), the others apply only to granted claims, and the request ends by
    removing the claims, whether the rest applied or not. Without `prologue` it leaves out
    the PREFIX header, to follow other operations in one request."""
    values = [_values(p, started, rules_checked) for p in parts]

    def renamed(pattern: str, k: int) -> str:   # each graph's version check has its own variables
        if len(parts) == 1:
            return pattern
        return pattern.replace("?current", f"?current_{k}").replace("?v", f"?v_{k}")

    guards = [bind(renamed(VERSION_IS_BASE, k), v, prefixes=False) for k, v in enumerate(values)]
    text = bind("", {}) if prologue else ""  # the PREFIX header
    if claim:  # decided once, in the first operations (Claim.grant_update)
        text += "".join(claim.grant_update(p.changeset.graph, bind(VERSION_IS_BASE, v, prefixes=False)) + " ;\n"
                        for p, v in zip(parts, values))
    granted = "".join(claim.granted(p.changeset.graph) for p in parts) if claim else ""
    where = " WHERE { " + " ".join(guards) + granted + " }"
    for part, v in zip(parts, values):
        effect = part.effect
        if data_in_request and (effect.added or effect.removed):
            # data lines are already-checked N-Triples terms: joined, never passed through `bind`
            # (a `$` inside a literal must stay text)
            # (an empty template block is left out: Virtuoso refuses `GRAPH <g> { }`)
            for head, lines in ((_DATA_DELETE, effect.lines("removed")), (_DATA_INSERT, effect.lines("added"))):
                if lines:
                    text += bind(head, v, prefixes=False) + " ".join(lines) + _DATA_CLOSE
            text += where + " ;\n"
    # one operation records every changeset and bumps every version: the data operations
    # before it found each graph at its base version, and so does it
    record = _RECORD_INSERT
    if reverts:
        for v in values:
            v["reverts"] = URIRef(reverts)
    else:
        record = record.replace("  $changeset qf:reverts $reverts .\n", "")
    if not data_in_request:  # a bulk load wrote the data itself; its diff is not kept
        record = record.replace("    qf:added $added ;\n    qf:removed $removed ;\n", "")
    deletes = "".join(bind(renamed(_RECORD_DELETE, k), v, prefixes=False) for k, v in enumerate(values))
    inserts = "".join(bind(record, v, prefixes=False) for v in values)
    history = bind("$history", {"history": HISTORY_GRAPH}, prefixes=False)
    text += (f"DELETE {{ GRAPH {history} {{{deletes}}} }}\nINSERT {{ GRAPH {history} {{{inserts}}} }}" + where)
    return text + (" ;\n" + claim.release_update() if claim else "")


def _values(part: Part, started: datetime, rules_checked: bool) -> dict:
    changeset, effect, base, counts = part.changeset, part.effect, part.base, part.counts
    return {
        "history": HISTORY_GRAPH, "graph": URIRef(changeset.graph), "base": base,
        "version": base + 1, "changeset": URIRef(part.iri), "agent": URIRef(agent_iri(changeset.agent)),
        "agentName": Literal(changeset.agent.strip()), "message": Literal(changeset.message),
        "started": _now_literal(started), "ended": _now_literal(datetime.now(timezone.utc)),
        "addedCount": counts[0] if counts else len(effect.added),
        "removedCount": counts[1] if counts else len(effect.removed),
        "added": Literal(_lines(effect.lines("added"))), "removed": Literal(_lines(effect.lines("removed"))),
        "rulesChecked": rules_checked,
    }


def _lines(keys: list[str]) -> str:
    return "".join(k + "\n" for k in keys)


def _now_literal(when: datetime) -> Literal:
    return Literal(when.isoformat(timespec="microseconds"), datatype=XSD.dateTime)


def recorded(store: Store, changeset_iri: str) -> bool:
    return store.ask(bind("ASK { GRAPH $history { $cs a qf:Changeset } }",
                          {"history": HISTORY_GRAPH, "cs": URIRef(changeset_iri)}))


def new_changeset_iri() -> str:
    return CHANGESET_BASE + uuid.uuid4().hex


_queues: dict[tuple[int, str], threading.Lock] = {}
_queues_lock = threading.Lock()


def _queue(store: Store, graph: str) -> threading.Lock:
    """Writes without an expected version to one graph from this process go one at a time:
    validated side by side, each would find the graph moved on by the others and retry."""
    with _queues_lock:
        return _queues.setdefault((id(store), graph), threading.Lock())


def commit(store: Store, changeset: Changeset, *, reverts: str | None = None) -> CommitResult:
    """Validate the affected focus nodes against store + change, then commit atomically.

    Raises Rejected (a Violation; nothing written) or VersionConflict (the graph moved on).
    Without an expected version the change is validated against the version it reads and
    retried if another writer commits in between.
    """
    return commit_all(store, [changeset], reverts=reverts)[0]


def commit_all(store: Store, changesets: list[Changeset], *, reverts: str | None = None) -> list[CommitResult]:
    """Changesets of different graphs as one write: each validated as `commit` does, then all
    committed in one request, or none (a Violation in any: Rejected, nothing written anywhere)."""
    graphs = [c.graph for c in changesets]
    if len(set(graphs)) != len(graphs):
        raise ValueError("one changeset per graph in a commit")
    if any(c.expected_version is not None for c in changesets):
        return _commit_all(store, changesets, reverts, attempts=1)
    with ExitStack() as queued:   # in one order of graphs, so two writers never wait on each other
        for g in sorted(graphs):
            queued.enter_context(_queue(store, g))
        return _commit_all(store, changesets, reverts, attempts=RETRIES)


def _commit_all(store: Store, changesets: list[Changeset], reverts: str | None,
                attempts: int) -> list[CommitResult]:
    for attempt in range(attempts):
        if attempt:  # another writer committed in between: let the writers drift apart
            time.sleep(random.uniform(0, min(0.5, 0.005 * 2 ** attempt)))
        started = datetime.now(timezone.utc)
        bases = {c.graph: graph_version(store, c.graph) for c in changesets}
        for c in changesets:
            if c.expected_version is not None and bases[c.graph] != c.expected_version:
                raise VersionConflict(c.graph, c.expected_version, bases[c.graph])
        effects = [effect_of(store, c) for c in changesets]
        reports = [check(store, c.graph, e) for c, e in zip(changesets, effects)]
        parts = [Part(c, e, bases[c.graph], new_changeset_iri())
                 for c, e in zip(changesets, effects) if e.added or e.removed]
        for c, e, report in zip(changesets, effects, reports):
            if (e.added or e.removed) and report.violations:
                raise Rejected(report, c.graph)
        if not parts:
            return [CommitResult(None, c.graph, bases[c.graph], 0, 0, r) for c, r in zip(changesets, reports)]
        changed = sum(len(p.effect.added) + len(p.effect.removed) for p in parts)
        with store.writing({p.changeset.graph: p.base for p in parts}, changed=changed) as turn:
            if not turn.moved:   # else nothing is sent: our changesets are not recorded
                store.update(commit_request(parts, started, reverts=reverts, claim=turn.claim))
        if recorded(store, parts[0].iri):   # one request: the others are recorded with it
            done = {p.changeset.graph: p for p in parts}
            return [CommitResult(done[c.graph].iri, c.graph, bases[c.graph] + 1, len(e.added), len(e.removed), r)
                    if c.graph in done else CommitResult(None, c.graph, bases[c.graph], 0, 0, r)
                    for c, e, r in zip(changesets, effects, reports)]
        actual = {p.changeset.graph: graph_version(store, p.changeset.graph) for p in parts}
        moved = [p for p in parts if actual[p.changeset.graph] != p.base]
        if not moved:  # a server's commit that came after its claim's deadline
            raise GraphBusy(parts[0].changeset.graph, parts[0].base, "kept its version: the commit reached "
                                                                     "the server after its claim's deadline")
        if any(c.expected_version is not None for c in changesets):
            g = moved[0].changeset.graph
            raise VersionConflict(g, moved[0].base, actual[g])
    g = moved[0].changeset.graph
    raise VersionConflict(g, moved[0].base, graph_version(store, g))
