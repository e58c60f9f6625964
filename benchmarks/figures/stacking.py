"""Stacking-path lookups: the engine (embedded store, two SPARQL queries, exact integer
programme) against a naive baseline in the same run (rdflib in-memory Dataset answering the
same SPARQL, then a greedy choice), on the manifest's big qualifications (20-60 required
outcomes, 100+ candidate micro-credentials at scale M).

Each case is a learner of the manifest (the micro-credentials they hold) aiming at one big
qualification. Where no micro-credential covers some unit of it (the generator does not
promise that every unit is coverable), the learner is taken to hold those units already, so
that every case has a path and the two methods can be compared on cost. Reported: lookup
latency (median, p95) of both, the speed ratio, and how much more ECTS the greedy paths cost
than the optimal ones; and the same lookups repeated with a ProblemCache (no write between
them, so the problem is read once per case).
"""
from __future__ import annotations

import json
import statistics
import time

from benchmarks.common import Row, Stats, rdflib_dataset, run_isolated

NAME = "stacking"
DESCRIPTION = "stacking-path lookup: engine (pyoxigraph + exact MILP) vs rdflib SPARQL + greedy choice"


def cases(store, manifest) -> list[dict]:
    """The manifest's learners, holding the units no candidate can cover (see above)."""
    from graph.stacking import Learner
    from graph.stacking.engine import load_problem
    from graph.stacking.explain import Judge, takeable
    from graph.stacking.solver import allowed_candidates
    from graph.stacking.model import Constraints
    out = []
    for case in manifest["stacking"]:
        problem = load_problem(store, case["qualification"], Learner(held=case["held"]))
        judge = Judge(problem, takeable(problem, allowed_candidates(problem, Constraints())))
        missing = sorted(u for u in problem.units if not judge.unit(u))
        out.append({"target": case["qualification"], "held": case["held"] + missing,
                    "candidates": len(problem.candidates), "outcomes": len(problem.outcomes),
                    "units_held_to_make_it_feasible": len(missing)})
    return out


def lookup(store, case, alternatives=0, cache=None):
    from graph.stacking import Learner, find_paths
    return find_paths(store, case["target"], Learner(held=case["held"]), alternatives=alternatives, cache=cache)


def timed(fn, repeat: int, warmup: bool = True) -> tuple[list[float], object]:
    result, times = (fn() if warmup else None), []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


# -- the baseline ----------------------------------------------------------------------------

class RdflibStore:
    """Just enough of the Store interface for the engine's queries, on an rdflib Dataset."""

    def __init__(self, dataset):
        self.dataset = dataset

    def query_serialized(self, query, media_type, default_graphs=None, named_graphs=None):
        return self.dataset.query(query).serialize(format="json"), media_type, "bindings"


def greedy(problem) -> list[str] | None:
    """Take, again and again, the micro-credential covering the most still-missing outcomes
    (or units, through recognition) per ECTS, with its missing prerequisites, until the
    requirement structure is met; None when stuck."""
    from graph.stacking.coverage import evaluate, met
    from graph.stacking.solver import providers, unmet_prerequisites
    chosen: list[str] = []
    pool = [m for m, mc in problem.candidates.items() if mc.ects]

    def add(m, seen=()):
        for q in unmet_prerequisites(problem, m):
            if not providers(problem, m, q, chosen):
                options = sorted(providers(problem, m, q, pool), key=lambda k: problem.candidates[k].ects)
                options = [k for k in options if k not in seen]
                if not options:
                    return False
                if not add(options[0], (*seen, m)):
                    return False
        if m not in chosen:
            chosen.append(m)
        return True
    while True:
        routes = evaluate(problem, chosen)
        if met(problem, routes):
            return chosen
        missing = {i for i, r in routes.items() if r is None}
        gain = lambda m: (len({o for o in missing if o in problem.outcomes and problem.covers(problem.candidates[m], o)})
                          + sum(len(problem.units[u].outcomes) for u in missing & set(problem.units)
                                if m in problem.recognitions.get(u, ())))
        scored = [(gain(m) / problem.candidates[m].ects, m) for m in pool if m not in chosen]
        scored = [(g, m) for g, m in scored if g > 0]
        if not scored:
            return None
        for _, m in sorted(scored, key=lambda x: (-x[0], x[1])):
            if add(m):
                break
        else:
            return None


