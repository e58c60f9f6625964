"""Code lists an import reads values against: the official EU code lists named by word (framework
levels are resolved by qfgraph.graph.catalogue.level_resolution, from the frameworks graph of the store)."""
from __future__ import annotations

from rdflib import URIRef

from qfgraph.ontology.namespaces import (
    ASSESSMENT, LANGUAGE, LEARNING_SETTING, MODE, QF, SUPERVISION,
)

# Words an officer writes in a register, for the official concepts (the Europass code lists of ontology/reference/cv).
MODES = {"online": MODE["920fbb3cbe"], "presential": MODE["9191af2ed9"],
         "blended": MODE["e92d221e4d"], "work-based": MODE["729f3bed4b"]}
SETTINGS = {"formal": LEARNING_SETTING["6fd4685715"], "non-formal": LEARNING_SETTING["e207a81fc7"]}
ASSESSMENTS = {w: ASSESSMENT[c] for w, c in (
    ("peer assessment", "19a2e5e671"), ("marked assignment", "2939dae15f"),
    ("continuous evaluation", "3484bd7e51"), ("portfolio", "4f03b91c0e"),
    ("group performance", "56539a6507"), ("practical assessment", "6a4db9f11d"),
    ("written examination", "6e6cb2cc78"), ("level of attendance", "7331eb4762"),
    ("project work", "795dac4096"), ("peer review", "812e3b0ae1"), ("quiz", "b1b68f6735"),
    ("problem based learning", "c4256a2726"), ("oral examination", "d30284d7df"),
    ("artefact assessment", "de4d165a6c"))}
SUPERVISIONS = {"unsupervised without id verification": SUPERVISION["c598449d64"]}
QUALITY_ASSURANCE = {"internal": QF.InternalQualityAssurance, "external": QF.ExternalQualityAssurance}
ROLES = {"provider": QF.Provider, "employer": QF.Employer, "sector body": QF.SectorBody,
         "public employment service": QF.PublicEmploymentService,
         "guidance service": QF.GuidanceService,
         "quality assurance authority": QF.QualityAssuranceAuthority,
         "validation authority": QF.ValidationAuthority, "framework authority": QF.FrameworkAuthority}

# BCP 47 primary language ↔ EU language authority code, for the official EU languages.
LANGUAGES = {"bg": "BUL", "cs": "CES", "da": "DAN", "de": "DEU", "el": "ELL", "en": "ENG",
             "es": "SPA", "et": "EST", "fi": "FIN", "fr": "FRA", "ga": "GLE", "hr": "HRV",
             "hu": "HUN", "it": "ITA", "lt": "LIT", "lv": "LAV", "mt": "MLT", "nl": "NLD",
             "pl": "POL", "pt": "POR", "ro": "RON", "sk": "SLK", "sl": "SLV", "sv": "SWE",
             "no": "NOR", "is": "ISL"}
LANGUAGE_CODES = {v: k for k, v in LANGUAGES.items()}


def language_iri(code: str) -> URIRef | None:
    """The EU language authority concept of a BCP 47 code ("hr-HR" → …/language/HRV)."""
    key = LANGUAGES.get(code.split("-")[0].lower())
    return LANGUAGE[key] if key else None


def language_code(iri: str) -> str | None:
    """The BCP 47 code of an EU language authority concept."""
    return LANGUAGE_CODES.get(str(iri).rsplit("/", 1)[-1]) if str(iri).startswith(str(LANGUAGE)) else None


def word_or_iri(value: str, table: dict[str, URIRef]) -> URIRef | None:
    """A concept named by its word (any case) or by its official IRI (one of the table's, or
    another of the same EU list)."""
    found = table.get(value.strip().lower())
    if found is not None:
        return found
    lists = {str(v).rsplit("/", 1)[0] + "/" for v in table.values() if str(v).startswith("http://data.europa.eu/")}
    if value in {str(v) for v in table.values()} or any(value.startswith(ns) and "/" not in value[len(ns):]
                                                        and value[len(ns):] for ns in lists):
        return URIRef(value)
    return None


def word_of(iri, table: dict[str, URIRef]) -> str:
    """The register word of a concept, else its IRI (for CSV written back)."""
    return next((w for w, v in table.items() if v == iri), str(iri))


# ISO 3166 alpha-2 → alpha-3 for the EU / EEA countries (Open Badges addresses use alpha-2).
COUNTRIES_ALPHA2 = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "HR": "HRV", "CY": "CYP", "CZ": "CZE", "DK": "DNK",
    "EE": "EST", "FI": "FIN", "FR": "FRA", "DE": "DEU", "GR": "GRC", "HU": "HUN", "IE": "IRL",
    "IT": "ITA", "LV": "LVA", "LT": "LTU", "LU": "LUX", "MT": "MLT", "NL": "NLD", "PL": "POL",
    "PT": "PRT", "RO": "ROU", "SK": "SVK", "SI": "SVN", "ES": "ESP", "SE": "SWE", "IS": "ISL",
    "LI": "LIE", "NO": "NOR", "CH": "CHE", "GB": "GBR"}
