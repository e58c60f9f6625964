"""Skills-needs signals from CSV (published shortage-occupation lists): a row becomes a
qf:SkillsNeed through the gate, the indicators see it, and a bad row is refused with its
file, row and column, nothing written."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from qfgraph.graph.imports import ImportFailed, import_csv
from qfgraph.graph.indicators import compute, items
from qfgraph.graph.stores import quads_of
from qfgraph.ontology.namespaces import COUNTRY, QF

G = "https://w3id.org/qfgraph/graph/demo/hr"
BASE = "https://w3id.org/qfgraph/id/hr/"
WELDER = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"   # ESCO: welder
PIPE_WELDER = "http://data.europa.eu/esco/occupation/2ff73126-7aff-4233-9d9c-d8725e1c6822"   # ESCO: pipe welder
HEADER = "id,title_en,esco,outcomes,region,date,source,strength,horizon\n"
GOOD = f"pipe-welders,Shortage of pipe welders,{PIPE_WELDER},,HRV,2025-05-01,org/employment-office-adriatic,high,2031\n"


def files(*rows: str) -> dict[str, bytes]:
    return {"skills_needs.csv": (HEADER + "".join(rows)).encode("utf-8")}


def test_a_shortage_list_imports_and_joins_the_gap_list(demo_store):
    before = compute(demo_store, None, only=["anticipation-answered"])[0].total
    row = GOOD.replace("org/employment-office-adriatic", BASE + "org/employment-office-adriatic")
    report = import_csv(demo_store, files(row), G, BASE)
    assert report.written and report.counts["skills needs"] == 1
    need = URIRef(BASE + "need/pipe-welders")
    got = set(quads_of(demo_store, G))
    assert {(need, RDF.type, QF.SkillsNeed), (need, QF.concernsOccupation, URIRef(PIPE_WELDER)),
            (need, QF.region, COUNTRY.HRV), (need, DCTERMS.date, Literal("2025-05-01", datatype=XSD.date)),
            (need, QF.demand, Literal("high"))} <= got
    after = compute(demo_store, None, only=["anticipation-answered"])[0].total
    assert (after.numerator, after.denominator) == (before.numerator, before.denominator + 1)
    gaps = items(demo_store, "anticipation-answered", hit=False)
    assert any(g["item"] == str(need) and g["date"] == ["2025-05-01"] for g in gaps)


SOURCE = BASE + "org/employment-office-adriatic"


@pytest.mark.parametrize("row, column, message", [
    (f"n1,Need,http://example.org/welder,,HRV,2025-01-01,{SOURCE},high,\n", "esco", "not an ESCO occupation or skill IRI"),
    (f"n1,Need,,,HRV,2025-01-01,{SOURCE},high,\n", "esco", "missing value"),
    (f"n1,Need,{WELDER},,Croatia,2025-01-01,{SOURCE},high,\n", "region", "bad country code"),
    (f"n1,Need,{WELDER},,HRV,01/03/2025,{SOURCE},high,\n", "date", "bad date"),
    (f"n1,Need,{WELDER},,HRV,,{SOURCE},high,\n", "date", "missing value"),
    (f"n1,Need,{WELDER},,HRV,2025-01-01,{BASE}org/nobody,high,\n", "source", "unknown reference"),
    (f"n1,Need,{WELDER},,HRV,2025-01-01,{SOURCE},urgent,\n", "strength", "unknown value 'urgent'"),
    (f"n1,Need,{WELDER},,HRV,2025-01-01,{SOURCE},high,soon\n", "horizon", "bad year"),
])
def test_a_bad_row_is_refused_with_file_row_and_column_and_nothing_written(demo_store, row, column, message):
    before = set(quads_of(demo_store, G))
    good = GOOD.replace("org/employment-office-adriatic", SOURCE)
    with pytest.raises(ImportFailed) as failed:
        import_csv(demo_store, files(good, row), G, BASE)
    problems = failed.value.report.problems
    assert any(p.file == "skills_needs.csv" and p.row == 3 and p.column == column and message in p.message
               for p in problems), [str(p) for p in problems]
    assert set(quads_of(demo_store, G)) == before
