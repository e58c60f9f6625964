"""Reference frameworks: the EQF and the national frameworks equal the reference facts."""
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from qfgraph.ontology import FRAMEWORKS_FILE
from qfgraph.ontology.namespaces import EQF_LEVEL, EQF_SCHEME, QF

FACTS = Path(__file__).resolve().parents[2] / "shared" / "reference" / "facts.md"
NQF_XSD = FACTS.parent / "elm" / "cv" / "nqf.xsd"


@pytest.fixture(scope="module")
def fw():
    return Graph().parse(FRAMEWORKS_FILE)


@pytest.fixture(scope="module")
def facts():
    return FACTS.read_text(encoding="utf-8")


def test_eqf_has_eight_levels_at_the_official_iris(fw):
    levels = sorted(fw.subjects(SKOS.inScheme, EQF_SCHEME), key=str)
    assert levels == [EQF_LEVEL[str(n)] for n in range(1, 9)]


def test_eqf_descriptors_equal_the_recommendation(fw, facts):
    rows = re.findall(r"^(\d)\. (.+?) \| (.+?) \| (.+)$", facts, re.M)
    assert len(rows) == 8
    for n, knowledge, skills, autonomy in rows:
        level = EQF_LEVEL[n]
        assert fw.value(level, QF.knowledge) == Literal(knowledge.strip(), lang="en")
        assert fw.value(level, QF.skills) == Literal(skills.strip(), lang="en")
        assert fw.value(level, QF.responsibilityAutonomy) == Literal(autonomy.strip(), lang="en")
        assert fw.value(level, SKOS.notation) == Literal(n)


def referencing_in_facts(facts):
    table = {}
    for name in ["Croatia", "Netherlands", "Denmark", "Ireland", "Scotland"]:
        row = next(line for line in facts.splitlines() if line.startswith("| " + name))
        table[name] = re.findall(r"(Entry|[\d.+]+) (c_[0-9a-f]+) → (none|\d)", row)
    return table


@pytest.mark.parametrize("country,size", [("Croatia", 11), ("Netherlands", 10), ("Denmark", 8),
                                          ("Ireland", 10), ("Scotland", 12)])
def test_national_referencing_equals_the_facts(fw, facts, country, size):
    levels = referencing_in_facts(facts)[country]
    assert len(levels) == size
    for notation, code, eqf in levels:
        level = URIRef("http://data.europa.eu/snb/qdr/" + code)
        assert fw.value(level, SKOS.notation) == Literal(notation)
        if eqf == "none":
            assert fw.value(level, QF.referencedTo) is None
            assert fw.value(level, QF.noEQFLevel).toPython() is True
        else:
            assert list(fw.objects(level, QF.referencedTo)) == [EQF_LEVEL[eqf]]
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
