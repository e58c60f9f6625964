"""The vocabulary: every Turtle file parses; every qf: term is documented and mapped."""
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from qfgraph.ontology import ONTOLOGY_FILE
from qfgraph.ontology.namespaces import QF

ROOT = Path(__file__).resolve().parents[1]
# (node_modules: npm packages installed for tests/shacl_engine, with Turtle files of their own)
TURTLE_FILES = sorted(p for p in ROOT.glob("**/*.ttl")
                      if not any(part.startswith(".") or part in {"build", "out", "data", "node_modules"}
                                 for part in p.relative_to(ROOT).parts))


@pytest.fixture(scope="module")
def qf():
    return Graph().parse(ONTOLOGY_FILE)


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_turtle_file_parses(path):
    assert len(Graph().parse(path, format="turtle")) > 0


def qf_terms(g):
    return sorted({s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(QF))})


def test_ontology_header_has_title_version_and_licence(qf):
    onto = next(qf.subjects(RDF.type, OWL.Ontology))
    from rdflib.namespace import DCTERMS
    assert qf.value(onto, DCTERMS.title) and qf.value(onto, OWL.versionInfo) and qf.value(onto, DCTERMS.license)


def test_every_qf_term_has_label_and_comment(qf):
    terms = qf_terms(qf)
    assert len(terms) > 40
    missing = [t for t in terms if qf.value(t, RDFS.label) is None or
               (qf.value(t, RDFS.comment) is None and qf.value(t, SKOS.inScheme) is None)]
    assert missing == []


def test_classes_and_properties_map_to_a_neighbour_where_one_exists(qf):
    # The main classes of the domain each name their ELM / CTDL / ESCO neighbour.
    for local in ["MicroCredential", "Unit", "Requirement", "AllOf", "ChoiceOf", "MinimumCredits",
                  "ValidationStandard", "QualificationsFramework", "Provider", "QualityAssuranceAuthority"]:
        t = QF[local]
        neighbours = set(qf.objects(t, SKOS.closeMatch)) | set(qf.objects(t, RDFS.subClassOf))
        assert neighbours, local


def test_micro_credential_is_an_elm_learning_achievement_specification(qf):
    from qfgraph.ontology.namespaces import ELM
    assert (QF.MicroCredential, RDFS.subClassOf, ELM.LearningAchievementSpecification) in qf


def test_every_qf_term_used_in_the_ontology_is_defined(qf):
    used = {o for o in qf.objects() if isinstance(o, URIRef) and str(o).startswith(str(QF))}
    used |= {p for p in qf.predicates() if str(p).startswith(str(QF))}
    assert used <= set(qf_terms(qf))
