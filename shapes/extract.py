"""The rdflib graph an extract is validated on: built once, then only read.

rdflib's Memory store keeps, for every triple, the graphs (contexts) holding it and tells
listeners of every addition; for an extract of some thousand triples that bookkeeping costs
more than the SHACL Core rules read from it. `ExtractStore` keeps the three indexes only.
"""
from __future__ import annotations

from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory

_NO_CONTEXTS = ()


class ExtractStore(SimpleMemory):
    """An in-memory rdflib store of one graph: subject, predicate and object indexes (the
    object index built on first use), no contexts, no events. Prefixes are SimpleMemory's
    (the report's qualified names)."""

    # pySHACL wraps the data graph in an rdflib Dataset, which requires a context-aware and
    # graph-aware store; the extract is one graph, its own and only context
    context_aware = True
    graph_aware = True

    def __init__(self):
        super().__init__()
        self._spo: dict = {}
        self._pos: dict = {}
        self._osp_index: dict | None = None   # built when first asked for (SHACL rarely is)
        self._size = 0

    def add(self, triple, context=None, quoted=False) -> None:
        self.fill((triple,))

    def fill(self, triples) -> None:
        """Add many triples (the loop of `add`, without a call per triple)."""
        spo, pos, size = self._spo, self._pos, self._size
        for s, p, o in triples:
            objects = spo.setdefault(s, {}).setdefault(p, {})
            if o in objects:
                continue
            objects[o] = None
            pos.setdefault(p, {}).setdefault(o, {})[s] = None
            size += 1
        self._size, self._osp_index = size, None

    def remove(self, triple_pattern, context=None) -> None:
        raise TypeError("an extract is read-only once built")

    def triples(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        if s is not None:
            by_p = self._spo.get(s)
            if not by_p:
                return
            if p is not None:
                objects = by_p.get(p, ())
                if o is not None:
                    if o in objects:
                        yield (s, p, o), _NO_CONTEXTS
                else:
                    for x in objects:
                        yield (s, p, x), _NO_CONTEXTS
            elif o is not None:
                for x in self._osp.get(o, {}).get(s, ()):
                    yield (s, x, o), _NO_CONTEXTS
            else:
                for x, objects in by_p.items():
                    for y in objects:
                        yield (s, x, y), _NO_CONTEXTS
        elif p is not None:
            by_o = self._pos.get(p)
            if not by_o:
                return
            if o is not None:
                for x in by_o.get(o, ()):
                    yield (x, p, o), _NO_CONTEXTS
            else:
                for y, subjects in by_o.items():
                    for x in subjects:
                        yield (x, p, y), _NO_CONTEXTS
        elif o is not None:
            for x, predicates in self._osp.get(o, {}).items():
                for y in predicates:
                    yield (x, y, o), _NO_CONTEXTS
        else:
            for x, by_p in self._spo.items():
                for y, objects in by_p.items():
                    for z in objects:
                        yield (x, y, z), _NO_CONTEXTS

    def __len__(self, context=None) -> int:
        return self._size

    def close(self, commit_pending_transaction: bool = False) -> None:
        """Drop the indexes: pySHACL's objects hold a validated graph in reference cycles,
        which leave the extract to the cyclic collector (late, and at the cost of a full
        collection) unless its owner closes it when done."""
        self._spo, self._pos, self._osp_index, self._size = {}, {}, None, 0

    @property
    def _osp(self) -> dict:
        if self._osp_index is None:
            osp: dict = {}
            for s, by_p in self._spo.items():
                for p, objects in by_p.items():
                    for o in objects:
                        osp.setdefault(o, {}).setdefault(s, {})[p] = None
            self._osp_index = osp
        return self._osp_index

    def contexts(self, triple=None):
        return iter(())

    def add_graph(self, graph) -> None:
        pass

    def remove_graph(self, graph) -> None:
        raise TypeError("an extract is read-only once built")


def extract_graph(triples=()) -> Graph:
    """A new graph on an `ExtractStore`, holding `triples` (terms as rdflib makes them)."""
    graph = Graph(store=ExtractStore())
    graph.store.fill(triples)
    return graph
