"""Shared fixtures: real stores with the reference data, and with the demo graph."""
from __future__ import annotations

import pytest

import graph
from graph import EmbeddedStore


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
