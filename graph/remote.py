"""The remote store: any SPARQL 1.1 Query + Update endpoint, over HTTP with SPARQLWrapper.

This is how a deployment outgrows one machine: the store is an engine the institution
already runs (Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune) and the API processes in
front of it hold no state. Engines differ in small ways; an `Engine` describes one of them
(where its update and Graph Store Protocol endpoints live, how its default graph is made the
union of the named graphs, which graphs are its own). The engine is told (`engine=`) or
recognised from the `Server` header of its first answer.

Reads are retried with backoff when the server is unreachable or overloaded; writes are not
(an update whose answer was lost may have been applied), unless the server answered that it
rolled the request back as a deadlock victim. Every failure is a StoreError naming the endpoint.
"""
from __future__ import annotations

import http.client
import io
import json
import os
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from dataclasses import dataclass, field, replace

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

from qfgraph.graph.claims import CLAIMS_GRAPH
from qfgraph.graph.sparql import check_iri
from qfgraph.ontology.namespaces import QF, QFG
from qfgraph.graph.store import (
    RDF_FORMATS, RESULT_MEDIA_TYPES, LoadError, QuerySyntaxError, RdfFormatInfo, Store, StoreError,
    _reader, to_rdflib,
)

AUTH_KINDS = ("basic", "digest", "bearer")
RETRYABLE_STATUS = {502, 503, 504}
# A transaction the server rolled back as a deadlock victim (SQLSTATE 40001; Virtuoso's SR172
# when concurrent writers take the version claims): nothing of it was applied, so even a write
# is sent again, a few times.
ROLLED_BACK = re.compile(r"[^:]{0,40}\b40001\b")
ROLLBACK_RETRIES = 5
NTRIPLES, NQUADS = RDF_FORMATS["ntriples"], RDF_FORMATS["nquads"]
XSD_DURATION = str(XSD.duration)

# The write epoch (engines without snapshot reads): a token every update replaces.
EPOCH_GRAPH = QFG + "system/epoch"
EPOCH_QUERY = f"SELECT ?e WHERE {{ GRAPH <{EPOCH_GRAPH}> {{ <{EPOCH_GRAPH}> <{QF}epoch> ?e }} }}"


def epoch_update() -> str:
    return (f"DELETE WHERE {{ GRAPH <{EPOCH_GRAPH}> {{ <{EPOCH_GRAPH}> <{QF}epoch> ?e }} }} ;\n"
            f'INSERT DATA {{ GRAPH <{EPOCH_GRAPH}> {{ <{EPOCH_GRAPH}> <{QF}epoch> "{uuid.uuid4().hex}" }} }}')


# ---------------------------------------------------------------------------------------
# engines

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


# ---------------------------------------------------------------------------------------
# configuration

