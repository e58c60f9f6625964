"""The indicators as text: the table the command line prints, and CSV (one row per group)."""
from __future__ import annotations

import csv
import io


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{100 * value:.0f}%"


def table(outcomes) -> str:
    """One line per indicator, one column per group: share (numerator/denominator)."""
    labels = sorted({g.label for o in outcomes for g in o.groups})
    head = ["indicator", *labels, "all"]
    lines = []
    for o in outcomes:
        cells = {g.label: f"{percent(g.value)} ({g.numerator}/{g.denominator})" for g in o.groups}
        total = o.total
        lines.append([o.indicator.id, *(cells.get(lab, "") for lab in labels),
                      f"{percent(total.value)} ({total.numerator}/{total.denominator})"])
    widths = [max(len(str(r[i])) for r in [head, *lines]) for i in range(len(head))]
    fmt = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *map(fmt, lines)])


def csv_text(outcomes) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["indicator", "area", "by", "group", "label", "numerator", "denominator", "value", "as_of"])
    for o in outcomes:
        for g in [*o.groups, o.total]:
            w.writerow([o.indicator.id, o.indicator.area, o.by, g.key or "", g.label, g.numerator,
                        g.denominator, "" if g.value is None else f"{g.value:.4f}", o.as_of])
    return out.getvalue()
