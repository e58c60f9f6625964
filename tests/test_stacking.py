"""Stacking paths: each coverage route and requirement form on its own, constraints,
objectives, alternatives, explanations of infeasibility, bad input and prerequisite cycles."""
from __future__ import annotations

import subprocess
import sys

import pytest

from rdflib import Literal

from qfgraph.graph import EmbeddedStore, UnsafeTermError
from qfgraph.graph.sparql import bind
from qfgraph.graph.stacking import (
    Constraints, Learner, PrerequisiteCycle, UnknownEntity, closest, find_paths,
)
from qfgraph.graph.formats import RDF_FORMATS
from stacking_instances import GRAPH, Q, feasible, iri, turtle

BLENDED = "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
ONLINE = "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
HRV = "http://publications.europa.eu/resource/authority/country/HRV"


def base(**changes) -> dict:
    """Unit U1 (O1, O2; 10 ECTS) and U2 (O3; 10 ECTS), both required; four micro-credentials."""
    inst = {
        "q_ects": 20,
        "units": {"U1": {"ects": 10, "outcomes": ["O1", "O2"]}, "U2": {"ects": 10, "outcomes": ["O3"]}},
        "requirement": ("all", ["U1", "U2"]),
        "mcs": {"M1": {"ects": 3, "outcomes": ["O1"], "language": "hr"},
                "M2": {"ects": 4, "outcomes": ["O2"], "language": "hr"},
                "M3": {"ects": 8, "outcomes": ["O1", "O2"], "language": "en"},
                "M4": {"ects": 6, "outcomes": ["O3"], "language": "hr"}},
        "held": [], "claims": [],
    }
    inst.update(changes)
    return inst


def load(store, inst):
    store.load(turtle(inst).encode(), RDF_FORMATS["turtle"], GRAPH)
    return store


def paths(store, inst, constraints=None, objective="ects", alternatives=3):
    load(store, inst)
    learner = Learner(held=[iri(h) for h in inst.get("held", [])], claims=[iri(c) for c in inst.get("claims", [])])
    return find_paths(store, Q, learner, Constraints(**(constraints or {})), objective, alternatives)


def names(iris):
    return sorted(i.rsplit("/", 1)[-1] for i in iris)


def best(answer):
    assert answer.paths, answer.to_text()
    return names(answer.paths[0].chosen)


def route(answer, item, before=False):
    r = answer.paths[0].routes(before=before)[iri(item)]
    return (r.route, names(r.by)) if r else None


# -- coverage routes ---------------------------------------------------------------------

def test_chosen_micro_credentials_cover_the_outcomes_at_least_ects(store):
    answer = paths(store, base())
    assert best(answer) == ["M1", "M2", "M4"]
    assert answer.paths[0].total_ects == 13
    assert route(answer, "O2") == ("chosen", ["M2"])
    assert route(answer, "U1") == ("outcomes", ["M1", "M2"])


def test_held_micro_credential_covers_its_outcomes(store):
    answer = paths(store, base(held=["M4"]))
    assert best(answer) == ["M1", "M2"]
    assert route(answer, "O3", before=True) == ("held", ["M4"])
    assert answer.to_json()["paths"][0]["coverage"]["before"]["units_achieved"] == 1


def test_held_unit_and_held_qualification(store):
    answer = paths(store, base(held=["U2"]))
    assert best(answer) == ["M1", "M2"]
    assert route(answer, "U2") == ("held", ["U2"])
    answer = find_paths(store, Q, Learner(held=[Q]))
    assert answer.paths[0].chosen == [] and answer.paths[0].total_ects == 0
    assert len(answer.paths) == 1  # nothing to take: no alternative


def test_recognition_agreement_turns_a_held_micro_credential_into_a_unit(store):
    inst = base(mcs={**base()["mcs"], "R": {"ects": 2, "outcomes": ["Z9"], "language": "hr"}},
                ras=[("R", "U1")], held=["R"])
    answer = paths(store, inst)
    assert best(answer) == ["M4"]
    assert route(answer, "U1", before=True) == ("recognised", ["R"])


