"""`qfgraph indicators`: the system-coordination indicators, per country, framework, field
or level, now or as of a past date, as a table, CSV or JSON, with SVG charts."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from qfgraph.api.cli.common import opened, store_option
from qfgraph.graph.indicators import DIMENSIONS, compute
from qfgraph.graph.indicators.running import countries_of


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


def register(cli) -> None:

    @cli.command("indicators")
    @store_option
    @click.option("--country", "countries", multiple=True, help="ISO 3166 alpha-3 code (HRV) or IRI; repeatable.")
    @click.option("--by", type=click.Choice(list(DIMENSIONS)), default="country", show_default=True,
                  help="Group by this dimension.")
    @click.option("--as-of", "as_of", help="The graph as it stood at the end of this date (YYYY-MM-DD).")
    @click.option("--indicator", "only", multiple=True, help="Only this indicator (id); repeatable.")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
    @click.option("--chart", "chart_dir", type=click.Path(file_okay=False), help="Write SVG charts into DIR.")
    def indicators_command(store_spec, countries, by, as_of, only, fmt, chart_dir):
        """System-coordination indicators: share of micro-credentials linked to skills needs,
        employers, guidance and stacking paths, quality-assured, levelled, validatable; the
        actor roles per country. Definitions and queries: docs/indicators.md."""
        with opened(store_spec) as store:
            outcomes = compute(store, by, countries_of(list(countries)), as_of, list(only) or None)
        if chart_dir:
            from qfgraph.graph.indicators.charts import write_charts
            for path in write_charts(outcomes, Path(chart_dir)):
                click.echo(f"wrote {path}", err=True)
        if fmt == "json":
            click.echo(json.dumps([o.as_json() for o in outcomes], indent=2))
        elif fmt == "csv":
            click.echo(csv_text(outcomes), nl=False)
        else:
            click.echo(table(outcomes))
