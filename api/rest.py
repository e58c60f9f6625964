"""`/api/v1`: JSON for guidance tools and curators. Each route declares its parameters,
body and responses with `operation`; the OpenAPI document is generated from them."""
from __future__ import annotations


from flask import Blueprint, jsonify, request, url_for
from rdflib import Graph
from rdflib.exceptions import ParserError

from qfgraph.api import context
from qfgraph.api.entities import (KINDS, SORTS, describe, entity_json, framework_iri, frameworks, id_of,
                          iri_of, levels, listing, user_iri)
from qfgraph.api.openapi import Param, operation
from qfgraph.api.problems import Problem
from qfgraph.api.writes import _gate, as_json, commit_change, graph_version, if_match, parse_version
from qfgraph.graph import UnsafeTermError

api_blueprint = Blueprint("api_v1", __name__)

ERR = ("the request is not valid", "Problem")
NOT_FOUND = ("not found", "Problem")
LIMIT = Param("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "page size")
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
ID = Param("id", {"type": "string", "minLength": 1}, "IRI relative to the service's base (or a full IRI)",
           where="path")
HELD = Param("held", {"type": "string", "minLength": 1}, "IRI or id of a credential held", many=True)
CLAIMS = Param("claims", {"type": "string", "minLength": 1}, "IRI or id of a unit or outcome claimed "
               "through prior learning", many=True)


def _base() -> str:
    return context.settings().base


def _iris(values) -> list[str]:
    return [iri_of(v, _base()) for v in values or []]


def _page(kind: str, **filters):
    items, cursor = listing(context.store(), kind, generation=context.generation(), **filters)
    for item in items:
        item["id"] = id_of(item["iri"], _base())
    return jsonify({"items": items, "next": cursor})


def _detail(kind: str, id: str):
    iri = iri_of(id, _base())
    entity = describe(context.store(), iri)
    if str(KINDS[kind]) not in entity.types:
        raise Problem(404, "Not Found", f"<{iri}> is not one of the {kind}")
    body = entity_json(context.store(), entity, _base())
    body["links"] = {"html": url_for("linked_data.resource", iri=iri, _external=True)}
    if kind == "qualifications":
        body["links"]["pathways"] = url_for("api_v1.qualification_pathways", id=id_of(iri, _base()),
                                            _external=True)
    return jsonify(body)


@operation(api_blueprint, "GET", "/qualifications", "List and search qualifications", "catalogue",
           LIST_PARAMS, responses={200: ("a page of qualifications", "Page")})
def list_qualifications(**filters):
    return _page("qualifications", **filters)


@operation(api_blueprint, "GET", "/micro-credentials", "List and search micro-credentials", "catalogue",
           LIST_PARAMS, responses={200: ("a page of micro-credentials", "Page")})
def list_micro_credentials(**filters):
    return _page("micro-credentials", **filters)


@operation(api_blueprint, "GET", "/qualifications/{id}", "One qualification: levels, units, outcomes",
           "catalogue", [ID], responses={200: ("the qualification", "Entity"), 404: NOT_FOUND})
def qualification(id):
    return _detail("qualifications", id)


@operation(api_blueprint, "GET", "/micro-credentials/{id}", "One micro-credential", "catalogue", [ID],
           responses={200: ("the micro-credential", "Entity"), 404: NOT_FOUND})
def micro_credential(id):
    return _detail("micro-credentials", id)


@operation(api_blueprint, "GET", "/frameworks", "Qualifications frameworks (EQF and national)",
           "frameworks", responses={200: ("the frameworks", "FrameworkList")})
def list_frameworks():
    return jsonify({"items": frameworks(context.store())})


@operation(api_blueprint, "GET", "/frameworks/{id}", "A framework with its levels and their referencing "
           "to the EQF", "frameworks", [Param("id", {"type": "string", "minLength": 1},
                                               "framework id (e.g. eqf, croqf) or IRI", where="path")],
           responses={200: ("the framework", "Framework"), 404: NOT_FOUND})
def framework(id):
    iri = framework_iri(context.store(), id)
    body = next(f for f in frameworks(context.store()) if f["iri"] == iri)
    body["levels"] = levels(context.store(), iri)
    return jsonify(body)


# ---------------------------------------------------------------------------------------
# rules and writes

RDF_PARSERS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def parse_rdf(text: str | None, fmt: str, field: str) -> Graph:
    g = Graph()
    if text:
        try:
            g.parse(data=text, format=RDF_PARSERS[fmt])
        except (SyntaxError, ParserError, ValueError, Exception) as e:  # parsers raise many kinds
            raise Problem(400, "Bad Request", f"{field}: not valid {fmt}: {e}") from None
    return g


@operation(api_blueprint, "POST", "/validate", "Dry run of the rules on submitted RDF (nothing is written)",
           "rules", body="RdfPayload", responses={200: ("the validation report", "Report")})
def validate(body):
    """With `graph`: the data as additions to that graph, checked on store + change exactly as
    a changeset would be. Without: the data alone, with the frameworks it refers to."""
    from qfgraph import shapes
    data = parse_rdf(body["data"], body.get("format", "turtle"), "data")
    focus = [user_iri(f, "focus") for f in body.get("focus") or []] or None
    if body.get("graph"):
        from qfgraph.graph.changeset import Changeset, effect_of
        from qfgraph.graph.gate import check
        try:
            change = Changeset(_graph_param(body["graph"]), list(data), [], "dry-run", "validate")
        except ValueError as e:
            raise Problem(400, "Bad Request", str(e)) from None
        return jsonify(as_json(check(context.store(), change.graph, effect_of(context.store(), change))))
    for triple in frameworks_triples(context.store()):  # the levels the entries refer to
        data.add(triple)
    return jsonify(as_json(shapes.validate(data, focus_nodes=focus)))


def frameworks_triples(store):
    from qfgraph.graph.store import quads_of
    from qfgraph.ontology.namespaces import FRAMEWORKS_GRAPH
    return quads_of(store, str(FRAMEWORKS_GRAPH))


@operation(api_blueprint, "GET", "/graphs/version", "The current version of a named graph (use it in "
           "If-Match)", "changesets",
           [Param("graph", {"type": "string", "minLength": 1}, "named graph IRI", required=True)],
           responses={200: ("the version", "GraphVersion")})
def version(graph):
    graph = _graph_param(graph)
    current = graph_version(graph)
    response = jsonify({"graph": graph, "version": current})
    response.set_etag(str(current))
    return response


def _graph_param(graph: str) -> str:
    return user_iri(graph, "graph")


@operation(api_blueprint, "POST", "/changesets", "Commit a change to one named graph (If-Match: its version)",
           "changesets", [Param("If-Match", {"type": "string"}, "the graph version the change is based on",
                                where="header")],
           body="ChangesetRequest", writes=True,
           responses={201: ("committed", "ChangesetResult"), 409: ("stale expectedVersion", "Problem"),
                      412: ("stale If-Match", "Problem"), 422: ("refused by the rules; with the report",
                                                                "Problem"),
                      503: ("another writer holds the graph (a server store); retry", "Problem")})
def post_changeset(body):
    graph = _graph_param(body["graph"])
    fmt = body.get("format", "turtle")
    additions = parse_rdf(body.get("add"), fmt, "add")
    removals = parse_rdf(body.get("remove"), fmt, "remove")
    if not len(additions) and not len(removals):
        raise Problem(400, "Bad Request", "the changeset is empty: give 'add' and/or 'remove'")
    expected = if_match()
    if expected is None and body.get("expectedVersion") is not None:
        expected = parse_version(body["expectedVersion"], "expectedVersion")
    result = commit_change(graph, list(additions), list(removals), body.get("message") or "changeset",
                           expected, version_from_header=request.headers.get("If-Match") is not None)
    response = jsonify(result)
    response.status_code = 201 if result.get("changeset") else 200  # 200: nothing to change
    response.set_etag(str(result["version"]))
    if result.get("changeset"):
        response.headers["Location"] = url_for("api_v1.changeset_history", graph=graph, _external=True)
    return response


@operation(api_blueprint, "GET", "/changesets", "History of changesets, newest first", "changesets",
           [Param("graph", {"type": "string", "minLength": 1}, "only this named graph"), LIMIT],
           responses={200: ("changesets", "History")})
def changeset_history(graph=None, limit=20):
    graph = _graph_param(graph) if graph else None
    return jsonify({"items": _gate().history(context.store(), graph, limit)})


@operation(api_blueprint, "POST", "/changesets/revert", "Revert a changeset (as a new changeset)",
           "changesets", [Param("changeset", {"type": "string", "minLength": 1}, "changeset IRI",
                                required=True)], writes=True,
           responses={201: ("the reverting changeset", "ChangesetResult"), 404: NOT_FOUND,
                      422: ("the revert breaks the rules", "Problem")})
def revert_changeset(changeset):
    from qfgraph.api.auth import writer_for
    iri = _graph_param(changeset)
    gate = _gate()
    entry = next((h for h in gate.history(context.store()) if h["changeset"] == iri), None)
    if entry is None:
        raise Problem(404, "Not Found", f"no changeset <{iri}> in the history (GET /api/v1/changesets)")
    principal = writer_for(entry["graph"])
    try:
        result = gate.revert(context.store(), iri, principal.name)
    except gate.Rejected as e:
        raise Problem(422, "Rejected by the rules", "reverting would break the rules; nothing was written",
                      report=as_json(e.report)) from None
    except gate.RevertError as e:
        raise Problem(409, "Conflict", str(e)) from None
    finally:
        context.store_changed()
    return jsonify(as_json(result)), 201


# ---------------------------------------------------------------------------------------
# stacking paths

def _stacking():
    import qfgraph.graph.stacking as stacking
    return stacking


def _answer_paths(target: str, held, claims, constraints: dict, objective: str, alternatives: int):
    stacking = _stacking()
    try:
        learner = stacking.Learner(held=_iris(held), claims=_iris(claims))
        limits = stacking.Constraints(**(constraints or {}))
        answer = stacking.find_paths(context.store(), iri_of(target, _base()), learner, limits,
                                     objective, alternatives, cache=context.problem_cache())
    except stacking.UnknownEntity as e:
        raise Problem(404, "Not Found", str(e)) from None
    except stacking.PrerequisiteCycle as e:
        raise Problem(409, "Conflict", str(e)) from None
    except (UnsafeTermError, ValueError, TypeError) as e:
        raise Problem(400, "Bad Request", str(e)) from None
    return jsonify(as_json(answer))


@operation(api_blueprint, "POST", "/pathways", "Stacking paths to a qualification, proven minimal",
           "pathways", body="PathwaysRequest",
           responses={200: ("the ranked paths, or why there is none", "PathwaysAnswer"), 404: NOT_FOUND})
def pathways(body):
    return _answer_paths(body["target"], body.get("held"), body.get("claims"), body.get("constraints"),
                         body.get("objective", "ects"), body.get("alternatives", 2))


@operation(api_blueprint, "GET", "/qualifications/{id}/pathways", "Stacking paths to this qualification",
           "pathways", [ID, HELD, CLAIMS,
                        Param("objective", {"type": "string", "enum": ["ects", "count"], "default": "ects"},
                              "what to minimise"),
                        Param("alternatives", {"type": "integer", "minimum": 0, "maximum": 10, "default": 2},
                              "next-best paths besides the optimal one")],
           responses={200: ("the ranked paths, or why there is none", "PathwaysAnswer"), 404: NOT_FOUND})
def qualification_pathways(id, held, claims, objective, alternatives):
    return _answer_paths(id, held, claims, {}, objective, alternatives)


@operation(api_blueprint, "GET", "/closest", "The qualifications a learner is closest to", "pathways",
           [HELD, CLAIMS, Param("top", {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                                "how many")],
           responses={200: ("qualifications, closest first", "Closest")})
def closest(held, claims, top):
    stacking = _stacking()
    try:
        learner = stacking.Learner(held=_iris(held), claims=_iris(claims))
        found = stacking.closest(context.store(), learner, top)
    except stacking.UnknownEntity as e:
        raise Problem(404, "Not Found", str(e)) from None
    except (UnsafeTermError, ValueError) as e:
        raise Problem(400, "Bad Request", str(e)) from None
    items = as_json(found)
    for item in items:
        if isinstance(item, dict) and "iri" in item:
            item["id"] = id_of(item["iri"], _base())
    return jsonify({"items": items})