def test_recognition_agreement_for_a_chosen_micro_credential(store):
    inst = base(mcs={**base()["mcs"], "R": {"ects": 2, "outcomes": ["Z9"], "language": "hr"}}, ras=[("R", "U1")])
    answer = paths(store, inst)
    assert best(answer) == ["M4", "R"]
    assert route(answer, "U1") == ("recognised", ["R"])


@pytest.mark.parametrize("direction", ["from-required", "from-held"])
def test_declared_equivalence_is_read_in_both_directions(store, direction):
    pair = ("O3", "X3") if direction == "from-required" else ("X3", "O3")
    inst = base(mcs={**base()["mcs"], "F": {"ects": 1, "outcomes": ["X3"], "language": "en"}},
                equiv=[pair], held=["F"])
    answer = paths(store, inst)
    assert best(answer) == ["M1", "M2"]
    assert route(answer, "O3", before=True) == ("equivalence", ["X3"])


def test_chosen_micro_credential_covers_an_equivalent_outcome(store):
    inst = base(mcs={**base()["mcs"], "F": {"ects": 1, "outcomes": ["X3"], "language": "en"}}, equiv=[("X3", "O3")])
    answer = paths(store, inst)
    assert best(answer) == ["F", "M1", "M2"]
    assert route(answer, "O3") == ("chosen", ["F"])


def test_validation_within_the_maximum_share(store):
    inst = base(vs={"share": 0.5, "units": ["U2"], "outcomes": []}, claims=["U2"])
    answer = paths(store, inst)
    assert best(answer) == ["M1", "M2"]
    step = answer.to_json()["paths"][0]["validation"]
    assert [(s["item"], s["standard"], s["authority_title"]) for s in step] == \
        [(iri("U2"), iri("vs"), "Authority")]
    assert route(answer, "U2") == ("validated", ["U2"])


def test_validation_beyond_the_maximum_share_is_not_used(store):
    # both units claimed and validatable, but together 20 of 20 ECTS > 50 %: only one
    inst = base(vs={"share": 0.5, "units": ["U1", "U2"], "outcomes": []}, claims=["U1", "U2"])
    answer = paths(store, inst)
    p = answer.paths[0]
    assert names(i for i, _ in p.validated) == ["U1"]  # the dearer unit to earn otherwise
    assert best(answer) == ["M4"]
    # a single unit larger than the share cannot be validated at all
    inst = base(q_ects=20, vs={"share": 0.25, "units": ["U2"], "outcomes": []}, claims=["U2"])
    store2 = EmbeddedStore(None)
    answer = paths(store2, inst)
    assert answer.paths[0].validated == [] and best(answer) == ["M1", "M2", "M4"]


def test_validation_of_an_outcome_and_a_claim_outside_the_standard(store):
    inst = base(vs={"share": 0.5, "units": [], "outcomes": ["O1"]}, claims=["O1", "O3"])
    answer = paths(store, inst)
    assert best(answer) == ["M2", "M4"]  # O1 validated (5 ECTS share); O3 is not in the standard
    assert names(i for i, _ in answer.paths[0].validated) == ["O1"]


# -- requirement forms -------------------------------------------------------------------

def test_k_of_n_takes_the_cheapest_k(store):
    inst = base(units={**base()["units"], "U3": {"ects": 10, "outcomes": ["O4"]}},
                mcs={**base()["mcs"], "M5": {"ects": 2, "outcomes": ["O4"], "language": "hr"}},
                requirement=("choice", 2, ["U1", "U2", "U3"]))
    answer = paths(store, inst)
    assert best(answer) == ["M4", "M5"]


def test_minimum_credits_over_all_units_without_components(store):
    inst = base(units={**base()["units"], "U3": {"ects": 5, "outcomes": ["O4"]}},
                mcs={**base()["mcs"], "M5": {"ects": 1, "outcomes": ["O4"], "language": "hr"}},
                requirement=("credits", 15, None))
    answer = paths(store, inst)
    assert best(answer) == ["M4", "M5"]  # U2 + U3 = 15 ECTS for 7 ECTS of micro-credentials


def test_minimum_credits_over_named_components(store):
    inst = base(units={**base()["units"], "U3": {"ects": 5, "outcomes": ["O4"]}},
                mcs={**base()["mcs"], "M5": {"ects": 1, "outcomes": ["O4"], "language": "hr"}},
                requirement=("credits", 15, ["U1", "U3"]))
    assert best(paths(store, inst)) == ["M1", "M2", "M5"]


