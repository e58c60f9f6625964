"""The home page: what the graph holds, one search box (answered by /search, lists.py) and
the way to every page."""
from __future__ import annotations

from flask import url_for

from qfgraph.api.http import context
from qfgraph.api.http.routes.pages.layout import pages_blueprint, render_page
from qfgraph.graph.catalogue import choices
from qfgraph.ontology.codelists import code_name
from qfgraph.ontology.namespaces import COUNTRY


@pages_blueprint.route("/")
def home():
    held = choices(context.store(), context.generation())
    countries = [(c, code_name(COUNTRY[c]) or c) for c in held["overview"]["countries"]]
    return render_page("pages/home.html", counts=held["overview"]["counts"], countries=countries,
                       frameworks=held["frameworks"],
                       alternates=[("frameworks (JSON)", url_for("api_v1.list_frameworks")),
                                   ("SPARQL service description", "/sparql")])

