"""ELM / Europass: the Annex I sample imports with its fields, contexts never come from the
network, the ELM export of the demo conforms to the QDR shapes, and import → export → import
keeps everything ELM can carry."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from qfgraph.api.cli import main
from qfgraph.graph.exports import export_elm, serialize_elm
from qfgraph.graph.imports import ImportFailed, import_elm
from qfgraph.graph.imports.jsonld import JsonLdError, load_json, parse_jsonld
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.ontology.namespaces import ECTS, ELM, QF

ROOT = Path(__file__).resolve().parents[1]
QDR_SHAPES = ROOT / "ontology" / "reference" / "qdr"
SAMPLE = ROOT / "tests" / "data" / "Sample-MC-Annex1-unsigned.jsonld"
G = "https://w3id.org/qfgraph/graph/elm"
# The one Annex I element the sample does not carry (its type of quality assurance); the
# others, its level and its assessment type included, are read from the document.
ANNEX_DEFAULTS = {"quality_assurance": "internal"}
# ELM carries no type of assessment of its own for a register's entry: an export read back needs it.
EXPORT_DEFAULTS = {"assessment_type": "artefact assessment", "quality_assurance": "internal"}


def dump(store) -> bytes:
    return store.export(RDF_FORMATS["nquads"])


@pytest.fixture(scope="module")
def qdr_shapes() -> Graph:
    return Graph().parse(QDR_SHAPES / "LOQ-constraints.ttl").parse(QDR_SHAPES / "LOQ-constraints-mdr.ttl")


def plain_strings(g: Graph) -> Graph:
    """xsd:string literals as plain ones: the same RDF 1.1 term, spelled two ways."""
    out = Graph()
    for s, p, o in g:
        out.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
    return out


def imported(store, docs, **kw) -> Graph:
    import_elm(store, docs, G, **kw)
    return store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")


def test_the_annex_i_sample_imports_as_a_micro_credential_with_its_fields(store):
    g = imported(store, [(SAMPLE.name, SAMPLE.read_bytes())], defaults=ANNEX_DEFAULTS)
    (mc,) = g.subjects(RDF.type, QF.MicroCredential)
    assert g.value(mc, DCTERMS.title) == Literal("Digital micro-credential creation", lang="en")
    assert g.value(mc, ELM.EQFLevel) == URIRef("http://data.europa.eu/snb/eqf/6")
    assert g.value(mc, ELM.NQFLevel) == URIRef("http://data.europa.eu/snb/qdr/c_c392e7a2")
    ects = g.value(mc, ELM.creditPoint)
    assert (g.value(ects, ELM.framework), g.value(ects, ELM.point)) == (URIRef(ECTS), Literal("2"))
    assert g.value(mc, ELM.mode) == URIRef("http://data.europa.eu/snb/learning-assessment/e92d221e4d")
    assert g.value(mc, ELM.learningSetting) == URIRef("http://data.europa.eu/snb/learning-setting/e207a81fc7")
    assert g.value(mc, DCTERMS.language) == Literal("en", datatype=XSD.language)
    assert g.value(mc, ELM.volumeOfLearning).toPython().total_seconds() == 60 * 3600
    entry = g.value(mc, ELM.entryRequirement)
    assert "EU Login ID" in str(g.value(entry, ELM.noteLiteral))
    outcomes = set(g.objects(mc, ELM.learningOutcome))
    titles = {str(t) for lo in outcomes for t in g.objects(lo, DCTERMS.title)}
    assert titles == {"Communication, collaboration and creativity", "Developing digital content",
                      "Contento digital"}
    skills = {str(s) for lo in outcomes for s in g.objects(lo, ELM.relatedESCOSkill)}
    assert skills == {"http://data.europa.eu/esco/skill/" + x for x in (
        "ccdf3597-5c80-410f-896d-e1bdfa223de9", "80f308e6-0e09-404a-80cd-ec5f50f6f304",
        "326809fc-238d-40c2-881e-40042f7f2f0d", "5fd5c985-eaaa-47aa-8314-62359c54505a")}
    assert g.value(mc, QF.supervisionVerification) == URIRef(
        "http://data.europa.eu/snb/supervision-verification/c598449d64")
    body = g.value(mc, ELM.awardingBody)
    assert g.value(body, ELM.legalName) == Literal("University of Zed", lang="en")
    assert g.value(mc, QF.country) == URIRef("http://publications.europa.eu/resource/authority/country/IRL")
    assert g.value(mc, QF.assessmentType) == URIRef("http://data.europa.eu/snb/assessment/de4d165a6c")
    assert all(str(s).startswith("https://w3id.org/qfgraph/id/") for s in g.subjects())  # no urn:epass ids


def test_a_national_level_the_register_lacks_is_named_or_left_out_on_request(store):
    before = dump(store)
    unknown = SAMPLE.read_bytes().replace(b"c_c392e7a2", b"c_00000000").replace(b"RQF Level 6", b"Atlantis Level 9")
    with pytest.raises(ImportFailed) as failed:
        import_elm(store, [(SAMPLE.name, unknown)], G, defaults=ANNEX_DEFAULTS)
    assert dump(store) == before
    (problem,) = failed.value.report.problems
    assert problem.file == SAMPLE.name and problem.column == "nqfLevel"
    assert "c_00000000' (“Atlantis Level 9” in the document) is not a level of any framework" in problem.message
    report = import_elm(store, [(SAMPLE.name, unknown)], G, defaults=ANNEX_DEFAULTS, drop_unknown_levels=True)
    assert report.written and "left out NQF level" in report.notes[0]
    assert not store.ask(f"ASK {{ GRAPH <{G}> {{ ?mc <{ELM.NQFLevel}> ?l }} }}")


def test_without_flags_the_sample_lacks_only_its_type_of_quality_assurance(store):
    """No --drop-unknown-levels, no framework of its own: its RQF 6 level resolves, and its
    assessment type is read; the rules refuse it only for the one element it does not carry."""
    before = dump(store)
    with pytest.raises(ImportFailed) as failed:
        import_elm(store, [(SAMPLE.name, SAMPLE.read_bytes())], G)
    assert dump(store) == before and not failed.value.report.problems
    violations = failed.value.report.shapes_json["results"]
    assert [v["shape"].rsplit("#", 1)[-1] for v in violations] == ["MicroCredential-qualityAssurance"]


def test_a_context_that_is_not_bundled_is_refused_not_fetched(store):
    doc = {"@context": "https://example.org/elsewhere.jsonld", "id": "urn:x", "type": "Qualification"}
    with pytest.raises(JsonLdError, match="not bundled with qfgraph and is not fetched"):
        parse_jsonld(doc, "doc.jsonld")
    before = dump(store)
    with pytest.raises(ImportFailed) as failed:
        import_elm(store, [("doc.jsonld", json.dumps(doc).encode()), ("bad.json", b"{oops")], G)
    assert dump(store) == before
    texts = [p.to_text() for p in failed.value.report.problems]
    assert any(t.startswith("doc.jsonld: the JSON-LD context https://example.org/elsewhere.jsonld") for t in texts)
    assert any(t.startswith("bad.json: not valid JSON at line 1") for t in texts)


def test_the_bundled_contexts_give_the_same_graph_as_the_published_terms(store):
    """The sample's VC terms resolve through the local W3C context equivalent."""
    g = parse_jsonld(load_json(SAMPLE.read_bytes(), "s"), "s")
    cred = URIRef("urn:credential:3ef0ac26-9a1f-41c6-871b-2b82e670907b")
    assert (cred, RDF.type, URIRef("https://www.w3.org/2018/credentials#VerifiableCredential")) in g
    assert (cred, URIRef("https://www.w3.org/2018/credentials#credentialSubject"), None) in g


