"""Reference frameworks: the EQF and the national frameworks equal the reference data
(ontology/reference: the EQF descriptors, the NQF referencing table, the official code list);
`qfgraph init` loads them all, again and again, and keeps every other graph of a store."""
import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from qfgraph import graph
from qfgraph.api.cli import cli
from qfgraph.graph import EmbeddedStore
from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.sparql import bind
from qfgraph.ontology import FRAMEWORKS_GRAPH, GRAPH
from qfgraph.ontology.namespaces import COUNTRY, EQF_LEVEL, EQF_SCHEME, QF
from qfgraph.ontology.national import NATIONAL_FILE, build_turtle, framework_table, frameworks_graph

REFERENCE = Path(__file__).resolve().parents[1] / "ontology" / "reference"
NQF_XSD = REFERENCE / "cv" / "nqf.xsd"
FIVE = {"Croatia": "Croatian Qualifications Framework", "Netherlands": "Dutch National Qualifications Framework",
        "Denmark": "Danish National Qualifications Framework", "Ireland": "Irish National Framework of Qualifications",
        "Scotland": "Scottish Credit and Qualifications Framework"}


ROOT = Path(__file__).resolve().parents[1]
# Where the code list's country column names no EU country code of its own.
COUNTRY_CODES = {"XK": "1A0"}    # Kosovo, as the EU country list (cv/country.xsd) codes it


@pytest.fixture(scope="module")
def fw():
    return frameworks_graph()


def rows(name: str) -> list[dict]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_eqf_has_eight_levels_at_the_official_iris(fw):
    levels = sorted(fw.subjects(SKOS.inScheme, EQF_SCHEME), key=str)
    assert levels == [EQF_LEVEL[str(n)] for n in range(1, 9)]


def test_eqf_descriptors_equal_the_recommendation(fw):
    descriptors = rows("eqf-descriptors.csv")
    assert [r["level"] for r in descriptors] == [str(n) for n in range(1, 9)]
    for r in descriptors:
        level = URIRef(r["level_iri"])
        assert level == EQF_LEVEL[r["level"]]
        assert fw.value(level, QF.knowledge) == Literal(r["knowledge"], lang="en")
        assert fw.value(level, QF.skills) == Literal(r["skills"], lang="en")
        assert fw.value(level, QF.responsibilityAutonomy) == Literal(r["responsibility_autonomy"], lang="en")
        assert fw.value(level, SKOS.notation) == Literal(r["level"])


@pytest.mark.parametrize("country,size", [("Croatia", 11), ("Netherlands", 10), ("Denmark", 8),
                                          ("Ireland", 10), ("Scotland", 12)])
def test_national_referencing_equals_the_reference_table(fw, country, size):
    levels = [r for r in rows("nqf-referencing.csv") if r["framework_label"] == FIVE[country]]
    assert len(levels) == size and all(r["status"] != "unconfirmed" for r in levels)
    for r in levels:
        level = URIRef(r["level_iri"])
        assert fw.value(level, QF.levelFramework) is not None, r["level_label"]
        if not r["eqf_level"]:   # below EQF 1
            assert fw.value(level, QF.referencedTo) is None
            assert fw.value(level, QF.noEQFLevel).toPython() is True
        else:
            assert list(fw.objects(level, QF.referencedTo)) == [EQF_LEVEL[r["eqf_level"]]]
            assert fw.value(level, QF.noEQFLevel) is None


def test_levels_with_no_eqf_level_are_the_ones_facts_name(fw):
    none = {str(fw.value(l, SKOS.notation)) + "@" + str(fw.value(fw.value(l, QF.levelFramework), SKOS.notation))
            for l in fw.subjects(QF.noEQFLevel, Literal(True))}
    assert {"Entry@NLQF", "1@SCQF", "2@SCQF"} <= none     # facts.md
    assert none == {
                    str(fw.value(URIRef(r["level_iri"]), SKOS.notation)) + "@" +
                    str(fw.value(URIRef(r["framework_iri"]), SKOS.notation))
                    for r in rows("nqf-referencing.csv") if r["status"] != "unconfirmed" and not r["eqf_level"]}


def code_list() -> dict[str, str]:
    """{IRI: English label} of every entry of the official NQF code list."""
    text = NQF_XSD.read_text(encoding="utf-8")
    return {iri: " ".join(label.split()) for iri, label in re.findall(
        r'value="(http://data.europa.eu/snb/qdr/c_[0-9a-f]+)">\s*<xs:annotation>\s*'
        r'<xs:documentation>([^<]+)</xs:documentation>', text)}


def test_every_framework_and_level_of_the_code_list_is_in_the_graph_with_its_label_and_country(fw):
    official, table = code_list(), rows("nqf-referencing.csv")
    assert len(official) == 424
    frameworks = {r["framework_iri"]: r for r in table}
    assert len(frameworks) == 43 and len(table) == 381
    assert set(frameworks) | {r["level_iri"] for r in table} == set(official)
    for iri, r in frameworks.items():
        node = URIRef(iri)
        assert (node, None, QF.QualificationsFramework) in fw or QF.QualificationsFramework in fw.objects(node, None)
        assert fw.value(node, SKOS.prefLabel) == Literal(official[iri], lang="en") == Literal(r["framework_label"], lang="en")
        code = re.match(r"([A-Z]{2})", r["country"]).group(1)
        alpha3 = re.findall(r"\b([A-Z]{3})\b", r["country"].split("),")[0]) or [COUNTRY_CODES[code]]
        assert list(fw.objects(node, QF.country)) == [COUNTRY[alpha3[-1]]], r["framework_label"]
        assert fw.value(node, SKOS.notation) is not None
    for r in table:
        level = URIRef(r["level_iri"])
        assert list(fw.objects(level, QF.levelFramework)) == [URIRef(r["framework_iri"])]
        assert fw.value(level, SKOS.prefLabel) == Literal(official[r["level_iri"]], lang="en")
        assert fw.value(level, SKOS.notation) is not None


