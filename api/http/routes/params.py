"""Parameters several `/api/v1` routes take, declared once for the OpenAPI document."""
from __future__ import annotations

from qfgraph.api.http import context
from qfgraph.api.http.openapi import Param
from qfgraph.graph.catalogue import SORTS, iri_of
from qfgraph.graph.sparql import caller_iri

NOT_FOUND = ("not found", "Problem")
LIMIT = Param("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "page size")
ID = Param("id", {"type": "string", "minLength": 1}, "IRI relative to the service's base (or a full IRI)",
           where="path")
HELD = Param("held", {"type": "string", "minLength": 1}, "IRI or id of a credential held", many=True)
CLAIMS = Param("claims", {"type": "string", "minLength": 1}, "IRI or id of a unit or outcome claimed "
               "through prior learning", many=True)
LIST_PARAMS = [
    Param("framework", {"type": "string", "minLength": 1}, "framework id (e.g. eqf, croqf) or IRI"),
    Param("eqf", {"type": "integer", "minimum": 1, "maximum": 8}, "EQF level"),
    Param("nqf", {"type": "string", "minLength": 1}, "NQF level IRI"),
    Param("country", {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "ISO 3166 alpha-3 code, e.g. HRV"),
    Param("skill", {"type": "string", "minLength": 1}, "ESCO skill IRI of an outcome"),
    Param("q", {"type": "string", "minLength": 1, "maxLength": 200}, "text in the title"),
    Param("sort", {"type": "string", "default": "title",
                   "enum": [s for k in SORTS for s in (k, "-" + k)]}, "sort key; '-' for descending"),
    LIMIT,
    Param("cursor", {"type": "string", "minLength": 1, "maxLength": 2000}, "from `next` of the previous page"),
]


def base() -> str:
    return context.settings().base


def iris(values) -> list[str]:
    """Ids or IRIs of the caller, as IRIs under the service's base."""
    return [iri_of(v, base()) for v in values or []]


def graph_param(graph: str, what: str = "graph") -> str:
    return caller_iri(graph, what)
