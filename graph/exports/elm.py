"""Qualifications and micro-credentials as ELM that the Europass QDR shapes accept
(LOQ-constraints with LOQ-constraints-mdr: closed shapes, concepts in their schemes).

What the QDR profile has room for goes out: titles, descriptions, EQF / NQF levels, ISCED-F,
ECTS, volume of learning, mode, learning setting, language, entry requirement, learning
outcomes with ESCO skills, and the awarding body (through an awarding opportunity, the
organisation located by its country). A micro-credential is an elm:Qualification whose dc:type
is the short learning programme, as in the Europass micro-credential sample. Units, requirement
rules, recognition agreements, validation standards and the Annex I assessment and quality
assurance types have no place in the closed QDR shapes and stay in the graph. A record the QDR
profile would refuse (no ISCED-F code, no NQF level, not exactly one EQF level, no outcome) is
left out and listed in `skipped` with the reason.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from qfgraph.graph.exports.jsonld_writer import compact
from qfgraph.graph.imports.jsonld import bundled_context, lexical_forms
from qfgraph.graph.imports.vocab import language_iri
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import Store, to_oxigraph
from qfgraph.ontology import namespaces
from qfgraph.ontology.namespaces import SHORT_LEARNING_PROGRAMME


class _Terms:
    """A namespace whose terms are made once: rdflib builds (and checks) a new IRI on every
    attribute access, which the export does hundreds of thousands of times."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name):
        value = self._namespace[name]
        setattr(self, name, value)
        return value


ELM, QF, ROV = _Terms(namespaces.ELM), _Terms(namespaces.QF), _Terms(namespaces.ROV)
DCTERMS, RDF, SKOS = _Terms(DCTERMS), _Terms(RDF), _Terms(SKOS)

EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
LOCATION = DCTERMS.Location

# One query per kind of node, each starting from the typed entities (a UNION of them would be
# evaluated on its own first: a scan of the whole store).
ENTITY = "{ $graph_pattern } VALUES ?cls { elm:Qualification qf:MicroCredential } "
QUERIES = (
    "SELECT (?s AS ?x) ?p ?o WHERE { " + ENTITY + "?s ?p ?o }",
    "SELECT (?n AS ?x) ?p ?o WHERE { " + ENTITY + "?s elm:creditPoint|elm:entryRequirement ?n . ?n ?p ?o }",
    "SELECT DISTINCT (?lo AS ?x) ?p ?o WHERE { " + ENTITY + "?s elm:learningOutcome ?lo . "
    "VALUES ?p { dcterms:title elm:relatedESCOSkill } ?lo ?p ?o }",
    "SELECT DISTINCT (?org AS ?x) ?p ?o WHERE { " + ENTITY + "?s elm:awardingBody ?org . "
    "VALUES ?p { elm:legalName qf:country } ?org ?p ?o }",
    "SELECT DISTINCT (?c AS ?x) ?p ?o WHERE { " + ENTITY + "?s elm:EQFLevel|elm:NQFLevel ?c . "
    "BIND(skos:prefLabel AS ?p) ?c ?p ?o }",
)


class Model:
    """The model triples the export reads, indexed by subject and predicate (plain dicts:
    an rdflib graph costs more to fill than the whole export)."""

    def __init__(self):
        self.index: dict = defaultdict(lambda: defaultdict(list))

    def add(self, s, p, o) -> None:
        self.index[s][p].append(o)

    def objects(self, s, p) -> list:
        return self.index[s].get(p, []) if s in self.index else []

    def value(self, s, p):
        values = self.objects(s, p)
        return min(values, key=str) if values else None

    def has(self, s, p, o=None) -> bool:
        values = self.objects(s, p)
        return bool(values) if o is None else o in values

    def of_type(self, cls) -> list:
        return [s for s, props in self.index.items() if cls in props.get(RDF.type, ())]


@dataclass
class ElmExport:
    triples: set
    exported: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)   # entity → reasons

    @cached_property
    def graph(self) -> Graph:
        """The export as an rdflib graph (for validation with pySHACL)."""
        g = Graph()
        for t in self.triples:
            g.add(t)
        return g


