"""Loads into a SPARQL server: the file parsed here first (a malformed one is reported with its
line and nothing is sent), then sent as canonical N-Triples / N-Quads, which every server reads:
by the Graph Store Protocol where the engine has one, else as one INSERT DATA."""
from __future__ import annotations

import io
import os

import pyoxigraph as ox

from qfgraph.graph.errors import LoadError
from qfgraph.graph.formats import RdfFormatInfo
from qfgraph.graph.stores.base import ProgressReader


def load_timeout(timeout: float, body: bytes) -> float:
    """A big file takes the server a while to write in one transaction: a second per MB more."""
    return timeout + len(body) / 1e6


def canonical(source, format: RdfFormatInfo, to_graph, name: str, progress) -> tuple[bytes, int, set[str]]:
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
        with ProgressReader(source, progress, "checking", size) as f:
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


def by_graph(nquads: bytes) -> dict[str | None, bytes]:
    """N-Quads split into N-Triples per graph (None: the default graph)."""
    parts: dict[str | None, list[str]] = {}
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        key = None if q.graph_name == ox.DefaultGraph() else q.graph_name.value
        parts.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .\n")
    return {g: "".join(lines).encode() for g, lines in parts.items()}


def insert_data(body: bytes, quads: bool, to_graph) -> str:
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
