"""`/api/v1` stacking paths: the routes to a qualification, proven minimal, and the
qualifications a learner is closest to."""
from __future__ import annotations

from flask import Blueprint, jsonify

from qfgraph.api.http import context
from qfgraph.api.http.openapi import Param, operation
from qfgraph.api.http.routes.params import CLAIMS, HELD, ID, NOT_FOUND, base, iris
from qfgraph.api.http.writes import as_json
from qfgraph.graph.catalogue import id_of, iri_of

pathways_blueprint = Blueprint("api_v1_pathways", __name__)


def _stacking():
    # imported on the first pathway request (or by the server's warm-up thread): networkx and
    # numpy take 0.2 s that start-up need not pay
    from qfgraph.graph import stacking
    return stacking


def _answer_paths(target: str, held, claims, constraints: dict, objective: str, alternatives: int):
    stacking = _stacking()
    learner = stacking.Learner(held=iris(held), claims=iris(claims))
    answer = stacking.find_paths(context.store(), iri_of(target, base()), learner,
                                 stacking.Constraints(**(constraints or {})), objective, alternatives,
                                 cache=context.situation_cache())
    return jsonify(as_json(answer))


@operation(pathways_blueprint, "POST", "/pathways", "Stacking paths to a qualification, proven minimal",
           "pathways", body="PathwaysRequest",
           responses={200: ("the ranked paths, or why there is none", "PathwaysAnswer"), 404: NOT_FOUND})
def pathways(body):
    return _answer_paths(body["target"], body.get("held"), body.get("claims"), body.get("constraints"),
                         body.get("objective", "ects"), body.get("alternatives", 2))


@operation(pathways_blueprint, "GET", "/qualifications/{id}/pathways", "Stacking paths to this qualification",
           "pathways", [ID, HELD, CLAIMS,
                        Param("objective", {"type": "string", "enum": ["ects", "count"], "default": "ects"},
                              "what to minimise"),
                        Param("alternatives", {"type": "integer", "minimum": 0, "maximum": 10, "default": 2},
                              "next-best paths besides the optimal one")],
           responses={200: ("the ranked paths, or why there is none", "PathwaysAnswer"), 404: NOT_FOUND})
def qualification_pathways(id, held, claims, objective, alternatives):
    return _answer_paths(id, held, claims, {}, objective, alternatives)


@operation(pathways_blueprint, "GET", "/closest", "The qualifications a learner is closest to", "pathways",
           [HELD, CLAIMS, Param("top", {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                                "how many")],
           responses={200: ("qualifications, closest first", "Closest")})
def closest(held, claims, top):
    stacking = _stacking()
    found = stacking.closest(context.store(), stacking.Learner(held=iris(held), claims=iris(claims)), top)
    items = as_json(found)
    for item in items:
        if isinstance(item, dict) and "iri" in item:
            item["id"] = id_of(item["iri"], base())
    return jsonify({"items": items})
