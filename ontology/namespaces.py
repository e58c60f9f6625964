"""Namespaces, official code-list IRIs and the named graphs of qfgraph.

Everything here is a constant: the one place where an IRI is spelled out.
"""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

QF = Namespace("https://w3id.org/qfgraph#")
ELM = Namespace("http://data.europa.eu/snb/model/elm/")
CETERMS = Namespace("https://purl.org/ctdl/terms/")
ESCO = Namespace("http://data.europa.eu/esco/model#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

# Official EU vocabularies (the reference data in ontology/reference): never mint these.
EQF_LEVEL = Namespace("http://data.europa.eu/snb/eqf/")
EQF_SCHEME = EQF_LEVEL["25831c2"]
QDR_LEVEL = Namespace("http://data.europa.eu/snb/qdr/")
QDR_SCHEME = QDR_LEVEL["25831c2"]
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
MODE = Namespace("http://data.europa.eu/snb/learning-assessment/")
ASSESSMENT = Namespace("http://data.europa.eu/snb/assessment/")
LEARNING_SETTING = Namespace("http://data.europa.eu/snb/learning-setting/")
ISCED_F = Namespace("http://data.europa.eu/snb/isced-f/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
SUPERVISION = Namespace("http://data.europa.eu/snb/supervision-verification/")
LEARNING_OPPORTUNITY = Namespace("http://data.europa.eu/snb/learning-opportunity/")
SHORT_LEARNING_PROGRAMME = LEARNING_OPPORTUNITY["74a4a268e8"]
ESCO_SKILL = Namespace("http://data.europa.eu/esco/skill/")
ROV = Namespace("http://www.w3.org/ns/regorg#")

# qfgraph's own IRIs: named graphs and the default base for entities.
QFG = "https://w3id.org/qfgraph/"
GRAPH = Namespace(QFG + "graph/")
ONTOLOGY_GRAPH = GRAPH["ontology"]
FRAMEWORKS_GRAPH = GRAPH["frameworks"]
HISTORY_GRAPH = GRAPH["history"]
DEFAULT_BASE = QFG + "id/"

# The kinds of node of a requirement structure, by class, as registers and the CSV templates
# name them (qf.ttl): every reader and writer of requirement structures takes them from here.
REQUIREMENT_KINDS = {QF.AllOf: "all-of", QF.ChoiceOf: "choice-of", QF.MinimumCredits: "minimum-credits"}

PREFIXES = {
    "qf": str(QF),
    "elm": str(ELM),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "prov": str(PROV),
    "sh": str(SH),
    "ceterms": str(CETERMS),
    "eqf": str(EQF_LEVEL),
    "qdr": str(QDR_LEVEL),
}


def sparql_prefixes() -> str:
    """The PREFIX header every query of ours starts with."""
    return " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"


def shorten(iri, extra: dict[str, str] | None = None, unknown: str = "<{}>") -> str:
    """An IRI as a prefixed name of PREFIXES (and `extra`), else written as `unknown` says."""
    text = str(iri)
    for prefix, ns in {**PREFIXES, **(extra or {})}.items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return unknown.format(text)
