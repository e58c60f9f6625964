"""What a stacking-path question is made of: the learner, the constraints, and the target
qualification with its units, outcomes, requirement structure, candidate micro-credentials,
recognition agreements and validation standards, as read from the graph."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from qfgraph.graph.errors import Conflict, InvalidInput, NotFound
from qfgraph.graph.sparql import UnsafeTermError, check_iri

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class UnknownEntity(NotFound):
    """An IRI given as input that the graph does not know (or knows as something else)."""

    def __init__(self, iri: str, message: str | None = None):
        super().__init__(message or f"unknown IRI: <{iri}> is not in the graph")
        self.iri = iri


class PrerequisiteCycle(Conflict):
    """Micro-credentials whose prerequisites form a cycle: none of them could be taken first."""

    def __init__(self, cycle: list[str]):
        shown = " -> ".join(f"<{m}>" for m in cycle + cycle[:1])
        super().__init__(f"prerequisite cycle in the data: {shown} "
                         "(each requires the next; none can be taken first)")
        self.cycle = cycle


def _iris(values, what: str) -> list[str]:
    out = []
    for v in values or []:
        try:
            out.append(check_iri(str(v)))
        except UnsafeTermError as e:
            raise UnsafeTermError(f"{what}: {e}") from None
    return list(dict.fromkeys(out))


@dataclass
class Learner:
    """What a learner brings: credentials held (micro-credentials, units, qualifications, or
    outcomes) and prior learning claimed for validation (units or outcomes)."""
    held: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.held = _iris(self.held, "held")
        self.claims = _iris(self.claims, "claim")


@dataclass
class Constraints:
    """Filters on the micro-credentials a path may use, and a cap on its total ECTS."""
    max_ects: float | None = None
    languages: list[str] | None = None
    modes: list[str] | None = None
    countries: list[str] | None = None
    providers: list[str] | None = None
    external_qa_only: bool = False

    def __post_init__(self):
        if self.max_ects is not None and (self.max_ects != self.max_ects or self.max_ects < 0):
            raise InvalidInput(f"max_ects must be a number >= 0, not {self.max_ects!r}")
        for code in self.languages or []:
            if not isinstance(code, str) or not _LANGUAGE.match(code):
                raise InvalidInput(f"not a language code (BCP 47, e.g. 'hr', 'en'): {code!r}")
        self.languages = [c.lower() for c in self.languages] if self.languages else None
        self.modes = _iris(self.modes, "mode") or None
        self.countries = _iris(self.countries, "country") or None
        self.providers = _iris(self.providers, "provider") or None

    @property
    def filters(self) -> bool:
        """Whether these constraints look at a micro-credential's details (not only ECTS)."""
        return bool(self.languages or self.modes or self.countries or self.providers or self.external_qa_only)

    def exclusions(self, mc: "MicroCredential") -> list[str]:
        """Why `mc` is excluded by these constraints (empty when it is allowed)."""
        why = []
        if self.languages and not {l.lower() for l in mc.languages} & set(self.languages):
            why.append(f"language {', '.join(mc.languages)} not in {', '.join(self.languages)}"
                       if mc.languages else "language not stated")
        if self.modes and not set(mc.modes) & set(self.modes):
            why.append("form of participation not among those allowed" if mc.modes
                       else "form of participation not stated")
        if self.countries and not set(mc.countries) & set(self.countries):
            why.append("country not among those allowed" if mc.countries else "country not stated")
        if self.providers and not set(mc.providers) & set(self.providers):
            why.append("provider not among those allowed")
        if self.external_qa_only and not mc.external_qa:
            why.append("not externally quality-assured")
        return why

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)}


@dataclass(frozen=True)
class MicroCredential:
    iri: str
    title: str
    ects: float | None
    providers: tuple[str, ...] = ()
    provider_titles: tuple[str, ...] = ()
    eqf_level: int | None = None
    languages: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    external_qa: bool = False
    hours: float | None = None
    outcomes: frozenset[str] = frozenset()
    prerequisites: frozenset[str] = frozenset()
    detailed: bool = False  # providers, languages, modes, countries, QA and hours read


@dataclass(frozen=True)
class Unit:
    iri: str
    title: str
    ects: float
    outcomes: frozenset[str]


@dataclass(frozen=True)
class Requirement:
    """One node of a requirement structure: kind is one of REQUIREMENT_KINDS: 'all-of', 'choice-of' or 'minimum-credits'."""
    iri: str
    kind: str
    components: tuple[str, ...]
    count: int = 0
    credits: float = 0.0


@dataclass(frozen=True)
class Standard:
    """A validation standard of the target: what may be validated, up to `cap` ECTS."""
    iri: str
    title: str
    share: float
    cap: float
    units: frozenset[str]
    outcomes: frozenset[str]
    authority: str | None = None
    authority_title: str | None = None
    methods: tuple[str, ...] = ()


@dataclass
class Situation:
    """Everything the solver needs about one target and one learner."""
    target: str
    title: str
    ects: float
    eqf_level: int | None
    root: str
    requirements: dict[str, Requirement]
    units: dict[str, Unit]               # units named in the structure, and all units of the target
    outcomes: frozenset[str]             # outcomes named in the structure or of those units
    titles: dict[str, str]
    equivalents: dict[str, frozenset[str]]
    candidates: dict[str, MicroCredential]   # not held; before constraints
    recognitions: dict[str, frozenset[str]]  # unit -> micro-credentials recognised as it
    standards: list[Standard]
    held_credentials: frozenset[str]     # held, parts of held qualifications, recognised units
    held_outcomes: frozenset[str]        # outcomes of what is held
    held_via: dict[str, tuple[str, str]]  # item -> ("held" | "recognised", credential)
    claims: frozenset[str]
    weights: dict[str, float]            # share of the target's credits per unit / outcome

    def title_of(self, iri: str) -> str:
        return self.titles.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def equivalent(self, outcome: str) -> frozenset[str]:
        return self.equivalents.get(outcome, frozenset())

    def outcome_held(self, outcome: str) -> bool:
        return outcome in self.held_outcomes or bool(self.equivalent(outcome) & self.held_outcomes)

    def covers(self, mc: MicroCredential, outcome: str) -> bool:
        """A micro-credential covers an outcome it has, or one declared equivalent to it."""
        return mc.iri in self.coverers(outcome)

    def coverers(self, outcome: str) -> frozenset[str]:
        """The candidates that cover an outcome (directly or by a declared equivalence)."""
        index = self.__dict__.get("_coverers")
        if index is None:
            teach: dict[str, set[str]] = {}
            for m, mc in self.candidates.items():
                for o in mc.outcomes:
                    teach.setdefault(o, set()).add(m)
            index = self.__dict__["_coverers"] = ({}, teach)
        cache, teach = index
        if outcome not in cache:
            found = set(teach.get(outcome, ()))
            for e in self.equivalent(outcome):
                found |= teach.get(e, set())
            cache[outcome] = frozenset(found)
        return cache[outcome]
