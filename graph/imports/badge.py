"""Open Badges 3.0 → micro-credentials of the data model.

Badges are read as JSON by structure (the OB 3.0 data model's property names), not as JSON-LD:
their contexts (OB 3.0, VC 2.0 and issuers' extensions) vary and would all have to be bundled,
while the few properties a micro-credential needs sit at fixed places. An OpenBadgeCredential's
`credentialSubject.achievement` or a bare `Achievement` whose achievementType is
MicroCredential becomes a qf:MicroCredential:

  name / description → dcterms:title / dcterms:description (in `inLanguage`, else English)
  creditsAvailable   → ECTS credit points        inLanguage → dcterms:language
  alignment naming an EQF level (targetUrl http://data.europa.eu/snb/eqf/N, or targetFramework
  "EQF" with targetCode N) → elm:EQFLevel; a national level (QDR IRI, or framework notation
  and code such as "CROQF" / "4.1") → elm:NQFLevel; an ESCO skill → a learning outcome of the
  badge with elm:relatedESCOSkill; a learning outcome of the register (its IRI as targetUrl) →
  that outcome; other alignments → a learning outcome of the badge titled targetName.
  creator, else the credential's issuer → the awarding body (name, address country).
"""
from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from qfgraph.graph.catalogue.level_resolution import AmbiguousLevel, Level, LevelRegister, UnknownLevel
from qfgraph.graph.imports.report import Problems
from qfgraph.graph.sparql import UnsafeTermError, bind
from qfgraph.graph.stores import Store
from qfgraph.graph.imports.vocab import COUNTRIES_ALPHA2
from qfgraph.ontology.namespaces import COUNTRY, ECTS, ELM, EQF_LEVEL, QDR_LEVEL, QF


def _types(node: dict) -> list[str]:
    t = node.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def _text(value, lang: str) -> list[Literal]:
    """A plain string, or a language map {"en": ..., "hr": ...}."""
    if isinstance(value, dict):
        return [Literal(v, lang=k) for k, v in value.items() if isinstance(v, str)]
    return [Literal(value, lang=lang)] if isinstance(value, str) and value else []


def achievement_of(document: dict) -> tuple[dict | None, dict | None]:
    """(achievement, issuer) of an OpenBadgeCredential or a bare Achievement."""
    if "Achievement" in _types(document):
        return document, document.get("creator")
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
        return subject["achievement"], document.get("issuer")
    return None, None


def achievement_iri(document: dict, base: str, source: str = "") -> URIRef | None:
    """The micro-credential IRI a badge imports as (to name a held badge to the stacking engine)."""
    achievement, _ = achievement_of(document)
    return None if achievement is None else _iri(achievement.get("id"), base, "mc", source)


def _iri(identifier, base: str, segment: str, source: str) -> URIRef:
    if isinstance(identifier, str) and identifier.startswith(("http://", "https://")):
        return URIRef(identifier)
    digest = hashlib.sha1(f"{source} {identifier}".encode()).hexdigest()[:16]
    return URIRef(f"{base}{segment}/ob-{digest}")


