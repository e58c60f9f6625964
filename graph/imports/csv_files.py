"""Reading the template files: encoding, delimiter, header and row shape are checked before
any value is read, and reported by file, row and column."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from qfgraph.graph.imports.csv_templates import BY_FILE, Template
from qfgraph.graph.imports.report import Problems


@dataclass
class Row:
    file: str
    number: int               # line of the file (the header is 1)
    values: dict[str, str]


def decode(data: bytes, name: str, problems: Problems) -> str | None:
    """UTF-8 (with or without a byte-order mark), or a problem naming the line of the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        problems.add(name, f"wrong encoding: byte 0x{data[e.start]:02x} is not UTF-8; save the "
                     "file as 'CSV UTF-8'", row=line)
        return None


def read_template(name: str, data: bytes, problems: Problems) -> tuple[Template, list[Row]] | None:
    """The rows of one template file, or None after recording why it cannot be read."""
    template = BY_FILE.get(name)
    if template is None:
        problems.add(name, f"not a template file; expected one of: {', '.join(BY_FILE)}")
        return None
    text = decode(data, name, problems)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        problems.add(name, "the file is empty: the first row must be the header", row=1)
        return None
    header_line = lines[0]
    if "," not in header_line and any(d in header_line for d in ";\t|"):
        found = next(d for d in ";\t|" if d in header_line)
        problems.add(name, f"wrong delimiter: the header is separated by {found!r}; the templates "
                     "use commas (',')", row=1)
        return None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    if not _header_ok(template, header, name, problems):
        return None
    rows = []
    for values in reader:
        number = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.add(name, f"the row has {len(values)} fields but the header has {len(header)} "
                         "(a stray delimiter or quote?)", row=number)
            continue
        rows.append(Row(name, number, {h: v.strip() for h, v in zip(header, values)}))
    return template, rows


def _header_ok(template: Template, header: list[str], name: str, problems: Problems) -> bool:
    ok = True
    for column in template.required:
        if column not in header:
            problems.add(name, "missing column (it is required)", row=1, column=column)
            ok = False
    for column in header:
        if column not in template.names:
            problems.add(name, f"unknown column; the template's columns are: {', '.join(template.names)}",
                         row=1, column=column)
            ok = False
    duplicates = {h for h in header if header.count(h) > 1}
    for column in sorted(duplicates):
        problems.add(name, "the column appears twice in the header", row=1, column=column)
        ok = False
    return ok


def read_directory(directory: str | Path) -> dict[str, bytes]:
    """The CSV files of a directory by file name (their contents are checked later)."""
    directory = Path(directory)
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.csv"))}