@dataclass(frozen=True)
class RemoteConfig:
    """Where the store is and how to talk to it.

    Written on the command line as a bare query URL (`http://host:7878/query`), or as
    comma-separated `key=value` pairs: query, update, gsp, engine, auth, user, password,
    token, timeout, retries. Credentials are better kept in the environment
    (QFGRAPH_SPARQL_USER / _PASSWORD / _TOKEN / _AUTH) than on a command line.
    """

    query: str
    update: str | None = None
    gsp: str | None = None
    engine: str | None = None
    auth: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    retries: int = 3

    KEYS = ("query", "update", "gsp", "engine", "auth", "user", "password", "token", "timeout", "retries")
    ENV = {"query": "QFGRAPH_SPARQL_QUERY_URL", "update": "QFGRAPH_SPARQL_UPDATE_URL",
           "gsp": "QFGRAPH_SPARQL_GSP_URL", "engine": "QFGRAPH_SPARQL_ENGINE",
           "auth": "QFGRAPH_SPARQL_AUTH", "user": "QFGRAPH_SPARQL_USER",
           "password": "QFGRAPH_SPARQL_PASSWORD", "token": "QFGRAPH_SPARQL_TOKEN",
           "timeout": "QFGRAPH_SPARQL_TIMEOUT", "retries": "QFGRAPH_SPARQL_RETRIES"}

    @classmethod
    def parse(cls, spec: str, environ=os.environ) -> "RemoteConfig":
        """A bare URL or `key=value,...`; missing credentials come from the environment."""
        spec = spec.strip()
        if looks_like_url(spec):
            values = {"query": spec}
        else:
            values = {}
            for part in filter(None, (p.strip() for p in spec.split(","))):
                key, eq, value = part.partition("=")
                key = key.strip().lower()
                if not eq or key not in cls.KEYS:
                    raise StoreError(f"bad store setting {part!r}: use key=value with a key among "
                                     f"{', '.join(cls.KEYS)}")
                values[key] = value.strip()
        for key in ("auth", "user", "password", "token", "engine", "timeout", "retries"):
            if key not in values and environ.get(cls.ENV[key]):
                values[key] = environ[cls.ENV[key]]
        return cls.build(values)

    @classmethod
    def from_env(cls, environ=os.environ) -> "RemoteConfig | None":
        """The store named by QFGRAPH_SPARQL_* variables, or None when the query URL is unset."""
        values = {k: environ[v] for k, v in cls.ENV.items() if environ.get(v)}
        return cls.build(values) if "query" in values else None

    @classmethod
    def build(cls, values: dict) -> "RemoteConfig":
        if "query" not in values:
            raise StoreError("a remote store needs query=URL")
        for key in ("query", "update", "gsp"):
            if values.get(key) and not looks_like_url(values[key]):
                raise StoreError(f"{key}={values[key]!r} is not an http(s) URL")
        auth = (values.get("auth") or ("bearer" if values.get("token") else
                                       "basic" if values.get("user") else "")).lower() or None
        if auth and auth not in AUTH_KINDS:
            raise StoreError(f"auth={auth!r}: use one of {', '.join(AUTH_KINDS)}")
        if auth in ("basic", "digest") and not (values.get("user") and values.get("password") is not None):
            raise StoreError(f"auth={auth} needs user= and password= (or QFGRAPH_SPARQL_USER/_PASSWORD)")
        if auth == "bearer" and not values.get("token"):
            raise StoreError("auth=bearer needs token= (or QFGRAPH_SPARQL_TOKEN)")
        engine = values.get("engine")
        if engine and engine not in ENGINES:
            raise StoreError(f"engine={engine!r}: use one of {', '.join(ENGINES)}")
        try:
            timeout = float(values.get("timeout", 60))
            retries = int(values.get("retries", 3))
        except ValueError:
            raise StoreError("timeout= takes seconds and retries= a count") from None
        return cls(query=values["query"], update=values.get("update"), gsp=values.get("gsp"),
                   engine=engine, auth=auth, user=values.get("user"), password=values.get("password"),
                   token=values.get("token"), timeout=timeout, retries=retries)

    def resolved(self, engine: Engine) -> "RemoteConfig":
        """Fill in the update and GSP endpoints the engine has next to the query endpoint."""
        authed = self.auth in ("basic", "digest")
        sibling = lambda path: urllib.parse.urljoin(self.query, path) if path else None
        update = self.update or sibling(engine.update_path_auth if authed else engine.update_path) or self.query
        gsp = self.gsp or sibling(engine.gsp_path_auth if authed else engine.gsp_path)
        return replace(self, update=update, gsp=gsp, engine=engine.name)


def looks_like_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


# ---------------------------------------------------------------------------------------
# HTTP

class _Request(SPARQLWrapper):
    """SPARQLWrapper building the request; our opener sending it (per-store authentication,
    no global urllib state, the HTTP status kept for a precise error)."""

    def __init__(self, endpoint: str, opener: urllib.request.OpenerDirector, timeout: float):
        super().__init__(endpoint, updateEndpoint=endpoint)
        self._opener, self._timeout = opener, timeout

    def _query(self):
        return self._opener.open(self._createRequest(), timeout=self._timeout), self.returnFormat


@dataclass
class PreparedLoad:
    body: bytes  # canonical N-Triples or N-Quads
    count: int
    format: RdfFormatInfo
    to_graph: "ox.NamedNode | None"
    name: str
    graphs: set[str]  # the named graphs it writes to
    seconds: float  # how long the server may take to write it


def load_timeout(timeout: float, body: bytes) -> float:
    """A big file takes the server a while to write in one transaction: a second per MB more."""
    return timeout + len(body) / 1e6


