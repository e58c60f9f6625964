"""A seeded generator of synthetic qualifications-framework graphs at several scales.

The data follows docs/data-model.md: ELM first, hash IRIs for dependent nodes, ECTS as
elm:creditPoint, official code-list IRIs only. The five reference frameworks of
ontology/frameworks.ttl are used as they are; the other national frameworks are synthetic,
minted under https://w3id.org/qfgraph/id/bench/ (never under an EU namespace). ESCO
occupations come from esco_occupations.csv (real IRIs); skills point to ESCO knowledge
groups of the ISCED-F fields.

Lines are written directly (no rdflib graph), so scale M takes seconds. The same seed
always gives byte-identical output.
"""
from __future__ import annotations

import csv
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from benchmarks.common import DATA_DIR, data_paths
from qfgraph.ontology import FRAMEWORKS_FILE
from qfgraph.ontology.namespaces import (
    ASSESSMENT, COUNTRY, ECTS, ELM, EQF_LEVEL, GRAPH, ISCED_F, LEARNING_SETTING, MODE, QF, QFG,
)

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
BENCH = QFG + "id/bench/"
BENCH_GRAPH = str(GRAPH) + "bench/"
FRAMEWORKS_GRAPH = BENCH_GRAPH + "frameworks"
# Real ESCO v1.1.1 occupation IRIs by field (a subset; "This service uses the ESCO
# classification of the European Commission").
OCCUPATIONS_FILE = Path(__file__).resolve().parent / "esco_occupations.csv"

# Qualifications per scale; everything else follows from it (about 300 triples each).
SCALE_SIZES = {"XS": 30, "S": 340, "M": 3600, "L": 36000}
# "Big" qualifications (20-60 required outcomes) and candidate micro-credentials for each,
# for the stacking figures.
BIG_QUALIFICATIONS = {"XS": 2, "S": 4, "M": 10, "L": 30}
BIG_CANDIDATES = {"XS": 12, "S": 40, "M": 110, "L": 120}
DEFAULT_SEEDS = {"XS": 7, "S": 11, "M": 13, "L": 17}
MC_PER_QUALIFICATION = 5.0

# Synthetic national frameworks: (country code, ISO alpha-3, language, framework name)
SYNTHETIC_COUNTRIES = [
    ("at", "AUT", "de", "NQR"), ("be", "BEL", "fr", "CFC"), ("bg", "BGR", "bg", "NQF-BG"),
    ("cy", "CYP", "el", "CyQF"), ("cz", "CZE", "cs", "NSK"), ("de", "DEU", "de", "DQR"),
    ("ee", "EST", "et", "EstQF"), ("fi", "FIN", "fi", "FiNQF"), ("fr", "FRA", "fr", "CNCP"),
    ("gr", "GRC", "el", "HQF"), ("hu", "HUN", "hu", "HuQF"), ("it", "ITA", "it", "QNQ"),
    ("lv", "LVA", "lv", "LKI"), ("lt", "LTU", "lt", "LTKS"), ("lu", "LUX", "fr", "CLQ"),
    ("mt", "MLT", "mt", "MQF"), ("pl", "POL", "pl", "PQF"), ("pt", "PRT", "pt", "QNQ-PT"),
    ("ro", "ROU", "ro", "CNC"), ("sk", "SVK", "sk", "SKKR"), ("si", "SVN", "sl", "SOK"),
    ("es", "ESP", "es", "MECU"), ("se", "SWE", "sv", "SeQF"), ("no", "NOR", "nb", "NKR"),
    ("is", "ISL", "is", "ISQF"),
]
# The five curated frameworks (ontology/frameworks.ttl), by notation: (code of their graphs, language).
REAL_FRAMEWORKS = {"CROQF": ("hr", "hr"), "NLQF": ("nl", "nl"), "DQF": ("dk", "da"), "NFQ": ("ie", "en"),
                   "SCQF": ("sco", "en")}

# Level layouts of the synthetic frameworks: (notation, order, EQF level or None).
LAYOUTS = [
    [(str(n), n, n) for n in range(1, 9)],
    [("Entry", 0, None)] + [(str(n), n, n) for n in range(1, 9)],
    [(str(n), n, n) for n in (1, 2, 3)] + [("4.1", 4.1, 4), ("4.2", 4.2, 4), ("5", 5, 5),
     ("6.1", 6.1, 6), ("6.2", 6.2, 6), ("7", 7, 7), ("8", 8, 8)],
    [(str(n), n, e) for n, e in zip(range(1, 11), (1, 1, 2, 3, 4, 5, 6, 6, 7, 8))],
    [(str(n), n, e) for n, e in zip(range(1, 13), (None, None, 1, 2, 3, 4, 5, 5, 6, 6, 7, 8))],
]

