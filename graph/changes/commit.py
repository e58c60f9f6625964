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

_RECORD_UPDATE = """
DELETE { GRAPH $history { $graph qf:version ?current } }
INSERT { GRAPH $history {
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
} } """


def commit_update(changeset: Changeset, effect: Effect, base: int, iri: str, started: datetime,
                  rules_checked: bool = True, reverts: str | None = None,
                  data_in_request: bool = True, counts: tuple[int, int] | None = None,
                  claim: "Claim | None" = None, prologue: bool = True) -> str:
    """The one SPARQL update request: data change, history record, version bump; each
    operation applies only while the graph is still at version `base`. With a `claim`
    (graph/stores/claims.py) the first operation grants the commit (the graph at `base`, the
    server's clock before the claim's deadline), the others apply only to a granted claim,
    and the request ends by removing the claim, whether the rest applied or not. Without
    `prologue` it leaves out the PREFIX header, to follow other operations in one request."""
    values = {
        "history": HISTORY_GRAPH, "graph": URIRef(changeset.graph), "base": base,
        "version": base + 1, "changeset": URIRef(iri), "agent": URIRef(agent_iri(changeset.agent)),
        "agentName": Literal(changeset.agent.strip()), "message": Literal(changeset.message),
        "started": _now_literal(started), "ended": _now_literal(datetime.now(timezone.utc)),
        "addedCount": counts[0] if counts else len(effect.added),
        "removedCount": counts[1] if counts else len(effect.removed),
        "added": Literal(_lines(effect.lines("added"))), "removed": Literal(_lines(effect.lines("removed"))),
        "rulesChecked": rules_checked,
    }
    record = _RECORD_UPDATE
    if reverts:
        values["reverts"] = URIRef(reverts)
    else:
        record = record.replace("  $changeset qf:reverts $reverts .\n", "")
    if not data_in_request:  # a bulk load wrote the data itself; its diff is not kept
        record = record.replace("    qf:added $added ;\n    qf:removed $removed ;\n", "")
    text = bind("", values) if prologue else ""  # the PREFIX header
    version_is_base = bind(VERSION_IS_BASE, values, prefixes=False)
    if claim:  # decided once, in the first operation (Claim.grant_update)
        text += claim.grant_update(changeset.graph, version_is_base) + " ;\n"
    where = " WHERE { " + version_is_base + (claim.granted(changeset.graph) if claim else "") + " }"
    if data_in_request and (effect.added or effect.removed):
        # data lines are already-checked N-Triples terms: joined, never passed through `bind`
        # (a `$` inside a literal must stay text)
        # (an empty template block is left out: Virtuoso refuses `GRAPH <g> { }`)
        for head, lines in ((_DATA_DELETE, effect.lines("removed")), (_DATA_INSERT, effect.lines("added"))):
            if lines:
                text += bind(head, values, prefixes=False) + " ".join(lines) + _DATA_CLOSE
        text += where + " ;\n"
    text += bind(record, values, prefixes=False) + where
    return text + (" ;\n" + claim.release_update() if claim else "")


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
    if changeset.expected_version is not None:
        return _commit(store, changeset, reverts)
    with _queue(store, changeset.graph):
        return _commit(store, changeset, reverts)


def _commit(store: Store, changeset: Changeset, reverts: str | None) -> CommitResult:
    attempts = 1 if changeset.expected_version is not None else RETRIES
    for attempt in range(attempts):
        if attempt:  # another writer committed in between: let the writers drift apart
            time.sleep(random.uniform(0, min(0.5, 0.005 * 2 ** attempt)))
        started = datetime.now(timezone.utc)
        base = graph_version(store, changeset.graph)
        expected = changeset.expected_version
        if expected is not None and base != expected:
            raise VersionConflict(changeset.graph, expected, base)
        effect = effect_of(store, changeset)
        report = check(store, changeset.graph, effect)
        if not effect.added and not effect.removed:
            return CommitResult(None, changeset.graph, base, 0, 0, report)
        if report.violations:
            raise Rejected(report, changeset.graph)
        iri = new_changeset_iri()
        with store.writing({changeset.graph: base}, changed=len(effect.added) + len(effect.removed)) as turn:
            if not turn.moved:   # else nothing is sent: our changeset is not recorded
                store.update(commit_update(changeset, effect, base, iri, started, reverts=reverts,
                                           claim=turn.claim))
        if recorded(store, iri):
            return CommitResult(iri, changeset.graph, base + 1, len(effect.added),
                                len(effect.removed), report)
        actual = graph_version(store, changeset.graph)
        if actual == base:  # a server's commit that came after its claim's deadline
            raise GraphBusy(changeset.graph, base, "kept its version: the commit reached the server "
                                                   "after its claim's deadline")
        if expected is not None:
            raise VersionConflict(changeset.graph, expected, actual)
    raise VersionConflict(changeset.graph, base, graph_version(store, changeset.graph))
