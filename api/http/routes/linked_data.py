"""Linked Data: an entity IRI under the configured base dereferences to a page for people
(HTML) or to its description for machines (Turtle, N-Triples, JSON-LD, RDF/XML), chosen by
`Accept` or `?format=`. `/resource?iri=` does the same for any IRI in the graph."""
from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, Response, render_template, url_for
from rdflib import URIRef

from qfgraph.api.http import context
from qfgraph.api.http.negotiation import choose
from qfgraph.api.http.problems import Problem
from qfgraph.api.http.routes.pages import page_of
from qfgraph.api.http.routes.pages.layout import language
from qfgraph.graph.catalogue import describe, entity_json, pick
from qfgraph.graph.errors import NotFound
from qfgraph.graph.formats import RDF_FORMATS, rdf_format_of_media
from qfgraph.graph.sparql import bind, caller_iri
from qfgraph.ontology.namespaces import PREFIXES, shorten

linked_data_blueprint = Blueprint("linked_data", __name__)

DESCRIPTION_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
OFFERS = ["text/html"] + [RDF_FORMATS[name].media_type for name in DESCRIPTION_FORMATS]


def route_prefixes(base: str) -> list[str]:
    """Local paths that stand for the base: its own path, and its last segment (`/id/`), for a
    deployment reached through a redirect such as w3id.org."""
    path = urlparse(base).path or "/"
    last = "/" + path.rstrip("/").rsplit("/", 1)[-1] + "/"
    return list(dict.fromkeys(p for p in (path, last) if p not in ("/", "//")))


def register_base_routes(app, base: str) -> None:
    for i, prefix in enumerate(route_prefixes(base)):
        app.add_url_rule(prefix + "<path:rest>", f"entity_{i}", entity_under_base)


def entity_under_base(rest: str):
    return present(context.settings().base + rest)


@linked_data_blueprint.route("/resource")
def resource():
    from flask import request
    iri = request.args.get("iri")
    if not iri:
        raise Problem(400, "Bad Request", "give the entity's IRI: /resource?iri=...")
    return present(iri)


def present(iri: str) -> Response:
    caller_iri(iri, "iri")
    chosen = choose(OFFERS)
    store = context.store()
    if chosen == "text/html":
        entity = describe(store, iri)
        own = page_of(store, iri, entity, context.settings().base)
        if own is not None:
            response = Response(own[0], status=own[1], mimetype="text/html")
        else:
            data = entity_json(store, entity, context.settings().base)
            page = render_template("entity.html", e=data, entity=entity, iri=iri, label=_label(data, iri),
                                   link=_link, short=_short, data=[iri],
                                   formats=[(name, url_for("linked_data.resource", iri=iri, format=name))
                                            for name in DESCRIPTION_FORMATS])
            response = Response(page, mimetype="text/html")
    else:
        g = store.construct(bind("""
          CONSTRUCT { ?s ?p ?o } WHERE {
            { $iri ?p ?o BIND($iri AS ?s) }
            UNION { $iri ?link ?s . ?s ?p ?o FILTER(STRSTARTS(STR(?s), CONCAT(STR($iri), "#"))) }
          }""", {"iri": URIRef(iri)}))
        if not len(g):
            raise NotFound(f"nothing is known about <{iri}>")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        fmt = rdf_format_of_media(chosen).rdflib_name
        body = g.serialize(format=fmt, context=dict(PREFIXES)) if fmt == "json-ld" else g.serialize(format=fmt)
        response = Response(body, mimetype=chosen)
    response.vary.add("Accept")
    return response


def _label(data: dict, iri: str) -> str:
    return pick(data.get("title") or {}, language()) or iri


def _link(iri: str) -> str:
    return url_for("linked_data.resource", iri=iri)


def _short(iri: str) -> str:
    return shorten(iri, unknown="{}")

