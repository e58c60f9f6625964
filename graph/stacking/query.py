"""Reading a stacking problem from the graph in two SPARQL queries.

1. the structure: the targets' requirement trees, units, outcomes (with their declared
   equivalents), validation standards, and what the learner holds or claims;
2. the candidates: micro-credentials that cover a required outcome (or an equivalent) or are
   recognised as a required unit, and everything their prerequisites lead to, transitively.

Both queries return plain (subject, property, value) rows over a set of nodes found with
property paths, so the number of round trips does not grow with the number of candidates.
"""
from __future__ import annotations

from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.sparql import bind
from graph.store import Store
from ontology.namespaces import ECTS, ELM

# The properties read for every node of interest.
_PROPERTIES = """VALUES ?p { rdf:type dcterms:title elm:legalName skos:prefLabel qf:requirement
  qf:component qf:requiredCount qf:minimumCredits elm:hasPart elm:isPartOf elm:learningOutcome
  qf:validates qf:validatesUnit qf:validatesOutcome qf:maximumShare qf:validationAuthority
  qf:assessmentMethod qf:recognisedCredential qf:recognisedAs qf:recognisedBy
  qf:equivalentOutcome qf:prerequisite elm:awardingBody dcterms:language elm:mode qf:country
  qf:qualityAssurance elm:volumeOfLearning elm:EQFLevel }"""

# ECTS come back as (node, elm:creditPoint, point); equivalence is read in both directions.
_VALUES_OF_NODES = f"""
  {{ {_PROPERTIES} ?s ?p ?o }}
  UNION {{ ?o qf:equivalentOutcome ?s . BIND(qf:equivalentOutcome AS ?p) }}
  UNION {{ ?s elm:creditPoint ?cp . ?cp elm:point ?o . BIND(elm:creditPoint AS ?p)
          OPTIONAL {{ ?cp elm:framework ?fw }} FILTER(!BOUND(?fw) || ?fw = <{ECTS}>) }}
"""

_PARTS = "(elm:hasPart|^elm:isPartOf)"

STRUCTURE = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{
      {{ VALUES ?s {{ $inputs }} }}
      UNION {{ VALUES ?q {{ $targets }} ?q qf:requirement/qf:component* ?s }}
      UNION {{ VALUES ?q {{ $targets }} ?q {_PARTS} ?s }}
      UNION {{ VALUES ?q {{ $targets }} ?q ({_PARTS}|qf:requirement/qf:component*)?/elm:learningOutcome ?s }}
      UNION {{ VALUES ?q {{ $targets }} ?s qf:validates ?q }}
      UNION {{ VALUES ?q {{ $targets }} ?v qf:validates ?q ; qf:validationAuthority ?s }}
      UNION {{ VALUES ?h {{ $held }} ?h {_PARTS} ?s }}
      UNION {{ VALUES ?h {{ $held }} ?h {_PARTS}?/elm:learningOutcome ?s }}
      UNION {{ VALUES ?h {{ $held }} ?s qf:recognisedCredential ?h }}
  }} }}
  {_VALUES_OF_NODES}
}}"""

_PREREQUISITE_STEP = "qf:prerequisite/((qf:equivalentOutcome|^qf:equivalentOutcome)?/^elm:learningOutcome)?"

CANDIDATES = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{
      {{ SELECT DISTINCT ?m WHERE {{
          {{ VALUES ?x {{ $outcomes }} ?m elm:learningOutcome ?x }}
          UNION {{ VALUES ?u {{ $units }} ?ra qf:recognisedAs ?u ; qf:recognisedCredential ?m }}
          ?m a qf:MicroCredential .
      }} }}
      ?m ({_PREREQUISITE_STEP})* ?n .
      {{ BIND(?n AS ?s) }} UNION {{ ?n elm:awardingBody ?s }} UNION {{ ?s qf:recognisedCredential ?n }}
  }} }}
  {_VALUES_OF_NODES}
}}"""


class Facts:
    """Rows of (subject, property, value) indexed by subject and property. IRIs are str."""

    def __init__(self):
        self._by = defaultdict(lambda: defaultdict(set))
        self._inverse = defaultdict(set)

    def add(self, rows) -> "Facts":
        for r in rows:
            s, p, o = str(r["s"]), str(r["p"]), r["o"]
            if isinstance(o, URIRef):
                o = str(o)
                self._inverse[(p, o)].add(s)
            self._by[s][p].add(o)
        return self

    def knows(self, s: str) -> bool:
        return s in self._by

    def values(self, s: str, p) -> set:
        return self._by.get(s, {}).get(str(p), set())

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
        for p in (DCTERMS.title, ELM.legalName, SKOS.prefLabel):
            values = [v for v in self.values(s, p) if isinstance(v, Literal)]
            if values:
                english = [v for v in values if (v.language or "").lower().startswith("en")]
                return str(sorted(english or values, key=str)[0])
        return None

    def subjects(self, p, o: str) -> set[str]:
        return self._inverse.get((str(p), o), set())


def fetch_structure(store: Store, targets: list[str], held: list[str], claims: list[str]) -> Facts:
    inputs = list(dict.fromkeys([*targets, *held, *claims]))
    return Facts().add(store.select(bind(STRUCTURE, {"inputs": inputs, "targets": targets, "held": held})))


def fetch_candidates(store: Store, facts: Facts, outcomes: set[str], units: set[str]) -> Facts:
    if not outcomes and not units:
        return facts
    return facts.add(store.select(bind(CANDIDATES, {"outcomes": sorted(outcomes), "units": sorted(units)})))
