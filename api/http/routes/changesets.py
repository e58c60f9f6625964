"""`/api/v1` rules and writes: a dry run of the rules, graph versions, changesets, their
history and reverting one. Writes need a token that may write the graph."""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from rdflib import Graph
from rdflib.exceptions import ParserError

from qfgraph import shapes
from qfgraph.api.http import context
from qfgraph.api.http.auth import writer_for
from qfgraph.api.http.openapi import Param, operation
from qfgraph.api.http.problems import Problem
from qfgraph.api.http.routes.params import LIMIT, NOT_FOUND, graph_param
from qfgraph.api.http.writes import as_json, commit_change, if_match, parse_version
from qfgraph.graph.changes import Changeset, check, effect_of, history, revert
from qfgraph.graph.formats import rdf_format
from qfgraph.graph.sparql import caller_iri
from qfgraph.graph.stores import graph_version, quads_of
from qfgraph.ontology.namespaces import FRAMEWORKS_GRAPH

changesets_blueprint = Blueprint("api_v1_changesets", __name__)


def parse_rdf(text: str | None, fmt: str, field: str) -> Graph:
    g = Graph()
    if text:
        try:
            g.parse(data=text, format=rdf_format(fmt).rdflib_name)
        except (SyntaxError, ParserError, ValueError, Exception) as e:  # parsers raise many kinds
            raise Problem(400, "Bad Request", f"{field}: not valid {fmt}: {e}") from None
    return g


@operation(changesets_blueprint, "POST", "/validate", "Dry run of the rules on submitted RDF (nothing is "
           "written)", "rules", body="RdfPayload", responses={200: ("the validation report", "Report")})
def validate(body):
    """With `graph`: the data as additions to that graph, checked on store + change exactly as
    a changeset would be. Without: the data alone, with the frameworks it refers to."""
    data = parse_rdf(body["data"], body.get("format", "turtle"), "data")
    focus = [caller_iri(f, "focus") for f in body.get("focus") or []] or None
    if body.get("graph"):
        change = Changeset(graph_param(body["graph"]), list(data), [], "dry-run", "validate")
        return jsonify(as_json(check(context.store(), change.graph, effect_of(context.store(), change))))
    for triple in quads_of(context.store(), str(FRAMEWORKS_GRAPH)):  # the levels the entries refer to
        data.add(triple)
    return jsonify(as_json(shapes.validate(data, focus_nodes=focus)))


@operation(changesets_blueprint, "GET", "/graphs/version", "The current version of a named graph (use it in "
           "If-Match)", "changesets",
           [Param("graph", {"type": "string", "minLength": 1}, "named graph IRI", required=True)],
           responses={200: ("the version", "GraphVersion")})
def version(graph):
    graph = graph_param(graph)
    current = graph_version(context.store(), graph)
    response = jsonify({"graph": graph, "version": current})
    response.set_etag(str(current))
    return response


@operation(changesets_blueprint, "POST", "/changesets", "Commit a change to one named graph (If-Match: its "
           "version)", "changesets", [Param("If-Match", {"type": "string"}, "the graph version the change is "
                                            "based on", where="header")],
           body="ChangesetRequest", writes=True,
           responses={201: ("committed", "ChangesetResult"), 409: ("stale expectedVersion", "Problem"),
                      412: ("stale If-Match", "Problem"), 422: ("refused by the rules; with the report",
                                                                "Problem"),
                      503: ("another writer holds the graph (a server store); retry", "Problem")})
def post_changeset(body):
    graph = graph_param(body["graph"])
    fmt = body.get("format", "turtle")
    additions = parse_rdf(body.get("add"), fmt, "add")
    removals = parse_rdf(body.get("remove"), fmt, "remove")
    if not len(additions) and not len(removals):
        raise Problem(400, "Bad Request", "the changeset is empty: give 'add' and/or 'remove'")
    expected = if_match()
    if expected is None and body.get("expectedVersion") is not None:
        expected = parse_version(body["expectedVersion"], "expectedVersion")
    result = commit_change(graph, list(additions), list(removals), body.get("message") or "changeset", expected)
    response = jsonify(result)
    response.status_code = 201 if result.get("changeset") else 200  # 200: nothing to change
    response.set_etag(str(result["version"]))
    if result.get("changeset"):
        response.headers["Location"] = url_for("api_v1_changesets.changeset_history", graph=graph, _external=True)
    return response


@operation(changesets_blueprint, "GET", "/changesets", "History of changesets, newest first", "changesets",
           [Param("graph", {"type": "string", "minLength": 1}, "only this named graph"), LIMIT],
           responses={200: ("changesets", "History")})
def changeset_history(graph=None, limit=20):
    graph = graph_param(graph) if graph else None
    return jsonify({"items": history(context.store(), graph, limit)})


@operation(changesets_blueprint, "POST", "/changesets/revert", "Revert a changeset (as a new changeset)",
           "changesets", [Param("changeset", {"type": "string", "minLength": 1}, "changeset IRI",
                                required=True)], writes=True,
           responses={201: ("the reverting changeset", "ChangesetResult"), 404: NOT_FOUND,
                      422: ("the revert breaks the rules", "Problem")})
def revert_changeset(changeset):
    iri = graph_param(changeset, "changeset")
    entry = next((h for h in history(context.store()) if h["changeset"] == iri), None)
    if entry is None:
        raise Problem(404, "Not Found", f"no changeset <{iri}> in the history (GET /api/v1/changesets)")
    principal = writer_for(entry["graph"])
    try:
        result = revert(context.store(), iri, principal.name)
    finally:
        context.store_changed()
    return jsonify(as_json(result)), 201
