"""The integer programme of a stacking situation, solved exactly with HiGHS (scipy.optimize.milp).

Binary variables: x[m] take micro-credential m; v[i,s] validate item i under standard s;
c[o] outcome o covered; a[u] unit u achieved; w[u] unit u achieved through its outcomes;
r[n] requirement node n met. The objective is the total ECTS (or the number) of chosen
micro-credentials, with a cost far below the data's resolution on validation steps and on
courses without ECTS (and, by number, on ECTS), so paths carry nothing superfluous.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from qfgraph.graph.stacking.model import Constraints, PrerequisiteCycle, Situation

# HiGHS's feasibility-jump heuristic took half of each solve on these programmes (scale M:
# 7.3 ms median with it, 3.8 ms without, the same optima): a heuristic only offers early
# solutions; the branch and bound proves the optimum either way. SciPy passes options it does
# not know on to HiGHS, with a warning that says so (silenced for this option only).
HIGHS_OPTIONS = {"mip_heuristic_run_feasibility_jump": False}
TIE_BREAK = 1e-3  # total weight of all secondary terms: below any ECTS difference in the data
STEPS = (1.0, 0.5, 0.25, 0.1, 0.05, 0.01)  # the resolution of ECTS values


def resolution(values) -> float:
    """The coarsest step all values are multiples of (0.01 at the finest)."""
    for step in STEPS:
        if all(abs(v / step - round(v / step)) < 1e-6 for v in values):
            return step
    return STEPS[-1]


class Programme:
    """A small builder for sparse integer programmes (all variables binary by default)."""

    def __init__(self):
        self.gap = 0.0  # relative gap that still proves the primary objective optimal
        self.names: list = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, name, lower=0.0, upper=1.0) -> int:
        self.names.append(name)
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(0.0)
        return len(self.names) - 1

    def row(self, coefs: dict[int, float], lower=-np.inf, upper=np.inf) -> None:
        self.rows.append((coefs, lower, upper))

    def solve(self, time_limit: float, relax: bool = False):
        n = len(self.names)
        # SciPy is imported here, not at module level: it costs about a second at start-up.
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix
        kwargs = {}
        if self.rows:
            r, c, d = [], [], []
            for i, (coefs, _, _) in enumerate(self.rows):
                for j, value in coefs.items():
                    r.append(i), c.append(j), d.append(value)
            matrix = coo_matrix((d, (r, c)), shape=(len(self.rows), n)).tocsr()
            kwargs["constraints"] = LinearConstraint(
                matrix, [lo for _, lo, _ in self.rows], [hi for _, _, hi in self.rows])
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unrecognized options detected: {'mip_heuristic_run_feasibility_jump'}",
                                    RuntimeWarning)
            return milp(np.array(self.cost), integrality=np.zeros(n) if relax else np.ones(n),
                        bounds=Bounds(self.lower, self.upper),
                        options={"time_limit": max(time_limit, 0.01), "mip_rel_gap": self.gap, **HIGHS_OPTIONS},
                        **kwargs)


def warm_up() -> None:
    """Import SciPy's solver now: the first lookup would otherwise pay for it (about a
    second). For a long-running service, once at start."""
    from scipy.optimize import milp  # noqa: F401


@dataclass
class Formulation:
    situation: Situation
    programme: Programme
    x: dict[str, int]                    # micro-credential -> variable
    v: dict[tuple[str, str], int]        # (item, standard) -> variable
    items: dict[str, int]                # outcome / unit / requirement node -> variable
    allowed: list[str] = field(default_factory=list)


def allowed_candidates(p: Situation, constraints: Constraints) -> list[str]:
    return [m for m, mc in p.candidates.items() if mc.ects is not None and not constraints.exclusions(mc)]


def unmet_prerequisites(p: Situation, m: str) -> list[str]:
    return sorted(q for q in p.candidates[m].prerequisites
                  if q not in p.held_credentials and not p.outcome_held(q))


def providers(p: Situation, m: str, prerequisite: str, pool) -> list[str]:
    """Micro-credentials in `pool` that satisfy a prerequisite of m: the credential itself, or
    one covering the outcome (or an equivalent); never m itself."""
    wanted = p.coverers(prerequisite) | {prerequisite}
    return [k for k in pool if k != m and k in wanted] if len(pool) < len(wanted) else \
        sorted(k for k in wanted if k != m and k in pool)


def prerequisite_graph(p: Situation, pool) -> nx.DiGraph:
    """Edges provider -> micro-credential for every prerequisite not met by what is held."""
    g = nx.DiGraph()
    g.add_nodes_from(pool)
    for m in pool:
        for q in unmet_prerequisites(p, m):
            g.add_edges_from((k, m) for k in providers(p, m, q, pool))
    return g


def takeable(p: Situation, pool) -> set[str]:
    """Micro-credentials of `pool` that can be taken in some order: their prerequisites are
    met by what is held or by others of the pool taken before (least fixpoint)."""
    needs = {m: [set(providers(p, m, q, pool)) for q in unmet_prerequisites(p, m)] for m in pool}
    done: set[str] = set()
    grew = True
    while grew:
        ready = {m for m in pool if m not in done and all(options & done for options in needs[m])}
        done |= ready
        grew = bool(ready)
    return done


def dominated(p: Situation, pool) -> set[str]:
    """Micro-credentials of `pool` that another makes useless for the optimal path: one that
    covers at least the same still-missing outcomes and units, needs no prerequisite it does
    not, and costs no more (ties broken by coverage, then IRI, so two equal ones never
    remove each other). A course some other course of the pool needs first is never removed.
    Swapping a removed course for its dominator keeps any path feasible and no dearer, so the
    optimum is the same; next-best alternatives may use removed courses (solved without this)."""
    needed = {k for m in pool for q in unmet_prerequisites(p, m) for k in providers(p, m, q, pool)}
    # what each covers, as the programme sees it: still-missing outcomes and recognised units
    covers: dict[str, set[str]] = {m: set() for m in pool}
    for o in p.outcomes:
        if not p.outcome_held(o):
            for m in p.coverers(o) & covers.keys():
                covers[m].add(o)
    for u, ms in p.recognitions.items():
        if u not in p.held_credentials:
            for m in ms & covers.keys():
                covers[m].add(u)
    role = {m: (frozenset(covers[m]), frozenset(unmet_prerequisites(p, m)), p.candidates[m].ects)
            for m in pool}
    out = set()
    for m in pool:
        if m in needed:
            continue
        covers, needs, ects = role[m]
        for k in pool:
            other, other_needs, other_ects = role[k]
            if k != m and covers <= other and other_needs <= needs and other_ects <= ects and (
                    other_ects < ects or other > covers or other_needs < needs or k < m):
                out.add(m)
                break
    return out


def check_cycles(p: Situation) -> None:
    """Raise PrerequisiteCycle for micro-credentials that wait on each other with no way in.
    (A cycle with a way in, such as an outcome another course also teaches, is fine: the
    programme orders such choices exactly.)"""
    pool = [m for m, mc in p.candidates.items() if mc.ects is not None]
    stuck = sorted(set(pool) - takeable(p, pool))
    try:
        cycle = nx.find_cycle(prerequisite_graph(p, stuck))
    except nx.NetworkXNoCycle:
        return
    raise PrerequisiteCycle([a for a, _ in reversed(cycle)])


def stages(p: Situation, chosen) -> list[list[str]]:
    """Chosen micro-credentials in stages: each stage's prerequisites are met by earlier ones.
    The topological generations of the prerequisite graph; where a prerequisite has several
    chosen providers on a cycle, each waits only for the first one available."""
    g = prerequisite_graph(p, sorted(chosen))
    if nx.is_directed_acyclic_graph(g):
        return [sorted(s) for s in nx.topological_generations(g)]
    out, done, remaining = [], set(), set(chosen)
    while remaining:
        ready = {m for m in remaining if all(providers(p, m, q, done) for q in unmet_prerequisites(p, m))}
        if not ready:
            raise PrerequisiteCycle(sorted(remaining))
        out.append(sorted(ready))
        done |= ready
        remaining -= ready
    return out


def formulate(p: Situation, constraints: Constraints, objective: str = "ects",
              complete: bool = True, optimum_only: bool = False) -> Formulation:
    """complete=False drops the requirement and maximises coverage instead (partial paths).
    optimum_only=True leaves out dominated micro-credentials: a smaller programme with the
    same optimum, but not for next-best alternatives."""
    prog = Programme()
    allowed = allowed_candidates(p, constraints)
    usable = takeable(p, allowed)
    if optimum_only:
        usable -= dominated(p, usable)
    x = {m: prog.var(("take", m)) for m in allowed if m in usable}
    v = {}
    for s in p.standards:
        for item in sorted((s.units | s.outcomes) & p.claims):
            wanted = item in p.units and item not in p.held_credentials or \
                item in p.outcomes and not p.outcome_held(item)
            if wanted and p.weights.get(item, 0.0) <= s.cap + 1e-9:
                v[item, s.iri] = prog.var(("validate", item, s.iri))
    items = {}
    _outcome_rows(p, prog, x, v, items)
    _unit_rows(p, prog, x, v, items)
    _requirement_rows(p, prog, items, complete)
    _prerequisite_rows(p, prog, x)
    for s in p.standards:
        share = {j: p.weights[item] for (item, std), j in v.items() if std == s.iri}
        if share:
            prog.row(share, upper=s.cap + 1e-9)
    if constraints.max_ects is not None:
        prog.row({j: p.candidates[m].ects for m, j in x.items()}, upper=constraints.max_ects + 1e-9)
    _objective(p, prog, x, v, items, objective, complete)
    return Formulation(p, prog, x, v, items, allowed)


def _outcome_rows(p, prog, x, v, items):
    for o in sorted(p.outcomes):
        held = p.outcome_held(o)
        j = items[o] = prog.var(("outcome", o), lower=1.0 if held else 0.0)
        if held:
            continue
        containing = [u for u in p.units.values() if o in u.outcomes]
        routes = [x[m] for m in sorted(p.coverers(o)) if m in x]
        routes += [x[m] for u in containing for m in p.recognitions.get(u.iri, ()) if m in x]
        routes += [k for (item, _), k in v.items() if item == o or item in {u.iri for u in containing}]
        row = {j: 1.0}
        for k in routes:
            row[k] = row.get(k, 0.0) - 1.0
        prog.row(row, upper=0.0)


def _unit_rows(p, prog, x, v, items):
    for u, unit in sorted(p.units.items()):
        held = u in p.held_credentials
        j = items[u] = prog.var(("unit", u), lower=1.0 if held else 0.0)
        if held:
            continue
        w = prog.var(("unit-by-outcomes", u), upper=1.0 if unit.outcomes else 0.0)
        for o in unit.outcomes:
            prog.row({w: 1.0, items[o]: -1.0}, upper=0.0)
        row = {j: 1.0, w: -1.0}
        for m in p.recognitions.get(u, ()):
            if m in x:
                row[x[m]] = -1.0
        for (item, _), k in v.items():
            if item == u:
                row[k] = -1.0
        prog.row(row, upper=0.0)


def _requirement_rows(p, prog, items, complete):
    for n in p.requirements:
        items[n] = prog.var(("requirement", n))
    for n, req in p.requirements.items():
        parts = [items[c] for c in req.components if c in items]
        j = items[n]
        if req.kind == "all-of":
            for k in parts:
                prog.row({j: 1.0, k: -1.0}, upper=0.0)
            if len(parts) < len(req.components):
                prog.upper[j] = 0.0
        elif req.kind == "choice-of":
            row = {j: float(req.count)}
            for k in parts:
                row[k] = row.get(k, 0.0) - 1.0
            prog.row(row, upper=0.0)
        else:
            row = {j: req.credits}
            for c in req.components:
                if c in p.units:
                    row[items[c]] = row.get(items[c], 0.0) - p.units[c].ects
            prog.row(row, upper=1e-9)
    if complete:
        prog.lower[items[p.root]] = 1.0


def _prerequisite_rows(p, prog, x):
    """Each prerequisite of a chosen m is met by a chosen provider. Between courses on a
    cycle of the prerequisite graph, the provider must also come earlier: an order variable
    per course and a 'k before m' choice per provider (big-M), so no chosen set waits on
    itself."""
    g = prerequisite_graph(p, list(x))
    component = {m: i for i, c in enumerate(nx.strongly_connected_components(g)) for m in c}
    size = len(x) + 1
    order = {}
    for m, j in x.items():
        for q in unmet_prerequisites(p, m):
            row = {j: 1.0}
            for k in providers(p, m, q, x):
                if component[k] != component[m]:
                    row[x[k]] = -1.0
                    continue
                for c in (k, m):
                    order.setdefault(c, prog.var(("order", c), 0.0, size - 1.0))
                before = prog.var(("before", k, m, q))
                prog.row({before: 1.0, x[k]: -1.0}, upper=0.0)
                prog.row({order[k]: 1.0, order[m]: -1.0, before: float(size)}, upper=size - 1.0)
                row[before] = -1.0
            prog.row(row, upper=0.0)


def _objective(p, prog, x, v, items, objective, complete):
    ects = {m: p.candidates[m].ects for m in x}
    total = sum(ects.values()) + 1.0
    small = TIE_BREAK / (len(x) + len(v) + 1)
    for m, j in x.items():
        # by ECTS, each credential costs its ECTS alone: a tie-break on every credential makes
        # equal-cost paths unequal, which HiGHS takes about half as long again to settle
        # (among paths of equal ECTS any may come first); only a course without ECTS and a
        # validation step carry the small cost, so that no path takes them needlessly
        prog.cost[j] = (ects[m] or small) if objective == "ects" else (1.0 + TIE_BREAK * ects[m] / total)
    for j in v.values():
        prog.cost[j] = small
    # Proving the tie-break optimal can take far longer than the objective itself: stop once
    # the gap is below half a step of the objective (a worse path costs a whole step more).
    step = resolution(ects.values()) if objective == "ects" else 1.0
    prog.gap = 0.5 * step / (sum(ects.values()) + len(x) + 2.0) if complete else 0.0
    if not complete:
        # coverage first: each unit achieved and outcome covered outweighs any cost
        scale = 1.0 / (sum(prog.cost) + 1.0)
        prog.cost = [c * scale for c in prog.cost]
        for item in list(p.units) + list(p.outcomes):
            prog.cost[items[item]] = -1.0


@dataclass
class Solution:
    chosen: list[str]
    validated: list[tuple[str, str]]
    proven_optimal: bool


def solve(f: Formulation, time_limit: float, cuts: list[list[str]] = ()) -> tuple[Solution | None, bool]:
    """The best solution that is not a superset of any set in `cuts` (earlier paths), or None
    when there is none; and whether the time limit stopped the search (then a solution found
    is not proven optimal, and None means none was found in time)."""
    prog = f.programme
    saved = len(prog.rows)
    for chosen in cuts:
        prog.row({f.x[m]: 1.0 for m in chosen}, upper=len(chosen) - 1.0)
    try:
        res = prog.solve(time_limit)
    finally:
        del prog.rows[saved:]
    timed_out = res.status == 1
    if res.x is None:
        return None, timed_out
    on = lambda j: res.x[j] > 0.5
    return Solution(chosen=sorted(m for m, j in f.x.items() if on(j)),
                    validated=sorted(k for k, j in f.v.items() if on(j)),
                    proven_optimal=res.status == 0), timed_out
