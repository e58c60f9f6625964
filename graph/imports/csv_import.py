"""CSV templates → triples of the data model (docs/data-model.md). Every row is checked and
every problem recorded; the caller writes nothing unless none was found."""
from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from qfgraph.graph.catalogue.level_resolution import AmbiguousLevel, LevelRegister, UnknownLevel
from qfgraph.graph.imports.csv_files import Row, read_template
from qfgraph.graph.imports.csv_rows import RowReader, decimal_literal
from qfgraph.graph.imports.csv_templates import TEMPLATES, Template
from qfgraph.graph.imports.report import Problems
from qfgraph.graph.imports.vocab import (
    ASSESSMENTS, MODES, QUALITY_ASSURANCE, ROLES, SETTINGS, SUPERVISIONS, word_or_iri,
)
from qfgraph.graph.sparql import bind
from qfgraph.graph.stores import Store
from qfgraph.ontology.namespaces import COUNTRY, ECTS, ELM, ISCED_F, QF, REQUIREMENT_KINDS

# entity classes by IRI segment, for references to entities already in the store
CLASSES = {"org": ELM.Organisation, "accreditation": ELM.Accreditation, "outcome": ELM.LearningOutcome, "qualification": ELM.Qualification,
           "unit": QF.Unit, "mc": QF.MicroCredential, "agreement": QF.RecognitionAgreement,
           "validation": QF.ValidationStandard, "need": QF.SkillsNeed}
KIND_WORDS = {"org": "organisation", "outcome": "learning outcome", "qualification": "qualification",
              "unit": "unit", "mc": "micro-credential", "accreditation": "accreditation"}
RULE_KINDS = {kind: cls for cls, kind in REQUIREMENT_KINDS.items()}


