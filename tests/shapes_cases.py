"""A small register that satisfies every quality rule, and for each rule a change that breaks it
with the exact result an officer must see (focus node, severity, message)."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, URIRef

from qfgraph.ontology import FRAMEWORKS_FILE

EX = "https://example.org/register/"

BASE = """
@prefix qf:      <https://w3id.org/qfgraph#> .
@prefix elm:     <http://data.europa.eu/snb/model/elm/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix eqf:     <http://data.europa.eu/snb/eqf/> .
@prefix qdr:     <http://data.europa.eu/snb/qdr/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix ex:      <https://example.org/register/> .

ex:academy a elm:Organisation, qf:Provider ;
    elm:legalName "Adriatic Welding Academy"@en ; qf:country country:HRV .
ex:agency a elm:Organisation, qf:QualityAssuranceAuthority ;
    elm:legalName "Adult Education Quality Agency"@en .
ex:centre a elm:Organisation, qf:ValidationAuthority ;
    elm:legalName "Centre for Validation of Prior Learning"@en .

ex:accreditation a elm:Accreditation ;
    dcterms:title "Accreditation of the welding programme"@en ;
    elm:accreditingAgent ex:agency ;
    elm:expiryDate "2099-12-31T00:00:00"^^xsd:dateTime .

ex:mag a elm:LearningOutcome ;
    dcterms:title "Perform MAG welding of steel plates"@en ;
    elm:relatedESCOSkill <http://data.europa.eu/esco/skill/24a39c1b-b8cc-4210-8b74-b388a90e8f59> .
ex:symbols a elm:LearningOutcome ; dcterms:title "Interpret welding symbols"@en .
ex:pipes a elm:LearningOutcome ; dcterms:title "Weld steel pipes"@en .
ex:pipes-nl a elm:LearningOutcome ; dcterms:title "Weld steel pipes (NLQF unit)"@en ;
    qf:equivalentOutcome ex:pipes .
ex:safety a elm:LearningOutcome ; dcterms:title "Apply protective measures in hot work"@en .

ex:mc a qf:MicroCredential ;
    dcterms:title "Basic MAG welding"@en, "Osnove MAG zavarivanja"@hr ;
    elm:awardingBody ex:academy ;
    qf:country country:HRV ;
    elm:learningOutcome ex:mag ;
    elm:creditPoint <https://example.org/register/mc#ects> ;
    elm:EQFLevel eqf:4 ;
    elm:NQFLevel qdr:c_486071a1 ;
    qf:assessmentType <http://data.europa.eu/snb/assessment/6a4db9f11d> ;
    elm:mode <http://data.europa.eu/snb/learning-assessment/e92d221e4d> ;
    elm:learningSetting <http://data.europa.eu/snb/learning-setting/e207a81fc7> ;
    qf:qualityAssurance qf:ExternalQualityAssurance ;
    elm:accreditation ex:accreditation ;
    dcterms:language "hr"^^xsd:language ;
    elm:volumeOfLearning "PT125H"^^xsd:duration ;
    qf:supervisionVerification <http://data.europa.eu/snb/supervision-verification/c598449d64> ;
    qf:prerequisite ex:safety ;
    qf:stackableToward ex:welder .
<https://example.org/register/mc#ects> a elm:CreditPoint ;
    elm:framework <http://data.europa.eu/snb/education-credit/6fcec5c5af> ; elm:point "5" .

ex:pipe-mc a qf:MicroCredential ;
    dcterms:title "Pipe welding"@en ;
    elm:awardingBody ex:academy ;
    qf:country country:NLD ;
    elm:learningOutcome ex:pipes-nl ;
    elm:creditPoint <https://example.org/register/pipe-mc#ects> ;
    elm:NQFLevel qdr:c_ff656b33 ;
    qf:assessmentType <http://data.europa.eu/snb/assessment/6e6cb2cc78> ;
    elm:mode <http://data.europa.eu/snb/learning-assessment/9191af2ed9> ;
    qf:qualityAssurance qf:InternalQualityAssurance ;
    qf:prerequisite ex:mc ;
    qf:stackableToward ex:welder .
<https://example.org/register/pipe-mc#ects> a elm:CreditPoint ;
    elm:framework <http://data.europa.eu/snb/education-credit/6fcec5c5af> ; elm:point "2.5" .

