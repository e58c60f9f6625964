"""Reusing a stacking situation between lookups while the graph stays the same.

Reading a situation (a few queries and a few thousand rows at scale) is half of a lookup. A
SituationCache keeps the situations of recent lookups together with the versions of every named
graph when they were read (one small query on the history graph). Every write through the
write gate (`commit`, `qfgraph load`, the HTTP service) bumps a version, so the next lookup
reads the situation again. Writes that bypass the gate (a bare Store.update or Store.load) are
not seen: give a cache only where every write goes through the gate.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

from qfgraph.graph.sparql import bind
from qfgraph.graph.stacking.model import Learner, Situation
from qfgraph.graph.stores import Store
from qfgraph.ontology import HISTORY_GRAPH

VERSIONS = "SELECT ?g ?v WHERE { GRAPH $history { ?g qf:version ?v } }"


def versions(store: Store) -> frozenset[tuple[str, str]]:
    """(graph, version) of every graph a changeset ever wrote to."""
    return frozenset((str(r["g"]), str(r["v"])) for r in store.select(bind(VERSIONS, {"history": HISTORY_GRAPH})))


class SituationCache:
    """The last `size` situations per store, each with the graph versions it was read at.
    Safe to share between threads."""

    def __init__(self, size: int = 256):
        self.size = size
        self.hits = self.misses = 0
        self._stores: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def situation(self, store: Store, target: str, learner: Learner,
                read: Callable[[Store, str, Learner], Situation]) -> Situation:
        """The situation for `target` and `learner`: kept while no graph version changed, else
        read again with `read(store, target, learner)`."""
        key = (target, tuple(learner.held), tuple(learner.claims))
        now = versions(store)
        with self._lock:
            entries = self._stores.setdefault(store, OrderedDict())
            kept = entries.get(key)
            if kept is not None and kept[0] == now:
                entries.move_to_end(key)
                self.hits += 1
                return kept[1]
            self.misses += 1
        situation = read(store, target, learner)
        with self._lock:
            entries[key] = (now, situation)
            entries.move_to_end(key)
            while len(entries) > self.size:
                entries.popitem(last=False)
        return situation