class CsvImport:
    """One import of a directory of template files into triples."""

    def __init__(self, store: Store, base: str, problems: Problems):
        self.store, self.base, self.problems = store, base, problems
        self.levels = LevelRegister(store)
        # the triples, in the order made (a dict as an ordered set: an rdflib Graph's
        # bookkeeping for every triple cost more than reading the rows)
        self.triples: dict[tuple, None] = {}
        self.declared: dict[str, dict[str, tuple[str, int]]] = {seg: {} for seg in CLASSES}
        self.counts: dict[str, int] = {}
        self._in_store: dict[str, bool] = {}

    # -- identifiers and references ---------------------------------------------------

    def iri(self, segment: str, local: str) -> URIRef:
        return URIRef(f"{self.base}{segment}/{quote(local, safe='')}")

    def declare(self, template: Template, rows: list[Row]) -> None:
        seen = self.declared[template.segment]
        for row in rows:
            local = RowReader(row, self.problems).identifier()
            if local is None:
                continue
            if local in seen:
                file, first = seen[local]
                self.problems.add(row.file, f"duplicate identifier {local!r}: already used in {file} "
                                  f"row {first}", row.number, "id")
            else:
                seen[local] = (row.file, row.number)

    def ref(self, r: RowReader, column: str, segment: str, value: str) -> URIRef | None:
        """An id of this import or of the store (a local id or a full IRI), else a problem."""
        if value in self.declared[segment]:
            return self.iri(segment, value)
        candidate = r.iri(column, value) if "://" in value else self.iri(segment, value)
        if candidate is None:
            return None
        key = str(candidate)
        if key not in self._in_store:
            self._in_store[key] = self.store.ask(bind("ASK { $x a $c }", {"x": candidate, "c": CLASSES[segment]}))
        if not self._in_store[key]:
            r.problem(column, f"unknown reference: no {KIND_WORDS.get(segment, segment)} {value!r} in "
                      "this import or in the store")
            return None
        return candidate

    def refs(self, r: RowReader, column: str, segment: str, required: bool = False) -> list[URIRef]:
        found = [self.ref(r, column, segment, v) for v in r.items(column, required)]
        return [f for f in found if f is not None]

    # -- shared pieces ------------------------------------------------------------------

    def add(self, s, p, o) -> None:
        if o is not None:
            self.triples[(s, p, o)] = None

    def titles(self, s: URIRef, r: RowReader, prop=DCTERMS.title, en="title_en", local="title_local"):
        for t in r.titles(en, local):
            self.add(s, prop, t)

    def description(self, s: URIRef, r: RowReader) -> None:
        text = r.text("description_en")
        self.add(s, DCTERMS.description, Literal(text, lang="en") if text else None)

    def ects(self, s: URIRef, r: RowReader, required: bool = False) -> None:
        points = r.number("ects", required, low=0)
        if points is not None:
            cp = URIRef(f"{s}#ects")
            self.add(s, ELM.creditPoint, cp)
            self.add(cp, RDF.type, ELM.CreditPoint)
            self.add(cp, ELM.framework, URIRef(ECTS))
            self.add(cp, ELM.point, Literal(_plain(points)))

    def levels_of(self, s: URIRef, r: RowReader, nqf_required: bool = False) -> None:
        """NQF level by framework and code; the EQF level from its referencing unless given."""
        framework, code = r.text("framework", nqf_required), r.text("nqf_level", nqf_required)
        eqf_code = r.text("eqf_level")
        eqf = self.levels.eqf(eqf_code) if eqf_code else None
        if eqf_code and eqf is None:
            r.problem("eqf_level", f"unknown level code {eqf_code!r}: EQF levels are 1 to 8")
        referenced = None
        if code:
            try:     # a code of the framework named, or (no framework) a label, notation or QDR IRI
                level = self.levels.resolve(code, framework=framework, national=True)
            except UnknownLevel as e:
                if framework:
                    self._unknown_level(r, framework, code)
                else:
                    r.problem("nqf_level", f"{e}; or name its framework in the framework column "
                              f"({', '.join(f for f in self.levels.frameworks if f != 'EQF')})")
            except AmbiguousLevel as e:
                r.problem("nqf_level", str(e))
            else:
                self.add(s, ELM.NQFLevel, level.iri)
                referenced = level.eqf
        if eqf and referenced and eqf.iri != referenced:
            r.problem("eqf_level", f"EQF level {eqf_code} disagrees with {framework} level {code}, "
                      f"which is referenced to EQF level {str(referenced).rsplit('/', 1)[-1]}")
        self.add(s, ELM.EQFLevel, eqf.iri if eqf else referenced)

    def _unknown_level(self, r: RowReader, framework: str, code: str) -> None:
        if not self.levels.frameworks:
            r.problem("framework", "the store holds no frameworks: load them first (qfgraph init)")
        elif framework.upper() not in self.levels.frameworks:
            r.problem("framework", f"unknown framework {framework!r}; known: {', '.join(self.levels.frameworks)}")
        else:
            r.problem("nqf_level", f"unknown level code {code!r} in {framework.upper()}; its codes are: "
                      f"{', '.join(self.levels.codes(framework))}")

    def concept(self, s, p, r: RowReader, column: str, table: dict, required=False, many=False):
        for value in (r.items(column, required) if many else filter(None, [r.text(column, required)])):
            found = word_or_iri(value, table)
            if found is None:
                r.problem(column, f"unknown value {value!r}; use one of: {', '.join(table)}")
            self.add(s, p, found)

    def country(self, s, r: RowReader, required=True) -> None:
        code = r.country("country", required)
        self.add(s, QF.country, COUNTRY[code] if code else None)

    def isced(self, s, r: RowReader, required=False) -> None:
        code = r.text("isced_f", required)
        if code and not (code.isdigit() and 2 <= len(code) <= 4):
            r.problem("isced_f", f"bad ISCED-F code {code!r}: two to four digits, e.g. 0715")
        elif code:
            self.add(s, ELM.ISCEDFCode, ISCED_F[code])

    def language(self, s, r: RowReader, required=False) -> None:
        code = r.language("language", required)
        self.add(s, DCTERMS.language, Literal(code, datatype=XSD.language) if code else None)

    # -- one function per template ------------------------------------------------------

    def organisation(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, ELM.Organisation)
        self.titles(s, r, ELM.legalName, "name_en", "name_local")
        self.description(s, r)
        self.country(s, r)
        self.concept(s, RDF.type, r, "roles", ROLES, many=True)

    def accreditation(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, ELM.Accreditation)
        self.titles(s, r)
        for column, prop, required in (("accrediting_agent", ELM.accreditingAgent, True),
                                       ("organisation", ELM.organisation, False)):
            for org in self.refs(r, column, "org", required):
                self.add(s, prop, org)
        expiry = r.date("expiry_date")
        self.add(s, ELM.expiryDate, Literal(f"{expiry}T00:00:00", datatype=XSD.dateTime) if expiry else None)

    def outcome(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, ELM.LearningOutcome)
        self.titles(s, r)
        for value in r.items("esco_skills"):
            skill = r.iri("esco_skills", value)
            if skill is not None and not value.startswith("http://data.europa.eu/esco/"):
                r.problem("esco_skills", f"not an ESCO IRI: {value!r}")
            self.add(s, ELM.relatedESCOSkill, skill)
        for other in self.refs(r, "equivalent_outcomes", "outcome"):
            self.add(s, QF.equivalentOutcome, other)

    def qualification(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, ELM.Qualification)
        self.titles(s, r)
        self.description(s, r)
        self.levels_of(s, r, nqf_required=True)
        self.isced(s, r, required=True)
        self.ects(s, r)
        for org in self.refs(r, "awarding_body", "org", required=True):
            self.add(s, ELM.awardingBody, org)
        self.country(s, r)
        self.language(s, r)
        for lo in self.refs(r, "outcomes", "outcome"):
            self.add(s, ELM.learningOutcome, lo)
        for column, prop in (("endorsed_by", QF.endorsedBy), ("co_designed_by", QF.coDesignedBy)):
            for org in self.refs(r, column, "org"):
                self.add(s, prop, org)

    def unit(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, QF.Unit)
        self.titles(s, r)
        q = self.refs(r, "qualification", "qualification", required=True)
        for parent in q:
            self.add(s, ELM.isPartOf, parent)
            self.add(parent, ELM.hasPart, s)
        self.levels_of(s, r)
        self.ects(s, r)
        for lo in self.refs(r, "outcomes", "outcome", required=True):
            self.add(s, ELM.learningOutcome, lo)

    def micro_credential(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, QF.MicroCredential)
        self.titles(s, r)
        self.description(s, r)
        for org in self.refs(r, "awarding_body", "org", required=True):
            self.add(s, ELM.awardingBody, org)
        self.country(s, r)
        self.levels_of(s, r)
        self.isced(s, r)
        self.ects(s, r, required=True)
        hours = r.number("hours", low=0)
        self.add(s, ELM.volumeOfLearning, duration(hours) if hours else None)
        for lo in self.refs(r, "outcomes", "outcome", required=True):
            self.add(s, ELM.learningOutcome, lo)
        self.concept(s, QF.assessmentType, r, "assessment_type", ASSESSMENTS, required=True, many=True)
        self.concept(s, ELM.mode, r, "mode", MODES, required=True, many=True)
        self.concept(s, ELM.learningSetting, r, "learning_setting", SETTINGS)
        self.concept(s, QF.qualityAssurance, r, "quality_assurance", QUALITY_ASSURANCE, required=True)
        for accreditation in self.refs(r, "accreditation", "accreditation"):
            self.add(s, ELM.accreditation, accreditation)
        self.concept(s, QF.supervisionVerification, r, "supervision_verification", SUPERVISIONS)
        self.language(s, r, required=True)
        self.entry_requirement(s, r)
        for value in r.items("prerequisites"):
            segment = "mc" if value in self.declared["mc"] or value not in self.declared["outcome"] else "outcome"
            self.add(s, QF.prerequisite, self.ref(r, "prerequisites", segment, value))
        for q in self.refs(r, "stackable_toward", "qualification"):
            self.add(s, QF.stackableToward, q)
        for column, prop in (("co_designed_by", QF.coDesignedBy), ("endorsed_by", QF.endorsedBy),
                             ("guidance_by", QF.guidanceBy)):
            for org in self.refs(r, column, "org"):
                self.add(s, prop, org)

    def entry_requirement(self, s, r: RowReader) -> None:
        text = r.text("entry_requirement")
        if text:
            note = URIRef(f"{s}#entry")
            self.add(s, ELM.entryRequirement, note)
            self.add(note, RDF.type, ELM.Note)
            self.add(note, ELM.noteLiteral, Literal(text, lang="en"))

    def recognition(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, QF.RecognitionAgreement)
        self.titles(s, r)
        for column, segment, prop in (("micro_credential", "mc", QF.recognisedCredential),
                                      ("unit", "unit", QF.recognisedAs),
                                      ("recognised_by", "org", QF.recognisedBy)):
            for o in self.refs(r, column, segment, required=True):
                self.add(s, prop, o)
        start, end = r.date("valid_from"), r.date("valid_until")
        if start and end and end < start:
            r.problem("valid_until", f"the agreement ends ({end}) before it starts ({start})")
        elif start or end:
            self.add(s, DCTERMS.valid, Literal(f"{start or '..'}/{end or '..'}"))

    def validation(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, QF.ValidationStandard)
        self.titles(s, r)
        self.description(s, r)
        for column, segment, prop, required in (
                ("qualification", "qualification", QF.validates, True), ("units", "unit", QF.validatesUnit, False),
                ("outcomes", "outcome", QF.validatesOutcome, False),
                ("validation_authority", "org", QF.validationAuthority, True),
                ("guidance_by", "org", QF.guidanceBy, False)):
            for o in self.refs(r, column, segment, required):
                self.add(s, prop, o)
        self.concept(s, QF.assessmentMethod, r, "assessment_methods", ASSESSMENTS, many=True)
        share = r.number("maximum_share", low=0, high=1)
        self.add(s, QF.maximumShare, decimal_literal(share) if share is not None else None)

    def skills_need(self, s, r: RowReader) -> None:
        self.add(s, RDF.type, QF.SkillsNeed)
        self.titles(s, r, local=None)
        for value in r.items("esco", required=True):
            iri = r.iri("esco", value)
            prop = next((p for prefix, p in ESCO_KINDS.items() if value.startswith(prefix)), None)
            if iri is not None and prop is None:
                r.problem("esco", f"not an ESCO occupation or skill IRI: {value!r} (they start with "
                          f"{', '.join(ESCO_KINDS)})")
            self.add(s, prop, iri if prop else None)
        for lo in self.refs(r, "outcomes", "outcome"):
            self.add(s, QF.concernsOutcome, lo)
        code = r.country("region", required=True)
        self.add(s, QF.region, COUNTRY[code] if code else None)
        if r.text("date", required=True):
            day = r.date("date")
            self.add(s, DCTERMS.date, Literal(day, datatype=XSD.date) if day else None)
        for org in self.refs(r, "source", "org", required=True):
            self.add(s, DCTERMS.source, org)
        strength = r.text("strength")
        if strength and strength.lower() not in STRENGTHS:
            r.problem("strength", f"unknown value {strength!r}; use one of: {', '.join(STRENGTHS)}")
        self.add(s, QF.demand, Literal(strength.lower()) if strength and strength.lower() in STRENGTHS else None)
        horizon = r.text("horizon")
        if horizon and not YEAR.match(horizon):
            r.problem("horizon", f"bad year {horizon!r}: write it as YYYY, e.g. 2030")
        self.add(s, QF.horizon, Literal(horizon, datatype=XSD.gYear) if horizon and YEAR.match(horizon) else None)

    def rules(self, rows: list[Row]) -> None:
        """Requirement structures: nodes <Q#rule>; the rule 'req' hangs from the qualification."""
        names: dict[tuple[str, str], int] = {}
        for row in rows:
            r = RowReader(row, self.problems)
            q, rule = r.text("qualification", True), r.identifier("rule")
            if q and rule:
                if (q, rule) in names:
                    r.problem("rule", f"duplicate identifier: rule {rule!r} of {q!r} is already defined "
                              f"in row {names[(q, rule)]}")
                names.setdefault((q, rule), row.number)
        for row in rows:
            self.rule(RowReader(row, self.problems), names)
        for q in {q for q, _ in names}:
            if (q, "req") not in names:
                self.problems.add("requirement_rules.csv", f"qualification {q!r} has rules but no top "
                                  "rule named 'req'", None, "rule")

    def rule(self, r: RowReader, names) -> None:
        q_local, rule = r.text("qualification"), r.text("rule")
        if not (q_local and rule):
            return
        q = self.ref(r, "qualification", "qualification", q_local)
        if q is None:
            return
        node = URIRef(f"{q}#{quote(rule, safe='')}")
        if rule == "req":
            self.add(q, QF.requirement, node)
        for title in r.titles("title_en") if r.text("title_en") else []:
            self.add(node, DCTERMS.title, title)
        kind = r.text("kind", True)
        if kind and kind.lower() not in RULE_KINDS:
            r.problem("kind", f"unknown value {kind!r}; use one of: {', '.join(RULE_KINDS)}")
        elif kind:
            self.add(node, RDF.type, RULE_KINDS[kind.lower()])
        for part in r.items("components"):
            if (q_local, part) in names and part not in self.declared["unit"]:
                self.add(node, QF.component, URIRef(f"{q}#{quote(part, safe='')}"))
            else:
                self.add(node, QF.component, self.ref(r, "components", "unit", part))
        count, credits = r.whole("required_count", low=1), r.number("minimum_credits", low=0)
        if kind == "choice-of" and count is None:
            r.problem("required_count", "missing value: a choice-of rule needs required_count")
        if kind == "minimum-credits" and credits is None:
            r.problem("minimum_credits", "missing value: a minimum-credits rule needs minimum_credits")
        self.add(node, QF.requiredCount, Literal(count) if count is not None else None)
        self.add(node, QF.minimumCredits, decimal_literal(credits) if credits is not None else None)


