"""Every write is a changeset: checked by the gate, committed in one SPARQL update with its
provenance record and the graph's version bump, or refused with nothing written.

The commit request carries the version check inside it (each operation's WHERE matches only
while the graph is still at the version the change was validated against). The embedded store
orders its writers with a lock in its one process; on a SPARQL server, which need not
serialise concurrent updates, the writer first claims the next version (graph/claims.py), so
two writers on the same version cannot both commit, whatever process they run in. Afterwards
we ask whether our changeset was recorded: if not, the version had moved on.
"""
from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from qfgraph.graph.sparql import UnsafeTermError, bind, check_iri, term
from qfgraph.graph.store import Store, to_rdflib
from qfgraph.ontology.namespaces import HISTORY_GRAPH, QFG

if TYPE_CHECKING:
    from qfgraph.graph.claims import Claim

CHANGESET_BASE = QFG + "changeset/"
AGENT_BASE = QFG + "agent/"
PRESENCE_BATCH = 2000  # triples per presence query (VALUES rows)


class Rejected(Exception):
    """A changeset with at least one Violation; nothing was written. `.report` says why."""

    def __init__(self, report, graph: str | None = None):
        self.report, self.graph = report, graph
        super().__init__(report.to_text())


class VersionConflict(Exception):
    """The graph is no longer at the version the writer expected; nothing was written."""

    def __init__(self, graph: str, expected: int, actual: int):
        self.graph, self.expected, self.actual = graph, expected, actual
        super().__init__(f"graph {graph} is at version {actual}, not {expected} as expected: "
                         "someone else wrote to it; read it again and retry")


Triple = tuple  # (subject, predicate, object) as rdflib terms


@dataclass
class Changeset:
    """A write to one named graph. Blank nodes in additions become skolem IRIs."""

    graph: str
    additions: Iterable[Triple]
    removals: Iterable[Triple]
    agent: str
    message: str
    expected_version: int | None = None

    def __post_init__(self):
        check_iri(self.graph)
        if self.graph == str(HISTORY_GRAPH):
            raise UnsafeTermError(f"{self.graph} is written only by the changeset history")
        if not self.agent or not str(self.agent).strip():
            raise ValueError("a changeset needs an agent (who makes the change)")
        self.message = self.message or ""
        self.additions = skolemise(self.additions, self.graph)
        self.removals = list(self.removals)
        for t in self.removals:
            if any(isinstance(x, BNode) for x in t):
                raise UnsafeTermError(
                    f"a removal cannot contain a blank node (the store holds none): {t!r}")
        both = {ntriple(t) for t in self.additions} & {ntriple(t) for t in self.removals}
        if both:  # refuses malformed terms too, before anything is read or written
            raise ValueError(f"a changeset cannot both add and remove a triple: {min(both)}")


@dataclass
class CommitResult:
    changeset: str | None  # IRI of the recorded changeset; None when nothing changed
    graph: str
    version: int
    added: int
    removed: int
    warnings: object = None  # the validation Report (no Violation in it)
    skipped_rules: bool = False

    def to_json(self) -> dict:
        return {"changeset": self.changeset, "graph": self.graph, "version": self.version,
                "added": self.added, "removed": self.removed, "skipped_rules": self.skipped_rules,
                "warnings": self.warnings.to_json() if self.warnings is not None else None}


# ---------------------------------------------------------------------------------------
# terms and N-Triples

def skolemise(triples: Iterable[Triple], graph: str) -> list[Triple]:
    """Replace blank nodes with `<graph>/.well-known/genid/<uuid>` IRIs (one per node)."""
    base = graph.rstrip("/#") + "/.well-known/genid/"
    names: dict[BNode, URIRef] = {}

    def iri(x):
        if isinstance(x, BNode):
            if x not in names:
                names[x] = URIRef(base + uuid.uuid4().hex)
            return names[x]
        return x
    return [(iri(s), p, iri(o)) for s, p, o in triples]


def ntriple(t: Triple) -> str:
    """One triple as an N-Triples line (without the newline): also its identity key."""
    s, p, o = t
    if isinstance(s, Literal) or not isinstance(p, URIRef):
        raise UnsafeTermError(f"not a valid triple (literal subject or non-IRI predicate): {t!r}")
    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))  # xsd:string is the plain literal; one key for both spellings
    return f"{term(s)} {term(p)} {term(o)} ."


