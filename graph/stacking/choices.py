"""What a person can choose from when asking for a path to one qualification: the
micro-credentials that count toward it (to tick as held), its units and outcomes (to claim
as prior learning, marked when its validation standard accepts them), and the languages,
forms of participation and countries those micro-credentials come in (the constraints worth
offering). Read from the same situation `find_paths` solves, so the form offers exactly what
the answer can use."""
from __future__ import annotations

from dataclasses import dataclass, field

from qfgraph.graph.stacking.cache import SituationCache
from qfgraph.graph.stacking.engine import load_situation, read_details
from qfgraph.graph.stacking.model import Learner
from qfgraph.graph.stacking.render import MODE_LABELS
from qfgraph.graph.stores import Store
from qfgraph.ontology.codelists import code_name


@dataclass(frozen=True)
class Choice:
    iri: str
    title: str
    note: str = ""          # ECTS of a micro-credential; "can be validated" for a claim


@dataclass
class Choices:
    target: str
    title: str
    micro_credentials: list[Choice] = field(default_factory=list)
    units: list[Choice] = field(default_factory=list)
    outcomes: list[Choice] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    modes: list[Choice] = field(default_factory=list)
    countries: list[Choice] = field(default_factory=list)


def choices(store: Store, target: str, cache: SituationCache | None = None) -> Choices:
    """The choices for `target` (raises UnknownEntity as find_paths does)."""
    learner = Learner()
    p = cache.situation(store, target, learner, load_situation) if cache else load_situation(store, target, learner)
    read_details(store, p, p.candidates)
    mcs = p.candidates.values()
    validatable = {i for s in p.standards for i in s.units | s.outcomes}

    def claim(iri: str) -> Choice:
        return Choice(iri, p.title_of(iri), "can be validated" if iri in validatable else "")

    by_title = lambda c: (c.title.lower(), c.iri)  # noqa: E731
    return Choices(
        target=target, title=p.title,
        micro_credentials=sorted((Choice(m.iri, m.title, f"{m.ects:g} ECTS" if m.ects is not None else "")
                                  for m in mcs), key=by_title),
        units=sorted((claim(u) for u in p.units), key=by_title),
        outcomes=sorted((claim(o) for o in p.outcomes), key=by_title),
        languages=sorted({lang.lower() for m in mcs for lang in m.languages}),
        modes=sorted((Choice(x, MODE_LABELS.get(x) or code_name(x) or x.rsplit("/", 1)[-1]) for x in {x for m in mcs for x in m.modes}),
                     key=by_title),
        countries=sorted((Choice(c, code_name(c) or c.rsplit("/", 1)[-1]) for c in {c for m in mcs for c in m.countries}),
                         key=by_title))
