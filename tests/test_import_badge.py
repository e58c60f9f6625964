"""Open Badges 3.0: an OpenBadgeCredential (or a bare Achievement) of type MicroCredential
imports as a micro-credential; alignments to EQF / national levels, ESCO skills and register
outcomes become those links; the held badge feeds a stacking lookup."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from qfgraph.api.cli import main
from qfgraph.graph.imports import ImportFailed, achievement_iri, import_badges
from qfgraph.graph.stacking import Learner, find_paths
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.ontology.namespaces import DEFAULT_BASE, ECTS, ELM, QF

BADGE = Path(__file__).parent / "data" / "ob3-safety-badge.json"
G = "https://w3id.org/qfgraph/graph/badges"
HR = "https://w3id.org/qfgraph/id/hr/"
DEFAULTS = {"assessment_type": "practical assessment", "quality_assurance": "internal", "mode": "presential"}


def badge() -> dict:
    return json.loads(BADGE.read_text())


def encoded(doc) -> bytes:
    return json.dumps(doc).encode()


def dump(store) -> bytes:
    return store.export(RDF_FORMATS["nquads"])


def graph_of(store) -> Graph:
    return store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")


def test_an_open_badge_imports_as_a_micro_credential_with_its_alignments(demo_store):
    report = import_badges(demo_store, [(BADGE.name, BADGE.read_bytes())], G, defaults=DEFAULTS)
    assert report.written
    g = graph_of(demo_store)
    mc = URIRef("https://badges.example.org/achievements/safety-metalwork")
    assert (mc, RDF.type, QF.MicroCredential) in g
    assert g.value(mc, DCTERMS.title) == Literal("Safety at work in metalworking", lang="en")
    assert g.value(mc, DCTERMS.language) == Literal("en", datatype=XSD.language)
    ects = g.value(mc, ELM.creditPoint)
    assert (g.value(ects, ELM.framework), g.value(ects, ELM.point)) == (URIRef(ECTS), Literal("2"))
    assert g.value(mc, ELM.EQFLevel) == URIRef("http://data.europa.eu/snb/eqf/3")
    assert g.value(mc, ELM.NQFLevel) == URIRef("http://data.europa.eu/snb/qdr/c_3a9600c8")   # CROQF 3
    outcomes = set(g.objects(mc, ELM.learningOutcome))
    assert {URIRef(HR + "outcome/ohs-hazards"), URIRef(HR + "outcome/ohs-ppe")} <= outcomes
    skills = {s for lo in outcomes for s in g.objects(lo, ELM.relatedESCOSkill)}
    assert skills == {URIRef("http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a")}
    body = g.value(mc, ELM.awardingBody)
    assert g.value(body, ELM.legalName) == Literal("Adriatic Training Cooperative", lang="en")
    assert g.value(mc, QF.country) == URIRef("http://publications.europa.eu/resource/authority/country/HRV")
    assert g.value(mc, QF.assessmentType) == URIRef("http://data.europa.eu/snb/assessment/6a4db9f11d")


def test_a_held_badge_feeds_a_stacking_lookup(demo_store):
    import_badges(demo_store, [(BADGE.name, BADGE.read_bytes())], G, defaults=DEFAULTS)
    held = str(achievement_iri(badge(), DEFAULT_BASE))
    target = HR + "qualification/welder"
    without = find_paths(demo_store, target, Learner()).paths[0].routes()
    with_badge = find_paths(demo_store, target, Learner(held=[held])).paths[0].routes()
    for outcome in (HR + "outcome/ohs-hazards", HR + "outcome/ohs-ppe"):
        assert without[outcome].route == "chosen"
        assert (with_badge[outcome].route, with_badge[outcome].by) == ("held", (held,))


def test_a_bare_achievement_imports_too(store):
    achievement = badge()["credentialSubject"]["achievement"]
    achievement["alignment"] = achievement["alignment"][:2] + achievement["alignment"][4:]
    achievement["creator"] = badge()["issuer"]
    import_badges(store, [("achievement.json", encoded(achievement))], G, defaults=DEFAULTS)
    mc = URIRef(achievement["id"])
    assert (mc, RDF.type, QF.MicroCredential) in graph_of(store)


@pytest.mark.parametrize("spoil, words", [
    (lambda a: a.update(achievementType="Badge"), "achievementType is 'Badge'"),
    (lambda a: a.update(creditsAvailable="two"), "bad number 'two'"),
    (lambda a: a["alignment"].append({"targetFramework": "CROQF", "targetCode": "9"}), "unknown level code '9' in CROQF"),
])
def test_a_bad_badge_is_refused_and_nothing_written(demo_store, spoil, words):
    doc = badge()
    spoil(doc["credentialSubject"]["achievement"])
    before = dump(demo_store)
    with pytest.raises(ImportFailed) as failed:
        import_badges(demo_store, [("bad.json", encoded(doc))], G, defaults=DEFAULTS)
    assert dump(demo_store) == before
    assert any(words in p.message and p.file == "bad.json" for p in failed.value.report.problems)


def test_without_the_annex_elements_a_badge_lacks_the_rules_refuse_it(demo_store):
    before = dump(demo_store)
    with pytest.raises(ImportFailed) as failed:
        import_badges(demo_store, [(BADGE.name, BADGE.read_bytes())], G)
    assert dump(demo_store) == before
    assert "type of assessment" in failed.value.report.shapes_report


def test_cli_import_badge(tmp_path, capsys):
    spec = str(tmp_path / "store")
    assert main(["--store", spec, "demo"]) == 0
    args = ["--store", spec, "import", "badge", str(BADGE), "--graph", G, "--json"]
    args += [f"--default={k}={v}" for k, v in DEFAULTS.items()]
    capsys.readouterr()
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["written"] and report["counts"]["micro-credentials"] == 1
