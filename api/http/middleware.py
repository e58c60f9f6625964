"""What every request gets, written once for the Flask app and the /sparql fast path: a
request id, CORS headers, the body-size limit, and errors as problem documents."""
from __future__ import annotations

import logging
import uuid

from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException

from qfgraph.api.config import Settings
from qfgraph.api.http.errors import internal_error, problem_for
from qfgraph.api.http.problems import Problem, problem_response, to_response

log = logging.getLogger("qfgraph.http")

CORS_HEADERS = "Authorization, Content-Type, Accept, If-Match"
CORS_EXPOSED = "ETag, Location, X-Request-Id, Content-Type"


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


def answer_error(e: Exception, settings: Settings, request_id: str | None, what: str,
                 version_from_header: bool = False) -> Problem:
    """The problem document for any exception of a request (`what`: the request, for the log):
    a domain error's own, else an internal error, logged with the request id."""
    problem = problem_for(e, settings, request_id, version_from_header)
    if problem is None:
        log.error("request %s failed: %s", request_id, what, exc_info=e)
        problem = internal_error(request_id)
    return problem


def wants_page() -> bool:
    """A browser asking for a page (not for the API or the SPARQL endpoint): it gets its
    error as a page too, with the same status and message."""
    if request.path.startswith(("/api/", "/sparql")):
        return False
    offers = ["application/problem+json", "application/json", "text/html"]
    return request.accept_mimetypes.best_match(offers) == "text/html"


def page_for(problem: Problem) -> Response:
    page = render_template("error.html", problem=problem, request_id=g.get("request_id"))
    return Response(page, status=problem.status, headers=problem.headers, mimetype="text/html")


def install(app: Flask, settings: Settings) -> None:
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

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        details = {
            404: f"nothing at {request.path}; the navigation above leads to every page, "
                 "and /api/v1/docs lists the routes of the API",
            405: f"{request.method} is not allowed on {request.path}",
            413: f"the request body is larger than {settings.max_request_bytes} bytes "
                 "(QFGRAPH_MAX_REQUEST_BYTES); split the change into smaller ones",
        }
        headers = {"Allow": ", ".join(e.valid_methods)} if getattr(e, "valid_methods", None) else None
        if wants_page():
            return page_for(Problem(e.code or 500, e.name, details.get(e.code, e.description or e.name), headers))
        return problem_response(e.code or 500, e.name, details.get(e.code, e.description or e.name), headers)

    @app.errorhandler(Exception)
    def error(e: Exception):
        problem = answer_error(e, settings, g.get("request_id"), f"{request.method} {request.path}",
                               version_from_header=request.headers.get("If-Match") is not None)
        return page_for(problem) if wants_page() else to_response(problem)
