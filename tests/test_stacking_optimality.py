"""The engine's paths are optimal and feasible on many random small instances: its cost
equals brute-force enumeration's, and every path passes the independent checker."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qfgraph.graph import EmbeddedStore
from qfgraph.graph.stacking import Constraints, Learner, PrerequisiteCycle, find_paths
from qfgraph.graph.formats import RDF_FORMATS
from stacking_instances import GRAPH, Q, brute_force, cost, feasible, feasible_sets, iri, stuck, turtle

OUTCOMES = ["O1", "O2", "O3", "O4", "O5"]
FOREIGN = ["X1", "X2"]          # outcomes of other frameworks, linked by equivalence
BASIC = "B1"                    # an outcome only the first micro-credential teaches


@st.composite
def instances(draw):
    n_units = draw(st.integers(2, 4))
    units = {f"U{i}": {"ects": draw(st.sampled_from([2, 3, 5, 10])),
                       "outcomes": draw(st.lists(st.sampled_from(OUTCOMES), min_size=1, max_size=2, unique=True))}
             for i in range(1, n_units + 1)}
    names = list(units)

    def group(depth):
        comps = draw(st.lists(st.sampled_from(names + (["O1"] if depth == 0 else [])),
                              min_size=1, max_size=3, unique=True))
        if depth == 0 and draw(st.booleans()):
            comps.append(group(1))
        kind = draw(st.sampled_from(["all", "choice", "credits"]))
        if kind == "choice":
            return ("choice", draw(st.integers(1, len(comps))), comps)
        if kind == "credits":
            whole = draw(st.booleans())
            return ("credits", draw(st.sampled_from([3, 5, 10, 15])), None if whole else comps)
        return ("all", comps)
    n_mcs = draw(st.integers(1, 6))
    mcs = {}
    for i in range(n_mcs):
        prereqs = []
        if i > 0 and draw(st.integers(0, 2)) == 0:
            # any other course, or an outcome others teach: cycles, with or without a way in
            prereqs = [draw(st.sampled_from([f"M{j}" for j in range(n_mcs) if j != i] + [BASIC, "O1", "X1"]))]
        outcomes = draw(st.lists(st.sampled_from(OUTCOMES + FOREIGN), min_size=1, max_size=3, unique=True))
        mcs[f"M{i}"] = {"ects": draw(st.sampled_from([1, 2, 3, 4, 6])),
                        "outcomes": outcomes + ([BASIC] if i == 0 else []), "prereqs": prereqs,
                        "language": draw(st.sampled_from(["hr", "en"]))}
    equiv = draw(st.lists(st.tuples(st.sampled_from(OUTCOMES), st.sampled_from(FOREIGN)), max_size=2, unique=True))
    ras = draw(st.lists(st.tuples(st.sampled_from(list(mcs)), st.sampled_from(names)), max_size=2, unique=True))
    vs = None
    if draw(st.integers(0, 2)):
        in_units = sorted({o for u in units.values() for o in u["outcomes"]})
        vs = {"share": draw(st.sampled_from([0.2, 0.34, 0.5, 1.0])),
              "units": draw(st.lists(st.sampled_from(names), max_size=2, unique=True)),
              "outcomes": draw(st.lists(st.sampled_from(in_units), max_size=2, unique=True))}
    held = draw(st.lists(st.sampled_from(list(mcs) + ["X1"]), max_size=2, unique=True))
    claims = draw(st.lists(st.sampled_from(names + OUTCOMES), max_size=3, unique=True))
    return {"units": units, "requirement": group(0), "mcs": mcs, "equiv": equiv, "ras": ras,
            "vs": vs, "held": held, "claims": claims}


@st.composite
def constraint_sets(draw):
    c = {}
    if draw(st.integers(0, 3)) == 0:
        c["languages"] = ["hr"]
    if draw(st.integers(0, 3)) == 0:
        c["max_ects"] = draw(st.sampled_from([3, 6, 10]))
    return c


def solve(inst, constraints, objective, alternatives=2):
    """The engine's answer; None when it reports a prerequisite cycle, which must be real:
    every course on it is one the checker finds cannot be taken in any order."""
    store = EmbeddedStore(None)
    store.load(turtle(inst).encode(), RDF_FORMATS["turtle"], GRAPH)
    try:
        return find_paths(store, Q, Learner(held=[iri(h) for h in inst["held"]],
                                            claims=[iri(c) for c in inst["claims"]]),
                          Constraints(**constraints), objective, alternatives)
    except PrerequisiteCycle as e:
        assert len(e.cycle) >= 1 and set(local(e.cycle)) <= stuck(inst), (e.cycle, stuck(inst))
        return None
    finally:
        store.close()


def local(iris):
    return [i.rsplit("/", 1)[-1] for i in iris]


def path_sets(answer):
    return [(local(p.chosen), local(i for i, _ in p.validated)) for p in answer.paths]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), constraint_sets(), st.sampled_from(["ects", "count"]))
def test_engine_cost_equals_brute_force_and_paths_are_feasible(inst, constraints, objective):
    answer = solve(inst, constraints, objective)
    if answer is None:
        return
    best = brute_force(inst, constraints, objective)
    if best is None:
        assert not answer.paths and answer.reasons
        return
    assert answer.paths and all(p.proven_optimal for p in answer.paths)
    paths = path_sets(answer)
    for chosen, validated in paths:
        assert feasible(inst, chosen, validated, constraints), (chosen, validated)
    assert cost(inst, paths[0][0], objective) == best
    # alternatives: distinct, never a superset of an earlier path, next best in order
    costs = [cost(inst, chosen, objective) for chosen, _ in paths]
    assert costs == sorted(costs)
    for k in range(1, len(paths)):
        earlier = [set(c) for c, _ in paths[:k]]
        assert not any(set(paths[k][0]) >= e for e in earlier)
        assert costs[k] == brute_force(inst, constraints, objective, excluding=earlier)
    if len(paths) < 3 and paths[0][0]:
        earlier = [set(c) for c, _ in paths]
        assert brute_force(inst, constraints, objective, excluding=earlier) is None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), constraint_sets())
def test_no_path_iff_brute_force_finds_none_and_partial_path_is_takeable(inst, constraints):
    answer = solve(inst, constraints, "ects", alternatives=0)
    if answer is None:
        return
    assert bool(answer.paths) == bool(feasible_sets(inst, constraints))
    if not answer.paths:
        partial = answer.partial
        assert partial is not None and not partial.complete
        chosen = set(local(partial.chosen))
        assert all(m not in inst["held"] for m in chosen)
        if constraints.get("max_ects") is not None:
            assert cost(inst, chosen) <= constraints["max_ects"]
        if constraints.get("languages"):
            assert all(inst["mcs"][m]["language"] in constraints["languages"] for m in chosen)
