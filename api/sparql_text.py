"""A small lexer over SPARQL text: what form a query has, and which keywords it uses.

Strings, IRIs and comments are blanked first, so a keyword inside a literal or an IRI
(`"SERVICE"`, `<http://x/LOAD>`) is not mistaken for one, while a real `SERVICE` or `LOAD`
anywhere in the text is found whatever its case.
"""
from __future__ import annotations

import re

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


def blank(text: str) -> str:
    """The text with strings, IRIs and comments replaced by spaces of the same length."""
    return _LEXEMES.sub(lambda m: " " * len(m.group()), text)


def keywords(text: str) -> set[str]:
    """Upper-cased bare words of the text (keywords, plus prefixes like `a`)."""
    return {m.group(1).upper() for m in _WORD.finditer(blank(text))}


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them after the prologue."""
    for m in _WORD.finditer(blank(text)):
        word = m.group(1).upper()
        if word in FORMS:
            return word
    return None


def uses_from(text: str) -> bool:
    """Whether a query names its dataset with FROM / FROM NAMED."""
    return "FROM" in keywords(text)