BUILDERS: dict[str, Callable] = {
    "organisations.csv": CsvImport.organisation, "accreditations.csv": CsvImport.accreditation,
    "learning_outcomes.csv": CsvImport.outcome,
    "qualifications.csv": CsvImport.qualification, "units.csv": CsvImport.unit,
    "micro_credentials.csv": CsvImport.micro_credential,
    "recognition_agreements.csv": CsvImport.recognition,
    "validation_standards.csv": CsvImport.validation,
    "skills_needs.csv": CsvImport.skills_need,
}
ESCO = "http://data.europa.eu/esco/"
# an ESCO IRI by its path: occupations, and skills (skill groups are the ISCED-F ones)
ESCO_KINDS = {ESCO + "occupation/": QF.concernsOccupation, ESCO + "skill/": QF.concernsSkill,
              ESCO + "isced-f/": QF.concernsSkill}
STRENGTHS = ("high", "medium", "low")
YEAR = re.compile(r"^\d{4}$")


def duration(hours) -> Literal:
    """Hours as an xsd:duration: 125 → PT125H, 37.5 → PT37H30M (only seconds take fractions)."""
    seconds = int(hours * 3600)
    h, rest = divmod(seconds, 3600)
    m, sec = divmod(rest, 60)
    text = f"PT{h}H" + (f"{m}M" if m else "") + (f"{sec}S" if sec else "")
    return Literal(text, datatype=XSD.duration, normalize=False)


