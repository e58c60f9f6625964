"""Bearer tokens for curators and administrators, kept hashed in a JSON file.

A token is 256 random bits, shown once when created; the file keeps only its SHA-256 (a
slow hash adds nothing for a secret of that entropy). The file is re-read when it changes,
so `qfgraph token revoke` takes effect on a running server.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from qfgraph.graph import check_iri

ROLES = ("curator", "admin")
PREFIX = "qfg_"


class TokenError(ValueError):
    """A token request that cannot be honoured (duplicate name, unknown role, ...)."""


@dataclass(frozen=True)
class Principal:
    """Who a valid token belongs to."""

    name: str
    role: str
    graphs: tuple[str, ...] = ()
    default_write_graph: str | None = None   # as set at creation; see default_graph

    def may_write(self, graph: str) -> bool:
        return self.role == "admin" or graph in self.graphs

    @property
    def default_graph(self) -> str | None:
        """Where a SPARQL update's triples for the default graph go: the graph set with
        `--default-graph`, else the first of the token's graphs; None for an admin token
        created without either."""
        return self.default_write_graph or (self.graphs[0] if self.graphs else None)


@dataclass
class TokenRecord:
    name: str
    role: str
    graphs: list[str] = field(default_factory=list)
    sha256: str = ""
    created: str = ""
    revoked: str | None = None
    default_graph: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenFile:
    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._stamp = None
        self._records: list[TokenRecord] = []

    # -- reading ----------------------------------------------------------------------

    def records(self) -> list[TokenRecord]:
        with self._lock:
            try:
                st = os.stat(self.path)
                stamp = (st.st_mtime_ns, st.st_size)
            except FileNotFoundError:
                self._stamp, self._records = None, []
                return []
            if stamp != self._stamp:
                with open(self.path, encoding="utf-8") as f:
                    data = json.load(f)
                self._records = [TokenRecord(**r) for r in data.get("tokens", [])]
                self._stamp = stamp
            return list(self._records)

    def verify(self, token: str) -> Principal | None:
        """The principal of a valid, unrevoked token; None otherwise."""
        digest = _digest(token)
        for r in self.records():
            if hmac.compare_digest(r.sha256, digest) and not r.revoked:
                return Principal(r.name, r.role, tuple(r.graphs), r.default_graph)
        return None

    # -- writing (the CLI) ------------------------------------------------------------

    def create(self, name: str, role: str, graphs: list[str], default_graph: str | None = None) -> str:
        if role not in ROLES:
            raise TokenError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
        if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise TokenError(f"a token name is letters, digits, '-', '_' or '.': {name!r}")
        for g in graphs:
            check_iri(g)
        if role == "curator" and not graphs:
            raise TokenError("a curator token needs at least one --graph IRI it may write to")
        if default_graph is not None:
            check_iri(default_graph)
            if role == "curator" and default_graph not in graphs:
                raise TokenError(f"the default graph <{default_graph}> must be one of the token's "
                                 "--graph IRIs (a curator writes to its own graphs only)")
        records = self.records()
        if any(r.name == name and not r.revoked for r in records):
            raise TokenError(f"a token named {name!r} exists; revoke it first or choose another name")
        token = PREFIX + secrets.token_urlsafe(32)
        records.append(TokenRecord(name, role, list(graphs), _digest(token), _now(), default_graph=default_graph))
        self._write(records)
        return token

    def revoke(self, name: str) -> None:
        records = self.records()
        live = [r for r in records if r.name == name and not r.revoked]
        if not live:
            raise TokenError(f"no active token named {name!r}")
        for r in live:
            r.revoked = _now()
        self._write(records)

    def _write(self, records: list[TokenRecord]) -> None:
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tokens-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"tokens": [asdict(r) for r in records]}, f, indent=2)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
