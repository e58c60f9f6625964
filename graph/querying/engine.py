"""Evaluating a query with the engine and serializing its answer into a writer that counts
bytes and watches the clock: past the result limit the serialization is aborted, so a huge
result is not built in memory either."""
from __future__ import annotations

import time

import pyoxigraph as ox

from qfgraph.graph.errors import InvalidInput, Unavailable
from qfgraph.graph.formats import RESULT_MEDIA_TYPES, graph_format_for
from qfgraph.graph.querying.text import analyse
from qfgraph.ontology.namespaces import PREFIXES


class QueryTimeout(Unavailable):
    """The query ran past its time limit and was stopped."""


class ResultTooLarge(InvalidInput):
    """The result would exceed the size limit; its serialization was aborted."""


class QueryFailed(InvalidInput):
    """A query the engine refused (syntax) or could not evaluate; message is the engine's."""

    def __init__(self, message: str, syntax: bool):
        super().__init__(message)
        self.syntax = syntax


class _CappedWriter:
    """Collects serialized bytes; raises once past `limit` bytes or past `deadline`."""

    def __init__(self, limit: int, deadline: float | None):
        self.parts, self.size, self.limit, self.deadline = [], 0, limit, deadline

    def write(self, chunk) -> int:
        self.size += len(chunk)
        if self.size > self.limit:
            raise ResultTooLarge()
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTimeout()
        self.parts.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        pass


def engine_options(query: str, default_graphs, named_graphs, base_iri: str | None = None) -> dict:
    """What the engine is told besides the query text: the standard prefixes the query uses
    without declaring them (parsing a prefix map costs as much as a small lookup, so a query
    that declares its own is not handed one), the dataset, and the base IRI relative IRIs
    resolve against. Plain values: a worker gets them with the job and need not scan the
    text again."""
    text = analyse(query)
    options: dict = {"base_iri": base_iri} if base_iri else {}
    if undeclared := text.undeclared(PREFIXES):
        options["prefixes"] = undeclared
    if default_graphs:
        options["default_graph"] = list(default_graphs)
    elif not text.uses_from:  # the union of all graphs, unless the query names its dataset
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = list(named_graphs)
    return options


def run_serialized(store: ox.Store, query: str, media_type: str, options: dict,
                   limit: int, deadline: float | None) -> tuple[bytes, str, str]:
    """Evaluate and serialize with the engine; raises QueryFailed, QueryTimeout, ResultTooLarge.
    `options` come from engine_options."""
    kwargs = dict(options)
    for name in ("default_graph", "named_graphs"):
        if name in kwargs:
            kwargs[name] = [ox.NamedNode(g) for g in kwargs[name]]
    try:
        result = store.query(query, **kwargs)
    except SyntaxError as e:
        raise QueryFailed(str(e), syntax=True) from None
    except (OSError, ValueError) as e:
        raise QueryFailed(str(e), syntax=False) from None
    out = _CappedWriter(limit, deadline)
    try:
        if isinstance(result, ox.QueryTriples):
            info = graph_format_for(media_type)
            ox.serialize(result, out, format=info.ox_format)
            return b"".join(out.parts), info.media_type, "graph"
        fmt = RESULT_MEDIA_TYPES.get(media_type, ox.QueryResultsFormat.JSON)
        result.serialize(out, format=fmt)
        return b"".join(out.parts), fmt.media_type, "boolean" if isinstance(result, ox.QueryBoolean) else "bindings"
    except (QueryTimeout, ResultTooLarge):
        raise
    except (OSError, ValueError, RuntimeError) as e:
        # the engine wraps an exception raised by our writer; look for ours underneath
        for cause in (e.__cause__, e.__context__):
            if isinstance(cause, (QueryTimeout, ResultTooLarge)):
                raise cause from None
        if out.size > limit:
            raise ResultTooLarge() from None
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout() from None
        raise QueryFailed(str(e), syntax=False) from None
