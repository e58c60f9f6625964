"""`/query`: the SPARQL page for researchers. An editor (CodeMirror 6 with its SPARQL mode,
static/sparql-editor.js, built once from tools/sparql-editor; without script a plain text
area) with the example queries of docs/queries to pick from; the results as a table, and
links to download them as CSV or JSON from /sparql.

The page answers through `answer_query`, the very function behind /sparql (the same checks:
SERVICE and LOAD refused, the timeout, the result limit), so it can reach no other endpoint.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import request, url_for

from qfgraph.api.http import context
from qfgraph.api.http.problems import Problem
from qfgraph.api.http.routes.pages.common import page_error
from qfgraph.api.http.routes.pages.layout import pages_blueprint, render_page
from qfgraph.api.http.routes.sparql import answer_query
from qfgraph.graph.errors import GraphError, InvalidInput
from qfgraph.ontology.namespaces import shorten

# copies of docs/queries/*.rq, installed with the package (tests/test_pages_query.py keeps them equal)
EXAMPLES = Path(__file__).resolve().parents[2] / "queries"
SHOWN_ROWS = 1000
MAX_QUERY_CHARS = 100_000
JSON = "application/sparql-results+json"
# datatypes a reader sees from the value itself: not noted beside it
PLAIN_TYPES = {"xsd:string", "xsd:integer", "xsd:decimal", "xsd:double", "xsd:boolean"}


@lru_cache(maxsize=1)
def examples() -> dict[str, dict]:
    """name -> {title, text}: the title is the query's opening comment."""
    out = {}
    for path in sorted(EXAMPLES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comment = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("# ").strip())
        out[path.stem] = {"title": " ".join(comment).rstrip(".") or path.stem, "text": text}
    return out


@pages_blueprint.route("/query", methods=["GET", "POST"])
def query_page():
    chosen = request.values.get("example", "")
    text = request.values.get("query", "")
    page = {"examples": examples(), "chosen": chosen, "error": None, "results": None}
    status = 200
    if chosen and not text:
        if chosen not in page["examples"]:
            status, page["error"] = 404, f"no example query named {chosen!r}; pick one from the list"
        else:
            text = page["examples"][chosen]["text"]
    page["text"] = text
    if text.strip() and request.values.get("do") == "run":
        try:
            page["results"] = run(text)
            page["downloads"] = {name: url_for("sparql.sparql", query=text, format=name)
                                 for name in ("csv", "json", "turtle")}
        except (GraphError, Problem) as e:   # a Problem: the protocol's own refusals (SERVICE, LOAD)
            status, page["error"] = page_error(e)
    return render_page("query.html", status=status, **page,
                       example_texts={k: v["text"] for k, v in page["examples"].items()})


def run(text: str) -> dict:
    """The answer as the page shows it: a table of terms, a boolean, or RDF text."""
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(f"the query has {len(text)} characters; this page takes at most {MAX_QUERY_CHARS}")
    media, body = answer_query(text, [], [], f"{JSON}, text/turtle;q=0.9", None, context.settings(),
                               context.runner())
    if media != JSON:
        return {"rdf": body.decode("utf-8"), "media": media}
    data = json.loads(body)
    if "boolean" in data:
        return {"boolean": data["boolean"]}
    names = data["head"]["vars"]
    bindings = data["results"]["bindings"]
    rows = [[cell(b.get(v)) for v in names] for b in bindings[:SHOWN_ROWS]]
    return {"vars": names, "rows": rows, "total": len(bindings)}


def cell(term: dict | None) -> dict | None:
    """A result term for the table: IRIs shortened and linked, literals with their tag."""
    if term is None:
        return None
    if term["type"] == "uri":
        return {"text": shorten(term["value"], unknown="{}"), "href": url_for("linked_data.resource",
                                                                              iri=term["value"]),
                "title": term["value"]}
    if term["type"] == "bnode":
        return {"text": "_:" + term["value"]}
    note = term.get("xml:lang") or (shorten(term["datatype"], unknown="{}") if "datatype" in term else "")
    return {"text": term["value"], "note": "" if note in PLAIN_TYPES else note}
