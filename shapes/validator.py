"""Applying the shapes with pySHACL: no inference (ELM.ttl is never loaded), no store.

Speed: the shapes are parsed and compiled once (shapes.rules); the SPARQL-based rules run on
an in-memory Oxigraph copy of the data (not a store of qfgraph: a query engine), or on the
one the caller built (`engine`), each rule's query text prepared once (`_PreparedOnce`); with
focus nodes, only their neighbourhood (shapes.neighbourhood) is validated.

What this changes of pySHACL holds inside `validate` only, for the call that runs (a context
variable): anything else in the process that uses pySHACL gets pySHACL's own behaviour, and
validations run concurrently, each in its own thread, without a lock.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

import pyoxigraph as ox
import pyshacl.helper
from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph, to_ox, to_rdf
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from rdflib import Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF
from rdflib.query import Result as QueryResult
from rdflib.term import Node

from qfgraph.ontology.namespaces import SH
from qfgraph.shapes.neighbourhood import neighbourhood
from qfgraph.shapes.quick import Data
from qfgraph.shapes.report import SEVERITIES, Report, Result, kind, render_path, title, unique
from qfgraph.shapes.rules import Rules, project_rules, target_classes, target_predicates

def is_target(data: Graph, node: Node) -> bool:
    """Whether some shape checks `node` in `data` (by its type or by a property it has)."""
    classes, predicates = target_classes(), target_predicates()
    data = _view(data)
    return (any(t in classes for t in data.objects(node, RDF.type))
            or any(p in predicates for p in data.predicates(node, None)))


class _OxigraphQueries:
    """SPARQL for the SHACL-SPARQL rules, answered by an in-memory Oxigraph copy of the data.

    pySHACL runs each SPARQL-based rule once per focus node ($this bound); rdflib's own
    SPARQL engine takes some 10 ms for each. Here a rule's query runs once, with $this
    unbound, and each focus node gets the rows whose ?this is that node: the same answers
    (the rules select $this, as SHACL asks), in one pass of Oxigraph over the data. SHACL
    Core keeps reading the rdflib graph, which holds any malformed data as it is.
    """
    _engine: ox.Store | None = None
    _answers: dict | None = None        # query text -> (variables, {focus node: [rows]})

    def _oxigraph(self) -> ox.Store:
        if self._engine is None:
            self._engine = ox.Store()
            self._engine.extend(_quads(self.triples((None, None, None))))
        return self._engine

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs):
        text, bindings = str(query_object), {str(k): v for k, v in (initBindings or {}).items()}
        if set(bindings) == {"this"}:
            variables, rows = self._answers_by_focus(text)
            if variables is not None:
                return _select(variables, rows.get(bindings["this"], []))
        substitutions = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
        answer = self._oxigraph().query(text, substitutions=substitutions, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryBoolean):
            out = QueryResult("ASK")
            out.askAnswer = bool(answer)
            return out
        variables = [Variable(v.value) for v in answer.variables]
        return _select(variables, [_row(variables, row) for row in answer])

    def _answers_by_focus(self, text: str):
        """The rows of a query with $this unbound, grouped by ?this (None: not a query that
        selects ?this, so it cannot be answered this way)."""
        if self._answers is None:
            self._answers = {}
        if text not in self._answers:
            answer = self._oxigraph().query(text, use_default_graph_as_union=True)
            variables = [Variable(v.value) for v in answer.variables] if isinstance(answer, ox.QuerySolutions) else []
            if Variable("this") not in variables:
                self._answers[text] = (None, {})
            else:
                grouped: dict = {}
                for row in answer:
                    row = _row(variables, row)
                    grouped.setdefault(row[Variable("this")], []).append(row)
                self._answers[text] = (variables, grouped)
        return self._answers[text]


def _row(variables, solution) -> dict:
    return {var: to_rdf(term) for var, term in zip(variables, solution) if term is not None}


def _select(variables, rows) -> QueryResult:
    out = QueryResult("SELECT")
    out.vars = variables
    out.bindings = rows
    return out


def _quads(triples):
    """Triples as Oxigraph quads; a triple Oxigraph cannot hold (a literal as subject, an IRI
    with spaces) is left to the SHACL Core rules, which see it in the rdflib graph."""
    for s, p, o in triples:
        try:
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o))
        except (TypeError, ValueError):
            continue


class _Graph(_OxigraphQueries, Graph):
    pass


class _Dataset(_OxigraphQueries, Dataset):
    pass


def _view(data: Graph) -> Graph:
    """The caller's data, unchanged and uncopied, seen as one graph (union of named graphs)."""
    if isinstance(data, Dataset) or data.context_aware:
        return _Dataset(store=data.store, default_union=True)
    return _Graph(store=data.store, identifier=data.identifier)


