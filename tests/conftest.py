"""Shared fixtures: real stores with the reference data, and with the demo graph."""
from __future__ import annotations

import pytest

from qfgraph import graph
from qfgraph.graph import EmbeddedStore


@pytest.fixture
def store():
    """An in-memory embedded store with the ontology and reference frameworks."""
    s = EmbeddedStore(None)
    graph.install_reference(s)
    yield s
    s.close()


@pytest.fixture
def demo_store():
    """An in-memory embedded store with the reference data and the demo graph."""
    s = EmbeddedStore(None)
    graph.install_demo(s)
    yield s
    s.close()


# ---------------------------------------------------------------------------------------
# The same tests on every kind of store: embedded, an Oxigraph server, Virtuoso.
# Servers start once per session on free loopback ports; each test gets them emptied.

STORE_KINDS = ["embedded", "oxigraph", "virtuoso"]


def _server(kind, tmp_path_factory):
    import os

    from servers import SERVERS
    cls = SERVERS[kind]
    if not cls.available():
        missing = f"{kind} is not installed here: for the full run, {cls.install}"
        if os.environ.get("CI"):   # CI runs everything: a missing server fails, never skips
            pytest.fail(f"{missing} (.ci/run does)")
        pytest.skip(missing)
    server = cls(tmp_path_factory.mktemp(kind)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    yield from _server("oxigraph", tmp_path_factory)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    yield from _server("virtuoso", tmp_path_factory)


@pytest.fixture(params=STORE_KINDS)
def any_empty_store(request):
    """An empty store of each kind: in-memory embedded, Oxigraph server, Virtuoso."""
    from servers import wipe
    if request.param == "embedded":
        s = EmbeddedStore(None)
        yield s
        s.close()
        return
    server = request.getfixturevalue(f"{request.param}_server")
    s = server.store()
    wipe(s)
    yield s
    wipe(s)
    s.close()


@pytest.fixture
def any_store(any_empty_store):
    """Like `store` (ontology and reference frameworks), on each kind of store."""
    graph.install_reference(any_empty_store)
    return any_empty_store


@pytest.fixture
def any_demo_store(any_empty_store):
    """Like `demo_store` (reference data and demo graph), on each kind of store."""
    graph.install_demo(any_empty_store)
    return any_empty_store
