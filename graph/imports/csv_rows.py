"""Typed reading of one CSV row: each getter returns the value or records a problem in words."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from qfgraph.graph.imports.csv_files import Row
from qfgraph.graph.imports.report import Problems
from qfgraph.graph.sparql import UnsafeTermError, check_iri

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
COUNTRY_CODE = re.compile(r"^[A-Z]{3}$")


class RowReader:
    """Values of one row; problems name the file, the row and the column."""

    def __init__(self, row: Row, problems: Problems):
        self.row, self.problems = row, problems

    def problem(self, column: str | None, message: str) -> None:
        self.problems.add(self.row.file, message, self.row.number, column)

    def text(self, column: str, required: bool = False) -> str | None:
        value = self.row.values.get(column, "")
        if value:
            return value
        if required:
            self.problem(column, "missing value (the column is required)")
        return None

    def items(self, column: str, required: bool = False) -> list[str]:
        value = self.text(column, required)
        return [v.strip() for v in value.split(";") if v.strip()] if value else []

    def identifier(self, column: str = "id") -> str | None:
        value = self.text(column, required=True)
        if value and not ID.match(value):
            self.problem(column, f"bad identifier {value!r}: use letters, digits, '-', '_', '.' "
                         "(no spaces), starting with a letter or digit")
            return None
        return value

    def number(self, column: str, required: bool = False, low=None, high=None) -> Decimal | None:
        value = self.text(column, required)
        if value is None:
            return None
        try:
            number = Decimal(value)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.problem(column, f"bad number {value!r}: write digits with a point for decimals, e.g. 7.5")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.problem(column, f"bad number {value!r}: it must be between {low} and {high}"
                         if high is not None else f"bad number {value!r}: it must be at least {low}")
            return None
        return number

    def whole(self, column: str, required: bool = False, low: int = 0) -> int | None:
        value = self.text(column, required)
        if value is None:
            return None
        if not re.fullmatch(r"\d+", value) or int(value) < low:
            self.problem(column, f"bad number {value!r}: a whole number of at least {low} is expected")
            return None
        return int(value)

    def language(self, column: str, required: bool = False) -> str | None:
        value = self.text(column, required)
        if value and not LANG.match(value):
            self.problem(column, f"bad language code {value!r}: use a BCP 47 code such as 'hr' or 'nl'")
            return None
        return value

    def country(self, column: str, required: bool = False) -> str | None:
        value = self.text(column, required)
        if value and not COUNTRY_CODE.match(value):
            self.problem(column, f"bad country code {value!r}: use the ISO 3166 alpha-3 code, e.g. HRV, NLD, DNK")
            return None
        return value

    def date(self, column: str) -> str | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            date.fromisoformat(value)
        except ValueError:
            self.problem(column, f"bad date {value!r}: write it as YYYY-MM-DD")
            return None
        return value

    def iri(self, column: str, value: str) -> URIRef | None:
        try:
            check_iri(value)
        except UnsafeTermError as e:
            self.problem(column, str(e))
            return None
        if not value.startswith(("http://", "https://")):
            self.problem(column, f"not an http(s) IRI: {value!r}")
            return None
        return URIRef(value)

    def titles(self, en_column: str, local_column: str | None = None) -> list[Literal]:
        """The English text and, when given, the national one with its language."""
        out = []
        english = self.text(en_column, required=True)
        if english:
            out.append(Literal(english, lang="en"))
        local = self.text(local_column) if local_column else None
        if local:
            lang = self.language("local_language", required=True)
            if lang:
                out.append(Literal(local, lang=lang))
        return out


def decimal_literal(value: Decimal) -> Literal:
    return Literal(str(value), datatype=XSD.decimal)
