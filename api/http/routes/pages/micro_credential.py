"""A micro-credential's page: every element of the EU standard (Annex I of the Council
Recommendation), its quality assurance and accreditation, what it stacks toward, the skills
needs it answers and its ESCO skills."""
from __future__ import annotations

from qfgraph.api.http.routes.pages.entity import entity_page
from qfgraph.api.http.routes.pages.layout import pages_blueprint


@pages_blueprint.route("/micro-credentials/<path:id>")
def micro_credential(id):
    return entity_page("micro-credentials", id)
