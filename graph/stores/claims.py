"""Version claims: how writers on a SPARQL server agree on who writes the next version of a graph.

A server applies each update request whole and answers only once it is committed, but it need
not serialise two concurrent requests: Oxigraph server evaluates each update on its own
snapshot without write-write conflict detection, Virtuoso reads committed rows. So two commits
conditioned on the same version can both apply. Before committing, a writer on a server
therefore claims the next version of each graph it writes, in three requests:

1. claim: one update inserts a claim (a fresh random IRI, the server's NOW(), a lease) for
   version base+1 of the graph, conditioned inside that update on the graph being at base;
2. check: one query reads the claims on the graph. If ours is the only live one, we go on;
   else we withdraw ours and, while the graph is still at base, claim again after a short
   random backoff (for at most CLAIM_WAIT seconds: then GraphBusy);
3. commit: the write's own update checks the version inside the request (as always), also
   that the server's clock is still before our deadline (claimed at + window), and removes
   our claim whether it applied or not. Its first operation makes that decision and marks
   our claim granted; the data and the version record apply only where the mark is, so the
   clock is read once per request.

Why two writers cannot both commit on the same version: say A's claim was committed before
B's. B reads the claims after its own insert was committed, so after A's; it goes on only if
A's claim was gone or expired by then. Gone means A withdrew (A does not commit with it) or
A's commit request removed it, and then that request was committed before B's check, hence
before B's commit request began: B's version check sees A's new version and B writes nothing.
Expired means the server's clock passed A's lease (window + margin): A's commit could only
apply if it began before the deadline (window) and was still being applied `margin` seconds
later. Each request is atomic and, once answered, visible to every later request; nothing
more is assumed of the server (checked against Oxigraph server and Virtuoso by the tests).

Claims are bookkeeping, not data: their updates leave Virtuoso's write epoch alone and their
read goes without the epoch check (a read of committed claim rows is all the argument needs),
and they are kept out of graph sizes and exports.

A writer that dies between 1 and 3 leaves its claim: it is ignored once its lease has passed
(30 s for a changeset) and removed by the next writer that sees it.
"""
from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from qfgraph.graph.sparql import bind
from qfgraph.graph.stores.versions import VERSION_IS_BASE, VersionConflict, graph_version
from qfgraph.ontology.namespaces import HISTORY_GRAPH, QFG

CLAIMS_GRAPH = QFG + "system/claims"
CLAIM_BASE = QFG + "claim/"
CLAIM_WINDOW = 10.0  # seconds (server clock) from a claim until its commit must have begun
CLAIM_MARGIN = 20.0  # seconds a commit request may take once begun, before its claim expires
CLAIM_WAIT = 30.0  # seconds a writer keeps trying while other writers' claims are live
TRIPLES_PER_SECOND = 5000  # a server applies at least this many changed triples a second


class GraphBusy(VersionConflict):
    """Another writer kept a live claim on the graph: nothing was written; try again shortly."""

    def __init__(self, graph: str, version: int,
                 why: str = "is being written: another writer holds a live claim on it"):
        super().__init__(graph, version, version)
        Exception.__init__(self, f"graph {graph} {why}; nothing was written: try again shortly")


@dataclass
class Claim:
    """Our live claims (one per graph) and the server time by which the commit must begin."""

    nodes: dict[str, URIRef]
    deadline: Literal
    stale: list[URIRef] = field(default_factory=list)  # expired claims of others, removed with ours
    released_in_request: bool = False  # a commit request built with release_update removes them

    def grant_update(self, graph: str, version_is_base: str) -> str:
        """The first operation of the commit request: it grants the commit when the graph is
        at its base version (`version_is_base`, a bound pattern) and the server's clock is
        before the deadline. The clock is read here only: were every operation to compare it
        with the deadline, one passing between two of them would let the data in without
        its version."""
        values = {"claims": URIRef(CLAIMS_GRAPH), "claim": self.nodes[graph], "deadline": self.deadline}
        return (bind("INSERT { GRAPH $claims { $claim a qf:GrantedClaim } } WHERE { ", values, prefixes=False)
                + version_is_base + bind(" FILTER(NOW() < $deadline) }", values, prefixes=False))

    def granted(self, graph: str) -> str:
        """A pattern for the WHERE of the commit's other operations: the commit was granted."""
        return bind(" GRAPH $claims { $claim a qf:GrantedClaim }",
                    {"claims": URIRef(CLAIMS_GRAPH), "claim": self.nodes[graph]}, prefixes=False)

    def release_update(self) -> str:
        """Operations removing our claims (and the stale ones seen): whole or nothing of them;
        the request that carries them releases the claim (or fails, and then it is released
        by the writer's turn)."""
        self.released_in_request = True
        return release_update(list(self.nodes.values()) + self.stale)

    def only(self, graph: str) -> "Claim":
        """The claim on one graph (its release leaves the others' claims in place)."""
        return Claim({graph: self.nodes[graph]}, self.deadline)

    def release(self, store) -> None:
        """Remove what is left of our claims; quietly (a writer that cannot reach the server
        leaves them to expire)."""
        _release_quietly(store, list(self.nodes.values()) + self.stale)


