"""One entity: everything said about it, with the labels of what it links to, and its JSON
form (levels, credits, units, outcomes, related things) for the API and the pages."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from qfgraph.graph.catalogue.ids import country_code, id_of, text_or_none
from qfgraph.graph.errors import NotFound
from qfgraph.graph.sparql import bind
from qfgraph.ontology.namespaces import ECTS, ELM, QF

LABELS = "dcterms:title|skos:prefLabel|elm:legalName|rdfs:label"


@dataclass
class Entity:
    iri: str
    types: list[str] = field(default_factory=list)
    # predicate IRI -> list of (object term, English label or None)
    values: dict[str, list] = field(default_factory=dict)
    # incoming links: predicate IRI -> list of (subject term, label)
    incoming: dict[str, list] = field(default_factory=dict)

    def objects(self, predicate) -> list:
        return [o for o, _ in self.values.get(str(predicate), [])]

    def texts(self, predicate) -> dict[str, str]:
        return {(o.language or ""): str(o) for o in self.objects(predicate) if isinstance(o, Literal)}

    def refs(self, predicate) -> list[dict]:
        return [{"iri": str(o), "label": text_or_none(label)} for o, label in self.values.get(str(predicate), [])
                if isinstance(o, URIRef)]


def describe(store, iri: str) -> Entity:
    """Everything said about `iri`, with labels of what it links to; 404 if nothing."""
    rows = store.select(bind(f"""
      SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {{
        $s ?p ?o .
        OPTIONAL {{ ?o {LABELS} ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }}
      }} GROUP BY ?p ?o""", {"s": URIRef(iri)}))
    if not rows:
        raise NotFound(f"nothing is known about <{iri}>")
    entity = Entity(iri)
    for r in rows:
        entity.values.setdefault(str(r["p"]), []).append((r["o"], r.get("label")))
    entity.types = [str(t) for t in entity.objects(RDF.type)]
    incoming = store.select(bind(f"""
      SELECT ?p ?s (SAMPLE(?l) AS ?label) WHERE {{
        ?s ?p $o . FILTER(?p != rdf:type)
        OPTIONAL {{ ?s {LABELS} ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }}
      }} GROUP BY ?p ?s LIMIT 500""", {"o": URIRef(iri)}))
    for r in incoming:
        entity.incoming.setdefault(str(r["p"]), []).append((r["s"], r.get("label")))
    return entity


def level_details(store, iris: list) -> list[dict]:
    if not iris:
        return []
    rows = store.select(bind("""
      SELECT ?level (SAMPLE(?n) AS ?notation) (SAMPLE(?l) AS ?label) (SAMPLE(?f) AS ?fw) (SAMPLE(?r) AS ?ref)
      WHERE { VALUES ?level { $levels }
        OPTIONAL { ?level skos:notation ?n }
        OPTIONAL { ?level skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en")) }
        OPTIONAL { ?level qf:levelFramework|skos:inScheme ?f }
        OPTIONAL { ?level qf:referencedTo ?r }
      } GROUP BY ?level""", {"levels": [URIRef(str(i)) for i in iris]}))
    return [{"iri": str(r["level"]), "notation": text_or_none(r.get("notation")), "label": text_or_none(r.get("label")),
             "framework": text_or_none(r.get("fw")), "referencedTo": text_or_none(r.get("ref"))} for r in rows]


def credits_of(store, iri: str) -> float | None:
    rows = store.select(bind("""SELECT ?p WHERE { $s elm:creditPoint ?cp . ?cp elm:point ?p .
        OPTIONAL { ?cp elm:framework ?f } FILTER(!BOUND(?f) || ?f = $ects) } LIMIT 1""",
                             {"s": URIRef(iri), "ects": URIRef(ECTS)}))
    try:
        return float(rows[0]["p"]) if rows else None
    except ValueError:
        return None


SKIP_RELATED = {str(RDF.type), str(DCTERMS.title), str(DCTERMS.description), str(ELM.EQFLevel),
                str(ELM.NQFLevel), str(ELM.hasPart), str(ELM.learningOutcome), str(ELM.creditPoint),
                str(QF.country)}


def entity_json(store, entity: Entity, base: str) -> dict:
    eqf = level_details(store, entity.objects(ELM.EQFLevel))
    related = {p: [{"iri": str(o), "label": text_or_none(l)} for o, l in vals if isinstance(o, URIRef)]
               for p, vals in entity.values.items() if p not in SKIP_RELATED}
    return {
        "id": id_of(entity.iri, base) if entity.iri.startswith(base) else None,
        "iri": entity.iri,
        "types": entity.types,
        "title": entity.texts(DCTERMS.title) or entity.texts(SKOS.prefLabel) or entity.texts(ELM.legalName),
        "description": entity.texts(DCTERMS.description),
        "eqfLevel": eqf[0] if eqf else None,
        "nqfLevels": level_details(store, entity.objects(ELM.NQFLevel)),
        "credits": credits_of(store, entity.iri),
        "country": country_code(next(iter(entity.objects(QF.country)), None)),
        "units": entity.refs(ELM.hasPart),
        "outcomes": entity.refs(ELM.learningOutcome),
        "related": {p: v for p, v in related.items() if v},
    }
