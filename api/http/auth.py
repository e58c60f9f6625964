"""Who is calling: anonymous (read only) or the holder of a bearer token."""
from __future__ import annotations

from flask import current_app, request

from qfgraph.api.http.problems import Problem
from qfgraph.api.tokens import Principal

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="qfgraph"'}


def caller() -> Principal | None:
    """The token's principal, None when no Authorization header; 401 for a bad token."""
    header = request.headers.get("Authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "Unauthorized", "send the token as 'Authorization: Bearer <token>'",
                      headers=CHALLENGE)
    principal = current_app.extensions["qfgraph.tokens"].verify(token.strip())
    if principal is None:
        raise Problem(401, "Unauthorized", "the token is not valid or has been revoked; "
                      "ask an administrator for a new one (qfgraph token create)", headers=CHALLENGE)
    return principal


def authenticated(what: str) -> Principal:
    """The caller; 401 when anonymous (`what` names the action that needs a token)."""
    principal = caller()
    if principal is None:
        raise Problem(401, "Unauthorized", f"{what} needs a curator token: "
                      "send 'Authorization: Bearer <token>'", headers=CHALLENGE)
    return principal


def writer_for(graph: str) -> Principal:
    """The caller, if allowed to write `graph`: 401 anonymous, 403 outside their graphs."""
    return may_write(authenticated("writing"), graph)


def may_write(principal: Principal, graph: str) -> Principal:
    """`principal`, if its token may write `graph`; 403 else."""
    if not principal.may_write(graph):
        mine = ", ".join(principal.graphs) or "none"
        raise Problem(403, "Forbidden", f"the token {principal.name!r} may not write to the graph "
                      f"<{graph}>; it may write to: {mine}")
    return principal
