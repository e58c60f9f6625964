"""Values enter SPARQL only through graph.sparql: checked, escaped, never spliced."""
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from qfgraph.graph.sparql import UnsafeTermError, bind, check_iri, term

EX = "https://example.org/"


@pytest.mark.parametrize("iri", [
    EX + "a> } ; DROP ALL ; #",
    EX + "a b",
    EX + 'a"b',
    EX + "a{b}",
    EX + "a\nb",
    EX + "a\\u003E",
    "relative/iri",
    "",
])
def test_iris_that_could_break_out_are_refused(iri):
    with pytest.raises(UnsafeTermError):
        check_iri(iri)
    with pytest.raises(UnsafeTermError):
        term(URIRef(iri))


def test_literals_are_escaped_so_they_stay_one_literal(store):
    nasty = 'x" } ; DROP ALL ; INSERT DATA { <a> <b> "c'
    store.update(bind('INSERT DATA { GRAPH $g { $s $p $o } }',
                      {"g": EX + "g", "s": EX + "s", "p": EX + "p", "o": Literal(nasty + "\n\\ end")}))
    rows = store.select(bind("SELECT ?o WHERE { $s $p ?o }", {"s": EX + "s", "p": EX + "p"}))
    assert [r["o"] for r in rows] == [Literal(nasty + "\n\\ end")]
    assert store.graph_sizes()[EX + "g"] == 1


def test_typed_and_tagged_literals_round_trip():
    assert term(Literal("5", datatype=XSD.decimal)) == '"5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert term(Literal("Welder", lang="en")) == '"Welder"@en'
    assert term(3) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    with pytest.raises(ValueError):  # UnsafeTermError is a ValueError; rdflib refuses first
        term(Literal("x", lang="en } DROP ALL"))


def test_blank_nodes_and_unknown_placeholders_are_refused():
    with pytest.raises(UnsafeTermError):
        term(BNode())
    with pytest.raises(KeyError, match=r"\$missing"):
        bind("SELECT * WHERE { $missing ?p ?o }", {})


def test_lists_bind_as_values():
    text = bind("VALUES ?x { $xs }", {"xs": [EX + "a", URIRef(EX + "b")]}, prefixes=False)
    assert text == f"VALUES ?x {{ <{EX}a> <{EX}b> }}"