def test_the_elm_export_of_the_demo_conforms_to_the_qdr_shapes(demo_store, qdr_shapes):
    result = export_elm(demo_store)
    assert len(result.exported) >= 30 and not result.skipped
    conforms, _, text = validate(result.graph, shacl_graph=qdr_shapes, inference="none")
    assert conforms, text
    # and as the JSON-LD that is published, read back with the bundled EDC context
    published = parse_jsonld(load_json(serialize_elm(result), "export"), "export")
    assert isomorphic(plain_strings(published), result.graph)
    turtle = Graph().parse(data=serialize_elm(result, "turtle"), format="turtle")
    assert isomorphic(turtle, result.graph)


def test_an_incomplete_record_is_left_out_with_its_reason(demo_store, qdr_shapes):
    q = "https://w3id.org/qfgraph/id/hr/qualification/welder"
    demo_store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{q}> <{ELM.ISCEDFCode}> ?c }} }}")
    result = export_elm(demo_store)
    assert result.skipped == {q: ["no ISCED-F code"]}
    assert validate(result.graph, shacl_graph=qdr_shapes, inference="none")[0]


PROJECTED = (DCTERMS.title, DCTERMS.description, ELM.EQFLevel, ELM.NQFLevel, ELM.ISCEDFCode,
             ELM.mode, ELM.learningSetting, DCTERMS.language, ELM.volumeOfLearning, ELM.awardingBody,
             ELM.learningOutcome, RDF.type)


