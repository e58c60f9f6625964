"""ELM v3 (European Learning Model) JSON-LD → the data model.

Reads what Europass publishes or issues: a European Digital Credential (its achievement's
specification), a QDR qualification or learning opportunity, or this project's own ELM export.
A specification typed qf:MicroCredential, or whose dc:type is the short learning programme,
becomes a micro-credential; another elm:Qualification a qualification; a specification that is
part of one a unit; any other stand-alone learning achievement specification a micro-credential. Local identifiers of a credential (urn:epass:…) become IRIs under the base,
derived from the document's id so that two credentials never collide.
"""
from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from qfgraph.graph.catalogue.level_resolution import AmbiguousLevel, LevelRegister, UnknownLevel
from qfgraph.graph.imports.report import Problems
from qfgraph.graph.imports.vocab import ASSESSMENTS, language_code
from qfgraph.ontology.namespaces import ASSESSMENT, ECTS, ELM, QF, ROV, SHORT_LEARNING_PROGRAMME, SUPERVISION

SPEC_TYPES = (QF.MicroCredential, ELM.Qualification, ELM.LearningAchievementSpecification)
COPIED = (DCTERMS.title, DCTERMS.description, ELM.EQFLevel, ELM.ISCEDFCode,
          ELM.volumeOfLearning, ELM.mode, ELM.learningSetting)


