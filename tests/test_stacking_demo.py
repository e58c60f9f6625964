"""Stacking paths on the demo graph: the README's three learners, and the command line."""
from __future__ import annotations

import json

import pytest

from qfgraph.api.cli import main
from qfgraph.graph.stacking import Constraints, Learner, closest, find_paths

HR, NL, DK = (f"https://w3id.org/qfgraph/id/{c}/" for c in ("hr", "nl", "dk"))

CROATIAN = (HR + "qualification/welder",
            Learner(held=[HR + "mc/ohs-metalwork", HR + "mc/mag-welding-plates"],
                    claims=[HR + "unit/welder-mma", HR + "outcome/mag-pipes"]))
DUTCH = (NL + "qualification/service-technician-installations",
         Learner(held=[NL + "mc/safe-working-installations", NL + "mc/heat-pump-installation"],
                 claims=[NL + "unit/st-customer", NL + "outcome/fault-diagnosis"]))
DANISH = (DK + "qualification/social-health-care-assistant",
          Learner(held=[DK + "mc/hygiene-infection", DK + "mc/patient-transfer"],
                  claims=[DK + "unit/ssa-care", DK + "unit/ssa-documentation"]))


def test_croatian_welder_recognition_validation_and_stages(demo_store):
    answer = find_paths(demo_store, *CROATIAN)
    best = answer.paths[0]
    assert best.proven_optimal and best.total_ects == 13
    assert best.chosen == [HR + "mc/technical-drawing", HR + "mc/tig-welding", HR + "mc/weld-inspection"]
    assert [len(s) for s in best.stages] == [2, 1]  # weld inspection needs technical drawing first
    assert sorted(i for i, _ in best.validated) == [HR + "outcome/mag-pipes", HR + "unit/welder-mma"]
    before = best.routes(before=True)
    assert before[HR + "unit/welder-ohs"].route == "recognised"  # agreement on the held safety course
    assert best.to_json()["coverage"]["after"]["requirement_met"]


def test_dutch_technician_uses_recognition_agreements_and_the_evc_procedure(demo_store):
    answer = find_paths(demo_store, *DUTCH)
    best = answer.paths[0]
    assert best.total_ects == 10 and len(best.validated) == 2
    routes = best.routes()
    assert routes[NL + "unit/st-refrigerants"].route == "recognised"
    assert routes[NL + "unit/st-customer"].route == "validated"
    assert [p.total_ects for p in answer.paths] == sorted(p.total_ects for p in answer.paths)


def test_danish_care_assistant_with_prerequisites(demo_store):
    answer = find_paths(demo_store, *DANISH)
    best = answer.paths[0]
    assert best.total_ects == 9.5
    assert best.stages[-1] == [DK + "mc/dementia-person-centred"]  # after its introduction course
    assert DK + "mc/dementia-introduction" in best.stages[0]


def test_danish_learner_restricted_to_english_courses_gets_reasons(demo_store):
    target, learner = DANISH
    answer = find_paths(demo_store, target, learner, Constraints(languages=["en"]))
    assert not answer.paths
    assert len(answer.reasons) == len(set(answer.reasons))
    assert any(r.startswith("the constraints exclude every candidate for outcome 'Administer and document "
                            "medication") for r in answer.reasons)
    assert answer.partial is not None and answer.partial.chosen == []


def test_closest_on_the_demo_graph(demo_store):
    ranked = closest(demo_store, DANISH[1], top=3)
    assert ranked[0].iri == DANISH[0] and ranked[0].ects_needed == 9.5
    assert [c.ects_needed for c in ranked] == sorted(c.ects_needed for c in ranked)


@pytest.fixture
def demo_dir(tmp_path):
    store = str(tmp_path / "store")
    assert main(["--store", store, "demo"]) == 0
    return store


def test_cli_paths_json_and_text(demo_dir, capsys):
    capsys.readouterr()
    target, learner = DUTCH
    args = ["--store", demo_dir, "paths", "--target", target, "--alternatives", "1"]
    for h in learner.held:
        args += ["--held", h]
    for c in learner.claims:
        args += ["--claim", c]
    assert main(args + ["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["total_ects"] for p in data["paths"]] == [10, 11]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "Path 1 (optimal): 10 ECTS, 4 micro-credentials" in text and "Validate unit 'Advising" in text


def test_cli_errors_name_the_iri(demo_dir, capsys):
    assert main(["--store", demo_dir, "paths", "--target", NL + "nothing-here"]) == 1
    assert f"<{NL}nothing-here>" in capsys.readouterr().err
    assert main(["--store", demo_dir, "paths", "--target", NL + "a b"]) == 1
    assert "not a valid IRI" in capsys.readouterr().err
    assert main(["--store", demo_dir, "closest", "--held", "https://x.org/>"]) == 1
    assert "not a valid IRI" in capsys.readouterr().err


def test_cli_closest(demo_dir, capsys):
    capsys.readouterr()
    assert main(["--store", demo_dir, "closest", "--held", DK + "mc/hygiene-infection",
                 "--claim", DK + "unit/ssa-care", "--top", "2", "--json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert len(ranked) == 2 and ranked[0]["ects_needed"] <= ranked[1]["ects_needed"]
