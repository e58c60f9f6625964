"""Qualifications frameworks (the EQF and the national ones) and their levels, with each
level's referencing to the EQF."""
from __future__ import annotations

import re

from rdflib import URIRef

from qfgraph.graph.catalogue.ids import country_code, text_or_none
from qfgraph.graph.errors import NotFound
from qfgraph.graph.sparql import bind
from qfgraph.ontology.namespaces import EQF_SCHEME


def frameworks(store) -> list[dict]:
    rows = store.select(bind("""
      SELECT ?fw (SAMPLE(?l) AS ?label) (SAMPLE(?n) AS ?notation) (SAMPLE(?c) AS ?country) WHERE {
        ?fw a qf:QualificationsFramework .
        OPTIONAL { ?fw skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en")) }
        OPTIONAL { ?fw skos:notation ?n } OPTIONAL { ?fw qf:country ?c }
      } GROUP BY ?fw ORDER BY ?notation"""))
    return [{"id": framework_id(r.get("notation", r["fw"])), "iri": str(r["fw"]),
             "label": str(r.get("label", r["fw"])), "notation": text_or_none(r.get("notation")),
             "country": country_code(r.get("country"))} for r in rows]


def framework_id(notation) -> str:
    """The framework's id in URLs: its notation in lower case, words joined by '-' ("AT NQF" → at-nqf)."""
    return re.sub(r"[^a-z0-9+]+", "-", str(notation).lower()).strip("-")


def framework_iri(store, framework: str) -> str:
    """A framework named by its id (notation, any case) or IRI; 404 if unknown."""
    for fw in frameworks(store):
        if framework.lower() in (fw["id"], fw["iri"].lower()):
            return fw["iri"]
    raise NotFound(f"no framework {framework!r}; GET /api/v1/frameworks lists them")


def levels(store, framework_iri_: str) -> list[dict]:
    if framework_iri_ == str(EQF_SCHEME):
        where = "?level skos:inScheme $fw ."
    else:
        where = "?level qf:levelFramework $fw ."
    rows = store.select(bind(f"""
      SELECT ?level ?notation ?label ?ref ?order ?unconfirmed WHERE {{
        {where}
        OPTIONAL {{ ?level skos:notation ?notation }}
        OPTIONAL {{ ?level skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) }}
        OPTIONAL {{ ?level qf:referencedTo ?ref }}
        OPTIONAL {{ ?level qf:referencingUnconfirmed ?unconfirmed }}
        OPTIONAL {{ ?level qf:order ?order }}
      }} ORDER BY ?order ?notation""", {"fw": URIRef(framework_iri_)}))
    return [_level(r, framework_iri_) for r in rows]


def _level(r, framework) -> dict:
    ref = text_or_none(r.get("ref"))
    unconfirmed = r.get("unconfirmed") is not None and r["unconfirmed"].toPython() is True
    return {"iri": str(r["level"]), "notation": text_or_none(r.get("notation")), "label": text_or_none(r.get("label")),
            "framework": framework, "referencedTo": ref,
            "referencing": None if framework == str(EQF_SCHEME) else "unconfirmed" if unconfirmed
            else "referenced" if ref else "below the EQF"}

