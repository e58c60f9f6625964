"""The write gate: which entries a change affects, the part of store + change their rules
read, and the validation of just those entries.

What the rules read around an entry is the shapes' own knowledge (`shapes.neighbourhood`:
its description, what it links to, and the deeper paths of `PATHS`). The gate:

1. seeds: the changed subjects, and the objects of changed links that a path walks
   backwards (`shapes.change_seeds`);
2. affected entries: the seeds and every entry whose neighbourhood reaches a seed, found on
   the store as it was (`shapes.dependents_query`: a path to a changed triple runs over
   unchanged links up to the first changed one), kept when some shape targets them after
   the change;
3. their neighbourhood after the change, read from the store and from an in-memory store
   holding the additions, minus what the change removes, fetched round by round until every
   node the paths reach is described (a path may run through new links);
4. validation of that extract, reporting only the affected entries.

So the decision equals that of validating the whole graph, while reading only the triples
around the change with a handful of SPARQL queries, whatever the store's size.
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef

from qfgraph import shapes
from qfgraph.graph.changes.changeset import Effect
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import EmbeddedStore, Store, to_oxigraph, to_rdflib

BATCH = 1000  # nodes per VALUES block
FOCUS_BATCH = 500  # entries validated together


class View:
    """The store as it would be after the change: the store's answers plus those of an
    in-memory store holding the additions, minus the triples the change takes away.

    What it reads goes into an in-memory Oxigraph store (the extract): the embedded store's
    answers arrive as N-Triples and are loaded in one call, the SPARQL-based rules query the
    extract itself, and it is turned into an rdflib graph (for SHACL Core) once."""

    def __init__(self, store: Store, graph: str, effect: Effect):
        self.store, self.sources = store, [store]
        self.terms: dict = {}  # Oxigraph term -> rdflib term
        nt = RDF_FORMATS["ntriples"]
        # triples gone from the union, by subject: taken out of what each description reads
        self.gone: dict = {}
        if effect.gone:
            for t in ox.parse("\n".join(effect.gone).encode("utf-8"), format=nt.ox_format):
                self.gone.setdefault(t.subject, []).append(ox.Quad(t.subject, t.predicate, t.object))
        self.added_subjects = {t[0] for t in effect.added}
        if effect.added:
            overlay = EmbeddedStore(None)
            # the additions' N-Triples lines, checked already when effect_of keyed them
            overlay.load("\n".join(effect.lines("added")).encode("utf-8"), nt, graph)
            self.sources.append(overlay)

    def describe(self, nodes: Iterable, into: ox.Store) -> None:
        """Add every triple whose subject is one of `nodes` (after the change) to `into`."""
        query = "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?s { $nodes } ?s ?p ?o }"
        for batch in _batches(nodes):
            self._add(bind(query, {"nodes": batch}), into, self.sources[:1])
            added = [n for n in batch if n in self.added_subjects]   # the overlay holds no other
            if added:
                self._add(bind(query, {"nodes": added}), into, self.sources[1:])
            for node in batch if self.gone else ():
                for quad in self.gone.get(ox.NamedNode(str(node)), ()):
                    into.remove(quad)

    def class_hierarchy(self, into: ox.Store) -> None:
        """Add every rdfs:subClassOf triple: sh:class accepts instances of subclasses
        (a qf:Provider is an elm:Organisation), wherever the entry's type is declared."""
        self._add(bind("CONSTRUCT { ?s rdfs:subClassOf ?o } WHERE { ?s rdfs:subClassOf ?o }"), into,
                  self.sources)
        for quads in self.gone.values():
            for quad in quads:
                if quad.predicate == _SUBCLASS_OF:
                    into.remove(quad)

    def _add(self, construct: str, into: ox.Store, sources: list[Store]) -> None:
        """The triples of a CONSTRUCT on these sources, added to `into`: the embedded store's
        answer as N-Triples in one piece; a remote one's through its `construct`, which
        mends what servers rewrite (durations)."""
        nt = RDF_FORMATS["ntriples"]
        for source in sources:
            if isinstance(source, EmbeddedStore):
                into.load(source.query_serialized(construct, nt.media_type)[0], format=nt.ox_format)
            else:
                into.extend(ox.Quad(*map(to_oxigraph, t)) for t in source.construct(construct))

    def graph(self, extract: ox.Store) -> Graph:
        """The extract as an rdflib graph for SHACL Core (shapes.extract_graph), each
        distinct term converted once."""
        term = self._term
        return shapes.extract_graph((term(q.subject), term(q.predicate), term(q.object)) for q in extract)

    def _term(self, t):
        known = self.terms.get(t)
        if known is None:
            known = self.terms[t] = to_rdflib(t)
        return known

    def close(self) -> None:
        for s in self.sources[1:]:
            s.close()


