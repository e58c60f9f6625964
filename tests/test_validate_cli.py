"""`qfgraph validate`: files or the store, three formats, exit 0 without a Violation and 1
with one, a one-line summary on stderr, clear errors for bad input."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal

from qfgraph import graph
from qfgraph.api.cli import main
from qfgraph.graph import EmbeddedStore
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.ontology import DEMO_DIR, demo_graphs
from qfgraph.ontology.namespaces import SH

INVALID = str(DEMO_DIR / "invalid.ttl")
DEMO_FILES = [str(path) for _, path in demo_graphs()]
INVALID_GRAPH = "https://w3id.org/qfgraph/graph/demo/invalid"

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")


def run(capsys, *args):
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_demo_files_conform(capsys):
    code, out, err = run(capsys, *DEMO_FILES)
    assert code == 0
    assert out.startswith("Validation conforms: 0 violations")
    assert err.strip().endswith("conforms: 0 violations, 0 warnings")


def test_the_invalid_demo_file_fails_with_one_result_per_rule(capsys):
    code, out, err = run(capsys, INVALID)
    assert code == 1
    assert err.strip() == f"qfgraph: validate {INVALID}: does not conform: 36 violations, 3 warnings"
    assert ("Violation: Micro-credential “Wrong: micro-credential without learning outcome” has no "
            "learning outcome: list at least one learning outcome it certifies.") in out
    assert "Warning: Micro-credential “Wrong: micro-credential relying on an expired accreditation”" in out


def test_every_rule_is_shown_by_the_invalid_demo_file(capsys):
    code, out, _ = run(capsys, INVALID, "--format", "json")
    shown = {r["rule"] for r in json.loads(out)["results"]}
    # the file has one wrong entry per rule of the README list; rules about the form of
    # values that need another wrong value each are covered by tests/test_shapes.py
    assert len(shown) >= 35


def test_json_format(capsys):
    code, out, _ = run(capsys, INVALID, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["conforms"] is False
    assert data["violations"] == 36 and data["warnings"] == 3
    first = data["results"][0]
    assert set(first) >= {"focus", "title", "path", "value", "message", "severity", "shape"}


def test_turtle_format_is_a_shacl_validation_report(capsys):
    code, out, _ = run(capsys, INVALID, "--format", "turtle")
    g = Graph().parse(data=out, format="turtle")
    (report,) = g.subjects(None, SH.ValidationReport)
    assert g.value(report, SH.conforms) == Literal(False)
    assert len(list(g.objects(report, SH.result))) == 39
    assert code == 1


def test_a_file_that_does_not_parse_is_an_error(capsys, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    code, out, err = run(capsys, str(bad))
    assert code == 1 and out == ""
    assert err.startswith(f"qfgraph: error: {bad}:1: Parser error")


def test_a_missing_file_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "nope.ttl"))
    assert code == 1 and "nope.ttl: no such file" in err


def test_graph_option_with_files_is_refused(capsys):
    code, _, err = run(capsys, INVALID, "--graph", INVALID_GRAPH)
    assert code == 1 and "--graph selects a graph of the store" in err


@pytest.fixture
def store_dir(tmp_path):
    path = tmp_path / "store"
    with EmbeddedStore(path) as s:
        graph.install_demo(s)
    return str(path)


def test_the_demo_store_conforms(capsys, store_dir):
    code, out, err = run(capsys, "--store", store_dir)
    assert code == 0, out
    assert "validate the store: conforms" in err


def test_the_store_with_invalid_entries_fails_and_one_graph_can_be_chosen(capsys, store_dir):
    with EmbeddedStore(store_dir) as s:   # written past the gate, as an old store might hold it
        s.load(INVALID, RDF_FORMATS["turtle"], INVALID_GRAPH)
    code, _, err = run(capsys, "--store", store_dir)
    assert code == 1 and "36 violations, 3 warnings" in err
    code, out, err = run(capsys, "--store", store_dir, "--graph", INVALID_GRAPH, "--format", "json")
    assert code == 1 and json.loads(out)["violations"] == 36
    for demo_graph, _ in demo_graphs():   # their references to other graphs resolve
        code, out, _ = run(capsys, "--store", store_dir, "--graph", demo_graph)
        assert code == 0, out


def test_an_unknown_graph_is_an_error(capsys, store_dir):
    code, _, err = run(capsys, "--store", store_dir, "--graph", "https://example.org/no-such-graph")
    assert code == 1 and "no named graph https://example.org/no-such-graph" in err


def test_the_store_is_validated_in_batches_with_the_report_of_the_whole_union(capsys, store_dir, monkeypatch):
    """Batches of the gate, in worker processes: the same results as the union validated at
    once, for the store and for one graph."""
    from qfgraph.api.cli.rules import read_store
    from qfgraph.graph.changes import gate, workers
    from qfgraph import shapes
    with EmbeddedStore(store_dir) as s:
        s.load(INVALID, RDF_FORMATS["turtle"], INVALID_GRAPH)
    monkeypatch.setattr(gate, "FOCUS_BATCH", 20)            # many batches: through the worker pool
    monkeypatch.setattr(workers, "WORTH_A_POOL", 2)
    for graph_iri in (None, INVALID_GRAPH):
        code, out, _ = run(capsys, "--store", store_dir, "--format", "json",
                           *(["--graph", graph_iri] if graph_iri else []))
        with EmbeddedStore(store_dir) as s:
            data, focus = read_store(s, graph_iri)
        whole = shapes.validate(data, focus)
        assert code == 1 and json.loads(out)["results"] == whole.to_json()["results"]


def test_a_store_with_blank_node_entries_is_still_validated(capsys, store_dir):
    with EmbeddedStore(store_dir) as s:   # past the gate, which gives every node an IRI
        s.load(b"_:m <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/qfgraph#MicroCredential> .",
               RDF_FORMATS["ntriples"], INVALID_GRAPH)
    code, out, _ = run(capsys, "--store", store_dir, "--format", "json")
    results = json.loads(out)["results"]
    assert code == 1 and any(not r["focus"].startswith("http") for r in results)
