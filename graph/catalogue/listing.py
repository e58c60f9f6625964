"""Listings of qualifications and micro-credentials with the filters of the JSON API, sorted,
in pages with cursors."""
from __future__ import annotations

import base64
import json
import threading
import time
from collections import OrderedDict

import pyoxigraph as ox
from rdflib import Literal, URIRef

from qfgraph.graph.catalogue.frameworks import framework_iri
from qfgraph.graph.catalogue.ids import country_code
from qfgraph.graph.errors import InvalidInput
from qfgraph.graph.sparql import UnsafeTermError, bind, caller_iri, check_iri
from qfgraph.ontology.namespaces import COUNTRY, ELM, EQF_LEVEL, EQF_SCHEME, QF

KINDS = {"qualifications": ELM.Qualification, "micro-credentials": QF.MicroCredential}

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
        raise InvalidInput("the cursor is not one this service gave out for this sort "
                           "order; start again without it") from None


class RecentCache:
    """Recent answers by key, each kept CACHE_SECONDS at most (keys carry the service's
    generation, so a write through the service makes them stale at once). Here: ordered
    (key, IRI) lists of listings: sorting a whole class is the costly part of a page, so the
    order is computed once and the pages are slices of it."""

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


ORDERS = RecentCache()


def listing(store, kind: str, framework=None, eqf=None, nqf=None, country=None, skill=None, q=None,
            sort="title", limit=20, cursor=None, generation=0, q_outcomes=False) -> tuple[list[dict], str | None]:
    """One page of qualifications or micro-credentials, and the cursor of the next.
    `q_outcomes`: the text may also be in the title of one of its learning outcomes."""
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
        titled = ("{ ?item dcterms:title ?tq } UNION { ?item (elm:learningOutcome|elm:hasPart/elm:learningOutcome)"
                  "/dcterms:title ?tq }") if q_outcomes else "?item dcterms:title ?tq"
        where.append(f"FILTER EXISTS {{ {titled} FILTER(CONTAINS(LCASE(STR(?tq)), $q)) }}")
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
            "eqfLevel": eqf or None, "country": country_code(row.get("country")),
            "credits": float(row["credits"]) if "credits" in row else None}


def _iri_param(name: str, value: str) -> str:
    return caller_iri(value, f"parameter {name!r}")
