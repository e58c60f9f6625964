"""Errors as RFC 9457 `application/problem+json`, with a detail a person can act on."""
from __future__ import annotations

import json

from flask import Response, g

PROBLEM_TYPE = "application/problem+json"


class Problem(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str, headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers, self.extra = headers or {}, extra


def problem_document(status: int, title: str, detail: str, request_id: str | None = None, **extra) -> bytes:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return json.dumps(body, ensure_ascii=False, indent=1).encode()


def problem_response(status: int, title: str, detail: str, headers: dict | None = None, **extra) -> Response:
    response = Response(problem_document(status, title, detail, getattr(g, "request_id", None), **extra),
                        status=status, mimetype=PROBLEM_TYPE)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def to_response(p: Problem) -> Response:
    return problem_response(p.status, p.title, p.detail, p.headers, **p.extra)