def test_nested_requirements(store):
    inst = base(units={**base()["units"], "U3": {"ects": 10, "outcomes": ["O4"]}},
                mcs={**base()["mcs"], "M5": {"ects": 9, "outcomes": ["O4"], "language": "hr"}},
                requirement=("all", ["U1", ("choice", 1, ["U2", "U3"])]))
    answer = paths(store, inst)
    assert best(answer) == ["M1", "M2", "M4"]
    assert [names(p.chosen) for p in answer.paths[1:]] == [["M3", "M4"], ["M1", "M2", "M5"], ["M3", "M5"]]


def test_an_outcome_as_a_direct_component(store):
    inst = base(requirement=("all", ["U2", "O1"]))
    assert best(paths(store, inst)) == ["M1", "M4"]


# -- prerequisites and stages ------------------------------------------------------------

def test_prerequisites_are_taken_and_ordered_in_stages(store):
    mcs = base()["mcs"]
    mcs["M4"] = {**mcs["M4"], "prereqs": ["P"]}
    mcs["P"] = {"ects": 1, "outcomes": ["B"], "language": "hr"}
    mcs["M2"] = {**mcs["M2"], "prereqs": ["B"]}  # an outcome prerequisite, taught by P
    answer = paths(store, base(mcs=mcs))
    p = answer.paths[0]
    assert [names(s) for s in p.stages] == [["M1", "P"], ["M2", "M4"]]
    text = answer.to_text()
    assert text.index("Stage 1") < text.index("P (1 ECTS") < text.index("Stage 2") < text.index("M4 (6 ECTS")


def test_prerequisite_met_by_a_held_credential_needs_nothing_more(store):
    mcs = base()["mcs"]
    mcs["M4"] = {**mcs["M4"], "prereqs": ["P"]}
    mcs["P"] = {"ects": 1, "outcomes": ["B"], "language": "hr"}
    assert best(paths(store, base(mcs=mcs, held=["P"]))) == ["M1", "M2", "M4"]


@pytest.mark.parametrize("kind", ["credential", "outcome"])
def test_prerequisite_cycles_are_reported_not_looped_on(store, kind):
    mcs = base()["mcs"]
    if kind == "credential":
        mcs["M1"] = {**mcs["M1"], "prereqs": ["M2"]}
        mcs["M2"] = {**mcs["M2"], "prereqs": ["M1"]}
        members = {"M1", "M2"}
    else:  # every course waits on an outcome only the others teach
        mcs["M1"] = {**mcs["M1"], "prereqs": ["O2"]}
        mcs["M2"] = {**mcs["M2"], "prereqs": ["O1"]}
        mcs["M3"] = {**mcs["M3"], "language": "hr", "prereqs": ["O3"]}
        mcs["M4"] = {**mcs["M4"], "prereqs": ["O1"]}
        members = {"M1", "M2", "M3", "M4"}
    with pytest.raises(PrerequisiteCycle, match="prerequisite cycle in the data") as e:
        paths(store, base(mcs=mcs))
    assert len(e.value.cycle) >= 2 and set(names(e.value.cycle)) <= members
    assert all(f"<{m}>" in str(e.value) for m in e.value.cycle)


def test_a_cycle_with_a_way_in_is_ordered_exactly(store):
    # M2 requires M1; M1 requires O3, taught by M2 (on the cycle) and by M4 (a way in)
    mcs = base()["mcs"]
    mcs["M1"] = {**mcs["M1"], "prereqs": ["O3"]}
    mcs["M2"] = {**mcs["M2"], "outcomes": ["O2", "O3"], "prereqs": ["M1"]}
    mcs["M3"] = {**mcs["M3"], "ects": 20}
    answer = paths(store, base(mcs=mcs, requirement=("all", ["U1"])))
    p = answer.paths[0]
    assert [names(s) for s in p.stages] == [["M4"], ["M1"], ["M2"]]  # M1 + M2 alone would wait on each other
    assert p.total_ects == 13
    assert names(answer.paths[1].chosen) == ["M3"]


# -- constraints and objectives ------------------------------------------------------------

