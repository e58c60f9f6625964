"""A qualification's page: its title, levels and their referencing, units with outcomes, the
requirement structure drawn as a tree, what stacks toward it (recognition agreements,
declared stacking), its validation standards, and the way to a path toward it."""
from __future__ import annotations

from qfgraph.api.http.routes.pages.entity import entity_page
from qfgraph.api.http.routes.pages.layout import pages_blueprint


@pages_blueprint.route("/qualifications/<path:id>")
def qualification(id):
    return entity_page("qualifications", id)
