"""The service's settings: flags of `qfgraph serve`, else `QFGRAPH_*` environment variables.

Every setting has a safe default, so `create_app({})` serves a local store read-only for
anonymous callers, with SERVICE and LOAD refused.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

from qfgraph.ontology import DEFAULT_BASE


@dataclass
class Settings:
    store: object = None                # an open graph.Store, or a spec (directory, ":memory:")
    base: str = DEFAULT_BASE            # entity IRIs under this base dereference
    tokens_file: str | None = None      # default: <store dir>/tokens.json
    query_timeout: float = 30.0         # seconds a /sparql query may run
    result_limit: int = 50_000_000      # bytes a /sparql result may take
    cors_origins: tuple[str, ...] = ("*",)
    max_request_bytes: int = 10 * 1024 * 1024
    query_workers: int = 4              # worker processes for /sparql on an on-disk store
    public_url: str | None = None       # where the service is reached, for sd:endpoint
    secret_key: str | None = None       # signs the pages' session cookie; default: new per server start

    ENV = {
        "store": "QFGRAPH_STORE", "base": "QFGRAPH_BASE", "tokens_file": "QFGRAPH_TOKENS",
        "query_timeout": "QFGRAPH_QUERY_TIMEOUT", "result_limit": "QFGRAPH_RESULT_LIMIT",
        "cors_origins": "QFGRAPH_CORS_ORIGINS", "max_request_bytes": "QFGRAPH_MAX_REQUEST_BYTES",
        "query_workers": "QFGRAPH_QUERY_WORKERS", "public_url": "QFGRAPH_PUBLIC_URL",
        "secret_key": "QFGRAPH_SECRET_KEY",
    }

    @classmethod
    def load(cls, given: dict | None = None, environ=None) -> "Settings":
        """Given values (lower-case names or `QFGRAPH_*`/upper-case keys) over the environment."""
        environ = os.environ if environ is None else environ
        given = {k.lower().removeprefix("qfgraph_"): v for k, v in (given or {}).items()}
        values = {}
        for f in fields(cls):
            if f.name in given and given[f.name] is not None:
                values[f.name] = given[f.name]
            elif cls.ENV.get(f.name) in environ:
                values[f.name] = environ[cls.ENV[f.name]]
        settings = cls(**{k: v for k, v in values.items()})
        settings._coerce()
        return settings

    def _coerce(self) -> None:
        try:
            self.query_timeout = float(self.query_timeout)
            self.result_limit = int(self.result_limit)
            self.max_request_bytes = int(self.max_request_bytes)
            self.query_workers = int(self.query_workers)
        except (TypeError, ValueError) as e:
            raise ValueError(f"invalid setting: {e}") from None
        if isinstance(self.cors_origins, str):
            self.cors_origins = tuple(o.strip() for o in self.cors_origins.split(",") if o.strip())
        if not self.base.endswith(("/", "#")):
            raise ValueError(f"the base IRI must end with / or #: {self.base!r}")

    def sparql_base(self) -> str:
        """The base IRI relative IRIs of /sparql queries and updates resolve against: the
        endpoint's public IRI when the service knows it, else the configured base (never the
        request's Host header, which the caller chooses)."""
        return self.public_url.rstrip("/") + "/sparql" if self.public_url else self.base

    def tokens_path(self) -> str:
        return tokens_path(self.tokens_file, getattr(self.store, "path", None) or
                           (self.store if isinstance(self.store, str) else None))


def tokens_path(explicit: str | None, store_dir: str | None) -> str:
    """The tokens file: given, else $QFGRAPH_TOKENS, else inside the store directory."""
    if explicit:
        return explicit
    if os.environ.get("QFGRAPH_TOKENS"):
        return os.environ["QFGRAPH_TOKENS"]
    if store_dir and store_dir != ":memory:":
        return os.path.join(store_dir, "tokens.json")
    return os.path.join(os.environ.get("QFGRAPH_STORE") or "./qfgraph-data", "tokens.json")
