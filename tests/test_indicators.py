"""The system-coordination indicators: each published query gives what an independent
Python computation over the same graph gives (the demo, a generated graph, an empty one),
empty denominators are no data, the past is rebuilt from the history, and the command line
prints them."""
from __future__ import annotations

import json

import pytest
from rdflib import Literal, URIRef

from benchmarks.indicators_baseline import Reference, union_graph
from qfgraph.api.cli import main
from qfgraph.graph import EmbeddedStore, install_demo
from qfgraph.graph.changes import Changeset, commit
from qfgraph.graph.indicators import DIMENSIONS, compute, indicator, indicators, items
from qfgraph.graph.indicators.running import today
from qfgraph.graph.sparql import bind
from qfgraph.ontology.namespaces import ELM, GRAPH, QF

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
IDS = [i.id for i in indicators()]


def as_counts(outcome) -> tuple[dict, tuple[int, int]]:
    return ({g.key: (g.numerator, g.denominator) for g in outcome.groups},
            (outcome.total.numerator, outcome.total.denominator))


def check_against_reference(store, by):
    ref = Reference(union_graph(store), today())
    for outcome in compute(store, by):
        groups, total = ref.counts(outcome.indicator.id, by)
        assert as_counts(outcome) == ({None if k == "(all)" else k: v for k, v in groups.items()}, total), \
            (outcome.indicator.id, by)


def test_every_area_of_the_issue_has_its_indicators():
    areas = {i.area for i in indicators()}
    assert areas == {"skills anticipation", "employer involvement", "PES and guidance", "quality assurance",
                     "qualifications frameworks", "validation (VNFIL)", "governance and coordination"}
    for i in indicators():
        assert i.numerator and i.denominator and i.reading and i.title
        assert i.query.lstrip().startswith("# id: " + i.id)


@pytest.mark.parametrize("by", list(DIMENSIONS))
def test_the_queries_agree_with_python_on_the_demo(demo_store, by):
    check_against_reference(demo_store, by)


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory):
    from benchmarks.generate import generate
    from qfgraph.graph.formats import RDF_FORMATS
    result = generate("XS", out_dir=tmp_path_factory.mktemp("xs"))
    s = EmbeddedStore(None)
    install_demo(s)
    s.load(result.data_file, RDF_FORMATS["nquads"], None)
    yield s
    s.close()


@pytest.mark.parametrize("by", ["country", "level"])
def test_the_queries_agree_with_python_on_a_generated_graph(generated_store, by):
    check_against_reference(generated_store, by)
    assert len(compute(generated_store, "country", only=["qa-external"])[0].groups) > 3


def test_an_empty_denominator_is_no_data(store):
    for outcome in compute(store, "country"):
        assert outcome.total.denominator == 0 and outcome.total.value is None, outcome.indicator.id
    out = main_json(store, ["--by", "level"])
    assert all(o["total"]["value"] is None for o in out)


def test_quality_assurance_splits_the_micro_credentials(demo_store):
    qa = {o.indicator.id: o.total for o in compute(demo_store, None, only=["qa-external", "qa-internal", "qa-none"])}
    assert sum(t.numerator for t in qa.values()) == qa["qa-external"].denominator


def test_the_gap_list_names_the_unanswered_needs_with_region_and_date(demo_store):
    gaps = items(demo_store, "anticipation-answered", hit=False)
    answered = items(demo_store, "anticipation-answered", hit=True)
    outcome = compute(demo_store, None, only=["anticipation-answered"])[0]
    assert len(gaps) == outcome.total.denominator - outcome.total.numerator
    assert len(answered) == outcome.total.numerator
    for g in gaps:
        assert g["country"] and g["date"]


