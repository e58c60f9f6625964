"""Who may write: tokens from the CLI, every write route without a token, with a revoked
one, with one for another graph; and SPARQL update smuggling. Nothing is written when refused."""
from __future__ import annotations

import json

import pytest

from qfgraph.api.cli import main
from tests.http_support import HR, NL, WELDER, bearer, demo_app, tokens, triples_in

ALT = "http://purl.org/dc/terms/alternative"
ADD = f'<{WELDER}> <{ALT}> "W"@en .'


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_token_cli_shows_the_secret_once_and_stores_only_its_hash(tmp_path, capsys):
    path = str(tmp_path / "tokens.json")
    code, out, err = cli(capsys, "token", "create", "--name", "hr-agency", "--role", "curator",
                         "--graph", HR, "--tokens", path)
    secret = out.strip()
    assert code == 0 and secret.startswith("qfg_") and len(secret) > 40
    stored = open(path).read()
    assert secret not in stored and "hr-agency" in stored
    assert json.loads(stored)["tokens"][0]["graphs"] == [HR]
    code, out, _ = cli(capsys, "token", "list", "--tokens", path)
    assert code == 0 and "hr-agency\tcurator\tactive" in out and secret not in out
    code, out, _ = cli(capsys, "token", "revoke", "hr-agency", "--tokens", path)
    assert code == 0
    code, out, _ = cli(capsys, "token", "list", "--tokens", path)
    assert "revoked" in out


def test_tokens_file_defaults_to_the_store_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("QFGRAPH_TOKENS", raising=False)
    store = tmp_path / "store"
    code, _, _ = cli(capsys, "--store", str(store), "token", "create", "--name", "a", "--role", "admin")
    assert code == 0 and (store / "tokens.json").is_file()


@pytest.mark.parametrize("args, message", [
    (["--name", "x", "--role", "curator"], "at least one --graph"),
    (["--name", "x", "--role", "curator", "--graph", "not an iri"], "IRI"),
    (["--name", "bad name!", "--role", "admin"], "token name"),
    (["--name", "x", "--role", "king"], "king"),
])
def test_token_create_refuses_bad_input_and_writes_nothing(tmp_path, capsys, args, message):
    path = tmp_path / "tokens.json"
    code, out, err = cli(capsys, "token", "create", *args, "--tokens", str(path))
    assert code != 0 and message in err and not path.exists()


def test_duplicate_name_and_unknown_revoke_are_refused(tmp_path, capsys):
    path = str(tmp_path / "tokens.json")
    cli(capsys, "token", "create", "--name", "a", "--role", "admin", "--tokens", path)
    before = open(path).read()
    code, _, err = cli(capsys, "token", "create", "--name", "a", "--role", "admin", "--tokens", path)
    assert code != 0 and "exists" in err and open(path).read() == before
    code, _, err = cli(capsys, "token", "revoke", "nobody", "--tokens", path)
    assert code != 0 and "nobody" in err


# ---------------------------------------------------------------------------------------
# every write route

@pytest.fixture
def service(tmp_path):
    app = demo_app(tmp_path)
    t = tokens(app)
    hr = t.create("hr-agency", "curator", [HR])
    nl = t.create("nl-agency", "curator", [NL])
    gone = t.create("former", "curator", [HR])
    t.revoke("former")
    client = app.test_client()
    # one committed changeset, to have something to revert
    r = client.post("/api/v1/changesets", json={"graph": HR, "add": ADD}, headers=bearer(hr))
    assert r.status_code == 201
    return app, client, {"hr": hr, "nl": nl, "revoked": gone}, r.get_json()["changeset"]


def write_requests(changeset):
    return {
        "changeset": lambda c, h: c.post("/api/v1/changesets", headers=h, json={
            "graph": HR, "add": f'<{WELDER}> <{ALT}> "X"@en .'}),
        "revert": lambda c, h: c.post("/api/v1/changesets/revert", headers=h, query_string={"changeset": changeset}),
        "update (form)": lambda c, h: c.post("/sparql", headers=h, data={
            "update": f'INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <{ALT}> "X"@en }} }}'}),
        "update (direct)": lambda c, h: c.post("/sparql", headers=h, content_type="application/sparql-update",
                                               data=f'INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <{ALT}> "X"@en }} }}'),
    }


ROUTES = ["changeset", "revert", "update (form)", "update (direct)"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who, status", [("anonymous", 401), ("malformed", 401), ("unknown", 401),
                                         ("revoked", 401), ("other graph", 403)])