@pytest.mark.parametrize("constraints, allowed", [
    ({"languages": ["en"]}, {"M3"}),
    ({"modes": [ONLINE]}, {"M2", "M4"}),
    ({"countries": [HRV]}, {"M1", "M4", "M3"}),
    ({"providers": [iri("prov-a")]}, {"M3", "M4"}),
    ({"external_qa_only": True}, {"M3", "M4"}),
])
def test_constraints_filter_the_micro_credentials(store, constraints, allowed):
    mcs = base()["mcs"]
    mcs["M1"].update(mode=BLENDED, country=HRV, provider=iri("prov-b"))
    mcs["M2"].update(mode=ONLINE, provider=iri("prov-b"))
    mcs["M3"].update(mode=BLENDED, country=HRV, provider=iri("prov-a"), external_qa=True)
    mcs["M4"].update(mode=ONLINE, country=HRV, provider=iri("prov-a"), external_qa=True)
    inst = base(mcs=mcs)
    answer = paths(store, inst, constraints)
    for p in answer.paths:
        assert set(names(p.chosen)) <= allowed
    if answer.paths:
        assert feasible(inst, names(answer.paths[0].chosen), [], constraints)
    else:
        assert any("constraint" in r for r in answer.reasons), answer.reasons


def test_maximum_total_ects(store):
    answer = paths(store, base(), {"max_ects": 13})
    assert answer.paths[0].total_ects == 13 and all(p.total_ects <= 13 for p in answer.paths)
    answer = find_paths(store, Q, Learner(), Constraints(max_ects=12))
    assert not answer.paths
    assert answer.reasons == ["the least total ECTS of a complete path is 13, above the maximum of 12 ECTS"]
    assert answer.partial and answer.partial.total_ects <= 12


def test_fewest_credentials_objective(store):
    answer = paths(store, base(), objective="count")
    assert best(answer) == ["M3", "M4"]  # 2 credentials (14 ECTS) against 3 (13 ECTS)
    answer = find_paths(store, Q, Learner(), objective="ects")
    assert best(answer) == ["M1", "M2", "M4"]


def test_alternatives_are_distinct_and_in_order(store):
    answer = paths(store, base(), alternatives=5)
    sets = [set(p.chosen) for p in answer.paths]
    assert [p.total_ects for p in answer.paths] == [13, 14]  # nothing else avoids a superset
    assert all(not any(s >= e for e in sets[:k]) for k, s in enumerate(sets))
    assert [p.rank for p in answer.paths] == [1, 2]
    assert all(p.proven_optimal for p in answer.paths)


# -- no path: the reasons ----------------------------------------------------------------

def test_no_micro_credential_covers_an_outcome(store):
    inst = base(units={**base()["units"], "U3": {"ects": 5, "outcomes": ["O9"]}},
                requirement=("all", ["U1", "U2", "U3"]))
    answer = paths(store, inst)
    assert not answer.paths
    assert answer.reasons == [f"no micro-credential covers outcome 'O9' <{iri('O9')}> of unit 'U3' <{iri('U3')}>"]
    partial = answer.to_json()["closest_partial_path"]
    assert partial["complete"] is False and partial["coverage"]["after"]["units_achieved"] == 2


def test_constraint_excludes_every_candidate_for_a_unit(store):
    answer = paths(store, base(), {"languages": ["en"]})
    assert not answer.paths
    assert len(answer.reasons) == 1
    assert answer.reasons[0].startswith(f"the constraints exclude every candidate for outcome 'O3' <{iri('O3')}> of unit 'U2'")
    assert "'M4' excluded by constraint (language hr not in en)" in answer.reasons[0]
    assert names(answer.partial.chosen) == ["M3"]


def test_k_of_n_that_cannot_be_met_is_named(store):
    inst = base(units={**base()["units"], "U3": {"ects": 5, "outcomes": ["O9"]}},
                requirement=("choice", 2, ["U2", "U3"]))
    answer = paths(store, inst)
    assert answer.reasons[0] == f"requirement 'r0' <{Q}#r0> needs 2 of its 2 components; only 1 can be achieved"
    assert "no micro-credential covers outcome 'O9'" in answer.reasons[1]


