"""The embedded store: pyoxigraph.Store in a directory (RocksDB: transactional, fast), or in
memory for tests and demos. One process owns a directory; it serves many threads."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from qfgraph.graph.errors import LoadError, QuerySyntaxError, StoreError
from qfgraph.graph.formats import RESULT_MEDIA_TYPES, RdfFormatInfo, graph_format_for
from qfgraph.graph.sparql import check_iri
from qfgraph.graph.stores.base import PreparedLoad, ProgressReader, Store, to_rdflib
from qfgraph.graph.stores.claims import WriteTurn

# Bulk loading writes SST files directly: fastest for big files, not transactional, so the
# file is parsed once beforehand to make sure nothing is written when it is malformed, and it
# is used only into graphs that are empty (graph/changes/loading.py undoes an interrupted one
# by clearing them); into a graph that holds data, a big file is loaded in one transaction.
BULK_THRESHOLD_BYTES = 20 * 1024 * 1024


class EmbeddedStore(Store):
    """pyoxigraph.Store in a directory (RocksDB) or in memory (path None)."""

    def __init__(self, path: str | os.PathLike | None = None, read_only: bool = False):
        self.path = str(path) if path is not None else None
        # its engine does not isolate concurrent read-check-write updates: this process's
        # writers take turns (the store directory is this process's alone)
        self._write_lock = threading.Lock()
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
            if any(words in str(e) for words in _FULL):
                raise StoreError(f"the disk holding the store {self.path} is full: the store cannot be "
                                 f"opened for writing; free some space and try again ({e})") from None
            raise StoreError(f"cannot open the store directory {self.path}: {e}") from None

    def __repr__(self):
        return f"embedded store {self.path}" if self.path else "in-memory embedded store"

    @property
    def oxigraph(self) -> ox.Store:
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
            info = graph_format_for(media_type)
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
            raise store_failed(e, self.path) from None

    @contextmanager
    def writing(self, versions, seconds=0.0, changed=0):
        with self._write_lock:
            yield WriteTurn()

    def prepare_load(self, source, format, graph=None, progress=None) -> PreparedLoad:
        if graph is None and not format.has_graphs:
            raise LoadError("a named graph is required for triples (use --graph IRI)")
        name = str(source) if not isinstance(source, bytes) else "<input>"
        count, graphs = check_parses(source, format, progress)
        graphs |= {graph} if graph else set()
        size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
        bulk = (size >= BULK_THRESHOLD_BYTES and self.path is not None
                and not any(self._holds(g) for g in graphs))
        return PreparedLoad(source, count, format, check_iri(graph) if graph else None, name,
                            graphs, progress=progress, atomic=not bulk)

    def _holds(self, graph: str) -> bool:
        return bool(self._store.query(f"ASK {{ GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }} }}"))

    def send_load(self, prepared: PreparedLoad) -> int:
        source, name = prepared.source, prepared.name
        kwargs = {"format": prepared.format.ox_format}
        if prepared.to_graph is not None:
            kwargs["to_graph"] = ox.NamedNode(prepared.to_graph)
        before = self._bulk_files() if not prepared.atomic else set()
        try:
            if not prepared.atomic:
                size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
                with ProgressReader(source, prepared.progress, "loading", size) as f:
                    self._store.bulk_load(input=f, **kwargs)
            elif isinstance(source, bytes):
                self._store.load(input=source, **kwargs)
            else:
                self._store.load(path=str(source), **kwargs)
        except SyntaxError as e:
            raise LoadError(getattr(e, "msg", str(e)), name, getattr(e, "lineno", None)) from None
        except OSError as e:
            if not prepared.atomic:
                self._remove_bulk_files(before)
            raise store_failed(e, self.path, f" while loading {name}") from None
        return prepared.count

    def _bulk_files(self) -> set[str]:
        return {f for f in os.listdir(self.path) if f.startswith("bulk-") and f.endswith(".sst")}

    def _remove_bulk_files(self, before: set[str]) -> None:
        """The files a failed bulk load was writing (never part of the store yet)."""
        for f in self._bulk_files() - before:
            try:
                os.remove(os.path.join(self.path, f))
            except OSError:
                pass

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


# what the engine says when the filesystem refuses to grow a file (ENOSPC, EFBIG)
_FULL = ("No space left on device", "File too large", "Disk quota exceeded")


def store_failed(e: OSError, path: str | None, doing: str = "") -> StoreError:
    """The engine's I/O error as a StoreError; a full disk said in so many words."""
    if any(words in str(e) for words in _FULL):
        return StoreError(f"the disk holding the store {path} is full{doing}: nothing was written; "
                          f"free some space and try again ({e})")
    return StoreError(f"the embedded store failed{doing}: {e}")


def check_parses(source: str | os.PathLike | bytes, format: RdfFormatInfo, progress=None) -> tuple[int, set[str]]:
    """Parse once without writing: the quad count and the named graphs of the quads; raise
    LoadError naming file and line."""
    name = str(source) if not isinstance(source, bytes) else "<input>"
    size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
    count, graphs, last = 0, set(), None
    try:
        with ProgressReader(source, progress, "checking", size) as f:
            for quad in ox.parse(input=f, format=format.ox_format):
                count += 1
                g = quad.graph_name
                if g is not last and isinstance(g, ox.NamedNode):
                    graphs.add(g.value)
                    last = g
    except SyntaxError as e:
        raise LoadError(getattr(e, "msg", None) or str(e), name, getattr(e, "lineno", None)) from None
    except ValueError as e:
        raise LoadError(str(e), name) from None
    return count, graphs
