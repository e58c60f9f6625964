"""Reading a stacking situation from the graph in a few SPARQL queries, whatever its size.

1. the nodes: the targets, their requirement trees, units, outcomes and validation standards;
   what the learner holds or claims; and the candidate micro-credentials: those covering a
   required outcome (or a declared equivalent) or recognised as a unit of the target;
   then, one query per level, everything their prerequisites lead to (a level is a VALUES
   list: the closure is computed here, not by a transitive property path, which Virtuoso 7
   refuses or answers wrongly when its start is bound);
2. the values of those nodes (VALUES ?s), as plain (subject, property, value) rows: of the
   candidate micro-credentials only what the programme needs (type, outcomes, prerequisites,
   ECTS), not the details only a filter or an answer shows;
3. those details (titles, languages, forms of participation, countries, providers and their
   names, quality assurance, volume, level), only for the micro-credentials that need them:
   all candidates when a constraint filters on them or no path exists (the reasons name
   them), else only those of the paths returned.

Splitting the first two keeps the engine from joining the node set against every triple of
the store; the third keeps a lookup from reading, for a hundred candidates, details it shows
for five (reading rows is most of the cost of a query). Results come back serialized by the
engine as SPARQL TSV, which is faster to read than term objects or JSON and works the same
on the embedded and on a remote store.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import NamedTuple

from rdflib.namespace import DCTERMS, SKOS

from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import Store
from qfgraph.ontology.namespaces import ECTS, ELM

# Plain triple patterns, BIND and UNIONs only (no `?`, `|` or `^` in paths, no transitive path
# from a bound start): Virtuoso 7 refuses or silently mis-answers those, and every engine runs
# these well. Only `qf:component*` from a requirement stays: Virtuoso answers that one right.
# Each branch is a whole group (a BIND in a group of its own would not see the outer values);
# the inputs are nodes without a query (a branch of only VALUES empties Virtuoso's answer).


def _branches(prefix: str, *tails: str) -> str:
    return "\n  UNION ".join(f"{{ {prefix} {tail} }}" for tail in tails)


def _fill(template: str, **lists: list[str]) -> str:
    """bind() for a template using lists of IRIs in several branches (`@name@`): each list is
    checked and written once, by bind, then put in every place (one pass: what is put in is
    never read again)."""
    text = bind(template, {})
    blocks = {name: bind(f"${name}", {name: values}, prefixes=False) for name, values in lists.items()}
    return re.sub(r"@([a-z]+)@", lambda m: blocks[m.group(1)], text)


_TARGETS = "VALUES ?q { @targets@ }"
_PART_OF_TARGET = "{ ?q elm:hasPart ?u } UNION { ?u elm:isPartOf ?q }"
# the target's units and the nodes of its requirement tree, as ?u
_STRUCTURE = f"{_TARGETS} {{ {_PART_OF_TARGET} }} UNION {{ ?q qf:requirement ?r . ?r qf:component* ?u }}"
_HELD = "VALUES ?h { @held@ }"
_HELD_PARTS = f"{_HELD} {{ ?h elm:hasPart ?x }} UNION {{ ?x elm:isPartOf ?h }}"
# what covers a required outcome (the node itself or an outcome of it), or an outcome declared
# equivalent to it; written out, not with BIND: a join after a BIND would scan every outcome
_COVERING = [f"{step} ?s elm:learningOutcome {e} BIND(true AS ?candidate)"
             for o, to_outcome in (("?u", ""), ("?o", "?u elm:learningOutcome ?o ."))
             for e, step in ((o, to_outcome), ("?e", f"{to_outcome} {o} qf:equivalentOutcome ?e ."),
                             ("?e", f"{to_outcome} ?e qf:equivalentOutcome {o} ."))]

# the nodes found from the targets, and from what the learner holds; a VALUES in every branch
# (one ahead of a UNION would be joined after the branches, which would scan the store)
_FROM_TARGETS = [
    _branches(_STRUCTURE, "BIND(?u AS ?s)", "?u elm:learningOutcome ?s", *_COVERING),
    _branches(_TARGETS, "?q elm:learningOutcome ?s", "?s qf:validates ?q",
              "?v qf:validates ?q ; qf:validationAuthority ?s"),
    _branches(f"{_TARGETS} {{ {_PART_OF_TARGET} }}",
              "?a qf:recognisedAs ?u ; qf:recognisedCredential ?s BIND(true AS ?candidate)")]
_FROM_HELD = [
    _branches(_HELD, "?h elm:learningOutcome ?s", "?s qf:recognisedCredential ?h"),
    _branches(_HELD_PARTS, "BIND(?x AS ?s)", "?x elm:learningOutcome ?s")]


def nodes_query(targets: list[str], held: list[str]) -> str | None:
    """The nodes query for these targets and credentials held (None: nothing to ask). Only the
    branches with a start: Virtuoso refuses `qf:component*` from an empty VALUES."""
    branches = (_FROM_TARGETS if targets else []) + (_FROM_HELD if held else [])
    if not branches:
        return None
    return _fill("SELECT DISTINCT ?s ?candidate WHERE {\n  " + "\n  UNION ".join(branches) + "\n}",
                 targets=targets, held=held)


# One level of the candidates' closure: what the prerequisites of the frontier lead to (the
# prerequisite itself, what carries it or an equivalent outcome) as ?next and, as plain nodes
# (?s), the recognition agreements naming the frontier. One VALUES ahead of the branches, each
# of which starts from ?m: the engines join it into every branch (the frontier is the whole
# candidate list at first, and reading its IRIs once rather than five times is most of the
# query's cost).
NEXT_LEVEL = """
SELECT DISTINCT ?next ?s WHERE {
  VALUES ?m { $frontier }
  { ?m qf:prerequisite ?o . BIND(?o AS ?next) }
  UNION { ?m qf:prerequisite ?o . ?next elm:learningOutcome ?o }
  UNION { ?m qf:prerequisite ?o . ?o qf:equivalentOutcome ?e . ?next elm:learningOutcome ?e }
  UNION { ?m qf:prerequisite ?o . ?e qf:equivalentOutcome ?o . ?next elm:learningOutcome ?e }
  UNION { ?s qf:recognisedCredential ?m }
}"""

_PROPERTIES = """rdf:type dcterms:title elm:legalName skos:prefLabel qf:requirement qf:component
  qf:requiredCount qf:minimumCredits elm:hasPart elm:isPartOf elm:learningOutcome qf:validates
  qf:validatesUnit qf:validatesOutcome qf:maximumShare qf:validationAuthority qf:assessmentMethod
  qf:recognisedCredential qf:recognisedAs qf:recognisedBy qf:equivalentOutcome qf:prerequisite
  elm:EQFLevel""".split()
_TITLES_READ = "dcterms:title elm:legalName skos:prefLabel".split()
# What only a constraint or an answer needs of a micro-credential (see DETAILS).
DETAIL_PROPERTIES = """elm:awardingBody dcterms:language elm:mode qf:country qf:qualityAssurance
  elm:volumeOfLearning elm:EQFLevel""".split() + _TITLES_READ

_CREDITS = """?s elm:creditPoint ?point . ?point elm:point ?o . BIND(elm:creditPoint AS ?p)
       OPTIONAL { ?point elm:framework ?framework }"""
# The values of the nodes: every property above for the structure and the learner's side
# ($nodes); for the candidate micro-credentials ($candidates, most of the rows) only what the
# programme needs: type, outcomes, prerequisites, ECTS. ECTS come back as (node,
# elm:creditPoint, point, its credit framework) and equivalence is read in both directions.
# No branch starts with a BIND of a constant: Virtuoso then evaluates that branch without the
# VALUES ahead of it (every rdf:type of the store, hundreds of thousands of rows).
VALUES_OF_NODES = f"""
SELECT ?s ?p ?o ?framework WHERE {{
  {{ VALUES ?s {{ $nodes }}
     {{ ?s ?p ?o FILTER(?p IN ({", ".join(_PROPERTIES)})) }}
     UNION {{ {_CREDITS} }}
     UNION {{ ?o ?p ?s FILTER(?p = qf:equivalentOutcome) }} }}
  UNION {{ VALUES ?s {{ $candidates }}
     {{ ?s ?p ?o FILTER(?p IN (rdf:type, elm:learningOutcome, qf:prerequisite)) }}
     UNION {{ {_CREDITS} }} }}
}}"""


# The details of some micro-credentials, and the names of their awarding bodies.
DETAILS = f"""
SELECT ?s ?p ?o WHERE {{
  {{ VALUES ?s {{ $mcs }} ?s ?p ?o FILTER(?p IN ({", ".join(DETAIL_PROPERTIES)})) }}
  UNION {{ VALUES ?m {{ $mcs }} ?m elm:awardingBody ?s . ?s ?p ?o
          FILTER(?p IN ({", ".join(_TITLES_READ)})) }}
}}"""


class Lit(NamedTuple):
    """A literal as read from the results: its lexical value, language tag and datatype."""
    value: str
    lang: str | None = None
    datatype: str | None = None

    def __str__(self) -> str:
        return self.value


_TSV = "text/tab-separated-values"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def select_rows(store: Store, query: str, variables: list[str]) -> list[list[str]]:
    """The rows of a SELECT as lists of cells, one per variable in `variables` ("" when
    unbound; IRIs as <iri>, literals in N-Triples form). Read from SPARQL 1.1 TSV: splitting
    lines is much faster than decoding JSON (a remote store that writes another TSV is asked
    for JSON and converted by the engine, see graph.stores.remote)."""
    body, _, _ = store.query_serialized(query, _TSV)
    header, *lines = body.decode("utf-8").split("\n")
    rows = [line.rstrip("\r").split("\t") for line in lines if line.strip("\r")]
    columns = [v.lstrip("?$") for v in header.rstrip("\r").split("\t")]
    if columns == variables:
        return rows
    at = [columns.index(v) if v in columns else None for v in variables]
    return [[row[i] if i is not None and i < len(row) else "" for i in at] for row in rows]


def iri(cell: str) -> str | None:
    return cell[1:-1] if cell[:1] == "<" else None


def literal(cell: str) -> "Lit":
    """A literal cell: "text", "text"@lang, "text"^^<datatype>, or a bare number or boolean."""
    if cell[:1] != '"':
        kind = "boolean" if cell in ("true", "false") else "double" if "e" in cell.lower() \
            else "decimal" if "." in cell else "integer"
        return Lit(cell, None, _XSD + kind)
    end = cell.rindex('"')
    text = cell[1:end]
    if "\\" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
                           else _ESCAPES.get(m.group(3), m.group(3)), text)
    tail = cell[end + 1:]
    if tail[:1] == "@":
        return Lit(text, tail[1:], None)
    return Lit(text, None, tail[3:-1] if tail[:3] == "^^<" else None)


_EMPTY: frozenset = frozenset()
_ECTS_CELL = f"<{ECTS}>"
_TITLES = (str(DCTERMS.title), str(ELM.legalName), str(SKOS.prefLabel))


class Names:
    """Plain-string IRIs of a namespace, made once (rdflib's Namespace builds a new URIRef on
    every attribute access, which shows in the hot loops that read a situation)."""

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

    def add(self, rows) -> "Facts":
        """Rows of (subject, property, value[, credit framework]) cells (see select_rows)."""
        self._by_property.clear()
        by, inverse = self._by, self._inverse
        for row in rows:
            if len(row) > 3 and row[3] and row[3] != _ECTS_CELL:
                continue  # credit points in another system than ECTS
            s, p, o = row[0][1:-1], row[1][1:-1], row[2]
            if o[:1] == "<":
                value = o[1:-1]
                inverse[(p, value)].add(s)
            elif o[:2] == "_:":
                value = o[2:]
                inverse[(p, value)].add(s)
            else:
                value = literal(o)
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
    """Everything about the targets and the learner: the nodes, one query per level of the
    candidates' prerequisite closure (levels are few), then the values of all the nodes
    (of the candidates only what the programme needs: see VALUES_OF_NODES)."""
    inputs = list(dict.fromkeys([*targets, *held, *claims]))
    nodes, candidates = dict.fromkeys(inputs), {}
    query = nodes_query(targets, held)
    for s, candidate in select_rows(store, query, ["s", "candidate"]) if query else ():
        if s[:1] == "<":
            (candidates if candidate else nodes)[s[1:-1]] = None
    closure, frontier = set(candidates), dict(candidates)
    while frontier:
        found = {}
        for following, s in select_rows(store, bind(NEXT_LEVEL, {"frontier": list(frontier)}), ["next", "s"]):
            for node in (iri(following), iri(s)):
                if node and node not in candidates:
                    nodes[node] = None  # a prerequisite may be an outcome: all its values
            if iri(following) and iri(following) not in closure:
                found[iri(following)] = None
        closure.update(found)
        frontier = found
    lean = [c for c in candidates if c not in nodes]  # a unit carrying a required outcome is both
    return Facts().add(select_rows(store, bind(VALUES_OF_NODES, {"nodes": list(nodes), "candidates": lean}),
                                   ["s", "p", "o", "framework"]))


def details(store: Store, mcs: list[str]) -> Facts:
    """The details of these micro-credentials (see DETAILS), in one query."""
    return Facts().add(select_rows(store, bind(DETAILS, {"mcs": mcs}), ["s", "p", "o"])) if mcs else Facts()