def test_write_routes_refuse_and_write_nothing(service, route, who, status):
    app, client, secrets, changeset = service
    headers = {"anonymous": {}, "malformed": {"Authorization": "Basic abc"},
               "unknown": bearer("qfg_" + "x" * 43), "revoked": bearer(secrets["revoked"]),
               "other graph": bearer(secrets["nl"])}[who]
    before = triples_in(app.config["STORE"], HR)
    r = write_requests(changeset)[route](client, headers)
    assert r.status_code == status, r.get_data(as_text=True)
    assert r.mimetype == "application/problem+json" and r.get_json()["detail"]
    if status == 401:
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    else:
        assert HR in r.get_json()["detail"]  # says which graph was refused
    assert triples_in(app.config["STORE"], HR) == before


@pytest.mark.parametrize("route", ROUTES)
def test_the_right_token_may_write(service, route):
    app, client, secrets, changeset = service
    r = write_requests(changeset)[route](client, bearer(secrets["hr"]))
    assert r.status_code in (200, 201), r.get_data(as_text=True)


def test_admin_may_write_any_graph(service):
    app, client, _, _ = service
    admin = tokens(app).create("root", "admin", [])
    r = client.post("/sparql", headers=bearer(admin), data={
        "update": f'INSERT DATA {{ GRAPH <{NL}> {{ <{WELDER}> <{ALT}> "NL view"@en }} }}'})
    assert r.status_code == 200, r.get_data(as_text=True)


def test_revocation_reaches_a_running_app(service, capsys):
    app, client, secrets, _ = service
    path = app.extensions["qfgraph.tokens"].path
    assert cli(capsys, "token", "revoke", "hr-agency", "--tokens", path)[0] == 0
    r = write_requests("x")["changeset"](client, bearer(secrets["hr"]))
    assert r.status_code == 401


# ---------------------------------------------------------------------------------------
# smuggling a write through /sparql

@pytest.mark.parametrize("method, params", [
    ("get", {"query": f'INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <{ALT}> "X"@en }} }}'}),
    ("post", {"query": f'INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <{ALT}> "X"@en }} }}'}),
    ("get", {"update": f'INSERT DATA {{ GRAPH <{HR}> {{ <{WELDER}> <{ALT}> "X"@en }} }}'}),
    ("get", {"query": f"LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <{HR}>"}),
    ("get", {"query": "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <a:b> <a:c> <a:d> }"}),
])
def test_no_write_through_the_query_side(service, method, params):
    app, client, secrets, _ = service
    before = triples_in(app.config["STORE"], HR)
    call = client.get if method == "get" else client.post
    r = call("/sparql", query_string=params) if method == "get" else call("/sparql", data=params)
    assert r.status_code in (400, 403)  # not a query (syntax), or LOAD refused outright
    assert triples_in(app.config["STORE"], HR) == before


@pytest.mark.parametrize("update", [
    f"LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <{HR}>",
    f"load silent <http://127.0.0.1:9/data.ttl> into graph <{HR}>",
    f"INSERT {{ GRAPH <{HR}> {{ ?s <{ALT}> ?o }} }} WHERE {{ SERVICE <http://127.0.0.1:9/sparql> {{ ?s ?p ?o }} }}",
    f"INSERT {{ GRAPH <{HR}> {{ ?s <{ALT}> ?o }} }} WHERE {{ ?s ?p ?o .SERVICE <http://127.0.0.1:9/sparql> {{ ?s ?p ?o }} }}",
    f"PREFIX ex: <http://127.0.0.1:9/> INSERT {{ GRAPH <{HR}> {{ ?s <{ALT}> ?o }} }} WHERE {{ ?s ?p ?o . SERVICEex:s {{ ?s ?p ?o }} }}",
    f"PREFIX ex: <http://127.0.0.1:9/> LOADex:data.ttl INTO GRAPH <{HR}>",
])
def test_load_and_service_are_refused_even_for_a_curator(service, update):
    app, client, secrets, _ = service
    before = triples_in(app.config["STORE"], HR)
    r = client.post("/sparql", data={"update": update}, headers=bearer(secrets["hr"]))
    assert r.status_code == 403 and ("LOAD" in r.get_json()["detail"] or "SERVICE" in r.get_json()["detail"])
    assert triples_in(app.config["STORE"], HR) == before


def test_update_writing_a_graph_of_another_curator_via_with_is_403(service):
    app, client, secrets, _ = service
    before = triples_in(app.config["STORE"], NL)
    r = client.post("/sparql", headers=bearer(secrets["hr"]), data={
        "update": f"WITH <{NL}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"})
    assert r.status_code == 403
    assert triples_in(app.config["STORE"], NL) == before
