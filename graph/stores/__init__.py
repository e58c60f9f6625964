"""Stores: one small interface (`Store`), two kinds behind it: the embedded pyoxigraph store
and any SPARQL 1.1 server (`remote`), which is imported when first asked for.

    store = open_store("./qfgraph-data")            # a directory, ":memory:", or a server
    with store.writing({graph: version}) as turn:   # this writer's turn on those graphs
        ...
"""
from __future__ import annotations

import os

from qfgraph.graph.errors import LoadError, QuerySyntaxError, StoreError  # noqa: F401
from qfgraph.graph.stores.base import PreparedLoad, Store, quads_of, to_oxigraph, to_rdflib  # noqa: F401
from qfgraph.graph.stores.embedded import EmbeddedStore, check_parses  # noqa: F401
from qfgraph.graph.stores.claims import WriteTurn  # noqa: F401
from qfgraph.graph.stores.versions import VersionConflict, graph_version  # noqa: F401

DEFAULT_STORE_DIR = "./qfgraph-data"


def open_store(spec: str | None = None, read_only: bool = False) -> Store:
    """Open the store named by `spec`: a directory, ":memory:", or a remote SPARQL store
    (an http(s) query URL, or `query=URL,update=URL,...`: see stores.remote.RemoteConfig).

    Without `spec`: $QFGRAPH_STORE, else the remote store of $QFGRAPH_SPARQL_QUERY_URL (and
    the other QFGRAPH_SPARQL_* variables), else ./qfgraph-data.
    """
    from qfgraph.graph.stores.remote.config import RemoteConfig, looks_like_url
    spec = spec or os.environ.get("QFGRAPH_STORE")
    if not spec:
        remote = RemoteConfig.from_env()
        return _remote(remote) if remote else EmbeddedStore(DEFAULT_STORE_DIR, read_only=read_only)
    if looks_like_url(spec) or spec.lstrip().startswith("query="):
        return _remote(RemoteConfig.parse(spec))
    if spec == ":memory:":
        return EmbeddedStore(None)
    return EmbeddedStore(spec, read_only=read_only)


def _remote(config) -> Store:
    from qfgraph.graph.stores.remote.store import RemoteStore
    return RemoteStore(config)
