"""Annex I elements a source format cannot carry (Open Badges has no assessment type, an EDC
often no quality assurance): the curator names them once for the whole import, in the words
of the CSV templates, and they fill only what a document leaves empty."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from qfgraph.graph.errors import InvalidInput
from qfgraph.graph.imports.csv_rows import LANG
from qfgraph.graph.imports.vocab import ASSESSMENTS, MODES, QUALITY_ASSURANCE, SETTINGS, word_or_iri
from qfgraph.ontology.namespaces import ELM, QF

FIELDS = {
    "assessment_type": (QF.assessmentType, ASSESSMENTS),
    "quality_assurance": (QF.qualityAssurance, QUALITY_ASSURANCE),
    "mode": (ELM.mode, MODES),
    "learning_setting": (ELM.learningSetting, SETTINGS),
    "language": (DCTERMS.language, None),
}


class DefaultsError(InvalidInput):
    """A default for missing Annex I elements that names no element or no known value."""


def parse_defaults(pairs: dict[str, str]) -> dict[URIRef, object]:
    """{"mode": "online"} → {elm:mode: <…/920fbb3cbe>}; unknown names or values are refused."""
    out = {}
    for name, value in pairs.items():
        if name not in FIELDS:
            raise DefaultsError(f"unknown default {name!r}; use one of: {', '.join(FIELDS)}")
        prop, table = FIELDS[name]
        if table is None:
            if not LANG.match(value):
                raise DefaultsError(f"bad language code {value!r}: use a BCP 47 code such as 'hr'")
            out[prop] = Literal(value, datatype=XSD.language)
            continue
        found = word_or_iri(value, table)
        if found is None:
            raise DefaultsError(f"unknown value {value!r} for {name}; use one of: {', '.join(table)}")
        out[prop] = found
    return out


def apply_defaults(graph: Graph, defaults: dict[URIRef, object]) -> None:
    """Give each micro-credential the defaults for the elements it has none of."""
    for mc in set(graph.subjects(RDF.type, QF.MicroCredential)):
        for prop, value in defaults.items():
            if (mc, prop, None) not in graph:
                graph.add((mc, prop, value))
