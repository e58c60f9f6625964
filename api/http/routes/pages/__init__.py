"""Pages for people: server-rendered templates over the functions the JSON API calls."""
from qfgraph.api.http.routes.pages.paths import paths_blueprint

PAGE_BLUEPRINTS = (paths_blueprint,)
