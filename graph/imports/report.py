"""Problems found in an import, and the report an officer reads: file, row, column, words."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from qfgraph.graph.errors import Refused


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the input. `row` counts lines of the file (the header is row 1)."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def to_text(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass
class ImportReport:
    """What an import found and did. Nothing is written unless `problems` is empty."""

    graph: str
    problems: list[ImportProblem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)   # entities by kind
    triples: int = 0
    written: bool = False
    shapes_report: str | None = None                       # the gate's report, when it refused
    shapes_json: dict | None = None
    version: int | None = None
    notes: list[str] = field(default_factory=list)          # what was left out on request

    @property
    def ok(self) -> bool:
        return not self.problems and self.shapes_report is None

    def to_text(self) -> str:
        if self.ok:
            kinds = ", ".join(f"{n} {k}" for k, n in self.counts.items() if n)
            state = "written" if self.written else "checked, nothing written"
            notes = "".join(f"\n  note: {n}" for n in self.notes)
            return f"{self.graph}: {kinds or 'nothing'} ({self.triples} triples) {state}{notes}"
        lines = []
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s); nothing was written to {self.graph}:")
            lines += ["  " + p.to_text() for p in self.problems]
        if self.shapes_report:
            lines.append("the shapes refused the data; nothing was written:")
            lines.append(self.shapes_report)
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"graph": self.graph, "ok": self.ok, "written": self.written,
                "counts": self.counts, "triples": self.triples, "version": self.version,
                "problems": [asdict(p) for p in self.problems], "notes": self.notes,
                "shapes_report": self.shapes_report, "shapes": self.shapes_json}


class ImportFailed(Refused):
    """Raised with the report when an import writes nothing."""

    def __init__(self, report: ImportReport):
        super().__init__(report.to_text(), report)


class Problems:
    """Collects problems while parsing, so one run reports all of them."""

    def __init__(self):
        self.items: list[ImportProblem] = []

    def add(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.items.append(ImportProblem(file, message, row, column))

    def __bool__(self):
        return bool(self.items)
