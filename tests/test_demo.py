"""The illustrative demo graph: it loads, is rich enough, and references only what exists.

Code-list, ESCO and framework IRIs are checked against the official lists kept in
the project's reference data (ontology/reference, tests/data), never against lists of our own.
"""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from qfgraph.graph.sparql import bind
from qfgraph.ontology import FRAMEWORKS_GRAPH, GRAPH, ONTOLOGY_FILE, QDR_LEVEL, QF, demo_graphs

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "ontology" / "reference"
CV = REFERENCE / "cv"
SAMPLE = ROOT / "tests" / "data" / "Sample-MC-Annex1-unsigned.jsonld"
ID = "https://w3id.org/qfgraph/id/"
COUNTRIES = {"hr": "HRV", "nl": "NLD", "dk": "DNK"}
FRAMEWORKS = {"hr": "c_59d0b819", "nl": "c_5c66dcbc", "dk": "c_61ba90ec"}   # their QDR IRIs
DEMO_GRAPH_PREFIX = str(GRAPH["demo/"])

# Minimum instances per class in each country's graph (issue: "Per country: ...").
MINIMUM = {
    "elm:Qualification": 1, "qf:Unit": 4, "qf:MicroCredential": 8, "elm:LearningOutcome": 10,
    "qf:AllOf": 1, "qf:ChoiceOf": 1, "qf:MinimumCredits": 1, "qf:RecognitionAgreement": 2,
    "qf:ValidationStandard": 1, "qf:SkillsNeed": 2, "elm:Accreditation": 1, "qf:Provider": 2,
    "qf:PublicEmploymentService": 1, "qf:QualityAssuranceAuthority": 1,
    "qf:ValidationAuthority": 1, "qf:FrameworkAuthority": 1,
}

# Which official list each property's values come from.
CODE_LISTS = {
    "http://data.europa.eu/snb/model/elm/mode": "europass-modes.xsd",
    "https://w3id.org/qfgraph#assessmentType": "europass-learning-assessment-types.xsd",
    "https://w3id.org/qfgraph#assessmentMethod": "europass-learning-assessment-types.xsd",
    "http://data.europa.eu/snb/model/elm/learningSetting": "europass-learning-setting-types.xsd",
    "http://data.europa.eu/snb/model/elm/ISCEDFCode": "isced-f.xsd",
    "https://w3id.org/qfgraph#country": "country.xsd",
    "https://w3id.org/qfgraph#region": "country.xsd",
    "http://purl.org/dc/terms/spatial": "country.xsd",
    "http://data.europa.eu/snb/model/elm/framework": "credit-points.xsd",
    "http://data.europa.eu/snb/model/elm/EQFLevel": "eqf.xsd",
    "http://data.europa.eu/snb/model/elm/NQFLevel": "nqf.xsd",
}


def code_list(name: str) -> set[str]:
    return set(re.findall(r'enumeration value="([^"]+)"', (CV / name).read_text()))


def esco_iris() -> set[str]:
    iris = set()
    for name in ("skill_groups.csv", "occupations.csv"):
        with open(REFERENCE / "esco" / name, newline="") as f:
            iris |= {row["uri"] for row in csv.DictReader(f)}
    sample = SAMPLE.read_text()
    return iris | set(re.findall(r'"(http://data\.europa\.eu/esco/[^"]+)"', sample))


def elm_sample_iris() -> set[str]:
    sample = json.loads(SAMPLE.read_text())
    return set(re.findall(r'"(http[^"]+)"', json.dumps(sample)))


def demo_triples(store, country: str | None = None) -> list[tuple]:
    """Every triple of the demo (or of one country's graph), as rdflib terms."""
    if country:
        query = bind("SELECT ?s ?p ?o WHERE { GRAPH $g { ?s ?p ?o } }", {"g": GRAPH["demo/" + country]})
    else:
        query = bind("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                     "FILTER(STRSTARTS(STR(?g), $prefix)) }", {"prefix": Literal(DEMO_GRAPH_PREFIX)})
    return [(r["s"], r["p"], r["o"]) for r in store.select(query)]


def demo_graph(store) -> Graph:
    g = Graph()
    for t in demo_triples(store):
        g.add(t)
    return g


def test_every_country_has_its_own_demo_graph():
    assert sorted(Path(path).stem for _, path in demo_graphs()) == sorted(COUNTRIES)


def test_demo_loads_into_one_named_graph_per_country(demo_store):
    sizes = demo_store.graph_sizes()
    for country in COUNTRIES:
        assert sizes.get(str(GRAPH["demo/" + country]), 0) > 300


