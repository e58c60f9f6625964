"""The knowledge graph: stores, loading and export, reference data, (later) changesets and
stacking paths. Never imports Flask."""
from __future__ import annotations

import os

from graph.reference import install_demo, install_reference  # noqa: F401
from graph.sparql import UnsafeTermError, bind, check_iri, term  # noqa: F401
from graph.store import (  # noqa: F401
    RDF_FORMATS, EmbeddedStore, LoadError, QuerySyntaxError, Store, StoreError, rdf_format,
)
from graph.stacking import (  # noqa: F401  (stacking paths)
    Closest, Constraints, Learner, PathsAnswer, PrerequisiteCycle, UnknownEntity, closest, find_paths,
)

DEFAULT_STORE_DIR = "./qfgraph-data"


def open_store(spec: str | None = None, read_only: bool = False) -> Store:
    """Open the store named by `spec`: a directory, or ":memory:".

    Without `spec`: $QFGRAPH_STORE, else ./qfgraph-data.
    """
    spec = spec or os.environ.get("QFGRAPH_STORE") or DEFAULT_STORE_DIR
    if spec == ":memory:":
        return EmbeddedStore(None)
    return EmbeddedStore(spec, read_only=read_only)
