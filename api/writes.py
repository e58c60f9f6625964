"""Every write of the service goes through the changeset gate (graph.changeset): the rules
run on the change, a Violation refuses it with the report, and nothing is written."""
from __future__ import annotations

import dataclasses

from flask import request

from qfgraph.api import context
from qfgraph.api.auth import writer_for
from qfgraph.api.problems import Problem


class _Gate:
    """The write road of the graph package, in one place."""

    def __init__(self):
        from qfgraph.graph import changeset
        from qfgraph.graph.claims import GraphBusy
        from qfgraph.graph.history import RevertError, history, revert
        self.Changeset, self.commit = changeset.Changeset, changeset.commit
        self.Rejected, self.VersionConflict = changeset.Rejected, changeset.VersionConflict
        self.graph_version, self.GraphBusy = changeset.graph_version, GraphBusy
        self.history, self.revert, self.RevertError = history, revert, RevertError


def _gate() -> _Gate:
    return _Gate()


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


def if_match() -> int | None:
    """The graph version the caller saw, from `If-Match` (an ETag of /graphs/version)."""
    raw = request.headers.get("If-Match")
    if not raw or raw.strip() == "*":
        return None
    return parse_version(raw.strip().removeprefix("W/").strip('"'), "If-Match")


def parse_version(value, where: str) -> int:
    try:
        version = int(value)
        if version < 0:
            raise ValueError
        return version
    except (TypeError, ValueError):
        raise Problem(400, "Bad Request", f"{where}: {value!r} is not a graph version (a whole number "
                      "from GET /api/v1/graphs/version)") from None


def commit_change(graph: str, additions, removals, message: str, expected_version: int | None = None,
                  version_from_header: bool = False) -> dict:
    """Commit a change to `graph` as the calling token; the JSON of the commit result."""
    principal = writer_for(graph)
    changeset = _gate()
    try:
        cs = changeset.Changeset(graph, additions, removals, principal.name, message,
                                 expected_version=expected_version)
    except ValueError as e:  # UnsafeTermError too: a term that cannot be stored
        raise Problem(400, "Bad Request", str(e)) from None
    try:
        result = changeset.commit(context.store(), cs)
    except changeset.Rejected as e:
        raise Problem(422, "Rejected by the rules", "the change breaks the quality-assurance rules; "
                      "nothing was written. Fix the focus nodes listed in the report and send it again",
                      report=as_json(e.report)) from None
    except changeset.GraphBusy as e:  # another replica is writing this graph right now
        raise Problem(503, "Graph busy", str(e), {"Retry-After": "5"}) from None
    except changeset.VersionConflict as e:
        status = 412 if version_from_header else 409
        raise Problem(status, "Precondition Failed" if status == 412 else "Conflict",
                      f"the graph <{graph}> is at version {e.actual}, not {e.expected}: someone changed "
                      "it meanwhile. Fetch it again, reapply your change and resend with the new version",
                      current_version=e.actual) from None
    finally:
        context.store_changed()
    return as_json(result)


def graph_version(graph: str) -> int:
    return _gate().graph_version(context.store(), graph)
