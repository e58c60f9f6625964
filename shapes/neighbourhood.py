"""What the shapes read around a focus node, so that a few entries can be validated on a small
extract of a big graph, with the same results as validating the whole graph.

The neighbourhood of a focus node is a set of *reached nodes* and, for each, all the triples
it is the subject of (its "description"):

- the focus node itself, and every node it links to (depth 1, any property but rdf:type):
  its levels, outcomes, awarding body, accreditation, credit points, components, ...;
- the nodes at the end of each path of `PATHS` (deeper reads: a qualification's units and
  their outcomes, the EQF level a national level is referenced to, the qualification a
  recognised unit belongs to, the chain of prerequisites, ...);
- and the class hierarchy (every rdfs:subClassOf triple), which sh:class and sh:targetClass
  follow when the vocabulary (qf.ttl) is part of the data: a qf:Provider is an
  elm:Organisation. Changes to the hierarchy itself concern every entry.

`PATHS` is prefix-closed: every node on the way along a path is itself reached. So a changed
triple (s, p, o) can only change the results of a focus node f if f reaches s, or, for a
property that some path walks backwards (`INVERSE_PREDICATES`), f reaches o. Reaching passes
only through unchanged edges up to the first changed one, so the dependents of a change can
be found on the graph as it was before the change (`dependents_query`).
"""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.paths import Path

from qfgraph.ontology.namespaces import ELM, QF

_PART = ELM.hasPart | ~ELM.isPartOf      # parts (units) of a qualification, either direction
_WHOLE = ELM.isPartOf | ~ELM.hasPart     # the qualification a unit belongs to
_RECOGNISED_Q = QF.recognisedAs / _WHOLE

# Paths from a focus node whose end nodes the shapes read (besides depth 1), prefix-closed.
PATHS: tuple[Path, ...] = (
    ~ELM.isPartOf,                                          # units of a qualification
    ELM.NQFLevel / QF.referencedTo,                         # EQF level of a national level
    ELM.accreditation / ELM.accreditingAgent,               # who granted an accreditation
    ELM.learningOutcome / ~QF.equivalentOutcome,            # outcomes declared equivalent to mine
    QF.stackableToward / (ELM.EQFLevel | _PART),            # target's level and units
    QF.recognisedCredential / (ELM.EQFLevel | ELM.NQFLevel | ELM.learningOutcome),
    QF.recognisedCredential / ELM.NQFLevel / QF.referencedTo,
    QF.recognisedCredential / ELM.learningOutcome / ~QF.equivalentOutcome,
    _RECOGNISED_Q,
    _RECOGNISED_Q / (ELM.EQFLevel | _PART),
    QF.validates / _PART,
    QF.prerequisite * "+",                                  # the whole chain (cycles)
    ~QF.component * "+",                                    # enclosing requirements (titles)
    ~QF.component * "*" / ~QF.requirement,                  # the qualification of a requirement
)

# Properties some path walks backwards: a change to such a triple concerns its object too.
INVERSE_PREDICATES: frozenset[URIRef] = frozenset({
    ELM.isPartOf, ELM.hasPart, QF.component, QF.requirement, QF.equivalentOutcome})


def reached(data: Graph, focus_nodes: Iterable[URIRef]) -> set[URIRef]:
    """The nodes whose descriptions the shapes read for these focus nodes."""
    nodes: set = set()
    for focus in focus_nodes:
        nodes.add(focus)
        nodes.update(o for p, o in data.predicate_objects(focus) if p != RDF.type)
        for path in PATHS:
            nodes.update(data.objects(focus, path))
    return {n for n in nodes if not isinstance(n, Literal)}


def neighbourhood(data: Graph, focus_nodes: Iterable[URIRef]) -> Graph:
    """The triples the shapes read for these focus nodes, as a new graph (with the class
    hierarchy, if the data has one)."""
    extract = Graph()
    for node in reached(data, focus_nodes):
        for p, o in data.predicate_objects(node):
            extract.add((node, p, o))
    for triple in data.triples((None, RDFS.subClassOf, None)):
        extract.add(triple)
    return extract


def change_seeds(triples: Iterable[tuple]) -> set[URIRef]:
    """The nodes a set of added or removed triples changes, as `dependents_query` takes them:
    every subject, and the object of every triple whose property a path walks backwards."""
    seeds = set()
    for s, p, o in triples:
        seeds.add(s)
        if p in INVERSE_PREDICATES and isinstance(o, URIRef):
            seeds.add(o)
    return {n for n in seeds if isinstance(n, URIRef)}


def _reach_branches(values: str) -> list[str]:
    """One UNION branch per way ?focus reaches ?node; `values` (a VALUES clause) sits inside
    each branch so that every branch starts from the given nodes."""
    any_link = f"{{ {values} ?focus ?link ?node FILTER(?link != {RDF.type.n3()}) }}"
    return [any_link] + [f"{{ {values} ?focus {path.n3()} ?node }}" for path in PATHS]


def neighbourhood_query() -> str:
    """A SPARQL CONSTRUCT of the neighbourhood of the nodes bound to `$focus` (a list of IRIs,
    for graph.sparql.bind): evaluated on the store, it gives the graph `validate` needs."""
    branches = ["{ VALUES ?node { $focus } }"] + _reach_branches("VALUES ?focus { $focus }")
    hierarchy = RDFS.subClassOf.n3()
    return ("CONSTRUCT { ?node ?p ?o . ?class " + hierarchy + " ?super } WHERE {\n  {\n  "
            + "\n  UNION ".join(branches) + "\n  ?node ?p ?o .\n  }\n  UNION { ?class "
            + hierarchy + " ?super }\n}")


def reached_query() -> str:
    """`reached` as a SPARQL SELECT of ?node for the focus nodes bound to `$focus` (a list of
    IRIs, for graph.sparql.bind): the gate asks it of the extract it builds in Oxigraph."""
    branches = ["{ VALUES ?node { $focus } }"] + _reach_branches("VALUES ?focus { $focus }")
    return ("SELECT DISTINCT ?node WHERE {\n  " + "\n  UNION ".join(branches)
            + "\n  FILTER(!isLiteral(?node))\n}")


def dependents_query() -> str:
    """A SPARQL SELECT of the focus nodes (?focus) whose neighbourhood holds one of the nodes
    bound to `$changed` (a list of IRIs: `change_seeds` of a changeset's additions and
    removals), evaluated on the graph before the change. The seeds themselves are included."""
    branches = ["{ VALUES ?focus { $changed } }"] + _reach_branches("VALUES ?node { $changed }")
    return ("SELECT DISTINCT ?focus WHERE {\n  " + "\n  UNION ".join(branches)
            + "\n  FILTER(isIRI(?focus))\n}")