class ElmReader:
    """One ELM document's graph, mapped into the model graph `out`."""

    def __init__(self, src: Graph, base: str, document_id: str, out: Graph,
                 levels: LevelRegister, drop_unknown_levels: bool = False):
        self.src, self.base, self.doc, self.out = src, base, document_id, out
        self.levels, self.drop_unknown_levels = levels, drop_unknown_levels
        self.notes: list[str] = []
        self.counts = {"qualifications": 0, "micro-credentials": 0, "units": 0,
                       "learning outcomes": 0, "organisations": 0, "accreditations": 0}

    def iri(self, node, segment: str) -> URIRef:
        """Keep http(s) IRIs; give a credential's local identifiers an IRI under the base."""
        if isinstance(node, URIRef) and str(node).startswith(("http://", "https://")):
            return node
        digest = hashlib.sha1(f"{self.doc} {node}".encode()).hexdigest()[:16]
        return URIRef(f"{self.base}{segment}/elm-{digest}")

    def specifications(self) -> list:
        found = {s for t in SPEC_TYPES for s in self.src.subjects(RDF.type, t)}
        return sorted(found, key=str)

    def kind(self, spec) -> tuple[URIRef, str, str]:
        types = set(self.src.objects(spec, RDF.type))
        if QF.MicroCredential in types or (spec, DCTERMS.type, SHORT_LEARNING_PROGRAMME) in self.src:
            return QF.MicroCredential, "mc", "micro-credentials"
        if QF.Unit in types or (ELM.Qualification not in types and self._is_part(spec)):
            return QF.Unit, "unit", "units"
        if ELM.Qualification in types:
            return ELM.Qualification, "qualification", "qualifications"
        return QF.MicroCredential, "mc", "micro-credentials"    # a stand-alone achievement

    def _is_part(self, spec) -> bool:
        return (spec, ELM.isPartOf, None) in self.src or (None, ELM.hasPart, spec) in self.src

    def read(self, problems: Problems, source: str) -> dict[URIRef, tuple]:
        """Map every specification; returns the new entities (for the duplicate check)."""
        specs = self.specifications()
        accreditations = sorted(self.src.subjects(RDF.type, ELM.Accreditation), key=str)
        if not specs and not accreditations:
            problems.add(source, "no qualification, micro-credential, learning achievement specification "
                         "or accreditation found in the document")
        kinds = {spec: self.kind(spec) for spec in specs}
        mapped = {spec: (kind, self.iri(spec, kind[1])) for spec, kind in kinds.items()}
        made = {}
        for spec, ((cls, _, counted), target) in mapped.items():
            self.specification(spec, cls, target, mapped)
            self.national_levels(spec, target, problems, source)
            self.counts[counted] += 1
            made[target] = (source, None, None)
        for accreditation in accreditations:
            made[self.accreditation(accreditation, mapped, problems, source)] = (source, None, None)
        return made

    def accreditation(self, acc, mapped, problems: Problems, source: str) -> URIRef:
        """An ELM accreditation (Accreditation profile): the QA body that granted it, the
        organisation accredited, its scope (qualifications, fields, EQF levels) and dates, in
        the ELM terms the QA rules and indicators read."""
        src, add, m = self.src, self.out.add, self.iri(acc, "accreditation")
        add((m, RDF.type, ELM.Accreditation))
        self.counts["accreditations"] += 1
        for title in src.objects(acc, DCTERMS.title):
            add((m, DCTERMS.title, title))
        agents = list(src.objects(acc, ELM.accreditingAgent))
        if not agents:
            problems.add(source, f"the accreditation {acc} names no accrediting agent (the quality-assurance "
                         "body that granted it)", column="accreditingAgent")
        for agent in agents:
            add((m, ELM.accreditingAgent, self.organisation(agent, QF.QualityAssuranceAuthority)))
        for org in src.objects(acc, ELM.organisation):
            add((m, ELM.organisation, self.organisation(org)))
        for q in src.objects(acc, ELM.limitQualification):
            add((m, ELM.limitQualification, mapped[q][1] if q in mapped else self.iri(q, "qualification")))
        for p in (ELM.limitField, ELM.limitEQFLevel):
            for concept in src.objects(acc, p):
                add((m, p, concept))
        # the EDC context writes dateIssued as dcterms:issued; the model keeps ELM's term
        for given, p, field in ((DCTERMS.issued, ELM.dateIssued, "dateIssued"), (ELM.dateIssued, ELM.dateIssued, "dateIssued"),
                                (ELM.expiryDate, ELM.expiryDate, "expiryDate")):
            for value in src.objects(acc, given):
                if not (isinstance(value, Literal) and value.datatype in (XSD.date, XSD.dateTime)
                        and not value.ill_typed):
                    problems.add(source, f"the accreditation {acc} gives {value!r} as {field}: give a date "
                                 "such as 2028-12-31T00:00:00", column=field)
                    continue
                add((m, p, value))
        return m

    def specification(self, spec, cls, m: URIRef, mapped) -> None:
        add, src = self.out.add, self.src
        add((m, RDF.type, cls))
        for p in COPIED:
            for o in src.objects(spec, p):
                add((m, p, o))
        self.credits(spec, m)
        for lang in src.objects(spec, DCTERMS.language):
            code = language_code(lang) if isinstance(lang, URIRef) else str(lang)
            if code:
                add((m, DCTERMS.language, Literal(code, datatype=XSD.language)))
        for note in src.objects(spec, ELM.entryRequirement):
            entry = URIRef(f"{m}#entry")
            add((m, ELM.entryRequirement, entry))
            add((entry, RDF.type, ELM.Note))
            for text in src.objects(note, ELM.noteLiteral):
                add((entry, ELM.noteLiteral, text))
        for lo in src.objects(spec, ELM.learningOutcome):
            add((m, ELM.learningOutcome, self.outcome(lo)))
        for part in src.objects(spec, ELM.hasPart):
            if part in mapped:
                add((m, ELM.hasPart, mapped[part][1]))
                add((mapped[part][1], ELM.isPartOf, m))
        for org in self.awarding_bodies(spec):
            add((m, ELM.awardingBody, org))
            for country in self.out.objects(org, QF.country):
                add((m, QF.country, country))
        if cls == QF.MicroCredential:
            self.assessment(spec, m)

    def national_levels(self, spec, m: URIRef, problems: Problems, source: str) -> None:
        """Each national level as the document gives it (QDR IRI, urn:epass identifier with its
        label, label) resolved to the official level, with its EQF level when the document gives
        none; one the register cannot resolve is named (or left out when asked to)."""
        for given in self.src.objects(spec, ELM.NQFLevel):
            label = self.src.value(given, SKOS.prefLabel)
            try:
                level = self.levels.resolve(given, label=label, national=True)
            except UnknownLevel as e:
                if self.drop_unknown_levels:
                    self.notes.append(f"{source}: left out NQF level: {e}")
                else:
                    problems.add(source, f"{e}; or import with --drop-unknown-levels to leave it out",
                                 column="nqfLevel")
                continue
            except AmbiguousLevel as e:
                problems.add(source, str(e), column="nqfLevel")
                continue
            self.out.add((m, ELM.NQFLevel, level.iri))
            if level.eqf is not None and (spec, ELM.EQFLevel, None) not in self.src:
                self.out.add((m, ELM.EQFLevel, level.eqf))

    def credits(self, spec, m: URIRef) -> None:
        for cp in self.src.objects(spec, ELM.creditPoint):
            if (cp, ELM.framework, URIRef(ECTS)) not in self.src:
                continue            # the model keeps ECTS only
            for point in self.src.objects(cp, ELM.point):
                node = URIRef(f"{m}#ects")
                self.out.add((m, ELM.creditPoint, node))
                self.out.add((node, RDF.type, ELM.CreditPoint))
                self.out.add((node, ELM.framework, URIRef(ECTS)))
                self.out.add((node, ELM.point, Literal(str(point))))

    def outcome(self, lo) -> URIRef:
        m = self.iri(lo, "outcome")
        if (m, RDF.type, ELM.LearningOutcome) not in self.out:
            self.counts["learning outcomes"] += 1
        self.out.add((m, RDF.type, ELM.LearningOutcome))
        for title in self.src.objects(lo, DCTERMS.title):
            self.out.add((m, DCTERMS.title, title))
        for skill in self.src.objects(lo, ELM.relatedESCOSkill):
            if str(skill).startswith("http://data.europa.eu/esco/"):
                self.out.add((m, ELM.relatedESCOSkill, skill))
        return m

    def awarding_bodies(self, spec) -> list[URIRef]:
        """Directly, through an awarding opportunity (QDR), or through the achievements the
        credential says it specifies (EDC: achievement → awarding process → body)."""
        src = self.src
        bodies = set(src.objects(spec, ELM.awardingBody))
        for opportunity in src.objects(spec, ELM.awardingOpportunity):
            bodies |= set(src.objects(opportunity, ELM.awardingBody))
        for achievement in src.subjects(ELM.specifiedBy, spec):
            for process in src.objects(achievement, ELM.awardedBy):
                bodies |= set(src.objects(process, ELM.awardingBody))
        return [self.organisation(b) for b in sorted(bodies, key=str)]

    def organisation(self, org, role: URIRef = QF.Provider) -> URIRef:
        m = self.iri(org, "org")
        if (m, RDF.type, ELM.Organisation) not in self.out:
            self.counts["organisations"] += 1
        self.out.add((m, RDF.type, ELM.Organisation))
        self.out.add((m, RDF.type, role))
        for p in (ROV.legalName, ELM.legalName):
            for name in self.src.objects(org, p):
                self.out.add((m, ELM.legalName, name))
        for location in self.src.objects(org, ELM.location):
            for address in self.src.objects(location, ELM.address):
                for country in self.src.objects(address, ELM.countryCode):
                    self.out.add((m, QF.country, country))
        return m

    def assessment(self, spec, m: URIRef) -> None:
        """Annex I assessment elements, from the assessments of the achievements it specifies."""
        src = self.src
        for achievement in src.subjects(ELM.specifiedBy, spec):
            for assessment in src.objects(achievement, ELM.provenBy):
                for check in src.objects(assessment, ELM.idVerification):
                    if str(check).startswith(str(SUPERVISION)):
                        self.out.add((m, QF.supervisionVerification, check))
                for las in src.objects(assessment, ELM.specifiedBy):
                    for t in src.objects(las, DCTERMS.type):
                        if str(t).startswith(str(ASSESSMENT)):
                            self.out.add((m, QF.assessmentType, t))
                            continue
                        # a type of the issuer's own scheme, named with a word of the Europass list
                        for label in src.objects(t, SKOS.prefLabel):
                            official = ASSESSMENTS.get(str(label).strip().lower())
                            if official is not None:
                                self.out.add((m, QF.assessmentType, official))


def document_id(document) -> str:
    if isinstance(document, dict):
        return str(document.get("id") or document.get("@id") or "")
    return ""
