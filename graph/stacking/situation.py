"""Turning the rows read from the graph into a `Situation` for one target and one learner."""
from __future__ import annotations

import dataclasses
import re

from rdflib import namespace

from qfgraph.graph.stacking.model import (
    Learner, MicroCredential, Situation, Requirement, Standard, Unit, UnknownEntity,
)
from qfgraph.graph.stacking.query import Facts, Names
from qfgraph.ontology import namespaces

ELM, QF = Names(namespaces.ELM), Names(namespaces.QF)
DCTERMS, RDF = Names(namespace.DCTERMS), Names(namespace.RDF)

_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$")
_XSD_DURATION = str(namespace.XSD.duration)
_KINDS = {str(cls): kind for cls, kind in namespaces.REQUIREMENT_KINDS.items()}


def hours(value) -> float | None:
    """Hours of an xsd:duration such as PT125H or P2DT4H (a day counted as 24 hours), or of
    the number of seconds Virtuoso stores and answers for one."""
    if getattr(value, "datatype", None) == _XSD_DURATION:
        try:
            return float(value.value) / 3600
        except ValueError:
            pass
    m = _DURATION.match(str(value or ""))
    if not m or not any(m.groups()):
        return None
    days, h, minutes = (float(g) if g else 0.0 for g in m.groups())
    return days * 24 + h + minutes / 60


def eqf_level(iris) -> int | None:
    for iri in sorted(iris):
        tail = iri.rsplit("/", 1)[-1]
        if iri.startswith("http://data.europa.eu/snb/eqf/") and tail.isdigit():
            return int(tail)
    return None


def check_inputs(facts: Facts, target: str, learner: Learner) -> None:
    """Every IRI given must be known, the target a qualification, claims units or outcomes."""
    types = facts.iris(target, RDF.type)
    if not types:
        raise UnknownEntity(target)
    if str(ELM.Qualification) not in types:
        raise UnknownEntity(target, f"<{target}> is not a qualification (elm:Qualification)")
    for iri in learner.held:
        if not facts.iris(iri, RDF.type):
            raise UnknownEntity(iri, f"unknown IRI among the credentials held: <{iri}> is not in the graph")
    for iri in learner.claims:
        types = facts.iris(iri, RDF.type)
        if not types:
            raise UnknownEntity(iri, f"unknown IRI among the claims: <{iri}> is not in the graph")
        if not types & {str(QF.Unit), str(ELM.LearningOutcome)}:
            raise UnknownEntity(iri, f"a claim names a unit or a learning outcome; <{iri}> is neither")


def parts_of(facts: Facts, whole: str) -> set[str]:
    return facts.iris(whole, ELM.hasPart) | facts.subjects(ELM.isPartOf, whole)


def requirement_tree(facts: Facts, q: str) -> tuple[str, dict[str, Requirement]]:
    """The requirement nodes reachable from the target; without any, all of its units (and
    outcomes of its own outside the units) are required."""
    units = sorted(parts_of(facts, q))
    roots = sorted(facts.iris(q, QF.requirement))
    nodes: dict[str, Requirement] = {}
    if not roots:
        in_units = set().union(*(facts.iris(u, ELM.learningOutcome) for u in units)) if units else set()
        own = sorted(facts.iris(q, ELM.learningOutcome) - in_units)
        root = q + "#all-units"
        nodes[root] = Requirement(root, "all-of", tuple(units + own))
        return root, nodes
    todo = list(roots)
    while todo:
        n = todo.pop()
        if n in nodes:
            continue
        kind = next((_KINDS[t] for t in facts.iris(n, RDF.type) if t in _KINDS), None)
        if kind is None:
            continue
        components = tuple(sorted(facts.iris(n, QF.component)))
        if kind == "minimum-credits" and not components:
            components = tuple(units)
        nodes[n] = Requirement(n, kind, components, count=int(facts.number(n, QF.requiredCount) or 1),
                               credits=facts.number(n, QF.minimumCredits) or 0.0)
        todo.extend(c for c in components if c not in nodes)
    if len(roots) == 1:
        return roots[0], nodes
    root = q + "#all-requirements"
    nodes[root] = Requirement(root, "all-of", tuple(roots))
    return root, nodes