def ntriples(triples: Iterable[Triple]) -> str:
    return "".join(ntriple(t) + "\n" for t in triples)


def parse_ntriples(text: str) -> list[Triple]:
    return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
            for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


def agent_iri(name: str) -> str:
    return AGENT_BASE + quote(name.strip(), safe="")


# ---------------------------------------------------------------------------------------
# versions and what is already there

def graph_version(store: Store, graph: str) -> int:
    """The version of a named graph: 0 when no changeset ever wrote to it."""
    rows = store.select(bind("SELECT ?v WHERE { GRAPH $history { $graph qf:version ?v } }",
                             {"history": HISTORY_GRAPH, "graph": URIRef(graph)}))
    return max((int(r["v"]) for r in rows), default=0)


def graphs_holding(store: Store, triples: list[Triple],
                   keys: list[str] | None = None) -> dict[str, set[str]]:
    """For each triple (by its N-Triples key: `keys`, when the caller has them already)
    the named graphs that hold it."""
    found: dict[str, set[str]] = {}
    keys = [ntriple(t) for t in triples] if keys is None else keys
    for i in range(0, len(keys), PRESENCE_BATCH):
        rows = " ".join(f"({k[:-2]})" for k in keys[i:i + PRESENCE_BATCH])
        query = bind("SELECT ?s ?p ?o ?g WHERE { VALUES (?s ?p ?o) { ", {}) + rows + \
            " } GRAPH ?g { ?s ?p ?o } }"
        for r in store.select(query):
            found.setdefault(ntriple((r["s"], r["p"], r["o"])), set()).add(str(r["g"]))
    return found


@dataclass
class Effect:
    """What a changeset really does to the store: triples new to the graph, triples it
    really removes, and removals that leave the union (not held by another graph)."""

    added: list[Triple]
    removed: list[Triple]
    gone: set[str] = field(default_factory=set)  # N-Triples keys no longer in the union


def effect_of(store: Store, changeset: Changeset) -> Effect:
    g = changeset.graph
    triples = changeset.additions + changeset.removals
    keys = [ntriple(t) for t in triples]   # keyed once: a big change has thousands
    held = graphs_holding(store, triples, keys)
    added, removed, gone, seen = [], [], set(), set()
    n = len(changeset.additions)
    for t, k in zip(changeset.additions, keys[:n]):
        if k not in seen and g not in held.get(k, ()):
            added.append(t)
        seen.add(k)
    for t, k in zip(changeset.removals, keys[n:]):
        if k not in seen and g in held.get(k, ()):
            removed.append(t)
            if held[k] - {g, str(HISTORY_GRAPH)} == set():
                gone.add(k)
        seen.add(k)
    return Effect(added, removed, gone)


# ---------------------------------------------------------------------------------------
# the commit

_write_locks: "weakref.WeakKeyDictionary[Store, threading.Lock]" = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def write_lock(store: Store) -> threading.Lock:
    """Serialises this process's commits to one embedded store, whose engine does not
    isolate concurrent read-check-write updates (a server's writers claim versions instead)."""
    with _locks_guard:
        return _write_locks.setdefault(store, threading.Lock())


