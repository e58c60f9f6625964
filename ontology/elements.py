"""The elements of a micro-credential in the EU standard (Annex I of the Council
Recommendation of 16 June 2022), as reference/micro-credential-elements.csv lists them: the
mandatory ones numbered, each with the property that carries it in a description (none for
what only an issued credential holds)."""
from __future__ import annotations

import csv
import functools
from pathlib import Path

from qfgraph.ontology.namespaces import PREFIXES

ELEMENTS_FILE = Path(__file__).parent / "reference" / "micro-credential-elements.csv"


@functools.lru_cache(maxsize=1)
def micro_credential_elements() -> tuple[dict, ...]:
    """Rows {number, element, kind, belongs_to, property} in the standard's order; `property`
    is a full IRI, or None."""
    with open(ELEMENTS_FILE, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        prefix, _, local = (row["property"] or "").partition(":")
        row["property"] = PREFIXES[prefix] + local if local else None
    return tuple(rows)
