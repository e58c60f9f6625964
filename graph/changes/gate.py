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
from qfgraph.graph.changes import workers
from qfgraph.graph.changes.changeset import Effect
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import EmbeddedStore, Store, to_oxigraph, to_rdflib
from qfgraph.ontology.namespaces import HISTORY_GRAPH

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
        return workers.rdflib_graph(extract, self.terms)

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


def check(store: Store, graph: str, effect: Effect, progress=None):
    """Validate the entries the change affects on store + change; the shapes' Report
    (Violations mean: do not commit). A big change (a whole register) is validated in
    batches of `FOCUS_BATCH` entries, so memory stays bounded whatever its size, the batches
    in worker processes when there are many (graph.changes.workers)."""
    view = View(store, graph, effect)
    try:
        candidates = affected(store, effect)
        described = ox.Store()   # the candidates' descriptions: the first round of a single batch
        view.describe(candidates, described)
        focus = sorted(targeted(described, candidates))
        if len(focus) > FOCUS_BATCH:
            described, candidates = None, set()
        results = validate_batches(view, focus, described, candidates, progress)
    finally:
        view.close()
    return shapes.Report(results, shapes.shapes_graph())


def validate_batches(view: View, focus: list[URIRef], described: ox.Store | None = None,
                     candidates: set | None = None, progress=None) -> list:
    """The shapes' results about `focus` on the view, batch by batch: each batch of
    `FOCUS_BATCH` entries on its own extract. `described`: the descriptions of `candidates`
    read already (a single batch starts from them). `progress(label, total)` may return a
    callback taking the entries done (None at the end)."""
    batches = [focus[i:i + FOCUS_BATCH] for i in range(0, len(focus), FOCUS_BATCH)]
    tick = progress("checking entries", len(focus)) if progress else None
    results: list = []
    if len(batches) >= workers.WORTH_A_POOL:
        extracts = (_extract_batch(view, batch) for batch in batches)
        for batch, (found, untitled) in zip(batches, workers.validate_extracts(extracts)):
            # a message names a value the rules did not read: that batch again, here
            results.extend(_validate_batch(view, batch) if untitled else found)
            if tick:
                tick(len(batch))
    else:
        for batch in batches:
            results.extend(_validate_batch(view, batch, described, candidates))
            if tick:
                tick(len(batch))
    if tick:
        tick(None)
    return results


def _extract_batch(view: View, batch: list[URIRef]) -> tuple[bytes, list[URIRef]]:
    """A batch's extract with the class hierarchy, as N-Quads for a worker process."""
    data = extract(view, set(batch))
    view.class_hierarchy(data)
    return data.dump(format=ox.RdfFormat.N_QUADS), batch


def _validate_batch(view: View, batch: list[URIRef], described: ox.Store | None = None,
                    candidates: set | None = None) -> list:
    focus = set(batch)
    data = extract(view, focus, described, set(candidates or ())) if described is not None else extract(view, focus)
    view.class_hierarchy(data)
    rdf = view.graph(data)
    report = validate(rdf, focus, data)
    untitled = workers.untitled(report, rdf)
    rdf.close()   # freed now (shapes.ExtractStore.close)
    if untitled:
        view.describe(untitled, data)
        rdf = view.graph(data)
        report = validate(rdf, focus, data)
        rdf.close()
    return report.results


def entries(store: Store, graph: str | None = None) -> list[URIRef]:
    """The entries some shape checks: in one graph, or in every graph but the history."""
    rules = shapes.project_rules()
    query = ("SELECT DISTINCT ?s WHERE { { VALUES ?c { $classes } ?s a/rdfs:subClassOf* ?c } UNION "
             "{ VALUES ?p { $predicates } ?s ?p ?o } FILTER(isIRI(?s)) "
             "FILTER EXISTS { GRAPH ?g { ?s ?any ?v } FILTER(?g != $history) $in_graph } }")
    in_graph = "FILTER(?g = $graph)" if graph else ""
    text = bind(query.replace("$in_graph", in_graph),
                {"classes": sorted(rules.target_classes()), "predicates": sorted(rules.target_predicates()),
                 "history": HISTORY_GRAPH, **({"graph": URIRef(graph)} if graph else {})})
    return sorted(r["s"] for r in store.select(text))


def holds_blank_subjects(store: Store) -> bool:
    """Whether some graph but the history describes a blank node (the gate reads IRIs only)."""
    return store.ask(bind("ASK { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) && ?g != $history) }",
                          {"history": HISTORY_GRAPH}))


def validate_store(store: Store, graph: str | None = None, progress=None):
    """Every entry of the store (or of one graph), validated as the gate validates a change,
    on the store as it is: the same Report as validating the union of the graphs at once.
    A store with blank-node subjects is validated at once (None: the caller does)."""
    if holds_blank_subjects(store):
        return None
    view = View(store, graph, Effect([], []))
    try:
        results = validate_batches(view, entries(store, graph), progress=progress)
    finally:
        view.close()
    return shapes.Report(shapes.report.unique(results), shapes.shapes_graph())


def validate(data: Graph, focus: set[URIRef], engine: ox.Store | None = None):
    """The shapes' report about `focus` only, on `data`, their neighbourhood as extracted
    (`engine`: the same triples in Oxigraph, for the SPARQL-based rules)."""
    if not focus:
        return shapes.Report([], shapes.shapes_graph())
    return shapes.validate(data, focus, extracted=True, engine=engine)