VERSION_IS_BASE = ("OPTIONAL { GRAPH $history { $graph qf:version ?current } } "
                   "BIND(COALESCE(?current, 0) AS ?v) FILTER(?v = $base)")

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
                  claim: "Claim | None" = None) -> str:
    """The one SPARQL update request: data change, history record, version bump; each
    operation applies only while the graph is still at version `base`. With a `claim`
    (graph/claims.py) the first operation grants the commit (the graph at `base`, the
    server's clock before the claim's deadline), the others apply only to a granted claim,
    and the request ends by removing the claim, whether the rest applied or not."""
    values = {
        "history": HISTORY_GRAPH, "graph": URIRef(changeset.graph), "base": base,
        "version": base + 1, "changeset": URIRef(iri), "agent": URIRef(agent_iri(changeset.agent)),
        "agentName": Literal(changeset.agent.strip()), "message": Literal(changeset.message),
        "started": _now_literal(started), "ended": _now_literal(datetime.now(timezone.utc)),
        "addedCount": counts[0] if counts else len(effect.added),
        "removedCount": counts[1] if counts else len(effect.removed),
        "added": Literal(ntriples(effect.added)), "removed": Literal(ntriples(effect.removed)),
        "rulesChecked": rules_checked,
    }
    record = _RECORD_UPDATE
    if reverts:
        values["reverts"] = URIRef(reverts)
    else:
        record = record.replace("  $changeset qf:reverts $reverts .\n", "")
    if not data_in_request:  # a bulk load wrote the data itself; its diff is not kept
        record = record.replace("    qf:added $added ;\n    qf:removed $removed ;\n", "")
    text = bind("", values)  # the PREFIX header
    version_is_base = bind(VERSION_IS_BASE, values, prefixes=False)
    if claim:  # decided once, in the first operation (Claim.grant_update)
        text += claim.grant_update(changeset.graph, version_is_base) + " ;\n"
    where = " WHERE { " + version_is_base + (claim.granted(changeset.graph) if claim else "") + " }"
    if data_in_request and (effect.added or effect.removed):
        # data lines are already-checked N-Triples terms: joined, never passed through `bind`
        # (a `$` inside a literal must stay text)
        # (an empty template block is left out: Virtuoso refuses `GRAPH <g> { }`)
        for head, triples in ((_DATA_DELETE, effect.removed), (_DATA_INSERT, effect.added)):
            if triples:
                text += (bind(head, values, prefixes=False) + " ".join(ntriple(t) for t in triples)
                         + _DATA_CLOSE)
        text += where + " ;\n"
    text += bind(record, values, prefixes=False) + where
    return text + (" ;\n" + claim.release_update() if claim else "")


def _now_literal(when: datetime) -> Literal:
    return Literal(when.isoformat(timespec="microseconds"), datatype=XSD.dateTime)


def recorded(store: Store, changeset_iri: str) -> bool:
    return store.ask(bind("ASK { GRAPH $history { $cs a qf:Changeset } }",
                          {"history": HISTORY_GRAPH, "cs": URIRef(changeset_iri)}))


def new_changeset_iri() -> str:
    return CHANGESET_BASE + uuid.uuid4().hex


def commit(store: Store, changeset: Changeset, *, reverts: str | None = None) -> CommitResult:
    """Validate the affected focus nodes against store + change, then commit atomically.

    Raises Rejected (a Violation; nothing written) or VersionConflict (the graph moved on).
    Without an expected version the change is validated against the version it reads and
    retried if another writer commits in between.
    """
    from qfgraph.graph.gate import check  # the gate needs the shapes; imported when first used
    attempts = 1 if changeset.expected_version is not None else 5
    for _ in range(attempts):
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
        if store.kind == "embedded":  # one process: its lock orders its writers
            with write_lock(store):
                store.update(commit_update(changeset, effect, base, iri, started, reverts=reverts))
        else:
            _commit_claimed(store, changeset, effect, base, iri, started, reverts)
        if recorded(store, iri):
            return CommitResult(iri, changeset.graph, base + 1, len(effect.added),
                                len(effect.removed), report)
        actual = graph_version(store, changeset.graph)
        if actual == base:  # a server's commit that came after its claim's deadline
            from qfgraph.graph.claims import GraphBusy
            raise GraphBusy(changeset.graph, base, "kept its version: the commit reached the server "
                                                   "after its claim's deadline")
        if expected is not None:
            raise VersionConflict(changeset.graph, expected, actual)
    raise VersionConflict(changeset.graph, base, graph_version(store, changeset.graph))


def _commit_claimed(store: Store, changeset: Changeset, effect: Effect, base: int, iri: str,
                    started: datetime, reverts: str | None) -> None:
    """The commit on a server: claim version base+1, then the commit request, which removes
    the claim. Nothing is sent when the version has moved on (the caller sees it unrecorded)."""
    from qfgraph.graph.claims import CLAIM_WINDOW, claim_margin, claim_versions
    claim = claim_versions(store, {changeset.graph: base}, CLAIM_WINDOW,
                           claim_margin(len(effect.added) + len(effect.removed)))
    if claim is None:
        return
    try:
        store.update(commit_update(changeset, effect, base, iri, started, reverts=reverts, claim=claim))
    except BaseException:
        claim.release(store)
        raise