def validate(data: Graph | Dataset, focus_nodes: Iterable[URIRef] | None = None,
             extracted: bool = False, engine: ox.Store | None = None, rules: Rules | None = None,
             quick: bool = True) -> Report:
    """Validate `data` (entries plus the frameworks graph they refer to) against the shapes.

    With `focus_nodes`, only those entries are checked (by the shapes that target them), on
    their neighbourhood only (shapes.neighbourhood). `extracted=True` says that `data` is
    that neighbourhood already (from `neighbourhood_query`, say): it is used as it is.
    `engine`: an in-memory Oxigraph store holding exactly the triples of `data` (the gate
    builds its extract there), which the SPARQL-based rules then query instead of a copy.
    `rules`: other shapes than the project's (the neighbourhood of focus nodes is then the
    whole of `data`: shapes.neighbourhood knows the project's shapes only).
    """
    rules = rules or project_rules()
    focus = None if focus_nodes is None else {URIRef(str(f)) for f in focus_nodes}
    if focus is None or extracted or rules is not project_rules():
        graph = _view(data)
        graph._engine = engine
    else:
        graph = _Graph()
        for triple in neighbourhood(_view(data), focus):
            graph.add(triple)
    return Report(_results(_run(graph, focus, rules, quick), graph, rules.graph), rules.graph)


# ---------------------------------------------------------------------------------------
# pySHACL, adjusted for the call that runs

_PREPARED: ContextVar[dict | None] = ContextVar("qfgraph_prepared_rules", default=None)


class _PreparedOnce(SPARQLQueryHelper):
    """pySHACL's helper for the SPARQL-based rules, which checks and rewrites a rule's query
    text before each focus node (a dozen regular expressions over the text: a quarter of the
    time of validating an extract). The outcome depends on the rule, its shape and which
    variables are bound, never on the node, so inside `validate` it is worked out once per
    rule and kept with the rules (`Rules.prepared`); elsewhere this is pySHACL's helper."""

    def pre_bind_variables(self, thisnode, valuenode=None, extravars=None):
        prepared = _PREPARED.get()
        if prepared is None or extravars is not None:
            return super().pre_bind_variables(thisnode, valuenode, extravars)
        key = (self.node, self.shape.node, self.select_text, valuenode is not None, bool(valuenode))
        known = prepared.get(key)
        if known is None:   # a text pySHACL refuses raises here, every time, as before
            bindings, text = super().pre_bind_variables(thisnode, valuenode, extravars)
            known = prepared[key] = (tuple(bindings), text)
        names, text = known
        values = {"this": thisnode, "value": valuenode, "currentShape": self.shape.node}
        return {name: values[name] for name in names}, text


# pySHACL builds its helpers from this class (its extension point, read at each rule)
pyshacl.helper.SPARQLQueryHelperCls = _PreparedOnce


@contextmanager
def _preparing(rules: Rules):
    token = _PREPARED.set(rules.prepared)
    try:
        yield
    finally:
        _PREPARED.reset(token)


def _run(graph: Graph, focus: set[URIRef] | None, rules: Rules, quick: bool = True) -> Graph:
    """pySHACL's validation loop, with each shape given the focus nodes it targets.

    (pySHACL's own focus_nodes option also filters the value nodes of nested shapes, sh:or
    and qualified shapes among them, which changes their outcome.)
    """
    options = {"inference": "none", "advanced": False, "inplace": True}
    with _preparing(rules):
        validator = Validator(DataGraph.from_rdflib(graph), shacl_graph=rules.graph, options=options)
        validator.shacl_graph = compiled = rules.compiled   # compiled once, not per call
        executor = validator.make_executor()
        target = validator.data_graph
        reports, data = [], Data(graph)
        for shape in compiled.shapes:
            nodes = None if focus is None else [n for n in shape.focus_nodes(target) if n in focus]
            conforms = rules.quick.check(shape.node) if quick else None
            if conforms is not None:   # pySHACL gets the nodes not surely conforming (shapes.quick)
                nodes = [n for n in (shape.focus_nodes(target) if nodes is None else nodes)
                         if not conforms(data, n)]
            if nodes != []:
                reports.extend(shape.validate(executor, target, focus=nodes)[1])
        return validator.create_validation_report(compiled, not reports, reports)[0]


def _results(report: Graph, data: Graph, shapes: Graph) -> list[Result]:
    results = []
    # top-level results only: pySHACL nests the results of sh:node and friends as sh:detail
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        path = shapes.value(shape, SH.path)
        focus_title = title(data, focus)
        message = str(report.value(node, SH.resultMessage) or shapes.value(shape, SH.name) or "")
        results.append(Result(
            focus=focus, title=focus_title, path=render_path(shapes, path), value=value,
            message=_fill(message, focus_title, kind(data, focus), value, data),
            severity=SEVERITIES.get(report.value(node, SH.resultSeverity), "Violation"),
            shape=shape, rule=str(shapes.value(shape, SH.name) or ""),
            component=report.value(node, SH.sourceConstraintComponent), path_node=path))
    return unique(results)


_PLACEHOLDER = re.compile(r"\{[?$](title|kind|valueTitle)\}")


def _fill(message: str, focus_title: str, focus_kind: str, value: Node | None, data: Graph) -> str:
    words = {"title": focus_title, "kind": focus_kind,
             "valueTitle": "" if value is None else
             (str(value) if isinstance(value, Literal) else title(data, value))}
    return _PLACEHOLDER.sub(lambda m: words[m.group(1)], message)