# Fields of study: ISCED-F detailed field, ISCO group prefix of its occupations, topics.
FIELDS = [
    ("0715", "7212", ["MAG welding of steel plates", "TIG welding of stainless steel", "reading welding drawings",
                      "cutting and grinding metal", "inspecting weld seams", "workshop safety"]),
    ("0613", "2512", ["writing unit tests", "designing REST interfaces", "version control",
                      "debugging web applications", "relational database design", "secure coding"]),
    ("0413", "12", ["project planning", "budget control", "team leadership", "procurement procedures",
                    "risk management", "quality management systems"]),
    ("0732", "71", ["reinforced concrete works", "reading construction drawings", "site safety",
                    "masonry", "insulation of buildings", "surveying and setting out"]),
    ("0913", "222", ["wound care", "medication administration", "patient assessment", "infection control",
                     "palliative care", "documentation of care"]),
    ("1013", "512", ["food hygiene", "menu planning", "pastry preparation", "kitchen organisation",
                     "allergen management", "table service"]),
    ("0811", "61", ["soil management", "livestock welfare", "crop protection", "farm machinery operation",
                    "organic production", "precision agriculture"]),
    ("0412", "33", ["financial reporting", "credit analysis", "insurance claims handling", "payroll",
                    "anti-money-laundering checks", "bookkeeping"]),
    ("0922", "531", ["early childhood pedagogy", "child safeguarding", "play-based learning",
                     "communication with parents", "inclusive practice", "child development"]),
    ("0714", "742", ["PLC programming", "sensor installation", "industrial robotics",
                     "circuit diagnostics", "automation safety", "electronic assembly"]),
    ("0612", "252", ["network configuration", "cloud infrastructure", "database administration",
                     "cybersecurity monitoring", "backup and recovery", "identity management"]),
    ("0414", "243", ["digital marketing", "market research", "content creation", "brand management",
                     "social media analytics", "customer relationship management"]),
    ("0521", "2133", ["environmental impact assessment", "waste management", "water quality monitoring",
                      "energy auditing", "circular economy", "biodiversity survey"]),
    ("1041", "83", ["freight logistics", "dangerous goods transport", "fleet management",
                    "route planning", "customs procedures", "warehouse operations"]),
    ("0111", "23", ["curriculum design", "assessment of learning", "digital teaching tools",
                    "classroom management", "adult education methods", "guidance and counselling"]),
    ("0713", "741", ["solar photovoltaic installation", "electrical installation testing",
                     "heat pump installation", "energy storage", "low-voltage wiring", "grid connection"]),
    ("0721", "751", ["food safety systems", "dairy processing", "meat processing", "bakery production",
                     "quality control of food", "food packaging"]),
    ("0923", "263", ["case management", "crisis intervention", "community work", "social legislation",
                     "counselling techniques", "working with migrants"]),
]
VERBS = ["Apply", "Perform", "Plan", "Evaluate", "Carry out", "Explain", "Organise", "Document",
         "Analyse", "Monitor", "Implement", "Assess"]
ASPECTS = ["in routine situations", "to the applicable standard", "under supervision", "independently",
           "in a team", "for small enterprises", "with digital tools", "safely and sustainably"]

MODES = [MODE[c] for c in ("920fbb3cbe", "9191af2ed9", "e92d221e4d", "729f3bed4b")]
ASSESSMENTS = [ASSESSMENT[c] for c in ("6e6cb2cc78", "4f03b91c0e", "d30284d7df")]
NON_FORMAL, FORMAL = LEARNING_SETTING["e207a81fc7"], LEARNING_SETTING["6fd4685715"]
UNSUPERVISED = "http://data.europa.eu/snb/supervision-verification/c598449d64"
ROLES = ["Provider", "Employer", "SectorBody", "PublicEmploymentService", "GuidanceService",
         "QualityAssuranceAuthority", "ValidationAuthority", "FrameworkAuthority"]


def iri(value: str) -> str:
    return f"<{value}>"


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def q(name: str) -> str:
    return iri(str(QF[name]))


def e(name: str) -> str:
    return iri(str(ELM[name]))


def dct(name: str) -> str:
    return iri(DCT + name)


def skos(name: str) -> str:
    return iri(SKOS + name)


def integer(n: int) -> str:
    return lit(str(n), datatype=XSD + "integer")


def decimal(x: float) -> str:
    return lit(f"{x:.1f}" if x == int(x) else f"{x:g}", datatype=XSD + "decimal")


TRUE = lit("true", datatype=XSD + "boolean")


@dataclass
class Country:
    code: str            # graph and IRI segment: hr, nl, dk, ie, sco, at, ...
    country: str         # EU authority country IRI
    language: str
    framework: str       # framework IRI
    levels: dict[int, list[str]]   # EQF level -> national level IRIs referenced to it
    base: str = ""
    index: int = 0       # position of its graph in the output
    orgs: dict[str, list[str]] = field(default_factory=dict)
    accreditation: dict[str, str] = field(default_factory=dict)
    qualifications: list = field(default_factory=list)
    mcs: list = field(default_factory=list)
    needs: list[str] = field(default_factory=list)


@dataclass
class Unit:
    iri: str
    qualification: "Qualification"
    outcomes: list[str]
    ects: int


@dataclass
class Qualification:
    iri: str
    country: Country
    field: tuple
    eqf: int
    units: list[Unit]
    mandatory: list[Unit]
    awarding_body: str
    big: bool = False


@dataclass
class MicroCredential:
    iri: str
    country: Country
    field: tuple
    eqf: int
    outcomes: list[str]
    provider: str
    ects: int
    title: str
    unit: Unit | None


@dataclass
class GenerationResult:
    data_file: Path
    manifest_file: Path
    triples: int
    manifest: dict


