"""Values reach SPARQL only through graph.sparql, and the escaping holds on every engine:
hostile text is stored and found again exactly, never read as SPARQL."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from qfgraph import graph
from qfgraph.graph import UnsafeTermError

G = "http://example.org/injection"
S = URIRef("http://example.org/s")
P = URIRef("http://example.org/label")

HOSTILE = [
    'plain "double" quotes',
    "single 'quotes'",
    'a """triple""" quote',
    "braces } } and { {",
    "angle > brackets <",
    "new\nline\r\nand\ttab",
    "back\\slash \\\" escaped quote",
    '" } } ; DROP ALL ; INSERT DATA { GRAPH <http://evil/> { <http://evil/a> <http://evil/b> "x" } } #',
    "> } ; CLEAR ALL #",
    "# not a comment",
    "$name placeholder",
    "ünïcödé ćčž Ελληνικά 中文",
]


def test_hostile_literals_are_stored_and_found_exactly(any_empty_store):
    store = any_empty_store
    for i, text in enumerate(HOSTILE):
        store.update(graph.bind("INSERT DATA { GRAPH $g { $s $p $o } }",
                                {"g": URIRef(G), "s": URIRef(f"{S}{i}"), "p": P, "o": Literal(text)}))
    assert store.graph_sizes() == {G: len(HOSTILE)}  # nothing else written, nothing dropped
    for i, text in enumerate(HOSTILE):
        rows = store.select(graph.bind("SELECT ?s WHERE { ?s $p $o }", {"p": P, "o": Literal(text)}))
        assert rows == [{"s": URIRef(f"{S}{i}")}], text
        found = store.select(graph.bind("SELECT ?o WHERE { $s $p ?o }", {"s": URIRef(f"{S}{i}"), "p": P}))
        assert found == [{"o": Literal(text)}], text


@pytest.mark.parametrize("iri", [
    "http://example.org/a> <http://example.org/b",
    "http://example.org/a}",
    'http://example.org/"quoted"',
    "http://example.org/new\nline",
    "not-an-iri",
])
def test_hostile_iris_are_refused_before_anything_is_sent(any_empty_store, iri):
    with pytest.raises(UnsafeTermError):
        graph.bind("INSERT DATA { GRAPH <http://example.org/g> { $s $p 1 } }", {"s": iri, "p": P})
    with pytest.raises(UnsafeTermError):
        any_empty_store.query_serialized("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json",
                                         default_graphs=[iri])
    assert any_empty_store.graph_sizes() == {}

