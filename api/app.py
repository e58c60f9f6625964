"""The Flask application factory: settings, store, blueprints, and the cross-cutting rules
(request ids, CORS, body size, problem+json errors)."""
from __future__ import annotations

import logging
import uuid
from pathlib import Path

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from qfgraph.api.config import Settings
from qfgraph.graph.store import StoreError
from qfgraph.api.problems import Problem, problem_response, to_response
from qfgraph.api.query_runner import runner_for
from qfgraph.api.tokens import TokenFile

log = logging.getLogger("qfgraph.http")

CORS_HEADERS = "Authorization, Content-Type, Accept, If-Match"
CORS_EXPOSED = "ETag, Location, X-Request-Id, Content-Type"


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` holds Settings fields (`store`, `base`, `query_timeout`, ...;
    upper-case and `QFGRAPH_` spellings too) over `QFGRAPH_*` environment variables; other
    upper-case keys (TESTING, ...) go to Flask. `store` is an open graph.Store or a spec."""
    config = dict(config or {})
    settings = Settings.load({k: v for k, v in config.items() if _is_setting(k)})
    if not hasattr(settings.store, "select"):
        from qfgraph.graph import open_store
        settings.store = open_store(settings.store)
    # the package: its templates/ folder is found from the name; no instance folder is used
    # (Flask cannot guess one for a package of a namespace mapped from another folder)
    app = Flask("qfgraph.api", instance_path=str(Path(__file__).parent / "instance"))
    app.config.update({k: v for k, v in config.items() if k.isupper() and not _is_setting(k)})
    app.config["STORE"] = settings.store
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.sort_keys = False
    app.extensions["qfgraph.settings"] = settings
    app.extensions["qfgraph.tokens"] = TokenFile(settings.tokens_path())
    app.extensions["qfgraph.runner"] = runner_for(settings.store, settings.query_workers)

    from qfgraph.api.docs import docs_blueprint
    from qfgraph.api.linked_data import linked_data_blueprint, register_base_routes
    from qfgraph.api.rest import api_blueprint
    from qfgraph.api.sparql_endpoint import read_fast_path, sparql_blueprint
    from qfgraph.api.imports_routes import imports_blueprint
    for bp in (sparql_blueprint, api_blueprint, imports_blueprint, linked_data_blueprint, docs_blueprint):
        app.register_blueprint(bp)
    register_base_routes(app, settings.base)
    _install_hooks(app, settings)
    app.wsgi_app = read_fast_path(app)
    return app


def _is_setting(key: str) -> bool:
    from dataclasses import fields
    name = key.lower().removeprefix("qfgraph_")
    return name in {f.name for f in fields(Settings)}


def request_id_from(given: str) -> str:
    """A caller's id is kept when it is short and plain, so logs can be correlated; else a new one."""
    return given if given.isalnum() and len(given) <= 64 else uuid.uuid4().hex


def cors_headers(settings: Settings, origin: str | None, preflight: bool) -> dict[str, str]:
    """The CORS headers for a request from `origin` (none when it is not allowed), Vary included."""
    if not origin or not ("*" in settings.cors_origins or origin in settings.cors_origins):
        return {}
    headers = {"Access-Control-Allow-Origin": "*" if "*" in settings.cors_origins else origin,
               "Access-Control-Expose-Headers": CORS_EXPOSED}
    if preflight:
        headers.update({"Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
                        "Access-Control-Allow-Headers": CORS_HEADERS, "Access-Control-Max-Age": "600"})
    if "*" not in settings.cors_origins:
        headers["Vary"] = "Origin"
    return headers


def unavailable(e: StoreError, request_id: str | None) -> Problem:
    """The store (a SPARQL server, most often) is down or failing: nothing was done, and the
    next request tries it again, so a restarted store is picked up without a restart here."""
    log.warning("request %s: store unavailable: %s", request_id, e)
    return Problem(503, "Store unavailable", f"{e}; try again shortly (a write is applied whole or not "
                   "at all: the graph version tells which)", {"Retry-After": "5"})


def internal_error(request_id: str | None) -> Problem:
    """A failure of ours (already logged with the request id the caller is asked to quote)."""
    return Problem(500, "Internal Server Error", "the service failed on this request; it has been "
                   f"logged under the request id {request_id}: quote it when reporting the problem")


def _install_hooks(app: Flask, settings: Settings) -> None:
    @app.before_request
    def start():
        g.request_id = request_id_from(request.headers.get("X-Request-Id", ""))
        if request.content_length is not None and request.content_length > settings.max_request_bytes:
            raise Problem(413, "Content Too Large", f"the request body has {request.content_length} "
                          f"bytes; this service accepts at most {settings.max_request_bytes} "
                          "(QFGRAPH_MAX_REQUEST_BYTES); split the change into smaller ones")

    @app.after_request
    def finish(response):
        response.headers["X-Request-Id"] = g.get("request_id", "")
        for name, value in cors_headers(settings, request.headers.get("Origin"), request.method == "OPTIONS").items():
            if name == "Vary":
                response.vary.add(value)
            else:
                response.headers[name] = value
        if response.status_code >= 500:
            log.error("request %s: %s %s -> %s", g.get("request_id"), request.method,
                      request.path, response.status_code)
        return response

    @app.errorhandler(Problem)
    def problem(e: Problem):
        return to_response(e)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        details = {
            404: f"nothing at {request.path}; see /api/v1/docs for the routes",
            405: f"{request.method} is not allowed on {request.path}",
            413: f"the request body is larger than {settings.max_request_bytes} bytes "
                 "(QFGRAPH_MAX_REQUEST_BYTES); split the change into smaller ones",
        }
        headers = {"Allow": ", ".join(e.valid_methods)} if getattr(e, "valid_methods", None) else None
        return problem_response(e.code or 500, e.name, details.get(e.code, e.description or e.name), headers)

    @app.errorhandler(StoreError)
    def store_unavailable(e: StoreError):
        return to_response(unavailable(e, g.get("request_id")))

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        log.exception("request %s failed: %s %s", g.get("request_id"), request.method, request.path)
        return to_response(internal_error(g.get("request_id")))