def test_a_new_accreditation_changes_the_indicator_now_and_not_before(demo_store):
    before = compute(demo_store, "country", only=["qa-external"])[0]
    missing = items(demo_store, "qa-external", hit=False)
    assert missing
    mc = URIRef(missing[0]["item"])
    acc = URIRef(str(mc) + "#accreditation")
    graph = next(g for g in (GRAPH["demo/hr"], GRAPH["demo/nl"], GRAPH["demo/dk"])
                 if demo_store.ask(bind("ASK { GRAPH $g { $mc ?p ?o } }", {"g": g, "mc": mc})))
    agent = demo_store.select(bind("SELECT ?a WHERE { GRAPH $g { ?a a qf:QualityAssuranceAuthority } } LIMIT 1",
                                   {"g": graph}))[0]["a"]
    commit(demo_store, Changeset(str(graph), [
        (mc, ELM.accreditation, acc), (acc, RDF_TYPE, ELM.Accreditation), (acc, ELM.accreditingAgent, agent),
        (acc, URIRef("http://purl.org/dc/terms/title"), Literal("Accreditation", lang="en")),
        (acc, ELM.expiryDate, Literal("2099-12-31T00:00:00", datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime"))),
        (mc, QF.qualityAssurance, QF.ExternalQualityAssurance)], (), "officer", "accredit"))
    now = compute(demo_store, None, only=["qa-external"])[0]
    assert now.total.numerator == before.total.numerator + 1
    past = compute(demo_store, None, only=["qa-external"], as_of="2020-01-01")[0]
    assert (past.total.numerator, past.total.denominator) == (before.total.numerator, before.total.denominator)
    assert not any(i["item"] == str(mc) for i in items(demo_store, "qa-external", hit=True, as_of="2020-01-01"))


def test_as_of_a_date_before_an_expiry_counts_the_accreditation_valid(demo_store):
    expired_now = compute(demo_store, None, only=["qa-external"], as_of="2099-01-01")[0]
    assert expired_now.total.numerator == 0
    assert compute(demo_store, None, only=["qa-external"], as_of="2025-06-01")[0].total.numerator > 0


def test_a_bad_date_or_dimension_or_indicator_is_refused(demo_store):
    from qfgraph.graph.errors import InvalidInput, NotFound
    with pytest.raises(InvalidInput, match="not a date"):
        compute(demo_store, as_of="yesterday")
    with pytest.raises(InvalidInput, match="group by"):
        compute(demo_store, by="colour")
    with pytest.raises(NotFound, match="no indicator"):
        indicator("happiness")


def main_json(store, args) -> list:
    import io
    from contextlib import redirect_stdout
    path = store.path
    assert path is None
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["--store", ":memory:", "indicators", "--format", "json", *args]) == 0
    return json.loads(buf.getvalue())


def test_the_command_prints_a_table_csv_json_and_charts(tmp_path, capsys):
    data = tmp_path / "store"
    assert main(["--store", str(data), "demo"]) == 0
    capsys.readouterr()
    assert main(["--store", str(data), "indicators", "--country", "HRV", "--country", "NLD"]) == 0
    table = capsys.readouterr().out
    assert "HRV" in table and "NLD" in table and "DNK" not in table and "qa-external" in table
    assert main(["--store", str(data), "indicators", "--by", "level", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("indicator,area,by,group")
    assert main(["--store", str(data), "indicators", "--format", "json", "--as-of", "2025-01-01",
                 "--chart", str(tmp_path / "charts")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {o["id"] for o in out} == set(IDS) and all(o["asOf"] == "2025-01-01" for o in out)
    assert (tmp_path / "charts" / "profile.svg").exists()
    assert main(["--store", str(data), "indicators", "--country", "Croatia"]) == 1
    assert "not a country" in capsys.readouterr().err


def test_the_http_api_serves_indicators_items_and_charts(tmp_path):
    from http_support import demo_app
    client = demo_app(tmp_path).test_client()
    body = client.get("/api/v1/indicators?country=HRV&country=DNK&by=country").get_json()
    qa = next(i for i in body["items"] if i["id"] == "qa-external")
    assert {g["label"] for g in qa["groups"]} == {"HRV", "DNK"}
    assert qa["query"] == "docs/queries/indicators/qa-external.rq"
    assert client.get("/api/v1/indicators?format=csv").mimetype == "text/csv"
    gaps = client.get("/api/v1/indicators/qa-external/items?hit=false").get_json()["items"]
    assert gaps and not any(g["hit"] for g in gaps)
    svg = client.get("/api/v1/indicators/qa-external/chart.svg")
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True).startswith("<svg")
    missing = client.get("/api/v1/indicators/happiness/items")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert client.get("/api/v1/indicators?as-of=2025-13-45").status_code == 400
    spec = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/indicators", "/api/v1/indicators/{id}/items", "/api/v1/indicators/{id}/chart.svg"} <= set(spec)
    assert {p["name"] for p in spec["/api/v1/indicators"]["get"]["parameters"]} >= {"country", "by", "as-of", "format"}


def test_the_charts_are_svg_with_one_bar_per_country_titled_with_its_value(demo_store):
    import xml.etree.ElementTree as ET
    from qfgraph.graph.indicators.charts import bar_chart, profile_chart
    ns = {"svg": "http://www.w3.org/2000/svg"}
    outcomes = compute(demo_store, "country")
    for outcome in outcomes[:3]:
        root = ET.fromstring(bar_chart(outcome))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        titles = [t.text for t in root.iterfind(".//svg:g/svg:title", ns)]
        expected = [f"{g.label}: {'no data' if g.value is None else f'{100 * g.value:.0f}%'} "
                    f"({g.numerator}/{g.denominator})" for g in outcome.groups]
        assert titles == expected and len(titles) == 3
    assert bar_chart(outcomes[0]) == bar_chart(outcomes[0])    # stable output
    profile = ET.fromstring(profile_chart(outcomes))
    assert len(profile.findall(".//svg:g/svg:title", ns)) == 3 * len(outcomes)


def test_the_indicators_page_shows_the_real_demo_table_and_every_definition(demo_store):
    from pathlib import Path
    from qfgraph.graph.indicators.tables import table
    page = (Path(__file__).resolve().parents[1] / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert table(compute(demo_store, "country", as_of="2026-12-01")) in page
    for i in indicators():
        assert i.reading in page and f"(queries/indicators/{i.id}.rq)" in page


def test_the_same_values_on_every_store(any_demo_store, demo_store):
    """Embedded, Oxigraph server and Virtuoso run the same published files to the same counts."""
    def counts(store):
        return {o.indicator.id: as_counts(o) for o in compute(store, "country", as_of="2026-12-01")}
    assert counts(any_demo_store) == counts(demo_store)
