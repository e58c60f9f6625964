"""Reading entities for the JSON API and the Linked Data pages: listings with filters and
cursor pagination, and one entity with its levels, units, outcomes and related things."""
from __future__ import annotations

import base64
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from qfgraph.api.problems import Problem
from qfgraph.graph import UnsafeTermError, bind, check_iri
from qfgraph.ontology.namespaces import COUNTRY, ECTS, ELM, EQF_LEVEL, EQF_SCHEME, QF

KINDS = {"qualifications": ELM.Qualification, "micro-credentials": QF.MicroCredential}
LABELS = "dcterms:title|skos:prefLabel|elm:legalName|rdfs:label"


# ---------------------------------------------------------------------------------------
# ids: an entity's IRI relative to the service's base

def user_iri(value: str, what: str) -> str:
    """An IRI from a caller, checked for safety and by the engine's own IRI parser; 400 else."""
    try:
        check_iri(value)
        ox.NamedNode(value)
        return value
    except (UnsafeTermError, ValueError) as e:
        raise Problem(400, "Bad Request", f"{what}: not a valid IRI: {e}") from None


def iri_of(id_or_iri: str, base: str) -> str:
    return user_iri(id_or_iri if "://" in id_or_iri else base + id_or_iri.lstrip("/"), "identifier")


def id_of(iri: str, base: str) -> str:
    return iri[len(base):] if iri.startswith(base) else iri


# ---------------------------------------------------------------------------------------
# listings

# the sort key of each item, bound to ?k
SORT_KEYS = {
    "title": 'OPTIONAL { ?item dcterms:title ?t0 FILTER(LANGMATCHES(LANG(?t0), "en")) } '
             "BIND(COALESCE(STR(?t0), STR(?item)) AS ?k)",
    "eqf": "OPTIONAL { ?item elm:EQFLevel/skos:notation ?en } BIND(COALESCE(xsd:integer(?en), 0) AS ?k)",
    "iri": "BIND(STR(?item) AS ?k)",
}
SORTS = list(SORT_KEYS)
CACHE_SECONDS = 30.0   # bounds staleness when another replica writes to a shared remote store
CACHE_ENTRIES = 64


def encode_cursor(key, iri: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, iri]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str):
    try:
        key, iri = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(key, int if sort == "eqf" else str) or isinstance(key, bool):
            raise TypeError("a cursor of another sort order")
        check_iri(iri)
        ox.NamedNode(iri)
        return key, iri
    except (ValueError, TypeError, UnsafeTermError):
        raise Problem(400, "Bad Request", "the cursor is not one this service gave out for this sort "
                      "order; start again without it") from None


class _OrderCache:
    """Ordered (key, IRI) lists of recent listings. Sorting a whole class is the costly
    part of a page, so the order is computed once and the pages are slices of it; a write
    through the service (a new generation) or CACHE_SECONDS make it stale."""

    def __init__(self):
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, compute):
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit and now - hit[0] < CACHE_SECONDS:
                self._entries.move_to_end(key)
                return hit[1]
        value = compute()
        with self._lock:
            self._entries[key] = (now, value)
            while len(self._entries) > CACHE_ENTRIES:
                self._entries.popitem(last=False)
        return value


ORDERS = _OrderCache()


def listing(store, kind: str, framework=None, eqf=None, nqf=None, country=None, skill=None, q=None,
            sort="title", limit=20, cursor=None, generation=0) -> tuple[list[dict], str | None]:
    """One page of qualifications or micro-credentials, and the cursor of the next."""
    values = {"cls": KINDS[kind]}
    where = []
    if framework:
        fw = framework_iri(store, framework)
        if fw == str(EQF_SCHEME):
            where.append("?item elm:EQFLevel ?anyEqf .")
        else:
            where.append("?item elm:NQFLevel ?nqfF . ?nqfF qf:levelFramework $fw .")
            values["fw"] = URIRef(fw)
    if eqf is not None:
        where.append("?item elm:EQFLevel $eqfLevel .")
        values["eqfLevel"] = EQF_LEVEL[str(eqf)]
    if nqf:
        where.append("?item elm:NQFLevel $nqf .")
        values["nqf"] = URIRef(_iri_param("nqf", nqf))
    if country:
        where.append("?item qf:country $country .")
        values["country"] = COUNTRY[country.upper()]
    if skill:
        where.append("?item (elm:learningOutcome|elm:hasPart/elm:learningOutcome)/elm:relatedESCOSkill $skill .")
        values["skill"] = URIRef(_iri_param("skill", skill))
    if q:
        where.append("FILTER EXISTS { ?item dcterms:title ?tq FILTER(CONTAINS(LCASE(STR(?tq)), $q)) }")
        values["q"] = Literal(q.lower())
    field_, descending = sort.lstrip("-"), sort.startswith("-")
    query = bind(f"""SELECT ?item (MIN(?k) AS ?key) WHERE {{
        ?item a $cls . {' '.join(where)} {SORT_KEYS[field_]} }} GROUP BY ?item""", values)

    def ordered():
        cast = int if field_ == "eqf" else str
        return sorted((cast(r["key"].toPython()), str(r["item"])) for r in store.select(query))

    order = ORDERS.get((generation, query), ordered)
    if descending:
        order = order[::-1]
    start = 0
    if cursor:
        last = decode_cursor(cursor, field_)
        # the first position past the cursor (keys and IRIs compare as the listing sorts them)
        start = next((i for i, entry in enumerate(order) if (entry < last if descending else entry > last)),
                     len(order))
    page = order[start:start + limit]
    more = start + limit < len(order)
    items = page_details(store, [iri for _, iri in page])
    next_cursor = encode_cursor(*page[-1]) if more and page else None
    return items, next_cursor