ex:welder a elm:Qualification ;
    dcterms:title "Welder"@en, "Zavarivač"@hr ;
    elm:EQFLevel eqf:4 ;
    elm:NQFLevel qdr:c_486071a1 ;
    elm:ISCEDFCode <http://data.europa.eu/snb/isced-f/0715> ;
    elm:awardingBody ex:academy ;
    elm:hasPart ex:unit-mag, ex:unit-symbols ;
    elm:creditPoint <https://example.org/register/welder#ects> ;
    qf:requirement <https://example.org/register/welder#req> .
<https://example.org/register/welder#ects> a elm:CreditPoint ;
    elm:framework <http://data.europa.eu/snb/education-credit/6fcec5c5af> ; elm:point "60" .

ex:unit-mag a qf:Unit ; dcterms:title "MAG welding"@en ;
    elm:isPartOf ex:welder ; elm:learningOutcome ex:mag .
ex:unit-symbols a qf:Unit ; dcterms:title "Welding symbols"@en ;
    elm:isPartOf ex:welder ; elm:learningOutcome ex:symbols .
ex:unit-pipes a qf:Unit ; dcterms:title "Pipe welding"@en ;
    elm:isPartOf ex:welder ; elm:learningOutcome ex:pipes .

<https://example.org/register/welder#req> a qf:AllOf ;
    qf:component ex:unit-mag, <https://example.org/register/welder#electives>,
                 <https://example.org/register/welder#credits> .
<https://example.org/register/welder#electives> a qf:ChoiceOf ;
    qf:requiredCount 1 ; qf:component ex:unit-symbols, ex:unit-pipes .
<https://example.org/register/welder#credits> a qf:MinimumCredits ; qf:minimumCredits 60.0 .

ex:agreement a qf:RecognitionAgreement ;
    dcterms:title "Academy accepts Basic MAG welding as the MAG unit"@en ;
    qf:recognisedCredential ex:mc ; qf:recognisedAs ex:unit-mag ; qf:recognisedBy ex:academy .

ex:standard a qf:ValidationStandard ;
    dcterms:title "Validation of prior learning for Welder"@en ;
    qf:validates ex:welder ; qf:validatesUnit ex:unit-mag ; qf:validatesOutcome ex:mag ;
    qf:assessmentMethod <http://data.europa.eu/snb/assessment/4f03b91c0e> ;
    qf:validationAuthority ex:centre ;
    qf:maximumShare 0.5 .

ex:need a qf:SkillsNeed ;
    dcterms:title "Shortage of welders in shipbuilding"@en ;
    qf:concernsSkill <http://data.europa.eu/esco/skill/24a39c1b-b8cc-4210-8b74-b388a90e8f59> ;
    qf:concernsOccupation <http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b> ;
    qf:concernsOutcome ex:mag ;
    qf:region country:HRV ; qf:horizon "2030"^^xsd:gYear ; qf:demand "high" ;
    dcterms:source ex:academy ; dcterms:date "2025-03-01"^^xsd:date .
"""

PREFIXES = """
PREFIX qf: <https://w3id.org/qfgraph#> PREFIX elm: <http://data.europa.eu/snb/model/elm/>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX eqf: <http://data.europa.eu/snb/eqf/> PREFIX qdr: <http://data.europa.eu/snb/qdr/>
PREFIX ex: <https://example.org/register/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


def register(update: str | None = None) -> Dataset:
    """The valid register with the frameworks graph, optionally changed by a SPARQL update."""
    data = Dataset(default_union=True)
    data.graph(URIRef("https://w3id.org/qfgraph/graph/frameworks")).parse(FRAMEWORKS_FILE)
    entries = data.graph(URIRef(EX + "graph"))
    entries.parse(data=BASE, format="turtle")
    if update:
        entries.update(PREFIXES + update)
    return data


@dataclass(frozen=True)
class Case:
    shape: str                   # local name in https://w3id.org/qfgraph/shapes#
    update: str                  # SPARQL update that breaks the rule
    focus: str                   # local name under EX
    message: str
    severity: str = "Violation"
    also: tuple = ()             # further (focus, message) results of the same rule


def drop(subject: str, prop: str) -> str:
    return f"DELETE WHERE {{ ex:{subject} {prop} ?o }}"


