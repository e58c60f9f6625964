"""The validation report: results an officer can read, as text, JSON and a standard
sh:ValidationReport in Turtle."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from qfgraph.ontology.namespaces import ELM, PREFIXES, QF, SH, shorten
from qfgraph.shapes.rules import shapes_graph

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

# What an entry is, in words, from its type (first match wins: specific kinds first).
KINDS = (
    (QF.MicroCredential, "Micro-credential"),
    (ELM.Qualification, "Qualification"),
    (QF.Unit, "Unit"),
    (ELM.LearningOutcome, "Learning outcome"),
    (QF.ChoiceOf, "Elective group"),
    (QF.MinimumCredits, "Minimum-credits requirement"),
    (QF.AllOf, "Requirement"),
    (QF.Requirement, "Requirement"),
    (QF.RecognitionAgreement, "Recognition agreement"),
    (QF.ValidationStandard, "Validation standard"),
    (QF.SkillsNeed, "Skills-needs signal"),
    (ELM.Accreditation, "Accreditation"),
    (ELM.Organisation, "Organisation"),
)
REQUIREMENT_KINDS = {"Elective group", "Minimum-credits requirement", "Requirement"}
SHAPES_NS = "https://w3id.org/qfgraph/shapes#"


@dataclass(frozen=True)
class Result:
    """One finding: which entry (focus, title), where (path, value), what and how bad."""
    focus: URIRef
    title: str
    path: str | None
    value: Node | None
    message: str
    severity: str                      # 'Violation' | 'Warning' | 'Info'
    shape: URIRef
    rule: str = ""                     # the shape's sh:name
    # the SHACL constraint component that failed (one result per shape and value suffices)
    component: URIRef | None = field(default=None, compare=False)
    path_node: Node | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict:
        return {
            "focus": str(self.focus), "title": self.title, "path": self.path,
            "value": None if self.value is None else str(self.value),
            "message": self.message, "severity": self.severity, "shape": str(self.shape),
            "rule": self.rule, "component": None if self.component is None else str(self.component),
        }


@dataclass
class Report:
    results: list[Result]
    shapes: Graph | None = field(default=None, repr=False)   # for the paths in to_turtle

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]

    def summary(self) -> str:
        v, w = len(self.violations), len(self.warnings)
        infos = len(self.results) - v - w
        text = f"{v} violation{'s' * (v != 1)}, {w} warning{'s' * (w != 1)}"
        text += f", {infos} info{'s' * (infos != 1)}" if infos else ""
        return ("conforms: " if self.conforms else "does not conform: ") + text

    def to_text(self) -> str:
        lines = [f"Validation {self.summary()}."]
        for r in self.results:
            lines.append("")
            lines.append(f"{r.severity}: {r.message}")
            lines.append(f"    entry: {r.focus.n3()}" + (f"  property: {r.path}" if r.path else ""))
            lines.append(f"    rule: {r.rule or compact(r.shape)}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": [r.to_json() for r in self.results],
        }

    def to_turtle(self) -> str:
        """A standard sh:ValidationReport (result paths copied from the shapes)."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        g.bind("qfs", SHAPES_NS)
        if self.shapes is None:   # a report put together by hand: the paths are the project's shapes'
            self.shapes = shapes_graph()
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, r.focus))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add((node, SH.sourceShape, r.shape))
            g.add((node, SH.resultMessage, Literal(r.message, lang="en")))
            if r.component is not None:
                g.add((node, SH.sourceConstraintComponent, r.component))
            if r.value is not None:
                g.add((node, SH.value, r.value))
            if r.path_node is not None:
                g.add((node, SH.resultPath, _copy_path(self.shapes, r.path_node, g)))
        return g.serialize(format="turtle")


def unique(results) -> list[Result]:
    """One result per entry, shape, value and message, sorted: of results differing only in
    the constraint component (a value breaking two constraints of one shape), the first by
    IRI, so that the report is the same whatever order pySHACL found them in."""
    chosen: dict = {}
    for r in results:
        known = chosen.get(r)
        if known is None or str(r.component) < str(known.component):
            chosen[r] = r
    return sorted(chosen.values(), key=sort_key)


def sort_key(r: Result):
    return (_SEVERITY_ORDER.get(r.severity, 3), r.title.casefold(), str(r.focus), str(r.shape),
            str(r.value))


# ---------------------------------------------------------------------------------------
# words for nodes

def compact(iri: Node) -> str:
    return shorten(iri, {"qfs": SHAPES_NS})


def kind(data: Graph, node: Node) -> str:
    types = set(data.objects(node, RDF.type))
    return next((word for cls, word in KINDS if cls in types), "Entry")


def _best_literal(values) -> str | None:
    literals = [v for v in values if isinstance(v, Literal)]
    if not literals:
        return None
    rank = lambda v: (0 if (v.language or "").lower().startswith("en") else 1 if not v.language else 2, str(v))
    return str(min(literals, key=rank))


def title(data: Graph, node: Node, _seen: frozenset = frozenset()) -> str:
    """The title an officer knows an entry by: its English title, else any title or label;
    a requirement without one is named after its qualification; else its IRI."""
    if isinstance(node, Literal):
        return str(node)
    for prop in (DCTERMS.title, SKOS.prefLabel, ELM.legalName):
        found = _best_literal(data.objects(node, prop))
        if found:
            return found
    owner = None
    if kind(data, node) in REQUIREMENT_KINDS:
        owner = next(iter(data.subjects(QF.requirement, node)), None) or next(iter(data.subjects(QF.component, node)), None)
    if owner is not None and owner not in _seen:
        local = str(node).rsplit("#", 1)[-1] if "#" in str(node) else str(node).rsplit("/", 1)[-1]
        return f"{title(data, owner, _seen | {node})} › {local}"
    return str(node)


def render_path(shapes: Graph | None, path: Node | None) -> str | None:
    """A SHACL path in SPARQL property-path words (dcterms:title, elm:creditPoint/elm:point)."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return compact(path)
    if shapes is None:
        return None
    for kind_, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "({})*"),
                       (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = shapes.value(path, kind_)
        if inner is not None:
            return fmt.format(render_path(shapes, inner))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(render_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    return "/".join(render_path(shapes, p) for p in Collection(shapes, path))


def _copy_path(shapes: Graph | None, path: Node, into: Graph) -> Node:
    """Copy a SHACL path (possibly a structure of blank nodes) from the shapes into `into`."""
    if isinstance(path, URIRef) or shapes is None:
        return path
    copy = BNode()
    if shapes.value(path, RDF.first) is not None:
        Collection(into, copy, [_copy_path(shapes, p, into) for p in Collection(shapes, path)])
        return copy
    for p, o in shapes.predicate_objects(path):
        inner = o
        if p == SH.alternativePath:
            inner = BNode()
            Collection(into, inner, [_copy_path(shapes, x, into) for x in Collection(shapes, o)])
        else:
            inner = _copy_path(shapes, o, into)
        into.add((copy, p, inner))
    return copy
