"""Every write of the service goes through the changeset gate (graph.changes): the rules run
on the change, a Violation refuses it with the report, and nothing is written. Refusals and
conflicts rise as domain errors (api/http/errors.py answers them)."""
from __future__ import annotations

import dataclasses

from flask import request

from qfgraph.api.http import context
from qfgraph.api.http.auth import may_write, writer_for
from qfgraph.api.http.problems import Problem
from qfgraph.graph.changes import Changeset, commit, commit_all


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
                  principal=None) -> dict:
    """Commit a change to `graph` as the calling token (or `principal`, a curator signed in on
    the pages); the JSON of the commit result."""
    principal = may_write(principal, graph) if principal else writer_for(graph)
    changeset = Changeset(graph, additions, removals, principal.name, message, expected_version=expected_version)
    try:
        return as_json(commit(context.store(), changeset))
    finally:
        context.store_changed()


def commit_changes(changes: dict[str, tuple], message: str) -> list[dict]:
    """Commit changes to several graphs (graph -> (additions, removals)) as the calling token,
    all or nothing; the JSON of each graph's commit result. The token must be allowed to
    write every one of them, even those where nothing changes."""
    principal = None
    for graph in changes:
        principal = writer_for(graph)
    if principal is None:
        return []
    changesets = [Changeset(g, adds, removes, principal.name, message) for g, (adds, removes) in changes.items()]
    try:
        return [as_json(r) for r in commit_all(context.store(), changesets)]
    finally:
        context.store_changed()
