"""find_paths: the routes from what a learner holds, or can have validated, to a qualification."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from qfgraph.graph.errors import InvalidInput
from qfgraph.graph.sparql import check_iri
from qfgraph.graph.stacking import coverage, explain, solver
from qfgraph.graph.stacking.cache import SituationCache
from qfgraph.graph.stacking.model import Constraints, Learner, Situation
from qfgraph.graph.stacking.situation import build_situation, check_inputs, with_details
from qfgraph.graph.stacking.query import details, fetch
from qfgraph.graph.stores import Store

OBJECTIVES = ("ects", "count")


@dataclass
class Path:
    """One route: micro-credentials in stages, validation steps, totals, coverage."""
    situation: Situation
    stages: list[list[str]]
    validated: list[tuple[str, str]]        # (item, standard)
    proven_optimal: bool
    complete: bool = True
    rank: int = 1

    @property
    def chosen(self) -> list[str]:
        return [m for stage in self.stages for m in stage]

    @property
    def total_ects(self) -> float:
        return round(sum(self.situation.candidates[m].ects for m in self.chosen), 6)

    @property
    def hours(self) -> float | None:
        values = [self.situation.candidates[m].hours for m in self.chosen]
        return None if any(h is None for h in values) else sum(values)

    def to_json(self) -> dict:
        from qfgraph.graph.stacking.render import path_json
        return path_json(self)

    def routes(self, before: bool = False):
        if before:
            return coverage.evaluate(self.situation)
        return coverage.evaluate(self.situation, self.chosen, [i for i, _ in self.validated])


@dataclass
class PathsAnswer:
    situation: Situation
    learner: Learner
    constraints: Constraints
    objective: str
    paths: list[Path]
    reasons: list[str] = field(default_factory=list)
    partial: Path | None = None
    timed_out: bool = False
    seconds: float = 0.0

    @property
    def feasible(self) -> bool:
        return bool(self.paths)

    def to_json(self) -> dict:
        from qfgraph.graph.stacking.render import answer_json
        return answer_json(self)

    def to_text(self) -> str:
        from qfgraph.graph.stacking.render import answer_text
        return answer_text(self)


def load_situation(store: Store, target: str, learner: Learner) -> Situation:
    """A few queries for everything about the target and the learner; then no more."""
    check_iri(target)
    facts = fetch(store, [target], learner.held, learner.claims)
    check_inputs(facts, target, learner)
    return build_situation(facts, target, learner)


def situation_of(store: Store, target: str, cache: SituationCache | None = None) -> Situation:
    """What stacking reads of `target` (requirement structure, units, outcomes, recognitions,
    validation standards, candidates) for a learner holding nothing: a qualification's page
    shows it as the pathway lookups see it."""
    learner = Learner()
    return cache.situation(store, target, learner, load_situation) if cache else load_situation(store, target, learner)


def read_details(store: Store, situation: Situation, mcs) -> None:
    """Give these candidates of `situation` their details (each read once per situation: a
    cached situation keeps them)."""
    missing = sorted(m for m in set(mcs) if not situation.candidates[m].detailed)
    if missing:
        facts = details(store, missing)
        for m in missing:
            mc = situation.candidates[m] = with_details(situation.candidates[m], facts)
            if mc.title != m:
                situation.titles[m] = mc.title


def find_paths(store: Store, target: str, learner: Learner | None = None,
               constraints: Constraints | None = None, objective: str = "ects",
               alternatives: int = 3, time_limit: float = 10.0, cache: SituationCache | None = None) -> PathsAnswer:
    """The optimal path to `target` and up to `alternatives` next-best distinct ones.

    A path never contains a superset of an earlier path's micro-credentials (that would only
    add cost). When none exists the answer gives the reasons and the closest partial path.
    With a `cache`, a situation read before is reused while no graph version changed (see
    graph.stacking.cache: only where every write goes through the write gate).
    Raises UnknownEntity, UnsafeTermError (IRIs with SPARQL syntax), PrerequisiteCycle.
    """
    if objective not in OBJECTIVES:
        raise InvalidInput(f"objective must be one of {', '.join(OBJECTIVES)}, not {objective!r}")
    if alternatives < 0:
        raise InvalidInput("alternatives must be >= 0")
    started = time.perf_counter()
    learner = learner or Learner()
    constraints = constraints or Constraints()
    situation = cache.situation(store, target, learner, load_situation) if cache else load_situation(store, target, learner)
    solver.check_cycles(situation)
    if constraints.filters:
        read_details(store, situation, situation.candidates)
    deadline = started + time_limit
    # the optimum from the programme without dominated courses; alternatives from the whole one
    formulation = solver.formulate(situation, constraints, objective, optimum_only=True)
    paths, cuts, timed_out = [], [], False
    while len(paths) < 1 + alternatives:
        if len(paths) == 1:
            formulation = solver.formulate(situation, constraints, objective)
        solution, stopped = solver.solve(formulation, deadline - time.perf_counter(), cuts)
        timed_out |= stopped
        if solution is None:
            break
        paths.append(_path(situation, solution, rank=len(paths) + 1))
        if not solution.chosen or stopped:
            break  # nothing to take: no distinct alternative; out of time: stop here
        cuts.append(solution.chosen)
    answer = PathsAnswer(situation, learner, constraints, objective, paths, timed_out=timed_out)
    if not paths:
        read_details(store, situation, situation.candidates)  # the reasons name them
        answer.reasons = (["the solver's time limit was reached before a path was found"] if timed_out
                          else explain.reasons(situation, constraints, max(deadline - time.perf_counter(), 1.0)))
        partial, _ = solver.solve(solver.formulate(situation, constraints, objective, complete=False),
                                  max(deadline - time.perf_counter(), 1.0))
        if partial is not None:
            answer.partial = _path(situation, partial, rank=0, complete=False)
    read_details(store, situation, [m for path in paths + [answer.partial] if path for m in path.chosen])
    answer.seconds = time.perf_counter() - started
    return answer


def _path(situation: Situation, solution: solver.Solution, rank: int, complete: bool = True) -> Path:
    return Path(situation, solver.stages(situation, solution.chosen), solution.validated,
                solution.proven_optimal, complete, rank)
