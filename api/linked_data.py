"""Linked Data: an entity IRI under the configured base dereferences to a page for people
(HTML) or to its description for machines (Turtle, N-Triples, JSON-LD, RDF/XML), chosen by
`Accept` or `?format=`. `/resource?iri=` does the same for any IRI in the graph."""
from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, Response, render_template, url_for
from rdflib import URIRef

from qfgraph.api import context
from qfgraph.api.entities import describe, entity_json, id_of, user_iri
from qfgraph.api.negotiation import choose
from qfgraph.api.problems import Problem
from qfgraph.graph import bind
from qfgraph.ontology.namespaces import ELM, PREFIXES, QF

linked_data_blueprint = Blueprint("linked_data", __name__)

OFFERS = ["text/html", "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                  "application/rdf+xml": "xml"}


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
    user_iri(iri, "iri")
    chosen = choose(OFFERS)
    store = context.store()
    if chosen == "text/html":
        entity = describe(store, iri)
        data = entity_json(store, entity, context.settings().base)
        page = render_template("entity.html", e=data, entity=entity, iri=iri, label=_label(data, iri),
                               link=_link, short=_short, is_qualification=str(ELM.Qualification) in entity.types,
                               formats=[(name, url_for("linked_data.resource", iri=iri, format=name))
                                        for name in ("turtle", "ntriples", "jsonld", "rdfxml")],
                               api=_api_link(entity, iri))
        response = Response(page, mimetype="text/html")
    else:
        g = store.construct(bind("""
          CONSTRUCT { ?s ?p ?o } WHERE {
            { $iri ?p ?o BIND($iri AS ?s) }
            UNION { $iri ?link ?s . ?s ?p ?o FILTER(STRSTARTS(STR(?s), CONCAT(STR($iri), "#"))) }
          }""", {"iri": URIRef(iri)}))
        if not len(g):
            raise Problem(404, "Not Found", f"nothing is known about <{iri}>")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        fmt = RDFLIB_FORMATS[chosen]
        body = g.serialize(format=fmt, context=dict(PREFIXES)) if fmt == "json-ld" else g.serialize(format=fmt)
        response = Response(body, mimetype=chosen)
    response.vary.add("Accept")
    return response


def _label(data: dict, iri: str) -> str:
    titles = data.get("title") or {}
    return titles.get("en") or titles.get("") or next(iter(titles.values()), None) or iri


def _link(iri: str) -> str:
    return url_for("linked_data.resource", iri=iri)


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _api_link(entity, iri: str) -> str | None:
    base = context.settings().base
    if str(ELM.Qualification) in entity.types:
        return url_for("api_v1.qualification", id=id_of(iri, base))
    if str(QF.MicroCredential) in entity.types:
        return url_for("api_v1.micro_credential", id=id_of(iri, base))
    return None
