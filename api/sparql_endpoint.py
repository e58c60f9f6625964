"""`/sparql`: the SPARQL 1.1 Protocol (query part)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from graph import QuerySyntaxError

sparql_blueprint = Blueprint("sparql", __name__)

RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]


def _problem(status: int, title: str, detail: str) -> Response:
    import json
    return Response(json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}),
                    status=status, mimetype="application/problem+json")


@sparql_blueprint.route("/sparql", methods=["GET", "POST"])
def sparql():
    if request.method == "GET":
        queries = request.args.getlist("query")
    elif request.mimetype == "application/sparql-query":
        queries = [request.get_data(as_text=True)]
    elif request.mimetype == "application/x-www-form-urlencoded":
        queries = request.form.getlist("query")
    else:
        return _problem(415, "Unsupported Media Type",
                        "send the query as application/sparql-query or a URL-encoded form")
    if len(queries) != 1:
        return _problem(400, "Bad Request", "give exactly one query")
    store = current_app.config["STORE"]
    accept = request.accept_mimetypes
    result_type = accept.best_match(RESULT_TYPES, default=RESULT_TYPES[0])
    try:
        body, media_type, form = store.query_serialized(queries[0], result_type)
        if form == "graph":
            graph_type = accept.best_match(GRAPH_TYPES, default=GRAPH_TYPES[0])
            if graph_type != media_type:
                body, media_type, _ = store.query_serialized(queries[0], graph_type)
    except QuerySyntaxError as e:
        return _problem(400, "SPARQL syntax error", str(e))
    return Response(body, mimetype=media_type)
