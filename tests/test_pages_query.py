"""/query, the SPARQL page, through the Flask test client: the example queries to pick from,
results as a table, downloads from /sparql, and every refusal said on the page."""
from __future__ import annotations

import csv
import html as entities
import io
import re
from pathlib import Path

import pytest

from qfgraph.api.http.routes.pages.query import EXAMPLES, examples
from tests.http_support import demo_app

ROOT = Path(__file__).resolve().parents[1]
FIRST = "01-micro-credentials-by-eqf-level-and-country"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return demo_app(tmp_path_factory.mktemp("query")).test_client()


def alert(html: str) -> str:
    m = re.search(r'role="alert">(.*?)</div>', html, re.S)
    return entities.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1)))).strip() if m else ""


def table(html: str) -> tuple[list[str], list[list[str]]]:
    t = re.search(r'<table class="results-table">(.*?)</table>', html, re.S).group(1)
    head = re.findall(r'<th scope="col">([^<]*)</th>', t)
    rows = [[entities.unescape(re.sub(r"<small.*?</small>|<[^>]+>", "", c)).strip()
             for c in re.findall(r"<td>(.*?)</td>", r, re.S)] for r in re.findall(r"<tr>(.*?)</tr>", t, re.S)[1:]]
    return head, rows


def test_the_packaged_examples_are_those_of_the_docs():
    docs = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "queries").glob("*.rq")}
    packaged = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.rq")}
    assert packaged == docs and docs


def test_the_page_offers_every_example_by_its_title(client):
    html = client.get("/query").get_data(as_text=True)
    offered = re.findall(r'<option value="(\d\d-[^"]+)"', html)
    assert offered == sorted(examples())
    assert "Micro-credentials per issuer country and EQF level, with their total ECTS workload" in html
    assert 'src="/static/sparql-editor.js"' in html and '<textarea id="query" name="query"' in html


def test_opening_an_example_fills_the_editor_without_script(client):
    html = client.get("/query", query_string={"example": FIRST}).get_data(as_text=True)
    text = entities.unescape(re.search(r'<textarea[^>]*>(.*?)</textarea>', html, re.S).group(1))
    assert text == (ROOT / "docs" / "queries" / f"{FIRST}.rq").read_text(encoding="utf-8")


def test_running_an_example_gives_the_table_of_the_docs(client):
    html = client.post("/query", data={"example": FIRST, "do": "run"}).get_data(as_text=True)
    head, rows = table(html)
    assert head == ["country", "eqf", "microCredentials", "ects"]
    assert rows[0] == ["DNK", "3", "6", "8.5"]       # as docs/queries.md shows it
    assert "9 rows" in html


def test_iris_are_shortened_and_linked_to_their_page(client):
    html = client.post("/query", data={"query": "SELECT ?q WHERE { ?q a <http://data.europa.eu/snb/model/elm/Qualification> } "
                                                "ORDER BY ?q LIMIT 1", "do": "run"}).get_data(as_text=True)
    link = re.search(r'<a href="(/resource\?iri=[^"]+)" title="([^"]+)">', html)
    assert link and link.group(2).startswith("https://w3id.org/qfgraph/id/")


def test_downloads_come_from_the_sparql_endpoint(client):
    html = client.post("/query", data={"example": FIRST, "do": "run"}).get_data(as_text=True)
    links = {m.group(2): entities.unescape(m.group(1))
             for m in re.finditer(r'<a href="([^"]+)" download="results\.(\w+)">', html)}
    assert set(links) == {"csv", "json"} and all(h.startswith("/sparql?query=") for h in links.values())
    got = client.get(links["csv"])
    assert got.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(got.get_data(as_text=True))))
    assert rows[0] == ["country", "eqf", "microCredentials", "ects"] and len(rows) == 10
    body = client.get(links["json"]).get_json()
    assert len(body["results"]["bindings"]) == 9


def test_ask_and_construct(client):
    html = client.post("/query", data={"query": "ASK { ?s a <https://w3id.org/qfgraph#MicroCredential> }",
                                       "do": "run"}).get_data(as_text=True)
    assert "The answer is yes (true)" in re.sub(r"<[^>]+>", "", html)
    html = client.post("/query", data={"query": "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 2",
                                       "do": "run"}).get_data(as_text=True)
    assert '<pre class="rdf">' in html and 'download="results.ttl"' in html


@pytest.mark.parametrize("query, status, words", [
    ("SELECT * WHERE { ?s ?p }", 400, "error at 1:"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403, "SERVICE (federated query) is disabled"),
    ("SELECT * WHERE { ?s ?p ?o " + " " * 100_001 + "}", 400, "at most 100000"),
])
def test_a_refused_query_is_said_on_the_page(client, query, status, words):
    r = client.post("/query", data={"query": query, "do": "run"})
    html = r.get_data(as_text=True)
    assert r.status_code == status and r.mimetype == "text/html"
    assert words in alert(html)
    assert "results-table" not in html
    assert entities.unescape(re.search(r'<textarea[^>]*>(.*?)</textarea>', html, re.S).group(1)).startswith(query[:20])


def test_an_unknown_example_is_said_on_the_page(client):
    r = client.get("/query", query_string={"example": "99-nothing"})
    assert r.status_code == 404 and "no example query named '99-nothing'" in alert(r.get_data(as_text=True))


def test_the_examples_in_the_script_cannot_close_it(client):
    html = client.get("/query").get_data(as_text=True)
    script = html[html.rindex("<script>"):]
    assert script.count("</script>") == 1
