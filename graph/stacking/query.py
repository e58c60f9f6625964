"""Reading a stacking problem from the graph in two SPARQL queries, whatever its size.

1. the nodes: the targets, their requirement trees, units, outcomes and validation standards;
   what the learner holds or claims; and the candidate micro-credentials: those covering a
   required outcome (or a declared equivalent) or recognised as a unit of the target, with
   everything their prerequisites lead to, transitively (property paths);
2. the values of those nodes (VALUES ?s), as plain (subject, property, value) rows.

Splitting the two keeps the engine from joining the node set against every triple of the
store. Results come back serialized by the engine (SPARQL JSON), which is faster to read than
term objects and works the same on the embedded and on a remote store.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import NamedTuple

from rdflib.namespace import DCTERMS, SKOS

from graph.sparql import bind
from graph.store import Store
from ontology.namespaces import ECTS, ELM

_PARTS = "(elm:hasPart|^elm:isPartOf)"
_STRUCTURE = f"({_PARTS}|qf:requirement/qf:component*)"
_EQUIVALENT = "(qf:equivalentOutcome|^qf:equivalentOutcome)"
_PREREQUISITE_STEP = f"qf:prerequisite/({_EQUIVALENT}?/^elm:learningOutcome)?"
# from a target to what covers its outcomes (or equivalents) and what is recognised as its units
_CANDIDATES = (f"(({_STRUCTURE}/elm:learningOutcome?/{_EQUIVALENT}?/^elm:learningOutcome)"
               f"|({_PARTS}/^qf:recognisedAs/qf:recognisedCredential))")

NODES = f"""
SELECT DISTINCT ?s WHERE {{
  {{ VALUES ?s {{ $inputs }} }}
  UNION {{ VALUES ?q {{ $targets }} ?q {_STRUCTURE} ?s }}
  UNION {{ VALUES ?q {{ $targets }} ?q {_STRUCTURE}?/elm:learningOutcome ?s }}
  UNION {{ VALUES ?q {{ $targets }} ?s qf:validates ?q }}
  UNION {{ VALUES ?q {{ $targets }} ?v qf:validates ?q ; qf:validationAuthority ?s }}
  UNION {{ VALUES ?h {{ $held }} ?h {_PARTS}?/elm:learningOutcome? ?s }}
  UNION {{ VALUES ?h {{ $held }} ?s qf:recognisedCredential ?h }}
  UNION {{ VALUES ?q {{ $targets }} ?q {_CANDIDATES}/({_PREREQUISITE_STEP})*/(elm:awardingBody|^qf:recognisedCredential)? ?s }}
}}"""

_PROPERTIES = """rdf:type dcterms:title elm:legalName skos:prefLabel qf:requirement qf:component
  qf:requiredCount qf:minimumCredits elm:hasPart elm:isPartOf elm:learningOutcome qf:validates
  qf:validatesUnit qf:validatesOutcome qf:maximumShare qf:validationAuthority qf:assessmentMethod
  qf:recognisedCredential qf:recognisedAs qf:recognisedBy qf:equivalentOutcome qf:prerequisite
  elm:awardingBody dcterms:language elm:mode qf:country qf:qualityAssurance elm:volumeOfLearning
  elm:EQFLevel""".split()

# The properties read for every node; ECTS come back as (node, elm:creditPoint, point, its
# credit framework) and equivalence is read in both directions.
VALUES_OF_NODES = f"""
SELECT ?s ?p ?o ?framework WHERE {{
  VALUES ?s {{ $nodes }}
  {{ ?s ?p ?o FILTER(?p IN ({", ".join(_PROPERTIES)})) }}
  UNION {{ ?s elm:creditPoint ?point . ?point elm:point ?o . BIND(elm:creditPoint AS ?p)
          OPTIONAL {{ ?point elm:framework ?framework }} }}
  UNION {{ ?o qf:equivalentOutcome ?s . BIND(qf:equivalentOutcome AS ?p) }}
}}"""


class Lit(NamedTuple):
    """A literal as read from the results: its lexical value, language tag and datatype."""
    value: str
    lang: str | None = None
    datatype: str | None = None

    def __str__(self) -> str:
        return self.value


def select_json(store: Store, query: str) -> list[dict]:
    body, _, _ = store.query_serialized(query, "application/sparql-results+json")
    return json.loads(body)["results"]["bindings"]


_EMPTY: frozenset = frozenset()
_TITLES = (str(DCTERMS.title), str(ELM.legalName), str(SKOS.prefLabel))


class Names:
    """Plain-string IRIs of a namespace, made once (rdflib's Namespace builds a new URIRef on
    every attribute access, which shows in the hot loops that read a problem)."""

    def __init__(self, namespace):
        self._namespace = str(namespace)

    def __getattr__(self, name: str) -> str:
        value = self._namespace + name
        setattr(self, name, value)
        return value


class Facts:
    """Rows of (subject, property, value) indexed by subject and property. IRIs are str."""

    def __init__(self):
        self._by: dict[str, dict[str, set]] = {}
        self._inverse = defaultdict(set)
        self._by_property: dict[str, dict[str, set[str]]] = {}

    def add(self, bindings) -> "Facts":
        self._by_property.clear()
        by, inverse = self._by, self._inverse
        for b in bindings:
            framework = b.get("framework")
            if framework is not None and framework["value"] != ECTS:
                continue  # credit points in another system than ECTS
            s, p, o = b["s"]["value"], b["p"]["value"], b["o"]
            if o["type"] == "literal":
                value = Lit(o["value"], o.get("xml:lang"), o.get("datatype"))
            else:
                value = o["value"]
                inverse[(p, value)].add(s)
            props = by.get(s)
            if props is None:
                props = by[s] = {}
            values = props.get(p)
            if values is None:
                values = props[p] = set()
            values.add(value)
        return self

    def knows(self, s: str) -> bool:
        return s in self._by

    def values(self, s: str, p) -> set:
        props = self._by.get(s)
        return props.get(p if type(p) is str else str(p), _EMPTY) if props else _EMPTY

    def iris(self, s: str, p) -> set[str]:
        return {v for v in self.values(s, p) if isinstance(v, str)}

    def number(self, s: str, p) -> float | None:
        for v in self.values(s, p):
            try:
                return float(str(v))
            except ValueError:
                continue
        return None

    def title(self, s: str) -> str | None:
        """The English title (or the first) among dcterms:title, elm:legalName, skos:prefLabel."""
        for p in _TITLES:
            values = [v for v in self.values(s, p) if isinstance(v, Lit)]
            if values:
                english = [v for v in values if (v.lang or "").lower().startswith("en")]
                return sorted(english or values, key=str)[0].value
        return None

    def subjects(self, p, o: str) -> set[str]:
        return self._inverse.get((str(p), o), set())

    def subjects_by(self, p) -> dict[str, set[str]]:
        """value -> subjects for one property (computed once: several targets share it)."""
        key = str(p)
        if key not in self._by_property:
            self._by_property[key] = {o: s for (q, o), s in self._inverse.items() if q == key}
        return self._by_property[key]


def fetch(store: Store, targets: list[str], held: list[str], claims: list[str]) -> Facts:
    """Everything about the targets and the learner, in two queries."""
    inputs = list(dict.fromkeys([*targets, *held, *claims]))
    nodes = [b["s"]["value"] for b in select_json(
        store, bind(NODES, {"inputs": inputs, "targets": targets, "held": held})) if b["s"]["type"] == "uri"]
    return Facts().add(select_json(store, bind(VALUES_OF_NODES, {"nodes": nodes})))
