"""`POST /api/v1/imports` (curators: CSV templates as multipart, ELM or Open Badges JSON) and
`GET /api/v1/export` (ELM for Europass, Turtle, JSON-LD). An import answers with the same
report as `qfgraph import`: 201 when written, 422 with the problems when nothing was."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from qfgraph.api.http import context
from qfgraph.api.http.auth import may_write, writer_for
from qfgraph.api.http.openapi import Param, operation
from qfgraph.api.http.problems import Problem
from qfgraph.graph.errors import NotFound
from qfgraph.graph.exports import export_elm, serialize_elm
from qfgraph.graph.formats import rdf_format
from qfgraph.graph.imports import import_badges, import_csv, import_elm

imports_blueprint = Blueprint("api_v1_imports", __name__)

GRAPH = Param("graph", {"type": "string", "minLength": 1}, "named graph to write to", required=True)
FORMAT = Param("format", {"type": "string", "enum": ["csv", "elm", "badge"]},
               "what is sent; default: csv for multipart files, else elm or badge from the JSON")
DEFAULT = Param("default", {"type": "string", "pattern": "^[a-z_]+=.+$"},
                "NAME=VALUE: an Annex I element for micro-credentials that lack it "
                "(assessment_type, quality_assurance, mode, learning_setting, language)", many=True)
EXPORT_FORMATS = ("elm", "turtle", "jsonld")   # elm: ELM JSON-LD for Europass


def _sent_documents() -> list[tuple[str, bytes]]:
    if request.files:
        return [(f.filename or name, f.read()) for name, f in request.files.items(multi=True)]
    body = request.get_data()
    if not body:
        raise Problem(400, "Bad Request", "send CSV template files as multipart/form-data, or an ELM "
                      "or Open Badges JSON document as the body")
    return [("(request body)", body)]


def _guess_format(documents: list[tuple[str, bytes]]) -> str:
    return "csv" if request.files else json_kind(documents[0][1])


def json_kind(document: bytes) -> str:
    """elm or badge: which kind of JSON document this is."""
    text = document[:20000]
    return "badge" if (b"OpenBadgeCredential" in text or b'"Achievement"' in text) else "elm"


@operation(imports_blueprint, "POST", "/imports", "Import CSV templates, ELM or Open Badges 3.0 "
           "(nothing is written unless everything passes)", "imports", [GRAPH, FORMAT, DEFAULT],
           responses={201: ("written: the import report", None),
                      422: ("nothing written: the report with every problem", "Problem")},
           writes=True)
def post_import(graph, format=None, default=None):
    principal = writer_for(graph)
    documents = _sent_documents()
    report = import_documents(principal, graph, format or _guess_format(documents), documents, default)
    return jsonify(report.to_json()), 201


def import_documents(principal, graph: str, kind: str, documents: list[tuple[str, bytes]],
                     default: list[str] | None = None, dry_run: bool = False):
    """Import `documents` (csv, elm or badge) into `graph` as `principal`: the report, or
    ImportFailed with it. The API route and the curator pages both import this way."""
    may_write(principal, graph)
    bad = [d for d in default or [] if "=" not in d]
    if bad:
        raise Problem(400, "Bad Request", f"default {bad[0]!r}: write it as NAME=VALUE, e.g. mode=online")
    defaults = dict(d.split("=", 1) for d in default or [])
    store, base = context.store(), context.settings().base
    try:
        if kind == "csv":
            bad = [n for n, _ in documents if not n.endswith(".csv")]
            if bad:
                raise Problem(400, "Bad Request", f"not CSV template files: {', '.join(bad)}")
            return import_csv(store, dict(documents), graph, base, principal.name, dry_run=dry_run)
        if kind == "elm":
            return import_elm(store, documents, graph, base, principal.name, defaults, dry_run=dry_run)
        return import_badges(store, documents, graph, base, principal.name, defaults, dry_run=dry_run)
    finally:
        if not dry_run:
            context.store_changed()


@operation(imports_blueprint, "GET", "/export", "Export the graph: ELM (Europass QDR), Turtle or "
           "JSON-LD", "imports",
           [Param("format", {"type": "string", "enum": list(EXPORT_FORMATS), "default": "elm"},
                  "elm, turtle or jsonld"),
            Param("graph", {"type": "string", "minLength": 1}, "one named graph (default: all)")],
           responses={200: ("the export", None), 404: ("no such graph", "Problem")})
def get_export(format="elm", graph=None):
    store = context.store()
    if graph and graph not in store.graph_sizes():
        raise NotFound(f"no named graph <{graph}> in the store")
    if format == "elm":
        result = export_elm(store, graph)
        response = Response(serialize_elm(result), mimetype=rdf_format("jsonld").media_type)
        response.headers["X-Skipped-Records"] = str(len(result.skipped))
        return response
    info = rdf_format(format)
    return Response(store.export(info, graph), mimetype=info.media_type)
