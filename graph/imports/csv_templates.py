"""The CSV templates an authority fills from its register: one file per kind of entity, one
row per entity. The column definitions here are the single source of the template files, of
the importer's checks and of docs/csv-templates.md."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    doc: str
    example: str = ""


@dataclass(frozen=True)
class Template:
    file: str          # file name in the import directory
    kind: str          # entity kind, as counted in reports
    segment: str       # IRI path segment under the base: <base><segment>/<id>
    doc: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def C(name, required, doc, example=""):
    return Column(name, required, doc, example)


LIST = "several values separated by ';'"

TEMPLATES: tuple[Template, ...] = (
    Template("organisations.csv", "organisations", "org",
             "Awarding bodies, providers, employers, authorities, with their roles.", (
                 C("id", True, "identifier, unique in the register", "hr-weld-academy"),
                 C("name_en", True, "legal name in English", "Welding Academy Zagreb"),
                 C("name_local", False, "legal name in the national language", "Akademija zavarivanja Zagreb"),
                 C("local_language", False, "BCP 47 code of name_local", "hr"),
                 C("description_en", False, "what the organisation does, in English", "Adult education institution"),
                 C("country", True, "ISO 3166 alpha-3 country code", "HRV"),
                 C("roles", False, f"{LIST}: provider, employer, sector body, public employment "
                   "service, guidance service, quality assurance authority, validation authority, "
                   "framework authority", "provider;validation authority"),
             )),
    Template("accreditations.csv", "accreditations", "accreditation",
             "Accreditations by a quality-assurance authority (needed for external quality assurance).", (
                 C("id", True, "identifier", "hr-weld-academy-2024"),
                 C("title_en", True, "title in English", "Accreditation of adult education programmes"),
                 C("accrediting_agent", True, "organisation id of the quality-assurance authority", "hr-weld-academy"),
                 C("organisation", False, "organisation id of the accredited body", "hr-weld-academy"),
                 C("expiry_date", False, "date YYYY-MM-DD", "2029-06-30"),
             )),
    Template("learning_outcomes.csv", "learning outcomes", "outcome",
             "Learning outcomes, shared by units and micro-credentials.", (
                 C("id", True, "identifier", "hr-lo-mag-plates"),
                 C("title_en", True, "the outcome in English", "Perform MAG welding of steel plates"),
                 C("title_local", False, "the outcome in the national language", "Izvoditi MAG zavarivanje čeličnih ploča"),
                 C("local_language", False, "BCP 47 code of title_local", "hr"),
                 C("esco_skills", False, f"ESCO skill IRIs, {LIST}",
                   "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"),
                 C("equivalent_outcomes", False, f"outcome ids judged equivalent, {LIST}", ""),
             )),
    Template("qualifications.csv", "qualifications", "qualification",
             "Full qualifications as in the national register (QDR profile).", (
                 C("id", True, "identifier", "hr-welder"),
                 C("title_en", True, "title in English", "Welder"),
                 C("title_local", False, "title in the national language", "Zavarivač"),
                 C("local_language", False, "BCP 47 code of title_local", "hr"),
                 C("description_en", False, "description in English", "Qualified welder (MAG, TIG)."),
                 C("framework", True, "national framework: CROQF, NLQF, SCQF, DQF, NFQ", "CROQF"),
                 C("nqf_level", True, "level code as the national register writes it (\"4.2\", \"4+\", \"Entry\")", "4.1"),
                 C("eqf_level", False, "EQF level 1-8; when given it must agree with the framework's referencing", "4"),
                 C("isced_f", True, "ISCED-F 2013 field code", "0715"),
                 C("ects", False, "ECTS credits (a number)", "60"),
                 C("awarding_body", True, "organisation id", "hr-weld-academy"),
                 C("country", True, "ISO 3166 alpha-3 country code", "HRV"),
                 C("language", False, "language of instruction, BCP 47 code", "hr"),
                 C("outcomes", False, f"outcome ids of the qualification itself, {LIST}", "hr-lo-mag-plates"),
                 C("endorsed_by", False, f"organisation ids (sector bodies, employers), {LIST}", ""),
                 C("co_designed_by", False, f"organisation ids that designed it with the awarding body, {LIST}", ""),
             )),
    Template("units.csv", "units", "unit",
             "Units of learning outcomes; each belongs to one qualification.", (
                 C("id", True, "identifier", "hr-welder-u1"),
                 C("qualification", True, "qualification id", "hr-welder"),
                 C("title_en", True, "title in English", "MAG welding"),
                 C("title_local", False, "title in the national language", "MAG zavarivanje"),
                 C("local_language", False, "BCP 47 code of title_local", "hr"),
                 C("eqf_level", False, "EQF level 1-8", "4"),
                 C("ects", False, "ECTS credits", "10"),
                 C("outcomes", True, f"outcome ids, {LIST}", "hr-lo-mag-plates"),
             )),
    Template("micro_credentials.csv", "micro-credentials", "mc",
             "Micro-credentials with the Annex I elements of the 2022 Council Recommendation.", (
                 C("id", True, "identifier", "hr-mag-welding"),
                 C("title_en", True, "title in English", "MAG welding of steel plates"),
                 C("title_local", False, "title in the national language", "MAG zavarivanje čeličnih ploča"),
                 C("local_language", False, "BCP 47 code of title_local", "hr"),
                 C("description_en", False, "description in English", ""),
                 C("awarding_body", True, "organisation id", "hr-weld-academy"),
                 C("country", True, "country of the issuer, ISO 3166 alpha-3", "HRV"),
                 C("framework", False, "national framework of nqf_level", "CROQF"),
                 C("nqf_level", False, "national level code", "4.1"),
                 C("eqf_level", False, "EQF level 1-8 (taken from nqf_level when empty)", "4"),
                 C("isced_f", False, "ISCED-F 2013 field code", "0715"),
                 C("ects", True, "notional workload in ECTS (a number)", "5"),
                 C("hours", False, "notional workload in hours (a number, e.g. 125 or 37.5)", "125"),
                 C("outcomes", True, f"outcome ids, {LIST}", "hr-lo-mag-plates"),
                 C("assessment_type", True, f"types of assessment of the Europass list, {LIST}, by English name (practical assessment, written examination, oral examination, portfolio, project work, ...) or IRI", "portfolio"),
                 C("mode", True, f"form of participation: online, presential, blended or work-based ({LIST})", "blended"),
                 C("learning_setting", False, "formal or non-formal", "non-formal"),
                 C("quality_assurance", True, "internal or external (external needs an accreditation)", "internal"),
                 C("accreditation", False, f"accreditation ids (external quality assurance needs one), {LIST}",
                   ""),
                 C("language", True, "language of instruction, BCP 47 code", "hr"),
                 C("entry_requirement", False, "entry requirement in words (English)", ""),
                 C("prerequisites", False, f"micro-credential or outcome ids required first, {LIST}", ""),
                 C("supervision_verification", False, "supervision and identity verification (official IRI)", ""),
                 C("stackable_toward", False, f"qualification ids, {LIST}", "hr-welder"),
                 C("co_designed_by", False, f"organisation ids, {LIST}", ""),
                 C("endorsed_by", False, f"organisation ids, {LIST}", ""),
                 C("guidance_by", False, f"organisation ids, {LIST}", ""),
             )),
    Template("requirement_rules.csv", "requirement rules", "",
             "How a qualification is completed: one row per rule; the rule named 'req' is the "
             "top one, the others nest by being named in 'components'.", (
                 C("qualification", True, "qualification id", "hr-welder"),
                 C("rule", True, "rule name within the qualification ('req' for the top rule)", "req"),
                 C("title_en", False, "what the rule asks, in English", "Requirements of Welder"),
                 C("kind", True, "all-of, choice-of or minimum-credits", "all-of"),
                 C("components", False, f"unit ids or rule names of the same qualification, {LIST}", "hr-welder-u1"),
                 C("required_count", False, "for choice-of: how many components (a whole number)", ""),
                 C("minimum_credits", False, "for minimum-credits: ECTS needed (a number)", ""),
             )),
    Template("recognition_agreements.csv", "recognition agreements", "agreement",
             "An awarding body accepts a micro-credential as a unit of its qualification.", (
                 C("id", True, "identifier", "hr-ra-mag"),
                 C("title_en", True, "title in English", "MAG welding micro-credential recognised as unit 1"),
                 C("micro_credential", True, "micro-credential id", "hr-mag-welding"),
                 C("unit", True, "unit id", "hr-welder-u1"),
                 C("recognised_by", True, "organisation id of the awarding body", "hr-weld-academy"),
                 C("valid_from", False, "date YYYY-MM-DD", "2024-01-01"),
                 C("valid_until", False, "date YYYY-MM-DD", "2028-12-31"),
             )),
    Template("validation_standards.csv", "validation standards", "validation",
             "What of a qualification can be validated (VNFIL / RPL), how, by whom, up to what share.", (
                 C("id", True, "identifier", "hr-vs-welder"),
                 C("title_en", True, "title in English", "Validation of prior learning in welding"),
                 C("title_local", False, "title in the national language", ""),
                 C("local_language", False, "BCP 47 code of title_local", ""),
                 C("description_en", False, "how validation works, in English", ""),
                 C("qualification", True, "qualification id", "hr-welder"),
                 C("units", False, f"unit ids that can be validated, {LIST}", "hr-welder-u1"),
                 C("outcomes", False, f"outcome ids that can be validated, {LIST}", ""),
                 C("assessment_methods", False, f"assessment types (words or IRIs), {LIST}", "portfolio"),
                 C("validation_authority", True, "organisation id", "hr-weld-academy"),
                 C("maximum_share", False, "largest share of the qualification, a number from 0 to 1", "0.5"),
                 C("guidance_by", False, f"organisation ids giving guidance (e.g. the PES), {LIST}", ""),
             )),
    Template("skills_needs.csv", "skills needs", "need",
             "Skills-needs signals (skills anticipation), as published shortage-occupation lists "
             "are: which occupation or skill is needed, where, since when, who says so, how strongly.", (
                 C("id", True, "identifier", "hr-need-welders"),
                 C("title_en", True, "the need in English", "Shortage of welders in the metal industry"),
                 C("esco", True, f"ESCO occupation or skill IRIs (http://data.europa.eu/esco/occupation/..., "
                   f".../skill/..., .../isced-f/...), {LIST}",
                   "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"),
                 C("outcomes", False, f"outcome ids the need concerns, {LIST}", ""),
                 C("region", True, "ISO 3166 alpha-3 country code", "HRV"),
                 C("date", True, "date of the signal, YYYY-MM-DD", "2025-03-01"),
                 C("source", True, "organisation id of who published it (a PES, a sector body)", "hr-weld-academy"),
                 C("strength", False, "high, medium or low", "high"),
                 C("horizon", False, "the year the need is expected to last until (YYYY)", "2030"),
             )),
)

BY_FILE = {t.file: t for t in TEMPLATES}


def write_templates(directory: str | Path) -> list[Path]:
    """Write every template with its header and one filled example row; returns the files."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for t in TEMPLATES:
        path = directory / t.file
        with open(path, "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(t.names)
            out.writerow([c.example for c in t.columns])
        written.append(path)
    return written


def templates_markdown() -> str:
    """The column reference of docs/csv-templates.md, generated from the definitions."""
    out = []
    for t in TEMPLATES:
        out += [f"### `{t.file}`", "", t.doc, "", "| column | required | meaning | example |",
                "|---|---|---|---|"]
        out += [f"| `{c.name}` | {'yes' if c.required else ''} | {c.doc} | {c.example} |" for c in t.columns]
        out.append("")
    return "\n".join(out)