def _plain(number) -> str:
    """"5" rather than "5.0" for whole credits, as registers write them."""
    return format(number.normalize(), "f")


def build_from_csv(files: dict[str, bytes], store: Store, base: str, problems: Problems,
                   tick=None) -> tuple[list[tuple], dict[str, int], dict]:
    """All template files → (triples, entity counts, {new entity IRI: (file, row, column)}).
    `tick(n)` reports rows done."""
    if not files:
        problems.add("(directory)", "no CSV files found; write the templates with "
                     "`qfgraph template csv DIR`")
    job = CsvImport(store, base, problems)
    parsed: dict[str, tuple[Template, list[Row]]] = {}
    for name, data in files.items():
        result = read_template(name, data, problems)
        if result:
            parsed[name] = result
    for template in TEMPLATES:                      # declare first: references may point forward
        if template.file in parsed and template.segment:
            job.declare(*parsed[template.file])
    for template in TEMPLATES:
        if template.file not in parsed:
            continue
        _, rows = parsed[template.file]
        if template.file == "requirement_rules.csv":
            job.rules(rows)
        else:
            build = BUILDERS[template.file]
            for row in rows:
                r = RowReader(row, problems)
                local = row.values.get("id")
                if local and local in job.declared[template.segment] \
                        and job.declared[template.segment][local] == (row.file, row.number):
                    build(job, job.iri(template.segment, local), r)
        job.counts[template.kind] = len(rows)
        if tick:
            tick(len(rows))
    subjects = {job.iri(seg, local): (file, row, "id") for seg, ids in job.declared.items()
                for local, (file, row) in ids.items()}
    return list(job.triples), job.counts, subjects


def count_rows(files: dict[str, bytes]) -> int:
    """A cheap row count for a progress bar."""
    return sum(max(0, data.count(b"\n") - 1) for data in files.values())