def test_confirmed_referencing_equals_the_table_and_unconfirmed_levels_carry_no_eqf_link(fw):
    for r in rows("nqf-referencing.csv"):
        level = URIRef(r["level_iri"])
        if r["status"] == "unconfirmed":
            assert fw.value(level, QF.referencedTo) is None and fw.value(level, QF.noEQFLevel) is None
            assert fw.value(level, QF.referencingUnconfirmed) == Literal(True), r["level_label"]
            continue
        assert fw.value(level, QF.referencingUnconfirmed) is None, r["level_label"]
        if r["eqf_level"]:
            assert list(fw.objects(level, QF.referencedTo)) == [EQF_LEVEL[r["eqf_level"]]], r["level_label"]
        else:
            assert fw.value(level, QF.noEQFLevel) == Literal(True), r["level_label"]
        if r["status"] == "confirmed" and not r["source"].startswith("facts.md"):
            assert fw.value(level, DCTERMS.source) is not None or fw.value(level, QF.levelFramework) in FIVE_IRIS


FIVE_IRIS = {URIRef("http://data.europa.eu/snb/qdr/" + c) for c in
             ("c_59d0b819", "c_5c66dcbc", "c_61ba90ec", "c_01169e3f", "c_027221dd")}


def test_the_five_frameworks_keep_their_former_labels_and_iris(fw):
    assert fw.value(URIRef("http://data.europa.eu/snb/qdr/c_218a7e54"), SKOS.altLabel) == Literal("NFQ level 8", lang="en")
    assert {str(fw.value(f, SKOS.notation)) for f in FIVE_IRIS} == {"CROQF", "NLQF", "DQF", "NFQ", "SCQF"}
    for code in ("hr", "nl", "dk", "ie", "sco"):
        assert fw.value(URIRef(f"https://w3id.org/qfgraph/framework/{code}"), DCTERMS.isReplacedBy) in FIVE_IRIS


def test_the_built_file_is_what_the_table_says():
    assert NATIONAL_FILE.read_text(encoding="utf-8") == build_turtle(REFERENCE), \
        "rebuild it: python -m qfgraph.ontology.national"


def test_the_framework_table_of_the_docs_is_true(fw):
    page = (ROOT / "docs" / "frameworks.md").read_text(encoding="utf-8")
    assert framework_table(fw, REFERENCE) in page
    assert "frameworks.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_init_is_idempotent(tmp_path):
    store_dir = tmp_path / "store"
    for _ in range(2):
        assert CliRunner().invoke(cli, ["--store", str(store_dir), "init"]).exit_code == 0
        with EmbeddedStore(store_dir) as store:
            sizes = store.graph_sizes()
            dump = store.export(RDF_FORMATS["nquads"])
        assert sizes[str(FRAMEWORKS_GRAPH)] == len(frameworks_graph())
        if _:
            assert dump == first
        first = dump


FORMER_FRAMEWORKS = b"""@prefix qf: <https://w3id.org/qfgraph#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/qfgraph/framework/hr> a qf:QualificationsFramework, skos:ConceptScheme ; skos:notation "CROQF" .
<http://data.europa.eu/snb/qdr/c_d34c0ab3> a skos:Concept ; skos:notation "1" ;
    qf:levelFramework <https://w3id.org/qfgraph/framework/hr> ; qf:referencedTo <http://data.europa.eu/snb/eqf/1> ."""


def test_an_existing_store_gains_the_new_frameworks_on_init_and_keeps_its_own_graphs():
    store = EmbeddedStore(None)
    graph.install_demo(store)
    store.update(f"DROP GRAPH <{FRAMEWORKS_GRAPH}>")      # a store of the first release: five frameworks
    store.load(FORMER_FRAMEWORKS, RDF_FORMATS["turtle"], str(FRAMEWORKS_GRAPH))
    store.update('INSERT DATA { GRAPH <https://w3id.org/qfgraph/graph/mine> { <https://example.org/x> '
                 '<http://purl.org/dc/terms/title> "mine" } }')
    others = lambda: {g: n for g, n in store.graph_sizes().items() if g != str(FRAMEWORKS_GRAPH)}
    kept = {g: store.export(RDF_FORMATS["nquads"], g) for g in others()}
    graph.install_reference(store)
    assert {g: store.export(RDF_FORMATS["nquads"], g) for g in others()} == kept
    assert store.graph_sizes()[str(FRAMEWORKS_GRAPH)] == len(frameworks_graph())
    assert store.ask(bind("ASK { <http://data.europa.eu/snb/qdr/c_e8c5bfbe> a qf:QualificationsFramework }"))  # Spain
    assert not store.ask(bind("ASK { <https://w3id.org/qfgraph/framework/hr> a qf:QualificationsFramework }"))
    store.close()


def test_referencing_is_many_to_one(fw):
    eqf4 = set(fw.subjects(QF.referencedTo, EQF_LEVEL["4"]))
    assert len(eqf4) >= 6  # CROQF 4.1 and 4.2, NLQF 4 and 4+, DQF 4, NFQ 5, SCQF 6
