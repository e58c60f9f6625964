"""Small stacking instances for tests: a compact description, its Turtle, and an independent
feasibility checker with brute-force enumeration (written from the rules, not from the
engine's integer programme).

An instance is a dict:
    q_ects: float; units: {U: {"ects": e, "outcomes": [O...]}}
    requirement: ("all", [c...]) | ("choice", k, [c...]) | ("credits", n, [c...] or None),
                 nested, where c is a unit, an outcome or another requirement tuple
    mcs: {M: {"ects": e, "outcomes": [...], "prereqs": [...], "language": "hr", "mode": ...,
              "country": ..., "provider": ..., "external_qa": bool}}
    equiv: [(O, O2)...]; ras: [(M, U)...]
    vs: {"share": s, "units": [...], "outcomes": [...]} or None
    held: [...]; claims: [...]
Names are local: they become https://example.org/<name>.
"""
from __future__ import annotations

from itertools import chain, combinations

EX = "https://example.org/"
Q = EX + "Q"
GRAPH = EX + "graph"
PREFIXES = """@prefix qf: <https://w3id.org/qfgraph#> . @prefix elm: <http://data.europa.eu/snb/model/elm/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""


def iri(name: str) -> str:
    return name if name.startswith("http") else EX + name


def _ects(node: str, value) -> str:
    return (f"<{node}> elm:creditPoint <{node}#ects> . <{node}#ects> a elm:CreditPoint ; "
            f"elm:framework <http://data.europa.eu/snb/education-credit/6fcec5c5af> ; elm:point \"{value:g}\" .\n")


def turtle(inst: dict) -> str:
    out = [PREFIXES, f"<{Q}> a elm:Qualification ; dcterms:title \"Target\"@en ; qf:requirement <{Q}#r0> .\n",
           _ects(Q, inst.get("q_ects", sum(u["ects"] for u in inst["units"].values())))]
    outcomes = set()
    for u, spec in inst["units"].items():
        out.append(f"<{iri(u)}> a qf:Unit ; dcterms:title \"{u}\"@en ; elm:isPartOf <{Q}> .\n")
        out.append(_ects(iri(u), spec["ects"]))
        out += [f"<{iri(u)}> elm:learningOutcome <{iri(o)}> .\n" for o in spec["outcomes"]]
        outcomes |= set(spec["outcomes"])
    counter = [0]

    def node(req) -> str:
        name = f"{Q}#r{counter[0]}"
        counter[0] += 1
        kind = req[0]
        comps = req[-1]
        cls = {"all": "qf:AllOf", "choice": "qf:ChoiceOf", "credits": "qf:MinimumCredits"}[kind]
        out.append(f"<{name}> a {cls} .\n")
        if kind == "choice":
            out.append(f"<{name}> qf:requiredCount {req[1]} .\n")
        if kind == "credits":
            out.append(f"<{name}> qf:minimumCredits {float(req[1])} .\n")
        for c in comps or []:
            target = node(c) if isinstance(c, tuple) else iri(c)
            out.append(f"<{name}> qf:component <{target}> .\n")
        return name
    node(inst["requirement"])
    for m, spec in inst["mcs"].items():
        out.append(f"<{iri(m)}> a qf:MicroCredential ; dcterms:title \"{m}\"@en .\n")
        if spec.get("ects") is not None:
            out.append(_ects(iri(m), spec["ects"]))
        out += [f"<{iri(m)}> elm:learningOutcome <{iri(o)}> .\n" for o in spec.get("outcomes", [])]
        out += [f"<{iri(m)}> qf:prerequisite <{iri(p)}> .\n" for p in spec.get("prereqs", [])]
        if spec.get("language"):
            out.append(f"<{iri(m)}> dcterms:language \"{spec['language']}\"^^xsd:language .\n")
        for prop, key in (("elm:mode", "mode"), ("qf:country", "country"), ("elm:awardingBody", "provider")):
            if spec.get(key):
                out.append(f"<{iri(m)}> {prop} <{iri(spec[key])}> .\n")
        if spec.get("external_qa"):
            out.append(f"<{iri(m)}> qf:qualityAssurance qf:ExternalQualityAssurance .\n")
        outcomes |= set(spec.get("outcomes", [])) | {p for p in spec.get("prereqs", []) if p not in inst["mcs"]}
    for a, b in inst.get("equiv", []):
        out.append(f"<{iri(a)}> qf:equivalentOutcome <{iri(b)}> .\n")
        outcomes |= {a, b}
    for i, (m, u) in enumerate(inst.get("ras", [])):
        out.append(f"ex:ra{i} a qf:RecognitionAgreement ; qf:recognisedCredential <{iri(m)}> ; qf:recognisedAs <{iri(u)}> .\n")
    vs = inst.get("vs")
    if vs:
        out.append(f"ex:vs a qf:ValidationStandard ; dcterms:title \"Validation\"@en ; qf:validates <{Q}> ; "
                   f"qf:maximumShare {float(vs['share'])} ; qf:validationAuthority ex:authority .\n")
        out.append("ex:authority a elm:Organisation ; elm:legalName \"Authority\"@en .\n")
        out += [f"ex:vs qf:validatesUnit <{iri(u)}> .\n" for u in vs.get("units", [])]
        out += [f"ex:vs qf:validatesOutcome <{iri(o)}> .\n" for o in vs.get("outcomes", [])]
    outcomes |= {x for x in inst.get("held", []) + inst.get("claims", [])
                 if x not in inst["mcs"] and x not in inst["units"] and x != "Q"}
    out += [f"<{iri(o)}> a elm:LearningOutcome ; dcterms:title \"{o}\"@en .\n" for o in sorted(outcomes)]
    return "".join(out)


# -- the independent checker ---------------------------------------------------------------

def _equivalents(inst, o):
    return {b for a, b in inst.get("equiv", []) if a == o} | {a for a, b in inst.get("equiv", []) if b == o}


def _has(inst, o, pool) -> bool:
    return o in pool or bool(_equivalents(inst, o) & pool)


def weight(inst, item) -> float:
    units = inst["units"]
    if item in units:
        return units[item]["ects"]
    shares = [u["ects"] / len(u["outcomes"]) for u in units.values() if item in u["outcomes"]]
    return min(shares)


def allowed(inst, m, constraints) -> bool:
    spec = inst["mcs"][m]
    if spec.get("ects") is None:
        return False
    c = constraints or {}
    return ((not c.get("languages") or spec.get("language") in c["languages"])
            and (not c.get("modes") or spec.get("mode") in c["modes"])
            and (not c.get("countries") or spec.get("country") in c["countries"])
            and (not c.get("providers") or spec.get("provider") in c["providers"])
            and (not c.get("external_qa_only") or spec.get("external_qa", False)))


def validatable(inst) -> list[str]:
    vs = inst.get("vs")
    if not vs:
        return []
    cap = vs["share"] * inst.get("q_ects", sum(u["ects"] for u in inst["units"].values()))
    return sorted(i for i in set(vs.get("units", [])) | set(vs.get("outcomes", []))
                  if i in inst.get("claims", []) and weight(inst, i) <= cap + 1e-9)


def feasible(inst, chosen, validated, constraints=None) -> bool:
    """Does taking `chosen` (in some order) and validating `validated` earn the target?"""
    chosen, validated = set(chosen), set(validated)
    held = set(inst.get("held", []))
    units, mcs = inst["units"], inst["mcs"]
    if chosen & held or not all(allowed(inst, m, constraints) for m in chosen):
        return False
    if (constraints or {}).get("max_ects") is not None and \
            sum(mcs[m]["ects"] for m in chosen) > constraints["max_ects"] + 1e-9:
        return False
    vs = inst.get("vs")
    if validated:
        if not vs or not validated <= set(validatable(inst)):
            return False
        q_ects = inst.get("q_ects", sum(u["ects"] for u in units.values()))
        if sum(weight(inst, i) for i in validated) > vs["share"] * q_ects + 1e-9:
            return False
    held_units = {u for u in units if u in held or "Q" in held}
    recognised = {u for m, u in inst.get("ras", []) if m in held}
    held_outcomes = {o for m in held & set(mcs) for o in mcs[m].get("outcomes", [])}
    held_outcomes |= {o for u in held_units | recognised for o in units[u]["outcomes"]}
    held_outcomes |= held - set(mcs) - set(units) - {"Q"}
    # order: each micro-credential's prerequisites met by what is held or taken before it
    taken, remaining = set(), set(chosen)

    def met(p, m):
        return (p in held or p in held_units or p in recognised or _has(inst, p, held_outcomes)
                or p in taken or any(_has(inst, p, set(mcs[k].get("outcomes", []))) for k in taken if k != m))
    while remaining:
        ready = {m for m in remaining if all(met(p, m) for p in mcs[m].get("prereqs", []))}
        if not ready:
            return False
        taken |= ready
        remaining -= ready
    unit_level = held_units | recognised | {u for m, u in inst.get("ras", []) if m in chosen} | (validated & set(units))
    chosen_outcomes = {o for m in chosen for o in mcs[m].get("outcomes", [])}

    def covered(o):
        return (_has(inst, o, held_outcomes) or o in validated
                or any(o in units[u]["outcomes"] for u in unit_level) or _has(inst, o, chosen_outcomes))

    def achieved(c):
        if isinstance(c, tuple):
            return requirement_met(c)
        if c in units:
            return c in unit_level or (bool(units[c]["outcomes"]) and all(covered(o) for o in units[c]["outcomes"]))
        return covered(c)

    def requirement_met(req):
        kind, comps = req[0], req[-1]
        if kind == "credits" and comps is None:
            comps = list(units)
        done = [c for c in comps if achieved(c)]
        if kind == "all":
            return len(done) == len(comps)
        if kind == "choice":
            return len(done) >= req[1]
        return sum(units[c]["ects"] for c in done if not isinstance(c, tuple) and c in units) >= req[1] - 1e-9
    return requirement_met(inst["requirement"])


def stuck(inst) -> set[str]:
    """Micro-credentials that cannot be taken in any order, even with every other one taken."""
    held = set(inst.get("held", []))
    pool = {m for m in inst["mcs"] if m not in held and inst["mcs"][m].get("ects") is not None}
    able = {m for m in pool if feasible_order(inst, pool, m)}
    return pool - able


def feasible_order(inst, pool, target) -> bool:
    """Can `target` be taken after some of `pool`, each in turn with its prerequisites met?"""
    mcs, held = inst["mcs"], set(inst.get("held", []))
    held_outcomes = {o for m in held & set(mcs) for o in mcs[m].get("outcomes", [])} | (held - set(mcs))
    taken = set()
    while True:
        def met(p, m):
            return (p in held or _has(inst, p, held_outcomes) or p in taken
                    or any(_has(inst, p, set(mcs[k].get("outcomes", []))) for k in taken if k != m))
        ready = {m for m in pool - taken if all(met(p, m) for p in mcs[m].get("prereqs", []))}
        if target in ready:
            return True
        if not ready:
            return False
        taken |= ready


def cost(inst, chosen, objective="ects") -> float:
    return len(chosen) if objective == "count" else sum(inst["mcs"][m]["ects"] for m in chosen)


def _subsets(items):
    items = list(items)
    return chain.from_iterable(combinations(items, k) for k in range(len(items) + 1))


def feasible_sets(inst, constraints=None) -> list[frozenset]:
    """Every set of micro-credentials that, with some validation, earns the target."""
    pool = [m for m in inst["mcs"] if m not in inst.get("held", []) and allowed(inst, m, constraints)]
    found = []
    for chosen in _subsets(pool):
        if any(feasible(inst, chosen, v, constraints) for v in _subsets(validatable(inst))):
            found.append(frozenset(chosen))
    return found


def brute_force(inst, constraints=None, objective="ects", excluding=()) -> float | None:
    """The least cost over feasible sets that are not supersets of any set in `excluding`."""
    costs = [cost(inst, s, objective) for s in feasible_sets(inst, constraints)
             if not any(s >= set(e) for e in excluding)]
    return min(costs) if costs else None