def test_unavailable_prerequisite_is_named(store):
    mcs = base()["mcs"]
    mcs["M4"] = {**mcs["M4"], "prereqs": ["Elsewhere"]}
    inst = base(mcs=mcs, units={**base()["units"], "Elsewhere": {"ects": 1, "outcomes": ["O8"]}})
    answer = paths(store, inst)
    assert not answer.paths
    assert "'M4' requires 'Elsewhere'" in answer.reasons[0]


def test_a_hint_when_validation_would_help(store):
    inst = base(mcs={k: v for k, v in base()["mcs"].items() if k != "M4"},
                vs={"share": 0.5, "units": ["U2"], "outcomes": []})
    answer = paths(store, inst)
    assert f"(it could be validated under 'Validation' <{iri('vs')}> if claimed)" in answer.reasons[0]


# -- bad input ---------------------------------------------------------------------------

class RecordingStore(EmbeddedStore):
    """A real in-memory store that remembers the queries it was asked."""

    def __init__(self):
        super().__init__(None)
        self.queries = []

    def select(self, query):
        self.queries.append(query)
        return super().select(query)

    def query_serialized(self, query, *args, **kwargs):
        self.queries.append(query)
        return super().query_serialized(query, *args, **kwargs)


def test_unknown_iris_are_named():
    store = load(RecordingStore(), base())
    with pytest.raises(UnknownEntity, match="unknown IRI: <https://example.org/Nope> is not in the graph"):
        find_paths(store, iri("Nope"), Learner())
    with pytest.raises(UnknownEntity, match="credentials held: <https://example.org/Ghost>"):
        find_paths(store, Q, Learner(held=[iri("Ghost")]))
    with pytest.raises(UnknownEntity, match="claims: <https://example.org/Ghost>"):
        find_paths(store, Q, Learner(claims=[iri("Ghost")]))
    with pytest.raises(UnknownEntity, match="is not a qualification"):
        find_paths(store, iri("M1"), Learner())
    with pytest.raises(UnknownEntity, match="a claim names a unit or a learning outcome"):
        find_paths(store, Q, Learner(claims=[iri("M1")]))


@pytest.mark.parametrize("bad", [
    "https://example.org/Q> } ; DROP ALL ; SELECT * { <x",
    "https://example.org/Q}",
    'https://example.org/Q"',
    "https://example.org/a b",
    "not-an-iri",
])
def test_iris_with_sparql_syntax_are_rejected_and_never_spliced(bad):
    store = load(RecordingStore(), base())
    before = len(store.queries)
    with pytest.raises(UnsafeTermError):
        find_paths(store, bad, Learner())
    with pytest.raises(UnsafeTermError):
        find_paths(store, Q, Learner(held=[bad]))
    with pytest.raises(UnsafeTermError):
        find_paths(store, Q, Learner(claims=[bad]))
    with pytest.raises(UnsafeTermError):
        find_paths(store, Q, Learner(), Constraints(providers=[bad]))
    with pytest.raises(UnsafeTermError):
        closest(store, Learner(held=[bad]))
    assert len(store.queries) == before
    assert all(bad not in q for q in store.queries)
    assert find_paths(store, Q, Learner()).paths  # the graph is unchanged


def test_bad_options_are_refused(store):
    with pytest.raises(ValueError, match="objective"):
        find_paths(store, Q, Learner(), objective="cheapest")
    with pytest.raises(ValueError, match="language code"):
        Constraints(languages=['hr" } '])
    with pytest.raises(ValueError, match="max_ects"):
        Constraints(max_ects=-1)


def test_few_queries_whatever_the_number_of_candidates():
    inst = base()
    for i in range(40):
        inst["mcs"][f"Extra{i}"] = {"ects": 20 + i, "outcomes": ["O1", "O3"], "language": "hr",
                                    "prereqs": [f"Extra{i - 1}"] if i else []}
    store = load(RecordingStore(), inst)
    before = len(store.queries)
    answer = find_paths(store, Q, Learner())
    assert best(answer) == ["M1", "M2", "M4"] and len(answer.situation.candidates) == 44
    # the nodes, one level of prerequisites (all already candidates), the values, the
    # details of those the paths take (only those: no constraint looks at details)
    assert len(store.queries) - before == 4
    taken = {m for path in answer.paths for m in path.chosen}
    assert {m for m, mc in answer.situation.candidates.items() if mc.detailed} == taken
    assert len(taken) < 10