def everything(store) -> Graph:
    return store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def _entity_view(g: Graph, iri) -> set:
    """What ELM carries of a qualification or micro-credential, its outcomes, ECTS and body."""
    s = URIRef(iri)
    view = {(p, o) for p in PROJECTED for o in g.objects(s, p) if p != RDF.type or o in (ELM.Qualification, QF.MicroCredential)}
    view |= {("ects", g.value(cp, ELM.point)) for cp in g.objects(s, ELM.creditPoint)}
    view |= {("outcome", lo, p, o) for lo in g.objects(s, ELM.learningOutcome)
             for p in (DCTERMS.title, ELM.relatedESCOSkill) for o in g.objects(lo, p)}
    view |= {("body", b, o) for b in g.objects(s, ELM.awardingBody) for o in g.objects(b, ELM.legalName)}
    view |= {("entry", o) for n in g.objects(s, ELM.entryRequirement) for o in g.objects(n, ELM.noteLiteral)}
    return view


def test_import_export_import_is_lossless_for_what_elm_carries(demo_store, store):
    first = export_elm(demo_store)
    import_elm(store, [("demo.jsonld", serialize_elm(first))], G, defaults=EXPORT_DEFAULTS)
    second = export_elm(store)
    assert isomorphic(first.graph, second.graph)
    ours, theirs = everything(store), everything(demo_store)
    for iri in first.exported:
        assert _entity_view(ours, iri) == _entity_view(theirs, iri), iri


def test_the_sample_round_trips_through_the_export(store):
    import_elm(store, [(SAMPLE.name, SAMPLE.read_bytes())], G, defaults=ANNEX_DEFAULTS)
    exported = export_elm(store)
    (mc,) = exported.exported
    before = _entity_view(everything(store), mc)
    from qfgraph.graph import EmbeddedStore, install_reference
    again = EmbeddedStore(None)
    install_reference(again)
    import_elm(again, [("x.jsonld", serialize_elm(exported))], G, defaults=EXPORT_DEFAULTS)
    assert _entity_view(everything(again), mc) == before