@pytest.mark.parametrize("country", COUNTRIES)
def test_dataset_is_declared_illustrative(demo_store, country):
    assert demo_store.ask(bind(
        "ASK { GRAPH $g { ?d a <http://www.w3.org/ns/dcat#Dataset> ; qf:illustrative true ; "
        "dcterms:title ?t ; dcterms:description ?desc . FILTER(CONTAINS(LCASE(?desc), 'illustrative')) } }",
        {"g": GRAPH["demo/" + country]}))


@pytest.mark.parametrize("country", COUNTRIES)
def test_counts_per_class_meet_the_minimums(demo_store, country):
    rows = demo_store.select(bind(
        "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH $g { ?x a ?class } } GROUP BY ?class",
        {"g": GRAPH["demo/" + country]}))
    counts = {r["class"].n3(): int(r["n"]) for r in rows}
    prefixes = {"qf:": str(QF), "elm:": "http://data.europa.eu/snb/model/elm/"}
    for name, minimum in MINIMUM.items():
        prefix, local = name.split(":")
        assert counts.get(f"<{prefixes[prefix + ':']}{local}>", 0) >= minimum, (country, name)
    employers = counts.get(f"<{QF}Employer>", 0) + counts.get(f"<{QF}SectorBody>", 0)
    assert employers >= 2, country


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_micro_credential_has_the_annex_i_elements(demo_store, country):
    # Annex I mandatory elements of a register description, plus NQF level, language, hours.
    required = ["dcterms:title", "qf:country", "elm:awardingBody", "elm:learningOutcome",
                "elm:creditPoint/elm:point", "elm:EQFLevel", "elm:NQFLevel", "qf:assessmentType",
                "elm:mode", "qf:qualityAssurance", "dcterms:language", "elm:volumeOfLearning"]
    for path in required:
        missing = demo_store.select(bind(
            f"SELECT ?m WHERE {{ GRAPH $g {{ ?m a qf:MicroCredential . "
            f"FILTER NOT EXISTS {{ ?m {path} ?v }} }} }}", {"g": GRAPH["demo/" + country]}))
        assert missing == [], (path, missing)
    english = demo_store.select(bind(
        "SELECT ?m WHERE { GRAPH $g { ?m a qf:MicroCredential . "
        "FILTER NOT EXISTS { ?m dcterms:title ?t FILTER(LANG(?t) = 'en') } } }",
        {"g": GRAPH["demo/" + country]}))
    assert english == []


@pytest.mark.parametrize("country", COUNTRIES)
def test_external_quality_assurance_is_an_accreditation_by_a_qa_authority(demo_store, country):
    rows = demo_store.select(bind(
        "SELECT ?m ?agent ?expiry WHERE { GRAPH $g { ?m qf:qualityAssurance qf:ExternalQualityAssurance . "
        "OPTIONAL { ?m elm:accreditation ?a . ?a elm:accreditingAgent ?agent ; elm:expiryDate ?expiry . "
        "?agent a qf:QualityAssuranceAuthority } } }", {"g": GRAPH["demo/" + country]}))
    assert rows, "no micro-credential with external quality assurance"
    for r in rows:
        assert "agent" in r, r["m"]
        assert str(r["expiry"]) > "2026-12-31", r["m"]


@pytest.mark.parametrize("country", COUNTRIES)
def test_micro_credentials_come_from_the_countrys_own_framework(demo_store, country):
    rows = demo_store.select(bind(
        "SELECT ?x WHERE { GRAPH $g { ?x qf:country ?c . FILTER(?c != $c) } }",
        {"g": GRAPH["demo/" + country],
         "c": URIRef("http://publications.europa.eu/resource/authority/country/" + COUNTRIES[country])}))
    assert rows == []
    wrong = demo_store.select(bind(
        "SELECT ?x ?level WHERE { GRAPH $g { ?x elm:NQFLevel ?level } "
        "FILTER NOT EXISTS { ?level qf:levelFramework $fw } }",
        {"g": GRAPH["demo/" + country], "fw": QDR_LEVEL[FRAMEWORKS[country]]}))
    assert wrong == []


def test_every_referenced_demo_iri_is_defined(demo_store):
    triples = demo_triples(demo_store)
    typed = {s for s, p, o in triples if p == RDF.type}
    dangling = {o for s, p, o in triples
                if isinstance(o, URIRef) and str(o).startswith(ID) and o not in typed}
    assert dangling == set()


