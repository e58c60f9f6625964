"""`/sparql`: the W3C SPARQL 1.1 Protocol.

Queries by GET, POST form and POST `application/sparql-query`; updates by POST form and
POST `application/sparql-update`, for token holders only, through the changeset gate.
SERVICE and LOAD are refused: they would make this service call hosts the operator did
not configure.
"""
from __future__ import annotations

import logging
import time
from http import HTTPStatus

from flask import Blueprint, Response, jsonify, request, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from werkzeug.utils import get_content_type

from qfgraph.api.http import context
from qfgraph.api.http.auth import authenticated
from qfgraph.api.http.form_encoding import parse_pairs
from qfgraph.api.http.middleware import answer_error, cors_headers, request_id_from
from qfgraph.api.http.negotiation import choose, negotiate
from qfgraph.api.http.problems import PROBLEM_TYPE, Problem, problem_document
from qfgraph.api.http.writes import commit_changes
from qfgraph.graph.changes.sparql_update import UpdateDataset, plan_update
from qfgraph.graph.formats import (
    GRAPH_RESULT_FORMATS, RDF_FORMATS, RESULT_ALIASES, RESULTS_FORMATS,
)
from qfgraph.graph.querying.text import analyse
from qfgraph.graph.sparql import caller_iri
from qfgraph.ontology.namespaces import QF, SD

sparql_blueprint = Blueprint("sparql", __name__)
log = logging.getLogger("qfgraph.http")

RESULT_TYPES = [f.media_type for f in RESULTS_FORMATS.values()] + list(RESULT_ALIASES)
GRAPH_TYPES = [RDF_FORMATS[name].media_type for name in GRAPH_RESULT_FORMATS]
FORBIDDEN = {"SERVICE": "SERVICE (federated query) is disabled on this endpoint: it would make the "
                        "service call other hosts",
             "LOAD": "LOAD is disabled on this endpoint: it would make the service fetch from other "
                     "hosts; load files with `qfgraph load` or POST a changeset"}


def _params(name: str) -> list[str]:
    """A protocol parameter from the form body (POST form) and the URL."""
    values = request.args.getlist(name)
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        values += request.form.getlist(name)
    return values


@sparql_blueprint.route("/sparql", methods=["GET", "POST"])
def sparql():
    queries, updates = _params("query"), _params("update")
    if request.method == "GET":
        if updates:
            raise Problem(400, "Bad Request", "an update must be sent by POST (form field 'update' "
                          "or a body of type application/sparql-update), never by GET")
        if not queries:
            return service_description()
    elif request.mimetype == "application/sparql-query":
        queries = queries + [request.get_data(as_text=True)]
    elif request.mimetype == "application/sparql-update":
        updates = updates + [request.get_data(as_text=True)]
    elif request.mimetype != "application/x-www-form-urlencoded":
        raise Problem(415, "Unsupported Media Type", f"a {request.mimetype or 'request without a type'} "
                      "body is not understood here; send application/sparql-query, "
                      "application/sparql-update or an application/x-www-form-urlencoded form")
    if queries and updates:
        raise Problem(400, "Bad Request", "send either a query or an update, not both")
    if updates:
        if len(updates) != 1:
            raise Problem(400, "Bad Request", f"exactly one update per request, {len(updates)} were given")
        return run_update(updates[0])
    if len(queries) != 1:
        raise Problem(400, "Bad Request", f"exactly one query per request, {len(queries)} were given")
    return run_query(queries[0])


def _refuse_forbidden(text: str) -> None:
    found = sorted(analyse(text).calls)
    if found:
        raise Problem(403, "Forbidden", FORBIDDEN[found[0]])


def answer_query(text: str, default_graphs: list[str], named_graphs: list[str], accept: str,
                 format_name: str | None, settings, runner) -> tuple[str, bytes]:
    """(media type, body) of a query's answer; raises Problem or a domain error. Needs no
    request context, so the Flask route and the fast path (read_fast_path) answer alike."""
    _refuse_forbidden(text)
    default_graphs = [caller_iri(v, "default-graph-uri") for v in default_graphs]
    named_graphs = [caller_iri(v, "named-graph-uri") for v in named_graphs]
    form = analyse(text).form
    offers = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    chosen = negotiate(tuple(offers), accept, format_name)
    body, _, _ = runner.run(text, RESULT_ALIASES.get(chosen, chosen), default_graphs, named_graphs,
                            settings.result_limit, settings.query_timeout, settings.sparql_base())
    return chosen, body


def run_query(text: str) -> Response:
    chosen, body = answer_query(text, _params("default-graph-uri"), _params("named-graph-uri"),
                                request.headers.get("Accept", ""),
                                request.values.get("format") or request.values.get("output"),
                                context.settings(), context.runner())
    response = Response(body, mimetype=chosen)
    response.vary.add("Accept")
    return response


