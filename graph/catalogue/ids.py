"""Identifiers of the catalogue: an entity's IRI relative to the service's base (its id), and
small conversions of the values the catalogue answers with."""
from __future__ import annotations

from qfgraph.graph.sparql import caller_iri


def iri_of(id_or_iri: str, base: str) -> str:
    return caller_iri(id_or_iri if "://" in id_or_iri else base + id_or_iri.lstrip("/"), "identifier")


def id_of(iri: str, base: str) -> str:
    return iri[len(base):] if iri.startswith(base) else iri


def country_code(iri) -> str | None:
    """The ISO 3166 alpha-3 code at the end of an EU country IRI."""
    return str(iri).rsplit("/", 1)[-1] if iri is not None else None


def text_or_none(v) -> str | None:
    return str(v) if v is not None else None
