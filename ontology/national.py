"""The national frameworks of the Europass NQF code list, as Turtle.

Builds `national-frameworks.ttl` from `reference/nqf-referencing.csv` (every framework and
level of `reference/cv/nqf.xsd`, at its official IRI, with its label and country) for the
frameworks that `frameworks.ttl` does not curate by hand. A level is referenced to the EQF
only where the table's status is `confirmed`; any other level carries no EQF link and
`qf:referencingUnconfirmed true` (unknown, never "none"). A confirmed level with no EQF level
is one the referencing places below the EQF (`qf:noEQFLevel true`).

Run `python -m qfgraph.ontology.national` after changing the table; a test checks that the
file is what this module builds.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from qfgraph.ontology.namespaces import QDR_LEVEL

HERE = Path(__file__).parent
# The reference data sits in the repository, not in the installed package: the tools and tests
# that read it run from a checkout and may name the folder.
REFERENCE = HERE / "reference"
CURATED_FILE = HERE / "frameworks.ttl"
NATIONAL_FILE = HERE / "national-frameworks.ttl"
QF = "https://w3id.org/qfgraph#"
CONFIRMED = "confirmed"


@dataclass
class Level:
    iri: str
    label: str
    code: str
    eqf: str | None          # the EQF level number, when confirmed
    status: str
    source: str


@dataclass
class Framework:
    iri: str
    label: str
    notation: str
    country: str | None      # the EU country authority IRI
    region: str | None       # a community or nation within the country
    levels: list[Level] = field(default_factory=list)

    @property
    def referenced(self) -> int:
        return sum(1 for lv in self.levels if lv.status == CONFIRMED)


def _common_prefix(labels: list[str]) -> str:
    prefix = labels[0]
    for label in labels[1:]:
        while not label.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def _code(label: str, prefix: str) -> str:
    """A level's code as registers write it: "HuQF Level 3" → "3", "NLQF Entry Level" → "Entry"."""
    code = label[len(prefix):].strip()
    code = re.sub(r"^Level\s+", "", code)
    return re.sub(r"\s+Level$", "", code)


def _countries(reference: Path) -> dict[str, str]:
    """{alpha-3 code or English name: country IRI} from the EU country list."""
    text = (reference / "cv" / "country.xsd").read_text(encoding="utf-8")
    out = {}
    for iri, name in re.findall(r'value="([^"]+/country/[^"]+)">\s*<xs:annotation>\s*'
                                r'<xs:documentation>([^<]+)</xs:documentation>', text):
        out[iri.rsplit("/", 1)[-1]] = iri
        out.setdefault(name.strip(), iri)
    return out


def _place(country: str, countries: dict[str, str]) -> tuple[str | None, str | None]:
    """("GB (GBR), Scotland") → (…/country/GBR, "Scotland"); a name where the code is not listed."""
    place, _, region = country.partition("), ")
    codes = re.findall(r"\b([A-Z]{3})\b", place) + re.findall(r"\(([A-Z][a-z][^;)]*)", place)
    iri = next((countries[c] for c in codes if c in countries), None)
    return iri, (region.strip() or None)


