"""`qfgraph indicators`: the system-coordination indicators, per country, framework, field
or level, now or as of a past date, as a table, CSV or JSON, with SVG charts."""
from __future__ import annotations

import json
from pathlib import Path

import click

from qfgraph.api.cli.common import opened, store_option
from qfgraph.graph.indicators import DIMENSIONS, compute
from qfgraph.graph.indicators.running import countries_of
from qfgraph.graph.indicators.tables import csv_text, table


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