def run_baseline(data_file: str, cases_: list[dict], repeat: int) -> dict:
    """In a fresh process: load the data into rdflib, then time each lookup."""
    from graph.stacking import Learner
    from graph.stacking.problem import build_problem
    from graph.stacking.query import fetch
    dataset, load_ms = rdflib_dataset(data_file)
    store = RdflibStore(dataset)
    results = []
    for case in cases_:
        learner = Learner(held=case["held"])

        def once():
            problem = build_problem(fetch(store, [case["target"]], learner.held, []), case["target"], learner)
            chosen = greedy(problem)
            return None if chosen is None else sum(problem.candidates[m].ects for m in chosen)
        times, cost = timed(once, repeat, warmup=False)
        results.append({"times": times, "ects": cost})
    return {"load_ms": load_ms, "cases": results}


def run(ctx) -> list[Row]:
    store = ctx.store
    the_cases = cases(store, ctx.manifest)
    from graph.stacking import ProblemCache
    ours, ours3, cached, optimal = [], [], [], []
    cache = ProblemCache()
    for case in the_cases:
        times, answer = timed(lambda: lookup(store, case), ctx.repeat)
        ours += times
        optimal.append(answer.paths[0].total_ects if answer.paths else None)
        ours3 += timed(lambda: lookup(store, case, alternatives=3), ctx.repeat)[0]
        times, again = timed(lambda: lookup(store, case, cache=cache), ctx.repeat)  # first call fills it
        cached += times
        if (again.paths[0].total_ects if again.paths else None) != optimal[-1]:
            raise AssertionError(f"a cached lookup answered otherwise: {case['target']}")
    # rdflib takes seconds per lookup at scale M: one timed run per case, no warm-up
    base, base_rss = run_isolated(run_baseline, str(ctx.data_file), the_cases, 1)
    greedy_costs = [c["ects"] for c in base["cases"]]
    pairs = [(o, g) for o, g in zip(optimal, greedy_costs) if o is not None and g is not None]
    extra = [(g - o) / o * 100 for o, g in pairs if o > 0]
    if any(g < o - 1e-6 for o, g in pairs):
        raise AssertionError(f"a greedy path cheaper than the optimal one: {pairs}")
    info = {"cases": len(the_cases), "both found a path": len(pairs),
            "median candidates": statistics.median(c["candidates"] for c in the_cases),
            "median required outcomes": statistics.median(c["outcomes"] for c in the_cases),
            "optimal ECTS (sum)": round(sum(o for o, _ in pairs), 1),
            "greedy ECTS (sum)": round(sum(g for _, g in pairs), 1),
            "greedy extra ECTS % (mean)": round(statistics.mean(extra), 1) if extra else 0.0,
            "greedy extra ECTS % (max)": round(max(extra), 1) if extra else 0.0,
            "greedy worse in cases": sum(1 for o, g in pairs if g > o + 1e-6),
            "baseline load s": round(base["load_ms"] / 1000, 1), "baseline peak RSS MB": round(base_rss)}
    baseline_times = [t for c in base["cases"] for t in c["times"]]
    return [
        Row("lookup: optimal path", Stats.of(ours), Stats.of(baseline_times), "rdflib SPARQL + greedy", extra=info),
        Row("lookup: optimal path + 3 alternatives", Stats.of(ours3), Stats.of(baseline_times),
            "rdflib SPARQL + greedy", extra={"cases": len(the_cases)}),
        Row("lookup: optimal path, repeated (problem cache, no write between)", Stats.of(cached),
            Stats.of(baseline_times), "rdflib SPARQL + greedy",
            extra={"cases": len(the_cases), "cache hits": cache.hits, "cache misses": cache.misses}),
    ]


if __name__ == "__main__":  # a quick look at the cases: python -m benchmarks.figures.stacking S
    import sys

    from benchmarks.common import Context
    ctx = Context(sys.argv[1] if len(sys.argv) > 1 else "S")
    print(json.dumps(cases(ctx.store, ctx.manifest), indent=1))
