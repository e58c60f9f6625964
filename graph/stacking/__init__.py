"""Stacking paths: provably minimal routes from what a learner holds, or can have validated,
to a full qualification; and the qualifications a learner is closest to.

    find_paths(store, target, Learner(held=[...], claims=[...]), Constraints(...)) -> PathsAnswer
    closest(store, Learner(held=[...]), top=10) -> list[Closest]
    situation_of(store, target, cache=None) -> Situation: what the lookups read of a target
    find_paths(..., cache=SituationCache()): repeat lookups skip the queries until a write
    warm_up(): import the solver's libraries now (a service: once at start), not in a lookup
    choices(store, target) -> Choices: what a form offers for the target (held, claims, constraints)
    path_svg(path_json, target_json) -> str: a path drawn as SVG

"""
from qfgraph.graph.stacking.cache import SituationCache  # noqa: F401
from qfgraph.graph.stacking.choices import Choice, Choices, choices  # noqa: F401
from qfgraph.graph.stacking.closest import Closest, closest  # noqa: F401
from qfgraph.graph.stacking.engine import OBJECTIVES, Path, PathsAnswer, find_paths, situation_of  # noqa: F401
from qfgraph.graph.stacking.model import (  # noqa: F401
    Constraints, Learner, PrerequisiteCycle, UnknownEntity,
)
from qfgraph.graph.stacking.diagram import path_svg  # noqa: F401
from qfgraph.graph.stacking.solver import warm_up  # noqa: F401
