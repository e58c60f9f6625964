"""A SPARQL update turned into one changeset: the triples it would add to and remove from
one named graph, computed without writing anything.

INSERT DATA and DELETE DATA give their triples directly. DELETE/INSERT ... WHERE and
DELETE WHERE are evaluated as the SPARQL semantics says: the WHERE pattern is run as a
SELECT against the store, and the templates are instantiated with every solution. Each
operation of a sequence sees the store as it was before the request (the whole request
is one changeset). CLEAR / DROP GRAPH remove the graph's triples. An update must write to
exactly one named graph, so that the gate can accept or refuse it as a whole.
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
from qfgraph.graph.stores import quads_of
from qfgraph.ontology.namespaces import PREFIXES, sparql_prefixes

_PROLOGUE = re.compile(r"(?i)\b(PREFIX\s+[A-Za-z_][\w.-]*?:\s*<[^>]*>|PREFIX\s+:\s*<[^>]*>|BASE\s+<[^>]*>)")


@dataclass
class UpdatePlan:
    graph: str
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


class UnsupportedUpdate(InvalidInput):
    """An update this service cannot turn into a changeset; the message says how to write it."""


def _bad(detail: str) -> UnsupportedUpdate:
    return UnsupportedUpdate(detail)


def plan_update(store, text: str) -> UpdatePlan:
    """Parse and evaluate the update; QuerySyntaxError or UnsupportedUpdate for anything it
    cannot express."""
    check_syntax(text)
    try:
        ops = list(translateUpdate(parseUpdate(sparql_prefixes() + text)).algebra)
    except Exception as e:  # rdflib's parser raises pyparsing errors of several kinds
        raise QuerySyntaxError(f"the update does not parse: {e}") from None
    pieces = _operation_texts(text)
    if len(pieces) != len(ops):
        raise _bad("the update could not be split into its operations; send one operation per request")
    prologue = sparql_prefixes() + " ".join(m.group(1) for m in _PROLOGUE.finditer(text)
                                            if blank(text)[m.start():m.start() + 4].upper() in ("PREF", "BASE"))
    changes: list[tuple[str, str, set]] = []  # (graph, "add"|"remove", triples) in order
    for op, piece in zip(ops, pieces):
        changes += _changes_of(store, op, piece, prologue)
    graphs = {g for g, _, _ in changes}
    if len(graphs) != 1:
        raise _bad("an update must write to exactly one named graph (found "
                   f"{', '.join(sorted(graphs)) or 'none'}); split it into one request per graph")
    plan = UpdatePlan(graphs.pop())
    for _, kind, triples in changes:
        plan.add(triples) if kind == "add" else plan.remove(triples)
    return plan


def check_syntax(text: str) -> None:
    """The engine's own parser, for its precise message: the update runs on an empty
    throwaway store (SERVICE and LOAD were refused before we get here)."""
    try:
        ox.Store().update(text, prefixes=PREFIXES)
    except SyntaxError as e:
        raise QuerySyntaxError(str(e)) from None
    except (OSError, ValueError):
        pass  # parsed; evaluation on an empty store may fail, and does not matter here


def _changes_of(store, op, piece: str, prologue: str) -> list[tuple[str, str, set]]:
    name = op.name
    if name in ("InsertData", "DeleteData"):
        kind = "add" if name == "InsertData" else "remove"
        if op.triples:
            raise _bad(f"{name}: put the triples inside GRAPH <your graph> {{ ... }}")
        return [(str(g), kind, _ground(ts)) for g, ts in op.quads.items()]
    if name in ("Modify", "DeleteWhere"):
        return _modify(store, op, piece, prologue)
    if name in ("Clear", "Drop"):
        target = op.graphiri
        if not isinstance(target, URIRef):
            raise _bad(f"{name.upper()} of {target}: name one graph (CLEAR GRAPH <iri>)")
        return [(str(target), "remove", set(quads_of(store, str(target))))]
    if name == "Create":
        return []
    raise _bad(f"{name.upper()} is not supported over HTTP; use INSERT/DELETE or POST a changeset")


def _ground(triples) -> set:
    for t in triples:
        if any(isinstance(x, BNode) for x in t):
            raise _bad("blank nodes are not accepted: give every node an IRI (see docs/data-model.md)")
    return set(triples)


def _modify(store, op, piece: str, prologue: str) -> list[tuple[str, str, set]]:
    if op.name == "Modify" and op.using:
        raise _bad("USING is not supported; write GRAPH <iri> { ... } inside WHERE")
    with_graph = op.get("withClause") if op.name == "Modify" else None
    where = _where_group(piece)
    if with_graph is not None:
        where = f"{{ GRAPH {term(URIRef(with_graph))} {where} }}"
    rows = store.select(f"{prologue}SELECT * WHERE {where}")
    templates = ([("remove", op.delete), ("add", op.insert)] if op.name == "Modify"
                 else [("remove", op)])
    changes = []
    for kind, clause in templates:
        if clause is None:
            continue
        if clause.triples and with_graph is None:
            raise _bad("templates outside GRAPH write to the default graph: "
                       "use WITH <your graph> or GRAPH <your graph> { ... }")
        parts = [(with_graph, clause.triples)] + list(clause.quads.items())
        by_graph: dict[str, set] = {}
        for g, pattern in parts:
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
