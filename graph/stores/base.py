"""The store interface of qfgraph, and the conversion of terms between pyoxigraph and rdflib.

Everything above the store speaks SPARQL and rdflib terms and never asks which kind of
store it has. Two ways out: rows of terms (`select`, `ask`, `construct`) for code inside
qfgraph, and results serialized by the engine itself (`query_serialized`) for `/sparql`.
Writers of the same graphs take turns through `writing`: a lock in the embedded store's one
process, version claims on a SPARQL server (graph/stores/claims.py).
"""
from __future__ import annotations

import io
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from qfgraph.graph.formats import RdfFormatInfo
from qfgraph.graph.sparql import check_iri
from qfgraph.graph.stores.claims import WriteTurn


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

@dataclass
class PreparedLoad:
    """A file parsed and ready to send (nothing sent yet): the named graphs it writes, so a
    bulk load can take its turn on them first, and how long the store may take to write it."""
    source: str | os.PathLike | bytes   # what the store sends: the file, or its canonical form
    count: int
    format: RdfFormatInfo
    to_graph: str | None
    name: str
    graphs: set[str] = field(default_factory=set)
    seconds: float = 0.0
    progress: object = field(default=None, repr=False)   # a callback of the bytes written
    atomic: bool = True   # sent in one transaction; else by a bulk loader, into empty graphs only


# Marks of bulk loads sent but not yet recorded as changesets (graph/changes/loading.py)
LOADS_GRAPH = "https://w3id.org/qfgraph/system/loads"


class Store(ABC):
    """What qfgraph needs of a triple store. Queries see the union of all named graphs."""

    #: the pyoxigraph store behind it, when it is one in this process (graph/querying runs
    #: /sparql queries on it directly); None for a SPARQL server
    oxigraph: ox.Store | None = None
    #: its directory, for an embedded store on disk
    path: str | None = None

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
    def writing(self, versions: dict[str, int], seconds: float = 0.0,
                changed: int = 0) -> AbstractContextManager[WriteTurn]:
        """This writer's turn to write the graphs of `versions` (graph → the version its write
        is based on), ordered against every other writer of them: while the context lasts,
        send the write (with the turn's claim, if any, in its request). `seconds`: how long
        sending may take beyond a commit's usual time; `changed`: triples it changes."""

    def prepare_load(self, source: str | os.PathLike | bytes, format: RdfFormatInfo, graph: str | None,
                     progress=None) -> PreparedLoad:
        """Parse a file without writing anything: a clear error (file, line) when it does not
        parse; the graphs it writes to."""
        raise NotImplementedError

    def send_load(self, prepared: PreparedLoad) -> int:
        """Write a prepared load atomically; the quad count."""
        raise NotImplementedError

    def load(self, source: str | os.PathLike | bytes, format: RdfFormatInfo, graph: str | None,
             progress=None) -> int:
        """Load RDF into a named graph (triple formats) or its own graphs (quad formats)
        atomically: a file that fails to parse leaves nothing behind. Returns the quad count."""
        return self.send_load(self.prepare_load(source, format, graph, progress))

    @abstractmethod
    def export(self, format: RdfFormatInfo, graph: str | None = None, output=None) -> bytes | None:
        """Serialize one graph or all (quad formats keep graph names)."""

    @abstractmethod
    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph."""

    def has_interrupted_loads(self) -> bool:
        """A bulk load was cut short (killed, a full disk) before its changesets were
        recorded: graph.finish_interrupted_loads settles it."""
        return self.ask(f"ASK {{ GRAPH <{LOADS_GRAPH}> {{ ?s ?p ?o }} }}")

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class ProgressReader:
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


def quads_of(store: Store, graph: str) -> Iterable[tuple[Node, Node, Node]]:
    """The triples of one named graph, as rdflib terms (small graphs: tests and shapes)."""
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }} }}")
    return [(r["s"], r["p"], r["o"]) for r in rows]
