"""The English names of the official code lists' entries (countries, modes, assessment types,
learning settings, credit systems, ISCED-F fields...), read from the XSDs of the code lists
in reference/cv/ (Europass, see reference/README.md) on first use."""
from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from pathlib import Path

CODE_LISTS = Path(__file__).parent / "reference" / "cv"
_XS = "{http://www.w3.org/2001/XMLSchema}"


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = {}
    for path in sorted(CODE_LISTS.glob("*.xsd")):
        for entry in ET.parse(path).iter(_XS + "enumeration"):
            doc = entry.find(f"{_XS}annotation/{_XS}documentation")
            if doc is not None and doc.text:
                names.setdefault(entry.get("value"), doc.text.strip())
    return names


def code_name(iri) -> str | None:
    """The English name of an official code-list IRI, or None when no code list has it."""
    return _names().get(str(iri))
