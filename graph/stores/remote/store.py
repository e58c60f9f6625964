"""The remote store: any SPARQL 1.1 Query + Update endpoint, over HTTP with SPARQLWrapper.

This is how a deployment outgrows one machine: the store is an engine the institution
already runs (Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune) and the API processes in
front of it hold no state. What differs between engines is in `engines`, where to find the
server in `config`, the HTTP side in `http`, mended values in `values`, loads in `loads`.
Every failure is a StoreError naming the endpoint.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
from contextlib import contextmanager

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from qfgraph.graph.errors import LoadError, QuerySyntaxError, StoreError
from qfgraph.graph.formats import RDF_FORMATS, RESULT_MEDIA_TYPES, graph_format_for, rdf_format_of_media
from qfgraph.graph.sparql import check_iri
from qfgraph.graph.stores.base import PreparedLoad, Store, to_rdflib
from qfgraph.graph.stores.claims import CLAIM_WINDOW, claim_margin, claim_versions
from qfgraph.graph.stores.remote.config import RemoteConfig
from qfgraph.graph.stores.remote.engines import ENGINES, EPOCH_QUERY, Engine, engine_from_server_header, epoch_update
from qfgraph.graph.stores.remote.http import Answer, Connection, query_form, query_separator
from qfgraph.graph.stores.remote.loads import by_graph, canonical, insert_data, load_timeout
from qfgraph.graph.stores.remote.values import fix_durations, json_term, seconds_durations
from qfgraph.graph.stores.claims import WriteTurn

NTRIPLES, NQUADS = RDF_FORMATS["ntriples"], RDF_FORMATS["nquads"]


class RemoteStore(Store):
    """A SPARQL 1.1 server behind the Store interface."""

    def __init__(self, config: RemoteConfig | str):
        self.config = RemoteConfig.parse(config) if isinstance(config, str) else config
        self._engine = ENGINES[self.config.engine] if self.config.engine else None
        if self._engine:
            self.config = self.config.resolved(self._engine)
        self.http = Connection(self.config)
        self._lock = threading.Lock()

    def __repr__(self):
        return f"SPARQL store {self.config.query}"

    @property
    def engine(self) -> Engine:
        """The engine, recognised from the first answer of the server (and then kept)."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    answer = self._send_query("ASK {}", "application/sparql-results+json", union=False)
                    engine = engine_from_server_header(answer.server)
                    self.config = self.http.config = self.config.resolved(engine)
                    self._engine = engine
        return self._engine

    # -- reads ----------------------------------------------------------------------------

    def _send_query(self, query: str, accept: str, union: bool = True, default_graphs=None,
                    named_graphs=None) -> Answer:
        if union and not self.engine.snapshot_reads:
            return self._consistent(lambda: self._send_one(query, accept, union, default_graphs, named_graphs))
        return self._send_one(query, accept, union, default_graphs, named_graphs)

    def _consistent(self, read):
        """A read that saw one committed state: the write epoch was the same before and after
        it (on engines whose queries read each row as last committed, not one snapshot)."""
        for _ in range(20):
            before = self._epochs()
            answer = read()
            if self._epochs() == before:
                return answer
            time.sleep(0.01)
        raise StoreError(f"the SPARQL store at {self.config.query} kept changing during the query; "
                         "try again")

    def _epochs(self) -> set[str]:
        answer = self._send_one(EPOCH_QUERY, "application/sparql-results+json", False, None, None)
        # (Virtuoso may answer an empty result as one row without bindings)
        return {b["e"]["value"] for b in json.loads(answer.body)["results"]["bindings"] if "e" in b}

    def _send_one(self, query: str, accept: str, union: bool, default_graphs, named_graphs) -> Answer:
        request = self.http.request(self.config.query, query)
        request.addCustomHttpHeader("Accept", accept)
        for g in default_graphs or ():
            request.addParameter("default-graph-uri", check_iri(g))
        for g in named_graphs or ():
            request.addParameter("named-graph-uri", check_iri(g))
        if union and not default_graphs:
            for name, value in self.engine.union_params:
                request.addParameter(name, value)
        return self.http.call("query", self.config.query, lambda: request.query().response, retry=True)

    def select(self, query: str, union: bool = True) -> list[dict[str, Node]]:
        """Rows of a SELECT. `union=False` for a query that reads only graphs it names
        (GRAPH <iri>) and needs no single committed state (the version claims): sent as it
        is, without the union default graph or (Virtuoso) the epoch check around it."""
        data = self._results_json(query, union)
        if "boolean" in data:
            raise QuerySyntaxError("expected a SELECT query")
        fix = self.engine.numeric_durations
        return [{name: json_term(value, fix) for name, value in row.items()}
                for row in data["results"]["bindings"]]

    def ask(self, query: str) -> bool:
        data = self._results_json(query)
        if "boolean" not in data:
            raise QuerySyntaxError("expected an ASK query")
        return bool(data["boolean"])

    def _results_json(self, query: str, union: bool = True) -> dict:
        if query_form(query) == "graph":
            raise QuerySyntaxError("expected a SELECT or ASK query")
        answer = self._send_query(query, "application/sparql-results+json", union=union)
        try:
            return json.loads(answer.body)
        except ValueError:
            raise StoreError(f"the SPARQL store at {self.config.query} answered with something that is "
                             f"not SPARQL JSON results ({answer.media_type})") from None

    def construct(self, query: str) -> Graph:
        if query_form(query) != "graph":
            raise QuerySyntaxError("expected a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in self._triples(query):
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def _triples(self, query: str):
        answer = self._send_query(query, "application/n-triples")
        triples = ox.parse(answer.body, format=self._graph_format(answer.media_type).ox_format)
        return fix_durations(triples) if self.engine.numeric_durations else triples

    def _graph_format(self, media_type: str):
        info = rdf_format_of_media(media_type)
        if info is None:
            raise StoreError(f"the SPARQL store at {self.config.query} answered a graph query in "
                             f"{media_type!r}, which qfgraph does not read")
        return info

    def query_serialized(self, query, media_type, default_graphs=None, named_graphs=None):
        form = query_form(query)
        if form == "graph":
            info = graph_format_for(media_type)
            answer = self._send_query(query, info.media_type, default_graphs=default_graphs,
                                      named_graphs=named_graphs)
            if answer.media_type == info.media_type:
                return answer.body, info.media_type, form
            triples = ox.parse(answer.body, format=self._graph_format(answer.media_type).ox_format)
            return ox.serialize(triples, format=info.ox_format), info.media_type, form
        wanted = media_type if media_type in RESULT_MEDIA_TYPES else "application/sparql-results+json"
        fmt = RESULT_MEDIA_TYPES[wanted]
        native = self.engine.result_types
        ask_for = wanted if native is None or wanted in native else native[0]
        answer = self._send_query(query, ask_for, default_graphs=default_graphs, named_graphs=named_graphs)
        if answer.media_type == wanted:
            return answer.body, fmt.media_type, form
        # the engine answered in another results format: convert with the embedded engine
        got = RESULT_MEDIA_TYPES.get(answer.media_type)
        if got is None:
            raise StoreError(f"the SPARQL store at {self.config.query} answered in {answer.media_type!r}, "
                             "not a SPARQL results format")
        results = ox.parse_query_results(answer.body, format=got)
        return results.serialize(format=fmt), fmt.media_type, form

    # -- writes ---------------------------------------------------------------------------

    def update(self, sparql: str, epoch: bool = True) -> None:
        """Send one update request. `epoch=False` for an update that changes nothing a query
        of the data reads (the version claims): it leaves Virtuoso's write epoch alone."""
        self.engine  # resolves the update endpoint
        if self.engine.numeric_durations:
            sparql = seconds_durations(sparql)
        if epoch and not self.engine.snapshot_reads:
            sparql = sparql.rstrip().rstrip(";") + "\n;\n" + epoch_update()
        request = self.http.request(self.config.update, sparql)
        if not request.isSparqlUpdateRequest():
            # SPARQLWrapper recognises updates by their first keyword; force the update road
            request.queryType = "INSERT"
        self.http.call("update", self.config.update, lambda: request.query().response, retry=False)

    @contextmanager
    def writing(self, versions, seconds=0.0, changed=0):
        """A server need not serialise concurrent updates: the writer claims the next version
        of each graph first (graph/stores/claims.py); the commit request (or the end of the
        turn) removes the claim."""
        claim = claim_versions(self, versions, CLAIM_WINDOW + seconds, claim_margin(changed))
        if claim is None:
            yield WriteTurn(moved=True)
            return
        try:
            yield WriteTurn(claim)
        except BaseException:
            claim.release(self)
            raise
        if not claim.released_in_request:
            claim.release(self)

    def prepare_load(self, source, format, graph=None, progress=None) -> PreparedLoad:
        """A file parsed and made ready to send (nothing sent): a bulk load claims the
        graphs it names before it sends it (graph/changes/loading.py)."""
        to_graph = ox.NamedNode(check_iri(graph)) if graph else None
        if to_graph is None and not format.has_graphs:
            raise LoadError("a named graph is required for triples (use --graph IRI)")
        name = str(source) if not isinstance(source, bytes) else "<input>"
        # what is sent is canonical N-Triples / N-Quads, which every server reads
        body, count, graphs = canonical(source, format, to_graph, name, progress)
        return PreparedLoad(body, count, format, graph, name, graphs or ({graph} if graph else set()),
                            load_timeout(self.config.timeout, body))

    def send_load(self, prepared: PreparedLoad) -> int:
        """One Graph Store Protocol request (one per graph where the engine's GSP takes one
        graph at a time), or one INSERT DATA without a GSP."""
        body, format, to_graph, name = prepared.source, prepared.format, prepared.to_graph, prepared.name
        engine = self.engine
        if not format.has_graphs and self.config.gsp:
            self._gsp_post(self._gsp_graph_url(to_graph), body, NTRIPLES, name)
        elif format.has_graphs and self.config.gsp and engine.gsp_datasets:
            self._gsp_post(self.config.gsp, body, NQUADS, name)
        elif format.has_graphs and self.config.gsp:
            # a GSP that takes one graph at a time (Virtuoso): each graph whole, in turn
            for g, triples in by_graph(body).items():
                if g is None:
                    raise LoadError("the default graph cannot be loaded into this server: "
                                    "name the graph (--graph IRI)", name)
                self._gsp_post(self._gsp_graph_url(g), triples, NTRIPLES, name)
        else:
            self.update(insert_data(body, format.has_graphs, ox.NamedNode(to_graph) if to_graph else None))
        return prepared.count

    def _gsp_graph_url(self, graph: str) -> str:
        return self.config.gsp + query_separator(self.config.gsp) + "graph=" + urllib.parse.quote(graph, safe="")

    def _gsp_post(self, url: str, body: bytes, info, name: str) -> None:
        self.http.post(f"load of {name}", url, body, info.media_type, load_timeout(self.config.timeout, body))

    # -- reading whole graphs -------------------------------------------------------------

    def graph_sizes(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        return {str(r["g"]): int(r["n"]) for r in rows if not self.engine.is_system_graph(str(r["g"]))}

    def _graph_triples(self, graph: str):
        return self._triples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }} }}")

    def export(self, format, graph=None, output=None):
        graphs = [graph] if graph else list(self.graph_sizes())
        if format.has_graphs:
            items = (ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                     for g in graphs for t in self._graph_triples(g))
        else:
            items = (t for g in graphs for t in self._graph_triples(g))
        return ox.serialize(items, output, format=format.ox_format)
