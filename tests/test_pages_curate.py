"""/curate, the curator pages, through the Flask test client: the token entered once and kept
in the session (never in a URL), CSRF on every form, uploads checked first and written only
when clean, the report grouped by rule, history, diff and revert; every bad input answered
on the page with nothing changed."""
from __future__ import annotations

import html as entities
import io
import re
import zipfile
from pathlib import Path

import pytest

from qfgraph.graph.formats import RDF_FORMATS
from qfgraph.graph.imports import write_templates
from tests.http_support import HR, demo_app, tokens, triples_in

DATA = Path(__file__).parent / "data"
ALT = b"""<https://w3id.org/qfgraph/id/hr/mc/mag-welding-plates> <http://purl.org/dc/terms/alternative> "MAG plates"@en ."""
BARE_MC = b"""@prefix qf: <https://w3id.org/qfgraph#> . @prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/qfgraph/id/hr/mc/new-one> a qf:MicroCredential ; dcterms:title "Brazing basics"@en ."""


@pytest.fixture
def app(tmp_path):
    return demo_app(tmp_path, max_request_bytes=200_000)


@pytest.fixture
def token(app):
    return tokens(app).create("hr-office", "curator", [HR])


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


class Curator:
    """A browser session on the curator pages: follows the forms' CSRF tokens, asks for pages
    as a browser does."""

    def __init__(self, client):
        self.client, self.csrf = client, None
        self.get("/curate")

    def _read(self, r):
        found = re.search(r'name="csrf" value="([^"]+)"', r.get_data(as_text=True))
        if found:
            self.csrf = found.group(1)
        return r

    def get(self, url, **kw):
        return self._read(self.client.get(url, headers=BROWSER, **kw))

    def post(self, url, data=None, csrf=True, **kw):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf", self.csrf)
        return self._read(self.client.post(url, data=data, headers=BROWSER, **kw))

    def sign_in(self, token):
        r = self.post("/curate/sign-in", {"token": token})
        self.get("/curate")
        return r

    def upload(self, name, data, graph=HR, kind="auto", **more):
        return self.post("/curate/upload", {"graph": graph, "kind": kind, "file": (io.BytesIO(data), name), **more},
                         content_type="multipart/form-data")


def words(html: str) -> str:
    return entities.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def alert(html: str) -> str:
    m = re.search(r'role="alert">(.*?)</(div|p)>', html, re.S)
    return words(m.group(1)).strip() if m else ""


def dump(app) -> bytes:
    return app.config["STORE"].export(RDF_FORMATS["nquads"])


@pytest.fixture
def curator(app, token):
    c = Curator(app.test_client())
    assert c.sign_in(token).status_code == 303
    return c


def test_signing_in_keeps_the_token_in_the_session_and_never_in_a_url(app, token):
    c = Curator(app.test_client())
    first = c.get("/curate").get_data(as_text=True)
    assert 'type="password" id="token" name="token"' in first and 'method="post"' in first
    r = c.sign_in(token)
    assert r.status_code == 303 and token not in r.headers["Location"]
    page = c.get("/curate").get_data(as_text=True)
    assert "Signed in as hr-office" in words(page) and token not in page
    assert all(token not in href for href in re.findall(r'(?:href|action)="([^"]+)"', page))
    cookie = c.client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_a_wrong_token_is_said_and_signs_nobody_in(app):
    c = Curator(app.test_client())
    r = c.post("/curate/sign-in", {"token": "not-a-token"})
    assert r.status_code == 401 and "not valid or has been revoked" in alert(r.get_data(as_text=True))
    assert "Signed in as" not in c.get("/curate").get_data(as_text=True)


def test_a_revoked_token_signs_the_session_out(app, token, curator):
    tokens(app).revoke("hr-office")
    r = curator.upload("alt.nt", ALT)
    assert r.status_code == 401 and "sign in with your curator token first" in alert(r.get_data(as_text=True))


def test_forms_without_the_sessions_csrf_token_are_refused(app, token, curator):
    before = dump(app)
    for data in ({}, {"csrf": "forged"}):
        r = curator.post("/curate/upload", {**data, "graph": HR, "file": (io.BytesIO(ALT), "alt.nt")},
                         csrf=False, content_type="multipart/form-data")
        assert r.status_code == 400 and "CSRF token does not match" in alert(r.get_data(as_text=True))
    fresh = Curator(app.test_client())
    r = fresh.post("/curate/sign-in", {"token": token, "csrf": "forged"}, csrf=False)
    assert r.status_code == 400 and "Signed in as" not in fresh.get("/curate").get_data(as_text=True)
    assert dump(app) == before


def test_pages_need_a_signed_in_curator(app):
    c = Curator(app.test_client())
    for r in (c.get(f"/curate/history?graph={HR}"), c.get("/curate/changeset?iri=https://x.org/c")):
        assert r.status_code == 401 and 'name="token"' in r.get_data(as_text=True)


def test_a_clean_rdf_file_is_checked_then_written(app, curator):
    before = dump(app)
    r = curator.upload("alt.nt", ALT)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "The file is clean: nothing written yet" in words(html)
    assert dump(app) == before                           # the dry run wrote nothing
    key = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    r = curator.post("/curate/commit", {"upload": key})
    assert r.status_code == 201 and f"Written to {HR}" in words(r.get_data(as_text=True))
    assert b"MAG plates" in dump(app)
    again = curator.post("/curate/commit", {"upload": key})   # a pending upload is written once
    assert again.status_code == 404 and "no longer waiting" in alert(again.get_data(as_text=True))


