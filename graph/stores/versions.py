"""Graph versions: every named graph written through qfgraph has a version in the history
graph (`<graph> qf:version N`), bumped by each changeset in the same request as its data.
Writers compare it with the version their change was based on, inside the request."""
from __future__ import annotations

from rdflib import URIRef

from qfgraph.graph.errors import Conflict
from qfgraph.graph.sparql import bind
from qfgraph.ontology.namespaces import HISTORY_GRAPH

# a pattern (with $history, $graph, $base bound) that holds while the graph is at version $base
VERSION_IS_BASE = ("OPTIONAL { GRAPH $history { $graph qf:version ?current } } "
                   "BIND(COALESCE(?current, 0) AS ?v) FILTER(?v = $base)")


class VersionConflict(Conflict):
    """The graph is no longer at the version the writer expected; nothing was written."""

    def __init__(self, graph: str, expected: int, actual: int):
        self.graph, self.expected, self.actual = graph, expected, actual
        super().__init__(f"graph {graph} is at version {actual}, not {expected} as expected: "
                         "someone else wrote to it; read it again and retry")


def graph_version(store, graph: str) -> int:
    """The version of a named graph: 0 when no changeset ever wrote to it."""
    rows = store.select(bind("SELECT ?v WHERE { GRAPH $history { $graph qf:version ?v } }",
                             {"history": HISTORY_GRAPH, "graph": URIRef(graph)}))
    return max((int(r["v"]) for r in rows), default=0)