def test_a_constraint_on_details_reads_them_for_every_candidate_once():
    inst = base()
    store = load(RecordingStore(), inst)
    before = len(store.queries)
    answer = find_paths(store, Q, Learner(), Constraints(languages=["hr"]))
    assert all(mc.detailed for mc in answer.situation.candidates.values())
    assert len(store.queries) - before == 4  # nodes, one level, values, details of all


def test_a_prerequisite_chain_costs_one_query_per_level():
    inst = base()
    inst["mcs"]["M1"]["prereqs"] = ["C1"]
    for i in range(1, 5):  # C1 needs C2 ... C4; none of them covers a required outcome
        inst["mcs"][f"C{i}"] = {"ects": 1, "outcomes": ["O9"], "language": "hr",
                                "prereqs": [f"C{i + 1}"] if i < 4 else []}
    store = load(RecordingStore(), inst)
    before = len(store.queries)
    answer = find_paths(store, Q, Learner())
    assert best(answer) == ["M3", "M4"]  # M1 with its chain would cost 3 ECTS more
    assert {f"C{i}" for i in range(1, 5)} <= set(names(answer.situation.candidates))
    # the nodes, five levels (the candidates, C1 ... C4), the values, the chosen's details
    assert len(store.queries) - before == 1 + 5 + 1 + 1


# -- answers and closest -----------------------------------------------------------------

def test_json_answer_carries_what_a_guidance_tool_needs(store):
    mcs = base()["mcs"]
    mcs["M1"].update(mode=BLENDED, provider=iri("prov-a"))
    j = paths(store, base(mcs=mcs)).to_json()
    p = j["paths"][0]
    assert j["feasible"] and j["proven_optimal"] and p["total_ects"] == 13 and p["credential_count"] == 3
    mc = next(m for s in p["stages"] for m in s["micro_credentials"] if m["iri"] == iri("M1"))
    assert mc["ects"] == 3 and mc["languages"] == ["hr"] and mc["mode_labels"] == ["blended"]
    assert mc["provider"] == iri("prov-a")
    assert mc["covers"]["outcomes"] == [{"iri": iri("O1"), "title": "O1"}]
    assert p["coverage"]["before"]["requirement_met"] is False and p["coverage"]["after"]["requirement_met"] is True


def test_closest_ranks_qualifications_by_ects_still_needed(store):
    load(store, base())
    for name, units in (("Q2", {"V1": {"ects": 5, "outcomes": ["O1", "O3"]}}),
                        ("Q3", {"W1": {"ects": 5, "outcomes": ["O9"]}})):
        other = turtle({"units": units, "requirement": ("all", list(units)), "mcs": {}})
        store.load(other.replace(Q, Q[:-1] + name).encode(), RDF_FORMATS["turtle"], GRAPH + name)
    ranked = closest(store, Learner(held=[iri("M1")]), top=5)
    # Q3 is left out: nothing the learner holds counts toward it
    assert [(c.iri, c.ects_needed) for c in ranked] == [(iri("Q2"), 6), (Q, 10)]
    assert ranked[1].coverage_now["outcomes_covered"] == 1
    assert find_paths(store, Q, Learner(held=[iri("M1")])).paths[0].total_ects == 10
    assert find_paths(store, iri("Q2"), Learner(held=[iri("M1")])).paths[0].total_ects == 6
    assert [c.iri for c in closest(store, Learner(held=[iri("M1")]), top=1)] == [iri("Q2")]
    assert ranked[0].to_json()["ects_needed"] == 6
    assert {c.iri for c in closest(store, Learner(), top=5)} == {Q, iri("Q2")}  # Q3 has no path
    with pytest.raises(UnknownEntity, match="Ghost"):
        closest(store, Learner(held=[iri("Ghost")]))


