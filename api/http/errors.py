"""The one place where the graph package's errors become problem documents.

Routes let domain errors (graph.errors and their kinds) rise; the app's error handler and
the /sparql fast path both answer them through `problem_for`, most specific kind first.
"""
from __future__ import annotations

import logging

from qfgraph.api.http.problems import Problem
from qfgraph.graph.changes import Rejected
from qfgraph.graph.changes.sparql_update import DatasetConflict, NoDefaultGraph, UnsupportedUpdate
from qfgraph.graph.errors import Conflict, InvalidInput, NotFound, QuerySyntaxError, Unavailable
from qfgraph.graph.imports import ImportFailed
from qfgraph.graph.querying.engine import QueryFailed, QueryTimeout, ResultTooLarge
from qfgraph.graph.stores import VersionConflict
from qfgraph.graph.stores.claims import GraphBusy

log = logging.getLogger("qfgraph.http")
RETRY = {"Retry-After": "5"}


def problem_for(e: Exception, settings, request_id: str | None = None,
                version_from_header: bool = False) -> Problem | None:
    """The problem document for a domain error; None for anything else (a failure of ours).
    `version_from_header`: the caller gave the version in If-Match (a stale one is 412)."""
    if isinstance(e, Problem):
        return e
    if isinstance(e, Rejected):
        return Problem(422, "Rejected by the rules", "the change breaks the quality-assurance rules; "
                       "nothing was written. Fix the focus nodes listed in the report and send it again",
                       report=e.report.to_json())
    if isinstance(e, ImportFailed):
        return Problem(422, "Import refused", "nothing was written: fix the problems listed in "
                       "`report` (file, row, column) and send the import again", report=e.report.to_json())
    if isinstance(e, GraphBusy):   # another replica is writing this graph right now
        return Problem(503, "Graph busy", str(e), RETRY)
    if isinstance(e, VersionConflict):
        status = 412 if version_from_header else 409
        return Problem(status, "Precondition Failed" if status == 412 else "Conflict",
                       f"the graph <{e.graph}> is at version {e.actual}, not {e.expected}: someone changed "
                       "it meanwhile. Fetch it again, reapply your change and resend with the new version",
                       current_version=e.actual)
    if isinstance(e, QueryTimeout):
        return Problem(503, "Query timeout", f"the query ran past the {settings.query_timeout:g} s limit "
                       "and was stopped; make it more selective or add a LIMIT "
                       "(the operator sets the limit with QFGRAPH_QUERY_TIMEOUT)")
    if isinstance(e, ResultTooLarge):
        return Problem(400, "Result too large", f"the result exceeds {settings.result_limit} bytes; "
                       "add a LIMIT and page with OFFSET (the operator sets the limit with "
                       "QFGRAPH_RESULT_LIMIT)")
    if isinstance(e, QueryFailed) and not e.syntax:
        return Problem(400, "Query failed", f"the query could not be evaluated: {e}")
    if isinstance(e, (QueryFailed, QuerySyntaxError)):
        return Problem(400, "SPARQL syntax error", str(e))
    if isinstance(e, NoDefaultGraph):
        return Problem(400, "No default graph", f"{e}; or have an administrator give the token one "
                       "(qfgraph token create --default-graph IRI)")
    if isinstance(e, DatasetConflict):
        return Problem(400, "Dataset given twice", str(e))
    if isinstance(e, UnsupportedUpdate):
        return Problem(400, "Unsupported update", str(e))
    if isinstance(e, Unavailable):
        # the store (a SPARQL server, most often) is down or failing: nothing was done, and the
        # next request tries it again, so a restarted store is picked up without a restart here
        log.warning("request %s: store unavailable: %s", request_id, e)
        return Problem(503, "Store unavailable", f"{e}; try again shortly (a write is applied whole or "
                       "not at all: the graph version tells which)", RETRY)
    if isinstance(e, NotFound):
        return Problem(404, "Not Found", str(e))
    if isinstance(e, Conflict):
        return Problem(409, "Conflict", str(e))
    if isinstance(e, InvalidInput):
        return Problem(400, "Bad Request", str(e))
    return None


def internal_error(request_id: str | None) -> Problem:
    """A failure of ours (already logged with the request id the caller is asked to quote)."""
    return Problem(500, "Internal Server Error", "the service failed on this request; it has been "
                   f"logged under the request id {request_id}: quote it when reporting the problem")
