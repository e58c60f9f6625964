"""The Flask application factory: settings, store, routes, and what every request gets
(api/http/middleware.py)."""
from __future__ import annotations

import secrets
from dataclasses import fields
from pathlib import Path

from flask import Flask

from qfgraph.api.config import Settings
from qfgraph.api.http import middleware
from qfgraph.api.http.routes import BLUEPRINTS
from qfgraph.api.http.routes.linked_data import register_base_routes
from qfgraph.api.http.routes.sparql import read_fast_path
from qfgraph.api.tokens import TokenFile
from qfgraph.graph.querying.runners import runner_for
from qfgraph.graph.stores import open_store


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` holds Settings fields (`store`, `base`, `query_timeout`, ...;
    upper-case and `QFGRAPH_` spellings too) over `QFGRAPH_*` environment variables; other
    upper-case keys (TESTING, ...) go to Flask. `store` is an open graph.Store or a spec."""
    config = dict(config or {})
    settings = Settings.load({k: v for k, v in config.items() if _is_setting(k)})
    if not hasattr(settings.store, "select"):
        settings.store = open_store(settings.store)
    # the package: its templates/ folder is found from the name; no instance folder is used
    # (Flask cannot guess one for a package of a namespace mapped from another folder)
    app = Flask("qfgraph.api.http", instance_path=str(Path(__file__).parent / "instance"))
    app.config.update({k: v for k, v in config.items() if k.isupper() and not _is_setting(k)})
    app.config["STORE"] = settings.store
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    # the curator pages' session (a signed cookie, never readable by scripts): signed with the
    # configured secret, else one made for this server, so sessions end when it restarts
    app.secret_key = settings.secret_key or secrets.token_hex(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.json.sort_keys = False
    app.extensions["qfgraph.settings"] = settings
    app.extensions["qfgraph.tokens"] = TokenFile(settings.tokens_path())
    app.extensions["qfgraph.runner"] = runner_for(settings.store, settings.query_workers)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    register_base_routes(app, settings.base)
    middleware.install(app, settings)
    app.wsgi_app = read_fast_path(app)
    return app


def _is_setting(key: str) -> bool:
    name = key.lower().removeprefix("qfgraph_")
    return name in {f.name for f in fields(Settings)}