def test_time_limit_gives_the_best_found_marked_not_proven_optimal(store):
    import random
    r = random.Random(1)
    outcomes = [f"O{i}" for i in range(70)]
    units = {f"U{j}": {"ects": 5, "outcomes": outcomes[j * 5:(j + 1) * 5]} for j in range(14)}
    mcs = {f"M{i}": {"ects": r.randint(2, 9), "outcomes": r.sample(outcomes, r.randint(3, 8))} for i in range(220)}
    load(store, {"units": units, "requirement": ("all", list(units)), "mcs": mcs})
    answer = find_paths(store, Q, Learner(), alternatives=2, time_limit=0.05)  # proving takes seconds
    assert answer.timed_out
    if answer.paths:
        assert len(answer.paths) == 1 and not answer.paths[0].proven_optimal
        assert answer.to_json()["proven_optimal"] is False
        assert "not proven optimal" in answer.to_text()
    else:
        assert answer.reasons == ["the solver's time limit was reached before a path was found"]


def test_hours_of_a_duration_in_iso_form_or_in_seconds_as_virtuoso_answers():
    from qfgraph.graph.stacking.situation import hours
    from qfgraph.graph.stacking.query import Lit
    duration = "http://www.w3.org/2001/XMLSchema#duration"
    assert hours(Lit("P6DT6H", None, duration)) == hours(Lit("540000.0", None, duration)) == 150
    assert hours(Lit("PT90M", None, duration)) == 1.5
    assert hours(Lit("a while", None, duration)) is None and hours(None) is None


def test_dominated_courses_are_left_out_of_the_optimum_but_not_of_the_alternatives(store):
    from qfgraph.graph.stacking import solver
    from qfgraph.graph.stacking.engine import load_situation
    mcs = base()["mcs"]
    mcs["M5"] = {"ects": 9, "outcomes": ["O1"], "language": "hr"}                     # M1 is cheaper
    mcs["M6"] = {"ects": 3, "outcomes": ["O1"], "language": "hr", "prereqs": ["M2"]}  # needs more
    mcs["M7"] = {"ects": 1, "outcomes": ["O2"], "language": "hr", "prereqs": ["M5"]}  # M5 comes first
    load(store, base(mcs=mcs))
    situation = load_situation(store, Q, Learner())
    pool = solver.takeable(situation, solver.allowed_candidates(situation, Constraints()))
    assert names(solver.dominated(situation, pool)) == ["M6"]  # M5 is M7's prerequisite
    del mcs["M7"]
    store2 = load(EmbeddedStore(None), base(mcs=mcs))
    situation = load_situation(store2, Q, Learner())
    pool = solver.takeable(situation, solver.allowed_candidates(situation, Constraints()))
    assert names(solver.dominated(situation, pool)) == ["M5", "M6"]
    answer = find_paths(store2, Q, Learner(), alternatives=8)
    assert best(answer) == ["M1", "M2", "M4"]
    assert any("M5" in names(p.chosen) for p in answer.paths[1:])  # alternatives see every course


def test_a_course_covering_through_an_equivalent_outcome_is_not_dominated(store):
    # M1 teaches X1, declared equivalent to the required O1 (read from O1's side only)
    inst = {"q_ects": 4, "units": {"U1": {"ects": 2, "outcomes": ["O1"]}}, "requirement": ("all", ["U1"]),
            "mcs": {"M0": {"ects": 1, "outcomes": ["O2"], "language": "hr"},
                    "M1": {"ects": 1, "outcomes": ["X1"], "language": "hr", "prereqs": ["M0"]}},
            "equiv": [("O1", "X1")], "held": [], "claims": []}
    assert best(paths(store, inst)) == ["M0", "M1"]


def test_warm_up_imports_the_solver_before_any_lookup():
    code = ("import sys, graph.stacking as s; before = 'scipy.optimize' in sys.modules; s.warm_up(); "
            "print(before, 'scipy.optimize' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_titles_with_quotes_tabs_line_breaks_and_accents_come_back_as_written(store):
    inst = base()
    load(store, inst)
    title = 'Sigurnost "na radu"\tI\nžena \\ é'
    store.update(bind("DELETE { GRAPH $g { $m dcterms:title ?old } } INSERT { GRAPH $g { $m dcterms:title $t } } "
                      "WHERE { GRAPH $g { $m dcterms:title ?old } }",
                      {"g": GRAPH, "m": iri("M1"), "t": Literal(title, lang="en")}))
    answer = find_paths(store, Q, Learner(), alternatives=0)
    assert answer.paths[0].situation.candidates[iri("M1")].title == title
