"""The knowledge graph: stores, loading and export, reference data, (later) changesets and
stacking paths. Never imports Flask."""
from __future__ import annotations

import os

from qfgraph.graph.reference import install_demo, install_reference  # noqa: F401
from qfgraph.graph.sparql import UnsafeTermError, bind, check_iri, term  # noqa: F401
from qfgraph.graph.store import (  # noqa: F401
    RDF_FORMATS, EmbeddedStore, LoadError, QuerySyntaxError, Store, StoreError, rdf_format,
)
from qfgraph.graph.changeset import (  # noqa: F401  (the write gate: every write is a changeset)
    Changeset, CommitResult, Rejected, VersionConflict, commit, graph_version,
)
from qfgraph.graph.history import RevertError, history, revert  # noqa: F401

# Stacking paths load SciPy (about a second): imported on first use, so that commands which
# never compute a path start fast.
_STACKING = {"Closest", "Constraints", "Learner", "PathsAnswer", "PrerequisiteCycle",
             "UnknownEntity", "closest", "find_paths"}


def __getattr__(name: str):
    if name in _STACKING:
        from qfgraph.graph import stacking
        return getattr(stacking, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")

DEFAULT_STORE_DIR = "./qfgraph-data"


def open_store(spec: str | None = None, read_only: bool = False) -> Store:
    """Open the store named by `spec`: a directory, ":memory:", or a remote SPARQL store
    (an http(s) query URL, or `query=URL,update=URL,...`: see graph.remote.RemoteConfig).

    Without `spec`: $QFGRAPH_STORE, else the remote store of $QFGRAPH_SPARQL_QUERY_URL (and
    the other QFGRAPH_SPARQL_* variables), else ./qfgraph-data.
    """
    from qfgraph.graph.remote import RemoteConfig, RemoteStore, looks_like_url
    spec = spec or os.environ.get("QFGRAPH_STORE")
    if not spec:
        remote = RemoteConfig.from_env()
        return RemoteStore(remote) if remote else EmbeddedStore(DEFAULT_STORE_DIR, read_only=read_only)
    if looks_like_url(spec) or spec.lstrip().startswith("query="):
        return RemoteStore(RemoteConfig.parse(spec))
    if spec == ":memory:":
        return EmbeddedStore(None)
    return EmbeddedStore(spec, read_only=read_only)