_CLAIM = ("INSERT { GRAPH $claims { $claim a qf:VersionClaim ; qf:claimedGraph $graph ; "
          "qf:claimedVersion $version ; qf:claimedAt ?now ; qf:claimLease $lease } } "
          "WHERE { " + VERSION_IS_BASE + " BIND(NOW() AS ?now) }")

_CLAIMS_ON = ("SELECT ?claim ?graph ?at ?lease (NOW() AS ?now) WHERE { VALUES ?graph { $graphs } "
              "GRAPH $claims { ?claim qf:claimedGraph ?graph ; qf:claimedAt ?at ; qf:claimLease ?lease } }")

_RELEASE = "DELETE WHERE { GRAPH $claims { $claim ?p ?o } }"


def release_update(claims: list[URIRef]) -> str:
    return " ;\n".join(bind(_RELEASE, {"claims": URIRef(CLAIMS_GRAPH), "claim": c}, prefixes=False)
                       for c in claims)


def claim_margin(changed_triples: int) -> float:
    """Seconds a commit of that many triples may take on the server once begun."""
    return CLAIM_MARGIN + changed_triples / TRIPLES_PER_SECOND


def claim_versions(store, versions: dict[str, int], window: float = CLAIM_WINDOW,
                   margin: float = CLAIM_MARGIN) -> Claim | None:
    """Claim version base+1 of each graph (`versions`: graph → base) for this writer alone.

    None when a graph is no longer at its base version (nothing claimed); GraphBusy when
    other writers' claims stayed live for CLAIM_WAIT seconds. The commit must begin within
    `window` seconds and be applied within `margin` seconds more.
    """
    give_up = time.monotonic() + CLAIM_WAIT
    for attempt in range(1000):
        nodes = {g: URIRef(CLAIM_BASE + uuid.uuid4().hex) for g in versions}
        try:
            store.update(_claim_update(versions, nodes, window + margin), epoch=False)
            rows = store.select(bind(_CLAIMS_ON, {"claims": URIRef(CLAIMS_GRAPH),
                                                  "graphs": [URIRef(g) for g in versions]}), union=False)
        except BaseException:
            _release_quietly(store, list(nodes.values()))
            raise
        mine, busy, stale = _sort_claims(rows, nodes)
        if len(mine) == len(nodes) and not busy:
            at = min(mine.values())
            return Claim(nodes, Literal((at + timedelta(seconds=window)).isoformat(),
                                        datatype=XSD.dateTime), stale)
        store.update(release_update(list(nodes.values()) + stale), epoch=False)  # withdraw
        if len(mine) < len(nodes) and any(graph_version(store, g) != v for g, v in versions.items()):
            return None
        if time.monotonic() > give_up:
            graph = busy[0] if busy else next(iter(versions))
            raise GraphBusy(graph, versions[graph])
        time.sleep(random.uniform(0.5, 1.5) * min(1.0, 0.02 * 2 ** attempt))
    raise AssertionError("unreachable")


def _claim_update(versions: dict[str, int], nodes: dict[str, URIRef], lease: float) -> str:
    return bind("", {}) + " ;\n".join(
        bind(_CLAIM, {"claims": URIRef(CLAIMS_GRAPH), "history": HISTORY_GRAPH, "claim": nodes[g],
                      "graph": URIRef(g), "base": base, "version": base + 1,
                      "lease": int(lease + 1)}, prefixes=False)
        for g, base in versions.items())


def _sort_claims(rows, nodes: dict[str, URIRef]):
    """(our claims by graph with their time, graphs others hold live claims on, expired claims
    of others), as the server's clock says (the same query read it)."""
    ours = {c: g for g, c in nodes.items()}
    mine: dict[str, datetime] = {}
    busy: list[str] = []
    stale: list[URIRef] = []
    for r in rows:
        claim, graph = URIRef(r["claim"]), str(r["graph"])
        at, now = r["at"].toPython(), r["now"].toPython()
        lease = int(r["lease"])
        try:
            live = now < at + timedelta(seconds=lease)
        except TypeError:  # not a dateTime, or naive against aware: not one of ours
            live = False
        if claim in ours:
            if live:
                mine[graph] = at
        elif live:
            busy.append(graph)
        else:
            stale.append(claim)
    return mine, busy, stale


def _release_quietly(store, claims: list[URIRef]) -> None:
    try:
        store.update(release_update(claims), epoch=False)
    except Exception:  # noqa: BLE001 - unreachable server: the claims expire by themselves
        pass


@dataclass
class WriteTurn:
    """A writer's turn on some graphs (Store.writing): the claim its request carries on a
    SPARQL server (None where a lock orders the writers), or `moved`: a graph is no longer at
    the version the write is based on, so nothing may be sent."""
    claim: Claim | None = None
    moved: bool = False
