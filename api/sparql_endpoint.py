"""`/sparql`: the W3C SPARQL 1.1 Protocol.

Queries by GET, POST form and POST `application/sparql-query`; updates by POST form and
POST `application/sparql-update`, for token holders only, through the changeset gate.
SERVICE and LOAD are refused: they would make this service call hosts the operator did
not configure.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from api import context
from api.auth import authenticated
from api.entities import user_iri
from api.negotiation import choose
from api.problems import Problem
from api.query_runner import QueryFailed, QueryTimeout, ResultTooLarge
from api.sparql_text import analyse
from ontology.namespaces import SD

sparql_blueprint = Blueprint("sparql", __name__)

RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values", "application/json", "application/xml"]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]
# plain JSON / XML asked for by some clients: the same engine formats
ALIASES = {"application/json": "application/sparql-results+json",
           "application/xml": "application/sparql-results+xml"}
FORMATS_NS = "http://www.w3.org/ns/formats/"
FORMAT_IRIS = {"application/sparql-results+json": "SPARQL_Results_JSON",
               "application/sparql-results+xml": "SPARQL_Results_XML",
               "text/csv": "SPARQL_Results_CSV", "text/tab-separated-values": "SPARQL_Results_TSV",
               "text/turtle": "Turtle", "application/n-triples": "N-Triples",
               "application/rdf+xml": "RDF_XML", "application/ld+json": "JSON-LD"}
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


def _graph_params(name: str) -> list[str]:
    return [user_iri(v, name) for v in _params(name)]


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
    found = sorted(analyse(text).keywords & FORBIDDEN.keys())
    if found:
        raise Problem(403, "Forbidden", FORBIDDEN[found[0]])


def run_query(text: str) -> Response:
    _refuse_forbidden(text)
    default_graphs, named_graphs = _graph_params("default-graph-uri"), _graph_params("named-graph-uri")
    form = analyse(text).form
    offers = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    chosen = choose(offers)
    settings = context.settings()
    try:
        body, _, _ = context.runner().run(text, ALIASES.get(chosen, chosen), default_graphs, named_graphs,
                                          settings.result_limit, settings.query_timeout)
    except QueryFailed as e:
        if e.syntax:
            raise Problem(400, "SPARQL syntax error", str(e)) from None
        raise Problem(400, "Query failed", f"the query could not be evaluated: {e}") from None
    except QueryTimeout:
        raise Problem(503, "Query timeout", f"the query ran past the {settings.query_timeout:g} s limit "
                      "and was stopped; make it more selective or add a LIMIT "
                      "(the operator sets the limit with QFGRAPH_QUERY_TIMEOUT)") from None
    except ResultTooLarge:
        raise Problem(400, "Result too large", f"the result exceeds {settings.result_limit} bytes; "
                      "add a LIMIT and page with OFFSET (the operator sets the limit with "
                      "QFGRAPH_RESULT_LIMIT)") from None
    response = Response(body, mimetype=chosen)
    response.vary.add("Accept")
    return response


def run_update(text: str) -> Response:
    from api.sparql_update import plan_update
    from api.writes import commit_change

    authenticated("a SPARQL update")
    _refuse_forbidden(text)
    plan = plan_update(context.store(), text)
    result = commit_change(plan.graph, plan.additions, plan.removals,
                           message=request.values.get("message") or "SPARQL update")
    return jsonify(result), 200


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
    for media, name in FORMAT_IRIS.items():
        g.add((service, SD.resultFormat, URIRef(FORMATS_NS + name)))
    dataset = URIRef(str(endpoint) + "#dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    rows = context.store().select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
    for i, row in enumerate(rows, 1):
        named = URIRef(f"{endpoint}#graph-{i}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, SD.name, row["g"]))
    chosen = choose(GRAPH_TYPES)
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
           "application/ld+json": "json-ld"}[chosen]
    response = Response(g.serialize(format=fmt), mimetype=chosen)
    response.vary.add("Accept")
    return response