@dataclass
class _Answer:
    body: bytes
    media_type: str
    server: str | None


class RemoteStore(Store):
    """A SPARQL 1.1 server behind the Store interface."""

    kind = "remote"

    def __init__(self, config: RemoteConfig | str):
        self.config = RemoteConfig.parse(config) if isinstance(config, str) else config
        self._engine = ENGINES[self.config.engine] if self.config.engine else None
        if self._engine:
            self.config = self.config.resolved(self._engine)
        self._local = threading.local()
        self._lock = threading.Lock()

    def __repr__(self):
        return f"RemoteStore({self.config.query})"

    # -- connection ----------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The engine, recognised from the first answer of the server (and then kept)."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    answer = self._send_query("ASK {}", "application/sparql-results+json", union=False)
                    engine = engine_from_server_header(answer.server)
                    self.config = self.config.resolved(engine)
                    self._engine = engine
        return self._engine

    def _opener(self) -> urllib.request.OpenerDirector:
        # One opener per thread: urllib's digest handler keeps per-request counters.
        opener = getattr(self._local, "opener", None)
        if opener is None:
            handlers = []
            if self.config.auth in ("basic", "digest"):
                passwords = urllib.request.HTTPPasswordMgrWithPriorAuth() if self.config.auth == "basic" \
                    else urllib.request.HTTPPasswordMgrWithDefaultRealm()
                # the whole server: the update and GSP endpoints may be learned later
                for url in {_server_root(u) for u in (self.config.query, self.config.update,
                                                      self.config.gsp) if u}:
                    if self.config.auth == "basic":
                        passwords.add_password(None, url, self.config.user, self.config.password,
                                               is_authenticated=True)
                    else:
                        passwords.add_password(None, url, self.config.user, self.config.password)
                handler = urllib.request.HTTPBasicAuthHandler if self.config.auth == "basic" \
                    else urllib.request.HTTPDigestAuthHandler
                handlers.append(handler(passwords))
            opener = urllib.request.build_opener(*handlers)
            if self.config.auth == "bearer":
                opener.addheaders.append(("Authorization", f"Bearer {self.config.token}"))
            self._local.opener = opener
        return opener

    def _wrapper(self, endpoint: str) -> _Request:
        wrapper = _Request(endpoint, self._opener(), self.config.timeout)
        wrapper.setMethod(POST)
        # URL-encoded forms: every server takes them (Virtuoso 7 hangs on a direct
        # application/sparql-query body)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format=json parameters: the Accept header decides
        return wrapper

    def _call(self, what: str, endpoint: str, send, retry: bool, timeout: float | None = None) -> _Answer:
        """Send, retrying reads with backoff, and any request the server says it rolled back
        (nothing of it applied); turn every failure into an error naming the endpoint."""
        retries = max(self.config.retries, 0) if retry else 0
        attempt = rollbacks = 0
        while True:
            try:
                response = send()
                with response:
                    media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                    return _Answer(response.read(), media, response.headers.get("Server"))
            except urllib.error.HTTPError as e:
                detail = _error_text(e)
                if e.code >= 500 and ROLLED_BACK.match(detail) and rollbacks < ROLLBACK_RETRIES:
                    rollbacks += 1
                    time.sleep(random.uniform(0.5, 1.5) * 0.02 * 2 ** rollbacks)
                    continue
                if e.code in RETRYABLE_STATUS and attempt < retries:
                    time.sleep(0.1 * 2 ** attempt)
                    attempt += 1
                    continue
                raise self._http_error(what, endpoint, e.code, detail) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
                reason = getattr(e, "reason", e)
                if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                    raise StoreError(f"the SPARQL store at {endpoint} did not answer the {what} within "
                                     f"{timeout or self.config.timeout:g} s") from None
                if attempt < retries:
                    time.sleep(0.1 * 2 ** attempt)
                    attempt += 1
                    continue
                raise StoreError(f"the SPARQL store at {endpoint} is unreachable ({what}): {reason}") from None

    def _http_error(self, what: str, endpoint: str, status: int, detail: str) -> Exception:
        if status == 400:
            return QuerySyntaxError(f"{detail} (from {endpoint})")
        if status in (401, 403):
            return StoreError(f"the SPARQL store at {endpoint} refused the {what} (HTTP {status}): "
                              f"check the credentials (user=, password=, auth=, token=). {detail}")
        if "SR186" in detail or "SPARQL_UPDATE" in detail or "No permission" in detail:
            # Virtuoso: the anonymous SPARQL user lacks the SPARQL_UPDATE role.
            return StoreError(f"the SPARQL store at {endpoint} refused the {what}: no permission to "
                              "write. On Virtuoso, use /sparql-auth with user= and password= "
                              f"(auth=digest), or grant SPARQL_UPDATE to the SPARQL user. {detail}")
        return StoreError(f"the SPARQL store at {endpoint} failed the {what} (HTTP {status}): {detail}")

    def _send_query(self, query: str, accept: str, union: bool = True, default_graphs=None,
                    named_graphs=None) -> _Answer:
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

    def _send_one(self, query: str, accept: str, union: bool, default_graphs, named_graphs) -> _Answer:
        wrapper = self._wrapper(self.config.query)
        _set_query(wrapper, query)
        wrapper.addCustomHttpHeader("Accept", accept)
        for g in default_graphs or ():
            wrapper.addParameter("default-graph-uri", check_iri(g))
        for g in named_graphs or ():
            wrapper.addParameter("named-graph-uri", check_iri(g))
        if union and not default_graphs:
            for name, value in self.engine.union_params:
                wrapper.addParameter(name, value)
        return self._call("query", self.config.query, lambda: wrapper.query().response, retry=True)

    def _query_form(self, query: str) -> str:
        wrapper = SPARQLWrapper("http://unused.invalid/")
        _set_query(wrapper, query)
        return {"ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(wrapper.queryType, "bindings")

    # -- queries --------------------------------------------------------------------------

    def select(self, query: str, union: bool = True) -> list[dict[str, Node]]:
        """Rows of a SELECT. `union=False` for a query that reads only graphs it names
        (GRAPH <iri>) and needs no single committed state (the version claims): sent as it
        is, without the union default graph or (Virtuoso) the epoch check around it."""
        data = self._results_json(query, union)
        if "boolean" in data:
            raise QuerySyntaxError("expected a SELECT query")
        fix = self.engine.numeric_durations
        return [{name: _json_term(value, fix) for name, value in row.items()}
                for row in data["results"]["bindings"]]

    def ask(self, query: str) -> bool:
        data = self._results_json(query)
        if "boolean" not in data:
            raise QuerySyntaxError("expected an ASK query")
        return bool(data["boolean"])

    def _results_json(self, query: str, union: bool = True) -> dict:
        if self._query_form(query) == "graph":
            raise QuerySyntaxError("expected a SELECT or ASK query")
        answer = self._send_query(query, "application/sparql-results+json", union=union)
        try:
            return json.loads(answer.body)
        except ValueError:
            raise StoreError(f"the SPARQL store at {self.config.query} answered with something that is "
                             f"not SPARQL JSON results ({answer.media_type})") from None

    def construct(self, query: str) -> Graph:
        if self._query_form(query) != "graph":
            raise QuerySyntaxError("expected a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in self._triples(query):
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def _triples(self, query: str):
        answer = self._send_query(query, "application/n-triples")
        triples = ox.parse(answer.body, format=_rdf_format_of(answer.media_type, self.config.query).ox_format)
        return _fix_durations(triples) if self.engine.numeric_durations else triples

    def query_serialized(self, query, media_type, default_graphs=None, named_graphs=None):
        form = self._query_form(query)
        if form == "graph":
            info = next((f for f in RDF_FORMATS.values() if f.media_type == media_type), RDF_FORMATS["turtle"])
            answer = self._send_query(query, info.media_type, default_graphs=default_graphs,
                                      named_graphs=named_graphs)
            if answer.media_type == info.media_type:
                return answer.body, info.media_type, form
            got = _rdf_format_of(answer.media_type, self.config.query)
            triples = ox.parse(answer.body, format=got.ox_format)
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
            sparql = _seconds_durations(sparql)
        if epoch and not self.engine.snapshot_reads:
            sparql = sparql.rstrip().rstrip(";") + "\n;\n" + epoch_update()
        wrapper = self._wrapper(self.config.update)
        _set_query(wrapper, sparql)
        if not wrapper.isSparqlUpdateRequest():
            # SPARQLWrapper recognises updates by their first keyword; force the update road
            wrapper.queryType = "INSERT"
        self._call("update", self.config.update, lambda: wrapper.query().response, retry=False)

    def load(self, source, format, graph=None, progress=None) -> int:
        return self.send_load(self.prepare_load(source, format, graph, progress))

    def prepare_load(self, source, format, graph=None, progress=None) -> "PreparedLoad":
        """A file parsed and made ready to send (nothing sent): a bulk load claims the
        graphs it names before it sends it (graph/loading.py)."""
        to_graph = ox.NamedNode(check_iri(graph)) if graph else None
        if to_graph is None and not format.has_graphs:
            raise LoadError("a named graph is required for triples (use --graph IRI)")
        name = str(source) if not isinstance(source, bytes) else "<input>"
        # Parse everything locally first: a malformed file is reported with its line and
        # nothing is sent; what is sent is canonical N-Triples / N-Quads every server reads.
        body, count, graphs = _canonical(source, format, to_graph, name, progress)
        return PreparedLoad(body, count, format, to_graph, name, graphs or ({graph} if graph else set()),
                            load_timeout(self.config.timeout, body))

    def send_load(self, prepared: "PreparedLoad") -> int:
        """Send a prepared load: one Graph Store Protocol request (one per graph where the
        engine's GSP takes one graph at a time), or one INSERT DATA without a GSP."""
        body, format, to_graph, name = prepared.body, prepared.format, prepared.to_graph, prepared.name
        engine = self.engine
        if not format.has_graphs and self.config.gsp:
            self._gsp_post(self._gsp_graph_url(to_graph.value), body, NTRIPLES, name)
        elif format.has_graphs and self.config.gsp and engine.gsp_datasets:
            self._gsp_post(self.config.gsp, body, NQUADS, name)
        elif format.has_graphs and self.config.gsp:
            # a GSP that takes one graph at a time (Virtuoso): each graph whole, in turn
            for g, triples in _by_graph(body).items():
                if g is None:
                    raise LoadError("the default graph cannot be loaded into this server: "
                                    "name the graph (--graph IRI)", name)
                self._gsp_post(self._gsp_graph_url(g), triples, NTRIPLES, name)
        else:
            self.update(_insert_data(body, format.has_graphs, to_graph))
        return prepared.count

    def _gsp_graph_url(self, graph: str) -> str:
        return self.config.gsp + _query_sep(self.config.gsp) + "graph=" + urllib.parse.quote(graph, safe="")

    def _gsp_post(self, url: str, body: bytes, info: RdfFormatInfo, name: str) -> None:
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": info.media_type})
        timeout = load_timeout(self.config.timeout, body)
        self._call(f"load of {name}", url, lambda: self._opener().open(request, timeout=timeout),
                   retry=False, timeout=timeout)

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


# ---------------------------------------------------------------------------------------
# helpers

def _set_query(wrapper: SPARQLWrapper, text: str) -> None:
    # SPARQLWrapper warns when it cannot tell the query form; the server's answer says more
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        wrapper.setQuery(text)


def _error_text(e: urllib.error.HTTPError) -> str:
    try:
        text = e.read().decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    text = " ".join(text.split())
    return (text[:500] + " ...") if len(text) > 500 else (text or e.reason or "")


def _server_root(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _query_sep(url: str) -> str:
    return "&" if "?" in url else "?"


def _rdf_format_of(media_type: str, endpoint: str) -> RdfFormatInfo:
    aliases = {"text/plain": "ntriples", "text/n-triples": "ntriples", "application/x-turtle": "turtle",
               "text/rdf+n3": "turtle", "text/n3": "turtle"}
    for info in RDF_FORMATS.values():
        if info.media_type == media_type:
            return info
    if media_type in aliases:
        return RDF_FORMATS[aliases[media_type]]
    raise StoreError(f"the SPARQL store at {endpoint} answered a graph query in {media_type!r}, "
                     "which qfgraph does not read")


def _iso_duration(seconds: str) -> str | None:
    """Virtuoso stores xsd:duration as a number of seconds ("540000.0"); back to ISO 8601."""
    try:
        total = float(seconds)
    except ValueError:
        return None
    sign, total = ("-", -total) if total < 0 else ("", total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{int(hours)}H" if hours else "", f"{int(minutes)}M" if minutes else "",
             (f"{secs:g}S" if secs else "")]
    return f"{sign}PT{''.join(parts) or '0S'}"


def _duration_fixed(lexical: str, datatype: str | None) -> str:
    if datatype == XSD_DURATION and not lexical.lstrip("-").startswith("P"):
        return _iso_duration(lexical) or lexical
    return lexical


_DURATION_LITERAL = re.compile(r'(?<!\\)"(-?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"'
                               r'\^\^(<http://www\.w3\.org/2001/XMLSchema#duration>|xsd:duration)')


def _seconds_durations(sparql: str) -> str:
    """Update text for Virtuoso, which cannot compile an ISO 8601 duration literal (it fails
    with 'No column PT...') but takes the number of seconds it stores anyway. Day-time
    durations only; one inside an escaped string (\\"...\\") is text and stays as it is."""
    def seconds(m: re.Match) -> str:
        sign, d, h, mi, sec = m.groups()[:5]
        total = int(d or 0) * 86400 + int(h or 0) * 3600 + int(mi or 0) * 60 + float(sec or 0)
        return f'"{sign}{float(total)!r}"^^{m.group(6)}'
    return _DURATION_LITERAL.sub(seconds, sparql)


def _fix_durations(triples):
    """Graph results of Virtuoso, with its numeric durations written as ISO 8601 again."""
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and o.datatype.value == XSD_DURATION:
            fixed = _duration_fixed(o.value, XSD_DURATION)
            if fixed != o.value:
                t = ox.Triple(t.subject, t.predicate, ox.Literal(fixed, datatype=o.datatype))
        yield t


def _json_term(value: dict, fix_durations: bool = False) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if value.get("xml:lang"):
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if not datatype or datatype == str(XSD.string):
        return Literal(value["value"])
    lexical = _duration_fixed(value["value"], datatype) if fix_durations else value["value"]
    return Literal(lexical, datatype=datatype)


def _canonical(source, format: RdfFormatInfo, to_graph, name: str, progress) -> tuple[bytes, int, set[str]]:
    """The file as N-Triples (triple formats) or N-Quads, its statement count and the named
    graphs of its quads; LoadError with the line when it does not parse."""
    graphs: set[str] = set()

    def noting_graphs(quads):
        for q in quads:
            if q.graph_name != ox.DefaultGraph():
                graphs.add(q.graph_name.value)
            yield q
    size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
    out = io.BytesIO()
    try:
        with _reader(source, progress, "checking", size) as f:
            parsed = ox.parse(input=f, format=format.ox_format)
            if format.has_graphs:
                if to_graph is not None:
                    parsed = (q if q.graph_name != ox.DefaultGraph() else
                              ox.Quad(q.subject, q.predicate, q.object, to_graph) for q in parsed)
                ox.serialize(noting_graphs(parsed), out, format=ox.RdfFormat.N_QUADS)
            else:
                ox.serialize(parsed, out, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as e:
        raise LoadError(getattr(e, "msg", None) or str(e), name, getattr(e, "lineno", None)) from None
    except ValueError as e:
        raise LoadError(str(e), name) from None
    body = out.getvalue()
    return body, body.count(b"\n"), graphs


def _by_graph(nquads: bytes) -> dict[str | None, bytes]:
    """N-Quads split into N-Triples per graph (None: the default graph)."""
    parts: dict[str | None, list[str]] = {}
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        key = None if q.graph_name == ox.DefaultGraph() else q.graph_name.value
        parts.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .\n")
    return {g: "".join(lines).encode() for g, lines in parts.items()}


def _insert_data(body: bytes, quads: bool, to_graph) -> str:
    """One INSERT DATA update with the whole file (atomic where there is no GSP to use)."""
    if not quads:
        return f"INSERT DATA {{ GRAPH <{to_graph.value}> {{\n{body.decode()}}} }}"
    by_graph: dict[str, list[str]] = {}
    for q in ox.parse(body, format=ox.RdfFormat.N_QUADS):
        key = "" if q.graph_name == ox.DefaultGraph() else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = [("\n".join(lines) if not g else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
              for g, lines in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