def micro_credential(facts: Facts, m: str) -> MicroCredential:
    """A candidate as the programme needs it; `with_details` adds the rest."""
    return MicroCredential(
        iri=m, title=facts.title(m) or m, ects=facts.number(m, ELM.creditPoint),
        eqf_level=eqf_level(facts.iris(m, ELM.EQFLevel)),
        outcomes=frozenset(facts.iris(m, ELM.learningOutcome)),
        prerequisites=frozenset(facts.iris(m, QF.prerequisite)))


def with_details(mc: MicroCredential, facts: Facts) -> MicroCredential:
    """`mc` with its details as read by query.details."""
    m = mc.iri
    providers = tuple(sorted(facts.iris(m, ELM.awardingBody)))
    return dataclasses.replace(
        mc, title=facts.title(m) or mc.title, eqf_level=eqf_level(facts.iris(m, ELM.EQFLevel)) or mc.eqf_level,
        providers=providers, provider_titles=tuple(facts.title(p) or p for p in providers),
        languages=tuple(sorted({str(v) for v in facts.values(m, DCTERMS.language)})),
        modes=tuple(sorted(facts.iris(m, ELM.mode))),
        countries=tuple(sorted(facts.iris(m, QF.country))),
        external_qa=str(QF.ExternalQualityAssurance) in facts.iris(m, QF.qualityAssurance),
        hours=next((h for h in map(hours, facts.values(m, ELM.volumeOfLearning)) if h is not None), None),
        detailed=True)


def required_items(facts: Facts, q: str, requirements: dict[str, Requirement]):
    """The units and outcomes the structure names (directly or inside units), and every other
    unit of the target: recognising or validating one of those covers its outcomes too."""
    units, outcomes = {}, set()
    named = [c for node in requirements.values() for c in node.components if c not in requirements]
    for c in dict.fromkeys(named + sorted(parts_of(facts, q))):
        types = facts.iris(c, RDF.type)
        if str(ELM.LearningOutcome) in types and str(QF.Unit) not in types:
            outcomes.add(c)
        else:
            unit_outcomes = frozenset(facts.iris(c, ELM.learningOutcome))
            units[c] = Unit(c, facts.title(c) or c, facts.number(c, ELM.creditPoint) or 0.0, unit_outcomes)
            outcomes |= unit_outcomes
    return units, frozenset(outcomes)


def held_state(facts: Facts, learner: Learner, recognitions: dict[str, set[str]]):
    """Credentials held (with parts of held qualifications and units recognised from held
    micro-credentials), the outcomes they carry, and for each item how it is held:
    (route, source) with route "held" or "recognised"."""
    via: dict[str, tuple[str, str]] = {h: ("held", h) for h in learner.held}
    for h in learner.held:
        for part in parts_of(facts, h):
            via.setdefault(part, ("held", h))
    for u, ms in sorted(recognitions.items()):
        for m in sorted(ms & set(learner.held)):
            via.setdefault(u, ("recognised", m))
    credentials = frozenset(via)
    for c in sorted(credentials):
        for o in facts.iris(c, ELM.learningOutcome):
            via.setdefault(o, via[c])
    outcomes = frozenset(o for o in via if o not in credentials or
                         str(ELM.LearningOutcome) in facts.iris(o, RDF.type))
    return credentials, outcomes, via


def recognitions_of(facts: Facts) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for ra in facts.subjects(RDF.type, str(QF.RecognitionAgreement)):
        for u in facts.iris(ra, QF.recognisedAs):
            out.setdefault(u, set()).update(facts.iris(ra, QF.recognisedCredential))
    return out


