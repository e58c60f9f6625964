"""The indicators computed another way: walking an rdflib graph in Python, with no SPARQL,
from the definitions in words (docs/indicators.md). The tests (tests/test_indicators.py)
hold the published queries against it; the indicators figure times it as the naive baseline."""
from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from qfgraph.ontology.namespaces import ELM, QF

ROLES = {"provider": (QF.Provider,), "employer-or-sector-body": (QF.Employer, QF.SectorBody),
         "pes-or-guidance": (QF.PublicEmploymentService, QF.GuidanceService),
         "qa-authority": (QF.QualityAssuranceAuthority,), "validation-authority": (QF.ValidationAuthority,)}
INVOLVED = (ELM.awardingBody, QF.coDesignedBy, QF.endorsedBy, QF.recognisedBy, QF.guidanceBy,
            ELM.accreditingAgent, QF.validationAuthority)


class Reference:
    def __init__(self, g: Graph, today: str):
        self.g, self.today = g, today
        self.mcs = set(g.subjects(RDF.type, QF.MicroCredential))
        self.quals = set(g.subjects(RDF.type, ELM.Qualification))

    # -- helpers ---------------------------------------------------------------------------
    def objs(self, s, p):
        return set(self.g.objects(s, p))

    def dims(self, x) -> dict:
        g = self.g
        return {"country": {str(c) for c in g.objects(x, QF.country)},
                "framework": {str(f) for n in g.objects(x, ELM.NQFLevel) for f in g.objects(n, QF.levelFramework)},
                "field": {str(c).split("isced-f/", 1)[1][:2] for c in g.objects(x, ELM.ISCEDFCode) if "isced-f/" in str(c)},
                "level": {str(lv) for lv in g.objects(x, ELM.EQFLevel)}}

    def current(self, need) -> bool:
        dates = [str(d)[:10] for d in self.objs(need, DCTERMS.date)]
        horizons = [str(h)[:4] for h in self.objs(need, QF.horizon)]
        return all(d <= self.today for d in dates) and all(h >= self.today[:4] for h in horizons)

    def needs_of(self, mc) -> set:
        g = self.g
        out = set(self.objs(mc, QF.addressesNeed))
        for lo in self.objs(mc, ELM.learningOutcome):
            out |= set(g.subjects(QF.concernsOutcome, lo))
            for skill in self.objs(lo, ELM.relatedESCOSkill):
                out |= set(g.subjects(QF.concernsSkill, skill))
        return {n for n in out if (n, RDF.type, QF.SkillsNeed) in g}

    def has_role(self, org, roles) -> bool:
        return any((org, RDF.type, r) in self.g for r in roles)

    def valid_accreditation(self, mc) -> bool:
        g = self.g
        accs = set(self.objs(mc, ELM.accreditation))
        if (mc, QF.qualityAssurance, QF.ExternalQualityAssurance) in g:
            for org in self.objs(mc, ELM.awardingBody):
                accs |= set(g.subjects(ELM.organisation, org))
        for a in accs:
            if (a, RDF.type, ELM.Accreditation) not in g or not self.objs(a, ELM.accreditingAgent):
                continue
            if any(str(e)[:10] < self.today for e in self.objs(a, ELM.expiryDate)):
                continue
            if any(str(i)[:10] > self.today for i in self.objs(a, ELM.dateIssued)):
                continue
            levels = self.objs(a, ELM.limitEQFLevel)
            if levels and not levels & self.objs(mc, ELM.EQFLevel):
                continue
            fields = self.objs(a, ELM.limitField)
            if fields and not any(str(c).startswith(str(f)) for f in fields for c in self.objs(mc, ELM.ISCEDFCode)):
                continue
            return True
        return False

    def stacks_toward(self, mc) -> set:
        g = self.g
        out = set(self.objs(mc, QF.stackableToward))
        for ra in g.subjects(QF.recognisedCredential, mc):
            for unit in self.objs(ra, QF.recognisedAs):
                out |= self.objs(unit, ELM.isPartOf)
        return {q for q in out if q in self.quals}

    def outcomes(self, q) -> set:
        out = set(self.objs(q, ELM.learningOutcome))
        for unit in self.objs(q, ELM.hasPart):
            out |= self.objs(unit, ELM.learningOutcome)
        return out

    def validated(self, q) -> set:
        out = set()
        for vs in self.g.subjects(QF.validates, q):
            out |= self.objs(vs, QF.validatesOutcome)
            for unit in self.objs(vs, QF.validatesUnit):
                out |= self.objs(unit, ELM.learningOutcome)
        return out

    def mc_outcomes(self) -> set:
        g, out = self.g, set()
        for mc in self.mcs:
            for lo in self.objs(mc, ELM.learningOutcome):
                out |= {lo} | self.objs(lo, QF.equivalentOutcome) | set(g.subjects(QF.equivalentOutcome, lo))
            for ra in g.subjects(QF.recognisedCredential, mc):
                for unit in self.objs(ra, QF.recognisedAs):
                    out |= self.objs(unit, ELM.learningOutcome)
        return out

    # -- the indicators: {thing: (hit, dims)} ----------------------------------------------
    def things(self, indicator_id: str) -> dict:
        g, mcs = self.g, self.mcs
        if indicator_id == "anticipation-linked":
            return {(m, None): (any(self.current(n) for n in self.needs_of(m)), self.dims(m)) for m in mcs}
        if indicator_id == "anticipation-answered":
            answered = {n for m in mcs for n in self.needs_of(m)}
            return {(n, None): (n in answered, {"country": {str(r) for r in self.objs(n, QF.region)}})
                    for n in g.subjects(RDF.type, QF.SkillsNeed) if self.current(n)}
        if indicator_id == "employers-involved":
            return {(m, None): (any(self.has_role(o, ROLES["employer-or-sector-body"])
                                    for p in (QF.coDesignedBy, QF.endorsedBy) for o in self.objs(m, p)), self.dims(m))
                    for m in mcs}
        if indicator_id == "guidance-listed":
            return {(m, None): (any(self.has_role(o, ROLES["pes-or-guidance"]) for o in self.objs(m, QF.guidanceBy)),
                                self.dims(m)) for m in mcs}
        if indicator_id == "guidance-stacking":
            return {(m, None): (bool(self.stacks_toward(m)), self.dims(m)) for m in mcs}
        if indicator_id.startswith("qa-"):
            out = {}
            for m in mcs:
                valid = self.valid_accreditation(m)
                internal = (m, QF.qualityAssurance, QF.InternalQualityAssurance) in g
                hit = {"qa-external": valid, "qa-internal": not valid and internal,
                       "qa-none": not valid and not internal}[indicator_id]
                out[(m, None)] = (hit, self.dims(m))
            return out
        if indicator_id == "frameworks-referenced":
            return {(m, None): (any(self.objs(n, QF.referencedTo) for n in self.objs(m, ELM.NQFLevel)), self.dims(m))
                    for m in mcs}
        if indicator_id == "frameworks-level-agrees":
            out = {}
            for m in mcs:
                levels = self.objs(m, ELM.EQFLevel)
                targets = [q for q in self.stacks_toward(m) if self.objs(q, ELM.EQFLevel)]
                if not levels or not targets:
                    continue
                order = lambda lv: {float(o) for o in self.objs(lv, QF.order)}  # noqa: E731
                above = any(mo > qo for ml in levels for q in targets for ql in self.objs(q, ELM.EQFLevel)
                            for mo in order(ml) for qo in order(ql))
                out[(m, None)] = (not above, self.dims(m))
            return out
        if indicator_id in ("validation-covered", "validation-via-mc"):
            reachable = self.mc_outcomes() if indicator_id == "validation-via-mc" else None
            out = {}
            for q in self.quals:
                covered = reachable if reachable is not None else self.validated(q)
                for lo in self.outcomes(q):
                    out[(q, lo)] = (lo in covered, self.dims(q))
            return out
        if indicator_id == "validation-full":
            reachable = self.mc_outcomes()
            return {(q, None): (self.outcomes(q) <= reachable | self.validated(q), self.dims(q))
                    for q in self.quals if self.outcomes(q)}
        if indicator_id == "governance-roles":
            countries = {c for x in mcs | self.quals for c in self.objs(x, QF.country)}
            involved = {o for p in INVOLVED for o in g.objects(None, p)}
            out = {}
            for c in countries:
                for role, classes in ROLES.items():
                    hit = any(self.has_role(o, classes) and (o, QF.country, c) in g for o in involved)
                    out[(role, c)] = (hit, {"country": {str(c)}})
            return out
        raise KeyError(indicator_id)

    def counts(self, indicator_id: str, by: str | None) -> tuple[dict, tuple[int, int]]:
        """{group: (numerator, denominator)} and the total, as the indicators count them."""
        groups: dict = {}
        things = self.things(indicator_id)
        for thing, (hit, dims) in things.items():
            keys = (dims.get(by) or {None}) if by in dims else {"(all)"}
            for k in keys:
                n, d = groups.get(k, (0, 0))
                groups[k] = (n + hit, d + 1)
        total = (sum(h for h, _ in things.values()), len(things))
        return groups, total


def union_graph(store) -> Graph:
    return store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