def test_every_level_iri_is_defined_in_the_frameworks_graph(demo_store):
    levels = {o for s, p, o in demo_triples(demo_store)
              if str(p) in ("http://data.europa.eu/snb/model/elm/EQFLevel",
                            "http://data.europa.eu/snb/model/elm/NQFLevel")}
    assert levels
    defined = {r["l"] for r in demo_store.select(bind(
        "SELECT ?l WHERE { GRAPH $g { ?l a skos:Concept } }", {"g": FRAMEWORKS_GRAPH}))}
    assert levels - defined == set()


def test_every_code_list_iri_is_in_the_official_list(demo_store):
    lists = {name: code_list(name) for name in set(CODE_LISTS.values())}
    used = 0
    for s, p, o in demo_triples(demo_store):
        name = CODE_LISTS.get(str(p))
        if name:
            used += 1
            assert str(o) in lists[name], (s, p, o)
    assert used > 100


def test_every_supervision_iri_is_an_official_concept(demo_store):
    sample = elm_sample_iris()
    values = {o for s, p, o in demo_triples(demo_store) if p == QF.supervisionVerification}
    assert values and all(str(v) in sample for v in values)


def test_every_esco_iri_is_a_real_esco_concept(demo_store):
    esco = esco_iris()
    used = {str(o) for s, p, o in demo_triples(demo_store)
            if isinstance(o, URIRef) and str(o).startswith("http://data.europa.eu/esco/")}
    assert len(used) >= 10
    assert used - esco == set()


def test_every_nqf_level_is_referenced_to_the_eqf_level_on_the_same_entity(demo_store):
    rows = demo_store.select(
        "PREFIX elm: <http://data.europa.eu/snb/model/elm/> PREFIX qf: <https://w3id.org/qfgraph#> "
        "SELECT ?x ?nqf ?eqf ?ref WHERE { ?x elm:NQFLevel ?nqf . "
        "OPTIONAL { ?x elm:EQFLevel ?eqf } OPTIONAL { ?nqf qf:referencedTo ?ref } }")
    assert len(rows) >= 24
    for r in rows:
        assert r.get("eqf") is not None and r.get("eqf") == r.get("ref"), r


def test_every_qf_term_used_is_defined_in_the_ontology(demo_store):
    ontology = Graph().parse(ONTOLOGY_FILE)
    defined = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(QF))}
    used = set()
    for s, p, o in demo_triples(demo_store):
        used |= {t for t in (s, p, o) if isinstance(t, URIRef) and str(t).startswith(str(QF))}
    assert used and used - defined == set()


def test_requirement_structures_are_well_formed(demo_store):
    rows = demo_store.select(
        "PREFIX qf: <https://w3id.org/qfgraph#> "
        "SELECT ?q ?choice ?k (COUNT(DISTINCT ?c) AS ?n) WHERE { ?q qf:requirement ?req . "
        "?req qf:component ?choice . ?choice a qf:ChoiceOf ; qf:requiredCount ?k ; qf:component ?c } "
        "GROUP BY ?q ?choice ?k")
    assert len(rows) >= 3
    for r in rows:
        assert 1 <= int(r["k"]) <= int(r["n"]), r
    # Every unit in a requirement belongs to the qualification whose requirement it is.
    foreign = demo_store.select(
        "PREFIX qf: <https://w3id.org/qfgraph#> PREFIX elm: <http://data.europa.eu/snb/model/elm/> "
        "SELECT ?q ?u WHERE { ?q qf:requirement ?req . ?req qf:component* ?part . ?part qf:component ?u . "
        "?u a qf:Unit . FILTER NOT EXISTS { ?q elm:hasPart ?u . ?u elm:isPartOf ?q } }")
    assert foreign == []


def test_minimum_credits_need_more_than_the_cheapest_choice_somewhere(demo_store):
    # At least one qualification where the minimum-credits rule constrains the electives.
    rows = demo_store.select(
        "PREFIX qf: <https://w3id.org/qfgraph#> PREFIX elm: <http://data.europa.eu/snb/model/elm/> "
        "SELECT ?choice (GROUP_CONCAT(?p; separator=' ') AS ?points) WHERE { "
        "?choice a qf:ChoiceOf ; qf:component ?u . ?u elm:creditPoint/elm:point ?p } GROUP BY ?choice")
    assert any(len(set(str(r["points"]).split())) > 1 for r in rows), "no elective group with different ECTS"


