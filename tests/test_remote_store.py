"""The store interface behaves the same on the embedded store, an Oxigraph server and Virtuoso."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from qfgraph import graph
from qfgraph.graph import RDF_FORMATS, LoadError, QuerySyntaxError
from qfgraph.graph.formats import RESULT_MEDIA_TYPES
from qfgraph.ontology import FRAMEWORKS_GRAPH, REFERENCE_GRAPHS

EX = "http://example.org/"
G1, G2 = EX + "g1", EX + "g2"


def file_triples(path) -> int:
    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def put(store, graph_iri: str, turtle: str) -> None:
    store.load(turtle.encode(), RDF_FORMATS["turtle"], graph_iri)


def test_reference_data_arrives_whole_in_its_named_graphs(any_store):
    expected = {}
    for g, path in REFERENCE_GRAPHS:  # the frameworks graph is made of two files
        expected[g] = expected.get(g, 0) + file_triples(path)
    assert any_store.graph_sizes() == expected


def test_queries_see_the_union_of_the_named_graphs(any_empty_store):
    put(any_empty_store, G1, f"<{EX}a> <{EX}p> <{EX}b> .")
    put(any_empty_store, G2, f"<{EX}b> <{EX}p> <{EX}c> .")
    rows = any_empty_store.select(f"SELECT ?x ?z WHERE {{ ?x <{EX}p> ?y . ?y <{EX}p> ?z }}")
    assert rows == [{"x": URIRef(EX + "a"), "z": URIRef(EX + "c")}]
    assert any_empty_store.ask(f"ASK {{ <{EX}a> <{EX}p> <{EX}b> . <{EX}b> <{EX}p> <{EX}c> }}")
    assert not any_empty_store.ask(f"ASK {{ <{EX}a> <{EX}p> <{EX}c> }}")
    g = any_empty_store.construct(f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}p> ?o }}")
    assert set(g) == {(URIRef(EX + "a"), URIRef(EX + "q"), URIRef(EX + "b")),
                      (URIRef(EX + "b"), URIRef(EX + "q"), URIRef(EX + "c"))}


TERMS = [
    Literal("plain"),
    Literal("Kvalifikacija ćčž øæå Ελληνικά"),
    Literal("Niveau 5", lang="nl"),
    Literal("Stufe", lang="de-AT"),
    Literal("42", datatype=XSD.integer),
    Literal("7.5", datatype=XSD.decimal),
    Literal("2026-01-31", datatype=XSD.date),
    Literal("true", datatype=XSD.boolean),
    URIRef("https://w3id.org/qfgraph/id/x-1"),
]


def test_terms_come_back_as_they_went_in(any_empty_store):
    items = graph.bind(f"INSERT DATA {{ GRAPH <{G1}> {{ $items }} }}",
                       {"items": []}, prefixes=False)  # checks an empty list binds to nothing
    assert "INSERT DATA" in items
    values = " ".join(f"<{EX}s> <{EX}v{i}> {graph.term(t)} ." for i, t in enumerate(TERMS))
    any_empty_store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ {values} }} }}")
    rows = any_empty_store.select(f"SELECT ?p ?o WHERE {{ <{EX}s> ?p ?o }}")
    got = {str(r["p"]): r["o"] for r in rows}
    assert got == {f"{EX}v{i}": t for i, t in enumerate(TERMS)}


def test_select_leaves_unbound_variables_out(any_empty_store):
    put(any_empty_store, G1, f"<{EX}a> <{EX}p> 1 .")
    rows = any_empty_store.select(f"SELECT ?s ?missing WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}none> ?missing }} }}")
    assert rows == [{"s": URIRef(EX + "a")}]


# (only our graphs: Virtuoso lists its own system graphs too)
GROUPS = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
            FILTER(STRSTARTS(STR(?g), "https://w3id.org/qfgraph/graph/")) } GROUP BY ?g ORDER BY ?g"""


@pytest.mark.parametrize("media_type", list(RESULT_MEDIA_TYPES))
def test_results_in_every_sparql_results_format(any_store, media_type):
    body, used, form = any_store.query_serialized(GROUPS, media_type)
    assert form == "bindings"
    assert used.split(";")[0] == media_type
    expected = {g: str(n) for g, n in any_store.graph_sizes().items()}
    if media_type == "text/csv":
        lines = body.decode().splitlines()
        assert lines[0] == "g,n"
        assert dict(line.split(",") for line in lines[1:]) == expected
        return
    results = ox.parse_query_results(body, format=RESULT_MEDIA_TYPES[media_type])
    assert [v.value for v in results.variables] == ["g", "n"]
    assert {row["g"].value: row["n"].value for row in results} == expected


@pytest.mark.parametrize("media_type", [f.media_type for f in RDF_FORMATS.values() if not f.has_graphs])
def test_graph_results_in_every_rdf_format(any_store, media_type):
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{FRAMEWORKS_GRAPH}> {{ ?s ?p ?o }} }}"
    body, used, form = any_store.query_serialized(query, media_type)
    assert (used, form) == (media_type, "graph")
    info = next(f for f in RDF_FORMATS.values() if f.media_type == media_type)
    assert len(set(ox.parse(body, format=info.ox_format))) == any_store.graph_sizes()[str(FRAMEWORKS_GRAPH)]


