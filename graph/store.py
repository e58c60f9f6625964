"""The store interface of qfgraph and its embedded implementation on pyoxigraph.

Everything above the store speaks SPARQL and rdflib terms and never asks which kind of
store it has. Two ways out: rows of terms (`select`, `ask`, `construct`) for code inside
qfgraph, and results serialized by the engine itself (`query_serialized`) for `/sparql`.
"""
from __future__ import annotations

import io
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from qfgraph.graph.sparql import check_iri


class StoreError(Exception):
    """The store cannot be opened or used (locked, unreachable, failing)."""


class QuerySyntaxError(ValueError):
    """A SPARQL query or update that does not parse; the message is the parser's."""


class LoadError(ValueError):
    """An RDF file that cannot be loaded; names the file and, where known, the line."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        where = f"{source}:{line}: " if source and line else (f"{source}: " if source else "")
        super().__init__(where + message)
        self.source, self.line = source, line


@dataclass(frozen=True)
class RdfFormatInfo:
    name: str
    ox_format: ox.RdfFormat
    extensions: tuple[str, ...]
    media_type: str

    @property
    def has_graphs(self) -> bool:
        return self.ox_format.supports_datasets


RDF_FORMATS: dict[str, RdfFormatInfo] = {
    f.name: f for f in (
        RdfFormatInfo("turtle", ox.RdfFormat.TURTLE, ("ttl", "turtle"), "text/turtle"),
        RdfFormatInfo("ntriples", ox.RdfFormat.N_TRIPLES, ("nt",), "application/n-triples"),
        RdfFormatInfo("nquads", ox.RdfFormat.N_QUADS, ("nq",), "application/n-quads"),
        RdfFormatInfo("trig", ox.RdfFormat.TRIG, ("trig",), "application/trig"),
        RdfFormatInfo("rdfxml", ox.RdfFormat.RDF_XML, ("rdf", "owl", "xml"), "application/rdf+xml"),
        RdfFormatInfo("jsonld", ox.RdfFormat.JSON_LD, ("jsonld", "json"), "application/ld+json"),
    )
}

RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}

# Bulk loading writes SST files directly: fastest for big files, not transactional, so the
# file is parsed once beforehand to make sure nothing is written when it is malformed.
BULK_THRESHOLD_BYTES = 20 * 1024 * 1024


def rdf_format(name: str | None = None, path: str | os.PathLike | None = None) -> RdfFormatInfo:
    """The format named, or guessed from the file extension; a clear error otherwise."""
    if name:
        key = name.lower().replace("-", "").replace("_", "").replace("/", "")
        aliases = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "xml": "rdfxml", "json": "jsonld"}
        key = aliases.get(key, key)
        if key not in RDF_FORMATS:
            raise LoadError(f"unknown RDF format {name!r}; use one of: {', '.join(RDF_FORMATS)}")
        return RDF_FORMATS[key]
    suffix = Path(path or "").suffix.lower().lstrip(".")
    for info in RDF_FORMATS.values():
        if suffix in info.extensions:
            return info
    raise LoadError(
        f"cannot tell the RDF format from the extension {('.' + suffix) if suffix else '(none)'!r}; "
        f"name it with --format ({', '.join(RDF_FORMATS)})", source=str(path) if path else None)


# ---------------------------------------------------------------------------------------
# term conversion between pyoxigraph and rdflib

def to_rdflib(t) -> Node | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        datatype = t.datatype.value
        return Literal(t.value) if datatype == str(XSD.string) else Literal(t.value, datatype=datatype)
    raise TypeError(f"unsupported term {t!r}")


def to_oxigraph(t: Node):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(f"unsupported term {t!r}")


# ---------------------------------------------------------------------------------------

class Store(ABC):
    """What qfgraph needs of a triple store. Queries see the union of all named graphs."""

    kind: str = "abstract"

    @abstractmethod
    def select(self, query: str) -> list[dict[str, Node]]:
        """Rows of a SELECT as dicts of rdflib terms (unbound variables are absent)."""

    @abstractmethod
    def ask(self, query: str) -> bool: ...

    @abstractmethod
    def construct(self, query: str) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE, as an rdflib Graph."""

    @abstractmethod
    def query_serialized(self, query: str, media_type: str, default_graphs: list[str] | None = None,
                         named_graphs: list[str] | None = None) -> tuple[bytes, str, str]:
        """Run any query and serialize the result with the engine itself.

        `media_type` is the preferred result type: a SPARQL results type for SELECT / ASK, an
        RDF type for CONSTRUCT / DESCRIBE. Returns (body, media type used, query form).
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update atomically."""

    @abstractmethod
    def load(self, source: str | os.PathLike | bytes, format: RdfFormatInfo, graph: str | None,
             progress=None) -> int:
        """Load RDF into a named graph (triple formats) or its own graphs (quad formats)
        atomically: a file that fails to parse leaves nothing behind. Returns the quad count."""

    @abstractmethod
    def export(self, format: RdfFormatInfo, graph: str | None = None, output=None) -> bytes | None:
        """Serialize one graph or all (quad formats keep graph names)."""

    @abstractmethod
    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph."""

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class EmbeddedStore(Store):
    """pyoxigraph.Store in a directory (RocksDB) or in memory (path None)."""

    kind = "embedded"

    def __init__(self, path: str | os.PathLike | None = None, read_only: bool = False):
        self.path = str(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(self.path)
            else:
                os.makedirs(self.path, exist_ok=True)
                self._store = ox.Store(self.path)
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreError(
                    f"the store directory {self.path} is in use by another process "
                    "(stop it, or use another --store)") from None
            raise StoreError(f"cannot open the store directory {self.path}: {e}") from None

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store, for benchmarks and tests of this class only."""
        return self._store

    # -- queries ------------------------------------------------------------------------

    def _query(self, query: str, default_graphs=None, named_graphs=None):
        kwargs = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(check_iri(g)) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(check_iri(g)) for g in named_graphs]
        try:
            return self._store.query(query, **kwargs)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from None
        except OSError as e:
            raise StoreError(f"the embedded store failed: {e}") from None

    def select(self, query: str) -> list[dict[str, Node]]:
        result = self._query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise QuerySyntaxError("expected a SELECT query")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for i, name in enumerate(names):
                value = solution[i]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return rows

    def ask(self, query: str) -> bool:
        result = self._query(query)
        if not isinstance(result, ox.QueryBoolean):
            raise QuerySyntaxError("expected an ASK query")
        return bool(result)

    def construct(self, query: str) -> Graph:
        result = self._query(query)
        if not isinstance(result, ox.QueryTriples):
            raise QuerySyntaxError("expected a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in result:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def query_serialized(self, query, media_type, default_graphs=None, named_graphs=None):
        result = self._query(query, default_graphs, named_graphs)
        if isinstance(result, ox.QueryTriples):
            info = next((f for f in RDF_FORMATS.values() if f.media_type == media_type),
                        RDF_FORMATS["turtle"])
            return ox.serialize(result, format=info.ox_format), info.media_type, "graph"
        fmt = RESULT_MEDIA_TYPES.get(media_type, ox.QueryResultsFormat.JSON)
        form = "boolean" if isinstance(result, ox.QueryBoolean) else "bindings"
        try:
            body = result.serialize(format=fmt)
        except OSError as e:
            raise StoreError(f"the embedded store failed: {e}") from None
        return body, fmt.media_type, form

    # -- writes -------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from None
        except OSError as e:
            raise StoreError(f"the embedded store failed: {e}") from None

    def load(self, source, format, graph=None, progress=None) -> int:
        to_graph = ox.NamedNode(check_iri(graph)) if graph else None
        if to_graph is None and not format.has_graphs:
            raise LoadError("a named graph is required for triples (use --graph IRI)")
        name = str(source) if not isinstance(source, bytes) else "<input>"
        count = check_parses(source, format, progress)
        size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
        kwargs = {"format": format.ox_format}
        if to_graph is not None:
            kwargs["to_graph"] = to_graph
        try:
            if size >= BULK_THRESHOLD_BYTES and self.path is not None:
                with _reader(source, progress, "loading", size) as f:
                    self._store.bulk_load(input=f, **kwargs)
            elif isinstance(source, bytes):
                self._store.load(input=source, **kwargs)
            else:
                self._store.load(path=str(source), **kwargs)
        except SyntaxError as e:
            raise LoadError(getattr(e, "msg", str(e)), name, getattr(e, "lineno", None)) from None
        except OSError as e:
            raise StoreError(f"the embedded store failed while loading {name}: {e}") from None
        return count

    def export(self, format, graph=None, output=None):
        if graph:
            g = ox.NamedNode(check_iri(graph))
            if format.has_graphs:
                quads = self._store.quads_for_pattern(None, None, None, g)
                return ox.serialize(quads, output, format=format.ox_format)
            return self._store.dump(output, format=format.ox_format, from_graph=g)
        if format.has_graphs:
            return self._store.dump(output, format=format.ox_format)
        # a triple format for the whole store: the union of the graphs
        triples = (q.triple for q in self._store.quads_for_pattern(None, None, None, None))
        return ox.serialize(triples, output, format=format.ox_format)

    def graph_sizes(self) -> dict[str, int]:
        rows = self._store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        return {row[0].value: int(row[1].value) for row in rows}

    def close(self) -> None:
        if getattr(self, "_store", None) is not None:
            try:
                self._store.flush()
            except OSError:
                pass
            del self._store
            self._store = None


class _reader:
    """A binary reader over a path or bytes that reports bytes read to a progress callback."""

    def __init__(self, source, progress, label: str, size: int):
        self.source, self.progress, self.label, self.size = source, progress, label, size

    def __enter__(self):
        raw = io.BytesIO(self.source) if isinstance(self.source, bytes) else open(self.source, "rb")
        self._raw = raw
        if self.progress is None:
            return raw
        bar = self.progress(self.label, self.size)
        self._bar = bar

        class Counting(io.RawIOBase):
            def readable(self):
                return True

            def readinto(self, b):
                n = raw.readinto(b)
                bar(n or 0)
                return n

        return io.BufferedReader(Counting(), buffer_size=1 << 20)

    def __exit__(self, *exc):
        self._raw.close()
        if getattr(self, "_bar", None) is not None:
            self._bar(None)


def check_parses(source: str | os.PathLike | bytes, format: RdfFormatInfo, progress=None) -> int:
    """Parse once without writing; count quads; raise LoadError naming file and line."""
    name = str(source) if not isinstance(source, bytes) else "<input>"
    size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
    count = 0
    try:
        with _reader(source, progress, "checking", size) as f:
            for _ in ox.parse(input=f, format=format.ox_format):
                count += 1
    except SyntaxError as e:
        raise LoadError(getattr(e, "msg", None) or str(e), name, getattr(e, "lineno", None)) from None
    except ValueError as e:
        raise LoadError(str(e), name) from None
    return count


def quads_of(store: Store, graph: str) -> Iterable[tuple[Node, Node, Node]]:
    """The triples of one named graph, as rdflib terms (small graphs: tests and shapes)."""
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }} }}")
    return [(r["s"], r["p"], r["o"]) for r in rows]
