"""Framework levels as documents name them, resolved to the official level of the register.

One rule for every import (ELM, CSV, Open Badges): a level may be given as

- its IRI: a QDR level (`http://data.europa.eu/snb/qdr/c_…`) or an EQF level;
- an `urn:epass:…` identifier: local to the credential that uses it, so it is resolved by the
  label the document gives with it (or by a QDR code it ends with);
- a notation: a framework's notation and a level code ("CROQF 4.1", "NFQ level 8"), or a
  code with the framework named apart (the CSV templates);
- a label, any case and spacing: the code list's ("MECU Level 7", "RQF Level 6") or a former
  one ("NFQ level 8"); a label naming the end of other labels ("NQF Level 4") is matched
  against them.

It resolves to the one level it names; when it names several, it is refused with the
candidates; when none, with a clear error. The levels come from the frameworks graph of the
store, never a second table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from qfgraph.graph.errors import InvalidInput
from qfgraph.graph.sparql import bind
from qfgraph.ontology.namespaces import EQF_SCHEME

EQF = "EQF"
NAMED = 5          # candidates an error names before "and N more"


@dataclass(frozen=True)
class Level:
    iri: URIRef
    framework: str              # the framework's notation ("CROQF", "EQF")
    code: str                   # the level's notation in its framework ("4.1")
    label: str
    eqf: URIRef | None          # the EQF level it is referenced to (itself for an EQF level)
    unconfirmed: bool = False   # referencing to the EQF not confirmed (no EQF link)

    @property
    def national(self) -> bool:
        return self.framework != EQF

    def named(self) -> str:
        return f"{self.label} <{self.iri}>"


class UnknownLevel(InvalidInput):
    """No level of the register answers to what the document gives."""


class AmbiguousLevel(InvalidInput):
    """What the document gives names more than one level; `.candidates` lists them."""

    def __init__(self, message: str, candidates: list[Level]):
        super().__init__(message)
        self.candidates = candidates


def _key(text: str) -> str:
    """Labels compared as words: any case, spacing and punctuation around words."""
    return " ".join(re.sub(r"[:,;()]", " ", str(text)).lower().split())


LEVELS_QUERY = """SELECT ?level ?fw ?code ?label ?alt ?eqf ?unconfirmed WHERE {
  { ?level skos:inScheme $eqf_scheme ; skos:notation ?code . BIND("EQF" AS ?fw)
    OPTIONAL { ?level skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) } BIND(?level AS ?eqf) }
  UNION
  { ?level qf:levelFramework ?f ; skos:notation ?code . ?f skos:notation ?fw .
    OPTIONAL { ?level skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
    OPTIONAL { ?level skos:altLabel ?alt }
    OPTIONAL { ?level qf:referencedTo ?eqf }
    OPTIONAL { ?level qf:referencingUnconfirmed ?unconfirmed } }
  OPTIONAL { ?level qf:order ?order } } ORDER BY ?fw ?order ?code"""


class LevelRegister:
    """The levels of every framework of a store, by every name a document may use."""

    def __init__(self, store):
        self.by_iri: dict[str, Level] = {}
        self.names: dict[str, list[Level]] = {}           # key → levels
        alt: dict[str, set[str]] = {}
        for row in store.select(bind(LEVELS_QUERY, {"eqf_scheme": EQF_SCHEME})):
            iri = str(row["level"])
            if "alt" in row:
                alt.setdefault(iri, set()).add(str(row["alt"]))
            if iri in self.by_iri:
                continue
            unconfirmed = row.get("unconfirmed") is not None and row["unconfirmed"].toPython() is True
            self.by_iri[iri] = Level(URIRef(iri), str(row["fw"]), str(row["code"]),
                                     str(row.get("label", f"{row['fw']} level {row['code']}")),
                                     row.get("eqf"), unconfirmed)
        for iri, level in self.by_iri.items():
            keys = {level.label, f"{level.framework} {level.code}", f"{level.framework} level {level.code}",
                    iri.rsplit("/", 1)[-1], *alt.get(iri, ())}
            for key in {_key(k) for k in keys}:
                self.names.setdefault(key, []).append(level)

    # -- the register's framework notations and codes (CSV templates name levels this way) --

    @property
    def frameworks(self) -> list[str]:
        return sorted({lv.framework.upper() for lv in self.by_iri.values()})

    def codes(self, framework: str) -> list[str]:
        return [lv.code for lv in self.by_iri.values() if lv.framework.upper() == framework.strip().upper()]

    def find(self, framework: str, code: str) -> Level | None:
        """The level of a framework by its code ("CROQF", "4.2"), any case; None if it has none."""
        fw, code = framework.strip().upper(), code.strip().lower()
        return next((lv for lv in self.by_iri.values() if lv.framework.upper() == fw and lv.code.lower() == code), None)

    def eqf(self, code: str) -> Level | None:
        return self.find(EQF, code)

    @property
    def code_of(self) -> dict[str, tuple[str, str]]:
        """{national level IRI: (framework notation, code)}, for writing registers back."""
        return {iri: (lv.framework, lv.code) for iri, lv in self.by_iri.items() if lv.national}

    # -- the rule ----------------------------------------------------------------------------

    def resolve(self, value, label=None, framework: str | None = None, national: bool | None = None) -> Level:
        """The official level `value` names (see the module's words). `label` is the text the
        document gives with it; `framework` a framework notation the value is a code of;
        `national` keeps to national levels (True) or the EQF (False). Raises UnknownLevel or
        AmbiguousLevel, naming what was given and the candidates."""
        text = str(value).strip()
        given = f"{text!r}" + (f" (“{label}” in the document)" if label and str(label) != text else "")
        if framework:
            found = self.find(framework, text)
            if found is None:
                raise UnknownLevel(self._unknown_code(framework, text))
            return found
        if text in self.by_iri:
            return self._kept(self.by_iri[text], given, national)
        if text.startswith("urn:"):
            code = re.search(r"(c_[0-9a-f]{8})$", text)
            if code and str(self._qdr(code.group(1))) in self.by_iri:
                return self._kept(self.by_iri[str(self._qdr(code.group(1)))], given, national)
            if not label:
                raise UnknownLevel(f"the level {given} is an identifier local to its document and comes "
                                   "without a label: give the level's QDR IRI or its label")
            return self._by_name(str(label), given, national)
        if text.startswith(("http://", "https://")) and not label:
            raise UnknownLevel(f"the level {given} is not a level of any framework in the register")
        return self._by_name(str(label) if label and text.startswith(("http://", "https://")) else text,
                             given, national)

    def _by_name(self, name: str, given: str, national: bool | None) -> Level:
        key = _key(name)
        found = self._only(self.names.get(key, []), national)
        if not found:      # a label naming the end of other labels: "NQF Level 4"
            found = self._only([lv for lv in self.by_iri.values() if _key(lv.label).endswith(" " + key)], national)
        if len(found) == 1:
            return found[0]
        if found:
            names = "; ".join(lv.named() for lv in found[:NAMED])
            more = f"; and {len(found) - NAMED} more" if len(found) > NAMED else ""
            raise AmbiguousLevel(f"the level {given} names {len(found)} levels: {names}{more}: give the "
                                 "level's QDR IRI or its full label", found)
        raise UnknownLevel(f"the level {given} is not a level of any framework in the register "
                           f"({len(self.frameworks)} frameworks): give its QDR IRI "
                           "(http://data.europa.eu/snb/qdr/c_…) or its label as the Europass code list writes it")

    @staticmethod
    def _only(levels: list[Level], national: bool | None) -> list[Level]:
        return [lv for lv in levels if national is None or lv.national == national]

    def _kept(self, level: Level, given: str, national: bool | None) -> Level:
        if national is not None and level.national != national:
            kind = "an EQF level" if level.national is False else "a national level"
            raise UnknownLevel(f"the level {given} is {kind}, not the kind of level asked for here")
        return level

    @staticmethod
    def _qdr(code: str) -> URIRef:
        return URIRef("http://data.europa.eu/snb/qdr/" + code)

    def _unknown_code(self, framework: str, code: str) -> str:
        if not self.codes(framework):
            return f"unknown framework {framework!r}; known: {', '.join(self.frameworks)}"
        return f"unknown level code {code!r} in {framework.upper()}; its codes are: {', '.join(self.codes(framework))}"

