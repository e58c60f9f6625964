"""The rules: a SHACL shapes graph and its compiled pySHACL form.

The project's own rules are the `*.ttl` files of this folder (`project_rules()`); any other
shapes graph (a conformance test's, say) is validated the same way through a `Rules` of its own.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from pyshacl.shapes_graph import ShapesGraph
from rdflib import Graph, Literal, URIRef

from qfgraph.ontology.namespaces import SH
from qfgraph.shapes.extract import extract_graph
from qfgraph.shapes.quick import Compiler

SHAPES_DIR = Path(__file__).parent


class Rules:
    """A shapes graph, compiled for pySHACL once (on first use), with what validating it
    learns about its SPARQL-based rules (`prepared`: one entry per rule and binding pattern)."""

    def __init__(self, graph: Graph):
        self.graph = _one_line_queries(graph)
        self.prepared: dict = {}
        self.quick = Compiler(self.graph)     # shapes decided in Python where they surely conform
        self._compiled: ShapesGraph | None = None
        self._compiling = threading.Lock()   # first use only: validations run concurrently

    @classmethod
    def from_files(cls, paths) -> "Rules":
        g = Graph()
        for path in paths:
            g.parse(path, format="turtle")
        return cls(g)

    @property
    def compiled(self) -> ShapesGraph:
        if self._compiled is None:
            with self._compiling:
                if self._compiled is None:
                    self._compiled = _compile(self.graph)
        return self._compiled

    def target_classes(self) -> set[URIRef]:
        """The classes whose instances the shapes check (sh:targetClass)."""
        return set(self.graph.objects(None, SH.targetClass))

    def target_predicates(self) -> set[URIRef]:
        """The properties whose subjects the shapes check (sh:targetSubjectsOf)."""
        return set(self.graph.objects(None, SH.targetSubjectsOf))


def _one_line_queries(g: Graph) -> Graph:
    # SPARQL of the rules on one line: pySHACL checks a query text with regular expressions
    # that scan the rest of the text from every line start (no '#' comments in the queries)
    for rule, text in list(g.subject_objects(SH.select)):
        g.set((rule, SH.select, Literal(" ".join(str(text).split()))))
    return g


def _compile(source: Graph) -> ShapesGraph:
    # pySHACL reads the shapes graph again for every shape it applies to every node: it
    # reads a copy on the lean read-only store of extracts (same terms, same prefixes)
    lean = extract_graph(source)
    lean.namespace_manager = source.namespace_manager
    compiled = ShapesGraph(lean)
    compiled.shapes  # noqa: B018  (harvests and compiles the shapes now, once)
    return compiled


def shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))


@lru_cache(maxsize=1)
def project_rules() -> Rules:
    """The quality rules of qfgraph (read once)."""
    return Rules.from_files(shape_files())


def shapes_graph() -> Graph:
    """All the project's shapes, as one graph."""
    return project_rules().graph


def target_classes() -> set[URIRef]:
    return project_rules().target_classes()


def target_predicates() -> set[URIRef]:
    return project_rules().target_predicates()
