"""Compact JSON-LD with the EDC context, written directly from triples.

The EDC context is flat (one term per IRI, no scoped contexts), so compaction is a lookup:
each predicate becomes its term when the term's definition fits the value (an IRI for
`"@type": "@id"`, a language map for `"@container": "@language"`, the declared datatype);
anything else stays in expanded form. Much faster than a general JSON-LD processor on the
hundreds of thousands of triples of a national register.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import RDF, XSD


def _expand(value: str, prefixes: dict[str, str]) -> str:
    prefix, sep, local = value.partition(":")
    return prefixes[prefix] + local if sep and prefix in prefixes and not local.startswith("//") else value


@lru_cache(maxsize=4)
def _terms(context_json: str):
    context = json.loads(context_json)
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    classes, properties = {}, {}
    for term, definition in context.items():
        if isinstance(definition, str):
            classes[_expand(definition, prefixes)] = term
        elif isinstance(definition, dict) and "@id" in definition:
            iri = _expand(definition["@id"], prefixes)
            kind = definition.get("@type")
            properties[iri] = (term, definition.get("@container"),
                               kind if kind in (None, "@id", "@vocab") else _expand(kind, prefixes))
    return classes, properties


def _value(o, container, datatype):
    """(compact value, fits the term)."""
    if isinstance(o, URIRef):
        return (str(o), True) if datatype == "@id" else ({"@id": str(o)}, False)
    if o.language:
        return (str(o), True) if container == "@language" else ({"@value": str(o), "@language": o.language}, False)
    dt = str(o.datatype) if o.datatype else str(XSD.string)
    if datatype == dt or (datatype is None and dt == str(XSD.string) and container is None):
        return str(o), True
    return {"@value": str(o), "@type": dt}, False


def _order(value) -> str:
    return value if isinstance(value, str) else "\x00" + repr(sorted(value.items()))


def compact(triples, context: dict, context_url: str) -> dict:
    classes, properties = _terms(json.dumps(context, sort_keys=True))
    nodes: dict[str, dict] = defaultdict(dict)
    for s, p, o in triples:
        node = nodes[str(s)]
        if p == RDF.type:
            node.setdefault("@type", []).append(classes.get(str(o), str(o)))
            continue
        term, container, datatype = properties.get(str(p), (str(p), None, None))
        value, fits = _value(o, container, datatype)
        key = term if fits else str(p)
        if fits and container == "@language":
            node.setdefault(key, {}).setdefault(o.language, []).append(value)
        else:
            node.setdefault(key, []).append(value)
    graph = []
    for iri in sorted(nodes):
        node = {"@id": iri}
        for key, values in sorted(nodes[iri].items()):
            if isinstance(values, dict):       # language map
                node[key] = {lang: sorted(v)[0] if len(v) == 1 else sorted(v) for lang, v in sorted(values.items())}
            else:
                values = sorted(values, key=_order)
                node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    return {"@context": context_url, "@graph": graph}