def relevant_candidates(facts: Facts, outcomes, units, equivalents, recognitions, held) -> set[str]:
    """Micro-credentials covering a required outcome or recognised as a required unit, and
    everything their prerequisites lead to."""
    mcs = facts.subjects(RDF.type, str(QF.MicroCredential))
    wanted = set(outcomes) | {e for o in outcomes for e in equivalents(o)}
    providers = {o: ms & mcs for o, ms in facts.subjects_by(ELM.learningOutcome).items()}
    found = {m for o in wanted for m in providers.get(o, ())}
    found |= {m for u in units for m in recognitions.get(u, ()) if m in mcs}
    todo = list(found)
    while todo:
        for p in facts.iris(todo.pop(), QF.prerequisite):
            step = {p} & mcs
            for o in {p} | equivalents(p):
                step |= providers.get(o, set())
            todo.extend(step - found)
            found |= step
    return found - set(held)


def validation_weights(q_ects: float, all_units: list[Unit], outcomes) -> dict[str, float]:
    """Share of the target's credits that validating an item uses: a unit its ECTS, an outcome
    its pro-rata part of the smallest unit holding it (ECTS / outcomes of that unit), an
    outcome outside every unit the target's ECTS spread evenly over all its outcomes."""
    weights = {u.iri: u.ects for u in all_units}
    for o in outcomes:
        shares = [u.ects / len(u.outcomes) for u in all_units if o in u.outcomes]
        weights[o] = min(shares) if shares else q_ects / max(len(outcomes), 1)
    return weights


def build_situation(facts: Facts, target: str, learner: Learner) -> Situation:
    check_inputs(facts, target, learner)
    root, requirements = requirement_tree(facts, target)
    units, outcomes = required_items(facts, target, requirements)
    equivalents = lambda o: frozenset(facts.iris(o, QF.equivalentOutcome) - {o})
    recognitions = recognitions_of(facts)
    held_credentials, held_outcomes, held_via = held_state(facts, learner, recognitions)
    all_units = list(units.values())
    q_ects = facts.number(target, ELM.creditPoint) or sum(u.ects for u in all_units)
    candidates = {m: micro_credential(facts, m) for m in sorted(relevant_candidates(
        facts, outcomes, units, equivalents, recognitions, learner.held))}
    every_outcome = set(outcomes).union(*(m.outcomes | m.prerequisites for m in candidates.values()),
                                        held_outcomes)
    standards = [standard(facts, s, q_ects) for s in sorted(facts.subjects(QF.validates, target))]
    titles = {i: facts.title(i) for i in set(units) | set(outcomes) | set(requirements)
              | {target} | {s.iri for s in standards} | set(learner.claims) | set(learner.held)
              | {p for m in candidates.values() for p in m.prerequisites}}
    return Situation(
        target=target, title=facts.title(target) or target, ects=q_ects,
        eqf_level=eqf_level(facts.iris(target, ELM.EQFLevel)), root=root,
        requirements=requirements, units=units, outcomes=outcomes,
        titles={k: v for k, v in titles.items() if v},
        equivalents={o: equivalents(o) for o in every_outcome if equivalents(o)},
        candidates=candidates,
        recognitions={u: frozenset(ms) for u, ms in recognitions.items() if u in units},
        standards=standards, held_credentials=held_credentials, held_outcomes=held_outcomes,
        held_via=held_via,
        claims=frozenset(learner.claims),
        weights=validation_weights(q_ects, all_units, outcomes))


def standard(facts: Facts, s: str, q_ects: float) -> Standard:
    share = facts.number(s, QF.maximumShare)
    share = 1.0 if share is None else max(0.0, min(1.0, share))
    authority = next(iter(sorted(facts.iris(s, QF.validationAuthority))), None)
    return Standard(
        iri=s, title=facts.title(s) or s, share=share, cap=share * q_ects,
        units=frozenset(facts.iris(s, QF.validatesUnit)),
        outcomes=frozenset(facts.iris(s, QF.validatesOutcome)),
        authority=authority, authority_title=facts.title(authority) if authority else None,
        methods=tuple(sorted(facts.iris(s, QF.assessmentMethod))))