_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
_TYPE = ox.NamedNode(str(RDF.type))


def _batches(nodes: Iterable) -> list[list]:
    ordered = sorted(n for n in nodes if isinstance(n, URIRef))
    return [ordered[i:i + BATCH] for i in range(0, len(ordered), BATCH)]


def affected(store: Store, effect: Effect) -> set[URIRef]:
    """The seeds of the change and the entries whose neighbourhood reaches them (on the
    store before the change; see the module docstring)."""
    seeds = shapes.change_seeds(effect.added + effect.removed)
    found = set(seeds)
    for batch in _batches(seeds):
        for r in store.select(bind(shapes.dependents_query(), {"changed": batch})):
            found.add(r["focus"])
    return found


def extract(view: View, focus: set[URIRef], data: ox.Store | None = None,
            described: set | None = None) -> ox.Store:
    """The neighbourhood of `focus` after the change, in an in-memory Oxigraph store (added
    to `data`, whose `described` nodes are described already)."""
    data = ox.Store() if data is None else data
    described = set() if described is None else described
    todo = set(focus) - described
    while True:  # each round describes the nodes the paths reach through what is known so far
        view.describe(todo, data)
        described |= todo
        todo = reached(data, focus) - described
        if not todo:
            return data


def reached(data: ox.Store, focus: set[URIRef]) -> set[URIRef]:
    """shapes.reached on the extract, as one query per batch of focus nodes."""
    nodes = set()
    for batch in _batches(focus):
        for row in data.query(bind(shapes.reached_query(), {"focus": batch})):
            if isinstance(row[0], ox.NamedNode):
                nodes.add(URIRef(row[0].value))
    return nodes


def targeted(data: ox.Store, nodes: set[URIRef]) -> set[URIRef]:
    """The nodes some shape checks in `data` (shapes.is_target, with the targets read once)."""
    classes = {ox.NamedNode(str(c)) for c in shapes.target_classes()}
    predicates = {ox.NamedNode(str(p)) for p in shapes.target_predicates()}
    found = set()
    for n in nodes:
        quads = data.quads_for_pattern(ox.NamedNode(str(n)), None, None)
        if any(q.predicate in predicates or (q.predicate == _TYPE and q.object in classes) for q in quads):
            found.add(n)
    return found


def check(store: Store, graph: str, effect: Effect):
    """Validate the entries the change affects on store + change; the shapes' Report
    (Violations mean: do not commit). A big change (a whole register) is validated in
    batches of `FOCUS_BATCH` entries, so memory stays bounded whatever its size."""
    view = View(store, graph, effect)
    results = []
    try:
        candidates = affected(store, effect)
        described = ox.Store()   # the candidates' descriptions: the first round of a single batch
        view.describe(candidates, described)
        focus = sorted(targeted(described, candidates))
        for i in range(0, len(focus), FOCUS_BATCH):
            batch = set(focus[i:i + FOCUS_BATCH])
            if len(focus) <= FOCUS_BATCH:
                data = extract(view, batch, described, set(candidates))
            else:
                data = extract(view, batch)
            view.class_hierarchy(data)
            rdf = view.graph(data)
            report = validate(rdf, batch, data)
            # a message names its value by title: describe values the rules did not read
            untitled = {r.value for r in report.results
                        if isinstance(r.value, URIRef) and (r.value, None, None) not in rdf}
            rdf.close()   # freed now (shapes.ExtractStore.close)
            if untitled:
                view.describe(untitled, data)
                rdf = view.graph(data)
                report = validate(rdf, batch, data)
                rdf.close()
            results.extend(report.results)
    finally:
        view.close()
    return shapes.Report(results, shapes.shapes_graph())


def validate(data: Graph, focus: set[URIRef], engine: ox.Store | None = None):
    """The shapes' report about `focus` only, on `data`, their neighbourhood as extracted
    (`engine`: the same triples in Oxigraph, for the SPARQL-based rules)."""
    if not focus:
        return shapes.Report([], shapes.shapes_graph())
    return shapes.validate(data, focus, extracted=True, engine=engine)
