"""JSON-LD parsing with the contexts served from the package: no network at run time.

A document's remote contexts are replaced by the bundled copies before rdflib sees it; a
context the package does not hold is refused with its URL, never fetched.
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib import Graph

_LEXICAL = threading.Lock()

DATA = Path(__file__).resolve().parent.parent / "data"
CONTEXT_FILES = {
    "http://data.europa.eu/snb/model/context/edc-ap": "edc-ap-context.jsonld",
    "https://www.w3.org/2018/credentials/v1": "credentials-v1-context.jsonld",
}


class JsonLdError(ValueError):
    """A document that is not JSON, or names a context the package does not hold."""


@lru_cache(maxsize=None)
def bundled_context(url: str):
    key = url.rstrip("/").replace("https://data.europa.eu", "http://data.europa.eu")
    key = key.replace("http://www.w3.org", "https://www.w3.org")
    name = CONTEXT_FILES.get(key)
    if name is None:
        return None
    return json.loads((DATA / name).read_text(encoding="utf-8"))["@context"]


def inline_contexts(node, source: str):
    """A copy of the document with every remote context replaced by its bundled content."""
    if isinstance(node, list):
        return [inline_contexts(n, source) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        out[key] = _context(value, source) if key == "@context" else inline_contexts(value, source)
    return out


def _context(value, source: str):
    if isinstance(value, list):
        return [_context(v, source) for v in value]
    if isinstance(value, str):
        found = bundled_context(value)
        if found is None:
            raise JsonLdError(f"{source}: the JSON-LD context {value} is not bundled with qfgraph "
                              "and is not fetched from the network")
        return found
    if isinstance(value, dict):
        return {k: (_context(v, source) if k == "@import" else inline_contexts(v, source))
                for k, v in value.items()}
    return value


@contextmanager
def lexical_forms():
    """Keep literals as written while rdflib builds them ("PT60H" stays PT60H, not rdflib's
    normalised P2DT12H): registers and Europass compare the text."""
    with _LEXICAL:
        saved, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
        try:
            yield
        finally:
            rdflib.NORMALIZE_LITERALS = saved


def load_json(data: bytes | str, source: str):
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        where = f" at line {e.lineno}, column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
        raise JsonLdError(f"{source}: not valid JSON{where}: {getattr(e, 'msg', e)}") from None


def parse_jsonld(document, source: str) -> Graph:
    """The RDF of a JSON-LD document (parsed JSON), its contexts served locally."""
    if not isinstance(document, (dict, list)):
        raise JsonLdError(f"{source}: a JSON-LD document is an object or an array")
    graph = Graph()
    text = json.dumps(inline_contexts(document, source))
    try:
        with lexical_forms():
            graph.parse(data=text, format="json-ld")
    except Exception as e:  # rdflib raises assorted errors for malformed JSON-LD
        raise JsonLdError(f"{source}: not valid JSON-LD: {e}") from None
    return graph