def test_a_violation_is_reported_by_rule_with_the_entrys_title_and_nothing_is_offered(app, curator):
    before = dump(app)
    r = curator.upload("new.ttl", BARE_MC)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    rules = [words(h) for h in re.findall(r'<h3 id="rule-\d+">(.*?)</h3>', html, re.S)]
    assert any("Violation micro-credential has a notional workload in ECTS" in h for h in rules)
    assert "Brazing basics" in html and 'name="upload"' not in html
    assert "Nothing was written" in words(html)
    assert dump(app) == before


def test_csv_templates_as_a_zip(app, curator, tmp_path):
    write_templates(tmp_path / "t")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for p in (tmp_path / "t").glob("*.csv"):
            z.writestr(f"register/{p.name}", p.read_bytes())
    r = curator.upload("register.zip", buffer.getvalue())
    html = r.get_data(as_text=True)
    assert r.status_code == 200, alert(html)
    assert "1 micro-credentials" in words(html)
    key = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    assert curator.post("/curate/commit", {"upload": key}).status_code == 201


def test_a_bad_csv_row_is_reported_with_file_row_and_column(app, curator, tmp_path):
    write_templates(tmp_path / "t")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for p in (tmp_path / "t").glob("*.csv"):
            data = p.read_bytes()
            z.writestr(p.name, data.replace(b",10,", b",ten,") if p.name == "units.csv" else data)
    before = dump(app)
    html = curator.upload("register.zip", buffer.getvalue()).get_data(as_text=True)
    row = re.search(r"<tr><td>units\.csv</td><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", html)
    assert row and row.group(2) and "ten" in entities.unescape(row.group(3))
    assert dump(app) == before


def test_an_open_badge_document(app, curator):
    r = curator.upload("badge.json", (DATA / "ob3-safety-badge.json").read_bytes())
    assert "badge" in words(r.get_data(as_text=True))
    assert r.status_code in (200, 422)


@pytest.mark.parametrize("name, data, words_", [
    ("broken.ttl", b"<a> <b> .", "broken.ttl: not valid turtle"),
    ("broken.zip", b"PK\x03\x04 not a zip", "broken.zip: not a readable zip file"),
    ("notes.txt", b"hello", "cannot tell the RDF format from the extension '.txt'"),
    ("empty.ttl", b"", "empty.ttl: the file is empty"),
    ("blank.ttl", b"# nothing\n", "blank.ttl: holds no triples"),
])
def test_a_malformed_file_is_said_on_the_page_and_changes_nothing(app, curator, name, data, words_):
    before = dump(app)
    r = curator.upload(name, data)
    assert r.status_code == 400 and words_ in alert(r.get_data(as_text=True))
    assert dump(app) == before


def test_an_oversize_upload_is_refused_with_a_page(app, curator):
    before = dump(app)
    r = curator.upload("big.nt", ALT + b"\n" + b"#" * 300_000)
    assert r.status_code == 413 and r.mimetype == "text/html"
    assert "200000" in alert(r.get_data(as_text=True))
    assert dump(app) == before


def test_a_zip_that_unpacks_too_big_is_refused(app, curator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("units.csv", b"0" * 5_000_000)
    r = curator.upload("bomb.zip", buffer.getvalue())
    assert r.status_code == 400 and "unpacks to more than 4000000 bytes" in alert(r.get_data(as_text=True))


def test_a_graph_outside_the_token_or_unknown_is_said(app, curator):
    before = dump(app)
    other = "https://w3id.org/qfgraph/graph/demo/nl"
    r = curator.upload("alt.nt", ALT, graph=other)
    assert r.status_code == 403 and "may not write to the graph" in alert(r.get_data(as_text=True))
    r = curator.get("/curate/history", query_string={"graph": "https://w3id.org/qfgraph/graph/none"})
    assert r.status_code == 404 and "no named graph" in alert(r.get_data(as_text=True))
    r = curator.get("/curate/changeset", query_string={"iri": "https://w3id.org/qfgraph/changeset/none"})
    assert r.status_code == 404 and "no changeset" in alert(r.get_data(as_text=True))
    assert dump(app) == before


def test_history_diff_and_revert(app, curator):
    html = curator.upload("alt.nt", ALT).get_data(as_text=True)
    key = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    curator.post("/curate/commit", {"upload": key, "message": "alt title"})
    history = curator.get("/curate/history", query_string={"graph": HR}).get_data(as_text=True)
    assert "upload of alt.nt" in history and "hr-office" in history
    link = entities.unescape(re.search(r'href="(/curate/changeset\?iri=[^"]+)"', history).group(1))
    diff = curator.get(link).get_data(as_text=True)
    assert '+ &lt;https://w3id.org/qfgraph/id/hr/mc/mag-welding-plates&gt; dcterms:alternative "MAG plates"@en .' in diff \
        or "dcterms:alternative" in entities.unescape(diff)
    iri = re.search(r'name="changeset" value="([^"]+)"', diff).group(1)
    r = curator.post("/curate/revert", {"changeset": iri})
    assert r.status_code == 201 and "Reverted" in r.get_data(as_text=True)
    assert not [t for t in triples_in(app.config["STORE"], HR) if "MAG plates" in t[2]]
    again = curator.post("/curate/revert", {"changeset": iri})    # the diff is gone: it refuses
    assert again.status_code in (404, 409) and alert(again.get_data(as_text=True))
