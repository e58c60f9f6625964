"""What a request handler needs of the running app: the store, settings, runner, tokens."""
from __future__ import annotations

from flask import current_app

from qfgraph.api.config import Settings


def store():
    return current_app.config["STORE"]


def settings() -> Settings:
    return current_app.extensions["qfgraph.settings"]


def runner():
    return current_app.extensions["qfgraph.runner"]


def situation_cache():
    """The app's one stacking SituationCache: repeat pathway lookups skip reading the
    situation until a write (every write through the service, or `qfgraph load`, bumps a
    graph version). Stacking is imported here, on the first pathway request (or by the
    server's warm-up thread): networkx and numpy take 0.2 s that start-up need not pay."""
    cache = current_app.extensions.get("qfgraph.situations")
    if cache is None:
        from qfgraph.graph.stacking.cache import SituationCache
        cache = current_app.extensions.setdefault("qfgraph.situations", SituationCache())
    return cache


def store_changed() -> None:
    """Call after every write through the service: query workers reopen the store, and
    cached listing orders are recomputed."""
    runner().invalidate()
    current_app.extensions["qfgraph.generation"] = generation() + 1


def generation() -> int:
    """How many writes this service has made: a version stamp for caches."""
    return current_app.extensions.get("qfgraph.generation", 0)