def test_prerequisites_have_no_cycles(demo_store):
    g = nx.DiGraph((str(s), str(o)) for s, p, o in demo_triples(demo_store) if p == QF.prerequisite)
    assert g.number_of_edges() >= 6
    assert nx.is_directed_acyclic_graph(g), nx.find_cycle(g)


def test_micro_credentials_are_not_above_the_level_of_their_qualification(demo_store):
    rows = demo_store.select(
        "PREFIX qf: <https://w3id.org/qfgraph#> PREFIX elm: <http://data.europa.eu/snb/model/elm/> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?m ?q ?ml ?ql WHERE { "
        "{ ?m qf:stackableToward ?q } UNION "
        "{ ?a qf:recognisedCredential ?m ; qf:recognisedAs/elm:isPartOf ?q } "
        "?m elm:EQFLevel/skos:notation ?ml . ?q elm:EQFLevel/skos:notation ?ql }")
    assert len(rows) >= 15
    for r in rows:
        assert int(r["ml"]) <= int(r["ql"]), r


def test_competing_providers_offer_near_duplicates_with_different_ects(demo_store):
    rows = demo_store.select(
        "PREFIX qf: <https://w3id.org/qfgraph#> PREFIX elm: <http://data.europa.eu/snb/model/elm/> "
        "SELECT DISTINCT ?country WHERE { ?a a qf:MicroCredential ; elm:awardingBody ?pa ; "
        "elm:creditPoint/elm:point ?ea ; qf:country ?country . ?b a qf:MicroCredential ; "
        "elm:awardingBody ?pb ; elm:creditPoint/elm:point ?eb . FILTER(?pa != ?pb && ?ea != ?eb) "
        "FILTER NOT EXISTS { ?a elm:learningOutcome ?o FILTER NOT EXISTS { ?b elm:learningOutcome ?o } } "
        "FILTER NOT EXISTS { ?b elm:learningOutcome ?o FILTER NOT EXISTS { ?a elm:learningOutcome ?o } } }")
    assert len(rows) == len(COUNTRIES)


def test_outcomes_are_shared_and_linked_across_frameworks(demo_store):
    g = demo_graph(demo_store)
    elm = "http://data.europa.eu/snb/model/elm/"
    holders = Counter(o for s, p, o in g.triples((None, URIRef(elm + "learningOutcome"), None)))
    assert sum(1 for n in holders.values() if n >= 3) >= 10
    pairs = [(s, o) for s, p, o in g.triples((None, QF.equivalentOutcome, None))]
    countries = {(str(s)[len(ID):].split("/")[0], str(o)[len(ID):].split("/")[0]) for s, o in pairs}
    assert any(a != b for a, b in countries) and len(pairs) >= 4


@pytest.mark.parametrize("country", COUNTRIES)
def test_each_qualification_is_reachable_from_micro_credentials_and_validation(demo_store, country):
    # Every unit of every qualification can be obtained somehow: a recognition agreement, a
    # validation standard, or each of its outcomes from a micro-credential or validation.
    rows = demo_store.select(bind(
        "SELECT ?u ?o WHERE { GRAPH $g { ?q a elm:Qualification ; elm:hasPart ?u } "
        "?u elm:learningOutcome ?o . "
        "FILTER NOT EXISTS { ?a qf:recognisedAs ?u } "
        "FILTER NOT EXISTS { ?v qf:validatesUnit ?u } "
        "FILTER NOT EXISTS { ?v qf:validatesOutcome ?o } "
        "FILTER NOT EXISTS { ?m a qf:MicroCredential ; elm:learningOutcome ?o } }",
        {"g": GRAPH["demo/" + country]}))
    assert rows == []
    for kind in ("qf:RecognitionAgreement", "qf:ValidationStandard"):
        assert demo_store.ask(bind(f"ASK {{ GRAPH $g {{ ?x a {kind} }} }}", {"g": GRAPH["demo/" + country]}))


def test_skills_needs_are_linked_from_micro_credentials(demo_store):
    rows = demo_store.select(
        "PREFIX qf: <https://w3id.org/qfgraph#> SELECT DISTINCT ?country WHERE { "
        "?m a qf:MicroCredential ; qf:addressesNeed ?n ; qf:country ?country . ?n a qf:SkillsNeed ; qf:demand ?d }")
    assert len(rows) == len(COUNTRIES)


def test_literals_are_well_typed_and_titles_tagged(demo_store):
    for s, p, o in demo_triples(demo_store):
        if str(p) == "http://purl.org/dc/terms/title":
            assert isinstance(o, Literal) and o.language, s
        if isinstance(o, Literal):
            assert not o.ill_typed, (s, p, o)
