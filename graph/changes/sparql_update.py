"""A SPARQL update turned into changesets: the triples it would add to and remove from each
named graph it writes, computed without writing anything.

INSERT DATA and DELETE DATA give their triples directly. DELETE/INSERT ... WHERE and
DELETE WHERE are evaluated as the SPARQL semantics says: the WHERE pattern is run as a
SELECT against the update's dataset, and the templates are instantiated with every
solution. ADD, COPY, MOVE, CLEAR and DROP become the additions and removals they mean.
Each operation of a sequence sees the store as it was before the request (the whole
request is one change, committed all or nothing).

The dataset: qfgraph's default graph, for reading, is the union of the named graphs; for
writing it is the caller's default write graph (`default_graph`). WITH names the graph the
templates write and the WHERE reads; USING / USING NAMED, or the protocol's
using-graph-uri / using-named-graph-uri (never both: `DatasetConflict`), name the graphs the
WHERE reads. Relative IRIs resolve against `base`, the service's base IRI.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate

from qfgraph.graph.errors import InvalidInput, QuerySyntaxError
from qfgraph.graph.querying.text import blank
from qfgraph.graph.sparql import check_iri, term
from qfgraph.graph.stores import quads_of, to_rdflib
from qfgraph.ontology.namespaces import HISTORY_GRAPH, PREFIXES, QFG, sparql_prefixes

_PROLOGUE = re.compile(r"(?i)\b(PREFIX\s+[A-Za-z_][\w.-]*?:\s*<[^>]*>|PREFIX\s+:\s*<[^>]*>|BASE\s+<[^>]*>)")
# a graph no one writes: the empty default graph or named graphs of a dataset that gives none
EMPTY_GRAPH = QFG + "system/empty"
_JSON = "application/sparql-results+json"


@dataclass
class GraphChange:
    """What an update does to one named graph."""
    additions: set = field(default_factory=set)
    removals: set = field(default_factory=set)

    def remove(self, triples) -> None:
        triples = set(triples)
        self.additions -= triples
        self.removals |= triples

    def add(self, triples) -> None:
        triples = set(triples)
        self.removals -= triples
        self.additions |= triples


@dataclass
class UpdatePlan:
    """The change to each graph the update writes (in the order first written, a graph even
    when nothing in it changes: the caller must be allowed to write it), and the default write
    graph when the update wrote to the default graph."""
    changes: dict[str, GraphChange] = field(default_factory=dict)
    default_graph: str | None = None

    def change(self, graph: str) -> GraphChange:
        return self.changes.setdefault(check_iri(graph), GraphChange())


@dataclass(frozen=True)
class UpdateDataset:
    """The dataset the protocol gives (using-graph-uri, using-named-graph-uri)."""
    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


class UnsupportedUpdate(InvalidInput):
    """An update this service cannot turn into a changeset; the message says how to write it."""


class NoDefaultGraph(InvalidInput):
    """The update writes to the default graph and the caller has no default write graph."""


class DatasetConflict(InvalidInput):
    """A dataset given both in the protocol and in the update text (USING, USING NAMED, WITH)."""


def _bad(detail: str) -> UnsupportedUpdate:
    return UnsupportedUpdate(detail)


class _Request:
    """One update's context: the store, its prologue, the dataset, the default write graph."""

    def __init__(self, store, prologue: str, dataset: UpdateDataset, default_graph: str | None,
                 plan: UpdatePlan):
        self.store, self.prologue, self.dataset = store, prologue, dataset
        self._default, self.plan = default_graph, plan

    def default(self) -> str:
        """The default write graph; NoDefaultGraph when there is none."""
        if self._default is None:
            raise NoDefaultGraph("the update writes to the default graph and there is no default "
                                 "write graph; write inside GRAPH <iri> { ... } or WITH <iri>")
        self.plan.default_graph = self._default
        return self._default

    def graph(self, ref) -> str:
        """A graph reference of an update (IRI or DEFAULT) as the named graph it writes or reads."""
        return self.default() if str(ref) == "DEFAULT" else check_iri(str(ref))