class Writer:
    """Writes N-Quads (one graph per curating authority) or Turtle (triples only)."""

    def __init__(self, out, quads: bool):
        self.out, self.quads, self.count = out, quads, 0
        self.graph = ""
        self.classes: Counter = Counter()

    def use_graph(self, graph_iri: str) -> None:
        self.graph = f" <{graph_iri}>" if self.quads else ""

    def add(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o}{self.graph} .\n")
        self.count += 1

    def typed(self, s: str, *classes: str) -> None:
        for c in classes:
            self.add(s, RDF_TYPE, c)
            self.classes[c.strip("<>")] += 1


# ---------------------------------------------------------------------------------------
# reference lists (real IRIs only)

def real_frameworks() -> list[Country]:
    """The five curated frameworks of ontology/frameworks.ttl, with their levels by EQF level (the
    other frameworks of the code list are left to the synthetic ones, as before they existed)."""
    rdf = lambda local: ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#" + local)
    store = ox.Store()
    store.load(path=str(FRAMEWORKS_FILE), format=ox.RdfFormat.TURTLE)
    frameworks = {}
    for quad in store.quads_for_pattern(None, rdf("type"), ox.NamedNode(str(QF.QualificationsFramework))):
        fw = quad.subject.value
        if fw.startswith(str(EQF_LEVEL)):
            continue
        country = next(store.quads_for_pattern(quad.subject, ox.NamedNode(str(QF.country)), None)).object.value
        notation = next(store.quads_for_pattern(quad.subject, ox.NamedNode(SKOS + "notation"), None)).object.value
        code, language = REAL_FRAMEWORKS[notation]
        frameworks[fw] = Country(code, country, language, fw, {})
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(QF.levelFramework)), None):
        level, fw = quad.subject, quad.object.value
        ref = list(store.quads_for_pattern(level, ox.NamedNode(str(QF.referencedTo)), None))
        if fw in frameworks and ref:
            eqf = int(ref[0].object.value.rsplit("/", 1)[-1])
            frameworks[fw].levels.setdefault(eqf, []).append(level.value)
    for c in frameworks.values():
        for levels in c.levels.values():
            levels.sort()
    return sorted(frameworks.values(), key=lambda c: c.code)


