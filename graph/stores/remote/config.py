"""Where a remote store is and how to talk to it: `RemoteConfig`, from a command-line spec
(a bare query URL, or `key=value,...`) or from QFGRAPH_SPARQL_* variables."""
from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass, field, replace

from qfgraph.graph.errors import StoreError
from qfgraph.graph.stores.remote.engines import ENGINES, Engine

AUTH_KINDS = ("basic", "digest", "bearer")


@dataclass(frozen=True)
class RemoteConfig:
    """Where the store is and how to talk to it.

    Written on the command line as a bare query URL (`http://host:7878/query`), or as
    comma-separated `key=value` pairs: query, update, gsp, engine, auth, user, password,
    token, timeout, retries. Credentials are better kept in the environment
    (QFGRAPH_SPARQL_USER / _PASSWORD / _TOKEN / _AUTH) than on a command line.
    """

    query: str
    update: str | None = None
    gsp: str | None = None
    engine: str | None = None
    auth: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    retries: int = 3

    KEYS = ("query", "update", "gsp", "engine", "auth", "user", "password", "token", "timeout", "retries")
    ENV = {"query": "QFGRAPH_SPARQL_QUERY_URL", "update": "QFGRAPH_SPARQL_UPDATE_URL",
           "gsp": "QFGRAPH_SPARQL_GSP_URL", "engine": "QFGRAPH_SPARQL_ENGINE",
           "auth": "QFGRAPH_SPARQL_AUTH", "user": "QFGRAPH_SPARQL_USER",
           "password": "QFGRAPH_SPARQL_PASSWORD", "token": "QFGRAPH_SPARQL_TOKEN",
           "timeout": "QFGRAPH_SPARQL_TIMEOUT", "retries": "QFGRAPH_SPARQL_RETRIES"}

    @classmethod
    def parse(cls, spec: str, environ=os.environ) -> "RemoteConfig":
        """A bare URL or `key=value,...`; missing credentials come from the environment."""
        spec = spec.strip()
        if looks_like_url(spec):
            values = {"query": spec}
        else:
            values = {}
            for part in filter(None, (p.strip() for p in spec.split(","))):
                key, eq, value = part.partition("=")
                key = key.strip().lower()
                if not eq or key not in cls.KEYS:
                    raise StoreError(f"bad store setting {part!r}: use key=value with a key among "
                                     f"{', '.join(cls.KEYS)}")
                values[key] = value.strip()
        for key in ("auth", "user", "password", "token", "engine", "timeout", "retries"):
            if key not in values and environ.get(cls.ENV[key]):
                values[key] = environ[cls.ENV[key]]
        return cls.build(values)

    @classmethod
    def from_env(cls, environ=os.environ) -> "RemoteConfig | None":
        """The store named by QFGRAPH_SPARQL_* variables, or None when the query URL is unset."""
        values = {k: environ[v] for k, v in cls.ENV.items() if environ.get(v)}
        return cls.build(values) if "query" in values else None

    @classmethod
    def build(cls, values: dict) -> "RemoteConfig":
        if "query" not in values:
            raise StoreError("a remote store needs query=URL")
        for key in ("query", "update", "gsp"):
            if values.get(key) and not looks_like_url(values[key]):
                raise StoreError(f"{key}={values[key]!r} is not an http(s) URL")
        auth = (values.get("auth") or ("bearer" if values.get("token") else
                                       "basic" if values.get("user") else "")).lower() or None
        if auth and auth not in AUTH_KINDS:
            raise StoreError(f"auth={auth!r}: use one of {', '.join(AUTH_KINDS)}")
        if auth in ("basic", "digest") and not (values.get("user") and values.get("password") is not None):
            raise StoreError(f"auth={auth} needs user= and password= (or QFGRAPH_SPARQL_USER/_PASSWORD)")
        if auth == "bearer" and not values.get("token"):
            raise StoreError("auth=bearer needs token= (or QFGRAPH_SPARQL_TOKEN)")
        engine = values.get("engine")
        if engine and engine not in ENGINES:
            raise StoreError(f"engine={engine!r}: use one of {', '.join(ENGINES)}")
        try:
            timeout = float(values.get("timeout", 60))
            retries = int(values.get("retries", 3))
        except ValueError:
            raise StoreError("timeout= takes seconds and retries= a count") from None
        return cls(query=values["query"], update=values.get("update"), gsp=values.get("gsp"),
                   engine=engine, auth=auth, user=values.get("user"), password=values.get("password"),
                   token=values.get("token"), timeout=timeout, retries=retries)

    def resolved(self, engine: Engine) -> "RemoteConfig":
        """Fill in the update and GSP endpoints the engine has next to the query endpoint."""
        authed = self.auth in ("basic", "digest")
        sibling = lambda path: urllib.parse.urljoin(self.query, path) if path else None
        update = self.update or sibling(engine.update_path_auth if authed else engine.update_path) or self.query
        gsp = self.gsp or sibling(engine.gsp_path_auth if authed else engine.gsp_path)
        return replace(self, update=update, gsp=gsp, engine=engine.name)


def looks_like_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))