def scheme_of(concept: URIRef) -> URIRef | None:
    """EU vocabularies keep a concept's scheme beside it: …/snb/<list>/25831c2, and
    …/authority/<list> for the Publications Office tables."""
    text = str(concept)
    if text.startswith("http://data.europa.eu/snb/"):
        return URIRef(text.rsplit("/", 1)[0] + "/25831c2")
    if text.startswith("http://publications.europa.eu/resource/authority/"):
        return URIRef(text.rsplit("/", 1)[0])
    return None     # ESCO: the QDR shapes' ESCO scheme pattern matches no published scheme


def read_model(store: Store, graph: str | None) -> Model:
    pattern = "GRAPH $g { ?s a ?cls }" if graph else "?s a ?cls"
    model = Model()
    with lexical_forms():
        for query in QUERIES:
            for row in store.select(bind(query.replace("$graph_pattern", pattern),
                                         {"g": URIRef(graph)} if graph else {})):
                model.add(row["x"], row["p"], row["o"])
    return model


def missing(model: Model, s) -> list[str]:
    """Why the QDR profile would refuse this record, in words; empty when it would not."""
    reasons = []
    if not any(isinstance(t, Literal) and t.language for t in model.objects(s, DCTERMS.title)):
        reasons.append("no title")
    if len(set(model.objects(s, ELM.EQFLevel))) != 1:
        reasons.append("not exactly one EQF level")
    for p, what in ((ELM.NQFLevel, "no NQF level"), (ELM.ISCEDFCode, "no ISCED-F code"),
                    (ELM.learningOutcome, "no learning outcome")):
        if not model.has(s, p):
            reasons.append(what)
    return reasons


