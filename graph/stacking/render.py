"""Answers as JSON (for guidance tools) and as readable text (for the command line)."""
from __future__ import annotations

from qfgraph.graph.stacking.coverage import Route, summary
from qfgraph.graph.stacking.solver import prerequisite_graph
from qfgraph.ontology.namespaces import MODE

# Labels of the Europass form-of-participation (mode) list, for display only.
MODE_LABELS = {str(MODE["920fbb3cbe"]): "online", str(MODE["9191af2ed9"]): "presential",
               str(MODE["e92d221e4d"]): "blended", str(MODE["729f3bed4b"]): "work-based"}


def _num(value):
    return None if value is None else (int(value) if float(value).is_integer() else round(value, 2))


def _covers(path, m: str, routes: dict[str, Route | None]) -> dict:
    """The required units m is recognised as or completes, and the outcomes it covers."""
    p = path.situation
    units = [{"iri": u, "title": p.title_of(u), "as": routes[u].route} for u in sorted(p.units)
             if routes.get(u) and m in routes[u].by and routes[u].route in ("recognised", "outcomes")]
    outcomes = sorted(o for o in p.outcomes if routes.get(o) and routes[o].route == "chosen" and m in routes[o].by)
    return {"units": units, "outcomes": [{"iri": o, "title": p.title_of(o)} for o in outcomes]}


def micro_credential_json(path, m: str, routes, requires=()) -> dict:
    mc = path.situation.candidates[m]
    return {"iri": m, "title": mc.title,
            "provider": mc.providers[0] if mc.providers else None,
            "provider_title": mc.provider_titles[0] if mc.provider_titles else None,
            "ects": _num(mc.ects), "eqf_level": mc.eqf_level, "languages": list(mc.languages),
            "modes": list(mc.modes), "mode_labels": [MODE_LABELS.get(x, x) for x in mc.modes],
            "hours": _num(mc.hours), "externally_quality_assured": mc.external_qa,
            "covers": _covers(path, m, routes),
            "requires": sorted(requires)}


def validation_json(path, item: str, standard: str) -> dict:
    p = path.situation
    s = next(s for s in p.standards if s.iri == standard)
    return {"item": item, "title": p.title_of(item), "kind": "unit" if item in p.units else "outcome",
            "standard": s.iri, "standard_title": s.title, "authority": s.authority,
            "authority_title": s.authority_title, "assessment_methods": list(s.methods),
            "ects_share": _num(p.weights.get(item, 0.0)), "maximum_share": s.share}


def routes_json(p, routes) -> list[dict]:
    out = []
    for item in sorted(p.units) + sorted(p.outcomes):
        r = routes.get(item)
        out.append({"item": item, "title": p.title_of(item), "kind": "unit" if item in p.units else "outcome",
                    "route": r.route if r else None, "by": list(r.by) if r else []})
    return out


def path_json(path) -> dict:
    p = path.situation
    routes, before = path.routes(), path.routes(before=True)
    # which chosen micro-credentials meet each one's prerequisites (the diagram's arrows)
    needs = prerequisite_graph(p, path.chosen)
    return {
        "rank": path.rank, "complete": path.complete, "proven_optimal": path.proven_optimal,
        "total_ects": _num(path.total_ects), "credential_count": len(path.chosen),
        "total_hours": _num(path.hours), "validation_count": len(path.validated),
        "stages": [{"stage": i + 1, "micro_credentials": [
            micro_credential_json(path, m, routes, needs.predecessors(m)) for m in stage]}
                   for i, stage in enumerate(path.stages)],
        "validation": [validation_json(path, i, s) for i, s in path.validated],
        "coverage": {"before": summary(p, before), "after": summary(p, routes), "routes": routes_json(p, routes)},
    }


def answer_json(a) -> dict:
    p = a.situation
    return {
        "target": {"iri": p.target, "title": p.title, "ects": _num(p.ects), "eqf_level": p.eqf_level},
        "learner": {"held": a.learner.held, "claims": a.learner.claims},
        "constraints": a.constraints.to_json(), "objective": a.objective,
        "feasible": a.feasible,
        "proven_optimal": bool(a.paths) and all(x.proven_optimal for x in a.paths),
        "paths": [path_json(x) for x in a.paths],
        "reasons": a.reasons,
        "closest_partial_path": path_json(a.partial) if a.partial else None,
        "seconds": round(a.seconds, 4),
    }


# -- text ---------------------------------------------------------------------------------

def _coverage_line(c: dict) -> str:
    return (f"{c['units_achieved']}/{c['units_total']} units, {c['outcomes_covered']}/{c['outcomes_total']} "
            f"outcomes, requirement {'met' if c['requirement_met'] else 'not met'}")


def path_text(pj: dict, heading: str) -> list[str]:
    hours = f", {pj['total_hours']} hours" if pj["total_hours"] is not None else ""
    lines = [f"{heading}: {pj['total_ects']} ECTS, {pj['credential_count']} micro-credential"
             f"{'s' if pj['credential_count'] != 1 else ''}{hours}, {pj['validation_count']} validation step"
             f"{'s' if pj['validation_count'] != 1 else ''}"]
    for stage in pj["stages"]:
        lines.append(f"  Stage {stage['stage']}")
        for mc in stage["micro_credentials"]:
            facts = [f"{mc['ects']} ECTS"]
            facts += [f"EQF {mc['eqf_level']}"] if mc["eqf_level"] else []
            facts += [", ".join(mc["languages"])] if mc["languages"] else []
            facts += [", ".join(mc["mode_labels"])] if mc["mode_labels"] else []
            lines.append(f"    - {mc['title']} ({'; '.join(facts)})" +
                         (f", {mc['provider_title']}" if mc["provider_title"] else ""))
            lines.append(f"      {mc['iri']}")
            for u in mc["covers"]["units"]:
                how = "recognised as" if u["as"] == "recognised" else "completes"
                lines.append(f"      {how} unit '{u['title']}'")
            if mc["covers"]["outcomes"]:
                lines.append("      outcomes: " + "; ".join(o["title"] for o in mc["covers"]["outcomes"]))
    for v in pj["validation"]:
        by = f" by {v['authority_title'] or v['authority']}" if v["authority"] else ""
        lines.append(f"  Validate {v['kind']} '{v['title']}' under '{v['standard_title']}'{by}; "
                     f"counts {v['ects_share']} ECTS toward the maximum share ({v['maximum_share']:.0%})")
    lines.append(f"  Coverage after: {_coverage_line(pj['coverage']['after'])}")
    return lines


def answer_text(a) -> str:
    j = answer_json(a)
    t = j["target"]
    level = f"EQF {t['eqf_level']}, " if t["eqf_level"] else ""
    lines = [f"Target: {t['title']} ({level}{t['ects']} ECTS)", f"  {t['iri']}"]
    first = (j["paths"] or [j["closest_partial_path"]] or [None])[0]
    if first:
        lines.append(f"Coverage now: {_coverage_line(first['coverage']['before'])}")
    for pj in j["paths"]:
        label = "optimal" if pj["rank"] == 1 else "alternative"
        proof = "" if pj["proven_optimal"] else ", best found in the time limit, not proven optimal"
        lines += [""] + path_text(pj, f"Path {pj['rank']} ({label}{proof})")
    if not j["paths"]:
        lines += ["", "No path reaches this qualification:"] + [f"  - {r}" for r in j["reasons"]]
        if j["closest_partial_path"]:
            lines += [""] + path_text(j["closest_partial_path"], "Closest partial path")
    return "\n".join(lines) + "\n"
