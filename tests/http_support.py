"""Helpers of the HTTP tests: an app over a real store, and tokens in a real tokens file."""
from __future__ import annotations

from qfgraph import graph
from qfgraph.api.http.app import create_app
from qfgraph.api.tokens import TokenFile
from qfgraph.graph import EmbeddedStore
from qfgraph.ontology.namespaces import GRAPH

HR = str(GRAPH["demo/hr"])
NL = str(GRAPH["demo/nl"])
BASE = "https://w3id.org/qfgraph/id/"
WELDER = BASE + "hr/qualification/welder"


def demo_app(tmp_path, store=None, **settings):
    """An app over an in-memory demo store (or `store`), tokens file in `tmp_path`."""
    if store is None:
        store = EmbeddedStore(None)
        graph.install_demo(store)
    app = create_app({"store": store, "tokens_file": str(tmp_path / "tokens.json"), "TESTING": False,
                      **settings})
    return app


def tokens(app) -> TokenFile:
    return TokenFile(app.extensions["qfgraph.tokens"].path)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def triples_in(store, g: str) -> set:
    return {(r["s"], r["p"], r["o"]) for r in store.select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")}
