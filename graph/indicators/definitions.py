"""The indicators as published: one SPARQL file each, its definition in its header.

A header line `# key: text` gives the id, area, title, numerator, denominator and the
sentence an analyst reads (`reading`); the rest of the file is the query, which returns
one row per counted thing (?item, and ?part for pairs) with ?hit = 1 when it belongs to the
numerator, and the dimensions it is grouped by.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from qfgraph.graph.errors import NotFound

#: what the indicators can be grouped by: the query variable of each
DIMENSIONS = {"country": "country", "framework": "framework", "field": "field", "level": "level"}
#: the order of the areas the source document and the ETF study use
AREAS = ("skills anticipation", "employer involvement", "PES and guidance", "quality assurance",
         "qualifications frameworks", "validation (VNFIL)", "governance and coordination")
_HEADER = re.compile(r"^#\s*(\w+):\s*(.*)$")


@dataclass(frozen=True)
class Indicator:
    id: str
    area: str
    title: str
    numerator: str
    denominator: str
    reading: str
    query: str                                      # the file as published
    notes: dict = field(default_factory=dict)       # other header lines (current, valid, ...)

    @property
    def file(self) -> str:
        return f"docs/queries/indicators/{self.id}.rq"

    @property
    def body(self) -> str:
        """The query without its header of comments (some servers' clients misread a query
        that starts with a comment)."""
        return "\n".join(line for line in self.query.splitlines() if not _HEADER.match(line))

    @property
    def dimensions(self) -> set[str]:
        """The dimensions its query returns (a skills need has a region, not a level)."""
        select = self.query[self.query.index("SELECT"):self.query.index("WHERE")]
        return {d for d, var in DIMENSIONS.items() if f"?{var}" in select}


def _parse(text: str) -> Indicator:
    head = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if not m:
            break
        head[m.group(1)] = m.group(2)
    core = {k: head.pop(k) for k in ("id", "area", "title", "numerator", "denominator", "reading")}
    return Indicator(**core, query=text, notes=head)


@functools.cache
def indicators() -> tuple[Indicator, ...]:
    """Every indicator, in the order of the areas."""
    folder = resources.files("qfgraph.graph.indicators") / "queries"   # docs/queries/indicators
    found = [_parse(f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".rq")]
    return tuple(sorted(found, key=lambda i: (AREAS.index(i.area), i.id)))


def indicator(indicator_id: str) -> Indicator:
    for i in indicators():
        if i.id == indicator_id:
            return i
    raise NotFound(f"no indicator {indicator_id!r}; the indicators are: "
                   f"{', '.join(i.id for i in indicators())}")
