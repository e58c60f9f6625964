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


def problem_cache():
    """The app's one stacking ProblemCache: repeat pathway lookups skip reading the problem
    until a write (every write through the service, or `qfgraph load`, bumps a graph version)."""
    cache = current_app.extensions.get("qfgraph.problems")
    if cache is None:
        from qfgraph.graph.stacking import ProblemCache
        cache = current_app.extensions.setdefault("qfgraph.problems", ProblemCache())
    return cache


def store_changed() -> None:
    """Call after every write through the service: query workers reopen the store, and
    cached listing orders are recomputed."""
    runner().invalidate()
    current_app.extensions["qfgraph.generation"] = generation() + 1


def generation() -> int:
    """How many writes this service has made: a version stamp for caches."""
    return current_app.extensions.get("qfgraph.generation", 0)
