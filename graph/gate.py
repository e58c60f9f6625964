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

from rdflib import RDF, RDFS, Graph, URIRef

import shapes
from graph.changeset import Effect, ntriple, ntriples
from graph.sparql import bind
from graph.store import RDF_FORMATS, EmbeddedStore, Store

BATCH = 1000  # nodes per VALUES block
FOCUS_BATCH = 500  # entries validated together


class View:
    """The store as it would be after the change: the store's answers plus those of an
    in-memory store holding the additions, minus the triples the change takes away."""

    def __init__(self, store: Store, graph: str, effect: Effect):
        self.store, self.sources, self.gone = store, [store], effect.gone
        if effect.added:
            overlay = EmbeddedStore(None)
            overlay.load(ntriples(effect.added).encode("utf-8"), RDF_FORMATS["ntriples"], graph)
            self.sources.append(overlay)

    def describe(self, nodes: Iterable, into: Graph) -> None:
        """Add every triple whose subject is one of `nodes` (after the change) to `into`."""
        for batch in _batches(nodes):
            query = bind("SELECT ?s ?p ?o WHERE { VALUES ?s { $nodes } ?s ?p ?o }", {"nodes": batch})
            for source in self.sources:
                into.addN((r["s"], r["p"], r["o"], into) for r in source.select(query)
                          if not self.gone or ntriple((r["s"], r["p"], r["o"])) not in self.gone)

    def class_hierarchy(self, into: Graph) -> None:
        """Add every rdfs:subClassOf triple: sh:class accepts instances of subclasses
        (a qf:Provider is an elm:Organisation), wherever the entry's type is declared."""
        query = bind("SELECT ?s ?o WHERE { ?s rdfs:subClassOf ?o }")
        for source in self.sources:
            into.addN((r["s"], RDFS.subClassOf, r["o"], into) for r in source.select(query)
                      if not self.gone or ntriple((r["s"], RDFS.subClassOf, r["o"])) not in self.gone)

    def close(self) -> None:
        for s in self.sources[1:]:
            s.close()


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


def extract(view: View, focus: set[URIRef]) -> Graph:
    """The neighbourhood of `focus` after the change, as an rdflib graph."""
    data, described = Graph(), set()
    todo = set(focus)
    while todo:  # each round describes the nodes the paths reach through what is known so far
        view.describe(todo, data)
        described |= todo
        todo = {n for n in shapes.reached(data, focus) if isinstance(n, URIRef)} - described
    return data


def _graph() -> Graph:
    # the plain in-memory store: adding triples costs half of the default one's (pySHACL
    # needs the default, context-aware one for the data it validates)
    return Graph(store="SimpleMemory")


def targeted(data: Graph, nodes: set[URIRef]) -> set[URIRef]:
    """The nodes some shape checks in `data` (shapes.is_target, with the targets read once)."""
    classes, predicates = shapes.target_classes(), shapes.target_predicates()
    return {n for n in nodes
            if any(t in classes for t in data.objects(n, RDF.type))
            or any(p in predicates for p in data.predicates(n, None))}


def check(store: Store, graph: str, effect: Effect):
    """Validate the entries the change affects on store + change; the shapes' Report
    (Violations mean: do not commit). A big change (a whole register) is validated in
    batches of `FOCUS_BATCH` entries, so memory stays bounded whatever its size."""
    view = View(store, graph, effect)
    results = []
    try:
        candidates = affected(store, effect)
        described = _graph()
        view.describe(candidates, described)
        focus = sorted(targeted(described, candidates))
        for i in range(0, len(focus), FOCUS_BATCH):
            batch = set(focus[i:i + FOCUS_BATCH])
            data = extract(view, batch)
            view.class_hierarchy(data)
            report = validate(data, batch)
            # a message names its value by title: describe values the rules did not read
            untitled = {r.value for r in report.results
                        if isinstance(r.value, URIRef) and (r.value, None, None) not in data}
            if untitled:
                view.describe(untitled, data)
                report = validate(data, batch)
            results.extend(report.results)
    finally:
        view.close()
    return shapes.Report(results, shapes.shapes_graph())


def validate(data: Graph, focus: set[URIRef]):
    """The shapes' report about `focus` only. The whole extract is validated and the results
    filtered, rather than passing focus nodes to pySHACL, whose focus filter also drops the
    value nodes of nested shapes (sh:or / sh:qualifiedValueShape) and so reports false
    Violations."""
    if not focus:
        return shapes.Report([], shapes.shapes_graph())
    report = shapes.validate(data)
    return shapes.Report([r for r in report.results if r.focus in focus], shapes.shapes_graph())
