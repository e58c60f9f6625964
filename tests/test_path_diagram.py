"""The path diagram (graph.stacking.diagram): stages left to right, an arrow per prerequisite
met inside the path, validation steps drawn apart, coverage bars; SVG that parses."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from qfgraph.graph.stacking import find_paths, path_svg
from tests.test_stacking_demo import CROATIAN, DANISH

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(SVG + "g") if g.get("class", "").split()[0] == cls]


def box_x(g: ET.Element) -> float:
    return float(g.find(SVG + "rect").get("x"))


def test_croatian_welder_drawn_in_two_stages_with_the_prerequisite_arrow(demo_store):
    answer = find_paths(demo_store, *CROATIAN).to_json()
    best = answer["paths"][0]
    root = parse(path_svg(best, answer["target"]))
    mcs = groups(root, "mc")
    by_stage = {}
    for g in mcs:
        by_stage.setdefault(g.get("data-stage"), set()).add(g.get("data-iri").rsplit("/", 1)[-1])
    assert by_stage == {"1": {"technical-drawing", "tig-welding"}, "2": {"weld-inspection"}}
    # stage 2 lies right of stage 1, the target right of both
    x = {g.get("data-iri").rsplit("/", 1)[-1]: box_x(g) for g in mcs}
    assert x["technical-drawing"] == x["tig-welding"] < x["weld-inspection"]
    assert box_x(groups(root, "target")[0]) > x["weld-inspection"]
    # weld inspection needs technical drawing first: one arrow, and the JSON says so
    inspection = next(mc for s in best["stages"] for mc in s["micro_credentials"]
                      if mc["iri"].endswith("weld-inspection"))
    assert [r.rsplit("/", 1)[-1] for r in inspection["requires"]] == ["technical-drawing"]
    assert len([p for p in root.iter(SVG + "path") if p.get("class") == "arrow"]) == 1
    # the two validation steps apart, below every stage box
    validations = groups(root, "validation")
    assert sorted(g.get("data-iri").rsplit("/", 1)[-1] for g in validations) == ["mag-pipes", "welder-mma"]
    lowest_stage = max(float(g.find(SVG + "rect").get("y")) for g in mcs)
    assert all(float(g.find(SVG + "rect").get("y")) > lowest_stage for g in validations)
    assert "stroke-dasharray" in root.find(SVG + "style").text.split(".validation rect")[1].split("}")[0]


def test_coverage_bars_before_and_after(demo_store):
    answer = find_paths(demo_store, *CROATIAN).to_json()
    best = answer["paths"][0]
    root = parse(path_svg(best, answer["target"]))
    bars = {g.get("class").split()[1]: g for g in groups(root, "coverage")}
    before, after = best["coverage"]["before"], best["coverage"]["after"]
    assert bars["before"].get("data-units") == str(before["units_achieved"])
    assert bars["after"].get("data-units") == str(after["units_achieved"])
    widths = {k: float(g.findall(SVG + "rect")[1].get("width")) for k, g in bars.items()}
    full = float(bars["after"].findall(SVG + "rect")[0].get("width"))
    assert widths["before"] < widths["after"] <= full
    assert abs(widths["after"] / full - after["units_achieved"] / after["units_total"]) < 0.01


def test_titles_are_escaped_and_the_picture_is_described():
    path = {"complete": True, "validation": [], "stages": [{"stage": 1, "micro_credentials": [
        {"iri": "https://example.org/mc/1", "title": 'Safety <first> & "always"', "ects": 2,
         "requires": [], "covers": {"units": []}}]}],
        "coverage": {"before": {"units_achieved": 0, "units_total": 2, "outcomes_covered": 0,
                                "outcomes_total": 3, "requirement_met": False},
                     "after": {"units_achieved": 2, "units_total": 2, "outcomes_covered": 3,
                               "outcomes_total": 3, "requirement_met": True}}}
    svg = path_svg(path, {"iri": "https://example.org/q", "title": "Q <1>", "ects": 10}, "p1")
    root = parse(svg)   # well-formed despite the markup in the titles
    texts = [t.text for t in root.iter(SVG + "text")]
    assert 'Safety <first> & "always"' in texts
    assert root.get("role") == "img" and root.get("aria-labelledby") == "p1-title p1-desc"
    assert root.find(SVG + "title").text == "Path to Q <1>"
    assert "Stage 1: Safety <first>" in root.find(SVG + "desc").text


def test_a_long_title_is_wrapped_and_cut_to_three_lines():
    title = " ".join(["interdisciplinary"] * 12)
    path = {"validation": [], "stages": [{"stage": 1, "micro_credentials": [
        {"iri": "https://example.org/mc/1", "title": title, "ects": 1}]}],
        "coverage": {k: {"units_achieved": 0, "units_total": 0, "outcomes_covered": 0, "outcomes_total": 0,
                         "requirement_met": False} for k in ("before", "after")}}
    box = groups(parse(path_svg(path, {"title": "Q"})), "mc")[0]
    heads = [t.text for t in box.iter(SVG + "text") if t.get("class") == "head"]
    assert len(heads) == 3 and heads[-1].endswith("…")
    assert all(len(h) <= 25 for h in heads)


def test_the_closest_partial_path_is_drawn_when_no_path_exists(demo_store):
    from qfgraph.graph.stacking import Constraints
    target, learner = DANISH
    answer = find_paths(demo_store, target, learner, Constraints(languages=["en"])).to_json()
    assert not answer["paths"]
    root = parse(path_svg(answer["closest_partial_path"], answer["target"]))
    assert root.find(SVG + "title").text.startswith("Closest partial path to ")
