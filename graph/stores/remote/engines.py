"""SPARQL engines: what differs between servers, as far as qfgraph is concerned.

An `Engine` says where a server's update and Graph Store Protocol endpoints live, how its
default graph is made the union of the named graphs, which graphs are its own, and which of
its answers need mending. The engine is told (`engine=`) or recognised from the `Server`
header of its first answer.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from qfgraph.graph.stores.claims import CLAIMS_GRAPH
from qfgraph.ontology.namespaces import QF, QFG

# The write epoch (engines without snapshot reads): a token every update replaces.
EPOCH_GRAPH = QFG + "system/epoch"
EPOCH_QUERY = f"SELECT ?e WHERE {{ GRAPH <{EPOCH_GRAPH}> {{ <{EPOCH_GRAPH}> <{QF}epoch> ?e }} }}"


def epoch_update() -> str:
    return (f"DELETE WHERE {{ GRAPH <{EPOCH_GRAPH}> {{ <{EPOCH_GRAPH}> <{QF}epoch> ?e }} }} ;\n"
            f'INSERT DATA {{ GRAPH <{EPOCH_GRAPH}> {{ <{EPOCH_GRAPH}> <{QF}epoch> "{uuid.uuid4().hex}" }} }}')


@dataclass(frozen=True)
class Engine:
    """What differs between SPARQL servers, as far as qfgraph is concerned."""

    name: str
    # URL parameters that make the default graph the union of the named graphs
    union_params: tuple[tuple[str, str], ...] = ()
    # endpoints next to the query endpoint (relative URLs), without and with credentials
    update_path: str | None = None
    update_path_auth: str | None = None
    gsp_path: str | None = None
    gsp_path_auth: str | None = None
    # the Graph Store Protocol endpoint takes a whole dataset (N-Quads) without ?graph=
    gsp_datasets: bool = False
    # the engine's own graphs (system data): kept out of graph_sizes, export and cleanup
    system_graphs: tuple[str, ...] = ()
    # results formats the engine writes as SPARQL 1.1 says (None: all); others are converted
    result_types: tuple[str, ...] | None = None
    # a query reads from one snapshot; else (Virtuoso: each row as last committed) every
    # update also changes the write epoch and a read is repeated when the epoch moved under it
    snapshot_reads: bool = True
    # xsd:duration values come back as numbers of seconds (rows and graphs from qfgraph's
    # own reads are given ISO 8601 again; /sparql passes the engine's text through)
    numeric_durations: bool = False

    def is_system_graph(self, iri: str) -> bool:
        return (iri in self.system_graphs or iri == CLAIMS_GRAPH
                or (iri == EPOCH_GRAPH and not self.snapshot_reads))


ENGINES = {
    # Oxigraph keeps a separate default graph; `union-default-graph` queries the union instead.
    "oxigraph": Engine("oxigraph", union_params=(("union-default-graph", ""),),
                       update_path="update", update_path_auth="update", gsp_path="store",
                       gsp_path_auth="store", gsp_datasets=True),
    # Virtuoso's default graph is already the union of all graphs, its own system graphs
    # included (hiding them with `DEFINE input:default-graph-exclude` would break
    # `GRAPH <iri>` patterns in Virtuoso 7.2, so they stay visible to whole-union queries).
    # Updates need the SPARQL_UPDATE role: anonymous /sparql has it only if granted;
    # /sparql-auth and /sparql-graph-crud-auth take digest authentication. Its CSV and TSV
    # results are not SPARQL 1.1's (quoted header, no N-Triples terms).
    "virtuoso": Engine("virtuoso", update_path="sparql", update_path_auth="sparql-auth",
                       gsp_path="sparql-graph-crud", gsp_path_auth="sparql-graph-crud-auth",
                       system_graphs=("http://www.openlinksw.com/schemas/virtrdf#",
                                      "http://www.w3.org/ns/ldp#", "http://localuriqaserver/sparql"),
                       result_types=("application/sparql-results+json", "application/sparql-results+xml"),
                       numeric_durations=True, snapshot_reads=False),
    # Anything else: the server's default graph must be the union (Fuseki: unionDefaultGraph;
    # GraphDB and Neptune do it by default); updates at the query URL unless told otherwise.
    "generic": Engine("generic"),
}


def engine_from_server_header(server: str | None) -> Engine:
    server = (server or "").lower()
    for name in ("oxigraph", "virtuoso"):
        if name in server:
            return ENGINES[name]
    return ENGINES["generic"]
