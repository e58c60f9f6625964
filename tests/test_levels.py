"""Level resolution for real documents: one rule (graph.catalogue.level_resolution) for a level given as a
QDR IRI, an urn:epass identifier with its label, a notation or a label; refused with the
candidates when ambiguous, with a clear error when unknown."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import URIRef

from qfgraph import graph
from qfgraph.graph import EmbeddedStore
from qfgraph.graph.catalogue.level_resolution import AmbiguousLevel, LevelRegister, UnknownLevel
from qfgraph.ontology.namespaces import EQF_LEVEL

TABLE = Path(__file__).resolve().parents[1] / "ontology" / "reference" / "nqf-referencing.csv"
RQF_6 = URIRef("http://data.europa.eu/snb/qdr/c_c392e7a2")


@pytest.fixture(scope="module")
def levels():
    store = EmbeddedStore(None)
    graph.install_reference(store)
    yield LevelRegister(store)
    store.close()


def code_list() -> list[dict]:
    with open(TABLE, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_label_of_the_code_list_resolves_to_its_level(levels):
    rows = code_list()
    assert len(rows) == 381
    for r in rows:
        for spelling in (r["level_label"], r["level_label"].upper(), "  " + r["level_label"].lower().replace(" ", "  ")):
            assert levels.resolve(spelling).iri == URIRef(r["level_iri"]), spelling


def test_every_level_iri_resolves_to_itself_with_its_referencing(levels):
    for r in code_list():
        level = levels.resolve(r["level_iri"])
        assert level.iri == URIRef(r["level_iri"])
        if r["status"] == "unconfirmed":
            assert level.eqf is None and level.unconfirmed
        else:
            assert level.eqf == (EQF_LEVEL[r["eqf_level"]] if r["eqf_level"] else None) and not level.unconfirmed


@pytest.mark.parametrize("given,iri,eqf", [
    ("RQF Level 6", RQF_6, "6"),
    ("NFQ level 8", "http://data.europa.eu/snb/qdr/c_218a7e54", "6"),           # a former label
    ("CROQF 4.1", "http://data.europa.eu/snb/qdr/c_486071a1", "4"),             # notation and code
    ("croqf level 4.2", "http://data.europa.eu/snb/qdr/c_49672c5a", "4"),
    ("MECU Level 7", "http://data.europa.eu/snb/qdr/c_37f3c037", None),          # referencing unconfirmed
    ("c_c392e7a2", RQF_6, "6"),                                                  # the QDR code
])
def test_labels_and_notations(levels, given, iri, eqf):
    level = levels.resolve(given)
    assert str(level.iri) == str(iri) and level.eqf == (EQF_LEVEL[eqf] if eqf else None)


def test_urn_epass_identifiers_resolve_by_the_label_the_document_gives(levels):
    level = levels.resolve("urn:epass:nqfLevel:7", label="MECU Level 7")
    assert level.framework == "MECU" and level.code == "7" and level.unconfirmed and level.eqf is None
    assert levels.resolve("urn:epass:concept:c_c392e7a2").iri == RQF_6        # one that ends with a QDR code
    with pytest.raises(UnknownLevel, match="local to its document and comes without a label"):
        levels.resolve("urn:epass:nqfLevel:7")
    with pytest.raises(UnknownLevel, match="urn:epass:nqfLevel:9.*“Atlantis Level 9” in the document"):
        levels.resolve("urn:epass:nqfLevel:9", label="Atlantis Level 9")


def test_an_unknown_qdr_iri_resolves_by_its_label_or_is_refused(levels):
    assert levels.resolve("http://data.europa.eu/snb/qdr/c_00000000", label="RQF Level 6").iri == RQF_6
    with pytest.raises(UnknownLevel, match="c_00000000.*not a level of any framework"):
        levels.resolve("http://data.europa.eu/snb/qdr/c_00000000")


def test_an_ambiguous_label_is_refused_with_the_candidates(levels):
    with pytest.raises(AmbiguousLevel) as refused:
        levels.resolve("NQF Level 4")
    named = {lv.label for lv in refused.value.candidates}
    assert {"AT: NQF Level 4", "IE NQF Level 4", "DK NQF Level 4", "IT NQF Level 4", "KS NQF Level 4"} <= named
    assert "names 6 levels" in str(refused.value) and "AT: NQF Level 4 <http://data.europa.eu/snb/qdr/" in str(refused.value)
    with pytest.raises(AmbiguousLevel, match="names 4[0-9] levels"):
        levels.resolve("Level 6", national=True)     # any framework's level 6


def test_an_unknown_label_is_refused_clearly(levels):
    with pytest.raises(UnknownLevel, match="'Atlantis Level 9' is not a level of any framework in the register"):
        levels.resolve("Atlantis Level 9")
    with pytest.raises(UnknownLevel, match="unknown level code '9' in CROQF; its codes are: 1, 2, 3, 4.1"):
        levels.resolve("9", framework="CROQF")
    with pytest.raises(UnknownLevel, match="unknown framework 'XQF'"):
        levels.resolve("1", framework="XQF")


def test_the_eqf_and_national_levels_are_kept_apart_when_asked(levels):
    assert levels.resolve("Level 6").iri == EQF_LEVEL["6"]
    assert levels.resolve("EQF 6", national=False).iri == EQF_LEVEL["6"]
    with pytest.raises(UnknownLevel, match="is an EQF level"):
        levels.resolve(str(EQF_LEVEL["6"]), national=True)