# ---------------------------------------------------------------------------------------
# the fast path: a query by GET, the common case, without Flask's request machinery (on a
# small lookup that machinery took as long as the query). Anything else goes on to Flask.

FAST_PARAMS = frozenset({"query", "default-graph-uri", "named-graph-uri", "format", "output"})


def _fast_params(environ) -> dict[str, list[str]] | None:
    """The parameters of a plain query by GET, or None when Flask should take the request."""
    if (environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql"
            or environ.get("CONTENT_LENGTH") not in (None, "", "0")):
        return None
    params: dict[str, list[str]] = {}
    for name, value in parse_pairs(environ.get("QUERY_STRING", "")):
        if name not in FAST_PARAMS:
            return None
        params.setdefault(name, []).append(value)
    return params if len(params.get("query", ())) == 1 else None


def read_fast_path(app):
    """Wrap `app.wsgi_app` so that /sparql queries by GET are answered by answer_query with
    the same headers (request id, CORS, Vary) and problem documents as the Flask route."""
    flask_wsgi = app.wsgi_app
    settings = app.extensions["qfgraph.settings"]

    def wsgi(environ, start_response):
        started = time.perf_counter()
        params = _fast_params(environ)
        if params is None:
            return flask_wsgi(environ, start_response)
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        headers = {"X-Request-Id": request_id}
        asked = time.perf_counter()
        try:
            media, body = answer_query(params["query"][0], params.get("default-graph-uri", []),
                                       params.get("named-graph-uri", []), environ.get("HTTP_ACCEPT", ""),
                                       (params.get("format") or params.get("output") or [None])[0],
                                       settings, app.extensions["qfgraph.runner"])
            status = 200
            headers.update({"Content-Type": get_content_type(media, "utf-8"), "Vary": "Accept"})
        except Exception as e:
            p = answer_error(e, settings, request_id, "GET /sparql")
            status, body = p.status, problem_document(p.status, p.title, p.detail, request_id, **p.extra)
            headers.update({"Content-Type": PROBLEM_TYPE, **p.headers})
        for name, value in cors_headers(settings, environ.get("HTTP_ORIGIN"), False).items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        if status >= 500:
            log.error("request %s: GET /sparql -> %s", request_id, status)
        headers["Content-Length"] = str(len(body))
        # where the time went, for operators and the benchmark: answering (checks and the
        # engine, in a query worker or in this process) and the whole of this handler; what
        # HTTP costs around it is the rest
        done = time.perf_counter()
        headers["Server-Timing"] = f"query;dur={(done - asked) * 1000:.3f}, app;dur={(done - started) * 1000:.3f}"
        start_response(f"{status} {HTTPStatus(status).phrase}", list(headers.items()))
        return [body]

    return wsgi


def run_update(text: str) -> Response:
    """One changeset per graph the update writes, through the gate, all or nothing; the reply
    says where the triples went (each graph's result, and the default write graph if used)."""
    principal = authenticated("a SPARQL update")
    _refuse_forbidden(text)
    dataset = UpdateDataset(tuple(caller_iri(v, "using-graph-uri") for v in _params("using-graph-uri")),
                            tuple(caller_iri(v, "using-named-graph-uri") for v in _params("using-named-graph-uri")))
    plan = plan_update(context.store(), text, base=context.settings().sparql_base(),
                       default_graph=principal.default_graph, dataset=dataset)
    results = commit_changes({g: (c.additions, c.removals) for g, c in plan.changes.items()},
                             message=request.values.get("message") or "SPARQL update")
    return jsonify({"graphs": results, "default_graph": plan.default_graph,
                    "added": sum(r["added"] for r in results),
                    "removed": sum(r["removed"] for r in results)}), 200


def service_description() -> Response:
    """The SPARQL 1.1 Service Description of this endpoint."""
    settings = context.settings()
    endpoint = URIRef((settings.public_url.rstrip("/") + "/sparql") if settings.public_url
                      else url_for("sparql.sparql", _external=True))
    g = Graph()
    g.bind("sd", SD)
    service = URIRef(str(endpoint) + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    for language in (SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update):
        g.add((service, SD.supportedLanguage, language))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, QF.baseIRI, URIRef(settings.sparql_base())))
    for f in list(RESULTS_FORMATS.values()) + [RDF_FORMATS[name] for name in GRAPH_RESULT_FORMATS]:
        g.add((service, SD.resultFormat, URIRef(f.iri)))
    dataset = URIRef(str(endpoint) + "#dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    rows = context.store().select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
    for i, row in enumerate(rows, 1):
        named = URIRef(f"{endpoint}#graph-{i}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, SD.name, row["g"]))
    chosen = choose(GRAPH_TYPES)
    fmt = next(f.rdflib_name for f in RDF_FORMATS.values() if f.media_type == chosen)
    response = Response(g.serialize(format=fmt), mimetype=chosen)
    response.vary.add("Accept")
    return response
