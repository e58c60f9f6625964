"""A graph back into the CSV templates, so an authority can keep its register in a
spreadsheet: the columns the templates have, one row per entity. Entities outside the base
(whose ids a template could not hold) are left out."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from qfgraph.graph.catalogue.level_resolution import LevelRegister
from qfgraph.graph.imports.csv_templates import TEMPLATES
from qfgraph.graph.imports.jsonld import lexical_forms
from qfgraph.graph.imports.vocab import (
    ASSESSMENTS, MODES, QUALITY_ASSURANCE, ROLES, SETTINGS, word_of,
)
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import Store
from qfgraph.ontology.namespaces import COUNTRY, ELM, ISCED_F, QF, REQUIREMENT_KINDS

SEGMENTS = {t.file: t.segment for t in TEMPLATES}


def hours(volume) -> str:
    """Whole hours of an xsd:duration (stores may canonicalise PT125H to P5DT5H)."""
    if volume is None:
        return ""
    value = Literal(str(volume), datatype=XSD.duration).toPython()
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else None
    return format((Decimal(int(seconds)) / 3600).normalize(), "f") if seconds else ""


class CsvWriter:
    def __init__(self, g: Graph, base: str, levels: LevelRegister):
        self.g, self.base, self.levels = g, base, levels

    def local(self, iri) -> str:
        """The id of an entity under the base; references to others stay IRIs."""
        for t in TEMPLATES:
            prefix = f"{self.base}{t.segment}/"
            if t.segment and str(iri).startswith(prefix):
                return str(iri)[len(prefix):]
        return str(iri)

    def text(self, s, p, lang: str | None = "en") -> str:
        for o in sorted(self.g.objects(s, p), key=str):
            if isinstance(o, Literal) and (lang is None or o.language == lang):
                return str(o)
        return ""

    def local_text(self, s, p) -> tuple[str, str]:
        other = sorted((o for o in self.g.objects(s, p) if isinstance(o, Literal) and o.language
                        and o.language != "en"), key=str)
        return (str(other[0]), other[0].language) if other else ("", "")

    def ids(self, s, p) -> str:
        return ";".join(sorted(self.local(o) for o in self.g.objects(s, p)))

    def words(self, s, p, table) -> str:
        return ";".join(sorted(word_of(o, table) for o in self.g.objects(s, p)))

    def ects(self, s) -> str:
        return next((str(self.g.value(cp, ELM.point)) for cp in self.g.objects(s, ELM.creditPoint)
                     if self.g.value(cp, ELM.point) is not None), "")

    def levels_of(self, s) -> dict:
        nqf, eqf = self.g.value(s, ELM.NQFLevel), self.g.value(s, ELM.EQFLevel)
        framework, code = self.levels.code_of.get(str(nqf), ("", "")) if nqf is not None else ("", "")
        return {"framework": framework, "nqf_level": code,
                "eqf_level": str(eqf).rsplit("/", 1)[-1] if eqf is not None else ""}

    def common(self, s) -> dict:
        local, lang = self.local_text(s, DCTERMS.title)
        return {"id": self.local(s), "title_en": self.text(s, DCTERMS.title), "title_local": local,
                "local_language": lang, "description_en": self.text(s, DCTERMS.description)}

    def country(self, s) -> str:
        c = self.g.value(s, QF.country)
        return str(c)[len(str(COUNTRY)):] if c is not None else ""

    def isced(self, s) -> str:
        c = self.g.value(s, ELM.ISCEDFCode)
        return str(c)[len(str(ISCED_F)):] if c is not None else ""

    def organisations(self, s) -> dict:
        local, lang = self.local_text(s, ELM.legalName)
        return {"id": self.local(s), "name_en": self.text(s, ELM.legalName), "name_local": local,
                "local_language": lang, "description_en": self.text(s, DCTERMS.description),
                "country": self.country(s),
                "roles": ";".join(sorted(word_of(t, ROLES) for t in self.g.objects(s, RDF.type)
                                         if t in ROLES.values()))}

    def accreditations(self, s) -> dict:
        expiry = self.text(s, ELM.expiryDate, None)
        return {**self.common(s), "accrediting_agent": self.ids(s, ELM.accreditingAgent),
                "organisation": self.ids(s, ELM.organisation), "expiry_date": expiry[:10]}

    def outcomes(self, s) -> dict:
        return {**self.common(s), "esco_skills": self.ids(s, ELM.relatedESCOSkill),
                "equivalent_outcomes": self.ids(s, QF.equivalentOutcome)}

    def qualifications(self, s) -> dict:
        return {**self.common(s), **self.levels_of(s), "isced_f": self.isced(s), "ects": self.ects(s),
                "awarding_body": self.ids(s, ELM.awardingBody), "country": self.country(s),
                "language": self.text(s, DCTERMS.language, None), "outcomes": self.ids(s, ELM.learningOutcome),
                "endorsed_by": self.ids(s, QF.endorsedBy), "co_designed_by": self.ids(s, QF.coDesignedBy)}

    def units(self, s) -> dict:
        return {**self.common(s), "qualification": self.ids(s, ELM.isPartOf),
                "eqf_level": self.levels_of(s)["eqf_level"], "ects": self.ects(s),
                "outcomes": self.ids(s, ELM.learningOutcome)}

    def micro_credentials(self, s) -> dict:
        entry = self.g.value(s, ELM.entryRequirement)
        volume = self.g.value(s, ELM.volumeOfLearning)
        return {**self.common(s), **self.levels_of(s), "awarding_body": self.ids(s, ELM.awardingBody),
                "country": self.country(s), "isced_f": self.isced(s), "ects": self.ects(s),
                "hours": hours(volume),
                "outcomes": self.ids(s, ELM.learningOutcome),
                "assessment_type": self.words(s, QF.assessmentType, ASSESSMENTS),
                "mode": self.words(s, ELM.mode, MODES),
                "learning_setting": self.words(s, ELM.learningSetting, SETTINGS),
                "quality_assurance": self.words(s, QF.qualityAssurance, QUALITY_ASSURANCE),
                "accreditation": self.ids(s, ELM.accreditation),
                "language": self.text(s, DCTERMS.language, None),
                "entry_requirement": self.text(entry, ELM.noteLiteral) if entry is not None else "",
                "prerequisites": self.ids(s, QF.prerequisite),
                "supervision_verification": self.ids(s, QF.supervisionVerification),
                "stackable_toward": self.ids(s, QF.stackableToward), "co_designed_by": self.ids(s, QF.coDesignedBy),
                "endorsed_by": self.ids(s, QF.endorsedBy), "guidance_by": self.ids(s, QF.guidanceBy)}

    def agreements(self, s) -> dict:
        start, _, end = self.text(s, DCTERMS.valid, None).partition("/")
        return {**self.common(s), "micro_credential": self.ids(s, QF.recognisedCredential),
                "unit": self.ids(s, QF.recognisedAs), "recognised_by": self.ids(s, QF.recognisedBy),
                "valid_from": "" if start == ".." else start, "valid_until": "" if end == ".." else end}

    def validations(self, s) -> dict:
        share = self.g.value(s, QF.maximumShare)
        return {**self.common(s), "qualification": self.ids(s, QF.validates), "units": self.ids(s, QF.validatesUnit),
                "outcomes": self.ids(s, QF.validatesOutcome),
                "assessment_methods": self.words(s, QF.assessmentMethod, ASSESSMENTS),
                "validation_authority": self.ids(s, QF.validationAuthority),
                "maximum_share": str(share) if share is not None else "",
                "guidance_by": self.ids(s, QF.guidanceBy)}

    def rules(self) -> list[dict]:
        rows = []
        for q in sorted(self.g.subjects(QF.requirement, None), key=str):
            for node in self._rule_nodes(self.g.value(q, QF.requirement)):
                kind = next((REQUIREMENT_KINDS[t] for t in self.g.objects(node, RDF.type) if t in REQUIREMENT_KINDS), "")
                parts = [str(c).split("#", 1)[1] if str(c).startswith(f"{q}#") else self.local(c)
                         for c in self.g.objects(node, QF.component)]
                count, credits = self.g.value(node, QF.requiredCount), self.g.value(node, QF.minimumCredits)
                rows.append({"qualification": self.local(q), "rule": str(node).split("#", 1)[1],
                             "title_en": self.text(node, DCTERMS.title), "kind": kind,
                             "components": ";".join(sorted(parts)),
                             "required_count": str(count) if count is not None else "",
                             "minimum_credits": str(credits) if credits is not None else ""})
        return rows

    def skills_needs(self, s) -> dict:
        esco = sorted(str(o) for p in (QF.concernsOccupation, QF.concernsSkill) for o in self.g.objects(s, p))
        return {"id": self.local(s), "title_en": self.text(s, DCTERMS.title), "esco": ";".join(esco),
                "outcomes": self.ids(s, QF.concernsOutcome), "region": self.ids(s, QF.region).rsplit("/", 1)[-1],
                "date": self.text(s, DCTERMS.date, None), "source": self.ids(s, DCTERMS.source),
                "strength": self.text(s, QF.demand, None), "horizon": self.text(s, QF.horizon, None)}

    def _rule_nodes(self, root) -> list:
        seen, todo = [], [root]
        while todo:
            node = todo.pop(0)
            if node is None or node in seen:
                continue
            seen.append(node)
            todo += [c for c in self.g.objects(node, QF.component) if "#" in str(c)]
        return seen


ROWS = {"organisations.csv": (ELM.Organisation, CsvWriter.organisations),
        "accreditations.csv": (ELM.Accreditation, CsvWriter.accreditations),
        "learning_outcomes.csv": (ELM.LearningOutcome, CsvWriter.outcomes),
        "qualifications.csv": (ELM.Qualification, CsvWriter.qualifications),
        "units.csv": (QF.Unit, CsvWriter.units),
        "micro_credentials.csv": (QF.MicroCredential, CsvWriter.micro_credentials),
        "recognition_agreements.csv": (QF.RecognitionAgreement, CsvWriter.agreements),
        "validation_standards.csv": (QF.ValidationStandard, CsvWriter.validations),
        "skills_needs.csv": (QF.SkillsNeed, CsvWriter.skills_needs)}


def export_csv(store: Store, graph: str, base: str) -> dict[str, bytes]:
    """{template file: CSV bytes} for the entities of `graph` under `base`."""
    with lexical_forms():
        g = store.construct(bind("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH $g { ?s ?p ?o } }", {"g": URIRef(graph)}))
    writer = CsvWriter(g, base, LevelRegister(store))
    files = {}
    for t in TEMPLATES:
        if t.file == "requirement_rules.csv":
            rows = writer.rules()
        else:
            cls, row = ROWS[t.file]
            rows = [row(writer, s) for s in sorted(g.subjects(RDF.type, cls), key=str)
                    if str(s).startswith(f"{base}{t.segment}/")]
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=t.names, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        files[t.file] = out.getvalue().encode("utf-8")
    return files