def test_cli_export_format_elm_and_import_elm(tmp_path, capsys):
    spec, out = str(tmp_path / "store"), tmp_path / "demo.jsonld"
    assert main(["--store", spec, "demo"]) == 0
    assert main(["--store", spec, "export", "--format", "elm", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["@context"] == "http://data.europa.eu/snb/model/context/edc-ap"
    capsys.readouterr()
    assert main(["--store", spec, "import", "elm", str(SAMPLE), "--graph", G,
                 "--default", "quality_assurance=internal"]) == 0
    out = capsys.readouterr().out
    assert "1 micro-credentials" in out and "note: " not in out
    assert main(["--store", spec, "import", "elm", str(SAMPLE), "--graph", G + "2",
                 "--default", "assessment=portfolio"]) == 1
    assert "unknown default 'assessment'" in capsys.readouterr().err


def test_a_learning_opportunity_brings_its_achievement_specification_as_a_micro_credential(store):
    concept = lambda iri: {"@id": iri, "@type": "Concept"}
    spec = {"@id": "http://example.org/spec/welding-basics", "@type": "LearningAchievementSpecification",
            "title": {"en": "Welding basics"}, "eqfLevel": concept("http://data.europa.eu/snb/eqf/3"),
            "creditPoint": {"@id": "http://example.org/spec/welding-basics#cp", "@type": "CreditPoint",
                            "framework": concept(ECTS), "point": "3"},
            "learningOutcome": {"@id": "http://example.org/outcome/plates", "@type": "LearningOutcome",
                                "title": {"en": "Weld steel plates"}},
            "mode": concept("http://data.europa.eu/snb/learning-assessment/9191af2ed9"),
            "language": concept("http://publications.europa.eu/resource/authority/language/HRV"),
            "awardingOpportunity": {
                "@id": "http://example.org/spec/welding-basics#awarding", "@type": "AwardingOpportunity",
                "awardingBody": {"@id": "http://example.org/org/school", "@type": "Organisation",
                                 "legalName": {"en": "Evening School"},
                                 "location": {"@id": "http://example.org/org/school#l", "@type": "Location",
                                              "address": {"@id": "http://example.org/org/school#a", "@type": "Address",
                                                          "countryCode": concept(
                                                              "http://publications.europa.eu/resource/authority/country/HRV")}}}}}
    document = {"@context": "http://data.europa.eu/snb/model/context/edc-ap", "@id": "http://example.org/lo/1",
                "@type": "LearningOpportunity", "title": {"en": "Evening course in welding"},
                "learningAchievementSpecification": spec}
    g = imported(store, [("opportunity.jsonld", json.dumps(document).encode())],
                 defaults={"assessment_type": "portfolio", "quality_assurance": "internal"})
    mc = URIRef(spec["@id"])
    assert (mc, RDF.type, QF.MicroCredential) in g
    assert g.value(mc, DCTERMS.language) == Literal("hr", datatype=XSD.language)
    assert g.value(mc, QF.country) == URIRef("http://publications.europa.eu/resource/authority/country/HRV")
    assert g.value(g.value(mc, ELM.awardingBody), ELM.legalName) == Literal("Evening School", lang="en")


ACCREDITATION = ROOT / "tests" / "data" / "accreditation-edc.jsonld"


def test_an_accreditation_document_imports_with_its_body_organisation_scope_and_dates(store):
    report = import_elm(store, [(ACCREDITATION.name, ACCREDITATION.read_bytes())], G)
    assert report.counts["accreditations"] == 1 and report.counts["organisations"] == 2
    g = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")
    (acc,) = g.subjects(RDF.type, ELM.Accreditation)
    agent, org = g.value(acc, ELM.accreditingAgent), g.value(acc, ELM.organisation)
    assert (agent, RDF.type, QF.QualityAssuranceAuthority) in g
    assert g.value(agent, ELM.legalName) == Literal("Quality and Qualifications Agency of Zed", lang="en")
    assert g.value(org, ELM.legalName) == Literal("University of Zed", lang="en")
    assert set(g.objects(acc, ELM.limitEQFLevel)) == {URIRef("http://data.europa.eu/snb/eqf/5"),
                                                      URIRef("http://data.europa.eu/snb/eqf/6")}
    assert g.value(acc, ELM.limitField) == URIRef("http://data.europa.eu/snb/isced-f/0688")
    assert g.value(acc, ELM.dateIssued) == Literal("2024-01-15T00:00:00", datatype=XSD.dateTime)
    assert g.value(acc, ELM.expiryDate) == Literal("2029-01-14T00:00:00", datatype=XSD.dateTime)


def test_a_bad_accreditation_is_refused_with_file_and_field_and_nothing_is_written(store):
    doc = json.loads(ACCREDITATION.read_text())
    del doc["accreditingAgent"]
    doc["expiryDate"] = "soon"
    before = dump(store)
    with pytest.raises(ImportFailed) as failed:
        import_elm(store, [("bad-accreditation.jsonld", json.dumps(doc).encode())], G)
    assert dump(store) == before
    problems = {(p.file, p.column) for p in failed.value.report.problems}
    assert problems == {("bad-accreditation.jsonld", "accreditingAgent"), ("bad-accreditation.jsonld", "expiryDate")}