def page_details(store, iris: list[str]) -> list[dict]:
    """Title, EQF level, country and credits of the items of one page, in the page's order."""
    if not iris:
        return []
    rows = store.select(bind("""
      SELECT ?item (MIN(?t) AS ?title) (MIN(?e) AS ?eqf) (SAMPLE(?c) AS ?country) (MIN(?cp) AS ?credits) WHERE {
        VALUES ?item { $items }
        OPTIONAL { ?item dcterms:title ?t0 FILTER(LANGMATCHES(LANG(?t0), "en")) }
        BIND(COALESCE(STR(?t0), STR(?item)) AS ?t)
        OPTIONAL { ?item elm:EQFLevel/skos:notation ?en }
        BIND(COALESCE(xsd:integer(?en), 0) AS ?e)
        OPTIONAL { ?item qf:country ?c }
        OPTIONAL { ?item elm:creditPoint/elm:point ?p }
        BIND(xsd:decimal(?p) AS ?cp)
      } GROUP BY ?item""", {"items": [URIRef(i) for i in iris]}))
    by_iri = {str(r["item"]): summary(r) for r in rows}
    return [by_iri[i] for i in iris if i in by_iri]


def summary(row) -> dict:
    eqf = int(row["eqf"]) if "eqf" in row else 0
    return {"iri": str(row["item"]), "title": str(row.get("title", row["item"])),
            "eqfLevel": eqf or None, "country": _country_code(row.get("country")),
            "credits": float(row["credits"]) if "credits" in row else None}


def _country_code(iri) -> str | None:
    return str(iri).rsplit("/", 1)[-1] if iri is not None else None


def _iri_param(name: str, value: str) -> str:
    return user_iri(value, f"parameter {name!r}")


# ---------------------------------------------------------------------------------------
# frameworks and levels

def frameworks(store) -> list[dict]:
    rows = store.select(bind("""
      SELECT ?fw (SAMPLE(?l) AS ?label) (SAMPLE(?n) AS ?notation) (SAMPLE(?c) AS ?country) WHERE {
        ?fw a qf:QualificationsFramework .
        OPTIONAL { ?fw skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en")) }
        OPTIONAL { ?fw skos:notation ?n } OPTIONAL { ?fw qf:country ?c }
      } GROUP BY ?fw ORDER BY ?notation"""))
    return [{"id": str(r.get("notation", r["fw"])).lower(), "iri": str(r["fw"]),
             "label": str(r.get("label", r["fw"])), "notation": _str(r.get("notation")),
             "country": _country_code(r.get("country"))} for r in rows]


def framework_iri(store, framework: str) -> str:
    """A framework named by its id (notation, any case) or IRI; 404 if unknown."""
    for fw in frameworks(store):
        if framework.lower() in (fw["id"], fw["iri"].lower()):
            return fw["iri"]
    raise Problem(404, "Not Found", f"no framework {framework!r}; GET /api/v1/frameworks lists them")


def levels(store, framework_iri_: str) -> list[dict]:
    if framework_iri_ == str(EQF_SCHEME):
        where = "?level skos:inScheme $fw ."
    else:
        where = "?level qf:levelFramework $fw ."
    rows = store.select(bind(f"""
      SELECT ?level ?notation ?label ?ref ?order WHERE {{
        {where}
        OPTIONAL {{ ?level skos:notation ?notation }}
        OPTIONAL {{ ?level skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) }}
        OPTIONAL {{ ?level qf:referencedTo ?ref }}
        OPTIONAL {{ ?level qf:order ?order }}
      }} ORDER BY ?order ?notation""", {"fw": URIRef(framework_iri_)}))
    return [_level(r, framework_iri_) for r in rows]


def _level(r, framework) -> dict:
    return {"iri": str(r["level"]), "notation": _str(r.get("notation")), "label": _str(r.get("label")),
            "framework": framework, "referencedTo": _str(r.get("ref"))}


def _str(v) -> str | None:
    return str(v) if v is not None else None


# ---------------------------------------------------------------------------------------
# one entity

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
        return [{"iri": str(o), "label": _str(label)} for o, label in self.values.get(str(predicate), [])
                if isinstance(o, URIRef)]


def describe(store, iri: str) -> Entity:
    """Everything said about `iri`, with labels of what it links to; 404 if nothing."""
    rows = store.select(bind(f"""
      SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {{
        $s ?p ?o .
        OPTIONAL {{ ?o {LABELS} ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }}
      }} GROUP BY ?p ?o""", {"s": URIRef(iri)}))
    if not rows:
        raise Problem(404, "Not Found", f"nothing is known about <{iri}>")
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
    return [{"iri": str(r["level"]), "notation": _str(r.get("notation")), "label": _str(r.get("label")),
             "framework": _str(r.get("fw")), "referencedTo": _str(r.get("ref"))} for r in rows]


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
    related = {p: [{"iri": str(o), "label": _str(l)} for o, l in vals if isinstance(o, URIRef)]
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
        "country": _country_code(next(iter(entity.objects(QF.country)), None)),
        "units": entity.refs(ELM.hasPart),
        "outcomes": entity.refs(ELM.learningOutcome),
        "related": {p: v for p, v in related.items() if v},
    }
