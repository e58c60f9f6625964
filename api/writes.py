"""Every write of the service goes through the changeset gate (graph.changeset): the rules
run on the change, a Violation refuses it with the report, and nothing is written."""
from __future__ import annotations

import dataclasses

from flask import request

from api import context
from api.auth import writer_for
from api.problems import Problem


def _gate():
    try:
        from graph import changeset
    except ImportError:  # the gate is part of the graph package; without it nothing is written
        raise Problem(503, "Writes unavailable", "this installation has no changeset gate "
                      "(graph.changeset); writes are refused") from None
    return changeset


def as_json(value):
    """A result object of the graph package as JSON-ready data."""
    if hasattr(value, "to_json"):
        return value.to_json()
    if dataclasses.is_dataclass(value):
        return {k: as_json(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, (list, tuple, set)):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def if_match() -> str | None:
    """The graph version the caller saw, from `If-Match` (quotes and W/ removed)."""
    raw = request.headers.get("If-Match")
    if not raw or raw.strip() == "*":
        return None
    return raw.strip().removeprefix("W/").strip('"')


def commit_change(graph: str, additions, removals, message: str, expected_version: str | None = None,
                  version_from_header: bool = False) -> dict:
    """Commit a change to `graph` as the calling token; the JSON of the commit result."""
    principal = writer_for(graph)
    changeset = _gate()
    cs = changeset.Changeset(graph, additions, removals, principal.name, message,
                             expected_version=expected_version)
    try:
        result = changeset.commit(context.store(), cs)
    except changeset.Rejected as e:
        raise Problem(422, "Rejected by the rules", "the change breaks the quality-assurance rules; "
                      "nothing was written. Fix the focus nodes listed in the report and send it again",
                      report=as_json(e.report)) from None
    except changeset.VersionConflict as e:
        status = 412 if version_from_header else 409
        raise Problem(status, "Precondition Failed" if status == 412 else "Conflict",
                      f"the graph <{graph}> is at version {e.actual}, not {e.expected}: someone changed "
                      "it meanwhile. Fetch it again, reapply your change and resend with the new version",
                      current_version=str(e.actual)) from None
    finally:
        context.store_changed()
    return as_json(result)


def graph_version(graph: str) -> str | None:
    return _gate().graph_version(context.store(), graph)
