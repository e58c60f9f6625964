"""Why no path exists: which requirement cannot be met, and why.

Each item is first judged on its own (could anything held, validatable or takeable cover
it?), walking the requirement structure from the root to the items that fail. Only when
every item could be covered on its own is the cause a joint one: the maximum total ECTS or
the validation standard's maximum share.
"""
from __future__ import annotations

from qfgraph.graph.stacking.model import Constraints, Situation
from qfgraph.graph.stacking.solver import (
    allowed_candidates, formulate, providers, solve, takeable, unmet_prerequisites,
)


class Judge:
    """Whether each item could be covered on its own, with the micro-credentials `pool`."""

    def __init__(self, p: Situation, pool: set[str]):
        self.p, self.pool = p, pool

    def validatable(self, item: str) -> bool:
        return item in self.p.claims and any(
            item in s.units | s.outcomes and self.p.weights.get(item, 0.0) <= s.cap + 1e-9
            for s in self.p.standards)

    def outcome(self, o: str) -> bool:
        p = self.p
        containing = [u for u in p.units.values() if o in u.outcomes]
        return (p.outcome_held(o) or self.validatable(o)
                or any(self.validatable(u.iri) or p.recognitions.get(u.iri, set()) & self.pool
                       for u in containing)
                or bool(p.coverers(o) & self.pool))

    def unit(self, u: str) -> bool:
        p, unit = self.p, self.p.units[u]
        return (u in p.held_credentials or self.validatable(u)
                or bool(p.recognitions.get(u, set()) & self.pool)
                or bool(unit.outcomes) and all(self.outcome(o) for o in unit.outcomes))

    def ok(self, item: str) -> bool:
        p = self.p
        if item in p.units:
            return self.unit(item)
        if item in p.outcomes and item not in p.requirements:
            return self.outcome(item)
        if item not in p.requirements:
            return False
        req = p.requirements[item]
        done = [c for c in req.components if self.ok(c)]
        if req.kind == "all-of":
            return len(done) == len(req.components)
        if req.kind == "choice-of":
            return len(done) >= req.count
        return self.credits(done) >= req.credits - 1e-9

    def credits(self, components) -> float:
        return sum(self.p.units[c].ects for c in components if c in self.p.units)


def reasons(p: Situation, constraints: Constraints, time_limit: float) -> list[str]:
    pool = takeable(p, allowed_candidates(p, constraints))
    judge = Judge(p, pool)
    if not judge.ok(p.root):
        return list(dict.fromkeys(_why(p, judge, constraints, p.root, None)))  # shared units: once
    if constraints.max_ects is not None:
        unlimited = Constraints(**{**constraints.__dict__, "max_ects": None})
        best, _ = solve(formulate(p, unlimited), time_limit)
        if best is not None:
            need = sum(p.candidates[m].ects for m in best.chosen)
            return [f"the least total ECTS of a complete path is {need:g}, above the maximum of "
                    f"{constraints.max_ects:g} ECTS"]
    caps = "; ".join(f"{s.title}: at most {s.share:.0%} of {p.ects:g} ECTS ({s.cap:g} ECTS)"
                     for s in p.standards)
    return [f"the items that can only be validated exceed the maximum share of validation ({caps})"]


def _name(p: Situation, iri: str) -> str:
    return f"'{p.title_of(iri)}' <{iri}>"


def _why(p: Situation, judge: Judge, constraints: Constraints, item: str, unit: str | None) -> list[str]:
    if judge.ok(item):
        return []
    if item in p.units:
        return _why_unit(p, judge, constraints, item)
    if item not in p.requirements:
        return [_why_outcome(p, judge, constraints, item, unit)]
    req = p.requirements[item]
    failing = [c for c in req.components if not judge.ok(c)]
    below = [r for c in failing for r in _why(p, judge, constraints, c, None)]
    done = len(req.components) - len(failing)
    if req.kind == "choice-of":
        return [f"requirement {_name(p, item)} needs {req.count} of its {len(req.components)} "
                f"components; only {done} can be achieved"] + below
    if req.kind == "minimum-credits":
        can = judge.credits([c for c in req.components if judge.ok(c)])
        return [f"requirement {_name(p, item)} needs {req.credits:g} ECTS of units; only "
                f"{can:g} ECTS can be achieved"] + below
    return below


def _why_unit(p: Situation, judge: Judge, constraints: Constraints, u: str) -> list[str]:
    unit = p.units[u]
    if not unit.outcomes:
        return [f"unit {_name(p, u)} has no learning outcomes recorded and is not held, "
                "recognised or validatable"]
    out = [_why_outcome(p, judge, constraints, o, u) for o in sorted(unit.outcomes) if not judge.outcome(o)]
    recognised = sorted(p.recognitions.get(u, ()))
    if recognised:
        out.append(f"unit {_name(p, u)}: the micro-credentials recognised as it cannot be used: "
                   + "; ".join(_unusable(p, judge, constraints, m) for m in recognised))
    return out


def _why_outcome(p, judge, constraints, o: str, unit: str | None) -> str:
    where = f"outcome {_name(p, o)}" + (f" of unit {_name(p, unit)}" if unit else "")
    covering = sorted(p.coverers(o))
    hint = _validation_hint(p, o, unit)
    if not covering:
        return f"no micro-credential covers {where}{hint}"
    why = {m: _unusable(p, judge, constraints, m) for m in covering}
    if all(constraints.exclusions(p.candidates[m]) for m in covering):
        return f"the constraints exclude every candidate for {where}: " + "; ".join(why.values()) + hint
    return f"no usable micro-credential covers {where}: " + "; ".join(why.values()) + hint


def _unusable(p: Situation, judge: Judge, constraints: Constraints, m: str) -> str:
    mc = p.candidates[m]
    excluded = constraints.exclusions(mc)
    if excluded:
        return f"'{mc.title}' excluded by constraint ({', '.join(excluded)})"
    if mc.ects is None:
        return f"'{mc.title}' has no ECTS stated"
    missing = [q for q in unmet_prerequisites(p, m) if not providers(p, m, q, judge.pool)]
    return f"'{mc.title}' requires {', '.join(_name(p, q) for q in missing)}, which nothing held or available provides"


def _validation_hint(p: Situation, item: str, unit: str | None) -> str:
    for s in p.standards:
        for i in (item, unit):
            if i and i in s.units | s.outcomes and i not in p.claims:
                return f" (it could be validated under {_name(p, s.iri)} if claimed)"
            if i and i in s.units | s.outcomes and p.weights.get(i, 0.0) > s.cap + 1e-9:
                return (f" (its validation alone would exceed the maximum share of {s.title}: "
                        f"{p.weights[i]:g} > {s.cap:g} ECTS)")
    return ""
