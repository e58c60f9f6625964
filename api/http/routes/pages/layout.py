"""What every page shares: the blueprint, the navigation, the reader's language (`?lang=`,
else Accept-Language, else English), the links from a page to its data (the IRI, Turtle,
JSON-LD) and the page addresses of entities. Templates extend templates/base.html."""
from __future__ import annotations

import re

from flask import Blueprint, g, render_template, request, url_for

from qfgraph.api.http import context
from qfgraph.graph.catalogue import id_of
from qfgraph.graph.errors import InvalidInput
from qfgraph.ontology.namespaces import ELM, QF

pages_blueprint = Blueprint("pages", __name__)

# (href, label): the pages of the site, in the order of the navigation
NAVIGATION = [("/", "Home"), ("/micro-credentials", "Micro-credentials"), ("/qualifications", "Qualifications"),
              ("/frameworks", "Frameworks"), ("/paths", "Path explorer"), ("/query", "SPARQL"),
              ("/curate", "Curate")]

# The official languages of the EU, named in themselves: the language switch offers these;
# data without a label in the chosen one shows English, else any.
LANGUAGES = {"bg": "български", "cs": "čeština", "da": "dansk", "de": "Deutsch", "el": "ελληνικά",
             "en": "English", "es": "español", "et": "eesti", "fi": "suomi", "fr": "français",
             "ga": "Gaeilge", "hr": "hrvatski", "hu": "magyar", "it": "italiano", "lt": "lietuvių",
             "lv": "latviešu", "mt": "Malti", "nl": "Nederlands", "pl": "polski", "pt": "português",
             "ro": "română", "sk": "slovenčina", "sl": "slovenščina", "sv": "svenska"}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

# entity class -> the page endpoint that shows it
PAGE_OF_TYPE = {str(ELM.Qualification): "pages.qualification", str(QF.MicroCredential): "pages.micro_credential"}


def language() -> str:
    """The reader's language: a valid `?lang=`, else the best of Accept-Language, else en."""
    if "lang" not in g:
        given = request.args.get("lang")
        if given and LANGUAGE_TAG.match(given):
            g.lang = given.lower()
        else:
            g.lang = request.accept_languages.best_match(list(LANGUAGES), default="en")
    return g.lang


@pages_blueprint.before_request
def check_language():
    given = request.args.get("lang")
    if given is not None and not LANGUAGE_TAG.match(given):
        raise InvalidInput(f"parameter 'lang': {given[:40]!r} is not a language tag; use one such as "
                           "en, hr or nl")


def page_url(iri: str, types=()) -> str:
    """The page of an entity: its own page for a qualification or micro-credential, else the
    Linked Data page."""
    for t in types:
        if str(t) in PAGE_OF_TYPE:
            return url_for(PAGE_OF_TYPE[str(t)], id=id_of(iri, context.settings().base))
    return url_for("linked_data.resource", iri=iri)


def data_links(iri: str) -> list[tuple[str, str]]:
    """(name, href) of the machine-readable descriptions of `iri`."""
    return [(name, url_for("linked_data.resource", iri=iri, format=fmt))
            for name, fmt in (("Turtle", "turtle"), ("JSON-LD", "jsonld"))]


def with_lang(**args) -> str:
    """This page's address with other query arguments (None drops one), language kept."""
    merged = request.args.to_dict(flat=False)
    for k, v in args.items():
        if v is None:
            merged.pop(k, None)
        else:
            merged[k] = v if isinstance(v, list) else [v]
    return url_for(request.endpoint, **(request.view_args or {}), **merged)


@pages_blueprint.app_context_processor
def layout_context() -> dict:
    """Given to every template of the app (entity pages and error pages too)."""
    return {"navigation": NAVIGATION, "languages": LANGUAGES, "lang": language(), "data_links": data_links,
            "page_url": page_url, "current_path": request.path}


def render_page(template: str, data: list[str] = (), alternates: list[tuple[str, str]] = (),
                status: int = 200, **values):
    """A page; `data`: the IRIs it shows (the footer links to their descriptions),
    `alternates`: (name, href) of the same content for machines (JSON of /api/v1)."""
    return render_template(template, data=list(data), alternates=list(alternates), **values), status