class ElmWriter:
    def __init__(self, model: Model):
        self.model, self.out = model, TripleSet()
        self.done: set = set()          # concepts, outcomes and organisations already written

    def concept(self, c) -> URIRef:
        if c in self.done:
            return c
        self.done.add(c)
        self.out.add((c, RDF.type, SKOS.Concept))
        scheme = scheme_of(c)
        if scheme is not None:
            self.out.add((c, SKOS.inScheme, scheme))
            self.out.add((scheme, RDF.type, SKOS.ConceptScheme))
        languages = set()
        for label in sorted(self.model.objects(c, SKOS.prefLabel), key=str):
            if label.language not in languages:        # one label per language (QDR)
                languages.add(label.language)
                self.out.add((c, SKOS.prefLabel, label))
        return c

    def qualification(self, s, is_micro: bool) -> None:
        add, m = self.out.add, self.model
        add((s, RDF.type, ELM.Qualification))
        for p in (DCTERMS.title, DCTERMS.description):
            for o in m.objects(s, p):
                if isinstance(o, Literal) and o.language:
                    add((s, p, o))
        for p in (ELM.EQFLevel, ELM.NQFLevel, ELM.ISCEDFCode, ELM.mode):
            for o in m.objects(s, p):
                add((s, p, self.concept(o)))
        for p in (ELM.learningSetting, ELM.volumeOfLearning):      # at most one each
            o = min(m.objects(s, p), default=None, key=str)
            if o is not None:
                add((s, p, self.concept(o) if isinstance(o, URIRef) else o))
        for lang in m.objects(s, DCTERMS.language):
            iri = language_iri(str(lang))
            if iri is not None:
                add((s, DCTERMS.language, self.concept(iri)))
        if is_micro:
            add((s, DCTERMS.type, self.concept(SHORT_LEARNING_PROGRAMME)))
        self.credits(s)
        self.entry_requirement(s)
        for lo in m.objects(s, ELM.learningOutcome):
            self.outcome(s, lo)
        for org in m.objects(s, ELM.awardingBody):
            self.awarding(s, org)

    def credits(self, s) -> None:
        for cp in self.model.objects(s, ELM.creditPoint):
            framework = self.model.value(cp, ELM.framework)
            point = self.model.value(cp, ELM.point)
            if framework is not None and point is not None:
                self.out.add((s, ELM.creditPoint, cp))
                self.out.add((cp, RDF.type, ELM.CreditPoint))
                self.out.add((cp, ELM.framework, self.concept(framework)))
                self.out.add((cp, ELM.point, Literal(str(point))))

    def entry_requirement(self, s) -> None:
        note = min(self.model.objects(s, ELM.entryRequirement), default=None, key=str)
        texts = list(self.model.objects(note, ELM.noteLiteral)) if note is not None else []
        if texts:
            self.out.add((s, ELM.entryRequirement, note))
            self.out.add((note, RDF.type, ELM.Note))
            for t in texts:
                self.out.add((note, ELM.noteLiteral, t))

    def outcome(self, s, lo) -> None:
        titles = [t for t in self.model.objects(lo, DCTERMS.title) if isinstance(t, Literal) and t.language]
        if not titles:
            return
        self.out.add((s, ELM.learningOutcome, lo))
        if lo in self.done:
            return
        self.done.add(lo)
        self.out.add((lo, RDF.type, ELM.LearningOutcome))
        for t in titles:
            self.out.add((lo, DCTERMS.title, t))
        for skill in self.model.objects(lo, ELM.relatedESCOSkill):
            self.out.add((lo, ELM.relatedESCOSkill, self.concept(skill)))

    def awarding(self, s, org) -> None:
        names = [n for n in self.model.objects(org, ELM.legalName) if isinstance(n, Literal) and n.language]
        country = self.model.value(org, QF.country)
        if not names or country is None:
            return          # the QDR organisation needs a legal name and a located address
        opportunity = URIRef(f"{s}#awarding")
        add = self.out.add
        add((s, ELM.awardingOpportunity, opportunity))
        add((opportunity, RDF.type, ELM.AwardingOpportunity))
        add((opportunity, ELM.awardingBody, org))
        add((opportunity, ELM.learningAchievementSpecification, s))
        if org in self.done:
            return
        self.done.add(org)
        add((org, RDF.type, ELM.Organisation))
        for n in names:
            add((org, ROV.legalName, n))
        location, address = URIRef(f"{org}#location"), URIRef(f"{org}#address")
        add((org, ELM.location, location))
        add((location, RDF.type, LOCATION))
        add((location, ELM.address, address))
        add((address, RDF.type, ELM.Address))
        add((address, ELM.countryCode, self.concept(country)))


def export_elm(store: Store, graph: str | None = None, progress=None) -> ElmExport:
    """The ELM graph of the qualifications and micro-credentials of one graph (or all).
    `progress(label, total)` may return a callback taking entities done (None at the end)."""
    model = read_model(store, graph)
    writer = ElmWriter(model)
    result = ElmExport(writer.out.triples)
    entities = sorted({s for cls in (ELM.Qualification, QF.MicroCredential) for s in model.of_type(cls)}, key=str)
    tick = progress("exporting ELM", len(entities)) if progress else None
    for s in entities:
        reasons = missing(model, s)
        if reasons:
            result.skipped[str(s)] = reasons
        else:
            writer.qualification(s, model.has(s, RDF.type, QF.MicroCredential))
            result.exported.append(str(s))
        if tick:
            tick(1)
    if tick:
        tick(None)
    return result


def serialize_elm(export: ElmExport, fmt: str = "jsonld") -> bytes:
    """JSON-LD compacted with the EDC context (named by its URL, as Europass expects), or Turtle."""
    if fmt == "turtle":
        quads = (ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in export.triples)
        return ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes={"elm": str(namespaces.ELM),
                                                                         "skos": str(namespaces.SKOS),
                                                                         "dcterms": str(namespaces.DCTERMS)})
    document = compact(export.triples, bundled_context(EDC_CONTEXT), EDC_CONTEXT)
    return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8")


class TripleSet:
    """The export's triples: a set is all an exporter needs, and fills fast."""

    def __init__(self):
        self.triples: set = set()

    def add(self, triple) -> None:
        self.triples.add(triple)