def esco_occupations() -> dict[str, list[str]]:
    """Occupation IRIs by field (ISCED code): ESCO occupations of the field's ISCO group."""
    by_field: dict[str, list[str]] = {code: [] for code, _, _ in FIELDS}
    with open(OCCUPATIONS_FILE, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            by_field[row["isced_field"]].append(row["uri"])
    return by_field


def esco_group(code: str) -> str:
    """The ESCO knowledge group of an ISCED-F field (present in skill_groups.csv)."""
    return f"http://data.europa.eu/esco/isced-f/{code}"


# ---------------------------------------------------------------------------------------

class Generator:
    def __init__(self, scale: str, seed: int, writer: Writer):
        self.scale, self.rng, self.w = scale, random.Random(seed), writer
        self.occupations = esco_occupations()
        self.outcomes_by_field: dict[str, list[tuple[int, str]]] = {f[0]: [] for f in FIELDS}
        self.mc_by_country_field: dict[tuple, list[MicroCredential]] = {}
        self.counts = Counter()
        self.prerequisites: list[tuple[str, str]] = []
        self.recognitions = 0

    # -- frameworks ---------------------------------------------------------------------

    def frameworks(self) -> list[Country]:
        countries = real_frameworks()
        self.w.use_graph(FRAMEWORKS_GRAPH)
        for i, (code, alpha3, lang, notation) in enumerate(SYNTHETIC_COUNTRIES):
            fw = f"{BENCH}framework/{code}"
            c = Country(code, str(COUNTRY[alpha3]), lang, fw, {})
            self.w.typed(iri(fw), q("QualificationsFramework"), skos("ConceptScheme"))
            self.w.add(iri(fw), skos("prefLabel"), lit(f"{notation} national qualifications framework (synthetic)", "en"))
            self.w.add(iri(fw), skos("notation"), lit(notation))
            self.w.add(iri(fw), q("country"), iri(c.country))
            self.w.add(iri(fw), q("maintainedBy"), iri(f"{BENCH}{code}/org/framework-authority"))
            for notation_l, order, eqf in LAYOUTS[i % len(LAYOUTS)]:
                level = f"{fw}/level/{notation_l.replace('.', '-').lower()}"
                s = iri(level)
                self.w.typed(s, skos("Concept"))
                self.w.add(s, skos("inScheme"), iri(fw))
                self.w.add(s, q("levelFramework"), iri(fw))
                self.w.add(s, skos("notation"), lit(notation_l))
                self.w.add(s, skos("prefLabel"), lit(f"{notation} level {notation_l}", "en"))
                self.w.add(s, q("order"), decimal(order))
                if eqf is None:
                    self.w.add(s, q("noEQFLevel"), TRUE)
                    self.counts["levels without EQF level"] += 1
                else:
                    self.w.add(s, q("referencedTo"), iri(str(EQF_LEVEL[str(eqf)])))
                    c.levels.setdefault(eqf, []).append(level)
                self.counts["synthetic framework levels"] += 1
            countries.append(c)
        for index, c in enumerate(countries):
            c.base, c.index = f"{BENCH}{c.code}/", index
        return countries

    def dataset(self, c: Country) -> None:
        s = iri(f"{c.base}dataset")
        self.w.typed(s, iri(DCAT + "Dataset"))
        self.w.add(s, q("illustrative"), TRUE)
        self.w.add(s, dct("title"), lit(f"qfgraph benchmark data: {c.code.upper()} (synthetic)", "en"))
        self.w.add(s, dct("description"), lit("Synthetic register generated for benchmarks; every entity is invented.", "en"))
        self.w.add(s, dct("spatial"), iri(c.country))

    # -- actors -------------------------------------------------------------------------

    def actors(self, c: Country, n_quals: int) -> None:
        r = self.rng
        sizes = {"Provider": max(3, n_quals // 3), "Employer": max(3, n_quals // 4),
                 "SectorBody": max(2, n_quals // 20), "PublicEmploymentService": 1, "GuidanceService": 1,
                 "QualityAssuranceAuthority": 2, "ValidationAuthority": 1, "FrameworkAuthority": 1}
        c.orgs = {role: [] for role in ROLES}
        for role in ROLES:
            slug = "".join("-" + ch.lower() if ch.isupper() else ch for ch in role).lstrip("-")
            for i in range(sizes[role]):
                # the framework authority is named by the synthetic frameworks' qf:maintainedBy
                org = f"{c.base}org/{slug}" + ("" if role == "FrameworkAuthority" else f"-{i}")
                roles = [e("Organisation"), q(role)]
                if role == "Provider" and r.random() < 0.1:
                    roles.append(q("Employer"))       # companies that train their own sector
                    c.orgs["Employer"].append(org)
                self.w.typed(iri(org), *roles)
                self.w.add(iri(org), e("legalName"), lit(f"{c.code.upper()} {role} {i + 1}", "en"))
                self.w.add(iri(org), dct("description"), lit(f"Invented organisation in the role {role}.", "en"))
                self.w.add(iri(org), q("country"), iri(c.country))
                c.orgs[role].append(org)
        if not c.framework.startswith(BENCH):
            self.w.add(iri(c.framework), q("maintainedBy"), iri(c.orgs["FrameworkAuthority"][0]))
        qa = c.orgs["QualityAssuranceAuthority"]
        for i, provider in enumerate(c.orgs["Provider"]):
            acc = f"{c.base}accreditation/p{i}"
            self.w.typed(iri(acc), e("Accreditation"))
            self.w.add(iri(acc), dct("title"), lit(f"Institutional accreditation of {c.code.upper()} provider {i + 1}", "en"))
            self.w.add(iri(acc), e("accreditingAgent"), iri(qa[i % len(qa)]))
            self.w.add(iri(acc), e("organisation"), iri(provider))
            self.w.add(iri(acc), e("expiryDate"), lit(f"{2026 + i % 5}-12-31T00:00:00", datatype=XSD + "dateTime"))
            c.accreditation[provider] = acc

    # -- qualifications -----------------------------------------------------------------

    def level_of(self, c: Country, eqf: int) -> str:
        return self.rng.choice(c.levels[eqf])

    def ects(self, s: str, points: float) -> None:
        node = s[:-1] + "#ects>"
        self.w.add(s, e("creditPoint"), node)
        self.w.typed(node, e("CreditPoint"))
        self.w.add(node, e("framework"), iri(ECTS))
        self.w.add(node, e("point"), lit(f"{points:g}"))

    def earlier(self, fld: tuple, c: Country) -> str | None:
        """A random outcome of the field from this country or one written before it.

        Graphs are loaded (and checked) in file order, so a reference only ever points to a
        graph that comes first: each graph's references resolve when it is committed.
        """
        pool = self.outcomes_by_field[fld[0]]
        if not pool:
            return None
        index, lo = self.rng.choice(pool)
        return lo if index <= c.index else None

    def outcome(self, lo: str, fld: tuple, c: Country) -> None:
        r = self.rng
        s = iri(lo)
        self.w.typed(s, e("LearningOutcome"))
        self.w.add(s, dct("title"), lit(f"{r.choice(VERBS)} {r.choice(fld[2])} {r.choice(ASPECTS)}", "en"))
        self.w.add(s, e("relatedESCOSkill"), iri(esco_group(fld[0])))
        # curated equivalences across frameworks: a few, never guessed
        if r.random() < 0.03:
            other = self.earlier(fld, c)
            if other and not other.startswith(c.base):
                self.w.add(s, q("equivalentOutcome"), iri(other))
                self.counts["outcome equivalences"] += 1
        self.outcomes_by_field[fld[0]].append((c.index, lo))

    def qualification(self, c: Country, i: int, big: bool) -> Qualification:
        r = self.rng
        fld = r.choice(FIELDS)
        eqf = r.choices([2, 3, 4, 5, 6, 7], [1, 3, 4, 3, 3, 2])[0]
        qi = f"{c.base}qualification/q{i}"
        s = iri(qi)
        n_units = r.randint(10, 15) if big else r.randint(3, 8)
        per_unit = (3, 4) if big else (2, 4)
        units = []
        for j in range(n_units):
            ui = f"{c.base}unit/q{i}-u{j}"
            outcomes = []
            for k in range(r.randint(*per_unit)):
                # some outcomes are shared with units of other qualifications of the field
                shared = self.earlier(fld, c) if not big and r.random() < 0.04 else None
                if shared:
                    outcomes.append(shared)
                    continue
                lo = f"{c.base}outcome/q{i}-u{j}-{k}"
                self.outcome(lo, fld, c)
                outcomes.append(lo)
            units.append(Unit(ui, None, list(dict.fromkeys(outcomes)), r.choice([3, 4, 5, 6, 8, 10, 12, 15])))
        n_elective = 0 if big or n_units < 4 or r.random() < 0.3 else r.randint(2, min(5, n_units - 2))
        if big:
            n_elective = r.choice([0, 3])
        mandatory, electives = units[:n_units - n_elective], units[n_units - n_elective:]
        awarding = r.choice(c.orgs["Provider"])
        qual = Qualification(qi, c, fld, eqf, units, mandatory, awarding, big)
        for u in units:
            u.qualification = qual
        topic = r.choice(fld[2])
        self.w.typed(s, e("Qualification"))
        self.w.add(s, dct("title"), lit(f"Qualification in {topic}, EQF {eqf} ({c.code.upper()} {i})", "en"))
        self.w.add(s, dct("description"), lit(f"A national qualification in {topic} at EQF level {eqf}.", "en"))
        self.w.add(s, e("EQFLevel"), iri(str(EQF_LEVEL[str(eqf)])))
        self.w.add(s, e("NQFLevel"), iri(self.level_of(c, eqf)))
        self.w.add(s, e("ISCEDFCode"), iri(str(ISCED_F[fld[0]])))
        self.w.add(s, e("awardingBody"), iri(awarding))
        self.w.add(s, q("country"), iri(c.country))
        self.w.add(s, dct("language"), lit(c.language, datatype=XSD + "language"))
        # as in the demo graph, a qualification lists the outcomes of its mandatory units
        for lo in sorted({lo for u in mandatory for lo in u.outcomes}):
            self.w.add(s, e("learningOutcome"), iri(lo))
        if c.needs and r.random() < 0.2:
            self.w.add(s, q("addressesNeed"), iri(r.choice(c.needs)))
        if r.random() < 0.2:
            self.w.add(s, q("endorsedBy"), iri(r.choice(c.orgs["SectorBody"])))
        for u in units:
            self.w.add(s, e("hasPart"), iri(u.iri))
            us = iri(u.iri)
            self.w.typed(us, q("Unit"))
            self.w.add(us, dct("title"), lit(f"Unit {units.index(u) + 1}: {r.choice(fld[2])}", "en"))
            self.w.add(us, e("isPartOf"), s)
            for lo in u.outcomes:
                self.w.add(us, e("learningOutcome"), iri(lo))
            self.ects(us, u.ects)
            self.w.add(us, e("EQFLevel"), iri(str(EQF_LEVEL[str(eqf)])))
        total = self.requirement(s, mandatory, electives)
        self.ects(s, total)
        c.qualifications.append(qual)
        self.counts["units"] += len(units)
        return qual

    def requirement(self, s: str, mandatory: list[Unit], electives: list[Unit]) -> int:
        """All-of over the mandatory units, a k-of-n elective group (sometimes with a nested
        all-of track) and sometimes minimum credits; returns the qualification's ECTS."""
        r = self.rng
        req = s[:-1] + "#req>"
        self.w.typed(req, q("AllOf"))
        self.w.add(req, dct("title"), lit("Requirements of the qualification", "en"))
        for u in mandatory:
            self.w.add(req, q("component"), iri(u.iri))
        credits = sum(u.ects for u in mandatory)
        if electives:
            group = s[:-1] + "#electives>"
            self.w.add(req, q("component"), group)
            self.w.typed(group, q("ChoiceOf"))
            options: list[tuple[str, int]] = []
            rest = list(electives)
            if len(rest) >= 3 and r.random() < 0.2:
                track = s[:-1] + "#track>"
                self.w.typed(track, q("AllOf"))
                self.w.add(track, dct("title"), lit("Elective track: both units", "en"))
                pair, rest = rest[:2], rest[2:]
                for u in pair:
                    self.w.add(track, q("component"), iri(u.iri))
                options.append((track, sum(u.ects for u in pair)))
                self.counts["nested requirement groups"] += 1
            options += [(iri(u.iri), u.ects) for u in rest]
            for node, _ in options:
                self.w.add(group, q("component"), node)
            k = r.randint(1, max(1, len(options) - 1))
            self.w.add(group, q("requiredCount"), integer(k))
            self.w.add(group, dct("title"), lit(f"Elective units: {k} of {len(options)}", "en"))
            credits += sum(sorted(ects for _, ects in options)[:k])
            self.counts["choice groups"] += 1
        if r.random() < 0.6:
            node = s[:-1] + "#credits>"
            self.w.add(req, q("component"), node)
            self.w.typed(node, q("MinimumCredits"))
            self.w.add(node, q("minimumCredits"), decimal(float(credits)))
            self.w.add(node, dct("title"), lit(f"At least {credits} ECTS", "en"))
        self.w.add(s, q("requirement"), req)
        return credits

    # -- micro-credentials --------------------------------------------------------------

    def mc_outcomes(self, c: Country, kind: str, qual: Qualification | None, fld: tuple,
                    i: int) -> tuple[list[str], Unit | None, Qualification | None]:
        r = self.rng
        if kind == "standalone" or qual is None:
            los = []
            for k in range(r.randint(1, 3)):
                lo = f"{c.base}outcome/m{i}-{k}"
                self.outcome(lo, fld, c)
                los.append(lo)
            return los, None, None
        # offers follow the core of a qualification more than its electives
        unit = r.choice(qual.mandatory if r.random() < 0.85 else qual.units)
        if kind == "one unit":
            n = len(unit.outcomes) if r.random() < 0.5 else r.randint(1, len(unit.outcomes))
            return sorted(r.sample(unit.outcomes, n)), unit, qual
        other = r.choice([u for u in qual.units if u is not unit] or [unit])
        los = r.sample(unit.outcomes, r.randint(1, len(unit.outcomes)))
        los += r.sample(other.outcomes, r.randint(1, min(2, len(other.outcomes))))
        return sorted(dict.fromkeys(los)), None, qual

    def micro_credential(self, c: Country, i: int, target: Qualification | None = None) -> MicroCredential:
        r = self.rng
        quals = [target] if target else c.qualifications
        if not target and c.index > 0 and r.random() < 0.1:
            # a cross-border offer, toward a country whose graph comes first (see `earlier`)
            quals = self.countries[r.randrange(c.index)].qualifications or quals
        kind = r.choices(["one unit", "two units", "duplicate", "standalone"], [62, 15, 15, 8])[0]
        if target and kind == "standalone":
            kind = "one unit"
        chosen = r.choice(quals) if quals and kind != "standalone" else None
        fld = chosen.field if chosen else r.choice(FIELDS)
        pool = self.mc_by_country_field.get((c.code, fld[0]), [])
        original = r.choice(pool[-20:]) if kind == "duplicate" and pool else None
        if target and original and original.outcomes[0] not in {lo for u in target.units for lo in u.outcomes}:
            original = None
        if original:
            los = list(original.outcomes)
            if len(los) > 1 and r.random() < 0.5:
                los.pop(r.randrange(len(los)))     # a competing offer: nearly the same outcomes
            unit, qual, eqf = original.unit, None, original.eqf
            providers = [p for p in c.orgs["Provider"] if p != original.provider] or c.orgs["Provider"]
            provider = r.choice(providers)
            ects = min(10, max(1, original.ects + r.choice([-1, 0, 0, 1])))
            title = original.title.replace("Introduction to", "Fundamentals of") if r.random() < 0.5 \
                else original.title + " (short course)"
            self.counts["near-duplicate micro-credentials"] += 1
        else:
            kind = "one unit" if kind == "duplicate" else kind
            los, unit, qual = self.mc_outcomes(c, kind, chosen, fld, i)
            eqf = qual.eqf if qual else r.randint(2, 7)
            if r.random() < 0.2:
                eqf = min(7, max(2, eqf + r.choice([-1, 1])))
            provider = r.choice(c.orgs["Provider"])
            ects = r.choices(range(1, 11), [3, 8, 10, 9, 9, 7, 4, 3, 2, 2])[0]
            title = f"{r.choice(['Introduction to', 'Advanced', 'Applied', 'Certificate in'])} {r.choice(fld[2])}"
            self.counts[f"micro-credentials mapping {kind}"] += 1
        mc = MicroCredential(f"{c.base}mc/m{i}", c, fld, eqf, los, provider, ects, title, unit)
        self.write_mc(mc, qual or (unit.qualification if unit else None))
        self.mc_by_country_field.setdefault((c.code, fld[0]), []).append(mc)
        c.mcs.append(mc)
        return mc

    def write_mc(self, mc: MicroCredential, qual: Qualification | None) -> None:
        r, c = self.rng, mc.country
        s = iri(mc.iri)
        self.w.typed(s, q("MicroCredential"))
        self.w.add(s, dct("title"), lit(mc.title, "en"))
        self.w.add(s, dct("description"), lit(f"A short course of {mc.ects} ECTS at EQF level {mc.eqf}.", "en"))
        self.w.add(s, e("awardingBody"), iri(mc.provider))
        self.w.add(s, q("country"), iri(c.country))
        for lo in mc.outcomes:
            self.w.add(s, e("learningOutcome"), iri(lo))
        self.ects(s, mc.ects)
        self.w.add(s, e("EQFLevel"), iri(str(EQF_LEVEL[str(mc.eqf)])))
        self.w.add(s, e("NQFLevel"), iri(self.level_of(c, mc.eqf)))
        self.w.add(s, e("ISCEDFCode"), iri(str(ISCED_F[mc.field[0]])))
        self.w.add(s, q("assessmentType"), iri(str(r.choice(ASSESSMENTS))))
        self.w.add(s, e("mode"), iri(str(r.choice(MODES))))
        self.w.add(s, e("learningSetting"), iri(str(NON_FORMAL if r.random() < 0.8 else FORMAL)))
        if r.random() < 0.75:
            self.w.add(s, q("qualityAssurance"), q("ExternalQualityAssurance"))
            self.w.add(s, e("accreditation"), iri(c.accreditation[mc.provider]))
        else:
            self.w.add(s, q("qualityAssurance"), q("InternalQualityAssurance"))
        self.w.add(s, dct("language"), lit(c.language if r.random() < 0.8 else "en", datatype=XSD + "language"))
        self.w.add(s, e("volumeOfLearning"), lit(f"PT{mc.ects * 25}H", datatype=XSD + "duration"))
        if r.random() < 0.3:
            self.w.add(s, q("supervisionVerification"), iri(UNSUPERVISED))
        # a micro-credential never stacks into, or counts as a unit of, a lower level
        if qual is not None and mc.eqf <= qual.eqf and r.random() < 0.5:
            self.w.add(s, q("stackableToward"), iri(qual.iri))
        for prop, role, p in (("coDesignedBy", "Employer", 0.3), ("endorsedBy", "SectorBody", 0.2),
                              ("guidanceBy", "PublicEmploymentService", 0.15)):
            if r.random() < p:
                self.w.add(s, q(prop), iri(r.choice(c.orgs[role])))
        if c.needs and r.random() < 0.25:
            self.w.add(s, q("addressesNeed"), iri(r.choice(c.needs)))
        # prerequisite chains: only ever to an earlier credential, so the graph stays acyclic
        earlier = self.mc_by_country_field.get((c.code, mc.field[0]), [])
        if earlier and r.random() < 0.2:
            before = earlier[-1] if r.random() < 0.7 else r.choice(earlier)
            if before.eqf <= mc.eqf:
                self.w.add(s, q("prerequisite"), iri(before.iri))
                self.prerequisites.append((mc.iri, before.iri))
        elif earlier and r.random() < 0.04:
            self.w.add(s, q("prerequisite"), iri(r.choice(earlier).outcomes[0]))
            self.counts["outcome prerequisites"] += 1
        # recognition: the qualification's awarding body accepts a full-unit MC as the unit
        if (mc.unit is not None and mc.eqf <= mc.unit.qualification.eqf
                and set(mc.unit.outcomes) <= set(mc.outcomes) and r.random() < 0.4):
            self.recognition(mc, mc.unit)

    def recognition(self, mc: MicroCredential, unit: Unit) -> None:
        c = mc.country
        self.recognitions += 1
        ra = iri(f"{c.base}recognition/r{self.recognitions}")
        self.w.typed(ra, q("RecognitionAgreement"))
        self.w.add(ra, dct("title"), lit(f"Recognition of {mc.title} as a unit", "en"))
        self.w.add(ra, q("recognisedCredential"), iri(mc.iri))
        self.w.add(ra, q("recognisedAs"), iri(unit.iri))
        self.w.add(ra, q("recognisedBy"), iri(unit.qualification.awarding_body))
        self.w.add(ra, dct("valid"), lit("2024-01-01/2028-12-31"))

    # -- validation standards and skills needs -----------------------------------------

    def validation_standard(self, qual: Qualification, i: int) -> None:
        r, c = self.rng, qual.country
        s = iri(f"{c.base}validation/v{i}")
        self.w.typed(s, q("ValidationStandard"))
        self.w.add(s, dct("title"), lit(f"Validation of prior learning toward qualification {i}", "en"))
        self.w.add(s, q("validates"), iri(qual.iri))
        for u in r.sample(qual.units, r.randint(1, min(3, len(qual.units)))):
            self.w.add(s, q("validatesUnit"), iri(u.iri))
        for lo in r.sample(qual.units[0].outcomes, r.randint(0, min(2, len(qual.units[0].outcomes)))):
            self.w.add(s, q("validatesOutcome"), iri(lo))
        self.w.add(s, q("assessmentMethod"), iri(str(r.choice(ASSESSMENTS))))
        self.w.add(s, q("validationAuthority"), iri(c.orgs["ValidationAuthority"][0]))
        self.w.add(s, q("maximumShare"), decimal(r.choice([0.25, 0.5, 0.75, 1.0])))
        if r.random() < 0.3:
            self.w.add(s, q("guidanceBy"), iri(c.orgs["PublicEmploymentService"][0]))

    def skills_need(self, c: Country, i: int) -> None:
        r = self.rng
        fld = r.choice(FIELDS)
        need = f"{c.base}need/s{i}"
        s = iri(need)
        self.w.typed(s, q("SkillsNeed"))
        self.w.add(s, dct("title"), lit(f"Demand for {r.choice(fld[2])} skills", "en"))
        self.w.add(s, q("concernsSkill"), iri(esco_group(fld[0])))
        if r.random() < 0.5:
            self.w.add(s, q("concernsOccupation"), iri(r.choice(self.occupations[fld[0]])))
        outcome = self.earlier(fld, c) if r.random() < 0.3 else None
        if outcome:
            self.w.add(s, q("concernsOutcome"), iri(outcome))
        self.w.add(s, q("region"), iri(c.country))
        self.w.add(s, q("horizon"), lit(str(r.randint(2027, 2035)), datatype=XSD + "gYear"))
        self.w.add(s, q("demand"), lit(r.choice(["high", "medium", "low"])))
        source = r.choice(c.orgs["PublicEmploymentService"] + c.orgs["SectorBody"])
        self.w.add(s, dct("source"), iri(source))
        self.w.add(s, dct("date"), lit(f"2025-{r.randint(1, 12):02d}-01", datatype=XSD + "date"))
        c.needs.append(need)

    # -- the whole graph ---------------------------------------------------------------

    def run(self) -> dict:
        r = self.rng
        self.countries = countries = self.frameworks()
        n_total = SCALE_SIZES[self.scale]
        weights = [r.uniform(0.5, 2.0) for _ in countries]
        share = [max(1, round(n_total * w / sum(weights))) for w in weights]
        n_big = BIG_QUALIFICATIONS[self.scale]
        big_countries = [countries[k % len(countries)] for k in range(n_big)]
        for c, n in zip(countries, share):
            self.w.use_graph(BENCH_GRAPH + c.code)
            self.dataset(c)
            self.actors(c, n)
            for i in range(max(2, n // 10)):
                self.skills_need(c, i)
            for i in range(n):
                self.qualification(c, i, big=False)
        big = []
        mc_index = Counter()
        for c in big_countries:
            self.w.use_graph(BENCH_GRAPH + c.code)
            big.append(self.qualification(c, len(c.qualifications), big=True))
        for c, n in zip(countries, share):
            self.w.use_graph(BENCH_GRAPH + c.code)
            for _ in range(round(n * MC_PER_QUALIFICATION)):
                self.micro_credential(c, mc_index[c.code])
                mc_index[c.code] += 1
        candidates = {}
        for qual in big:
            c = qual.country
            self.w.use_graph(BENCH_GRAPH + c.code)
            mcs = []
            for _ in range(BIG_CANDIDATES[self.scale]):
                mcs.append(self.micro_credential(c, mc_index[c.code], target=qual))
                mc_index[c.code] += 1
            candidates[qual.iri] = mcs
        n_vs = 0
        for c in countries:
            self.w.use_graph(BENCH_GRAPH + c.code)
            for qual in c.qualifications:
                if qual.big or r.random() < 0.35:
                    self.validation_standard(qual, n_vs)
                    n_vs += 1
        return self.manifest(countries, big, candidates)

    def manifest(self, countries, big, candidates) -> dict:
        r = self.rng
        required = lambda qual: sorted({lo for u in qual.mandatory for lo in u.outcomes})
        stacking = []
        all_mcs = [m for c in countries for m in c.mcs]
        for qual in big:
            needed = set(required(qual))
            covering = sorted(m.iri for m in all_mcs if needed.intersection(m.outcomes))
            targeted = sorted(m.iri for m in candidates[qual.iri] if needed.intersection(m.outcomes))
            stacking.append({"qualification": qual.iri, "required_outcomes": len(needed),
                             "units": len(qual.units), "candidates": len(covering),
                             "held": sorted(r.sample(targeted, min(4, len(targeted))))})
        all_quals = [qual for c in countries for qual in c.qualifications]
        classes = {k: v for k, v in sorted(self.w.classes.items())}
        return {
            "classes": classes,
            "countries": len(countries),
            "frameworks": len(countries),
            "graphs": [FRAMEWORKS_GRAPH] + [BENCH_GRAPH + c.code for c in countries],
            "distributions": dict(sorted(self.counts.items())),
            "prerequisite_edges": len(self.prerequisites),
            "recognition_agreements": self.recognitions,
            "big_qualifications": [qual.iri for qual in big],
            "sample_qualifications": [qual.iri for qual in big] + [q_.iri for q_ in r.sample(all_quals, 10)],
            "stacking": stacking,
            "selective": {
                "micro_credential": r.choice(all_mcs).iri,
                "qualification": r.choice(all_quals).iri,
                "unit": r.choice(r.choice(all_quals).units).iri,
                "outcome": r.choice(r.choice(all_mcs).outcomes),
                "provider": r.choice(countries[0].orgs["Provider"]),
                "country": countries[0].country,
                "framework": countries[-1].framework,
                "esco_group": esco_group(FIELDS[0][0]),
                "isced_field": str(ISCED_F[FIELDS[0][0]]),
            },
        }


def generate(scale: str, seed: int | None = None, out_dir: Path | None = None, fmt: str = "nq") -> GenerationResult:
    """Write the graph of `scale` and its manifest; same seed, same bytes."""
    if scale not in SCALE_SIZES:
        raise ValueError(f"unknown scale {scale!r}; use one of {', '.join(SCALE_SIZES)}")
    if fmt not in ("nq", "ttl"):
        raise ValueError(f"unknown format {fmt!r}; use nq or ttl")
    seed = DEFAULT_SEEDS[scale] if seed is None else seed
    data_file, manifest_file = data_paths(scale, out_dir or DATA_DIR, fmt)
    data_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = data_file.with_suffix(data_file.suffix + ".part")
    with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as out:
        writer = Writer(out, quads=(fmt == "nq"))
        manifest = Generator(scale, seed, writer).run()
    tmp.replace(data_file)
    manifest = {"scale": scale, "seed": seed, "format": fmt, "data_file": data_file.name,
                "triples": writer.count, **manifest}
    manifest_file.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return GenerationResult(data_file, manifest_file, writer.count, manifest)