def plan_update(store, text: str, base: str | None = None, default_graph: str | None = None,
                dataset: UpdateDataset = UpdateDataset()) -> UpdatePlan:
    """Parse and evaluate the update; QuerySyntaxError, UnsupportedUpdate, NoDefaultGraph or
    DatasetConflict for anything it cannot express."""
    check_syntax(text, base)
    try:
        ops = list(translateUpdate(parseUpdate(sparql_prefixes() + text), base=base).algebra)
    except Exception as e:  # rdflib's parser raises pyparsing errors of several kinds
        raise QuerySyntaxError(f"the update does not parse: {e}") from None
    pieces = _operation_texts(text)
    if len(pieces) != len(ops):
        raise _bad("the update could not be split into its operations; send one operation per request")
    prologue = (f"BASE {term(URIRef(base))} " if base else "") + sparql_prefixes() + " ".join(
        m.group(1) for m in _PROLOGUE.finditer(text)
        if blank(text)[m.start():m.start() + 4].upper() in ("PREF", "BASE"))
    plan = UpdatePlan()
    request = _Request(store, prologue, dataset, default_graph, plan)
    for op, piece in zip(ops, pieces):
        for graph, kind, triples in _changes_of(request, op, piece):
            change = plan.change(graph)
            change.add(triples) if kind == "add" else change.remove(triples)
    return plan


def check_syntax(text: str, base: str | None = None) -> None:
    """The engine's own parser, for its precise message: the update runs on an empty
    throwaway store (SERVICE and LOAD were refused before we get here)."""
    try:
        ox.Store().update(text, prefixes=PREFIXES, base_iri=base)
    except SyntaxError as e:
        raise QuerySyntaxError(str(e)) from None
    except (OSError, ValueError, RuntimeError):
        pass  # parsed; evaluation on an empty store may fail, and does not matter here


def _changes_of(request: _Request, op, piece: str) -> list[tuple[str, str, set]]:
    name = op.name
    if name in ("InsertData", "DeleteData"):
        kind = "add" if name == "InsertData" else "remove"
        changes = [(str(g), kind, _ground(ts)) for g, ts in op.quads.items()]
        if op.triples:
            changes.insert(0, (request.default(), kind, _ground(op.triples)))
        return changes
    if name in ("Modify", "DeleteWhere"):
        return _modify(request, op, piece)
    if name in ("Clear", "Drop"):
        target = str(op.graphiri)
        if target in ("NAMED", "ALL"):
            graphs = sorted(g for g in request.store.graph_sizes() if g != str(HISTORY_GRAPH))
        else:
            graphs = [request.graph(op.graphiri)]
        return [(g, "remove", set(quads_of(request.store, g))) for g in graphs]
    if name in ("Add", "Copy", "Move"):
        return _graph_to_graph(request, name, *op.graph)
    if name == "Create":
        return []
    raise _bad(f"{name.upper()} is not supported over HTTP; use INSERT/DELETE or POST a changeset")


def _graph_to_graph(request: _Request, name: str, source, target) -> list[tuple[str, str, set]]:
    """ADD: the source's triples into the target; COPY: the target becomes the source;
    MOVE: the same, and the source is emptied. Nothing when both are one graph."""
    source, target = request.graph(source), request.graph(target)
    changes = [(target, "add", set())]   # the target is written even when nothing changes
    if source == target:
        return changes
    triples = set(quads_of(request.store, source))
    if name != "Add":
        changes.append((target, "remove", set(quads_of(request.store, target)) - triples))
    changes.append((target, "add", triples))
    if name == "Move":
        changes.append((source, "remove", triples))
    return changes


def _ground(triples) -> set:
    for t in triples:
        if any(isinstance(x, BNode) for x in t):
            raise _bad("blank nodes are not accepted: give every node an IRI (see docs/data-model.md)")
    return set(triples)


