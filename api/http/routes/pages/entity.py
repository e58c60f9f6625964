"""What the pages of one entity share: the entity read by the catalogue (404 when it is not
of the kind the page shows), its title in the reader's language."""
from __future__ import annotations

from flask import render_template

from qfgraph.api.http import context
from qfgraph.api.http.routes.pages.layout import language
from qfgraph.graph.catalogue import KINDS, describe, entity_json, iri_of, pick
from qfgraph.graph.errors import NotFound


def read(kind: str, id: str):
    """(iri, entity, its JSON form) of a qualification or micro-credential."""
    base = context.settings().base
    iri = iri_of(id, base)
    entity = describe(context.store(), iri)
    if str(KINDS[kind]) not in entity.types:
        raise NotFound(f"<{iri}> is not one of the {kind}")
    return iri, entity, entity_json(context.store(), entity, base)


def title(data: dict, iri: str) -> str:
    return pick(data.get("title") or {}, language()) or iri


def other_titles(data: dict) -> list[tuple[str, str]]:
    """(language, title) of the titles other than the one shown."""
    shown = title(data, data["iri"])
    return sorted((lang, text) for lang, text in (data.get("title") or {}).items() if text != shown)


def entity_page(kind: str, id: str):
    iri, entity, data = read(kind, id)
    return render_template("entity.html", e=data, entity=entity, iri=iri, label=title(data, iri), data=[iri])
