"""The OpenAPI document and an interactive documentation page rendered from it (no
external assets: the page works offline)."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from qfgraph.api.http.openapi import OPERATIONS, PREFIX, document, operation

docs_blueprint = Blueprint("docs", __name__)


@operation(docs_blueprint, "GET", "/openapi.json", "This document (OpenAPI 3.1)", "meta",
           responses={200: ("the OpenAPI document", None)})
def openapi_json():
    return jsonify(document(request.host_url))


@operation(docs_blueprint, "GET", "/docs", "Interactive documentation", "meta",
           responses={200: ("an HTML page", None)})
def docs_page():
    spec = document(request.host_url)
    ordered = sorted(OPERATIONS, key=lambda op: op.tag == "meta")  # the API first, this page last
    ops = [(op, spec["paths"][PREFIX + op.path][op.method.lower()]) for op in ordered]
    return render_template("docs.html", ops=ops, prefix=PREFIX, spec=spec)

