"""The change model: a changeset (one named graph, triples to add and to remove, who and
why), its identity keys (N-Triples), and its effect on the store (what it really adds and
removes, and what leaves the union of the graphs)."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from qfgraph.graph.errors import InvalidInput, Refused
from qfgraph.graph.sparql import UnsafeTermError, bind, check_iri, term
from qfgraph.graph.stores import Store, to_rdflib
from qfgraph.ontology.namespaces import HISTORY_GRAPH, QFG

AGENT_BASE = QFG + "agent/"
PRESENCE_BATCH = 2000  # triples per presence query (VALUES rows)


class Rejected(Refused):
    """A changeset with at least one Violation; nothing was written. `.report` says why."""

    def __init__(self, report, graph: str | None = None):
        super().__init__(report.to_text(), report)
        self.graph = graph


Triple = tuple  # (subject, predicate, object) as rdflib terms


@dataclass
class Changeset:
    """A write to one named graph. Blank nodes in additions become skolem IRIs."""

    graph: str
    additions: Iterable[Triple]
    removals: Iterable[Triple]
    agent: str
    message: str
    expected_version: int | None = None

    def __post_init__(self):
        check_iri(self.graph)
        if self.graph == str(HISTORY_GRAPH):
            raise UnsafeTermError(f"{self.graph} is written only by the changeset history")
        if not self.agent or not str(self.agent).strip():
            raise InvalidInput("a changeset needs an agent (who makes the change)")
        self.message = self.message or ""
        self.additions = skolemise(self.additions, self.graph)
        self.removals = list(self.removals)
        for t in self.removals:
            if any(isinstance(x, BNode) for x in t):
                raise UnsafeTermError(
                    f"a removal cannot contain a blank node (the store holds none): {t!r}")
        # keyed once (a big change has thousands; effect_of and the commit reuse the keys);
        # refuses malformed terms too, before anything is read or written
        self.keys = [ntriple(t) for t in self.additions] + [ntriple(t) for t in self.removals]
        both = set(self.keys[:len(self.additions)]) & set(self.keys[len(self.additions):])
        if both:
            raise InvalidInput(f"a changeset cannot both add and remove a triple: {min(both)}")


@dataclass
class CommitResult:
    changeset: str | None  # IRI of the recorded changeset; None when nothing changed
    graph: str
    version: int
    added: int
    removed: int
    warnings: object = None  # the validation Report (no Violation in it)
    skipped_rules: bool = False

    def to_json(self) -> dict:
        return {"changeset": self.changeset, "graph": self.graph, "version": self.version,
                "added": self.added, "removed": self.removed, "skipped_rules": self.skipped_rules,
                "warnings": self.warnings.to_json() if self.warnings is not None else None}


# ---------------------------------------------------------------------------------------
# terms and N-Triples

def skolemise(triples: Iterable[Triple], graph: str) -> list[Triple]:
    """Replace blank nodes with `<graph>/.well-known/genid/<uuid>` IRIs (one per node)."""
    base = graph.rstrip("/#") + "/.well-known/genid/"
    names: dict[BNode, URIRef] = {}

    def iri(x):
        if isinstance(x, BNode):
            if x not in names:
                names[x] = URIRef(base + uuid.uuid4().hex)
            return names[x]
        return x
    return [(iri(s), p, iri(o)) for s, p, o in triples]


def ntriple(t: Triple) -> str:
    """One triple as an N-Triples line (without the newline): also its identity key."""
    s, p, o = t
    if isinstance(s, Literal) or not isinstance(p, URIRef):
        raise UnsafeTermError(f"not a valid triple (literal subject or non-IRI predicate): {t!r}")
    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))  # xsd:string is the plain literal; one key for both spellings
    return f"{term(s)} {term(p)} {term(o)} ."


def ntriples(triples: Iterable[Triple]) -> str:
    return "".join(ntriple(t) + "\n" for t in triples)


def parse_ntriples(text: str) -> list[Triple]:
    return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
            for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


def agent_iri(name: str) -> str:
    return AGENT_BASE + quote(name.strip(), safe="")


# ---------------------------------------------------------------------------------------
# what is already there

def graphs_holding(store: Store, triples: list[Triple],
                   keys: list[str] | None = None) -> dict[str, set[str]]:
    """For each triple (by its N-Triples key: `keys`, when the caller has them already)
    the named graphs that hold it."""
    found: dict[str, set[str]] = {}
    keys = [ntriple(t) for t in triples] if keys is None else keys
    for i in range(0, len(keys), PRESENCE_BATCH):
        rows = " ".join(f"({k[:-2]})" for k in keys[i:i + PRESENCE_BATCH])
        query = bind("SELECT ?s ?p ?o ?g WHERE { VALUES (?s ?p ?o) { ", {}) + rows + \
            " } GRAPH ?g { ?s ?p ?o } }"
        for r in store.select(query):
            found.setdefault(ntriple((r["s"], r["p"], r["o"])), set()).add(str(r["g"]))
    return found


@dataclass
class Effect:
    """What a changeset really does to the store: triples new to the graph, triples it
    really removes, and removals that leave the union (not held by another graph)."""

    added: list[Triple]
    removed: list[Triple]
    gone: set[str] = field(default_factory=set)  # N-Triples keys no longer in the union
    added_keys: list[str] | None = None          # N-Triples lines of `added`, when known
    removed_keys: list[str] | None = None

    def lines(self, which: str) -> list[str]:
        """The N-Triples lines of `added` or `removed` (keyed here unless known)."""
        known = getattr(self, which + "_keys")
        return known if known is not None else [ntriple(t) for t in getattr(self, which)]


def effect_of(store: Store, changeset: Changeset) -> Effect:
    g = changeset.graph
    triples = changeset.additions + changeset.removals
    keys = changeset.keys
    held = graphs_holding(store, triples, keys)
    added, removed, gone, seen = [], [], set(), set()
    added_keys, removed_keys = [], []
    n = len(changeset.additions)
    for t, k in zip(changeset.additions, keys[:n]):
        if k not in seen and g not in held.get(k, ()):
            added.append(t)
            added_keys.append(k)
        seen.add(k)
    for t, k in zip(changeset.removals, keys[n:]):
        if k not in seen and g in held.get(k, ()):
            removed.append(t)
            removed_keys.append(k)
            if held[k] - {g, str(HISTORY_GRAPH)} == set():
                gone.add(k)
        seen.add(k)
    return Effect(added, removed, gone, added_keys, removed_keys)