def swap(subject: str, prop: str, new: str) -> str:
    return f"DELETE {{ ex:{subject} {prop} ?o }} INSERT {{ ex:{subject} {prop} {new} }} WHERE {{ ex:{subject} {prop} ?o }}"


def add(triples: str) -> str:
    return f"INSERT DATA {{ {triples} }}"


MC = "Micro-credential “Basic MAG welding”"
Q = "Qualification “Welder”"
VS = "Validation standard “Validation of prior learning for Welder”"
RA = "Recognition agreement “Academy accepts Basic MAG welding as the MAG unit”"
NEED = "Skills-needs signal “Shortage of welders in shipbuilding”"
EXI = EX  # IRIs in messages

CASES = [
    # -- micro-credentials: mandatory elements of Annex I
    Case("MicroCredential-title", drop("mc", "dcterms:title"), "mc",
         f"Micro-credential “{EXI}mc” has no title: give the title of the micro-credential, in English at least."),
    Case("Title-isText", swap("mc", "dcterms:title", "ex:some-title"), "mc",
         f"Micro-credential “{EXI}mc” has a title that is not text (“{EXI}some-title”): write the title as text, in English at least."),
    Case("MicroCredential-awardingBody", drop("mc", "elm:awardingBody"), "mc",
         f"{MC} has no awarding body: name the body that awards it."),
    Case("MicroCredential-awardingBodyIsOrganisation", swap("mc", "elm:awardingBody", "ex:nobody"), "mc",
         f"{MC} names “{EXI}nobody” as its awarding body, which is not an organisation in the register: refer to a described organisation."),
    Case("MicroCredential-country", drop("mc", "qf:country"), "mc",
         f"{MC} has no issuer country: give the country of the awarding body."),
    Case("MicroCredential-countryForm", swap("mc", "qf:country", '"Croatia"'), "mc",
         f"{MC} gives “Croatia” as issuer country, which is not a country of the EU country table: use an IRI such as http://publications.europa.eu/resource/authority/country/HRV."),
    Case("MicroCredential-learningOutcome", drop("mc", "elm:learningOutcome"), "mc",
         f"{MC} has no learning outcome: list at least one learning outcome it certifies."),
    Case("MicroCredential-learningOutcomeIsOutcome", add("ex:mc elm:learningOutcome ex:unknown-outcome ."), "mc",
         f"{MC} lists “{EXI}unknown-outcome” as a learning outcome, but no learning outcome of that name is described: refer to a described learning outcome."),
    Case("MicroCredential-workload", swap("mc", "elm:creditPoint", "ex:ecvet-points") + " ; " +
         add("ex:ecvet-points elm:framework <http://data.europa.eu/snb/education-credit/60b314e826> ; elm:point \"3\" ."), "mc",
         f"{MC} has no notional workload in ECTS: give the ECTS credit points needed to achieve its learning outcomes."),
    Case("MicroCredential-level", drop("mc", "elm:EQFLevel") + " ; " + drop("mc", "elm:NQFLevel"), "mc",
         f"{MC} has no level: give its EQF level, or a national framework level that is referenced to an EQF level."),
    Case("MicroCredential-oneEQFLevel", add("ex:mc elm:EQFLevel eqf:5 . ex:mc elm:NQFLevel qdr:c_dcc9aca1 ."), "mc",
         f"{MC} has more than one EQF level: keep the one EQF level it is at."),
    Case("MicroCredential-assessmentType", drop("mc", "qf:assessmentType"), "mc",
         f"{MC} has no type of assessment: say how the learning outcomes are assessed (written examination, practical assessment, portfolio, ...)."),
    Case("MicroCredential-assessmentTypeForm", swap("mc", "qf:assessmentType", '"exam"'), "mc",
         f"{MC} gives “exam” as type of assessment, which is not a type of the Europass assessment list: use one of its IRIs (e.g. http://data.europa.eu/snb/assessment/6e6cb2cc78, written examination)."),
    Case("MicroCredential-participation", drop("mc", "elm:mode"), "mc",
         f"{MC} has no form of participation: say whether learning is online, presential, blended or work-based."),
    Case("MicroCredential-participationForm", swap("mc", "elm:mode", "<http://data.europa.eu/snb/learning-assessment/0000000000>"), "mc",
         f"{MC} gives “http://data.europa.eu/snb/learning-assessment/0000000000” as form of participation, which is not a mode of the Europass list: use online, presential, blended or work-based (http://data.europa.eu/snb/learning-assessment/...)."),
    Case("MicroCredential-qualityAssurance", drop("mc", "qf:qualityAssurance"), "mc",
         f"{MC} has no type of quality assurance: say whether it is quality assured internally or externally."),
    Case("MicroCredential-qualityAssuranceForm", swap("mc", "qf:qualityAssurance", '"external"'), "mc",
         f"{MC} gives “external” as type of quality assurance: use qf:InternalQualityAssurance or qf:ExternalQualityAssurance."),
    # -- micro-credentials: optional elements, when given
    Case("MicroCredential-learningSettingForm", swap("mc", "elm:learningSetting", '"non-formal"'), "mc",
         f"{MC} gives “non-formal” as learning setting: use formal (http://data.europa.eu/snb/learning-setting/6fd4685715) or non-formal (http://data.europa.eu/snb/learning-setting/e207a81fc7)."),
    Case("MicroCredential-supervisionForm", swap("mc", "qf:supervisionVerification", '"supervised"'), "mc",
         f"{MC} gives “supervised” for supervision and identity verification: give one concept of the Europass list (http://data.europa.eu/snb/supervision-verification/...)."),
    Case("MicroCredential-stackableTowardForm", swap("mc", "qf:stackableToward", "ex:unit-mag"), "mc",
         f"{MC} is declared stackable toward “MAG welding”, which is not a qualification in the register: refer to a described qualification."),
    Case("MicroCredential-volumeForm", swap("mc", "elm:volumeOfLearning", '"125 hours"'), "mc",
         f"{MC} gives “125 hours” as volume of learning: give one duration such as \"PT125H\"^^xsd:duration (125 hours)."),
    Case("MicroCredential-languageForm", swap("mc", "dcterms:language", '"Croatian"@en'), "mc",
         f"{MC} gives “Croatian” as language: give a language code such as \"hr\"^^xsd:language."),
    Case("CreditPoints-form", swap("mc", "elm:creditPoint", '"5"'), "mc",
         f"{MC} gives credit points that are not a credit-point description: give one credit system (ECTS or ECVET) and one number of points."),
    Case("CreditPoints-positive", "DELETE DATA { <https://example.org/register/mc#ects> elm:point \"5\" } ; "
         "INSERT DATA { <https://example.org/register/mc#ects> elm:point \"0\" }", "mc",
         f"{MC} gives “0” credit points, which is not a number above zero: write the points as a number, such as 5 or 2.5."),
    # -- qualifications (Europass QDR profile), units, outcomes
    Case("Qualification-title", drop("welder", "dcterms:title"), "welder",
         f"Qualification “{EXI}welder” has no title: give the title of the qualification, in English at least."),
    Case("Qualification-EQFLevel", drop("welder", "elm:EQFLevel"), "welder",
         f"{Q} has no EQF level: give the one EQF level it is referenced to."),
    Case("Qualification-oneEQFLevel", add("ex:welder elm:EQFLevel eqf:4, eqf:5 . ex:welder elm:NQFLevel qdr:c_dcc9aca1 ."), "welder",
         f"{Q} has more than one EQF level: a qualification is referenced to exactly one EQF level."),
    Case("Qualification-NQFLevel", drop("welder", "elm:NQFLevel"), "welder",
         f"{Q} has no national framework level: give its level in the national qualifications framework."),
    Case("Qualification-learningOutcome", "DELETE WHERE { ?unit elm:isPartOf ex:welder } ; " + drop("welder", "elm:hasPart"), "welder",
         f"{Q} has no learning outcome, neither of its own nor through its units: list the learning outcomes it certifies."),
    Case("Qualification-learningOutcomeIsOutcome", add("ex:welder elm:learningOutcome ex:unit-mag ."), "welder",
         f"{Q} lists “MAG welding” as a learning outcome, but no learning outcome of that name is described: refer to a described learning outcome."),
    Case("Qualification-awardingBody", drop("welder", "elm:awardingBody"), "welder",
         f"{Q} has no awarding body: name the body that awards it."),
    Case("Qualification-awardingBodyIsOrganisation", swap("welder", "elm:awardingBody", '"Adriatic Welding Academy"'), "welder",
         f"{Q} names “Adriatic Welding Academy” as its awarding body, which is not an organisation in the register: refer to a described organisation."),
    Case("Qualification-field", drop("welder", "elm:ISCEDFCode"), "welder",
         f"{Q} has no ISCED-F field of education and training: the Europass register expects one (e.g. http://data.europa.eu/snb/isced-f/0715).",
         "Warning"),
    Case("Qualification-fieldForm", swap("welder", "elm:ISCEDFCode", '"0715"'), "welder",
         f"{Q} gives “0715” as ISCED-F field, which is not a field of the ISCED-F list: use an IRI such as http://data.europa.eu/snb/isced-f/0715."),
    Case("Qualification-partIsUnit", add("ex:welder elm:hasPart ex:mag ."), "welder",
         f"{Q} lists “Perform MAG welding of steel plates” as a part, but no unit of that name is described: refer to a described unit."),
    Case("Unit-title", drop("unit-mag", "dcterms:title"), "unit-mag",
         f"Unit “{EXI}unit-mag” has no title: give the title of the unit, in English at least."),
    Case("Unit-learningOutcome", drop("unit-pipes", "elm:learningOutcome"), "unit-pipes",
         "Unit “Pipe welding” has no learning outcome: a unit is a set of learning outcomes; list at least one."),
    Case("Unit-learningOutcomeIsOutcome", add("ex:unit-pipes elm:learningOutcome \"welding pipes\"@en ."), "unit-pipes",
         "Unit “Pipe welding” lists “welding pipes” as a learning outcome, but no learning outcome of that name is described: refer to a described learning outcome."),
    Case("Unit-partOfQualification", swap("unit-pipes", "elm:isPartOf", "ex:academy"), "unit-pipes",
         "Unit “Pipe welding” is declared part of “Adriatic Welding Academy”, which is not a qualification in the register: refer to a described qualification."),
    Case("LearningOutcome-title", drop("safety", "dcterms:title"), "safety",
         f"Learning outcome “{EXI}safety” has no title: state the outcome in words, in English at least."),
    Case("LearningOutcome-skillForm", add("ex:symbols elm:relatedESCOSkill <http://example.org/skills/reading> ."), "symbols",
         "Learning outcome “Interpret welding symbols” gives “http://example.org/skills/reading” as related ESCO skill, which is not an ESCO skill or skill-group IRI: use an IRI of http://data.europa.eu/esco/skill/ or http://data.europa.eu/esco/isced-f/."),
    Case("LearningOutcome-equivalentIsOutcome", add("ex:symbols qf:equivalentOutcome ex:unit-symbols ."), "symbols",
         "Learning outcome “Interpret welding symbols” is declared equivalent to “Welding symbols”, which is not a learning outcome in the register: refer to a described learning outcome."),
    # -- levels
    Case("Level-EQFForm", swap("welder", "elm:EQFLevel", "qdr:c_486071a1"), "welder",
         f"{Q} gives “CROQF Level 4.1” as EQF level, which is not a level of the EQF: use http://data.europa.eu/snb/eqf/1 to http://data.europa.eu/snb/eqf/8."),
    Case("Level-NQFForm", swap("welder", "elm:NQFLevel", "eqf:4"), "welder",
         f"{Q} gives “Level 4” as national framework level, which is not a level of any national framework in the register: use the QDR IRI of the level (http://data.europa.eu/snb/qdr/c_...)."),
    Case("Level-NQFReferencedToEQF", swap("welder", "elm:EQFLevel", "eqf:5"), "welder",
         f"{Q} is given EQF level 5, but its national level “CROQF Level 4.1” is referenced to EQF level 4: correct the EQF level or the national level."),
    Case("Level-noEQFLevel", swap("pipe-mc", "elm:NQFLevel", "qdr:c_b42dd23b") + " ; " + add("ex:pipe-mc elm:EQFLevel eqf:1 ."), "pipe-mc",
         "Micro-credential “Pipe welding” is given an EQF level, but its national level is one the referencing places outside the EQF (it has no EQF level): remove the EQF level, or correct the national level."),
    # -- stacking
    Case("Stacking-stackableLevel", swap("pipe-mc", "elm:NQFLevel", "qdr:c_18c9e9fe"), "pipe-mc",
         "Micro-credential “Pipe welding” is at EQF level 5 but is declared stackable toward “Welder” at EQF level 4: a micro-credential may not stack into a qualification below its own level."),
    Case("Stacking-stackableSharesOutcome", drop("pipes-nl", "qf:equivalentOutcome"), "pipe-mc",
         "Micro-credential “Pipe welding” is declared stackable toward “Welder” but shares no learning outcome with it, nor one declared equivalent: check the stacking, or link the matching outcomes.",
         "Warning"),
    Case("Recognition-credential", swap("agreement", "qf:recognisedCredential", "ex:unit-pipes"), "agreement",
         f"{RA} does not name a described micro-credential that it recognises: refer to the micro-credential it accepts."),
    Case("Recognition-unit", drop("agreement", "qf:recognisedAs"), "agreement",
         f"{RA} does not name a described unit that the micro-credential counts as: refer to the unit of the qualification."),
    Case("Recognition-body", swap("agreement", "qf:recognisedBy", "ex:nobody"), "agreement",
         f"{RA} does not name a described organisation that grants the recognition: refer to the awarding body."),
    Case("Recognition-level", swap("mc", "elm:EQFLevel", "eqf:5") + " ; " + swap("mc", "elm:NQFLevel", "qdr:c_dcc9aca1"), "agreement",
         f"{RA} accepts micro-credential “Basic MAG welding” (EQF level 5) as a unit of “Welder” (EQF level 4): a micro-credential may not count toward a qualification below its own level."),
    Case("Recognition-sharesOutcome", swap("agreement", "qf:recognisedCredential", "ex:pipe-mc") + " ; " + drop("pipes-nl", "qf:equivalentOutcome"), "agreement",
         f"{RA} accepts micro-credential “Pipe welding” as a unit of “Welder”, but the two share no learning outcome, nor one declared equivalent: check the agreement, or link the matching outcomes.",
         "Warning"),
    # -- requirement structures and prerequisites
    Case("Requirement-resolves", swap("welder", "qf:requirement", "ex:missing-requirement"), "welder",
         f"{Q} refers to “{EXI}missing-requirement” as its requirement, but no requirement of that name is described: describe it as all of, k of n, or minimum credits."),
    Case("Requirement-componentResolves", add("<https://example.org/register/welder#req> qf:component ex:unit-typo ."), "welder#req",
         f"Requirement “Welder › req” lists “{EXI}unit-typo” as a component, but no unit, learning outcome or requirement of that name is described: correct the reference or describe the entry."),
    Case("ChoiceOf-count", "DELETE WHERE { <https://example.org/register/welder#electives> qf:requiredCount ?k }", "welder#electives",
         "Elective group “Welder › req › electives” must say, once, how many of its components are required."),
    Case("ChoiceOf-countAtLeastOne", "DELETE WHERE { <https://example.org/register/welder#electives> qf:requiredCount ?k } ; "
         "INSERT DATA { <https://example.org/register/welder#electives> qf:requiredCount 0 }", "welder#electives",
         "Elective group “Welder › req › electives” asks for “0” components: the number required must be a whole number of at least 1."),
    Case("ChoiceOf-countAtMostComponents", "DELETE WHERE { <https://example.org/register/welder#electives> qf:requiredCount ?k } ; "
         "INSERT DATA { <https://example.org/register/welder#electives> qf:requiredCount 3 }", "welder#electives",
         "Elective group “Welder › req › electives” asks for 3 components but lists only 2: lower the number required, or add components."),
    Case("MinimumCredits-value", "DELETE WHERE { <https://example.org/register/welder#credits> qf:minimumCredits ?c }", "welder#credits",
         "Minimum-credits requirement “Welder › req › credits” must say, once, how many ECTS credits are required."),
    Case("MinimumCredits-notNegative", "DELETE WHERE { <https://example.org/register/welder#credits> qf:minimumCredits ?c } ; "
         "INSERT DATA { <https://example.org/register/welder#credits> qf:minimumCredits \"-5.0\"^^xsd:decimal }", "welder#credits",
         "Minimum-credits requirement “Welder › req › credits” asks for “-5.0” ECTS credits: the minimum must be a number of 0 or more."),
    Case("Prerequisite-resolves", swap("mc", "qf:prerequisite", '"basic safety course"'), "mc",
         f"{MC} lists “basic safety course” as a prerequisite, but no credential or learning outcome of that name is described: correct the reference or describe the entry."),
    Case("Prerequisite-noCycle", add("ex:mc qf:prerequisite ex:pipe-mc ."), "mc",
         f"{MC} requires “Pipe welding” before enrolling, which in turn requires “Basic MAG welding” (directly or through other prerequisites): prerequisites may not form a cycle; remove one of them.",
         also=(("pipe-mc", "Micro-credential “Pipe welding” requires “Basic MAG welding” before enrolling, which in turn requires “Pipe welding” (directly or through other prerequisites): prerequisites may not form a cycle; remove one of them."),)),
    # -- validation standards
    Case("ValidationStandard-title", drop("standard", "dcterms:title"), "standard",
         f"Validation standard “{EXI}standard” has no title: give its title, in English at least."),
    Case("ValidationStandard-scope", drop("standard", "qf:validates") + " ; " + drop("standard", "qf:validatesUnit")
         + " ; " + drop("standard", "qf:validatesOutcome"), "standard",
         f"{VS} does not say what it validates: name the qualification, or the units of a qualification, that can be achieved through validation."),
    Case("ValidationStandard-qualification", swap("standard", "qf:validates", "ex:mc"), "standard",
         f"{VS} validates “Basic MAG welding”, which is not a qualification in the register: refer to a described qualification."),
    Case("ValidationStandard-unit", add("ex:standard qf:validatesUnit ex:welder ."), "standard",
         f"{VS} validates “Welder” as a unit, but no unit of that name is described: refer to a described unit."),
    Case("ValidationStandard-outcome", add("ex:standard qf:validatesOutcome <https://example.org/register/welder#req> ."), "standard",
         f"{VS} validates “Welder › req” as a learning outcome, but no learning outcome of that name is described: refer to a described learning outcome."),
    Case("ValidationStandard-method", drop("standard", "qf:assessmentMethod"), "standard",
         f"{VS} has no assessment method: say how prior learning is assessed (portfolio, practical assessment, oral examination, ...)."),
    Case("ValidationStandard-methodForm", swap("standard", "qf:assessmentMethod", '"interview"'), "standard",
         f"{VS} gives “interview” as assessment method, which is not a type of the Europass assessment list: use one of its IRIs (e.g. http://data.europa.eu/snb/assessment/4f03b91c0e, portfolio)."),
    Case("ValidationStandard-authority", swap("standard", "qf:validationAuthority", "ex:academy"), "standard",
         f"{VS} does not name a validation authority of the register that is responsible for it: refer to an organisation described as a validation authority."),
    Case("ValidationStandard-share", drop("standard", "qf:maximumShare"), "standard",
         f"{VS} must give, once, the largest share of the qualification (0 to 1) that may be achieved through validation."),
    Case("ValidationStandard-shareRange", swap("standard", "qf:maximumShare", "1.5"), "standard",
         f"{VS} gives “1.5” as maximum share: the share is a number from 0 to 1 (0.5 for half of the qualification)."),
    Case("ValidationStandard-unitBelongs", add("ex:unit-other a qf:Unit ; dcterms:title \"Unit of another qualification\"@en ; elm:learningOutcome ex:safety . ex:standard qf:validatesUnit ex:unit-other ."), "standard",
         f"{VS} validates unit “Unit of another qualification”, which is not a unit of “Welder”: validate only units of the qualification."),
    Case("ValidationStandard-outcomeBelongs", add("ex:standard qf:validatesOutcome ex:safety ."), "standard",
         f"{VS} validates learning outcome “Apply protective measures in hot work”, which is not an outcome of the qualification or units it validates: validate only outcomes of that qualification."),
    # -- quality assurance
    Case("Quality-externalAccreditation", drop("mc", "elm:accreditation"), "mc",
         f"{MC} claims external quality assurance but names no accreditation by a quality-assurance authority: add the accreditation (elm:accreditation) and the authority that granted it."),
    Case("Quality-accreditationCurrent", swap("accreditation", "elm:expiryDate", '"2020-06-30T00:00:00"^^xsd:dateTime'), "mc",
         f"{MC} relies on accreditation “Accreditation of the welding programme”, which expired on 2020-06-30: renew the accreditation or update its expiry date.",
         "Warning"),
    Case("Quality-accreditationScope", add("ex:accreditation elm:organisation ex:centre ."), "mc",
         f"{MC} claims external quality assurance through accreditation “Accreditation of the welding programme”, but it accredits another organisation than its awarding body: name an accreditation of its awarding body that covers it."),
    Case("Quality-accreditationScope", add("ex:accreditation elm:limitEQFLevel eqf:8 ."), "mc",
         f"{MC} claims external quality assurance through accreditation “Accreditation of the welding programme”, but its EQF level is outside the accreditation's levels: name an accreditation of its awarding body that covers it."),
    Case("Quality-accreditationIsAccreditation", add("ex:mc elm:accreditation ex:agency ."), "mc",
         f"{MC} names “Adult Education Quality Agency” as its accreditation, but no accreditation of that name is described: refer to a described accreditation."),
    Case("Accreditation-agent", drop("accreditation", "elm:accreditingAgent"), "accreditation",
         "Accreditation “Accreditation of the welding programme” does not name a described organisation that granted it: refer to the quality-assurance authority."),
    Case("Accreditation-expiryForm", swap("accreditation", "elm:expiryDate", '"end of 2028"'), "accreditation",
         "Accreditation “Accreditation of the welding programme” gives “end of 2028” as expiry date: give one date, such as \"2028-12-31T00:00:00\"^^xsd:dateTime."),
    # -- skills-needs signals
    Case("SkillsNeed-source", drop("need", "dcterms:source"), "need",
         f"{NEED} has no source: name the forecast, survey or organisation it comes from."),
    Case("SkillsNeed-date", drop("need", "dcterms:date"), "need",
         f"{NEED} has no date: give the date the signal was published."),
    Case("SkillsNeed-dateForm", swap("need", "dcterms:date", '"March 2025"'), "need",
         f"{NEED} gives “March 2025” as its date: give a date such as \"2025-03-01\"^^xsd:date."),
    Case("SkillsNeed-region", drop("need", "qf:region"), "need",
         f"{NEED} has no region: give the country or region it applies to."),
    Case("SkillsNeed-regionForm", swap("need", "qf:region", '"Croatia"'), "need",
         f"{NEED} gives “Croatia” as region: refer to the region by its IRI (for a country, http://publications.europa.eu/resource/authority/country/...)."),
    Case("SkillsNeed-concerns", drop("need", "qf:concernsSkill") + " ; " + drop("need", "qf:concernsOccupation")
         + " ; " + drop("need", "qf:concernsOutcome"), "need",
         f"{NEED} does not say what it concerns: name the ESCO skill, the ESCO occupation or the learning outcome that is needed."),
    Case("SkillsNeed-skillForm", swap("need", "qf:concernsSkill", '"welding"'), "need",
         f"{NEED} concerns “welding”, which is not an ESCO skill or skill-group IRI: use an IRI of http://data.europa.eu/esco/skill/ or http://data.europa.eu/esco/isced-f/."),
    Case("SkillsNeed-occupationForm", swap("need", "qf:concernsOccupation", "<http://data.europa.eu/esco/skill/24a39c1b-b8cc-4210-8b74-b388a90e8f59>"), "need",
         f"{NEED} concerns “http://data.europa.eu/esco/skill/24a39c1b-b8cc-4210-8b74-b388a90e8f59”, which is not an ESCO occupation IRI: use an IRI of http://data.europa.eu/esco/occupation/."),
    Case("SkillsNeed-outcomeForm", swap("need", "qf:concernsOutcome", "ex:academy"), "need",
         f"{NEED} concerns “Adriatic Welding Academy”, but no learning outcome of that name is described: refer to a described learning outcome."),
    Case("SkillsNeed-horizonForm", swap("need", "qf:horizon", '"2030"'), "need",
         f"{NEED} gives “2030” as horizon: give a year such as \"2030\"^^xsd:gYear."),
    Case("SkillsNeed-demandForm", swap("need", "qf:demand", '"urgent"'), "need",
         f"{NEED} gives “urgent” as demand: use high, medium or low."),
]
