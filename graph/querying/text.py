"""A small lexer over SPARQL text: what form a query has, and which keywords it uses.

Strings, IRIs and comments are blanked first, so a keyword inside a literal or an IRI
(`"SERVICE"`, `<http://x/LOAD>`) is not mistaken for one, while a real `SERVICE` or `LOAD`
anywhere in the text is found whatever its case.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.S)
_WORD = re.compile(r"(?<![\w?$:.-])([A-Za-z]+)(?![\w:-])")
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# one pass over the text: a lexeme (skipped), a PREFIX declaration, a prefixed name's
# prefix, or a bare word; leftmost first, as blank() followed by _WORD would find them
_SCAN = re.compile(
    _LEXEMES.pattern
    + r"|(?P<decl>(?<![\w?$:.-])(?i:PREFIX)\s+(?P<declared>[A-Za-z][\w.-]*)?:)"
    + r"|(?P<pname>(?<![\w?$:.-])(?P<prefix>[A-Za-z][\w.-]*)?:)"
    + r"|(?P<word>" + _WORD.pattern + ")", re.S)


# SERVICE and LOAD as the engine reads them: at the start of any bare token, whatever follows
# (it takes `SERVICEex:svc` as SERVICE ex:svc) and after a dot (`?o .SERVICE`); a name that
# merely starts with them (a prefix `loader:`) is refused too, which is the safe side
_CALLS = re.compile(_LEXEMES.pattern + r"|(?<![\w?$:-])((?i:SERVICE|LOAD))", re.S)


@dataclass(frozen=True)
class QueryText:
    """What the endpoint needs to know of a query before running it."""
    form: str | None                    # SELECT, ASK, CONSTRUCT, DESCRIBE (None: not a query)
    keywords: frozenset[str]            # upper-cased bare words
    prefixes: frozenset[str]            # prefixes of the prefixed names used ("" for `:x`)
    declared: frozenset[str]            # prefixes the query declares itself
    calls: frozenset[str]               # SERVICE, LOAD: what would reach other hosts

    @property
    def uses_from(self) -> bool:
        """Whether the query names its dataset with FROM / FROM NAMED."""
        return "FROM" in self.keywords

    def undeclared(self, known: dict[str, str]) -> dict[str, str]:
        """Of the `known` prefixes, those the query uses without declaring them."""
        return {p: known[p] for p in self.prefixes - self.declared if p in known}


CACHED_TEXT = 16 * 1024  # longer texts are scanned each time: the cache stays small


def analyse(text: str) -> QueryText:
    """The query's form, keywords and prefixes in one scan; cached by text, since clients
    (dashboards, YASGUI tabs, scripts in a loop) send the same query again and again. A
    longer text is kept only as this thread's last one: the checks, the negotiation and the
    engine's options of one request read it, and it is scanned once for all of them."""
    if len(text) <= CACHED_TEXT:
        return _cached_scan(text)
    last = getattr(_last_long, "text", None)
    if last is not text:
        _last_long.text, _last_long.found = text, _scan(text)
    return _last_long.found


def _scan(text: str) -> QueryText:
    words, prefixes, declared = [], set(), set()
    for decl, name, pname, prefix, word, _ in _SCAN.findall(text):
        if word:
            words.append(word.upper())
        elif pname:
            prefixes.add(prefix)
        elif decl:
            words.append("PREFIX")
            declared.add(name)
    return QueryText(next((w for w in words if w in FORMS), None), frozenset(words),
                     frozenset(prefixes), frozenset(declared), _calls(text))


def _calls(text: str) -> frozenset[str]:
    lowered = text.lower()
    if "service" not in lowered and "load" not in lowered:  # the common case, without a scan
        return frozenset()
    return frozenset(w.upper() for w in _CALLS.findall(text) if w)


_cached_scan = lru_cache(maxsize=512)(_scan)
_last_long = threading.local()


def blank(text: str) -> str:
    """The text with strings, IRIs and comments replaced by spaces of the same length."""
    return _LEXEMES.sub(lambda m: " " * len(m.group()), text)