def test_a_graph_query_asked_for_a_results_format_gets_turtle(any_store):
    body, used, form = any_store.query_serialized(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3", "application/sparql-results+json")
    assert (used, form) == ("text/turtle", "graph")
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == 3


def test_ask_serialized(any_store):
    body, used, form = any_store.query_serialized("ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert form == "boolean" and json.loads(body)["boolean"] is True


def test_default_graph_parameter_narrows_the_query(any_store):
    body, _, _ = any_store.query_serialized("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                            "application/sparql-results+json",
                                            default_graphs=[str(FRAMEWORKS_GRAPH)])
    n = json.loads(body)["results"]["bindings"][0]["n"]["value"]
    assert int(n) == any_store.graph_sizes()[str(FRAMEWORKS_GRAPH)]


@pytest.mark.parametrize("bad", ["SELECT ?s WHERE { ?s ?p }", "SELEKT * WHERE { ?s ?p ?o }"])
def test_a_query_that_does_not_parse_is_a_syntax_error(any_empty_store, bad):
    with pytest.raises(QuerySyntaxError):
        any_empty_store.select(bad)
    with pytest.raises(QuerySyntaxError):
        any_empty_store.query_serialized(bad, "application/sparql-results+json")


def test_an_update_that_does_not_parse_is_a_syntax_error_and_writes_nothing(any_empty_store):
    with pytest.raises(QuerySyntaxError):
        any_empty_store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{EX}p> }} }}")
    assert any_empty_store.graph_sizes() == {}


def test_update_inserts_and_deletes(any_empty_store):
    any_empty_store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{EX}p> 1, 2, 3 }} }}")
    any_empty_store.update(f"DELETE {{ GRAPH <{G1}> {{ ?s ?p 2 }} }} WHERE {{ GRAPH <{G1}> {{ ?s ?p 2 }} }}")
    assert any_empty_store.graph_sizes() == {G1: 2}
    any_empty_store.update(f"DROP SILENT GRAPH <{G1}>")  # Virtuoso: no DROP of graphs never CREATEd
    assert any_empty_store.graph_sizes() == {}


# -- loading --------------------------------------------------------------------------------

def test_load_every_triple_format_counts_what_it_wrote(any_empty_store, tmp_path):
    source = ox.Store()
    source.load(path=str(REFERENCE_GRAPHS[1][1]), format=ox.RdfFormat.TURTLE)
    expected = len(source)
    for info in (f for f in RDF_FORMATS.values() if not f.has_graphs):
        path = tmp_path / f"frameworks.{info.extensions[0]}"
        source.dump(str(path), format=info.ox_format, from_graph=ox.DefaultGraph())
        target = f"{EX}{info.name}"
        assert any_empty_store.load(path, info, target) == expected
        assert any_empty_store.graph_sizes()[target] == expected


def test_load_a_dataset_keeps_its_graphs(any_empty_store, tmp_path):
    path = tmp_path / "two.nq"
    path.write_text(f"<{EX}a> <{EX}p> \"x\" <{G1}> .\n<{EX}b> <{EX}p> \"y\" <{G2}> .\n<{EX}c> <{EX}p> \"z\" <{G2}> .\n")
    assert any_empty_store.load(path, RDF_FORMATS["nquads"], None) == 3
    assert any_empty_store.graph_sizes() == {G1: 1, G2: 2}


def test_a_malformed_file_names_its_line_and_loads_nothing(any_empty_store, tmp_path):
    good = "".join(f"<{EX}s{i}> <{EX}p> \"{i}\" .\n" for i in range(50))
    path = tmp_path / "broken.ttl"
    path.write_text(good + f"<{EX}s50> <{EX}p> \"unterminated .\n" + good)
    with pytest.raises(LoadError) as e:
        any_empty_store.load(path, RDF_FORMATS["turtle"], G1)
    assert e.value.line == 51 and str(path) in str(e.value)
    assert any_empty_store.graph_sizes() == {}


def test_a_triple_file_needs_a_graph_and_nothing_is_written_without(any_empty_store, tmp_path):
    path = tmp_path / "t.ttl"
    path.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n")
    with pytest.raises(LoadError):
        any_empty_store.load(path, RDF_FORMATS["turtle"], None)
    assert any_empty_store.graph_sizes() == {}


# -- export -----------------------------------------------------------------------------------

def test_export_all_graphs_round_trips(any_store):
    body = any_store.export(RDF_FORMATS["nquads"])
    reloaded = ox.Store()
    reloaded.load(body, format=ox.RdfFormat.N_QUADS)
    expected = ox.Store()
    for g, path in REFERENCE_GRAPHS:
        expected.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(g))
    assert set(reloaded) == set(expected)


def test_export_one_graph_to_a_file(any_store, tmp_path):
    out = tmp_path / "frameworks.ttl"
    any_store.export(RDF_FORMATS["turtle"], str(FRAMEWORKS_GRAPH), output=str(out))
    assert file_triples(out) == sum(file_triples(path) for g, path in REFERENCE_GRAPHS
                                    if g == str(FRAMEWORKS_GRAPH))
