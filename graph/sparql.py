"""The one road by which values enter a SPARQL text: `bind` and `term`.

Queries of ours are written with `$name` placeholders; `bind` replaces each with the
N-Triples form of a term, after checking it. An IRI that could break out of `<...>` or a
literal that could break out of its quotes is refused, never spliced.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from qfgraph.graph.errors import InvalidInput
from qfgraph.ontology.namespaces import sparql_prefixes

# RFC 3987 IRIREF as SPARQL and N-Triples accept it: no spaces, controls or <>"{}|^`\
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_PLACEHOLDER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


class UnsafeTermError(InvalidInput):
    """A value that cannot be used as an RDF term in a query."""


def check_iri(value: str) -> str:
    """Return `value` if it is an absolute IRI that is safe inside `<...>`, else raise."""
    if not isinstance(value, str) or not value:
        raise UnsafeTermError("an IRI must be a non-empty string")
    bad = _IRI_FORBIDDEN.search(value)
    if bad:
        raise UnsafeTermError(f"not a valid IRI (character {bad.group()!r} is not allowed): {value!r}")
    if not _IRI_SCHEME.match(value):
        raise UnsafeTermError(f"not an absolute IRI (no scheme): {value!r}")
    return value


def caller_iri(value: str, what: str) -> str:
    """An IRI a caller gave (`what`: where: a parameter, a field), checked for safety and by
    the engine's own IRI parser; UnsafeTermError naming `what` else."""
    try:
        check_iri(value)
        ox.NamedNode(value)
        return value
    except (UnsafeTermError, ValueError) as e:
        raise UnsafeTermError(f"{what}: not a valid IRI: {e}") from None


def _escape_string(value: str) -> str:
    return (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


@lru_cache(maxsize=1 << 16)
def _iri_term(value: str) -> str:
    # checked once per IRI: a change of thousands of triples names the same few often
    return f"<{check_iri(value)}>"


def term(value: Node | str | int | float | bool) -> str:
    """The SPARQL / N-Triples text of one term. Plain `str` is taken as an IRI."""
    if type(value) is URIRef:   # the common case first: a change names thousands
        return _iri_term(value)
    if isinstance(value, BNode):
        raise UnsafeTermError("blank nodes cannot be bound into a query")
    if isinstance(value, URIRef) or (isinstance(value, str) and not isinstance(value, Literal)):
        return _iri_term(str(value))
    if isinstance(value, (bool, int, float)):
        value = Literal(value)
    if isinstance(value, Literal):
        text = f'"{_escape_string(str(value))}"'
        if value.language:
            if not _LANG.match(value.language):
                raise UnsafeTermError(f"not a valid language tag: {value.language!r}")
            return f"{text}@{value.language}"
        if value.datatype:
            return f"{text}^^{_iri_term(str(value.datatype))}"
        return text
    raise UnsafeTermError(f"cannot bind a {type(value).__name__}")


def terms(values: Iterable) -> str:
    """Several terms separated by spaces, for a VALUES block."""
    return " ".join(term(v) for v in values)


def bind(query: str, bindings: Mapping[str, object] | None = None, prefixes: bool = True) -> str:
    """Replace every `$name` in `query` with the checked term of `bindings[name]`.

    A value that is a list or tuple becomes a space-separated list of terms (for VALUES).
    """
    bindings = bindings or {}

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in bindings:
            raise KeyError(f"no value bound for ${name}")
        value = bindings[name]
        if isinstance(value, (list, tuple, set, frozenset)):
            return terms(value)
        return term(value)

    text = _PLACEHOLDER.sub(replace, query)
    return (sparql_prefixes() + text) if prefixes else text
