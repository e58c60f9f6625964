"""HTTP: POST /api/v1/imports answers with the import report (curators only; nothing written
on any problem); GET /api/v1/export gives ELM, Turtle or JSON-LD."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Dataset, Graph

from qfgraph.graph.imports import write_templates
from qfgraph.graph.imports.jsonld import load_json, parse_jsonld
from qfgraph.graph.formats import RDF_FORMATS
from http_support import bearer, demo_app, tokens

G = "https://w3id.org/qfgraph/graph/authority-hr"
ROOT = Path(__file__).resolve().parents[1]
QDR_SHAPES = ROOT / "ontology" / "reference" / "qdr"
SAMPLE = ROOT / "tests" / "data" / "Sample-MC-Annex1-unsigned.jsonld"
BADGE = Path(__file__).parent / "data" / "ob3-safety-badge.json"


@pytest.fixture
def app(tmp_path):
    return demo_app(tmp_path)


@pytest.fixture
def curator(app):
    return bearer(tokens(app).create("hr-office", "curator", [G]))


def dump(app) -> bytes:
    return app.config["STORE"].export(RDF_FORMATS["nquads"])


def template_upload(tmp_path, spoil=None) -> dict:
    write_templates(tmp_path / "t")
    files = {p.name: p.read_bytes() for p in (tmp_path / "t").glob("*.csv")}
    if spoil:
        spoil(files)
    return {"files": [(io.BytesIO(data), name) for name, data in files.items()]}


def test_a_curator_imports_csv_templates(app, curator, tmp_path):
    r = app.test_client().post(f"/api/v1/imports?graph={G}", headers=curator,
                               data=template_upload(tmp_path), content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["written"] and r.get_json()["counts"]["micro-credentials"] == 1


def test_a_bad_csv_is_answered_with_the_report_and_nothing_written(app, curator, tmp_path):
    def spoil(files):
        files["units.csv"] = files["units.csv"].replace(b",10,", b",ten,")
    before = dump(app)
    r = app.test_client().post(f"/api/v1/imports?graph={G}", headers=curator,
                               data=template_upload(tmp_path, spoil), content_type="multipart/form-data")
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    (problem,) = r.get_json()["report"]["problems"]
    assert (problem["file"], problem["row"], problem["column"]) == ("units.csv", 2, "ects")
    assert dump(app) == before


def test_anonymous_and_foreign_graph_imports_are_refused(app, curator, tmp_path):
    client = app.test_client()
    before = dump(app)
    assert client.post(f"/api/v1/imports?graph={G}", data=template_upload(tmp_path),
                       content_type="multipart/form-data").status_code == 401
    assert client.post("/api/v1/imports?graph=https://w3id.org/qfgraph/graph/demo/nl", headers=curator,
                       data=template_upload(tmp_path), content_type="multipart/form-data").status_code == 403
    assert dump(app) == before


def test_a_badge_and_an_elm_document_as_json_bodies(app, curator):
    client = app.test_client()
    defaults = "&default=assessment_type=portfolio&default=quality_assurance=internal&default=mode=online"
    r = client.post(f"/api/v1/imports?graph={G}{defaults}", headers=curator, data=BADGE.read_bytes(),
                    content_type="application/json")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["counts"]["micro-credentials"] == 1
    sample = SAMPLE.read_bytes()
    r = client.post(f"/api/v1/imports?graph={G}&format=elm", headers=curator, data=sample,
                    content_type="application/ld+json")
    assert r.status_code == 422      # the one Annex I element the sample does not carry
    assert "no type of quality assurance" in r.get_json()["report"]["shapes_report"]
    r = client.post(f"/api/v1/imports?graph={G}&format=elm&default=quality_assurance=internal", headers=curator,
                    data=sample, content_type="application/ld+json")
    assert r.status_code == 201 and r.get_json()["counts"]["micro-credentials"] == 1


def test_export_elm_conforms_and_turtle_and_jsonld_parse(app):
    client = app.test_client()
    r = client.get("/api/v1/export?format=elm")
    assert r.status_code == 200 and r.headers["X-Skipped-Records"] == "0"
    shapes = Graph().parse(QDR_SHAPES / "LOQ-constraints.ttl").parse(QDR_SHAPES / "LOQ-constraints-mdr.ttl")
    conforms, _, text = validate(parse_jsonld(load_json(r.data, "export"), "export"), shacl_graph=shapes,
                                 inference="none")
    assert conforms, text
    hr = "https://w3id.org/qfgraph/graph/demo/hr"
    turtle = client.get(f"/api/v1/export?format=turtle&graph={hr}")
    assert turtle.mimetype == "text/turtle" and len(Graph().parse(data=turtle.data, format="turtle")) > 500
    quads = Dataset().parse(data=client.get("/api/v1/export?format=jsonld").data, format="json-ld").quads()
    assert len({q[3] for q in quads}) >= 5          # every named graph, with its name
    assert client.get("/api/v1/export?format=elm&graph=https://w3id.org/qfgraph/graph/none").status_code == 404
    assert client.get("/api/v1/export?format=csv").status_code == 400
