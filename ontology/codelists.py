"""The English names of the official code lists' entries (countries, modes, assessment types,
learning settings, credit systems, ISCED-F fields...) and of the ESCO skills, skill groups and
occupations, read on first use from the XSDs of the code lists in reference/cv/ (Europass)
and the ESCO subsets in reference/esco/ (see reference/README.md)."""
from __future__ import annotations

import csv
import functools
import xml.etree.ElementTree as ET
from pathlib import Path

CODE_LISTS = Path(__file__).parent / "reference" / "cv"
ESCO_LISTS = Path(__file__).parent / "reference" / "esco"
_XS = "{http://www.w3.org/2001/XMLSchema}"


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = {}
    for path in sorted(CODE_LISTS.glob("*.xsd")):
        for entry in ET.parse(path).iter(_XS + "enumeration"):
            doc = entry.find(f"{_XS}annotation/{_XS}documentation")
            if doc is not None and doc.text:
                names.setdefault(entry.get("value"), doc.text.strip())
    for path in sorted(ESCO_LISTS.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                names.setdefault(row["uri"], row["preferred_label_en"])
    return names


def code_name(iri) -> str | None:
    """The English name of an official code-list IRI, or None when no code list has it."""
    return _names().get(str(iri))
