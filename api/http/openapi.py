"""Routes that describe themselves: `operation` registers a Flask view together with its
parameters, body and responses, checks requests against them, and the OpenAPI 3.1
document is generated from that one registry, so it cannot drift from the code."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import jsonschema
from flask import request

from qfgraph.api.http.problems import Problem
from qfgraph.api.http.schemas import COMPONENTS

OPERATIONS: list["Operation"] = []
PREFIX = "/api/v1"


@dataclass
class Param:
    name: str
    schema: dict
    description: str
    where: str = "query"          # query | path | header
    required: bool = False
    many: bool = False            # repeatable (?held=a&held=b)

    @functools.cached_property
    def validator(self):
        return _validator(self.schema)

    def spec(self) -> dict:
        schema = {"type": "array", "items": self.schema} if self.many else self.schema
        out = {"name": self.name, "in": self.where, "description": self.description,
               "required": self.required or self.where == "path", "schema": schema}
        if self.many:
            out.update(style="form", explode=True)
        return out


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    params: list[Param] = field(default_factory=list)
    body: str | None = None                       # component schema name
    responses: dict = field(default_factory=dict)  # status -> (description, schema name | None)
    writes: bool = False
    operation_id: str = ""


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def operation(bp, method: str, path: str, summary: str, tag: str, params=(), body=None,
              responses=None, writes=False):
    """Register the view under `PREFIX + path` (`{id}` may hold slashes) and in the document."""
    def decorator(view):
        op = Operation(method, path, summary, tag, list(params), body, responses or {}, writes,
                       view.__name__)
        OPERATIONS.append(op)
        rule = PREFIX + re.sub(r"\{(\w+)\}", r"<path:\1>", path)

        @functools.wraps(view)
        def handler(**path_args):
            args = dict(path_args)
            args.update(_query_args(op))
            if op.body:
                args["body"] = _body(op.body)
            return view(**args)

        bp.add_url_rule(rule, view.__name__, handler, methods=[method])
        return handler
    return decorator


def _validator(schema: dict):
    """A validator built once per schema (jsonschema.validate checks the schema itself
    against the metaschema on every call: half of a cached pathway lookup's time)."""
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@functools.lru_cache(maxsize=None)
def _body_validator(schema_name: str):
    return _validator(dict(COMPONENTS[schema_name], components={"schemas": COMPONENTS}))


def _error(validator, value) -> jsonschema.ValidationError | None:
    """The error jsonschema.validate would raise, or None."""
    return jsonschema.exceptions.best_match(validator.iter_errors(value))


def _convert(param: Param, raw: str):
    kind = param.schema.get("type")
    try:
        value = int(raw) if kind == "integer" else float(raw) if kind == "number" else raw
    except ValueError:
        raise Problem(400, "Bad Request", f"parameter {param.name!r}: {raw!r} is not a {kind}") from None
    error = _error(param.validator, value)
    if error is not None:
        raise Problem(400, "Bad Request", f"parameter {param.name!r}: {error.message}")
    return value


def _query_args(op: Operation) -> dict:
    return query_args(op.params)


def query_args(params: list[Param], args=None) -> dict:
    """The query parameters of this request (or `args`, a MultiDict), converted and checked
    against `params` (a Problem 400 names the first wrong one); the pages read their
    filters this way too."""
    args = request.args if args is None else args
    out = {}
    for p in params:
        if p.where == "query":
            raw = args.getlist(p.name)
            if p.required and not raw:
                raise Problem(400, "Bad Request", f"parameter {p.name!r} is required")
            key = p.name.replace("-", "_")
            if p.many:
                out[key] = [_convert(p, r) for r in raw]
            else:
                out[key] = _convert(p, raw[-1]) if raw else p.schema.get("default")
    return out


def _body(schema_name: str):
    data = request.get_json(silent=True)
    if data is None:
        raise Problem(415 if not request.is_json else 400, "Bad Request" if request.is_json else
                      "Unsupported Media Type", "send a JSON body (Content-Type: application/json)")
    error = _error(_body_validator(schema_name), data)
    if error is not None:
        where = "/".join(str(x) for x in error.absolute_path) or "(the body)"
        raise Problem(400, "Bad Request", f"{where}: {error.message}")
    return data


COMMON_ERRORS = {"400": "the request is not valid: see detail", "406": "no acceptable format"}


def document(server_url: str = "/") -> dict:
    """The OpenAPI 3.1 document of every registered operation."""
    paths: dict = {}
    for op in OPERATIONS:
        responses = {}
        for status, (description, schema) in op.responses.items():
            r = {"description": description}
            if schema:
                media = "application/problem+json" if schema == "Problem" else "application/json"
                r["content"] = {media: {"schema": _ref(schema)}}
            responses[str(status)] = r
        for status, description in COMMON_ERRORS.items():
            responses.setdefault(status, {"description": description,
                                          "content": {"application/problem+json": {"schema": _ref("Problem")}}})
        if op.writes:
            for status, description in (("401", "no valid token"), ("403", "the token may not write here")):
                responses.setdefault(status, {"description": description, "content": {
                    "application/problem+json": {"schema": _ref("Problem")}}})
        entry = {"operationId": op.operation_id, "summary": op.summary, "tags": [op.tag],
                 "parameters": [p.spec() for p in op.params], "responses": responses}
        if op.body:
            entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(op.body)}}}
        if op.writes:
            entry["security"] = [{"bearer": []}]
        paths.setdefault(PREFIX + op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "qfgraph API", "version": "1",
                 "description": "Qualifications, micro-credentials, frameworks and levels; validation, "
                                "changesets and stacking paths. Reads are open; writes need a bearer token."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": COMPONENTS,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