def read_frameworks(reference: Path = REFERENCE) -> list[Framework]:
    """Every framework of the referencing table with its levels, in the table's order."""
    with open(reference / "nqf-referencing.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    countries, grouped = _countries(reference), {}
    for row in rows:
        grouped.setdefault(row["framework_iri"], []).append(row)
    frameworks = []
    for iri, levels in grouped.items():
        prefix = _common_prefix([r["level_label"] for r in levels])
        country, region = _place(levels[0]["country"], countries)
        fw = Framework(iri, levels[0]["framework_label"], prefix.replace(" Level ", "").replace(":", "").strip(),
                       country, region)
        for r in levels:
            fw.levels.append(Level(r["level_iri"], r["level_label"], _code(r["level_label"], prefix),
                                   r["eqf_level"] or None, r["status"], r["source"].strip()))
        frameworks.append(fw)
    return frameworks


def curated_frameworks() -> set[str]:
    """The frameworks frameworks.ttl describes by hand (their facts are kept there)."""
    g = Graph().parse(CURATED_FILE)
    return {str(s) for s in g.subjects(RDF.type, URIRef(QF + "QualificationsFramework"))}


def _lit(text: str, lang: str | None = "en") -> str:
    return Literal(text, lang=lang).n3()


def _framework_turtle(fw: Framework) -> list[str]:
    lines = [f"<{fw.iri}> a qf:QualificationsFramework, skos:ConceptScheme ;",
             f"    skos:prefLabel {_lit(fw.label)} ;", f"    skos:notation {_lit(fw.notation, None)}"]
    if fw.country:
        lines[-1] += " ;"
        lines.append(f"    qf:country <{fw.country}>")
    if fw.region:
        lines[-1] += " ;"
        lines.append(f"    dcterms:coverage {_lit(fw.region)}")
    lines[-1] += " ."
    for order, lv in enumerate(fw.levels, start=1):
        lines += ["", f"<{lv.iri}> a skos:Concept ;", f"    skos:inScheme <{QDR_LEVEL['25831c2']}> ;",
                  f"    qf:levelFramework <{fw.iri}> ;", f"    skos:notation {_lit(lv.code, None)} ;",
                  f"    skos:prefLabel {_lit(lv.label)} ;", f"    qf:order {order} ;"]
        if lv.status != CONFIRMED:
            lines.append("    qf:referencingUnconfirmed true ;")
        elif lv.eqf:
            lines.append(f"    qf:referencedTo eqf:{lv.eqf} ;")
        else:
            lines.append("    qf:noEQFLevel true ;")
        if lv.status == CONFIRMED and lv.source:
            lines.append(f"    dcterms:source {_lit(lv.source, None)} ;")
        lines.append(".")
    return lines


def build_turtle(reference: Path = REFERENCE) -> str:
    """national-frameworks.ttl as it should read."""
    curated = curated_frameworks()
    lines = ["@prefix qf:      <https://w3id.org/qfgraph#> .",
             "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
             "@prefix dcterms: <http://purl.org/dc/terms/> .",
             "@prefix eqf:     <http://data.europa.eu/snb/eqf/> .", "",
             "# Built by qfgraph.ontology.national from reference/nqf-referencing.csv: do not edit.",
             "# Every national framework of the Europass NQF code list that frameworks.ttl does not",
             "# curate, with its levels; a level is referenced to the EQF only where the table's",
             "# status is `confirmed`, else marked qf:referencingUnconfirmed (no EQF link)."]
    for fw in read_frameworks(reference):
        if fw.iri not in curated:
            lines += [""] + _framework_turtle(fw)
    return "\n".join(lines) + "\n"


def frameworks_graph() -> Graph:
    """The frameworks graph as `qfgraph init` loads it (both files)."""
    return Graph().parse(CURATED_FILE).parse(NATIONAL_FILE)


def framework_table(g: Graph | None = None, reference: Path = REFERENCE) -> str:
    """The Markdown table of docs/frameworks.md: every national framework, its country, its
    levels, how many are referenced to the EQF, and how many are not confirmed."""
    g = g if g is not None else frameworks_graph()
    q = lambda local: URIRef(QF + local)
    names = {iri.rsplit("/", 1)[-1]: name for name, iri in _countries(reference).items() if len(name) > 3}
    rows = []
    for fw in g.subjects(RDF.type, q("QualificationsFramework")):
        levels = list(g.subjects(q("levelFramework"), fw))
        if not levels:
            continue                                   # the EQF itself
        country = g.value(fw, q("country"))
        place = names.get(str(country).rsplit("/", 1)[-1], "") if country else ""
        region = g.value(fw, URIRef("http://purl.org/dc/terms/coverage"))
        place += f" ({region})" if region else ""
        referenced = sum(1 for lv in levels if g.value(lv, q("referencedTo")) is not None)
        below = sum(1 for lv in levels if g.value(lv, q("noEQFLevel")) is not None)
        unconfirmed = sum(1 for lv in levels if g.value(lv, q("referencingUnconfirmed")) is not None)
        rows.append((place, str(g.value(fw, SKOS.prefLabel)), str(g.value(fw, SKOS.notation)), len(levels),
                     referenced, below, unconfirmed, str(fw)))
    lines = ["| country | framework | notation | levels | referenced to the EQF | below the EQF | "
             "referencing not confirmed |", "|---|---|---|---|---|---|---|"]
    for place, label, notation, n, referenced, below, unconfirmed, iri in sorted(rows):
        note = f"**{unconfirmed} unconfirmed** (no EQF link)" if unconfirmed else "none"
        lines.append(f"| {place} | [{label}]({iri}) | {notation} | {n} | {referenced} | {below} | {note} |")
    total = [sum(r[i] for r in rows) for i in (3, 4, 5, 6)]
    lines.append(f"| **{len(rows)} frameworks** | | | {total[0]} | {total[1]} | {total[2]} | {total[3]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    NATIONAL_FILE.write_text(build_turtle(), encoding="utf-8")
    print(NATIONAL_FILE)