class BadgeReader:
    def __init__(self, store: Store, base: str, out: Graph):
        self.store, self.levels, self.base, self.out = store, LevelRegister(store), base, out
        self.counts = {"micro-credentials": 0, "learning outcomes": 0, "organisations": 0}

    def read(self, document, source: str, problems: Problems) -> dict:
        if not isinstance(document, dict):
            problems.add(source, "an Open Badge is a JSON object")
            return {}
        achievement, issuer = achievement_of(document)
        if achievement is None:
            problems.add(source, "neither an OpenBadgeCredential with credentialSubject.achievement "
                         "nor an Achievement")
            return {}
        kind = achievement.get("achievementType")
        if kind != "MicroCredential":
            problems.add(source, f"achievementType is {kind!r}: only MicroCredential achievements "
                         "import as micro-credentials", column="achievementType")
            return {}
        m = _iri(achievement.get("id"), self.base, "mc", source)
        self.micro_credential(m, achievement, source, problems)
        if isinstance(issuer, dict):
            self.awarding_body(m, issuer, source)
        self.counts["micro-credentials"] += 1
        return {m: (source, None, None)}

    def micro_credential(self, m: URIRef, a: dict, source: str, problems: Problems) -> None:
        add, lang = self.out.add, a.get("inLanguage") if isinstance(a.get("inLanguage"), str) else "en"
        add((m, RDF.type, QF.MicroCredential))
        for title in _text(a.get("name"), lang):
            add((m, DCTERMS.title, title))
        for text in _text(a.get("description"), lang):
            add((m, DCTERMS.description, text))
        if isinstance(a.get("inLanguage"), str):
            add((m, DCTERMS.language, Literal(a["inLanguage"], datatype=XSD.language)))
        credits = a.get("creditsAvailable")
        if credits is not None:
            if isinstance(credits, bool) or not isinstance(credits, (int, float)) or credits < 0:
                problems.add(source, f"bad number {credits!r}: creditsAvailable is a number of ECTS",
                             column="creditsAvailable")
            else:
                node = URIRef(f"{m}#ects")
                add((m, ELM.creditPoint, node))
                add((node, RDF.type, ELM.CreditPoint))
                add((node, ELM.framework, URIRef(ECTS)))
                add((node, ELM.point, Literal(f"{credits:g}")))
        alignments = a.get("alignment") or []
        for i, alignment in enumerate(alignments if isinstance(alignments, list) else [alignments]):
            if isinstance(alignment, dict):
                self.alignment(m, i + 1, alignment, lang, source, problems)

    def alignment(self, m, number: int, al: dict, lang: str, source: str, problems: Problems) -> None:
        url, framework = str(al.get("targetUrl", "")), str(al.get("targetFramework", "")).strip()
        code = str(al.get("targetCode", "")).strip()
        if url.startswith(str(EQF_LEVEL)) and url[len(str(EQF_LEVEL)):].isdigit():
            self.out.add((m, ELM.EQFLevel, URIRef(url)))
        elif url.startswith(str(QDR_LEVEL)):
            try:
                self.nqf(m, self.levels.resolve(url, label=al.get("targetName"), national=True))
            except (UnknownLevel, AmbiguousLevel) as e:
                problems.add(source, str(e), column=f"alignment[{number}]")
        elif framework and code and self.levels.find(framework, code):
            level = self.levels.resolve(code, framework=framework)
            if not level.national:
                self.out.add((m, ELM.EQFLevel, level.iri))
            else:
                self.nqf(m, level)
        elif url.startswith(("http://", "https://")) and self.is_outcome(url):
            self.out.add((m, ELM.learningOutcome, URIRef(url)))     # an outcome of the register
        elif framework.upper() in self.levels.frameworks and code:
            problems.add(source, f"unknown level code {code!r} in {framework}", column=f"alignment[{number}]")
        else:
            self.outcome(m, number, al, url, lang)

    def is_outcome(self, url: str) -> bool:
        try:
            return self.store.ask(bind("ASK { $o a elm:LearningOutcome }", {"o": URIRef(url)}))
        except UnsafeTermError:
            return False

    def nqf(self, m, level: Level) -> None:
        self.out.add((m, ELM.NQFLevel, level.iri))
        if level.eqf and (m, ELM.EQFLevel, None) not in self.out:
            self.out.add((m, ELM.EQFLevel, level.eqf))

    def outcome(self, m, number: int, al: dict, url: str, lang: str) -> None:
        lo = URIRef(f"{m}#outcome-{number}")
        self.out.add((m, ELM.learningOutcome, lo))
        self.out.add((lo, RDF.type, ELM.LearningOutcome))
        for title in _text(al.get("targetName") or al.get("targetDescription") or url, lang):
            self.out.add((lo, DCTERMS.title, title))
        if url.startswith("http://data.europa.eu/esco/skill/"):
            self.out.add((lo, ELM.relatedESCOSkill, URIRef(url)))
        self.counts["learning outcomes"] += 1

    def awarding_body(self, m, profile: dict, source: str) -> None:
        org = _iri(profile.get("id"), self.base, "org", source)
        self.out.add((m, ELM.awardingBody, org))
        self.out.add((org, RDF.type, ELM.Organisation))
        self.out.add((org, RDF.type, QF.Provider))
        for name in _text(profile.get("name"), "en"):
            self.out.add((org, ELM.legalName, name))
        address = profile.get("address") if isinstance(profile.get("address"), dict) else {}
        alpha3 = COUNTRIES_ALPHA2.get(str(address.get("addressCountryCode", "")).upper())
        if alpha3:
            for s in (org, m):
                self.out.add((s, QF.country, COUNTRY[alpha3]))
        self.counts["organisations"] += 1
