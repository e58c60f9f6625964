"""Texts in the reader's language: the requested one, else English, else untagged, else any;
and the labels of many IRIs in one query, picked that way."""
from __future__ import annotations

from rdflib import URIRef

from qfgraph.graph.catalogue.entities import LABELS
from qfgraph.graph.sparql import bind


def pick(texts: dict[str, str], lang: str = "en") -> str | None:
    """The text of `texts` (language tag -> text) a reader of `lang` should see."""
    if not texts:
        return None
    by_tag = {tag.lower(): text for tag, text in texts.items()}
    primary = lang.lower().split("-")[0]
    for tag in (lang.lower(), primary, "en", ""):
        if tag in by_tag:
            return by_tag[tag]
    for tag, text in sorted(by_tag.items()):
        if tag.split("-")[0] in (primary, "en"):
            return text
    return by_tag[min(by_tag)]


def labels(store, iris, lang: str = "en") -> dict[str, str]:
    """IRI -> its label (title, preferred label, legal name or rdfs:label) in `lang`; IRIs
    without a label are left out."""
    iris = list(dict.fromkeys(str(i) for i in iris))
    if not iris:
        return {}
    rows = store.select(bind(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ $iris }} ?s {LABELS} ?l }}",
                             {"iris": [URIRef(i) for i in iris]}))
    texts: dict[str, dict[str, str]] = {}
    for r in rows:
        texts.setdefault(str(r["s"]), {}).setdefault(getattr(r["l"], "language", None) or "", str(r["l"]))
    return {iri: pick(t, lang) for iri, t in texts.items()}
