"""Installing the reference data (ontology, frameworks) and the demo graph into a store."""
from __future__ import annotations

from qfgraph.ontology import REFERENCE_GRAPHS, demo_graphs
from qfgraph.graph.sparql import check_iri
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.stores import Store


def _replace_graph(store: Store, graph: str, path) -> int:
    # Replacing (not adding to) the graph is what makes `init` idempotent.
    store.update(f"DROP SILENT GRAPH <{check_iri(graph)}>")
    return store.load(path, RDF_FORMATS["turtle"], graph)


def install_reference(store: Store) -> dict[str, int]:
    """Load the ontology and the reference frameworks; running it again changes nothing."""
    return {graph: _replace_graph(store, graph, path) for graph, path in REFERENCE_GRAPHS}


def install_demo(store: Store) -> dict[str, int]:
    """The reference data plus the illustrative demo graph (one graph per country)."""
    counts = install_reference(store)
    for graph, path in demo_graphs():
        counts[graph] = _replace_graph(store, graph, path)
    return counts
