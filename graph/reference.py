"""Installing the reference data (ontology, frameworks) and the demo graph into a store."""
from __future__ import annotations

from qfgraph.ontology import REFERENCE_GRAPHS, demo_graphs
from qfgraph.graph.sparql import check_iri
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.stores import Store


def _replace_graphs(store: Store, files) -> dict[str, int]:
    """Each graph emptied once, then loaded from its files [(graph, path)]. Replacing (not adding
    to) a graph is what makes `init` idempotent; graphs not named are never touched, so an
    existing store keeps its own data and gains what the reference data gained."""
    counts: dict[str, int] = {}
    for graph, path in files:
        if graph not in counts:
            store.update(f"DROP SILENT GRAPH <{check_iri(graph)}>")
            counts[graph] = 0
        counts[graph] += store.load(path, RDF_FORMATS["turtle"], graph)
    return counts


def install_reference(store: Store) -> dict[str, int]:
    """Load the ontology and the reference frameworks; running it again changes nothing."""
    return _replace_graphs(store, REFERENCE_GRAPHS)


def install_demo(store: Store) -> dict[str, int]:
    """The reference data plus the illustrative demo graph (one graph per country)."""
    return {**install_reference(store), **_replace_graphs(store, demo_graphs())}
