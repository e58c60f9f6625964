"""Content negotiation: `?format=` first, else `Accept` with its q-values, else a default;
406 when the caller accepts none of what is offered."""
from __future__ import annotations

from functools import lru_cache

from flask import request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from qfgraph.api.http.problems import Problem
from qfgraph.graph.formats import FORMAT_NAMES as DATA_FORMAT_NAMES

# ?format= names for every media type we serve: the data formats, and pages for people
FORMAT_NAMES = {**DATA_FORMAT_NAMES, "html": "text/html"}


def choose(offers: list[str], default: str | None = None, param: str = "format") -> str:
    """The offer to answer this request with. `offers` are in order of preference on a tie."""
    named = request.values.get(param) or request.values.get("output")
    return negotiate(tuple(offers), request.headers.get("Accept", ""), named, default)


def negotiate(offers: tuple[str, ...], accept: str, named: str | None = None,
              default: str | None = None) -> str:
    """The offer for a `?format=` name, else for an Accept header; cached, since clients send
    the same few headers again and again (short ones: the cache stays small)."""
    if len(accept) <= 1024 and (named is None or len(named) <= 64):
        return _cached_negotiate(offers, accept, named, default)
    return _negotiate(offers, accept, named, default)


def _negotiate(offers: tuple[str, ...], accept: str, named: str | None, default: str | None) -> str:
    if named:
        wanted = FORMAT_NAMES.get(named.lower(), named.lower())
        if wanted in offers:
            return wanted
        if wanted == "application/sparql-results+json" and "application/ld+json" in offers:
            return "application/ld+json"  # ?format=json for a graph
        raise Problem(406, "Not Acceptable", f"format {named!r} is not offered here; use one of: "
                      f"{', '.join(_names(offers))}")
    parsed = parse_accept_header(accept, MIMEAccept)
    if not parsed or not accept.strip():
        return default or offers[0]
    best = parsed.best_match(offers)
    if best is None:
        raise Problem(406, "Not Acceptable", f"none of the accepted types ({accept}) "
                      f"is offered here; offered: {', '.join(offers)}")
    return best


_cached_negotiate = lru_cache(maxsize=256)(_negotiate)


def _names(offers: list[str]) -> list[str]:
    seen = []
    for name, media in FORMAT_NAMES.items():
        if media in offers and media not in [FORMAT_NAMES[s] for s in seen]:
            seen.append(name)
    return seen
