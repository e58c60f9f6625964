"""The knowledge graph: stores, changesets, import and export, the catalogue, query running,
stacking paths. Never imports Flask.

Sub-packages by idea: `stores` (the store interface, embedded and remote), `changes` (the
write road: changesets, gate, commit, history, loading), `catalogue` (listings and entity
reads), `querying` (running /sparql queries with a real timeout), `stacking`, `imports`,
`exports`. The names callers need most are here, each imported on first use: a query worker
or a command that never writes does not load the rules (pySHACL), nor SciPy for stacking.
"""
from __future__ import annotations

import importlib

from qfgraph.graph.errors import (  # noqa: F401
    Conflict, GraphError, InvalidInput, LoadError, NotFound, QuerySyntaxError, Refused, StoreError, Unavailable,
)
from qfgraph.graph.sparql import UnsafeTermError, bind, check_iri, term  # noqa: F401

_FACE = {
    "qfgraph.graph.changes": ("Changeset", "CommitResult", "Rejected", "RevertError", "commit", "history", "revert"),
    "qfgraph.graph.formats": ("RDF_FORMATS", "rdf_format"),
    "qfgraph.graph.reference": ("install_demo", "install_reference"),
    "qfgraph.graph.stores": ("DEFAULT_STORE_DIR", "EmbeddedStore", "Store", "VersionConflict", "graph_version",
                             "open_store"),
    "qfgraph.graph.stores.claims": ("GraphBusy",),
    "qfgraph.graph.stacking": ("Closest", "Constraints", "Learner", "PathsAnswer", "PrerequisiteCycle",
                               "UnknownEntity", "closest", "find_paths"),
}
_HOME = {name: module for module, names in _FACE.items() for name in names}


def finish_interrupted_loads(store) -> list[str]:
    """Settle the bulk loads a killed process or a full disk left half way (whole, or
    undone): run whenever a command or the service opens a store; what was done, one line
    each. Only a store holding such a load pays for importing the write road."""
    if not store.has_interrupted_loads():
        return []
    return importlib.import_module("qfgraph.graph.changes.loading").finish_interrupted_loads(store)


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(_HOME[name]), name)
    raise AttributeError(f"module 'qfgraph.graph' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_HOME))
