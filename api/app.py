"""The Flask application factory."""
from __future__ import annotations

from flask import Flask

from api.sparql_endpoint import sparql_blueprint


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config["STORE"]` is an open `graph.Store` (or a store spec string)."""
    app = Flask("qfgraph")
    app.config.update(config or {})
    if not hasattr(app.config.get("STORE"), "select"):
        from graph import open_store
        app.config["STORE"] = open_store(app.config.get("STORE"))
    app.register_blueprint(sparql_blueprint)
    return app
