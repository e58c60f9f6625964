"""`/api/v1` catalogue: qualifications and micro-credentials (listed, searched, one by one),
and the frameworks with their levels. Each route declares its parameters, body and responses
with `operation`; the OpenAPI document is generated from them."""
from __future__ import annotations

from flask import Blueprint, jsonify, url_for

from qfgraph.api.http import context
from qfgraph.api.http.openapi import Param, operation
from qfgraph.api.http.routes.params import ID, LIST_PARAMS, NOT_FOUND, base
from qfgraph.graph.catalogue import (
    KINDS, describe, entity_json, framework_iri, frameworks, id_of, iri_of, levels, listing,
)
from qfgraph.graph.errors import NotFound

catalogue_blueprint = Blueprint("api_v1", __name__)


def _page(kind: str, **filters):
    items, cursor = listing(context.store(), kind, generation=context.generation(), **filters)
    for item in items:
        item["id"] = id_of(item["iri"], base())
    return jsonify({"items": items, "next": cursor})


def _detail(kind: str, id: str):
    iri = iri_of(id, base())
    entity = describe(context.store(), iri)
    if str(KINDS[kind]) not in entity.types:
        raise NotFound(f"<{iri}> is not one of the {kind}")
    body = entity_json(context.store(), entity, base())
    body["links"] = {"html": url_for("linked_data.resource", iri=iri, _external=True)}
    if kind == "qualifications":
        body["links"]["pathways"] = url_for("api_v1_pathways.qualification_pathways", id=id_of(iri, base()),
                                            _external=True)
    return jsonify(body)


@operation(catalogue_blueprint, "GET", "/qualifications", "List and search qualifications", "catalogue",
           LIST_PARAMS, responses={200: ("a page of qualifications", "Page")})
def list_qualifications(**filters):
    return _page("qualifications", **filters)


@operation(catalogue_blueprint, "GET", "/micro-credentials", "List and search micro-credentials", "catalogue",
           LIST_PARAMS, responses={200: ("a page of micro-credentials", "Page")})
def list_micro_credentials(**filters):
    return _page("micro-credentials", **filters)


@operation(catalogue_blueprint, "GET", "/qualifications/{id}", "One qualification: levels, units, outcomes",
           "catalogue", [ID], responses={200: ("the qualification", "Entity"), 404: NOT_FOUND})
def qualification(id):
    return _detail("qualifications", id)


@operation(catalogue_blueprint, "GET", "/micro-credentials/{id}", "One micro-credential", "catalogue", [ID],
           responses={200: ("the micro-credential", "Entity"), 404: NOT_FOUND})
def micro_credential(id):
    return _detail("micro-credentials", id)


@operation(catalogue_blueprint, "GET", "/frameworks", "Qualifications frameworks (EQF and national)",
           "frameworks", responses={200: ("the frameworks", "FrameworkList")})
def list_frameworks():
    return jsonify({"items": frameworks(context.store())})


@operation(catalogue_blueprint, "GET", "/frameworks/{id}", "A framework with its levels and their referencing "
           "to the EQF", "frameworks", [Param("id", {"type": "string", "minLength": 1},
                                               "framework id (e.g. eqf, croqf) or IRI", where="path")],
           responses={200: ("the framework", "Framework"), 404: NOT_FOUND})
def framework(id):
    iri = framework_iri(context.store(), id)
    body = next(f for f in frameworks(context.store()) if f["iri"] == iri)
    body["levels"] = levels(context.store(), iri)
    return jsonify(body)
