"""Stacking paths: provably minimal routes from what a learner holds, or can have validated,
to a full qualification; and the qualifications a learner is closest to.

    find_paths(store, target, Learner(held=[...], claims=[...]), Constraints(...)) -> PathsAnswer
    closest(store, Learner(held=[...]), top=10) -> list[Closest]
    find_paths(..., cache=ProblemCache()): repeat lookups skip the queries until a write

"""
from graph.stacking.cache import ProblemCache  # noqa: F401
from graph.stacking.closest import Closest, closest  # noqa: F401
from graph.stacking.engine import OBJECTIVES, Path, PathsAnswer, find_paths  # noqa: F401
from graph.stacking.model import (  # noqa: F401
    Constraints, Learner, PrerequisiteCycle, UnknownEntity,
)
