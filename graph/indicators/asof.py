"""The graph as it stood at a past date, rebuilt from the changeset history: the published
union now, with every changeset accepted after that day undone, newest first (its added
triples taken out, its removed ones put back), in a store of its own in memory, where the
same indicator queries run."""
from __future__ import annotations

from contextlib import contextmanager

from rdflib.term import Node

from qfgraph.graph.changes.history import changes_after
from qfgraph.graph.changes.changeset import ntriples
from qfgraph.graph.errors import Conflict
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.stores import EmbeddedStore, Store
from qfgraph.ontology.namespaces import GRAPH

AS_OF_GRAPH = str(GRAPH["as-of"])
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def union_on(store: Store, day: str, changes: list[dict]) -> set[tuple[Node, Node, Node]]:
    """The triples of the published union as they stood at the end of `day`."""
    triples = set(store.construct(_UNION))
    for change in changes:
        if not change["diff"]:
            raise Conflict(f"the graph as of {day} cannot be rebuilt: {change['changeset']} "
                           f"({change['time'][:19]}, {change['graph']}) is a bulk load recorded "
                           "without its triples; choose a date after it")
        triples.difference_update(change["added"])
        triples.update(change["removed"])
    return triples


@contextmanager
def graph_on(store: Store, day: str | None):
    """`store` itself when nothing changed after `day` (or no day is given), else an
    in-memory store holding the union as it stood then."""
    changes = changes_after(store, day) if day else []
    if not changes:
        yield store
        return
    past = EmbeddedStore(None)
    text = ntriples(union_on(store, day, changes)).encode("utf-8")
    past.load(text, RDF_FORMATS["ntriples"], AS_OF_GRAPH)
    try:
        yield past
    finally:
        past.close()
