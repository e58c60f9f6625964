"""Which qualifications is a learner closest to? Ranked by the ECTS still to take.

The qualifications ranked are those the learner's credentials or claims count toward: a held
or claimed item, one of its outcomes or an outcome declared equivalent lies in a unit or the
requirement structure of the qualification, or a held micro-credential is recognised as one
of its units. (A learner with nothing held or claimed gets every qualification.)

Exact, without solving every qualification's integer programme: the LP relaxation of each
programme is a lower bound on its ECTS still needed. Qualifications are solved exactly in
order of that bound, and the search stops once `top` exact values are no larger than the
next bound (best-first with bounds), so the ranking is the one full enumeration would give.
"""
from __future__ import annotations

from dataclasses import dataclass

from qfgraph.graph.stacking import coverage, solver
from qfgraph.graph.stacking.model import Constraints, Learner, PrerequisiteCycle, UnknownEntity
from qfgraph.graph.stacking.situation import build_situation, check_inputs
from qfgraph.graph.stacking.query import fetch
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import Store


@dataclass
class Closest:
    iri: str
    title: str
    ects_needed: float
    credential_count: int
    validation_count: int
    qualification_ects: float
    coverage_now: dict
    proven_optimal: bool

    def to_json(self) -> dict:
        return dict(self.__dict__)


_RELATED = """
SELECT DISTINCT ?q WHERE {
  VALUES ?h { $items }
  { ?h (elm:hasPart|^elm:isPartOf)?/elm:learningOutcome?/(qf:equivalentOutcome|^qf:equivalentOutcome)? ?x }
  UNION { ?h ^qf:recognisedCredential/qf:recognisedAs ?x }
  ?x (^elm:learningOutcome)?/(elm:isPartOf|^elm:hasPart|^qf:component+/^qf:requirement) ?q .
  ?q a elm:Qualification .
} ORDER BY ?q"""


def qualifications(store: Store, learner: Learner) -> list[str]:
    items = learner.held + learner.claims
    if not items:
        rows = store.select(bind("SELECT DISTINCT ?q WHERE { ?q a elm:Qualification } ORDER BY ?q"))
    else:
        rows = store.select(bind(_RELATED, {"items": items}))
    return [str(r["q"]) for r in rows]


def closest(store: Store, learner: Learner | None = None, top: int = 10,
            time_limit: float = 10.0) -> list[Closest]:
    learner = learner or Learner()
    if top <= 0:
        return []
    facts = fetch(store, [], learner.held, learner.claims)
    for iri in learner.held + learner.claims:  # unknown inputs are named, as in find_paths
        if not facts.knows(iri):
            raise UnknownEntity(iri, f"unknown IRI: <{iri}> is not in the graph")
    targets = qualifications(store, learner)
    if not targets:
        return []
    facts = fetch(store, targets, learner.held, learner.claims)
    check_inputs(facts, targets[0], learner)
    bounded = []
    for q in targets:
        situation = build_situation(facts, q, learner)
        try:
            solver.check_cycles(situation)
        except PrerequisiteCycle:
            continue  # find_paths reports it for that qualification
        f = solver.formulate(situation, Constraints())
        relaxed = f.programme.solve(time_limit, relax=True)
        if relaxed.x is not None:
            bounded.append((float(relaxed.fun), q, f))
    bounded.sort(key=lambda b: (b[0], b[1]))
    ranked: list[Closest] = []
    for bound, q, f in bounded:
        if len(ranked) >= top and bound > ranked[top - 1].ects_needed + solver.TIE_BREAK:
            break
        best, _ = solver.solve(f, time_limit)
        if best is None:
            continue
        p = f.situation
        ranked.append(Closest(
            iri=q, title=p.title, ects_needed=round(sum(p.candidates[m].ects for m in best.chosen), 6),
            credential_count=len(best.chosen), validation_count=len(best.validated),
            qualification_ects=p.ects, coverage_now=coverage.summary(p, coverage.evaluate(p)),
            proven_optimal=best.proven_optimal))
        ranked.sort(key=lambda c: (c.ects_needed, c.credential_count, c.iri))
    return ranked[:top]
