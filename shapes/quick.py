"""Which focus nodes surely conform to a shape, decided in plain Python before pySHACL runs.

pySHACL evaluates every shape on every focus node through layers of generic machinery (an
sh:or of two property shapes costs a millisecond a node); most entries of a register
conform to most shapes. For the SHACL Core constraints the project's shapes use, a shape is
compiled here into a function that tells, from the data's indexes, whether a node conforms;
the validator gives pySHACL only the nodes that do not (and every node of a shape with a
constraint not compiled here), so every result is still pySHACL's own, word for word.

The functions follow the SHACL definitions as pySHACL implements them (sh:class through
rdf:type/rdfs:subClassOf* in the data, sh:datatype with pySHACL's check of the value,
sh:pattern with `re.search` on the lexical form). What is not listed in `_COMPONENTS` makes
the whole shape "not compiled" (None): pySHACL alone decides it.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from pyshacl.constraints.core.string_based_constraints import PatternConstraintComponent
from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from qfgraph.ontology.namespaces import SH
from qfgraph.shapes.extract import ExtractStore

_NONE: dict = {}
Check = Callable[["Data", object], bool]   # (data, focus node) -> conforms

# what a shape may say besides its constraints and still be compiled
_DESCRIPTIVE = {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf,
                SH.path, SH.name, SH.message, SH.severity, SH.description, SH.order, SH.group}
_COMPONENTS = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue,
               SH.pattern, SH["or"], SH["not"], SH.node, SH.property, SH.qualifiedValueShape,
               SH.qualifiedMinCount, SH.qualifiedMaxCount}


class Data:
    """Reads of the data graph pySHACL validates: its ExtractStore's indexes directly when
    it has one (the gate's extracts), else rdflib's graph API."""

    def __init__(self, graph: Graph):
        store = graph.store
        self.spo = store._spo if isinstance(store, ExtractStore) else None
        self.pos = store._pos if isinstance(store, ExtractStore) else None
        self.graph = graph
        self._superclasses: dict = {}

    def objects(self, s, p):
        """The distinct objects (a collection, not to be changed)."""
        if self.spo is not None:
            return self.spo.get(s, _NONE).get(p, _NONE)
        return dict.fromkeys(self.graph.objects(s, p))

    def subjects(self, p, o):
        if self.pos is not None:
            return self.pos.get(p, _NONE).get(o, _NONE)
        return dict.fromkeys(self.graph.subjects(p, o))

    def is_instance(self, node, cls) -> bool:
        return any(cls in self.superclasses(t) for t in self.objects(node, RDF.type))

    def superclasses(self, cls) -> set:
        """`cls` and every class it is an rdfs:subClassOf* of, in the data."""
        known = self._superclasses.get(cls)
        if known is None:
            known, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), RDFS.subClassOf):
                    if sup not in known:
                        known.add(sup)
                        todo.append(sup)
            self._superclasses[cls] = known
        return known


class Compiler:
    """Shapes of one shapes graph, compiled on first request (None: not compiled)."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.compiled: dict = {}

    def check(self, shape) -> Check | None:
        if shape not in self.compiled:
            self.compiled[shape] = None          # a shape that refers to itself stays uncompiled
            try:
                self.compiled[shape] = self._shape(shape)
            except _NotCompiled:
                self.compiled[shape] = None
        return self.compiled[shape]

    def _nested(self, shape) -> Check:
        found = self.check(shape)
        if found is None:
            raise _NotCompiled
        return found

    def _shape(self, shape) -> Check:
        g = self.shapes
        predicates = set(g.predicates(shape, None))
        if predicates - _DESCRIPTIVE - _COMPONENTS or g.value(shape, SH.deactivated) is not None:
            raise _NotCompiled
        if SH.qualifiedValueShapesDisjoint in predicates:
            raise _NotCompiled
        values = _path(g, g.value(shape, SH.path)) if SH.path in predicates else (lambda data, f: (f,))
        tests = [self._component(shape, p) for p in sorted(predicates & _COMPONENTS)
                 if p not in (SH.qualifiedMinCount, SH.qualifiedMaxCount)]

        def conforms(data: Data, focus) -> bool:
            nodes = values(data, focus)
            return all(test(data, nodes) for test in tests)
        return conforms

    def _one(self, shape, p):
        found = list(self.shapes.objects(shape, p))
        if len(found) != 1:
            raise _NotCompiled
        return found[0]

    def _component(self, shape, p) -> Callable[[Data, list], bool]:
        g, one = self.shapes, self._one(shape, p) if p != SH.property else None
        if p == SH.minCount:
            n = int(one)
            return lambda data, nodes: len(nodes) >= n      # value nodes are distinct
        if p == SH.maxCount:
            n = int(one)
            return lambda data, nodes: len(nodes) <= n
        if p == SH["class"]:
            return lambda data, nodes: all(not isinstance(v, Literal) and data.is_instance(v, one) for v in nodes)
        if p == SH.datatype:
            return lambda data, nodes: all(_has_datatype(v, one) for v in nodes)
        if p == SH.nodeKind:
            kinds = {SH.IRI: (URIRef,), SH.Literal: (Literal,), SH.BlankNode: (BNode,)}
            if one not in kinds:
                raise _NotCompiled
            kind = kinds[one]
            return lambda data, nodes: all(isinstance(v, kind) for v in nodes)
        if p == SH["in"]:
            allowed = list(Collection(g, one))
            return lambda data, nodes: all(v in allowed for v in nodes)
        if p == SH.hasValue:
            return lambda data, nodes: one in nodes
        if p == SH.pattern:
            if g.value(shape, SH.flags) is not None:
                raise _NotCompiled
            pattern = re.compile(str(one))
            text = PatternConstraintComponent.value_node_to_string
            return lambda data, nodes: all(not isinstance(v, BNode) and pattern.search(text(v)) for v in nodes)
        if p == SH["or"]:
            members = [self._nested(m) for m in Collection(g, one)]
            return lambda data, nodes: all(any(m(data, v) for m in members) for v in nodes)
        if p == SH["not"]:
            inner = self._nested(one)
            return lambda data, nodes: not any(inner(data, v) for v in nodes)
        if p == SH.node:
            inner = self._nested(one)
            return lambda data, nodes: all(inner(data, v) for v in nodes)
        if p == SH.property:
            inner = [self._nested(s) for s in g.objects(shape, SH.property)]
            return lambda data, nodes: all(s(data, v) for s in inner for v in nodes)
        if p == SH.qualifiedValueShape:
            inner = self._nested(one)
            low = g.value(shape, SH.qualifiedMinCount)
            high = g.value(shape, SH.qualifiedMaxCount)
            low, high = (None if low is None else int(low)), (None if high is None else int(high))

            def qualified(data, nodes) -> bool:
                n = sum(1 for v in nodes if inner(data, v))
                return (low is None or n >= low) and (high is None or n <= high)
            return qualified
        raise _NotCompiled


class _NotCompiled(Exception):
    pass


def _has_datatype(v, datatype) -> bool:
    """pySHACL's sh:datatype on one value (DatatypeConstraintComponent.evaluate)."""
    if not isinstance(v, Literal):
        return False
    actual = DatatypeConstraintComponent._assert_actual_datatype
    if v.datatype == datatype:
        return getattr(v, "ill_typed", None) is not True and actual(None, v, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and datatype == XSD.string:
        return actual(None, v, datatype)
    if datatype == RDF.langString and v.language:
        return actual(None, v, datatype)
    return False


def _path(g: Graph, path) -> Callable[[Data, object], object]:
    """The value nodes of a SHACL path: a property, its inverse, or a sequence of those."""
    if isinstance(path, URIRef):
        return lambda data, f: data.objects(f, path)
    if isinstance(path, BNode) and g.value(path, RDF.first) is not None:
        steps = [_path(g, step) for step in Collection(g, path)]

        def sequence(data, f):
            nodes = (f,)
            for step in steps:
                nodes = dict.fromkeys(v for n in nodes for v in step(data, n))
            return nodes
        return sequence
    inverse = g.value(path, SH.inversePath)
    if isinstance(inverse, URIRef) and set(g.predicates(path, None)) == {SH.inversePath}:
        return lambda data, f: data.subjects(inverse, f)
    raise _NotCompiled
