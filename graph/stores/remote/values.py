"""Values some servers store in another form: Virtuoso keeps xsd:duration as a number of
seconds, reads no ISO 8601 duration in an update, and answers with the number. qfgraph's own
reads get ISO 8601 again; /sparql passes the engine's text through."""
from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

XSD_DURATION = str(XSD.duration)


def _iso_duration(seconds: str) -> str | None:
    """Virtuoso stores xsd:duration as a number of seconds ("540000.0"); back to ISO 8601."""
    try:
        total = float(seconds)
    except ValueError:
        return None
    sign, total = ("-", -total) if total < 0 else ("", total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{int(hours)}H" if hours else "", f"{int(minutes)}M" if minutes else "",
             (f"{secs:g}S" if secs else "")]
    return f"{sign}PT{''.join(parts) or '0S'}"


def _duration_fixed(lexical: str, datatype: str | None) -> str:
    if datatype == XSD_DURATION and not lexical.lstrip("-").startswith("P"):
        return _iso_duration(lexical) or lexical
    return lexical


_DURATION_LITERAL = re.compile(r'(?<!\\)"(-?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"'
                               r'\^\^(<http://www\.w3\.org/2001/XMLSchema#duration>|xsd:duration)')


def seconds_durations(sparql: str) -> str:
    """Update text for Virtuoso, which cannot compile an ISO 8601 duration literal (it fails
    with 'No column PT...') but takes the number of seconds it stores anyway. Day-time
    durations only; one inside an escaped string (\\"...\\") is text and stays as it is."""
    def seconds(m: re.Match) -> str:
        sign, d, h, mi, sec = m.groups()[:5]
        total = int(d or 0) * 86400 + int(h or 0) * 3600 + int(mi or 0) * 60 + float(sec or 0)
        return f'"{sign}{float(total)!r}"^^{m.group(6)}'
    return _DURATION_LITERAL.sub(seconds, sparql)


def fix_durations(triples):
    """Graph results of Virtuoso, with its numeric durations written as ISO 8601 again."""
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and o.datatype.value == XSD_DURATION:
            fixed = _duration_fixed(o.value, XSD_DURATION)
            if fixed != o.value:
                t = ox.Triple(t.subject, t.predicate, ox.Literal(fixed, datatype=o.datatype))
        yield t


def json_term(value: dict, fix_durations: bool = False) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if value.get("xml:lang"):
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if not datatype or datatype == str(XSD.string):
        return Literal(value["value"])
    lexical = _duration_fixed(value["value"], datatype) if fix_durations else value["value"]
    return Literal(lexical, datatype=datatype)
