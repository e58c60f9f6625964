"""The write gate, stacking paths and the HTTP service give the same answers on every store:
embedded, Oxigraph server and Virtuoso (their public APIs, on the demo graph)."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from qfgraph import graph
from qfgraph.graph import Changeset, EmbeddedStore, Learner, Rejected, closest, commit, find_paths, graph_version
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.ontology.namespaces import DCTERMS, ELM, GRAPH

HR = str(GRAPH["demo/hr"])
MC = URIRef("https://w3id.org/qfgraph/id/hr/mc/welding-coordination")


@pytest.fixture(scope="module")
def reference():
    """The embedded store's answers, which every other store must give too."""
    s = EmbeddedStore(None)
    graph.install_demo(s)
    yield s
    s.close()


def qualifications(store) -> list[str]:
    return [str(r["q"]) for r in store.select(graph.bind(
        "SELECT DISTINCT ?q WHERE { ?q a elm:Qualification } ORDER BY ?q"))]


def route_summary(answer) -> list:
    """Everything a learner sees of the routes: what to take in which stage, what to have
    validated, the cost and the hours."""
    return [(p.stages, sorted(p.validated), p.total_ects, p.hours, p.proven_optimal) for p in answer.paths]


def test_stacking_paths_are_the_same_on_every_store(any_demo_store, reference):
    from test_stacking_demo import CROATIAN, DANISH, DUTCH
    targets = qualifications(reference)
    assert targets and qualifications(any_demo_store) == targets
    cases = [(t, Learner()) for t in targets] + [CROATIAN, DUTCH, DANISH]
    for target, learner in cases:
        got, want = find_paths(any_demo_store, target, learner), find_paths(reference, target, learner)
        assert (route_summary(got), got.reasons) == (route_summary(want), want.reasons), target
    # the worked cases' answers, as the demo tests pin them on the embedded store
    costs = [find_paths(any_demo_store, *case).paths[0].total_ects for case in (CROATIAN, DUTCH, DANISH)]
    assert costs == [13, 10, 9.5]
    held = [str(MC)]
    mine = [(c.iri, c.ects_needed) for c in closest(any_demo_store, Learner(held=held))]
    theirs = [(c.iri, c.ects_needed) for c in closest(reference, Learner(held=held))]
    assert mine and mine == theirs


def test_a_lookup_reads_the_same_facts_on_every_store(any_demo_store, reference):
    """Row for row: an engine that evaluates a branch of a query without the VALUES ahead of
    it (Virtuoso, with a BIND of a constant first) reads facts about the whole store."""
    from qfgraph.graph.stacking.query import fetch
    from test_stacking_demo import CROATIAN, DANISH, DUTCH

    def facts(store, target, learner):
        f = fetch(store, [target], learner.held, learner.claims)
        return {(s, p, str(v)) for s, props in f._by.items() for p, values in props.items() for v in values}
    for target, learner in (CROATIAN, DUTCH, DANISH):
        assert facts(any_demo_store, target, learner) == facts(reference, target, learner), target


def test_the_gate_commits_and_refuses_the_same_way_on_every_store(any_demo_store):
    store = any_demo_store
    result = commit(store, Changeset(HR, [(MC, DCTERMS.alternative, Literal("Coordination", lang="en"))],
                                     [], "alice", "alternative name", expected_version=0))
    assert (result.version, result.added) == (1, 1) == (graph_version(store, HR), 1)
    before = sorted(store.export(RDF_FORMATS["nquads"]).splitlines())
    # a micro-credential without learning outcomes breaks the rules: nothing is written
    outcomes = [(MC, ELM.learningOutcome, r["o"]) for r in store.select(
        graph.bind("SELECT ?o WHERE { GRAPH $g { $mc elm:learningOutcome ?o } }", {"g": URIRef(HR), "mc": MC}))]
    assert outcomes
    with pytest.raises(Rejected):
        commit(store, Changeset(HR, [], outcomes, "alice", "drop outcomes", expected_version=1))
    assert sorted(store.export(RDF_FORMATS["nquads"]).splitlines()) == before
    assert graph_version(store, HR) == 1


def test_the_http_service_answers_the_same_on_every_store(any_demo_store, reference, tmp_path):
    from http_support import demo_app
    answers = []
    for store in (reference, any_demo_store):
        client = demo_app(tmp_path, store=store).test_client()
        listing = client.get("/api/v1/qualifications")
        assert listing.status_code == 200
        query = client.get("/sparql", query_string={
            "query": "PREFIX elm: <http://data.europa.eu/snb/model/elm/> "
                     "SELECT ?q WHERE { ?q a elm:Qualification } ORDER BY ?q"},
            headers={"Accept": "text/csv"})
        assert query.status_code == 200
        answers.append((listing.get_json(), query.data))
    assert answers[0] == answers[1]
