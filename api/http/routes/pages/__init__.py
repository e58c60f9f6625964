"""The pages for people, one module per page area, all on one blueprint (layout.py) and one
layout (templates/base.html): home, search and the lists, the frameworks and their
comparison, a qualification, a micro-credential, the stacking-path explorer, the SPARQL page, the curator pages."""
from qfgraph.api.http.routes.pages import (  # noqa: F401
    curate, frameworks, home, lists, micro_credential, paths, qualification, query,
)
from qfgraph.api.http.routes.pages.layout import pages_blueprint  # noqa: F401
