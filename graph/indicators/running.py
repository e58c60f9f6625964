"""Running the published indicator queries on the published union of a store and counting
their rows: per group, the things counted (denominator), those with ?hit (numerator) and
the share; an empty denominator is no data (value None), never a division."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from rdflib import Literal

from qfgraph.graph.errors import InvalidInput
from qfgraph.graph.indicators.definitions import DIMENSIONS, Indicator, indicator, indicators
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import Store

ALL = "(all)"
NONE = "(none)"


@dataclass
class Group:
    key: str | None           # the IRI (or code) of the group; None: the things without one
    label: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The share, or None ("no data") when there is nothing to count."""
        return self.numerator / self.denominator if self.denominator else None

    def as_json(self) -> dict:
        return {"group": self.key, "label": self.label, "numerator": self.numerator,
                "denominator": self.denominator, "value": self.value}


@dataclass
class Outcome:
    indicator: Indicator
    by: str
    as_of: str
    groups: list[Group]
    total: Group
    rows: list[dict] = field(default_factory=list, repr=False)

    def as_json(self) -> dict:
        i = self.indicator
        return {"id": i.id, "area": i.area, "title": i.title, "numerator": i.numerator,
                "denominator": i.denominator, "reading": i.reading, "query": i.file,
                "by": self.by, "asOf": self.as_of, "total": self.total.as_json(),
                "groups": [g.as_json() for g in self.groups]}


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def day(value: str | date | None) -> str:
    """An ISO date (YYYY-MM-DD), checked; today when None."""
    if value is None:
        return today()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidInput(f"not a date (YYYY-MM-DD): {value!r}") from None


def label(dimension: str | None, key: str | None) -> str:
    if dimension is None:
        return ALL
    if key is None:
        return NONE
    return key.rstrip("/").rsplit("/", 1)[-1]


def rows_of(store: Store, ind: Indicator, on: str) -> list[dict]:
    """The query's rows on `store` for the day `on`, as plain strings (hit as a bool)."""
    out = []
    for r in store.select(bind(ind.body, {"asOf": Literal(on)}, prefixes=False)):
        row = {k: str(v) for k, v in r.items() if k != "hit"}
        row["hit"] = "hit" in r and str(r["hit"]) in ("1", "true")
        out.append(row)
    return out


def count(ind: Indicator, rows: list[dict], by: str | None) -> tuple[list[Group], Group]:
    """Distinct things counted per group and in total (a thing in two groups counts in both)."""
    dimension = by if by in ind.dimensions else None
    var = DIMENSIONS.get(dimension)
    den: dict = {}
    num: dict = {}
    for r in rows:
        thing = (r["item"], r.get("part"))
        g = r.get(var) if var else ALL
        den.setdefault(g, set()).add(thing)
        if r["hit"]:
            num.setdefault(g, set()).add(thing)
    all_things = {(r["item"], r.get("part")) for r in rows}
    all_hits = {(r["item"], r.get("part")) for r in rows if r["hit"]}
    groups = [Group(None if g == ALL and var is None else g, label(dimension, None if g == ALL else g),
                    len(num.get(g, ())), len(den[g]))
              for g in sorted(den, key=lambda g: (g is None, str(g)))]
    return groups, Group(None, ALL, len(all_hits), len(all_things))


def _select(rows: list[dict], countries: list[str] | None) -> list[dict]:
    if not countries:
        return rows
    wanted = set(countries)
    return [r for r in rows if r.get("country") in wanted]


def compute(store: Store, by: str = "country", countries: list[str] | None = None,
            as_of: str | date | None = None, only: list[str] | None = None) -> list[Outcome]:
    """Every indicator (or those of `only`), grouped `by` a dimension (or None: totals only),
    for the countries given (IRIs; all when None), now or as the graph stood at `as_of`."""
    if by is not None and by not in DIMENSIONS:
        raise InvalidInput(f"cannot group by {by!r}: choose one of {', '.join(DIMENSIONS)}")
    on = day(as_of)
    chosen = [indicator(i) for i in only] if only else list(indicators())
    with _graph_on(store, as_of) as source:
        outcomes = []
        for ind in chosen:
            rows = _select(rows_of(source, ind, on), countries)
            groups, total = count(ind, rows, by)
            outcomes.append(Outcome(ind, by, on, groups, total, rows))
    return outcomes


def items(store: Store, indicator_id: str, hit: bool | None = None, countries: list[str] | None = None,
          as_of: str | date | None = None) -> list[dict]:
    """The concrete things behind a value: each counted thing with its groups and whether it
    is in the numerator (hit=False: only those that are not, e.g. the gap list)."""
    ind = indicator(indicator_id)
    with _graph_on(store, as_of) as source:
        rows = _select(rows_of(source, ind, day(as_of)), countries)
    merged: dict = {}
    for r in rows:
        entry = merged.setdefault((r["item"], r.get("part")), {"item": r["item"], "hit": r["hit"]})
        if r.get("part"):
            entry["part"] = r["part"]
        for k, v in r.items():
            if k not in ("item", "part", "hit"):
                entry.setdefault(k, set()).add(v)
    out = []
    for entry in merged.values():
        if hit is None or entry["hit"] == hit:
            out.append({k: sorted(v) if isinstance(v, set) else v for k, v in entry.items()})
    return sorted(out, key=lambda e: (e["item"], e.get("part", "")))


def _graph_on(store: Store, as_of):
    from qfgraph.graph.indicators.asof import graph_on
    return graph_on(store, as_of)


def countries_of(codes: list[str] | None) -> list[str] | None:
    """ISO 3166 alpha-3 codes (or country IRIs) as the EU country IRIs."""
    from qfgraph.ontology.namespaces import COUNTRY
    if not codes:
        return None
    out = []
    for c in codes:
        if c.startswith(("http://", "https://")):
            out.append(c)
        elif len(c) == 3 and c.isalpha():
            out.append(str(COUNTRY[c.upper()]))
        else:
            raise InvalidInput(f"not a country: {c!r} (an ISO 3166 alpha-3 code such as HRV, or an IRI)")
    return out

