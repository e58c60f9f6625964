"""The lists: micro-credentials and qualifications with the filters of /api/v1 (read and
checked by the same parameter declarations, answered by the same catalogue listing), in
pages of 20 with a cursor; and the search of the home page over both."""
from __future__ import annotations

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from qfgraph.api.http import context
from qfgraph.api.http.openapi import query_args
from qfgraph.api.http.problems import Problem
from qfgraph.api.http.routes.pages.layout import language, pages_blueprint, render_page
from qfgraph.api.http.routes.params import LIST_PARAMS
from qfgraph.graph.catalogue import KINDS, choices, id_of, labels, listing
from qfgraph.graph.errors import InvalidInput, NotFound
from qfgraph.ontology.codelists import code_name
from qfgraph.ontology.namespaces import COUNTRY

TITLES = {"micro-credentials": "Micro-credentials", "qualifications": "Qualifications"}
SORT_NAMES = {"title": "title (A to Z)", "-title": "title (Z to A)", "eqf": "EQF level (low to high)",
              "-eqf": "EQF level (high to low)"}
SEARCH_ROWS = 5


def rows(kind: str, **filters) -> tuple[list[dict], str | None]:
    """A page of the listing, titles in the reader's language, each row with its page."""
    store = context.store()
    items, cursor = listing(store, kind, generation=context.generation(), q_outcomes=True, **filters)
    titles = labels(store, [i["iri"] for i in items], language())
    for item in items:
        item["title"] = titles.get(item["iri"], item["title"])
        item["countryName"] = code_name(COUNTRY[item["country"]]) if item["country"] else None
        item["href"] = url_for("pages.qualification" if kind == "qualifications" else "pages.micro_credential",
                               id=_id(item["iri"]))
    return items, cursor


def _id(iri: str) -> str:
    return id_of(iri, context.settings().base)


def search_rows(kind: str, q: str) -> tuple[list[dict], bool]:
    items, cursor = rows(kind, q=q, limit=SEARCH_ROWS)
    return items, cursor is not None


def filter_options() -> dict:
    """The choices of the filter form: frameworks, their levels, countries."""
    held = choices(context.store(), context.generation())
    return {"frameworks": held["frameworks"],
            "nqf_levels": [(fw, held["levels"][fw["iri"]]) for fw in held["frameworks"] if fw["iri"] in held["levels"]],
            "countries": [(c, code_name(COUNTRY[c]) or c) for c in held["overview"]["countries"]],
            "sorts": SORT_NAMES}


def list_page(kind: str):
    """The filter form, a page of rows, links to the first and next pages. A wrong filter
    value is said above the form kept as given (400); the form's empty choices mean any."""
    given = MultiDict([(k, v) for k, v in request.args.items(multi=True) if v.strip()])
    error, status, items, cursor = None, 200, [], None
    try:
        items, cursor = rows(kind, **query_args(LIST_PARAMS, given))
    except (Problem, InvalidInput, NotFound) as e:
        error, status = getattr(e, "detail", None) or str(e), 404 if isinstance(e, NotFound) else 400
    endpoint = request.endpoint
    kept = {k: given.getlist(k) for k in given if k != "cursor"}
    api_args = {k: v for k, v in kept.items() if k != "lang"}
    return render_page(
        "pages/list.html", status=status, kind=kind, title=TITLES[kind], items=items,
        error=error, args=given, options=filter_options(), data=[str(KINDS[kind])],
        first_url=url_for(endpoint, **kept) if "cursor" in given else None,
        next_url=url_for(endpoint, **kept, cursor=cursor) if cursor else None,
        alternates=[("JSON", url_for(f"api_v1.list_{kind.replace('-', '_')}", **api_args))])


@pages_blueprint.route("/micro-credentials")
def micro_credentials():
    return list_page("micro-credentials")


@pages_blueprint.route("/qualifications")
def qualifications():
    return list_page("qualifications")


@pages_blueprint.route("/search")
def search():
    """Both lists for one text, a few rows each, with the way to the full lists."""
    q = (request.args.get("q") or "").strip()
    if len(q) > 200:
        raise InvalidInput("the search text is longer than 200 characters; shorten it")
    sections = [(kind, TITLES[kind], *search_rows(kind, q)) for kind in TITLES] if q else []
    return render_page("pages/search.html", q=q, sections=sections)