def _where_dataset(request: _Request, op) -> tuple[list[str], list[str]] | None:
    """(default graphs, named graphs) the WHERE reads; None for the union of all graphs."""
    using = list(op.using or ()) if op.name == "Modify" else []
    with_graph = op.withClause if op.name == "Modify" else None
    if request.dataset and (using or with_graph is not None):
        raise DatasetConflict("the dataset is given twice: by using-graph-uri / using-named-graph-uri "
                              "and by USING, USING NAMED or WITH in the update; give it in one place")
    default = [str(u.default) for u in using if "default" in u] or list(request.dataset.default)
    named = [str(u.named) for u in using if "named" in u] or list(request.dataset.named)
    if default or named:   # the dataset they describe, and no other graph
        return [check_iri(g) for g in default] or [EMPTY_GRAPH], [check_iri(g) for g in named] or [EMPTY_GRAPH]
    if with_graph is not None:
        return [check_iri(str(with_graph))], []
    return None


def _solutions(request: _Request, query: str, dataset) -> list[dict]:
    if dataset is None:
        return request.store.select(query)
    default, named = dataset
    body, _, _ = request.store.query_serialized(query, _JSON, default, named or None)
    return [{v.value: to_rdflib(s[v]) for v in results.variables if s[v] is not None}
            for results in [ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)]
            for s in results]


def _modify(request: _Request, op, piece: str) -> list[tuple[str, str, set]]:
    with_graph = op.withClause if op.name == "Modify" else None
    rows = _solutions(request, f"{request.prologue}SELECT * WHERE {_where_group(piece)}",
                      _where_dataset(request, op))
    templates = ([("remove", op.delete), ("add", op.insert)] if op.name == "Modify"
                 else [("remove", op)])
    changes = []
    for kind, clause in templates:
        if clause is None:
            continue
        parts = list(clause.quads.items())
        if clause.triples:   # outside GRAPH: the WITH graph, else the default write graph
            parts.insert(0, (URIRef(with_graph) if with_graph is not None else URIRef(request.default()),
                             clause.triples))
        by_graph: dict[str, set] = {}
        for g, pattern in parts:
            if not isinstance(g, Variable):
                by_graph.setdefault(check_iri(str(g)), set())   # written, whatever matches
            for row in rows:
                graph_iri = row.get(str(g)) if isinstance(g, Variable) else g
                if graph_iri is None:
                    continue
                for t in pattern:
                    ground = tuple(row.get(str(x)) if isinstance(x, Variable) else x for x in t)
                    if any(x is None for x in ground):
                        continue  # an unbound variable drops the triple, as in SPARQL
                    if any(isinstance(x, BNode) for x in ground):
                        raise _bad("blank nodes are not accepted: give every node an IRI")
                    by_graph.setdefault(check_iri(str(graph_iri)), set()).add(ground)
        changes += [(g, kind, ts) for g, ts in by_graph.items()]
    return changes


def _operation_texts(text: str) -> list[str]:
    """The operations of an update, split at top-level `;`."""
    masked, depth, start, pieces = blank(text), 0, 0, []
    for i, ch in enumerate(masked):
        if ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        elif ch == ";" and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return [p for p in pieces if _is_operation(p)]


def _is_operation(piece: str) -> bool:
    rest = _PROLOGUE.sub(" ", blank(piece))
    return bool(rest.strip())


def _where_group(piece: str) -> str:
    """The `{ ... }` group after the last top-level WHERE of one operation."""
    masked = blank(piece)
    found = [m for m in re.finditer(r"(?i)\bWHERE\s*\{", masked) if masked[:m.start()].count("{") ==
             masked[:m.start()].count("}")]
    if not found:
        raise _bad("could not find the WHERE clause of the update")
    open_at = found[-1].end() - 1
    depth = 0
    for i in range(open_at, len(masked)):
        depth += {"{": 1, "}": -1}.get(masked[i], 0)
        if depth == 0:
            return piece[open_at:i + 1]
    raise _bad("the WHERE clause is not closed")
