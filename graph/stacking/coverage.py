"""What a set of chosen micro-credentials and validation steps achieves: the route by which
each required unit and outcome is covered, and whether each requirement node is met.

Used to describe a path (coverage before and after) and for partial paths; the optimiser
works on its own integer programme, and this evaluation is the plain reading of the rules.
"""
from __future__ import annotations

from dataclasses import dataclass

from qfgraph.graph.stacking.model import Situation


@dataclass(frozen=True)
class Route:
    """How an item is covered: held, recognised, equivalence, validated, chosen or outcomes."""
    route: str
    by: tuple[str, ...] = ()


def outcome_route(p: Situation, o: str, chosen: set[str], validated: set[str]) -> Route | None:
    if o in p.held_outcomes:
        return Route(*_held(p, o))
    equivalent = sorted(p.equivalent(o) & p.held_outcomes)
    if equivalent:
        return Route("equivalence", tuple(equivalent))
    containing = [u for u in p.units.values() if o in u.outcomes]
    if o in validated or any(u.iri in validated for u in containing):
        return Route("validated", (o,) if o in validated else tuple(u.iri for u in containing if u.iri in validated))
    by = sorted(p.coverers(o) & chosen)
    by += sorted(m for u in containing for m in p.recognitions.get(u.iri, ()) if m in chosen)
    return Route("chosen", tuple(dict.fromkeys(by))) if by else None


def _held(p: Situation, item: str) -> tuple[str, tuple[str, ...]]:
    route, source = p.held_via.get(item, ("held", item))
    return route, (source,)


def unit_route(p: Situation, u: str, outcomes: dict[str, Route | None], chosen: set[str],
               validated: set[str]) -> Route | None:
    if u in p.held_credentials:
        return Route(*_held(p, u))
    if u in validated:
        return Route("validated", (u,))
    recognised = sorted(p.recognitions.get(u, frozenset()) & chosen)
    if recognised:
        return Route("recognised", tuple(recognised))
    unit = p.units[u]
    if unit.outcomes and all(outcomes.get(o) for o in unit.outcomes):
        by = {m for o in unit.outcomes if outcomes[o].route == "chosen" for m in outcomes[o].by}
        return Route("outcomes", tuple(sorted(by)))
    return None


def evaluate(p: Situation, chosen=(), validated=()) -> dict[str, Route | None]:
    """Route of every required outcome and unit (None: not covered)."""
    chosen, validated = set(chosen), set(validated)
    routes = {o: outcome_route(p, o, chosen, validated) for o in p.outcomes}
    for u in p.units:
        routes[u] = unit_route(p, u, routes, chosen, validated)
    return routes


def met(p: Situation, routes: dict[str, Route | None], node: str | None = None) -> bool:
    """Whether a requirement node (the root by default) is met given the routes."""
    node = node or p.root
    if node not in p.requirements:
        return routes.get(node) is not None
    req = p.requirements[node]
    done = [c for c in req.components if met(p, routes, c)]
    if req.kind == "all-of":
        return len(done) == len(req.components)
    if req.kind == "choice-of":
        return len(done) >= req.count
    return sum(p.units[c].ects for c in done if c in p.units) >= req.credits - 1e-9


def summary(p: Situation, routes: dict[str, Route | None]) -> dict:
    units = [u for u in p.units if routes.get(u)]
    outcomes = [o for o in p.outcomes if routes.get(o)]
    return {"requirement_met": met(p, routes),
            "units_achieved": len(units), "units_total": len(p.units),
            "outcomes_covered": len(outcomes), "outcomes_total": len(p.outcomes),
            "ects_achieved": round(sum(p.units[u].ects for u in units), 2)}
