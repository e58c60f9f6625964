"""Reference frameworks: the EQF and the national frameworks equal the reference data
(ontology/reference: the EQF descriptors, the NQF referencing table, the official code list)."""
import csv
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from qfgraph.ontology import FRAMEWORKS_FILE
from qfgraph.ontology.namespaces import EQF_LEVEL, EQF_SCHEME, QF

REFERENCE = Path(__file__).resolve().parents[1] / "ontology" / "reference"
NQF_XSD = REFERENCE / "cv" / "nqf.xsd"
FIVE = {"Croatia": "Croatian Qualifications Framework", "Netherlands": "Dutch National Qualifications Framework",
        "Denmark": "Danish National Qualifications Framework", "Ireland": "Irish National Framework of Qualifications",
        "Scotland": "Scottish Credit and Qualifications Framework"}


@pytest.fixture(scope="module")
def fw():
    return Graph().parse(FRAMEWORKS_FILE)


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
    assert none == {"Entry@NLQF", "1@SCQF", "2@SCQF"}


def test_every_national_level_iri_is_in_the_official_qdr_list(fw):
    official = set(re.findall(r'value="(http://data.europa.eu/snb/qdr/c_[0-9a-f]+)"', NQF_XSD.read_text()))
    ours = {str(l) for l in fw.subjects(QF.levelFramework, None)}
    assert len(ours) == 51 and ours <= official


def test_referencing_is_many_to_one(fw):
    eqf4 = set(fw.subjects(QF.referencedTo, EQF_LEVEL["4"]))
    assert len(eqf4) >= 6  # CROQF 4.1 and 4.2, NLQF 4 and 4+, DQF 4, NFQ 5, SCQF 6
